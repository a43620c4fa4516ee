/* SPDX-License-Identifier: MIT */
/*
 * ws.c: the WebSocket client; see ws.h.
 *
 * How it works. Each client owns one lws context, created on its first
 * ws_client_connect() with LWS_SERVER_OPTION_LIBUV and info.foreign_loops
 * pointing at lihui's loop (as listen.c does), so lws adds its sockets and
 * timers to that loop. The context's user pointer is the client, so the
 * one protocol callback, ws_callback(), needs no global. The context is
 * kept across reconnects and destroyed by ws_client_close().
 *
 * States (c->state):
 *
 *   WS_IDLE        no connection; ws_client_connect() allowed
 *   WS_RESOLVING   uv_getaddrinfo() runs on the threadpool
 *   WS_CONNECTING  an lws client wsi exists, handshake not done
 *   WS_OPEN        handshake done: open() was called
 *   WS_CLOSING     we are ending it (close frame sent or due, or a kill
 *                  due); the wsi lives on; input is ignored
 *   WS_ENDED       the wsi is gone; closed() is due from c->notify
 *
 * Only callbacks for the live wsi (c->wsi, set by lws through ci.pwsi
 * before it can call back) are acted on, so a late callback for an old
 * connection cannot end its successor.
 *
 * Host names are resolved by us with uv_getaddrinfo() and lws is given
 * the numeric address: lws 4.1 (Debian 12's build has no async DNS) would
 * call a blocking getaddrinfo() on the loop thread. The name still goes
 * into the Host header, which is also what lws checks the server's
 * certificate against (and sends as SNI). Up to WS_ADDRS_MAX addresses
 * are tried in the resolver's order, the next one when a connect fails
 * before any HTTP answer (an IPv6 address without IPv6 routing, say).
 *
 * Every way a connection ends goes through ws_end(): a connect error
 * (CLIENT_CONNECTION_ERROR, or lws_client_connect_via_info() failing),
 * CLIENT_CLOSED, a failed resolve, or an abandoned resolve. ws_end()
 * records the first reason, drops the send queue and the partial message
 * and starts the 0 ms c->notify timer, whose callback makes the client
 * idle and then calls closed(). So closed() never runs inside an lws
 * callback or inside a ws_* call, and may reconnect at once.
 *
 * Writes happen only in CLIENT_WRITEABLE, one lws_write() per callback,
 * with LWS_PRE bytes of headroom kept in front of every queued message.
 * Order of precedence there: a pending close frame, then a ping, then the
 * oldest queued message.
 *
 * Closing, two ways (lws 4.1 specifics):
 *  - politely (ws_close_polite: disconnect 1000, too big 1009, bad UTF-8
 *    1007): our close frame is written in WRITEABLE with lws_write() and
 *    lws's internal close write type, because lws 4.1 on libuv drops the
 *    connection without sending the frame when a callback returns -1
 *    after lws_close_reason(). The server answers with its close frame
 *    and lws ends the connection (CLIENT_CLOSED). c->keepalive guards
 *    this for WS_CLOSE_GUARD_MS, then kills.
 *  - killed (ws_kill: ping timeout, abandoned handshake, the guard):
 *    from c->keepalive's callback, with lws_set_timeout(LWS_TO_KILL_SYNC).
 *    That is outside any lws callback, where a synchronous kill is safe;
 *    LWS_TO_KILL_ASYNC (a zero timeout) is not acted on by lws 4.1 on a
 *    foreign libuv loop until something else wakes its service.
 *
 * Receiving: fragments are appended to c->rx, a struct buf capped at
 * max_message; on overflow the connection is closed with 1009. A final
 * fragment completes the message, which must be valid UTF-8 (else 1007)
 * before message() sees it. Binary messages are dropped unread. lws
 * answers the server's pings by itself.
 *
 * Keep-alive: c->keepalive, a uv timer, runs while a connection is open.
 * Any frame received (including a pong) moves c->last_rx. Once nothing
 * was received for ping_interval_ms a ping is written; once nothing was
 * received for ping_interval_ms + pong_timeout_ms the connection is
 * killed with reason "ping timeout" (no close handshake: the peer is
 * presumed gone).
 *
 * Teardown (ws_client_close) always starts from c->stop_timer, never
 * inside a caller's frame, because lws forbids destroying a context from
 * inside its own callbacks. The first tick cancels a resolve, closes our
 * other timers and calls lws_context_destroy(). As listen.c explains,
 * lws 4.1 on a foreign loop needs a second lws_context_destroy() once
 * its uv handles have finished closing; later ticks make it, and when
 * lws has written NULL through info.pcontext, no resolve is pending and
 * our handles are closed, the stop timer is closed and done() runs.
 *
 * When adding a state, also update ws_client_disconnect(), ws_end() and
 * the keep-alive tick. When adding a timer or request, also close or
 * cancel it in ws_stop_tick() and count it in c->handles. When adding a
 * callback reason, remember lws calls ws_callback() during context destruction
 * too (c->dead is set then).
 *
 * lws's own log lines are routed into log.h (errors and warnings only);
 * lws_set_log_level() is process-wide, as listen.c notes.
 */

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libwebsockets.h>

#include "lihui/buf.h"
#include "lihui/log.h"
#include "lihui/utf8.h"
#include "lihui/ws.h"
#include "lihui/xmalloc.h"

