/* SPDX-License-Identifier: MIT */
/*
 * test-http.c: the asynchronous HTTP client against the fake server on a
 * real libuv loop: requests arrive as sent, statuses and bodies come back,
 * Retry-After, transport errors, the response cap, timeouts that do not
 * hold up other requests, many requests at once, and closing the client
 * with requests in flight. Durations are checked only loosely.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <uv.h>

#include "fake-http.h"
#include "lihui/http.h"
#include "lihui/xmalloc.h"

/* Give up on a test after this long: something is stuck. */
#define WATCHDOG_MS 3000

/* What one done callback saw. */
struct result {
	int calls;
	int order; /* 1 for the first request to finish, and so on */
	long status;
	char *body;
	size_t body_len;
	int retry_after;
	char *error;
	uint64_t done_at; /* uv_now() when done ran */
	struct ctx *ctx;
};

/* The fixed "now" of these tests: Thu 2026-11-26 08:00:00 UTC. */
#define TEST_NOW 1795680000

static int64_t
test_clock_now(void *arg)
{
	(void)arg;
	return TEST_NOW;
}

struct ctx {
	uv_loop_t loop;
	struct clock clock;
	uv_timer_t watchdog;
	int expired;
	struct http_client *client;
	struct fake_http *server;
	int finished;	  /* done callbacks so far */
	int closed;	  /* closed callbacks so far */
	int close_called; /* the test closed the client itself */
};

static void
on_watchdog(uv_timer_t *t)
{
	struct ctx *ctx = t->data;

	ctx->expired = 1;
	uv_stop(&ctx->loop);
}

static int
setup(void **state)
{
	struct ctx *ctx = xcalloc(1, sizeof *ctx);
	char *cause = NULL;

	assert_int_equal(uv_loop_init(&ctx->loop), 0);
	assert_int_equal(uv_timer_init(&ctx->loop, &ctx->watchdog), 0);
	ctx->watchdog.data = ctx;
	assert_int_equal(
	    uv_timer_start(&ctx->watchdog, on_watchdog, WATCHDOG_MS, 0), 0);
	ctx->clock.now = test_clock_now;
	ctx->clock.arg = NULL;
	ctx->client = http_client_new(&ctx->loop, &ctx->clock, &cause);
	assert_non_null(ctx->client);
	ctx->server = fake_http_new(&ctx->loop, &cause);
	assert_non_null(ctx->server);
	*state = ctx;
	return 0;
}

static void
on_closed(void *arg)
{
	struct ctx *ctx = arg;

	ctx->closed++;
}

static int
teardown(void **state)
{
	struct ctx *ctx = *state;

	if (!ctx->close_called)
		http_client_close(ctx->client, on_closed, ctx);
	if (ctx->server != NULL)
		fake_http_close(ctx->server);
	while (ctx->closed == 0 && !ctx->expired)
		uv_run(&ctx->loop, UV_RUN_ONCE);
	assert_false(ctx->expired);
	assert_int_equal(ctx->closed, 1);
	/* Closing handles always finishes within an iteration or two. */
	uv_close((uv_handle_t *)&ctx->watchdog, NULL);
	while (uv_run(&ctx->loop, UV_RUN_DEFAULT) != 0)
		;
	assert_int_equal(ctx->closed, 1);
	http_client_free(ctx->client);
	assert_int_equal(uv_loop_close(&ctx->loop), 0);
	free(ctx);
	return 0;
}

static void
result_release(struct result *r)
{
	free(r->body);
	free(r->error);
}

static void
on_done(void *arg, const struct http_response *resp)
{
	struct result *r = arg;

	r->calls++;
	r->order = ++r->ctx->finished;
	r->status = resp->status;
	assert_non_null(resp->body);
	r->body = xstrndup(resp->body, resp->body_len);
	r->body_len = resp->body_len;
	r->retry_after = resp->retry_after;
	r->error = resp->error != NULL ? xstrdup(resp->error) : NULL;
	r->done_at = uv_now(&r->ctx->loop);
	/* Done may run from the timer phase; do not block for i/o after it. */
	uv_stop(&r->ctx->loop);
	if (resp->status == 0)
		assert_non_null(resp->error);
	else
		assert_null(resp->error);
}

/* Run the loop until n requests have finished (or the watchdog fires). */
static void
run_until(struct ctx *ctx, int n)
{
	while (ctx->finished < n && !ctx->expired)
		uv_run(&ctx->loop, UV_RUN_ONCE);
	assert_false(ctx->expired);
}

