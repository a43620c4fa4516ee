/* SPDX-License-Identifier: MIT */
/*
 * test-tz.c: zone names, UTC <-> local conversions (DST gaps and overlaps
 * both ways) and the next weekly meeting, against the installed tzdata.
 *
 * Expected instants were computed independently with Python's zoneinfo,
 * whose fold=0 reading matches tz.h: a time in a gap moves forward by the
 * gap, an ambiguous time is its first occurrence.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lihui/tz.h"
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

/* A local time as seconds on the local calendar, for comparisons. */
static int64_t
wall_of(const struct local_time *lt)
{
	return date_to_days(lt->date) * 86400 + lt->hour * 3600 +
	       lt->minute * 60 + lt->second;
}

static void
test_valid(void **state)
{
	static const char *const good[] = {
		"UTC",
		"Asia/Shanghai",
		"America/New_York",
		"Europe/Berlin",
		"America/Argentina/Buenos_Aires",
		"Etc/GMT+5",
		"Etc/GMT-14",
		"America/Port-au-Prince",
		"PRC",
	};
	static const char *const bad[] = {
		"",
		"../etc/passwd",
		"../../../../etc/passwd",
		"/etc/passwd",
		"/usr/share/zoneinfo/UTC",
		"Asia/../Asia/Shanghai",
		"./UTC",
		"Asia//Shanghai",
		"Asia/Shanghai/",
		"/Asia/Shanghai",
		"Asia",
		"Nope/Zone",
		"Asia/Shang hai",
		"Asia/Shanghai\n",
		"Asia/Shanghai;rm",
		"asia/shanghai",
		"utc",
		"zone.tab",
		"tzdata.zi",
		"right/UTC",
		"CST-8",
		":Asia/Shanghai",
		"Asia/Shanghai\xe4\xb8\x8a",
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
		"AAA",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		if (!tz_valid(good[i]))
			fail_msg("'%s' should be valid", good[i]);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (tz_valid(bad[i]))
			fail_msg("'%s' should be invalid", bad[i]);
	}
	assert_false(tz_valid(NULL));
}

/* TZDIR moves the zone files; only real TZif regular files count. */
static void
test_valid_tzdir(void **state)
{
	char dir[] = "/tmp/test-tz-XXXXXX", path[256];
	FILE *f;

	(void)state;
	assert_null(getenv("TZDIR"));
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/Fake", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof path, "%s/Fake/Dir", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof path, "%s/Fake/Zone", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("TZif2 and the rest", f);
	fclose(f);
	snprintf(path, sizeof path, "%s/Fake/Text", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("# not a zone\n", f);
	fclose(f);

	assert_int_equal(setenv("TZDIR", dir, 1), 0);
	assert_true(tz_valid("Fake/Zone"));
	assert_false(tz_valid("Fake/Text"));
	assert_false(tz_valid("Fake/Dir"));
	assert_false(tz_valid("Fake"));
	assert_false(tz_valid("Asia/Shanghai"));
	assert_true(tz_valid("UTC"));
	assert_int_equal(unsetenv("TZDIR"), 0);
	assert_true(tz_valid("Asia/Shanghai"));
	assert_false(tz_valid("Fake/Zone"));

	snprintf(path, sizeof path, "%s/Fake/Zone", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/Fake/Text", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/Fake/Dir", dir);
	rmdir(path);
	snprintf(path, sizeof path, "%s/Fake", dir);
	rmdir(path);
	rmdir(dir);
}

static void
test_to_local(void **state)
{
	static const struct {
		const char *zone;
		int64_t t;
		struct date date;
		int hour, minute, second, wday;
		long utcoff;
	} cases[] = {
		{ "UTC", 0, { 1970, 1, 1 }, 0, 0, 0, 4, 0 },
		{ "UTC", -1, { 1969, 12, 31 }, 23, 59, 59, 3, 0 },
		{ "UTC", 253402300799, { 9999, 12, 31 }, 23, 59, 59, 5, 0 },
		{ SH, 1795658400, { 2026, 11, 26 }, 10, 0, 0, 4, 28800 },
		{ SH, 0, { 1970, 1, 1 }, 8, 0, 0, 4, 28800 },
		/* New York springs forward at 2026-03-08 07:00Z. */
		{ NY, 1772953199, { 2026, 3, 8 }, 1, 59, 59, 0, -18000 },
		{ NY, 1772953200, { 2026, 3, 8 }, 3, 0, 0, 0, -14400 },
		{ NY, 1772955000, { 2026, 3, 8 }, 3, 30, 0, 0, -14400 },
		/* ... and falls back at 2026-11-01 06:00Z: 01:30 twice. */
		{ NY, 1793511000, { 2026, 11, 1 }, 1, 30, 0, 0, -14400 },
		{ NY, 1793514600, { 2026, 11, 1 }, 1, 30, 0, 0, -18000 },
		{ BERLIN, 1774747800, { 2026, 3, 29 }, 3, 30, 0, 0, 7200 },
		{ BERLIN, 1792888200, { 2026, 10, 25 }, 2, 30, 0, 0, 7200 },
		{ BERLIN, 1792891800, { 2026, 10, 25 }, 2, 30, 0, 0, 3600 },
	};
	struct local_time lt;
	char *cause = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (tz_to_local(cases[i].zone, cases[i].t, &lt, &cause) != 0)
			fail_msg("%s %lld: %s", cases[i].zone,
				 (long long)cases[i].t, cause);
		assert_int_equal(date_compare(lt.date, cases[i].date), 0);
		assert_int_equal(lt.hour, cases[i].hour);
		assert_int_equal(lt.minute, cases[i].minute);
		assert_int_equal(lt.second, cases[i].second);
		assert_int_equal(lt.wday, cases[i].wday);
		assert_int_equal(lt.utcoff, cases[i].utcoff);
		assert_string_equal(getenv("TZ"), cases[i].zone);
	}
	assert_null(cause);
}

