/* SPDX-License-Identifier: MIT */
/*
 * fake-slack.h: a fake Slack for tests, on the test's libuv loop, listening
 * on 127.0.0.1 on a free port. One port serves both the Web API (at
 * /api/<method>, so lihui's api_url is fake_slack_api_url()) and the
 * Socket Mode WebSocket (at /link/?ticket=N).
 *
 * Web API. Every answer is JSON; failures are HTTP 200 with
 * {"ok":false,"error":"..."} like Slack (429 for rate limits). Requests
 * must carry "Authorization: Bearer <token>": none gives not_authed, an
 * unknown token invalid_auth, the app token (xapp) on anything but
 * apps.connections.open or the bot token (xoxb) on it
 * not_allowed_token_type (a "token" argument is ignored). Arguments come
 * from the query string and from the body: JSON ("application/json") or
 * form encoding (anything else); like Slack, users.info, users.list,
 * auth.test and apps.connections.open ignore a JSON body. An unknown
 * method gets unknown_method; a path outside /api/ and /link/ gets 404.
 * Methods:
 *   auth.test            url, team, user, team_id, user_id, bot_id
 *   apps.connections.open  url: this port's /link/?ticket=N&app_id=A with
 *                        the ws scheme (a fresh single-use ticket N per
 *                        call)
 *   chat.postMessage     channel (a known channel, the DM id of a known
 *                        user, or a user id: that DM; else
 *                        channel_not_found), text or blocks (no_text;
 *                        invalid_blocks if not an array), text at most
 *                        FAKE_SLACK_MAX_TEXT (msg_too_long); answers
 *                        channel, ts ("1700000000.000100", increasing),
 *                        message
 *   chat.postEphemeral   channel, user (user_not_found), text or blocks;
 *                        answers message_ts
 *   chat.update          channel, ts of a posted message
 *                        (message_not_found), text or blocks
 *   conversations.open   users (one id; user_not_found,
 *                        users_list_not_supplied) or channel; answers
 *                        channel.id fake_slack_dm_id(user), already_open
 *   users.info           user (user_not_found): the user object
 *   users.list           limit, cursor (invalid_cursor): members and
 *                        response_metadata.next_cursor ("" at the end)
 *   reactions.add        channel, timestamp (of a posted message or of a
 *                        pushed message event; message_not_found), name
 *                        (invalid_name; already_reacted)
 * Every request is recorded with what it was answered (status 0 while not
 * answered yet).
 *
 * Scripting. fake_slack_fail(), fake_slack_ratelimit(), fake_slack_hang()
 * and fake_slack_slow() change the next count answers of one Web API
 * method (NULL: any method), before the token check. A failed,
 * rate-limited or hung request changes nothing; a slow one is carried out
 * at once and only its answer is late. The oldest script with count left
 * wins. Named FAKE_SLACK_LINK (never by NULL), a script applies to the
 * WebSocket upgrade: fail and ratelimit answer 503 (the ticket stays
 * unused), hang never answers, slow does not apply.
 *
 * Socket Mode. RFC 6455 server side, text frames, client messages at most
 * FAKE_SLACK_WS_MAX_MESSAGE bytes. An upgrade with an unknown or used
 * ticket gets 401 (and is counted in fake_slack_ws_refused()). An
 * accepted connection gets {"type":"hello",...} (with num_connections
 * and debug_info.approximate_connection_time) at once or after
 * fake_slack_ws_hello_delay(). At most FAKE_SLACK_WS_MAX connections are
 * open at once: one more gets a "too_many_websockets" disconnect and is
 * closed. Each envelope the test pushes goes to one connection, the newest
 * that got hello; while there is none it waits and goes to the next
 * connection that gets hello (as Slack keeps undelivered envelopes).
 * Text messages from the client are recorded; one with an "envelope_id"
 * is the ack of the newest envelope of that id (its payload and time are
 * recorded). The fake never redelivers by itself (an envelope sent to a
 * connection that went away unacked stays unacked: see
 * fake_slack_unacked() and fake_slack_redeliver()). Pings get pongs.
 *
 *	struct fake_slack *sl = fake_slack_new(loop, "xoxb-1", "xapp-1",
 *&cause); api_url = fake_slack_api_url(sl);	"http://127.0.0.1:<port>/api"
 *	... start lihui; fake_slack_wait(sl, ready, ...) ...
 *	id = fake_slack_push_command(sl, "/report", "done: x",
 *				     FAKE_SLACK_ALICE_ID,
 *FAKE_SLACK_CHANNEL_ID);
 *	... wait until fake_slack_envelope_find(sl, id)->acks > 0 ...
 *	fake_slack_close(sl);	then run the loop until it is idle
 *
 * Everything returned is borrowed until fake_slack_close() unless said
 * otherwise.
 */
