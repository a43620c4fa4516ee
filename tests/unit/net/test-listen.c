/* SPDX-License-Identifier: MIT */
/*
 * test-listen.c: the slash-command HTTP listener on a real libuv loop.
 *
 * Each test starts a listener on 127.0.0.1 with a kernel-picked port, then
 * queues one uv work item that makes its requests with blocking libcurl
 * easy calls on a threadpool thread, so the loop keeps serving them. When
 * the work is done the listener is stopped, the loop runs dry and closes,
 * and the results are checked on the main thread.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <curl/curl.h>
#include <uv.h>

#include "lihui/buf.h"
#include "lihui/listen.h"
#include "lihui/xmalloc.h"

#define MAX_BODY 1024
#define MAX_REQ	 8

/* One request the client makes, and what came back. */
struct req {
	const char *method; /* NULL: GET, or POST when body is set */
	const char *target; /* path and query */
	const char *body;
	size_t body_len;
	const char *ctype;
	const char *auth;
	int chunked; /* send the body with Transfer-Encoding: chunked */
	size_t sent;

	long status;
	char *rtype;
	struct buf rbody;
	int curl_rc;
	uint64_t done_ns; /* uv_hrtime() when the answer was complete */
};

/* What the handler saw, for one call. */
struct seen {
	char *method;
	char *path;
	char *query;
	char *ctype;
	char *auth;
	char *body;
	size_t body_len;
};

struct fixture {
	uv_loop_t loop;
	struct listener *l;
	int port;
	struct req reqs[MAX_REQ];
	size_t nreq;
	int reuse; /* one curl handle for all requests (keep-alive) */
	struct seen seen[MAX_REQ];
	size_t nseen;
	/* the handler's reply */
	int reply_status;
	const char *reply_type;
	const char *reply_body;
	uv_work_t work;
	int stopped;
	int hold_fd; /* > 0: a raw connection left open across the stop */
	/* Replies wait for durable(after); 0: no durable callback. */
	uint64_t after;
	uint64_t durable_gen; /* durable() says yes up to this */
	uint64_t release_ns;  /* when the test moved durable_gen up */
	uv_timer_t release;
};

static const char *const paths[] = { "/mm", "/slack", NULL };

static void handler(void *arg, const struct listen_request *req,
		    struct listen_reply *reply);
static size_t on_data(char *ptr, size_t size, size_t n, void *arg);
static size_t on_read(char *ptr, size_t size, size_t n, void *arg);
static void do_one(CURL *c, int port, struct req *r);
static int hold_open(int port);
static void client_work(uv_work_t *w);
static void client_done(uv_work_t *w, int status);
static void on_stopped(void *arg);
static void fx_start(struct fixture *fx);
static void read_sigcgt(char *out, size_t size);
static void fx_run(struct fixture *fx);
static void fx_free(struct fixture *fx);
static struct req *fx_add(struct fixture *fx, const char *method,
			  const char *target, const char *body);

static void
handler(void *arg, const struct listen_request *req, struct listen_reply *reply)
{
	struct fixture *fx = arg;
	struct seen *s;

	assert_true(fx->nseen < MAX_REQ);
	s = &fx->seen[fx->nseen++];
	s->method = xstrdup(req->method);
	s->path = xstrdup(req->path);
	s->query = xstrdup(req->query);
	s->ctype = xstrdup(req->content_type);
	s->auth = xstrdup(req->authorization);
	s->body = xmalloc(req->body_len + 1);
	memcpy(s->body, req->body, req->body_len + 1);
	s->body_len = req->body_len;

	if (fx->reply_status != 0)
		reply->status = fx->reply_status;
	if (fx->reply_type != NULL)
		reply->content_type = fx->reply_type;
	if (fx->reply_body != NULL)
		reply->body = xstrdup(fx->reply_body);
	reply->after = fx->after;
}

static int
durable(void *arg, uint64_t gen)
{
	struct fixture *fx = arg;

	return gen <= fx->durable_gen;
}

