/* SPDX-License-Identifier: MIT */
/*
 * test-mm-cache.c: the Mattermost adapter's user and channel memory:
 * lookups, replacement, growth past the first table size, and the bound.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../../src/adapter/mm-cache.h"

static void
test_users(void **state)
{
	struct mm_cache *c = mm_cache_new();
	char id[32], name[32];
	size_t i;

	(void)state;
	assert_null(mm_cache_user(c, "u1"));
	mm_cache_set_user(c, "u1", "alice");
	mm_cache_set_user(c, "u2", "bob");
	mm_cache_set_user(c, "", "nobody");
	mm_cache_set_user(c, "u3", "");
	assert_string_equal(mm_cache_user(c, "u1"), "alice");
	assert_string_equal(mm_cache_user(c, "u2"), "bob");
	assert_null(mm_cache_user(c, "u3"));
	assert_null(mm_cache_user(c, ""));
	mm_cache_set_user(c, "u1", "alice2");
	assert_string_equal(mm_cache_user(c, "u1"), "alice2");
	/* Past the bound, new users are not remembered; old ones stay. */
	for (i = 0; i < MM_CACHE_MAX + 10; i++) {
		snprintf(id, sizeof id, "id%zu", i);
		snprintf(name, sizeof name, "n%zu", i);
		mm_cache_set_user(c, id, name);
	}
	assert_string_equal(mm_cache_user(c, "id100"), "n100");
	assert_string_equal(mm_cache_user(c, "u2"), "bob");
	assert_null(mm_cache_user(c, "id8190"));
	mm_cache_free(c);
}

static void
test_channels(void **state)
{
	struct mm_cache *c = mm_cache_new();
	struct mm_channel_seen *ch;
	char id[32];
	size_t i;

	(void)state;
	assert_int_equal(mm_cache_channels(c), 0);
	ch = mm_cache_channel(c, "c1");
	assert_non_null(ch);
	assert_string_equal(ch->id, "c1");
	assert_string_equal(ch->type, "");
	assert_int_equal(ch->last_at, 0);
	ch->last_at = 42;
	snprintf(ch->type, sizeof ch->type, "D");
	for (i = 0; i < 500; i++) {
		snprintf(id, sizeof id, "chan%zu", i);
		assert_non_null(mm_cache_channel(c, id));
	}
	assert_int_equal(mm_cache_channels(c), 501);
	ch = mm_cache_channel(c, "c1");
	assert_int_equal(ch->last_at, 42);
	assert_string_equal(ch->type, "D");
	assert_string_equal(mm_cache_channel_at(c, 0)->id, "c1");
	assert_string_equal(mm_cache_channel_at(c, 500)->id, "chan499");
	assert_null(mm_cache_channel_at(c, 501));
	for (i = 500; i < MM_CACHE_MAX + 10; i++) {
		snprintf(id, sizeof id, "chan%zu", i);
		(void)mm_cache_channel(c, id);
	}
	assert_int_equal(mm_cache_channels(c), MM_CACHE_MAX);
	assert_null(mm_cache_channel(c, "one-too-many"));
	assert_non_null(mm_cache_channel(c, "chan7"));
	mm_cache_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_users),
		cmocka_unit_test(test_channels),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
