/* SPDX-License-Identifier: MIT */
/*
 * report.c: the "/report" command group: each member's status report for
 * the channel's next meeting.
 *
 *	/report done|完成 <text>	what you finished
 *	/report plan|计划 <text>	what you will do next
 *	/report blocker|问题 <text> [@who-can-help ...]
 *	/report metric|数据 name=value ...
 *	/report need|资源 <text>	people, budget, tools you need
 *	/report show|查看		your report so far (default)
 *	/report edit|修改 <n> <text>
 *	/report clear|清除 [<n>]
 *	/report away|请假 until <date> | off
 *
 * Handlers parse and reply; the words were counted and the permissions
 * checked by the dispatcher (cmd.c), the parsing of metrics and mentions is
 * in core/report.c, the dates in core/when.c.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lihui/bot.h"
#include "lihui/buf.h"
#include "lihui/cmd.h"
#include "lihui/config.h"
#include "lihui/render.h"
#include "lihui/report.h"
#include "lihui/tz.h"
#include "lihui/utf8.h"
#include "lihui/when.h"
#include "lihui/xmalloc.h"

#define REPORT_REPLY_MAX (64 * 1024)
/* The most items and metrics one person's report for one meeting holds. */
#define REPORT_ITEMS_MAX 100
/* The most of a user's word an error reply repeats, in bytes. */
#define REPORT_SHOWN_MAX 40

static enum cmd_status cmd_report_away(struct cmd_ctx *, struct args *);
static enum cmd_status cmd_report_blocker(struct cmd_ctx *, struct args *);
static enum cmd_status cmd_report_clear(struct cmd_ctx *, struct args *);
static enum cmd_status cmd_report_done(struct cmd_ctx *, struct args *);
static enum cmd_status cmd_report_edit(struct cmd_ctx *, struct args *);
static enum cmd_status cmd_report_metric(struct cmd_ctx *, struct args *);
static enum cmd_status cmd_report_need(struct cmd_ctx *, struct args *);
static enum cmd_status cmd_report_plan(struct cmd_ctx *, struct args *);
static enum cmd_status cmd_report_show(struct cmd_ctx *, struct args *);

static const struct cmd_sub cmd_report_subs[] = {
	{
	    .name = "away",
	    .alias = "请假",
	    .min_args = 1,
	    /* "until 2026 年 12 月 7 日": when_parse() reads spaced dates */
	    .max_args = 8,
	    .usage = N_("until <date> | off"),
	    .help = N_("mark yourself on leave until a date, or back"),
	    .flags = CMD_NODM,
	    .exec = cmd_report_away,
	},
	{
	    .name = "blocker",
	    .alias = "问题",
	    .min_args = 1,
	    .max_args = -1,
	    .usage = N_("<text> [@who-can-help ...]"),
	    .help = N_("report a problem or blocker, and who can help"),
	    .flags = CMD_NODM,
	    .exec = cmd_report_blocker,
	},
	{
	    .name = "clear",
	    .alias = "清除",
	    .min_args = 0,
	    .max_args = 1,
	    .usage = N_("[<n>]"),
	    .help = N_("remove item n of your report, or all of it"),
	    .flags = CMD_NODM,
	    .exec = cmd_report_clear,
	},
	{
	    .name = "done",
	    .alias = "完成",
	    .min_args = 1,
	    .max_args = -1,
	    .usage = N_("<text>"),
	    .help = N_("add something you finished this period"),
	    .flags = CMD_NODM,
	    .exec = cmd_report_done,
	},
	{
	    .name = "edit",
	    .alias = "修改",
	    .min_args = 2,
	    .max_args = -1,
	    .usage = N_("<n> <text>"),
	    .help = N_("replace the text of item n of your report"),
	    .flags = CMD_NODM,
	    .exec = cmd_report_edit,
	},
	{
	    .name = "metric",
	    .alias = "数据",
	    .min_args = 1,
	    .max_args = 32,
	    .usage = N_("<name>=<value> ..."),
	    .help = N_("record key metrics, e.g. signups=1240 conversion=3.1%"),
	    .flags = CMD_NODM,
	    .exec = cmd_report_metric,
	},
	{
	    .name = "need",
	    .alias = "资源",
	    .min_args = 1,
	    .max_args = -1,
	    .usage = N_("<text>"),
	    .help = N_("ask for resources: people, budget, tools"),
	    .flags = CMD_NODM,
	    .exec = cmd_report_need,
	},
	{
	    .name = "plan",
	    .alias = "计划",
	    .min_args = 1,
	    .max_args = -1,
	    .usage = N_("<text>"),
	    .help = N_("add something you plan for the next period"),
	    .flags = CMD_NODM,
	    .exec = cmd_report_plan,
	},
	{
	    .name = "show",
	    .alias = "查看",
	    .min_args = 0,
	    .max_args = 0,
	    .usage = "",
	    .help = N_("show your report for the next meeting"),
	    .flags = CMD_NODM,
	    .exec = cmd_report_show,
	},
	{ .name = NULL },
};

