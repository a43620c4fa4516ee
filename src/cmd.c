/* SPDX-License-Identifier: MIT */
/*
 * cmd.c: the command dispatcher, the reply helpers and the help texts.
 *
 * How a command runs (see also cmd.h):
 *
 *   event -> cmd_dispatch()
 *     begin transaction; find or create the channel (its locale and zone)
 *     refuse text over the limit or not UTF-8
 *     find the group: trigger word, "/lihui <group>", or the first word of
 *       a message addressed to the bot; "help" anywhere gives the help
 *     find the subcommand: exact name or Chinese alias, else default_sub
 *     split the words, check their count and the flags
 *     run the handler, which replies through cmd_reply()/cmd_error() and
 *       posts through cmd_post(); those only collect into struct cmd_out
 *     CMD_OK: store the collected posts in the outbox, commit
 *     CMD_ERROR: roll back, then store only the error reply
 *     tell the outbox there is something to deliver
 *
 * The replies are collected rather than written at once so that an error
 * can roll back everything the handler did and still reach the user.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lihui/agenda.h"
#include "lihui/jobs.h"
#include "lihui/bot.h"
#include "lihui/buf.h"
#include "lihui/cmd.h"
#include "lihui/config.h"
#include "lihui/log.h"
#include "lihui/render.h"
#include "lihui/schedule.h"
#include "lihui/utf8.h"
#include "lihui/xmalloc.h"

/* The longest reply the dispatcher builds itself (help, usage). */
#define CMD_REPLY_MAX (64 * 1024)
/* The most of a user's word an error reply repeats, in bytes. */
#define CMD_SHOWN_MAX 40

struct cmd_out_item {
	int kind; /* enum outbox_kind */
	char *text;
};

struct cmd_out {
	struct cmd_out_item *items;
	size_t n, cap;
	int failed; /* cmd_error() was called */
};

static const struct cmd_entry *const cmd_group_table[] = {
	&cmd_action_entry,
	&cmd_agenda_entry,
	&cmd_meeting_entry,
	&cmd_report_entry,
	NULL,
};

const struct cmd_entry *const *
cmd_groups(void)
{
	return cmd_group_table;
}

static void
cmd_out_add(struct cmd_out *out, int kind, char *text)
{
	if (out->n == out->cap) {
		out->cap = out->cap ? out->cap * 2 : 4;
		out->items =
		    xreallocarray(out->items, out->cap, sizeof *out->items);
	}
	out->items[out->n].kind = kind;
	out->items[out->n].text = text;
	out->n++;
}

static void
cmd_out_clear(struct cmd_out *out)
{
	size_t i;

	for (i = 0; i < out->n; i++)
		free(out->items[i].text);
	free(out->items);
	memset(out, 0, sizeof *out);
}

void
cmd_reply(struct cmd_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cmd_out_add(ctx->out, OUTBOX_EPHEMERAL, xvasprintf(fmt, ap));
	va_end(ap);
}

void
cmd_error(struct cmd_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cmd_out_add(ctx->out, OUTBOX_EPHEMERAL, xvasprintf(fmt, ap));
	va_end(ap);
	ctx->out->failed = 1;
}

void
cmd_reply_text(struct cmd_ctx *ctx, const char *text)
{
	cmd_out_add(ctx->out, OUTBOX_EPHEMERAL, xstrdup(text));
}

void
cmd_post(struct cmd_ctx *ctx, const char *text)
{
	cmd_out_add(ctx->out, OUTBOX_CHANNEL, xstrdup(text));
}

enum cmd_status
cmd_store_error(struct cmd_ctx *ctx, char *cause)
{
	log_error("/%s %s by %s: %s", ctx->entry->name,
		  ctx->sub ? ctx->sub->name : "", ctx->ev->user_name,
		  cause ? cause : "unknown error");
	free(cause);
	cmd_error(ctx, "%s",
		  L_(ctx->loc, "sorry, that could not be saved; please try "
			       "again later"));
	return CMD_ERROR;
}