/* Run the loop until the server has seen n requests. */
static void
run_until_received(struct ctx *ctx, size_t n)
{
	while (fake_http_count(ctx->server) < n && !ctx->expired)
		uv_run(&ctx->loop, UV_RUN_ONCE);
	assert_false(ctx->expired);
}

/* Start method url; every failure to start fails the test. */
static void
start(struct ctx *ctx, const struct http_request *req, struct result *r)
{
	char *cause = NULL;

	memset(r, 0, sizeof *r);
	r->ctx = ctx;
	if (http_request_start(ctx->client, req, on_done, r, &cause) != 0)
		fail_msg("cannot start request: %s", cause);
	assert_null(cause);
}

static void
test_get(void **state)
{
	struct ctx *ctx = *state;
	const char *const headers[] = { "Authorization: Bearer tok-123",
					"X-Custom:  spaced value ", NULL };
	const struct fake_http_request *seen;
	struct http_request req = { 0 };
	struct result r;
	char *url;

	fake_http_route(ctx->server, "GET", "/api/v4/users/me?x=1", 200,
			"Content-Type: application/json\r\n",
			"{\"id\":\"u1\"}");
	url = fake_http_url(ctx->server, "/api/v4/users/me?x=1");
	req.method = "GET";
	req.url = url;
	req.headers = headers;
	req.timeout_ms = 5000;
	start(ctx, &req, &r);
	free(url);
	assert_int_equal(r.calls, 0); /* never from inside start */
	run_until(ctx, 1);

	assert_int_equal(r.calls, 1);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "{\"id\":\"u1\"}");
	assert_int_equal(r.body_len, 11);
	assert_int_equal(r.retry_after, -1);
	assert_null(r.error);

	assert_int_equal(fake_http_count(ctx->server), 1);
	seen = fake_http_request_at(ctx->server, 0);
	assert_string_equal(seen->method, "GET");
	assert_string_equal(seen->target, "/api/v4/users/me?x=1");
	assert_string_equal(fake_http_header(seen, "authorization"),
			    "Bearer tok-123");
	assert_string_equal(fake_http_header(seen, "X-Custom"), "spaced value");
	assert_null(fake_http_header(seen, "Expect"));
	assert_int_equal(seen->body_len, 0);
	result_release(&r);
}

static void
test_post_and_put(void **state)
{
	struct ctx *ctx = *state;
	const char *const headers[] = { "Content-Type: application/json",
					NULL };
	static const char body[] =
	    "{\"message\":\"hi \xe4\xbd\xa0\xe5\xa5\xbd\"}";
	char big[3000];
	const struct fake_http_request *seen;
	struct http_request req = { 0 };
	struct result r1, r2, r3;
	char *url1, *url2;

	memset(big, 'b', sizeof big);
	big[100] = '\0'; /* bodies are bytes, not strings */
	fake_http_route(ctx->server, "POST", "/api/v4/posts", 201, NULL,
			"{\"id\":\"p1\"}");
	fake_http_route(ctx->server, "PUT", "/api/v4/posts/p1", 200, NULL,
			"ok");
	fake_http_route(ctx->server, "DELETE", "/api/v4/posts/p1", 204, NULL,
			NULL);
	url1 = fake_http_url(ctx->server, "/api/v4/posts");
	url2 = fake_http_url(ctx->server, "/api/v4/posts/p1");

	req.method = "POST";
	req.url = url1;
	req.headers = headers;
	req.body = body;
	req.body_len = strlen(body);
	start(ctx, &req, &r1);
	req.method = "PUT";
	req.url = url2;
	req.body = big;
	req.body_len = sizeof big;
	start(ctx, &req, &r2);
	req.method = "DELETE";
	req.body = NULL;
	req.body_len = 0;
	start(ctx, &req, &r3);
	free(url1);
	free(url2);
	run_until(ctx, 3);

	assert_int_equal(r1.status, 201);
	assert_string_equal(r1.body, "{\"id\":\"p1\"}");
	assert_int_equal(r2.status, 200);
	assert_string_equal(r2.body, "ok");
	assert_int_equal(r3.status, 204);
	assert_int_equal(r3.body_len, 0);

	seen = fake_http_find(ctx->server, "/api/v4/posts");
	assert_non_null(seen);
	assert_string_equal(seen->method, "POST");
	assert_int_equal(seen->body_len, strlen(body));
	assert_memory_equal(seen->body, body, strlen(body));
	assert_string_equal(fake_http_header(seen, "Content-Type"),
			    "application/json");

	seen = fake_http_find(ctx->server, "/api/v4/posts/p1");
	assert_non_null(seen);
	assert_string_equal(seen->method, "PUT");
	assert_int_equal(seen->body_len, sizeof big);
	assert_memory_equal(seen->body, big, sizeof big);
	assert_int_equal(fake_http_count(ctx->server), 3);
	seen = fake_http_request_at(ctx->server, 2);
	if (strcmp(seen->method, "DELETE") != 0)
		seen = fake_http_request_at(ctx->server, 1);
	if (strcmp(seen->method, "DELETE") != 0)
		seen = fake_http_request_at(ctx->server, 0);
	assert_string_equal(seen->method, "DELETE");
	assert_int_equal(seen->body_len, 0);
	result_release(&r1);
	result_release(&r2);
	result_release(&r3);
}

