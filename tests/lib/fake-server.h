/* SPDX-License-Identifier: MIT */
/*
 * fake-server.h: the plumbing the fake servers (fake-http.c, fake-mm.c,
 * fake-slack.c) share: a listener on 127.0.0.1 on a free port, HTTP/1.1
 * request parsing (Content-Length bodies only, kept-alive connections)
 * and the server side of WebSocket (RFC 6455: the upgrade, unmasking,
 * fragments, ping/pong, the close handshake).
 *
 * The owner (one fake) gives a table of callbacks. Every complete request
 * goes to ops->request, which takes the parsed request over and answers
 * it with fake_server_send() (now), fake_server_send_later() (after a
 * delay; parsing waits), fake_server_hang() (never; parsing stops for
 * good) or fake_server_ws_upgrade(). A WebSocket connection hands every
 * complete text message to ops->ws_message and answers pings itself.
 * Anything malformed or too large closes the connection.
 *
 *	s = fake_server_new(loop, &ops, owner, max_request, max_message,
 *			    &cause);
 *	... run the loop ...
 *	fake_server_close(s);	ops->freed(owner) runs once all is closed
 */
#ifndef LIHUI_TEST_FAKE_SERVER_H
#define LIHUI_TEST_FAKE_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "lihui/buf.h"

#define FAKE_WS_CONT   0x0
#define FAKE_WS_TEXT   0x1
#define FAKE_WS_BINARY 0x2
#define FAKE_WS_CLOSE  0x8
#define FAKE_WS_PING   0x9
#define FAKE_WS_PONG   0xa

struct fake_server;

struct fake_server_header {
	char *name;
	char *value; /* leading and trailing blanks removed */
};

/* A parsed request; ops->request takes its strings over. */
struct fake_server_request {
	char *method;
	char *target; /* as sent: path and query */
	char *path;   /* target without the query */
	struct fake_server_header *headers;
	size_t nheaders;
	char *body; /* NUL-terminated; "" when empty */
	size_t body_len;
};

enum fake_server_mode {
	FAKE_SERVER_HTTP,
	FAKE_SERVER_WS,
};

/*
 * One accepted connection. The owner may read the fields up to data and
 * set data; the rest is the server's.
 */
struct fake_server_conn {
	struct fake_server *server;
	void *owner; /* as given to fake_server_new() */
	void *data;  /* the owner's; NULL at first */
	enum fake_server_mode mode;
	uint64_t serial; /* 1 for the first accepted; higher is newer */
	int closing;
	int close_sent; /* WebSocket: our close frame went out */
	int draining;	/* answered for the last time; reading to EOF */
	struct fake_server_conn *prev;
	struct fake_server_conn *next;

	uv_tcp_t tcp;
	uv_timer_t timer;
	int open; /* handles not closed yet */
	int hung;
	char *slow; /* an answer waiting for the timer */
	size_t slow_len;
	struct buf in;
	struct buf msg; /* WebSocket: fragments so far */
	int msg_opcode; /* 0: no message under way */
	uv_shutdown_t shutdown;
};

/* What the owner does; every callback but request may be NULL. */
struct fake_server_ops {
	/* A complete request on c; takes r's strings over. */
	void (*request)(struct fake_server_conn *c,
			struct fake_server_request *r);
	/* A complete text message (valid UTF-8) on WebSocket c. */
	void (*ws_message)(struct fake_server_conn *c, const char *text,
			   size_t len);
	/* The timer set by fake_server_timer() fired on WebSocket c. */
	void (*ws_timer)(struct fake_server_conn *c);
	/* Nothing more goes to c: it closes, lingers or sent its close. */
	void (*detach)(struct fake_server_conn *c);
	/* c is about to be freed: release c->data. */
	void (*release)(struct fake_server_conn *c);
	/* The listener and every connection are closed: free the owner. */
	void (*freed)(void *owner);
};

