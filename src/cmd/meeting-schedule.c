/* SPDX-License-Identifier: MIT */
/*
 * meeting-schedule.c: /meeting schedule, skip and unskip: a channel's
 * meeting schedule (recur.h, stored by src/schedule.c).
 *
 *	/meeting schedule			the rule and the next meeting
 *	/meeting schedule <rule>		set it (e.g. "mon 10:00 60m
 *						weekly Asia/Shanghai")
 *	/meeting skip [date]			skip the next meeting, or the
 *						one on date (a holiday)
 *	/meeting unskip <date>			hold it after all
 *	/meeting schedule window <time>|off	when the reporting window
 *						opens before each meeting
 *	/meeting schedule remind <times>|off	when those who have not
 *						reported are reminded
 *	/meeting schedule agenda <time>		when the agenda is posted
 *	(each time "default": the configuration's again)
 *
 * Every change keeps what members already reported for the meeting being
 * prepared (its cycle moves to the new next meeting, as a change of time
 * zone does) and moves the channel's scheduled jobs.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lihui/args.h"
#include "lihui/bot.h"
#include "lihui/catalog.h"
#include "lihui/jobs.h"
#include "lihui/schedule.h"
#include "lihui/store.h"
#include "lihui/tz.h"
#include "lihui/xmalloc.h"

#include "meeting-int.h"

/* "2026-11-30 10:00 (Asia/Shanghai)" of instant t in zone. */
static void
schedule_when(const char *zone, int64_t t, char *out, size_t size)
{
	struct local_time lt;

	if (tz_to_local(zone, t, &lt, NULL) != 0) {
		snprintf(out, size, "?");
		return;
	}
	snprintf(out, size, "%04d-%02d-%02d %02d:%02d (%s)", lt.date.year,
		 lt.date.month, lt.date.day, lt.hour, lt.minute, zone);
}

/* The rule, or a reply and -1. */
static int
schedule_get(struct cmd_ctx *ctx, struct recur_rule *rule)
{
	char *cause = NULL;

	if (schedule_rule(ctx->bot->store, &ctx->channel, rule, &cause) != 0) {
		cmd_store_error(ctx, cause);
		return -1;
	}
	return 0;
}

/* "window fri 16:00; reminders mon 09:00; agenda 30m before each
 * meeting" of times, in the channel's language. */
static void
schedule_times_describe(struct cmd_ctx *ctx, const struct schedule_times *t,
			char *out, size_t size)
{
	char window[SCHEDULE_TIME_SIZE], remind[SCHEDULE_TIME_SIZE],
	    agenda[SCHEDULE_TIME_SIZE];
	char window_part[SCHEDULE_TIME_SIZE + 64],
	    remind_part[SCHEDULE_TIME_SIZE + 64];

	schedule_time_format(t, STORE_SCHEDULE_WINDOW, window, sizeof window);
	schedule_time_format(t, STORE_SCHEDULE_REMIND, remind, sizeof remind);
	schedule_time_format(t, STORE_SCHEDULE_AGENDA, agenda, sizeof agenda);
	if (t->window_off)
		snprintf(window_part, sizeof window_part, "%s",
			 L_(ctx->loc, "no window post"));
	else
		snprintf(window_part, sizeof window_part,
			 L_(ctx->loc, "reporting window opens %s"), window);
	if (t->n_reminds == 0)
		snprintf(remind_part, sizeof remind_part, "%s",
			 L_(ctx->loc, "no reminders"));
	else
		snprintf(remind_part, sizeof remind_part,
			 L_(ctx->loc, "reminders %s"), remind);
	snprintf(out, size,
		 L_(ctx->loc, "%s, %s, agenda %s before each meeting"),
		 window_part, remind_part, agenda);
}

