/* SPDX-License-Identifier: MIT */
/*
 * clock.h: the one source of "now" (wall-clock seconds since the epoch, UTC).
 *
 * Every module that needs the time asks clock_now() on the clock it was
 * given; tests give a fake clock that returns a fixed instant. Intervals
 * (backoff, timeouts) use the loop's monotonic time instead.
 */
#ifndef LIHUI_CLOCK_H
#define LIHUI_CLOCK_H

#include <stdint.h>

struct clock {
	/* Returns the current time; arg is the clock's own state. */
	int64_t (*now)(void *arg);
	void *arg;
};

/** The system clock (CLOCK_REALTIME). */
struct clock clock_system(void);
/** Current time in seconds since the epoch from clock c. */
int64_t clock_now(const struct clock *c);

#endif
