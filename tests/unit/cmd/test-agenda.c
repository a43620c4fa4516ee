/* SPDX-License-Identifier: MIT */
/*
 * test-agenda.c: the "/agenda" group through the real dispatcher: queued
 * topics (owner and time box in either order), removing them, previewing
 * and posting the agenda in English and Chinese, and the agenda built from
 * the store: member reports, metrics against the previous meeting, the
 * roster's missing reports and who is on leave. Every bad input is refused
 * with its reason and stores nothing.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define ZH_CN "/meeting config locale zh_CN"
/* Monday 2026-11-30 11:00:01 UTC: that meeting is over. */
#define AFTER_MEETING (TB_NOW + 4 * 86400 + 3 * 3600 + 1)

#define ME "[ephemeral @alice] "

#define EMPTY_EN                                                               \
	"#### Weekly meeting — ops\n"                                        \
	"**Mon 2026-11-30 10:00 (UTC), 60 min**\n"                             \
	"\n"                                                                   \
	"##### 1. Review of last meeting's action items (10 min)\n"            \
	"No open action items.\n"                                              \
	"\n"                                                                   \
	"##### Time\n"                                                         \
	"Planned: 10 of 60 min (review 10 + topics 0)\n"                       \
	"\n"                                                                   \
	"##### Not reported yet\n"                                             \
	"Nobody is on the roster yet: add the members with /lihui meeting "    \
	"roster add @name.\n"                                                  \
	"\n"

#define EMPTY_ZH                                                                             \
	"#### 例会议程 — ops\n"                                                        \
	"**2026-11-30 周一 10:00（UTC），60 分钟**\n"                                 \
	"\n"                                                                                 \
	"##### 1. 上次会议行动项跟进（10 分钟）\n"                              \
	"暂无待跟进的行动项。\n"                                                   \
	"\n"                                                                                 \
	"##### 时间安排\n"                                                               \
	"已安排 10 分钟，会议时长 60 分钟（跟进 10 + "                        \
	"议题 0）\n"                                                                      \
	"\n"                                                                                 \
	"##### 未提交汇报\n"                                                            \
	"名单还是空的：请用 /lihui meeting roster add @用户名 添加成员。\n" \
	"\n"

/* The preview is the same under every name, and only the user sees it. */
static void
test_show(void **state)
{
	static const char *const lines[] = { "/agenda", "/agenda show",
					     "/agenda 预览", "/lihui agenda" };
	struct tb *tb = *state;
	char *before;
	size_t i;

	before = tb_snapshot(tb);
	for (i = 0; i < sizeof lines / sizeof lines[0]; i++)
		assert_string_equal(tb_cmd(tb, "alice", lines[i]), ME EMPTY_EN);
	assert_string_equal(tb_say(tb, "bob", "@lihui agenda"),
			    "[ephemeral @bob] " EMPTY_EN);
	tb_snapshot_is(tb, before);
	free(before);
	tb_cmd(tb, "alice", ZH_CN);
	assert_string_equal(tb_cmd(tb, "alice", "/agenda 预览"), ME EMPTY_ZH);
}

static void
test_post(void **state)
{
	struct tb *tb = *state;
	char *before;

	before = tb_snapshot(tb);
	assert_string_equal(tb_cmd(tb, "alice", "/agenda post"),
			    "[channel] " EMPTY_EN ME
			    "The agenda is posted in the channel.\n");
	tb_snapshot_is(tb, before);
	free(before);
	tb_cmd(tb, "alice", ZH_CN);
	assert_string_equal(tb_cmd(tb, "bob", "/agenda 发布"),
			    "[channel] " EMPTY_ZH
			    "[ephemeral @bob] 议程已发布到频道。\n");
}

