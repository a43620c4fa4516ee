/* SPDX-License-Identifier: MIT */
/*
 * config.c: reads and validates lihui's configuration file; see config.h.
 *
 * How it works. config_parse() walks the text one line at a time. Each
 * line is checked for length, control characters and UTF-8 before it is
 * looked at, then copied into a bounded, NUL-terminated buffer, so the rest
 * of the parser works on ordinary C strings. "[section]" lines select a
 * section; "key = value" lines are looked up in config_keys[], which gives
 * each key its section, its setter and the setter's bounds. A setter
 * validates the value and stores it straight away, so every error can name
 * the line it came from. config_finish() then takes secrets from the
 * environment and runs the checks that involve more than one key.
 * config_load() is open + fstat + bounded read + config_parse() + the
 * permission rule + config_finish().
 *
 * Invariants: every char * member of struct config is NULL or owned by the
 * struct (config_release() frees them all); a setter that fails leaves its
 * member as it was. Secrets never reach a message or a log line: setters of
 * secret keys say only what is wrong, and errors about a line's syntax
 * never quote the value.
 *
 * When adding a key: add the member to struct config (default in its
 * comment), set the default in config_defaults(), free it in
 * config_release(), add a row to config_keys[], add it commented out with
 * its default to config/lihui.conf.example, and add it to the key list in
 * tests/unit/test-config.c (which checks that the example sets every key).
 */

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lihui/buf.h"
#include "lihui/catalog.h"
#include "lihui/config.h"
#include "lihui/log.h"
#include "lihui/schedule.h"
#include "lihui/store.h"
#include "lihui/tz.h"
#include "lihui/utf8.h"
#include "lihui/xmalloc.h"

/* Longest value quoted back in an error message, in bytes. */
#define CONFIG_SHOWN_MAX 64

struct config_key;

/* Validate value for key k and store it in c; -1 with *why otherwise. */
typedef int (*config_set_fn)(struct config *c, const struct config_key *k,
			     const char *value, char **why);

/* One key of the file. */
struct config_key {
	const char *section;
	const char *name;
	config_set_fn set;
	size_t field;	    /* offsetof() the member the setter writes */
	long min, max;	    /* integer range, or length range for words */
	const char *prefix; /* secrets: what the value must start with */
	int secret;	    /* value must never appear in a message */
};

/* A secret that the environment may supply instead of the file. */
struct config_env {
	const char *env;
	const char *key;
	size_t field;
	const char *prefix;
};

/* What config_parse() remembers between lines. */
struct config_state {
	const char *section; /* static name of the current section, or NULL */
	unsigned seen[64];   /* line a key was first set on (0: not yet) */
	unsigned lineno;     /* of the line being parsed, from 1 */
	int has_secret;
};

static char **config_str(struct config *c, size_t field);
static void config_replace(char **slot, char *value);
static char *config_shown(const char *value);
static int config_bad(char **why, const struct config_key *k, const char *value,
		      const char *want);
static int config_word_ok(const char *s, size_t max, const char *punct,
			  int upper);
static int config_secret_ok(const char *name, const char *value,
			    const char *prefix, char **why);
static int config_long(const char *s, long min, long max, long *out);
static char *config_trim(char *s);
static int config_unquote(char *value, char **why);
static int config_line(struct config *c, struct config_state *st, char *line,
		       size_t len, char **why);
static int config_set_adapter(struct config *, const struct config_key *,
			      const char *, char **);
static int config_set_slack_mode(struct config *, const struct config_key *,
				 const char *, char **);
static int config_set_path(struct config *, const struct config_key *,
			   const char *, char **);
static int config_set_bot_name(struct config *, const struct config_key *,
			       const char *, char **);
static int config_set_window(struct config *, const struct config_key *,
			     const char *, char **);
static int config_set_reminds(struct config *, const struct config_key *,
			      const char *, char **);
static int config_set_schedule(struct config *, const struct config_key *,
			       const char *, char **);
static int config_set_skip(struct config *, const struct config_key *,
			   const char *, char **);
static int config_set_minutes_dir(struct config *, const struct config_key *,
				  const char *, char **);
static int config_set_size(struct config *, const struct config_key *,
			   const char *, char **);
static int config_set_int(struct config *, const struct config_key *,
			  const char *, char **);
static int config_set_locale(struct config *, const struct config_key *,
			     const char *, char **);
static int config_set_timezone(struct config *, const struct config_key *,
			       const char *, char **);
static int config_set_sections(struct config *, const struct config_key *,
			       const char *, char **);
static int config_set_weekday(struct config *, const struct config_key *,
			      const char *, char **);
static int config_set_time(struct config *, const struct config_key *,
			   const char *, char **);
static int config_set_text(struct config *, const struct config_key *,
			   const char *, char **);
static int config_set_admins(struct config *, const struct config_key *,
			     const char *, char **);
static int config_set_trigger(struct config *, const struct config_key *,
			      const char *, char **);
static int config_set_url(struct config *, const struct config_key *,
			  const char *, char **);
static int config_set_optional(struct config *, const struct config_key *,
			       const char *, char **);
static int config_set_secret(struct config *, const struct config_key *,
			     const char *, char **);
static int config_set_listen(struct config *, const struct config_key *,
			     const char *, char **);
static int config_set_bool(struct config *, const struct config_key *,
			   const char *, char **);

#define F(m) offsetof(struct config, m)

static const char *const config_sections[] = {
	"lihui", "channel", "commands", "mattermost", "slack",
};

