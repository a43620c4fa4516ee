/* SPDX-License-Identifier: MIT */
/*
 * event.c: what an inbound event says of the @names in its text (see
 * event.h). Pure: the adapter did the lookups before handing it on.
 */

#include <strings.h>

#include "lihui/event.h"

enum chat_user_state
chat_event_user(const struct chat_event *ev, const char *name,
		const char **user_id)
{
	size_t i;

	*user_id = NULL;
	if (ev->user_name != NULL && strcasecmp(ev->user_name, name) == 0) {
		*user_id = ev->user_id;
		return CHAT_USER_FOUND;
	}
	if (!ev->names_checked)
		return CHAT_USER_FOUND;
	for (i = 0; i < ev->n_mentions; i++) {
		const struct chat_mention *m = &ev->mentions[i];

		if (strcasecmp(m->name, name) != 0)
			continue;
		if (m->state == CHAT_USER_FOUND)
			*user_id = m->user_id;
		return m->state;
	}
	return CHAT_USER_UNCHECKED;
}
