/* SPDX-License-Identifier: MIT */
/*
 * test-meeting-run.c: whole meetings through the real dispatcher and the
 * recorder, with the fake clock: "#" lines said in the channel and
 * /meeting commands, the reactions and posts they produce, attendance
 * against the roster with a member on leave, undo, present/absent
 * corrections, the minutes posted at the end (compared with golden files
 * in English and Chinese), who may end or cancel, and the bad inputs,
 * refused with their reason.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "golden.h"
#include "harness.h"
#include "lihui/meeting.h"
#include "lihui/xmalloc.h"

#define GOLDEN_DIR "tests/fixtures/meeting/"
#define ALICE	   "[ephemeral @alice] "
#define BOB	   "[ephemeral @bob] "
/* Monday 2026-11-30 10:00 UTC: the channel's default meeting time. */
#define MONDAY_10 1796032800

/*
 * The minutes: the first channel post of out, without its "[channel] "
 * (the rating question that follows them is a post of its own).
 */
static char *
minutes_of(const char *out)
{
	const char *p = strstr(out, "[channel] "), *end;

	assert_non_null(p);
	p += strlen("[channel] ");
	end = strstr(p, "\n[channel] ");
	return end != NULL ? xstrndup(p, (size_t)(end - p + 1)) : xstrdup(p);
}

/* A meeting: roster, leave, lines, items, corrections, then the end. */
static void
hold_meeting(struct tb *tb, const char *golden)
{
	char *md;

	tb_cmd(tb, "alice",
	       "/meeting roster add @alice @bob @carol @dave "
	       "@erin");
	tb_cmd(tb, "erin", "/report away until 2026-12-04");
	tb_clock_set(tb, MONDAY_10);
	tb_cmd(tb, "alice", "/meeting start Weekly ops sync");
	tb_clock_set(tb, MONDAY_10 + 60);
	tb_say(tb, "alice", "good morning everyone");
	tb_say(tb, "bob", "#info the release went out on Friday");
	tb_say(tb, "alice", "#topic Pricing change");
	tb_say(tb, "carol", "#idea a yearly plan with two months free");
	tb_say(tb, "bob", "#agreed Raise the price by 5% from January");
	tb_say(tb, "alice", "#action @bob fri Prepare the budget draft");
	tb_say(tb, "carol", "#link https://example.com/pricing the sheet");
	tb_clock_set(tb, MONDAY_10 + 1800);
	tb_cmd(tb, "alice", "/meeting topic Office move");
	tb_cmd(tb, "bob", "/meeting note the lease ends in March");
	tb_cmd(tb, "bob", "/meeting action Book the meeting room");
	tb_cmd(tb, "bob", "/meeting decide wrong decision");
	tb_cmd(tb, "bob", "/meeting undo");
	tb_cmd(tb, "alice", "/meeting present @dave");
	tb_cmd(tb, "alice", "/meeting absent @carol");
	tb_say(tb, "carol", "sorry, I have to leave");
	tb_clock_set(tb, MONDAY_10 + 3900);
	md = minutes_of(tb_cmd(tb, "alice", "/meeting end"));
	golden_check(GOLDEN_DIR, golden, md);
	free(md);
}

static void
test_whole_meeting_en(void **state)
{
	hold_meeting(*state, "ops-en.md");
}

static void
test_whole_meeting_zh(void **state)
{
	struct tb *tb = *state;

	tb_cmd(tb, "alice", "/meeting config locale zh_CN");
	hold_meeting(tb, "ops-zh_CN.md");
}

/* A line over MEETING_LINE_MAX is kept as a whole-character prefix. */
static void
long_line_is_cut(struct tb *tb)
{
	struct meeting_item *items = NULL;
	char *line, *cause = NULL;
	size_t n = 0, i;

	/* 3-byte characters: the limit falls inside one. */
	line = xmalloc(3 * 10000 + 1);
	for (i = 0; i < 10000; i++)
		memcpy(line + 3 * i, "会", 3);
	line[3 * 10000] = '\0';
	assert_string_equal(tb_say(tb, "carol", line), "");
	free(line);
	assert_int_equal(
	    store_meeting_item_list(tb->store, 1, &items, &n, &cause), 0);
	assert_true(n > 0);
	assert_int_equal(strlen(items[n - 1].text), 16383);
	assert_int_equal(MEETING_LINE_MAX, 16384);
	meeting_item_list_free(items, n);
}

