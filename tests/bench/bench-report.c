/* SPDX-License-Identifier: MIT */
/*
 * bench-report.c: report commands per second through the real dispatcher
 * and a WAL SQLite file, end to end (parse, transaction, insert, reply in
 * the outbox, commit). Target: at least 20,000 per second on one core.
 *
 * Usage: build/bench/bench-report [commands] (default 50000). Prints the
 * rate; tests/bench/RESULTS.md records it. Not a test: nothing asserts.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lihui/bot.h"
#include "lihui/config.h"
#include "lihui/event.h"
#include "lihui/store.h"

static int64_t
bench_clock(void *arg)
{
	(void)arg;
	return 1795680000; /* Thu 2026-11-26 08:00 UTC */
}

static double
bench_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	static const char *const subs[] = {
		"done Shipped the login page and fixed two bugs",
		"plan Launch the A/B test by Thursday",
		"blocker Waiting for design assets @alice",
		"metric signups=1240 conversion=3.1%",
		"need 1 designer for 2 weeks",
	};
	struct config cfg;
	struct store *store;
	struct bot bot;
	struct clock clk = { .now = bench_clock, .arg = NULL };
	struct chat_event ev;
	char path[] = "/tmp/lihui-bench-XXXXXX", db[64], side[80], user[16];
	char *cause = NULL;
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 50000, i;
	double t0, t1;
	int fd;

	setenv("LIHUI_LOG", "warn", 1);
	fd = mkstemp(path);
	if (fd < 0)
		return 1;
	close(fd);
	unlink(path);
	snprintf(db, sizeof db, "%s.db", path);
	config_defaults(&cfg);
	if (config_finish(&cfg, &cause) != 0)
		return 1;
	store = store_open(db, &cause);
	if (store == NULL) {
		fprintf(stderr, "%s\n", cause);
		return 1;
	}
	bot_init(&bot, &cfg, store, clk, 16383);
	memset(&ev, 0, sizeof ev);
	ev.kind = CHAT_COMMAND;
	ev.channel_key = "ops";
	ev.channel_name = "ops";
	ev.trigger = "report";
	ev.user_id = user;
	ev.user_name = user;

	t0 = bench_seconds();
	for (i = 0; i < n; i++) {
		snprintf(user, sizeof user, "user%04ld", i % 1000);
		ev.text = subs[i % 5];
		bot_handle_event(&bot, &ev);
	}
	t1 = bench_seconds();
	printf("report commands: %ld in %.3f s = %.0f per second "
	       "(dispatcher + SQLite WAL file, one core)\n",
	       n, t1 - t0, (double)n / (t1 - t0));
	store_close(store);
	config_release(&cfg);
	unlink(db);
	snprintf(side, sizeof side, "%s-wal", db);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", db);
	unlink(side);
	return 0;
}
