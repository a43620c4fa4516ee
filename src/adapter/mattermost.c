/* SPDX-License-Identifier: MIT */
/*
 * mattermost.c: the Mattermost adapter: slash commands and WebSocket
 * events in, posts out over the REST API (API v4).
 *
 * How it works.
 *
 *   start: an HTTP client on the loop (http.h), the slash-command listener
 *     (listen.h) on [mattermost] listen, path "/command", and
 *     GET /api/v4/users/me to learn the bot's user id and name. When that
 *     fails, a timer tries again with a doubling delay (1 s to 60 s); lihui
 *     keeps running meanwhile. Once the bot is known, the WebSocket session
 *     (mm-ws.c) connects and stays connected.
 *   posted event: the bot's own posts, other bots' posts and system
 *     messages are ignored. A direct message to the bot, or a post that
 *     mentions it (data.mentions holds its id, or the text says
 *     @<its name>), goes to the sink as a command message; any other
 *     channel line goes to the sink too, for the meeting recorder.
 *   @names: slash commands, posted events and resynced posts all reach
 *     the sink through the name gate (gate.c), in the order they came,
 *     with the @names of their text looked up (mm_gate_lookup: the cache,
 *     else GET /api/v4/users/username/{name}; @all, @channel and @here
 *     are no users), so the core can refuse an unknown action owner.
 *   GET /healthz: 200 with {"websocket":"connected","outbox_backlog":N}
 *     when the WebSocket is up, else 503 with "disconnected".
 *   slash command: Mattermost POSTs (or GETs) a form to /command. Its token
 *     field (or "Authorization: Token ...") is compared in constant time
 *     with every token [mattermost] command_token gives for the command's
 *     trigger (and with the ones given for any trigger): a bad or missing
 *     one gets 401. A good one becomes a CHAT_COMMAND event for the sink,
 *     and the request is
 *     answered at once with 200 and the empty JSON reply "{}", which shows
 *     nothing: lihui's replies come through the outbox as posts by the bot.
 *     That answer tells the user the command was taken, so it waits until
 *     the store's batch holding the command is durable (adapter_sink's
 *     generation and durable; ops->durable asks the listener again). A
 *     command that waits in the gate has no batch yet: its answer holds
 *     a ticket until the gate handed it on (mm_listen_durable).
 *   send: one outbox row becomes one or two REST calls:
 *	OUTBOX_CHANNEL	 POST /api/v4/posts
 *	OUTBOX_EPHEMERAL POST /api/v4/posts/ephemeral; on 403 (a bot usually
 *			 lacks that permission) the text goes as a DM instead
 *	OUTBOX_DIRECT	 POST /api/v4/channels/direct, then /api/v4/posts
 *	OUTBOX_EDIT	 PUT /api/v4/posts/{id}/patch with the new message
 *	OUTBOX_REACTION	 POST /api/v4/reactions (the bot, the post, the emoji)
 *     Each post carries pending_post_id "lihui-<bot id>-<row id>", stable
 *     across retries, so the server drops a retry of a post it already
 *     made. Answers map to the outbox's results: 2xx SEND_OK (with the post
 *     id), 429 SEND_RETRY after Retry-After, 5xx and transport errors
 *     SEND_RETRY, any other status SEND_FAILED. Until the bot's user id is
 *     known, sends are put off with SEND_RETRY.
 *   close: stop the retry timer, the listener and the HTTP client (which
 *     cancels what is in flight; those rows stay pending in the store and
 *     go out at the next start); closed_cb runs when all three let go.
 *
 * Secrets: the bot token travels only in the Authorization header and the
 * command token is only compared; neither is ever logged. json-c stays in
 * this file.
 */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <uv.h>

#include "lihui/adapter.h"
#include "lihui/clock.h"
#include "lihui/config.h"
#include "lihui/form.h"
#include "lihui/http.h"
#include "lihui/listen.h"
#include "lihui/log.h"
#include "lihui/xmalloc.h"

#include "gate.h"
#include "mm-api.h"
#include "mm-cache.h"
#include "mm-event.h"
#include "mm-rest.h"
#include "mm-ws.h"

#define MM_COMMAND_PATH	   "/command"
#define MM_HEALTH_PATH	   "/healthz"
#define MM_MAX_RESPONSE	   (1024 * 1024)
#define MM_ME_DELAY_MIN	   1000
#define MM_ME_DELAY_MAX	   60000
#define MM_NOT_READY_RETRY 5 /* seconds, while the bot id is unknown */
#define MM_ERROR_SHOWN	   200
#define MM_TOKENS_MAX	   64
#define MM_RECENT_POSTS	   256
/* Slash commands whose answer waits for the gate (see mm_command). */
#define MM_TICKETS	(2 * GATE_WAITING_MAX)
#define MM_TICKET_BIT	(UINT64_C(1) << 63)
#define MM_TICKET_WAITS UINT64_MAX

/*
 * A slash command that waits in the gate: its answer's after is
 * MM_TICKET_BIT | ticket, and the slot ticket % MM_TICKETS holds it until
 * a newer ticket takes the slot (then it answers "go").
 */
struct mm_ticket {
	uint64_t ticket; /* 0: none */
	uint64_t gen;	 /* MM_TICKET_WAITS, else the batch after it ran */
};

/* Which REST call a send is waiting for. */
enum mm_stage {
	MM_STAGE_POST,	    /* POST /api/v4/posts */
	MM_STAGE_EPHEMERAL, /* POST /api/v4/posts/ephemeral */
	MM_STAGE_DIRECT,    /* POST /api/v4/channels/direct */
	MM_STAGE_EDIT,	    /* PUT /api/v4/posts/{id}/patch */
	MM_STAGE_REACTION,  /* POST /api/v4/reactions */
};

struct mm {
	struct adapter base;
	uv_loop_t *loop;
	struct adapter_sink sink;
	struct clock clock;
	char *url;		 /* server base URL without a trailing '/' */
	char *auth;		 /* "Authorization: Bearer <token>": a secret */
	char *token;		 /* the bot's token alone: a secret */
	char *config_name;	 /* [lihui] bot_name */
	struct mm_token *tokens; /* slash-command tokens: secrets */
	size_t n_tokens;
	char *ca_file; /* NULL: the system's */
	int insecure;
	char *listen_addr;
	int listen_port;

	struct http_client *http;
	struct listener *listener;
	struct mm_ws *ws;
	uint64_t lost_sessions;
	struct mm_cache *cache;
	struct mm_api *api; /* made at start */
	struct gate *gate;  /* every event goes through it to the sink */
	struct mm_ticket tickets[MM_TICKETS];
	uint64_t ticket_next;
	size_t resyncs_pending;
	/* Post ids handled lately: a post seen live and by a resync once. */
	char recent[MM_RECENT_POSTS][MM_ID_MAX + 1];
	size_t recent_next;
	uv_timer_t me_timer;
	int me_timer_open;
	uint64_t me_delay; /* ms before the next /users/me attempt */
	char *bot_id;	   /* NULL until /users/me answered */
	char *bot_name;