static size_t
on_data(char *ptr, size_t size, size_t n, void *arg)
{
	struct buf *b = arg;

	if (buf_add(b, ptr, size * n) != 0)
		return 0;
	return size * n;
}

/* Feed a chunked body 100 bytes at a time. */
static size_t
on_read(char *ptr, size_t size, size_t n, void *arg)
{
	struct req *r = arg;
	size_t left = r->body_len - r->sent, want = size * n;

	if (want > 100)
		want = 100;
	if (want > left)
		want = left;
	memcpy(ptr, r->body + r->sent, want);
	r->sent += want;
	return want;
}

/* Make one request with handle c (runs on a threadpool thread). */
static void
do_one(CURL *c, int port, struct req *r)
{
	struct curl_slist *h = NULL;
	char url[512], hdr[512];
	char *ct = NULL;

	snprintf(url, sizeof url, "http://127.0.0.1:%d%s", port, r->target);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &r->rbody);
	if (r->chunked) {
		curl_easy_setopt(c, CURLOPT_POST, 1L);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, NULL);
		curl_easy_setopt(c, CURLOPT_READFUNCTION, on_read);
		curl_easy_setopt(c, CURLOPT_READDATA, r);
		h = curl_slist_append(h, "Transfer-Encoding: chunked");
	} else if (r->body != NULL) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, r->body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)r->body_len);
	} else
		curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, r->method);
	if (r->ctype != NULL) {
		snprintf(hdr, sizeof hdr, "Content-Type: %s", r->ctype);
		h = curl_slist_append(h, hdr);
	}
	if (r->auth != NULL) {
		snprintf(hdr, sizeof hdr, "Authorization: %s", r->auth);
		h = curl_slist_append(h, hdr);
	}
	h = curl_slist_append(h, "Expect:");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);

	r->curl_rc = (int)curl_easy_perform(c);
	r->done_ns = uv_hrtime();
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct);
	r->rtype = ct != NULL ? xstrdup(ct) : NULL;
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(h);
}

/*
 * Connect and send half a request; return the socket, left open, or -1.
 * Runs on a threadpool thread, so it reports failure instead of asserting.
 */
static int
hold_open(int port)
{
	static const char part[] = "POST /mm HTTP/1.1\r\nHost: x\r\n"
				   "Content-Length: 10\r\n\r\nab";
	struct sockaddr_in sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		return -1;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
	    write(fd, part, sizeof part - 1) != (ssize_t)(sizeof part - 1)) {
		close(fd);
		return -1;
	}
	/* give the loop time to accept it and read the headers */
	usleep(200 * 1000);
	return fd;
}

static void
client_work(uv_work_t *w)
{
	struct fixture *fx = w->data;
	CURL *c = NULL;
	size_t i;

	for (i = 0; i < fx->nreq; i++) {
		if (c == NULL)
			c = curl_easy_init();
		do_one(c, fx->port, &fx->reqs[i]);
		if (!fx->reuse) {
			curl_easy_cleanup(c);
			c = NULL;
		}
	}
	if (c != NULL)
		curl_easy_cleanup(c);
	if (fx->hold_fd < 0)
		fx->hold_fd = hold_open(fx->port);
}

static void
client_done(uv_work_t *w, int status)
{
	struct fixture *fx = w->data;

	assert_int_equal(status, 0);
	listen_stop(fx->l, on_stopped, fx);
	fx->l = NULL;
}

static void
on_stopped(void *arg)
{
	struct fixture *fx = arg;

	fx->stopped = 1;
}

static struct req *
fx_add(struct fixture *fx, const char *method, const char *target,
       const char *body)
{
	struct req *r;

	assert_true(fx->nreq < MAX_REQ);
	r = &fx->reqs[fx->nreq++];
	r->method = method;
	r->target = target;
	r->body = body;
	r->body_len = body != NULL ? strlen(body) : 0;
	buf_init(&r->rbody, 1 << 20);
	return r;
}

