/* SPDX-License-Identifier: MIT */
/*
 * test-split.c: render_split() on hand-picked cases (headings, lines, CJK,
 * max = 4, text of exactly max bytes) and on random texts, checking the
 * properties every split keeps: no piece over max or empty, valid UTF-8
 * in, valid UTF-8 out, and the text is the pieces joined by runs of '\n'.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lihui/render.h"
#include "lihui/utf8.h"
#include "lihui/xmalloc.h"

#define MAX_PIECES 8

static const struct {
	const char *text;
	size_t max;
	size_t n;
	const char *want[MAX_PIECES];
} cases[] = {
	{ "", 4, 0, { NULL } },
	{ "abcd", 4, 1, { "abcd" } },
	{ "abc\n", 4, 1, { "abc\n" } },
	{ "\nab\n", 4, 1, { "\nab\n" } },
	{ "abcde", 4, 2, { "abcd", "e" } },
	{ "aaaaaaaaaa", 4, 3, { "aaaa", "aaaa", "aa" } },
	{ "ab\ncd", 4, 2, { "ab", "cd" } },
	{ "ab\n\ncd", 4, 2, { "ab", "cd" } },
	{ "abcd\nef", 4, 2, { "abcd", "ef" } },
	{ "ab\ncdefgh", 4, 3, { "ab", "cdef", "gh" } },
	{ "# a\n# b", 4, 2, { "# a", "# b" } },
	/* A heading wins over a later newline. */
	{ "aa\nbb\n#c\ndd", 10, 2, { "aa\nbb", "#c\ndd" } },
	{ "aa\nbb\n\n#c\ndd\nee", 12, 2, { "aa\nbb", "#c\ndd\nee" } },
	/* ... but not over an empty piece: the heading at the start. */
	{ "#a\nbb\ncc", 6, 2, { "#a\nbb", "cc" } },
	/* '#' in the middle of a line is no heading. */
	{ "aa #b\ncc", 6, 2, { "aa #b", "cc" } },
	/* Newlines at the start of a text that needs cutting. */
	{ "\n\n\nabcdef", 4, 2, { "abcd", "ef" } },
	{ "\n\n\n\n\n\n", 4, 0, { NULL } },
	{ "ab\n\n\n\n\n\n", 4, 1, { "ab" } },
	/* CJK: 3 bytes a character, never cut inside one. */
	{ "中文中文", 4, 4, { "中", "文", "中", "文" } },
	{ "中文中文", 6, 2, { "中文", "中文" } },
	{ "中文中文", 8, 2, { "中文", "中文" } },
	{ "中文\n中文", 7, 2, { "中文", "中文" } },
	{ "😀😀x", 4, 3, { "😀", "😀", "x" } },
	{ "a😀", 4, 2, { "a", "😀" } },
	{ "é中😀", 5, 2, { "é中", "😀" } },
	{ "é中😀", 4, 3, { "é", "中", "😀" } },
	/* Exactly max bytes, in characters of every width. */
	{ "é中😀", 9, 1, { "é中😀" } },
	{ "##### 议题\n1. 价格调整\n\n##### 时间安排\n已安排",
	  30,
	  2,
	  { "##### 议题\n1. 价格调整", "##### 时间安排\n已安排" } },
	{ "##### 议题\n1. 价格调整\n\n##### 时间安排\n已安排",
	  20,
	  4,
	  { "##### 议题", "1. 价格调整", "##### 时间安排", "已安排" } },
};

static void
test_cases(void **state)
{
	char **pieces = NULL;
	size_t i, k, n;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		n = render_split(cases[i].text, cases[i].max, &pieces);
		if (n != cases[i].n)
			fail_msg("case %zu: want %zu pieces, got %zu", i,
				 cases[i].n, n);
		for (k = 0; k < n; k++) {
			if (strcmp(pieces[k], cases[i].want[k]) != 0)
				fail_msg("case %zu piece %zu: want '%s', got "
					 "'%s'",
					 i, k, cases[i].want[k], pieces[k]);
		}
		render_pieces_free(pieces, n);
		pieces = NULL;
	}
}

/*
 * The properties of a split of text at max: every piece non-empty and at
 * most max bytes, valid UTF-8 when text is, in order, separated only by
 * runs of '\n', and cut before a heading whenever one was in reach.
 */
