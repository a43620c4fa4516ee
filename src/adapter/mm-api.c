/* SPDX-License-Identifier: MIT */
/*
 * mm-api.c: Mattermost user and channel lookups (see mm-api.h).
 *
 * How it works. A thing being looked up is a struct mm_api_pending: its
 * kind (user by id, user by name, channel by id, channel by team and
 * name), its key and the waiters to tell. The pendings sit in one list on
 * the api, so a second lookup of the same thing joins the first instead
 * of asking again. A struct mm_api_call is one REST request and the
 * pendings it answers: one for a GET, up to MM_API_BATCH_MAX for
 * POST /api/v4/users/ids. mm_api_users() is a struct mm_api_batch that
 * waits on one pending per id (its own, or one already under way,
 * possibly a single lookup's) and calls back when the last one ends.
 *
 * When a call ends, its answer is parsed first (into owned copies) and
 * its pendings are taken off the list; then each in turn goes into the
 * cache and tells its waiters. A callback that looks the same thing up
 * again finds it in the cache (or starts afresh), never a half-finished
 * pending, and a batch's callback, which runs when its last pending
 * ends, finds every user that was found in the cache.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "lihui/log.h"
#include "lihui/utf8.h"
#include "lihui/xmalloc.h"

#include "mm-api.h"
#include "mm-event.h"

enum mm_api_kind {
	MM_API_KIND_USER,	  /* key: the user id */
	MM_API_KIND_USERNAME,	  /* key: the username */
	MM_API_KIND_CHANNEL,	  /* key: the channel id */
	MM_API_KIND_CHANNEL_NAME, /* key: "<team name>/<channel name>" */
};

struct mm_api_batch {
	mm_api_users_cb cb;
	void *arg;
	size_t outstanding; /* pendings not ended yet */
	size_t found, not_found, failed;
	char *error; /* the first one */
};

struct mm_api_waiter {
	struct mm_api_waiter *next;
	mm_api_user_cb user_cb; /* one of these three */
	mm_api_channel_cb channel_cb;
	struct mm_api_batch *batch;
	void *arg;
};

struct mm_api_pending {
	struct mm_api_pending *next;
	enum mm_api_kind kind;
	char *key;
	struct mm_api_waiter *waiters, **tail;
};

struct mm_api_call {
	struct mm_api *api;
	enum mm_api_kind kind;
	int batch;  /* POST /api/v4/users/ids */
	char *what; /* "GET /api/v4/...", for errors */
	struct mm_api_pending **pendings;
	size_t n;
};

struct mm_api {
	struct mm_rest rest;
	struct mm_cache *cache;
	struct mm_api_pending *pending;
	size_t in_flight;
};

/* What an answer held, owned; a user or a channel. */
struct mm_api_found {
	char *id;
	char *username;				    /* users */
	char *type, *name, *team_id, *display_name; /* channels */
};

struct mm_api *
mm_api_new(const struct mm_rest *rest, struct mm_cache *cache)
{
	struct mm_api *api = xcalloc(1, sizeof *api);

	api->rest = *rest;
	api->cache = cache;
	return api;
}

void
mm_api_free(struct mm_api *api)
{
	if (api == NULL)
		return;
	if (api->in_flight != 0 || api->pending != NULL)
		BUG("mm_api_free with lookups under way");
	free(api);
}

size_t
mm_api_in_flight(const struct mm_api *api)
{
	return api->in_flight;
}

/* Validation of what goes into a URL. */

static int
mm_api_all_of(const char *s, const char *set, size_t min, size_t max)
{
	size_t len = strlen(s);

	return len >= min && len <= max && strspn(s, set) == len;
}

int
mm_api_id_valid(const char *s)
{
	return s != NULL && strlen(s) == MM_API_ID_LEN &&
	       mm_api_all_of(s, "abcdefghijklmnopqrstuvwxyz0123456789",
			     MM_API_ID_LEN, MM_API_ID_LEN);
}

int
mm_api_username_valid(const char *s)
{
	return s != NULL && s[0] >= 'a' && s[0] <= 'z' &&
	       mm_api_all_of(s, "abcdefghijklmnopqrstuvwxyz0123456789._-", 1,
			     MM_API_NAME_MAX);
}

int
mm_api_name_valid(const char *s)
{
	return s != NULL &&
	       mm_api_all_of(s, "abcdefghijklmnopqrstuvwxyz0123456789_-", 1,
			     MM_API_NAME_MAX);
}

