/* SPDX-License-Identifier: MIT */
/*
 * store-topic.c: the agenda_topics table, the topics queued for a cycle's
 * meeting in the order they were added.
 */

#include <stdlib.h>

#include "lihui/store.h"
#include "store-int.h"

void
topic_list_free(struct topic *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(t[i].title);
		free(t[i].owner);
		free(t[i].added_by);
	}
	free(t);
}

int
store_topic_add(struct store *s, int64_t cycle_id, const char *title,
		const char *owner, int minutes, const char *added_by,
		int64_t now, int64_t *id, char **cause)
{
	sqlite3_stmt *st;

	st = store_stmt(s, STMT_TOPIC_ADD,
			"INSERT INTO agenda_topics (cycle_id, title, owner, "
			"minutes, added_by, created_at) "
			"VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
			cause);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 1, cycle_id) != SQLITE_OK ||
	    store_bind_text(st, 2, title) != SQLITE_OK ||
	    store_bind_text(st, 3, owner) != SQLITE_OK ||
	    sqlite3_bind_int(st, 4, minutes) != SQLITE_OK ||
	    store_bind_text(st, 5, added_by) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 6, now) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, st, "cannot add topic", cause);
	sqlite3_reset(st);
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

static void
topic_read(sqlite3_stmt *st, void *row)
{
	struct topic *t = row;

	t->id = sqlite3_column_int64(st, 0);
	t->cycle_id = sqlite3_column_int64(st, 1);
	t->title = store_column_dup(st, 2);
	t->owner = store_column_dup(st, 3);
	t->minutes = sqlite3_column_int(st, 4);
	t->added_by = store_column_dup(st, 5);
}

static void
topic_release(void *list, size_t n)
{
	topic_list_free(list, n);
}

static const struct store_rows topic_rows = {
	.size = sizeof(struct topic),
	.read = topic_read,
	.release = topic_release,
	.what = "cannot list topics",
};

int
store_topic_list(struct store *s, int64_t cycle_id, struct topic **out,
		 size_t *n, char **cause)
{
	sqlite3_stmt *st;
	void *rows;
	int rc;

	*out = NULL;
	*n = 0;
	st = store_stmt(s, STMT_TOPIC_LIST,
			"SELECT id, cycle_id, title, owner, minutes, added_by "
			"FROM agenda_topics WHERE cycle_id = ?1 ORDER BY id",
			cause);
	if (st == NULL)
		return -1;
	rc = store_list(s, st, sqlite3_bind_int64(st, 1, cycle_id), &topic_rows,
			&rows, n, cause);
	*out = rows;
	return rc;
}

int
store_topic_count(struct store *s, int64_t cycle_id, int64_t *count,
		  char **cause)
{
	sqlite3_stmt *st = store_stmt(s, STMT_TOPIC_COUNT,
				      "SELECT COUNT(*) FROM agenda_topics "
				      "WHERE cycle_id = ?1",
				      cause);

	if (st == NULL)
		return -1;
	return store_count(s, st, sqlite3_bind_int64(st, 1, cycle_id), count,
			   "cannot count topics", cause);
}

int
store_topic_delete(struct store *s, int64_t id, char **cause)
{
	return store_delete_row(s, STMT_TOPIC_DELETE,
				"DELETE FROM agenda_topics WHERE id = ?1", id,
				"cannot delete topic", cause);
}
