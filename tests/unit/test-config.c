/* SPDX-License-Identifier: MIT */
/*
 * test-config.c: the configuration loader (src/config.c): every key's good
 * and bad values, every error message with its "file:line:" prefix, the
 * limits, quoting, line endings, UTF-8, secrets (permissions, environment,
 * never in a message) and config/lihui.conf.example, as shipped and with
 * every key uncommented. Run from the top of the source tree.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lihui/config.h"
#include "lihui/store.h"

#define EXAMPLE "config/lihui.conf.example"
/* Appears in bad secrets; must never appear in a message. */
#define MARK "s3cr3tVALUE"

enum field_kind {
	FK_STR,
	FK_SIZE,
	FK_INT,
	FK_UINT,
	FK_ADMINS,
	FK_WINDOW,
	FK_REMINDS
};

/* Every key of the file and where it lands in struct config. */
static const struct {
	const char *section;
	const char *key;
	enum field_kind kind;
	size_t field;
	int secret;
} keys[] = {
	{ "lihui", "adapter", FK_STR, offsetof(struct config, adapter), 0 },
	{ "lihui", "database", FK_STR, offsetof(struct config, database), 0 },
	{ "lihui", "bot_name", FK_STR, offsetof(struct config, bot_name), 0 },
	{ "lihui", "max_text", FK_SIZE, offsetof(struct config, max_text), 0 },
	{ "lihui", "catch_up_grace", FK_INT,
	  offsetof(struct config, catch_up_grace), 0 },
	{ "lihui", "minutes_dir", FK_STR, offsetof(struct config, minutes_dir),
	  0 },
	{ "channel", "locale", FK_STR, offsetof(struct config, locale), 0 },
	{ "channel", "timezone", FK_STR, offsetof(struct config, timezone), 0 },
	{ "channel", "sections", FK_UINT, offsetof(struct config, sections),
	  0 },
	{ "channel", "meeting_day", FK_INT,
	  offsetof(struct config, meeting_wday), 0 },
	{ "channel", "meeting_time", FK_INT,
	  offsetof(struct config, meeting_minute), 0 },
	{ "channel", "meeting_length", FK_INT,
	  offsetof(struct config, meeting_length), 0 },
	{ "channel", "review_minutes", FK_INT,
	  offsetof(struct config, review_minutes), 0 },
	{ "channel", "meeting_timeout", FK_INT,
	  offsetof(struct config, meeting_timeout), 0 },
	{ "channel", "agenda_before", FK_INT,
	  offsetof(struct config, agenda_before), 0 },
	{ "channel", "action_remind_time", FK_INT,
	  offsetof(struct config, action_remind_minute), 0 },
	{ "channel", "overdue_escalate", FK_INT,
	  offsetof(struct config, overdue_escalate), 0 },
	{ "channel", "quiet_start", FK_INT,
	  offsetof(struct config, quiet_start), 0 },
	{ "channel", "quiet_end", FK_INT, offsetof(struct config, quiet_end),
	  0 },
	{ "channel", "window_open", FK_WINDOW, 0, 0 },
	{ "channel", "remind_at", FK_REMINDS, 0, 0 },
	{ "channel", "schedule", FK_STR, offsetof(struct config, schedule), 0 },
	{ "channel", "skip", FK_STR, offsetof(struct config, skip), 0 },
	{ "channel", "name", FK_STR, offsetof(struct config, channel_name), 0 },
	{ "channel", "admins", FK_ADMINS, 0, 0 },
	{ "commands", "report", FK_STR, offsetof(struct config, trigger_report),
	  0 },
	{ "commands", "agenda", FK_STR, offsetof(struct config, trigger_agenda),
	  0 },
	{ "commands", "meeting", FK_STR,
	  offsetof(struct config, trigger_meeting), 0 },
	{ "commands", "action", FK_STR, offsetof(struct config, trigger_action),
	  0 },
	{ "mattermost", "url", FK_STR, offsetof(struct config, mm_url), 0 },
	{ "mattermost", "token", FK_STR, offsetof(struct config, mm_token), 1 },
	{ "mattermost", "team", FK_STR, offsetof(struct config, mm_team), 0 },
	{ "mattermost", "listen", FK_STR, offsetof(struct config, mm_listen),
	  0 },
	{ "mattermost", "command_token", FK_STR,
	  offsetof(struct config, mm_command_token), 1 },
	{ "mattermost", "command_url", FK_STR,
	  offsetof(struct config, mm_command_url), 0 },
	{ "mattermost", "ca_file", FK_STR, offsetof(struct config, mm_ca_file),
	  0 },
	{ "mattermost", "insecure_tls", FK_INT,
	  offsetof(struct config, mm_insecure_tls), 0 },
	{ "slack", "bot_token", FK_STR,
	  offsetof(struct config, slack_bot_token), 1 },
	{ "slack", "app_token", FK_STR,
	  offsetof(struct config, slack_app_token), 1 },
	{ "slack", "signing_secret", FK_STR,
	  offsetof(struct config, slack_signing_secret), 1 },
	{ "slack", "mode", FK_STR, offsetof(struct config, slack_mode), 0 },
	{ "slack", "api_url", FK_STR, offsetof(struct config, slack_api_url),
	  0 },
	{ "slack", "ca_file", FK_STR, offsetof(struct config, slack_ca_file),
	  0 },
	{ "slack", "insecure_tls", FK_INT,
	  offsetof(struct config, slack_insecure_tls), 0 },
	{ "slack", "listen", FK_STR, offsetof(struct config, slack_listen), 0 },
};
#define N_KEYS (sizeof keys / sizeof keys[0])

static const char *const envs[] = {
	"LIHUI_MATTERMOST_TOKEN",     "LIHUI_MATTERMOST_COMMAND_TOKEN",
	"LIHUI_SLACK_BOT_TOKEN",      "LIHUI_SLACK_APP_TOKEN",
	"LIHUI_SLACK_SIGNING_SECRET",
};

static void
clear_env(void)
{
	size_t i;

	for (i = 0; i < sizeof envs / sizeof envs[0]; i++)
		unsetenv(envs[i]);
}

/*
 * Index of key in keys[]: the first of that name, or "section.key" for a
 * name more sections have; fails the test if there is none.
 */
static size_t
key_index(const char *key)
{
	const char *dot = strchr(key, '.');
	size_t i;

	for (i = 0; i < N_KEYS; i++) {
		if (dot == NULL && strcmp(keys[i].key, key) == 0)
			return i;
		if (dot != NULL &&
		    strlen(keys[i].section) == (size_t)(dot - key) &&
		    strncmp(keys[i].section, key, (size_t)(dot - key)) == 0 &&
		    strcmp(keys[i].key, dot + 1) == 0)
			return i;
	}
	fail_msg("no key '%s' in the test's table", key);
	return 0;
}

/* The value behind key as text ("(unset)" for NULL); caller frees. */
static char *
field_str(const struct config *c, size_t i)
{
	const char *base = (const char *)c + keys[i].field;
	char *s, *p;
	size_t n, len = 1;
	const char *v;

	switch (keys[i].kind) {
	case FK_STR:
		memcpy(&v, base, sizeof v);
		return strdup(v == NULL ? "(unset)" : v);
	case FK_SIZE:
		n = 0;
		memcpy(&n, base, sizeof n);
		s = malloc(32);
		snprintf(s, 32, "%zu", n);
		return s;
	case FK_INT:
		s = malloc(32);
		snprintf(s, 32, "%d", *(const int *)(const void *)base);
		return s;
	case FK_UINT:
		s = malloc(32);
		snprintf(s, 32, "%u", *(const unsigned *)(const void *)base);
		return s;
	case FK_ADMINS:
		for (n = 0; n < c->n_admins; n++)
			len += strlen(c->admins[n]) + 1;
		s = p = calloc(1, len);
		for (n = 0; n < c->n_admins; n++) {
			p += snprintf(p, len - (size_t)(p - s), "%s%s",
				      n > 0 ? "," : "", c->admins[n]);
		}
		return s;
	case FK_WINDOW:
		s = calloc(1, RECUR_OFFSET_FORMAT_SIZE);
		if (c->window_off)
			snprintf(s, RECUR_OFFSET_FORMAT_SIZE, "off");
		else
			recur_offset_format(&c->window, s,
					    RECUR_OFFSET_FORMAT_SIZE);
		return s;
	case FK_REMINDS:
		s = p = calloc(CONFIG_MAX_REMINDS + 1,
			       RECUR_OFFSET_FORMAT_SIZE + 1);
		for (n = 0; n < c->n_reminds; n++) {
			if (n > 0)
				*p++ = ',';
			recur_offset_format(&c->reminds[n], p,
					    RECUR_OFFSET_FORMAT_SIZE);
			p += strlen(p);
		}
		if (c->n_reminds == 0)
			snprintf(s, 4, "off");
		return s;
	}
	return NULL;
}

