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
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <sys/wait.h>
#include <unistd.h>

#include "golden.h"
#include "harness.h"
#include "lihui/bot.h"
#include "lihui/buf.h"
#include "lihui/config.h"
#include "lihui/jobs.h"
#include "lihui/store.h"
#include "lihui/tz.h"
#include "lihui/utf8.h"

#define GOLDEN_DIR "tests/fixtures/schedule/"

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

/*
 * Let the scheduler's timer fire at every job's time up to until, and
 * write each post it made, with its local time, into log.
 */
static void
simulate_in(struct tb *tb, const char *zone, int64_t until, struct buf *log)
{
	struct local_time lt;
	const char *out, *line, *end;
	char *cause = NULL;
	int64_t due;
	size_t len;
	int found = 0;

	for (;;) {
		assert_int_equal(jobs_next_due(&tb->bot, &due, &found, &cause),
				 0);
		if (!found || due > until)
			break;
		tb_clock_set(tb, due);
		out = tb_jobs(tb);
		assert_int_equal(tz_to_local(zone, due, &lt, NULL), 0);
		for (line = out; *line != '\0'; line = end) {
			end = strchr(line, '\n');
			end = end != NULL ? end + 1 : line + strlen(line);
			if (*line != '[')
				continue;
			/* At most 110 bytes of it, whole characters. */
			len = utf8_cut(line, (size_t)(end - line - 1), 110);
			buf_printf(&log[0],
				   "%04d-%02d-%02d %02d:%02d %+03ld:00  %.*s\n",
				   lt.date.year, lt.date.month, lt.date.day,
				   lt.hour, lt.minute, lt.utcoff / 3600,
				   (int)len, line);
		}
	}
	tb_clock_set(tb, until);
}

static void
simulate(struct tb *tb, int64_t until, struct buf *log)
{
	simulate_in(tb, "America/New_York", until, log);
}

/*
 * Two months of a New York team meeting every other Monday: the change
 * to daylight time on 2027-03-14, a holiday skipped, a member on leave,
 * an action item followed until done. Every post and direct message with
 * its local time, against tests/fixtures/schedule/two-months.txt.
 */
static void
test_two_months(void **state)
{
	struct tb *tb = *state;
	struct buf log;

	buf_init(&log, 1024 * 1024);
	/* Wednesday 2027-02-10 12:00 UTC. */
	tb_clock_set(tb, 1802260800);
	tb_cmd(tb, "alice", "/meeting config timezone America/New_York");
	tb_cmd(tb, "alice", "/meeting roster add @alice @bob @carol");
	assert_non_null(strstr(
	    tb_cmd(tb, "alice",
		   "/meeting schedule every 2 weeks mon 10:00 45m"),
	    "[channel] Meeting schedule of #ops: every 2 weeks mon 10:00 45m "
	    "America/New_York from 2027-02-15. Next meeting: 2027-02-15 10:00 "
	    "(America/New_York). Posts: reporting window opens fri 16:00, "
	    "reminders mon 09:00, agenda 30m before each meeting.\n"));
	assert_non_null(strstr(tb_cmd(tb, "alice", "/meeting skip 2027-03-29"),
			       "[channel] No meeting on 2027-03-29 (skipped by "
			       "@alice). Next meeting: 2027-02-15 10:00 "
			       "(America/New_York).\n"));
	tb_cmd(tb, "alice", "/action add @bob 2027-02-19 Prepare the budget");
	tb_cmd(tb, "carol", "/report away until 2027-03-05");
	tb_cmd(tb, "alice", "/report done Hired a designer");

	/* Until Wednesday 2027-02-24 15:00 UTC: bob finishes. */
	simulate(tb, 1803481200, &log);
	tb_cmd(tb, "bob", "/action done 1");
	/* Friday 2027-02-26: bob reports for the 1 March meeting. */
	simulate(tb, 1803600000, &log);
	tb_cmd(tb, "bob", "/report done Closed the books");
	/* To 2027-04-13. */
	simulate(tb, 1807574400, &log);
	golden_check(GOLDEN_DIR, "two-months.txt", buf_str(&log));
	buf_release(&log);
}

/*
 * A Berlin team meeting Mondays and Thursdays at 09:30 across the change
 * to summer time on 2027-03-28, with Easter Monday skipped, in Chinese:
 * against tests/fixtures/schedule/berlin.txt.
 */
