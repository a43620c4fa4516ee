/* SPDX-License-Identifier: MIT */
/*
 * slack-api.c: the Slack Web API calls (see slack-api.h).
 *
 * How it works. Each call is a struct slack_call: its kind, the callback,
 * and what the answer is for (the user looked up, the name searched).
 * slack_api_request() starts it on the HTTP client with the right token
 * and body; slack_api_done() sorts the answer out with
 * slack_api_classify() (the one place that decides between success,
 * retry and failure, and that knows which failures may have posted) and
 * then reads the fields the kind needs, each checked for type and shape
 * (ids and ts as 1..128 of A-Z a-z 0-9 - _ ., names as 1..80 of letters,
 * digits . _ -). A users.list walk starts the next page from the answer's
 * cursor until the name is found, the list ends, or SLACK_API_LIST_PAGES
 * pages were read; every member seen goes into the cache on the way.
 * After a walk that read the whole list (and the cache held it all), a
 * name the cache does not know has no user, for SLACK_API_WALK_FRESH_MS:
 * users.list is rate-limited (Tier 2), and text naming someone who does
 * not exist should not cost a walk each time.
 *
 * The caches are plain arrays with a round-robin slot to overwrite when
 * full: lookups scan them, which at a few thousand entries costs less
 * than one request. Nothing here logs; errors go to the callbacks.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>
#include <uv.h>

#include "lihui/log.h"
#include "lihui/ws.h"
#include "lihui/xmalloc.h"

#include "slack-api.h"
#include "slack-socket.h"

#define SLACK_API_DEPTH 64

enum slack_call_kind {
	SLACK_CALL_AUTH_TEST,
	SLACK_CALL_CONNECTIONS_OPEN,
	SLACK_CALL_POST,
	SLACK_CALL_EPHEMERAL,
	SLACK_CALL_UPDATE,
	SLACK_CALL_REACTION,
	SLACK_CALL_OPEN_DM,
	SLACK_CALL_USER_INFO,
	SLACK_CALL_USER_LIST,
};

struct slack_pair {
	char *key;   /* user id */
	char *value; /* name, or DM channel id */
};

struct slack_api {
	struct http_client *http;
	char *url;
	char *bot_auth; /* "Authorization: Bearer xoxb-...": a secret */
	char *app_auth; /* the same with the app token, or NULL */
	char *ca_file;
	int insecure;
	long timeout_ms;
	struct slack_pair *users; /* SLACK_API_USERS_MAX */
	size_t n_users, next_user;
	struct slack_pair *dms; /* SLACK_API_DMS_MAX */
	size_t n_dms, next_dm;
	size_t in_flight;
	/* When a users.list walk last read the whole list into the cache
	 * (uv_hrtime() ms), 0: never; see slack_api_user_find(). */
	uint64_t walked_ms;
};

struct slack_call {
	struct slack_api *api;
	enum slack_call_kind kind;
	slack_api_cb cb;
	void *arg;
	char *key; /* OPEN_DM, USER_INFO: the user id; USER_LIST: the name */
	int pages; /* USER_LIST: pages asked for so far */
};

/* json-c allocation failure is out of memory: like the x* allocators. */
static struct json_object *
slack_api_check(struct json_object *o)
{
	if (o == NULL)
		fatal("out of memory");
	return o;
}

static void
slack_api_add(struct json_object *o, const char *key, const char *value)
{
	json_object_object_add(o, key,
			       slack_api_check(json_object_new_string(value)));
}

/* The JSON text of o, then o is released; caller frees. */
static char *
slack_api_take(struct json_object *o)
{
	char *s = xstrdup(json_object_to_json_string_ext(
	    o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));

	json_object_put(o);
	return s;
}

int
slack_api_name_valid(const char *name)
{
	size_t len;

	if (name == NULL)
		return 0;
	len = strlen(name);
	return len >= 1 && len <= SLACK_API_NAME_MAX &&
	       strspn(name,
		      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		      "0123456789._-") == len;
}