#ifndef LIHUI_TEST_FAKE_SLACK_H
#define LIHUI_TEST_FAKE_SLACK_H

#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "fake-server.h"

/* What the server starts with. */
#define FAKE_SLACK_TEAM_ID	"T0FAKE0001"
#define FAKE_SLACK_TEAM_NAME	"fake"
#define FAKE_SLACK_APP_ID	"A0FAKE0001"
#define FAKE_SLACK_BOT_USER_ID	"U0LIHUI001"
#define FAKE_SLACK_BOT_NAME	"lihui"
#define FAKE_SLACK_BOT_ID	"B0LIHUI001"
#define FAKE_SLACK_ALICE_ID	"U0ALICE001"
#define FAKE_SLACK_BOB_ID	"U0BOB00001"
#define FAKE_SLACK_CAROL_ID	"U0CAROL001"
#define FAKE_SLACK_CHANNEL_ID	"C0OPS00001"
#define FAKE_SLACK_CHANNEL_NAME "ops"
/*
 * The first ts handed out; each later one is 100 us later. Posts,
 * ephemeral posts and pushed message events share the counter.
 */
#define FAKE_SLACK_FIRST_TS "1700000000.000100"
/* Longest text accepted (msg_too_long beyond). */
#define FAKE_SLACK_MAX_TEXT 40000
/* Most WebSocket connections open at once. */
#define FAKE_SLACK_WS_MAX	  10
#define FAKE_SLACK_WS_MAX_MESSAGE (1024 * 1024)
/* A count for the scripting functions: every matching request. */
#define FAKE_SLACK_ALWAYS (-1)
/* The "method" name of the WebSocket upgrade, for scripts. */
#define FAKE_SLACK_LINK "link"

struct fake_slack;

/* A decoded argument (query, form or JSON member). */
struct fake_slack_arg {
	char *name;
	char *value; /* strings as they are, other JSON values as JSON text */
};

/* One HTTP request: a Web API call or a WebSocket upgrade. */
struct fake_slack_request {
	char *method; /* HTTP method */
	char *target; /* as sent: path and query */
	char *path;   /* target without the query */
	char *api;    /* "chat.postMessage"; FAKE_SLACK_LINK; or "" */
	struct fake_server_header *headers;
	size_t nheaders;
	char *body; /* NUL-terminated; "" when empty */
	size_t body_len;
	struct fake_slack_arg *args; /* what the method read */
	size_t nargs;
	int json;	/* the body was taken as JSON */
	uint64_t at_ms; /* uv_now() when it came */
	int status;	/* HTTP status answered; 0 while not (yet) */
	char *error;	/* the "error" of an ok:false answer, or NULL */
	char *answer;	/* the body answered, or NULL */
};

/* A message made with chat.postMessage. */
struct fake_slack_message {
	char *channel;
	char *ts;
	char *text;	 /* the latest text, after chat.update ("" if none) */
	char *blocks;	 /* the latest blocks as JSON text, or NULL */
	char *thread_ts; /* NULL for a top-level message */
	int updates;	 /* chat.update calls that hit it */
};

/* A chat.postEphemeral that was answered ok. */
struct fake_slack_ephemeral {
	char *channel;
	char *user;
	char *text;
	char *message_ts;
};

/* A reactions.add that was answered ok. */
struct fake_slack_reaction {
	char *channel;
	char *timestamp;
	char *name;
};

/* An envelope sent (or waiting to be sent) over Socket Mode. */
struct fake_slack_envelope {
	char *envelope_id;
	char *type;	/* "slash_commands", "events_api", "interactive" */
	char *payload;	/* JSON text */
	char *event_id; /* events_api: payload.event_id; else NULL */
	int accepts_response_payload;
	int retry_attempt;
	uint64_t conn;	   /* the connection it went to (1 for the first
			      WebSocket upgrade, and so on); 0 while waiting */
	uint64_t sent_ms;  /* uv_now() when sent */
	int acks;	   /* acks received for it */
	char *ack;	   /* the last ack message as sent, or NULL */
	char *ack_payload; /* its "payload" as JSON text, or NULL */
	uint64_t ack_ms;   /* uv_now() when the first ack came */
};

