/* SPDX-License-Identifier: MIT */
/*
 * test-slack-http.c: the Slack adapter in mode http (src/adapter/slack.c
 * with the listener of src/net/listen.c) on a real libuv loop. The fake
 * Slack (tests/lib/fake-slack.h) answers the Web API; the requests Slack
 * would send are made with lihui's own HTTP client (src/net/http.c),
 * signed with slack_sign_compute() unless a test forges them.
 *
 * Covered: a signed slash command reaching the sink, its answer held
 * until the batch is durable and carrying the command's ephemeral answer
 * as {"response_type":"ephemeral","text":...}; the 2.5 s deadline; a
 * forged (wrong secret), stale (6 minutes old), altered and unsigned
 * request (each header missing) answered 401 with nothing reaching the
 * sink; ssl_check answered 200 unsigned; an interactive payload
 * acknowledged; header names in any case and values with blanks around
 * them; an over-long header (431), a body that is not a form (415), a GET
 * (405) and /healthz.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>
#include <uv.h>

#include "../../../src/adapter/slack-sign.h"
#include "fake-slack.h"
#include "lihui/adapter.h"
#include "lihui/clock.h"
#include "lihui/config.h"
#include "lihui/http.h"
#include "lihui/store.h"
#include "lihui/xmalloc.h"

#define BOT_TOKEN "xoxb-test-bot"
#define SECRET	  "8f742231b10e8888abcd99yyyzzz85a5"
#define WAIT_MS	  10000 /* generous: valgrind is slow */
#define FORM_TYPE "Content-Type: application/x-www-form-urlencoded"

#define COMMAND_BODY                                                           \
	"token=legacy&team_id=" FAKE_SLACK_TEAM_ID                             \
	"&team_domain=fake&channel_id=" FAKE_SLACK_CHANNEL_ID                  \
	"&channel_name=ops&user_id=" FAKE_SLACK_ALICE_ID                       \
	"&user_name=alice&command=%2Freport&text=done+ship+%3C%"               \
	"40" FAKE_SLACK_BOB_ID "%7Cbob%3E+%26amp%3B+more"                      \
	"&api_app_id=" FAKE_SLACK_APP_ID                                       \
	"&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1%2F2"       \
	"&trigger_id=1.2.3"

struct fixture {
	uv_loop_t loop;
	struct clock clock;
	struct fake_slack *sl;
	struct http_client *http;
	struct config cfg;
	struct adapter *a;
	int port;
	int closed, http_closed;
	size_t nev;
	char *trigger, *text, *user_id, *channel_key;
	uint64_t gen;	  /* the batch the sink reports */
	uint64_t durable; /* batches up to this are durable */
	int sent;	  /* outbox send done */
	/* the last answer from lihui */
	int answered;
	long status;
	char *body;
};

