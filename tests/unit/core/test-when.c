/* SPDX-License-Identifier: MIT */
/*
 * test-when.c: the civil-date helpers and when_parse(), table-driven.
 *
 * Unless a row says otherwise, "today" is Thursday 2026-11-26. Rows with
 * want == NULL must fail, and their cause must contain cause_has.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lihui/utf8.h"
#include "lihui/when.h"

#define TODAY "2026-11-26"

struct parse_case {
	const char *today;
	const char *in;
	const char *want;      /* NULL: must fail */
	const char *cause_has; /* for failures: a part of the message */
};

static const struct parse_case parse_ok[] = {
	/* The end of the (working) week: Friday; a weekend's is next week's. */
	{ TODAY, "end of week", "2026-11-27", NULL },
	{ TODAY, "End of the Week", "2026-11-27", NULL },
	{ TODAY, "eow", "2026-11-27", NULL },
	{ TODAY, "本周内", "2026-11-27", NULL },
	{ TODAY, "周末前", "2026-11-27", NULL },
	{ "2026-11-27", "end of week", "2026-11-27", NULL },
	{ "2026-11-28", "end of week", "2026-12-04", NULL },
	{ "2026-11-29", "这周内", "2026-12-04", NULL },
	/* Numeric dates, with and without a year. */
	{ TODAY, "2026-12-01", "2026-12-01", NULL },
	{ TODAY, "2026/12/01", "2026-12-01", NULL },
	{ TODAY, "2026-1-5", "2026-01-05", NULL },
	{ TODAY, "2028-02-29", "2028-02-29", NULL },
	{ TODAY, "1970-01-01", "1970-01-01", NULL },
	{ TODAY, "9999-12-31", "9999-12-31", NULL },
	{ TODAY, "12-01", "2026-12-01", NULL },
	{ TODAY, "12/01", "2026-12-01", NULL },
	{ TODAY, "12/1", "2026-12-01", NULL },
	{ TODAY, "11-26", "2026-11-26", NULL },
	{ TODAY, "11-25", "2027-11-25", NULL },
	{ TODAY, "01-05", "2027-01-05", NULL },
	{ TODAY, "2-3", "2027-02-03", NULL },
	{ TODAY, "02-29", "2028-02-29", NULL },
	{ TODAY, "12-31", "2026-12-31", NULL },
	/* Chinese dates. */
	{ TODAY, "12月1日", "2026-12-01", NULL },
	{ TODAY, "12月1号", "2026-12-01", NULL },
	{ TODAY, "12月01日", "2026-12-01", NULL },
	{ TODAY, "11月25日", "2027-11-25", NULL },
	{ TODAY, "2月29日", "2028-02-29", NULL },
	{ TODAY, "2026年12月1日", "2026-12-01", NULL },
	{ TODAY, "2027年2月28日", "2027-02-28", NULL },
	{ TODAY, "2028年2月29号", "2028-02-29", NULL },
	{ TODAY, "2026 年 12 月 1 日", "2026-12-01", NULL },
	/* Day words, any case, trimmed. */
	{ TODAY, "today", "2026-11-26", NULL },
	{ TODAY, "TODAY", "2026-11-26", NULL },
	{ TODAY, "tomorrow", "2026-11-27", NULL },
	{ TODAY, "  Tomorrow \t\n", "2026-11-27", NULL },
	{ TODAY, "今天", "2026-11-26", NULL },
	{ TODAY, "明天", "2026-11-27", NULL },
	{ TODAY, "后天", "2026-11-28", NULL },
	{ TODAY, "\xe3\x80\x80明天\xe3\x80\x80", "2026-11-27", NULL },
	/* English weekdays: the next one after today (a Thursday). */
	{ TODAY, "mon", "2026-11-30", NULL },
	{ TODAY, "monday", "2026-11-30", NULL },
	{ TODAY, "tue", "2026-12-01", NULL },
	{ TODAY, "tues", "2026-12-01", NULL },
	{ TODAY, "tuesday", "2026-12-01", NULL },
	{ TODAY, "wed", "2026-12-02", NULL },
	{ TODAY, "wednesday", "2026-12-02", NULL },
	{ TODAY, "thu", "2026-12-03", NULL },
	{ TODAY, "thur", "2026-12-03", NULL },
	{ TODAY, "thurs", "2026-12-03", NULL },
	{ TODAY, "thursday", "2026-12-03", NULL },
	{ TODAY, "fri", "2026-11-27", NULL },
	{ TODAY, "FRI", "2026-11-27", NULL },
	{ TODAY, "Friday", "2026-11-27", NULL },
	{ TODAY, "sat", "2026-11-28", NULL },
	{ TODAY, "saturday", "2026-11-28", NULL },
	{ TODAY, "sun", "2026-11-29", NULL },
	{ TODAY, "sunday", "2026-11-29", NULL },
	/* "next": that day in next week, which starts on Monday. */
	{ TODAY, "next mon", "2026-11-30", NULL },
	{ TODAY, "next tue", "2026-12-01", NULL },
	{ TODAY, "next thu", "2026-12-03", NULL },
	{ TODAY, "next fri", "2026-12-04", NULL },
	{ TODAY, "NEXT  Friday", "2026-12-04", NULL },
	{ TODAY, "next sat", "2026-12-05", NULL },
	{ TODAY, "next sunday", "2026-12-06", NULL },
	{ TODAY, "next week", "2026-11-30", NULL },
	{ TODAY, "Next Week", "2026-11-30", NULL },
	/* Chinese weekdays. */
	{ TODAY, "周一", "2026-11-30", NULL },
	{ TODAY, "周二", "2026-12-01", NULL },
	{ TODAY, "周三", "2026-12-02", NULL },
	{ TODAY, "周四", "2026-12-03", NULL },
	{ TODAY, "周五", "2026-11-27", NULL },
	{ TODAY, "周六", "2026-11-28", NULL },
	{ TODAY, "周日", "2026-11-29", NULL },
	{ TODAY, "周天", "2026-11-29", NULL },
	{ TODAY, "星期一", "2026-11-30", NULL },
	{ TODAY, "星期四", "2026-12-03", NULL },
	{ TODAY, "星期五", "2026-11-27", NULL },
	{ TODAY, "星期六", "2026-11-28", NULL },
	{ TODAY, "星期日", "2026-11-29", NULL },
	{ TODAY, "星期天", "2026-11-29", NULL },
	{ TODAY, "下周一", "2026-11-30", NULL },
	{ TODAY, "下周三", "2026-12-02", NULL },
	{ TODAY, "下周五", "2026-12-04", NULL },
	{ TODAY, "下周日", "2026-12-06", NULL },
	{ TODAY, "下周天", "2026-12-06", NULL },
	{ TODAY, "下星期二", "2026-12-01", NULL },
	{ TODAY, "下星期天", "2026-12-06", NULL },
	{ TODAY, "下个周五", "2026-12-04", NULL },
	{ TODAY, "下个星期五", "2026-12-04", NULL },
	{ TODAY, "下周", "2026-11-30", NULL },
	{ TODAY, "下星期", "2026-11-30", NULL },
	/* Counts. */
	{ TODAY, "in 1 day", "2026-11-27", NULL },
	{ TODAY, "in 3 days", "2026-11-29", NULL },
	{ TODAY, "IN 3 DAYS", "2026-11-29", NULL },
	{ TODAY, "in  3days", "2026-11-29", NULL },
	{ TODAY, "in 1 week", "2026-12-03", NULL },
	{ TODAY, "in 2 weeks", "2026-12-10", NULL },
	{ TODAY, "in 3650 days", "2036-11-23", NULL },
	{ TODAY, "in 521 weeks", "2036-11-20", NULL },
	{ TODAY, "3天后", "2026-11-29", NULL },
	{ TODAY, "3 天后", "2026-11-29", NULL },
	{ TODAY, "10天以后", "2026-12-06", NULL },
	{ TODAY, "1周后", "2026-12-03", NULL },
	{ TODAY, "2周后", "2026-12-10", NULL },
	{ TODAY, "2星期后", "2026-12-10", NULL },
	{ TODAY, "2个星期后", "2026-12-10", NULL },
	/* Month and year rollover. */
	{ "2026-12-30", "tomorrow", "2026-12-31", NULL },
	{ "2026-12-30", "后天", "2027-01-01", NULL },
	{ "2026-12-30", "01-05", "2027-01-05", NULL },
	{ "2026-12-30", "fri", "2027-01-01", NULL },
	{ "2026-12-30", "next mon", "2027-01-04", NULL },
	{ "2026-12-30", "下周", "2027-01-04", NULL },
	{ "2026-12-30", "in 1 week", "2027-01-06", NULL },
	{ "2026-12-31", "12-31", "2026-12-31", NULL },
	{ "2026-12-31", "12-30", "2027-12-30", NULL },
	{ "2026-11-30", "in 1 day", "2026-12-01", NULL },
	/* Leap years. */
	{ "2028-02-28", "tomorrow", "2028-02-29", NULL },
	{ "2028-02-28", "后天", "2028-03-01", NULL },
	{ "2028-02-28", "02-29", "2028-02-29", NULL },
	{ "2027-02-28", "tomorrow", "2027-03-01", NULL },
	{ "2027-02-28", "02-29", "2028-02-29", NULL },
	{ "2028-03-01", "02-29", "2032-02-29", NULL },
	{ "2000-02-28", "tomorrow", "2000-02-29", NULL },
	{ "2100-02-28", "tomorrow", "2100-03-01", NULL },
	{ "2100-02-28", "2月29日", "2104-02-29", NULL },
	/* Today a Sunday or a Monday: week boundaries. */
	{ "2026-11-29", "fri", "2026-12-04", NULL },
	{ "2026-11-29", "next fri", "2026-12-04", NULL },
	{ "2026-11-29", "sun", "2026-12-06", NULL },
	{ "2026-11-29", "next sun", "2026-12-06", NULL },
	{ "2026-11-29", "next week", "2026-11-30", NULL },
	{ "2026-11-29", "周一", "2026-11-30", NULL },
	{ "2026-11-30", "mon", "2026-12-07", NULL },
	{ "2026-11-30", "next mon", "2026-12-07", NULL },
	{ "2026-11-30", "next sun", "2026-12-13", NULL },
	{ "2026-11-30", "sun", "2026-12-06", NULL },
	{ "2026-11-30", "下周", "2026-12-07", NULL },
	{ "2026-11-30", "周一", "2026-12-07", NULL },
	/* The end of the range. */
	{ "9999-12-30", "tomorrow", "9999-12-31", NULL },
	{ "9999-12-31", "today", "9999-12-31", NULL },
};

