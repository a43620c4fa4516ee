/* SPDX-License-Identifier: MIT */
/*
 * test-recur.c: meeting schedules: the parser in both languages (good and
 * bad text, the format round trip, causes in the channel's language),
 * occurrences of every rule kind across the 2026 DST changes in New York
 * and Berlin, skipped dates, the offsets of the jobs before a meeting and
 * quiet hours.
 *
 * Expected instants were computed independently with Python's zoneinfo
 * (fold=0, which matches tz.h: a time in a gap moves forward by the gap, an
 * ambiguous one is its first occurrence). "Today" is Thursday 2026-11-26.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lihui/recur.h"
#include "lihui/when.h"

#define NY     "America/New_York"
#define BERLIN "Europe/Berlin"
#define SH     "Asia/Shanghai"

static struct date
mkdate(int year, int month, int day)
{
	struct date d = { .year = year, .month = month, .day = day };

	return d;
}

static struct recur_defaults
defaults(void)
{
	struct recur_defaults def = {
		.today = { 2026, 11, 26 },
		.length = 60,
		.zone = SH,
	};

	return def;
}

/* Parse text with the usual defaults; fails the test on error. */
static void
parse_ok(const char *text, struct recur_rule *r)
{
	struct recur_defaults def = defaults();
	char *cause = NULL;

	if (recur_parse(text, &def, r, &cause) != 0)
		fail_msg("'%s': %s", text, cause);
	assert_null(cause);
	assert_int_equal(recur_check(r, NULL), 0);
}

/* Each good text and the canonical form of the rule it gives. */
static const struct {
	const char *in;
	const char *want;
} parse_good[] = {
	/* English. */
	{ "mon 10:00 60m weekly Asia/Shanghai",
	  "weekly mon 10:00 60m Asia/Shanghai from 2026-11-30" },
	{ "mon,thu 09:30 45m", "weekly mon,thu 09:30 45m Asia/Shanghai from "
			       "2026-11-26" },
	{ "thu, mon 9:30 45 minutes",
	  "weekly mon,thu 09:30 45m Asia/Shanghai from 2026-11-26" },
	{ "every 2 weeks tue 14:00",
	  "every 2 weeks tue 14:00 60m Asia/Shanghai from 2026-12-01" },
	{ "biweekly fri 16:00 1h",
	  "every 2 weeks fri 16:00 60m Asia/Shanghai from 2026-11-27" },
	{ "every other week Friday 16:00",
	  "every 2 weeks fri 16:00 60m Asia/Shanghai from 2026-11-27" },
	{ "every 3 days 09:00", "every 3 days 09:00 60m Asia/Shanghai from "
				"2026-11-26" },
	{ "daily 09:00 America/New_York",
	  "daily 09:00 60m America/New_York from 2026-11-26" },
	{ "every day 09:00 15m", "daily 09:00 15m Asia/Shanghai from "
				 "2026-11-26" },
	{ "monthly 15 10:00", "monthly 15 10:00 60m Asia/Shanghai from "
			      "2026-12-15" },
	{ "Monthly on the 31st at 10:00 UTC",
	  "monthly 31 10:00 60m UTC from 2026-11-30" },
	{ "every 2 months 15 10:00",
	  "every 2 months 15 10:00 60m Asia/Shanghai from 2026-12-15" },
	{ "monthly first mon 10:00",
	  "monthly first mon 10:00 60m Asia/Shanghai from 2026-12-07" },
	{ "monthly last fri 17:00",
	  "monthly last fri 17:00 60m Asia/Shanghai from 2026-11-27" },
	{ "2nd tuesday 10:00 1h30m",
	  "monthly second tue 10:00 90m Asia/Shanghai from 2026-12-08" },
	{ "every Monday at 10:00 for 2 hours Europe/Berlin",
	  "weekly mon 10:00 120m Europe/Berlin from 2026-11-30" },
	{ "  MON 10:00  WEEKLY  from 2027-01-01  ",
	  "weekly mon 10:00 60m Asia/Shanghai from 2027-01-04" },
	{ "sat,sun,wed 23:59 1440m Etc/GMT+5",
	  "weekly wed,sat,sun 23:59 1440m Etc/GMT+5 from 2026-11-28" },
	/* Chinese. */
	{ "周一 10:00 60分钟 每周 Asia/Shanghai",
	  "weekly mon 10:00 60m Asia/Shanghai from 2026-11-30" },
	{ "每周一、周四 09:30", "weekly mon,thu 09:30 60m Asia/Shanghai from "
				"2026-11-26" },
	{ "每周一、四 09:30 45分钟", "weekly mon,thu 09:30 45m "
				     "Asia/Shanghai from 2026-11-26" },
	{ "每两周 周二 14:00", "every 2 weeks tue 14:00 60m Asia/Shanghai "
			       "from 2026-12-01" },
	{ "隔周五 16:00 1小时", "every 2 weeks fri 16:00 60m Asia/Shanghai "
				"from 2026-11-27" },
	{ "每3天 09:00", "every 3 days 09:00 60m Asia/Shanghai from "
			 "2026-11-26" },
	{ "每天 09:00 1小时30分钟", "daily 09:00 90m Asia/Shanghai from "
				    "2026-11-26" },
	{ "每月 15日 10:00", "monthly 15 10:00 60m Asia/Shanghai from "
			     "2026-12-15" },
	{ "每两个月15号 10:00", "every 2 months 15 10:00 60m Asia/Shanghai "
				"from 2026-12-15" },
	{ "每月第一个周一 10:00", "monthly first mon 10:00 60m "
				  "Asia/Shanghai from 2026-12-07" },
	{ "每月最后一个周五 17:00", "monthly last fri 17:00 60m "
				    "Asia/Shanghai from 2026-11-27" },
	{ "每月第2个星期二 10：00", "monthly second tue 10:00 60m "
				    "Asia/Shanghai from 2026-12-08" },
	{ "从2026-12-01起　每周一 10:00 Europe/Berlin",
	  "weekly mon 10:00 60m Europe/Berlin from 2026-12-07" },
	{ "每十二周 周日 08:00", "every 12 weeks sun 08:00 60m "
				 "Asia/Shanghai from 2026-11-29" },
};

