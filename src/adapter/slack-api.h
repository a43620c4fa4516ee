/* SPDX-License-Identifier: MIT */
/*
 * slack-api.h: the Slack Web API calls lihui makes, private to the Slack
 * adapter, asynchronous on the HTTP client (http.h):
 *
 *	auth.test		POST, bot token		who the bot is
 *	apps.connections.open	POST form, app token	a Socket Mode URL
 *	chat.postMessage	POST JSON		channel, text
 *	chat.postEphemeral	POST JSON		channel, user, text
 *	chat.update		POST JSON		channel, ts, text
 *	reactions.add		POST JSON		channel, timestamp, name
 *	conversations.open	POST JSON		users (one: a DM)
 *	users.info		GET ?user=		one user's name
 *	users.list		GET ?limit=&cursor=	a name's id (paginated)
 *
 * Tokens travel only in "Authorization: Bearer" headers: never in a URL,
 * a body, a log line or an error. Every answer is checked: HTTP 429 and
 * ok:false "ratelimited" are SLACK_API_RETRY with Retry-After; other
 * ok:false codes are SLACK_API_FAILED (or NOT_FOUND for an unknown user),
 * with auth set for codes a new token is needed for (invalid_auth & co).
 *
 * Double posts. chat.postMessage has no idempotency key: a request that
 * may have reached Slack but whose answer was lost (a timeout, a dropped
 * connection once the request was under way, HTTP 5xx other than 502/503,
 * ok:false internal_error / fatal_error, an answer that is not JSON) may
 * have posted. Such a failure of chat.postMessage is SLACK_API_FAILED
 * with an error saying so, never a retry: lihui prefers a post missing
 * (the outbox keeps the row as failed, and the log says why) to the same
 * post twice. Failures that show the request was not taken (the host not
 * reached, 429, 502, 503, ok:false ratelimited / service_unavailable /
 * request_timeout) are retried as usual. Every other call is idempotent
 * (chat.update, reactions.add with already_reacted taken as success,
 * conversations.open, lookups) or harmless to repeat (chat.postEphemeral
 * shows a transient note to one user) and is retried on any temporary
 * failure.
 *
 * Users: a bounded cache maps ids to names and back; it is fed by
 * users.info, users.list pages and the names events carry
 * (slack_api_user_learn). DM channels are cached per user.
 */

#ifndef LIHUI_ADAPTER_SLACK_API_H
#define LIHUI_ADAPTER_SLACK_API_H

#include <stddef.h>

#include "lihui/http.h"

/** How long one call may take, in ms, by default. */
#define SLACK_API_TIMEOUT_MS 30000L
/** Longest answer accepted, in bytes. */
#define SLACK_API_MAX_RESPONSE (4 * 1024 * 1024)
/** Users and DM channels the caches hold at most. */
#define SLACK_API_USERS_MAX 4096
#define SLACK_API_DMS_MAX   1024
/** Longest user name kept, in bytes. */
#define SLACK_API_NAME_MAX 80
/** users.list: members per page, and pages walked for one name at most. */
#define SLACK_API_LIST_LIMIT 200
#define SLACK_API_LIST_PAGES 100
/** How long a complete users.list walk answers "no such user", in ms. */
#define SLACK_API_WALK_FRESH_MS (10 * 60 * 1000)

struct slack_api_config {
	struct http_client *http;
	const char *url;       /* base URL, e.g. "https://slack.com/api" */
	const char *bot_token; /* xoxb-: a secret */
	const char *app_token; /* xapp-: a secret; NULL in HTTP mode */
	const char *ca_file;   /* NULL: the system's CAs */
	int insecure;
	long timeout_ms; /* 0: SLACK_API_TIMEOUT_MS */
};

enum slack_api_status {
	SLACK_API_OK,
	SLACK_API_RETRY,     /* temporary: try again after retry_after */
	SLACK_API_FAILED,    /* permanent for this request */
	SLACK_API_NOT_FOUND, /* lookups: no such user */
};

/* The end of a call; every pointer is borrowed until the callback
 * returns. */