static const struct parse_case parse_bad[] = {
	{ TODAY, "", NULL, "missing date" },
	{ TODAY, "end of", NULL, "cannot read date 'end of'" },
	{ TODAY, "end of weeks", NULL, "cannot read date 'end of weeks'" },
	{ TODAY, "eow!", NULL, "cannot read date 'eow!'" },
	{ TODAY, "   ", NULL, "missing date" },
	{ TODAY, "\xe3\x80\x80", NULL, "missing date" },
	{ TODAY, "xyz", NULL,
	  "cannot read date 'xyz'; use 2026-12-01, 12-01, fri, 周五, "
	  "tomorrow, 明天, in 3 days, next week or 下周一" },
	{ TODAY, "  Soon  ", NULL, "cannot read date 'Soon'" },
	{ TODAY, "2026-12-01x", NULL, "cannot read date" },
	{ TODAY, "2026-12/01", NULL, "cannot read date" },
	{ TODAY, "12026-12-01", NULL, "cannot read date" },
	{ TODAY, "20261201", NULL, "cannot read date" },
	{ TODAY, "12-01-2026", NULL, "cannot read date" },
	{ TODAY, "2026-12-001", NULL, "cannot read date" },
	{ TODAY, "26-12-01", NULL, "cannot read date" },
	{ TODAY, "123-01", NULL, "cannot read date" },
	{ TODAY, "2026-12", NULL, "cannot read date" },
	{ TODAY, "2026-12-01 10:00", NULL, "cannot read date" },
	{ TODAY, "1-2-3", NULL, "cannot read date" },
	{ TODAY, "12-", NULL, "cannot read date" },
	{ TODAY, "-12-01", NULL, "cannot read date" },
	{ TODAY, "12月", NULL, "cannot read date" },
	{ TODAY, "12月1", NULL, "cannot read date" },
	{ TODAY, "26年12月1日", NULL, "cannot read date" },
	{ TODAY, "today!", NULL, "cannot read date 'today!'" },
	{ TODAY, "tomorrowx", NULL, "cannot read date" },
	{ TODAY, "明天 fri", NULL, "cannot read date" },
	{ TODAY, "fridays", NULL, "cannot read date" },
	{ TODAY, "fr", NULL, "cannot read date" },
	{ TODAY, "next", NULL, "cannot read date" },
	{ TODAY, "next month", NULL, "cannot read date" },
	{ TODAY, "nextfri", NULL, "cannot read date" },
	{ TODAY, "next week fri", NULL, "cannot read date" },
	{ TODAY, "next next fri", NULL, "cannot read date" },
	{ TODAY, "周", NULL, "cannot read date" },
	{ TODAY, "周八", NULL, "cannot read date" },
	{ TODAY, "星期", NULL, "cannot read date" },
	{ TODAY, "下", NULL, "cannot read date" },
	{ TODAY, "下下周", NULL, "cannot read date" },
	{ TODAY, "下周一二", NULL, "cannot read date" },
	{ TODAY, "in 3", NULL, "cannot read date" },
	{ TODAY, "in days", NULL, "cannot read date" },
	{ TODAY, "in -3 days", NULL, "cannot read date" },
	{ TODAY, "in 3 months", NULL, "cannot read date" },
	{ TODAY, "in3 days", NULL, "cannot read date" },
	{ TODAY, "3 days", NULL, "cannot read date" },
	{ TODAY, "in 1000000 days", NULL, "cannot read date" },
	{ TODAY, "3天", NULL, "cannot read date" },
	{ TODAY, "天后", NULL, "cannot read date" },
	/* Impossible dates name the date. */
	{ TODAY, "2026-02-30", NULL, "no such date '2026-02-30'" },
	{ TODAY, "2026-02-29", NULL, "no such date '2026-02-29'" },
	{ TODAY, "2100-02-29", NULL, "no such date '2100-02-29'" },
	{ TODAY, "2026-13-01", NULL, "no such date '2026-13-01'" },
	{ TODAY, "2026-00-10", NULL, "no such date '2026-00-10'" },
	{ TODAY, "2026-04-31", NULL, "no such date '2026-04-31'" },
	{ TODAY, "2026-12-00", NULL, "no such date '2026-12-00'" },
	{ TODAY, "02-30", NULL, "no such date '02-30'" },
	{ TODAY, "13-01", NULL, "no such date '13-01'" },
	{ TODAY, "00-01", NULL, "no such date '00-01'" },
	{ TODAY, "2月30日", NULL, "no such date '2月30日'" },
	{ TODAY, "2026年2月30日", NULL, "no such date '2026年2月30日'" },
	/* Out of range. */
	{ TODAY, "1969-12-31", NULL, "'1969-12-31' is out of range" },
	{ TODAY, "0000-01-01", NULL, "out of range" },
	{ TODAY, "1900年1月1日", NULL, "out of range" },
	{ "9999-12-31", "tomorrow", NULL, "out of range" },
	{ "9999-12-30", "in 2 days", NULL, "out of range" },
	{ "9999-12-31", "12-30", NULL, "out of range" },
	{ "9999-12-31", "fri", NULL, "out of range" },
	/* Counts are 1..3650 days. */
	{ TODAY, "in 0 days", NULL, "the number of days must be 1..3650" },
	{ TODAY, "in 3651 days", NULL, "the number of days must be 1..3650" },
	{ TODAY, "in 999999 days", NULL, "1..3650" },
	{ TODAY, "in 0 weeks", NULL, "the number of weeks must be 1..521" },
	{ TODAY, "in 522 weeks", NULL, "the number of weeks must be 1..521" },
	{ TODAY, "0天后", NULL, "cannot use '0天后'" },
	{ TODAY, "9999天后", NULL, "1..3650" },
	{ TODAY, "600周后", NULL, "1..521" },
	/* Unprintable input is quoted safely. */
	{ TODAY, "\x01x", NULL, "cannot read date '?x'" },
	{ TODAY, "ab\xff\xfe", NULL,
	  "cannot read date 'ab?"
	  "?'" },
	{ TODAY, "a\xe6\x98", NULL,
	  "cannot read date 'a?"
	  "?'" },
	{ TODAY, "明\x1b[31m", NULL, "cannot read date '明?[31m'" },
	/* Today itself must be a real date. */
	{ "2026-02-30", "today", NULL, "invalid reference date" },
};