static void
test_from_local(void **state)
{
	static const struct {
		const char *zone;
		struct date date;
		int minute;
		int64_t want;
	} cases[] = {
		{ "UTC", { 1970, 1, 1 }, 0, 0 },
		{ "UTC", { 2026, 11, 26 }, 10 * 60, 1795658400 + 8 * 3600 },
		{ SH, { 2026, 11, 26 }, 10 * 60, 1795658400 },
		{ SH, { 1970, 1, 1 }, 0, -28800 },
		/* Gap: 02:30 does not exist and becomes 03:30 EDT. */
		{ NY, { 2026, 3, 8 }, 2 * 60 + 30, 1772955000 },
		{ NY, { 2026, 3, 8 }, 2 * 60, 1772953200 },
		{ NY, { 2026, 3, 8 }, 3 * 60 + 30, 1772955000 },
		{ NY, { 2026, 3, 8 }, 60 + 59, 1772953140 },
		/* Overlap: 01:30 happens twice; the first (EDT) wins. */
		{ NY, { 2026, 11, 1 }, 60 + 30, 1793511000 },
		{ NY, { 2026, 11, 1 }, 60, 1793509200 },
		{ NY, { 2026, 11, 1 }, 2 * 60, 1793516400 },
		{ BERLIN, { 2026, 3, 29 }, 2 * 60 + 30, 1774747800 },
		{ BERLIN, { 2026, 10, 25 }, 2 * 60 + 30, 1792888200 },
		/* A half-hour DST shift, and a whole day skipped. */
		{ "Australia/Lord_Howe",
		  { 2026, 10, 4 },
		  2 * 60 + 15,
		  1791042300 },
		{ "Pacific/Apia", { 2011, 12, 30 }, 10 * 60, 1325275200 },
		{ "Pacific/Apia", { 2011, 12, 29 }, 10 * 60, 1325188800 },
	};
	int64_t t;
	char *cause = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (tz_from_local(cases[i].zone, cases[i].date, cases[i].minute,
				  &t, &cause) != 0)
			fail_msg("%s: %s", cases[i].zone, cause);
		if (t != cases[i].want)
			fail_msg("%s %d-%d-%d %d: got %lld, want %lld",
				 cases[i].zone, cases[i].date.year,
				 cases[i].date.month, cases[i].date.day,
				 cases[i].minute, (long long)t,
				 (long long)cases[i].want);
	}
	assert_null(cause);
}