/* What each step posts: reactions for "#" lines, posts for commands. */
static void
test_recording(void **state)
{
	struct tb *tb = *state;

	TB_SAID(tb,
		{ "alice", "/meeting start",
		  "[channel] Meeting 1 started: Weekly meeting (chair "
		  "@alice). Lines starting with #topic #info #idea #agreed "
		  "#action #link are recorded; /meeting end posts the "
		  "minutes.\n" },
		{ "bob", "/meeting note first note",
		  "[channel] Noted: first note\n" },
		{ "bob", "/meeting decide we ship",
		  "[channel] Decision recorded: we ship\n" },
		{ "bob", "/meeting action @carol tomorrow call the vendor",
		  "[channel] Action item recorded: @carol tomorrow call the "
		  "vendor\n" },
		{ "bob", "/meeting topic Budget", "[channel] Topic: Budget\n" },
		{ "bob", "/meeting undo",
		  "[channel] Removed the topic by @bob: Budget\n" });
	assert_string_equal(tb_say(tb, "carol", "#议题 预算"),
			    "[reaction :white_check_mark: on post1]\n");
	assert_string_equal(tb_say(tb, "carol", "just talking"), "");
	long_line_is_cut(tb);
	assert_string_equal(
	    tb_say(tb, "carol", "#agreed"),
	    "[ephemeral @carol] Not recorded: #agreed needs a text.\n");
	assert_string_equal(
	    tb_say(tb, "carol", "#action @ nothing"),
	    "[ephemeral @carol] Not recorded: '@' is not a user name.\n");
}

static void
test_without_meeting(void **state)
{
	struct tb *tb = *state;

	/* Lines outside a meeting are not kept: nothing happens. */
	assert_string_equal(tb_say(tb, "bob", "#agreed nothing"), "");
	TB_REFUSED(tb,
		   { "bob", "/meeting note x",
		     BOB "No meeting is "
			 "running here; start "
			 "one with /meeting "
			 "start [title]\n" },
		   { "bob", "/meeting end",
		     BOB "No meeting is running here; "
			 "start one with /meeting "
			 "start [title]\n" },
		   { "bob", "/meeting minutes",
		     BOB "No meeting has ended in this channel yet\n" },
		   { "bob", "/meeting minutes 7",
		     BOB "No ended meeting 7 in this channel\n" });
}

static void
test_permissions_and_bad_input(void **state)
{
	struct tb *tb = *state;

	tb_cmd(tb, "alice", "/meeting start");
	TB_REFUSED(
	    tb,
	    { "alice", "/meeting start again",
	      ALICE "Meeting 1 is already running here (started by @alice); "
		    "end it with /meeting end\n" },
	    { "bob", "/meeting end",
	      BOB "Only the chair (@alice) or the leads may end the "
		  "meeting\n" },
	    { "bob", "/meeting cancel",
	      BOB "Only the chair (@alice) or the leads may cancel the "
		  "meeting\n" },
	    { "bob", "/meeting undo", BOB "Nothing of yours to undo\n" },
	    { "bob", "/meeting present dave",
	      BOB "each name must look like @user; usage: /meeting present "
		  "@user ...\n" },
	    { "bob", "/meeting action @bob",
	      BOB "say what is to be done; usage: /meeting action [@owner] "
		  "[due] <text>\n" },
	    { "bob", "/meeting next",
	      BOB "The agenda has no more topics; name one with /meeting "
		  "topic <title>\n" });
	/* The chair may undo anyone's item; cancel posts no minutes. */
	tb_cmd(tb, "bob", "/meeting note bob's note");
	TB_SAID(tb,
		{ "alice", "/meeting undo",
		  "[channel] Removed the info by @bob: bob's note\n" },
		{ "alice", "/meeting cancel",
		  "[channel] Meeting 1 cancelled; no minutes.\n" });
	TB_SAID(tb,
		{ "alice", "/meeting start Second",
		  "[channel] Meeting 2 started: Second (chair @alice). "
		  "Lines starting with #topic #info #idea #agreed #action "
		  "#link are recorded; /meeting end posts the minutes.\n" });
}

