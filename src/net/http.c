/* SPDX-License-Identifier: MIT */
/*
 * http.c: the asynchronous HTTP client; see http.h.
 *
 * How it works: libcurl's multi-socket API, driven by libuv.
 *
 *  - libcurl tells us which sockets to watch through the socket callback
 *    (CURLMOPT_SOCKETFUNCTION). Each watched socket gets a struct
 *    http_sock holding a uv_poll_t, attached to curl's socket with
 *    curl_multi_assign(); CURL_POLL_REMOVE stops and closes the poll.
 *  - libcurl asks for one timeout through the timer callback
 *    (CURLMOPT_TIMERFUNCTION); it arms the client's single uv_timer_t.
 *  - When a poll or the timer fires we call curl_multi_socket_action()
 *    and then collect finished transfers with curl_multi_info_read(),
 *    calling each request's done callback.
 *
 * Nothing here blocks: name resolution uses curl's threaded resolver and
 * every socket is non-blocking.
 *
 * Invariants:
 *  - Every started request is a struct http_xfer on c->xfers until its
 *    done callback has been called, exactly once (finish, or cancel in
 *    http_client_close()).
 *  - done callbacks run only from http_check_done() or
 *    http_client_close(), never from inside a libcurl callback, so they
 *    may start new requests or close the client. After a close,
 *    c->multi is NULL and http_check_done() stops.
 *  - c->open counts libuv handles not yet closed (the timer and every
 *    poll); the closed callback runs when it drops to 0 while closing.
 *
 * Secrets: request headers carry tokens, so only the method and the
 * URL's path (no query) are ever logged.
 */

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <uv.h>

#include "lihui/buf.h"
#include "lihui/http.h"
#include "lihui/log.h"
#include "lihui/xmalloc.h"

/* A socket libcurl asked us to watch. */
struct http_sock {
	uv_poll_t poll;
	curl_socket_t fd;
	int poll_fd; /* a dup() of fd that poll watches, or -1 (see below) */
	struct http_client *client;
	struct http_sock *prev;
	struct http_sock *next;
};

/* One request in flight. */
struct http_xfer {
	struct http_client *client;
	CURL *easy;
	struct curl_slist *headers;
	struct buf body;
	int too_big;
	int retry_after;
	long timeout_ms;
	char *method; /* for log lines */
	char *path;   /* the URL's path, for log lines */
	http_done_cb done;
	void *arg;
	char errbuf[CURL_ERROR_SIZE];
	struct http_xfer *prev;
	struct http_xfer *next;
};

struct http_client {
	uv_loop_t *loop;
	struct clock clock; /* "now" for HTTP-date Retry-After values */
	CURLM *multi;
	uv_timer_t timer;
	struct http_xfer *xfers;
	struct http_sock *socks;
	int open;
	int closing;
	void (*closed)(void *);
	void *closed_arg;
};

static int http_socket_cb(CURL *, curl_socket_t, int, void *, void *);
static int http_timer_cb(CURLM *, long, void *);
static void http_on_poll(uv_poll_t *, int, int);
static void http_on_timeout(uv_timer_t *);
static void http_on_handle_closed(uv_handle_t *);
static void http_sock_close(struct http_sock *);
static void http_check_done(struct http_client *);
static void http_finish(struct http_xfer *, CURLcode);
static void http_xfer_free(struct http_xfer *);
static size_t http_write_cb(char *, size_t, size_t, void *);
static size_t http_header_cb(char *, size_t, size_t, void *);
static char *http_url_path(const char *);

struct http_client *
http_client_new(uv_loop_t *loop, const struct clock *clock, char **cause)
{
	struct http_client *c;
	CURLcode rc;
	int error;

	rc = curl_global_init(CURL_GLOBAL_DEFAULT);
	if (rc != CURLE_OK) {
		set_cause(cause, "cannot initialise libcurl: %s",
			  curl_easy_strerror(rc));
		return NULL;
	}
	c = xcalloc(1, sizeof *c);
	c->loop = loop;
	c->clock = *clock;
	c->multi = curl_multi_init();
	if (c->multi == NULL) {
		set_cause(cause, "cannot create curl multi handle");
		goto fail;
	}
	error = uv_timer_init(loop, &c->timer);
	if (error != 0) {
		set_cause(cause, "cannot create timer: %s", uv_strerror(error));
		goto fail;
	}
	c->timer.data = c;
	c->open = 1;
	curl_multi_setopt(c->multi, CURLMOPT_SOCKETFUNCTION, http_socket_cb);
	curl_multi_setopt(c->multi, CURLMOPT_SOCKETDATA, c);
	curl_multi_setopt(c->multi, CURLMOPT_TIMERFUNCTION, http_timer_cb);
	curl_multi_setopt(c->multi, CURLMOPT_TIMERDATA, c);
	return c;

fail:
	if (c->multi != NULL)
		curl_multi_cleanup(c->multi);
	free(c);
	curl_global_cleanup();
	return NULL;
}