static const struct config_key config_keys[] = {
	{ .section = "lihui",
	  .name = "adapter",
	  .set = config_set_adapter,
	  .field = F(adapter) },
	{ .section = "lihui",
	  .name = "database",
	  .set = config_set_path,
	  .field = F(database) },
	{ .section = "lihui",
	  .name = "bot_name",
	  .set = config_set_bot_name,
	  .field = F(bot_name),
	  .min = 1,
	  .max = 64 },
	{ .section = "lihui",
	  .name = "max_text",
	  .set = config_set_size,
	  .field = F(max_text),
	  .min = 100,
	  .max = 16000 },
	{ .section = "lihui",
	  .name = "catch_up_grace",
	  .set = config_set_int,
	  .field = F(catch_up_grace),
	  .min = 0,
	  .max = 1440 },
	{ .section = "lihui",
	  .name = "minutes_dir",
	  .set = config_set_minutes_dir,
	  .field = F(minutes_dir) },
	{ .section = "channel",
	  .name = "locale",
	  .set = config_set_locale,
	  .field = F(locale) },
	{ .section = "channel",
	  .name = "timezone",
	  .set = config_set_timezone,
	  .field = F(timezone) },
	{ .section = "channel",
	  .name = "sections",
	  .set = config_set_sections,
	  .field = F(sections) },
	{ .section = "channel",
	  .name = "meeting_day",
	  .set = config_set_weekday,
	  .field = F(meeting_wday) },
	{ .section = "channel",
	  .name = "meeting_time",
	  .set = config_set_time,
	  .field = F(meeting_minute) },
	{ .section = "channel",
	  .name = "meeting_length",
	  .set = config_set_int,
	  .field = F(meeting_length),
	  .min = 5,
	  .max = 600 },
	{ .section = "channel",
	  .name = "review_minutes",
	  .set = config_set_int,
	  .field = F(review_minutes),
	  .min = 0,
	  .max = 120 },
	{ .section = "channel",
	  .name = "meeting_timeout",
	  .set = config_set_int,
	  .field = F(meeting_timeout),
	  .min = 1,
	  .max = 48 },
	{ .section = "channel",
	  .name = "agenda_before",
	  .set = config_set_int,
	  .field = F(agenda_before),
	  .min = 0,
	  .max = 1440 },
	{ .section = "channel",
	  .name = "action_remind_time",
	  .set = config_set_time,
	  .field = F(action_remind_minute) },
	{ .section = "channel",
	  .name = "overdue_escalate",
	  .set = config_set_int,
	  .field = F(overdue_escalate),
	  .min = 0,
	  .max = 60 },
	{ .section = "channel",
	  .name = "quiet_start",
	  .set = config_set_time,
	  .field = F(quiet_start) },
	{ .section = "channel",
	  .name = "quiet_end",
	  .set = config_set_time,
	  .field = F(quiet_end) },
	{ .section = "channel",
	  .name = "window_open",
	  .set = config_set_window },
	{ .section = "channel",
	  .name = "remind_at",
	  .set = config_set_reminds },
	{ .section = "channel",
	  .name = "schedule",
	  .set = config_set_schedule },
	{ .section = "channel", .name = "skip", .set = config_set_skip },
	{ .section = "channel",
	  .name = "name",
	  .set = config_set_text,
	  .field = F(channel_name),
	  .min = 1,
	  .max = 64 },
	{ .section = "channel",
	  .name = "admins",
	  .set = config_set_admins,
	  .min = 1,
	  .max = 64 },
	{ .section = "commands",
	  .name = "report",
	  .set = config_set_trigger,
	  .field = F(trigger_report),
	  .min = 1,
	  .max = 32 },
	{ .section = "commands",
	  .name = "agenda",
	  .set = config_set_trigger,
	  .field = F(trigger_agenda),
	  .min = 1,
	  .max = 32 },
	{ .section = "commands",
	  .name = "meeting",
	  .set = config_set_trigger,
	  .field = F(trigger_meeting),
	  .min = 1,
	  .max = 32 },
	{ .section = "commands",
	  .name = "action",
	  .set = config_set_trigger,
	  .field = F(trigger_action),
	  .min = 1,
	  .max = 32 },
	{ .section = "mattermost",
	  .name = "url",
	  .set = config_set_url,
	  .field = F(mm_url) },
	{ .section = "mattermost",
	  .name = "token",
	  .set = config_set_secret,
	  .field = F(mm_token),
	  .prefix = "",
	  .secret = 1 },
	{ .section = "mattermost",
	  .name = "team",
	  .set = config_set_optional,
	  .field = F(mm_team) },
	{ .section = "mattermost",
	  .name = "listen",
	  .set = config_set_listen,
	  .field = F(mm_listen) },
	{ .section = "mattermost",
	  .name = "command_token",
	  .set = config_set_secret,
	  .field = F(mm_command_token),
	  .prefix = "",
	  .secret = 1 },
	{ .section = "mattermost",
	  .name = "command_url",
	  .set = config_set_url,
	  .field = F(mm_command_url) },
	{ .section = "mattermost",
	  .name = "ca_file",
	  .set = config_set_optional,
	  .field = F(mm_ca_file) },
	{ .section = "mattermost",
	  .name = "insecure_tls",
	  .set = config_set_bool,
	  .field = F(mm_insecure_tls) },
	{ .section = "slack",
	  .name = "bot_token",
	  .set = config_set_secret,
	  .field = F(slack_bot_token),
	  .prefix = "xoxb-",
	  .secret = 1 },
	{ .section = "slack",
	  .name = "app_token",
	  .set = config_set_secret,
	  .field = F(slack_app_token),
	  .prefix = "xapp-",
	  .secret = 1 },
	{ .section = "slack",
	  .name = "signing_secret",
	  .set = config_set_secret,
	  .field = F(slack_signing_secret),
	  .prefix = "",
	  .secret = 1 },
	{ .section = "slack",
	  .name = "mode",
	  .set = config_set_slack_mode,
	  .field = F(slack_mode) },
	{ .section = "slack",
	  .name = "api_url",
	  .set = config_set_url,
	  .field = F(slack_api_url) },
	{ .section = "slack",
	  .name = "ca_file",
	  .set = config_set_optional,
	  .field = F(slack_ca_file) },
	{ .section = "slack",
	  .name = "insecure_tls",
	  .set = config_set_bool,
	  .field = F(slack_insecure_tls) },
	{ .section = "slack",
	  .name = "listen",
	  .set = config_set_listen,
	  .field = F(slack_listen) },
};
#define CONFIG_N_KEYS (sizeof config_keys / sizeof config_keys[0])