/* Defaults, then text parsed as "t.conf". */
static int
parse(struct config *c, const char *text, size_t len, int *has_secret,
      char **cause)
{
	config_defaults(c);
	*cause = NULL;
	return config_parse(c, "t.conf", text, len, has_secret, cause);
}

/* Assert that every key of c holds its default. */
static void
assert_all_defaults(const struct config *c)
{
	struct config d;
	char *got, *want;
	size_t i;

	config_defaults(&d);
	for (i = 0; i < N_KEYS; i++) {
		got = field_str(c, i);
		want = field_str(&d, i);
		if (strcmp(got, want) != 0)
			fail_msg("%s: got '%s', want '%s'", keys[i].key, got,
				 want);
		free(got);
		free(want);
	}
	config_release(&d);
}

/* Write text to a new file path with exactly mode (whatever the umask). */
static void
write_file(const char *path, const char *text, size_t len, mode_t mode)
{
	int fd;

	/* A new file each time: the last one may be read-only. */
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	assert_int_equal(fchmod(fd, mode), 0);
	assert_int_equal(close(fd), 0);
}

/* A fresh temporary directory; caller frees the name. */
static char *
temp_dir(void)
{
	const char *tmp = getenv("TMPDIR");
	char *dir = malloc(4096);

	snprintf(dir, 4096, "%s/lihui-test-config-XXXXXX",
		 tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	assert_non_null(mkdtemp(dir));
	return dir;
}

/* Read a whole (small) file; caller frees. */
static char *
read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *s = malloc(CONFIG_MAX_SIZE + 1);

	if (f == NULL)
		fail_msg("cannot open %s (run from the source tree)", path);
	*len = fread(s, 1, CONFIG_MAX_SIZE, f);
	s[*len] = '\0';
	fclose(f);
	return s;
}

static void
test_defaults(void **state)
{
	struct config c;
	char *cause = NULL;

	(void)state;
	clear_env();
	config_defaults(&c);
	assert_string_equal(c.adapter, "console");
	assert_string_equal(c.database, "./var/lihui.db");
	assert_string_equal(c.bot_name, "lihui");
	assert_int_equal(c.max_text, 4000);
	assert_string_equal(c.locale, "en");
	assert_string_equal(c.timezone, "UTC");
	assert_int_equal(c.sections, SECTION_ALL);
	assert_int_equal(c.meeting_wday, 1);
	assert_int_equal(c.meeting_minute, 600);
	assert_int_equal(c.meeting_length, 60);
	assert_int_equal(c.review_minutes, 10);
	assert_int_equal(c.meeting_timeout, 4);
	assert_string_equal(c.channel_name, "console");
	assert_int_equal(c.n_admins, 0);
	assert_string_equal(c.trigger_report, "report");
	assert_string_equal(c.trigger_agenda, "agenda");
	assert_string_equal(c.trigger_meeting, "meeting");
	assert_string_equal(c.trigger_action, "action");
	assert_null(c.mm_url);
	assert_null(c.mm_token);
	assert_null(c.mm_team);
	assert_string_equal(c.mm_listen, "127.0.0.1:8090");
	assert_null(c.mm_command_token);
	assert_null(c.mm_ca_file);
	assert_int_equal(c.mm_insecure_tls, 0);
	assert_null(c.slack_bot_token);
	assert_null(c.slack_app_token);
	assert_null(c.slack_signing_secret);
	assert_string_equal(c.slack_mode, "socket");
	assert_string_equal(c.slack_api_url, "https://slack.com/api");
	assert_null(c.slack_ca_file);
	assert_int_equal(c.slack_insecure_tls, 0);
	assert_string_equal(c.slack_listen, "127.0.0.1:8090");
	assert_int_equal(config_finish(&c, &cause), 0);
	assert_null(cause);
	config_release(&c);
}

/* Release frees everything, may be repeated, and the struct is reusable. */
static void
test_release_reuse(void **state)
{
	static const char text[] = "[channel]\nadmins = a b c\n"
				   "[mattermost]\nurl = https://x\n"
				   "token = t\nteam = t\n"
				   "listen = [::1]:9000\ncommand_token = c\n"
				   "ca_file = /etc/ca.pem\ninsecure_tls = yes\n"
				   "[slack]\nbot_token = xoxb-1\n"
				   "app_token = xapp-1\nsigning_secret = s\n"
				   "mode = http\napi_url = http://127.0.0.1:1\n"
				   "ca_file = /etc/ca.pem\ninsecure_tls = 1\n"
				   "listen = [::1]:9001\n";
	struct config c, zero;
	char *cause = NULL;
	int i, has_secret;

	(void)state;
	memset(&zero, 0, sizeof zero);
	for (i = 0; i < 2; i++) {
		assert_int_equal(
		    parse(&c, text, strlen(text), &has_secret, &cause), 0);
		assert_int_equal(c.n_admins, 3);
		config_release(&c);
		assert_memory_equal(&c, &zero, sizeof c);
		config_release(&c);
	}
	/* has_secret may be NULL. */
	config_defaults(&c);
	assert_int_equal(
	    config_parse(&c, "t", text, strlen(text), NULL, &cause), 0);
	config_release(&c);
}

