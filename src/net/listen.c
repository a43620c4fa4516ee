/* SPDX-License-Identifier: MIT */
/*
 * listen.c: the slash-command HTTP listener; see listen.h.
 *
 * How it works. listen_start() creates an lws context with
 * LWS_SERVER_OPTION_LIBUV and info.foreign_loops pointing at lihui's loop,
 * so lws adds its sockets and timers to that loop and never runs its own.
 * The context has one vhost bound to the configured address, with one
 * protocol whose callback is listen_callback(). The listener is the
 * context's user pointer, so callbacks need no global.
 *
 * Per connection, lws allocates a zeroed struct listen_session (its
 * per_session_data). A request goes through these states:
 *
 *   LWS_CALLBACK_HTTP             method, path, headers are checked and
 *                                 copied; GET (or a POST with an empty
 *                                 body) is answered at once
 *   LWS_CALLBACK_HTTP_BODY        the body is appended to a struct buf
 *                                 capped at max_body; past it, 413
 *   LWS_CALLBACK_HTTP_BODY_COMPLETION   the handler is called
 *   (deferred)                    a handler that set listen_reply.defer
 *                                 answers later: listen_answer() queues
 *                                 the reply (LISTEN_DEFERRED until then)
 *   LWS_CALLBACK_HTTP_WRITEABLE   headers, then (next time) the body are
 *                                 written; then the transaction completes
 *                                 (keep-alive) or the connection closes
 *
 * Writes happen only in WRITEABLE, one lws_write() per callback, as lws
 * expects. Replies the listener makes itself (404, 405, 411, 413, 500) set
 * "connection: close" and close after the body, so a body that may still
 * be arriving is never taken for the next request. Session memory is
 * released when the next request starts and when lws drops or closes the
 * connection (CLOSED_HTTP / HTTP_DROP_PROTOCOL), whichever comes first.
 *
 * Teardown (listen_stop). lws_context_destroy() on a foreign libuv loop
 * only starts the work: it closes every connection and lws's uv handles,
 * whose close callbacks run later on the loop. lws 4.1 then needs a second
 * lws_context_destroy(), made only once those callbacks have run (else it
 * frees the context under them); it frees the context and writes NULL
 * through info.pcontext. A 1 ms uv timer of ours drives this (see
 * listen_stop_tick); when the pointer is NULL the timer is closed, done()
 * runs and the listener is freed. A listen_start() that fails after the
 * context exists goes through the same path without a done(). Order for
 * main.c: listen_stop(), keep running the loop until done, then close it.
 *
 * Further headers (listen_config.headers): each name is matched once, at
 * start, against lws's table of the headers it knows (then read by its
 * token) or else looked up among the headers lws keeps by name (custom
 * headers, stored lower case with their ':'). Values are copied when the
 * request line and headers are in, trimmed and bounded.
 *
 * Held and deferred replies share one list (l->held): a held one waits
 * for durable(), a deferred one (defer != 0) for listen_answer().
 *
 * Bodies: only Content-Length bodies are read (lws 4.1 does not decode
 * chunked request bodies); the declared length is checked against
 * max_body before any of it is read, and the buffer is capped as well.
 *
 * lws's own log lines are routed into log.h (errors and warnings only).
 * lws is process-wide about that: lws_set_log_level() is global.
 */

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libwebsockets.h>

#include "lihui/buf.h"
#include "lihui/listen.h"
#include "lihui/log.h"
#include "lihui/xmalloc.h"

#define LISTEN_HEADERS_MIN   4096
#define LISTEN_HEADERS_MAX   65535 /* lws keeps the size in 16 bits */
#define LISTEN_TIMEOUT_SECS  10	   /* for headers and for a body to arrive */
#define LISTEN_HEADER_POOL   16	   /* requests parsed at once */
#define LISTEN_STOP_POLL_MS  1
#define LISTEN_STOP_WARN_MS  5000
#define LISTEN_DEFAULT_CTYPE "text/plain; charset=utf-8"
#define LISTEN_CTYPE_MAX     256 /* fits the header buffer with room */