/* The chair amends ended minutes for a day; the minutes post is edited. */
static void
test_amend(void **state)
{
	struct tb *tb = *state;
	const char *out;
	char *again;
	int64_t *posts = NULL, first_post;
	size_t n = 0;
	char *cause = NULL;

	tb_users(tb, "alice bob carol");
	tb_clock_set(tb, TB_NOW);
	tb_cmd(tb, "alice", "/meeting start Short");
	tb_say(tb, "bob", "#agreed keep it short");
	tb_cmd(tb, "alice", "/meeting end");
	assert_int_equal(
	    store_meeting_minutes_posts(tb->store, 1, &posts, &n, &cause), 0);
	assert_int_equal(n, 1);
	first_post = posts[0];
	free(posts);

	TB_REFUSED(tb,
		   { "bob", "/meeting amend 1 note forgot this",
		     BOB "Only the chair (@alice) or the leads may amend the "
			 "minutes\n" },
		   { "alice", "/meeting amend 2 note x",
		     ALICE "No ended meeting 2 in this channel\n" },
		   { "alice", "/meeting amend 1 shout x",
		     ALICE "say note, decide or action; usage: /meeting amend "
			   "<meeting number> note|decide|action <text>\n" },
		   { "alice", "/meeting amend 1 action @dave call",
		     ALICE "there is no user @dave here; usage: /meeting amend "
			   "<meeting number> note|decide|action <text>\n" });

	tb_clock_set(tb, TB_NOW + 3600);
	out =
	    tb_cmd(tb, "alice", "/meeting amend 1 action @carol fri call them");
	assert_non_null(strstr(out, ALICE "Amended the minutes of meeting 1: "
					  "the post in the channel is being "
					  "updated.\n"));
	assert_non_null(strstr(out, "[edit] "));
	assert_non_null(strstr(out, "call them"));
	assert_non_null(strstr(out, "These minutes were amended"));
	/* The edit names the minutes' first post. */
	assert_int_equal(
	    store_meeting_minutes_posts(tb->store, 1, &posts, &n, &cause), 0);
	assert_int_equal(n, 1);
	assert_int_equal(posts[0], first_post);
	free(posts);
	again = minutes_of(tb_cmd(tb, "bob", "/meeting minutes 1"));
	assert_non_null(strstr(again, "call them"));
	assert_non_null(strstr(again, "These minutes were amended"));
	free(again);
	out = tb_cmd(tb, "alice", "/meeting amend 1 decide 也要记下");
	assert_non_null(strstr(out, "也要记下"));

	tb_clock_set(tb, TB_NOW + 25 * 3600);
	TB_REFUSED(tb, { "alice", "/meeting amend 1 note too late",
			 ALICE "Meeting 1 ended more than a day ago; its "
			       "minutes can no longer be amended\n" });
}

/* The next agenda reviews the meeting's action items and other open
 * ones: overdue (with the days), open, closed since. */
