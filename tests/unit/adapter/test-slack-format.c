/* SPDX-License-Identifier: MIT */
/*
 * test-slack-format.c: Markdown to Slack mrkdwn, Slack text to plain text
 * and the cutting of long posts (src/adapter/slack-format.c). Table-driven
 * for each construct; the agenda and minutes goldens (tests/fixtures/, read
 * relative to the repository root) and an agenda rendered here with
 * Markdown in its user texts go through the whole path; pseudo-random
 * bytes check the invariants the fuzz target checks.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../src/adapter/slack-format.h"
#include "golden.h"
#include "lihui/render.h"
#include "lihui/report.h"
#include "lihui/store.h"
#include "lihui/utf8.h"
#include "lihui/xmalloc.h"

#define ZWSP "\xe2\x80\x8b"

static const char *lookup_id(void *, const char *);
static const char *lookup_name(void *, const char *);
static int check_mrkdwn(const char *);
static char *join_parts(char **, size_t);
static void check_split(const char *, size_t);
static void check_contains(const char *, const char *);
static void check_golden(const char *, const char *const *);
static void test_format_cases(void **);
static void test_format_table_bounds(void **);
static void test_format_lookup_null(void **);
static void test_format_invalid_utf8(void **);
static void test_format_goldens(void **);
static void test_format_rendered(void **);
static void test_format_random(void **);
static void test_split_cases(void **);
static void test_split_code_block(void **);
static void test_split_goldens(void **);
static void test_text_cases(void **);
static void test_text_mentions(void **);
static void test_text_errors(void **);
static void test_text_random(void **);

/* The directory both lookups use. */
static const struct {
	const char *name, *id;
} users[] = {
	{ "alice", "U1" },	 { "bob", "U2" },    { "bob.smith", "U3" },
	{ "erin_x", "U5" },	 { "evil", "U<6>" }, /* an id that must not be
							used */
	{ "dave", "" },				     /* nor an empty one */
	{ "carol smith", "U4" }, /* a display name, for resolve */
};

static const char *
lookup_id(void *arg, const char *name)
{
	size_t i;

	(void)arg;
	for (i = 0; i < sizeof users / sizeof users[0]; i++) {
		if (strcmp(users[i].name, name) == 0)
			return users[i].id;
	}
	return NULL;
}

static const char *
lookup_name(void *arg, const char *id)
{
	size_t i;

	if (arg != NULL && strcmp(id, "U9") == 0)
		return (const char *)arg;
	for (i = 0; i < sizeof users / sizeof users[0]; i++) {
		if (strcmp(users[i].id, id) == 0)
			return users[i].name;
	}
	return NULL;
}

/*
 * The invariants of any slack_format_post() output: valid UTF-8, every
 * '&' starts &amp; &lt; or &gt;, every '<' starts a sequence written on
 * purpose (<@ID>, <!here>, <!channel>, <!everyone>, <scheme:...>) closed
 * on its line before any other '<', and every other '>' starts a line
 * (a quote).
 */
static int
check_mrkdwn(const char *s)
{
	size_t len = strlen(s), i, e, k;
	int bar;

	if (!utf8_valid(s, len))
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] == '&') {
			if (strncmp(s + i, "&amp;", 5) != 0 &&
			    strncmp(s + i, "&lt;", 4) != 0 &&
			    strncmp(s + i, "&gt;", 4) != 0)
				return 0;
		} else if (s[i] == '>') {
			if (i > 0 && s[i - 1] != '\n')
				return 0;
		} else if (s[i] == '<') {
			bar = 0;
			for (e = i + 1; e < len && s[e] != '>'; e++) {
				if (s[e] == '<' || s[e] == '\n')
					return 0;
				if (s[e] == '|')
					bar = 1;
				if (s[e] == ' ' && !bar)
					return 0;
			}
			if (e == len)
				return 0;
			if (s[i + 1] == '@') {
				for (k = i + 2; k < e; k++) {
					if (!((s[k] >= 'A' && s[k] <= 'Z') ||
					      (s[k] >= 'a' && s[k] <= 'z') ||
					      (s[k] >= '0' && s[k] <= '9')))
						return 0;
				}
				if (e == i + 2)
					return 0;
			} else if (s[i + 1] == '!') {
				if (strncmp(s + i, "<!here>", 7) != 0 &&
				    strncmp(s + i, "<!channel>", 10) != 0 &&
				    strncmp(s + i, "<!everyone>", 11) != 0)
					return 0;
			} else if (memchr(s + i, ':', e - i) == NULL) {
				return 0;
			}
			i = e;
		}
	}
	return 1;
}

