/* SPDX-License-Identifier: MIT */
/*
 * bench-slack.c: the Slack adapter's Socket Mode through the whole daemon
 * (issue 6). Starts ./lihui (adapter = slack, mode = socket, api_url the
 * fake) as a child process with the harness of tests/lib/itest.h,
 * against the fake Slack of tests/lib/fake-slack.h on this program's
 * loop, and measures:
 *
 *   1. COMMANDS slash commands "/report done <n>" (default 20,000, from
 *      1,000 users in one channel: a report holds at most 100 entries) one
 *      at a time, then COMMANDS more with 64 in flight: acknowledgement
 *      latency p50/p99/max (from the push to the ack), commands per
 *      second (the first push to the last ack) and the daemon's CPU
 *      seconds per 10,000 commands (utime + stime from /proc/PID/stat).
 *      Every command is stored durably: lihui's default configuration,
 *      whose acks wait until the batch holding the command is synced.
 *      Targets: p99 < 5 ms with 64 in flight, < 0.1 CPU-s per 10,000.
 *      Each command's answer must come back, in its ack or by
 *      chat.postEphemeral.
 *   2. Resident memory (VmRSS, VmHWM, RssAnon, RssFile) of the connected
 *      daemon, idle before the first command and one second after the
 *      load, and its CPU time during that idle second. Target: < 10 MB.
 *   3. A "refresh_requested" disconnect (the old connection closed
 *      CLOSE_AFTER_MS later, default 1,000; -1: never) once half of
 *      another COMMANDS with 64 in flight were pushed: the gap without a
 *      connection (from the disconnect to the hello of the new one), the
 *      longest time between two acks from the disconnect to 500 ms after
 *      the old connection closed (and over the whole run, as in the run
 *      without a disconnect) and the envelopes lost (pushed, never
 *      acked; a run with nothing acked or pushed for BENCH_QUIET_MS is
 *      over). Target: gap < 100 ms, none lost.
 *
 * How it works. A uv_check handle runs after each poll phase of the loop:
 * it notes the envelopes acked since (the fake records each ack as it
 * reads it) with uv_hrtime(), then pushes new commands until the window
 * (1 or 64) is full again. Latency is from just after
 * fake_slack_push_command() returned (the envelope written to the socket)
 * to the turn of the loop that read the ack, in nanoseconds; the fake's
 * own millisecond stamps (sent_ms, ack_ms) give the same p99 to within a
 * millisecond and are printed as a check, and so is this program's own
 * CPU time (to show the driver is not the limit). With taskset and two
 * CPUs or more, the daemon runs on CPU 1 ($LIHUI is wrapped in
 * "taskset -c 1") and this program on CPU 0. The database goes in the harness's
 * directory under /tmp (the VM's disk).
 *
 * Usage: build/bench/bench-slack [COMMANDS [CLOSE_AFTER_MS]]
 * Not a test of figures: nothing is timed against a target. It runs as
 * one cmocka test (so the daemon is killed if something breaks) and
 * exits non-zero only when an envelope is lost, a command is not
 * answered or the daemon breaks.
 */

#define _GNU_SOURCE /* sched_setaffinity */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sched.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uv.h>

#include "fake-slack.h"
#include "itest.h"
#include "lihui/xmalloc.h"

#define BENCH_BOT_TOKEN "xoxb-bench-b0t-t0ken-s3cr3t"
#define BENCH_APP_TOKEN "xapp-1-bench-app-t0ken-s3cr3t"
#define BENCH_CONNECTED "socket mode: connected"
#define BENCH_SWITCHED	"socket mode: switched to the new connection"
#define BENCH_NOTED	"Noted under"
#define BENCH_COMMANDS	20000L
#define BENCH_CLOSE_MS	1000L
#define BENCH_WINDOW	64
#define BENCH_USERS	1000
/* How long a run may take, and how long without an ack means lost. */
#define BENCH_RUN_MS	120000
#define BENCH_QUIET_MS	5000
#define BENCH_SETTLE_MS 1000

