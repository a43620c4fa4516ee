/* SPDX-License-Identifier: MIT */
/*
 * agenda.c: renders a meeting's agenda as Markdown (pure; see render.h).
 *
 * The agenda is a sequence of sections in a fixed order: title and time,
 * the review of open action items (always item 1), key metrics, each
 * member's done and plan, problems and blockers, resource needs, queued
 * topics, the time budget, who has not reported, who is on leave. Every
 * section starts with a heading line and sections are separated by one
 * blank line; a member's block inside "Member reports" has a heading too.
 * Sections with nothing to show are left out, except the review, the time
 * budget and the list of missing reports.
 *
 * Invariants the rest of lihui relies on:
 * - render_split() cuts long agendas just before lines starting with '#',
 *   so every such line is a heading written here. User texts only ever
 *   follow a prefix ("- ", "1. ", a name) and their line breaks are
 *   replaced by spaces (render_text_clean()), so they cannot start a line.
 * - A mention ("@alice") is followed by a space, punctuation (ASCII or
 *   full width) or the end of the line, never by a letter, so that the
 *   chat platform recognises it; the Chinese texts respect this too.
 *
 * The locale only changes texts looked up with L_(); dates are ISO, and
 * numbers use render_metric_value(). Every printf format comes straight
 * from L_() or is a literal, so the compiler checks the arguments.
 *
 * The output buffer's maximum (SIZE_MAX / 2) can never be reached (the
 * allocator gives up first and the inputs are capped upstream), so the
 * results of the buf_* appends are not checked.
 */

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lihui/buf.h"
#include "lihui/render.h"
#include "lihui/report.h"
#include "lihui/store.h"

#include "render-int.h"

/* Scratch buffers: user texts that need cleaning before a printf. */
#define RENDER_SCRATCH 3

struct render_agenda {
	const struct agenda_view *v;
	enum locale loc;
	struct buf out;
	struct buf scratch[RENDER_SCRATCH];
};

static int render_enabled(const struct agenda_view *v, int section);
static void render_section_start(struct render_agenda *r);
static void render_number(double value, int decimals, char *out, size_t size);
static void render_signed(double value, int decimals, const char *unit,
			  char *out, size_t size);
static void render_title(struct render_agenda *r);
static void render_review(struct render_agenda *r);
static void render_metric_change(struct render_agenda *r,
				 const struct agenda_metric *m,
				 const char *unit, char *out, size_t size);
static void render_metrics(struct render_agenda *r);
static int render_member_item(const struct agenda_view *v,
			      const struct agenda_report *rep);
static int render_same_user(const struct agenda_report *a,
			    const struct agenda_report *b);
static void render_member(struct render_agenda *r, size_t from, size_t to);
static void render_reports(struct render_agenda *r);
static const char *render_helpers(struct render_agenda *r, int slot,
				  const char *helpers);
static void render_items(struct render_agenda *r, int section);
static long long render_topics(struct render_agenda *r);
static void render_time(struct render_agenda *r, long long topics);
static void render_not_reported(struct render_agenda *r);
static void render_on_leave(struct render_agenda *r);

static int
render_enabled(const struct agenda_view *v, int section)
{
	if (section < 0 || section >= SECTION_COUNT)
		return 0;
	return (v->sections & (1u << section)) != 0;
}

/* Separate a new section from the previous one by a blank line. */
static void
render_section_start(struct render_agenda *r)
{
	if (r->out.len > 0)
		buf_puts(&r->out, "\n");
}

/*
 * value rounded to decimals (1 or 2) places, without trailing zeros or a
 * fraction when it is whole; plain digits up to 10^15, then %g.
 */
static void
render_number(double value, int decimals, char *out, size_t size)
{
	double scale = decimals >= 2 ? 100.0 : 10.0, rounded;
	size_t n;

	if (size == 0)
		return;
	if (isnan(value)) {
		snprintf(out, size, "NaN");
		return;
	}
	if (isinf(value)) {
		snprintf(out, size, "%s", value > 0 ? "inf" : "-inf");
		return;
	}
	if (fabs(value) >= 1e15) {
		snprintf(out, size, "%.15g", value);
		return;
	}
	rounded = round(value * scale) / scale;
	if (rounded == 0)
		rounded = 0; /* no "-0" */
	if (rounded == trunc(rounded)) {
		snprintf(out, size, "%.0f", rounded);
		return;
	}
	snprintf(out, size, "%.*f", decimals >= 2 ? 2 : 1, rounded);
	/* A non-whole number has a '.' and a non-zero digit after it. */
	n = strlen(out);
	while (n > 0 && out[n - 1] == '0')
		out[--n] = '\0';
}

