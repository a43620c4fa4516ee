/* SPDX-License-Identifier: MIT */
/*
 * test-retry.c: retry_delay(): doubling from 1 s, the cap, the jitter
 * (a quarter either way, never past the cap) and the platform's
 * Retry-After.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>

#include "lihui/retry.h"

/* rnd values that hit the low end, the middle and the high end. */
static const unsigned rnds[] = { 0,	  1,   2,   3,	  7,	 75,
				 76,	  150, 151, 1000, 65535, UINT_MAX - 1,
				 UINT_MAX };

/* Exact delays: rnd 0 picks the low end of the jitter range. */
static const struct {
	int attempts;
	unsigned rnd;
	int retry_after;
	int want;
} exact[] = {
	/* No jitter below 4 s (a quarter of it rounds to 0). */
	{ 1, 0, 0, 1 },
	{ 1, UINT_MAX, 0, 1 },
	{ 2, 0, 0, 2 },
	{ 2, 12345, 0, 2 },
	/* 4 s: 3 to 5. */
	{ 3, 0, 0, 3 },
	{ 3, 1, 0, 4 },
	{ 3, 2, 0, 5 },
	{ 3, 3, 0, 3 },
	/* 8 s: 6 to 10; 16 s: 12 to 20. */
	{ 4, 0, 0, 6 },
	{ 4, 4, 0, 10 },
	{ 5, 0, 0, 12 },
	{ 5, 8, 0, 20 },
	/* 256 s: 192 up to the cap, never 320. */
	{ 9, 0, 0, 192 },
	{ 9, 108, 0, 300 },
	{ 9, 109, 0, 192 },
	/* Capped: 225 to 300. */
	{ 10, 0, 0, 225 },
	{ 10, 75, 0, 300 },
	{ 10, 76, 0, 225 },
	{ 1000, 0, 0, 225 },
	{ INT_MAX, 75, 0, 300 },
	/* Nonsense attempt counts count as the first attempt. */
	{ 0, 0, 0, 1 },
	{ -5, 99, 0, 1 },
	/* Retry-After wins when longer, up to an hour. */
	{ 1, 0, 30, 30 },
	{ 10, 0, 600, 600 },
	{ 10, 0, 3600, 3600 },
	{ 10, 0, 5000, 3600 },
	{ 10, 0, INT_MAX, 3600 },
	/* ... and is ignored when shorter, zero or negative. */
	{ 5, 0, 3, 12 },
	{ 5, 0, 0, 12 },
	{ 5, 0, -10, 12 },
};

static void
test_exact(void **state)
{
	size_t i;
	int got;

	(void)state;
	for (i = 0; i < sizeof exact / sizeof exact[0]; i++) {
		got = retry_delay(exact[i].attempts, exact[i].rnd,
				  exact[i].retry_after);
		if (got != exact[i].want)
			fail_msg("attempts %d rnd %u retry_after %d: %d, "
				 "want %d",
				 exact[i].attempts, exact[i].rnd,
				 exact[i].retry_after, got, exact[i].want);
	}
}

/* Every delay is within a quarter of its base and never past the cap. */
static void
test_bounds(void **state)
{
	int attempts, base, got;
	size_t r;

	(void)state;
	for (attempts = 1; attempts <= 64; attempts++) {
		base = attempts > 9 ? RETRY_MAX_DELAY : 1 << (attempts - 1);
		if (base > RETRY_MAX_DELAY)
			base = RETRY_MAX_DELAY;
		for (r = 0; r < sizeof rnds / sizeof rnds[0]; r++) {
			got = retry_delay(attempts, rnds[r], 0);
			assert_true(got >= 1);
			assert_true(got <= RETRY_MAX_DELAY);
			assert_true(got >= base - base / 4);
			assert_true(got <= base + base / 4);
		}
	}
}

/* The delays only grow (at the low end of the jitter) until the cap. */
static void
test_doubles(void **state)
{
	int attempts, prev = 0, got;

	(void)state;
	for (attempts = 1; attempts <= 12; attempts++) {
		got = retry_delay(attempts, 0, 0);
		assert_true(got >= prev);
		prev = got;
	}
	assert_int_equal(prev, RETRY_MAX_DELAY - RETRY_MAX_DELAY / 4);
}

/*
 * Messages that failed together spread out: at the cap, rnd 0..75 gives
 * every second from 225 to 300, each once.
 */
static void
test_spread(void **state)
{
	int seen[RETRY_MAX_DELAY + 1] = { 0 };
	unsigned r;
	int got, s, distinct = 0;

	(void)state;
	for (r = 0; r < 76; r++) {
		got = retry_delay(50, r, 0);
		assert_in_range(got, 225, RETRY_MAX_DELAY);
		seen[got]++;
	}
	for (s = 0; s <= RETRY_MAX_DELAY; s++) {
		if (seen[s] > 0) {
			assert_int_equal(seen[s], 1);
			distinct++;
		}
	}
	assert_int_equal(distinct, 76);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_doubles),
		cmocka_unit_test(test_spread),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
