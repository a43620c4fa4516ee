/* SPDX-License-Identifier: MIT */
/*
 * ws.h: one WebSocket client connection (RFC 6455) on lihui's libuv loop.
 *
 * Adapters (Mattermost's event stream, later Slack Socket Mode) hold one
 * connection each through a struct ws_client. The client connects, sends
 * and receives whole text messages, pings an idle peer and reports the
 * end of the connection; it never reconnects by itself: the caller owns
 * the reconnect policy (backoff) and calls ws_client_connect() again.
 *
 * Life of a client:
 *
 *   ws_client_new()  validates and copies the options; nothing runs yet
 *   ws_client_connect()   resolves the host (on libuv's threadpool), then
 *                    connects; later exactly one of
 *                      open() ... message()* ... closed(reason)
 *                      closed(reason)            (the connect failed)
 *   ws_client_close(done) tears everything down; only done() follows;
 *                    then ws_client_free()
 *
 * closed() is always called from a fresh loop iteration, never from inside
 * ws_client_connect() or another ws_* call, and the client is idle again
 * when it runs: it may call ws_client_connect() (or ws_client_close())
 * right there. open() and message() may call ws_client_send(),
 * ws_client_disconnect() and ws_client_close().
 *
 * Nothing blocks the loop: host names are resolved on libuv's threadpool
 * and every resolved address is tried in turn (at most 8). The server's
 * pings are answered by libwebsockets; our own pings (ping_interval_ms)
 * detect a dead peer. libwebsockets' own log lines go to log.h.
 *
 * libwebsockets is an implementation detail: no lws type appears here.
 */
#ifndef LIHUI_WS_H
#define LIHUI_WS_H

#include <stddef.h>

#include <uv.h>

#define WS_URL_MAX	       2048	     /* longest URL accepted */
#define WS_AUTH_MAX	       4096	     /* longest Authorization value */
#define WS_DEFAULT_MAX_MESSAGE (1024 * 1024) /* when max_message is 0 */
#define WS_QUEUE_MAX_MESSAGES  256	     /* unsent messages per client */
#define WS_QUEUE_MAX_BYTES     (1024 * 1024) /* unsent bytes per client */

struct ws_client;

struct ws_callbacks {
	/* The opening handshake is done; ws_client_send() works now. */
	void (*open)(void *arg);
	/*
	 * One whole text message, reassembled from its fragments: valid
	 * UTF-8 without NUL bytes, at most max_message bytes, followed by a
	 * NUL. data is borrowed for the duration of the call.
	 */
	void (*message)(void *arg, const char *data, size_t len);
	/*
	 * The connect failed or the connection ended; reason says why in a
	 * few words, for logs: "closed by client", "closed by server (code
	 * 1001: text)", "connection lost", "ping timeout", "message over N
	 * bytes", "message is not valid utf-8", "server refused the upgrade
	 * (http 401)", "cannot resolve 'host': ...", "cannot connect: ...".
	 * It is borrowed for the call. The client is idle again.
	 */
	void (*closed)(void *arg, const char *reason);
	void *arg;
};

struct ws_options {
	/*
	 * scheme ws or wss, then host[:port][/path][?query]; an IPv6
	 * address goes in brackets
	 */
	const char *url;
	/*
	 * NULL, or the Authorization header value for the upgrade, e.g.
	 * "Bearer x"; a secret, never logged
	 */
	const char *authorization;
	const char *ca_file; /* NULL: the system's CA certificates */
	int insecure;	     /* 1: do not verify the server's certificate */
	/*
	 * longest message accepted (0: WS_DEFAULT_MAX_MESSAGE); a longer
	 * one closes the connection with code 1009
	 */
	size_t max_message;
	/* send a ping when nothing was received for this long; 0: never */
	unsigned ping_interval_ms;
	/*
	 * with pings on: close ("ping timeout") when nothing at all was
	 * received for ping_interval_ms + pong_timeout_ms (0: the same as
	 * ping_interval_ms)
	 */
	unsigned pong_timeout_ms;
};

/* The parts of a WebSocket URL. */
struct ws_url {
	char *host; /* name or address, IPv6 without brackets */
	int port;
	char *path; /* path and query, at least "/" */
	int tls;    /* wss */
};

/**
 * Split url into u. On success u holds allocated strings (release them
 * with ws_url_release); on failure returns -1 with *cause set (caller
 * frees) and u holds nothing.
 */
int ws_url_parse(const char *url, struct ws_url *u, char **cause);
/** Free what ws_url_parse() put into u. */
void ws_url_release(struct ws_url *u);

/**
 * A client for opt->url on loop. opt and cb are copied, including the
 * strings they point to. Returns NULL with *cause set (caller frees) when
 * an option is invalid. Nothing is added to the loop until the first
 * ws_client_connect().
 */
struct ws_client *ws_client_new(uv_loop_t *loop, const struct ws_options *opt,
				const struct ws_callbacks *cb, char **cause);

/**
 * Use url from the next ws_client_connect() on, e.g. to resume a
 * Mattermost session with ?connection_id=...; only while the client is
 * idle. -1 with *cause set when the URL is invalid or a connection is in
 * progress.
 */
int ws_client_set_url(struct ws_client *c, const char *url, char **cause);

/**
 * Start connecting. On 0, open() or closed() follows (after open(),
 * closed() follows eventually). On -1 (*cause set, caller frees) nothing
 * follows: the client was not idle, or libwebsockets could not be set up
 * on the loop.
 */
int ws_client_connect(struct ws_client *c, char **cause);

/**
 * Queue one text message (copied) to send. -1 with *cause set when the
 * connection is not open, or when the queue would exceed
 * WS_QUEUE_MAX_MESSAGES or WS_QUEUE_MAX_BYTES. Messages still queued when
 * the connection ends are dropped.
 */
int ws_client_send(struct ws_client *c, const char *text, size_t len,
		   char **cause);

/** Whether the connection is open (handshake done, not closing). */
int ws_client_is_open(const struct ws_client *c);

/**
 * The HTTP status with which the server refused the last upgrade (401 for
 * a bad token, say), or 0 when it did not; for closed() to tell a refusal
 * that retrying will not fix from a network failure.
 */
int ws_client_http_status(const struct ws_client *c);

/**
 * Close the connection politely (code 1000), or abandon a connect in
 * progress; closed("closed by client") follows. Nothing happens when the
 * client is idle or already closing.
 */
void ws_client_disconnect(struct ws_client *c);

/**
 * Tear down: drop any connection and free libwebsockets' state. No
 * callback runs after this call except done(arg) (done may be NULL),
 * called from the loop once everything is released; the loop must run
 * until then (a DNS lookup in progress cannot be interrupted, so done may
 * wait for it). Safe to call from inside any callback of c.
 */
void ws_client_close(struct ws_client *c, void (*done)(void *), void *arg);

/**
 * Free c: after its ws_client_close() has called done (also from inside
 * done), or when ws_client_connect() was never called. NULL is ignored.
 */
void ws_client_free(struct ws_client *c);

#endif