/* value as a change: "+12.3%", "-5ms", "±0" (unit appended as given). */
static void
render_signed(double value, int decimals, const char *unit, char *out,
	      size_t size)
{
	char num[64];
	const char *sign;

	if (isnan(value)) {
		snprintf(out, size, "NaN");
		return;
	}
	render_number(fabs(value), decimals, num, sizeof num);
	if (strcmp(num, "0") == 0)
		sign = "±";
	else
		sign = value > 0 ? "+" : "-";
	snprintf(out, size, "%s%s%s", sign, num, unit);
}

void
render_metric_value(double value, const char *unit, char *out, size_t size)
{
	char num[64];

	if (size == 0)
		return;
	render_number(value, 2, num, sizeof num);
	if (!isfinite(value) || unit == NULL)
		unit = "";
	snprintf(out, size, "%s%s", num, unit);
}

const char *
render_section_name(enum locale loc, int section)
{
	switch (section) {
	case SECTION_DONE:
		return L_(loc, "Done");
	case SECTION_PLAN:
		return L_(loc, "Plan");
	case SECTION_BLOCKER:
		return L_(loc, "Problems and blockers");
	case SECTION_METRIC:
		return L_(loc, "Key metrics");
	case SECTION_NEED:
		return L_(loc, "Resource needs");
	default:
		return L_(loc, "Other");
	}
}

static void
render_title(struct render_agenda *r)
{
	const struct agenda_view *v = r->v;
	char day[96];

	render_text_day(r->loc, &v->start, day, sizeof day);
	buf_printf(&r->out, "#### %s — %s\n", L_(r->loc, "Weekly meeting"),
		   render_text_clean(&r->scratch[0], v->channel_name));
	buf_puts(&r->out, "**");
	buf_printf(&r->out, L_(r->loc, "%s %02d:%02d (%s), %d min"), day,
		   v->start.hour, v->start.minute,
		   render_text_clean(&r->scratch[0], v->timezone), v->length);
	buf_puts(&r->out, "**\n");
	if (v->rating_count > 0) {
		buf_printf(&r->out,
			   L_(r->loc, "The last meeting was rated %.1f of 5 "
				      "(%d ratings)."),
			   v->rating_average, v->rating_count);
		buf_puts(&r->out, "\n");
	}
}

/* One action item of the review: "- #12 @bob: text (due ...)". */
static void
render_review_item(struct render_agenda *r, const struct agenda_action *a)
{
	const char *text;
	char due[48], who[USER_NAME_MAX + 2];

	if (a->owner != NULL)
		snprintf(who, sizeof who, "@%s",
			 render_text_user(&r->scratch[0], a->owner));
	else
		snprintf(who, sizeof who, "%s", L_(r->loc, "unassigned"));
	text = render_text_clean(&r->scratch[1], a->text);
	render_text_date(a->due, due, sizeof due);
	buf_printf(&r->out, L_(r->loc, "- #%lld %s: %s"), (long long)a->id, who,
		   text);
	if (a->state == ACTION_DONE)
		buf_puts(&r->out, L_(r->loc, " (done)"));
	else if (a->state == ACTION_DROPPED)
		buf_puts(&r->out, L_(r->loc, " (dropped)"));
	else if (a->days_overdue == 1)
		buf_printf(&r->out, L_(r->loc, " (due %s, **1 day overdue**)"),
			   due);
	else if (a->days_overdue > 1)
		buf_printf(&r->out,
			   L_(r->loc, " (due %s, **%d days overdue**)"), due,
			   a->days_overdue);
	else if (*due != '\0')
		buf_printf(&r->out, L_(r->loc, " (due %s)"), due);
	buf_puts(&r->out, "\n");
}

