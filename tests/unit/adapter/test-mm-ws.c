/* SPDX-License-Identifier: MIT */
/*
 * test-mm-ws.c: the Mattermost WebSocket session (mm-ws.c) against the
 * fake Mattermost server on the same loop: authentication, events in
 * order, replays skipped, resume after a drop, a new session after a
 * server restart, a gap in seq, frames that do not parse, and the URL.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <uv.h>

#include "../../../src/adapter/mm-ws.h"
#include "fake-mm.h"
#include "lihui/xmalloc.h"

#define TOKEN	"bot-token-1234"
#define WAIT_MS 15000

struct fixture {
	uv_loop_t loop;
	struct fake_mm *mm;
	struct mm_ws *ws;
	char messages[16][64]; /* posted messages seen, in order */
	size_t n_messages;
	size_t want; /* messages wait_messages() waits for */
	int lost;
	int closed;
};

static void
on_posted(void *arg, const struct mm_msg *msg)
{
	struct fixture *fx = arg;

	assert_true(fx->n_messages < 16);
	snprintf(fx->messages[fx->n_messages++], 64, "%s", msg->message);
}

static void
on_lost(void *arg)
{
	struct fixture *fx = arg;

	fx->lost++;
}

static struct fixture *
fx_new(void)
{
	struct fixture *fx = xcalloc(1, sizeof *fx);
	struct mm_ws_options o;
	struct mm_ws_events ev = { on_posted, on_lost, NULL };
	char *cause = NULL, *url;

	assert_int_equal(uv_loop_init(&fx->loop), 0);
	fx->mm = fake_mm_new(&fx->loop, TOKEN, &cause);
	if (fx->mm == NULL)
		fail_msg("fake_mm_new: %s", cause);
	url = fake_mm_url(fx->mm, "");
	memset(&o, 0, sizeof o);
	o.server_url = url;
	o.token = TOKEN;
	ev.arg = fx;
	fx->ws = mm_ws_new(&fx->loop, &o, &ev, &cause);
	free(url);
	if (fx->ws == NULL)
		fail_msg("mm_ws_new: %s", cause);
	return fx;
}

static void
on_closed(void *arg)
{
	struct fixture *fx = arg;

	fx->closed = 1;
}

static void
fx_free(struct fixture *fx)
{
	mm_ws_close(fx->ws, on_closed, fx);
	fake_mm_close(fx->mm);
	uv_run(&fx->loop, UV_RUN_DEFAULT);
	assert_true(fx->closed);
	mm_ws_free(fx->ws);
	assert_int_equal(uv_loop_close(&fx->loop), 0);
	free(fx);
}

static int
is_connected(struct fake_mm *mm, void *arg)
{
	struct fixture *fx = arg;

	(void)mm;
	return mm_ws_connected(fx->ws);
}

static int
has_messages(struct fake_mm *mm, void *arg)
{
	struct fixture *fx = arg;

	(void)mm;
	return fx->n_messages >= fx->want;
}

/* Run until n posted messages were seen. */
static void
wait_messages(struct fixture *fx, size_t n)
{
	fx->want = n;
	if (fake_mm_wait(fx->mm, has_messages, fx, WAIT_MS) != 0)
		fail_msg("saw %zu messages, waited for %zu", fx->n_messages, n);
}

static void
wait_connected(struct fixture *fx)
{
	if (fake_mm_wait(fx->mm, is_connected, fx, WAIT_MS) != 0)
		fail_msg("not connected");
}

static int
is_disconnected(struct fake_mm *mm, void *arg)
{
	return !is_connected(mm, arg);
}

/* Let the loop run a little (events that should not arrive). */
static int
never(struct fake_mm *mm, void *arg)
{
	(void)mm;
	(void)arg;
	return 0;
}

static void
test_connect_and_events(void **state)
{
	struct fixture *fx = fx_new();
	size_t i;
	int challenge = 0;

	(void)state;
	mm_ws_start(fx->ws);
	wait_connected(fx);
	assert_true(fake_mm_ws_authenticated(fx->mm));
	fake_mm_ws_push(fx->mm, "typing", "{\"parent_id\":\"\"}", NULL);
	fake_mm_ws_push_posted(fx->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_ALICE_ID,
			       "first", "O");
	fake_mm_ws_push(fx->mm, "status_change",
			"{\"status\":\"away\",\"user_id\":\"x\"}", NULL);
	fake_mm_ws_push_posted(fx->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_BOB_ID,
			       "second", "O");
	wait_messages(fx, 2);
	assert_string_equal(fx->messages[0], "first");
	assert_string_equal(fx->messages[1], "second");
	assert_int_equal(mm_ws_stats(fx->ws)->events, 4);
	for (i = 0; i < fake_mm_ws_received_count(fx->mm); i++) {
		const char *m = fake_mm_ws_received_at(fx->mm, i);

		challenge |= strstr(m, "authentication_challenge") != NULL;
		assert_null(strstr(m, "Bearer"));
	}
	assert_true(challenge);
	assert_int_equal(fx->lost, 0);
	fx_free(fx);
}