/* Parsing answers. */

/* The JSON value of len bytes of body, of type want; NULL with *cause. */
static struct json_object *
mm_api_parse(const char *body, size_t len, enum json_type want, char **cause)
{
	struct json_tokener *tok;
	struct json_object *o;
	size_t end;

	if (len > MM_API_MAX_RESPONSE) {
		set_cause(cause, "answer longer than %d bytes",
			  MM_API_MAX_RESPONSE);
		return NULL;
	}
	tok = json_tokener_new_ex(MM_JSON_DEPTH);
	if (tok == NULL)
		fatal("out of memory");
	o = json_tokener_parse_ex(tok, body, (int)len);
	end = json_tokener_get_parse_end(tok);
	if (json_tokener_get_error(tok) != json_tokener_success) {
		set_cause(cause, "answer is not JSON: %s",
			  json_tokener_error_desc(json_tokener_get_error(tok)));
		json_object_put(o);
		o = NULL;
	} else if (end < len && strspn(body + end, " \t\r\n") != len - end) {
		set_cause(cause, "answer has data after the JSON value");
		json_object_put(o);
		o = NULL;
	} else if (!json_object_is_type(o, want)) {
		set_cause(cause, "answer is not a JSON %s",
			  want == json_type_array ? "array" : "object");
		json_object_put(o);
		o = NULL;
	}
	json_tokener_free(tok);
	return o;
}

/*
 * String member key of o: valid UTF-8 without NUL, min..max bytes; NULL
 * with *cause. Borrowed from o.
 */
static const char *
mm_api_string(struct json_object *o, const char *key, size_t min, size_t max,
	      char **cause)
{
	struct json_object *v;
	const char *s;
	size_t len;

	if (!json_object_object_get_ex(o, key, &v)) {
		set_cause(cause, "answer has no %s", key);
		return NULL;
	}
	if (!json_object_is_type(v, json_type_string)) {
		set_cause(cause, "answer's %s is not a string", key);
		return NULL;
	}
	s = json_object_get_string(v);
	len = (size_t)json_object_get_string_len(v);
	if (strlen(s) != len || !utf8_valid(s, len) || len < min || len > max) {
		set_cause(cause, "answer's %s is not valid", key);
		return NULL;
	}
	return s;
}

static void
mm_api_found_release(struct mm_api_found *f)
{
	free(f->id);
	free(f->username);
	free(f->type);
	free(f->name);
	free(f->team_id);
	free(f->display_name);
	memset(f, 0, sizeof *f);
}

/* A User object into *f; -1 with *cause. */
static int
mm_api_parse_user(struct json_object *o, struct mm_api_found *f, char **cause)
{
	const char *id, *username;

	memset(f, 0, sizeof *f);
	if (!json_object_is_type(o, json_type_object))
		return set_cause(cause, "user is not a JSON object");
	id = mm_api_string(o, "id", MM_API_ID_LEN, MM_API_ID_LEN, cause);
	if (id == NULL)
		return -1;
	if (!mm_api_id_valid(id))
		return set_cause(cause, "answer's id is not valid");
	username = mm_api_string(o, "username", 1, MM_API_NAME_MAX, cause);
	if (username == NULL)
		return -1;
	if (!mm_api_username_valid(username))
		return set_cause(cause, "answer's username is not valid");
	f->id = xstrdup(id);
	f->username = xstrdup(username);
	return 0;
}

/* A Channel object into *f; -1 with *cause. */
static int
mm_api_parse_channel(struct json_object *o, struct mm_api_found *f,
		     char **cause)
{
	const char *id, *type, *name, *team_id, *display;

	memset(f, 0, sizeof *f);
	if ((id = mm_api_string(o, "id", MM_API_ID_LEN, MM_API_ID_LEN,
				cause)) == NULL ||
	    (type = mm_api_string(o, "type", 1, 1, cause)) == NULL ||
	    (name = mm_api_string(o, "name", 1, MM_NAME_MAX, cause)) == NULL ||
	    (team_id = mm_api_string(o, "team_id", 0, MM_API_ID_LEN, cause)) ==
		NULL ||
	    (display = mm_api_string(o, "display_name", 0, MM_API_DISPLAY_MAX,
				     cause)) == NULL)
		return -1;
	if (!mm_api_id_valid(id))
		return set_cause(cause, "answer's id is not valid");
	if (strchr("OPDG", type[0]) == NULL)
		return set_cause(cause, "answer's type is not O, P, D or G");
	if (*team_id != '\0' && !mm_api_id_valid(team_id))
		return set_cause(cause, "answer's team_id is not valid");
	f->id = xstrdup(id);
	f->type = xstrdup(type);
	f->name = xstrdup(name);
	f->team_id = xstrdup(team_id);
	f->display_name = xstrdup(display);
	return 0;
}

