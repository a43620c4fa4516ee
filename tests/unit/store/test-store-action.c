/* SPDX-License-Identifier: MIT */
/*
 * test-store-action.c: action items in the store: adding (in a meeting or
 * not), reading, listing by state bits and owner, closing and reopening,
 * deadlines, owners, and ids that are never reused, against a real
 * ":memory:" database.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "lihui/meeting.h"
#include "lihui/store.h"
#include "lihui/xmalloc.h"

#define T0 1767600000

#define BIT(state) (1u << (state))
#define ALL	   (BIT(ACTION_OPEN) | BIT(ACTION_DONE) | BIT(ACTION_DROPPED))

static const struct channel test_defaults = {
	.locale = (char *)"en",
	.timezone = (char *)"Asia/Shanghai",
	.sections = SECTION_ALL,
	.meeting_wday = 1,
	.meeting_minute = 600,
	.meeting_length = 30,
};

static int
setup(void **state)
{
	char *cause = NULL;

	*state = store_open(":memory:", &cause);
	if (*state == NULL) {
		free(cause);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	store_close(*state);
	return 0;
}

/* Assert a failed call whose cause contains want; free the cause. */
static void
assert_failed(int rc, char **cause, const char *want)
{
	assert_int_equal(rc, -1);
	assert_non_null(*cause);
	if (strstr(*cause, want) == NULL)
		fail_msg("cause '%s' lacks '%s'", *cause, want);
	free(*cause);
	*cause = NULL;
}

static int64_t
channel(struct store *s, const char *key)
{
	struct channel c;
	char *cause = NULL;
	int64_t id;

	assert_int_equal(
	    store_channel_ensure(s, key, key, &test_defaults, &c, &cause), 0);
	id = c.id;
	channel_release(&c);
	return id;
}

static int64_t
start(struct store *s, int64_t channel_id)
{
	struct meeting m;
	char *cause = NULL;
	int64_t id;

	assert_int_equal(store_meeting_start(s, channel_id, "Weekly", "alice",
					     T0, &m, &cause),
			 0);
	id = m.id;
	meeting_release(&m);
	return id;
}

static int64_t
add(struct store *s, int64_t channel_id, int64_t meeting_id, const char *owner,
    const char *text)
{
	char *cause = NULL;
	int64_t id = 0;

	assert_int_equal(store_action_add(s, channel_id, meeting_id, owner,
					  NULL, text, NULL, "alice", T0, &id,
					  &cause),
			 0);
	assert_true(id > 0);
	return id;
}

/* The texts of store_action_list(), joined by spaces. */
static char *
list_string(struct store *s, int64_t channel_id, unsigned states,
	    const char *owner)
{
	struct action_item *a;
	char *cause = NULL, *out = xstrdup(""), *next;
	size_t n, i;

	assert_int_equal(
	    store_action_list(s, channel_id, states, owner, &a, &n, &cause), 0);
	for (i = 0; i < n; i++) {
		assert_int_equal(a[i].channel_id, channel_id);
		assert_true((states & BIT(a[i].state)) != 0);
		if (i > 0)
			assert_true(a[i - 1].id < a[i].id);
		next = xasprintf("%s%s%s", out, i > 0 ? " " : "", a[i].text);
		free(out);
		out = next;
	}
	action_item_list_free(a, n);
	return out;
}

static void
assert_list(struct store *s, int64_t channel_id, unsigned states,
	    const char *owner, const char *want)
{
	char *got = list_string(s, channel_id, states, owner);

	assert_string_equal(got, want);
	free(got);
}

