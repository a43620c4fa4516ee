/* SPDX-License-Identifier: MIT */
/*
 * mm-api.h: asynchronous Mattermost REST lookups of users and channels,
 * private to the Mattermost adapter, with what they learn kept in the
 * adapter's cache (mm-cache.h):
 *
 *	user by id		GET  /api/v4/users/{id}
 *	users by ids		POST /api/v4/users/ids
 *	user by username	GET  /api/v4/users/username/{username}
 *	channel by id		GET  /api/v4/channels/{id}
 *	channel by team and name GET
 * /api/v4/teams/name/{team}/channels/name/{name}
 *
 * Each lookup first asks the cache: a hit answers at once (the return
 * value says so, the callback is not called). Otherwise it joins a lookup
 * of the same thing already under way, or starts a request; the callback
 * then runs exactly once, later, from the loop: found, not found (404,
 * or an id the server left out of a batch answer) or an error (any other
 * status, a transport error, an answer that is not what the spec
 * describes). When the HTTP client is closed, lookups under way end with
 * an error. Ids (26 characters a-z 0-9), usernames and team and channel
 * names are checked before they go into a URL; answers are parsed with
 * caps on size and nesting and every field's type and length checked.
 * Nothing here logs: errors go to the callbacks.
 *
 *	api = mm_api_new(&rest, cache);
 *	rc = mm_api_user(api, id, &user, cb, arg, &cause);
 *	   1: user filled from the cache; 0: cb(arg, ...) later; -1: *cause
 *	... http_client_close() (ends what is under way), then ...
 *	mm_api_free(api);
 */

#ifndef LIHUI_ADAPTER_MM_API_H
#define LIHUI_ADAPTER_MM_API_H

#include <stddef.h>

#include "mm-cache.h"
#include "mm-rest.h"

/** Length of a Mattermost id. */
#define MM_API_ID_LEN 26
/** Longest username, team name and channel name, in bytes. */
#define MM_API_NAME_MAX 64
/** Longest display name accepted in an answer, in bytes. */
#define MM_API_DISPLAY_MAX 1024
/** Most ids one mm_api_users() call takes. */
#define MM_API_BATCH_MAX 200
/** Longest answer accepted, in bytes. */
#define MM_API_MAX_RESPONSE (2 * 1024 * 1024)

enum mm_api_result {
	MM_API_FOUND,
	MM_API_NOT_FOUND,
	MM_API_ERROR,
};

/* A user, borrowed (by a callback: until it returns). */
struct mm_api_user {
	const char *id;
	const char *username;
};

/* A channel, borrowed (by a callback: until it returns). */
struct mm_api_channel {
	const char *id;
	const char *type;    /* "O", "P", "D" or "G" */
	const char *name;    /* the URL handle ("<id>__<id>" for a DM) */
	const char *team_id; /* "" for DMs and group messages */
	const char *display_name;
};

/*
 * The end of a lookup of one user or channel: the user or channel when
 * result is MM_API_FOUND (else NULL), and error (else NULL) when it is
 * MM_API_ERROR.
 */
typedef void (*mm_api_user_cb)(void *arg, enum mm_api_result result,
			       const struct mm_api_user *user,
			       const char *error);
typedef void (*mm_api_channel_cb)(void *arg, enum mm_api_result result,
				  const struct mm_api_channel *channel,
				  const char *error);
/*
 * The end of mm_api_users(): how many of the distinct ids are now known
 * (in the cache, unless it is full), how many the server does not know,
 * and how many could not be looked up, with the first error (NULL when
 * none).
 */
typedef void (*mm_api_users_cb)(void *arg, size_t found, size_t not_found,
				size_t failed, const char *error);

struct mm_api;

/** Lookups through rest (copied; its strings stay borrowed) into cache. */
struct mm_api *mm_api_new(const struct mm_rest *rest, struct mm_cache *cache);
/**
 * Free api. Every lookup must have ended (close the HTTP client first);
 * NULL is ignored.
 */
void mm_api_free(struct mm_api *api);

/** Lookups under way (requests not answered yet). */
size_t mm_api_in_flight(const struct mm_api *api);

/*
 * The lookups. Each returns 1 when the cache knows the answer (*out
 * filled, borrowed until the cache changes; cb not called), 0 when cb
 * will run later, or -1 with *cause when the argument is invalid or the
 * request cannot start (cb not called). A callback may start lookups but
 * must not free api.
 */
int mm_api_user(struct mm_api *api, const char *id, struct mm_api_user *out,
		mm_api_user_cb cb, void *arg, char **cause);
int mm_api_user_by_name(struct mm_api *api, const char *username,
			struct mm_api_user *out, mm_api_user_cb cb, void *arg,
			char **cause);
int mm_api_channel(struct mm_api *api, const char *id,
		   struct mm_api_channel *out, mm_api_channel_cb cb, void *arg,
		   char **cause);
int mm_api_channel_by_name(struct mm_api *api, const char *team_name,
			   const char *name, struct mm_api_channel *out,
			   mm_api_channel_cb cb, void *arg, char **cause);
/**
 * The users of n ids (1..MM_API_BATCH_MAX, repeats allowed) into the
 * cache: those not cached and not being looked up already in one
 * POST /api/v4/users/ids. 1 when all are cached, 0 when cb will run,
 * -1 with *cause.
 */
int mm_api_users(struct mm_api *api, const char *const *ids, size_t n,
		 mm_api_users_cb cb, void *arg, char **cause);

/** Whether s is a Mattermost id: 26 characters a-z 0-9. */
int mm_api_id_valid(const char *s);
/** Whether s is a username: 1..64 of a-z 0-9 . _ -, a letter first. */
int mm_api_username_valid(const char *s);
/** Whether s is a team or channel name: 1..64 of a-z 0-9 _ -. */
int mm_api_name_valid(const char *s);

#endif