static void
test_add(void **state)
{
	struct tb *tb = *state;

	TB_SAID(
	    tb,
	    { "alice", "/agenda add Pricing change @bob 15m",
	      ME "Added topic 1: Pricing change (15 min)\n" },
	    { "alice", "/agenda add Hiring plan 20m @carol",
	      ME "Added topic 2: Hiring plan (20 min)\n" },
	    { "alice", "/agenda add Budget",
	      ME "Added topic 3: Budget (10 "
		 "min)\n" },
	    { "bob", "/agenda add \"Q3 plan\" 30min",
	      "[ephemeral @bob] Added topic 4: \"Q3 plan\" (30 min)\n" },
	    { "alice", "/agenda 添加 定价调整 15分钟 @dave",
	      ME "Added topic 5: 定价调整 (15 min)\n" },
	    { "alice",
	      "/agenda add 招聘\xe3\x80\x80@erin\xe3\x80\x80"
	      "5分",
	      ME "Added topic 6: 招聘 (5 min)\n" },
	    { "alice", "/agenda add Retro @bob",
	      ME "Added topic 7: Retro "
		 "(10 min)\n" },
	    /* Only the last words are the owner and the time box. */
	    { "alice", "/agenda add Ask @bob about 5m",
	      ME "Added topic 8: Ask @bob about (5 min)\n" },
	    { "alice", "/agenda add 15m", ME "Added topic 9: 15m (10 min)\n" },
	    { "alice", "/agenda add Long 240m",
	      ME "Added topic 10: Long (240 "
		 "min)\n" });
	tb_snapshot_is(tb, "channel ops en UTC 31\n"
			   "topic Pricing change bob 15\n"
			   "topic Hiring plan carol 20\n"
			   "topic Budget - 10\n"
			   "topic \"Q3 plan\" - 30\n"
			   "topic 定价调整 dave 15\n"
			   "topic 招聘 erin 5\n"
			   "topic Retro bob 10\n"
			   "topic Ask @bob about - 5\n"
			   "topic 15m - 10\n"
			   "topic Long - 240\n");
	tb_cmd(tb, "alice", ZH_CN);
	TB_SAID(tb, { "alice", "/agenda 添加 复盘 @bob 5m",
		      ME "已添加议题 11：复盘（5 分钟）\n" });
}

static const char long_title[] =
    "/agenda add "
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "xxx @bob 5m";

static void
test_add_bad(void **state)
{
	struct tb *tb = *state;

	TB_REFUSED(
	    tb,
	    { "alice", "/agenda add",
	      ME "missing arguments; usage: /agenda add <title> [@owner] "
		 "[<n>m]\n" },
	    { "alice", "/agenda 添加  ",
	      ME "missing arguments; usage: /agenda add <title> [@owner] "
		 "[<n>m]\n" },
	    { "alice", "/agenda add Quick 0m",
	      ME "the time box must be 1 to 240 minutes; usage: /agenda "
		 "add <title> [@owner] [<n>m]\n" },
	    { "alice", "/agenda add Long 241m @bob",
	      ME "the time box must be 1 to 240 minutes; usage: /agenda "
		 "add <title> [@owner] [<n>m]\n" },
	    { "alice", "/agenda add Huge 99999999999999999999999m",
	      ME "the time box must be 1 to 240 minutes; usage: /agenda "
		 "add <title> [@owner] [<n>m]\n" },
	    { "alice", long_title,
	      ME "the title is too long; usage: /agenda add <title> "
		 "[@owner] [<n>m]\n" },
	    { "alice", "/agenda show now",
	      ME "too many arguments; usage: /agenda show\n" },
	    { "alice", "/agenda post now",
	      ME "too many arguments; usage: /agenda post\n" });
	tb_cmd(tb, "alice", ZH_CN);
	TB_REFUSED(tb,
		   { "alice", "/agenda 添加",
		     ME "缺少参数；用法：/agenda add <标题> [@负责人] "
			"[<分钟数>m]\n" },
		   { "alice", "/agenda 添加 快速 0分钟",
		     ME
		     "时长必须在 1 到 240 分钟之间；用法：/agenda add <标题> "
		     "[@负责人] [<分钟数>m]\n" },
		   { "alice", long_title,
		     ME "标题太长；用法：/agenda add <标题> [@负责人] "
			"[<分钟数>m]\n" },
		   { "alice", "/agenda 预览 现在",
		     ME "参数过多；用法：/agenda show\n" },
		   { "alice", "/agenda 发布 现在",
		     ME "参数过多；用法：/agenda post\n" });
	tb_snapshot_is(tb, "channel ops zh_CN UTC 31\n");
}

