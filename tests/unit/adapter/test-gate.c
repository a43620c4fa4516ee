/* SPDX-License-Identifier: MIT */
/*
 * test-gate.c: the name gate (src/adapter/gate.c) on a real libuv loop
 * with a scripted lookup: names listed as known or unknown answer at
 * once; any other name is "under way" until the test (or a timer on the
 * loop) answers it. The sink records a copy of every event it gets.
 *
 * Covered: which words are names (author, repeats in any case, e-mail
 * addresses, too long, at most CHAT_MENTIONS_MAX), the fast path, order
 * kept across fast and waiting events whatever order the answers come
 * in, found / unknown (404) / unchecked (error) answers, the deadline,
 * the bound on waiting events and on lookups under way, flush, close
 * with events waiting (no sink call after it, late answers freed), and a
 * push from within the sink.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uv.h>

#include "lihui/xmalloc.h"

#include "../../../src/adapter/gate.h"

#define MAX_SEEN  64
#define MAX_ASKS  64
#define GUARD_MS  10000
#define AUTHOR	  "carol"
#define AUTHOR_ID "id-carol"

/* What the sink got: one event, copied. */
struct seen {
	char *text;
	uint64_t tag;
	int names_checked;
	size_t n;
	char *names[CHAT_MENTIONS_MAX];
	char *ids[CHAT_MENTIONS_MAX];
	enum chat_user_state states[CHAT_MENTIONS_MAX];
};

/* A lookup under way. */
struct pending_ask {
	char *name;
	struct gate_ask *ask;
};

struct ctx {
	uv_loop_t loop;
	uv_timer_t guard;
	int expired;
	struct gate *g;
	int closed;
	int sink_closed; /* a sink call after close is a failure */
	struct seen seen[MAX_SEEN];
	size_t n_seen;
	struct pending_ask asks[MAX_ASKS];
	size_t n_asks;
	size_t lookups; /* calls of the lookup */
	/* The sink pushes this once, from within, when set. */
	const char *push_from_sink;
};

/* A later answer from a timer on the loop. */
struct later {
	uv_timer_t timer;
	struct ctx *c;
	const char *name;
	enum chat_user_state state;
};

static const char *const known[] = { "alice", "bob", "dave", NULL };
static const char *const unknown[] = { "nosuch", "all", NULL };

static int
listed(const char *const *list, const char *name)
{
	size_t i;

	for (i = 0; list[i] != NULL; i++)
		if (strcmp(list[i], name) == 0)
			return 1;
	return 0;
}

/* The scripted lookup (see the top of the file). */
static int
lookup(void *arg, const char *name, struct gate_ask *ask,
       enum chat_user_state *state, const char **user_id)
{
	static const char *const ids[] = { "id-alice", "id-bob", "id-dave" };
	struct ctx *c = arg;
	size_t i;

	c->lookups++;
	for (i = 0; known[i] != NULL; i++)
		if (strcmp(known[i], name) == 0) {
			*state = CHAT_USER_FOUND;
			*user_id = ids[i];
			return 1;
		}
	if (listed(unknown, name)) {
		*state = CHAT_USER_UNKNOWN;
		return 1;
	}
	assert_true(c->n_asks < MAX_ASKS);
	c->asks[c->n_asks].name = xstrdup(name);
	c->asks[c->n_asks].ask = ask;
	c->n_asks++;
	return 0;
}

static void
sink(void *arg, const struct chat_event *ev, uint64_t tag)
{
	struct ctx *c = arg;
	struct seen *s;
	struct chat_event again;
	size_t i;

	if (c->closed)
		c->sink_closed++;
	assert_true(c->n_seen < MAX_SEEN);
	s = &c->seen[c->n_seen++];
	s->text = xstrdup(ev->text);
	s->tag = tag;
	s->names_checked = ev->names_checked;
	s->n = ev->n_mentions;
	for (i = 0; i < ev->n_mentions; i++) {
		s->names[i] = xstrdup(ev->mentions[i].name);
		s->ids[i] = ev->mentions[i].user_id != NULL
				? xstrdup(ev->mentions[i].user_id)
				: NULL;
		s->states[i] = ev->mentions[i].state;
	}
	if (c->push_from_sink != NULL) {
		memset(&again, 0, sizeof again);
		again.kind = CHAT_MESSAGE;
		again.text = c->push_from_sink;
		again.user_name = AUTHOR;
		c->push_from_sink = NULL;
		assert_int_equal(gate_push(c->g, &again, 99), 0);
	}
}

