/* SPDX-License-Identifier: MIT */
/*
 * store-meeting.c: meetings held in a channel (issue 4). The meetings
 * table holds one row per meeting, meeting_items its log, meeting_marks
 * the attendance corrections and meeting_ratings the members' ratings.
 * Action items are in store-action.c.
 *
 * States: a meeting is started RUNNING and moves once, to ENDED or
 * CANCELLED; a partial unique index (migration 5) keeps one running
 * meeting per channel, and starting a second fails with a cause that says
 * "already running". Log items are never deleted: undo marks one removed,
 * which hides it from the log and from undo, and deletes the action item
 * it created in the same savepoint.
 */

#include <inttypes.h>
#include <stdlib.h>

#include "lihui/meeting.h"
#include "lihui/store.h"
#include "lihui/xmalloc.h"
#include "store-int.h"

#define MEETING_COLUMNS                                                        \
	"id, channel_id, title, chair, state, started_at, ended_at, "          \
	"auto_closed, next_topic, minutes_post, amended"
#define ITEM_COLUMNS                                                           \
	"id, meeting_id, kind, user_name, text, at, post_id, action_id"

static int meeting_one(struct store *s, sqlite3_stmt *st, struct meeting *out,
		       int *found, const char *what, char **cause);
static int meeting_update(struct store *s, sqlite3_stmt *st, int64_t id,
			  const char *what, const char *none, char **cause);
static void meeting_read(sqlite3_stmt *st, void *row);
static void item_read(sqlite3_stmt *st, void *row);

void
meeting_release(struct meeting *m)
{
	if (m == NULL)
		return;
	free(m->title);
	free(m->chair);
	m->title = m->chair = NULL;
}

void
meeting_list_free(struct meeting *m, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		meeting_release(&m[i]);
	free(m);
}

void
meeting_item_release(struct meeting_item *m)
{
	if (m == NULL)
		return;
	free(m->user_name);
	free(m->text);
	free(m->post_id);
	m->user_name = m->text = m->post_id = NULL;
}

void
meeting_item_list_free(struct meeting_item *m, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		meeting_item_release(&m[i]);
	free(m);
}

void
meeting_speaker_list_free(struct meeting_speaker *m, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(m[i].user_name);
	free(m);
}

void
meeting_mark_list_free(struct meeting_mark *m, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(m[i].user_name);
	free(m);
}

int
store_meeting_start(struct store *s, int64_t channel_id, const char *title,
		    const char *chair, int64_t now, struct meeting *out,
		    char **cause)
{
	static const char what[] = "cannot start meeting";
	sqlite3_stmt *st;
	int rc;

	st = store_stmt(s, STMT_MEETING_START,
			"INSERT INTO meetings (channel_id, title, chair, "
			"state, started_at) VALUES (?1, ?2, ?3, 0, ?4)",
			cause);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 1, channel_id) != SQLITE_OK ||
	    store_bind_text(st, 2, title) != SQLITE_OK ||
	    store_bind_text(st, 3, chair) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 4, now) != SQLITE_OK)
		return store_fail(s, st, what, cause);
	rc = sqlite3_step(st);
	if (rc == SQLITE_CONSTRAINT_UNIQUE) {
		sqlite3_reset(st);
		return set_cause(cause,
				 "%s: a meeting is already running in this "
				 "channel",
				 what);
	}
	if (rc != SQLITE_DONE)
		return store_fail(s, st, what, cause);
	sqlite3_reset(st);
	if (out != NULL) {
		out->id = sqlite3_last_insert_rowid(s->db);
		out->channel_id = channel_id;
		out->title = xstrdup(title);
		out->chair = xstrdup(chair);
		out->state = MEETING_RUNNING;
		out->started_at = now;
		out->ended_at = 0;
		out->auto_closed = 0;
		out->next_topic = 0;
		out->minutes_post = 0;
		out->amended = 0;
	}
	return 0;
}

