/* SPDX-License-Identifier: MIT */
/*
 * test-ws.c: the WebSocket client against servers in the same process.
 *
 * Each test runs one libuv loop holding the client under test and a
 * server on 127.0.0.1 with a kernel-picked port: either an lws WebSocket
 * server (a foreign-loop context, like listen.c's) whose behaviour is
 * driven by the messages the client sends ("echo:x", "frag", "big",
 * "close", "bin", "badutf8"), or a raw uv TCP server that completes the
 * handshake and then never says anything (lws servers answer pings by
 * themselves, so ping timeouts need this one). A 5 s guard timer stops a
 * test that hangs; the test then fails. Every test ends by closing the
 * client and the server and running the loop dry, so valgrind sees a
 * clean exit.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libwebsockets.h>
#include <uv.h>

#include "lihui/buf.h"
#include "lihui/ws.h"
#include "lihui/xmalloc.h"

#define GUARD_MS    10000 /* valgrind and TLS are slow */
#define MAX_SEEN    16
#define MAX_OUT	    8
#define MAX_MESSAGE 1000
#define LONG_LEN    100000 /* one frame, many reads */
#define TEST_AUTH   "Bearer s3cret-token"

/*
 * lws 4.1's TLS *server* (the test's, not the client under test) never
 * frees its vhost's SSL_CTX, and valgrind and LeakSanitizer rightly report
 * that. So the wss tests run only when LIHUI_TEST_WSS=1 is set, for a
 * check without leak detection (they pass; the client's own TLS state is
 * freed, which was checked with a plain-TCP server).
 */
#define TEST_WSS_ENV "LIHUI_TEST_WSS"

/*
 * A self-signed test certificate for localhost and 127.0.0.1, valid from
 * 2000 to 2100 (made with openssl ca -selfsign), and its P-256 key.
 */
static const char test_cert[] =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIBZzCCAQ2gAwIBAgIBATAKBggqhkjOPQQDAjAUMRIwEAYDVQQDDAlsb2NhbGhv\n"
    "c3QwIBcNMDAwMTAxMDAwMDAwWhgPMjEwMDAxMDEwMDAwMDBaMBQxEjAQBgNVBAMM\n"
    "CWxvY2FsaG9zdDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABKl2mmLoZTSTOD8f\n"
    "vcFwioooC7WWE/bmQRtV08pLE2B/f/IVeKbquhhfmHuyWkFDijSk7Vo7LvHW5c28\n"
    "E2h1DWKjTjBMMBoGA1UdEQQTMBGCCWxvY2FsaG9zdIcEfwAAATAPBgNVHRMBAf8E\n"
    "BTADAQH/MB0GA1UdDgQWBBRb7Xdm7RoaXTZXHwvUURm3hJ9ahjAKBggqhkjOPQQD\n"
    "AgNIADBFAiBRlqLZgWldmX+neb24Z4ywpz44otrgElKNDP0N5gQnyAIhAJZtixEl\n"
    "7+GaDZ54+qSqaxncFGJv3jMRxzrLdkQcmQr1\n"
    "-----END CERTIFICATE-----\n";
