/* SPDX-License-Identifier: MIT */
/*
 * test-store-report.c: channels, roster and leave, cycles, report items,
 * metrics and agenda topics, against a real ":memory:" database.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lihui/store.h"
#include "lihui/xmalloc.h"

/* Each test gets a store with one channel and one cycle. */
struct fixture {
	struct store *s;
	struct channel c;
	struct cycle cy;
};

#define T0 1767600000 /* the fixture cycle's start */

static const struct channel test_defaults = {
	.id = 999,
	.key = (char *)"ignored",
	.locale = (char *)"zh_CN",
	.timezone = (char *)"Asia/Shanghai",
	.sections = (1u << SECTION_DONE) | (1u << SECTION_PLAN),
	.meeting_wday = 2,
	.meeting_minute = 570,
	.meeting_length = 45,
};

static int
setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof *f);
	char *cause = NULL;

	f->s = store_open(":memory:", &cause);
	if (f->s == NULL ||
	    store_channel_ensure(f->s, "C1", "ops-weekly", &test_defaults,
				 &f->c, &cause) != 0 ||
	    store_cycle_ensure(f->s, f->c.id, T0, 30, &f->cy, &cause) != 0) {
		free(cause);
		return -1;
	}
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	channel_release(&f->c);
	store_close(f->s);
	free(f);
	return 0;
}

/* Assert that a call failed with a cause starting with prefix. */
static void
assert_failed(int rc, char **cause, const char *prefix)
{
	assert_int_equal(rc, -1);
	assert_non_null(*cause);
	assert_memory_equal(*cause, prefix, strlen(prefix));
	free(*cause);
	*cause = NULL;
}

static void
test_channel_ensure(void **state)
{
	struct fixture *f = *state;
	struct channel c, d;
	char *cause = NULL;

	/* Created from the defaults, with the given key and name. */
	assert_true(f->c.id > 0);
	assert_int_not_equal(f->c.id, 999);
	assert_string_equal(f->c.key, "C1");
	assert_string_equal(f->c.name, "ops-weekly");
	assert_string_equal(f->c.locale, "zh_CN");
	assert_string_equal(f->c.timezone, "Asia/Shanghai");
	assert_int_equal(f->c.sections, test_defaults.sections);
	assert_int_equal(f->c.meeting_wday, 2);
	assert_int_equal(f->c.meeting_minute, 570);
	assert_int_equal(f->c.meeting_length, 45);

	/* Found again by key: the stored row wins over name and defaults. */
	assert_int_equal(store_channel_ensure(f->s, "C1", "renamed",
					      &test_defaults, &c, &cause),
			 0);
	assert_int_equal(c.id, f->c.id);
	assert_string_equal(c.name, "ops-weekly");
	assert_string_equal(c.key, "C1");
	assert_int_equal(c.meeting_length, 45);

	/* Another key, another channel. */
	assert_int_equal(
	    store_channel_ensure(f->s, "C2", "dev", &test_defaults, &d, &cause),
	    0);
	assert_int_not_equal(d.id, c.id);
	assert_string_equal(d.key, "C2");
	channel_release(&c);
	channel_release(&d);
	channel_release(NULL);
}

static void
test_channel_ensure_error(void **state)
{
	struct fixture *f = *state;
	struct channel bad = test_defaults, c;
	char *cause = NULL;

	bad.locale = NULL;
	assert_failed(store_channel_ensure(f->s, "C9", "x", &bad, &c, &cause),
		      &cause, "cannot add channel: NOT NULL constraint failed");
	assert_null(c.key);
	channel_release(&c);
}

static void
test_channel_update(void **state)
{
	struct fixture *f = *state;
	struct channel c, got;
	char *cause = NULL;

	c = f->c;
	c.name = (char *)"ops";
	c.locale = (char *)"en";
	c.timezone = (char *)"Europe/Berlin";
	c.sections = SECTION_ALL;
	c.meeting_wday = 5;
	c.meeting_minute = 900;
	c.meeting_length = 60;
	assert_int_equal(store_channel_update(f->s, &c, &cause), 0);

	assert_int_equal(store_channel_ensure(f->s, "C1", "other",
					      &test_defaults, &got, &cause),
			 0);
	assert_int_equal(got.id, f->c.id);
	assert_string_equal(got.key, "C1");
	assert_string_equal(got.name, "ops");
	assert_string_equal(got.locale, "en");
	assert_string_equal(got.timezone, "Europe/Berlin");
	assert_int_equal(got.sections, SECTION_ALL);
	assert_int_equal(got.meeting_wday, 5);
	assert_int_equal(got.meeting_minute, 900);
	assert_int_equal(got.meeting_length, 60);
	channel_release(&got);

	c.id = 424242;
	assert_failed(store_channel_update(f->s, &c, &cause), &cause,
		      "cannot update channel 424242: no such channel");
	c.id = f->c.id;
	c.timezone = NULL;
	assert_failed(store_channel_update(f->s, &c, &cause), &cause,
		      "cannot update channel: NOT NULL constraint failed");
}

