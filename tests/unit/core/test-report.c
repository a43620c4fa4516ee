/* SPDX-License-Identifier: MIT */
/*
 * test-report.c: the pure report parsers of core/report.c, table-driven:
 * metric words (numbers with thousands commas, signs, percent and units),
 * @mentions, and section keywords and lists in English and Chinese.
 *
 * Every failing row also checks that the cause is set, names the word
 * (cut to a short, well-formed prefix) and says why.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "lihui/report.h"
#include "lihui/store.h"
#include "lihui/utf8.h"
#include "lihui/xmalloc.h"

/* 64 and 65 bytes: the longest name allowed and one byte more. */
#define NAME64                                                                 \
	"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl"
#define NAME65 NAME64 "m"
/* 63 nines: the longest number read, and one digit more. */
#define NINES63                                                                \
	"999999999999999999999999999999999999999999999999999999999999999"

struct metric_case {
	const char *in;
	int rc; /* 0 or enum metric_error */
	const char *name;
	double value;
	const char *unit;
	const char *cause_has; /* failures: part of the cause */
};

static const struct metric_case metric_cases[] = {
	/* Plain numbers, signs, fractions. */
	{ "signups=1240", 0, "signups", 1240, "", NULL },
	{ "x=0", 0, "x", 0, "", NULL },
	{ "x=007", 0, "x", 7, "", NULL },
	{ "x=-5", 0, "x", -5, "", NULL },
	{ "x=+5", 0, "x", 5, "", NULL },
	{ "x=0.5", 0, "x", 0.5, "", NULL },
	{ "x=-0.25", 0, "x", -0.25, "", NULL },
	/* Thousands commas: 1 to 3 digits, then groups of exactly 3. */
	{ "signups=1,240", 0, "signups", 1240, "", NULL },
	{ "revenue=1,234,567.89", 0, "revenue", 1234567.89, "", NULL },
	{ "x=-1,240", 0, "x", -1240, "", NULL },
	{ "x=999,999", 0, "x", 999999, "", NULL },
	/* Percent and units, Chinese ones too. */
	{ "conversion=3.1%", 0, "conversion", 3.1, "%", NULL },
	{ "churn=-0.5%", 0, "churn", -0.5, "%", NULL },
	{ "latency=250ms", 0, "latency", 250, "ms", NULL },
	{ "收入=12元", 0, "收入", 12, "元", NULL },
	{ "转化率=3.1%", 0, "转化率", 3.1, "%", NULL },
	{ "size=1,024KB", 0, "size", 1024, "KB", NULL },
	{ "x=5abcdefghijklmnop", 0, "x", 5, "abcdefghijklmnop", NULL },
	/* Limits of the name and of the number. */
	{ NAME64 "=1", 0, NAME64, 1, "", NULL },
	{ "x=" NINES63, 0, "x", 1e63, "", NULL },

	/* No '=' at all. */
	{ "signups", METRIC_NOT_PAIR, NULL, 0, NULL,
	  "'signups' is not name=value" },
	{ "", METRIC_NOT_PAIR, NULL, 0, NULL, "is not name=value" },
	{ "1240", METRIC_NOT_PAIR, NULL, 0, NULL, "'1240' is not name=value" },
	/* Bad names. */
	{ "=5", METRIC_BAD_NAME, NULL, 0, NULL,
	  "metric '=5' needs a name of 1 to 64 bytes" },
	{ NAME65 "=1", METRIC_BAD_NAME, NULL, 0, NULL, "needs a name" },
	{ "new users=5", METRIC_BAD_NAME, NULL, 0, NULL, "without spaces" },
	{ "a\tb=5", METRIC_BAD_NAME, NULL, 0, NULL, "without spaces" },
	{ "\xff=5", METRIC_BAD_NAME, NULL, 0, NULL, "needs a name" },
	/* Values that are not numbers. */
	{ "x=", METRIC_BAD_VALUE, NULL, 0, NULL,
	  "metric 'x=': the value is not a number" },
	{ "x=abc", METRIC_BAD_VALUE, NULL, 0, NULL,
	  "metric 'x=abc': the value is not a number" },
	{ "x=1.2.3", METRIC_BAD_VALUE, NULL, 0, NULL,
	  "metric 'x=1.2.3': the unit is not valid" },
	{ "x=1,24", METRIC_BAD_VALUE, NULL, 0, NULL, "not a number" },
	{ "x=1,2345", METRIC_BAD_VALUE, NULL, 0, NULL, "not a number" },
	{ "x=1234,567", METRIC_BAD_VALUE, NULL, 0, NULL, "not a number" },
	{ "x=12,345,67", METRIC_BAD_VALUE, NULL, 0, NULL, "not a number" },
	{ "x=1,,000", METRIC_BAD_VALUE, NULL, 0, NULL, "not a number" },
	{ "x=,5", METRIC_BAD_VALUE, NULL, 0, NULL, "not a number" },
	{ "x=1,", METRIC_BAD_VALUE, NULL, 0, NULL, "not a number" },
	{ "x=.5", METRIC_BAD_VALUE, NULL, 0, NULL, "not a number" },
	{ "x=-", METRIC_BAD_VALUE, NULL, 0, NULL, "not a number" },
	{ "x=--5", METRIC_BAD_VALUE, NULL, 0, NULL, "not a number" },
	{ "x=nan", METRIC_BAD_VALUE, NULL, 0, NULL, "not a number" },
	{ "x=inf", METRIC_BAD_VALUE, NULL, 0, NULL, "not a number" },
	{ "x=%", METRIC_BAD_VALUE, NULL, 0, NULL, "not a number" },
	{ "x=9" NINES63, METRIC_BAD_VALUE, NULL, 0, NULL, "not a number" },
	/* Numbers followed by something that is not a unit. */
	{ "x=5.", METRIC_BAD_VALUE, NULL, 0, NULL, "the unit is not valid" },
	{ "x=5=6", METRIC_BAD_VALUE, NULL, 0, NULL, "the unit is not valid" },
	{ "x=5 ms", METRIC_BAD_VALUE, NULL, 0, NULL, "the unit is not valid" },
	{ "x=5\xff", METRIC_BAD_VALUE, NULL, 0, NULL, "the unit is not valid" },
	{ "x=5abcdefghijklmnopq", METRIC_BAD_VALUE, NULL, 0, NULL,
	  "the unit is not valid" },
};

