/* SPDX-License-Identifier: MIT */
/*
 * slack.c: the Slack adapter: Socket Mode envelopes in, posts out over the
 * Web API (slack-api.h).
 *
 * How it works.
 *
 *   start: an HTTP client on the loop, then auth.test for the bot's user
 *     id, bot id and name (its own messages are ignored by them). When
 *     that fails, a timer tries again with retry_delay() backoff; lihui
 *     keeps running. Then users.list is read into the users cache (events
 *     name their authors by id only) and Socket Mode connects (below).
 *     Until auth.test answered, ready() says no and the outbox waits.
 *   connections: each is a struct slack_conn with its own WebSocket
 *     client (ws.h) on a URL from apps.connections.open (a fresh one each
 *     time: Slack's URLs are single-use; the URL, which holds a ticket, is
 *     never logged). A connection is live once Slack sent "hello"; one
 *     that does not say hello within SLACK_HELLO_MS is dropped. At most
 *     one connection is live (cur) and one is on its way (next):
 *	 - disconnect "refresh_requested" / "warning" (and any other reason
 *	   but link_disabled) on cur: a new connection is opened first; when
 *	   its hello comes it becomes cur, so no envelope waits for a
 *	   connection during a refresh. The old one is still read for
 *	   SLACK_DRAIN_MS (what Slack sent on it before the switch is
 *	   handled and acknowledged on it), then closed.
 *	 - disconnect "link_disabled": Socket Mode was switched off in the
 *	   app's settings; lihui closes everything, logs an error saying so,
 *	   and does not reconnect (a restart does, once it is on again).
 *	 - an unexpected close of cur (or a failed connect) with nothing on
 *	   its way: reconnect after retry_delay() backoff (1 s doubling to
 *	   5 min, reset by a hello), with a fresh URL.
 *	 - silence: the WebSocket client pings when nothing came for 30 s
 *	   and closes the connection ("ping timeout") when nothing at all,
 *	   not even a pong, came for 60 s; that is an unexpected close. A
 *	   quiet workspace's healthy connection is kept.
 *   envelopes: every envelope is acknowledged ({"envelope_id":...}) on the
 *     connection it came on (or the live one if that closed):
 *	 - events_api at once. The event then goes on unless its envelope id
 *	   or event id was handled lately (a redelivery: retry_attempt) or
 *	   it is a message already handled (Slack sends a mention in a
 *	   channel twice, as "message" and as "app_mention"): bounded rings of
 *	   recent ids. Messages by bots (bot_id, subtype bot_message), by the
 *	   bot itself and with other subtypes (edits, joins, ...) are ignored.
 *	   A message becomes a CHAT_MESSAGE: is_direct for an "im" channel,
 *	   mentions_bot for an app_mention or a <@bot> in the text; its
 *	   text made plain by slack_text_parse() (<@U1|dave> and known
 *	   <@U1> as "@dave", the bot's own id as "@<bot_name>"); post_id
 *	   "<channel>:<ts>".
 *	 - slash_commands: slack_command_from_json(); the command becomes a
 *	   CHAT_COMMAND (trigger: the command without '/'). Its ack says the
 *	   command was taken, so it waits until the store's batch holding it
 *	   is durable (adapter_sink generation / durable, with a ticket while
 *	   it waits in the gate, as mm-commands.c does), then one more loop
 *	   turn so that the outbox, kicked at the same moment, hands over
 *	   the command's ephemeral answer: an OUTBOX_EPHEMERAL row for the
 *	   same user and channel while the ack waits goes out inside the
 *	   ack's payload ({"response_type":"ephemeral","text":...}) instead
 *	   of chat.postEphemeral, which also works in channels the bot is not
 *	   a member of. An ack still waiting SLACK_ACK_DEADLINE_MS after the
 *	   envelope came goes out as it is, inside Slack's 3 s.
 *	 - interactive and unknown types: acknowledged and ignored.
 *   @names: every event reaches the sink through the name gate (gate.c)
 *     in the order it came; slack_gate_lookup() answers from the users
 *     cache (fed by auth.test, commands' user names, mentions with
 *     "|name", users.info and users.list), or by users.info for a name
 *     that is a user id (an unknown <@U1> stays "@U1"), or by a
 *     users.list walk; here, channel and everyone are no users.
 *   send: one outbox row becomes one or two Web API calls:
 *	OUTBOX_CHANNEL	 chat.postMessage
 *	OUTBOX_EPHEMERAL the waiting ack of that user's command, else
 *			 chat.postEphemeral; when Slack refuses it for the
 *			 channel (not_in_channel, channel_not_found,
 *			 user_not_in_channel) the text goes as a DM instead
 *	OUTBOX_DIRECT	 (users.list for a user name,) conversations.open
 *			 (cached), then chat.postMessage
 *	OUTBOX_EDIT	 chat.update of post_id "<channel>:<ts>"
 *	OUTBOX_REACTION	 reactions.add on post_id
 *     Text goes through slack_format_post() with @names written <@ID> for
 *     the users the cache knows. SLACK_API_OK is SEND_OK (post_id
 *     "<channel>:<ts>"), RETRY is SEND_RETRY with Retry-After, FAILED
 *     and NOT_FOUND are SEND_FAILED; slack-api.h says why a timed-out
 *     chat.postMessage is not retried (no double posts).
 *   close: stop the timers, the gate, every connection and the HTTP
 *     client; closed_cb runs when all let go.
 *
 * Mode http ([slack] mode = http): no Socket Mode; Slack POSTs to lihui's
 * HTTP listener (listen.h) on [slack] listen, at SLACK_COMMANDS_PATH
 * (the slash commands' Request URL) and SLACK_INTERACTIVE_PATH (the
 * Interactivity Request URL; either path takes either kind), behind a
 * reverse proxy with TLS. auth.test and the Web API work as above.
 *	 - GET /healthz: 200 {"slack":"ready","outbox_backlog":N} once
 *	   auth.test answered, else 503 with "starting".
 *	 - a POST must be application/x-www-form-urlencoded (else 415).
 *	   ssl_check=1 (Slack testing the certificate) is answered 200 at
 *	   once, with nothing checked or done. Every other request is
 *	   verified by slack_sign_verify() on the raw body (X-Slack-Request-
 *	   Timestamp, X-Slack-Signature, the signing secret, the system
 *	   clock): a forged, altered, stale or unsigned one gets 401 and a
 *	   warning saying why, never with the secret, the signature or the
 *	   body.
 *	 - payload=<json> (interactive): 200 with an empty body; lihui has
 *	   no buttons or modals, so nothing else happens.
 *	 - else a slash command: slack_command_from_form() (400 when it is
 *	   not one), then the same path as a Socket Mode command: the ack
 *	   slot is the HTTP reply, deferred (listen_reply.defer = the
 *	   ticket) until the batch holding the command is durable, the
 *	   command's ephemeral answer riding in it as the body
 *	   {"response_type":"ephemeral","text":...}, or empty; at
 *	   SLACK_ACK_DEADLINE_MS it goes as it is (Slack waits 3 s).
 *   Socket Mode's events (messages, mentions, the '#' lines of a meeting)
 *   do not exist in this mode: the Events API over HTTP is not read.
 *
 * Secrets: the tokens travel only in Authorization headers (slack-api.c);
 * neither they nor Socket Mode URLs are logged. The signing secret only
 * goes to slack_sign_verify(); request signatures are never logged.
 * json-c stays in this file and in slack-socket.c / slack-api.c.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <json-c/json.h>
#include <uv.h>

#include "lihui/adapter.h"
#include "lihui/clock.h"
#include "lihui/config.h"
#include "lihui/listen.h"
#include "lihui/log.h"
#include "lihui/retry.h"
#include "lihui/ws.h"
#include "lihui/xmalloc.h"

#include "gate.h"
#include "slack-api.h"
#include "slack-command.h"
#include "slack-format.h"
#include "slack-sign.h"
#include "slack-socket.h"

#define SLACK_HELLO_MS 10000
/* How long a replaced connection is still read (see slack_hello()). */
#define SLACK_DRAIN_MS	      3000
#define SLACK_PING_MS	      30000U
#define SLACK_ACK_DEADLINE_MS 2500
/* How long a ready ack waits for a connection to go out on. */
#define SLACK_ACK_GIVE_UP_MS   2900
#define SLACK_ACK_CHECK_MS     100
#define SLACK_ACKS_MAX	       256
#define SLACK_RECENT	       512
#define SLACK_KEY_MAX	       (2 * SLACK_ID_MAX + 2)
#define SLACK_NOT_READY_RETRY  5 /* seconds, while the bot is not known */
#define SLACK_CONNS_MAX	       4
#define SLACK_ACK_TEXT_MAX     (3 * 1024)
#define SLACK_COMMAND_TEXT_MAX (16 * 1024)
#define SLACK_TICKET_WAITS     UINT64_MAX
/* Mode http: the listener's paths and largest body. */
#define SLACK_COMMANDS_PATH    "/slack/commands"
#define SLACK_INTERACTIVE_PATH "/slack/interactive"
#define SLACK_HEALTH_PATH      "/healthz"
#define SLACK_HTTP_MAX_BODY    (256 * 1024)
#define SLACK_FORM_TYPE	       "application/x-www-form-urlencoded"

