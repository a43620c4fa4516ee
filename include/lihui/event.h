/* SPDX-License-Identifier: MIT */
/*
 * event.h: the one platform-free shape of everything users send lihui.
 *
 * Adapters turn WebSocket events, slash-command requests, Socket Mode
 * envelopes and console lines into a struct chat_event and hand it to the
 * sink they were created with (bot_handle_event). The event borrows its
 * strings from the adapter for the duration of that call only.
 */
#ifndef LIHUI_EVENT_H
#define LIHUI_EVENT_H

enum chat_event_kind {
	CHAT_COMMAND, /* a slash command: trigger + text after it */
	CHAT_MESSAGE, /* a message in a channel or a direct message */
};

struct chat_event {
	enum chat_event_kind kind;
	const char *channel_key;  /* the platform's channel id */
	const char *channel_name; /* display name, may equal channel_key */
	const char *user_id;	  /* the platform's user id */
	const char *user_name;	  /* without '@' */
	const char *trigger;	  /* CHAT_COMMAND: "report" (no '/') */
	const char *text;	  /* command arguments or message text */
	int is_direct;		  /* sent in a direct message to the bot */
	int mentions_bot;	  /* CHAT_MESSAGE: addressed to the bot */
	const char *post_id; /* CHAT_MESSAGE: the platform's post, or NULL */
};

#endif
