/* SPDX-License-Identifier: MIT */
/*
 * fake-slack.c: the fake Slack for tests; see fake-slack.h for what it
 * answers.
 *
 * How it works. The listener, the connections, HTTP parsing and the
 * WebSocket protocol are fake-server.c's, as for fake-mm.c. Each complete
 * request is recorded and then, in this order: matched against the
 * scripts (fail, rate limit, hang, slow), taken as a WebSocket upgrade if
 * its path is /link/, or given to the Web API table (unknown_method, the
 * arguments read, the token check, then the method's handler, which
 * fills in the "ok":true answer or names the error). A hung request stops
 * the connection's parsing for good; a slow one's answer waits in the
 * connection (fake_server_send_later()), and so does parsing.
 *
 * After a 101 the connection is in WebSocket mode with a struct fake_link
 * as its data, its text messages come to fake_ws_message() and its timer
 * sends a delayed hello or closes the connection some time after a
 * disconnect message. Envelopes live in one array in the order they were
 * pushed; one that found no connection with hello waits (conn 0) and goes
 * out with the next hello.
 *
 * The server (struct fake_slack) is freed when fake-server.c has closed
 * its listener and every connection. When adding a Web API method, add
 * it to fake_methods[].
 */

#include <ctype.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "fake-server.h"
#include "fake-slack.h"
#include "lihui/buf.h"
#include "lihui/utf8.h"
#include "lihui/xmalloc.h"

#define FAKE_SL_MAX_REQUEST (8 * 1024 * 1024)
#define FAKE_SL_MAX_ARGS    64
#define FAKE_SL_TS_BASE	    1700000000LL
#define FAKE_SL_CURSOR	    "dXNlcjpmYWtl_"

enum fake_script_kind {
	FAKE_SCRIPT_FAIL,
	FAKE_SCRIPT_RATELIMIT,
	FAKE_SCRIPT_HANG,
	FAKE_SCRIPT_SLOW,
};

struct fake_script {
	enum fake_script_kind kind;
	char *method; /* NULL: any */
	int count;    /* answers left; FAKE_SLACK_ALWAYS for no end */
	char *error;
	int retry_after;
	uint64_t delay_ms;
};

struct fake_user {
	char *id;
	char *name;
	char *bot_id; /* NULL for a person */
	char *tz;
};

struct fake_channel {
	char *id;
	char *name;
};

/* What a WebSocket connection's timer does when it fires. */
enum fake_ws_due {
	FAKE_DUE_NONE,
	FAKE_DUE_HELLO,
	FAKE_DUE_CLOSE,
};

/* A WebSocket connection's Socket Mode state (its conn's data). */
struct fake_link {
	uint64_t ws;	/* 1 for the first upgrade, and so on */
	uint64_t ready; /* hello order (0: no hello yet) */
	int leaving;	/* got a disconnect message */
	enum fake_ws_due due;
};

struct fake_slack {
	uv_loop_t *loop;
	struct fake_server *server;
	char *bot_token;
	char *app_token;
	uint64_t ready_serial;
	uint64_t ts_count;
	uint64_t ids;
	size_t users_page;

	struct fake_user *users;
	size_t nusers;
	struct fake_channel *channels;
	size_t nchannels;
	char **opened; /* users whose DM conversations.open opened */
	size_t nopened;
	unsigned char *tickets; /* 1 once used, by ticket - 1 */
	size_t ntickets;

	struct fake_script *scripts;
	size_t nscripts;
	struct fake_slack_request *requests;
	size_t nrequests;
	struct fake_slack_message *messages;
	size_t nmessages;
	/* The messages of pushed events ("channel ts" each), which
	 * reactions.add may name too. */
	char **user_messages;
	size_t nuser_messages;
	struct fake_slack_ephemeral *ephemerals;
	size_t nephemerals;
	struct fake_slack_reaction *reactions;
	size_t nreactions;
	struct fake_slack_envelope *envelopes;
	size_t nenvelopes;
	int stray_acks;

	int connection_time;
	uint64_t hello_delay;
	int ws_connections;
	int ws_refused;
	char **received;
	size_t nreceived;
};

/*
 * A Web API method: fills out (after "ok":true) and returns NULL, or
 * returns the error code. json_args says whether it reads a JSON body.
 */
struct fake_method {
	const char *name;
	int json_args;
	const char *(*fn)(struct fake_slack *, struct fake_slack_request *,
			  struct json_object *);
};

static void fake_on_request(struct fake_server_conn *,
			    struct fake_server_request *);
static void fake_ws_message(struct fake_server_conn *, const char *, size_t);
static void fake_ws_timer(struct fake_server_conn *);
static void fake_conn_detach(struct fake_server_conn *);
static void fake_conn_release(struct fake_server_conn *);
static void fake_free(void *);
static void fake_handle(struct fake_server_conn *, size_t);
static void fake_ws_upgrade(struct fake_server_conn *, size_t);
static void fake_ws_hello(struct fake_server_conn *);

static const struct fake_server_ops fake_ops = {
	.request = fake_on_request,
	.ws_message = fake_ws_message,
	.ws_timer = fake_ws_timer,
	.detach = fake_conn_detach,
	.release = fake_conn_release,
	.freed = fake_free,
};

/* The Socket Mode state of WebSocket connection c. */
static struct fake_link *
fake_link_of(const struct fake_server_conn *c)
{
	return c->data;
}

static const char *fake_auth_test(struct fake_slack *,
				  struct fake_slack_request *,
				  struct json_object *);
static const char *fake_connections_open(struct fake_slack *,
					 struct fake_slack_request *,
					 struct json_object *);
static const char *fake_post_message(struct fake_slack *,
				     struct fake_slack_request *,
				     struct json_object *);
static const char *fake_post_ephemeral(struct fake_slack *,
				       struct fake_slack_request *,
				       struct json_object *);
static const char *fake_update(struct fake_slack *, struct fake_slack_request *,
			       struct json_object *);
static const char *fake_conversations_open(struct fake_slack *,
					   struct fake_slack_request *,
					   struct json_object *);
static const char *fake_users_info(struct fake_slack *,
				   struct fake_slack_request *,
				   struct json_object *);
static const char *fake_users_list(struct fake_slack *,
				   struct fake_slack_request *,
				   struct json_object *);
static const char *fake_reactions_add(struct fake_slack *,
				      struct fake_slack_request *,
				      struct json_object *);

static const struct fake_method fake_methods[] = {
	{ "auth.test", 0, fake_auth_test },
	{ "apps.connections.open", 0, fake_connections_open },
	{ "chat.postMessage", 1, fake_post_message },
	{ "chat.postEphemeral", 1, fake_post_ephemeral },
	{ "chat.update", 1, fake_update },
	{ "conversations.open", 1, fake_conversations_open },
	{ "users.info", 0, fake_users_info },
	{ "users.list", 0, fake_users_list },
	{ "reactions.add", 1, fake_reactions_add },
};

/* Lifecycle and set-up. */

struct fake_slack *
fake_slack_new(uv_loop_t *loop, const char *bot_token, const char *app_token,
	       char **cause)
{
	struct fake_slack *f;

	f = xcalloc(1, sizeof *f);
	f->loop = loop;
	f->bot_token = xstrdup(bot_token);
	f->app_token = xstrdup(app_token);
	f->connection_time = 3600;
	f->server = fake_server_new(loop, &fake_ops, f, FAKE_SL_MAX_REQUEST,
				    FAKE_SLACK_WS_MAX_MESSAGE, cause);
	if (f->server == NULL) {
		fake_free(f);
		return NULL;
	}

	fake_slack_add_user(f, FAKE_SLACK_BOT_USER_ID, FAKE_SLACK_BOT_NAME,
			    FAKE_SLACK_BOT_ID, NULL);
	fake_slack_add_user(f, FAKE_SLACK_ALICE_ID, "alice", NULL, NULL);
	fake_slack_add_user(f, FAKE_SLACK_BOB_ID, "bob", NULL, NULL);
	fake_slack_add_user(f, FAKE_SLACK_CAROL_ID, "carol", NULL, NULL);
	fake_slack_add_channel(f, FAKE_SLACK_CHANNEL_ID,
			       FAKE_SLACK_CHANNEL_NAME);
	return f;
}

void
fake_slack_close(struct fake_slack *f)
{
	fake_server_close(f->server);
}

