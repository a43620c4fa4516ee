/* SPDX-License-Identifier: MIT */
/*
 * render.h: pure renderers: domain data + locale -> Markdown text.
 *
 * The renderers borrow everything in their input and return a new string
 * the caller frees. They do no I/O and read no clock; the Markdown is the
 * dialect Mattermost and the console show (Slack's adapter converts).
 */
#ifndef LIHUI_RENDER_H
#define LIHUI_RENDER_H

#include <stddef.h>

#include "lihui/catalog.h"
#include "lihui/tz.h"

/* An open action item to review at the top of the agenda. */
struct agenda_action {
	int64_t id;	   /* the number members use (/action done N) */
	const char *owner; /* user name, or NULL: unassigned */
	const char *text;
	struct date due;  /* year 0: no deadline */
	int state;	  /* enum action_state */
	int days_overdue; /* open and past its deadline by this many days */
};

/* One report line; reports are grouped by user in the order given. */
struct agenda_report {
	const char *user;
	int section; /* enum section_kind (not SECTION_METRIC) */
	const char *text;
	const char *helpers; /* blocker: "alice bob", or NULL */
};

struct agenda_metric {
	const char *name;
	const char *user;
	double value;
	const char *unit; /* "", "%" or a short unit */
	int has_prev;	  /* the previous occurrence had this metric */
	double prev;
};

struct agenda_topic {
	const char *title;
	const char *owner; /* user name or NULL */
	int minutes;
};

struct agenda_leave {
	const char *user;
	struct date until;
};

struct agenda_view {
	enum locale locale;
	const char *channel_name;
	struct local_time start; /* the meeting's local start */
	const char *timezone;
	int length;	    /* minutes */
	unsigned sections;  /* enabled enum section_kind bits */
	int review_minutes; /* time box of the action-item review */
	/* The review: the last meeting's items (open or closed since) and
	 * every other open item of the channel, in id order. */
	const struct agenda_action *actions;
	size_t n_actions;
	const struct agenda_report *reports;
	size_t n_reports;
	const struct agenda_metric *metrics;
	size_t n_metrics;
	const struct agenda_topic *topics;
	size_t n_topics;
	size_t n_roster; /* members on the roster (0: none set) */
	const char *const *not_reported; /* roster members without a report */
	size_t n_not_reported;
	const struct agenda_leave *on_leave;
	size_t n_on_leave;
	/* The last meeting's rating (/meeting rate): shown when count > 0. */
	int rating_count;
	double rating_average;
};

/** Render the agenda as Markdown. Caller frees. */
char *render_agenda(const struct agenda_view *v);

/**
 * Split text into pieces of at most max bytes each: at a section boundary
 * (a line starting with '#') when one fits, else at a line boundary, else
 * at a UTF-8 character boundary. Returns the number of pieces; *pieces is
 * an allocated array of allocated strings (free with render_pieces_free).
 * max must be at least 4.
 */
size_t render_split(const char *text, size_t max, char ***pieces);
void render_pieces_free(char **pieces, size_t n);

/**
 * Format a metric value the way the renderers show it: integers without a
 * fraction, otherwise up to two decimals, then the unit ("3.1%", "250ms").
 * Writes at most size bytes to out.
 */
void render_metric_value(double value, const char *unit, char *out,
			 size_t size);

/** The localised name of a section ("Done" / "完成"). Static. */
const char *render_section_name(enum locale loc, int section);

#endif
