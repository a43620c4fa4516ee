/* SPDX-License-Identifier: MIT */
/*
 * test-store-meeting.c: meetings in the store: starting (one running per
 * channel), ending, cancelling, stale meetings, the minutes' record, the
 * log with undo, speakers, attendance marks and ratings, against a real
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
start(struct store *s, int64_t channel_id, int64_t now)
{
	struct meeting m;
	char *cause = NULL;
	int64_t id;

	assert_int_equal(store_meeting_start(s, channel_id, "Weekly", "alice",
					     now, &m, &cause),
			 0);
	id = m.id;
	assert_true(id > 0);
	meeting_release(&m);
	return id;
}

static int64_t
item(struct store *s, int64_t meeting_id, int kind, const char *user,
     const char *text, int64_t action_id)
{
	char *cause = NULL;
	int64_t id = 0;

	assert_int_equal(store_meeting_item_add(s, meeting_id, kind, user, text,
						T0, NULL, action_id, &id,
						&cause),
			 0);
	assert_true(id > 0);
	return id;
}

/* The log's texts joined by spaces. */
static char *
log_string(struct store *s, int64_t meeting_id)
{
	struct meeting_item *m;
	char *cause = NULL, *out = xstrdup(""), *next;
	size_t n, i;

	assert_int_equal(store_meeting_item_list(s, meeting_id, &m, &n, &cause),
			 0);
	for (i = 0; i < n; i++) {
		next = xasprintf("%s%s%s", out, i > 0 ? " " : "", m[i].text);
		free(out);
		out = next;
	}
	meeting_item_list_free(m, n);
	return out;
}

static void
assert_log(struct store *s, int64_t meeting_id, const char *want)
{
	char *got = log_string(s, meeting_id);

	assert_string_equal(got, want);
	free(got);
}

static void
test_start_get(void **state)
{
	struct store *s = *state;
	struct meeting m, g;
	char *cause = NULL;
	int64_t c1 = channel(s, "C1"), c2 = channel(s, "C2");
	int found = -1;

	assert_int_equal(store_meeting_start(s, c1, "Ops weekly 周会", "alice",
					     T0, &m, &cause),
			 0);
	assert_null(cause);
	assert_true(m.id > 0);
	assert_int_equal(m.channel_id, c1);
	assert_string_equal(m.title, "Ops weekly 周会");
	assert_string_equal(m.chair, "alice");
	assert_int_equal(m.state, MEETING_RUNNING);
	assert_int_equal(m.started_at, T0);
	assert_int_equal(m.ended_at, 0);
	assert_int_equal(m.auto_closed, 0);
	assert_int_equal(m.next_topic, 0);
	assert_int_equal(m.minutes_post, 0);
	assert_int_equal(m.amended, 0);

	assert_int_equal(store_meeting_running(s, c1, &g, &found, &cause), 0);
	assert_int_equal(found, 1);
	assert_int_equal(g.id, m.id);
	assert_int_equal(g.channel_id, c1);
	assert_string_equal(g.title, "Ops weekly 周会");
	assert_string_equal(g.chair, "alice");
	assert_int_equal(g.state, MEETING_RUNNING);
	assert_int_equal(g.started_at, T0);
	assert_int_equal(g.ended_at, 0);
	assert_int_equal(g.minutes_post, 0);
	meeting_release(&g);

	found = -1;
	assert_int_equal(store_meeting_get(s, m.id, &g, &found, &cause), 0);
	assert_int_equal(found, 1);
	assert_int_equal(g.id, m.id);
	assert_string_equal(g.title, m.title);
	meeting_release(&g);

	/* None in the other channel, no such meeting: found = 0, no error. */
	found = -1;
	assert_int_equal(store_meeting_running(s, c2, &g, &found, &cause), 0);
	assert_int_equal(found, 0);
	found = -1;
	assert_int_equal(store_meeting_get(s, m.id + 100, &g, &found, &cause),
			 0);
	assert_int_equal(found, 0);
	meeting_release(&m);

	/* No *out wanted. */
	assert_int_equal(
	    store_meeting_start(s, c2, "x", "bob", T0, NULL, &cause), 0);
	meeting_release(NULL);
}

