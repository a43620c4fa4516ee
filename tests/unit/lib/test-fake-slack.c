/* SPDX-License-Identifier: MIT */
/*
 * test-fake-slack.c: the fake Slack (tests/lib/fake-slack.c) driven over
 * real sockets: the Web API through lihui's own HTTP client (libcurl) on
 * the same loop, Socket Mode through the WebSocket test client of
 * tests/lib/fake-client.c (raw libuv TCP, masked frames). Covers tokens and
 * Slack's errors, JSON and form arguments, ts numbering, chat.update,
 * reactions, conversations.open, users.info, users.list pagination, scripted
 * ok:false, 429 with Retry-After, hangs and slow answers, single-use
 * tickets, hello, envelopes and their acks, redelivery, the newest
 * connection getting envelopes, envelopes waiting for a connection, each
 * kind of disconnect and the connection limit. Every wait is bounded by a
 * timer.
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

#include "fake-client.h"
#include "fake-slack.h"
#include "lihui/buf.h"
#include "lihui/http.h"
#include "lihui/xmalloc.h"
#include "testjson.h"
#include "testloop.h"

#define BOT	 "xoxb-fake-bot"
#define APP	 "xapp-1-fake-app"
#define WAIT_MS	 3000
#define GUARD_MS 30000
#define TEST_NOW 1795680000

struct ctx {
	struct testloop tl;
	struct fake_slack *sl;
};

static int64_t
test_clock_now(void *arg)
{
	(void)arg;
	return TEST_NOW;
}

static int
setup(void **state)
{
	struct ctx *ctx = xcalloc(1, sizeof *ctx);
	struct clock clock = { test_clock_now, NULL };
	char *cause = NULL;

	testloop_init(&ctx->tl, &clock, GUARD_MS);
	ctx->sl = fake_slack_new(&ctx->tl.loop, BOT, APP, &cause);
	assert_non_null(ctx->sl);
	assert_null(cause);
	assert_true(fake_slack_port(ctx->sl) > 0);
	*state = ctx;
	return 0;
}

static int
teardown(void **state)
{
	struct ctx *ctx = *state;

	testloop_close_http(&ctx->tl);
	fake_slack_close(ctx->sl);
	testloop_finish(&ctx->tl);
	free(ctx);
	return 0;
}

/* Web API. */

/*
 * Start method path with body of content type ctype (NULL: none) and token
 * (NULL: no Authorization) into r.
 */
static void
api_start(struct ctx *ctx, const char *method, const char *path,
	  const char *ctype, const char *body, const char *token,
	  long timeout_ms, struct testloop_result *r)
{
	char *url = fake_slack_url(ctx->sl, path), *auth = NULL, *ct = NULL;
	const char *headers[3] = { NULL, NULL, NULL };
	struct http_request req;
	size_t n = 0;

	if (ctype != NULL) {
		ct = xasprintf("Content-Type: %s", ctype);
		headers[n++] = ct;
	}
	if (token != NULL) {
		auth = xasprintf("Authorization: Bearer %s", token);
		headers[n++] = auth;
	}
	memset(&req, 0, sizeof req);
	req.method = method;
	req.url = url;
	req.headers = headers;
	req.body = body;
	req.body_len = body != NULL ? strlen(body) : 0;
	req.timeout_ms = timeout_ms;
	testloop_call(&ctx->tl, &req, r);
	free(ct);
	free(auth);
	free(url);
}

static void
api_wait(struct ctx *ctx, struct testloop_result *r)
{
	assert_int_equal(testloop_wait(&ctx->tl, r, WAIT_MS), 0);
}

/* POST JSON body to /api/<method> with token; waits. */
static void
api_json(struct ctx *ctx, const char *method, const char *body,
	 const char *token, struct testloop_result *r)
{
	char *path = xasprintf("/api/%s", method);

	api_start(ctx, "POST", path, "application/json; charset=utf-8", body,
		  token, WAIT_MS, r);
	api_wait(ctx, r);
	free(path);
}

/* POST a form body to /api/<method> with token; waits. */
static void
api_form(struct ctx *ctx, const char *method, const char *body,
	 const char *token, struct testloop_result *r)
{
	char *path = xasprintf("/api/%s", method);

	api_start(ctx, "POST", path, "application/x-www-form-urlencoded", body,
		  token, WAIT_MS, r);
	api_wait(ctx, r);
	free(path);
}

/* GET /api/<method>?query with the bot token; waits. */
static void
api_get(struct ctx *ctx, const char *method, const char *query,
	struct testloop_result *r)
{
	char *path =
	    xasprintf("/api/%s%s%s", method, *query != '\0' ? "?" : "", query);

	api_start(ctx, "GET", path, NULL, NULL, BOT, WAIT_MS, r);
	api_wait(ctx, r);
	free(path);
}

static struct json_object *
obj_of(struct json_object *o, const char *key)
{
	struct json_object *v;

	assert_true(json_object_object_get_ex(o, key, &v));
	return v;
}

/* r is HTTP 200 ok:true; returns the body parsed (caller puts). */
static struct json_object *
expect_ok(struct testloop_result *r)
{
	struct json_object *o;

	assert_int_equal(r->status, 200);
	o = testjson_parse(r->body);
	if (testjson_bool(o, "ok") != 1)
		fail_msg("not ok: %s", r->body);
	free(r->body);
	r->body = NULL;
	return o;
}