/* The channel's members as "name:on_roster:away" joined by spaces. */
static char *
members_string(struct fixture *f, int64_t channel_id, int roster_only)
{
	struct member *m;
	char *cause = NULL, *out = xstrdup(""), *next;
	size_t n, i;

	assert_int_equal(
	    store_member_list(f->s, channel_id, roster_only, &m, &n, &cause),
	    0);
	for (i = 0; i < n; i++) {
		assert_int_equal(m[i].channel_id, channel_id);
		next =
		    xasprintf("%s%s%s:%d:%s", out, i > 0 ? " " : "",
			      m[i].user_name, m[i].on_roster,
			      m[i].away_until != NULL ? m[i].away_until : "-");
		free(out);
		out = next;
	}
	member_list_free(m, n);
	return out;
}

static void
assert_members(struct fixture *f, int64_t channel_id, int roster_only,
	       const char *want)
{
	char *got = members_string(f, channel_id, roster_only);

	assert_string_equal(got, want);
	free(got);
}

static void
test_roster(void **state)
{
	struct fixture *f = *state;
	struct channel other;
	char *cause = NULL;
	int added = -1, removed = -1;

	assert_members(f, f->c.id, 0, "");
	assert_int_equal(
	    store_roster_add(f->s, f->c.id, "carol", &added, &cause), 0);
	assert_int_equal(added, 1);
	assert_int_equal(
	    store_roster_add(f->s, f->c.id, "carol", &added, &cause), 0);
	assert_int_equal(added, 0);
	assert_int_equal(
	    store_roster_add(f->s, f->c.id, "alice", &added, &cause), 0);
	assert_int_equal(added, 1);
	assert_int_equal(store_roster_add(f->s, f->c.id, "bob", NULL, &cause),
			 0);
	assert_members(f, f->c.id, 1, "alice:1:- bob:1:- carol:1:-");

	assert_int_equal(
	    store_roster_remove(f->s, f->c.id, "bob", &removed, &cause), 0);
	assert_int_equal(removed, 1);
	assert_int_equal(
	    store_roster_remove(f->s, f->c.id, "bob", &removed, &cause), 0);
	assert_int_equal(removed, 0);
	assert_int_equal(
	    store_roster_remove(f->s, f->c.id, "nobody", &removed, &cause), 0);
	assert_int_equal(removed, 0);
	assert_int_equal(
	    store_roster_remove(f->s, f->c.id, "carol", NULL, &cause), 0);
	/* Off the roster and not away: nothing left to remember. */
	assert_members(f, f->c.id, 0, "alice:1:-");

	/* Rosters are per channel. */
	assert_int_equal(store_channel_ensure(f->s, "C2", "dev", &test_defaults,
					      &other, &cause),
			 0);
	assert_members(f, other.id, 0, "");
	assert_int_equal(
	    store_roster_add(f->s, other.id, "alice", &added, &cause), 0);
	assert_int_equal(added, 1);
	assert_members(f, other.id, 1, "alice:1:-");
	channel_release(&other);

	assert_failed(store_roster_add(f->s, 31337, "zed", &added, &cause),
		      &cause, "cannot add to roster: FOREIGN KEY");
}

