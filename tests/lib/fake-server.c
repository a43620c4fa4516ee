/* SPDX-License-Identifier: MIT */
/*
 * fake-server.c: the listener, HTTP/1.1 parsing and WebSocket server side
 * the fakes share; see fake-server.h.
 *
 * How it works. Every accepted socket is a struct fake_server_conn that
 * starts in HTTP mode. Bytes collect in a capped buffer; each complete
 * request (head plus Content-Length body) is taken out of it and handed to
 * ops->request. A hung connection stops parsing for good; a slow one keeps
 * its answer until the connection's timer fires, and parsing waits. After
 * fake_server_ws_upgrade() the buffer holds client frames.
 *
 * The connection timer serves three ends: the slow answer (HTTP), the
 * owner's deadline (WebSocket, ops->ws_timer) and the linger deadline. A
 * connection that sends its last answer lingers: it shuts down its side
 * and reads until the peer's EOF (or FAKE_SERVER_LINGER_MS), because
 * closing with unread input would send a reset that may destroy that
 * answer.
 *
 * Each connection owns two libuv handles and frees itself when both are
 * closed; the server calls ops->freed and frees itself when its listener
 * and every connection are gone.
 */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fake-server.h"
#include "lihui/utf8.h"
#include "lihui/xmalloc.h"
#include "loopback.h"

#define FAKE_SERVER_MAX_HEADERS 100
#define FAKE_SERVER_LINGER_MS	1000

struct fake_server {
	uv_loop_t *loop;
	uv_tcp_t listener;
	int port;
	const struct fake_server_ops *ops;
	void *owner;
	size_t max_request;
	size_t max_message;
	int closing;
	int open; /* the listener and every connection */
	uint64_t serial;
	int ws_pongs;
	struct fake_server_conn *conns;
};

struct fake_server_write {
	uv_write_t req;
	char *data;
	struct fake_server_conn *conn;
	int close_after;
};

static void fake_server_on_connection(uv_stream_t *, int);
static void fake_server_on_alloc(uv_handle_t *, size_t, uv_buf_t *);
static void fake_server_on_read(uv_stream_t *, ssize_t, const uv_buf_t *);
static void fake_server_on_write(uv_write_t *, int);
static void fake_server_on_timer(uv_timer_t *);
static void fake_server_on_listener_closed(uv_handle_t *);
static void fake_server_on_conn_closed(uv_handle_t *);
static void fake_server_linger(struct fake_server_conn *);
static int fake_server_parse(struct fake_server_conn *);
static void fake_server_ws_parse(struct fake_server_conn *);
static void fake_server_free(struct fake_server *);

struct fake_server *
fake_server_new(uv_loop_t *loop, const struct fake_server_ops *ops, void *owner,
		size_t max_request, size_t max_message, char **cause)
{
	struct fake_server *s;
	int error;

	s = xcalloc(1, sizeof *s);
	s->loop = loop;
	s->ops = ops;
	s->owner = owner;
	s->max_request = max_request;
	s->max_message = max_message;
	error = uv_tcp_init(loop, &s->listener);
	if (error != 0) {
		free(s);
		set_cause(cause, "cannot create socket: %s",
			  uv_strerror(error));
		return NULL;
	}
	s->listener.data = s;
	s->open = 1;
	if (loopback_listen(&s->listener, fake_server_on_connection, &s->port,
			    cause) != 0) {
		/* No owner to free: the caller gets NULL. */
		s->ops = NULL;
		fake_server_close(s);
		return NULL;
	}
	return s;
}

void
fake_server_close(struct fake_server *s)
{
	if (s->closing)
		return;
	s->closing = 1;
	while (s->conns != NULL)
		fake_server_conn_close(s->conns);
	uv_close((uv_handle_t *)&s->listener, fake_server_on_listener_closed);
}

int
fake_server_port(const struct fake_server *s)
{
	return s->port;
}

struct fake_server_conn *
fake_server_conns(const struct fake_server *s)
{
	return s->conns;
}

int
fake_server_ws_pongs(const struct fake_server *s)
{
	return s->ws_pongs;
}

static void
fake_server_free(struct fake_server *s)
{
	if (s->ops != NULL && s->ops->freed != NULL)
		s->ops->freed(s->owner);
	free(s);
}

/* Connections. */

