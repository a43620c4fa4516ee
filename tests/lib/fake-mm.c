/* SPDX-License-Identifier: MIT */
/*
 * fake-mm.c: the fake Mattermost server for tests; see fake-mm.h for what
 * it answers.
 *
 * How it works. The listener, the connections, HTTP parsing and the
 * WebSocket protocol are fake-server.c's. Each complete request is
 * recorded and then, in this order: matched against the scripts (fail,
 * hang, slow), taken as a WebSocket upgrade if it is GET
 * /api/v4/websocket, or routed through the REST table (404 for an unknown
 * route, 401 for a bad token, then the route's handler). A hung request
 * stops the connection's parsing for good; a slow one's answer waits in
 * the connection (fake_server_send_later()), and so does parsing.
 *
 * After a 101 the connection is in WebSocket mode and its text messages
 * come to fake_ws_message(). A logged-in connection is attached to a
 * struct fake_session (the connection's data): the connection id, the
 * next seq and the last FAKE_MM_REPLAY event frames (by seq). Sessions
 * outlive their connections, so events pushed while the client is away
 * are kept and a resume sends them; fake_mm_ws_restart() frees them all.
 * The connection timer is the 5 s login deadline in WebSocket mode.
 *
 * The server (struct fake_mm) is freed when fake-server.c has closed its
 * listener and every connection. When adding a REST route, add it to
 * fake_routes[] with a handler that returns the status and sets the JSON
 * answer.
 */

#include <ctype.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "fake-mm.h"
#include "fake-server.h"
#include "lihui/buf.h"
#include "lihui/utf8.h"
#include "lihui/xmalloc.h"

#define FAKE_MM_MAX_REQUEST	(8 * 1024 * 1024)
#define FAKE_MM_MAX_SEGMENTS	16
#define FAKE_MM_WS_MAX_MESSAGE	8192
#define FAKE_MM_REPLAY		128
#define FAKE_MM_MAX_SESSIONS	16
#define FAKE_MM_AUTH_TIMEOUT_MS 5000
/* Posts of "posted" events kept for GET /channels/{id}/posts. */
#define FAKE_MM_KEPT_POSTS 1024
/* Most posts in one answer of GET /channels/{id}/posts. */
#define FAKE_MM_POSTS_PAGE 200
/* create_at of the first thing made: 2026-11-26T08:00:00Z in ms. */
#define FAKE_MM_EPOCH_MS 1795680000000LL

enum fake_script_kind {
	FAKE_SCRIPT_FAIL,
	FAKE_SCRIPT_HANG,
	FAKE_SCRIPT_SLOW,
};

struct fake_script {
	enum fake_script_kind kind;
	char *method; /* NULL: any */
	char *pattern;
	int count; /* answers left; FAKE_MM_ALWAYS for no end */
	int status;
	int retry_after;
	uint64_t delay_ms;
};

struct fake_user {
	char *id;
	char *username;
	int is_bot;
};

struct fake_team {
	char *id;
	char *name;
};

struct fake_channel {
	char *id;
	char *team_id;
	char *name;
	char *type;
};

struct fake_session {
	char id[27];
	uint64_t next_seq;
	char *replay[FAKE_MM_REPLAY];  /* event frames, at seq % REPLAY */
	struct fake_server_conn *conn; /* its client, or NULL */
};

struct fake_mm {
	uv_loop_t *loop;
	struct fake_server *server;
	char *token;
	uint64_t ids;	/* a counter for made-up ids */
	int64_t now_ms; /* create_at of the next thing made */

	struct fake_user *users;
	size_t nusers;
	struct fake_team *teams;
	size_t nteams;
	struct fake_channel *channels;
	size_t nchannels;

	struct fake_script *scripts;
	size_t nscripts;
	struct fake_mm_request *requests;
	size_t nrequests;
	struct fake_mm_post *posts;
	size_t nposts;
	/* Posts of "posted" events pushed (others' posts), as JSON. */
	struct json_object **event_posts;
	size_t nevent_posts;
	struct fake_mm_ephemeral *ephemerals;
	size_t nephemerals;
	struct fake_mm_direct *directs;
	size_t ndirects;
	struct fake_mm_reaction *reactions;
	size_t nreactions;
	struct fake_mm_command *commands;
	size_t ncommands;

	struct fake_session *sessions[FAKE_MM_MAX_SESSIONS];
	size_t nsessions;
	uint64_t refuse_until; /* uv_now() before which upgrades get 503 */
	int hello_on_resume;
	int echo_posts;
	int ws_connections;
	int ws_resumes;
	char **received;
	size_t nreceived;
};

/* A REST route: a handler returns the status and sets *out. */
struct fake_route {
	const char *method;
	const char *pattern;
	int (*fn)(struct fake_mm *, const struct fake_mm_request *,
		  char *const *, struct json_object **);
};

static void fake_on_request(struct fake_server_conn *,
			    struct fake_server_request *);
static void fake_ws_message(struct fake_server_conn *, const char *, size_t);
static void fake_ws_timer(struct fake_server_conn *);
static void fake_conn_detach(struct fake_server_conn *);
static void fake_free(void *);
static void fake_handle(struct fake_server_conn *, size_t);

static const struct fake_server_ops fake_ops = {
	.request = fake_on_request,
	.ws_message = fake_ws_message,
	.ws_timer = fake_ws_timer,
	.detach = fake_conn_detach,
	.freed = fake_free,
};
static void fake_session_free(struct fake_mm *, struct fake_session *);
static int fake_rest(struct fake_mm *, const struct fake_mm_request *, char **);
static void fake_ws_upgrade(struct fake_server_conn *, size_t);
static void fake_push_posted(struct fake_mm *, const char *, const char *);
static char *fake_posted_data(struct fake_mm *, const char *, const char *,
			      const char *, const char *, struct json_object *);

static int fake_rest_user(struct fake_mm *, const struct fake_mm_request *,
			  char *const *, struct json_object **);
static int fake_rest_username(struct fake_mm *, const struct fake_mm_request *,
			      char *const *, struct json_object **);
static int fake_rest_user_ids(struct fake_mm *, const struct fake_mm_request *,
			      char *const *, struct json_object **);
static int fake_rest_usernames(struct fake_mm *, const struct fake_mm_request *,
			       char *const *, struct json_object **);
static int fake_rest_channel(struct fake_mm *, const struct fake_mm_request *,
			     char *const *, struct json_object **);
static int fake_rest_channel_posts(struct fake_mm *,
				   const struct fake_mm_request *,
				   char *const *, struct json_object **);
static int fake_rest_team(struct fake_mm *, const struct fake_mm_request *,
			  char *const *, struct json_object **);
static int fake_rest_team_channel(struct fake_mm *,
				  const struct fake_mm_request *, char *const *,
				  struct json_object **);
static int fake_rest_team_name_channel(struct fake_mm *,
				       const struct fake_mm_request *,
				       char *const *, struct json_object **);
static int fake_rest_post(struct fake_mm *, const struct fake_mm_request *,
			  char *const *, struct json_object **);
static int fake_rest_ephemeral(struct fake_mm *, const struct fake_mm_request *,
			       char *const *, struct json_object **);
static int fake_rest_patch(struct fake_mm *, const struct fake_mm_request *,
			   char *const *, struct json_object **);
static int fake_rest_update(struct fake_mm *, const struct fake_mm_request *,
			    char *const *, struct json_object **);
static int fake_rest_reaction(struct fake_mm *, const struct fake_mm_request *,
			      char *const *, struct json_object **);
static int fake_rest_direct(struct fake_mm *, const struct fake_mm_request *,
			    char *const *, struct json_object **);
static int fake_rest_command(struct fake_mm *, const struct fake_mm_request *,
			     char *const *, struct json_object **);
static int fake_rest_commands(struct fake_mm *, const struct fake_mm_request *,
			      char *const *, struct json_object **);
static int fake_rest_config(struct fake_mm *, const struct fake_mm_request *,
			    char *const *, struct json_object **);

static const struct fake_route fake_routes[] = {
	{ "GET", "/api/v4/users/username/*", fake_rest_username },
	{ "POST", "/api/v4/users/ids", fake_rest_user_ids },
	{ "POST", "/api/v4/users/usernames", fake_rest_usernames },
	{ "GET", "/api/v4/users/*", fake_rest_user },
	{ "GET", "/api/v4/channels/*/posts", fake_rest_channel_posts },
	{ "GET", "/api/v4/channels/*", fake_rest_channel },
	{ "POST", "/api/v4/channels/direct", fake_rest_direct },
	{ "GET", "/api/v4/teams/name/*/channels/name/*",
	  fake_rest_team_name_channel },
	{ "GET", "/api/v4/teams/name/*", fake_rest_team },
	{ "GET", "/api/v4/teams/*/channels/name/*", fake_rest_team_channel },
	{ "POST", "/api/v4/posts", fake_rest_post },
	{ "POST", "/api/v4/posts/ephemeral", fake_rest_ephemeral },
	{ "PUT", "/api/v4/posts/*/patch", fake_rest_patch },
	{ "PUT", "/api/v4/posts/*", fake_rest_update },
	{ "POST", "/api/v4/reactions", fake_rest_reaction },
	{ "POST", "/api/v4/commands", fake_rest_command },
	{ "GET", "/api/v4/commands", fake_rest_commands },
	{ "GET", "/api/v4/config/client", fake_rest_config },
};

/* Lifecycle and set-up. */

