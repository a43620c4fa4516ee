/* SPDX-License-Identifier: MIT */
/*
 * test-minutes.c: render_minutes() against golden Markdown files in
 * English and Chinese, and its layout invariants: only its own headings
 * start with '#', whatever the user texts hold, and nothing is cut from
 * long texts or many items.
 *
 * The golden files are tests/fixtures/minutes/<name>.md, read relative to
 * the repository root (the tests run from there). After a deliberate
 * change to the layout or to a text, regenerate them with
 *	LIHUI_UPDATE_GOLDEN=1 build/test/render/test-minutes
 * and read the diff before committing it.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "golden.h"
#include "lihui/minutes.h"
#include "lihui/utf8.h"
#include "lihui/xmalloc.h"

#define GOLDEN_DIR "tests/fixtures/minutes/"

/* The fixture: a team's Monday meeting with a bit of everything. */
static const struct minutes_item full_before[] = {
	{ MEETING_INFO, "Last week's release went out on Friday", "alice" },
};

static const struct minutes_item full_pricing[] = {
	{ MEETING_IDEA, "Try a yearly plan\nwith two months free", "carol" },
	{ MEETING_AGREED, "Raise the price by 5% from January", "bob" },
	{ MEETING_ACTION, "@bob fri Prepare the budget draft", "alice" },
	{ MEETING_LINK, "https://example.com/pricing Pricing sheet", "bob" },
};

static const struct minutes_item full_q1[] = {
	{ MEETING_INFO, "第一季度重点是续费率", "carol" },
	{ MEETING_AGREED, "一月底前完成 Q1 规划", "carol" },
};

static const struct minutes_topic full_topics[] = {
	{ NULL, full_before, 1 },
	{ "Pricing change", full_pricing, 4 },
	{ "Office move", NULL, 0 },
	{ "Q1 规划", full_q1, 2 },
};

static const char *const full_chairs[] = { "alice" };

static const struct minutes_person full_present[] = {
	{ "alice", 14 },
	{ "bob", 6 },
	{ "carol", 1 },
};

static const char *const full_absent[] = { "dave", "erin" };

static const struct agenda_leave full_excused[] = {
	{ "frank", { 2026, 12, 7 } },
};

static const struct minutes_action full_actions[] = {
	{ 12, "bob", "Prepare the budget draft", 1, { 2026, 12, 4 } },
	{ 13, "carol", "预订团建场地", 1, { 2026, 12, 2 } },
	{ 14, NULL, "Book the meeting room", 0, { 0, 0, 0 } },
	{ 15, "bob", "Send the new price list to sales", 0, { 0, 0, 0 } },
	{ 16, NULL, "Ask facilities about parking", 1, { 2026, 12, 11 } },
};

static const char *const base_chairs[] = { "alice" };

static const struct minutes_person base_present[] = {
	{ "alice", 2 },
};

/* Monday 2026-11-30 10:00-11:05 in Shanghai, chaired by alice. */
static struct minutes_view
base_view(enum locale loc)
{
	struct minutes_view v;

	memset(&v, 0, sizeof v);
	v.locale = loc;
	v.meeting_id = 42;
	v.title = "Weekly ops sync";
	v.channel_name = "ops-weekly";
	v.timezone = "Asia/Shanghai";
	v.start.date.year = 2026;
	v.start.date.month = 11;
	v.start.date.day = 30;
	v.start.hour = 10;
	v.start.minute = 0;
	v.start.wday = 1;
	v.start.utcoff = 8 * 3600;
	v.end = v.start;
	v.end.hour = 11;
	v.end.minute = 5;
	v.length = 65;
	v.chairs = base_chairs;
	v.n_chairs = 1;
	v.present = base_present;
	v.n_present = 1;
	return v;
}