int
store_meeting_running(struct store *s, int64_t channel_id, struct meeting *out,
		      int *found, char **cause)
{
	static const char what[] = "cannot find running meeting";
	sqlite3_stmt *st;

	*found = 0;
	st = store_stmt(s, STMT_MEETING_RUNNING,
			"SELECT " MEETING_COLUMNS " FROM meetings "
			"WHERE channel_id = ?1 AND state = 0",
			cause);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 1, channel_id) != SQLITE_OK)
		return store_fail(s, st, what, cause);
	return meeting_one(s, st, out, found, what, cause);
}

int
store_meeting_any_running(struct store *s, int *any, char **cause)
{
	sqlite3_stmt *st;
	int rc;

	*any = 0;
	/* "state = 0" literally, so that the partial index answers it. */
	st =
	    store_stmt(s, STMT_MEETING_ANY_RUNNING,
		       "SELECT 1 FROM meetings WHERE state = 0 LIMIT 1", cause);
	if (st == NULL)
		return -1;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, st, "cannot look for meetings", cause);
	*any = rc == SQLITE_ROW;
	sqlite3_reset(st);
	return 0;
}

int
store_meeting_get(struct store *s, int64_t id, struct meeting *out, int *found,
		  char **cause)
{
	static const char what[] = "cannot read meeting";
	sqlite3_stmt *st;

	*found = 0;
	st = store_stmt(s, STMT_MEETING_GET,
			"SELECT " MEETING_COLUMNS " FROM meetings "
			"WHERE id = ?1",
			cause);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK)
		return store_fail(s, st, what, cause);
	return meeting_one(s, st, out, found, what, cause);
}

int
store_meeting_last_ended(struct store *s, int64_t channel_id,
			 struct meeting *out, int *found, char **cause)
{
	static const char what[] = "cannot find last meeting";
	sqlite3_stmt *st;

	*found = 0;
	/* meetings_channel returns them in this order without a sort. */
	st = store_stmt(s, STMT_MEETING_LAST_ENDED,
			"SELECT " MEETING_COLUMNS " FROM meetings "
			"WHERE channel_id = ?1 AND state = 1 "
			"ORDER BY ended_at DESC, id DESC LIMIT 1",
			cause);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 1, channel_id) != SQLITE_OK)
		return store_fail(s, st, what, cause);
	return meeting_one(s, st, out, found, what, cause);
}

/* Move running meeting id to state (ENDED or CANCELLED). */
static int
meeting_finish(struct store *s, int64_t id, int state, int64_t now,
	       int auto_closed, const char *what, char **cause)
{
	sqlite3_stmt *st;

	st = store_stmt(s, STMT_MEETING_END,
			"UPDATE meetings SET state = ?2, ended_at = ?3, "
			"auto_closed = ?4 WHERE id = ?1 AND state = 0",
			cause);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int(st, 2, state) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 3, now) != SQLITE_OK ||
	    sqlite3_bind_int(st, 4, auto_closed != 0) != SQLITE_OK)
		return store_fail(s, st, what, cause);
	return meeting_update(s, st, id, what, "no running meeting", cause);
}

int
store_meeting_end(struct store *s, int64_t id, int64_t now, int auto_closed,
		  char **cause)
{
	return meeting_finish(s, id, MEETING_ENDED, now, auto_closed,
			      "cannot end meeting", cause);
}

int
store_meeting_cancel(struct store *s, int64_t id, int64_t now, char **cause)
{
	return meeting_finish(s, id, MEETING_CANCELLED, now, 0,
			      "cannot cancel meeting", cause);
}

static void
meeting_list_release(void *list, size_t n)
{
	meeting_list_free(list, n);
}