void
http_client_close(struct http_client *c, void (*closed)(void *), void *arg)
{
	struct http_xfer *x;
	struct http_response resp;
	CURLM *multi;

	if (c->closing)
		BUG("http client closed twice");
	c->closing = 1;
	c->closed = closed;
	c->closed_arg = arg;

	/* Done callbacks may start requests; those are refused now. */
	while ((x = c->xfers) != NULL) {
		c->xfers = x->next;
		if (c->xfers != NULL)
			c->xfers->prev = NULL;
		curl_multi_remove_handle(c->multi, x->easy);
		log_debug("%s %s: cancelled", x->method, x->path);
		memset(&resp, 0, sizeof resp);
		resp.body = "";
		resp.retry_after = -1;
		resp.error = "request cancelled: http client closed";
		x->done(x->arg, &resp);
		http_xfer_free(x);
	}

	/* c->multi is NULL while curl's callbacks may still run. */
	multi = c->multi;
	c->multi = NULL;
	curl_multi_cleanup(multi);
	while (c->socks != NULL)
		http_sock_close(c->socks);
	uv_timer_stop(&c->timer);
	uv_close((uv_handle_t *)&c->timer, http_on_handle_closed);
}

void
http_client_free(struct http_client *c)
{
	if (c == NULL)
		return;
	if (!c->closing || c->open != 0)
		BUG("http client freed before it was closed");
	free(c);
	curl_global_cleanup();
}

