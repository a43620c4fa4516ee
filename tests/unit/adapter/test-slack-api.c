/* SPDX-License-Identifier: MIT */
/*
 * test-slack-api.c: the Slack Web API calls (src/adapter/slack-api.c)
 * over real sockets on a libuv loop, against the scripted fake HTTP
 * server (tests/lib/fake-http.h): what each request carries (method,
 * path, token, content type, JSON body), the fields read from answers,
 * ok:false, 429 with Retry-After, 5xx, a hanging server (a post is not
 * retried, an update is), the caches (users.info, users.list pages with
 * a cursor, conversations.open), invalid arguments refused before any
 * request, and tokens never in an error. The classification of answers
 * is also checked on its own, table-driven.
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

#include "fake-http.h"
#include "lihui/http.h"
#include "lihui/xmalloc.h"
#include "testloop.h"

#include "../../../src/adapter/slack-api.h"

#define BOT	 "xoxb-sekrit-bot"
#define APP	 "xapp-sekrit-app"
#define GUARD_MS 20000
#define MAX_RECS 8

struct rec {
	enum slack_api_status status;
	char *error, *channel, *ts, *url, *user_id, *user_name, *bot_id;
	int retry_after, auth;
};

struct ctx {
	struct testloop tl;
	struct fake_http *fh;
	struct slack_api *api;
	struct rec recs[MAX_RECS];
	size_t nrecs;
};

static void
make_api(struct ctx *ctx, long timeout_ms)
{
	struct slack_api_config cfg;
	char *url = fake_http_url(ctx->fh, "/api/");

	memset(&cfg, 0, sizeof cfg);
	cfg.http = ctx->tl.http;
	cfg.url = url;
	cfg.bot_token = BOT;
	cfg.app_token = APP;
	cfg.timeout_ms = timeout_ms;
	slack_api_free(ctx->api);
	ctx->api = slack_api_new(&cfg);
	free(url);
}

static int
setup(void **state)
{
	struct ctx *ctx = xcalloc(1, sizeof *ctx);
	char *cause = NULL;

	testloop_init(&ctx->tl, NULL, GUARD_MS);
	ctx->fh = fake_http_new(&ctx->tl.loop, &cause);
	assert_non_null(ctx->fh);
	make_api(ctx, 0);
	*state = ctx;
	return 0;
}

static void
recs_clear(struct ctx *ctx)
{
	size_t i;
	struct rec *r;

	for (i = 0; i < ctx->nrecs; i++) {
		r = &ctx->recs[i];
		free(r->error);
		free(r->channel);
		free(r->ts);
		free(r->url);
		free(r->user_id);
		free(r->user_name);
		free(r->bot_id);
	}
	memset(ctx->recs, 0, sizeof ctx->recs);
	ctx->nrecs = 0;
}

static int
teardown(void **state)
{
	struct ctx *ctx = *state;

	testloop_close_http(&ctx->tl);
	fake_http_close(ctx->fh);
	testloop_drain(&ctx->tl);
	assert_int_equal(slack_api_in_flight(ctx->api), 0);
	slack_api_free(ctx->api);
	testloop_free(&ctx->tl);
	recs_clear(ctx);
	free(ctx);
	return 0;
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static void
on_done(void *arg, const struct slack_api_result *res)
{
	struct ctx *ctx = arg;
	struct rec *r;

	assert_true(ctx->nrecs < MAX_RECS);
	r = &ctx->recs[ctx->nrecs++];
	r->status = res->status;
	if (res->status == SLACK_API_OK)
		assert_null(res->error);
	else
		assert_non_null(res->error);
	r->error = dup_or_null(res->error);
	r->channel = dup_or_null(res->channel);
	r->ts = dup_or_null(res->ts);
	r->url = dup_or_null(res->url);
	r->user_id = dup_or_null(res->user_id);
	r->user_name = dup_or_null(res->user_name);
	r->bot_id = dup_or_null(res->bot_id);
	r->retry_after = res->retry_after;
	r->auth = res->auth;
	/* No token in anything a caller may log. */
	if (res->error != NULL) {
		assert_null(strstr(res->error, "sekrit"));
	}
}

