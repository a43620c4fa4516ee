/* SPDX-License-Identifier: MIT */
/*
 * clock.c: the system clock behind struct clock; see clock.h.
 */

#include <time.h>

#include "lihui/clock.h"

static int64_t
clock_system_now(void *arg)
{
	struct timespec ts;

	(void)arg;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec;
}

struct clock
clock_system(void)
{
	struct clock c = { .now = clock_system_now, .arg = NULL };

	return c;
}

int64_t
clock_now(const struct clock *c)
{
	return c->now(c->arg);
}
