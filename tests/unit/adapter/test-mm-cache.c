/* SPDX-License-Identifier: MIT */
/*
 * test-mm-cache.c: the Mattermost adapter's user and channel memory:
 * lookups, replacement, growth past the first table size, and the bound;
 * user ids by name and channels by team and name, which forget a name
 * that no longer holds.
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

static void
test_user_ids(void **state)
{
	struct mm_cache *c = mm_cache_new();

	(void)state;
	assert_null(mm_cache_user_id(c, "alice"));
	mm_cache_set_user(c, "u1", "alice");
	mm_cache_set_user(c, "u2", "bob");
	assert_string_equal(mm_cache_user_id(c, "alice"), "u1");
	assert_string_equal(mm_cache_user_id(c, "bob"), "u2");
	/* alice renamed: her old name no longer leads to her. */
	mm_cache_set_user(c, "u1", "alicia");
	assert_null(mm_cache_user_id(c, "alice"));
	assert_string_equal(mm_cache_user_id(c, "alicia"), "u1");
	/* Someone else takes the name. */
	mm_cache_set_user(c, "u3", "alice");
	assert_string_equal(mm_cache_user_id(c, "alice"), "u3");
	assert_null(mm_cache_user_id(c, ""));
	mm_cache_free(c);
}

static void
test_channel_details(void **state)
{
	struct mm_cache *c = mm_cache_new();
	struct mm_channel_seen *ch;

	(void)state;
	assert_null(mm_cache_channel_find(c, "c1"));
	assert_int_equal(mm_cache_channels(c), 0);
	ch = mm_cache_channel(c, "c1");
	ch->last_at = 99;
	assert_null(ch->name);
	ch = mm_cache_set_channel(c, "c1", "O", "ops", "t1", "Ops Team");
	assert_non_null(ch);
	assert_string_equal(ch->type, "O");
	assert_string_equal(ch->name, "ops");
	assert_string_equal(ch->team_id, "t1");
	assert_string_equal(ch->display_name, "Ops Team");
	assert_int_equal(ch->last_at, 99);
	assert_ptr_equal(mm_cache_channel_find(c, "c1"), ch);
	/* A type too long is not taken; the rest is. */
	ch = mm_cache_set_channel(c, "c1", "OPEN", "ops2", "t1", "");
	assert_string_equal(ch->type, "O");
	assert_string_equal(ch->name, "ops2");
	assert_string_equal(ch->display_name, "");
	/* A new channel through a lookup. */
	ch = mm_cache_set_channel(c, "c2", "D", "u1__u2", "", "");
	assert_non_null(ch);
	assert_int_equal(ch->last_at, 0);
	assert_int_equal(mm_cache_channels(c), 2);

	/* By team and name, while the channel keeps that name. */
	mm_cache_set_channel_name(c, "team", "ops2", "c1");
	assert_string_equal(mm_cache_channel_by_name(c, "team", "ops2"), "c1");
	assert_null(mm_cache_channel_by_name(c, "team", "ops"));
	assert_null(mm_cache_channel_by_name(c, "other", "ops2"));
	/* "a/b" + "c" and "a" + "b/c" are different pairs. */
	mm_cache_set_channel(c, "c3", "O", "c", "t2", "");
	mm_cache_set_channel(c, "c4", "O", "b/c", "t3", "");
	mm_cache_set_channel_name(c, "a/b", "c", "c3");
	mm_cache_set_channel_name(c, "a", "b/c", "c4");
	assert_string_equal(mm_cache_channel_by_name(c, "a/b", "c"), "c3");
	assert_string_equal(mm_cache_channel_by_name(c, "a", "b/c"), "c4");
	mm_cache_set_channel(c, "c1", "O", "renamed", "t1", "");
	assert_null(mm_cache_channel_by_name(c, "team", "ops2"));
	/* Nothing for an unknown channel id or empty names. */
	mm_cache_set_channel_name(c, "team", "ghost", "c9");
	assert_null(mm_cache_channel_by_name(c, "team", "ghost"));
	mm_cache_set_channel_name(c, "", "x", "c1");
	assert_null(mm_cache_channel_by_name(c, "", "x"));
	mm_cache_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_users),
		cmocka_unit_test(test_channels),
		cmocka_unit_test(test_user_ids),
		cmocka_unit_test(test_channel_details),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