struct fake_mm *
fake_mm_new(uv_loop_t *loop, const char *token, char **cause)
{
	struct fake_mm *f;

	f = xcalloc(1, sizeof *f);
	f->loop = loop;
	f->token = xstrdup(token);
	f->now_ms = FAKE_MM_EPOCH_MS;
	f->server = fake_server_new(loop, &fake_ops, f, FAKE_MM_MAX_REQUEST,
				    FAKE_MM_WS_MAX_MESSAGE, cause);
	if (f->server == NULL) {
		fake_free(f);
		return NULL;
	}

	fake_mm_add_user(f, FAKE_MM_BOT_ID, FAKE_MM_BOT_NAME);
	f->users[0].is_bot = 1;
	fake_mm_add_user(f, FAKE_MM_ALICE_ID, "alice");
	fake_mm_add_user(f, FAKE_MM_BOB_ID, "bob");
	fake_mm_add_user(f, FAKE_MM_CAROL_ID, "carol");
	fake_mm_add_team(f, FAKE_MM_TEAM_ID, FAKE_MM_TEAM_NAME);
	fake_mm_add_channel(f, FAKE_MM_CHANNEL_ID, FAKE_MM_TEAM_ID,
			    FAKE_MM_CHANNEL_NAME, "O");
	return f;
}

void
fake_mm_close(struct fake_mm *f)
{
	fake_server_close(f->server);
}

int
fake_mm_port(const struct fake_mm *f)
{
	return fake_server_port(f->server);
}

char *
fake_mm_url(const struct fake_mm *f, const char *path)
{
	return xasprintf("http://127.0.0.1:%d%s", fake_server_port(f->server),
			 path);
}

void
fake_mm_add_user(struct fake_mm *f, const char *id, const char *username)
{
	struct fake_user *u;
	size_t i;

	for (i = 0; i < f->nusers; i++) {
		if (strcmp(f->users[i].id, id) == 0) {
			free(f->users[i].username);
			f->users[i].username = xstrdup(username);
			return;
		}
	}
	f->users = xreallocarray(f->users, f->nusers + 1, sizeof *f->users);
	u = &f->users[f->nusers++];
	u->id = xstrdup(id);
	u->username = xstrdup(username);
	u->is_bot = 0;
}

void
fake_mm_add_team(struct fake_mm *f, const char *id, const char *name)
{
	struct fake_team *t;

	f->teams = xreallocarray(f->teams, f->nteams + 1, sizeof *f->teams);
	t = &f->teams[f->nteams++];
	t->id = xstrdup(id);
	t->name = xstrdup(name);
}

void
fake_mm_add_channel(struct fake_mm *f, const char *id, const char *team_id,
		    const char *name, const char *type)
{
	struct fake_channel *c;

	f->channels =
	    xreallocarray(f->channels, f->nchannels + 1, sizeof *f->channels);
	c = &f->channels[f->nchannels++];
	c->id = xstrdup(id);
	c->team_id = xstrdup(team_id);
	c->name = xstrdup(name);
	c->type = xstrdup(type);
}

