/* SPDX-License-Identifier: MIT */
/*
 * cmd.h: the command core: tables, the dispatcher and the reply helpers.
 *
 * Adding a subcommand ("/agenda foo")
 * -----------------------------------
 * 1. Add a row to the group's table in src/cmd/<group>.c: name, Chinese
 *    alias, word counts, usage and help (both marked N_() so the catalog
 *    test asks for their translations), flags and the handler.
 *    Keep the table sorted by name (tests/unit/test-cmd-table.c checks).
 * 2. Write the handler: it receives words already counted and permissions
 *    already checked; it replies with cmd_reply()/cmd_error() and posts with
 *    cmd_post(); every text goes through L_(ctx->loc, "...").
 * 3. Add the Chinese texts to src/render/catalog-cmd.c.
 * 4. Test it through the dispatcher in tests/unit/cmd/test-<group>.c.
 * The README's command list is generated from the tables
 * (`lihui --list-commands`), so there is nothing else to update.
 *
 * Adding a group: a new file in src/cmd/, a row in cmd_groups[] in cmd.c,
 * a trigger key in config.c if it gets its own slash command.
 *
 * What the dispatcher does, so handlers never do: it finds the group (by
 * trigger, by "/lihui <group>", or by the first word of a message addressed
 * to the bot) and the subcommand (exact name or alias, never a prefix),
 * refuses text that is too long or not UTF-8, splits the words and checks
 * their count against the table (replying "<cause>; usage: ..."), checks
 * the flags, and runs the handler inside one transaction, committed only on
 * CMD_OK, so a command's effect is stored before the user is told. On
 * CMD_ERROR everything the handler wrote is rolled back and only the
 * error reply is stored.
 */
#ifndef LIHUI_CMD_H
#define LIHUI_CMD_H

#include <stdint.h>

#include "lihui/args.h"
#include "lihui/catalog.h"
#include "lihui/event.h"
#include "lihui/store.h"
#include "lihui/tz.h"

struct bot;
struct buf;
struct config;

enum cmd_status { CMD_OK, CMD_ERROR };

enum cmd_flags {
	CMD_NODM = (1 << 0),  /* only in a channel, not a direct message */
	CMD_ADMIN = (1 << 1), /* only the configured admins (if any) */
};

struct cmd_ctx;
typedef enum cmd_status (*cmd_exec_fn)(struct cmd_ctx *ctx, struct args *a);

/* One subcommand: "/report done <text>". */
struct cmd_sub {
	const char *name;  /* English keyword */
	const char *alias; /* Chinese keyword, or NULL */
	int min_args;	   /* words after the subcommand */
	int max_args;	   /* -1: no limit */
	const char *usage; /* N_("<text>"): what follows the subcommand */
	const char *help;  /* N_("one line") */
	int flags;	   /* enum cmd_flags */
	cmd_exec_fn exec;
};

/* One command group, reachable by its trigger and by "/lihui <name>". */
struct cmd_entry {
	const char *name;	    /* canonical group name: "report" */
	const char *default_sub;    /* run when no subcommand is given */
	const char *help;	    /* N_("one line about the group") */
	const struct cmd_sub *subs; /* sorted by name; ends with .name NULL */
};

/* What a running command knows. Handlers read it; the dispatcher owns it. */
struct cmd_ctx {
	struct bot *bot;
	const struct chat_event *ev;
	const struct cmd_entry *entry;
	const struct cmd_sub *sub;
	struct channel channel; /* the channel's settings */
	enum locale loc;	/* the channel's locale */
	int64_t now;		/* the clock, read once per command */
	const char *trigger;	/* how the user called the group ("report") */
	struct cmd_out *out; /* replies and posts, stored by the dispatcher */
};

/** Run one event (command or message addressed to the bot). */
void cmd_dispatch(struct bot *bot, const struct chat_event *ev);

/** Reply to the user only (ephemeral where the platform can). */
void cmd_reply(struct cmd_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/** Reply with an error; the handler then returns CMD_ERROR. */
void cmd_error(struct cmd_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/** Reply to the user with text as is (long text is split into posts). */
void cmd_reply_text(struct cmd_ctx *ctx, const char *text);
/** Post text in the channel, as the bot (split under the adapter limit). */
void cmd_post(struct cmd_ctx *ctx, const char *text);
/** The usage line of the running subcommand, "/report done <text>". */
void cmd_usage_error(struct cmd_ctx *ctx, const char *cause);
/** Whether the user may run CMD_ADMIN commands (replies if not). */
int cmd_check_admin(struct cmd_ctx *ctx);
/** Refuse (with a reply) a store failure; returns CMD_ERROR. */
enum cmd_status cmd_store_error(struct cmd_ctx *ctx, char *cause);

/**
 * The channel's next meeting occurrence (created if new); on failure the
 * user is told and -1 returned (the handler then returns CMD_ERROR).
 */
int cmd_cycle(struct cmd_ctx *ctx, struct cycle *out);
/** Now in the channel's time zone; replies and returns -1 on failure. */
int cmd_local_now(struct cmd_ctx *ctx, struct local_time *out);

/** The groups, NULL-terminated. */
const struct cmd_entry *const *cmd_groups(void);
/** The trigger word c configures for group e ("report" unless renamed). */
const char *cmd_trigger_word(const struct config *c, const struct cmd_entry *e);
/**
 * Write every command as a Markdown list (README, `lihui --list-commands`)
 * into b, in locale loc, using the configured trigger words.
 */
void cmd_list_markdown(struct bot *bot, enum locale loc, struct buf *b);

/* The groups, one file each in src/cmd/. */
extern const struct cmd_entry cmd_action_entry;
extern const struct cmd_entry cmd_report_entry;
extern const struct cmd_entry cmd_agenda_entry;
extern const struct cmd_entry cmd_meeting_entry;

#endif