static const char test_key[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgdIGJNyZYSo+WB+a0\n"
    "t7qEiEcV/KaebNHn24UbgPmlP1mhRANCAASpdppi6GU0kzg/H73BcIqKKAu1lhP2\n"
    "5kEbVdPKSxNgf3/yFXim6roYX5h7slpBQ4o0pO1aOy7x1uXNvBNodQ1i\n"
    "-----END PRIVATE KEY-----\n";

enum raw_mode {
	RAW_SILENT, /* complete the handshake, then ignore everything */
	RAW_MUTE,   /* never answer the handshake */
	RAW_REJECT, /* answer the handshake with 401 */
};

struct fixture;

/* What the test does when the client reports something. */
struct script {
	void (*open)(struct fixture *fx);
	void (*message)(struct fixture *fx, const char *data, size_t len);
	void (*closed)(struct fixture *fx, const char *reason);
};

/* One frame the lws server will write. */
struct out {
	char *data;
	size_t len;
	int flags; /* enum lws_write_protocol */
};

/* Per-connection state of the lws server. */
struct srv_session {
	struct out out[MAX_OUT];
	size_t nout;
	int close_code; /* > 0: close with it once out is empty */
	int close_sent;
};

/* A connection to the raw server. */
struct raw_conn {
	uv_tcp_t tcp;
	struct fixture *fx;
	struct buf in;
	int answered;
	uv_write_t wr;
	char *reply;
	char space[4096];
};

struct fixture {
	uv_loop_t loop;
	uv_timer_t guard;
	int timed_out;

	/* lws server */
	struct lws_context *srv;
	struct lws_protocols srv_protocols[2];
	uv_timer_t srv_timer;
	int srv_stopping;
	int port;
	int refuse;	   /* refuse the upgrade */
	int tls;	   /* serve wss with test_cert */
	const char *iface; /* NULL: 127.0.0.1 */
	char *seen_auth;
	int srv_sessions;
	int peer_close_code; /* what the client's close frame said */

	/* raw server */
	uv_tcp_t raw;
	int raw_on;
	enum raw_mode raw_mode;
	struct raw_conn *raw_conn;
	int raw_accepted;

	/* client */
	struct ws_client *c;
	struct ws_options opt;
	char url[128];
	const struct script *script;
	int opens, closes, done;
	char *reason;
	char *seen[MAX_SEEN];
	size_t nseen;
	int stage;
	uint64_t t0, t_closed;
	int finishing;
	uv_timer_t aux; /* a test's own timer */
};

static void guard_fired(uv_timer_t *t);
static int srv_callback(struct lws *wsi, enum lws_callback_reasons reason,
			void *user, void *in, size_t len);
static void srv_push(struct srv_session *s, const char *data, size_t len,
		     int flags);
static void srv_start(struct fixture *fx);
static void srv_stop(struct fixture *fx);
static void srv_stop_tick(uv_timer_t *t);
static void srv_count_closing(uv_handle_t *h, void *arg);
static const char *find_header(const char *req, const char *name);
static void raw_start(struct fixture *fx, enum raw_mode mode);
static void raw_accept(uv_stream_t *server, int status);
static void raw_alloc(uv_handle_t *h, size_t size, uv_buf_t *b);
static void raw_read(uv_stream_t *s, ssize_t n, const uv_buf_t *b);
static void raw_written(uv_write_t *w, int status);
static void raw_conn_closed(uv_handle_t *h);
static void mute_timer_fired(uv_timer_t *t);
static void on_open(void *arg);
static void on_message(void *arg, const char *data, size_t len);
static void on_closed(void *arg, const char *reason);
static void on_done(void *arg);
static void fx_init(struct fixture *fx, const struct script *script);
static void fx_client(struct fixture *fx);
static void fx_run(struct fixture *fx);
static void fx_finish(struct fixture *fx);
static void fx_free(struct fixture *fx);
static int free_port(void);
static int wss_enabled(void);

/* ---- the lws server ---- */

static void
srv_push(struct srv_session *s, const char *data, size_t len, int flags)
{
	struct out *o;

	assert_true(s->nout < MAX_OUT);
	o = &s->out[s->nout++];
	o->data = xmalloc(LWS_PRE + len + 1);
	memcpy(o->data + LWS_PRE, data, len);
	o->len = len;
	o->flags = flags;
}

static int
srv_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
	     void *in, size_t len)
{
	struct srv_session *s = user;
	struct fixture *fx;
	char *big;
	size_t i;
	int n;

	switch (reason) {
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
		fx = lws_context_user(lws_get_context(wsi));
		n = lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_AUTHORIZATION);
		free(fx->seen_auth);
		fx->seen_auth = NULL;
		if (n > 0) {
			fx->seen_auth = xmalloc((size_t)n + 1);
			lws_hdr_copy(wsi, fx->seen_auth, n + 1,
				     WSI_TOKEN_HTTP_AUTHORIZATION);
		}
		return fx->refuse ? 1 : 0;
	case LWS_CALLBACK_ESTABLISHED:
		fx = lws_context_user(lws_get_context(wsi));
		fx->srv_sessions++;
		memset(s, 0, sizeof *s);
		return 0;
	case LWS_CALLBACK_RECEIVE:
		if (len >= 5 && memcmp(in, "echo:", 5) == 0)
			srv_push(s, (char *)in + 5, len - 5, LWS_WRITE_TEXT);
		else if (len == 4 && memcmp(in, "frag", 4) == 0) {
			srv_push(s, "hel", 3,
				 LWS_WRITE_TEXT | LWS_WRITE_NO_FIN);
			srv_push(s, "lo ", 3,
				 LWS_WRITE_CONTINUATION | LWS_WRITE_NO_FIN);
			srv_push(s, "wörld", 6, LWS_WRITE_CONTINUATION);
		} else if (len == 3 && memcmp(in, "big", 3) == 0) {
			/* two fragments, together one byte too many */
			big = xmalloc(MAX_MESSAGE + 1);
			memset(big, 'x', MAX_MESSAGE + 1);
			srv_push(s, big, 600,
				 LWS_WRITE_TEXT | LWS_WRITE_NO_FIN);
			srv_push(s, big, MAX_MESSAGE + 1 - 600,
				 LWS_WRITE_CONTINUATION);
			free(big);
		} else if (len == 4 && memcmp(in, "long", 4) == 0) {
			big = xmalloc(LONG_LEN);
			memset(big, 'y', LONG_LEN);
			srv_push(s, big, LONG_LEN, LWS_WRITE_TEXT);
			free(big);
		} else if (len == 3 && memcmp(in, "bin", 3) == 0) {
			srv_push(s, "\x01\x02", 2, LWS_WRITE_BINARY);
			srv_push(s, "after", 5, LWS_WRITE_TEXT);
		} else if (len == 7 && memcmp(in, "badutf8", 7) == 0)
			srv_push(s, "a\xff", 2, LWS_WRITE_TEXT);
		else if (len == 5 && memcmp(in, "close", 5) == 0)
			s->close_code = 4001;
		lws_callback_on_writable(wsi);
		return 0;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		if (s->nout > 0) {
			n = lws_write(wsi,
				      (unsigned char *)s->out[0].data + LWS_PRE,
				      s->out[0].len,
				      (enum lws_write_protocol)s->out[0].flags);
			free(s->out[0].data);
			for (i = 1; i < s->nout; i++)
				s->out[i - 1] = s->out[i];
			s->nout--;
			if (n < 0)
				return -1;
			lws_callback_on_writable(wsi);
			return 0;
		}
		if (s->close_code > 0 && !s->close_sent) {
			/* as ws.c explains, lws 4.1 on libuv needs this */
			unsigned char f[LWS_PRE + 9];

			f[LWS_PRE] = (unsigned char)(s->close_code >> 8);
			f[LWS_PRE + 1] = (unsigned char)(s->close_code & 0xff);
			memcpy(f + LWS_PRE + 2, "go away", 7);
			s->close_sent = 1;
			if (lws_write(wsi, f + LWS_PRE, 9,
				      (enum lws_write_protocol)4) < 0)
				return -1;
		}
		return 0;
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		fx = lws_context_user(lws_get_context(wsi));
		if (len >= 2)
			fx->peer_close_code = (((unsigned char *)in)[0] << 8) |
					      ((unsigned char *)in)[1];
		return 0;
	case LWS_CALLBACK_CLOSED:
		for (i = 0; i < s->nout; i++)
			free(s->out[i].data);
		s->nout = 0;
		return 0;
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static void
srv_start(struct fixture *fx)
{
	struct lws_context_creation_info info;
	struct lws_vhost *vh;
	void *loops[1];

	fx->srv_protocols[0].name = "test";
	fx->srv_protocols[0].callback = srv_callback;
	fx->srv_protocols[0].per_session_data_size = sizeof(struct srv_session);
	fx->srv_protocols[0].rx_buffer_size = 4096;

	memset(&info, 0, sizeof info);
	loops[0] = &fx->loop;
	info.options = LWS_SERVER_OPTION_LIBUV |
		       LWS_SERVER_OPTION_EXPLICIT_VHOSTS |
		       LWS_SERVER_OPTION_DISABLE_IPV6;
	if (fx->tls)
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	info.foreign_loops = loops;
	info.pcontext = &fx->srv;
	info.user = fx;
	fx->srv = lws_create_context(&info);
	assert_non_null(fx->srv);

	info.port = 0;
	info.iface = fx->iface != NULL ? fx->iface : "127.0.0.1";
	info.protocols = fx->srv_protocols;
	info.vhost_name = "test";
	if (fx->tls) {
		info.server_ssl_cert_mem = test_cert;
		info.server_ssl_cert_mem_len = sizeof test_cert - 1;
		info.server_ssl_private_key_mem = test_key;
		info.server_ssl_private_key_mem_len = sizeof test_key - 1;
	}
	vh = lws_create_vhost(fx->srv, &info);
	assert_non_null(vh);
	fx->port = lws_get_vhost_listen_port(vh);
	assert_true(fx->port > 0);
}

static void
srv_count_closing(uv_handle_t *h, void *arg)
{
	struct fixture *fx = arg;

	if (h != (uv_handle_t *)&fx->srv_timer && uv_is_closing(h))
		fx->srv_stopping++;
}

/* The two-step lws 4.1 foreign-loop destroy; see listen.c. */
static void
srv_stop_tick(uv_timer_t *t)
{
	struct fixture *fx =
	    (struct fixture *)((char *)t - offsetof(struct fixture, srv_timer));

	if (fx->srv != NULL) {
		fx->srv_stopping = 0;
		uv_walk(&fx->loop, srv_count_closing, fx);
		if (fx->srv_stopping == 0)
			lws_context_destroy(fx->srv);
	}
	if (fx->srv != NULL)
		return;
	uv_timer_stop(t);
	uv_close((uv_handle_t *)t, NULL);
}

static void
srv_stop(struct fixture *fx)
{
	if (fx->srv != NULL) {
		lws_context_destroy(fx->srv);
		uv_timer_init(&fx->loop, &fx->srv_timer);
		uv_timer_start(&fx->srv_timer, srv_stop_tick, 0, 1);
	}
	if (fx->raw_on) {
		if (fx->raw_conn != NULL)
			uv_close((uv_handle_t *)&fx->raw_conn->tcp,
				 raw_conn_closed);
		fx->raw_conn = NULL;
		uv_close((uv_handle_t *)&fx->raw, NULL);
		fx->raw_on = 0;
	}
}

/* ---- the raw server ---- */

static void
raw_start(struct fixture *fx, enum raw_mode mode)
{
	struct sockaddr_in sin;
	struct sockaddr_storage ss;
	int namelen = sizeof ss;

	fx->raw_mode = mode;
	assert_int_equal(uv_tcp_init(&fx->loop, &fx->raw), 0);
	fx->raw.data = fx;
	fx->raw_on = 1;
	assert_int_equal(uv_ip4_addr("127.0.0.1", 0, &sin), 0);
	assert_int_equal(uv_tcp_bind(&fx->raw, (struct sockaddr *)&sin, 0), 0);
	assert_int_equal(uv_listen((uv_stream_t *)&fx->raw, 4, raw_accept), 0);
	assert_int_equal(
	    uv_tcp_getsockname(&fx->raw, (struct sockaddr *)&ss, &namelen), 0);
	fx->port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

static void
raw_accept(uv_stream_t *server, int status)
{
	struct fixture *fx = server->data;
	struct raw_conn *rc;

	if (status != 0 || fx->raw_conn != NULL)
		return;
	rc = xcalloc(1, sizeof *rc);
	rc->fx = fx;
	buf_init(&rc->in, 8192);
	uv_tcp_init(&fx->loop, &rc->tcp);
	rc->tcp.data = rc;
	if (uv_accept(server, (uv_stream_t *)&rc->tcp) != 0) {
		uv_close((uv_handle_t *)&rc->tcp, raw_conn_closed);
		return;
	}
	fx->raw_conn = rc;
	fx->raw_accepted++;
	uv_read_start((uv_stream_t *)&rc->tcp, raw_alloc, raw_read);
}

static void
raw_alloc(uv_handle_t *h, size_t size, uv_buf_t *b)
{
	struct raw_conn *rc = h->data;

	(void)size;
	b->base = rc->space;
	b->len = sizeof rc->space;
}

/* The value of header name (with its colon) in req, or NULL. */
static const char *
find_header(const char *req, const char *name)
{
	const char *p = req;
	size_t n = strlen(name);

	while ((p = strstr(p, "\r\n")) != NULL) {
		p += 2;
		if (strncasecmp(p, name, n) == 0)
			return p + n;
	}
	return NULL;
}

/* Answer the upgrade once the request is in; then ignore all input. */
static void
raw_read(uv_stream_t *s, ssize_t n, const uv_buf_t *b)
{
	static const char guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
	struct raw_conn *rc = s->data;
	const char *req, *key, *end;
	char joined[128], accept[64];
	unsigned char sha[20];
	uv_buf_t out;
	int klen;

	if (n <= 0 || rc->answered)
		return;
	if (buf_add(&rc->in, b->base, (size_t)n) != 0)
		return;
	req = buf_str(&rc->in);
	if (strstr(req, "\r\n\r\n") == NULL)
		return;
	if (rc->fx->raw_mode == RAW_MUTE) {
		/* the client waits for an answer now: act in a moment */
		rc->answered = 1;
		uv_timer_start(&rc->fx->aux, mute_timer_fired, 50, 0);
		return;
	}
	if (rc->fx->raw_mode == RAW_REJECT) {
		rc->reply = xstrdup("HTTP/1.1 401 Unauthorized\r\n"
				    "Content-Length: 0\r\n\r\n");
		goto send;
	}
	key = find_header(req, "Sec-WebSocket-Key:");
	assert_non_null(key);
	while (*key == ' ')
		key++;
	end = strstr(key, "\r\n");
	klen = (int)(end - key);
	assert_true(klen > 0 && klen < 64);
	snprintf(joined, sizeof joined, "%.*s%s", klen, key, guid);
	lws_SHA1((unsigned char *)joined, strlen(joined), sha);
	lws_b64_encode_string((char *)sha, 20, accept, sizeof accept);
	rc->reply = xasprintf("HTTP/1.1 101 Switching Protocols\r\n"
			      "Upgrade: websocket\r\n"
			      "Connection: Upgrade\r\n"
			      "Sec-WebSocket-Accept: %s\r\n\r\n",
			      accept);
send:
	rc->answered = 1;
	out = uv_buf_init(rc->reply, (unsigned int)strlen(rc->reply));
	uv_write(&rc->wr, s, &out, 1, raw_written);
}

static void
raw_written(uv_write_t *w, int status)
{
	(void)w;
	(void)status;
}

static void
raw_conn_closed(uv_handle_t *h)
{
	struct raw_conn *rc = h->data;

	buf_release(&rc->in);
	free(rc->reply);
	free(rc);
}

/* ---- the client's callbacks ---- */

static void
on_open(void *arg)
{
	struct fixture *fx = arg;

	fx->opens++;
	if (fx->script != NULL && fx->script->open != NULL)
		fx->script->open(fx);
}

static void
on_message(void *arg, const char *data, size_t len)
{
	struct fixture *fx = arg;

	assert_int_equal(data[len], '\0');
	assert_true(fx->nseen < MAX_SEEN);
	fx->seen[fx->nseen++] = xstrndup(data, len);
	if (fx->script != NULL && fx->script->message != NULL)
		fx->script->message(fx, data, len);
}

static void
on_closed(void *arg, const char *reason)
{
	struct fixture *fx = arg;

	assert_false(ws_client_is_open(fx->c));
	fx->closes++;
	fx->t_closed = uv_now(&fx->loop);
	free(fx->reason);
	fx->reason = xstrdup(reason);
	if (fx->script != NULL && fx->script->closed != NULL)
		fx->script->closed(fx, reason);
	else
		fx_finish(fx);
}

static void
on_done(void *arg)
{
	struct fixture *fx = arg;

	fx->done++;
}

/* ---- fixture ---- */

static void
guard_fired(uv_timer_t *t)
{
	struct fixture *fx = t->data;

	fx->timed_out = 1;
	fx_finish(fx);
}

static void
fx_init(struct fixture *fx, const struct script *script)
{
	memset(fx, 0, sizeof *fx);
	assert_int_equal(uv_loop_init(&fx->loop), 0);
	uv_timer_init(&fx->loop, &fx->guard);
	fx->guard.data = fx;
	uv_timer_start(&fx->guard, guard_fired, GUARD_MS, 0);
	fx->script = script;
	fx->opt.max_message = MAX_MESSAGE;
	fx->opt.authorization = TEST_AUTH;
}

/* Create the client for fx->port (or fx->url when already set). */
static void
fx_client(struct fixture *fx)
{
	struct ws_callbacks cb = {
		.open = on_open,
		.message = on_message,
		.closed = on_closed,
		.arg = fx,
	};
	char *cause = NULL;

	if (fx->url[0] == '\0')
		snprintf(fx->url, sizeof fx->url,
			 "ws://127.0.0.1:%d/api/v4/websocket", fx->port);
	fx->opt.url = fx->url;
	fx->c = ws_client_new(&fx->loop, &fx->opt, &cb, &cause);
	assert_null(cause);
	assert_non_null(fx->c);
	fx->t0 = uv_now(&fx->loop);
}

/* Connect and run the loop until everything is closed. */
static void
fx_run(struct fixture *fx)
{
	char *cause = NULL;

	assert_int_equal(ws_client_connect(fx->c, &cause), 0);
	assert_null(cause);
	uv_run(&fx->loop, UV_RUN_DEFAULT);
	assert_false(fx->timed_out);
	assert_int_equal(fx->done, 1);
}

/* Stop the client and the servers; the loop then runs dry. */
static void
fx_finish(struct fixture *fx)
{
	if (fx->finishing)
		return;
	fx->finishing = 1;
	ws_client_close(fx->c, on_done, fx);
	srv_stop(fx);
	uv_timer_stop(&fx->guard);
	uv_close((uv_handle_t *)&fx->guard, NULL);
}

static void
fx_free(struct fixture *fx)
{
	size_t i;

	assert_int_equal(uv_loop_close(&fx->loop), 0);
	ws_client_free(fx->c);
	for (i = 0; i < fx->nseen; i++)
		free(fx->seen[i]);
	free(fx->reason);
	free(fx->seen_auth);
}

/* A port on 127.0.0.1 where nothing listens (bound, then released). */
static int
free_port(void)
{
	struct sockaddr_in sin;
	socklen_t slen = sizeof sin;
	int fd, port;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &slen), 0);
	port = ntohs(sin.sin_port);
	close(fd);
	return port;
}