/*
 * Check local date day (days since 1970) at minute in zone: the wall time
 * comes back, or (in a gap) comes back moved forward by the gap; and no
 * earlier instant shows it (an overlap gives the first occurrence).
 */
static void
check_wall(const char *zone, int64_t day, int minute, int *gaps, int *overlaps)
{
	struct local_time lt, other;
	int64_t t, wall = day * 86400 + minute * 60;
	int k;

	assert_int_equal(
	    tz_from_local(zone, date_from_days(day), minute, &t, NULL), 0);
	assert_int_equal(tz_to_local(zone, t, &lt, NULL), 0);
	if (wall_of(&lt) != wall) {
		/* Only a gap moves the time, and by exactly its length. */
		assert_int_equal(tz_to_local(zone, t - 86400, &other, NULL), 0);
		assert_true(lt.utcoff > other.utcoff);
		assert_int_equal(wall_of(&lt) - wall, lt.utcoff - other.utcoff);
		(*gaps)++;
		return;
	}
	for (k = 1; k <= 2; k++) {
		assert_int_equal(tz_to_local(zone, t - k * 1800, &other, NULL),
				 0);
		assert_true(wall_of(&other) != wall);
		assert_int_equal(tz_to_local(zone, t + k * 1800, &other, NULL),
				 0);
		if (wall_of(&other) == wall)
			(*overlaps)++;
	}
}

/*
 * All of 2026 in zones with and without DST: every half hour on the days
 * around an offset change, every four hours elsewhere.
 */
static void
test_from_local_year(void **state)
{
	static const struct {
		const char *zone;
		int gaps, overlaps; /* half hours in a gap, or twice */
	} zones[] = {
		{ NY, 2, 2 },
		{ BERLIN, 2, 2 },
		{ "Australia/Lord_Howe", 1, 1 }, /* a 30-minute shift */
		{ SH, 0, 0 },
	};
	struct local_time before, after;
	int64_t day, first = date_to_days(mkdate(2026, 1, 1));
	int minute, step, gaps, overlaps;
	size_t z;

	(void)state;
	for (z = 0; z < sizeof zones / sizeof zones[0]; z++) {
		gaps = overlaps = 0;
		for (day = first; day < first + 365; day++) {
			assert_int_equal(tz_to_local(zones[z].zone,
						     (day - 1) * 86400, &before,
						     NULL),
					 0);
			assert_int_equal(tz_to_local(zones[z].zone,
						     (day + 2) * 86400, &after,
						     NULL),
					 0);
			step = before.utcoff != after.utcoff ? 30 : 240;
			for (minute = 0; minute < 1440; minute += step)
				check_wall(zones[z].zone, day, minute, &gaps,
					   &overlaps);
		}
		assert_int_equal(gaps, zones[z].gaps);
		assert_int_equal(overlaps, zones[z].overlaps);
	}
}

