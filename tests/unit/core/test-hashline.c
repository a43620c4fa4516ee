/* SPDX-License-Identifier: MIT */
/*
 * test-hashline.c: hashline_parse() and meeting_item_name(), table-driven.
 *
 * Three tables: lines that are meeting commands (with their kind and
 * text), ordinary lines (0) and commands with a bad text (-1, whose cause
 * must contain cause_has). Rows with len == 0 are measured with strlen();
 * the others hold NUL bytes or are cut short on purpose.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lihui/meeting.h"
#include "lihui/utf8.h"

#define IDEO  "\xe3\x80\x80" /* U+3000 ideographic space */
#define WHASH "\xef\xbc\x83" /* U+FF03 full-width '#' */
#define WCOL  "\xef\xbc\x9a" /* U+FF1A full-width ':' */

struct good_case {
	const char *in;
	enum meeting_item_kind kind;
	const char *text;
};

static const struct good_case good_cases[] = {
	/* Every keyword. */
	{ "#topic Pricing", MEETING_TOPIC, "Pricing" },
	{ "#info the beta ships friday", MEETING_INFO,
	  "the beta ships friday" },
	{ "#idea a second region", MEETING_IDEA, "a second region" },
	{ "#agreed plan B", MEETING_AGREED, "plan B" },
	{ "#action @bob 12-01 fix the build", MEETING_ACTION,
	  "@bob 12-01 fix the build" },
	{ "#link https://example.org/doc the spec", MEETING_LINK,
	  "https://example.org/doc the spec" },
	{ "#议题 定价", MEETING_TOPIC, "定价" },
	{ "#信息 周五发布测试版", MEETING_INFO, "周五发布测试版" },
	{ "#想法 第二个机房", MEETING_IDEA, "第二个机房" },
	{ "#决议 采用方案A", MEETING_AGREED, "采用方案A" },
	{ "#行动 @张三 周五 修复构建", MEETING_ACTION, "@张三 周五 修复构建" },
	{ "#链接 https://example.org 规格", MEETING_LINK,
	  "https://example.org 规格" },
	/* ASCII keywords in any case. */
	{ "#Topic Pricing", MEETING_TOPIC, "Pricing" },
	{ "#AGREED plan B", MEETING_AGREED, "plan B" },
	{ "#tOpIc x", MEETING_TOPIC, "x" },
	{ "#Info x", MEETING_INFO, "x" },
	{ "#IDEA x", MEETING_IDEA, "x" },
	{ "#Action @bob x", MEETING_ACTION, "@bob x" },
	{ "#LINK x", MEETING_LINK, "x" },
	/* The full-width '#' of Chinese input methods. */
	{ WHASH "topic 定价", MEETING_TOPIC, "定价" },
	{ WHASH "决议 采用方案A", MEETING_AGREED, "采用方案A" },
	{ WHASH "AGREED x", MEETING_AGREED, "x" },
	{ WHASH "链接" WCOL "https://example.org", MEETING_LINK,
	  "https://example.org" },
	/* Leading blanks: spaces, tabs, U+3000. */
	{ "  #topic a", MEETING_TOPIC, "a" },
	{ "\t#info b", MEETING_INFO, "b" },
	{ IDEO "#idea c", MEETING_IDEA, "c" },
	{ " \t" IDEO " " WHASH "行动 d", MEETING_ACTION, "d" },
	/* Boundaries and separators after an ASCII keyword. */
	{ "#topic:a", MEETING_TOPIC, "a" },
	{ "#topic: a", MEETING_TOPIC, "a" },
	{ "#topic :a", MEETING_TOPIC, "a" },
	{ "#topic  :  a", MEETING_TOPIC, "a" },
	{ "#topic" WCOL "a", MEETING_TOPIC, "a" },
	{ "#topic " WCOL " a", MEETING_TOPIC, "a" },
	{ "#agreed\ttabbed", MEETING_AGREED, "tabbed" },
	{ "#topic" IDEO "定价", MEETING_TOPIC, "定价" },
	{ "#topic::a", MEETING_TOPIC, ":a" },
	{ "#topic : : a", MEETING_TOPIC, ": a" },
	/* A Chinese keyword needs no boundary. */
	{ "#决议采用方案A", MEETING_AGREED, "采用方案A" },
	{ "#议题定价", MEETING_TOPIC, "定价" },
	{ "#决议abc", MEETING_AGREED, "abc" },
	{ "#议题:定价", MEETING_TOPIC, "定价" },
	{ "#议题" WCOL "定价", MEETING_TOPIC, "定价" },
	{ "#议题" IDEO "定价", MEETING_TOPIC, "定价" },
	{ "#信息 " WCOL " 上线", MEETING_INFO, "上线" },
	/* Trailing blanks go, inner ones stay. */
	{ "#topic a  ", MEETING_TOPIC, "a" },
	{ "#topic a\t\r\n", MEETING_TOPIC, "a" },
	{ "#topic a" IDEO, MEETING_TOPIC, "a" },
	{ "#topic " IDEO " a " IDEO "\n", MEETING_TOPIC, "a" },
	{ "#info a  b", MEETING_INFO, "a  b" },
	{ "#info a" IDEO "b", MEETING_INFO, "a" IDEO "b" },
	/* A multi-line message is one item with its line breaks. */
	{ "#topic first\nsecond", MEETING_TOPIC, "first\nsecond" },
	{ "#info a\r\nb\r\n", MEETING_INFO, "a\r\nb" },
	{ "#topic\nlist:\n- a\n- b\n", MEETING_TOPIC, "list:\n- a\n- b" },
	{ "#决议\n采用方案A\n\n", MEETING_AGREED, "采用方案A" },
	/* The text is anything, even another keyword. */
	{ "#topic #info", MEETING_TOPIC, "#info" },
	{ "#idea \xf0\x9f\x8e\x89 party", MEETING_IDEA,
	  "\xf0\x9f\x8e\x89 party" },
	{ "#link a", MEETING_LINK, "a" },
};