void
meeting_schedule_describe(struct cmd_ctx *ctx, char *out, size_t size)
{
	struct store_schedule row;
	struct schedule_times times;
	char text[RECUR_FORMAT_SIZE], posts[3 * SCHEDULE_TIME_SIZE + 128];
	char *skips = NULL, *cause = NULL;
	const char *rule = NULL;
	int found = 0;

	snprintf(out, size, "%s", "");
	if (store_schedule_get(ctx->bot->store, ctx->channel.id, &row, &found,
			       &cause) != 0 ||
	    schedule_times(ctx->bot->store, ctx->bot->config, &ctx->channel,
			   &times, &cause) != 0) {
		free(cause);
		store_schedule_release(&row);
		return;
	}
	schedule_times_describe(ctx, &times, posts, sizeof posts);
	/* The rule only when the channel has one: the day and time say the
	 * rest. */
	if (row.rule != NULL) {
		struct recur_rule r;

		if (schedule_rule(ctx->bot->store, &ctx->channel, &r, &cause) ==
		    0) {
			recur_format(&r, text, sizeof text);
			rule = text;
			skips = schedule_skips_text(&r);
		} else {
			free(cause);
		}
	}
	store_schedule_release(&row);
	if (rule != NULL && skips != NULL)
		snprintf(out, size,
			 L_(ctx->loc, "; schedule: %s; skipped: %s; %s"), rule,
			 skips, posts);
	else if (rule != NULL)
		snprintf(out, size, L_(ctx->loc, "; schedule: %s; %s"), rule,
			 posts);
	else
		snprintf(out, size, L_(ctx->loc, "; %s"), posts);
	free(skips);
}

/*
 * Store rule for the channel (text and skips), keep the channel's zone
 * and length in step with it, move what was prepared for the next
 * meeting to the new next meeting, and move the jobs.
 */
static int
schedule_store(struct cmd_ctx *ctx, const struct recur_rule *rule)
{
	struct channel *c = &ctx->channel;
	struct cycle before, after;
	char text[RECUR_FORMAT_SIZE], *skips, *cause = NULL;
	int rc;

	if (cmd_cycle(ctx, &before) != 0)
		return -1;
	recur_format(rule, text, sizeof text);
	skips = schedule_skips_text(rule);
	rc = store_schedule_set(ctx->bot->store, c->id, text, skips, &cause);
	free(skips);
	if (rc != 0) {
		cmd_store_error(ctx, cause);
		return -1;
	}
	free(c->timezone);
	c->timezone = xstrdup(rule->zone);
	c->meeting_length = rule->length;
	c->meeting_minute = rule->minute;
	if (cmd_cycle(ctx, &after) != 0)
		return -1;
	if (store_cycle_move(ctx->bot->store, before.id, after.id, &cause) !=
		0 ||
	    store_channel_update(ctx->bot->store, c, &cause) != 0 ||
	    jobs_replan(ctx->bot, c, ctx->now, &cause) != 0) {
		cmd_store_error(ctx, cause);
		return -1;
	}
	bot_jobs_changed(ctx->bot);
	return 0;
}

/* Reply (or post, when posting) the rule and the next meeting. */
static enum cmd_status
schedule_show(struct cmd_ctx *ctx, const struct recur_rule *rule, int post)
{
	char text[RECUR_FORMAT_SIZE], when[96], *skips, *line, *cause = NULL;
	char posts[3 * SCHEDULE_TIME_SIZE + 128];
	struct schedule_times times;
	struct date day;
	int64_t next;

	recur_format(rule, text, sizeof text);
	if (recur_next(rule, ctx->now, &next, &day, &cause) != 0) {
		free(cause);
		snprintf(when, sizeof when, "%s", L_(ctx->loc, "none"));
	} else {
		schedule_when(rule->zone, next, when, sizeof when);
	}
	if (schedule_times(ctx->bot->store, ctx->bot->config, &ctx->channel,
			   &times, &cause) != 0) {
		cmd_store_error(ctx, cause);
		return CMD_ERROR;
	}
	schedule_times_describe(ctx, &times, posts, sizeof posts);
	skips = schedule_skips_text(rule);
	if (skips != NULL)
		line = xasprintf(L_(ctx->loc, "Meeting schedule of #%s: %s. "
					      "Next meeting: %s. Skipped: %s. "
					      "Posts: %s."),
				 ctx->channel.name, text, when, skips, posts);
	else
		line = xasprintf(L_(ctx->loc, "Meeting schedule of #%s: %s. "
					      "Next meeting: %s. Posts: %s."),
				 ctx->channel.name, text, when, posts);
	if (post)
		cmd_post(ctx, line);
	else
		cmd_reply(ctx, "%s", line);
	free(line);
	free(skips);
	return CMD_OK;
}