static void
test_next_weekly(void **state)
{
	static const struct {
		const char *zone;
		int64_t now;
		int wday, minute, length;
		int64_t want;
	} cases[] = {
		/* UTC: from Thursday 1970-01-01 to Monday 09:00. */
		{ "UTC", 0, 1, 9 * 60, 60, 4 * 86400 + 9 * 3600 },
		/* Monday 10:00 for 60 minutes in New York, around 03-02. */
		{ NY, 1772463600 - 3600, 1, 600, 60, 1772463600 },
		{ NY, 1772463600, 1, 600, 60, 1772463600 },
		{ NY, 1772463600 + 1800, 1, 600, 60, 1772463600 },
		{ NY, 1772463600 + 3600, 1, 600, 60, 1772463600 },
		{ NY, 1772463600 + 3601, 1, 600, 60, 1773064800 },
		{ NY, 1772463600, 1, 600, 0, 1772463600 },
		{ NY, 1772463600 + 1, 1, 600, 0, 1773064800 },
		/* Friday before the spring change: 69 hours to 10:00 EDT. */
		{ NY, 1772816400, 1, 600, 60, 1773064800 },
		/* After the autumn change: still 10:00 local (EST). */
		{ NY, 1793023200 + 7200, 1, 600, 60, 1793631600 },
		/* Sunday 02:30 falls in the gap on 03-08: 03:30 EDT. */
		{ NY, 1772902800, 0, 150, 30, 1772955000 },
		{ NY, 1772955000 + 1801, 0, 150, 30, 1773556200 },
		/* Sunday 01:30 on 11-01: the first one, then next week. */
		{ NY, 1793462400, 0, 90, 30, 1793511000 },
		{ NY, 1793511000 + 1801, 0, 90, 30, 1794119400 },
		/* Berlin, Monday 10:00 across its spring change. */
		{ BERLIN, 1774609200, 1, 600, 60, 1774857600 },
		{ BERLIN, 1774256400 + 60, 1, 600, 60, 1774256400 },
		/* Shanghai, Thursday 10:00. */
		{ SH, 1795658400, 4, 600, 60, 1795658400 },
		{ SH, 1795658400 + 3660, 4, 600, 60, 1796263200 },
		/* Apia skipped Friday 2011-12-30; its 10:00 moved a day. */
		{ "Pacific/Apia", 1325109600, 5, 600, 60, 1325275200 },
		/* A meeting that lasts a week is "next" until it ends. */
		{ SH, 1795658400 + 7 * 86400, 4, 600, 7 * 1440, 1795658400 },
	};
	int64_t t;
	char *cause = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (tz_next_weekly(cases[i].zone, cases[i].now, cases[i].wday,
				   cases[i].minute, cases[i].length, &t,
				   &cause) != 0)
			fail_msg("row %zu: %s", i, cause);
		if (t != cases[i].want)
			fail_msg("row %zu: got %lld, want %lld", i,
				 (long long)t, (long long)cases[i].want);
	}
	assert_null(cause);
}

/* Fifty-two weeks in a row, each meeting at 10:00 local on a Monday. */
static void
test_next_weekly_year(void **state)
{
	static const char *const zones[] = { NY, BERLIN, SH, "UTC" };
	struct local_time lt;
	int64_t now, t, prev;
	size_t z;
	int i;

	(void)state;
	for (z = 0; z < sizeof zones / sizeof zones[0]; z++) {
		assert_int_equal(
		    tz_from_local(zones[z], mkdate(2026, 1, 1), 0, &now, NULL),
		    0);
		prev = 0;
		for (i = 0; i < 52; i++) {
			assert_int_equal(
			    tz_next_weekly(zones[z], now, 1, 600, 45, &t, NULL),
			    0);
			assert_int_equal(tz_to_local(zones[z], t, &lt, NULL),
					 0);
			assert_int_equal(lt.wday, 1);
			assert_int_equal(lt.hour, 10);
			assert_int_equal(lt.minute, 0);
			if (prev != 0)
				assert_int_equal(date_to_days(lt.date) - prev,
						 7);
			prev = date_to_days(lt.date);
			now = t + 45 * 60 + 1;
		}
	}
}

/* Switching zones back and forth gives the same answers each time. */
static void
test_switch_zones(void **state)
{
	struct local_time lt;
	int64_t t;
	int i;

	(void)state;
	for (i = 0; i < 20; i++) {
		assert_int_equal(tz_to_local(SH, 1795658400, &lt, NULL), 0);
		assert_int_equal(lt.hour, 10);
		assert_string_equal(getenv("TZ"), SH);
		assert_int_equal(tz_to_local(NY, 1795658400, &lt, NULL), 0);
		assert_int_equal(lt.hour, 21);
		assert_int_equal(lt.utcoff, -18000);
		assert_int_equal(
		    tz_from_local(BERLIN, mkdate(2026, 10, 25), 150, &t, NULL),
		    0);
		assert_int_equal(t, 1792888200);
		assert_int_equal(
		    tz_from_local(NY, mkdate(2026, 11, 1), 90, &t, NULL), 0);
		assert_int_equal(t, 1793511000);
	}
}