static struct minutes_view
full_view(enum locale loc)
{
	struct minutes_view v = base_view(loc);

	v.chairs = full_chairs;
	v.n_chairs = sizeof full_chairs / sizeof full_chairs[0];
	v.present = full_present;
	v.n_present = sizeof full_present / sizeof full_present[0];
	v.absent = full_absent;
	v.n_absent = sizeof full_absent / sizeof full_absent[0];
	v.excused = full_excused;
	v.n_excused = sizeof full_excused / sizeof full_excused[0];
	v.topics = full_topics;
	v.n_topics = sizeof full_topics / sizeof full_topics[0];
	v.actions = full_actions;
	v.n_actions = sizeof full_actions / sizeof full_actions[0];
	v.has_next = 1;
	v.next = v.start;
	v.next.date.month = 12;
	v.next.date.day = 7;
	return v;
}

/* Nothing recorded, no action items, nobody absent, nothing scheduled. */
static struct minutes_view
empty_view(enum locale loc)
{
	struct minutes_view v = base_view(loc);

	v.meeting_id = 43;
	v.title = NULL;
	return v;
}

static const struct minutes_item late_items[] = {
	{ MEETING_INFO, "Incident review of the outage", "bob" },
	{ MEETING_ACTION, "Write the incident report", "bob" },
};

static const struct minutes_topic late_topics[] = {
	{ NULL, late_items, 2 },
};

static const char *const late_chairs[] = { "bob", "@carol" };

static const struct minutes_person late_present[] = {
	{ "bob", 31 },
	{ "carol", 0 },
};

static const struct minutes_action late_actions[] = {
	{ 7, NULL, "Write the incident report", 1, { 2026, 12, 3 } },
};

/*
 * Started late on a Sunday evening in Berlin and closed by lihui after
 * midnight; changed afterwards with /meeting amend.
 */
static struct minutes_view
late_view(enum locale loc)
{
	struct minutes_view v = base_view(loc);

	v.meeting_id = 44;
	v.title = "Incident review";
	v.channel_name = "sre";
	v.timezone = "Europe/Berlin";
	v.start.date.day = 29;
	v.start.wday = 0;
	v.start.hour = 23;
	v.start.minute = 30;
	v.start.utcoff = 3600;
	v.end = v.start;
	v.end.date.day = 30;
	v.end.wday = 1;
	v.end.hour = 1;
	v.end.minute = 30;
	v.length = 120;
	v.chairs = late_chairs;
	v.n_chairs = 2;
	v.present = late_present;
	v.n_present = 2;
	v.topics = late_topics;
	v.n_topics = 1;
	v.actions = late_actions;
	v.n_actions = 1;
	v.auto_closed = 1;
	v.amended = 1;
	return v;
}

/*
 * The layout all minutes keep: valid UTF-8, ends with a newline, starts
 * with the title; every line starting with '#' is one of the renderer's
 * headings (level 4, 5 or 6 followed by a space), and a heading follows
 * a non-blank line only when it is a level-6 heading right after a
 * section's. Returns the number of headings.
 */
static size_t
check_layout(const char *text)
{
	const char *line = text, *next, *prev = NULL;
	size_t prev_len = 0, len, headings = 0;

	assert_true(utf8_valid(text, strlen(text)));
	assert_true(strncmp(text, "#### ", 5) == 0);
	assert_true(strlen(text) > 0 && text[strlen(text) - 1] == '\n');
	while (*line != '\0') {
		next = strchr(line, '\n');
		assert_non_null(next);
		len = (size_t)(next - line);
		/* No doubled blank lines. */
		assert_false(len == 0 && prev != NULL && prev_len == 0);
		if (line[0] == '#') {
			headings++;
			if (strncmp(line, "#### ", 5) != 0 &&
			    strncmp(line, "##### ", 6) != 0 &&
			    strncmp(line, "###### ", 7) != 0)
				fail_msg("not a heading: %.*s", (int)len, line);
			if (prev != NULL && prev_len > 0) {
				assert_true(strncmp(line, "###### ", 7) == 0);
				assert_true(strncmp(prev, "##### ", 6) == 0);
			}
		}
		prev = line;
		prev_len = len;
		line = next + 1;
	}
	return headings;
}