static void
test_start_errors(void **state)
{
	struct store *s = *state;
	struct meeting *list;
	char *cause = NULL;
	int64_t c1 = channel(s, "C1");
	size_t n;

	assert_failed(
	    store_meeting_start(s, 4242, "Weekly", "alice", T0, NULL, &cause),
	    &cause, "cannot start meeting: FOREIGN KEY");
	assert_failed(
	    store_meeting_start(s, c1, NULL, "alice", T0, NULL, &cause), &cause,
	    "cannot start meeting: NOT NULL");
	assert_failed(
	    store_meeting_start(s, c1, "Weekly", NULL, T0, NULL, &cause),
	    &cause, "cannot start meeting: NOT NULL");
	/* Nothing was stored. */
	assert_int_equal(store_meeting_stale(s, T0, &list, &n, &cause), 0);
	assert_int_equal(n, 0);
	assert_null(list);
}

/* One running meeting per channel, and only one. */
static void
test_one_running(void **state)
{
	struct store *s = *state;
	struct meeting m;
	char *cause = NULL;
	int64_t c1 = channel(s, "C1"), c2 = channel(s, "C2");
	int64_t a, b, c, d;
	int found, any = -1;

	assert_int_equal(store_meeting_any_running(s, &any, &cause), 0);
	assert_int_equal(any, 0);
	a = start(s, c1, T0);
	assert_int_equal(store_meeting_any_running(s, &any, &cause), 0);
	assert_int_equal(any, 1);
	assert_failed(
	    store_meeting_start(s, c1, "Again", "bob", T0 + 1, &m, &cause),
	    &cause, "already running");
	/* Another channel is not held up. */
	b = start(s, c2, T0 + 2);
	assert_int_not_equal(a, b);
	assert_int_equal(store_meeting_running(s, c1, &m, &found, &cause), 0);
	assert_int_equal(found, 1);
	assert_int_equal(m.id, a);
	assert_string_equal(m.chair, "alice");
	meeting_release(&m);

	/* Once it ended, or was cancelled, the next one may start. */
	assert_int_equal(store_meeting_end(s, a, T0 + 60, 0, &cause), 0);
	c = start(s, c1, T0 + 100);
	assert_int_equal(store_meeting_cancel(s, c, T0 + 110, &cause), 0);
	d = start(s, c1, T0 + 200);
	assert_int_equal(store_meeting_running(s, c1, &m, &found, &cause), 0);
	assert_int_equal(found, 1);
	assert_int_equal(m.id, d);
	meeting_release(&m);
	assert_failed(
	    store_meeting_start(s, c1, "Again", "bob", T0 + 201, NULL, &cause),
	    &cause, "cannot start meeting: a meeting is already running");
	assert_int_equal(store_meeting_end(s, b, T0 + 300, 0, &cause), 0);
	assert_int_equal(store_meeting_end(s, d, T0 + 300, 0, &cause), 0);
	assert_int_equal(store_meeting_any_running(s, &any, &cause), 0);
	assert_int_equal(any, 0);
}