/* The parts joined by newlines, without the fences the cut added. */
static char *
join_parts(char **parts, size_t n)
{
	size_t i, total = 1, len;
	char *out, *p;

	for (i = 0; i < n; i++)
		total += strlen(parts[i]) + 1;
	out = xmalloc(total);
	p = out;
	for (i = 0; i < n; i++) {
		const char *s = parts[i];

		len = strlen(s);
		if (i > 0 && strncmp(s, "```\n", 4) == 0 &&
		    strcmp(parts[i - 1] + strlen(parts[i - 1]) -
			       (strlen(parts[i - 1]) >= 4 ? 4 : 0),
			   "\n```") == 0) {
			s += 4;
			len -= 4;
		}
		if (i + 1 < n && len >= 4 &&
		    strcmp(s + len - 4, "\n```") == 0 &&
		    strncmp(parts[i + 1], "```\n", 4) == 0)
			len -= 4;
		memcpy(p, s, len);
		p += len;
		*p++ = '\n';
	}
	if (p > out)
		p--;
	*p = '\0';
	return out;
}

/* Cut s at max and check: sizes, UTF-8, balanced fences, no text lost. */
static void
check_split(const char *s, size_t max)
{
	char **parts, *joined, *a, *b;
	size_t n, i, k, fences;

	n = slack_split_post(s, max, &parts);
	for (i = 0; i < n; i++) {
		size_t len = strlen(parts[i]);

		assert_true(len > 0);
		assert_true(len <=
			    (max < SLACK_SPLIT_MIN ? SLACK_SPLIT_MIN : max));
		assert_true(utf8_valid(parts[i], len));
		/* Every part has its code blocks closed. */
		fences = 0;
		for (k = 0; k + 3 <= len; k++) {
			if ((k == 0 || parts[i][k - 1] == '\n') &&
			    strncmp(parts[i] + k, "```", 3) == 0 &&
			    (parts[i][k + 3] == '\n' ||
			     parts[i][k + 3] == '\0'))
				fences++;
		}
		assert_int_equal(fences % 2, 0);
	}
	/* Nothing lost but newlines and spaces at the cuts. */
	joined = join_parts(parts, n);
	a = xstrdup(s);
	b = joined;
	for (i = k = 0; a[i] != '\0'; i++) {
		if (a[i] != '\n' && a[i] != ' ')
			a[k++] = a[i];
	}
	a[k] = '\0';
	for (i = k = 0; b[i] != '\0'; i++) {
		if (b[i] != '\n' && b[i] != ' ')
			b[k++] = b[i];
	}
	b[k] = '\0';
	assert_string_equal(a, b);
	free(a);
	free(joined);
	render_pieces_free(parts, n);
}

static void
check_contains(const char *got, const char *want)
{
	if (strstr(got, want) == NULL)
		fail_msg("missing '%s' in:\n%s", want, got);
}

/* A golden file through the converter: invariants and the lines want. */
static void
check_golden(const char *path, const char *const *want)
{
	char *md = golden_read(path), *out;
	size_t i;

	if (md == NULL)
		fail_msg("cannot read '%s'", path);
	out = slack_format_post(md, lookup_id, NULL);
	assert_true(check_mrkdwn(out));
	/* No Markdown left: headings, **, "- " items. */
	assert_null(strstr(out, "**"));
	assert_null(strstr(out, "\n#"));
	assert_null(strstr(out, "\n- "));
	assert_int_not_equal(out[0], '#');
	for (i = 0; want[i] != NULL; i++)
		check_contains(out, want[i]);
	check_split(out, 200);
	check_split(out, 64);
	free(out);
	free(md);
}

