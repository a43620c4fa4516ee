/* SPDX-License-Identifier: MIT */
/*
 * fake-http.c: the scripted HTTP/1.1 test server; see fake-http.h.
 *
 * Each connection collects bytes in a capped buffer. Whenever the buffer
 * holds a complete request (head plus Content-Length bytes of body), the
 * request is recorded, removed from the buffer and answered according to
 * the first matching route; a hanging route leaves it unanswered (and the
 * connection stops parsing further requests). Anything malformed or too
 * large closes the connection. The server is freed from the close
 * callback of its last libuv handle.
 */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fake-http.h"
#include "lihui/buf.h"
#include "lihui/xmalloc.h"
#include "loopback.h"

/* The most a single request (head and body) may take. */
#define FAKE_HTTP_MAX_REQUEST (8 * 1024 * 1024)

struct fake_route {
	char *method;
	char *target;
	int status;
	char *headers;
	char *body;
	size_t body_len;
	int hang;
};

struct fake_conn {
	uv_tcp_t tcp;
	struct fake_http *server;
	struct buf in;
	int hung;
	int closing;
	struct fake_conn *prev;
	struct fake_conn *next;
};

struct fake_write {
	uv_write_t req;
	char *data;
};

struct fake_http {
	uv_loop_t *loop;
	uv_tcp_t listener;
	int port;
	int closing;
	int open; /* libuv handles not yet closed */
	struct fake_route *routes;
	size_t nroutes;
	struct fake_http_request *requests;
	size_t nrequests;
	struct fake_conn *conns;
};

static void fake_on_connection(uv_stream_t *, int);
static void fake_on_alloc(uv_handle_t *, size_t, uv_buf_t *);
static void fake_on_read(uv_stream_t *, ssize_t, const uv_buf_t *);
static void fake_on_write(uv_write_t *, int);
static void fake_on_listener_closed(uv_handle_t *);
static void fake_on_conn_closed(uv_handle_t *);
static void fake_conn_close(struct fake_conn *);
static int fake_conn_parse(struct fake_conn *);
static void fake_answer(struct fake_conn *, const struct fake_http_request *);
static void fake_free(struct fake_http *);

struct fake_http *
fake_http_new(uv_loop_t *loop, char **cause)
{
	struct fake_http *f;
	int error;

	f = xcalloc(1, sizeof *f);
	f->loop = loop;
	error = uv_tcp_init(loop, &f->listener);
	if (error != 0) {
		free(f);
		set_cause(cause, "cannot create socket: %s",
			  uv_strerror(error));
		return NULL;
	}
	f->listener.data = f;
	f->open = 1;
	if (loopback_listen(&f->listener, fake_on_connection, &f->port,
			    cause) != 0) {
		fake_http_close(f);
		return NULL;
	}
	return f;
}

int
fake_http_port(const struct fake_http *f)
{
	return f->port;
}

char *
fake_http_url(const struct fake_http *f, const char *target)
{
	return xasprintf("http://127.0.0.1:%d%s", f->port, target);
}

void
fake_http_route_len(struct fake_http *f, const char *method, const char *target,
		    int status, const char *headers, const char *body,
		    size_t len)
{
	struct fake_route *r;

	f->routes = xreallocarray(f->routes, f->nroutes + 1, sizeof *r);
	r = &f->routes[f->nroutes++];
	memset(r, 0, sizeof *r);
	r->method = xstrdup(method);
	r->target = xstrdup(target);
	r->status = status;
	r->headers = xstrdup(headers != NULL ? headers : "");
	r->body = xmalloc(len + 1);
	if (len > 0)
		memcpy(r->body, body, len);
	r->body[len] = '\0';
	r->body_len = len;
}

void
fake_http_route(struct fake_http *f, const char *method, const char *target,
		int status, const char *headers, const char *body)
{
	fake_http_route_len(f, method, target, status, headers,
			    body != NULL ? body : "",
			    body != NULL ? strlen(body) : 0);
}

void
fake_http_hang(struct fake_http *f, const char *method, const char *target)
{
	fake_http_route(f, method, target, 0, NULL, NULL);
	f->routes[f->nroutes - 1].hang = 1;
}

size_t
fake_http_count(const struct fake_http *f)
{
	return f->nrequests;
}

const struct fake_http_request *
fake_http_request_at(const struct fake_http *f, size_t i)
{
	return i < f->nrequests ? &f->requests[i] : NULL;
}