static const struct config_env config_envs[] = {
	{ .env = "LIHUI_MATTERMOST_TOKEN",
	  .key = "token",
	  .field = F(mm_token),
	  .prefix = "" },
	{ .env = "LIHUI_MATTERMOST_COMMAND_TOKEN",
	  .key = "command_token",
	  .field = F(mm_command_token),
	  .prefix = "" },
	{ .env = "LIHUI_SLACK_BOT_TOKEN",
	  .key = "bot_token",
	  .field = F(slack_bot_token),
	  .prefix = "xoxb-" },
	{ .env = "LIHUI_SLACK_APP_TOKEN",
	  .key = "app_token",
	  .field = F(slack_app_token),
	  .prefix = "xapp-" },
	{ .env = "LIHUI_SLACK_SIGNING_SECRET",
	  .key = "signing_secret",
	  .field = F(slack_signing_secret),
	  .prefix = "" },
};

#undef F

/* Indexed by enum section_kind. */
static const char *const config_section_names[SECTION_COUNT] = {
	"done", "plan", "blocker", "metric", "need",
};

/* Indexed by weekday, 0 = Sunday. */
static const char *const config_days[7][2] = {
	{ "sun", "sunday" },	{ "mon", "monday" },   { "tue", "tuesday" },
	{ "wed", "wednesday" }, { "thu", "thursday" }, { "fri", "friday" },
	{ "sat", "saturday" },
};

/* The char * member at offset field of c. */
static char **
config_str(struct config *c, size_t field)
{
	return (char **)(void *)((char *)c + field);
}

/* Free *slot and take ownership of value (which may be NULL). */
static void
config_replace(char **slot, char *value)
{
	free(*slot);
	*slot = value;
}

/*
 * A copy of value short enough to quote in a message, cut at a character
 * boundary and marked with "..." when cut. Caller frees.
 */
static char *
config_shown(const char *value)
{
	size_t len = strlen(value), n;

	if (len <= CONFIG_SHOWN_MAX)
		return xstrdup(value);
	n = utf8_cut(value, len, CONFIG_SHOWN_MAX);
	return xasprintf("%.*s...", (int)n, value);
}

/* Set *why to "invalid <key> '<value>': want <want>"; returns -1. */
static int
config_bad(char **why, const struct config_key *k, const char *value,
	   const char *want)
{
	char *shown = config_shown(value);

	set_cause(why, "invalid %s '%s': want %s", k->name, shown, want);
	free(shown);
	return -1;
}

/*
 * Whether s is 1..max bytes of a-z, 0-9 (A-Z too if upper) and the
 * characters in punct.
 */
static int
config_word_ok(const char *s, size_t max, const char *punct, int upper)
{
	size_t len = strlen(s), i;
	char ch;

	if (len == 0 || len > max)
		return 0;
	for (i = 0; i < len; i++) {
		ch = s[i];
		if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))
			continue;
		if (upper && ch >= 'A' && ch <= 'Z')
			continue;
		if (strchr(punct, ch) == NULL)
			return 0;
	}
	return 1;
}

/*
 * Check a non-empty secret: printable ASCII without spaces (it goes into
 * HTTP headers) starting with prefix. The message names the key, never
 * the value.
 */
static int
config_secret_ok(const char *name, const char *value, const char *prefix,
		 char **why)
{
	const unsigned char *p;

	for (p = (const unsigned char *)value; *p != '\0'; p++) {
		if (*p < 0x21 || *p > 0x7e) {
			return set_cause(why,
					 "invalid %s: want printable ASCII "
					 "without spaces",
					 name);
		}
	}
	if (strncmp(value, prefix, strlen(prefix)) != 0) {
		return set_cause(why,
				 "invalid %s: want a value starting with '%s'",
				 name, prefix);
	}
	return 0;
}

/*
 * Parse all of s as a decimal integer in min..max. No leading space or
 * '+'; strtol() checks the range of long, and we check the rest.
 */