static void
test_format_cases(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "", "" },
		{ "plain", "plain" },
		{ "a\nb\n", "a\nb\n" },
		{ "a\r\nb", "a\nb" },
		/* Emphasis. */
		{ "**bold**", "*bold*" },
		{ "x **bold** y", "x *bold* y" },
		{ "*it* and _it_", "_it_ and _it_" },
		{ "~~gone~~", "~gone~" },
		{ "**a** and **b**", "*a* and *b*" },
		{ "***", "────────" },
		{ "a ***b*** c", "a ***b*** c" },
		{ "**open", "**open" },
		{ "** not bold **", "** not bold **" },
		{ "2 * 3 * 4", "2 * 3 * 4" },
		{ "~one~", "~one~" },
		{ "~~ a ~~", "~~ a ~~" },
		{ "**a `b**` c", "*a `b**` c*" },
		{ "**a `x` b**", "*a `x` b*" },
		{ "**a [l](http://x**) b", "*a <http://x**|l> b*" },
		/* Word neighbours get a zero-width space. */
		{ "a**b**c", "a" ZWSP "*b*" ZWSP "c" },
		{ "（**已逾期 3 天**）", "（" ZWSP "*已逾期 3 天*" ZWSP "）" },
		{ "~~删~~了", "~删~" ZWSP "了" },
		/* Escapes. */
		{ "a & b < c > d", "a &amp; b &lt; c &gt; d" },
		{ "&amp;", "&amp;amp;" },
		{ "<b>x</b>", "&lt;b&gt;x&lt;/b&gt;" },
		{ "\\*lit\\* \\_ \\<", "*lit* _ &lt;" },
		{ "back\\slash \\", "back\\slash \\" },
		/* Code. */
		{ "`a < b`", "`a &lt; b`" },
		{ "`**x** @alice [l](http://y)`",
		  "`**x** @alice [l](http://y)`" },
		{ "``a`b``", "``a`b``" },
		{ "``ab``", "`ab`" },
		{ "`open", "`open" },
		{ "a ` b `` c", "a ` b `` c" },
		{ "```x```", "```x```" },
		{ "```c\nint *p = &x; /* <y> */\n**z**\n```\nafter",
		  "```\nint *p = &amp;x; /* &lt;y&gt; */\n**z**\n```\nafter" },
		{ "```\nnever closed", "```\nnever closed\n```" },
		{ "```\n", "```\n```" },
		{ "````\n```\n````\n", "```\n```\n```\n```" },
		{ "  ```\n# not a heading\n  ```",
		  "```\n# not a heading\n```" },
		/* Links. */
		{ "[Pricing](https://example.com/p?a=1&b=2)",
		  "<https://example.com/p?a=1&amp;b=2|Pricing>" },
		{ "![logo](https://x.y/l.png)", "<https://x.y/l.png|logo>" },
		{ "[](https://x.y)", "<https://x.y>" },
		{ "[a <b>](https://x.y)", "<https://x.y|a &lt;b&gt;>" },
		{ "[rel](docs/x.md)", "rel (docs/x.md)" },
		{ "[l](@https:/x) [m](!here:x) [n](1a:b)",
		  "l (@https:/x) m (!here:x) n (1a:b)" },
		{ "[no url]()", "[no url]()" },
		{ "[a](b c)", "[a](b c)" },
		{ "[a](x:<y>)", "[a](x:&lt;y&gt;)" },
		{ "[a [b](http://c)", "[a <http://c|b>" },
		{ "[unclosed](http://x", "[unclosed](http://x" },
		{ "!not an image", "!not an image" },
		{ "<https://auto.link/x?a&b>",
		  "<https://auto.link/x?a&amp;b>" },
		{ "<mailto:a@b.c>", "<mailto:a@b.c>" },
		{ "<x:>", "&lt;x:&gt;" },
		{ "<not a link>", "&lt;not a link&gt;" },
		{ "https://example.com/pricing Pricing sheet",
		  "https://example.com/pricing Pricing sheet" },
		/* Mentions. */
		{ "@alice", "<@U1>" },
		{ "hi @alice, @bob: @carol", "hi <@U1>, <@U2>: @carol" },
		{ "@bob.smith and @bob.", "<@U3> and <@U2>." },
		{ "ask @bob...", "ask <@U2>..." },
		{ "@erin_x @erin_", "<@U5> @erin_" },
		{ "@alicex", "@alicex" },
		{ "@ALICE", "@ALICE" },
		{ "@alice：好", "<@U1>：好" },
		{ "mail alice@example.com", "mail alice@example.com" },
		{ "@evil @dave", "@evil @dave" },
		{ "@here @channel @Everyone @all",
		  "<!here> <!channel> <!everyone> @all" },
		{ "@ alone @", "@ alone @" },
		{ "@@alice", "@<@U1>" },
		/* Headings. */
		{ "# Title", "*Title*" },
		{ "#### Weekly — ops", "*Weekly — ops*" },
		{ "###### @alice", "*<@U1>*" },
		{ "## **Bold** in *heading* ##", "*Bold in _heading_*" },
		{ "#", "" },
		{ "#hashtag", "#hashtag" },
		{ "####### seven", "####### seven" },
		{ "#3 @bob: x", "#3 <@U2>: x" },
		{ "## a # b", "*a # b*" },
		/* Lists, quotes, rules. */
		{ "- one\n- two", "• one\n• two" },
		{ "* star\n+ plus", "• star\n• plus" },
		{ "- **Done**\n  - item", "• *Done*\n  • item" },
		{ "-", "•" },
		{ "-x", "-x" },
		{ "1. one\n2. two", "1. one\n2. two" },
		{ "> quoted **b**", "> quoted *b*" },
		{ "---", "────────" },
		{ "a\n\n---\n", "a\n\n────────\n" },
		{ "- - -", "────────" },
		{ "*it*", "_it_" },
		/* Tables. */
		{ "| a | b |\n|---|---|\n| 1 | 2 |",
		  "```\na   | b\n----+----\n1   | 2\n```" },
		{ "| Name | 完成 | n |\n|:--|:-:|--:|\n| alice | 是的 | 3 |\n"
		  "| 鲍勃 | no | 12345 |\nafter",
		  "```\nName  | 完成 |     n\n------+------+------\n"
		  "alice | 是的 |     3\n鲍勃  |  no  | 12345\n```\nafter" },
		{ "| **b** | `c` | a & b |\n|-|-|-|\n| x \\| y | <z> |\n",
		  "```\nb     | c   | a &amp; b\n------+-----+------\n"
		  "x | y | &lt;z&gt;\n```\n" },
		{ "| a |\n| b |", "| a |\n| b |" },
		{ "| a | b |\n| - | - |\n| 1 | 2 | 3 | 4 |\n\nnext",
		  "```\na   | b\n----+-----+-----+----\n"
		  "1   | 2   | 3   | 4\n```\n\nnext" },
		{ "| x |\n|---|", "```\nx\n---\n```" },
	};
	size_t i;
	char *got;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		got = slack_format_post(cases[i].in, lookup_id, NULL);
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("case %zu '%s':\n got '%s'\nwant '%s'", i,
				 cases[i].in, got, cases[i].want);
		if (!check_mrkdwn(got))
			fail_msg("case %zu: bad output '%s'", i, got);
		free(got);
	}
}

