/* SPDX-License-Identifier: MIT */
/*
 * test-store.c: opening the store, WAL on a file, migrations (from empty,
 * from version 1 with data, refusing a newer database), the cascades of
 * the meeting tables, and transactions.
 *
 * File tests use a fresh directory under $TMPDIR (or /tmp) and remove it.
 * Where a test must look under the store's API (the journal mode, the
 * schema, a user_version from the future) it opens the file with sqlite3
 * directly; nothing else outside src/store/ does.
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

#include "lihui/meeting.h"
#include "lihui/store.h"
#include "lihui/xmalloc.h"

struct tmpdb {
	char dir[256];
	char path[300];
};

static const struct channel test_defaults = {
	.locale = (char *)"en",
	.timezone = (char *)"Asia/Shanghai",
	.sections = SECTION_ALL,
	.meeting_wday = 1,
	.meeting_minute = 600,
	.meeting_length = 30,
};

static int
tmpdb_setup(void **state)
{
	struct tmpdb *t = xcalloc(1, sizeof *t);
	const char *base = getenv("TMPDIR");

	if (base == NULL || *base == '\0')
		base = "/tmp";
	snprintf(t->dir, sizeof t->dir, "%s/lihui-test-XXXXXX", base);
	if (mkdtemp(t->dir) == NULL) {
		free(t);
		return -1;
	}
	snprintf(t->path, sizeof t->path, "%s/lihui.db", t->dir);
	*state = t;
	return 0;
}

static int
tmpdb_teardown(void **state)
{
	static const char *const suffixes[] = { "", "-wal", "-shm",
						"-journal" };
	struct tmpdb *t = *state;
	char file[320];
	size_t i;

	for (i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		snprintf(file, sizeof file, "%s%s", t->path, suffixes[i]);
		unlink(file);
	}
	rmdir(t->dir);
	free(t);
	return 0;
}

/* Run a query returning one integer on the raw file; -1 on error. */
static int64_t
raw_int(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int64_t v = -1;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) ==
		SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* Run a statement on the raw file; asserts success. */