static struct date
iso(const char *s)
{
	struct date d = { 0, 0, 0 };

	if (date_parse_iso(s, &d) < 0) {
		/* Tables may hold deliberately invalid "today" values. */
		sscanf(s, "%d-%d-%d", &d.year, &d.month, &d.day);
	}
	return d;
}

static void
test_parse_ok(void **state)
{
	struct date out;
	char *cause, got[16];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof parse_ok / sizeof parse_ok[0]; i++) {
		cause = NULL;
		if (when_parse(parse_ok[i].in, iso(parse_ok[i].today), &out,
			       &cause) != 0)
			fail_msg("'%s' (today %s): %s", parse_ok[i].in,
				 parse_ok[i].today, cause);
		assert_null(cause);
		date_format(out, got, sizeof got);
		if (strcmp(got, parse_ok[i].want) != 0)
			fail_msg("'%s' (today %s): got %s, want %s",
				 parse_ok[i].in, parse_ok[i].today, got,
				 parse_ok[i].want);
		/* The same without a cause pointer. */
		assert_int_equal(when_parse(parse_ok[i].in,
					    iso(parse_ok[i].today), &out, NULL),
				 0);
	}
}

static void
test_parse_bad(void **state)
{
	struct date out, untouched = { 1, 2, 3 };
	char *cause;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof parse_bad / sizeof parse_bad[0]; i++) {
		cause = NULL;
		out = untouched;
		if (when_parse(parse_bad[i].in, iso(parse_bad[i].today), &out,
			       &cause) != -1)
			fail_msg("'%s' (today %s): accepted as %d-%d-%d",
				 parse_bad[i].in, parse_bad[i].today, out.year,
				 out.month, out.day);
		assert_non_null(cause);
		if (strstr(cause, parse_bad[i].cause_has) == NULL)
			fail_msg("'%s': cause '%s' lacks '%s'", parse_bad[i].in,
				 cause, parse_bad[i].cause_has);
		assert_true(utf8_valid(cause, strlen(cause)));
		assert_int_equal(date_compare(out, untouched), 0);
		free(cause);
		/* A NULL cause pointer is allowed. */
		assert_int_equal(when_parse(parse_bad[i].in,
					    iso(parse_bad[i].today), &out,
					    NULL),
				 -1);
	}
}