/* Tables too wide to pad: many columns, a very wide cell, short rows. */
static void
test_format_table_bounds(void **state)
{
	char md[1024], *got;
	size_t i, len = 0;

	(void)state;
	md[len++] = '|';
	for (i = 1; i <= 40; i++)
		len += (size_t)snprintf(md + len, sizeof md - len, "%zu|", i);
	len += (size_t)snprintf(md + len, sizeof md - len, "\n|-|\n|x|\n|");
	for (i = 0; i < 60; i++)
		md[len++] = 'w';
	len += (size_t)snprintf(md + len, sizeof md - len, "|\n|\n");
	got = slack_format_post(md, lookup_id, NULL);
	assert_true(check_mrkdwn(got));
	/* Columns 32 to 40 are one; the first is 48 wide, not 60. */
	check_contains(got, "| 31  | 32|33|34|35|36|37|38|39|40\n");
	check_contains(got, "\nx\n");
	check_contains(got, "\n------------------------------------------------"
			    "-+-----+-");
	check_contains(got,
		       "\nwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww"
		       "wwwwwwwwww\n\n```");
	free(got);
}

static void
test_format_lookup_null(void **state)
{
	char *got;

	(void)state;
	got = slack_format_post("@alice @here **x**", NULL, NULL);
	assert_string_equal(got, "@alice <!here> *x*");
	free(got);
}

static void
test_format_invalid_utf8(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "a\xff"
		  "b",
		  "a\xef\xbf\xbd"
		  "b" },
		{ "\xe4\xb8", "\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\xc0\xaf <", "\xef\xbf\xbd\xef\xbf\xbd &lt;" },
		{ "**\xed\xa0\x80**",
		  "*\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd*" },
		{ "| \xf5 |\n|-|", "```\n\xef\xbf\xbd\n---\n```" },
	};
	size_t i;
	char *got;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		got = slack_format_post(cases[i].in, lookup_id, NULL);
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("case %zu:\n got '%s'\nwant '%s'", i, got,
				 cases[i].want);
		assert_true(check_mrkdwn(got));
		free(got);
	}
}