int
fake_slack_port(const struct fake_slack *f)
{
	return fake_server_port(f->server);
}

char *
fake_slack_url(const struct fake_slack *f, const char *path)
{
	return xasprintf("http://127.0.0.1:%d%s", fake_server_port(f->server),
			 path);
}

char *
fake_slack_api_url(const struct fake_slack *f)
{
	return fake_slack_url(f, "/api");
}

void
fake_slack_add_user(struct fake_slack *f, const char *id, const char *name,
		    const char *bot_id, const char *tz)
{
	struct fake_user *u = NULL;
	size_t i;

	for (i = 0; i < f->nusers; i++) {
		if (strcmp(f->users[i].id, id) == 0) {
			u = &f->users[i];
			free(u->name);
			free(u->bot_id);
			free(u->tz);
			break;
		}
	}
	if (u == NULL) {
		f->users =
		    xreallocarray(f->users, f->nusers + 1, sizeof *f->users);
		u = &f->users[f->nusers++];
		u->id = xstrdup(id);
	}
	u->name = xstrdup(name);
	u->bot_id = bot_id != NULL ? xstrdup(bot_id) : NULL;
	u->tz = xstrdup(tz != NULL ? tz : "Europe/Berlin");
}

void
fake_slack_add_channel(struct fake_slack *f, const char *id, const char *name)
{
	struct fake_channel *c;

	f->channels =
	    xreallocarray(f->channels, f->nchannels + 1, sizeof *f->channels);
	c = &f->channels[f->nchannels++];
	c->id = xstrdup(id);
	c->name = xstrdup(name);
}

void
fake_slack_dm_id(const char *user_id, char out[32])
{
	snprintf(out, 32, "D%s", user_id[0] != '\0' ? user_id + 1 : "");
}

void
fake_slack_users_page(struct fake_slack *f, size_t n)
{
	f->users_page = n;
}

/* Scripting. */

static struct fake_script *
fake_script_add(struct fake_slack *f, enum fake_script_kind kind,
		const char *method, int count)
{
	struct fake_script *s;

	f->scripts =
	    xreallocarray(f->scripts, f->nscripts + 1, sizeof *f->scripts);
	s = &f->scripts[f->nscripts++];
	memset(s, 0, sizeof *s);
	s->kind = kind;
	s->method = method != NULL ? xstrdup(method) : NULL;
	s->count = count;
	s->retry_after = -1;
	return s;
}

void
fake_slack_fail(struct fake_slack *f, const char *method, int count,
		const char *error)
{
	fake_script_add(f, FAKE_SCRIPT_FAIL, method, count)->error =
	    xstrdup(error);
}

void
fake_slack_ratelimit(struct fake_slack *f, const char *method, int count,
		     int retry_after)
{
	fake_script_add(f, FAKE_SCRIPT_RATELIMIT, method, count)->retry_after =
	    retry_after;
}

void
fake_slack_hang(struct fake_slack *f, const char *method, int count)
{
	fake_script_add(f, FAKE_SCRIPT_HANG, method, count);
}

void
fake_slack_slow(struct fake_slack *f, const char *method, int count,
		uint64_t delay_ms)
{
	fake_script_add(f, FAKE_SCRIPT_SLOW, method, count)->delay_ms =
	    delay_ms;
}

void
fake_slack_unscript(struct fake_slack *f)
{
	size_t i;

	for (i = 0; i < f->nscripts; i++) {
		free(f->scripts[i].method);
		free(f->scripts[i].error);
	}
	free(f->scripts);
	f->scripts = NULL;
	f->nscripts = 0;
}

static int
fake_request_matches(const struct fake_slack_request *r, const char *method)
{
	if (*r->api == '\0')
		return 0;
	return method == NULL || strcmp(method, r->api) == 0;
}

/* The oldest script with answers left that matches r, counted, or NULL. */
static const struct fake_script *
fake_script_take(struct fake_slack *f, const struct fake_slack_request *r)
{
	struct fake_script *s;
	size_t i;

	for (i = 0; i < f->nscripts; i++) {
		s = &f->scripts[i];
		if (s->count == 0 || !fake_request_matches(r, s->method))
			continue;
		/* "any method" scripts leave the WebSocket upgrade alone. */
		if (s->method == NULL && strcmp(r->api, FAKE_SLACK_LINK) == 0)
			continue;
		if (s->count > 0)
			s->count--;
		return s;
	}
	return NULL;
}

/* Accessors. */

size_t
fake_slack_request_count(const struct fake_slack *f)
{
	return f->nrequests;
}

const struct fake_slack_request *
fake_slack_request_at(const struct fake_slack *f, size_t i)
{
	return i < f->nrequests ? &f->requests[i] : NULL;
}

size_t
fake_slack_count(const struct fake_slack *f, const char *method)
{
	size_t i, n = 0;

	for (i = 0; i < f->nrequests; i++) {
		if (fake_request_matches(&f->requests[i], method))
			n++;
	}
	return n;
}

const struct fake_slack_request *
fake_slack_last(const struct fake_slack *f, const char *method)
{
	size_t i;

	for (i = f->nrequests; i > 0; i--) {
		if (fake_request_matches(&f->requests[i - 1], method))
			return &f->requests[i - 1];
	}
	return NULL;
}

const char *
fake_slack_header(const struct fake_slack_request *r, const char *name)
{
	return fake_server_header(r->headers, r->nheaders, name);
}

const char *
fake_slack_arg(const struct fake_slack_request *r, const char *name)
{
	size_t i;

	/* The body's arguments come after the query's and win. */
	for (i = r->nargs; i > 0; i--) {
		if (strcmp(r->args[i - 1].name, name) == 0)
			return r->args[i - 1].value;
	}
	return NULL;
}

size_t
fake_slack_message_count(const struct fake_slack *f)
{
	return f->nmessages;
}

const struct fake_slack_message *
fake_slack_message_at(const struct fake_slack *f, size_t i)
{
	return i < f->nmessages ? &f->messages[i] : NULL;
}

const struct fake_slack_message *
fake_slack_message_find(const struct fake_slack *f, const char *channel,
			const char *ts)
{
	size_t i;

	for (i = 0; i < f->nmessages; i++) {
		if (strcmp(f->messages[i].channel, channel) == 0 &&
		    strcmp(f->messages[i].ts, ts) == 0)
			return &f->messages[i];
	}
	return NULL;
}

size_t
fake_slack_ephemeral_count(const struct fake_slack *f)
{
	return f->nephemerals;
}

const struct fake_slack_ephemeral *
fake_slack_ephemeral_at(const struct fake_slack *f, size_t i)
{
	return i < f->nephemerals ? &f->ephemerals[i] : NULL;
}

size_t
fake_slack_reaction_count(const struct fake_slack *f)
{
	return f->nreactions;
}

const struct fake_slack_reaction *
fake_slack_reaction_at(const struct fake_slack *f, size_t i)
{
	return i < f->nreactions ? &f->reactions[i] : NULL;
}

int
fake_slack_tickets(const struct fake_slack *f)
{
	return (int)f->ntickets;
}

size_t
fake_slack_envelope_count(const struct fake_slack *f)
{
	return f->nenvelopes;
}

const struct fake_slack_envelope *
fake_slack_envelope_at(const struct fake_slack *f, size_t i)
{
	return i < f->nenvelopes ? &f->envelopes[i] : NULL;
}

const struct fake_slack_envelope *
fake_slack_envelope_find(const struct fake_slack *f, const char *envelope_id)
{
	size_t i;

	for (i = f->nenvelopes; i > 0; i--) {
		if (strcmp(f->envelopes[i - 1].envelope_id, envelope_id) == 0)
			return &f->envelopes[i - 1];
	}
	return NULL;
}

size_t
fake_slack_unacked(const struct fake_slack *f)
{
	size_t i, n = 0;

	for (i = 0; i < f->nenvelopes; i++) {
		if (f->envelopes[i].conn != 0 && f->envelopes[i].acks == 0)
			n++;
	}
	return n;
}

int
fake_slack_stray_acks(const struct fake_slack *f)
{
	return f->stray_acks;
}

int
fake_slack_ws_connections(const struct fake_slack *f)
{
	return f->ws_connections;
}

int
fake_slack_ws_refused(const struct fake_slack *f)
{
	return f->ws_refused;
}

int
fake_slack_ws_pongs(const struct fake_slack *f)
{
	return fake_server_ws_pongs(f->server);
}