static void
raw_exec(const char *path, const char *sql)
{
	sqlite3 *db = NULL;

	assert_int_equal(
	    sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static int64_t
count_rows(const char *path, const char *table)
{
	char sql[128];

	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", table);
	return raw_int(path, sql);
}

/* Assert that the tables and indexes of migration 5 (meetings) exist. */
static void
assert_meeting_schema(const char *path)
{
	assert_int_equal(
	    raw_int(path, "SELECT COUNT(*) FROM sqlite_master "
			  "WHERE type = 'table' AND name IN ('meetings', "
			  "'meeting_items', 'meeting_marks', 'action_items', "
			  "'meeting_ratings')"),
	    5);
	assert_int_equal(
	    raw_int(path, "SELECT COUNT(*) FROM sqlite_master "
			  "WHERE type = 'index' AND name IN ("
			  "'meetings_running', 'meetings_stale', "
			  "'meetings_channel', 'meeting_items_meeting', "
			  "'action_items_state', 'action_items_meeting')"),
	    6);
	/* One running meeting per channel: a unique, partial index. */
	assert_int_equal(raw_int(path, "SELECT \"unique\" + partial FROM "
				       "pragma_index_list('meetings') "
				       "WHERE name = 'meetings_running'"),
			 2);
}

static void
test_open_memory(void **state)
{
	char *cause = NULL;
	struct store *s;

	(void)state;
	assert_int_equal(store_latest_version(), 10);
	s = store_open(":memory:", &cause);
	assert_non_null(s);
	assert_null(cause);
	assert_int_equal(store_version(s), store_latest_version());
	store_close(s);
	store_close(NULL);
}

static void
test_open_bad_version(void **state)
{
	int bad[] = { -1, 0, 100 };
	char *cause;
	size_t i;

	(void)state;
	bad[1] = store_latest_version() + 1;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cause = NULL;
		assert_null(store_open_at(":memory:", bad[i], &cause));
		assert_non_null(cause);
		assert_non_null(strstr(cause, "no schema version"));
		free(cause);
	}
	/* No cause pointer is fine too. */
	assert_null(store_open_at(":memory:", -1, NULL));
}

static void
test_open_bad_path(void **state)
{
	char *cause = NULL;

	(void)state;
	assert_null(store_open("/nonexistent-lihui-dir/sub/lihui.db", &cause));
	assert_non_null(cause);
	assert_non_null(strstr(cause, "cannot open database "
				      "'/nonexistent-lihui-dir/sub/lihui.db'"));
	free(cause);
}

static void
test_open_not_a_database(void **state)
{
	struct tmpdb *t = *state;
	char *cause = NULL;
	FILE *f;

	f = fopen(t->path, "w");
	assert_non_null(f);
	fputs("this is not an sqlite database, just a text file that is long "
	      "enough to have a header\n",
	      f);
	fclose(f);
	assert_null(store_open(t->path, &cause));
	assert_non_null(cause);
	assert_non_null(strstr(cause, "cannot open database"));
	free(cause);
}

static void
test_wal_on_file(void **state)
{
	struct tmpdb *t = *state;
	struct channel c;
	char *cause = NULL, wal[320];
	struct store *s;

	s = store_open(t->path, &cause);
	assert_non_null(s);
	assert_int_equal(store_version(s), store_latest_version());
	assert_int_equal(
	    store_channel_ensure(s, "C1", "ops", &test_defaults, &c, &cause),
	    0);
	channel_release(&c);

	/* A write while open goes to the -wal file. */
	snprintf(wal, sizeof wal, "%s-wal", t->path);
	assert_int_equal(access(wal, F_OK), 0);
	/* Others may read the file while lihui has it open (lihui export,
	 * a backup). */
	assert_int_equal(raw_int(t->path, "SELECT COUNT(*) FROM channels"), 1);
	store_close(s);
	/* The last connection checkpoints and removes it. */
	assert_int_not_equal(access(wal, F_OK), 0);

	/* WAL is persistent: the file itself records it. */
	{
		sqlite3 *db;
		sqlite3_stmt *st;

		assert_int_equal(sqlite3_open(t->path, &db), SQLITE_OK);
		assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode",
						    -1, &st, NULL),
				 SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_string_equal((const char *)sqlite3_column_text(st, 0),
				    "wal");
		sqlite3_finalize(st);
		sqlite3_close(db);
	}
	assert_int_equal(count_rows(t->path, "channels"), 1);
	/* A new file gets small pages (see store.c). */
	assert_int_equal(raw_int(t->path, "PRAGMA page_size"), 1024);
}

static void
test_migrate_empty(void **state)
{
	struct tmpdb *t = *state;
	char *cause = NULL;
	struct store *s;

	/* Version 0: a database with no tables. */
	s = store_open_at(t->path, 0, &cause);
	assert_non_null(s);
	assert_int_equal(store_version(s), 0);
	store_close(s);
	assert_int_equal(raw_int(t->path, "PRAGMA user_version"), 0);
	assert_int_equal(raw_int(t->path, "SELECT COUNT(*) FROM sqlite_master"),
			 0);

	/* Every migration in one go. */
	s = store_open(t->path, &cause);
	assert_non_null(s);
	assert_int_equal(store_version(s), store_latest_version());
	store_close(s);
	assert_int_equal(raw_int(t->path, "PRAGMA user_version"),
			 store_latest_version());
	assert_int_equal(
	    raw_int(t->path, "SELECT COUNT(*) FROM sqlite_master "
			     "WHERE type = 'table' AND name IN ('channels', "
			     "'members', 'cycles', 'reports', 'metrics', "
			     "'agenda_topics', 'jobs', 'outbox')"),
	    8);
	assert_int_equal(raw_int(t->path,
				 "SELECT COUNT(*) FROM sqlite_master "
				 "WHERE type = 'index' AND name IN "
				 "('reports_cycle_user', 'metrics_cycle_name', "
				 "'agenda_topics_cycle', 'outbox_pending')"),
			 4);
	assert_int_equal(raw_int(t->path, "SELECT COUNT(*) FROM "
					  "pragma_table_info('outbox') WHERE "
					  "name IN ('ref', 'target_post')"),
			 2);
	assert_meeting_schema(t->path);

	/* Opening again changes nothing. */
	s = store_open(t->path, &cause);
	assert_non_null(s);
	assert_int_equal(store_version(s), store_latest_version());
	store_close(s);
}