static int
config_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (!(*s == '-' || (*s >= '0' && *s <= '9')))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0')
		return -1;
	if (v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* Strip spaces and tabs from both ends of s, in place. */
static char *
config_trim(char *s)
{
	size_t len;

	while (*s == ' ' || *s == '\t')
		s++;
	len = strlen(s);
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	s[len] = '\0';
	return s;
}

/*
 * If value is double-quoted, remove the quotes and the \" and \\ escapes,
 * in place. The messages never quote the value: it may be a secret.
 */
static int
config_unquote(char *value, char **why)
{
	const char *r = value + 1;
	char *w = value;

	if (*value != '"')
		return 0;
	for (;;) {
		if (*r == '\0')
			return set_cause(why, "unterminated quoted value");
		if (*r == '"')
			break;
		if (*r == '\\') {
			r++;
			if (*r == '\0')
				return set_cause(why,
						 "unterminated quoted value");
			if (*r != '"' && *r != '\\') {
				return set_cause(why,
						 "unknown escape in quoted "
						 "value (want \\\" or \\\\)");
			}
		}
		*w++ = *r++;
	}
	/* The line's end is already trimmed, so the quote must end it. */
	if (r[1] != '\0')
		return set_cause(why, "text after the closing quote");
	*w = '\0';
	return 0;
}

static int
config_set_adapter(struct config *c, const struct config_key *k,
		   const char *value, char **why)
{
	if (strcmp(value, "console") != 0 && strcmp(value, "mattermost") != 0 &&
	    strcmp(value, "slack") != 0)
		return config_bad(why, k, value,
				  "console, mattermost or slack");
	config_replace(config_str(c, k->field), xstrdup(value));
	return 0;
}

/* [slack] mode: socket (Socket Mode) or http (signed requests). */
static int
config_set_slack_mode(struct config *c, const struct config_key *k,
		      const char *value, char **why)
{
	if (strcmp(value, "socket") != 0 && strcmp(value, "http") != 0)
		return config_bad(why, k, value, "socket or http");
	config_replace(config_str(c, k->field), xstrdup(value));
	return 0;
}

static int
config_set_path(struct config *c, const struct config_key *k, const char *value,
		char **why)
{
	if (*value == '\0')
		return config_bad(why, k, value, "a file path");
	config_replace(config_str(c, k->field), xstrdup(value));
	return 0;
}

/* An offset before the meeting ("fri 16:00", "1d 17:00", "30m"), or off. */
static int
config_set_window(struct config *c, const struct config_key *k,
		  const char *value, char **why)
{
	struct schedule_times t;
	char *cause = NULL;

	schedule_times_default(c, &t);
	if (schedule_time_parse(STORE_SCHEDULE_WINDOW, value, LOCALE_EN, &t,
				&cause) != 0) {
		free(cause);
		return config_bad(why, k, value,
				  "a time before the meeting such as "
				  "\"fri 16:00\", \"1d 17:00\" or \"2h\", or "
				  "off");
	}
	c->window = t.window;
	c->window_off = t.window_off;
	return 0;
}

/* Up to CONFIG_MAX_REMINDS offsets, comma-separated, or off. */
static int
config_set_reminds(struct config *c, const struct config_key *k,
		   const char *value, char **why)
{
	struct schedule_times t;
	char want[128], *cause = NULL;

	schedule_times_default(c, &t);
	if (schedule_time_parse(STORE_SCHEDULE_REMIND, value, LOCALE_EN, &t,
				&cause) != 0) {
		free(cause);
		snprintf(want, sizeof want,
			 "1 to %d times before the meeting such as \"mon "
			 "09:00\", comma-separated, or off",
			 CONFIG_MAX_REMINDS);
		return config_bad(why, k, value, want);
	}
	memcpy(c->reminds, t.reminds, t.n_reminds * sizeof t.reminds[0]);
	c->n_reminds = t.n_reminds;
	return 0;
}

/* A recurrence rule (recur.h), checked here, applied to new channels. */
static int
config_set_schedule(struct config *c, const struct config_key *k,
		    const char *value, char **why)
{
	static const struct date some_day = { 2026, 1, 5 };
	struct recur_defaults def;
	struct recur_rule rule;
	char *cause = NULL, *shown;

	if (strcmp(value, "none") == 0) {
		config_replace(&c->schedule, NULL);
		return 0;
	}
	memset(&def, 0, sizeof def);
	def.today = some_day;
	def.length = c->meeting_length;
	/* The zone is the channel's unless the rule names one. */
	def.zone = "UTC";
	if (recur_parse(value, &def, &rule, &cause) != 0) {
		shown = config_shown(value);
		set_cause(why, "invalid %s '%s': %s", k->name, shown, cause);
		free(shown);
		free(cause);
		return -1;
	}
	config_replace(&c->schedule, xstrdup(value));
	return 0;
}

/* Skipped dates "YYYY-MM-DD, ...", kept as "YYYY-MM-DD,..."; or none. */
static int
config_set_skip(struct config *c, const struct config_key *k, const char *value,
		char **why)
{
	char want[96], day[16];
	struct buf out;
	struct date d;
	const char *p = value;
	size_t len, n = 0;

	snprintf(want, sizeof want,
		 "up to %d dates YYYY-MM-DD, comma-separated, or none",
		 RECUR_SKIP_MAX);
	if (strcmp(value, "none") == 0) {
		config_replace(&c->skip, NULL);
		return 0;
	}
	buf_init(&out, 11 * RECUR_SKIP_MAX);
	for (;;) {
		while (*p == ' ')
			p++;
		len = strcspn(p, ", ");
		if (len == 0 || len >= sizeof day || n == RECUR_SKIP_MAX)
			goto bad;
		memcpy(day, p, len);
		day[len] = '\0';
		if (date_parse_iso(day, &d) != 0)
			goto bad;
		date_format(d, day, sizeof day);
		buf_printf(&out, "%s%s", n > 0 ? "," : "", day);
		n++;
		p += len;
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		if (*p++ != ',')
			goto bad;
	}
	config_replace(&c->skip, buf_detach(&out));
	return 0;
bad:
	buf_release(&out);
	return config_bad(why, k, value, want);
}

static int
config_set_minutes_dir(struct config *c, const struct config_key *k,
		       const char *value, char **why)
{
	(void)why;
	config_replace(config_str(c, k->field), xstrdup(value));
	return 0;
}

static int
config_set_bot_name(struct config *c, const struct config_key *k,
		    const char *value, char **why)
{
	if (!config_word_ok(value, (size_t)k->max, "._-", 0)) {
		return config_bad(why, k, value,
				  "1 to 64 of a-z, 0-9, '.', '_' and '-'");
	}
	config_replace(config_str(c, k->field), xstrdup(value));
	return 0;
}

/* Parse value as an integer in k's range, or explain what was expected. */
static int
config_int_value(const struct config_key *k, const char *value, long *v,
		 char **why)
{
	char want[64];

	if (config_long(value, k->min, k->max, v) == 0)
		return 0;
	snprintf(want, sizeof want, "an integer from %ld to %ld", k->min,
		 k->max);
	return config_bad(why, k, value, want);
}

static int
config_set_size(struct config *c, const struct config_key *k, const char *value,
		char **why)
{
	long v;

	if (config_int_value(k, value, &v, why) != 0)
		return -1;
	*(size_t *)(void *)((char *)c + k->field) = (size_t)v;
	return 0;
}

static int
config_set_int(struct config *c, const struct config_key *k, const char *value,
	       char **why)
{
	long v;

	if (config_int_value(k, value, &v, why) != 0)
		return -1;
	*(int *)(void *)((char *)c + k->field) = (int)v;
	return 0;
}

static int
config_set_locale(struct config *c, const struct config_key *k,
		  const char *value, char **why)
{
	int loc = locale_parse(value);

	if (loc < 0)
		return config_bad(why, k, value, "en or zh_CN");
	config_replace(config_str(c, k->field),
		       xstrdup(locale_name((enum locale)loc)));
	return 0;
}

static int
config_set_timezone(struct config *c, const struct config_key *k,
		    const char *value, char **why)
{
	if (*value == '\0' || !tz_valid(value)) {
		return config_bad(why, k, value,
				  "an installed IANA zone such as "
				  "Asia/Shanghai");
	}
	config_replace(config_str(c, k->field), xstrdup(value));
	return 0;
}

static int
config_set_sections(struct config *c, const struct config_key *k,
		    const char *value, char **why)
{
	const char *p = value;
	char *shown;
	size_t n;
	unsigned mask = 0;
	int i;

	for (;;) {
		p += strspn(p, ", \t");
		if (*p == '\0')
			break;
		n = strcspn(p, ", \t");
		for (i = 0; i < SECTION_COUNT; i++) {
			if (strlen(config_section_names[i]) == n &&
			    strncmp(p, config_section_names[i], n) == 0)
				break;
		}
		if (i == SECTION_COUNT) {
			shown = xstrndup(p, n);
			config_bad(why, k, shown,
				   "a list of done, plan, blocker, metric and "
				   "need");
			free(shown);
			return -1;
		}
		mask |= 1u << i;
		p += n;
	}
	if (mask == 0) {
		return config_bad(why, k, value,
				  "at least one of done, plan, blocker, metric "
				  "and need");
	}
	*(unsigned *)(void *)((char *)c + k->field) = mask;
	return 0;
}

static int
config_set_weekday(struct config *c, const struct config_key *k,
		   const char *value, char **why)
{
	int i;

	for (i = 0; i < 7; i++) {
		if (strcasecmp(value, config_days[i][0]) == 0 ||
		    strcasecmp(value, config_days[i][1]) == 0) {
			*(int *)(void *)((char *)c + k->field) = i;
			return 0;
		}
	}
	return config_bad(why, k, value, "mon..sun or monday..sunday");
}

/* "H:MM" or "HH:MM", 00:00 to 23:59, as minutes after midnight. */
static int
config_set_time(struct config *c, const struct config_key *k, const char *value,
		char **why)
{
	const char *p = value;
	int hour = 0, minute, digits = 0;

	while (*p >= '0' && *p <= '9' && digits < 2) {
		hour = hour * 10 + (*p++ - '0');
		digits++;
	}
	if (digits == 0 || p[0] != ':' || !(p[1] >= '0' && p[1] <= '5') ||
	    !(p[2] >= '0' && p[2] <= '9') || p[3] != '\0' || hour > 23)
		return config_bad(why, k, value, "HH:MM from 00:00 to 23:59");
	minute = (p[1] - '0') * 10 + (p[2] - '0');
	*(int *)(void *)((char *)c + k->field) = hour * 60 + minute;
	return 0;
}

/* Free text of k->min..k->max characters. */
static int
config_set_text(struct config *c, const struct config_key *k, const char *value,
		char **why)
{
	char want[64];
	size_t n = utf8_count(value, strlen(value));

	if (n < (size_t)k->min || n > (size_t)k->max) {
		snprintf(want, sizeof want, "%ld to %ld characters", k->min,
			 k->max);
		return config_bad(why, k, value, want);
	}
	config_replace(config_str(c, k->field), xstrdup(value));
	return 0;
}

/* A comma or space separated list of user names; repeats are dropped. */
static int
config_set_admins(struct config *c, const struct config_key *k,
		  const char *value, char **why)
{
	char *names[CONFIG_MAX_ADMINS], *name, *shown;
	const char *p = value;
	size_t n = 0, len, i;

	for (;;) {
		p += strspn(p, ", \t");
		if (*p == '\0')
			break;
		len = strcspn(p, ", \t");
		name = xstrndup(p, len);
		p += len;
		if (!config_word_ok(name, (size_t)k->max, "._-", 1)) {
			shown = config_shown(name);
			if (name[0] == '@') {
				set_cause(why,
					  "invalid admins: write '%s' without "
					  "'@'",
					  shown);
			} else {
				set_cause(why,
					  "invalid admins: '%s' is not a user "
					  "name (want 1 to 64 of A-Z, a-z, "
					  "0-9, '.', '_' and '-')",
					  shown);
			}
			free(shown);
			free(name);
			goto fail;
		}
		for (i = 0; i < n; i++) {
			if (strcmp(names[i], name) == 0)
				break;
		}
		if (i < n) {
			free(name);
			continue;
		}
		if (n == CONFIG_MAX_ADMINS) {
			set_cause(why, "invalid admins: more than %d names",
				  CONFIG_MAX_ADMINS);
			free(name);
			goto fail;
		}
		names[n++] = name;
	}
	for (i = 0; i < c->n_admins; i++)
		free(c->admins[i]);
	for (i = 0; i < n; i++)
		c->admins[i] = names[i];
	for (; i < CONFIG_MAX_ADMINS; i++)
		c->admins[i] = NULL;
	c->n_admins = n;
	return 0;

fail:
	for (i = 0; i < n; i++)
		free(names[i]);
	return -1;
}

static int
config_set_trigger(struct config *c, const struct config_key *k,
		   const char *value, char **why)
{
	if (!config_word_ok(value, (size_t)k->max, "_-", 0)) {
		return config_bad(why, k, value,
				  "1 to 32 of a-z, 0-9, '_' and '-'");
	}
	if (strcmp(value, "lihui") == 0) {
		return config_bad(why, k, value,
				  "another word ('/lihui' is always the "
				  "bot's own command)");
	}
	config_replace(config_str(c, k->field), xstrdup(value));
	return 0;
}

/* An http:// or https:// URL with a host; empty means unset. */
static int
config_set_url(struct config *c, const struct config_key *k, const char *value,
	       char **why)
{
	const char *p, *rest;

	if (*value == '\0') {
		config_replace(config_str(c, k->field), NULL);
		return 0;
	}
	if (strncmp(value, "https://", 8) == 0)
		rest = value + 8;
	else if (strncmp(value, "http://", 7) == 0)
		rest = value + 7;
	else
		rest = NULL;
	if (rest == NULL || *rest == '\0' || *rest == '/')
		return config_bad(why, k, value, "http://host or https://host");
	for (p = value; *p != '\0'; p++) {
		if (*p == ' ' || *p == '\t')
			return config_bad(why, k, value,
					  "a URL without spaces");
	}
	config_replace(config_str(c, k->field), xstrdup(value));
	return 0;
}

/* Free text; empty means unset. */
static int
config_set_optional(struct config *c, const struct config_key *k,
		    const char *value, char **why)
{
	(void)why;
	config_replace(config_str(c, k->field),
		       *value == '\0' ? NULL : xstrdup(value));
	return 0;
}

/* A secret; empty means unset. Never quoted in a message. */
static int
config_set_secret(struct config *c, const struct config_key *k,
		  const char *value, char **why)
{
	if (*value != '\0' &&
	    config_secret_ok(k->name, value, k->prefix, why) != 0)
		return -1;
	config_replace(config_str(c, k->field),
		       *value == '\0' ? NULL : xstrdup(value));
	return 0;
}

/*
 * "address:port": an IPv4 address, or an IPv6 address in brackets, and a
 * port from 0 to 65535 (0: any free port, logged at start; for tests). The
 * address must be literal: the listener binds it as given, without a name
 * lookup.
 */
static int
config_set_listen(struct config *c, const struct config_key *k,
		  const char *value, char **why)
{
	const char *colon = strrchr(value, ':'), *shown = value;
	char addr[INET6_ADDRSTRLEN + 1];
	unsigned char bin[sizeof(struct in6_addr)];
	size_t n;
	long port;
	int family = AF_INET;

	if (colon == NULL || config_long(colon + 1, 0, 65535, &port) != 0)
		goto bad;
	n = (size_t)(colon - value);
	if (n >= 2 && value[0] == '[' && value[n - 1] == ']') {
		family = AF_INET6;
		value++;
		n -= 2;
	}
	if (n == 0 || n >= sizeof addr)
		goto bad;
	memcpy(addr, value, n);
	addr[n] = '\0';
	if (inet_pton(family, addr, bin) != 1)
		goto bad;
	config_replace(config_str(c, k->field), xstrdup(shown));
	return 0;
bad:
	return config_bad(why, k, shown,
			  "address:port such as 127.0.0.1:8090 or [::1]:8090");
}

/* true/false, yes/no, on/off or 1/0. */
static int
config_set_bool(struct config *c, const struct config_key *k, const char *value,
		char **why)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };
	static const char *const no[] = { "false", "no", "off", "0" };
	size_t i;

	for (i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		if (strcasecmp(value, yes[i]) == 0) {
			*(int *)(void *)((char *)c + k->field) = 1;
			return 0;
		}
		if (strcasecmp(value, no[i]) == 0) {
			*(int *)(void *)((char *)c + k->field) = 0;
			return 0;
		}
	}
	return config_bad(why, k, value, "true or false");
}

