/* SPDX-License-Identifier: MIT */
/*
 * store-member.c: the members table, one row per (channel, user) that is on
 * the roster, away, or both. A row that becomes neither is deleted, so the
 * table holds no one lihui has no reason to remember.
 */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "lihui/store.h"
#include "lihui/xmalloc.h"
#include "store-int.h"

static int member_prune(struct store *s, int64_t channel_id, const char *user,
			const char *what, char **cause);
static int member_valid_day(const char *day);

void
member_list_free(struct member *m, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(m[i].user_name);
		free(m[i].away_until);
	}
	free(m);
}

int
store_roster_add(struct store *s, int64_t channel_id, const char *user,
		 int *added, char **cause)
{
	sqlite3_stmt *st;

	/* The WHERE makes "already on the roster" change no row. */
	st =
	    store_stmt(s, STMT_ROSTER_ADD,
		       "INSERT INTO members (channel_id, user_name, on_roster) "
		       "VALUES (?1, ?2, 1) "
		       "ON CONFLICT (channel_id, user_name) "
		       "DO UPDATE SET on_roster = 1 WHERE on_roster = 0",
		       cause);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 1, channel_id) != SQLITE_OK ||
	    store_bind_text(st, 2, user) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, st, "cannot add to roster", cause);
	sqlite3_reset(st);
	if (added != NULL)
		*added = sqlite3_changes(s->db) > 0;
	return 0;
}

int
store_roster_remove(struct store *s, int64_t channel_id, const char *user,
		    int *removed, char **cause)
{
	static const char what[] = "cannot remove from roster";
	sqlite3_stmt *st;
	int changed, rc;

	if (store_atomic_begin(s, what, cause) != 0)
		return -1;
	st = store_stmt(s, STMT_ROSTER_REMOVE,
			"UPDATE members SET on_roster = 0 "
			"WHERE channel_id = ?1 AND user_name = ?2 "
			"AND on_roster = 1",
			cause);
	if (st == NULL)
		return store_atomic_end(s, -1, what, cause);
	if (sqlite3_bind_int64(st, 1, channel_id) != SQLITE_OK ||
	    store_bind_text(st, 2, user) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE) {
		rc = store_fail(s, st, what, cause);
		return store_atomic_end(s, rc, what, cause);
	}
	sqlite3_reset(st);
	changed = sqlite3_changes(s->db) > 0;
	rc = member_prune(s, channel_id, user, what, cause);
	if (store_atomic_end(s, rc, what, cause) != 0)
		return -1;
	if (removed != NULL)
		*removed = changed;
	return 0;
}

static void
member_read(sqlite3_stmt *st, void *row)
{
	struct member *m = row;

	m->channel_id = sqlite3_column_int64(st, 0);
	m->user_name = store_column_dup(st, 1);
	m->on_roster = sqlite3_column_int(st, 2);
	m->away_until = store_column_dup(st, 3);
}

static void
member_release(void *list, size_t n)
{
	member_list_free(list, n);
}

static const struct store_rows member_rows = {
	.size = sizeof(struct member),
	.read = member_read,
	.release = member_release,
	.what = "cannot list members",
};

int
store_member_list(struct store *s, int64_t channel_id, int roster_only,
		  struct member **out, size_t *n, char **cause)
{
	sqlite3_stmt *st;
	void *rows;
	int rc;

	*out = NULL;
	*n = 0;
	st = store_stmt(s, STMT_MEMBER_LIST,
			"SELECT channel_id, user_name, on_roster, away_until "
			"FROM members WHERE channel_id = ?1 "
			"AND (?2 = 0 OR on_roster = 1) ORDER BY user_name",
			cause);
	if (st == NULL)
		return -1;
	rc = sqlite3_bind_int64(st, 1, channel_id);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int(st, 2, roster_only != 0);
	rc = store_list(s, st, rc, &member_rows, &rows, n, cause);
	*out = rows;
	return rc;
}

int
store_member_set_away(struct store *s, int64_t channel_id, const char *user,
		      const char *until, char **cause)
{
	static const char what[] = "cannot set away";
	sqlite3_stmt *st;
	int rc;

	if (until != NULL && !member_valid_day(until))
		return set_cause(cause, "%s: invalid date '%.32s'", what,
				 until);
	if (until != NULL) {
		st =
		    store_stmt(s, STMT_MEMBER_AWAY_SET,
			       "INSERT INTO members (channel_id, user_name, "
			       "on_roster, away_until) VALUES (?1, ?2, 0, ?3) "
			       "ON CONFLICT (channel_id, user_name) "
			       "DO UPDATE SET away_until = excluded.away_until",
			       cause);
		if (st == NULL)
			return -1;
		if (sqlite3_bind_int64(st, 1, channel_id) != SQLITE_OK ||
		    store_bind_text(st, 2, user) != SQLITE_OK ||
		    store_bind_text(st, 3, until) != SQLITE_OK ||
		    sqlite3_step(st) != SQLITE_DONE)
			return store_fail(s, st, what, cause);
		sqlite3_reset(st);
		return 0;
	}

	if (store_atomic_begin(s, what, cause) != 0)
		return -1;
	st = store_stmt(s, STMT_MEMBER_AWAY_CLEAR,
			"UPDATE members SET away_until = NULL "
			"WHERE channel_id = ?1 AND user_name = ?2",
			cause);
	if (st == NULL)
		return store_atomic_end(s, -1, what, cause);
	if (sqlite3_bind_int64(st, 1, channel_id) != SQLITE_OK ||
	    store_bind_text(st, 2, user) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE) {
		rc = store_fail(s, st, what, cause);
		return store_atomic_end(s, rc, what, cause);
	}
	sqlite3_reset(st);
	rc = member_prune(s, channel_id, user, what, cause);
	return store_atomic_end(s, rc, what, cause);
}

/* Delete user's row if it is neither on the roster nor away. */
static int
member_prune(struct store *s, int64_t channel_id, const char *user,
	     const char *what, char **cause)
{
	sqlite3_stmt *st;

	st = store_stmt(s, STMT_MEMBER_PRUNE,
			"DELETE FROM members WHERE channel_id = ?1 "
			"AND user_name = ?2 AND on_roster = 0 "
			"AND away_until IS NULL",
			cause);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 1, channel_id) != SQLITE_OK ||
	    store_bind_text(st, 2, user) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, st, what, cause);
	sqlite3_reset(st);
	return 0;
}

/*
 * Whether day has the "YYYY-MM-DD" shape that makes dates compare as
 * strings; checking that it is a real date is the caller's job.
 */
static int
member_valid_day(const char *day)
{
	static const char shape[] = "dddd-dd-dd";
	size_t i;

	for (i = 0; shape[i] != '\0'; i++) {
		if (shape[i] == 'd' ? !isdigit((unsigned char)day[i])
				    : day[i] != shape[i])
			return 0;
	}
	return day[i] == '\0';
}