static void
test_add_get(void **state)
{
	struct store *s = *state;
	struct action_item a;
	char *cause = NULL;
	int64_t c1 = channel(s, "C1"), c2 = channel(s, "C2");
	int64_t m = start(s, c1), id, id2;
	int found = -1;

	assert_int_equal(store_action_add(s, c1, m, "bob", "u-bob", "修复 DNS",
					  "2026-12-01", "alice", T0 + 5, &id,
					  &cause),
			 0);
	assert_null(cause);
	assert_int_equal(store_action_get(s, c1, id, &a, &found, &cause), 0);
	assert_int_equal(found, 1);
	assert_int_equal(a.id, id);
	assert_int_equal(a.channel_id, c1);
	assert_int_equal(a.meeting_id, m);
	assert_string_equal(a.owner, "bob");
	assert_string_equal(a.owner_id, "u-bob");
	assert_string_equal(a.text, "修复 DNS");
	assert_string_equal(a.due, "2026-12-01");
	assert_int_equal(a.state, ACTION_OPEN);
	assert_string_equal(a.created_by, "alice");
	assert_int_equal(a.created_at, T0 + 5);
	assert_int_equal(a.closed_at, 0);
	assert_null(a.note);
	action_item_release(&a);

	/* Outside a meeting, unassigned, no deadline; owner_id needs owner. */
	assert_int_equal(store_action_add(s, c1, 0, NULL, "u-x", "later", NULL,
					  "bob", T0, &id2, &cause),
			 0);
	assert_true(id2 > id);
	assert_int_equal(store_action_get(s, c1, id2, &a, &found, &cause), 0);
	assert_int_equal(found, 1);
	assert_int_equal(a.meeting_id, 0);
	assert_null(a.owner);
	assert_null(a.owner_id);
	assert_null(a.due);
	action_item_release(&a);
	action_item_release(NULL);

	/* Another channel's item, or none: not found, no error. */
	found = -1;
	assert_int_equal(store_action_get(s, c2, id, &a, &found, &cause), 0);
	assert_int_equal(found, 0);
	found = -1;
	assert_int_equal(store_action_get(s, c1, 4242, &a, &found, &cause), 0);
	assert_int_equal(found, 0);

	/* No id wanted. */
	assert_int_equal(store_action_add(s, c2, 0, NULL, NULL, "x", NULL,
					  "bob", T0, NULL, &cause),
			 0);
}

static void
test_add_errors(void **state)
{
	static const char *const bad_due[] = {
		"2026-13-01",  "2026-02-30", "2026-1-01", "tomorrow",
		"2026-12-01 ", "",	     "12-01",
	};
	struct store *s = *state;
	char *cause = NULL;
	int64_t c1 = channel(s, "C1"), c2 = channel(s, "C2");
	int64_t m2 = start(s, c2), id = -7;
	size_t i;

	for (i = 0; i < sizeof bad_due / sizeof bad_due[0]; i++)
		assert_failed(
		    store_action_add(s, c1, 0, "bob", NULL, "x", bad_due[i],
				     "alice", T0, &id, &cause),
		    &cause, "cannot add action item: invalid due date");
	assert_failed(store_action_add(s, c1, m2, "bob", NULL, "x", NULL,
				       "alice", T0, &id, &cause),
		      &cause, "cannot add action item: no meeting");
	assert_failed(store_action_add(s, c1, 4242, "bob", NULL, "x", NULL,
				       "alice", T0, &id, &cause),
		      &cause, "no meeting 4242 in channel");
	assert_failed(store_action_add(s, c1, -1, "bob", NULL, "x", NULL,
				       "alice", T0, &id, &cause),
		      &cause, "cannot add action item: invalid meeting -1");
	assert_failed(store_action_add(s, 4242, 0, "bob", NULL, "x", NULL,
				       "alice", T0, &id, &cause),
		      &cause, "cannot add action item: FOREIGN KEY");
	assert_failed(store_action_add(s, c1, 0, "bob", NULL, NULL, NULL,
				       "alice", T0, &id, &cause),
		      &cause, "cannot add action item: NOT NULL");
	assert_failed(store_action_add(s, c1, 0, "bob", NULL, "x", NULL, NULL,
				       T0, &id, &cause),
		      &cause, "cannot add action item: NOT NULL");
	assert_int_equal(id, -7);
	assert_list(s, c1, ALL, NULL, "");
	assert_list(s, c2, ALL, NULL, "");
}

