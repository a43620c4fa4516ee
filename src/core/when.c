/* SPDX-License-Identifier: MIT */
/*
 * when.c: civil-date arithmetic and the date parser for deadlines and leave;
 * see when.h.
 *
 * Pure: no clock, no time zone and no C library time functions. Dates are
 * proleptic Gregorian. date_to_days() counts days from 1970-01-01 with the
 * year shifted to start in March, so that the leap day is the last day of
 * its "year" and every other month length follows a fixed pattern; a
 * 400-year era always has 146097 days.
 *
 * when_parse() works on a private copy of the text: at most WHEN_MAX_TEXT
 * bytes are read, surrounding white space (ASCII and the ideographic space
 * U+3000) is trimmed and ASCII is folded to lower case. Each form is then
 * tried on a small scanner over the copy. A form either does not match (the
 * next one is tried), matches and yields a date, or matches but names a
 * date that cannot be used (2026-02-30, in 0 days); the last two end the
 * search, so a specific complaint is never replaced by the generic one.
 * Messages quote the user's text with control characters and broken UTF-8
 * replaced by '?', so they are always safe to post back to the chat.
 *
 * Weeks start on Monday: "next fri" and "下周五" are the Friday of the week
 * after the current one, while "fri" and "周五" are simply the first Friday
 * after today. When adding a form, add it to the list in when.h, to the
 * generic message below, and to the tables in tests/unit/core/test-when.c.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lihui/utf8.h"
#include "lihui/when.h"
#include "lihui/xmalloc.h"

/* The years when_parse() may return. */
#define WHEN_YEAR_MIN 1970
#define WHEN_YEAR_MAX 9999
/* The furthest "in N days" / "N天后" may reach, in days. */
#define WHEN_MAX_DAYS 3650

/* Days from 0000-03-01 to 1970-01-01 in the March-based calendar. */
#define WHEN_EPOCH_SHIFT 719468
/* Days in a 400-year Gregorian era. */
#define WHEN_ERA_DAYS 146097
/* date_from_days() clamps to this many days either side of 1970. */
#define WHEN_DAYS_LIMIT ((int64_t)1 << 38)

#define WHEN_HINT                                                                \
	"use 2026-12-01, 12-01, fri, 周五, tomorrow, 明天, in 3 days, next " \
	"week or 下周一"

/* The ideographic space, U+3000, which Chinese input methods produce. */
#define WHEN_IDEO_SPACE "\xe3\x80\x80"

/* What a form made of the text. */
enum when_match {
	WHEN_ERROR = -1,  /* the form matched, but the date is unusable */
	WHEN_NOMATCH = 0, /* not this form; try the next */
	WHEN_OK = 1,	  /* the form matched and *out is set */
};

/* A cursor over the trimmed, lower-cased copy of the text. */
struct when_scan {
	const char *p;
	const char *end;
};

/* What every form needs besides the scanner. */
struct when_ctx {
	struct date today;
	const char *shown; /* the user's text, safe to quote */
};

typedef int (*when_form_fn)(struct when_scan, const struct when_ctx *,
			    struct date *, char **);

static int when_leap(int year);
static int when_month_days(int year, int month);
static size_t when_space_len(const char *p, const char *end);
static void when_sanitize(const char *s, size_t len, char *out);
static void scan_space(struct when_scan *s);
static int scan_lit(struct when_scan *s, const char *lit);
static int scan_word(struct when_scan *s, const char *word);
static int scan_num(struct when_scan *s, int max_digits, int *value,
		    int *digits);
static int scan_end(struct when_scan *s);
static int scan_weekday_en(struct when_scan *s);
static int scan_weekday_zh(struct when_scan *s);
static int when_result(struct date d, const struct when_ctx *ctx,
		       struct date *out, char **cause);
static int when_add_days(int64_t n, const struct when_ctx *ctx,
			 struct date *out, char **cause);
static int when_coming(int wday, const struct when_ctx *ctx, struct date *out,
		       char **cause);
static int when_next_week(int wday, const struct when_ctx *ctx,
			  struct date *out, char **cause);
static int when_full_date(int year, int month, int day,
			  const struct when_ctx *ctx, struct date *out,
			  char **cause);
static int when_month_day(int month, int day, const struct when_ctx *ctx,
			  struct date *out, char **cause);
static int when_count(int n, int unit, const struct when_ctx *ctx,
		      struct date *out, char **cause);