static void
test_migrate_memory_version0(void **state)
{
	char *cause = NULL;
	struct store *s;

	(void)state;
	s = store_open_at(":memory:", 0, &cause);
	assert_non_null(s);
	assert_int_equal(store_version(s), 0);
	/* No tables yet: calls fail cleanly, saying why. */
	assert_int_equal(store_outbox_add(s, OUTBOX_CHANNEL, "C1", NULL, "hi",
					  1, NULL, &cause),
			 -1);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "no such table: outbox"));
	free(cause);
	store_close(s);
}

static void
test_upgrade_from_v1(void **state)
{
	struct tmpdb *t = *state;
	struct report_item *items;
	struct outbox_msg *msgs;
	struct meeting meeting;
	struct member *members;
	struct metric *metrics;
	struct topic *topics;
	struct channel c, again;
	struct cycle cy, cy2;
	char *cause = NULL;
	struct store *s;
	int64_t report_id, topic_id, msg_id, action_id;
	size_t n;
	int added;

	s = store_open_at(t->path, 1, &cause);
	assert_non_null(s);
	assert_int_equal(store_version(s), 1);
	assert_int_equal(store_channel_ensure(s, "C1", "ops-weekly",
					      &test_defaults, &c, &cause),
			 0);
	assert_int_equal(store_roster_add(s, c.id, "alice", &added, &cause), 0);
	assert_int_equal(
	    store_member_set_away(s, c.id, "bob", "2026-02-01", &cause), 0);
	assert_int_equal(
	    store_cycle_ensure(s, c.id, 1767600000, 30, &cy, &cause), 0);
	assert_int_equal(store_report_add(s, cy.id, "alice", SECTION_BLOCKER,
					  "waiting on DNS", "bob", 1767500000,
					  &report_id, &cause),
			 0);
	assert_int_equal(store_metric_set(s, cy.id, "alice", "uptime", 99.95,
					  "%", 1767500001, &cause),
			 0);
	assert_int_equal(store_topic_add(s, cy.id, "Pricing", "alice", 15,
					 "bob", 1767500002, &topic_id, &cause),
			 0);
	assert_int_equal(store_outbox_add(s, OUTBOX_DIRECT, "C1", "alice",
					  "hello", 1767500003, &msg_id, &cause),
			 0);
	store_close(s);
	assert_int_equal(raw_int(t->path, "PRAGMA user_version"), 1);
	assert_int_equal(raw_int(t->path, "SELECT COUNT(*) FROM sqlite_master "
					  "WHERE type = 'index' AND name = "
					  "'reports_cycle_user'"),
			 0);

	s = store_open(t->path, &cause);
	assert_non_null(s);
	assert_null(cause);
	assert_int_equal(store_version(s), store_latest_version());

	assert_int_equal(store_channel_ensure(s, "C1", "other", &test_defaults,
					      &again, &cause),
			 0);
	assert_int_equal(again.id, c.id);
	assert_string_equal(again.name, "ops-weekly");
	assert_string_equal(again.timezone, "Asia/Shanghai");
	channel_release(&again);

	assert_int_equal(store_member_list(s, c.id, 0, &members, &n, &cause),
			 0);
	assert_int_equal(n, 2);
	assert_string_equal(members[0].user_name, "alice");
	assert_true(members[0].on_roster);
	assert_string_equal(members[1].user_name, "bob");
	assert_string_equal(members[1].away_until, "2026-02-01");
	member_list_free(members, n);

	assert_int_equal(
	    store_cycle_ensure(s, c.id, 1767600000, 30, &cy2, &cause), 0);
	assert_int_equal(cy2.id, cy.id);

	assert_int_equal(
	    store_report_list_user(s, cy.id, "alice", &items, &n, &cause), 0);
	assert_int_equal(n, 1);
	assert_int_equal(items[0].id, report_id);
	assert_string_equal(items[0].text, "waiting on DNS");
	assert_string_equal(items[0].helpers, "bob");
	report_item_list_free(items, n);

	assert_int_equal(
	    store_metric_list_cycle(s, cy.id, &metrics, &n, &cause), 0);
	assert_int_equal(n, 1);
	assert_true(metrics[0].value > 99.94 && metrics[0].value < 99.96);
	assert_string_equal(metrics[0].unit, "%");
	metric_list_free(metrics, n);

	assert_int_equal(store_topic_list(s, cy.id, &topics, &n, &cause), 0);
	assert_int_equal(n, 1);
	assert_int_equal(topics[0].id, topic_id);
	topic_list_free(topics, n);

	assert_int_equal(store_outbox_since(s, 0, &msgs, &n, &cause), 0);
	assert_int_equal(n, 1);
	assert_int_equal(msgs[0].id, msg_id);
	assert_string_equal(msgs[0].user, "alice");
	outbox_msg_list_free(msgs, n);

	/* The old channel holds meetings and action items now. */
	assert_int_equal(store_meeting_start(s, c.id, "Weekly", "alice",
					     1767600000, &meeting, &cause),
			 0);
	assert_int_equal(store_action_add(s, c.id, meeting.id, "bob", NULL,
					  "fix DNS", "2026-02-01", "alice",
					  1767600060, &action_id, &cause),
			 0);
	assert_true(action_id > 0);
	meeting_release(&meeting);

	channel_release(&c);
	store_close(s);
	assert_int_equal(raw_int(t->path, "PRAGMA user_version"),
			 store_latest_version());
	assert_int_equal(raw_int(t->path, "SELECT COUNT(*) FROM sqlite_master "
					  "WHERE type = 'index' AND name = "
					  "'reports_cycle_user'"),
			 1);
	assert_meeting_schema(t->path);
}

