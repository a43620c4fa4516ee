/* SPDX-License-Identifier: MIT */
/*
 * test-action.c: the "/action" group through the real dispatcher, with
 * the fake clock: adding items (with and without owner and deadline, in
 * English and Chinese), the list and its filters (mine, @user, overdue,
 * all; unassigned last; empty lists; long lists cut), done, drop, reopen,
 * due and assign with who may use them (owner, creator, the leads, the
 * chair of the item's meeting; others refused), unknown @names, wrong
 * numbers, another channel's items, bad dates and over-long texts, each
 * refused with its reason and storing nothing; and items recorded in a
 * meeting, listed and closed here.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "lihui/event.h"
#include "lihui/xmalloc.h"

#define ALICE "[ephemeral @alice] "
#define BOB   "[ephemeral @bob] "
#define CAROL "[ephemeral @carol] "
#define DAVE  "[ephemeral @dave] "
#define ERIN  "[ephemeral @erin] "
/* TB_NOW is Thursday 2026-11-26 08:00 UTC; Monday 2026-11-30 08:00. */
#define MONDAY	     (TB_NOW + 4 * 86400)
#define ADD_USAGE    "usage: /action add [@owner] [due] <text>\n"
#define ADD_USAGE_ZH "用法：/action add [@责任人] [截止日期] <内容>\n"
#define NOT_YOURS(n)                                                           \
	"Only its owner, its creator or a chair may change action item #" n    \
	".\n"

/* Make user an admin (a lead) of every channel. */
static void
add_admin(struct tb *tb, const char *user)
{
	tb->config.admins[tb->config.n_admins++] = xstrdup(user);
}

/* Three items: #1 owned by bob, #2 unassigned, #3 owned by carol. */
static void
three_items(struct tb *tb)
{
	TB_SAID(tb,
		{ "alice", "/action add @bob fri Prepare the budget draft",
		  "[channel] @alice added an action item: #1 @bob — Prepare "
		  "the budget draft (due Fri 2026-11-27)\n" },
		{ "alice", "/action add Book the room",
		  "[channel] @alice added an action item: #2 unassigned — "
		  "Book the room\n" ALICE "Nobody owns action item #2 yet; "
		  "give it to someone with /action assign 2 @user\n" },
		{ "bob", "/action add @carol 2026-12-10 Write the notes",
		  "[channel] @bob added an action item: #3 @carol — Write the "
		  "notes (due Thu 2026-12-10)\n" });
}

static void
test_add_and_list(void **state)
{
	struct tb *tb = *state;

	tb_users(tb, "alice bob carol");
	three_items(tb);
	TB_SAID(tb,
		{ "bob", "/action",
		  BOB "**Open action items (3)**\n"
		      "- #1 @bob — Prepare the budget draft (due Fri "
		      "2026-11-27)\n"
		      "- #3 @carol — Write the notes (due Thu 2026-12-10)\n"
		      "- #2 unassigned — Book the room\n" },
		{ "bob", "/action list mine",
		  BOB "**Your open action items (1)**\n"
		      "- #1 @bob — Prepare the budget draft (due Fri "
		      "2026-11-27)\n" },
		{ "alice", "/action list mine",
		  ALICE "You have no open action items.\n" },
		{ "alice", "/action list @carol",
		  ALICE
		  "**Open action items of @carol (1)**\n"
		  "- #3 @carol — Write the notes (due Thu 2026-12-10)\n" },
		{ "alice", "/action list @alice",
		  ALICE "@alice has no open action items.\n" },
		{ "alice", "/action list overdue",
		  ALICE "No action item is overdue.\n" },
		{ "alice", "/action add @alice today Call the vendor\nback",
		  "[channel] @alice added an action item: #4 @alice — Call "
		  "the vendor back (due Thu 2026-11-26, today)\n" });
	tb_snapshot_is(
	    tb, "channel ops en UTC 31\n"
		"action 1 0 bob id-bob 2026-11-27 alice 0 Prepare the budget "
		"draft | -\n"
		"action 2 0 - - - alice 0 Book the room | -\n"
		"action 3 0 carol id-carol 2026-12-10 bob 0 Write the notes | "
		"-\n"
		"action 4 0 alice alice 2026-11-26 alice 0 Call the "
		"vendor\nback | -\n");
}