static int form_numeric(struct when_scan s, const struct when_ctx *ctx,
			struct date *out, char **cause);
static int form_zh_date(struct when_scan s, const struct when_ctx *ctx,
			struct date *out, char **cause);
static int form_day_word(struct when_scan s, const struct when_ctx *ctx,
			 struct date *out, char **cause);
static int form_weekday_en(struct when_scan s, const struct when_ctx *ctx,
			   struct date *out, char **cause);
static int form_weekday_zh(struct when_scan s, const struct when_ctx *ctx,
			   struct date *out, char **cause);
static int form_in_en(struct when_scan s, const struct when_ctx *ctx,
		      struct date *out, char **cause);
static int form_end_of_week(struct when_scan s, const struct when_ctx *ctx,
			    struct date *out, char **cause);
static int form_in_zh(struct when_scan s, const struct when_ctx *ctx,
		      struct date *out, char **cause);

static const when_form_fn when_forms[] = {
	form_numeric,	 form_zh_date, form_day_word, form_weekday_en,
	form_weekday_zh, form_in_en,   form_in_zh,    form_end_of_week,
};

static const struct {
	const char *name;
	int days;
} when_day_words[] = {
	{ "today", 0 }, { "tomorrow", 1 }, { "今天", 0 },
	{ "明天", 1 },	{ "后天", 2 },
};

static const struct {
	const char *name;
	int wday;
} when_weekdays_en[] = {
	{ "monday", 1 }, { "mon", 1 },	    { "tuesday", 2 },
	{ "tues", 2 },	 { "tue", 2 },	    { "wednesday", 3 },
	{ "wed", 3 },	 { "thursday", 4 }, { "thurs", 4 },
	{ "thur", 4 },	 { "thu", 4 },	    { "friday", 5 },
	{ "fri", 5 },	 { "saturday", 6 }, { "sat", 6 },
	{ "sunday", 0 }, { "sun", 0 },
};

static const struct {
	const char *name;
	int wday;
} when_weekdays_zh[] = {
	{ "一", 1 }, { "二", 2 }, { "三", 3 }, { "四", 4 },
	{ "五", 5 }, { "六", 6 }, { "日", 0 }, { "天", 0 },
};

static int
when_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int
when_month_days(int year, int month)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30,
				      31, 31, 30, 31, 30, 31 };

	if (month == 2 && when_leap(year))
		return 29;
	return days[month - 1];
}

int
date_valid(struct date d)
{
	if (d.year < 1 || d.year > 9999 || d.month < 1 || d.month > 12)
		return 0;
	return d.day >= 1 && d.day <= when_month_days(d.year, d.month);
}