const struct cmd_entry cmd_report_entry = {
	.name = "report",
	.default_sub = "show",
	.help = N_("your status report for the next meeting"),
	.subs = cmd_report_subs,
};

/* word cut to REPORT_SHOWN_MAX bytes (at a character boundary) into out. */
static const char *
report_shown(const char *word, char *out, size_t size)
{
	snprintf(out, size, "%.*s",
		 (int)utf8_cut(word, strlen(word), REPORT_SHOWN_MAX), word);
	return out;
}

/* Refuse a section the channel does not use; 0 if it is enabled. */
static int
report_check_section(struct cmd_ctx *ctx, int section)
{
	char list[128] = "";
	size_t len = 0;
	int i;

	if (ctx->channel.sections & (1u << section))
		return 0;
	for (i = 0; i < SECTION_COUNT; i++) {
		if (ctx->channel.sections & (1u << i))
			len += (size_t)snprintf(list + len, sizeof list - len,
						"%s%s", len ? ", " : "",
						report_section_keyword(i));
	}
	cmd_error(ctx,
		  L_(ctx->loc, "this channel does not use the section '%s'; "
			       "it uses: %s"),
		  report_section_keyword(section), list);
	return -1;
}

/*
 * Refuse another entry when the user's report for cycle already holds
 * REPORT_ITEMS_MAX: what one person can make lihui store stays bounded.
 */
static int
report_check_room(struct cmd_ctx *ctx, const struct cycle *cycle)
{
	int64_t n = 0;
	char *cause = NULL;

	if (store_report_count_user(ctx->bot->store, cycle->id,
				    ctx->ev->user_name, &n, &cause) != 0) {
		cmd_store_error(ctx, cause);
		return -1;
	}
	if (n < REPORT_ITEMS_MAX)
		return 0;
	cmd_error(ctx,
		  L_(ctx->loc, "your report already has %d entries, the most "
			       "one report may hold; edit or clear some first"),
		  REPORT_ITEMS_MAX);
	return -1;
}

/* Add one item of section with text (and helpers for blockers). */
static enum cmd_status
report_add(struct cmd_ctx *ctx, int section, const char *text,
	   const char *helpers)
{
	struct cycle cycle;
	char *cause = NULL;

	if (report_check_section(ctx, section) != 0)
		return CMD_ERROR;
	if (cmd_cycle(ctx, &cycle) != 0 || report_check_room(ctx, &cycle) != 0)
		return CMD_ERROR;
	if (store_report_add(ctx->bot->store, cycle.id, ctx->ev->user_name,
			     section, text, helpers, ctx->now, NULL,
			     &cause) != 0)
		return cmd_store_error(ctx, cause);
	cmd_reply(ctx, L_(ctx->loc, "Noted under %s: %s"),
		  render_section_name(ctx->loc, section), text);
	return CMD_OK;
}

