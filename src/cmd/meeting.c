/* SPDX-License-Identifier: MIT */
/*
 * meeting.c: the "/meeting" command group: running a meeting in the
 * channel, the roster and the channel's settings.
 *
 *	/meeting start|开始 [title]		one meeting per channel
 *	/meeting topic|议题 <title>		a new topic
 *	/meeting next|下一个			the agenda's next topic
 *	/meeting note|记录 <text>		a note (like #info)
 *	/meeting decide|决议 <text>		a decision (like #agreed)
 *	/meeting action|行动 [@owner] [due] <text>	an action item
 *	/meeting present|出席 @user ... / absent|缺席 @user ...	corrections
 *	/meeting undo|撤销			the last item (chairs: anyone's)
 *	/meeting end|结束			post the minutes (chairs)
 *	/meeting cancel|取消			no minutes (chairs)
 *	/meeting minutes|纪要 [id]		post the minutes again
 *	/meeting rate|评分 <1-5>		rate the last meeting (asked
 *once, after its minutes) /meeting roster|名单 add|remove @user ...	(admins)
 *	/meeting roster|名单 [list]
 *	/meeting config|设置				show the settings
 *	/meeting config|设置 locale|timezone|sections <value>	(admins)
 *
 * The chairs of a meeting are who started it and the configured admins
 * (the channel's leads). Items recorded by command are also posted in the
 * channel, since a slash command's text is seen by its author only. The
 * roster is who is expected to report and attend: the agenda's "not
 * reported yet" list and the minutes' absentees come from it.
 */

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lihui/bot.h"
#include "lihui/buf.h"
#include "lihui/cmd.h"
#include "lihui/config.h"
#include "lihui/jobs.h"
#include "lihui/meeting.h"
#include "lihui/report.h"
#include "lihui/recur.h"
#include "lihui/render.h"
#include "lihui/schedule.h"
#include "lihui/tz.h"
#include "lihui/xmalloc.h"

#include "meeting-int.h"

#define MEETING_REPLY_MAX (64 * 1024)

static enum cmd_status cmd_meeting_action(struct cmd_ctx *, struct args *);
static enum cmd_status cmd_meeting_amend(struct cmd_ctx *, struct args *);
static enum cmd_status cmd_meeting_absent(struct cmd_ctx *, struct args *);
static enum cmd_status cmd_meeting_cancel(struct cmd_ctx *, struct args *);
static enum cmd_status cmd_meeting_config(struct cmd_ctx *, struct args *);
static enum cmd_status cmd_meeting_decide(struct cmd_ctx *, struct args *);
static enum cmd_status cmd_meeting_end(struct cmd_ctx *, struct args *);
static enum cmd_status cmd_meeting_minutes(struct cmd_ctx *, struct args *);
static enum cmd_status cmd_meeting_next(struct cmd_ctx *, struct args *);
static enum cmd_status cmd_meeting_note(struct cmd_ctx *, struct args *);
static enum cmd_status cmd_meeting_present(struct cmd_ctx *, struct args *);
static enum cmd_status cmd_meeting_rate(struct cmd_ctx *, struct args *);
static enum cmd_status cmd_meeting_roster(struct cmd_ctx *, struct args *);
static enum cmd_status cmd_meeting_start(struct cmd_ctx *, struct args *);
static enum cmd_status cmd_meeting_topic(struct cmd_ctx *, struct args *);
static enum cmd_status cmd_meeting_undo(struct cmd_ctx *, struct args *);