/* One Socket Mode connection. */
struct slack_conn {
	struct slack *s;
	struct ws_client *ws;
	uint64_t serial;  /* acks name their connection by it */
	int hello;	  /* Slack said hello: it is (or was) live */
	int closing;	  /* ws_client_close() called */
	int retiring;	  /* replaced: read until drain_timer, then closed */
	uint64_t started; /* loop time of the connect, ms */
};

/* A slash command's ack while it waits (see the top of the file). */
struct slack_ack {
	uint64_t ticket; /* 0: free slot */
	uint64_t gen;	 /* SLACK_TICKET_WAITS while in the gate */
	int ready;	 /* durable: goes at the next flush */
	int http;	 /* mode http: the deferred reply (defer = ticket) */
	uint64_t serial; /* the connection it came on (Socket Mode) */
	uint64_t came;	 /* loop time, ms */
	char envelope_id[SLACK_ID_MAX + 1];
	char user[SLACK_ID_MAX + 1];
	char channel[SLACK_ID_MAX + 1];
	char *text; /* the ephemeral answer (mrkdwn), or NULL */
};

struct slack {
	struct adapter base;
	uv_loop_t *loop;
	struct adapter_sink sink;
	struct clock clock;
	char *api_url;
	char *bot_token; /* a secret */
	char *app_token; /* a secret */
	char *ca_file;
	int insecure;
	char *config_name;    /* [lihui] bot_name */
	int http_mode;	      /* [slack] mode = http */
	char *signing_secret; /* a secret; mode http */
	char *listen_addr;
	int listen_port;
	struct listener *listener; /* mode http */

	struct http_client *http;
	struct slack_api *api;
	struct gate *gate;

	char *bot_user_id; /* NULL until auth.test answered */
	char *bot_id;
	char *bot_name;
	int auth_attempts;
	int asking; /* auth.test or apps.connections.open under way */

	struct slack_conn *conns[SLACK_CONNS_MAX];
	struct slack_conn *cur;	 /* live */
	struct slack_conn *next; /* on its way */
	uint64_t serial_next;
	int attempts; /* failed connects since the last hello */
	unsigned rnd;
	int disabled; /* link_disabled: no more connections */

	uv_timer_t timer;	/* auth.test retry, reconnect backoff */
	uv_timer_t hello_timer; /* next's hello deadline */
	uv_timer_t drain_timer; /* closes the retiring connections */
	uv_timer_t open_timer;	/* starts the connection to pending_url */
	char *pending_url;	/* from apps.connections.open; a secret */
	uv_timer_t ack_timer;	/* flush and deadline of waiting acks */
	int timers_open;

	struct slack_ack acks[SLACK_ACKS_MAX];
	size_t n_acks;
	uint64_t ticket_next;

	char recent[SLACK_RECENT][SLACK_KEY_MAX + 1];
	size_t recent_next;

	int stopped;
	int closing;
	int pending;
	void (*closed_cb)(void *);
	void *closed_arg;
};

/* Which Web API call a send is waiting for. */
enum slack_stage {
	SLACK_STAGE_POST,
	SLACK_STAGE_EPHEMERAL,
	SLACK_STAGE_FIND,
	SLACK_STAGE_DM,
	SLACK_STAGE_EDIT,
	SLACK_STAGE_REACTION,
};

/* One outbox row on its way; owns copies of what it needs. */
struct slack_send {
	struct slack *s;
	int64_t id;
	enum slack_stage stage;
	char *channel;
	char *user;
	char *ts;
	char *text; /* formatted (reactions: the emoji name) */
	adapter_send_done_fn done;
	void *done_arg;
};

static void slack_connect(struct slack *s);
static void slack_auth_start(struct slack *s);
static void slack_acks_check(struct slack *s);

static struct slack *
slack_downcast(struct adapter *a)
{
	if (a->ops != &adapter_slack)
		BUG("not a slack adapter");
	return (struct slack *)a;
}

/* A small xorshift: jitter needs spread, not secrecy. */
static unsigned
slack_random(struct slack *s)
{
	s->rnd ^= s->rnd << 13;
	s->rnd ^= s->rnd >> 17;
	s->rnd ^= s->rnd << 5;
	return s->rnd;
}

static void slack_free(struct adapter *a);

static struct adapter *
slack_create(const struct config *cfg, uv_loop_t *loop,
	     const struct adapter_sink *sink, char **cause)
{
	struct slack *s;
	char *addr = NULL;
	int port = 0, http_mode;

	if (cfg->slack_bot_token == NULL) {
		set_cause(cause, "adapter 'slack' needs bot_token in [slack]");
		return NULL;
	}
	http_mode =
	    cfg->slack_mode != NULL && strcmp(cfg->slack_mode, "http") == 0;
	if (http_mode && (cfg->slack_signing_secret == NULL ||
			  *cfg->slack_signing_secret == '\0')) {
		set_cause(cause, "adapter 'slack' in mode http needs "
				 "signing_secret in [slack]");
		return NULL;
	}
	if (!http_mode && cfg->slack_app_token == NULL) {
		set_cause(cause, "adapter 'slack' in mode socket needs "
				 "app_token in [slack]");
		return NULL;
	}
	if (http_mode &&
	    listen_address_split(cfg->slack_listen != NULL ? cfg->slack_listen
							   : "127.0.0.1:8090",
				 &addr, &port, cause) != 0)
		return NULL;
	s = xcalloc(1, sizeof *s);
	s->http_mode = http_mode;
	if (http_mode) {
		s->signing_secret = xstrdup(cfg->slack_signing_secret);
		s->listen_addr = addr;
		s->listen_port = port;
	}
	s->base.ops = &adapter_slack;
	s->loop = loop;
	s->sink = *sink;
	s->clock = clock_system();
	s->api_url =
	    xstrdup(cfg->slack_api_url != NULL ? cfg->slack_api_url
					       : "https://slack.com/api");
	s->bot_token = xstrdup(cfg->slack_bot_token);
	if (cfg->slack_app_token != NULL)
		s->app_token = xstrdup(cfg->slack_app_token);
	if (cfg->slack_ca_file != NULL)
		s->ca_file = xstrdup(cfg->slack_ca_file);
	s->insecure = cfg->slack_insecure_tls;
	s->config_name =
	    xstrdup(cfg->bot_name != NULL ? cfg->bot_name : "lihui");
	s->rnd =
	    (unsigned)uv_hrtime() ^ ((unsigned)getpid() << 16) ^ 0x9e3779b9U;
	if (s->rnd == 0)
		s->rnd = 1;
	return &s->base;
}

/* Recent ids (envelopes, events, messages). */

static int
slack_recent_has(const struct slack *s, const char *key)
{
	size_t i;

	for (i = 0; i < SLACK_RECENT; i++)
		if (s->recent[i][0] != '\0' && strcmp(s->recent[i], key) == 0)
			return 1;
	return 0;
}

/* Remember key; 1 when it was new, 0 when seen lately. */
static int
slack_recent_add(struct slack *s, const char *kind, const char *id)
{
	char key[SLACK_KEY_MAX + 1];

	snprintf(key, sizeof key, "%s:%s", kind, id);
	if (slack_recent_has(s, key))
		return 0;
	snprintf(s->recent[s->recent_next], sizeof s->recent[0], "%s", key);
	s->recent_next = (s->recent_next + 1) % SLACK_RECENT;
	return 1;
}

/* Names: the users cache for the formatter and the text parser. */

/* Whether s looks like a Slack user id (U or W, then A-Z 0-9). */
static int
slack_user_id_like(const char *id)
{
	size_t n = strlen(id);

	return n >= 2 && n <= 32 && (id[0] == 'U' || id[0] == 'W') &&
	       strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") == n;
}