static void
sink_event(void *arg, const struct chat_event *e)
{
	struct fixture *fx = arg;

	fx->nev++;
	free(fx->trigger);
	free(fx->text);
	free(fx->user_id);
	free(fx->channel_key);
	fx->trigger = xstrdup(e->trigger != NULL ? e->trigger : "");
	fx->text = xstrdup(e->text != NULL ? e->text : "");
	fx->user_id = xstrdup(e->user_id != NULL ? e->user_id : "");
	fx->channel_key = xstrdup(e->channel_key != NULL ? e->channel_key : "");
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

static int64_t
sink_backlog(void *arg)
{
	(void)arg;
	return 7;
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
	while (uv_now(&fx->loop) < end) {
		uv_run(&fx->loop, UV_RUN_NOWAIT);
		uv_sleep(1);
		uv_update_time(&fx->loop);
	}
}

static int
is_ready(struct fixture *fx)
{
	return fx->a->ops->ready(fx->a);
}

static int
answered(struct fixture *fx)
{
	return fx->answered;
}

static int
has_event(struct fixture *fx)
{
	return fx->nev > 0;
}

static int
send_done(struct fixture *fx)
{
	return fx->sent;
}

/* A port the kernel says is free now. */
static int
free_port(uv_loop_t *loop)
{
	struct sockaddr_in sa;
	struct sockaddr_storage got;
	int len = sizeof got, port;
	uv_tcp_t t;

	assert_int_equal(uv_tcp_init(loop, &t), 0);
	assert_int_equal(uv_ip4_addr("127.0.0.1", 0, &sa), 0);
	assert_int_equal(uv_tcp_bind(&t, (const struct sockaddr *)&sa, 0), 0);
	assert_int_equal(uv_tcp_getsockname(&t, (struct sockaddr *)&got, &len),
			 0);
	port = ntohs(((struct sockaddr_in *)&got)->sin_port);
	uv_close((uv_handle_t *)&t, NULL);
	uv_run(loop, UV_RUN_NOWAIT);
	return port;
}

static int
setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof *fx);
	struct adapter_sink sink;
	char *cause = NULL;

	assert_int_equal(uv_loop_init(&fx->loop), 0);
	fx->clock = clock_system();
	fx->sl = fake_slack_new(&fx->loop, BOT_TOKEN, "xapp-unused", &cause);
	assert_non_null(fx->sl);
	fx->http = http_client_new(&fx->loop, &fx->clock, &cause);
	assert_non_null(fx->http);
	fx->port = free_port(&fx->loop);
	config_defaults(&fx->cfg);
	fx->cfg.slack_bot_token = xstrdup(BOT_TOKEN);
	fx->cfg.slack_signing_secret = xstrdup(SECRET);
	free(fx->cfg.slack_mode);
	fx->cfg.slack_mode = xstrdup("http");
	free(fx->cfg.slack_listen);
	fx->cfg.slack_listen = xasprintf("127.0.0.1:%d", fx->port);
	free(fx->cfg.slack_api_url);
	fx->cfg.slack_api_url = fake_slack_api_url(fx->sl);
	memset(&sink, 0, sizeof sink);
	sink.event = sink_event;
	sink.closed = sink_closed;
	sink.generation = sink_generation;
	sink.durable = sink_durable;
	sink.backlog = sink_backlog;
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

static void
on_http_closed(void *arg)
{
	((struct fixture *)arg)->http_closed = 1;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;

	fx->a->ops->close(fx->a, on_closed, fx);
	http_client_close(fx->http, on_http_closed, fx);
	fake_slack_close(fx->sl);
	uv_run(&fx->loop, UV_RUN_DEFAULT);
	assert_true(fx->closed);
	assert_true(fx->http_closed);
	http_client_free(fx->http);
	fx->a->ops->free(fx->a);
	assert_int_equal(uv_loop_close(&fx->loop), 0);
	config_release(&fx->cfg);
	free(fx->trigger);
	free(fx->text);
	free(fx->user_id);
	free(fx->channel_key);
	free(fx->body);
	free(fx);
	return 0;
}

static void
on_answer(void *arg, const struct http_response *resp)
{
	struct fixture *fx = arg;

	fx->answered = 1;
	fx->status = resp->status;
	free(fx->body);
	fx->body = xstrdup(resp->status != 0 ? resp->body : resp->error);
}

/* Start method path with body and the headers (NULL-terminated). */
static void
call_start(struct fixture *fx, const char *method, const char *path,
	   const char *body, const char *const *headers)
{
	struct http_request req;
	char *url = xasprintf("http://127.0.0.1:%d%s", fx->port, path);
	char *cause = NULL;

	memset(&req, 0, sizeof req);
	req.method = method;
	req.url = url;
	req.headers = headers;
	req.body = body;
	req.body_len = body != NULL ? strlen(body) : 0;
	req.timeout_ms = 20000;
	fx->answered = 0;
	assert_int_equal(
	    http_request_start(fx->http, &req, on_answer, fx, &cause), 0);
	free(url);
}

static void
call(struct fixture *fx, const char *method, const char *path, const char *body,
     const char *const *headers)
{
	call_start(fx, method, path, body, headers);
	run_until(fx, answered);
}

/* The two signature headers for body at ts (seconds) with secret. */
struct signed_req {
	char ts[32];
	char ts_header[64];
	char sig_header[SLACK_SIGN_SIZE + 32];
	const char *headers[4];
};