static void
render_and_check(const struct minutes_view *v, const char *golden)
{
	char *text = render_minutes(v);

	check_layout(text);
	golden_check(GOLDEN_DIR, golden, text);
	free(text);
}

static void
test_full_en(void **state)
{
	struct minutes_view v = full_view(LOCALE_EN);

	(void)state;
	render_and_check(&v, "full-en.md");
}

static void
test_full_zh(void **state)
{
	struct minutes_view v = full_view(LOCALE_ZH_CN);

	(void)state;
	render_and_check(&v, "full-zh_CN.md");
}

static void
test_empty_en(void **state)
{
	struct minutes_view v = empty_view(LOCALE_EN);

	(void)state;
	render_and_check(&v, "empty-en.md");
}

static void
test_empty_zh(void **state)
{
	struct minutes_view v = empty_view(LOCALE_ZH_CN);

	(void)state;
	render_and_check(&v, "empty-zh_CN.md");
}

static void
test_auto_closed_en(void **state)
{
	struct minutes_view v = late_view(LOCALE_EN);

	(void)state;
	render_and_check(&v, "auto-closed-en.md");
}

static void
test_auto_closed_zh(void **state)
{
	struct minutes_view v = late_view(LOCALE_ZH_CN);

	(void)state;
	render_and_check(&v, "auto-closed-zh_CN.md");
}

/*
 * Line breaks and '#' in every user text: none starts a line, so the
 * only lines starting with '#' are the renderer's headings.
 */
static void
test_user_text_cannot_break_layout(void **state)
{
	static const struct minutes_item items[] = {
		{ MEETING_INFO, "#info\n# fake heading", "ann\n#x" },
		{ MEETING_AGREED, "\n#agreed\r\n##### Decisions", "#bo" },
		{ MEETING_LINK, "line\rbreak\r\r#", "\n" },
	};
	static const struct minutes_topic topics[] = {
		{ NULL, items, 1 },
		{ "\n# topic\n", items + 1, 2 },
		{ "#", NULL, 0 },
	};
	static const char *const chairs[] = { "\n#chair", "#c2" };
	static const struct minutes_person present[] = {
		{ "\n#p", 3 },
	};
	static const char *const absent[] = { "a\n#b", "\n#" };
	static const struct agenda_leave excused[] = {
		{ "z\n#", { 2026, 12, 9 } },
	};
	static const struct minutes_action actions[] = {
		{ 1, "o\n#wner", "do\n# not\r\nbreak", 1, { 2026, 12, 1 } },
		{ 2, "\n", "#2\n#3", 0, { 0, 0, 0 } },
	};
	struct minutes_view v = base_view(LOCALE_EN);
	char *text;

	(void)state;
	v.title = "\n# title";
	v.channel_name = "chan\n# nel";
	v.timezone = "UTC\n#";
	v.chairs = chairs;
	v.n_chairs = 2;
	v.present = present;
	v.n_present = 1;
	v.absent = absent;
	v.n_absent = 2;
	v.excused = excused;
	v.n_excused = 1;
	v.topics = topics;
	v.n_topics = 3;
	v.actions = actions;
	v.n_actions = 2;
	v.has_next = 1;
	v.next = v.start;
	text = render_minutes(&v);
	/*
	 * title, attendees, absent, excused, summary + 3 topics, decisions,
	 * action items, by person + 2 people, next meeting
	 */
	assert_int_equal(check_layout(text), 1 + 1 + 1 + 1 + 4 + 1 + 1 + 3 + 1);
	assert_non_null(strstr(text, "#### Minutes of meeting 42:  # title\n"));
	assert_non_null(strstr(text, "(UTC #), 65 min**\n"));
	assert_non_null(strstr(text, "\nChannel: chan # nel\n"));
	assert_non_null(strstr(text, "\nChairs: @ #chair @#c2\n"));
	assert_non_null(strstr(text, "\n- @ #p (3 lines)\n"));
	assert_non_null(strstr(text, "\n@a #b @ #\n"));
	assert_non_null(strstr(text, "\n- @z # (until 2026-12-09)\n"));
	assert_non_null(strstr(text, "\n- **Note** @ann #x: #info # fake "
				     "heading\n"));
	assert_non_null(strstr(text, "\n###### 1.  # topic \n"));
	assert_non_null(strstr(text, "\n- **Decision** @#bo:  #agreed ##### "
				     "Decisions\n"));
	assert_non_null(strstr(text, "\n- **Link** @ : line break  #\n"));
	assert_non_null(strstr(text, "\n###### 2. #\nNothing recorded.\n"));
	assert_non_null(strstr(text, "\n1.  #agreed ##### Decisions\n"));
	assert_non_null(strstr(text, "\n- #1 @o #wner: do # not break (due "
				     "2026-12-01)\n"));
	assert_non_null(strstr(text, "\n- #2 @ : #2 #3\n"));
	assert_non_null(strstr(text, "\n###### @o #wner\n- #1 do # not break "
				     "(due 2026-12-01)\n"));
	assert_non_null(strstr(text, "\n###### @ \n- #2 #2 #3\n"));
	free(text);
}

