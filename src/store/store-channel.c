/* SPDX-License-Identifier: MIT */
/*
 * store-channel.c: the channels table, one row per chat channel lihui has
 * seen, keyed by the platform's channel id and holding its settings.
 */

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "lihui/store.h"
#include "lihui/xmalloc.h"
#include "store-int.h"

#define CHANNEL_COLUMNS                                                        \
	"id, key, name, locale, timezone, sections, meeting_wday, "            \
	"meeting_minute, meeting_length"

static void channel_read(sqlite3_stmt *st, struct channel *c);

void
channel_release(struct channel *c)
{
	if (c == NULL)
		return;
	free(c->key);
	free(c->name);
	free(c->locale);
	free(c->timezone);
	memset(c, 0, sizeof *c);
}

int
store_channel_find(struct store *s, const char *key, struct channel *out,
		   int *found, char **cause)
{
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof *out);
	*found = 0;
	st = store_stmt(
	    s, STMT_CHANNEL_GET,
	    "SELECT " CHANNEL_COLUMNS " FROM channels WHERE key = ?1", cause);
	if (st == NULL)
		return -1;
	rc = store_bind_text(st, 1, key);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		channel_read(st, out);
		*found = 1;
	} else if (rc != SQLITE_DONE)
		return store_fail(s, st, "cannot find channel", cause);
	sqlite3_reset(st);
	return 0;
}

int
store_channel_get(struct store *s, int64_t id, struct channel *out, int *found,
		  char **cause)
{
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof *out);
	*found = 0;
	st = store_stmt(
	    s, STMT_CHANNEL_BY_ID,
	    "SELECT " CHANNEL_COLUMNS " FROM channels WHERE id = ?1", cause);
	if (st == NULL)
		return -1;
	rc = sqlite3_bind_int64(st, 1, id);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		channel_read(st, out);
		*found = 1;
	} else if (rc != SQLITE_DONE)
		return store_fail(s, st, "cannot find channel", cause);
	sqlite3_reset(st);
	return 0;
}

int
store_channel_ensure(struct store *s, const char *key, const char *name,
		     const struct channel *defaults, struct channel *out,
		     char **cause)
{
	sqlite3_stmt *st;
	int found;

	if (store_channel_find(s, key, out, &found, cause) != 0)
		return -1;
	if (found)
		return 0;

	/* created_at is informational, so SQLite's clock will do. */
	st = store_stmt(s, STMT_CHANNEL_ADD,
			"INSERT INTO channels (key, name, locale, timezone, "
			"sections, meeting_wday, meeting_minute, "
			"meeting_length, created_at) "
			"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
			"CAST(strftime('%s', 'now') AS INTEGER))",
			cause);
	if (st == NULL)
		return -1;
	if (store_bind_text(st, 1, key) != SQLITE_OK ||
	    store_bind_text(st, 2, name) != SQLITE_OK ||
	    store_bind_text(st, 3, defaults->locale) != SQLITE_OK ||
	    store_bind_text(st, 4, defaults->timezone) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 5, defaults->sections) != SQLITE_OK ||
	    sqlite3_bind_int(st, 6, defaults->meeting_wday) != SQLITE_OK ||
	    sqlite3_bind_int(st, 7, defaults->meeting_minute) != SQLITE_OK ||
	    sqlite3_bind_int(st, 8, defaults->meeting_length) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, st, "cannot add channel", cause);
	sqlite3_reset(st);

	out->id = sqlite3_last_insert_rowid(s->db);
	out->key = xstrdup(key);
	out->name = xstrdup(name);
	out->locale = xstrdup(defaults->locale);
	out->timezone = xstrdup(defaults->timezone);
	out->sections = defaults->sections;
	out->meeting_wday = defaults->meeting_wday;
	out->meeting_minute = defaults->meeting_minute;
	out->meeting_length = defaults->meeting_length;
	return 0;
}

int
store_channel_update(struct store *s, const struct channel *c, char **cause)
{
	sqlite3_stmt *st;

	st = store_stmt(s, STMT_CHANNEL_UPDATE,
			"UPDATE channels SET name = ?2, locale = ?3, "
			"timezone = ?4, sections = ?5, meeting_wday = ?6, "
			"meeting_minute = ?7, meeting_length = ?8 "
			"WHERE id = ?1",
			cause);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 1, c->id) != SQLITE_OK ||
	    store_bind_text(st, 2, c->name) != SQLITE_OK ||
	    store_bind_text(st, 3, c->locale) != SQLITE_OK ||
	    store_bind_text(st, 4, c->timezone) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 5, c->sections) != SQLITE_OK ||
	    sqlite3_bind_int(st, 6, c->meeting_wday) != SQLITE_OK ||
	    sqlite3_bind_int(st, 7, c->meeting_minute) != SQLITE_OK ||
	    sqlite3_bind_int(st, 8, c->meeting_length) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, st, "cannot update channel", cause);
	sqlite3_reset(st);
	if (sqlite3_changes(s->db) == 0)
		return set_cause(
		    cause, "cannot update channel %" PRId64 ": no such channel",
		    c->id);
	return 0;
}

/* Fill c from a row of CHANNEL_COLUMNS. */
static void
channel_read(sqlite3_stmt *st, struct channel *c)
{
	c->id = sqlite3_column_int64(st, 0);
	c->key = store_column_dup(st, 1);
	c->name = store_column_dup(st, 2);
	c->locale = store_column_dup(st, 3);
	c->timezone = store_column_dup(st, 4);
	c->sections = (unsigned)sqlite3_column_int64(st, 5);
	c->meeting_wday = sqlite3_column_int(st, 6);
	c->meeting_minute = sqlite3_column_int(st, 7);
	c->meeting_length = sqlite3_column_int(st, 8);
}
