/* SPDX-License-Identifier: MIT */
/*
 * outbox.c: drains the persisted outbox through the adapter (loop-facing).
 *
 * Design. Every post lihui makes is a row in the store's outbox, committed
 * with the command or job that made it. This module delivers those rows:
 *
 *   outbox_kick() -> timer(0) -> drain: read up to OUTBOX_BATCH due rows,
 *     skip those already in flight, hand each to adapter->send()
 *   send completion (now or later) -> delivered(): SEND_OK marks the row
 *     sent, SEND_RETRY defers it by retry_delay() (honouring Retry-After),
 *     SEND_FAILED keeps it as failed; then drain again
 *   nothing due -> the timer is armed for the earliest next attempt
 *
 * A row leaves "pending" only when the platform accepted it (or refused it
 * for good), so a crash or restart loses nothing: the next start delivers
 * what is still pending. In the daemon a row is due only once the batch
 * that stored it is on disk (group commit, commit.h): no one hears of a
 * command that a power loss could still undo. The daemon kicks the outbox
 * each time more batches became durable. Rows in flight are remembered by id so
 * a second drain does not send them twice.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uv.h>

#include "lihui/adapter.h"
#include "lihui/bot.h"
#include "lihui/log.h"
#include "lihui/outbox.h"
#include "lihui/retry.h"
#include "lihui/store.h"
#include "lihui/utf8.h"
#include "lihui/xmalloc.h"

/* Rows read per drain, and the most in flight at once. */
#define OUTBOX_BATCH	    32
#define OUTBOX_INFLIGHT_MAX 64
/* How soon to look again while the adapter is not ready, in ms. */
#define OUTBOX_NOT_READY_MS 200
/* The longest failure reason kept with a refused message, in bytes. */
#define OUTBOX_REASON_MAX 512

struct outbox_flight {
	int64_t id;
	int attempts;
};

struct outbox {
	uv_timer_t timer;
	struct bot *bot;
	struct adapter *adapter;
	struct outbox_flight flight[OUTBOX_INFLIGHT_MAX];
	size_t n_flight;
	unsigned rnd; /* jitter state */
	void (*idle_cb)(void *);
	void *idle_arg;
	void (*closed_cb)(void *);
	void *closed_arg;
};

static void outbox_drain(uv_timer_t *t);

struct outbox *
outbox_new(uv_loop_t *loop, struct bot *bot, struct adapter *adapter)
{
	struct outbox *o = xcalloc(1, sizeof *o);

	uv_timer_init(loop, &o->timer);
	o->timer.data = o;
	o->bot = bot;
	o->adapter = adapter;
	o->rnd = (unsigned)uv_hrtime();
	return o;
}

void
outbox_kick(struct outbox *o)
{
	uv_timer_start(&o->timer, outbox_drain, 0, 0);
}

static int
outbox_in_flight(const struct outbox *o, int64_t id)
{
	size_t i;

	for (i = 0; i < o->n_flight; i++) {
		if (o->flight[i].id == id)
			return 1;
	}
	return 0;
}

/* Forget id from the in-flight set; returns its attempts so far. */
static int
outbox_land(struct outbox *o, int64_t id)
{
	size_t i;
	int attempts;

	for (i = 0; i < o->n_flight; i++) {
		if (o->flight[i].id == id) {
			attempts = o->flight[i].attempts;
			o->flight[i] = o->flight[--o->n_flight];
			return attempts;
		}
	}
	return 0;
}

/* The adapter finished one delivery attempt. */
static void
outbox_delivered(void *arg, int64_t id, enum send_result result,
		 const char *post_id, int retry_after, const char *error)
{
	struct outbox *o = arg;
	struct store *s = o->bot->store;
	int64_t now = clock_now(&o->bot->clock);
	int attempts = outbox_land(o, id) + 1, rc = 0, delay;
	char *cause = NULL, reason[OUTBOX_REASON_MAX + 1];

	/* One unit of work, so that in a batch it joins the group commit. */
	if (store_begin(s, &cause) != 0) {
		log_error("cannot record delivery of message %lld: %s",
			  (long long)id, cause);
		free(cause);
		outbox_kick(o);
		return;
	}
	switch (result) {
	case SEND_OK:
		rc = store_outbox_mark_sent(s, id, post_id, now, &cause);
		break;
	case SEND_RETRY:
		o->rnd = o->rnd * 1103515245u + 12345u;
		delay = retry_delay(attempts, o->rnd >> 8, retry_after);
		log_warn("message %lld not delivered (%s); attempt %d, next in "
			 "%d s",
			 (long long)id, error ? error : "temporary failure",
			 attempts, delay);
		rc = store_outbox_retry(s, id, now + delay, &cause);
		break;
	case SEND_FAILED:
		/* The reason may quote the platform's answer: keep a bounded,
		 * whole-character prefix of it. */
		snprintf(reason, sizeof reason, "%.*s",
			 error ? (int)utf8_cut(error, strlen(error),
					       sizeof reason - 1)
			       : 7,
			 error ? error : "refused");
		log_error("message %lld refused for good: %s", (long long)id,
			  reason);
		rc = store_outbox_mark_failed(s, id, reason, &cause);
		break;
	}
	if (rc == 0)
		rc = store_commit(s, &cause);
	if (rc != 0) {
		store_rollback(s);
		log_error("cannot record delivery of message %lld: %s",
			  (long long)id, cause);
		free(cause);
	}
	outbox_kick(o);
}

