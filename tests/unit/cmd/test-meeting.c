/* SPDX-License-Identifier: MIT */
/*
 * test-meeting.c: the "/meeting" group through the real dispatcher: the
 * roster (add, remove, list, in English and Chinese keywords), the
 * channel's settings (locale, time zone, section set), who may change
 * them when admins are configured, and the bad inputs of each, refused
 * with their reason and storing nothing.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "lihui/xmalloc.h"

#define ME "[ephemeral @alice] "
#define ROSTER_USAGE                                                           \
	"usage: /meeting roster [list | add @user ... | remove @user ...]\n"
#define CONFIG_USAGE                                                           \
	"usage: /meeting config [locale en|zh_CN | timezone <zone> | "         \
	"sections <list>]\n"
#define ROSTER_USAGE_ZH                                                        \
	"用法：/meeting roster [list | add @用户 ... | remove @用户 ...]\n"
#define CONFIG_USAGE_ZH                                                             \
	"用法：/meeting config [locale en|zh_CN | timezone <时区> | sections " \
	"<栏目列表>]\n"

static void
test_roster(void **state)
{
	struct tb *tb = *state;

	TB_SAID(tb,
		{ "alice", "/meeting roster",
		  ME "The roster is empty; add people with /meeting roster add "
		     "@name\n" },
		{ "alice", "/meeting roster add @alice @bob @dave",
		  ME "Added to the roster: @alice @bob @dave\n" },
		{ "alice", "/meeting roster add @bob @carol",
		  ME "Added to the roster: @carol\n" ME
		     "Already on the roster: @bob\n" },
		{ "bob", "/meeting roster",
		  "[ephemeral @bob] Roster (4): @alice @bob @carol @dave\n" },
		{ "alice", "/meeting roster list",
		  ME "Roster (4): @alice @bob @carol @dave\n" },
		{ "alice", "/meeting roster remove @dave @zed",
		  ME "Removed from the roster: @dave\n" ME
		     "Not on the roster: @zed\n" },
		{ "alice", "/meeting 名单 添加 @erin",
		  ME "Added to the roster: "
		     "@erin\n" },
		{ "alice", "/meeting 名单 删除 @alice",
		  ME "Removed from the "
		     "roster: @alice\n" },
		{ "alice", "/meeting 名单 查看",
		  ME "Roster (3): @bob @carol "
		     "@erin\n" },
		{ "alice", "/meeting", ME "Roster (3): @bob @carol @erin\n" },
		{ "alice", "/lihui meeting roster",
		  ME "Roster (3): @bob @carol "
		     "@erin\n" });
	tb_snapshot_is(tb, "channel ops en UTC 31\n"
			   "member bob 1 -\n"
			   "member carol 1 -\n"
			   "member erin 1 -\n");
	tb_cmd(tb, "alice", "/meeting config locale zh_CN");
	TB_SAID(
	    tb,
	    { "alice", "/meeting 名单 添加 @dave @bob",
	      ME "已加入名单： @dave\n" ME "已在名单中： @bob\n" },
	    { "alice", "/meeting 名单 删除 @zed", ME "不在名单中： @zed\n" },
	    { "alice", "/meeting 名单",
	      ME "名单（4 人）： @bob @carol @dave "
		 "@erin\n" });
}

static void
test_roster_bad(void **state)
{
	struct tb *tb = *state;

	tb_cmd(tb, "alice", "/meeting roster add @bob");
	TB_REFUSED(tb,
		   { "alice", "/meeting roster add",
		     ME "name at least one @user; " ROSTER_USAGE },
		   { "alice", "/meeting roster add carol",
		     ME "each name must look like @user; " ROSTER_USAGE },
		   /* One bad name refuses them all. */
		   { "alice", "/meeting roster add @carol dave @erin",
		     ME "each name must look like @user; " ROSTER_USAGE },
		   { "alice", "/meeting roster add @carol,",
		     ME "each name must look like @user; " ROSTER_USAGE },
		   { "alice", "/meeting roster remove @",
		     ME "each name must look like @user; " ROSTER_USAGE },
		   { "alice", "/meeting roster frob @carol",
		     ME "say list, add or remove; " ROSTER_USAGE },
		   { "alice", "/meeting roster list all",
		     ME "too many arguments; " ROSTER_USAGE });
	tb_cmd(tb, "alice", "/meeting config locale zh_CN");
	TB_REFUSED(tb,
		   { "alice", "/meeting 名单 添加",
		     ME "请至少写一个 @用户；" ROSTER_USAGE_ZH },
		   { "alice", "/meeting 名单 添加 张三",
		     ME "每个名字都要写成 @用户名 的形式；" ROSTER_USAGE_ZH },
		   { "alice", "/meeting 名单 改",
		     ME "请写 list、add 或 remove；" ROSTER_USAGE_ZH },
		   { "alice", "/meeting 名单 查看 全部",
		     ME "参数过多；" ROSTER_USAGE_ZH });
	tb_snapshot_is(tb, "channel ops zh_CN UTC 31\n"
			   "member bob 1 -\n");
}

