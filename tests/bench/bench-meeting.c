/* SPDX-License-Identifier: MIT */
/*
 * bench-meeting.c: a big meeting (issue 4): 50 people on the roster and
 * 5,000 lines said in the channel, one in ten a "#" line (a fifth of
 * those action items with an owner and a deadline). Measures the cost of
 * recording one line through the recorder the daemon uses
 * (meeting_record_line: lookups, the log, the item, the reaction), on a
 * database file with the daemon's group commit (one commit per 10 lines,
 * about a loop round under load; syncs are off the loop and not counted),
 * and the time to gather and render the minutes (target: under 20 ms).
 *
 * Usage: build/bench/bench-meeting [rounds] (default 50 renders). Not a
 * test: it prints figures and asserts nothing.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lihui/bot.h"
#include "lihui/config.h"
#include "lihui/event.h"
#include "lihui/meeting.h"
#include "lihui/store.h"
#include "lihui/xmalloc.h"

#define PEOPLE 50
#define LINES  5000
#define NOW    1796032800 /* Mon 2026-11-30 10:00 UTC */

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
		fprintf(stderr, "bench-meeting: %s\n", cause);
		exit(1);
	}
}

static int64_t
bench_now(void *arg)
{
	(void)arg;
	return NOW + 60;
}

/* Line i of the meeting, said by person i % PEOPLE. */
static void
bench_line(int i, char *out, size_t size)
{
	static const char *const kinds[] = { "#info", "#idea", "#agreed",
					     "#topic", "#link" };

	if (i % 10 != 0) {
		snprintf(out, size,
			 "line %d: I think we should look at the numbers "
			 "again before we decide anything on this",
			 i);
		return;
	}
	if (i % 50 == 0) {
		snprintf(out, size, "#action @p%02d fri follow up on item %d",
			 (i / 50) % PEOPLE, i);
		return;
	}
	snprintf(out, size, "%s item %d of the discussion, with some detail",
		 kinds[(i / 10) % 5], i);
}

int
main(int argc, char **argv)
{
	struct config config;
	struct channel ch, defaults;
	struct store *s;
	struct bot bot;
	struct meeting m;
	struct chat_event ev;
	char path[] = "/tmp/lihui-bench-meeting-XXXXXX", db[64], wal[80];
	char user[16], post[32], text[256], *cause = NULL, *md = NULL;
	double t0, record_ms, render_total = 0, best = 1e9;
	long rounds = argc > 1 ? strtol(argv[1], NULL, 10) : 50;
	int i, added;

	if (rounds <= 0)
		rounds = 50;
	if (mkdtemp(path) == NULL) {
		perror("bench-meeting: mkdtemp");
		return 1;
	}
	snprintf(db, sizeof db, "%s/lihui.db", path);
	snprintf(wal, sizeof wal, "%s-wal", db);
	config_defaults(&config);
	s = store_open(db, &cause);
	if (s == NULL)
		check(-1, cause);
	store_set_batching(s, 1);
	bot_init(&bot, &config, s, (struct clock){ bench_now, NULL }, 16383);
	bot_channel_defaults(&config, &defaults);
	check(store_channel_ensure(s, "ops", "ops", &defaults, &ch, &cause),
	      cause);
	for (i = 0; i < PEOPLE; i++) {
		snprintf(user, sizeof user, "p%02d", i);
		check(store_roster_add(s, ch.id, user, &added, &cause), cause);
	}
	check(store_meeting_start(s, ch.id, "Big meeting", "p00", NOW, &m,
				  &cause),
	      cause);
	check(store_flush(s, &cause), cause);

	memset(&ev, 0, sizeof ev);
	ev.kind = CHAT_MESSAGE;
	ev.channel_key = "ops";
	ev.channel_name = "ops";
	t0 = bench_ms();
	for (i = 0; i < LINES; i++) {
		snprintf(user, sizeof user, "p%02d", i % PEOPLE);
		snprintf(post, sizeof post, "post%05d", i);
		bench_line(i, text, sizeof text);
		ev.user_id = user;
		ev.user_name = user;
		ev.post_id = post;
		ev.text = text;
		meeting_record_line(&bot, &ev);
		if (i % 10 == 9)
			check(store_flush(s, &cause), cause);
	}
	check(store_flush(s, &cause), cause);
	record_ms = bench_ms() - t0;
	check(store_meeting_end(s, m.id, NOW + 3600, 0, &cause), cause);
	check(store_flush(s, &cause), cause);

	for (i = 0; i < rounds; i++) {
		double t = bench_ms(), d;

		check(meeting_minutes(s, &config, &ch, m.id, &md, &cause),
		      cause);
		d = bench_ms() - t;
		render_total += d;
		if (d < best)
			best = d;
		if (i + 1 < rounds) {
			free(md);
			md = NULL;
		}
	}
	printf("%-40s %-40s %s\n", "measure", "result", "target");
	printf("%-40s %.1f us per line (%.0f ms in all)\n",
	       "record a line (5,000, group commit)",
	       record_ms * 1000.0 / LINES, record_ms);
	printf("%-40s %.2f ms mean, %.2f ms best (%ld runs) %s\n",
	       "gather + render the minutes", render_total / (double)rounds,
	       best, rounds, "< 20 ms");
	printf("%-40s %zu bytes of Markdown\n", "", strlen(md));
	free(md);
	meeting_release(&m);
	channel_release(&ch);
	store_close(s);
	config_release(&config);
	unlink(wal);
	snprintf(wal, sizeof wal, "%s-shm", db);
	unlink(wal);
	unlink(db);
	rmdir(path);
	return 0;
}