/* One key set to one value: want is the stored value, or NULL to fail. */
static const struct {
	const char *key;
	const char *value;
	const char *want; /* NULL: must fail */
	const char *err;  /* failing: text the message must contain */
} value_cases[] = {
	{ "adapter", "console", "console", NULL },
	{ "schedule", "every 2 weeks tue 14:00 45m",
	  "every 2 weeks tue 14:00 45m", NULL },
	{ "schedule", "每月第一个周一 10:00 Asia/Shanghai",
	  "每月第一个周一 10:00 Asia/Shanghai", NULL },
	{ "schedule", "every 2 fortnights", NULL,
	  "invalid schedule 'every 2 fortnights': 'every 2' needs days, "
	  "weeks or months after it" },
	{ "schedule", "mon", NULL, "invalid schedule 'mon': " },
	{ "skip", "2026-12-25", "2026-12-25", NULL },
	{ "skip", "2026-12-25, 2027-01-01,2027-01-02",
	  "2026-12-25,2027-01-01,2027-01-02", NULL },
	{ "skip", "none", "(unset)", NULL },
	{ "schedule", "none", "(unset)", NULL },
	{ "skip", "2026-12-25,", NULL,
	  "invalid skip '2026-12-25,': want up to 64 dates YYYY-MM-DD" },
	{ "skip", "2026-02-30", NULL, "invalid skip '2026-02-30'" },
	{ "skip", "12-25", NULL, "invalid skip '12-25'" },
	{ "remind_at", "mon 09:00， sun 20:00", "mon 09:00,sun 20:00", NULL },
	{ "remind_at", "mon 09:00,,sun 20:00", NULL,
	  "invalid remind_at 'mon 09:00,,sun 20:00': want 1 to 4 times" },
	{ "window_open", "off", "off", NULL },
	{ "window_open", "fri 25:00", NULL, "invalid window_open 'fri 25:00'" },
	{ "adapter", "mattermost", "mattermost", NULL },
	{ "adapter", "slack", "slack", NULL },
	{ "adapter", "Slack", NULL,
	  "invalid adapter 'Slack': want console, mattermost or slack" },
	{ "adapter", "irc", NULL, "invalid adapter 'irc'" },
	{ "adapter", "", NULL, "invalid adapter ''" },

	{ "database", "/var/lib/lihui/lihui.db", "/var/lib/lihui/lihui.db",
	  NULL },
	{ "database", "my db.sqlite", "my db.sqlite", NULL },
	{ "database", "", NULL, "invalid database '': want a file path" },

	{ "bot_name", "lihui-2.bot_x", "lihui-2.bot_x", NULL },
	{ "bot_name", "b", "b", NULL },
	{ "bot_name",
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	  NULL },
	{ "bot_name",
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	  NULL, "invalid bot_name" },
	{ "bot_name", "Lihui", NULL,
	  "invalid bot_name 'Lihui': want 1 to 64 of a-z, 0-9, '.', '_' and "
	  "'-'" },
	{ "bot_name", "li hui", NULL, "invalid bot_name 'li hui'" },
	{ "bot_name", "", NULL, "invalid bot_name ''" },

	{ "max_text", "100", "100", NULL },
	{ "max_text", "16000", "16000", NULL },
	{ "max_text", "0400", "400", NULL },
	{ "max_text", "99", NULL,
	  "invalid max_text '99': want an integer from 100 to 16000" },
	{ "max_text", "16001", NULL, "invalid max_text '16001'" },
	{ "max_text", "-4000", NULL, "invalid max_text '-4000'" },
	{ "max_text", "+4000", NULL, "invalid max_text '+4000'" },
	{ "max_text", "4000x", NULL, "invalid max_text '4000x'" },
	{ "max_text", "4000 5", NULL, "invalid max_text '4000 5'" },
	{ "max_text", "0x400", NULL, "invalid max_text '0x400'" },
	{ "max_text", "99999999999999999999999", NULL,
	  "invalid max_text '99999999999999999999999'" },
	{ "max_text", "", NULL, "invalid max_text ''" },

	{ "locale", "en", "en", NULL },
	{ "locale", "zh_CN", "zh_CN", NULL },
	{ "locale", "zh", "zh_CN", NULL },
	{ "locale", "zh-CN", "zh_CN", NULL },
	{ "locale", "fr", NULL, "invalid locale 'fr': want en or zh_CN" },
	{ "locale", "", NULL, "invalid locale ''" },

	{ "timezone", "UTC", "UTC", NULL },
	{ "timezone", "Asia/Shanghai", "Asia/Shanghai", NULL },
	{ "timezone", "Europe/Berlin", "Europe/Berlin", NULL },
	{ "timezone", "Mars/Olympus_Mons", NULL,
	  "invalid timezone 'Mars/Olympus_Mons': want an installed IANA zone" },
	{ "timezone", "../../etc/passwd", NULL, "invalid timezone" },
	{ "timezone", "", NULL, "invalid timezone ''" },

	{ "sections", "done", "1", NULL },
	{ "sections", "done,plan", "3", NULL },
	{ "sections", "need metric", "24", NULL },
	{ "sections", "blocker", "4", NULL },
	{ "sections", "done, plan, blocker, metric, need", "31", NULL },
	{ "sections", ",, done ,,\tplan,", "3", NULL },
	{ "sections", "done,done", "1", NULL },
	{ "sections", "done,foo", NULL,
	  "invalid sections 'foo': want a list of done, plan, blocker, metric "
	  "and need" },
	{ "sections", "DONE", NULL, "invalid sections 'DONE'" },
	{ "sections", "", NULL,
	  "invalid sections '': want at least one of done, plan" },
	{ "sections", " , ,", NULL, "want at least one of" },

	{ "meeting_day", "sun", "0", NULL },
	{ "meeting_day", "mon", "1", NULL },
	{ "meeting_day", "Tuesday", "2", NULL },
	{ "meeting_day", "wed", "3", NULL },
	{ "meeting_day", "thursday", "4", NULL },
	{ "meeting_day", "FRI", "5", NULL },
	{ "meeting_day", "saturday", "6", NULL },
	{ "meeting_day", "sunday", "0", NULL },
	{ "meeting_day", "mo", NULL,
	  "invalid meeting_day 'mo': want mon..sun or monday..sunday" },
	{ "meeting_day", "1", NULL, "invalid meeting_day '1'" },
	{ "meeting_day", "mondays", NULL, "invalid meeting_day 'mondays'" },
	{ "meeting_day", "", NULL, "invalid meeting_day ''" },

	{ "meeting_time", "10:00", "600", NULL },
	{ "meeting_time", "00:00", "0", NULL },
	{ "meeting_time", "0:00", "0", NULL },
	{ "meeting_time", "9:30", "570", NULL },
	{ "meeting_time", "23:59", "1439", NULL },
	{ "meeting_time", "24:00", NULL,
	  "invalid meeting_time '24:00': want HH:MM from 00:00 to 23:59" },
	{ "meeting_time", "12:60", NULL, "invalid meeting_time '12:60'" },
	{ "meeting_time", "12:5", NULL, "invalid meeting_time '12:5'" },
	{ "meeting_time", "123:00", NULL, "invalid meeting_time '123:00'" },
	{ "meeting_time", "1200", NULL, "invalid meeting_time '1200'" },
	{ "meeting_time", "12:00pm", NULL, "invalid meeting_time '12:00pm'" },
	{ "meeting_time", "-1:00", NULL, "invalid meeting_time '-1:00'" },
	{ "meeting_time", ":30", NULL, "invalid meeting_time ':30'" },
	{ "meeting_time", "", NULL, "invalid meeting_time ''" },

	{ "meeting_length", "5", "5", NULL },
	{ "meeting_length", "600", "600", NULL },
	{ "meeting_length", "4", NULL,
	  "invalid meeting_length '4': want an integer from 5 to 600" },
	{ "meeting_length", "601", NULL, "invalid meeting_length '601'" },
	{ "meeting_length", "1h", NULL, "invalid meeting_length '1h'" },
	{ "meeting_length", "", NULL, "invalid meeting_length ''" },

	{ "review_minutes", "0", "0", NULL },
	{ "review_minutes", "120", "120", NULL },
	{ "review_minutes", "-1", NULL,
	  "invalid review_minutes '-1': want an integer from 0 to 120" },
	{ "review_minutes", "121", NULL, "invalid review_minutes '121'" },
	{ "review_minutes", "ten", NULL, "invalid review_minutes 'ten'" },

	{ "meeting_timeout", "1", "1", NULL },
	{ "meeting_timeout", "48", "48", NULL },
	{ "meeting_timeout", "0", NULL,
	  "invalid meeting_timeout '0': want an integer from 1 to 48" },
	{ "meeting_timeout", "49", NULL, "invalid meeting_timeout '49'" },

	{ "name", "ops-weekly", "ops-weekly", NULL },
	{ "name", "周会", "周会", NULL },
	{ "name", "team sync", "team sync", NULL },
	{ "name", "", NULL, "invalid name '': want 1 to 64 characters" },

	{ "admins", "alice", "alice", NULL },
	{ "admins", "alice, bob\tcarol", "alice,bob,carol", NULL },
	{ "admins", "Alice.B_c-1,alice", "Alice.B_c-1,alice", NULL },
	{ "admins", "alice,alice bob", "alice,bob", NULL },
	{ "admins", "", "", NULL },
	{ "admins", "@alice", NULL,
	  "invalid admins: write '@alice' without '@'" },
	{ "admins", "bob, @alice", NULL, "write '@alice' without '@'" },
	{ "admins", "al!ce", NULL,
	  "invalid admins: 'al!ce' is not a user name (want 1 to 64 of A-Z, "
	  "a-z, 0-9, '.', '_' and '-')" },
	{ "admins", "李雷", NULL, "invalid admins: '李雷' is not a user name" },

	{ "report", "r", "r", NULL },
	{ "report", "rep_2-x", "rep_2-x", NULL },
	{ "report", "zhoubao", "zhoubao", NULL },
	{ "report", "lihui", NULL,
	  "invalid report 'lihui': want another word ('/lihui' is always the "
	  "bot's own command)" },
	{ "report", "Report", NULL,
	  "invalid report 'Report': want 1 to 32 of a-z, 0-9, '_' and '-'" },
	{ "report", "re.port", NULL, "invalid report 're.port'" },
	{ "report", "/report", NULL, "invalid report '/report'" },
	{ "report", "", NULL, "invalid report ''" },
	{ "agenda", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", NULL },
	{ "agenda", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", NULL,
	  "invalid agenda" },
	{ "meeting", "mtg", "mtg", NULL },
	{ "meeting", "lihui", NULL, "invalid meeting 'lihui'" },
	{ "action", "todo", "todo", NULL },
	{ "action", "to do", NULL, "invalid action 'to do'" },

	{ "url", "https://chat.example.com", "https://chat.example.com", NULL },
	{ "url", "http://localhost:8065/", "http://localhost:8065/", NULL },
	{ "url", "", "(unset)", NULL },
	{ "url", "chat.example.com", NULL,
	  "invalid url 'chat.example.com': want http://host or https://host" },
	{ "url", "ftp://chat.example.com", NULL, "invalid url" },
	{ "url", "https://", NULL, "invalid url 'https://'" },
	{ "url", "https:///path", NULL, "invalid url" },
	{ "url", "https://a b", NULL, "want a URL without spaces" },

	{ "token", "abc123-def", "abc123-def", NULL },
	{ "token", "", "(unset)", NULL },
	{ "token", "abc def", NULL,
	  "invalid token: want printable ASCII without spaces" },
	{ "token", "tökén", NULL, "invalid token: want printable ASCII" },
	{ "command_url", "https://lihui.example.com/command",
	  "https://lihui.example.com/command", NULL },
	{ "command_url", "lihui.example.com/command", NULL,
	  "invalid command_url" },
	{ "team", "eng", "eng", NULL },
	{ "team", "研发 team", "研发 team", NULL },
	{ "team", "", "(unset)", NULL },

	{ "listen", "127.0.0.1:8090", "127.0.0.1:8090", NULL },
	{ "listen", "0.0.0.0:1", "0.0.0.0:1", NULL },
	{ "listen", "10.1.2.3:65535", "10.1.2.3:65535", NULL },
	{ "listen", "[::1]:8090", "[::1]:8090", NULL },
	{ "listen", "[::]:80", "[::]:80", NULL },
	{ "listen", "127.0.0.1", NULL,
	  "invalid listen '127.0.0.1': want address:port such as "
	  "127.0.0.1:8090 or [::1]:8090" },
	{ "listen", "127.0.0.1:0", "127.0.0.1:0", NULL },
	{ "listen", "127.0.0.1:65536", NULL,
	  "invalid listen '127.0.0.1:65536'" },
	{ "listen", "127.0.0.1:-1", NULL, "invalid listen" },
	{ "listen", "127.0.0.1:80x", NULL, "invalid listen" },
	{ "listen", "127.0.0.1:", NULL, "invalid listen" },
	{ "listen", ":8090", NULL, "invalid listen ':8090'" },
	{ "listen", "localhost:8090", NULL, "invalid listen 'localhost:8090'" },
	{ "listen", "::1:8090", NULL, "invalid listen '::1:8090'" },
	{ "listen", "[127.0.0.1]:8090", NULL, "invalid listen" },
	{ "listen", "[]:8090", NULL, "invalid listen" },
	{ "listen", "256.0.0.1:8090", NULL, "invalid listen" },
	{ "listen", "", NULL, "invalid listen ''" },

	{ "command_token", "xyz789abc", "xyz789abc", NULL },
	{ "command_token", "", "(unset)", NULL },
	{ "command_token", "ab cd", NULL,
	  "invalid command_token: want printable ASCII without spaces" },
	{ "command_token", "tökén", NULL, "invalid command_token" },

	{ "ca_file", "/etc/ssl/mm-ca.pem", "/etc/ssl/mm-ca.pem", NULL },
	{ "ca_file", "", "(unset)", NULL },

	{ "insecure_tls", "false", "0", NULL },
	{ "insecure_tls", "true", "1", NULL },
	{ "insecure_tls", "TRUE", "1", NULL },
	{ "insecure_tls", "yes", "1", NULL },
	{ "insecure_tls", "on", "1", NULL },
	{ "insecure_tls", "1", "1", NULL },
	{ "insecure_tls", "no", "0", NULL },
	{ "insecure_tls", "off", "0", NULL },
	{ "insecure_tls", "0", "0", NULL },
	{ "insecure_tls", "maybe", NULL,
	  "invalid insecure_tls 'maybe': want true or false" },
	{ "insecure_tls", "2", NULL, "invalid insecure_tls '2'" },
	{ "insecure_tls", "", NULL, "invalid insecure_tls ''" },

	{ "mode", "socket", "socket", NULL },
	{ "mode", "http", "http", NULL },
	{ "mode", "HTTP", NULL, "invalid mode 'HTTP': want socket or http" },
	{ "mode", "events", NULL, "invalid mode 'events'" },
	{ "mode", "", NULL, "invalid mode ''" },
	{ "api_url", "https://slack.com/api", "https://slack.com/api", NULL },
	{ "api_url", "http://127.0.0.1:9999/api", "http://127.0.0.1:9999/api",
	  NULL },
	{ "api_url", "", "(unset)", NULL },
	{ "api_url", "ftp://slack.com", NULL,
	  "invalid api_url 'ftp://slack.com': want http://host or "
	  "https://host" },
	{ "api_url", "https://", NULL, "invalid api_url" },
	{ "api_url", "https://slack .com", NULL, "invalid api_url" },
	{ "slack.ca_file", "/etc/ssl/slack.pem", "/etc/ssl/slack.pem", NULL },
	{ "slack.ca_file", "", "(unset)", NULL },
	{ "slack.insecure_tls", "true", "1", NULL },
	{ "slack.insecure_tls", "off", "0", NULL },
	{ "slack.insecure_tls", "maybe", NULL,
	  "invalid insecure_tls 'maybe': want true or false" },
	{ "slack.listen", "127.0.0.1:3000", "127.0.0.1:3000", NULL },
	{ "slack.listen", "[::1]:0", "[::1]:0", NULL },
	{ "slack.listen", "localhost:3000", NULL,
	  "invalid listen 'localhost:3000'" },
	{ "bot_token", "xoxb-1-2-abc", "xoxb-1-2-abc", NULL },
	{ "bot_token", "", "(unset)", NULL },
	{ "bot_token", "xoxp-1-2-abc", NULL,
	  "invalid bot_token: want a value starting with 'xoxb-'" },
	{ "bot_token", "xapp-1", NULL, "invalid bot_token" },
	{ "app_token", "xapp-1-A-2", "xapp-1-A-2", NULL },
	{ "app_token", "xoxb-1", NULL,
	  "invalid app_token: want a value starting with 'xapp-'" },
	{ "signing_secret", "8f742231b10e8888abcd99yyyzzz85a5",
	  "8f742231b10e8888abcd99yyyzzz85a5", NULL },
	{ "signing_secret", "\"8f74 2231\"", NULL,
	  "invalid signing_secret: want printable ASCII without spaces" },
};

static void
test_values(void **state)
{
	struct config c;
	char text[512], prefix[16], *cause, *got;
	size_t i, k;
	int rc, has_secret;

	(void)state;
	for (i = 0; i < sizeof value_cases / sizeof value_cases[0]; i++) {
		k = key_index(value_cases[i].key);
		snprintf(text, sizeof text, "[%s]\n%s = %s\n", keys[k].section,
			 keys[k].key, value_cases[i].value);
		rc = parse(&c, text, strlen(text), &has_secret, &cause);
		if (value_cases[i].want != NULL) {
			if (rc != 0)
				fail_msg("case %zu (%s): %s", i, text, cause);
			assert_null(cause);
			got = field_str(&c, k);
			if (strcmp(got, value_cases[i].want) != 0)
				fail_msg("case %zu (%s): got '%s'", i, text,
					 got);
			free(got);
			assert_int_equal(has_secret,
					 keys[k].secret &&
					     *value_cases[i].value != '\0');
		} else {
			if (rc != -1 || cause == NULL)
				fail_msg("case %zu (%s): no error", i, text);
			snprintf(prefix, sizeof prefix, "t.conf:2: ");
			if (strncmp(cause, prefix, strlen(prefix)) != 0 ||
			    strstr(cause, value_cases[i].err) == NULL)
				fail_msg("case %zu: got '%s', want '%s'", i,
					 cause, value_cases[i].err);
			/* A secret's value never appears in a message. */
			if (keys[k].secret)
				assert_null(
				    strstr(cause, value_cases[i].value + 1));
		}
		free(cause);
		cause = NULL;
		config_release(&c);
	}
}

/* Whole files that must fail, with the exact message. */
static const struct {
	const char *text;
	const char *want;
} error_cases[] = {
	{ "adapter = slack\n", "t.conf:1: key 'adapter' before any [section]" },
	{ "# c\n\n[lihui]\nfoo = 1\n",
	  "t.conf:4: unknown key 'foo' in [lihui]" },
	{ "[lihui]\ntimezone = UTC\n",
	  "t.conf:2: unknown key 'timezone' in [lihui]" },
	{ "[lihui]\nAdapter = console\n",
	  "t.conf:2: unknown key 'Adapter' in [lihui]" },
	{ "[slack]\ntoken = x\n", "t.conf:2: unknown key 'token' in [slack]" },
	{ "[nope]\nadapter = slack\n", "t.conf:1: unknown section [nope]" },
	{ "[lihui]\n[LIHUI]\n", "t.conf:2: unknown section [LIHUI]" },
	{ "[]\n", "t.conf:1: unknown section []" },
	{ "[lihui\n", "t.conf:1: expected 'key = value' or '[section]'" },
	{ "[lihui] x\n", "t.conf:1: expected 'key = value' or '[section]'" },
	{ "[lihui] # comment\n",
	  "t.conf:1: expected 'key = value' or '[section]'" },
	{ "[lihui]\njust words\n",
	  "t.conf:2: expected 'key = value' or '[section]'" },
	{ "[lihui]\n = console\n",
	  "t.conf:2: expected 'key = value' or '[section]'" },
	{ "[lihui]\nadapter: console\n",
	  "t.conf:2: expected 'key = value' or '[section]'" },
	{ "[lihui]\nadapter = slack\n\n# again\nadapter = console\n",
	  "t.conf:5: duplicate key 'adapter' in [lihui] (first set on line "
	  "2)" },
	{ "[lihui]\nadapter = slack\n[channel]\n[lihui]\nadapter = slack\n",
	  "t.conf:5: duplicate key 'adapter' in [lihui] (first set on line "
	  "2)" },
	{ "[channel]\nadmins = a\nadmins = b\n",
	  "t.conf:3: duplicate key 'admins' in [channel] (first set on line "
	  "2)" },
	{ "[lihui]\nmax_text = 5\n",
	  "t.conf:2: invalid max_text '5': want an integer from 100 to 16000" },
	{ "[lihui]\nadapter = console # default\n",
	  "t.conf:2: invalid adapter 'console # default': want console, "
	  "mattermost or slack" },
	{ "[lihui]\nadapter = console\x01\n",
	  "t.conf:2: control character 0x01 in line" },
	{ "[lihui]\nadapter = slack\rx\n",
	  "t.conf:2: control character 0x0d in line" },
	{ "[lihui]\n# \x1b[31m\n", "t.conf:2: control character 0x1b in line" },
	{ "[lihui]\n# \x7f\n", "t.conf:2: control character 0x7f in line" },
	{ "[lihui]\ndatabase = \"a\n", "t.conf:2: unterminated quoted value" },
	{ "[lihui]\ndatabase = \"a\\\"\n",
	  "t.conf:2: unterminated quoted value" },
	{ "[lihui]\ndatabase = \"a\\\n",
	  "t.conf:2: unterminated quoted value" },
	{ "[lihui]\ndatabase = \"a\\nb\"\n",
	  "t.conf:2: unknown escape in quoted value (want \\\" or \\\\)" },
	{ "[lihui]\ndatabase = \"a\" b\n",
	  "t.conf:2: text after the closing quote" },
	{ "[lihui]\ndatabase = \"a\"\"b\"\n",
	  "t.conf:2: text after the closing quote" },
	{ "[channel]\nadmins = a,b,c,@d\n",
	  "t.conf:2: invalid admins: write '@d' without '@'" },
};

static void
test_errors(void **state)
{
	struct config c;
	char *cause;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof error_cases / sizeof error_cases[0]; i++) {
		if (parse(&c, error_cases[i].text, strlen(error_cases[i].text),
			  NULL, &cause) != -1 ||
		    cause == NULL)
			fail_msg("case %zu: no error", i);
		if (strcmp(cause, error_cases[i].want) != 0)
			fail_msg("case %zu: got '%s', want '%s'", i, cause,
				 error_cases[i].want);
		free(cause);
		cause = NULL;
		config_release(&c);
	}
}