/* Run the loop until n callbacks came. */
static void
wait_recs(struct ctx *ctx, size_t n)
{
	while (ctx->nrecs < n && !ctx->tl.expired)
		uv_run(&ctx->tl.loop, UV_RUN_ONCE);
	assert_false(ctx->tl.expired);
	assert_int_equal(ctx->nrecs, n);
}

static const char *
body_string(const struct fake_http_request *req, const char *key,
	    struct json_object **hold)
{
	struct json_object *v;

	*hold = json_tokener_parse(req->body);
	assert_non_null(*hold);
	if (!json_object_object_get_ex(*hold, key, &v))
		return NULL;
	return json_object_get_string(v);
}

static void
test_post_message(void **state)
{
	struct ctx *ctx = *state;
	const struct fake_http_request *req;
	struct json_object *hold;
	char *cause = NULL;

	fake_http_route(ctx->fh, "POST", "/api/chat.postMessage", 200, NULL,
			"{\"ok\":true,\"channel\":\"C1\",\"ts\":"
			"\"1503435956.000247\",\"message\":{}}");
	assert_int_equal(slack_api_post_message(ctx->api, "C1",
						"*Agenda* & <b> \"q\" 中文",
						on_done, ctx, &cause),
			 0);
	wait_recs(ctx, 1);
	assert_int_equal(ctx->recs[0].status, SLACK_API_OK);
	assert_string_equal(ctx->recs[0].channel, "C1");
	assert_string_equal(ctx->recs[0].ts, "1503435956.000247");
	req = fake_http_find(ctx->fh, "/api/chat.postMessage");
	assert_non_null(req);
	assert_string_equal(req->method, "POST");
	assert_string_equal(fake_http_header(req, "Authorization"),
			    "Bearer " BOT);
	assert_string_equal(fake_http_header(req, "Content-Type"),
			    "application/json; charset=utf-8");
	assert_string_equal(body_string(req, "channel", &hold), "C1");
	json_object_put(hold);
	assert_string_equal(body_string(req, "text", &hold),
			    "*Agenda* & <b> \"q\" 中文");
	json_object_put(hold);
}

static void
test_auth_and_connections(void **state)
{
	struct ctx *ctx = *state;
	const struct fake_http_request *req;
	char *cause = NULL;

	fake_http_route(ctx->fh, "POST", "/api/auth.test", 200, NULL,
			"{\"ok\":true,\"url\":\"https://x.slack.com/\","
			"\"team\":\"X\",\"user\":\"lihui\",\"team_id\":\"T1\","
			"\"user_id\":\"U0BOT\",\"bot_id\":\"B0BOT\"}");
	fake_http_route(ctx->fh, "POST", "/api/apps.connections.open", 200,
			NULL,
			"{\"ok\":true,\"url\":\"wss://wss.example/link/"
			"?ticket=1&app_id=A1\"}");
	assert_int_equal(slack_api_auth_test(ctx->api, on_done, ctx, &cause),
			 0);
	wait_recs(ctx, 1);
	assert_int_equal(ctx->recs[0].status, SLACK_API_OK);
	assert_string_equal(ctx->recs[0].user_id, "U0BOT");
	assert_string_equal(ctx->recs[0].user_name, "lihui");
	assert_string_equal(ctx->recs[0].bot_id, "B0BOT");
	assert_int_equal(
	    slack_api_connections_open(ctx->api, on_done, ctx, &cause), 0);
	wait_recs(ctx, 2);
	assert_int_equal(ctx->recs[1].status, SLACK_API_OK);
	assert_string_equal(ctx->recs[1].url,
			    "wss://wss.example/link/?ticket=1&app_id=A1");
	req = fake_http_find(ctx->fh, "/api/apps.connections.open");
	assert_non_null(req);
	assert_string_equal(fake_http_header(req, "Authorization"),
			    "Bearer " APP);
	assert_string_equal(fake_http_header(req, "Content-Type"),
			    "application/x-www-form-urlencoded");
	req = fake_http_find(ctx->fh, "/api/auth.test");
	assert_string_equal(fake_http_header(req, "Authorization"),
			    "Bearer " BOT);
}