/* Arm the timer for the earliest deferred row, or report idleness. */
static void
outbox_arm(struct outbox *o, int64_t now)
{
	int64_t pending = 0, earliest = 0;
	char *cause = NULL;
	void (*cb)(void *);

	if (store_outbox_backlog(o->bot->store, &pending, &earliest, &cause) !=
	    0) {
		log_error("%s", cause);
		free(cause);
		uv_timer_start(&o->timer, outbox_drain, 5000, 0);
		return;
	}
	if (pending > 0 && earliest > now) {
		uv_timer_start(&o->timer, outbox_drain,
			       (uint64_t)(earliest - now) * 1000, 0);
		return;
	}
	if (pending == 0 && o->n_flight == 0 && o->idle_cb != NULL) {
		cb = o->idle_cb;
		o->idle_cb = NULL;
		cb(o->idle_arg);
	}
}

static void
outbox_drain(uv_timer_t *t)
{
	struct outbox *o = t->data;
	struct outbox_msg *msgs = NULL;
	size_t n = 0, i;
	int64_t now = clock_now(&o->bot->clock);
	char *cause = NULL;
	int sent = 0;

	if (o->adapter->ops->ready != NULL &&
	    !o->adapter->ops->ready(o->adapter)) {
		uv_timer_start(&o->timer, outbox_drain, OUTBOX_NOT_READY_MS, 0);
		return;
	}
	if (store_outbox_due(o->bot->store, now, OUTBOX_BATCH, &msgs, &n,
			     &cause) != 0) {
		log_error("%s", cause);
		free(cause);
		uv_timer_start(&o->timer, outbox_drain, 5000, 0);
		return;
	}
	for (i = 0; i < n && o->n_flight < OUTBOX_INFLIGHT_MAX; i++) {
		if (outbox_in_flight(o, msgs[i].id))
			continue;
		if (msgs[i].kind == OUTBOX_EDIT && msgs[i].post_id == NULL) {
			/* Its post failed for good: nothing to edit. */
			o->flight[o->n_flight].id = msgs[i].id;
			o->flight[o->n_flight++].attempts = msgs[i].attempts;
			sent++;
			outbox_delivered(o, msgs[i].id, SEND_FAILED, NULL, 0,
					 "the post to edit was never made");
			continue;
		}
		o->flight[o->n_flight].id = msgs[i].id;
		o->flight[o->n_flight].attempts = msgs[i].attempts;
		o->n_flight++;
		sent++;
		if (o->adapter->ops->send(o->adapter, &msgs[i],
					  outbox_delivered, o, &cause) != 0) {
			outbox_land(o, msgs[i].id);
			log_warn("cannot start delivery of message %lld: %s",
				 (long long)msgs[i].id, cause);
			free(cause);
			cause = NULL;
			store_outbox_retry(
			    o->bot->store, msgs[i].id,
			    now + retry_delay(msgs[i].attempts + 1, 0, 0),
			    NULL);
		}
	}
	outbox_msg_list_free(msgs, n);
	/* Completions re-kick; when nothing new was sent, look ahead. */
	if (sent == 0)
		outbox_arm(o, now);
}

void
outbox_when_idle(struct outbox *o, void (*idle_cb)(void *), void *arg)
{
	o->idle_cb = idle_cb;
	o->idle_arg = arg;
	outbox_kick(o);
}

int64_t
outbox_backlog(struct outbox *o)
{
	int64_t pending = 0, earliest = 0;
	char *cause = NULL;

	if (store_outbox_backlog(o->bot->store, &pending, &earliest, &cause) !=
	    0) {
		free(cause);
		return -1;
	}
	return pending;
}

static void
outbox_timer_closed(uv_handle_t *h)
{
	struct outbox *o = h->data;

	if (o->closed_cb != NULL)
		o->closed_cb(o->closed_arg);
}

void
outbox_close(struct outbox *o, void (*closed_cb)(void *), void *arg)
{
	o->closed_cb = closed_cb;
	o->closed_arg = arg;
	uv_timer_stop(&o->timer);
	uv_close((uv_handle_t *)&o->timer, outbox_timer_closed);
}

void
outbox_free(struct outbox *o)
{
	free(o);
}
