/* SPDX-License-Identifier: MIT */
/*
 * schedule.c: a channel's meeting schedule as a recurrence rule (see
 * schedule.h). A channel without a stored rule meets weekly on its
 * meeting day, at its meeting time, in its zone; its rule's anchor is a
 * fixed date long past, so that weekly rule has every week.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lihui/buf.h"
#include "lihui/schedule.h"
#include "lihui/store.h"
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
	char *text = NULL, *skips = NULL;
	int64_t days;
	int found = 0, rc = -1;

	memset(&rule, 0, sizeof rule);
	if (ch->id != 0 &&
	    store_schedule_get(s, ch->id, &text, &skips, &found, cause) != 0)
		return -1;
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
	free(text);
	free(skips);
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