/*
 * Owners: a leading '@' is not doubled and "@bob" is bob; NULL, "" and
 * "@" are unassigned and go last in the grouping.
 */
static void
test_owners(void **state)
{
	static const struct minutes_action actions[] = {
		{ 1, "", "a", 0, { 0, 0, 0 } },
		{ 2, "@bob", "b", 1, { 2026, 12, 1 } },
		{ 3, "carol", "c", 0, { 0, 0, 0 } },
		{ 4, "bob", "d", 0, { 0, 0, 0 } },
		{ 5, "@", "e", 0, { 0, 0, 0 } },
		{ 6, NULL, "f", 1, { 2026, 12, 2 } },
		{ 7, "carol", "g", 1, { 0, 0, 0 } },
	};
	static const char *const want_en = "##### Action items\n"
					   "- #1 **unassigned**: a\n"
					   "- #2 @bob: b (due 2026-12-01)\n"
					   "- #3 @carol: c\n"
					   "- #4 @bob: d\n"
					   "- #5 **unassigned**: e\n"
					   "- #6 **unassigned**: f (due "
					   "2026-12-02)\n"
					   "- #7 @carol: g\n"
					   "\n"
					   "##### Action items by person\n"
					   "###### @bob\n"
					   "- #2 b (due 2026-12-01)\n"
					   "- #4 d\n"
					   "\n"
					   "###### @carol\n"
					   "- #3 c\n"
					   "- #7 g\n"
					   "\n"
					   "###### Unassigned\n"
					   "- #1 a\n"
					   "- #5 e\n"
					   "- #6 f (due 2026-12-02)\n";
	static const char *const want_zh = "##### 行动项（按责任人）\n"
					   "###### @bob\n"
					   "- #2 b（截止 2026-12-01）\n"
					   "- #4 d\n"
					   "\n"
					   "###### @carol\n"
					   "- #3 c\n"
					   "- #7 g\n"
					   "\n"
					   "###### 未指派\n"
					   "- #1 a\n"
					   "- #5 e\n"
					   "- #6 f（截止 2026-12-02）\n";
	struct minutes_view v = base_view(LOCALE_EN);
	const char *p;
	char *text;

	(void)state;
	v.actions = actions;
	v.n_actions = sizeof actions / sizeof actions[0];
	text = render_minutes(&v);
	check_layout(text);
	p = strstr(text, "##### Action items\n");
	assert_non_null(p);
	assert_string_equal(p, want_en);
	free(text);

	v.locale = LOCALE_ZH_CN;
	v.n_actions = 1;
	text = render_minutes(&v);
	assert_non_null(strstr(text, "- #1 **未指派**：a\n\n"
				     "##### 行动项（按责任人）\n"
				     "###### 未指派\n"
				     "- #1 a\n"));
	free(text);
	v.n_actions = sizeof actions / sizeof actions[0];
	text = render_minutes(&v);
	p = strstr(text, "##### 行动项（按责任人）\n");
	assert_non_null(p);
	assert_string_equal(p, want_zh);
	free(text);

	/* Only assigned items: no "Unassigned" group. */
	v.locale = LOCALE_EN;
	v.actions = actions + 1;
	v.n_actions = 3;
	text = render_minutes(&v);
	check_layout(text);
	assert_null(strstr(text, "Unassigned"));
	assert_null(strstr(text, "unassigned"));
	free(text);
}