struct slack_api_result {
	enum slack_api_status status;
	/* Not OK: why, for logs and the outbox ("ratelimited",
	 * "channel_not_found", "http 500", a transport error); never a
	 * token. */
	const char *error;
	int retry_after; /* SLACK_API_RETRY: seconds to wait, 0: unknown */
	int auth;	 /* FAILED because of the token (invalid_auth, ...) */
	const char *channel;   /* postMessage, update, conversations.open */
	const char *ts;	       /* postMessage, update; postEphemeral: the
				  message_ts */
	const char *url;       /* apps.connections.open */
	const char *user_id;   /* auth.test, users.info, user_find */
	const char *user_name; /* auth.test ("user"), users.info, user_find */
	const char *bot_id;    /* auth.test */
	const char *team_id;   /* auth.test */
};

typedef void (*slack_api_cb)(void *arg, const struct slack_api_result *r);

struct slack_api;

/** Calls through cfg (copied; the strings are copied too). */
struct slack_api *slack_api_new(const struct slack_api_config *cfg);
/**
 * Free api. Every call must have ended: close the HTTP client first
 * (which ends the calls under way with SLACK_API_RETRY). NULL is ignored.
 */
void slack_api_free(struct slack_api *api);
/** Calls under way. */
size_t slack_api_in_flight(const struct slack_api *api);

/*
 * The calls. Each returns 0 when cb(arg, ...) will run later (exactly
 * once, from the loop), or -1 with *cause when an argument is invalid or
 * the request cannot start (cb is then not called). cb may be NULL for
 * slack_api_user_info(): the answer then only goes into the cache. The
 * lookups return 1
 * when the cache answers at once (*out set, borrowed until the cache
 * changes; cb not called).
 */
int slack_api_auth_test(struct slack_api *api, slack_api_cb cb, void *arg,
			char **cause);
int slack_api_connections_open(struct slack_api *api, slack_api_cb cb,
			       void *arg, char **cause);
int slack_api_post_message(struct slack_api *api, const char *channel,
			   const char *text, slack_api_cb cb, void *arg,
			   char **cause);
int slack_api_post_ephemeral(struct slack_api *api, const char *channel,
			     const char *user, const char *text,
			     slack_api_cb cb, void *arg, char **cause);
int slack_api_update(struct slack_api *api, const char *channel, const char *ts,
		     const char *text, slack_api_cb cb, void *arg,
		     char **cause);
int slack_api_reaction_add(struct slack_api *api, const char *channel,
			   const char *ts, const char *name, slack_api_cb cb,
			   void *arg, char **cause);
int slack_api_open_dm(struct slack_api *api, const char *user_id,
		      const char **out, slack_api_cb cb, void *arg,
		      char **cause);
int slack_api_user_info(struct slack_api *api, const char *user_id,
			const char **out, slack_api_cb cb, void *arg,
			char **cause);
/**
 * The id of the user called name (without '@'; case is ignored) or
 * display-named so. 1 with *out NULL: no such user (a walk of the whole
 * list in the last SLACK_API_WALK_FRESH_MS did not find it).
 */
int slack_api_user_find(struct slack_api *api, const char *name,
			const char **out, slack_api_cb cb, void *arg,
			char **cause);

/**
 * Read the whole users.list (at most SLACK_API_LIST_PAGES pages) into
 * the cache: cb (may be NULL) gets SLACK_API_OK at the end, or the error
 * that stopped it.
 */
int slack_api_users_load(struct slack_api *api, slack_api_cb cb, void *arg,
			 char **cause);

/** Remember that user id is called name (from an event or a command). */
void slack_api_user_learn(struct slack_api *api, const char *id,
			  const char *name);
/** The cache alone: a user's name, or a name's id; NULL when unknown. */
const char *slack_api_user_name(const struct slack_api *api, const char *id);
const char *slack_api_user_id(const struct slack_api *api, const char *name);

/** Whether name could be a Slack user name: 1..80 of A-Z a-z 0-9 . _ - */
int slack_api_name_valid(const char *name);

/*
 * How an answer ends (exposed for tests): the HTTP status (0: transport
 * error with error), the body, Retry-After, and whether repeating the
 * request is harmless. Fills r's status, error (a static string or one
 * of Slack's codes borrowed from o), retry_after and auth; *o gets the
 * parsed answer when the status is OK (caller puts it).
 */
struct json_object;
void slack_api_classify(const struct http_response *resp, int idempotent,
			struct slack_api_result *r, struct json_object **o,
			char *why, size_t why_size);

#endif