static void
test_parse_good(void **state)
{
	struct recur_rule r;
	char buf[RECUR_FORMAT_SIZE];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof parse_good / sizeof parse_good[0]; i++) {
		parse_ok(parse_good[i].in, &r);
		recur_format(&r, buf, sizeof buf);
		if (strcmp(buf, parse_good[i].want) != 0)
			fail_msg("'%s': got '%s', want '%s'", parse_good[i].in,
				 buf, parse_good[i].want);
	}
}

/* The fields behind the canonical text, for one rule of each kind. */
static void
test_parse_fields(void **state)
{
	struct recur_rule r;

	(void)state;
	parse_ok("mon,thu 09:30 45m", &r);
	assert_int_equal(r.kind, RECUR_WEEKLY);
	assert_int_equal(r.interval, 1);
	assert_int_equal(r.weekdays, (1u << 1) | (1u << 4));
	assert_int_equal(r.minute, 9 * 60 + 30);
	assert_int_equal(r.length, 45);
	assert_string_equal(r.zone, SH);
	assert_int_equal(r.nskip, 0);

	parse_ok("every 3 days 09:00", &r);
	assert_int_equal(r.kind, RECUR_DAILY);
	assert_int_equal(r.interval, 3);
	assert_int_equal(r.weekdays, 0);

	parse_ok("monthly 31 10:00", &r);
	assert_int_equal(r.kind, RECUR_MONTHLY_DAY);
	assert_int_equal(r.monthday, 31);
	assert_int_equal(date_compare(r.anchor, mkdate(2026, 11, 30)), 0);

	parse_ok("monthly last fri 17:00", &r);
	assert_int_equal(r.kind, RECUR_MONTHLY_NTH);
	assert_int_equal(r.nth, -1);
	assert_int_equal(r.nth_wday, 5);
	assert_int_equal(r.monthday, 0);
}

static void
test_parse_bad(void **state)
{
	static const struct {
		const char *in;
		const char *cause; /* a part of the message */
	} cases[] = {
		{ "", "empty schedule" },
		{ "   ", "empty schedule" },
		{ "mon", "missing the meeting time" },
		{ "10:00", "missing the meeting days" },
		{ "mon 25:00", "'25:00' is not a time of day" },
		{ "mon 10:60", "'10:60' is not a time of day" },
		{ "mon 10:0", "'10:0' is not a time" },
		{ "mon 10:00am", "'10:00am' is not a time" },
		{ "mon 10:00 11:00", "two meeting times: '10:00' and '11:00'" },
		{ "mon 10:00 30m 1h", "two meeting lengths: '30m' and '1h'" },
		{ "weekly daily 10:00", "'daily' conflicts with 'weekly'" },
		{ "every 0 weeks mon 10:00",
		  "'every 0 weeks': the interval must be 1 to 52 weeks" },
		{ "every 53 weeks mon 10:00", "1 to 52 weeks" },
		{ "every 400 days 10:00", "1 to 365 days" },
		{ "every 13 months 15 10:00", "1 to 12 months" },
		{ "every 2 mon 10:00",
		  "'every 2' needs days, weeks or months" },
		{ "monthly 10:00", "'monthly' needs a day" },
		{ "monthly mon 10:00", "weekday 'mon' needs first, second" },
		{ "monthly 32 10:00", "day of the month '32' is out of range" },
		{ "monthly 0 10:00", "day of the month '0' is out of range" },
		{ "monthly 15 first mon 10:00",
		  "'first mon' conflicts with '15'" },
		{ "monthly fifth mon 10:00", "'fifth mon': only the first to "
					     "fourth" },
		{ "first 10:00", "'first' needs a weekday after it" },
		{ "mon 10:00 Mars/Base", "unknown time zone 'Mars/Base'" },
		{ "mon 10:00 asia/shanghai", "unknown time zone" },
		{ "mon 10:00 ../etc/passwd", "unknown time zone" },
		{ "mon 10:00 UTC Europe/Berlin", "two time zones" },
		{ "mon 10:00 0m", "length '0m' is out of range" },
		{ "mon 10:00 25h", "length '25h' is out of range" },
		{ "daily mon 10:00", "weekday 'mon' does not fit 'daily'" },
		{ "daily 15 10:00", "'15' does not fit 'daily'" },
		{ "15 10:00 weekly", "'15' is a day of the month" },
		{ "biweekly 10:00", "'biweekly' needs a weekday" },
		{ "mon,mon 10:00", "weekday 'mon' is given twice" },
		{ "mon, 10:00", "expected a weekday after the comma, found "
				"'10:00'" },
		{ "mon 10:00 foo", "unknown word 'foo'" },
		{ "mon 10:00 'quoted'", "unknown word '?quoted?'" },
		{ "mon 10:00 from", "'from' needs a date" },
		{ "mon 10:00 from 2026-02-30", "'from' needs a date" },
		{ "mon 10:00 from 2026-12-01 from 2026-12-02",
		  "start date is given twice" },
		{ "mon 10:00 from 9999-12-28",
		  "cannot find a first meeting day" },
		{ "每 10:00", "'每' needs 周, 天 or 月" },
		{ "每周 10:00", "'每周' needs a weekday" },
		{ "每月 10:00", "'每月' needs a day" },
		{ "每月第五个周一 10:00", "'第五个周一': only the first to "
					  "fourth" },
		{ "每月第一个 10:00", "'第一个' needs a weekday" },
		{ "每天 周一 10:00", "weekday '周一' does not fit '每天'" },
		{ "周一 10:00 每周 每两周", "'每两周' conflicts with '每周'" },
		{ "周一 十点", "unknown word '十点'" },
		{ "周八 10:00", "unknown word '周八'" },
	};
	struct recur_defaults def = defaults();
	struct recur_rule r;
	char *cause;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cause = NULL;
		if (recur_parse(cases[i].in, &def, &r, &cause) == 0)
			fail_msg("'%s' should fail", cases[i].in);
		assert_non_null(cause);
		if (strstr(cause, cases[i].cause) == NULL)
			fail_msg("'%s': cause '%s' lacks '%s'", cases[i].in,
				 cause, cases[i].cause);
		free(cause);
	}
}