static void
fx_start(struct fixture *fx)
{
	struct listen_config cfg;
	char *cause = NULL;

	assert_int_equal(uv_loop_init(&fx->loop), 0);
	memset(&cfg, 0, sizeof cfg);
	cfg.addr = "127.0.0.1";
	cfg.port = 0;
	cfg.max_body = MAX_BODY;
	cfg.paths = paths;
	cfg.handler = handler;
	cfg.arg = fx;
	if (fx->after != 0)
		cfg.durable = durable;
	fx->l = listen_start(&fx->loop, &cfg, &cause);
	if (fx->l == NULL)
		fail_msg("listen_start: %s", cause);
	assert_null(cause);
	fx->port = listen_port(fx->l);
	assert_true(fx->port > 0 && fx->port < 65536);
}

/* Run the client's requests, stop the listener and close the loop. */
static void
fx_run(struct fixture *fx)
{
	fx->work.data = fx;
	assert_int_equal(
	    uv_queue_work(&fx->loop, &fx->work, client_work, client_done), 0);
	assert_int_equal(uv_run(&fx->loop, UV_RUN_DEFAULT), 0);
	assert_true(fx->stopped);
	assert_int_equal(uv_loop_close(&fx->loop), 0);
}

static void
fx_free(struct fixture *fx)
{
	size_t i;

	for (i = 0; i < fx->nreq; i++) {
		free(fx->reqs[i].rtype);
		buf_release(&fx->reqs[i].rbody);
	}
	for (i = 0; i < fx->nseen; i++) {
		free(fx->seen[i].method);
		free(fx->seen[i].path);
		free(fx->seen[i].query);
		free(fx->seen[i].ctype);
		free(fx->seen[i].auth);
		free(fx->seen[i].body);
	}
	free(fx);
}

/* A Mattermost-style POST form arrives intact; the reply comes back. */
static void
test_post_form(void **state)
{
	static const char form[] =
	    "channel_id=4xp9fdt77pncbef59f4k1qe83o&command=%2Fstandup&"
	    "text=doing+reviewing%20PR%2042%20%E6%97%A5%E6%9C%AC&"
	    "token=s3cret&user_mentions=alice&user_mentions=bob";
	struct fixture *fx = xcalloc(1, sizeof *fx);
	struct req *r;

	(void)state;
	fx->reply_type = "application/json";
	fx->reply_body = "{\"response_type\":\"ephemeral\",\"text\":\"ok\"}";
	fx_start(fx);
	r = fx_add(fx, NULL, "/mm", form);
	r->ctype = "application/x-www-form-urlencoded";
	r->auth = "Token s3cret";
	fx_run(fx);

	assert_int_equal(r->curl_rc, CURLE_OK);
	assert_int_equal(r->status, 200);
	assert_string_equal(r->rtype, "application/json");
	assert_string_equal(buf_str(&r->rbody), fx->reply_body);
	assert_int_equal(fx->nseen, 1);
	assert_string_equal(fx->seen[0].method, "POST");
	assert_string_equal(fx->seen[0].path, "/mm");
	assert_string_equal(fx->seen[0].query, "");
	assert_string_equal(fx->seen[0].ctype,
			    "application/x-www-form-urlencoded");
	assert_string_equal(fx->seen[0].auth, "Token s3cret");
	assert_int_equal(fx->seen[0].body_len, strlen(form));
	assert_memory_equal(fx->seen[0].body, form, strlen(form));
	fx_free(fx);
}