/* Topics: an empty untitled part is left out, an empty topic is not. */
static void
test_topics(void **state)
{
	static const struct minutes_item items[] = {
		{ MEETING_AGREED, "yes", "ann" },
		{ MEETING_LINE, "odd kind", "ann" },
		{ MEETING_KIND_COUNT, "odder kind", "ann" },
	};
	static const struct minutes_topic topics[] = {
		{ NULL, NULL, 0 },
		{ "first", NULL, 0 },
		{ "second", items, 3 },
	};
	struct minutes_view v = base_view(LOCALE_EN);
	char *text;

	(void)state;
	v.topics = topics;
	v.n_topics = 3;
	text = render_minutes(&v);
	check_layout(text);
	assert_non_null(strstr(text, "##### Summary by topic\n"
				     "###### 1. first\n"
				     "Nothing recorded.\n"
				     "\n"
				     "###### 2. second\n"
				     "- **Decision** @ann: yes\n"
				     "- **Other** @ann: odd kind\n"
				     "- **Other** @ann: odder kind\n"
				     "\n"
				     "##### Decisions\n"
				     "1. yes\n"
				     "\n"
				     "##### Action items\n"));
	assert_null(strstr(text, "Before the first topic"));
	free(text);

	/* Only an empty untitled part: no summary at all. */
	v.n_topics = 1;
	text = render_minutes(&v);
	check_layout(text);
	assert_null(strstr(text, "Summary by topic"));
	assert_non_null(strstr(text, "##### Decisions\nNo decisions.\n"));
	free(text);
	v.locale = LOCALE_ZH_CN;
	text = render_minutes(&v);
	assert_non_null(strstr(text, "##### 决议\n无决议。\n"));
	assert_non_null(strstr(text, "##### 行动项\n无行动项。\n"));
	free(text);
}

/* Odd inputs render without crashing: bad weekday, missing texts. */
static void
test_odd_values(void **state)
{
	static const struct minutes_person present[] = {
		{ NULL, 0 },
		{ "bo", 1 },
	};
	static const struct agenda_leave excused[] = {
		{ "frank", { 0, 0, 0 } },
	};
	static const struct minutes_action actions[] = {
		{ 1, "ann", NULL, 1, { 0, 1, 1 } },
	};
	struct minutes_view v = base_view(LOCALE_EN);
	char *text;

	(void)state;
	v.meeting_id = -1;
	v.title = "";
	v.channel_name = NULL;
	v.timezone = NULL;
	v.start.wday = 9;
	v.end.wday = -1;
	v.length = 0;
	v.chairs = NULL;
	v.n_chairs = 0;
	v.present = present;
	v.n_present = 2;
	v.excused = excused;
	v.n_excused = 1;
	v.actions = actions;
	v.n_actions = 1;
	v.has_next = 1;
	v.next.wday = 7;
	text = render_minutes(&v);
	check_layout(text);
	assert_string_equal(text, "#### Minutes of meeting -1\n"
				  "**2026-11-30 10:00–11:05 (), 0 min**\n"
				  "\n"
				  "##### Attendees (2)\n"
				  "- @? (0 lines)\n"
				  "- @bo (1 line)\n"
				  "\n"
				  "##### Excused (1)\n"
				  "- @frank\n"
				  "\n"
				  "##### Decisions\n"
				  "No decisions.\n"
				  "\n"
				  "##### Action items\n"
				  "- #1 @ann: \n"
				  "\n"
				  "##### Action items by person\n"
				  "###### @ann\n"
				  "- #1 \n"
				  "\n"
				  "##### Next meeting\n"
				  " 00:00 ()\n");
	free(text);
}