	int stopped;
	int closing;
	int pending; /* handles still closing */
	void (*closed_cb)(void *);
	void *closed_arg;
};

/* A slash-command token and the trigger it is for (NULL: any). */
struct mm_token {
	char *trigger;
	char *token; /* a secret */
};

/* One outbox row on its way; owns copies of what it needs. */
struct mm_send {
	struct mm *m;
	int64_t id;
	int kind;
	enum mm_stage stage;
	char *channel_id;
	char *user_id;
	char *post_id; /* EDIT, REACTION: the post */
	char *text;
	adapter_send_done_fn done;
	void *done_arg;
};

static void mm_me_start(struct mm *m);

static struct mm *
mm_downcast(struct adapter *a)
{
	if (a->ops != &adapter_mattermost)
		BUG("not a mattermost adapter");
	return (struct mm *)a;
}

/* json-c allocation failure is out of memory: like the x* allocators. */
static struct json_object *
mm_json_check(struct json_object *o)
{
	if (o == NULL)
		fatal("out of memory");
	return o;
}

static void
mm_json_add_string(struct json_object *obj, const char *key, const char *v)
{
	json_object_object_add(obj, key,
			       mm_json_check(json_object_new_string(v)));
}

/* The JSON text of o, then o is released; caller frees. */
static char *
mm_json_take(struct json_object *o)
{
	char *s = xstrdup(json_object_to_json_string_ext(
	    o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));

	json_object_put(o);
	return s;
}

/* Parse a response body; NULL unless it is a JSON object. Caller puts. */
static struct json_object *
mm_json_parse(const char *body, size_t len)
{
	struct json_tokener *tok;
	struct json_object *o;

	if (len > MM_MAX_RESPONSE || len > (size_t)INT32_MAX)
		return NULL;
	tok = json_tokener_new_ex(MM_JSON_DEPTH);
	if (tok == NULL)
		fatal("out of memory");
	o = json_tokener_parse_ex(tok, body, (int)len);
	if (json_tokener_get_error(tok) != json_tokener_success ||
	    !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		o = NULL;
	}
	json_tokener_free(tok);
	return o;
}

/*
 * A copy of o's string member key when it is 1..max bytes of a-z, A-Z,
 * 0-9, '.', '_' and '-' (ids and user names), else NULL. Caller frees.
 */
static char *
mm_json_word(struct json_object *o, const char *key, size_t max)
{
	struct json_object *v;
	const char *s;
	size_t len;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	s = json_object_get_string(v);
	len = strlen(s);
	if (len == 0 || len > max ||
	    strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		      "0123456789._-") != len)
		return NULL;
	return xstrdup(s);
}

/*
 * Start method path on the server with body (JSON or NULL); done(arg)
 * gets the answer. -1 with *cause when it cannot start.
 */
static int
mm_request(struct mm *m, const char *method, const char *path, const char *body,
	   http_done_cb done, void *arg, char **cause)
{
	struct mm_rest r = { m->http,	 m->url,      m->auth,
			     m->ca_file, m->insecure, MM_MAX_RESPONSE };

	return mm_rest_start(&r, method, path, body, done, arg, cause);
}

/*
 * [mattermost] command_token: "token", or "trigger:token" items separated
 * by commas. Errors never show a token.
 */
static int
mm_tokens_parse(const char *spec, struct mm_token **out, size_t *n,
		char **cause)
{
	const char *p = spec, *end, *colon;
	struct mm_token *t = NULL;
	size_t count = 0, len;

	*out = NULL;
	*n = 0;
	while (*p != '\0') {
		end = strchr(p, ',');
		len = end != NULL ? (size_t)(end - p) : strlen(p);
		colon = memchr(p, ':', len);
		if (len == 0 || count == MM_TOKENS_MAX ||
		    (colon != NULL && (colon == p || colon == p + len - 1))) {
			set_cause(cause,
				  "invalid command_token: item %zu is not "
				  "token or trigger:token (at most %d items)",
				  count + 1, MM_TOKENS_MAX);
			goto bad;
		}
		t = xreallocarray(t, count + 1, sizeof *t);
		if (colon != NULL) {
			t[count].trigger = xstrndup(p, (size_t)(colon - p));
			t[count].token =
			    xstrndup(colon + 1, len - (size_t)(colon - p) - 1);
		} else {
			t[count].trigger = NULL;
			t[count].token = xstrndup(p, len);
		}
		count++;
		p += len;
		if (*p == ',' && *++p == '\0') {
			set_cause(cause,
				  "invalid command_token: ends with ','");
			goto bad;
		}
	}
	*out = t;
	*n = count;
	return 0;
bad:
	while (count-- > 0) {
		free(t[count].trigger);
		free(t[count].token);
	}
	free(t);
	return -1;
}

static void mm_free(struct adapter *a);

static struct adapter *
mm_create(const struct config *cfg, uv_loop_t *loop,
	  const struct adapter_sink *sink, char **cause)
{
	struct mm *m;
	size_t n;

	if (cfg->mm_url == NULL || cfg->mm_token == NULL ||
	    cfg->mm_command_token == NULL) {
		set_cause(cause, "adapter 'mattermost' needs url, token and "
				 "command_token in [mattermost]");
		return NULL;
	}
	m = xcalloc(1, sizeof *m);
	m->base.ops = &adapter_mattermost;
	m->loop = loop;
	m->sink = *sink;
	m->clock = clock_system();
	if (listen_address_split(
		cfg->mm_listen != NULL ? cfg->mm_listen : "127.0.0.1:8090",
		&m->listen_addr, &m->listen_port, cause) != 0) {
		free(m);
		return NULL;
	}
	n = strlen(cfg->mm_url);
	while (n > 0 && cfg->mm_url[n - 1] == '/')
		n--;
	m->url = xstrndup(cfg->mm_url, n);
	m->auth = xasprintf("Authorization: Bearer %s", cfg->mm_token);
	m->token = xstrdup(cfg->mm_token);
	m->config_name = xstrdup(cfg->bot_name);
	if (mm_tokens_parse(cfg->mm_command_token, &m->tokens, &m->n_tokens,
			    cause) != 0) {
		mm_free(&m->base);
		return NULL;
	}
	if (cfg->mm_ca_file != NULL)
		m->ca_file = xstrdup(cfg->mm_ca_file);
	m->insecure = cfg->mm_insecure_tls;
	m->me_delay = MM_ME_DELAY_MIN;
	m->cache = mm_cache_new();
	return &m->base;
}