/* FNV-1a over s, starting from seed. */
static uint64_t
fake_hash(uint64_t seed, const char *s)
{
	uint64_t h = seed;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

/* "a__b" with the smaller id first, as Mattermost names DMs; caller frees. */
static char *
fake_direct_name(const char *a, const char *b)
{
	if (strcmp(a, b) > 0)
		return xasprintf("%s__%s", b, a);
	return xasprintf("%s__%s", a, b);
}

void
fake_mm_direct_id(const char *a, const char *b, char out[27])
{
	static const char digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	char *name = fake_direct_name(a, b);
	uint64_t h[2];
	size_t i;

	h[0] = fake_hash(14695981039346656037ULL, name);
	h[1] = fake_hash(h[0] ^ 0x9e3779b97f4a7c15ULL, name);
	free(name);
	out[0] = 'd';
	out[1] = 'm';
	for (i = 2; i < 26; i++) {
		out[i] = digits[h[i % 2] % 36];
		h[i % 2] /= 36;
	}
	out[26] = '\0';
}

/* A made-up 26-character id: prefix, zeros, then a fresh number. */
static void
fake_make_id(struct fake_mm *f, const char *prefix, char out[27])
{
	snprintf(out, 27, "%s%0*" PRIu64, prefix, (int)(26 - strlen(prefix)),
		 ++f->ids);
}

/* Scripting. */

static void
fake_script_add(struct fake_mm *f, enum fake_script_kind kind,
		const char *method, const char *pattern, int count)
{
	struct fake_script *s;

	f->scripts =
	    xreallocarray(f->scripts, f->nscripts + 1, sizeof *f->scripts);
	s = &f->scripts[f->nscripts++];
	memset(s, 0, sizeof *s);
	s->kind = kind;
	s->method = method != NULL ? xstrdup(method) : NULL;
	s->pattern = xstrdup(pattern);
	s->count = count;
	s->retry_after = -1;
}

void
fake_mm_fail(struct fake_mm *f, const char *method, const char *pattern,
	     int count, int status, int retry_after)
{
	fake_script_add(f, FAKE_SCRIPT_FAIL, method, pattern, count);
	f->scripts[f->nscripts - 1].status = status;
	f->scripts[f->nscripts - 1].retry_after = retry_after;
}

void
fake_mm_hang(struct fake_mm *f, const char *method, const char *pattern,
	     int count)
{
	fake_script_add(f, FAKE_SCRIPT_HANG, method, pattern, count);
}

void
fake_mm_slow(struct fake_mm *f, const char *method, const char *pattern,
	     int count, uint64_t delay_ms)
{
	fake_script_add(f, FAKE_SCRIPT_SLOW, method, pattern, count);
	f->scripts[f->nscripts - 1].delay_ms = delay_ms;
}

void
fake_mm_unscript(struct fake_mm *f)
{
	size_t i;

	for (i = 0; i < f->nscripts; i++) {
		free(f->scripts[i].method);
		free(f->scripts[i].pattern);
	}
	free(f->scripts);
	f->scripts = NULL;
	f->nscripts = 0;
}

/*
 * Whether path matches pattern, where '*' matches one non-empty segment.
 * When caps is not NULL, the segments '*' matched are copied into it
 * (caller frees each) and counted in *ncaps.
 */
static int
fake_match(const char *pattern, const char *path, char **caps, size_t *ncaps)
{
	const char *p = pattern, *q = path, *end;
	size_t n = 0, i;

	while (*p != '\0' && *q != '\0') {
		if (p[0] == '*' && (p[1] == '/' || p[1] == '\0')) {
			end = strchr(q, '/');
			if (end == NULL)
				end = q + strlen(q);
			if (end == q || n == FAKE_MM_MAX_SEGMENTS)
				goto fail;
			if (caps != NULL)
				caps[n] = xstrndup(q, (size_t)(end - q));
			n++;
			p++;
			q = end;
			continue;
		}
		if (*p != *q)
			goto fail;
		p++;
		q++;
	}
	if (*p != '\0' || *q != '\0')
		goto fail;
	if (ncaps != NULL)
		*ncaps = n;
	return 1;
fail:
	if (caps != NULL) {
		for (i = 0; i < n; i++)
			free(caps[i]);
	}
	return 0;
}

static int
fake_request_matches(const struct fake_mm_request *r, const char *method,
		     const char *pattern)
{
	if (method != NULL && strcmp(method, r->method) != 0)
		return 0;
	return fake_match(pattern, r->path, NULL, NULL);
}

/* The oldest script with answers left that matches r, counted, or NULL. */
static const struct fake_script *
fake_script_take(struct fake_mm *f, const struct fake_mm_request *r)
{
	struct fake_script *s;
	size_t i;

	for (i = 0; i < f->nscripts; i++) {
		s = &f->scripts[i];
		if (s->count == 0 ||
		    !fake_request_matches(r, s->method, s->pattern))
			continue;
		if (s->count > 0)
			s->count--;
		return s;
	}
	return NULL;
}

/* Accessors. */

size_t
fake_mm_request_count(const struct fake_mm *f)
{
	return f->nrequests;
}

const struct fake_mm_request *
fake_mm_request_at(const struct fake_mm *f, size_t i)
{
	return i < f->nrequests ? &f->requests[i] : NULL;
}

size_t
fake_mm_count(const struct fake_mm *f, const char *method, const char *pattern)
{
	size_t i, n = 0;

	for (i = 0; i < f->nrequests; i++) {
		if (fake_request_matches(&f->requests[i], method, pattern))
			n++;
	}
	return n;
}

const struct fake_mm_request *
fake_mm_last(const struct fake_mm *f, const char *method, const char *pattern)
{
	size_t i;

	for (i = f->nrequests; i > 0; i--) {
		if (fake_request_matches(&f->requests[i - 1], method, pattern))
			return &f->requests[i - 1];
	}
	return NULL;
}

const char *
fake_mm_header(const struct fake_mm_request *r, const char *name)
{
	return fake_server_header(r->headers, r->nheaders, name);
}

size_t
fake_mm_post_count(const struct fake_mm *f)
{
	return f->nposts;
}

const struct fake_mm_post *
fake_mm_post_at(const struct fake_mm *f, size_t i)
{
	return i < f->nposts ? &f->posts[i] : NULL;
}

const struct fake_mm_post *
fake_mm_post_find(const struct fake_mm *f, const char *id)
{
	size_t i;

	for (i = 0; i < f->nposts; i++) {
		if (strcmp(f->posts[i].id, id) == 0)
			return &f->posts[i];
	}
	return NULL;
}

size_t
fake_mm_ephemeral_count(const struct fake_mm *f)
{
	return f->nephemerals;
}

const struct fake_mm_ephemeral *
fake_mm_ephemeral_at(const struct fake_mm *f, size_t i)
{
	return i < f->nephemerals ? &f->ephemerals[i] : NULL;
}

size_t
fake_mm_direct_count(const struct fake_mm *f)
{
	return f->ndirects;
}

const struct fake_mm_direct *
fake_mm_direct_at(const struct fake_mm *f, size_t i)
{
	return i < f->ndirects ? &f->directs[i] : NULL;
}

size_t
fake_mm_reaction_count(const struct fake_mm *f)
{
	return f->nreactions;
}

const struct fake_mm_reaction *
fake_mm_reaction_at(const struct fake_mm *f, size_t i)
{
	return i < f->nreactions ? &f->reactions[i] : NULL;
}

size_t
fake_mm_command_count(const struct fake_mm *f)
{
	return f->ncommands;
}

const struct fake_mm_command *
fake_mm_command_at(const struct fake_mm *f, size_t i)
{
	return i < f->ncommands ? &f->commands[i] : NULL;
}

int
fake_mm_ws_connections(const struct fake_mm *f)
{
	return f->ws_connections;
}

int
fake_mm_ws_resumes(const struct fake_mm *f)
{
	return f->ws_resumes;
}

int
fake_mm_ws_pongs(const struct fake_mm *f)
{
	return fake_server_ws_pongs(f->server);
}

size_t
fake_mm_ws_received_count(const struct fake_mm *f)
{
	return f->nreceived;
}

const char *
fake_mm_ws_received_at(const struct fake_mm *f, size_t i)
{
	return i < f->nreceived ? f->received[i] : NULL;
}

/* The newest open WebSocket connection (logged in if want_session). */
static struct fake_server_conn *
fake_ws_newest(const struct fake_mm *f, int want_session)
{
	struct fake_server_conn *c, *best = NULL;

	for (c = fake_server_conns(f->server); c != NULL; c = c->next) {
		if (c->mode != FAKE_SERVER_WS || c->closing || c->close_sent)
			continue;
		if (want_session && c->data == NULL)
			continue;
		if (best == NULL || c->serial > best->serial)
			best = c;
	}
	return best;
}

int
fake_mm_ws_open(const struct fake_mm *f)
{
	struct fake_server_conn *c;
	int n = 0;

	for (c = fake_server_conns(f->server); c != NULL; c = c->next) {
		if (c->mode == FAKE_SERVER_WS && !c->closing && !c->close_sent)
			n++;
	}
	return n;
}

int
fake_mm_ws_authenticated(const struct fake_mm *f)
{
	struct fake_server_conn *c = fake_ws_newest(f, 0);

	return c != NULL && c->data != NULL;
}

const char *
fake_mm_ws_connection_id(const struct fake_mm *f)
{
	struct fake_server_conn *c = fake_ws_newest(f, 1);

	const struct fake_session *s = c != NULL ? c->data : NULL;

	return s != NULL ? s->id : NULL;
}

void
fake_mm_ws_refuse_for(struct fake_mm *f, uint64_t ms)
{
	uv_update_time(f->loop);
	f->refuse_until = uv_now(f->loop) + ms;
}

void
fake_mm_ws_hello_on_resume(struct fake_mm *f, int on)
{
	f->hello_on_resume = on;
}

void
fake_mm_ws_echo_posts(struct fake_mm *f, int on)
{
	f->echo_posts = on;
}

/* Waiting. */

/* fake_mm_wait()'s condition in the shape fake_server_wait() calls. */
struct fake_wait {
	struct fake_mm *f;
	int (*done)(struct fake_mm *, void *);
	void *arg;
};

static int
fake_wait_done(void *arg)
{
	struct fake_wait *w = arg;

	return w->done(w->f, w->arg);
}

int
fake_mm_wait(struct fake_mm *f, int (*done)(struct fake_mm *, void *),
	     void *arg, uint64_t timeout_ms)
{
	struct fake_wait w = { f, done, arg };

	return fake_server_wait(f->loop, fake_wait_done, &w, timeout_ms);
}

/* Connections. */

/* Take c from its session: nothing more is sent to it. */
static void
fake_conn_detach(struct fake_server_conn *c)
{
	struct fake_session *s = c->data;

	if (s != NULL && s->conn == c)
		s->conn = NULL;
	c->data = NULL;
}

/* HTTP. */

static void
fake_request_release(struct fake_mm_request *r)
{
	fake_server_headers_free(r->headers, r->nheaders);
	free(r->method);
	free(r->target);
	free(r->path);
	free(r->body);
}

/* A complete request on c: record it and answer it. */
static void
fake_on_request(struct fake_server_conn *c, struct fake_server_request *in)
{
	struct fake_mm *f = c->owner;
	struct fake_mm_request *r;

	f->requests =
	    xreallocarray(f->requests, f->nrequests + 1, sizeof *f->requests);
	r = &f->requests[f->nrequests++];
	memset(r, 0, sizeof *r);
	r->method = in->method;
	r->target = in->target;
	r->path = in->path;
	r->headers = in->headers;
	r->nheaders = in->nheaders;
	r->body = in->body;
	r->body_len = in->body_len;
	fake_handle(c, f->nrequests - 1);
}

/* The login deadline passed (a connection without a session). */
static void
fake_ws_timer(struct fake_server_conn *c)
{
	if (c->data == NULL)
		fake_server_conn_close(c);
}

/* Mattermost's error body; caller frees. */
static char *
fake_error_body(struct fake_mm *f, int status, const char *id,
		const char *message)
{
	struct json_object *o = json_object_new_object();
	char rid[27];
	char *s;

	fake_make_id(f, "req", rid);
	json_object_object_add(o, "id", json_object_new_string(id));
	json_object_object_add(o, "message", json_object_new_string(message));
	json_object_object_add(o, "detailed_error", json_object_new_string(""));
	json_object_object_add(o, "request_id", json_object_new_string(rid));
	json_object_object_add(o, "status_code", json_object_new_int(status));
	s = xstrdup(json_object_to_json_string_ext(
	    o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return s;
}

/* The answer to a scripted failure; caller frees, length in *len. */
static char *
fake_failure(struct fake_mm *f, const struct fake_script *s, size_t *len)
{
	char *body, *headers, *out;

	if (s->status == 429) {
		headers = s->retry_after >= 0
			      ? xasprintf("Content-Type: text/plain\r\n"
					  "Retry-After: %d\r\n"
					  "X-Ratelimit-Limit: 10\r\n"
					  "X-Ratelimit-Remaining: 0\r\n"
					  "X-Ratelimit-Reset: %d\r\n",
					  s->retry_after, s->retry_after)
			      : xstrdup("Content-Type: text/plain\r\n");
		out = fake_server_response(429, headers, "limit exceeded",
					   strlen("limit exceeded"), len);
		free(headers);
		return out;
	}
	body = fake_error_body(f, s->status, "fake_mm.scripted.app_error",
			       "The fake server was told to fail this "
			       "request.");
	out = fake_server_response(s->status,
				   "Content-Type: application/json\r\n", body,
				   strlen(body), len);
	free(body);
	return out;
}

/* Answer request ri of c: script, WebSocket upgrade or REST. */
static void
fake_handle(struct fake_server_conn *c, size_t ri)
{
	struct fake_mm *f = c->owner;
	struct fake_mm_request *r = &f->requests[ri];
	const struct fake_script *s;
	char *body, *out;
	size_t len;
	int status;

	s = fake_script_take(f, r);
	if (s != NULL && s->kind == FAKE_SCRIPT_HANG) {
		fake_server_hang(c);
		return;
	}
	if (s != NULL && s->kind == FAKE_SCRIPT_FAIL) {
		r->status = s->status;
		out = fake_failure(f, s, &len);
		fake_server_send(c, out, len, 0);
		return;
	}
	if (strcmp(r->method, "GET") == 0 &&
	    (strcmp(r->path, "/api/v4/websocket") == 0 ||
	     strcmp(r->path, "/api/v4/websocket/") == 0)) {
		fake_ws_upgrade(c, ri);
		return;
	}
	status = fake_rest(f, r, &body);
	r->status = status;
	out = fake_server_response(status, "Content-Type: application/json\r\n",
				   body, strlen(body), &len);
	free(body);
	if (s != NULL && s->kind == FAKE_SCRIPT_SLOW) {
		fake_server_send_later(c, out, len, s->delay_ms);
		return;
	}
	fake_server_send(c, out, len, 0);
}

/* REST. */

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

/* Set *out to an error body and return status. */
static int
fake_err(struct json_object **out, int status, const char *id,
	 const char *message)
{
	struct json_object *o = json_object_new_object();

	fake_json_add(o, "id", id);
	fake_json_add(o, "message", message);
	json_object_object_add(o, "status_code", json_object_new_int(status));
	*out = o;
	return status;
}

static int
fake_bad_body(struct json_object **out)
{
	return fake_err(out, 400, "api.context.invalid_body_param.app_error",
			"Invalid or missing body in request body.");
}

/* The request body as JSON of type, or NULL. Caller puts. */
static struct json_object *
fake_body(const struct fake_mm_request *r, enum json_type type)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *o;

	o = json_tokener_parse_ex(tok, r->body, (int)r->body_len);
	if (o != NULL && (json_tokener_get_error(tok) != json_tokener_success ||
			  !json_object_is_type(o, type))) {
		json_object_put(o);
		o = NULL;
	}
	json_tokener_free(tok);
	return o;
}

/* String member key of o, or NULL. */
static const char *
fake_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static const struct fake_user *
fake_user_by_id(const struct fake_mm *f, const char *id)
{
	size_t i;

	for (i = 0; i < f->nusers; i++) {
		if (strcmp(f->users[i].id, id) == 0)
			return &f->users[i];
	}
	return NULL;
}

static const struct fake_user *
fake_user_by_name(const struct fake_mm *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->nusers; i++) {
		if (strcmp(f->users[i].username, name) == 0)
			return &f->users[i];
	}
	return NULL;
}

static const struct fake_channel *
fake_channel_by_id(const struct fake_mm *f, const char *id)
{
	size_t i;

	for (i = 0; i < f->nchannels; i++) {
		if (strcmp(f->channels[i].id, id) == 0)
			return &f->channels[i];
	}
	return NULL;
}

static struct json_object *
fake_user_json(const struct fake_mm *f, const struct fake_user *u)
{
	struct json_object *o = json_object_new_object();
	struct json_object *tz = json_object_new_object();
	char *email = xasprintf("%s@example.com", u->username);

	(void)f;
	fake_json_add(o, "id", u->id);
	json_object_object_add(o, "create_at",
			       json_object_new_int64(FAKE_MM_EPOCH_MS));
	json_object_object_add(o, "update_at",
			       json_object_new_int64(FAKE_MM_EPOCH_MS));
	json_object_object_add(o, "delete_at", json_object_new_int64(0));
	fake_json_add(o, "username", u->username);
	fake_json_add(o, "auth_data", "");
	fake_json_add(o, "auth_service", "");
	fake_json_add(o, "email", email);
	fake_json_add(o, "nickname", "");
	fake_json_add(o, "first_name", u->is_bot ? u->username : "");
	fake_json_add(o, "last_name", "");
	fake_json_add(o, "position", "");
	fake_json_add(o, "roles", "system_user");
	fake_json_add(o, "locale", "en");
	fake_json_add(tz, "automaticTimezone", "");
	fake_json_add(tz, "manualTimezone", "");
	fake_json_add(tz, "useAutomaticTimezone", "true");
	json_object_object_add(o, "timezone", tz);
	if (u->is_bot) {
		json_object_object_add(o, "is_bot", json_object_new_boolean(1));
		fake_json_add(o, "bot_description", "");
	}
	free(email);
	return o;
}

static struct json_object *
fake_channel_json(const struct fake_channel *c)
{
	struct json_object *o = json_object_new_object();

	fake_json_add(o, "id", c->id);
	json_object_object_add(o, "create_at",
			       json_object_new_int64(FAKE_MM_EPOCH_MS));
	json_object_object_add(o, "update_at",
			       json_object_new_int64(FAKE_MM_EPOCH_MS));
	json_object_object_add(o, "delete_at", json_object_new_int64(0));
	fake_json_add(o, "team_id", c->team_id);
	fake_json_add(o, "type", c->type);
	fake_json_add(o, "display_name",
		      strcmp(c->type, "D") == 0 ? "" : c->name);
	fake_json_add(o, "name", c->name);
	fake_json_add(o, "header", "");
	fake_json_add(o, "purpose", "");
	fake_json_add(o, "creator_id", "");
	return o;
}

static struct json_object *
fake_post_json(const struct fake_mm_post *p)
{
	struct json_object *o = json_object_new_object();

	fake_json_add(o, "id", p->id);
	json_object_object_add(o, "create_at",
			       json_object_new_int64(p->create_at));
	json_object_object_add(o, "update_at",
			       json_object_new_int64(p->create_at + p->edits));
	json_object_object_add(
	    o, "edit_at",
	    json_object_new_int64(p->edits > 0 ? p->create_at + p->edits : 0));
	json_object_object_add(o, "delete_at", json_object_new_int64(0));
	json_object_object_add(o, "is_pinned", json_object_new_boolean(0));
	fake_json_add(o, "user_id", p->user_id);
	fake_json_add(o, "channel_id", p->channel_id);
	fake_json_add(o, "root_id", p->root_id);
	fake_json_add(o, "original_id", "");
	fake_json_add(o, "message", p->message);
	fake_json_add(o, "type", "");
	json_object_object_add(o, "props", json_object_new_object());
	fake_json_add(o, "hashtags", "");
	fake_json_add(o, "pending_post_id", p->pending_post_id);
	json_object_object_add(o, "reply_count", json_object_new_int(0));
	json_object_object_add(o, "last_reply_at", json_object_new_int64(0));
	json_object_object_add(o, "participants", NULL);
	json_object_object_add(o, "metadata", json_object_new_object());
	return o;
}

static int
fake_user_not_found(struct json_object **out)
{
	return fake_err(out, 404, "app.user.missing_account.const",
			"Unable to find the user.");
}

static int
fake_rest_user(struct fake_mm *f, const struct fake_mm_request *r,
	       char *const *seg, struct json_object **out)
{
	const struct fake_user *u;

	(void)r;
	u = fake_user_by_id(f, strcmp(seg[0], "me") == 0 ? FAKE_MM_BOT_ID
							 : seg[0]);
	if (u == NULL)
		return fake_user_not_found(out);
	*out = fake_user_json(f, u);
	return 200;
}

static int
fake_rest_username(struct fake_mm *f, const struct fake_mm_request *r,
		   char *const *seg, struct json_object **out)
{
	const struct fake_user *u = fake_user_by_name(f, seg[0]);

	(void)r;
	if (u == NULL)
		return fake_user_not_found(out);
	*out = fake_user_json(f, u);
	return 200;
}

/* POST /users/ids or /users/usernames: the users found, in order. */
static int
fake_rest_users(struct fake_mm *f, const struct fake_mm_request *r, int by_name,
		struct json_object **out)
{
	struct json_object *in = fake_body(r, json_type_array), *v;
	const struct fake_user *u;
	size_t i;

	if (in == NULL || json_object_array_length(in) == 0) {
		json_object_put(in);
		return fake_bad_body(out);
	}
	*out = json_object_new_array();
	for (i = 0; i < json_object_array_length(in); i++) {
		v = json_object_array_get_idx(in, i);
		if (!json_object_is_type(v, json_type_string))
			continue;
		u = by_name ? fake_user_by_name(f, json_object_get_string(v))
			    : fake_user_by_id(f, json_object_get_string(v));
		if (u != NULL)
			json_object_array_add(*out, fake_user_json(f, u));
	}
	json_object_put(in);
	return 200;
}

static int
fake_rest_user_ids(struct fake_mm *f, const struct fake_mm_request *r,
		   char *const *seg, struct json_object **out)
{
	(void)seg;
	return fake_rest_users(f, r, 0, out);
}

static int
fake_rest_usernames(struct fake_mm *f, const struct fake_mm_request *r,
		    char *const *seg, struct json_object **out)
{
	(void)seg;
	return fake_rest_users(f, r, 1, out);
}

static int
fake_channel_not_found(struct json_object **out)
{
	return fake_err(out, 404, "app.channel.get.existing.app_error",
			"Unable to find the existing channel.");
}

static int
fake_rest_channel(struct fake_mm *f, const struct fake_mm_request *r,
		  char *const *seg, struct json_object **out)
{
	const struct fake_channel *c = fake_channel_by_id(f, seg[0]);

	(void)r;
	if (c == NULL)
		return fake_channel_not_found(out);
	*out = fake_channel_json(c);
	return 200;
}

/* Query parameter name of target as a number; def when absent. */
static long long
fake_query_number(const char *target, const char *name, long long def)
{
	const char *q = strchr(target, '?'), *p;
	size_t len = strlen(name);
	char *end;
	long long v;

	for (p = q; p != NULL; p = strchr(p + 1, '&')) {
		if (strncmp(p + 1, name, len) != 0 || p[1 + len] != '=')
			continue;
		v = strtoll(p + 2 + len, &end, 10);
		return end != p + 2 + len ? v : def;
	}
	return def;
}

static int
fake_post_newer(const void *a, const void *b)
{
	int64_t x = json_object_get_int64(json_object_object_get(
		    *(struct json_object *const *)a, "create_at")),
		y = json_object_get_int64(json_object_object_get(
		    *(struct json_object *const *)b, "create_at"));

	return (x < y) - (x > y);
}

/*
 * GET /channels/{id}/posts: a PostList of the channel's posts, newest
 * first: the bot's (POST /posts) and those of "posted" events pushed.
 * With since, those updated after it (as Mattermost's getPostsSince);
 * without, the newest per_page (default 60).
 */
static int
fake_rest_channel_posts(struct fake_mm *f, const struct fake_mm_request *r,
			char *const *seg, struct json_object **out)
{
	long long since = fake_query_number(r->target, "since", -1);
	long long per_page = fake_query_number(r->target, "per_page", 60);
	struct json_object **all, *o, *order, *posts, *v;
	size_t i, n = 0;

	all = xreallocarray(NULL, f->nposts + f->nevent_posts + 1, sizeof *all);
	for (i = 0; i < f->nposts; i++)
		if (strcmp(f->posts[i].channel_id, seg[0]) == 0)
			all[n++] = fake_post_json(&f->posts[i]);
	for (i = 0; i < f->nevent_posts; i++) {
		v = json_object_object_get(f->event_posts[i], "channel_id");
		if (strcmp(json_object_get_string(v), seg[0]) == 0)
			all[n++] = json_object_get(f->event_posts[i]);
	}
	qsort(all, n, sizeof *all, fake_post_newer);
	if (per_page < 1 || per_page > FAKE_MM_POSTS_PAGE)
		per_page = FAKE_MM_POSTS_PAGE;
	o = json_object_new_object();
	order = json_object_new_array();
	posts = json_object_new_object();
	for (i = 0; i < n; i++) {
		v = json_object_object_get(all[i], "update_at");
		if ((since >= 0 && json_object_get_int64(v) <= since) ||
		    (since < 0 &&
		     json_object_array_length(order) >= (size_t)per_page) ||
		    json_object_array_length(order) >= FAKE_MM_POSTS_PAGE) {
			json_object_put(all[i]);
			continue;
		}
		v = json_object_object_get(all[i], "id");
		json_object_array_add(order, json_object_get(v));
		json_object_object_add(posts, json_object_get_string(v),
				       all[i]);
	}
	free(all);
	json_object_object_add(o, "order", order);
	json_object_object_add(o, "posts", posts);
	fake_json_add(o, "next_post_id", "");
	fake_json_add(o, "prev_post_id", "");
	json_object_object_add(o, "has_next", json_object_new_boolean(0));
	*out = o;
	return 200;
}

static const struct fake_team *
fake_team_by_name(const struct fake_mm *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->nteams; i++) {
		if (strcmp(f->teams[i].name, name) == 0)
			return &f->teams[i];
	}
	return NULL;
}