/* Whether the wss tests run; prints why not and skips the test if not. */
static int
wss_enabled(void)
{
	const char *v = getenv(TEST_WSS_ENV);

	if (v != NULL && strcmp(v, "1") == 0)
		return 1;
	printf("skipped: lws 4.1's TLS test server leaks; set %s=1 to run\n",
	       TEST_WSS_ENV);
	skip();
	return 0;
}

/* ---- tests ---- */

static void
url_cases(void **state)
{
	static const struct {
		const char *in;
		const char *host; /* NULL: must fail */
		int port;
		const char *path;
		int tls;
	} cases[] = {
		{ "ws://example.com/api/v4/websocket", "example.com", 80,
		  "/api/v4/websocket", 0 },
		{ "wss://chat.example.com", "chat.example.com", 443, "/", 1 },
		{ "WSS://Chat.Example.com:8443/x?a=1&b=2", "Chat.Example.com",
		  8443, "/x?a=1&b=2", 1 },
		{ "ws://127.0.0.1:8065/api/v4/websocket", "127.0.0.1", 8065,
		  "/api/v4/websocket", 0 },
		{ "ws://[::1]:9000/", "::1", 9000, "/", 0 },
		{ "wss://[2001:db8::1]", "2001:db8::1", 443, "/", 1 },
		{ "ws://h?x=1", "h", 80, "/?x=1", 0 },
		{ "ws://h:1", "h", 1, "/", 0 },
		{ "ws://h:65535", "h", 65535, "/", 0 },
		{ "", NULL, 0, NULL, 0 },
		{ "http://example.com/", NULL, 0, NULL, 0 },
		{ "ws:/example.com/", NULL, 0, NULL, 0 },
		{ "example.com", NULL, 0, NULL, 0 },
		{ "ws://", NULL, 0, NULL, 0 },
		{ "ws:///path", NULL, 0, NULL, 0 },
		{ "ws://:80/", NULL, 0, NULL, 0 },
		{ "ws://h:/", NULL, 0, NULL, 0 },
		{ "ws://h:0/", NULL, 0, NULL, 0 },
		{ "ws://h:65536/", NULL, 0, NULL, 0 },
		{ "ws://h:123456/", NULL, 0, NULL, 0 },
		{ "ws://h:-1/", NULL, 0, NULL, 0 },
		{ "ws://h:8a/", NULL, 0, NULL, 0 },
		{ "ws://user:pw@h/", NULL, 0, NULL, 0 },
		{ "ws://h/a#frag", NULL, 0, NULL, 0 },
		{ "ws://h/a b", NULL, 0, NULL, 0 },
		{ "ws://h/\xc3\xa9", NULL, 0, NULL, 0 },
		{ "ws://h\x01/", NULL, 0, NULL, 0 },
		{ "ws://ex*ample.com/", NULL, 0, NULL, 0 },
		{ "ws://[::1/", NULL, 0, NULL, 0 },
		{ "ws://[]/", NULL, 0, NULL, 0 },
		{ "ws://[zz::1]/", NULL, 0, NULL, 0 },
		{ "ws://[::1]x/", NULL, 0, NULL, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct ws_url u;
		char *cause = NULL;
		int rc = ws_url_parse(cases[i].in, &u, &cause);

		if (cases[i].host == NULL) {
			if (rc != -1)
				fail_msg("'%s' parsed", cases[i].in);
			assert_non_null(cause);
			assert_null(u.host);
			free(cause);
			continue;
		}
		if (rc != 0)
			fail_msg("'%s': %s", cases[i].in, cause);
		assert_null(cause);
		assert_string_equal(u.host, cases[i].host);
		assert_int_equal(u.port, cases[i].port);
		assert_string_equal(u.path, cases[i].path);
		assert_int_equal(u.tls, cases[i].tls);
		ws_url_release(&u);
	}
}

static void
url_too_long(void **state)
{
	char url[WS_URL_MAX + 2];
	struct ws_url u;
	char *cause = NULL;

	(void)state;
	memset(url, 'a', sizeof url - 1);
	url[sizeof url - 1] = '\0';
	memcpy(url, "ws://h/", 7);
	assert_int_equal(ws_url_parse(url, &u, &cause), -1);
	assert_non_null(cause);
	free(cause);

	url[WS_URL_MAX] = '\0'; /* exactly the maximum */
	cause = NULL;
	assert_int_equal(ws_url_parse(url, &u, &cause), 0);
	assert_int_equal(strlen(u.path), WS_URL_MAX - 6);
	ws_url_release(&u);

	memset(url, 'a', sizeof url - 1);
	url[sizeof url - 1] = '\0';
	memcpy(url, "ws://", 5);
	url[5 + 254] = '\0'; /* a 254-byte host name */
	assert_int_equal(ws_url_parse(url, &u, &cause), -1);
	assert_non_null(cause);
	free(cause);
}

static void
new_refuses_bad_options(void **state)
{
	struct ws_callbacks cb = {
		.open = on_open,
		.message = on_message,
		.closed = on_closed,
	};
	struct ws_options opt;
	uv_loop_t loop;
	char *cause = NULL;
	char auth[WS_AUTH_MAX + 2];

	(void)state;
	assert_int_equal(uv_loop_init(&loop), 0);
	memset(&opt, 0, sizeof opt);
	opt.url = "http://x/";
	assert_null(ws_client_new(&loop, &opt, &cb, &cause));
	assert_non_null(cause);
	free(cause);
	cause = NULL;

	opt.url = "ws://x/";
	opt.authorization = "Bearer a\r\nX-Evil: 1";
	assert_null(ws_client_new(&loop, &opt, &cb, &cause));
	assert_non_null(cause);
	assert_null(strstr(cause, "Bearer")); /* the secret stays out */
	free(cause);
	cause = NULL;

	memset(auth, 'a', sizeof auth - 1);
	auth[sizeof auth - 1] = '\0';
	opt.authorization = auth;
	assert_null(ws_client_new(&loop, &opt, &cb, &cause));
	assert_non_null(cause);
	free(cause);
	cause = NULL;

	opt.authorization = NULL;
	opt.ca_file = "";
	assert_null(ws_client_new(&loop, &opt, &cb, &cause));
	assert_non_null(cause);
	free(cause);
	cause = NULL;

	/* a client never connected needs no loop work to be freed */
	opt.ca_file = NULL;
	{
		struct ws_client *c = ws_client_new(&loop, &opt, &cb, &cause);

		assert_non_null(c);
		assert_false(ws_client_is_open(c));
		assert_int_equal(ws_client_send(c, "x", 1, &cause), -1);
		assert_non_null(cause);
		free(cause);
		cause = NULL;
		assert_int_equal(ws_client_set_url(c, "ws://y:1/z", &cause), 0);
		assert_int_equal(ws_client_set_url(c, "ftp://y", &cause), -1);
		assert_non_null(cause);
		free(cause);
		ws_client_disconnect(c); /* idle: nothing to do */
		ws_client_free(c);
	}
	assert_int_equal(uv_loop_close(&loop), 0);
}

/* open: check what the server saw, send three messages */
static void
echo_open(struct fixture *fx)
{
	char *cause = NULL;

	assert_true(ws_client_is_open(fx->c));
	assert_int_equal(ws_client_send(fx->c, "echo:one", 8, &cause), 0);
	assert_int_equal(ws_client_send(fx->c, "echo:", 5, &cause), 0);
	assert_int_equal(ws_client_send(fx->c, "echo:中文", 11, &cause), 0);
	assert_null(cause);
}

static void
echo_message(struct fixture *fx, const char *data, size_t len)
{
	(void)data;
	(void)len;
	if (fx->nseen == 3)
		fx_finish(fx);
}

/* like echo_message, but closes politely and waits for closed() */
static void
echo_message_bye(struct fixture *fx, const char *data, size_t len)
{
	(void)data;
	(void)len;
	if (fx->nseen == 3)
		ws_client_disconnect(fx->c);
}

static void
connect_send_echo(void **state)
{
	static const struct script script = {
		.open = echo_open,
		.message = echo_message,
	};
	struct fixture fx;

	(void)state;
	fx_init(&fx, &script);
	srv_start(&fx);
	fx_client(&fx);
	fx_run(&fx);
	assert_int_equal(fx.opens, 1);
	assert_int_equal(fx.closes, 0); /* closed by ws_client_close */
	assert_string_equal(fx.seen_auth, TEST_AUTH);
	assert_int_equal(fx.nseen, 3);
	assert_string_equal(fx.seen[0], "one");
	assert_string_equal(fx.seen[1], "");
	assert_string_equal(fx.seen[2], "中文");
	fx_free(&fx);
}

static void
late_send(uv_timer_t *t)
{
	struct fixture *fx = t->data;
	char *cause = NULL;

	uv_close((uv_handle_t *)t, NULL);
	assert_int_equal(ws_client_send(fx->c, "echo:late", 9, &cause), 0);
	assert_int_equal(ws_client_send(fx->c, "long", 4, &cause), 0);
	assert_null(cause);
}

/* sends from outside any lws callback work too; long frames reassemble */
static void
late_open(struct fixture *fx)
{
	uv_timer_init(&fx->loop, &fx->aux);
	fx->aux.data = fx;
	uv_timer_start(&fx->aux, late_send, 20, 0);
}

static void
late_message(struct fixture *fx, const char *data, size_t len)
{
	(void)data;
	(void)len;
	if (fx->nseen == 2)
		fx_finish(fx);
}

static void
send_outside_callbacks(void **state)
{
	static const struct script script = {
		.open = late_open,
		.message = late_message,
	};
	struct fixture fx;
	size_t i;

	(void)state;
	fx_init(&fx, &script);
	fx.opt.max_message = LONG_LEN;
	srv_start(&fx);
	fx_client(&fx);
	fx_run(&fx);
	assert_int_equal(fx.nseen, 2);
	assert_string_equal(fx.seen[0], "late");
	assert_int_equal(strlen(fx.seen[1]), LONG_LEN);
	for (i = 0; i < LONG_LEN; i++)
		if (fx.seen[1][i] != 'y')
			fail_msg("byte %zu of the long message is wrong", i);
	fx_free(&fx);
}

static void
no_auth_open(struct fixture *fx)
{
	fx_finish(fx);
}

/* a name goes through the resolver; if ::1 comes first, 127.0.0.1 next */
static void
host_name(void **state)
{
	static const struct script script = { .open = no_auth_open };
	struct fixture fx;

	(void)state;
	fx_init(&fx, &script);
	srv_start(&fx);
	snprintf(fx.url, sizeof fx.url, "ws://localhost:%d/x", fx.port);
	fx_client(&fx);
	fx_run(&fx);
	assert_int_equal(fx.opens, 1);
	fx_free(&fx);
}

static void
no_authorization(void **state)
{
	static const struct script script = { .open = no_auth_open };
	struct fixture fx;

	(void)state;
	fx_init(&fx, &script);
	fx.opt.authorization = NULL;
	srv_start(&fx);
	fx_client(&fx);
	fx_run(&fx);
	assert_int_equal(fx.opens, 1);
	assert_null(fx.seen_auth);
	fx_free(&fx);
}

static void
send_open(struct fixture *fx)
{
	char *cause = NULL;
	int i, rc;

	assert_int_equal(ws_client_send(fx->c, "frag", 4, &cause), 0);
	assert_null(cause);
	if (fx->stage == 1) /* the binary test */
		assert_int_equal(ws_client_send(fx->c, "bin", 3, &cause), 0);
	if (fx->stage == 2) { /* the queue test: fill it */
		char *big = xcalloc(1, WS_QUEUE_MAX_BYTES);

		/* 1 MiB does not fit after "frag" */
		assert_int_equal(
		    ws_client_send(fx->c, big, WS_QUEUE_MAX_BYTES, &cause), -1);
		assert_non_null(cause);
		free(cause);
		cause = NULL;
		free(big);
		for (i = 1; i < WS_QUEUE_MAX_MESSAGES; i++) {
			rc = ws_client_send(fx->c, "x", 1, &cause);
			assert_int_equal(rc, 0);
		}
		assert_int_equal(ws_client_send(fx->c, "x", 1, &cause), -1);
		assert_non_null(cause);
		free(cause);
	}
}

static void
send_message(struct fixture *fx, const char *data, size_t len)
{
	(void)data;
	(void)len;
	if (fx->stage == 1 && fx->nseen < 2)
		return;
	fx_finish(fx);
}

static void
fragmented_message(void **state)
{
	static const struct script script = {
		.open = send_open,
		.message = send_message,
	};
	struct fixture fx;

	(void)state;
	fx_init(&fx, &script);
	srv_start(&fx);
	fx_client(&fx);
	fx_run(&fx);
	assert_int_equal(fx.nseen, 1);
	assert_string_equal(fx.seen[0], "hello wörld");
	fx_free(&fx);
}

static void
binary_dropped(void **state)
{
	static const struct script script = {
		.open = send_open,
		.message = send_message,
	};
	struct fixture fx;

	(void)state;
	fx_init(&fx, &script);
	fx.stage = 1;
	srv_start(&fx);
	fx_client(&fx);
	fx_run(&fx);
	assert_int_equal(fx.nseen, 2);
	assert_string_equal(fx.seen[0], "hello wörld");
	assert_string_equal(fx.seen[1], "after");
	fx_free(&fx);
}

static void
queue_full(void **state)
{
	static const struct script script = {
		.open = send_open,
		.message = send_message,
	};
	struct fixture fx;

	(void)state;
	fx_init(&fx, &script);
	fx.stage = 2;
	srv_start(&fx);
	fx_client(&fx);
	fx_run(&fx);
	assert_string_equal(fx.seen[0], "hello wörld");
	fx_free(&fx);
}

/* open: ask for something that must end the connection */
static void
cmd_open(struct fixture *fx)
{
	static const char *const cmds[] = { "big", "badutf8", "close" };
	char *cause = NULL;

	assert_int_equal(ws_client_send(fx->c, cmds[fx->stage],
					strlen(cmds[fx->stage]), &cause),
			 0);
}

static void
cmd_closed(struct fixture *fx, const char *reason)
{
	(void)reason;
	fx_finish(fx);
}

static void
run_cmd(struct fixture *fx, int stage)
{
	static const struct script script = {
		.open = cmd_open,
		.closed = cmd_closed,
	};

	fx_init(fx, &script);
	fx->stage = stage;
	srv_start(fx);
	fx_client(fx);
	fx_run(fx);
	assert_int_equal(fx->opens, 1);
	assert_int_equal(fx->closes, 1);
	assert_int_equal(fx->nseen, 0);
}

static void
message_too_big(void **state)
{
	struct fixture fx;

	(void)state;
	run_cmd(&fx, 0);
	assert_non_null(strstr(fx.reason, "over 1000 bytes"));
	assert_int_equal(fx.peer_close_code, 1009);
	fx_free(&fx);
}

static void
invalid_utf8(void **state)
{
	struct fixture fx;

	(void)state;
	run_cmd(&fx, 1);
	assert_non_null(strstr(fx.reason, "utf-8"));
	assert_int_equal(fx.peer_close_code, 1007);
	fx_free(&fx);
}

static void
server_closes(void **state)
{
	struct fixture fx;

	(void)state;
	run_cmd(&fx, 2);
	assert_string_equal(fx.reason, "closed by server (code 4001: go away)");
	fx_free(&fx);
}

static void
disconnect_open(struct fixture *fx)
{
	ws_client_disconnect(fx->c);
	assert_false(ws_client_is_open(fx->c));
	ws_client_disconnect(fx->c); /* twice is harmless */
}

static void
client_disconnects(void **state)
{
	static const struct script script = {
		.open = disconnect_open,
		.closed = cmd_closed,
	};
	struct fixture fx;

	(void)state;
	fx_init(&fx, &script);
	srv_start(&fx);
	fx_client(&fx);
	fx_run(&fx);
	assert_int_equal(fx.closes, 1);
	assert_string_equal(fx.reason, "closed by client");
	assert_int_equal(fx.peer_close_code, 1000);
	fx_free(&fx);
}

static void
refused(void **state)
{
	struct fixture fx;

	(void)state;
	fx_init(&fx, NULL);
	fx.port = free_port();
	fx_client(&fx);
	fx_run(&fx);
	assert_int_equal(fx.opens, 0);
	assert_int_equal(fx.closes, 1);
	assert_non_null(strstr(fx.reason, "cannot connect"));
	fx_free(&fx);
}

static void
upgrade_refused(void **state)
{
	struct fixture fx;

	(void)state;
	fx_init(&fx, NULL);
	fx.refuse = 1;
	srv_start(&fx);
	fx_client(&fx);
	fx_run(&fx);
	assert_int_equal(fx.opens, 0);
	assert_int_equal(fx.closes, 1);
	fx_free(&fx);
}

static void
upgrade_unauthorized(void **state)
{
	struct fixture fx;

	(void)state;
	fx_init(&fx, NULL);
	raw_start(&fx, RAW_REJECT);
	fx_client(&fx);
	fx_run(&fx);
	assert_int_equal(fx.opens, 0);
	assert_int_equal(fx.closes, 1);
	assert_string_equal(fx.reason, "server refused the upgrade (http 401)");
	assert_int_equal(ws_client_http_status(fx.c), 401);
	fx_free(&fx);
}

/*
 * wss against the test certificate: mode 0 insecure, 1 untrusted, 2 CA,
 * 3 CA but an address the certificate does not name.
 */
static void
run_tls(struct fixture *fx, int mode, const char *ca_file)
{
	static const struct script script = {
		.open = echo_open,
		.message = echo_message_bye,
	};

	fx_init(fx, &script);
	fx->tls = 1;
	fx->opt.insecure = mode == 0;
	fx->opt.ca_file = ca_file;
	fx->iface = mode == 3 ? "127.0.0.2" : "127.0.0.1";
	srv_start(fx);
	snprintf(fx->url, sizeof fx->url, "wss://%s:%d/", fx->iface, fx->port);
	fx_client(fx);
	fx_run(fx);
}

static void
tls_insecure(void **state)
{
	struct fixture fx;

	(void)state;
	if (!wss_enabled())
		return;
	run_tls(&fx, 0, NULL);
	assert_int_equal(fx.opens, 1);
	assert_int_equal(fx.nseen, 3);
	assert_string_equal(fx.seen_auth, TEST_AUTH);
	fx_free(&fx);
}

static void
tls_untrusted(void **state)
{
	struct fixture fx;

	(void)state;
	if (!wss_enabled())
		return;
	run_tls(&fx, 1, NULL);
	assert_int_equal(fx.opens, 0);
	assert_int_equal(fx.closes, 1);
	assert_non_null(strstr(fx.reason, "cannot connect"));
	fx_free(&fx);
}

static void
tls_ca_file(void **state)
{
	char path[] = "/tmp/test-ws-ca-XXXXXX";
	struct fixture fx;
	int fd;

	(void)state;
	if (!wss_enabled())
		return;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, test_cert, sizeof test_cert - 1),
			 (ssize_t)(sizeof test_cert - 1));
	close(fd);
	run_tls(&fx, 2, path);
	assert_int_equal(fx.opens, 1);
	assert_int_equal(fx.nseen, 3);
	fx_free(&fx);

	/* the same CA, but the certificate does not name 127.0.0.2 */
	run_tls(&fx, 3, path);
	unlink(path);
	assert_int_equal(fx.opens, 0);
	assert_int_equal(fx.closes, 1);
	assert_non_null(strstr(fx.reason, "cannot connect"));
	fx_free(&fx);
}