static void
test_parse_metric(void **state)
{
	struct metric_value v;
	char *cause;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < sizeof metric_cases / sizeof metric_cases[0]; i++) {
		const struct metric_case *c = &metric_cases[i];

		cause = NULL;
		memset(&v, 0, sizeof v);
		rc = report_parse_metric(c->in, &v, &cause);
		if (rc != c->rc)
			fail_msg("'%s': rc %d, want %d (%s)", c->in, rc, c->rc,
				 cause ? cause : "no cause");
		if (c->rc == 0) {
			assert_null(cause);
			assert_string_equal(v.name, c->name);
			assert_string_equal(v.unit, c->unit);
			/* strtod() and the compiler round the same way. */
			assert_true(v.value == c->value);
			continue;
		}
		assert_non_null(cause);
		if (strstr(cause, c->cause_has) == NULL)
			fail_msg("'%s': cause '%s' lacks '%s'", c->in, cause,
				 c->cause_has);
		free(cause);
	}
}

/* A failure is reported with or without a cause pointer. */
static void
test_parse_metric_null_cause(void **state)
{
	struct metric_value v;

	(void)state;
	assert_int_equal(report_parse_metric("x=abc", &v, NULL),
			 METRIC_BAD_VALUE);
	assert_int_equal(report_parse_metric("x", &v, NULL), METRIC_NOT_PAIR);
	assert_int_equal(report_parse_metric("x=1", &v, NULL), 0);
	assert_string_equal(v.name, "x");
}

/*
 * A huge word is named in the cause by a short prefix that stays well-formed
 * UTF-8, however long the word and wherever its characters end.
 */
static void
test_parse_metric_huge(void **state)
{
	static const char *const fills[] = { "a", "数", "x=" };
	struct metric_value v;
	char *word, *cause;
	size_t i, k, len;

	(void)state;
	for (i = 0; i < sizeof fills / sizeof fills[0]; i++) {
		len = strlen(fills[i]);
		word = xmalloc(4000 * len + 8);
		for (k = 0; k < 4000; k++)
			memcpy(word + k * len, fills[i], len);
		memcpy(word + 4000 * len, "=1", 3);
		cause = NULL;
		assert_true(report_parse_metric(word, &v, &cause) < 0);
		assert_non_null(cause);
		assert_true(strlen(cause) < 160);
		assert_true(utf8_valid(cause, strlen(cause)));
		free(cause);
		free(word);
	}
}

static const struct {
	const char *in;
	const char *want; /* NULL: not a mention */
} mention_cases[] = {
	{ "@bob", "bob" },	{ "@Bob.Smith_2-x", "Bob.Smith_2-x" },
	{ "@" NAME64, NAME64 }, { "@" NAME65, NULL },
	{ "bob", NULL },	{ "@", NULL },
	{ "", NULL },		{ "@@bob", NULL },
	{ "@bob,", NULL },	{ "@bob@carol", NULL },
	{ "@张三", NULL },	{ "@bob\xff", NULL },
	{ " @bob", NULL },
};

static void
test_parse_mention(void **state)
{
	char out[USER_NAME_MAX + 1];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof mention_cases / sizeof mention_cases[0]; i++) {
		memset(out, 0, sizeof out);
		if (mention_cases[i].want == NULL) {
			if (report_parse_mention(mention_cases[i].in, out))
				fail_msg("'%s' taken as a mention",
					 mention_cases[i].in);
			continue;
		}
		assert_int_equal(report_parse_mention(mention_cases[i].in, out),
				 1);
		assert_string_equal(out, mention_cases[i].want);
	}
}

