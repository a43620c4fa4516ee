/* SPDX-License-Identifier: MIT */
/*
 * slack-socket.h: Slack Socket Mode frames, private to the Slack adapter;
 * pure (no I/O, no logging).
 *
 * A Socket Mode connection carries JSON text frames: control frames
 * ("hello", "disconnect") and envelopes ("slash_commands", "events_api",
 * "interactive", each with an envelope_id that must be acknowledged).
 * slack_frame_parse() reads one frame, bounded; slack_event_parse() reads
 * the Events API payload of an events_api envelope; slack_ack_build()
 * writes the acknowledgement.
 *
 *	struct slack_frame f;
 *	if (slack_frame_parse(data, len, &f, &cause) == 0) {
 *		... f.kind, f.envelope_id, f.payload ...
 *		slack_frame_release(&f);
 *	}
 */

#ifndef LIHUI_ADAPTER_SLACK_SOCKET_H
#define LIHUI_ADAPTER_SLACK_SOCKET_H

#include <stddef.h>

struct json_object;

/** The longest frame accepted, in bytes. */
#define SLACK_FRAME_MAX (1024 * 1024)
/** The deepest JSON nesting accepted in a frame. */
#define SLACK_JSON_DEPTH 64
/** The longest envelope id, event id, Slack id or ts accepted. */
#define SLACK_ID_MAX 128
/** The longest message text accepted from an event, in bytes. */
#define SLACK_TEXT_MAX (160 * 1024)
/** The highest retry_attempt accepted. */
#define SLACK_RETRY_MAX 1000

enum slack_frame_kind {
	SLACK_FRAME_HELLO,
	SLACK_FRAME_DISCONNECT,
	SLACK_FRAME_ENVELOPE,
};

enum slack_envelope_type {
	SLACK_ENV_SLASH_COMMANDS,
	SLACK_ENV_EVENTS_API,
	SLACK_ENV_INTERACTIVE,
	SLACK_ENV_OTHER, /* a type lihui does not know: ack and ignore */
};

/* One frame; every string is allocated (released by slack_frame_release). */
struct slack_frame {
	enum slack_frame_kind kind;
	/* SLACK_FRAME_HELLO: seconds Slack means to keep this connection
	 * (debug_info.approximate_connection_time), -1 when not given */
	long connection_time;
	int num_connections; /* -1 when not given */
	/* SLACK_FRAME_DISCONNECT: "warning", "refresh_requested",
	 * "link_disabled", ... ("" when not given) */
	char *reason;
	/* SLACK_FRAME_ENVELOPE: */
	enum slack_envelope_type type;
	char *type_name;    /* the type as sent */
	char *envelope_id;  /* 1..SLACK_ID_MAX of A-Z a-z 0-9 - _ . */
	int retry_attempt;  /* 0 when not given */
	char *retry_reason; /* NULL when not given */
	int accepts_response_payload;
	/* The payload object (one reference owned by the frame), or NULL
	 * when the envelope has none. */
	struct json_object *payload;
};

/**
 * Parse one frame of len bytes (NUL bytes, invalid UTF-8, frames over
 * SLACK_FRAME_MAX, nesting over SLACK_JSON_DEPTH, wrong types and missing
 * required fields are refused). -1 with *cause (a short reason that never
 * quotes the frame) and *out empty on bad input.
 */
int slack_frame_parse(const char *data, size_t len, struct slack_frame *out,
		      char **cause);
void slack_frame_release(struct slack_frame *f);

/**
 * The acknowledgement of envelope_id: {"envelope_id":"..."}, or with
 * ephemeral_text not NULL, {"envelope_id":"...","payload":
 * {"response_type":"ephemeral","text":"..."}}. Allocated.
 */
char *slack_ack_build(const char *envelope_id, const char *ephemeral_text);

/* The Events API event of an events_api envelope, allocated strings; the
 * optional ones are NULL when absent. */
struct slack_event {
	char *event_id;	    /* the wrapper's event_id (for de-duplication) */
	char *type;	    /* "message", "app_mention", ... */
	char *subtype;	    /* "bot_message", "message_changed", ... */
	char *user;	    /* the author's user id */
	char *bot_id;	    /* set for messages by bots */
	char *channel;	    /* channel id */
	char *channel_type; /* "channel", "group", "im", "mpim" */
	char *text;	    /* as Slack sends it (escaped mrkdwn) */
	char *ts;	    /* the message's ts */
	char *thread_ts;
};

/**
 * Read payload (an "event_callback" wrapper) into out. -1 with *cause and
 * *out empty when it is not an event_callback or a field has the wrong
 * type or size; type is required, the rest optional.
 */
int slack_event_parse(struct json_object *payload, struct slack_event *out,
		      char **cause);
void slack_event_release(struct slack_event *e);

/** Whether s is 1..SLACK_ID_MAX of A-Z a-z 0-9 - _ . (ids, ts). */
int slack_id_valid(const char *s);

#endif