/* A name (without '@') to an id, for slack_format_post(). */
static const char *
slack_format_lookup(void *arg, const char *name)
{
	struct slack *s = arg;

	if (s->bot_user_id != NULL && strcasecmp(name, s->config_name) == 0)
		return s->bot_user_id;
	if (s->api == NULL)
		return NULL;
	if (slack_user_id_like(name))
		return name; /* an "@U1" lihui kept as it came */
	return slack_api_user_id(s->api, name);
}

/* An id to a name, for slack_text_parse(): the bot is its config name. */
static const char *
slack_text_resolve(void *arg, const char *user_id)
{
	struct slack *s = arg;

	if (s->bot_user_id != NULL && strcmp(user_id, s->bot_user_id) == 0)
		return s->config_name;
	return s->api != NULL ? slack_api_user_name(s->api, user_id) : NULL;
}

/* Parse inbound Slack text; learn the names it carries. NULL on error. */
static char *
slack_plain(struct slack *s, const char *text, char **cause)
{
	struct slack_text t;
	char *plain;
	size_t i;

	if (slack_text_parse(text, strlen(text), SLACK_TEXT_MAX,
			     slack_text_resolve, s, &t, cause) != 0)
		return NULL;
	for (i = 0; i < t.n_mentions; i++)
		if (t.mentions[i].name != NULL &&
		    (s->bot_user_id == NULL ||
		     strcmp(t.mentions[i].user_id, s->bot_user_id) != 0))
			slack_api_user_learn(s->api, t.mentions[i].user_id,
					     t.mentions[i].name);
	/* Unknown ids: look them up for next time (answers only cached). */
	for (i = 0; i < t.n_mentions && t.missing > 0; i++) {
		const char *name;
		char *why = NULL;

		if (t.mentions[i].name == NULL &&
		    slack_user_id_like(t.mentions[i].user_id) &&
		    slack_api_user_info(s->api, t.mentions[i].user_id, &name,
					NULL, NULL, &why) < 0) {
			log_debug("cannot look user %s up: %s",
				  t.mentions[i].user_id, why);
			free(why);
		}
	}
	plain = t.text;
	t.text = NULL;
	slack_text_release(&t);
	return plain;
}

/* The gate. */

static void
slack_gate_answered(void *arg, const struct slack_api_result *r)
{
	struct gate_ask *ask = arg;

	switch (r->status) {
	case SLACK_API_OK:
		gate_answer(ask, CHAT_USER_FOUND, r->user_id);
		break;
	case SLACK_API_NOT_FOUND:
		gate_answer(ask, CHAT_USER_UNKNOWN, NULL);
		break;
	default:
		log_warn("user lookup failed: %s", r->error);
		gate_answer(ask, CHAT_USER_UNCHECKED, NULL);
		break;
	}
}

static int
slack_gate_lookup(void *arg, const char *name, struct gate_ask *ask,
		  enum chat_user_state *state, const char **user_id)
{
	struct slack *s = arg;
	const char *out = NULL;
	char *cause = NULL;
	int rc;

	*state = CHAT_USER_UNKNOWN;
	if (strcasecmp(name, "here") == 0 || strcasecmp(name, "channel") == 0 ||
	    strcasecmp(name, "everyone") == 0 || !slack_api_name_valid(name))
		return 1;
	*state = CHAT_USER_FOUND;
	if (s->bot_user_id != NULL &&
	    (strcasecmp(name, s->config_name) == 0 ||
	     (s->bot_name != NULL && strcasecmp(name, s->bot_name) == 0))) {
		*user_id = s->bot_user_id;
		return 1;
	}
	*state = CHAT_USER_UNCHECKED;
	if (s->api == NULL || s->closing)
		return 1;
	if (slack_user_id_like(name)) {
		rc = slack_api_user_info(s->api, name, &out,
					 slack_gate_answered, ask, &cause);
		if (rc == 1) {
			*state = CHAT_USER_FOUND;
			*user_id = name;
		}
	} else {
		rc = slack_api_user_find(s->api, name, &out,
					 slack_gate_answered, ask, &cause);
		if (rc == 1) {
			*state =
			    out != NULL ? CHAT_USER_FOUND : CHAT_USER_UNKNOWN;
			*user_id = out;
		}
	}
	if (rc < 0) {
		log_warn("cannot look @%s up: %s", name, cause);
		free(cause);
	}
	return rc != 0;
}

static struct slack_ack *
slack_ack_find(struct slack *s, uint64_t ticket)
{
	size_t i;

	for (i = 0; i < SLACK_ACKS_MAX; i++)
		if (s->acks[i].ticket == ticket)
			return &s->acks[i];
	return NULL;
}

static void
slack_gate_sink(void *arg, const struct chat_event *ev, uint64_t tag)
{
	struct slack *s = arg;
	struct slack_ack *a;

	s->sink.event(s->sink.arg, ev);
	if (tag == 0 || (a = slack_ack_find(s, tag)) == NULL)
		return;
	a->gen =
	    s->sink.generation != NULL ? s->sink.generation(s->sink.arg) : 0;
	slack_acks_check(s);
}

/* Connections. */

static struct slack_conn *
slack_conn_by_serial(struct slack *s, uint64_t serial)
{
	size_t i;

	for (i = 0; i < SLACK_CONNS_MAX; i++)
		if (s->conns[i] != NULL && s->conns[i]->serial == serial &&
		    !s->conns[i]->closing)
			return s->conns[i];
	return NULL;
}

/* Send text on c, or on the live connection when c is gone. */
static int
slack_conn_send(struct slack *s, struct slack_conn *c, const char *text)
{
	char *cause = NULL;

	if (c == NULL || c->closing || !ws_client_is_open(c->ws))
		c = s->cur;
	if (c == NULL || c->closing) {
		log_warn("socket mode: no connection to acknowledge on");
		return -1;
	}
	if (ws_client_send(c->ws, text, strlen(text), &cause) != 0) {
		log_warn("socket mode: cannot acknowledge: %s", cause);
		free(cause);
		return -1;
	}
	return 0;
}

static void
slack_ws_freed(void *arg)
{
	struct slack_conn *c = arg;
	struct slack *s = c->s;
	size_t i;

	for (i = 0; i < SLACK_CONNS_MAX; i++)
		if (s->conns[i] == c)
			s->conns[i] = NULL;
	ws_client_free(c->ws);
	free(c);
	if (s->closing && --s->pending == 0 && s->closed_cb != NULL)
		s->closed_cb(s->closed_arg);
}

/* Tear c down (it leaves cur / next); freed from the loop later. */
static void
slack_conn_drop(struct slack_conn *c)
{
	struct slack *s = c->s;

	if (s->cur == c)
		s->cur = NULL;
	if (s->next == c)
		s->next = NULL;
	if (c->closing)
		return;
	c->closing = 1;
	if (s->closing)
		s->pending++;
	ws_client_close(c->ws, slack_ws_freed, c);
}

static void
slack_timer_connect(uv_timer_t *t)
{
	struct slack *s = t->data;

	if (s->bot_user_id == NULL)
		slack_auth_start(s);
	else
		slack_connect(s);
}

/* Connect again after the backoff, unless something is on its way. */
static void
slack_schedule(struct slack *s, int retry_after)
{
	int delay;

	if (s->closing || s->disabled || s->next != NULL || s->asking)
		return;
	s->attempts++;
	delay = retry_delay(s->attempts, slack_random(s), retry_after);
	log_info("socket mode: connecting again in %d s", delay);
	uv_timer_start(&s->timer, slack_timer_connect, (uint64_t)delay * 1000,
		       0);
}

/* Socket Mode was switched off in the app's settings. */
static void
slack_disable(struct slack *s)
{
	size_t i;

	log_error("socket mode: Slack disabled the connection "
		  "(link_disabled): Socket Mode was switched off in the "
		  "app's settings; lihui receives nothing until it is "
		  "switched on again and lihui is restarted");
	s->disabled = 1;
	uv_timer_stop(&s->timer);
	uv_timer_stop(&s->hello_timer);
	for (i = 0; i < SLACK_CONNS_MAX; i++)
		if (s->conns[i] != NULL)
			slack_conn_drop(s->conns[i]);
}

static void slack_ack_arm(struct slack *s, uint64_t ms);

/* The drain time of the replaced connections is over: close them. */
static void
slack_drain(uv_timer_t *t)
{
	struct slack *s = t->data;
	size_t i;

	for (i = 0; i < SLACK_CONNS_MAX; i++)
		if (s->conns[i] != NULL && s->conns[i]->retiring &&
		    s->conns[i] != s->cur)
			slack_conn_drop(s->conns[i]);
}

