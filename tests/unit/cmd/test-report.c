/* SPDX-License-Identifier: MIT */
/*
 * test-report.c: the "/report" group through the real dispatcher: every
 * subcommand with its English and Chinese keyword, replies in both
 * locales, the bad inputs of each (each refused with its reason and
 * leaving the store as it was), the channel's section set, leave, and
 * which meeting a report belongs to.
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
#include "lihui/xmalloc.h"

#define ZH_CN "/meeting config locale zh_CN"
/* Monday 2026-11-30 in UTC: the meeting (10:00-11:00) of TB_NOW's week. */
#define MON_1030 (TB_NOW + 4 * 86400 + 2 * 3600 + 1800)
#define MON_1100 (TB_NOW + 4 * 86400 + 3 * 3600)

struct exchange {
	const char *line;
	const char *want; /* the whole outbox output */
};

/* alice runs each line and gets exactly its want. */
static void
said_all(struct tb *tb, const struct exchange *x, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		tb_expect(tb, "alice", x[i].line, x[i].want);
}

/* As said_all(), and each line leaves the store as it was. */
static void
refused_all(struct tb *tb, const struct exchange *x, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		tb_expect_refused(tb, "alice", x[i].line, x[i].want);
}

#define ME "[ephemeral @alice] "

/* said_all() and refused_all() over the exchanges given in place. */
#define SAID(tb, ...)                                                          \
	do {                                                                   \
		static const struct exchange x_[] = { __VA_ARGS__ };           \
		said_all((tb), x_, sizeof x_ / sizeof x_[0]);                  \
	} while (0)
#define REFUSED(tb, ...)                                                       \
	do {                                                                   \
		static const struct exchange x_[] = { __VA_ARGS__ };           \
		refused_all((tb), x_, sizeof x_ / sizeof x_[0]);               \
	} while (0)

static const struct exchange add_en[] = {
	{ "/report done Shipped the login page",
	  ME "Noted under Done: Shipped the login page\n" },
	{ "/report 完成 登录页上线", ME "Noted under Done: 登录页上线\n" },
	{ "/report plan Launch A/B test by Thu",
	  ME "Noted under Plan: Launch A/B test by Thu\n" },
	{ "/report 计划 下周发布", ME "Noted under Plan: 下周发布\n" },
	{ "/report blocker Waiting for design assets @bob @carol",
	  ME "Noted under Problems and blockers: Waiting for design assets\n" },
	{ "/report 问题 等设计稿", ME "Noted under Problems and blockers: "
				      "等设计稿\n" },
	{ "/report metric signups=1,240 conversion=3.1%",
	  ME "Recorded: signups 1240, conversion 3.1%\n" },
	{ "/report 数据 latency=250ms 收入=12元",
	  ME "Recorded: latency 250ms, 收入 12元\n" },
	{ "/report need 1 designer for 2 weeks",
	  ME "Noted under Resource needs: 1 designer for 2 weeks\n" },
	{ "/report 资源 预算 2 万元", ME "Noted under Resource needs: 预算 2 "
					 "万元\n" },
};

static const char show_en[] =
    ME "**Your report for the meeting on 2026-11-30 10:00**\n"
       "**Done**\n"
       "1. Shipped the login page\n"
       "2. 登录页上线\n"
       "**Plan**\n"
       "3. Launch A/B test by Thu\n"
       "4. 下周发布\n"
       "**Problems and blockers**\n"
       "5. Waiting for design assets (can help: @bob @carol)\n"
       "6. 等设计稿\n"
       "**Resource needs**\n"
       "7. 1 designer for 2 weeks\n"
       "8. 预算 2 万元\n"
       "**Key metrics**\n"
       "9. signups 1240\n"
       "10. conversion 3.1%\n"
       "11. latency 250ms\n"
       "12. 收入 12元\n"
       "\n";

