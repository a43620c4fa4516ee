/* SPDX-License-Identifier: MIT */
/*
 * catalog-render.c: the Simplified Chinese texts of the renderers (agenda,
 * minutes, post splitting), keyed by their English form (see catalog.h).
 *
 * Rows follow the order the texts appear in the agenda, then in the
 * minutes. Both forms must
 * have the same printf conversions in the same order; the Chinese ones use
 * full-width punctuation, and a mention ("@%s") is never followed by a
 * letter, so the chat platform still sees where the user name ends.
 */

#include <stddef.h>

#include "catalog-int.h"

const struct catalog_entry catalog_render[] = {
	/* Title and start. */
	{ "Weekly meeting", "例会议程" },
	{ "Sun %s", "%s 周日" },
	{ "Mon %s", "%s 周一" },
	{ "Tue %s", "%s 周二" },
	{ "Wed %s", "%s 周三" },
	{ "Thu %s", "%s 周四" },
	{ "Fri %s", "%s 周五" },
	{ "Sat %s", "%s 周六" },
	{ "%s %02d:%02d (%s), %d min", "%s %02d:%02d（%s），%d 分钟" },
	{ "The last meeting was rated %.1f of 5 (%d ratings).",
	  "上次会议评分 %.1f / 5（%d 人评分）。" },

	/* Item 1: last meeting's action items. */
	{ "1. Review of last meeting's action items (%d min)",
	  "1. 上次会议行动项跟进（%d 分钟）" },
	{ "No open action items.", "暂无待跟进的行动项。" },
	{ "- #%lld %s: %s", "- #%lld %s：%s" },
	{ " (due %s, **1 day overdue**)", "（截止 %s，**已逾期 1 天**）" },
	{ " (due %s, **%d days overdue**)", "（截止 %s，**已逾期 %d 天**）" },
	{ "unassigned", "未指派" },

	/* scheduled reminders (src/jobs.c) */
	{ "Status reports for the meeting on %s (%s) are open. Report with /%s "
	  "done, /%s plan, /%s blocker, /%s metric or /%s need <text>; /%s "
	  "show shows yours.",
	  "%s（%s）例会的工作汇报开始收集。请用 /%s done、/%s plan、/%s "
	  "blocker、/%s metric 或 /%s need <内容> 汇报；/%s show "
	  "查看自己的汇报。" },
	{ "Your status report for the meeting of #%s on %s (%s) is still "
	  "missing. One line is enough: /%s done <what you did>",
	  "你还没有提交 #%s 在 %s（%s）例会的工作汇报。一行就够："
	  "/%s done <完成的工作>" },
	{ "Action item #%lld (%s) is due tomorrow, %s: %s\nWhen it is done: "
	  "/%s done %lld",
	  "行动项 #%lld（%s）明天（%s）到期：%s\n完成后请发送：/%s done %lld" },
	{ "Action item #%lld (%s) is due today: %s\nWhen it is done: /%s done "
	  "%lld",
	  "行动项 #%lld（%s）今天到期：%s\n完成后请发送：/%s done %lld" },
	{ "Action item #%lld (%s) is 1 day overdue (due %s): %s\nWhen it is "
	  "done: /%s done %lld; a new deadline: /%s due %lld <date>",
	  "行动项 #%lld（%s）已逾期 1 天（截止 %s）：%s\n完成后请发送：/%s "
	  "done %lld；修改截止日期：/%s due %lld <日期>" },
	{ "Action item #%lld (%s) is %d days overdue (due %s): %s\nWhen it is "
	  "done: /%s done %lld; a new deadline: /%s due %lld <date>",
	  "行动项 #%lld（%s）已逾期 %d 天（截止 %s）：%s\n完成后请发送：/%s "
	  "done %lld；修改截止日期：/%s due %lld <日期>" },
	{ "Action item #%lld (%s) of @%s is %d days overdue (due %s): %s",
	  "行动项 #%lld（%s，责任人 @%s）已逾期 %d 天（截止 %s）：%s" },
	{ "Action item #%lld (%s) has no owner and is %d days overdue (due "
	  "%s): "
	  "%s\nAssign it: /%s assign %lld @user",
	  "行动项 #%lld（%s）没有责任人，已逾期 %d 天（截止 %s）：%s\n"
	  "请指派：/%s assign %lld @用户" },
	{ " (done)", "（已完成）" },
	{ " (dropped)", "（已放弃）" },
	{ "Overdue", "已逾期" },
	{ "Open", "进行中" },
	{ "Closed since the last meeting", "上次会议以来已关闭" },

	/* Section names (render_section_name()). */
	{ "Done", "已完成" },
	{ "Plan", "计划" },
	{ "Problems and blockers", "问题与挑战" },
	{ "Key metrics", "关键数据" },
	{ "Resource needs", "资源需求" },
	{ "Other", "其他" },

	/* Metrics. */
	{ "%s %s (%s vs %s)", "%s %s（%s，上期 %s）" },
	{ "%s %s (new)", "%s %s（新增）" },
	{ "%s pt", "%s 个百分点" },

	/* Reports, blockers, topics. */
	{ "Member reports", "成员汇报" },
	{ " (can help: %s)", "（可协助：%s）" },
	{ "Topics", "议题" },
	{ " (%d min)", "（%d 分钟）" },

	/* Time budget. */
	{ "Time", "时间安排" },
	{ "Planned: %lld of %lld min (review %lld + topics %lld)",
	  "已安排 %lld 分钟，会议时长 %lld 分钟（跟进 %lld + 议题 %lld）" },
	{ "Planned: %lld min (review %lld + topics %lld)",
	  "已安排 %lld 分钟（跟进 %lld + 议题 %lld）" },
	{ "⚠ %lld min planned for a %lld min meeting",
	  "⚠ 已安排 %lld 分钟，超过 %lld 分钟的会议时长" },

	/* Who has not reported, who is away. */
	{ "Not reported yet", "未提交汇报" },
	{ "Everyone has reported.", "全员均已提交汇报。" },
	{ "Nobody is on the roster yet: add the members with /lihui meeting "
	  "roster add @name.",
	  "名单还是空的：请用 /lihui meeting roster add @用户名 添加成员。" },
	{ "On leave", "请假" },
	{ "- @%s (until %s)", "- @%s（至 %s）" },

	/*
	 * The minutes (minutes.c); the weekdays, "Other" and "- @%s (until
	 * %s)" above serve them too.
	 */
	{ "Minutes of meeting %lld: %s", "会议纪要（编号 %lld）：%s" },
	{ "Minutes of meeting %lld", "会议纪要（编号 %lld）" },
	{ "%s %02d:%02d–%02d:%02d (%s), %d min",
	  "%s %02d:%02d–%02d:%02d（%s），%d 分钟" },
	{ "%s %02d:%02d – %s %02d:%02d (%s), %d min",
	  "%s %02d:%02d – %s %02d:%02d（%s），%d 分钟" },
	{ "Channel: %s", "频道：%s" },
	{ "Chair: %s", "主持人：%s" },
	{ "Chairs: %s", "主持人：%s" },
	{ "lihui closed this meeting automatically after the time limit.",
	  "会议超过时限，已由 lihui 自动结束。" },
	{ "These minutes were amended after the meeting.",
	  "本纪要已在会后修订。" },
	{ "Attendees (%zu)", "出席（%zu 人）" },
	{ "- @%s (%d line)", "- @%s（发言 %d 条）" },
	{ "- @%s (%d lines)", "- @%s（发言 %d 条）" },
	{ "Absent (%zu)", "缺席（%zu 人）" },
	{ "Excused (%zu)", "请假（%zu 人）" },
	{ "Summary by topic", "分议题纪要" },
	{ "Before the first topic", "第一个议题之前" },
	{ "Nothing recorded.", "无记录。" },
	{ "Note", "信息" },
	{ "Idea", "想法" },
	{ "Decision", "决议" },
	{ "Action", "行动项" },
	{ "Link", "链接" },
	{ "- **%s** @%s: %s", "- **%s** @%s：%s" },
	{ "Decisions", "决议" },
	{ "No decisions.", "无决议。" },
	{ "Action items", "行动项" },
	{ "No action items.", "无行动项。" },
	{ "- #%lld @%s: %s (due %s)", "- #%lld @%s：%s（截止 %s）" },
	{ "- #%lld @%s: %s", "- #%lld @%s：%s" },
	{ "- #%lld **unassigned**: %s (due %s)",
	  "- #%lld **未指派**：%s（截止 %s）" },
	{ "- #%lld **unassigned**: %s", "- #%lld **未指派**：%s" },
	{ "Action items by person", "行动项（按责任人）" },
	{ "- #%lld %s (due %s)", "- #%lld %s（截止 %s）" },
	{ "Unassigned", "未指派" },
	{ "Next meeting", "下次会议" },
	{ "%s %02d:%02d (%s)", "%s %02d:%02d（%s）" },

	{ NULL, NULL },
};