static void
test_agenda_review(void **state)
{
	struct tb *tb = *state;
	char *cause = NULL;
	const char *out;

	tb_clock_set(tb, MONDAY_10);
	tb_say(tb, "alice", "no meeting yet, not kept");
	tb_cmd(tb, "alice", "/meeting start");
	tb_say(tb, "alice", "#action @bob 2026-12-02 Prepare the budget draft");
	tb_say(tb, "alice", "#action @carol 2026-12-20 Book the venue");
	tb_say(tb, "alice", "#action Renew the certificate");
	tb_say(tb, "alice", "#action @dave Send the survey");
	tb_cmd(tb, "alice", "/meeting end");
	assert_int_equal(store_action_set_state(tb->store, 4, ACTION_DONE, NULL,
						MONDAY_10 + 7200, &cause),
			 0);
	/* An open item of an older meeting stays in the review. */
	tb_cmd(tb, "alice", "/meeting start Second");
	tb_say(tb, "bob", "#action @erin 2026-12-01 Water the plants");
	tb_cmd(tb, "alice", "/meeting end");
	assert_int_equal(store_action_set_state(tb->store, 5, ACTION_DROPPED,
						"moved", MONDAY_10 + 7300,
						&cause),
			 0);
	tb_cmd(tb, "alice", "/meeting start Third");
	tb_say(tb, "bob", "#action @bob Order the pizza");
	tb_cmd(tb, "alice", "/meeting end");
	assert_int_equal(store_action_set_state(tb->store, 6, ACTION_DONE, NULL,
						MONDAY_10 + 7400, &cause),
			 0);
	/* Friday 2026-12-04: the budget draft is 2 days late. */
	tb_clock_set(tb, MONDAY_10 + 4 * 86400);
	out = tb_cmd(tb, "alice", "/agenda");
	assert_non_null(strstr(out, "(10 min)\n"
				    "**Overdue**\n"
				    "- #1 @bob: Prepare the budget draft (due "
				    "2026-12-02, **2 days overdue**)\n"
				    "**Open**\n"
				    "- #2 @carol: Book the venue (due "
				    "2026-12-20)\n"
				    "- #3 unassigned: Renew the certificate\n"
				    "**Closed since the last meeting**\n"
				    "- #6 @bob: Order the pizza (done)\n\n"));
	/* Closed items of older meetings are not repeated. */
	assert_null(strstr(out, "Send the survey"));
	assert_null(strstr(out, "Water the plants"));
}

/* Owners must be users the platform knows; causes speak the channel's
 * language. */
static void
test_unknown_owner(void **state)
{
	struct tb *tb = *state;
	struct action_item it;
	char *cause = NULL;
	int found = 0;

	tb_users(tb, "alice bob carol");
	tb_cmd(tb, "alice", "/meeting start");
	TB_REFUSED(tb,
		   { "bob", "/meeting action @dave fri call the vendor",
		     BOB "there is no user @dave here; usage: /meeting action "
			 "[@owner] [due] <text>\n" });
	assert_string_equal(
	    tb_say(tb, "carol", "#action @dave call the vendor"),
	    "[ephemeral @carol] Not recorded: there is no user @dave here.\n");
	/* A known owner is stored with the id the platform gave. */
	assert_string_equal(tb_say(tb, "carol", "#action @Bob call the vendor"),
			    "[reaction :white_check_mark: on post2]\n");
	assert_int_equal(store_action_get(tb->store, 1, 1, &it, &found, &cause),
			 0);
	assert_true(found);
	assert_string_equal(it.owner, "Bob");
	assert_string_equal(it.owner_id, "id-bob");
	action_item_release(&it);
	/* Without an owner: the chair is asked to assign it. */
	assert_string_equal(
	    tb_say(tb, "carol", "#action Book the room"),
	    "[dm @alice] Action item #2 of the meeting in #ops has no owner "
	    "yet: Book the room\nAssign it: /action assign 2 @user\n"
	    "[reaction :white_check_mark: on post3]\n");
	/* One's own name needs no lookup. */
	assert_string_equal(tb_say(tb, "carol", "#action @carol write it up"),
			    "[reaction :white_check_mark: on post4]\n");

	tb_cmd(tb, "alice", "/meeting config locale zh_CN");
	assert_string_equal(
	    tb_say(tb, "carol", "#行动 @dave 打电话"),
	    "[ephemeral @carol] 未记录：这里没有用户 @dave。\n");
	assert_string_equal(
	    tb_say(tb, "carol", "#决议"),
	    "[ephemeral @carol] 未记录：#决议 后面需要内容。\n");
}

/* /meeting next takes the agenda's topics in order. */
static void
test_next_topic(void **state)
{
	struct tb *tb = *state;

	tb_cmd(tb, "alice", "/agenda add Pricing @bob 15m");
	tb_cmd(tb, "alice", "/agenda add Hiring 10m");
	tb_cmd(tb, "alice", "/meeting start");
	TB_SAID(tb, { "alice", "/meeting next", "[channel] Topic: Pricing\n" },
		{ "alice", "/meeting next", "[channel] Topic: Hiring\n" });
	TB_REFUSED(tb, { "alice", "/meeting next",
			 ALICE "The agenda has no more topics; name one with "
			       "/meeting topic <title>\n" });
}