static const char stored[] =
    "channel ops en UTC 31\n"
    "report alice 0 Shipped the login page | -\n"
    "report alice 0 登录页上线 | -\n"
    "report alice 1 Launch A/B test by Thu | -\n"
    "report alice 1 下周发布 | -\n"
    "report alice 2 Waiting for design assets | bob carol\n"
    "report alice 2 等设计稿 | -\n"
    "report alice 4 1 designer for 2 weeks | -\n"
    "report alice 4 预算 2 万元 | -\n"
    "metric alice conversion 3.1000000000000001 %\n"
    "metric alice latency 250 ms\n"
    "metric alice signups 1240 \n"
    "metric alice 收入 12 元\n";

/* Every section in English and Chinese keywords, then the report. */
static void
test_sections_en(void **state)
{
	struct tb *tb = *state;

	said_all(tb, add_en, sizeof add_en / sizeof add_en[0]);
	tb_snapshot_is(tb, stored);
	assert_string_equal(tb_cmd(tb, "alice", "/report show"), show_en);
	assert_string_equal(tb_cmd(tb, "alice", "/report 查看"), show_en);
	assert_string_equal(tb_cmd(tb, "alice", "/report"), show_en);
	/* Only one's own report. */
	assert_string_equal(tb_cmd(tb, "bob", "/report"),
			    "[ephemeral @bob] You have not reported anything "
			    "for the meeting on 2026-11-30 10:00 yet; try "
			    "/report done <text>\n");
}

static const struct exchange add_zh[] = {
	{ "/report done Shipped", ME "已记入“已完成”：Shipped\n" },
	{ "/report 完成 登录页上线", ME "已记入“已完成”：登录页上线\n" },
	{ "/report 计划 下周发布", ME "已记入“计划”：下周发布\n" },
	{ "/report 问题 等设计稿 @bob", ME "已记入“问题与挑战”：等设计稿\n" },
	{ "/report 数据 注册=1,240 转化率=3.1%",
	  ME "已记录：注册 1240, 转化率 3.1%\n" },
	{ "/report 资源 一名设计师", ME "已记入“资源需求”：一名设计师\n" },
};

static void
test_sections_zh(void **state)
{
	struct tb *tb = *state;

	assert_string_equal(tb_cmd(tb, "alice", "/report 查看"),
			    ME "You have not reported anything for the "
			       "meeting on 2026-11-30 10:00 yet; try /report "
			       "done <text>\n");
	tb_cmd(tb, "alice", ZH_CN);
	assert_string_equal(tb_cmd(tb, "alice", "/report 查看"), ME
			    "你还没有为 2026-11-30 10:00 的例会提交任何汇报；"
			    "试试 /report done <内容>\n");
	said_all(tb, add_zh, sizeof add_zh / sizeof add_zh[0]);
	assert_string_equal(tb_cmd(tb, "alice", "/report 查看"),
			    ME "**你在 2026-11-30 10:00 例会的汇报**\n"
			       "**已完成**\n"
			       "1. Shipped\n"
			       "2. 登录页上线\n"
			       "**计划**\n"
			       "3. 下周发布\n"
			       "**问题与挑战**\n"
			       "4. 等设计稿（可协助：@bob）\n"
			       "**资源需求**\n"
			       "5. 一名设计师\n"
			       "**关键数据**\n"
			       "6. 注册 1240\n"
			       "7. 转化率 3.1%\n"
			       "\n");
	tb_snapshot_is(tb, "channel ops zh_CN UTC 31\n"
			   "report alice 0 Shipped | -\n"
			   "report alice 0 登录页上线 | -\n"
			   "report alice 1 下周发布 | -\n"
			   "report alice 2 等设计稿 | bob\n"
			   "report alice 4 一名设计师 | -\n"
			   "metric alice 注册 1240 \n"
			   "metric alice 转化率 3.1000000000000001 %\n");
}