static void
sign(struct signed_req *r, const char *secret, int64_t ts, const char *body)
{
	char sig[SLACK_SIGN_SIZE];

	snprintf(r->ts, sizeof r->ts, "%lld", (long long)ts);
	slack_sign_compute(secret, r->ts, body, strlen(body), sig);
	snprintf(r->ts_header, sizeof r->ts_header,
		 "X-Slack-Request-Timestamp: %s", r->ts);
	snprintf(r->sig_header, sizeof r->sig_header, "X-Slack-Signature: %s",
		 sig);
	r->headers[0] = FORM_TYPE;
	r->headers[1] = r->ts_header;
	r->headers[2] = r->sig_header;
	r->headers[3] = NULL;
}

static void
on_send_done(void *arg, int64_t msg_id, enum send_result result,
	     const char *post_id, int retry_after, const char *error)
{
	struct fixture *fx = arg;

	(void)msg_id;
	(void)post_id;
	(void)retry_after;
	(void)error;
	assert_int_equal(result, SEND_OK);
	fx->sent = 1;
}

/* A signed command: to the sink; the answer waits, then carries text. */
static void
test_command(void **state)
{
	struct fixture *fx = *state;
	struct signed_req r;
	struct outbox_msg m;
	struct json_object *o, *v;
	char *cause = NULL;

	sign(&r, SECRET, time(NULL), COMMAND_BODY);
	call_start(fx, "POST", "/slack/commands", COMMAND_BODY, r.headers);
	run_until(fx, has_event);
	assert_string_equal(fx->trigger, "report");
	assert_string_equal(fx->text, "done ship @bob & more");
	assert_string_equal(fx->user_id, FAKE_SLACK_ALICE_ID);
	assert_string_equal(fx->channel_key, FAKE_SLACK_CHANNEL_ID);
	/* Not durable yet: no answer. */
	run_for(fx, 200);
	assert_false(fx->answered);
	/* The bot's ephemeral answer rides in the HTTP answer. */
	memset(&m, 0, sizeof m);
	m.id = 1;
	m.kind = OUTBOX_EPHEMERAL;
	m.channel_key = (char *)FAKE_SLACK_CHANNEL_ID;
	m.user = (char *)FAKE_SLACK_ALICE_ID;
	m.text = (char *)"**Recorded** <x> & y";
	assert_int_equal(fx->a->ops->send(fx->a, &m, on_send_done, fx, &cause),
			 0);
	run_until(fx, send_done);
	assert_int_equal(fake_slack_count(fx->sl, "chat.postEphemeral"), 0);
	fx->durable = fx->gen;
	fx->a->ops->durable(fx->a);
	run_until(fx, answered);
	assert_int_equal(fx->status, 200);
	o = json_tokener_parse(fx->body);
	assert_non_null(o);
	assert_true(json_object_object_get_ex(o, "response_type", &v));
	assert_string_equal(json_object_get_string(v), "ephemeral");
	assert_true(json_object_object_get_ex(o, "text", &v));
	assert_string_equal(json_object_get_string(v),
			    "*Recorded* &lt;x&gt; &amp; y");
	json_object_put(o);
	/* The connection is kept: a second command on it works too. */
	fx->durable = UINT64_MAX;
	sign(&r, SECRET, time(NULL), COMMAND_BODY);
	call(fx, "POST", "/slack/interactive", COMMAND_BODY, r.headers);
	assert_int_equal(fx->status, 200);
	assert_int_equal(fx->nev, 2);
}

/* Never durable: the answer still goes inside Slack's 3 s, empty. */
static void
test_deadline(void **state)
{
	struct fixture *fx = *state;
	struct signed_req r;
	uint64_t start;

	sign(&r, SECRET, time(NULL), COMMAND_BODY);
	uv_update_time(&fx->loop);
	start = uv_now(&fx->loop);
	call(fx, "POST", "/slack/commands", COMMAND_BODY, r.headers);
	assert_int_equal(fx->status, 200);
	assert_string_equal(fx->body, "");
	assert_true(uv_now(&fx->loop) - start >= 2000);
	assert_true(uv_now(&fx->loop) - start < 3000);
	assert_int_equal(fx->nev, 1);
}

