/* SPDX-License-Identifier: MIT */
/*
 * action.c: the "/action" command group: the channel's action items,
 * whether recorded in a meeting (#action, /meeting action) or added here.
 *
 *	/action add|添加 [@owner] [due] <text>	a new item (no owner:
 *unassigned)
 *	/action list|列表 [mine|@user|overdue|all]	(default: the open ones)
 *	/action done|完成 <n> [note]		close it as done
 *	/action drop|放弃 <n> [reason]		close it as not to be done
 *	/action reopen|重开 <n>			open a closed item again
 *	/action due|截止 <n> <date>|none	set or clear (none, 无) the
 *deadline /action assign|指派 <n> @user		give it to someone
 *
 * The list words also have Chinese forms: 我的 (mine), 逾期 (overdue),
 * 全部 (all). An item's number may be written "12" or "#12".
 *
 * Items belong to a channel: a number of another channel's item is
 * answered as unknown. An @name is checked against what the adapter
 * looked up for the event (chat_event_user): a name the platform does
 * not know is refused and nothing stored; a found one stores the user's
 * id with the name; one that could not be looked up is taken as written.
 * Deadlines are read relative to today in the channel's zone and may not
 * lie in the past. /action add never joins the running meeting: to have
 * an item in the minutes, record it with /meeting action or #action.
 *
 * Who may change an item (done, drop, reopen, due, assign): its owner,
 * who created it, or a chair (meeting_user_chairs()): the channel's leads,
 * and for an item recorded in a meeting who chaired that meeting. Others
 * are refused. Every change is posted in the channel, with the item as
 * the list shows it, so the team (and the owner, by the mention) sees it.
 */

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lihui/bot.h"
#include "lihui/buf.h"
#include "lihui/cmd.h"
#include "lihui/event.h"
#include "lihui/log.h"
#include "lihui/meeting.h"
#include "lihui/report.h"
#include "lihui/tz.h"
#include "lihui/utf8.h"
#include "lihui/when.h"
#include "lihui/xmalloc.h"

/* The most of a user's word an error reply repeats, in bytes. */
#define ACTION_SHOWN_MAX 40
/* The most items one /action list shows; the rest are counted. */
#define ACTION_LIST_SHOWN 100
/* The longest list reply: ACTION_LIST_SHOWN items of the longest text. */
#define ACTION_REPLY_MAX (1024 * 1024)
/* Every state, for store_action_list(). */
#define ACTION_ALL_STATES                                                      \
	((1u << ACTION_OPEN) | (1u << ACTION_DONE) | (1u << ACTION_DROPPED))

static enum cmd_status cmd_action_add(struct cmd_ctx *, struct args *);
static enum cmd_status cmd_action_assign(struct cmd_ctx *, struct args *);
static enum cmd_status cmd_action_done(struct cmd_ctx *, struct args *);
static enum cmd_status cmd_action_drop(struct cmd_ctx *, struct args *);
static enum cmd_status cmd_action_due(struct cmd_ctx *, struct args *);
static enum cmd_status cmd_action_list(struct cmd_ctx *, struct args *);
static enum cmd_status cmd_action_reopen(struct cmd_ctx *, struct args *);