/* Answers that are not successes, through a real request each. */
static void
test_errors(void **state)
{
	struct ctx *ctx = *state;
	char *cause = NULL;

	fake_http_route(ctx->fh, "POST", "/api/chat.postMessage", 429,
			"Retry-After: 7\r\n",
			"{\"ok\":false,\"error\":\"ratelimited\"}");
	fake_http_route(ctx->fh, "POST", "/api/chat.update", 200, NULL,
			"{\"ok\":false,\"error\":\"invalid_auth\"}");
	fake_http_route(ctx->fh, "POST", "/api/chat.postEphemeral", 200, NULL,
			"{\"ok\":false,\"error\":\"user_not_in_channel\"}");
	fake_http_route(ctx->fh, "POST", "/api/reactions.add", 200, NULL,
			"{\"ok\":false,\"error\":\"already_reacted\"}");
	fake_http_route(ctx->fh, "POST", "/api/apps.connections.open", 200,
			NULL, "{\"ok\":true,\"url\":\"https://not-a-ws\"}");
	assert_int_equal(
	    slack_api_post_message(ctx->api, "C1", "x", on_done, ctx, &cause),
	    0);
	wait_recs(ctx, 1);
	assert_int_equal(ctx->recs[0].status, SLACK_API_RETRY);
	assert_int_equal(ctx->recs[0].retry_after, 7);
	assert_string_equal(ctx->recs[0].error, "ratelimited");
	assert_int_equal(
	    slack_api_update(ctx->api, "C1", "1.2", "x", on_done, ctx, &cause),
	    0);
	wait_recs(ctx, 2);
	assert_int_equal(ctx->recs[1].status, SLACK_API_FAILED);
	assert_int_equal(ctx->recs[1].auth, 1);
	assert_string_equal(ctx->recs[1].error, "invalid_auth");
	assert_int_equal(slack_api_post_ephemeral(ctx->api, "C1", "U1", "x",
						  on_done, ctx, &cause),
			 0);
	wait_recs(ctx, 3);
	assert_int_equal(ctx->recs[2].status, SLACK_API_FAILED);
	assert_int_equal(ctx->recs[2].auth, 0);
	assert_string_equal(ctx->recs[2].error, "user_not_in_channel");
	assert_int_equal(slack_api_reaction_add(ctx->api, "C1", "1.2", "+1",
						on_done, ctx, &cause),
			 0);
	wait_recs(ctx, 4);
	assert_int_equal(ctx->recs[3].status, SLACK_API_OK);
	assert_int_equal(
	    slack_api_connections_open(ctx->api, on_done, ctx, &cause), 0);
	wait_recs(ctx, 5);
	assert_int_equal(ctx->recs[4].status, SLACK_API_RETRY);
	assert_non_null(strstr(ctx->recs[4].error, "lacks a field"));
}

/* A hanging server: the post is not sent again, the update is. */
static void
test_hang(void **state)
{
	struct ctx *ctx = *state;
	char *cause = NULL;

	make_api(ctx, 300);
	fake_http_hang(ctx->fh, "POST", "/api/chat.postMessage");
	fake_http_hang(ctx->fh, "POST", "/api/chat.update");
	assert_int_equal(
	    slack_api_post_message(ctx->api, "C1", "x", on_done, ctx, &cause),
	    0);
	assert_int_equal(
	    slack_api_update(ctx->api, "C1", "1.2", "x", on_done, ctx, &cause),
	    0);
	wait_recs(ctx, 2);
	assert_int_equal(ctx->recs[0].status, SLACK_API_FAILED);
	assert_non_null(strstr(ctx->recs[0].error, "timed out"));
	assert_non_null(strstr(ctx->recs[0].error, "may have gone through"));
	assert_int_equal(ctx->recs[1].status, SLACK_API_RETRY);
	assert_null(strstr(ctx->recs[1].error, "may have gone through"));
}