struct slack_api *
slack_api_new(const struct slack_api_config *cfg)
{
	struct slack_api *api = xcalloc(1, sizeof *api);
	size_t n = strlen(cfg->url);

	while (n > 0 && cfg->url[n - 1] == '/')
		n--;
	api->http = cfg->http;
	api->url = xstrndup(cfg->url, n);
	api->bot_auth = xasprintf("Authorization: Bearer %s", cfg->bot_token);
	if (cfg->app_token != NULL)
		api->app_auth =
		    xasprintf("Authorization: Bearer %s", cfg->app_token);
	if (cfg->ca_file != NULL)
		api->ca_file = xstrdup(cfg->ca_file);
	api->insecure = cfg->insecure;
	api->timeout_ms =
	    cfg->timeout_ms > 0 ? cfg->timeout_ms : SLACK_API_TIMEOUT_MS;
	api->users = xcalloc(SLACK_API_USERS_MAX, sizeof *api->users);
	api->dms = xcalloc(SLACK_API_DMS_MAX, sizeof *api->dms);
	return api;
}

static void
slack_pairs_free(struct slack_pair *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(p[i].key);
		free(p[i].value);
	}
	free(p);
}

void
slack_api_free(struct slack_api *api)
{
	if (api == NULL)
		return;
	if (api->in_flight != 0)
		BUG("slack_api_free with calls under way");
	free(api->url);
	free(api->bot_auth);
	free(api->app_auth);
	free(api->ca_file);
	slack_pairs_free(api->users, api->n_users);
	slack_pairs_free(api->dms, api->n_dms);
	free(api);
}

size_t
slack_api_in_flight(const struct slack_api *api)
{
	return api->in_flight;
}

/* Caches. */

/* Set key's value in pairs (max slots), overwriting round-robin. */
static void
slack_pairs_set(struct slack_pair *p, size_t *n, size_t *next, size_t max,
		const char *key, const char *value)
{
	size_t i;

	for (i = 0; i < *n; i++) {
		if (strcmp(p[i].key, key) == 0) {
			if (strcmp(p[i].value, value) != 0) {
				free(p[i].value);
				p[i].value = xstrdup(value);
			}
			return;
		}
	}
	if (*n < max)
		i = (*n)++;
	else {
		i = *next;
		*next = (*next + 1) % max;
		free(p[i].key);
		free(p[i].value);
	}
	p[i].key = xstrdup(key);
	p[i].value = xstrdup(value);
}

void
slack_api_user_learn(struct slack_api *api, const char *id, const char *name)
{
	size_t i;

	if (!slack_id_valid(id) || !slack_api_name_valid(name))
		return;
	/* A name another user had before now belongs to this one. */
	for (i = 0; i < api->n_users; i++)
		if (strcasecmp(api->users[i].value, name) == 0 &&
		    strcmp(api->users[i].key, id) != 0) {
			free(api->users[i].key);
			api->users[i].key = xstrdup(id);
			free(api->users[i].value);
			api->users[i].value = xstrdup(name);
			return;
		}
	slack_pairs_set(api->users, &api->n_users, &api->next_user,
			SLACK_API_USERS_MAX, id, name);
}

const char *
slack_api_user_name(const struct slack_api *api, const char *id)
{
	size_t i;

	for (i = 0; id != NULL && i < api->n_users; i++)
		if (strcmp(api->users[i].key, id) == 0)
			return api->users[i].value;
	return NULL;
}

const char *
slack_api_user_id(const struct slack_api *api, const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < api->n_users; i++)
		if (strcasecmp(api->users[i].value, name) == 0)
			return api->users[i].key;
	return NULL;
}

static const char *
slack_api_dm(const struct slack_api *api, const char *user_id)
{
	size_t i;

	for (i = 0; i < api->n_dms; i++)
		if (strcmp(api->dms[i].key, user_id) == 0)
			return api->dms[i].value;
	return NULL;
}

/* Answers. */