static void
test_list(void **state)
{
	struct store *s = *state;
	struct action_item *a;
	char *cause = NULL;
	int64_t c1 = channel(s, "C1"), c2 = channel(s, "C2");
	int64_t b, d;
	size_t n;

	add(s, c1, 0, "alice", "a1");
	b = add(s, c1, 0, "bob", "b1");
	add(s, c1, 0, NULL, "u1");
	d = add(s, c1, 0, "alice", "a2");
	add(s, c1, 0, "bob", "b2");
	add(s, c2, 0, "alice", "other");
	assert_int_equal(
	    store_action_set_state(s, b, ACTION_DONE, NULL, T0, &cause), 0);
	assert_int_equal(
	    store_action_set_state(s, d, ACTION_DROPPED, "moot", T0, &cause),
	    0);

	assert_list(s, c1, ALL, NULL, "a1 b1 u1 a2 b2");
	assert_list(s, c1, BIT(ACTION_OPEN), NULL, "a1 u1 b2");
	assert_list(s, c1, BIT(ACTION_DONE), NULL, "b1");
	assert_list(s, c1, BIT(ACTION_DROPPED), NULL, "a2");
	assert_list(s, c1, BIT(ACTION_DONE) | BIT(ACTION_DROPPED), NULL,
		    "b1 a2");
	assert_list(s, c1, BIT(ACTION_OPEN) | BIT(ACTION_DROPPED), NULL,
		    "a1 u1 a2 b2");
	assert_list(s, c1, 0, NULL, "");
	assert_list(s, c1, ALL, "alice", "a1 a2");
	assert_list(s, c1, BIT(ACTION_OPEN), "alice", "a1");
	assert_list(s, c1, BIT(ACTION_OPEN), "bob", "b2");
	assert_list(s, c1, ALL, "carol", "");
	assert_list(s, c2, ALL, NULL, "other");
	assert_list(s, 4242, ALL, NULL, "");

	a = (struct action_item *)&n;
	assert_failed(store_action_list(s, c1, BIT(3), NULL, &a, &n, &cause),
		      &cause, "cannot list action items: invalid states 0x8");
	assert_null(a);
	assert_int_equal(n, 0);
	assert_failed(
	    store_action_list(s, c1, ALL | 0x80000000u, NULL, &a, &n, &cause),
	    &cause, "invalid states");
}

static void
test_list_meeting(void **state)
{
	struct store *s = *state;
	struct action_item *a;
	char *cause = NULL;
	int64_t c1 = channel(s, "C1");
	int64_t m1 = start(s, c1), m2, x, y, z;
	size_t n;

	x = add(s, c1, m1, "bob", "x");
	add(s, c1, 0, "bob", "outside");
	y = add(s, c1, m1, NULL, "y");
	assert_int_equal(store_meeting_end(s, m1, T0 + 60, 0, &cause), 0);
	m2 = start(s, c1);
	z = add(s, c1, m2, "bob", "z");

	assert_int_equal(store_action_list_meeting(s, m1, &a, &n, &cause), 0);
	assert_int_equal(n, 2);
	assert_int_equal(a[0].id, x);
	assert_int_equal(a[0].meeting_id, m1);
	assert_string_equal(a[0].owner, "bob");
	assert_int_equal(a[1].id, y);
	assert_null(a[1].owner);
	action_item_list_free(a, n);
	assert_int_equal(store_action_list_meeting(s, m2, &a, &n, &cause), 0);
	assert_int_equal(n, 1);
	assert_int_equal(a[0].id, z);
	action_item_list_free(a, n);
	assert_int_equal(store_action_list_meeting(s, 4242, &a, &n, &cause), 0);
	assert_int_equal(n, 0);
	assert_null(a);
}

static void
test_set_state(void **state)
{
	struct store *s = *state;
	struct action_item a;
	char *cause = NULL;
	int64_t c1 = channel(s, "C1");
	int64_t id = add(s, c1, 0, "bob", "x");
	int found;

	assert_int_equal(store_action_set_state(s, id, ACTION_DONE, "shipped",
						T0 + 9, &cause),
			 0);
	assert_int_equal(store_action_get(s, c1, id, &a, &found, &cause), 0);
	assert_int_equal(a.state, ACTION_DONE);
	assert_int_equal(a.closed_at, T0 + 9);
	assert_string_equal(a.note, "shipped");
	action_item_release(&a);

	/* Reopened: when and why it was closed go. */
	assert_int_equal(store_action_set_state(s, id, ACTION_OPEN, "ignored",
						T0 + 10, &cause),
			 0);
	assert_int_equal(store_action_get(s, c1, id, &a, &found, &cause), 0);
	assert_int_equal(a.state, ACTION_OPEN);
	assert_int_equal(a.closed_at, 0);
	assert_null(a.note);
	action_item_release(&a);

	assert_int_equal(store_action_set_state(s, id, ACTION_DROPPED, NULL,
						T0 + 11, &cause),
			 0);
	assert_int_equal(store_action_get(s, c1, id, &a, &found, &cause), 0);
	assert_int_equal(a.state, ACTION_DROPPED);
	assert_int_equal(a.closed_at, T0 + 11);
	assert_null(a.note);
	action_item_release(&a);

	assert_failed(store_action_set_state(s, id, -1, NULL, T0, &cause),
		      &cause, "cannot update action item: invalid state -1");
	assert_failed(store_action_set_state(s, id, 3, NULL, T0, &cause),
		      &cause, "cannot update action item: invalid state 3");
	assert_failed(
	    store_action_set_state(s, 4242, ACTION_DONE, NULL, T0, &cause),
	    &cause, "cannot update action item 4242: no such item");
	assert_int_equal(store_action_get(s, c1, id, &a, &found, &cause), 0);
	assert_int_equal(a.state, ACTION_DROPPED);
	action_item_release(&a);
}

