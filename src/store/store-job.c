/* SPDX-License-Identifier: MIT */
/*
 * store-job.c: the scheduler's tables: the jobs (store.h "Scheduled
 * jobs", src/jobs.c), read through jobs_due (the earliest active jobs)
 * or the unique (channel, kind) index; and the channels' schedules
 * (src/schedule.c), read by channel.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lihui/store.h"
#include "lihui/xmalloc.h"

#include "store-int.h"

int
store_job_set(struct store *s, int64_t channel_id, const char *kind,
	      int64_t due, char **cause)
{
	static const char what[] = "cannot plan job";
	sqlite3_stmt *st;

	if (strlen(kind) > JOB_KIND_MAX)
		return set_cause(cause, "%s: kind '%s' is too long", what,
				 kind);
	st = store_stmt(s, STMT_JOB_SET,
			"INSERT INTO jobs (channel_id, kind, due) "
			"VALUES (?1, ?2, ?3) ON CONFLICT (channel_id, kind) "
			"DO UPDATE SET due = excluded.due, state = 0",
			cause);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 1, channel_id) != SQLITE_OK ||
	    store_bind_text(st, 2, kind) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 3, due) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, st, what, cause);
	sqlite3_reset(st);
	return 0;
}

static void
job_read(sqlite3_stmt *st, struct job *j)
{
	const unsigned char *kind = sqlite3_column_text(st, 2);

	memset(j, 0, sizeof *j);
	j->id = sqlite3_column_int64(st, 0);
	j->channel_id = sqlite3_column_int64(st, 1);
	snprintf(j->kind, sizeof j->kind, "%s",
		 kind != NULL ? (const char *)kind : "");
	j->due = sqlite3_column_int64(st, 3);
	j->last_run = sqlite3_column_int64(st, 4);
}

int
store_job_find(struct store *s, int64_t channel_id, const char *kind,
	       struct job *out, int *found, char **cause)
{
	static const char what[] = "cannot read job";
	sqlite3_stmt *st;
	int rc;

	*found = 0;
	st = store_stmt(s, STMT_JOB_FIND,
			"SELECT id, channel_id, kind, due, "
			"IFNULL(last_run, 0) FROM jobs "
			"WHERE channel_id = ?1 AND kind = ?2",
			cause);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 1, channel_id) != SQLITE_OK ||
	    store_bind_text(st, 2, kind) != SQLITE_OK)
		return store_fail(s, st, what, cause);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		job_read(st, out);
		*found = 1;
	} else if (rc != SQLITE_DONE) {
		return store_fail(s, st, what, cause);
	}
	sqlite3_reset(st);
	return 0;
}

int
store_job_count_channel(struct store *s, int64_t channel_id, int *n,
			char **cause)
{
	sqlite3_stmt *st;
	int64_t count = 0;

	st = store_stmt(s, STMT_JOB_COUNT_CHANNEL,
			"SELECT COUNT(*) FROM jobs WHERE channel_id = ?1",
			cause);
	if (st == NULL)
		return -1;
	if (store_count(s, st, sqlite3_bind_int64(st, 1, channel_id), &count,
			"cannot count jobs", cause) != 0)
		return -1;
	*n = (int)count;
	return 0;
}

int
store_job_next(struct store *s, int64_t *due, int *found, char **cause)
{
	static const char what[] = "cannot find the next job";
	sqlite3_stmt *st;
	int rc;

	*found = 0;
	st = store_stmt(s, STMT_JOB_NEXT,
			"SELECT due FROM jobs WHERE state = 0 "
			"ORDER BY due LIMIT 1",
			cause);
	if (st == NULL)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*due = sqlite3_column_int64(st, 0);
		*found = 1;
	} else if (rc != SQLITE_DONE) {
		return store_fail(s, st, what, cause);
	}
	sqlite3_reset(st);
	return 0;
}

int
store_job_due(struct store *s, int64_t now, size_t limit, struct job **out,
	      size_t *n, char **cause)
{
	static const char what[] = "cannot list due jobs";
	struct job *jobs = NULL;
	size_t len = 0, cap = 0;
	sqlite3_stmt *st;
	int rc;

	*out = NULL;
	*n = 0;
	st = store_stmt(s, STMT_JOB_DUE,
			"SELECT id, channel_id, kind, due, "
			"IFNULL(last_run, 0) FROM jobs "
			"WHERE state = 0 AND due <= ?1 ORDER BY due, id "
			"LIMIT ?2",
			cause);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 1, now) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, (int64_t)limit) != SQLITE_OK)
		return store_fail(s, st, what, cause);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		jobs = store_grow(jobs, len, &cap, sizeof *jobs);
		job_read(st, &jobs[len++]);
	}
	if (rc != SQLITE_DONE) {
		free(jobs);
		return store_fail(s, st, what, cause);
	}
	sqlite3_reset(st);
	*out = jobs;
	*n = len;
	return 0;
}

int
store_job_done(struct store *s, int64_t id, int64_t ran, int64_t next,
	       char **cause)
{
	static const char what[] = "cannot record job run";
	sqlite3_stmt *st;

	st = store_stmt(s, STMT_JOB_DONE,
			"UPDATE jobs SET last_run = ?2, due = ?3 "
			"WHERE id = ?1 AND due = ?2",
			cause);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, ran) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 3, next) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, st, what, cause);
	sqlite3_reset(st);
	if (sqlite3_changes(s->db) != 1)
		return set_cause(cause, "%s %lld: it is no longer due at %lld",
				 what, (long long)id, (long long)ran);
	return 0;
}

void
store_schedule_release(struct store_schedule *row)
{
	free(row->rule);
	free(row->skips);
	free(row->window_open);
	free(row->remind_at);
	free(row->agenda_at);
	memset(row, 0, sizeof *row);
}

int
store_schedule_get(struct store *s, int64_t channel_id,
		   struct store_schedule *out, int *found, char **cause)
{
	static const char what[] = "cannot read schedule";
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof *out);
	*found = 0;
	st = store_stmt(s, STMT_SCHEDULE_GET,
			"SELECT rule, skips, window_open, remind_at, agenda_at "
			"FROM channel_schedules WHERE channel_id = ?1",
			cause);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 1, channel_id) != SQLITE_OK)
		return store_fail(s, st, what, cause);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->rule = store_column_dup(st, 0);
		out->skips = store_column_dup(st, 1);
		out->window_open = store_column_dup(st, 2);
		out->remind_at = store_column_dup(st, 3);
		out->agenda_at = store_column_dup(st, 4);
		*found = 1;
	} else if (rc != SQLITE_DONE) {
		return store_fail(s, st, what, cause);
	}
	sqlite3_reset(st);
	return 0;
}

int
store_schedule_set(struct store *s, int64_t channel_id, const char *rule,
		   const char *skips, char **cause)
{
	static const char what[] = "cannot set schedule";
	sqlite3_stmt *st;

	st = store_stmt(s, STMT_SCHEDULE_SET,
			"INSERT INTO channel_schedules (channel_id, rule, "
			"skips) VALUES (?1, ?2, ?3) ON CONFLICT (channel_id) "
			"DO UPDATE SET rule = excluded.rule, "
			"skips = excluded.skips",
			cause);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 1, channel_id) != SQLITE_OK ||
	    store_bind_text(st, 2, rule) != SQLITE_OK ||
	    store_bind_text(st, 3, skips) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, st, what, cause);
	sqlite3_reset(st);
	return 0;
}

int
store_schedule_set_time(struct store *s, int64_t channel_id,
			enum store_schedule_time which, const char *text,
			char **cause)
{
	static const char what[] = "cannot set schedule time";
	sqlite3_stmt *st;

	switch (which) {
	case STORE_SCHEDULE_WINDOW:
		st = store_stmt(s, STMT_SCHEDULE_SET_WINDOW,
				"INSERT INTO channel_schedules (channel_id, "
				"window_open) VALUES (?1, ?2) ON CONFLICT "
				"(channel_id) DO UPDATE SET window_open = "
				"excluded.window_open",
				cause);
		break;
	case STORE_SCHEDULE_REMIND:
		st = store_stmt(s, STMT_SCHEDULE_SET_REMIND,
				"INSERT INTO channel_schedules (channel_id, "
				"remind_at) VALUES (?1, ?2) ON CONFLICT "
				"(channel_id) DO UPDATE SET remind_at = "
				"excluded.remind_at",
				cause);
		break;
	case STORE_SCHEDULE_AGENDA:
		st = store_stmt(s, STMT_SCHEDULE_SET_AGENDA,
				"INSERT INTO channel_schedules (channel_id, "
				"agenda_at) VALUES (?1, ?2) ON CONFLICT "
				"(channel_id) DO UPDATE SET agenda_at = "
				"excluded.agenda_at",
				cause);
		break;
	default:
		return set_cause(cause, "%s: unknown time %d", what,
				 (int)which);
	}
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 1, channel_id) != SQLITE_OK ||
	    store_bind_text(st, 2, text) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, st, what, cause);
	sqlite3_reset(st);
	return 0;
}
