/* SPDX-License-Identifier: MIT */
/*
 * fake-mm.h: a fake Mattermost server for tests, on the test's libuv loop,
 * listening on 127.0.0.1 on a free port. One port serves both the REST
 * API (v4) and the WebSocket at /api/v4/websocket.
 *
 * REST. The routes lihui uses answer like Mattermost (JSON bodies, 201 for
 * creations, {"id","message","detailed_error","request_id","status_code"}
 * errors, 404 for an unknown route, 401 unless the request carries
 * "Authorization: Bearer <token>"). The server starts with a bot user
 * (FAKE_MM_BOT_ID, "lihui"), users alice, bob and carol, team
 * FAKE_MM_TEAM_ID ("team") and its public channel FAKE_MM_CHANNEL_ID
 * ("ops"); tests add more. POST /api/v4/posts accepts any channel id and
 * drops a repeated pending_post_id like the real server: the same post
 * comes back (201) and is not counted again. GET /api/v4/channels/{id}/posts
 * (with since, or the newest per_page) lists the bot's posts and those of
 * the "posted" events pushed, even while no client was connected. Every
 * request is recorded with the status it got (0 while unanswered).
 *
 * Scripting. fake_mm_fail(), fake_mm_hang() and fake_mm_slow() change the
 * next count answers of the requests matching a method and a path pattern
 * ('*' matches one path segment; the query is ignored), before the
 * authorisation check. A failed or hung request changes nothing; a slow
 * one is carried out at once and only its answer is late (like a server
 * whose reply is lost to a client timeout). Scripts apply to the
 * WebSocket upgrade too.
 *
 * WebSocket. RFC 6455 server side, text frames, client frames at most
 * 8 KiB (like Mattermost's read limit). A token in the upgrade's
 * Authorization header, or an authentication_challenge action, logs the
 * connection in: it gets "hello" (connection_id, server_version, seq 0),
 * then events with seq +1 each. Each connection id keeps its last 128
 * events: an upgrade with a valid header token and
 * ?connection_id=X&sequence_number=N (N: the seq the client expects
 * next) for a known X with N still held resumes X: the events from seq N on are
 *sent again and no hello comes (as in Mattermost's web_hub.go; see
 *fake_mm_ws_hello_on_resume()). An unknown X (e.g. after fake_mm_ws_restart())
 *or an N no longer held gets a new connection id and a new hello with seq 0.
 *Without a valid header token connection_id is ignored (a fresh connection, as
 *in Mattermost); connection_id without a valid sequence_number gets 400. A
 *wrong header token only leaves the socket to log in by challenge. Events
 *pushed while no client is connected are kept for a resume. Upgrades refused
 *with fake_mm_ws_refuse_for() get 503. The challenge answers the hello first
 *and then {"status":"OK","seq_reply":N}, like captured traffic; a bad challenge
 *token closes the socket, and a socket not logged in within 5 s is closed.
 *Pings get pongs; the "ping" action gets the "pong" reply, user_typing and
 *get_statuses[_by_ids] an OK, an unknown action (or any but the challenge
 *before login) a FAIL reply.
 *
 *	struct fake_mm *mm = fake_mm_new(loop, "token", &cause);
 *	url = fake_mm_url(mm, "");	 "http://127.0.0.1:<port>"
 *	... run the loop; fake_mm_wait() helps ...
 *	fake_mm_ws_push_posted(mm, FAKE_MM_CHANNEL_ID, FAKE_MM_ALICE_ID,
 *			       "hi", "O");
 *	assert fake_mm_post_count(mm) == 1 ...
 *	fake_mm_close(mm);	then run the loop until it is idle
 *
 * Everything returned is borrowed until fake_mm_close() unless said
 * otherwise.
 */
#ifndef LIHUI_TEST_FAKE_MM_H
#define LIHUI_TEST_FAKE_MM_H

#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "fake-server.h"

/* What the server starts with (ids are 26 lower-case characters). */
#define FAKE_MM_BOT_ID	       "lihuibot00000000000000000b"
#define FAKE_MM_BOT_NAME       "lihui"
#define FAKE_MM_ALICE_ID       "alice0000000000000000000au"
#define FAKE_MM_BOB_ID	       "bob00000000000000000000bbu"
#define FAKE_MM_CAROL_ID       "carol0000000000000000000cu"
#define FAKE_MM_TEAM_ID	       "team00000000000000000000tm"
#define FAKE_MM_TEAM_NAME      "team"
#define FAKE_MM_CHANNEL_ID     "ops00000000000000000000och"
#define FAKE_MM_CHANNEL_NAME   "ops"
#define FAKE_MM_SERVER_VERSION "9.11.0.9.11.0.fakemmconfighash.false"
/* The token in the Command that POST /api/v4/commands returns. */
#define FAKE_MM_COMMAND_TOKEN "fakecommandtoken0000000000"
/* MaxPostSize in /api/v4/config/client and the rune limit of a post. */
#define FAKE_MM_MAX_POST 16383
/* A count for the scripting functions: every matching request. */
#define FAKE_MM_ALWAYS (-1)

