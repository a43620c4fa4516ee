/* SPDX-License-Identifier: MIT */
/*
 * test-listen-headers.c: the listener's further headers
 * (listen_config.headers) and deferred replies (listen_reply.defer,
 * listen_answer()), on a real libuv loop with lihui's own HTTP client as
 * the peer.
 *
 * Covered: a custom header and one lws knows (X-Forwarded-For) read in
 * any case, trimmed, NULL when absent; Content-Type trimmed; a value over
 * LISTEN_HEADER_MAX refused with 431 before the handler; a deferred reply
 * sent by listen_answer() (and a second request on the same connection),
 * listen_answer() for an unknown id; a bad header name at start.
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

#include "lihui/clock.h"
#include "lihui/http.h"
#include "lihui/listen.h"
#include "lihui/xmalloc.h"

#define WAIT_MS 10000

struct fixture {
	uv_loop_t loop;
	struct clock clock;
	struct http_client *http;
	struct listener *l;
	int stopped, http_closed;
	/* what the handler saw last */
	int calls;
	char *ctype;
	char *hdr[3];
	int defer; /* defer the next reply */
	/* the last answer */
	int answered;
	long status;
	char *body;
};

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static void
handler(void *arg, const struct listen_request *req, struct listen_reply *reply)
{
	struct fixture *fx = arg;
	size_t i;

	fx->calls++;
	free(fx->ctype);
	fx->ctype = xstrdup(req->content_type);
	assert_non_null(req->headers);
	for (i = 0; i < 3; i++) {
		free(fx->hdr[i]);
		fx->hdr[i] = dup_or_null(req->headers[i]);
	}
	if (fx->defer) {
		reply->body = xstrdup("ignored");
		reply->defer = 42;
		return;
	}
	reply->body = xstrdup("now");
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

static int
answered(struct fixture *fx)
{
	return fx->answered;
}

static int
called(struct fixture *fx)
{
	return fx->calls > 0;
}

static int
setup(void **state)
{
	static const char *const paths[] = { "/in", NULL };
	static const char *const headers[] = { "X-Slack-Signature",
					       "x-forwarded-for", "X-Absent",
					       NULL };
	struct fixture *fx = xcalloc(1, sizeof *fx);
	struct listen_config lc;
	char *cause = NULL;

	assert_int_equal(uv_loop_init(&fx->loop), 0);
	fx->clock = clock_system();
	fx->http = http_client_new(&fx->loop, &fx->clock, &cause);
	assert_non_null(fx->http);
	memset(&lc, 0, sizeof lc);
	lc.addr = "127.0.0.1";
	lc.port = 0;
	lc.max_body = 4096;
	lc.paths = paths;
	lc.headers = headers;
	lc.handler = handler;
	lc.arg = fx;
	fx->l = listen_start(&fx->loop, &lc, &cause);
	assert_non_null(fx->l);
	*state = fx;
	return 0;
}

static void
on_stopped(void *arg)
{
	((struct fixture *)arg)->stopped = 1;
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
	size_t i;

	listen_stop(fx->l, on_stopped, fx);
	http_client_close(fx->http, on_http_closed, fx);
	uv_run(&fx->loop, UV_RUN_DEFAULT);
	assert_true(fx->stopped);
	assert_true(fx->http_closed);
	http_client_free(fx->http);
	assert_int_equal(uv_loop_close(&fx->loop), 0);
	free(fx->ctype);
	for (i = 0; i < 3; i++)
		free(fx->hdr[i]);
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

static void
post_start(struct fixture *fx, const char *const *headers)
{
	struct http_request req;
	char *url = xasprintf("http://127.0.0.1:%d/in", listen_port(fx->l));
	char *cause = NULL;

	memset(&req, 0, sizeof req);
	req.method = "POST";
	req.url = url;
	req.headers = headers;
	req.body = "a=1";
	req.body_len = 3;
	req.timeout_ms = 20000;
	fx->answered = 0;
	assert_int_equal(
	    http_request_start(fx->http, &req, on_answer, fx, &cause), 0);
	free(url);
}

static void
test_headers(void **state)
{
	struct fixture *fx = *state;
	const char *const h1[] = { "x-SLACK-signature:  v0=abc \t",
				   "X-Forwarded-For: 10.0.0.1 ",
				   "Content-Type:  text/x-test ; a=b  ", NULL };
	const char *const h2[] = { "Content-Type: text/plain", NULL };

	post_start(fx, h1);
	run_until(fx, answered);
	assert_int_equal(fx->status, 200);
	assert_string_equal(fx->body, "now");
	assert_string_equal(fx->hdr[0], "v0=abc");
	assert_string_equal(fx->hdr[1], "10.0.0.1");
	assert_null(fx->hdr[2]);
	assert_string_equal(fx->ctype, "text/x-test ; a=b");
	post_start(fx, h2);
	run_until(fx, answered);
	assert_null(fx->hdr[0]);
	assert_null(fx->hdr[1]);
	assert_null(fx->hdr[2]);
}

static void
test_too_long(void **state)
{
	struct fixture *fx = *state;
	char *big = xmalloc(LISTEN_HEADER_MAX + 40);
	const char *h[] = { big, NULL };

	snprintf(big, LISTEN_HEADER_MAX + 40, "X-Slack-Signature: ");
	memset(big + strlen(big), 'x', LISTEN_HEADER_MAX + 1);
	big[19 + LISTEN_HEADER_MAX + 1] = '\0';
	post_start(fx, h);
	run_until(fx, answered);
	assert_int_equal(fx->status, 431);
	assert_int_equal(fx->calls, 0);
	/* exactly LISTEN_HEADER_MAX, with blanks around: fine */
	big[19 + LISTEN_HEADER_MAX] = ' ';
	post_start(fx, h);
	run_until(fx, answered);
	assert_int_equal(fx->status, 200);
	assert_int_equal(strlen(fx->hdr[0]), LISTEN_HEADER_MAX);
	free(big);
}

static void
test_defer(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(listen_answer(fx->l, 42, 200, "text/plain", NULL), -1);
	fx->defer = 1;
	post_start(fx, NULL);
	run_until(fx, called);
	/* nothing goes before the answer */
	uv_run(&fx->loop, UV_RUN_NOWAIT);
	assert_false(fx->answered);
	assert_int_equal(
	    listen_answer(fx->l, 41, 200, "text/plain", xstrdup("wrong")), -1);
	assert_int_equal(listen_answer(fx->l, 42, 202, "application/json",
				       xstrdup("{\"later\":1}")),
			 0);
	run_until(fx, answered);
	assert_int_equal(fx->status, 202);
	assert_string_equal(fx->body, "{\"later\":1}");
	/* answered once only */
	assert_int_equal(listen_answer(fx->l, 42, 200, "text/plain", NULL), -1);
	/* the connection goes on */
	fx->defer = 0;
	post_start(fx, NULL);
	run_until(fx, answered);
	assert_int_equal(fx->status, 200);
	assert_string_equal(fx->body, "now");
	/* an invalid deferred reply goes as 500 */
	fx->defer = 1;
	fx->calls = 0;
	post_start(fx, NULL);
	run_until(fx, called);
	assert_int_equal(listen_answer(fx->l, 42, 99, "text/plain", NULL), 0);
	run_until(fx, answered);
	assert_int_equal(fx->status, 500);
}

static void
test_bad_names(void **state)
{
	static const char *const paths[] = { "/in", NULL };
	static const char *const colon[] = { "X-Bad:", NULL };
	static const char *const many[] = { "a", "b", "c", "d", "e",
					    "f", "g", "h", "i", NULL };
	struct listen_config lc;
	uv_loop_t loop;
	char *cause = NULL;

	(void)state;
	assert_int_equal(uv_loop_init(&loop), 0);
	memset(&lc, 0, sizeof lc);
	lc.addr = "127.0.0.1";
	lc.paths = paths;
	lc.handler = handler;
	lc.headers = colon;
	assert_null(listen_start(&loop, &lc, &cause));
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	lc.headers = many;
	assert_null(listen_start(&loop, &lc, &cause));
	assert_non_null(cause);
	free(cause);
	uv_run(&loop, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&loop), 0);
}

/* Listen addresses as the adapters' configs give them. */
static void
test_address_split(void **state)
{
	static const struct {
		const char *in, *addr;
		int port;
	} cases[] = {
		{ "127.0.0.1:8090", "127.0.0.1", 8090 },
		{ "[::1]:80", "::1", 80 },
		{ "0.0.0.0:0", "0.0.0.0", 0 },
		{ "host:65535", "host", 65535 },
		{ "x", NULL, 0 },
		{ ":80", NULL, 0 },
		{ "[]:80", NULL, 0 },
		{ "a:", NULL, 0 },
		{ "a:65536", NULL, 0 },
		{ "a:-1", NULL, 0 },
		{ "a:80x", NULL, 0 },
	};
	char *addr, *cause;
	size_t i;
	int port;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		addr = cause = NULL;
		port = -1;
		if (cases[i].addr != NULL) {
			assert_int_equal(listen_address_split(
					     cases[i].in, &addr, &port, &cause),
					 0);
			assert_string_equal(addr, cases[i].addr);
			assert_int_equal(port, cases[i].port);
			free(addr);
		} else {
			assert_int_equal(listen_address_split(
					     cases[i].in, &addr, &port, &cause),
					 -1);
			assert_non_null(cause);
			assert_non_null(strstr(cause, cases[i].in));
			assert_null(addr);
			free(cause);
		}
	}
}

static void
test_reply_helpers(void **state)
{
	struct listen_reply r;

	(void)state;
	memset(&r, 0, sizeof r);
	listen_reply_health(&r, 0, "slack", "starting", 3);
	assert_int_equal(r.status, 503);
	assert_string_equal(r.body,
			    "{\"slack\":\"starting\",\"outbox_backlog\":3}");
	free(r.body);
	listen_reply_text(&r, 401, "no");
	assert_int_equal(r.status, 401);
	assert_string_equal(r.body, "no");
	free(r.body);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_headers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_long, setup, teardown),
		cmocka_unit_test_setup_teardown(test_defer, setup, teardown),
		cmocka_unit_test(test_bad_names),
		cmocka_unit_test(test_address_split),
		cmocka_unit_test(test_reply_helpers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