/* The minutes can be posted again, also by number. */
static void
test_minutes_again(void **state)
{
	struct tb *tb = *state;
	char *first, *again, *by_id;

	tb_cmd(tb, "alice", "/meeting start Short");
	tb_say(tb, "bob", "#agreed keep it short");
	first = minutes_of(tb_cmd(tb, "alice", "/meeting end"));
	again = minutes_of(tb_cmd(tb, "bob", "/meeting minutes"));
	by_id = minutes_of(tb_cmd(tb, "bob", "/meeting minutes 1"));
	assert_string_equal(first, again);
	assert_string_equal(first, by_id);
	assert_non_null(strstr(first, "keep it short"));
	free(first);
	free(again);
	free(by_id);
}

/* A meeting nobody ends is ended after meeting_timeout hours. */
static void
test_forgotten_meeting(void **state)
{
	struct tb *tb = *state;
	char *out, *first, *again;

	tb_cmd(tb, "alice", "/meeting start Forgotten");
	tb_say(tb, "bob", "#agreed nobody ends this");
	tb_clock_set(tb, TB_NOW + 4 * 3600 - 60);
	assert_int_equal(meeting_close_stale(&tb->bot, tb->now), 0);
	tb_clock_set(tb, TB_NOW + 4 * 3600);
	assert_int_equal(meeting_close_stale(&tb->bot, tb->now), 1);
	out = xstrdup(tb_say(tb, "bob", "anyone there?"));
	assert_non_null(strstr(out, "[channel] #### Minutes of meeting 1: "
				    "Forgotten\n"));
	assert_non_null(strstr(out, "lihui closed this meeting automatically"));
	assert_non_null(strstr(out, "nobody ends this"));
	assert_non_null(strstr(out, "[channel] How useful was this meeting?"));
	assert_int_equal(meeting_close_stale(&tb->bot, tb->now), 0);
	again = minutes_of(tb_cmd(tb, "bob", "/meeting minutes 1"));
	first = minutes_of(out);
	assert_string_equal(again, first);
	free(again);
	free(first);
	free(out);
}

/* The rating: asked once after the minutes, shown in the next agenda. */
static void
test_rating(void **state)
{
	struct tb *tb = *state;
	const char *out;

	TB_REFUSED(tb, { "bob", "/meeting rate 4",
			 BOB "No meeting has ended in this channel yet\n" });
	tb_cmd(tb, "alice", "/meeting start");
	out = tb_cmd(tb, "alice", "/meeting end");
	assert_non_null(strstr(out, "[channel] How useful was this meeting? "
				    "Rate it from 1 to 5 with /meeting rate "
				    "<1-5>.\n"));
	/* Re-posting the minutes does not ask again. */
	assert_null(
	    strstr(tb_cmd(tb, "bob", "/meeting minutes"), "How useful"));
	TB_SAID(tb,
		{ "bob", "/meeting rate 4",
		  BOB "Thanks: you rated meeting 1 4 of 5.\n" },
		{ "carol", "/meeting rate 2",
		  "[ephemeral @carol] Thanks: you rated meeting 1 2 of 5.\n" },
		{ "bob", "/meeting rate 5",
		  BOB "Thanks: you rated meeting 1 5 of 5.\n" });
	TB_REFUSED(tb,
		   { "bob", "/meeting rate 6",
		     BOB "give a number from 1 to 5; usage: /meeting rate "
			 "<1-5>\n" },
		   { "bob", "/meeting rate good",
		     BOB "give a number from 1 to 5; usage: /meeting rate "
			 "<1-5>\n" });
	/* bob's second rating replaced his first: (5 + 2) / 2. */
	assert_non_null(
	    strstr(tb_cmd(tb, "alice", "/agenda"),
		   "The last meeting was rated 3.5 of 5 (2 ratings).\n"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_whole_meeting_en, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_whole_meeting_zh, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_recording, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_without_meeting, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_permissions_and_bad_input,
						tb_setup, tb_teardown),
		cmocka_unit_test_setup_teardown(test_agenda_review, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_amend, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_unknown_owner, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_next_topic, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_minutes_again, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_forgotten_meeting,
						tb_setup, tb_teardown),
		cmocka_unit_test_setup_teardown(test_rating, tb_setup,
						tb_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