int
store_meeting_stale(struct store *s, int64_t started_before,
		    struct meeting **out, size_t *n, char **cause)
{
	static const struct store_rows rows = {
		.size = sizeof(struct meeting),
		.read = meeting_read,
		.release = meeting_list_release,
		.what = "cannot list running meetings",
	};
	sqlite3_stmt *st;
	void *list;
	int rc;

	*out = NULL;
	*n = 0;
	st = store_stmt(s, STMT_MEETING_STALE,
			"SELECT " MEETING_COLUMNS " FROM meetings "
			"WHERE state = 0 AND started_at <= ?1 "
			"ORDER BY started_at, id",
			cause);
	if (st == NULL)
		return -1;
	rc = store_list(s, st, sqlite3_bind_int64(st, 1, started_before), &rows,
			&list, n, cause);
	*out = list;
	return rc;
}

int
store_meeting_set_minutes(struct store *s, int64_t id, int64_t post,
			  const char *markdown, char **cause)
{
	static const char what[] = "cannot record minutes";
	sqlite3_stmt *st;

	st = store_stmt(s, STMT_MEETING_SET_MINUTES,
			"UPDATE meetings SET minutes_post = NULLIF(?2, 0), "
			"minutes = ?3, "
			"minutes_file_due = minutes_file_due + 1 WHERE id = ?1",
			cause);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 2, post) != SQLITE_OK ||
	    store_bind_text(st, 3, markdown) != SQLITE_OK)
		return store_fail(s, st, what, cause);
	return meeting_update(s, st, id, what, "no such meeting", cause);
}

int
store_meeting_minutes(struct store *s, int64_t id, char **markdown,
		      char **cause)
{
	static const char what[] = "cannot read minutes";
	sqlite3_stmt *st;
	int rc;

	*markdown = NULL;
	st = store_stmt(s, STMT_MEETING_MINUTES,
			"SELECT minutes FROM meetings WHERE id = ?1", cause);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK)
		return store_fail(s, st, what, cause);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return set_cause(cause,
				 "%s of meeting %" PRId64 ": no such "
				 "meeting",
				 what, id);
	}
	if (rc != SQLITE_ROW)
		return store_fail(s, st, what, cause);
	*markdown = store_column_dup(st, 0);
	sqlite3_reset(st);
	return 0;
}

int
store_meeting_set_next_topic(struct store *s, int64_t id, int next_topic,
			     char **cause)
{
	static const char what[] = "cannot set next topic";
	sqlite3_stmt *st;

	if (next_topic < 0)
		return set_cause(cause, "%s: invalid topic number %d", what,
				 next_topic);
	st = store_stmt(s, STMT_MEETING_SET_NEXT_TOPIC,
			"UPDATE meetings SET next_topic = ?2 WHERE id = ?1",
			cause);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int(st, 2, next_topic) != SQLITE_OK)
		return store_fail(s, st, what, cause);
	return meeting_update(s, st, id, what, "no such meeting", cause);
}

int
store_meeting_set_amended(struct store *s, int64_t id, char **cause)
{
	static const char what[] = "cannot mark minutes amended";
	sqlite3_stmt *st;

	st = store_stmt(s, STMT_MEETING_SET_AMENDED,
			"UPDATE meetings SET amended = 1 WHERE id = ?1", cause);
	if (st == NULL)
		return -1;
	return meeting_update(s, st, id, what, "no such meeting", cause);
}

int
store_minutes_file_mark(struct store *s, int64_t id, char **cause)
{
	static const char what[] = "cannot mark minutes file due";
	sqlite3_stmt *st;

	st = store_stmt(s, STMT_MEETING_FILE_MARK,
			"UPDATE meetings SET minutes_file_due = "
			"minutes_file_due + 1 WHERE id = ?1",
			cause);
	if (st == NULL)
		return -1;
	return meeting_update(s, st, id, what, "no such meeting", cause);
}