/* Refused with 401, and nothing reaches the sink. */
static void
expect_401(struct fixture *fx, const char *body, const char *const *headers)
{
	call(fx, "POST", "/slack/commands", body, headers);
	assert_int_equal(fx->status, 401);
	assert_null(strstr(fx->body, SECRET));
	run_for(fx, 50);
	assert_int_equal(fx->nev, 0);
}

static void
test_refused(void **state)
{
	struct fixture *fx = *state;
	struct signed_req r;
	const char *only_sig[3], *only_ts[3];
	char body[sizeof COMMAND_BODY];

	/* forged: signed with another secret */
	sign(&r, "not-the-secret", time(NULL), COMMAND_BODY);
	expect_401(fx, COMMAND_BODY, r.headers);
	/* stale: signed rightly six minutes ago; and as far ahead */
	sign(&r, SECRET, time(NULL) - 360, COMMAND_BODY);
	expect_401(fx, COMMAND_BODY, r.headers);
	sign(&r, SECRET, time(NULL) + 360, COMMAND_BODY);
	expect_401(fx, COMMAND_BODY, r.headers);
	/* altered: one byte of the body changed after signing */
	sign(&r, SECRET, time(NULL), COMMAND_BODY);
	snprintf(body, sizeof body, "%s", COMMAND_BODY);
	*strstr(body, "ship") = 'S';
	expect_401(fx, body, r.headers);
	/* a signature of another timestamp */
	sign(&r, SECRET, time(NULL) - 1, COMMAND_BODY);
	snprintf(r.ts_header, sizeof r.ts_header,
		 "X-Slack-Request-Timestamp: %lld", (long long)time(NULL));
	expect_401(fx, COMMAND_BODY, r.headers);
	/* missing headers: each, and both */
	sign(&r, SECRET, time(NULL), COMMAND_BODY);
	only_sig[0] = FORM_TYPE;
	only_sig[1] = r.sig_header;
	only_sig[2] = NULL;
	expect_401(fx, COMMAND_BODY, only_sig);
	only_ts[0] = FORM_TYPE;
	only_ts[1] = r.ts_header;
	only_ts[2] = NULL;
	expect_401(fx, COMMAND_BODY, only_ts);
	only_ts[1] = NULL;
	expect_401(fx, COMMAND_BODY, only_ts);
	/* an empty signature (curl sends "Name;" as an empty header) */
	sign(&r, SECRET, time(NULL), COMMAND_BODY);
	snprintf(r.sig_header, sizeof r.sig_header, "X-Slack-Signature;");
	expect_401(fx, COMMAND_BODY, r.headers);
}

/* Header names in any case; blanks around values do not matter. */
static void
test_header_case(void **state)
{
	struct fixture *fx = *state;
	struct signed_req r;
	char sig[SLACK_SIGN_SIZE], ts[32];

	snprintf(ts, sizeof ts, "%lld", (long long)time(NULL));
	slack_sign_compute(SECRET, ts, COMMAND_BODY, strlen(COMMAND_BODY), sig);
	snprintf(r.ts_header, sizeof r.ts_header,
		 "x-slack-request-timestamp:   %s  ", ts);
	snprintf(r.sig_header, sizeof r.sig_header, "X-SLACK-SIGNATURE: %s\t",
		 sig);
	r.headers[0] =
	    "content-type: Application/X-WWW-Form-Urlencoded; charset=utf-8";
	r.headers[1] = r.ts_header;
	r.headers[2] = r.sig_header;
	r.headers[3] = NULL;
	fx->durable = UINT64_MAX;
	call(fx, "POST", "/slack/commands", COMMAND_BODY, r.headers);
	assert_int_equal(fx->status, 200);
	assert_int_equal(fx->nev, 1);
}

/* ssl_check: 200 at once without a signature; nothing happens. */
static void
test_ssl_check(void **state)
{
	struct fixture *fx = *state;
	const char *headers[] = { FORM_TYPE, NULL };

	call(fx, "POST", "/slack/commands", "ssl_check=1&token=legacy",
	     headers);
	assert_int_equal(fx->status, 200);
	assert_string_equal(fx->body, "");
	/* ssl_check=0 is no ssl_check: it must be signed */
	call(fx, "POST", "/slack/commands", "ssl_check=0&token=legacy",
	     headers);
	assert_int_equal(fx->status, 401);
	run_for(fx, 50);
	assert_int_equal(fx->nev, 0);
}

