/* SPDX-License-Identifier: MIT */
/*
 * gate.h: the name gate, private to the network adapters. Inbound events
 * pass through it on their way to the sink: it looks the @names of each
 * event's text up with the adapter's lookup and hands the event on with
 * what it learnt (chat_event.names_checked, mentions), keeping the order
 * in which the events came. See gate.c for how it works.
 *
 *	g = gate_new(loop, &cfg);	cfg: lookup, sink, arg, bounds
 *	rc = gate_push(g, &ev, tag);	1: the sink had it; 0: it waits
 *	... the adapter's lookup ends: gate_answer(ask, state, user_id) ...
 *	gate_flush(g);			stopping: hand on what waits now
 *	gate_close(g, closed_cb, arg);	drop what waits; closed_cb later
 *	gate_free(g);			once every lookup ended
 */
#ifndef LIHUI_ADAPTER_GATE_H
#define LIHUI_ADAPTER_GATE_H

#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "lihui/event.h"

/** How long an event waits for its lookups at most, by default (ms). */
#define GATE_DEADLINE_MS 2000
/** How many events wait at most, by default. */
#define GATE_WAITING_MAX 1024
/** How many lookups are under way at most; past it names go unchecked. */
#define GATE_ASKS_MAX (GATE_WAITING_MAX * CHAT_MENTIONS_MAX)
/** The longest user id an answer may give, in bytes. */
#define GATE_ID_MAX 64

/* One lookup under way: the adapter hands it back to gate_answer(). */
struct gate_ask;

/*
 * Look the user called name (without '@', as written in the text) up.
 * Return 1 when the answer is known now: *state, and *user_id when
 * CHAT_USER_FOUND (borrowed; the gate copies it before anything else
 * runs). Return 0 when it is not: then gate_answer(ask, ...) MUST be
 * called exactly once, later, from the loop (not during this call),
 * also when the lookup fails or is cancelled.
 */
typedef int (*gate_lookup_fn)(void *arg, const char *name, struct gate_ask *ask,
			      enum chat_user_state *state,
			      const char **user_id);

/*
 * Where events go, in the order they were pushed, with tag as given to
 * gate_push(). ev and what it points to are borrowed for the call.
 */
typedef void (*gate_sink_fn)(void *arg, const struct chat_event *ev,
			     uint64_t tag);

struct gate_config {
	gate_lookup_fn lookup; /* required */
	gate_sink_fn sink;     /* required */
	void *arg;	       /* for both */
	uint64_t deadline_ms;  /* 0: GATE_DEADLINE_MS */
	size_t max_waiting;    /* 0: GATE_WAITING_MAX */
	size_t max_asks;       /* 0: GATE_ASKS_MAX */
};

struct gate;

/** A gate on loop (it keeps two handles there); cfg is copied. */
struct gate *gate_new(uv_loop_t *loop, const struct gate_config *cfg);

/**
 * Look ev's @names up and hand it to the sink with what was learnt: at
 * once (no copy) when every answer is known now and nothing waits before
 * it; else a copy waits until its lookups end or its deadline passes.
 * Returns 1 when the sink had ev before this returned, 0 when it waits,
 * -1 when the gate is closed (ev is dropped). ev's names_checked,
 * mentions and n_mentions are ignored: the gate sets them.
 */
int gate_push(struct gate *g, const struct chat_event *ev, uint64_t tag);

/**
 * The end of a lookup the adapter's lookup returned 0 for. state as in
 * gate_lookup_fn; user_id (CHAT_USER_FOUND) is copied. Frees ask; may
 * call the sink.
 */
void gate_answer(struct gate_ask *ask, enum chat_user_state state,
		 const char *user_id);

/**
 * Hand everything that waits to the sink now, in order, the names not
 * answered yet taken as CHAT_USER_UNCHECKED (the adapter is stopping).
 */
void gate_flush(struct gate *g);

/**
 * Close: what waits is dropped without reaching the sink, and the sink is
 * never called again (answers still arriving are only freed). closed(arg)
 * runs once the gate's handles are closed (closed may be NULL).
 */
void gate_close(struct gate *g, void (*closed)(void *), void *arg);

/**
 * Free g after gate_close() completed, and the lookups under way (no
 * gate_answer() may come for them after this). NULL is ignored.
 */
void gate_free(struct gate *g);

/** Events waiting now. */
size_t gate_waiting(const struct gate *g);
/** Lookups under way now (answers not come yet). */
size_t gate_asks(const struct gate *g);

#endif