int64_t
date_to_days(struct date d)
{
	int64_t y = (int64_t)d.year - (d.month <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400; /* year of era, 0..399 */
	int64_t mp = d.month > 2 ? d.month - 3 : d.month + 9; /* March = 0 */
	int64_t doy = (153 * mp + 2) / 5 + d.day - 1;	      /* 0..365 */
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;  /* 0..146096 */

	return era * WHEN_ERA_DAYS + doe - WHEN_EPOCH_SHIFT;
}

struct date
date_from_days(int64_t days)
{
	int64_t z, era, doe, yoe, doy, mp, y;
	struct date d;

	/* Far beyond any real use; keeps the arithmetic below defined. */
	if (days > WHEN_DAYS_LIMIT)
		days = WHEN_DAYS_LIMIT;
	if (days < -WHEN_DAYS_LIMIT)
		days = -WHEN_DAYS_LIMIT;
	z = days + WHEN_EPOCH_SHIFT;
	era = (z >= 0 ? z : z - (WHEN_ERA_DAYS - 1)) / WHEN_ERA_DAYS;
	doe = z - era * WHEN_ERA_DAYS;
	yoe =
	    (doe - doe / 1460 + doe / 36524 - doe / (WHEN_ERA_DAYS - 1)) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	y = yoe + era * 400;
	d.day = (int)(doy - (153 * mp + 2) / 5 + 1);
	d.month = (int)(mp < 10 ? mp + 3 : mp - 9);
	d.year = (int)(y + (d.month <= 2));
	return d;
}

int
date_weekday(struct date d)
{
	/* 1970-01-01 was a Thursday. */
	int64_t r = (date_to_days(d) + 4) % 7;

	return (int)(r < 0 ? r + 7 : r);
}

int
date_compare(struct date a, struct date b)
{
	if (a.year != b.year)
		return a.year < b.year ? -1 : 1;
	if (a.month != b.month)
		return a.month < b.month ? -1 : 1;
	if (a.day != b.day)
		return a.day < b.day ? -1 : 1;
	return 0;
}

void
date_format(struct date d, char *out, unsigned long size)
{
	if (size == 0)
		return;
	snprintf(out, size, "%04d-%02d-%02d", d.year, d.month, d.day);
}

int
date_parse_iso(const char *s, struct date *out)
{
	static const char shape[] = "dddd-dd-dd";
	struct date d;
	size_t i;

	if (s == NULL)
		return -1;
	/* Stops at a short string's NUL, which matches neither 'd' nor '-'. */
	for (i = 0; shape[i] != '\0'; i++) {
		if (shape[i] == 'd' && (s[i] < '0' || s[i] > '9'))
			return -1;
		if (shape[i] == '-' && s[i] != '-')
			return -1;
	}
	if (s[i] != '\0')
		return -1;
	d.year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
		 (s[3] - '0');
	d.month = (s[5] - '0') * 10 + (s[6] - '0');
	d.day = (s[8] - '0') * 10 + (s[9] - '0');
	if (!date_valid(d))
		return -1;
	*out = d;
	return 0;
}

/* Bytes of white space at p (an ASCII space or U+3000), or 0. */
static size_t
when_space_len(const char *p, const char *end)
{
	size_t ideo = sizeof WHEN_IDEO_SPACE - 1;

	if (p >= end)
		return 0;
	if (*p == ' ' || (*p >= '\t' && *p <= '\r'))
		return 1;
	if ((size_t)(end - p) >= ideo && memcmp(p, WHEN_IDEO_SPACE, ideo) == 0)
		return ideo;
	return 0;
}

/*
 * Copy len bytes of s to out (len + 1 bytes) as text that is safe to quote
 * in a chat message: control characters and bytes that are not part of a
 * well-formed UTF-8 character become '?'.
 */
static void
when_sanitize(const char *s, size_t len, char *out)
{
	size_t i = 0, o = 0, n;

	while (i < len) {
		for (n = 1; n <= 4 && n <= len - i; n++) {
			if (utf8_valid(s + i, n))
				break;
		}
		if (n > 4 || n > len - i ||
		    (n == 1 && (unsigned char)s[i] < 0x20) ||
		    (n == 1 && s[i] == 0x7f)) {
			out[o++] = '?';
			i++;
			continue;
		}
		memcpy(out + o, s + i, n);
		o += n;
		i += n;
	}
	out[o] = '\0';
}

static void
scan_space(struct when_scan *s)
{
	size_t n;

	while ((n = when_space_len(s->p, s->end)) != 0)
		s->p += n;
}

/* Consume lit if the text continues with it. */
static int
scan_lit(struct when_scan *s, const char *lit)
{
	size_t len = strlen(lit);

	if ((size_t)(s->end - s->p) < len || memcmp(s->p, lit, len) != 0)
		return 0;
	s->p += len;
	return 1;
}

/* Consume word if it is not followed by a letter or digit. */
static int
scan_word(struct when_scan *s, const char *word)
{
	const char *save = s->p;
	char c;

	if (!scan_lit(s, word))
		return 0;
	if (s->p < s->end) {
		c = *s->p;
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			s->p = save;
			return 0;
		}
	}
	return 1;
}

/* Consume 1..max_digits decimal digits (no more may follow). */
static int
scan_num(struct when_scan *s, int max_digits, int *value, int *digits)
{
	const char *p = s->p;
	int v = 0, n = 0;

	while (p < s->end && *p >= '0' && *p <= '9') {
		if (n == max_digits)
			return 0;
		v = v * 10 + (*p - '0');
		n++;
		p++;
	}
	if (n == 0)
		return 0;
	s->p = p;
	*value = v;
	if (digits != NULL)
		*digits = n;
	return 1;
}

/* Whether only white space is left. */
static int
scan_end(struct when_scan *s)
{
	scan_space(s);
	return s->p == s->end;
}

/* Consume an English weekday name; its number, or -1. */
static int
scan_weekday_en(struct when_scan *s)
{
	size_t i;

	for (i = 0; i < sizeof when_weekdays_en / sizeof when_weekdays_en[0];
	     i++) {
		if (scan_word(s, when_weekdays_en[i].name))
			return when_weekdays_en[i].wday;
	}
	return -1;
}