/* An interactive payload: verified, acknowledged, nothing else. */
static void
test_interactive(void **state)
{
	struct fixture *fx = *state;
	const char *body =
	    "payload=%7B%22type%22%3A%22block_actions%22%2C%22user%22%3A%7B%22"
	    "id%22%3A%22" FAKE_SLACK_ALICE_ID "%22%7D%7D";
	struct signed_req r;

	sign(&r, SECRET, time(NULL), body);
	call(fx, "POST", "/slack/interactive", body, r.headers);
	assert_int_equal(fx->status, 200);
	assert_string_equal(fx->body, "");
	sign(&r, "forged", time(NULL), body);
	call(fx, "POST", "/slack/interactive", body, r.headers);
	assert_int_equal(fx->status, 401);
	assert_int_equal(fx->nev, 0);
}

/* What the listener and the handler refuse before any signature. */
static void
test_bad_requests(void **state)
{
	struct fixture *fx = *state;
	const char *json[] = { "Content-Type: application/json", NULL };
	const char *long_hdr[3];
	struct signed_req r;
	char *big;

	call(fx, "POST", "/slack/commands", "{\"type\":\"url_verification\"}",
	     json);
	assert_int_equal(fx->status, 415);
	call(fx, "GET", "/slack/commands", NULL, NULL);
	assert_int_equal(fx->status, 405);
	call(fx, "POST", "/slack/elsewhere", "a=1", NULL);
	assert_int_equal(fx->status, 404);
	/* a header value over LISTEN_HEADER_MAX: 431 */
	big = xmalloc(2100);
	memset(big, 'a', 2099);
	big[2099] = '\0';
	memcpy(big, "X-Slack-Signature: v0=", 22);
	long_hdr[0] = FORM_TYPE;
	long_hdr[1] = big;
	long_hdr[2] = NULL;
	call(fx, "POST", "/slack/commands", COMMAND_BODY, long_hdr);
	assert_int_equal(fx->status, 431);
	free(big);
	/* signed, but not a slash command: 400 */
	sign(&r, SECRET, time(NULL), "team_id=T1&text=x");
	call(fx, "POST", "/slack/commands", "team_id=T1&text=x", r.headers);
	assert_int_equal(fx->status, 400);
	assert_int_equal(fx->nev, 0);
}

static void
test_health(void **state)
{
	struct fixture *fx = *state;

	call(fx, "GET", "/healthz", NULL, NULL);
	assert_int_equal(fx->status, 200);
	assert_string_equal(fx->body,
			    "{\"slack\":\"ready\",\"outbox_backlog\":7}");
	/* no Socket Mode in this mode */
	assert_int_equal(fake_slack_count(fx->sl, "apps.connections.open"), 0);
	assert_int_equal(fake_slack_count(fx->sl, "auth.test"), 1);
}

/* create() refuses mode http without a signing secret. */
static void
test_needs_secret(void **state)
{
	struct config cfg;
	struct adapter_sink sink;
	uv_loop_t loop;
	char *cause = NULL;

	(void)state;
	config_defaults(&cfg);
	cfg.slack_bot_token = xstrdup(BOT_TOKEN);
	free(cfg.slack_mode);
	cfg.slack_mode = xstrdup("http");
	memset(&sink, 0, sizeof sink);
	assert_null(adapter_slack.create(&cfg, &loop, &sink, &cause));
	assert_non_null(cause);
	assert_non_null(strstr(cause, "signing_secret"));
	free(cause);
	cause = NULL;
	cfg.slack_signing_secret = xstrdup(SECRET);
	free(cfg.slack_listen);
	cfg.slack_listen = xstrdup("nowhere");
	assert_null(adapter_slack.create(&cfg, &loop, &sink, &cause));
	assert_non_null(cause);
	free(cause);
	config_release(&cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_command, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deadline, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_header_case, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_ssl_check, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_interactive, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bad_requests, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_health, setup, teardown),
		cmocka_unit_test(test_needs_secret),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
