/* SPDX-License-Identifier: MIT */
/*
 * catalog-cmd.c: Simplified Chinese for every text the command core and
 * the command groups reply with, and for their help and usage lines.
 * Keep the printf conversions of both forms identical (test-catalog).
 */

#include <stddef.h>

#include "catalog-int.h"

const struct catalog_entry catalog_cmd[] = {
	/* dispatcher */
	{ "%s; usage: /%s %s %s", "%s；用法：/%s %s %s" },
	{ "%s; usage: /%s %s", "%s；用法：/%s %s" },
	{ "Every command also works as `/lihui <group> ...` and as a message "
	  "to the bot.",
	  "每个命令也可以写成 `/lihui <命令组> ...`，或直接发消息给机器人。" },
	{ "a quote is not closed", "引号没有闭合" },
	{ "cannot read that command: %s", "无法识别该命令：%s" },
	{ "missing arguments", "缺少参数" },
	{ "only the meeting's admins may do that", "只有会议管理员可以这样做" },
	{ "sorry, that could not be saved; please try again later",
	  "抱歉，保存失败，请稍后再试" },
	{ "that is too long (%zu bytes; at most %zu); please shorten it",
	  "内容太长（%zu 字节，最多 %zu），请缩短" },
	{ "that text is not valid UTF-8; nothing was saved",
	  "内容不是有效的 UTF-8 文本，未保存任何内容" },
	{ "too many arguments", "参数过多" },
	{ "too many words", "词语过多" },
	{ "unknown command '%s'; try /lihui help",
	  "未知命令“%s”；请试试 /lihui help" },
	{ "unknown subcommand '%s' of /%s; try /%s help",
	  "“%s”不是 /%s 的子命令；请试试 /%s help" },
	{ "use /%s %s in your team's channel, not in a direct message",
	  "请在团队频道中使用 /%s %s，而不是私信" },

	/* /report */
	{ " (can help: @%s)", "（可协助：@%s）" },
	{ "%s is in the past", "%s 已经过去了" },
	{ "'%s' is not an item number (1 to %zu); /report show lists them",
	  "“%s”不是条目编号（1 到 %zu）；/report show 可列出全部条目" },
	{ "**Your report for the meeting on %s**", "**你在 %s 例会的汇报**" },
	{ "<n> <text>", "<编号> <内容>" },
	{ "<n>", "<编号>" },
	{ "<name>=<value> ...", "<名称>=<数值> ..." },
	{ "<text> [@who-can-help ...]", "<内容> [@可协助的人 ...]" },
	{ "<text>", "<内容>" },
	{ "Cleared your report (%zu items).", "已清空你的汇报（%zu 条）。" },
	{ "Item %zu now reads: %s", "第 %zu 条已改为：%s" },
	{ "Noted under %s: %s", "已记入“%s”：%s" },
	{ "Recorded: %s", "已记录：%s" },
	{ "Removed item %zu.", "已删除第 %zu 条。" },
	{ "Welcome back: you are no longer on leave.",
	  "欢迎回来：你已结束请假。" },
	{ "You are on leave until %s (inclusive): reminders skip you and the "
	  "agenda lists you as on leave.",
	  "你请假至 %s（含当天）：提醒会跳过你，议程中会显示你在请假。" },
	{ "You have not reported anything for the meeting on %s yet; try /%s "
	  "done <text>",
	  "你还没有为 %s 的例会提交任何汇报；试试 /%s done <内容>" },
	{ "[<n>]", "[<编号>]" },
	{ "add something you finished this period", "添加本期已完成的工作" },
	{ "add something you plan for the next period", "添加下期的工作计划" },
	{ "ask for resources: people, budget, tools",
	  "提出资源需求：人力、预算、工具" },
	{ "cannot read the date '%s'; use 2026-12-07, 12-07, fri, 周五, "
	  "tomorrow, 明天, in 3 days, next week or 下周一",
	  "无法识别日期“%s”；可以写 2026-12-07、12-07、fri、周五、tomorrow、"
	  "明天、in 3 days、next week 或 下周一" },
	{ "give the last day of your leave", "请给出请假的最后一天" },
	{ "item %zu is a metric; report it again with /%s metric name=value",
	  "第 %zu 条是数据；请用 /%s metric 名称=数值 重新填报" },
	{ "mark yourself on leave until a date, or back",
	  "登记请假到某天，或销假" },
	{ "metric '%s' is given twice", "数据“%s”重复填写了" },
	{ "metric '%s' needs a name of 1 to 64 bytes, without spaces, before "
	  "'='",
	  "数据“%s”在“=”前需要 1 到 64 字节、不含空格的名称" },
	{ "metric '%s': the value is not a number; write e.g. signups=1240, "
	  "conversion=3.1%% or latency=250ms",
	  "数据“%s”的值不是数字；例如写 注册数=1240、conversion=3.1%% 或 "
	  "latency=250ms" },
	{ "record key metrics, e.g. signups=1240 conversion=3.1%",
	  "填报关键数据，例如 signups=1240 conversion=3.1%" },
	{ "remove item n of your report, or all of it",
	  "删除汇报中的第 n 条，或全部清空" },
	{ "replace the text of item n of your report",
	  "修改汇报中第 n 条的内容" },
	{ "report a problem or blocker, and who can help",
	  "提出问题或阻碍，以及谁可以协助" },
	{ "say what the problem is", "请说明是什么问题" },
	{ "show your report for the next meeting",
	  "查看你为下次例会准备的汇报" },
	{ "this channel does not use the section '%s'; it uses: %s",
	  "本频道不使用“%s”栏目；当前栏目：%s" },
	{ "until <date> | off", "until <日期> | off" },
	{ "write each metric as name=value", "每项数据请写成 名称=数值" },
	{ "your report already has %d entries, the most one report may hold; "
	  "edit or clear some first",
	  "你的汇报已有 %d 条，已达上限；请先修改或清除一些" },
	{ "your report is empty; there is nothing to change",
	  "你的汇报是空的，没有可修改的内容" },
	{ "your status report for the next meeting",
	  "你为下次例会准备的工作汇报" },

	/* /agenda */
	{ "'%s' is not a topic number (1 to %zu); /agenda lists them",
	  "“%s”不是议题编号（1 到 %zu）；/agenda 可查看全部议题" },
	{ "<title> [@owner] [<n>m]", "<标题> [@负责人] [<分钟数>m]" },
	{ "Added topic %lld: %s (%d min)", "已添加议题 %lld：%s（%d 分钟）" },
	{ "Removed topic %ld: %s", "已删除议题 %ld：%s" },
	{ "The agenda is posted in the channel.", "议程已发布到频道。" },
	{ "no topics are queued for the next meeting",
	  "下次例会还没有排入议题" },
	{ "post the agenda in the channel now", "立即在频道发布议程" },
	{ "preview the next agenda (only you see it)",
	  "预览下次例会的议程（仅你可见）" },
	{ "queue a topic for the next meeting, with owner and time box",
	  "为下次例会添加议题，可指定负责人和时长" },
	{ "remove queued topic n", "删除第 n 个议题" },
	{ "the agenda of the next meeting", "下次例会的议程" },
	{ "the time box must be 1 to 240 minutes",
	  "时长必须在 1 到 240 分钟之间" },
	{ "the next meeting already has %d topics, the most an agenda holds; "
	  "remove one first",
	  "下次例会已有 %d 个议题，已达上限；请先删除一个" },
	{ "the title is too long", "标题太长" },

	/* /meeting */
	{ "Added to the roster:%s", "已加入名单：%s" },
	{ "Already on the roster:%s", "已在名单中：%s" },
	{ "Not on the roster:%s", "不在名单中：%s" },
	{ "Removed from the roster:%s", "已移出名单：%s" },
	{ "Roster (%zu):", "名单（%zu 人）：" },
	{ "Settings of #%s: locale %s, timezone %s, sections %s, meeting %s "
	  "%02d:%02d for %d min",
	  "#%s 的设置：语言 %s，时区 %s，栏目 %s，例会时间 %s %02d:%02d，"
	  "时长 %d 分钟" },
	{ "The roster is empty; add people with /%s roster add @name",
	  "名单为空；用 /%s roster add @用户名 添加成员" },
	{ "[list | add @user ... | remove @user ...]",
	  "[list | add @用户 ... | remove @用户 ...]" },
	{ "[locale en|zh_CN | timezone <zone> | sections <list>]",
	  "[locale en|zh_CN | timezone <时区> | sections <栏目列表>]" },
	{ "each name must look like @user", "每个名字都要写成 @用户名 的形式" },
	{ "give a setting and a value", "请给出设置项和值" },
	{ "list sections from done,plan,blocker,metric,need",
	  "栏目请从 done,plan,blocker,metric,need 中选择" },
	{ "name at least one @user", "请至少写一个 @用户" },
	{ "say list, add or remove", "请写 list、add 或 remove" },
	{ "show or change this channel's settings", "查看或修改本频道的设置" },
	{ "the locale must be en or zh_CN", "语言只能是 en 或 zh_CN" },
	{ "the meeting: roster and settings", "例会：名单与设置" },
	{ "unknown setting", "未知的设置项" },
	{ "unknown time zone; use a name such as Asia/Shanghai",
	  "未知时区；请使用如 Asia/Shanghai 这样的名称" },
	{ "who is expected to report and attend", "需要汇报和参会的人员" },
	{ NULL, NULL },
};