/* Whether given equals the secret want, in time that depends on want only. */
static int
mm_token_equal(const char *given, const char *want)
{
	size_t glen = strlen(given), wlen = strlen(want), i;
	unsigned char diff = glen != wlen;

	for (i = 0; i < wlen; i++)
		diff |= (unsigned char)(want[i] ^ (i < glen ? given[i] : 0));
	return diff == 0;
}

/*
 * Whether token is one of those given for trigger (or for any trigger).
 * Every candidate is compared, so the time does not tell which matched.
 */
static int
mm_token_accepted(const struct mm *m, const char *trigger, const char *token)
{
	size_t i;
	int ok = 0;

	for (i = 0; i < m->n_tokens; i++)
		if (m->tokens[i].trigger == NULL ||
		    strcmp(m->tokens[i].trigger, trigger) == 0)
			ok |= mm_token_equal(token, m->tokens[i].token);
	return ok;
}

/* GET /healthz: whether the WebSocket is up, and the outbox backlog. */
static void
mm_health(struct mm *m, struct listen_reply *reply)
{
	int up = m->ws != NULL && mm_ws_connected(m->ws);

	listen_reply_health(
	    reply, up, "websocket", up ? "connected" : "disconnected",
	    m->sink.backlog != NULL ? (long long)m->sink.backlog(m->sink.arg)
				    : 0);
}

/* One slash-command request (see the top of the file). */
static void
mm_command(void *arg, const struct listen_request *req,
	   struct listen_reply *reply)
{
	struct mm *m = arg;
	struct chat_event ev;
	struct form f;
	const char *src, *token, *command, *user_name;
	char *cause = NULL;
	size_t len;
	uint64_t ticket;
	int rc;

	if (strcmp(req->path, MM_HEALTH_PATH) == 0) {
		mm_health(m, reply);
		return;
	}
	if (strcmp(req->method, "POST") == 0 && req->body_len > 0) {
		src = req->body;
		len = req->body_len;
	} else {
		src = req->query;
		len = strlen(req->query);
	}
	if (form_parse(src, len, &f, &cause) != 0) {
		log_warn("slash command refused: %s", cause);
		free(cause);
		listen_reply_text(reply, 400, "bad form");
		return;
	}
	token = form_get(&f, "token");
	if (token == NULL && strncmp(req->authorization, "Token ", 6) == 0)
		token = req->authorization + 6;
	command = form_get(&f, "command");
	if (token == NULL || command == NULL || command[0] != '/' ||
	    !mm_token_accepted(m, command + 1, token)) {
		log_warn("slash command %.64s with a %s token refused",
			 command != NULL ? command : "(none)",
			 token == NULL ? "missing" : "wrong");
		listen_reply_text(reply, 401, "bad token");
		goto out;
	}
	if (m->stopped || m->closing) {
		listen_reply_text(reply, 503, "lihui is stopping");
		goto out;
	}
	memset(&ev, 0, sizeof ev);
	ev.kind = CHAT_COMMAND;
	ev.channel_key = form_get(&f, "channel_id");
	ev.user_id = form_get(&f, "user_id");
	if (command == NULL || command[0] != '/' || command[1] == '\0' ||
	    ev.channel_key == NULL || *ev.channel_key == '\0' ||
	    ev.user_id == NULL || *ev.user_id == '\0') {
		log_warn("slash command without command, channel_id or "
			 "user_id refused");
		listen_reply_text(reply, 400, "missing fields");
		goto out;
	}
	ev.trigger = command + 1;
	ev.text = form_get(&f, "text");
	if (ev.text == NULL)
		ev.text = "";
	ev.channel_name = form_get(&f, "channel_name");
	if (ev.channel_name == NULL || *ev.channel_name == '\0')
		ev.channel_name = ev.channel_key;
	user_name = form_get(&f, "user_name");
	ev.user_name =
	    user_name != NULL && *user_name != '\0' ? user_name : ev.user_id;
	if (user_name != NULL)
		mm_cache_set_user(m->cache, ev.user_id, user_name);
	/* A DM channel's name is "<user id>__<user id>". */
	ev.is_direct = strstr(ev.channel_name, "__") != NULL;
	ticket = ++m->ticket_next;
	rc = gate_push(m->gate, &ev, ticket);
	if (rc < 0) {
		listen_reply_text(reply, 503, "lihui is stopping");
		goto out;
	}
	reply->status = 200;
	reply->content_type = "application/json";
	reply->body = xstrdup("{}");
	/*
	 * The answer says the command was taken: not before it is on disk.
	 * One waiting for its @names has no batch yet: its ticket tells
	 * (mm_listen_durable), and mm_gate_sink fills it in.
	 */
	if (rc == 0) {
		m->tickets[ticket % MM_TICKETS].ticket = ticket;
		m->tickets[ticket % MM_TICKETS].gen = MM_TICKET_WAITS;
		reply->after = MM_TICKET_BIT | ticket;
	} else if (m->sink.generation != NULL)
		reply->after = m->sink.generation(m->sink.arg);
out:
	form_release(&f);
}

/*
 * Whether a held answer may go: gen is the store's batch, or a ticket
 * (MM_TICKET_BIT) while the command may still wait in the gate.
 */
static int
mm_listen_durable(void *arg, uint64_t gen)
{
	struct mm *m = arg;
	const struct mm_ticket *t;

	if (gen & MM_TICKET_BIT) {
		gen &= ~MM_TICKET_BIT;
		t = &m->tickets[gen % MM_TICKETS];
		if (t->ticket != gen)
			return 1; /* a newer ticket took the slot: go */
		if (t->gen == MM_TICKET_WAITS)
			return 0;
		gen = t->gen;
		if (gen == 0)
			return 1;
	}
	return m->sink.durable == NULL || m->sink.durable(m->sink.arg, gen);
}

/*
 * The gate hands an event on: to the sink; a slash command that waited
 * (its ticket is tag) then learns its batch, and its answer may go.
 */
static void
mm_gate_sink(void *arg, const struct chat_event *ev, uint64_t tag)
{
	struct mm *m = arg;
	struct mm_ticket *t = &m->tickets[tag % MM_TICKETS];

	m->sink.event(m->sink.arg, ev);
	/* Tag 0: a post. Not the slot's ticket: it did not wait. */
	if (tag == 0 || t->ticket != tag)
		return;
	t->gen =
	    m->sink.generation != NULL ? m->sink.generation(m->sink.arg) : 0;
	if (m->listener != NULL && !m->closing)
		listen_durable(m->listener);
}

static void
mm_gate_answered(void *arg, enum mm_api_result result,
		 const struct mm_api_user *user, const char *error)
{
	struct gate_ask *ask = arg;

	switch (result) {
	case MM_API_FOUND:
		gate_answer(ask, CHAT_USER_FOUND, user->id);
		break;
	case MM_API_NOT_FOUND:
		gate_answer(ask, CHAT_USER_UNKNOWN, NULL);
		break;
	default:
		log_warn("user lookup failed: %s", error);
		gate_answer(ask, CHAT_USER_UNCHECKED, NULL);
		break;
	}
}