static void
test_parse_null_and_length(void **state)
{
	char text[WHEN_MAX_TEXT + 8], *cause = NULL;
	struct date out;

	(void)state;
	assert_int_equal(when_parse(NULL, iso(TODAY), &out, &cause), -1);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "missing date"));
	free(cause);

	/* WHEN_MAX_TEXT - 1 bytes are read; padding is trimmed. */
	memset(text, ' ', sizeof text);
	memcpy(text, "tomorrow", 8);
	text[WHEN_MAX_TEXT - 1] = '\0';
	cause = NULL;
	assert_int_equal(when_parse(text, iso(TODAY), &out, &cause), 0);
	assert_null(cause);
	assert_int_equal(date_compare(out, iso("2026-11-27")), 0);

	/* One byte more and the text is refused, not cut. */
	text[WHEN_MAX_TEXT - 1] = ' ';
	text[WHEN_MAX_TEXT] = '\0';
	assert_int_equal(when_parse(text, iso(TODAY), &out, &cause), -1);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "too long"));
	free(cause);
}

/* A text of exactly WHEN_MAX_TEXT bytes with no NUL after it is not read. */
static void
test_parse_unterminated(void **state)
{
	char *text = malloc(WHEN_MAX_TEXT), *cause = NULL;
	struct date out;

	(void)state;
	assert_non_null(text);
	memset(text, 'a', WHEN_MAX_TEXT);
	assert_int_equal(when_parse(text, iso(TODAY), &out, &cause), -1);
	assert_non_null(cause);
	free(cause);
	free(text);
}

