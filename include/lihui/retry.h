/* SPDX-License-Identifier: MIT */
/*
 * retry.h: how long to wait before trying a failed delivery again (pure).
 */
#ifndef LIHUI_RETRY_H
#define LIHUI_RETRY_H

/* The longest wait between two attempts, in seconds. */
#define RETRY_MAX_DELAY 300

/**
 * Seconds to wait after attempts failed attempts (1, 2, ...): doubling from
 * 1 s, capped at RETRY_MAX_DELAY, with jitter of up to a quarter taken
 * from rnd (any value), and never less than retry_after (the platform's
 * Retry-After, 0 if none) unless that exceeds an hour: a longer
 * Retry-After is taken as an hour, so a bogus header cannot park a
 * message for days.
 */
int retry_delay(int attempts, unsigned rnd, int retry_after);

#endif