static void
fake_server_on_connection(uv_stream_t *listener, int status)
{
	struct fake_server *s = listener->data;
	struct fake_server_conn *c;

	if (status < 0 || s->closing)
		return;
	c = xcalloc(1, sizeof *c);
	c->server = s;
	c->owner = s->owner;
	c->serial = ++s->serial;
	buf_init(&c->in, s->max_request);
	buf_init(&c->msg, s->max_message);
	if (uv_tcp_init(s->loop, &c->tcp) != 0) {
		buf_release(&c->in);
		buf_release(&c->msg);
		free(c);
		return;
	}
	if (uv_timer_init(s->loop, &c->timer) != 0)
		fatal("cannot start a timer");
	c->tcp.data = c;
	c->timer.data = c;
	c->open = 2;
	s->open++;
	c->next = s->conns;
	if (s->conns != NULL)
		s->conns->prev = c;
	s->conns = c;
	if (uv_accept(listener, (uv_stream_t *)&c->tcp) != 0 ||
	    uv_read_start((uv_stream_t *)&c->tcp, fake_server_on_alloc,
			  fake_server_on_read) != 0)
		fake_server_conn_close(c);
}

static void
fake_server_on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *b)
{
	(void)h;
	b->base = xmalloc(suggested);
	b->len = suggested;
}

static void
fake_server_on_read(uv_stream_t *stream, ssize_t n, const uv_buf_t *b)
{
	struct fake_server_conn *c = stream->data;

	if (n < 0 || buf_add(&c->in, b->base, n > 0 ? (size_t)n : 0) != 0) {
		free(b->base);
		fake_server_conn_close(c);
		return;
	}
	free(b->base);
	if (c->draining) {
		buf_reset(&c->in);
		return;
	}
	if (c->closing || c->hung || c->slow != NULL)
		return;
	if (fake_server_parse(c) != 0)
		fake_server_conn_close(c);
}

static void
fake_server_on_write(uv_write_t *req, int status)
{
	struct fake_server_write *w = (struct fake_server_write *)req;

	if (status == 0 && w->close_after)
		fake_server_linger(w->conn);
	free(w->data);
	free(w);
}

void
fake_server_send(struct fake_server_conn *c, char *data, size_t len,
		 int close_after)
{
	struct fake_server_write *w;
	uv_buf_t b;

	if (c->closing || c->draining) {
		free(data);
		return;
	}
	w = xcalloc(1, sizeof *w);
	w->data = data;
	w->conn = c;
	w->close_after = close_after;
	b.base = data;
	b.len = len;
	if (uv_write(&w->req, (uv_stream_t *)&c->tcp, &b, 1,
		     fake_server_on_write) != 0) {
		free(data);
		free(w);
		fake_server_conn_close(c);
	}
}

void
fake_server_send_later(struct fake_server_conn *c, char *data, size_t len,
		       uint64_t delay_ms)
{
	free(c->slow);
	c->slow = data;
	c->slow_len = len;
	uv_timer_start(&c->timer, fake_server_on_timer, delay_ms, 0);
}

void
fake_server_hang(struct fake_server_conn *c)
{
	c->hung = 1;
}

void
fake_server_timer(struct fake_server_conn *c, uint64_t ms)
{
	uv_timer_start(&c->timer, fake_server_on_timer, ms, 0);
}

void
fake_server_timer_stop(struct fake_server_conn *c)
{
	uv_timer_stop(&c->timer);
}

/*
 * The slow answer is due (HTTP), the owner's deadline passed (WebSocket)
 * or the peer took too long to close.
 */
static void
fake_server_on_timer(uv_timer_t *t)
{
	struct fake_server_conn *c = t->data;
	const struct fake_server_ops *ops = c->server->ops;

	if (c->draining) {
		fake_server_conn_close(c);
		return;
	}
	if (c->mode == FAKE_SERVER_WS) {
		if (ops->ws_timer != NULL)
			ops->ws_timer(c);
		return;
	}
	if (c->slow == NULL)
		return;
	fake_server_send(c, c->slow, c->slow_len, 0);
	c->slow = NULL;
	if (fake_server_parse(c) != 0)
		fake_server_conn_close(c);
}

static void
fake_server_on_listener_closed(uv_handle_t *h)
{
	struct fake_server *s = h->data;

	if (--s->open == 0)
		fake_server_free(s);
}

static void
fake_server_on_conn_closed(uv_handle_t *h)
{
	struct fake_server_conn *c = h->data;
	struct fake_server *s = c->server;

	if (--c->open > 0)
		return;
	if (s->ops->release != NULL)
		s->ops->release(c);
	buf_release(&c->in);
	buf_release(&c->msg);
	free(c->slow);
	free(c);
	if (--s->open == 0 && s->closing)
		fake_server_free(s);
}

