/* SPDX-License-Identifier: MIT */
/*
 * tz.h: conversions between UTC instants and local time in an IANA zone,
 * and the next weekly meeting occurrence.
 *
 * Implemented with the C library's zone files (TZ + localtime_r/mktime);
 * tz.c is the only module that touches TZ, and it leaves TZ set to the last
 * zone used so a single-zone deployment never reloads zone data.
 */
#ifndef LIHUI_TZ_H
#define LIHUI_TZ_H

#include <stdint.h>

#include "lihui/when.h"

struct local_time {
	struct date date;
	int hour, minute, second;
	int wday;    /* 0 = Sunday */
	long utcoff; /* seconds east of UTC at that instant */
};

/**
 * Whether zone names an installed IANA zone ("UTC" always does): at most 64
 * bytes of [A-Za-z0-9_+-] parts joined by '/', naming a TZif file under
 * $TZDIR or /usr/share/zoneinfo (the leap-second "right/" zones excepted).
 */
int tz_valid(const char *zone);
/** The local time in zone of instant t. */
int tz_to_local(const char *zone, int64_t t, struct local_time *out,
		char **cause);
/**
 * The instant of local date d at minute_of_day in zone. A local time that
 * does not exist (a DST gap) moves forward by the gap; an ambiguous one
 * takes the first occurrence.
 */
int tz_from_local(const char *zone, struct date d, int minute_of_day,
		  int64_t *out, char **cause);
/**
 * The first weekly occurrence (weekday wday, minute_of_day) in zone that
 * starts at or after now minus length minutes, i.e. the meeting now being
 * prepared: a meeting in progress is still "next" until it ends.
 * length is 0..10080 minutes. Instants passed in must lie in years
 * 1..9999 (UTC). Not thread-safe: TZ is process-wide.
 */
int tz_next_weekly(const char *zone, int64_t now, int wday, int minute_of_day,
		   int length, int64_t *out, char **cause);

#endif