/* Texts are stored as typed, quotes and inner spacing included. */
static void
test_text_as_typed(void **state)
{
	struct tb *tb = *state;

	SAID(tb,
	     { "/report done  \"Q3\"  plan\t\tdraft  ",
	       ME "Noted under Done: \"Q3\"  plan\t\tdraft\n" },
	     { "/report plan\xe3\x80\x80上线\xe3\x80\x80新版\xe3\x80\x80",
	       ME "Noted under Plan: 上线\xe3\x80\x80新版\n" },
	     { "/report blocker 等设计稿\xe3\x80\x80@bob",
	       ME "Noted under Problems and blockers: 等设计稿\n" },
	     { "/report blocker Waiting on\n@bob\t@carol",
	       ME "Noted under Problems and blockers: Waiting on\n" },
	     { "/report done ask @bob", ME "Noted under Done: ask "
					   "@bob\n" });
	tb_snapshot_is(tb, "channel ops en UTC 31\n"
			   "report alice 0 \"Q3\"  plan\t\tdraft | -\n"
			   "report alice 0 ask @bob | -\n"
			   "report alice 1 上线\xe3\x80\x80新版 | -\n"
			   "report alice 2 等设计稿 | bob\n"
			   "report alice 2 Waiting on | bob carol\n");
}

/* Missing or malformed words: the reason and the usage line. */
static const struct exchange bad_en[] = {
	{ "/report done",
	  ME "missing arguments; usage: /report done <text>\n" },
	{ "/report 完成   ", ME "missing arguments; usage: /report done "
				"<text>\n" },
	{ "/report plan",
	  ME "missing arguments; usage: /report plan <text>\n" },
	{ "/report need",
	  ME "missing arguments; usage: /report need <text>\n" },
	{ "/report 资源",
	  ME "missing arguments; usage: /report need <text>\n" },
	{ "/report blocker",
	  ME "missing arguments; usage: /report blocker <text> "
	     "[@who-can-help ...]\n" },
	{ "/report blocker @bob @carol",
	  ME "say what the problem is; usage: /report blocker <text> "
	     "[@who-can-help ...]\n" },
	{ "/report 问题 @bob",
	  ME "say what the problem is; usage: /report blocker <text> "
	     "[@who-can-help ...]\n" },
	{ "/report metric",
	  ME "missing arguments; usage: /report metric <name>=<value> ...\n" },
	{ "/report metric signups",
	  ME "write each metric as name=value; usage: /report metric "
	     "<name>=<value> ...\n" },
	{ "/report 数据 a=1 b",
	  ME "write each metric as name=value; usage: /report metric "
	     "<name>=<value> ...\n" },
	{ "/report show now", ME "too many arguments; usage: /report show\n" },
	{ "/report 查看 x", ME "too many arguments; usage: /report show\n" },
	{ "/report edit", ME "missing arguments; usage: /report edit <n> "
			     "<text>\n" },
	{ "/report edit 1", ME "missing arguments; usage: /report edit <n> "
			       "<text>\n" },
	{ "/report 修改 1", ME "missing arguments; usage: /report edit <n> "
			       "<text>\n" },
	{ "/report clear 1 2", ME "too many arguments; usage: /report clear "
				  "[<n>]\n" },
	{ "/report away", ME "missing arguments; usage: /report away until "
			     "<date> | off\n" },
	{ "/report 请假", ME "missing arguments; usage: /report away until "
			     "<date> | off\n" },
	{ "/report away until",
	  ME "give the last day of your leave; usage: /report away until "
	     "<date> | off\n" },
	{ "/report away off now",
	  ME "too many arguments; usage: /report away until <date> | off\n" },
	{ "/report away until 2026 年 12 月 7 日 please now",
	  ME "too many arguments; usage: /report away until <date> | off\n" },
};