static void
test_add_and_list_zh(void **state)
{
	struct tb *tb = *state;

	tb_users(tb, "alice bob carol");
	tb_cmd(tb, "alice", "/meeting config locale zh_CN");
	TB_SAID(
	    tb,
	    { "alice", "/action 添加 @bob 周五 准备预算草案",
	      "[channel] @alice 添加了行动项：#1 @bob — 准备预算草案（截止 "
	      "2026-11-27 周五）\n" },
	    { "alice", "/action 添加 订会议室",
	      "[channel] @alice 添加了行动项：#2 未指派 — 订会议室\n" ALICE
	      "行动项 #2 还没有责任人；请用 /action assign 2 @用户 指派\n" },
	    { "bob", "/action 列表",
	      BOB "**未完成的行动项（2）**\n"
		  "- #1 @bob — 准备预算草案（截止 2026-11-27 周五）\n"
		  "- #2 未指派 — 订会议室\n" },
	    { "bob", "/action 列表 我的",
	      BOB "**你未完成的行动项（1）**\n"
		  "- #1 @bob — 准备预算草案（截止 2026-11-27 周五）\n" },
	    { "carol", "/action 列表 我的", CAROL "你没有未完成的行动项。\n" },
	    { "carol", "/action 列表 @carol",
	      CAROL "@carol 没有未完成的行动项。\n" },
	    { "carol", "/action 列表 逾期", CAROL "没有逾期的行动项。\n" },
	    { "bob", "/action 完成 1 已发给财务",
	      "[channel] @bob 完成了行动项：#1 @bob — "
	      "准备预算草案（截止 2026-11-27 周五） — 已完成：已发给财务\n" },
	    { "alice", "/action 放弃 2",
	      "[channel] @alice 放弃了行动项：#2 未指派 — 订会议室 — "
	      "已放弃\n" },
	    { "alice", "/action 重开 2",
	      "[channel] @alice 重新打开了行动项：#2 未指派 — 订会议室\n" },
	    { "alice", "/action 指派 2 @carol",
	      "[channel] @alice 指派了行动项：#2 @carol — 订会议室\n" },
	    { "alice", "/action 截止 2 3天后",
	      "[channel] @alice 设置了行动项的截止日期：#2 @carol — "
	      "订会议室（截止 2026-11-29 周日）\n" },
	    { "alice", "/action 截止 2 无",
	      "[channel] @alice 清除了行动项的截止日期：#2 @carol — "
	      "订会议室\n" },
	    { "alice", "/action 列表 全部",
	      ALICE "**全部行动项（2）**\n"
		    "- #1 @bob — 准备预算草案（截止 2026-11-27 周五） — "
		    "已完成：已发给财务\n"
		    "- #2 @carol — 订会议室\n" });
	TB_REFUSED(
	    tb,
	    { "alice", "/action 添加 @dave 周五 准备",
	      ALICE "这里没有用户 @dave。\n" },
	    { "carol", "/action 完成 1",
	      CAROL "只有责任人、创建人或主持人可以修改行动项 #1。\n" },
	    { "bob", "/action 完成 1", BOB "行动项 #1 已经完成了。\n" },
	    { "bob", "/action 完成 9",
	      BOB "本频道没有行动项 #9；/action list 可列出行动项\n" },
	    { "bob", "/action 完成 九",
	      BOB "“九”不是行动项编号；/action list 可列出行动项\n" },
	    { "alice", "/action 截止 2 某天",
	      ALICE "无法识别日期“某天”；可以写 2026-12-07、12-07、fri、周五、"
		    "tomorrow、明天、in 3 days、next week 或 下周一\n" },
	    { "alice", "/action 添加 @bob",
	      ALICE "请写明要做什么；" ADD_USAGE_ZH },
	    { "alice", "/action 列表 某人",
	      ALICE "请写 mine（我的）、@用户、overdue（逾期）或 all（全部）；"
		    "用法：/action list [mine 我的|@用户|overdue 逾期|all "
		    "全部]\n" });
}