/*
 * The gate's lookup of @name: Mattermost usernames are lower case, so
 * the lower-cased name is looked up. @all, @channel and @here are no
 * users; the bot is known; a name Mattermost cannot give a user is
 * unknown. Otherwise the cache answers at once, or a REST lookup later.
 */
static int
mm_gate_lookup(void *arg, const char *name, struct gate_ask *ask,
	       enum chat_user_state *state, const char **user_id)
{
	struct mm *m = arg;
	struct mm_api_user user;
	char lower[MM_API_NAME_MAX + 1], *cause = NULL;
	size_t i, n = strlen(name);
	int rc;

	*state = CHAT_USER_UNKNOWN;
	if (n > MM_API_NAME_MAX)
		return 1;
	for (i = 0; i <= n; i++)
		lower[i] = (char)tolower((unsigned char)name[i]);
	if (strcmp(lower, "all") == 0 || strcmp(lower, "channel") == 0 ||
	    strcmp(lower, "here") == 0 || !mm_api_username_valid(lower))
		return 1;
	*state = CHAT_USER_FOUND;
	if (m->bot_name != NULL && strcmp(lower, m->bot_name) == 0) {
		*user_id = m->bot_id;
		return 1;
	}
	*state = CHAT_USER_UNCHECKED;
	if (m->api == NULL)
		return 1;
	rc = mm_api_user_by_name(m->api, lower, &user, mm_gate_answered, ask,
				 &cause);
	if (rc == 1) {
		*state = CHAT_USER_FOUND;
		*user_id = user.id;
	} else if (rc < 0) {
		log_warn("cannot look @%s up: %s", lower, cause);
		free(cause);
	}
	return rc != 0;
}

static void
mm_durable(struct adapter *a)
{
	struct mm *m = mm_downcast(a);

	if (m->listener != NULL && !m->closing)
		listen_durable(m->listener);
}

/* Whether text names @name as a word (not @namesake). */
static int
mm_text_mentions(const char *text, const char *name)
{
	size_t n = strlen(name);
	const char *p = text;
	unsigned char next;

	while ((p = strchr(p, '@')) != NULL) {
		p++;
		if (strncmp(p, name, n) != 0)
			continue;
		next = (unsigned char)p[n];
		if (next == '\0' ||
		    !(next == '_' || next == '-' || next == '.' ||
		      (next >= '0' && next <= '9') ||
		      ((next | 0x20) >= 'a' && (next | 0x20) <= 'z')))
			return 1;
	}
	return 0;
}

/*
 * The chat event for a posted message, or 0 when lihui ignores it (its
 * own posts, other bots', system messages). ev borrows from msg.
 */
static int
mm_post_event(const struct mm *m, const struct mm_msg *msg,
	      struct chat_event *ev)
{
	size_t i;

	if (m->bot_id == NULL || strcmp(msg->user_id, m->bot_id) == 0 ||
	    msg->from_bot || msg->post_type[0] != '\0' ||
	    msg->channel_id[0] == '\0' || msg->user_id[0] == '\0')
		return 0;
	memset(ev, 0, sizeof *ev);
	ev->kind = CHAT_MESSAGE;
	ev->channel_key = msg->channel_id;
	ev->channel_name =
	    msg->channel_name[0] != '\0' ? msg->channel_name : msg->channel_id;
	ev->user_id = msg->user_id;
	ev->user_name = msg->sender_name[0] == '@' ? msg->sender_name + 1
						   : msg->sender_name;
	if (ev->user_name[0] == '\0')
		ev->user_name = msg->user_id;
	ev->text = msg->message;
	ev->post_id = msg->post_id[0] != '\0' ? msg->post_id : NULL;
	ev->is_direct = strcmp(msg->channel_type, "D") == 0;
	for (i = 0; i < msg->n_mentions; i++)
		if (strcmp(msg->mentions[i], m->bot_id) == 0)
			ev->mentions_bot = 1;
	if (!ev->mentions_bot && m->bot_name != NULL)
		ev->mentions_bot = mm_text_mentions(msg->message, m->bot_name);
	return 1;
}

static void
mm_recent_add(struct mm *m, const char *post_id)
{
	snprintf(m->recent[m->recent_next], sizeof m->recent[0], "%s", post_id);
	m->recent_next = (m->recent_next + 1) % MM_RECENT_POSTS;
}

/* Whether post id was handled lately (only looked up during a resync). */
static int
mm_recent_has(const struct mm *m, const char *post_id)
{
	size_t i;

	for (i = 0; i < MM_RECENT_POSTS; i++)
		if (strcmp(m->recent[i], post_id) == 0)
			return 1;
	return 0;
}

/* Hand one post to the sink (or not) and remember what it tells. */
static void
mm_post_handle(struct mm *m, const struct mm_msg *msg)
{
	struct mm_channel_seen *ch;
	struct chat_event ev;

	if (msg->sender_name[0] != '\0')
		mm_cache_set_user(m->cache, msg->user_id,
				  msg->sender_name[0] == '@'
				      ? msg->sender_name + 1
				      : msg->sender_name);
	ch = mm_cache_channel(m->cache, msg->channel_id);
	if (ch != NULL) {
		if (msg->channel_type[0] != '\0')
			snprintf(ch->type, sizeof ch->type, "%s",
				 msg->channel_type);
		if (msg->create_at > ch->last_at)
			ch->last_at = msg->create_at;
	}
	if (m->stopped || m->closing || !mm_post_event(m, msg, &ev))
		return;
	gate_push(m->gate, &ev, 0);
}

static void
mm_posted(void *arg, const struct mm_msg *msg)
{
	struct mm *m = arg;

	if (m->resyncs_pending > 0 && mm_recent_has(m, msg->post_id))
		return;
	mm_recent_add(m, msg->post_id);
	mm_post_handle(m, msg);
}

/*
 * One resync: the channel and where its gap starts; once the server
 * answered, the posts to hand on (in order) while the users and the
 * channel they need are looked up.
 */
struct mm_resync {
	struct mm *m;
	char *channel_id;
	int64_t since;
	struct mm_msg *posts;
	size_t n;
	size_t waiting; /* lookups not ended, plus one while starting them */
};

static void
mm_resync_free(struct mm_resync *r)
{
	mm_msg_list_free(r->posts, r->n);
	free(r->channel_id);
	free(r);
}

/*
 * The lookups ended (or were never needed): hand the posts on, with the
 * names and channel types the cache has now. Without them a post keeps
 * its user id as the name and an unknown channel type, as before.
 */
