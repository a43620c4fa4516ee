/* SPDX-License-Identifier: MIT */
/*
 * jobs.c: the scheduled jobs: when each kind runs next and what a run
 * queues (see jobs.h).
 *
 * How it works. A job is a row (channel, kind, due). jobs_run_due() takes
 * the due rows in due order and handles each in one unit of work: it
 * queues the run's posts in the outbox, computes the kind's next time
 * after the later of now and the due time, and records both the run and
 * the new due time (store_job_done, which also checks the row was still
 * due at that time). The commit makes all of it durable at once, so a
 * crash before it leaves the job due (it runs after the restart, nothing
 * was queued) and a crash after it leaves it done (its posts are in the
 * outbox): a job never runs twice and is never lost.
 *
 * Downtime. A job found more than catch_up_grace minutes late was missed
 * while lihui was down: it is not run but moved to its next time, with a
 * log line. Several missed times of one job collapse into that one move;
 * a job less late runs once.
 *
 * Time. Every time is computed on the channel's local calendar and
 * turned into an instant by tz_from_local(), so a 10:00 meeting stays at
 * 10:00 across daylight-saving changes; a time that does not exist moves
 * forward, an ambiguous one takes the first instant (never twice).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lihui/agenda.h"
#include "lihui/bot.h"
#include "lihui/catalog.h"
#include "lihui/config.h"
#include "lihui/jobs.h"
#include "lihui/log.h"
#include "lihui/render.h"
#include "lihui/schedule.h"
#include "lihui/store.h"
#include "lihui/tz.h"
#include "lihui/when.h"
#include "lihui/xmalloc.h"

/* Far in the future: a job with nothing to do (its setting is off). */
#define JOB_NEVER ((int64_t)253402300799) /* 9999-12-31 23:59:59 UTC */

/* Seconds before a job whose run failed is tried again. */
#define JOBS_RETRY 300

struct job_kind {
	const char *name;
	/*
	 * The first due time after after (strictly). done: the due time of
	 * its last run (0: none), so that a change of times does not post a
	 * meeting's agenda or window twice.
	 */
	int (*next)(struct bot *b, const struct channel *ch, int64_t after,
		    int64_t done, int64_t *due, char **cause);
	/* Queue the run's posts; part of the caller's unit of work. */
	int (*run)(struct bot *b, const struct channel *ch, int64_t now,
		   char **cause);
};

static int job_agenda_next(struct bot *, const struct channel *, int64_t,
			   int64_t, int64_t *, char **);
static int job_agenda_run(struct bot *, const struct channel *, int64_t,
			  char **);
static int job_actions_next(struct bot *, const struct channel *, int64_t,
			    int64_t, int64_t *, char **);
static int job_actions_run(struct bot *, const struct channel *, int64_t,
			   char **);

static int job_window_next(struct bot *, const struct channel *, int64_t,
			   int64_t, int64_t *, char **);
static int job_window_run(struct bot *, const struct channel *, int64_t,
			  char **);
static int job_remind_next(struct bot *, const struct channel *, int64_t,
			   int64_t, int64_t *, char **);
static int job_remind_run(struct bot *, const struct channel *, int64_t,
			  char **);

static const struct job_kind job_kinds[] = {
	{ "actions", job_actions_next, job_actions_run },
	{ "agenda", job_agenda_next, job_agenda_run },
	{ "remind", job_remind_next, job_remind_run },
	{ "window", job_window_next, job_window_run },
};

#define JOB_KINDS (sizeof job_kinds / sizeof job_kinds[0])

static int job_dm(struct bot *b, const char *user, const char *text,
		  int64_t now, char **cause);

static const struct job_kind *
job_kind_find(const char *name)
{
	size_t i;

	for (i = 0; i < JOB_KINDS; i++)
		if (strcmp(job_kinds[i].name, name) == 0)
			return &job_kinds[i];
	return NULL;
}

static enum locale
job_locale(const struct channel *ch)
{
	int loc = locale_parse(ch->locale);

	return loc < 0 ? LOCALE_EN : (enum locale)loc;
}

/* Whether minute of the day m lies in the quiet hours [start, end). */
static int
job_quiet(int m, int start, int end)
{
	if (start == end)
		return 0;
	if (start < end)
		return m >= start && m < end;
	return m >= start || m < end;
}