#define WS_ADDRS_MAX	8   /* resolved addresses tried per connect */
#define WS_HOST_MAX	253 /* longest DNS name */
#define WS_TIMEOUT_SECS 15  /* lws: connect, TLS and handshake */
/*
 * What lws reads from the socket per service (its default is 4 KiB):
 * with 64 KiB a loop round takes a burst of events in one read instead of
 * about nine, which took the daemon from 53,000 to 75,000 events a second
 * (tests/bench/bench-mm); the buffer is allocated once per context.
 */
#define WS_READ_SIZE	  65536
#define WS_CLOSE_GUARD_MS 3000 /* for the server to answer our close */
#define WS_STOP_POLL_MS	  1
#define WS_STOP_WARN_MS	  5000
/* lws's own value for a close frame write; stable since lws 1.x */
#define WS_LWS_WRITE_CLOSE 4
#define WS_CLOSE_TEXT_MAX  32  /* our own close reasons */
#define WS_REASON_MAX	   200 /* of a reason taken from the network */

enum ws_state {
	WS_IDLE,
	WS_RESOLVING,
	WS_CONNECTING,
	WS_OPEN,
	WS_CLOSING,
	WS_ENDED,
};

/* One queued outgoing message, with lws's headroom in front. */
struct ws_msg {
	struct ws_msg *next;
	size_t len;
	unsigned char data[]; /* LWS_PRE + len bytes */
};

struct ws_client {
	uv_loop_t *loop;
	struct ws_url url;
	char *authorization;
	char *ca_file;
	int insecure;
	size_t max_message;
	uint64_t ping_ms;
	uint64_t pong_ms;
	struct ws_callbacks cb;

	enum ws_state state;
	int started; /* context and timers exist */
	struct lws_context *context;
	struct lws_protocols protocols[2];
	struct lws *wsi; /* the live connection, or NULL */

	uv_getaddrinfo_t resolver;
	char addrs[WS_ADDRS_MAX][INET6_ADDRSTRLEN]; /* numeric, to try */
	int naddrs, next_addr;
	int resolving; /* resolver's callback still due */
	int abandon;   /* disconnect asked for while resolving */

	char *reason;	 /* why the connection is ending, first wins */
	int http_status; /* of a refused upgrade, 0: none */
	int close_code;	 /* from the server's close frame, 0: none */
	char *close_text;

	struct buf rx;
	int rx_binary; /* dropping a binary message */

	struct ws_msg *head, *tail;
	size_t queued, queued_bytes;

	uv_timer_t keepalive;
	uint64_t last_rx;
	int ping_due;  /* write a ping at the next WRITEABLE */
	int ping_sent; /* since last_rx */
	int kill;      /* drop the connection at the next keep-alive tick */
	int close_out; /* close code to send, 0: none */
	const char *close_out_text; /* static */
	int close_sent;

	uv_timer_t notify;

	/* teardown */
	int dead;     /* ws_client_close() called: no more callbacks */
	int finished; /* done() was called: free allowed */
	int handles;  /* of keepalive and notify, not yet closed */
	uv_timer_t stop_timer;
	uint64_t stop_started;
	int stop_first; /* the first lws_context_destroy() was made */
	int stop_warned;
	int stop_closing;
	void (*done)(void *);
	void *done_arg;
};

static void ws_lws_log(int level, const char *line);
static int ws_host_ok(const char *host, size_t len);
static int ws_is_literal(const char *host);
static int ws_options_ok(const struct ws_options *opt, char **cause);
static int ws_start(struct ws_client *c, char **cause);
static void ws_resolved(uv_getaddrinfo_t *req, int status,
			struct addrinfo *res);
static void ws_keep_addresses(struct ws_client *c, const struct addrinfo *res);
static void ws_connect_next(struct ws_client *c);
static void ws_end(struct ws_client *c, const char *reason);
static void ws_set_reason(struct ws_client *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void ws_queue_clear(struct ws_client *c);
static void ws_notify_tick(uv_timer_t *t);
static void ws_keepalive_arm(struct ws_client *c);
static void ws_keepalive_tick(uv_timer_t *t);
static void ws_kill(struct ws_client *c, const char *reason);
static void ws_close_polite(struct ws_client *c, int code, const char *text,
			    const char *reason);
static int ws_callback(struct lws *wsi, enum lws_callback_reasons reason,
		       void *user, void *in, size_t len);
static int ws_receive(struct ws_client *c, struct lws *wsi, const char *in,
		      size_t len);
static int ws_writeable(struct ws_client *c, struct lws *wsi);
static void ws_peer_close(struct ws_client *c, const unsigned char *in,
			  size_t len);
static void ws_stop_tick(uv_timer_t *t);
static void ws_count_closing(uv_handle_t *h, void *arg);
static void ws_handle_closed(uv_handle_t *h);
static void ws_stop_closed(uv_handle_t *h);

#define WS_FROM(ptr, member)                                                   \
	((struct ws_client *)((char *)(ptr)-offsetof(struct ws_client, member)))

/* Route lws's own messages into our log, without its trailing newline. */
static void
ws_lws_log(int level, const char *line)
{
	size_t n = strlen(line);

	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		n--;
	if (level & LLL_ERR)
		log_write(LOG_ERROR, "lws", "%.*s", (int)n, line);
	else
		log_write(LOG_WARN, "lws", "%.*s", (int)n, line);
}

/*
 * Whether host[0..len) looks like a DNS name or an IPv4 address; the
 * resolver has the last word.
 */
static int
ws_host_ok(const char *host, size_t len)
{
	size_t i;

	if (len == 0 || len > WS_HOST_MAX)
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)host[i];

		if (!isalnum(ch) && ch != '-' && ch != '.' && ch != '_')
			return 0;
	}
	return 1;
}