int
store_minutes_file_due(struct store *s, size_t limit,
		       struct minutes_file_due **out, size_t *n, char **cause)
{
	static const char what[] = "cannot list due minutes files";
	struct minutes_file_due *list = NULL;
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	st = store_stmt(s, STMT_MEETING_FILE_DUE,
			"SELECT id, minutes_file_due FROM meetings "
			"WHERE minutes_file_due > minutes_file_done "
			"ORDER BY id LIMIT ?1",
			cause);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 1, (sqlite3_int64)limit) != SQLITE_OK)
		return store_fail(s, st, what, cause);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		list = store_grow(list, *n, &cap, sizeof *list);
		list[*n].meeting_id = sqlite3_column_int64(st, 0);
		list[*n].rev = sqlite3_column_int64(st, 1);
		(*n)++;
	}
	if (rc != SQLITE_DONE) {
		free(list);
		*n = 0;
		return store_fail(s, st, what, cause);
	}
	sqlite3_reset(st);
	*out = list;
	return 0;
}

int
store_minutes_file_done(struct store *s, int64_t id, int64_t rev, char **cause)
{
	static const char what[] = "cannot mark minutes file written";
	sqlite3_stmt *st;

	st = store_stmt(s, STMT_MEETING_FILE_DONE,
			"UPDATE meetings SET minutes_file_done = "
			"max(minutes_file_done, ?2) WHERE id = ?1",
			cause);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 2, rev) != SQLITE_OK)
		return store_fail(s, st, what, cause);
	return meeting_update(s, st, id, what, "no such meeting", cause);
}

int
store_meeting_item_add(struct store *s, int64_t meeting_id, int kind,
		       const char *user_name, const char *text, int64_t at,
		       const char *post_id, int64_t action_id, int64_t *id,
		       char **cause)
{
	static const char what[] = "cannot add meeting item";
	sqlite3_stmt *st;

	if (kind < 0 || kind >= MEETING_KIND_COUNT)
		return set_cause(cause, "%s: invalid kind %d", what, kind);
	if (kind == MEETING_ACTION && action_id <= 0)
		return set_cause(cause, "%s: an action needs its action item",
				 what);
	if (kind != MEETING_ACTION && action_id != 0)
		return set_cause(cause, "%s: only an action has an action item",
				 what);
	st = store_stmt(s, STMT_MEETING_ITEM_ADD,
			"INSERT INTO meeting_items (meeting_id, kind, "
			"user_name, text, at, post_id, action_id) "
			"VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULLIF(?7, 0))",
			cause);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 1, meeting_id) != SQLITE_OK ||
	    sqlite3_bind_int(st, 2, kind) != SQLITE_OK ||
	    store_bind_text(st, 3, user_name) != SQLITE_OK ||
	    store_bind_text(st, 4, text) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 5, at) != SQLITE_OK ||
	    store_bind_text(st, 6, post_id) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 7, action_id) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, st, what, cause);
	sqlite3_reset(st);
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

static void
item_list_release(void *list, size_t n)
{
	meeting_item_list_free(list, n);
}

int
store_meeting_item_list(struct store *s, int64_t meeting_id,
			struct meeting_item **out, size_t *n, char **cause)
{
	static const struct store_rows rows = {
		.size = sizeof(struct meeting_item),
		.read = item_read,
		.release = item_list_release,
		.what = "cannot list meeting log",
	};
	sqlite3_stmt *st;
	void *list;
	int rc;

	*out = NULL;
	*n = 0;
	st = store_stmt(s, STMT_MEETING_ITEM_LIST,
			"SELECT " ITEM_COLUMNS " FROM meeting_items "
			"WHERE meeting_id = ?1 AND removed = 0 ORDER BY id",
			cause);
	if (st == NULL)
		return -1;
	rc = store_list(s, st, sqlite3_bind_int64(st, 1, meeting_id), &rows,
			&list, n, cause);
	*out = list;
	return rc;
}