/* A GET's query reaches the handler re-encoded, meaning the same. */
static void
test_get_query(void **state)
{
	static const struct {
		const char *target;
		const char *query;
	} cases[] = {
		{ "/slack?command=%2Fstandup&text=a%26b+c&x=1%3D2",
		  "command=%2Fstandup&text=a%26b%20c&x=1%3D2" },
		{ "/slack", "" },
		{ "/slack?flag&empty=", "flag&empty=" },
		{ "/slack?t=%E6%97%A5-._~", "t=%E6%97%A5-._~" },
	};
	struct fixture *fx = xcalloc(1, sizeof *fx);
	size_t i, n = sizeof cases / sizeof cases[0];

	(void)state;
	fx->reply_status = 201;
	fx->reply_type = "text/plain";
	fx->reply_body = "got it";
	fx_start(fx);
	for (i = 0; i < n; i++)
		fx_add(fx, NULL, cases[i].target, NULL);
	fx_run(fx);

	assert_int_equal(fx->nseen, n);
	for (i = 0; i < n; i++) {
		assert_int_equal(fx->reqs[i].curl_rc, CURLE_OK);
		assert_int_equal(fx->reqs[i].status, 201);
		assert_string_equal(fx->reqs[i].rtype, "text/plain");
		assert_string_equal(buf_str(&fx->reqs[i].rbody), "got it");
		assert_string_equal(fx->seen[i].method, "GET");
		assert_string_equal(fx->seen[i].path, "/slack");
		assert_string_equal(fx->seen[i].query, cases[i].query);
		assert_int_equal(fx->seen[i].body_len, 0);
		assert_string_equal(fx->seen[i].auth, "");
	}
	fx_free(fx);
}

/* Several requests on one keep-alive connection each get their reply. */
static void
test_keepalive(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof *fx);
	size_t i;

	(void)state;
	fx->reuse = 1;
	fx_start(fx);
	fx_add(fx, NULL, "/mm", "a=1");
	fx_add(fx, NULL, "/mm?b=2", NULL);
	fx_add(fx, NULL, "/mm", "c=3&d=4");
	fx_add(fx, NULL, "/mm", "");
	fx_run(fx);

	assert_int_equal(fx->nseen, 4);
	for (i = 0; i < 4; i++) {
		assert_int_equal(fx->reqs[i].curl_rc, CURLE_OK);
		assert_int_equal(fx->reqs[i].status, 200);
		assert_string_equal(fx->reqs[i].rtype,
				    "text/plain; charset=utf-8");
		assert_string_equal(buf_str(&fx->reqs[i].rbody), "");
	}
	assert_string_equal(fx->seen[0].body, "a=1");
	assert_string_equal(fx->seen[1].query, "b=2");
	assert_string_equal(fx->seen[1].method, "GET");
	assert_string_equal(fx->seen[2].body, "c=3&d=4");
	assert_string_equal(fx->seen[3].method, "POST");
	assert_int_equal(fx->seen[3].body_len, 0);
	fx_free(fx);
}

/* Refusals the listener makes itself; the handler never runs. */
static void
test_refused(void **state)
{
	static char big[MAX_BODY * 4 + 1];
	static char edge[MAX_BODY + 2];
	struct fixture *fx = xcalloc(1, sizeof *fx);
	struct req *r[6];
	size_t i;

	(void)state;
	memset(big, 'x', sizeof big - 1);
	memset(edge, 'y', sizeof edge - 1);
	fx_start(fx);
	r[0] = fx_add(fx, NULL, "/mm", big);
	r[1] = fx_add(fx, NULL, "/mm", edge);
	r[2] = fx_add(fx, "PUT", "/mm", "a=1");
	r[3] = fx_add(fx, "DELETE", "/mm", NULL);
	r[4] = fx_add(fx, NULL, "/nope", NULL);
	r[5] = fx_add(fx, NULL, "/mm/", "a=1");
	fx_run(fx);

	assert_int_equal(fx->nseen, 0);
	assert_int_equal(r[0]->status, 413);
	assert_int_equal(r[1]->status, 413);
	assert_int_equal(r[2]->status, 405);
	assert_int_equal(r[3]->status, 405);
	assert_int_equal(r[4]->status, 404);
	assert_int_equal(r[5]->status, 404);
	for (i = 0; i < 6; i++) {
		assert_int_equal(r[i]->curl_rc, CURLE_OK);
		assert_string_equal(r[i]->rtype, "text/plain; charset=utf-8");
	}
	assert_string_equal(buf_str(&r[0]->rbody), "request body too large\n");
	assert_string_equal(buf_str(&r[2]->rbody), "method not allowed\n");
	fx_free(fx);
}

