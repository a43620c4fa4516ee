/* SPDX-License-Identifier: MIT */
/*
 * test-jsonw.c: the JSON writer (src/render/jsonw.c): string escaping
 * (quotes, backslash, every control character, UTF-8 passed through,
 * bytes that are not UTF-8 replaced), numbers, nesting and layout, and
 * the cap. Every document is also read back with json-c, which the tests
 * may link even though the core does not.
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

#include <json-c/json.h>

#include "lihui/jsonw.h"

/* Parse doc with json-c, failing the test if it is not one JSON value. */
static struct json_object *
parse_doc(const char *doc)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *o;

	assert_non_null(tok);
	o = json_tokener_parse_ex(tok, doc, (int)strlen(doc));
	if (json_tokener_get_error(tok) != json_tokener_success)
		fail_msg("not JSON: %s", doc);
	json_tokener_free(tok);
	return o;
}

/* One string value, written as the whole document. */
static char *
one_string(const char *s, size_t len)
{
	struct jsonw w;
	char *doc, *cause = NULL;

	jsonw_init(&w, 1 << 20);
	jsonw_string_len(&w, s, len);
	doc = jsonw_finish(&w, &cause);
	assert_non_null(doc);
	assert_null(cause);
	jsonw_release(&w);
	return doc;
}

static void
test_strings(void **state)
{
	static const struct {
		const char *in;
		size_t len;
		const char *want; /* the document, without its newline */
		const char *back; /* what json-c reads back; NULL: in */
	} cases[] = {
		{ "", 0, "\"\"", NULL },
		{ "plain", 5, "\"plain\"", NULL },
		{ "a\"b", 3, "\"a\\\"b\"", NULL },
		{ "a\\b", 3, "\"a\\\\b\"", NULL },
		{ "/", 1, "\"/\"", NULL },
		{ "l1\nl2\r\t", 7, "\"l1\\nl2\\r\\t\"", NULL },
		{ "\b\f", 2, "\"\\b\\f\"", NULL },
		{ "\x01\x1f\x7f", 3, "\"\\u0001\\u001f\x7f\"", NULL },
		{ "nul\0in", 6, "\"nul\\u0000in\"", NULL },
		/* UTF-8 passes through as is. */
		{ "周会 ✓ 😀", 15, "\"周会 ✓ 😀\"", NULL },
		{ "é", 2, "\"é\"", NULL },
		/* Not UTF-8: each bad byte becomes U+FFFD. */
		{ "a\xff"
		  "b",
		  3, "\"a\\ufffdb\"",
		  "a\xef\xbf\xbd"
		  "b" },
		{ "\xc3", 1, "\"\\ufffd\"", "\xef\xbf\xbd" },
		{ "\xc0\xaf", 2, "\"\\ufffd\\ufffd\"",
		  "\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\xed\xa0\x80", 3, "\"\\ufffd\\ufffd\\ufffd\"",
		  "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\xe5\x91", 2, "\"\\ufffd\\ufffd\"",
		  "\xef\xbf\xbd\xef\xbf\xbd" },
	};
	struct json_object *o;
	size_t i, len;
	char *doc;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		doc = one_string(cases[i].in, cases[i].len);
		len = strlen(doc);
		assert_true(len > 0 && doc[len - 1] == '\n');
		doc[len - 1] = '\0';
		if (strcmp(doc, cases[i].want) != 0)
			fail_msg("case %zu: got %s, want %s", i, doc,
				 cases[i].want);
		o = parse_doc(doc);
		assert_true(json_object_is_type(o, json_type_string));
		if (cases[i].back != NULL) {
			assert_string_equal(json_object_get_string(o),
					    cases[i].back);
		} else {
			assert_int_equal(json_object_get_string_len(o),
					 cases[i].len);
			assert_memory_equal(json_object_get_string(o),
					    cases[i].in, cases[i].len);
		}
		json_object_put(o);
		free(doc);
	}
}

/* Every byte value 1..255 in one string: valid JSON, same ASCII back. */
static void
test_all_bytes(void **state)
{
	struct json_object *o;
	char in[256], *doc;
	const char *back;
	int i;

	(void)state;
	for (i = 1; i < 256; i++)
		in[i - 1] = (char)i;
	in[255] = '\0';
	doc = one_string(in, 255);
	o = parse_doc(doc);
	back = json_object_get_string(o);
	assert_memory_equal(back, in, 127);
	json_object_put(o);
	free(doc);
}

