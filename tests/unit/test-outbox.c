/* SPDX-License-Identifier: MIT */
/*
 * test-outbox.c: the outbox drainer (src/outbox.c) on a real libuv loop
 * and a ":memory:" store, through a scripted adapter that records what it
 * was asked to send and answers each send with the result the test set:
 * delivery in order, edits that wait for their post and carry its id, an
 * edit whose post failed (refused without asking the adapter), retries,
 * and permanent failures.
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

#include "lihui/adapter.h"
#include "lihui/bot.h"
#include "lihui/config.h"
#include "lihui/outbox.h"
#include "lihui/store.h"
#include "lihui/xmalloc.h"

#define T0	 1767600000
#define MAX_SENT 16

/* The adapter: records sends and answers them from a script. */
struct script_adapter {
	struct adapter base;
	/* What send() was given, as "kind:text@post_id". */
	char *sent[MAX_SENT];
	size_t n_sent;
	/* Results for the next sends, in order; SEND_OK when they run out. */
	enum send_result results[MAX_SENT];
	size_t n_results, next_result;
	int post_counter;
};

struct fixture {
	uv_loop_t loop;
	struct store *store;
	struct config config;
	struct bot bot;
	struct script_adapter adapter;
	struct outbox *outbox;
	int64_t now;
	int closed;
};

static int64_t
fixed_now(void *arg)
{
	const struct fixture *f = arg;

	return f->now;
}

static int
script_send(struct adapter *a, const struct outbox_msg *m,
	    adapter_send_done_fn done, void *done_arg, char **cause)
{
	struct script_adapter *s = (struct script_adapter *)a;
	enum send_result result = SEND_OK;
	char post_id[32];

	(void)cause;
	assert_true(s->n_sent < MAX_SENT);
	s->sent[s->n_sent++] = xasprintf("%d:%s@%s", m->kind, m->text,
					 m->post_id != NULL ? m->post_id : "-");
	if (s->next_result < s->n_results)
		result = s->results[s->next_result++];
	snprintf(post_id, sizeof post_id, "post%d", ++s->post_counter);
	done(done_arg, m->id, result, result == SEND_OK ? post_id : NULL, 0,
	     result == SEND_OK ? NULL : "scripted failure");
	return 0;
}

static const struct adapter_ops script_ops = {
	.name = "script",
	.send = script_send,
};

static int
setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof *f);
	char *cause = NULL;

	f->store = store_open(":memory:", &cause);
	assert_non_null(f->store);
	assert_int_equal(uv_loop_init(&f->loop), 0);
	config_defaults(&f->config);
	f->now = T0;
	bot_init(&f->bot, &f->config, f->store, (struct clock){ fixed_now, f },
		 16383);
	f->adapter.base.ops = &script_ops;
	f->outbox = outbox_new(&f->loop, &f->bot, &f->adapter.base);
	*state = f;
	return 0;
}

static void
on_closed(void *arg)
{
	struct fixture *f = arg;

	f->closed = 1;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	size_t i;

	outbox_close(f->outbox, on_closed, f);
	uv_run(&f->loop, UV_RUN_DEFAULT);
	assert_true(f->closed);
	outbox_free(f->outbox);
	assert_int_equal(uv_loop_close(&f->loop), 0);
	for (i = 0; i < f->adapter.n_sent; i++)
		free(f->adapter.sent[i]);
	config_release(&f->config);
	store_close(f->store);
	free(f);
	return 0;
}

/* Kick the outbox and run the loop until nothing is left to do now. */
static void
drain(struct fixture *f)
{
	int i;

	outbox_kick(f->outbox);
	for (i = 0; i < 100; i++)
		uv_run(&f->loop, UV_RUN_NOWAIT);
}

static void
assert_sent(const struct fixture *f, const char *const *want, size_t n)
{
	size_t i;

	assert_int_equal(f->adapter.n_sent, n);
	for (i = 0; i < n; i++)
		assert_string_equal(f->adapter.sent[i], want[i]);
}