static const struct cmd_sub cmd_meeting_subs[] = {
	{
	    .name = "absent",
	    .alias = "缺席",
	    .min_args = 1,
	    .max_args = ARGS_MAX - 1,
	    .usage = N_("@user ..."),
	    .help = N_("count people as absent from the running meeting"),
	    .flags = CMD_NODM,
	    .exec = cmd_meeting_absent,
	},
	{
	    .name = "action",
	    .alias = "行动",
	    .min_args = 1,
	    .max_args = -1,
	    .usage = N_("[@owner] [due] <text>"),
	    .help = N_("record an action item"),
	    .flags = CMD_NODM,
	    .exec = cmd_meeting_action,
	},
	{
	    .name = "amend",
	    .alias = "补充",
	    .min_args = 3,
	    .max_args = -1,
	    .usage = N_("<meeting number> note|decide|action <text>"),
	    .help = N_("add to the minutes of a meeting that ended less than "
		       "a day ago"),
	    .flags = CMD_NODM,
	    .exec = cmd_meeting_amend,
	},
	{
	    .name = "cancel",
	    .alias = "取消",
	    .min_args = 0,
	    .max_args = 0,
	    .usage = "",
	    .help = N_("stop the running meeting without minutes"),
	    .flags = CMD_NODM,
	    .exec = cmd_meeting_cancel,
	},
	{
	    .name = "config",
	    .alias = "设置",
	    .min_args = 0,
	    .max_args = 2,
	    .usage = N_("[locale en|zh_CN | timezone <zone> | sections "
			"<list>]"),
	    .help = N_("show or change this channel's settings"),
	    .flags = CMD_NODM,
	    .exec = cmd_meeting_config,
	},
	{
	    .name = "decide",
	    .alias = "决议",
	    .min_args = 1,
	    .max_args = -1,
	    .usage = N_("<text>"),
	    .help = N_("record a decision"),
	    .flags = CMD_NODM,
	    .exec = cmd_meeting_decide,
	},
	{
	    .name = "end",
	    .alias = "结束",
	    .min_args = 0,
	    .max_args = 0,
	    .usage = "",
	    .help = N_("end the meeting and post the minutes"),
	    .flags = CMD_NODM,
	    .exec = cmd_meeting_end,
	},
	{
	    .name = "minutes",
	    .alias = "纪要",
	    .min_args = 0,
	    .max_args = 1,
	    .usage = N_("[meeting number]"),
	    .help = N_("post the minutes of the last (or a given) meeting"),
	    .flags = CMD_NODM,
	    .exec = cmd_meeting_minutes,
	},
	{
	    .name = "next",
	    .alias = "下一个",
	    .min_args = 0,
	    .max_args = 0,
	    .usage = "",
	    .help = N_("move to the agenda's next topic"),
	    .flags = CMD_NODM,
	    .exec = cmd_meeting_next,
	},
	{
	    .name = "note",
	    .alias = "记录",
	    .min_args = 1,
	    .max_args = -1,
	    .usage = N_("<text>"),
	    .help = N_("record a note"),
	    .flags = CMD_NODM,
	    .exec = cmd_meeting_note,
	},
	{
	    .name = "present",
	    .alias = "出席",
	    .min_args = 1,
	    .max_args = ARGS_MAX - 1,
	    .usage = N_("@user ..."),
	    .help = N_("count people as present at the running meeting"),
	    .flags = CMD_NODM,
	    .exec = cmd_meeting_present,
	},
	{
	    .name = "rate",
	    .alias = "评分",
	    .min_args = 1,
	    .max_args = 1,
	    .usage = N_("<1-5>"),
	    .help = N_("rate how useful the last meeting was"),
	    .flags = CMD_NODM,
	    .exec = cmd_meeting_rate,
	},
	{
	    .name = "roster",
	    .alias = "名单",
	    .min_args = 0,
	    .max_args = ARGS_MAX - 1,
	    .usage = N_("[list | add @user ... | remove @user ...]"),
	    .help = N_("who is expected to report and attend"),
	    .flags = CMD_NODM,
	    .exec = cmd_meeting_roster,
	},
	{
	    .name = "schedule",
	    .alias = "日程",
	    .min_args = 0,
	    .max_args = -1,
	    .usage = N_("[<days> <HH:MM> [<length>] [weekly|every N weeks|"
			"monthly ...] [<zone>] | window <time>|off | "
			"remind <times>|off | agenda <time>]"),
	    .help = N_("show or set when this channel meets"),
	    .flags = CMD_NODM,
	    .exec = cmd_meeting_schedule,
	},
	{
	    .name = "skip",
	    .alias = "跳过",
	    .min_args = 0,
	    .max_args = 4,
	    .usage = N_("[date]"),
	    .help = N_("skip the next meeting, or the one on a date"),
	    .flags = CMD_NODM,
	    .exec = cmd_meeting_skip,
	},
	{
	    .name = "start",
	    .alias = "开始",
	    .min_args = 0,
	    .max_args = -1,
	    .usage = N_("[title]"),
	    .help = N_("start the meeting in this channel"),
	    .flags = CMD_NODM,
	    .exec = cmd_meeting_start,
	},
	{
	    .name = "topic",
	    .alias = "议题",
	    .min_args = 1,
	    .max_args = -1,
	    .usage = N_("<title>"),
	    .help = N_("move to a new topic"),
	    .flags = CMD_NODM,
	    .exec = cmd_meeting_topic,
	},
	{
	    .name = "undo",
	    .alias = "撤销",
	    .min_args = 0,
	    .max_args = 0,
	    .usage = "",
	    .help = N_("remove the last item recorded"),
	    .flags = CMD_NODM,
	    .exec = cmd_meeting_undo,
	},
	{
	    .name = "unskip",
	    .alias = "恢复",
	    .min_args = 1,
	    .max_args = 4,
	    .usage = N_("<date>"),
	    .help = N_("hold a skipped meeting after all"),
	    .flags = CMD_NODM,
	    .exec = cmd_meeting_unskip,
	},
	{ .name = NULL },
};

