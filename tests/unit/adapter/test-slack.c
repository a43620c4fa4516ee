/* SPDX-License-Identifier: MIT */
/*
 * test-slack.c: the Slack adapter (src/adapter/slack.c) on a real libuv
 * loop against the fake Slack (tests/lib/fake-slack.h: the Web API and
 * the Socket Mode WebSocket on 127.0.0.1). Covered: start-up (auth.test,
 * apps.connections.open, hello, ready), slash commands reaching the sink
 * and their ack held until the batch is durable, with the command's
 * ephemeral answer in the ack's payload; messages, mentions (a mention
 * sent as message and app_mention handled once), the bot's own and other
 * bots' messages ignored, redelivered envelopes handled once; a
 * refresh_requested disconnect (new connection first, nothing lost), a
 * dropped connection (reconnect with a fresh URL), link_disabled (no more
 * connections); and every kind of outbox send with its Web API call.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <uv.h>

#include "fake-slack.h"
#include "event-copy.h"
#include "lihui/adapter.h"
#include "lihui/config.h"
#include "lihui/store.h"
#include "lihui/xmalloc.h"

#define BOT_TOKEN  "xoxb-test-bot"
#define APP_TOKEN  "xapp-test-app"
#define MAX_EVENTS 16
#define WAIT_MS	   10000 /* generous: valgrind is slow */

struct fixture {
	uv_loop_t loop;
	struct fake_slack *sl;
	struct config cfg;
	struct adapter *a;
	int closed;
	struct event_copy ev[MAX_EVENTS];
	size_t nev;
	uint64_t gen;	  /* the batch the sink reports */
	uint64_t durable; /* batches up to this are durable */
	int done_called;
	enum send_result result;
	char *post_id;
	int retry_after;
	char *error;
	const char *wait_id; /* the envelope acked() waits for */
};

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static void
sink_event(void *arg, const struct chat_event *e)
{
	struct fixture *fx = arg;

	assert_true(fx->nev < MAX_EVENTS);
	event_copy_init(&fx->ev[fx->nev++], e);
	fx->gen++; /* each event is a new batch */
}

static void
sink_closed(void *arg)
{
	(void)arg;
}

static uint64_t
sink_generation(void *arg)
{
	return ((struct fixture *)arg)->gen;
}

static int
sink_durable(void *arg, uint64_t gen)
{
	return gen <= ((struct fixture *)arg)->durable;
}

static void
run_until(struct fixture *fx, int (*cond)(struct fixture *))
{
	uint64_t end;

	uv_update_time(&fx->loop);
	end = uv_now(&fx->loop) + WAIT_MS;
	while (!cond(fx)) {
		uv_run(&fx->loop, UV_RUN_ONCE);
		if (uv_now(&fx->loop) > end)
			fail_msg("timed out");
	}
}

static void
run_for(struct fixture *fx, uint64_t ms)
{
	uint64_t end;

	uv_update_time(&fx->loop);
	end = uv_now(&fx->loop) + ms;
	while (uv_now(&fx->loop) < end)
		uv_run(&fx->loop, UV_RUN_NOWAIT);
}

static int
is_ready(struct fixture *fx)
{
	return fx->a->ops->ready(fx->a) && fake_slack_ws_ready(fx->sl) >= 1;
}

static int
has_event(struct fixture *fx)
{
	return fx->nev > 0;
}

static int
send_done(struct fixture *fx)
{
	return fx->done_called;
}

static int
setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof *fx);
	struct adapter_sink sink;
	char *cause = NULL;

	assert_int_equal(uv_loop_init(&fx->loop), 0);
	fx->sl = fake_slack_new(&fx->loop, BOT_TOKEN, APP_TOKEN, &cause);
	assert_non_null(fx->sl);
	config_defaults(&fx->cfg);
	fx->cfg.slack_bot_token = xstrdup(BOT_TOKEN);
	fx->cfg.slack_app_token = xstrdup(APP_TOKEN);
	free(fx->cfg.slack_api_url);
	fx->cfg.slack_api_url = fake_slack_api_url(fx->sl);
	memset(&sink, 0, sizeof sink);
	sink.event = sink_event;
	sink.closed = sink_closed;
	sink.generation = sink_generation;
	sink.durable = sink_durable;
	sink.arg = fx;
	fx->a = adapter_slack.create(&fx->cfg, &fx->loop, &sink, &cause);
	assert_non_null(fx->a);
	assert_int_equal(fx->a->ops->start(fx->a, &cause), 0);
	run_until(fx, is_ready);
	*state = fx;
	return 0;
}

