/* SPDX-License-Identifier: MIT */
/*
 * store-action.c: the action_items table, what members agreed to do, in
 * a meeting (#action, /meeting action) or outside one (/action add).
 *
 * States: an item is added OPEN and is closed DONE or DROPPED, with a
 * note, and may be reopened; closed_at is set while it is closed. Ids are
 * the numbers members use and are never reused (AUTOINCREMENT, migration
 * 5); an item goes away only when the meeting entry that created it is
 * undone (store-meeting.c) or its channel is deleted. Deadlines are
 * stored as "YYYY-MM-DD" and checked here, so every due read back parses.
 */

#include <inttypes.h>
#include <stdlib.h>

#include "lihui/store.h"
#include "lihui/when.h"
#include "lihui/xmalloc.h"
#include "store-int.h"

#define ACTION_COLUMNS                                                         \
	"id, channel_id, meeting_id, owner, owner_id, text, due, state, "      \
	"created_by, created_at, closed_at, note"
/* The bits of the states store_action_list() takes. */
#define ACTION_STATES                                                          \
	((1u << ACTION_OPEN) | (1u << ACTION_DONE) | (1u << ACTION_DROPPED))

static int action_list(struct store *s, sqlite3_stmt *st, int bind_rc,
		       struct action_item **out, size_t *n, char **cause);
static int action_update(struct store *s, sqlite3_stmt *st, int64_t id,
			 const char *what, char **cause);
static void action_read(sqlite3_stmt *st, void *row);

void
action_item_release(struct action_item *a)
{
	if (a == NULL)
		return;
	free(a->owner);
	free(a->owner_id);
	free(a->text);
	free(a->due);
	free(a->created_by);
	free(a->note);
	a->owner = a->owner_id = a->text = a->due = NULL;
	a->created_by = a->note = NULL;
}

void
action_item_list_free(struct action_item *a, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		action_item_release(&a[i]);
	free(a);
}

/* Whether due is NULL or a real "YYYY-MM-DD" date. */
static int
action_due_valid(const char *due)
{
	struct date d;

	return due == NULL || date_parse_iso(due, &d) == 0;
}

int
store_action_add(struct store *s, int64_t channel_id, int64_t meeting_id,
		 const char *owner, const char *owner_id, const char *text,
		 const char *due, const char *created_by, int64_t now,
		 int64_t *id, char **cause)
{
	static const char what[] = "cannot add action item";
	sqlite3_stmt *st;

	if (!action_due_valid(due))
		return set_cause(cause,
				 "%s: invalid due date '%s' "
				 "(want YYYY-MM-DD)",
				 what, due);
	if (meeting_id < 0)
		return set_cause(cause, "%s: invalid meeting %" PRId64, what,
				 meeting_id);
	/* Nothing is inserted for a meeting of another channel. */
	st = store_stmt(s, STMT_ACTION_ADD,
			"INSERT INTO action_items (channel_id, meeting_id, "
			"owner, owner_id, text, due, state, created_by, "
			"created_at) "
			"SELECT ?1, NULLIF(?2, 0), ?3, ?4, ?5, ?6, 0, ?7, ?8 "
			"WHERE ?2 = 0 OR EXISTS (SELECT 1 FROM meetings "
			"WHERE id = ?2 AND channel_id = ?1)",
			cause);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 1, channel_id) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, meeting_id) != SQLITE_OK ||
	    store_bind_text(st, 3, owner) != SQLITE_OK ||
	    store_bind_text(st, 4, owner != NULL ? owner_id : NULL) !=
		SQLITE_OK ||
	    store_bind_text(st, 5, text) != SQLITE_OK ||
	    store_bind_text(st, 6, due) != SQLITE_OK ||
	    store_bind_text(st, 7, created_by) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 8, now) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, st, what, cause);
	sqlite3_reset(st);
	if (sqlite3_changes(s->db) == 0)
		return set_cause(
		    cause, "%s: no meeting %" PRId64 " in channel %" PRId64,
		    what, meeting_id, channel_id);
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int
store_action_get(struct store *s, int64_t channel_id, int64_t id,
		 struct action_item *out, int *found, char **cause)
{
	static const char what[] = "cannot read action item";
	sqlite3_stmt *st;
	int rc;

	*found = 0;
	st = store_stmt(s, STMT_ACTION_GET,
			"SELECT " ACTION_COLUMNS " FROM action_items "
			"WHERE id = ?2 AND channel_id = ?1",
			cause);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 1, channel_id) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, id) != SQLITE_OK)
		return store_fail(s, st, what, cause);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		action_read(st, out);
		*found = 1;
	} else if (rc != SQLITE_DONE) {
		return store_fail(s, st, what, cause);
	}
	sqlite3_reset(st);
	return 0;
}

int
store_action_list_meeting(struct store *s, int64_t meeting_id,
			  struct action_item **out, size_t *n, char **cause)
{
	sqlite3_stmt *st;

	*out = NULL;
	*n = 0;
	st = store_stmt(s, STMT_ACTION_LIST_MEETING,
			"SELECT " ACTION_COLUMNS " FROM action_items "
			"WHERE meeting_id = ?1 ORDER BY id",
			cause);
	if (st == NULL)
		return -1;
	return action_list(s, st, sqlite3_bind_int64(st, 1, meeting_id), out, n,
			   cause);
}

