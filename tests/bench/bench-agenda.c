/* SPDX-License-Identifier: MIT */
/*
 * bench-agenda.c: how long the agenda of a big channel takes: 200 members
 * on the roster, each with one item in each of the 5 sections (done, plan,
 * blocker, metric, need), and 52 weeks of metrics history. Target: render
 * under 5 ms. Measures the pure renderer alone and the whole path the
 * /agenda command takes (gather from SQLite, then render).
 *
 * Usage: build/bench/bench-agenda [rounds] (default 200). Not a test.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lihui/agenda.h"
#include "lihui/render.h"
#include "lihui/store.h"
#include "lihui/xmalloc.h"

#define MEMBERS 200
#define WEEKS	52
#define NOW	1795680000 /* Thu 2026-11-26 08:00 UTC */

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
		fprintf(stderr, "bench-agenda: %s\n", cause);
		exit(1);
	}
}

int
main(int argc, char **argv)
{
	struct channel defaults, ch;
	struct cycle cur, past;
	struct agenda ag;
	struct store *s;
	char *cause = NULL, user[16], text[96];
	long rounds = argc > 1 ? strtol(argv[1], NULL, 10) : 200, r;
	int m, w, added;
	double t0, render_ms, full_ms;
	size_t bytes = 0;
	char *out;

	s = store_open(":memory:", &cause);
	check(s == NULL, cause);
	memset(&defaults, 0, sizeof defaults);
	defaults.locale = "en";
	defaults.timezone = "Asia/Shanghai";
	defaults.sections = SECTION_ALL;
	defaults.meeting_wday = 1;
	defaults.meeting_minute = 600;
	defaults.meeting_length = 60;
	check(store_channel_ensure(s, "ops", "ops", &defaults, &ch, &cause),
	      cause);
	check(agenda_cycle(s, &ch, NOW, &cur, &cause), cause);
	check(store_begin(s, &cause), cause);
	for (m = 0; m < MEMBERS; m++) {
		snprintf(user, sizeof user, "user%03d", m);
		check(store_roster_add(s, ch.id, user, &added, &cause), cause);
		for (w = 1; w <= WEEKS; w++) {
			check(store_cycle_ensure(s, ch.id,
						 cur.starts_at -
						     (int64_t)w * 7 * 86400,
						 60, &past, &cause),
			      cause);
			check(store_metric_set(s, past.id, user, "signups",
					       1000 + m + w, "", NOW, &cause),
			      cause);
		}
		snprintf(text, sizeof text, "Finished task %d of the sprint",
			 m);
		check(store_report_add(s, cur.id, user, SECTION_DONE, text,
				       NULL, NOW, NULL, &cause),
		      cause);
		check(store_report_add(s, cur.id, user, SECTION_PLAN,
				       "Launch the A/B test by Thursday", NULL,
				       NOW, NULL, &cause),
		      cause);
		check(store_report_add(s, cur.id, user, SECTION_BLOCKER,
				       "Waiting for design assets", "alice",
				       NOW, NULL, &cause),
		      cause);
		check(store_report_add(s, cur.id, user, SECTION_NEED,
				       "1 designer for 2 weeks", NULL, NOW,
				       NULL, &cause),
		      cause);
		check(store_metric_set(s, cur.id, user, "signups", 1240 + m, "",
				       NOW, &cause),
		      cause);
	}
	check(store_commit(s, &cause), cause);

	check(agenda_collect(s, &ch, NOW, 10, &ag, &cause), cause);
	t0 = bench_ms();
	for (r = 0; r < rounds; r++) {
		out = render_agenda(&ag.view);
		bytes = strlen(out);
		free(out);
	}
	render_ms = (bench_ms() - t0) / (double)rounds;
	agenda_release(&ag);

	t0 = bench_ms();
	for (r = 0; r < rounds; r++) {
		check(agenda_collect(s, &ch, NOW, 10, &ag, &cause), cause);
		out = render_agenda(&ag.view);
		free(out);
		agenda_release(&ag);
	}
	full_ms = (bench_ms() - t0) / (double)rounds;

	printf("agenda, %d members x 5 sections, %d weeks of metrics "
	       "(%zu bytes of Markdown):\n"
	       "  render only:            %.3f ms\n"
	       "  gather from SQLite + render: %.3f ms\n",
	       MEMBERS, WEEKS, bytes, render_ms, full_ms);
	channel_release(&ch);
	store_close(s);
	return 0;
}