/* r is HTTP status with ok:false and error. */
static void
expect_error(struct testloop_result *r, long status, const char *error)
{
	struct json_object *o;

	assert_int_equal(r->status, status);
	o = testjson_parse(r->body);
	assert_int_equal(testjson_bool(o, "ok"), 0);
	assert_string_equal(testjson_str(o, "error"), error);
	json_object_put(o);
	free(r->body);
	r->body = NULL;
}

/* WebSocket client. */

/* Connect to target ("/link/?ticket=1") and wait for the upgrade's answer. */
static struct fake_client *
wsc_open(struct ctx *ctx, const char *target)
{
	return fake_client_open(&ctx->tl.loop, fake_slack_port(ctx->sl), target,
				NULL, WAIT_MS);
}

/* Wait for the n-th text frame and return it parsed (caller puts). */
static struct json_object *
wsc_frame_at(struct fake_client *w, size_t n)
{
	if (fake_client_wait_frames(w, n + 1, WAIT_MS) != 0)
		fail_msg("no frame %zu (have %zu)", n, w->nframes);
	return testjson_parse(w->frames[n]);
}

/* A fresh URL from apps.connections.open; its target (caller frees). */
static char *
open_ticket(struct ctx *ctx)
{
	struct testloop_result r;
	struct json_object *o;
	const char *url;
	char *prefix, *target;

	api_form(ctx, "apps.connections.open", "", APP, &r);
	o = expect_ok(&r);
	url = testjson_str(o, "url");
	assert_non_null(url);
	prefix = xasprintf("ws://127.0.0.1:%d/link/?ticket=",
			   fake_slack_port(ctx->sl));
	assert_int_equal(strncmp(url, prefix, strlen(prefix)), 0);
	target = xstrdup(url + strlen(prefix) - strlen("/link/?ticket="));
	free(prefix);
	json_object_put(o);
	return target;
}

/* A connection with a fresh ticket; waits for the 101. */
static struct fake_client *
wsc_connect(struct ctx *ctx)
{
	char *target = open_ticket(ctx);
	struct fake_client *w = wsc_open(ctx, target);

	free(target);
	assert_int_equal(w->status, 101);
	return w;
}

static int
never(struct fake_slack *sl, void *arg)
{
	(void)sl;
	(void)arg;
	return 0;
}

/* Run the loop for ms. */
static void
settle(struct ctx *ctx, uint64_t ms)
{
	assert_int_equal(fake_slack_wait(ctx->sl, never, NULL, ms), -1);
}

/* Frame n of w is a hello; returns approximate_connection_time. */
static int64_t
expect_hello(struct fake_client *w, size_t n)
{
	struct json_object *o = wsc_frame_at(w, n), *debug;
	int64_t t;

	assert_string_equal(testjson_str(o, "type"), "hello");
	assert_true(testjson_int(o, "num_connections") >= 1);
	assert_string_equal(
	    testjson_str(obj_of(o, "connection_info"), "app_id"),
	    FAKE_SLACK_APP_ID);
	debug = obj_of(o, "debug_info");
	t = testjson_int(debug, "approximate_connection_time");
	json_object_put(o);
	return t;
}

/* Frame n of w is the envelope id of type; returns it parsed. */
static struct json_object *
expect_envelope(struct fake_client *w, size_t n, const char *id,
		const char *type)
{
	struct json_object *o = wsc_frame_at(w, n);

	assert_string_equal(testjson_str(o, "envelope_id"), id);
	assert_string_equal(testjson_str(o, "type"), type);
	assert_true(
	    json_object_is_type(obj_of(o, "payload"), json_type_object));
	return o;
}

/* Frame n of w is a disconnect with reason. */
static void
expect_disconnect(struct fake_client *w, size_t n, const char *reason)
{
	struct json_object *o = wsc_frame_at(w, n);

	assert_string_equal(testjson_str(o, "type"), "disconnect");
	assert_string_equal(testjson_str(o, "reason"), reason);
	assert_non_null(testjson_str(obj_of(o, "debug_info"), "host"));
	json_object_put(o);
}

struct ack_wait {
	const char *id;
	int acks;
};

static int
acked(struct fake_slack *sl, void *arg)
{
	struct ack_wait *a = arg;
	const struct fake_slack_envelope *e =
	    fake_slack_envelope_find(sl, a->id);

	return e != NULL && e->acks >= a->acks;
}

static void
ack(struct ctx *ctx, struct fake_client *w, const char *id, const char *payload)
{
	struct ack_wait a = { id, 1 };
	char *text = payload != NULL
			 ? xasprintf("{\"envelope_id\":\"%s\",\"payload\":%s}",
				     id, payload)
			 : xasprintf("{\"envelope_id\":\"%s\"}", id);

	a.acks = fake_slack_envelope_find(ctx->sl, id)->acks + 1;
	fake_client_send(w, text);
	free(text);
	assert_int_equal(fake_slack_wait(ctx->sl, acked, &a, WAIT_MS), 0);
}

/* The tests. */