static void
test_section_keywords(void **state)
{
	static const struct {
		const char *word;
		int section;
	} cases[] = {
		{ "done", SECTION_DONE },
		{ "完成", SECTION_DONE },
		{ "plan", SECTION_PLAN },
		{ "计划", SECTION_PLAN },
		{ "blocker", SECTION_BLOCKER },
		{ "问题", SECTION_BLOCKER },
		{ "metric", SECTION_METRIC },
		{ "数据", SECTION_METRIC },
		{ "need", SECTION_NEED },
		{ "资源", SECTION_NEED },
		{ "Done", -1 },
		{ "done ", -1 },
		{ "", -1 },
		{ "完", -1 },
		{ "metrics", -1 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (report_section_parse(cases[i].word) != cases[i].section)
			fail_msg("'%s': %d, want %d", cases[i].word,
				 report_section_parse(cases[i].word),
				 cases[i].section);
	}
	assert_string_equal(report_section_keyword(SECTION_DONE), "done");
	assert_string_equal(report_section_keyword(SECTION_PLAN), "plan");
	assert_string_equal(report_section_keyword(SECTION_BLOCKER), "blocker");
	assert_string_equal(report_section_keyword(SECTION_METRIC), "metric");
	assert_string_equal(report_section_keyword(SECTION_NEED), "need");
	assert_string_equal(report_section_keyword(-1), "?");
	assert_string_equal(report_section_keyword(SECTION_COUNT), "?");
}

#define BIT(s) (1u << (s))

static const struct {
	const char *in;
	unsigned want;	       /* 0: must fail */
	const char *cause_has; /* failures: part of the cause */
} sections_cases[] = {
	{ "done", BIT(SECTION_DONE), NULL },
	{ "done,plan", BIT(SECTION_DONE) | BIT(SECTION_PLAN), NULL },
	{ "done plan\tblocker",
	  BIT(SECTION_DONE) | BIT(SECTION_PLAN) | BIT(SECTION_BLOCKER), NULL },
	{ " ,done,,plan, ", BIT(SECTION_DONE) | BIT(SECTION_PLAN), NULL },
	{ "done,done", BIT(SECTION_DONE), NULL },
	{ "done,plan,blocker,metric,need", SECTION_ALL, NULL },
	{ "完成,计划", BIT(SECTION_DONE) | BIT(SECTION_PLAN), NULL },
	/* The commas Chinese input methods type. */
	{ "完成，计划", BIT(SECTION_DONE) | BIT(SECTION_PLAN), NULL },
	{ "问题、数据、资源",
	  BIT(SECTION_BLOCKER) | BIT(SECTION_METRIC) | BIT(SECTION_NEED),
	  NULL },
	{ "done，metric", BIT(SECTION_DONE) | BIT(SECTION_METRIC), NULL },
	{ "", 0, "no section given" },
	{ " , ，、", 0, "no section given" },
	{ "done,bogus", 0, "unknown section 'bogus'" },
	{ "完成；计划", 0, "unknown section '完成；计划'" },
	{ "doneplan", 0, "unknown section 'doneplan'" },
	{ "abcdefghijklmnopqrstuvwxyzabcdefghijklmnop", 0,
	  "unknown section 'abcdefghijklmnopqrstuvwx'" },
	{ "数据数据数据数据数据数据数据数据数据数据", 0,
	  "unknown section '数据数据数据数据'" },
};

static void
test_sections_parse(void **state)
{
	unsigned set;
	char *cause;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof sections_cases / sizeof sections_cases[0]; i++) {
		cause = NULL;
		set = 12345;
		if (sections_cases[i].want != 0) {
			if (report_sections_parse(sections_cases[i].in, &set,
						  &cause) != 0)
				fail_msg("'%s': %s", sections_cases[i].in,
					 cause);
			assert_null(cause);
			assert_int_equal(set, sections_cases[i].want);
			continue;
		}
		assert_int_equal(
		    report_sections_parse(sections_cases[i].in, &set, &cause),
		    -1);
		assert_int_equal(set, 12345);
		assert_non_null(cause);
		if (strstr(cause, sections_cases[i].cause_has) == NULL)
			fail_msg("'%s': cause '%s' lacks '%s'",
				 sections_cases[i].in, cause,
				 sections_cases[i].cause_has);
		assert_true(utf8_valid(cause, strlen(cause)));
		free(cause);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_metric),
		cmocka_unit_test(test_parse_metric_null_cause),
		cmocka_unit_test(test_parse_metric_huge),
		cmocka_unit_test(test_parse_mention),
		cmocka_unit_test(test_section_keywords),
		cmocka_unit_test(test_sections_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
