/* SPDX-License-Identifier: MIT */
/*
 * test-agenda.c: render_agenda() against golden Markdown files in English
 * and Chinese, its layout invariants, and the small helpers
 * render_metric_value() and render_section_name().
 *
 * The golden files are tests/fixtures/agenda/<name>.md, read relative to
 * the repository root (the tests run from there). After a deliberate
 * change to the layout or to a text, regenerate them with
 *	LIHUI_UPDATE_GOLDEN=1 build/test/render/test-agenda
 * and read the diff before committing it.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "golden.h"
#include "lihui/render.h"
#include "lihui/store.h"
#include "lihui/utf8.h"
#include "lihui/xmalloc.h"

#define GOLDEN_DIR "tests/fixtures/agenda/"

/* The fixture: a team's Monday meeting with a bit of everything. */
static const struct agenda_action full_actions[] = {
	{ 3,
	  "bob",
	  "Prepare the budget draft",
	  { 2026, 11, 27 },
	  ACTION_OPEN,
	  3 },
	{ 4, "carol", "预订团建场地", { 2026, 12, 2 }, ACTION_OPEN, 0 },
	{ 5, NULL, "Book the meeting room", { 0, 0, 0 }, ACTION_OPEN, 0 },
	{ 6,
	  "dave",
	  "Renew the certificate",
	  { 2026, 11, 29 },
	  ACTION_OPEN,
	  1 },
	{ 7, "alice", "Send the survey", { 2026, 11, 20 }, ACTION_DONE, 0 },
	{ 8, "erin", "Move the office plants", { 0, 0, 0 }, ACTION_DROPPED, 0 },
};

static const struct agenda_report full_reports[] = {
	{ "alice", SECTION_DONE, "Shipped the login page", NULL },
	{ "alice", SECTION_DONE, "Fixed the CSV export\nfor large files",
	  NULL },
	{ "alice", SECTION_PLAN, "Launch A/B test by Thu", NULL },
	{ "alice", SECTION_BLOCKER, "Waiting for design assets", "dave @erin" },
	{ "alice", SECTION_NEED, "1 designer for 2 weeks", NULL },
	{ "bob", SECTION_DONE, "完成计费系统数据库迁移", NULL },
	{ "bob", SECTION_BLOCKER, "没有预发布环境，无法做回归测试", NULL },
	{ "carol", SECTION_PLAN, "准备季度复盘材料", NULL },
	{ "carol", SECTION_PLAN, "Interview 3 candidates", NULL },
	{ "carol", SECTION_NEED, "测试机 2 台", NULL },
};

static const struct agenda_metric full_metrics[] = {
	{ "signups", "alice", 1240, "", 1, 1104 },
	{ "conversion", "alice", 3.1, "%", 1, 2.9 },
	{ "latency", "bob", 250, "ms", 0, 0 },
	{ "tickets", "bob", 80, "", 1, 100 },
	{ "revenue", "carol", 5000, "", 1, 0 },
	{ "churn", "carol", 2.5, "%", 1, 3 },
};

static const struct agenda_topic full_topics[] = {
	{ "Pricing change", "bob", 15 },
	{ "Office move", NULL, 20 },
	{ "Q1 规划", "alice", 30 },
};

static const char *const full_not_reported[] = { "dave", "erin" };

static const struct agenda_leave full_on_leave[] = {
	{ "frank", { 2026, 12, 7 } },
};

static const char *const empty_not_reported[] = { "alice", "bob", "carol" };

/* Monday 2026-11-30 10:00 in Shanghai, 60 minutes, every section. */
static struct agenda_view
base_view(enum locale loc)
{
	struct agenda_view v;

	memset(&v, 0, sizeof v);
	v.locale = loc;
	v.channel_name = "ops-weekly";
	v.start.date.year = 2026;
	v.start.date.month = 11;
	v.start.date.day = 30;
	v.start.hour = 10;
	v.start.minute = 0;
	v.start.wday = 1;
	v.start.utcoff = 8 * 3600;
	v.timezone = "Asia/Shanghai";
	v.length = 60;
	v.sections = SECTION_ALL;
	v.review_minutes = 10;
	return v;
}

