/* SPDX-License-Identifier: MIT */
/*
 * mm-event.h: the Mattermost WebSocket message parser, private to the
 * Mattermost adapter. It turns one text frame from /api/v4/websocket into a
 * plain-C struct mm_msg (no json-c type leaves mm-event.c) and builds the
 * authentication_challenge request. Pure: no I/O, no logging of payloads.
 */

#ifndef LIHUI_ADAPTER_MM_EVENT_H
#define LIHUI_ADAPTER_MM_EVENT_H

#include <stddef.h>
#include <stdint.h>

/** Largest text frame mm_msg_parse() accepts, in bytes. */
#define MM_FRAME_MAX (1024 * 1024)
/** Largest post message in bytes (Mattermost: 16383 characters). */
#define MM_MESSAGE_MAX (16383 * 4)
/** Largest id (post, channel, user, team, connection) in bytes. */
#define MM_ID_MAX 64
/** Largest other short string (event name, channel name, ...) in bytes. */
#define MM_NAME_MAX 256
/** Deepest JSON nesting accepted, for the frame and for the inner post. */
#define MM_JSON_DEPTH 32

enum mm_msg_kind {
	MM_MSG_HELLO,	 /* "hello" event */
	MM_MSG_POSTED,	 /* "posted" event: a new post */
	MM_MSG_RESPONSE, /* reply to one of our requests (has seq_reply) */
	MM_MSG_OTHER,	 /* any other event: only event and seq are set */
};

/*
 * One parsed frame. Every string is owned by the struct, is valid UTF-8
 * without NUL bytes and is freed by mm_msg_release(). A string that does
 * not apply to the kind, or that was absent, is NULL, except that for
 * MM_MSG_POSTED all post and channel strings are non-NULL ("" if absent).
 */
struct mm_msg {
	enum mm_msg_kind kind;
	int64_t seq; /* event counter; -1 if absent or a response */
	char *event; /* event name; NULL for a response */

	/* hello */
	char *connection_id;  /* NULL on servers without reliable websockets */
	char *server_version; /* NULL if absent */

	/* response to our own request */
	int64_t seq_reply; /* > 0; -1 unless MM_MSG_RESPONSE */
	char *status;	   /* "OK" or "FAIL" (as sent) */
	char *error_id;	   /* error.id of a FAIL reply, NULL if none */

	/* posted: from data.post (a JSON string holding the Post) */
	char *post_id;
	char *channel_id;
	char *user_id;
	char *message;
	char *root_id;	   /* "" unless a reply in a thread */
	char *post_type;   /* "" for a user post, else a system message */
	int from_bot;	   /* props.from_bot is true or "true" */
	int64_t create_at; /* ms since the epoch; 0 if absent */
	/* posted: from data */
	char *channel_type; /* "O", "P", "D" or "G" (as sent) */
	char *channel_name;
	char *sender_name;
	char *team_id;	 /* "" for DMs and group messages */
	char **mentions; /* user ids from data.mentions, NULL if none */
	size_t n_mentions;
};

/**
 * Parse one WebSocket text frame of len bytes (not NUL-terminated) into
 * *out. Frames over MM_FRAME_MAX, invalid UTF-8, NUL bytes, JSON errors,
 * nesting over MM_JSON_DEPTH, wrong types, missing required fields and
 * oversized fields are refused. Unknown events are not errors: they give
 * MM_MSG_OTHER. Returns 0, or -1 with *cause set (caller frees) and *out
 * holding nothing to free. On success release *out with mm_msg_release().
 */
int mm_msg_parse(const char *frame, size_t len, struct mm_msg *out,
		 char **cause);

/** Free everything *msg owns and reset it to an empty state. */
void mm_msg_release(struct mm_msg *msg);

/** Most posts mm_post_list_parse() accepts from one answer. */
#define MM_POST_LIST_MAX 200

/**
 * Parse a PostList answer (GET /api/v4/channels/{id}/posts: {"order":
 * [ids], "posts": {id: Post}}) of len bytes into *out, an array of *n
 * MM_MSG_POSTED messages (event "posted", the post fields; the data.*
 * strings are "")
 * sorted by create_at, oldest first. Over MM_POST_LIST_MAX posts, or any
 * malformed post, refuses the whole answer. Returns 0, or -1 with *cause
 * and nothing to free. Free with mm_msg_list_free().
 */
int mm_post_list_parse(const char *body, size_t len, struct mm_msg **out,
		       size_t *n, char **cause);
void mm_msg_list_free(struct mm_msg *list, size_t n);

/**
 * The authentication_challenge request carrying token, with request counter
 * seq (> 0), as a JSON text. Caller frees. The token is never logged.
 */
char *mm_auth_challenge(const char *token, int64_t seq);

#endif