static void
test_format_goldens(void **state)
{
	static const char *const agenda_en[] = {
		"*Weekly meeting — ops-weekly*\n"
		"*Mon 2026-11-30 10:00 (Asia/Shanghai), 60 min*\n\n"
		"*1. Review of last meeting's action items (10 min)*\n"
		"*Overdue*\n",
		"• #3 <@U2>: Prepare the budget draft (due 2026-11-27, *3 days "
		"overdue*)\n",
		"• #6 @dave: Renew the certificate",
		"*<@U1>*\n• *Done*\n  • Shipped the login page\n",
		"1. Pricing change — <@U2> (15 min)\n",
		"— <@U1> (can help: @dave @erin)\n",
		"*Not reported yet*\n@dave @erin\n",
		NULL,
	};
	static const char *const agenda_zh[] = {
		"*例会议程 — ops-weekly*\n",
		"• #3 <@U2>：Prepare the budget draft（截止 2026-11-27，" ZWSP
		"*已逾期 3 天*" ZWSP "）\n",
		"*成员汇报*\n*<@U1>*\n• *已完成*\n",
		"3. Q1 规划 — <@U1>（30 分钟）\n",
		NULL,
	};
	static const char *const minutes_en[] = {
		"*Minutes of meeting 42: Weekly ops sync*\n",
		"Chair: <@U1>\n",
		"• *Action* <@U1>: <@U2> fri Prepare the budget draft\n",
		"• *Link* <@U2>: https://example.com/pricing Pricing sheet\n",
		"• #14 *unassigned*: Book the meeting room\n",
		"*Unassigned*\n• #14 Book the meeting room\n",
		NULL,
	};
	static const char *const minutes_zh[] = {
		"*会议纪要（编号 42）：Weekly ops sync*\n",
		"主持人：<@U1>\n",
		"• #14 *未指派*" ZWSP "：Book the meeting room\n",
		"*行动项（按责任人）*\n*<@U2>*\n",
		NULL,
	};
	static const char *const meeting[] = {
		"*Minutes of meeting 1: Weekly ops sync*\n",
		NULL,
	};

	(void)state;
	check_golden("tests/fixtures/agenda/full-en.md", agenda_en);
	check_golden("tests/fixtures/agenda/full-zh_CN.md", agenda_zh);
	check_golden("tests/fixtures/minutes/full-en.md", minutes_en);
	check_golden("tests/fixtures/minutes/full-zh_CN.md", minutes_zh);
	check_golden("tests/fixtures/meeting/ops-en.md", meeting);
	check_golden("tests/fixtures/meeting/ops-zh_CN.md", meeting + 1);
	check_golden("tests/fixtures/agenda/empty-en.md", meeting + 1);
	check_golden("tests/fixtures/agenda/partial-zh_CN.md", meeting + 1);
	check_golden("tests/fixtures/minutes/auto-closed-en.md", meeting + 1);
}

/* An agenda rendered here, with Markdown and HTML in its user texts. */
static void
test_format_rendered(void **state)
{
	static const struct agenda_topic topics[] = {
		{ "a < b & **c** [doc](https://d.example/x?a=1&b=2)", "bob",
		  15 },
		{ "预算 `x<y>` 讨论", NULL, 5 },
	};
	static const struct agenda_report reports[] = {
		{ "alice", SECTION_DONE, "use *stars* and ~~old~~ @bob", NULL },
	};
	struct agenda_view v;
	char *md, *out;

	(void)state;
	memset(&v, 0, sizeof v);
	v.locale = LOCALE_EN;
	v.channel_name = "ops<weekly>";
	v.start.date.year = 2026;
	v.start.date.month = 11;
	v.start.date.day = 30;
	v.start.hour = 10;
	v.start.wday = 1;
	v.timezone = "UTC";
	v.length = 30;
	v.sections = SECTION_ALL;
	v.review_minutes = 5;
	v.topics = topics;
	v.n_topics = sizeof topics / sizeof topics[0];
	v.reports = reports;
	v.n_reports = sizeof reports / sizeof reports[0];
	md = render_agenda(&v);
	out = slack_format_post(md, lookup_id, NULL);
	assert_true(check_mrkdwn(out));
	check_contains(out, "*Weekly meeting — ops&lt;weekly&gt;*\n");
	check_contains(out, "1. a &lt; b &amp; *c* "
			    "<https://d.example/x?a=1&amp;b=2|doc> — <@U2>");
	check_contains(out, "2. 预算 `x&lt;y&gt;` 讨论");
	check_contains(out, "  • use _stars_ and ~old~ <@U2>\n");
	assert_null(strstr(out, "**"));
	free(out);
	v.locale = LOCALE_ZH_CN;
	free(md);
	md = render_agenda(&v);
	out = slack_format_post(md, lookup_id, NULL);
	assert_true(check_mrkdwn(out));
	check_contains(out, "*例会议程 — ops&lt;weekly&gt;*\n");
	free(out);
	free(md);
}

/* Pseudo-random Markdown-ish bytes: the output invariants always hold. */
static void
test_format_random(void **state)
{
	static const char alphabet[] = "*_~`[]()!<>&@\\|#-+: \n\t\r.ab"
				       "\xe4\xb8\xad\xff\x80";
	char in[200], *out;
	uint32_t x = 12345;
	size_t round, i, n;

	(void)state;
	for (round = 0; round < 3000; round++) {
		n = round % sizeof in;
		for (i = 0; i < n; i++) {
			x = x * 1103515245u + 12345u;
			in[i] = alphabet[(x >> 16) % (sizeof alphabet - 1)];
		}
		in[n] = '\0';
		out = slack_format_post(in, lookup_id, NULL);
		if (!check_mrkdwn(out))
			fail_msg("bad output for '%s':\n%s", in, out);
		check_split(out, SLACK_SPLIT_MIN + round % 50);
		free(out);
	}
}