static void
check_split(const char *text, size_t max)
{
	char **pieces = NULL;
	size_t n, k, len = strlen(text), pos = 0, plen, i, end, next;
	int valid = utf8_valid(text, len);

	n = render_split(text, max, &pieces);
	for (k = 0; k < n; k++) {
		plen = strlen(pieces[k]);
		assert_true(plen > 0);
		assert_true(plen <= max);
		if (valid)
			assert_true(utf8_valid(pieces[k], plen));
		/* The text between pieces is newlines only. */
		if (!(k == 0 && len <= max)) {
			while (pos < len && text[pos] == '\n')
				pos++;
		}
		assert_true(pos + plen <= len);
		assert_memory_equal(text + pos, pieces[k], plen);
		if (len > max)
			assert_true(pieces[k][0] != '\n');
		/*
		 * A cut falls before the last heading line within reach
		 * (after the piece's first byte), if there is one.
		 */
		if (k + 1 < n) {
			end = pos + max;
			next = pos + plen;
			while (text[next] == '\n')
				next++;
			if (pieces[k + 1][0] == '#')
				i = next + 1;
			else
				i = pos + 2;
			for (; i <= end; i++)
				assert_false(text[i] == '#' &&
					     text[i - 1] == '\n');
		}
		pos += plen;
	}
	while (pos < len && text[pos] == '\n')
		pos++;
	assert_int_equal(pos, len);
	render_pieces_free(pieces, n);
}

/* A small deterministic generator (xorshift64*). */
static uint64_t
rng_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

/* A random text of about size bytes from a Markdown-ish alphabet. */
static char *
random_text(uint64_t *s, size_t size, int valid)
{
	static const char *const atoms[] = {
		"a",	  "b",	" ",  "\n", "\n", "\n\n", "#",
		"##### ", "中", "文", "é",  "😀",  "- ",	  "@x",
	};
	char *out = xmalloc(size + 8);
	size_t len = 0, alen;
	const char *a;

	while (len < size) {
		if (!valid && rng_next(s) % 8 == 0) {
			/* A stray byte: continuation, lead or 0xff. */
			static const char stray[] = { '\x80', '\xe4', '\xff' };
			out[len++] = stray[rng_next(s) % 3];
			continue;
		}
		a = atoms[rng_next(s) % (sizeof atoms / sizeof atoms[0])];
		alen = strlen(a);
		memcpy(out + len, a, alen);
		len += alen;
	}
	out[len] = '\0';
	return out;
}

static void
test_random(void **state)
{
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	size_t round, max, size;
	char *text;

	(void)state;
	for (round = 0; round < 3000; round++) {
		size = rng_next(&seed) % 300;
		max = 4 + rng_next(&seed) % 60;
		text = random_text(&seed, size, round % 4 != 0);
		check_split(text, max);
		free(text);
	}
}

/* A long single line of CJK text is cut at character boundaries only. */
static void
test_long_cjk_line(void **state)
{
	char *text = xmalloc(3 * 10000 + 1);
	char **pieces = NULL;
	size_t i, n;

	(void)state;
	for (i = 0; i < 10000; i++)
		memcpy(text + 3 * i, i % 2 ? "文" : "中", 3);
	text[3 * 10000] = '\0';
	/* 30000 bytes: 16380 (the last boundary before 16382), 13620. */
	n = render_split(text, 16382, &pieces);
	assert_int_equal(n, 2);
	assert_int_equal(strlen(pieces[0]), 16380);
	assert_int_equal(strlen(pieces[1]), 13620);
	render_pieces_free(pieces, n);
	check_split(text, 16383);
	check_split(text, 4000);
	check_split(text, 4);
	check_split(text, 5);
	free(text);
}

/* An agenda-sized text splits only at its headings when they fit. */
static void
test_sections(void **state)
{
	char *text = NULL, *section;
	char **pieces = NULL;
	size_t i, n;

	(void)state;
	text = xstrdup("#### Title\n**Mon**");
	for (i = 0; i < 40; i++) {
		section = xasprintf("%s\n\n##### Section %zu\n- 第 %zu 项内容\n"
				    "- more text here",
				    text, i, i);
		free(text);
		text = section;
	}
	n = render_split(text, 200, &pieces);
	assert_true(n > 1);
	for (i = 0; i < n; i++) {
		assert_true(pieces[i][0] == '#');
		assert_true(strlen(pieces[i]) <= 200);
		assert_true(pieces[i][strlen(pieces[i]) - 1] != '\n');
	}
	render_pieces_free(pieces, n);
	check_split(text, 200);

	/* The whole text fits: one piece, the text itself. */
	n = render_split(text, strlen(text), &pieces);
	assert_int_equal(n, 1);
	assert_string_equal(pieces[0], text);
	render_pieces_free(pieces, n);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_long_cjk_line),
		cmocka_unit_test(test_sections),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
