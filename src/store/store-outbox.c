/* SPDX-License-Identifier: MIT */
/*
 * store-outbox.c: the outbox table. Every post lihui makes is a row here
 * before any adapter sees it (architecture invariant 4).
 *
 * States: a message is added PENDING with next_attempt_at = now. The
 * drainer (src/outbox.c) takes the due ones in id order, so posts to a
 * channel leave in the order they were queued, and then either marks one
 * SENT (with the platform's post id), defers it with store_outbox_retry()
 * (attempts + 1, a later next_attempt_at), or gives up with
 * store_outbox_mark_failed(). Only a PENDING message can change state; a
 * call on any other is an error, which catches a drainer that sends twice.
 * Rows are kept after SENT and FAILED for the record.
 */

#include <inttypes.h>
#include <stdlib.h>

#include "lihui/store.h"
#include "lihui/xmalloc.h"
#include "store-int.h"

static int outbox_list(struct store *s, sqlite3_stmt *st,
		       struct outbox_msg **out, size_t *n, char **cause);
static int outbox_changed(struct store *s, int64_t id, const char *what,
			  char **cause);

/* Read from "outbox AS o"; the last one is an edit's post to change. */
#define OUTBOX_COLUMNS                                                         \
	"o.id, o.kind, o.channel_key, o.user, o.text, o.attempts, "            \
	"o.next_attempt_at, o.state, "                                         \
	"COALESCE(o.target_post, "                                             \
	"  (SELECT r.post_id FROM outbox AS r WHERE r.id = o.ref))"

void
outbox_msg_list_free(struct outbox_msg *m, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(m[i].channel_key);
		free(m[i].user);
		free(m[i].text);
		free(m[i].post_id);
	}
	free(m);
}

int
store_outbox_add(struct store *s, int kind, const char *channel_key,
		 const char *user, const char *text, int64_t now, int64_t *id,
		 char **cause)
{
	sqlite3_stmt *st;

	if (kind != OUTBOX_CHANNEL && kind != OUTBOX_EPHEMERAL &&
	    kind != OUTBOX_DIRECT)
		return set_cause(cause, "cannot queue post: invalid kind %d",
				 kind);
	if (kind != OUTBOX_CHANNEL && user == NULL)
		return set_cause(cause, "cannot queue post: no user");
	st = store_stmt(s, STMT_OUTBOX_ADD,
			"INSERT INTO outbox (kind, channel_key, user, text, "
			"state, attempts, next_attempt_at, created_at) "
			"VALUES (?1, ?2, ?3, ?4, 0, 0, ?5, ?5)",
			cause);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int(st, 1, kind) != SQLITE_OK ||
	    store_bind_text(st, 2, channel_key) != SQLITE_OK ||
	    store_bind_text(st, 3, user) != SQLITE_OK ||
	    store_bind_text(st, 4, text) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 5, now) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, st, "cannot queue post", cause);
	sqlite3_reset(st);
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int
store_outbox_add_edit(struct store *s, int64_t ref, const char *text,
		      int64_t now, int64_t *id, char **cause)
{
	static const char what[] = "cannot queue edit";
	sqlite3_stmt *st;

	/* The edit goes where the post went; only a post can be edited. */
	st = store_stmt(s, STMT_OUTBOX_ADD_EDIT,
			"INSERT INTO outbox (kind, channel_key, text, ref, "
			"state, attempts, next_attempt_at, created_at) "
			"SELECT ?1, channel_key, ?2, id, 0, 0, ?3, ?3 "
			"FROM outbox WHERE id = ?4 AND kind IN (?5, ?6)",
			cause);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int(st, 1, OUTBOX_EDIT) != SQLITE_OK ||
	    store_bind_text(st, 2, text) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 3, now) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 4, ref) != SQLITE_OK ||
	    sqlite3_bind_int(st, 5, OUTBOX_CHANNEL) != SQLITE_OK ||
	    sqlite3_bind_int(st, 6, OUTBOX_DIRECT) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, st, what, cause);
	sqlite3_reset(st);
	if (sqlite3_changes(s->db) == 0)
		return set_cause(
		    cause, "%s: message %" PRId64 " is not a post lihui made",
		    what, ref);
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int
store_outbox_add_reaction(struct store *s, const char *channel_key,
			  const char *post_id, const char *emoji, int64_t now,
			  int64_t *id, char **cause)
{
	sqlite3_stmt *st;

	if (post_id == NULL || *post_id == '\0' || emoji == NULL ||
	    *emoji == '\0')
		return set_cause(cause,
				 "cannot queue reaction: no post or emoji");
	st = store_stmt(s, STMT_OUTBOX_ADD_REACTION,
			"INSERT INTO outbox (kind, channel_key, text, "
			"target_post, state, attempts, next_attempt_at, "
			"created_at) VALUES (?1, ?2, ?3, ?4, 0, 0, ?5, ?5)",
			cause);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int(st, 1, OUTBOX_REACTION) != SQLITE_OK ||
	    store_bind_text(st, 2, channel_key) != SQLITE_OK ||
	    store_bind_text(st, 3, emoji) != SQLITE_OK ||
	    store_bind_text(st, 4, post_id) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 5, now) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, st, "cannot queue reaction", cause);
	sqlite3_reset(st);
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int
store_outbox_due(struct store *s, int64_t now, size_t limit,
		 struct outbox_msg **out, size_t *n, char **cause)
{
	sqlite3_stmt *st;

