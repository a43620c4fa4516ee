/* SPDX-License-Identifier: MIT */
/*
 * catalog-render.c: the Simplified Chinese texts of the renderers (agenda,
 * post splitting), keyed by their English form (see catalog.h).
 *
 * Rows follow the order the texts appear in the agenda. Both forms must
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

	/* Item 1: last meeting's action items. */
	{ "1. Review of last meeting's action items (%d min)",
	  "1. 上次会议行动项跟进（%d 分钟）" },
	{ "No open action items.", "暂无待跟进的行动项。" },
	{ "- @%s: %s (due %s)", "- @%s：%s（截止 %s）" },
	{ "- @%s: %s (due %s, **overdue**)",
	  "- @%s：%s（截止 %s，**已逾期**）" },
	{ "- @%s: %s", "- @%s：%s" },
	{ "- @%s: %s (**overdue**)", "- @%s：%s（**已逾期**）" },

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

	{ NULL, NULL },
};