static void
test_tokens(void **state)
{
	struct ctx *ctx = *state;
	const struct fake_slack_request *req;
	struct json_object *o;
	struct testloop_result r;

	api_form(ctx, "auth.test", "", BOT, &r);
	o = expect_ok(&r);
	assert_string_equal(testjson_str(o, "user_id"), FAKE_SLACK_BOT_USER_ID);
	assert_string_equal(testjson_str(o, "bot_id"), FAKE_SLACK_BOT_ID);
	assert_string_equal(testjson_str(o, "team_id"), FAKE_SLACK_TEAM_ID);
	assert_string_equal(testjson_str(o, "user"), FAKE_SLACK_BOT_NAME);
	json_object_put(o);

	api_form(ctx, "auth.test", "", NULL, &r);
	expect_error(&r, 200, "not_authed");
	/* A token argument is not the header. */
	api_form(ctx, "auth.test", "token=" BOT, NULL, &r);
	expect_error(&r, 200, "not_authed");
	assert_string_equal(
	    fake_slack_arg(fake_slack_last(ctx->sl, "auth.test"), "token"),
	    BOT);
	api_form(ctx, "auth.test", "", "xoxb-wrong", &r);
	expect_error(&r, 200, "invalid_auth");
	api_form(ctx, "auth.test", "", APP, &r);
	expect_error(&r, 200, "not_allowed_token_type");
	api_form(ctx, "apps.connections.open", "", BOT, &r);
	expect_error(&r, 200, "not_allowed_token_type");
	api_form(ctx, "no.such.method", "", BOT, &r);
	expect_error(&r, 200, "unknown_method");
	assert_int_equal(fake_slack_tickets(ctx->sl), 0);

	api_start(ctx, "GET", "/elsewhere", NULL, NULL, BOT, WAIT_MS, &r);
	api_wait(ctx, &r);
	assert_int_equal(r.status, 404);
	free(r.body);

	assert_int_equal(fake_slack_count(ctx->sl, "auth.test"), 5);
	assert_int_equal(fake_slack_count(ctx->sl, NULL), 7);
	req = fake_slack_last(ctx->sl, "auth.test");
	assert_string_equal(fake_slack_header(req, "authorization"),
			    "Bearer " APP);
	assert_int_equal(req->status, 200);
	assert_string_equal(req->error, "not_allowed_token_type");
	req = fake_slack_request_at(ctx->sl, 0);
	assert_null(req->error);
	assert_non_null(strstr(req->answer, "\"ok\":true"));
}