struct ordinary_case {
	const char *in;
	size_t len; /* 0: strlen(in) */
};

static const struct ordinary_case ordinary_cases[] = {
	{ "", 0 },
	{ "hello", 0 },
	{ "topic a", 0 },
	{ "x #topic a", 0 },	   /* the keyword must start the line */
	{ "\n#topic a", 0 },	   /* line breaks are not leading blanks */
	{ "\r\n#topic a", 0 },	   /* ... */
	{ "\xc2\xa0#topic a", 0 }, /* nor is U+00A0 */
	{ "# topic a", 0 },	   /* nothing between '#' and keyword */
	{ "##topic a", 0 },
	{ "#", 0 },
	{ WHASH, 0 },
	{ WHASH " topic a", 0 },
	{ "#top", 0 },
	{ "#议", 0 },
	{ "#议会 开会", 0 },
	{ "#meeting a", 0 },
	/* An ASCII keyword needs a boundary. */
	{ "#topics a", 0 },
	{ "#info2", 0 },
	{ "#action_items", 0 },
	{ "#agreed-ish", 0 },
	{ "#linkage x", 0 },
	{ "#ideas x", 0 },
	{ "#topic,a", 0 },
	{ "#topic，a", 0 },
	{ "#topic.", 0 },
	{ "#topic定价", 0 },
	{ "#Topics", 0 },
	/* Full-width letters are not the keyword. */
	{ "#\xef\xbc\xb4\xef\xbc\xaf\xef\xbc\xb0\xef\xbc\xa9\xef\xbc\xa3 a",
	  0 },
	/* Bytes that are not UTF-8, outside any command. */
	{ "hello \xff\xfe", 0 },
	{ "\xff#topic a", 0 },
	{ "\xef\xbc#topic a", 0 },
	{ "#\xef\xbc", 0 },
	{ "#topic\xff a", 0 },
	{ "#topic\xc3\xa9 a", 0 },
	/* NUL bytes. */
	{ "\0#topic a", 9 },
	{ "#topic\0 a", 9 },
	{ "#to\0pic a", 9 },
	/* A keyword cut short by len. */
	{ "#topic a", 4 },
	{ "#议题 定价", 3 },
	{ WHASH "topic a", 2 },
};

struct bad_case {
	const char *in;
	size_t len; /* 0: strlen(in) */
	const char *cause_has;
};