static void
mm_resync_finish(struct mm_resync *r)
{
	struct mm *m = r->m;
	struct mm_channel_seen *ch;
	const char *name;
	size_t i;

	m->resyncs_pending--;
	if (m->closing) {
		mm_resync_free(r);
		return;
	}
	for (i = 0; i < r->n; i++) {
		/* Looked up again each time: handling may add channels. */
		ch = mm_cache_channel_find(m->cache, r->posts[i].channel_id);
		if (ch != NULL) {
			free(r->posts[i].channel_type);
			r->posts[i].channel_type = xstrdup(ch->type);
			if (ch->name != NULL) {
				free(r->posts[i].channel_name);
				r->posts[i].channel_name = xstrdup(ch->name);
			}
		}
		name = mm_cache_user(m->cache, r->posts[i].user_id);
		if (name != NULL) {
			free(r->posts[i].sender_name);
			r->posts[i].sender_name = xstrdup(name);
		}
		mm_post_handle(m, &r->posts[i]);
	}
	if (r->n > 0)
		log_info("resync of channel %s: %zu missed posts handled",
			 r->channel_id, r->n);
	mm_resync_free(r);
}

static void
mm_resync_step(struct mm_resync *r)
{
	if (--r->waiting == 0)
		mm_resync_finish(r);
}

static void
mm_resync_users_done(void *arg, size_t found, size_t not_found, size_t failed,
		     const char *error)
{
	struct mm_resync *r = arg;

	(void)found;
	if (!r->m->closing && failed > 0)
		log_warn("resync of channel %s: %zu users not looked up (%s); "
			 "their ids stand for their names",
			 r->channel_id, failed, error);
	if (!r->m->closing && not_found > 0)
		log_warn("resync of channel %s: the server does not know %zu "
			 "users; their ids stand for their names",
			 r->channel_id, not_found);
	mm_resync_step(r);
}

static void
mm_resync_channel_done(void *arg, enum mm_api_result result,
		       const struct mm_api_channel *channel, const char *error)
{
	struct mm_resync *r = arg;

	(void)channel;
	if (!r->m->closing && result != MM_API_FOUND)
		log_warn("resync of channel %s: the channel's type is not "
			 "known: %s",
			 r->channel_id,
			 result == MM_API_ERROR ? error : "not found");
	mm_resync_step(r);
}

/* The lookups for the users and the channel the cache lacks, if any. */
static void
mm_resync_lookup(struct mm_resync *r)
{
	struct mm *m = r->m;
	struct mm_channel_seen *ch;
	struct mm_api_channel info;
	const char **ids = xcalloc(r->n + 1, sizeof *ids);
	const char *uid;
	char *cause = NULL;
	size_t n_ids = 0, i, j;
	int rc;

	r->waiting = 1;
	for (i = 0; i < r->n; i++) {
		uid = r->posts[i].user_id;
		if (!mm_api_id_valid(uid) ||
		    (m->bot_id != NULL && strcmp(uid, m->bot_id) == 0) ||
		    mm_cache_user(m->cache, uid) != NULL)
			continue;
		for (j = 0; j < n_ids && strcmp(ids[j], uid) != 0; j++)
			;
		if (j == n_ids && n_ids < MM_API_BATCH_MAX)
			ids[n_ids++] = uid;
	}
	if (n_ids > 0) {
		rc = mm_api_users(m->api, ids, n_ids, mm_resync_users_done, r,
				  &cause);
		if (rc == 0)
			r->waiting++;
		else if (rc < 0) {
			log_warn("resync of channel %s: cannot look up %zu "
				 "users: %s; their ids stand for their names",
				 r->channel_id, n_ids, cause);
			free(cause);
			cause = NULL;
		}
	}
	free(ids);
	ch = mm_cache_channel_find(m->cache, r->channel_id);
	if (r->n > 0 && (ch == NULL || ch->type[0] == '\0')) {
		rc = mm_api_channel(m->api, r->channel_id, &info,
				    mm_resync_channel_done, r, &cause);
		if (rc == 0)
			r->waiting++;
		else if (rc < 0) {
			log_warn("resync of channel %s: cannot look the "
				 "channel up: %s",
				 r->channel_id, cause);
			free(cause);
		}
	}
	mm_resync_step(r);
}

static void
mm_resync_done(void *arg, const struct http_response *resp)
{
	struct mm_resync *r = arg;
	struct mm *m = r->m;
	struct mm_msg *posts = NULL;
	char *cause = NULL;
	size_t n = 0, i;

	if (m->closing)
		goto out;
	if (resp->status != 200) {
		log_warn("resync of channel %s: GET posts answered %ld%s%s",
			 r->channel_id, resp->status,
			 resp->error != NULL ? ": " : "",
			 resp->error != NULL ? resp->error : "");
		goto out;
	}
	if (mm_post_list_parse(resp->body, resp->body_len, &posts, &n,
			       &cause) != 0) {
		log_warn("resync of channel %s: %s", r->channel_id, cause);
		free(cause);
		goto out;
	}
	/*
	 * The posts to hand on, oldest first. They count as handled from
	 * now on, so that one arriving live during the lookups is not
	 * handled twice.
	 */
	r->posts = xcalloc(n + 1, sizeof *r->posts);
	for (i = 0; i < n; i++) {
		/* "since" also returns older posts edited in the gap. */
		if (posts[i].create_at <= r->since ||
		    mm_recent_has(m, posts[i].post_id)) {
			mm_msg_release(&posts[i]);
			continue;
		}
		mm_recent_add(m, posts[i].post_id);
		r->posts[r->n++] = posts[i];
	}
	free(posts); /* its strings moved to r->posts or were released */
	if (m->api == NULL) {
		mm_resync_finish(r);
		return;
	}
	mm_resync_lookup(r);
	return;
out:
	m->resyncs_pending--;
	mm_resync_free(r);
}

/*
 * The WebSocket session was replaced: events were missed. Every channel
 * lihui has seen a post in is asked for the posts since the newest one
 * handled there; those not handled yet go through as if they had come as
 * events (posts edited in the gap are skipped, and a ring of recent post
 * ids keeps a post that also arrives live from being handled twice).
 * Such posts carry only their author's id: the users the cache does not
 * know are looked up first, in one request per channel, and the channel
 * too when its type is not known; when a lookup fails the posts go
 * through all the same, with the id for a name. Channels lihui never saw
 * a post in are not known to it and stay as they are.
 */