int
jobs_next_daily(const char *zone, int64_t after, int minute_of_day,
		int quiet_start, int quiet_end, int64_t *out, char **cause)
{
	struct local_time local;
	struct date d;
	int64_t t, days;
	int m = minute_of_day, i;

	if (job_quiet(m, quiet_start, quiet_end))
		m = quiet_end;
	if (tz_to_local(zone, after, &local, cause) != 0)
		return -1;
	days = date_to_days(local.date);
	/* Today's time may be past; tomorrow's is not (or the day after,
	 * when a DST change moved tomorrow's before after). */
	for (i = 0; i < 3; i++) {
		d = date_from_days(days + i);
		if (tz_from_local(zone, d, m, &t, cause) != 0)
			return -1;
		if (t > after) {
			*out = t;
			return 0;
		}
	}
	return set_cause(cause, "no local time %02d:%02d after %lld in %s",
			 m / 60, m % 60, (long long)after, zone);
}

static int job_before_next(struct bot *b, const struct channel *ch,
			   const struct recur_rule *rule,
			   const struct recur_offset *off, int quiet,
			   int64_t after, int64_t once_done, int64_t *due);

/* The channel's rule and the times of its posts (its own or the config's). */
static int
job_schedule(struct bot *b, const struct channel *ch, struct recur_rule *rule,
	     struct schedule_times *times, char **cause)
{
	if (schedule_rule(b->store, ch, rule, cause) != 0 ||
	    schedule_times(b->store, b->config, ch, times, cause) != 0)
		return -1;
	return 0;
}

/* agenda: its time before the next meeting's start. */
static int
job_agenda_next(struct bot *b, const struct channel *ch, int64_t after,
		int64_t done, int64_t *due, char **cause)
{
	struct recur_rule rule;
	struct schedule_times times;

	if (job_schedule(b, ch, &rule, &times, cause) != 0)
		return -1;
	return job_before_next(b, ch, &rule, &times.agenda, 0, after, done,
			       due);
}

static int
job_agenda_run(struct bot *b, const struct channel *ch, int64_t now,
	       char **cause)
{
	struct agenda ag;
	char *text, **pieces = NULL;
	size_t n, i;
	int rc = 0;

	if (agenda_collect(b->store, ch, now, b->config->review_minutes, &ag,
			   cause) != 0)
		return -1;
	text = render_agenda(&ag.view);
	agenda_release(&ag);
	n = render_split(text, b->max_post, &pieces);
	for (i = 0; i < n && rc == 0; i++)
		rc = store_outbox_add(b->store, OUTBOX_CHANNEL, ch->key, NULL,
				      pieces[i], now, NULL, cause);
	render_pieces_free(pieces, n);
	free(text);
	return rc;
}

/*
 * The first time after after that lies off before one of the meetings of
 * rule (moved out of the quiet hours when quiet), and not after that
 * meeting's start. JOB_NEVER when no meeting has one. once_done: for a
 * post made once per meeting, when it was last made (0: never); the
 * meeting it was made for is not given a second one, even when its time
 * moved later.
 */
static int
job_before_next(struct bot *b, const struct channel *ch,
		const struct recur_rule *rule, const struct recur_offset *off,
		int quiet, int64_t after, int64_t once_done, int64_t *due)
{
	const struct config *c = b->config;
	struct date day;
	int64_t from = after, start, t, covered = 0;
	int i;

	if (once_done > 0 &&
	    recur_next(rule, once_done, &covered, &day, NULL) == 0 &&
	    covered >= from)
		from = covered + 1;

	/* A time before a meeting is after it only for meetings after it;
	 * the first few meetings from there hold the answer. */
	for (i = 0; i < 64; i++) {
		if (recur_next(rule, from, &start, &day, NULL) != 0)
			break;
		from = start + 1;
		if (recur_offset(rule->zone, start, off, &t, NULL) != 0)
			continue;
		if (quiet && recur_quiet_adjust(rule->zone, t, c->quiet_start,
						c->quiet_end, &t, NULL) != 0)
			continue;
		if (t > after && t <= start) {
			*due = t;
			return 0;
		}
	}
	/*
	 * The setting names no time before these meetings (e.g. "0d 11:00"
	 * for a 10:00 meeting), or no meeting is left (every date skipped).
	 * Not an error of this job: one would fail the command that planned
	 * it, and retry for ever. The job waits for a setting or schedule
	 * that fits (replanning moves it).
	 */
	log_warn("no time before the meetings of %s fits that setting; the "
		 "job is off until the schedule changes",
		 ch->name);
	*due = JOB_NEVER;
	return 0;
}

