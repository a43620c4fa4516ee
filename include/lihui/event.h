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

#include <stddef.h>

/*
 * What the adapter learnt of an @name in the event's text before handing
 * it on, so the core can refuse an unknown name (e.g. an action item's
 * owner) without asking the platform itself.
 */
enum chat_user_state {
	CHAT_USER_FOUND,     /* the platform has this user: user_id is set */
	CHAT_USER_UNKNOWN,   /* the platform said there is no such user */
	CHAT_USER_UNCHECKED, /* could not be looked up (server unreachable) */
};

/* The longest list of @names an adapter looks up for one event. */
#define CHAT_MENTIONS_MAX 8

struct chat_mention {
	const char *name;    /* without '@', as written */
	const char *user_id; /* CHAT_USER_FOUND: the platform's id */
	enum chat_user_state state;
};

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
	/*
	 * The @names of text the adapter looked up (at most
	 * CHAT_MENTIONS_MAX, in order of first appearance), when
	 * names_checked is set. An adapter without a user directory (the
	 * console) leaves names_checked 0: every name is then taken as
	 * written.
	 */
	int names_checked;
	const struct chat_mention *mentions;
	size_t n_mentions;
};

/**
 * What ev says of @name (without '@'): CHAT_USER_FOUND with *user_id
 * (borrowed from ev, NULL when the adapter has no ids) when the name is
 * known or the adapter does not check names; CHAT_USER_UNKNOWN when the
 * platform has no such user; CHAT_USER_UNCHECKED when it could not be
 * looked up, or was not among the names looked up. The event's own
 * author is always found.
 */
enum chat_user_state chat_event_user(const struct chat_event *ev,
				     const char *name, const char **user_id);

#endif
