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

#include "lihui/recur.h"

struct channel;
struct store;

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

#endif