enum listen_state {
	LISTEN_IDLE,	 /* waiting for a request */
	LISTEN_BODY,	 /* collecting a POST body */
	LISTEN_HEADERS,	 /* a reply is ready: write its headers */
	LISTEN_CONTENT,	 /* headers written: write its body */
	LISTEN_DEFERRED, /* the handler answers later (listen_answer) */
};

/* A further header the handler reads: by lws token, or by custom name. */
struct listen_hdr {
	int token;  /* an lws_token_indexes, or -1 for a custom header */
	char *name; /* custom: lower case with ':' ("x-slack-signature:") */
	int len;
};

struct listener {
	uv_loop_t *loop;
	struct lws_context *context; /* NULL once lws has finished destroy */
	struct lws_protocols protocols[2];
	int port;
	size_t max_body;
	char **paths; /* NULL-terminated copies */
	listen_handler_fn handler;
	void *arg;
	int (*durable)(void *arg, uint64_t gen);
	struct listen_session *held; /* replies waiting: durable(), answer */
	struct listen_hdr hdrs[LISTEN_HEADERS_EXTRA];
	size_t n_hdrs;

	uv_timer_t stop_timer;
	uint64_t stop_started;
	int stop_warned;
	int stop_closing;
	void (*done)(void *);
	void *done_arg;
};

/* Per-connection state; lws allocates it zeroed and frees it. */
struct listen_session {
	enum listen_state state;
	int post;
	char *path;
	char *query;
	char *content_type;
	char *authorization;
	char *hdrs[LISTEN_HEADERS_EXTRA]; /* NULL when absent */
	struct buf body;
	int body_init;

	int status;
	int close; /* close the connection after the reply */
	char *reply_type;
	char *reply_body;
	size_t reply_len;
	uint64_t after; /* see listen_reply.after */
	uint64_t defer; /* see listen_reply.defer; 0 once answered */

	/* On l->held while the reply waits for durable(). */
	struct listener *l;
	struct lws *wsi;
	struct listen_session *held_prev, *held_next;
	int is_held;
};

static int listen_callback(struct lws *wsi, enum lws_callback_reasons reason,
			   void *user, void *in, size_t len);
static void listen_lws_log(int level, const char *line);
static void listen_session_release(struct listen_session *s);
static int listen_http(struct listener *l, struct lws *wsi,
		       struct listen_session *s, const char *path, size_t len);
static int listen_path_known(const struct listener *l, const char *path);
static char *listen_header(struct lws *wsi, enum lws_token_indexes h);
static char *listen_query(struct lws *wsi);
static void listen_encode(struct buf *b, const char *s, size_t len);
static void listen_error(struct lws *wsi, struct listen_session *s, int status,
			 const char *text);
static void listen_dispatch(struct listener *l, struct lws *wsi,
			    struct listen_session *s);
static int listen_writeable(struct lws *wsi, struct listen_session *s);
static int listen_header_ok(const char *s);
static void listen_trim(char *s);
static int listen_hdrs_setup(struct listener *l, const char *const *names,
			     char **cause);
static int listen_hdrs_read(struct listener *l, struct lws *wsi,
			    struct listen_session *s);
static void listen_queue(struct lws *wsi, struct listen_session *s, int status,
			 const char *content_type, char *body, uint64_t after);
static void listen_begin_teardown(struct listener *l);
static void listen_count_closing(uv_handle_t *h, void *arg);
static void listen_stop_tick(uv_timer_t *t);
static void listen_stop_closed(uv_handle_t *h);
static void listen_free(struct listener *l);

/* Route lws's own messages into our log, without its trailing newline. */
static void
listen_lws_log(int level, const char *line)
{
	size_t n = strlen(line);

	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		n--;
	if (level & LLL_ERR)
		log_write(LOG_ERROR, "lws", "%.*s", (int)n, line);
	else
		log_write(LOG_WARN, "lws", "%.*s", (int)n, line);
}