/* reconnect from inside closed(), twice, then stop */
static void
again_open(struct fixture *fx)
{
	char *cause = NULL;

	assert_int_equal(ws_client_send(fx->c, "close", 5, &cause), 0);
}

static void
again_closed(struct fixture *fx, const char *reason)
{
	char *cause = NULL;

	(void)reason;
	if (fx->closes == 3) {
		fx_finish(fx);
		return;
	}
	assert_int_equal(ws_client_connect(fx->c, &cause), 0);
	assert_null(cause);
	/* a second connect while one is in progress is refused */
	assert_int_equal(ws_client_connect(fx->c, &cause), -1);
	assert_non_null(cause);
	free(cause);
}

static void
reconnect(void **state)
{
	static const struct script script = {
		.open = again_open,
		.closed = again_closed,
	};
	struct fixture fx;

	(void)state;
	fx_init(&fx, &script);
	srv_start(&fx);
	fx_client(&fx);
	fx_run(&fx);
	assert_int_equal(fx.opens, 3);
	assert_int_equal(ws_client_http_status(fx.c), 0);
	assert_int_equal(fx.closes, 3);
	assert_int_equal(fx.srv_sessions, 3);
	fx_free(&fx);
}

static void
ping_timeout(void **state)
{
	struct fixture fx;

	(void)state;
	fx_init(&fx, NULL);
	fx.opt.ping_interval_ms = 100;
	fx.opt.pong_timeout_ms = 200;
	raw_start(&fx, RAW_SILENT);
	fx_client(&fx);
	fx_run(&fx);
	assert_int_equal(fx.opens, 1);
	assert_int_equal(fx.closes, 1);
	assert_string_equal(fx.reason, "ping timeout");
	assert_true(fx.t_closed - fx.t0 >= 300);
	fx_free(&fx);
}