int
store_meeting_item_last(struct store *s, int64_t meeting_id,
			const char *user_name, struct meeting_item *out,
			int *found, char **cause)
{
	static const char what[] = "cannot find last meeting item";
	sqlite3_stmt *st;
	int rc;

	*found = 0;
	/* Walks meeting_items_meeting back from the newest entry. */
	st = store_stmt(s, STMT_MEETING_ITEM_LAST,
			"SELECT " ITEM_COLUMNS " FROM meeting_items "
			"WHERE meeting_id = ?1 AND kind <> ?2 AND removed = 0 "
			"AND (?3 IS NULL OR user_name = ?3) "
			"ORDER BY id DESC LIMIT 1",
			cause);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 1, meeting_id) != SQLITE_OK ||
	    sqlite3_bind_int(st, 2, MEETING_LINE) != SQLITE_OK ||
	    store_bind_text(st, 3, user_name) != SQLITE_OK)
		return store_fail(s, st, what, cause);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		item_read(st, out);
		*found = 1;
	} else if (rc != SQLITE_DONE) {
		return store_fail(s, st, what, cause);
	}
	sqlite3_reset(st);
	return 0;
}

/* The two statements of store_meeting_item_remove(), inside a savepoint. */
static int
item_remove(struct store *s, int64_t id, const char *what, char **cause)
{
	sqlite3_stmt *st;

	st = store_stmt(s, STMT_MEETING_ITEM_REMOVE,
			"UPDATE meeting_items SET removed = 1 "
			"WHERE id = ?1 AND removed = 0",
			cause);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, st, what, cause);
	sqlite3_reset(st);
	if (sqlite3_changes(s->db) == 0)
		return set_cause(cause, "%s %" PRId64 ": no such item", what,
				 id);
	st = store_stmt(s, STMT_MEETING_ITEM_ACTION_DELETE,
			"DELETE FROM action_items WHERE id = "
			"(SELECT action_id FROM meeting_items WHERE id = ?1)",
			cause);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, st, what, cause);
	sqlite3_reset(st);
	return 0;
}

int
store_meeting_item_remove(struct store *s, int64_t id, char **cause)
{
	static const char what[] = "cannot remove meeting item";

	if (store_atomic_begin(s, what, cause) != 0)
		return -1;
	return store_atomic_end(s, item_remove(s, id, what, cause), what,
				cause);
}

static void
speaker_read(sqlite3_stmt *st, void *row)
{
	struct meeting_speaker *m = row;

	m->user_name = store_column_dup(st, 0);
	m->lines = sqlite3_column_int(st, 1);
}

static void
speaker_release(void *list, size_t n)
{
	meeting_speaker_list_free(list, n);
}

int
store_meeting_speakers(struct store *s, int64_t meeting_id,
		       struct meeting_speaker **out, size_t *n, char **cause)
{
	static const struct store_rows rows = {
		.size = sizeof(struct meeting_speaker),
		.read = speaker_read,
		.release = speaker_release,
		.what = "cannot count meeting speakers",
	};
	sqlite3_stmt *st;
	void *list;
	int rc;

	*out = NULL;
	*n = 0;
	/* Removed items count: an undone item was still said. */
	st = store_stmt(s, STMT_MEETING_SPEAKERS,
			"SELECT user_name, COUNT(*) FROM meeting_items "
			"WHERE meeting_id = ?1 GROUP BY user_name "
			"ORDER BY 2 DESC, 1",
			cause);
	if (st == NULL)
		return -1;
	rc = store_list(s, st, sqlite3_bind_int64(st, 1, meeting_id), &rows,
			&list, n, cause);
	*out = list;
	return rc;
}