/* An @name the platform does not know is refused, showing the name. */
static void
test_unknown_user(void **state)
{
	struct tb *tb = *state;

	tb_users(tb, "alice bob carol");
	three_items(tb);
	TB_REFUSED(tb,
		   { "alice", "/action add @dave fri Prepare the budget",
		     ALICE "There is no user @dave here.\n" },
		   { "alice", "/action assign 1 @dave",
		     ALICE "There is no user @dave here.\n" },
		   { "alice", "/action list @dave",
		     ALICE "There is no user @dave here.\n" },
		   { "alice", "/action add @bob! fri Prepare",
		     ALICE "'@bob!' is not a user name; " ADD_USAGE },
		   { "alice", "/action assign 1 bob",
		     ALICE "'bob' is not a user name; usage: /action assign "
			   "<n> @user\n" },
		   { "alice", "/action add @bob",
		     ALICE "say what is to be done; " ADD_USAGE },
		   { "alice", "/action add @bob tomorrow",
		     ALICE "say what is to be done; " ADD_USAGE });
}

/*
 * Names the adapter could not look up are taken as written (no user id);
 * without a user directory (the console) every name is.
 */
static void
test_unchecked_user(void **state)
{
	struct tb *tb = *state;
	struct chat_mention m = { .name = "dave",
				  .user_id = NULL,
				  .state = CHAT_USER_UNCHECKED };
	struct chat_event ev;

	memset(&ev, 0, sizeof ev);
	ev.kind = CHAT_COMMAND;
	ev.channel_key = "ops";
	ev.channel_name = "ops";
	ev.user_id = "alice";
	ev.user_name = "alice";
	ev.trigger = "action";
	ev.text = "add @dave fri Prepare the budget draft";
	ev.names_checked = 1;
	ev.mentions = &m;
	ev.n_mentions = 1;
	bot_handle_event(&tb->bot, &ev);
	/* What the event queued comes out with the next command's. */
	tb_expect(tb, "bob", "/action add @erin Book the room",
		  "[channel] @alice added an action item: #1 @dave — Prepare "
		  "the budget draft (due Fri 2026-11-27)\n"
		  "[channel] @bob added an action item: #2 @erin — Book the "
		  "room\n");
	tb_snapshot_is(tb, "channel ops en UTC 31\n"
			   "action 1 0 dave - 2026-11-27 alice 0 Prepare the "
			   "budget draft | -\n"
			   "action 2 0 erin - - bob 0 Book the room | -\n");
}

/* Who may change an item: owner, creator, leads; nobody else. */
static void
test_permissions(void **state)
{
	struct tb *tb = *state;

	tb_users(tb, "alice bob carol dave erin");
	three_items(tb);
	/* Without configured leads, nobody chairs an item of no meeting. */
	TB_REFUSED(tb, { "carol", "/action done 1", CAROL NOT_YOURS("1") },
		   { "carol", "/action drop 1", CAROL NOT_YOURS("1") },
		   { "carol", "/action due 1 tomorrow", CAROL NOT_YOURS("1") },
		   { "carol", "/action assign 1 @carol", CAROL NOT_YOURS("1") },
		   { "erin", "/action done 2", ERIN NOT_YOURS("2") });
	TB_SAID(tb,
		/* the owner */
		{ "bob", "/action done #1 sent to finance",
		  "[channel] @bob marked an action item done: #1 @bob — "
		  "Prepare the budget draft (due Fri 2026-11-27) — done: sent "
		  "to finance\n" },
		/* the creator */
		{ "alice", "/action reopen 1",
		  "[channel] @alice reopened an action item: #1 @bob — "
		  "Prepare the budget draft (due Fri 2026-11-27)\n" },
		{ "bob", "/action assign 1 @carol",
		  "[channel] @bob assigned an action item: #1 @carol — "
		  "Prepare the budget draft (due Fri 2026-11-27)\n" },
		/* the new owner */
		{ "carol", "/action due 1 2026-12-04",
		  "[channel] @carol set the deadline of an action item: #1 "
		  "@carol — Prepare the budget draft (due Fri 2026-12-04)\n" });
	/* bob is neither owner nor creator of #1 any more. */
	TB_REFUSED(tb, { "bob", "/action drop 1", BOB NOT_YOURS("1") });
	add_admin(tb, "dave");
	TB_SAID(tb,
		{ "dave", "/action drop 1 no longer needed",
		  "[channel] @dave dropped an action item: #1 @carol — Prepare "
		  "the budget draft (due Fri 2026-12-04) — dropped: no longer "
		  "needed\n" },
		{ "dave", "/action assign 2 @erin",
		  "[channel] @dave assigned an action item: #2 @erin — Book "
		  "the room\n" });
	TB_REFUSED(tb, { "bob", "/action done 2", BOB NOT_YOURS("2") });
	tb_snapshot_is(tb, "channel ops en UTC 31\n"
			   "action 1 2 carol id-carol 2026-12-04 alice 0 "
			   "Prepare the budget draft | no longer needed\n"
			   "action 2 0 erin id-erin - alice 0 Book the room | "
			   "-\n"
			   "action 3 0 carol id-carol 2026-12-10 bob 0 Write "
			   "the notes | -\n");
}