static void
test_status_and_retry_after(void **state)
{
	struct ctx *ctx = *state;
	static const struct {
		const char *target;
		int status;
		const char *headers;
		int want_min, want_max; /* retry_after bounds */
	} cases[] = {
		{ "/limited", 429, "Retry-After: 7\r\n", 7, 7 },
		{ "/limited-lower", 429, "retry-after:3\r\n", 3, 3 },
		{ "/limited-huge", 429, "Retry-After: 99999999999999999999\r\n",
		  HTTP_RETRY_AFTER_MAX, HTTP_RETRY_AFTER_MAX },
		{ "/limited-past", 429,
		  "Retry-After: Wed, 21 Oct 2015 07:28:00 GMT\r\n", 0, 0 },
		{ "/limited-bad", 429, "Retry-After: soon\r\n", -1, -1 },
		{ "/broken", 500, NULL, -1, -1 },
		{ "/unavailable", 503, "Retry-After: 120\r\n", 120, 120 },
	};
	enum { N = sizeof cases / sizeof cases[0] };
	struct http_request req = { 0 };
	struct result r[N];
	char *url;
	size_t i;

	for (i = 0; i < N; i++) {
		fake_http_route(ctx->server, "GET", cases[i].target,
				cases[i].status, cases[i].headers, "oops");
		url = fake_http_url(ctx->server, cases[i].target);
		req.method = "GET";
		req.url = url;
		start(ctx, &req, &r[i]);
		free(url);
	}
	run_until(ctx, N);
	for (i = 0; i < N; i++) {
		assert_int_equal(r[i].calls, 1);
		assert_int_equal(r[i].status, cases[i].status);
		assert_string_equal(r[i].body, "oops");
		assert_null(r[i].error);
		assert_in_range(r[i].retry_after + 1, cases[i].want_min + 1,
				cases[i].want_max + 1);
		result_release(&r[i]);
	}
}

static void
test_retry_after_parse(void **state)
{
	static const struct {
		const char *in;
		int want; /* -1: absent */
	} cases[] = {
		{ "0", 0 },
		{ " 42 ", 42 },
		{ "86400", HTTP_RETRY_AFTER_MAX },
		{ "86401", HTTP_RETRY_AFTER_MAX },
		{ "123456789012345678901234567890", HTTP_RETRY_AFTER_MAX },
		{ "Thu, 01 Jan 1970 00:00:00 GMT", 0 },
		{ "Fri, 31 Dec 9999 23:59:59 GMT", HTTP_RETRY_AFTER_MAX },
		{ "", -1 },
		{ "   ", -1 },
		{ "-5", -1 },
		{ "5s", -1 },
		{ "1.5", -1 },
		{ "tomorrow", -1 },
		{ "Mon, 99 Foo 2026 GMT", -1 },
		{ "0x10", -1 },
	};
	char future[64];
	struct tm tm;
	time_t t;
	int got;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		got = http_parse_retry_after(cases[i].in, strlen(cases[i].in),
					     TEST_NOW);
		if (got != cases[i].want)
			fail_msg("'%s': got %d, want %d", cases[i].in, got,
				 cases[i].want);
	}

	/* An HTTP-date 100 s after the (fixed) clock. */
	t = (time_t)TEST_NOW + 100;
	assert_non_null(gmtime_r(&t, &tm));
	assert_true(strftime(future, sizeof future, "%a, %d %b %Y %H:%M:%S GMT",
			     &tm) > 0);
	got = http_parse_retry_after(future, strlen(future), TEST_NOW);
	assert_int_equal(got, 100);
	/* Not NUL-terminated: only len bytes count. */
	assert_int_equal(http_parse_retry_after("12345", 2, TEST_NOW), 12);
}