size_t
fake_slack_ws_received_count(const struct fake_slack *f)
{
	return f->nreceived;
}

const char *
fake_slack_ws_received_at(const struct fake_slack *f, size_t i)
{
	return i < f->nreceived ? f->received[i] : NULL;
}

/* Whether c is an open WebSocket connection (that got hello if ready). */
static int
fake_ws_live(const struct fake_server_conn *c, int ready)
{
	if (c->mode != FAKE_SERVER_WS || c->closing || c->close_sent ||
	    c->draining)
		return 0;
	return !ready || fake_link_of(c)->ready != 0;
}

static int
fake_ws_count(const struct fake_slack *f, int ready)
{
	struct fake_server_conn *c;
	int n = 0;

	for (c = fake_server_conns(f->server); c != NULL; c = c->next) {
		if (fake_ws_live(c, ready))
			n++;
	}
	return n;
}

int
fake_slack_ws_open(const struct fake_slack *f)
{
	return fake_ws_count(f, 0);
}

int
fake_slack_ws_ready(const struct fake_slack *f)
{
	return fake_ws_count(f, 1);
}

/*
 * The connection that gets the next envelope: the newest that got hello,
 * preferring those not told to disconnect; NULL if none.
 */
static struct fake_server_conn *
fake_ws_target(const struct fake_slack *f)
{
	struct fake_server_conn *c, *best = NULL;

	for (c = fake_server_conns(f->server); c != NULL; c = c->next) {
		if (!fake_ws_live(c, 1))
			continue;
		if (best == NULL ||
		    (fake_link_of(best)->leaving &&
		     !fake_link_of(c)->leaving) ||
		    (fake_link_of(best)->leaving == fake_link_of(c)->leaving &&
		     fake_link_of(c)->ready > fake_link_of(best)->ready))
			best = c;
	}
	return best;
}

void
fake_slack_ws_connection_time(struct fake_slack *f, int seconds)
{
	f->connection_time = seconds;
}

void
fake_slack_ws_hello_delay(struct fake_slack *f, uint64_t ms)
{
	f->hello_delay = ms;
}

/* Waiting. */

/* fake_slack_wait()'s condition in the shape fake_server_wait() calls. */
struct fake_wait {
	struct fake_slack *f;
	int (*done)(struct fake_slack *, void *);
	void *arg;
};

static int
fake_wait_done(void *arg)
{
	struct fake_wait *w = arg;

	return w->done(w->f, w->arg);
}

int
fake_slack_wait(struct fake_slack *f, int (*done)(struct fake_slack *, void *),
		void *arg, uint64_t timeout_ms)
{
	struct fake_wait w = { f, done, arg };

	return fake_server_wait(f->loop, fake_wait_done, &w, timeout_ms);
}

/* Connections. */

/* Nothing more goes to c: forget what its timer was to do. */
static void
fake_conn_detach(struct fake_server_conn *c)
{
	if (c->data != NULL)
		fake_link_of(c)->due = FAKE_DUE_NONE;
}

static void
fake_conn_release(struct fake_server_conn *c)
{
	free(c->data);
}

/*
 * The hello or the close after a disconnect message is due on WebSocket
 * c.
 */
static void
fake_ws_timer(struct fake_server_conn *c)
{
	enum fake_ws_due due = fake_link_of(c)->due;

	fake_link_of(c)->due = FAKE_DUE_NONE;
	if (due == FAKE_DUE_HELLO)
		fake_ws_hello(c);
	else if (due == FAKE_DUE_CLOSE)
		fake_server_ws_close(c, 1000);
}

/* HTTP. */

static void
fake_request_release(struct fake_slack_request *r)
{
	size_t i;

	fake_server_headers_free(r->headers, r->nheaders);
	for (i = 0; i < r->nargs; i++) {
		free(r->args[i].name);
		free(r->args[i].value);
	}
	free(r->args);
	free(r->method);
	free(r->target);
	free(r->path);
	free(r->api);
	free(r->body);
	free(r->error);
	free(r->answer);
}

/* The method name of path: "/api/<m>" gives m, "/link[/]" FAKE_SLACK_LINK. */
static char *
fake_api_name(const char *path)
{
	if (strncmp(path, "/api/", 5) == 0 && path[5] != '\0' &&
	    strchr(path + 5, '/') == NULL)
		return xstrdup(path + 5);
	if (strcmp(path, "/link") == 0 || strcmp(path, "/link/") == 0)
		return xstrdup(FAKE_SLACK_LINK);
	return xstrdup("");
}

/* A complete request on c: record it and answer it. */
static void
fake_on_request(struct fake_server_conn *c, struct fake_server_request *in)
{
	struct fake_slack *f = c->owner;
	struct fake_slack_request *r;

	f->requests =
	    xreallocarray(f->requests, f->nrequests + 1, sizeof *f->requests);
	r = &f->requests[f->nrequests++];
	memset(r, 0, sizeof *r);
	r->method = in->method;
	r->target = in->target;
	r->path = in->path;
	r->api = fake_api_name(r->path);
	r->headers = in->headers;
	r->nheaders = in->nheaders;
	r->body = in->body;
	r->body_len = in->body_len;
	uv_update_time(f->loop);
	r->at_ms = uv_now(f->loop);
	fake_handle(c, f->nrequests - 1);
}

static char *
fake_json_take(struct json_object *o)
{
	char *s = xstrdup(json_object_to_json_string_ext(
	    o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));

	json_object_put(o);
	return s;
}

static void
fake_json_add(struct json_object *o, const char *key, const char *value)
{
	json_object_object_add(o, key, json_object_new_string(value));
}

/* {"ok":false,"error":error}; caller frees. */
static char *
fake_error_body(const char *error)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "ok", json_object_new_boolean(0));
	fake_json_add(o, "error", error);
	return fake_json_take(o);
}

/* Answer request r on c with status, headers and body (taken over). */
static void
fake_answer(struct fake_server_conn *c, struct fake_slack_request *r,
	    int status, const char *headers, char *body, const char *error,
	    int close_after)
{
	size_t len;
	char *out =
	    fake_server_response(status, headers, body, strlen(body), &len);

	r->status = status;
	r->answer = body;
	r->error = error != NULL ? xstrdup(error) : NULL;
	fake_server_send(c, out, len, close_after);
}

static int fake_api(struct fake_slack *, struct fake_slack_request *, char **,
		    char **);

/* Answer request ri of c: script, WebSocket upgrade or Web API. */
static void
fake_handle(struct fake_server_conn *c, size_t ri)
{
	struct fake_slack *f = c->owner;
	struct fake_slack_request *r = &f->requests[ri];
	const struct fake_script *s;
	char *body, *out, *headers, *error = NULL;
	size_t len;
	int status;

	s = fake_script_take(f, r);
	if (s != NULL && s->kind == FAKE_SCRIPT_HANG) {
		fake_server_hang(c);
		return;
	}
	if (s != NULL && strcmp(r->api, FAKE_SLACK_LINK) == 0 &&
	    (s->kind == FAKE_SCRIPT_FAIL || s->kind == FAKE_SCRIPT_RATELIMIT)) {
		f->ws_refused++;
		fake_answer(c, r, 503,
			    "Content-Type: text/plain\r\nConnection: close\r\n",
			    xstrdup("service unavailable"), NULL, 1);
		fake_server_hang(c);
		return;
	}
	if (s != NULL && s->kind == FAKE_SCRIPT_FAIL) {
		fake_answer(c, r, 200, "Content-Type: application/json\r\n",
			    fake_error_body(s->error), s->error, 0);
		return;
	}
	if (s != NULL && s->kind == FAKE_SCRIPT_RATELIMIT) {
		headers = s->retry_after >= 0
			      ? xasprintf("Content-Type: application/json\r\n"
					  "Retry-After: %d\r\n",
					  s->retry_after)
			      : xstrdup("Content-Type: application/json\r\n");
		fake_answer(c, r, 429, headers, fake_error_body("ratelimited"),
			    "ratelimited", 0);
		free(headers);
		return;
	}
	if (strcmp(r->api, FAKE_SLACK_LINK) == 0 &&
	    strcmp(r->method, "GET") == 0) {
		fake_ws_upgrade(c, ri);
		return;
	}
	if (*r->api == '\0' || strcmp(r->api, FAKE_SLACK_LINK) == 0) {
		fake_answer(c, r, 404, "Content-Type: text/plain\r\n",
			    xstrdup("not found"), NULL, 0);
		return;
	}
	status = fake_api(f, r, &body, &error);
	r->status = status;
	r->answer = xstrdup(body);
	r->error = error;
	out = fake_server_response(status, "Content-Type: application/json\r\n",
				   body, strlen(body), &len);
	free(body);
	if (s != NULL && s->kind == FAKE_SCRIPT_SLOW) {
		fake_server_send_later(c, out, len, s->delay_ms);
		return;
	}
	fake_server_send(c, out, len, 0);
}

