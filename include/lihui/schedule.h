/* SPDX-License-Identifier: MIT */
/*
 * schedule.h: a channel's meeting schedule as a recurrence rule (recur.h):
 * from its stored text and skipped dates, or, when it has none, weekly on
 * its meeting day and time. Everything that asks "when is the channel's
 * next meeting" (report cycles, the agenda, the jobs, the minutes' next
 * meeting) asks here.
 */
#ifndef LIHUI_SCHEDULE_H
#define LIHUI_SCHEDULE_H

#include <stddef.h>
#include <stdint.h>

#include "lihui/catalog.h"
#include "lihui/recur.h"
#include "lihui/store.h"

struct config;

/** Most reminder times a channel has before each meeting. */
#define SCHEDULE_REMINDS_MAX 4
/** Buffer size that always holds schedule_time_format()'s output. */
#define SCHEDULE_TIME_SIZE                                                     \
	(SCHEDULE_REMINDS_MAX * (RECUR_OFFSET_FORMAT_SIZE + 2))

/*
 * When a channel's scheduled posts go out, relative to each meeting: the
 * reporting window's opening post (unless off), the reminders to those
 * who have not reported (none: off) and the agenda. Each is the
 * channel's own when it set one (/meeting schedule window|remind|agenda),
 * else the configuration's.
 */
struct schedule_times {
	int window_off;
	struct recur_offset window;
	size_t n_reminds;
	struct recur_offset reminds[SCHEDULE_REMINDS_MAX];
	struct recur_offset agenda;
	unsigned own; /* bit (1u << enum store_schedule_time): the channel's */
};

/**
 * The rule of ch (with its skipped dates) as stored in s. -1 with *cause
 * if it cannot be read or is invalid.
 */
int schedule_rule(struct store *s, const struct channel *ch,
		  struct recur_rule *out, char **cause);

/**
 * The first meeting of ch that starts at or after after: its start and
 * length (minutes). To include the meeting in progress, pass now minus
 * the length.
 */
int schedule_next(struct store *s, const struct channel *ch, int64_t after,
		  int64_t *start, int *length, char **cause);

/** Write the skipped dates of rule as stored ("YYYY-MM-DD,..."), or NULL
 * when there are none. Allocated. */
char *schedule_skips_text(const struct recur_rule *rule);

/** The configuration's times (c's window_open, remind_at, agenda_before). */
void schedule_times_default(const struct config *c, struct schedule_times *out);
/**
 * The times of ch: its own where it set them, else c's. -1 with *cause if
 * they cannot be read (a stored text that no longer parses is logged and
 * the configuration's is used).
 */
int schedule_times(struct store *s, const struct config *c,
		   const struct channel *ch, struct schedule_times *out,
		   char **cause);
/**
 * Parse the text of one time into *t: WINDOW an offset or "off" ("关");
 * REMIND 1 to SCHEDULE_REMINDS_MAX offsets, comma-separated ("，" and
 * "、" too), or "off"; AGENDA an offset. -1 with *cause (in loc; safe to
 * post) and *t untouched on bad input.
 */
int schedule_time_parse(enum store_schedule_time which, const char *text,
			enum locale loc, struct schedule_times *t,
			char **cause);
/** The canonical text of one time of t ("fri 16:00", "off", "30m"). */
void schedule_time_format(const struct schedule_times *t,
			  enum store_schedule_time which, char *buf,
			  size_t size);

/**
 * The channel with platform key, created from c's [channel] defaults when
 * lihui has not seen it before; a new channel also gets c's schedule rule
 * and skipped dates (config "schedule", "skip"), counted from its local
 * date at now. *out is filled either way and must be released.
 */
int schedule_channel_ensure(struct store *s, const struct config *c,
			    const char *key, const char *name, int64_t now,
			    struct channel *out, char **cause);

#endif