static int
fake_team_not_found(struct json_object **out)
{
	return fake_err(out, 404, "app.team.get_by_name.missing.app_error",
			"Unable to find the existing team.");
}

static int
fake_rest_team(struct fake_mm *f, const struct fake_mm_request *r,
	       char *const *seg, struct json_object **out)
{
	const struct fake_team *t = fake_team_by_name(f, seg[0]);
	struct json_object *o;

	(void)r;
	if (t == NULL)
		return fake_team_not_found(out);
	o = json_object_new_object();
	fake_json_add(o, "id", t->id);
	json_object_object_add(o, "create_at",
			       json_object_new_int64(FAKE_MM_EPOCH_MS));
	json_object_object_add(o, "update_at",
			       json_object_new_int64(FAKE_MM_EPOCH_MS));
	json_object_object_add(o, "delete_at", json_object_new_int64(0));
	fake_json_add(o, "display_name", t->name);
	fake_json_add(o, "name", t->name);
	fake_json_add(o, "description", "");
	fake_json_add(o, "type", "O");
	*out = o;
	return 200;
}

/* The channel called name in team_id. */
static int
fake_channel_by_name(struct fake_mm *f, const char *team_id, const char *name,
		     struct json_object **out)
{
	size_t i;

	for (i = 0; i < f->nchannels; i++) {
		if (strcmp(f->channels[i].team_id, team_id) == 0 &&
		    strcmp(f->channels[i].name, name) == 0) {
			*out = fake_channel_json(&f->channels[i]);
			return 200;
		}
	}
	return fake_channel_not_found(out);
}