const char *
cmd_trigger_word(const struct config *c, const struct cmd_entry *e)
{
	if (e == &cmd_report_entry)
		return c->trigger_report;
	if (e == &cmd_agenda_entry)
		return c->trigger_agenda;
	if (e == &cmd_meeting_entry)
		return c->trigger_meeting;
	if (e == &cmd_action_entry)
		return c->trigger_action;
	return e->name;
}

static const char *
cmd_trigger_of(const struct bot *bot, const struct cmd_entry *e)
{
	return cmd_trigger_word(bot->config, e);
}

/* word cut to CMD_SHOWN_MAX bytes (at a character boundary) into out. */
static const char *
cmd_shown(const char *word, char *out, size_t size)
{
	snprintf(out, size, "%.*s",
		 (int)utf8_cut(word, strlen(word), CMD_SHOWN_MAX), word);
	return out;
}

/* Find a group by trigger word first, then by canonical name. */
static const struct cmd_entry *
cmd_find_group(const struct bot *bot, const char *word)
{
	const struct cmd_entry *const *e;

	for (e = cmd_group_table; *e != NULL; e++) {
		if (strcmp(cmd_trigger_of(bot, *e), word) == 0)
			return *e;
	}
	for (e = cmd_group_table; *e != NULL; e++) {
		if (strcmp((*e)->name, word) == 0)
			return *e;
	}
	return NULL;
}

static const struct cmd_sub *
cmd_find_sub(const struct cmd_entry *e, const char *word)
{
	const struct cmd_sub *s;

	for (s = e->subs; s->name != NULL; s++) {
		if (strcmp(s->name, word) == 0 ||
		    (s->alias != NULL && strcmp(s->alias, word) == 0))
			return s;
	}
	return NULL;
}

static int
cmd_is_help_word(const char *w)
{
	return strcmp(w, "help") == 0 || strcmp(w, "帮助") == 0 ||
	       strcmp(w, "-h") == 0 || strcmp(w, "--help") == 0;
}

/* One line of help: "/report done <text> — add what you finished". */
static void
cmd_help_line(const struct bot *bot, enum locale loc, const struct cmd_entry *e,
	      const struct cmd_sub *s, struct buf *b)
{
	buf_printf(b, "- `/%s %s", cmd_trigger_of(bot, e), s->name);
	if (s->usage[0] != '\0')
		buf_printf(b, " %s", L_(loc, s->usage));
	buf_printf(b, "`");
	if (s->alias != NULL)
		buf_printf(b, " (%s)", s->alias);
	buf_printf(b, " — %s\n", L_(loc, s->help));
}

static void
cmd_help_group(const struct bot *bot, enum locale loc,
	       const struct cmd_entry *e, struct buf *b)
{
	const struct cmd_sub *s;

	buf_printf(b, "**/%s** — %s\n", cmd_trigger_of(bot, e),
		   L_(loc, e->help));
	for (s = e->subs; s->name != NULL; s++)
		cmd_help_line(bot, loc, e, s, b);
}

void
cmd_list_markdown(struct bot *bot, enum locale loc, struct buf *b)
{
	const struct cmd_entry *const *e;

	for (e = cmd_group_table; *e != NULL; e++) {
		cmd_help_group(bot, loc, *e, b);
		buf_puts(b, "\n");
	}
	buf_printf(b, "%s\n",
		   L_(loc, "Every command also works as `/lihui <group> ...` "
			   "and as a message to the bot."));
}

/* Reply with the help of one group, or of all groups when e is NULL. */
static void
cmd_reply_help(struct cmd_ctx *ctx, const struct cmd_entry *e)
{
	struct buf b;

	buf_init(&b, CMD_REPLY_MAX);
	if (e != NULL)
		cmd_help_group(ctx->bot, ctx->loc, e, &b);
	else
		cmd_list_markdown(ctx->bot, ctx->loc, &b);
	cmd_out_add(ctx->out, OUTBOX_EPHEMERAL, buf_detach(&b));
}

void
cmd_usage_error(struct cmd_ctx *ctx, const char *cause)
{
	const struct cmd_sub *s = ctx->sub;

	if (s->usage[0] != '\0')
		cmd_error(ctx, L_(ctx->loc, "%s; usage: /%s %s %s"), cause,
			  ctx->trigger, s->name, L_(ctx->loc, s->usage));
	else
		cmd_error(ctx, L_(ctx->loc, "%s; usage: /%s %s"), cause,
			  ctx->trigger, s->name);
}

