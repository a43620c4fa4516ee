/* SPDX-License-Identifier: MIT */
/*
 * agenda.c: which meeting occurrence a report belongs to, and gathering
 * everything the agenda of that occurrence shows from the store.
 *
 * This is the only step between the store and the pure renderer: it reads
 * rows, matches each metric with the previous occurrence's value, works out
 * who has not reported and who is on leave, and points a struct agenda_view
 * at the rows. It reads the store and never writes except to create the
 * cycle row of a new occurrence.
 */

#include <stdlib.h>
#include <string.h>

#include "lihui/agenda.h"
#include "lihui/schedule.h"
#include "lihui/tz.h"
#include "lihui/when.h"
#include "lihui/xmalloc.h"

int
agenda_cycle(struct store *s, const struct channel *ch, int64_t now,
	     struct cycle *out, char **cause)
{
	int64_t starts;
	struct recur_rule rule;
	struct date day;

	/* The meeting in progress is still the one being prepared. */
	if (schedule_rule(s, ch, &rule, cause) != 0 ||
	    recur_next(&rule, now - (int64_t)rule.length * 60, &starts, &day,
		       cause) != 0)
		return -1;
	return store_cycle_ensure(s, ch->id, starts, rule.length, out, cause);
}

static int
agenda_metric_cmp(const struct metric *a, const struct metric *b)
{
	int c = strcmp(a->name, b->name);

	return c != 0 ? c : strcmp(a->user_name, b->user_name);
}

/*
 * Point the view's metrics at the current rows, each with the previous
 * occurrence's value. Both lists are sorted by (name, user), so one merge
 * walk matches them.
 */
static void
agenda_match_metrics(struct agenda *a)
{
	size_t i, j = 0;

	a->view_metrics = xcalloc(a->n_metrics, sizeof *a->view_metrics);
	for (i = 0; i < a->n_metrics; i++) {
		struct agenda_metric *vm = &a->view_metrics[i];

		vm->name = a->metrics[i].name;
		vm->user = a->metrics[i].user_name;
		vm->value = a->metrics[i].value;
		vm->unit = a->metrics[i].unit;
		while (j < a->n_prev_metrics &&
		       agenda_metric_cmp(&a->prev_metrics[j], &a->metrics[i]) <
			   0)
			j++;
		if (j < a->n_prev_metrics &&
		    agenda_metric_cmp(&a->prev_metrics[j], &a->metrics[i]) ==
			0) {
			vm->has_prev = 1;
			vm->prev = a->prev_metrics[j].value;
		}
	}
	a->view.metrics = a->view_metrics;
	a->view.n_metrics = a->n_metrics;
}