/* Limits: text size, UTF-8, no zone at all, a NULL text. */
static void
test_parse_limits(void **state)
{
	struct recur_defaults def = defaults();
	struct recur_rule r;
	char text[RECUR_TEXT_MAX + 2], *cause = NULL;

	(void)state;
	memset(text, ' ', sizeof text);
	memcpy(text, "mon 10:00", 9);
	text[RECUR_TEXT_MAX] = '\0';
	assert_int_equal(recur_parse(text, &def, &r, NULL), 0);
	text[RECUR_TEXT_MAX] = ' ';
	text[RECUR_TEXT_MAX + 1] = '\0';
	assert_int_equal(recur_parse(text, &def, &r, &cause), -1);
	assert_non_null(strstr(cause, "too long"));
	free(cause);

	cause = NULL;
	assert_int_equal(recur_parse("mon 10:00 \xff", &def, &r, &cause), -1);
	assert_non_null(strstr(cause, "not valid UTF-8"));
	free(cause);

	cause = NULL;
	assert_int_equal(recur_parse(NULL, &def, &r, &cause), -1);
	assert_non_null(cause);
	free(cause);

	def.zone = NULL;
	cause = NULL;
	assert_int_equal(recur_parse("mon 10:00", &def, &r, &cause), -1);
	assert_non_null(strstr(cause, "missing the time zone"));
	free(cause);
	assert_int_equal(recur_parse("mon 10:00 UTC", &def, &r, NULL), 0);

	def.zone = "Nowhere/Land";
	cause = NULL;
	assert_int_equal(recur_parse("mon 10:00", &def, &r, &cause), -1);
	assert_non_null(strstr(cause, "default time zone"));
	free(cause);
}

/* recur_parse(recur_format(r)) == r, whatever today is. */
static void
test_round_trip(void **state)
{
	struct recur_defaults def = defaults();
	struct recur_rule r, back;
	char buf[RECUR_FORMAT_SIZE], *cause = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof parse_good / sizeof parse_good[0]; i++) {
		parse_ok(parse_good[i].in, &r);
		recur_format(&r, buf, sizeof buf);
		def.today = mkdate(2020, 2, 29);
		if (recur_parse(buf, &def, &back, &cause) != 0)
			fail_msg("'%s': %s", buf, cause);
		if (!recur_equal(&r, &back))
			fail_msg("'%s' does not round-trip", buf);
	}
	/* Skipped dates are not part of the text. */
	parse_ok("mon 10:00", &r);
	assert_int_equal(recur_skip_add(&r, mkdate(2026, 12, 7), NULL), 0);
	recur_format(&r, buf, sizeof buf);
	assert_int_equal(recur_parse(buf, &def, &back, NULL), 0);
	assert_false(recur_equal(&r, &back));
	assert_int_equal(back.nskip, 0);
	/* A short buffer is cut, never overrun. */
	recur_format(&r, buf, 8);
	assert_string_equal(buf, "weekly ");
}

/* The next n occurrences of text after after, each just after the last. */
static const struct {
	const char *text;
	int64_t after;
	int64_t want[5]; /* 0 ends the list */
	struct date first_date;
} next_cases[] = {
	/* Weekly Monday 10:00 stays 10:00 local; UTC moves by an hour. */
	{ "mon 10:00 America/New_York from 2026-03-01",
	  1772323200,
	  { 1772463600, 1773064800, 1773669600 },
	  { 2026, 3, 2 } },
	{ "mon 10:00 America/New_York from 2026-10-01",
	  1792972800,
	  { 1793023200, 1793631600 },
	  { 2026, 10, 26 } },
	{ "mon 10:00 Europe/Berlin from 2026-03-01",
	  1774220000,
	  { 1774256400, 1774857600 },
	  { 2026, 3, 23 } },
	{ "mon 10:00 Europe/Berlin from 2026-10-01",
	  1792300000,
	  { 1792396800, 1793005200 },
	  { 2026, 10, 19 } },
	/* Daily 02:30: 2026-03-08 has no 02:30 in New York, so 03:30. */
	{ "daily 02:30 America/New_York from 2026-03-01",
	  1772850000,
	  { 1772868600, 1772955000, 1773037800 },
	  { 2026, 3, 7 } },
	/* Daily 01:30: twice on 2026-11-01; the first, once. */
	{ "daily 01:30 America/New_York from 2026-10-01",
	  1793400000,
	  { 1793424600, 1793511000, 1793601000 },
	  { 2026, 10, 31 } },
	/* Every 2 weeks, counted from the anchor; also from mid-cycle. */
	{ "every 2 weeks tue 14:00 from 2026-12-01",
	  0,
	  { 1796104800, 1797314400, 1798524000, 1799733600 },
	  { 2026, 12, 1 } },
	{ "every 2 weeks tue 14:00 from 2026-12-01",
	  1796104801,
	  { 1797314400, 1798524000 },
	  { 2026, 12, 15 } },
	{ "every 2 weeks mon,thu 09:30",
	  0,
	  { 1795656600, 1796607000, 1796866200, 1797816600 },
	  { 2026, 11, 26 } },
	{ "every 3 days 09:00",
	  0,
	  { 1795654800, 1795914000, 1796173200 },
	  { 2026, 11, 26 } },
	/* Monthly on the 31st: the last day of shorter months. */
	{ "monthly 31 10:00 UTC from 2027-01-01",
	  0,
	  { 1801389600, 1803808800, 1806487200, 1809079200 },
	  { 2027, 1, 31 } },
	{ "monthly 31 10:00 UTC from 2028-01-01",
	  1832925601,
	  { 1835431200 },
	  { 2028, 2, 29 } },
	{ "every 2 months 15 10:00",
	  0,
	  { 1797300000, 1802656800, 1807754400 },
	  { 2026, 12, 15 } },
	/* The n-th weekday, and the last. */
	{ "monthly first mon 10:00",
	  0,
	  { 1796608800, 1799028000, 1801447200 },
	  { 2026, 12, 7 } },
	{ "monthly second tue 10:00",
	  0,
	  { 1796695200, 1799719200 },
	  { 2026, 12, 8 } },
	{ "monthly fourth thu 10:00", /* today is one */
	  0,
	  { 1795658400, 1798077600, 1801101600 },
	  { 2026, 11, 26 } },
	{ "monthly last fri 17:00",
	  0,
	  { 1795770000, 1798189200, 1801213200, 1803632400 },
	  { 2026, 11, 27 } },
};

