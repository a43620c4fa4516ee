/* SPDX-License-Identifier: MIT */
/*
 * test-form.c: form_parse() and its lookups, table-driven, plus the real
 * Mattermost and Slack slash-command bodies from ../shared/specs/fixtures
 * (relative to the repository root, where tests run; skipped when absent).
 *
 * Good rows list every field the body must give, in order; bad rows give a
 * part of the cause. Bodies with a NUL byte give their length explicitly.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "lihui/form.h"
#include "lihui/xmalloc.h"

#define MAX_WANT 6

struct good_case {
	const char *body;
	size_t n;
	struct {
		const char *key;
		const char *value;
	} want[MAX_WANT];
};

static const struct good_case good[] = {
	/* Empty bodies and empty pieces. */
	{ "", 0, { { NULL, NULL } } },
	{ "&", 0, { { NULL, NULL } } },
	{ "&&&", 0, { { NULL, NULL } } },
	{ "a=1", 1, { { "a", "1" } } },
	{ "a=1&&b=2&", 2, { { "a", "1" }, { "b", "2" } } },
	{ "&a=1", 1, { { "a", "1" } } },
	/* Missing and empty values; only the first '=' splits. */
	{ "a=", 1, { { "a", "" } } },
	{ "a", 1, { { "a", "" } } },
	{ "a&b=2&c", 3, { { "a", "" }, { "b", "2" }, { "c", "" } } },
	{ "a=b=c", 1, { { "a", "b=c" } } },
	{ "a==", 1, { { "a", "=" } } },
	/* Percent-escapes in either case, '+' as a space. */
	{ "a=%41%42", 1, { { "a", "AB" } } },
	{ "%61=%7a%7A%3d", 1, { { "a", "zz=" } } },
	{ "text=hello+world", 1, { { "text", "hello world" } } },
	{ "text=a%2Bb+%2b", 1, { { "text", "a+b +" } } },
	{ "text=%20lead", 1, { { "text", " lead" } } },
	{ "k=%25", 1, { { "k", "%" } } },
	{ "k=%25%32%35", 1, { { "k", "%25" } } },
	{ "k=%26%3D&j=2", 2, { { "k", "&=" }, { "j", "2" } } },
	{ "a+b=c", 1, { { "a b", "c" } } },
	{ "text=line1%0Aline2%0D%0A%09",
	  1,
	  { { "text", "line1\nline2\r\n\t" } } },
	/* UTF-8, encoded and raw. */
	{ "text=%E4%BD%A0%E5%A5%BD", 1, { { "text", "你好" } } },
	{ "text=%e4%bd%a0%e5%a5%bd", 1, { { "text", "你好" } } },
	{ "text=你好", 1, { { "text", "你好" } } },
	{ "%E5%90%8D=%F0%9F%98%80", 1, { { "名", "😀" } } },
	/* Repeated keys stay, in order. */
	{ "a=1&a=2&a=3", 3, { { "a", "1" }, { "a", "2" }, { "a", "3" } } },
	{ "a=1&b=x&a=2", 3, { { "a", "1" }, { "b", "x" }, { "a", "2" } } },
	{ "a=1&a=1", 2, { { "a", "1" }, { "a", "1" } } },
};

struct bad_case {
	const char *body;
	size_t len; /* 0: strlen(body) */
	const char *cause_has;
};