/* Whether error (a transport error) shows the request never left. */
static int
slack_api_not_sent(const char *error)
{
	static const char *const before[] = {
		"Could not resolve", "Couldn't resolve",   "Failed to connect",
		"Couldn't connect",  "Connection refused",
	};
	size_t i;

	if (error == NULL)
		return 0;
	for (i = 0; i < sizeof before / sizeof before[0]; i++)
		if (strncmp(error, before[i], strlen(before[i])) == 0)
			return 1;
	return 0;
}

/* Whether Slack's error code means the token is not good. */
static int
slack_api_auth_error(const char *code)
{
	static const char *const codes[] = {
		"invalid_auth",	      "not_authed",
		"account_inactive",   "token_revoked",
		"token_expired",      "no_permission",
		"missing_scope",      "not_allowed_token_type",
		"org_login_required", "team_access_not_granted",
		"ekm_access_denied",
	};
	size_t i;

	for (i = 0; i < sizeof codes / sizeof codes[0]; i++)
		if (strcmp(code, codes[i]) == 0)
			return 1;
	return 0;
}

/* An answer that may have posted: FAILED for a post, else RETRY. */
static void
slack_api_unsure(struct slack_api_result *r, int idempotent, const char *what,
		 char *why, size_t why_size)
{
	if (idempotent) {
		r->status = SLACK_API_RETRY;
		if (what != why)
			snprintf(why, why_size, "%s", what);
	} else {
		r->status = SLACK_API_FAILED;
		snprintf(why, why_size,
			 "%s; the post may have gone through, so it is not "
			 "sent again",
			 what);
	}
	r->error = why;
}

static struct json_object *
slack_api_parse(const char *body, size_t len)
{
	struct json_tokener *tok;
	struct json_object *o;
	size_t end;

	if (len > SLACK_API_MAX_RESPONSE)
		return NULL;
	tok = json_tokener_new_ex(SLACK_API_DEPTH);
	if (tok == NULL)
		fatal("out of memory");
	o = json_tokener_parse_ex(tok, body, (int)len);
	end = json_tokener_get_parse_end(tok);
	if (json_tokener_get_error(tok) != json_tokener_success ||
	    !json_object_is_type(o, json_type_object) ||
	    (end < len && strspn(body + end, " \t\r\n") != len - end)) {
		json_object_put(o);
		o = NULL;
	}
	json_tokener_free(tok);
	return o;
}

