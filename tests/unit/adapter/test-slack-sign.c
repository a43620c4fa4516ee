/* SPDX-License-Identifier: MIT */
/*
 * test-slack-sign.c: Slack's v0 request signatures (slack-sign.c).
 *
 * Known answers first: two computed independently with Python's hmac
 * module, and the test vector of Slack's docs read from
 * ../shared/specs/fixtures (relative to the repository root, where tests
 * run; skipped with a one-line reason when absent). Then a table of
 * requests checked by slack_sign_verify(): the good one and the edges of
 * the skew window, and refused ones (forged, altered body or timestamp,
 * stale, future, missing and malformed headers). Each refusal must give a
 * cause that holds neither the secret nor the expected signature.
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

#include <json-c/json.h>

#include "fixture.h"
#include "lihui/xmalloc.h"

#include "../../../src/adapter/slack-sign.h"

#define FIXTURE_MAX (64 * 1024)

#define SECRET "test-secret"
#define TS     "1700000000"
#define NOW    1700000000
#define BODY   "command=%2Freport&text=hi"
/* HMAC-SHA256("test-secret", "v0:1700000000:" BODY), from Python's hmac. */
#define GOOD                                                                   \
	"v0=e8722ff26cc3da24206c62ae3262b53e5a011ab0edc535e7baf0435473432362"
#define HEX64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void check_cause_clean(const char *cause, const char *secret,
			      const char *want);

/* A cause exists and gives away neither the secret nor the signature. */
static void
check_cause_clean(const char *cause, const char *secret, const char *want)
{
	assert_non_null(cause);
	assert_true(strlen(cause) > 0 && strlen(cause) < 200);
	if (secret != NULL && *secret != '\0')
		assert_null(strstr(cause, secret));
	if (want != NULL && want[0] != '\0') {
		assert_null(strstr(cause, want));
		assert_null(strstr(cause, want + 3)); /* the hex alone */
		{
			char head[17];

			memcpy(head, want + 3, 16);
			head[16] = '\0';
			assert_null(strstr(cause, head));
		}
	}
}

/* Known answers for bodies of our own. */
static void
test_compute_known(void **state)
{
	char out[SLACK_SIGN_SIZE];

	(void)state;
	slack_sign_compute(SECRET, TS, BODY, strlen(BODY), out);
	assert_string_equal(out, GOOD);
	/* Empty key, empty body given as NULL. */
	slack_sign_compute("", "0", NULL, 0, out);
	assert_string_equal(out, "v0=05d07c4bf47bd5859ab994f77c2493a1d715dd2"
				 "6ac0a43114e18411257ef4083");
	/* A key longer than SHA-256's block, a body with a NUL byte. */
	slack_sign_compute("kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk"
			   "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk",
			   "1", "a\0b", 3, out);
	assert_string_equal(out, "v0=678d196b812cdf4f71b493a0612726aefbc3078"
				 "69c26e12f42efb6d766711ade");
	assert_int_equal(strlen(out), SLACK_SIGN_SIZE - 1);
}

/* The vector from Slack's docs: slack_request_signature_vector.json and
 * the body file it names. */
static void
test_slack_vector(void **state)
{
	struct json_object *v, *headers, *o;
	const char *secret, *ts, *sig, *body_file, *body_inline;
	char *text, *body, out[SLACK_SIGN_SIZE], *cause = NULL;
	size_t len, blen;
	int64_t now;

	(void)state;
	text = fixture_read("slack_request_signature_vector.json", FIXTURE_MAX,
			    &len);
	if (text == NULL)
		skip();
	v = json_tokener_parse(text);
	free(text);
	assert_non_null(v);
	assert_true(json_object_object_get_ex(v, "signing_secret", &o));
	secret = json_object_get_string(o);
	assert_true(json_object_object_get_ex(v, "headers", &headers));
	assert_true(json_object_object_get_ex(headers,
					      "X-Slack-Request-Timestamp", &o));
	ts = json_object_get_string(o);
	assert_true(
	    json_object_object_get_ex(headers, "X-Slack-Signature", &o));
	sig = json_object_get_string(o);
	assert_true(json_object_object_get_ex(v, "now_for_test", &o));
	now = json_object_get_int64(o);
	assert_true(json_object_object_get_ex(v, "body_file", &o));
	body_file = json_object_get_string(o);
	assert_true(json_object_object_get_ex(v, "body", &o));
	body_inline = json_object_get_string(o);

	body = fixture_read(body_file, FIXTURE_MAX, &blen);
	if (body == NULL) {
		json_object_put(v);
		skip();
	}
	/* The raw body file and the vector's copy are the same bytes. */
	assert_int_equal(blen, strlen(body_inline));
	assert_memory_equal(body, body_inline, blen);

	slack_sign_compute(secret, ts, body, blen, out);
	assert_string_equal(out, sig);
	assert_int_equal(
	    slack_sign_verify(secret, ts, sig, body, blen, now, &cause), 0);
	assert_null(cause);
	assert_int_equal(slack_sign_verify(secret, ts, sig, body, blen,
					   now + SLACK_SIGN_MAX_SKEW, &cause),
			 0);
	assert_int_equal(slack_sign_verify(secret, ts, sig, body, blen,
					   now + SLACK_SIGN_MAX_SKEW + 1,
					   &cause),
			 -1);
	check_cause_clean(cause, secret, sig);
	free(cause);
	cause = NULL;
	/* One byte less of the body. */
	assert_int_equal(
	    slack_sign_verify(secret, ts, sig, body, blen - 1, now, &cause),
	    -1);
	check_cause_clean(cause, secret, sig);
	assert_non_null(strstr(cause, "bad signature"));
	free(cause);
	free(body);
	json_object_put(v);
}