static const char *const bench_secrets[] = { BENCH_BOT_TOKEN, BENCH_APP_TOKEN,
					     NULL };

/* One run of commands: what the check handle drives. */
struct bench_run {
	long n;		      /* commands */
	long window;	      /* in flight at most */
	long disc_at;	      /* disconnect at this push; -1: never */
	long close_ms;	      /* the old connection closes after */
	size_t base;	      /* envelope index of the first command */
	long pushed;	      /* commands pushed */
	long acked;	      /* commands seen acked */
	long lo;	      /* the oldest command not seen acked */
	uint64_t *push;	      /* uv_hrtime() after each push */
	uint64_t *lat;	      /* push to ack, ns (0 until acked) */
	uint64_t t0;	      /* the first push */
	uint64_t t_last;      /* the latest ack seen */
	uint64_t max_gap;     /* longest time between two acks */
	uint64_t max_gap_end; /* when that gap ended */
	uint64_t disc_gap;    /* longest ending in the disconnect's span */
	uint64_t t_disc;      /* the disconnect was sent */
	uint64_t t_hello;     /* the new connection's hello */
	int conns_before;     /* WebSocket upgrades before it */
	double user, sys;     /* the daemon's CPU seconds in the run */
	double driver;	      /* this program's CPU seconds */
};

struct bench {
	struct itest_daemon d; /* lihui, the loop, the waits */
	struct fake_slack *sl;
	uv_check_t check;
	struct bench_run *run; /* the run the check handle drives */
	long commands;
	long close_ms;
	long number; /* the next "/report done <number>" */
	int broken;  /* a command was not answered */
};

/* /proc. */

static char *
bench_read_proc(int pid, const char *name)
{
	char path[64], *s = xmalloc(8192);
	FILE *f;
	size_t n;

	snprintf(path, sizeof path, "/proc/%d/%s", pid, name);
	f = fopen(path, "r");
	n = f != NULL ? fread(s, 1, 8191, f) : 0;
	if (f != NULL)
		fclose(f);
	s[n] = '\0';
	return s;
}

/* User and system CPU time of pid so far, in seconds. */
static void
bench_cpu_seconds(int pid, double *user, double *sys)
{
	char *s = bench_read_proc(pid, "stat"), *p, *end;
	unsigned long long utime = 0, stime = 0;
	int field;

	/* After the command name: the state is field 3, utime field 14. */
	p = strrchr(s, ')');
	for (field = 2; p != NULL && field < 14; field++)
		p = strchr(p + 1, ' ');
	if (p != NULL) {
		utime = strtoull(p + 1, &end, 10);
		stime = strtoull(end, NULL, 10);
	}
	free(s);
	*user = (double)utime / (double)sysconf(_SC_CLK_TCK);
	*sys = (double)stime / (double)sysconf(_SC_CLK_TCK);
}

static long
bench_status_kb(const char *status, const char *key)
{
	const char *p = strstr(status, key);

	return p != NULL ? strtol(p + strlen(key), NULL, 10) : -1;
}

/* Print pid's resident memory, in MB. */
static void
bench_print_memory(int pid, const char *when)
{
	char *s = bench_read_proc(pid, "status");

	printf("resident memory, %s: VmRSS %.1f MB (peak VmHWM %.1f MB; "
	       "RssAnon %.1f + RssFile %.1f)\n",
	       when, bench_status_kb(s, "VmRSS:") / 1024.0,
	       bench_status_kb(s, "VmHWM:") / 1024.0,
	       bench_status_kb(s, "RssAnon:") / 1024.0,
	       bench_status_kb(s, "RssFile:") / 1024.0);
	free(s);
}

