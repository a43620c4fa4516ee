/* SPDX-License-Identifier: MIT */
/*
 * test-jobs.c: the scheduled jobs through the real dispatcher and store
 * with a fake clock: planning, running once, catching up after downtime,
 * the action-item reminders, daylight-saving changes and quiet hours.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"
#include "lihui/jobs.h"
#include "lihui/store.h"

#define HOUR 3600
#define DAY  86400
/* Thursday 2026-11-26 09:00 UTC: the first action reminders. */
#define REMIND (TB_NOW + HOUR)
/* Monday 2026-11-30 09:30 UTC: the agenda, half an hour before 10:00. */
#define AGENDA 1796031000

static int64_t
due_of(struct tb *tb, const char *kind)
{
	struct job j;
	char *cause = NULL;
	int found = 0;

	assert_int_equal(store_job_find(tb->store, 1, kind, &j, &found, &cause),
			 0);
	assert_true(found);
	return j.due;
}

/* How often needle occurs in hay. */
static int
count(const char *hay, const char *needle)
{
	int n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

/* A channel's first command plans its jobs. */
static void
test_planned_on_first_use(void **state)
{
	struct tb *tb = *state;

	tb_cmd(tb, "alice", "/report done x");
	assert_int_equal(due_of(tb, "agenda"), AGENDA);
	assert_int_equal(due_of(tb, "actions"), REMIND);
	/* Nothing is due yet. */
	assert_string_equal(tb_jobs(tb), "");
}

/* The agenda is posted once at its time, then planned a week later. */
static void
test_agenda_once(void **state)
{
	struct tb *tb = *state;
	const char *out;

	tb_cmd(tb, "alice", "/report done Shipped the login page");
	tb_clock_set(tb, AGENDA);
	out = tb_jobs(tb);
	assert_true(strncmp(out, "[channel] #### ", 15) == 0);
	assert_non_null(strstr(out, "Shipped the login page"));
	assert_int_equal(count(out, "[channel] "), 1);
	/* The timer firing again at the same time finds nothing due. */
	assert_string_equal(tb_jobs(tb), "");
	assert_int_equal(due_of(tb, "agenda"), AGENDA + 7 * DAY);
}

/* Down for 30 minutes: the agenda goes out once on return. */
static void
test_catch_up_within_grace(void **state)
{
	struct tb *tb = *state;
	const char *out;

	tb_cmd(tb, "alice", "/report done x");
	tb_clock_set(tb, AGENDA + 30 * 60);
	out = tb_jobs(tb);
	assert_int_equal(count(out, "[channel] #### "), 1);
	assert_string_equal(tb_jobs(tb), "");
	assert_int_equal(due_of(tb, "agenda"), AGENDA + 7 * DAY);
}

/* Down for 3 hours: skipped (a log line), planned for next week. */
static void
test_skipped_past_grace(void **state)
{
	struct tb *tb = *state;

	tb_cmd(tb, "alice", "/report done x");
	tb_clock_set(tb, AGENDA + 3 * HOUR);
	assert_int_equal(count(tb_jobs(tb), "[channel] #### "), 0);
	assert_int_equal(due_of(tb, "agenda"), AGENDA + 7 * DAY);
	/* Every missed daily reminder collapsed into the next one. */
	assert_int_equal(due_of(tb, "actions"), REMIND + 5 * DAY);
}

/* A run is recorded for the due time it ran for, once. */
static void
test_done_checks_due(void **state)
{
	struct tb *tb = *state;
	struct job j;
	char *cause = NULL;
	int found = 0;

	tb_cmd(tb, "alice", "/report done x");
	assert_int_equal(
	    store_job_find(tb->store, 1, "agenda", &j, &found, &cause), 0);
	assert_int_equal(
	    store_job_done(tb->store, j.id, j.due, j.due + DAY, &cause), 0);
	/* A second record for the same time is refused. */
	assert_int_equal(
	    store_job_done(tb->store, j.id, j.due, j.due + 2 * DAY, &cause),
	    -1);
	assert_non_null(strstr(cause, "no longer due"));
	free(cause);
	assert_int_equal(due_of(tb, "agenda"), j.due + DAY);
}

/* Owners hear the day before, on the day and every day while overdue;
 * the chair (here: who added it) at three days; done stops it. */
static void
test_action_reminders(void **state)
{
	struct tb *tb = *state;
	const char *out;

	tb_cmd(tb, "alice", "/action add @bob 2026-11-27 Prepare the budget");
	tb_cmd(tb, "alice", "/action add @carol today Book the venue");
	tb_cmd(tb, "alice", "/action add @dave today Renew the certificate");
	tb_cmd(tb, "alice", "/action add @erin 2026-12-24 Far away");
	tb_clock_set(tb, REMIND);
	out = tb_jobs(tb);
	assert_string_equal(
	    out, "[dm @bob] Action item #1 (ops) is due tomorrow, 2026-11-27: "
		 "Prepare the budget\nWhen it is done: /action done 1\n"
		 "[dm @carol] Action item #2 (ops) is due today: Book the "
		 "venue\nWhen it is done: /action done 2\n"
		 "[dm @dave] Action item #3 (ops) is due today: Renew the "
		 "certificate\nWhen it is done: /action done 3\n");

	tb_clock_set(tb, REMIND + DAY);
	out = tb_jobs(tb);
	assert_non_null(strstr(out, "[dm @bob] Action item #1 (ops) is due "
				    "today"));
	assert_non_null(strstr(
	    out, "[dm @carol] Action item #2 (ops) is 1 day overdue (due "
		 "2026-11-26): Book the venue\nWhen it is done: /action done "
		 "2; a new deadline: /action due 2 <date>\n"));
	tb_clock_set(tb, REMIND + 2 * DAY);
	out = tb_jobs(tb);
	assert_int_equal(count(out, "[dm @"), 3);
	assert_int_equal(count(out, "2 days overdue"), 2);

	tb_clock_set(tb, REMIND + 3 * DAY);
	out = tb_jobs(tb);
	assert_int_equal(count(out, "3 days overdue"), 4);
	assert_non_null(strstr(out, "[dm @alice] Action item #2 (ops) of "
				    "@carol is 3 days overdue (due "
				    "2026-11-26): Book the venue\n"));
	assert_non_null(strstr(out, "[dm @alice] Action item #3 (ops) of "
				    "@dave is 3 days overdue"));

	tb_cmd(tb, "dave", "/action done 3");
	tb_clock_set(tb, REMIND + 4 * DAY);
	out = tb_jobs(tb);
	assert_null(strstr(out, "@dave"));
	assert_non_null(strstr(out, "[dm @carol] Action item #2 (ops) is 4 "
				    "days overdue"));
	/* The chair heard of carol's once, at three days. */
	assert_null(strstr(out, "[dm @alice] Action item #2"));
	assert_non_null(strstr(out, "[dm @alice] Action item #1 (ops) of "
				    "@bob is 3 days overdue"));
	assert_null(strstr(out, "Far away"));
}

/* A 10:00 New York meeting stays 10:00 local across the change to
 * daylight time: the agenda at 09:30 EST, then 09:30 EDT. */
static void
test_agenda_across_dst(void **state)
{
	static const int64_t want[] = { 1803911400, 1804516200, 1805117400,
					1805722200 };
	struct tb *tb = *state;
	size_t i;

	tb_cmd(tb, "alice", "/meeting config timezone America/New_York");
	/* 2027-03-01: months later; what was missed is skipped. */
	tb_clock_set(tb, 1803859200);
	tb_jobs(tb);
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		assert_int_equal(due_of(tb, "agenda"), want[i]);
		tb_clock_set(tb, want[i]);
		assert_int_equal(count(tb_jobs(tb), "[channel] #### "), 1);
	}
}