static void
test_away(void **state)
{
	struct fixture *f = *state;
	char *cause = NULL;

	assert_int_equal(store_roster_add(f->s, f->c.id, "bob", NULL, &cause),
			 0);
	/* Someone off the roster may be away. */
	assert_int_equal(
	    store_member_set_away(f->s, f->c.id, "carol", "2026-01-20", &cause),
	    0);
	assert_int_equal(
	    store_member_set_away(f->s, f->c.id, "bob", "2026-01-10", &cause),
	    0);
	assert_members(f, f->c.id, 0, "bob:1:2026-01-10 carol:0:2026-01-20");
	assert_members(f, f->c.id, 1, "bob:1:2026-01-10");

	/* Setting again replaces the date. */
	assert_int_equal(
	    store_member_set_away(f->s, f->c.id, "bob", "2026-01-12", &cause),
	    0);
	assert_members(f, f->c.id, 1, "bob:1:2026-01-12");

	/* Clearing keeps a roster member, forgets anyone else. */
	assert_int_equal(
	    store_member_set_away(f->s, f->c.id, "bob", NULL, &cause), 0);
	assert_int_equal(
	    store_member_set_away(f->s, f->c.id, "carol", NULL, &cause), 0);
	assert_members(f, f->c.id, 0, "bob:1:-");
	assert_int_equal(
	    store_member_set_away(f->s, f->c.id, "nobody", NULL, &cause), 0);
	assert_members(f, f->c.id, 0, "bob:1:-");

	/* Leaving the roster while away keeps the leave. */
	assert_int_equal(
	    store_member_set_away(f->s, f->c.id, "bob", "2026-02-01", &cause),
	    0);
	assert_int_equal(
	    store_roster_remove(f->s, f->c.id, "bob", NULL, &cause), 0);
	assert_members(f, f->c.id, 0, "bob:0:2026-02-01");
	assert_members(f, f->c.id, 1, "");
}

static void
test_away_bad_date(void **state)
{
	static const char *const bad[] = {
		"",
		"2026-1-20",
		"2026-01-2",
		"2026/01/20",
		"20260120",
		"2026-01-20x",
		"2026-01-20 ",
		"abcd-ef-gh",
		"2026-01-2\n",
	};
	struct fixture *f = *state;
	char *cause = NULL;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_failed(
		    store_member_set_away(f->s, f->c.id, "bob", bad[i], &cause),
		    &cause, "cannot set away: invalid date");
	assert_members(f, f->c.id, 0, "");
}

static void
test_cycles(void **state)
{
	struct fixture *f = *state;
	struct cycle a, b, prev;
	struct channel other;
	char *cause = NULL;
	int found = -1;

	assert_true(f->cy.id > 0);
	assert_int_equal(f->cy.channel_id, f->c.id);
	assert_int_equal(f->cy.starts_at, T0);
	assert_int_equal(f->cy.length, 30);

	/* Found again; the stored length wins. */
	assert_int_equal(store_cycle_ensure(f->s, f->c.id, T0, 60, &a, &cause),
			 0);
	assert_int_equal(a.id, f->cy.id);
	assert_int_equal(a.length, 30);

	assert_int_equal(
	    store_cycle_ensure(f->s, f->c.id, T0 + 7 * 86400, 30, &b, &cause),
	    0);
	assert_int_not_equal(b.id, a.id);

	assert_int_equal(store_cycle_previous(f->s, f->c.id, T0 + 14 * 86400,
					      &prev, &found, &cause),
			 0);
	assert_int_equal(found, 1);
	assert_int_equal(prev.id, b.id);
	assert_int_equal(prev.starts_at, T0 + 7 * 86400);
	assert_int_equal(prev.channel_id, f->c.id);
	assert_int_equal(prev.length, 30);

	assert_int_equal(store_cycle_previous(f->s, f->c.id, T0 + 7 * 86400,
					      &prev, &found, &cause),
			 0);
	assert_int_equal(found, 1);
	assert_int_equal(prev.id, a.id);

	/* Strictly before: none before the first. */
	assert_int_equal(
	    store_cycle_previous(f->s, f->c.id, T0, &prev, &found, &cause), 0);
	assert_int_equal(found, 0);
	assert_int_equal(prev.id, 0);

	/* Another channel's cycles are its own. */
	assert_int_equal(store_channel_ensure(f->s, "C2", "dev", &test_defaults,
					      &other, &cause),
			 0);
	assert_int_equal(store_cycle_previous(f->s, other.id, T0 + 30 * 86400,
					      &prev, &found, &cause),
			 0);
	assert_int_equal(found, 0);
	assert_int_equal(store_cycle_ensure(f->s, other.id, T0, 30, &a, &cause),
			 0);
	assert_int_not_equal(a.id, f->cy.id);
	channel_release(&other);

	assert_failed(store_cycle_ensure(f->s, 31337, T0, 30, &a, &cause),
		      &cause, "cannot add cycle: FOREIGN KEY");
}