static void
test_errors(void **state)
{
	struct local_time lt;
	int64_t t = 42;
	char *cause;
	int i;

	(void)state;
	assert_int_equal(tz_to_local(SH, 0, &lt, NULL), 0);
	for (i = 0; i < 16; i++) {
		cause = NULL;
		switch (i) {
		case 0:
			assert_int_equal(
			    tz_to_local("../etc/passwd", 0, &lt, &cause), -1);
			assert_non_null(strstr(cause, "unknown time zone "
						      "'../etc/passwd'"));
			break;
		case 1:
			assert_int_equal(
			    tz_to_local("Nope/Zone", 0, &lt, &cause), -1);
			break;
		case 2:
			assert_int_equal(tz_to_local(NULL, 0, &lt, &cause), -1);
			break;
		case 3:
			assert_int_equal(
			    tz_to_local("UTC", INT64_MAX, &lt, &cause), -1);
			assert_non_null(strstr(cause, "out of range"));
			break;
		case 4:
			assert_int_equal(
			    tz_to_local("UTC", INT64_MIN, &lt, &cause), -1);
			break;
		case 5:
			assert_int_equal(tz_from_local("../etc/passwd",
						       mkdate(2026, 1, 1), 0,
						       &t, &cause),
					 -1);
			break;
		case 6:
			assert_int_equal(tz_from_local(SH, mkdate(2026, 2, 30),
						       0, &t, &cause),
					 -1);
			assert_non_null(strstr(cause, "invalid date"));
			break;
		case 7:
			assert_int_equal(tz_from_local(SH, mkdate(2026, 2, 1),
						       1440, &t, &cause),
					 -1);
			assert_non_null(strstr(cause, "1440"));
			break;
		case 8:
			assert_int_equal(tz_from_local(SH, mkdate(2026, 2, 1),
						       -1, &t, &cause),
					 -1);
			break;
		case 9:
			assert_int_equal(tz_next_weekly("Bad Zone", 0, 1, 600,
							60, &t, &cause),
					 -1);
			assert_non_null(strstr(cause, "'Bad?Zone'"));
			break;
		case 10:
			assert_int_equal(
			    tz_next_weekly(SH, 0, 7, 600, 60, &t, &cause), -1);
			assert_non_null(strstr(cause, "weekday 7"));
			break;
		case 11:
			assert_int_equal(
			    tz_next_weekly(SH, 0, -1, 600, 60, &t, &cause), -1);
			break;
		case 12:
			assert_int_equal(
			    tz_next_weekly(SH, 0, 1, 1440, 60, &t, &cause), -1);
			break;
		case 13:
			assert_int_equal(
			    tz_next_weekly(SH, 0, 1, 600, -1, &t, &cause), -1);
			assert_non_null(strstr(cause, "length"));
			break;
		case 14:
			assert_int_equal(tz_next_weekly(SH, 0, 1, 600,
							7 * 1440 + 1, &t,
							&cause),
					 -1);
			break;
		case 15:
			assert_int_equal(tz_next_weekly(SH, INT64_MAX, 1, 600,
							60, &t, &cause),
					 -1);
			break;
		}
		if (cause == NULL)
			fail_msg("case %d: no cause", i);
		free(cause);
		/* A failure leaves the output and TZ alone. */
		assert_int_equal(t, 42);
		assert_string_equal(getenv("TZ"), SH);
	}
	/* Errors without a cause pointer. */
	assert_int_equal(tz_to_local("Nope/Zone", 0, &lt, NULL), -1);
	assert_int_equal(tz_next_weekly(SH, 0, 9, 0, 0, &t, NULL), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_valid_tzdir),
		cmocka_unit_test(test_to_local),
		cmocka_unit_test(test_from_local),
		cmocka_unit_test(test_from_local_year),
		cmocka_unit_test(test_next_weekly),
		cmocka_unit_test(test_next_weekly_year),
		cmocka_unit_test(test_switch_zones),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