static void
mm_lost(void *arg)
{
	struct mm *m = arg;
	struct mm_channel_seen *ch;
	struct mm_resync *r;
	struct mm_rest rest = { m->http,    m->url,	 m->auth,
				m->ca_file, m->insecure, MM_API_MAX_RESPONSE };
	char *path, *cause = NULL;
	size_t i;

	m->lost_sessions++;
	if (m->api == NULL && m->http != NULL)
		m->api = mm_api_new(&rest, m->cache);
	for (i = 0; i < mm_cache_channels(m->cache); i++) {
		ch = mm_cache_channel_at(m->cache, i);
		if (ch->last_at <= 0)
			continue;
		r = xcalloc(1, sizeof *r);
		r->m = m;
		r->channel_id = xstrdup(ch->id);
		r->since = ch->last_at;
		path = xasprintf("/api/v4/channels/%s/posts?since=%lld", ch->id,
				 (long long)ch->last_at);
		if (mm_request(m, "GET", path, NULL, mm_resync_done, r,
			       &cause) != 0) {
			log_warn("cannot resync channel %s: %s", ch->id, cause);
			free(cause);
			cause = NULL;
			free(r->channel_id);
			free(r);
		} else
			m->resyncs_pending++;
		free(path);
	}
}

static void
mm_me_timer(uv_timer_t *t)
{
	mm_me_start(t->data);
}

/* Try /users/me again later, waiting twice as long as last time. */
static void
mm_me_retry(struct mm *m)
{
	if (m->closing || !m->me_timer_open)
		return;
	log_info("asking the server who the bot is again in %llu s",
		 (unsigned long long)(m->me_delay / 1000));
	uv_timer_start(&m->me_timer, mm_me_timer, m->me_delay, 0);
	m->me_delay *= 2;
	if (m->me_delay > MM_ME_DELAY_MAX)
		m->me_delay = MM_ME_DELAY_MAX;
}

static void
mm_me_done(void *arg, const struct http_response *resp)
{
	struct mm *m = arg;
	struct json_object *o;

	if (m->closing)
		return;
	if (resp->status == 0) {
		log_warn("cannot reach %s: %s", m->url, resp->error);
		mm_me_retry(m);
		return;
	}
	if (resp->status < 200 || resp->status > 299) {
		log_warn("GET /api/v4/users/me answered %ld%s", resp->status,
			 resp->status == 401 ? " (is the token right?)" : "");
		mm_me_retry(m);
		return;
	}
	o = mm_json_parse(resp->body, resp->body_len);
	m->bot_id = mm_json_word(o, "id", MM_ID_MAX);
	m->bot_name = mm_json_word(o, "username", MM_NAME_MAX);
	json_object_put(o);
	if (m->bot_id == NULL) {
		log_warn("GET /api/v4/users/me: no user id in the answer");
		free(m->bot_name);
		m->bot_name = NULL;
		mm_me_retry(m);
		return;
	}
	log_info("connected to %s as @%s (user id %s)", m->url,
		 m->bot_name != NULL ? m->bot_name : "?", m->bot_id);
	if (m->bot_name != NULL && strcmp(m->bot_name, m->config_name) != 0)
		log_warn("the bot's user name is @%s but [lihui] bot_name is "
			 "'%s': messages must start with @%s to be taken as "
			 "commands",
			 m->bot_name, m->config_name, m->config_name);
	mm_ws_start(m->ws);
}

static void
mm_me_start(struct mm *m)
{
	char *cause = NULL;

	if (m->closing || m->bot_id != NULL)
		return;
	if (mm_request(m, "GET", "/api/v4/users/me", NULL, mm_me_done, m,
		       &cause) != 0) {
		log_warn("cannot ask who the bot is: %s", cause);
		free(cause);
		mm_me_retry(m);
	}
}

static int
mm_start(struct adapter *a, char **cause)
{
	struct mm *m = mm_downcast(a);
	static const char *const paths[] = { MM_COMMAND_PATH, MM_HEALTH_PATH,
					     NULL };
	struct listen_config lc;
	struct mm_ws_options wo;
	struct mm_ws_events we;
	struct gate_config gc;
	struct mm_rest rest;

	if (m->insecure)
		log_warn("insecure_tls is on: the certificate of %s is not "
			 "checked",
			 m->url);
	memset(&wo, 0, sizeof wo);
	memset(&gc, 0, sizeof gc);
	wo.server_url = m->url;
	wo.token = m->token;
	wo.ca_file = m->ca_file;
	wo.insecure = m->insecure;
	we.posted = mm_posted;
	we.lost = mm_lost;
	we.arg = m;
	m->ws = mm_ws_new(m->loop, &wo, &we, cause);
	if (m->ws == NULL)
		return -1;
	m->http = http_client_new(m->loop, &m->clock, cause);
	if (m->http == NULL)
		return -1;
	rest.http = m->http;
	rest.url = m->url;
	rest.auth = m->auth;
	rest.ca_file = m->ca_file;
	rest.insecure = m->insecure;
	rest.max_response = MM_API_MAX_RESPONSE;
	m->api = mm_api_new(&rest, m->cache);
	gc.lookup = mm_gate_lookup;
	gc.sink = mm_gate_sink;
	gc.arg = m;
	m->gate = gate_new(m->loop, &gc);
	uv_timer_init(m->loop, &m->me_timer);
	m->me_timer.data = m;
	m->me_timer_open = 1;
	memset(&lc, 0, sizeof lc);
	lc.addr = m->listen_addr;
	lc.port = m->listen_port;
	lc.max_body = FORM_MAX_BODY;
	lc.paths = paths;
	lc.handler = mm_command;
	lc.arg = m;
	lc.durable = mm_listen_durable;
	m->listener = listen_start(m->loop, &lc, cause);
	if (m->listener == NULL)
		return -1;
	log_info("slash commands: http://%s:%d%s", m->listen_addr,
		 listen_port(m->listener), MM_COMMAND_PATH);
	mm_me_start(m);
	return 0;
}

static void
mm_send_free(struct mm_send *s)
{
	free(s->channel_id);
	free(s->user_id);
	free(s->post_id);
	free(s->text);
	free(s);
}

/* Whether id looks like a Mattermost id: 26 of [a-z0-9]. */
static int
mm_id_ok(const char *id)
{
	size_t n;

	for (n = 0; id[n] != '\0'; n++)
		if (!((id[n] >= 'a' && id[n] <= 'z') ||
		      (id[n] >= '0' && id[n] <= '9')))
			return 0;
	return n == 26;
}

/* Whether name is an emoji name Mattermost takes: 1-64 of [a-z0-9_+-]. */
static int
mm_emoji_ok(const char *name)
{
	size_t n;

	for (n = 0; name[n] != '\0'; n++)
		if (!((name[n] >= 'a' && name[n] <= 'z') ||
		      (name[n] >= 'A' && name[n] <= 'Z') ||
		      (name[n] >= '0' && name[n] <= '9') || name[n] == '_' ||
		      name[n] == '+' || name[n] == '-'))
			return 0;
	return n >= 1 && n <= 64;
}