/* The review's items of one group, under its heading; none: nothing. */
static void
render_review_group(struct render_agenda *r, const char *heading,
		    int (*in_group)(const struct agenda_action *))
{
	const struct agenda_view *v = r->v;
	size_t i;
	int first = 1;

	for (i = 0; i < v->n_actions; i++) {
		if (!in_group(&v->actions[i]))
			continue;
		if (first)
			buf_printf(&r->out, "**%s**\n", heading);
		first = 0;
		render_review_item(r, &v->actions[i]);
	}
}

static int
review_overdue(const struct agenda_action *a)
{
	return a->state == ACTION_OPEN && a->days_overdue > 0;
}

static int
review_open(const struct agenda_action *a)
{
	return a->state == ACTION_OPEN && a->days_overdue <= 0;
}

static int
review_closed(const struct agenda_action *a)
{
	return a->state != ACTION_OPEN;
}

/*
 * Item 1, always present: the action items, overdue first (with the
 * days), then the others still open, then those closed since the last
 * meeting.
 */
static void
render_review(struct render_agenda *r)
{
	const struct agenda_view *v = r->v;

	render_section_start(r);
	buf_puts(&r->out, "##### ");
	buf_printf(
	    &r->out,
	    L_(r->loc, "1. Review of last meeting's action items (%d min)"),
	    v->review_minutes > 0 ? v->review_minutes : 0);
	buf_puts(&r->out, "\n");
	if (v->n_actions == 0) {
		buf_printf(&r->out, "%s\n",
			   L_(r->loc, "No open action items."));
		return;
	}
	render_review_group(r, L_(r->loc, "Overdue"), review_overdue);
	render_review_group(r, L_(r->loc, "Open"), review_open);
	render_review_group(r, L_(r->loc, "Closed since the last meeting"),
			    review_closed);
}

/*
 * The change of m against its previous value: percentage points for a
 * "%" metric, the absolute change when the previous value was 0, else
 * the relative change in percent.
 */
static void
render_metric_change(struct render_agenda *r, const struct agenda_metric *m,
		     const char *unit, char *out, size_t size)
{
	char num[96];

	if (strcmp(unit, "%") == 0) {
		render_signed(m->value - m->prev, 2, "", num, sizeof num);
		snprintf(out, size, L_(r->loc, "%s pt"), num);
	} else if (m->prev == 0) {
		render_signed(m->value - m->prev, 2, unit, out, size);
	} else {
		render_signed((m->value - m->prev) / fabs(m->prev) * 100.0, 1,
			      "%", out, size);
	}
}

static void
render_metrics(struct render_agenda *r)
{
	const struct agenda_view *v = r->v;
	const struct agenda_metric *m;
	const char *name, *unit;
	char value[96], prev[96], change[160];
	size_t i;

	if (!render_enabled(v, SECTION_METRIC) || v->n_metrics == 0)
		return;
	render_section_start(r);
	buf_printf(&r->out, "##### %s\n",
		   render_section_name(r->loc, SECTION_METRIC));
	for (i = 0; i < v->n_metrics; i++) {
		m = &v->metrics[i];
		name = render_text_clean(&r->scratch[0], m->name);
		unit = render_text_clean(&r->scratch[1], m->unit);
		render_metric_value(m->value, unit, value, sizeof value);
		buf_puts(&r->out, "- ");
		if (m->has_prev) {
			render_metric_value(m->prev, unit, prev, sizeof prev);
			render_metric_change(r, m, unit, change, sizeof change);
			buf_printf(&r->out, L_(r->loc, "%s %s (%s vs %s)"),
				   name, value, change, prev);
		} else {
			buf_printf(&r->out, L_(r->loc, "%s %s (new)"), name,
				   value);
		}
		if (m->user != NULL)
			buf_printf(&r->out, " — @%s",
				   render_text_user(&r->scratch[2], m->user));
		buf_puts(&r->out, "\n");
	}
}

/* Whether rep belongs in "Member reports" (an enabled done or plan). */
static int
render_member_item(const struct agenda_view *v, const struct agenda_report *rep)
{
	if (rep->section != SECTION_DONE && rep->section != SECTION_PLAN)
		return 0;
	return render_enabled(v, rep->section);
}

static int
render_same_user(const struct agenda_report *a, const struct agenda_report *b)
{
	const char *ua = a->user != NULL ? a->user : "";
	const char *ub = b->user != NULL ? b->user : "";

	return strcmp(ua, ub) == 0;
}

