/* SPDX-License-Identifier: MIT */
/*
 * test-store-minutes-file.c: which meetings' Markdown copies are due
 * (migration 6): recording the minutes makes the copy due, marking it
 * written for the count read clears it unless the minutes were recorded
 * again meanwhile, and an upgrade from version 8 makes every meeting with
 * minutes due. The upgrade runs on a file in a fresh directory under
 * $TMPDIR (or /tmp); version 8's minutes are set with sqlite3 directly,
 * since this build's store_meeting_set_minutes() needs version 9.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "lihui/store.h"

static const struct channel test_defaults = {
	.locale = (char *)"en",
	.timezone = (char *)"UTC",
	.sections = SECTION_ALL,
	.meeting_wday = 1,
	.meeting_minute = 600,
	.meeting_length = 30,
};

/* A store at version with a channel and a meeting in *mid. */
static struct store *
open_with_meeting(const char *path, int version, int64_t *mid)
{
	struct store *s;
	struct channel c;
	struct meeting m;
	char *cause = NULL;

	s = store_open_at(path, version, &cause);
	assert_non_null(s);
	assert_int_equal(
	    store_channel_ensure(s, "C1", "ops", &test_defaults, &c, &cause),
	    0);
	assert_int_equal(
	    store_meeting_start(s, c.id, "Weekly", "alice", 1000, &m, &cause),
	    0);
	*mid = m.id;
	meeting_release(&m);
	channel_release(&c);
	return s;
}

