/* SPDX-License-Identifier: MIT */
/*
 * agenda.c: the "/agenda" command group.
 *
 *	/agenda [show|预览]		preview the next agenda (only you see
 *it) /agenda add|添加 <title> [@owner] [<n>m] /agenda remove|删除 <n> /agenda
 *post|发布		post the agenda in the channel now
 *
 * The agenda is gathered in agenda.c and rendered in render/agenda.c;
 * these handlers only parse and reply.
 */

#include <stdlib.h>
#include <string.h>

#include "lihui/agenda.h"
#include "lihui/bot.h"
#include "lihui/cmd.h"
#include "lihui/config.h"
#include "lihui/render.h"
#include "lihui/report.h"
#include "lihui/xmalloc.h"

/* Time box of a topic when none is given, and the most allowed. */
#define AGENDA_DEFAULT_MINUTES 10
#define AGENDA_MAX_MINUTES     240
#define AGENDA_TITLE_MAX       200
/* The most topics one meeting's agenda holds. */
#define AGENDA_TOPICS_MAX 50

static enum cmd_status cmd_agenda_add(struct cmd_ctx *, struct args *);
static enum cmd_status cmd_agenda_post(struct cmd_ctx *, struct args *);
static enum cmd_status cmd_agenda_remove(struct cmd_ctx *, struct args *);
static enum cmd_status cmd_agenda_show(struct cmd_ctx *, struct args *);

static const struct cmd_sub cmd_agenda_subs[] = {
	{
	    .name = "add",
	    .alias = "添加",
	    .min_args = 1,
	    .max_args = -1,
	    .usage = N_("<title> [@owner] [<n>m]"),
	    .help = N_("queue a topic for the next meeting, with owner and "
		       "time box"),
	    .flags = CMD_NODM,
	    .exec = cmd_agenda_add,
	},
	{
	    .name = "post",
	    .alias = "发布",
	    .min_args = 0,
	    .max_args = 0,
	    .usage = "",
	    .help = N_("post the agenda in the channel now"),
	    .flags = CMD_NODM,
	    .exec = cmd_agenda_post,
	},
	{
	    .name = "remove",
	    .alias = "删除",
	    .min_args = 1,
	    .max_args = 1,
	    .usage = N_("<n>"),
	    .help = N_("remove queued topic n"),
	    .flags = CMD_NODM,
	    .exec = cmd_agenda_remove,
	},
	{
	    .name = "show",
	    .alias = "预览",
	    .min_args = 0,
	    .max_args = 0,
	    .usage = "",
	    .help = N_("preview the next agenda (only you see it)"),
	    .flags = CMD_NODM,
	    .exec = cmd_agenda_show,
	},
	{ .name = NULL },
};

const struct cmd_entry cmd_agenda_entry = {
	.name = "agenda",
	.default_sub = "show",
	.help = N_("the agenda of the next meeting"),
	.subs = cmd_agenda_subs,
};

/*
 * Parse a time box word: "15m", "15min", "15分钟", "15分". Returns 1 and
 * sets *minutes if word is one (even out of range: *minutes is then -1),
 * else 0.
 */
static int
agenda_parse_minutes(const char *word, int *minutes)
{
	static const char *const units[] = { "m",    "min", "mins",
					     "分钟", "分",  NULL };
	const char *const *u;
	char *end;
	long v;

	if (*word < '0' || *word > '9')
		return 0;
	v = strtol(word, &end, 10);
	for (u = units; *u != NULL; u++) {
		if (strcmp(end, *u) == 0) {
			*minutes =
			    v >= 1 && v <= AGENDA_MAX_MINUTES ? (int)v : -1;
			return 1;
		}
	}
	return 0;
}

