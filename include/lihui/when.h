/* SPDX-License-Identifier: MIT */
/*
 * when.h: civil dates and the date parser for deadlines and leave (pure).
 *
 * Accepted forms (English and Chinese), relative to "today" in the
 * channel's time zone:
 *   2026-12-01  2026/12/01  12-01  12/01  12月1日  2026年12月1日
 *   today tomorrow 今天 明天 后天
 *   mon .. sun, monday .. sunday, 周一 .. 周日 (周天), 星期一 .. 星期日:
 *       the next such day after today (today itself excluded)
 *   next mon, 下周一 ...: that weekday in next week (weeks start Monday)
 *   next week, 下周: next week's Monday
 *   in N days, in N weeks, N天后, N周后
 *   end of week, eow, 本周内, 这周内, 周末前: this week's Friday (today
 *       on a Friday; next week's on a weekend)
 * A year-less date means its next occurrence on or after today.
 * Also accepted: 12月1号, tue/tues, thu/thur/thurs, 下个周一, 下星期一,
 * 下星期, N星期后, N个星期后, N天以后; white space (ASCII or U+3000)
 * around the text and between Chinese parts. English is case-insensitive.
 * Results lie in 1970..9999; N is 1..3650 days (1..521 weeks).
 */
#ifndef LIHUI_WHEN_H
#define LIHUI_WHEN_H

#include <stdint.h>

struct date {
	int year;  /* e.g. 2026 */
	int month; /* 1..12 */
	int day;   /* 1..31 */
};

/** Longest text when_parse() looks at, in bytes. */
#define WHEN_MAX_TEXT 64

/**
 * Parse text as a date relative to today. Returns 0 and fills *out, or -1
 * with *cause naming the accepted forms. Never reads past text's NUL or
 * WHEN_MAX_TEXT bytes.
 */
int when_parse(const char *text, struct date today, struct date *out,
	       char **cause);

/** Days since 1970-01-01 of a valid civil date (proleptic Gregorian). */
int64_t date_to_days(struct date d);
/** The civil date days after 1970-01-01. */
struct date date_from_days(int64_t days);
/** 0 = Sunday .. 6 = Saturday. */
int date_weekday(struct date d);
/** Whether d is a real calendar date in 1..9999 (month length, leap years). */
int date_valid(struct date d);
/** Negative, 0 or positive as a is before, equal to or after b. */
int date_compare(struct date a, struct date b);
/** Format as "YYYY-MM-DD" into out (at least 11 bytes). */
void date_format(struct date d, char *out, unsigned long size);
/** Parse exactly "YYYY-MM-DD"; -1 if malformed or not a real date. */
int date_parse_iso(const char *s, struct date *out);

#endif
