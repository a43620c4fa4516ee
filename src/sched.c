/* SPDX-License-Identifier: MIT */
/*
 * sched.c: the scheduler's loop side: one uv timer for the earliest due
 * job.
 *
 * How it works. sched_kick() asks the store for the earliest due time and
 * arms the timer for it, at most SCHED_MAX_SLEEP ahead so that a change
 * of the wall clock (the jobs are in wall-clock time, libuv's timers are
 * monotonic) is noticed within that. When the timer fires, jobs_run_due()
 * handles up to SCHED_BATCH due jobs, each in its own unit of work; if
 * the batch was full the timer fires again at once, after the loop has
 * served everything else that was waiting (so 10,000 agendas due at the
 * same minute never hold a slash command up for long). The store's
 * group commit makes the runs durable off the loop; the outbox delivers
 * their posts.
 */

#include <stdint.h>
#include <stdlib.h>

#include <uv.h>

#include "lihui/bot.h"
#include "lihui/jobs.h"
#include "lihui/log.h"
#include "lihui/sched.h"
#include "lihui/xmalloc.h"

/* Jobs run per timer callback. */
#define SCHED_BATCH 32
/* Longest the timer sleeps, in ms, before it looks at the clock again. */
#define SCHED_MAX_SLEEP (60 * 1000)
/* How long to wait after the store failed, in ms. */
#define SCHED_RETRY (10 * 1000)

struct sched {
	struct bot *bot;
	uv_timer_t timer;
	int closing;
	void (*closed_cb)(void *);
	void *closed_arg;
};

struct sched *
sched_new(struct uv_loop_s *loop, struct bot *b)
{
	struct sched *s = xcalloc(1, sizeof *s);

	s->bot = b;
	uv_timer_init(loop, &s->timer);
	s->timer.data = s;
	return s;
}

static void sched_fire(uv_timer_t *t);

static void
sched_arm(struct sched *s, uint64_t ms)
{
	if (!s->closing)
		uv_timer_start(&s->timer, sched_fire, ms, 0);
}

void
sched_kick(struct sched *s)
{
	int64_t due = 0, now;
	int found = 0;
	char *cause = NULL;

	if (s->closing)
		return;
	if (jobs_next_due(s->bot, &due, &found, &cause) != 0) {
		log_error("scheduler: %s", cause);
		free(cause);
		sched_arm(s, SCHED_RETRY);
		return;
	}
	if (!found) {
		uv_timer_stop(&s->timer);
		return;
	}
	now = clock_now(&s->bot->clock);
	if (due <= now)
		sched_arm(s, 0);
	else if (due - now >= SCHED_MAX_SLEEP / 1000)
		sched_arm(s, SCHED_MAX_SLEEP);
	else
		sched_arm(s, (uint64_t)(due - now) * 1000);
}

static void
sched_fire(uv_timer_t *t)
{
	struct sched *s = t->data;
	size_t ran = 0;
	char *cause = NULL;

	if (jobs_run_due(s->bot, clock_now(&s->bot->clock), SCHED_BATCH, &ran,
			 &cause) != 0) {
		log_error("scheduler: %s", cause);
		free(cause);
		sched_arm(s, SCHED_RETRY);
		return;
	}
	if (ran > 0)
		bot_outbox_ready(s->bot);
	if (ran == SCHED_BATCH)
		sched_arm(s, 0);
	else
		sched_kick(s);
}

void
sched_start(struct sched *s)
{
	sched_kick(s);
}

static void
sched_closed(uv_handle_t *h)
{
	struct sched *s = h->data;

	if (s->closed_cb != NULL)
		s->closed_cb(s->closed_arg);
}

void
sched_close(struct sched *s, void (*closed_cb)(void *), void *arg)
{
	s->closing = 1;
	s->closed_cb = closed_cb;
	s->closed_arg = arg;
	uv_timer_stop(&s->timer);
	uv_close((uv_handle_t *)&s->timer, sched_closed);
}

void
sched_free(struct sched *s)
{
	free(s);
}