/* Consume the character after 周 or 星期; its weekday number, or -1. */
static int
scan_weekday_zh(struct when_scan *s)
{
	size_t i;

	for (i = 0; i < sizeof when_weekdays_zh / sizeof when_weekdays_zh[0];
	     i++) {
		if (scan_lit(s, when_weekdays_zh[i].name))
			return when_weekdays_zh[i].wday;
	}
	return -1;
}

/* Accept d as the answer if its year is in range. */
static int
when_result(struct date d, const struct when_ctx *ctx, struct date *out,
	    char **cause)
{
	if (d.year < WHEN_YEAR_MIN || d.year > WHEN_YEAR_MAX ||
	    !date_valid(d)) {
		set_cause(cause, "date '%s' is out of range (years %d..%d)",
			  ctx->shown, WHEN_YEAR_MIN, WHEN_YEAR_MAX);
		return WHEN_ERROR;
	}
	*out = d;
	return WHEN_OK;
}

static int
when_add_days(int64_t n, const struct when_ctx *ctx, struct date *out,
	      char **cause)
{
	return when_result(date_from_days(date_to_days(ctx->today) + n), ctx,
			   out, cause);
}

/* The first day with weekday wday after today. */
static int
when_coming(int wday, const struct when_ctx *ctx, struct date *out,
	    char **cause)
{
	int delta = (wday - date_weekday(ctx->today) + 7) % 7;

	return when_add_days(delta == 0 ? 7 : delta, ctx, out, cause);
}

/* Weekday wday of the week (Monday to Sunday) after the current one. */
static int
when_next_week(int wday, const struct when_ctx *ctx, struct date *out,
	       char **cause)
{
	int today_from_monday = (date_weekday(ctx->today) + 6) % 7;
	int target_from_monday = (wday + 6) % 7;

	return when_add_days(7 - today_from_monday + target_from_monday, ctx,
			     out, cause);
}

static int
when_full_date(int year, int month, int day, const struct when_ctx *ctx,
	       struct date *out, char **cause)
{
	struct date d = { .year = year, .month = month, .day = day };

	if (year < WHEN_YEAR_MIN || year > WHEN_YEAR_MAX)
		return when_result(d, ctx, out, cause);
	if (!date_valid(d)) {
		set_cause(cause, "no such date '%s'", ctx->shown);
		return WHEN_ERROR;
	}
	return when_result(d, ctx, out, cause);
}

/* The next month/day on or after today (02-29 waits for a leap year). */
static int
when_month_day(int month, int day, const struct when_ctx *ctx, struct date *out,
	       char **cause)
{
	struct date d = { .month = month, .day = day };
	int i;

	if (month < 1 || month > 12 || day < 1 ||
	    day > when_month_days(2000, month)) {
		set_cause(cause, "no such date '%s'", ctx->shown);
		return WHEN_ERROR;
	}
	/* Leap years are at most eight years apart (2096, 2104). */
	for (i = 0; i <= 8; i++) {
		d.year = ctx->today.year + i;
		if (date_valid(d) && date_compare(d, ctx->today) >= 0)
			break;
	}
	return when_result(d, ctx, out, cause);
}

/* n units of unit days from today, within WHEN_MAX_DAYS. */
static int
when_count(int n, int unit, const struct when_ctx *ctx, struct date *out,
	   char **cause)
{
	int max = WHEN_MAX_DAYS / unit;

	if (n < 1 || n > max) {
		set_cause(cause,
			  "cannot use '%s': the number of %s must be 1..%d",
			  ctx->shown, unit == 1 ? "days" : "weeks", max);
		return WHEN_ERROR;
	}
	return when_add_days((int64_t)n * unit, ctx, out, cause);
}