/*
 * Handle one line (len bytes, NUL-terminated, line ending removed); -1
 * with *why (no "file:line: " prefix) on error.
 */
static int
config_line(struct config *c, struct config_state *st, char *line, size_t len,
	    char **why)
{
	const struct config_key *k;
	char *s, *end, *eq, *key, *value, *shown;
	size_t i;
	int rc;

	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)line[i];

		if ((ch < 0x20 && ch != '\t') || ch == 0x7f) {
			return set_cause(
			    why, "control character 0x%02x in line", ch);
		}
	}
	if (!utf8_valid(line, len))
		return set_cause(why, "invalid UTF-8");

	s = config_trim(line);
	if (*s == '\0' || *s == '#' || *s == ';')
		return 0;

	if (*s == '[') {
		end = strchr(s, ']');
		if (end == NULL || end[1] != '\0') {
			return set_cause(why, "expected 'key = value' or "
					      "'[section]'");
		}
		*end = '\0';
		s = config_trim(s + 1);
		for (i = 0;
		     i < sizeof config_sections / sizeof *config_sections;
		     i++) {
			if (strcmp(s, config_sections[i]) == 0) {
				st->section = config_sections[i];
				return 0;
			}
		}
		shown = config_shown(s);
		set_cause(why, "unknown section [%s]", shown);
		free(shown);
		return -1;
	}

	eq = strchr(s, '=');
	if (eq == NULL)
		return set_cause(why, "expected 'key = value' or '[section]'");
	*eq = '\0';
	key = config_trim(s);
	value = config_trim(eq + 1);
	if (*key == '\0')
		return set_cause(why, "expected 'key = value' or '[section]'");

	if (st->section == NULL) {
		shown = config_shown(key);
		set_cause(why, "key '%s' before any [section]", shown);
		free(shown);
		return -1;
	}
	for (i = 0; i < CONFIG_N_KEYS; i++) {
		k = &config_keys[i];
		if (strcmp(k->section, st->section) == 0 &&
		    strcmp(k->name, key) == 0)
			break;
	}
	if (i == CONFIG_N_KEYS) {
		shown = config_shown(key);
		set_cause(why, "unknown key '%s' in [%s]", shown, st->section);
		free(shown);
		return -1;
	}
	if (st->seen[i] != 0) {
		return set_cause(why,
				 "duplicate key '%s' in [%s] (first set on "
				 "line %u)",
				 k->name, k->section, st->seen[i]);
	}

	if (config_unquote(value, why) != 0)
		return -1;
	rc = k->set(c, k, value, why);
	if (rc != 0)
		return -1;
	st->seen[i] = st->lineno;
	if (k->secret && *value != '\0')
		st->has_secret = 1;
	return 0;
}