/* Web API: arguments. */

static int
fake_hex(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* len bytes of p form-decoded ('+' is a blank); caller frees. */
static char *
fake_form_decode(const char *p, size_t len)
{
	char *out = xmalloc(len + 1);
	size_t i, o = 0;
	int hi, lo;

	for (i = 0; i < len; i++) {
		if (p[i] == '+')
			out[o++] = ' ';
		else if (p[i] == '%' && i + 2 < len &&
			 (hi = fake_hex((unsigned char)p[i + 1])) >= 0 &&
			 (lo = fake_hex((unsigned char)p[i + 2])) >= 0) {
			out[o++] = (char)(hi << 4 | lo);
			i += 2;
		} else
			out[o++] = p[i];
	}
	out[o] = '\0';
	return out;
}

static void
fake_arg_add(struct fake_slack_request *r, char *name, char *value)
{
	if (r->nargs == FAKE_SL_MAX_ARGS) {
		free(name);
		free(value);
		return;
	}
	r->args = xreallocarray(r->args, r->nargs + 1, sizeof *r->args);
	r->args[r->nargs].name = name;
	r->args[r->nargs].value = value;
	r->nargs++;
}

/* Add the name=value pairs of len bytes of form text to r's arguments. */
static void
fake_args_form(struct fake_slack_request *r, const char *p, size_t len)
{
	const char *end = p + len, *amp, *eq;

	while (p < end) {
		amp = memchr(p, '&', (size_t)(end - p));
		if (amp == NULL)
			amp = end;
		eq = memchr(p, '=', (size_t)(amp - p));
		if (eq != NULL && eq > p)
			fake_arg_add(
			    r, fake_form_decode(p, (size_t)(eq - p)),
			    fake_form_decode(eq + 1, (size_t)(amp - eq - 1)));
		p = amp + 1;
	}
}

/*
 * Read r's arguments: the query, then the body as JSON (if json_args and
 * its Content-Type says so) or as a form. Returns the error code of a
 * JSON body that is not an object, or NULL.
 */
static const char *
fake_args(struct fake_slack_request *r, int json_args)
{
	const char *q = strchr(r->target, '?'), *ct;
	struct json_tokener *tok;
	struct json_object *o;
	int is_json;

	if (q != NULL)
		fake_args_form(r, q + 1, strlen(q + 1));
	ct = fake_slack_header(r, "Content-Type");
	is_json = ct != NULL && strncasecmp(ct, "application/json", 16) == 0;
	if (r->body_len == 0)
		return NULL;
	if (!is_json) {
		fake_args_form(r, r->body, r->body_len);
		return NULL;
	}
	if (!json_args)
		return NULL; /* Slack ignores it */
	r->json = 1;
	tok = json_tokener_new();
	o = json_tokener_parse_ex(tok, r->body, (int)r->body_len);
	if (o == NULL || json_tokener_get_error(tok) != json_tokener_success ||
	    !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		json_tokener_free(tok);
		return "invalid_json";
	}
	json_tokener_free(tok);
	json_object_object_foreach(o, key, v)
	{
		if (v == NULL)
			continue;
		if (json_object_is_type(v, json_type_string))
			fake_arg_add(r, xstrdup(key),
				     xstrdup(json_object_get_string(v)));
		else
			fake_arg_add(
			    r, xstrdup(key),
			    xstrdup(json_object_to_json_string_ext(
				v, JSON_C_TO_STRING_PLAIN |
				       JSON_C_TO_STRING_NOSLASHESCAPE)));
	}
	json_object_put(o);
	return NULL;
}

/* Argument name of r when not empty, else NULL. */
static const char *
fake_want(const struct fake_slack_request *r, const char *name)
{
	const char *v = fake_slack_arg(r, name);

	return v != NULL && *v != '\0' ? v : NULL;
}

/* Web API: the methods. */

static const struct fake_user *
fake_user_by_id(const struct fake_slack *f, const char *id)
{
	size_t i;

	for (i = 0; i < f->nusers; i++) {
		if (strcmp(f->users[i].id, id) == 0)
			return &f->users[i];
	}
	return NULL;
}

static const struct fake_channel *
fake_channel_by_id(const struct fake_slack *f, const char *id)
{
	size_t i;

	for (i = 0; i < f->nchannels; i++) {
		if (strcmp(f->channels[i].id, id) == 0)
			return &f->channels[i];
	}
	return NULL;
}

/* The user whose DM channel is id, or NULL. */
static const struct fake_user *
fake_dm_user(const struct fake_slack *f, const char *id)
{
	char dm[32];
	size_t i;

	if (id[0] != 'D')
		return NULL;
	for (i = 0; i < f->nusers; i++) {
		fake_slack_dm_id(f->users[i].id, dm);
		if (strcmp(dm, id) == 0)
			return &f->users[i];
	}
	return NULL;
}

/*
 * The channel id a message to channel goes to (a user id means the DM)
 * into out; -1 if it is not known.
 */
static int
fake_channel_resolve(const struct fake_slack *f, const char *channel,
		     char out[32])
{
	if (channel == NULL)
		return -1;
	if (fake_user_by_id(f, channel) != NULL) {
		fake_slack_dm_id(channel, out);
		return 0;
	}
	if (fake_channel_by_id(f, channel) == NULL &&
	    fake_dm_user(f, channel) == NULL)
		return -1;
	snprintf(out, 32, "%s", channel);
	return 0;
}

/* A fresh ts; caller frees. */
static char *
fake_ts(struct fake_slack *f)
{
	uint64_t n = ++f->ts_count;

	return xasprintf("%lld.%06d", FAKE_SL_TS_BASE + (long long)(n / 10000),
			 (int)(n % 10000) * 100);
}

/* The text and blocks of a message; the error code if neither is there. */
static const char *
fake_content(const struct fake_slack_request *r, const char **text,
	     const char **blocks)
{
	*text = fake_slack_arg(r, "text");
	*blocks = fake_want(r, "blocks");
	if ((*text == NULL || **text == '\0') && *blocks == NULL)
		return "no_text";
	if (*text != NULL &&
	    utf8_count(*text, strlen(*text)) > FAKE_SLACK_MAX_TEXT)
		return "msg_too_long";
	return NULL;
}

static struct json_object *
fake_message_json(const struct fake_slack_message *m)
{
	struct json_object *o = json_object_new_object();

	fake_json_add(o, "type", "message");
	fake_json_add(o, "text", m->text);
	fake_json_add(o, "user", FAKE_SLACK_BOT_USER_ID);
	fake_json_add(o, "bot_id", FAKE_SLACK_BOT_ID);
	fake_json_add(o, "app_id", FAKE_SLACK_APP_ID);
	fake_json_add(o, "team", FAKE_SLACK_TEAM_ID);
	fake_json_add(o, "ts", m->ts);
	if (m->thread_ts != NULL)
		fake_json_add(o, "thread_ts", m->thread_ts);
	if (m->blocks != NULL)
		json_object_object_add(o, "blocks",
				       json_tokener_parse(m->blocks));
	return o;
}

static const char *
fake_auth_test(struct fake_slack *f, struct fake_slack_request *r,
	       struct json_object *out)
{
	(void)f;
	(void)r;
	fake_json_add(out, "url", "https://fake.slack.com/");
	fake_json_add(out, "team", FAKE_SLACK_TEAM_NAME);
	fake_json_add(out, "user", FAKE_SLACK_BOT_NAME);
	fake_json_add(out, "team_id", FAKE_SLACK_TEAM_ID);
	fake_json_add(out, "user_id", FAKE_SLACK_BOT_USER_ID);
	fake_json_add(out, "bot_id", FAKE_SLACK_BOT_ID);
	json_object_object_add(out, "is_enterprise_install",
			       json_object_new_boolean(0));
	return NULL;
}

static const char *
fake_connections_open(struct fake_slack *f, struct fake_slack_request *r,
		      struct json_object *out)
{
	char *url;

	(void)r;
	f->tickets = xreallocarray(f->tickets, f->ntickets + 1, 1);
	f->tickets[f->ntickets++] = 0;
	url = xasprintf("ws://127.0.0.1:%d/link/?ticket=%zu&app_id=%s",
			fake_server_port(f->server), f->ntickets,
			FAKE_SLACK_APP_ID);
	fake_json_add(out, "url", url);
	free(url);
	return NULL;
}

/* Whether text is a JSON array. */
static int
fake_is_array(const char *text)
{
	struct json_object *o = json_tokener_parse(text);
	int rc = json_object_is_type(o, json_type_array);

	json_object_put(o);
	return rc;
}

static const char *
fake_post_message(struct fake_slack *f, struct fake_slack_request *r,
		  struct json_object *out)
{
	struct fake_slack_message *m;
	const char *text, *blocks, *error, *thread;
	char channel[32];

	if (fake_channel_resolve(f, fake_want(r, "channel"), channel) != 0)
		return "channel_not_found";
	if ((error = fake_content(r, &text, &blocks)) != NULL)
		return error;
	if (blocks != NULL && !fake_is_array(blocks))
		return "invalid_blocks";
	thread = fake_want(r, "thread_ts");
	f->messages =
	    xreallocarray(f->messages, f->nmessages + 1, sizeof *f->messages);
	m = &f->messages[f->nmessages++];
	memset(m, 0, sizeof *m);
	m->channel = xstrdup(channel);
	m->ts = fake_ts(f);
	m->text = xstrdup(text != NULL ? text : "");
	m->blocks = blocks != NULL ? xstrdup(blocks) : NULL;
	m->thread_ts = thread != NULL ? xstrdup(thread) : NULL;
	fake_json_add(out, "channel", m->channel);
	fake_json_add(out, "ts", m->ts);
	json_object_object_add(out, "message", fake_message_json(m));
	return NULL;
}

static const char *
fake_post_ephemeral(struct fake_slack *f, struct fake_slack_request *r,
		    struct json_object *out)
{
	struct fake_slack_ephemeral *e;
	const char *text, *blocks, *error, *user;
	char channel[32];

	if (fake_channel_resolve(f, fake_want(r, "channel"), channel) != 0)
		return "channel_not_found";
	user = fake_want(r, "user");
	if (user == NULL || fake_user_by_id(f, user) == NULL)
		return "user_not_found";
	if ((error = fake_content(r, &text, &blocks)) != NULL)
		return error;
	f->ephemerals = xreallocarray(f->ephemerals, f->nephemerals + 1,
				      sizeof *f->ephemerals);
	e = &f->ephemerals[f->nephemerals++];
	e->channel = xstrdup(channel);
	e->user = xstrdup(user);
	e->text = xstrdup(text != NULL ? text : "");
	e->message_ts = fake_ts(f);
	fake_json_add(out, "message_ts", e->message_ts);
	return NULL;
}

static struct fake_slack_message *
fake_message_find(struct fake_slack *f, const char *channel, const char *ts)
{
	size_t i;

	if (channel == NULL || ts == NULL)
		return NULL;
	for (i = 0; i < f->nmessages; i++) {
		if (strcmp(f->messages[i].channel, channel) == 0 &&
		    strcmp(f->messages[i].ts, ts) == 0)
			return &f->messages[i];
	}
	return NULL;
}

static const char *
fake_update(struct fake_slack *f, struct fake_slack_request *r,
	    struct json_object *out)
{
	struct fake_slack_message *m;
	const char *text, *blocks, *error;
	char channel[32];

	if (fake_channel_resolve(f, fake_want(r, "channel"), channel) != 0)
		return "channel_not_found";
	m = fake_message_find(f, channel, fake_want(r, "ts"));
	if (m == NULL)
		return "message_not_found";
	if ((error = fake_content(r, &text, &blocks)) != NULL)
		return error;
	free(m->text);
	m->text = xstrdup(text != NULL ? text : "");
	if (blocks != NULL) {
		free(m->blocks);
		m->blocks = xstrdup(blocks);
	}
	m->updates++;
	fake_json_add(out, "channel", m->channel);
	fake_json_add(out, "ts", m->ts);
	fake_json_add(out, "text", m->text);
	json_object_object_add(out, "message", fake_message_json(m));
	return NULL;
}

static const char *
fake_conversations_open(struct fake_slack *f, struct fake_slack_request *r,
			struct json_object *out)
{
	const char *users = fake_want(r, "users"), *channel;
	struct json_object *ch;
	char id[32];
	size_t i;
	int already = 0;

	if (users == NULL) {
		channel = fake_want(r, "channel");
		if (channel == NULL)
			return "users_list_not_supplied";
		if (fake_dm_user(f, channel) == NULL)
			return "channel_not_found";
		snprintf(id, sizeof id, "%s", channel);
		already = 1;
	} else {
		if (strchr(users, ',') != NULL)
			return "method_not_supported_for_channel_type";
		if (fake_user_by_id(f, users) == NULL)
			return "user_not_found";
		fake_slack_dm_id(users, id);
		for (i = 0; i < f->nopened; i++) {
			if (strcmp(f->opened[i], users) == 0)
				already = 1;
		}
		if (!already) {
			f->opened = xreallocarray(f->opened, f->nopened + 1,
						  sizeof *f->opened);
			f->opened[f->nopened++] = xstrdup(users);
		}
	}
	if (already) {
		json_object_object_add(out, "no_op",
				       json_object_new_boolean(1));
		json_object_object_add(out, "already_open",
				       json_object_new_boolean(1));
	}
	ch = json_object_new_object();
	fake_json_add(ch, "id", id);
	json_object_object_add(out, "channel", ch);
	return NULL;
}

/* tz_offset of a few zones (winter time), 0 for others. */
static int
fake_tz_offset(const char *tz)
{
	static const struct {
		const char *name;
		int offset;
	} zones[] = {
		{ "Europe/Berlin", 3600 },
		{ "Europe/London", 0 },
		{ "Asia/Shanghai", 28800 },
		{ "Asia/Tokyo", 32400 },
		{ "America/New_York", -18000 },
		{ "America/Los_Angeles", -28800 },
	};
	size_t i;

	for (i = 0; i < sizeof zones / sizeof zones[0]; i++) {
		if (strcmp(zones[i].name, tz) == 0)
			return zones[i].offset;
	}
	return 0;
}

static struct json_object *
fake_user_json(const struct fake_user *u)
{
	struct json_object *o = json_object_new_object();
	struct json_object *p = json_object_new_object();

	fake_json_add(o, "id", u->id);
	fake_json_add(o, "team_id", FAKE_SLACK_TEAM_ID);
	fake_json_add(o, "name", u->name);
	json_object_object_add(o, "deleted", json_object_new_boolean(0));
	fake_json_add(o, "real_name", u->name);
	fake_json_add(o, "tz", u->tz);
	fake_json_add(o, "tz_label", u->tz);
	json_object_object_add(o, "tz_offset",
			       json_object_new_int(fake_tz_offset(u->tz)));
	json_object_object_add(o, "is_admin", json_object_new_boolean(0));
	json_object_object_add(o, "is_bot",
			       json_object_new_boolean(u->bot_id != NULL));
	json_object_object_add(o, "is_app_user", json_object_new_boolean(0));
	json_object_object_add(o, "updated",
			       json_object_new_int64(FAKE_SL_TS_BASE));
	fake_json_add(p, "real_name", u->name);
	fake_json_add(p, "display_name", u->name);
	fake_json_add(p, "team", FAKE_SLACK_TEAM_ID);
	if (u->bot_id != NULL) {
		fake_json_add(p, "bot_id", u->bot_id);
		fake_json_add(p, "api_app_id", FAKE_SLACK_APP_ID);
	}
	json_object_object_add(o, "profile", p);
	return o;
}

static const char *
fake_users_info(struct fake_slack *f, struct fake_slack_request *r,
		struct json_object *out)
{
	const char *id = fake_want(r, "user");
	const struct fake_user *u = id != NULL ? fake_user_by_id(f, id) : NULL;

	if (u == NULL)
		return "user_not_found";
	json_object_object_add(out, "user", fake_user_json(u));
	return NULL;
}

static const char *
fake_users_list(struct fake_slack *f, struct fake_slack_request *r,
		struct json_object *out)
{
	const char *limit = fake_want(r, "limit"),
		   *cursor = fake_want(r, "cursor");
	struct json_object *members, *meta;
	size_t start = 0, page = 0, i, plen = strlen(FAKE_SL_CURSOR);
	unsigned long long n;
	char *end, *next;

	if (limit != NULL) {
		n = strtoull(limit, &end, 10);
		if (!isdigit((unsigned char)*limit) || *end != '\0')
			return "invalid_limit";
		page = n > SIZE_MAX ? SIZE_MAX : (size_t)n;
	}
	if (cursor != NULL) {
		if (strncmp(cursor, FAKE_SL_CURSOR, plen) != 0 ||
		    !isdigit((unsigned char)cursor[plen]))
			return "invalid_cursor";
		n = strtoull(cursor + plen, &end, 10);
		if (*end != '\0' || n == 0 || n >= f->nusers)
			return "invalid_cursor";
		start = (size_t)n;
	}
	if (f->users_page != 0 && (page == 0 || page > f->users_page))
		page = f->users_page;
	if (page == 0 || page > f->nusers - start)
		page = f->nusers - start;
	members = json_object_new_array();
	for (i = start; i < start + page; i++)
		json_object_array_add(members, fake_user_json(&f->users[i]));
	json_object_object_add(out, "members", members);
	json_object_object_add(out, "cache_ts",
			       json_object_new_int64(FAKE_SL_TS_BASE));
	next = start + page < f->nusers
		   ? xasprintf("%s%zu", FAKE_SL_CURSOR, start + page)
		   : xstrdup("");
	meta = json_object_new_object();
	fake_json_add(meta, "next_cursor", next);
	json_object_object_add(out, "response_metadata", meta);
	free(next);
	return NULL;
}

/* Whether a pushed message event had this channel and ts. */
static int
fake_user_message(const struct fake_slack *f, const char *channel,
		  const char *ts)
{
	size_t i, n;

	if (ts == NULL)
		return 0;
	n = strlen(channel);
	for (i = 0; i < f->nuser_messages; i++) {
		if (strncmp(f->user_messages[i], channel, n) == 0 &&
		    f->user_messages[i][n] == ' ' &&
		    strcmp(f->user_messages[i] + n + 1, ts) == 0)
			return 1;
	}
	return 0;
}

static const char *
fake_reactions_add(struct fake_slack *f, struct fake_slack_request *r,
		   struct json_object *out)
{
	const char *name = fake_want(r, "name"),
		   *ts = fake_want(r, "timestamp");
	struct fake_slack_reaction *x;
	char channel[32];
	size_t i;

	(void)out;
	if (fake_channel_resolve(f, fake_want(r, "channel"), channel) != 0)
		return "channel_not_found";
	if (fake_message_find(f, channel, ts) == NULL &&
	    !fake_user_message(f, channel, ts))
		return "message_not_found";
	if (name == NULL || strchr(name, ':') != NULL ||
	    strchr(name, ' ') != NULL)
		return "invalid_name";
	for (i = 0; i < f->nreactions; i++) {
		x = &f->reactions[i];
		if (strcmp(x->channel, channel) == 0 &&
		    strcmp(x->timestamp, ts) == 0 && strcmp(x->name, name) == 0)
			return "already_reacted";
	}
	f->reactions = xreallocarray(f->reactions, f->nreactions + 1,
				     sizeof *f->reactions);
	x = &f->reactions[f->nreactions++];
	x->channel = xstrdup(channel);
	x->timestamp = xstrdup(ts);
	x->name = xstrdup(name);
	return NULL;
}

/*
 * Answer the Web API call r: unknown_method, the token check, then the
 * method. Returns the HTTP status and sets *body (the JSON answer) and
 * *error (the error code, or NULL); caller frees both.
 */
static int
fake_api(struct fake_slack *f, struct fake_slack_request *r, char **body,
	 char **error)
{
	const struct fake_method *m = NULL;
	const char *auth, *token, *err, *args_err;
	struct json_object *out;
	int is_open;
	size_t i;

	*error = NULL;
	for (i = 0; i < sizeof fake_methods / sizeof fake_methods[0]; i++) {
		if (strcmp(fake_methods[i].name, r->api) == 0)
			m = &fake_methods[i];
	}
	if (m == NULL) {
		err = "unknown_method";
		goto fail;
	}
	/* Arguments are read first, so that refused calls show them too. */
	args_err = fake_args(r, m->json_args);
	is_open = strcmp(m->name, "apps.connections.open") == 0;
	auth = fake_slack_header(r, "Authorization");
	if (auth == NULL || strncmp(auth, "Bearer ", 7) != 0 ||
	    auth[7] == '\0') {
		err = "not_authed";
		goto fail;
	}
	token = auth + 7;
	if (strcmp(token, f->bot_token) == 0)
		err = is_open ? "not_allowed_token_type" : NULL;
	else if (strcmp(token, f->app_token) == 0)
		err = is_open ? NULL : "not_allowed_token_type";
	else
		err = "invalid_auth";
	if (err != NULL)
		goto fail;
	if ((err = args_err) != NULL)
		goto fail;
	out = json_object_new_object();
	json_object_object_add(out, "ok", json_object_new_boolean(1));
	if ((err = m->fn(f, r, out)) != NULL) {
		json_object_put(out);
		goto fail;
	}
	*body = fake_json_take(out);
	return 200;
fail:
	*error = xstrdup(err);
	*body = fake_error_body(err);
	return 200;
}

/* WebSocket. */

/* The text of a disconnect message with reason; caller frees. */
static char *
fake_disconnect_text(const struct fake_server_conn *c, const char *reason)
{
	return xasprintf("{\"type\":\"disconnect\",\"reason\":\"%s\","
			 "\"debug_info\":{\"host\":\"applink-fake-%" PRIu64
			 "\"}}",
			 reason, fake_link_of(c)->ws);
}

/* The frame of envelope e; caller frees. */
static char *
fake_envelope_text(const struct fake_slack_envelope *e)
{
	struct json_object *o = json_object_new_object();
	struct json_object *payload = json_tokener_parse(e->payload);

	if (payload == NULL)
		fatal("fake-slack: envelope payload is not JSON: %s",
		      e->payload);
	fake_json_add(o, "envelope_id", e->envelope_id);
	json_object_object_add(o, "payload", payload);
	fake_json_add(o, "type", e->type);
	json_object_object_add(
	    o, "accepts_response_payload",
	    json_object_new_boolean(e->accepts_response_payload));
	if (strcmp(e->type, "events_api") == 0) {
		json_object_object_add(o, "retry_attempt",
				       json_object_new_int(e->retry_attempt));
		fake_json_add(o, "retry_reason",
			      e->retry_attempt > 0 ? "timeout" : "");
	}
	return fake_json_take(o);
}

/* Send envelope i to c. */
static void
fake_envelope_send(struct fake_server_conn *c, size_t i)
{
	struct fake_slack *f = c->owner;
	struct fake_slack_envelope *e = &f->envelopes[i];
	char *text = fake_envelope_text(e);

	uv_update_time(f->loop);
	e->conn = fake_link_of(c)->ws;
	e->sent_ms = uv_now(f->loop);
	fake_server_ws_text(c, text);
	free(text);
}

/* Send hello on c, then every envelope that waits for a connection. */
static void
fake_ws_hello(struct fake_server_conn *c)
{
	struct fake_slack *f = c->owner;
	char *hello;
	size_t i;

	fake_link_of(c)->ready = ++f->ready_serial;
	hello =
	    xasprintf("{\"type\":\"hello\",\"num_connections\":%d,"
		      "\"connection_info\":{\"app_id\":\"%s\"},"
		      "\"debug_info\":{\"host\":\"applink-fake-%" PRIu64 "\","
		      "\"build_number\":1,\"approximate_connection_time\":%d}}",
		      fake_ws_count(f, 1), FAKE_SLACK_APP_ID,
		      fake_link_of(c)->ws, f->connection_time);
	fake_server_ws_text(c, hello);
	free(hello);
	for (i = 0; i < f->nenvelopes; i++) {
		if (f->envelopes[i].conn == 0)
			fake_envelope_send(c, i);
	}
}

/* The ticket number in r's query, or 0 if there is none. */
static size_t
fake_ticket(const struct fake_slack_request *r)
{
	const char *q = strchr(r->target, '?'), *p;
	unsigned long long n;
	char *end;

	if (q == NULL)
		return 0;
	for (p = q + 1; *p != '\0'; p += strcspn(p, "&"), p += *p == '&') {
		if (strncmp(p, "ticket=", 7) != 0)
			continue;
		if (!isdigit((unsigned char)p[7]))
			return 0;
		n = strtoull(p + 7, &end, 10);
		if ((*end != '\0' && *end != '&') || n > SIZE_MAX)
			return 0;
		return (size_t)n;
	}
	return 0;
}

/* GET /link/ (request ri): check the ticket, switch c to WebSocket mode. */
static void
fake_ws_upgrade(struct fake_server_conn *c, size_t ri)
{
	struct fake_slack *f = c->owner;
	struct fake_slack_request *r = &f->requests[ri];
	char *bye;
	size_t ticket = fake_ticket(r);
	int open = fake_ws_count(f, 0);

	if (ticket == 0 || ticket > f->ntickets || f->tickets[ticket - 1]) {
		f->ws_refused++;
		fake_answer(c, r, 401,
			    "Content-Type: text/plain\r\nConnection: close\r\n",
			    xstrdup("invalid or used ticket"), NULL, 1);
		fake_server_hang(c);
		return;
	}
	if (fake_server_ws_upgrade(c, r->headers, r->nheaders) != 0) {
		f->ws_refused++;
		fake_answer(c, r, 400,
			    "Content-Type: text/plain\r\nConnection: close\r\n",
			    xstrdup("not a websocket upgrade"), NULL, 1);
		fake_server_hang(c);
		return;
	}
	f->tickets[ticket - 1] = 1;
	r->status = 101;
	c->data = xcalloc(1, sizeof(struct fake_link));
	fake_link_of(c)->ws = (uint64_t)++f->ws_connections;
	if (open >= FAKE_SLACK_WS_MAX) {
		bye = fake_disconnect_text(c, "too_many_websockets");
		fake_server_ws_text(c, bye);
		free(bye);
		fake_server_ws_close(c, 1000);
		return;
	}
	if (f->hello_delay > 0) {
		fake_link_of(c)->due = FAKE_DUE_HELLO;
		fake_server_timer(c, f->hello_delay);
		return;
	}
	fake_ws_hello(c);
}

/* A text message from the client: record it; an ack marks its envelope. */
static void
fake_ws_message(struct fake_server_conn *c, const char *text, size_t len)
{
	struct fake_slack *f = c->owner;
	struct fake_slack_envelope *e = NULL;
	struct json_tokener *tok;
	struct json_object *o, *v, *payload;
	const char *id;
	size_t i;

	f->received =
	    xreallocarray(f->received, f->nreceived + 1, sizeof *f->received);
	f->received[f->nreceived++] = xstrndup(text, len);

	tok = json_tokener_new();
	o = json_tokener_parse_ex(tok, text, (int)len);
	json_tokener_free(tok);
	if (o == NULL || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, "envelope_id", &v) ||
	    !json_object_is_type(v, json_type_string)) {
		json_object_put(o);
		return;
	}
	id = json_object_get_string(v);
	for (i = f->nenvelopes; i > 0; i--) {
		if (strcmp(f->envelopes[i - 1].envelope_id, id) == 0 &&
		    f->envelopes[i - 1].conn != 0) {
			e = &f->envelopes[i - 1];
			break;
		}
	}
	if (e == NULL) {
		f->stray_acks++;
		json_object_put(o);
		return;
	}
	uv_update_time(f->loop);
	if (e->acks++ == 0)
		e->ack_ms = uv_now(f->loop);
	free(e->ack);
	e->ack = xstrndup(text, len);
	free(e->ack_payload);
	e->ack_payload = NULL;
	if (json_object_object_get_ex(o, "payload", &payload) &&
	    payload != NULL)
		e->ack_payload = xstrdup(json_object_to_json_string_ext(
		    payload,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

/* Envelopes. */

/* A fresh envelope id shaped like a UUID, into out. */
static void
fake_make_id(struct fake_slack *f, char out[37])
{
	uint64_t n = ++f->ids;

	snprintf(out, 37, "fa4e51ac-%04x-4%03x-8%03x-%012" PRIx64,
		 (unsigned)(n >> 24 & 0xffff), (unsigned)(n >> 12 & 0xfff),
		 (unsigned)(n & 0xfff), n);
}

/* Add an envelope and send it if a connection is ready; returns its id. */
static const char *
fake_envelope_add(struct fake_slack *f, const char *id, const char *type,
		  const char *payload, const char *event_id, int accepts,
		  int retry)
{
	struct fake_slack_envelope *e;
	struct json_object *o = json_tokener_parse(payload);
	struct fake_server_conn *c;

	if (!json_object_is_type(o, json_type_object))
		fatal("fake-slack: payload is not a JSON object: %s", payload);
	json_object_put(o);
	f->envelopes = xreallocarray(f->envelopes, f->nenvelopes + 1,
				     sizeof *f->envelopes);
	e = &f->envelopes[f->nenvelopes++];
	memset(e, 0, sizeof *e);
	e->envelope_id = xstrdup(id);
	e->type = xstrdup(type);
	e->payload = xstrdup(payload);
	e->event_id = event_id != NULL ? xstrdup(event_id) : NULL;
	e->accepts_response_payload = accepts;
	e->retry_attempt = retry;
	c = fake_ws_target(f);
	if (c != NULL)
		fake_envelope_send(c, f->nenvelopes - 1);
	return f->envelopes[f->nenvelopes - 1].envelope_id;
}

/* payload.event_id of an events_api payload (allocated), or NULL. */
static char *
fake_event_id(const char *payload)
{
	struct json_object *o = json_tokener_parse(payload), *v;
	char *id = NULL;

	if (o != NULL && json_object_object_get_ex(o, "event_id", &v) &&
	    json_object_is_type(v, json_type_string))
		id = xstrdup(json_object_get_string(v));
	json_object_put(o);
	return id;
}

const char *
fake_slack_push(struct fake_slack *f, const char *type, const char *payload,
		int accepts_response_payload)
{
	char id[37], *event_id = NULL;
	const char *out;

	fake_make_id(f, id);
	if (strcmp(type, "events_api") == 0)
		event_id = fake_event_id(payload);
	out = fake_envelope_add(f, id, type, payload, event_id,
				accepts_response_payload != 0, 0);
	free(event_id);
	return out;
}

const char *
fake_slack_push_command(struct fake_slack *f, const char *command,
			const char *text, const char *user_id,
			const char *channel_id)
{
	const struct fake_user *u = fake_user_by_id(f, user_id);
	const struct fake_channel *ch = fake_channel_by_id(f, channel_id);
	struct json_object *o = json_object_new_object();
	char *url, *trigger, *payload;
	const char *out;

	url = xasprintf("https://hooks.slack.com/commands/%s/%" PRIu64
			"/fakeresponse",
			FAKE_SLACK_TEAM_ID, f->ids + 1);
	trigger =
	    xasprintf("%" PRIu64 ".%s.fake", f->ids + 1, FAKE_SLACK_TEAM_ID);
	fake_json_add(o, "token", "fakeverificationtoken");
	fake_json_add(o, "team_id", FAKE_SLACK_TEAM_ID);
	fake_json_add(o, "team_domain", FAKE_SLACK_TEAM_NAME);
	fake_json_add(o, "channel_id", channel_id);
	fake_json_add(o, "channel_name",
		      ch != NULL	     ? ch->name
		      : channel_id[0] == 'D' ? "directmessage"
					     : "privategroup");
	fake_json_add(o, "user_id", user_id);
	fake_json_add(o, "user_name", u != NULL ? u->name : user_id);
	fake_json_add(o, "command", command);
	fake_json_add(o, "text", text);
	fake_json_add(o, "api_app_id", FAKE_SLACK_APP_ID);
	fake_json_add(o, "is_enterprise_install", "false");
	fake_json_add(o, "response_url", url);
	fake_json_add(o, "trigger_id", trigger);
	payload = fake_json_take(o);
	out = fake_slack_push(f, "slash_commands", payload, 1);
	free(payload);
	free(url);
	free(trigger);
	return out;
}

const char *
fake_slack_push_event(struct fake_slack *f, const char *event)
{
	struct json_object *o = json_object_new_object();
	struct json_object *ev = json_tokener_parse(event), *auth, *auths;
	char *event_id, *payload;
	const char *out;

	if (ev == NULL)
		fatal("fake-slack: event is not JSON: %s", event);
	event_id = xasprintf("Ev0FAKE%06" PRIu64, f->ids + 1);
	fake_json_add(o, "token", "fakeverificationtoken");
	fake_json_add(o, "team_id", FAKE_SLACK_TEAM_ID);
	fake_json_add(o, "context_team_id", FAKE_SLACK_TEAM_ID);
	fake_json_add(o, "api_app_id", FAKE_SLACK_APP_ID);
	json_object_object_add(o, "event", ev);
	fake_json_add(o, "type", "event_callback");
	fake_json_add(o, "event_id", event_id);
	json_object_object_add(
	    o, "event_time",
	    json_object_new_int64(FAKE_SL_TS_BASE + (int64_t)f->ids));
	auth = json_object_new_object();
	fake_json_add(auth, "enterprise_id", "");
	fake_json_add(auth, "team_id", FAKE_SLACK_TEAM_ID);
	fake_json_add(auth, "user_id", FAKE_SLACK_BOT_USER_ID);
	json_object_object_add(auth, "is_bot", json_object_new_boolean(1));
	json_object_object_add(auth, "is_enterprise_install",
			       json_object_new_boolean(0));
	auths = json_object_new_array();
	json_object_array_add(auths, auth);
	json_object_object_add(o, "authorizations", auths);
	json_object_object_add(o, "is_ext_shared_channel",
			       json_object_new_boolean(0));
	payload = fake_json_take(o);
	out = fake_slack_push(f, "events_api", payload, 0);
	free(payload);
	free(event_id);
	return out;
}

/* A message or app_mention event; caller frees. */
static char *
fake_message_event(struct fake_slack *f, const char *type,
		   const char *channel_id, const char *user_id,
		   const char *text, const char *channel_type)
{
	struct json_object *o = json_object_new_object();
	char *ts = fake_ts(f);

	fake_json_add(o, "type", type);
	fake_json_add(o, "user", user_id);
	fake_json_add(o, "text", text);
	fake_json_add(o, "ts", ts);
	fake_json_add(o, "team", FAKE_SLACK_TEAM_ID);
	fake_json_add(o, "channel", channel_id);
	fake_json_add(o, "event_ts", ts);
	if (channel_type != NULL)
		fake_json_add(o, "channel_type", channel_type);
	f->user_messages = xreallocarray(
	    f->user_messages, f->nuser_messages + 1, sizeof *f->user_messages);
	f->user_messages[f->nuser_messages++] =
	    xasprintf("%s %s", channel_id, ts);
	free(ts);
	return fake_json_take(o);
}

const char *
fake_slack_push_message(struct fake_slack *f, const char *channel_id,
			const char *user_id, const char *text,
			const char *channel_type)
{
	char *event = fake_message_event(f, "message", channel_id, user_id,
					 text, channel_type);
	const char *out = fake_slack_push_event(f, event);

	free(event);
	return out;
}

const char *
fake_slack_push_mention(struct fake_slack *f, const char *channel_id,
			const char *user_id, const char *text)
{
	char *event = fake_message_event(f, "app_mention", channel_id, user_id,
					 text, NULL);
	const char *out = fake_slack_push_event(f, event);

	free(event);
	return out;
}

const char *
fake_slack_push_interactive(struct fake_slack *f, const char *payload)
{
	return fake_slack_push(f, "interactive", payload, 0);
}

const char *
fake_slack_redeliver(struct fake_slack *f, const char *envelope_id, int same_id)
{
	const struct fake_slack_envelope *e =
	    fake_slack_envelope_find(f, envelope_id);
	char id[37], *type, *payload, *event_id;
	const char *out;
	int retry, accepts;

	if (e == NULL)
		return NULL;
	if (same_id)
		snprintf(id, sizeof id, "%s", envelope_id);
	else
		fake_make_id(f, id);
	/* Copies: adding an envelope may move the array. */
	type = xstrdup(e->type);
	payload = xstrdup(e->payload);
	event_id = e->event_id != NULL ? xstrdup(e->event_id) : NULL;
	retry = e->retry_attempt + 1;
	accepts = e->accepts_response_payload;
	out = fake_envelope_add(f, id, type, payload, event_id, accepts, retry);
	free(type);
	free(payload);
	free(event_id);
	return out;
}

/* Connections. */

int
fake_slack_ws_disconnect(struct fake_slack *f, const char *reason,
			 int64_t close_after_ms)
{
	struct fake_server_conn *c = fake_ws_target(f);
	char *text;

	if (c == NULL)
		return -1;
	text = fake_disconnect_text(c, reason);
	fake_server_ws_text(c, text);
	free(text);
	fake_link_of(c)->leaving = 1;
	if (close_after_ms == 0)
		fake_server_ws_close(c, 1000);
	else if (close_after_ms > 0) {
		fake_link_of(c)->due = FAKE_DUE_CLOSE;
		fake_server_timer(c, (uint64_t)close_after_ms);
	}
	return 0;
}

void
fake_slack_ws_send_raw(struct fake_slack *f, const char *text)
{
	struct fake_server_conn *c;

	for (c = fake_server_conns(f->server); c != NULL; c = c->next) {
		if (fake_ws_live(c, 1))
			fake_server_ws_text(c, text);
	}
}

void
fake_slack_ws_ping(struct fake_slack *f)
{
	struct fake_server_conn *c;

	for (c = fake_server_conns(f->server); c != NULL; c = c->next) {
		if (fake_ws_live(c, 0))
			fake_server_ws_frame(c, FAKE_WS_PING, "fake", 4, 0);
	}
}

void
fake_slack_ws_drop(struct fake_slack *f)
{
	struct fake_server_conn *c, *next;

	for (c = fake_server_conns(f->server); c != NULL; c = next) {
		next = c->next;
		if (c->mode == FAKE_SERVER_WS)
			fake_server_conn_close(c);
	}
}

void
fake_slack_ws_close(struct fake_slack *f, int code)
{
	struct fake_server_conn *c, *next;

	for (c = fake_server_conns(f->server); c != NULL; c = next) {
		next = c->next;
		if (fake_ws_live(c, 0))
			fake_server_ws_close(c, code);
	}
}

static void
fake_free(void *owner)
{
	struct fake_slack *f = owner;
	size_t i;

	fake_slack_unscript(f);
	for (i = 0; i < f->nusers; i++) {
		free(f->users[i].id);
		free(f->users[i].name);
		free(f->users[i].bot_id);
		free(f->users[i].tz);
	}
	free(f->users);
	for (i = 0; i < f->nchannels; i++) {
		free(f->channels[i].id);
		free(f->channels[i].name);
	}
	free(f->channels);
	for (i = 0; i < f->nopened; i++)
		free(f->opened[i]);
	free(f->opened);
	free(f->tickets);
	for (i = 0; i < f->nrequests; i++)
		fake_request_release(&f->requests[i]);
	free(f->requests);
	for (i = 0; i < f->nmessages; i++) {
		free(f->messages[i].channel);
		free(f->messages[i].ts);
		free(f->messages[i].text);
		free(f->messages[i].blocks);
		free(f->messages[i].thread_ts);
	}
	free(f->messages);
	for (i = 0; i < f->nuser_messages; i++)
		free(f->user_messages[i]);
	free(f->user_messages);
	for (i = 0; i < f->nephemerals; i++) {
		free(f->ephemerals[i].channel);
		free(f->ephemerals[i].user);
		free(f->ephemerals[i].text);
		free(f->ephemerals[i].message_ts);
	}
	free(f->ephemerals);
	for (i = 0; i < f->nreactions; i++) {
		free(f->reactions[i].channel);
		free(f->reactions[i].timestamp);
		free(f->reactions[i].name);
	}
	free(f->reactions);
	for (i = 0; i < f->nenvelopes; i++) {
		free(f->envelopes[i].envelope_id);
		free(f->envelopes[i].type);
		free(f->envelopes[i].payload);
		free(f->envelopes[i].event_id);
		free(f->envelopes[i].ack);
		free(f->envelopes[i].ack_payload);
	}
	free(f->envelopes);
	for (i = 0; i < f->nreceived; i++)
		free(f->received[i]);
	free(f->received);
	free(f->bot_token);
	free(f->app_token);
	free(f);
}