struct listener *
listen_start(uv_loop_t *loop, const struct listen_config *cfg, char **cause)
{
	struct lws_context_creation_info info;
	struct listener *l;
	struct lws_vhost *vh;
	void *loops[1];
	size_t i, n, hdr;

	if (cfg->handler == NULL || cfg->paths == NULL || cfg->addr == NULL)
		BUG("listen_start needs a handler, paths and an address");
	if (cfg->port < 0 || cfg->port > 65535) {
		set_cause(cause, "invalid listen port %d", cfg->port);
		return NULL;
	}

	l = xcalloc(1, sizeof *l);
	l->loop = loop;
	l->max_body = cfg->max_body;
	l->handler = cfg->handler;
	l->arg = cfg->arg;
	l->durable = cfg->durable;
	for (n = 0; cfg->paths[n] != NULL; n++)
		;
	l->paths = xcalloc(n + 1, sizeof *l->paths);
	for (i = 0; i < n; i++)
		l->paths[i] = xstrdup(cfg->paths[i]);
	if (listen_hdrs_setup(l, cfg->headers, cause) != 0) {
		listen_free(l);
		return NULL;
	}

	l->protocols[0].name = "lihui-listen";
	l->protocols[0].callback = listen_callback;
	l->protocols[0].per_session_data_size = sizeof(struct listen_session);
	/* protocols[1] stays zeroed: the terminator */

	lws_set_log_level(LLL_ERR | LLL_WARN, listen_lws_log);

	/* A GET carries the whole form in its URL, so headers get room too. */
	hdr = cfg->max_body + LISTEN_HEADERS_MIN;
	if (hdr > LISTEN_HEADERS_MAX || hdr < cfg->max_body)
		hdr = LISTEN_HEADERS_MAX;

	memset(&info, 0, sizeof info);
	loops[0] = loop;
	info.options =
	    LWS_SERVER_OPTION_LIBUV | LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
	if (strchr(cfg->addr, ':') == NULL)
		info.options |= LWS_SERVER_OPTION_DISABLE_IPV6;
	info.foreign_loops = loops;
	info.pcontext = &l->context;
	info.user = l;
	info.max_http_header_data = (unsigned short)hdr;
	info.max_http_header_pool = LISTEN_HEADER_POOL;
	info.timeout_secs = LISTEN_TIMEOUT_SECS;

	/*
	 * Loading the uv event library happens before lws allocates the
	 * context; a failure there leaves nothing on the loop and never
	 * touches info.pcontext, so l can be freed at once.
	 */
	l->context = lws_create_context(&info);
	if (l->context == NULL) {
		listen_free(l);
		set_cause(cause,
			  "cannot start libwebsockets on the libuv loop (is "
			  "its libuv event library, libwebsockets-evlib-uv, "
			  "installed?)");
		return NULL;
	}

	info.port = cfg->port;
	info.iface = cfg->addr;
	info.protocols = l->protocols;
	info.vhost_name = "lihui-listen";
	info.keepalive_timeout = LISTEN_TIMEOUT_SECS;
	vh = lws_create_vhost(l->context, &info);
	if (vh == NULL || lws_get_vhost_listen_port(vh) <= 0) {
		set_cause(cause, "cannot listen on %s:%d", cfg->addr,
			  cfg->port);
		listen_begin_teardown(l); /* frees l once lws is done */
		return NULL;
	}
	l->port = lws_get_vhost_listen_port(vh);
	log_info("listening for slash commands on %s:%d", cfg->addr, l->port);
	return l;
}

int
listen_port(const struct listener *l)
{
	return l->port;
}

void
listen_stop(struct listener *l, void (*done)(void *), void *arg)
{
	l->done = done;
	l->done_arg = arg;
	listen_begin_teardown(l);
}

/* Ask lws to destroy the context and watch for the end of it. */
static void
listen_begin_teardown(struct listener *l)
{
	lws_context_destroy(l->context);
	l->stop_started = uv_now(l->loop);
	uv_timer_init(l->loop, &l->stop_timer);
	uv_timer_start(&l->stop_timer, listen_stop_tick, 0,
		       LISTEN_STOP_POLL_MS);
}