const struct cmd_entry cmd_meeting_entry = {
	.name = "meeting",
	.default_sub = "roster",
	.help = N_("the meeting: run it, record it, its roster and settings"),
	.subs = cmd_meeting_subs,
};

static int
meeting_word_is(const char *w, const char *en, const char *zh)
{
	return strcmp(w, en) == 0 || strcmp(w, zh) == 0;
}

static enum cmd_status
meeting_roster_list(struct cmd_ctx *ctx)
{
	struct member *m = NULL;
	size_t n = 0, i;
	struct buf b;
	char *cause = NULL;

	if (store_member_list(ctx->bot->store, ctx->channel.id, 1, &m, &n,
			      &cause) != 0)
		return cmd_store_error(ctx, cause);
	if (n == 0) {
		cmd_reply(ctx,
			  L_(ctx->loc, "The roster is empty; add people with "
				       "/%s roster add @name"),
			  ctx->trigger);
		return CMD_OK;
	}
	buf_init(&b, MEETING_REPLY_MAX);
	buf_printf(&b, L_(ctx->loc, "Roster (%zu):"), n);
	for (i = 0; i < n; i++)
		buf_printf(&b, " @%s", m[i].user_name);
	cmd_reply_text(ctx, buf_str(&b));
	buf_release(&b);
	member_list_free(m, n);
	return CMD_OK;
}

static enum cmd_status
cmd_meeting_roster(struct cmd_ctx *ctx, struct args *a)
{
	char name[USER_NAME_MAX + 1], *cause = NULL;
	struct buf done, same;
	int adding, i, changed;

	if (a->argc == 0 || meeting_word_is(a->argv[0], "list", "查看")) {
		if (a->argc > 1) {
			cmd_usage_error(ctx,
					L_(ctx->loc, "too many arguments"));
			return CMD_ERROR;
		}
		return meeting_roster_list(ctx);
	}
	if (meeting_word_is(a->argv[0], "add", "添加"))
		adding = 1;
	else if (meeting_word_is(a->argv[0], "remove", "删除"))
		adding = 0;
	else {
		cmd_usage_error(ctx, L_(ctx->loc, "say list, add or remove"));
		return CMD_ERROR;
	}
	if (a->argc < 2) {
		cmd_usage_error(ctx, L_(ctx->loc, "name at least one @user"));
		return CMD_ERROR;
	}
	for (i = 1; i < a->argc; i++) {
		if (!report_parse_mention(a->argv[i], name)) {
			cmd_usage_error(ctx, L_(ctx->loc, "each name must look "
							  "like @user"));
			return CMD_ERROR;
		}
	}
	if (!cmd_check_admin(ctx))
		return CMD_ERROR;
	buf_init(&done, MEETING_REPLY_MAX);
	buf_init(&same, MEETING_REPLY_MAX);
	for (i = 1; i < a->argc; i++) {
		report_parse_mention(a->argv[i], name);
		if ((adding
			 ? store_roster_add(ctx->bot->store, ctx->channel.id,
					    name, &changed, &cause)
			 : store_roster_remove(ctx->bot->store, ctx->channel.id,
					       name, &changed, &cause)) != 0) {
			buf_release(&done);
			buf_release(&same);
			return cmd_store_error(ctx, cause);
		}
		buf_printf(changed ? &done : &same, " @%s", name);
	}
	if (done.len > 0)
		cmd_reply(ctx,
			  adding ? L_(ctx->loc, "Added to the roster:%s")
				 : L_(ctx->loc, "Removed from the roster:%s"),
			  buf_str(&done));
	if (same.len > 0)
		cmd_reply(ctx,
			  adding ? L_(ctx->loc, "Already on the roster:%s")
				 : L_(ctx->loc, "Not on the roster:%s"),
			  buf_str(&same));
	buf_release(&done);
	buf_release(&same);
	return CMD_OK;
}

