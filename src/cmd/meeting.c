/* SPDX-License-Identifier: MIT */
/*
 * meeting.c: the "/meeting" command group (its first subcommands: the
 * roster and the channel's settings).
 *
 *	/meeting roster|名单 add|remove @user ...	(admins)
 *	/meeting roster|名单 [list]
 *	/meeting config|设置				show the settings
 *	/meeting config|设置 locale|timezone|sections <value>	(admins)
 *
 * The roster is who is expected to report and attend: the agenda's "not
 * reported yet" list comes from it.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lihui/bot.h"
#include "lihui/buf.h"
#include "lihui/cmd.h"
#include "lihui/report.h"
#include "lihui/render.h"
#include "lihui/tz.h"
#include "lihui/xmalloc.h"

#define MEETING_REPLY_MAX (64 * 1024)

static enum cmd_status cmd_meeting_config(struct cmd_ctx *, struct args *);
static enum cmd_status cmd_meeting_roster(struct cmd_ctx *, struct args *);

static const struct cmd_sub cmd_meeting_subs[] = {
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
	    .name = "roster",
	    .alias = "名单",
	    .min_args = 0,
	    .max_args = ARGS_MAX - 1,
	    .usage = N_("[list | add @user ... | remove @user ...]"),
	    .help = N_("who is expected to report and attend"),
	    .flags = CMD_NODM,
	    .exec = cmd_meeting_roster,
	},
	{ .name = NULL },
};

const struct cmd_entry cmd_meeting_entry = {
	.name = "meeting",
	.default_sub = "roster",
	.help = N_("the meeting: roster and settings"),
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
	char sections[128];

	meeting_sections_list(c->sections, sections, sizeof sections);
	cmd_reply(ctx,
		  L_(ctx->loc, "Settings of #%s: locale %s, timezone %s, "
			       "sections %s, meeting %s %02d:%02d for %d min"),
		  c->name, c->locale, c->timezone, sections,
		  days[c->meeting_wday % 7], c->meeting_minute / 60,
		  c->meeting_minute % 60, c->meeting_length);
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
	if (store_channel_update(ctx->bot->store, c, &cause) != 0)
		return cmd_store_error(ctx, cause);
	return meeting_config_show(ctx);
}