/* Whole files that must parse; check is "key=value" of one result. */
static const struct {
	const char *text;
	const char *key;
	const char *want;
} good_cases[] = {
	{ "", "adapter", "console" },
	{ "\n\n\n", "adapter", "console" },
	{ "# only a comment", "adapter", "console" },
	{ "; semicolon comment\n", "adapter", "console" },
	{ "   \t\n\t# indented comment\n  ; too\n", "adapter", "console" },
	{ "  [ lihui ]  \n\tadapter\t=\tslack \t\n", "adapter", "slack" },
	{ "[lihui]\nadapter=slack\n", "adapter", "slack" },
	{ "[lihui]\nadapter =slack", "adapter", "slack" },
	{ "[lihui]\r\nadapter = slack\r\n", "adapter", "slack" },
	{ "[lihui]\nadapter = slack\r\n", "adapter", "slack" },
	{ "[lihui]\r\nadapter = slack\r", "adapter", "slack" },
	{ "[slack]\r\nbot_token = xoxb-1\r\n", "bot_token", "xoxb-1" },
	{ "\xef\xbb\xbf[lihui]\nadapter = slack\n", "adapter", "slack" },
	{ "[channel]\n# 周会设置 ☕ 😀\nname = 周会\n", "name", "周会" },
	{ "[channel]\nname = a = b\n", "name", "a = b" },
	{ "[lihui]\n[channel]\n[lihui]\nadapter = slack\n", "adapter",
	  "slack" },
	{ "[lihui]\n#adapter = slack\n", "adapter", "console" },
	/* Quoted values. */
	{ "[lihui]\ndatabase = \"a b\"\n", "database", "a b" },
	{ "[lihui]\ndatabase = \"  padded  \"\n", "database", "  padded  " },
	{ "[lihui]\ndatabase = \"say \\\"hi\\\"\"\n", "database",
	  "say \"hi\"" },
	{ "[lihui]\ndatabase = \"back\\\\slash\"\n", "database",
	  "back\\slash" },
	{ "[lihui]\ndatabase = \"\\\\\"\n", "database", "\\" },
	{ "[lihui]\ndatabase = \"a#b;c=d\"  \n", "database", "a#b;c=d" },
	{ "[lihui]\ndatabase = a \"b\" c\n", "database", "a \"b\" c" },
	{ "[lihui]\ndatabase = a\\b\n", "database", "a\\b" },
	{ "[lihui]\ndatabase = \"数据 库\"\n", "database", "数据 库" },
	{ "[lihui]\nadapter = \"slack\"\n", "adapter", "slack" },
	{ "[mattermost]\nteam = \"\"\n", "team", "(unset)" },
	{ "[lihui]\ndatabase = x # not a comment\n", "database",
	  "x # not a comment" },
};