static void
test_messages(void **state)
{
	struct ctx *ctx = *state;
	const struct fake_slack_request *req;
	const struct fake_slack_message *m;
	const struct fake_slack_ephemeral *e;
	const struct fake_slack_reaction *x;
	struct json_object *o;
	struct testloop_result r;
	char *big, *body;

	api_json(ctx, "chat.postMessage",
		 "{\"channel\":\"" FAKE_SLACK_CHANNEL_ID
		 "\",\"text\":\"*Agenda* & more\",\"unfurl_links\":false}",
		 BOT, &r);
	o = expect_ok(&r);
	assert_string_equal(testjson_str(o, "channel"), FAKE_SLACK_CHANNEL_ID);
	assert_string_equal(testjson_str(o, "ts"), FAKE_SLACK_FIRST_TS);
	assert_string_equal(testjson_str(obj_of(o, "message"), "text"),
			    "*Agenda* & more");
	assert_string_equal(testjson_str(obj_of(o, "message"), "bot_id"),
			    FAKE_SLACK_BOT_ID);
	json_object_put(o);
	req = fake_slack_last(ctx->sl, "chat.postMessage");
	assert_true(req->json);
	assert_string_equal(fake_slack_arg(req, "unfurl_links"), "false");
	assert_string_equal(fake_slack_arg(req, "text"), "*Agenda* & more");

	/* Form encoding, into a thread, to a user id (its DM). */
	api_form(ctx, "chat.postMessage",
		 "channel=" FAKE_SLACK_ALICE_ID
		 "&text=a%20b+c%26d&thread_ts=1700000000.000100",
		 BOT, &r);
	o = expect_ok(&r);
	assert_string_equal(testjson_str(o, "channel"), "D0ALICE001");
	assert_string_equal(testjson_str(o, "ts"), "1700000000.000200");
	json_object_put(o);
	assert_int_equal(fake_slack_message_count(ctx->sl), 2);
	m = fake_slack_message_at(ctx->sl, 1);
	assert_string_equal(m->text, "a b c&d");
	assert_string_equal(m->thread_ts, "1700000000.000100");
	assert_false(fake_slack_last(ctx->sl, "chat.postMessage")->json);

	api_json(ctx, "chat.postMessage",
		 "{\"channel\":\"C0NOPE\",\"text\":\"x\"}", BOT, &r);
	expect_error(&r, 200, "channel_not_found");
	api_json(ctx, "chat.postMessage",
		 "{\"channel\":\"" FAKE_SLACK_CHANNEL_ID "\",\"text\":\"\"}",
		 BOT, &r);
	expect_error(&r, 200, "no_text");
	api_json(ctx, "chat.postMessage", "{\"channel\":", BOT, &r);
	expect_error(&r, 200, "invalid_json");
	big = xmalloc(FAKE_SLACK_MAX_TEXT + 2);
	memset(big, 'x', FAKE_SLACK_MAX_TEXT + 1);
	big[FAKE_SLACK_MAX_TEXT + 1] = '\0';
	body = xasprintf("{\"channel\":\"%s\",\"text\":\"%s\"}",
			 FAKE_SLACK_CHANNEL_ID, big);
	api_json(ctx, "chat.postMessage", body, BOT, &r);
	expect_error(&r, 200, "msg_too_long");
	free(body);
	free(big);
	api_json(ctx, "chat.postMessage",
		 "{\"channel\":\"" FAKE_SLACK_CHANNEL_ID
		 "\",\"blocks\":[{\"type\":\"divider\"}]}",
		 BOT, &r);
	json_object_put(expect_ok(&r));
	assert_int_equal(fake_slack_message_count(ctx->sl), 3);
	assert_string_equal(fake_slack_message_at(ctx->sl, 2)->blocks,
			    "[{\"type\":\"divider\"}]");

	/* chat.update */
	api_json(ctx, "chat.update",
		 "{\"channel\":\"" FAKE_SLACK_CHANNEL_ID
		 "\",\"ts\":\"" FAKE_SLACK_FIRST_TS "\",\"text\":\"new\"}",
		 BOT, &r);
	o = expect_ok(&r);
	assert_string_equal(testjson_str(o, "ts"), FAKE_SLACK_FIRST_TS);
	assert_string_equal(testjson_str(o, "text"), "new");
	json_object_put(o);
	m = fake_slack_message_find(ctx->sl, FAKE_SLACK_CHANNEL_ID,
				    FAKE_SLACK_FIRST_TS);
	assert_non_null(m);
	assert_string_equal(m->text, "new");
	assert_int_equal(m->updates, 1);
	api_json(ctx, "chat.update",
		 "{\"channel\":\"" FAKE_SLACK_CHANNEL_ID
		 "\",\"ts\":\"1.2\",\"text\":\"new\"}",
		 BOT, &r);
	expect_error(&r, 200, "message_not_found");

	/* chat.postEphemeral */
	api_json(ctx, "chat.postEphemeral",
		 "{\"channel\":\"" FAKE_SLACK_CHANNEL_ID
		 "\",\"user\":\"" FAKE_SLACK_BOB_ID "\",\"text\":\"psst\"}",
		 BOT, &r);
	o = expect_ok(&r);
	assert_non_null(testjson_str(o, "message_ts"));
	json_object_put(o);
	api_json(ctx, "chat.postEphemeral",
		 "{\"channel\":\"" FAKE_SLACK_CHANNEL_ID
		 "\",\"user\":\"U0NOBODY\",\"text\":\"psst\"}",
		 BOT, &r);
	expect_error(&r, 200, "user_not_found");
	assert_int_equal(fake_slack_ephemeral_count(ctx->sl), 1);
	e = fake_slack_ephemeral_at(ctx->sl, 0);
	assert_string_equal(e->user, FAKE_SLACK_BOB_ID);
	assert_string_equal(e->text, "psst");

	/* reactions.add */
	api_form(ctx, "reactions.add",
		 "channel=" FAKE_SLACK_CHANNEL_ID
		 "&timestamp=" FAKE_SLACK_FIRST_TS "&name=white_check_mark",
		 BOT, &r);
	json_object_put(expect_ok(&r));
	api_form(ctx, "reactions.add",
		 "channel=" FAKE_SLACK_CHANNEL_ID
		 "&timestamp=" FAKE_SLACK_FIRST_TS "&name=white_check_mark",
		 BOT, &r);
	expect_error(&r, 200, "already_reacted");
	api_form(ctx, "reactions.add",
		 "channel=" FAKE_SLACK_CHANNEL_ID
		 "&timestamp=" FAKE_SLACK_FIRST_TS "&name=%3Aok%3A",
		 BOT, &r);
	expect_error(&r, 200, "invalid_name");
	api_form(ctx, "reactions.add",
		 "channel=" FAKE_SLACK_CHANNEL_ID "&timestamp=9.9&name=ok", BOT,
		 &r);
	expect_error(&r, 200, "message_not_found");
	assert_int_equal(fake_slack_reaction_count(ctx->sl), 1);
	x = fake_slack_reaction_at(ctx->sl, 0);
	assert_string_equal(x->channel, FAKE_SLACK_CHANNEL_ID);
	assert_string_equal(x->timestamp, FAKE_SLACK_FIRST_TS);
	assert_string_equal(x->name, "white_check_mark");
}