static int
agenda_has_reported(const struct agenda *a, const char *user)
{
	size_t lo = 0, hi = a->n_reported, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(a->reported[mid], user);
		if (c == 0)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* Sort the roster into not reported / on leave for the meeting's date. */
static void
agenda_roster(struct agenda *a, struct date meeting_day)
{
	size_t i, nr = 0, nl = 0, n_roster = 0;
	struct date until;

	a->not_reported = xcalloc(a->n_members, sizeof *a->not_reported);
	a->on_leave = xcalloc(a->n_members, sizeof *a->on_leave);
	for (i = 0; i < a->n_members; i++) {
		const struct member *m = &a->members[i];
		int away = m->away_until != NULL &&
			   date_parse_iso(m->away_until, &until) == 0 &&
			   date_compare(until, meeting_day) >= 0;

		if (m->on_roster)
			n_roster++;
		if (away) {
			a->on_leave[nl].user = m->user_name;
			a->on_leave[nl].until = until;
			nl++;
		} else if (m->on_roster &&
			   !agenda_has_reported(a, m->user_name)) {
			a->not_reported[nr++] = m->user_name;
		}
	}
	a->view.n_roster = n_roster;
	a->view.not_reported = a->not_reported;
	a->view.n_not_reported = nr;
	a->view.on_leave = a->on_leave;
	a->view.n_on_leave = nl;
}

static int
agenda_action_by_id(const void *x, const void *y)
{
	const struct action_item *a = x, *b = y;

	return (a->id > b->id) - (a->id < b->id);
}

/*
 * The review (agenda item 1): the action items of the channel's last
 * ended meeting, whatever their state, and every open item of the
 * channel; overdue counted against today in the channel's zone.
 */
static int
agenda_actions(struct store *s, const struct channel *ch, int64_t now,
	       struct agenda *a, char **cause)
{
	struct action_item *open = NULL, *rows = NULL;
	size_t n_open = 0, n = 0, i, k;
	struct local_time today;
	struct meeting m;
	int found = 0;

	if (tz_to_local(ch->timezone, now, &today, cause) != 0 ||
	    store_meeting_last_ended(s, ch->id, &m, &found, cause) != 0)
		return -1;
	if (found) {
		int rc = store_action_list_meeting(s, m.id, &rows, &n, cause);

		meeting_release(&m);
		if (rc != 0)
			return -1;
	}
	if (store_action_list(s, ch->id, 1u << ACTION_OPEN, NULL, &open,
			      &n_open, cause) != 0) {
		action_item_list_free(rows, n);
		return -1;
	}
	/* The union: the meeting's items already hold its open ones. */
	rows =
	    xreallocarray(rows, n + n_open > 0 ? n + n_open : 1, sizeof *rows);
	for (i = 0; i < n_open; i++) {
		for (k = 0; k < n && rows[k].id != open[i].id; k++)
			;
		if (k < n) {
			action_item_release(&open[i]);
			continue;
		}
		rows[n++] = open[i];
	}
	free(open);
	qsort(rows, n, sizeof *rows, agenda_action_by_id);
	a->action_rows = rows;
	a->n_action_rows = n;
	a->view_actions = xcalloc(n > 0 ? n : 1, sizeof *a->view_actions);
	for (i = 0; i < n; i++) {
		struct agenda_action *v = &a->view_actions[i];

		v->id = rows[i].id;
		v->owner = rows[i].owner;
		v->text = rows[i].text;
		v->state = rows[i].state;
		if (rows[i].due != NULL &&
		    date_parse_iso(rows[i].due, &v->due) == 0 &&
		    rows[i].state == ACTION_OPEN &&
		    date_compare(v->due, today.date) < 0)
			v->days_overdue = (int)(date_to_days(today.date) -
						date_to_days(v->due));
	}
	a->view.actions = a->view_actions;
	a->view.n_actions = n;
	return 0;
}

/* The channel's last ended meeting's rating, for the title. */
static int
agenda_rating(struct store *s, const struct channel *ch, struct agenda *a,
	      char **cause)
{
	struct meeting m;
	int found = 0;

	if (store_meeting_last_ended(s, ch->id, &m, &found, cause) != 0)
		goto fail;
	if (!found)
		return 0;
	if (store_rating_summary(s, m.id, &a->view.rating_count,
				 &a->view.rating_average, cause) != 0) {
		meeting_release(&m);
		goto fail;
	}
	meeting_release(&m);
	return 0;
fail:
	agenda_release(a);
	return -1;
}

int
agenda_collect(struct store *s, const struct channel *ch, int64_t now,
	       int review_minutes, struct agenda *a, char **cause)
{
	struct cycle prev;
	int found = 0, loc;
	size_t i;

	memset(a, 0, sizeof *a);
	if (agenda_cycle(s, ch, now, &a->cycle, cause) != 0)
		return -1;
	if (store_report_list_cycle(s, a->cycle.id, &a->items, &a->n_items,
				    cause) != 0 ||
	    store_metric_list_cycle(s, a->cycle.id, &a->metrics, &a->n_metrics,
				    cause) != 0 ||
	    store_cycle_previous(s, ch->id, a->cycle.starts_at, &prev, &found,
				 cause) != 0 ||
	    (found &&
	     store_metric_list_cycle(s, prev.id, &a->prev_metrics,
				     &a->n_prev_metrics, cause) != 0) ||
	    store_topic_list(s, a->cycle.id, &a->topics, &a->n_topics, cause) !=
		0 ||
	    store_member_list(s, ch->id, 0, &a->members, &a->n_members,
			      cause) != 0 ||
	    store_report_users(s, a->cycle.id, &a->reported, &a->n_reported,
			       cause) != 0 ||
	    tz_to_local(ch->timezone, a->cycle.starts_at, &a->view.start,
			cause) != 0 ||
	    agenda_actions(s, ch, now, a, cause) != 0) {
		agenda_release(a);
		return -1;
	}

	loc = locale_parse(ch->locale);
	a->view.locale = loc < 0 ? LOCALE_EN : (enum locale)loc;
	a->view.channel_name = ch->name;
	a->view.timezone = ch->timezone;
	a->view.length = a->cycle.length;
	a->view.sections = ch->sections;
	a->view.review_minutes = review_minutes;

	a->reports = xcalloc(a->n_items, sizeof *a->reports);
	for (i = 0; i < a->n_items; i++) {
		a->reports[i].user = a->items[i].user_name;
		a->reports[i].section = a->items[i].section;
		a->reports[i].text = a->items[i].text;
		a->reports[i].helpers = a->items[i].helpers;
	}
	a->view.reports = a->reports;
	a->view.n_reports = a->n_items;

	agenda_match_metrics(a);

	a->view_topics = xcalloc(a->n_topics, sizeof *a->view_topics);
	for (i = 0; i < a->n_topics; i++) {
		a->view_topics[i].title = a->topics[i].title;
		a->view_topics[i].owner = a->topics[i].owner;
		a->view_topics[i].minutes = a->topics[i].minutes;
	}
	a->view.topics = a->view_topics;
	a->view.n_topics = a->n_topics;

	agenda_roster(a, a->view.start.date);
	return agenda_rating(s, ch, a, cause);
}

void
agenda_release(struct agenda *a)
{
	report_item_list_free(a->items, a->n_items);
	metric_list_free(a->metrics, a->n_metrics);
	metric_list_free(a->prev_metrics, a->n_prev_metrics);
	topic_list_free(a->topics, a->n_topics);
	member_list_free(a->members, a->n_members);
	string_list_free(a->reported, a->n_reported);
	free(a->reports);
	free(a->view_metrics);
	free(a->view_topics);
	free(a->not_reported);
	free(a->on_leave);
	action_item_list_free(a->action_rows, a->n_action_rows);
	free(a->view_actions);
	memset(a, 0, sizeof *a);
}