static void
test_good(void **state)
{
	struct config c;
	char *cause, *got;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof good_cases / sizeof good_cases[0]; i++) {
		if (parse(&c, good_cases[i].text, strlen(good_cases[i].text),
			  NULL, &cause) != 0)
			fail_msg("case %zu: %s", i, cause);
		assert_null(cause);
		got = field_str(&c, key_index(good_cases[i].key));
		if (strcmp(got, good_cases[i].want) != 0)
			fail_msg("case %zu: got '%s', want '%s'", i, got,
				 good_cases[i].want);
		free(got);
		config_release(&c);
	}
}

static void
test_utf8(void **state)
{
	static const char *const bad[] = {
		"\xff",		    /* never valid */
		"\x80",		    /* lone continuation byte */
		"\xc0\xaf",	    /* overlong '/' */
		"\xe0\x80\xaf",	    /* overlong, three bytes */
		"\xed\xa0\x80",	    /* surrogate */
		"\xf4\x90\x80\x80", /* above U+10FFFF */
		"\xe4\xb8",	    /* cut short at the line's end */
		"\xe4\xb8x",	    /* cut short inside the line */
	};
	struct config c;
	char text[64], *cause;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(text, sizeof text, "[channel]\n# ok\nname = a%sb\n",
			 bad[i]);
		assert_int_equal(parse(&c, text, strlen(text), NULL, &cause),
				 -1);
		assert_non_null(cause);
		if (strcmp(cause, "t.conf:3: invalid UTF-8") != 0)
			fail_msg("case %zu: got '%s'", i, cause);
		free(cause);
		cause = NULL;
		config_release(&c);
	}
	/* A NUL byte (the length is explicit, so it is inside the text). */
	assert_int_equal(parse(&c, "[lihui]\n\n# a\0b\n", 14, NULL, &cause),
			 -1);
	assert_string_equal(cause, "t.conf:3: control character 0x00 in line");
	free(cause);
	cause = NULL;
	config_release(&c);
}

/* Build a file of n bytes of whole-line comments (lines of at most 100). */
static char *
comment_file(size_t n)
{
	char *s = malloc(n + 1);
	size_t i;

	for (i = 0; i < n; i++)
		s[i] = (i % 100 == 0) ? '#' : (i % 100 == 99) ? '\n' : 'x';
	s[n] = '\0';
	return s;
}