/* This process's user plus system CPU time so far, in seconds. */
static double
bench_self_cpu(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return 0.0;
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* Print the daemon's CPU time over ms of idleness (the loop runs). */
static void
bench_idle_cpu(struct bench *b, const char *when)
{
	double u0, s0, u1, s1;

	bench_cpu_seconds(b->d.proc.pid, &u0, &s0);
	itest_settle(&b->d, BENCH_SETTLE_MS);
	bench_cpu_seconds(b->d.proc.pid, &u1, &s1);
	u1 += s1 - u0 - s0;
	printf("daemon CPU while idle for %d ms %s: %.2f s\n", BENCH_SETTLE_MS,
	       when, u1 > 0.0 ? u1 : 0.0);
}

/* The driver. */

static void
bench_user_id(char out[32], long n)
{
	snprintf(out, 32, "UB%08ld", n % BENCH_USERS);
}

static void
bench_push(struct bench *b, struct bench_run *r)
{
	char user[32], text[32];

	bench_user_id(user, b->number);
	snprintf(text, sizeof text, "done %ld", b->number++);
	fake_slack_push_command(b->sl, "/report", text, user,
				FAKE_SLACK_CHANNEL_ID);
	r->push[r->pushed] = uv_hrtime();
	if (r->pushed == 0)
		r->t0 = r->push[0];
	r->pushed++;
}

/*
 * After each poll phase: note the acks that came, then fill the window.
 * The fake counts acks in the envelope records, in push order.
 */
static void
bench_on_check(uv_check_t *h)
{
	struct bench *b = h->data;
	struct bench_run *r = b->run;
	const struct fake_slack_envelope *e;
	uint64_t now = uv_hrtime();
	long i;

	if (r == NULL)
		return;
	for (i = r->lo; i < r->pushed; i++) {
		if (r->lat[i] != 0)
			continue;
		e = fake_slack_envelope_at(b->sl, r->base + (size_t)i);
		if (e == NULL || e->acks == 0)
			continue;
		r->lat[i] = now - r->push[i] > 0 ? now - r->push[i] : 1;
		if (r->acked > 0 && now - r->t_last > r->max_gap) {
			r->max_gap = now - r->t_last;
			r->max_gap_end = now;
		}
		/* From the disconnect to 500 ms after the old one closed. */
		if (r->acked > 0 && r->t_disc != 0 &&
		    now - r->t_disc <=
			(uint64_t)(r->close_ms + 500) * 1000000 &&
		    now - r->t_last > r->disc_gap)
			r->disc_gap = now - r->t_last;
		r->t_last = now;
		r->acked++;
	}
	while (r->lo < r->pushed && r->lat[r->lo] != 0)
		r->lo++;
	if (r->t_disc != 0 && r->t_hello == 0 &&
	    fake_slack_ws_connections(b->sl) > r->conns_before)
		r->t_hello = now;
	while (r->pushed < r->n && r->pushed - r->acked < r->window) {
		if (r->pushed == r->disc_at) {
			r->conns_before = fake_slack_ws_connections(b->sl);
			if (fake_slack_ws_disconnect(b->sl, "refresh_requested",
						     r->close_ms) != 0)
				fail_msg("no connection to disconnect");
			r->t_disc = uv_hrtime();
		}
		bench_push(b, r);
	}
}

/*
 * Every command acked, or nothing acked or pushed for BENCH_QUIET_MS (the
 * rest is lost: a lost envelope also stalls a window of 1).
 */
static int
bench_run_over(void *ctx, const void *arg)
{
	const struct bench_run *r = arg;
	uint64_t last;

	(void)ctx;
	if (r->acked == r->n)
		return 1;
	if (r->pushed == 0)
		return 0;
	last = r->t_last > r->push[r->pushed - 1] ? r->t_last
						  : r->push[r->pushed - 1];
	return uv_hrtime() - last > (uint64_t)BENCH_QUIET_MS * 1000000;
}

static int
bench_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The q-quantile of the n sorted values v, in ms. */
static double
bench_quantile_ms(const uint64_t *v, size_t n, double q)
{
	size_t i = (size_t)(q * (double)(n - 1) + 0.5);

	return n == 0 ? 0.0 : (double)v[i] / 1e6;
}

/* Acks of envelopes [from, to) carrying the report's answer. */
static long
bench_noted_acks(const struct bench *b, size_t from, size_t to)
{
	const struct fake_slack_envelope *e;
	long n = 0;

	for (; from < to; from++) {
		e = fake_slack_envelope_at(b->sl, from);
		if (e != NULL && e->acks > 0 && e->ack_payload != NULL &&
		    strstr(e->ack_payload, BENCH_NOTED) != NULL)
			n++;
	}
	return n;
}

/* The report's answers sent by chat.postEphemeral instead. */
static long
bench_noted_ephemerals(const struct bench *b)
{
	size_t i, n = 0;

	for (i = 0; i < fake_slack_ephemeral_count(b->sl); i++)
		if (strstr(fake_slack_ephemeral_at(b->sl, i)->text,
			   BENCH_NOTED) != NULL)
			n++;
	return (long)n;
}

/* Every command answered (in its ack or by chat.postEphemeral). */
static int
bench_all_answered(void *ctx, const void *arg)
{
	const struct bench *b = ctx;

	(void)arg;
	return bench_noted_acks(b, 0, fake_slack_envelope_count(b->sl)) +
		   bench_noted_ephemerals(b) >=
	       3 * b->commands;
}

/* Print what a run measured; returns the commands lost. */
static long
bench_report(struct bench *b, struct bench_run *r, const char *what)
{
	uint64_t *sorted = xcalloc((size_t)r->n, sizeof *sorted), *fake;
	const struct fake_slack_envelope *e;
	size_t n = 0, nf = 0;
	long i, lost = r->pushed - r->acked;
	long noted = bench_noted_acks(b, r->base, r->base + (size_t)r->n);
	double secs = (double)(r->t_last - r->t0) / 1e9;

	fake = xcalloc((size_t)r->n, sizeof *fake);
	for (i = 0; i < r->n; i++) {
		if (r->lat[i] != 0)
			sorted[n++] = r->lat[i];
		e = fake_slack_envelope_at(b->sl, r->base + (size_t)i);
		if (e != NULL && e->acks > 0)
			fake[nf++] = (e->ack_ms - e->sent_ms) * 1000000;
	}
	qsort(sorted, n, sizeof *sorted, bench_cmp_u64);
	qsort(fake, nf, sizeof *fake, bench_cmp_u64);
	printf("%s: %ld commands, window %ld\n", what, r->n, r->window);
	printf("  ack latency p50 %.3f ms, p99 %.3f ms, max %.3f ms "
	       "(the fake's ms clock: p50 %.0f, p99 %.0f, max %.0f ms)\n",
	       bench_quantile_ms(sorted, n, 0.5),
	       bench_quantile_ms(sorted, n, 0.99),
	       bench_quantile_ms(sorted, n, 1.0),
	       bench_quantile_ms(fake, nf, 0.5),
	       bench_quantile_ms(fake, nf, 0.99),
	       bench_quantile_ms(fake, nf, 1.0));
	printf("  throughput %.0f commands/s (%.2f s); daemon CPU %.2f s "
	       "(user %.2f, system %.2f): %.3f CPU-s per 10,000 commands\n",
	       secs > 0 ? (double)r->acked / secs : 0.0, secs, r->user + r->sys,
	       r->user, r->sys, (r->user + r->sys) * 10000.0 / (double)r->n);
	printf("  longest time between two acks %.1f ms; the driver's CPU "
	       "%.2f s\n",
	       (double)r->max_gap / 1e6, r->driver);
	if (r->disc_at >= 0) {
		printf("  refresh_requested after %ld pushes, the old "
		       "connection closed %ld ms later: the new connection's "
		       "hello %s%.1f ms after the disconnect; longest time "
		       "between two acks from the disconnect to 500 ms after "
		       "the close %.1f ms (the run's longest ended %.1f ms "
		       "from the disconnect)\n",
		       r->disc_at, r->close_ms,
		       r->t_hello != 0 ? "" : "never, ",
		       r->t_hello != 0 ? (double)(r->t_hello - r->t_disc) / 1e6
				       : 0.0,
		       (double)r->disc_gap / 1e6,
		       ((double)r->max_gap_end - (double)r->t_disc) / 1e6);
	}
	printf("  envelopes lost (pushed, never acked): %ld%s; answers in "
	       "the ack: %ld (the rest by chat.postEphemeral)\n",
	       lost, r->pushed < r->n ? " (and the run stalled)" : "", noted);
	free(sorted);
	free(fake);
	return lost + (r->n - r->pushed);
}

/* Run n commands with window in flight (disconnecting at disc_at). */
static long
bench_commands(struct bench *b, const char *what, long window, long disc_at)
{
	struct bench_run r;
	double user0, sys0;
	long lost;

	memset(&r, 0, sizeof r);
	r.n = b->commands;
	r.window = window;
	r.disc_at = disc_at;
	r.close_ms = b->close_ms;
	r.base = fake_slack_envelope_count(b->sl);
	r.push = xcalloc((size_t)r.n, sizeof *r.push);
	r.lat = xcalloc((size_t)r.n, sizeof *r.lat);
	bench_cpu_seconds(b->d.proc.pid, &user0, &sys0);
	r.driver = bench_self_cpu();
	b->run = &r;
	bench_on_check(&b->check); /* the first pushes */
	if (itest_wait(&b->d, bench_run_over, &r, BENCH_RUN_MS) != 0)
		fail_msg("%s: not over after %d s (%ld of %ld acked)", what,
			 BENCH_RUN_MS / 1000, r.acked, r.n);
	b->run = NULL;
	r.driver = bench_self_cpu() - r.driver;
	bench_cpu_seconds(b->d.proc.pid, &r.user, &r.sys);
	r.user -= user0;
	r.sys -= sys0;
	if (!b->d.running) {
		itest_dump_log(&b->d);
		fail_msg("lihui exited during %s (status %lld, signal %d)",
			 what, (long long)b->d.exit_status, b->d.term_signal);
	}
	lost = bench_report(b, &r, what);
	free(r.push);
	free(r.lat);
	fflush(stdout);
	return lost;
}

/* Setup. */

/* Pin this process to CPU 0 and the daemon to CPU 1, if there are two. */
static void
bench_pin(void)
{
	const char *lihui = getenv("LIHUI");
	cpu_set_t set;
	char *wrapped;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2 ||
	    access("/usr/bin/taskset", X_OK) != 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	if (sched_setaffinity(0, sizeof set, &set) != 0)
		return;
	wrapped =
	    xasprintf("/usr/bin/taskset -c 1 %s",
		      lihui != NULL && *lihui != '\0' ? lihui : "./lihui");
	setenv("LIHUI", wrapped, 1);
	free(wrapped);
	printf("daemon on CPU 1, driver on CPU 0\n");
}

/* The parameters from the command line: the test's initial state. */
struct bench_args {
	long commands;
	long close_ms;
};

static int
bench_setup(void **state)
{
	const struct bench_args *a = *state;
	struct bench *b = xcalloc(1, sizeof *b);
	char *cause = NULL, id[32], name[32];
	long i;

	b->commands = a->commands;
	b->close_ms = a->close_ms;
	itest_init(&b->d, b, bench_secrets);
	b->sl = fake_slack_new(&b->d.loop, BENCH_BOT_TOKEN, BENCH_APP_TOKEN,
			       &cause);
	if (b->sl == NULL)
		fail_msg("cannot start the fake Slack: %s", cause);
	for (i = 0; i < BENCH_USERS; i++) {
		bench_user_id(id, i);
		snprintf(name, sizeof name, "user%04ld", i);
		fake_slack_add_user(b->sl, id, name, NULL, NULL);
	}
	uv_check_init(&b->d.loop, &b->check);
	b->check.data = b;
	uv_check_start(&b->check, bench_on_check);
	*state = b;
	return 0;
}

static int
bench_teardown(void **state)
{
	struct bench *b = *state;

	uv_close((uv_handle_t *)&b->check, NULL);
	fake_slack_close(b->sl);
	itest_release(&b->d);
	free(b);
	return 0;
}

static int
bench_cond_log(void *ctx, const void *needle)
{
	struct bench *b = ctx;

	return itest_log_count(&b->d, needle) > 0;
}

static void
bench_slack(void **state)
{
	struct bench *b = *state;
	const char *const env[] = { "LIHUI_SLACK_BOT_TOKEN=" BENCH_BOT_TOKEN,
				    "LIHUI_SLACK_APP_TOKEN=" BENCH_APP_TOKEN,
				    NULL };
	const char *args[] = { "--config", NULL, NULL };
	char *url = fake_slack_api_url(b->sl), *conf;
	long lost = 0;
	int pid;

	conf = itest_write_file(&b->d, "lihui.conf",
				"[lihui]\n"
				"adapter = slack\n"
				"database = %s/lihui.db\n"
				"[slack]\n"
				"mode = socket\n"
				"api_url = %s\n",
				b->d.dir, url);
	free(url);
	args[1] = conf;
	itest_start(&b->d, env, args);
	ITEST_WAIT(&b->d, bench_cond_log, BENCH_CONNECTED, ITEST_START_MS,
		   "Socket Mode to connect");
	pid = b->d.proc.pid;
	bench_idle_cpu(b, "connected, before any command");
	bench_print_memory(pid, "connected, idle, before any command");

	lost += bench_commands(b, "one at a time", 1, -1);
	lost += bench_commands(b, "64 in flight", BENCH_WINDOW, -1);
	bench_idle_cpu(b, "after the load");
	bench_print_memory(pid, "idle, 1 s after the load");

	lost += bench_commands(b, "64 in flight, refresh_requested halfway",
			       BENCH_WINDOW, b->commands / 2);
	bench_idle_cpu(b, "after the disconnect run");
	printf("after the disconnect: %d WebSocket connections made, %d open; "
	       "lihui logged the switch %zu time(s)\n",
	       fake_slack_ws_connections(b->sl), fake_slack_ws_open(b->sl),
	       itest_log_count(&b->d, BENCH_SWITCHED));
	bench_print_memory(pid, "idle, 1 s after the disconnect run");
	printf("envelopes never acked in all: %zu; stray acks: %d\n",
	       fake_slack_unacked(b->sl), fake_slack_stray_acks(b->sl));
	if (itest_wait(&b->d, bench_all_answered, NULL, 10000) != 0)
		b->broken = 1;
	printf("answers: %ld in acks, %ld by chat.postEphemeral, of %ld "
	       "commands\n",
	       bench_noted_acks(b, 0, fake_slack_envelope_count(b->sl)),
	       bench_noted_ephemerals(b), 3 * b->commands);
	itest_stop(&b->d);
	free(conf);
	if (lost > 0 || b->broken)
		fail_msg("%ld envelope(s) lost%s", lost,
			 b->broken ? ", some commands not answered" : "");
}

static long
bench_arg(const char *s, long min, const char *what)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < min) {
		fprintf(stderr, "bench-slack: bad %s '%s'\n", what, s);
		exit(2);
	}
	return v;
}

int
main(int argc, char **argv)
{
	struct bench_args a = { BENCH_COMMANDS, BENCH_CLOSE_MS };
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_prestate_setup_teardown(
		    bench_slack, bench_setup, bench_teardown, &a),
	};

	if (argc > 1)
		a.commands = bench_arg(argv[1], 2, "command count");
	if (argc > 2)
		a.close_ms = bench_arg(argv[2], -1, "close delay");
	setvbuf(stdout, NULL, _IOLBF, 0);
	itest_prepare();
	bench_pin();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