static enum cmd_status
cmd_agenda_add(struct cmd_ctx *ctx, struct args *a)
{
	char owner[USER_NAME_MAX + 1], *title, *cause = NULL;
	struct cycle cycle;
	int minutes = AGENDA_DEFAULT_MINUTES, have_owner = 0, have_min = 0;
	int k = a->argc, changed = 1, rc;
	int64_t queued = 0;

	/* The owner and the time box may come last, in either order. */
	while (k > 1 && changed) {
		changed = 0;
		if (!have_min &&
		    agenda_parse_minutes(a->argv[k - 1], &minutes)) {
			if (minutes < 0) {
				cmd_usage_error(
				    ctx, L_(ctx->loc, "the time box must be 1 "
						      "to 240 minutes"));
				return CMD_ERROR;
			}
			have_min = changed = 1;
			k--;
		} else if (!have_owner &&
			   report_parse_mention(a->argv[k - 1], owner)) {
			have_owner = changed = 1;
			k--;
		}
	}
	if (cmd_cycle(ctx, &cycle) != 0)
		return CMD_ERROR;
	if (store_topic_count(ctx->bot->store, cycle.id, &queued, &cause) != 0)
		return cmd_store_error(ctx, cause);
	if (queued >= AGENDA_TOPICS_MAX) {
		cmd_error(ctx,
			  L_(ctx->loc,
			     "the next meeting already has %d topics, "
			     "the most an agenda holds; remove one "
			     "first"),
			  AGENDA_TOPICS_MAX);
		return CMD_ERROR;
	}
	title = args_span(a, 0, k);
	if (strlen(title) > AGENDA_TITLE_MAX) {
		free(title);
		cmd_usage_error(ctx, L_(ctx->loc, "the title is too long"));
		return CMD_ERROR;
	}
	rc = store_topic_add(ctx->bot->store, cycle.id, title,
			     have_owner ? owner : NULL, minutes,
			     ctx->ev->user_name, ctx->now, NULL, &cause);
	/* Topics are numbered in the order they were queued. */
	if (rc == 0)
		cmd_reply(ctx, L_(ctx->loc, "Added topic %lld: %s (%d min)"),
			  (long long)queued + 1, title, minutes);
	free(title);
	return rc == 0 ? CMD_OK : cmd_store_error(ctx, cause);
}

static enum cmd_status
cmd_agenda_remove(struct cmd_ctx *ctx, struct args *a)
{
	struct cycle cycle;
	struct topic *topics = NULL;
	size_t n = 0;
	char *cause = NULL;
	long num;
	int rc;

	if (cmd_cycle(ctx, &cycle) != 0)
		return CMD_ERROR;
	if (store_topic_list(ctx->bot->store, cycle.id, &topics, &n, &cause) !=
	    0)
		return cmd_store_error(ctx, cause);
	if (args_int(a->argv[0], 1, (long)n, &num) != 0) {
		if (n == 0)
			cmd_error(ctx, "%s",
				  L_(ctx->loc, "no topics are queued for the "
					       "next meeting"));
		else
			cmd_error(ctx,
				  L_(ctx->loc, "'%s' is not a topic number (1 "
					       "to %zu); /agenda lists them"),
				  a->argv[0], n);
		topic_list_free(topics, n);
		return CMD_ERROR;
	}
	rc = store_topic_delete(ctx->bot->store, topics[num - 1].id, &cause);
	if (rc == 0)
		cmd_reply(ctx, L_(ctx->loc, "Removed topic %ld: %s"), num,
			  topics[num - 1].title);
	topic_list_free(topics, n);
	return rc == 0 ? CMD_OK : cmd_store_error(ctx, cause);
}

/* Render the next agenda; the caller frees the text. NULL after replying. */
static char *
agenda_render_next(struct cmd_ctx *ctx)
{
	struct agenda ag;
	char *cause = NULL, *text;

	if (agenda_collect(ctx->bot->store, &ctx->channel, ctx->now,
			   ctx->bot->config->review_minutes, &ag,
			   &cause) != 0) {
		cmd_store_error(ctx, cause);
		return NULL;
	}
	text = render_agenda(&ag.view);
	agenda_release(&ag);
	return text;
}

static enum cmd_status
cmd_agenda_show(struct cmd_ctx *ctx, struct args *a)
{
	char *text;

	(void)a;
	text = agenda_render_next(ctx);
	if (text == NULL)
		return CMD_ERROR;
	cmd_reply_text(ctx, text);
	free(text);
	return CMD_OK;
}

static enum cmd_status
cmd_agenda_post(struct cmd_ctx *ctx, struct args *a)
{
	char *text;

	(void)a;
	text = agenda_render_next(ctx);
	if (text == NULL)
		return CMD_ERROR;
	cmd_post(ctx, text);
	free(text);
	cmd_reply(ctx, "%s",
		  L_(ctx->loc, "The agenda is posted in the "
			       "channel."));
	return CMD_OK;
}