static int64_t
post(struct fixture *f, int kind, const char *channel, const char *user,
     const char *text)
{
	char *cause = NULL;
	int64_t id = 0;

	assert_int_equal(store_outbox_add(f->store, kind, channel, user, text,
					  f->now, &id, &cause),
			 0);
	return id;
}

static int
state_of(struct fixture *f, int64_t id)
{
	struct outbox_msg *m;
	char *cause = NULL;
	size_t n, i;
	int state = -1;

	assert_int_equal(store_outbox_since(f->store, 0, &m, &n, &cause), 0);
	for (i = 0; i < n; i++) {
		if (m[i].id != id)
			continue;
		state = m[i].state;
	}
	outbox_msg_list_free(m, n);
	return state;
}

static void
test_edit_follows_its_post(void **state)
{
	static const char *const want[] = {
		/* The reaction is due at once, the edit after its post. */
		"0:minutes v1@-",
		"4:white_check_mark@us3rp0st",
		"3:minutes v2@post1",
	};
	struct fixture *f = *state;
	char *cause = NULL;
	int64_t minutes, edit, reaction;

	minutes = post(f, OUTBOX_CHANNEL, "C1", NULL, "minutes v1");
	assert_int_equal(store_outbox_add_edit(f->store, minutes, "minutes v2",
					       f->now, &edit, &cause),
			 0);
	assert_int_equal(store_outbox_add_reaction(f->store, "C1", "us3rp0st",
						   "white_check_mark", f->now,
						   &reaction, &cause),
			 0);
	drain(f);
	assert_sent(f, want, 3);
	assert_int_equal(state_of(f, edit), OUTBOX_SENT);
	assert_int_equal(state_of(f, reaction), OUTBOX_SENT);
	assert_int_equal(outbox_backlog(f->outbox), 0);
}

static void
test_edit_of_a_failed_post(void **state)
{
	static const char *const want[] = { "2:reminder@-" };
	struct fixture *f = *state;
	char *cause = NULL;
	int64_t dm, edit;

	f->adapter.results[f->adapter.n_results++] = SEND_FAILED;
	dm = post(f, OUTBOX_DIRECT, "C1", "bob", "reminder");
	assert_int_equal(store_outbox_add_edit(f->store, dm, "reminder, again",
					       f->now, &edit, &cause),
			 0);
	drain(f);
	/* The adapter never sees the edit; the row is failed, not lost. */
	assert_sent(f, want, 1);
	assert_int_equal(state_of(f, dm), OUTBOX_FAILED);
	assert_int_equal(state_of(f, edit), OUTBOX_FAILED);
	assert_int_equal(outbox_backlog(f->outbox), 0);
}

static void
test_retry_keeps_order(void **state)
{
	static const char *const want[] = { "0:one@-" };
	struct fixture *f = *state;
	int64_t one, two;

	f->adapter.results[f->adapter.n_results++] = SEND_RETRY;
	one = post(f, OUTBOX_CHANNEL, "C1", NULL, "one");
	two = post(f, OUTBOX_CHANNEL, "C1", NULL, "two");
	drain(f);
	/* "two" waits behind "one", which waits for its retry time. */
	assert_sent(f, want, 1);
	assert_int_equal(state_of(f, one), OUTBOX_PENDING);
	assert_int_equal(state_of(f, two), OUTBOX_PENDING);
	assert_int_equal(outbox_backlog(f->outbox), 2);

	f->now += 3600;
	drain(f);
	assert_int_equal(f->adapter.n_sent, 3);
	assert_string_equal(f->adapter.sent[1], "0:one@-");
	assert_string_equal(f->adapter.sent[2], "0:two@-");
	assert_int_equal(state_of(f, two), OUTBOX_SENT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_edit_follows_its_post,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_edit_of_a_failed_post,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_retry_keeps_order, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
