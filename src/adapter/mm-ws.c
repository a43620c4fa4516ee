/* SPDX-License-Identifier: MIT */
/*
 * mm-ws.c: the Mattermost WebSocket session (see mm-ws.h).
 *
 * How it works.
 *
 *   connect: ws.h's client opens <server>/api/v4/websocket with the bot's
 *     token in the upgrade's Authorization header (the only way the server
 *     lets a session be resumed). On a fresh connection lihui also sends
 *     the authentication_challenge, for servers that ignore the header;
 *     a failed answer to it is only logged. Every connection then sends
 *     the "ping" action: its OK answer (like a hello or an event) says the
 *     server accepted the connection, which a resume shows no other way
 *     when nothing was missed.
 *   sequence: every event carries seq, counting from 0 (hello) on each new
 *     session. next_seq is the one expected next: an event below it is a
 *     replay of one already handled and is skipped; one above it means
 *     events went missing, so the connection is dropped and resumed from
 *     next_seq at once, as Mattermost's own client does.
 *   resume: after a drop, lihui reconnects to
 *     ?connection_id=<id>&sequence_number=<next_seq>. The server replays
 *     what was missed and sends no hello; or it sends a hello with a new
 *     connection_id when it no longer knows the session (restart, too long
 *     away): then events were lost, lost() tells the adapter, and counting
 *     starts again from that hello.
 *   backoff: reconnects wait retry_delay() (doubling from 1 s to 5 min,
 *     with jitter), reset once the server accepts a connection; so a drop
 *     or a gap in seq is followed by a resume about a second later.
 *   keep-alive: the client pings every 30 s and gives up on a connection
 *     silent for 60 s (the server pings every 60 s as well).
 *
 * Every frame is capped (MM_FRAME_MAX) by the client and parsed by
 * mm-event.c; a frame that does not parse is counted and logged without
 * its contents.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lihui/log.h"
#include "lihui/retry.h"
#include "lihui/ws.h"
#include "lihui/xmalloc.h"

#include "mm-ws.h"

#define MM_WS_PATH    "/api/v4/websocket"
#define MM_WS_PING_MS 30000U
#define MM_WS_URL_MAX 2048
/* Resumes the server closed before accepting, before starting afresh. */
#define MM_WS_RESUME_REFUSALS 3

struct mm_ws {
	uv_loop_t *loop;
	struct ws_client *ws;
	char *server_url;
	char *token; /* a secret */
	struct mm_ws_events ev;
	struct mm_ws_stats stats;

	uv_timer_t timer; /* the next reconnect */
	int timer_open;
	int attempts; /* failed connects since the last accepted one */
	unsigned rnd; /* jitter state */

	char *connection_id; /* the session to resume; NULL: none yet */
	int64_t next_seq;    /* the seq expected next */
	int64_t resume_from; /* next_seq when this connection started */
	int resuming;	     /* this connection asked to resume */
	int opened;	     /* this connection completed the handshake */
	int accepted;	     /* the server sent hello or an event */
	int refusals;	     /* resumes closed before being accepted */
	int session_lost;    /* the session was given up: report it */
	int64_t request_seq; /* our own requests' counter */

	int running;
	int closing;
	int pending;
	void (*done)(void *);
	void *done_arg;
};

char *
mm_ws_url(const char *server_url, const char *connection_id, int64_t next_seq,
	  char **cause)
{
	const char *rest, *scheme;

	if (strncmp(server_url, "https://", 8) == 0) {
		scheme = "wss://";
		rest = server_url + 8;
	} else if (strncmp(server_url, "http://", 7) == 0) {
		scheme = "ws://";
		rest = server_url + 7;
	} else {
		set_cause(cause,
			  "server url '%.200s' is not http:// or https://",
			  server_url);
		return NULL;
	}
	if (strlen(server_url) > MM_WS_URL_MAX) {
		set_cause(cause, "server url is longer than %d bytes",
			  MM_WS_URL_MAX);
		return NULL;
	}
	if (connection_id == NULL)
		return xasprintf("%s%s%s", scheme, rest, MM_WS_PATH);
	return xasprintf("%s%s%s?connection_id=%s&sequence_number=%lld", scheme,
			 rest, MM_WS_PATH, connection_id, (long long)next_seq);
}

/* A small xorshift: jitter needs spread, not secrecy. */
static unsigned
mm_ws_random(struct mm_ws *w)
{
	w->rnd ^= w->rnd << 13;
	w->rnd ^= w->rnd >> 17;
	w->rnd ^= w->rnd << 5;
	return w->rnd;
}