static const struct bad_case bad[] = {
	/* Broken percent-escapes, in values and in names. */
	{ "a=%", 0, "bad percent-escape in field 'a'" },
	{ "a=%4", 0, "bad percent-escape in field 'a'" },
	{ "a=%4g", 0, "bad percent-escape in field 'a'" },
	{ "a=%g4", 0, "bad percent-escape in field 'a'" },
	{ "a=%%41", 0, "bad percent-escape in field 'a'" },
	{ "a=% 1", 0, "bad percent-escape in field 'a'" },
	{ "text=ok&text=100%", 0, "bad percent-escape in field 'text'" },
	{ "%zz=1", 0, "bad percent-escape in the name of field 1" },
	{ "a=1&b%=2", 0, "bad percent-escape in the name of field 2" },
	{ "a=1&&b%=2", 0, "bad percent-escape in the name of field 2" },
	/* Empty names. */
	{ "=v", 0, "field 1 has an empty name" },
	{ "=", 0, "field 1 has an empty name" },
	{ "a=1&=2", 0, "field 2 has an empty name" },
	/* NUL bytes, escaped and raw. */
	{ "%00=1", 0, "the name of field 1 contains a NUL byte" },
	{ "a%00b=1", 0, "the name of field 1 contains a NUL byte" },
	{ "a=%00", 0, "field 'a' contains a NUL byte" },
	{ "a=x\0y", 5, "field 'a' contains a NUL byte" },
	{ "a\0=1", 4, "the name of field 1 contains a NUL byte" },
	/* Bad UTF-8: stray bytes, overlongs, surrogates, cut sequences. */
	{ "a=%FF", 0, "field 'a' is not valid UTF-8" },
	{ "a=%80", 0, "field 'a' is not valid UTF-8" },
	{ "a=%C0%80", 0, "field 'a' is not valid UTF-8" },
	{ "a=%ED%A0%80", 0, "field 'a' is not valid UTF-8" },
	{ "a=%E4%BD", 0, "field 'a' is not valid UTF-8" },
	{ "a=%F4%90%80%80", 0, "field 'a' is not valid UTF-8" },
	{ "a=\xff", 0, "field 'a' is not valid UTF-8" },
	{ "%FF=1", 0, "the name of field 1 is not valid UTF-8" },
	{ "x=1&\xc3=1", 0, "the name of field 2 is not valid UTF-8" },
	/* Names that are not plain printable ASCII are given by position. */
	{ "a%0A=%", 0, "bad percent-escape in field 1" },
	{ "x=1&it's=%", 0, "bad percent-escape in field 2" },
	{ "x=1&a+b=%", 0, "bad percent-escape in field 2" },
	{ "%E5%90%8D=%FF", 0, "field 1 is not valid UTF-8" },
};

/* prefix, then n copies of piece, then suffix, in a string the caller frees. */
static char *
repeat(const char *prefix, const char *piece, size_t n, const char *suffix)
{
	size_t plen = strlen(prefix), len = strlen(piece),
	       slen = strlen(suffix);
	char *s = xmalloc(plen + len * n + slen + 1), *p = s;
	size_t i;

	memcpy(p, prefix, plen);
	p += plen;
	for (i = 0; i < n; i++) {
		memcpy(p, piece, len);
		p += len;
	}
	memcpy(p, suffix, slen + 1);
	return s;
}

static void
test_good(void **state)
{
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		struct form f;
		char *cause = NULL;

		if (form_parse(good[i].body, strlen(good[i].body), &f,
			       &cause) != 0)
			fail_msg("'%s' failed: %s", good[i].body, cause);
		assert_null(cause);
		if (f.n != good[i].n)
			fail_msg("'%s': %zu fields, want %zu", good[i].body,
				 f.n, good[i].n);
		if (f.n == 0)
			assert_null(f.fields);
		for (k = 0; k < f.n; k++) {
			assert_string_equal(f.fields[k].key,
					    good[i].want[k].key);
			assert_string_equal(f.fields[k].value,
					    good[i].want[k].value);
		}
		form_release(&f);
		assert_null(f.fields);
		assert_int_equal(f.n, 0);
	}
}

static void
test_bad(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		size_t len = bad[i].len ? bad[i].len : strlen(bad[i].body);
		struct form f;
		char *cause = NULL;

		if (form_parse(bad[i].body, len, &f, &cause) == 0)
			fail_msg("bad row %zu parsed", i);
		assert_non_null(cause);
		if (strstr(cause, bad[i].cause_has) == NULL)
			fail_msg("bad row %zu: cause '%s', want '%s'", i, cause,
				 bad[i].cause_has);
		assert_null(f.fields);
		assert_int_equal(f.n, 0);
		form_release(&f);
		free(cause);
		cause = NULL;
	}
}

/* A NULL cause is allowed, and a NULL body is an empty one. */
static void
test_null_cause_and_body(void **state)
{
	struct form f;

	(void)state;
	assert_int_equal(form_parse("a=%", 3, &f, NULL), -1);
	assert_int_equal(f.n, 0);
	assert_int_equal(form_parse(NULL, 0, &f, NULL), 0);
	assert_int_equal(f.n, 0);
	assert_null(f.fields);
	form_release(&f);
	form_release(NULL);
}

/* Only len bytes are read: the body need not be NUL-terminated. */
static void
test_len_bounds_body(void **state)
{
	static const char body[] = { 'a', '=', '1', '&', 'b', '=', '%' };
	struct form f;
	char *cause = NULL;

	(void)state;
	assert_int_equal(form_parse(body, 3, &f, &cause), 0);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.fields[0].value, "1");
	form_release(&f);
	assert_int_equal(form_parse(body, sizeof body, &f, &cause), -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
}