static void
on_guard(uv_timer_t *t)
{
	struct ctx *c = t->data;

	c->expired = 1;
	uv_stop(&c->loop);
}

static struct gate *
gate_with(struct ctx *c, uint64_t deadline_ms, size_t max_waiting,
	  size_t max_asks)
{
	struct gate_config cfg;

	memset(&cfg, 0, sizeof cfg);
	cfg.lookup = lookup;
	cfg.sink = sink;
	cfg.arg = c;
	cfg.deadline_ms = deadline_ms;
	cfg.max_waiting = max_waiting;
	cfg.max_asks = max_asks;
	c->g = gate_new(&c->loop, &cfg);
	return c->g;
}

static int
setup(void **state)
{
	struct ctx *c = xcalloc(1, sizeof *c);

	assert_int_equal(uv_loop_init(&c->loop), 0);
	uv_timer_init(&c->loop, &c->guard);
	c->guard.data = c;
	gate_with(c, 0, 0, 0);
	*state = c;
	return 0;
}

static void
on_gate_closed(void *arg)
{
	struct ctx *c = arg;

	c->closed = 2;
}

static void
on_handle_closed(uv_handle_t *h)
{
	(void)h;
}

static int
teardown(void **state)
{
	struct ctx *c = *state;
	size_t i, j;

	if (!c->closed) {
		c->closed = 1;
		gate_close(c->g, on_gate_closed, c);
	}
	uv_close((uv_handle_t *)&c->guard, on_handle_closed);
	uv_run(&c->loop, UV_RUN_DEFAULT);
	assert_int_equal(c->closed, 2);
	assert_int_equal(c->sink_closed, 0);
	gate_free(c->g);
	assert_int_equal(uv_loop_close(&c->loop), 0);
	for (i = 0; i < c->n_seen; i++) {
		free(c->seen[i].text);
		for (j = 0; j < c->seen[i].n; j++) {
			free(c->seen[i].names[j]);
			free(c->seen[i].ids[j]);
		}
	}
	for (i = 0; i < c->n_asks; i++)
		free(c->asks[i].name);
	free(c);
	return 0;
}

/* Push a message by AUTHOR; the push's result. */
static int
push(struct ctx *c, const char *text, uint64_t tag)
{
	struct chat_event ev;

	memset(&ev, 0, sizeof ev);
	ev.kind = CHAT_MESSAGE;
	ev.channel_key = "chan";
	ev.channel_name = "ops";
	ev.user_id = AUTHOR_ID;
	ev.user_name = AUTHOR;
	ev.text = text;
	ev.post_id = "post";
	return gate_push(c->g, &ev, tag);
}

/* The lookup under way for name (the latest one). */
static struct gate_ask *
ask_of(struct ctx *c, const char *name)
{
	size_t i = c->n_asks;

	while (i-- > 0)
		if (c->asks[i].ask != NULL &&
		    strcmp(c->asks[i].name, name) == 0)
			return c->asks[i].ask;
	fail_msg("no lookup of @%s under way", name);
	return NULL;
}

/* Answer the lookup of name. */
static void
answer(struct ctx *c, const char *name, enum chat_user_state state,
       const char *user_id)
{
	struct gate_ask *a = ask_of(c, name);
	size_t i;

	for (i = 0; i < c->n_asks; i++)
		if (c->asks[i].ask == a)
			c->asks[i].ask = NULL;
	gate_answer(a, state, user_id);
}

/* Run the loop until the sink saw n events (or the guard expired). */
static void
run_until(struct ctx *c, size_t n)
{
	uv_timer_start(&c->guard, on_guard, GUARD_MS, 0);
	while (c->n_seen < n && !c->expired)
		uv_run(&c->loop, UV_RUN_ONCE);
	uv_timer_stop(&c->guard);
	assert_false(c->expired);
}

/* Check mention i of seen event k. */
static void
check_mention(const struct ctx *c, size_t k, size_t i, const char *name,
	      enum chat_user_state state, const char *id)
{
	const struct seen *s = &c->seen[k];

	assert_true(i < s->n);
	assert_string_equal(s->names[i], name);
	assert_int_equal(s->states[i], state);
	if (id == NULL)
		assert_null(s->ids[i]);
	else
		assert_string_equal(s->ids[i], id);
}