/* Items recorded in a meeting: listed here; its chair may close them. */
static void
test_meeting_items(void **state)
{
	struct tb *tb = *state;
	const char *out;

	tb_cmd(tb, "carol", "/meeting start");
	tb_cmd(tb, "bob", "/meeting action @bob fri Call the vendor");
	out = tb_say(tb, "alice", "#action @erin Update the wiki");
	assert_non_null(strstr(out, "[reaction"));
	tb_cmd(tb, "carol", "/meeting end");
	TB_SAID(tb, { "erin", "/action list",
		      ERIN "**Open action items (2)**\n"
			   "- #1 @bob — Call the vendor (due Fri 2026-11-27)\n"
			   "- #2 @erin — Update the wiki\n" });
	/* dave is no one to #1; carol chaired the meeting it came from. */
	TB_REFUSED(tb, { "dave", "/action done 1", DAVE NOT_YOURS("1") });
	TB_SAID(
	    tb,
	    { "carol", "/action done 1",
	      "[channel] @carol marked an action item done: #1 @bob — "
	      "Call the vendor (due Fri 2026-11-27) — done\n" },
	    { "erin", "/action done 2 see the new page",
	      "[channel] @erin marked an action item done: #2 @erin — "
	      "Update the wiki — done: see the new page\n" },
	    { "erin", "/action list", ERIN "No open action items here.\n" });
	/* A meeting's chair is no chair of items added outside it. */
	tb_cmd(tb, "alice", "/action add @bob Something else");
	TB_REFUSED(tb, { "carol", "/action drop 3", CAROL NOT_YOURS("3") });
}

/* Numbers that are no items here, and states that forbid the change. */
static void
test_wrong_ids_and_states(void **state)
{
	struct tb *tb = *state;
	struct channel defaults, dev;
	char *cause = NULL;
	int64_t id = 0;

	bot_channel_defaults(&tb->config, &defaults);
	assert_int_equal(store_channel_ensure(tb->store, "dev", "dev",
					      &defaults, &dev, &cause),
			 0);
	assert_int_equal(store_action_add(tb->store, dev.id, 0, "bob", NULL,
					  "Another channel's item", NULL, "bob",
					  TB_NOW, &id, &cause),
			 0);
	channel_release(&dev);
	assert_int_equal(id, 1);
	tb_cmd(tb, "alice", "/action add @bob fri Prepare the budget draft");
	tb_cmd(tb, "alice", "/action add @bob Book the room");
	tb_cmd(tb, "alice", "/action add @bob Order the chairs");
	tb_cmd(tb, "alice", "/action done 3");
	tb_cmd(tb, "alice", "/action drop 2");
	TB_REFUSED(
	    tb,
	    { "bob", "/action done 1",
	      BOB "There is no action item #1 in this channel; /action list "
		  "shows them\n" },
	    { "bob", "/action done 99",
	      BOB "There is no action item #99 in this channel; /action list "
		  "shows them\n" },
	    { "bob", "/action done x",
	      BOB "'x' is not an action item number; /action list shows "
		  "them\n" },
	    { "bob", "/action done 0",
	      BOB "'0' is not an action item number; /action list shows "
		  "them\n" },
	    { "bob", "/action reopen -2",
	      BOB "'-2' is not an action item number; /action list shows "
		  "them\n" },
	    { "bob", "/action done #",
	      BOB "'#' is not an action item number; /action list shows "
		  "them\n" },
	    { "bob", "/action done 99999999999999999999",
	      BOB "'99999999999999999999' is not an action item number; "
		  "/action list shows them\n" },
	    { "bob", "/action done 3",
	      BOB "Action item #3 is already done.\n" },
	    { "bob", "/action drop 2",
	      BOB "Action item #2 is already dropped.\n" },
	    { "bob", "/action done 2",
	      BOB "Action item #2 is closed; reopen it first with /action "
		  "reopen 2\n" },
	    { "bob", "/action drop 3",
	      BOB "Action item #3 is closed; reopen it first with /action "
		  "reopen 3\n" },
	    { "bob", "/action due 3 tomorrow",
	      BOB "Action item #3 is closed; reopen it first with /action "
		  "reopen 3\n" },
	    { "bob", "/action assign 3 @carol",
	      BOB "Action item #3 is closed; reopen it first with /action "
		  "reopen 3\n" },
	    { "bob", "/action reopen 4",
	      BOB "Action item #4 is already open.\n" },
	    { "bob", "/action done",
	      BOB "missing arguments; usage: /action done <n> [note]\n" },
	    { "bob", "/action reopen 4 5",
	      BOB "too many arguments; usage: /action reopen <n>\n" },
	    { "bob", "/action due 4",
	      BOB "missing arguments; usage: /action due <n> <date>|none\n" },
	    { "bob", "/action list mine all",
	      BOB "too many arguments; usage: /action list "
		  "[mine|@user|overdue|all]\n" },
	    { "bob", "/action list everything",
	      BOB "say mine, @user, overdue or all; usage: /action list "
		  "[mine|@user|overdue|all]\n" });
	assert_string_equal(tb_dm(tb, "bob", "action list"),
			    "[ephemeral @bob] use /action list in your team's "
			    "channel, not in a direct message\n");
}