static int
fake_rest_team_channel(struct fake_mm *f, const struct fake_mm_request *r,
		       char *const *seg, struct json_object **out)
{
	(void)r;
	return fake_channel_by_name(f, seg[0], seg[1], out);
}

static int
fake_rest_team_name_channel(struct fake_mm *f, const struct fake_mm_request *r,
			    char *const *seg, struct json_object **out)
{
	const struct fake_team *t = fake_team_by_name(f, seg[0]);

	(void)r;
	if (t == NULL)
		return fake_team_not_found(out);
	return fake_channel_by_name(f, t->id, seg[1], out);
}

/* Check a post's channel and message; 0 or an error status. */
static int
fake_check_post(const char *channel_id, const char *message,
		struct json_object **out)
{
	if (channel_id == NULL || strlen(channel_id) != 26)
		return fake_err(out, 400, "api.context.invalid_param.app_error",
				"Invalid or missing channel_id in request "
				"body.");
	if (message == NULL || !utf8_valid(message, strlen(message)))
		return fake_bad_body(out);
	if (utf8_count(message, strlen(message)) > FAKE_MM_MAX_POST)
		return fake_err(out, 400, "model.post.is_valid.msg.app_error",
				"Invalid message.");
	return 0;
}

static int
fake_rest_post(struct fake_mm *f, const struct fake_mm_request *r,
	       char *const *seg, struct json_object **out)
{
	struct json_object *in = fake_body(r, json_type_object);
	const char *channel_id, *message, *pending, *root_id;
	const struct fake_channel *ch;
	struct fake_mm_post *p;
	char id[27], *data;
	size_t i;
	int status;

	(void)seg;
	if (in == NULL)
		return fake_bad_body(out);
	channel_id = fake_str(in, "channel_id");
	message = fake_str(in, "message");
	pending = fake_str(in, "pending_post_id");
	root_id = fake_str(in, "root_id");
	status = fake_check_post(channel_id, message, out);
	if (status != 0) {
		json_object_put(in);
		return status;
	}
	if (pending != NULL && *pending != '\0') {
		for (i = 0; i < f->nposts; i++) {
			p = &f->posts[i];
			if (strcmp(p->pending_post_id, pending) == 0) {
				p->duplicates++;
				*out = fake_post_json(p);
				json_object_put(in);
				return 201;
			}
		}
	}
	f->posts = xreallocarray(f->posts, f->nposts + 1, sizeof *f->posts);
	p = &f->posts[f->nposts++];
	memset(p, 0, sizeof *p);
	fake_make_id(f, "post", id);
	p->id = xstrdup(id);
	p->channel_id = xstrdup(channel_id);
	p->user_id = xstrdup(FAKE_MM_BOT_ID);
	p->message = xstrdup(message);
	p->pending_post_id = xstrdup(pending != NULL ? pending : "");
	p->root_id = xstrdup(root_id != NULL ? root_id : "");
	p->create_at = f->now_ms++;
	*out = fake_post_json(p);
	json_object_put(in);
	if (f->echo_posts) {
		ch = fake_channel_by_id(f, p->channel_id);
		data = fake_posted_data(f, p->channel_id, p->user_id,
					p->message, ch != NULL ? ch->type : "O",
					fake_post_json(p));
		fake_push_posted(f, p->channel_id, data);
		free(data);
	}
	return 201;
}

static int
fake_rest_ephemeral(struct fake_mm *f, const struct fake_mm_request *r,
		    char *const *seg, struct json_object **out)
{
	struct json_object *in = fake_body(r, json_type_object), *post;
	const char *user_id, *channel_id, *message;
	struct fake_mm_ephemeral *e;
	struct fake_mm_post p;
	char id[27];
	int status;

	(void)seg;
	if (in == NULL)
		return fake_bad_body(out);
	user_id = fake_str(in, "user_id");
	if (!json_object_object_get_ex(in, "post", &post) ||
	    !json_object_is_type(post, json_type_object) || user_id == NULL ||
	    strlen(user_id) != 26) {
		json_object_put(in);
		return fake_bad_body(out);
	}
	channel_id = fake_str(post, "channel_id");
	message = fake_str(post, "message");
	status = fake_check_post(channel_id, message, out);
	if (status != 0) {
		json_object_put(in);
		return status;
	}
	f->ephemerals = xreallocarray(f->ephemerals, f->nephemerals + 1,
				      sizeof *f->ephemerals);
	e = &f->ephemerals[f->nephemerals++];
	e->user_id = xstrdup(user_id);
	e->channel_id = xstrdup(channel_id);
	e->message = xstrdup(message);

	memset(&p, 0, sizeof p);
	fake_make_id(f, "ephm", id);
	p.id = id;
	p.channel_id = e->channel_id;
	p.user_id = (char *)FAKE_MM_BOT_ID;
	p.message = e->message;
	p.pending_post_id = (char *)"";
	p.root_id = (char *)"";
	p.create_at = f->now_ms++;
	*out = fake_post_json(&p);
	json_object_put(in);
	return 201;
}

/* PUT /posts/{id}[/patch]: a new message (or "" for a full update). */
static int
fake_edit(struct fake_mm *f, const struct fake_mm_request *r, const char *id,
	  int patch, struct json_object **out)
{
	struct json_object *in = fake_body(r, json_type_object);
	struct fake_mm_post *p =
	    (struct fake_mm_post *)fake_mm_post_find(f, id);
	const char *message, *body_id;

	if (in == NULL)
		return fake_bad_body(out);
	if (p == NULL) {
		json_object_put(in);
		return fake_err(out, 404, "app.post.get.app_error",
				"Unable to get the post.");
	}
	body_id = fake_str(in, "id");
	if (!patch && (body_id == NULL || strcmp(body_id, id) != 0)) {
		json_object_put(in);
		return fake_err(out, 400, "api.context.invalid_param.app_error",
				"Invalid or missing id in request body.");
	}
	message = fake_str(in, "message");
	if (message == NULL && !patch)
		message = "";
	if (message != NULL) {
		if (!utf8_valid(message, strlen(message)) ||
		    utf8_count(message, strlen(message)) > FAKE_MM_MAX_POST) {
			json_object_put(in);
			return fake_err(out, 400,
					"model.post.is_valid.msg.app_error",
					"Invalid message.");
		}
		free(p->message);
		p->message = xstrdup(message);
	}
	p->edits++;
	*out = fake_post_json(p);
	json_object_put(in);
	return 200;
}

static int
fake_rest_patch(struct fake_mm *f, const struct fake_mm_request *r,
		char *const *seg, struct json_object **out)
{
	return fake_edit(f, r, seg[0], 1, out);
}

static int
fake_rest_update(struct fake_mm *f, const struct fake_mm_request *r,
		 char *const *seg, struct json_object **out)
{
	return fake_edit(f, r, seg[0], 0, out);
}

static int
fake_rest_reaction(struct fake_mm *f, const struct fake_mm_request *r,
		   char *const *seg, struct json_object **out)
{
	struct json_object *in = fake_body(r, json_type_object), *o;
	const char *user_id, *post_id, *emoji;
	struct fake_mm_reaction *x;

	(void)seg;
	user_id = fake_str(in, "user_id");
	post_id = fake_str(in, "post_id");
	emoji = fake_str(in, "emoji_name");
	if (user_id == NULL || post_id == NULL || emoji == NULL ||
	    strlen(post_id) != 26 || *emoji == '\0') {
		json_object_put(in);
		return fake_bad_body(out);
	}
	if (strcmp(user_id, FAKE_MM_BOT_ID) != 0) {
		json_object_put(in);
		return fake_err(out, 403, "api.context.permissions.app_error",
				"You do not have the appropriate "
				"permissions.");
	}
	f->reactions = xreallocarray(f->reactions, f->nreactions + 1,
				     sizeof *f->reactions);
	x = &f->reactions[f->nreactions++];
	x->user_id = xstrdup(user_id);
	x->post_id = xstrdup(post_id);
	x->emoji_name = xstrdup(emoji);
	o = json_object_new_object();
	fake_json_add(o, "user_id", user_id);
	fake_json_add(o, "post_id", post_id);
	fake_json_add(o, "emoji_name", emoji);
	json_object_object_add(o, "create_at",
			       json_object_new_int64(f->now_ms++));
	*out = o;
	json_object_put(in);
	return 201;
}