static void
test_set_due_owner(void **state)
{
	struct store *s = *state;
	struct action_item a;
	char *cause = NULL;
	int64_t c1 = channel(s, "C1");
	int64_t id = add(s, c1, 0, NULL, "x");
	int found;

	assert_int_equal(store_action_set_due(s, id, "2028-02-29", &cause), 0);
	assert_int_equal(store_action_set_owner(s, id, "bob", "u-bob", &cause),
			 0);
	assert_int_equal(store_action_get(s, c1, id, &a, &found, &cause), 0);
	assert_string_equal(a.due, "2028-02-29");
	assert_string_equal(a.owner, "bob");
	assert_string_equal(a.owner_id, "u-bob");
	action_item_release(&a);

	assert_failed(store_action_set_due(s, id, "2027-02-29", &cause), &cause,
		      "cannot update action item: invalid due date");
	assert_failed(store_action_set_due(s, id, "next week", &cause), &cause,
		      "invalid due date 'next week'");
	assert_failed(store_action_set_due(s, 4242, "2027-01-01", &cause),
		      &cause, "cannot update action item 4242: no such item");
	assert_failed(store_action_set_owner(s, 4242, "bob", NULL, &cause),
		      &cause, "cannot update action item 4242: no such item");
	assert_int_equal(store_action_get(s, c1, id, &a, &found, &cause), 0);
	assert_string_equal(a.due, "2028-02-29");
	action_item_release(&a);

	/* Cleared and unassigned; without an owner there is no owner id. */
	assert_int_equal(store_action_set_due(s, id, NULL, &cause), 0);
	assert_int_equal(store_action_set_owner(s, id, NULL, "u-bob", &cause),
			 0);
	assert_int_equal(store_action_get(s, c1, id, &a, &found, &cause), 0);
	assert_null(a.due);
	assert_null(a.owner);
	assert_null(a.owner_id);
	action_item_release(&a);
}

/* An undone action's number is not given to the next one. */
static void
test_ids_not_reused(void **state)
{
	struct store *s = *state;
	char *cause = NULL;
	int64_t c1 = channel(s, "C1");
	int64_t m = start(s, c1), a, b, c, it;

	a = add(s, c1, m, "bob", "a");
	b = add(s, c1, m, "bob", "b");
	assert_int_equal(store_meeting_item_add(s, m, MEETING_ACTION, "alice",
						"b", T0, NULL, b, &it, &cause),
			 0);
	assert_int_equal(store_meeting_item_remove(s, it, &cause), 0);
	assert_list(s, c1, ALL, NULL, "a");
	c = add(s, c1, m, "bob", "c");
	assert_true(c > b && b > a);
	assert_list(s, c1, ALL, NULL, "a c");
}

/* Without the tables (version 0) every call fails, saying why. */
static void
test_no_tables(void **state)
{
	struct action_item *list, a;
	char *cause = NULL;
	struct store *s;
	size_t n;
	int found;

	(void)state;
	s = store_open_at(":memory:", 0, &cause);
	assert_non_null(s);
	assert_failed(store_action_add(s, 1, 0, NULL, NULL, "x", NULL, "a", T0,
				       NULL, &cause),
		      &cause, "no such table");
	assert_failed(store_action_get(s, 1, 1, &a, &found, &cause), &cause,
		      "no such table");
	assert_failed(store_action_list_meeting(s, 1, &list, &n, &cause),
		      &cause, "no such table");
	assert_failed(store_action_list(s, 1, ALL, NULL, &list, &n, &cause),
		      &cause, "no such table");
	assert_failed(
	    store_action_set_state(s, 1, ACTION_DONE, NULL, T0, &cause), &cause,
	    "no such table");
	assert_failed(store_action_set_due(s, 1, NULL, &cause), &cause,
		      "no such table");
	assert_failed(store_action_set_owner(s, 1, NULL, NULL, &cause), &cause,
		      "no such table");
	store_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_add_get, setup, teardown),
		cmocka_unit_test_setup_teardown(test_add_errors, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_meeting, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_set_state, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_set_due_owner, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_ids_not_reused, setup,
						teardown),
		cmocka_unit_test(test_no_tables),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