int
http_request_start(struct http_client *c, const struct http_request *req,
		   http_done_cb done, void *arg, char **cause)
{
	struct http_xfer *x;
	struct curl_slist *l;
	size_t i, max;
	CURLMcode mrc;
	CURLcode rc = CURLE_OK;

	if (c->closing)
		return set_cause(cause, "http client is closing");
	if (req->method == NULL || req->url == NULL || done == NULL)
		return set_cause(cause, "http request without method or url");
	if (req->method[0] == '\0' || strpbrk(req->method, " \r\n") != NULL)
		return set_cause(cause, "bad http method '%s'", req->method);
	if (req->body == NULL && req->body_len != 0)
		return set_cause(cause,
				 "http request body length without body");

	x = xcalloc(1, sizeof *x);
	x->client = c;
	x->done = done;
	x->arg = arg;
	x->retry_after = -1;
	x->timeout_ms = req->timeout_ms;
	x->method = xstrdup(req->method);
	x->path = http_url_path(req->url);
	max = req->max_response != 0 ? req->max_response
				     : HTTP_MAX_RESPONSE_DEFAULT;
	buf_init(&x->body, max);

	x->easy = curl_easy_init();
	if (x->easy == NULL) {
		set_cause(cause, "cannot create curl handle");
		goto fail;
	}
	/* Without "Expect:" curl waits for 100-continue on larger bodies. */
	x->headers = curl_slist_append(NULL, "Expect:");
	for (i = 0; req->headers != NULL && req->headers[i] != NULL; i++) {
		if (strpbrk(req->headers[i], "\r\n") != NULL) {
			set_cause(cause, "http header %zu contains a newline",
				  i);
			goto fail;
		}
		l = curl_slist_append(x->headers, req->headers[i]);
		if (l == NULL)
			fatal("out of memory");
		x->headers = l;
	}
	if (x->headers == NULL)
		fatal("out of memory");

#define HTTP_SETOPT(opt, val)                                                  \
	do {                                                                   \
		if (rc == CURLE_OK)                                            \
			rc = curl_easy_setopt(x->easy, (opt), (val));          \
	} while (0)
	HTTP_SETOPT(CURLOPT_URL, req->url);
	HTTP_SETOPT(CURLOPT_PROTOCOLS_STR, "http,https");
	HTTP_SETOPT(CURLOPT_NOSIGNAL, 1L);
	HTTP_SETOPT(CURLOPT_PRIVATE, x);
	HTTP_SETOPT(CURLOPT_ERRORBUFFER, x->errbuf);
	HTTP_SETOPT(CURLOPT_WRITEFUNCTION, http_write_cb);
	HTTP_SETOPT(CURLOPT_WRITEDATA, x);
	HTTP_SETOPT(CURLOPT_HEADERFUNCTION, http_header_cb);
	HTTP_SETOPT(CURLOPT_HEADERDATA, x);
	HTTP_SETOPT(CURLOPT_HTTPHEADER, x->headers);
	HTTP_SETOPT(CURLOPT_SSL_VERIFYPEER, req->insecure ? 0L : 1L);
	HTTP_SETOPT(CURLOPT_SSL_VERIFYHOST, req->insecure ? 0L : 2L);
	if (req->ca_file != NULL)
		HTTP_SETOPT(CURLOPT_CAINFO, req->ca_file);
	if (req->timeout_ms > 0)
		HTTP_SETOPT(CURLOPT_TIMEOUT_MS, req->timeout_ms);
	if (req->body != NULL) {
		HTTP_SETOPT(CURLOPT_POSTFIELDSIZE_LARGE,
			    (curl_off_t)req->body_len);
		HTTP_SETOPT(CURLOPT_COPYPOSTFIELDS, req->body);
		if (strcmp(req->method, "POST") != 0)
			HTTP_SETOPT(CURLOPT_CUSTOMREQUEST, req->method);
	} else if (strcmp(req->method, "GET") == 0)
		HTTP_SETOPT(CURLOPT_HTTPGET, 1L);
	else if (strcmp(req->method, "HEAD") == 0)
		HTTP_SETOPT(CURLOPT_NOBODY, 1L);
	else
		HTTP_SETOPT(CURLOPT_CUSTOMREQUEST, req->method);
#undef HTTP_SETOPT
	if (rc != CURLE_OK) {
		set_cause(cause, "cannot set up %s %s: %s", x->method, x->path,
			  curl_easy_strerror(rc));
		goto fail;
	}

	mrc = curl_multi_add_handle(c->multi, x->easy);
	if (mrc != CURLM_OK) {
		set_cause(cause, "cannot start %s %s: %s", x->method, x->path,
			  curl_multi_strerror(mrc));
		goto fail;
	}
	x->next = c->xfers;
	if (c->xfers != NULL)
		c->xfers->prev = x;
	c->xfers = x;
	log_debug("%s %s", x->method, x->path);
	return 0;

fail:
	http_xfer_free(x);
	return -1;
}

int
http_parse_retry_after(const char *value, size_t len, int64_t now)
{
	char tmp[128];
	size_t i;
	long n;
	time_t when;

	while (len > 0 && isspace((unsigned char)value[0])) {
		value++;
		len--;
	}
	while (len > 0 && isspace((unsigned char)value[len - 1]))
		len--;
	if (len == 0 || len >= sizeof tmp)
		return -1;

	for (i = 0; i < len && isdigit((unsigned char)value[i]); i++)
		;
	if (i == len) {
		/* Delta-seconds; stop counting digits once past the cap. */
		n = 0;
		for (i = 0; i < len && n <= HTTP_RETRY_AFTER_MAX; i++)
			n = n * 10 + (value[i] - '0');
		return n > HTTP_RETRY_AFTER_MAX ? HTTP_RETRY_AFTER_MAX : (int)n;
	}

	memcpy(tmp, value, len);
	tmp[len] = '\0';
	/* An HTTP-date must name a weekday and contain "GMT". */
	if (!isalpha((unsigned char)tmp[0]) || strstr(tmp, "GMT") == NULL)
		return -1;
	when = curl_getdate(tmp, NULL);
	if (when == (time_t)-1)
		return -1;
	if (when <= now)
		return 0;
	if (when - now > HTTP_RETRY_AFTER_MAX)
		return HTTP_RETRY_AFTER_MAX;
	return (int)(when - now);
}