static void
on_closed(void *arg)
{
	((struct fixture *)arg)->closed = 1;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;
	size_t i;

	fx->a->ops->close(fx->a, on_closed, fx);
	fake_slack_close(fx->sl);
	uv_run(&fx->loop, UV_RUN_DEFAULT);
	assert_true(fx->closed);
	fx->a->ops->free(fx->a);
	assert_int_equal(uv_loop_close(&fx->loop), 0);
	config_release(&fx->cfg);
	for (i = 0; i < fx->nev; i++)
		event_copy_release(&fx->ev[i]);
	free(fx->post_id);
	free(fx->error);
	free(fx);
	return 0;
}

static void
on_send_done(void *arg, int64_t msg_id, enum send_result result,
	     const char *post_id, int retry_after, const char *error)
{
	struct fixture *fx = arg;

	(void)msg_id;
	fx->done_called++;
	fx->result = result;
	free(fx->post_id);
	fx->post_id = dup_or_null(post_id);
	fx->retry_after = retry_after;
	free(fx->error);
	fx->error = dup_or_null(error);
}

/* Send one outbox message and wait for its end. */
static void
send_msg(struct fixture *fx, int kind, const char *channel, const char *user,
	 const char *text, const char *post_id)
{
	struct outbox_msg m;
	char *cause = NULL;

	memset(&m, 0, sizeof m);
	m.id = 1;
	m.kind = kind;
	m.channel_key = (char *)channel;
	m.user = (char *)user;
	m.text = (char *)text;
	m.post_id = (char *)post_id;
	fx->done_called = 0;
	assert_int_equal(fx->a->ops->send(fx->a, &m, on_send_done, fx, &cause),
			 0);
	run_until(fx, send_done);
	assert_int_equal(fx->done_called, 1);
}

static int
acked(struct fixture *fx)
{
	const struct fake_slack_envelope *e =
	    fake_slack_envelope_find(fx->sl, fx->wait_id);

	return e != NULL && e->acks > 0;
}

static void
test_start(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(fake_slack_count(fx->sl, "auth.test"), 1);
	assert_int_equal(fake_slack_count(fx->sl, "apps.connections.open"), 1);
	assert_int_equal(fake_slack_ws_open(fx->sl), 1);
}

/* A command: to the sink; its ack waits for durability, with the answer. */
static void
test_command_ack(void **state)
{
	struct fixture *fx = *state;
	const struct fake_slack_envelope *e;
	struct json_object *o, *v;

	fx->wait_id = fake_slack_push_command(
	    fx->sl, "/report",
	    "done: ship <@" FAKE_SLACK_BOB_ID "|bob> &amp; more",
	    FAKE_SLACK_ALICE_ID, FAKE_SLACK_CHANNEL_ID);
	run_until(fx, has_event);
	assert_int_equal(fx->ev[0].kind, CHAT_COMMAND);
	assert_string_equal(fx->ev[0].trigger, "report");
	assert_string_equal(fx->ev[0].text, "done: ship @bob & more");
	assert_string_equal(fx->ev[0].user_id, FAKE_SLACK_ALICE_ID);
	assert_string_equal(fx->ev[0].channel_key, FAKE_SLACK_CHANNEL_ID);
	assert_int_equal(fx->ev[0].is_direct, 0);
	/* Not durable yet: no ack. */
	run_for(fx, 200);
	e = fake_slack_envelope_find(fx->sl, fx->wait_id);
	assert_int_equal(e->acks, 0);
	/* The bot's ephemeral answer rides in the ack. */
	send_msg(fx, OUTBOX_EPHEMERAL, FAKE_SLACK_CHANNEL_ID,
		 FAKE_SLACK_ALICE_ID, "**Recorded** for @bob", NULL);
	assert_int_equal(fx->result, SEND_OK);
	assert_int_equal(fake_slack_count(fx->sl, "chat.postEphemeral"), 0);
	fx->durable = fx->gen;
	fx->a->ops->durable(fx->a);
	run_until(fx, acked);
	e = fake_slack_envelope_find(fx->sl, fx->wait_id);
	assert_non_null(e->ack_payload);
	o = json_tokener_parse(e->ack_payload);
	assert_non_null(o);
	assert_true(json_object_object_get_ex(o, "response_type", &v));
	assert_string_equal(json_object_get_string(v), "ephemeral");
	assert_true(json_object_object_get_ex(o, "text", &v));
	assert_non_null(strstr(json_object_get_string(v), "Recorded"));
	json_object_put(o);
	assert_true(e->ack_ms - e->sent_ms < 3000);
}