static int
fake_rest_direct(struct fake_mm *f, const struct fake_mm_request *r,
		 char *const *seg, struct json_object **out)
{
	struct json_object *in = fake_body(r, json_type_array), *a, *b;
	struct fake_mm_direct *d;
	const struct fake_channel *c;
	char id[27], *name;

	(void)seg;
	if (in == NULL || json_object_array_length(in) != 2) {
		json_object_put(in);
		return fake_bad_body(out);
	}
	a = json_object_array_get_idx(in, 0);
	b = json_object_array_get_idx(in, 1);
	if (!json_object_is_type(a, json_type_string) ||
	    !json_object_is_type(b, json_type_string) ||
	    json_object_get_string_len(a) != 26 ||
	    json_object_get_string_len(b) != 26) {
		json_object_put(in);
		return fake_bad_body(out);
	}
	fake_mm_direct_id(json_object_get_string(a), json_object_get_string(b),
			  id);
	if (fake_channel_by_id(f, id) == NULL) {
		name = fake_direct_name(json_object_get_string(a),
					json_object_get_string(b));
		fake_mm_add_channel(f, id, "", name, "D");
		free(name);
	}
	c = fake_channel_by_id(f, id);
	f->directs =
	    xreallocarray(f->directs, f->ndirects + 1, sizeof *f->directs);
	d = &f->directs[f->ndirects++];
	d->user_a = xstrdup(json_object_get_string(a));
	d->user_b = xstrdup(json_object_get_string(b));
	d->channel_id = xstrdup(id);
	*out = fake_channel_json(c);
	json_object_put(in);
	return 201;
}

/* The Command JSON for commands[i]. */
static struct json_object *
fake_command_json(const struct fake_mm_command *c)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *o;

	o = json_tokener_parse_ex(tok, c->body, (int)strlen(c->body));
	json_tokener_free(tok);
	if (o == NULL || !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		o = json_object_new_object();
	}
	fake_json_add(o, "id", c->id);
	fake_json_add(o, "token", FAKE_MM_COMMAND_TOKEN);
	fake_json_add(o, "creator_id", FAKE_MM_BOT_ID);
	fake_json_add(o, "trigger", c->trigger);
	json_object_object_add(o, "create_at",
			       json_object_new_int64(FAKE_MM_EPOCH_MS));
	json_object_object_add(o, "update_at",
			       json_object_new_int64(FAKE_MM_EPOCH_MS));
	json_object_object_add(o, "delete_at", json_object_new_int64(0));
	return o;
}

static int
fake_rest_command(struct fake_mm *f, const struct fake_mm_request *r,
		  char *const *seg, struct json_object **out)
{
	struct json_object *in = fake_body(r, json_type_object);
	const char *team_id, *trigger, *method, *url;
	struct fake_mm_command *c;
	char id[27], *lower;
	size_t i;

	(void)seg;
	team_id = fake_str(in, "team_id");
	trigger = fake_str(in, "trigger");
	method = fake_str(in, "method");
	url = fake_str(in, "url");
	if (team_id == NULL || trigger == NULL || method == NULL ||
	    url == NULL || *trigger == '\0' || strlen(trigger) > 128 ||
	    trigger[0] == '/' || strchr(trigger, ' ') != NULL ||
	    (strcmp(method, "P") != 0 && strcmp(method, "G") != 0) ||
	    (strncmp(url, "http://", 7) != 0 &&
	     strncmp(url, "https://", 8) != 0)) {
		json_object_put(in);
		return fake_err(out, 400, "model.command.is_valid.app_error",
				"Invalid command.");
	}
	lower = xstrdup(trigger);
	for (i = 0; lower[i] != '\0'; i++)
		lower[i] = (char)tolower((unsigned char)lower[i]);
	for (i = 0; i < f->ncommands; i++) {
		if (strcmp(f->commands[i].team_id, team_id) == 0 &&
		    strcmp(f->commands[i].trigger, lower) == 0) {
			free(lower);
			json_object_put(in);
			return fake_err(
			    out, 400, "api.command.duplicate_trigger.app_error",
			    "This trigger word is already in use.");
		}
	}
	f->commands =
	    xreallocarray(f->commands, f->ncommands + 1, sizeof *f->commands);
	c = &f->commands[f->ncommands++];
	fake_make_id(f, "cmnd", id);
	c->id = xstrdup(id);
	c->team_id = xstrdup(team_id);
	c->trigger = lower;
	c->method = xstrdup(method);
	c->url = xstrdup(url);
	c->body = xstrdup(r->body);
	*out = fake_command_json(c);
	json_object_put(in);
	return 201;
}

/* The value of query parameter name in target (not decoded), or NULL. */
static char *
fake_query(const char *target, const char *name)
{
	const char *q = strchr(target, '?'), *end;
	size_t len = strlen(name);

	if (q == NULL)
		return NULL;
	for (q++; *q != '\0'; q = *end == '&' ? end + 1 : end) {
		end = q + strcspn(q, "&");
		if (strncmp(q, name, len) == 0 && q[len] == '=')
			return xstrndup(q + len + 1,
					(size_t)(end - q - len - 1));
	}
	return NULL;
}

static int
fake_rest_commands(struct fake_mm *f, const struct fake_mm_request *r,
		   char *const *seg, struct json_object **out)
{
	char *team_id = fake_query(r->target, "team_id");
	size_t i;

	(void)seg;
	*out = json_object_new_array();
	for (i = 0; i < f->ncommands; i++) {
		if (team_id == NULL ||
		    strcmp(f->commands[i].team_id, team_id) == 0)
			json_object_array_add(
			    *out, fake_command_json(&f->commands[i]));
	}
	free(team_id);
	return 200;
}

static int
fake_rest_config(struct fake_mm *f, const struct fake_mm_request *r,
		 char *const *seg, struct json_object **out)
{
	struct json_object *o = json_object_new_object();
	char *max = xasprintf("%d", FAKE_MM_MAX_POST);

	(void)f;
	(void)r;
	(void)seg;
	fake_json_add(o, "MaxPostSize", max);
	fake_json_add(o, "Version", "9.11.0");
	fake_json_add(o, "BuildNumber", "9.11.0");
	fake_json_add(o, "SiteName", "Fake Mattermost");
	free(max);
	*out = o;
	return 200;
}

/* Route r: 404, 401 or the handler's answer; *body is the JSON text. */
static int
fake_rest(struct fake_mm *f, const struct fake_mm_request *r, char **body)
{
	const struct fake_route *route = NULL;
	char *caps[FAKE_MM_MAX_SEGMENTS], *detail;
	struct json_object *out = NULL;
	const char *auth;
	size_t i, ncaps = 0;
	int status;

	for (i = 0; i < sizeof fake_routes / sizeof fake_routes[0]; i++) {
		if (strcmp(fake_routes[i].method, r->method) == 0 &&
		    fake_match(fake_routes[i].pattern, r->path, caps, &ncaps)) {
			route = &fake_routes[i];
			break;
		}
	}
	if (route == NULL) {
		detail = xasprintf("There doesn't appear to be an api call "
				   "for the url='%s'.",
				   r->path);
		*body = fake_error_body(f, 404, "api.context.404.app_error",
					detail);
		free(detail);
		return 404;
	}
	auth = fake_mm_header(r, "Authorization");
	if (auth == NULL || strncmp(auth, "Bearer ", 7) != 0 ||
	    strcmp(auth + 7, f->token) != 0) {
		for (i = 0; i < ncaps; i++)
			free(caps[i]);
		*body = fake_error_body(
		    f, 401, "api.context.session_expired.app_error",
		    "Invalid or expired session, please login again.");
		return 401;
	}
	status = route->fn(f, r, caps, &out);
	for (i = 0; i < ncaps; i++)
		free(caps[i]);
	if (status >= 400) {
		*body = fake_error_body(
		    f, status,
		    json_object_get_string(json_object_object_get(out, "id")),
		    json_object_get_string(
			json_object_object_get(out, "message")));
		json_object_put(out);
		return status;
	}
	*body = fake_json_take(out);
	return status;
}

/* WebSocket. */

/*
 * The start of an event frame without seq: '{"event":...,"seq":'. data
 * and broadcast must be JSON objects. Caller frees.
 */
static char *
fake_event_prefix(const char *event, const char *data, const char *broadcast)
{
	struct json_object *o = json_object_new_object(), *d, *b;
	char *s, *prefix;
	size_t len;

	d = json_tokener_parse(data);
	b = broadcast != NULL ? json_tokener_parse(broadcast) : NULL;
	if (d == NULL || !json_object_is_type(d, json_type_object) ||
	    (broadcast != NULL &&
	     (b == NULL || !json_object_is_type(b, json_type_object))))
		fatal("fake_mm_ws_push: data or broadcast is no JSON object");
	if (b == NULL) {
		b = json_object_new_object();
		json_object_object_add(b, "omit_users", NULL);
		fake_json_add(b, "user_id", "");
		fake_json_add(b, "channel_id", "");
		fake_json_add(b, "team_id", "");
		fake_json_add(b, "connection_id", "");
		fake_json_add(b, "omit_connection_id", "");
	}
	fake_json_add(o, "event", event);
	json_object_object_add(o, "data", d);
	json_object_object_add(o, "broadcast", b);
	s = fake_json_take(o);
	len = strlen(s);
	s[len - 1] = '\0'; /* the closing brace */
	prefix = xasprintf("%s,\"seq\":", s);
	free(s);
	return prefix;
}

/* Number prefix's event with s's next seq, keep it, send it if online. */
static void
fake_session_event(struct fake_session *s, const char *prefix)
{
	uint64_t seq = s->next_seq++;
	char *frame = xasprintf("%s%" PRIu64 "}", prefix, seq);

	free(s->replay[seq % FAKE_MM_REPLAY]);
	s->replay[seq % FAKE_MM_REPLAY] = frame;
	if (s->conn != NULL)
		fake_server_ws_text(s->conn, frame);
}