void
config_defaults(struct config *c)
{
	memset(c, 0, sizeof *c);
	c->adapter = xstrdup("console");
	c->database = xstrdup("./var/lihui.db");
	c->bot_name = xstrdup("lihui");
	c->max_text = 4000;
	c->minutes_dir = xstrdup("minutes");
	c->locale = xstrdup("en");
	c->timezone = xstrdup("UTC");
	c->sections = SECTION_ALL;
	c->meeting_wday = 1;
	c->meeting_minute = 10 * 60;
	c->meeting_length = 60;
	c->review_minutes = 10;
	c->meeting_timeout = 4;
	c->agenda_before = 30;
	c->action_remind_minute = 9 * 60;
	c->overdue_escalate = 3;
	c->quiet_start = 22 * 60;
	c->quiet_end = 8 * 60;
	c->catch_up_grace = 120;
	c->window.kind = RECUR_OFFSET_WEEKDAY;
	c->window.wday = 5;
	c->window.minute = 16 * 60;
	c->reminds[0].kind = RECUR_OFFSET_WEEKDAY;
	c->reminds[0].wday = 1;
	c->reminds[0].minute = 9 * 60;
	c->n_reminds = 1;
	c->channel_name = xstrdup("console");
	c->trigger_report = xstrdup("report");
	c->trigger_agenda = xstrdup("agenda");
	c->trigger_meeting = xstrdup("meeting");
	c->trigger_action = xstrdup("action");
	c->mm_listen = xstrdup("127.0.0.1:8090");
	c->slack_mode = xstrdup("socket");
	c->slack_api_url = xstrdup("https://slack.com/api");
	c->slack_listen = xstrdup("127.0.0.1:8090");
}