static void
test_berlin(void **state)
{
	struct tb *tb = *state;
	struct buf log;

	buf_init(&log, 1024 * 1024);
	/* Monday 2027-03-15 12:00 UTC. */
	tb_clock_set(tb, 1805112000);
	tb_cmd(tb, "alice", "/meeting config locale zh_CN");
	tb_cmd(tb, "alice", "/meeting roster add @alice @bob");
	assert_non_null(strstr(
	    tb_cmd(tb, "alice",
		   "/meeting 日程 每周一、周四 09:30 30分钟 Europe/Berlin"),
	    "from 2027-03-15"));
	assert_non_null(strstr(tb_cmd(tb, "alice", "/meeting 跳过 2027-03-29"),
			       "2027-03-29 不开例会（@alice 已跳过）"));
	tb_cmd(tb, "bob", "/report done 完成了数据迁移");
	/* To Saturday 2027-04-10. */
	simulate_in(tb, "Europe/Berlin", 1807315200, &log);
	golden_check(GOLDEN_DIR, "berlin.txt", buf_str(&log));
	buf_release(&log);
}

/*
 * A reminder time that falls on no day before the meeting ("0d 11:00"
 * before a 10:00 meeting) turns the job off; it does not fail the
 * command that plans it.
 */
static void
test_offset_that_never_fits(void **state)
{
	struct tb *tb = *state;

	tb->config.reminds[0].kind = RECUR_OFFSET_DAYS;
	tb->config.reminds[0].days = 0;
	tb->config.reminds[0].wday = 0;
	tb->config.reminds[0].minute = 11 * 60;
	tb->config.n_reminds = 1;
	assert_string_equal(tb_cmd(tb, "alice", "/report done x"),
			    "[ephemeral @alice] Noted under Done: x\n");
	assert_true(due_of(tb, "remind") > (int64_t)250000000000);
	assert_int_equal(due_of(tb, "agenda"), AGENDA);
}

/* Monday 2026-11-30 00:00 UTC. */
#define MONDAY 1795996800

/*
 * A channel's own times for its posts: set, shown, followed by the jobs,
 * and back to the configuration's with "default".
 */
static void
test_channel_times(void **state)
{
	struct tb *tb = *state;
	const char *out;

	tb_cmd(tb, "alice", "/meeting roster add @alice @bob");
	out = tb_cmd(tb, "alice", "/meeting schedule window thu 12:00");
	assert_non_null(strstr(out, "[channel] @alice changed the posts of "
				    "#ops: reporting window opens thu 12:00, "
				    "reminders mon 09:00, agenda 30m before "
				    "each meeting."));
	assert_int_equal(due_of(tb, "window"), TB_NOW + 4 * HOUR);
	tb_cmd(tb, "alice", "/meeting schedule remind mon 08:00, sun 20:00");
	assert_int_equal(due_of(tb, "remind"), MONDAY - 4 * HOUR);
	tb_cmd(tb, "alice", "/meeting schedule agenda 1d 17:00");
	assert_int_equal(due_of(tb, "agenda"), MONDAY - 7 * HOUR);
	out = tb_cmd(tb, "alice", "/meeting schedule");
	assert_non_null(strstr(out, "Posts: reporting window opens thu "
				    "12:00, reminders mon 08:00, sun 20:00, "
				    "agenda 1d 17:00 before each meeting."));
	/* Stored: a second look (the job planning reads them again). */
	out = tb_cmd(tb, "alice", "/meeting config");
	assert_non_null(strstr(out, "reminders mon 08:00, sun 20:00"));

	/* The jobs run at those times. */
	tb_clock_set(tb, TB_NOW + 4 * HOUR);
	assert_non_null(strstr(tb_jobs(tb), "[channel] Status reports for "
					    "the meeting on 2026-11-30"));
	tb_clock_set(tb, MONDAY - 7 * HOUR);
	assert_true(strncmp(tb_jobs(tb), "[channel] #### ", 15) == 0);
	tb_clock_set(tb, MONDAY - 4 * HOUR);
	out = tb_jobs(tb);
	assert_int_equal(count(out, "[dm @"), 2);
	tb_clock_set(tb, MONDAY + 8 * HOUR);
	assert_int_equal(count(tb_jobs(tb), "[dm @"), 2);
	assert_int_equal(due_of(tb, "remind"), MONDAY + 7 * DAY - 4 * HOUR);

	/* Off, and back to the configuration's. */
	tb_cmd(tb, "alice", "/meeting schedule window off");
	assert_true(due_of(tb, "window") > (int64_t)250000000000);
	out = tb_cmd(tb, "alice", "/meeting schedule agenda default");
	assert_non_null(strstr(out, "no window post, reminders"));
	assert_non_null(strstr(out, "agenda 30m before"));
	assert_int_equal(due_of(tb, "agenda"), AGENDA + 7 * DAY);
	tb_cmd(tb, "alice", "/meeting schedule window default");
	assert_int_equal(due_of(tb, "window"), MONDAY + 4 * DAY + 16 * HOUR);
}