/* Metrics that are not numbers are named, all or nothing is stored. */
static const struct exchange bad_metric_en[] = {
	{ "/report metric signups=abc",
	  ME "metric 'signups=abc': the value is not a number; write e.g. "
	     "signups=1240, conversion=3.1% or latency=250ms\n" },
	{ "/report metric a=1 b=x c=3",
	  ME "metric 'b=x': the value is not a number; write e.g. "
	     "signups=1240, conversion=3.1% or latency=250ms\n" },
	{ "/report metric x=1.2.3",
	  ME "metric 'x=1.2.3': the value is not a number; write e.g. "
	     "signups=1240, conversion=3.1% or latency=250ms\n" },
	{ "/report metric x=1,24",
	  ME "metric 'x=1,24': the value is not a number; write e.g. "
	     "signups=1240, conversion=3.1% or latency=250ms\n" },
	{ "/report metric x=",
	  ME "metric 'x=': the value is not a number; write e.g. "
	     "signups=1240, conversion=3.1% or latency=250ms\n" },
	{ "/report metric =5",
	  ME "metric '=5' needs a name of 1 to 64 bytes, without spaces, "
	     "before '='\n" },
	{ "/report metric \"new users=5\"",
	  ME "metric 'new users=5' needs a name of 1 to 64 bytes, without "
	     "spaces, before '='\n" },
	{ "/report metric "
	  "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklm=1",
	  ME "metric 'abcdefghijklmnopqrstuvwxyzabcdefghijklmn' needs a name "
	     "of 1 to 64 bytes, without spaces, before '='\n" },
	{ "/report metric a=1 a=2", ME "metric 'a' is given twice\n" },
	{ "/report metric a=1 a=2% b=3", ME "metric 'a' is given twice\n" },
	{ "/report metric a=1 b=1 c=1 d=1 e=1 f=1 g=1 h=1 i=1 j=1 k=1 l=1 "
	  "m=1 n=1 o=1 p=1 q=1 r=1 s=1 t=1 u=1 v=1 w=1 x=1 y=1 z=1 aa=1 bb=1 "
	  "cc=1 dd=1 ee=1 ff=1 gg=1",
	  ME "too many arguments; usage: /report metric <name>=<value> ...\n" },
};

/* Item numbers that are not items. */
static const struct exchange bad_number_en[] = {
	{ "/report edit 0 x", ME "'0' is not an item number (1 to 3); /report "
				 "show lists them\n" },
	{ "/report edit 4 x", ME "'4' is not an item number (1 to 3); /report "
				 "show lists them\n" },
	{ "/report edit one x", ME "'one' is not an item number (1 to 3); "
				   "/report show lists them\n" },
	{ "/report edit -1 x", ME "'-1' is not an item number (1 to 3); "
				  "/report show lists them\n" },
	{ "/report 修改 99999999999999999999 x",
	  ME "'99999999999999999999' is not an item number (1 to 3); /report "
	     "show lists them\n" },
	{ "/report edit 3 x", ME "item 3 is a metric; report it again with "
				 "/report metric name=value\n" },
	{ "/report edit 2 @bob",
	  ME "say what the problem is; usage: /report edit <n> <text>\n" },
	{ "/report clear 4", ME "'4' is not an item number (1 to 3); /report "
				"show lists them\n" },
	{ "/report 清除 x", ME "'x' is not an item number (1 to 3); /report "
			       "show lists them\n" },
};

/* Dates that cannot be read show the accepted forms. */
static const struct exchange bad_date_en[] = {
	{ "/report away until someday",
	  ME "cannot read the date 'someday'; use 2026-12-07, 12-07, fri, "
	     "周五, tomorrow, 明天, in 3 days, next week or 下周一\n" },
	{ "/report away 2026-13-45",
	  ME "cannot read the date '2026-13-45'; use 2026-12-07, 12-07, fri, "
	     "周五, tomorrow, 明天, in 3 days, next week or 下周一\n" },
	{ "/report 请假 到 不知道",
	  ME "cannot read the date '不知道'; use 2026-12-07, 12-07, fri, "
	     "周五, tomorrow, 明天, in 3 days, next week or 下周一\n" },
	{ "/report away until "
	  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	  ME "cannot read the date 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'; "
	     "use 2026-12-07, 12-07, fri, 周五, tomorrow, 明天, in 3 days, "
	     "next week or 下周一\n" },
	{ "/report away until 2026-11-25", ME "2026-11-25 is in the past\n" },
	{ "/report away until 2020-01-01", ME "2020-01-01 is in the past\n" },
};