/* "2026-11-30 10:00" local of the meeting being prepared at now. */
static int
job_meeting_day(struct bot *b, const struct channel *ch, int64_t now, char *out,
		size_t size, char **cause)
{
	struct local_time lt;
	struct cycle cy;

	if (agenda_cycle(b->store, ch, now, &cy, cause) != 0 ||
	    tz_to_local(ch->timezone, cy.starts_at, &lt, cause) != 0)
		return -1;
	snprintf(out, size, "%04d-%02d-%02d %02d:%02d", lt.date.year,
		 lt.date.month, lt.date.day, lt.hour, lt.minute);
	return 0;
}

/* window: the reporting window opens, its time before each meeting. */
static int
job_window_next(struct bot *b, const struct channel *ch, int64_t after,
		int64_t done, int64_t *due, char **cause)
{
	struct recur_rule rule;
	struct schedule_times times;

	if (job_schedule(b, ch, &rule, &times, cause) != 0)
		return -1;
	if (times.window_off) {
		*due = JOB_NEVER;
		return 0;
	}
	return job_before_next(b, ch, &rule, &times.window, 0, after, done,
			       due);
}

static int
job_window_run(struct bot *b, const struct channel *ch, int64_t now,
	       char **cause)
{
	const char *t = b->config->trigger_report;
	char day[32], *text;
	int rc;

	if (job_meeting_day(b, ch, now, day, sizeof day, cause) != 0)
		return -1;
	text = xasprintf(L_(job_locale(ch),
			    "Status reports for the meeting on %s (%s) are "
			    "open. Report with /%s done, /%s plan, /%s "
			    "blocker, /%s metric or /%s need <text>; /%s show "
			    "shows yours."),
			 day, ch->timezone, t, t, t, t, t, t);
	rc = store_outbox_add(b->store, OUTBOX_CHANNEL, ch->key, NULL, text,
			      now, NULL, cause);
	free(text);
	return rc;
}

/* remind: those who have not reported, at each reminder time. */
static int
job_remind_next(struct bot *b, const struct channel *ch, int64_t after,
		int64_t done, int64_t *due, char **cause)
{
	struct recur_rule rule;
	struct schedule_times times;
	int64_t t, best = JOB_NEVER;
	size_t i;

	/* Several a meeting: a later time after a change reminds again. */
	(void)done;

	if (job_schedule(b, ch, &rule, &times, cause) != 0)
		return -1;
	for (i = 0; i < times.n_reminds; i++) {
		if (job_before_next(b, ch, &rule, &times.reminds[i], 1, after,
				    0, &t) != 0)
			return -1;
		if (t < best)
			best = t;
	}
	*due = best;
	return 0;
}

static int
job_remind_run(struct bot *b, const struct channel *ch, int64_t now,
	       char **cause)
{
	struct agenda ag;
	char day[32], *text;
	size_t i;
	int rc = 0;

	if (job_meeting_day(b, ch, now, day, sizeof day, cause) != 0 ||
	    agenda_collect(b->store, ch, now, 0, &ag, cause) != 0)
		return -1;
	/* The roster without a report, members on leave left out. */
	for (i = 0; i < ag.view.n_not_reported && rc == 0; i++) {
		text = xasprintf(L_(job_locale(ch),
				    "Your status report for the meeting of "
				    "#%s on %s (%s) is still missing. One line "
				    "is enough: /%s done <what you did>"),
				 ch->name, day, ch->timezone,
				 b->config->trigger_report);
		rc = job_dm(b, ag.view.not_reported[i], text, now, cause);
		free(text);
	}
	agenda_release(&ag);
	return rc;
}

/* actions: every day at action_remind_time, out of quiet hours. */
static int
job_actions_next(struct bot *b, const struct channel *ch, int64_t after,
		 int64_t done, int64_t *due, char **cause)
{
	(void)done; /* daily: one run a day, whatever changed */
	const struct config *c = b->config;

	return jobs_next_daily(ch->timezone, after, c->action_remind_minute,
			       c->quiet_start, c->quiet_end, due, cause);
}

static int
job_dm(struct bot *b, const char *user, const char *text, int64_t now,
       char **cause)
{
	return store_outbox_add(b->store, OUTBOX_DIRECT, "", user, text, now,
				NULL, cause);
}

