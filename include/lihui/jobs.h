/* SPDX-License-Identifier: MIT */
/*
 * jobs.h: what lihui does by itself, and when (issue 5). The jobs live in
 * the store (store.h "Scheduled jobs"), one per channel and kind; this
 * module knows each kind's next time and what a run does. src/sched.c
 * arms the one timer that calls jobs_run_due().
 *
 *	window	 the reporting window opens (a short post in the channel),
 *		 window_open before each meeting (e.g. Friday 16:00)
 *	remind	 a direct message to each member on the roster who has not
 *		 reported and is not on leave, at each remind_at (out of
 *		 quiet hours)
 *	agenda	 the agenda of the channel's next meeting, posted in the
 *		 channel agenda_before minutes before it starts
 *	actions	 once a day at action_remind_time in the channel's zone
 *		 (out of quiet hours): a direct message to the owner of
 *		 each open action item due tomorrow, due today, or overdue,
 *		 and one to the chair when it is overdue_escalate days late
 */
#ifndef LIHUI_JOBS_H
#define LIHUI_JOBS_H

#include <stddef.h>
#include <stdint.h>

struct bot;
struct channel;

/**
 * Plan the jobs channel ch does not have yet, from now on. Part of the
 * caller's unit of work; *planned = how many were added.
 */
int jobs_ensure(struct bot *b, const struct channel *ch, int64_t now,
		int *planned, char **cause);

/**
 * Move every job of ch to its next time after now (its settings
 * changed). Part of the caller's unit of work.
 */
int jobs_replan(struct bot *b, const struct channel *ch, int64_t now,
		char **cause);

/**
 * Run up to limit jobs due at now, earliest first, each in a unit of work
 * of its own that queues its posts and records the run (so it can never
 * run twice). A job more than the configured catch_up_grace late (lihui
 * was down) is not run but moved to its next time, with a log line.
 * *ran counts the jobs handled; a job whose run fails is logged and put
 * off a few minutes. -1 only when the store cannot list the jobs.
 */
int jobs_run_due(struct bot *b, int64_t now, size_t limit, size_t *ran,
		 char **cause);

/** The earliest due time of any job; *found = 0 when there is none. */
int jobs_next_due(struct bot *b, int64_t *due, int *found, char **cause);

/**
 * The first instant after after that is minute_of_day local time in
 * zone and outside the quiet hours [quiet_start, quiet_end) (minutes of
 * the day; a range may cross midnight; equal bounds: none). A time in
 * the quiet hours moves to their end.
 */
int jobs_next_daily(const char *zone, int64_t after, int minute_of_day,
		    int quiet_start, int quiet_end, int64_t *out, char **cause);

#endif