static void
test_days(void **state)
{
	static const struct {
		const char *date;
		int64_t days;
		int wday;
	} cases[] = {
		{ "1970-01-01", 0, 4 },	      { "1969-12-31", -1, 3 },
		{ "1969-12-28", -4, 0 },      { "2000-01-01", 10957, 6 },
		{ "2000-02-29", 11016, 2 },   { "2000-03-01", 11017, 3 },
		{ "2026-11-26", 20783, 4 },   { "2028-02-29", 21243, 2 },
		{ "0001-01-01", -719162, 1 }, { "9999-12-31", 2932896, 5 },
		{ "1600-03-01", -135080, 3 },
	};
	struct date d, back;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(date_parse_iso(cases[i].date, &d), 0);
		assert_int_equal(date_to_days(d), cases[i].days);
		assert_int_equal(date_weekday(d), cases[i].wday);
		back = date_from_days(cases[i].days);
		assert_int_equal(date_compare(back, d), 0);
	}
}

/* Every day from 0001-01-01 to 9999-12-31 follows the one before it. */
static void
test_days_all(void **state)
{
	struct date prev = { 1, 1, 1 }, d;
	int64_t n;

	(void)state;
	for (n = date_to_days(prev) + 1; n <= 2932896; n++) {
		d = date_from_days(n);
		if (!date_valid(d) || date_to_days(d) != n ||
		    date_compare(prev, d) >= 0 ||
		    date_weekday(d) != (date_weekday(prev) + 1) % 7)
			fail_msg("day %lld: %d-%d-%d", (long long)n, d.year,
				 d.month, d.day);
		if (d.day != 1 && d.day != prev.day + 1)
			fail_msg("day %lld skips", (long long)n);
		prev = d;
	}
	assert_int_equal(prev.year, 9999);
	assert_int_equal(prev.month, 12);
	assert_int_equal(prev.day, 31);
	/* Far outside any use, the arithmetic still returns a date. */
	d = date_from_days(INT64_MAX);
	assert_true(d.month >= 1 && d.month <= 12);
	d = date_from_days(INT64_MIN);
	assert_true(d.month >= 1 && d.month <= 12);
}

