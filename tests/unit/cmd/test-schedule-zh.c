/* SPDX-License-Identifier: MIT */
/*
 * test-schedule-zh.c: "/meeting schedule" through the real dispatcher in a
 * Chinese channel: a schedule it cannot read is refused in Chinese (the
 * parser's cause and the usage line), quoting the words as written, and
 * stores nothing; the same text in an English channel is refused in
 * English; a good Chinese schedule is taken.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "harness.h"

#define ME "[ephemeral @alice] "
#define USAGE_ZH                                                                      \
	"；用法：/meeting schedule [<星期> <时:分> [<时长>] [每周|每 N " \
	"周|每月 "                                                                 \
	"...] [<时区>] | 窗口 <时间>|关 | 提醒 <时间>|关 | 议程 <时间>]\n"
#define USAGE_EN                                                               \
	"; usage: /meeting schedule [<days> <HH:MM> [<length>] "               \
	"[weekly|every N weeks|monthly ...] [<zone>] | window <time>|off | "   \
	"remind <times>|off | agenda <time>]\n"

static void
test_bad_schedule_zh(void **state)
{
	struct tb *tb = *state;

	tb_cmd(tb, "alice", "/meeting config locale zh_CN");
	TB_REFUSED(
	    tb,
	    { "alice", "/meeting schedule mon 25:00",
	      ME "“25:00”不是有效的时刻（00:00 到 23:59）" USAGE_ZH },
	    { "alice", "/meeting schedule 周一 10:00 开会",
	      ME "无法识别“开会”；应为星期几、时间（如 10:00）、时长（如 "
		 "60分钟）、每周、每两周、每3天、每月或时区" USAGE_ZH },
	    { "alice", "/meeting schedule 每 10:00",
	      ME "“每”不完整：“每”后面需要“周”“天”或“月”，例如 每周、"
		 "每3天、每月" USAGE_ZH },
	    { "alice", "/meeting schedule 周一",
	      ME "缺少会议时间；例如“周一 10:00 60分钟 每周 "
		 "Asia/Shanghai”" USAGE_ZH },
	    { "alice", "/meeting schedule 周一 10:00 Mars/Base",
	      ME "未知时区“Mars/Base”；请使用 IANA 时区名，例如 Asia/Shanghai "
		 "或 Europe/Berlin" USAGE_ZH });
}

static void
test_bad_schedule_en(void **state)
{
	struct tb *tb = *state;

	TB_REFUSED(tb,
		   { "alice", "/meeting schedule mon 25:00",
		     ME "'25:00' is not a time of day (00:00 to "
			"23:59)" USAGE_EN },
		   { "alice", "/meeting schedule 周一 10:00 开会",
		     ME "unknown word '开会'; expected weekdays, a time like "
			"10:00, a length like 60m, weekly, every 2 weeks, "
			"every 3 days, monthly or a time zone" USAGE_EN });
}

static void
test_good_schedule_zh(void **state)
{
	struct tb *tb = *state;
	const char *out;

	tb_cmd(tb, "alice", "/meeting config locale zh_CN");
	out = tb_cmd(tb, "alice", "/meeting schedule 每周一 10:00 45分钟");
	if (strstr(out, "weekly mon 10:00 45m UTC") == NULL)
		fail_msg("unexpected reply: %s", out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bad_schedule_zh, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_bad_schedule_en, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_good_schedule_zh, tb_setup,
						tb_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
