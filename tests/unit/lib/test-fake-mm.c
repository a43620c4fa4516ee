/* SPDX-License-Identifier: MIT */
/*
 * test-fake-mm.c: the fake Mattermost server (tests/lib/fake-mm.c) driven
 * over real sockets: REST through lihui's own HTTP client on the same
 * loop, the WebSocket through the test client of tests/lib/fake-client.c
 * (raw libuv TCP, masked frames). Covers the REST defaults, 401 and 404,
 * scripted 429/500/403, hangs and slow answers, pending_post_id de-duplication,
 * the WebSocket handshake (RFC 6455 accept key), header and challenge
 * logins, hello and event seq, resume with replay, restart with a new
 * connection id, refused upgrades and frame limits. Every wait is bounded
 * by a timer.
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
#include "fake-mm.h"
#include "lihui/buf.h"
#include "lihui/http.h"
#include "lihui/xmalloc.h"
#include "testjson.h"
#include "testloop.h"

#define TOKEN	 "sekrit-bot-token"
#define WAIT_MS	 3000
#define GUARD_MS 20000
#define TEST_NOW 1795680000

struct ctx {
	struct testloop tl;
	struct fake_mm *mm;
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
	ctx->mm = fake_mm_new(&ctx->tl.loop, TOKEN, &cause);
	assert_non_null(ctx->mm);
	assert_null(cause);
	assert_true(fake_mm_port(ctx->mm) > 0);
	*state = ctx;
	return 0;
}

static int
teardown(void **state)
{
	struct ctx *ctx = *state;

	testloop_close_http(&ctx->tl);
	fake_mm_close(ctx->mm);
	testloop_finish(&ctx->tl);
	free(ctx);
	return 0;
}

/* REST. */

/* Start method path (token NULL: no Authorization) into r. */
static void
rest_start(struct ctx *ctx, const char *method, const char *path,
	   const char *body, const char *token, long timeout_ms,
	   struct testloop_result *r)
{
	char *url = fake_mm_url(ctx->mm, path), *auth = NULL;
	const char *headers[3] = { "Content-Type: application/json", NULL,
				   NULL };
	struct http_request req;

	if (token != NULL) {
		auth = xasprintf("Authorization: Bearer %s", token);
		headers[1] = auth;
	}
	memset(&req, 0, sizeof req);
	req.method = method;
	req.url = url;
	req.headers = headers;
	req.body = body;
	req.body_len = body != NULL ? strlen(body) : 0;
	req.timeout_ms = timeout_ms;
	testloop_call(&ctx->tl, &req, r);
	free(auth);
	free(url);
}

/* method path with the right token; waits for the answer. */
static void
rest_as(struct ctx *ctx, const char *method, const char *path, const char *body,
	const char *token, struct testloop_result *r)
{
	rest_start(ctx, method, path, body, token, WAIT_MS, r);
	assert_int_equal(testloop_wait(&ctx->tl, r, WAIT_MS), 0);
}

static void
rest(struct ctx *ctx, const char *method, const char *path, const char *body,
     struct testloop_result *r)
{
	rest_as(ctx, method, path, body, TOKEN, r);
}

/* r was answered status and its body has key == want. */
static void
expect(struct testloop_result *r, long status, const char *key,
       const char *want)
{
	struct json_object *o;

	assert_int_equal(r->status, status);
	if (key != NULL) {
		o = testjson_parse(r->body);
		assert_non_null(testjson_str(o, key));
		assert_string_equal(testjson_str(o, key), want);
		json_object_put(o);
	}
	free(r->body);
	r->body = NULL;
}

/* WebSocket client. */

/*
 * Connect to target (e.g. "/api/v4/websocket"), with the bearer token if
 * not NULL, and wait for the answer to the upgrade.
 */
static struct fake_client *
wsc_open(struct ctx *ctx, const char *target, const char *token)
{
	char *auth = token != NULL
			 ? xasprintf("Authorization: Bearer %s\r\n", token)
			 : NULL;
	struct fake_client *w = fake_client_open(
	    &ctx->tl.loop, fake_mm_port(ctx->mm), target, auth, WAIT_MS);

	free(auth);
	return w;
}

/* Wait for the n-th text frame and return it parsed (caller puts). */
static struct json_object *
wsc_frame_at(struct fake_client *w, size_t n)
{
	if (fake_client_wait_frames(w, n + 1, WAIT_MS) != 0)
		fail_msg("no frame %zu (have %zu)", n, w->nframes);
	return testjson_parse(w->frames[n]);
}

/* Run the loop for ms (to see that nothing more comes). */
static int
never(struct fake_mm *mm, void *arg)
{
	(void)mm;
	(void)arg;
	return 0;
}

/* Frame n is event with seq; returns its data member (borrowed from *o). */
static struct json_object *
expect_event(struct fake_client *w, size_t n, const char *event, int64_t seq,
	     struct json_object **o)
{
	struct json_object *data;

	*o = wsc_frame_at(w, n);
	assert_string_equal(testjson_str(*o, "event"), event);
	assert_int_equal(testjson_int(*o, "seq"), seq);
	assert_true(json_object_object_get_ex(*o, "data", &data));
	assert_true(json_object_object_get_ex(*o, "broadcast", NULL));
	return data;
}

/* Frame n is hello with seq 0; returns its connection id (caller frees). */
static char *
expect_hello(struct fake_client *w, size_t n)
{
	struct json_object *o, *data;
	char *id;

	data = expect_event(w, n, "hello", 0, &o);
	assert_string_equal(testjson_str(data, "server_version"),
			    FAKE_MM_SERVER_VERSION);
	id = xstrdup(testjson_str(data, "connection_id"));
	assert_int_equal(strlen(id), 26);
	json_object_put(o);
	return id;
}