/* The words of "/meeting schedule <word> <time>". */
static const struct schedule_time_word {
	const char *en, *en2, *zh;
	enum store_schedule_time which;
} schedule_time_words[] = {
	{ "window", "window_open", "窗口", STORE_SCHEDULE_WINDOW },
	{ "remind", "reminders", "提醒", STORE_SCHEDULE_REMIND },
	{ "agenda", "agenda_at", "议程", STORE_SCHEDULE_AGENDA },
};

/* Which time word is, or -1. */
static int
schedule_time_word(const char *word)
{
	const struct schedule_time_word *w;
	size_t i;

	for (i = 0;
	     i < sizeof schedule_time_words / sizeof schedule_time_words[0];
	     i++) {
		w = &schedule_time_words[i];
		if (strcasecmp(word, w->en) == 0 ||
		    strcasecmp(word, w->en2) == 0 || strcmp(word, w->zh) == 0)
			return (int)w->which;
	}
	return -1;
}

/*
 * "/meeting schedule window|remind|agenda <time>": set (or, with
 * "default", forget) the channel's own time, move its jobs, and post the
 * times now in force.
 */
static enum cmd_status
schedule_set_time(struct cmd_ctx *ctx, enum store_schedule_time which,
		  struct args *a)
{
	struct schedule_times times;
	char canon[SCHEDULE_TIME_SIZE], posts[3 * SCHEDULE_TIME_SIZE + 128];
	const char *text = args_rest(a, 1), *stored = NULL;
	char *cause = NULL, *line;

	if (!cmd_check_admin(ctx))
		return CMD_ERROR;
	if (*text == '\0') {
		cmd_usage_error(ctx, L_(ctx->loc, "give a time"));
		return CMD_ERROR;
	}
	if (schedule_times(ctx->bot->store, ctx->bot->config, &ctx->channel,
			   &times, &cause) != 0) {
		cmd_store_error(ctx, cause);
		return CMD_ERROR;
	}
	if (strcasecmp(text, "default") != 0 && strcmp(text, "默认") != 0) {
		if (schedule_time_parse(which, text, ctx->loc, &times,
					&cause) != 0) {
			cmd_usage_error(ctx, cause);
			free(cause);
			return CMD_ERROR;
		}
		schedule_time_format(&times, which, canon, sizeof canon);
		stored = canon;
	}
	if (store_schedule_set_time(ctx->bot->store, ctx->channel.id, which,
				    stored, &cause) != 0 ||
	    schedule_times(ctx->bot->store, ctx->bot->config, &ctx->channel,
			   &times, &cause) != 0 ||
	    jobs_replan(ctx->bot, &ctx->channel, ctx->now, &cause) != 0) {
		cmd_store_error(ctx, cause);
		return CMD_ERROR;
	}
	bot_jobs_changed(ctx->bot);
	schedule_times_describe(ctx, &times, posts, sizeof posts);
	line = xasprintf(L_(ctx->loc, "@%s changed the posts of #%s: %s."),
			 ctx->ev->user_name, ctx->channel.name, posts);
	cmd_post(ctx, line);
	free(line);
	return CMD_OK;
}

enum cmd_status
cmd_meeting_schedule(struct cmd_ctx *ctx, struct args *a)
{
	struct recur_defaults def;
	struct recur_rule rule, old;
	struct local_time today;
	char *cause = NULL;
	int i, which;

	if (schedule_get(ctx, &old) != 0)
		return CMD_ERROR;
	if (a->argc == 0)
		return schedule_show(ctx, &old, 0);
	which = schedule_time_word(a->argv[0]);
	if (which >= 0)
		return schedule_set_time(ctx, (enum store_schedule_time)which,
					 a);
	if (!cmd_check_admin(ctx) || cmd_local_now(ctx, &today) != 0)
		return CMD_ERROR;
	memset(&def, 0, sizeof def);
	def.today = today.date;
	def.length = ctx->channel.meeting_length;
	def.zone = ctx->channel.timezone;
	def.loc = ctx->loc;
	if (recur_parse(args_rest(a, 0), &def, &rule, &cause) != 0) {
		cmd_usage_error(ctx, cause);
		free(cause);
		return CMD_ERROR;
	}
	/* Holidays already skipped stay skipped. */
	for (i = 0; i < old.nskip; i++)
		if (recur_skip_add(&rule, old.skip[i], NULL) != 0)
			break;
	if (schedule_store(ctx, &rule) != 0)
		return CMD_ERROR;
	return schedule_show(ctx, &rule, 1);
}

/*
 * Whether day is a meeting day of rule (after its first meeting), whether
 * or not it is skipped.
 */
