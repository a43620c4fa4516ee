/* SPDX-License-Identifier: MIT */
/*
 * schedule.c: a channel's meeting schedule as a recurrence rule (see
 * schedule.h). A channel without a stored rule meets weekly on its
 * meeting day, at its meeting time, in its zone; its rule's anchor is a
 * fixed date long past, so that weekly rule has every week.
 *
 * The times of the scheduled posts (window, reminders, agenda) are stored
 * beside the rule as the canonical text of their offsets, NULL for the
 * configuration's; the configuration's parse the same way (config.c uses
 * schedule_time_parse() too), so a channel's and the file's accept the
 * same words.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lihui/bot.h"
#include "lihui/buf.h"
#include "lihui/config.h"
#include "lihui/log.h"
#include "lihui/schedule.h"
#include "lihui/store.h"
#include "lihui/tz.h"
#include "lihui/xmalloc.h"

/* Monday 2001-01-01: the anchor of the implicit weekly rules. */
static const struct date schedule_epoch = { 2001, 1, 1 };

/* Add the stored skipped dates ("YYYY-MM-DD,...") to rule. */
static int
schedule_add_skips(struct recur_rule *rule, const char *text, char **cause)
{
	char day[11];
	struct date d;
	const char *p = text;
	size_t n;

	while (*p != '\0') {
		n = strcspn(p, ",");
		if (n != 10) {
			return set_cause(cause, "bad skipped date '%.*s'",
					 (int)(n > 20 ? 20 : n), p);
		}
		memcpy(day, p, 10);
		day[10] = '\0';
		if (date_parse_iso(day, &d) != 0)
			return set_cause(cause, "bad skipped date '%s'", day);
		if (recur_skip_add(rule, d, cause) != 0)
			return -1;
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

int
schedule_rule(struct store *s, const struct channel *ch, struct recur_rule *out,
	      char **cause)
{
	struct recur_defaults def;
	struct recur_rule rule;
	struct store_schedule row;
	const char *text, *skips;
	int64_t days;
	int found = 0, rc = -1;

	memset(&rule, 0, sizeof rule);
	memset(&row, 0, sizeof row);
	if (ch->id != 0 &&
	    store_schedule_get(s, ch->id, &row, &found, cause) != 0)
		return -1;
	text = row.rule;
	skips = row.skips;
	if (text != NULL) {
		memset(&def, 0, sizeof def);
		def.today = schedule_epoch;
		def.length = ch->meeting_length;
		def.zone = ch->timezone;
		if (recur_parse(text, &def, &rule, cause) != 0)
			goto out;
	} else {
		rule.kind = RECUR_WEEKLY;
		rule.interval = 1;
		rule.weekdays = 1u << ch->meeting_wday;
		/* The first such weekday on or after the epoch (a Monday). */
		days =
		    date_to_days(schedule_epoch) + (ch->meeting_wday + 6) % 7;
		rule.anchor = date_from_days(days);
		rule.minute = ch->meeting_minute;
		rule.length = ch->meeting_length;
		snprintf(rule.zone, sizeof rule.zone, "%s", ch->timezone);
		if (recur_check(&rule, cause) != 0)
			goto out;
	}
	if (skips != NULL && schedule_add_skips(&rule, skips, cause) != 0)
		goto out;
	*out = rule;
	rc = 0;
out:
	store_schedule_release(&row);
	return rc;
}

int
schedule_next(struct store *s, const struct channel *ch, int64_t after,
	      int64_t *start, int *length, char **cause)
{
	struct recur_rule rule;
	struct date day;

	if (schedule_rule(s, ch, &rule, cause) != 0 ||
	    recur_next(&rule, after, start, &day, cause) != 0)
		return -1;
	if (length != NULL)
		*length = rule.length;
	return 0;
}

char *
schedule_skips_text(const struct recur_rule *rule)
{
	struct buf b;
	char day[16];
	int i;

	if (rule->nskip == 0)
		return NULL;
	buf_init(&b, 16 * RECUR_SKIP_MAX);
	for (i = 0; i < rule->nskip; i++) {
		date_format(rule->skip[i], day, sizeof day);
		buf_printf(&b, "%s%s", i > 0 ? "," : "", day);
	}
	return buf_detach(&b);
}

void
schedule_times_default(const struct config *c, struct schedule_times *out)
{
	memset(out, 0, sizeof *out);
	out->window_off = c->window_off;
	out->window = c->window;
	out->n_reminds = c->n_reminds;
	memcpy(out->reminds, c->reminds, c->n_reminds * sizeof c->reminds[0]);
	out->agenda.kind = RECUR_OFFSET_MINUTES;
	out->agenda.minutes = c->agenda_before;
}

/* Put the stored text of one time over *t; a bad one is logged. */
static void
schedule_time_load(const struct channel *ch, enum store_schedule_time which,
		   const char *text, struct schedule_times *t)
{
	char *cause = NULL;

	if (text == NULL)
		return;
	if (schedule_time_parse(which, text, LOCALE_EN, t, &cause) != 0) {
		log_warn("channel %s: stored time '%s' is not valid (%s); "
			 "using the configuration's",
			 ch->name, text, cause);
		free(cause);
		return;
	}
	t->own |= 1u << which;
}

int
schedule_times(struct store *s, const struct config *c,
	       const struct channel *ch, struct schedule_times *out,
	       char **cause)
{
	struct store_schedule row;
	int found = 0;

	schedule_times_default(c, out);
	if (ch->id == 0)
		return 0;
	if (store_schedule_get(s, ch->id, &row, &found, cause) != 0)
		return -1;
	schedule_time_load(ch, STORE_SCHEDULE_WINDOW, row.window_open, out);
	schedule_time_load(ch, STORE_SCHEDULE_REMIND, row.remind_at, out);
	schedule_time_load(ch, STORE_SCHEDULE_AGENDA, row.agenda_at, out);
	store_schedule_release(&row);
	return 0;
}

/* Whether text is "off" in either language. */
static int
schedule_is_off(const char *text)
{
	return strcasecmp(text, "off") == 0 || strcmp(text, "关") == 0 ||
	       strcmp(text, "关闭") == 0;
}

/* Length of the next list item of p: up to ',', "，" or "、". */
static size_t
schedule_item_len(const char *p, size_t *sep)
{
	size_t n;

	for (n = 0; p[n] != '\0'; n++) {
		if (p[n] == ',') {
			*sep = 1;
			return n;
		}
		if (strncmp(p + n, "，", 3) == 0 ||
		    strncmp(p + n, "、", 3) == 0) {
			*sep = 3;
			return n;
		}
	}
	*sep = 0;
	return n;
}

/* The offsets of a REMIND text into offs; their number, or -1. */
static int
schedule_reminds_parse(const char *text, enum locale loc,
		       struct recur_offset *offs, char **cause)
{
	char item[RECUR_TEXT_MAX + 1], *why = NULL;
	const char *p = text;
	size_t len, sep;
	int n = 0;

	for (;;) {
		len = schedule_item_len(p, &sep);
		while (len > 0 && *p == ' ') {
			p++;
			len--;
		}
		while (len > 0 && p[len - 1] == ' ')
			len--;
		if (len == 0)
			return set_cause(cause,
					 L_(loc, "a reminder time is empty; "
						 "separate times with commas"));
		if (n == SCHEDULE_REMINDS_MAX)
			return set_cause(cause,
					 L_(loc, "at most %d reminder times"),
					 SCHEDULE_REMINDS_MAX);
		if (len > RECUR_TEXT_MAX)
			return set_cause(
			    cause, L_(loc, "a reminder time is too long"));
		memcpy(item, p, len);
		item[len] = '\0';
		if (recur_offset_parse(item, loc, &offs[n], &why) != 0) {
			set_cause(cause, "%s", why);
			free(why);
			return -1;
		}
		n++;
		p += len;
		while (*p == ' ')
			p++;
		if (*p == '\0')
			return n;
		p += sep;
	}
}

int
schedule_time_parse(enum store_schedule_time which, const char *text,
		    enum locale loc, struct schedule_times *t, char **cause)
{
	struct recur_offset offs[SCHEDULE_REMINDS_MAX], off;
	int n;

	if (text == NULL || *text == '\0')
		return set_cause(cause, L_(loc, "give a time"));
	switch (which) {
	case STORE_SCHEDULE_WINDOW:
		if (schedule_is_off(text)) {
			t->window_off = 1;
			return 0;
		}
		if (recur_offset_parse(text, loc, &off, cause) != 0)
			return -1;
		t->window = off;
		t->window_off = 0;
		return 0;
	case STORE_SCHEDULE_REMIND:
		if (schedule_is_off(text)) {
			t->n_reminds = 0;
			return 0;
		}
		n = schedule_reminds_parse(text, loc, offs, cause);
		if (n < 0)
			return -1;
		memcpy(t->reminds, offs, (size_t)n * sizeof offs[0]);
		t->n_reminds = (size_t)n;
		return 0;
	case STORE_SCHEDULE_AGENDA:
		if (recur_offset_parse(text, loc, &off, cause) != 0)
			return -1;
		t->agenda = off;
		return 0;
	}
	return set_cause(cause, "unknown schedule time %d", (int)which);
}

void
schedule_time_format(const struct schedule_times *t,
		     enum store_schedule_time which, char *buf, size_t size)
{
	char one[RECUR_OFFSET_FORMAT_SIZE];
	size_t i, used = 0;

	snprintf(buf, size, "%s", "off");
	switch (which) {
	case STORE_SCHEDULE_WINDOW:
		if (!t->window_off)
			recur_offset_format(&t->window, buf, size);
		break;
	case STORE_SCHEDULE_REMIND:
		for (i = 0; i < t->n_reminds && used < size; i++) {
			recur_offset_format(&t->reminds[i], one, sizeof one);
			used +=
			    (size_t)snprintf(buf + used, size - used, "%s%s",
					     i > 0 ? ", " : "", one);
		}
		break;
	case STORE_SCHEDULE_AGENDA:
		recur_offset_format(&t->agenda, buf, size);
		break;
	}
}

/* Give the new channel ch the configuration's rule and skipped dates. */
static int
schedule_apply_config(struct store *s, const struct config *c,
		      struct channel *ch, int64_t now, char **cause)
{
	struct recur_defaults def;
	struct recur_rule rule;
	struct local_time today;
	char text[RECUR_FORMAT_SIZE], *skips;
	int rc;

	if (tz_to_local(ch->timezone, now, &today, cause) != 0)
		return -1;
	memset(&def, 0, sizeof def);
	def.today = today.date;
	def.length = ch->meeting_length;
	def.zone = ch->timezone;
	/* config_finish() checked both. */
	if (recur_parse(c->schedule, &def, &rule, cause) != 0)
		return -1;
	if (c->skip != NULL && schedule_add_skips(&rule, c->skip, cause) != 0)
		return -1;
	recur_format(&rule, text, sizeof text);
	skips = schedule_skips_text(&rule);
	rc = store_schedule_set(s, ch->id, text, skips, cause);
	free(skips);
	if (rc != 0)
		return -1;
	/* The channel's zone, time and length follow its rule. */
	free(ch->timezone);
	ch->timezone = xstrdup(rule.zone);
	ch->meeting_minute = rule.minute;
	ch->meeting_length = rule.length;
	return store_channel_update(s, ch, cause);
}

int
schedule_channel_ensure(struct store *s, const struct config *c,
			const char *key, const char *name, int64_t now,
			struct channel *out, char **cause)
{
	struct channel defaults;
	int found = 0;

	bot_channel_defaults(c, &defaults);
	if (c->schedule == NULL)
		return store_channel_ensure(s, key, name, &defaults, out,
					    cause);
	/* Found: the rule is the channel's business from now on. */
	if (store_channel_find(s, key, out, &found, cause) != 0)
		return -1;
	if (found)
		return 0;
	if (store_channel_ensure(s, key, name, &defaults, out, cause) != 0)
		return -1;
	if (schedule_apply_config(s, c, out, now, cause) != 0) {
		channel_release(out);
		return -1;
	}
	return 0;
}
