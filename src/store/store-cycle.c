/* SPDX-License-Identifier: MIT */
/*
 * store-cycle.c: the cycles table, one row per meeting occurrence of a
 * channel, identified by its start time. Reports, metrics and agenda topics
 * hang off a cycle.
 */

#include <string.h>

#include "lihui/store.h"
#include "store-int.h"

int
store_cycle_ensure(struct store *s, int64_t channel_id, int64_t starts_at,
		   int length, struct cycle *out, char **cause)
{
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof *out);
	st = store_stmt(s, STMT_CYCLE_GET,
			"SELECT id, length FROM cycles "
			"WHERE channel_id = ?1 AND starts_at = ?2",
			cause);
	if (st == NULL)
		return -1;
	rc = sqlite3_bind_int64(st, 1, channel_id);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 2, starts_at);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(st, 0);
		out->channel_id = channel_id;
		out->starts_at = starts_at;
		out->length = sqlite3_column_int(st, 1);
		sqlite3_reset(st);
		return 0;
	}
	if (rc != SQLITE_DONE)
		return store_fail(s, st, "cannot find cycle", cause);
	sqlite3_reset(st);

	st = store_stmt(s, STMT_CYCLE_ADD,
			"INSERT INTO cycles (channel_id, starts_at, length) "
			"VALUES (?1, ?2, ?3)",
			cause);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 1, channel_id) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, starts_at) != SQLITE_OK ||
	    sqlite3_bind_int(st, 3, length) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, st, "cannot add cycle", cause);
	sqlite3_reset(st);
	out->id = sqlite3_last_insert_rowid(s->db);
	out->channel_id = channel_id;
	out->starts_at = starts_at;
	out->length = length;
	return 0;
}

int
store_cycle_previous(struct store *s, int64_t channel_id, int64_t starts_at,
		     struct cycle *out, int *found, char **cause)
{
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof *out);
	*found = 0;
	st = store_stmt(s, STMT_CYCLE_PREVIOUS,
			"SELECT id, starts_at, length FROM cycles "
			"WHERE channel_id = ?1 AND starts_at < ?2 "
			"ORDER BY starts_at DESC LIMIT 1",
			cause);
	if (st == NULL)
		return -1;
	rc = sqlite3_bind_int64(st, 1, channel_id);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 2, starts_at);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(st, 0);
		out->channel_id = channel_id;
		out->starts_at = sqlite3_column_int64(st, 1);
		out->length = sqlite3_column_int(st, 2);
		*found = 1;
	} else if (rc != SQLITE_DONE) {
		return store_fail(s, st, "cannot find previous cycle", cause);
	}
	sqlite3_reset(st);
	return 0;
}

/* Run the cached statement id, which moves rows from ?1 to ?2. */
static int
cycle_move_rows(struct store *s, enum store_stmt_id id, const char *sql,
		int64_t from, int64_t to, const char *what, char **cause)
{
	sqlite3_stmt *st = store_stmt(s, id, sql, cause);

	if (st == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 1, from) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, to) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, st, what, cause);
	sqlite3_reset(st);
	return 0;
}

int
store_cycle_move(struct store *s, int64_t from, int64_t to, char **cause)
{
	const char *what = "cannot move meeting";
	int rc;

	if (from == to)
		return 0;
	if (store_atomic_begin(s, what, cause) != 0)
		return -1;
	rc = cycle_move_rows(s, STMT_CYCLE_MOVE_REPORTS,
			     "UPDATE reports SET cycle_id = ?2 "
			     "WHERE cycle_id = ?1",
			     from, to, what, cause);
	/* OR IGNORE: a metric the new cycle already has stays; the old
	 * one goes with the old cycle below. */
	if (rc == 0)
		rc = cycle_move_rows(
		    s, STMT_CYCLE_MOVE_METRICS,
		    "UPDATE OR IGNORE metrics SET cycle_id = ?2 "
		    "WHERE cycle_id = ?1",
		    from, to, what, cause);
	if (rc == 0)
		rc = cycle_move_rows(s, STMT_CYCLE_MOVE_TOPICS,
				     "UPDATE agenda_topics SET cycle_id = ?2 "
				     "WHERE cycle_id = ?1",
				     from, to, what, cause);
	if (rc == 0)
		rc = store_delete_row(s, STMT_CYCLE_DELETE,
				      "DELETE FROM cycles WHERE id = ?1", from,
				      what, cause);
	return store_atomic_end(s, rc, what, cause);
}