int
cmd_check_admin(struct cmd_ctx *ctx)
{
	const struct config *c = ctx->bot->config;
	size_t i;

	if (c->n_admins == 0)
		return 1;
	for (i = 0; i < c->n_admins; i++) {
		if (strcmp(c->admins[i], ctx->ev->user_name) == 0)
			return 1;
	}
	cmd_error(ctx, "%s",
		  L_(ctx->loc, "only the meeting's admins may do that"));
	return 0;
}

/* Length of the white space at p (ASCII or U+3000, as args.c), else 0. */
static size_t
cmd_space_len(const char *p)
{
	if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		return 1;
	if (strncmp(p, "\xe3\x80\x80", 3) == 0)
		return 3;
	return 0;
}

/*
 * Length of what may follow a mention of the bot at p: white space, or a
 * colon or comma, ASCII or full width ("@lihui：", as Chinese input types
 * it); 0 if none.
 */
static size_t
cmd_mention_sep_len(const char *p)
{
	if (*p == ':' || *p == ',')
		return 1;
	if (strncmp(p, "\xef\xbc\x9a", 3) == 0 || /* U+FF1A ： */
	    strncmp(p, "\xef\xbc\x8c", 3) == 0)	  /* U+FF0C ， */
		return 3;
	return cmd_space_len(p);
}

/*
 * Split a message addressed to the bot into its command word and the rest:
 * "@lihui report done x" -> "report", "done x". Returns 0, or -1 if the
 * message holds no word after the mention.
 */
static int
cmd_split_message(const struct bot *bot, const char *text, char **word,
		  const char **rest)
{
	const char *p = text, *name = bot->config->bot_name;
	size_t n, k;

	while ((k = cmd_space_len(p)) != 0)
		p += k;
	n = strlen(name);
	if (p[0] == '@' && strncmp(p + 1, name, n) == 0 &&
	    (p[n + 1] == '\0' || cmd_mention_sep_len(p + n + 1) != 0)) {
		p += n + 1;
		while ((k = cmd_mention_sep_len(p)) != 0)
			p += k;
	}
	if (*p == '/')
		p++;
	n = 0;
	while (p[n] != '\0' && cmd_space_len(p + n) == 0)
		n++;
	if (n == 0)
		return -1;
	*word = xstrndup(p, n);
	p += n;
	while ((k = cmd_space_len(p)) != 0)
		p += k;
	*rest = p;
	return 0;
}

/*
 * Find the group, the subcommand and the words for the event and run the
 * handler. Replies go to ctx->out; returns CMD_OK or CMD_ERROR.
 */