/*
 * The store has no call that deletes a channel or a meeting; the schema
 * still cascades (or unlinks) what hangs off them, checked on the raw file.
 */
/*
 * Version 10 adds a channel's own times to its schedule row: a version 9
 * row keeps its rule and follows the configuration's times.
 */
static void
test_upgrade_schedule_times(void **state)
{
	struct tmpdb *t = *state;
	struct store_schedule row;
	struct channel c;
	char *cause = NULL;
	struct store *s;
	int found = 0;

	s = store_open_at(t->path, 9, &cause);
	assert_non_null(s);
	assert_int_equal(
	    store_channel_ensure(s, "C1", "ops", &test_defaults, &c, &cause),
	    0);
	assert_int_equal(store_schedule_set(s, c.id, "weekly mon 10:00 60m UTC",
					    "2026-12-28", &cause),
			 0);
	store_close(s);

	s = store_open(t->path, &cause);
	assert_non_null(s);
	assert_int_equal(store_schedule_get(s, c.id, &row, &found, &cause), 0);
	assert_true(found);
	assert_string_equal(row.rule, "weekly mon 10:00 60m UTC");
	assert_string_equal(row.skips, "2026-12-28");
	assert_null(row.window_open);
	assert_null(row.remind_at);
	assert_null(row.agenda_at);
	store_schedule_release(&row);
	/* Setting a time keeps the rule; a channel without a row gets one
	 * with no rule. */
	assert_int_equal(store_schedule_set_time(s, c.id, STORE_SCHEDULE_REMIND,
						 "mon 08:00, sun 20:00",
						 &cause),
			 0);
	assert_int_equal(store_schedule_set_time(s, c.id, STORE_SCHEDULE_AGENDA,
						 "1d 17:00", &cause),
			 0);
	assert_int_equal(store_schedule_set_time(s, c.id, STORE_SCHEDULE_AGENDA,
						 NULL, &cause),
			 0);
	assert_int_equal(store_schedule_get(s, c.id, &row, &found, &cause), 0);
	assert_string_equal(row.rule, "weekly mon 10:00 60m UTC");
	assert_string_equal(row.remind_at, "mon 08:00, sun 20:00");
	assert_null(row.agenda_at);
	store_schedule_release(&row);
	assert_int_equal(store_schedule_set_time(
			     s, c.id + 1, STORE_SCHEDULE_WINDOW, "off", &cause),
			 -1);
	assert_non_null(cause);
	free(cause);
	channel_release(&c);
	store_close(s);
}