static void
test_users(void **state)
{
	struct ctx *ctx = *state;
	struct json_object *o, *u, *members;
	struct testloop_result r;
	char *cursor, *query;
	size_t seen = 0;
	int pages = 0;

	api_form(ctx, "conversations.open", "users=" FAKE_SLACK_ALICE_ID, BOT,
		 &r);
	o = expect_ok(&r);
	assert_string_equal(testjson_str(obj_of(o, "channel"), "id"),
			    "D0ALICE001");
	assert_int_equal(testjson_bool(o, "already_open"), -1);
	json_object_put(o);
	api_json(ctx, "conversations.open",
		 "{\"users\":\"" FAKE_SLACK_ALICE_ID "\"}", BOT, &r);
	o = expect_ok(&r);
	assert_string_equal(testjson_str(obj_of(o, "channel"), "id"),
			    "D0ALICE001");
	assert_int_equal(testjson_bool(o, "already_open"), 1);
	json_object_put(o);
	api_json(ctx, "conversations.open", "{\"users\":\"U0NOBODY\"}", BOT,
		 &r);
	expect_error(&r, 200, "user_not_found");
	api_json(ctx, "conversations.open", "{}", BOT, &r);
	expect_error(&r, 200, "users_list_not_supplied");

	fake_slack_add_user(ctx->sl, "U0DAVE0001", "dave", NULL,
			    "Asia/Shanghai");
	api_get(ctx, "users.info", "user=U0DAVE0001", &r);
	o = expect_ok(&r);
	u = obj_of(o, "user");
	assert_string_equal(testjson_str(u, "name"), "dave");
	assert_string_equal(testjson_str(u, "tz"), "Asia/Shanghai");
	assert_int_equal(testjson_int(u, "tz_offset"), 28800);
	assert_int_equal(testjson_bool(u, "is_bot"), 0);
	json_object_put(o);
	api_form(ctx, "users.info", "user=" FAKE_SLACK_BOT_USER_ID, BOT, &r);
	o = expect_ok(&r);
	u = obj_of(o, "user");
	assert_int_equal(testjson_bool(u, "is_bot"), 1);
	assert_string_equal(testjson_str(obj_of(u, "profile"), "bot_id"),
			    FAKE_SLACK_BOT_ID);
	json_object_put(o);
	/* users.info takes no JSON body, like Slack. */
	api_json(ctx, "users.info", "{\"user\":\"" FAKE_SLACK_ALICE_ID "\"}",
		 BOT, &r);
	expect_error(&r, 200, "user_not_found");
	api_get(ctx, "users.info", "user=U0NOBODY", &r);
	expect_error(&r, 200, "user_not_found");

	/* users.list: 5 users, 2 a page. */
	cursor = xstrdup("");
	do {
		query = *cursor != '\0' ? xasprintf("limit=2&cursor=%s", cursor)
					: xstrdup("limit=2");
		api_get(ctx, "users.list", query, &r);
		free(query);
		o = expect_ok(&r);
		members = obj_of(o, "members");
		assert_true(json_object_array_length(members) <= 2);
		seen += json_object_array_length(members);
		free(cursor);
		cursor = xstrdup(testjson_str(obj_of(o, "response_metadata"),
					      "next_cursor"));
		json_object_put(o);
		pages++;
	} while (*cursor != '\0' && pages < 10);
	free(cursor);
	assert_int_equal(seen, 5);
	assert_int_equal(pages, 3);

	/* Without a limit, everything; with a page cap, the cap. */
	api_get(ctx, "users.list", "", &r);
	o = expect_ok(&r);
	assert_int_equal(json_object_array_length(obj_of(o, "members")), 5);
	assert_string_equal(
	    testjson_str(obj_of(o, "response_metadata"), "next_cursor"), "");
	json_object_put(o);
	fake_slack_users_page(ctx->sl, 4);
	api_get(ctx, "users.list", "limit=200", &r);
	o = expect_ok(&r);
	assert_int_equal(json_object_array_length(obj_of(o, "members")), 4);
	assert_string_not_equal(
	    testjson_str(obj_of(o, "response_metadata"), "next_cursor"), "");
	json_object_put(o);
	api_get(ctx, "users.list", "cursor=bogus", &r);
	expect_error(&r, 200, "invalid_cursor");
}

static void
test_scripts(void **state)
{
	struct ctx *ctx = *state;
	const struct fake_slack_request *req;
	struct testloop_result r, hung;
	uint64_t start;

	fake_slack_fail(ctx->sl, "chat.postMessage", 2, "fatal_error");
	fake_slack_ratelimit(ctx->sl, "auth.test", 1, 7);
	fake_slack_ratelimit(ctx->sl, "users.info", 1, -1);

	api_json(ctx, "chat.postMessage",
		 "{\"channel\":\"" FAKE_SLACK_CHANNEL_ID "\",\"text\":\"x\"}",
		 BOT, &r);
	expect_error(&r, 200, "fatal_error");
	/* Scripts come before the token check. */
	api_json(ctx, "chat.postMessage", "{}", NULL, &r);
	expect_error(&r, 200, "fatal_error");
	api_json(ctx, "chat.postMessage",
		 "{\"channel\":\"" FAKE_SLACK_CHANNEL_ID "\",\"text\":\"x\"}",
		 BOT, &r);
	json_object_put(expect_ok(&r));
	assert_int_equal(fake_slack_message_count(ctx->sl), 1);

	api_form(ctx, "auth.test", "", BOT, &r);
	assert_int_equal(r.retry_after, 7);
	expect_error(&r, 429, "ratelimited");
	api_form(ctx, "auth.test", "", BOT, &r);
	json_object_put(expect_ok(&r));
	api_get(ctx, "users.info", "user=" FAKE_SLACK_ALICE_ID, &r);
	assert_int_equal(r.retry_after, -1);
	expect_error(&r, 429, "ratelimited");
	req = fake_slack_last(ctx->sl, "users.info");
	assert_int_equal(req->status, 429);
	assert_string_equal(req->error, "ratelimited");

	/* A hung request is recorded and never answered. */
	fake_slack_hang(ctx->sl, "chat.update", 1);
	api_start(ctx, "POST", "/api/chat.update", "application/json", "{}",
		  BOT, 300, &hung);
	api_wait(ctx, &hung);
	assert_int_equal(hung.status, 0);
	free(hung.body);
	req = fake_slack_last(ctx->sl, "chat.update");
	assert_non_null(req);
	assert_int_equal(req->status, 0);

	/* A slow one is carried out at once and answered late. */
	fake_slack_slow(ctx->sl, NULL, 1, 250);
	uv_update_time(&ctx->tl.loop);
	start = uv_now(&ctx->tl.loop);
	api_start(ctx, "POST", "/api/chat.postMessage", "application/json",
		  "{\"channel\":\"" FAKE_SLACK_CHANNEL_ID "\",\"text\":\"y\"}",
		  BOT, WAIT_MS, &r);
	settle(ctx, 100);
	assert_false(r.done);
	assert_int_equal(fake_slack_message_count(ctx->sl), 2);
	api_wait(ctx, &r);
	json_object_put(expect_ok(&r));
	assert_true(uv_now(&ctx->tl.loop) - start >= 240);

	/* FAKE_SLACK_ALWAYS until unscripted. */
	fake_slack_fail(ctx->sl, NULL, FAKE_SLACK_ALWAYS, "team_disabled");
	api_form(ctx, "auth.test", "", BOT, &r);
	expect_error(&r, 200, "team_disabled");
	api_form(ctx, "users.list", "", BOT, &r);
	expect_error(&r, 200, "team_disabled");
	fake_slack_unscript(ctx->sl);
	api_form(ctx, "auth.test", "", BOT, &r);
	json_object_put(expect_ok(&r));
}

