/* SPDX-License-Identifier: MIT */
/*
 * test-store-outbox.c: the persisted outbox: queueing, which messages are
 * due and in what order, retries, sent and failed, the backlog, and
 * store_outbox_since(), against a real ":memory:" database.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "lihui/store.h"
#include "lihui/xmalloc.h"

#define T0 1767600000

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

static void
assert_failed(int rc, char **cause, const char *prefix)
{
	assert_int_equal(rc, -1);
	assert_non_null(*cause);
	assert_memory_equal(*cause, prefix, strlen(prefix));
	free(*cause);
	*cause = NULL;
}

static int64_t
queue(struct store *s, int kind, const char *channel, const char *user,
      const char *text, int64_t now)
{
	char *cause = NULL;
	int64_t id = 0;

	assert_int_equal(
	    store_outbox_add(s, kind, channel, user, text, now, &id, &cause),
	    0);
	assert_true(id > 0);
	return id;
}

/* The texts of the messages due at now (up to limit), joined by spaces. */
static char *
due_string(struct store *s, int64_t now, size_t limit)
{
	struct outbox_msg *m;
	char *cause = NULL, *out = xstrdup(""), *next;
	size_t n, i;

	assert_int_equal(store_outbox_due(s, now, limit, &m, &n, &cause), 0);
	assert_true(n <= limit);
	for (i = 0; i < n; i++) {
		assert_int_equal(m[i].state, OUTBOX_PENDING);
		assert_true(m[i].next_attempt_at <= now);
		next = xasprintf("%s%s%s", out, i > 0 ? " " : "", m[i].text);
		free(out);
		out = next;
	}
	outbox_msg_list_free(m, n);
	return out;
}

static void
assert_due(struct store *s, int64_t now, size_t limit, const char *want)
{
	char *got = due_string(s, now, limit);

	assert_string_equal(got, want);
	free(got);
}

static void
assert_backlog(struct store *s, int64_t want_pending, int64_t want_earliest)
{
	int64_t pending = -1, earliest = -1;
	char *cause = NULL;

	assert_int_equal(store_outbox_backlog(s, &pending, &earliest, &cause),
			 0);
	assert_int_equal(pending, want_pending);
	assert_int_equal(earliest, want_earliest);
}

static void
test_add(void **state)
{
	struct store *s = *state;
	struct outbox_msg *m;
	char *cause = NULL;
	int64_t a, b, c;
	size_t n;

	a = queue(s, OUTBOX_CHANNEL, "C1", NULL, "hello", T0);
	b = queue(s, OUTBOX_EPHEMERAL, "C1", "alice", "只给你看", T0 + 1);
	c = queue(s, OUTBOX_DIRECT, "C2", "bob", "dm", T0 + 2);
	assert_true(a < b && b < c);
	assert_int_equal(store_outbox_add(s, OUTBOX_CHANNEL, "C1", NULL,
					  "no id wanted", T0, NULL, &cause),
			 0);

	assert_int_equal(store_outbox_since(s, 0, &m, &n, &cause), 0);
	assert_int_equal(n, 4);
	assert_int_equal(m[0].id, a);
	assert_int_equal(m[0].kind, OUTBOX_CHANNEL);
	assert_string_equal(m[0].channel_key, "C1");
	assert_null(m[0].user);
	assert_string_equal(m[0].text, "hello");
	assert_int_equal(m[0].attempts, 0);
	assert_int_equal(m[0].next_attempt_at, T0);
	assert_int_equal(m[0].state, OUTBOX_PENDING);
	assert_int_equal(m[1].kind, OUTBOX_EPHEMERAL);
	assert_string_equal(m[1].user, "alice");
	assert_string_equal(m[1].text, "只给你看");
	assert_int_equal(m[2].kind, OUTBOX_DIRECT);
	assert_string_equal(m[2].channel_key, "C2");
	assert_string_equal(m[2].user, "bob");
	outbox_msg_list_free(m, n);
}

static void
test_add_errors(void **state)
{
	struct store *s = *state;
	char *cause = NULL;
	int64_t id;

	assert_failed(store_outbox_add(s, 7, "C1", NULL, "x", T0, &id, &cause),
		      &cause, "cannot queue post: invalid kind 7");
	assert_failed(store_outbox_add(s, -1, "C1", NULL, "x", T0, &id, &cause),
		      &cause, "cannot queue post: invalid kind -1");
	assert_failed(store_outbox_add(s, OUTBOX_DIRECT, "C1", NULL, "x", T0,
				       &id, &cause),
		      &cause, "cannot queue post: no user");
	assert_failed(store_outbox_add(s, OUTBOX_CHANNEL, NULL, NULL, "x", T0,
				       &id, &cause),
		      &cause, "cannot queue post: NOT NULL constraint failed");
	assert_failed(store_outbox_add(s, OUTBOX_CHANNEL, "C1", NULL, NULL, T0,
				       &id, &cause),
		      &cause, "cannot queue post: NOT NULL constraint failed");
	assert_backlog(s, 0, 0);
}