static void
test_end_cancel(void **state)
{
	struct store *s = *state;
	struct meeting m;
	char *cause = NULL;
	int64_t c1 = channel(s, "C1"), c2 = channel(s, "C2");
	int64_t a, b, c;
	int found = -1;

	assert_int_equal(store_meeting_last_ended(s, c1, &m, &found, &cause),
			 0);
	assert_int_equal(found, 0);

	a = start(s, c1, T0);
	assert_int_equal(store_meeting_end(s, a, T0 + 1800, 1, &cause), 0);
	assert_int_equal(store_meeting_get(s, a, &m, &found, &cause), 0);
	assert_int_equal(found, 1);
	assert_int_equal(m.state, MEETING_ENDED);
	assert_int_equal(m.ended_at, T0 + 1800);
	assert_int_equal(m.auto_closed, 1);
	meeting_release(&m);

	/* Only a running meeting ends or is cancelled. */
	assert_failed(store_meeting_end(s, a, T0 + 1900, 0, &cause), &cause,
		      "no running meeting");
	assert_failed(store_meeting_cancel(s, a, T0 + 1900, &cause), &cause,
		      "cannot cancel meeting");
	assert_failed(store_meeting_end(s, 4242, T0, 0, &cause), &cause,
		      "cannot end meeting 4242: no running meeting");
	assert_failed(store_meeting_cancel(s, 4242, T0, &cause), &cause,
		      "cannot cancel meeting 4242: no running meeting");

	b = start(s, c1, T0 + 7 * 86400);
	assert_int_equal(
	    store_meeting_end(s, b, T0 + 7 * 86400 + 60, 0, &cause), 0);
	/* A cancelled meeting is not the last ended one. */
	c = start(s, c1, T0 + 14 * 86400);
	assert_int_equal(
	    store_meeting_cancel(s, c, T0 + 14 * 86400 + 5, &cause), 0);
	assert_int_equal(store_meeting_get(s, c, &m, &found, &cause), 0);
	assert_int_equal(m.state, MEETING_CANCELLED);
	assert_int_equal(m.ended_at, T0 + 14 * 86400 + 5);
	assert_int_equal(m.auto_closed, 0);
	meeting_release(&m);

	assert_int_equal(store_meeting_last_ended(s, c1, &m, &found, &cause),
			 0);
	assert_int_equal(found, 1);
	assert_int_equal(m.id, b);
	assert_int_equal(m.state, MEETING_ENDED);
	assert_int_equal(m.auto_closed, 0);
	meeting_release(&m);
	/* Per channel. */
	found = -1;
	assert_int_equal(store_meeting_last_ended(s, c2, &m, &found, &cause),
			 0);
	assert_int_equal(found, 0);
}

static void
test_stale(void **state)
{
	struct store *s = *state;
	struct meeting *m;
	char *cause = NULL;
	int64_t c1 = channel(s, "C1"), c2 = channel(s, "C2");
	int64_t c3 = channel(s, "C3"), c4 = channel(s, "C4");
	int64_t a, b, c;
	size_t n;

	a = start(s, c1, T0 + 10);
	b = start(s, c2, T0);
	c = start(s, c3, T0 + 20);
	assert_int_equal(
	    store_meeting_end(s, start(s, c4, T0 - 100), T0 - 50, 0, &cause),
	    0);

	assert_int_equal(store_meeting_stale(s, T0 - 1, &m, &n, &cause), 0);
	assert_int_equal(n, 0);
	assert_null(m);
	/* At or before, oldest first; ended ones never. */
	assert_int_equal(store_meeting_stale(s, T0 + 10, &m, &n, &cause), 0);
	assert_int_equal(n, 2);
	assert_int_equal(m[0].id, b);
	assert_int_equal(m[0].channel_id, c2);
	assert_string_equal(m[0].title, "Weekly");
	assert_int_equal(m[1].id, a);
	meeting_list_free(m, n);

	assert_int_equal(store_meeting_cancel(s, b, T0 + 30, &cause), 0);
	assert_int_equal(store_meeting_stale(s, T0 + 100, &m, &n, &cause), 0);
	assert_int_equal(n, 2);
	assert_int_equal(m[0].id, a);
	assert_int_equal(m[1].id, c);
	meeting_list_free(m, n);
}