static void
pong_timer_fired(uv_timer_t *t)
{
	struct fixture *fx = t->data;

	assert_true(ws_client_is_open(fx->c));
	uv_close((uv_handle_t *)t, NULL);
	fx_finish(fx);
}

static void
pongs_keep_open(struct fixture *fx)
{
	uv_timer_init(&fx->loop, &fx->aux);
	fx->aux.data = fx;
	uv_timer_start(&fx->aux, pong_timer_fired, 1000, 0);
}

static void
pings_answered(void **state)
{
	static const struct script script = { .open = pongs_keep_open };
	struct fixture fx;

	(void)state;
	fx_init(&fx, &script);
	fx.opt.ping_interval_ms = 100; /* about nine pings, all answered */
	fx.opt.pong_timeout_ms = 500;
	srv_start(&fx);
	fx_client(&fx);
	fx_run(&fx);
	assert_int_equal(fx.opens, 1);
	assert_int_equal(fx.closes, 0);
	fx_free(&fx);
}

/* ws_client_close right after connect: only done() follows */
static void
close_while_resolving(void **state)
{
	struct fixture fx;

	(void)state;
	fx_init(&fx, NULL);
	srv_start(&fx);
	fx_client(&fx);
	assert_int_equal(ws_client_connect(fx.c, NULL), 0);
	fx_finish(&fx);
	uv_run(&fx.loop, UV_RUN_DEFAULT);
	assert_int_equal(fx.done, 1);
	assert_int_equal(fx.opens + fx.closes, 0);
	fx_free(&fx);
}