static int
schedule_meets_on(const struct recur_rule *rule, struct date day)
{
	struct recur_rule plain = *rule;
	struct date found;
	int64_t midnight, start;

	plain.nskip = 0;
	if (tz_from_local(rule->zone, day, 0, &midnight, NULL) != 0 ||
	    recur_next(&plain, midnight, &start, &found, NULL) != 0)
		return 0;
	return date_compare(found, day) == 0;
}

/* The date of "/meeting skip|unskip [date]", or a reply and -1. */
static int
schedule_date(struct cmd_ctx *ctx, struct args *a,
	      const struct recur_rule *rule, struct date *out)
{
	struct local_time today;
	char *cause = NULL, shown[16];
	int64_t start;

	if (cmd_local_now(ctx, &today) != 0)
		return -1;
	if (a->argc == 0) {
		/* The next meeting that has not started. */
		if (recur_next(rule, ctx->now, &start, out, &cause) != 0) {
			cmd_error(ctx, "%s", cause);
			free(cause);
			return -1;
		}
		return 0;
	}
	if (when_parse(args_rest(a, 0), today.date, out, &cause) != 0) {
		cmd_usage_error(ctx,
				L_(ctx->loc, "give a date such as "
					     "2026-12-28, 12-28 or 下周一"));
		free(cause);
		return -1;
	}
	if (!schedule_meets_on(rule, *out)) {
		date_format(*out, shown, sizeof shown);
		cmd_error(ctx,
			  L_(ctx->loc, "There is no meeting on %s to skip; "
				       "/%s schedule shows the schedule"),
			  shown, ctx->trigger);
		return -1;
	}
	return 0;
}

enum cmd_status
cmd_meeting_skip(struct cmd_ctx *ctx, struct args *a)
{
	struct recur_rule rule;
	struct date day, next_day;
	char shown[16], when[96], *cause = NULL, *line;
	int64_t start;

	if (!cmd_check_admin(ctx) || schedule_get(ctx, &rule) != 0 ||
	    schedule_date(ctx, a, &rule, &day) != 0)
		return CMD_ERROR;
	date_format(day, shown, sizeof shown);
	if (recur_is_skipped(&rule, day)) {
		cmd_error(ctx,
			  L_(ctx->loc, "The meeting on %s is already "
				       "skipped"),
			  shown);
		return CMD_ERROR;
	}
	if (recur_skip_add(&rule, day, &cause) != 0) {
		free(cause);
		cmd_error(ctx,
			  L_(ctx->loc, "Too many skipped dates (at most %d); "
				       "unskip some first"),
			  RECUR_SKIP_MAX);
		return CMD_ERROR;
	}
	if (schedule_store(ctx, &rule) != 0)
		return CMD_ERROR;
	if (recur_next(&rule, ctx->now, &start, &next_day, &cause) != 0) {
		free(cause);
		snprintf(when, sizeof when, "%s", L_(ctx->loc, "none"));
	} else {
		schedule_when(rule.zone, start, when, sizeof when);
	}
	line = xasprintf(L_(ctx->loc, "No meeting on %s (skipped by @%s). "
				      "Next meeting: %s."),
			 shown, ctx->ev->user_name, when);
	cmd_post(ctx, line);
	free(line);
	return CMD_OK;
}

enum cmd_status
cmd_meeting_unskip(struct cmd_ctx *ctx, struct args *a)
{
	struct recur_rule rule;
	struct date day;
	char shown[16], *cause = NULL, *line;

	if (!cmd_check_admin(ctx) || schedule_get(ctx, &rule) != 0 ||
	    schedule_date(ctx, a, &rule, &day) != 0)
		return CMD_ERROR;
	if (recur_skip_remove(&rule, day, &cause) != 0) {
		free(cause);
		date_format(day, shown, sizeof shown);
		cmd_error(ctx, L_(ctx->loc, "The meeting on %s is not skipped"),
			  shown);
		return CMD_ERROR;
	}
	if (schedule_store(ctx, &rule) != 0)
		return CMD_ERROR;
	date_format(day, shown, sizeof shown);
	line = xasprintf(L_(ctx->loc, "The meeting on %s will be held after "
				      "all (@%s)."),
			 shown, ctx->ev->user_name);
	cmd_post(ctx, line);
	free(line);
	return CMD_OK;
}
