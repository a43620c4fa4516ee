/* SPDX-License-Identifier: MIT */
/*
 * agenda.h: the meeting occurrence a report belongs to, and gathering the
 * agenda of that occurrence from the store (the data render_agenda shows).
 */
#ifndef LIHUI_AGENDA_H
#define LIHUI_AGENDA_H

#include <stdint.h>

#include "lihui/render.h"
#include "lihui/store.h"

/**
 * The channel's next meeting occurrence at now (its weekly schedule, in
 * its time zone), created in the store if it is new.
 */
int agenda_cycle(struct store *s, const struct channel *ch, int64_t now,
		 struct cycle *out, char **cause);

/* An agenda's view plus the rows it borrows from; agenda_release frees. */
struct agenda {
	struct agenda_view view;
	struct cycle cycle;
	/* storage behind view */
	struct report_item *items;
	size_t n_items;
	struct metric *metrics, *prev_metrics;
	size_t n_metrics, n_prev_metrics;
	struct topic *topics;
	size_t n_topics;
	struct member *members;
	size_t n_members;
	char **reported;
	size_t n_reported;
	struct agenda_report *reports;
	struct agenda_metric *view_metrics;
	struct agenda_topic *view_topics;
	const char **not_reported;
	struct agenda_leave *on_leave;
	struct action_item *action_rows;
	size_t n_action_rows;
	struct agenda_action *view_actions;
};

/**
 * Gather the agenda of ch's next occurrence at now. review_minutes is the
 * time box of the action review. Release with agenda_release().
 */
int agenda_collect(struct store *s, const struct channel *ch, int64_t now,
		   int review_minutes, struct agenda *out, char **cause);
void agenda_release(struct agenda *a);

#endif