/* Count handles, other than ours, whose close callbacks are still due. */
static void
listen_count_closing(uv_handle_t *h, void *arg)
{
	struct listener *l = arg;

	if (h != (uv_handle_t *)&l->stop_timer && uv_is_closing(h))
		l->stop_closing++;
}

/*
 * Drive lws's destruction to its end (info.pcontext written to NULL).
 * With a foreign loop, lws 4.1 closes its handles in the first
 * lws_context_destroy() but frees the context only when it is called
 * again after their close callbacks have run; calling it earlier would
 * free the context under those callbacks. So wait until no handle on the
 * loop is still closing, then call it again. (Later lws versions finish
 * by themselves; then the pointer is already NULL here.)
 */
static void
listen_stop_tick(uv_timer_t *t)
{
	struct listener *l =
	    (struct listener *)((char *)t -
				offsetof(struct listener, stop_timer));

	if (l->context != NULL) {
		l->stop_closing = 0;
		uv_walk(l->loop, listen_count_closing, l);
		if (l->stop_closing == 0)
			lws_context_destroy(l->context);
	}
	if (l->context != NULL) {
		if (!l->stop_warned &&
		    uv_now(l->loop) - l->stop_started > LISTEN_STOP_WARN_MS) {
			log_warn("libwebsockets is slow to shut down");
			l->stop_warned = 1;
		}
		return;
	}
	uv_timer_stop(t);
	uv_close((uv_handle_t *)t, listen_stop_closed);
}

/* Our last handle is closed: report and free. */
static void
listen_stop_closed(uv_handle_t *h)
{
	struct listener *l =
	    (struct listener *)((char *)h -
				offsetof(struct listener, stop_timer));
	void (*done)(void *) = l->done;
	void *arg = l->done_arg;

	listen_free(l);
	if (done != NULL)
		done(arg);
}

static void
listen_free(struct listener *l)
{
	size_t i;

	for (i = 0; l->paths[i] != NULL; i++)
		free(l->paths[i]);
	free(l->paths);
	for (i = 0; i < l->n_hdrs; i++)
		free(l->hdrs[i].name);
	free(l);
}

/*
 * Match each name of names (NULL: none) against lws's known headers once;
 * the others are custom headers, looked up by their lower-case name.
 */
static int
listen_hdrs_setup(struct listener *l, const char *const *names, char **cause)
{
	struct listen_hdr *h;
	const unsigned char *known;
	size_t i, j, len;
	int tok;

	for (i = 0; names != NULL && names[i] != NULL; i++) {
		if (i == LISTEN_HEADERS_EXTRA)
			return set_cause(cause, "more than %d headers to read",
					 LISTEN_HEADERS_EXTRA);
		len = strlen(names[i]);
		if (len == 0 || len > 128)
			return set_cause(cause, "invalid header name");
		h = &l->hdrs[l->n_hdrs++];
		h->name = xmalloc(len + 2);
		for (j = 0; j < len; j++) {
			unsigned char c = (unsigned char)names[i][j];

			if (c <= 0x20 || c >= 0x7f || c == ':')
				return set_cause(cause, "invalid header name");
			h->name[j] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		}
		h->name[len] = ':';
		h->name[len + 1] = '\0';
		h->len = (int)len + 1;
		h->token = -1;
		for (tok = 0; tok < (int)WSI_TOKEN_COUNT; tok++) {
			known =
			    lws_token_to_string((enum lws_token_indexes)tok);
			if (known != NULL &&
			    strcmp((const char *)known, h->name) == 0) {
				h->token = tok;
				break;
			}
		}
	}
	return 0;
}

/*
 * Copy the further headers of the request into s, trimmed; -1 when one
 * is longer than LISTEN_HEADER_MAX (the caller answers 431).
 */