/* Add an item; returns its id. */
static int64_t
add(struct fixture *f, const char *user, int section, const char *text,
    const char *helpers, int64_t now)
{
	char *cause = NULL;
	int64_t id = 0;

	assert_int_equal(store_report_add(f->s, f->cy.id, user, section, text,
					  helpers, now, &id, &cause),
			 0);
	assert_true(id > 0);
	return id;
}

/* The items as "user/section/text" joined by spaces. */
static char *
items_string(const struct report_item *items, size_t n)
{
	char *out = xstrdup(""), *next;
	size_t i;

	for (i = 0; i < n; i++) {
		next = xasprintf("%s%s%s/%d/%s", out, i > 0 ? " " : "",
				 items[i].user_name, items[i].section,
				 items[i].text);
		free(out);
		out = next;
	}
	return out;
}

static void
assert_user_items(struct fixture *f, const char *user, const char *want)
{
	struct report_item *items;
	char *cause = NULL, *got;
	size_t n;

	assert_int_equal(
	    store_report_list_user(f->s, f->cy.id, user, &items, &n, &cause),
	    0);
	got = items_string(items, n);
	report_item_list_free(items, n);
	assert_string_equal(got, want);
	free(got);
}

static void
assert_cycle_items(struct fixture *f, const char *want)
{
	struct report_item *items;
	char *cause = NULL, *got;
	size_t n;

	assert_int_equal(
	    store_report_list_cycle(f->s, f->cy.id, &items, &n, &cause), 0);
	got = items_string(items, n);
	report_item_list_free(items, n);
	assert_string_equal(got, want);
	free(got);
}

static void
test_report_add_list(void **state)
{
	struct fixture *f = *state;
	struct report_item *items;
	char *cause = NULL;
	int64_t id;
	size_t n;

	assert_user_items(f, "alice", "");
	add(f, "alice", SECTION_PLAN, "p1", NULL, 100);
	id = add(f, "alice", SECTION_BLOCKER, "b1", "bob carol", 101);
	add(f, "alice", SECTION_DONE, "d1", NULL, 102);
	add(f, "alice", SECTION_NEED, "n1", NULL, 103);
	add(f, "alice", SECTION_DONE, "d2", NULL, 104);
	add(f, "alice", SECTION_PLAN, "p2", NULL, 105);
	add(f, "bob", SECTION_DONE, "bob-d1", NULL, 106);

	/* Section, then id: the numbering /report show prints. */
	assert_user_items(f, "alice",
			  "alice/0/d1 alice/0/d2 alice/1/p1 alice/1/p2 "
			  "alice/2/b1 alice/4/n1");
	assert_user_items(f, "bob", "bob/0/bob-d1");
	assert_user_items(f, "carol", "");

	assert_int_equal(
	    store_report_list_user(f->s, f->cy.id, "alice", &items, &n, &cause),
	    0);
	assert_int_equal(n, 6);
	assert_int_equal(items[4].id, id);
	assert_int_equal(items[4].cycle_id, f->cy.id);
	assert_string_equal(items[4].helpers, "bob carol");
	assert_int_equal(items[4].created_at, 101);
	assert_null(items[0].helpers);
	report_item_list_free(items, n);

	/* The id is optional. */
	assert_int_equal(store_report_add(f->s, f->cy.id, "carol", SECTION_DONE,
					  "c1", NULL, 107, NULL, &cause),
			 0);

	assert_failed(store_report_add(f->s, f->cy.id, "alice", SECTION_METRIC,
				       "x", NULL, 1, &id, &cause),
		      &cause, "cannot add report: invalid section 3");
	assert_failed(store_report_add(f->s, f->cy.id, "alice", -1, "x", NULL,
				       1, &id, &cause),
		      &cause, "cannot add report: invalid section -1");
	assert_failed(store_report_add(f->s, f->cy.id, "alice", SECTION_COUNT,
				       "x", NULL, 1, &id, &cause),
		      &cause, "cannot add report: invalid section");
	assert_failed(store_report_add(f->s, f->cy.id, "alice", SECTION_DONE,
				       NULL, NULL, 1, &id, &cause),
		      &cause, "cannot add report: NOT NULL constraint failed");
	assert_failed(store_report_add(f->s, 31337, "alice", SECTION_DONE, "x",
				       NULL, 1, &id, &cause),
		      &cause, "cannot add report: FOREIGN KEY");
}