/* Tests. */

static void
test_accept_key(void **state)
{
	char out[29];

	(void)state;
	/* RFC 6455, section 1.3. */
	fake_server_ws_accept("dGhlIHNhbXBsZSBub25jZQ==", out);
	assert_string_equal(out, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
	/* RFC 6455, section 4.2.2 example key... and another known pair. */
	fake_server_ws_accept("x3JJHMbDL1EzLkh9GBhXDw==", out);
	assert_string_equal(out, "HSmrc0sMlYUkAGmm5OPpG2HaGWk=");
}

static void
test_rest_defaults(void **state)
{
	struct ctx *ctx = *state;
	const struct fake_mm_request *seen;
	struct json_object *o;
	struct testloop_result r;

	rest(ctx, "GET", "/api/v4/users/me", NULL, &r);
	assert_int_equal(r.status, 200);
	o = testjson_parse(r.body);
	assert_string_equal(testjson_str(o, "id"), FAKE_MM_BOT_ID);
	assert_string_equal(testjson_str(o, "username"), FAKE_MM_BOT_NAME);
	assert_true(
	    json_object_get_boolean(json_object_object_get(o, "is_bot")));
	json_object_put(o);
	free(r.body);

	seen = fake_mm_last(ctx->mm, "GET", "/api/v4/users/me");
	assert_non_null(seen);
	assert_string_equal(fake_mm_header(seen, "authorization"),
			    "Bearer " TOKEN);
	assert_int_equal(seen->status, 200);

	rest(ctx, "GET", "/api/v4/users/" FAKE_MM_ALICE_ID, NULL, &r);
	expect(&r, 200, "username", "alice");
	rest(ctx, "GET", "/api/v4/users/username/bob", NULL, &r);
	expect(&r, 200, "id", FAKE_MM_BOB_ID);
	rest(ctx, "GET", "/api/v4/users/username/nobody", NULL, &r);
	expect(&r, 404, "id", "app.user.missing_account.const");
	fake_mm_add_user(ctx->mm, "dave0000000000000000000dvu", "dave");
	rest(ctx, "GET", "/api/v4/users/dave0000000000000000000dvu", NULL, &r);
	expect(&r, 200, "username", "dave");

	rest(ctx, "POST", "/api/v4/users/ids",
	     "[\"" FAKE_MM_CAROL_ID
	     "\",\"unknown00000000000000000uu\",\"" FAKE_MM_ALICE_ID "\"]",
	     &r);
	assert_int_equal(r.status, 200);
	o = testjson_parse(r.body);
	assert_int_equal(json_object_array_length(o), 2);
	assert_string_equal(
	    testjson_str(json_object_array_get_idx(o, 0), "username"), "carol");
	assert_string_equal(
	    testjson_str(json_object_array_get_idx(o, 1), "username"), "alice");
	json_object_put(o);
	free(r.body);
	seen = fake_mm_last(ctx->mm, "POST", "/api/v4/users/ids");
	assert_non_null(strstr(seen->body, FAKE_MM_CAROL_ID));

	rest(ctx, "GET", "/api/v4/channels/" FAKE_MM_CHANNEL_ID, NULL, &r);
	expect(&r, 200, "name", FAKE_MM_CHANNEL_NAME);
	rest(ctx, "GET", "/api/v4/channels/nochannel000000000000000xx", NULL,
	     &r);
	expect(&r, 404, "id", "app.channel.get.existing.app_error");
	rest(ctx, "GET", "/api/v4/teams/name/" FAKE_MM_TEAM_NAME, NULL, &r);
	expect(&r, 200, "id", FAKE_MM_TEAM_ID);
	rest(ctx, "GET",
	     "/api/v4/teams/" FAKE_MM_TEAM_ID
	     "/channels/name/ops?include_deleted=true",
	     NULL, &r);
	expect(&r, 200, "id", FAKE_MM_CHANNEL_ID);
	rest(ctx, "GET", "/api/v4/teams/name/team/channels/name/ops", NULL, &r);
	expect(&r, 200, "type", "O");
	rest(ctx, "GET", "/api/v4/config/client?format=old", NULL, &r);
	expect(&r, 200, "MaxPostSize", "16383");

	assert_int_equal(fake_mm_count(ctx->mm, "GET", "/api/v4/users/*"), 3);
	assert_int_equal(fake_mm_count(ctx->mm, NULL, "/api/v4/teams/*/*"), 1);
	assert_int_equal(fake_mm_request_count(ctx->mm), 12);
	seen = fake_mm_request_at(ctx->mm, 10);
	assert_string_equal(seen->target, "/api/v4/teams/name/team/channels/"
					  "name/ops");
	assert_null(fake_mm_request_at(ctx->mm, 12));
}

static void
test_rest_auth(void **state)
{
	struct ctx *ctx = *state;
	struct json_object *o;
	struct testloop_result r;

	rest_as(ctx, "GET", "/api/v4/users/me", NULL, NULL, &r);
	assert_int_equal(r.status, 401);
	o = testjson_parse(r.body);
	assert_string_equal(testjson_str(o, "id"),
			    "api.context.session_expired.app_error");
	assert_int_equal(testjson_int(o, "status_code"), 401);
	assert_non_null(testjson_str(o, "message"));
	assert_non_null(testjson_str(o, "request_id"));
	json_object_put(o);
	free(r.body);

	rest_as(ctx, "POST", "/api/v4/posts",
		"{\"channel_id\":\"" FAKE_MM_CHANNEL_ID "\",\"message\":\"x\"}",
		"wrong", &r);
	expect(&r, 401, "id", "api.context.session_expired.app_error");
	assert_int_equal(fake_mm_post_count(ctx->mm), 0);

	/* An unknown route is 404, with or without a token. */
	rest(ctx, "GET", "/api/v4/nothing/here", NULL, &r);
	assert_int_equal(r.status, 404);
	o = testjson_parse(r.body);
	assert_string_equal(testjson_str(o, "id"), "api.context.404.app_error");
	assert_int_equal(testjson_int(o, "status_code"), 404);
	json_object_put(o);
	free(r.body);
	rest_as(ctx, "DELETE", "/api/v4/users/me", NULL, NULL, &r);
	expect(&r, 404, "id", "api.context.404.app_error");
}

static void
test_posts(void **state)
{
	struct ctx *ctx = *state;
	const struct fake_mm_post *p;
	struct json_object *o;
	struct testloop_result r;
	char *first, dm[27];

	rest(ctx, "POST", "/api/v4/posts?set_online=false",
	     "{\"channel_id\":\"" FAKE_MM_CHANNEL_ID "\",\"message\":\"## "
	     "Agenda\",\"pending_post_id\":\"lihui-b-1\"}",
	     &r);
	assert_int_equal(r.status, 201);
	o = testjson_parse(r.body);
	first = xstrdup(testjson_str(o, "id"));
	assert_int_equal(strlen(first), 26);
	assert_string_equal(testjson_str(o, "channel_id"), FAKE_MM_CHANNEL_ID);
	assert_string_equal(testjson_str(o, "user_id"), FAKE_MM_BOT_ID);
	assert_string_equal(testjson_str(o, "pending_post_id"), "lihui-b-1");
	assert_true(testjson_int(o, "create_at") > 1700000000000LL);
	json_object_put(o);
	free(r.body);

	/* The same pending_post_id: the same post, not a new one. */
	rest(ctx, "POST", "/api/v4/posts",
	     "{\"channel_id\":\"" FAKE_MM_CHANNEL_ID "\",\"message\":\"## "
	     "Agenda\",\"pending_post_id\":\"lihui-b-1\"}",
	     &r);
	expect(&r, 201, "id", first);
	assert_int_equal(fake_mm_post_count(ctx->mm), 1);
	assert_int_equal(fake_mm_post_at(ctx->mm, 0)->duplicates, 1);

	rest(ctx, "POST", "/api/v4/posts",
	     "{\"channel_id\":\"" FAKE_MM_CHANNEL_ID "\",\"message\":\"reply\","
	     "\"root_id\":\"",
	     &r);
	expect(&r, 400, "id", "api.context.invalid_body_param.app_error");
	rest(ctx, "POST", "/api/v4/posts", "{\"message\":\"no channel\"}", &r);
	expect(&r, 400, "id", "api.context.invalid_param.app_error");
	assert_int_equal(fake_mm_post_count(ctx->mm), 1);

	o = json_object_new_object();
	json_object_object_add(o, "channel_id",
			       json_object_new_string(FAKE_MM_CHANNEL_ID));
	json_object_object_add(o, "message", json_object_new_string("reply"));
	json_object_object_add(o, "root_id", json_object_new_string(first));
	json_object_object_add(o, "pending_post_id",
			       json_object_new_string("lihui-b-2"));
	rest(ctx, "POST", "/api/v4/posts", json_object_to_json_string(o), &r);
	json_object_put(o);
	expect(&r, 201, "root_id", first);
	assert_int_equal(fake_mm_post_count(ctx->mm), 2);
	p = fake_mm_post_at(ctx->mm, 1);
	assert_string_equal(p->message, "reply");
	assert_string_equal(p->root_id, first);
	assert_string_equal(p->pending_post_id, "lihui-b-2");
	assert_string_equal(p->channel_id, FAKE_MM_CHANNEL_ID);
	assert_null(fake_mm_post_at(ctx->mm, 2));

	/* Edits. */
	o = json_object_new_object();
	json_object_object_add(o, "message", json_object_new_string("edited"));
	{
		char *path = xasprintf("/api/v4/posts/%s/patch", first);

		rest(ctx, "PUT", path, json_object_to_json_string(o), &r);
		free(path);
	}
	json_object_put(o);
	expect(&r, 200, "message", "edited");
	p = fake_mm_post_find(ctx->mm, first);
	assert_non_null(p);
	assert_string_equal(p->message, "edited");
	assert_int_equal(p->edits, 1);
	rest(ctx, "PUT", "/api/v4/posts/nopost000000000000000000xx/patch",
	     "{\"message\":\"x\"}", &r);
	expect(&r, 404, "id", "app.post.get.app_error");
	{
		char *path = xasprintf("/api/v4/posts/%s", first);
		char *body =
		    xasprintf("{\"id\":\"%s\",\"message\":\"full\"}", first);

		rest(ctx, "PUT", path, body, &r);
		free(path);
		free(body);
	}
	expect(&r, 200, "message", "full");
	assert_int_equal(fake_mm_post_find(ctx->mm, first)->edits, 2);

	/* Reactions, the bot's own only. */
	{
		char *body = xasprintf("{\"user_id\":\"%s\",\"post_id\":\"%s\","
				       "\"emoji_name\":\"white_check_mark\"}",
				       FAKE_MM_BOT_ID, first);

		rest(ctx, "POST", "/api/v4/reactions", body, &r);
		free(body);
	}
	expect(&r, 201, "emoji_name", "white_check_mark");
	assert_int_equal(fake_mm_reaction_count(ctx->mm), 1);
	assert_string_equal(fake_mm_reaction_at(ctx->mm, 0)->post_id, first);
	rest(ctx, "POST", "/api/v4/reactions",
	     "{\"user_id\":\"" FAKE_MM_ALICE_ID "\",\"post_id\":"
	     "\"nopost000000000000000000xx\",\"emoji_name\":\"x\"}",
	     &r);
	expect(&r, 403, "id", "api.context.permissions.app_error");

	/* Ephemeral posts. */
	rest(ctx, "POST", "/api/v4/posts/ephemeral",
	     "{\"user_id\":\"" FAKE_MM_ALICE_ID "\",\"post\":{\"channel_id\":"
	     "\"" FAKE_MM_CHANNEL_ID "\",\"message\":\"only you\"}}",
	     &r);
	expect(&r, 201, "message", "only you");
	assert_int_equal(fake_mm_ephemeral_count(ctx->mm), 1);
	assert_string_equal(fake_mm_ephemeral_at(ctx->mm, 0)->user_id,
			    FAKE_MM_ALICE_ID);
	assert_string_equal(fake_mm_ephemeral_at(ctx->mm, 0)->message,
			    "only you");
	assert_int_equal(fake_mm_post_count(ctx->mm), 2);

	/* Direct channels: an id from the two users, in either order. */
	fake_mm_direct_id(FAKE_MM_BOT_ID, FAKE_MM_BOB_ID, dm);
	rest(ctx, "POST", "/api/v4/channels/direct",
	     "[\"" FAKE_MM_BOT_ID "\",\"" FAKE_MM_BOB_ID "\"]", &r);
	assert_int_equal(r.status, 201);
	o = testjson_parse(r.body);
	assert_string_equal(testjson_str(o, "id"), dm);
	assert_string_equal(testjson_str(o, "type"), "D");
	assert_string_equal(testjson_str(o, "name"),
			    FAKE_MM_BOB_ID "__" FAKE_MM_BOT_ID);
	json_object_put(o);
	free(r.body);
	rest(ctx, "POST", "/api/v4/channels/direct",
	     "[\"" FAKE_MM_BOB_ID "\",\"" FAKE_MM_BOT_ID "\"]", &r);
	expect(&r, 201, "id", dm);
	rest(ctx, "POST", "/api/v4/channels/direct", "[\"" FAKE_MM_BOT_ID "\"]",
	     &r);
	expect(&r, 400, "id", "api.context.invalid_body_param.app_error");
	assert_int_equal(fake_mm_direct_count(ctx->mm), 2);
	assert_string_equal(fake_mm_direct_at(ctx->mm, 1)->user_a,
			    FAKE_MM_BOB_ID);
	assert_string_equal(fake_mm_direct_at(ctx->mm, 1)->channel_id, dm);
	fake_mm_direct_id(FAKE_MM_BOT_ID, FAKE_MM_ALICE_ID, dm);
	assert_string_not_equal(dm, fake_mm_direct_at(ctx->mm, 0)->channel_id);
	rest(ctx, "GET", "/api/v4/channels/", NULL, &r);
	expect(&r, 404, "id", "api.context.404.app_error");
	{
		char *path =
		    xasprintf("/api/v4/channels/%s",
			      fake_mm_direct_at(ctx->mm, 0)->channel_id);

		rest(ctx, "GET", path, NULL, &r);
		free(path);
	}
	expect(&r, 200, "type", "D");
	free(first);
}

static void
test_commands(void **state)
{
	struct ctx *ctx = *state;
	static const char body[] =
	    "{\"team_id\":\"" FAKE_MM_TEAM_ID "\",\"trigger\":\"Standup\","
	    "\"method\":\"P\",\"url\":\"http://127.0.0.1:9/command\","
	    "\"auto_complete\":true}";
	const struct fake_mm_command *c;
	struct json_object *o;
	struct testloop_result r;

	rest(ctx, "POST", "/api/v4/commands", body, &r);
	assert_int_equal(r.status, 201);
	o = testjson_parse(r.body);
	assert_string_equal(testjson_str(o, "token"), FAKE_MM_COMMAND_TOKEN);
	assert_string_equal(testjson_str(o, "trigger"), "standup");
	assert_string_equal(testjson_str(o, "url"),
			    "http://127.0.0.1:9/command");
	assert_int_equal(strlen(testjson_str(o, "id")), 26);
	json_object_put(o);
	free(r.body);
	assert_int_equal(fake_mm_command_count(ctx->mm), 1);
	c = fake_mm_command_at(ctx->mm, 0);
	assert_string_equal(c->team_id, FAKE_MM_TEAM_ID);
	assert_string_equal(c->method, "P");

	rest(ctx, "POST", "/api/v4/commands", body, &r);
	expect(&r, 400, "id", "api.command.duplicate_trigger.app_error");
	rest(ctx, "POST", "/api/v4/commands",
	     "{\"team_id\":\"" FAKE_MM_TEAM_ID "\",\"trigger\":\"/x\","
	     "\"method\":\"P\",\"url\":\"http://h/\"}",
	     &r);
	expect(&r, 400, "id", "model.command.is_valid.app_error");
	assert_int_equal(fake_mm_command_count(ctx->mm), 1);

	rest(ctx, "GET",
	     "/api/v4/commands?team_id=" FAKE_MM_TEAM_ID "&custom_only=true",
	     NULL, &r);
	assert_int_equal(r.status, 200);
	o = testjson_parse(r.body);
	assert_int_equal(json_object_array_length(o), 1);
	assert_string_equal(
	    testjson_str(json_object_array_get_idx(o, 0), "trigger"),
	    "standup");
	json_object_put(o);
	free(r.body);
	rest(ctx, "GET", "/api/v4/commands?team_id=other0000000000000000000tm",
	     NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "[]");
	free(r.body);
}

static void
test_scripts(void **state)
{
	struct ctx *ctx = *state;
	static const char post[] =
	    "{\"channel_id\":\"" FAKE_MM_CHANNEL_ID "\",\"message\":\"m\","
	    "\"pending_post_id\":\"lihui-b-7\"}";
	static const char eph[] =
	    "{\"user_id\":\"" FAKE_MM_ALICE_ID "\",\"post\":{\"channel_id\":"
	    "\"" FAKE_MM_CHANNEL_ID "\",\"message\":\"e\"}}";
	const struct fake_mm_request *seen;
	struct testloop_result r;
	uint64_t t0;

	fake_mm_fail(ctx->mm, "POST", "/api/v4/posts", 2, 429, 7);
	rest(ctx, "POST", "/api/v4/posts", post, &r);
	assert_int_equal(r.status, 429);
	assert_int_equal(r.retry_after, 7);
	assert_string_equal(r.body, "limit exceeded");
	free(r.body);
	rest(ctx, "POST", "/api/v4/posts", post, &r);
	expect(&r, 429, NULL, NULL);
	assert_int_equal(fake_mm_post_count(ctx->mm), 0);
	rest(ctx, "POST", "/api/v4/posts", post, &r);
	expect(&r, 201, "pending_post_id", "lihui-b-7");
	assert_int_equal(fake_mm_post_count(ctx->mm), 1);

	/* A scripted failure comes before the token check. */
	fake_mm_fail(ctx->mm, NULL, "/api/v4/users/*", 1, 500, -1);
	rest_as(ctx, "GET", "/api/v4/users/me", NULL, "wrong", &r);
	expect(&r, 500, "id", "fake_mm.scripted.app_error");
	rest(ctx, "GET", "/api/v4/users/me", NULL, &r);
	expect(&r, 200, "id", FAKE_MM_BOT_ID);

	fake_mm_fail(ctx->mm, "POST", "/api/v4/posts/ephemeral", FAKE_MM_ALWAYS,
		     403, -1);
	rest(ctx, "POST", "/api/v4/posts/ephemeral", eph, &r);
	expect(&r, 403, NULL, NULL);
	rest(ctx, "POST", "/api/v4/posts/ephemeral", eph, &r);
	expect(&r, 403, NULL, NULL);
	assert_int_equal(fake_mm_ephemeral_count(ctx->mm), 0);
	fake_mm_unscript(ctx->mm);
	rest(ctx, "POST", "/api/v4/posts/ephemeral", eph, &r);
	expect(&r, 201, NULL, NULL);

	/* A hanging route: recorded, never answered. */
	fake_mm_hang(ctx->mm, "GET", "/api/v4/channels/*", 1);
	rest_start(ctx, "GET", "/api/v4/channels/" FAKE_MM_CHANNEL_ID, NULL,
		   TOKEN, 300, &r);
	assert_int_equal(testloop_wait(&ctx->tl, &r, WAIT_MS), 0);
	assert_int_equal(r.status, 0);
	free(r.body);
	seen = fake_mm_last(ctx->mm, "GET", "/api/v4/channels/*");
	assert_non_null(seen);
	assert_int_equal(seen->status, 0);
	rest(ctx, "GET", "/api/v4/channels/" FAKE_MM_CHANNEL_ID, NULL, &r);
	expect(&r, 200, "id", FAKE_MM_CHANNEL_ID);

	/* A slow answer lost to a client timeout: the retry is dropped. */
	fake_mm_slow(ctx->mm, "POST", "/api/v4/posts", 1, 400);
	rest_start(ctx, "POST", "/api/v4/posts",
		   "{\"channel_id\":\"" FAKE_MM_CHANNEL_ID
		   "\",\"message\":\"s\","
		   "\"pending_post_id\":\"lihui-b-8\"}",
		   TOKEN, 100, &r);
	assert_int_equal(testloop_wait(&ctx->tl, &r, WAIT_MS), 0);
	assert_int_equal(r.status, 0);
	free(r.body);
	assert_int_equal(fake_mm_post_count(ctx->mm), 2);
	rest(ctx, "POST", "/api/v4/posts",
	     "{\"channel_id\":\"" FAKE_MM_CHANNEL_ID "\",\"message\":\"s\","
	     "\"pending_post_id\":\"lihui-b-8\"}",
	     &r);
	expect(&r, 201, "id", fake_mm_post_at(ctx->mm, 1)->id);
	assert_int_equal(fake_mm_post_count(ctx->mm), 2);

	/* A slow answer that is waited for. */
	fake_mm_slow(ctx->mm, "GET", "/api/v4/users/me", 1, 200);
	uv_update_time(&ctx->tl.loop);
	t0 = uv_now(&ctx->tl.loop);
	rest(ctx, "GET", "/api/v4/users/me", NULL, &r);
	expect(&r, 200, "id", FAKE_MM_BOT_ID);
	assert_true(uv_now(&ctx->tl.loop) - t0 >= 190);
}

static void
test_ws_header_login(void **state)
{
	struct ctx *ctx = *state;
	struct json_object *o, *data, *post;
	struct fake_client *w;
	char *id;

	w = wsc_open(ctx, "/api/v4/websocket", TOKEN);
	assert_int_equal(w->status, 101);
	id = expect_hello(w, 0);
	assert_int_equal(fake_mm_ws_connections(ctx->mm), 1);
	assert_int_equal(fake_mm_ws_open(ctx->mm), 1);
	assert_true(fake_mm_ws_authenticated(ctx->mm));
	assert_string_equal(fake_mm_ws_connection_id(ctx->mm), id);
	assert_int_equal(
	    fake_mm_last(ctx->mm, "GET", "/api/v4/websocket")->status, 101);

	fake_mm_ws_push_posted(ctx->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_ALICE_ID,
			       "hi @lihui, agenda?", "O");
	data = expect_event(w, 1, "posted", 1, &o);
	assert_string_equal(testjson_str(data, "channel_type"), "O");
	assert_string_equal(testjson_str(data, "sender_name"), "@alice");
	assert_string_equal(testjson_str(data, "channel_name"), "ops");
	assert_string_equal(testjson_str(data, "mentions"),
			    "[\"" FAKE_MM_BOT_ID "\"]");
	assert_true(json_object_is_type(json_object_object_get(data, "post"),
					json_type_string));
	post = testjson_parse(testjson_str(data, "post"));
	assert_string_equal(testjson_str(post, "message"),
			    "hi @lihui, agenda?");
	assert_string_equal(testjson_str(post, "user_id"), FAKE_MM_ALICE_ID);
	assert_string_equal(testjson_str(post, "channel_id"),
			    FAKE_MM_CHANNEL_ID);
	assert_string_equal(testjson_str(post, "root_id"), "");
	json_object_put(post);
	json_object_put(o);

	fake_mm_ws_push_posted(ctx->mm, "dmchannel000000000000000dm",
			       FAKE_MM_BOB_ID, "@lihuiX is not me", "D");
	data = expect_event(w, 2, "posted", 2, &o);
	assert_false(json_object_object_get_ex(data, "mentions", NULL));
	assert_string_equal(testjson_str(data, "channel_name"),
			    FAKE_MM_BOB_ID "__" FAKE_MM_BOT_ID);
	json_object_put(o);

	fake_mm_ws_push(ctx->mm, "typing",
			"{\"parent_id\":\"\",\"user_id\":\"" FAKE_MM_BOB_ID
			"\"}",
			"{\"channel_id\":\"" FAKE_MM_CHANNEL_ID "\"}");
	data = expect_event(w, 3, "typing", 3, &o);
	assert_string_equal(testjson_str(data, "user_id"), FAKE_MM_BOB_ID);
	json_object_put(o);

	/* Raw frames carry no seq and do not use one up. */
	fake_mm_ws_send_raw(ctx->mm, "not json");
	fake_mm_ws_push(ctx->mm, "status_change",
			"{\"status\":\"online\",\"user_id\":\"x\"}", NULL);
	o = wsc_frame_at(w, 5);
	assert_string_equal(w->frames[4], "not json");
	assert_int_equal(testjson_int(o, "seq"), 4);
	json_object_put(o);

	/* With echo on, the bot's own posts come back as events. */
	fake_mm_ws_echo_posts(ctx->mm, 1);
	{
		struct testloop_result r;

		rest(ctx, "POST", "/api/v4/posts",
		     "{\"channel_id\":\"" FAKE_MM_CHANNEL_ID "\","
		     "\"message\":\"minutes\"}",
		     &r);
		expect(&r, 201, "message", "minutes");
	}
	data = expect_event(w, 6, "posted", 5, &o);
	post = testjson_parse(testjson_str(data, "post"));
	assert_string_equal(testjson_str(post, "user_id"), FAKE_MM_BOT_ID);
	assert_string_equal(testjson_str(post, "id"),
			    fake_mm_post_at(ctx->mm, 0)->id);
	json_object_put(post);
	json_object_put(o);

	/* The server closes with a close frame. */
	fake_mm_ws_close(ctx->mm, 1001);
	assert_int_equal(fake_client_wait_eof(w, WAIT_MS), 0);
	assert_int_equal(w->close_code, 1001);
	assert_int_equal(fake_mm_ws_open(ctx->mm), 0);
	assert_false(fake_mm_ws_authenticated(ctx->mm));
	free(id);
	fake_client_free(w, WAIT_MS);
}

static void
test_ws_challenge(void **state)
{
	struct ctx *ctx = *state;
	struct json_object *o, *data;
	struct fake_client *w;
	size_t i;
	int hello = 0, ok = 0;

	/* A wrong header token only means "not logged in". */
	w = wsc_open(ctx, "/api/v4/websocket/", "wrong");
	assert_int_equal(w->status, 101);
	assert_false(fake_mm_ws_authenticated(ctx->mm));
	assert_null(fake_mm_ws_connection_id(ctx->mm));

	fake_client_send(w,
			 "{\"seq\":1,\"action\":\"user_typing\",\"data\":{}}");
	o = wsc_frame_at(w, 0);
	assert_string_equal(testjson_str(o, "status"), "FAIL");
	assert_int_equal(testjson_int(o, "seq_reply"), 1);
	json_object_put(o);

	fake_client_send(w,
			 "{\"seq\":2,\"action\":\"authentication_challenge\","
			 "\"data\":{\"token\":\"" TOKEN "\"}}");
	for (i = 1; i <= 2; i++) {
		o = wsc_frame_at(w, i);
		if (testjson_str(o, "event") != NULL) {
			assert_string_equal(testjson_str(o, "event"), "hello");
			assert_int_equal(testjson_int(o, "seq"), 0);
			hello++;
		} else {
			assert_string_equal(testjson_str(o, "status"), "OK");
			assert_int_equal(testjson_int(o, "seq_reply"), 2);
			ok++;
		}
		json_object_put(o);
	}
	assert_int_equal(hello, 1);
	assert_int_equal(ok, 1);
	assert_true(fake_mm_ws_authenticated(ctx->mm));

	/* The ping action, a ping frame, and the server's ping. */
	fake_client_send(w, "{\"seq\":3,\"action\":\"ping\"}");
	o = wsc_frame_at(w, 3);
	assert_int_equal(testjson_int(o, "seq_reply"), 3);
	assert_true(json_object_object_get_ex(o, "data", &data));
	assert_string_equal(testjson_str(data, "text"), "pong");
	json_object_put(o);
	fake_client_frame(w, 1, 0x9, "hb", 2);
	fake_mm_ws_ping(ctx->mm);
	fake_client_send(w, "{\"seq\":4,\"action\":\"bogus\"}");
	o = wsc_frame_at(w, 4);
	assert_string_equal(testjson_str(o, "status"), "FAIL");
	json_object_put(o);
	assert_int_equal(w->pongs, 1);
	assert_int_equal(fake_mm_ws_pongs(ctx->mm), 1);

	/* A message in two fragments. */
	fake_client_frame(w, 0, 0x1, "{\"seq\":5,\"action\":", 18);
	fake_client_frame(w, 1, 0x0, "\"get_statuses\"}", 15);
	o = wsc_frame_at(w, 5);
	assert_string_equal(testjson_str(o, "status"), "OK");
	assert_int_equal(testjson_int(o, "seq_reply"), 5);
	json_object_put(o);

	assert_int_equal(fake_mm_ws_received_count(ctx->mm), 5);
	assert_string_equal(fake_mm_ws_received_at(ctx->mm, 4),
			    "{\"seq\":5,\"action\":\"get_statuses\"}");
	assert_non_null(strstr(fake_mm_ws_received_at(ctx->mm, 1), TOKEN));
	assert_null(fake_mm_ws_received_at(ctx->mm, 5));
	fake_client_free(w, WAIT_MS);

	/* A bad challenge token: the socket is dropped. */
	w = wsc_open(ctx, "/api/v4/websocket", NULL);
	assert_int_equal(w->status, 101);
	fake_client_send(w,
			 "{\"seq\":1,\"action\":\"authentication_challenge\","
			 "\"data\":{\"token\":\"nope\"}}");
	assert_int_equal(fake_client_wait_eof(w, WAIT_MS), 0);
	assert_int_equal(w->nframes, 0);
	fake_client_free(w, WAIT_MS);
	assert_int_equal(fake_mm_ws_connections(ctx->mm), 2);
}

static void
test_ws_resume(void **state)
{
	struct ctx *ctx = *state;
	struct json_object *o;
	struct fake_client *w;
	char *id, *again, *target;
	int i;

	w = wsc_open(ctx, "/api/v4/websocket", TOKEN);
	id = expect_hello(w, 0);
	fake_mm_ws_push(ctx->mm, "typing", "{\"n\":1}", NULL);
	fake_mm_ws_push(ctx->mm, "typing", "{\"n\":2}", NULL);
	expect_event(w, 2, "typing", 2, &o);
	json_object_put(o);

	/* Dropped; two events while away. */
	fake_mm_ws_drop(ctx->mm);
	assert_int_equal(fake_client_wait_eof(w, WAIT_MS), 0);
	assert_int_equal(w->close_code, 0);
	fake_client_free(w, WAIT_MS);
	fake_mm_ws_push(ctx->mm, "typing", "{\"n\":3}", NULL);
	fake_mm_ws_push(ctx->mm, "typing", "{\"n\":4}", NULL);

	target = xasprintf("/api/v4/websocket?connection_id=%s&"
			   "sequence_number=3",
			   id);
	w = wsc_open(ctx, target, TOKEN);
	free(target);
	assert_int_equal(w->status, 101);
	expect_event(w, 0, "typing", 3, &o);
	json_object_put(o);
	expect_event(w, 1, "typing", 4, &o);
	json_object_put(o);
	fake_mm_ws_push(ctx->mm, "typing", "{\"n\":5}", NULL);
	expect_event(w, 2, "typing", 5, &o);
	json_object_put(o);
	assert_int_equal(fake_mm_ws_resumes(ctx->mm), 1);
	assert_string_equal(fake_mm_ws_connection_id(ctx->mm), id);
	fake_client_free(w, WAIT_MS);

	/* With hello_on_resume, the same id comes in a hello. */
	fake_mm_ws_hello_on_resume(ctx->mm, 1);
	target = xasprintf("/api/v4/websocket?connection_id=%s&"
			   "sequence_number=6",
			   id);
	w = wsc_open(ctx, target, TOKEN);
	free(target);
	o = wsc_frame_at(w, 0);
	assert_string_equal(testjson_str(o, "event"), "hello");
	assert_int_equal(testjson_int(o, "seq"), 6);
	assert_string_equal(
	    testjson_str(json_object_object_get(o, "data"), "connection_id"),
	    id);
	json_object_put(o);
	assert_int_equal(fake_mm_ws_resumes(ctx->mm), 2);
	fake_mm_ws_hello_on_resume(ctx->mm, 0);

	/* A connection that resumes the id drops the older one. */
	target = xasprintf("/api/v4/websocket?connection_id=%s&"
			   "sequence_number=7",
			   id);
	{
		struct fake_client *w2 = wsc_open(ctx, target, TOKEN);

		assert_int_equal(fake_client_wait_eof(w, WAIT_MS), 0);
		assert_int_equal(fake_mm_ws_open(ctx->mm), 1);
		fake_client_free(w2, WAIT_MS);
	}
	free(target);
	fake_client_free(w, WAIT_MS);

	/* Too far behind (the replay buffer holds 128): a new id. */
	for (i = 0; i < 200; i++)
		fake_mm_ws_push(ctx->mm, "typing", "{}", NULL);
	target = xasprintf("/api/v4/websocket?connection_id=%s&"
			   "sequence_number=7",
			   id);
	w = wsc_open(ctx, target, TOKEN);
	free(target);
	again = expect_hello(w, 0);
	assert_string_not_equal(again, id);
	assert_int_equal(fake_mm_ws_resumes(ctx->mm), 3);
	fake_client_free(w, WAIT_MS);
	free(again);

	/* Without a header token connection_id is ignored. */
	target = xasprintf("/api/v4/websocket?connection_id=%s&"
			   "sequence_number=207",
			   id);
	w = wsc_open(ctx, target, NULL);
	free(target);
	assert_int_equal(w->status, 101);
	assert_false(fake_mm_ws_authenticated(ctx->mm));
	fake_client_free(w, WAIT_MS);

	/* connection_id without a valid sequence_number is refused. */
	target = xasprintf("/api/v4/websocket?connection_id=%s", id);
	w = wsc_open(ctx, target, TOKEN);
	free(target);
	assert_int_equal(w->status, 400);
	fake_client_free(w, WAIT_MS);
	free(id);
}

static void
test_ws_restart(void **state)
{
	struct ctx *ctx = *state;
	struct fake_client *w;
	char *id, *fresh, *target;

	w = wsc_open(ctx, "/api/v4/websocket", TOKEN);
	id = expect_hello(w, 0);
	fake_mm_ws_restart(ctx->mm);
	assert_int_equal(fake_client_wait_eof(w, WAIT_MS), 0);
	fake_client_free(w, WAIT_MS);

	target = xasprintf("/api/v4/websocket?connection_id=%s&"
			   "sequence_number=1",
			   id);
	w = wsc_open(ctx, target, TOKEN);
	free(target);
	fresh = expect_hello(w, 0);
	assert_string_not_equal(fresh, id);
	assert_int_equal(fake_mm_ws_resumes(ctx->mm), 0);
	assert_string_equal(fake_mm_ws_connection_id(ctx->mm), fresh);
	assert_int_equal(fake_mm_ws_connections(ctx->mm), 2);
	fake_client_free(w, WAIT_MS);
	free(id);
	free(fresh);
}

static void
test_ws_refuse(void **state)
{
	struct ctx *ctx = *state;
	struct fake_client *w;

	fake_mm_ws_refuse_for(ctx->mm, 800);
	w = wsc_open(ctx, "/api/v4/websocket", TOKEN);
	assert_int_equal(w->status, 503);
	assert_int_equal(fake_client_wait_eof(w, WAIT_MS), 0);
	fake_client_free(w, WAIT_MS);
	assert_int_equal(fake_mm_ws_connections(ctx->mm), 0);
	fake_mm_wait(ctx->mm, never, NULL, 850);
	w = wsc_open(ctx, "/api/v4/websocket", TOKEN);
	assert_int_equal(w->status, 101);
	fake_client_free(w, WAIT_MS);

	/* Scripts apply to the upgrade too. */
	fake_mm_fail(ctx->mm, "GET", "/api/v4/websocket", 1, 502, -1);
	w = wsc_open(ctx, "/api/v4/websocket", TOKEN);
	assert_int_equal(w->status, 502);
	fake_client_free(w, WAIT_MS);
	assert_int_equal(fake_mm_ws_connections(ctx->mm), 1);

	/* A missing key is no upgrade. */
	{
		struct testloop_result r;

		rest(ctx, "GET", "/api/v4/websocket", NULL, &r);
		expect(&r, 400, "id",
		       "api.web_socket.connect.upgrade.app_error");
	}
}

static void
test_ws_limits(void **state)
{
	struct ctx *ctx = *state;
	struct fake_client *w;
	char *big;
	unsigned char unmasked[] = { 0x81, 0x02, 'h', 'i' };

	/* A message over 8 KiB. */
	w = wsc_open(ctx, "/api/v4/websocket", TOKEN);
	free(expect_hello(w, 0));
	big = xmalloc(9000);
	memset(big, 'x', 9000);
	fake_client_frame(w, 1, 0x1, big, 9000);
	free(big);
	assert_int_equal(fake_client_wait_eof(w, WAIT_MS), 0);
	assert_int_equal(w->close_code, 1009);
	fake_client_free(w, WAIT_MS);

	/* Fragments adding up to over 8 KiB. */
	w = wsc_open(ctx, "/api/v4/websocket", TOKEN);
	big = xmalloc(5000);
	memset(big, 'x', 5000);
	fake_client_frame(w, 0, 0x1, big, 5000);
	fake_client_frame(w, 1, 0x0, big, 5000);
	free(big);
	assert_int_equal(fake_client_wait_eof(w, WAIT_MS), 0);
	assert_int_equal(w->close_code, 1009);
	fake_client_free(w, WAIT_MS);

	/* An unmasked client frame. */
	w = wsc_open(ctx, "/api/v4/websocket", TOKEN);
	fake_client_write(w, unmasked, sizeof unmasked);
	assert_int_equal(fake_client_wait_eof(w, WAIT_MS), 0);
	assert_int_equal(w->close_code, 1002);
	fake_client_free(w, WAIT_MS);

	/* Invalid UTF-8 in a text frame. */
	w = wsc_open(ctx, "/api/v4/websocket", TOKEN);
	fake_client_frame(w, 1, 0x1, "\xff\xfe", 2);
	assert_int_equal(fake_client_wait_eof(w, WAIT_MS), 0);
	assert_int_equal(w->close_code, 1007);
	fake_client_free(w, WAIT_MS);

	/* A client close is echoed. */
	w = wsc_open(ctx, "/api/v4/websocket", TOKEN);
	fake_client_frame(w, 1, 0x8, "\x03\xe8", 2);
	assert_int_equal(fake_client_wait_eof(w, WAIT_MS), 0);
	assert_int_equal(w->close_code, 1000);
	fake_client_free(w, WAIT_MS);
	assert_int_equal(fake_mm_ws_open(ctx->mm), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accept_key),
		cmocka_unit_test_setup_teardown(test_rest_defaults, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_rest_auth, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_posts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_commands, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scripts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ws_header_login, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_ws_challenge, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_ws_resume, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_ws_restart, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_ws_refuse, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_ws_limits, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