static const struct cmd_sub cmd_action_subs[] = {
	{
	    .name = "add",
	    .alias = "添加",
	    .min_args = 1,
	    .max_args = -1,
	    .usage = N_("[@owner] [due] <text>"),
	    .help = N_("add an action item, in a meeting or not"),
	    .flags = CMD_NODM,
	    .exec = cmd_action_add,
	},
	{
	    .name = "assign",
	    .alias = "指派",
	    .min_args = 2,
	    .max_args = 2,
	    .usage = N_("<n> @user"),
	    .help = N_("give action item n to someone"),
	    .flags = CMD_NODM,
	    .exec = cmd_action_assign,
	},
	{
	    .name = "done",
	    .alias = "完成",
	    .min_args = 1,
	    .max_args = -1,
	    .usage = N_("<n> [note]"),
	    .help = N_("mark action item n done"),
	    .flags = CMD_NODM,
	    .exec = cmd_action_done,
	},
	{
	    .name = "drop",
	    .alias = "放弃",
	    .min_args = 1,
	    .max_args = -1,
	    .usage = N_("<n> [reason]"),
	    .help = N_("drop action item n: it will not be done"),
	    .flags = CMD_NODM,
	    .exec = cmd_action_drop,
	},
	{
	    .name = "due",
	    .alias = "截止",
	    .min_args = 2,
	    /* "2026 年 12 月 7 日": when_parse() reads spaced dates */
	    .max_args = 9,
	    .usage = N_("<n> <date>|none"),
	    .help = N_("set the deadline of action item n, or clear it with "
		       "none"),
	    .flags = CMD_NODM,
	    .exec = cmd_action_due,
	},
	{
	    .name = "list",
	    .alias = "列表",
	    .min_args = 0,
	    .max_args = 1,
	    .usage = N_("[mine|@user|overdue|all]"),
	    .help = N_("list this channel's open action items (all: the done "
		       "and dropped ones too)"),
	    .flags = CMD_NODM,
	    .exec = cmd_action_list,
	},
	{
	    .name = "reopen",
	    .alias = "重开",
	    .min_args = 1,
	    .max_args = 1,
	    .usage = N_("<n>"),
	    .help = N_("open a done or dropped action item again"),
	    .flags = CMD_NODM,
	    .exec = cmd_action_reopen,
	},
	{ .name = NULL },
};

const struct cmd_entry cmd_action_entry = {
	.name = "action",
	.default_sub = "list",
	.help = N_("action items: who does what, and by when"),
	.subs = cmd_action_subs,
};

static int
action_word_is(const char *w, const char *en, const char *zh)
{
	return strcasecmp(w, en) == 0 || strcmp(w, zh) == 0;
}

/* word cut to ACTION_SHOWN_MAX bytes (at a character boundary) into out. */
static const char *
action_shown(const char *word, char *out, size_t size)
{
	snprintf(out, size, "%.*s",
		 (int)utf8_cut(word, strlen(word), ACTION_SHOWN_MAX), word);
	return out;
}

/* Refuse a text over MEETING_TEXT_MAX bytes; 0 when it fits. */
static int
action_text_fits(struct cmd_ctx *ctx, const char *text)
{
	if (strlen(text) <= MEETING_TEXT_MAX)
		return 0;
	cmd_usage_error(ctx, L_(ctx->loc, "the text is too long"));
	return -1;
}

/* Today in the channel's zone; replies and returns -1 on failure. */
static int
action_today(struct cmd_ctx *ctx, struct date *today)
{
	struct local_time now;

	if (cmd_local_now(ctx, &now) != 0)
		return -1;
	*today = now.date;
	return 0;
}

/*
 * What the event says of @name: 0 with *user_id (borrowed, or NULL) when
 * the platform has the user or could not be asked; -1 when it has no
 * such user (the user is told, showing the name).
 */
static int
action_user_known(struct cmd_ctx *ctx, const char *name, const char **user_id)
{
	switch (chat_event_user(ctx->ev, name, user_id)) {
	case CHAT_USER_FOUND:
		return 0;
	case CHAT_USER_UNCHECKED:
		log_info("@%s could not be looked up; taken as written", name);
		*user_id = NULL;
		return 0;
	case CHAT_USER_UNKNOWN:
	default:
		break;
	}
	cmd_error(ctx, L_(ctx->loc, "There is no user @%s here."), name);
	return -1;
}

/* Refuse, as a usage error, word that is not a user name. */
static void
action_not_a_name(struct cmd_ctx *ctx, const char *word)
{
	char shown[ACTION_SHOWN_MAX + 1], *why;

	why = xasprintf(L_(ctx->loc, "'%s' is not a user name"),
			action_shown(word, shown, sizeof shown));
	cmd_usage_error(ctx, why);
	free(why);
}