static void
test_report_list_cycle(void **state)
{
	struct fixture *f = *state;

	assert_cycle_items(f, "");
	/* bob's first item is the oldest, though alice added hers first. */
	add(f, "alice", SECTION_PLAN, "a-p", NULL, 200);
	add(f, "bob", SECTION_PLAN, "b-p", NULL, 100);
	add(f, "alice", SECTION_DONE, "a-d", NULL, 300);
	add(f, "bob", SECTION_DONE, "b-d", NULL, 400);
	/* Same first second as alice: the earlier id (alice) goes first. */
	add(f, "carol", SECTION_NEED, "c-n", NULL, 200);
	add(f, "carol", SECTION_DONE, "c-d", NULL, 500);
	assert_cycle_items(f, "bob/0/b-d bob/1/b-p alice/0/a-d alice/1/a-p "
			      "carol/0/c-d carol/4/c-n");
}

static void
test_report_update_delete(void **state)
{
	struct fixture *f = *state;
	struct report_item *items;
	char *cause = NULL;
	int64_t a, b;
	size_t n;

	a = add(f, "alice", SECTION_BLOCKER, "old", "bob", 100);
	b = add(f, "alice", SECTION_DONE, "keep", NULL, 101);
	assert_int_equal(store_report_update(f->s, a, "new", NULL, &cause), 0);
	assert_int_equal(
	    store_report_list_user(f->s, f->cy.id, "alice", &items, &n, &cause),
	    0);
	assert_int_equal(n, 2);
	assert_int_equal(items[1].id, a);
	assert_string_equal(items[1].text, "new");
	assert_null(items[1].helpers);
	assert_int_equal(items[1].created_at, 100);
	report_item_list_free(items, n);
	assert_int_equal(store_report_update(f->s, a, "newer", "carol", &cause),
			 0);
	assert_user_items(f, "alice", "alice/0/keep alice/2/newer");

	assert_failed(store_report_update(f->s, 31337, "x", NULL, &cause),
		      &cause, "cannot update report item 31337: no such item");
	assert_failed(store_report_update(f->s, a, NULL, NULL, &cause), &cause,
		      "cannot update report: NOT NULL constraint failed");

	assert_int_equal(store_report_delete(f->s, b, &cause), 0);
	assert_user_items(f, "alice", "alice/2/newer");
	assert_failed(store_report_delete(f->s, b, &cause), &cause,
		      "cannot delete report item");
}

/* The users of the fixture cycle joined by spaces. */
static char *
users_string(struct fixture *f)
{
	char **users, *out = xstrdup(""), *next, *cause = NULL;
	size_t n, i;

	assert_int_equal(store_report_users(f->s, f->cy.id, &users, &n, &cause),
			 0);
	for (i = 0; i < n; i++) {
		next = xasprintf("%s%s%s", out, i > 0 ? " " : "", users[i]);
		free(out);
		out = next;
	}
	string_list_free(users, n);
	return out;
}

static void
assert_users(struct fixture *f, const char *want)
{
	char *got = users_string(f);

	assert_string_equal(got, want);
	free(got);
}

static void
test_report_users(void **state)
{
	struct fixture *f = *state;
	char *cause = NULL;
	char **users;
	size_t n;

	assert_int_equal(store_report_users(f->s, f->cy.id, &users, &n, &cause),
			 0);
	assert_int_equal(n, 0);
	assert_null(users);

	add(f, "dave", SECTION_DONE, "x", NULL, 1);
	add(f, "bob", SECTION_DONE, "x", NULL, 2);
	add(f, "bob", SECTION_PLAN, "y", NULL, 3);
	/* Metrics alone count as reporting. */
	assert_int_equal(store_metric_set(f->s, f->cy.id, "carol", "p99", 12,
					  "ms", 4, &cause),
			 0);
	assert_int_equal(
	    store_metric_set(f->s, f->cy.id, "bob", "p99", 15, "ms", 5, &cause),
	    0);
	assert_users(f, "bob carol dave");
}