static void
test_due(void **state)
{
	struct tb *tb = *state;

	tb_cmd(tb, "alice", "/action add @bob Prepare the budget draft");
	TB_SAID(tb,
		{ "bob", "/action due 1 in 3 days",
		  "[channel] @bob set the deadline of an action item: #1 @bob "
		  "— Prepare the budget draft (due Sun 2026-11-29)\n" },
		{ "bob", "/action due 1 2026 年 12 月 7 日",
		  "[channel] @bob set the deadline of an action item: #1 @bob "
		  "— Prepare the budget draft (due Mon 2026-12-07)\n" },
		{ "bob", "/action due 1 today",
		  "[channel] @bob set the deadline of an action item: #1 @bob "
		  "— Prepare the budget draft (due Thu 2026-11-26, today)\n" },
		{ "bob", "/action due 1 none",
		  "[channel] @bob cleared the deadline of an action item: #1 "
		  "@bob — Prepare the budget draft\n" });
	TB_REFUSED(
	    tb,
	    { "bob", "/action due 1 someday",
	      BOB "cannot read the date 'someday'; use 2026-12-07, 12-07, "
		  "fri, 周五, tomorrow, 明天, in 3 days, next week or "
		  "下周一\n" },
	    { "bob", "/action due 1 2026-02-30",
	      BOB "cannot read the date '2026-02-30'; use 2026-12-07, 12-07, "
		  "fri, 周五, tomorrow, 明天, in 3 days, next week or "
		  "下周一\n" },
	    { "bob", "/action due 1 2026-11-25",
	      BOB "2026-11-25 is in the past\n" },
	    { "bob", "/action add @bob 2026-01-05 Too late",
	      BOB "2026-01-05 is in the past\n" },
	    { "bob",
	      "/action due 1 in 3 days and a very long tail of words here",
	      BOB "too many arguments; usage: /action due <n> <date>|none\n" });
}

