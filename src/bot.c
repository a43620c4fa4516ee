/* SPDX-License-Identifier: MIT */
/*
 * bot.c: the one struct bot, and where inbound events go.
 *
 * Design. Adapters call bot_handle_event() (through their sink) for every
 * message and command. Commands, and messages addressed to the bot (a
 * direct message, or one that mentions it), go to the dispatcher, which
 * commits the command's effect and its replies to the store; then the
 * outbox is told there is something to deliver. Other channel lines go to
 * the meeting recorder (meeting.c), which keeps them while the channel
 * holds a meeting and ignores them otherwise.
 *
 * Nothing here blocks: the store is a local SQLite file and the outbox
 * delivers asynchronously.
 */

#include <string.h>

#include "lihui/bot.h"
#include "lihui/cmd.h"
#include "lihui/config.h"
#include "lihui/meeting.h"
#include "lihui/store.h"
#include "lihui/log.h"

void
bot_init(struct bot *b, const struct config *config, struct store *store,
	 struct clock clock, size_t max_post)
{
	memset(b, 0, sizeof *b);
	b->config = config;
	b->store = store;
	b->clock = clock;
	b->max_post = max_post;
}

void
bot_handle_event(struct bot *b, const struct chat_event *ev)
{
	if (ev->kind == CHAT_COMMAND || ev->is_direct || ev->mentions_bot) {
		cmd_dispatch(b, ev);
		return;
	}
	meeting_record_line(b, ev);
}

void
bot_channel_defaults(const struct config *c, struct channel *d)
{
	memset(d, 0, sizeof *d);
	d->locale = c->locale;
	d->timezone = c->timezone;
	d->sections = c->sections;
	d->meeting_wday = c->meeting_wday;
	d->meeting_minute = c->meeting_minute;
	d->meeting_length = c->meeting_length;
}

void
bot_outbox_ready(struct bot *b)
{
	if (b->outbox_ready != NULL)
		b->outbox_ready(b->outbox_arg);
}

void
bot_jobs_changed(struct bot *b)
{
	if (b->jobs_changed != NULL)
		b->jobs_changed(b->jobs_arg);
}