/* d with its weekday, in the locale's order ("Fri 2026-12-04"). */
static void
action_day(enum locale loc, struct date d, char *out, size_t size)
{
	char iso[16];

	date_format(d, iso, sizeof iso);
	switch (date_weekday(d)) {
	case 0:
		snprintf(out, size, L_(loc, "Sun %s"), iso);
		break;
	case 1:
		snprintf(out, size, L_(loc, "Mon %s"), iso);
		break;
	case 2:
		snprintf(out, size, L_(loc, "Tue %s"), iso);
		break;
	case 3:
		snprintf(out, size, L_(loc, "Wed %s"), iso);
		break;
	case 4:
		snprintf(out, size, L_(loc, "Thu %s"), iso);
		break;
	case 5:
		snprintf(out, size, L_(loc, "Fri %s"), iso);
		break;
	default:
		snprintf(out, size, L_(loc, "Sat %s"), iso);
		break;
	}
}

/* s with its line breaks turned into spaces, so it stays one list line. */
static char *
action_one_line(const char *s)
{
	char *copy = xstrdup(s != NULL ? s : ""), *p;

	for (p = copy; *p != '\0'; p++) {
		if (*p == '\r' || *p == '\n')
			*p = ' ';
	}
	return copy;
}

/* Days item it is overdue at today (open, due before today), else 0. */
static int64_t
action_days_late(const struct action_item *it, struct date today)
{
	struct date due;
	int64_t late;

	if (it->state != ACTION_OPEN || it->due == NULL ||
	    date_parse_iso(it->due, &due) != 0)
		return 0;
	late = date_to_days(today) - date_to_days(due);
	return late > 0 ? late : 0;
}

/*
 * One item as the list shows it, appended to b:
 * "#12 @bob — Prepare the budget draft (due Fri 2026-12-04, overdue 3
 * days)", then " — done: note" or " — dropped: reason" when closed.
 */
static void
action_line(enum locale loc, const struct action_item *it, struct date today,
	    struct buf *b)
{
	char *text = action_one_line(it->text), *note, day[48];
	struct date due;
	int64_t late = action_days_late(it, today);

	if (it->owner != NULL)
		buf_printf(b, L_(loc, "#%lld @%s — %s"), (long long)it->id,
			   it->owner, text);
	else
		buf_printf(b, L_(loc, "#%lld unassigned — %s"),
			   (long long)it->id, text);
	free(text);
	if (it->due != NULL && date_parse_iso(it->due, &due) == 0) {
		action_day(loc, due, day, sizeof day);
		if (late > 1)
			buf_printf(b, L_(loc, " (due %s, overdue %lld days)"),
				   day, (long long)late);
		else if (late == 1)
			buf_printf(b, L_(loc, " (due %s, overdue 1 day)"), day);
		else if (it->state == ACTION_OPEN &&
			 date_compare(due, today) == 0)
			buf_printf(b, L_(loc, " (due %s, today)"), day);
		else
			buf_printf(b, L_(loc, " (due %s)"), day);
	}
	if (it->state == ACTION_OPEN)
		return;
	note = it->note != NULL ? action_one_line(it->note) : NULL;
	if (it->state == ACTION_DONE && note != NULL)
		buf_printf(b, L_(loc, " — done: %s"), note);
	else if (it->state == ACTION_DONE)
		buf_printf(b, "%s", L_(loc, " — done"));
	else if (note != NULL)
		buf_printf(b, L_(loc, " — dropped: %s"), note);
	else
		buf_printf(b, "%s", L_(loc, " — dropped"));
	free(note);
}