static void
mute_timer_fired(uv_timer_t *t)
{
	struct fixture *fx = t->data;

	uv_close((uv_handle_t *)t, NULL);
	if (fx->stage == 1) {
		ws_client_disconnect(fx->c);
		return; /* closed() finishes */
	}
	fx_finish(fx);
}

/* the raw server never answers: the client stays in its handshake */
static void
run_mute(struct fixture *fx, int stage)
{
	fx_init(fx, NULL);
	fx->stage = stage;
	raw_start(fx, RAW_MUTE);
	fx_client(fx);
	uv_timer_init(&fx->loop, &fx->aux);
	fx->aux.data = fx;
	fx_run(fx);
	assert_int_equal(fx->raw_accepted, 1);
	assert_int_equal(fx->opens, 0);
}

static void
close_while_handshaking(void **state)
{
	struct fixture fx;

	(void)state;
	run_mute(&fx, 0);
	assert_int_equal(fx.closes, 0);
	fx_free(&fx);
}

static void
disconnect_while_handshaking(void **state)
{
	struct fixture fx;

	(void)state;
	run_mute(&fx, 1);
	assert_int_equal(fx.closes, 1);
	assert_string_equal(fx.reason, "closed by client");
	fx_free(&fx);
}

/* ws_client_close from inside open() and message() */
static void
close_in_open(struct fixture *fx)
{
	fx_finish(fx);
	assert_false(ws_client_is_open(fx->c));
}