static void
test_bad_inputs_en(void **state)
{
	struct tb *tb = *state;

	refused_all(tb, bad_en, sizeof bad_en / sizeof bad_en[0]);
	refused_all(tb, bad_metric_en,
		    sizeof bad_metric_en / sizeof bad_metric_en[0]);
	refused_all(tb, bad_date_en,
		    sizeof bad_date_en / sizeof bad_date_en[0]);
	/* Numbers against an empty report, then a done, a blocker, a metric. */
	REFUSED(tb,
		{ "/report edit 1 x", ME "your report is empty; there "
					 "is nothing to change\n" },
		{ "/report clear 1", ME "your report is empty; there "
					"is nothing to change\n" });
	tb_cmd(tb, "alice", "/report done a");
	tb_cmd(tb, "alice", "/report blocker b @bob");
	tb_cmd(tb, "alice", "/report metric m=1");
	refused_all(tb, bad_number_en,
		    sizeof bad_number_en / sizeof bad_number_en[0]);
	tb_snapshot_is(tb, "channel ops en UTC 31\n"
			   "report alice 0 a | -\n"
			   "report alice 2 b | bob\n"
			   "metric alice m 1 \n");
}

static const struct exchange bad_zh[] = {
	{ "/report 完成", ME "缺少参数；用法：/report done <内容>\n" },
	{ "/report 计划", ME "缺少参数；用法：/report plan <内容>\n" },
	{ "/report 资源", ME "缺少参数；用法：/report need <内容>\n" },
	{ "/report 问题 @bob",
	  ME "请说明是什么问题；用法：/report blocker <内容> [@可协助的人 "
	     "...]\n" },
	{ "/report 数据", ME "缺少参数；用法：/report metric <名称>=<数值> "
			     "...\n" },
	{ "/report 数据 注册",
	  ME "每项数据请写成 名称=数值；用法：/report metric <名称>=<数值> "
	     "...\n" },
	{ "/report 数据 注册=很多",
	  ME "数据“注册=很多”的值不是数字；例如写 注册数=1240、conversion=3.1% "
	     "或 latency=250ms\n" },
	{ "/report 数据 =5",
	  ME "数据“=5”在“=”前需要 1 到 64 字节、不含空格的名称\n" },
	{ "/report 数据 a=1 a=2", ME "数据“a”重复填写了\n" },
	{ "/report 查看 x", ME "参数过多；用法：/report show\n" },
	{ "/report 修改 1", ME "缺少参数；用法：/report edit <编号> <内容>\n" },
	{ "/report 修改 1 x", ME "你的汇报是空的，没有可修改的内容\n" },
	{ "/report 清除 1", ME "你的汇报是空的，没有可修改的内容\n" },
	{ "/report 清除 1 2", ME "参数过多；用法：/report clear [<编号>]\n" },
	{ "/report 请假", ME "缺少参数；用法：/report away until <日期> | "
			     "off\n" },
	{ "/report 请假 到", ME "请给出请假的最后一天；用法：/report away "
				"until <日期> | off\n" },
	{ "/report 请假 到 不知道",
	  ME "无法识别日期“不知道”；可以写 2026-12-07、12-07、fri、周五、"
	     "tomorrow、明天、in 3 days、next week 或 下周一\n" },
	{ "/report 请假 到 2026-01-01", ME "2026-01-01 已经过去了\n" },
	{ "/report 不存在", ME "“不存在”不是 /report 的子命令；请试试 "
			       "/report help\n" },
};