static void
test_minutes(void **state)
{
	struct store *s = *state;
	struct meeting m;
	char *cause = NULL, *md = (char *)"junk";
	int64_t c1 = channel(s, "C1");
	int64_t a = start(s, c1, T0);
	int found;

	assert_int_equal(store_meeting_minutes(s, a, &md, &cause), 0);
	assert_null(md);

	assert_int_equal(
	    store_meeting_set_minutes(s, a, 77, "# Minutes\n纪要", &cause), 0);
	assert_int_equal(store_meeting_minutes(s, a, &md, &cause), 0);
	assert_string_equal(md, "# Minutes\n纪要");
	free(md);
	assert_int_equal(store_meeting_get(s, a, &m, &found, &cause), 0);
	assert_int_equal(m.minutes_post, 77);
	meeting_release(&m);

	/* Recorded again: the last one counts. */
	assert_int_equal(store_meeting_set_minutes(s, a, 80, "v2", &cause), 0);
	assert_int_equal(store_meeting_minutes(s, a, &md, &cause), 0);
	assert_string_equal(md, "v2");
	free(md);

	assert_int_equal(store_meeting_set_next_topic(s, a, 3, &cause), 0);
	assert_int_equal(store_meeting_set_amended(s, a, &cause), 0);
	assert_int_equal(store_meeting_get(s, a, &m, &found, &cause), 0);
	assert_int_equal(m.minutes_post, 80);
	assert_int_equal(m.next_topic, 3);
	assert_int_equal(m.amended, 1);
	assert_int_equal(m.state, MEETING_RUNNING);
	meeting_release(&m);

	md = (char *)"junk";
	assert_failed(store_meeting_minutes(s, 4242, &md, &cause), &cause,
		      "cannot read minutes of meeting 4242: no such meeting");
	assert_null(md);
	assert_failed(store_meeting_set_minutes(s, 4242, 1, "x", &cause),
		      &cause, "cannot record minutes 4242: no such meeting");
	assert_failed(store_meeting_set_next_topic(s, 4242, 1, &cause), &cause,
		      "cannot set next topic 4242: no such meeting");
	assert_failed(store_meeting_set_next_topic(s, a, -1, &cause), &cause,
		      "cannot set next topic: invalid topic number -1");
	assert_failed(store_meeting_set_amended(s, 4242, &cause), &cause,
		      "cannot mark minutes amended 4242: no such meeting");
	/* The failed calls changed nothing. */
	assert_int_equal(store_meeting_get(s, a, &m, &found, &cause), 0);
	assert_int_equal(m.next_topic, 3);
	meeting_release(&m);
}

static void
test_items(void **state)
{
	struct store *s = *state;
	struct meeting_item *m;
	char *cause = NULL;
	int64_t c1 = channel(s, "C1");
	int64_t a = start(s, c1, T0), b = start(s, channel(s, "C2"), T0);
	int64_t id1, id2, act;
	size_t n;

	assert_int_equal(store_action_add(s, c1, a, "bob", "u-bob", "fix DNS",
					  NULL, "alice", T0, &act, &cause),
			 0);
	assert_int_equal(store_meeting_item_add(s, a, MEETING_LINE, "alice",
						"hello", T0 + 1, "post-1", 0,
						&id1, &cause),
			 0);
	id2 = item(s, a, MEETING_ACTION, "alice", "@bob fix DNS", act);
	assert_true(id1 < id2);
	item(s, a, MEETING_TOPIC, "bob", "DNS", 0);
	item(s, b, MEETING_INFO, "carol", "elsewhere", 0);
	/* No id wanted. */
	assert_int_equal(store_meeting_item_add(s, a, MEETING_LINK, "bob",
						"https://x", T0, NULL, 0, NULL,
						&cause),
			 0);

	assert_int_equal(store_meeting_item_list(s, a, &m, &n, &cause), 0);
	assert_int_equal(n, 4);
	assert_int_equal(m[0].id, id1);
	assert_int_equal(m[0].meeting_id, a);
	assert_int_equal(m[0].kind, MEETING_LINE);
	assert_string_equal(m[0].user_name, "alice");
	assert_string_equal(m[0].text, "hello");
	assert_int_equal(m[0].at, T0 + 1);
	assert_string_equal(m[0].post_id, "post-1");
	assert_int_equal(m[0].action_id, 0);
	assert_int_equal(m[1].kind, MEETING_ACTION);
	assert_int_equal(m[1].action_id, act);
	assert_null(m[1].post_id);
	assert_int_equal(m[2].kind, MEETING_TOPIC);
	assert_int_equal(m[3].kind, MEETING_LINK);
	meeting_item_list_free(m, n);
	assert_log(s, b, "elsewhere");
	assert_log(s, 4242, "");
}