/* Pendings and waiters. */

static struct mm_api_pending *
mm_api_find(const struct mm_api *api, enum mm_api_kind kind, const char *key)
{
	struct mm_api_pending *p;

	for (p = api->pending; p != NULL; p = p->next)
		if (p->kind == kind && strcmp(p->key, key) == 0)
			return p;
	return NULL;
}

static struct mm_api_pending *
mm_api_pending_add(struct mm_api *api, enum mm_api_kind kind, const char *key)
{
	struct mm_api_pending *p = xcalloc(1, sizeof *p);

	p->kind = kind;
	p->key = xstrdup(key);
	p->tail = &p->waiters;
	p->next = api->pending;
	api->pending = p;
	return p;
}

static void
mm_api_pending_unlink(struct mm_api *api, struct mm_api_pending *p)
{
	struct mm_api_pending **pp;

	for (pp = &api->pending; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == p) {
			*pp = p->next;
			return;
		}
	}
}

static void
mm_api_wait(struct mm_api_pending *p, mm_api_user_cb user_cb,
	    mm_api_channel_cb channel_cb, struct mm_api_batch *batch, void *arg)
{
	struct mm_api_waiter *w = xcalloc(1, sizeof *w);

	w->user_cb = user_cb;
	w->channel_cb = channel_cb;
	w->batch = batch;
	w->arg = arg;
	*p->tail = w;
	p->tail = &w->next;
}

/* One pending of a batch ended. */
static void
mm_api_batch_end(struct mm_api_batch *b, enum mm_api_result result,
		 const char *error)
{
	switch (result) {
	case MM_API_FOUND:
		b->found++;
		break;
	case MM_API_NOT_FOUND:
		b->not_found++;
		break;
	default:
		b->failed++;
		if (b->error == NULL)
			b->error = xstrdup(error != NULL ? error : "error");
		break;
	}
	if (--b->outstanding > 0)
		return;
	b->cb(b->arg, b->found, b->not_found, b->failed, b->error);
	free(b->error);
	free(b);
}

/* Tell p's waiters how it ended and free it (already unlinked). */
static void
mm_api_pending_end(struct mm_api_pending *p, enum mm_api_result result,
		   const struct mm_api_found *f, const char *error)
{
	struct mm_api_waiter *w, *next;
	struct mm_api_user user;
	struct mm_api_channel channel;
	int is_user =
	    p->kind == MM_API_KIND_USER || p->kind == MM_API_KIND_USERNAME;

	if (result == MM_API_FOUND && is_user) {
		user.id = f->id;
		user.username = f->username;
	} else if (result == MM_API_FOUND) {
		channel.id = f->id;
		channel.type = f->type;
		channel.name = f->name;
		channel.team_id = f->team_id;
		channel.display_name = f->display_name;
	}
	if (result != MM_API_ERROR)
		error = NULL;
	for (w = p->waiters; w != NULL; w = next) {
		next = w->next;
		if (w->batch != NULL)
			mm_api_batch_end(w->batch, result, error);
		else if (w->user_cb != NULL)
			w->user_cb(w->arg, result,
				   result == MM_API_FOUND ? &user : NULL,
				   error);
		else
			w->channel_cb(w->arg, result,
				      result == MM_API_FOUND ? &channel : NULL,
				      error);
		free(w);
	}
	free(p->key);
	free(p);
}

/* Calls. */

static void mm_api_done(void *arg, const struct http_response *resp);

/*
 * Start method path (body: JSON or NULL) answering the n pendings of
 * kind with keys; they are added to the list only when it started.
 * NULL with *cause.
 */
