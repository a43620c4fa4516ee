/* SPDX-License-Identifier: MIT */
/*
 * event-copy.c: copies of delivered chat_events; see event-copy.h.
 */

#include <stdlib.h>

#include "event-copy.h"
#include "lihui/xmalloc.h"

static char *
event_copy_str(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

void
event_copy_init(struct event_copy *c, const struct chat_event *e)
{
	c->kind = (int)e->kind;
	c->channel_key = event_copy_str(e->channel_key);
	c->channel_name = event_copy_str(e->channel_name);
	c->user_id = event_copy_str(e->user_id);
	c->user_name = event_copy_str(e->user_name);
	c->trigger = event_copy_str(e->trigger);
	c->text = event_copy_str(e->text);
	c->post_id = event_copy_str(e->post_id);
	c->is_direct = e->is_direct;
	c->mentions_bot = e->mentions_bot;
}

void
event_copy_release(struct event_copy *c)
{
	free(c->channel_key);
	free(c->channel_name);
	free(c->user_id);
	free(c->user_name);
	free(c->trigger);
	free(c->text);
	free(c->post_id);
}