static void
test_valid(void **state)
{
	static const struct {
		struct date d;
		int valid;
	} cases[] = {
		{ { 2026, 1, 31 }, 1 }, { { 2026, 2, 28 }, 1 },
		{ { 2026, 2, 29 }, 0 }, { { 2028, 2, 29 }, 1 },
		{ { 2000, 2, 29 }, 1 }, { { 1900, 2, 29 }, 0 },
		{ { 2100, 2, 29 }, 0 }, { { 2026, 4, 30 }, 1 },
		{ { 2026, 4, 31 }, 0 }, { { 2026, 12, 31 }, 1 },
		{ { 2026, 13, 1 }, 0 }, { { 2026, 0, 1 }, 0 },
		{ { 2026, 1, 0 }, 0 },	{ { 2026, 1, 32 }, 0 },
		{ { 2026, -1, 1 }, 0 }, { { 0, 1, 1 }, 0 },
		{ { 1, 1, 1 }, 1 },	{ { 9999, 12, 31 }, 1 },
		{ { 10000, 1, 1 }, 0 }, { { -5, 1, 1 }, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (date_valid(cases[i].d) != cases[i].valid)
			fail_msg("%d-%d-%d", cases[i].d.year, cases[i].d.month,
				 cases[i].d.day);
	}
}

static void
test_compare(void **state)
{
	(void)state;
	assert_true(date_compare(iso("2026-11-26"), iso("2026-11-27")) < 0);
	assert_true(date_compare(iso("2026-12-01"), iso("2026-11-30")) > 0);
	assert_true(date_compare(iso("2025-12-31"), iso("2026-01-01")) < 0);
	assert_true(date_compare(iso("2026-11-26"), iso("2026-11-26")) == 0);
}

static void
test_format(void **state)
{
	struct date d = { 2026, 1, 5 }, y1 = { 1, 2, 3 };
	char out[16];

	(void)state;
	date_format(d, out, sizeof out);
	assert_string_equal(out, "2026-01-05");
	date_format(y1, out, sizeof out);
	assert_string_equal(out, "0001-02-03");
	date_format(d, out, 5);
	assert_string_equal(out, "2026");
	out[0] = 'x';
	date_format(d, out, 0);
	assert_int_equal(out[0], 'x');
}

static void
test_parse_iso(void **state)
{
	static const struct {
		const char *in;
		int ok;
	} cases[] = {
		{ "2026-12-01", 1 },  { "2028-02-29", 1 },
		{ "0001-01-01", 1 },  { "9999-12-31", 1 },
		{ "2026-02-29", 0 },  { "2026-12-1", 0 },
		{ "2026-12-01 ", 0 }, { " 2026-12-01", 0 },
		{ "2026/12/01", 0 },  { "", 0 },
		{ "abcd-ef-gh", 0 },  { "0000-01-01", 0 },
		{ "2026-12-011", 0 }, { "+026-12-01", 0 },
		{ "2026-13-01", 0 },  { "2026-00-01", 0 },
		{ "2026-1a-01", 0 },  { "2026", 0 },
	};
	struct date d, untouched = { 7, 7, 7 };
	char back[16];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		d = untouched;
		if ((date_parse_iso(cases[i].in, &d) == 0) != cases[i].ok)
			fail_msg("'%s'", cases[i].in);
		if (cases[i].ok) {
			date_format(d, back, sizeof back);
			assert_string_equal(back, cases[i].in);
		} else {
			assert_int_equal(date_compare(d, untouched), 0);
		}
	}
	assert_int_equal(date_parse_iso(NULL, &d), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_ok),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_parse_null_and_length),
		cmocka_unit_test(test_parse_unterminated),
		cmocka_unit_test(test_days),
		cmocka_unit_test(test_days_all),
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_compare),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_parse_iso),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
