/* SPDX-License-Identifier: MIT */
/*
 * testloop.h: the loop a network test runs on: a libuv loop, a guard
 * timer that stops it should the test hang (it does not keep the loop
 * alive), and lihui's HTTP client on it, with a helper that makes a call
 * and waits for its answer.
 *
 *	testloop_init(&t, NULL, 20000);		in setup
 *	testloop_call(&t, &call, &r);  testloop_wait(&t, &r, 3000);
 *	testloop_close_http(&t);		in teardown, then close the
 *	... fake servers ...			servers and
 *	testloop_finish(&t);
 */
#ifndef LIHUI_TEST_TESTLOOP_H
#define LIHUI_TEST_TESTLOOP_H

#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "lihui/clock.h"
#include "lihui/http.h"

struct testloop {
	uv_loop_t loop;
	struct clock clock;
	uv_timer_t guard;
	int expired; /* the guard fired */
	struct http_client *http;
	int http_closed;
};

/* What an HTTP call got. */
struct testloop_result {
	int done;
	long status;
	char *body; /* the caller frees */
	int retry_after;
	uv_loop_t *loop;
};

/**
 * Set t up: its loop, the guard (guard_ms) and an HTTP client using clock
 * (NULL: the system clock). Fails the test if any of it fails.
 */
void testloop_init(struct testloop *t, const struct clock *clock,
		   uint64_t guard_ms);

/** Start req into r (reset first); fails the test if it cannot start. */
void testloop_call(struct testloop *t, const struct http_request *req,
		   struct testloop_result *r);

/** Run the loop until r is answered: 0, or -1 after timeout_ms. */
int testloop_wait(struct testloop *t, struct testloop_result *r,
		  uint64_t timeout_ms);

/** Start closing the HTTP client (first step of a teardown). */
void testloop_close_http(struct testloop *t);

/**
 * Run the loop until all is closed, check that the guard did not fire and
 * the client closed, and free everything: testloop_drain() and
 * testloop_free().
 */
void testloop_finish(struct testloop *t);

/** Run the loop until all is closed; check the guard and the client. */
void testloop_drain(struct testloop *t);

/** Free the client, close the guard and the loop. */
void testloop_free(struct testloop *t);

#endif