/* Report the end of s to the outbox and free it. */
static void
mm_send_end(struct mm_send *s, enum send_result result, const char *post_id,
	    int retry_after, const char *error)
{
	s->done(s->done_arg, s->id, result, post_id, retry_after, error);
	mm_send_free(s);
}

static void mm_send_done(void *arg, const struct http_response *resp);

/* Start the REST call of s's stage; -1 with *cause if it cannot start. */
static int
mm_send_call(struct mm_send *s, char **cause)
{
	struct mm *m = s->m;
	struct json_object *o, *post;
	const char *path;
	char *body, *pending;
	int rc;

	o = mm_json_check(json_object_new_object());
	switch (s->stage) {
	case MM_STAGE_EDIT:
		mm_json_add_string(o, "message", s->text);
		body = mm_json_take(o);
		pending = xasprintf("/api/v4/posts/%s/patch", s->post_id);
		rc =
		    mm_request(m, "PUT", pending, body, mm_send_done, s, cause);
		free(pending);
		free(body);
		return rc;
	case MM_STAGE_REACTION:
		path = "/api/v4/reactions";
		mm_json_add_string(o, "user_id", m->bot_id);
		mm_json_add_string(o, "post_id", s->post_id);
		mm_json_add_string(o, "emoji_name", s->text);
		break;
	case MM_STAGE_EPHEMERAL:
		path = "/api/v4/posts/ephemeral";
		post = mm_json_check(json_object_new_object());
		mm_json_add_string(post, "channel_id", s->channel_id);
		mm_json_add_string(post, "message", s->text);
		mm_json_add_string(o, "user_id", s->user_id);
		json_object_object_add(o, "post", post);
		break;
	case MM_STAGE_DIRECT:
		path = "/api/v4/channels/direct";
		json_object_put(o);
		o = mm_json_check(json_object_new_array());
		json_object_array_add(
		    o, mm_json_check(json_object_new_string(m->bot_id)));
		json_object_array_add(
		    o, mm_json_check(json_object_new_string(s->user_id)));
		break;
	default:
		path = "/api/v4/posts";
		pending =
		    xasprintf("lihui-%s-%lld", m->bot_id, (long long)s->id);
		mm_json_add_string(o, "channel_id", s->channel_id);
		mm_json_add_string(o, "message", s->text);
		mm_json_add_string(o, "pending_post_id", pending);
		free(pending);
		break;
	}
	body = mm_json_take(o);
	rc = mm_request(m, "POST", path, body, mm_send_done, s, cause);
	free(body);
	return rc;
}

/* Move s to stage and start that call; on failure report a retry. */
static void
mm_send_next(struct mm_send *s, enum mm_stage stage)
{
	char *cause = NULL;

	s->stage = stage;
	if (mm_send_call(s, &cause) != 0) {
		mm_send_end(s, SEND_RETRY, NULL, 0, cause);
		free(cause);
	}
}

/* The request of a stage, for messages. */
static const char *
mm_stage_path(enum mm_stage stage)
{
	switch (stage) {
	case MM_STAGE_EPHEMERAL:
		return "POST /api/v4/posts/ephemeral";
	case MM_STAGE_DIRECT:
		return "POST /api/v4/channels/direct";
	case MM_STAGE_EDIT:
		return "PUT /api/v4/posts/{id}/patch";
	case MM_STAGE_REACTION:
		return "POST /api/v4/reactions";
	default:
		return "POST /api/v4/posts";
	}
}

/* A REST call of a send finished (see the top of the file). */
static void
mm_send_done(void *arg, const struct http_response *resp)
{
	struct mm_send *s = arg;
	struct json_object *o;
	char *id, *error, *why;

	if (s->m->closing) {
		/* The outbox closes too; the row stays pending. */
		mm_send_free(s);
		return;
	}
	if (resp->status == 0) {
		mm_send_end(s, SEND_RETRY, NULL, 0, resp->error);
		return;
	}
	if (resp->status == 429 || resp->status >= 500) {
		error = xasprintf("%s answered %ld", mm_stage_path(s->stage),
				  resp->status);
		mm_send_end(s, SEND_RETRY, NULL,
			    resp->retry_after > 0 ? resp->retry_after : 0,
			    error);
		free(error);
		return;
	}
	if (resp->status == 403 && s->stage == MM_STAGE_EPHEMERAL) {
		log_debug("no permission for ephemeral posts: message %lld "
			  "goes as a direct message",
			  (long long)s->id);
		mm_send_next(s, MM_STAGE_DIRECT);
		return;
	}
	o = mm_json_parse(resp->body, resp->body_len);
	if (resp->status < 200 || resp->status > 299) {
		why = mm_json_word(o, "id", MM_ERROR_SHOWN);
		error =
		    xasprintf("%s answered %ld%s%s", mm_stage_path(s->stage),
			      resp->status, why != NULL ? ": " : "",
			      why != NULL ? why : "");
		json_object_put(o);
		mm_send_end(s, SEND_FAILED, NULL, 0, error);
		free(why);
		free(error);
		return;
	}
	id = mm_json_word(o, "id", MM_ID_MAX);
	json_object_put(o);
	if (s->stage == MM_STAGE_DIRECT) {
		if (id == NULL) {
			mm_send_end(s, SEND_RETRY, NULL, 0,
				    "no channel id in the answer to POST "
				    "/api/v4/channels/direct");
			return;
		}
		free(s->channel_id);
		s->channel_id = id;
		mm_send_next(s, MM_STAGE_POST);
		return;
	}
	mm_send_end(s, SEND_OK, id, 0, NULL);
	free(id);
}

/* The user named by a direct message was looked up (mm_send_user). */
static void
mm_send_user_found(void *arg, enum mm_api_result result,
		   const struct mm_api_user *user, const char *error)
{
	struct mm_send *s = arg;
	char *why;

	if (s->m->closing) {
		/* The outbox closes too; the row stays pending. */
		mm_send_free(s);
		return;
	}
	switch (result) {
	case MM_API_FOUND:
		free(s->user_id);
		s->user_id = xstrdup(user->id);
		mm_send_next(s, MM_STAGE_DIRECT);
		return;
	case MM_API_NOT_FOUND:
		why = xasprintf("no user @%s on the server", s->user_id);
		mm_send_end(s, SEND_FAILED, NULL, 0, why);
		free(why);
		return;
	case MM_API_ERROR:
	default:
		mm_send_end(s, SEND_RETRY, NULL, 0,
			    error != NULL ? error : "user lookup failed");
		return;
	}
}

/*
 * A direct message names its user by id or, from lihui's own jobs (a
 * roster member, a chair), by user name: look the name up first (the
 * cache usually knows it). 1 when s->user_id is an id now, 0 when the
 * lookup ends later in mm_send_user_found, -1 with *cause.
 */