const struct fake_http_request *
fake_http_find(const struct fake_http *f, const char *target)
{
	size_t i;

	for (i = 0; i < f->nrequests; i++) {
		if (strcmp(f->requests[i].target, target) == 0)
			return &f->requests[i];
	}
	return NULL;
}

const char *
fake_http_header(const struct fake_http_request *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nheaders; i++) {
		if (strcasecmp(r->headers[i].name, name) == 0)
			return r->headers[i].value;
	}
	return NULL;
}

void
fake_http_close(struct fake_http *f)
{
	if (f->closing)
		return;
	f->closing = 1;
	while (f->conns != NULL)
		fake_conn_close(f->conns);
	uv_close((uv_handle_t *)&f->listener, fake_on_listener_closed);
}

static void
fake_on_connection(uv_stream_t *listener, int status)
{
	struct fake_http *f = listener->data;
	struct fake_conn *c;

	if (status < 0 || f->closing)
		return;
	c = xcalloc(1, sizeof *c);
	c->server = f;
	buf_init(&c->in, FAKE_HTTP_MAX_REQUEST);
	if (uv_tcp_init(f->loop, &c->tcp) != 0) {
		free(c);
		return;
	}
	c->tcp.data = c;
	f->open++;
	c->next = f->conns;
	if (f->conns != NULL)
		f->conns->prev = c;
	f->conns = c;
	if (uv_accept(listener, (uv_stream_t *)&c->tcp) != 0 ||
	    uv_read_start((uv_stream_t *)&c->tcp, fake_on_alloc,
			  fake_on_read) != 0)
		fake_conn_close(c);
}

static void
fake_on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *b)
{
	(void)h;
	b->base = xmalloc(suggested);
	b->len = suggested;
}

static void
fake_on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *b)
{
	struct fake_conn *c = s->data;

	if (n < 0) {
		free(b->base);
		fake_conn_close(c);
		return;
	}
	if (buf_add(&c->in, b->base, (size_t)n) != 0) {
		free(b->base);
		fake_conn_close(c);
		return;
	}
	free(b->base);
	if (!c->hung && fake_conn_parse(c) != 0)
		fake_conn_close(c);
}

static void
fake_on_write(uv_write_t *req, int status)
{
	struct fake_write *w = (struct fake_write *)req;

	(void)status;
	free(w->data);
	free(w);
}

static void
fake_on_listener_closed(uv_handle_t *h)
{
	struct fake_http *f = h->data;

	if (--f->open == 0)
		fake_free(f);
}

static void
fake_on_conn_closed(uv_handle_t *h)
{
	struct fake_conn *c = h->data;
	struct fake_http *f = c->server;

	buf_release(&c->in);
	free(c);
	if (--f->open == 0 && f->closing)
		fake_free(f);
}

static void
fake_conn_close(struct fake_conn *c)
{
	struct fake_http *f = c->server;

	if (c->closing)
		return;
	c->closing = 1;
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		f->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	uv_close((uv_handle_t *)&c->tcp, fake_on_conn_closed);
}

/* Copy [p, p + len) without surrounding blanks. Caller frees. */
static char *
fake_strip(const char *p, size_t len)
{
	while (len > 0 && (*p == ' ' || *p == '\t')) {
		p++;
		len--;
	}
	while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
		len--;
	return xstrndup(p, len);
}

static void
fake_request_release(struct fake_http_request *r)
{
	size_t i;

	for (i = 0; i < r->nheaders; i++) {
		free(r->headers[i].name);
		free(r->headers[i].value);
	}
	free(r->headers);
	free(r->method);
	free(r->target);
	free(r->body);
}

/*
 * Record and answer every complete request in c's buffer. Returns -1 if
 * the input is malformed (the caller closes the connection).
 */