/**
 * A server on loop taking bot_token (xoxb-...) and app_token (xapp-...);
 * NULL with *cause filled on failure.
 */
struct fake_slack *fake_slack_new(uv_loop_t *loop, const char *bot_token,
				  const char *app_token, char **cause);

/**
 * Stop listening and close every connection. The server frees itself once
 * libuv has closed its handles: keep running the loop afterwards.
 */
void fake_slack_close(struct fake_slack *f);

/** The port on 127.0.0.1. */
int fake_slack_port(const struct fake_slack *f);
/** "http://127.0.0.1:<port><path>"; caller frees. */
char *fake_slack_url(const struct fake_slack *f, const char *path);
/** "http://127.0.0.1:<port>/api" (lihui's api_url); caller frees. */
char *fake_slack_api_url(const struct fake_slack *f);

/**
 * Add (or rename) a user; bot_id is NULL for a person. tz is an IANA zone
 * name (NULL: "Europe/Berlin").
 */
void fake_slack_add_user(struct fake_slack *f, const char *id, const char *name,
			 const char *bot_id, const char *tz);
/** Add a public channel. */
void fake_slack_add_channel(struct fake_slack *f, const char *id,
			    const char *name);
/** The DM channel id of user_id ("D" + the id without its first letter). */
void fake_slack_dm_id(const char *user_id, char out[32]);
/** Cap the page of users.list at n members (0: only limit counts). */
void fake_slack_users_page(struct fake_slack *f, size_t n);

/* Scripting (see above). */
/** Answer HTTP 200 {"ok":false,"error":error}; on the upgrade, 503. */
void fake_slack_fail(struct fake_slack *f, const char *method, int count,
		     const char *error);
/** Answer 429 {"ok":false,"error":"ratelimited"}, Retry-After: seconds
 * (no header when < 0). */
void fake_slack_ratelimit(struct fake_slack *f, const char *method, int count,
			  int retry_after);
/** Record but never answer (the connection stays open). */
void fake_slack_hang(struct fake_slack *f, const char *method, int count);
/** Carry the request out at once and answer it after delay_ms. */
void fake_slack_slow(struct fake_slack *f, const char *method, int count,
		     uint64_t delay_ms);
/** Forget every script. */
void fake_slack_unscript(struct fake_slack *f);

/* Requests. */
size_t fake_slack_request_count(const struct fake_slack *f);
const struct fake_slack_request *
fake_slack_request_at(const struct fake_slack *f, size_t i);
/** How many requests called method (NULL: any). */
size_t fake_slack_count(const struct fake_slack *f, const char *method);
/** The last request that called method (NULL: any), or NULL. */
const struct fake_slack_request *fake_slack_last(const struct fake_slack *f,
						 const char *method);
/** The value of header name (case-insensitive), or NULL. */
const char *fake_slack_header(const struct fake_slack_request *r,
			      const char *name);
/** The value of argument name as the method read it, or NULL. */
const char *fake_slack_arg(const struct fake_slack_request *r,
			   const char *name);

/* What the Web API calls did. */
size_t fake_slack_message_count(const struct fake_slack *f);
const struct fake_slack_message *
fake_slack_message_at(const struct fake_slack *f, size_t i);
const struct fake_slack_message *
fake_slack_message_find(const struct fake_slack *f, const char *channel,
			const char *ts);
size_t fake_slack_ephemeral_count(const struct fake_slack *f);
const struct fake_slack_ephemeral *
fake_slack_ephemeral_at(const struct fake_slack *f, size_t i);
size_t fake_slack_reaction_count(const struct fake_slack *f);
const struct fake_slack_reaction *
fake_slack_reaction_at(const struct fake_slack *f, size_t i);
/** Tickets handed out by apps.connections.open so far. */
int fake_slack_tickets(const struct fake_slack *f);

/* Socket Mode: envelopes. Each push returns the envelope id. */
/**
 * Push an envelope of type with payload (a JSON object as text);
 * events_api envelopes get retry_attempt 0 and retry_reason "".
 */