static void
fake_session_hello(struct fake_session *s)
{
	char *data, *broadcast, *prefix;

	data = xasprintf("{\"connection_id\":\"%s\",\"server_version\":\"%s\"}",
			 s->id, FAKE_MM_SERVER_VERSION);
	broadcast =
	    xstrdup("{\"omit_users\":null,\"user_id\":\"" FAKE_MM_BOT_ID
		    "\",\"channel_id\":\"\",\"team_id\":\"\","
		    "\"connection_id\":\"\",\"omit_connection_id\":\"\"}");
	prefix = fake_event_prefix("hello", data, broadcast);
	fake_session_event(s, prefix);
	free(prefix);
	free(data);
	free(broadcast);
}

/*
 * Keep the post of a "posted" event's data for GET /channels/{id}/posts,
 * unless it is one of the bot's (an echo) or not a post with an id and a
 * channel.
 */
static void
fake_keep_event_post(struct fake_mm *f, const char *data)
{
	struct json_object *d = json_tokener_parse(data), *v, *post = NULL;

	if (d != NULL && json_object_object_get_ex(d, "post", &v) &&
	    json_object_is_type(v, json_type_string))
		post = json_tokener_parse(json_object_get_string(v));
	json_object_put(d);
	if (post == NULL || !json_object_is_type(post, json_type_object) ||
	    !json_object_object_get_ex(post, "id", &v) ||
	    !json_object_is_type(v, json_type_string) ||
	    fake_mm_post_find(f, json_object_get_string(v)) != NULL ||
	    !json_object_object_get_ex(post, "channel_id", &v) ||
	    !json_object_is_type(v, json_type_string) ||
	    f->nevent_posts == FAKE_MM_KEPT_POSTS) {
		json_object_put(post);
		return;
	}
	f->event_posts = xreallocarray(f->event_posts, f->nevent_posts + 1,
				       sizeof *f->event_posts);
	f->event_posts[f->nevent_posts++] = post;
}

void
fake_mm_ws_push(struct fake_mm *f, const char *event, const char *data,
		const char *broadcast)
{
	char *prefix = fake_event_prefix(event, data, broadcast);
	size_t i;

	if (strcmp(event, "posted") == 0)
		fake_keep_event_post(f, data);
	for (i = 0; i < f->nsessions; i++)
		fake_session_event(f->sessions[i], prefix);
	free(prefix);
}

static void
fake_session_free(struct fake_mm *f, struct fake_session *s)
{
	size_t i;

	(void)f;
	if (s->conn != NULL) {
		s->conn->data = NULL;
		fake_server_conn_close(s->conn);
	}
	for (i = 0; i < FAKE_MM_REPLAY; i++)
		free(s->replay[i]);
	free(s);
}

static struct fake_session *
fake_session_find(struct fake_mm *f, const char *id)
{
	size_t i;

	for (i = 0; i < f->nsessions; i++) {
		if (strcmp(f->sessions[i]->id, id) == 0)
			return f->sessions[i];
	}
	return NULL;
}

/* Attach c to s, dropping a connection s still had. */
static void
fake_session_attach(struct fake_session *s, struct fake_server_conn *c)
{
	struct fake_server_conn *old = s->conn;

	if (old != NULL && old != c) {
		old->data = NULL;
		s->conn = NULL;
		fake_server_conn_close(old);
	}
	s->conn = c;
	c->data = s;
	fake_server_timer_stop(c);
}

/* Log c in under a fresh connection id and say hello. */
static void
fake_ws_login(struct fake_server_conn *c)
{
	struct fake_mm *f = c->owner;
	struct fake_session *s;
	size_t i, drop = 0;

	if (f->nsessions == FAKE_MM_MAX_SESSIONS) {
		for (i = 0; i < f->nsessions; i++) {
			if (f->sessions[i]->conn == NULL) {
				drop = i;
				break;
			}
		}
		fake_session_free(f, f->sessions[drop]);
		memmove(&f->sessions[drop], &f->sessions[drop + 1],
			(f->nsessions - drop - 1) * sizeof f->sessions[0]);
		f->nsessions--;
	}
	s = xcalloc(1, sizeof *s);
	fake_make_id(f, "conn", s->id);
	f->sessions[f->nsessions++] = s;
	fake_session_attach(s, c);
	fake_session_hello(s);
}

/*
 * Resume connection id with the events from seq on; 0 if done, -1 if the
 * id is unknown or seq no longer held.
 */
static int
fake_ws_resume(struct fake_server_conn *c, const char *id, uint64_t seq)
{
	struct fake_mm *f = c->owner;
	struct fake_session *s = fake_session_find(f, id);
	uint64_t held, n;

	if (s == NULL)
		return -1;
	held = s->next_seq < FAKE_MM_REPLAY ? s->next_seq : FAKE_MM_REPLAY;
	if (seq > s->next_seq || seq < s->next_seq - held)
		return -1;
	fake_session_attach(s, c);
	f->ws_resumes++;
	for (n = seq; n < s->next_seq; n++)
		fake_server_ws_text(c, s->replay[n % FAKE_MM_REPLAY]);
	if (f->hello_on_resume)
		fake_session_hello(s);
	return 0;
}

/* Answer r with status and a JSON error, then close c. */
static void
fake_refuse(struct fake_server_conn *c, struct fake_mm_request *r, int status,
	    const char *id, const char *message)
{
	char *body = fake_error_body(c->owner, status, id, message), *out;
	size_t len;

	r->status = status;
	out = fake_server_response(status,
				   "Content-Type: application/json\r\n"
				   "Connection: close\r\n",
				   body, strlen(body), &len);
	free(body);
	fake_server_send(c, out, len, 1);
	fake_server_hang(c); /* read nothing more */
}

/* GET /api/v4/websocket (request ri): switch c to WebSocket mode. */
static void
fake_ws_upgrade(struct fake_server_conn *c, size_t ri)
{
	struct fake_mm *f = c->owner;
	struct fake_mm_request *r = &f->requests[ri];
	const char *auth;
	char *id, *seq, *end;
	unsigned long long n;

	uv_update_time(f->loop);
	if (uv_now(f->loop) < f->refuse_until) {
		fake_refuse(c, r, 503, "fake_mm.refused.app_error",
			    "The fake server refuses connections for now.");
		return;
	}
	if (!fake_server_ws_valid(r->headers, r->nheaders)) {
		fake_refuse(c, r, 400,
			    "api.web_socket.connect.upgrade.app_error",
			    "Failed to upgrade websocket connection.");
		return;
	}
	id = fake_query(r->target, "connection_id");
	seq = fake_query(r->target, "sequence_number");
	if (seq != NULL && isdigit((unsigned char)seq[0])) {
		n = strtoull(seq, &end, 10);
		if (*end != '\0')
			n = ULLONG_MAX;
	} else
		n = ULLONG_MAX;
	if (id != NULL && *id != '\0' && n == ULLONG_MAX) {
		free(id);
		free(seq);
		fake_refuse(c, r, 400, "api.web_socket.connect.seq.app_error",
			    "Invalid sequence_number.");
		return;
	}
	fake_server_ws_upgrade(c, r->headers, r->nheaders);
	r->status = 101;
	f->ws_connections++;

	auth = fake_mm_header(r, "Authorization");
	if (auth != NULL && strncmp(auth, "Bearer ", 7) == 0 &&
	    strcmp(auth + 7, f->token) == 0) {
		if (id == NULL || *id == '\0' ||
		    fake_ws_resume(c, id, (uint64_t)n) != 0)
			fake_ws_login(c);
	} else
		fake_server_timer(c, FAKE_MM_AUTH_TIMEOUT_MS);
	free(id);
	free(seq);
}

/* Reply to client request seq: OK (with data, a JSON object, or NULL). */
static void
fake_ws_reply(struct fake_server_conn *c, int64_t seq, const char *data)
{
	char *s;

	if (data != NULL)
		s = xasprintf("{\"status\":\"OK\",\"seq_reply\":%" PRId64
			      ",\"data\":%s}",
			      seq, data);
	else
		s = xasprintf("{\"status\":\"OK\",\"seq_reply\":%" PRId64 "}",
			      seq);
	fake_server_ws_text(c, s);
	free(s);
}

static void
fake_ws_reply_fail(struct fake_server_conn *c, int64_t seq, const char *id,
		   const char *message)
{
	char *s = xasprintf("{\"status\":\"FAIL\",\"seq_reply\":%" PRId64
			    ",\"error\":{\"id\":\"%s\",\"message\":\"%s\"}}",
			    seq, id, message);

	fake_server_ws_text(c, s);
	free(s);
}