static void
test_item_errors(void **state)
{
	struct store *s = *state;
	char *cause = NULL;
	int64_t a = start(s, channel(s, "C1"), T0);
	int64_t id = -7;

	assert_failed(store_meeting_item_add(s, a, -1, "alice", "x", T0, NULL,
					     0, &id, &cause),
		      &cause, "cannot add meeting item: invalid kind -1");
	assert_failed(store_meeting_item_add(s, a, MEETING_KIND_COUNT, "alice",
					     "x", T0, NULL, 0, &id, &cause),
		      &cause, "cannot add meeting item: invalid kind");
	assert_failed(store_meeting_item_add(s, a, MEETING_ACTION, "alice", "x",
					     T0, NULL, 0, &id, &cause),
		      &cause, "an action needs its action item");
	assert_failed(store_meeting_item_add(s, a, MEETING_INFO, "alice", "x",
					     T0, NULL, 5, &id, &cause),
		      &cause, "only an action has an action item");
	assert_failed(store_meeting_item_add(s, 4242, MEETING_INFO, "alice",
					     "x", T0, NULL, 0, &id, &cause),
		      &cause, "cannot add meeting item: FOREIGN KEY");
	assert_failed(store_meeting_item_add(s, a, MEETING_INFO, NULL, "x", T0,
					     NULL, 0, &id, &cause),
		      &cause, "cannot add meeting item: NOT NULL");
	assert_failed(store_meeting_item_add(s, a, MEETING_INFO, "alice", NULL,
					     T0, NULL, 0, &id, &cause),
		      &cause, "cannot add meeting item: NOT NULL");
	assert_int_equal(id, -7);
	assert_log(s, a, "");
}

/* /meeting undo: the newest recorded item, by one user or by anyone. */
static void
test_undo(void **state)
{
	struct store *s = *state;
	struct meeting_item last;
	struct action_item ai;
	char *cause = NULL;
	int64_t c1 = channel(s, "C1");
	int64_t a = start(s, c1, T0), b = start(s, channel(s, "C2"), T0);
	int64_t info, act_item, act, topic;
	int found = -1;

	/* Nothing recorded yet: lines do not count. */
	item(s, a, MEETING_LINE, "alice", "hi", 0);
	assert_int_equal(
	    store_meeting_item_last(s, a, NULL, &last, &found, &cause), 0);
	assert_int_equal(found, 0);

	info = item(s, a, MEETING_INFO, "alice", "info-a", 0);
	assert_int_equal(store_action_add(s, c1, a, "bob", NULL, "act-b", NULL,
					  "bob", T0, &act, &cause),
			 0);
	act_item = item(s, a, MEETING_ACTION, "bob", "act-b", act);
	topic = item(s, a, MEETING_TOPIC, "carol", "topic-c", 0);
	item(s, a, MEETING_LINE, "alice", "line-a", 0);
	item(s, a, MEETING_LINE, "bob", "line-b", 0);
	item(s, b, MEETING_INFO, "alice", "other meeting", 0);

	/* By anyone: carol's topic; lines after it are skipped. */
	assert_int_equal(
	    store_meeting_item_last(s, a, NULL, &last, &found, &cause), 0);
	assert_int_equal(found, 1);
	assert_int_equal(last.id, topic);
	assert_string_equal(last.user_name, "carol");
	assert_string_equal(last.text, "topic-c");
	meeting_item_release(&last);

	/* By user. */
	assert_int_equal(
	    store_meeting_item_last(s, a, "alice", &last, &found, &cause), 0);
	assert_int_equal(found, 1);
	assert_int_equal(last.id, info);
	meeting_item_release(&last);
	assert_int_equal(
	    store_meeting_item_last(s, a, "bob", &last, &found, &cause), 0);
	assert_int_equal(found, 1);
	assert_int_equal(last.id, act_item);
	assert_int_equal(last.kind, MEETING_ACTION);
	assert_int_equal(last.action_id, act);
	meeting_item_release(&last);
	assert_int_equal(
	    store_meeting_item_last(s, a, "dave", &last, &found, &cause), 0);
	assert_int_equal(found, 0);

	/* Undo bob's action: the item leaves the log, its action goes. */
	assert_int_equal(store_meeting_item_remove(s, act_item, &cause), 0);
	assert_int_equal(store_action_get(s, c1, act, &ai, &found, &cause), 0);
	assert_int_equal(found, 0);
	assert_log(s, a, "hi info-a topic-c line-a line-b");
	assert_int_equal(
	    store_meeting_item_last(s, a, "bob", &last, &found, &cause), 0);
	assert_int_equal(found, 0);

	/* Undo again by anyone: carol's, then alice's, then nothing. */
	assert_int_equal(store_meeting_item_remove(s, topic, &cause), 0);
	assert_int_equal(
	    store_meeting_item_last(s, a, NULL, &last, &found, &cause), 0);
	assert_int_equal(found, 1);
	assert_int_equal(last.id, info);
	meeting_item_release(&last);
	assert_int_equal(store_meeting_item_remove(s, info, &cause), 0);
	assert_int_equal(
	    store_meeting_item_last(s, a, NULL, &last, &found, &cause), 0);
	assert_int_equal(found, 0);
	assert_log(s, a, "hi line-a line-b");

	/* Removing twice, or what does not exist, is an error. */
	assert_failed(store_meeting_item_remove(s, info, &cause), &cause,
		      "cannot remove meeting item");
	assert_failed(store_meeting_item_remove(s, 4242, &cause), &cause,
		      "cannot remove meeting item 4242: no such item");
	assert_log(s, b, "other meeting");
}