static struct agenda_view
full_view(enum locale loc)
{
	struct agenda_view v = base_view(loc);

	v.actions = full_actions;
	v.n_actions = sizeof full_actions / sizeof full_actions[0];
	v.reports = full_reports;
	v.n_reports = sizeof full_reports / sizeof full_reports[0];
	v.metrics = full_metrics;
	v.n_metrics = sizeof full_metrics / sizeof full_metrics[0];
	v.topics = full_topics;
	v.n_topics = sizeof full_topics / sizeof full_topics[0];
	v.not_reported = full_not_reported;
	v.n_not_reported =
	    sizeof full_not_reported / sizeof full_not_reported[0];
	v.on_leave = full_on_leave;
	v.n_on_leave = sizeof full_on_leave / sizeof full_on_leave[0];
	return v;
}

/* Nobody has reported, nothing is queued. */
static struct agenda_view
empty_view(enum locale loc)
{
	struct agenda_view v = base_view(loc);

	v.not_reported = empty_not_reported;
	v.n_not_reported =
	    sizeof empty_not_reported / sizeof empty_not_reported[0];
	return v;
}

/* The full data, but the team only uses done and blockers. */
static struct agenda_view
partial_view(enum locale loc)
{
	struct agenda_view v = full_view(loc);

	v.sections = (1u << SECTION_DONE) | (1u << SECTION_BLOCKER);
	v.n_topics = 2; /* 45 minutes: fits */
	v.n_actions = 1;
	v.n_on_leave = 0;
	v.start.date.day = 3;
	v.start.date.month = 12;
	v.start.wday = 4;
	v.start.hour = 9;
	v.start.minute = 30;
	v.timezone = "Europe/Berlin";
	v.length = 90;
	v.review_minutes = 5;
	return v;
}

/*
 * The layout every agenda keeps: valid UTF-8, ends with a newline, starts
 * with the title, and every heading is preceded by a blank line, except a
 * member's heading right after "Member reports".
 */
static void
check_layout(const char *text)
{
	const char *line = text, *next, *prev = NULL;
	size_t prev_len = 0, len;

	assert_true(utf8_valid(text, strlen(text)));
	assert_true(strncmp(text, "#### ", 5) == 0);
	assert_true(strlen(text) > 0 && text[strlen(text) - 1] == '\n');
	while (*line != '\0') {
		next = strchr(line, '\n');
		assert_non_null(next);
		len = (size_t)(next - line);
		if (line[0] == '#' && prev != NULL && prev_len > 0) {
			assert_true(strncmp(line, "###### ", 7) == 0);
			assert_true(strncmp(prev, "##### ", 6) == 0);
		}
		prev = line;
		prev_len = len;
		line = next + 1;
	}
}

static void
render_and_check(const struct agenda_view *v, const char *golden)
{
	char *text = render_agenda(v);

	check_layout(text);
	golden_check(GOLDEN_DIR, golden, text);
	free(text);
}

static void
test_full_en(void **state)
{
	struct agenda_view v = full_view(LOCALE_EN);

	(void)state;
	render_and_check(&v, "full-en.md");
}

static void
test_full_zh(void **state)
{
	struct agenda_view v = full_view(LOCALE_ZH_CN);

	(void)state;
	render_and_check(&v, "full-zh_CN.md");
}

static void
test_empty_en(void **state)
{
	struct agenda_view v = empty_view(LOCALE_EN);

	(void)state;
	render_and_check(&v, "empty-en.md");
}

static void
test_empty_zh(void **state)
{
	struct agenda_view v = empty_view(LOCALE_ZH_CN);

	(void)state;
	render_and_check(&v, "empty-zh_CN.md");
}

static void
test_partial_en(void **state)
{
	struct agenda_view v = partial_view(LOCALE_EN);

	(void)state;
	render_and_check(&v, "partial-en.md");
}

static void
test_partial_zh(void **state)
{
	struct agenda_view v = partial_view(LOCALE_ZH_CN);

	(void)state;
	render_and_check(&v, "partial-zh_CN.md");
}