struct fake_mm;

/* One HTTP request, REST or WebSocket upgrade. */
struct fake_mm_request {
	char *method;
	char *target; /* as sent: path and query */
	char *path;   /* target without the query */
	struct fake_server_header *headers;
	size_t nheaders;
	char *body; /* NUL-terminated; "" when empty */
	size_t body_len;
	int status; /* what it was answered; 0 while not (yet) answered */
};

/* A post made with POST /api/v4/posts (one per distinct post). */
struct fake_mm_post {
	char *id;
	char *channel_id;
	char *user_id;	       /* the bot */
	char *message;	       /* the latest text, after edits */
	char *pending_post_id; /* "" if none was given */
	char *root_id;	       /* "" for a top-level post */
	int64_t create_at;     /* milliseconds */
	int edits;	       /* PUT /posts/{id}[/patch] calls that hit it */
	int duplicates;	       /* repeats dropped by pending_post_id */
};

/* A POST /api/v4/posts/ephemeral that was answered 201. */
struct fake_mm_ephemeral {
	char *user_id;
	char *channel_id;
	char *message;
};

/* A POST /api/v4/channels/direct that was answered 201. */
struct fake_mm_direct {
	char *user_a; /* as sent */
	char *user_b;
	char *channel_id;
};

/* A POST /api/v4/reactions that was answered 201. */
struct fake_mm_reaction {
	char *user_id;
	char *post_id;
	char *emoji_name;
};

/* A POST /api/v4/commands that was answered 201. */
struct fake_mm_command {
	char *id;
	char *team_id;
	char *trigger;
	char *method; /* "P" or "G" */
	char *url;
	char *body; /* the whole request body */
};

/** A server on loop accepting token; NULL with *cause filled on failure. */
struct fake_mm *fake_mm_new(uv_loop_t *loop, const char *token, char **cause);

/**
 * Stop listening and close every connection. The server frees itself once
 * libuv has closed its handles: keep running the loop afterwards.
 */
void fake_mm_close(struct fake_mm *f);

/** The port on 127.0.0.1. */
int fake_mm_port(const struct fake_mm *f);
/** "http://127.0.0.1:<port><path>"; caller frees. */
char *fake_mm_url(const struct fake_mm *f, const char *path);

/** Add (or rename) a user; ids are 26 lower-case characters. */
void fake_mm_add_user(struct fake_mm *f, const char *id, const char *username);
/** Add a team. */
void fake_mm_add_team(struct fake_mm *f, const char *id, const char *name);
/** Add a channel of team_id ("" for none); type is "O", "P", "D" or "G". */
void fake_mm_add_channel(struct fake_mm *f, const char *id, const char *team_id,
			 const char *name, const char *type);
/**
 * The id POST /api/v4/channels/direct gives the DM of users a and b (in
 * either order), into out.
 */
void fake_mm_direct_id(const char *a, const char *b, char out[27]);

/*
 * Scripting: the next count requests (FAKE_MM_ALWAYS: all) whose method
 * (NULL: any) and path match get a different answer. The oldest script
 * with count left wins.
 */
/** Answer status: 429 as Mattermost's rate limiter ("limit exceeded",
 * Retry-After: retry_after unless < 0), others as a JSON error. */
void fake_mm_fail(struct fake_mm *f, const char *method, const char *pattern,
		  int count, int status, int retry_after);
/** Record but never answer (the connection stays open). */
void fake_mm_hang(struct fake_mm *f, const char *method, const char *pattern,
		  int count);
/** Carry the request out at once and answer it after delay_ms. */
void fake_mm_slow(struct fake_mm *f, const char *method, const char *pattern,
		  int count, uint64_t delay_ms);
/** Forget every script. */
void fake_mm_unscript(struct fake_mm *f);

/* Requests. */
size_t fake_mm_request_count(const struct fake_mm *f);
const struct fake_mm_request *fake_mm_request_at(const struct fake_mm *f,
						 size_t i);
/** How many requests match method (NULL: any) and pattern. */
size_t fake_mm_count(const struct fake_mm *f, const char *method,
		     const char *pattern);
