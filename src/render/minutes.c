/* SPDX-License-Identifier: MIT */
/*
 * minutes.c: renders a meeting's minutes as Markdown (pure; see
 * minutes.h and render.h).
 *
 * The minutes are a sequence of sections in a fixed order: title, time,
 * channel and chairs (with notes when lihui closed the meeting itself or
 * the minutes were amended), attendees with the lines each said, absent
 * roster members, excused members, the summary by topic, the decisions,
 * the action items, the action items by person and the next meeting.
 * Every section starts with a heading line and sections are separated by
 * one blank line; a topic's block in the summary and a person's block in
 * the action items by person have a heading too, separated from the
 * previous block by a blank line. Sections with nothing to show are left
 * out, except the decisions and the action items, which say when there
 * are none.
 *
 * The invariants are the agenda's (see agenda.c):
 * - every line starting with '#' is a heading written here: user texts
 *   only ever follow a prefix ("- ", "1. ", "###### 1. ", a name) and
 *   their line breaks become spaces, so they cannot start a line (an
 *   action item's "#12" follows "- " for the same reason);
 * - a mention ("@alice") is followed by a space, punctuation (ASCII or
 *   full width) or the end of the line, never by a letter.
 *
 * The locale only changes texts looked up with L_(); dates are ISO. Every
 * printf format comes straight from L_() or is a literal. As in agenda.c,
 * the buffer's maximum (SIZE_MAX / 2) cannot be reached, so the results
 * of the buf_* appends are not checked.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lihui/buf.h"
#include "lihui/minutes.h"
#include "lihui/xmalloc.h"

#include "render-int.h"

/* Scratch buffers: user texts that need cleaning before a printf. */
#define MINUTES_SCRATCH 3

struct render_minutes {
	const struct minutes_view *v;
	enum locale loc;
	struct buf out;
	struct buf scratch[MINUTES_SCRATCH];
};

static const char *minutes_owner_key(const char *owner);
static int minutes_same_owner(const char *a, const char *b);
static void minutes_section_start(struct render_minutes *r);
static int minutes_same_date(struct date a, struct date b);
static void minutes_title(struct render_minutes *r);
static void minutes_times(struct render_minutes *r);
static void minutes_chairs(struct render_minutes *r);
static void minutes_attendees(struct render_minutes *r);
static void minutes_absent(struct render_minutes *r);
static void minutes_excused(struct render_minutes *r);
static const char *minutes_kind(enum locale loc, enum meeting_item_kind kind);
static int minutes_topic_shown(const struct minutes_topic *t);
static void minutes_summary(struct render_minutes *r);
static void minutes_decisions(struct render_minutes *r);
static void minutes_action(struct render_minutes *r,
			   const struct minutes_action *a, int with_owner);
static void minutes_actions(struct render_minutes *r);
static void minutes_by_person(struct render_minutes *r);
static void minutes_next(struct render_minutes *r);

/* An action item's owner without its '@'; NULL when unassigned. */
static const char *
minutes_owner_key(const char *owner)
{
	if (owner == NULL)
		return NULL;
	if (*owner == '@')
		owner++;
	return *owner != '\0' ? owner : NULL;
}