static void
test_remove(void **state)
{
	struct tb *tb = *state;

	TB_REFUSED(tb,
		   { "alice", "/agenda remove 1",
		     ME "no topics are queued for the next meeting\n" },
		   { "alice", "/agenda remove",
		     ME "missing arguments; usage: /agenda remove <n>\n" },
		   { "alice", "/agenda 删除 1 2",
		     ME "too many arguments; usage: /agenda remove <n>\n" });
	tb_cmd(tb, "alice", "/agenda add A");
	tb_cmd(tb, "alice", "/agenda add B @bob");
	tb_cmd(tb, "alice", "/agenda add C 5m");
	TB_REFUSED(tb,
		   { "alice", "/agenda remove 4",
		     ME "'4' is not a topic number (1 to 3); /agenda lists "
			"them\n" },
		   { "alice", "/agenda remove 0",
		     ME "'0' is not a topic number (1 to 3); /agenda lists "
			"them\n" },
		   { "alice", "/agenda remove B",
		     ME "'B' is not a topic number (1 to 3); /agenda lists "
			"them\n" },
		   { "alice", "/agenda remove -1",
		     ME "'-1' is not a topic number (1 to 3); /agenda lists "
			"them\n" });
	TB_SAID(tb, { "bob", "/agenda remove 2",
		      "[ephemeral @bob] Removed topic 2: B\n" });
	tb_snapshot_is(tb, "channel ops en UTC 31\n"
			   "topic A - 10\n"
			   "topic C - 5\n");
	tb_cmd(tb, "alice", ZH_CN);
	TB_SAID(tb, { "alice", "/agenda 删除 2", ME "已删除议题 2：C\n" });
	TB_REFUSED(tb, { "alice", "/agenda 删除 2",
			 ME "“2”不是议题编号（1 到 1）；/agenda "
			    "可查看全部议题\n" });
	tb_snapshot_is(tb, "channel ops zh_CN UTC 31\n"
			   "topic A - 10\n");
}

/* Reports of the week before, for the "vs" values. */
static void
last_week(struct tb *tb)
{
	tb_cmd(tb, "alice", "/meeting roster add @alice @bob @carol @dave");
	tb_cmd(tb, "bob", "/report metric signups=1000 conversion=3%");
	tb_cmd(tb, "bob", "/report done last week's work");
	tb_cmd(tb, "dave", "/report done dave's work");
	tb_clock_set(tb, AFTER_MEETING);
}

#define FULL_EN                                                                \
	"#### Weekly meeting — ops\n"                                        \
	"**Mon 2026-12-07 10:00 (UTC), 60 min**\n"                             \
	"\n"                                                                   \
	"##### 1. Review of last meeting's action items (10 min)\n"            \
	"No open action items.\n"                                              \
	"\n"                                                                   \
	"##### Key metrics\n"                                                  \
	"- conversion 3.5% (+0.5 pt vs 3%) — @bob\n"                         \
	"- latency 200ms (new) — @bob\n"                                     \
	"- signups 1240 (+24% vs 1000) — @bob\n"                             \
	"\n"                                                                   \
	"##### Member reports\n"                                               \
	"###### @bob\n"                                                        \
	"- **Done**\n"                                                         \
	"  - Shipped login\n"                                                  \
	"\n"                                                                   \
	"###### @alice\n"                                                      \
	"- **Plan**\n"                                                         \
	"  - Launch A/B test\n"                                                \
	"\n"                                                                   \
	"##### Problems and blockers\n"                                        \
	"- Waiting for assets — @bob (can help: @alice @carol)\n"            \
	"\n"                                                                   \
	"##### Resource needs\n"                                               \
	"- 1 designer — @alice\n"                                            \
	"\n"                                                                   \
	"##### Topics\n"                                                       \
	"1. Pricing change — @bob (15 min)\n"                                \
	"2. Hiring (20 min)\n"                                                 \
	"\n"                                                                   \
	"##### Time\n"                                                         \
	"Planned: 45 of 60 min (review 10 + topics 35)\n"                      \
	"\n"                                                                   \
	"##### Not reported yet\n"                                             \
	"@dave\n"                                                              \
	"\n"                                                                   \
	"##### On leave\n"                                                     \
	"- @carol (until 2026-12-07)\n"                                        \
	"\n"