/* Without durability the ack still goes inside Slack's 3 s. */
static void
test_command_deadline(void **state)
{
	struct fixture *fx = *state;
	const struct fake_slack_envelope *e;

	fx->wait_id = fake_slack_push_command(
	    fx->sl, "/agenda", "", FAKE_SLACK_ALICE_ID, FAKE_SLACK_CHANNEL_ID);
	run_until(fx, acked);
	e = fake_slack_envelope_find(fx->sl, fx->wait_id);
	assert_null(e->ack_payload);
	assert_true(e->ack_ms - e->sent_ms >= 2000);
	assert_true(e->ack_ms - e->sent_ms < 3000);
	assert_int_equal(fx->nev, 1);
}

static int
two_events(struct fixture *fx)
{
	return fx->nev >= 2;
}

static void
test_messages(void **state)
{
	struct fixture *fx = *state;
	const char *id;

	/* Own and bots' messages: acked, ignored. */
	fake_slack_push_event(
	    fx->sl, "{\"type\":\"message\",\"channel\":\"" FAKE_SLACK_CHANNEL_ID
		    "\",\"user\":\"" FAKE_SLACK_BOT_USER_ID
		    "\",\"text\":\"mine\",\"ts\":\"1.1\"}");
	fake_slack_push_event(
	    fx->sl, "{\"type\":\"message\",\"subtype\":\"bot_message\","
		    "\"bot_id\":\"B9\",\"channel\":\"" FAKE_SLACK_CHANNEL_ID
		    "\",\"text\":\"bot\",\"ts\":\"1.2\"}");
	/* A mention: as message and as app_mention, handled once. */
	fake_slack_push_event(
	    fx->sl, "{\"type\":\"message\",\"channel\":\"" FAKE_SLACK_CHANNEL_ID
		    "\",\"user\":\"" FAKE_SLACK_ALICE_ID
		    "\",\"text\":\"<@" FAKE_SLACK_BOT_USER_ID
		    "> agenda\",\"ts\":\"1.3\","
		    "\"channel_type\":\"channel\"}");
	fake_slack_push_event(
	    fx->sl,
	    "{\"type\":\"app_mention\",\"channel\":\"" FAKE_SLACK_CHANNEL_ID
	    "\",\"user\":\"" FAKE_SLACK_ALICE_ID
	    "\",\"text\":\"<@" FAKE_SLACK_BOT_USER_ID
	    "> agenda\",\"ts\":\"1.3\"}");
	id = fake_slack_push_message(fx->sl, "D0ALICE001", FAKE_SLACK_ALICE_ID,
				     "# done x", "im");
	run_until(fx, two_events);
	run_for(fx, 200);
	assert_int_equal(fx->nev, 2);
	assert_int_equal(fx->ev[0].kind, CHAT_MESSAGE);
	assert_string_equal(fx->ev[0].text, "@lihui agenda");
	assert_int_equal(fx->ev[0].mentions_bot, 1);
	assert_int_equal(fx->ev[0].is_direct, 0);
	assert_string_equal(fx->ev[0].post_id, FAKE_SLACK_CHANNEL_ID ":1.3");
	assert_string_equal(fx->ev[1].text, "# done x");
	/* users.list was read at start: names for ids. */
	assert_string_equal(fx->ev[1].user_name, "alice");
	assert_int_equal(fx->ev[1].is_direct, 1);
	assert_int_equal(fx->ev[1].mentions_bot, 0);
	/* Redelivered, same id and a fresh one: acked, not handled again. */
	fake_slack_redeliver(fx->sl, id, 1);
	fx->wait_id = fake_slack_redeliver(fx->sl, id, 0);
	run_until(fx, acked);
	run_for(fx, 200);
	assert_int_equal(fx->nev, 2);
	assert_int_equal(fake_slack_unacked(fx->sl), 0);
}