static void
slack_hello(struct slack *s, struct slack_conn *c, const struct slack_frame *f)
{
	if (c->hello)
		return;
	c->hello = 1;
	s->attempts = 0;
	if (s->next == c) {
		s->next = NULL;
		uv_timer_stop(&s->hello_timer);
	}
	if (s->cur != NULL && s->cur != c) {
		/*
		 * Envelopes Slack sent on the old connection before this
		 * hello may still be on their way: it is read (and its
		 * commands acknowledged on it) for SLACK_DRAIN_MS more,
		 * beyond Slack's 3 s, then closed. Nothing new goes to it.
		 */
		log_info("socket mode: switched to the new connection");
		s->cur->retiring = 1;
		uv_timer_start(&s->drain_timer, slack_drain, SLACK_DRAIN_MS, 0);
	} else
		log_info("socket mode: connected");
	s->cur = c;
	/* Acks that waited for a connection go now. */
	if (s->n_acks > 0)
		slack_ack_arm(s, 0);
	if (f->connection_time >= 0)
		log_debug("socket mode: Slack keeps this connection about "
			  "%ld s",
			  f->connection_time);
}

static void
slack_disconnect_frame(struct slack *s, struct slack_conn *c,
		       const char *reason)
{
	if (strcmp(reason, "link_disabled") == 0) {
		slack_disable(s);
		return;
	}
	log_info("socket mode: Slack asks to reconnect (%s)",
		 *reason != '\0' ? reason : "no reason");
	/* The old connection stays until the new one said hello. */
	if (c == s->cur && s->next == NULL && !s->asking) {
		uv_timer_stop(&s->timer);
		slack_connect(s);
	}
}

/* An ack for a command waits; the rest are answered at once. */
static void slack_command_envelope(struct slack *s, struct slack_conn *c,
				   const struct slack_frame *f);
static void slack_event_envelope(struct slack *s, const struct slack_frame *f);

static void
slack_envelope(struct slack *s, struct slack_conn *c,
	       const struct slack_frame *f)
{
	char *ack;

	if (f->type == SLACK_ENV_SLASH_COMMANDS && !s->stopped &&
	    slack_recent_add(s, "env", f->envelope_id)) {
		slack_command_envelope(s, c, f);
		return;
	}
	ack = slack_ack_build(f->envelope_id, NULL);
	slack_conn_send(s, c, ack);
	free(ack);
	if (f->type != SLACK_ENV_EVENTS_API || s->stopped)
		return;
	if (!slack_recent_add(s, "env", f->envelope_id)) {
		log_debug("socket mode: envelope %s again (attempt %d)",
			  f->envelope_id, f->retry_attempt);
		return;
	}
	slack_event_envelope(s, f);
}

static void
slack_ws_open(void *arg)
{
	struct slack_conn *c = arg;

	log_debug("socket mode: connection %llu open, waiting for hello",
		  (unsigned long long)c->serial);
}

static void
slack_ws_message(void *arg, const char *data, size_t len)
{
	struct slack_conn *c = arg;
	struct slack *s = c->s;
	struct slack_frame f;
	char *cause = NULL;

	if (s->closing || c->closing)
		return;
	if (slack_frame_parse(data, len, &f, &cause) != 0) {
		log_warn("socket mode: frame of %zu bytes refused: %s", len,
			 cause);
		free(cause);
		return;
	}
	switch (f.kind) {
	case SLACK_FRAME_HELLO:
		slack_hello(s, c, &f);
		break;
	case SLACK_FRAME_DISCONNECT:
		slack_disconnect_frame(s, c, f.reason);
		break;
	default:
		slack_envelope(s, c, &f);
		break;
	}
	slack_frame_release(&f);
}

static void
slack_ws_closed(void *arg, const char *reason)
{
	struct slack_conn *c = arg;
	struct slack *s = c->s;
	int was_cur = s->cur == c, was_next = s->next == c;
	int status = ws_client_http_status(c->ws);

	if (s->closing || c->closing)
		return;
	if (was_next)
		uv_timer_stop(&s->hello_timer);
	slack_conn_drop(c);
	if (s->disabled)
		return;
	if (was_cur || was_next) {
		log_info("socket mode: disconnected: %s", reason);
		if (status != 0)
			log_warn("socket mode: Slack refused the connection "
				 "(http %d)",
				 status);
	}
	if (s->cur == NULL && s->next == NULL)
		slack_schedule(s, 0);
}

static void
slack_hello_timeout(uv_timer_t *t)
{
	struct slack *s = t->data;

	if (s->next == NULL)
		return;
	log_warn("socket mode: no hello within %d s; trying again",
		 SLACK_HELLO_MS / 1000);
	slack_conn_drop(s->next);
	if (s->cur == NULL)
		slack_schedule(s, 0);
}

/* Open a connection on url (from apps.connections.open). */
static void
slack_conn_start(struct slack *s, const char *url)
{
	struct ws_options wo;
	struct ws_callbacks cb;
	struct slack_conn *c;
	char *cause = NULL;
	size_t i;

	for (i = 0; i < SLACK_CONNS_MAX && s->conns[i] != NULL; i++)
		;
	if (i == SLACK_CONNS_MAX) {
		log_warn("socket mode: too many connections closing");
		slack_schedule(s, 0);
		return;
	}
	c = xcalloc(1, sizeof *c);
	c->s = s;
	c->serial = ++s->serial_next;
	memset(&wo, 0, sizeof wo);
	wo.url = url;
	wo.ca_file = s->ca_file;
	wo.insecure = s->insecure;
	wo.max_message = SLACK_FRAME_MAX;
	wo.ping_interval_ms = SLACK_PING_MS;
	wo.pong_timeout_ms = SLACK_PING_MS;
	cb.open = slack_ws_open;
	cb.message = slack_ws_message;
	cb.closed = slack_ws_closed;
	cb.arg = c;
	c->ws = ws_client_new(s->loop, &wo, &cb, &cause);
	if (c->ws == NULL || ws_client_connect(c->ws, &cause) != 0) {
		/* Never reported the URL: it holds a ticket. */
		log_warn("socket mode: cannot connect: %s", cause);
		free(cause);
		ws_client_free(c->ws);
		free(c);
		slack_schedule(s, 0);
		return;
	}
	s->conns[i] = c;
	s->next = c;
	c->started = uv_now(s->loop);
	uv_timer_start(&s->hello_timer, slack_hello_timeout, SLACK_HELLO_MS, 0);
}

static void
slack_open_deferred(uv_timer_t *t)
{
	struct slack *s = t->data;
	char *url = s->pending_url;

	s->pending_url = NULL;
	s->asking = 0;
	if (url != NULL && !s->closing && !s->disabled)
		slack_conn_start(s, url);
	free(url);
}

static void
slack_connections_opened(void *arg, const struct slack_api_result *r)
{
	struct slack *s = arg;

	s->asking = 0;
	if (s->closing || s->disabled)
		return;
	if (r->status != SLACK_API_OK) {
		if (r->auth)
			log_error("socket mode: apps.connections.open: %s (is "
				  "app_token right, with connections:write?)",
				  r->error);
		else
			log_warn("socket mode: apps.connections.open: %s",
				 r->error);
		if (s->cur == NULL)
			slack_schedule(s, r->retry_after);
		return;
	}
	/*
	 * Connect from a timer, in the next loop round: libwebsockets
	 * closes a socket that ends (the old connection, which Slack may
	 * close right now) before libuv has let go of its watcher, and a
	 * socket opened in the same round could get that number back,
	 * which libuv cannot watch. Still asking meanwhile: nothing else
	 * connects.
	 */
	s->asking = 1;
	free(s->pending_url);
	s->pending_url = xstrdup(r->url);
	uv_timer_start(&s->open_timer, slack_open_deferred, 0, 0);
}

static void
slack_connect(struct slack *s)
{
	char *cause = NULL;

	if (s->http_mode || s->closing || s->disabled || s->asking ||
	    s->next != NULL)
		return;
	if (slack_api_connections_open(s->api, slack_connections_opened, s,
				       &cause) != 0) {
		log_warn("socket mode: cannot ask for a connection: %s", cause);
		free(cause);
		slack_schedule(s, 0);
		return;
	}
	s->asking = 1;
}

