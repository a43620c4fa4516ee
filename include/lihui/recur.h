/* SPDX-License-Identifier: MIT */
/*
 * recur.h: a channel's meeting schedule (recurrence rule) and the time
 * arithmetic hanging off it (pure; time zones through tz.h).
 *
 * A rule names local calendar dates (weekly on some weekdays every N weeks,
 * every N days, monthly on a day of the month or on the n-th weekday, every
 * N months), a local meeting time and length, an IANA zone and a set of
 * skipped dates. Occurrences are computed on local dates and converted with
 * tz_from_local(), so a 10:00 meeting stays at 10:00 local time across DST
 * changes; a time inside a DST gap moves forward by the gap (02:30 on a
 * 02:00 -> 03:00 day is 03:30) and an ambiguous time is its first
 * occurrence, so it fires once.
 *
 * Text form (recur_parse; English and Chinese, words in any order, English
 * case-insensitive; what recur_format writes is the first line):
 *   weekly mon,thu 09:30 45m Asia/Shanghai from 2026-11-30
 *   mon 10:00 60m weekly Asia/Shanghai       every monday at 10:00
 *   every 2 weeks tue 14:00    biweekly fri 16:00 1h    every other week
 *   daily 09:00    every 3 days 09:00
 *   monthly 15 10:00    monthly 31st 10:00    every 2 months 15 10:00
 *   monthly first mon 10:00    monthly last fri 17:00    (1st..4th, last)
 *   周一 10:00 60分钟 每周 Asia/Shanghai    每周一、周四 09:30
 *   每两周 周二 14:00    隔周 周五 16:00    每3天 09:00    每天 09:00
 *   每月 15日 10:00    每月第一个周一 10:00    每月最后一个周五 17:00
 *   lengths: 45m 45min 1h 1h30m 90 minutes 45分钟 1小时 1小时30分钟
 *   from 2026-12-01 / 从2026-12-01起: count from the first occurrence on or
 *   after that date instead of today.
 * Without a recurrence word, weekdays mean weekly and a day of the month or
 * an n-th weekday means monthly. The length and zone default to the values
 * passed in; the time is required.
 */
#ifndef LIHUI_RECUR_H
#define LIHUI_RECUR_H

#include <stddef.h>
#include <stdint.h>

#include "lihui/catalog.h"
#include "lihui/when.h"

/** Longest zone name (as tz_valid() accepts), without the NUL. */
#define RECUR_ZONE_MAX 64
/** Most skipped dates a rule holds. */
#define RECUR_SKIP_MAX 64
/** Longest text recur_parse() and recur_offset_parse() accept, in bytes. */
#define RECUR_TEXT_MAX 256
/** Buffer size that always holds recur_format()'s output. */
#define RECUR_FORMAT_SIZE 192
/** Buffer size that always holds recur_offset_format()'s output. */
#define RECUR_OFFSET_FORMAT_SIZE 32
/** How far ahead recur_next() looks, in days (ten years). */
#define RECUR_SEARCH_DAYS 3653
/** Meeting length range, in minutes. */
#define RECUR_LENGTH_MIN 1
#define RECUR_LENGTH_MAX 1440
/** Interval ranges: every 1..N weeks, days, months. */
#define RECUR_WEEKS_MAX	 52
#define RECUR_DAYS_MAX	 365
#define RECUR_MONTHS_MAX 12
/** Longest offset before a meeting (recur_offset), in minutes: a week. */
#define RECUR_OFFSET_MINUTES_MAX (7 * 24 * 60)
/** Most calendar days an offset may go back. */
#define RECUR_OFFSET_DAYS_MAX 28

enum recur_kind {
	RECUR_WEEKLY = 1,      /* weekdays, every interval weeks */
	RECUR_DAILY = 2,       /* every interval days */
	RECUR_MONTHLY_DAY = 3, /* monthday, every interval months */
	RECUR_MONTHLY_NTH = 4, /* nth wday, every interval months */
};

/*
 * A schedule. Fields a kind does not use are 0, so two rules are equal when
 * recur_equal() says so. Valid rules pass recur_check().
 */
struct recur_rule {
	enum recur_kind kind;
	int interval;	   /* every N weeks / days / months; >= 1 */
	unsigned weekdays; /* WEEKLY: bit 0 = Sunday .. bit 6 = Saturday */
	int monthday;	   /* MONTHLY_DAY: 1..31; a shorter month: last day */
	int nth;	   /* MONTHLY_NTH: 1..4, or -1 for the last */
	int nth_wday;	   /* MONTHLY_NTH: 0 = Sunday .. 6 */
	/*
	 * The first occurrence's local date (before skips): nothing happens
	 * before it, and every-N weeks / days / months count from it (weeks
	 * from the Monday of its week, months from its month).
	 */
	struct date anchor;
	int minute; /* start, local minute of the day, 0..1439 */
	int length; /* minutes, RECUR_LENGTH_MIN..RECUR_LENGTH_MAX */
	char zone[RECUR_ZONE_MAX + 1];
	int nskip;			  /* 0..RECUR_SKIP_MAX */
	struct date skip[RECUR_SKIP_MAX]; /* strictly increasing */
};

/* What recur_parse() uses for the parts the text leaves out. */
struct recur_defaults {
	struct date today; /* the channel's local date now */
	int length;	   /* minutes */
	const char *zone;  /* the channel's zone, or NULL: zone required */
	enum locale loc;   /* language of the causes; 0 is LOCALE_EN */
};