static void
test_meeting_cascade(void **state)
{
	struct tmpdb *t = *state;
	struct channel c;
	struct meeting m, m2;
	char *cause = NULL;
	struct store *s;
	int64_t act;

	s = store_open(t->path, &cause);
	assert_non_null(s);
	assert_int_equal(
	    store_channel_ensure(s, "C1", "ops", &test_defaults, &c, &cause),
	    0);
	assert_int_equal(
	    store_meeting_start(s, c.id, "Weekly", "alice", 1, &m, &cause), 0);
	assert_int_equal(store_action_add(s, c.id, m.id, "bob", NULL, "x", NULL,
					  "alice", 2, &act, &cause),
			 0);
	assert_int_equal(store_meeting_item_add(s, m.id, MEETING_ACTION,
						"alice", "x", 2, NULL, act,
						NULL, &cause),
			 0);
	assert_int_equal(store_meeting_mark(s, m.id, "bob", 1, &cause), 0);
	assert_int_equal(store_rating_set(s, m.id, "bob", 4, 3, &cause), 0);
	assert_int_equal(store_meeting_end(s, m.id, 4, 0, &cause), 0);
	assert_int_equal(
	    store_meeting_start(s, c.id, "Next", "alice", 5, &m2, &cause), 0);
	assert_int_equal(store_meeting_item_add(s, m2.id, MEETING_LINE, "bob",
						"hi", 6, NULL, 0, NULL, &cause),
			 0);
	meeting_release(&m);
	meeting_release(&m2);
	channel_release(&c);
	store_close(s);

	/* A meeting goes with its log, marks and ratings; actions stay. */
	raw_exec(t->path, "PRAGMA foreign_keys = ON;"
			  "DELETE FROM meetings WHERE title = 'Weekly'");
	assert_int_equal(count_rows(t->path, "meetings"), 1);
	assert_int_equal(count_rows(t->path, "meeting_items"), 1);
	assert_int_equal(count_rows(t->path, "meeting_marks"), 0);
	assert_int_equal(count_rows(t->path, "meeting_ratings"), 0);
	assert_int_equal(raw_int(t->path, "SELECT COUNT(*) FROM action_items "
					  "WHERE meeting_id IS NULL"),
			 1);

	/* A channel goes with everything of its own. */
	raw_exec(t->path, "PRAGMA foreign_keys = ON; DELETE FROM channels");
	assert_int_equal(count_rows(t->path, "meetings"), 0);
	assert_int_equal(count_rows(t->path, "meeting_items"), 0);
	assert_int_equal(count_rows(t->path, "action_items"), 0);
}

static void
test_refuse_newer(void **state)
{
	struct tmpdb *t = *state;
	char *cause = NULL, sql[64];
	struct store *s;

	s = store_open(t->path, &cause);
	assert_non_null(s);
	store_close(s);

	/* Asking for an older schema than the file has is refused too. */
	assert_null(store_open_at(t->path, 1, &cause));
	assert_non_null(cause);
	assert_non_null(strstr(cause, "newer than the requested 1"));
	free(cause);
	cause = NULL;

	snprintf(sql, sizeof sql, "PRAGMA user_version = %d",
		 store_latest_version() + 1);
	raw_exec(t->path, sql);
	assert_null(store_open(t->path, &cause));
	assert_non_null(cause);
	assert_non_null(strstr(cause, "is newer than this build's"));
	free(cause);
	/* Refusing leaves the file as it was. */
	assert_int_equal(raw_int(t->path, "PRAGMA user_version"),
			 store_latest_version() + 1);
}

/* Number of outbox rows, through the API. */
static size_t
outbox_count(struct store *s)
{
	struct outbox_msg *m;
	char *cause = NULL;
	size_t n;

	assert_int_equal(store_outbox_since(s, 0, &m, &n, &cause), 0);
	outbox_msg_list_free(m, n);
	return n;
}