static void
meeting_sections_list(unsigned set, char *out, size_t size)
{
	size_t len = 0;
	int i;

	out[0] = '\0';
	for (i = 0; i < SECTION_COUNT && len < size; i++) {
		if (set & (1u << i))
			len += (size_t)snprintf(out + len, size - len, "%s%s",
						len ? "," : "",
						report_section_keyword(i));
	}
}

static enum cmd_status
meeting_config_show(struct cmd_ctx *ctx)
{
	static const char *const days[] = { "sun", "mon", "tue", "wed",
					    "thu", "fri", "sat" };
	const struct channel *c = &ctx->channel;
	char sections[128], schedule[RECUR_FORMAT_SIZE + 16 * RECUR_SKIP_MAX +
				     3 * SCHEDULE_TIME_SIZE + 128];

	meeting_sections_list(c->sections, sections, sizeof sections);
	meeting_schedule_describe(ctx, schedule, sizeof schedule);
	cmd_reply(ctx,
		  L_(ctx->loc, "Settings of #%s: locale %s, timezone %s, "
			       "sections %s, meeting %s %02d:%02d for %d "
			       "min%s"),
		  c->name, c->locale, c->timezone, sections,
		  days[c->meeting_wday % 7], c->meeting_minute / 60,
		  c->meeting_minute % 60, c->meeting_length, schedule);
	return CMD_OK;
}

/*
 * Change the channel's zone. The next meeting then starts at another
 * instant, so what was already prepared for it (reports, metrics, topics)
 * moves to the re-computed occurrence instead of being left behind.
 */
static int
meeting_set_timezone(struct cmd_ctx *ctx, const char *zone)
{
	struct channel *c = &ctx->channel;
	struct cycle before, after;
	char *cause = NULL;

	if (cmd_cycle(ctx, &before) != 0)
		return -1;
	free(c->timezone);
	c->timezone = xstrdup(zone);
	if (cmd_cycle(ctx, &after) != 0)
		return -1;
	if (store_cycle_move(ctx->bot->store, before.id, after.id, &cause) !=
	    0) {
		cmd_store_error(ctx, cause);
		return -1;
	}
	return 0;
}

static enum cmd_status
cmd_meeting_config(struct cmd_ctx *ctx, struct args *a)
{
	struct channel *c = &ctx->channel;
	char *cause = NULL;
	unsigned sections;
	int loc;

	if (a->argc == 0)
		return meeting_config_show(ctx);
	if (a->argc != 2) {
		cmd_usage_error(ctx,
				L_(ctx->loc, "give a setting and a value"));
		return CMD_ERROR;
	}
	if (!cmd_check_admin(ctx))
		return CMD_ERROR;
	if (meeting_word_is(a->argv[0], "locale", "语言")) {
		loc = locale_parse(a->argv[1]);
		if (loc < 0) {
			cmd_usage_error(ctx, L_(ctx->loc, "the locale must be "
							  "en or zh_CN"));
			return CMD_ERROR;
		}
		free(c->locale);
		c->locale = xstrdup(locale_name((enum locale)loc));
		ctx->loc = (enum locale)loc;
	} else if (meeting_word_is(a->argv[0], "timezone", "时区")) {
		if (!tz_valid(a->argv[1])) {
			cmd_usage_error(ctx, L_(ctx->loc, "unknown time zone; "
							  "use a name such as "
							  "Asia/Shanghai"));
			return CMD_ERROR;
		}
		if (meeting_set_timezone(ctx, a->argv[1]) != 0)
			return CMD_ERROR;
	} else if (meeting_word_is(a->argv[0], "sections", "栏目")) {
		if (report_sections_parse(a->argv[1], &sections, &cause) != 0) {
			free(cause);
			cmd_usage_error(ctx, L_(ctx->loc, "list sections from "
							  "done,plan,blocker,"
							  "metric,need"));
			return CMD_ERROR;
		}
		c->sections = sections;
	} else {
		cmd_usage_error(ctx, L_(ctx->loc, "unknown setting"));
		return CMD_ERROR;
	}
	/* The jobs follow the channel's zone (and, later, its schedule). */
	if (store_channel_update(ctx->bot->store, c, &cause) != 0 ||
	    jobs_replan(ctx->bot, c, ctx->now, &cause) != 0)
		return cmd_store_error(ctx, cause);
	bot_jobs_changed(ctx->bot);
	return meeting_config_show(ctx);
}