/* Nobody listening: the request never left, so even a post is retried. */
static void
test_refused(void **state)
{
	struct ctx *ctx = *state;
	struct slack_api_config cfg;
	char *cause = NULL;

	memset(&cfg, 0, sizeof cfg);
	cfg.http = ctx->tl.http;
	cfg.url = "http://127.0.0.1:1/api";
	cfg.bot_token = BOT;
	slack_api_free(ctx->api);
	ctx->api = slack_api_new(&cfg);
	assert_int_equal(
	    slack_api_post_message(ctx->api, "C1", "x", on_done, ctx, &cause),
	    0);
	wait_recs(ctx, 1);
	assert_int_equal(ctx->recs[0].status, SLACK_API_RETRY);
	/* No app token: Socket Mode cannot start. */
	assert_int_equal(
	    slack_api_connections_open(ctx->api, on_done, ctx, &cause), -1);
	assert_non_null(cause);
	free(cause);
}

static void
test_users(void **state)
{
	struct ctx *ctx = *state;
	const struct fake_http_request *req;
	const char *out = NULL;
	char *cause = NULL;

	fake_http_route(ctx->fh, "GET", "/api/users.info?user=U1", 200, NULL,
			"{\"ok\":true,\"user\":{\"id\":\"U1\",\"name\":"
			"\"dave\",\"real_name\":\"Dave\"}}");
	fake_http_route(ctx->fh, "GET", "/api/users.info?user=U9", 200, NULL,
			"{\"ok\":false,\"error\":\"user_not_found\"}");
	fake_http_route(ctx->fh, "GET", "/api/users.list?limit=200", 200, NULL,
			"{\"ok\":true,\"members\":[{\"id\":\"U2\",\"name\":"
			"\"erin\"},{\"id\":\"U3\",\"name\":\"gone\","
			"\"deleted\":true},{\"id\":\"bad id\",\"name\":\"x\"}],"
			"\"response_metadata\":{\"next_cursor\":"
			"\"dXNlcjpVMEc5=\"}}");
	fake_http_route(
	    ctx->fh, "GET", "/api/users.list?limit=200&cursor=dXNlcjpVMEc5%3D",
	    200, NULL,
	    "{\"ok\":true,\"members\":[{\"id\":\"U4\",\"name\":"
	    "\"frank\",\"profile\":{\"display_name\":\"Frankie\"}}],"
	    "\"response_metadata\":{\"next_cursor\":\"\"}}");
	assert_int_equal(
	    slack_api_user_info(ctx->api, "U1", &out, on_done, ctx, &cause), 0);
	wait_recs(ctx, 1);
	assert_int_equal(ctx->recs[0].status, SLACK_API_OK);
	assert_string_equal(ctx->recs[0].user_name, "dave");
	assert_int_equal(
	    slack_api_user_info(ctx->api, "U1", &out, on_done, ctx, &cause), 1);
	assert_string_equal(out, "dave");
	assert_string_equal(slack_api_user_id(ctx->api, "DAVE"), "U1");
	assert_int_equal(
	    slack_api_user_info(ctx->api, "U9", &out, on_done, ctx, &cause), 0);
	wait_recs(ctx, 2);
	assert_int_equal(ctx->recs[1].status, SLACK_API_NOT_FOUND);

	/* By display name, on the second page. */
	assert_int_equal(slack_api_user_find(ctx->api, "frankie", &out, on_done,
					     ctx, &cause),
			 0);
	wait_recs(ctx, 3);
	assert_int_equal(ctx->recs[2].status, SLACK_API_OK);
	assert_string_equal(ctx->recs[2].user_id, "U4");
	assert_string_equal(ctx->recs[2].user_name, "frank");
	/* Learnt on the way; deleted users are not. */
	assert_string_equal(slack_api_user_id(ctx->api, "erin"), "U2");
	assert_null(slack_api_user_id(ctx->api, "gone"));
	assert_int_equal(
	    slack_api_user_find(ctx->api, "erin", &out, on_done, ctx, &cause),
	    1);
	assert_string_equal(out, "U2");
	/* Not there at all: both pages, then not found. */
	assert_int_equal(
	    slack_api_user_find(ctx->api, "nobody", &out, on_done, ctx, &cause),
	    0);
	wait_recs(ctx, 4);
	assert_int_equal(ctx->recs[3].status, SLACK_API_NOT_FOUND);
	assert_string_equal(ctx->recs[3].error, "no user @nobody");
	/* The whole list was read: no walk again for a while. */
	assert_int_equal(slack_api_user_find(ctx->api, "nobody2", &out, on_done,
					     ctx, &cause),
			 1);
	assert_null(out);
	assert_int_equal(fake_http_count(ctx->fh), 6);
	req = fake_http_find(ctx->fh, "/api/users.info?user=U1");
	assert_non_null(req);
	assert_string_equal(req->method, "GET");
	assert_string_equal(fake_http_header(req, "Authorization"),
			    "Bearer " BOT);

	/* The whole list into the cache. */
	assert_int_equal(slack_api_users_load(ctx->api, on_done, ctx, &cause),
			 0);
	wait_recs(ctx, 5);
	assert_int_equal(ctx->recs[4].status, SLACK_API_OK);
	assert_string_equal(slack_api_user_id(ctx->api, "frank"), "U4");

	/* Without a callback the answer only goes into the cache. */
	fake_http_route(ctx->fh, "GET", "/api/users.info?user=U5", 200, NULL,
			"{\"ok\":true,\"user\":{\"id\":\"U5\",\"name\":"
			"\"hank\"}}");
	assert_int_equal(
	    slack_api_user_info(ctx->api, "U5", &out, NULL, NULL, &cause), 0);
	while (slack_api_in_flight(ctx->api) > 0 && !ctx->tl.expired)
		uv_run(&ctx->tl.loop, UV_RUN_ONCE);
	assert_string_equal(slack_api_user_name(ctx->api, "U5"), "hank");
	assert_int_equal(ctx->nrecs, 5);

	/* Names events carry; a name moving to another id. */
	slack_api_user_learn(ctx->api, "U7", "gus");
	assert_string_equal(slack_api_user_name(ctx->api, "U7"), "gus");
	slack_api_user_learn(ctx->api, "U8", "gus");
	assert_string_equal(slack_api_user_id(ctx->api, "gus"), "U8");
	assert_null(slack_api_user_name(ctx->api, "U7"));
	slack_api_user_learn(ctx->api, "U8", "bad name");
	assert_string_equal(slack_api_user_name(ctx->api, "U8"), "gus");
}