/**
 * A server on loop for owner: requests up to max_request bytes (head and
 * body), WebSocket messages up to max_message. NULL with *cause filled
 * (caller frees) on failure; ops->freed is not called then.
 */
struct fake_server *fake_server_new(uv_loop_t *loop,
				    const struct fake_server_ops *ops,
				    void *owner, size_t max_request,
				    size_t max_message, char **cause);

/**
 * Stop listening and close every connection; ops->freed(owner) runs once
 * libuv has closed them all, so keep running the loop.
 */
void fake_server_close(struct fake_server *s);

/** The port it listens on (127.0.0.1). */
int fake_server_port(const struct fake_server *s);

/** The open connections, newest first (follow ->next); borrowed. */
struct fake_server_conn *fake_server_conns(const struct fake_server *s);

/** How many pongs WebSocket clients sent. */
int fake_server_ws_pongs(const struct fake_server *s);

/** Send len bytes of data (taken over) on c; linger and close after if
 * close_after. */
void fake_server_send(struct fake_server_conn *c, char *data, size_t len,
		      int close_after);

/** Send data (taken over) after delay_ms; c reads no request until then. */
void fake_server_send_later(struct fake_server_conn *c, char *data, size_t len,
			    uint64_t delay_ms);

/** Read nothing more from c (a hung request, or a refusal sent). */
void fake_server_hang(struct fake_server_conn *c);

/** Close c now. */
void fake_server_conn_close(struct fake_server_conn *c);

/** Start (or restart) WebSocket c's timer: ops->ws_timer in ms. */
void fake_server_timer(struct fake_server_conn *c, uint64_t ms);

/** Stop c's timer. */
void fake_server_timer_stop(struct fake_server_conn *c);

/**
 * A whole HTTP/1.1 response: status line, Content-Length, headers ("Name:
 * value\r\n" each, or "") and len bytes of body. Caller frees; its length
 * in *out_len.
 */
char *fake_server_response(int status, const char *headers, const char *body,
			   size_t len, size_t *out_len);

/** The value of header name (case-insensitive) in headers, or NULL. */
const char *fake_server_header(const struct fake_server_header *headers,
			       size_t n, const char *name);

/** Whether header name holds word (a comma-separated list, any case). */
int fake_server_header_has(const struct fake_server_header *headers, size_t n,
			   const char *name, const char *word);

/** Free n headers and the array. */
void fake_server_headers_free(struct fake_server_header *headers, size_t n);

/** Free r's strings. */
void fake_server_request_release(struct fake_server_request *r);

/**
 * Whether headers ask for a WebSocket upgrade: Upgrade, Connection, a
 * 24-byte Sec-WebSocket-Key and version 13.
 */
int fake_server_ws_valid(const struct fake_server_header *headers, size_t n);

/**
 * If headers ask for a WebSocket upgrade (Upgrade, Connection, a 24-byte
 * Sec-WebSocket-Key, version 13), send the 101 and switch c to WebSocket
 * mode; -1 (nothing sent) if they do not.
 */
int fake_server_ws_upgrade(struct fake_server_conn *c,
			   const struct fake_server_header *headers, size_t n);

/** Send one unmasked frame; linger and close after if close_after. */
void fake_server_ws_frame(struct fake_server_conn *c, int opcode,
			  const char *payload, size_t len, int close_after);

/** Send a text frame. */
void fake_server_ws_text(struct fake_server_conn *c, const char *text);

/**
 * Send a close frame with code and close once it is out; close at once if
 * c sent its close frame already. c reads nothing more.
 */
void fake_server_ws_close(struct fake_server_conn *c, int code);

/** Sec-WebSocket-Accept for key (RFC 6455 section 4.2.2). */
void fake_server_ws_accept(const char *key, char out[29]);

/**
 * Run loop until done(arg) is true or timeout_ms passes: 0 if done, -1 on
 * timeout.
 */
int fake_server_wait(uv_loop_t *loop, int (*done)(void *), void *arg,
		     uint64_t timeout_ms);

#endif
