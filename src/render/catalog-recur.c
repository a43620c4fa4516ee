/* SPDX-License-Identifier: MIT */
/*
 * catalog-recur.c: Simplified Chinese for the causes the schedule parser
 * (src/core/recur.c: recur_parse(), recur_offset_parse() and the checks
 * they end with) gives for a text it cannot use. The user's words are
 * quoted with “” as given; examples are written the Chinese way, since
 * the parser reads both languages. Keep the printf conversions of both
 * forms identical (test-catalog).
 */

#include <stddef.h>

#include "catalog-int.h"

const struct catalog_entry catalog_recur[] = {
	/* The whole schedule (recur_parse). */
	{ "e.g. 'mon 10:00 60m weekly Asia/Shanghai'",
	  "例如“周一 10:00 60分钟 每周 Asia/Shanghai”" },
	{ "empty schedule; %s", "日程为空；%s" },
	{ "schedule is too long (at most %d bytes)",
	  "日程太长（最多 %d 字节）" },
	{ "schedule is not valid UTF-8", "日程不是有效的 UTF-8 文本" },
	{ "unknown word '%s'; expected weekdays, a time like 10:00, a length "
	  "like 60m, weekly, every 2 weeks, every 3 days, monthly or a time "
	  "zone",
	  "无法识别“%s”；应为星期几、时间（如 10:00）、时长（如 60分钟）、"
	  "每周、每两周、每3天、每月或时区" },
	{ "cannot find a first meeting day on or after the start date",
	  "开始日期当天及之后找不到第一次例会的日期" },
	{ "missing the meeting days; %s, 'every 3 days 09:00' or 'monthly 15 "
	  "10:00'",
	  "缺少例会日期；%s、“每3天 09:00”或“每月 15日 10:00”" },
	{ "missing the meeting time; %s", "缺少会议时间；%s" },
	{ "missing the time zone; add one like Asia/Shanghai",
	  "缺少时区；请加上时区，例如 Asia/Shanghai" },
	{ "the default time zone is not valid", "默认时区无效" },
	{ "default length %d is out of range (%d to %d minutes)",
	  "默认会议时长 %d 超出范围（%d 到 %d 分钟）" },

	/* Recurrence words: weekly, every 2 weeks, 每周, 每3天 ... */
	{ "'%s' conflicts with '%s': give the recurrence once",
	  "“%s”与“%s”冲突：重复方式只能写一次" },
	{ "'%s': the interval must be 1 to %d weeks",
	  "“%s”：间隔必须是 1 到 %d 周" },
	{ "'%s': the interval must be 1 to %d days",
	  "“%s”：间隔必须是 1 到 %d 天" },
	{ "'%s': the interval must be 1 to %d months",
	  "“%s”：间隔必须是 1 到 %d 个月" },
	{ "'%s' needs days, weeks or months after it, e.g. 'every 2 weeks'",
	  "“%s”后面需要 days、weeks 或 months，例如“every 2 weeks”或“每两周”" },
	{ "'%s' needs 周, 天 or 月 after 每, e.g. 每周, 每3天, 每月",
	  "“%s”不完整：“每”后面需要“周”“天”或“月”，例如 每周、每3天、每月" },

	/* Days: weekdays, days of the month, the n-th weekday. */
	{ "weekday '%s' is given twice", "星期“%s”重复了" },
	{ "expected a weekday after the comma, found '%s'",
	  "逗号后面应是星期几，却是“%s”" },
	{ "day of the month '%s' is out of range (1 to 31)",
	  "每月的日期“%s”超出范围（1 到 31）" },
	{ "'%s' conflicts with '%s': give the day once",
	  "“%s”与“%s”冲突：日期只能写一次" },
	{ "'%s': only the first to fourth or the last weekday of a month",
	  "“%s”：只能是每月第一到第四个或最后一个星期几" },
	{ "'%s' needs a weekday after it, e.g. '%s mon'",
	  "“%s”后面需要星期几，例如“%s mon”" },
	{ "'%s' needs a number, e.g. 第一个周一",
	  "“%s”后面需要数字，例如 第一个周一" },
	{ "'%s' needs a weekday after it, e.g. 第一个周一 or 最后一个周五",
	  "“%s”后面需要星期几，例如 第一个周一 或 最后一个周五" },
	{ "'%s' is a day of the month, which needs 'monthly'",
	  "“%s”是每月的日期，需要写“每月”" },
	{ "'%s' needs a weekday, e.g. mon or 周一",
	  "“%s”需要星期几，例如 周一 或 mon" },
	{ "weekday '%s' does not fit '%s'; use 'weekly' for weekdays",
	  "星期“%s”与“%s”不符；按星期开会请用“每周”" },
	{ "'%s' does not fit '%s'", "“%s”与“%s”不符" },
	{ "weekday '%s' needs first, second, third, fourth or last before it "
	  "for a monthly meeting",
	  "每月的例会中，星期“%s”前面需要写第几个，例如“第一个”或“最后一个”" },
	{ "'%s' needs a day, e.g. 'monthly 15 10:00' or 'monthly first mon "
	  "10:00'",
	  "“%s”需要日期，例如“每月 15日 10:00”或“每月第一个周一 10:00”" },

	/* Start date, time, length, zone. */
	{ "'%s': the start date is given twice", "“%s”：开始日期重复了" },
	{ "'%s' needs a date like 2026-12-01 after it, e.g. 'from 2026-12-01'",
	  "“%s”后面需要 2026-12-01 这样的日期，例如“从2026-12-01起”" },
	{ "'%s' is not a time; use hours and minutes like 09:30",
	  "“%s”不是时间；请写成时:分，例如 09:30" },
	{ "'%s' is not a time of day (00:00 to 23:59)",
	  "“%s”不是有效的时刻（00:00 到 23:59）" },
	{ "two meeting times: '%s' and '%s'; give one",
	  "有两个会议时间：“%s”和“%s”；请只写一个" },
	{ "length '%s' is out of range (%d to %d minutes)",
	  "时长“%s”超出范围（%d 到 %d 分钟）" },
	{ "two meeting lengths: '%s' and '%s'; give one",
	  "有两个会议时长：“%s”和“%s”；请只写一个" },
	{ "time zone '%s...' is too long (at most %d bytes)",
	  "时区“%s...”太长（最多 %d 字节）" },
	{ "two time zones: '%s' and '%s'; give one",
	  "有两个时区：“%s”和“%s”；请只写一个" },
	{ "unknown time zone '%s'; use an IANA name like Asia/Shanghai or "
	  "Europe/Berlin",
	  "未知时区“%s”；请使用 IANA 时区名，例如 Asia/Shanghai 或 "
	  "Europe/Berlin" },

	/* The checks a parsed rule ends with (recur_check_rule). */
	{ "weekdays 0x%x are not valid", "星期设置 0x%x 无效" },
	{ "a weekly rule has month days", "每周的日程不能带每月的日期" },
	{ "a daily rule has days set", "每天的日程不能带星期或日期" },
	{ "day of the month %d is out of range (1 to 31)",
	  "每月的第 %d 日超出范围（1 到 31）" },
	{ "a monthly rule has weekdays", "每月的日程不能带星期" },
	{ "n-th weekday %d is out of range (1 to 4, or -1 for the last)",
	  "第 %d 个星期几超出范围（1 到 4，或 -1 表示最后一个）" },
	{ "weekday %d is out of range (0 to 6)", "星期 %d 超出范围（0 到 6）" },
	{ "an n-th weekday rule has other days",
	  "按第几个星期几开会的日程不能再带其他日期" },
	{ "interval %d is out of range (1 to %d)",
	  "间隔 %d 超出范围（1 到 %d）" },
	{ "meeting time %d is out of range (0 to 1439)",
	  "会议时间 %d 超出范围（0 到 1439）" },
	{ "meeting length %d is out of range (%d to %d minutes)",
	  "会议时长 %d 超出范围（%d 到 %d 分钟）" },
	{ "unknown time zone", "未知时区" },
	{ "time zone has trailing bytes", "时区名称后面有多余的字节" },
	{ "start date is not a valid date", "开始日期不是有效的日期" },
	{ "start date %04d-%02d-%02d is not a meeting day",
	  "开始日期 %04d-%02d-%02d 不是例会日" },
	{ "%d skipped dates (at most %d)", "跳过的日期有 %d 个（最多 %d 个）" },
	{ "skipped date %d is not valid", "第 %d 个跳过的日期无效" },
	{ "skipped dates are not in order", "跳过的日期没有按先后排列" },

	/* Offsets before a meeting (recur_offset_parse). */
	{ "offset is too long (at most %d bytes)",
	  "提前时间写得太长（最多 %d 字节）" },
	{ "offset is not valid UTF-8", "提前时间不是有效的 UTF-8 文本" },
	{ "'%s' is too long before the meeting (at most a week)",
	  "“%s”离会议太久（最多提前一周）" },
	{ "'%s' is too far back (at most %d days)",
	  "“%s”提前太多（最多 %d 天）" },
	{ "expected a time like 16:00, found '%s'",
	  "应为 16:00 这样的时间，却是“%s”" },
	{ "cannot read '%s'; use 'fri 16:00', '30m', '2h' or '1d 17:00'",
	  "无法识别“%s”；请写成“周五 16:00”“30分钟”“2小时”或“前一天 17:00”" },
	{ NULL, NULL },
};