static void mm_ws_connect(struct mm_ws *w);

static void
mm_ws_timer(uv_timer_t *t)
{
	mm_ws_connect(t->data);
}

/* Connect again after the backoff. */
static void
mm_ws_schedule(struct mm_ws *w)
{
	int delay;

	if (!w->running || w->closing)
		return;
	w->attempts++;
	delay = retry_delay(w->attempts, mm_ws_random(w), 0);
	log_info("websocket: connecting again in %d s", delay);
	uv_timer_start(&w->timer, mm_ws_timer, (uint64_t)delay * 1000, 0);
}

static void
mm_ws_connect(struct mm_ws *w)
{
	char *url, *cause = NULL;

	if (!w->running || w->closing)
		return;
	url = mm_ws_url(w->server_url, w->connection_id, w->next_seq, &cause);
	if (url == NULL || ws_client_set_url(w->ws, url, &cause) != 0 ||
	    ws_client_connect(w->ws, &cause) != 0) {
		log_warn("websocket: cannot connect: %s", cause);
		free(cause);
		free(url);
		mm_ws_schedule(w);
		return;
	}
	free(url);
	w->resuming = w->connection_id != NULL;
	w->resume_from = w->next_seq;
	w->opened = 0;
	w->accepted = 0;
	log_debug("websocket: connecting%s", w->resuming ? " (resuming)" : "");
}

/* Send one request (a JSON text lihui made); a failure is only logged. */
static void
mm_ws_request(struct mm_ws *w, char *text)
{
	char *cause = NULL;

	if (ws_client_send(w->ws, text, strlen(text), &cause) != 0) {
		log_warn("websocket: cannot send a request: %s", cause);
		free(cause);
	}
	free(text);
}

static void
mm_ws_open(void *arg)
{
	struct mm_ws *w = arg;

	w->stats.connects++;
	w->opened = 1;
	if (!w->resuming)
		mm_ws_request(w, mm_auth_challenge(w->token, ++w->request_seq));
	/*
	 * A resumed session gets no hello, and may have nothing to replay:
	 * the answer to this ping is what says the server took it.
	 */
	mm_ws_request(w, xasprintf("{\"action\":\"ping\",\"seq\":%lld}",
				   (long long)++w->request_seq));
}

/* The server accepted this connection: backoff starts over. */
static void
mm_ws_accepted(struct mm_ws *w)
{
	if (w->accepted)
		return;
	w->accepted = 1;
	w->attempts = 0;
	w->refusals = 0;
	if (w->resuming) {
		w->stats.resumes++;
		log_info("websocket: session resumed at event %lld",
			 (long long)w->resume_from);
	} else
		log_info("websocket: connected");
}

static void
mm_ws_hello(struct mm_ws *w, const struct mm_msg *msg)
{
	const char *id = msg->connection_id;

	if (w->session_lost ||
	    (w->connection_id != NULL &&
	     (id == NULL || strcmp(id, w->connection_id) != 0))) {
		w->stats.lost++;
		log_warn("websocket: the server started a new session (%s): "
			 "events since %lld were missed; resynchronising",
			 id != NULL ? id : "no id", (long long)w->next_seq);
		w->resuming = 0;
		w->session_lost = 0;
		free(w->connection_id);
		w->connection_id = NULL;
		if (w->ev.lost != NULL)
			w->ev.lost(w->ev.arg);
	}
	if (w->connection_id == NULL && id != NULL)
		w->connection_id = xstrdup(id);
	w->next_seq = msg->seq >= 0 ? msg->seq + 1 : 1;
	mm_ws_accepted(w);
}

static void
mm_ws_message(void *arg, const char *data, size_t len)
{
	struct mm_ws *w = arg;
	struct mm_msg msg;
	char *cause = NULL;

	if (mm_msg_parse(data, len, &msg, &cause) != 0) {
		w->stats.refused++;
		log_warn("websocket: frame of %zu bytes refused: %s", len,
			 cause);
		free(cause);
		return;
	}
	switch (msg.kind) {
	case MM_MSG_RESPONSE:
		if (msg.status != NULL && strcmp(msg.status, "OK") == 0)
			mm_ws_accepted(w);
		else
			log_warn("websocket: request %lld failed: %s",
				 (long long)msg.seq_reply,
				 msg.error_id != NULL ? msg.error_id : "?");
		break;
	case MM_MSG_HELLO:
		mm_ws_hello(w, &msg);
		break;
	default:
		if (msg.seq >= 0 && msg.seq < w->next_seq) {
			w->stats.duplicates++;
			break;
		}
		if (msg.seq > w->next_seq) {
			log_warn("websocket: event %lld arrived where %lld was "
				 "expected; resuming from %lld",
				 (long long)msg.seq, (long long)w->next_seq,
				 (long long)w->next_seq);
			ws_client_disconnect(w->ws);
			break;
		}
		if (msg.seq >= 0)
			w->next_seq = msg.seq + 1;
		mm_ws_accepted(w);
		w->stats.events++;
		if (msg.kind == MM_MSG_POSTED && w->ev.posted != NULL)
			w->ev.posted(w->ev.arg, &msg);
		break;
	}
	mm_msg_release(&msg);
}