static void
test_next(void **state)
{
	struct recur_rule r;
	struct date d;
	int64_t after, t;
	char *cause = NULL;
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof next_cases / sizeof next_cases[0]; i++) {
		parse_ok(next_cases[i].text, &r);
		after = next_cases[i].after;
		for (k = 0; k < 5 && next_cases[i].want[k] != 0; k++) {
			if (recur_next(&r, after, &t, &d, &cause) != 0)
				fail_msg("'%s' #%zu: %s", next_cases[i].text, k,
					 cause);
			if (t != next_cases[i].want[k])
				fail_msg("'%s' #%zu: got %lld, want %lld",
					 next_cases[i].text, k, (long long)t,
					 (long long)next_cases[i].want[k]);
			if (k == 0)
				assert_int_equal(
				    date_compare(d, next_cases[i].first_date),
				    0);
			after = t + 1;
		}
	}
	assert_null(cause);
}

/* "At or after": a start equal to after is returned; a meeting in progress. */
static void
test_next_bounds(void **state)
{
	struct recur_rule r;
	struct date d;
	int64_t t;

	(void)state;
	parse_ok("mon 10:00 America/New_York from 2026-03-01", &r);
	assert_int_equal(recur_next(&r, 1773064800, &t, &d, NULL), 0);
	assert_int_equal(t, 1773064800);
	/* 30 minutes into a 60-minute meeting: pass now - length. */
	assert_int_equal(recur_next(&r, 1773064800 + 1800 - 3600, &t, &d, NULL),
			 0);
	assert_int_equal(t, 1773064800);
	assert_int_equal(date_compare(d, mkdate(2026, 3, 9)), 0);
	/* Nothing before the anchor. */
	parse_ok("mon 10:00 UTC from 2030-01-01", &r);
	assert_int_equal(recur_next(&r, 0, &t, &d, NULL), 0);
	assert_int_equal(date_compare(d, mkdate(2030, 1, 7)), 0);
}

static void
test_skips(void **state)
{
	struct recur_rule r;
	struct date d;
	int64_t t;
	char *cause = NULL;
	int i;

	(void)state;
	parse_ok("mon 10:00", &r);
	assert_int_equal(recur_skip_add(&r, mkdate(2026, 12, 7), &cause), 0);
	assert_true(recur_is_skipped(&r, mkdate(2026, 12, 7)));
	assert_false(recur_is_skipped(&r, mkdate(2026, 12, 14)));
	/* 2026-11-30 10:00, then 12-07 is skipped: 12-14. */
	assert_int_equal(recur_next(&r, 0, &t, &d, &cause), 0);
	assert_int_equal(t, 1796004000);
	assert_int_equal(recur_next(&r, 1796054400, &t, &d, &cause), 0);
	assert_int_equal(t, 1797213600);
	assert_int_equal(date_compare(d, mkdate(2026, 12, 14)), 0);

	/* Sorted and de-duplicated, whatever order they come in. */
	assert_int_equal(recur_skip_add(&r, mkdate(2026, 12, 1), NULL), 0);
	assert_int_equal(recur_skip_add(&r, mkdate(2027, 1, 1), NULL), 0);
	assert_int_equal(recur_skip_add(&r, mkdate(2026, 12, 7), NULL), 0);
	assert_int_equal(r.nskip, 3);
	assert_int_equal(date_compare(r.skip[0], mkdate(2026, 12, 1)), 0);
	assert_int_equal(date_compare(r.skip[1], mkdate(2026, 12, 7)), 0);
	assert_int_equal(date_compare(r.skip[2], mkdate(2027, 1, 1)), 0);
	assert_int_equal(recur_check(&r, NULL), 0);

	assert_int_equal(recur_skip_remove(&r, mkdate(2026, 12, 7), &cause), 0);
	assert_false(recur_is_skipped(&r, mkdate(2026, 12, 7)));
	assert_int_equal(recur_skip_remove(&r, mkdate(2026, 12, 7), &cause),
			 -1);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "2026-12-07 is not a skipped date"));
	free(cause);
	cause = NULL;
	assert_int_equal(recur_skip_add(&r, mkdate(2026, 2, 30), &cause), -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;

	/* Past holidays go; the set is bounded. */
	assert_int_equal(recur_skip_prune(&r, mkdate(2026, 12, 31)), 1);
	assert_int_equal(r.nskip, 1);
	assert_int_equal(recur_skip_prune(&r, mkdate(2026, 1, 1)), 0);
	for (i = 0; r.nskip < RECUR_SKIP_MAX; i++)
		assert_int_equal(
		    recur_skip_add(&r, mkdate(2030, 1 + i / 28, 1 + i % 28),
				   NULL),
		    0);
	assert_int_equal(recur_skip_add(&r, mkdate(2031, 1, 1), &cause), -1);
	assert_non_null(strstr(cause, "too many skipped dates"));
	free(cause);
	cause = NULL;
	assert_int_equal(recur_check(&r, NULL), 0);

	/* Every occurrence within ten years skipped: an error, not a hang. */
	parse_ok("every 12 months 15 10:00 UTC from 2027-01-01", &r);
	for (i = 0; i < 12; i++)
		assert_int_equal(
		    recur_skip_add(&r, mkdate(2027 + i, 1, 15), NULL), 0);
	assert_int_equal(recur_next(&r, 0, &t, &d, &cause), -1);
	assert_non_null(strstr(cause, "no meeting within ten years"));
	free(cause);
}