/* A body of exactly max_body bytes is accepted. */
static void
test_body_at_limit(void **state)
{
	static char body[MAX_BODY + 1];
	struct fixture *fx = xcalloc(1, sizeof *fx);
	struct req *r;

	(void)state;
	memset(body, 'z', sizeof body - 1);
	fx_start(fx);
	r = fx_add(fx, NULL, "/mm", body);
	fx_run(fx);

	assert_int_equal(r->status, 200);
	assert_int_equal(fx->nseen, 1);
	assert_int_equal(fx->seen[0].body_len, MAX_BODY);
	assert_memory_equal(fx->seen[0].body, body, MAX_BODY);
	fx_free(fx);
}

/* A binary body (NUL, high bytes) reaches the handler byte for byte. */
static void
test_binary_body(void **state)
{
	static const char body[] = "a\0b\xff\x01=&%zz";
	struct fixture *fx = xcalloc(1, sizeof *fx);
	struct req *r;

	(void)state;
	fx_start(fx);
	r = fx_add(fx, NULL, "/mm", body);
	r->body_len = sizeof body - 1;
	fx_run(fx);

	assert_int_equal(r->status, 200);
	assert_int_equal(fx->nseen, 1);
	assert_int_equal(fx->seen[0].body_len, sizeof body - 1);
	assert_memory_equal(fx->seen[0].body, body, sizeof body);
	fx_free(fx);
}

/* A handler's invalid reply becomes a 500. */
static void
test_bad_reply(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof *fx);
	struct req *r[2];

	(void)state;
	fx->reply_type = "text/plain\r\nX-Evil: 1";
	fx->reply_body = "dropped";
	fx_start(fx);
	r[0] = fx_add(fx, NULL, "/mm", "a=1");
	fx_run(fx);
	assert_int_equal(r[0]->status, 500);
	assert_string_equal(buf_str(&r[0]->rbody), "internal error\n");
	fx_free(fx);

	fx = xcalloc(1, sizeof *fx);
	fx->reply_status = 42;
	fx_start(fx);
	r[1] = fx_add(fx, NULL, "/mm", NULL);
	fx_run(fx);
	assert_int_equal(r[1]->status, 500);
	fx_free(fx);
}

/* The process's caught-signal mask, from /proc/self/status. */
static void
read_sigcgt(char *out, size_t size)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");

	snprintf(out, size, "?");
	if (f == NULL)
		return;
	while (fgets(line, sizeof line, f) != NULL)
		if (strncmp(line, "SigCgt:", 7) == 0)
			snprintf(out, size, "%s", line + 7);
	fclose(f);
}

/* A port already in use fails with a cause; the loop still closes. */
static void
test_port_in_use(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof *fx);
	struct listen_config cfg;
	struct listener *l2;
	char *cause = NULL;

	(void)state;
	fx_start(fx);
	memset(&cfg, 0, sizeof cfg);
	cfg.addr = "127.0.0.1";
	cfg.port = fx->port;
	cfg.max_body = MAX_BODY;
	cfg.paths = paths;
	cfg.handler = handler;
	cfg.arg = fx;
	l2 = listen_start(&fx->loop, &cfg, &cause);
	assert_null(l2);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "cannot listen on 127.0.0.1:"));
	free(cause);

	cause = NULL;
	cfg.port = 70000;
	assert_null(listen_start(&fx->loop, &cfg, &cause));
	assert_non_null(cause);
	free(cause);

	fx_add(fx, NULL, "/mm", NULL);
	fx_run(fx);
	assert_int_equal(fx->reqs[0].status, 200);
	fx_free(fx);
}