#define SETTINGS(locale, zone, sections)                                       \
	ME "Settings of #ops: locale " locale ", timezone " zone               \
	   ", sections " sections ", meeting mon 10:00 for 60 min; "           \
	   "reporting window opens fri 16:00, reminders mon 09:00, agenda "    \
	   "30m before each meeting\n"

static void
test_config(void **state)
{
	struct tb *tb = *state;

	TB_SAID(tb,
		{ "alice", "/meeting config",
		  SETTINGS("en", "UTC", "done,plan,blocker,metric,need") },
		{ "alice", "/meeting config sections done,plan",
		  SETTINGS("en", "UTC", "done,plan") },
		{ "alice", "/meeting 设置 栏目 问题，数据、资源",
		  SETTINGS("en", "UTC", "blocker,metric,need") },
		{ "alice", "/meeting config sections need,done,need",
		  SETTINGS("en", "UTC", "done,need") },
		{ "alice", "/meeting config timezone Asia/Shanghai",
		  SETTINGS("en", "Asia/Shanghai", "done,need") },
		{ "alice", "/meeting 设置 时区 UTC",
		  SETTINGS("en", "UTC",
			   "done,"
			   "need") },
		{ "alice", "/meeting config locale zh",
		  ME
		  "#ops 的设置：语言 zh_CN，时区 UTC，栏目 done,need，"
		  "例会时间 mon 10:00，时长 60 分钟；每次例会前：汇报窗口 fri "
		  "16:00 开放，提醒 mon 09:00，议程 30m 发布\n" },
		{ "alice", "/meeting 设置 语言 en",
		  SETTINGS("en", "UTC",
			   "done,"
			   "need") });
	tb_snapshot_is(tb, "channel ops en UTC 17\n");
}

static void
test_config_bad(void **state)
{
	struct tb *tb = *state;

	TB_REFUSED(tb,
		   { "alice", "/meeting config locale",
		     ME "give a setting and a value; " CONFIG_USAGE },
		   { "alice", "/meeting config locale en zh_CN",
		     ME "too many arguments; " CONFIG_USAGE },
		   { "alice", "/meeting config locale fr",
		     ME "the locale must be en or zh_CN; " CONFIG_USAGE },
		   { "alice", "/meeting config timezone Mars/Olympus",
		     ME "unknown time zone; use a name such as Asia/Shanghai; "
			"" CONFIG_USAGE },
		   { "alice", "/meeting config timezone ../../etc/passwd",
		     ME "unknown time zone; use a name such as Asia/Shanghai; "
			"" CONFIG_USAGE },
		   { "alice", "/meeting config sections done,bogus",
		     ME "list sections from done,plan,blocker,metric,need; "
			"" CONFIG_USAGE },
		   { "alice", "/meeting config sections ,",
		     ME "list sections from done,plan,blocker,metric,need; "
			"" CONFIG_USAGE },
		   { "alice", "/meeting config colour blue",
		     ME "unknown setting; " CONFIG_USAGE });
	tb_cmd(tb, "alice", "/meeting config locale zh_CN");
	TB_REFUSED(tb,
		   { "alice", "/meeting 设置 语言",
		     ME "请给出设置项和值；"
			"" CONFIG_USAGE_ZH },
		   { "alice", "/meeting 设置 语言 法语",
		     ME "语言只能是 en 或 zh_CN；" CONFIG_USAGE_ZH },
		   { "alice", "/meeting 设置 时区 火星",
		     ME "未知时区；请使用如 Asia/Shanghai 这样的名称；"
			"" CONFIG_USAGE_ZH },
		   { "alice", "/meeting 设置 栏目 完成；计划",
		     ME "栏目请从 done,plan,blocker,metric,need 中选择；"
			"" CONFIG_USAGE_ZH },
		   { "alice", "/meeting 设置 颜色 蓝",
		     ME "未知的设置项；" CONFIG_USAGE_ZH });
	tb_snapshot_is(tb, "channel ops zh_CN UTC 31\n");
}

/* Changing the locale answers in the new language from then on. */
static void
test_locale(void **state)
{
	struct tb *tb = *state;

	TB_SAID(
	    tb, { "alice", "/report done x", ME "Noted under Done: x\n" },
	    { "alice", "/meeting config locale zh_CN",
	      ME
	      "#ops 的设置：语言 zh_CN，时区 UTC，栏目 "
	      "done,plan,blocker,metric,need，例会时间 mon 10:00，时长 "
	      "60 分钟；每次例会前：汇报窗口 fri 16:00 开放，提醒 mon 09:00，"
	      "议程 30m 发布\n" },
	    { "bob", "/report done y", "[ephemeral @bob] 已记入“已完成”：y\n" },
	    { "bob", "/report bad",
	      "[ephemeral @bob] “bad”不是 /report "
	      "的子命令；请试试 /report help\n" },
	    { "alice", "/meeting config locale en",
	      SETTINGS("en", "UTC",
		       "done,plan,"
		       "blocker,metric,"
		       "need") },
	    { "bob", "/report done z",
	      "[ephemeral @bob] Noted under Done: "
	      "z\n" });
	/* Settings belong to the channel: a direct message keeps the
	 * defaults. */
	tb_cmd(tb, "alice", "/meeting config locale zh_CN");
	assert_string_equal(tb_dm(tb, "bob", "report done x"),
			    "[ephemeral @bob] use /report done in your team's "
			    "channel, not in a direct message\n");
}

