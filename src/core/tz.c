/* SPDX-License-Identifier: MIT */
/*
 * tz.c: UTC instants and local time in IANA zones, and the next weekly
 * meeting; see tz.h.
 *
 * How it works. The C library does the zone arithmetic from the installed
 * zone files. Every public function points TZ at its zone with setenv()
 * and tzset(), checking the zone (tz_valid) and calling setenv() only when
 * TZ holds another name; TZ is left set afterwards, so a deployment
 * whose channels share one zone reads its zone file once. tz.c is the only
 * module that may touch TZ, and because TZ is process-wide these functions
 * are not thread-safe (lihui does all of this on its loop thread).
 *
 * UTC to local is localtime_r(). Local to UTC deliberately avoids mktime():
 * for an ambiguous wall time glibc's mktime() returns the first or second
 * occurrence depending on earlier calls (it remembers its last offset), and
 * for a wall time inside a gap the result is unspecified. tz_resolve()
 * instead reads the UTC offsets in effect a day before and a day after the
 * wall time, reads the wall time with each offset, and keeps the readings
 * whose round trip through localtime_r() gives the same wall time back: the
 * earlier one when both do (ambiguous: first occurrence), and, when neither
 * does (a gap), the reading with the offset from before the change, which
 * lands after the gap by exactly its length (02:30 in a 02:00 -> 03:00 gap
 * becomes 03:30). This assumes at most one offset change within a day of
 * the wall time, which holds for every zone in the tz database.
 *
 * tz_next_weekly() walks local calendar dates, not multiples of seven days
 * of seconds, so a 10:00 meeting stays at 10:00 local across DST changes.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lihui/tz.h"
#include "lihui/when.h"
#include "lihui/xmalloc.h"

/* The longest zone name tz_valid() accepts. */
#define TZ_NAME_MAX 64
/* Where zone files live unless TZDIR says otherwise. */
#define TZ_DEFAULT_DIR "/usr/share/zoneinfo"
/* Instants accepted: 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59Z. */
#define TZ_INSTANT_MIN INT64_C(-62135596800)
#define TZ_INSTANT_MAX INT64_C(253402300799)
/* Longest meeting tz_next_weekly() accepts, in minutes: a week. */
#define TZ_LENGTH_MAX (7 * 24 * 60)
#define TZ_DAY	      86400

static int tz_name_ok(const char *zone);
static void tz_quote(const char *zone, char *out, size_t size);
static int tz_use(const char *zone, char **cause);
static int tz_local_at(int64_t t, struct local_time *out);
static int64_t tz_wall_seconds(const struct local_time *lt);
static int tz_resolve(struct date d, int minute_of_day, int64_t *out);

/* Whether zone is a safe relative name: [A-Za-z0-9_+-] parts joined by '/'. */
static int
tz_name_ok(const char *zone)
{
	size_t len = strnlen(zone, TZ_NAME_MAX + 1), part = 0, i;
	char c;

	if (len == 0 || len > TZ_NAME_MAX)
		return 0;
	for (i = 0; i < len; i++) {
		c = zone[i];
		if (c == '/') {
			if (part == 0)
				return 0; /* leading '/' or "//" */
			part = 0;
			continue;
		}
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '+' ||
		      c == '-'))
			return 0; /* no '.', so no ".." either */
		part++;
	}
	/*
	 * The "right/" zones count leap seconds in time_t, which would put
	 * every conversion about half a minute out.
	 */
	return part != 0 && strncmp(zone, "right/", 6) != 0;
}

int
tz_valid(const char *zone)
{
	char path[PATH_MAX], magic[4];
	const char *dir;
	struct stat st;
	int fd, n, ok;

	if (zone == NULL)
		return 0;
	if (strcmp(zone, "UTC") == 0)
		return 1;
	if (!tz_name_ok(zone))
		return 0;
	dir = getenv("TZDIR");
	if (dir == NULL || *dir == '\0')
		dir = TZ_DEFAULT_DIR;
	n = snprintf(path, sizeof path, "%s/%s", dir, zone);
	if (n < 0 || (size_t)n >= sizeof path)
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return 0;
	/* A directory, or a file such as "leapseconds", is not a zone. */
	ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	     read(fd, magic, sizeof magic) == (ssize_t)sizeof magic &&
	     memcmp(magic, "TZif", sizeof magic) == 0;
	close(fd);
	return ok;
}

/* Copy zone into out for a message: printable ASCII only, cut if long. */
static void
tz_quote(const char *zone, char *out, size_t size)
{
	size_t i;

	if (zone == NULL) {
		snprintf(out, size, "(null)");
		return;
	}
	for (i = 0; i + 1 < size && zone[i] != '\0'; i++)
		out[i] = zone[i] > ' ' && zone[i] < 0x7f ? zone[i] : '?';
	out[i] = '\0';
}

/*
 * Make zone the one localtime_r() works in. The zone file is checked only
 * when TZ changes: a channel's zone was validated when it was set, and
 * this runs for every command, so the common case costs no I/O.
 */
static int
tz_use(const char *zone, char **cause)
{
	char shown[TZ_NAME_MAX + 1];
	const char *current = getenv("TZ");

	if (zone != NULL && current != NULL && strcmp(current, zone) == 0 &&
	    tz_name_ok(zone))
		return 0;
	if (!tz_valid(zone)) {
		tz_quote(zone, shown, sizeof shown);
		return set_cause(cause, "unknown time zone '%s'", shown);
	}
	if (setenv("TZ", zone, 1) != 0)
		return set_cause(cause, "cannot set time zone '%s': %s", zone,
				 strerror(errno));
	tzset();
	return 0;
}

