/* SPDX-License-Identifier: MIT */
/*
 * recur.c: meeting schedules, their occurrences and the offsets and quiet
 * hours of the jobs around them; see recur.h.
 *
 * How it works. Everything is done on local calendar dates, counted as days
 * since 1970-01-01 (when.h), and only the last step turns a local date and
 * minute into an instant with tz_from_local(). recur_next() walks dates one
 * by one from the local date of the instant asked about (a day early: a DST
 * gap can push a late meeting past midnight) and asks recur_day_match()
 * whether the rule names each date; weeks are counted from the Monday of the
 * anchor's week, days from the anchor, months from the anchor's month. A
 * walk is at most RECUR_SEARCH_DAYS dates of integer arithmetic plus one
 * conversion per named date, and usually stops at the first named date.
 * Skipped dates are a sorted array searched by bisection.
 *
 * Offsets are also local: "fri 16:00 before" walks back over local dates,
 * "2h before" subtracts wall-clock minutes, so neither adds 86400 to an
 * instant for a calendar day.
 *
 * recur_parse() copies at most RECUR_TEXT_MAX bytes twice: as given (zone
 * names are case-sensitive) and with ASCII folded to lower case, at the same
 * offsets. At each word a list of matchers is tried in order; a matcher
 * does not match (the next is tried), matches (the scanner moves on), or
 * matches but finds the word unusable, which ends the parse with a cause
 * naming that word. What the words said is gathered in a struct
 * recur_words and resolved into a rule at the end, where missing and
 * conflicting parts are reported. When adding a form, add it to recur.h,
 * to recur_format() if it is canonical, and to the tables in
 * tests/unit/core/test-recur.c.
 *
 * The parsers' causes are posted to the channel, so they are written with
 * L_() in the caller's language (recur_defaults.loc, recur_offset_parse's
 * loc; the Chinese is in src/render/catalog-recur.c), quoting the user's
 * words as given. recur_check() itself, recur_next() and the other callers'
 * checks stay English: they report rules the program built.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lihui/recur.h"
#include "lihui/tz.h"
#include "lihui/utf8.h"
#include "lihui/when.h"
#include "lihui/xmalloc.h"

/* Longest piece of the user's text quoted in a message, in bytes. */
#define RECUR_QUOTE_MAX 40
/* The ideographic space, U+3000, which Chinese input methods produce. */
#define RECUR_IDEO_SPACE "\xe3\x80\x80"

/*
 * A cursor over the lower-cased copy; raw holds the text as given, loc the
 * language of the messages.
 */
struct recur_scan {
	enum locale loc;
	const char *low;
	const char *raw;
	const char *p;
	const char *end;
};

/* What the words of a schedule said, before they are resolved. */
struct recur_words {
	int kind; /* 0, RECUR_WEEKLY, RECUR_DAILY or RECUR_MONTHLY_DAY */
	int interval;
	char kind_word[RECUR_QUOTE_MAX + 1];
	unsigned weekdays;
	char wday_word[RECUR_QUOTE_MAX + 1];
	int monthday, nth, nth_wday; /* 0 when not given */
	char day_word[RECUR_QUOTE_MAX + 1];
	int minute, length; /* -1 when not given */
	char time_word[RECUR_QUOTE_MAX + 1];
	char length_word[RECUR_QUOTE_MAX + 1];
	char zone[RECUR_ZONE_MAX + 1];
	int has_from;
	struct date from;
};

/* 1: matched, 0: not this form, -1: matched but unusable (cause set). */
typedef int (*recur_matcher)(struct recur_scan *, struct recur_words *,
			     char **);

static const struct {
	const char *name;
	int wday;
} recur_wdays_en[] = {
	{ "monday", 1 }, { "mon", 1 },	    { "tuesday", 2 },
	{ "tues", 2 },	 { "tue", 2 },	    { "wednesday", 3 },
	{ "wed", 3 },	 { "thursday", 4 }, { "thurs", 4 },
	{ "thur", 4 },	 { "thu", 4 },	    { "friday", 5 },
	{ "fri", 5 },	 { "saturday", 6 }, { "sat", 6 },
	{ "sunday", 0 }, { "sun", 0 },
};

static const char *const recur_wday_short[7] = { "sun", "mon", "tue", "wed",
						 "thu", "fri", "sat" };

static const struct {
	const char *name;
	int wday;
} recur_wdays_zh[] = {
	{ "一", 1 }, { "二", 2 }, { "三", 3 }, { "四", 4 },
	{ "五", 5 }, { "六", 6 }, { "日", 0 }, { "天", 0 },
};

static const char *const recur_zh_digits[] = { "一", "二", "三", "四", "五",
					       "六", "七", "八", "九" };

static const struct {
	const char *word;
	int nth;
	int numeric; /* "1st": may instead be a day of the month */
} recur_nth_en[] = {
	{ "first", 1, 0 },  { "second", 2, 0 }, { "third", 3, 0 },
	{ "fourth", 4, 0 }, { "last", -1, 0 },	{ "1st", 1, 1 },
	{ "2nd", 2, 1 },    { "3rd", 3, 1 },	{ "4th", 4, 1 },
	{ "fifth", 5, 0 },  { "5th", 5, 1 },
};

static const char *const recur_nth_name[] = { "last",	"",	 "first",
					      "second", "third", "fourth" };

/* Calendar helpers. */

static int
recur_month_days(int year, int month)
{
	struct date a = { year, month, 1 }, b = { year, month + 1, 1 };

	if (month == 12) {
		b.year = year + 1;
		b.month = 1;
	}
	return (int)(date_to_days(b) - date_to_days(a));
}

static int
recur_wday_of(int64_t days)
{
	int64_t r = (days + 4) % 7; /* 1970-01-01 was a Thursday */

	return (int)(r < 0 ? r + 7 : r);
}

/* Days since 1970 of the Monday of the week holding days. */
static int64_t
recur_monday(int64_t days)
{
	return days - (recur_wday_of(days) + 6) % 7;
}

static int64_t
recur_month_index(struct date d)
{
	return (int64_t)d.year * 12 + d.month - 1;
}

static int64_t
recur_mod(int64_t a, int64_t n)
{
	int64_t r = a % n;

	return r < 0 ? r + n : r;
}

/*
 * Whether the rule's pattern names date d (days since 1970), counting
 * intervals from anchor; skipped dates and the anchor bound are not looked
 * at here.
 */
static int
recur_pattern(const struct recur_rule *r, struct date anchor, struct date d,
	      int64_t days)
{
	int64_t months = recur_month_index(d) - recur_month_index(anchor);
	int mlen;

	switch (r->kind) {
	case RECUR_WEEKLY:
		if (!(r->weekdays & (1u << recur_wday_of(days))))
			return 0;
		return recur_mod((recur_monday(days) -
				  recur_monday(date_to_days(anchor))) /
				     7,
				 r->interval) == 0;
	case RECUR_DAILY:
		return recur_mod(days - date_to_days(anchor), r->interval) == 0;
	case RECUR_MONTHLY_DAY:
		mlen = recur_month_days(d.year, d.month);
		return recur_mod(months, r->interval) == 0 &&
		       d.day == (r->monthday < mlen ? r->monthday : mlen);
	case RECUR_MONTHLY_NTH:
		if (recur_mod(months, r->interval) != 0 ||
		    recur_wday_of(days) != r->nth_wday)
			return 0;
		if (r->nth == -1)
			return d.day + 7 > recur_month_days(d.year, d.month);
		return (d.day - 1) / 7 + 1 == r->nth;
	}
	return 0;
}