/* Number of lines of text that start with '#'. */
static size_t
count_headings(const char *text)
{
	const char *p = text;
	size_t n = 0;

	while (p != NULL && *p != '\0') {
		if (*p == '#')
			n++;
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	return n;
}

/* Line breaks in any user text become spaces: no text starts a line. */
static void
test_user_text_cannot_break_layout(void **state)
{
	static const struct agenda_action actions[] = {
		{ 1,
		  "bob\n# owner",
		  "do\n# not\r\nbreak\rme",
		  { 2026, 12, 1 },
		  ACTION_OPEN,
		  0 },
	};
	static const struct agenda_report reports[] = {
		{ "ann\n#x", SECTION_DONE, "line one\n##### Fake", NULL },
		{ "ann\n#x", SECTION_BLOCKER, "stuck\n\n#", "al\nbo" },
		{ "ann\n#x", SECTION_NEED, "\n# need", NULL },
	};
	static const struct agenda_metric metrics[] = {
		{ "m\n# etric", "u\n#", 1, "\n#", 1, 2 },
	};
	static const struct agenda_topic topics[] = {
		{ "t\n# opic", "o\n#", 5 },
	};
	static const char *const missing[] = { "x\n#y" };
	static const struct agenda_leave leave[] = {
		{ "z\n#", { 2026, 12, 9 } },
	};
	struct agenda_view v = base_view(LOCALE_EN);
	char *text;

	(void)state;
	v.channel_name = "chan\n# nel";
	v.timezone = "UTC\n#";
	v.actions = actions;
	v.n_actions = 1;
	v.reports = reports;
	v.n_reports = 3;
	v.metrics = metrics;
	v.n_metrics = 1;
	v.topics = topics;
	v.n_topics = 1;
	v.not_reported = missing;
	v.n_not_reported = 1;
	v.on_leave = leave;
	v.n_on_leave = 1;
	text = render_agenda(&v);
	check_layout(text);
	/* title, review, metrics, members + ann, blockers, needs, topics,
	 * time, not reported, on leave */
	assert_int_equal(count_headings(text), 11);
	assert_non_null(strstr(text, "#### Weekly meeting — chan # nel\n"));
	assert_non_null(strstr(text, "- #1 @bob # owner: do # not break me"));
	assert_non_null(strstr(text, "###### @ann #x\n"));
	assert_non_null(strstr(text, "  - line one ##### Fake\n"));
	assert_non_null(strstr(text, "- stuck  # — @ann #x (can help: "
				     "@al @bo)\n"));
	assert_non_null(strstr(text, "-  # need — @ann #x\n"));
	assert_non_null(strstr(text, "- m # etric 1 # (-50% vs 2 #) — @u #\n"));
	assert_non_null(strstr(text, "1. t # opic — @o # (5 min)\n"));
	assert_non_null(strstr(text, "@x #y\n"));
	assert_non_null(strstr(text, "- @z # (until 2026-12-09)\n"));
	free(text);
}

/* Mentions: a leading '@' is not doubled, helpers may use commas. */
static void
test_mentions(void **state)
{
	static const struct agenda_report reports[] = {
		{ "@ann", SECTION_BLOCKER, "a", " @bo,  cy ,@@dee " },
		{ "ann", SECTION_BLOCKER, "b", "   " },
		{ "", SECTION_NEED, "c", NULL },
	};
	struct agenda_view v = base_view(LOCALE_EN);
	char *text;

	(void)state;
	v.reports = reports;
	v.n_reports = 3;
	text = render_agenda(&v);
	assert_non_null(strstr(text, "- a — @ann (can help: @bo @cy @dee)\n"));
	assert_non_null(strstr(text, "- b — @ann\n"));
	assert_non_null(strstr(text, "- c — @?\n"));
	free(text);
}

/* Sections switched off disappear even when there is data for them. */
static void
test_sections_disabled(void **state)
{
	struct agenda_view v = full_view(LOCALE_EN);
	char *text;

	(void)state;
	v.sections = 0;
	text = render_agenda(&v);
	check_layout(text);
	assert_null(strstr(text, "Key metrics"));
	assert_null(strstr(text, "Member reports"));
	assert_null(strstr(text, "Problems and blockers"));
	assert_null(strstr(text, "Resource needs"));
	assert_non_null(strstr(text, "##### Topics\n"));
	assert_non_null(strstr(text, "##### Not reported yet\n@dave @erin\n"));
	free(text);

	/* No roster at all: say so rather than "everyone has reported". */
	v.n_not_reported = 0;
	v.n_on_leave = 0;
	v.n_roster = 0;
	text = render_agenda(&v);
	assert_non_null(strstr(text, "##### Not reported yet\nNobody is on the "
				     "roster yet: add the members with /lihui "
				     "meeting roster add @name.\n"));
	free(text);

	/* Everyone has reported; nobody is away. */
	v.n_roster = 5;
	text = render_agenda(&v);
	assert_non_null(
	    strstr(text, "##### Not reported yet\nEveryone has reported.\n"));
	assert_null(strstr(text, "On leave"));
	free(text);
	v.locale = LOCALE_ZH_CN;
	text = render_agenda(&v);
	assert_non_null(strstr(text, "##### 未提交汇报\n全员均已提交汇报。\n"));
	free(text);
	v.locale = LOCALE_EN;

	/* Metrics enabled but none reported: no empty section. */
	v.sections = SECTION_ALL;
	v.n_metrics = 0;
	text = render_agenda(&v);
	assert_null(strstr(text, "Key metrics"));
	free(text);
}

/* Odd inputs render without crashing: bad weekday, no date, NaN. */
static void
test_odd_values(void **state)
{
	static const struct agenda_metric metrics[] = {
		{ "a", "u", NAN, "", 1, 5 },
		{ "b", "u", 5, "", 1, NAN },
		{ "c", "u", INFINITY, "%", 1, 1 },
		{ "d", NULL, 1e12, NULL, 1, 1e12 },
		{ "e", "u", -3, "", 1, -4 },
	};
	static const struct agenda_action actions[] = {
		{ 1, "bob", "no date", { 0, 0, 0 }, ACTION_OPEN, 0 },
		{ 2, NULL, "nobody's", { 0, 0, 0 }, ACTION_OPEN, 0 },
	};
	static const struct agenda_topic topics[] = {
		{ "no time box", NULL, 0 },
	};
	struct agenda_view v = base_view(LOCALE_EN);
	char *text;

	(void)state;
	v.start.wday = 9;
	v.length = 0;
	v.review_minutes = -5;
	v.metrics = metrics;
	v.n_metrics = sizeof metrics / sizeof metrics[0];
	v.actions = actions;
	v.n_actions = 2;
	v.topics = topics;
	v.n_topics = 1;
	v.channel_name = NULL;
	text = render_agenda(&v);
	check_layout(text);
	assert_non_null(strstr(text, "#### Weekly meeting — \n"));
	assert_non_null(strstr(text, "**2026-11-30 10:00 (Asia/Shanghai), "
				     "0 min**\n"));
	assert_non_null(strstr(text, "- a NaN (NaN vs 5) — @u\n"));
	assert_non_null(strstr(text, "- b 5 (NaN vs NaN) — @u\n"));
	assert_non_null(strstr(text, "- c inf (+inf pt vs 1%) — @u\n"));
	assert_non_null(strstr(text, "- d 1000000000000 (±0% vs "
				     "1000000000000)\n"));
	assert_non_null(strstr(text, "- e -3 (+25% vs -4) — @u\n"));
	assert_non_null(strstr(text, "- #1 @bob: no date\n"));
	assert_non_null(strstr(text, "- #2 unassigned: nobody's\n"));
	assert_non_null(strstr(text, "1. no time box\n"));
	assert_non_null(strstr(text, "Planned: 0 min (review 0 + topics 0)\n"));
	assert_null(strstr(text, "⚠"));
	free(text);
}

/* Exactly the meeting's length is not a warning; one minute more is. */
static void
test_time_budget(void **state)
{
	static const struct agenda_topic topics[] = {
		{ "a", NULL, 30 },
		{ "b", NULL, 20 },
	};
	struct agenda_view v = base_view(LOCALE_EN);
	char *text;

	(void)state;
	v.topics = topics;
	v.n_topics = 2;
	text = render_agenda(&v);
	assert_non_null(strstr(text, "Planned: 60 of 60 min (review 10 + "
				     "topics 50)\n"));
	assert_null(strstr(text, "⚠"));
	free(text);
	v.review_minutes = 11;
	text = render_agenda(&v);
	assert_non_null(strstr(text, "⚠ 61 min planned for a 60 min "
				     "meeting\n"));
	free(text);
	v.locale = LOCALE_ZH_CN;
	text = render_agenda(&v);
	assert_non_null(
	    strstr(text, "⚠ 已安排 61 分钟，超过 60 分钟的会议时长\n"));
	free(text);
}

static void
test_metric_value(void **state)
{
	static const struct {
		double value;
		const char *unit;
		const char *want;
	} cases[] = {
		{ 1240, "", "1240" },
		{ 3.1, "%", "3.1%" },
		{ 12.345, "", "12.35" },
		{ -12.345, "", "-12.35" },
		{ -5, "", "-5" },
		{ 250, "ms", "250ms" },
		{ 2.5, "", "2.5" },
		{ 0.1 + 0.2, "", "0.3" },
		{ 2.999, "", "3" },
		{ -0.001, "", "0" },
		{ 0, "%", "0%" },
		{ 1e12, "", "1000000000000" },
		{ 123456789012.5, "", "123456789012.5" },
		{ 1e20, "", "1e+20" },
		{ -1e20, "", "-1e+20" },
		{ 7, NULL, "7" },
		{ NAN, "%", "NaN" },
		{ INFINITY, "ms", "inf" },
		{ -INFINITY, "", "-inf" },
	};
	char out[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		render_metric_value(cases[i].value, cases[i].unit, out,
				    sizeof out);
		if (strcmp(out, cases[i].want) != 0)
			fail_msg("case %zu: want '%s', got '%s'", i,
				 cases[i].want, out);
	}

	/* The output is cut to size, and size 0 writes nothing. */
	render_metric_value(1240, "ms", out, 4);
	assert_string_equal(out, "124");
	out[0] = 'x';
	render_metric_value(1240, "ms", out, 0);
	assert_int_equal(out[0], 'x');
}

static void
test_section_name(void **state)
{
	(void)state;
	assert_string_equal(render_section_name(LOCALE_EN, SECTION_DONE),
			    "Done");
	assert_string_equal(render_section_name(LOCALE_EN, SECTION_PLAN),
			    "Plan");
	assert_string_equal(render_section_name(LOCALE_EN, SECTION_BLOCKER),
			    "Problems and blockers");
	assert_string_equal(render_section_name(LOCALE_EN, SECTION_METRIC),
			    "Key metrics");
	assert_string_equal(render_section_name(LOCALE_EN, SECTION_NEED),
			    "Resource needs");
	assert_string_equal(render_section_name(LOCALE_ZH_CN, SECTION_DONE),
			    "已完成");
	assert_string_equal(render_section_name(LOCALE_ZH_CN, SECTION_PLAN),
			    "计划");
	assert_string_equal(render_section_name(LOCALE_ZH_CN, SECTION_BLOCKER),
			    "问题与挑战");
	assert_string_equal(render_section_name(LOCALE_ZH_CN, SECTION_METRIC),
			    "关键数据");
	assert_string_equal(render_section_name(LOCALE_ZH_CN, SECTION_NEED),
			    "资源需求");
	assert_string_equal(render_section_name(LOCALE_EN, SECTION_COUNT),
			    "Other");
	assert_string_equal(render_section_name(LOCALE_ZH_CN, -1), "其他");
}

/* A big team: 200 members x 5 items, 300 metrics. */
struct big_agenda {
	struct agenda_report *reports;
	struct agenda_metric *metrics;
	struct agenda_topic *topics;
	struct agenda_action *actions;
	char **names;
	size_t n_names;
};

static void
big_agenda_build(struct big_agenda *b, struct agenda_view *v)
{
	static const int kinds[] = { SECTION_DONE, SECTION_DONE, SECTION_PLAN,
				     SECTION_BLOCKER, SECTION_NEED };
	size_t i, k, n = 0;

	b->n_names = 200;
	b->names = xcalloc(b->n_names, sizeof *b->names);
	b->reports = xcalloc(b->n_names * 5, sizeof *b->reports);
	b->metrics = xcalloc(300, sizeof *b->metrics);
	b->topics = xcalloc(20, sizeof *b->topics);
	b->actions = xcalloc(40, sizeof *b->actions);
	for (i = 0; i < b->n_names; i++) {
		b->names[i] = xasprintf("member%03zu", i);
		for (k = 0; k < 5; k++) {
			b->reports[n].user = b->names[i];
			b->reports[n].section = kinds[k];
			b->reports[n].text = "完成了本周的数据迁移与回归测试，"
					     "并整理了上线检查清单";
			b->reports[n].helpers =
			    kinds[k] == SECTION_BLOCKER ? "alice bob" : NULL;
			n++;
		}
	}
	for (i = 0; i < 300; i++) {
		b->metrics[i].name = "conversion";
		b->metrics[i].user = b->names[i % b->n_names];
		b->metrics[i].value = 3.1 + (double)i;
		b->metrics[i].unit = i % 2 ? "%" : "";
		b->metrics[i].has_prev = i % 3 != 0;
		b->metrics[i].prev = (double)i;
	}
	for (i = 0; i < 20; i++) {
		b->topics[i].title = "讨论下季度的价格调整方案";
		b->topics[i].owner = b->names[i];
		b->topics[i].minutes = 5;
	}
	for (i = 0; i < 40; i++) {
		b->actions[i].owner = b->names[i];
		b->actions[i].text = "Prepare the budget draft";
		b->actions[i].due.year = 2026;
		b->actions[i].due.month = 12;
		b->actions[i].due.day = 1;
		b->actions[i].id = (int64_t)i + 1;
		b->actions[i].days_overdue = i % 2 ? (int)i : 0;
	}
	v->reports = b->reports;
	v->n_reports = n;
	v->metrics = b->metrics;
	v->n_metrics = 300;
	v->topics = b->topics;
	v->n_topics = 20;
	v->actions = b->actions;
	v->n_actions = 40;
	v->not_reported = (const char *const *)b->names;
	v->n_not_reported = 50;
}

static void
big_agenda_free(struct big_agenda *b)
{
	size_t i;

	for (i = 0; i < b->n_names; i++)
		free(b->names[i]);
	free(b->names);
	free(b->reports);
	free(b->metrics);
	free(b->topics);
	free(b->actions);
}

/*
 * The big agenda's layout (timing it is tests/bench/bench-agenda's job:
 * tests assert no durations on these noisy machines).
 */
static void
test_big_agenda(void **state)
{
	struct big_agenda b;
	struct agenda_view v = base_view(LOCALE_ZH_CN);
	char *text;

	(void)state;
	big_agenda_build(&b, &v);
	text = render_agenda(&v);
	check_layout(text);
	/* title, review, metrics, members and each member, blockers, needs,
	 * topics, time, not reported */
	assert_int_equal(count_headings(text),
			 1 + 1 + 1 + 1 + 200 + 1 + 1 + 1 + 1 + 1);
	free(text);
	big_agenda_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_en),
		cmocka_unit_test(test_full_zh),
		cmocka_unit_test(test_empty_en),
		cmocka_unit_test(test_empty_zh),
		cmocka_unit_test(test_partial_en),
		cmocka_unit_test(test_partial_zh),
		cmocka_unit_test(test_user_text_cannot_break_layout),
		cmocka_unit_test(test_mentions),
		cmocka_unit_test(test_sections_disabled),
		cmocka_unit_test(test_odd_values),
		cmocka_unit_test(test_time_budget),
		cmocka_unit_test(test_metric_value),
		cmocka_unit_test(test_section_name),
		cmocka_unit_test(test_big_agenda),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