/* 2026-12-01, 2026/12/01, 12-01, 12/01. */
static int
form_numeric(struct when_scan s, const struct when_ctx *ctx, struct date *out,
	     char **cause)
{
	int a, b, c, a_digits;
	char sep;

	if (!scan_num(&s, 4, &a, &a_digits) || s.p == s.end)
		return WHEN_NOMATCH;
	sep = *s.p;
	if (sep != '-' && sep != '/')
		return WHEN_NOMATCH;
	s.p++;
	if (!scan_num(&s, 2, &b, NULL))
		return WHEN_NOMATCH;
	if (s.p < s.end && *s.p == sep) {
		s.p++;
		if (a_digits != 4 || !scan_num(&s, 2, &c, NULL) ||
		    !scan_end(&s))
			return WHEN_NOMATCH;
		return when_full_date(a, b, c, ctx, out, cause);
	}
	if (a_digits > 2 || !scan_end(&s))
		return WHEN_NOMATCH;
	return when_month_day(a, b, ctx, out, cause);
}

/* 2026年12月1日, 12月1日 (or 号). */
static int
form_zh_date(struct when_scan s, const struct when_ctx *ctx, struct date *out,
	     char **cause)
{
	int year = 0, month, day, digits;

	if (!scan_num(&s, 4, &month, &digits))
		return WHEN_NOMATCH;
	scan_space(&s);
	if (scan_lit(&s, "年")) {
		if (digits != 4)
			return WHEN_NOMATCH;
		year = month;
		scan_space(&s);
		if (!scan_num(&s, 2, &month, NULL))
			return WHEN_NOMATCH;
		scan_space(&s);
	} else if (digits > 2) {
		return WHEN_NOMATCH;
	}
	if (!scan_lit(&s, "月"))
		return WHEN_NOMATCH;
	scan_space(&s);
	if (!scan_num(&s, 2, &day, NULL))
		return WHEN_NOMATCH;
	scan_space(&s);
	if (!scan_lit(&s, "日") && !scan_lit(&s, "号"))
		return WHEN_NOMATCH;
	if (!scan_end(&s))
		return WHEN_NOMATCH;
	if (year != 0)
		return when_full_date(year, month, day, ctx, out, cause);
	return when_month_day(month, day, ctx, out, cause);
}

/* today, tomorrow, 今天, 明天, 后天. */
static int
form_day_word(struct when_scan s, const struct when_ctx *ctx, struct date *out,
	      char **cause)
{
	struct when_scan t;
	size_t i;

	for (i = 0; i < sizeof when_day_words / sizeof when_day_words[0]; i++) {
		t = s;
		if (scan_lit(&t, when_day_words[i].name) && scan_end(&t))
			return when_add_days(when_day_words[i].days, ctx, out,
					     cause);
	}
	return WHEN_NOMATCH;
}

/*
 * end of week, end of the week, eow, 本周内, 这周内, 周末前: the working
 * week's last day, Friday (today on a Friday; next week's on a weekend).
 */
static int
form_end_of_week(struct when_scan s, const struct when_ctx *ctx,
		 struct date *out, char **cause)
{
	static const char *const words[] = { "eow", "本周内", "这周内",
					     "周末前" };
	struct when_scan t;
	size_t i;
	int wday, days, match = 0;

	for (i = 0; i < sizeof words / sizeof words[0] && !match; i++) {
		t = s;
		match = scan_lit(&t, words[i]) && scan_end(&t);
	}
	if (!match) {
		t = s;
		match = scan_word(&t, "end") && (scan_space(&t), 1) &&
			scan_word(&t, "of") && (scan_space(&t), 1);
		if (match && scan_word(&t, "the"))
			scan_space(&t);
		match = match && scan_word(&t, "week") && scan_end(&t);
	}
	if (!match)
		return WHEN_NOMATCH;
	wday = date_weekday(ctx->today);
	days = wday <= 5 ? 5 - wday : 5 + 7 - wday;
	return when_add_days(days, ctx, out, cause);
}

/* fri, friday, next fri, next week. */
static int
form_weekday_en(struct when_scan s, const struct when_ctx *ctx,
		struct date *out, char **cause)
{
	int next, wday;

	next = scan_word(&s, "next");
	if (next) {
		scan_space(&s);
		if (scan_word(&s, "week"))
			return scan_end(&s) ? when_next_week(1, ctx, out, cause)
					    : WHEN_NOMATCH;
	}
	wday = scan_weekday_en(&s);
	if (wday < 0 || !scan_end(&s))
		return WHEN_NOMATCH;
	if (next)
		return when_next_week(wday, ctx, out, cause);
	return when_coming(wday, ctx, out, cause);
}

/* 周五, 星期五, 下周五, 下星期五, 下个周五, 下周, 下星期. */
static int
form_weekday_zh(struct when_scan s, const struct when_ctx *ctx,
		struct date *out, char **cause)
{
	int next, wday;

