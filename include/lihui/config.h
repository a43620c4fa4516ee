/* SPDX-License-Identifier: MIT */
/*
 * config.h: lihui's configuration, parsed and validated at start-up.
 *
 * The file is INI-like: "[section]" lines, "key = value" lines, '#' or ';'
 * comments, UTF-8, at most CONFIG_MAX_LINE bytes a line and CONFIG_MAX_SIZE
 * bytes in all. Every error names "file:line: what is wrong". Every key,
 * its default and a comment are in config/lihui.conf.example.
 *
 * Secrets (tokens, signing secrets) may also come from the environment
 * (LIHUI_MATTERMOST_TOKEN, LIHUI_MATTERMOST_COMMAND_TOKEN,
 * LIHUI_SLACK_BOT_TOKEN, LIHUI_SLACK_APP_TOKEN, LIHUI_SLACK_SIGNING_SECRET),
 * which wins over the file. A file that holds
 * a secret and is readable by group or others is refused.
 */
#ifndef LIHUI_CONFIG_H
#define LIHUI_CONFIG_H

#include <stddef.h>

#include "lihui/recur.h"

#define CONFIG_MAX_LINE	   4096
#define CONFIG_MAX_SIZE	   (256 * 1024)
#define CONFIG_MAX_ADMINS  64
#define CONFIG_MAX_REMINDS 4

struct config {
	/* [lihui] */
	char *adapter;	    /* "console" (default), "mattermost", "slack" */
	char *database;	    /* SQLite file; default "./var/lihui.db" */
	char *bot_name;	    /* how users address the bot; default "lihui" */
	size_t max_text;    /* longest command or report text; default 4000 */
	int catch_up_grace; /* minutes a missed job may be late and still
			       run; default 120 */
	/*
	 * Directory of the minutes' Markdown copies; default "minutes". A
	 * relative path is relative to the database file's directory; ""
	 * turns the copies off. See config_minutes_dir().
	 */
	char *minutes_dir;

	/* [channel]: defaults for channels lihui has not seen before */
	char *locale;	     /* "en" (default) or "zh_CN" */
	char *timezone;	     /* IANA zone; default "UTC" */
	unsigned sections;   /* default: all five */
	int meeting_wday;    /* default 1 (Monday) */
	int meeting_minute;  /* default 600 (10:00) */
	int meeting_length;  /* minutes; default 60 */
	int review_minutes;  /* agenda time box of the action review; 10 */
	int meeting_timeout; /* hours before lihui ends a forgotten meeting; 4
			      */
	int agenda_before;   /* minutes before the meeting the agenda is
				posted; default 30 */
	int action_remind_minute; /* local time of action reminders; 09:00 */
	int overdue_escalate;	  /* overdue days after which the chair is told;
				     default 3, 0: never */
	int quiet_start;	  /* no reminders from (minute of day); 22:00 */
	int quiet_end;		  /* until; 08:00 (equal: no quiet hours) */
	/* When the reporting window opens before each meeting: "fri 16:00";
	 * window_off: "off", no window post. */
	struct recur_offset window;
	int window_off;
	/* When members without a report are reminded: "mon 09:00"; up to
	 * CONFIG_MAX_REMINDS, none: "off". */
	struct recur_offset reminds[CONFIG_MAX_REMINDS];
	size_t n_reminds;
	/* The meeting schedule of new channels (a recur.h rule such as
	 * "every 2 weeks mon 10:00"); NULL: weekly on meeting_day at
	 * meeting_time. skip: their skipped dates, "YYYY-MM-DD,...". */
	char *schedule;
	char *skip;
	char *channel_name; /* console adapter's channel; "console" */
	char *admins[CONFIG_MAX_ADMINS]; /* may manage roster and settings */
	size_t n_admins;		 /* 0: everyone may */

	/* [commands]: trigger words (without '/') for each group */
	char *trigger_report;  /* "report" */
	char *trigger_agenda;  /* "agenda" */
	char *trigger_meeting; /* "meeting" */
	char *trigger_action;  /* "action" */

	/* [mattermost]: used by the Mattermost adapter */
	char *mm_url;
	char *mm_token; /* secret */
	char *mm_team;
	/* slash-command listener, "address:port" ("[v6]:port" for IPv6);
	 * default "127.0.0.1:8090" */
	char *mm_listen;
	/* secret: the token Mattermost sends with each slash command; all
	 * of lihui's commands share this one token */
	char *mm_command_token; /* secret: "token" or "trigger:token,..." */
	char *mm_command_url;	/* URL Mattermost calls; NULL: from listen */
	char *mm_ca_file;    /* PEM bundle to trust instead of the system's */
	int mm_insecure_tls; /* skip TLS verification; default 0 */

	/* [slack]: used by the Slack adapter */
	char *slack_bot_token;	    /* secret */
	char *slack_app_token;	    /* secret */
	char *slack_signing_secret; /* secret */
	/* "socket" (default: Socket Mode, no public URL) or "http" (signed
	 * slash-command requests to slack_listen) */
	char *slack_mode;
	/* Web API base URL without the method; default
	 * "https://slack.com/api" (http:// works, for tests) */
	char *slack_api_url;
	char *slack_ca_file; /* PEM bundle to trust instead of the system's */
	int slack_insecure_tls; /* skip TLS verification; default 0 */
	/* mode http: "address:port" of the listener; default
	 * "127.0.0.1:8090" */
	char *slack_listen;
};

/** Fill c with every default (no file read). Release with config_release. */
void config_defaults(struct config *c);
/**
 * Read path over the defaults in c, then validate. -1 with *cause
 * "path:line: message" (or "path: message") on the first error.
 */
int config_load(struct config *c, const char *path, char **cause);
/**
 * Parse text (as read from a file named name) over c; the file-permission
 * rule is checked by config_load(), not here. Used by tests and the fuzzer.
 */
int config_parse(struct config *c, const char *name, const char *text,
		 size_t len, int *has_secret, char **cause);
/** Take secrets from the environment where set; then validate. */
int config_finish(struct config *c, char **cause);
void config_release(struct config *c);
/**
 * The directory minutes_dir names, a relative one taken from the
 * database file's directory ("minutes" beside "./var/lihui.db" is
 * "./var/minutes"); NULL when the copies are off or the database is
 * ":memory:". Caller frees.
 */
char *config_minutes_dir(const struct config *c);

#endif
