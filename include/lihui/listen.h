/* SPDX-License-Identifier: MIT */
/*
 * listen.h: the HTTP listener that receives slash-command requests.
 *
 * Mattermost (and Slack) call a slash command's URL with a POST whose body
 * is application/x-www-form-urlencoded, or with a GET carrying the same
 * fields in the query string. The listener runs on lihui's libuv loop,
 * accepts only the paths it is given, collects the body into a capped
 * buffer and calls one handler per complete request. The handler answers
 * synchronously (slash commands are acknowledged at once; real work is
 * queued), and the listener sends that answer.
 *
 * What the listener answers by itself, without calling the handler:
 *  - 404 for a path not in listen_config.paths (exact match);
 *  - 405 for a method other than GET or POST;
 *  - 411 for a body sent with Transfer-Encoding (chunked) rather than
 *    Content-Length, which lws 4.1 cannot delimit;
 *  - 413 for a body (declared or received) over listen_config.max_body;
 *  - 431 for a value over LISTEN_HEADER_MAX of a header named in
 *    listen_config.headers;
 *  - 500 when the handler's reply is invalid (see struct listen_reply).
 * These replies close the connection. Neither the Authorization header nor
 * any other header value nor any body is ever logged.
 *
 * A handler that cannot answer at once (Slack's slash commands: the
 * answer is the command's reply, known only once the command is stored)
 * defers its reply (listen_reply.defer) and gives it later with
 * listen_answer().
 *
 * libwebsockets is an implementation detail: no lws type appears here.
 */
#ifndef LIHUI_LISTEN_H
#define LIHUI_LISTEN_H

#include <stddef.h>
#include <stdint.h>

#include <uv.h>

/* Longest value of a header named in listen_config.headers, in bytes. */
#define LISTEN_HEADER_MAX 1024
/* Most names in listen_config.headers. */
#define LISTEN_HEADERS_EXTRA 8
/* How long a deferred reply may take (see listen_reply.defer). */
#define LISTEN_DEFER_SECS 10

struct listener;

/*
 * One complete request. Every pointer is borrowed from the listener and
 * valid only during the handler call.
 */
struct listen_request {
	const char *method; /* "GET" or "POST" */
	const char *path;   /* as decoded by the HTTP parser, e.g. "/mm" */
	/*
	 * The query string re-encoded as application/x-www-form-urlencoded
	 * ("a=1&b=x%20y"), so that form_parse() reads it as it reads a POST
	 * body; "" when there is none.
	 */
	const char *query;
	const char *content_type;  /* "" when absent; trimmed */
	const char *authorization; /* "" when absent; a secret: never log */
	const char *body;	   /* NUL-terminated; "" when empty */
	size_t body_len;	   /* at most listen_config.max_body */
	/*
	 * The values of the headers listen_config.headers names, in that
	 * order: blanks at both ends removed, at most LISTEN_HEADER_MAX
	 * bytes, NULL when the request does not carry the header (a header
	 * sent twice: its first value). They may be secrets: never log them.
	 * NULL when listen_config.headers is.
	 */
	const char *const *headers;
};

/*
 * The handler's answer. Before the call, status is 200, content_type is
 * "text/plain; charset=utf-8" and body is NULL (an empty body).
 */
struct listen_reply {
	int status; /* 200-599; anything else is sent as 500 */
	/*
	 * Borrowed, copied after the call; printable ASCII of at most 256
	 * characters, or the reply is sent as 500.
	 */
	const char *content_type;
	char *body; /* NULL or allocated; the listener frees */
	/*
	 * Starts 0. Non-zero: send the reply only once
	 * listen_config.durable(arg, after) says so (the handler's work is
	 * on disk); listen_durable() asks again.
	 */
	uint64_t after;
	/*
	 * Starts 0. Non-zero: no reply now; status, content_type and body
	 * are ignored (body is freed). The handler replies later with
	 * listen_answer(l, defer, ...); defer must be unique among the
	 * requests still waiting. A request with no answer after
	 * LISTEN_DEFER_SECS is dropped (the connection closes).
	 */
	uint64_t defer;
};

/**
 * Called on the loop thread once per complete request. It must not call
 * listen_stop() itself (lws is in the middle of a callback); defer that.
 */
typedef void (*listen_handler_fn)(void *arg, const struct listen_request *req,
				  struct listen_reply *reply);

struct listen_config {
	const char *addr;	  /* IP address to bind, e.g. "127.0.0.1" */
	int port;		  /* 0: let the kernel pick (see listen_port) */
	size_t max_body;	  /* largest body accepted, in bytes */
	const char *const *paths; /* accepted paths, NULL-terminated */
	listen_handler_fn handler; /* required */
	void *arg;		   /* passed to handler and durable */
	/* Whether replies with after = gen may go; NULL: they all may. */
	int (*durable)(void *arg, uint64_t gen);
	/*
	 * Names of further headers the handler reads (e.g.
	 * "X-Slack-Signature"; case does not matter), NULL-terminated, at
	 * most LISTEN_HEADERS_EXTRA; or NULL. See listen_request.headers.
	 */
	const char *const *headers;
};

/**
 * Start listening on cfg->addr:cfg->port with libwebsockets on loop (a
 * foreign loop to lws: the caller owns and runs it). cfg and the strings
 * it points to are copied. Returns the listener, or NULL with *cause set
 * (caller frees) when lws cannot be set up on libuv (for example, when its
 * libuv event library is not installed) or the address cannot be bound.
 * After a failure the loop must still be run for lws's handles to close.
 */
struct listener *listen_start(uv_loop_t *loop, const struct listen_config *cfg,
			      char **cause);

/**
 * What durable() answers may have changed: send the held replies it now
 * allows.
 */
void listen_durable(struct listener *l);

/**
 * The reply to the request whose handler set listen_reply.defer to defer,
 * as a handler gives it (see struct listen_reply; a bad one is sent as
 * 500). body (NULL or allocated) is the listener's. Returns 0, or -1 when
 * no request waits for defer (its client went away, or the listener is
 * stopping); body is freed either way. Not from inside the handler.
 */
int listen_answer(struct listener *l, uint64_t defer, int status,
		  const char *content_type, char *body);

/** The port the listener is bound to. */
int listen_port(const struct listener *l);

/**
 * Stop: close every connection and destroy the lws context. Teardown
 * finishes asynchronously on the loop; then done(arg) is called (done may
 * be NULL), and l is freed. Do not use l after this call. Call it before
 * closing the loop: the loop must run until done has been called.
 */
void listen_stop(struct listener *l, void (*done)(void *), void *arg);

/**
 * Split a listen address "addr:port" or "[v6addr]:port" into an
 * allocated *addr and *port (0..65535). -1 with *cause otherwise.
 */
int listen_address_split(const char *text, char **addr, int *port,
			 char **cause);
/** A plain-text reply: status and a copy of text. */
void listen_reply_text(struct listen_reply *reply, int status,
		       const char *text);
/**
 * The reply of GET /healthz: 200 when up, else 503, with
 * {"<key>":"<state>","outbox_backlog":N}.
 */
void listen_reply_health(struct listen_reply *reply, int up, const char *key,
			 const char *state, long long backlog);

#endif