static void
test_check(void **state)
{
	struct recur_rule good, r;
	struct date d;
	int64_t t;
	char *cause;
	size_t i;
	static const char *const want[] = {
		"unknown schedule kind",
		"interval 0 is out of range",
		"weekdays 0x0 are not valid",
		"meeting time 1440 is out of range",
		"meeting length 0 is out of range",
		"unknown time zone",
		"is not a meeting day",
		"skipped dates are not in order",
	};

	(void)state;
	parse_ok("mon 10:00", &good);
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		r = good;
		switch (i) {
		case 0:
			r.kind = (enum recur_kind)9;
			break;
		case 1:
			r.interval = 0;
			break;
		case 2:
			r.weekdays = 0;
			break;
		case 3:
			r.minute = 1440;
			break;
		case 4:
			r.length = 0;
			break;
		case 5:
			snprintf(r.zone, sizeof r.zone, "Nowhere/Land");
			break;
		case 6:
			r.anchor = mkdate(2026, 12, 1);
			break;
		case 7:
			r.nskip = 2;
			r.skip[0] = mkdate(2026, 12, 7);
			r.skip[1] = mkdate(2026, 12, 7);
			break;
		}
		cause = NULL;
		assert_int_equal(recur_check(&r, &cause), -1);
		assert_non_null(cause);
		if (strstr(cause, want[i]) == NULL)
			fail_msg("#%zu: '%s' lacks '%s'", i, cause, want[i]);
		free(cause);
		/* recur_next() refuses what recur_check() refuses. */
		assert_int_equal(recur_next(&r, 0, &t, &d, NULL), -1);
	}
}

/* Offsets before a meeting, across DST changes. */
static void
test_offset(void **state)
{
	static const struct {
		const char *zone;
		int64_t start;
		struct recur_offset off;
		int64_t want;
	} cases[] = {
		/* Monday 2026-03-09 10:00 EDT, the day after spring forward. */
		{ NY,
		  1773064800,
		  { RECUR_OFFSET_WEEKDAY, 0, 0, 5, 960 },
		  1772830800 }, /* Friday 16:00 EST */
		{ NY,
		  1773064800,
		  { RECUR_OFFSET_MINUTES, 30, 0, 0, 0 },
		  1773063000 },
		{ NY,
		  1773064800,
		  { RECUR_OFFSET_MINUTES, 120, 0, 0, 0 },
		  1773057600 },
		{ NY,
		  1773064800,
		  { RECUR_OFFSET_MINUTES, 0, 0, 0, 0 },
		  1773064800 },
		{ NY,
		  1773064800,
		  { RECUR_OFFSET_DAYS, 0, 1, 0, 1020 },
		  1773003600 }, /* Sunday 17:00 EDT */
		{ NY,
		  1773064800,
		  { RECUR_OFFSET_DAYS, 0, 0, 0, 540 },
		  1773061200 }, /* same day 09:00 */
		/* Monday 10:00 before a Monday 10:00 meeting: a week back. */
		{ NY,
		  1773064800,
		  { RECUR_OFFSET_WEEKDAY, 0, 0, 1, 600 },
		  1772463600 },
		/* 12h before Sunday 10:00 EDT is Saturday 22:00 EST (wall). */
		{ NY,
		  1772978400,
		  { RECUR_OFFSET_MINUTES, 720, 0, 0, 0 },
		  1772938800 },
		/* 30m before 03:00 EDT: 02:30 does not exist; elapsed. */
		{ NY,
		  1772953200,
		  { RECUR_OFFSET_MINUTES, 30, 0, 0, 0 },
		  1772951400 },
		/* Monday 2026-11-02 10:00 EST, the day after fall back. */
		{ NY,
		  1793631600,
		  { RECUR_OFFSET_WEEKDAY, 0, 0, 5, 960 },
		  1793390400 }, /* Friday 16:00 EDT */
		{ NY,
		  1793631600,
		  { RECUR_OFFSET_DAYS, 0, 1, 0, 1020 },
		  1793570400 },
		/* Berlin, both changes. */
		{ BERLIN,
		  1774857600,
		  { RECUR_OFFSET_WEEKDAY, 0, 0, 5, 960 },
		  1774623600 },
		{ BERLIN,
		  1793005200,
		  { RECUR_OFFSET_WEEKDAY, 0, 0, 5, 960 },
		  1792764000 },
	};
	static const struct recur_offset bad[] = {
		{ RECUR_OFFSET_DAYS, 0, 0, 0, 660 }, /* 11:00 after 10:00 */
		{ RECUR_OFFSET_DAYS, 0, 29, 0, 600 },
		{ RECUR_OFFSET_MINUTES, 7 * 24 * 60 + 1, 0, 0, 0 },
		{ RECUR_OFFSET_WEEKDAY, 0, 0, 7, 600 },
		{ RECUR_OFFSET_WEEKDAY, 0, 0, 1, 1440 },
		{ (enum recur_offset_kind)0, 0, 0, 0, 0 },
	};
	char *cause = NULL;
	int64_t t;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (recur_offset(cases[i].zone, cases[i].start, &cases[i].off,
				 &t, &cause) != 0)
			fail_msg("#%zu: %s", i, cause);
		if (t != cases[i].want)
			fail_msg("#%zu: got %lld, want %lld", i, (long long)t,
				 (long long)cases[i].want);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cause = NULL;
		assert_int_equal(
		    recur_offset(NY, 1773064800, &bad[i], &t, &cause), -1);
		assert_non_null(cause);
		free(cause);
	}
	cause = NULL;
	assert_int_equal(
	    recur_offset("Nowhere/Land", 0, &cases[0].off, &t, &cause), -1);
	assert_non_null(cause);
	free(cause);
}