/* One member's block: reports[from..to) are all theirs. */
static void
render_member(struct render_agenda *r, size_t from, size_t to)
{
	static const int kinds[] = { SECTION_DONE, SECTION_PLAN };
	const struct agenda_view *v = r->v;
	const struct agenda_report *rep;
	size_t i, k;
	int header;

	buf_printf(&r->out, "###### @%s\n",
		   render_text_user(&r->scratch[0], v->reports[from].user));
	for (k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		if (!render_enabled(v, kinds[k]))
			continue;
		header = 0;
		for (i = from; i < to; i++) {
			rep = &v->reports[i];
			if (rep->section != kinds[k])
				continue;
			if (!header) {
				buf_printf(
				    &r->out, "- **%s**\n",
				    render_section_name(r->loc, kinds[k]));
				header = 1;
			}
			buf_printf(
			    &r->out, "  - %s\n",
			    render_text_clean(&r->scratch[0], rep->text));
		}
	}
}

/*
 * Each member's done and plan, grouped by member in the order given. The
 * reports come grouped, so a group is a run of equal user names and the
 * whole section is one linear walk (two passes over each run).
 */
static void
render_reports(struct render_agenda *r)
{
	const struct agenda_view *v = r->v;
	size_t i, j;
	int any = 0, first = 1, wanted;

	for (i = 0; i < v->n_reports && !any; i++)
		any = render_member_item(v, &v->reports[i]);
	if (!any)
		return;
	render_section_start(r);
	buf_printf(&r->out, "##### %s\n", L_(r->loc, "Member reports"));
	for (i = 0; i < v->n_reports; i = j) {
		wanted = render_member_item(v, &v->reports[i]);
		for (j = i + 1;
		     j < v->n_reports &&
		     render_same_user(&v->reports[i], &v->reports[j]);
		     j++) {
			if (!wanted)
				wanted = render_member_item(v, &v->reports[j]);
		}
		if (!wanted)
			continue;
		if (!first)
			buf_puts(&r->out, "\n");
		first = 0;
		render_member(r, i, j);
	}
}

/* "alice bob" -> "@alice @bob" ("" if none). Borrowed until slot's reuse. */
static const char *
render_helpers(struct render_agenda *r, int slot, const char *helpers)
{
	struct buf *b = &r->scratch[slot];
	const char *p = helpers, *start;

	buf_reset(b);
	if (p == NULL)
		return "";
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n' ||
		       *p == ',' || *p == '@')
			p++;
		if (*p == '\0')
			break;
		start = p;
		while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\r' &&
		       *p != '\n' && *p != ',')
			p++;
		if (b->len > 0)
			buf_puts(b, " ");
		buf_puts(b, "@");
		buf_add(b, start, (size_t)(p - start));
	}
	return buf_str(b);
}

/* Problems and blockers, or resource needs: one line each, with who. */
static void
render_items(struct render_agenda *r, int section)
{
	const struct agenda_view *v = r->v;
	const struct agenda_report *rep;
	const char *helpers;
	size_t i;
	int any = 0;

	if (!render_enabled(v, section))
		return;
	for (i = 0; i < v->n_reports && !any; i++)
		any = v->reports[i].section == section;
	if (!any)
		return;
	render_section_start(r);
	buf_printf(&r->out, "##### %s\n", render_section_name(r->loc, section));
	for (i = 0; i < v->n_reports; i++) {
		rep = &v->reports[i];
		if (rep->section != section)
			continue;
		buf_printf(&r->out, "- %s — @%s",
			   render_text_clean(&r->scratch[0], rep->text),
			   render_text_user(&r->scratch[1], rep->user));
		helpers = section == SECTION_BLOCKER
			      ? render_helpers(r, 2, rep->helpers)
			      : "";
		if (*helpers != '\0')
			buf_printf(&r->out, L_(r->loc, " (can help: %s)"),
				   helpers);
		buf_puts(&r->out, "\n");
	}
}