static void
mm_ws_closed(void *arg, const char *reason)
{
	struct mm_ws *w = arg;

	if (w->closing)
		return;
	log_info("websocket: disconnected: %s", reason);
	/*
	 * A resume the server closes right after the handshake, again and
	 * again, is given up: the next connection starts a new session, and
	 * its hello reports the loss.
	 */
	if (w->resuming && w->opened && !w->accepted &&
	    ++w->refusals >= MM_WS_RESUME_REFUSALS) {
		log_warn("websocket: the server does not resume the session; "
			 "starting a new one");
		free(w->connection_id);
		w->connection_id = NULL;
		w->session_lost = 1;
		w->refusals = 0;
	}
	mm_ws_schedule(w);
}

struct mm_ws *
mm_ws_new(uv_loop_t *loop, const struct mm_ws_options *opt,
	  const struct mm_ws_events *ev, char **cause)
{
	struct ws_options wo;
	struct ws_callbacks cb;
	struct mm_ws *w;
	char *url, *auth;

	url = mm_ws_url(opt->server_url, NULL, 0, cause);
	if (url == NULL)
		return NULL;
	auth = xasprintf("Bearer %s", opt->token);
	memset(&wo, 0, sizeof wo);
	wo.url = url;
	wo.authorization = auth;
	wo.ca_file = opt->ca_file;
	wo.insecure = opt->insecure;
	wo.max_message = MM_FRAME_MAX;
	wo.ping_interval_ms = opt->ping_ms != 0 ? opt->ping_ms : MM_WS_PING_MS;
	wo.pong_timeout_ms = wo.ping_interval_ms;
	w = xcalloc(1, sizeof *w);
	cb.open = mm_ws_open;
	cb.message = mm_ws_message;
	cb.closed = mm_ws_closed;
	cb.arg = w;
	w->ws = ws_client_new(loop, &wo, &cb, cause);
	free(url);
	free(auth);
	if (w->ws == NULL) {
		free(w);
		return NULL;
	}
	w->loop = loop;
	w->server_url = xstrdup(opt->server_url);
	w->token = xstrdup(opt->token);
	w->ev = *ev;
	w->rnd =
	    (unsigned)uv_hrtime() ^ ((unsigned)getpid() << 16) ^ 0x9e3779b9U;
	if (w->rnd == 0)
		w->rnd = 1;
	return w;
}

void
mm_ws_start(struct mm_ws *w)
{
	if (w->running || w->closing)
		return;
	w->running = 1;
	uv_timer_init(w->loop, &w->timer);
	w->timer.data = w;
	w->timer_open = 1;
	mm_ws_connect(w);
}

int
mm_ws_connected(const struct mm_ws *w)
{
	return ws_client_is_open(w->ws) && w->accepted;
}

const struct mm_ws_stats *
mm_ws_stats(const struct mm_ws *w)
{
	return &w->stats;
}

static void
mm_ws_part_closed(void *arg)
{
	struct mm_ws *w = arg;

	if (--w->pending == 0 && w->done != NULL)
		w->done(w->done_arg);
}

static void
mm_ws_timer_closed(uv_handle_t *h)
{
	struct mm_ws *w = h->data;

	w->timer_open = 0;
	mm_ws_part_closed(w);
}

void
mm_ws_close(struct mm_ws *w, void (*done)(void *), void *arg)
{
	w->closing = 1;
	w->running = 0;
	w->done = done;
	w->done_arg = arg;
	w->pending = 2;
	if (w->timer_open) {
		w->pending++;
		uv_close((uv_handle_t *)&w->timer, mm_ws_timer_closed);
	}
	ws_client_close(w->ws, mm_ws_part_closed, w);
	mm_ws_part_closed(w);
}

void
mm_ws_free(struct mm_ws *w)
{
	if (w == NULL)
		return;
	ws_client_free(w->ws);
	free(w->server_url);
	free(w->token);
	free(w->connection_id);
	free(w);
}