/* Marks a row whose signature header is computed from its sign_* values. */
static const char SIGNED[] = "<signed>";

static const struct verify_case {
	const char *what;
	const char *secret; /* the verifier's */
	const char *ts;	    /* X-Slack-Request-Timestamp; NULL: missing */
	const char *sig;    /* X-Slack-Signature; NULL: missing */
	const char *body;
	size_t len; /* 0: strlen(body) */
	int64_t now;
	/* What SIGNED is computed from; NULL: the same as above. */
	const char *sign_secret;
	const char *sign_ts;
	const char *sign_body;
	const char *cause_has; /* NULL: must pass */
} verify_cases[] = {
	{ "good", SECRET, TS, GOOD, BODY, 0, NOW, NULL, NULL, NULL, NULL },
	{ "good, computed", SECRET, TS, SIGNED, BODY, 0, NOW, NULL, NULL, NULL,
	  NULL },
	{ "300 s old", SECRET, TS, GOOD, BODY, 0, NOW + 300, NULL, NULL, NULL,
	  NULL },
	{ "300 s ahead", SECRET, TS, GOOD, BODY, 0, NOW - 300, NULL, NULL, NULL,
	  NULL },
	{ "empty body", SECRET, TS, SIGNED, "", 0, NOW, NULL, NULL, NULL,
	  NULL },
	{ "timestamp 0", SECRET, "0", SIGNED, BODY, 0, 0, NULL, NULL, NULL,
	  NULL },
	{ "body with NUL", SECRET, TS, SIGNED, "a\0b", 3, NOW, NULL, NULL,
	  "a\0b", NULL },

	/* Forged and altered. */
	{ "wrong secret", SECRET, TS, SIGNED, BODY, 0, NOW, "other-secret",
	  NULL, NULL, "bad signature" },
	{ "secret prefix", SECRET, TS, SIGNED, BODY, 0, NOW, "test-secre", NULL,
	  NULL, "bad signature" },
	{ "altered body", SECRET, TS, GOOD, "command=%2Freport&text=hI", 0, NOW,
	  NULL, NULL, NULL, "bad signature" },
	{ "body cut short", SECRET, TS, GOOD, BODY, sizeof BODY - 2, NOW, NULL,
	  NULL, NULL, "bad signature" },
	{ "body made longer", SECRET, TS, GOOD, BODY "&", 0, NOW, NULL, NULL,
	  NULL, "bad signature" },
	{ "altered timestamp", SECRET, "1700000001", GOOD, BODY, 0, NOW, NULL,
	  NULL, NULL, "bad signature" },
	{ "a timestamp digit moved into the body", SECRET, "170000000", SIGNED,
	  "0:" BODY, 0, NOW / 10, NULL, TS, BODY, "bad signature" },
	{ "one hex digit changed", SECRET, TS,
	  "v0=e8722ff26cc3da24206c62ae3262b53e5a011ab0edc535e7baf0435473432363",
	  BODY, 0, NOW, NULL, NULL, NULL, "bad signature" },
	{ "all zeros", SECRET, TS,
	  "v0=0000000000000000000000000000000000000000000000000000000000000000",
	  BODY, 0, NOW, NULL, NULL, NULL, "bad signature" },

	/* Out of the window. */
	{ "301 s old", SECRET, TS, GOOD, BODY, 0, NOW + 301, NULL, NULL, NULL,
	  "stale timestamp (301 s old)" },
	{ "a day old", SECRET, TS, GOOD, BODY, 0, NOW + 86400, NULL, NULL, NULL,
	  "stale timestamp" },
	{ "301 s ahead", SECRET, TS, GOOD, BODY, 0, NOW - 301, NULL, NULL, NULL,
	  "timestamp in the future (301 s ahead)" },
	{ "clock at 0", SECRET, TS, GOOD, BODY, 0, 0, NULL, NULL, NULL,
	  "in the future" },
	{ "clock far in the past", SECRET, TS, GOOD, BODY, 0, INT64_MIN, NULL,
	  NULL, NULL, "in the future" },
	{ "clock far ahead", SECRET, TS, GOOD, BODY, 0, INT64_MAX, NULL, NULL,
	  NULL, "stale timestamp" },
	{ "largest timestamp, stale", SECRET, "999999999999999", SIGNED, BODY,
	  0, INT64_MAX, NULL, NULL, NULL, "stale timestamp" },

	/* Missing pieces. */
	{ "no timestamp", SECRET, NULL, GOOD, BODY, 0, NOW, NULL, NULL, NULL,
	  "missing X-Slack-Request-Timestamp" },
	{ "no signature", SECRET, TS, NULL, BODY, 0, NOW, NULL, NULL, NULL,
	  "missing X-Slack-Signature" },
	{ "neither", SECRET, NULL, NULL, BODY, 0, NOW, NULL, NULL, NULL,
	  "missing X-Slack-" },
	{ "no secret", NULL, TS, GOOD, BODY, 0, NOW, NULL, NULL, NULL,
	  "no signing secret" },
	{ "empty secret", "", TS, SIGNED, BODY, 0, NOW, NULL, NULL, NULL,
	  "no signing secret" },

	/* Malformed timestamps. */
	{ "empty timestamp", SECRET, "", GOOD, BODY, 0, NOW, NULL, NULL, NULL,
	  "malformed X-Slack-Request-Timestamp" },
	{ "negative", SECRET, "-1700000000", GOOD, BODY, 0, NOW, NULL, NULL,
	  NULL, "malformed X-Slack-Request-Timestamp" },
	{ "plus sign", SECRET, "+1700000000", GOOD, BODY, 0, NOW, NULL, NULL,
	  NULL, "malformed X-Slack-Request-Timestamp" },
	{ "leading space", SECRET, " 1700000000", GOOD, BODY, 0, NOW, NULL,
	  NULL, NULL, "malformed X-Slack-Request-Timestamp" },
	{ "trailing space", SECRET, "1700000000 ", GOOD, BODY, 0, NOW, NULL,
	  NULL, NULL, "malformed X-Slack-Request-Timestamp" },
	{ "leading zero", SECRET, "01700000000", SIGNED, BODY, 0, NOW, NULL,
	  NULL, NULL, "malformed X-Slack-Request-Timestamp" },
	{ "fraction", SECRET, "1700000000.5", GOOD, BODY, 0, NOW, NULL, NULL,
	  NULL, "malformed X-Slack-Request-Timestamp" },
	{ "hex", SECRET, "0x6553f100", GOOD, BODY, 0, NOW, NULL, NULL, NULL,
	  "malformed X-Slack-Request-Timestamp" },
	{ "exponent", SECRET, "17e8", GOOD, BODY, 0, NOW, NULL, NULL, NULL,
	  "malformed X-Slack-Request-Timestamp" },
	{ "16 digits", SECRET, "1700000000000000", SIGNED, BODY, 0, NOW, NULL,
	  NULL, NULL, "malformed X-Slack-Request-Timestamp" },
	{ "int64 overflow", SECRET, "99999999999999999999", GOOD, BODY, 0, NOW,
	  NULL, NULL, NULL, "malformed X-Slack-Request-Timestamp" },

	/* Malformed signatures. */
	{ "v1", SECRET, TS, "v1=" HEX64, BODY, 0, NOW, NULL, NULL, NULL,
	  "unsupported X-Slack-Signature version" },
	{ "v00", SECRET, TS, "v00=" HEX64, BODY, 0, NOW, NULL, NULL, NULL,
	  "unsupported X-Slack-Signature version" },
	{ "empty signature", SECRET, TS, "", BODY, 0, NOW, NULL, NULL, NULL,
	  "malformed X-Slack-Signature" },
	{ "prefix only", SECRET, TS, "v0=", BODY, 0, NOW, NULL, NULL, NULL,
	  "malformed X-Slack-Signature" },
	{ "no prefix", SECRET, TS,
	  "e8722ff26cc3da24206c62ae3262b53e5a011ab0edc535e7baf0435473432362",
	  BODY, 0, NOW, NULL, NULL, NULL, "malformed X-Slack-Signature" },
	{ "upper-case V", SECRET, TS,
	  "V0=e8722ff26cc3da24206c62ae3262b53e5a011ab0edc535e7baf0435473432362",
	  BODY, 0, NOW, NULL, NULL, NULL, "malformed X-Slack-Signature" },
	{ "63 digits", SECRET, TS,
	  "v0=e8722ff26cc3da24206c62ae3262b53e5a011ab0edc535e7baf043547343236",
	  BODY, 0, NOW, NULL, NULL, NULL, "malformed X-Slack-Signature" },
	{ "65 digits", SECRET, TS, GOOD "2", BODY, 0, NOW, NULL, NULL, NULL,
	  "malformed X-Slack-Signature" },
	{ "trailing newline", SECRET, TS, GOOD "\n", BODY, 0, NOW, NULL, NULL,
	  NULL, "malformed X-Slack-Signature" },
	{ "upper-case hex", SECRET, TS,
	  "v0=E8722FF26CC3DA24206C62AE3262B53E5A011AB0EDC535E7BAF0435473432362",
	  BODY, 0, NOW, NULL, NULL, NULL, "malformed X-Slack-Signature" },
	{ "non-hex digit", SECRET, TS,
	  "v0=g8722ff26cc3da24206c62ae3262b53e5a011ab0edc535e7baf0435473432362",
	  BODY, 0, NOW, NULL, NULL, NULL, "malformed X-Slack-Signature" },
	{ "space inside", SECRET, TS,
	  "v0=e8722ff26cc3da24206c62ae3262b53e 011ab0edc535e7baf0435473432362",
	  BODY, 0, NOW, NULL, NULL, NULL, "malformed X-Slack-Signature" },
	{ "two signatures", SECRET, TS, GOOD "," GOOD, BODY, 0, NOW, NULL, NULL,
	  NULL, "malformed X-Slack-Signature" },
	{ "sha1-sized", SECRET, TS,
	  "v0=0123456789abcdef0123456789abcdef01234567", BODY, 0, NOW, NULL,
	  NULL, NULL, "malformed X-Slack-Signature" },
};