static void
test_split_cases(void **state)
{
	static const struct {
		const char *in;
		size_t max;
		const char *want[6]; /* the parts, NULL-terminated */
	} cases[] = {
		{ "", 40, { NULL } },
		{ "\n\n", 40, { NULL } },
		{ "short", 40, { "short", NULL } },
		{ "\nshort\n", 40, { "short\n", NULL } },
		/* A blank line is preferred to a later newline. */
		{ "aaaaaaaaaaaaaaaaaaaa\n\nbbbbbbbbbbbb\ncccccccccccccccccc",
		  40,
		  { "aaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbb\ncccccccccccccccccc",
		    NULL } },
		{ "aaaaaaaaaaaaaaaaaaaaaaa\nbbbbbbbbbbbbbbbbbbbbbbb",
		  40,
		  { "aaaaaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbbbbb",
		    NULL } },
		/* A long line: at a blank, not inside an entity or <...>. */
		{ "word word word word word word word word word",
		  32,
		  { "word word word word word ", "word word word word",
		    NULL } },
		{ "xxxxxxxxxxxxxxxxxxxxxx&amp;yyyyyyyyyyyyyyyy",
		  32,
		  { "xxxxxxxxxxxxxxxxxxxxxx&amp;y", "yyyyyyyyyyyyyyy", NULL } },
		{ "xxxxxxxxxxxxxxxxxxxxxxxx&amp;yyyyyyyyyyyyyyyy",
		  32,
		  { "xxxxxxxxxxxxxxxxxxxxxxxx", "&amp;yyyyyyyyyyyyyyyy",
		    NULL } },
		{ "xxxxxxxxxxxxxxxx<https://example.com/a>yyyy",
		  32,
		  { "xxxxxxxxxxxxxxxx", "<https://example.com/a>yyyy", NULL } },
		{ "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
		  32,
		  { "xxxxxxxxxxxxxxxxxxxxxxxxxxxx", "xxxxxxxxxxxx", NULL } },
		/* A multi-byte character is never cut. */
		{ "中中中中中中中中中中中中中中中",
		  32,
		  { "中中中中中中中中中", "中中中中中中", NULL } },
		/* Never next to a backtick: no part line may read "```". */
		{ "xxxxxxxxxxxxxxxxxxxxxx```yyyyyyyyyyyyyyyyyyy",
		  32,
		  { "xxxxxxxxxxxxxxxxxxxxxx```yyy", "yyyyyyyyyyyyyyyy",
		    NULL } },
		{ "xxxxxxxxxxxxxxxxxxxxxxxxx```yyyyyyyy",
		  32,
		  { "xxxxxxxxxxxxxxxxxxxxxxxx", "x```yyyyyyyy", NULL } },
		{ "``````````````````````````````````````````````````````````` "
		  "end",
		  32,
		  { "````````````````````````````",
		    "````````````````````````````", "``` end", NULL } },
		{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n```"
		  "\nbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
		  "\n```",
		  32,
		  { "aaaaaaaaaaaaaaaaaaaaaaaaaaaa", "a",
		    "```\nbbbbbbbbbbbbbbbbbbbbbbbb\n```", "```\nbbbb\n```",
		    NULL } },
		/* max below the minimum is the minimum. */
		{ "aaaaaaaaaaaaaaaa\nbbbbbbbbbbbbbbbb",
		  1,
		  { "aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb", NULL } },
	};
	char **parts;
	size_t i, n, k;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		n = slack_split_post(cases[i].in, cases[i].max, &parts);
		for (k = 0; k < n && cases[i].want[k] != NULL; k++) {
			if (strcmp(parts[k], cases[i].want[k]) != 0)
				fail_msg("case %zu part %zu: got '%s' want "
					 "'%s'",
					 i, k, parts[k], cases[i].want[k]);
		}
		if (k != n || cases[i].want[k] != NULL)
			fail_msg("case %zu: %zu parts", i, n);
		check_split(cases[i].in, cases[i].max);
		render_pieces_free(parts, n);
	}
}