int
ws_url_parse(const char *url, struct ws_url *u, char **cause)
{
	const char *p, *auth, *auth_end, *host, *host_end, *port;
	size_t hlen, i;
	long v;

	memset(u, 0, sizeof *u);
	if (url == NULL || *url == '\0')
		return set_cause(cause, "empty websocket url");
	if (strnlen(url, WS_URL_MAX + 1) > WS_URL_MAX)
		return set_cause(cause, "websocket url longer than %d bytes",
				 WS_URL_MAX);
	for (p = url; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
			return set_cause(cause,
					 "websocket url contains a space or "
					 "a non-ascii byte");
	if (strncasecmp(url, "ws://", 5) == 0) {
		auth = url + 5;
		u->port = 80;
	} else if (strncasecmp(url, "wss://", 6) == 0) {
		auth = url + 6;
		u->tls = 1;
		u->port = 443;
	} else
		return set_cause(cause,
				 "websocket url '%s' must start with ws:// or "
				 "wss://",
				 url);

	auth_end = auth + strcspn(auth, "/?#");
	if (*auth_end == '#' || strchr(auth_end, '#') != NULL)
		return set_cause(cause, "websocket url '%s' has a fragment",
				 url);
	if (memchr(auth, '@', (size_t)(auth_end - auth)) != NULL)
		return set_cause(cause,
				 "websocket url must not contain credentials");

	host = auth;
	if (*host == '[') {
		char addr[INET6_ADDRSTRLEN];
		unsigned char bin[sizeof(struct in6_addr)];

		host_end = memchr(host, ']', (size_t)(auth_end - host));
		if (host_end == NULL)
			return set_cause(cause,
					 "websocket url '%s' has an unclosed "
					 "'['",
					 url);
		hlen = (size_t)(host_end - host - 1);
		if (hlen == 0 || hlen >= sizeof addr)
			return set_cause(cause,
					 "websocket url '%s' has an invalid "
					 "ipv6 address",
					 url);
		memcpy(addr, host + 1, hlen);
		addr[hlen] = '\0';
		if (inet_pton(AF_INET6, addr, bin) != 1)
			return set_cause(cause,
					 "websocket url '%s' has an invalid "
					 "ipv6 address",
					 url);
		port = host_end + 1;
		if (port != auth_end && *port != ':')
			return set_cause(cause,
					 "websocket url '%s' has junk after "
					 "the address",
					 url);
		host++;
	} else {
		host_end = memchr(host, ':', (size_t)(auth_end - host));
		if (host_end == NULL)
			host_end = auth_end;
		port = host_end;
		hlen = (size_t)(host_end - host);
		if (hlen == 0)
			return set_cause(cause,
					 "websocket url '%s' has no host", url);
		if (!ws_host_ok(host, hlen))
			return set_cause(cause,
					 "websocket url '%s' has an invalid "
					 "host",
					 url);
	}

	if (port != auth_end) {
		/* port points at ':' */
		port++;
		if (port == auth_end || auth_end - port > 5)
			return set_cause(cause,
					 "websocket url '%s' has an invalid "
					 "port",
					 url);
		v = 0;
		for (i = 0; port + i < auth_end; i++) {
			if (port[i] < '0' || port[i] > '9')
				return set_cause(cause,
						 "websocket url '%s' has an "
						 "invalid port",
						 url);
			v = v * 10 + (port[i] - '0');
		}
		if (v < 1 || v > 65535)
			return set_cause(cause,
					 "websocket url '%s' has a port out "
					 "of range",
					 url);
		u->port = (int)v;
	}

	u->host = xstrndup(host, hlen);
	if (*auth_end == '\0')
		u->path = xstrdup("/");
	else if (*auth_end == '?')
		u->path = xasprintf("/%s", auth_end);
	else
		u->path = xstrdup(auth_end);
	return 0;
}

void
ws_url_release(struct ws_url *u)
{
	free(u->host);
	free(u->path);
	memset(u, 0, sizeof *u);
}

/* Whether host is a numeric IPv4 or IPv6 address. */
static int
ws_is_literal(const char *host)
{
	unsigned char bin[sizeof(struct in6_addr)];

	return inet_pton(AF_INET, host, bin) == 1 ||
	       inet_pton(AF_INET6, host, bin) == 1;
}

/* Check the options other than the URL. */
static int
ws_options_ok(const struct ws_options *opt, char **cause)
{
	const char *p;

	if (opt->authorization != NULL) {
		if (strnlen(opt->authorization, WS_AUTH_MAX + 1) > WS_AUTH_MAX)
			return set_cause(cause,
					 "authorization value longer than %d "
					 "bytes",
					 WS_AUTH_MAX);
		for (p = opt->authorization; *p != '\0'; p++)
			if ((unsigned char)*p < 0x20 ||
			    (unsigned char)*p == 0x7f)
				return set_cause(cause, "authorization value "
							"contains a control "
							"character");
	}
	if (opt->ca_file != NULL && *opt->ca_file == '\0')
		return set_cause(cause, "empty ca file name");
	return 0;
}

struct ws_client *
ws_client_new(uv_loop_t *loop, const struct ws_options *opt,
	      const struct ws_callbacks *cb, char **cause)
{
	struct ws_client *c;

	if (cb->open == NULL || cb->message == NULL || cb->closed == NULL)
		BUG("ws_client_new needs open, message and closed callbacks");
	if (ws_options_ok(opt, cause) != 0)
		return NULL;

	c = xcalloc(1, sizeof *c);
	if (ws_url_parse(opt->url, &c->url, cause) != 0) {
		free(c);
		return NULL;
	}
	c->loop = loop;
	if (opt->authorization != NULL)
		c->authorization = xstrdup(opt->authorization);
	if (opt->ca_file != NULL)
		c->ca_file = xstrdup(opt->ca_file);
	c->insecure = opt->insecure != 0;
	c->max_message =
	    opt->max_message != 0 ? opt->max_message : WS_DEFAULT_MAX_MESSAGE;
	c->ping_ms = opt->ping_interval_ms;
	c->pong_ms = opt->pong_timeout_ms != 0 ? opt->pong_timeout_ms
					       : opt->ping_interval_ms;
	c->cb = *cb;
	c->state = WS_IDLE;
	buf_init(&c->rx, c->max_message);
	return c;
}

int
ws_client_set_url(struct ws_client *c, const char *url, char **cause)
{
	struct ws_url u;

	if (c->dead || c->state != WS_IDLE)
		return set_cause(cause, "websocket client is not idle");
	if (ws_url_parse(url, &u, cause) != 0)
		return -1;
	ws_url_release(&c->url);
	c->url = u;
	return 0;
}

/* Create the lws context and our timers, once per client. */
static int
ws_start(struct ws_client *c, char **cause)
{
	struct lws_context_creation_info info;
	void *loops[1];

	c->protocols[0].name = "lihui-ws";
	c->protocols[0].callback = ws_callback;
	/* protocols[1] stays zeroed: the terminator */

	lws_set_log_level(LLL_ERR | LLL_WARN, ws_lws_log);

	memset(&info, 0, sizeof info);
	loops[0] = c->loop;
	/*
	 * No LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT: OpenSSL 3 initialises
	 * itself, and with that option two contexts alive at once (Slack's
	 * new connection opened before the old one closes) leak a whole TLS
	 * setup each time.
	 */
	info.options = LWS_SERVER_OPTION_LIBUV;
	info.foreign_loops = loops;
	info.pcontext = &c->context;
	info.user = c;
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = c->protocols;
	info.timeout_secs = WS_TIMEOUT_SECS;
	info.pt_serv_buf_size = WS_READ_SIZE;
	info.client_ssl_ca_filepath = c->ca_file;

	/* A NULL here leaves nothing on the loop (see listen.c). */
	c->context = lws_create_context(&info);
	if (c->context == NULL)
		return set_cause(cause,
				 "cannot start libwebsockets on the libuv "
				 "loop (is its libuv event library, "
				 "libwebsockets-evlib-uv, installed?)");
	uv_timer_init(c->loop, &c->keepalive);
	uv_timer_init(c->loop, &c->notify);
	c->handles = 2;
	c->started = 1;
	return 0;
}

int
ws_client_connect(struct ws_client *c, char **cause)
{
	struct addrinfo hints;
	char port[8];
	int rc;

	if (c->dead)
		return set_cause(cause, "websocket client is shutting down");
	if (c->state != WS_IDLE)
		return set_cause(cause, "websocket client is already "
					"connected or connecting");
	if (!c->started && ws_start(c, cause) != 0)
		return -1;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	/* a literal needs no lookup, nor a configured address family */
	if (ws_is_literal(c->url.host))
		hints.ai_flags = AI_NUMERICHOST;
	else
		hints.ai_flags = AI_ADDRCONFIG;
	snprintf(port, sizeof port, "%d", c->url.port);
	rc = uv_getaddrinfo(c->loop, &c->resolver, ws_resolved, c->url.host,
			    port, &hints);
	if (rc != 0)
		return set_cause(cause, "cannot resolve '%s': %s", c->url.host,
				 uv_strerror(rc));
	free(c->reason);
	c->reason = NULL;
	free(c->close_text);
	c->close_text = NULL;
	c->close_code = 0;
	c->http_status = 0;
	c->abandon = 0;
	c->kill = 0;
	c->close_out = 0;
	c->close_out_text = NULL;
	c->close_sent = 0;
	c->resolving = 1;
	c->state = WS_RESOLVING;
	log_debug("connecting to %s%s:%d", c->url.tls ? "wss://" : "ws://",
		  c->url.host, c->url.port);
	return 0;
}

/* The resolver is done: connect to the first address, or give up. */
static void
ws_resolved(uv_getaddrinfo_t *req, int status, struct addrinfo *res)
{
	struct ws_client *c = WS_FROM(req, resolver);

	c->resolving = 0;
	if (c->dead) {
		uv_freeaddrinfo(res);
		return; /* ws_stop_tick is waiting for this */
	}
	if (c->abandon || status == UV_ECANCELED)
		ws_end(c, "closed by client");
	else if (status != 0) {
		ws_set_reason(c, "cannot resolve '%s': %s", c->url.host,
			      uv_strerror(status));
		ws_end(c, "cannot resolve");
	} else {
		ws_keep_addresses(c, res);
		if (c->naddrs == 0)
			ws_end(c, "host has no address");
		else
			ws_connect_next(c);
	}
	uv_freeaddrinfo(res);
}

/* Keep the first WS_ADDRS_MAX addresses of res, numeric, in order. */
static void
ws_keep_addresses(struct ws_client *c, const struct addrinfo *res)
{
	const struct addrinfo *ai;
	int rc;

	c->naddrs = c->next_addr = 0;
	for (ai = res; ai != NULL && c->naddrs < WS_ADDRS_MAX;
	     ai = ai->ai_next) {
		if (ai->ai_family == AF_INET6)
			rc = uv_ip6_name(
			    (const struct sockaddr_in6 *)ai->ai_addr,
			    c->addrs[c->naddrs], sizeof c->addrs[0]);
		else if (ai->ai_family == AF_INET)
			rc = uv_ip4_name(
			    (const struct sockaddr_in *)ai->ai_addr,
			    c->addrs[c->naddrs], sizeof c->addrs[0]);
		else
			continue;
		if (rc == 0)
			c->naddrs++;
	}
}

/*
 * Hand the next resolved address to lws; the connection proceeds on the
 * loop. A connect error while addresses remain comes back here (through
 * the keep-alive timer) for the next one.
 */
static void
ws_connect_next(struct ws_client *c)
{
	struct lws_client_connect_info ci;
	const char *addr = c->addrs[c->next_addr++];
	char *host;
	int default_port;

	/* RFC 7230: the port goes into Host only when it is not default */
	default_port = c->url.port == (c->url.tls ? 443 : 80);
	if (strchr(c->url.host, ':') != NULL)
		host = default_port
			   ? xasprintf("[%s]", c->url.host)
			   : xasprintf("[%s]:%d", c->url.host, c->url.port);
	else
		host = default_port
			   ? xstrdup(c->url.host)
			   : xasprintf("%s:%d", c->url.host, c->url.port);

	memset(&ci, 0, sizeof ci);
	ci.context = c->context;
	ci.address = addr;
	ci.port = c->url.port;
	ci.path = c->url.path;
	ci.host = host;
	ci.origin = NULL; /* a bot has no origin; servers accept none */
	ci.protocol = NULL;
	ci.local_protocol_name = c->protocols[0].name;
	ci.ietf_version_or_minus_one = -1;
	ci.pwsi = &c->wsi;
	if (c->url.tls) {
		ci.ssl_connection = LCCSCF_USE_SSL;
		if (c->insecure)
			ci.ssl_connection |=
			    LCCSCF_ALLOW_SELFSIGNED |
			    LCCSCF_SKIP_SERVER_CERT_HOSTNAME_CHECK |
			    LCCSCF_ALLOW_EXPIRED | LCCSCF_ALLOW_INSECURE;
	}

	c->state = WS_CONNECTING;
	/*
	 * lws may report CONNECTION_ERROR from inside this call (ws_end
	 * then has run), and may return NULL with or without doing so.
	 */
	if (lws_client_connect_via_info(&ci) == NULL &&
	    c->state == WS_CONNECTING) {
		c->wsi = NULL;
		if (c->next_addr < c->naddrs)
			uv_timer_start(&c->keepalive, ws_keepalive_tick, 0, 0);
		else
			ws_end(c, "cannot start the connection");
	}
	free(host);
}

/* Keep the first reason given for the end of this connection. */
static void
ws_set_reason(struct ws_client *c, const char *fmt, ...)
{
	va_list ap;

	if (c->reason != NULL)
		return;
	va_start(ap, fmt);
	c->reason = xvasprintf(fmt, ap);
	va_end(ap);
}

/*
 * The connection is over (or never was): forget it and schedule closed().
 * Only the first call per connection counts.
 */
static void
ws_end(struct ws_client *c, const char *reason)
{
	if (c->state == WS_IDLE || c->state == WS_ENDED)
		return;
	ws_set_reason(c, "%s", reason);
	c->state = WS_ENDED;
	c->wsi = NULL;
	ws_queue_clear(c);
	buf_reset(&c->rx);
	c->rx_binary = 0;
	c->ping_due = c->ping_sent = 0;
	if (c->dead)
		return; /* the timers are closing */
	uv_timer_stop(&c->keepalive);
	log_info("websocket to %s closed: %s", c->url.host, c->reason);
	uv_timer_start(&c->notify, ws_notify_tick, 0, 0);
}

/* Drop the send queue. */
static void
ws_queue_clear(struct ws_client *c)
{
	struct ws_msg *m;

	while ((m = c->head) != NULL) {
		c->head = m->next;
		free(m);
	}
	c->tail = NULL;
	c->queued = c->queued_bytes = 0;
}

/* Report the end of the connection from a fresh loop iteration. */
static void
ws_notify_tick(uv_timer_t *t)
{
	struct ws_client *c = WS_FROM(t, notify);
	char *reason;

	if (c->dead || c->state != WS_ENDED)
		return;
	reason = c->reason;
	c->reason = NULL;
	c->state = WS_IDLE;
	c->cb.closed(c->cb.arg, reason != NULL ? reason : "closed");
	free(reason);
}

int
ws_client_send(struct ws_client *c, const char *text, size_t len, char **cause)
{
	struct ws_msg *m;

	if (c->dead || c->state != WS_OPEN || c->wsi == NULL)
		return set_cause(cause, "websocket is not open");
	if (c->queued >= WS_QUEUE_MAX_MESSAGES ||
	    len > WS_QUEUE_MAX_BYTES - c->queued_bytes)
		return set_cause(cause,
				 "websocket send queue is full (%zu messages, "
				 "%zu bytes)",
				 c->queued, c->queued_bytes);
	m = xmalloc(sizeof *m + LWS_PRE + len);
	m->next = NULL;
	m->len = len;
	if (len > 0)
		memcpy(m->data + LWS_PRE, text, len);
	if (c->tail != NULL)
		c->tail->next = m;
	else
		c->head = m;
	c->tail = m;
	c->queued++;
	c->queued_bytes += len;
	lws_callback_on_writable(c->wsi);
	return 0;
}

int
ws_client_is_open(const struct ws_client *c)
{
	return !c->dead && c->state == WS_OPEN;
}

int
ws_client_http_status(const struct ws_client *c)
{
	return c->http_status;
}

void
ws_client_disconnect(struct ws_client *c)
{
	if (c->dead)
		return;
	switch (c->state) {
	case WS_RESOLVING:
		/* ws_resolved() ends it, canceled or not */
		c->abandon = 1;
		uv_cancel((uv_req_t *)&c->resolver);
		break;
	case WS_CONNECTING:
		ws_kill(c, "closed by client");
		break;
	case WS_OPEN:
		ws_close_polite(c, LWS_CLOSE_STATUS_NORMAL, "bye",
				"closed by client");
		break;
	default:
		break;
	}
}

/*
 * Drop the connection without a close handshake, from the keep-alive
 * timer: lws 4.1 on libuv does not act on a zero timeout set outside its
 * service (LWS_TO_KILL_ASYNC), and a synchronous kill must not happen
 * inside one of its callbacks, which the caller may be in.
 */
static void
ws_kill(struct ws_client *c, const char *reason)
{
	ws_set_reason(c, "%s", reason);
	if (c->state == WS_CONNECTING || c->state == WS_OPEN)
		c->state = WS_CLOSING;
	c->kill = 1;
	if (!c->dead)
		uv_timer_start(&c->keepalive, ws_keepalive_tick, 0, 0);
}

/*
 * Start the close handshake: ws_writeable() sends a close frame with code
 * and text, and the server's answer ends the connection. lws 4.1 on
 * libuv drops the connection without sending its close frame when a
 * callback returns -1 after lws_close_reason() (its close path runs twice,
 * "uv repeat"), so the frame is written with lws_write() and lws's own
 * write type for close frames (WS_LWS_WRITE_CLOSE). If the server does
 * not answer within WS_CLOSE_GUARD_MS, the connection is killed. reason
 * NULL: the caller has set it.
 */
static void
ws_close_polite(struct ws_client *c, int code, const char *text,
		const char *reason)
{
	if (reason != NULL)
		ws_set_reason(c, "%s", reason);
	c->state = WS_CLOSING;
	c->close_out = code;
	c->close_out_text = text;
	if (c->wsi != NULL)
		lws_callback_on_writable(c->wsi);
	if (!c->dead)
		uv_timer_start(&c->keepalive, ws_keepalive_tick,
			       WS_CLOSE_GUARD_MS, 0);
}

/* (Re)start the keep-alive timer for the next thing due. */
static void
ws_keepalive_arm(struct ws_client *c)
{
	uint64_t now = uv_now(c->loop), due;

	if (c->ping_ms == 0 || c->dead)
		return;
	due = c->last_rx + c->ping_ms;
	if (c->ping_sent)
		due += c->pong_ms;
	uv_timer_start(&c->keepalive, ws_keepalive_tick,
		       due > now ? due - now : 0, 0);
}

static void
ws_keepalive_tick(uv_timer_t *t)
{
	struct ws_client *c = WS_FROM(t, keepalive);
	uint64_t idle = uv_now(c->loop) - c->last_rx;

	if (c->dead)
		return;
	if (c->state == WS_CONNECTING && c->wsi == NULL) {
		ws_connect_next(c); /* the previous address failed */
		return;
	}
	if (c->state == WS_CLOSING && c->wsi == NULL) {
		ws_end(c, "closed by client"); /* between two addresses */
		return;
	}
	if (c->wsi == NULL)
		return;
	if (c->state == WS_CLOSING) {
		/* a kill, or a close the server did not answer in time */
		if (!c->kill)
			ws_set_reason(c, "close handshake timed out");
		lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK,
				LWS_TO_KILL_SYNC);
		return;
	}
	if (c->state != WS_OPEN)
		return;
	if (idle >= c->ping_ms + c->pong_ms) {
		log_warn("websocket to %s: nothing received for %llu ms",
			 c->url.host, (unsigned long long)idle);
		ws_kill(c, "ping timeout");
		return;
	}
	if (idle >= c->ping_ms && !c->ping_sent) {
		c->ping_sent = 1;
		c->ping_due = 1;
		lws_callback_on_writable(c->wsi);
	}
	ws_keepalive_arm(c);
}