/* The local time of t in the current TZ. */
static int
tz_local_at(int64_t t, struct local_time *out)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if ((int64_t)tt != t || localtime_r(&tt, &tm) == NULL)
		return -1;
	out->date.year = tm.tm_year + 1900;
	out->date.month = tm.tm_mon + 1;
	out->date.day = tm.tm_mday;
	out->hour = tm.tm_hour;
	out->minute = tm.tm_min;
	out->second = tm.tm_sec;
	out->wday = tm.tm_wday;
	out->utcoff = tm.tm_gmtoff;
	return 0;
}

/* A local time as seconds since 1970-01-01 00:00 on the local calendar. */
static int64_t
tz_wall_seconds(const struct local_time *lt)
{
	return date_to_days(lt->date) * TZ_DAY + lt->hour * 3600 +
	       lt->minute * 60 + lt->second;
}

/* The instant of local date d at minute_of_day in the current TZ. */
static int
tz_resolve(struct date d, int minute_of_day, int64_t *out)
{
	int64_t wall = date_to_days(d) * TZ_DAY + minute_of_day * 60;
	int64_t cand[2], best = 0;
	struct local_time before, after, lt;
	int found = 0, i;

	if (tz_local_at(wall - TZ_DAY, &before) < 0 ||
	    tz_local_at(wall + TZ_DAY, &after) < 0)
		return -1;
	cand[0] = wall - before.utcoff;
	cand[1] = wall - after.utcoff;
	for (i = 0; i < 2; i++) {
		if (tz_local_at(cand[i], &lt) < 0)
			return -1;
		if (tz_wall_seconds(&lt) == wall &&
		    (!found || cand[i] < best)) {
			best = cand[i];
			found = 1;
		}
	}
	if (!found) {
		/* A gap: the earlier offset lands past it; check it does. */
		best = cand[0];
		if (tz_local_at(best, &lt) < 0 || tz_wall_seconds(&lt) <= wall)
			return -1;
	}
	*out = best;
	return 0;
}

int
tz_to_local(const char *zone, int64_t t, struct local_time *out, char **cause)
{
	if (t < TZ_INSTANT_MIN || t > TZ_INSTANT_MAX)
		return set_cause(cause, "time %lld is out of range",
				 (long long)t);
	if (tz_use(zone, cause) < 0)
		return -1;
	if (tz_local_at(t, out) < 0)
		return set_cause(cause, "cannot convert time %lld to '%s'",
				 (long long)t, zone);
	return 0;
}

int
tz_from_local(const char *zone, struct date d, int minute_of_day, int64_t *out,
	      char **cause)
{
	if (!date_valid(d))
		return set_cause(cause, "invalid date %d-%d-%d", d.year,
				 d.month, d.day);
	if (minute_of_day < 0 || minute_of_day >= 24 * 60)
		return set_cause(cause,
				 "minute of day %d is out of range "
				 "(0..1439)",
				 minute_of_day);
	if (tz_use(zone, cause) < 0)
		return -1;
	if (tz_resolve(d, minute_of_day, out) < 0)
		return set_cause(cause,
				 "cannot find %04d-%02d-%02d %02d:%02d in '%s'",
				 d.year, d.month, d.day, minute_of_day / 60,
				 minute_of_day % 60, zone);
	return 0;
}

int
tz_next_weekly(const char *zone, int64_t now, int wday, int minute_of_day,
	       int length, int64_t *out, char **cause)
{
	struct local_time lt;
	struct date d;
	int64_t from, first, t;
	int i;

	if (wday < 0 || wday > 6)
		return set_cause(cause, "weekday %d is out of range (0..6)",
				 wday);
	if (minute_of_day < 0 || minute_of_day >= 24 * 60)
		return set_cause(cause,
				 "minute of day %d is out of range "
				 "(0..1439)",
				 minute_of_day);
	if (length < 0 || length > TZ_LENGTH_MAX)
		return set_cause(cause,
				 "meeting length %d is out of range "
				 "(0..%d minutes)",
				 length, TZ_LENGTH_MAX);
	if (now < TZ_INSTANT_MIN || now > TZ_INSTANT_MAX)
		return set_cause(cause, "time %lld is out of range",
				 (long long)now);
	if (tz_use(zone, cause) < 0)
		return -1;
	from = now - (int64_t)length * 60;
	if (tz_local_at(from, &lt) < 0)
		return set_cause(cause, "cannot convert time %lld to '%s'",
				 (long long)from, zone);
	/*
	 * Start a day early: a meeting on the previous local day can be
	 * pushed past midnight by a gap. Two weeks always hold a match.
	 */
	first = date_to_days(lt.date) - 1;
	for (i = 0; i <= 15; i++) {
		d = date_from_days(first + i);
		if (date_weekday(d) != wday)
			continue;
		if (tz_resolve(d, minute_of_day, &t) < 0)
			break;
		if (t >= from) {
			*out = t;
			return 0;
		}
	}
	return set_cause(cause, "cannot find the next weekly meeting in '%s'",
			 zone);
}