static void
test_report_clear_user(void **state)
{
	struct fixture *f = *state;
	struct metric *m;
	struct cycle next;
	char *cause = NULL;
	char **users;
	size_t n;

	assert_int_equal(store_cycle_ensure(f->s, f->c.id, T0 + 7 * 86400, 30,
					    &next, &cause),
			 0);
	add(f, "alice", SECTION_DONE, "a1", NULL, 1);
	add(f, "alice", SECTION_PLAN, "a2", NULL, 2);
	add(f, "bob", SECTION_DONE, "b1", NULL, 3);
	assert_int_equal(store_metric_set(f->s, f->cy.id, "alice", "uptime",
					  99.9, "%", 4, &cause),
			 0);
	assert_int_equal(store_metric_set(f->s, f->cy.id, "bob", "uptime", 98,
					  "%", 5, &cause),
			 0);
	/* alice in the next cycle is another report. */
	assert_int_equal(store_report_add(f->s, next.id, "alice", SECTION_DONE,
					  "later", NULL, 6, NULL, &cause),
			 0);

	assert_int_equal(
	    store_report_clear_user(f->s, f->cy.id, "alice", &cause), 0);
	assert_user_items(f, "alice", "");
	assert_user_items(f, "bob", "bob/0/b1");
	assert_int_equal(
	    store_metric_list_user(f->s, f->cy.id, "alice", &m, &n, &cause), 0);
	assert_int_equal(n, 0);
	metric_list_free(m, n);
	assert_int_equal(
	    store_metric_list_user(f->s, f->cy.id, "bob", &m, &n, &cause), 0);
	assert_int_equal(n, 1);
	metric_list_free(m, n);
	assert_users(f, "bob");
	assert_int_equal(store_report_users(f->s, next.id, &users, &n, &cause),
			 0);
	assert_int_equal(n, 1);
	assert_string_equal(users[0], "alice");
	string_list_free(users, n);

	/* Clearing nothing is fine; inside a transaction too. */
	assert_int_equal(
	    store_report_clear_user(f->s, f->cy.id, "nobody", &cause), 0);
	assert_int_equal(store_begin(f->s, &cause), 0);
	assert_int_equal(store_report_clear_user(f->s, f->cy.id, "bob", &cause),
			 0);
	store_rollback(f->s);
	assert_users(f, "bob");
}

/* The metrics as "user:name=value unit" joined by spaces. */
static char *
metrics_string(const struct metric *m, size_t n)
{
	char *out = xstrdup(""), *next;
	size_t i;

	for (i = 0; i < n; i++) {
		next =
		    xasprintf("%s%s%s:%s=%g%s", out, i > 0 ? " " : "",
			      m[i].user_name, m[i].name, m[i].value, m[i].unit);
		free(out);
		out = next;
	}
	return out;
}

static void
assert_metrics(struct fixture *f, const char *user, const char *want)
{
	struct metric *m;
	char *cause = NULL, *got;
	size_t n, i;

	if (user != NULL)
		assert_int_equal(store_metric_list_user(f->s, f->cy.id, user,
							&m, &n, &cause),
				 0);
	else
		assert_int_equal(
		    store_metric_list_cycle(f->s, f->cy.id, &m, &n, &cause), 0);
	for (i = 0; i < n; i++)
		assert_int_equal(m[i].cycle_id, f->cy.id);
	got = metrics_string(m, n);
	metric_list_free(m, n);
	assert_string_equal(got, want);
	free(got);
}