static enum cmd_status
cmd_report_done(struct cmd_ctx *ctx, struct args *a)
{
	return report_add(ctx, SECTION_DONE, args_rest(a, 0), NULL);
}

static enum cmd_status
cmd_report_plan(struct cmd_ctx *ctx, struct args *a)
{
	return report_add(ctx, SECTION_PLAN, args_rest(a, 0), NULL);
}

static enum cmd_status
cmd_report_need(struct cmd_ctx *ctx, struct args *a)
{
	return report_add(ctx, SECTION_NEED, args_rest(a, 0), NULL);
}

/*
 * Split the words from first on into a blocker's text and the trailing
 * @mentions of who can help. *text and *helpers are allocated (helpers
 * NULL when there are none); -1 when only mentions were given.
 */
static int
report_split_helpers(const struct args *a, int first, char **text,
		     char **helpers)
{
	char name[USER_NAME_MAX + 1];
	struct buf b;
	int k = a->argc, i;

	while (k > first && report_parse_mention(a->argv[k - 1], name))
		k--;
	if (k == first)
		return -1;
	*text = args_span(a, first, k);
	*helpers = NULL;
	if (k == a->argc)
		return 0;
	buf_init(&b, (size_t)ARGS_MAX * (USER_NAME_MAX + 2));
	for (i = k; i < a->argc; i++) {
		report_parse_mention(a->argv[i], name);
		buf_printf(&b, "%s%s", i > k ? " " : "", name);
	}
	*helpers = buf_detach(&b);
	return 0;
}

static enum cmd_status
cmd_report_blocker(struct cmd_ctx *ctx, struct args *a)
{
	char *text, *helpers;
	enum cmd_status st;

	if (report_split_helpers(a, 0, &text, &helpers) != 0) {
		cmd_usage_error(ctx, L_(ctx->loc, "say what the problem is"));
		return CMD_ERROR;
	}
	st = report_add(ctx, SECTION_BLOCKER, text, helpers);
	free(text);
	free(helpers);
	return st;
}

/* Parse one metric word; on error reply why (in the channel's language). */
static int
report_metric_word(struct cmd_ctx *ctx, const char *word,
		   struct metric_value *out)
{
	char *cause = NULL, shown[REPORT_SHOWN_MAX + 1];
	int rc = report_parse_metric(word, out, &cause);

	if (rc == 0)
		return 0;
	free(cause);
	report_shown(word, shown, sizeof shown);
	if (rc == METRIC_NOT_PAIR)
		cmd_usage_error(ctx, L_(ctx->loc, "write each metric as "
						  "name=value"));
	else if (rc == METRIC_BAD_NAME)
		cmd_error(ctx,
			  L_(ctx->loc, "metric '%s' needs a name of 1 to 64 "
				       "bytes, without spaces, before '='"),
			  shown);
	else
		cmd_error(ctx,
			  L_(ctx->loc, "metric '%s': the value is not a "
				       "number; write e.g. signups=1240, "
				       "conversion=3.1%% or latency=250ms"),
			  shown);
	return -1;
}