/* libcurl's socket callback: start, change or stop watching s. */
static int
http_socket_cb(CURL *easy, curl_socket_t s, int what, void *userp,
	       void *socketp)
{
	struct http_client *c = userp;
	struct http_sock *hs = socketp;
	int events = 0, error;

	(void)easy;
	if (what == CURL_POLL_REMOVE) {
		if (hs != NULL) {
			if (c->multi != NULL)
				curl_multi_assign(c->multi, s, NULL);
			http_sock_close(hs);
		}
		return 0;
	}

	if (hs == NULL) {
		hs = xcalloc(1, sizeof *hs);
		hs->fd = s;
		hs->poll_fd = -1;
		hs->client = c;
		error = uv_poll_init_socket(c->loop, &hs->poll, s);
		if (error == UV_EEXIST) {
			/*
			 * libuv still has a watcher for this descriptor number:
			 * another library on the loop (libwebsockets) closed a
			 * socket of its own before its poll handle finished
			 * closing, and the number came back to us. Watch a
			 * duplicate of the socket instead (the same socket
			 * under a number libuv has no watcher for).
			 */
			hs->poll_fd = fcntl(s, F_DUPFD_CLOEXEC, 0);
			error = hs->poll_fd < 0
				    ? uv_translate_sys_error(errno)
				    : uv_poll_init_socket(c->loop, &hs->poll,
							  hs->poll_fd);
			if (error == 0)
				log_debug("socket %d watched as %d", (int)s,
					  hs->poll_fd);
		}
		if (error != 0) {
			log_warn("cannot watch socket: %s", uv_strerror(error));
			if (hs->poll_fd >= 0)
				close(hs->poll_fd);
			free(hs);
			return -1;
		}
		hs->poll.data = hs;
		c->open++;
		hs->next = c->socks;
		if (c->socks != NULL)
			c->socks->prev = hs;
		c->socks = hs;
		curl_multi_assign(c->multi, s, hs);
	}
	if (what == CURL_POLL_IN || what == CURL_POLL_INOUT)
		events |= UV_READABLE;
	if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT)
		events |= UV_WRITABLE;
	error = uv_poll_start(&hs->poll, events, http_on_poll);
	if (error != 0) {
		log_warn("cannot watch socket: %s", uv_strerror(error));
		return -1;
	}
	return 0;
}

/* libcurl's timer callback: arm (or stop) the one timer. */
static int
http_timer_cb(CURLM *multi, long timeout_ms, void *userp)
{
	struct http_client *c = userp;

	(void)multi;
	if (c->closing)
		return 0;
	if (timeout_ms < 0)
		uv_timer_stop(&c->timer);
	else if (uv_timer_start(&c->timer, http_on_timeout,
				(uint64_t)timeout_ms, 0) != 0)
		return -1;
	return 0;
}

/* A watched socket is ready (or failed): let libcurl act on it. */
static void
http_on_poll(uv_poll_t *poll, int status, int events)
{
	struct http_sock *hs = poll->data;
	struct http_client *c = hs->client;
	int flags = 0, running;

	if (c->multi == NULL)
		return;
	if (status < 0)
		flags = CURL_CSELECT_ERR;
	if (events & UV_READABLE)
		flags |= CURL_CSELECT_IN;
	if (events & UV_WRITABLE)
		flags |= CURL_CSELECT_OUT;
	curl_multi_socket_action(c->multi, hs->fd, flags, &running);
	http_check_done(c);
}

