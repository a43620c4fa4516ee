/* SPDX-License-Identifier: MIT */
/*
 * retry.c: exponential backoff with jitter for outbox deliveries; see
 * retry.h. Jitter spreads the retries of many messages that failed at the
 * same moment (a platform outage) so they do not return all at once.
 */

#include "lihui/retry.h"

int
retry_delay(int attempts, unsigned rnd, int retry_after)
{
	int delay = 1, i, lo, hi;

	for (i = 1; i < attempts && delay < RETRY_MAX_DELAY; i++)
		delay *= 2;
	if (delay > RETRY_MAX_DELAY)
		delay = RETRY_MAX_DELAY;
	/*
	 * A quarter either way, but never past the cap: at the cap the
	 * spread is only downwards, so capped retries still do not coincide.
	 */
	lo = delay - delay / 4;
	hi = delay + delay / 4;
	if (hi > RETRY_MAX_DELAY)
		hi = RETRY_MAX_DELAY;
	delay = lo + (int)(rnd % (unsigned)(hi - lo + 1));
	if (delay < 1)
		delay = 1;
	if (retry_after > delay)
		delay = retry_after > 3600 ? 3600 : retry_after;
	return delay;
}