void
slack_api_classify(const struct http_response *resp, int idempotent,
		   struct slack_api_result *r, struct json_object **out,
		   char *why, size_t why_size)
{
	struct json_object *o, *v;
	const char *code;
	char what[160];

	memset(r, 0, sizeof *r);
	*out = NULL;
	if (resp->status == 0) {
		snprintf(what, sizeof what, "%.140s",
			 resp->error != NULL ? resp->error : "transport error");
		if (slack_api_not_sent(resp->error)) {
			r->status = SLACK_API_RETRY;
			snprintf(why, why_size, "%s", what);
			r->error = why;
		} else
			slack_api_unsure(r, idempotent, what, why, why_size);
		return;
	}
	if (resp->status == 429) {
		r->status = SLACK_API_RETRY;
		r->error = "ratelimited";
		r->retry_after = resp->retry_after > 0 ? resp->retry_after : 0;
		return;
	}
	if (resp->status >= 500) {
		snprintf(what, sizeof what, "http %ld", resp->status);
		if (resp->status == 502 || resp->status == 503) {
			r->status = SLACK_API_RETRY;
			r->retry_after =
			    resp->retry_after > 0 ? resp->retry_after : 0;
			snprintf(why, why_size, "%s", what);
			r->error = why;
		} else
			slack_api_unsure(r, idempotent, what, why, why_size);
		return;
	}
	if (resp->status != 200) {
		r->status = SLACK_API_FAILED;
		snprintf(why, why_size, "http %ld", resp->status);
		r->error = why;
		return;
	}
	o = slack_api_parse(resp->body, resp->body_len);
	if (o == NULL || !json_object_object_get_ex(o, "ok", &v) ||
	    !json_object_is_type(v, json_type_boolean)) {
		json_object_put(o);
		slack_api_unsure(r, idempotent,
				 "the answer is not Slack's JSON", why,
				 why_size);
		return;
	}
	if (json_object_get_boolean(v)) {
		r->status = SLACK_API_OK;
		*out = o;
		return;
	}
	code = NULL;
	if (json_object_object_get_ex(o, "error", &v) &&
	    json_object_is_type(v, json_type_string) &&
	    slack_id_valid(json_object_get_string(v)))
		code = json_object_get_string(v);
	snprintf(why, why_size, "%s", code != NULL ? code : "unknown_error");
	json_object_put(o);
	r->error = why;
	r->status = SLACK_API_FAILED;
	if (strcmp(why, "ratelimited") == 0 ||
	    strcmp(why, "rate_limited") == 0) {
		r->status = SLACK_API_RETRY;
		r->retry_after = resp->retry_after > 0 ? resp->retry_after : 0;
	} else if (strcmp(why, "service_unavailable") == 0 ||
		   strcmp(why, "request_timeout") == 0)
		r->status = SLACK_API_RETRY;
	else if (strcmp(why, "internal_error") == 0 ||
		 strcmp(why, "fatal_error") == 0) {
		snprintf(what, sizeof what, "%s", why);
		slack_api_unsure(r, idempotent, what, why, why_size);
	} else if (strcmp(why, "user_not_found") == 0 ||
		   strcmp(why, "users_not_found") == 0)
		r->status = SLACK_API_NOT_FOUND;
	else if (slack_api_auth_error(why))
		r->auth = 1;
}

/* o's string member key when valid() takes it; else NULL. Borrowed. */
static const char *
slack_api_string(struct json_object *o, const char *key,
		 int (*valid)(const char *))
{
	struct json_object *v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string) ||
	    !valid(json_object_get_string(v)))
		return NULL;
	return json_object_get_string(v);
}

/* o's member key when it is an id (or ts); else NULL. Borrowed. */
static const char *
slack_api_id(struct json_object *o, const char *key)
{
	return slack_api_string(o, key, slack_id_valid);
}

/* o's member key when it is a user name; else NULL. Borrowed. */
static const char *
slack_api_name(struct json_object *o, const char *key)
{
	return slack_api_string(o, key, slack_api_name_valid);
}

static struct json_object *
slack_api_object(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_object))
		return NULL;
	return v;
}

/* Requests. */

static void slack_api_done(void *arg, const struct http_response *resp);

static const char *
slack_api_method(enum slack_call_kind kind)
{
	switch (kind) {
	case SLACK_CALL_AUTH_TEST:
		return "auth.test";
	case SLACK_CALL_CONNECTIONS_OPEN:
		return "apps.connections.open";
	case SLACK_CALL_POST:
		return "chat.postMessage";
	case SLACK_CALL_EPHEMERAL:
		return "chat.postEphemeral";
	case SLACK_CALL_UPDATE:
		return "chat.update";
	case SLACK_CALL_REACTION:
		return "reactions.add";
	case SLACK_CALL_OPEN_DM:
		return "conversations.open";
	case SLACK_CALL_USER_INFO:
		return "users.info";
	default:
		return "users.list";
	}
}

/*
 * Start call: POST of body (JSON) or, with query not NULL, GET of
 * "<method>?<query>". The app token for apps.connections.open (with an
 * empty form body, as Slack wants), the bot token for the rest.
 */