static void
test_due_order(void **state)
{
	struct store *s = *state;
	struct outbox_msg dummy, *m;
	char *cause = NULL;
	size_t n;

	assert_due(s, T0, 10, "");
	queue(s, OUTBOX_CHANNEL, "C1", NULL, "m1", T0 + 10);
	queue(s, OUTBOX_CHANNEL, "C2", NULL, "m2", T0);
	queue(s, OUTBOX_CHANNEL, "C3", NULL, "m3", T0 + 5);
	queue(s, OUTBOX_CHANNEL, "C4", NULL, "m4", T0 + 20);

	/* Due means next_attempt_at <= now; oldest (queued first) first. */
	assert_due(s, T0 - 1, 10, "");
	assert_due(s, T0, 10, "m2");
	assert_due(s, T0 + 5, 10, "m2 m3");
	assert_due(s, T0 + 10, 10, "m1 m2 m3");
	assert_due(s, T0 + 100, 10, "m1 m2 m3 m4");
	assert_due(s, T0 + 100, 2, "m1 m2");
	assert_due(s, T0 + 100, 1, "m1");

	/* A limit of 0 asks for nothing, and says so in *out and *n. */
	m = &dummy;
	n = 99;
	assert_int_equal(store_outbox_due(s, T0 + 100, 0, &m, &n, &cause), 0);
	assert_null(m);
	assert_int_equal(n, 0);
	/* A huge limit is capped, not rejected. */
	assert_due(s, T0 + 100, SIZE_MAX, "m1 m2 m3 m4");
}

/*
 * One destination (kind, channel, user) gets its posts in order, one at a
 * time: a post waits while an older one to the same place is pending,
 * deferred or not; other destinations are not held up.
 */
static void
test_due_per_destination(void **state)
{
	struct store *s = *state;
	char *cause = NULL;
	int64_t a, b;

	a = queue(s, OUTBOX_CHANNEL, "C1", NULL, "a", T0);
	b = queue(s, OUTBOX_CHANNEL, "C1", NULL, "b", T0);
	queue(s, OUTBOX_EPHEMERAL, "C1", "u1", "c", T0);
	queue(s, OUTBOX_EPHEMERAL, "C1", "u2", "d", T0);
	queue(s, OUTBOX_EPHEMERAL, "C1", "u1", "e", T0);
	queue(s, OUTBOX_CHANNEL, "C2", NULL, "f", T0);
	assert_due(s, T0, 10, "a c d f");
	assert_int_equal(store_outbox_mark_sent(s, a, "p1", T0, &cause), 0);
	assert_due(s, T0, 10, "b c d f");
	/* Deferred, b still holds back what follows it in C1. */
	assert_int_equal(store_outbox_retry(s, b, T0 + 30, &cause), 0);
	queue(s, OUTBOX_CHANNEL, "C1", NULL, "g", T0);
	assert_due(s, T0, 10, "c d f");
	assert_due(s, T0 + 30, 10, "b c d f");
	/* Refused for good, b no longer holds anything back. */
	assert_int_equal(store_outbox_mark_failed(s, b, "no", &cause), 0);
	assert_due(s, T0, 10, "c d f g");
}

static void
test_retry(void **state)
{
	struct store *s = *state;
	struct outbox_msg *m;
	char *cause = NULL;
	int64_t a, b;
	size_t n;

	a = queue(s, OUTBOX_CHANNEL, "C1", NULL, "a", T0);
	b = queue(s, OUTBOX_CHANNEL, "C2", NULL, "b", T0);
	assert_int_equal(store_outbox_retry(s, a, T0 + 30, &cause), 0);
	assert_due(s, T0, 10, "b");
	assert_due(s, T0 + 30, 10, "a b");
	assert_int_equal(store_outbox_retry(s, a, T0 + 90, &cause), 0);
	assert_due(s, T0 + 30, 10, "b");

	assert_int_equal(store_outbox_since(s, 0, &m, &n, &cause), 0);
	assert_int_equal(n, 2);
	assert_int_equal(m[0].id, a);
	assert_int_equal(m[0].attempts, 2);
	assert_int_equal(m[0].next_attempt_at, T0 + 90);
	assert_int_equal(m[0].state, OUTBOX_PENDING);
	assert_int_equal(m[1].id, b);
	assert_int_equal(m[1].attempts, 0);
	outbox_msg_list_free(m, n);

	assert_failed(store_outbox_retry(s, 31337, T0, &cause), &cause,
		      "cannot defer post 31337: no pending post");
}