static void
close_while_open(void **state)
{
	static const struct script script = { .open = close_in_open };
	struct fixture fx;

	(void)state;
	fx_init(&fx, &script);
	srv_start(&fx);
	fx_client(&fx);
	fx_run(&fx);
	assert_int_equal(fx.opens, 1);
	assert_int_equal(fx.closes, 0);
	fx_free(&fx);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(url_cases),
		cmocka_unit_test(url_too_long),
		cmocka_unit_test(new_refuses_bad_options),
		cmocka_unit_test(connect_send_echo),
		cmocka_unit_test(send_outside_callbacks),
		cmocka_unit_test(no_authorization),
		cmocka_unit_test(host_name),
		cmocka_unit_test(fragmented_message),
		cmocka_unit_test(binary_dropped),
		cmocka_unit_test(queue_full),
		cmocka_unit_test(message_too_big),
		cmocka_unit_test(invalid_utf8),
		cmocka_unit_test(server_closes),
		cmocka_unit_test(client_disconnects),
		cmocka_unit_test(refused),
		cmocka_unit_test(upgrade_refused),
		cmocka_unit_test(upgrade_unauthorized),
		cmocka_unit_test(tls_insecure),
		cmocka_unit_test(tls_untrusted),
		cmocka_unit_test(tls_ca_file),
		cmocka_unit_test(reconnect),
		cmocka_unit_test(ping_timeout),
		cmocka_unit_test(pings_answered),
		cmocka_unit_test(close_while_resolving),
		cmocka_unit_test(close_while_handshaking),
		cmocka_unit_test(disconnect_while_handshaking),
		cmocka_unit_test(close_while_open),
	};

	/* lws's start-up notices would clutter the output */
	lws_set_log_level(LLL_ERR | LLL_WARN, NULL);
	if (argc > 1)
		cmocka_set_test_filter(argv[1]); /* one test by name */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