/* Tell the owner that nothing more goes to c. */
static void
fake_server_detach(struct fake_server_conn *c)
{
	if (c->server->ops->detach != NULL)
		c->server->ops->detach(c);
}

void
fake_server_conn_close(struct fake_server_conn *c)
{
	struct fake_server *s = c->server;

	if (c->closing)
		return;
	c->closing = 1;
	fake_server_detach(c);
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		s->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	uv_close((uv_handle_t *)&c->tcp, fake_server_on_conn_closed);
	uv_close((uv_handle_t *)&c->timer, fake_server_on_conn_closed);
}

static void
fake_server_on_shutdown(uv_shutdown_t *req, int status)
{
	(void)req;
	(void)status;
}

/* Close c once the peer has read the last answer (see the top). */
static void
fake_server_linger(struct fake_server_conn *c)
{
	if (c->closing || c->draining)
		return;
	fake_server_detach(c);
	c->draining = 1;
	c->hung = 1;
	buf_reset(&c->in);
	if (uv_shutdown(&c->shutdown, (uv_stream_t *)&c->tcp,
			fake_server_on_shutdown) != 0) {
		fake_server_conn_close(c);
		return;
	}
	uv_timer_start(&c->timer, fake_server_on_timer, FAKE_SERVER_LINGER_MS,
		       0);
}

/* HTTP. */

static char *
fake_server_strip(const char *p, size_t len)
{
	while (len > 0 && (*p == ' ' || *p == '\t')) {
		p++;
		len--;
	}
	while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
		len--;
	return xstrndup(p, len);
}

const char *
fake_server_header(const struct fake_server_header *headers, size_t n,
		   const char *name)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcasecmp(headers[i].name, name) == 0)
			return headers[i].value;
	}
	return NULL;
}

int
fake_server_header_has(const struct fake_server_header *headers, size_t n,
		       const char *name, const char *word)
{
	const char *v = fake_server_header(headers, n, name), *p;
	size_t len = strlen(word), wn;

	if (v == NULL)
		return 0;
	for (p = v; *p != '\0';) {
		p += strspn(p, " \t,");
		wn = strcspn(p, " \t,");
		if (wn == len && strncasecmp(p, word, len) == 0)
			return 1;
		p += wn;
	}
	return 0;
}

void
fake_server_headers_free(struct fake_server_header *headers, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(headers[i].name);
		free(headers[i].value);
	}
	free(headers);
}

void
fake_server_request_release(struct fake_server_request *r)
{
	fake_server_headers_free(r->headers, r->nheaders);
	free(r->method);
	free(r->target);
	free(r->path);
	free(r->body);
	memset(r, 0, sizeof *r);
}

/*
 * Parse the head in [data, end) into r (method, target, path, headers) and
 * the body length into *body_len. -1 if it is malformed (r released).
 */
static int
fake_server_parse_head(const char *data, const char *end, size_t max,
		       struct fake_server_request *r, size_t *body_len)
{
	const char *eol, *line, *colon, *sp1, *sp2, *v, *q;
	char *endp;
	unsigned long long cl;

	memset(r, 0, sizeof *r);
	*body_len = 0;
	eol = strstr(data, "\r\n");
	sp1 = memchr(data, ' ', (size_t)(eol - data));
	sp2 =
	    sp1 != NULL ? memchr(sp1 + 1, ' ', (size_t)(eol - sp1 - 1)) : NULL;
	if (sp1 == NULL || sp2 == NULL || sp2 == sp1 + 1 ||
	    strncmp(sp2 + 1, "HTTP/1.", 7) != 0)
		return -1;
	r->method = xstrndup(data, (size_t)(sp1 - data));
	r->target = xstrndup(sp1 + 1, (size_t)(sp2 - sp1 - 1));
	q = strchr(r->target, '?');
	r->path = xstrndup(r->target, q != NULL ? (size_t)(q - r->target)
						: strlen(r->target));
	for (line = eol + 2; line < end; line = eol + 2) {
		eol = strstr(line, "\r\n");
		colon = memchr(line, ':', (size_t)(eol - line));
		if (colon == NULL || colon == line ||
		    r->nheaders == FAKE_SERVER_MAX_HEADERS)
			goto fail;
		r->headers = xreallocarray(r->headers, r->nheaders + 1,
					   sizeof *r->headers);
		r->headers[r->nheaders].name =
		    xstrndup(line, (size_t)(colon - line));
		r->headers[r->nheaders].value =
		    fake_server_strip(colon + 1, (size_t)(eol - colon - 1));
		r->nheaders++;
	}
	if (fake_server_header(r->headers, r->nheaders, "Transfer-Encoding") !=
	    NULL)
		goto fail;
	v = fake_server_header(r->headers, r->nheaders, "Content-Length");
	if (v != NULL) {
		if (!isdigit((unsigned char)v[0]))
			goto fail;
		cl = strtoull(v, &endp, 10);
		if (*endp != '\0' || cl > max)
			goto fail;
		*body_len = (size_t)cl;
	}
	return 0;
fail:
	fake_server_request_release(r);
	return -1;
}