static void
test_offset_parse(void **state)
{
	static const struct {
		const char *in;
		const char *want; /* canonical, or NULL: must fail */
		const char *cause;
	} cases[] = {
		{ "fri 16:00", "fri 16:00", NULL },
		{ "Friday at 16:00", "fri 16:00", NULL },
		{ "周五 16:00", "fri 16:00", NULL },
		{ "星期五 16：00", "fri 16:00", NULL },
		{ "30m", "30m", NULL },
		{ "30 minutes before", "30m", NULL },
		{ "2h", "120m", NULL },
		{ "1h30m", "90m", NULL },
		{ "30分钟", "30m", NULL },
		{ "2小时前", "120m", NULL },
		{ "1d 17:00", "1d 17:00", NULL },
		{ "2 days before 17:00", "2d 17:00", NULL },
		{ "1天前 17:00", "1d 17:00", NULL },
		{ "前一天 17:00", "1d 17:00", NULL },
		{ "same day 09:00", "0d 09:00", NULL },
		{ "当天 09:00", "0d 09:00", NULL },
		{ "", NULL, "cannot read ''" },
		{ "fri", NULL, "expected a time like 16:00" },
		{ "fri 25:00", NULL, "'25:00' is not a time of day" },
		{ "fri 16:00 x", NULL, "cannot read 'x'" },
		{ "30x", NULL, "cannot read '30x'" },
		{ "8d", NULL, "expected a time like 16:00, found ''" },
		{ "29d 10:00", NULL, "too far back" },
		{ "200h", NULL, "too long before the meeting" },
		{ "soon", NULL, "cannot read 'soon'" },
	};
	struct recur_offset o, back;
	char buf[RECUR_OFFSET_FORMAT_SIZE], *cause;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cause = NULL;
		if (cases[i].want == NULL) {
			if (recur_offset_parse(cases[i].in, LOCALE_EN, &o,
					       &cause) == 0)
				fail_msg("'%s' should fail", cases[i].in);
			assert_non_null(cause);
			if (strstr(cause, cases[i].cause) == NULL)
				fail_msg("'%s': '%s' lacks '%s'", cases[i].in,
					 cause, cases[i].cause);
			free(cause);
			continue;
		}
		if (recur_offset_parse(cases[i].in, LOCALE_EN, &o, &cause) != 0)
			fail_msg("'%s': %s", cases[i].in, cause);
		recur_offset_format(&o, buf, sizeof buf);
		assert_string_equal(buf, cases[i].want);
		assert_int_equal(
		    recur_offset_parse(buf, LOCALE_EN, &back, NULL), 0);
		assert_memory_equal(&o, &back, sizeof o);
	}
}

/*
 * Causes in the channel's language: each bad text parsed for a Chinese
 * channel gives the Chinese cause, quoting the user's words as written,
 * and the same text for an English channel the English one.
 */