static int
minutes_same_owner(const char *a, const char *b)
{
	a = minutes_owner_key(a);
	b = minutes_owner_key(b);
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* Separate a new section from the previous one by a blank line. */
static void
minutes_section_start(struct render_minutes *r)
{
	if (r->out.len > 0)
		buf_puts(&r->out, "\n");
}

static int
minutes_same_date(struct date a, struct date b)
{
	return a.year == b.year && a.month == b.month && a.day == b.day;
}

static void
minutes_title(struct render_minutes *r)
{
	const struct minutes_view *v = r->v;
	const char *title = render_text_clean(&r->scratch[0], v->title);

	buf_puts(&r->out, "#### ");
	if (*title != '\0')
		buf_printf(&r->out, L_(r->loc, "Minutes of meeting %lld: %s"),
			   v->meeting_id, title);
	else
		buf_printf(&r->out, L_(r->loc, "Minutes of meeting %lld"),
			   v->meeting_id);
	buf_puts(&r->out, "\n");
}

/* Start and end (with the end's date too when it is another day). */
static void
minutes_times(struct render_minutes *r)
{
	const struct minutes_view *v = r->v;
	const char *zone = render_text_clean(&r->scratch[0], v->timezone);
	char start[96], end[96];

	render_text_day(r->loc, &v->start, start, sizeof start);
	buf_puts(&r->out, "**");
	if (minutes_same_date(v->start.date, v->end.date)) {
		buf_printf(&r->out,
			   L_(r->loc, "%s %02d:%02d–%02d:%02d (%s), %d min"),
			   start, v->start.hour, v->start.minute, v->end.hour,
			   v->end.minute, zone, v->length);
	} else {
		render_text_day(r->loc, &v->end, end, sizeof end);
		buf_printf(
		    &r->out,
		    L_(r->loc, "%s %02d:%02d – %s %02d:%02d (%s), %d min"),
		    start, v->start.hour, v->start.minute, end, v->end.hour,
		    v->end.minute, zone, v->length);
	}
	buf_puts(&r->out, "**\n");
}

/* "Chair: @alice" or "Chairs: @alice @bob"; nothing without chairs. */
static void
minutes_chairs(struct render_minutes *r)
{
	const struct minutes_view *v = r->v;
	struct buf *list = &r->scratch[1];
	size_t i;

	if (v->n_chairs == 0)
		return;
	buf_reset(list);
	for (i = 0; i < v->n_chairs; i++) {
		if (i > 0)
			buf_puts(list, " ");
		buf_puts(list, "@");
		buf_puts(list, render_text_user(&r->scratch[0], v->chairs[i]));
	}
	if (v->n_chairs == 1)
		buf_printf(&r->out, L_(r->loc, "Chair: %s"), buf_str(list));
	else
		buf_printf(&r->out, L_(r->loc, "Chairs: %s"), buf_str(list));
	buf_puts(&r->out, "\n");
}

static void
minutes_attendees(struct render_minutes *r)
{
	const struct minutes_view *v = r->v;
	const struct minutes_person *p;
	const char *name;
	size_t i;

	if (v->n_present == 0)
		return;
	minutes_section_start(r);
	buf_puts(&r->out, "##### ");
	buf_printf(&r->out, L_(r->loc, "Attendees (%zu)"), v->n_present);
	buf_puts(&r->out, "\n");
	for (i = 0; i < v->n_present; i++) {
		p = &v->present[i];
		name = render_text_user(&r->scratch[0], p->name);
		if (p->lines == 1)
			buf_printf(&r->out, L_(r->loc, "- @%s (%d line)"), name,
				   p->lines);
		else
			buf_printf(&r->out, L_(r->loc, "- @%s (%d lines)"),
				   name, p->lines);
		buf_puts(&r->out, "\n");
	}
}

/* Roster members who said nothing, on one line. */
static void
minutes_absent(struct render_minutes *r)
{
	const struct minutes_view *v = r->v;
	size_t i;

	if (v->n_absent == 0)
		return;
	minutes_section_start(r);
	buf_puts(&r->out, "##### ");
	buf_printf(&r->out, L_(r->loc, "Absent (%zu)"), v->n_absent);
	buf_puts(&r->out, "\n");
	for (i = 0; i < v->n_absent; i++)
		buf_printf(&r->out, "%s@%s", i > 0 ? " " : "",
			   render_text_user(&r->scratch[0], v->absent[i]));
	buf_puts(&r->out, "\n");
}

static void
minutes_excused(struct render_minutes *r)
{
	const struct minutes_view *v = r->v;
	const char *user;
	char until[48];
	size_t i;

	if (v->n_excused == 0)
		return;
	minutes_section_start(r);
	buf_puts(&r->out, "##### ");
	buf_printf(&r->out, L_(r->loc, "Excused (%zu)"), v->n_excused);
	buf_puts(&r->out, "\n");
	for (i = 0; i < v->n_excused; i++) {
		user = render_text_user(&r->scratch[0], v->excused[i].user);
		render_text_date(v->excused[i].until, until, sizeof until);
		if (*until != '\0')
			buf_printf(&r->out, L_(r->loc, "- @%s (until %s)"),
				   user, until);
		else
			buf_printf(&r->out, "- @%s", user);
		buf_puts(&r->out, "\n");
	}
}

/* The localised name of a recorded item's kind. Static. */
static const char *
minutes_kind(enum locale loc, enum meeting_item_kind kind)
{
	switch (kind) {
	case MEETING_INFO:
		return L_(loc, "Note");
	case MEETING_IDEA:
		return L_(loc, "Idea");
	case MEETING_AGREED:
		return L_(loc, "Decision");
	case MEETING_ACTION:
		return L_(loc, "Action");
	case MEETING_LINK:
		return L_(loc, "Link");
	default:
		return L_(loc, "Other");
	}
}

/*
 * Whether the summary shows t: a topic with a title always (it was on
 * the meeting's course even if nothing was noted), the untitled part
 * before the first topic only when something was recorded in it.
 */
static int
minutes_topic_shown(const struct minutes_topic *t)
{
	return t->title != NULL || t->n_items > 0;
}

/* Each topic, numbered in order, with what was recorded under it. */
static void
minutes_summary(struct render_minutes *r)
{
	const struct minutes_view *v = r->v;
	const struct minutes_topic *t;
	const struct minutes_item *it;
	size_t i, k, number = 0;
	int first = 1;

	for (i = 0; i < v->n_topics && !minutes_topic_shown(&v->topics[i]); i++)
		;
	if (i == v->n_topics)
		return;
	minutes_section_start(r);
	buf_printf(&r->out, "##### %s\n", L_(r->loc, "Summary by topic"));
	for (i = 0; i < v->n_topics; i++) {
		t = &v->topics[i];
		if (!minutes_topic_shown(t))
			continue;
		if (!first)
			buf_puts(&r->out, "\n");
		first = 0;
		if (t->title != NULL)
			buf_printf(&r->out, "###### %zu. %s\n", ++number,
				   render_text_clean(&r->scratch[0], t->title));
		else
			buf_printf(&r->out, "###### %s\n",
				   L_(r->loc, "Before the first topic"));
		if (t->n_items == 0) {
			buf_printf(&r->out, "%s\n",
				   L_(r->loc, "Nothing recorded."));
			continue;
		}
		for (k = 0; k < t->n_items; k++) {
			it = &t->items[k];
			buf_printf(&r->out, L_(r->loc, "- **%s** @%s: %s"),
				   minutes_kind(r->loc, it->kind),
				   render_text_user(&r->scratch[0], it->author),
				   render_text_clean(&r->scratch[1], it->text));
			buf_puts(&r->out, "\n");
		}
	}
}

/* Every decision in the order recorded; always shown. */
static void
minutes_decisions(struct render_minutes *r)
{
	const struct minutes_view *v = r->v;
	const struct minutes_topic *t;
	size_t i, k, number = 0;

	minutes_section_start(r);
	buf_printf(&r->out, "##### %s\n", L_(r->loc, "Decisions"));
	for (i = 0; i < v->n_topics; i++) {
		t = &v->topics[i];
		for (k = 0; k < t->n_items; k++) {
			if (t->items[k].kind != MEETING_AGREED)
				continue;
			buf_printf(&r->out, "%zu. %s\n", ++number,
				   render_text_clean(&r->scratch[0],
						     t->items[k].text));
		}
	}
	if (number == 0)
		buf_printf(&r->out, "%s\n", L_(r->loc, "No decisions."));
}

/* One action item's line, with its owner or (by person) without. */
static void
minutes_action(struct render_minutes *r, const struct minutes_action *a,
	       int with_owner)
{
	const char *text = render_text_clean(&r->scratch[1], a->text);
	char due[48] = "";

	if (a->has_due)
		render_text_date(a->due, due, sizeof due);
	if (!with_owner) {
		if (*due != '\0')
			buf_printf(&r->out, L_(r->loc, "- #%lld %s (due %s)"),
				   a->id, text, due);
		else
			buf_printf(&r->out, "- #%lld %s", a->id, text);
	} else if (minutes_owner_key(a->owner) == NULL) {
		if (*due != '\0')
			buf_printf(
			    &r->out,
			    L_(r->loc, "- #%lld **unassigned**: %s (due %s)"),
			    a->id, text, due);
		else
			buf_printf(&r->out,
				   L_(r->loc, "- #%lld **unassigned**: %s"),
				   a->id, text);
	} else {
		if (*due != '\0')
			buf_printf(
			    &r->out, L_(r->loc, "- #%lld @%s: %s (due %s)"),
			    a->id, render_text_user(&r->scratch[0], a->owner),
			    text, due);
		else
			buf_printf(
			    &r->out, L_(r->loc, "- #%lld @%s: %s"), a->id,
			    render_text_user(&r->scratch[0], a->owner), text);
	}
	buf_puts(&r->out, "\n");
}

/* Every action item in the order given; always shown. */
static void
minutes_actions(struct render_minutes *r)
{
	const struct minutes_view *v = r->v;
	size_t i;

	minutes_section_start(r);
	buf_printf(&r->out, "##### %s\n", L_(r->loc, "Action items"));
	if (v->n_actions == 0) {
		buf_printf(&r->out, "%s\n", L_(r->loc, "No action items."));
		return;
	}
	for (i = 0; i < v->n_actions; i++)
		minutes_action(r, &v->actions[i], 1);
}

/*
 * The action items grouped by owner, owners in the order of their first
 * item, the unassigned ones last. Each owner's group is gathered by one
 * pass over the items that follow its first, marking them as shown, so
 * the whole section costs items times owners comparisons.
 */
static void
minutes_by_person(struct render_minutes *r)
{
	const struct minutes_view *v = r->v;
	const struct minutes_action *a;
	unsigned char *shown;
	size_t i, j;
	int first = 1, unassigned = 0;

	if (v->n_actions == 0)
		return;
	shown = xcalloc(v->n_actions, 1);
	minutes_section_start(r);
	buf_printf(&r->out, "##### %s\n", L_(r->loc, "Action items by person"));
	for (i = 0; i < v->n_actions; i++) {
		a = &v->actions[i];
		if (shown[i])
			continue;
		if (minutes_owner_key(a->owner) == NULL) {
			unassigned = 1;
			continue;
		}
		if (!first)
			buf_puts(&r->out, "\n");
		first = 0;
		buf_printf(&r->out, "###### @%s\n",
			   render_text_user(&r->scratch[0], a->owner));
		for (j = i; j < v->n_actions; j++) {
			if (shown[j] ||
			    !minutes_same_owner(a->owner, v->actions[j].owner))
				continue;
			shown[j] = 1;
			minutes_action(r, &v->actions[j], 0);
		}
	}
	if (unassigned) {
		if (!first)
			buf_puts(&r->out, "\n");
		buf_printf(&r->out, "###### %s\n", L_(r->loc, "Unassigned"));
		for (i = 0; i < v->n_actions; i++) {
			if (minutes_owner_key(v->actions[i].owner) == NULL)
				minutes_action(r, &v->actions[i], 0);
		}
	}
	free(shown);
}

static void
minutes_next(struct render_minutes *r)
{
	const struct minutes_view *v = r->v;
	char day[96];

	if (!v->has_next)
		return;
	render_text_day(r->loc, &v->next, day, sizeof day);
	minutes_section_start(r);
	buf_printf(&r->out, "##### %s\n", L_(r->loc, "Next meeting"));
	buf_printf(&r->out, L_(r->loc, "%s %02d:%02d (%s)"), day, v->next.hour,
		   v->next.minute,
		   render_text_clean(&r->scratch[0], v->timezone));
	buf_puts(&r->out, "\n");
}

char *
render_minutes(const struct minutes_view *v)
{
	struct render_minutes r;
	const char *channel;
	int i;

	r.v = v;
	r.loc = v->locale == LOCALE_ZH_CN ? LOCALE_ZH_CN : LOCALE_EN;
	buf_init(&r.out, SIZE_MAX / 2);
	for (i = 0; i < MINUTES_SCRATCH; i++)
		buf_init(&r.scratch[i], SIZE_MAX / 2);

	minutes_title(&r);
	minutes_times(&r);
	channel = render_text_clean(&r.scratch[0], v->channel_name);
	if (*channel != '\0') {
		buf_printf(&r.out, L_(r.loc, "Channel: %s"), channel);
		buf_puts(&r.out, "\n");
	}
	minutes_chairs(&r);
	if (v->auto_closed)
		buf_printf(&r.out, "%s\n",
			   L_(r.loc, "lihui closed this meeting automatically "
				     "after the time limit."));
	if (v->amended)
		buf_printf(&r.out, "%s\n",
			   L_(r.loc, "These minutes were amended after the "
				     "meeting."));
	minutes_attendees(&r);
	minutes_absent(&r);
	minutes_excused(&r);
	minutes_summary(&r);
	minutes_decisions(&r);
	minutes_actions(&r);
	minutes_by_person(&r);
	minutes_next(&r);

	for (i = 0; i < MINUTES_SCRATCH; i++)
		buf_release(&r.scratch[i]);
	return buf_detach(&r.out);
}