static void
test_sent_failed(void **state)
{
	struct store *s = *state;
	struct outbox_msg *m;
	char *cause = NULL;
	int64_t a, b, c;
	size_t n;

	a = queue(s, OUTBOX_CHANNEL, "C1", NULL, "a", T0);
	b = queue(s, OUTBOX_CHANNEL, "C1", NULL, "b", T0);
	c = queue(s, OUTBOX_CHANNEL, "C1", NULL, "c", T0);
	assert_int_equal(store_outbox_retry(s, b, T0 + 5, &cause), 0);

	assert_int_equal(
	    store_outbox_mark_sent(s, a, "post-abc", T0 + 1, &cause), 0);
	assert_int_equal(
	    store_outbox_mark_failed(s, b, "channel_not_found", &cause), 0);
	assert_due(s, T0 + 100, 10, "c");

	assert_int_equal(store_outbox_since(s, 0, &m, &n, &cause), 0);
	assert_int_equal(n, 3);
	assert_int_equal(m[0].state, OUTBOX_SENT);
	assert_int_equal(m[1].state, OUTBOX_FAILED);
	assert_int_equal(m[1].attempts, 1);
	assert_int_equal(m[2].state, OUTBOX_PENDING);
	outbox_msg_list_free(m, n);

	/* Only a pending message changes state. */
	assert_failed(store_outbox_mark_sent(s, a, "again", T0 + 2, &cause),
		      &cause, "cannot mark post sent");
	assert_failed(store_outbox_mark_sent(s, b, "late", T0 + 2, &cause),
		      &cause, "cannot mark post sent");
	assert_failed(store_outbox_mark_failed(s, a, "x", &cause), &cause,
		      "cannot mark post failed");
	assert_failed(store_outbox_retry(s, b, T0 + 9, &cause), &cause,
		      "cannot defer post");
	assert_failed(store_outbox_mark_sent(s, 31337, "x", T0, &cause), &cause,
		      "cannot mark post sent 31337: no pending post");

	/* A platform without post ids, a failure without a reason. */
	assert_int_equal(store_outbox_mark_sent(s, c, NULL, T0 + 3, &cause), 0);
	assert_backlog(s, 0, 0);
}

static void
test_backlog(void **state)
{
	struct store *s = *state;
	char *cause = NULL;
	int64_t a, b, c;

	assert_backlog(s, 0, 0);
	a = queue(s, OUTBOX_CHANNEL, "C1", NULL, "a", T0 + 10);
	assert_backlog(s, 1, T0 + 10);
	b = queue(s, OUTBOX_CHANNEL, "C1", NULL, "b", T0 + 3);
	c = queue(s, OUTBOX_DIRECT, "C1", "bob", "c", T0 + 7);
	assert_backlog(s, 3, T0 + 3);
	assert_int_equal(store_outbox_retry(s, b, T0 + 60, &cause), 0);
	assert_backlog(s, 3, T0 + 7);
	assert_int_equal(store_outbox_mark_sent(s, c, "p", T0 + 8, &cause), 0);
	assert_backlog(s, 2, T0 + 10);
	assert_int_equal(store_outbox_mark_failed(s, a, NULL, &cause), 0);
	assert_backlog(s, 1, T0 + 60);
	assert_int_equal(store_outbox_mark_sent(s, b, "p", T0 + 61, &cause), 0);
	assert_backlog(s, 0, 0);
}

static void
test_since(void **state)
{
	struct store *s = *state;
	struct outbox_msg *m;
	char *cause = NULL;
	int64_t a, b, c;
	size_t n;

	assert_int_equal(store_outbox_since(s, 0, &m, &n, &cause), 0);
	assert_int_equal(n, 0);
	assert_null(m);

	a = queue(s, OUTBOX_CHANNEL, "C1", NULL, "a", T0);
	b = queue(s, OUTBOX_CHANNEL, "C1", NULL, "b", T0);
	c = queue(s, OUTBOX_CHANNEL, "C1", NULL, "c", T0);
	/* Every state counts. */
	assert_int_equal(store_outbox_mark_sent(s, b, "p", T0, &cause), 0);

	assert_int_equal(store_outbox_since(s, a, &m, &n, &cause), 0);
	assert_int_equal(n, 2);
	assert_int_equal(m[0].id, b);
	assert_int_equal(m[0].state, OUTBOX_SENT);
	assert_int_equal(m[1].id, c);
	outbox_msg_list_free(m, n);

	assert_int_equal(store_outbox_since(s, c, &m, &n, &cause), 0);
	assert_int_equal(n, 0);
	outbox_msg_list_free(m, n);
}