/* A code block cut in two is closed and opened again. */
static void
test_split_code_block(void **state)
{
	static const char in[] = "intro line\n```\n"
				 "row 1 aaaaaaaaaa\nrow 2 bbbbbbbbbb\n"
				 "row 3 cccccccccc\n```\nend";
	static const char *const want[] = {
		"intro line\n```\nrow 1 aaaaaaaaaa\n```",
		"```\nrow 2 bbbbbbbbbb\nrow 3 cccccccccc\n```\nend",
	};
	char **parts;
	size_t n, i;

	(void)state;
	n = slack_split_post(in, 48, &parts);
	assert_int_equal(n, 2);
	for (i = 0; i < n; i++)
		assert_string_equal(parts[i], want[i]);
	render_pieces_free(parts, n);
	check_split(in, 48);
	check_split(in, 33);
	/* The closing fence alone is not a part of its own. */
	n = slack_split_post("```\naaaaaaaaaaaaaaaaaaaaaaaa\n```\n"
			     "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
			     36, &parts);
	assert_int_equal(n, 2);
	assert_string_equal(parts[0], "```\naaaaaaaaaaaaaaaaaaaaaaaa\n```");
	assert_string_equal(parts[1], "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
	render_pieces_free(parts, n);
}

/* A converted table long enough to be cut keeps each part a block. */
static void
test_split_goldens(void **state)
{
	char md[4096], *out;
	size_t i, len = 0;

	(void)state;
	len += (size_t)snprintf(md + len, sizeof md - len,
				"#### Stats\n| name | 完成 |\n|---|---|\n");
	for (i = 0; i < 60; i++)
		len += (size_t)snprintf(md + len, sizeof md - len,
					"| user%zu | 任务 %zu |\n", i, i);
	out = slack_format_post(md, lookup_id, NULL);
	assert_true(check_mrkdwn(out));
	check_split(out, 300);
	check_split(out, 100);
	check_split(out, 40);
	free(out);
}

static void
test_text_cases(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "", "" },
		{ "plain text", "plain text" },
		{ "a &amp; b &lt;c&gt; &amp;amp; &x; &",
		  "a & b <c> &amp; &x; &" },
		{ "hi <@U1|alice>!", "hi @alice!" },
		{ "<@U1|@alice>", "@alice" },
		{ "<@U7|dave smith> ok", "@dave smith ok" },
		{ "<@U1>", "@alice" },
		{ "<@U2> <@U3>", "@bob @bob.smith" },
		{ "<@U8>", "<@U8>" },
		{ "<@U8|>", "<@U8>" },
		{ "<@W1|x&amp;y>", "@x&y" },
		{ "<#C1|ops>", "#ops" },
		{ "<#C1>", "#C1" },
		{ "<#C1|>", "#C1" },
		{ "<!here> <!channel> <!everyone>",
		  "@here @channel @everyone" },
		{ "<!here|here>", "@here" },
		{ "<!subteam^S1|@team>", "@team" },
		{ "<!subteam^S1>", "" },
		{ "<!date^1392734382^{date}|Feb 18>", "Feb 18" },
		{ "<!unknown>x", "x" },
		{ "<https://example.com>", "https://example.com" },
		{ "<https://example.com|Example>",
		  "Example (https://example.com)" },
		{ "<http://example.com|example.com>", "example.com" },
		{ "<mailto:a@b.c|a@b.c>", "a@b.c" },
		{ "<https://x.y/?a=1&amp;b=2|a &lt;b&gt;>",
		  "a <b> (https://x.y/?a=1&b=2)" },
		/* Malformed: kept as written. */
		{ "a < b", "a < b" },
		{ "<", "<" },
		{ "<>", "<>" },
		{ ">", ">" },
		{ "<<@U1|alice>", "<@alice" },
		{ "<@U1\n>", "<@U1\n>" },
		{ "<@>", "<@>" },
		{ "<@U-1>", "<@U-1>" },
		{ "<@U1 x>", "<@U1 x>" },
		{ "<#>", "<#>" },
		{ "<no scheme|x>", "<no scheme|x>" },
		{ "<a b:c>", "<a b:c>" },
		{ "<x&amp;y>", "<x&y>" },
		{ "/report done <@U2|bob> 完成 <@U1>",
		  "/report done @bob 完成 @alice" },
	};
	struct slack_text t;
	char *cause = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (slack_text_parse(cases[i].in, strlen(cases[i].in), 4000,
				     lookup_name, NULL, &t, &cause) != 0)
			fail_msg("case %zu: %s", i, cause);
		if (strcmp(t.text, cases[i].want) != 0)
			fail_msg("case %zu '%s':\n got '%s'\nwant '%s'", i,
				 cases[i].in, t.text, cases[i].want);
		assert_true(utf8_valid(t.text, strlen(t.text)));
		slack_text_release(&t);
		assert_null(t.text);
	}
}