/* A long meeting: many topics and items, long texts, many action items. */
struct big_minutes {
	struct minutes_topic *topics;
	struct minutes_item *items;
	struct minutes_action *actions;
	struct minutes_person *present;
	char **names;
	char **texts;
	size_t n_texts;
};

#define BIG_TOPICS  40
#define BIG_ITEMS   20 /* per topic */
#define BIG_ACTIONS 300
#define BIG_PEOPLE  40
#define BIG_TEXT    MEETING_TEXT_MAX

/* A text of BIG_TEXT bytes (CJK and ASCII) ending with a unique tag. */
static char *
big_text(size_t n)
{
	static const char unit[] = "讨论下季度的价格调整方案 and more ";
	char *s = xmalloc(BIG_TEXT + 1), tag[32];
	size_t len = 0, tlen;

	tlen = (size_t)snprintf(tag, sizeof tag, " <end %zu>", n);
	while (len + sizeof unit - 1 + tlen <= BIG_TEXT) {
		memcpy(s + len, unit, sizeof unit - 1);
		len += sizeof unit - 1;
	}
	memcpy(s + len, tag, tlen + 1);
	return s;
}

static void
big_minutes_build(struct big_minutes *b, struct minutes_view *v)
{
	static const enum meeting_item_kind kinds[] = {
		MEETING_INFO,	MEETING_IDEA, MEETING_AGREED,
		MEETING_ACTION, MEETING_LINK,
	};
	size_t i, k, n = 0;

	b->names = xcalloc(BIG_PEOPLE, sizeof *b->names);
	b->present = xcalloc(BIG_PEOPLE, sizeof *b->present);
	for (i = 0; i < BIG_PEOPLE; i++) {
		b->names[i] = xasprintf("member%03zu", i);
		b->present[i].name = b->names[i];
		b->present[i].lines = (int)i * 7;
	}
	b->n_texts = BIG_TOPICS * BIG_ITEMS + BIG_ACTIONS;
	b->texts = xcalloc(b->n_texts, sizeof *b->texts);
	for (i = 0; i < b->n_texts; i++)
		b->texts[i] = big_text(i);
	b->topics = xcalloc(BIG_TOPICS, sizeof *b->topics);
	b->items = xcalloc(BIG_TOPICS * BIG_ITEMS, sizeof *b->items);
	for (i = 0; i < BIG_TOPICS; i++) {
		b->topics[i].title = i == 0 ? NULL : b->names[i % BIG_PEOPLE];
		b->topics[i].items = b->items + n;
		b->topics[i].n_items = BIG_ITEMS;
		for (k = 0; k < BIG_ITEMS; k++) {
			b->items[n].kind = kinds[k % 5];
			b->items[n].text = b->texts[n];
			b->items[n].author = b->names[k % BIG_PEOPLE];
			n++;
		}
	}
	b->actions = xcalloc(BIG_ACTIONS, sizeof *b->actions);
	for (i = 0; i < BIG_ACTIONS; i++) {
		b->actions[i].id = (long long)i + 1;
		b->actions[i].owner =
		    i % 10 == 9 ? NULL : b->names[(i * 7) % BIG_PEOPLE];
		b->actions[i].text = b->texts[n + i];
		b->actions[i].has_due = i % 2;
		b->actions[i].due.year = 2026;
		b->actions[i].due.month = 12;
		b->actions[i].due.day = 1;
	}
	v->present = b->present;
	v->n_present = BIG_PEOPLE;
	v->absent = (const char *const *)b->names;
	v->n_absent = BIG_PEOPLE;
	v->topics = b->topics;
	v->n_topics = BIG_TOPICS;
	v->actions = b->actions;
	v->n_actions = BIG_ACTIONS;
}