int
store_meeting_mark(struct store *s, int64_t meeting_id, const char *user_name,
		   int present, char **cause)
{
	sqlite3_stmt *st;

	st = store_stmt(s, STMT_MEETING_MARK,
			"INSERT INTO meeting_marks (meeting_id, user_name, "
			"present) VALUES (?1, ?2, ?3) "
			"ON CONFLICT (meeting_id, user_name) "
			"DO UPDATE SET present = excluded.present",
			cause);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 1, meeting_id) != SQLITE_OK ||
	    store_bind_text(st, 2, user_name) != SQLITE_OK ||
	    sqlite3_bind_int(st, 3, present != 0) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, st, "cannot mark attendance", cause);
	sqlite3_reset(st);
	return 0;
}

static void
mark_read(sqlite3_stmt *st, void *row)
{
	struct meeting_mark *m = row;

	m->user_name = store_column_dup(st, 0);
	m->present = sqlite3_column_int(st, 1);
}

static void
mark_release(void *list, size_t n)
{
	meeting_mark_list_free(list, n);
}

int
store_meeting_marks(struct store *s, int64_t meeting_id,
		    struct meeting_mark **out, size_t *n, char **cause)
{
	static const struct store_rows rows = {
		.size = sizeof(struct meeting_mark),
		.read = mark_read,
		.release = mark_release,
		.what = "cannot list attendance marks",
	};
	sqlite3_stmt *st;
	void *list;
	int rc;

	*out = NULL;
	*n = 0;
	st = store_stmt(s, STMT_MEETING_MARKS,
			"SELECT user_name, present FROM meeting_marks "
			"WHERE meeting_id = ?1 ORDER BY user_name",
			cause);
	if (st == NULL)
		return -1;
	rc = store_list(s, st, sqlite3_bind_int64(st, 1, meeting_id), &rows,
			&list, n, cause);
	*out = list;
	return rc;
}

int
store_rating_set(struct store *s, int64_t meeting_id, const char *user,
		 int rating, int64_t now, char **cause)
{
	static const char what[] = "cannot rate meeting";
	sqlite3_stmt *st;

	if (rating < 1 || rating > 5)
		return set_cause(cause, "%s: rating %d is not 1 to 5", what,
				 rating);
	st = store_stmt(s, STMT_RATING_SET,
			"INSERT INTO meeting_ratings (meeting_id, user_name, "
			"rating, at) VALUES (?1, ?2, ?3, ?4) "
			"ON CONFLICT (meeting_id, user_name) "
			"DO UPDATE SET rating = excluded.rating, "
			"at = excluded.at",
			cause);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 1, meeting_id) != SQLITE_OK ||
	    store_bind_text(st, 2, user) != SQLITE_OK ||
	    sqlite3_bind_int(st, 3, rating) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 4, now) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, st, what, cause);
	sqlite3_reset(st);
	return 0;
}

int
store_rating_summary(struct store *s, int64_t meeting_id, int *count,
		     double *average, char **cause)
{
	static const char what[] = "cannot read ratings";
	sqlite3_stmt *st;

	*count = 0;
	*average = 0;
	st = store_stmt(s, STMT_RATING_SUMMARY,
			"SELECT COUNT(*), COALESCE(AVG(rating), 0) "
			"FROM meeting_ratings WHERE meeting_id = ?1",
			cause);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 1, meeting_id) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW)
		return store_fail(s, st, what, cause);
	*count = sqlite3_column_int(st, 0);
	*average = sqlite3_column_double(st, 1);
	sqlite3_reset(st);
	return 0;
}

static void
meeting_read(sqlite3_stmt *st, void *row)
{
	struct meeting *m = row;

	m->id = sqlite3_column_int64(st, 0);
	m->channel_id = sqlite3_column_int64(st, 1);
	m->title = store_column_dup(st, 2);
	m->chair = store_column_dup(st, 3);
	m->state = sqlite3_column_int(st, 4);
	/* NULL (none yet) reads as 0. */
	m->started_at = sqlite3_column_int64(st, 5);
	m->ended_at = sqlite3_column_int64(st, 6);
	m->auto_closed = sqlite3_column_int(st, 7);
	m->next_topic = sqlite3_column_int(st, 8);
	m->minutes_post = sqlite3_column_int64(st, 9);
	m->amended = sqlite3_column_int(st, 10);
}