static void
test_open_dm(void **state)
{
	struct ctx *ctx = *state;
	const struct fake_http_request *req;
	struct json_object *hold;
	const char *out = NULL;
	char *cause = NULL;

	fake_http_route(ctx->fh, "POST", "/api/conversations.open", 200, NULL,
			"{\"ok\":true,\"channel\":{\"id\":\"D123\"}}");
	assert_int_equal(
	    slack_api_open_dm(ctx->api, "U1", &out, on_done, ctx, &cause), 0);
	wait_recs(ctx, 1);
	assert_int_equal(ctx->recs[0].status, SLACK_API_OK);
	assert_string_equal(ctx->recs[0].channel, "D123");
	assert_int_equal(
	    slack_api_open_dm(ctx->api, "U1", &out, on_done, ctx, &cause), 1);
	assert_string_equal(out, "D123");
	assert_int_equal(fake_http_count(ctx->fh), 1);
	req = fake_http_find(ctx->fh, "/api/conversations.open");
	assert_string_equal(body_string(req, "users", &hold), "U1");
	json_object_put(hold);
}

/* Arguments refused before any request. */
static void
test_invalid(void **state)
{
	struct ctx *ctx = *state;
	const char *out;
	char *cause = NULL;

#define REFUSED(call)                                                          \
	do {                                                                   \
		assert_int_equal(call, -1);                                    \
		assert_non_null(cause);                                        \
		free(cause);                                                   \
		cause = NULL;                                                  \
	} while (0)
	REFUSED(slack_api_post_message(ctx->api, "C1/../x", "t", on_done, ctx,
				       &cause));
	REFUSED(
	    slack_api_post_message(ctx->api, "", "t", on_done, ctx, &cause));
	REFUSED(slack_api_post_ephemeral(ctx->api, "C1", "U 1", "t", on_done,
					 ctx, &cause));
	REFUSED(
	    slack_api_update(ctx->api, "C1", "1,2", "t", on_done, ctx, &cause));
	REFUSED(slack_api_reaction_add(ctx->api, "C1", "1.2", "Thumbs Up",
				       on_done, ctx, &cause));
	REFUSED(
	    slack_api_open_dm(ctx->api, "U1&x=y", &out, on_done, ctx, &cause));
	REFUSED(slack_api_user_info(ctx->api, "U1&x=y", &out, on_done, ctx,
				    &cause));
	REFUSED(
	    slack_api_user_find(ctx->api, "a b", &out, on_done, ctx, &cause));
#undef REFUSED
	assert_int_equal(fake_http_count(ctx->fh), 0);
	assert_int_equal(slack_api_in_flight(ctx->api), 0);
}

