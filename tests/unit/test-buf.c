/* SPDX-License-Identifier: MIT */
/*
 * test-buf.c: the capped buffer: appends within the cap, refusals past
 * it leave the buffer unchanged, and a cap of SIZE_MAX ("no cap") works.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lihui/buf.h"

static void
test_cap(void **state)
{
	struct buf b;
	char *s;

	(void)state;
	buf_init(&b, 8);
	assert_string_equal(buf_str(&b), "");
	assert_int_equal(buf_puts(&b, "abcd"), 0);
	assert_int_equal(buf_printf(&b, "%s", "efgh"), 0);
	assert_string_equal(buf_str(&b), "abcdefgh");
	/* Past the cap: refused, unchanged. */
	assert_int_equal(buf_puts(&b, "i"), -1);
	assert_int_equal(buf_printf(&b, "%d", 1), -1);
	assert_string_equal(buf_str(&b), "abcdefgh");
	assert_int_equal(b.len, 8);
	buf_reset(&b);
	assert_int_equal(buf_printf(&b, "%s", "123456789"), -1);
	assert_string_equal(buf_str(&b), "");
	assert_int_equal(buf_add(&b, "xy", 2), 0);
	s = buf_detach(&b);
	assert_string_equal(s, "xy");
	free(s);
	assert_int_equal(b.len, 0);
	buf_release(&b);
}

static void
test_no_cap(void **state)
{
	struct buf b;
	char big[5000];
	int i;

	(void)state;
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	buf_init(&b, SIZE_MAX);
	for (i = 0; i < 20; i++)
		assert_int_equal(buf_puts(&b, big), 0);
	assert_int_equal(b.len, 20 * (sizeof big - 1));
	assert_int_equal(buf_add(&b, "", SIZE_MAX), -1);
	buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_no_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