/* overdue: open items due before today in the channel's zone. */
static void
test_overdue(void **state)
{
	struct tb *tb = *state;

	tb_cmd(tb, "alice", "/action add @bob fri Prepare the budget draft");
	tb_cmd(tb, "alice", "/action add @carol 2026-11-28 Book the room");
	tb_cmd(tb, "alice", "/action add 2026-11-29 Order the chairs");
	tb_cmd(tb, "alice", "/action add @bob 2026-11-30 Call the vendor");
	tb_cmd(tb, "alice", "/action add @bob 2026-11-27 Already done");
	tb_cmd(tb, "alice", "/action done 5");
	tb_clock_set(tb, MONDAY);
	TB_SAID(
	    tb,
	    { "bob", "/action list overdue",
	      BOB "**Overdue action items (3)**\n"
		  "- #1 @bob — Prepare the budget draft (due Fri "
		  "2026-11-27, overdue 3 days)\n"
		  "- #2 @carol — Book the room (due Sat 2026-11-28, overdue "
		  "2 days)\n"
		  "- #3 unassigned — Order the chairs (due Sun 2026-11-29, "
		  "overdue 1 day)\n" },
	    { "bob", "/action list @bob",
	      BOB "**Open action items of @bob (2)**\n"
		  "- #1 @bob — Prepare the budget draft (due Fri "
		  "2026-11-27, overdue 3 days)\n"
		  "- #4 @bob — Call the vendor (due Mon 2026-11-30, "
		  "today)\n" },
	    { "bob", "/action list all",
	      BOB "**All action items (5)**\n"
		  "- #1 @bob — Prepare the budget draft (due Fri "
		  "2026-11-27, overdue 3 days)\n"
		  "- #2 @carol — Book the room (due Sat 2026-11-28, overdue "
		  "2 days)\n"
		  "- #4 @bob — Call the vendor (due Mon 2026-11-30, today)\n"
		  "- #5 @bob — Already done (due Fri 2026-11-27) — done\n"
		  "- #3 unassigned — Order the chairs (due Sun 2026-11-29, "
		  "overdue 1 day)\n" });
	/* In Honolulu it is still Sunday 22:00. */
	tb_cmd(tb, "alice", "/meeting config timezone Pacific/Honolulu");
	TB_SAID(tb,
		{ "bob", "/action list @bob",
		  BOB "**Open action items of @bob (2)**\n"
		      "- #1 @bob — Prepare the budget draft (due Fri "
		      "2026-11-27, overdue 2 days)\n"
		      "- #4 @bob — Call the vendor (due Mon 2026-11-30)\n" });
}

static void
test_empty_lists(void **state)
{
	struct tb *tb = *state;

	TB_SAID(tb, { "bob", "/action", BOB "No open action items here.\n" },
		{ "bob", "/action list all",
		  BOB "This channel has no action items yet.\n" },
		{ "bob", "/action list overdue",
		  BOB "No action item is overdue.\n" });
}

/* Texts over the limits are refused before anything is stored. */
static void
test_too_long(void **state)
{
	struct tb *tb = *state;
	char *line, *want;
	size_t n = 4100, head;

	tb_cmd(tb, "alice", "/action add @bob Prepare the budget draft");
	/* The dispatcher refuses a command over max_text (4000 bytes). */
	line = xmalloc(n + 1);
	head = (size_t)snprintf(line, n + 1, "/action add @bob ");
	memset(line + head, 'x', n - head);
	line[n] = '\0';
	want = xasprintf(ALICE "that is too long (%zu bytes; at most 4000); "
			       "please shorten it\n",
			 n - strlen("/action "));
	tb_expect_refused(tb, "alice", line, want);
	free(want);
	/* With a larger max_text, the item's own limit still holds. */
	tb->config.max_text = 8000;
	tb_expect_refused(tb, "alice", line,
			  ALICE "the text is too long; " ADD_USAGE);
	head = (size_t)snprintf(line, n + 1, "/action done 1 ");
	memset(line + head, 'x', n - head);
	line[n] = '\0';
	tb_expect_refused(tb, "alice", line,
			  ALICE "the text is too long; usage: /action done <n> "
				"[note]\n");
	free(line);
}

/* A long list shows ACTION_LIST_SHOWN items and counts the rest. */
static void
test_long_list(void **state)
{
	struct tb *tb = *state;
	const char *out;
	char line[64];
	int i;

	for (i = 1; i <= 103; i++) {
		snprintf(line, sizeof line, "/action add @bob Task number %d",
			 i);
		tb_cmd(tb, "alice", line);
	}
	out = tb_cmd(tb, "bob", "/action list");
	assert_non_null(strstr(out, "**Open action items (103)**\n"));
	assert_non_null(strstr(out, "- #100 @bob — Task number 100\n"));
	assert_null(strstr(out, "- #101 "));
	assert_non_null(strstr(out, "… and 3 more; narrow the list with "
				    "/action list mine, @user or overdue\n"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_add_and_list, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_add_and_list_zh, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_unknown_user, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_unchecked_user, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_permissions, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_meeting_items, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_wrong_ids_and_states,
						tb_setup, tb_teardown),
		cmocka_unit_test_setup_teardown(test_due, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_overdue, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_empty_lists, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_too_long, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_long_list, tb_setup,
						tb_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