static enum cmd_status
cmd_report_metric(struct cmd_ctx *ctx, struct args *a)
{
	struct metric_value values[32];
	struct cycle cycle;
	struct buf b;
	char *cause = NULL, shown[64];
	int i, j, n = a->argc;

	if (report_check_section(ctx, SECTION_METRIC) != 0)
		return CMD_ERROR;
	if (n > (int)(sizeof values / sizeof values[0])) {
		cmd_usage_error(ctx, L_(ctx->loc, "too many arguments"));
		return CMD_ERROR;
	}
	/* Parse every word before storing any: all or nothing. */
	for (i = 0; i < n; i++) {
		if (report_metric_word(ctx, a->argv[i], &values[i]) != 0)
			return CMD_ERROR;
	}
	/* One value per name: a second one would silently replace the first. */
	for (i = 0; i < n; i++) {
		for (j = 0; j < i; j++) {
			if (strcmp(values[i].name, values[j].name) == 0) {
				cmd_error(ctx,
					  L_(ctx->loc, "metric '%s' is given "
						       "twice"),
					  values[i].name);
				return CMD_ERROR;
			}
		}
	}
	if (cmd_cycle(ctx, &cycle) != 0 || report_check_room(ctx, &cycle) != 0)
		return CMD_ERROR;
	buf_init(&b, REPORT_REPLY_MAX);
	for (i = 0; i < n; i++) {
		if (store_metric_set(ctx->bot->store, cycle.id,
				     ctx->ev->user_name, values[i].name,
				     values[i].value, values[i].unit, ctx->now,
				     &cause) != 0) {
			buf_release(&b);
			return cmd_store_error(ctx, cause);
		}
		render_metric_value(values[i].value, values[i].unit, shown,
				    sizeof shown);
		buf_printf(&b, "%s%s %s", i ? ", " : "", values[i].name, shown);
	}
	cmd_reply(ctx, L_(ctx->loc, "Recorded: %s"), buf_str(&b));
	buf_release(&b);
	return CMD_OK;
}

/* The user's items and metrics in the next cycle, numbered as shown. */
struct report_mine {
	struct cycle cycle;
	struct report_item *items;
	size_t n_items;
	struct metric *metrics;
	size_t n_metrics;
};

static void
report_mine_release(struct report_mine *m)
{
	report_item_list_free(m->items, m->n_items);
	metric_list_free(m->metrics, m->n_metrics);
	memset(m, 0, sizeof *m);
}

static int
report_mine_load(struct cmd_ctx *ctx, struct report_mine *m)
{
	char *cause = NULL;

	memset(m, 0, sizeof *m);
	if (cmd_cycle(ctx, &m->cycle) != 0)
		return -1;
	if (store_report_list_user(ctx->bot->store, m->cycle.id,
				   ctx->ev->user_name, &m->items, &m->n_items,
				   &cause) != 0 ||
	    store_metric_list_user(ctx->bot->store, m->cycle.id,
				   ctx->ev->user_name, &m->metrics,
				   &m->n_metrics, &cause) != 0) {
		report_mine_release(m);
		cmd_store_error(ctx, cause);
		return -1;
	}
	return 0;
}

/* Parse item number word against the user's report; -1 after replying. */
static int
report_item_number(struct cmd_ctx *ctx, const struct report_mine *m,
		   const char *word, size_t *index)
{
	long n;
	size_t total = m->n_items + m->n_metrics;

	if (args_int(word, 1, 1000000, &n) != 0 || (size_t)n > total) {
		if (total == 0)
			cmd_error(ctx, "%s",
				  L_(ctx->loc, "your report is empty; there is "
					       "nothing to change"));
		else
			cmd_error(ctx,
				  L_(ctx->loc, "'%s' is not an item number "
					       "(1 to %zu); /report show lists "
					       "them"),
				  word, total);
		return -1;
	}
	*index = (size_t)n - 1;
	return 0;
}

/* The meeting date of a cycle in the channel's zone, for replies. */
static void
report_cycle_when(struct cmd_ctx *ctx, const struct cycle *c, char *out,
		  size_t size)
{
	struct local_time lt;
	char day[16];

	if (tz_to_local(ctx->channel.timezone, c->starts_at, &lt, NULL) != 0) {
		snprintf(out, size, "?");
		return;
	}
	date_format(lt.date, day, sizeof day);
	snprintf(out, size, "%s %02d:%02d", day, lt.hour, lt.minute);
}