/* The same in Chinese, and what is refused. */
static void
test_channel_times_zh(void **state)
{
	struct tb *tb = *state;

	tb_cmd(tb, "alice", "/meeting config locale zh_CN");
	assert_non_null(strstr(
	    tb_cmd(tb, "alice", "/meeting 日程 提醒 周日 20:00、周一 08:00"),
	    "@alice 修改了 #ops 的定时消息：每次例会前：汇报窗口 fri "
	    "16:00 开放，提醒 sun 20:00, mon 08:00，议程 30m 发布。"));
	assert_int_equal(due_of(tb, "remind"), MONDAY - 4 * HOUR);
	assert_non_null(strstr(tb_cmd(tb, "alice", "/meeting 日程 窗口 关"),
			       "每次例会前：不发汇报窗口通知，提醒"));
	TB_REFUSED(
	    tb,
	    { "alice", "/meeting 日程 提醒",
	      "[ephemeral @alice] 请给出时间；用法：/meeting schedule "
	      "[<星期> <时:分> [<时长>] [每周|每 N 周|每月 ...] [<时区>] | "
	      "窗口 <时间>|关 | 提醒 <时间>|关 | 议程 <时间>]\n" },
	    { "alice", "/meeting 日程 提醒 mon 08:00,",
	      "[ephemeral @alice] 提醒时间为空；多个时间请用逗号分隔；"
	      "用法：/meeting schedule [<星期> <时:分> [<时长>] [每周|每 "
	      "N 周|每月 ...] [<时区>] | 窗口 <时间>|关 | 提醒 <时间>|关 "
	      "| 议程 <时间>]\n" },
	    { "alice",
	      "/meeting 日程 提醒 mon 08:00, mon 09:00, mon 10:00, sun "
	      "10:00, sat 10:00",
	      "[ephemeral @alice] 最多 4 个提醒时间；用法：/meeting "
	      "schedule [<星期> <时:分> [<时长>] [每周|每 N 周|每月 ...] "
	      "[<时区>] | 窗口 <时间>|关 | 提醒 <时间>|关 | 议程 "
	      "<时间>]\n" });
	/* Nothing of a refused change was kept. */
	assert_int_equal(due_of(tb, "remind"), MONDAY - 4 * HOUR);
}

/* The configuration's rule and holidays are a new channel's schedule. */
static void
test_config_schedule(void **state)
{
	struct tb *tb = *state;
	const char *out;

	tb->config.schedule = strdup("every 2 weeks tue 14:00 45m "
				     "Asia/Shanghai");
	tb->config.skip = strdup("2026-12-15");
	out = tb_cmd(tb, "alice", "/meeting schedule");
	assert_non_null(strstr(out, "Meeting schedule of #ops: every 2 weeks "
				    "tue 14:00 45m Asia/Shanghai from "
				    "2026-12-01. Next meeting: 2026-12-01 "
				    "14:00 (Asia/Shanghai). Skipped: "
				    "2026-12-15."));
	/* The channel follows its rule: zone and length. */
	assert_non_null(strstr(tb_cmd(tb, "alice", "/meeting config"),
			       "timezone Asia/Shanghai"));
	/* A channel's own rule is its own from then on. */
	tb_cmd(tb, "alice", "/meeting schedule mon 10:00 UTC");
	assert_non_null(strstr(tb_cmd(tb, "alice", "/meeting schedule"),
			       "weekly mon 10:00"));
}

static void
test_schedule_refusals(void **state)
{
	struct tb *tb = *state;

	TB_REFUSED(
	    tb,
	    { "alice", "/meeting schedule every 2 fortnights",
	      "[ephemeral @alice] 'every 2' needs days, weeks or months after "
	      "it, e.g. 'every 2 weeks'; usage: /meeting schedule [<days> "
	      "<HH:MM> [<length>] [weekly|every N weeks|monthly ...] "
	      "[<zone>] | window <time>|off | remind <times>|off | agenda "
	      "<time>]\n" },
	    { "alice", "/meeting skip 2026-12-01",
	      "[ephemeral @alice] There is no meeting on 2026-12-01 to skip; "
	      "/meeting schedule shows the schedule\n" },
	    { "alice", "/meeting unskip 2026-12-07",
	      "[ephemeral @alice] The meeting on 2026-12-07 is not "
	      "skipped\n" });
}