static enum cmd_status
cmd_run(struct cmd_ctx *ctx, const char *trigger, const char *text)
{
	const struct cmd_entry *e;
	const struct cmd_sub *s = NULL;
	struct args a;
	char *cause = NULL, *word = NULL, shown[CMD_SHOWN_MAX + 1];
	const char *rest = text;
	enum cmd_status st;
	size_t len = strlen(text), tlen = strlen(trigger);

	/*
	 * The trigger is the first word of a message addressed to the bot,
	 * as untrusted as the rest: check it too before it is echoed.
	 */
	if (len > ctx->bot->config->max_text ||
	    tlen > ctx->bot->config->max_text) {
		cmd_error(ctx,
			  L_(ctx->loc, "that is too long (%zu bytes; at most "
				       "%zu); please shorten it"),
			  len > tlen ? len : tlen, ctx->bot->config->max_text);
		return CMD_ERROR;
	}
	if (!utf8_valid(text, len) || !utf8_valid(trigger, tlen)) {
		cmd_error(ctx, "%s",
			  L_(ctx->loc, "that text is not valid UTF-8; nothing "
				       "was saved"));
		return CMD_ERROR;
	}
	if (strcmp(trigger, "lihui") == 0 || cmd_is_help_word(trigger)) {
		if (cmd_is_help_word(trigger) ||
		    cmd_split_message(ctx->bot, text, &word, &rest) != 0) {
			cmd_reply_help(ctx, NULL);
			return CMD_OK;
		}
		trigger = word;
	}
	if (cmd_is_help_word(trigger)) {
		free(word);
		cmd_reply_help(ctx, NULL);
		return CMD_OK;
	}
	e = cmd_find_group(ctx->bot, trigger);
	if (e == NULL) {
		cmd_error(ctx,
			  L_(ctx->loc, "unknown command '%s'; try /lihui help"),
			  cmd_shown(trigger, shown, sizeof shown));
		free(word);
		return CMD_ERROR;
	}
	free(word);
	ctx->entry = e;
	ctx->trigger = cmd_trigger_of(ctx->bot, e);
	if (args_parse(&a, rest, &cause) != 0) {
		/* args_parse() causes are N_() texts: translate them. */
		cmd_error(ctx, L_(ctx->loc, "cannot read that command: %s"),
			  L_(ctx->loc, cause));
		free(cause);
		return CMD_ERROR;
	}
	if (a.argc > 0 && cmd_is_help_word(a.argv[0])) {
		cmd_reply_help(ctx, e);
		args_release(&a);
		return CMD_OK;
	}
	if (a.argc > 0)
		s = cmd_find_sub(e, a.argv[0]);
	if (s != NULL)
		args_shift(&a);
	else if (a.argc == 0)
		s = cmd_find_sub(e, e->default_sub);
	if (s == NULL) {
		cmd_error(ctx,
			  L_(ctx->loc, "unknown subcommand '%s' of /%s; try "
				       "/%s help"),
			  cmd_shown(a.argv[0], shown, sizeof shown),
			  ctx->trigger, ctx->trigger);
		args_release(&a);
		return CMD_ERROR;
	}
	ctx->sub = s;
	if (a.argc < s->min_args) {
		cmd_usage_error(ctx, L_(ctx->loc, "missing arguments"));
		args_release(&a);
		return CMD_ERROR;
	}
	if (s->max_args >= 0 && a.argc > s->max_args) {
		cmd_usage_error(ctx, L_(ctx->loc, "too many arguments"));
		args_release(&a);
		return CMD_ERROR;
	}
	if ((s->flags & CMD_NODM) && ctx->ev->is_direct) {
		cmd_error(ctx,
			  L_(ctx->loc, "use /%s %s in your team's channel, "
				       "not in a direct message"),
			  ctx->trigger, s->name);
		args_release(&a);
		return CMD_ERROR;
	}
	if ((s->flags & CMD_ADMIN) && !cmd_check_admin(ctx)) {
		args_release(&a);
		return CMD_ERROR;
	}
	st = s->exec(ctx, &a);
	args_release(&a);
	if (ctx->out->failed)
		st = CMD_ERROR;
	return st;
}

/* Store the collected replies and posts in the outbox. */
static int
cmd_store_out(struct cmd_ctx *ctx, char **cause)
{
	const struct chat_event *ev = ctx->ev;
	struct cmd_out *out = ctx->out;
	char **pieces;
	size_t i, k, n;
	int rc = 0;

	for (i = 0; i < out->n && rc == 0; i++) {
		const char *user =
		    out->items[i].kind == OUTBOX_CHANNEL ? NULL : ev->user_id;

		n = render_split(out->items[i].text, ctx->bot->max_post,
				 &pieces);
		for (k = 0; k < n && rc == 0; k++) {
			rc = store_outbox_add(ctx->bot->store,
					      out->items[i].kind,
					      ev->channel_key, user, pieces[k],
					      ctx->now, NULL, cause);
		}
		render_pieces_free(pieces, n);
	}
	return rc;
}

int
cmd_cycle(struct cmd_ctx *ctx, struct cycle *out)
{
	char *cause = NULL;

	if (agenda_cycle(ctx->bot->store, &ctx->channel, ctx->now, out,
			 &cause) != 0) {
		cmd_store_error(ctx, cause);
		return -1;
	}
	return 0;
}

int
cmd_local_now(struct cmd_ctx *ctx, struct local_time *out)
{
	char *cause = NULL;

	if (tz_to_local(ctx->channel.timezone, ctx->now, out, &cause) != 0) {
		cmd_store_error(ctx, cause);
		return -1;
	}
	return 0;
}