/* libcurl's timeout expired. */
static void
http_on_timeout(uv_timer_t *timer)
{
	struct http_client *c = timer->data;
	int running;

	if (c->multi == NULL)
		return;
	curl_multi_socket_action(c->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	http_check_done(c);
}

/* A libuv handle of c finished closing. */
static void
http_on_handle_closed(uv_handle_t *h)
{
	struct http_client *c;

	if (h->type == UV_POLL) {
		struct http_sock *hs = h->data;

		c = hs->client;
		if (hs->poll_fd >= 0)
			close(hs->poll_fd);
		free(hs);
	} else
		c = h->data;
	c->open--;
	if (c->closing && c->open == 0 && c->closed != NULL)
		c->closed(c->closed_arg);
}

/* Stop watching a socket and free its state once libuv lets go. */
static void
http_sock_close(struct http_sock *hs)
{
	struct http_client *c = hs->client;

	if (hs->prev != NULL)
		hs->prev->next = hs->next;
	else
		c->socks = hs->next;
	if (hs->next != NULL)
		hs->next->prev = hs->prev;
	hs->prev = hs->next = NULL;
	uv_poll_stop(&hs->poll);
	uv_close((uv_handle_t *)&hs->poll, http_on_handle_closed);
}

/* Hand every finished transfer to its done callback. */
static void
http_check_done(struct http_client *c)
{
	CURLMsg *msg;
	int pending;
	CURL *easy;
	CURLcode result;
	struct http_xfer *x;
	char *priv;

	while (c->multi != NULL) {
		msg = curl_multi_info_read(c->multi, &pending);
		if (msg == NULL)
			break;
		if (msg->msg != CURLMSG_DONE)
			continue;
		/* msg is invalid after curl_multi_remove_handle(). */
		easy = msg->easy_handle;
		result = msg->data.result;
		priv = NULL;
		curl_easy_getinfo(easy, CURLINFO_PRIVATE, &priv);
		if (priv == NULL)
			BUG("curl transfer without state");
		x = (struct http_xfer *)(void *)priv;
		http_finish(x, result);
	}
}

/* Report a finished transfer to its owner and forget it. */
static void
http_finish(struct http_xfer *x, CURLcode result)
{
	struct http_client *c = x->client;
	struct http_response resp;
	char *error = NULL;
	long status = 0;

	if (x->prev != NULL)
		x->prev->next = x->next;
	else
		c->xfers = x->next;
	if (x->next != NULL)
		x->next->prev = x->prev;
	curl_multi_remove_handle(c->multi, x->easy);

	memset(&resp, 0, sizeof resp);
	if (result == CURLE_OK)
		curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
	else if (x->too_big)
		error =
		    xasprintf("response body exceeds %zu bytes", x->body.max);
	else if (result == CURLE_OPERATION_TIMEDOUT)
		error =
		    xasprintf("request timed out after %ld ms", x->timeout_ms);
	else
		error =
		    xstrdup(x->errbuf[0] != '\0' ? x->errbuf
						 : curl_easy_strerror(result));
	resp.status = status;
	resp.body = status != 0 ? buf_str(&x->body) : "";
	resp.body_len = status != 0 ? x->body.len : 0;
	resp.retry_after = status != 0 ? x->retry_after : -1;
	resp.error = error;
	if (error != NULL)
		log_debug("%s %s: %s", x->method, x->path, error);
	else
		log_debug("%s %s: %ld", x->method, x->path, status);
	x->done(x->arg, &resp);
	free(error);
	http_xfer_free(x);
}

static void
http_xfer_free(struct http_xfer *x)
{
	if (x->easy != NULL)
		curl_easy_cleanup(x->easy);
	curl_slist_free_all(x->headers);
	buf_release(&x->body);
	free(x->method);
	free(x->path);
	free(x);
}

/* Collect body bytes; refusing them past the cap aborts the transfer. */
static size_t
http_write_cb(char *data, size_t size, size_t nmemb, void *userp)
{
	struct http_xfer *x = userp;
	size_t len = size * nmemb;

	if (buf_add(&x->body, data, len) != 0) {
		x->too_big = 1;
		return 0;
	}
	return len;
}

/* Look at each response header line for Retry-After. */
static size_t
http_header_cb(char *data, size_t size, size_t nmemb, void *userp)
{
	static const char name[] = "retry-after:";
	struct http_xfer *x = userp;
	size_t len = size * nmemb;

	/* A new status line (e.g. after 100 Continue) starts afresh. */
	if (len >= 5 && memcmp(data, "HTTP/", 5) == 0)
		x->retry_after = -1;
	else if (len > sizeof name - 1 &&
		 strncasecmp(data, name, sizeof name - 1) == 0)
		x->retry_after = http_parse_retry_after(
		    data + sizeof name - 1, len - (sizeof name - 1),
		    clock_now(&x->client->clock));
	return len;
}

/* The path of url without query or fragment, for logs. Caller frees. */
static char *
http_url_path(const char *url)
{
	const char *p, *end;

	p = strstr(url, "://");
	p = p != NULL ? p + 3 : url;
	p += strcspn(p, "/?#");
	if (*p != '/')
		return xstrdup("/");
	end = p + strcspn(p, "?#");
	return xstrndup(p, (size_t)(end - p));
}
