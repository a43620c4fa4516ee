/* SPDX-License-Identifier: MIT */
/*
 * test-args.c: splitting command text into words (args.c), table-driven:
 * ASCII and ideographic white space, ASCII and Chinese quotes, the word
 * limit, args_rest() as typed, args_shift() and args_int().
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "lihui/args.h"
#include "lihui/xmalloc.h"

#define IDEO "\xe3\x80\x80" /* U+3000 IDEOGRAPHIC SPACE */

struct split_case {
	const char *in;
	const char *text; /* the trimmed text */
	int argc;
	const char *argv[6]; /* the first words */
	const char *rest1;   /* args_rest(a, 1) */
};

static const struct split_case split_ok[] = {
	{ "", "", 0, { NULL }, "" },
	{ "   \t\n ", "", 0, { NULL }, "" },
	{ IDEO IDEO, "", 0, { NULL }, "" },
	{ "show", "show", 1, { "show" }, "" },
	{ "done Shipped the login page",
	  "done Shipped the login page",
	  5,
	  { "done", "Shipped", "the", "login", "page" },
	  "Shipped the login page" },
	{ "  done \t x  y \r\n",
	  "done \t x  y",
	  3,
	  { "done", "x", "y" },
	  "x  y" },
	{ "a\vb\fc", "a\vb\fc", 3, { "a", "b", "c" }, "b\fc" },
	/* Chinese input: ideographic spaces, inside and around. */
	{ IDEO "完成" IDEO "登录页上线" IDEO,
	  "完成" IDEO "登录页上线",
	  2,
	  { "完成", "登录页上线" },
	  "登录页上线" },
	{ "完成 登录页" IDEO IDEO "上线",
	  "完成 登录页" IDEO IDEO "上线",
	  3,
	  { "完成", "登录页", "上线" },
	  "登录页" IDEO IDEO "上线" },
	/* Quotes group words; args_rest() keeps them as typed. */
	{ "add \"Q3 plan\" 15m",
	  "add \"Q3 plan\" 15m",
	  3,
	  { "add", "Q3 plan", "15m" },
	  "\"Q3 plan\" 15m" },
	{ "add “第三 季度” @bob",
	  "add “第三 季度” @bob",
	  3,
	  { "add", "第三 季度", "@bob" },
	  "“第三 季度” @bob" },
	{ "a\"b c\"d e", "a\"b c\"d e", 2, { "ab cd", "e" }, "e" },
	{ "\"\" x", "\"\" x", 2, { "", "x" }, "x" },
	{ "say \"it's “fine”\"",
	  "say \"it's “fine”\"",
	  2,
	  { "say", "it's “fine”" },
	  "\"it's “fine”\"" },
	{ "“a\"b”", "“a\"b”", 1, { "a\"b" }, "" },
	/* A closing Chinese quote alone is an ordinary character. */
	{ "x” y", "x” y", 2, { "x”", "y" }, "y" },
	/* Bytes that are not UTF-8 are kept as they are. */
	{ "\xff \xe3\x80",
	  "\xff \xe3\x80",
	  2,
	  { "\xff", "\xe3\x80" },
	  "\xe3\x80" },
};

static void
test_split(void **state)
{
	struct args a;
	char *cause;
	size_t i;
	int k;

	(void)state;
	for (i = 0; i < sizeof split_ok / sizeof split_ok[0]; i++) {
		const struct split_case *c = &split_ok[i];

		cause = NULL;
		if (args_parse(&a, c->in, &cause) != 0)
			fail_msg("'%s': %s", c->in, cause);
		assert_null(cause);
		assert_string_equal(a.text, c->text);
		assert_int_equal(a.argc, c->argc);
		for (k = 0; k < a.argc && k < 6; k++)
			assert_string_equal(a.argv[k], c->argv[k]);
		assert_string_equal(args_rest(&a, 1), c->rest1);
		args_release(&a);
	}
}

static const struct {
	const char *in;
	const char *cause;
} split_bad[] = {
	{ "done \"unterminated", "a quote is not closed" },
	{ "\"", "a quote is not closed" },
	{ "add “第三季度", "a quote is not closed" },
	{ "add “x\" y", "a quote is not closed" },
	{ "a b \"c” d", "a quote is not closed" },
};

static void
test_split_bad(void **state)
{
	struct args a;
	char *cause;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof split_bad / sizeof split_bad[0]; i++) {
		cause = NULL;
		assert_int_equal(args_parse(&a, split_bad[i].in, &cause), -1);
		assert_non_null(cause);
		assert_string_equal(cause, split_bad[i].cause);
		free(cause);
		/* Empty, and safe to release (even twice). */
		assert_int_equal(a.argc, 0);
		assert_null(a.text);
		args_release(&a);
		args_release(&a);
	}
	/* The cause is optional. */
	assert_int_equal(args_parse(&a, "\"", NULL), -1);
	args_release(&a);
}

