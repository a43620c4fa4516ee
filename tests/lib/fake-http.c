/* SPDX-License-Identifier: MIT */
/*
 * fake-http.c: the scripted HTTP/1.1 test server; see fake-http.h.
 *
 * The connections, the request parsing and the limits are fake-server.c's.
 * Each complete request is recorded and answered according to the first
 * matching route; a hanging route leaves it unanswered (and the
 * connection stops parsing further requests). The server is freed once
 * fake-server.c has closed its last libuv handle.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake-http.h"
#include "fake-server.h"
#include "lihui/xmalloc.h"

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

struct fake_http {
	struct fake_server *server;
	struct fake_route *routes;
	size_t nroutes;
	struct fake_http_request *requests;
	size_t nrequests;
};

static void fake_on_request(struct fake_server_conn *,
			    struct fake_server_request *);
static void fake_free(void *);

static const struct fake_server_ops fake_ops = {
	.request = fake_on_request,
	.freed = fake_free,
};

struct fake_http *
fake_http_new(uv_loop_t *loop, char **cause)
{
	struct fake_http *f;

	f = xcalloc(1, sizeof *f);
	f->server = fake_server_new(loop, &fake_ops, f, FAKE_HTTP_MAX_REQUEST,
				    0, cause);
	if (f->server == NULL) {
		free(f);
		return NULL;
	}
	return f;
}

int
fake_http_port(const struct fake_http *f)
{
	return fake_server_port(f->server);
}

char *
fake_http_url(const struct fake_http *f, const char *target)
{
	return xasprintf("http://127.0.0.1:%d%s", fake_server_port(f->server),
			 target);
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
	return fake_server_header(r->headers, r->nheaders, name);
}

void
fake_http_close(struct fake_http *f)
{
	fake_server_close(f->server);
}

/* Record request in and send the first matching route's answer (or 404). */
static void
fake_on_request(struct fake_server_conn *c, struct fake_server_request *in)
{
	struct fake_http *f = c->owner;
	const struct fake_route *route = NULL;
	struct fake_http_request *r;
	char *out;
	size_t i, len;

	f->requests =
	    xreallocarray(f->requests, f->nrequests + 1, sizeof *f->requests);
	r = &f->requests[f->nrequests++];
	r->method = in->method;
	r->target = in->target;
	r->headers = in->headers;
	r->nheaders = in->nheaders;
	r->body = in->body;
	r->body_len = in->body_len;
	free(in->path);

	for (i = 0; i < f->nroutes; i++) {
		if (strcmp(f->routes[i].method, r->method) == 0 &&
		    strcmp(f->routes[i].target, r->target) == 0) {
			route = &f->routes[i];
			break;
		}
	}
	if (route != NULL && route->hang) {
		fake_server_hang(c);
		return;
	}
	if (route == NULL)
		out = fake_server_response(404, "", "", 0, &len);
	else
		out = fake_server_response(route->status, route->headers,
					   route->body, route->body_len, &len);
	fake_server_send(c, out, len, 0);
}

static void
fake_free(void *owner)
{
	struct fake_http *f = owner;
	size_t i;

	for (i = 0; i < f->nroutes; i++) {
		free(f->routes[i].method);
		free(f->routes[i].target);
		free(f->routes[i].headers);
		free(f->routes[i].body);
	}
	free(f->routes);
	for (i = 0; i < f->nrequests; i++) {
		fake_server_headers_free(f->requests[i].headers,
					 f->requests[i].nheaders);
		free(f->requests[i].method);
		free(f->requests[i].target);
		free(f->requests[i].body);
	}
	free(f->requests);
	free(f);
}