/* Whether a valid rule holds a meeting on d (skips aside). */
static int
recur_day_match(const struct recur_rule *r, struct date d, int64_t days)
{
	if (days < date_to_days(r->anchor))
		return 0;
	return recur_pattern(r, r->anchor, d, days);
}

/*
 * The first date on or after from that r's pattern names when counting
 * starts there, i.e. the anchor a rule starting at from gets; -1 if none
 * within a year or before 9999.
 */
static int
recur_first_on_or_after(const struct recur_rule *r, struct date from,
			struct date *out)
{
	int64_t start = date_to_days(from), i;
	struct recur_rule one = *r;
	struct date d;

	/* Counting starts at the first match, so the interval plays no part. */
	one.interval = 1;
	for (i = 0; i <= 366 * 2; i++) {
		d = date_from_days(start + i);
		if (!date_valid(d))
			return -1;
		if (recur_pattern(&one, from, d, start + i)) {
			*out = d;
			return 0;
		}
	}
	return -1;
}

/*
 * recur_check(), with the zone file looked at only when check_zone is set:
 * recur_next() runs often, and tz_from_local() checks a zone it has not
 * used yet anyway.
 */
static int
recur_check_rule(const struct recur_rule *r, int check_zone, enum locale loc,
		 char **cause)
{
	struct date first;
	size_t zlen;
	int i, max = 0;

	switch (r->kind) {
	case RECUR_WEEKLY:
		max = RECUR_WEEKS_MAX;
		if (r->weekdays == 0 || (r->weekdays & ~0x7fu) != 0)
			return set_cause(cause,
					 L_(loc, "weekdays 0x%x are not valid"),
					 r->weekdays);
		if (r->monthday != 0 || r->nth != 0 || r->nth_wday != 0)
			return set_cause(
			    cause, L_(loc, "a weekly rule has month days"));
		break;
	case RECUR_DAILY:
		max = RECUR_DAYS_MAX;
		if (r->weekdays != 0 || r->monthday != 0 || r->nth != 0 ||
		    r->nth_wday != 0)
			return set_cause(cause,
					 L_(loc, "a daily rule has days set"));
		break;
	case RECUR_MONTHLY_DAY:
		max = RECUR_MONTHS_MAX;
		if (r->monthday < 1 || r->monthday > 31)
			return set_cause(cause,
					 L_(loc,
					    "day of the month %d is out of "
					    "range (1 to 31)"),
					 r->monthday);
		if (r->weekdays != 0 || r->nth != 0 || r->nth_wday != 0)
			return set_cause(
			    cause, L_(loc, "a monthly rule has weekdays"));
		break;
	case RECUR_MONTHLY_NTH:
		max = RECUR_MONTHS_MAX;
		if (r->nth != -1 && (r->nth < 1 || r->nth > 4))
			return set_cause(cause,
					 L_(loc,
					    "n-th weekday %d is out of range "
					    "(1 to 4, or -1 for the last)"),
					 r->nth);
		if (r->nth_wday < 0 || r->nth_wday > 6)
			return set_cause(
			    cause,
			    L_(loc, "weekday %d is out of range (0 to 6)"),
			    r->nth_wday);
		if (r->weekdays != 0 || r->monthday != 0)
			return set_cause(
			    cause,
			    L_(loc, "an n-th weekday rule has other days"));
		break;
	default:
		return set_cause(cause, "unknown schedule kind %d",
				 (int)r->kind);
	}
	if (r->interval < 1 || r->interval > max)
		return set_cause(
		    cause, L_(loc, "interval %d is out of range (1 to %d)"),
		    r->interval, max);
	if (r->minute < 0 || r->minute >= 24 * 60)
		return set_cause(
		    cause,
		    L_(loc, "meeting time %d is out of range (0 to 1439)"),
		    r->minute);
	if (r->length < RECUR_LENGTH_MIN || r->length > RECUR_LENGTH_MAX)
		return set_cause(
		    cause,
		    L_(loc, "meeting length %d is out of range (%d to %d "
			    "minutes)"),
		    r->length, RECUR_LENGTH_MIN, RECUR_LENGTH_MAX);
	zlen = strnlen(r->zone, sizeof r->zone);
	if (zlen == 0 || zlen == sizeof r->zone ||
	    (check_zone && !tz_valid(r->zone)))
		return set_cause(cause, L_(loc, "unknown time zone"));
	for (i = (int)zlen; i < (int)sizeof r->zone; i++) {
		if (r->zone[i] != '\0')
			return set_cause(
			    cause, L_(loc, "time zone has trailing bytes"));
	}
	if (!date_valid(r->anchor))
		return set_cause(cause,
				 L_(loc, "start date is not a valid date"));
	if (recur_first_on_or_after(r, r->anchor, &first) != 0 ||
	    date_compare(first, r->anchor) != 0)
		return set_cause(
		    cause,
		    L_(loc, "start date %04d-%02d-%02d is not a meeting "
			    "day"),
		    r->anchor.year, r->anchor.month, r->anchor.day);
	if (r->nskip < 0 || r->nskip > RECUR_SKIP_MAX)
		return set_cause(cause,
				 L_(loc, "%d skipped dates (at most %d)"),
				 r->nskip, RECUR_SKIP_MAX);
	for (i = 0; i < r->nskip; i++) {
		if (!date_valid(r->skip[i]))
			return set_cause(
			    cause, L_(loc, "skipped date %d is not valid"),
			    i + 1);
		if (i > 0 && date_compare(r->skip[i - 1], r->skip[i]) >= 0)
			return set_cause(
			    cause, L_(loc, "skipped dates are not in order"));
	}
	return 0;
}

int
recur_check(const struct recur_rule *r, char **cause)
{
	return recur_check_rule(r, 1, LOCALE_EN, cause);
}

int
recur_equal(const struct recur_rule *a, const struct recur_rule *b)
{
	int i;

	if (a->kind != b->kind || a->interval != b->interval ||
	    a->weekdays != b->weekdays || a->monthday != b->monthday ||
	    a->nth != b->nth || a->nth_wday != b->nth_wday ||
	    date_compare(a->anchor, b->anchor) != 0 || a->minute != b->minute ||
	    a->length != b->length ||
	    strncmp(a->zone, b->zone, sizeof a->zone) != 0 ||
	    a->nskip != b->nskip)
		return 0;
	for (i = 0; i < a->nskip && i < RECUR_SKIP_MAX; i++) {
		if (date_compare(a->skip[i], b->skip[i]) != 0)
			return 0;
	}
	return 1;
}

/* Occurrences. */

int
recur_next(const struct recur_rule *r, int64_t after, int64_t *start_utc,
	   struct date *local_date, char **cause)
{
	struct local_time lt;
	struct date d;
	int64_t first, days, t;
	int i;

	if (recur_check_rule(r, 0, LOCALE_EN, cause) != 0)
		return -1;
	if (tz_to_local(r->zone, after, &lt, cause) != 0)
		return -1;
	/* A day early: a DST gap can push a late meeting past midnight. */
	first = date_to_days(lt.date) - 1;
	if (first < date_to_days(r->anchor))
		first = date_to_days(r->anchor);
	for (i = 0; i <= RECUR_SEARCH_DAYS; i++) {
		days = first + i;
		d = date_from_days(days);
		if (!date_valid(d))
			break;
		if (!recur_day_match(r, d, days) || recur_is_skipped(r, d))
			continue;
		if (tz_from_local(r->zone, d, r->minute, &t, cause) != 0)
			return -1;
		if (t >= after) {
			*start_utc = t;
			*local_date = d;
			return 0;
		}
	}
	return set_cause(cause, "no meeting within ten years (are all dates "
				"skipped?)");
}