static int
slack_api_request(struct slack_call *c, const char *body, const char *query,
		  char **cause)
{
	struct slack_api *api = c->api;
	const char *headers[4];
	struct http_request req;
	char *url;
	int rc;

	memset(&req, 0, sizeof req);
	headers[0] = api->bot_auth;
	headers[1] = NULL;
	headers[2] = NULL;
	if (c->kind == SLACK_CALL_CONNECTIONS_OPEN) {
		if (api->app_auth == NULL)
			return set_cause(cause, "no app token for Socket Mode");
		headers[0] = api->app_auth;
		headers[1] = "Content-Type: application/x-www-form-urlencoded";
		body = "";
	} else if (body != NULL)
		headers[1] = "Content-Type: application/json; charset=utf-8";
	headers[3] = NULL;
	if (query != NULL)
		url = xasprintf("%s/%s?%s", api->url, slack_api_method(c->kind),
				query);
	else
		url = xasprintf("%s/%s", api->url, slack_api_method(c->kind));
	req.method = query != NULL ? "GET" : "POST";
	req.url = url;
	req.headers = headers;
	req.body = query != NULL ? NULL : (body != NULL ? body : "");
	req.body_len = req.body != NULL ? strlen(req.body) : 0;
	req.timeout_ms = api->timeout_ms;
	req.max_response = SLACK_API_MAX_RESPONSE;
	req.ca_file = api->ca_file;
	req.insecure = api->insecure;
	rc = http_request_start(api->http, &req, slack_api_done, c, cause);
	free(url);
	if (rc == 0)
		api->in_flight++;
	return rc;
}

static struct slack_call *
slack_call_new(struct slack_api *api, enum slack_call_kind kind,
	       slack_api_cb cb, void *arg, const char *key)
{
	struct slack_call *c = xcalloc(1, sizeof *c);

	c->api = api;
	c->kind = kind;
	c->cb = cb;
	c->arg = arg;
	if (key != NULL)
		c->key = xstrdup(key);
	return c;
}

static void
slack_call_free(struct slack_call *c)
{
	free(c->key);
	free(c);
}

/* Start c with body (allocated, freed here); on failure c is freed. */
static int
slack_api_post(struct slack_call *c, char *body, char **cause)
{
	int rc = slack_api_request(c, body, NULL, cause);

	free(body);
	if (rc != 0)
		slack_call_free(c);
	return rc;
}

/* users.list?limit=N[&cursor=...], the cursor percent-encoded. */
static char *
slack_api_list_query(const char *cursor)
{
	static const char hex[] = "0123456789ABCDEF";
	char *q, *p;
	size_t n = cursor != NULL ? strlen(cursor) : 0;

	q = xmalloc(64 + 3 * n);
	p = q + snprintf(q, 64, "limit=%d", SLACK_API_LIST_LIMIT);
	if (n > 0) {
		p += snprintf(p, 16, "&cursor=");
		for (; *cursor != '\0'; cursor++) {
			unsigned char ch = (unsigned char)*cursor;

			if ((ch >= 'a' && ch <= 'z') ||
			    (ch >= 'A' && ch <= 'Z') ||
			    (ch >= '0' && ch <= '9') || ch == '-' ||
			    ch == '_' || ch == '.' || ch == '~')
				*p++ = (char)ch;
			else {
				*p++ = '%';
				*p++ = hex[ch >> 4];
				*p++ = hex[ch & 15];
			}
		}
	}
	*p = '\0';
	return q;
}

/*
 * One users.list page: learn every member; the one called c->key (by
 * name or display name, case ignored) into r. 1 when found, 0 when the
 * next page is to be asked for (*cursor set, borrowed from o), -1 when
 * the list ended.
 */
static int
slack_api_list_page(struct slack_call *c, struct json_object *o,
		    struct slack_api_result *r, const char **cursor)
{
	struct json_object *members, *m, *v;
	const char *id, *name, *display;
	size_t i, n;
	int found = 0;