static const struct bad_case bad_cases[] = {
	/* A keyword with no text. */
	{ "#topic", 0, "#topic needs a text" },
	{ "#TOPIC", 0, "#topic needs a text" },
	{ "#info", 0, "#info needs a text" },
	{ "#idea\t", 0, "#idea needs a text" },
	{ "#agreed   ", 0, "#agreed needs a text" },
	{ "#action:", 0, "#action needs a text" },
	{ "#link :  ", 0, "#link needs a text" },
	{ "#topic" WCOL, 0, "#topic needs a text" },
	{ "#info\n\n", 0, "#info needs a text" },
	{ "#info\r\n", 0, "#info needs a text" },
	{ "#link" IDEO, 0, "#link needs a text" },
	{ "  " WHASH "action \r\n", 0, "#action needs a text" },
	{ "#议题", 0, "#议题 needs a text" },
	{ "#信息 ", 0, "#信息 needs a text" },
	{ "#想法:", 0, "#想法 needs a text" },
	{ "#决议" WCOL, 0, "#决议 needs a text" },
	{ "#行动" IDEO IDEO, 0, "#行动 needs a text" },
	{ WHASH "链接\n", 0, "#链接 needs a text" },
	{ "#topic a", 7, "#topic needs a text" },
	/* A text that is not UTF-8. */
	{ "#topic a\xff", 0, "#topic text is not valid UTF-8" },
	{ "#topic \xc3", 0, "not valid UTF-8" },
	{ "#info \xed\xa0\x80", 0, "not valid UTF-8" },	    /* surrogate */
	{ "#link \xc0\xaf", 0, "not valid UTF-8" },	    /* overlong */
	{ "#idea \xf4\x90\x80\x80", 0, "not valid UTF-8" }, /* > U+10FFFF */
	{ "#决议\x80", 0, "#决议 text is not valid UTF-8" },
	{ "#议题 \xe5\xae", 0, "not valid UTF-8" },
	{ "#topic a\0b", 10, "not valid UTF-8" },
	{ "#topic \0", 8, "not valid UTF-8" },
	{ "#agreed a\xe3\xe3\x80\x80", 0, "not valid UTF-8" },
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static size_t
case_len(const char *in, size_t len)
{
	return len != 0 ? len : strlen(in);
}

static void
test_good(void **state)
{
	struct hashline out;
	const char *in;
	char *cause;
	size_t i, len;
	int rc;

	(void)state;
	for (i = 0; i < NELEM(good_cases); i++) {
		in = good_cases[i].in;
		len = strlen(in);
		cause = NULL;
		memset(&out, 0, sizeof out);
		rc = hashline_parse(in, len, LOCALE_EN, &out, &cause);
		if (rc != 1)
			print_error("row %zu: '%s' gave %d (%s)\n", i, in, rc,
				    cause != NULL ? cause : "no cause");
		assert_int_equal(rc, 1);
		assert_null(cause);
		assert_int_equal(out.kind, good_cases[i].kind);
		/* The text is borrowed from the line. */
		assert_true(out.text >= in && out.text + out.len <= in + len);
		if (out.len != strlen(good_cases[i].text) ||
		    memcmp(out.text, good_cases[i].text, out.len) != 0)
			print_error("row %zu: '%s' gave text '%.*s'\n", i, in,
				    (int)out.len, out.text);
		assert_int_equal(out.len, strlen(good_cases[i].text));
		assert_memory_equal(out.text, good_cases[i].text, out.len);
		assert_true(utf8_valid(out.text, out.len));
	}
}

static void
test_ordinary(void **state)
{
	struct hashline out = { .kind = MEETING_LINK, .text = "x", .len = 1 };
	char *cause;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < NELEM(ordinary_cases); i++) {
		cause = NULL;
		rc = hashline_parse(
		    ordinary_cases[i].in,
		    case_len(ordinary_cases[i].in, ordinary_cases[i].len),
		    LOCALE_EN, &out, &cause);
		if (rc != 0)
			print_error("row %zu: '%s' gave %d\n", i,
				    ordinary_cases[i].in, rc);
		assert_int_equal(rc, 0);
		assert_null(cause);
		/* *out is written only for a "#" line. */
		assert_int_equal(out.kind, MEETING_LINK);
		assert_string_equal(out.text, "x");
		assert_int_equal(out.len, 1);
	}
}

static void
test_bad(void **state)
{
	struct hashline out = { .kind = MEETING_LINK, .text = "x", .len = 1 };
	const char *in;
	char *cause;
	size_t i, len;
	int rc;

	(void)state;
	for (i = 0; i < NELEM(bad_cases); i++) {
		in = bad_cases[i].in;
		len = case_len(in, bad_cases[i].len);
		cause = NULL;
		rc = hashline_parse(in, len, LOCALE_EN, &out, &cause);
		if (rc != -1 || cause == NULL ||
		    strstr(cause, bad_cases[i].cause_has) == NULL)
			print_error("row %zu: gave %d (%s)\n", i, rc,
				    cause != NULL ? cause : "no cause");
		assert_int_equal(rc, -1);
		assert_non_null(cause);
		assert_non_null(strstr(cause, bad_cases[i].cause_has));
		assert_true(utf8_valid(cause, strlen(cause)));
		free(cause);
		assert_int_equal(out.kind, MEETING_LINK);
		assert_string_equal(out.text, "x");

		/* Without a cause the answer is the same. */
		assert_int_equal(hashline_parse(in, len, LOCALE_EN, &out, NULL),
				 -1);
	}
}