int
config_parse(struct config *c, const char *name, const char *text, size_t len,
	     int *has_secret, char **cause)
{
	struct config_state st;
	char line[CONFIG_MAX_LINE + 1], *why = NULL;
	const char *start, *nl;
	size_t off = 0, n;
	unsigned lineno = 0;

	/* Room for one "first seen" line number per key. */
	_Static_assert(CONFIG_N_KEYS <= sizeof st.seen / sizeof st.seen[0],
		       "config_state.seen is too small");

	memset(&st, 0, sizeof st);
	if (has_secret != NULL)
		*has_secret = 0;
	if (len > CONFIG_MAX_SIZE) {
		return set_cause(cause, "%s: larger than %d bytes", name,
				 CONFIG_MAX_SIZE);
	}
	/* Some editors start UTF-8 files with a byte order mark. */
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		off = 3;

	while (off < len) {
		start = text + off;
		nl = memchr(start, '\n', len - off);
		n = nl != NULL ? (size_t)(nl - start) : len - off;
		off += n + (nl != NULL ? 1 : 0);
		st.lineno = ++lineno;
		if (n > 0 && start[n - 1] == '\r')
			n--;
		if (n > CONFIG_MAX_LINE) {
			return set_cause(cause,
					 "%s:%u: line longer than %d bytes",
					 name, lineno, CONFIG_MAX_LINE);
		}
		memcpy(line, start, n);
		line[n] = '\0';
		if (config_line(c, &st, line, n, &why) != 0) {
			set_cause(cause, "%s:%u: %s", name, lineno, why);
			free(why);
			return -1;
		}
	}
	if (has_secret != NULL)
		*has_secret = st.has_secret;
	return 0;
}