static int
switched(struct fixture *fx)
{
	return fake_slack_ws_connections(fx->sl) == 2 &&
	       fake_slack_ws_open(fx->sl) == 1 &&
	       fake_slack_ws_ready(fx->sl) == 1;
}

static void
test_refresh(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(
	    fake_slack_ws_disconnect(fx->sl, "refresh_requested", -1), 0);
	run_until(fx, switched);
	assert_int_equal(fake_slack_tickets(fx->sl), 2);
	fake_slack_push_message(fx->sl, FAKE_SLACK_CHANNEL_ID,
				FAKE_SLACK_BOB_ID, "after", "channel");
	run_until(fx, has_event);
	assert_string_equal(fx->ev[0].text, "after");
}

/* warning, and the old connection closes soon: one new connection only. */
static void
test_warning(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(fake_slack_ws_disconnect(fx->sl, "warning", 50), 0);
	run_until(fx, switched);
	fake_slack_push_message(fx->sl, FAKE_SLACK_CHANNEL_ID,
				FAKE_SLACK_BOB_ID, "still here", "channel");
	run_until(fx, has_event);
	run_for(fx, 300);
	assert_int_equal(fake_slack_tickets(fx->sl), 2);
	assert_int_equal(fake_slack_ws_connections(fx->sl), 2);
	assert_int_equal(fake_slack_ws_open(fx->sl), 1);
	assert_string_equal(fx->ev[0].text, "still here");
}

static int
reconnected(struct fixture *fx)
{
	return fake_slack_ws_connections(fx->sl) == 2 &&
	       fake_slack_ws_ready(fx->sl) == 1;
}

static void
test_drop(void **state)
{
	struct fixture *fx = *state;

	fake_slack_ws_drop(fx->sl);
	run_until(fx, reconnected);
	assert_int_equal(fake_slack_tickets(fx->sl), 2);
}

static void
test_link_disabled(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(fake_slack_ws_disconnect(fx->sl, "link_disabled", 100),
			 0);
	run_for(fx, 1500);
	assert_int_equal(fake_slack_ws_open(fx->sl), 0);
	assert_int_equal(fake_slack_tickets(fx->sl), 1);
}