/* A text message from the client: record it and act on it. */
static void
fake_ws_message(struct fake_server_conn *c, const char *text, size_t len)
{
	static const char *const actions[] = { "user_typing", "get_statuses",
					       "get_statuses_by_ids",
					       "user_update_active_status",
					       "presence" };
	struct fake_mm *f = c->owner;
	struct json_tokener *tok;
	struct json_object *o, *v, *data;
	const char *action, *token;
	int64_t seq = 0;
	char *pong;
	size_t i;

	f->received =
	    xreallocarray(f->received, f->nreceived + 1, sizeof *f->received);
	f->received[f->nreceived++] = xstrndup(text, len);

	tok = json_tokener_new();
	o = json_tokener_parse_ex(tok, text, (int)len);
	json_tokener_free(tok);
	if (o == NULL || !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		return; /* Mattermost ignores what it cannot decode */
	}
	if (json_object_object_get_ex(o, "seq", &v) &&
	    json_object_is_type(v, json_type_int))
		seq = json_object_get_int64(v);
	action = fake_str(o, "action");
	if (action == NULL) {
		json_object_put(o);
		return;
	}
	if (seq <= 0) {
		fake_ws_reply_fail(c, seq,
				   "api.web_socket_router.bad_seq.app_error",
				   "Invalid sequence for WebSocket message.");
		json_object_put(o);
		return;
	}
	if (strcmp(action, "authentication_challenge") == 0) {
		if (c->data == NULL) {
			token = json_object_object_get_ex(o, "data", &data)
				    ? fake_str(data, "token")
				    : NULL;
			if (token == NULL || strcmp(token, f->token) != 0) {
				/* Mattermost just drops the socket. */
				json_object_put(o);
				fake_server_conn_close(c);
				return;
			}
			fake_ws_login(c);
		}
		fake_ws_reply(c, seq, NULL);
		json_object_put(o);
		return;
	}
	if (c->data == NULL) {
		fake_ws_reply_fail(
		    c, seq, "api.web_socket_router.not_authenticated.app_error",
		    "No websocket session found.");
		json_object_put(o);
		return;
	}
	if (strcmp(action, "ping") == 0) {
		pong = xasprintf("{\"text\":\"pong\",\"version\":\"%s\","
				 "\"server_time\":%lld,\"node_id\":\"\"}",
				 FAKE_MM_SERVER_VERSION, (long long)f->now_ms);
		fake_ws_reply(c, seq, pong);
		free(pong);
		json_object_put(o);
		return;
	}
	for (i = 0; i < sizeof actions / sizeof actions[0]; i++) {
		if (strcmp(action, actions[i]) == 0) {
			fake_ws_reply(c, seq, NULL);
			json_object_put(o);
			return;
		}
	}
	fake_ws_reply_fail(c, seq, "api.web_socket_router.bad_action.app_error",
			   "Unknown action.");
	json_object_put(o);
}

char *
fake_mm_posted_data(struct fake_mm *f, const char *channel_id,
		    const char *user_id, const char *message,
		    const char *channel_type)
{
	struct json_object *post;
	char id[27];

	fake_make_id(f, "wspost", id);
	post = json_object_new_object();
	fake_json_add(post, "id", id);
	json_object_object_add(post, "create_at",
			       json_object_new_int64(f->now_ms));
	json_object_object_add(post, "update_at",
			       json_object_new_int64(f->now_ms));
	f->now_ms++;
	json_object_object_add(post, "edit_at", json_object_new_int64(0));
	json_object_object_add(post, "delete_at", json_object_new_int64(0));
	json_object_object_add(post, "is_pinned", json_object_new_boolean(0));
	fake_json_add(post, "user_id", user_id);
	fake_json_add(post, "channel_id", channel_id);
	fake_json_add(post, "root_id", "");
	fake_json_add(post, "original_id", "");
	fake_json_add(post, "message", message);
	fake_json_add(post, "type", "");
	json_object_object_add(post, "props", json_object_new_object());
	fake_json_add(post, "hashtags", "");
	fake_json_add(post, "pending_post_id", "");
	json_object_object_add(post, "reply_count", json_object_new_int(0));
	json_object_object_add(post, "last_reply_at", json_object_new_int64(0));
	json_object_object_add(post, "participants", NULL);
	json_object_object_add(post, "metadata", json_object_new_object());
	return fake_posted_data(f, channel_id, user_id, message, channel_type,
				post);
}

/* The data of a "posted" event for post (taken over); caller frees. */
static char *
fake_posted_data(struct fake_mm *f, const char *channel_id, const char *user_id,
		 const char *message, const char *channel_type,
		 struct json_object *post)
{
	const struct fake_channel *ch = fake_channel_by_id(f, channel_id);
	const struct fake_user *u = fake_user_by_id(f, user_id);
	struct json_object *d = json_object_new_object();
	char *sender, *name, *mention, *post_text;
	const char *at;
	size_t mlen;

	sender = xasprintf("@%s", u != NULL ? u->username : user_id);
	if (ch != NULL)
		name = xstrdup(ch->name);
	else if (strcmp(channel_type, "D") == 0)
		name = fake_direct_name(user_id, FAKE_MM_BOT_ID);
	else
		name = xstrdup(channel_id);
	fake_json_add(d, "channel_display_name",
		      strcmp(channel_type, "D") == 0 ? sender : name);
	fake_json_add(d, "channel_name", name);
	fake_json_add(d, "channel_type", channel_type);
	fake_json_add(d, "sender_name", sender);
	fake_json_add(d, "team_id", ch != NULL ? ch->team_id : "");
	json_object_object_add(d, "set_online", json_object_new_boolean(1));

	/* "@lihui" not followed by a username character mentions the bot. */
	mention = xasprintf("@%s", FAKE_MM_BOT_NAME);
	mlen = strlen(mention);
	for (at = strstr(message, mention); at != NULL;
	     at = strstr(at + 1, mention)) {
		if (!isalnum((unsigned char)at[mlen]) && at[mlen] != '.' &&
		    at[mlen] != '_' && at[mlen] != '-') {
			fake_json_add(d, "mentions",
				      "[\"" FAKE_MM_BOT_ID "\"]");
			break;
		}
	}
	free(mention);
	post_text = fake_json_take(post);
	json_object_object_add(d, "post", json_object_new_string(post_text));
	free(post_text);
	free(sender);
	free(name);
	return fake_json_take(d);
}

void
fake_mm_ws_push_posted(struct fake_mm *f, const char *channel_id,
		       const char *user_id, const char *message,
		       const char *channel_type)
{
	char *data =
	    fake_mm_posted_data(f, channel_id, user_id, message, channel_type);

	fake_push_posted(f, channel_id, data);
	free(data);
}

/* Push a "posted" event with data to the members of channel_id. */
static void
fake_push_posted(struct fake_mm *f, const char *channel_id, const char *data)
{
	char *broadcast = xasprintf(
	    "{\"omit_users\":null,\"user_id\":\"\",\"channel_id\":\"%s\","
	    "\"team_id\":\"\",\"connection_id\":\"\","
	    "\"omit_connection_id\":\"\"}",
	    channel_id);

	fake_mm_ws_push(f, "posted", data, broadcast);
	free(broadcast);
}

void
fake_mm_ws_send_raw(struct fake_mm *f, const char *text)
{
	struct fake_server_conn *c;

	for (c = fake_server_conns(f->server); c != NULL; c = c->next) {
		if (c->mode == FAKE_SERVER_WS && !c->closing && !c->close_sent)
			fake_server_ws_text(c, text);
	}
}

void
fake_mm_ws_ping(struct fake_mm *f)
{
	struct fake_server_conn *c;

	for (c = fake_server_conns(f->server); c != NULL; c = c->next) {
		if (c->mode == FAKE_SERVER_WS && !c->closing && !c->close_sent)
			fake_server_ws_frame(c, FAKE_WS_PING, "fake", 4, 0);
	}
}

void
fake_mm_ws_drop(struct fake_mm *f)
{
	struct fake_server_conn *c, *next;

	for (c = fake_server_conns(f->server); c != NULL; c = next) {
		next = c->next;
		if (c->mode == FAKE_SERVER_WS)
			fake_server_conn_close(c);
	}
}

void
fake_mm_ws_close(struct fake_mm *f, int code)
{
	struct fake_server_conn *c, *next;

	for (c = fake_server_conns(f->server); c != NULL; c = next) {
		next = c->next;
		if (c->mode == FAKE_SERVER_WS && !c->closing && !c->close_sent)
			fake_server_ws_close(c, code);
	}
}

void
fake_mm_ws_restart(struct fake_mm *f)
{
	size_t i;

	fake_mm_ws_drop(f);
	for (i = 0; i < f->nsessions; i++)
		fake_session_free(f, f->sessions[i]);
	f->nsessions = 0;
}

static void
fake_free(void *owner)
{
	struct fake_mm *f = owner;
	size_t i;

	for (i = 0; i < f->nsessions; i++)
		fake_session_free(f, f->sessions[i]);
	fake_mm_unscript(f);
	for (i = 0; i < f->nusers; i++) {
		free(f->users[i].id);
		free(f->users[i].username);
	}
	free(f->users);
	for (i = 0; i < f->nteams; i++) {
		free(f->teams[i].id);
		free(f->teams[i].name);
	}
	free(f->teams);
	for (i = 0; i < f->nchannels; i++) {
		free(f->channels[i].id);
		free(f->channels[i].team_id);
		free(f->channels[i].name);
		free(f->channels[i].type);
	}
	free(f->channels);
	for (i = 0; i < f->nrequests; i++)
		fake_request_release(&f->requests[i]);
	free(f->requests);
	for (i = 0; i < f->nposts; i++) {
		free(f->posts[i].id);
		free(f->posts[i].channel_id);
		free(f->posts[i].user_id);
		free(f->posts[i].message);
		free(f->posts[i].pending_post_id);
		free(f->posts[i].root_id);
	}
	free(f->posts);
	for (i = 0; i < f->nevent_posts; i++)
		json_object_put(f->event_posts[i]);
	free(f->event_posts);
	for (i = 0; i < f->nephemerals; i++) {
		free(f->ephemerals[i].user_id);
		free(f->ephemerals[i].channel_id);
		free(f->ephemerals[i].message);
	}
	free(f->ephemerals);
	for (i = 0; i < f->ndirects; i++) {
		free(f->directs[i].user_a);
		free(f->directs[i].user_b);
		free(f->directs[i].channel_id);
	}
	free(f->directs);
	for (i = 0; i < f->nreactions; i++) {
		free(f->reactions[i].user_id);
		free(f->reactions[i].post_id);
		free(f->reactions[i].emoji_name);
	}
	free(f->reactions);
	for (i = 0; i < f->ncommands; i++) {
		free(f->commands[i].id);
		free(f->commands[i].team_id);
		free(f->commands[i].trigger);
		free(f->commands[i].method);
		free(f->commands[i].url);
		free(f->commands[i].body);
	}
	free(f->commands);
	for (i = 0; i < f->nreceived; i++)
		free(f->received[i]);
	free(f->received);
	free(f->token);
	free(f);
}