	*cursor = NULL;
	if (!json_object_object_get_ex(o, "members", &members) ||
	    !json_object_is_type(members, json_type_array))
		return -1;
	n = json_object_array_length(members);
	for (i = 0; i < n; i++) {
		m = json_object_array_get_idx(members, i);
		id = slack_api_id(m, "id");
		name = slack_api_name(m, "name");
		if (id == NULL || name == NULL)
			continue;
		if (json_object_object_get_ex(m, "deleted", &v) &&
		    json_object_get_boolean(v))
			continue;
		slack_api_user_learn(c->api, id, name);
		display = slack_api_name(slack_api_object(m, "profile"),
					 "display_name");
		if (!found && c->key != NULL &&
		    (strcasecmp(name, c->key) == 0 ||
		     (display != NULL && strcasecmp(display, c->key) == 0))) {
			found = 1;
			r->user_id = id;
			r->user_name = name;
		}
	}
	if (found)
		return 1;
	m = slack_api_object(o, "response_metadata");
	if (m != NULL && json_object_object_get_ex(m, "next_cursor", &v) &&
	    json_object_is_type(v, json_type_string) &&
	    json_object_get_string_len(v) > 0 &&
	    json_object_get_string_len(v) <= 1024)
		*cursor = json_object_get_string(v);
	return *cursor != NULL ? 0 : -1;
}

static int
slack_api_idempotent(enum slack_call_kind kind)
{
	return kind != SLACK_CALL_POST;
}

/* Fill r's fields for c's kind from the answer o; -1 when one is bad. */
static int
slack_api_fields(struct slack_call *c, struct json_object *o,
		 struct slack_api_result *r)
{
	struct json_object *sub;

	switch (c->kind) {
	case SLACK_CALL_AUTH_TEST:
		r->user_id = slack_api_id(o, "user_id");
		r->user_name = slack_api_name(o, "user");
		r->bot_id = slack_api_id(o, "bot_id");
		r->team_id = slack_api_id(o, "team_id");
		return r->user_id != NULL ? 0 : -1;
	case SLACK_CALL_CONNECTIONS_OPEN:
		if (!json_object_object_get_ex(o, "url", &sub) ||
		    !json_object_is_type(sub, json_type_string) ||
		    json_object_get_string_len(sub) > WS_URL_MAX ||
		    (strncmp(json_object_get_string(sub), "wss://", 6) != 0 &&
		     strncmp(json_object_get_string(sub), "ws://", 5) != 0))
			return -1;
		r->url = json_object_get_string(sub);
		return 0;
	case SLACK_CALL_POST:
	case SLACK_CALL_UPDATE:
		r->channel = slack_api_id(o, "channel");
		r->ts = slack_api_id(o, "ts");
		return 0;
	case SLACK_CALL_EPHEMERAL:
		r->ts = slack_api_id(o, "message_ts");
		return 0;
	case SLACK_CALL_REACTION:
		return 0;
	case SLACK_CALL_OPEN_DM:
		r->channel = slack_api_id(slack_api_object(o, "channel"), "id");
		if (r->channel == NULL)
			return -1;
		slack_pairs_set(c->api->dms, &c->api->n_dms, &c->api->next_dm,
				SLACK_API_DMS_MAX, c->key, r->channel);
		return 0;
	case SLACK_CALL_USER_INFO:
		sub = slack_api_object(o, "user");
		r->user_id = slack_api_id(sub, "id");
		r->user_name = slack_api_name(sub, "name");
		if (r->user_id == NULL || r->user_name == NULL ||
		    strcmp(r->user_id, c->key) != 0)
			return -1;
		slack_api_user_learn(c->api, r->user_id, r->user_name);
		return 0;
	default:
		return 0;
	}
}