#define FULL_ZH                                                                     \
	"#### 例会议程 — ops\n"                                               \
	"**2026-12-07 周一 10:00（UTC），60 分钟**\n"                        \
	"\n"                                                                        \
	"##### 1. 上次会议行动项跟进（10 分钟）\n"                     \
	"暂无待跟进的行动项。\n"                                          \
	"\n"                                                                        \
	"##### 关键数据\n"                                                      \
	"- conversion 3.5%（+0.5 个百分点，上期 3%） — @bob\n"           \
	"- latency 200ms（新增） — @bob\n"                                    \
	"- signups 1240（+24%，上期 1000） — @bob\n"                         \
	"\n"                                                                        \
	"##### 成员汇报\n"                                                      \
	"###### @bob\n"                                                             \
	"- **已完成**\n"                                                         \
	"  - Shipped login\n"                                                       \
	"\n"                                                                        \
	"###### @alice\n"                                                           \
	"- **计划**\n"                                                            \
	"  - Launch A/B test\n"                                                     \
	"\n"                                                                        \
	"##### 问题与挑战\n"                                                   \
	"- Waiting for assets — @bob（可协助：@alice @carol）\n"            \
	"\n"                                                                        \
	"##### 资源需求\n"                                                      \
	"- 1 designer — @alice\n"                                                 \
	"\n"                                                                        \
	"##### 议题\n"                                                            \
	"1. Pricing change — @bob（15 分钟）\n"                               \
	"2. Hiring（20 分钟）\n"                                                \
	"\n"                                                                        \
	"##### 时间安排\n"                                                      \
	"已安排 45 分钟，会议时长 60 分钟（跟进 10 + 议题 35）\n" \
	"\n"                                                                        \
	"##### 未提交汇报\n"                                                   \
	"@dave\n"                                                                   \
	"\n"                                                                        \
	"##### 请假\n"                                                            \
	"- @carol（至 2026-12-07）\n"                                            \
	"\n"

/*
 * The agenda of the next meeting, built from what the members reported:
 * last week's reports are gone from it, last week's metrics are the "vs"
 * values, the roster member on leave is listed as such and not as
 * missing.
 */
static void
test_full_agenda(void **state)
{
	struct tb *tb = *state;

	last_week(tb);
	tb_cmd(tb, "bob", "/report done Shipped login");
	tb_cmd(tb, "bob", "/report blocker Waiting for assets @alice @carol");
	tb_cmd(tb, "bob",
	       "/report metric signups=1240 conversion=3.5% latency=200ms");
	tb_cmd(tb, "alice", "/report plan Launch A/B test");
	tb_cmd(tb, "alice", "/report need 1 designer");
	tb_cmd(tb, "carol", "/report away until 2026-12-07");
	tb_cmd(tb, "alice", "/agenda add Pricing change @bob 15m");
	tb_cmd(tb, "alice", "/agenda add Hiring 20m");
	assert_string_equal(tb_cmd(tb, "alice", "/agenda"), ME FULL_EN);
	assert_string_equal(tb_cmd(tb, "erin", "/agenda post"),
			    "[channel] " FULL_EN
			    "[ephemeral @erin] The agenda is posted in the "
			    "channel.\n");
	tb_cmd(tb, "alice", ZH_CN);
	assert_string_equal(tb_cmd(tb, "alice", "/agenda 预览"), ME FULL_ZH);
	assert_string_equal(tb_cmd(tb, "dave", "/agenda 发布"),
			    "[channel] " FULL_ZH
			    "[ephemeral @dave] 议程已发布到频道。\n");
}