/* A token's value never shows up in an error message. */
static void
test_cause_hides_values(void **state)
{
	static const char *const bodies[] = {
		"token=s3cr3t%zz",
		"token=s3cr3t%00",
		"token=s3cr3t%FF",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
		struct form f;
		char *cause = NULL;

		assert_int_equal(
		    form_parse(bodies[i], strlen(bodies[i]), &f, &cause), -1);
		assert_non_null(cause);
		assert_non_null(strstr(cause, "field 'token'"));
		assert_null(strstr(cause, "s3cr3t"));
		free(cause);
		cause = NULL;
	}
}

static void
test_limit_body(void **state)
{
	char *body;
	struct form f;
	char *cause = NULL;

	(void)state;
	/* One field whose value is as long as the body allows is refused by
	 * the value limit; one byte more is refused by the body limit. */
	body = repeat("a=", "x", FORM_MAX_BODY - 2, "");
	assert_int_equal(form_parse(body, strlen(body), &f, &cause), -1);
	assert_non_null(cause);
	assert_string_equal(cause, "field 'a' is longer than 16384 bytes");
	free(cause);
	cause = NULL;
	free(body);

	body = repeat("a=", "x", FORM_MAX_BODY - 1, "");
	assert_int_equal(form_parse(body, strlen(body), &f, &cause), -1);
	assert_non_null(cause);
	assert_string_equal(cause, "form body is longer than 65536 bytes");
	assert_null(f.fields);
	free(cause);
	cause = NULL;
	free(body);

	/* The biggest allowed body: a value at its limit written in escapes,
	 * and a second value filling the body to the last byte. */
	body = repeat("v=", "%41", FORM_MAX_VALUE, "&w=");
	{
		size_t len = strlen(body), fill = FORM_MAX_BODY - len;

		body = xreallocarray(body, FORM_MAX_BODY + 1, 1);
		memset(body + len, 'x', fill);
		body[FORM_MAX_BODY] = '\0';
	}
	assert_int_equal(form_parse(body, FORM_MAX_BODY, &f, &cause), 0);
	assert_int_equal(f.n, 2);
	assert_int_equal(strlen(f.fields[0].value), FORM_MAX_VALUE);
	assert_int_equal(strlen(f.fields[1].value),
			 FORM_MAX_BODY - 3 * FORM_MAX_VALUE - 5);
	form_release(&f);
	free(body);
}

static void
test_limit_fields(void **state)
{
	char *body;
	struct form f;
	char *cause = NULL;
	const char *values[3];

	(void)state;
	body = repeat("", "a=1&", FORM_MAX_FIELDS, "");
	assert_int_equal(form_parse(body, strlen(body), &f, &cause), 0);
	assert_int_equal(f.n, FORM_MAX_FIELDS);
	assert_int_equal(form_get_all(&f, "a", values, 3), FORM_MAX_FIELDS);
	form_release(&f);
	free(body);

	/* Empty pieces do not count. */
	body = repeat("", "a=1&&&", FORM_MAX_FIELDS, "&");
	assert_int_equal(form_parse(body, strlen(body), &f, &cause), 0);
	assert_int_equal(f.n, FORM_MAX_FIELDS);
	form_release(&f);
	free(body);

	body = repeat("", "a=1&", FORM_MAX_FIELDS, "b");
	assert_int_equal(form_parse(body, strlen(body), &f, &cause), -1);
	assert_non_null(cause);
	assert_string_equal(cause, "form body has more than 256 fields");
	assert_null(f.fields);
	assert_int_equal(f.n, 0);
	free(cause);
	cause = NULL;
	free(body);
}