/* Chunked bodies (no Content-Length) are refused with 411. */
static void
test_chunked(void **state)
{
	static char big[MAX_BODY * 3];
	struct fixture *fx = xcalloc(1, sizeof *fx);
	struct req *r[2];

	(void)state;
	memset(big, 'q', sizeof big - 1);
	fx_start(fx);
	r[0] = fx_add(fx, NULL, "/mm", "a=1&b=2");
	r[0]->chunked = 1;
	r[1] = fx_add(fx, NULL, "/mm", big);
	r[1]->chunked = 1;
	fx_run(fx);

	assert_int_equal(fx->nseen, 0);
	assert_int_equal(r[0]->curl_rc, CURLE_OK);
	assert_int_equal(r[0]->status, 411);
	assert_string_equal(buf_str(&r[0]->rbody), "content-length required\n");
	assert_int_equal(r[1]->status, 411);
	fx_free(fx);
}

/* Stopping with a half-received request open frees everything. */
static void
test_stop_with_open_connection(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof *fx);
	char sig_before[256], sig_after[256];

	(void)state;
	read_sigcgt(sig_before, sizeof sig_before);
	fx_start(fx);
	/* lws must not take signals over on a loop it does not own */
	read_sigcgt(sig_after, sizeof sig_after);
	assert_string_equal(sig_before, sig_after);
	fx->hold_fd = -1;
	fx_run(fx);
	assert_true(fx->hold_fd > 0);
	close(fx->hold_fd);
	assert_int_equal(fx->nseen, 0);
	fx_free(fx);
}

static void
on_release(uv_timer_t *t)
{
	struct fixture *fx = t->data;

	/* The handler ran, and its answer is still held. */
	assert_int_equal(fx->nseen, 1);
	fx->release_ns = uv_hrtime();
	fx->durable_gen = fx->after;
	listen_durable(fx->l);
	uv_close((uv_handle_t *)t, NULL);
}

/* A reply waiting for durable() leaves only after listen_durable(). */
static void
test_reply_waits_for_durable(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof *fx);
	struct req *r;

	(void)state;
	fx->after = 7;
	fx->durable_gen = 6;
	fx->reply_type = "application/json";
	fx->reply_body = "{}";
	fx_start(fx);
	r = fx_add(fx, NULL, "/mm?text=x", NULL);
	assert_int_equal(uv_timer_init(&fx->loop, &fx->release), 0);
	fx->release.data = fx;
	assert_int_equal(uv_timer_start(&fx->release, on_release, 300, 0), 0);
	fx_run(fx);
	assert_int_equal(r->curl_rc, CURLE_OK);
	assert_int_equal(r->status, 200);
	assert_string_equal(buf_str(&r->rbody), "{}");
	assert_true(fx->release_ns != 0);
	assert_true(r->done_ns > fx->release_ns);
	fx_free(fx);
}

/* Already durable: the reply goes at once, with keep-alive intact. */
static void
test_reply_already_durable(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof *fx);
	struct req *a, *b;

	(void)state;
	fx->after = 3;
	fx->durable_gen = 3;
	fx->reuse = 1;
	fx->reply_body = "ok";
	fx_start(fx);
	a = fx_add(fx, NULL, "/mm", NULL);
	b = fx_add(fx, NULL, "/slack", NULL);
	fx_run(fx);
	assert_int_equal(a->status, 200);
	assert_int_equal(b->status, 200);
	assert_string_equal(buf_str(&b->rbody), "ok");
	assert_int_equal(fx->nseen, 2);
	fx_free(fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_post_form),
		cmocka_unit_test(test_get_query),
		cmocka_unit_test(test_keepalive),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_body_at_limit),
		cmocka_unit_test(test_binary_body),
		cmocka_unit_test(test_bad_reply),
		cmocka_unit_test(test_port_in_use),
		cmocka_unit_test(test_chunked),
		cmocka_unit_test(test_stop_with_open_connection),
		cmocka_unit_test(test_reply_waits_for_durable),
		cmocka_unit_test(test_reply_already_durable),
	};
	int rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