/* Close s and run sql on the raw file (under the store's API). */
static void
raw_exec(struct store *s, const char *path, const char *sql)
{
	sqlite3 *db = NULL;

	store_close(s);
	assert_int_equal(
	    sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

/* The due list as "id:rev,..." in buf. */
static const char *
due_str(struct store *s, size_t limit, char *buf, size_t len)
{
	struct minutes_file_due *d;
	char *cause = NULL;
	size_t n, i, off = 0;

	assert_int_equal(store_minutes_file_due(s, limit, &d, &n, &cause), 0);
	assert_null(cause);
	buf[0] = '\0';
	for (i = 0; i < n; i++)
		off += (size_t)snprintf(
		    buf + off, len - off, "%s%lld:%lld", i > 0 ? "," : "",
		    (long long)d[i].meeting_id, (long long)d[i].rev);
	free(d);
	return buf;
}

static void
test_due_cycle(void **state)
{
	struct store *s;
	char buf[128], *cause = NULL;
	int64_t mid;

	(void)state;
	s = open_with_meeting(":memory:", store_latest_version(), &mid);
	assert_int_equal(mid, 1);
	/* A running meeting has no minutes: nothing due. */
	assert_string_equal(due_str(s, 10, buf, sizeof buf), "");

	assert_int_equal(store_meeting_end(s, mid, 2000, 0, &cause), 0);
	assert_int_equal(store_meeting_set_minutes(s, mid, 0, "# m1", &cause),
			 0);
	assert_string_equal(due_str(s, 10, buf, sizeof buf), "1:1");

	/* Recorded again while rev 1 is being written: still due. */
	assert_int_equal(store_meeting_set_minutes(s, mid, 0, "# m2", &cause),
			 0);
	assert_int_equal(store_minutes_file_done(s, mid, 1, &cause), 0);
	assert_string_equal(due_str(s, 10, buf, sizeof buf), "1:2");
	assert_int_equal(store_minutes_file_done(s, mid, 2, &cause), 0);
	assert_string_equal(due_str(s, 10, buf, sizeof buf), "");

	/* A late, older write does not make it due again or undo rev 2. */
	assert_int_equal(store_minutes_file_done(s, mid, 1, &cause), 0);
	assert_string_equal(due_str(s, 10, buf, sizeof buf), "");

	/* Marking due by hand. */
	assert_int_equal(store_minutes_file_mark(s, mid, &cause), 0);
	assert_string_equal(due_str(s, 10, buf, sizeof buf), "1:3");
	assert_int_equal(store_minutes_file_done(s, mid, 3, &cause), 0);
	assert_string_equal(due_str(s, 10, buf, sizeof buf), "");
	assert_null(cause);
	store_close(s);
}

/* Several due meetings come by id, at most limit of them. */
static void
test_due_limit(void **state)
{
	struct store *s;
	struct channel c;
	struct meeting m;
	char buf[128], *cause = NULL;
	int64_t mid;
	int i;

	(void)state;
	s = open_with_meeting(":memory:", store_latest_version(), &mid);
	assert_int_equal(store_meeting_end(s, mid, 2000, 0, &cause), 0);
	for (i = 0; i < 3; i++) {
		assert_int_equal(store_channel_ensure(s, "C1", "ops",
						      &test_defaults, &c,
						      &cause),
				 0);
		assert_int_equal(store_meeting_start(s, c.id, "W", "bob",
						     3000 + i, &m, &cause),
				 0);
		assert_int_equal(store_meeting_end(s, m.id, 3100, 0, &cause),
				 0);
		meeting_release(&m);
		channel_release(&c);
	}
	for (i = 4; i >= 1; i--)
		assert_int_equal(store_minutes_file_mark(s, i, &cause), 0);
	assert_string_equal(due_str(s, 10, buf, sizeof buf), "1:1,2:1,3:1,4:1");
	assert_string_equal(due_str(s, 2, buf, sizeof buf), "1:1,2:1");
	assert_int_equal(store_minutes_file_done(s, 1, 1, &cause), 0);
	assert_string_equal(due_str(s, 2, buf, sizeof buf), "2:1,3:1");
	store_close(s);
}

/* Unknown meetings and a schema without the columns fail, saying why. */
static void
test_errors(void **state)
{
	struct minutes_file_due *d = NULL;
	struct store *s;
	char *cause = NULL;
	int64_t mid;
	size_t n = 1;

	(void)state;
	s = open_with_meeting(":memory:", store_latest_version(), &mid);
	assert_int_equal(store_minutes_file_mark(s, 99, &cause), -1);
	assert_string_equal(cause,
			    "cannot mark minutes file due 99: no such meeting");
	free(cause);
	cause = NULL;
	assert_int_equal(store_minutes_file_done(s, 99, 1, &cause), -1);
	assert_string_equal(
	    cause, "cannot mark minutes file written 99: no such meeting");
	free(cause);
	cause = NULL;
	store_close(s);

	s = open_with_meeting(":memory:", 8, &mid);
	assert_int_equal(store_minutes_file_mark(s, mid, &cause), -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	assert_int_equal(store_minutes_file_due(s, 10, &d, &n, &cause), -1);
	assert_non_null(cause);
	assert_null(d);
	assert_int_equal(n, 0);
	free(cause);
	cause = NULL;
	assert_int_equal(store_minutes_file_done(s, mid, 1, &cause), -1);
	assert_non_null(cause);
	free(cause);
	store_close(s);
}

/* From version 8: meetings with minutes are due, the others are not. */
static void
test_upgrade_from_v8(void **state)
{
	const char *base = getenv("TMPDIR");
	char dir[256], path[300], file[320], buf[128], *cause = NULL, *md;
	struct store *s;
	struct channel c;
	struct meeting m;
	int64_t mid;

	(void)state;
	snprintf(dir, sizeof dir, "%s/lihui-test-XXXXXX",
		 base != NULL && *base != '\0' ? base : "/tmp");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/lihui.db", dir);

	s = open_with_meeting(path, 8, &mid);
	assert_int_equal(store_version(s), 8);
	assert_int_equal(store_meeting_end(s, mid, 2000, 0, &cause), 0);
	/* Version 8's way of recording them, which knew no copies. */
	raw_exec(s, path, "UPDATE meetings SET minutes = '# old' WHERE id = 1");
	s = store_open_at(path, 8, &cause);
	assert_non_null(s);
	/* A second meeting, ended without minutes. */
	assert_int_equal(
	    store_channel_ensure(s, "C2", "dev", &test_defaults, &c, &cause),
	    0);
	assert_int_equal(
	    store_meeting_start(s, c.id, "Dev", "bob", 1500, &m, &cause), 0);
	assert_int_equal(store_meeting_end(s, m.id, 2500, 0, &cause), 0);
	meeting_release(&m);
	channel_release(&c);
	store_close(s);

	s = store_open(path, &cause);
	assert_non_null(s);
	assert_null(cause);
	assert_int_equal(store_version(s), store_latest_version());
	assert_int_equal(store_latest_version(), 10);
	assert_string_equal(due_str(s, 10, buf, sizeof buf), "1:1");
	assert_int_equal(store_meeting_minutes(s, mid, &md, &cause), 0);
	assert_string_equal(md, "# old");
	free(md);
	assert_int_equal(store_minutes_file_done(s, mid, 1, &cause), 0);
	assert_string_equal(due_str(s, 10, buf, sizeof buf), "");
	store_close(s);

	snprintf(file, sizeof file, "%s", path);
	unlink(file);
	snprintf(file, sizeof file, "%s-wal", path);
	unlink(file);
	snprintf(file, sizeof file, "%s-shm", path);
	unlink(file);
	assert_int_equal(rmdir(dir), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_due_cycle),
		cmocka_unit_test(test_due_limit),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_upgrade_from_v8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