static enum cmd_status
cmd_report_show(struct cmd_ctx *ctx, struct args *a)
{
	struct report_mine m;
	struct buf b, helpers;
	char when[48], shown[64];
	size_t i, num = 0, max = REPORT_REPLY_MAX;
	int last = -1;
	const char *h;

	(void)a;
	if (report_mine_load(ctx, &m) != 0)
		return CMD_ERROR;
	report_cycle_when(ctx, &m.cycle, when, sizeof when);
	if (m.n_items + m.n_metrics == 0) {
		cmd_reply(ctx,
			  L_(ctx->loc,
			     "You have not reported anything for the "
			     "meeting on %s yet; try /%s done <text>"),
			  when, ctx->trigger);
		report_mine_release(&m);
		return CMD_OK;
	}
	/* Room for every stored item: none may be left out of the list. */
	for (i = 0; i < m.n_items; i++)
		max +=
		    strlen(m.items[i].text) + 64 +
		    2 * (m.items[i].helpers ? strlen(m.items[i].helpers) : 0);
	buf_init(&b, max);
	buf_init(&helpers, max);
	buf_printf(&b, L_(ctx->loc, "**Your report for the meeting on %s**"),
		   when);
	buf_puts(&b, "\n");
	for (i = 0; i < m.n_items; i++) {
		if (m.items[i].section != last) {
			last = m.items[i].section;
			buf_printf(&b, "**%s**\n",
				   render_section_name(ctx->loc, last));
		}
		buf_printf(&b, "%zu. %s", ++num, m.items[i].text);
		if (m.items[i].helpers != NULL) {
			/* Stored as "bob carol"; each needs its '@'. */
			buf_reset(&helpers);
			for (h = m.items[i].helpers; *h != '\0'; h++) {
				if (*h == ' ')
					buf_puts(&helpers, " @");
				else
					buf_add(&helpers, h, 1);
			}
			buf_printf(&b, L_(ctx->loc, " (can help: @%s)"),
				   buf_str(&helpers));
		}
		buf_puts(&b, "\n");
	}
	if (m.n_metrics > 0)
		buf_printf(&b, "**%s**\n",
			   render_section_name(ctx->loc, SECTION_METRIC));
	for (i = 0; i < m.n_metrics; i++) {
		render_metric_value(m.metrics[i].value, m.metrics[i].unit,
				    shown, sizeof shown);
		buf_printf(&b, "%zu. %s %s\n", ++num, m.metrics[i].name, shown);
	}
	cmd_reply_text(ctx, buf_str(&b));
	buf_release(&b);
	buf_release(&helpers);
	report_mine_release(&m);
	return CMD_OK;
}

static enum cmd_status
cmd_report_edit(struct cmd_ctx *ctx, struct args *a)
{
	struct report_mine m;
	struct report_item *it;
	char *cause = NULL, *text = NULL, *helpers = NULL;
	size_t idx;
	int rc;

	if (report_mine_load(ctx, &m) != 0)
		return CMD_ERROR;
	if (report_item_number(ctx, &m, a->argv[0], &idx) != 0) {
		report_mine_release(&m);
		return CMD_ERROR;
	}
	if (idx >= m.n_items) {
		cmd_error(ctx,
			  L_(ctx->loc, "item %zu is a metric; report it again "
				       "with /%s metric name=value"),
			  idx + 1, ctx->trigger);
		report_mine_release(&m);
		return CMD_ERROR;
	}
	it = &m.items[idx];
	if (it->section == SECTION_BLOCKER) {
		if (report_split_helpers(a, 1, &text, &helpers) != 0) {
			report_mine_release(&m);
			cmd_usage_error(
			    ctx, L_(ctx->loc, "say what the problem is"));
			return CMD_ERROR;
		}
	} else {
		text = xstrdup(args_rest(a, 1));
	}
	rc =
	    store_report_update(ctx->bot->store, it->id, text, helpers, &cause);
	if (rc == 0)
		cmd_reply(ctx, L_(ctx->loc, "Item %zu now reads: %s"), idx + 1,
			  text);
	free(text);
	free(helpers);
	report_mine_release(&m);
	return rc == 0 ? CMD_OK : cmd_store_error(ctx, cause);
}