static void
test_sends(void **state)
{
	struct fixture *fx = *state;
	const struct fake_slack_message *m;
	const struct fake_slack_ephemeral *e;
	char dm[32], post_id[128];
	size_t n;

	send_msg(fx, OUTBOX_CHANNEL, FAKE_SLACK_CHANNEL_ID, NULL, "a < b & c",
		 NULL);
	assert_int_equal(fx->result, SEND_OK);
	assert_string_equal(fx->post_id,
			    FAKE_SLACK_CHANNEL_ID ":" FAKE_SLACK_FIRST_TS);
	m = fake_slack_message_at(fx->sl, 0);
	assert_string_equal(m->text, "a &lt; b &amp; c");
	snprintf(post_id, sizeof post_id, "%s", fx->post_id);

	send_msg(fx, OUTBOX_EDIT, NULL, NULL, "changed", post_id);
	assert_int_equal(fx->result, SEND_OK);
	assert_string_equal(m->text, "changed");

	send_msg(fx, OUTBOX_REACTION, NULL, NULL, "white_check_mark", post_id);
	assert_int_equal(fx->result, SEND_OK);
	assert_int_equal(fake_slack_reaction_count(fx->sl), 1);

	send_msg(fx, OUTBOX_EDIT, NULL, NULL, "x", "not-a-post-id");
	assert_int_equal(fx->result, SEND_FAILED);

	/* A DM to a user named, not by id: users.list, then the DM. */
	send_msg(fx, OUTBOX_DIRECT, FAKE_SLACK_CHANNEL_ID, "bob", "hi bob",
		 NULL);
	assert_int_equal(fx->result, SEND_OK);
	fake_slack_dm_id(FAKE_SLACK_BOB_ID, dm);
	m = fake_slack_message_at(fx->sl, 1);
	assert_string_equal(m->channel, dm);
	assert_int_equal(fake_slack_count(fx->sl, "conversations.open"), 1);
	send_msg(fx, OUTBOX_DIRECT, FAKE_SLACK_CHANNEL_ID, FAKE_SLACK_BOB_ID,
		 "again", NULL);
	assert_int_equal(fx->result, SEND_OK);
	assert_int_equal(fake_slack_count(fx->sl, "conversations.open"), 1);

	/* No such user: failed; the next time without asking again. */
	send_msg(fx, OUTBOX_DIRECT, FAKE_SLACK_CHANNEL_ID, "nobody", "x", NULL);
	assert_int_equal(fx->result, SEND_FAILED);
	assert_non_null(strstr(fx->error, "nobody"));
	n = fake_slack_count(fx->sl, "users.list");
	send_msg(fx, OUTBOX_DIRECT, FAKE_SLACK_CHANNEL_ID, "nobody", "x", NULL);
	assert_int_equal(fx->result, SEND_FAILED);
	assert_int_equal(fake_slack_count(fx->sl, "users.list"), n);

	/* No command waits: chat.postEphemeral. */
	send_msg(fx, OUTBOX_EPHEMERAL, FAKE_SLACK_CHANNEL_ID,
		 FAKE_SLACK_CAROL_ID, "psst", NULL);
	assert_int_equal(fx->result, SEND_OK);
	assert_int_equal(fake_slack_ephemeral_count(fx->sl), 1);
	e = fake_slack_ephemeral_at(fx->sl, 0);
	assert_string_equal(e->user, FAKE_SLACK_CAROL_ID);

	/* Refused in the channel (the bot is not in it): a DM instead. */
	fake_slack_fail(fx->sl, "chat.postEphemeral", 1, "not_in_channel");
	send_msg(fx, OUTBOX_EPHEMERAL, FAKE_SLACK_CHANNEL_ID,
		 FAKE_SLACK_CAROL_ID, "psst again", NULL);
	assert_int_equal(fx->result, SEND_OK);
	assert_int_equal(fake_slack_ephemeral_count(fx->sl), 1);
	fake_slack_dm_id(FAKE_SLACK_CAROL_ID, dm);
	m = fake_slack_message_at(fx->sl, fake_slack_message_count(fx->sl) - 1);
	assert_string_equal(m->channel, dm);
	assert_string_equal(m->text, "psst again");

	/* 429: retry after Retry-After; ok:false: failed. */
	fake_slack_ratelimit(fx->sl, "chat.postMessage", 1, 9);
	send_msg(fx, OUTBOX_CHANNEL, FAKE_SLACK_CHANNEL_ID, NULL, "x", NULL);
	assert_int_equal(fx->result, SEND_RETRY);
	assert_int_equal(fx->retry_after, 9);
	fake_slack_fail(fx->sl, "chat.postMessage", 1, "channel_not_found");
	send_msg(fx, OUTBOX_CHANNEL, FAKE_SLACK_CHANNEL_ID, NULL, "x", NULL);
	assert_int_equal(fx->result, SEND_FAILED);
	assert_non_null(strstr(fx->error, "channel_not_found"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_start, setup, teardown),
		cmocka_unit_test_setup_teardown(test_command_ack, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_command_deadline, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_messages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refresh, setup, teardown),
		cmocka_unit_test_setup_teardown(test_warning, setup, teardown),
		cmocka_unit_test_setup_teardown(test_drop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_link_disabled, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_sends, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