static int
listen_hdrs_read(struct listener *l, struct lws *wsi, struct listen_session *s)
{
	const struct listen_hdr *h;
	size_t i;
	int n;
	char *v;

	for (i = 0; i < l->n_hdrs; i++) {
		h = &l->hdrs[i];
		if (h->token >= 0) {
			n = lws_hdr_total_length(
			    wsi, (enum lws_token_indexes)h->token);
			if (n <= 0)
				continue; /* absent (or empty) */
		} else {
			n = lws_hdr_custom_length(wsi, h->name, h->len);
			if (n < 0)
				continue; /* absent */
		}
		v = xmalloc((size_t)n + 1);
		if (h->token >= 0)
			n = lws_hdr_copy(wsi, v, n + 1,
					 (enum lws_token_indexes)h->token);
		else
			n = lws_hdr_custom_copy(wsi, v, n + 1, h->name, h->len);
		if (n < 0) {
			free(v);
			continue;
		}
		v[n] = '\0';
		listen_trim(v);
		s->hdrs[i] = v;
		if (strlen(v) > LISTEN_HEADER_MAX)
			return -1;
	}
	return 0;
}

/* Remove blanks (space, tab) at both ends of s, in place. */
static void
listen_trim(char *s)
{
	size_t start = strspn(s, " \t"), n = strlen(s);

	while (n > start && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	memmove(s, s + start, n - start);
	s[n - start] = '\0';
}

static void
listen_unhold(struct listen_session *s)
{
	if (!s->is_held)
		return;
	if (s->held_prev != NULL)
		s->held_prev->held_next = s->held_next;
	else
		s->l->held = s->held_next;
	if (s->held_next != NULL)
		s->held_next->held_prev = s->held_prev;
	s->held_prev = s->held_next = NULL;
	s->is_held = 0;
}

/* Free what a session holds; safe to call twice. */
static void
listen_session_release(struct listen_session *s)
{
	size_t i;

	listen_unhold(s);
	free(s->path);
	free(s->query);
	free(s->content_type);
	free(s->authorization);
	for (i = 0; i < LISTEN_HEADERS_EXTRA; i++)
		free(s->hdrs[i]);
	if (s->body_init)
		buf_release(&s->body);
	free(s->reply_type);
	free(s->reply_body);
	memset(s, 0, sizeof *s);
}

static int
listen_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
		void *in, size_t len)
{
	struct listen_session *s = user;
	struct listener *l;

	switch (reason) {
	case LWS_CALLBACK_HTTP:
		l = lws_context_user(lws_get_context(wsi));
		return listen_http(l, wsi, s, in, len);
	case LWS_CALLBACK_HTTP_BODY:
		if (s->state != LISTEN_BODY)
			return 0;
		if (buf_add(&s->body, in, len) != 0) {
			l = lws_context_user(lws_get_context(wsi));
			log_warn("request body over %zu bytes refused",
				 l->max_body);
			listen_error(wsi, s, 413, "request body too large");
		}
		return 0;
	case LWS_CALLBACK_HTTP_BODY_COMPLETION:
		if (s->state != LISTEN_BODY)
			return 0;
		l = lws_context_user(lws_get_context(wsi));
		listen_dispatch(l, wsi, s);
		return 0;
	case LWS_CALLBACK_HTTP_WRITEABLE:
		if (s == NULL)
			return 0;
		return listen_writeable(wsi, s);
	case LWS_CALLBACK_CLOSED_HTTP:
	case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
		if (s != NULL)
			listen_session_release(s);
		return 0;
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

/* A request line and headers have arrived. */
static int
listen_http(struct listener *l, struct lws *wsi, struct listen_session *s,
	    const char *path, size_t len)
{
	char *clen;
	unsigned long long declared = 0;
	int has_body = 0;

	listen_session_release(s);
	if (lws_hdr_total_length(wsi, WSI_TOKEN_POST_URI) > 0)
		s->post = 1;
	else if (lws_hdr_total_length(wsi, WSI_TOKEN_GET_URI) <= 0) {
		log_debug("http method refused");
		listen_error(wsi, s, 405, "method not allowed");
		return 0;
	}
	s->path = xstrndup(path, len);
	if (!listen_path_known(l, s->path)) {
		log_debug("request for an unknown path refused");
		listen_error(wsi, s, 404, "not found");
		return 0;
	}

	clen = listen_header(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH);
	if (*clen != '\0') {
		char *end;

		errno = 0;
		declared = strtoull(clen, &end, 10);
		if (errno != 0 || *end != '\0' || clen[0] == '-')
			declared = ULLONG_MAX;
		has_body = declared > 0;
	}
	free(clen);
	if (lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_TRANSFER_ENCODING) > 0) {
		/*
		 * lws 4.1 does not decode chunked request bodies, nor tell
		 * when one ends; Mattermost and Slack send Content-Length.
		 */
		log_debug("request body without content-length refused");
		listen_error(wsi, s, 411, "content-length required");
		return 0;
	}
	if (declared > l->max_body) {
		log_warn("request body of %llu bytes refused (limit %zu)",
			 declared, l->max_body);
		listen_error(wsi, s, 413, "request body too large");
		return 0;
	}

	s->query = listen_query(wsi);
	s->content_type = listen_header(wsi, WSI_TOKEN_HTTP_CONTENT_TYPE);
	listen_trim(s->content_type);
	s->authorization = listen_header(wsi, WSI_TOKEN_HTTP_AUTHORIZATION);
	buf_init(&s->body, l->max_body);
	s->body_init = 1;
	if (listen_hdrs_read(l, wsi, s) != 0) {
		log_warn("request with a header over %d bytes refused",
			 LISTEN_HEADER_MAX);
		listen_error(wsi, s, 431, "request header too large");
		return 0;
	}

	/* a GET's body is not read: close rather than parse it as a request */
	s->close = !s->post && has_body;
	if (s->post && has_body)
		s->state = LISTEN_BODY; /* wait for BODY_COMPLETION */
	else
		listen_dispatch(l, wsi, s);
	return 0;
}

static int
listen_path_known(const struct listener *l, const char *path)
{
	size_t i;

	for (i = 0; l->paths[i] != NULL; i++)
		if (strcmp(l->paths[i], path) == 0)
			return 1;
	return 0;
}

/* A copy of header h, "" when absent. Caller frees. */
static char *
listen_header(struct lws *wsi, enum lws_token_indexes h)
{
	int n = lws_hdr_total_length(wsi, h);
	char *s;

	if (n <= 0)
		return xstrdup("");
	s = xmalloc((size_t)n + 1);
	if (lws_hdr_copy(wsi, s, n + 1, h) < 0)
		s[0] = '\0';
	return s;
}

/*
 * The query string, re-encoded. lws splits the query at '&', decodes %XX
 * and '+' and keeps the first literal '=' of each piece, so each fragment
 * is "name=value" decoded; encoding both halves again gives a form body
 * that means exactly what the client sent. Caller frees.
 */
static char *
listen_query(struct lws *wsi)
{
	struct buf b;
	char *frag;
	int i, n;

	/* each decoded byte takes at most 3 bytes encoded */
	buf_init(&b, 3 * (size_t)LISTEN_HEADERS_MAX);
	buf_puts(&b, "");
	for (i = 0;; i++) {
		const char *eq;

		n = lws_hdr_fragment_length(wsi, WSI_TOKEN_HTTP_URI_ARGS, i);
		if (n <= 0) {
			if (lws_hdr_copy_fragment(wsi, (char[1]){ 0 }, 1,
						  WSI_TOKEN_HTTP_URI_ARGS,
						  i) < 0)
				break;
			continue; /* an empty piece */
		}
		frag = xmalloc((size_t)n + 1);
		n = lws_hdr_copy_fragment(wsi, frag, n + 1,
					  WSI_TOKEN_HTTP_URI_ARGS, i);
		if (n < 0) {
			free(frag);
			break;
		}
		if (b.len > 0)
			buf_puts(&b, "&");
		eq = memchr(frag, '=', (size_t)n);
		if (eq == NULL)
			listen_encode(&b, frag, (size_t)n);
		else {
			listen_encode(&b, frag, (size_t)(eq - frag));
			buf_puts(&b, "=");
			listen_encode(&b, eq + 1,
				      (size_t)(n - (eq + 1 - frag)));
		}
		free(frag);
	}
	return buf_detach(&b);
}

/* Append s[0..len) percent-encoded, leaving only unreserved bytes as is. */
static void
listen_encode(struct buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[3];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~') {
			buf_add(b, &s[i], 1);
			continue;
		}
		esc[0] = '%';
		esc[1] = hex[c >> 4];
		esc[2] = hex[c & 0xf];
		buf_add(b, esc, sizeof esc);
	}
}