int
config_finish(struct config *c, char **cause)
{
	const struct config_env *e;
	const char *v, *a, *b;
	const char *names[] = { "report", "agenda", "meeting", "action" };
	const char *words[4];
	size_t i, j;

	for (i = 0; i < sizeof config_envs / sizeof config_envs[0]; i++) {
		e = &config_envs[i];
		v = getenv(e->env);
		if (v == NULL || *v == '\0')
			continue;
		if (config_secret_ok(e->env, v, e->prefix, cause) != 0)
			return -1;
		config_replace(config_str(c, e->field), xstrdup(v));
		log_debug("taking %s from %s", e->key, e->env);
	}

	if (c->adapter == NULL)
		BUG("config_finish() before config_defaults()");
	if (strcmp(c->adapter, "mattermost") == 0) {
		if (c->mm_url == NULL) {
			return set_cause(cause,
					 "adapter 'mattermost' needs url "
					 "in [mattermost]");
		}
		if (c->mm_token == NULL) {
			return set_cause(cause,
					 "adapter 'mattermost' needs token in "
					 "[mattermost] or "
					 "LIHUI_MATTERMOST_TOKEN");
		}
		if (c->mm_command_token == NULL) {
			return set_cause(cause,
					 "adapter 'mattermost' needs "
					 "command_token in [mattermost] or "
					 "LIHUI_MATTERMOST_COMMAND_TOKEN");
		}
	} else if (strcmp(c->adapter, "slack") == 0) {
		if (c->slack_bot_token == NULL) {
			return set_cause(cause,
					 "adapter 'slack' needs bot_token in "
					 "[slack] or LIHUI_SLACK_BOT_TOKEN");
		}
		if (c->slack_api_url == NULL) {
			return set_cause(cause,
					 "adapter 'slack' needs api_url in "
					 "[slack]");
		}
		if (strcmp(c->slack_mode, "socket") == 0 &&
		    c->slack_app_token == NULL) {
			return set_cause(cause,
					 "adapter 'slack' in mode socket needs "
					 "app_token in [slack] or "
					 "LIHUI_SLACK_APP_TOKEN");
		}
		if (strcmp(c->slack_mode, "http") == 0 &&
		    c->slack_signing_secret == NULL) {
			return set_cause(cause,
					 "adapter 'slack' in mode http needs "
					 "signing_secret in [slack] or "
					 "LIHUI_SLACK_SIGNING_SECRET");
		}
	}

	words[0] = c->trigger_report;
	words[1] = c->trigger_agenda;
	words[2] = c->trigger_meeting;
	words[3] = c->trigger_action;
	for (i = 0; i < 4; i++) {
		for (j = i + 1; j < 4; j++) {
			a = words[i];
			b = words[j];
			if (a != NULL && b != NULL && strcmp(a, b) == 0) {
				return set_cause(
				    cause,
				    "[commands] %s and %s are both "
				    "'%s'",
				    names[i], names[j], a);
			}
		}
	}
	return 0;
}

int
config_load(struct config *c, const char *path, char **cause)
{
	struct stat st;
	char *text = NULL, *why = NULL;
	size_t len = 0;
	ssize_t r;
	int fd, has_secret = 0, rc = -1;

	/* O_NONBLOCK: a FIFO must not hang start-up; it is refused below. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd == -1)
		return set_cause(cause, "%s: cannot open: %s", path,
				 strerror(errno));
	if (fstat(fd, &st) != 0) {
		set_cause(cause, "%s: cannot stat: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		set_cause(cause, "%s: not a regular file", path);
		goto out;
	}
	if (st.st_size > CONFIG_MAX_SIZE) {
		set_cause(cause, "%s: larger than %d bytes", path,
			  CONFIG_MAX_SIZE);
		goto out;
	}
	/* Read one byte more than allowed, in case the file grew. */
	text = xmalloc(CONFIG_MAX_SIZE + 1);
	while (len < CONFIG_MAX_SIZE + 1) {
		r = read(fd, text + len, CONFIG_MAX_SIZE + 1 - len);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			set_cause(cause, "%s: cannot read: %s", path,
				  strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	if (len > CONFIG_MAX_SIZE) {
		set_cause(cause, "%s: larger than %d bytes", path,
			  CONFIG_MAX_SIZE);
		goto out;
	}
	if (config_parse(c, path, text, len, &has_secret, cause) != 0)
		goto out;
	if (has_secret && (st.st_mode & 077) != 0) {
		set_cause(cause,
			  "%s: holds a secret but is readable by group or "
			  "others (chmod 600 %s)",
			  path, path);
		goto out;
	}
	if (config_finish(c, &why) != 0) {
		set_cause(cause, "%s: %s", path, why);
		goto out;
	}
	rc = 0;
out:
	free(why);
	free(text);
	close(fd);
	return rc;
}

void
config_release(struct config *c)
{
	size_t i;

	free(c->adapter);
	free(c->database);
	free(c->bot_name);
	free(c->minutes_dir);
	free(c->locale);
	free(c->timezone);
	free(c->channel_name);
	free(c->schedule);
	free(c->skip);
	for (i = 0; i < c->n_admins && i < CONFIG_MAX_ADMINS; i++)
		free(c->admins[i]);
	free(c->trigger_report);
	free(c->trigger_agenda);
	free(c->trigger_meeting);
	free(c->trigger_action);
	free(c->mm_url);
	free(c->mm_token);
	free(c->mm_team);
	free(c->mm_listen);
	free(c->mm_command_token);
	free(c->mm_command_url);
	free(c->mm_ca_file);
	free(c->slack_bot_token);
	free(c->slack_app_token);
	free(c->slack_signing_secret);
	free(c->slack_mode);
	free(c->slack_api_url);
	free(c->slack_ca_file);
	free(c->slack_listen);
	memset(c, 0, sizeof *c);
}

char *
config_minutes_dir(const struct config *c)
{
	const char *db = c->database, *slash;

	if (c->minutes_dir == NULL || *c->minutes_dir == '\0')
		return NULL;
	if (c->minutes_dir[0] == '/')
		return xstrdup(c->minutes_dir);
	if (db == NULL || *db == '\0' || strcmp(db, ":memory:") == 0)
		return NULL;
	slash = strrchr(db, '/');
	if (slash == NULL)
		return xstrdup(c->minutes_dir);
	if (slash == db)
		return xasprintf("/%s", c->minutes_dir);
	return xasprintf("%.*s/%s", (int)(slash - db), db, c->minutes_dir);
}