/* Post a formatted text in the channel. */
static void action_post(struct cmd_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
action_post(struct cmd_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	char *text;

	va_start(ap, fmt);
	text = xvasprintf(fmt, ap);
	va_end(ap);
	cmd_post(ctx, text);
	free(text);
}

/*
 * Item id as the list shows it now, to announce a change (caller frees);
 * NULL after telling the user.
 */
static char *
action_line_of(struct cmd_ctx *ctx, int64_t id)
{
	struct action_item it;
	struct date today;
	struct buf line;
	char *cause = NULL;
	int found = 0;

	if (action_today(ctx, &today) != 0)
		return NULL;
	if (store_action_get(ctx->bot->store, ctx->channel.id, id, &it, &found,
			     &cause) != 0) {
		cmd_store_error(ctx, cause);
		return NULL;
	}
	if (!found) {
		cmd_store_error(ctx, xasprintf("action item %lld went away",
					       (long long)id));
		return NULL;
	}
	buf_init(&line, ACTION_REPLY_MAX);
	action_line(ctx->loc, &it, today, &line);
	action_item_release(&it);
	return buf_detach(&line);
}

/*
 * The item a command names (word: "12" or "#12") into *it (release it);
 * -1 after telling the user when the word is no number or no item of
 * this channel has it.
 */
static int
action_fetch(struct cmd_ctx *ctx, const char *word, struct action_item *it)
{
	char shown[ACTION_SHOWN_MAX + 1], *cause = NULL;
	long id;
	int found = 0;

	if (args_int(word[0] == '#' ? word + 1 : word, 1, INT32_MAX, &id) !=
	    0) {
		cmd_error(ctx,
			  L_(ctx->loc, "'%s' is not an action item number; "
				       "/%s list shows them"),
			  action_shown(word, shown, sizeof shown),
			  ctx->trigger);
		return -1;
	}
	if (store_action_get(ctx->bot->store, ctx->channel.id, id, it, &found,
			     &cause) != 0) {
		cmd_store_error(ctx, cause);
		return -1;
	}
	if (!found) {
		cmd_error(ctx,
			  L_(ctx->loc, "There is no action item #%ld in this "
				       "channel; /%s list shows them"),
			  id, ctx->trigger);
		return -1;
	}
	return 0;
}

/* Whether it is owned by the user name (or the platform's user id). */
static int
action_owned_by(const struct action_item *it, const char *name,
		const char *user_id)
{
	if (it->owner == NULL)
		return 0;
	if (strcasecmp(it->owner, name) == 0)
		return 1;
	return it->owner_id != NULL && user_id != NULL &&
	       strcmp(it->owner_id, user_id) == 0;
}

/*
 * Whether the command's author may change it: its owner, its creator or
 * a chair. 0 after telling the user (or after a store error).
 */
static int
action_may_change(struct cmd_ctx *ctx, const struct action_item *it)
{
	const struct chat_event *ev = ctx->ev;
	struct meeting m;
	char *cause = NULL;
	int found = 0, chair;

	if (action_owned_by(it, ev->user_name, ev->user_id) ||
	    (it->created_by != NULL &&
	     strcasecmp(it->created_by, ev->user_name) == 0))
		return 1;
	if (it->meeting_id != 0) {
		if (store_meeting_get(ctx->bot->store, it->meeting_id, &m,
				      &found, &cause) != 0) {
			cmd_store_error(ctx, cause);
			return 0;
		}
		chair = meeting_user_chairs(ctx->bot->config, found ? &m : NULL,
					    ev->user_name);
		if (found)
			meeting_release(&m);
	} else {
		chair =
		    meeting_user_chairs(ctx->bot->config, NULL, ev->user_name);
	}
	if (!chair)
		cmd_error(ctx,
			  L_(ctx->loc, "Only its owner, its creator or a "
				       "chair may change action item #%lld."),
			  (long long)it->id);
	return chair;
}

/* Refuse to change a closed item other than by reopening; 0 when open. */
static int
action_must_be_open(struct cmd_ctx *ctx, const struct action_item *it)
{
	if (it->state == ACTION_OPEN)
		return 0;
	cmd_error(ctx,
		  L_(ctx->loc, "Action item #%lld is closed; reopen it first "
			       "with /%s reopen %lld"),
		  (long long)it->id, ctx->trigger, (long long)it->id);
	return -1;
}

static enum cmd_status
cmd_action_add(struct cmd_ctx *ctx, struct args *a)
{
	const char *text = args_rest(a, 0), *owner = NULL, *owner_id = NULL;
	struct meeting_action_text act;
	struct date today;
	char due[16] = "", *cause = NULL, *line;
	int64_t id;

	if (action_text_fits(ctx, text) != 0 || action_today(ctx, &today) != 0)
		return CMD_ERROR;
	if (meeting_action_parse(text, today, ctx->loc, &act, &cause) != 0) {
		cmd_usage_error(ctx, cause);
		free(cause);
		return CMD_ERROR;
	}
	if (act.owner[0] != '\0') {
		if (action_user_known(ctx, act.owner, &owner_id) != 0)
			return CMD_ERROR;
		owner = act.owner;
	}
	if (act.has_due) {
		date_format(act.due, due, sizeof due);
		if (date_compare(act.due, today) < 0) {
			cmd_error(ctx, L_(ctx->loc, "%s is in the past"), due);
			return CMD_ERROR;
		}
	}
	if (store_action_add(ctx->bot->store, ctx->channel.id, 0, owner,
			     owner_id, act.text, act.has_due ? due : NULL,
			     ctx->ev->user_name, ctx->now, &id, &cause) != 0)
		return cmd_store_error(ctx, cause);
	if ((line = action_line_of(ctx, id)) == NULL)
		return CMD_ERROR;
	action_post(ctx, L_(ctx->loc, "@%s added an action item: %s"),
		    ctx->ev->user_name, line);
	free(line);
	if (owner == NULL)
		cmd_reply(ctx,
			  L_(ctx->loc,
			     "Nobody owns action item #%lld yet; give it to "
			     "someone with /%s assign %lld @user"),
			  (long long)id, ctx->trigger, (long long)id);
	return CMD_OK;
}

/* Which items /action list shows. */
enum action_filter {
	ACTION_LIST_OPEN,    /* the channel's open items */
	ACTION_LIST_MINE,    /* open, owned by the author */
	ACTION_LIST_USER,    /* open, owned by @user */
	ACTION_LIST_OVERDUE, /* open, due before today */
	ACTION_LIST_ALL,     /* open, done and dropped */
};

static int
action_filter_keeps(enum action_filter f, const struct action_item *it,
		    const char *name, const char *user_id, struct date today)
{
	switch (f) {
	case ACTION_LIST_MINE:
	case ACTION_LIST_USER:
		return action_owned_by(it, name, user_id);
	case ACTION_LIST_OVERDUE:
		return action_days_late(it, today) > 0;
	case ACTION_LIST_OPEN:
	case ACTION_LIST_ALL:
	default:
		return 1;
	}
}

/* The reply to a list that found nothing. */
static void
action_list_empty(struct cmd_ctx *ctx, enum action_filter f, const char *name)
{
	switch (f) {
	case ACTION_LIST_MINE:
		cmd_reply(ctx, "%s",
			  L_(ctx->loc, "You have no open action items."));
		break;
	case ACTION_LIST_USER:
		cmd_reply(ctx, L_(ctx->loc, "@%s has no open action items."),
			  name);
		break;
	case ACTION_LIST_OVERDUE:
		cmd_reply(ctx, "%s",
			  L_(ctx->loc, "No action item is overdue."));
		break;
	case ACTION_LIST_ALL:
		cmd_reply(
		    ctx, "%s",
		    L_(ctx->loc, "This channel has no action items yet."));
		break;
	case ACTION_LIST_OPEN:
	default:
		cmd_reply(ctx, "%s",
			  L_(ctx->loc, "No open action items here."));
		break;
	}
}

static void
action_list_title(struct cmd_ctx *ctx, enum action_filter f, const char *name,
		  size_t n, struct buf *b)
{
	switch (f) {
	case ACTION_LIST_MINE:
		buf_printf(b, L_(ctx->loc, "**Your open action items (%zu)**"),
			   n);
		break;
	case ACTION_LIST_USER:
		buf_printf(b,
			   L_(ctx->loc, "**Open action items of @%s (%zu)**"),
			   name, n);
		break;
	case ACTION_LIST_OVERDUE:
		buf_printf(b, L_(ctx->loc, "**Overdue action items (%zu)**"),
			   n);
		break;
	case ACTION_LIST_ALL:
		buf_printf(b, L_(ctx->loc, "**All action items (%zu)**"), n);
		break;
	case ACTION_LIST_OPEN:
	default:
		buf_printf(b, L_(ctx->loc, "**Open action items (%zu)**"), n);
		break;
	}
}

static enum cmd_status
cmd_action_list(struct cmd_ctx *ctx, struct args *a)
{
	enum action_filter f = ACTION_LIST_OPEN;
	struct action_item *items = NULL;
	char name[USER_NAME_MAX + 1] = "", *cause = NULL;
	const char *user_id = NULL;
	struct date today;
	struct buf b;
	size_t n = 0, i, matched = 0, shown = 0;
	int pass;

	if (a->argc == 1) {
		if (action_word_is(a->argv[0], "mine", "我的")) {
			f = ACTION_LIST_MINE;
			snprintf(name, sizeof name, "%s", ctx->ev->user_name);
			user_id = ctx->ev->user_id;
		} else if (action_word_is(a->argv[0], "overdue", "逾期")) {
			f = ACTION_LIST_OVERDUE;
		} else if (action_word_is(a->argv[0], "all", "全部")) {
			f = ACTION_LIST_ALL;
		} else if (report_parse_mention(a->argv[0], name)) {
			f = ACTION_LIST_USER;
			if (action_user_known(ctx, name, &user_id) != 0)
				return CMD_ERROR;
		} else {
			cmd_usage_error(ctx, L_(ctx->loc, "say mine, @user, "
							  "overdue or all"));
			return CMD_ERROR;
		}
	}
	if (action_today(ctx, &today) != 0)
		return CMD_ERROR;
	if (store_action_list(ctx->bot->store, ctx->channel.id,
			      f == ACTION_LIST_ALL ? ACTION_ALL_STATES
						   : 1u << ACTION_OPEN,
			      NULL, &items, &n, &cause) != 0)
		return cmd_store_error(ctx, cause);
	for (i = 0; i < n; i++)
		matched += action_filter_keeps(f, &items[i], name, user_id,
					       today) != 0;
	if (matched == 0) {
		action_list_empty(ctx, f, name);
		action_item_list_free(items, n);
		return CMD_OK;
	}
	buf_init(&b, ACTION_REPLY_MAX);
	action_list_title(ctx, f, name, matched, &b);
	/* Owned items first, then the unassigned ones; each in id order. */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < n && shown < ACTION_LIST_SHOWN; i++) {
			if ((items[i].owner == NULL) != (pass == 1) ||
			    !action_filter_keeps(f, &items[i], name, user_id,
						 today))
				continue;
			buf_puts(&b, "\n- ");
			action_line(ctx->loc, &items[i], today, &b);
			shown++;
		}
	}
	if (shown < matched && buf_puts(&b, "\n") == 0)
		buf_printf(&b,
			   L_(ctx->loc, "… and %zu more; narrow the list with "
					"/%s list mine, @user or overdue"),
			   matched - shown, ctx->trigger);
	cmd_reply_text(ctx, buf_str(&b));
	buf_release(&b);
	action_item_list_free(items, n);
	return CMD_OK;
}

