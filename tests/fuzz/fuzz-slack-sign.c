/* SPDX-License-Identifier: MIT */
/*
 * fuzz-slack-sign.c: libFuzzer target for slack_sign_verify() and
 * slack_sign_compute().
 *
 * The input is "secret\ntimestamp\nsignature\nbody"; a header whose line
 * is missing is passed as NULL, and the body is a copy of exactly its
 * length (no NUL after it, so ASan catches a read past it). The clock is
 * the timestamp itself when that is well-formed, so the skew check passes
 * and the signature check is reached. The contract checked:
 *
 *  - verify passes exactly when the secret is non-empty, the timestamp is
 *    1..SLACK_SIGN_TS_MAX digits without a leading zero, and the header
 *    equals slack_sign_compute() of the same inputs;
 *  - the computed signature always passes, and with one hex digit changed
 *    it fails with "bad signature";
 *  - a failure's cause is short and does not depend on the secret (the
 *    same request checked with another secret of the same length gives the
 *    same cause), so it cannot leak it; nor does it hold the expected
 *    signature.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lihui/utf8.h"

#include "../../src/adapter/slack-sign.h"

#define FUZZ_NOW 1700000000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *next_line(const uint8_t **p, const uint8_t *end);
static int ts_valid(const char *ts, int64_t *value);
static void check_cause(const char *cause, const char *want);

/* The next '\n'-terminated line as a string (NULL at the end of input);
 * caller frees. */
static char *
next_line(const uint8_t **p, const uint8_t *end)
{
	const uint8_t *nl;
	char *s;
	size_t n;

	if (*p >= end)
		return NULL;
	nl = memchr(*p, '\n', (size_t)(end - *p));
	if (nl == NULL)
		return NULL;
	n = (size_t)(nl - *p);
	s = malloc(n + 1);
	if (s == NULL)
		abort();
	memcpy(s, *p, n);
	s[n] = '\0';
	*p = nl + 1;
	return s;
}

/* An independent statement of the timestamp rule. */
static int
ts_valid(const char *ts, int64_t *value)
{
	size_t n = strlen(ts);

	if (n == 0 || n > SLACK_SIGN_TS_MAX || strspn(ts, "0123456789") != n ||
	    (ts[0] == '0' && n > 1))
		return 0;
	*value = strtoll(ts, NULL, 10);
	return 1;
}

/* A failure's cause: present, short, UTF-8, without the signature. */
static void
check_cause(const char *cause, const char *want)
{
	if (cause == NULL || strlen(cause) == 0 || strlen(cause) > 200 ||
	    !utf8_valid(cause, strlen(cause)))
		abort();
	if (want != NULL && want[0] != '\0' && strstr(cause, want + 3) != NULL)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size;
	char *secret, *ts, *sig, *other, *body, *cause = NULL, *cause2 = NULL;
	char want[SLACK_SIGN_SIZE], flipped[SLACK_SIGN_SIZE];
	int64_t now = FUZZ_NOW, tsv;
	size_t len, slen;
	int rc, ok_ts;

	secret = next_line(&p, end);
	ts = next_line(&p, end);
	sig = next_line(&p, end);
	len = (size_t)(end - p);
	body = malloc(len == 0 ? 1 : len);
	if (body == NULL)
		abort();
	memcpy(body, p, len);

	ok_ts = ts != NULL && ts_valid(ts, &tsv);
	if (ok_ts)
		now = tsv;
	want[0] = '\0';
	if (secret != NULL && ts != NULL)
		slack_sign_compute(secret, ts, body, len, want);

	rc = slack_sign_verify(secret, ts, sig, body, len, now, &cause);
	if (rc == 0) {
		if (cause != NULL || secret == NULL || secret[0] == '\0' ||
		    !ok_ts || sig == NULL || strcmp(sig, want) != 0)
			abort();
	} else {
		if (rc != -1)
			abort();
		check_cause(cause, want);
		if (secret != NULL && secret[0] != '\0' && ok_ts &&
		    sig != NULL && strcmp(sig, want) == 0)
			abort();
		/* The same request with another secret of the same length. */
		if (secret != NULL && secret[0] != '\0') {
			slen = strlen(secret);
			other = strdup(secret);
			if (other == NULL)
				abort();
			other[slen - 1] = other[slen - 1] == 'x' ? 'y' : 'x';
			if (slack_sign_verify(other, ts, sig, body, len, now,
					      &cause2) == 0) {
				/* Only the other secret's signature passes. */
				if (strcmp(cause, "bad signature") != 0)
					abort();
			} else if (strcmp(cause, cause2) != 0) {
				abort();
			}
			free(cause2);
			free(other);
		}
		free(cause);
	}

	/* The computed signature passes; one digit changed fails. */
	if (secret != NULL && secret[0] != '\0' && ok_ts) {
		if (strlen(want) != SLACK_SIGN_SIZE - 1 ||
		    slack_sign_verify(secret, ts, want, body, len, now, NULL) !=
			0)
			abort();
		memcpy(flipped, want, sizeof want);
		flipped[3 + len % 64] =
		    flipped[3 + len % 64] == '0' ? '1' : '0';
		cause = NULL;
		if (slack_sign_verify(secret, ts, flipped, body, len, now,
				      &cause) != -1 ||
		    cause == NULL || strcmp(cause, "bad signature") != 0)
			abort();
		free(cause);
	}

	free(secret);
	free(ts);
	free(sig);
	free(body);
	return 0;
}