static void
test_bad_inputs_zh(void **state)
{
	struct tb *tb = *state;

	tb_cmd(tb, "alice", ZH_CN);
	refused_all(tb, bad_zh, sizeof bad_zh / sizeof bad_zh[0]);
	tb_cmd(tb, "alice", "/report 完成 a");
	REFUSED(tb, { "/report 修改 2 x",
		      ME "“2”不是条目编号（1 到 1）；/report show "
			 "可列出全部条目\n" });
}

static void
test_edit(void **state)
{
	struct tb *tb = *state;

	SAID(tb, { "/report done first", ME "Noted under Done: first\n" },
	     { "/report blocker stuck @bob", ME "Noted under Problems "
						"and blockers: "
						"stuck\n" },
	     { "/report need money", ME "Noted under Resource needs: "
					"money\n" },
	     { "/report metric m=5%", ME "Recorded: m 5%\n" },
	     { "/report edit 1 First, \"really\"",
	       ME "Item 1 now reads: First, \"really\"\n" },
	     /* A blocker's helpers are replaced with its text. */
	     { "/report edit 2 still stuck @carol @dave",
	       ME "Item 2 now reads: still stuck\n" },
	     { "/report 修改 3 更多预算", ME "Item 3 now reads: "
					     "更多预算\n" });
	tb_snapshot_is(tb, "channel ops en UTC 31\n"
			   "report alice 0 First, \"really\" | -\n"
			   "report alice 2 still stuck | carol dave\n"
			   "report alice 4 更多预算 | -\n"
			   "metric alice m 5 %\n");
	SAID(tb, { "/report edit 2 unblocked",
		   ME "Item 2 now reads: unblocked\n" });
	tb_snapshot_is(tb, "channel ops en UTC 31\n"
			   "report alice 0 First, \"really\" | -\n"
			   "report alice 2 unblocked | -\n"
			   "report alice 4 更多预算 | -\n"
			   "metric alice m 5 %\n");
	/* Someone else's numbers are their own. */
	assert_string_equal(tb_cmd(tb, "bob", "/report edit 1 hijack"),
			    "[ephemeral @bob] your report is empty; there is "
			    "nothing to change\n");
	tb_cmd(tb, "alice", ZH_CN);
	SAID(tb, { "/report 修改 1 第一", ME "第 1 条已改为：第一\n" });
}

static void
test_clear(void **state)
{
	struct tb *tb = *state;

	SAID(tb, { "/report done a", ME "Noted under Done: a\n" },
	     { "/report plan b", ME "Noted under Plan: b\n" },
	     { "/report metric m=1 n=2", ME "Recorded: m 1, n 2\n" },
	     { "/report clear 2", ME "Removed item 2.\n" },
	     /* Numbers follow /report show: metrics come last. */
	     { "/report 清除 2", ME "Removed item 2.\n" });
	tb_cmd(tb, "bob", "/report done bob's");
	tb_snapshot_is(tb, "channel ops en UTC 31\n"
			   "report alice 0 a | -\n"
			   "report bob 0 bob's | -\n"
			   "metric alice n 2 \n");
	SAID(tb, { "/report clear", ME "Cleared your report (2 items).\n" });
	tb_snapshot_is(tb, "channel ops en UTC 31\n"
			   "report bob 0 bob's | -\n");
	tb_cmd(tb, "alice", ZH_CN);
	SAID(tb, { "/report 完成 x", ME "已记入“已完成”：x\n" },
	     { "/report 清除 1", ME "已删除第 1 条。\n" },
	     { "/report 完成 y", ME "已记入“已完成”：y\n" },
	     { "/report 清除", ME "已清空你的汇报（1 条）。\n" });
}

