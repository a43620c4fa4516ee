/* SPDX-License-Identifier: MIT */
/*
 * bench-sched.c: the scheduler at scale (issue 5): 10,000 channels, each
 * with its jobs planned, and 100,000 open action items in one database
 * file. Measures
 *   - start-up to the first armed timer: opening the store (a database
 *     that exists: no migration) and finding the earliest job, as the
 *     daemon does before it arms its one timer;
 *   - the cost of one scheduler tick: jobs_run_due() with the daemon's
 *     batch of 32 due jobs, then the loop round that commits them (the
 *     daemon's committer: the sync and the checkpoints run on libuv's
 *     thread pool and are not counted), for the hour in which every
 *     channel's agenda is due at once and for the morning of the action
 *     reminders (ten items per channel, each due, overdue or not);
 *   - memory: the process's peak resident set (VmHWM) at the end.
 * Targets: start-up under 1 s, a tick under 10 ms, memory under 64 MB.
 *
 * Usage: build/bench/bench-sched [channels] (default 10000). Not a test:
 * it prints figures and asserts nothing.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <uv.h>

#include "lihui/bot.h"
#include "lihui/commit.h"
#include "lihui/config.h"
#include "lihui/jobs.h"
#include "lihui/store.h"
#include "lihui/xmalloc.h"

#define ITEMS_PER_CHANNEL 10
/* Thu 2026-11-26 08:00 UTC: the database is built then. */
#define BUILT 1795680000
/* Mon 2026-11-30 09:30 UTC: every agenda is due. */
#define AGENDA_DUE 1796031000
#define TICK	   32

static int64_t bench_clock_now;

static double
bench_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void
check(int rc, char *cause)
{
	if (rc != 0) {
		fprintf(stderr, "bench-sched: %s\n", cause);
		exit(1);
	}
}

static int64_t
bench_now(void *arg)
{
	return *(const int64_t *)arg;
}

static long
bench_status_kb(const char *field)
{
	char line[256];
	long kb = -1;
	size_t n = strlen(field);
	FILE *f = fopen("/proc/self/status", "r");

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL)
		if (strncmp(line, field, n) == 0)
			kb = strtol(line + n + 1, NULL, 10);
	fclose(f);
	return kb;
}

static int
bench_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Build the database: channels with their jobs, open action items. */
static void
bench_build(struct bot *b, int channels)
{
	struct channel defaults, ch;
	char key[32], name[32], owner[32], due[16];
	char *cause = NULL;
	int i, k, planned;

	bot_channel_defaults(b->config, &defaults);
	for (i = 0; i < channels; i++) {
		if (i % 500 == 0)
			check(store_begin(b->store, &cause), cause);
		snprintf(key, sizeof key, "C%06d", i);
		snprintf(name, sizeof name, "team-%d", i);
		check(store_channel_ensure(b->store, key, name, &defaults, &ch,
					   &cause),
		      cause);
		check(jobs_ensure(b, &ch, BUILT, &planned, &cause), cause);
		for (k = 0; k < ITEMS_PER_CHANNEL; k++) {
			snprintf(owner, sizeof owner, "member%d", k);
			/* Due from 2026-11-25 to 2026-12-04: some overdue,
			 * some due on the reminder days, some later. */
			snprintf(due, sizeof due, "2026-%02d-%02d",
				 k < 6 ? 11 : 12, k < 6 ? 25 + k : k - 5);
			check(store_action_add(b->store, ch.id, 0, owner, NULL,
					       "Prepare the budget draft for "
					       "the next quarter",
					       due, "lead", BUILT, NULL,
					       &cause),
			      cause);
		}
		channel_release(&ch);
		if (i % 500 == 499 || i == channels - 1)
			check(store_commit(b->store, &cause), cause);
	}
}

static void
bench_durable(void *arg)
{
	(void)arg;
}