static void
slack_users_loaded(void *arg, const struct slack_api_result *r)
{
	struct slack *s = arg;

	if (s->closing)
		return;
	if (r->status != SLACK_API_OK)
		log_warn("cannot read Slack's list of users: %s (users are "
			 "looked up one by one instead)",
			 r->error);
	else
		log_debug("read Slack's list of users");
}

static void
slack_auth_done(void *arg, const struct slack_api_result *r)
{
	struct slack *s = arg;
	char *cause = NULL;

	s->asking = 0;
	if (s->closing)
		return;
	if (r->status != SLACK_API_OK) {
		if (r->auth)
			log_error("auth.test: %s (is bot_token right?)",
				  r->error);
		else
			log_warn("auth.test: %s", r->error);
		s->auth_attempts++;
		uv_timer_start(&s->timer, slack_timer_connect,
			       (uint64_t)retry_delay(s->auth_attempts,
						     slack_random(s),
						     r->retry_after) *
				   1000,
			       0);
		return;
	}
	s->bot_user_id = xstrdup(r->user_id);
	if (r->bot_id != NULL)
		s->bot_id = xstrdup(r->bot_id);
	if (r->user_name != NULL) {
		s->bot_name = xstrdup(r->user_name);
		slack_api_user_learn(s->api, r->user_id, r->user_name);
	}
	log_info("connected to Slack as @%s (user id %s)",
		 s->bot_name != NULL ? s->bot_name : "?", s->bot_user_id);
	/* Names for the users events name only by id: read them now. */
	if (slack_api_users_load(s->api, slack_users_loaded, s, &cause) != 0) {
		log_warn("cannot read Slack's list of users: %s", cause);
		free(cause);
	}
	slack_connect(s);
}

static void
slack_auth_start(struct slack *s)
{
	char *cause = NULL;

	if (s->closing || s->bot_user_id != NULL || s->asking)
		return;
	if (slack_api_auth_test(s->api, slack_auth_done, s, &cause) != 0) {
		log_warn("cannot ask Slack who the bot is: %s", cause);
		free(cause);
		s->auth_attempts++;
		uv_timer_start(&s->timer, slack_timer_connect,
			       (uint64_t)retry_delay(s->auth_attempts,
						     slack_random(s), 0) *
				   1000,
			       0);
		return;
	}
	s->asking = 1;
}

/* Acks of slash commands. */

