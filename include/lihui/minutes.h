/* SPDX-License-Identifier: MIT */
/*
 * minutes.h: a meeting's minutes as the renderer sees them, and the
 * renderer (pure, like the agenda's: see render.h). The layout follows
 * the minutes open-source communities' meeting bots made standard
 * (summary by topic, action items, action items by person, people
 * present with the lines they said) and adds what those lack: absentees
 * against the roster, members excused by their leave, owners and
 * deadlines of action items.
 */
#ifndef LIHUI_MINUTES_H
#define LIHUI_MINUTES_H

#include <stddef.h>

#include "lihui/catalog.h"
#include "lihui/meeting.h"
#include "lihui/render.h"
#include "lihui/tz.h"

/* One recorded item under a topic. */
struct minutes_item {
	enum meeting_item_kind kind; /* INFO, IDEA, AGREED, ACTION or LINK */
	const char *text;
	const char *author; /* user name */
};

struct minutes_topic {
	const char *title; /* NULL: what was recorded before the first topic */
	const struct minutes_item *items;
	size_t n_items;
};

/* Someone present, with the number of lines they said. */
struct minutes_person {
	const char *name; /* user name */
	int lines;
};

struct minutes_action {
	long long id;	   /* the action item's number (/action done N) */
	const char *owner; /* user name; NULL: unassigned */
	const char *text;
	int has_due;
	struct date due;
};

struct minutes_view {
	enum locale locale;
	long long meeting_id;
	const char *title; /* the meeting's title */
	const char *channel_name;
	const char *timezone;	 /* IANA name, shown with the times */
	struct local_time start; /* local start and end */
	struct local_time end;
	int length; /* minutes */
	const char *const *chairs;
	size_t n_chairs;
	const struct minutes_person *present; /* in the order to show */
	size_t n_present;
	const char *const *absent; /* roster members who said nothing */
	size_t n_absent;
	const struct agenda_leave *excused; /* absent, but on leave */
	size_t n_excused;
	const struct minutes_topic *topics; /* in the order discussed */
	size_t n_topics;
	const struct minutes_action *actions; /* in id order */
	size_t n_actions;
	int has_next; /* the next meeting is scheduled */
	struct local_time next;
	int auto_closed; /* ended by lihui after the time limit */
	int amended;	 /* changed after the meeting (/meeting amend) */
};

/** Render the minutes as Markdown. Caller frees. */
char *render_minutes(const struct minutes_view *v);

#endif