/* Hand every complete request in c's buffer to the owner; -1 to close. */
static int
fake_server_parse(struct fake_server_conn *c)
{
	struct fake_server_request r;
	const char *data, *end;
	size_t head_len, body_len, rest;

	while (c->mode == FAKE_SERVER_HTTP && !c->hung && c->slow == NULL &&
	       !c->closing && c->in.len > 0) {
		data = c->in.data;
		end = strstr(data, "\r\n\r\n");
		if (end == NULL)
			return memchr(data, '\0', c->in.len) != NULL ? -1 : 0;
		head_len = (size_t)(end - data) + 4;
		if (fake_server_parse_head(data, end, c->server->max_request,
					   &r, &body_len) != 0)
			return -1;
		if (c->in.len - head_len < body_len) {
			fake_server_request_release(&r);
			return 0; /* wait for the rest of the body */
		}
		r.body = xmalloc(body_len + 1);
		memcpy(r.body, data + head_len, body_len);
		r.body[body_len] = '\0';
		r.body_len = body_len;

		rest = c->in.len - head_len - body_len;
		memmove(c->in.data, c->in.data + head_len + body_len, rest);
		c->in.len = rest;
		c->in.data[rest] = '\0';
		c->server->ops->request(c, &r);
	}
	if (c->mode == FAKE_SERVER_WS && !c->closing)
		fake_server_ws_parse(c);
	return 0;
}

static const char *
fake_server_reason(int status)
{
	switch (status) {
	case 101:
		return "Switching Protocols";
	case 200:
		return "OK";
	case 201:
		return "Created";
	case 204:
		return "No Content";
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 429:
		return "Too Many Requests";
	case 500:
		return "Internal Server Error";
	case 501:
		return "Not Implemented";
	case 502:
		return "Bad Gateway";
	case 503:
		return "Service Unavailable";
	default:
		return "Status";
	}
}

char *
fake_server_response(int status, const char *headers, const char *body,
		     size_t len, size_t *out_len)
{
	struct buf out;

	buf_init(&out, (size_t)-1 / 2);
	buf_printf(&out, "HTTP/1.1 %d %s\r\nContent-Length: %zu\r\n%s\r\n",
		   status, fake_server_reason(status), len, headers);
	buf_add(&out, body, len);
	*out_len = out.len;
	return buf_detach(&out);
}

/* WebSocket. */

/* SHA-1 (FIPS 180-4) of len bytes of data into out. */
static void
fake_server_sha1(const unsigned char *data, size_t len, unsigned char out[20])
{
	uint32_t h[5] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476,
			  0xc3d2e1f0 };
	uint32_t w[80], a, b, c, d, e, k, fn, t;
	unsigned char block[64];
	uint64_t bits = (uint64_t)len * 8;
	size_t total = ((len + 8) / 64 + 1) * 64, off, i, j;

	for (off = 0; off < total; off += 64) {
		for (i = 0; i < 64; i++) {
			j = off + i;
			if (j < len)
				block[i] = data[j];
			else if (j == len)
				block[i] = 0x80;
			else if (j >= total - 8)
				block[i] =
				    (unsigned char)(bits >>
						    (8 * (total - 1 - j)));
			else
				block[i] = 0;
		}
		for (i = 0; i < 16; i++)
			w[i] = (uint32_t)block[4 * i] << 24 |
			       (uint32_t)block[4 * i + 1] << 16 |
			       (uint32_t)block[4 * i + 2] << 8 |
			       (uint32_t)block[4 * i + 3];
		for (i = 16; i < 80; i++) {
			t = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16];
			w[i] = t << 1 | t >> 31;
		}
		a = h[0];
		b = h[1];
		c = h[2];
		d = h[3];
		e = h[4];
		for (i = 0; i < 80; i++) {
			if (i < 20) {
				fn = (b & c) | (~b & d);
				k = 0x5a827999;
			} else if (i < 40) {
				fn = b ^ c ^ d;
				k = 0x6ed9eba1;
			} else if (i < 60) {
				fn = (b & c) | (b & d) | (c & d);
				k = 0x8f1bbcdc;
			} else {
				fn = b ^ c ^ d;
				k = 0xca62c1d6;
			}
			t = (a << 5 | a >> 27) + fn + e + k + w[i];
			e = d;
			d = c;
			c = b << 30 | b >> 2;
			b = a;
			a = t;
		}
		h[0] += a;
		h[1] += b;
		h[2] += c;
		h[3] += d;
		h[4] += e;
	}
	for (i = 0; i < 20; i++)
		out[i] = (unsigned char)(h[i / 4] >> (24 - 8 * (i % 4)));
}