/* Skipped dates. */

/* The index of d in rule's skips, or where it would go (*found = 0). */
static int
recur_skip_find(const struct recur_rule *r, struct date d, int *found)
{
	int lo = 0, hi = r->nskip, mid, c;

	if (hi < 0 || hi > RECUR_SKIP_MAX)
		hi = hi < 0 ? 0 : RECUR_SKIP_MAX;
	*found = 0;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = date_compare(r->skip[mid], d);
		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int
recur_is_skipped(const struct recur_rule *r, struct date d)
{
	int found;

	recur_skip_find(r, d, &found);
	return found;
}

int
recur_skip_add(struct recur_rule *r, struct date d, char **cause)
{
	int found, at;

	if (!date_valid(d))
		return set_cause(cause, "%d-%d-%d is not a valid date", d.year,
				 d.month, d.day);
	at = recur_skip_find(r, d, &found);
	if (found)
		return 0;
	if (r->nskip >= RECUR_SKIP_MAX || r->nskip < 0)
		return set_cause(cause,
				 "too many skipped dates (at most %d); remove "
				 "one first",
				 RECUR_SKIP_MAX);
	memmove(&r->skip[at + 1], &r->skip[at],
		(size_t)(r->nskip - at) * sizeof r->skip[0]);
	r->skip[at] = d;
	r->nskip++;
	return 0;
}

int
recur_skip_remove(struct recur_rule *r, struct date d, char **cause)
{
	int found, at;

	at = recur_skip_find(r, d, &found);
	if (!found)
		return set_cause(cause, "%04d-%02d-%02d is not a skipped date",
				 d.year, d.month, d.day);
	memmove(&r->skip[at], &r->skip[at + 1],
		(size_t)(r->nskip - at - 1) * sizeof r->skip[0]);
	r->nskip--;
	memset(&r->skip[r->nskip], 0, sizeof r->skip[0]);
	return 0;
}

int
recur_skip_prune(struct recur_rule *r, struct date d)
{
	int found, at;

	at = recur_skip_find(r, d, &found);
	if (at == 0)
		return 0;
	memmove(&r->skip[0], &r->skip[at],
		(size_t)(r->nskip - at) * sizeof r->skip[0]);
	r->nskip -= at;
	memset(&r->skip[r->nskip], 0, (size_t)at * sizeof r->skip[0]);
	return at;
}

/* Offsets and quiet hours. */

int
recur_offset(const char *zone, int64_t start, const struct recur_offset *off,
	     int64_t *out, char **cause)
{
	struct local_time lt;
	struct date d;
	int64_t wall, days, t;
	int i;

	if (tz_to_local(zone, start, &lt, cause) != 0)
		return -1;
	days = date_to_days(lt.date);
	switch (off->kind) {
	case RECUR_OFFSET_MINUTES:
		if (off->minutes < 0 || off->minutes > RECUR_OFFSET_MINUTES_MAX)
			return set_cause(cause,
					 "offset %d is out of range (0 to %d "
					 "minutes)",
					 off->minutes,
					 RECUR_OFFSET_MINUTES_MAX);
		if (off->minutes == 0) {
			*out = start;
			return 0;
		}
		wall = days * 1440 + lt.hour * 60 + lt.minute - off->minutes;
		d = date_from_days((wall - recur_mod(wall, 1440)) / 1440);
		if (tz_from_local(zone, d, (int)recur_mod(wall, 1440), &t,
				  cause) != 0)
			return -1;
		/* In a gap the wall time moves forward, maybe past start. */
		*out = t < start ? t : start - (int64_t)off->minutes * 60;
		return 0;
	case RECUR_OFFSET_DAYS:
		if (off->days < 0 || off->days > RECUR_OFFSET_DAYS_MAX)
			return set_cause(cause,
					 "offset of %d days is out of range "
					 "(0 to %d)",
					 off->days, RECUR_OFFSET_DAYS_MAX);
		if (tz_from_local(zone, date_from_days(days - off->days),
				  off->minute, &t, cause) != 0)
			return -1;
		if (t >= start)
			return set_cause(cause,
					 "%02d:%02d %d days before is not "
					 "before the meeting",
					 off->minute / 60, off->minute % 60,
					 off->days);
		*out = t;
		return 0;
	case RECUR_OFFSET_WEEKDAY:
		if (off->wday < 0 || off->wday > 6)
			return set_cause(cause,
					 "weekday %d is out of range (0 to 6)",
					 off->wday);
		for (i = 0; i <= 8; i++) {
			if (recur_wday_of(days - i) != off->wday)
				continue;
			if (tz_from_local(zone, date_from_days(days - i),
					  off->minute, &t, cause) != 0)
				return -1;
			if (t < start) {
				*out = t;
				return 0;
			}
		}
		return set_cause(cause,
				 "cannot find %s %02d:%02d before the "
				 "meeting",
				 recur_wday_short[off->wday], off->minute / 60,
				 off->minute % 60);
	}
	return set_cause(cause, "unknown offset kind %d", (int)off->kind);
}

int
recur_quiet_adjust(const char *zone, int64_t t, int qstart, int qend,
		   int64_t *out, char **cause)
{
	struct local_time lt;
	struct date d;
	int64_t end;
	int m, inside, next_day = 0;

	if (qstart < 0 || qstart >= 1440 || qend < 0 || qend >= 1440)
		return set_cause(cause,
				 "quiet hours %d-%d are out of range (0 to "
				 "1439)",
				 qstart, qend);
	if (tz_to_local(zone, t, &lt, cause) != 0)
		return -1;
	m = lt.hour * 60 + lt.minute;
	if (qstart < qend)
		inside = m >= qstart && m < qend;
	else if (qstart > qend) {
		inside = m >= qstart || m < qend;
		next_day = m >= qstart;
	} else
		inside = 0;
	if (!inside) {
		*out = t;
		return 0;
	}
	d = date_from_days(date_to_days(lt.date) + next_day);
	if (tz_from_local(zone, d, qend, &end, cause) != 0)
		return -1;
	/*
	 * In the repeated hour of a fall-back day the first reading of the
	 * end can lie before t; then count wall minutes from t instead.
	 */
	if (end <= t)
		end = t + (int64_t)(recur_mod(qend - m, 1440) * 60 - lt.second);
	*out = end;
	return 0;
}

/* The scanner. */

/* Bytes of white space at p (ASCII or U+3000), or 0. */
static size_t
recur_space_len(const char *p, const char *end)
{
	size_t ideo = sizeof RECUR_IDEO_SPACE - 1;

	if (p >= end)
		return 0;
	if (*p == ' ' || (*p >= '\t' && *p <= '\r'))
		return 1;
	if ((size_t)(end - p) >= ideo && memcmp(p, RECUR_IDEO_SPACE, ideo) == 0)
		return ideo;
	return 0;
}

static void
rs_space(struct recur_scan *s)
{
	size_t n;

	while ((n = recur_space_len(s->p, s->end)) != 0)
		s->p += n;
}

/* Consume lit if the text continues with it. */
static int
rs_lit(struct recur_scan *s, const char *lit)
{
	size_t len = strlen(lit);

	if ((size_t)(s->end - s->p) < len || memcmp(s->p, lit, len) != 0)
		return 0;
	s->p += len;
	return 1;
}

static int
rs_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* Consume word if no letter follows it (and no digit unless digits_ok). */
static int
rs_word2(struct recur_scan *s, const char *word, int digits_ok)
{
	const char *save = s->p;
	char c;

	if (!rs_lit(s, word))
		return 0;
	if (s->p < s->end) {
		c = *s->p;
		if ((c >= 'a' && c <= 'z') || (!digits_ok && rs_alnum(c))) {
			s->p = save;
			return 0;
		}
	}
	return 1;
}

static int
rs_word(struct recur_scan *s, const char *word)
{
	return rs_word2(s, word, 0);
}

/* Consume 1..max decimal digits (no more may follow). */
static int
rs_num(struct recur_scan *s, int max, int *value)
{
	const char *p = s->p;
	int v = 0, n = 0;

	while (p < s->end && *p >= '0' && *p <= '9') {
		if (n == max)
			return 0;
		v = v * 10 + (*p - '0');
		n++;
		p++;
	}
	if (n == 0)
		return 0;
	s->p = p;
	*value = v;
	return 1;
}

/* Consume a Chinese digit 1..9 (两 = 2 too); its value or 0. */
static int
rs_zh_digit(struct recur_scan *s)
{
	size_t i;

	for (i = 0; i < sizeof recur_zh_digits / sizeof recur_zh_digits[0];
	     i++) {
		if (rs_lit(s, recur_zh_digits[i]))
			return (int)i + 1;
	}
	return rs_lit(s, "两") ? 2 : 0;
}

/* Consume a count: digits or a Chinese numeral up to 九十九. */
static int
rs_count(struct recur_scan *s, int *value)
{
	const char *save = s->p;
	int tens, units;

	if (rs_num(s, 3, value))
		return 1;
	tens = rs_zh_digit(s);
	if (rs_lit(s, "十")) {
		units = rs_zh_digit(s);
		*value = (tens == 0 ? 1 : tens) * 10 + units;
		return 1;
	}
	if (tens == 0) {
		s->p = save;
		return 0;
	}
	*value = tens;
	return 1;
}

/* Consume an English weekday name; its number, or -1. */
static int
rs_wday_en(struct recur_scan *s)
{
	size_t i;

	for (i = 0; i < sizeof recur_wdays_en / sizeof recur_wdays_en[0]; i++) {
		if (rs_word(s, recur_wdays_en[i].name))
			return recur_wdays_en[i].wday;
	}
	return -1;
}

/* Consume the character naming a weekday after 周 or 星期; or -1. */
static int
rs_wday_char(struct recur_scan *s)
{
	size_t i;

	for (i = 0; i < sizeof recur_wdays_zh / sizeof recur_wdays_zh[0]; i++) {
		if (rs_lit(s, recur_wdays_zh[i].name))
			return recur_wdays_zh[i].wday;
	}
	return -1;
}

/* Consume 周一, 星期一 or 礼拜一 (or an English name); its number or -1. */
static int
rs_wday(struct recur_scan *s)
{
	const char *save = s->p;
	int w;

	if ((w = rs_wday_en(s)) >= 0)
		return w;
	if (rs_lit(s, "周") || rs_lit(s, "星期") || rs_lit(s, "礼拜")) {
		if ((w = rs_wday_char(s)) >= 0)
			return w;
	}
	s->p = save;
	return -1;
}

/*
 * Copy the user's text from start to the scanner (or, if the scanner has
 * not moved, to the next white space) into out (RECUR_QUOTE_MAX + 1
 * bytes), safe to quote: control characters and broken UTF-8 become '?'.
 */
static void
rs_quote(const struct recur_scan *s, const char *start, char *out)
{
	const char *raw = s->raw + (start - s->low), *end = s->p;
	size_t len, i = 0, o = 0, n;

	if (end <= start) {
		end = start;
		while (end < s->end && recur_space_len(end, s->end) == 0)
			end++;
	}
	while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	len = (size_t)(end - start);
	while (i < len && o < RECUR_QUOTE_MAX) {
		for (n = 1; n <= 4 && n <= len - i; n++) {
			if (utf8_valid(raw + i, n))
				break;
		}
		if (n > 4 || n > len - i ||
		    (n == 1 && ((unsigned char)raw[i] < 0x20 ||
				raw[i] == 0x7f || raw[i] == '\''))) {
			out[o++] = '?';
			i++;
			continue;
		}
		if (o + n > RECUR_QUOTE_MAX)
			break;
		memcpy(out + o, raw + i, n);
		o += n;
		i += n;
	}
	out[o] = '\0';
}

/* The example most messages about a whole schedule end with. */
static const char *
recur_example(enum locale loc)
{
	return L_(loc, "e.g. 'mon 10:00 60m weekly Asia/Shanghai'");
}

/* The matchers, tried in order at each word. */

static int rs_wday_rest(struct recur_scan *s, struct recur_words *w,
			char **cause);

static int
recur_set_kind(struct recur_scan *s, const char *start, struct recur_words *w,
	       int kind, int interval, char **cause)
{
	char word[RECUR_QUOTE_MAX + 1];

	rs_quote(s, start, word);
	if (w->kind != 0)
		return set_cause(cause,
				 L_(s->loc,
				    "'%s' conflicts with '%s': give the "
				    "recurrence once"),
				 word, w->kind_word);
	/* One text per unit, so that each language words it its own way. */
	if (kind == RECUR_WEEKLY &&
	    (interval < 1 || interval > RECUR_WEEKS_MAX))
		return set_cause(
		    cause,
		    L_(s->loc, "'%s': the interval must be 1 to %d weeks"),
		    word, RECUR_WEEKS_MAX);
	if (kind == RECUR_DAILY && (interval < 1 || interval > RECUR_DAYS_MAX))
		return set_cause(
		    cause,
		    L_(s->loc, "'%s': the interval must be 1 to %d days"), word,
		    RECUR_DAYS_MAX);
	if (kind == RECUR_MONTHLY_DAY &&
	    (interval < 1 || interval > RECUR_MONTHS_MAX))
		return set_cause(
		    cause,
		    L_(s->loc, "'%s': the interval must be 1 to %d months"),
		    word, RECUR_MONTHS_MAX);
	w->kind = kind;
	w->interval = interval;
	memcpy(w->kind_word, word, sizeof word);
	return 1;
}

static int
recur_add_wday(struct recur_scan *s, const char *start, struct recur_words *w,
	       int wday, char **cause)
{
	char word[RECUR_QUOTE_MAX + 1];

	rs_quote(s, start, word);
	if (w->weekdays & (1u << wday))
		return set_cause(
		    cause, L_(s->loc, "weekday '%s' is given twice"), word);
	w->weekdays |= 1u << wday;
	if (w->wday_word[0] == '\0')
		memcpy(w->wday_word, word, sizeof word);
	return 1;
}

/* "from 2026-12-01", "从2026-12-01起". */
static int
m_from(struct recur_scan *s, struct recur_words *w, char **cause)
{
	const char *start = s->p;
	char word[RECUR_QUOTE_MAX + 1], buf[11];
	int zh;

	if (rs_word(s, "from"))
		zh = 0;
	else if (rs_lit(s, "从"))
		zh = 1;
	else
		return 0;
	rs_space(s);
	if (s->end - s->p >= 10) {
		memcpy(buf, s->p, 10);
		buf[10] = '\0';
		if (date_parse_iso(buf, &w->from) == 0 &&
		    (s->end - s->p == 10 || !rs_alnum(s->p[10]))) {
			s->p += 10;
			if (zh && !rs_lit(s, "起"))
				(void)rs_lit(s, "开始");
			if (w->has_from) {
				rs_quote(s, start, word);
				return set_cause(cause,
						 L_(s->loc,
						    "'%s': the start date is "
						    "given twice"),
						 word);
			}
			w->has_from = 1;
			return 1;
		}
	}
	rs_quote(s, start, word);
	return set_cause(cause,
			 L_(s->loc,
			    "'%s' needs a date like 2026-12-01 after it, e.g. "
			    "'from 2026-12-01'"),
			 word);
}

/* A word holding '/', or "UTC": an IANA zone name, as given. */
static int
m_zone(struct recur_scan *s, struct recur_words *w, char **cause)
{
	const char *start = s->p, *p = s->p;
	char word[RECUR_QUOTE_MAX + 1];
	size_t len;
	int slash = 0;

	while (p < s->end && recur_space_len(p, s->end) == 0) {
		if (*p == '/')
			slash = 1;
		p++;
	}
	len = (size_t)(p - start);
	if (!slash &&
	    !(len == 3 && memcmp(s->raw + (start - s->low), "UTC", 3) == 0))
		return 0;
	s->p = p;
	rs_quote(s, start, word);
	if (len > RECUR_ZONE_MAX)
		return set_cause(cause,
				 L_(s->loc,
				    "time zone '%s...' is too long (at most %d "
				    "bytes)"),
				 word, RECUR_ZONE_MAX);
	if (w->zone[0] != '\0')
		return set_cause(
		    cause,
		    L_(s->loc, "two time zones: '%s' and '%s'; give one"),
		    w->zone, word);
	memcpy(w->zone, s->raw + (start - s->low), len);
	w->zone[len] = '\0';
	if (!tz_valid(w->zone))
		return set_cause(cause,
				 L_(s->loc,
				    "unknown time zone '%s'; use an IANA name "
				    "like Asia/Shanghai or Europe/Berlin"),
				 word);
	return 1;
}

/* "10:00", "9:30", "10：00". */
static int
m_time(struct recur_scan *s, struct recur_words *w, char **cause)
{
	const char *start = s->p;
	char word[RECUR_QUOTE_MAX + 1];
	int h, m;

	if (!rs_num(s, 2, &h) || !(rs_lit(s, ":") || rs_lit(s, "："))) {
		s->p = start;
		return 0;
	}
	if (s->end - s->p < 2 || s->p[0] < '0' || s->p[0] > '9' ||
	    s->p[1] < '0' || s->p[1] > '9' ||
	    (s->end - s->p > 2 && rs_alnum(s->p[2]))) {
		while (s->p < s->end && rs_alnum(*s->p))
			s->p++;
		rs_quote(s, start, word);
		return set_cause(cause,
				 L_(s->loc,
				    "'%s' is not a time; use hours and minutes "
				    "like 09:30"),
				 word);
	}
	m = (s->p[0] - '0') * 10 + (s->p[1] - '0');
	s->p += 2;
	rs_quote(s, start, word);
	if (h > 23 || m > 59)
		return set_cause(
		    cause,
		    L_(s->loc, "'%s' is not a time of day (00:00 to 23:59)"),
		    word);
	if (w->minute >= 0)
		return set_cause(
		    cause,
		    L_(s->loc, "two meeting times: '%s' and '%s'; give one"),
		    w->time_word, word);
	w->minute = h * 60 + m;
	memcpy(w->time_word, word, sizeof word);
	return 1;
}

/* Consume a unit of minutes ("m", "分钟", ...). */
static int
rs_minute_unit(struct recur_scan *s)
{
	return rs_word(s, "minutes") || rs_word(s, "minute") ||
	       rs_word(s, "mins") || rs_word(s, "min") || rs_word(s, "m") ||
	       rs_lit(s, "分钟") || rs_lit(s, "分");
}

/* Consume a unit of hours ("h", "小时", ...); digits may follow "1h30m". */
static int
rs_hour_unit(struct recur_scan *s)
{
	return rs_word(s, "hours") || rs_word(s, "hour") || rs_word(s, "hrs") ||
	       rs_word(s, "hr") || rs_word2(s, "h", 1) || rs_lit(s, "个小时") ||
	       rs_lit(s, "小时");
}

/*
 * A length in minutes: "45m", "1h", "1h30m", "90 minutes", "45分钟",
 * "1小时30分钟". *minutes is -1 for no match.
 */
static void
rs_length(struct recur_scan *s, int *minutes)
{
	const char *start = s->p, *save;
	int n, m;

	*minutes = -1;
	if (!rs_num(s, 5, &n))
		return;
	rs_space(s);
	if (rs_minute_unit(s)) {
		*minutes = n;
		return;
	}
	if (!rs_hour_unit(s)) {
		s->p = start;
		return;
	}
	*minutes = n * 60;
	save = s->p;
	rs_space(s);
	if (rs_num(s, 3, &m)) {
		rs_space(s);
		if (rs_minute_unit(s)) {
			*minutes += m;
			return;
		}
	}
	s->p = save;
}

static int
m_length(struct recur_scan *s, struct recur_words *w, char **cause)
{
	const char *start = s->p;
	char word[RECUR_QUOTE_MAX + 1];
	int n;

	rs_length(s, &n);
	if (n < 0)
		return 0;
	rs_quote(s, start, word);
	if (n < RECUR_LENGTH_MIN || n > RECUR_LENGTH_MAX)
		return set_cause(cause,
				 L_(s->loc,
				    "length '%s' is out of range (%d to %d "
				    "minutes)"),
				 word, RECUR_LENGTH_MIN, RECUR_LENGTH_MAX);
	if (w->length >= 0)
		return set_cause(
		    cause,
		    L_(s->loc, "two meeting lengths: '%s' and '%s'; give one"),
		    w->length_word, word);
	w->length = n;
	memcpy(w->length_word, word, sizeof word);
	return 1;
}

/* "every 2 weeks", "every other week", "every day"; a lone "every". */
static int
m_every(struct recur_scan *s, struct recur_words *w, char **cause)
{
	const char *start = s->p, *after;
	char word[RECUR_QUOTE_MAX + 1];
	int n = 1, have_n = 0;

	if (!rs_word(s, "every"))
		return 0;
	after = s->p;
	rs_space(s);
	if (rs_word(s, "other")) {
		n = 2;
		have_n = 1;
	} else if (rs_num(s, 4, &n))
		have_n = 1;
	rs_space(s);
	if (rs_word(s, "weeks") || rs_word(s, "week"))
		return recur_set_kind(s, start, w, RECUR_WEEKLY, n, cause);
	if (rs_word(s, "days") || rs_word(s, "day"))
		return recur_set_kind(s, start, w, RECUR_DAILY, n, cause);
	if (rs_word(s, "months") || rs_word(s, "month"))
		return recur_set_kind(s, start, w, RECUR_MONTHLY_DAY, n, cause);
	if (have_n) {
		rs_quote(s, start, word);
		return set_cause(
		    cause,
		    L_(s->loc, "'%s' needs days, weeks or months after it, "
			       "e.g. 'every 2 weeks'"),
		    word);
	}
	/* "every monday": the weekday says the rest. */
	s->p = after;
	return 1;
}

static int
m_kind_word(struct recur_scan *s, struct recur_words *w, char **cause)
{
	static const struct {
		const char *word;
		int kind, interval, zh;
	} words[] = {
		{ "weekly", RECUR_WEEKLY, 1, 0 },
		{ "biweekly", RECUR_WEEKLY, 2, 0 },
		{ "fortnightly", RECUR_WEEKLY, 2, 0 },
		{ "daily", RECUR_DAILY, 1, 0 },
		{ "monthly", RECUR_MONTHLY_DAY, 1, 0 },
		{ "隔周", RECUR_WEEKLY, 2, 1 },
		{ "双周", RECUR_WEEKLY, 2, 1 },
	};
	const char *start = s->p;
	size_t i;
	int wd;

	for (i = 0; i < sizeof words / sizeof words[0]; i++) {
		if (words[i].zh ? rs_lit(s, words[i].word)
				: rs_word(s, words[i].word))
			break;
	}
	if (i == sizeof words / sizeof words[0])
		return 0;
	if (recur_set_kind(s, start, w, words[i].kind, words[i].interval,
			   cause) < 0)
		return -1;
	/* "隔周五": the weekday right after. */
	if (words[i].zh) {
		start = s->p;
		if ((wd = rs_wday_char(s)) >= 0) {
			if (recur_add_wday(s, start, w, wd, cause) < 0)
				return -1;
			return rs_wday_rest(s, w, cause);
		}
	}
	return 1;
}

/* 每周, 每两周, 每3天, 每天, 每日, 每月, 每个月, 每2个月; 每周一. */
static int
m_every_zh(struct recur_scan *s, struct recur_words *w, char **cause)
{
	const char *start = s->p, *wstart;
	char word[RECUR_QUOTE_MAX + 1];
	int n = 1, wd;

	if (!rs_lit(s, "每"))
		return 0;
	(void)rs_count(s, &n);
	(void)rs_lit(s, "个");
	if (rs_lit(s, "周") || rs_lit(s, "星期") || rs_lit(s, "礼拜")) {
		if (recur_set_kind(s, start, w, RECUR_WEEKLY, n, cause) < 0)
			return -1;
		wstart = s->p;
		if ((wd = rs_wday_char(s)) >= 0) {
			if (recur_add_wday(s, wstart, w, wd, cause) < 0)
				return -1;
			return rs_wday_rest(s, w, cause);
		}
		return 1;
	}
	if (rs_lit(s, "天") || rs_lit(s, "日"))
		return recur_set_kind(s, start, w, RECUR_DAILY, n, cause);
	if (rs_lit(s, "月"))
		return recur_set_kind(s, start, w, RECUR_MONTHLY_DAY, n, cause);
	rs_quote(s, start, word);
	return set_cause(
	    cause,
	    L_(s->loc,
	       "'%s' needs 周, 天 or 月 after 每, e.g. 每周, 每3天, 每月"),
	    word);
}

static int
recur_set_nth(struct recur_scan *s, const char *start, struct recur_words *w,
	      int nth, int wday, char **cause)
{
	char word[RECUR_QUOTE_MAX + 1];

	rs_quote(s, start, word);
	if (nth != -1 && (nth < 1 || nth > 4))
		return set_cause(
		    cause,
		    L_(s->loc, "'%s': only the first to fourth or the last "
			       "weekday of a month"),
		    word);
	if (w->monthday != 0 || w->nth != 0)
		return set_cause(
		    cause,
		    L_(s->loc, "'%s' conflicts with '%s': give the day once"),
		    word, w->day_word);
	w->nth = nth;
	w->nth_wday = wday;
	memcpy(w->day_word, word, sizeof word);
	return 1;
}

/* "first mon", "last friday", "2nd tue". */
static int
m_nth_en(struct recur_scan *s, struct recur_words *w, char **cause)
{
	const char *start = s->p;
	char word[RECUR_QUOTE_MAX + 1];
	size_t i;
	int wd;

	for (i = 0; i < sizeof recur_nth_en / sizeof recur_nth_en[0]; i++) {
		if (rs_word(s, recur_nth_en[i].word))
			break;
	}
	if (i == sizeof recur_nth_en / sizeof recur_nth_en[0])
		return 0;
	rs_space(s);
	if ((wd = rs_wday(s)) >= 0)
		return recur_set_nth(s, start, w, recur_nth_en[i].nth, wd,
				     cause);
	if (recur_nth_en[i].numeric) {
		s->p = start; /* "1st": a day of the month */
		return 0;
	}
	s->p = start + strlen(recur_nth_en[i].word);
	rs_quote(s, start, word);
	return set_cause(
	    cause, L_(s->loc, "'%s' needs a weekday after it, e.g. '%s mon'"),
	    word, word);
}

/* 第一个周一, 第1个星期一, 最后一个周五, 最后周五. */
static int
m_nth_zh(struct recur_scan *s, struct recur_words *w, char **cause)
{
	const char *start = s->p;
	char word[RECUR_QUOTE_MAX + 1];
	int n, wd;

	if (rs_lit(s, "第")) {
		if (!rs_count(s, &n)) {
			rs_quote(s, start, word);
			return set_cause(
			    cause,
			    L_(s->loc, "'%s' needs a number, e.g. 第一个周一"),
			    word);
		}
	} else if (rs_lit(s, "最后")) {
		(void)rs_lit(s, "一");
		n = -1;
	} else
		return 0;
	(void)rs_lit(s, "个");
	rs_space(s);
	if ((wd = rs_wday(s)) < 0) {
		rs_quote(s, start, word);
		return set_cause(cause,
				 L_(s->loc,
				    "'%s' needs a weekday after it, e.g. "
				    "第一个周一 or 最后一个周五"),
				 word);
	}
	return recur_set_nth(s, start, w, n, wd, cause);
}

/* After a weekday: more of them after ',', '，' or '、' ("周一、四" too). */
static int
rs_wday_rest(struct recur_scan *s, struct recur_words *w, char **cause)
{
	char word[RECUR_QUOTE_MAX + 1];
	const char *start, *save;
	int wd;

	for (;;) {
		save = s->p;
		rs_space(s);
		if (!(rs_lit(s, ",") || rs_lit(s, "，") || rs_lit(s, "、"))) {
			s->p = save;
			return 1;
		}
		rs_space(s);
		start = s->p;
		if ((wd = rs_wday(s)) < 0 && (wd = rs_wday_char(s)) < 0) {
			rs_quote(s, start, word);
			return set_cause(
			    cause,
			    L_(s->loc, "expected a weekday after the comma, "
				       "found '%s'"),
			    word);
		}
		if (recur_add_wday(s, start, w, wd, cause) < 0)
			return -1;
	}
}

/* "mon", "mon,thu", "周一、周四", "星期五". */
static int
m_wdays(struct recur_scan *s, struct recur_words *w, char **cause)
{
	const char *start = s->p;
	int wd;

	if ((wd = rs_wday(s)) < 0)
		return 0;
	if (recur_add_wday(s, start, w, wd, cause) < 0)
		return -1;
	return rs_wday_rest(s, w, cause);
}

static int
recur_set_monthday(struct recur_scan *s, const char *start,
		   struct recur_words *w, int day, char **cause)
{
	char word[RECUR_QUOTE_MAX + 1];

	rs_quote(s, start, word);
	if (day < 1 || day > 31)
		return set_cause(
		    cause,
		    L_(s->loc, "day of the month '%s' is out of range (1 to "
			       "31)"),
		    word);
	if (w->monthday != 0 || w->nth != 0)
		return set_cause(
		    cause,
		    L_(s->loc, "'%s' conflicts with '%s': give the day once"),
		    word, w->day_word);
	w->monthday = day;
	memcpy(w->day_word, word, sizeof word);
	return 1;
}

/* "15日", "15号", and a bare "15" or "15th". */
static int
m_monthday(struct recur_scan *s, struct recur_words *w, char **cause)
{
	const char *start = s->p;
	int n;

	if (!rs_num(s, 3, &n))
		return 0;
	if (rs_lit(s, "日") || rs_lit(s, "号") || rs_word(s, "st") ||
	    rs_word(s, "nd") || rs_word(s, "rd") || rs_word(s, "th") ||
	    s->p == s->end || recur_space_len(s->p, s->end) != 0)
		return recur_set_monthday(s, start, w, n, cause);
	s->p = start;
	return 0;
}

/* Words that only read well: "every monday at 10:00 for 1h". */
static int
m_filler(struct recur_scan *s, struct recur_words *w, char **cause)
{
	(void)w;
	(void)cause;
	return rs_word(s, "at") || rs_word(s, "on") || rs_word(s, "the") ||
	       rs_word(s, "for");
}

static const recur_matcher recur_matchers[] = {
	m_from,	    m_zone,   m_time,	m_length, m_every,    m_kind_word,
	m_every_zh, m_nth_en, m_nth_zh, m_wdays,  m_monthday, m_filler,
};

/* Turn what the words said into a rule (anchor and skips aside). */
static int
recur_resolve(const struct recur_words *w, const struct recur_defaults *def,
	      struct recur_rule *r, char **cause)
{
	int kind = w->kind;
	const char *zone;

	if (kind == 0) {
		if (w->weekdays != 0)
			kind = RECUR_WEEKLY;
		else if (w->monthday != 0 || w->nth != 0)
			kind = RECUR_MONTHLY_DAY;
		else
			return set_cause(
			    cause,
			    L_(def->loc, "missing the meeting days; %s, "
					 "'every 3 days 09:00' or 'monthly 15 "
					 "10:00'"),
			    recur_example(def->loc));
	}
	r->kind = kind;
	r->interval = w->kind != 0 ? w->interval : 1;
	switch (kind) {
	case RECUR_WEEKLY:
		if (w->monthday != 0 || w->nth != 0)
			return set_cause(cause,
					 L_(def->loc,
					    "'%s' is a day of the month, which "
					    "needs 'monthly'"),
					 w->day_word);
		if (w->weekdays == 0)
			return set_cause(
			    cause,
			    L_(def->loc,
			       "'%s' needs a weekday, e.g. mon or 周一"),
			    w->kind_word);
		r->weekdays = w->weekdays;
		break;
	case RECUR_DAILY:
		if (w->weekdays != 0)
			return set_cause(
			    cause,
			    L_(def->loc, "weekday '%s' does not fit '%s'; use "
					 "'weekly' for weekdays"),
			    w->wday_word, w->kind_word);
		if (w->monthday != 0 || w->nth != 0)
			return set_cause(cause,
					 L_(def->loc, "'%s' does not fit '%s'"),
					 w->day_word, w->kind_word);
		break;
	default:
		if (w->weekdays != 0)
			return set_cause(
			    cause,
			    L_(def->loc, "weekday '%s' needs first, second, "
					 "third, fourth or last before it for "
					 "a monthly meeting"),
			    w->wday_word);
		if (w->monthday != 0) {
			r->monthday = w->monthday;
		} else if (w->nth != 0) {
			r->kind = RECUR_MONTHLY_NTH;
			r->nth = w->nth;
			r->nth_wday = w->nth_wday;
		} else
			return set_cause(
			    cause,
			    L_(def->loc, "'%s' needs a day, e.g. 'monthly 15 "
					 "10:00' or 'monthly first mon 10:00'"),
			    w->kind_word);
		break;
	}
	if (w->minute < 0)
		return set_cause(cause,
				 L_(def->loc, "missing the meeting time; %s"),
				 recur_example(def->loc));
	r->minute = w->minute;
	r->length = w->length >= 0 ? w->length : def->length;
	if (r->length < RECUR_LENGTH_MIN || r->length > RECUR_LENGTH_MAX)
		return set_cause(
		    cause,
		    L_(def->loc, "default length %d is out of range (%d to %d "
				 "minutes)"),
		    r->length, RECUR_LENGTH_MIN, RECUR_LENGTH_MAX);
	zone = w->zone[0] != '\0' ? w->zone : def->zone;
	if (zone == NULL)
		return set_cause(
		    cause, L_(def->loc, "missing the time zone; add one like "
					"Asia/Shanghai"));
	if (strnlen(zone, RECUR_ZONE_MAX + 1) > RECUR_ZONE_MAX ||
	    !tz_valid(zone))
		return set_cause(
		    cause, L_(def->loc, "the default time zone is not valid"));
	memcpy(r->zone, zone, strlen(zone) + 1);
	return 0;
}

int
recur_parse(const char *text, const struct recur_defaults *def,
	    struct recur_rule *out, char **cause)
{
	char low[RECUR_TEXT_MAX + 1], raw[RECUR_TEXT_MAX + 1];
	char word[RECUR_QUOTE_MAX + 1];
	struct recur_scan s;
	struct recur_words w;
	struct recur_rule r;
	struct date from;
	size_t len, i, m;
	int rc;

	if (text == NULL)
		return set_cause(cause, L_(def->loc, "empty schedule; %s"),
				 recur_example(def->loc));
	len = strnlen(text, RECUR_TEXT_MAX + 1);
	if (len > RECUR_TEXT_MAX)
		return set_cause(
		    cause,
		    L_(def->loc, "schedule is too long (at most %d bytes)"),
		    RECUR_TEXT_MAX);
	if (!utf8_valid(text, len))
		return set_cause(cause,
				 L_(def->loc, "schedule is not valid UTF-8"));
	memcpy(raw, text, len + 1);
	for (i = 0; i <= len; i++)
		low[i] = raw[i] >= 'A' && raw[i] <= 'Z'
			     ? (char)(raw[i] - 'A' + 'a')
			     : raw[i];
	memset(&w, 0, sizeof w);
	w.minute = w.length = -1;
	s.loc = def->loc;
	s.low = low;
	s.raw = raw;
	s.p = low;
	s.end = low + len;
	rs_space(&s);
	if (s.p == s.end)
		return set_cause(cause, L_(def->loc, "empty schedule; %s"),
				 recur_example(def->loc));
	while (s.p < s.end) {
		const char *start = s.p;

		rc = 0;
		for (m = 0;
		     m < sizeof recur_matchers / sizeof recur_matchers[0];
		     m++) {
			rc = recur_matchers[m](&s, &w, cause);
			if (rc != 0)
				break;
		}
		if (rc < 0)
			return -1;
		if (rc == 0 || s.p == start) {
			s.p = start;
			rs_quote(&s, start, word);
			return set_cause(
			    cause,
			    L_(def->loc,
			       "unknown word '%s'; expected weekdays, "
			       "a time like 10:00, a length like "
			       "60m, weekly, every 2 weeks, every 3 "
			       "days, monthly or a time zone"),
			    word);
		}
		rs_space(&s);
	}

	memset(&r, 0, sizeof r);
	if (recur_resolve(&w, def, &r, cause) != 0)
		return -1;
	from = w.has_from ? w.from : def->today;
	if (!date_valid(from) ||
	    recur_first_on_or_after(&r, from, &r.anchor) != 0)
		return set_cause(
		    cause, L_(def->loc, "cannot find a first meeting day on or "
					"after the start date"));
	if (recur_check_rule(&r, 1, def->loc, cause) != 0)
		return -1;
	*out = r;
	return 0;
}

/* Append to buf at *off, keeping it NUL-terminated and cut to size. */
static void recur_append(char *buf, size_t size, size_t *off, const char *fmt,
			 ...) __attribute__((format(printf, 4, 5)));

static void
recur_append(char *buf, size_t size, size_t *off, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*off >= size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *off, size - *off, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	*off = (size_t)n >= size - *off ? size : *off + (size_t)n;
}

void
recur_format(const struct recur_rule *r, char *buf, size_t size)
{
	static const char *const units[] = { "", "weeks", "days", "months",
					     "months" };
	static const char *const words[] = { "", "weekly", "daily", "monthly",
					     "monthly" };
	size_t off = 0;
	int i, wd, sep = 0, k = r->kind;

	if (size == 0)
		return;
	buf[0] = '\0';
	if (k < RECUR_WEEKLY || k > RECUR_MONTHLY_NTH)
		return;
	if (r->interval == 1)
		recur_append(buf, size, &off, "%s ", words[k]);
	else
		recur_append(buf, size, &off, "every %d %s ", r->interval,
			     units[k]);
	switch (r->kind) {
	case RECUR_WEEKLY:
		for (i = 1; i <= 7; i++) {
			wd = i % 7; /* Monday first */
			if (!(r->weekdays & (1u << wd)))
				continue;
			recur_append(buf, size, &off, "%s%s", sep ? "," : "",
				     recur_wday_short[wd]);
			sep = 1;
		}
		recur_append(buf, size, &off, " ");
		break;
	case RECUR_DAILY:
		break;
	case RECUR_MONTHLY_DAY:
		recur_append(buf, size, &off, "%d ", r->monthday);
		break;
	case RECUR_MONTHLY_NTH:
		recur_append(
		    buf, size, &off, "%s %s ",
		    recur_nth_name[r->nth >= -1 && r->nth <= 4 ? r->nth + 1
							       : 1],
		    recur_wday_short[(unsigned)r->nth_wday % 7]);
		break;
	}
	recur_append(buf, size, &off, "%02d:%02d %dm %.*s from %04d-%02d-%02d",
		     r->minute / 60, r->minute % 60, r->length, RECUR_ZONE_MAX,
		     r->zone, r->anchor.year, r->anchor.month, r->anchor.day);
}

/* Offsets as text. */

/* "1d", "2 days", "1天", "前一天", "当天", "same day": calendar days. */
static int
rs_offset_days(struct recur_scan *s, int *days)
{
	const char *start = s->p;

	*days = 1;
	if (rs_lit(s, "前一天") || rs_lit(s, "前1天"))
		return 1;
	*days = 0;
	if (rs_lit(s, "当天"))
		return 1;
	if (rs_word(s, "same")) {
		rs_space(s);
		if (rs_word(s, "day"))
			return 1;
		s->p = start;
		return 0;
	}
	if (!rs_num(s, 3, days)) {
		s->p = start;
		return 0;
	}
	rs_space(s);
	if (!(rs_word(s, "days") || rs_word(s, "day") || rs_word(s, "d") ||
	      rs_lit(s, "天"))) {
		s->p = start;
		return 0;
	}
	if (!rs_lit(s, "前")) {
		rs_space(s);
		(void)rs_word(s, "before");
	}
	return 1;
}

int
recur_offset_parse(const char *text, enum locale loc, struct recur_offset *out,
		   char **cause)
{
	char low[RECUR_TEXT_MAX + 1], word[RECUR_QUOTE_MAX + 1];
	struct recur_scan s;
	struct recur_words w;
	struct recur_offset o;
	const char *start;
	size_t len, i;
	int n;

	if (text == NULL)
		text = "";
	len = strnlen(text, RECUR_TEXT_MAX + 1);
	if (len > RECUR_TEXT_MAX)
		return set_cause(
		    cause, L_(loc, "offset is too long (at most %d bytes)"),
		    RECUR_TEXT_MAX);
	if (!utf8_valid(text, len))
		return set_cause(cause, L_(loc, "offset is not valid UTF-8"));
	for (i = 0; i <= len; i++)
		low[i] = text[i] >= 'A' && text[i] <= 'Z'
			     ? (char)(text[i] - 'A' + 'a')
			     : text[i];
	memset(&w, 0, sizeof w);
	memset(&o, 0, sizeof o);
	w.minute = w.length = -1;
	s.loc = loc;
	s.low = low;
	s.raw = text;
	s.p = low;
	s.end = low + len;
	rs_space(&s);
	start = s.p;
	if ((n = rs_wday(&s)) >= 0) {
		o.kind = RECUR_OFFSET_WEEKDAY;
		o.wday = n;
	} else if (rs_offset_days(&s, &n)) {
		o.kind = RECUR_OFFSET_DAYS;
		o.days = n;
	} else {
		rs_length(&s, &n);
		if (n < 0)
			goto unknown;
		rs_space(&s);
		if (!rs_word(&s, "before"))
			(void)rs_lit(&s, "前");
		rs_space(&s);
		if (s.p != s.end)
			goto unknown;
		if (n > RECUR_OFFSET_MINUTES_MAX) {
			rs_quote(&s, start, word);
			return set_cause(
			    cause,
			    L_(loc, "'%s' is too long before the meeting "
				    "(at most a week)"),
			    word);
		}
		o.kind = RECUR_OFFSET_MINUTES;
		o.minutes = n;
		*out = o;
		return 0;
	}
	if (o.days > RECUR_OFFSET_DAYS_MAX) {
		rs_quote(&s, start, word);
		return set_cause(
		    cause, L_(loc, "'%s' is too far back (at most %d days)"),
		    word, RECUR_OFFSET_DAYS_MAX);
	}
	rs_space(&s);
	(void)(rs_word(&s, "at") || rs_lit(&s, "的"));
	rs_space(&s);
	start = s.p;
	n = m_time(&s, &w, cause);
	if (n < 0)
		return -1;
	if (n == 0) {
		rs_quote(&s, start, word);
		return set_cause(
		    cause, L_(loc, "expected a time like 16:00, found '%s'"),
		    word);
	}
	rs_space(&s);
	start = s.p;
	if (s.p != s.end)
		goto unknown;
	o.minute = w.minute;
	*out = o;
	return 0;

unknown:
	s.p = start;
	rs_quote(&s, start, word);
	return set_cause(cause,
			 L_(loc,
			    "cannot read '%s'; use 'fri 16:00', '30m', '2h' or "
			    "'1d 17:00'"),
			 word);
}

void
recur_offset_format(const struct recur_offset *o, char *buf, size_t size)
{
	if (size == 0)
		return;
	buf[0] = '\0';
	switch (o->kind) {
	case RECUR_OFFSET_MINUTES:
		snprintf(buf, size, "%dm", o->minutes);
		break;
	case RECUR_OFFSET_DAYS:
		snprintf(buf, size, "%dd %02d:%02d", o->days, o->minute / 60,
			 o->minute % 60);
		break;
	case RECUR_OFFSET_WEEKDAY:
		snprintf(buf, size, "%s %02d:%02d",
			 recur_wday_short[(unsigned)o->wday % 7],
			 o->minute / 60, o->minute % 60);
		break;
	}
}