/* Ticks until nothing is due at now; prints their cost. */
static void
bench_ticks(struct bot *b, uv_loop_t *loop, const char *what, int64_t now)
{
	double *ms = NULL, t0, total = 0;
	size_t n = 0, cap = 0, ran, all = 0;
	char *cause = NULL;

	bench_clock_now = now;
	do {
		t0 = bench_ms();
		check(jobs_run_due(b, now, TICK, &ran, &cause), cause);
		/* The round's check phase commits; syncs and checkpoints
		 * are queued to the thread pool. */
		uv_run(loop, UV_RUN_NOWAIT);
		if (n == cap) {
			cap = cap ? 2 * cap : 1024;
			ms = xreallocarray(ms, cap, sizeof *ms);
		}
		ms[n] = bench_ms() - t0;
		total += ms[n++];
		all += ran;
	} while (ran == TICK);
	qsort(ms, n, sizeof *ms, bench_cmp);
	printf("%s: %zu jobs in %zu ticks of up to %d: %.1f ms in all; per "
	       "tick mean %.2f ms, p50 %.2f, p99 %.2f, max %.2f\n",
	       what, all, n, TICK, total, total / (double)n, ms[n / 2],
	       ms[n * 99 / 100], ms[n - 1]);
	free(ms);
}

int
main(int argc, char **argv)
{
	char dir[] = "/tmp/bench-sched.XXXXXX", path[64], *cause = NULL;
	struct config config;
	struct clock clock = { bench_now, &bench_clock_now };
	struct committer *committer;
	uv_loop_t loop;
	struct store *s;
	struct bot b;
	int channels = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 10000;
	int64_t due;
	int found = 0;
	double t0;

	if (channels < 1 || channels > 1000000) {
		fprintf(stderr, "usage: bench-sched [channels]\n");
		return 2;
	}
	if (mkdtemp(dir) == NULL) {
		perror("bench-sched: mkdtemp");
		return 1;
	}
	snprintf(path, sizeof path, "%s/lihui.db", dir);
	config_defaults(&config);
	bench_clock_now = BUILT;

	s = store_open(path, &cause);
	check(s == NULL ? -1 : 0, cause);
	bot_init(&b, &config, s, clock, 16383);
	t0 = bench_ms();
	bench_build(&b, channels);
	printf("built %d channels, %d open action items, %d jobs in %.0f ms\n",
	       channels, channels * ITEMS_PER_CHANNEL, channels * 4,
	       bench_ms() - t0);
	store_close(s);

	/* Start-up: open the file and find the earliest job. */
	t0 = bench_ms();
	s = store_open(path, &cause);
	check(s == NULL ? -1 : 0, cause);
	b.store = s;
	check(jobs_next_due(&b, &due, &found, &cause), cause);
	printf("start-up to the first armed timer: %.2f ms (earliest job "
	       "%lld)\n",
	       bench_ms() - t0, (long long)due);

	store_set_batching(s, 1);
	uv_loop_init(&loop);
	committer = committer_new(&loop, s, bench_durable, NULL);
	/* Thursday 09:00: the first action reminders of every channel. */
	bench_ticks(&b, &loop, "action reminders, Thu 09:00", BUILT + 3600);
	bench_ticks(&b, &loop, "action reminders, Fri 09:00",
		    BUILT + 25 * 3600);
	/* Friday 16:00: every reporting window opens. */
	bench_ticks(&b, &loop, "reporting windows, Fri 16:00",
		    BUILT + 32 * 3600);
	bench_ticks(&b, &loop, "action reminders, Sat 09:00",
		    BUILT + 49 * 3600);
	bench_ticks(&b, &loop, "action reminders, Sun 09:00",
		    BUILT + 73 * 3600);
	/* Monday 09:00: report and action reminders; 09:30 every agenda. */
	bench_ticks(&b, &loop, "reminders, Mon 09:00", AGENDA_DUE - 1800);
	bench_ticks(&b, &loop, "agendas, Mon 09:30", AGENDA_DUE);
	printf("memory: VmHWM %ld kB, VmRSS %ld kB\n",
	       bench_status_kb("VmHWM:"), bench_status_kb("VmRSS:"));

	committer_close(committer, NULL, NULL);
	uv_run(&loop, UV_RUN_DEFAULT);
	committer_free(committer);
	uv_loop_close(&loop);
	store_close(s);
	config_release(&config);
	unlink(path);
	snprintf(path, sizeof path, "%s/lihui.db-wal", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/lihui.db-shm", dir);
	unlink(path);
	rmdir(dir);
	return 0;
}