static void
test_limits(void **state)
{
	struct config c;
	char *text, *cause, *p, *want;
	size_t i, n;

	(void)state;
	/* A line of exactly CONFIG_MAX_LINE bytes, with or without CR. */
	text = malloc(CONFIG_MAX_LINE + 64);
	for (n = 0; n < 2; n++) {
		p = text + snprintf(text, 64, "[lihui]\n");
		memset(p, 'x', CONFIG_MAX_LINE);
		p[0] = '#';
		p += CONFIG_MAX_LINE;
		p += snprintf(p, 8, "%s", n == 0 ? "\n" : "\r\n");
		assert_int_equal(
		    parse(&c, text, (size_t)(p - text), NULL, &cause), 0);
		config_release(&c);
	}
	/* One byte more. */
	p = text + snprintf(text, 64, "[lihui]\n");
	memset(p, 'x', CONFIG_MAX_LINE + 1);
	p[0] = '#';
	p += CONFIG_MAX_LINE + 1;
	assert_int_equal(parse(&c, text, (size_t)(p - text), NULL, &cause), -1);
	assert_string_equal(cause, "t.conf:2: line longer than 4096 bytes");
	free(cause);
	cause = NULL;
	config_release(&c);
	/* A key line at the limit holds a long value. */
	p = text + snprintf(text, 64, "[lihui]\ndatabase = ");
	n = CONFIG_MAX_LINE - strlen("database = ");
	memset(p, 'd', n);
	p += n;
	assert_int_equal(parse(&c, text, (size_t)(p - text), NULL, &cause), 0);
	assert_int_equal(strlen(c.database), n);
	config_release(&c);
	free(text);

	/* The whole text: CONFIG_MAX_SIZE bytes, then one more. */
	text = comment_file(CONFIG_MAX_SIZE + 1);
	assert_int_equal(parse(&c, text, CONFIG_MAX_SIZE, NULL, &cause), 0);
	config_release(&c);
	assert_int_equal(parse(&c, text, CONFIG_MAX_SIZE + 1, NULL, &cause),
			 -1);
	assert_string_equal(cause, "t.conf: larger than 262144 bytes");
	free(cause);
	cause = NULL;
	config_release(&c);
	free(text);

	/* CONFIG_MAX_ADMINS names, then one more. */
	text = malloc(2048);
	for (n = CONFIG_MAX_ADMINS; n <= CONFIG_MAX_ADMINS + 1; n++) {
		p = text + snprintf(text, 64, "[channel]\nadmins =");
		for (i = 0; i < n; i++)
			p += snprintf(p, 16, " user%zu", i);
		*p++ = '\n';
		if (n == CONFIG_MAX_ADMINS) {
			assert_int_equal(
			    parse(&c, text, (size_t)(p - text), NULL, &cause),
			    0);
			assert_int_equal(c.n_admins, CONFIG_MAX_ADMINS);
			assert_string_equal(c.admins[63], "user63");
		} else {
			assert_int_equal(
			    parse(&c, text, (size_t)(p - text), NULL, &cause),
			    -1);
			assert_string_equal(cause, "t.conf:2: invalid admins: "
						   "more than 64 names");
			free(cause);
			cause = NULL;
		}
		config_release(&c);
	}
	/* An admin name of 64 bytes, then 65. */
	p = text + snprintf(text, 64, "[channel]\nadmins = ");
	memset(p, 'a', 65);
	p[65] = '\0';
	p[64] = '\n';
	assert_int_equal(parse(&c, text, strlen(text), NULL, &cause), 0);
	assert_int_equal(strlen(c.admins[0]), 64);
	config_release(&c);
	p[64] = 'a';
	assert_int_equal(parse(&c, text, strlen(text), NULL, &cause), -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	config_release(&c);
	free(text);

	/* A long value is cut in the message, at a character boundary. */
	text = malloc(1024);
	p = text + snprintf(text, 64, "[lihui]\nbot_name = ");
	memset(p, 'A', 100);
	p[100] = '\0';
	assert_int_equal(parse(&c, text, strlen(text), NULL, &cause), -1);
	want = malloc(1024);
	p = want + snprintf(want, 64, "t.conf:2: invalid bot_name '");
	memset(p, 'A', 64);
	snprintf(p + 64, 128,
		 "...': want 1 to 64 of a-z, 0-9, '.', '_' and "
		 "'-'");
	assert_string_equal(cause, want);
	free(cause);
	cause = NULL;
	config_release(&c);
	p = text + snprintf(text, 64, "[channel]\nname = ");
	for (i = 0; i < 70; i++)
		p += snprintf(p, 8, "周");
	assert_int_equal(parse(&c, text, strlen(text), NULL, &cause), -1);
	p = want + snprintf(want, 64, "t.conf:2: invalid name '");
	for (i = 0; i < 21; i++)
		p += snprintf(p, 8, "周");
	snprintf(p, 64, "...': want 1 to 64 characters");
	assert_string_equal(cause, want);
	free(cause);
	cause = NULL;
	config_release(&c);
	/* 64 characters of three bytes each are fine. */
	p = text + snprintf(text, 64, "[channel]\nname = ");
	for (i = 0; i < 64; i++)
		p += snprintf(p, 8, "周");
	assert_int_equal(parse(&c, text, strlen(text), NULL, &cause), 0);
	config_release(&c);
	free(want);
	free(text);
}

static void
test_has_secret(void **state)
{
	static const struct {
		const char *text;
		int want;
	} cases[] = {
		{ "", 0 },
		{ "[mattermost]\nurl = https://x\nteam = t\n", 0 },
		{ "[mattermost]\ntoken =\n", 0 },
		{ "[mattermost]\ntoken = \"\"\n", 0 },
		{ "[mattermost]\ntoken = t\n", 1 },
		{ "[mattermost]\ncommand_token = t\n", 1 },
		{ "[mattermost]\ncommand_token =\nlisten = 127.0.0.1:1\n", 0 },
		{ "[slack]\nbot_token = xoxb-1\n", 1 },
		{ "[slack]\napp_token = xapp-1\n", 1 },
		{ "[slack]\nsigning_secret = \"abc\"\n", 1 },
		{ "[slack]\n# bot_token = xoxb-1\n", 0 },
	};
	struct config c;
	char *cause;
	size_t i;
	int has_secret;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		has_secret = -1;
		assert_int_equal(parse(&c, cases[i].text, strlen(cases[i].text),
				       &has_secret, &cause),
				 0);
		if (has_secret != cases[i].want)
			fail_msg("case %zu: has_secret %d", i, has_secret);
		config_release(&c);
	}
}

/* Bad files around a secret: the message must not contain it. */
static void
test_secret_not_in_messages(void **state)
{
	static const char *const cases[] = {
		"[slack]\nbot_token = xoxp-" MARK "\n",
		"[slack]\napp_token = xoxb-" MARK "\n",
		"[slack]\nsigning_secret = \"" MARK " x\"\n",
		"[slack]\nbot_token = \"xoxb-" MARK "\n",
		"[mattermost]\ntoken = \"" MARK "\\q\"\n",
		"[mattermost]\ntoken = \"" MARK "\" trailing\n",
		"[mattermost]\ntoken = " MARK "\x01\n",
		"[mattermost]\ntoken = " MARK "\xff\n",
		"[mattermost]\ntoken = " MARK " and more\n",
		"[mattermost]\ntoken = " MARK "\ntoken = " MARK "\n",
		"[mattermost]\n" MARK "\n",
		"[mattermost]\ntoken = \"" MARK "\n",
		"[mattermost]\ncommand_token = " MARK " x\n",
		"[mattermost]\ncommand_token = " MARK "\xff\n",
		"[mattermost]\ncommand_token = \"" MARK "\n",
	};
	struct config c;
	char *cause;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(
		    parse(&c, cases[i], strlen(cases[i]), NULL, &cause), -1);
		assert_non_null(cause);
		assert_true(strncmp(cause, "t.conf:", 7) == 0);
		if (strstr(cause, MARK) != NULL)
			fail_msg("case %zu: secret in '%s'", i, cause);
		free(cause);
		cause = NULL;
		config_release(&c);
	}
}