void
fake_server_ws_accept(const char *key, char out[29])
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrs"
	    "tuvwxyz0123456789+/";
	static const char guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
	unsigned char digest[21];
	char *s = xasprintf("%s%s", key, guid);
	size_t i, o = 0;
	uint32_t v;

	fake_server_sha1((const unsigned char *)s, strlen(s), digest);
	free(s);
	digest[20] = 0;
	for (i = 0; i < 21; i += 3) {
		v = (uint32_t)digest[i] << 16 | (uint32_t)digest[i + 1] << 8 |
		    (uint32_t)digest[i + 2];
		out[o++] = b64[v >> 18 & 63];
		out[o++] = b64[v >> 12 & 63];
		out[o++] = b64[v >> 6 & 63];
		out[o++] = b64[v & 63];
	}
	out[27] = '=';
	out[28] = '\0';
}

int
fake_server_ws_valid(const struct fake_server_header *headers, size_t n)
{
	const char *key, *version;

	key = fake_server_header(headers, n, "Sec-WebSocket-Key");
	version = fake_server_header(headers, n, "Sec-WebSocket-Version");
	return fake_server_header_has(headers, n, "Upgrade", "websocket") &&
	       fake_server_header_has(headers, n, "Connection", "upgrade") &&
	       key != NULL && strlen(key) == 24 && version != NULL &&
	       strcmp(version, "13") == 0;
}

int
fake_server_ws_upgrade(struct fake_server_conn *c,
		       const struct fake_server_header *headers, size_t n)
{
	char accept[29], *out;

	if (!fake_server_ws_valid(headers, n))
		return -1;
	fake_server_ws_accept(
	    fake_server_header(headers, n, "Sec-WebSocket-Key"), accept);
	out = xasprintf("HTTP/1.1 101 Switching Protocols\r\n"
			"Upgrade: websocket\r\nConnection: Upgrade\r\n"
			"Sec-WebSocket-Accept: %s\r\n\r\n",
			accept);
	fake_server_send(c, out, strlen(out), 0);
	c->mode = FAKE_SERVER_WS;
	return 0;
}

void
fake_server_ws_frame(struct fake_server_conn *c, int opcode,
		     const char *payload, size_t len, int close_after)
{
	char *frame = xmalloc(len + 10);
	size_t h = 2, i;

	frame[0] = (char)(0x80 | opcode);
	if (len < 126)
		frame[1] = (char)len;
	else if (len <= 0xffff) {
		frame[1] = 126;
		frame[2] = (char)(len >> 8);
		frame[3] = (char)len;
		h = 4;
	} else {
		frame[1] = 127;
		for (i = 0; i < 8; i++)
			frame[2 + i] = (char)((uint64_t)len >> (56 - 8 * i));
		h = 10;
	}
	if (len > 0)
		memcpy(frame + h, payload, len);
	fake_server_send(c, frame, h + len, close_after);
}

void
fake_server_ws_text(struct fake_server_conn *c, const char *text)
{
	fake_server_ws_frame(c, FAKE_WS_TEXT, text, strlen(text), 0);
}

void
fake_server_ws_close(struct fake_server_conn *c, int code)
{
	char payload[2];

	c->hung = 1; /* read nothing more */
	uv_timer_stop(&c->timer);
	fake_server_detach(c);
	if (c->close_sent) {
		fake_server_conn_close(c);
		return;
	}
	c->close_sent = 1;
	payload[0] = (char)(code >> 8);
	payload[1] = (char)code;
	fake_server_ws_frame(c, FAKE_WS_CLOSE, payload, 2, 1);
}