/* done and drop: close the item as state, with the rest as its note. */
static enum cmd_status
action_close(struct cmd_ctx *ctx, struct args *a, int state)
{
	struct action_item it;
	const char *note = args_rest(a, 1);
	char *cause = NULL, *line;
	enum cmd_status st = CMD_ERROR;

	if (action_text_fits(ctx, note) != 0 ||
	    action_fetch(ctx, a->argv[0], &it) != 0)
		return CMD_ERROR;
	if (!action_may_change(ctx, &it))
		goto out;
	if (it.state == state) {
		cmd_error(ctx,
			  state == ACTION_DONE
			      ? L_(ctx->loc, "Action item #%lld is already "
					     "done.")
			      : L_(ctx->loc, "Action item #%lld is already "
					     "dropped."),
			  (long long)it.id);
		goto out;
	}
	if (action_must_be_open(ctx, &it) != 0)
		goto out;
	if (store_action_set_state(ctx->bot->store, it.id, state,
				   *note != '\0' ? note : NULL, ctx->now,
				   &cause) != 0) {
		st = cmd_store_error(ctx, cause);
		goto out;
	}
	if ((line = action_line_of(ctx, it.id)) == NULL)
		goto out;
	action_post(ctx,
		    state == ACTION_DONE
			? L_(ctx->loc, "@%s marked an action item done: %s")
			: L_(ctx->loc, "@%s dropped an action item: %s"),
		    ctx->ev->user_name, line);
	free(line);
	st = CMD_OK;
out:
	action_item_release(&it);
	return st;
}