/* Cross-field checks of config_finish(), with no environment secrets. */
static void
test_finish(void **state)
{
	static const struct {
		const char *text;
		const char *want; /* NULL: must succeed */
	} cases[] = {
		{ "[lihui]\nadapter = mattermost\n",
		  "adapter 'mattermost' needs url in [mattermost]" },
		{ "[lihui]\nadapter = mattermost\n[mattermost]\nurl = "
		  "https://x\n",
		  "adapter 'mattermost' needs token in [mattermost] or "
		  "LIHUI_MATTERMOST_TOKEN" },
		{ "[lihui]\nadapter = mattermost\n[mattermost]\ntoken = t\n",
		  "adapter 'mattermost' needs url in [mattermost]" },
		{ "[lihui]\nadapter = mattermost\n[mattermost]\nurl = "
		  "https://x\ntoken = t\n",
		  "adapter 'mattermost' needs command_token in [mattermost] or "
		  "LIHUI_MATTERMOST_COMMAND_TOKEN" },
		{ "[lihui]\nadapter = mattermost\n[mattermost]\nurl = "
		  "https://x\ncommand_token = c\n",
		  "adapter 'mattermost' needs token in [mattermost] or "
		  "LIHUI_MATTERMOST_TOKEN" },
		{ "[lihui]\nadapter = mattermost\n[mattermost]\nurl = "
		  "https://x\ntoken = t\ncommand_token = c\n",
		  NULL },
		{ "[lihui]\nadapter = console\n[mattermost]\ntoken = t\n",
		  NULL },
		{ "[lihui]\nadapter = slack\n",
		  "adapter 'slack' needs bot_token in [slack] or "
		  "LIHUI_SLACK_BOT_TOKEN" },
		{ "[lihui]\nadapter = slack\n[slack]\nbot_token = xoxb-1\n",
		  "adapter 'slack' in mode socket needs app_token in [slack] "
		  "or LIHUI_SLACK_APP_TOKEN" },
		{ "[lihui]\nadapter = slack\n[slack]\nbot_token = xoxb-1\n"
		  "signing_secret = s\nmode = socket\n",
		  "adapter 'slack' in mode socket needs app_token in [slack] "
		  "or LIHUI_SLACK_APP_TOKEN" },
		{ "[lihui]\nadapter = slack\n[slack]\nbot_token = xoxb-1\n"
		  "app_token = xapp-1\nmode = http\n",
		  "adapter 'slack' in mode http needs signing_secret in "
		  "[slack] or LIHUI_SLACK_SIGNING_SECRET" },
		{ "[lihui]\nadapter = slack\n[slack]\nbot_token = xoxb-1\n"
		  "app_token = xapp-1\napi_url =\n",
		  "adapter 'slack' needs api_url in [slack]" },
		{ "[lihui]\nadapter = slack\n[slack]\nbot_token = xoxb-1\n"
		  "signing_secret = s\nmode = http\n",
		  NULL },
		{ "[lihui]\nadapter = slack\n[slack]\napp_token = xapp-1\n",
		  "adapter 'slack' needs bot_token in [slack] or "
		  "LIHUI_SLACK_BOT_TOKEN" },
		{ "[lihui]\nadapter = slack\n[slack]\nbot_token = xoxb-1\n"
		  "app_token = xapp-1\n",
		  NULL },
		{ "[lihui]\nadapter = slack\n[slack]\nbot_token = xoxb-1\n"
		  "signing_secret = s\n",
		  "adapter 'slack' in mode socket needs app_token in [slack] "
		  "or LIHUI_SLACK_APP_TOKEN" },
		{ "[lihui]\nadapter = console\n[slack]\nbot_token = xoxb-1\n",
		  NULL },
		{ "[commands]\nreport = agenda\n",
		  "[commands] report and agenda are both 'agenda'" },
		{ "[commands]\nreport = x\naction = x\n",
		  "[commands] report and action are both 'x'" },
		{ "[commands]\nmeeting = action\n",
		  "[commands] meeting and action are both 'action'" },
		{ "[commands]\nreport = agenda\nagenda = report\n", NULL },
	};
	struct config c;
	char *cause;
	size_t i;

	(void)state;
	clear_env();
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(parse(&c, cases[i].text, strlen(cases[i].text),
				       NULL, &cause),
				 0);
		if (cases[i].want == NULL) {
			if (config_finish(&c, &cause) != 0)
				fail_msg("case %zu: %s", i, cause);
			assert_null(cause);
		} else {
			assert_int_equal(config_finish(&c, &cause), -1);
			assert_non_null(cause);
			if (strcmp(cause, cases[i].want) != 0)
				fail_msg("case %zu: got '%s'", i, cause);
			free(cause);
			cause = NULL;
		}
		config_release(&c);
	}
}

static void
test_env(void **state)
{
	static const char file[] = "[lihui]\nadapter = slack\n"
				   "[mattermost]\ntoken = mm-file\n"
				   "command_token = cmd-file\n"
				   "[slack]\nbot_token = xoxb-file\n";
	static const struct {
		const char *env;
		const char *value;
		const char *want; /* NULL: must fail */
	} bad[] = {
		{ "LIHUI_SLACK_BOT_TOKEN", "xoxp-" MARK,
		  "invalid LIHUI_SLACK_BOT_TOKEN: want a value starting with "
		  "'xoxb-'" },
		{ "LIHUI_SLACK_APP_TOKEN", "xoxb-" MARK,
		  "invalid LIHUI_SLACK_APP_TOKEN: want a value starting with "
		  "'xapp-'" },
		{ "LIHUI_SLACK_BOT_TOKEN", "xoxb-" MARK "\r\nX-Evil: 1",
		  "invalid LIHUI_SLACK_BOT_TOKEN: want printable ASCII "
		  "without spaces" },
		{ "LIHUI_MATTERMOST_TOKEN", MARK " x",
		  "invalid LIHUI_MATTERMOST_TOKEN: want printable ASCII "
		  "without spaces" },
		{ "LIHUI_MATTERMOST_COMMAND_TOKEN", MARK "\n",
		  "invalid LIHUI_MATTERMOST_COMMAND_TOKEN: want printable "
		  "ASCII without spaces" },
		{ "LIHUI_SLACK_SIGNING_SECRET", MARK "\t",
		  "invalid LIHUI_SLACK_SIGNING_SECRET: want printable ASCII "
		  "without spaces" },
	};
	struct config c;
	char *cause;
	size_t i;

	(void)state;
	clear_env();
	/* The environment wins over the file. */
	setenv("LIHUI_MATTERMOST_TOKEN", "mm-env", 1);
	setenv("LIHUI_MATTERMOST_COMMAND_TOKEN", "cmd-env", 1);
	setenv("LIHUI_SLACK_BOT_TOKEN", "xoxb-env", 1);
	setenv("LIHUI_SLACK_APP_TOKEN", "xapp-env", 1);
	setenv("LIHUI_SLACK_SIGNING_SECRET", "sig-env", 1);
	assert_int_equal(parse(&c, file, strlen(file), NULL, &cause), 0);
	assert_int_equal(config_finish(&c, &cause), 0);
	assert_string_equal(c.mm_token, "mm-env");
	assert_string_equal(c.mm_command_token, "cmd-env");
	assert_string_equal(c.slack_bot_token, "xoxb-env");
	assert_string_equal(c.slack_app_token, "xapp-env");
	assert_string_equal(c.slack_signing_secret, "sig-env");
	config_release(&c);

	/* Secrets from the environment alone satisfy the adapter. */
	config_defaults(&c);
	free(c.adapter);
	c.adapter = strdup("slack");
	assert_int_equal(config_finish(&c, &cause), 0);
	assert_string_equal(c.slack_bot_token, "xoxb-env");
	config_release(&c);
	config_defaults(&c);
	free(c.adapter);
	c.adapter = strdup("mattermost");
	c.mm_url = strdup("https://x");
	assert_int_equal(config_finish(&c, &cause), 0);
	assert_string_equal(c.mm_token, "mm-env");
	assert_string_equal(c.mm_command_token, "cmd-env");
	config_release(&c);

	/* An empty variable is ignored. */
	clear_env();
	setenv("LIHUI_SLACK_BOT_TOKEN", "", 1);
	assert_int_equal(parse(&c, file, strlen(file), NULL, &cause), 0);
	setenv("LIHUI_SLACK_APP_TOKEN", "xapp-env", 1);
	assert_int_equal(config_finish(&c, &cause), 0);
	assert_string_equal(c.slack_bot_token, "xoxb-file");
	assert_string_equal(c.mm_token, "mm-file");
	assert_string_equal(c.mm_command_token, "cmd-file");
	config_release(&c);
	clear_env();

	/* A bad variable is named, its value never shown. */
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		setenv(bad[i].env, bad[i].value, 1);
		config_defaults(&c);
		cause = NULL;
		assert_int_equal(config_finish(&c, &cause), -1);
		assert_non_null(cause);
		if (strcmp(cause, bad[i].want) != 0)
			fail_msg("case %zu: got '%s'", i, cause);
		assert_null(strstr(cause, MARK));
		free(cause);
		cause = NULL;
		config_release(&c);
		clear_env();
	}
}