/* The line need not be NUL-terminated: nothing past len is read. */
static void
test_not_terminated(void **state)
{
	static const char line[] = { '#', 't', 'o', 'p', 'i',
				     'c', ' ', 'a', ' ', 'b' };
	struct hashline out;
	char *heap;
	char *cause = NULL;

	(void)state;
	assert_int_equal(
	    hashline_parse(line, sizeof line, LOCALE_EN, &out, &cause), 1);
	assert_int_equal(out.len, 3);
	assert_memory_equal(out.text, "a b", 3);
	assert_int_equal(hashline_parse(line, 8, LOCALE_EN, &out, &cause), 1);
	assert_int_equal(out.len, 1);
	assert_memory_equal(out.text, "a", 1);
	assert_null(cause);

	/* Exactly sized heap copies, for ASan and valgrind to watch. */
	heap = malloc(6);
	assert_non_null(heap);
	memcpy(heap, "#topic", 6);
	assert_int_equal(hashline_parse(heap, 6, LOCALE_EN, &out, &cause), -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	memcpy(heap, "#info ", 6);
	assert_int_equal(hashline_parse(heap, 6, LOCALE_EN, &out, &cause), -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	memcpy(heap, "#idea", 5);
	assert_int_equal(hashline_parse(heap, 5, LOCALE_EN, &out, &cause), -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	memcpy(heap, WHASH, 3);
	assert_int_equal(hashline_parse(heap, 3, LOCALE_EN, &out, &cause), 0);
	assert_null(cause);
	free(heap);
}

/* Build "#topic " + n bytes of filler + tail into a new buffer. */
static char *
long_line(size_t n, const char *tail, size_t *len)
{
	size_t head = strlen("#topic "), tl = strlen(tail);
	char *s = malloc(head + n + tl + 1);

	assert_non_null(s);
	memcpy(s, "#topic ", head);
	memset(s + head, 'x', n);
	memcpy(s + head + n, tail, tl + 1);
	*len = head + n + tl;
	return s;
}

static void
test_text_max(void **state)
{
	static const struct {
		size_t fill;
		const char *tail;
		size_t want; /* 0: too long */
	} rows[] = {
		{ MEETING_TEXT_MAX, "", MEETING_TEXT_MAX },
		{ MEETING_TEXT_MAX - 1, "", MEETING_TEXT_MAX - 1 },
		{ MEETING_TEXT_MAX + 1, "", 0 },
		{ MEETING_TEXT_MAX, "  \r\n" IDEO, MEETING_TEXT_MAX },
		{ MEETING_TEXT_MAX - 3, "议", MEETING_TEXT_MAX },
		{ MEETING_TEXT_MAX - 2, "议", 0 },
		{ MEETING_TEXT_MAX - 1, "\nb", 0 },
		{ 100000, "", 0 },
	};
	struct hashline out;
	char *line, *cause;
	size_t i, len;
	int rc;

	(void)state;
	for (i = 0; i < NELEM(rows); i++) {
		line = long_line(rows[i].fill, rows[i].tail, &len);
		cause = NULL;
		rc = hashline_parse(line, len, LOCALE_EN, &out, &cause);
		if (rows[i].want != 0) {
			assert_int_equal(rc, 1);
			assert_null(cause);
			assert_int_equal(out.len, rows[i].want);
			assert_ptr_equal(out.text, line + strlen("#topic "));
		} else {
			assert_int_equal(rc, -1);
			assert_non_null(cause);
			assert_non_null(
			    strstr(cause, "#topic text is too long"));
			free(cause);
		}
		free(line);
	}
}

static void
test_item_name(void **state)
{
	static const struct {
		enum meeting_item_kind kind;
		const char *name;
	} rows[] = {
		{ MEETING_LINE, "line" },
		{ MEETING_TOPIC, "topic" },
		{ MEETING_INFO, "info" },
		{ MEETING_IDEA, "idea" },
		{ MEETING_AGREED, "agreed" },
		{ MEETING_ACTION, "action" },
		{ MEETING_LINK, "link" },
		{ MEETING_KIND_COUNT, "?" },
		{ (enum meeting_item_kind)99, "?" },
		{ (enum meeting_item_kind) - 1, "?" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(rows); i++)
		assert_string_equal(meeting_item_name(rows[i].kind),
				    rows[i].name);
}

/* Each kind's name is the English keyword that parses to it. */
static void
test_name_parses(void **state)
{
	struct hashline out;
	char line[64];
	int kind, n;

	(void)state;
	for (kind = MEETING_TOPIC; kind < MEETING_KIND_COUNT; kind++) {
		n = snprintf(line, sizeof line, "#%s x",
			     meeting_item_name((enum meeting_item_kind)kind));
		assert_true(n > 0 && (size_t)n < sizeof line);
		assert_int_equal(
		    hashline_parse(line, (size_t)n, LOCALE_EN, &out, NULL), 1);
		assert_int_equal(out.kind, kind);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_ordinary),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_not_terminated),
		cmocka_unit_test(test_text_max),
		cmocka_unit_test(test_item_name),
		cmocka_unit_test(test_name_parses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