/* Removing inside a unit of work is undone with it. */
static void
test_undo_rollback(void **state)
{
	struct store *s = *state;
	struct action_item ai;
	char *cause = NULL;
	int64_t c1 = channel(s, "C1");
	int64_t a = start(s, c1, T0);
	int64_t act, it;
	int found;

	assert_int_equal(store_action_add(s, c1, a, NULL, NULL, "x", NULL,
					  "alice", T0, &act, &cause),
			 0);
	it = item(s, a, MEETING_ACTION, "alice", "x", act);
	assert_int_equal(store_begin(s, &cause), 0);
	assert_int_equal(store_meeting_item_remove(s, it, &cause), 0);
	assert_log(s, a, "");
	store_rollback(s);
	assert_log(s, a, "x");
	assert_int_equal(store_action_get(s, c1, act, &ai, &found, &cause), 0);
	assert_int_equal(found, 1);
	action_item_release(&ai);

	/* An error inside a unit leaves its earlier work alone. */
	assert_int_equal(store_begin(s, &cause), 0);
	item(s, a, MEETING_INFO, "bob", "y", 0);
	assert_failed(store_meeting_item_remove(s, 4242, &cause), &cause,
		      "no such item");
	assert_int_equal(store_commit(s, &cause), 0);
	assert_log(s, a, "x y");
}

static void
test_speakers(void **state)
{
	struct store *s = *state;
	struct meeting_speaker *sp;
	char *cause = NULL;
	int64_t a = start(s, channel(s, "C1"), T0);
	int64_t b = start(s, channel(s, "C2"), T0);
	int64_t undone;
	size_t n;

	assert_int_equal(store_meeting_speakers(s, a, &sp, &n, &cause), 0);
	assert_int_equal(n, 0);
	assert_null(sp);

	item(s, a, MEETING_LINE, "carol", "1", 0);
	item(s, a, MEETING_LINE, "bob", "2", 0);
	item(s, a, MEETING_INFO, "bob", "3", 0);
	undone = item(s, a, MEETING_IDEA, "alice", "4", 0);
	item(s, a, MEETING_LINE, "alice", "5", 0);
	item(s, a, MEETING_LINE, "dave", "6", 0);
	item(s, a, MEETING_AGREED, "bob", "7", 0);
	item(s, b, MEETING_LINE, "carol", "8", 0);
	/* An undone item was still said. */
	assert_int_equal(store_meeting_item_remove(s, undone, &cause), 0);

	assert_int_equal(store_meeting_speakers(s, a, &sp, &n, &cause), 0);
	assert_int_equal(n, 4);
	assert_string_equal(sp[0].user_name, "bob");
	assert_int_equal(sp[0].lines, 3);
	assert_string_equal(sp[1].user_name, "alice");
	assert_int_equal(sp[1].lines, 2);
	/* Equal counts by name. */
	assert_string_equal(sp[2].user_name, "carol");
	assert_int_equal(sp[2].lines, 1);
	assert_string_equal(sp[3].user_name, "dave");
	assert_int_equal(sp[3].lines, 1);
	meeting_speaker_list_free(sp, n);
}