/* Metrics with units and percent; a later value replaces the earlier. */
static void
test_metric(void **state)
{
	struct tb *tb = *state;

	SAID(tb,
	     { "/report metric signups=1240 conversion=3.1% "
	       "latency=250ms revenue=1,234,567.891 churn=-0.5% "
	       "收入=12元",
	       ME "Recorded: signups 1240, conversion 3.1%, latency "
		  "250ms, revenue 1234567.89, churn -0.5%, 收入 "
		  "12元\n" },
	     { "/report metric signups=1300", ME "Recorded: signups "
						 "1300\n" });
	tb_snapshot_is(tb, "channel ops en UTC 31\n"
			   "metric alice churn -0.5 %\n"
			   "metric alice conversion 3.1000000000000001 %\n"
			   "metric alice latency 250 ms\n"
			   "metric alice revenue 1234567.8910000001 \n"
			   "metric alice signups 1300 \n"
			   "metric alice 收入 12 元\n");
}

/* With the channel's sections cut to done and plan, the rest is refused. */
static void
test_section_set(void **state)
{
	struct tb *tb = *state;
	static const struct exchange off[] = {
		{ "/report blocker x",
		  ME "this channel does not use the section 'blocker'; it "
		     "uses: done, plan\n" },
		{ "/report 数据 x=1",
		  ME "this channel does not use the section 'metric'; it uses: "
		     "done, plan\n" },
		{ "/report need x",
		  ME "this channel does not use the section 'need'; it uses: "
		     "done, plan\n" },
	};

	tb_cmd(tb, "alice", "/meeting config sections done,plan");
	refused_all(tb, off, sizeof off / sizeof off[0]);
	SAID(tb, { "/report done a", ME "Noted under Done: a\n" },
	     { "/report 计划 b", ME "Noted under Plan: b\n" });
	tb_cmd(tb, "alice", ZH_CN);
	REFUSED(tb, { "/report 资源 x",
		      ME "本频道不使用“need”栏目；当前栏目：done, plan\n" });
	tb_snapshot_is(tb, "channel ops zh_CN UTC 3\n"
			   "report alice 0 a | -\n"
			   "report alice 1 b | -\n");
}

static void
test_away(void **state)
{
	struct tb *tb = *state;

	said_all(tb,
		 (const struct exchange[]){
		     { "/report away until 2026-12-07",
		       ME "You are on leave until 2026-12-07 (inclusive): "
			  "reminders skip you and the agenda lists you as on "
			  "leave.\n" },
		     { "/report away off",
		       ME "Welcome back: you are no longer on leave.\n" },
		     { "/report away fri",
		       ME "You are on leave until 2026-11-27 (inclusive): "
			  "reminders skip you and the agenda lists you as on "
			  "leave.\n" },
		     { "/report away until in 3 days",
		       ME "You are on leave until 2026-11-29 (inclusive): "
			  "reminders skip you and the agenda lists you as on "
			  "leave.\n" },
		     { "/report away until today",
		       ME "You are on leave until 2026-11-26 (inclusive): "
			  "reminders skip you and the agenda lists you as on "
			  "leave.\n" },
		     { "/report 请假 到 下周一",
		       ME "You are on leave until 2026-11-30 (inclusive): "
			  "reminders skip you and the agenda lists you as on "
			  "leave.\n" },
		 },
		 6);
	tb_snapshot_is(tb, "channel ops en UTC 31\n"
			   "member alice 0 2026-11-30\n");
	tb_cmd(tb, "alice", ZH_CN);
	SAID(tb, { "/report 请假 结束", ME "欢迎回来：你已结束请假。\n" },
	     { "/report 请假 到 2026 年 12 月 8 日",
	       ME "你请假至 2026-12-08（含当天）：提醒会跳过你，"
		  "议程中会显示你在请假。\n" },
	     { "/report 请假 至 12月7日",
	       ME "你请假至 2026-12-07（含当天）：提醒会跳过你，"
		  "议程中会显示你在请假。\n" });
	tb_snapshot_is(tb, "channel ops zh_CN UTC 31\n"
			   "member alice 0 2026-12-07\n");
}