/* Queue a reply of the listener's own; the connection closes after it. */
static void
listen_error(struct lws *wsi, struct listen_session *s, int status,
	     const char *text)
{
	free(s->reply_type);
	free(s->reply_body);
	s->status = status;
	s->close = 1;
	s->reply_type = xstrdup(LISTEN_DEFAULT_CTYPE);
	s->reply_body = xasprintf("%s\n", text);
	s->reply_len = strlen(s->reply_body);
	s->state = LISTEN_HEADERS;
	lws_callback_on_writable(wsi);
}

/* Put s on the listener's list of waiting replies. */
static void
listen_hold(struct listener *l, struct lws *wsi, struct listen_session *s)
{
	if (s->is_held)
		return;
	s->l = l;
	s->wsi = wsi;
	s->held_next = l->held;
	if (l->held != NULL)
		l->held->held_prev = s;
	l->held = s;
	s->is_held = 1;
}

/*
 * Queue a handler's reply (body allocated or NULL, now s's); an invalid
 * one goes as 500.
 */
static void
listen_queue(struct lws *wsi, struct listen_session *s, int status,
	     const char *content_type, char *body, uint64_t after)
{
	if (status < 200 || status > 599 || content_type == NULL ||
	    !listen_header_ok(content_type)) {
		log_error("handler gave an invalid reply (status %d)", status);
		free(body);
		listen_error(wsi, s, 500, "internal error");
		return;
	}
	s->status = status;
	s->reply_type = xstrdup(content_type);
	s->reply_body = body;
	s->reply_len = body != NULL ? strlen(body) : 0;
	s->after = after;
	s->state = LISTEN_HEADERS;
	lws_callback_on_writable(wsi);
}

