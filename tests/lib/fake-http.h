/* SPDX-License-Identifier: MIT */
/*
 * fake-http.h: a tiny scripted HTTP/1.1 server for tests, on the test's
 * libuv loop, listening on 127.0.0.1 on a free port.
 *
 * A test adds routes (method + exact request target) that answer with a
 * status, extra header lines and a body, or that hang without answering;
 * any other request gets 404. Every complete request is recorded
 * (method, target, headers, body) for assertions. Requests must carry
 * their body with Content-Length (no chunked uploads, no "Expect:
 * 100-continue"). Connections are kept alive, so clients may reuse them.
 *
 *	struct fake_http *f = fake_http_new(loop, &cause);
 *	fake_http_route(f, "GET", "/api/v4/users/me", 200, NULL, "{}");
 *	url = fake_http_url(f, "/api/v4/users/me");
 *	... run the loop ...
 *	fake_http_close(f);	then run the loop until it is idle
 */
#ifndef LIHUI_TEST_FAKE_HTTP_H
#define LIHUI_TEST_FAKE_HTTP_H

#include <stddef.h>

#include <uv.h>

#include "fake-server.h"

struct fake_http;

/* One recorded request; owned by the server, valid until it is closed. */
struct fake_http_request {
	char *method;
	char *target; /* as sent: path and query */
	struct fake_server_header *headers;
	size_t nheaders;
	char *body; /* NUL-terminated; "" when empty */
	size_t body_len;
};

/** A server on loop; NULL with *cause filled (caller frees) on failure. */
struct fake_http *fake_http_new(uv_loop_t *loop, char **cause);

/** The port the server listens on (127.0.0.1). */
int fake_http_port(const struct fake_http *f);

/** "http://127.0.0.1:<port><target>"; caller frees. */
char *fake_http_url(const struct fake_http *f, const char *target);

/**
 * Answer method + target with status, the extra header lines in headers
 * ("Name: value\r\n" each, or NULL) and body (NULL for empty). The server
 * adds Content-Length itself. The first matching route wins.
 */
void fake_http_route(struct fake_http *f, const char *method,
		     const char *target, int status, const char *headers,
		     const char *body);

/** Like fake_http_route() with a body of len bytes (may contain NULs). */
void fake_http_route_len(struct fake_http *f, const char *method,
			 const char *target, int status, const char *headers,
			 const char *body, size_t len);

/** Record requests to method + target but never answer them. */
void fake_http_hang(struct fake_http *f, const char *method,
		    const char *target);

/** How many complete requests have arrived so far. */
size_t fake_http_count(const struct fake_http *f);

/** The i-th request (0 is the first); borrowed until fake_http_close(). */
const struct fake_http_request *fake_http_request_at(const struct fake_http *f,
						     size_t i);

/** The first request to target, or NULL; borrowed as above. */
const struct fake_http_request *fake_http_find(const struct fake_http *f,
					       const char *target);

/** The value of header name (case-insensitive) in r, or NULL; borrowed. */
const char *fake_http_header(const struct fake_http_request *r,
			     const char *name);

/**
 * Stop listening and close every connection (hanging ones included). The
 * server frees itself once libuv has closed its handles, so keep running
 * the loop afterwards (uv_run() returns when that is done).
 */
void fake_http_close(struct fake_http *f);

#endif