static int
ws_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
	    void *in, size_t len)
{
	struct ws_client *c;
	const char *a;
	size_t alen;

	if (wsi == NULL)
		return 0;
	c = lws_context_user(lws_get_context(wsi));
	/*
	 * Only the live connection matters: a late callback for one that
	 * ws_end() already let go must not end its successor. (lws sets
	 * c->wsi through ci.pwsi before it can call back.)
	 */
	if (c == NULL || wsi != c->wsi)
		return lws_callback_http_dummy(wsi, reason, user, in, len);

	switch (reason) {
	case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
		if (c->authorization == NULL)
			return 0;
		a = c->authorization;
		alen = strlen(a);
		if (lws_add_http_header_by_token(
			wsi, WSI_TOKEN_HTTP_AUTHORIZATION,
			(const unsigned char *)a, (int)alen,
			(unsigned char **)in,
			*(unsigned char **)in + len) != 0) {
			ws_set_reason(c, "authorization header does not fit");
			return -1;
		}
		return 0;
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		if (c->state != WS_CONNECTING)
			return -1;
		c->state = WS_OPEN;
		c->last_rx = uv_now(c->loop);
		c->ping_sent = c->ping_due = 0;
		ws_keepalive_arm(c);
		log_info("websocket to %s open", c->url.host);
		if (!c->dead)
			c->cb.open(c->cb.arg);
		return 0;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		c->last_rx = uv_now(c->loop);
		c->ping_sent = 0;
		if (c->state != WS_OPEN)
			return 0; /* closing: ignore what still arrives */
		return ws_receive(c, wsi, in, len);
	case LWS_CALLBACK_CLIENT_RECEIVE_PONG:
		c->last_rx = uv_now(c->loop);
		c->ping_sent = 0;
		return 0;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		return ws_writeable(c, wsi);
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		ws_peer_close(c, in, len);
		return 0; /* lws answers the close */
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		if (c->state == WS_CONNECTING) {
			unsigned int status =
			    lws_http_client_http_response(wsi);

			if (status == 0 && c->next_addr < c->naddrs) {
				log_debug("cannot connect to %s: %.*s; trying "
					  "its next address",
					  c->url.host, WS_REASON_MAX,
					  in != NULL ? (const char *)in : "");
				/* its later callbacks are ignored */
				c->wsi = NULL;
				uv_timer_start(&c->keepalive, ws_keepalive_tick,
					       0, 0);
				return 0;
			}

			if (status != 0 && status != 101) {
				c->http_status = (int)status;
				ws_set_reason(c,
					      "server refused the upgrade "
					      "(http %u)",
					      status);
			} else
				ws_set_reason(
				    c, "cannot connect: %.*s", WS_REASON_MAX,
				    in != NULL ? (const char *)in : "unknown");
		}
		ws_end(c, "cannot connect");
		return 0;
	case LWS_CALLBACK_CLIENT_CLOSED:
		if (c->close_code != 0)
			ws_set_reason(
			    c, "closed by server (code %d%s%s)", c->close_code,
			    c->close_text != NULL ? ": " : "",
			    c->close_text != NULL ? c->close_text : "");
		ws_end(c, "connection lost");
		return 0;
	case LWS_CALLBACK_WSI_DESTROY:
		/* normally ended already; else lws dropped it without a word */
		ws_end(c, "connection lost");
		return 0;
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

/* A fragment of a message has arrived. */
static int
ws_receive(struct ws_client *c, struct lws *wsi, const char *in, size_t len)
{
	const char *data;

	if (lws_is_first_fragment(wsi)) {
		buf_reset(&c->rx);
		c->rx_binary = lws_frame_is_binary(wsi);
	}
	if (c->rx_binary) {
		if (lws_is_final_fragment(wsi))
			log_debug("binary websocket message dropped");
		return 0;
	}
	if (buf_add(&c->rx, in, len) != 0) {
		log_warn("websocket message from %s over %zu bytes",
			 c->url.host, c->max_message);
		ws_set_reason(c, "message over %zu bytes", c->max_message);
		ws_close_polite(c, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE,
				"message too big", NULL);
		buf_reset(&c->rx);
		return 0;
	}
	if (!lws_is_final_fragment(wsi))
		return 0;

	data = buf_str(&c->rx);
	if (!utf8_valid(data, c->rx.len)) {
		log_warn("websocket message from %s is not valid utf-8",
			 c->url.host);
		ws_close_polite(c, LWS_CLOSE_STATUS_INVALID_PAYLOAD,
				"invalid utf-8", "message is not valid utf-8");
		buf_reset(&c->rx);
		return 0;
	}
	if (!c->dead)
		c->cb.message(c->cb.arg, data, c->rx.len);
	buf_reset(&c->rx);
	return 0;
}

/* Write one thing: the polite close, a ping or the next message. */
static int
ws_writeable(struct ws_client *c, struct lws *wsi)
{
	unsigned char frame[LWS_PRE + 2 + WS_CLOSE_TEXT_MAX];
	struct ws_msg *m;
	size_t tlen;
	int n;

	if (c->state == WS_CLOSING) {
		if (c->close_out == 0 || c->close_sent)
			return 0;
		c->close_sent = 1;
		tlen = strlen(c->close_out_text);
		if (tlen > WS_CLOSE_TEXT_MAX)
			BUG("close text too long");
		frame[LWS_PRE] = (unsigned char)(c->close_out >> 8);
		frame[LWS_PRE + 1] = (unsigned char)(c->close_out & 0xff);
		memcpy(frame + LWS_PRE + 2, c->close_out_text, tlen);
		if (lws_write(wsi, frame + LWS_PRE, 2 + tlen,
			      (enum lws_write_protocol)WS_LWS_WRITE_CLOSE) < 0)
			return -1;
		return 0;
	}
	if (c->state != WS_OPEN)
		return 0;
	if (c->ping_due) {
		c->ping_due = 0;
		if (lws_write(wsi, frame + LWS_PRE, 0, LWS_WRITE_PING) < 0) {
			ws_set_reason(c, "cannot send a ping");
			return -1;
		}
	} else if ((m = c->head) != NULL) {
		c->head = m->next;
		if (c->head == NULL)
			c->tail = NULL;
		c->queued--;
		c->queued_bytes -= m->len;
		n = lws_write(wsi, m->data + LWS_PRE, m->len, LWS_WRITE_TEXT);
		free(m);
		if (n < 0) {
			ws_set_reason(c, "cannot send a message");
			return -1;
		}
	}
	if (c->head != NULL || c->ping_due)
		lws_callback_on_writable(wsi);
	return 0;
}

/* The server started the close handshake: keep its code and reason. */
static void
ws_peer_close(struct ws_client *c, const unsigned char *in, size_t len)
{
	size_t i, n;

	if (len < 2 || in == NULL) {
		c->close_code = 1005; /* no status received */
		return;
	}
	c->close_code = (in[0] << 8) | in[1];
	n = len - 2;
	if (n == 0)
		return;
	if (n > WS_REASON_MAX)
		n = WS_REASON_MAX;
	free(c->close_text);
	c->close_text = xstrndup((const char *)in + 2, n);
	/* it ends up in logs: keep it printable */
	for (i = 0; c->close_text[i] != '\0'; i++)
		if ((unsigned char)c->close_text[i] < 0x20 ||
		    (unsigned char)c->close_text[i] >= 0x7f)
			c->close_text[i] = '?';
}

void
ws_client_close(struct ws_client *c, void (*done)(void *), void *arg)
{
	if (c->dead)
		BUG("ws_client_close called twice");
	c->dead = 1;
	c->done = done;
	c->done_arg = arg;
	c->stop_started = uv_now(c->loop);
	uv_timer_init(c->loop, &c->stop_timer);
	uv_timer_start(&c->stop_timer, ws_stop_tick, 0, WS_STOP_POLL_MS);
}

/* Count handles, other than our stop timer, whose close is still due. */
static void
ws_count_closing(uv_handle_t *h, void *arg)
{
	struct ws_client *c = arg;

	if (h != (uv_handle_t *)&c->stop_timer && uv_is_closing(h))
		c->stop_closing++;
}

static void
ws_handle_closed(uv_handle_t *h)
{
	struct ws_client *c = h->data;

	c->handles--;
}

/* Drive the teardown to its end; see the comment at the top. */
static void
ws_stop_tick(uv_timer_t *t)
{
	struct ws_client *c = WS_FROM(t, stop_timer);

	if (!c->stop_first) {
		c->stop_first = 1;
		if (c->resolving)
			uv_cancel((uv_req_t *)&c->resolver);
		if (c->started) {
			c->keepalive.data = c;
			c->notify.data = c;
			uv_timer_stop(&c->keepalive);
			uv_timer_stop(&c->notify);
			uv_close((uv_handle_t *)&c->keepalive,
				 ws_handle_closed);
			uv_close((uv_handle_t *)&c->notify, ws_handle_closed);
		}
		if (c->context != NULL)
			lws_context_destroy(c->context);
		return;
	}
	if (c->context != NULL) {
		c->stop_closing = 0;
		uv_walk(c->loop, ws_count_closing, c);
		if (c->stop_closing == 0)
			lws_context_destroy(c->context);
	}
	if (c->context != NULL || c->resolving || c->handles > 0) {
		if (!c->stop_warned &&
		    uv_now(c->loop) - c->stop_started > WS_STOP_WARN_MS) {
			log_warn("websocket client is slow to shut down");
			c->stop_warned = 1;
		}
		return;
	}
	uv_timer_stop(t);
	uv_close((uv_handle_t *)t, ws_stop_closed);
}

/* Our last handle is closed: the client is inert; report. */
static void
ws_stop_closed(uv_handle_t *h)
{
	struct ws_client *c = WS_FROM(h, stop_timer);

	c->finished = 1;
	c->wsi = NULL;
	if (c->done != NULL)
		c->done(c->done_arg);
}

void
ws_client_free(struct ws_client *c)
{
	if (c == NULL)
		return;
	if (c->started && !c->finished)
		BUG("ws_client_free before ws_client_close finished");
	if (c->dead && !c->finished)
		BUG("ws_client_free while ws_client_close runs");
	ws_queue_clear(c);
	buf_release(&c->rx);
	ws_url_release(&c->url);
	free(c->authorization);
	free(c->ca_file);
	free(c->reason);
	free(c->close_text);
	free(c);
}