static void
test_load(void **state)
{
	static const char secret[] = "[mattermost]\ntoken = " MARK "\n";
	static const char plain[] = "[lihui]\nbot_name = zhouhui\n"
				    "[mattermost]\ntoken =\n";
	static const struct {
		const char *text;
		mode_t mode;
		int ok;
	} modes[] = {
		{ secret, 0600, 1 }, { secret, 0400, 1 }, { secret, 0700, 1 },
		{ secret, 0644, 0 }, { secret, 0640, 0 }, { secret, 0604, 0 },
		{ secret, 0620, 0 }, { secret, 0666, 0 }, { plain, 0644, 1 },
		{ plain, 0600, 1 },
	};
	struct config c;
	char *dir, path[4200], want[9000], *cause, *text;
	size_t i;

	(void)state;
	clear_env();
	dir = temp_dir();
	snprintf(path, sizeof path, "%s/lihui.conf", dir);
	for (i = 0; i < sizeof modes / sizeof modes[0]; i++) {
		write_file(path, modes[i].text, strlen(modes[i].text),
			   modes[i].mode);
		config_defaults(&c);
		cause = NULL;
		if (modes[i].ok) {
			if (config_load(&c, path, &cause) != 0)
				fail_msg("case %zu: %s", i, cause);
			assert_null(cause);
		} else {
			assert_int_equal(config_load(&c, path, &cause), -1);
			assert_non_null(cause);
			snprintf(want, sizeof want,
				 "%s: holds a secret but is readable by group "
				 "or others (chmod 600 %s)",
				 path, path);
			assert_string_equal(cause, want);
			assert_null(strstr(cause, MARK));
			free(cause);
			cause = NULL;
		}
		config_release(&c);
	}
	config_defaults(&c);
	write_file(path, secret, strlen(secret), 0600);
	assert_int_equal(config_load(&c, path, &cause), 0);
	assert_string_equal(c.mm_token, MARK);
	config_release(&c);

	/* A parse error names path:line. */
	write_file(path, "[lihui]\n\nfoo = 1\n", strlen("[lihui]\n\nfoo = 1\n"),
		   0644);
	config_defaults(&c);
	assert_int_equal(config_load(&c, path, &cause), -1);
	snprintf(want, sizeof want, "%s:3: unknown key 'foo' in [lihui]", path);
	assert_string_equal(cause, want);
	free(cause);
	cause = NULL;
	config_release(&c);

	/* config_load() runs config_finish(); its errors name the file. */
	write_file(path, "[lihui]\nadapter = mattermost\n",
		   strlen("[lihui]\nadapter = mattermost\n"), 0644);
	config_defaults(&c);
	assert_int_equal(config_load(&c, path, &cause), -1);
	snprintf(want, sizeof want,
		 "%s: adapter 'mattermost' needs url in [mattermost]", path);
	assert_string_equal(cause, want);
	free(cause);
	cause = NULL;
	config_release(&c);

	/* Size: CONFIG_MAX_SIZE is fine, one byte more is not. */
	text = comment_file(CONFIG_MAX_SIZE + 1);
	write_file(path, text, CONFIG_MAX_SIZE, 0644);
	config_defaults(&c);
	assert_int_equal(config_load(&c, path, &cause), 0);
	config_release(&c);
	write_file(path, text, CONFIG_MAX_SIZE + 1, 0644);
	config_defaults(&c);
	assert_int_equal(config_load(&c, path, &cause), -1);
	snprintf(want, sizeof want, "%s: larger than 262144 bytes", path);
	assert_string_equal(cause, want);
	free(cause);
	cause = NULL;
	config_release(&c);
	free(text);
	assert_int_equal(unlink(path), 0);

	/* Missing file; a directory. */
	config_defaults(&c);
	assert_int_equal(config_load(&c, path, &cause), -1);
	snprintf(want, sizeof want, "%s: cannot open: ", path);
	assert_non_null(cause);
	assert_true(strncmp(cause, want, strlen(want)) == 0);
	free(cause);
	cause = NULL;
	assert_int_equal(config_load(&c, dir, &cause), -1);
	snprintf(want, sizeof want, "%s: not a regular file", dir);
	assert_string_equal(cause, want);
	free(cause);
	cause = NULL;
	/* A FIFO is refused at once instead of blocking start-up. */
	snprintf(path, sizeof path, "%s/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(config_load(&c, path, &cause), -1);
	snprintf(want, sizeof want, "%s: not a regular file", path);
	assert_string_equal(cause, want);
	free(cause);
	cause = NULL;
	assert_int_equal(unlink(path), 0);
	config_release(&c);

	assert_int_equal(rmdir(dir), 0);
	free(dir);
}

/* Where minutes_dir puts the copies, given the database's path. */
static void
test_minutes_dir(void **state)
{
	static const struct {
		const char *database;
		const char *minutes_dir; /* NULL: the default */
		const char *want;	 /* NULL: no copies */
	} cases[] = {
		{ "./var/lihui.db", NULL, "./var/minutes" },
		{ "/var/lib/lihui/lihui.db", NULL, "/var/lib/lihui/minutes" },
		{ "lihui.db", NULL, "minutes" },
		{ "/lihui.db", NULL, "/minutes" },
		{ "a/b/lihui.db", "notes/min", "a/b/notes/min" },
		{ "./var/lihui.db", "/srv/minutes", "/srv/minutes" },
		{ "./var/lihui.db", "", NULL },
		{ ":memory:", NULL, NULL },
		{ ":memory:", "/srv/m", "/srv/m" },
	};
	struct config c;
	char *cause = NULL, *got, text[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (cases[i].minutes_dir != NULL)
			snprintf(text, sizeof text,
				 "[lihui]\ndatabase = %s\nminutes_dir = %s\n",
				 cases[i].database, cases[i].minutes_dir);
		else
			snprintf(text, sizeof text, "[lihui]\ndatabase = %s\n",
				 cases[i].database);
		assert_int_equal(parse(&c, text, strlen(text), NULL, &cause),
				 0);
		got = config_minutes_dir(&c);
		if (cases[i].want == NULL) {
			if (got != NULL)
				fail_msg("case %zu: got '%s', want none", i,
					 got);
		} else if (got == NULL || strcmp(got, cases[i].want) != 0) {
			fail_msg("case %zu: got '%s', want '%s'", i,
				 got != NULL ? got : "(none)", cases[i].want);
		}
		free(got);
		config_release(&c);
	}
}

/* The shipped example loads and changes nothing. */
static void
test_example(void **state)
{
	struct config c;
	char *cause = NULL;

	(void)state;
	clear_env();
	config_defaults(&c);
	if (config_load(&c, EXAMPLE, &cause) != 0)
		fail_msg("%s", cause);
	assert_null(cause);
	assert_all_defaults(&c);
	config_release(&c);
}

/*
 * Uncomment every "# key = value" line of the example: the result sets
 * every key, to its default, and is accepted as is.
 */
static void
test_example_uncommented(void **state)
{
	struct config c;
	char *text, *out, *p, *line, *next, *dir, path[4200], *cause = NULL;
	char section[32] = "";
	size_t len, n, i, seen[N_KEYS] = { 0 };
	unsigned uncommented = 0;
	int has_secret = -1;

	(void)state;
	clear_env();
	text = read_all(EXAMPLE, &len);
	out = p = malloc(len + 1);
	for (line = text; *line != '\0'; line = next) {
		next = strchr(line, '\n');
		next = next != NULL ? next + 1 : line + strlen(line);
		n = strspn(line + 1, "abcdefghijklmnopqrstuvwxyz");
		if (line[0] == '[' && line[1 + n] == ']' && n < sizeof section)
			snprintf(section, sizeof section, "%.*s", (int)n,
				 line + 1);
		n = strspn(line + 2, "abcdefghijklmnopqrstuvwxyz_");
		if (strncmp(line, "# ", 2) == 0 && n > 0 &&
		    strncmp(line + 2 + n, " =", 2) == 0 &&
		    (line[4 + n] == ' ' || line[4 + n] == '\n')) {
			/* Names like listen are in more than one section. */
			for (i = 0; i < N_KEYS; i++) {
				if (strlen(keys[i].key) == n &&
				    strncmp(keys[i].key, line + 2, n) == 0 &&
				    strcmp(keys[i].section, section) == 0)
					seen[i]++;
			}
			uncommented++;
			line += 2;
		}
		memcpy(p, line, (size_t)(next - line));
		p += next - line;
	}
	*p = '\0';

	/* Every key exactly once ("name" and the like are unique). */
	assert_int_equal(uncommented, N_KEYS);
	for (i = 0; i < N_KEYS; i++) {
		if (seen[i] != 1)
			fail_msg("example sets %s in [%s] %zu times",
				 keys[i].key, keys[i].section, seen[i]);
	}

	config_defaults(&c);
	assert_int_equal(
	    config_parse(&c, EXAMPLE, out, strlen(out), &has_secret, &cause),
	    0);
	assert_int_equal(has_secret, 0);
	assert_int_equal(config_finish(&c, &cause), 0);
	assert_all_defaults(&c);
	config_release(&c);

	/* And through config_load(), as an administrator would install it. */
	dir = temp_dir();
	snprintf(path, sizeof path, "%s/lihui.conf", dir);
	write_file(path, out, strlen(out), 0644);
	config_defaults(&c);
	if (config_load(&c, path, &cause) != 0)
		fail_msg("%s", cause);
	assert_all_defaults(&c);
	config_release(&c);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
	free(dir);
	free(out);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_release_reuse),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_has_secret),
		cmocka_unit_test(test_secret_not_in_messages),
		cmocka_unit_test(test_finish),
		cmocka_unit_test(test_env),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_minutes_dir),
		cmocka_unit_test(test_example),
		cmocka_unit_test(test_example_uncommented),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