static int
fake_conn_parse(struct fake_conn *c)
{
	struct fake_http *f = c->server;
	struct fake_http_request r;
	const char *data, *end, *line, *eol, *colon, *sp1, *sp2, *v;
	size_t head_len, body_len, rest;
	char *endp;
	unsigned long long cl;

	while (!c->hung && !c->closing && c->in.len > 0) {
		data = c->in.data;
		end = strstr(data, "\r\n\r\n");
		if (end == NULL)
			return memchr(data, '\0', c->in.len) != NULL ? -1 : 0;
		head_len = (size_t)(end - data) + 4;

		memset(&r, 0, sizeof r);
		eol = strstr(data, "\r\n");
		sp1 = memchr(data, ' ', (size_t)(eol - data));
		sp2 = sp1 != NULL
			  ? memchr(sp1 + 1, ' ', (size_t)(eol - sp1 - 1))
			  : NULL;
		if (sp1 == NULL || sp2 == NULL ||
		    strncmp(sp2 + 1, "HTTP/1.", 7) != 0)
			return -1;
		r.method = xstrndup(data, (size_t)(sp1 - data));
		r.target = xstrndup(sp1 + 1, (size_t)(sp2 - sp1 - 1));

		body_len = 0;
		for (line = eol + 2; line < end; line = eol + 2) {
			eol = strstr(line, "\r\n");
			colon = memchr(line, ':', (size_t)(eol - line));
			if (colon == NULL || colon == line) {
				fake_request_release(&r);
				return -1;
			}
			r.headers = xreallocarray(r.headers, r.nheaders + 1,
						  sizeof *r.headers);
			r.headers[r.nheaders].name =
			    xstrndup(line, (size_t)(colon - line));
			r.headers[r.nheaders].value =
			    fake_strip(colon + 1, (size_t)(eol - colon - 1));
			r.nheaders++;
		}
		if (fake_http_header(&r, "Transfer-Encoding") != NULL) {
			fake_request_release(&r);
			return -1;
		}
		v = fake_http_header(&r, "Content-Length");
		if (v != NULL) {
			if (!isdigit((unsigned char)v[0])) {
				fake_request_release(&r);
				return -1;
			}
			cl = strtoull(v, &endp, 10);
			if (*endp != '\0' || cl > FAKE_HTTP_MAX_REQUEST) {
				fake_request_release(&r);
				return -1;
			}
			body_len = (size_t)cl;
		}
		if (c->in.len - head_len < body_len) {
			fake_request_release(&r);
			return 0; /* wait for the rest of the body */
		}
		r.body = xmalloc(body_len + 1);
		memcpy(r.body, data + head_len, body_len);
		r.body[body_len] = '\0';
		r.body_len = body_len;

		f->requests = xreallocarray(f->requests, f->nrequests + 1,
					    sizeof *f->requests);
		f->requests[f->nrequests++] = r;

		rest = c->in.len - head_len - body_len;
		memmove(c->in.data, c->in.data + head_len + body_len, rest);
		c->in.len = rest;
		c->in.data[rest] = '\0';

		fake_answer(c, &f->requests[f->nrequests - 1]);
	}
	return 0;
}

static const char *
fake_reason(int status)
{
	switch (status) {
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
	case 503:
		return "Service Unavailable";
	default:
		return "Status";
	}
}

/* Send the first matching route's answer (or 404), or hang. */
static void
fake_answer(struct fake_conn *c, const struct fake_http_request *r)
{
	struct fake_http *f = c->server;
	const struct fake_route *route = NULL;
	struct fake_write *w;
	struct buf out;
	uv_buf_t b;
	size_t i;

	for (i = 0; i < f->nroutes; i++) {
		if (strcmp(f->routes[i].method, r->method) == 0 &&
		    strcmp(f->routes[i].target, r->target) == 0) {
			route = &f->routes[i];
			break;
		}
	}
	if (route != NULL && route->hang) {
		c->hung = 1;
		return;
	}

	buf_init(&out, (size_t)-1 / 2);
	if (route == NULL)
		buf_printf(&out, "HTTP/1.1 404 Not Found\r\n"
				 "Content-Length: 0\r\n\r\n");
	else {
		buf_printf(&out,
			   "HTTP/1.1 %d %s\r\nContent-Length: %zu\r\n%s\r\n",
			   route->status, fake_reason(route->status),
			   route->body_len, route->headers);
		buf_add(&out, route->body, route->body_len);
	}
	w = xcalloc(1, sizeof *w);
	b.len = out.len;
	w->data = buf_detach(&out);
	b.base = w->data;
	if (uv_write(&w->req, (uv_stream_t *)&c->tcp, &b, 1, fake_on_write) !=
	    0) {
		free(w->data);
		free(w);
		fake_conn_close(c);
	}
}

static void
fake_free(struct fake_http *f)
{
	size_t i;

	for (i = 0; i < f->nroutes; i++) {
		free(f->routes[i].method);
		free(f->routes[i].target);
		free(f->routes[i].headers);
		free(f->routes[i].body);
	}
	free(f->routes);
	for (i = 0; i < f->nrequests; i++)
		fake_request_release(&f->requests[i]);
	free(f->requests);
	free(f);
}