static void
test_numbers(void **state)
{
	static const struct {
		double v;
		const char *want;
	} doubles[] = {
		{ 0, "0" },
		{ 4.5, "4.5" },
		{ -2, "-2" },
		{ 0.1, "0.10000000000000001" },
		{ NAN, "null" },
		{ INFINITY, "null" },
		{ -INFINITY, "null" },
	};
	static const struct {
		int64_t v;
		const char *want;
	} ints[] = {
		{ 0, "0" },
		{ -1, "-1" },
		{ INT64_MAX, "9223372036854775807" },
		{ INT64_MIN, "-9223372036854775808" },
	};
	struct jsonw w;
	char *doc, want[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof doubles / sizeof doubles[0]; i++) {
		jsonw_init(&w, 1024);
		jsonw_double(&w, doubles[i].v);
		doc = jsonw_finish(&w, NULL);
		snprintf(want, sizeof want, "%s\n", doubles[i].want);
		assert_string_equal(doc, want);
		free(doc);
		jsonw_release(&w);
	}
	for (i = 0; i < sizeof ints / sizeof ints[0]; i++) {
		jsonw_init(&w, 1024);
		jsonw_int(&w, ints[i].v);
		doc = jsonw_finish(&w, NULL);
		snprintf(want, sizeof want, "%s\n", ints[i].want);
		assert_string_equal(doc, want);
		free(doc);
		jsonw_release(&w);
	}
}

/* Nesting, commas, empty containers and the two-space layout. */
static void
test_document(void **state)
{
	static const char want[] = "{\n"
				   "  \"id\": 7,\n"
				   "  \"name\": \"ops\",\n"
				   "  \"none\": null,\n"
				   "  \"ok\": true,\n"
				   "  \"no\": false,\n"
				   "  \"empty\": [],\n"
				   "  \"obj\": {},\n"
				   "  \"list\": [\n"
				   "    1,\n"
				   "    \"two\",\n"
				   "    {\n"
				   "      \"k\\\"ey\": [\n"
				   "        null\n"
				   "      ]\n"
				   "    }\n"
				   "  ],\n"
				   "  \"avg\": 3.5\n"
				   "}\n";
	struct json_object *o, *v;
	struct jsonw w;
	char *doc, *cause = NULL;

	(void)state;
	jsonw_init(&w, 4096);
	jsonw_object_begin(&w);
	jsonw_kv_int(&w, "id", 7);
	jsonw_kv_string(&w, "name", "ops");
	jsonw_kv_string(&w, "none", NULL);
	jsonw_kv_bool(&w, "ok", 1);
	jsonw_kv_bool(&w, "no", 0);
	jsonw_key(&w, "empty");
	jsonw_array_begin(&w);
	jsonw_array_end(&w);
	jsonw_key(&w, "obj");
	jsonw_object_begin(&w);
	jsonw_object_end(&w);
	jsonw_key(&w, "list");
	jsonw_array_begin(&w);
	jsonw_int(&w, 1);
	jsonw_string(&w, "two");
	jsonw_object_begin(&w);
	jsonw_key(&w, "k\"ey");
	jsonw_array_begin(&w);
	jsonw_null(&w);
	jsonw_array_end(&w);
	jsonw_object_end(&w);
	jsonw_array_end(&w);
	jsonw_key(&w, "avg");
	jsonw_double(&w, 3.5);
	jsonw_object_end(&w);
	doc = jsonw_finish(&w, &cause);
	assert_null(cause);
	assert_string_equal(doc, want);
	jsonw_release(&w);

	o = parse_doc(doc);
	assert_true(json_object_object_get_ex(o, "list", &v));
	assert_int_equal(json_object_array_length(v), 3);
	assert_true(json_object_object_get_ex(o, "avg", &v));
	assert_true(json_object_get_double(v) == 3.5);
	json_object_put(o);
	free(doc);
}

/* Nesting up to JSONW_DEPTH works. */
static void
test_deep(void **state)
{
	struct json_object *o;
	struct jsonw w;
	char *doc;
	int i;

	(void)state;
	jsonw_init(&w, 1 << 16);
	for (i = 0; i < JSONW_DEPTH; i++)
		jsonw_array_begin(&w);
	for (i = 0; i < JSONW_DEPTH; i++)
		jsonw_array_end(&w);
	doc = jsonw_finish(&w, NULL);
	assert_non_null(doc);
	o = parse_doc(doc);
	json_object_put(o);
	free(doc);
	jsonw_release(&w);
}

/* Past the cap nothing more is written and finish says why. */
static void
test_cap(void **state)
{
	struct jsonw w;
	char *doc, *cause = NULL;
	int i;

	(void)state;
	jsonw_init(&w, 64);
	jsonw_array_begin(&w);
	for (i = 0; i < 100; i++)
		jsonw_string(&w, "0123456789");
	jsonw_array_end(&w);
	doc = jsonw_finish(&w, &cause);
	assert_null(doc);
	assert_non_null(cause);
	assert_string_equal(cause, "JSON document larger than 64 bytes");
	free(cause);
	jsonw_release(&w);

	/* Exactly at the cap is fine: "[]\n" is 3 bytes. */
	jsonw_init(&w, 3);
	jsonw_array_begin(&w);
	jsonw_array_end(&w);
	doc = jsonw_finish(&w, NULL);
	assert_string_equal(doc, "[]\n");
	free(doc);
	jsonw_release(&w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_all_bytes),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_document),
		cmocka_unit_test(test_deep),
		cmocka_unit_test(test_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