/* Post a formatted text in the channel. */
static void meeting_post(struct cmd_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
meeting_post(struct cmd_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	char *text;

	va_start(ap, fmt);
	text = xvasprintf(fmt, ap);
	va_end(ap);
	cmd_post(ctx, text);
	free(text);
}

/* Whether the command's author chairs m: who started it, or a lead. */
static int
meeting_is_chair(const struct cmd_ctx *ctx, const struct meeting *m)
{
	return meeting_user_chairs(ctx->bot->config, m, ctx->ev->user_name);
}

/*
 * The channel's running meeting into *m (release it); when there is none
 * the user is told how to start one and -1 is returned.
 */
static int
meeting_running(struct cmd_ctx *ctx, struct meeting *m)
{
	char *cause = NULL;
	int found = 0;

	if (store_meeting_running(ctx->bot->store, ctx->channel.id, m, &found,
				  &cause) != 0) {
		cmd_store_error(ctx, cause);
		return -1;
	}
	if (!found) {
		cmd_error(ctx,
			  L_(ctx->loc, "No meeting is running here; start one "
				       "with /%s start [title]"),
			  ctx->trigger);
		return -1;
	}
	return 0;
}

/* Refuse a text over MEETING_TEXT_MAX bytes; 0 when it fits. */
static int
meeting_text_fits(struct cmd_ctx *ctx, const char *text)
{
	if (strlen(text) <= MEETING_TEXT_MAX)
		return 0;
	cmd_usage_error(ctx, L_(ctx->loc, "the text is too long"));
	return -1;
}

static enum cmd_status
cmd_meeting_start(struct cmd_ctx *ctx, struct args *a)
{
	struct meeting m;
	const char *title = args_rest(a, 0);
	char *cause = NULL;
	int found = 0;

	if (store_meeting_running(ctx->bot->store, ctx->channel.id, &m, &found,
				  &cause) != 0)
		return cmd_store_error(ctx, cause);
	if (found) {
		cmd_error(ctx,
			  L_(ctx->loc, "Meeting %lld is already running here "
				       "(started by @%s); end it with /%s end"),
			  (long long)m.id, m.chair, ctx->trigger);
		meeting_release(&m);
		return CMD_ERROR;
	}
	if (*title == '\0')
		title = L_(ctx->loc, "Weekly meeting");
	if (meeting_text_fits(ctx, title) != 0)
		return CMD_ERROR;
	if (store_meeting_start(ctx->bot->store, ctx->channel.id, title,
				ctx->ev->user_name, ctx->now, &m, &cause) != 0)
		return cmd_store_error(ctx, cause);
	meeting_post(ctx,
		     L_(ctx->loc, "Meeting %lld started: %s (chair @%s). Lines "
				  "starting with #topic #info #idea #agreed "
				  "#action #link are recorded; /%s end posts "
				  "the minutes."),
		     (long long)m.id, m.title, m.chair, ctx->trigger);
	meeting_release(&m);
	return CMD_OK;
}

/* Record one item of kind from the command's text and show it. */
static enum cmd_status
meeting_item(struct cmd_ctx *ctx, int kind, const char *text)
{
	struct meeting m;
	char *cause = NULL;
	int rc;

	if (meeting_text_fits(ctx, text) != 0 || meeting_running(ctx, &m) != 0)
		return CMD_ERROR;
	rc = meeting_record_item(ctx->bot->store, ctx->bot->config,
				 &ctx->channel, m.id, kind, ctx->ev, text,
				 ctx->now, &cause);
	meeting_release(&m);
	if (rc == MEETING_BAD_TEXT) {
		cmd_usage_error(ctx, cause);
		free(cause);
		return CMD_ERROR;
	}
	if (rc != 0)
		return cmd_store_error(ctx, cause);
	switch (kind) {
	case MEETING_TOPIC:
		meeting_post(ctx, L_(ctx->loc, "Topic: %s"), text);
		break;
	case MEETING_AGREED:
		meeting_post(ctx, L_(ctx->loc, "Decision recorded: %s"), text);
		break;
	case MEETING_ACTION:
		meeting_post(ctx, L_(ctx->loc, "Action item recorded: %s"),
			     text);
		break;
	default:
		meeting_post(ctx, L_(ctx->loc, "Noted: %s"), text);
		break;
	}
	return CMD_OK;
}

static enum cmd_status
cmd_meeting_topic(struct cmd_ctx *ctx, struct args *a)
{
	return meeting_item(ctx, MEETING_TOPIC, args_rest(a, 0));
}

static enum cmd_status
cmd_meeting_note(struct cmd_ctx *ctx, struct args *a)
{
	return meeting_item(ctx, MEETING_INFO, args_rest(a, 0));
}

static enum cmd_status
cmd_meeting_decide(struct cmd_ctx *ctx, struct args *a)
{
	return meeting_item(ctx, MEETING_AGREED, args_rest(a, 0));
}

static enum cmd_status
cmd_meeting_action(struct cmd_ctx *ctx, struct args *a)
{
	return meeting_item(ctx, MEETING_ACTION, args_rest(a, 0));
}

/* The agenda's next topic: the cycle's queued topics, one at a time. */
static enum cmd_status
cmd_meeting_next(struct cmd_ctx *ctx, struct args *a)
{
	struct meeting m;
	struct cycle cy;
	struct topic *t = NULL;
	size_t n = 0;
	char *cause = NULL;
	enum cmd_status st;

	(void)a;
	if (meeting_running(ctx, &m) != 0)
		return CMD_ERROR;
	if (cmd_cycle(ctx, &cy) != 0) {
		meeting_release(&m);
		return CMD_ERROR;
	}
	if (store_topic_list(ctx->bot->store, cy.id, &t, &n, &cause) != 0) {
		meeting_release(&m);
		return cmd_store_error(ctx, cause);
	}
	if ((size_t)m.next_topic >= n) {
		cmd_error(ctx,
			  L_(ctx->loc, "The agenda has no more topics; name "
				       "one with /%s topic <title>"),
			  ctx->trigger);
		st = CMD_ERROR;
	} else if (store_meeting_set_next_topic(
		       ctx->bot->store, m.id, m.next_topic + 1, &cause) != 0) {
		st = cmd_store_error(ctx, cause);
	} else
		st = meeting_item(ctx, MEETING_TOPIC, t[m.next_topic].title);
	topic_list_free(t, n);
	meeting_release(&m);
	return st;
}

/* present / absent: the last correction for a user wins. */
static enum cmd_status
meeting_marks(struct cmd_ctx *ctx, struct args *a, int present)
{
	char name[USER_NAME_MAX + 1], *cause = NULL;
	struct meeting m;
	struct buf names;
	int i;

	for (i = 0; i < a->argc; i++) {
		if (!report_parse_mention(a->argv[i], name)) {
			cmd_usage_error(ctx, L_(ctx->loc, "each name must look "
							  "like @user"));
			return CMD_ERROR;
		}
	}
	if (meeting_running(ctx, &m) != 0)
		return CMD_ERROR;
	buf_init(&names, MEETING_REPLY_MAX);
	for (i = 0; i < a->argc; i++) {
		report_parse_mention(a->argv[i], name);
		if (store_meeting_mark(ctx->bot->store, m.id, name, present,
				       &cause) != 0) {
			buf_release(&names);
			meeting_release(&m);
			return cmd_store_error(ctx, cause);
		}
		buf_printf(&names, " @%s", name);
	}
	cmd_reply(ctx,
		  present ? L_(ctx->loc, "Counted as present:%s")
			  : L_(ctx->loc, "Counted as absent:%s"),
		  buf_str(&names));
	buf_release(&names);
	meeting_release(&m);
	return CMD_OK;
}

static enum cmd_status
cmd_meeting_present(struct cmd_ctx *ctx, struct args *a)
{
	return meeting_marks(ctx, a, 1);
}

static enum cmd_status
cmd_meeting_absent(struct cmd_ctx *ctx, struct args *a)
{
	return meeting_marks(ctx, a, 0);
}

/* Remove the last item: the chairs' may be anyone's, others' their own. */
static enum cmd_status
cmd_meeting_undo(struct cmd_ctx *ctx, struct args *a)
{
	struct meeting m;
	struct meeting_item it;
	char *cause = NULL;
	int found = 0;

	(void)a;
	if (meeting_running(ctx, &m) != 0)
		return CMD_ERROR;
	if (store_meeting_item_last(
		ctx->bot->store, m.id,
		meeting_is_chair(ctx, &m) ? NULL : ctx->ev->user_name, &it,
		&found, &cause) != 0) {
		meeting_release(&m);
		return cmd_store_error(ctx, cause);
	}
	meeting_release(&m);
	if (!found) {
		cmd_error(ctx, L_(ctx->loc, "Nothing of yours to undo"));
		return CMD_ERROR;
	}
	if (store_meeting_item_remove(ctx->bot->store, it.id, &cause) != 0) {
		meeting_item_release(&it);
		return cmd_store_error(ctx, cause);
	}
	meeting_post(ctx, L_(ctx->loc, "Removed the %s by @%s: %s"),
		     meeting_item_name((enum meeting_item_kind)it.kind),
		     it.user_name, it.text);
	meeting_item_release(&it);
	return CMD_OK;
}

/*
 * Render meeting id's minutes and post them in the channel: as its
 * minutes (the posts an amendment edits) when first, else as a copy.
 */
static enum cmd_status
meeting_post_minutes(struct cmd_ctx *ctx, int64_t id, int first)
{
	char *md = NULL, *cause = NULL;

	if (meeting_minutes(ctx->bot->store, ctx->bot->config, &ctx->channel,
			    id, &md, &cause) != 0)
		return cmd_store_error(ctx, cause);
	if (first &&
	    meeting_queue_minutes(ctx->bot->store, &ctx->channel, id, md,
				  ctx->bot->max_post, ctx->now, &cause) != 0) {
		free(md);
		return cmd_store_error(ctx, cause);
	}
	if (!first)
		cmd_post(ctx, md);
	free(md);
	return CMD_OK;
}

static enum cmd_status
cmd_meeting_end(struct cmd_ctx *ctx, struct args *a)
{
	struct meeting m;
	char *cause = NULL;
	enum cmd_status st;

	(void)a;
	if (meeting_running(ctx, &m) != 0)
		return CMD_ERROR;
	if (!meeting_is_chair(ctx, &m)) {
		cmd_error(ctx,
			  L_(ctx->loc, "Only the chair (@%s) or the leads may "
				       "end the meeting"),
			  m.chair);
		meeting_release(&m);
		return CMD_ERROR;
	}
	if (store_meeting_end(ctx->bot->store, m.id, ctx->now, 0, &cause) !=
	    0) {
		meeting_release(&m);
		return cmd_store_error(ctx, cause);
	}
	st = meeting_post_minutes(ctx, m.id, 1);
	if (st == CMD_OK)
		meeting_post(ctx,
			     L_(ctx->loc,
				"How useful was this meeting? Rate it "
				"from 1 to 5 with /%s rate <1-5>."),
			     ctx->trigger);
	meeting_release(&m);
	return st;
}

static enum cmd_status
cmd_meeting_cancel(struct cmd_ctx *ctx, struct args *a)
{
	struct meeting m;
	char *cause = NULL;

	(void)a;
	if (meeting_running(ctx, &m) != 0)
		return CMD_ERROR;
	if (!meeting_is_chair(ctx, &m)) {
		cmd_error(ctx,
			  L_(ctx->loc, "Only the chair (@%s) or the leads may "
				       "cancel the meeting"),
			  m.chair);
		meeting_release(&m);
		return CMD_ERROR;
	}
	if (store_meeting_cancel(ctx->bot->store, m.id, ctx->now, &cause) !=
	    0) {
		meeting_release(&m);
		return cmd_store_error(ctx, cause);
	}
	meeting_post(ctx, L_(ctx->loc, "Meeting %lld cancelled; no minutes."),
		     (long long)m.id);
	meeting_release(&m);
	return CMD_OK;
}

static enum cmd_status
cmd_meeting_minutes(struct cmd_ctx *ctx, struct args *a)
{
	struct meeting m;
	char *cause = NULL;
	long id = 0;
	int found = 0, rc;

	if (a->argc == 1 && args_int(a->argv[0], 1, INT32_MAX, &id) != 0) {
		cmd_usage_error(ctx, L_(ctx->loc, "give a meeting number"));
		return CMD_ERROR;
	}
	rc = id > 0 ? store_meeting_get(ctx->bot->store, id, &m, &found, &cause)
		    : store_meeting_last_ended(ctx->bot->store, ctx->channel.id,
					       &m, &found, &cause);
	if (rc != 0)
		return cmd_store_error(ctx, cause);
	if (!found || m.channel_id != ctx->channel.id ||
	    m.state != MEETING_ENDED) {
		if (found)
			meeting_release(&m);
		if (id > 0)
			cmd_error(ctx,
				  L_(ctx->loc, "No ended meeting %ld in this "
					       "channel"),
				  id);
		else
			cmd_error(ctx, L_(ctx->loc, "No meeting has ended in "
						    "this channel yet"));
		return CMD_ERROR;
	}
	id = (long)m.id;
	meeting_release(&m);
	return meeting_post_minutes(ctx, id, 0);
}

/* How long after its end a meeting's chair may amend its minutes. */
#define MEETING_AMEND_WINDOW (24 * 60 * 60)

/*
 * /meeting amend <id> note|decide|action <text>: add an item to an ended
 * meeting of this channel (chairs only, for a day) and edit the minutes
 * post in place.
 */
static enum cmd_status
cmd_meeting_amend(struct cmd_ctx *ctx, struct args *a)
{
	static const struct {
		const char *en, *zh;
		int kind;
	} kinds[] = {
		{ "note", "记录", MEETING_INFO },
		{ "decide", "决议", MEETING_AGREED },
		{ "action", "行动", MEETING_ACTION },
	};
	struct meeting m;
	const char *text;
	char *cause = NULL;
	long id;
	size_t k;
	int found = 0, rc;

	if (args_int(a->argv[0], 1, INT32_MAX, &id) != 0) {
		cmd_usage_error(ctx, L_(ctx->loc, "give a meeting number"));
		return CMD_ERROR;
	}
	for (k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
		if (strcmp(a->argv[1], kinds[k].en) == 0 ||
		    strcmp(a->argv[1], kinds[k].zh) == 0)
			break;
	if (k == sizeof kinds / sizeof kinds[0]) {
		cmd_usage_error(ctx,
				L_(ctx->loc, "say note, decide or action"));
		return CMD_ERROR;
	}
	text = args_rest(a, 2);
	if (meeting_text_fits(ctx, text) != 0)
		return CMD_ERROR;
	if (store_meeting_get(ctx->bot->store, id, &m, &found, &cause) != 0)
		return cmd_store_error(ctx, cause);
	if (!found || m.channel_id != ctx->channel.id ||
	    m.state != MEETING_ENDED) {
		if (found)
			meeting_release(&m);
		cmd_error(ctx,
			  L_(ctx->loc, "No ended meeting %ld in this channel"),
			  id);
		return CMD_ERROR;
	}
	if (!meeting_is_chair(ctx, &m)) {
		cmd_error(ctx,
			  L_(ctx->loc, "Only the chair (@%s) or the leads may "
				       "amend the minutes"),
			  m.chair);
		meeting_release(&m);
		return CMD_ERROR;
	}
	if (ctx->now - m.ended_at > MEETING_AMEND_WINDOW) {
		cmd_error(ctx,
			  L_(ctx->loc, "Meeting %ld ended more than a day ago; "
				       "its minutes can no longer be amended"),
			  id);
		meeting_release(&m);
		return CMD_ERROR;
	}
	meeting_release(&m);
	rc = meeting_record_item(ctx->bot->store, ctx->bot->config,
				 &ctx->channel, id, kinds[k].kind, ctx->ev,
				 text, ctx->now, &cause);
	if (rc == MEETING_BAD_TEXT) {
		cmd_usage_error(ctx, cause);
		free(cause);
		return CMD_ERROR;
	}
	if (rc != 0 || meeting_amend_minutes(
			   ctx->bot->store, ctx->bot->config, &ctx->channel, id,
			   ctx->bot->max_post, ctx->now, &cause) != 0)
		return cmd_store_error(ctx, cause);
	cmd_reply(ctx,
		  L_(ctx->loc, "Amended the minutes of meeting %ld: the post "
			       "in the channel is being updated."),
		  id);
	return CMD_OK;
}

static enum cmd_status
cmd_meeting_rate(struct cmd_ctx *ctx, struct args *a)
{
	struct meeting m;
	char *cause = NULL;
	long rating;
	int found = 0;

	if (args_int(a->argv[0], 1, 5, &rating) != 0) {
		cmd_usage_error(ctx, L_(ctx->loc, "give a number from 1 to 5"));
		return CMD_ERROR;
	}
	if (store_meeting_last_ended(ctx->bot->store, ctx->channel.id, &m,
				     &found, &cause) != 0)
		return cmd_store_error(ctx, cause);
	if (!found) {
		cmd_error(ctx, L_(ctx->loc, "No meeting has ended in this "
					    "channel yet"));
		return CMD_ERROR;
	}
	if (store_rating_set(ctx->bot->store, m.id, ctx->ev->user_name,
			     (int)rating, ctx->now, &cause) != 0) {
		meeting_release(&m);
		return cmd_store_error(ctx, cause);
	}
	cmd_reply(ctx, L_(ctx->loc, "Thanks: you rated meeting %lld %ld of 5."),
		  (long long)m.id, rating);
	meeting_release(&m);
	return CMD_OK;
}