/* Which words are looked up, on events that all go through at once. */
static void
test_names(void **state)
{
	static const struct {
		const char *text;
		const char *names; /* space-separated, in order */
	} cases[] = {
		{ "no names at all", "" },
		{ "", "" },
		{ "@alice", "alice" },
		{ "ask @alice and @Bob, then @ALICE again", "alice Bob" },
		{ "@carol writes to herself, @Carol too", "" },
		{ "mail alice@example.com or @dave.", "dave." },
		{ "@ @- lone", "-" },
		{ "(@bob) @bob_2.x-y", "bob bob_2.x-y" },
		{ "x "
		  "@aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		  "a"
		  "aaaaa y",
		  "" },
		{ "@a1 @a2 @a3 @a4 @a5 @a6 @a7 @a8 @a9 @a10",
		  "a1 a2 a3 a4 a5 a6 a7 a8" },
		{ "#action @nosuch fri call", "nosuch" },
		{ "@all hands", "all" },
		{ "中文 @alice 好", "alice" },
	};
	struct ctx *c = *state;
	char want[512], *p;
	size_t i, k, off;
	int rc;

	for (k = 0; k < sizeof cases / sizeof *cases; k++) {
		rc = push(c, cases[k].text, k + 1);
		/* Names not in the script wait; answer them found. */
		for (i = 0; i < c->n_asks; i++)
			if (c->asks[i].ask != NULL)
				answer(c, c->asks[i].name, CHAT_USER_FOUND,
				       "id-x");
		(void)rc;
		assert_int_equal(c->n_seen, k + 1);
		assert_int_equal(c->seen[k].tag, k + 1);
		assert_true(c->seen[k].names_checked);
		assert_string_equal(c->seen[k].text, cases[k].text);
		want[0] = '\0';
		off = 0;
		for (i = 0; i < c->seen[k].n; i++)
			off += (size_t)snprintf(want + off, sizeof want - off,
						"%s%s", i > 0 ? " " : "",
						c->seen[k].names[i]);
		p = want;
		assert_string_equal(p, cases[k].names);
	}
	assert_int_equal(gate_waiting(c->g), 0);
	assert_int_equal(gate_asks(c->g), 0);
}

/* Answers known at once go through at once, with what was learnt. */
static void
test_fast_path(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(push(c, "plain line", 1), 1);
	assert_int_equal(c->n_seen, 1);
	assert_int_equal(c->seen[0].n, 0);
	assert_int_equal(push(c, "#action @alice @nosuch call", 2), 1);
	assert_int_equal(c->n_seen, 2);
	check_mention(c, 1, 0, "alice", CHAT_USER_FOUND, "id-alice");
	check_mention(c, 1, 1, "nosuch", CHAT_USER_UNKNOWN, NULL);
	assert_int_equal(c->lookups, 2);
	assert_int_equal(gate_waiting(c->g), 0);
}

static void
on_later_closed(uv_handle_t *h)
{
	free(h->data);
}

static void
on_later(uv_timer_t *t)
{
	struct later *l = t->data;

	answer(l->c, l->name, l->state,
	       l->state == CHAT_USER_FOUND ? "id-late" : NULL);
	uv_close((uv_handle_t *)t, on_later_closed);
}

/* Answer name from the loop after ms. */
static void
answer_later(struct ctx *c, const char *name, enum chat_user_state state,
	     uint64_t ms)
{
	struct later *l = xcalloc(1, sizeof *l);

	l->c = c;
	l->name = name;
	l->state = state;
	uv_timer_init(&c->loop, &l->timer);
	l->timer.data = l;
	uv_timer_start(&l->timer, on_later, ms, 0);
}

/*
 * Events leave in the order they came: fast ones wait behind a slow
 * one, and a later event answered first waits for the earlier.
 */