static enum cmd_status
cmd_report_clear(struct cmd_ctx *ctx, struct args *a)
{
	struct report_mine m;
	char *cause = NULL;
	size_t idx, total;
	int rc;

	if (report_mine_load(ctx, &m) != 0)
		return CMD_ERROR;
	total = m.n_items + m.n_metrics;
	if (a->argc == 0) {
		rc = store_report_clear_user(ctx->bot->store, m.cycle.id,
					     ctx->ev->user_name, &cause);
		if (rc == 0)
			cmd_reply(ctx,
				  L_(ctx->loc, "Cleared your report (%zu "
					       "items)."),
				  total);
	} else {
		if (report_item_number(ctx, &m, a->argv[0], &idx) != 0) {
			report_mine_release(&m);
			return CMD_ERROR;
		}
		if (idx < m.n_items)
			rc = store_report_delete(ctx->bot->store,
						 m.items[idx].id, &cause);
		else
			rc = store_metric_delete(ctx->bot->store,
						 m.metrics[idx - m.n_items].id,
						 &cause);
		if (rc == 0)
			cmd_reply(ctx, L_(ctx->loc, "Removed item %zu."),
				  idx + 1);
	}
	report_mine_release(&m);
	return rc == 0 ? CMD_OK : cmd_store_error(ctx, cause);
}

static int
report_is_word(const char *w, const char *const *words)
{
	for (; *words != NULL; words++) {
		if (strcmp(w, *words) == 0)
			return 1;
	}
	return 0;
}

static enum cmd_status
cmd_report_away(struct cmd_ctx *ctx, struct args *a)
{
	static const char *const off_words[] = { "off",	 "back", "取消",
						 "结束", "回来", NULL };
	static const char *const until_words[] = { "until", "till", "to",
						   "到",    "至",   NULL };
	struct local_time now;
	struct date until;
	char *cause = NULL, day[16], shown[REPORT_SHOWN_MAX + 1];
	int first = 0;

	if (report_is_word(a->argv[0], off_words)) {
		if (a->argc > 1) {
			cmd_usage_error(ctx,
					L_(ctx->loc, "too many arguments"));
			return CMD_ERROR;
		}
		if (store_member_set_away(ctx->bot->store, ctx->channel.id,
					  ctx->ev->user_name, NULL,
					  &cause) != 0)
			return cmd_store_error(ctx, cause);
		cmd_reply(ctx, "%s",
			  L_(ctx->loc, "Welcome back: you are no longer on "
				       "leave."));
		return CMD_OK;
	}
	if (report_is_word(a->argv[0], until_words))
		first = 1;
	if (first >= a->argc) {
		cmd_usage_error(ctx, L_(ctx->loc, "give the last day of your "
						  "leave"));
		return CMD_ERROR;
	}
	if (cmd_local_now(ctx, &now) != 0)
		return CMD_ERROR;
	if (when_parse(args_rest(a, first), now.date, &until, &cause) != 0) {
		free(cause);
		cmd_error(
		    ctx,
		    L_(ctx->loc, "cannot read the date '%s'; use "
				 "2026-12-07, 12-07, fri, 周五, tomorrow, "
				 "明天, in 3 days, next week or 下周一"),
		    report_shown(args_rest(a, first), shown, sizeof shown));
		return CMD_ERROR;
	}
	date_format(until, day, sizeof day);
	if (date_compare(until, now.date) < 0) {
		cmd_error(ctx, L_(ctx->loc, "%s is in the past"), day);
		return CMD_ERROR;
	}
	if (store_member_set_away(ctx->bot->store, ctx->channel.id,
				  ctx->ev->user_name, day, &cause) != 0)
		return cmd_store_error(ctx, cause);
	cmd_reply(ctx,
		  L_(ctx->loc, "You are on leave until %s (inclusive): "
			       "reminders skip you and the agenda lists you as "
			       "on leave."),
		  day);
	return CMD_OK;
}