static void
test_connection_refused(void **state)
{
	struct ctx *ctx = *state;
	struct fake_http *gone;
	struct http_request req = { 0 };
	struct result r;
	char *cause = NULL, *url;

	/* A port that was just free and nobody listens on any more. */
	gone = fake_http_new(&ctx->loop, &cause);
	assert_non_null(gone);
	url = fake_http_url(gone, "/x");
	fake_http_close(gone);
	uv_run(&ctx->loop, UV_RUN_NOWAIT);

	req.method = "GET";
	req.url = url;
	req.timeout_ms = 5000;
	start(ctx, &req, &r);
	free(url);
	run_until(ctx, 1);
	assert_int_equal(r.status, 0);
	assert_non_null(r.error);
	assert_int_equal(r.retry_after, -1);
	assert_string_equal(r.body, "");
	result_release(&r);
}

static void
test_response_cap(void **state)
{
	struct ctx *ctx = *state;
	struct http_request req = { 0 };
	struct result r1, r2;
	char *big, *url1, *url2;

	big = xmalloc(100000);
	memset(big, 'x', 100000);
	fake_http_route_len(ctx->server, "GET", "/big", 200, NULL, big, 100000);
	fake_http_route_len(ctx->server, "GET", "/fits", 200, NULL, big, 1000);
	free(big);
	url1 = fake_http_url(ctx->server, "/big");
	url2 = fake_http_url(ctx->server, "/fits");
	req.method = "GET";
	req.url = url1;
	req.max_response = 1000;
	start(ctx, &req, &r1);
	req.url = url2;
	start(ctx, &req, &r2);
	free(url1);
	free(url2);
	run_until(ctx, 2);

	assert_int_equal(r1.status, 0);
	assert_string_equal(r1.error, "response body exceeds 1000 bytes");
	assert_int_equal(r1.body_len, 0);
	/* Exactly at the cap is fine. */
	assert_int_equal(r2.status, 200);
	assert_int_equal(r2.body_len, 1000);
	result_release(&r1);
	result_release(&r2);
}

static void
test_timeout_does_not_block(void **state)
{
	struct ctx *ctx = *state;
	struct http_request req = { 0 };
	struct result slow, fast;
	uint64_t started;
	char *url;

	fake_http_hang(ctx->server, "GET", "/slow");
	fake_http_route(ctx->server, "GET", "/fast", 200, NULL, "quick");
	uv_update_time(&ctx->loop);
	started = uv_now(&ctx->loop);

	url = fake_http_url(ctx->server, "/slow");
	req.method = "GET";
	req.url = url;
	req.timeout_ms = 200;
	start(ctx, &req, &slow);
	free(url);
	/* Only ask for /fast once /slow is surely hanging on the server. */
	run_until_received(ctx, 1);
	url = fake_http_url(ctx->server, "/fast");
	req.url = url;
	req.timeout_ms = 10000;
	start(ctx, &req, &fast);
	free(url);
	run_until(ctx, 2);

	assert_int_equal(fast.status, 200);
	assert_string_equal(fast.body, "quick");
	assert_int_equal(fast.order, 1);
	assert_int_equal(slow.order, 2);
	assert_int_equal(slow.status, 0);
	assert_non_null(strstr(slow.error, "timed out"));
	/* The timeout took effect: not at once, and not at the watchdog. */
	assert_true(slow.done_at - started >= 150);
	assert_true(slow.done_at - started < 10000);
	result_release(&slow);
	result_release(&fast);
}

static void
test_many_concurrent(void **state)
{
	struct ctx *ctx = *state;
	enum { N = 50 };
	struct http_request req = { 0 };
	struct result r[N];
	char target[32], body[32], *url;
	int i;

	for (i = 0; i < N; i++) {
		snprintf(target, sizeof target, "/n/%d", i);
		snprintf(body, sizeof body, "body %d", i);
		fake_http_route(ctx->server, "GET", target, 200, NULL, body);
	}
	for (i = 0; i < N; i++) {
		snprintf(target, sizeof target, "/n/%d", i);
		url = fake_http_url(ctx->server, target);
		req.method = "GET";
		req.url = url;
		req.timeout_ms = 10000;
		start(ctx, &req, &r[i]);
		free(url);
	}
	run_until(ctx, N);
	assert_int_equal(fake_http_count(ctx->server), N);
	for (i = 0; i < N; i++) {
		snprintf(body, sizeof body, "body %d", i);
		assert_int_equal(r[i].calls, 1);
		assert_int_equal(r[i].status, 200);
		assert_string_equal(r[i].body, body);
		result_release(&r[i]);
	}
}