/* The time zone moves the meeting: Monday 10:00 in Shanghai. */
static void
test_timezone(void **state)
{
	struct tb *tb = *state;

	tb_cmd(tb, "alice", "/meeting config timezone Asia/Shanghai");
	/* Thursday 16:00 in Shanghai; the meeting is Monday 02:00 UTC. */
	TB_SAID(tb, { "alice", "/report",
		      ME "You have not reported anything for the meeting on "
			 "2026-11-30 10:00 yet; try /report done <text>\n" });
	assert_non_null(strstr(tb_cmd(tb, "alice", "/agenda"),
			       "**Mon 2026-11-30 10:00 (Asia/Shanghai), 60 "
			       "min**\n"));
	/* Monday 03:00:01 UTC: the Shanghai meeting is over. */
	tb_clock_set(tb, TB_NOW + 4 * 86400 - 5 * 3600 + 1);
	TB_SAID(tb, { "alice", "/report",
		      ME "You have not reported anything for the meeting on "
			 "2026-12-07 10:00 yet; try /report done <text>\n" });
}

/* With admins configured, only they change the roster and settings. */
static void
test_admins(void **state)
{
	struct tb *tb = *state;

	tb->config.admins[0] = xstrdup("boss");
	tb->config.n_admins = 1;
	TB_REFUSED(tb,
		   { "alice", "/meeting roster add @alice",
		     ME "only the meeting's admins may do that\n" },
		   { "alice", "/meeting roster remove @boss",
		     ME "only the meeting's admins may do that\n" },
		   { "alice", "/meeting config locale zh_CN",
		     ME "only the meeting's admins may do that\n" },
		   { "alice", "/meeting 设置 栏目 完成",
		     ME "only the meeting's admins may do that\n" },
		   /* A malformed command gets its usage line first. */
		   { "alice", "/meeting roster add alice",
		     ME "each name must look like @user; " ROSTER_USAGE });
	TB_SAID(tb,
		{ "boss", "/meeting roster add @alice @boss",
		  "[ephemeral @boss] Added to the roster: @alice @boss\n" },
		{ "alice", "/meeting roster", ME "Roster (2): @alice @boss\n" },
		{ "alice", "/meeting config",
		  SETTINGS("en", "UTC", "done,plan,blocker,metric,need") },
		/* Everyone still reports and queues topics. */
		{ "alice", "/report done x", ME "Noted under Done: x\n" },
		{ "alice", "/agenda add T", ME "Added topic 1: T (10 min)\n" },
		{ "boss", "/meeting config locale zh_CN",
		  "[ephemeral @boss] #ops 的设置：语言 zh_CN，时区 UTC，栏目 "
		  "done,plan,blocker,metric,need，例会时间 mon 10:00，时长 60 "
		  "分钟；每次例会前：汇报窗口 fri 16:00 开放，提醒 mon 09:00，"
		  "议程 30m 发布\n" });
	TB_REFUSED(tb, { "alice", "/meeting 名单 删除 @boss",
			 ME "只有会议管理员可以这样做\n" });
	tb_snapshot_is(tb, "channel ops zh_CN UTC 31\n"
			   "report alice 0 x | -\n"
			   "topic T - 10\n"
			   "member alice 1 -\n"
			   "member boss 1 -\n");
}

/* A new zone moves the next meeting; what was prepared for it follows. */
static void
test_timezone_keeps_reports(void **state)
{
	struct tb *tb = *state;
	const char *out;

	tb_cmd(tb, "alice", "/report done Shipped it");
	tb_cmd(tb, "alice", "/report metric signups=5");
	tb_cmd(tb, "bob", "/agenda add Pricing 15m");
	tb_cmd(tb, "alice", "/meeting config timezone Asia/Shanghai");
	tb_snapshot_is(tb, "channel ops en Asia/Shanghai 31\n"
			   "report alice 0 Shipped it | -\n"
			   "metric alice signups 5 \n"
			   "topic Pricing - 15\n");
	out = tb_cmd(tb, "alice", "/agenda");
	assert_non_null(strstr(out, "**Mon 2026-11-30 10:00 (Asia/Shanghai), "
				    "60 min**"));
	assert_non_null(strstr(out, "1. Pricing (15 min)"));
	assert_non_null(strstr(out, "  - Shipped it\n"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_roster, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_timezone_keeps_reports,
						tb_setup, tb_teardown),
		cmocka_unit_test_setup_teardown(test_roster_bad, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_config, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_config_bad, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_locale, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_timezone, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_admins, tb_setup,
						tb_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