/**
 * Whether rule is valid: ranges above, unused fields 0, zone tz_valid(),
 * anchor a date the rule names, skipped dates valid and increasing.
 * Returns 0, or -1 with *cause (caller frees) saying which field is wrong.
 */
int recur_check(const struct recur_rule *rule, char **cause);
/** Whether a and b are the same schedule (all fields, skipped dates too). */
int recur_equal(const struct recur_rule *a, const struct recur_rule *b);

/**
 * Parse the text of "/meeting schedule ..." (see the top of this file) into
 * *out, with no skipped dates; the anchor is the first date the rule names
 * on or after "from" or def->today. Returns 0, or -1 with *cause (caller
 * frees; safe to post: quotes the offending word with control characters
 * and broken UTF-8 replaced) saying which word is wrong and why, in
 * def->loc's language. At most RECUR_TEXT_MAX bytes are read; *out is
 * untouched on error.
 */
int recur_parse(const char *text, const struct recur_defaults *def,
		struct recur_rule *out, char **cause);
/**
 * Write the canonical English text of a valid rule, without its skipped
 * dates, into buf (RECUR_FORMAT_SIZE bytes always suffice; cut to size
 * otherwise). recur_parse() of it gives back an equal rule, skips aside,
 * whatever today is.
 */
void recur_format(const struct recur_rule *rule, char *buf, size_t size);

/**
 * The first occurrence of a valid rule that starts at or after after_utc
 * and whose local date is not skipped: its start instant in *start_utc and
 * its local date in *local_date (the date the rule names, even when a DST
 * gap pushes the start past midnight). To find the meeting in progress or
 * next, pass now - length * 60. Looks RECUR_SEARCH_DAYS ahead; -1 with
 * *cause if nothing is found (every date skipped, or beyond 9999).
 */
int recur_next(const struct recur_rule *rule, int64_t after_utc,
	       int64_t *start_utc, struct date *local_date, char **cause);

/** Skipped dates: add (idempotent; -1 when full or invalid) ... */
int recur_skip_add(struct recur_rule *rule, struct date d, char **cause);
/** ... remove (-1 with *cause if d is not skipped) ... */
int recur_skip_remove(struct recur_rule *rule, struct date d, char **cause);
/** ... whether d is skipped ... */
int recur_is_skipped(const struct recur_rule *rule, struct date d);
/** ... and drop those before d (past holidays); returns how many. */
int recur_skip_prune(struct recur_rule *rule, struct date d);

enum recur_offset_kind {
	/* minutes of local wall-clock time before the start: "30m", "2h" */
	RECUR_OFFSET_MINUTES = 1,
	/* a local time "days" calendar days before: "1d 17:00" */
	RECUR_OFFSET_DAYS = 2,
	/* the latest local weekday + time before the start: "fri 16:00" */
	RECUR_OFFSET_WEEKDAY = 3,
};

/*
 * When a job runs relative to a meeting's start: opening the reporting
 * window, reminding, posting the agenda. Unused fields are 0.
 */
struct recur_offset {
	enum recur_offset_kind kind;
	int minutes; /* MINUTES: 0..RECUR_OFFSET_MINUTES_MAX */
	int days;    /* DAYS: 0..RECUR_OFFSET_DAYS_MAX */
	int wday;    /* WEEKDAY: 0 = Sunday .. 6 */
	int minute;  /* DAYS, WEEKDAY: local minute of the day, 0..1439 */
};

/**
 * The instant of off before the meeting starting at start_utc, in zone:
 *  - MINUTES: the local wall-clock time that many minutes earlier (across a
 *    DST change "2h before 10:00" is still 08:00), or start - minutes * 60
 *    if that wall time is not before the start (a gap); 0 is the start;
 *  - DAYS: minute on the local date days before the start's local date;
 *    -1 if that is not strictly before the start (0d 11:00 for 10:00);
 *  - WEEKDAY: the latest wday at minute strictly before the start (Friday
 *    16:00 before a Monday 10:00 meeting is the Friday three days before;
 *    mon 10:00 before a Monday 10:00 meeting is a week before).
 * Returns 0, or -1 with *cause.
 */
int recur_offset(const char *zone, int64_t start_utc,
		 const struct recur_offset *off, int64_t *out, char **cause);
/**
 * Parse an offset: "fri 16:00", "周五 16:00", "星期五 16:00" (WEEKDAY);
 * "30m", "2h", "1h30m", "90 minutes", "30分钟", "2小时" (MINUTES); "1d 17:00",
 * "2 days 17:00", "1天 17:00", "前一天 17:00", "same day 09:00", "当天 09:00"
 * (DAYS). Returns 0, or -1 with *cause (safe to post, in loc's language).
 */
int recur_offset_parse(const char *text, enum locale loc,
		       struct recur_offset *out, char **cause);
/** Canonical English text of a valid offset ("fri 16:00", "90m", "1d 17:00").
 */
void recur_offset_format(const struct recur_offset *off, char *buf,
			 size_t size);

/**
 * Quiet hours: if t falls inside [quiet_start, quiet_end) local minutes of
 * the day in zone (the range may cross midnight, e.g. 1320..480 for
 * 22:00-08:00; equal bounds mean no quiet hours), *out is when the quiet
 * period ends (its local end time; moved forward if that is in a DST gap),
 * otherwise t. Returns 0, or -1 with *cause.
 */
int recur_quiet_adjust(const char *zone, int64_t t, int quiet_start,
		       int quiet_end, int64_t *out, char **cause);

#endif