const char *fake_slack_push(struct fake_slack *f, const char *type,
			    const char *payload, int accepts_response_payload);
/**
 * A slash_commands envelope: command ("/report") run with text by user_id
 * in channel_id (names filled in from the users and channels known).
 */
const char *fake_slack_push_command(struct fake_slack *f, const char *command,
				    const char *text, const char *user_id,
				    const char *channel_id);
/**
 * An events_api envelope around event (a JSON object as text) in an
 * event_callback with a fresh event_id.
 */
const char *fake_slack_push_event(struct fake_slack *f, const char *event);
/**
 * A "message" event from user_id in channel_id with text; channel_type is
 * "channel", "group" or "im".
 */
const char *fake_slack_push_message(struct fake_slack *f,
				    const char *channel_id, const char *user_id,
				    const char *text, const char *channel_type);
/** An "app_mention" event (text should hold "<@" FAKE_SLACK_BOT_USER_ID ">").
 */
const char *fake_slack_push_mention(struct fake_slack *f,
				    const char *channel_id, const char *user_id,
				    const char *text);
/** An interactive envelope with payload (a JSON object as text). */
const char *fake_slack_push_interactive(struct fake_slack *f,
					const char *payload);
/**
 * Send envelope_id again (acked or not) with retry_attempt + 1 and
 * retry_reason "timeout" (events_api), as a new record: with the same
 * envelope id if same_id, else a fresh one. NULL if envelope_id is unknown.
 */
const char *fake_slack_redeliver(struct fake_slack *f, const char *envelope_id,
				 int same_id);

size_t fake_slack_envelope_count(const struct fake_slack *f);
const struct fake_slack_envelope *
fake_slack_envelope_at(const struct fake_slack *f, size_t i);
/** The newest envelope with this id, or NULL. */
const struct fake_slack_envelope *
fake_slack_envelope_find(const struct fake_slack *f, const char *envelope_id);
/** Envelopes sent and not acked. */
size_t fake_slack_unacked(const struct fake_slack *f);
/** Acks whose envelope_id matched no envelope. */
int fake_slack_stray_acks(const struct fake_slack *f);

/* Socket Mode: connections. */
/** Seconds in hello's debug_info.approximate_connection_time (3600). */
void fake_slack_ws_connection_time(struct fake_slack *f, int seconds);
/** Send hello ms after the upgrade (0: at once, the default). */
void fake_slack_ws_hello_delay(struct fake_slack *f, uint64_t ms);
/**
 * Send {"type":"disconnect","reason":reason,...} to the newest connection
 * that got hello and close it after close_after_ms (< 0: leave it open).
 * 0 if sent, -1 if there was no such connection.
 */
int fake_slack_ws_disconnect(struct fake_slack *f, const char *reason,
			     int64_t close_after_ms);
/** Send text as one frame to every connection that got hello. */
void fake_slack_ws_send_raw(struct fake_slack *f, const char *text);
/** Send a ping frame to every open connection. */
void fake_slack_ws_ping(struct fake_slack *f);
/** Close every WebSocket connection abruptly (no close frame). */
void fake_slack_ws_drop(struct fake_slack *f);
/** Send a close frame with code to every connection, then close. */
void fake_slack_ws_close(struct fake_slack *f, int code);

/** Upgrades answered 101, so far. */
int fake_slack_ws_connections(const struct fake_slack *f);
/** Upgrades refused (bad or used ticket, scripted failure), so far. */
int fake_slack_ws_refused(const struct fake_slack *f);
/** WebSocket connections open now. */
int fake_slack_ws_open(const struct fake_slack *f);
/** Of those, the ones that got hello. */
int fake_slack_ws_ready(const struct fake_slack *f);
/** Pong frames received so far. */
int fake_slack_ws_pongs(const struct fake_slack *f);
/** Text messages clients sent, in order. */
size_t fake_slack_ws_received_count(const struct fake_slack *f);
const char *fake_slack_ws_received_at(const struct fake_slack *f, size_t i);

/**
 * Run f's loop until done(f, arg) is true or timeout_ms passed. Returns 0
 * when done, -1 on timeout.
 */
int fake_slack_wait(struct fake_slack *f,
		    int (*done)(struct fake_slack *, void *), void *arg,
		    uint64_t timeout_ms);

#endif