static const struct {
	const char *in;
	const char *zh;
	const char *en;
} parse_bad_zh[] = {
	{ "", "日程为空；例如“周一 10:00 60分钟 每周 Asia/Shanghai”",
	  "empty schedule; e.g. 'mon 10:00 60m weekly Asia/Shanghai'" },
	{ "   ", "日程为空", "empty schedule" },
	{ "mon", "缺少会议时间；例如“周一 10:00", "missing the meeting time" },
	{ "10:00", "缺少例会日期；例如“周一 10:00 60分钟 每周 Asia/Shanghai”、",
	  "missing the meeting days" },
	{ "mon 25:00", "“25:00”不是有效的时刻（00:00 到 23:59）",
	  "'25:00' is not a time of day (00:00 to 23:59)" },
	{ "周一 9:5", "“9:5”不是时间；请写成时:分", "'9:5' is not a time" },
	{ "周一 10:00 11:00", "有两个会议时间：“10:00”和“11:00”",
	  "two meeting times: '10:00' and '11:00'" },
	{ "周一 10:00 30分钟 1小时", "有两个会议时长：“30分钟”和“1小时”",
	  "two meeting lengths: '30分钟' and '1小时'" },
	{ "周一 10:00 0分钟", "时长“0分钟”超出范围（1 到 1440 分钟）",
	  "length '0分钟' is out of range (1 to 1440 minutes)" },
	{ "周一 10:00 Mars/Base", "未知时区“Mars/Base”；请使用 IANA 时区名",
	  "unknown time zone 'Mars/Base'" },
	{ "周一 10:00 UTC Asia/Shanghai", "有两个时区：“UTC”和“Asia/Shanghai”",
	  "two time zones: 'UTC' and 'Asia/Shanghai'" },
	{ "周一 10:00 "
	  "Aaaaaaaaaa/"
	  "Bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
	  "时区“Aaaaaaaaaa/Bbbbbbbbbbbbbbbbbbbbbbbbbbbbb...”太长（最多 64 "
	  "字节）",
	  "time zone 'Aaaaaaaaaa/Bbbbbbbbbbbbbbbbbbbbbbbbbbbbb...' is too "
	  "long" },
	{ "周一,周一 10:00", "星期“周一”重复了",
	  "weekday '周一' is given twice" },
	{ "周一、 10:00", "逗号后面应是星期几，却是“10:00”",
	  "expected a weekday after the comma, found '10:00'" },
	{ "周一 10:00 开会", "无法识别“开会”；应为星期几",
	  "unknown word '开会'; expected weekdays" },
	{ "周一 10:00 'x'", "无法识别“?x?”", "unknown word '?x?'" },
	{ "周一 10:00 从", "“从”后面需要 2026-12-01 这样的日期",
	  "'从' needs a date like 2026-12-01" },
	{ "周一 10:00 从2026-12-01起 从2026-12-08起",
	  "“从2026-12-08起”：开始日期重复了",
	  "'从2026-12-08起': the start date is given twice" },
	{ "周一 10:00 from 9999-12-28",
	  "开始日期当天及之后找不到第一次例会的日期",
	  "cannot find a first meeting day" },
	{ "每 10:00", "“每”不完整：“每”后面需要“周”“天”或“月”",
	  "'每' needs 周, 天 or 月 after 每" },
	{ "每周 10:00", "“每周”需要星期几，例如 周一 或 mon",
	  "'每周' needs a weekday" },
	{ "每月 10:00", "“每月”需要日期，例如“每月 15日 10:00”",
	  "'每月' needs a day" },
	{ "每月 32日 10:00", "每月的日期“32日”超出范围（1 到 31）",
	  "day of the month '32日' is out of range" },
	{ "每月 15日 16日 10:00", "“16日”与“15日”冲突：日期只能写一次",
	  "'16日' conflicts with '15日': give the day once" },
	{ "每月第五个周一 10:00",
	  "“第五个周一”：只能是每月第一到第四个或最后一个星期几",
	  "'第五个周一': only the first to fourth" },
	{ "每月第一个 10:00", "“第一个”后面需要星期几，例如 第一个周一",
	  "'第一个' needs a weekday after it" },
	{ "每月 第 10:00", "“第”后面需要数字，例如 第一个周一",
	  "'第' needs a number" },
	{ "每月 周一 10:00", "每月的例会中，星期“周一”前面需要写第几个",
	  "weekday '周一' needs first, second" },
	{ "每天 周一 10:00", "星期“周一”与“每天”不符；按星期开会请用“每周”",
	  "weekday '周一' does not fit '每天'" },
	{ "每天 15日 10:00", "“15日”与“每天”不符",
	  "'15日' does not fit '每天'" },
	{ "每周 15日 10:00", "“15日”是每月的日期，需要写“每月”",
	  "'15日' is a day of the month" },
	{ "周一 10:00 每周 每两周", "“每两周”与“每周”冲突：重复方式只能写一次",
	  "'每两周' conflicts with '每周': give the recurrence once" },
	{ "每100周 周一 10:00", "“每100周”：间隔必须是 1 到 52 周",
	  "'每100周': the interval must be 1 to 52 weeks" },
	{ "每400天 10:00", "“每400天”：间隔必须是 1 到 365 天",
	  "1 to 365 days" },
	{ "每13个月 15日 10:00", "“每13个月”：间隔必须是 1 到 12 个月",
	  "1 to 12 months" },
	{ "every 2 10:00", "“every 2”后面需要 days、weeks 或 months",
	  "'every 2' needs days, weeks or months" },
	{ "first 10:00", "“first”后面需要星期几，例如“first mon”",
	  "'first' needs a weekday after it, e.g. 'first mon'" },
	{ "mon 10:00 \xff", "日程不是有效的 UTF-8 文本",
	  "schedule is not valid UTF-8" },
};

static void
test_parse_bad_zh(void **state)
{
	struct recur_defaults def = defaults();
	struct recur_rule r;
	char *cause;
	size_t i;
	int loc;

	(void)state;
	for (i = 0; i < sizeof parse_bad_zh / sizeof parse_bad_zh[0]; i++) {
		for (loc = LOCALE_EN; loc <= LOCALE_ZH_CN; loc++) {
			const char *want = loc == LOCALE_EN
					       ? parse_bad_zh[i].en
					       : parse_bad_zh[i].zh;

			def.loc = (enum locale)loc;
			cause = NULL;
			if (recur_parse(parse_bad_zh[i].in, &def, &r, &cause) ==
			    0)
				fail_msg("'%s' should fail",
					 parse_bad_zh[i].in);
			assert_non_null(cause);
			if (strstr(cause, want) == NULL)
				fail_msg("'%s' (%s): cause '%s' lacks '%s'",
					 parse_bad_zh[i].in,
					 locale_name((enum locale)loc), cause,
					 want);
			free(cause);
		}
	}
}

/* The defaults' own faults, the size limit and no text, in Chinese. */
static void
test_parse_limits_zh(void **state)
{
	static const struct {
		const char *zone;
		int length;
		const char *in;
		const char *zh;
	} cases[] = {
		{ NULL, 60, "周一 10:00",
		  "缺少时区；请加上时区，例如 Asia/Shanghai" },
		{ "Nowhere/Land", 60, "周一 10:00", "默认时区无效" },
		{ SH, 0, "周一 10:00",
		  "默认会议时长 0 超出范围（1 到 1440 分钟）" },
		{ SH, 60, NULL, "日程为空；例如“周一 10:00 60分钟" },
	};
	struct recur_defaults def;
	struct recur_rule r;
	char text[RECUR_TEXT_MAX + 2], *cause;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		def = defaults();
		def.loc = LOCALE_ZH_CN;
		def.zone = cases[i].zone;
		def.length = cases[i].length;
		cause = NULL;
		assert_int_equal(recur_parse(cases[i].in, &def, &r, &cause),
				 -1);
		assert_non_null(cause);
		if (strstr(cause, cases[i].zh) == NULL)
			fail_msg("case %zu: cause '%s' lacks '%s'", i, cause,
				 cases[i].zh);
		free(cause);
	}
	def = defaults();
	def.loc = LOCALE_ZH_CN;
	memset(text, ' ', sizeof text);
	memcpy(text, "周一 10:00", strlen("周一 10:00"));
	text[RECUR_TEXT_MAX + 1] = '\0';
	cause = NULL;
	assert_int_equal(recur_parse(text, &def, &r, &cause), -1);
	assert_non_null(cause);
	assert_string_equal(cause, "日程太长（最多 256 字节）");
	free(cause);
	/* A good text is not affected by the language. */
	assert_int_equal(recur_parse("每周一 10:00", &def, &r, NULL), 0);
}