static void
slack_api_done(void *arg, const struct http_response *resp)
{
	struct slack_call *c = arg;
	struct slack_api_result r;
	struct json_object *o;
	const char *cursor;
	char why[256], *query, *cause = NULL;
	int rc;

	c->api->in_flight--;
	slack_api_classify(resp, slack_api_idempotent(c->kind), &r, &o, why,
			   sizeof why);
	if (r.status == SLACK_API_FAILED && c->kind == SLACK_CALL_REACTION &&
	    strcmp(r.error, "already_reacted") == 0) {
		memset(&r, 0, sizeof r);
		r.status = SLACK_API_OK;
	}
	if (r.status == SLACK_API_OK && o != NULL &&
	    c->kind == SLACK_CALL_USER_LIST) {
		rc = slack_api_list_page(c, o, &r, &cursor);
		if (rc == 0 && ++c->pages < SLACK_API_LIST_PAGES) {
			query = slack_api_list_query(cursor);
			json_object_put(o);
			rc = slack_api_request(c, NULL, query, &cause);
			free(query);
			if (rc == 0)
				return;
			r.status = SLACK_API_RETRY;
			snprintf(why, sizeof why, "%s", cause);
			r.error = why;
			free(cause);
			o = NULL;
		} else if (rc != 1) {
			/* The whole list is in the cache (if it held it). */
			if (rc < 0 && c->api->n_users < SLACK_API_USERS_MAX)
				c->api->walked_ms = uv_hrtime() / 1000000;
			if (c->key == NULL) {
				/* slack_api_users_load(): read to the end. */
				memset(&r, 0, sizeof r);
				r.status = SLACK_API_OK;
			} else {
				r.status = SLACK_API_NOT_FOUND;
				snprintf(why, sizeof why, "no user @%.80s",
					 c->key);
				r.error = why;
			}
		}
	} else if (r.status == SLACK_API_OK && o != NULL &&
		   slack_api_fields(c, o, &r) != 0) {
		memset(&r, 0, sizeof r);
		snprintf(why, sizeof why,
			 "the answer to %s lacks a field lihui needs",
			 slack_api_method(c->kind));
		r.status = slack_api_idempotent(c->kind) ? SLACK_API_RETRY
							 : SLACK_API_FAILED;
		r.error = why;
	}
	if (c->cb != NULL)
		c->cb(c->arg, &r);
	json_object_put(o);
	slack_call_free(c);
}

/* The calls. */

static int
slack_api_check_id(const char *what, const char *id, char **cause)
{
	if (!slack_id_valid(id))
		return set_cause(cause, "invalid %s '%.64s'", what,
				 id != NULL ? id : "");
	return 0;
}

int
slack_api_auth_test(struct slack_api *api, slack_api_cb cb, void *arg,
		    char **cause)
{
	struct slack_call *c =
	    slack_call_new(api, SLACK_CALL_AUTH_TEST, cb, arg, NULL);

	return slack_api_post(c, NULL, cause);
}

int
slack_api_connections_open(struct slack_api *api, slack_api_cb cb, void *arg,
			   char **cause)
{
	struct slack_call *c =
	    slack_call_new(api, SLACK_CALL_CONNECTIONS_OPEN, cb, arg, NULL);

	return slack_api_post(c, NULL, cause);
}

/* A JSON body {"channel":..,"text":..} plus one more string member. */
static char *
slack_api_body(const char *channel, const char *key, const char *value,
	       const char *text_key, const char *text)
{
	struct json_object *o = slack_api_check(json_object_new_object());

	slack_api_add(o, "channel", channel);
	if (key != NULL)
		slack_api_add(o, key, value);
	slack_api_add(o, text_key, text);
	return slack_api_take(o);
}

int
slack_api_post_message(struct slack_api *api, const char *channel,
		       const char *text, slack_api_cb cb, void *arg,
		       char **cause)
{
	if (slack_api_check_id("channel", channel, cause) != 0)
		return -1;
	return slack_api_post(
	    slack_call_new(api, SLACK_CALL_POST, cb, arg, NULL),
	    slack_api_body(channel, NULL, NULL, "text", text), cause);
}

int
slack_api_post_ephemeral(struct slack_api *api, const char *channel,
			 const char *user, const char *text, slack_api_cb cb,
			 void *arg, char **cause)
{
	if (slack_api_check_id("channel", channel, cause) != 0 ||
	    slack_api_check_id("user", user, cause) != 0)
		return -1;
	return slack_api_post(
	    slack_call_new(api, SLACK_CALL_EPHEMERAL, cb, arg, NULL),
	    slack_api_body(channel, "user", user, "text", text), cause);
}