/* A dropped connection is resumed: what was missed arrives once. */
static void
test_resume(void **state)
{
	struct fixture *fx = fx_new();

	(void)state;
	mm_ws_start(fx->ws);
	wait_connected(fx);
	fake_mm_ws_push_posted(fx->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_ALICE_ID,
			       "before", "O");
	wait_messages(fx, 1);
	fake_mm_ws_drop(fx->mm);
	if (fake_mm_wait(fx->mm, is_disconnected, fx, WAIT_MS) != 0)
		fail_msg("drop not noticed");
	fake_mm_ws_push_posted(fx->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_ALICE_ID,
			       "while away", "O");
	wait_messages(fx, 2);
	fake_mm_ws_push_posted(fx->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_ALICE_ID,
			       "after", "O");
	wait_messages(fx, 3);
	fake_mm_wait(fx->mm, never, NULL, 300);
	assert_int_equal(fx->n_messages, 3);
	assert_string_equal(fx->messages[1], "while away");
	assert_string_equal(fx->messages[2], "after");
	assert_int_equal(fake_mm_ws_resumes(fx->mm), 1);
	assert_int_equal(mm_ws_stats(fx->ws)->resumes, 1);
	assert_int_equal(fx->lost, 0);
	fx_free(fx);
}

/* A restarted server gives a new session: the loss is reported once. */
static void
test_restart(void **state)
{
	struct fixture *fx = fx_new();
	char *first;

	(void)state;
	mm_ws_start(fx->ws);
	wait_connected(fx);
	first = xstrdup(fake_mm_ws_connection_id(fx->mm));
	fake_mm_ws_restart(fx->mm);
	if (fake_mm_wait(fx->mm, is_disconnected, fx, WAIT_MS) != 0)
		fail_msg("restart not noticed");
	wait_connected(fx);
	assert_string_not_equal(first, fake_mm_ws_connection_id(fx->mm));
	free(first);
	assert_int_equal(fx->lost, 1);
	assert_int_equal(mm_ws_stats(fx->ws)->lost, 1);
	fake_mm_ws_push_posted(fx->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_ALICE_ID,
			       "new session", "O");
	wait_messages(fx, 1);
	fx_free(fx);
}

/*
 * Frames outside the sequence: a replay of an old seq is skipped, a frame
 * that does not parse is counted and the connection goes on, and a jump
 * ahead makes lihui resume from the seq it expected.
 */
static void
test_sequence(void **state)
{
	struct fixture *fx = fx_new();

	(void)state;
	mm_ws_start(fx->ws);
	wait_connected(fx);
	fake_mm_ws_push_posted(fx->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_ALICE_ID,
			       "one", "O");
	wait_messages(fx, 1);
	/* seq 1 again: a replay */
	fake_mm_ws_send_raw(fx->mm, "{\"event\":\"typing\",\"data\":{},"
				    "\"broadcast\":{},\"seq\":1}");
	fake_mm_ws_send_raw(fx->mm, "{\"event\":\"posted\",\"data\":{\"post\":"
				    "\"{broken\"},\"seq\":2}");
	fake_mm_ws_push_posted(fx->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_ALICE_ID,
			       "two", "O");
	wait_messages(fx, 2);
	assert_int_equal(mm_ws_stats(fx->ws)->duplicates, 1);
	assert_int_equal(mm_ws_stats(fx->ws)->refused, 1);
	assert_int_equal(fake_mm_ws_connections(fx->mm), 1);
	/* seq 99 where 3 is expected: resume from 3 */
	fake_mm_ws_send_raw(fx->mm, "{\"event\":\"typing\",\"data\":{},"
				    "\"broadcast\":{},\"seq\":99}");
	if (fake_mm_wait(fx->mm, is_disconnected, fx, WAIT_MS) != 0)
		fail_msg("gap not acted on");
	wait_connected(fx);
	fake_mm_ws_push_posted(fx->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_ALICE_ID,
			       "three", "O");
	wait_messages(fx, 3);
	assert_int_equal(fake_mm_ws_resumes(fx->mm), 1);
	assert_int_equal(fx->lost, 0);
	fx_free(fx);
}

/* Upgrades refused for a while: lihui keeps trying and gets in. */
static void
test_refused_then_accepted(void **state)
{
	struct fixture *fx = fx_new();

	(void)state;
	fake_mm_ws_refuse_for(fx->mm, 1500);
	mm_ws_start(fx->ws);
	wait_connected(fx);
	assert_true(fake_mm_ws_authenticated(fx->mm));
	fx_free(fx);
}

/* Closing while a connect is in progress leaves nothing behind. */
static void
test_close_while_connecting(void **state)
{
	struct fixture *fx = fx_new();

	(void)state;
	mm_ws_start(fx->ws);
	fx_free(fx);
}

static void
test_url(void **state)
{
	static const struct {
		const char *server, *id;
		int64_t seq;
		const char *want; /* NULL: refused */
	} cases[] = {
		{ "http://127.0.0.1:8065", NULL, 0,
		  "ws://127.0.0.1:8065/api/v4/websocket" },
		{ "https://chat.example.com/mm", NULL, 0,
		  "wss://chat.example.com/mm/api/v4/websocket" },
		{ "https://chat.example.com", "abc123", 42,
		  "wss://chat.example.com/api/v4/websocket?connection_id="
		  "abc123&sequence_number=42" },
		{ "ftp://chat.example.com", NULL, 0, NULL },
		{ "chat.example.com", NULL, 0, NULL },
	};
	size_t i;
	char *url, *cause;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cause = NULL;
		url = mm_ws_url(cases[i].server, cases[i].id, cases[i].seq,
				&cause);
		if (cases[i].want == NULL) {
			assert_null(url);
			assert_non_null(cause);
			free(cause);
			continue;
		}
		assert_non_null(url);
		assert_string_equal(url, cases[i].want);
		free(url);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url),
		cmocka_unit_test(test_connect_and_events),
		cmocka_unit_test(test_resume),
		cmocka_unit_test(test_restart),
		cmocka_unit_test(test_sequence),
		cmocka_unit_test(test_refused_then_accepted),
		cmocka_unit_test(test_close_while_connecting),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