/* The queued topics, numbered from 1; returns their minutes in total. */
static long long
render_topics(struct render_agenda *r)
{
	const struct agenda_view *v = r->v;
	const struct agenda_topic *t;
	long long total = 0;
	size_t i;

	if (v->n_topics == 0)
		return 0;
	render_section_start(r);
	buf_printf(&r->out, "##### %s\n", L_(r->loc, "Topics"));
	for (i = 0; i < v->n_topics; i++) {
		t = &v->topics[i];
		buf_printf(&r->out, "%zu. %s", i + 1,
			   render_text_clean(&r->scratch[0], t->title));
		if (t->owner != NULL)
			buf_printf(&r->out, " — @%s",
				   render_text_user(&r->scratch[1], t->owner));
		if (t->minutes > 0) {
			buf_printf(&r->out, L_(r->loc, " (%d min)"),
				   t->minutes);
			total += t->minutes;
		}
		buf_puts(&r->out, "\n");
	}
	return total;
}

/* The time budget: review plus topics against the meeting's length. */
static void
render_time(struct render_agenda *r, long long topics)
{
	const struct agenda_view *v = r->v;
	enum locale loc = r->loc;
	long long review = v->review_minutes > 0 ? v->review_minutes : 0;
	long long total = review + topics, length = v->length;

	render_section_start(r);
	buf_printf(&r->out, "##### %s\n", L_(loc, "Time"));
	if (length <= 0) {
		buf_printf(
		    &r->out,
		    L_(loc, "Planned: %lld min (review %lld + topics %lld)"),
		    total, review, topics);
		buf_puts(&r->out, "\n");
		return;
	}
	buf_printf(
	    &r->out,
	    L_(loc, "Planned: %lld of %lld min (review %lld + topics %lld)"),
	    total, length, review, topics);
	buf_puts(&r->out, "\n");
	if (total <= length)
		return;
	buf_printf(&r->out,
		   L_(loc, "⚠ %lld min planned for a %lld min meeting"), total,
		   length);
	buf_puts(&r->out, "\n");
}

static void
render_not_reported(struct render_agenda *r)
{
	const struct agenda_view *v = r->v;
	size_t i;

	render_section_start(r);
	buf_printf(&r->out, "##### %s\n", L_(r->loc, "Not reported yet"));
	if (v->n_not_reported == 0 && v->n_roster == 0) {
		/* Without a roster, "everyone has reported" would be a lie. */
		buf_printf(&r->out, "%s\n",
			   L_(r->loc, "Nobody is on the roster yet: add the "
				      "members with /lihui meeting roster add "
				      "@name."));
		return;
	}
	if (v->n_not_reported == 0) {
		buf_printf(&r->out, "%s\n",
			   L_(r->loc, "Everyone has reported."));
		return;
	}
	for (i = 0; i < v->n_not_reported; i++) {
		buf_printf(
		    &r->out, "%s@%s", i > 0 ? " " : "",
		    render_text_user(&r->scratch[0], v->not_reported[i]));
	}
	buf_puts(&r->out, "\n");
}

static void
render_on_leave(struct render_agenda *r)
{
	const struct agenda_view *v = r->v;
	const char *user;
	char until[48];
	size_t i;

	if (v->n_on_leave == 0)
		return;
	render_section_start(r);
	buf_printf(&r->out, "##### %s\n", L_(r->loc, "On leave"));
	for (i = 0; i < v->n_on_leave; i++) {
		user = render_text_user(&r->scratch[0], v->on_leave[i].user);
		render_text_date(v->on_leave[i].until, until, sizeof until);
		if (*until != '\0')
			buf_printf(&r->out, L_(r->loc, "- @%s (until %s)"),
				   user, until);
		else
			buf_printf(&r->out, "- @%s", user);
		buf_puts(&r->out, "\n");
	}
}

char *
render_agenda(const struct agenda_view *v)
{
	struct render_agenda r;
	long long topics;
	int i;

	r.v = v;
	r.loc = v->locale == LOCALE_ZH_CN ? LOCALE_ZH_CN : LOCALE_EN;
	buf_init(&r.out, SIZE_MAX / 2);
	for (i = 0; i < RENDER_SCRATCH; i++)
		buf_init(&r.scratch[i], SIZE_MAX / 2);

	render_title(&r);
	render_review(&r);
	render_metrics(&r);
	render_reports(&r);
	render_items(&r, SECTION_BLOCKER);
	render_items(&r, SECTION_NEED);
	topics = render_topics(&r);
	render_time(&r, topics);
	render_not_reported(&r);
	render_on_leave(&r);

	for (i = 0; i < RENDER_SCRATCH; i++)
		buf_release(&r.scratch[i]);
	return buf_detach(&r.out);
}