static void
test_marks(void **state)
{
	struct store *s = *state;
	struct meeting_mark *m;
	char *cause = NULL;
	int64_t a = start(s, channel(s, "C1"), T0);
	int64_t b = start(s, channel(s, "C2"), T0);
	size_t n;

	assert_int_equal(store_meeting_marks(s, a, &m, &n, &cause), 0);
	assert_int_equal(n, 0);
	assert_null(m);

	assert_int_equal(store_meeting_mark(s, a, "carol", 1, &cause), 0);
	assert_int_equal(store_meeting_mark(s, a, "alice", 0, &cause), 0);
	/* The last one wins; any non-zero is present. */
	assert_int_equal(store_meeting_mark(s, a, "carol", 0, &cause), 0);
	assert_int_equal(store_meeting_mark(s, a, "alice", 7, &cause), 0);
	assert_int_equal(store_meeting_mark(s, b, "bob", 1, &cause), 0);

	assert_int_equal(store_meeting_marks(s, a, &m, &n, &cause), 0);
	assert_int_equal(n, 2);
	assert_string_equal(m[0].user_name, "alice");
	assert_int_equal(m[0].present, 1);
	assert_string_equal(m[1].user_name, "carol");
	assert_int_equal(m[1].present, 0);
	meeting_mark_list_free(m, n);

	assert_failed(store_meeting_mark(s, 4242, "bob", 1, &cause), &cause,
		      "cannot mark attendance: FOREIGN KEY");
	assert_failed(store_meeting_mark(s, a, NULL, 1, &cause), &cause,
		      "cannot mark attendance: NOT NULL");
	assert_int_equal(store_meeting_marks(s, a, &m, &n, &cause), 0);
	assert_int_equal(n, 2);
	meeting_mark_list_free(m, n);
}

static void
test_ratings(void **state)
{
	struct store *s = *state;
	char *cause = NULL;
	int64_t a = start(s, channel(s, "C1"), T0);
	int64_t b = start(s, channel(s, "C2"), T0);
	double avg = -1;
	int count = -1;

	assert_int_equal(store_rating_summary(s, a, &count, &avg, &cause), 0);
	assert_int_equal(count, 0);
	assert_true(avg == 0);

	assert_int_equal(store_rating_set(s, a, "alice", 5, T0, &cause), 0);
	assert_int_equal(store_rating_set(s, a, "bob", 2, T0, &cause), 0);
	assert_int_equal(store_rating_set(s, b, "bob", 1, T0, &cause), 0);
	assert_int_equal(store_rating_summary(s, a, &count, &avg, &cause), 0);
	assert_int_equal(count, 2);
	assert_true(avg > 3.49 && avg < 3.51);

	/* A second rating replaces the first. */
	assert_int_equal(store_rating_set(s, a, "bob", 4, T0 + 5, &cause), 0);
	assert_int_equal(store_rating_summary(s, a, &count, &avg, &cause), 0);
	assert_int_equal(count, 2);
	assert_true(avg > 4.49 && avg < 4.51);
	assert_int_equal(store_rating_summary(s, b, &count, &avg, &cause), 0);
	assert_int_equal(count, 1);
	assert_true(avg > 0.99 && avg < 1.01);

	assert_failed(store_rating_set(s, a, "carol", 0, T0, &cause), &cause,
		      "cannot rate meeting: rating 0 is not 1 to 5");
	assert_failed(store_rating_set(s, a, "carol", 6, T0, &cause), &cause,
		      "cannot rate meeting: rating 6 is not 1 to 5");
	assert_failed(store_rating_set(s, a, "bob", -3, T0, &cause), &cause,
		      "rating -3 is not 1 to 5");
	assert_failed(store_rating_set(s, 4242, "carol", 3, T0, &cause), &cause,
		      "cannot rate meeting: FOREIGN KEY");
	assert_failed(store_rating_set(s, a, NULL, 3, T0, &cause), &cause,
		      "cannot rate meeting: NOT NULL");
	/* Nothing changed. */
	assert_int_equal(store_rating_summary(s, a, &count, &avg, &cause), 0);
	assert_int_equal(count, 2);
	assert_true(avg > 4.49 && avg < 4.51);
}

