/* SPDX-License-Identifier: MIT */
/*
 * http.h: an asynchronous HTTP client on the libuv loop.
 *
 * One struct http_client per loop runs any number of requests at once;
 * nothing blocks the loop. Each request ends with exactly one call to its
 * done callback: with the response, with a transport error (status 0), or
 * with a cancellation error when the client is closed first. libcurl is
 * an implementation detail of src/net/http.c and never appears here.
 *
 * Lifecycle:
 *	c = http_client_new(loop, clock, &cause);
 *	http_request_start(c, &req, done, arg, &cause);   any number of times
 *	http_client_close(c, closed, arg);    cancels what is still in flight
 *	... closed(arg) runs from the loop (or uv_run() returns) ...
 *	http_client_free(c);
 *
 * Response bodies are collected in a capped buffer: a body larger than
 * max_response bytes fails that request with an error instead of growing
 * without bound. TLS peers are always verified unless insecure is set.
 * Header values (they carry tokens) are never logged; only the method and
 * the URL's path are.
 */
#ifndef LIHUI_HTTP_H
#define LIHUI_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "lihui/clock.h"

#include <uv.h>

/* The body cap used when a request leaves max_response at 0. */
#define HTTP_MAX_RESPONSE_DEFAULT (4 * 1024 * 1024)
/* Retry-After values above this many seconds are clamped to it. */
#define HTTP_RETRY_AFTER_MAX 86400

struct http_client;

/*
 * One request. Everything is borrowed only for the duration of
 * http_request_start(): the client copies what it needs.
 */
struct http_request {
	const char *method; /* "GET", "POST", "PUT", "DELETE", ... */
	const char *url;    /* http:// or https:// only */
	const char *const
	    *headers;	     /* "Name: value", NULL-terminated; or NULL */
	const char *body;    /* NULL for none */
	size_t body_len;     /* bytes of body */
	long timeout_ms;     /* whole transfer; 0 for no limit */
	size_t max_response; /* body cap in bytes; 0 for the default */
	const char *ca_file; /* PEM bundle to trust; NULL for system */
	int insecure;	     /* non-zero: skip TLS verification */
};

/*
 * The outcome of a request, borrowed by the done callback: every pointer
 * is valid only until the callback returns (copy what you keep).
 */
struct http_response {
	long status;	  /* HTTP status; 0 on transport error */
	const char *body; /* NUL-terminated; "" when empty, never NULL */
	size_t body_len;
	int retry_after; /* seconds from Retry-After (clamped), -1 if absent */
	const char *error; /* transport error text, or NULL when status != 0 */
};

/** Called exactly once per started request. */
typedef void (*http_done_cb)(void *arg, const struct http_response *resp);

/**
 * A client on loop. Returns NULL and fills *cause (caller frees) if
 * libcurl or libuv cannot be set up. Free with http_client_close() and
 * then http_client_free().
 */
struct http_client *http_client_new(uv_loop_t *loop, const struct clock *clock,
				    char **cause);

/**
 * Cancel every request still in flight (each done callback runs once,
 * now, with status 0 and an error) and close the client's loop handles.
 * closed(arg), if not NULL, runs from the loop once they are all closed;
 * from then on (inside closed itself is fine, or after uv_run() returns)
 * call http_client_free(). Safe to call from a done callback. Calling it
 * twice is a programmer error.
 */
void http_client_close(struct http_client *c, void (*closed)(void *),
		       void *arg);

/** Free a closed client (see http_client_close()). NULL is ignored. */
void http_client_free(struct http_client *c);

/**
 * Start req; done(arg, resp) runs later from the loop, never from inside
 * this call. Returns 0, or -1 with *cause filled (caller frees) when the
 * request is malformed or the client is closing; done is then not called.
 */
int http_request_start(struct http_client *c, const struct http_request *req,
		       http_done_cb done, void *arg, char **cause);

/**
 * Parse a Retry-After header value: delta-seconds or an HTTP-date (as
 * seconds from now, 0 if past), clamped to HTTP_RETRY_AFTER_MAX. Returns
 * -1 if value is neither. Pure: now (epoch seconds) comes from the
 * client's clock. Exposed for tests.
 */
int http_parse_retry_after(const char *value, size_t len, int64_t now);

#endif