static void
test_limit_key(void **state)
{
	char *body;
	struct form f;
	char *cause = NULL;

	(void)state;
	body = repeat("", "k", FORM_MAX_KEY, "=v");
	assert_int_equal(form_parse(body, strlen(body), &f, &cause), 0);
	assert_int_equal(strlen(f.fields[0].key), FORM_MAX_KEY);
	assert_string_equal(f.fields[0].value, "v");
	form_release(&f);
	free(body);

	/* The limit is on the decoded name. */
	body = repeat("", "%6B", FORM_MAX_KEY, "=v");
	assert_int_equal(form_parse(body, strlen(body), &f, &cause), 0);
	assert_int_equal(strlen(f.fields[0].key), FORM_MAX_KEY);
	form_release(&f);
	free(body);

	body = repeat("x=1&", "k", FORM_MAX_KEY + 1, "=v");
	assert_int_equal(form_parse(body, strlen(body), &f, &cause), -1);
	assert_non_null(cause);
	assert_string_equal(cause,
			    "the name of field 2 is longer than 64 bytes");
	free(cause);
	cause = NULL;
	free(body);

	/* Without '=' the whole piece is the name. */
	body = repeat("", "k", FORM_MAX_KEY + 1, "");
	assert_int_equal(form_parse(body, strlen(body), &f, &cause), -1);
	assert_non_null(cause);
	assert_string_equal(cause,
			    "the name of field 1 is longer than 64 bytes");
	free(cause);
	cause = NULL;
	free(body);
}

static void
test_limit_value(void **state)
{
	char *body;
	struct form f;
	char *cause = NULL;

	(void)state;
	body = repeat("text=", "x", FORM_MAX_VALUE, "");
	assert_int_equal(form_parse(body, strlen(body), &f, &cause), 0);
	assert_int_equal(strlen(f.fields[0].value), FORM_MAX_VALUE);
	form_release(&f);
	free(body);

	/* 16384 decoded bytes of CJK (3 bytes each, 9 encoded) fit. */
	body = repeat("text=", "%E4%BD%A0", FORM_MAX_VALUE / 3, "a");
	assert_int_equal(form_parse(body, strlen(body), &f, &cause), 0);
	assert_int_equal(strlen(f.fields[0].value), FORM_MAX_VALUE);
	form_release(&f);
	free(body);

	body = repeat("text=", "+", FORM_MAX_VALUE + 1, "");
	assert_int_equal(form_parse(body, strlen(body), &f, &cause), -1);
	assert_non_null(cause);
	assert_string_equal(cause, "field 'text' is longer than 16384 bytes");
	free(cause);
	cause = NULL;
	free(body);

	/* The limit is checked before a later bad escape. */
	body = repeat("text=", "%41", FORM_MAX_VALUE + 1, "%");
	assert_int_equal(form_parse(body, strlen(body), &f, &cause), -1);
	assert_non_null(cause);
	assert_string_equal(cause, "field 'text' is longer than 16384 bytes");
	free(cause);
	cause = NULL;
	free(body);
}

/* Repeated Mattermost mention lists, in the order the server sends them. */
static void
test_get_all(void **state)
{
	static const char body[] =
	    "channel_id=c1&channel_mentions=town-square&"
	    "channel_mentions_ids=ch1&command=%2Fstandup&"
	    "text=doing+%40alice+%40bob+~town-square&"
	    "user_mentions=alice&user_mentions=bob&"
	    "user_mentions_ids=id1&user_mentions_ids=id2";
	struct form f;
	char *cause = NULL;
	const char *values[4] = { NULL, NULL, NULL, NULL };

	(void)state;
	assert_int_equal(form_parse(body, strlen(body), &f, &cause), 0);
	assert_int_equal(f.n, 9);
	assert_string_equal(form_get(&f, "text"),
			    "doing @alice @bob ~town-square");
	assert_string_equal(form_get(&f, "user_mentions"), "alice");
	assert_null(form_get(&f, "root_id"));
	assert_null(form_get(&f, "user_mention"));
	assert_null(form_get(&f, ""));

	assert_int_equal(form_get_all(&f, "user_mentions", values, 4), 2);
	assert_string_equal(values[0], "alice");
	assert_string_equal(values[1], "bob");
	assert_null(values[2]);
	assert_int_equal(form_get_all(&f, "user_mentions_ids", values, 4), 2);
	assert_string_equal(values[0], "id1");
	assert_string_equal(values[1], "id2");
	assert_int_equal(form_get_all(&f, "channel_mentions", values, 4), 1);
	assert_string_equal(values[0], "town-square");

	/* A short array gets the first values; the count is still total. */
	values[0] = values[1] = NULL;
	assert_int_equal(form_get_all(&f, "user_mentions_ids", values, 1), 2);
	assert_string_equal(values[0], "id1");
	assert_null(values[1]);
	assert_int_equal(form_get_all(&f, "user_mentions", NULL, 0), 2);
	assert_int_equal(form_get_all(&f, "nope", values, 4), 0);
	form_release(&f);

	/* An empty form has nothing. */
	assert_int_equal(form_parse("", 0, &f, &cause), 0);
	assert_null(form_get(&f, "a"));
	assert_int_equal(form_get_all(&f, "a", values, 4), 0);
	form_release(&f);
}