static enum cmd_status
cmd_action_done(struct cmd_ctx *ctx, struct args *a)
{
	return action_close(ctx, a, ACTION_DONE);
}

static enum cmd_status
cmd_action_drop(struct cmd_ctx *ctx, struct args *a)
{
	return action_close(ctx, a, ACTION_DROPPED);
}

static enum cmd_status
cmd_action_reopen(struct cmd_ctx *ctx, struct args *a)
{
	struct action_item it;
	char *cause = NULL, *line;
	enum cmd_status st = CMD_ERROR;

	if (action_fetch(ctx, a->argv[0], &it) != 0)
		return CMD_ERROR;
	if (!action_may_change(ctx, &it))
		goto out;
	if (it.state == ACTION_OPEN) {
		cmd_error(ctx,
			  L_(ctx->loc, "Action item #%lld is already open."),
			  (long long)it.id);
		goto out;
	}
	if (store_action_set_state(ctx->bot->store, it.id, ACTION_OPEN, NULL,
				   ctx->now, &cause) != 0) {
		st = cmd_store_error(ctx, cause);
		goto out;
	}
	if ((line = action_line_of(ctx, it.id)) == NULL)
		goto out;
	action_post(ctx, L_(ctx->loc, "@%s reopened an action item: %s"),
		    ctx->ev->user_name, line);
	free(line);
	st = CMD_OK;
out:
	action_item_release(&it);
	return st;
}