/* Call the handler on a complete request and queue its reply. */
static void
listen_dispatch(struct listener *l, struct lws *wsi, struct listen_session *s)
{
	struct listen_request req;
	struct listen_reply reply;

	memset(&req, 0, sizeof req);
	req.method = s->post ? "POST" : "GET";
	req.path = s->path;
	req.query = s->query;
	req.content_type = s->content_type;
	req.authorization = s->authorization;
	req.body = buf_str(&s->body);
	req.body_len = s->body.len;
	req.headers = l->n_hdrs > 0 ? (const char *const *)s->hdrs : NULL;

	memset(&reply, 0, sizeof reply);
	reply.status = 200;
	reply.content_type = LISTEN_DEFAULT_CTYPE;
	reply.body = NULL;
	l->handler(l->arg, &req, &reply);

	if (reply.defer != 0) {
		free(reply.body);
		s->defer = reply.defer;
		s->state = LISTEN_DEFERRED;
		listen_hold(l, wsi, s);
		lws_set_timeout(wsi, PENDING_TIMEOUT_HTTP_CONTENT,
				LISTEN_DEFER_SECS);
		return;
	}
	listen_queue(wsi, s, reply.status, reply.content_type, reply.body,
		     reply.after);
}

int
listen_answer(struct listener *l, uint64_t defer, int status,
	      const char *content_type, char *body)
{
	struct listen_session *s;

	for (s = l->held; s != NULL; s = s->held_next)
		if (s->defer == defer && s->state == LISTEN_DEFERRED)
			break;
	if (defer == 0 || s == NULL) {
		free(body);
		return -1;
	}
	listen_unhold(s);
	s->defer = 0;
	lws_set_timeout(s->wsi, NO_PENDING_TIMEOUT, 0);
	listen_queue(s->wsi, s, status, content_type, body, 0);
	return 0;
}