/*
 * Read a fixture into a new string (one trailing newline dropped); NULL
 * when the fixtures are not there, after printing why.
 */
static char *
read_fixture(const char *name, size_t *len)
{
	char *data = fixture_read(name, FORM_MAX_BODY + 1, len);

	if (data == NULL)
		return NULL;
	if (*len > 0 && data[*len - 1] == '\n')
		(*len)--;
	if (*len > 0 && data[*len - 1] == '\r')
		(*len)--;
	data[*len] = '\0';
	return data;
}

/* Check that f holds exactly the pairs in want[0..n), in order. */
static void
check_fields(const struct form *f, const char *const (*want)[2], size_t n)
{
	size_t i;

	assert_int_equal(f->n, n);
	for (i = 0; i < n; i++) {
		assert_string_equal(f->fields[i].key, want[i][0]);
		assert_string_equal(f->fields[i].value, want[i][1]);
		assert_ptr_equal(form_get(f, want[i][0]), f->fields[i].value);
	}
}

static void
test_fixture_mattermost(void **state)
{
	static const char *const want[][2] = {
		{ "channel_id", "jux16pkewjrkfj3ehep1psxyxc" },
		{ "channel_name", "town-square" },
		{ "command", "/test" },
		{ "response_url", "http://localhost:8065/hooks/commands/"
				  "xbrkb8p393gjpq5cawei7npije" },
		{ "team_domain", "test" },
		{ "team_id", "carya1qs77bemjup96ff538snh" },
		{ "text", "asd" },
		{ "token", "okwexkjpe7ygb8eq1ww58t483w" },
		{ "user_id", "aoa1agao6t8fmx3ikt1j9w5ybw" },
		{ "user_name", "somename" },
	};
	struct form f;
	char *body, *cause = NULL;
	size_t len;

	(void)state;
	body = read_fixture("mattermost_slash_command_form_body.txt", &len);
	if (body == NULL) {
		skip();
		return;
	}
	if (form_parse(body, len, &f, &cause) != 0)
		fail_msg("mattermost fixture: %s", cause);
	check_fields(&f, want, sizeof want / sizeof want[0]);
	/* The docs' body has no mentions: the lists are simply empty. */
	assert_int_equal(form_get_all(&f, "user_mentions", NULL, 0), 0);
	assert_int_equal(form_get_all(&f, "user_mentions_ids", NULL, 0), 0);
	form_release(&f);
	free(body);
}

static void
test_fixture_slack(void **state)
{
	static const char *const want[][2] = {
		{ "token", "xyzz0WbapA4vBCDEFasx0q6G" },
		{ "team_id", "T1DC2JH3J" },
		{ "team_domain", "testteamnow" },
		{ "channel_id", "G8PSS9T3V" },
		{ "channel_name", "foobar" },
		{ "user_id", "U2CERLKJA" },
		{ "user_name", "roadrunner" },
		{ "command", "/webhook-collect" },
		{ "text", "" },
		{ "response_url",
		  "https://hooks.slack.com/commands/T1DC2JH3J/397700885554/"
		  "96rGlfmibIGlgcZRskXaIFfN" },
		{ "trigger_id",
		  "398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c" },
	};
	struct form f;
	char *body, *cause = NULL;
	size_t len;

	(void)state;
	body = read_fixture("slack_slash_command_form_body.txt", &len);
	if (body == NULL) {
		skip();
		return;
	}
	if (form_parse(body, len, &f, &cause) != 0)
		fail_msg("slack fixture: %s", cause);
	check_fields(&f, want, sizeof want / sizeof want[0]);
	form_release(&f);
	free(body);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_null_cause_and_body),
		cmocka_unit_test(test_len_bounds_body),
		cmocka_unit_test(test_cause_hides_values),
		cmocka_unit_test(test_limit_body),
		cmocka_unit_test(test_limit_fields),
		cmocka_unit_test(test_limit_key),
		cmocka_unit_test(test_limit_value),
		cmocka_unit_test(test_get_all),
		cmocka_unit_test(test_fixture_mattermost),
		cmocka_unit_test(test_fixture_slack),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