/** The last request matching method (NULL: any) and pattern, or NULL. */
const struct fake_mm_request *
fake_mm_last(const struct fake_mm *f, const char *method, const char *pattern);
/** The value of header name (case-insensitive), or NULL. */
const char *fake_mm_header(const struct fake_mm_request *r, const char *name);

/* What the REST calls did. */
size_t fake_mm_post_count(const struct fake_mm *f);
const struct fake_mm_post *fake_mm_post_at(const struct fake_mm *f, size_t i);
const struct fake_mm_post *fake_mm_post_find(const struct fake_mm *f,
					     const char *id);
size_t fake_mm_ephemeral_count(const struct fake_mm *f);
const struct fake_mm_ephemeral *fake_mm_ephemeral_at(const struct fake_mm *f,
						     size_t i);
size_t fake_mm_direct_count(const struct fake_mm *f);
const struct fake_mm_direct *fake_mm_direct_at(const struct fake_mm *f,
					       size_t i);
size_t fake_mm_reaction_count(const struct fake_mm *f);
const struct fake_mm_reaction *fake_mm_reaction_at(const struct fake_mm *f,
						   size_t i);
size_t fake_mm_command_count(const struct fake_mm *f);
const struct fake_mm_command *fake_mm_command_at(const struct fake_mm *f,
						 size_t i);

/* WebSocket. */
/**
 * Push an event to every logged-in connection id: data and broadcast are
 * JSON objects (broadcast NULL: all fields empty). Each connection id
 * numbers it with its own next seq, sends it if its client is connected
 * and keeps it for a resume.
 */
void fake_mm_ws_push(struct fake_mm *f, const char *event, const char *data,
		     const char *broadcast);
/**
 * The data of a "posted" event: user_id says message in channel_id of
 * channel_type ("O", "P", "D", "G"), with the post as a JSON string and
 * "mentions" when message names @lihui. Caller frees.
 */
char *fake_mm_posted_data(struct fake_mm *f, const char *channel_id,
			  const char *user_id, const char *message,
			  const char *channel_type);
/** Push a "posted" event built by fake_mm_posted_data(). */
void fake_mm_ws_push_posted(struct fake_mm *f, const char *channel_id,
			    const char *user_id, const char *message,
			    const char *channel_type);
/** Send text as one frame to every connected client, outside any seq. */
void fake_mm_ws_send_raw(struct fake_mm *f, const char *text);
/** Send a ping frame to every connected client. */
void fake_mm_ws_ping(struct fake_mm *f);
/** Close every WebSocket connection abruptly (no close frame). */
void fake_mm_ws_drop(struct fake_mm *f);
/** Send a close frame with code to every client, then close. */
void fake_mm_ws_close(struct fake_mm *f, int code);
/** A server restart: drop every connection and forget connection ids. */
void fake_mm_ws_restart(struct fake_mm *f);
/** Answer WebSocket upgrades with 503 for the next ms milliseconds. */
void fake_mm_ws_refuse_for(struct fake_mm *f, uint64_t ms);
/** Send a hello with the same connection id on a resume (default off). */
void fake_mm_ws_hello_on_resume(struct fake_mm *f, int on);
/**
 * Push a "posted" event for every new post the bot makes with POST
 * /api/v4/posts, as the real server does (default off, so that event
 * counts in tests stay what the test pushed).
 */
void fake_mm_ws_echo_posts(struct fake_mm *f, int on);

/** Upgrades answered 101, so far. */
int fake_mm_ws_connections(const struct fake_mm *f);
/** Of those, resumes of a known connection id. */
int fake_mm_ws_resumes(const struct fake_mm *f);
/** WebSocket connections open now. */
int fake_mm_ws_open(const struct fake_mm *f);
/** Whether the newest open WebSocket connection is logged in. */
int fake_mm_ws_authenticated(const struct fake_mm *f);
/** The connection id of the newest logged-in connection, or NULL. */
const char *fake_mm_ws_connection_id(const struct fake_mm *f);
/** Pong frames received so far. */
int fake_mm_ws_pongs(const struct fake_mm *f);
/** Text messages clients sent, in order. */
size_t fake_mm_ws_received_count(const struct fake_mm *f);
const char *fake_mm_ws_received_at(const struct fake_mm *f, size_t i);

/**
 * Run f's loop until done(f, arg) is true or timeout_ms passed. Returns 0
 * when done, -1 on timeout.
 */
int fake_mm_wait(struct fake_mm *f, int (*done)(struct fake_mm *, void *),
		 void *arg, uint64_t timeout_ms);

#endif