static int
mm_send_user(struct mm_send *s, char **cause)
{
	struct mm_api_user user;
	char name[MM_NAME_MAX + 1];
	size_t i;
	int rc;

	if (mm_id_ok(s->user_id))
		return 1;
	/* Mattermost user names are lower case. */
	for (i = 0; i < MM_NAME_MAX && s->user_id[i] != '\0'; i++)
		name[i] = (char)tolower((unsigned char)s->user_id[i]);
	name[i] = '\0';
	if (s->user_id[i] != '\0' || !mm_api_username_valid(name))
		return set_cause(cause,
				 "'%.64s' is neither a user id nor a "
				 "user name",
				 s->user_id);
	rc = mm_api_user_by_name(s->m->api, name, &user, mm_send_user_found, s,
				 cause);
	if (rc == 1) {
		free(s->user_id);
		s->user_id = xstrdup(user.id);
	}
	return rc;
}

static int
mm_send(struct adapter *a, const struct outbox_msg *msg,
	adapter_send_done_fn done, void *done_arg, char **cause)
{
	struct mm *m = mm_downcast(a);
	struct mm_send *s;
	enum mm_stage stage;

	if (m->http == NULL || m->closing)
		return set_cause(cause,
				 "the mattermost adapter is not running");
	if (m->bot_id == NULL) {
		done(done_arg, msg->id, SEND_RETRY, NULL, MM_NOT_READY_RETRY,
		     "the bot's user id is not known yet");
		return 0;
	}
	switch (msg->kind) {
	case OUTBOX_CHANNEL:
		stage = MM_STAGE_POST;
		break;
	case OUTBOX_EPHEMERAL:
		stage = MM_STAGE_EPHEMERAL;
		break;
	case OUTBOX_DIRECT:
		stage = MM_STAGE_DIRECT;
		break;
	case OUTBOX_EDIT:
		stage = MM_STAGE_EDIT;
		break;
	case OUTBOX_REACTION:
		stage = MM_STAGE_REACTION;
		break;
	default:
		done(done_arg, msg->id, SEND_FAILED, NULL, 0,
		     "unknown message kind");
		return 0;
	}
	if (stage == MM_STAGE_EDIT || stage == MM_STAGE_REACTION) {
		/* The post id goes into a URL or names another's post. */
		if (msg->post_id == NULL || !mm_id_ok(msg->post_id)) {
			done(done_arg, msg->id, SEND_FAILED, NULL, 0,
			     "no valid post id to edit or react to");
			return 0;
		}
		if (stage == MM_STAGE_REACTION &&
		    (msg->text == NULL || !mm_emoji_ok(msg->text))) {
			done(done_arg, msg->id, SEND_FAILED, NULL, 0,
			     "not an emoji name");
			return 0;
		}
	} else if (stage != MM_STAGE_POST &&
		   (msg->user == NULL || *msg->user == '\0')) {
		done(done_arg, msg->id, SEND_FAILED, NULL, 0,
		     "message for one user without a user id");
		return 0;
	}
	s = xcalloc(1, sizeof *s);
	s->m = m;
	s->id = msg->id;
	s->kind = msg->kind;
	s->channel_id =
	    xstrdup(msg->channel_key != NULL ? msg->channel_key : "");
	if (msg->user != NULL)
		s->user_id = xstrdup(msg->user);
	if (msg->post_id != NULL)
		s->post_id = xstrdup(msg->post_id);
	s->text = xstrdup(msg->text != NULL ? msg->text : "");
	s->done = done;
	s->done_arg = done_arg;
	s->stage = stage;
	if (stage == MM_STAGE_DIRECT) {
		char *why = NULL;
		int rc = mm_send_user(s, &why);

		if (rc < 0) {
			/* Never a user: asking again will not help. */
			mm_send_end(s, SEND_FAILED, NULL, 0, why);
			free(why);
			return 0;
		}
		if (rc == 0)
			return 0;
	}
	if (mm_send_call(s, cause) != 0) {
		mm_send_free(s);
		return -1;
	}
	return 0;
}

static int
mm_ready(struct adapter *a)
{
	return mm_downcast(a)->bot_id != NULL;
}

/* Stop taking events; those waiting in the gate go on now. */
static void
mm_stop(struct adapter *a)
{
	struct mm *m = mm_downcast(a);

	m->stopped = 1;
	if (m->gate != NULL)
		gate_flush(m->gate);
}

static void
mm_part_closed(void *arg)
{
	struct mm *m = arg;

	if (--m->pending == 0 && m->closed_cb != NULL)
		m->closed_cb(m->closed_arg);
}

static void
mm_timer_closed(uv_handle_t *h)
{
	struct mm *m = h->data;

	m->me_timer_open = 0;
	mm_part_closed(m);
}

static void
mm_close(struct adapter *a, void (*closed_cb)(void *), void *arg)
{
	struct mm *m = mm_downcast(a);
	struct listener *l = m->listener;

	m->stopped = 1;
	m->closing = 1;
	m->closed_cb = closed_cb;
	m->closed_arg = arg;
	/* One extra count so that nothing completes before all started. */
	m->pending = 1;
	if (m->gate != NULL) {
		m->pending++;
		gate_close(m->gate, mm_part_closed, m);
	}
	if (m->me_timer_open) {
		m->pending++;
		uv_close((uv_handle_t *)&m->me_timer, mm_timer_closed);
	}
	if (l != NULL) {
		m->listener = NULL;
		m->pending++;
		listen_stop(l, mm_part_closed, m);
	}
	if (m->http != NULL) {
		m->pending++;
		http_client_close(m->http, mm_part_closed, m);
	}
	if (m->ws != NULL) {
		m->pending++;
		mm_ws_close(m->ws, mm_part_closed, m);
	}
	mm_part_closed(m);
}

static void
mm_free(struct adapter *a)
{
	struct mm *m = mm_downcast(a);
	size_t n;

	http_client_free(m->http);
	mm_ws_free(m->ws);
	gate_free(m->gate);
	mm_api_free(m->api);
	mm_cache_free(m->cache);
	free(m->url);
	free(m->auth);
	free(m->token);
	free(m->config_name);
	for (n = 0; n < m->n_tokens; n++) {
		free(m->tokens[n].trigger);
		free(m->tokens[n].token);
	}
	free(m->tokens);
	free(m->ca_file);
	free(m->listen_addr);
	free(m->bot_id);
	free(m->bot_name);
	free(m);
}

const struct adapter_ops adapter_mattermost = {
	.name = "mattermost",
	.caps = ADAPTER_EPHEMERAL,
	/* Mattermost's default post limit (16383 characters; counting
	 * bytes keeps every split under it). */
	.max_text = 16383,
	.create = mm_create,
	.start = mm_start,
	.send = mm_send,
	.ready = mm_ready,
	.durable = mm_durable,
	.stop = mm_stop,
	.close = mm_close,
	.free = mm_free,
};