static struct mm_api_call *
mm_api_start(struct mm_api *api, enum mm_api_kind kind, const char *method,
	     const char *path, const char *body, const char *const *keys,
	     size_t n, char **cause)
{
	struct mm_api_call *c = xcalloc(1, sizeof *c);
	size_t i;

	c->api = api;
	c->kind = kind;
	c->batch = strcmp(method, "POST") == 0;
	c->what = xasprintf("%s %s", method, path);
	if (mm_rest_start(&api->rest, method, path, body, mm_api_done, c,
			  cause) != 0) {
		free(c->what);
		free(c);
		return NULL;
	}
	c->pendings = xreallocarray(NULL, n, sizeof *c->pendings);
	for (i = 0; i < n; i++)
		c->pendings[i] = mm_api_pending_add(api, kind, keys[i]);
	c->n = n;
	api->in_flight++;
	return c;
}

/* Update the cache with what a lookup of kind and key found. */
static void
mm_api_remember(struct mm_api *api, enum mm_api_kind kind, const char *key,
		const struct mm_api_found *f)
{
	const char *slash;
	char *team;

	if (kind == MM_API_KIND_USER || kind == MM_API_KIND_USERNAME) {
		mm_cache_set_user(api->cache, f->id, f->username);
		return;
	}
	mm_cache_set_channel(api->cache, f->id, f->type, f->name, f->team_id,
			     f->display_name);
	if (kind == MM_API_KIND_CHANNEL_NAME &&
	    (slash = strchr(key, '/')) != NULL) {
		team = xstrndup(key, (size_t)(slash - key));
		mm_cache_set_channel_name(api->cache, team, slash + 1, f->id);
		free(team);
	}
}

/* Whether what a GET of kind and key found is the thing asked for. */
static int
mm_api_matches(enum mm_api_kind kind, const char *key,
	       const struct mm_api_found *f)
{
	const char *slash;

	switch (kind) {
	case MM_API_KIND_USER:
	case MM_API_KIND_CHANNEL:
		return strcmp(f->id, key) == 0;
	case MM_API_KIND_USERNAME:
		return strcmp(f->username, key) == 0;
	default:
		slash = strchr(key, '/');
		return slash != NULL && strcmp(f->name, slash + 1) == 0;
	}
}

/* The users of a POST /users/ids answer, in the order of c's pendings. */
static int
mm_api_parse_batch(const struct mm_api_call *c,
		   const struct http_response *resp, struct mm_api_found *found,
		   char **cause)
{
	struct json_object *a;
	struct mm_api_found f;
	size_t i, j, len;

	a = mm_api_parse(resp->body, resp->body_len, json_type_array, cause);
	if (a == NULL)
		return -1;
	len = json_object_array_length(a);
	if (len > MM_API_BATCH_MAX) {
		json_object_put(a);
		return set_cause(cause, "answer holds more than %d users",
				 MM_API_BATCH_MAX);
	}
	for (i = 0; i < len; i++) {
		if (mm_api_parse_user(json_object_array_get_idx(a, i), &f,
				      cause) != 0) {
			json_object_put(a);
			for (j = 0; j < c->n; j++)
				mm_api_found_release(&found[j]);
			return -1;
		}
		for (j = 0; j < c->n; j++) {
			if (found[j].id == NULL &&
			    strcmp(c->pendings[j]->key, f.id) == 0) {
				found[j] = f;
				memset(&f, 0, sizeof f);
				break;
			}
		}
		mm_api_found_release(&f); /* a user not asked for */
	}
	json_object_put(a);
	return 0;
}

/* A GET's answer into found[0]; the result. *error on MM_API_ERROR. */
static enum mm_api_result
mm_api_parse_one(const struct mm_api_call *c, const struct http_response *resp,
		 struct mm_api_found *found, char **error)
{
	struct json_object *o;
	char *cause = NULL;
	int rc;

	if (resp->status == 404)
		return MM_API_NOT_FOUND;
	o = mm_api_parse(resp->body, resp->body_len, json_type_object, &cause);
	if (o != NULL) {
		rc = c->kind == MM_API_KIND_USER ||
			     c->kind == MM_API_KIND_USERNAME
			 ? mm_api_parse_user(o, &found[0], &cause)
			 : mm_api_parse_channel(o, &found[0], &cause);
		json_object_put(o);
		if (rc == 0 &&
		    !mm_api_matches(c->kind, c->pendings[0]->key, &found[0])) {
			mm_api_found_release(&found[0]);
			cause = xstrdup("answer is about something else");
		}
	}
	if (cause != NULL) {
		*error = xasprintf("%s: %s", c->what, cause);
		free(cause);
		return MM_API_ERROR;
	}
	return MM_API_FOUND;
}