/* Edits wait for their post, carry its id, and fail without one. */
static void
test_edit(void **state)
{
	struct store *s = *state;
	struct outbox_msg *m;
	char *cause = NULL;
	int64_t post, dm, eph, edit1, edit2, edit3;
	size_t n;

	post = queue(s, OUTBOX_CHANNEL, "C1", NULL, "minutes v1", T0);
	dm = queue(s, OUTBOX_DIRECT, "C1", "bob", "reminder", T0);
	eph = queue(s, OUTBOX_EPHEMERAL, "C1", "bob", "only you", T0);
	assert_int_equal(
	    store_outbox_add_edit(s, post, "minutes v2", T0, &edit1, &cause),
	    0);
	assert_int_equal(
	    store_outbox_add_edit(s, post, "minutes v3", T0, &edit2, &cause),
	    0);
	assert_int_equal(store_outbox_add_edit(s, dm, "reminder, edited", T0,
					       &edit3, &cause),
			 0);

	/* Nothing of an edit is due while its post is pending. */
	assert_due(s, T0, 10, "minutes v1 reminder only you");
	assert_int_equal(
	    store_outbox_mark_sent(s, post, "p0st1d", T0 + 1, &cause), 0);
	assert_int_equal(store_outbox_due(s, T0 + 1, 10, &m, &n, &cause), 0);
	assert_int_equal(n, 3);
	assert_int_equal(m[2].id, edit1);
	assert_int_equal(m[2].kind, OUTBOX_EDIT);
	assert_string_equal(m[2].channel_key, "C1");
	assert_null(m[2].user);
	assert_string_equal(m[2].post_id, "p0st1d");
	assert_null(m[0].post_id);
	outbox_msg_list_free(m, n);

	/* Edits of one channel leave one at a time, in order. */
	assert_int_equal(
	    store_outbox_mark_sent(s, edit1, "p0st1d", T0 + 2, &cause), 0);
	assert_due(s, T0 + 2, 10, "reminder only you minutes v3");

	/* The DM failed for good: its edit comes out without a post. */
	assert_int_equal(store_outbox_mark_failed(s, dm, "403", &cause), 0);
	assert_int_equal(store_outbox_due(s, T0 + 2, 10, &m, &n, &cause), 0);
	assert_int_equal(n, 2);
	assert_int_equal(m[1].id, edit2);
	outbox_msg_list_free(m, n);
	assert_int_equal(
	    store_outbox_mark_sent(s, edit2, "p0st1d", T0 + 3, &cause), 0);
	assert_int_equal(store_outbox_due(s, T0 + 3, 10, &m, &n, &cause), 0);
	assert_int_equal(n, 2);
	assert_int_equal(m[1].id, edit3);
	assert_null(m[1].post_id);
	outbox_msg_list_free(m, n);

	/* Only posts lihui made, of a kind that can be edited. */
	assert_int_equal(store_outbox_add_edit(s, eph, "no", T0, NULL, &cause),
			 -1);
	assert_non_null(strstr(cause, "is not a post lihui made"));
	free(cause);
	cause = NULL;
	assert_int_equal(
	    store_outbox_add_edit(s, edit1, "no", T0, NULL, &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(store_outbox_add_edit(s, 999, "no", T0, NULL, &cause),
			 -1);
	assert_non_null(strstr(cause, "message 999"));
	free(cause);
	cause = NULL;
	/* store_outbox_add() takes neither edits nor reactions. */
	assert_int_equal(
	    store_outbox_add(s, OUTBOX_EDIT, "C1", NULL, "x", T0, NULL, &cause),
	    -1);
	assert_non_null(cause);
	free(cause);
}

static void
test_reaction(void **state)
{
	struct store *s = *state;
	struct outbox_msg *m;
	char *cause = NULL;
	int64_t id;
	size_t n;

	assert_int_equal(store_outbox_add_reaction(s, "C1", "us3rp0st",
						   "white_check_mark", T0, &id,
						   &cause),
			 0);
	assert_int_equal(store_outbox_due(s, T0, 10, &m, &n, &cause), 0);
	assert_int_equal(n, 1);
	assert_int_equal(m[0].id, id);
	assert_int_equal(m[0].kind, OUTBOX_REACTION);
	assert_string_equal(m[0].text, "white_check_mark");
	assert_string_equal(m[0].post_id, "us3rp0st");
	outbox_msg_list_free(m, n);

	assert_int_equal(
	    store_outbox_add_reaction(s, "C1", "", "x", T0, NULL, &cause), -1);
	assert_non_null(strstr(cause, "no post or emoji"));
	free(cause);
	cause = NULL;
	assert_int_equal(
	    store_outbox_add_reaction(s, "C1", "p", NULL, T0, NULL, &cause),
	    -1);
	assert_non_null(cause);
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_add, setup, teardown),
		cmocka_unit_test_setup_teardown(test_add_errors, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_due_order, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_due_per_destination, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_retry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sent_failed, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_backlog, setup, teardown),
		cmocka_unit_test_setup_teardown(test_since, setup, teardown),
		cmocka_unit_test_setup_teardown(test_edit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reaction, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