/* Every row of verify_cases[]. */
static void
test_verify_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof verify_cases / sizeof verify_cases[0]; i++) {
		const struct verify_case *c = &verify_cases[i];
		char sig[SLACK_SIGN_SIZE], want[SLACK_SIGN_SIZE];
		const char *header = c->sig, *sign_body;
		char *cause = NULL;
		size_t len = c->len != 0 ? c->len : strlen(c->body);
		size_t sign_len = len;
		int rc;

		if (c->sig == SIGNED) {
			sign_body =
			    c->sign_body != NULL ? c->sign_body : c->body;
			if (c->sign_body != NULL && c->sign_body != c->body)
				sign_len =
				    c->len != 0 ? c->len : strlen(c->sign_body);
			slack_sign_compute(
			    c->sign_secret != NULL ? c->sign_secret : c->secret,
			    c->sign_ts != NULL ? c->sign_ts : c->ts, sign_body,
			    sign_len, sig);
			assert_int_equal(strlen(sig), SLACK_SIGN_SIZE - 1);
			header = sig;
		}
		want[0] = '\0';
		if (c->secret != NULL && c->ts != NULL)
			slack_sign_compute(c->secret, c->ts, c->body, len,
					   want);

		rc = slack_sign_verify(c->secret, c->ts, header, c->body, len,
				       c->now, &cause);
		if (c->cause_has == NULL) {
			if (rc != 0)
				print_message("%s: unexpected cause: %s\n",
					      c->what, cause);
			assert_int_equal(rc, 0);
			assert_null(cause);
			/* A NULL cause pointer is fine as well. */
			assert_int_equal(slack_sign_verify(c->secret, c->ts,
							   header, c->body, len,
							   c->now, NULL),
					 0);
			continue;
		}
		if (rc != -1)
			print_message("%s: passed\n", c->what);
		assert_int_equal(rc, -1);
		check_cause_clean(cause, c->secret, want);
		if (strstr(cause, c->cause_has) == NULL)
			print_message("%s: cause '%s' lacks '%s'\n", c->what,
				      cause, c->cause_has);
		assert_non_null(strstr(cause, c->cause_has));
		free(cause);
		assert_int_equal(slack_sign_verify(c->secret, c->ts, header,
						   c->body, len, c->now, NULL),
				 -1);
	}
}

/* A NULL body of length 0 is an empty body. */
static void
test_null_body(void **state)
{
	char sig[SLACK_SIGN_SIZE], sig2[SLACK_SIGN_SIZE];
	char *cause = NULL;

	(void)state;
	slack_sign_compute(SECRET, TS, NULL, 0, sig);
	slack_sign_compute(SECRET, TS, "", 0, sig2);
	assert_string_equal(sig, sig2);
	assert_int_equal(
	    slack_sign_verify(SECRET, TS, sig, NULL, 0, NOW, &cause), 0);
	assert_null(cause);
	assert_int_equal(
	    slack_sign_verify(SECRET, TS, sig, BODY, 1, NOW, &cause), -1);
	check_cause_clean(cause, SECRET, sig);
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compute_known),
		cmocka_unit_test(test_slack_vector),
		cmocka_unit_test(test_verify_table),
		cmocka_unit_test(test_null_body),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