static void
test_close_in_flight(void **state)
{
	struct ctx *ctx = *state;
	enum { N = 5 };
	struct http_request req = { 0 };
	struct result r[N];
	char *url, *cause = NULL;
	int i;

	fake_http_hang(ctx->server, "POST", "/hang");
	url = fake_http_url(ctx->server, "/hang");
	req.method = "POST";
	req.url = url;
	req.body = "x";
	req.body_len = 1;
	for (i = 0; i < N; i++)
		start(ctx, &req, &r[i]);
	run_until_received(ctx, N);
	assert_int_equal(ctx->finished, 0);

	ctx->close_called = 1;
	http_client_close(ctx->client, on_closed, ctx);
	/* Every callback ran once, at once, with an error. */
	assert_int_equal(ctx->finished, N);
	for (i = 0; i < N; i++) {
		assert_int_equal(r[i].calls, 1);
		assert_int_equal(r[i].status, 0);
		assert_non_null(strstr(r[i].error, "cancelled"));
		result_release(&r[i]);
	}
	/* A closing client refuses new work. */
	assert_int_equal(
	    http_request_start(ctx->client, &req, on_done, &r[0], &cause), -1);
	assert_non_null(cause);
	free(cause);
	free(url);
	/* teardown runs the loop and checks that closed ran once */
}

static void
on_done_close(void *arg, const struct http_response *resp)
{
	struct result *r = arg;

	on_done(arg, resp);
	r->ctx->close_called = 1;
	http_client_close(r->ctx->client, on_closed, r->ctx);
}

static void
test_close_from_done(void **state)
{
	struct ctx *ctx = *state;
	struct http_request req = { 0 };
	struct result r1, r2;
	char *url1, *url2, *cause = NULL;

	fake_http_route(ctx->server, "GET", "/first", 200, NULL, "1");
	fake_http_hang(ctx->server, "GET", "/never");
	url1 = fake_http_url(ctx->server, "/first");
	url2 = fake_http_url(ctx->server, "/never");
	memset(&r1, 0, sizeof r1);
	r1.ctx = ctx;
	req.method = "GET";
	req.url = url2;
	start(ctx, &req, &r2);
	run_until_received(ctx, 1);
	req.url = url1;
	assert_int_equal(
	    http_request_start(ctx->client, &req, on_done_close, &r1, &cause),
	    0);
	run_until(ctx, 2);
	assert_int_equal(r1.status, 200);
	assert_int_equal(r2.status, 0);
	assert_non_null(r2.error);
	free(url1);
	free(url2);
	result_release(&r1);
	result_release(&r2);
}

static void
test_bad_requests(void **state)
{
	struct ctx *ctx = *state;
	const char *const bad_header[] = { "X-A: 1\r\nX-B: 2", NULL };
	static const struct http_request cases[] = {
		{ .method = NULL, .url = "http://127.0.0.1/" },
		{ .method = "GET", .url = NULL },
		{ .method = "", .url = "http://127.0.0.1/" },
		{ .method = "GET /x", .url = "http://127.0.0.1/" },
		{ .method = "POST", .url = "http://127.0.0.1/", .body_len = 3 },
	};
	struct http_request req = { 0 };
	struct result r;
	char *cause;
	size_t i;

	memset(&r, 0, sizeof r);
	r.ctx = ctx;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cause = NULL;
		assert_int_equal(http_request_start(ctx->client, &cases[i],
						    on_done, &r, &cause),
				 -1);
		assert_non_null(cause);
		free(cause);
	}
	cause = NULL;
	req.method = "GET";
	req.url = "http://127.0.0.1/";
	req.headers = bad_header;
	assert_int_equal(
	    http_request_start(ctx->client, &req, on_done, &r, &cause), -1);
	assert_non_null(cause);
	free(cause);
	assert_int_equal(r.calls, 0);

	/* A scheme other than http(s) fails the transfer, not the loop. */
	req.headers = NULL;
	req.url = "file:///etc/passwd";
	start(ctx, &req, &r);
	run_until(ctx, 1);
	assert_int_equal(r.status, 0);
	assert_non_null(r.error);
	result_release(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_get, setup, teardown),
		cmocka_unit_test_setup_teardown(test_post_and_put, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_status_and_retry_after,
						setup, teardown),
		cmocka_unit_test(test_retry_after_parse),
		cmocka_unit_test_setup_teardown(test_connection_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_response_cap, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_timeout_does_not_block,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_concurrent, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_close_in_flight, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_close_from_done, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bad_requests, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