/* A daemon's view of a database file for the crash tests. */
struct crash {
	char dir[64], path[96];
	struct config config;
	int64_t now;
};

static int64_t
crash_now(void *arg)
{
	return ((const struct crash *)arg)->now;
}

static struct store *
crash_open(struct crash *c, struct bot *b)
{
	struct clock clock = { crash_now, c };
	char *cause = NULL;
	struct store *s = store_open(c->path, &cause);

	assert_non_null(s);
	bot_init(b, &c->config, s, clock, 16383);
	/* As in the daemon: units of work go into batches. */
	store_set_batching(s, 1);
	return s;
}

static size_t
crash_posts(struct crash *c)
{
	struct outbox_msg *m = NULL;
	struct bot b;
	struct store *s = crash_open(c, &b);
	char *cause = NULL;
	size_t n = 0;

	assert_int_equal(store_outbox_since(s, 0, &m, &n, &cause), 0);
	outbox_msg_list_free(m, n);
	store_close(s);
	return n;
}

/*
 * A child process, the daemon, runs the jobs due at c->now and is killed
 * (SIGKILL) before or after its batch is committed.
 */
static void
crash_run(struct crash *c, int commit)
{
	struct bot b;
	struct store *s;
	size_t ran = 0;
	char *cause = NULL;
	int status = 0;
	pid_t pid;

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		s = crash_open(c, &b);
		/* The agenda (and the action reminders, skipped: days
		 * late). */
		if (jobs_run_due(&b, c->now, 100, &ran, &cause) != 0 ||
		    ran == 0)
			_exit(3);
		if (commit && store_flush(s, &cause) != 0)
			_exit(4);
		kill(getpid(), SIGKILL);
		_exit(5);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFSIGNALED(status))
		fail_msg("the child exited with %d", WEXITSTATUS(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);
}

/*
 * Killed right before a job's transaction is committed: after the
 * restart the job is still due and runs, once. Killed right after:
 * its post is there, once, and the job does not run again.
 */
static void
test_killed_around_a_run(void **state)
{
	const char *base = getenv("TMPDIR");
	struct crash c;
	struct channel defaults, ch;
	struct bot b;
	struct store *s;
	size_t ran = 0;
	char *cause = NULL;
	int planned = 0;

	(void)state;
	memset(&c, 0, sizeof c);
	snprintf(c.dir, sizeof c.dir, "%s/lihui-jobs-XXXXXX",
		 base != NULL && *base != '\0' ? base : "/tmp");
	assert_non_null(mkdtemp(c.dir));
	snprintf(c.path, sizeof c.path, "%s/lihui.db", c.dir);
	config_defaults(&c.config);
	c.config.n_reminds = 0;
	c.config.window_off = 1;
	c.now = TB_NOW;
	s = crash_open(&c, &b);
	bot_channel_defaults(&c.config, &defaults);
	assert_int_equal(store_begin(s, &cause), 0);
	assert_int_equal(
	    store_channel_ensure(s, "C1", "ops", &defaults, &ch, &cause), 0);
	assert_int_equal(jobs_ensure(&b, &ch, c.now, &planned, &cause), 0);
	assert_int_equal(store_commit(s, &cause), 0);
	assert_int_equal(store_flush(s, &cause), 0);
	channel_release(&ch);
	store_close(s);

	/* The agenda's time: killed before the commit. */
	c.now = AGENDA;
	crash_run(&c, 0);
	assert_int_equal(crash_posts(&c), 0);
	/* Killed after the commit: the agenda is posted, once. */
	crash_run(&c, 1);
	assert_int_equal(crash_posts(&c), 1);
	/* Restarted: nothing of it is due any more. */
	s = crash_open(&c, &b);
	assert_int_equal(jobs_run_due(&b, c.now, 100, &ran, &cause), 0);
	assert_int_equal(ran, 0);
	store_close(s);
	assert_int_equal(crash_posts(&c), 1);

	config_release(&c.config);
	unlink(c.path);
	snprintf(c.path, sizeof c.path, "%s/lihui.db-wal", c.dir);
	unlink(c.path);
	snprintf(c.path, sizeof c.path, "%s/lihui.db-shm", c.dir);
	unlink(c.path);
	rmdir(c.dir);
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
		cmocka_unit_test(test_killed_around_a_run),
		cmocka_unit_test_setup_teardown(test_two_months, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_berlin, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_offset_that_never_fits,
						tb_setup, tb_teardown),
		cmocka_unit_test_setup_teardown(test_channel_times, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_channel_times_zh, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_config_schedule, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_schedule_refusals,
						tb_setup, tb_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