/* Mode http: the reply body carrying an ephemeral answer. */
static char *
slack_http_answer(const char *text)
{
	struct json_object *o = json_object_new_object(), *v;
	char *body;

	if (o == NULL)
		fatal("out of memory");
	v = json_object_new_string("ephemeral");
	if (v == NULL || json_object_object_add(o, "response_type", v) != 0)
		fatal("out of memory");
	v = json_object_new_string(text);
	if (v == NULL || json_object_object_add(o, "text", v) != 0)
		fatal("out of memory");
	body = xstrdup(json_object_to_json_string_ext(
	    o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return body;
}

/* Free a's slot. */
static void
slack_ack_free(struct slack *s, struct slack_ack *a)
{
	free(a->text);
	memset(a, 0, sizeof *a);
	s->n_acks--;
}

static void
slack_ack_send(struct slack *s, struct slack_ack *a)
{
	struct slack_conn *c;
	char *ack;

	if (a->http && s->listener != NULL && a->text != NULL)
		listen_answer(s->listener, a->ticket, 200,
			      "application/json; charset=utf-8",
			      slack_http_answer(a->text));
	else if (a->http && s->listener != NULL)
		listen_answer(s->listener, a->ticket, 200,
			      "text/plain; charset=utf-8", NULL);
	else if (!a->http) {
		c = slack_conn_by_serial(s, a->serial);
		/*
		 * Its connection is gone and the next one has not said hello
		 * yet (Slack closed the old one at once): the ack waits for
		 * it, while Slack's 3 s allow.
		 */
		if ((c == NULL || c->closing || !ws_client_is_open(c->ws)) &&
		    (s->cur == NULL || s->cur->closing) &&
		    uv_now(s->loop) - a->came < SLACK_ACK_GIVE_UP_MS)
			return;
		ack = slack_ack_build(a->envelope_id, a->text);
		slack_conn_send(s, c, ack);
		free(ack);
	}
	slack_ack_free(s, a);
}

static void slack_ack_timer(uv_timer_t *t);

/* Arm the ack timer for soon (a flush) or for the check interval. */
static void
slack_ack_arm(struct slack *s, uint64_t ms)
{
	if (!s->timers_open || s->closing)
		return;
	if (uv_is_active((uv_handle_t *)&s->ack_timer) &&
	    uv_timer_get_due_in(&s->ack_timer) <= ms)
		return;
	uv_timer_start(&s->ack_timer, slack_ack_timer, ms, 0);
}

/* Mark the acks whose batch is durable; a flush sends them. */
static void
slack_acks_check(struct slack *s)
{
	struct slack_ack *a;
	size_t i;
	int any = 0;

	for (i = 0; i < SLACK_ACKS_MAX && s->n_acks > 0; i++) {
		a = &s->acks[i];
		if (a->ticket == 0 || a->ready || a->gen == SLACK_TICKET_WAITS)
			continue;
		if (a->gen == 0 || s->sink.durable == NULL ||
		    s->sink.durable(s->sink.arg, a->gen)) {
			a->ready = 1;
			any = 1;
		}
	}
	if (any)
		slack_ack_arm(s, 0);
}

/* Send the ready acks and those at their deadline; re-arm if any wait. */
static void
slack_ack_timer(uv_timer_t *t)
{
	struct slack *s = t->data;
	struct slack_ack *a;
	uint64_t now = uv_now(s->loop);
	size_t i;

	for (i = 0; i < SLACK_ACKS_MAX && s->n_acks > 0; i++) {
		a = &s->acks[i];
		if (a->ticket == 0)
			continue;
		if (!a->ready && now - a->came >= SLACK_ACK_DEADLINE_MS) {
			log_warn("%s: command not stored within %d ms: "
				 "acknowledged anyway",
				 a->http ? "http" : "socket mode",
				 SLACK_ACK_DEADLINE_MS);
			a->ready = 1;
		}
		if (a->ready)
			slack_ack_send(s, a);
	}
	if (s->n_acks > 0)
		slack_ack_arm(s, SLACK_ACK_CHECK_MS);
}

/*
 * A new ack slot for the envelope (c and f), or for an HTTP request (c
 * and f NULL); NULL when all are taken.
 */
static struct slack_ack *
slack_ack_new(struct slack *s, struct slack_conn *c,
	      const struct slack_frame *f, const struct slack_command *cmd)
{
	struct slack_ack *a;
	size_t i;

	if (s->n_acks == SLACK_ACKS_MAX)
		return NULL;
	for (i = 0; s->acks[i].ticket != 0; i++)
		;
	a = &s->acks[i];
	a->ticket = ++s->ticket_next;
	a->gen = SLACK_TICKET_WAITS;
	a->http = c == NULL;
	a->serial = c != NULL ? c->serial : 0;
	a->came = uv_now(s->loop);
	if (f != NULL)
		snprintf(a->envelope_id, sizeof a->envelope_id, "%s",
			 f->envelope_id);
	snprintf(a->user, sizeof a->user, "%s", cmd->user_id);
	snprintf(a->channel, sizeof a->channel, "%s", cmd->channel_id);
	s->n_acks++;
	return a;
}

/* Slash commands. */

/*
 * Hand cmd to the gate, the same way from Socket Mode (c and f) and from
 * HTTP (c and f NULL; where names the mode in log lines). Returns -1 when
 * cmd is refused (logged), 0 when it was taken and its ack goes at once
 * (empty), 1 when its ack waits in *out (see the top of the file).
 */
static int
slack_command_take(struct slack *s, struct slack_conn *c,
		   const struct slack_frame *f, const struct slack_command *cmd,
		   const char *where, struct slack_ack **out)
{
	struct chat_event ev;
	struct slack_ack *a;
	char *cause = NULL, *text;
	int rc, taken = 0;

	*out = NULL;
	if (cmd->command[0] != '/' || cmd->command[1] == '\0' ||
	    !slack_id_valid(cmd->user_id) || !slack_id_valid(cmd->channel_id) ||
	    (text = slack_plain(s, cmd->text, &cause)) == NULL) {
		log_warn("%s: slash command refused: %s", where,
			 cause != NULL ? cause
				       : "bad command, user or channel");
		free(cause);
		return -1;
	}
	if (cmd->user_name != NULL)
		slack_api_user_learn(s->api, cmd->user_id, cmd->user_name);
	memset(&ev, 0, sizeof ev);
	ev.kind = CHAT_COMMAND;
	ev.channel_key = cmd->channel_id;
	ev.channel_name =
	    cmd->channel_name != NULL && *cmd->channel_name != '\0'
		? cmd->channel_name
		: cmd->channel_id;
	ev.user_id = cmd->user_id;
	ev.user_name = slack_api_user_name(s->api, cmd->user_id);
	if (ev.user_name == NULL)
		ev.user_name = cmd->user_id;
	ev.trigger = cmd->command + 1;
	ev.text = text;
	ev.is_direct = cmd->channel_id[0] == 'D' ||
		       (cmd->channel_name != NULL &&
			strcmp(cmd->channel_name, "directmessage") == 0);
	a = slack_ack_new(s, c, f, cmd);
	if (a == NULL) {
		/* Too many waiting: take it, and say so at once. */
		gate_push(s->gate, &ev, 0);
	} else {
		rc = gate_push(s->gate, &ev, a->ticket);
		if (rc == 1 && a->gen == SLACK_TICKET_WAITS) {
			a->gen = s->sink.generation != NULL
				     ? s->sink.generation(s->sink.arg)
				     : 0;
			slack_acks_check(s);
		}
		if (rc < 0)
			slack_ack_free(s, a);
		else {
			*out = a;
			taken = 1;
			slack_ack_arm(s, SLACK_ACK_CHECK_MS);
		}
	}
	free(text);
	return taken;
}

/* Envelopes. */

static void
slack_command_envelope(struct slack *s, struct slack_conn *c,
		       const struct slack_frame *f)
{
	struct slack_command cmd;
	struct slack_ack *a;
	char *cause = NULL, *ack;

	if (slack_command_from_json(f->payload, &cmd, &cause) != 0) {
		log_warn("socket mode: slash command refused: %s", cause);
		free(cause);
	} else {
		if (slack_command_take(s, c, f, &cmd, "socket mode", &a) == 1) {
			slack_command_release(&cmd);
			return;
		}
		slack_command_release(&cmd);
	}
	ack = slack_ack_build(f->envelope_id, NULL);
	slack_conn_send(s, c, ack);
	free(ack);
}

/* Mode http. */

/* GET /healthz: whether the bot is known to Slack, and the backlog. */
static void
slack_http_health(struct slack *s, struct listen_reply *reply)
{
	int up = s->bot_user_id != NULL;

	listen_reply_health(reply, up, "slack", up ? "ready" : "starting",
			    s->sink.backlog != NULL
				? (long long)s->sink.backlog(s->sink.arg)
				: 0);
}

/* Whether content_type is a form ("...urlencoded", maybe "; charset"). */
static int
slack_http_is_form(const char *content_type)
{
	size_t n = strlen(SLACK_FORM_TYPE);

	return strncasecmp(content_type, SLACK_FORM_TYPE, n) == 0 &&
	       (content_type[n] == '\0' || content_type[n] == ';' ||
		content_type[n] == ' ' || content_type[n] == '\t');
}

/*
 * Whether the form body has a field named key (raw, not decoded: Slack's
 * field names need no escapes) whose raw value is value (NULL: any).
 * Only names and short values are compared, so a payload of any size is
 * fine.
 */
static int
slack_form_has(const char *body, size_t len, const char *key, const char *value)
{
	size_t i = 0, klen = strlen(key), end, eq;

	while (i < len) {
		for (end = i; end < len && body[end] != '&'; end++)
			;
		for (eq = i; eq < end && body[eq] != '='; eq++)
			;
		if (eq - i == klen && memcmp(body + i, key, klen) == 0 &&
		    (value == NULL ||
		     (eq < end && end - eq - 1 == strlen(value) &&
		      memcmp(body + eq + 1, value, strlen(value)) == 0)))
			return 1;
		i = end + 1;
	}
	return 0;
}

/* One request to the listener (see the top of the file). */
static void
slack_http_request(void *arg, const struct listen_request *req,
		   struct listen_reply *reply)
{
	struct slack *s = arg;
	struct slack_command cmd;
	struct slack_ack *a;
	char *cause = NULL;
	int rc;

	if (strcmp(req->path, SLACK_HEALTH_PATH) == 0) {
		slack_http_health(s, reply);
		return;
	}
	if (strcmp(req->method, "POST") != 0) {
		listen_reply_text(reply, 405, "POST only");
		return;
	}
	if (!slack_http_is_form(req->content_type)) {
		log_warn("http: request refused: not a form");
		listen_reply_text(reply, 415, "form expected");
		return;
	}
	/* Slack testing the certificate: nothing to check or do. */
	if (slack_form_has(req->body, req->body_len, "ssl_check", "1")) {
		log_debug("http: ssl_check answered");
		return;
	}
	if (slack_sign_verify(s->signing_secret, req->headers[0],
			      req->headers[1], req->body, req->body_len,
			      clock_now(&s->clock), &cause) != 0) {
		/* The cause never holds the secret or a signature. */
		log_warn("http: request to %s refused (401): %s", req->path,
			 cause);
		free(cause);
		listen_reply_text(reply, 401, "invalid request signature");
		return;
	}
	if (slack_form_has(req->body, req->body_len, "payload", NULL)) {
		log_debug("http: interactive payload acknowledged");
		return;
	}
	if (s->stopped || s->closing) {
		listen_reply_text(reply, 503, "lihui is stopping");
		return;
	}
	if (slack_command_from_form(req->body, req->body_len, &cmd, &cause) !=
	    0) {
		log_warn("http: slash command refused: %s", cause);
		free(cause);
		listen_reply_text(reply, 400, "not a slash command");
		return;
	}
	rc = slack_command_take(s, NULL, NULL, &cmd, "http", &a);
	slack_command_release(&cmd);
	if (rc < 0)
		listen_reply_text(reply, 400, "not a valid slash command");
	else if (rc == 1)
		reply->defer = a->ticket; /* slack_ack_send() answers */
}

/* Whether text holds a mention of the bot (<@ID> or <@ID|name>). */
static int
slack_mentions_bot(const struct slack *s, const char *text)
{
	const char *p = text;
	size_t n = strlen(s->bot_user_id);

	while ((p = strstr(p, "<@")) != NULL) {
		p += 2;
		if (strncmp(p, s->bot_user_id, n) == 0 &&
		    (p[n] == '>' || p[n] == '|'))
			return 1;
	}
	return 0;
}

static void
slack_event_envelope(struct slack *s, const struct slack_frame *f)
{
	struct slack_event e;
	struct chat_event ev;
	char *cause = NULL, *text = NULL, post_id[SLACK_KEY_MAX + 1];
	int app_mention;

	if (slack_event_parse(f->payload, &e, &cause) != 0) {
		log_debug("socket mode: event ignored: %s", cause);
		free(cause);
		return;
	}
	if (e.event_id != NULL && !slack_recent_add(s, "ev", e.event_id))
		goto out;
	app_mention = strcmp(e.type, "app_mention") == 0;
	if ((strcmp(e.type, "message") != 0 && !app_mention) ||
	    (e.subtype != NULL && strcmp(e.subtype, "thread_broadcast") != 0 &&
	     strcmp(e.subtype, "file_share") != 0) ||
	    e.bot_id != NULL || e.user == NULL || e.channel == NULL ||
	    e.ts == NULL || e.text == NULL || s->bot_user_id == NULL ||
	    strcmp(e.user, s->bot_user_id) == 0)
		goto out;
	/* A mention comes as "message" and as "app_mention": once. */
	snprintf(post_id, sizeof post_id, "%s:%s", e.channel, e.ts);
	if (!slack_recent_add(s, "msg", post_id))
		goto out;
	text = slack_plain(s, e.text, &cause);
	if (text == NULL) {
		log_warn("socket mode: message refused: %s", cause);
		free(cause);
		goto out;
	}
	memset(&ev, 0, sizeof ev);
	ev.kind = CHAT_MESSAGE;
	ev.channel_key = e.channel;
	ev.channel_name = e.channel;
	ev.user_id = e.user;
	ev.user_name = slack_api_user_name(s->api, e.user);
	if (ev.user_name == NULL) {
		const char *name;

		/* Named by id this time; learnt for the next. */
		ev.user_name = e.user;
		if (slack_api_user_info(s->api, e.user, &name, NULL, NULL,
					&cause) < 0) {
			log_debug("cannot look user %s up: %s", e.user, cause);
			free(cause);
			cause = NULL;
		}
	}
	ev.text = text;
	ev.post_id = post_id;
	ev.is_direct =
	    (e.channel_type != NULL && strcmp(e.channel_type, "im") == 0) ||
	    (e.channel_type == NULL && e.channel[0] == 'D');
	ev.mentions_bot = app_mention || slack_mentions_bot(s, e.text);
	gate_push(s->gate, &ev, 0);
out:
	free(text);
	slack_event_release(&e);
}

/* The adapter's operations. */

/* Mode http: the listener. */
static int
slack_http_start(struct slack *s, char **cause)
{
	static const char *const paths[] = { SLACK_COMMANDS_PATH,
					     SLACK_INTERACTIVE_PATH,
					     SLACK_HEALTH_PATH, NULL };
	/* In the order slack_http_request() reads them. */
	static const char *const headers[] = { "X-Slack-Request-Timestamp",
					       "X-Slack-Signature", NULL };
	struct listen_config lc;

	memset(&lc, 0, sizeof lc);
	lc.addr = s->listen_addr;
	lc.port = s->listen_port;
	lc.max_body = SLACK_HTTP_MAX_BODY;
	lc.paths = paths;
	lc.headers = headers;
	lc.handler = slack_http_request;
	lc.arg = s;
	s->listener = listen_start(s->loop, &lc, cause);
	if (s->listener == NULL)
		return -1;
	log_info("slash commands: http://%s:%d%s, interactivity: %s",
		 s->listen_addr, listen_port(s->listener), SLACK_COMMANDS_PATH,
		 SLACK_INTERACTIVE_PATH);
	return 0;
}

static int
slack_start(struct adapter *a, char **cause)
{
	struct slack *s = slack_downcast(a);
	struct slack_api_config ac;
	struct gate_config gc;

	if (s->insecure)
		log_warn("insecure_tls is on: the certificates of %s and of "
			 "Socket Mode are not checked",
			 s->api_url);
	s->http = http_client_new(s->loop, &s->clock, cause);
	if (s->http == NULL)
		return -1;
	memset(&ac, 0, sizeof ac);
	ac.http = s->http;
	ac.url = s->api_url;
	ac.bot_token = s->bot_token;
	ac.app_token = s->app_token;
	ac.ca_file = s->ca_file;
	ac.insecure = s->insecure;
	s->api = slack_api_new(&ac);
	memset(&gc, 0, sizeof gc);
	gc.lookup = slack_gate_lookup;
	gc.sink = slack_gate_sink;
	gc.arg = s;
	s->gate = gate_new(s->loop, &gc);
	uv_timer_init(s->loop, &s->timer);
	uv_timer_init(s->loop, &s->hello_timer);
	uv_timer_init(s->loop, &s->drain_timer);
	uv_timer_init(s->loop, &s->open_timer);
	uv_timer_init(s->loop, &s->ack_timer);
	s->timer.data = s;
	s->hello_timer.data = s;
	s->drain_timer.data = s;
	s->open_timer.data = s;
	s->ack_timer.data = s;
	s->timers_open = 1;
	if (s->http_mode && slack_http_start(s, cause) != 0)
		return -1;
	slack_auth_start(s);
	return 0;
}

static void
slack_send_free(struct slack_send *x)
{
	free(x->channel);
	free(x->user);
	free(x->ts);
	free(x->text);
	free(x);
}

static void
slack_send_end(struct slack_send *x, enum send_result result,
	       const char *post_id, int retry_after, const char *error)
{
	x->done(x->done_arg, x->id, result, post_id, retry_after, error);
	slack_send_free(x);
}

static void slack_send_done(void *arg, const struct slack_api_result *r);

static const char *
slack_stage_name(enum slack_stage stage)
{
	switch (stage) {
	case SLACK_STAGE_EPHEMERAL:
		return "chat.postEphemeral";
	case SLACK_STAGE_FIND:
		return "users.list";
	case SLACK_STAGE_DM:
		return "conversations.open";
	case SLACK_STAGE_EDIT:
		return "chat.update";
	case SLACK_STAGE_REACTION:
		return "reactions.add";
	default:
		return "chat.postMessage";
	}
}

/*
 * Start the call of x's stage: 0 when slack_send_done() follows, 1 when
 * a cache answered (the stage moved on: call again), -1 with *cause.
 */
static int
slack_send_call(struct slack_send *x, char **cause)
{
	struct slack *s = x->s;
	const char *out = NULL;
	int rc;

	switch (x->stage) {
	case SLACK_STAGE_EPHEMERAL:
		return slack_api_post_ephemeral(s->api, x->channel, x->user,
						x->text, slack_send_done, x,
						cause);
	case SLACK_STAGE_FIND:
		rc = slack_api_user_find(s->api, x->user, &out, slack_send_done,
					 x, cause);
		if (rc == 1 && out == NULL)
			return set_cause(cause, "no user @%.80s in Slack",
					 x->user);
		if (rc == 1) {
			free(x->user);
			x->user = xstrdup(out);
			x->stage = SLACK_STAGE_DM;
		}
		return rc;
	case SLACK_STAGE_DM:
		rc = slack_api_open_dm(s->api, x->user, &out, slack_send_done,
				       x, cause);
		if (rc == 1) {
			free(x->channel);
			x->channel = xstrdup(out);
			x->stage = SLACK_STAGE_POST;
		}
		return rc;
	case SLACK_STAGE_EDIT:
		return slack_api_update(s->api, x->channel, x->ts, x->text,
					slack_send_done, x, cause);
	case SLACK_STAGE_REACTION:
		return slack_api_reaction_add(s->api, x->channel, x->ts,
					      x->text, slack_send_done, x,
					      cause);
	default:
		return slack_api_post_message(s->api, x->channel, x->text,
					      slack_send_done, x, cause);
	}
}

/* Run x's stages until one waits; report the end when one fails. */
static void
slack_send_run(struct slack_send *x)
{
	char *cause = NULL;
	int rc;

	while ((rc = slack_send_call(x, &cause)) == 1)
		;
	if (rc < 0) {
		/* Bad arguments do not get better: failed for good. */
		slack_send_end(x, SEND_FAILED, NULL, 0, cause);
		free(cause);
	}
}

/* Whether a refused ephemeral should go as a DM instead. */
static int
slack_ephemeral_fallback(const char *error)
{
	return strcmp(error, "not_in_channel") == 0 ||
	       strcmp(error, "channel_not_found") == 0 ||
	       strcmp(error, "user_not_in_channel") == 0 ||
	       strcmp(error, "is_archived") == 0;
}

static void
slack_send_done(void *arg, const struct slack_api_result *r)
{
	struct slack_send *x = arg;
	char *error, post_id[SLACK_KEY_MAX + 1];

	if (x->s->closing) {
		/* The outbox closes too; the row stays pending. */
		slack_send_free(x);
		return;
	}
	if (r->status == SLACK_API_RETRY) {
		error =
		    xasprintf("%s: %s", slack_stage_name(x->stage), r->error);
		slack_send_end(x, SEND_RETRY, NULL, r->retry_after, error);
		free(error);
		return;
	}
	if (r->status != SLACK_API_OK) {
		if (x->stage == SLACK_STAGE_EPHEMERAL &&
		    slack_ephemeral_fallback(r->error)) {
			log_debug("ephemeral message %lld refused (%s): it "
				  "goes as a direct message",
				  (long long)x->id, r->error);
			x->stage = SLACK_STAGE_DM;
			slack_send_run(x);
			return;
		}
		if (r->auth)
			log_error("%s: %s (is bot_token right, with the "
				  "scopes lihui needs?)",
				  slack_stage_name(x->stage), r->error);
		error =
		    xasprintf("%s: %s", slack_stage_name(x->stage), r->error);
		slack_send_end(x, SEND_FAILED, NULL, 0, error);
		free(error);
		return;
	}
	switch (x->stage) {
	case SLACK_STAGE_FIND:
		free(x->user);
		x->user = xstrdup(r->user_id);
		x->stage = SLACK_STAGE_DM;
		slack_send_run(x);
		return;
	case SLACK_STAGE_DM:
		free(x->channel);
		x->channel = xstrdup(r->channel);
		x->stage = SLACK_STAGE_POST;
		slack_send_run(x);
		return;
	case SLACK_STAGE_POST:
	case SLACK_STAGE_EDIT:
		if (r->channel != NULL && r->ts != NULL) {
			snprintf(post_id, sizeof post_id, "%s:%s", r->channel,
				 r->ts);
			slack_send_end(x, SEND_OK, post_id, 0, NULL);
			return;
		}
		slack_send_end(x, SEND_OK, NULL, 0, NULL);
		return;
	default:
		slack_send_end(x, SEND_OK, NULL, 0, NULL);
		return;
	}
}

/* Split "<channel>:<ts>" into x; -1 when it is not that. */
static int
slack_post_id_split(const char *post_id, struct slack_send *x)
{
	const char *colon = post_id != NULL ? strchr(post_id, ':') : NULL;

	if (colon == NULL)
		return -1;
	x->channel = xstrndup(post_id, (size_t)(colon - post_id));
	x->ts = xstrdup(colon + 1);
	if (!slack_id_valid(x->channel) || !slack_id_valid(x->ts))
		return -1;
	return 0;
}

/* Put an ephemeral answer into its command's waiting ack; 1 if done. */
static int
slack_ack_take(struct slack *s, const struct outbox_msg *msg)
{
	struct slack_ack *a, *best = NULL;
	char *text, *joined;
	size_t i;

	if (s->n_acks == 0 || msg->channel_key == NULL || msg->user == NULL)
		return 0;
	for (i = 0; i < SLACK_ACKS_MAX; i++) {
		a = &s->acks[i];
		if (a->ticket != 0 && strcmp(a->user, msg->user) == 0 &&
		    strcmp(a->channel, msg->channel_key) == 0 &&
		    (a->http ? s->listener != NULL
			     : slack_conn_by_serial(s, a->serial) != NULL) &&
		    (best == NULL || a->ticket < best->ticket))
			best = a;
	}
	if (best == NULL)
		return 0;
	text = slack_format_post(msg->text != NULL ? msg->text : "",
				 slack_format_lookup, s);
	if (best->text != NULL) {
		joined = xasprintf("%s\n%s", best->text, text);
		free(text);
		text = joined;
	}
	if (strlen(text) > SLACK_ACK_TEXT_MAX) {
		free(text);
		return 0;
	}
	free(best->text);
	best->text = text;
	return 1;
}

static int
slack_send(struct adapter *ad, const struct outbox_msg *msg,
	   adapter_send_done_fn done, void *done_arg, char **cause)
{
	struct slack *s = slack_downcast(ad);
	struct slack_send *x;
	const char *text = msg->text != NULL ? msg->text : "";

	if (s->http == NULL || s->closing)
		return set_cause(cause, "the slack adapter is not running");
	if (s->bot_user_id == NULL) {
		done(done_arg, msg->id, SEND_RETRY, NULL, SLACK_NOT_READY_RETRY,
		     "the bot is not known to Slack yet");
		return 0;
	}
	if (msg->kind == OUTBOX_EPHEMERAL && slack_ack_take(s, msg)) {
		done(done_arg, msg->id, SEND_OK, NULL, 0, NULL);
		return 0;
	}
	x = xcalloc(1, sizeof *x);
	x->s = s;
	x->id = msg->id;
	x->done = done;
	x->done_arg = done_arg;
	switch (msg->kind) {
	case OUTBOX_CHANNEL:
		x->stage = SLACK_STAGE_POST;
		break;
	case OUTBOX_EPHEMERAL:
		x->stage = SLACK_STAGE_EPHEMERAL;
		break;
	case OUTBOX_DIRECT:
		x->stage = SLACK_STAGE_DM;
		break;
	case OUTBOX_EDIT:
		x->stage = SLACK_STAGE_EDIT;
		break;
	case OUTBOX_REACTION:
		x->stage = SLACK_STAGE_REACTION;
		break;
	default:
		slack_send_end(x, SEND_FAILED, NULL, 0, "unknown message kind");
		return 0;
	}
	if (x->stage == SLACK_STAGE_EDIT || x->stage == SLACK_STAGE_REACTION) {
		if (slack_post_id_split(msg->post_id, x) != 0) {
			slack_send_end(x, SEND_FAILED, NULL, 0,
				       "no valid post id to edit or react to");
			return 0;
		}
	} else {
		x->channel =
		    xstrdup(msg->channel_key != NULL ? msg->channel_key : "");
		if (x->stage != SLACK_STAGE_POST) {
			if (msg->user == NULL || *msg->user == '\0') {
				slack_send_end(x, SEND_FAILED, NULL, 0,
					       "message for one user without "
					       "a user");
				return 0;
			}
			x->user = xstrdup(msg->user);
			/* lihui's own jobs name users by name. */
			if (x->stage == SLACK_STAGE_DM &&
			    !slack_user_id_like(x->user))
				x->stage = SLACK_STAGE_FIND;
		}
	}
	if (x->stage == SLACK_STAGE_REACTION)
		x->text = xstrdup(text);
	else
		x->text = slack_format_post(text, slack_format_lookup, s);
	slack_send_run(x);
	return 0;
}

static int
slack_ready(struct adapter *a)
{
	return slack_downcast(a)->bot_user_id != NULL;
}

static void
slack_durable(struct adapter *a)
{
	struct slack *s = slack_downcast(a);

	if (!s->closing)
		slack_acks_check(s);
}

/* Stop taking events; those waiting in the gate go on now. */
static void
slack_stop(struct adapter *a)
{
	struct slack *s = slack_downcast(a);

	s->stopped = 1;
	if (s->gate != NULL)
		gate_flush(s->gate);
}

static void
slack_part_closed(void *arg)
{
	struct slack *s = arg;

	if (--s->pending == 0 && s->closed_cb != NULL)
		s->closed_cb(s->closed_arg);
}

static void
slack_timer_closed(uv_handle_t *h)
{
	slack_part_closed(h->data);
}

static void
slack_close(struct adapter *a, void (*closed_cb)(void *), void *arg)
{
	struct slack *s = slack_downcast(a);
	size_t i;

	s->stopped = 1;
	s->closing = 1;
	s->closed_cb = closed_cb;
	s->closed_arg = arg;
	s->pending = 1;
	for (i = 0; i < SLACK_CONNS_MAX; i++) {
		if (s->conns[i] == NULL)
			continue;
		if (s->conns[i]->closing)
			s->pending++; /* its done is still to come */
		else
			slack_conn_drop(s->conns[i]);
	}
	s->cur = NULL;
	s->next = NULL;
	if (s->gate != NULL) {
		s->pending++;
		gate_close(s->gate, slack_part_closed, s);
	}
	if (s->timers_open) {
		s->timers_open = 0;
		s->pending += 5;
		uv_close((uv_handle_t *)&s->open_timer, slack_timer_closed);
		uv_close((uv_handle_t *)&s->timer, slack_timer_closed);
		uv_close((uv_handle_t *)&s->hello_timer, slack_timer_closed);
		uv_close((uv_handle_t *)&s->drain_timer, slack_timer_closed);
		uv_close((uv_handle_t *)&s->ack_timer, slack_timer_closed);
	}
	if (s->listener != NULL) {
		struct listener *l = s->listener;

		s->listener = NULL;
		s->pending++;
		listen_stop(l, slack_part_closed, s);
	}
	if (s->http != NULL) {
		s->pending++;
		http_client_close(s->http, slack_part_closed, s);
	}
	slack_part_closed(s);
}

static void
slack_free(struct adapter *a)
{
	struct slack *s = slack_downcast(a);
	size_t i;

	for (i = 0; i < SLACK_ACKS_MAX; i++)
		free(s->acks[i].text);
	http_client_free(s->http);
	gate_free(s->gate);
	slack_api_free(s->api);
	free(s->api_url);
	free(s->pending_url);
	free(s->bot_token);
	free(s->app_token);
	free(s->signing_secret);
	free(s->listen_addr);
	free(s->ca_file);
	free(s->config_name);
	free(s->bot_user_id);
	free(s->bot_id);
	free(s->bot_name);
	free(s);
}

const struct adapter_ops adapter_slack = {
	.name = "slack",
	.caps = ADAPTER_EPHEMERAL,
	/*
	 * Slack truncates text over 40,000 characters. The renderers'
	 * Markdown is split at this size before slack_format_post(), which
	 * at worst makes it about four times longer (a post of short
	 * @names, each becoming <@U0123456789>), so the mrkdwn stays under
	 * Slack's limit.
	 */
	.max_text = 8000,
	.create = slack_create,
	.start = slack_start,
	.send = slack_send,
	.ready = slack_ready,
	.durable = slack_durable,
	.stop = slack_stop,
	.close = slack_close,
	.free = slack_free,
};