static void
test_order(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(push(c, "one @slow1", 1), 0);
	assert_int_equal(push(c, "two, no names", 2), 0);
	assert_int_equal(push(c, "three @alice", 3), 0);
	assert_int_equal(push(c, "four @slow2 @bob", 4), 0);
	assert_int_equal(push(c, "five", 5), 0);
	assert_int_equal(c->n_seen, 0);
	assert_int_equal(gate_waiting(c->g), 5);
	assert_int_equal(gate_asks(c->g), 2);
	/* slow2 is answered first, from the loop; slow1 later. */
	answer_later(c, "slow2", CHAT_USER_UNKNOWN, 5);
	answer_later(c, "slow1", CHAT_USER_FOUND, 30);
	run_until(c, 5);
	assert_string_equal(c->seen[0].text, "one @slow1");
	assert_string_equal(c->seen[1].text, "two, no names");
	assert_string_equal(c->seen[2].text, "three @alice");
	assert_string_equal(c->seen[3].text, "four @slow2 @bob");
	assert_string_equal(c->seen[4].text, "five");
	assert_int_equal(c->seen[0].tag, 1);
	assert_int_equal(c->seen[4].tag, 5);
	check_mention(c, 0, 0, "slow1", CHAT_USER_FOUND, "id-late");
	check_mention(c, 2, 0, "alice", CHAT_USER_FOUND, "id-alice");
	check_mention(c, 3, 0, "slow2", CHAT_USER_UNKNOWN, NULL);
	check_mention(c, 3, 1, "bob", CHAT_USER_FOUND, "id-bob");
	assert_int_equal(gate_waiting(c->g), 0);
	assert_int_equal(gate_asks(c->g), 0);
	/* Nothing waits: the fast path again. */
	assert_int_equal(push(c, "six @bob", 6), 1);
	assert_int_equal(c->n_seen, 6);
}

/* A 404 is unknown, an error unchecked; an answered id is copied. */
static void
test_answers(void **state)
{
	struct ctx *c = *state;
	char id[] = "id-eve";
	char long_id[GATE_ID_MAX + 2];

	assert_int_equal(push(c, "@eve @frank @gina @hal", 1), 0);
	answer(c, "frank", CHAT_USER_UNKNOWN, NULL);
	answer(c, "gina", CHAT_USER_UNCHECKED, NULL);
	memset(long_id, 'x', sizeof long_id - 1);
	long_id[sizeof long_id - 1] = '\0';
	answer(c, "hal", CHAT_USER_FOUND, long_id);
	assert_int_equal(c->n_seen, 0);
	answer(c, "eve", CHAT_USER_FOUND, id);
	memset(id, 'z', sizeof id - 1); /* the gate kept its own copy */
	assert_int_equal(c->n_seen, 1);
	check_mention(c, 0, 0, "eve", CHAT_USER_FOUND, "id-eve");
	check_mention(c, 0, 1, "frank", CHAT_USER_UNKNOWN, NULL);
	check_mention(c, 0, 2, "gina", CHAT_USER_UNCHECKED, NULL);
	/* An id too long to be one is not believed. */
	check_mention(c, 0, 3, "hal", CHAT_USER_UNCHECKED, NULL);
}

/* A lookup that never ends holds its event until the deadline only. */
static void
test_deadline(void **state)
{
	struct ctx *c = *state;
	uint64_t start;

	gate_close(c->g, NULL, NULL);
	uv_run(&c->loop, UV_RUN_DEFAULT);
	gate_free(c->g);
	gate_with(c, 50, 0, 0);
	start = uv_now(&c->loop);
	assert_int_equal(push(c, "@hang and @alice", 1), 0);
	assert_int_equal(push(c, "behind it", 2), 0);
	run_until(c, 2);
	uv_update_time(&c->loop);
	assert_true(uv_now(&c->loop) - start >= 50);
	check_mention(c, 0, 0, "hang", CHAT_USER_UNCHECKED, NULL);
	check_mention(c, 0, 1, "alice", CHAT_USER_FOUND, "id-alice");
	assert_string_equal(c->seen[1].text, "behind it");
	/* The answer comes after all: freed, nothing sent again. */
	assert_int_equal(gate_asks(c->g), 1);
	answer(c, "hang", CHAT_USER_FOUND, "id-hang");
	assert_int_equal(gate_asks(c->g), 0);
	assert_int_equal(c->n_seen, 2);
	/* A second event waits its own full deadline. */
	assert_int_equal(push(c, "@hang2", 3), 0);
	run_until(c, 3);
	check_mention(c, 2, 0, "hang2", CHAT_USER_UNCHECKED, NULL);
}

