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