/* n words "w0 w1 ..." separated by sep, with trailing white space. */
static char *
words(int n, const char *sep)
{
	char *s = xstrdup(""), *t;
	int i;

	for (i = 0; i < n; i++) {
		t = xasprintf("%s%sw%d", s, i ? sep : "", i);
		free(s);
		s = t;
	}
	t = xasprintf("%s %s ", s, IDEO);
	free(s);
	return t;
}

static void
test_word_limit(void **state)
{
	struct args a;
	char *text, *cause = NULL;

	(void)state;
	text = words(ARGS_MAX, " ");
	assert_int_equal(args_parse(&a, text, &cause), 0);
	assert_int_equal(a.argc, ARGS_MAX);
	assert_string_equal(a.argv[ARGS_MAX - 1], "w63");
	assert_string_equal(args_rest(&a, ARGS_MAX - 1), "w63");
	args_release(&a);
	free(text);

	text = words(ARGS_MAX + 1, IDEO);
	assert_int_equal(args_parse(&a, text, &cause), -1);
	assert_non_null(cause);
	assert_string_equal(cause, "too many words");
	assert_int_equal(a.argc, 0);
	free(cause);
	args_release(&a);
	free(text);
}

static void
test_rest_and_shift(void **state)
{
	struct args a;

	(void)state;
	assert_int_equal(args_parse(&a, " edit  2 \"new text\"  here ", NULL),
			 0);
	assert_int_equal(a.argc, 4);
	assert_string_equal(args_rest(&a, 0), "edit  2 \"new text\"  here");
	assert_string_equal(args_rest(&a, 2), "\"new text\"  here");
	assert_string_equal(args_rest(&a, 3), "here");
	assert_string_equal(args_rest(&a, 4), "");
	assert_string_equal(args_rest(&a, -1), "");

	args_shift(&a);
	assert_int_equal(a.argc, 3);
	assert_string_equal(a.argv[0], "2");
	assert_string_equal(a.argv[1], "new text");
	assert_string_equal(args_rest(&a, 0), "2 \"new text\"  here");
	assert_string_equal(args_rest(&a, 1), "\"new text\"  here");
	assert_string_equal(args_rest(&a, 3), "");

	args_shift(&a);
	args_shift(&a);
	args_shift(&a);
	assert_int_equal(a.argc, 0);
	args_shift(&a); /* nothing left: no effect */
	assert_int_equal(a.argc, 0);
	assert_string_equal(args_rest(&a, 0), "");
	args_release(&a);
}

static const struct {
	const char *word;
	long min, max;
	int rc;
	long want;
} int_cases[] = {
	{ "1", 1, 10, 0, 1 },
	{ "10", 1, 10, 0, 10 },
	{ "007", 1, 10, 0, 7 },
	{ "0", 0, 10, 0, 0 },
	{ "0", 1, 10, -1, 0 },
	{ "11", 1, 10, -1, 0 },
	{ "-1", -5, 10, -1, 0 },
	{ "+1", 1, 10, -1, 0 },
	{ " 1", 1, 10, -1, 0 },
	{ "1 ", 1, 10, -1, 0 },
	{ "1x", 1, 10, -1, 0 },
	{ "1.0", 1, 10, -1, 0 },
	{ "", 1, 10, -1, 0 },
	{ "x", 1, 10, -1, 0 },
	{ "一", 1, 10, -1, 0 },
	{ "99999999999999999999999", 1, 2147483647L, -1, 0 },
	{ "2147483647", 1, 2147483647L, 0, 2147483647L },
};

static void
test_int(void **state)
{
	size_t i;
	long v;

	(void)state;
	for (i = 0; i < sizeof int_cases / sizeof int_cases[0]; i++) {
		v = -42;
		if (args_int(int_cases[i].word, int_cases[i].min,
			     int_cases[i].max, &v) != int_cases[i].rc)
			fail_msg("'%s' in [%ld, %ld]: wrong result",
				 int_cases[i].word, int_cases[i].min,
				 int_cases[i].max);
		assert_int_equal(v, int_cases[i].rc == 0 ? int_cases[i].want
							 : -42);
	}
}

/* args_span() gives words [from, to) as typed, ends trimmed. */
static void
test_span(void **state)
{
	static const struct {
		const char *text;
		int from, to;
		const char *want;
	} cases[] = {
		{ "Waiting for \"design assets\" @bob", 0, 3,
		  "Waiting for \"design assets\"" },
		{ "Pricing change\u3000@bob 15m", 0, 2, "Pricing change" },
		{ "a b c", 1, 3, "b c" },
		{ "a b c", 0, 1, "a" },
		{ "a b c", 2, 9, "c" },
		{ "a b c", 3, 4, "" },
		{ "a b c", 2, 2, "" },
		{ "", 0, 1, "" },
	};
	struct args a;
	char *span;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(args_parse(&a, cases[i].text, NULL), 0);
		span = args_span(&a, cases[i].from, cases[i].to);
		assert_string_equal(span, cases[i].want);
		free(span);
		args_release(&a);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_span),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_split_bad),
		cmocka_unit_test(test_word_limit),
		cmocka_unit_test(test_rest_and_shift),
		cmocka_unit_test(test_int),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