static void
item_read(sqlite3_stmt *st, void *row)
{
	struct meeting_item *m = row;

	m->id = sqlite3_column_int64(st, 0);
	m->meeting_id = sqlite3_column_int64(st, 1);
	m->kind = sqlite3_column_int(st, 2);
	m->user_name = store_column_dup(st, 3);
	m->text = store_column_dup(st, 4);
	m->at = sqlite3_column_int64(st, 5);
	m->post_id = store_column_dup(st, 6);
	m->action_id = sqlite3_column_int64(st, 7);
}

/* Step st (bound, MEETING_COLUMNS) for at most one meeting into *out. */
static int
meeting_one(struct store *s, sqlite3_stmt *st, struct meeting *out, int *found,
	    const char *what, char **cause)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW) {
		meeting_read(st, out);
		*found = 1;
	} else if (rc != SQLITE_DONE) {
		return store_fail(s, st, what, cause);
	}
	sqlite3_reset(st);
	return 0;
}

/*
 * Bind id to ?1 of st, an UPDATE of meeting id with its other parameters
 * bound, and run it; no row changed is an error saying none.
 */
static int
meeting_update(struct store *s, sqlite3_stmt *st, int64_t id, const char *what,
	       const char *none, char **cause)
{
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, st, what, cause);
	sqlite3_reset(st);
	if (sqlite3_changes(s->db) == 0)
		return set_cause(cause, "%s %" PRId64 ": %s", what, id, none);
	return 0;
}

static int
minutes_posts_replace(struct store *s, int64_t id, const int64_t *ids, size_t n,
		      const char *what, char **cause)
{
	sqlite3_stmt *st;
	size_t i;

	st = store_stmt(
	    s, STMT_MEETING_POSTS_CLEAR,
	    "DELETE FROM meeting_minutes_posts WHERE meeting_id = ?1", cause);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, st, what, cause);
	sqlite3_reset(st);
	st = store_stmt(s, STMT_MEETING_POSTS_ADD,
			"INSERT INTO meeting_minutes_posts (meeting_id, part, "
			"outbox_id) VALUES (?1, ?2, ?3)",
			cause);
	if (st == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
		    sqlite3_bind_int64(st, 2, (int64_t)i) != SQLITE_OK ||
		    sqlite3_bind_int64(st, 3, ids[i]) != SQLITE_OK ||
		    sqlite3_step(st) != SQLITE_DONE)
			return store_fail(s, st, what, cause);
		sqlite3_reset(st);
	}
	return 0;
}

int
store_meeting_set_minutes_posts(struct store *s, int64_t id, const int64_t *ids,
				size_t n, char **cause)
{
	static const char what[] = "cannot record the minutes' posts";
	int rc;

	if (store_atomic_begin(s, what, cause) != 0)
		return -1;
	rc = minutes_posts_replace(s, id, ids, n, what, cause);
	return store_atomic_end(s, rc, what, cause);
}

int
store_meeting_minutes_posts(struct store *s, int64_t id, int64_t **ids,
			    size_t *n, char **cause)
{
	static const char what[] = "cannot read the minutes' posts";
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*ids = NULL;
	*n = 0;
	st = store_stmt(s, STMT_MEETING_POSTS,
			"SELECT outbox_id FROM meeting_minutes_posts "
			"WHERE meeting_id = ?1 ORDER BY part",
			cause);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK)
		return store_fail(s, st, what, cause);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*ids = store_grow(*ids, *n, &cap, sizeof **ids);
		(*ids)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	if (rc != SQLITE_DONE) {
		free(*ids);
		*ids = NULL;
		*n = 0;
		return store_fail(s, st, what, cause);
	}
	sqlite3_reset(st);
	return 0;
}