/* At most max_waiting events wait; at most max_asks lookups run. */
static void
test_bounds(void **state)
{
	struct ctx *c = *state;

	gate_close(c->g, NULL, NULL);
	uv_run(&c->loop, UV_RUN_DEFAULT);
	gate_free(c->g);
	gate_with(c, 60000, 3, 5);
	assert_int_equal(push(c, "1 @w1", 1), 0);
	assert_int_equal(push(c, "2 @w2", 2), 0);
	assert_int_equal(push(c, "3 @w3", 3), 0);
	assert_int_equal(c->n_seen, 0);
	/* Full: the head goes on unchecked, the new one waits. */
	assert_int_equal(push(c, "4 @w4", 4), 0);
	assert_int_equal(c->n_seen, 1);
	assert_string_equal(c->seen[0].text, "1 @w1");
	check_mention(c, 0, 0, "w1", CHAT_USER_UNCHECKED, NULL);
	assert_int_equal(gate_waiting(c->g), 3);
	/* Five lookups under way (w1's too): no sixth. */
	assert_int_equal(push(c, "5 @w5 @w6 @alice", 5), 0);
	assert_int_equal(c->n_seen, 2);
	assert_int_equal(gate_asks(c->g), 5);
	assert_int_equal(c->lookups, 5);
	/* The head's answer lets it and what is ready behind it go. */
	answer(c, "w2", CHAT_USER_FOUND, "id-w2");
	answer(c, "w3", CHAT_USER_FOUND, "id-w3");
	answer(c, "w4", CHAT_USER_FOUND, "id-w4");
	assert_int_equal(c->n_seen, 4);
	answer(c, "w5", CHAT_USER_UNKNOWN, NULL);
	assert_int_equal(c->n_seen, 5);
	check_mention(c, 4, 0, "w5", CHAT_USER_UNKNOWN, NULL);
	check_mention(c, 4, 1, "w6", CHAT_USER_UNCHECKED, NULL);
	check_mention(c, 4, 2, "alice", CHAT_USER_UNCHECKED, NULL);
	/* w1's late answer frees the last ask. */
	answer(c, "w1", CHAT_USER_FOUND, "id-w1");
	assert_int_equal(gate_asks(c->g), 0);
	assert_int_equal(c->n_seen, 5);
}

/* A stopping adapter hands what waits on at once, in order. */
static void
test_flush(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(push(c, "a @x1", 1), 0);
	assert_int_equal(push(c, "b @alice", 2), 0);
	answer(c, "x1", CHAT_USER_FOUND, "id-x1");
	assert_int_equal(c->n_seen, 2);
	assert_int_equal(push(c, "c @x2", 3), 0);
	assert_int_equal(push(c, "d", 4), 0);
	gate_flush(c->g);
	assert_int_equal(c->n_seen, 4);
	assert_string_equal(c->seen[2].text, "c @x2");
	check_mention(c, 2, 0, "x2", CHAT_USER_UNCHECKED, NULL);
	assert_string_equal(c->seen[3].text, "d");
	answer(c, "x2", CHAT_USER_FOUND, "id-x2");
	assert_int_equal(c->n_seen, 4);
	assert_int_equal(gate_asks(c->g), 0);
}

/* Close with events waiting: dropped, the sink never called again. */
static void
test_close_waiting(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(push(c, "a @y1", 1), 0);
	assert_int_equal(push(c, "b @y2 @alice", 2), 0);
	assert_int_equal(push(c, "c", 3), 0);
	c->closed = 1;
	gate_close(c->g, on_gate_closed, c);
	assert_int_equal(gate_waiting(c->g), 0);
	/* Answers still come (the HTTP client ends its lookups). */
	answer(c, "y1", CHAT_USER_FOUND, "id-y1");
	assert_int_equal(push(c, "d", 4), -1);
	uv_run(&c->loop, UV_RUN_DEFAULT);
	assert_int_equal(c->closed, 2);
	answer(c, "y2", CHAT_USER_UNCHECKED, NULL);
	assert_int_equal(c->n_seen, 0);
	assert_int_equal(gate_asks(c->g), 0);
}

/* Close with a lookup that never ends: gate_free frees it. */
static void
test_free_with_asks(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(push(c, "@never", 1), 0);
	c->closed = 1;
	gate_close(c->g, on_gate_closed, c);
	uv_run(&c->loop, UV_RUN_DEFAULT);
	assert_int_equal(gate_asks(c->g), 1);
	assert_int_equal(c->n_seen, 0);
}

/* A push from within the sink queues behind what waits. */
static void
test_push_from_sink(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(push(c, "first @z1", 1), 0);
	assert_int_equal(push(c, "second", 2), 0);
	c->push_from_sink = "from the sink";
	answer(c, "z1", CHAT_USER_FOUND, "id-z1");
	assert_int_equal(c->n_seen, 3);
	assert_string_equal(c->seen[0].text, "first @z1");
	assert_string_equal(c->seen[1].text, "second");
	assert_string_equal(c->seen[2].text, "from the sink");
	assert_int_equal(c->seen[2].tag, 99);
	assert_int_equal(gate_waiting(c->g), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fast_path, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_answers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deadline, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bounds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flush, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_waiting, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_free_with_asks, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_push_from_sink, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