/* One complete data frame's payload: add it to the message under way. */
static void
fake_server_ws_data(struct fake_server_conn *c, int opcode, int fin,
		    const char *payload, size_t len)
{
	if ((opcode == FAKE_WS_CONT) != (c->msg_opcode != 0)) {
		fake_server_ws_close(c, 1002);
		return;
	}
	if (opcode != FAKE_WS_CONT)
		c->msg_opcode = opcode;
	if (buf_add(&c->msg, payload, len) != 0) {
		fake_server_ws_close(c, 1009);
		return;
	}
	if (!fin)
		return;
	if (c->msg_opcode == FAKE_WS_TEXT) {
		if (c->msg.len > 0 && !utf8_valid(c->msg.data, c->msg.len)) {
			fake_server_ws_close(c, 1007);
			return;
		}
		if (c->server->ops->ws_message != NULL)
			c->server->ops->ws_message(c, buf_str(&c->msg),
						   c->msg.len);
	}
	buf_reset(&c->msg);
	c->msg_opcode = 0;
}

/*
 * Take every complete client frame from c's buffer; a protocol error
 * sends a close frame and closes c.
 */
static void
fake_server_ws_parse(struct fake_server_conn *c)
{
	unsigned char *p;
	uint64_t len;
	size_t h, i, frame;
	int fin, opcode, code;
	char *payload;

	while (!c->closing && !c->hung && c->in.len >= 2) {
		p = (unsigned char *)c->in.data;
		fin = p[0] & 0x80;
		opcode = p[0] & 0x0f;
		len = p[1] & 0x7f;
		h = 2;
		if ((p[0] & 0x70) != 0 || (p[1] & 0x80) == 0) {
			fake_server_ws_close(c, 1002); /* reserved; unmasked */
			return;
		}
		if (len == 126) {
			if (c->in.len < 4)
				return;
			len = (uint64_t)p[2] << 8 | p[3];
			h = 4;
		} else if (len == 127) {
			if (c->in.len < 10)
				return;
			for (len = 0, i = 0; i < 8; i++)
				len = len << 8 | p[2 + i];
			h = 10;
		}
		if (opcode >= 0x8 && (!fin || len > 125)) {
			fake_server_ws_close(c, 1002);
			return;
		}
		if (len > c->server->max_message) {
			fake_server_ws_close(c, 1009);
			return;
		}
		frame = h + 4 + (size_t)len;
		if (c->in.len < frame)
			return;
		payload = xmalloc((size_t)len + 1);
		for (i = 0; i < len; i++)
			payload[i] = (char)(p[h + 4 + i] ^ p[h + i % 4]);
		payload[len] = '\0';
		memmove(c->in.data, c->in.data + frame, c->in.len - frame);
		c->in.len -= frame;
		c->in.data[c->in.len] = '\0';

		switch (opcode) {
		case FAKE_WS_CONT:
		case FAKE_WS_TEXT:
		case FAKE_WS_BINARY:
			fake_server_ws_data(c, opcode, fin, payload,
					    (size_t)len);
			break;
		case FAKE_WS_CLOSE:
			code = len >= 2 ? ((unsigned char)payload[0] << 8 |
					   (unsigned char)payload[1])
					: 1000;
			fake_server_ws_close(c, code);
			break;
		case FAKE_WS_PING:
			fake_server_ws_frame(c, FAKE_WS_PONG, payload,
					     (size_t)len, 0);
			break;
		case FAKE_WS_PONG:
			c->server->ws_pongs++;
			break;
		default:
			fake_server_ws_close(c, 1002);
			break;
		}
		free(payload);
	}
}

/* Waiting. */

struct fake_server_wait {
	uv_timer_t timer;
	int expired;
};

static void
fake_server_on_wait_timer(uv_timer_t *t)
{
	struct fake_server_wait *w = t->data;

	w->expired = 1;
}

static void
fake_server_on_wait_closed(uv_handle_t *h)
{
	free(h->data);
}

int
fake_server_wait(uv_loop_t *loop, int (*done)(void *), void *arg,
		 uint64_t timeout_ms)
{
	struct fake_server_wait *w = xcalloc(1, sizeof *w);
	int rc;

	if (uv_timer_init(loop, &w->timer) != 0)
		fatal("cannot start a timer");
	w->timer.data = w;
	uv_timer_start(&w->timer, fake_server_on_wait_timer, timeout_ms, 0);
	while (!done(arg) && !w->expired)
		uv_run(loop, UV_RUN_ONCE);
	rc = done(arg) ? 0 : -1;
	uv_close((uv_handle_t *)&w->timer, fake_server_on_wait_closed);
	return rc;
}