	next = scan_lit(&s, "下");
	if (next) {
		scan_space(&s);
		scan_lit(&s, "个");
		scan_space(&s);
	}
	if (!scan_lit(&s, "周") && !scan_lit(&s, "星期"))
		return WHEN_NOMATCH;
	scan_space(&s);
	wday = scan_weekday_zh(&s);
	if (!scan_end(&s))
		return WHEN_NOMATCH;
	if (wday < 0)
		return next ? when_next_week(1, ctx, out, cause) : WHEN_NOMATCH;
	if (next)
		return when_next_week(wday, ctx, out, cause);
	return when_coming(wday, ctx, out, cause);
}

/* in 3 days, in 1 day, in 2 weeks, in 1 week. */
static int
form_in_en(struct when_scan s, const struct when_ctx *ctx, struct date *out,
	   char **cause)
{
	int n, unit;

	if (!scan_word(&s, "in"))
		return WHEN_NOMATCH;
	scan_space(&s);
	if (!scan_num(&s, 6, &n, NULL))
		return WHEN_NOMATCH;
	scan_space(&s);
	if (scan_word(&s, "days") || scan_word(&s, "day"))
		unit = 1;
	else if (scan_word(&s, "weeks") || scan_word(&s, "week"))
		unit = 7;
	else
		return WHEN_NOMATCH;
	if (!scan_end(&s))
		return WHEN_NOMATCH;
	return when_count(n, unit, ctx, out, cause);
}

/* 3天后, 2周后, 2个星期后, 3天以后. */
static int
form_in_zh(struct when_scan s, const struct when_ctx *ctx, struct date *out,
	   char **cause)
{
	int n, unit;

	if (!scan_num(&s, 6, &n, NULL))
		return WHEN_NOMATCH;
	scan_space(&s);
	if (scan_lit(&s, "天"))
		unit = 1;
	else if (scan_lit(&s, "周") || scan_lit(&s, "星期") ||
		 scan_lit(&s, "个星期"))
		unit = 7;
	else
		return WHEN_NOMATCH;
	scan_space(&s);
	if (!scan_lit(&s, "后") && !scan_lit(&s, "以后"))
		return WHEN_NOMATCH;
	if (!scan_end(&s))
		return WHEN_NOMATCH;
	return when_count(n, unit, ctx, out, cause);
}

int
when_parse(const char *text, struct date today, struct date *out, char **cause)
{
	char low[WHEN_MAX_TEXT], shown[WHEN_MAX_TEXT];
	const char *start, *end;
	struct when_ctx ctx = { .today = today, .shown = shown };
	struct when_scan s;
	struct date d;
	size_t len, i, n;
	int r;

	if (!date_valid(today))
		return set_cause(cause, "invalid reference date %d-%d-%d",
				 today.year, today.month, today.day);
	if (text == NULL)
		return set_cause(cause, "missing date; " WHEN_HINT);
	len = strnlen(text, WHEN_MAX_TEXT);
	/* A text that reaches the limit may go on; refuse rather than cut. */
	if (len == WHEN_MAX_TEXT)
		return set_cause(cause, "date is too long (at most %d bytes)",
				 WHEN_MAX_TEXT - 1);
	start = text;
	end = text + len;
	while ((n = when_space_len(start, end)) != 0)
		start += n;
	while (end > start) {
		if (when_space_len(end - 1, end) == 1)
			end--;
		else if (end - start >= 3 && when_space_len(end - 3, end) == 3)
			end -= 3;
		else
			break;
	}
	if (start == end)
		return set_cause(cause, "missing date; " WHEN_HINT);

	len = (size_t)(end - start);
	for (i = 0; i < len; i++) {
		low[i] = start[i];
		if (low[i] >= 'A' && low[i] <= 'Z')
			low[i] = (char)(low[i] - 'A' + 'a');
	}
	when_sanitize(start, len, shown);

	s.p = low;
	s.end = low + len;
	for (i = 0; i < sizeof when_forms / sizeof when_forms[0]; i++) {
		r = when_forms[i](s, &ctx, &d, cause);
		if (r == WHEN_OK) {
			*out = d;
			return 0;
		}
		if (r == WHEN_ERROR)
			return -1;
	}
	return set_cause(cause, "cannot read date '%s'; " WHEN_HINT, shown);
}