static void
test_tickets(void **state)
{
	struct ctx *ctx = *state;
	char *target = open_ticket(ctx), *second;
	struct fake_client *w, *again, *bogus;

	assert_int_equal(fake_slack_tickets(ctx->sl), 1);
	assert_string_equal(target,
			    "/link/?ticket=1&app_id=" FAKE_SLACK_APP_ID);
	fake_slack_ws_connection_time(ctx->sl, 360);
	w = wsc_open(ctx, target);
	assert_int_equal(w->status, 101);
	assert_int_equal(expect_hello(w, 0), 360);
	assert_int_equal(fake_slack_ws_ready(ctx->sl), 1);

	/* A used ticket, an unknown one and none are refused. */
	again = wsc_open(ctx, target);
	assert_int_equal(again->status, 401);
	fake_client_free(again, WAIT_MS);
	bogus = wsc_open(ctx, "/link/?ticket=99");
	assert_int_equal(bogus->status, 401);
	fake_client_free(bogus, WAIT_MS);
	bogus = wsc_open(ctx, "/link/");
	assert_int_equal(bogus->status, 401);
	fake_client_free(bogus, WAIT_MS);
	assert_int_equal(fake_slack_ws_refused(ctx->sl), 3);

	/* Each call gives a new ticket. */
	second = open_ticket(ctx);
	assert_string_not_equal(second, target);
	assert_int_equal(fake_slack_tickets(ctx->sl), 2);

	/* A scripted failure of the upgrade: 503, the ticket stays good. */
	fake_slack_fail(ctx->sl, FAKE_SLACK_LINK, 1, "x");
	again = wsc_open(ctx, second);
	assert_int_equal(again->status, 503);
	fake_client_free(again, WAIT_MS);
	again = wsc_open(ctx, second);
	assert_int_equal(again->status, 101);
	expect_hello(again, 0);
	assert_int_equal(fake_slack_ws_connections(ctx->sl), 2);
	assert_int_equal(fake_slack_ws_open(ctx->sl), 2);

	/* Pings get pongs both ways. */
	fake_slack_ws_ping(ctx->sl);
	fake_client_frame(w, 1, 0x9, "hi", 2);
	settle(ctx, 50);
	assert_int_equal(w->pongs, 1);
	assert_int_equal(fake_slack_ws_pongs(ctx->sl), 2);

	fake_client_free(again, WAIT_MS);
	fake_client_free(w, WAIT_MS);
	free(second);
	free(target);
}