/* Who hears of an item overdue_escalate days late: its meeting's chair,
 * else whoever created it. Allocated. */
static char *
job_chair_of(struct bot *b, const struct action_item *a, char **cause,
	     int *failed)
{
	struct meeting m;
	int found = 0;
	char *who;

	*failed = 0;
	if (a->meeting_id != 0) {
		if (store_meeting_get(b->store, a->meeting_id, &m, &found,
				      cause) != 0) {
			*failed = 1;
			return NULL;
		}
		if (found) {
			who = xstrdup(m.chair);
			meeting_release(&m);
			return who;
		}
	}
	return xstrdup(a->created_by);
}

/* The owner's reminder for item a, days after its deadline (-1: due
 * tomorrow). Allocated; NULL when the owner hears nothing today. */
static char *
job_owner_text(struct bot *b, const struct channel *ch,
	       const struct action_item *a, int days)
{
	enum locale loc = job_locale(ch);
	const char *trigger = b->config->trigger_action;
	long long id = (long long)a->id;

	if (days == -1)
		return xasprintf(L_(loc, "Action item #%lld (%s) is due "
					 "tomorrow, %s: %s\nWhen it is done: "
					 "/%s done %lld"),
				 id, ch->name, a->due, a->text, trigger, id);
	if (days == 0)
		return xasprintf(L_(loc, "Action item #%lld (%s) is due "
					 "today: %s\nWhen it is done: /%s done "
					 "%lld"),
				 id, ch->name, a->text, trigger, id);
	if (days == 1)
		return xasprintf(L_(loc, "Action item #%lld (%s) is 1 day "
					 "overdue (due %s): %s\nWhen it is "
					 "done: /%s done %lld; a new deadline: "
					 "/%s due %lld <date>"),
				 id, ch->name, a->due, a->text, trigger, id,
				 trigger, id);
	if (days > 1)
		return xasprintf(L_(loc, "Action item #%lld (%s) is %d days "
					 "overdue (due %s): %s\nWhen it is "
					 "done: /%s done %lld; a new deadline: "
					 "/%s due %lld <date>"),
				 id, ch->name, days, a->due, a->text, trigger,
				 id, trigger, id);
	return NULL;
}

/* Today's reminders of one open item with a deadline. */
static int
job_remind_item(struct bot *b, const struct channel *ch,
		const struct action_item *a, struct date today, int64_t now,
		char **cause)
{
	enum locale loc = job_locale(ch);
	struct date due;
	char *text, *chair;
	int days, failed, rc = 0;

	if (a->due == NULL || date_parse_iso(a->due, &due) != 0)
		return 0;
	days = (int)(date_to_days(today) - date_to_days(due));
	if (a->owner != NULL) {
		text = job_owner_text(b, ch, a, days);
		if (text != NULL)
			rc = job_dm(
			    b, a->owner_id != NULL ? a->owner_id : a->owner,
			    text, now, cause);
		free(text);
	}
	if (rc != 0 || b->config->overdue_escalate == 0 ||
	    days != b->config->overdue_escalate)
		return rc;
	chair = job_chair_of(b, a, cause, &failed);
	if (failed)
		return -1;
	if (a->owner != NULL)
		text = xasprintf(L_(loc, "Action item #%lld (%s) of @%s is %d "
					 "days overdue (due %s): %s"),
				 (long long)a->id, ch->name, a->owner, days,
				 a->due, a->text);
	else
		text =
		    xasprintf(L_(loc, "Action item #%lld (%s) has no owner "
				      "and is %d days overdue (due %s): "
				      "%s\nAssign it: /%s assign %lld @user"),
			      (long long)a->id, ch->name, days, a->due, a->text,
			      b->config->trigger_action, (long long)a->id);
	rc = job_dm(b, chair, text, now, cause);
	free(text);
	free(chair);
	return rc;
}

static int
job_actions_run(struct bot *b, const struct channel *ch, int64_t now,
		char **cause)
{
	struct action_item *items = NULL;
	struct local_time today;
	size_t n = 0, i;
	int rc = 0;

	if (tz_to_local(ch->timezone, now, &today, cause) != 0 ||
	    store_action_list(b->store, ch->id, 1u << ACTION_OPEN, NULL, &items,
			      &n, cause) != 0)
		return -1;
	for (i = 0; i < n && rc == 0; i++)
		rc = job_remind_item(b, ch, &items[i], today.date, now, cause);
	action_item_list_free(items, n);
	return rc;
}

