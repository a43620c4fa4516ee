/* SPDX-License-Identifier: MIT */
/*
 * event-copy.h: keeping the chat_events an adapter delivers to its sink.
 * A chat_event's strings are borrowed for the callback only, so a test
 * sink copies each event for the assertions that follow.
 */
#ifndef LIHUI_TEST_EVENT_COPY_H
#define LIHUI_TEST_EVENT_COPY_H

#include "lihui/event.h"

/* A chat_event's fields with the strings copied (NULL stays NULL). */
struct event_copy {
	int kind;
	char *channel_key, *channel_name, *user_id, *user_name, *trigger, *text;
	char *post_id;
	int is_direct, mentions_bot;
};

/** Fill c with a copy of e; release with event_copy_release(). */
void event_copy_init(struct event_copy *c, const struct chat_event *e);

/** Free c's strings. */
void event_copy_release(struct event_copy *c);

#endif