int
store_action_list(struct store *s, int64_t channel_id, unsigned states,
		  const char *owner, struct action_item **out, size_t *n,
		  char **cause)
{
	sqlite3_stmt *st;
	int rc, i;

	*out = NULL;
	*n = 0;
	if ((states & ~ACTION_STATES) != 0)
		return set_cause(cause,
				 "cannot list action items: invalid states "
				 "0x%x",
				 states);
	/*
	 * One parameter per state, -1 (no state) for those not asked for:
	 * action_items_state is then searched once per state asked for.
	 */
	st = store_stmt(s, STMT_ACTION_LIST,
			"SELECT " ACTION_COLUMNS " FROM action_items "
			"WHERE channel_id = ?1 AND state IN (?2, ?3, ?4) "
			"AND (?5 IS NULL OR owner = ?5) ORDER BY id",
			cause);
	if (st == NULL)
		return -1;
	rc = sqlite3_bind_int64(st, 1, channel_id);
	for (i = ACTION_OPEN; i <= ACTION_DROPPED && rc == SQLITE_OK; i++)
		rc = sqlite3_bind_int(st, 2 + i,
				      (states & (1u << i)) != 0 ? i : -1);
	if (rc == SQLITE_OK)
		rc = store_bind_text(st, 5, owner);
	return action_list(s, st, rc, out, n, cause);
}

int
store_action_set_state(struct store *s, int64_t id, int state, const char *note,
		       int64_t now, char **cause)
{
	static const char what[] = "cannot update action item";
	sqlite3_stmt *st;

	if (state < ACTION_OPEN || state > ACTION_DROPPED)
		return set_cause(cause, "%s: invalid state %d", what, state);
	/* Reopening clears when and why it was closed. */
	st = store_stmt(s, STMT_ACTION_SET_STATE,
			"UPDATE action_items SET state = ?2, "
			"closed_at = CASE WHEN ?2 = 0 THEN NULL ELSE ?3 END, "
			"note = CASE WHEN ?2 = 0 THEN NULL ELSE ?4 END "
			"WHERE id = ?1",
			cause);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int(st, 2, state) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 3, now) != SQLITE_OK ||
	    store_bind_text(st, 4, note) != SQLITE_OK)
		return store_fail(s, st, what, cause);
	return action_update(s, st, id, what, cause);
}

int
store_action_set_due(struct store *s, int64_t id, const char *due, char **cause)
{
	static const char what[] = "cannot update action item";
	sqlite3_stmt *st;

	if (!action_due_valid(due))
		return set_cause(cause,
				 "%s: invalid due date '%s' "
				 "(want YYYY-MM-DD)",
				 what, due);
	st =
	    store_stmt(s, STMT_ACTION_SET_DUE,
		       "UPDATE action_items SET due = ?2 WHERE id = ?1", cause);
	if (st == NULL)
		return -1;
	if (store_bind_text(st, 2, due) != SQLITE_OK)
		return store_fail(s, st, what, cause);
	return action_update(s, st, id, what, cause);
}

int
store_action_set_owner(struct store *s, int64_t id, const char *owner,
		       const char *owner_id, char **cause)
{
	static const char what[] = "cannot update action item";
	sqlite3_stmt *st;

	st = store_stmt(s, STMT_ACTION_SET_OWNER,
			"UPDATE action_items SET owner = ?2, owner_id = ?3 "
			"WHERE id = ?1",
			cause);
	if (st == NULL)
		return -1;
	if (store_bind_text(st, 2, owner) != SQLITE_OK ||
	    store_bind_text(st, 3, owner != NULL ? owner_id : NULL) !=
		SQLITE_OK)
		return store_fail(s, st, what, cause);
	return action_update(s, st, id, what, cause);
}

static void
action_read(sqlite3_stmt *st, void *row)
{
	struct action_item *a = row;

	a->id = sqlite3_column_int64(st, 0);
	/* NULL meeting_id and closed_at read as 0. */
	a->channel_id = sqlite3_column_int64(st, 1);
	a->meeting_id = sqlite3_column_int64(st, 2);
	a->owner = store_column_dup(st, 3);
	a->owner_id = store_column_dup(st, 4);
	a->text = store_column_dup(st, 5);
	a->due = store_column_dup(st, 6);
	a->state = sqlite3_column_int(st, 7);
	a->created_by = store_column_dup(st, 8);
	a->created_at = sqlite3_column_int64(st, 9);
	a->closed_at = sqlite3_column_int64(st, 10);
	a->note = store_column_dup(st, 11);
}

static void
action_release(void *list, size_t n)
{
	action_item_list_free(list, n);
}

/* Step st (ACTION_COLUMNS) to the end after bind_rc, into *out. */
static int
action_list(struct store *s, sqlite3_stmt *st, int bind_rc,
	    struct action_item **out, size_t *n, char **cause)
{
	static const struct store_rows rows = {
		.size = sizeof(struct action_item),
		.read = action_read,
		.release = action_release,
		.what = "cannot list action items",
	};
	void *list;
	int rc = store_list(s, st, bind_rc, &rows, &list, n, cause);

	*out = list;
	return rc;
}

/*
 * Bind id to ?1 of st, an UPDATE of action item id with its other
 * parameters bound, and run it; no such item is an error.
 */
static int
action_update(struct store *s, sqlite3_stmt *st, int64_t id, const char *what,
	      char **cause)
{
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, st, what, cause);
	sqlite3_reset(st);
	if (sqlite3_changes(s->db) == 0)
		return set_cause(cause, "%s %" PRId64 ": no such item", what,
				 id);
	return 0;
}