static void
mm_api_done(void *arg, const struct http_response *resp)
{
	struct mm_api_call *c = arg;
	struct mm_api *api = c->api;
	struct mm_api_found *found = xcalloc(c->n, sizeof *found);
	enum mm_api_result result = MM_API_ERROR;
	char *error = NULL, *cause = NULL;
	size_t i;

	api->in_flight--;
	if (resp->status == 0)
		error =
		    xasprintf("%s: %s", c->what,
			      resp->error != NULL ? resp->error : "no answer");
	else if (resp->status != 200 && (c->batch || resp->status != 404))
		error = xasprintf("%s answered %ld", c->what, resp->status);
	else if (!c->batch)
		result = mm_api_parse_one(c, resp, found, &error);
	else if (mm_api_parse_batch(c, resp, found, &cause) != 0) {
		error = xasprintf("%s: %s", c->what, cause);
		free(cause);
	} else
		result = MM_API_FOUND; /* those left out: not found */
	for (i = 0; i < c->n; i++)
		mm_api_pending_unlink(api, c->pendings[i]);
	for (i = 0; i < c->n; i++) {
		enum mm_api_result r = result;

		if (r == MM_API_FOUND && found[i].id == NULL)
			r = MM_API_NOT_FOUND;
		if (r == MM_API_FOUND)
			mm_api_remember(api, c->kind, c->pendings[i]->key,
					&found[i]);
		mm_api_pending_end(c->pendings[i], r, &found[i], error);
	}
	for (i = 0; i < c->n; i++)
		mm_api_found_release(&found[i]);
	free(found);
	free(error);
	free(c->pendings);
	free(c->what);
	free(c);
}

/* The lookups. */

/* Join or start a GET of one thing; 0 or -1 with *cause. */
static int
mm_api_get(struct mm_api *api, enum mm_api_kind kind, const char *key,
	   const char *path, mm_api_user_cb user_cb,
	   mm_api_channel_cb channel_cb, void *arg, char **cause)
{
	struct mm_api_pending *p = mm_api_find(api, kind, key);
	struct mm_api_call *c;

	if (p == NULL) {
		c = mm_api_start(api, kind, "GET", path, NULL, &key, 1, cause);
		if (c == NULL)
			return -1;
		p = c->pendings[0];
	}
	mm_api_wait(p, user_cb, channel_cb, NULL, arg);
	return 0;
}

int
mm_api_user(struct mm_api *api, const char *id, struct mm_api_user *out,
	    mm_api_user_cb cb, void *arg, char **cause)
{
	const char *name;
	char *path;
	int rc;

	if (!mm_api_id_valid(id))
		return set_cause(cause, "invalid user id '%.64s'", id);
	if ((name = mm_cache_user(api->cache, id)) != NULL) {
		out->id = id;
		out->username = name;
		return 1;
	}
	path = xasprintf("/api/v4/users/%s", id);
	rc = mm_api_get(api, MM_API_KIND_USER, id, path, cb, NULL, arg, cause);
	free(path);
	return rc;
}

int
mm_api_user_by_name(struct mm_api *api, const char *username,
		    struct mm_api_user *out, mm_api_user_cb cb, void *arg,
		    char **cause)
{
	const char *id;
	char *path;
	int rc;

	if (!mm_api_username_valid(username))
		return set_cause(cause, "invalid username '%.64s'", username);
	if ((id = mm_cache_user_id(api->cache, username)) != NULL) {
		out->id = id;
		out->username = username;
		return 1;
	}
	path = xasprintf("/api/v4/users/username/%s", username);
	rc = mm_api_get(api, MM_API_KIND_USERNAME, username, path, cb, NULL,
			arg, cause);
	free(path);
	return rc;
}

/* *out from a cached channel, when looked up before; 0 if not. */
static int
mm_api_channel_cached(const struct mm_channel_seen *ch,
		      struct mm_api_channel *out)
{
	if (ch == NULL || ch->name == NULL || ch->type[0] == '\0')
		return 0;
	out->id = ch->id;
	out->type = ch->type;
	out->name = ch->name;
	out->team_id = ch->team_id;
	out->display_name = ch->display_name;
	return 1;
}