static void
big_minutes_free(struct big_minutes *b)
{
	size_t i;

	for (i = 0; i < BIG_PEOPLE; i++)
		free(b->names[i]);
	for (i = 0; i < b->n_texts; i++)
		free(b->texts[i]);
	free(b->names);
	free(b->texts);
	free(b->present);
	free(b->topics);
	free(b->items);
	free(b->actions);
}

/*
 * Count in seen[] the texts of texts[] that text holds in full: each ends
 * with its tag " <end N>", and the bytes before the tag must be the rest
 * of texts[N]. One pass over text, whatever its size.
 */
static void
count_full_texts(const char *text, char *const *texts, size_t n, size_t *seen)
{
	const char *p = text, *start;
	unsigned long idx;
	size_t len;
	char *end;

	while ((p = strstr(p, " <end ")) != NULL) {
		idx = strtoul(p + 6, &end, 10);
		assert_true(*end == '>');
		assert_true(idx < n);
		end++;
		len = strlen(texts[idx]);
		assert_true((size_t)(end - text) >= len);
		start = end - len;
		if (memcmp(start, texts[idx], len) != 0)
			fail_msg("text %lu is not complete", idx);
		seen[idx]++;
		p = end;
	}
}

/* The number of different owners of b's action items. */
static size_t
count_owners(const struct big_minutes *b)
{
	size_t i, k, n = 0;

	for (i = 0; i < BIG_ACTIONS; i++) {
		if (b->actions[i].owner == NULL)
			continue;
		for (k = 0; k < i; k++) {
			if (b->actions[k].owner == b->actions[i].owner)
				break;
		}
		if (k == i)
			n++;
	}
	return n;
}

static void
test_big_minutes(void **state)
{
	struct big_minutes b;
	struct minutes_view v = base_view(LOCALE_ZH_CN);
	size_t i, n_items = BIG_TOPICS * BIG_ITEMS, *seen, want;
	char *text;

	(void)state;
	big_minutes_build(&b, &v);
	text = render_minutes(&v);
	/*
	 * title, attendees, absent, summary and each topic, decisions,
	 * action items, by person with each owner and the unassigned
	 */
	assert_int_equal(check_layout(text), 1 + 1 + 1 + 1 + BIG_TOPICS + 1 +
						 1 + 1 + count_owners(&b) + 1);
	seen = xcalloc(b.n_texts, sizeof *seen);
	count_full_texts(text, b.texts, b.n_texts, seen);
	/* Each item once in the summary, a decision once more... */
	for (i = 0; i < n_items; i++) {
		want = b.items[i].kind == MEETING_AGREED ? 2 : 1;
		if (seen[i] != want)
			fail_msg("item %zu: %zu times, not %zu", i, seen[i],
				 want);
	}
	/* ...and each action item twice. */
	for (i = n_items; i < b.n_texts; i++) {
		if (seen[i] != 2)
			fail_msg("action %zu: %zu times, not 2", i - n_items,
				 seen[i]);
	}
	free(seen);
	assert_non_null(strstr(text, "\n- #1 @member000：讨论"));
	assert_non_null(strstr(text, "\n- #300 **未指派**：讨论"));
	assert_non_null(strstr(text, "\n###### 39. member039\n"));
	assert_non_null(strstr(text, "\n- @member039（发言 273 条）\n"));
	assert_non_null(strstr(text, "\n###### 未指派\n- #10 讨论"));
	free(text);
	big_minutes_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_en),
		cmocka_unit_test(test_full_zh),
		cmocka_unit_test(test_empty_en),
		cmocka_unit_test(test_empty_zh),
		cmocka_unit_test(test_auto_closed_en),
		cmocka_unit_test(test_auto_closed_zh),
		cmocka_unit_test(test_user_text_cannot_break_layout),
		cmocka_unit_test(test_owners),
		cmocka_unit_test(test_topics),
		cmocka_unit_test(test_odd_values),
		cmocka_unit_test(test_big_minutes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