static void
test_metrics(void **state)
{
	struct fixture *f = *state;
	struct metric *m;
	char *cause = NULL;
	int64_t id;
	size_t n;

	assert_metrics(f, NULL, "");
	assert_int_equal(store_metric_set(f->s, f->cy.id, "bob", "uptime", 99.5,
					  "%", 1, &cause),
			 0);
	assert_int_equal(store_metric_set(f->s, f->cy.id, "bob", "p99", 120,
					  "ms", 2, &cause),
			 0);
	assert_int_equal(store_metric_set(f->s, f->cy.id, "alice", "uptime",
					  -0.25, "", 3, &cause),
			 0);
	assert_int_equal(store_metric_set(f->s, f->cy.id, "alice", "deploys", 7,
					  NULL, 4, &cause),
			 0);
	assert_metrics(f, "bob", "bob:uptime=99.5% bob:p99=120ms");
	assert_metrics(f, NULL,
		       "alice:deploys=7 bob:p99=120ms alice:uptime=-0.25 "
		       "bob:uptime=99.5%");

	/* Setting again replaces the value and unit and keeps the place. */
	assert_int_equal(store_metric_set(f->s, f->cy.id, "bob", "uptime", 99.9,
					  "pct", 5, &cause),
			 0);
	assert_metrics(f, "bob", "bob:uptime=99.9pct bob:p99=120ms");

	assert_int_equal(
	    store_metric_list_user(f->s, f->cy.id, "bob", &m, &n, &cause), 0);
	assert_int_equal(n, 2);
	id = m[0].id;
	metric_list_free(m, n);
	assert_int_equal(store_metric_delete(f->s, id, &cause), 0);
	assert_metrics(f, "bob", "bob:p99=120ms");
	assert_failed(store_metric_delete(f->s, id, &cause), &cause,
		      "cannot delete metric");

	assert_failed(
	    store_metric_set(f->s, f->cy.id, "bob", "x", NAN, "", 6, &cause),
	    &cause, "cannot set metric: invalid value");
	assert_failed(store_metric_set(f->s, f->cy.id, "bob", "x", INFINITY, "",
				       6, &cause),
		      &cause, "cannot set metric: invalid value");
	assert_failed(
	    store_metric_set(f->s, 31337, "bob", "x", 1, "", 6, &cause), &cause,
	    "cannot set metric: FOREIGN KEY");
}

static void
test_topics(void **state)
{
	struct fixture *f = *state;
	struct topic *t;
	char *cause = NULL;
	int64_t a, b, c;
	size_t n;

	assert_int_equal(store_topic_list(f->s, f->cy.id, &t, &n, &cause), 0);
	assert_int_equal(n, 0);
	assert_null(t);

	assert_int_equal(store_topic_add(f->s, f->cy.id, "Pricing", "alice", 15,
					 "bob", 100, &a, &cause),
			 0);
	assert_int_equal(store_topic_add(f->s, f->cy.id, "定价 讨论", NULL, 10,
					 "carol", 101, &b, &cause),
			 0);
	assert_int_equal(store_topic_add(f->s, f->cy.id, "Hiring", "dave", 5,
					 "dave", 99, &c, &cause),
			 0);
	assert_true(a < b && b < c);

	/* In the order they were added, whatever their times. */
	assert_int_equal(store_topic_list(f->s, f->cy.id, &t, &n, &cause), 0);
	assert_int_equal(n, 3);
	assert_int_equal(t[0].id, a);
	assert_int_equal(t[0].cycle_id, f->cy.id);
	assert_string_equal(t[0].title, "Pricing");
	assert_string_equal(t[0].owner, "alice");
	assert_int_equal(t[0].minutes, 15);
	assert_string_equal(t[0].added_by, "bob");
	assert_string_equal(t[1].title, "定价 讨论");
	assert_null(t[1].owner);
	assert_string_equal(t[2].title, "Hiring");
	topic_list_free(t, n);

	assert_int_equal(store_topic_delete(f->s, b, &cause), 0);
	assert_int_equal(store_topic_list(f->s, f->cy.id, &t, &n, &cause), 0);
	assert_int_equal(n, 2);
	assert_int_equal(t[0].id, a);
	assert_int_equal(t[1].id, c);
	topic_list_free(t, n);
	assert_failed(store_topic_delete(f->s, b, &cause), &cause,
		      "cannot delete topic");

	assert_failed(
	    store_topic_add(f->s, 31337, "x", NULL, 5, "bob", 1, &a, &cause),
	    &cause, "cannot add topic: FOREIGN KEY");
	assert_failed(store_topic_add(f->s, f->cy.id, NULL, NULL, 5, "bob", 1,
				      &a, &cause),
		      &cause, "cannot add topic: NOT NULL");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_channel_ensure, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_channel_ensure_error,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_channel_update, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_roster, setup, teardown),
		cmocka_unit_test_setup_teardown(test_away, setup, teardown),
		cmocka_unit_test_setup_teardown(test_away_bad_date, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_cycles, setup, teardown),
		cmocka_unit_test_setup_teardown(test_report_add_list, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_report_list_cycle, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_report_update_delete,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_report_users, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_report_clear_user, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_metrics, setup, teardown),
		cmocka_unit_test_setup_teardown(test_topics, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