	*out = NULL;
	*n = 0;
	if (limit == 0)
		return 0;
	if (limit > INT64_MAX)
		limit = INT64_MAX;
	st = store_stmt(s, STMT_OUTBOX_DUE,
			"SELECT " OUTBOX_COLUMNS " FROM outbox AS o "
			"WHERE o.state = 0 AND o.next_attempt_at <= ?1 "
			"AND NOT EXISTS (SELECT 1 FROM outbox AS p "
			"  WHERE p.state = 0 AND p.kind = o.kind "
			"  AND p.channel_key = o.channel_key "
			"  AND p.user IS o.user AND p.id < o.id) "
			"AND (o.ref IS NULL OR NOT EXISTS (SELECT 1 FROM "
			"  outbox AS r WHERE r.id = o.ref AND r.state = 0)) "
			"AND o.id <= ?3 "
			"ORDER BY o.id LIMIT ?2",
			cause);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 1, now) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, (sqlite3_int64)limit) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 3,
			       s->batching ? s->durable_outbox : INT64_MAX) !=
		SQLITE_OK)
		return store_fail(s, st, "cannot list due posts", cause);
	return outbox_list(s, st, out, n, cause);
}

int
store_outbox_since(struct store *s, int64_t after_id, struct outbox_msg **out,
		   size_t *n, char **cause)
{
	sqlite3_stmt *st;

	*out = NULL;
	*n = 0;
	st = store_stmt(s, STMT_OUTBOX_SINCE,
			"SELECT " OUTBOX_COLUMNS " FROM outbox AS o "
			"WHERE o.id > ?1 ORDER BY o.id",
			cause);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 1, after_id) != SQLITE_OK)
		return store_fail(s, st, "cannot list posts", cause);
	return outbox_list(s, st, out, n, cause);
}

int
store_outbox_mark_sent(struct store *s, int64_t id, const char *post_id,
		       int64_t now, char **cause)
{
	static const char what[] = "cannot mark post sent";
	sqlite3_stmt *st;

	st = store_stmt(s, STMT_OUTBOX_SENT,
			"UPDATE outbox SET state = 1, sent_at = ?2, "
			"post_id = ?3, error = NULL "
			"WHERE id = ?1 AND state = 0",
			cause);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, now) != SQLITE_OK ||
	    store_bind_text(st, 3, post_id) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, st, what, cause);
	sqlite3_reset(st);
	return outbox_changed(s, id, what, cause);
}

int
store_outbox_mark_failed(struct store *s, int64_t id, const char *reason,
			 char **cause)
{
	static const char what[] = "cannot mark post failed";
	sqlite3_stmt *st;

	st = store_stmt(s, STMT_OUTBOX_FAILED,
			"UPDATE outbox SET state = 2, error = ?2 "
			"WHERE id = ?1 AND state = 0",
			cause);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
	    store_bind_text(st, 2, reason) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, st, what, cause);
	sqlite3_reset(st);
	return outbox_changed(s, id, what, cause);
}

int
store_outbox_retry(struct store *s, int64_t id, int64_t next_at, char **cause)
{
	static const char what[] = "cannot defer post";
	sqlite3_stmt *st;

	st = store_stmt(s, STMT_OUTBOX_RETRY,
			"UPDATE outbox SET attempts = attempts + 1, "
			"next_attempt_at = ?2 WHERE id = ?1 AND state = 0",
			cause);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, next_at) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, st, what, cause);
	sqlite3_reset(st);
	return outbox_changed(s, id, what, cause);
}

int
store_outbox_backlog(struct store *s, int64_t *pending, int64_t *earliest,
		     char **cause)
{
	sqlite3_stmt *st;

	*pending = 0;
	*earliest = 0;
	st = store_stmt(s, STMT_OUTBOX_BACKLOG,
			"SELECT COUNT(*), COALESCE(MIN(next_attempt_at), 0) "
			"FROM outbox WHERE state = 0",
			cause);
	if (st == NULL)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW)
		return store_fail(s, st, "cannot count pending posts", cause);
	*pending = sqlite3_column_int64(st, 0);
	*earliest = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	return 0;
}

static void
outbox_read(sqlite3_stmt *st, void *row)
{
	struct outbox_msg *m = row;

	m->id = sqlite3_column_int64(st, 0);
	m->kind = sqlite3_column_int(st, 1);
	m->channel_key = store_column_dup(st, 2);
	m->user = store_column_dup(st, 3);
	m->text = store_column_dup(st, 4);
	m->attempts = sqlite3_column_int(st, 5);
	m->next_attempt_at = sqlite3_column_int64(st, 6);
	m->state = sqlite3_column_int(st, 7);
	m->post_id = store_column_dup(st, 8);
}

static void
outbox_release(void *list, size_t n)
{
	outbox_msg_list_free(list, n);
}

/* Step st (bound) to the end, collecting OUTBOX_COLUMNS rows into *out. */
static int
outbox_list(struct store *s, sqlite3_stmt *st, struct outbox_msg **out,
	    size_t *n, char **cause)
{
	static const struct store_rows rows = {
		.size = sizeof(struct outbox_msg),
		.read = outbox_read,
		.release = outbox_release,
		.what = "cannot list posts",
	};
	void *list;
	int rc = store_list(s, st, SQLITE_OK, &rows, &list, n, cause);

	*out = list;
	return rc;
}

/* After an UPDATE of message id that requires it to be pending. */
static int
outbox_changed(struct store *s, int64_t id, const char *what, char **cause)
{
	if (sqlite3_changes(s->db) == 0)
		return set_cause(cause, "%s %" PRId64 ": no pending post", what,
				 id);
	return 0;
}