static void
test_text_mentions(void **state)
{
	static const char in[] = "<@U8> <@U1> x <@U8|zed> <@U1|alice> <@U9> "
				 "<@UA> <@UB> <@UC> <@UD> <@UE> <@UF>";
	struct slack_text t;
	char *cause = NULL;

	(void)state;
	assert_int_equal(slack_text_parse(in, strlen(in), 4000, lookup_name,
					  "@nina", &t, &cause),
			 0);
	assert_int_equal(t.n_mentions, CHAT_MENTIONS_MAX);
	assert_string_equal(t.mentions[0].user_id, "U8");
	assert_string_equal(t.mentions[0].name, "zed"); /* named later */
	assert_string_equal(t.mentions[1].user_id, "U1");
	assert_string_equal(t.mentions[1].name, "alice");
	assert_string_equal(t.mentions[2].user_id, "U9");
	assert_string_equal(t.mentions[2].name, "nina");
	assert_string_equal(t.mentions[7].user_id, "UE");
	assert_null(t.mentions[7].name);
	/* UA..UE have no name; UF is past the list. */
	assert_int_equal(t.missing, 5);
	assert_string_equal(t.text, "<@U8> @alice x @zed @alice @nina <@UA> "
				    "<@UB> <@UC> <@UD> <@UE> <@UF>");
	slack_text_release(&t);
	slack_text_release(&t);

	/* Without resolve, only "|name" names. */
	assert_int_equal(slack_text_parse("<@U1> <@U2|bob>", 15, 100, NULL,
					  NULL, &t, &cause),
			 0);
	assert_int_equal(t.n_mentions, 2);
	assert_null(t.mentions[0].name);
	assert_string_equal(t.mentions[1].name, "bob");
	assert_int_equal(t.missing, 1);
	assert_string_equal(t.text, "<@U1> @bob");
	slack_text_release(&t);

	/* A resolve answer that is empty or not UTF-8 is no name. */
	assert_int_equal(
	    slack_text_parse("<@U9>", 5, 100, lookup_name, "@", &t, &cause), 0);
	assert_null(t.mentions[0].name);
	assert_int_equal(t.missing, 1);
	slack_text_release(&t);
	assert_int_equal(
	    slack_text_parse("<@U9>", 5, 100, lookup_name, "\xff", &t, &cause),
	    0);
	assert_null(t.mentions[0].name);
	slack_text_release(&t);
	slack_text_release(NULL);
}

static void
test_text_errors(void **state)
{
	static const struct {
		const char *in;
		size_t len, max;
		const char *cause;
	} cases[] = {
		{ "abcdef", 6, 5, "text is too long (6 bytes, at most 5)" },
		{ "a\xff", 2, 100, "text is not valid UTF-8" },
		{ "a\0b", 3, 100, "text is not valid UTF-8" },
		{ "\xe4\xb8", 2, 100, "text is not valid UTF-8" },
		{ "\xed\xa0\x80", 3, 100, "text is not valid UTF-8" },
	};
	struct slack_text t;
	char *cause;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cause = NULL;
		memset(&t, 0xab, sizeof t);
		assert_int_equal(slack_text_parse(cases[i].in, cases[i].len,
						  cases[i].max, lookup_name,
						  NULL, &t, &cause),
				 -1);
		assert_non_null(cause);
		assert_string_equal(cause, cases[i].cause);
		assert_null(t.text);
		assert_int_equal(t.n_mentions, 0);
		assert_int_equal(t.missing, 0);
		free(cause);
		slack_text_release(&t);
	}
	/* cause may be NULL. */
	assert_int_equal(slack_text_parse("ab", 2, 1, NULL, NULL, &t, NULL),
			 -1);
}

/* Pseudo-random valid text: parse never fails and stays UTF-8. */
static void
test_text_random(void **state)
{
	static const char *const pieces[] = {
		"<",	">", "@", "#",	"!",	 "|",  "U1",   "&amp;",
		"&lt;", "&", " ", "\n", "http:", "中", "here", "subteam^S1",
	};
	char in[256];
	struct slack_text t;
	uint32_t x = 777;
	size_t round, len, k;
	char *cause = NULL;

	(void)state;
	for (round = 0; round < 3000; round++) {
		len = 0;
		while (len < 200) {
			x = x * 1103515245u + 12345u;
			k = (x >> 16) % (sizeof pieces / sizeof pieces[0]);
			memcpy(in + len, pieces[k], strlen(pieces[k]));
			len += strlen(pieces[k]);
			if ((x >> 8) % 40 == 0)
				break;
		}
		assert_int_equal(slack_text_parse(in, len, sizeof in,
						  lookup_name, NULL, &t,
						  &cause),
				 0);
		assert_true(utf8_valid(t.text, strlen(t.text)));
		assert_true(t.n_mentions <= CHAT_MENTIONS_MAX);
		assert_true(t.missing <= t.n_mentions);
		slack_text_release(&t);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_cases),
		cmocka_unit_test(test_format_table_bounds),
		cmocka_unit_test(test_format_lookup_null),
		cmocka_unit_test(test_format_invalid_utf8),
		cmocka_unit_test(test_format_goldens),
		cmocka_unit_test(test_format_rendered),
		cmocka_unit_test(test_format_random),
		cmocka_unit_test(test_split_cases),
		cmocka_unit_test(test_split_code_block),
		cmocka_unit_test(test_split_goldens),
		cmocka_unit_test(test_text_cases),
		cmocka_unit_test(test_text_mentions),
		cmocka_unit_test(test_text_errors),
		cmocka_unit_test(test_text_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