/* Leave that ends before the meeting does not excuse a missing report. */
static void
test_leave_and_roster(void **state)
{
	struct tb *tb = *state;
	const char *out;

	tb_cmd(tb, "alice", "/meeting roster add @alice @bob @carol");
	tb_cmd(tb, "bob", "/report done x");
	tb_cmd(tb, "alice", "/report away until fri");
	tb_cmd(tb, "carol", "/report away until 2026-11-30");
	out = tb_cmd(tb, "alice", "/agenda");
	assert_non_null(strstr(out, "\n##### Not reported yet\n@alice\n\n"
				    "##### On leave\n"
				    "- @carol (until 2026-11-30)\n\n"));
	tb_cmd(tb, "carol", "/report away off");
	tb_cmd(tb, "alice", "/report away until 2026-12-31");
	out = tb_cmd(tb, "alice", "/agenda");
	assert_non_null(strstr(out, "\n##### Not reported yet\n@carol\n\n"
				    "##### On leave\n"
				    "- @alice (until 2026-12-31)\n\n"));
	/* Off the roster: no longer expected. */
	tb_cmd(tb, "alice", "/meeting roster remove @carol");
	out = tb_cmd(tb, "alice", "/agenda");
	assert_non_null(strstr(out, "\n##### Not reported yet\n"
				    "Everyone has reported.\n\n"
				    "##### On leave\n"
				    "- @alice (until 2026-12-31)\n\n"));
	assert_null(strstr(out, "carol"));
}

/* More topics than the meeting has time for are flagged. */
static void
test_over_time(void **state)
{
	struct tb *tb = *state;
	const char *out;

	tb_cmd(tb, "alice", "/agenda add A 30m");
	tb_cmd(tb, "alice", "/agenda add B 25m");
	out = tb_cmd(tb, "alice", "/agenda");
	assert_non_null(strstr(out, "\n##### Time\nPlanned: 65 of 60 min "
				    "(review 10 + topics 55)\n⚠ 65 min "
				    "planned for a 60 min meeting\n"));
	tb_cmd(tb, "alice", "/agenda remove 2");
	out = tb_cmd(tb, "alice", "/agenda");
	assert_non_null(strstr(out, "\n##### Time\nPlanned: 40 of 60 min "
				    "(review 10 + topics 30)\n\n"));
}

/* Only enabled sections appear, in both the reply and the agenda. */
static void
test_sections(void **state)
{
	struct tb *tb = *state;
	const char *out;

	tb_cmd(tb, "bob", "/report done d");
	tb_cmd(tb, "bob", "/report metric m=1");
	tb_cmd(tb, "bob", "/report need n");
	tb_cmd(tb, "alice", "/meeting config sections done,plan");
	out = tb_cmd(tb, "alice", "/agenda");
	assert_non_null(strstr(out, "###### @bob\n- **Done**\n  - d\n"));
	assert_null(strstr(out, "Key metrics"));
	assert_null(strstr(out, "Resource needs"));
}

/* An agenda holds at most 50 topics; the next is refused, unstored. */
static void
test_topic_cap(void **state)
{
	struct tb *tb = *state;
	char line[64];
	int i;

	for (i = 1; i <= 49; i++) {
		snprintf(line, sizeof line, "/agenda add Topic %d 1m", i);
		tb_cmd(tb, "alice", line);
	}
	tb_expect(tb, "alice", "/agenda add Last one 1m",
		  ME "Added topic 50: Last one (1 min)\n");
	tb_expect_refused(tb, "bob", "/agenda add One too many",
			  "[ephemeral @bob] the next meeting already has 50 "
			  "topics, the most an agenda holds; remove one "
			  "first\n");
	tb_cmd(tb, "alice", "/agenda remove 1");
	tb_expect(tb, "bob", "/agenda add Now it fits",
		  "[ephemeral @bob] Added topic 50: Now it fits (10 min)\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_show, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_topic_cap, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_post, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_add, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_add_bad, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_remove, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_full_agenda, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_leave_and_roster, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_over_time, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_sections, tb_setup,
						tb_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