/*
 * A report belongs to the channel's next meeting: still this Monday's
 * while it runs (10:00-11:00), next Monday's once it has ended.
 */
static void
test_cycle(void **state)
{
	struct tb *tb = *state;

	tb_cmd(tb, "alice", "/report done before the meeting");
	tb_clock_set(tb, MON_1030);
	assert_string_equal(tb_cmd(tb, "alice", "/report show"),
			    ME "**Your report for the meeting on 2026-11-30 "
			       "10:00**\n**Done**\n1. before the meeting\n\n");
	tb_clock_set(tb, MON_1100);
	assert_string_equal(tb_cmd(tb, "alice", "/report show"),
			    ME "**Your report for the meeting on 2026-11-30 "
			       "10:00**\n**Done**\n1. before the meeting\n\n");
	tb_clock_set(tb, MON_1100 + 1);
	assert_string_equal(tb_cmd(tb, "alice", "/report show"),
			    ME "You have not reported anything for the meeting "
			       "on 2026-12-07 10:00 yet; try /report done "
			       "<text>\n");
	assert_string_equal(tb_cmd(tb, "alice", "/report clear 1"),
			    ME "your report is empty; there is nothing to "
			       "change\n");
	tb_cmd(tb, "alice", "/report done next week's");
	tb_snapshot_is(tb, "channel ops en UTC 31\n"
			   "report alice 0 next week's | -\n");
}

/*
 * A long report is listed whole (split into several posts by the
 * dispatcher), never cut in the middle of the list.
 */
static void
test_show_long(void **state)
{
	struct tb *tb = *state;
	char item[4000], line[4100];
	const char *out, *at, *prev = NULL;
	int i;

	memset(item, 'x', 3980);
	for (i = 0; i < 40; i++) {
		item[3980] = (char)('0' + i / 10);
		item[3981] = (char)('0' + i % 10);
		item[3982] = '\0';
		snprintf(line, sizeof line, "/report done %s", item);
		tb_cmd(tb, "alice", line);
	}
	out = tb_cmd(tb, "alice", "/report show");
	/* Every item, whole and in order, each on its own line. */
	for (i = 0; i < 40; i++) {
		item[3980] = (char)('0' + i / 10);
		item[3981] = (char)('0' + i % 10);
		snprintf(line, sizeof line, "%d. %s\n", i + 1, item);
		at = strstr(out, line);
		assert_non_null(at);
		assert_true(at[-1] == '\n' || at[-1] == ' ');
		assert_true(prev == NULL || at > prev);
		prev = at;
	}
}

/* One report holds at most 100 entries; the next is refused, unstored. */
static void
test_item_cap(void **state)
{
	struct tb *tb = *state;
	char line[64];
	int i;

	for (i = 1; i <= 99; i++) {
		snprintf(line, sizeof line, "/report done task %d", i);
		tb_cmd(tb, "alice", line);
	}
	tb_expect(tb, "alice", "/report metric signups=1",
		  ME "Recorded: signups 1\n");
	tb_expect_refused(tb, "alice", "/report plan one more",
			  ME "your report already has 100 entries, the most "
			     "one report may hold; edit or clear some "
			     "first\n");
	tb_expect_refused(tb, "alice", "/report metric visits=2",
			  ME "your report already has 100 entries, the most "
			     "one report may hold; edit or clear some "
			     "first\n");
	/* Others are not affected, and room comes back after a clear. */
	tb_expect(tb, "bob", "/report done mine",
		  "[ephemeral @bob] Noted under Done: mine\n");
	tb_cmd(tb, "alice", "/report clear 1");
	tb_expect(tb, "alice", "/report plan one more",
		  ME "Noted under Plan: one more\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sections_en, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_sections_zh, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_text_as_typed, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_bad_inputs_en, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_bad_inputs_zh, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_edit, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_clear, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_metric, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_section_set, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_away, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_item_cap, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_cycle, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_show_long, tb_setup,
						tb_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