static void
test_envelopes(void **state)
{
	struct ctx *ctx = *state;
	const struct fake_slack_envelope *e;
	struct json_object *o, *p, *ev;
	const char *cmd, *msg, *again, *fresh, *mention, *inter;
	char *cmd_id, *msg_id;
	struct fake_client *w = wsc_connect(ctx);

	expect_hello(w, 0);
	cmd = fake_slack_push_command(
	    ctx->sl, "/report", "done: <@U0BOB00001|bob>", FAKE_SLACK_ALICE_ID,
	    FAKE_SLACK_CHANNEL_ID);
	cmd_id = xstrdup(cmd);
	o = expect_envelope(w, 1, cmd_id, "slash_commands");
	assert_int_equal(testjson_bool(o, "accepts_response_payload"), 1);
	assert_int_equal(testjson_int(o, "retry_attempt"), -1);
	p = obj_of(o, "payload");
	assert_string_equal(testjson_str(p, "command"), "/report");
	assert_string_equal(testjson_str(p, "text"), "done: <@U0BOB00001|bob>");
	assert_string_equal(testjson_str(p, "user_id"), FAKE_SLACK_ALICE_ID);
	assert_string_equal(testjson_str(p, "user_name"), "alice");
	assert_string_equal(testjson_str(p, "channel_id"),
			    FAKE_SLACK_CHANNEL_ID);
	assert_string_equal(testjson_str(p, "channel_name"), "ops");
	assert_string_equal(testjson_str(p, "team_id"), FAKE_SLACK_TEAM_ID);
	assert_non_null(testjson_str(p, "response_url"));
	assert_non_null(testjson_str(p, "trigger_id"));
	json_object_put(o);
	assert_int_equal(fake_slack_unacked(ctx->sl), 1);

	ack(ctx, w, cmd_id,
	    "{\"response_type\":\"ephemeral\",\"text\":\"Status recorded.\"}");
	e = fake_slack_envelope_find(ctx->sl, cmd_id);
	assert_int_equal(e->acks, 1);
	assert_int_equal(e->conn, 1);
	assert_true(e->ack_ms >= e->sent_ms);
	assert_string_equal(e->ack_payload, "{\"response_type\":\"ephemeral\","
					    "\"text\":\"Status recorded.\"}");
	assert_int_equal(fake_slack_unacked(ctx->sl), 0);

	msg = fake_slack_push_message(ctx->sl, "D0ALICE001",
				      FAKE_SLACK_ALICE_ID, "hello", "im");
	msg_id = xstrdup(msg);
	o = expect_envelope(w, 2, msg_id, "events_api");
	assert_int_equal(testjson_bool(o, "accepts_response_payload"), 0);
	assert_int_equal(testjson_int(o, "retry_attempt"), 0);
	assert_string_equal(testjson_str(o, "retry_reason"), "");
	p = obj_of(o, "payload");
	assert_string_equal(testjson_str(p, "type"), "event_callback");
	assert_non_null(testjson_str(p, "event_id"));
	assert_string_equal(
	    testjson_str(p, "event_id"),
	    fake_slack_envelope_find(ctx->sl, msg_id)->event_id);
	ev = obj_of(p, "event");
	assert_string_equal(testjson_str(ev, "type"), "message");
	assert_string_equal(testjson_str(ev, "channel_type"), "im");
	assert_string_equal(testjson_str(ev, "user"), FAKE_SLACK_ALICE_ID);
	assert_string_equal(testjson_str(ev, "text"), "hello");
	assert_non_null(testjson_str(ev, "ts"));
	json_object_put(o);

	/* Redelivered without an ack: same id, retry_attempt 1. */
	again = fake_slack_redeliver(ctx->sl, msg_id, 1);
	assert_string_equal(again, msg_id);
	o = expect_envelope(w, 3, msg_id, "events_api");
	assert_int_equal(testjson_int(o, "retry_attempt"), 1);
	assert_string_equal(testjson_str(o, "retry_reason"), "timeout");
	json_object_put(o);
	assert_int_equal(fake_slack_envelope_count(ctx->sl), 3);
	assert_int_equal(fake_slack_unacked(ctx->sl), 2);
	/* The ack goes to the newest envelope of that id. */
	ack(ctx, w, msg_id, NULL);
	assert_int_equal(fake_slack_envelope_at(ctx->sl, 1)->acks, 0);
	assert_int_equal(fake_slack_envelope_at(ctx->sl, 2)->acks, 1);
	assert_null(fake_slack_envelope_at(ctx->sl, 2)->ack_payload);

	/* Redelivered after the ack with a new id: retry_attempt 2. */
	fresh = fake_slack_redeliver(ctx->sl, msg_id, 0);
	assert_string_not_equal(fresh, msg_id);
	o = wsc_frame_at(w, 4);
	assert_string_equal(testjson_str(o, "envelope_id"), fresh);
	assert_int_equal(testjson_int(o, "retry_attempt"), 2);
	assert_string_equal(
	    testjson_str(obj_of(o, "payload"), "event_id"),
	    fake_slack_envelope_find(ctx->sl, msg_id)->event_id);
	json_object_put(o);
	assert_null(fake_slack_redeliver(ctx->sl, "nope", 1));

	mention = fake_slack_push_mention(ctx->sl, FAKE_SLACK_CHANNEL_ID,
					  FAKE_SLACK_BOB_ID,
					  "<@" FAKE_SLACK_BOT_USER_ID "> hi");
	o = expect_envelope(w, 5, mention, "events_api");
	assert_string_equal(
	    testjson_str(obj_of(obj_of(o, "payload"), "event"), "type"),
	    "app_mention");
	json_object_put(o);
	inter = fake_slack_push_interactive(
	    ctx->sl, "{\"type\":\"block_actions\",\"actions\":[]}");
	o = expect_envelope(w, 6, inter, "interactive");
	assert_string_equal(testjson_str(obj_of(o, "payload"), "type"),
			    "block_actions");
	json_object_put(o);

	/* An ack of nothing, and other messages, are recorded. */
	fake_client_send(w, "{\"envelope_id\":\"unknown\"}");
	fake_client_send(w, "not json");
	settle(ctx, 50);
	assert_int_equal(fake_slack_stray_acks(ctx->sl), 1);
	assert_int_equal(fake_slack_ws_received_count(ctx->sl), 4);
	assert_string_equal(fake_slack_ws_received_at(ctx->sl, 3), "not json");

	fake_client_free(w, WAIT_MS);
	free(cmd_id);
	free(msg_id);
}