void
listen_durable(struct listener *l)
{
	struct listen_session *s, *next;

	for (s = l->held; s != NULL; s = next) {
		next = s->held_next;
		if (s->defer == 0 && l->durable(l->arg, s->after)) {
			listen_unhold(s);
			lws_callback_on_writable(s->wsi);
		}
	}
}

/* Whether s can go into a header value: short, printable ASCII only. */
static int
listen_header_ok(const char *s)
{
	if (strlen(s) > LISTEN_CTYPE_MAX)
		return 0;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return 0;
	return 1;
}

/* Write the queued reply: headers, then body, then finish. */
static int
listen_writeable(struct lws *wsi, struct listen_session *s)
{
	unsigned char hdr[LWS_PRE + 1024];
	unsigned char *start = &hdr[LWS_PRE], *p = start;
	unsigned char *end = &hdr[sizeof hdr - 1];
	unsigned char *out;
	struct listener *l;
	int n;

	switch (s->state) {
	case LISTEN_HEADERS:
		l = lws_context_user(lws_get_context(wsi));
		if (s->after != 0 && l->durable != NULL &&
		    !l->durable(l->arg, s->after)) {
			/* listen_durable() asks for WRITEABLE again. */
			listen_hold(l, wsi, s);
			return 0;
		}
		if (lws_add_http_common_headers(wsi, (unsigned int)s->status,
						s->reply_type, s->reply_len, &p,
						end) != 0)
			return -1;
		if (s->status == 405 &&
		    lws_add_http_header_by_token(
			wsi, WSI_TOKEN_HTTP_ALLOW,
			(const unsigned char *)"GET, POST", 9, &p, end) != 0)
			return -1;
		if (s->close &&
		    lws_add_http_header_by_token(wsi, WSI_TOKEN_CONNECTION,
						 (const unsigned char *)"close",
						 5, &p, end) != 0)
			return -1;
		if (lws_finalize_write_http_header(wsi, start, &p, end) != 0)
			return -1;
		s->state = LISTEN_CONTENT;
		if (s->reply_len > 0) {
			lws_callback_on_writable(wsi);
			return 0;
		}
		break;
	case LISTEN_CONTENT:
		out = xmalloc(LWS_PRE + s->reply_len);
		memcpy(out + LWS_PRE, s->reply_body, s->reply_len);
		n = lws_write(wsi, out + LWS_PRE, s->reply_len,
			      LWS_WRITE_HTTP_FINAL);
		free(out);
		if (n < 0)
			return -1;
		break;
	default:
		return 0;
	}

	/* the reply is out (or in lws's send buffer) */
	if (s->close)
		return -1; /* lws flushes what it holds before closing */
	listen_session_release(s);
	if (lws_http_transaction_completed(wsi))
		return -1;
	return 0;
}

int
listen_address_split(const char *text, char **addr, int *port, char **cause)
{
	const char *v = text, *colon = strrchr(text, ':');
	char *end;
	long p;
	size_t n;

	if (colon == NULL)
		goto bad;
	p = strtol(colon + 1, &end, 10);
	if (colon[1] == '\0' || *end != '\0' || p < 0 || p > 65535)
		goto bad;
	n = (size_t)(colon - v);
	if (n >= 2 && v[0] == '[' && v[n - 1] == ']') {
		v++;
		n -= 2;
	}
	if (n == 0)
		goto bad;
	*addr = xstrndup(v, n);
	*port = (int)p;
	return 0;
bad:
	return set_cause(cause, "invalid listen address '%s'", text);
}

void
listen_reply_text(struct listen_reply *reply, int status, const char *text)
{
	reply->status = status;
	reply->content_type = "text/plain; charset=utf-8";
	reply->body = xstrdup(text);
}

void
listen_reply_health(struct listen_reply *reply, int up, const char *key,
		    const char *state, long long backlog)
{
	reply->status = up ? 200 : 503;
	reply->content_type = "application/json";
	reply->body = xasprintf("{\"%s\":\"%s\",\"outbox_backlog\":%lld}", key,
				state, backlog);
}