int
jobs_ensure(struct bot *b, const struct channel *ch, int64_t now, int *planned,
	    char **cause)
{
	struct job j;
	int64_t due;
	size_t i;
	int found = 0, have = 0;

	*planned = 0;
	if (store_job_count_channel(b->store, ch->id, &have, cause) != 0)
		return -1;
	if (have == (int)JOB_KINDS)
		return 0;
	for (i = 0; i < JOB_KINDS; i++) {
		if (store_job_find(b->store, ch->id, job_kinds[i].name, &j,
				   &found, cause) != 0)
			return -1;
		if (found)
			continue;
		if (job_kinds[i].next(b, ch, now, 0, &due, cause) != 0 ||
		    store_job_set(b->store, ch->id, job_kinds[i].name, due,
				  cause) != 0)
			return -1;
		(*planned)++;
	}
	return 0;
}

int
jobs_replan(struct bot *b, const struct channel *ch, int64_t now, char **cause)
{
	struct job j;
	int64_t due;
	size_t i;
	int found = 0;

	for (i = 0; i < JOB_KINDS; i++) {
		if (store_job_find(b->store, ch->id, job_kinds[i].name, &j,
				   &found, cause) != 0)
			return -1;
		if (job_kinds[i].next(b, ch, now, found ? j.last_run : 0, &due,
				      cause) != 0 ||
		    store_job_set(b->store, ch->id, job_kinds[i].name, due,
				  cause) != 0)
			return -1;
	}
	return 0;
}

/* One due job as one unit of work (see the top of the file). */
static int
job_run_one(struct bot *b, const struct job *j, int64_t now, char **cause)
{
	const struct job_kind *kind = job_kind_find(j->kind);
	int64_t late = now - j->due, next;
	struct channel ch;
	int found = 0, rc = -1;

	if (kind == NULL)
		return set_cause(cause, "unknown kind of job '%s'", j->kind);
	if (store_begin(b->store, cause) != 0)
		return -1;
	if (store_channel_get(b->store, j->channel_id, &ch, &found, cause) != 0)
		goto out;
	if (!found) {
		set_cause(cause, "its channel %lld is gone",
			  (long long)j->channel_id);
		goto out;
	}
	if (late > (int64_t)b->config->catch_up_grace * 60) {
		log_warn("skipped the %s job of channel %s: it was due %lld "
			 "minutes ago, while lihui was not running (grace: %d "
			 "minutes)",
			 j->kind, ch.name, (long long)(late / 60),
			 b->config->catch_up_grace);
	} else if (kind->run(b, &ch, now, cause) != 0) {
		goto out_channel;
	}
	if (kind->next(b, &ch, now > j->due ? now : j->due, j->due, &next,
		       cause) != 0 ||
	    store_job_done(b->store, j->id, j->due, next, cause) != 0)
		goto out_channel;
	rc = store_commit(b->store, cause);
out_channel:
	channel_release(&ch);
out:
	if (rc != 0)
		store_rollback(b->store);
	return rc;
}

int
jobs_run_due(struct bot *b, int64_t now, size_t limit, size_t *ran,
	     char **cause)
{
	struct job *jobs = NULL;
	size_t n = 0, i;
	char *why = NULL;

	*ran = 0;
	if (store_job_due(b->store, now, limit, &jobs, &n, cause) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (job_run_one(b, &jobs[i], now, &why) != 0) {
			log_error("the %s job of channel %lld failed (trying "
				  "again in %d s): %s",
				  jobs[i].kind, (long long)jobs[i].channel_id,
				  JOBS_RETRY, why);
			free(why);
			why = NULL;
			/* Nothing of the run was kept; try it again later
			 * rather than at once. */
			if (store_job_set(b->store, jobs[i].channel_id,
					  jobs[i].kind, now + JOBS_RETRY,
					  &why) != 0) {
				log_error("cannot put the job off: %s", why);
				free(why);
				why = NULL;
			}
			continue;
		}
		(*ran)++;
	}
	free(jobs);
	return 0;
}

int
jobs_next_due(struct bot *b, int64_t *due, int *found, char **cause)
{
	return store_job_next(b->store, due, found, cause);
}