static int
envelope_sent(struct fake_slack *sl, void *arg)
{
	const struct fake_slack_envelope *e = fake_slack_envelope_find(sl, arg);

	return e != NULL && e->conn != 0;
}

static void
test_connections(void **state)
{
	struct ctx *ctx = *state;
	struct fake_client *a = wsc_connect(ctx), *b, *c;
	const char *id;
	char *waiting;

	expect_hello(a, 0);
	b = wsc_connect(ctx);
	expect_hello(b, 0);
	assert_int_equal(fake_slack_ws_ready(ctx->sl), 2);

	/* The newest connection gets the envelope. */
	id = fake_slack_push_message(ctx->sl, FAKE_SLACK_CHANNEL_ID,
				     FAKE_SLACK_ALICE_ID, "one", "channel");
	json_object_put(expect_envelope(b, 1, id, "events_api"));
	assert_int_equal(fake_slack_envelope_find(ctx->sl, id)->conn, 2);

	/* refresh_requested to b, closed 100 ms later; meanwhile a gets
	 * the envelopes. */
	assert_int_equal(
	    fake_slack_ws_disconnect(ctx->sl, "refresh_requested", 100), 0);
	expect_disconnect(b, 2, "refresh_requested");
	id = fake_slack_push_message(ctx->sl, FAKE_SLACK_CHANNEL_ID,
				     FAKE_SLACK_ALICE_ID, "two", "channel");
	json_object_put(expect_envelope(a, 1, id, "events_api"));
	assert_int_equal(fake_client_wait_eof(b, WAIT_MS), 0);
	assert_int_equal(b->close_code, 1000);
	assert_int_equal(b->nframes, 3);
	assert_int_equal(fake_slack_ws_open(ctx->sl), 1);

	/* warning: left open. */
	assert_int_equal(fake_slack_ws_disconnect(ctx->sl, "warning", -1), 0);
	expect_disconnect(a, 2, "warning");
	settle(ctx, 50);
	assert_false(a->eof);

	/* Nobody connected: the envelope waits for the next hello. */
	fake_slack_ws_drop(ctx->sl);
	assert_int_equal(fake_client_wait_eof(a, WAIT_MS), 0);
	assert_int_equal(a->close_code, 0);
	assert_int_equal(fake_slack_ws_open(ctx->sl), 0);
	assert_int_equal(fake_slack_ws_disconnect(ctx->sl, "warning", 0), -1);
	waiting = xstrdup(fake_slack_push_command(
	    ctx->sl, "/agenda", "", FAKE_SLACK_BOB_ID, "D0BOB00001"));
	assert_int_equal(fake_slack_envelope_find(ctx->sl, waiting)->conn, 0);
	assert_int_equal(fake_slack_unacked(ctx->sl), 2);

	fake_slack_ws_hello_delay(ctx->sl, 150);
	c = wsc_connect(ctx);
	settle(ctx, 50);
	assert_int_equal(c->nframes, 0);
	assert_int_equal(fake_slack_ws_ready(ctx->sl), 0);
	assert_int_equal(
	    fake_slack_wait(ctx->sl, envelope_sent, waiting, WAIT_MS), 0);
	expect_hello(c, 0);
	json_object_put(expect_envelope(c, 1, waiting, "slash_commands"));
	{
		struct json_object *o = wsc_frame_at(c, 1);

		assert_string_equal(
		    testjson_str(obj_of(o, "payload"), "channel_name"),
		    "directmessage");
		json_object_put(o);
	}

	/* link_disabled, closed at once. */
	assert_int_equal(fake_slack_ws_disconnect(ctx->sl, "link_disabled", 0),
			 0);
	expect_disconnect(c, 2, "link_disabled");
	assert_int_equal(fake_client_wait_eof(c, WAIT_MS), 0);
	assert_int_equal(c->close_code, 1000);

	fake_client_free(a, WAIT_MS);
	fake_client_free(b, WAIT_MS);
	fake_client_free(c, WAIT_MS);
	free(waiting);
}

static void
test_limit(void **state)
{
	struct ctx *ctx = *state;
	struct fake_client *w[FAKE_SLACK_WS_MAX + 1];
	size_t i;

	for (i = 0; i < FAKE_SLACK_WS_MAX; i++) {
		w[i] = wsc_connect(ctx);
		expect_hello(w[i], 0);
	}
	assert_int_equal(fake_slack_ws_ready(ctx->sl), FAKE_SLACK_WS_MAX);
	w[i] = wsc_connect(ctx);
	expect_disconnect(w[i], 0, "too_many_websockets");
	assert_int_equal(fake_client_wait_eof(w[i], WAIT_MS), 0);
	assert_int_equal(fake_slack_ws_open(ctx->sl), FAKE_SLACK_WS_MAX);

	/* A close frame from the server to all. */
	fake_slack_ws_close(ctx->sl, 1001);
	for (i = 0; i < FAKE_SLACK_WS_MAX; i++) {
		assert_int_equal(fake_client_wait_eof(w[i], WAIT_MS), 0);
		assert_int_equal(w[i]->close_code, 1001);
	}
	for (i = 0; i <= FAKE_SLACK_WS_MAX; i++)
		fake_client_free(w[i], WAIT_MS);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_tokens, setup, teardown),
		cmocka_unit_test_setup_teardown(test_messages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_users, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scripts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tickets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_envelopes, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_connections, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_limit, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
