/* SPDX-License-Identifier: MIT */
/*
 * sched.h: the scheduler's one timer, armed for the earliest due job
 * (the jobs themselves: jobs.h).
 */
#ifndef LIHUI_SCHED_H
#define LIHUI_SCHED_H

struct bot;
struct sched;
struct uv_loop_s;

/** A scheduler for b's jobs on loop; not armed until sched_start(). */
struct sched *sched_new(struct uv_loop_s *loop, struct bot *b);
/**
 * Run what is due now (jobs missed while lihui was down: once within the
 * grace period, else skipped with a log line) and arm the timer.
 */
void sched_start(struct sched *s);
/** Jobs were planned or moved: arm the timer for the earliest again. */
void sched_kick(struct sched *s);
/** Stop the timer; closed_cb(arg) once the loop let go of it. */
void sched_close(struct sched *s, void (*closed_cb)(void *), void *arg);
/** Free s after sched_close() completed (NULL is ignored). */
void sched_free(struct sched *s);

#endif