/* Without the tables (version 0) every call fails, saying why. */
static void
test_no_tables(void **state)
{
	struct meeting_speaker *sp;
	struct meeting_item *items, last;
	struct meeting_mark *marks;
	struct meeting *list, m;
	char *cause = NULL, *md;
	struct store *s;
	double avg;
	size_t n;
	int found, count;

	(void)state;
	s = store_open_at(":memory:", 0, &cause);
	assert_non_null(s);
	assert_failed(store_meeting_start(s, 1, "t", "a", T0, NULL, &cause),
		      &cause, "no such table: meetings");
	assert_failed(store_meeting_running(s, 1, &m, &found, &cause), &cause,
		      "no such table");
	assert_failed(store_meeting_get(s, 1, &m, &found, &cause), &cause,
		      "no such table");
	assert_failed(store_meeting_last_ended(s, 1, &m, &found, &cause),
		      &cause, "no such table");
	assert_failed(store_meeting_end(s, 1, T0, 0, &cause), &cause,
		      "no such table");
	assert_failed(store_meeting_stale(s, T0, &list, &n, &cause), &cause,
		      "no such table");
	assert_failed(store_meeting_set_minutes(s, 1, 1, "x", &cause), &cause,
		      "no such table");
	assert_failed(store_meeting_minutes(s, 1, &md, &cause), &cause,
		      "no such table");
	assert_failed(store_meeting_set_next_topic(s, 1, 1, &cause), &cause,
		      "no such table");
	assert_failed(store_meeting_set_amended(s, 1, &cause), &cause,
		      "no such table");
	assert_failed(store_meeting_item_add(s, 1, MEETING_INFO, "a", "x", T0,
					     NULL, 0, NULL, &cause),
		      &cause, "no such table");
	assert_failed(store_meeting_item_list(s, 1, &items, &n, &cause), &cause,
		      "no such table");
	assert_failed(
	    store_meeting_item_last(s, 1, NULL, &last, &found, &cause), &cause,
	    "no such table");
	assert_failed(store_meeting_item_remove(s, 1, &cause), &cause,
		      "no such table");
	assert_failed(store_meeting_speakers(s, 1, &sp, &n, &cause), &cause,
		      "no such table");
	assert_failed(store_meeting_mark(s, 1, "a", 1, &cause), &cause,
		      "no such table");
	assert_failed(store_meeting_marks(s, 1, &marks, &n, &cause), &cause,
		      "no such table");
	assert_failed(store_rating_set(s, 1, "a", 1, T0, &cause), &cause,
		      "no such table");
	assert_failed(store_rating_summary(s, 1, &count, &avg, &cause), &cause,
		      "no such table");
	store_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_start_get, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_start_errors, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_one_running, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_end_cancel, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_stale, setup, teardown),
		cmocka_unit_test_setup_teardown(test_minutes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_items, setup, teardown),
		cmocka_unit_test_setup_teardown(test_item_errors, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_undo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_undo_rollback, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_speakers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_marks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ratings, setup, teardown),
		cmocka_unit_test(test_no_tables),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