/* slack_api_classify() on its own. */
static const struct {
	long status;
	const char *body;
	const char *error; /* transport */
	int retry_after;
	int idempotent;
	enum slack_api_status want;
	const char *want_error; /* prefix; NULL: none */
	int want_retry_after;
	int want_auth;
} classify_cases[] = {
	{ 200, "{\"ok\":true}", NULL, -1, 0, SLACK_API_OK, NULL, 0, 0 },
	{ 200, "{\"ok\":true} \n", NULL, -1, 0, SLACK_API_OK, NULL, 0, 0 },
	{ 429, "", NULL, 30, 0, SLACK_API_RETRY, "ratelimited", 30, 0 },
	{ 429, "", NULL, -1, 0, SLACK_API_RETRY, "ratelimited", 0, 0 },
	{ 200, "{\"ok\":false,\"error\":\"ratelimited\"}", NULL, 5, 0,
	  SLACK_API_RETRY, "ratelimited", 5, 0 },
	{ 200, "{\"ok\":false,\"error\":\"invalid_auth\"}", NULL, -1, 1,
	  SLACK_API_FAILED, "invalid_auth", 0, 1 },
	{ 200, "{\"ok\":false,\"error\":\"not_authed\"}", NULL, -1, 1,
	  SLACK_API_FAILED, "not_authed", 0, 1 },
	{ 200, "{\"ok\":false,\"error\":\"account_inactive\"}", NULL, -1, 1,
	  SLACK_API_FAILED, "account_inactive", 0, 1 },
	{ 200, "{\"ok\":false,\"error\":\"channel_not_found\"}", NULL, -1, 0,
	  SLACK_API_FAILED, "channel_not_found", 0, 0 },
	{ 200, "{\"ok\":false,\"error\":\"msg_too_long\"}", NULL, -1, 0,
	  SLACK_API_FAILED, "msg_too_long", 0, 0 },
	{ 200, "{\"ok\":false,\"error\":\"user_not_found\"}", NULL, -1, 1,
	  SLACK_API_NOT_FOUND, "user_not_found", 0, 0 },
	{ 200, "{\"ok\":false}", NULL, -1, 0, SLACK_API_FAILED, "unknown_error",
	  0, 0 },
	{ 200, "{\"ok\":false,\"error\":\"a b\\\"\"}", NULL, -1, 0,
	  SLACK_API_FAILED, "unknown_error", 0, 0 },
	{ 200, "{\"ok\":false,\"error\":\"service_unavailable\"}", NULL, -1, 0,
	  SLACK_API_RETRY, "service_unavailable", 0, 0 },
	{ 200, "{\"ok\":false,\"error\":\"internal_error\"}", NULL, -1, 1,
	  SLACK_API_RETRY, "internal_error", 0, 0 },
	{ 200, "{\"ok\":false,\"error\":\"internal_error\"}", NULL, -1, 0,
	  SLACK_API_FAILED, "internal_error; the post may have gone through", 0,
	  0 },
	{ 200, "{\"ok\":false,\"error\":\"fatal_error\"}", NULL, -1, 0,
	  SLACK_API_FAILED, "fatal_error; the post may", 0, 0 },
	{ 503, "", NULL, 2, 0, SLACK_API_RETRY, "http 503", 2, 0 },
	{ 502, "", NULL, -1, 0, SLACK_API_RETRY, "http 502", 0, 0 },
	{ 500, "", NULL, -1, 1, SLACK_API_RETRY, "http 500", 0, 0 },
	{ 500, "", NULL, -1, 0, SLACK_API_FAILED,
	  "http 500; the post may have gone through", 0, 0 },
	{ 504, "", NULL, -1, 0, SLACK_API_FAILED, "http 504; the post", 0, 0 },
	{ 404, "", NULL, -1, 1, SLACK_API_FAILED, "http 404", 0, 0 },
	{ 200, "<html>", NULL, -1, 1, SLACK_API_RETRY,
	  "the answer is not Slack's JSON", 0, 0 },
	{ 200, "<html>", NULL, -1, 0, SLACK_API_FAILED,
	  "the answer is not Slack's JSON; the post may", 0, 0 },
	{ 200, "{\"ok\":\"true\"}", NULL, -1, 1, SLACK_API_RETRY,
	  "the answer is not", 0, 0 },
	{ 200, "[true]", NULL, -1, 1, SLACK_API_RETRY, "the answer is not", 0,
	  0 },
	{ 200, "{\"ok\":true}{}", NULL, -1, 1, SLACK_API_RETRY,
	  "the answer is not", 0, 0 },
	{ 0, "", "request timed out after 30000 ms", -1, 0, SLACK_API_FAILED,
	  "request timed out after 30000 ms; the post may", 0, 0 },
	{ 0, "", "request timed out after 30000 ms", -1, 1, SLACK_API_RETRY,
	  "request timed out after 30000 ms", 0, 0 },
	{ 0, "", "Failed to connect to slack.com port 443", -1, 0,
	  SLACK_API_RETRY, "Failed to connect", 0, 0 },
	{ 0, "", "Could not resolve host: slack.com", -1, 0, SLACK_API_RETRY,
	  "Could not resolve host", 0, 0 },
	{ 0, "", "Recv failure: Connection reset by peer", -1, 0,
	  SLACK_API_FAILED, "Recv failure", 0, 0 },
};