static void
test_offset_parse_zh(void **state)
{
	static const struct {
		const char *in;
		const char *zh;
		const char *en;
	} cases[] = {
		{ "",
		  "无法识别“”；请写成“周五 16:00”“30分钟”“2小时”或“前一天 "
		  "17:00”",
		  "cannot read ''; use 'fri 16:00', '30m', '2h' or '1d "
		  "17:00'" },
		{ "周五", "应为 16:00 这样的时间，却是“”",
		  "expected a time like 16:00, found ''" },
		{ "周五 25:00", "“25:00”不是有效的时刻",
		  "'25:00' is not a time of day" },
		{ "周五 16:00 开会", "无法识别“开会”", "cannot read '开会'" },
		{ "29天 10:00", "“29天”提前太多（最多 28 天）",
		  "'29天' is too far back (at most 28 days)" },
		{ "200小时", "“200小时”离会议太久（最多提前一周）",
		  "'200小时' is too long before the meeting" },
		{ "周五 \xff", "提前时间不是有效的 UTF-8 文本",
		  "offset is not valid UTF-8" },
	};
	struct recur_offset o;
	char text[RECUR_TEXT_MAX + 2], *cause;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cause = NULL;
		assert_int_equal(
		    recur_offset_parse(cases[i].in, LOCALE_ZH_CN, &o, &cause),
		    -1);
		assert_non_null(cause);
		if (strstr(cause, cases[i].zh) == NULL)
			fail_msg("'%s': cause '%s' lacks '%s'", cases[i].in,
				 cause, cases[i].zh);
		free(cause);
		cause = NULL;
		assert_int_equal(
		    recur_offset_parse(cases[i].in, LOCALE_EN, &o, &cause), -1);
		assert_non_null(cause);
		if (strstr(cause, cases[i].en) == NULL)
			fail_msg("'%s': cause '%s' lacks '%s'", cases[i].in,
				 cause, cases[i].en);
		free(cause);
	}
	memset(text, ' ', sizeof text);
	memcpy(text, "30m", 3);
	text[RECUR_TEXT_MAX + 1] = '\0';
	cause = NULL;
	assert_int_equal(recur_offset_parse(text, LOCALE_ZH_CN, &o, &cause),
			 -1);
	assert_non_null(cause);
	assert_string_equal(cause, "提前时间写得太长（最多 256 字节）");
	free(cause);
	assert_int_equal(
	    recur_offset_parse("前一天 17:00", LOCALE_ZH_CN, &o, NULL), 0);
}

static void
test_quiet(void **state)
{
	static const struct {
		const char *zone;
		int64_t t;
		int qstart, qend;
		int64_t want;
	} cases[] = {
		/* 22:00-08:00 across midnight and the spring change. */
		{ NY, 1772942400, 1320, 480, 1772971200 }, /* Sat 23:00 */
		{ NY, 1772947800, 1320, 480, 1772971200 }, /* Sun 00:30 */
		{ NY, 1772967600, 1320, 480, 1772971200 }, /* Sun 07:00 */
		{ NY, 1772971200, 1320, 480, 1772971200 }, /* 08:00: out */
		{ NY, 1772985600, 1320, 480, 1772985600 }, /* noon */
		{ NY, 1773021600, 1320, 480, 1773057600 }, /* 22:00: in */
		{ NY, 1772938800, 1320, 480, 1772971200 }, /* Sat 22:00 */
		/* Within one day. */
		{ NY, 1780331400, 720, 780, 1780333200 },
		{ NY, 1780331400, 780, 720, 1780331400 },
		{ NY, 1780331400, 600, 600, 1780331400 }, /* none */
		/* The end in a gap moves forward: 02:30 -> 03:30 EDT. */
		{ NY, 1772951400, 60, 150, 1772955000 },
		/* Second 01:15 of the fall-back night, quiet until 01:30. */
		{ NY, 1793513700, 0, 90, 1793514600 },
	};
	char *cause = NULL;
	int64_t t;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (recur_quiet_adjust(cases[i].zone, cases[i].t,
				       cases[i].qstart, cases[i].qend, &t,
				       &cause) != 0)
			fail_msg("#%zu: %s", i, cause);
		if (t != cases[i].want)
			fail_msg("#%zu: got %lld, want %lld", i, (long long)t,
				 (long long)cases[i].want);
	}
	assert_int_equal(recur_quiet_adjust(NY, 0, -1, 480, &t, &cause), -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	assert_int_equal(recur_quiet_adjust(NY, 0, 1320, 1440, &t, &cause), -1);
	assert_non_null(cause);
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_fields),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_parse_limits),
		cmocka_unit_test(test_parse_bad_zh),
		cmocka_unit_test(test_parse_limits_zh),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_next),
		cmocka_unit_test(test_next_bounds),
		cmocka_unit_test(test_skips),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_offset),
		cmocka_unit_test(test_offset_parse),
		cmocka_unit_test(test_offset_parse_zh),
		cmocka_unit_test(test_quiet),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