static enum cmd_status
cmd_action_due(struct cmd_ctx *ctx, struct args *a)
{
	struct action_item it;
	const char *when = args_rest(a, 1);
	struct date today, due;
	char day[16] = "", shown[ACTION_SHOWN_MAX + 1], *cause = NULL, *line;
	int clear = action_word_is(when, "none", "无");
	enum cmd_status st = CMD_ERROR;

	if (action_fetch(ctx, a->argv[0], &it) != 0)
		return CMD_ERROR;
	if (!action_may_change(ctx, &it) || action_must_be_open(ctx, &it) != 0)
		goto out;
	if (!clear) {
		if (action_today(ctx, &today) != 0)
			goto out;
		if (when_parse(when, today, &due, &cause) != 0) {
			free(cause);
			cmd_error(ctx,
				  L_(ctx->loc,
				     "cannot read the date '%s'; use "
				     "2026-12-07, 12-07, fri, 周五, tomorrow, "
				     "明天, in 3 days, next week or 下周一"),
				  action_shown(when, shown, sizeof shown));
			goto out;
		}
		date_format(due, day, sizeof day);
		if (date_compare(due, today) < 0) {
			cmd_error(ctx, L_(ctx->loc, "%s is in the past"), day);
			goto out;
		}
	}
	if (store_action_set_due(ctx->bot->store, it.id, clear ? NULL : day,
				 &cause) != 0) {
		st = cmd_store_error(ctx, cause);
		goto out;
	}
	if ((line = action_line_of(ctx, it.id)) == NULL)
		goto out;
	action_post(
	    ctx,
	    clear ? L_(ctx->loc, "@%s cleared the deadline of an action "
				 "item: %s")
		  : L_(ctx->loc, "@%s set the deadline of an action item: "
				 "%s"),
	    ctx->ev->user_name, line);
	free(line);
	st = CMD_OK;
out:
	action_item_release(&it);
	return st;
}

static enum cmd_status
cmd_action_assign(struct cmd_ctx *ctx, struct args *a)
{
	struct action_item it;
	char name[USER_NAME_MAX + 1], *cause = NULL, *line;
	const char *user_id = NULL;
	enum cmd_status st = CMD_ERROR;

	if (!report_parse_mention(a->argv[1], name)) {
		action_not_a_name(ctx, a->argv[1]);
		return CMD_ERROR;
	}
	if (action_fetch(ctx, a->argv[0], &it) != 0)
		return CMD_ERROR;
	if (!action_may_change(ctx, &it) ||
	    action_must_be_open(ctx, &it) != 0 ||
	    action_user_known(ctx, name, &user_id) != 0)
		goto out;
	if (store_action_set_owner(ctx->bot->store, it.id, name, user_id,
				   &cause) != 0) {
		st = cmd_store_error(ctx, cause);
		goto out;
	}
	if ((line = action_line_of(ctx, it.id)) == NULL)
		goto out;
	action_post(ctx, L_(ctx->loc, "@%s assigned an action item: %s"),
		    ctx->ev->user_name, line);
	free(line);
	st = CMD_OK;
out:
	action_item_release(&it);
	return st;
}