/* Elapsed microseconds since start (CLOCK_MONOTONIC), for the log line. */
static long
cmd_elapsed_us(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)((now.tv_sec - start->tv_sec) * 1000000L +
		      (now.tv_nsec - start->tv_nsec) / 1000);
}

void
cmd_dispatch(struct bot *bot, const struct chat_event *ev)
{
	struct cmd_ctx ctx;
	struct cmd_out out;
	struct channel defaults;
	struct timespec start;
	const char *trigger, *text;
	char *cause = NULL, *word = NULL;
	enum cmd_status st;
	int loc, in_tx = 0, planned = 0;

	clock_gettime(CLOCK_MONOTONIC, &start);
	memset(&ctx, 0, sizeof ctx);
	memset(&out, 0, sizeof out);
	ctx.bot = bot;
	ctx.ev = ev;
	ctx.out = &out;
	ctx.now = clock_now(&bot->clock);

	if (ev->kind == CHAT_COMMAND) {
		trigger = ev->trigger;
		text = ev->text;
	} else if (cmd_split_message(bot, ev->text, &word, &text) == 0) {
		trigger = word;
	} else {
		trigger = "help";
		text = "";
	}

	bot_channel_defaults(bot->config, &defaults);
	if (store_begin(bot->store, &cause) != 0)
		goto store_failed;
	in_tx = 1;
	if (ev->is_direct) {
		/* Direct messages get the defaults; no channel row. */
		ctx.channel = defaults;
		ctx.channel.key = xstrdup(ev->channel_key);
		ctx.channel.name = xstrdup(ev->channel_name ? ev->channel_name
							    : ev->channel_key);
		ctx.channel.locale = xstrdup(defaults.locale);
		ctx.channel.timezone = xstrdup(defaults.timezone);
	} else if (schedule_channel_ensure(
		       bot->store, bot->config, ev->channel_key,
		       ev->channel_name ? ev->channel_name : ev->channel_key,
		       ctx.now, &ctx.channel, &cause) != 0) {
		goto store_failed;
	}
	loc = locale_parse(ctx.channel.locale);
	ctx.loc = loc < 0 ? LOCALE_EN : (enum locale)loc;

	st = cmd_run(&ctx, trigger, text);
	if (st == CMD_OK) {
		/* A team channel lihui is used in gets its scheduled jobs. */
		if ((!ev->is_direct && jobs_ensure(bot, &ctx.channel, ctx.now,
						   &planned, &cause) != 0) ||
		    cmd_store_out(&ctx, &cause) != 0 ||
		    store_commit(bot->store, &cause) != 0)
			goto store_failed;
		if (planned > 0)
			bot_jobs_changed(bot);
	} else {
		store_rollback(bot->store);
		in_tx = 0;
		/* Only the error reply is stored; the command left nothing. */
		if (cmd_store_out(&ctx, &cause) != 0)
			goto store_failed;
	}
	/* User errors are the user's business: debug level only. */
	log_write(st == CMD_OK ? LOG_INFO : LOG_DEBUG, __func__,
		  "/%.40s %s by %.64s -> %s (%ld us)", trigger,
		  ctx.sub ? ctx.sub->name : "-", ev->user_name,
		  st == CMD_OK ? "ok" : "error", cmd_elapsed_us(&start));
	goto done;

store_failed:
	log_error("/%.40s by %.64s: %s", trigger, ev->user_name,
		  cause ? cause : "store error");
	if (in_tx)
		store_rollback(bot->store);
	/* Nothing was stored; still try to tell the user (the failure may
	 * have been passing, such as a lock held by a backup). */
	free(cause);
	cause = NULL;
	if (store_outbox_add(bot->store, OUTBOX_EPHEMERAL, ev->channel_key,
			     ev->user_id,
			     L_(ctx.loc, "sorry, that could not be saved; "
					 "please try again later"),
			     ctx.now, NULL, &cause) != 0)
		log_error("cannot queue the apology either: %s", cause);
done:
	free(cause);
	free(word);
	cmd_out_clear(&out);
	channel_release(&ctx.channel);
	bot_outbox_ready(bot);
}