static void
test_classify(void **state)
{
	struct http_response resp;
	struct slack_api_result r;
	struct json_object *o;
	char why[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof classify_cases / sizeof classify_cases[0]; i++) {
		memset(&resp, 0, sizeof resp);
		resp.status = classify_cases[i].status;
		resp.body = classify_cases[i].body;
		resp.body_len = strlen(resp.body);
		resp.error = classify_cases[i].error;
		resp.retry_after = classify_cases[i].retry_after;
		slack_api_classify(&resp, classify_cases[i].idempotent, &r, &o,
				   why, sizeof why);
		if (r.status != classify_cases[i].want)
			fail_msg("case %zu: status %d", i, (int)r.status);
		if (classify_cases[i].want_error == NULL)
			assert_null(r.error);
		else if (r.error == NULL ||
			 strncmp(r.error, classify_cases[i].want_error,
				 strlen(classify_cases[i].want_error)) != 0)
			fail_msg("case %zu: error '%s'", i,
				 r.error != NULL ? r.error : "(null)");
		assert_int_equal(r.retry_after,
				 classify_cases[i].want_retry_after);
		assert_int_equal(r.auth, classify_cases[i].want_auth);
		assert_int_equal(o != NULL, r.status == SLACK_API_OK);
		json_object_put(o);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify),
		cmocka_unit_test_setup_teardown(test_post_message, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_auth_and_connections,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hang, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_users, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_dm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
