/* SPDX-License-Identifier: MIT */
/*
 * bot.h: the one struct bot that ties lihui together: configuration,
 * store, clock, and the outbox notifier. Everything hangs off it; there
 * are no globals. main.c owns it; tests build one over a ":memory:"
 * store and a fake clock (tests/lib/harness.c).
 */
#ifndef LIHUI_BOT_H
#define LIHUI_BOT_H

#include <stddef.h>

#include "lihui/clock.h"
#include "lihui/event.h"

struct channel;
struct config;
struct store;

struct bot {
	const struct config *config; /* borrowed */
	struct store *store;	     /* borrowed */
	struct clock clock;
	size_t max_post; /* longest post the adapter accepts, in bytes */
	/* Told when new outbox rows were committed; may be NULL. */
	void (*outbox_ready)(void *arg);
	void *outbox_arg;
	/* Told when scheduled jobs were planned or moved; may be NULL. */
	void (*jobs_changed)(void *arg);
	void *jobs_arg;
};

/** Set up b over borrowed config and store. */
void bot_init(struct bot *b, const struct config *config, struct store *store,
	      struct clock clock, size_t max_post);
/**
 * Handle one inbound event: commands and messages addressed to the bot go
 * to the dispatcher; other channel messages go to the meeting recorder.
 */
void bot_handle_event(struct bot *b, const struct chat_event *ev);
/**
 * The settings a channel lihui has not seen before gets, from config: d
 * borrows config's strings (do not release it).
 */
void bot_channel_defaults(const struct config *config, struct channel *d);
/** Tell the outbox that rows were committed. */
void bot_outbox_ready(struct bot *b);
/** Tell the scheduler that jobs were planned or moved. */
void bot_jobs_changed(struct bot *b);

#endif