int
slack_api_update(struct slack_api *api, const char *channel, const char *ts,
		 const char *text, slack_api_cb cb, void *arg, char **cause)
{
	if (slack_api_check_id("channel", channel, cause) != 0 ||
	    slack_api_check_id("ts", ts, cause) != 0)
		return -1;
	return slack_api_post(
	    slack_call_new(api, SLACK_CALL_UPDATE, cb, arg, NULL),
	    slack_api_body(channel, "ts", ts, "text", text), cause);
}

int
slack_api_reaction_add(struct slack_api *api, const char *channel,
		       const char *ts, const char *name, slack_api_cb cb,
		       void *arg, char **cause)
{
	if (slack_api_check_id("channel", channel, cause) != 0 ||
	    slack_api_check_id("ts", ts, cause) != 0)
		return -1;
	if (name == NULL || strlen(name) < 1 || strlen(name) > 64 ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_+-'") !=
		strlen(name))
		return set_cause(cause, "invalid emoji name '%.64s'", name);
	return slack_api_post(
	    slack_call_new(api, SLACK_CALL_REACTION, cb, arg, NULL),
	    slack_api_body(channel, "timestamp", ts, "name", name), cause);
}

int
slack_api_open_dm(struct slack_api *api, const char *user_id, const char **out,
		  slack_api_cb cb, void *arg, char **cause)
{
	struct json_object *o;

	if (slack_api_check_id("user", user_id, cause) != 0)
		return -1;
	*out = slack_api_dm(api, user_id);
	if (*out != NULL)
		return 1;
	o = slack_api_check(json_object_new_object());
	slack_api_add(o, "users", user_id);
	return slack_api_post(
	    slack_call_new(api, SLACK_CALL_OPEN_DM, cb, arg, user_id),
	    slack_api_take(o), cause);
}

int
slack_api_user_info(struct slack_api *api, const char *user_id,
		    const char **out, slack_api_cb cb, void *arg, char **cause)
{
	struct slack_call *c;
	char *query;
	int rc;

	if (slack_api_check_id("user", user_id, cause) != 0)
		return -1;
	*out = slack_api_user_name(api, user_id);
	if (*out != NULL)
		return 1;
	c = slack_call_new(api, SLACK_CALL_USER_INFO, cb, arg, user_id);
	query = xasprintf("user=%s", user_id);
	rc = slack_api_request(c, NULL, query, cause);
	free(query);
	if (rc != 0)
		slack_call_free(c);
	return rc;
}

int
slack_api_user_find(struct slack_api *api, const char *name, const char **out,
		    slack_api_cb cb, void *arg, char **cause)
{
	struct slack_call *c;
	char *query;
	int rc;

	if (!slack_api_name_valid(name))
		return set_cause(cause, "invalid user name '%.80s'",
				 name != NULL ? name : "");
	*out = slack_api_user_id(api, name);
	if (*out != NULL)
		return 1;
	if (api->walked_ms != 0 &&
	    uv_hrtime() / 1000000 - api->walked_ms < SLACK_API_WALK_FRESH_MS)
		return 1; /* not in a full list read lately: no such user */
	c = slack_call_new(api, SLACK_CALL_USER_LIST, cb, arg, name);
	c->pages = 0;
	query = slack_api_list_query(NULL);
	rc = slack_api_request(c, NULL, query, cause);
	free(query);
	if (rc != 0)
		slack_call_free(c);
	return rc;
}

int
slack_api_users_load(struct slack_api *api, slack_api_cb cb, void *arg,
		     char **cause)
{
	struct slack_call *c =
	    slack_call_new(api, SLACK_CALL_USER_LIST, cb, arg, NULL);
	char *query = slack_api_list_query(NULL);
	int rc = slack_api_request(c, NULL, query, cause);

	free(query);
	if (rc != 0)
		slack_call_free(c);
	return rc;
}