static void
test_next_daily(void **state)
{
	int64_t t;
	char *cause = NULL;

	(void)state;
	/* At 08:00 UTC: 12:00 today. */
	assert_int_equal(jobs_next_daily("UTC", TB_NOW, 12 * 60, 22 * 60,
					 8 * 60, &t, &cause),
			 0);
	assert_int_equal(t, TB_NOW + 4 * HOUR);
	/* 23:00 falls in the quiet hours: 08:00, and today's is not after
	 * now, so tomorrow's. */
	assert_int_equal(jobs_next_daily("UTC", TB_NOW, 23 * 60, 22 * 60,
					 8 * 60, &t, &cause),
			 0);
	assert_int_equal(t, TB_NOW + DAY);
	/* Quiet hours within a day; equal bounds: none. */
	assert_int_equal(jobs_next_daily("UTC", TB_NOW, 14 * 60, 13 * 60,
					 15 * 60, &t, &cause),
			 0);
	assert_int_equal(t, TB_NOW + 7 * HOUR);
	assert_int_equal(
	    jobs_next_daily("UTC", TB_NOW, 23 * 60, 8 * 60, 8 * 60, &t, &cause),
	    0);
	assert_int_equal(t, TB_NOW + 15 * HOUR);
	/* 02:30 does not exist in New York on 2027-03-14: 03:30 EDT. */
	assert_int_equal(jobs_next_daily("America/New_York", 1805000400,
					 2 * 60 + 30, 0, 0, &t, &cause),
			 0);
	assert_int_equal(t, 1805009400);
	/* 01:30 happens twice on 2027-11-07: the first (EDT). */
	assert_int_equal(jobs_next_daily("America/New_York", 1825560000,
					 60 + 30, 0, 0, &t, &cause),
			 0);
	assert_int_equal(t, 1825565400);
	/* The day after at the same local time: 24 h later is not it. */
	assert_int_equal(jobs_next_daily("America/New_York", 1825565400,
					 60 + 30, 0, 0, &t, &cause),
			 0);
	assert_int_equal(t, 1825565400 + DAY + HOUR);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_planned_on_first_use,
						tb_setup, tb_teardown),
		cmocka_unit_test_setup_teardown(test_agenda_once, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_catch_up_within_grace,
						tb_setup, tb_teardown),
		cmocka_unit_test_setup_teardown(test_skipped_past_grace,
						tb_setup, tb_teardown),
		cmocka_unit_test_setup_teardown(test_done_checks_due, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_action_reminders, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_agenda_across_dst,
						tb_setup, tb_teardown),
		cmocka_unit_test(test_next_daily),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
