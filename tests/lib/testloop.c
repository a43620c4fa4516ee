/* SPDX-License-Identifier: MIT */
/*
 * testloop.c: the loop, guard and HTTP client of network tests; see
 * testloop.h.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "fake-server.h"
#include "lihui/xmalloc.h"
#include "testloop.h"

static void
testloop_on_guard(uv_timer_t *timer)
{
	struct testloop *t = timer->data;

	t->expired = 1;
	uv_stop(&t->loop);
}

void
testloop_init(struct testloop *t, const struct clock *clock, uint64_t guard_ms)
{
	char *cause = NULL;

	memset(t, 0, sizeof *t);
	assert_int_equal(uv_loop_init(&t->loop), 0);
	assert_int_equal(uv_timer_init(&t->loop, &t->guard), 0);
	t->guard.data = t;
	uv_timer_start(&t->guard, testloop_on_guard, guard_ms, 0);
	uv_unref((uv_handle_t *)&t->guard);
	t->clock = clock != NULL ? *clock : clock_system();
	t->http = http_client_new(&t->loop, &t->clock, &cause);
	if (t->http == NULL)
		fail_msg("cannot start the http client: %s", cause);
}

static void
testloop_on_done(void *arg, const struct http_response *resp)
{
	struct testloop_result *r = arg;

	r->done = 1;
	r->status = resp->status;
	r->body = xstrndup(resp->body, resp->body_len);
	r->retry_after = resp->retry_after;
	/* Done may run from the timer phase; do not block for i/o after. */
	uv_stop(r->loop);
}

void
testloop_call(struct testloop *t, const struct http_request *req,
	      struct testloop_result *r)
{
	char *cause = NULL;

	memset(r, 0, sizeof *r);
	r->loop = &t->loop;
	if (http_request_start(t->http, req, testloop_on_done, r, &cause) != 0)
		fail_msg("cannot start %s %s: %s", req->method, req->url,
			 cause);
}

static int
testloop_answered(void *arg)
{
	const struct testloop_result *r = arg;

	return r->done;
}

int
testloop_wait(struct testloop *t, struct testloop_result *r,
	      uint64_t timeout_ms)
{
	return fake_server_wait(&t->loop, testloop_answered, r, timeout_ms);
}

static void
testloop_on_http_closed(void *arg)
{
	struct testloop *t = arg;

	t->http_closed = 1;
}

void
testloop_close_http(struct testloop *t)
{
	http_client_close(t->http, testloop_on_http_closed, t);
}

void
testloop_drain(struct testloop *t)
{
	uv_run(&t->loop, UV_RUN_DEFAULT);
	assert_false(t->expired);
	assert_true(t->http_closed);
}

void
testloop_free(struct testloop *t)
{
	http_client_free(t->http);
	uv_close((uv_handle_t *)&t->guard, NULL);
	uv_run(&t->loop, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&t->loop), 0);
}

void
testloop_finish(struct testloop *t)
{
	testloop_drain(t);
	testloop_free(t);
}