static void
test_transactions(void **state)
{
	char *cause = NULL;
	struct store *s;

	(void)state;
	s = store_open(":memory:", &cause);
	assert_non_null(s);

	/* Outside a transaction each call commits by itself. */
	assert_int_equal(store_outbox_add(s, OUTBOX_CHANNEL, "C1", NULL, "a", 1,
					  NULL, &cause),
			 0);
	store_rollback(s); /* nothing open: a no-op */
	assert_int_equal(outbox_count(s), 1);

	/* Rolled back. */
	assert_int_equal(store_begin(s, &cause), 0);
	assert_int_equal(store_outbox_add(s, OUTBOX_CHANNEL, "C1", NULL, "b", 2,
					  NULL, &cause),
			 0);
	assert_int_equal(outbox_count(s), 2);
	store_rollback(s);
	assert_int_equal(outbox_count(s), 1);

	/* Committed. */
	assert_int_equal(store_begin(s, &cause), 0);
	assert_int_equal(store_outbox_add(s, OUTBOX_CHANNEL, "C1", NULL, "c", 3,
					  NULL, &cause),
			 0);
	assert_int_equal(store_commit(s, &cause), 0);
	assert_int_equal(outbox_count(s), 2);

	/* A failed call inside leaves earlier ones to the caller's choice. */
	assert_int_equal(store_begin(s, &cause), 0);
	assert_int_equal(store_outbox_add(s, OUTBOX_CHANNEL, "C1", NULL, "d", 4,
					  NULL, &cause),
			 0);
	assert_int_equal(store_report_add(s, 12345, "alice", SECTION_DONE, "x",
					  NULL, 4, NULL, &cause),
			 -1);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "cannot add report: "));
	assert_non_null(strstr(cause, "FOREIGN KEY"));
	free(cause);
	cause = NULL;
	store_rollback(s);
	assert_int_equal(outbox_count(s), 2);

	/* No nesting, and no commit without a begin. */
	assert_int_equal(store_begin(s, &cause), 0);
	assert_int_equal(store_begin(s, &cause), -1);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "cannot begin transaction"));
	free(cause);
	cause = NULL;
	assert_int_equal(store_commit(s, &cause), 0);
	assert_int_equal(store_commit(s, &cause), -1);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "cannot commit transaction"));
	free(cause);

	store_close(s);
}

static void
test_transactions_file(void **state)
{
	struct tmpdb *t = *state;
	char *cause = NULL;
	struct store *s;

	s = store_open(t->path, &cause);
	assert_non_null(s);
	assert_int_equal(store_begin(s, &cause), 0);
	assert_int_equal(store_outbox_add(s, OUTBOX_CHANNEL, "C1", NULL, "a", 1,
					  NULL, &cause),
			 0);
	assert_int_equal(store_commit(s, &cause), 0);
	/* Closing with a transaction open rolls it back. */
	assert_int_equal(store_begin(s, &cause), 0);
	assert_int_equal(store_outbox_add(s, OUTBOX_CHANNEL, "C1", NULL, "b", 2,
					  NULL, &cause),
			 0);
	store_close(s);
	assert_int_equal(count_rows(t->path, "outbox"), 1);

	s = store_open(t->path, &cause);
	assert_non_null(s);
	assert_int_equal(outbox_count(s), 1);
	store_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_memory),
		cmocka_unit_test(test_open_bad_version),
		cmocka_unit_test(test_open_bad_path),
		cmocka_unit_test_setup_teardown(test_open_not_a_database,
						tmpdb_setup, tmpdb_teardown),
		cmocka_unit_test_setup_teardown(test_wal_on_file, tmpdb_setup,
						tmpdb_teardown),
		cmocka_unit_test_setup_teardown(test_migrate_empty, tmpdb_setup,
						tmpdb_teardown),
		cmocka_unit_test(test_migrate_memory_version0),
		cmocka_unit_test_setup_teardown(test_upgrade_from_v1,
						tmpdb_setup, tmpdb_teardown),
		cmocka_unit_test_setup_teardown(test_upgrade_schedule_times,
						tmpdb_setup, tmpdb_teardown),
		cmocka_unit_test_setup_teardown(test_meeting_cascade,
						tmpdb_setup, tmpdb_teardown),
		cmocka_unit_test_setup_teardown(test_refuse_newer, tmpdb_setup,
						tmpdb_teardown),
		cmocka_unit_test(test_transactions),
		cmocka_unit_test_setup_teardown(test_transactions_file,
						tmpdb_setup, tmpdb_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