int
mm_api_channel(struct mm_api *api, const char *id, struct mm_api_channel *out,
	       mm_api_channel_cb cb, void *arg, char **cause)
{
	char *path;
	int rc;

	if (!mm_api_id_valid(id))
		return set_cause(cause, "invalid channel id '%.64s'", id);
	if (mm_api_channel_cached(mm_cache_channel_find(api->cache, id), out))
		return 1;
	path = xasprintf("/api/v4/channels/%s", id);
	rc = mm_api_get(api, MM_API_KIND_CHANNEL, id, path, NULL, cb, arg,
			cause);
	free(path);
	return rc;
}

int
mm_api_channel_by_name(struct mm_api *api, const char *team_name,
		       const char *name, struct mm_api_channel *out,
		       mm_api_channel_cb cb, void *arg, char **cause)
{
	const char *id;
	char *key, *path;
	int rc;

	if (!mm_api_name_valid(team_name))
		return set_cause(cause, "invalid team name '%.64s'", team_name);
	if (!mm_api_name_valid(name))
		return set_cause(cause, "invalid channel name '%.64s'", name);
	id = mm_cache_channel_by_name(api->cache, team_name, name);
	if (id != NULL &&
	    mm_api_channel_cached(mm_cache_channel_find(api->cache, id), out))
		return 1;
	key = xasprintf("%s/%s", team_name, name);
	path = xasprintf("/api/v4/teams/name/%s/channels/name/%s", team_name,
			 name);
	rc = mm_api_get(api, MM_API_KIND_CHANNEL_NAME, key, path, NULL, cb, arg,
			cause);
	free(path);
	free(key);
	return rc;
}

int
mm_api_users(struct mm_api *api, const char *const *ids, size_t n,
	     mm_api_users_cb cb, void *arg, char **cause)
{
	struct mm_api_pending **join;
	struct mm_api_batch *b;
	struct mm_api_call *c = NULL;
	struct json_object *body;
	const char **fresh;
	size_t i, j, n_join = 0, n_fresh = 0, n_cached = 0;
	char *text;
	int seen;

	if (n == 0 || n > MM_API_BATCH_MAX)
		return set_cause(cause, "between 1 and %d user ids, not %zu",
				 MM_API_BATCH_MAX, n);
	for (i = 0; i < n; i++)
		if (!mm_api_id_valid(ids[i]))
			return set_cause(cause, "invalid user id '%.64s'",
					 ids[i]);
	join = xreallocarray(NULL, n, sizeof *join);
	fresh = xreallocarray(NULL, n, sizeof *fresh);
	body = json_object_new_array();
	if (body == NULL)
		fatal("out of memory");
	for (i = 0; i < n; i++) {
		for (seen = 0, j = 0; j < i && !seen; j++)
			seen = strcmp(ids[i], ids[j]) == 0;
		if (seen)
			continue;
		if (mm_cache_user(api->cache, ids[i]) != NULL)
			n_cached++;
		else if ((join[n_join] = mm_api_find(api, MM_API_KIND_USER,
						     ids[i])) != NULL)
			n_join++;
		else {
			fresh[n_fresh++] = ids[i];
			if (json_object_array_add(
				body, json_object_new_string(ids[i])) != 0)
				fatal("out of memory");
		}
	}
	if (n_fresh > 0) {
		text = xstrdup(json_object_to_json_string_ext(
		    body, JSON_C_TO_STRING_PLAIN));
		c = mm_api_start(api, MM_API_KIND_USER, "POST",
				 "/api/v4/users/ids", text, fresh, n_fresh,
				 cause);
		free(text);
	}
	json_object_put(body);
	free(fresh);
	if (n_fresh > 0 && c == NULL) {
		free(join);
		return -1;
	}
	if (n_join + n_fresh == 0) {
		free(join);
		return 1;
	}
	b = xcalloc(1, sizeof *b);
	b->cb = cb;
	b->arg = arg;
	b->found = n_cached;
	b->outstanding = n_join + n_fresh;
	for (i = 0; i < n_join; i++)
		mm_api_wait(join[i], NULL, NULL, b, NULL);
	for (i = 0; c != NULL && i < c->n; i++)
		mm_api_wait(c->pendings[i], NULL, NULL, b, NULL);
	free(join);
	return 0;
}
