/* SPDX-License-Identifier: MIT */
/*
 * slack-sign.c: computing and checking Slack's v0 request signatures.
 *
 * The MAC is OpenSSL's HMAC with SHA-256 through the EVP_MAC interface,
 * fed in pieces ("v0:", the timestamp, ":", the body) so the body is never
 * copied. slack_sign_verify() checks, in this order: a secret is set, both
 * headers are present, the timestamp is plain digits, the signature has
 * the v0 form, the timestamp is within SLACK_SIGN_MAX_SKEW of now either
 * way, and only then computes the MAC and compares it with CRYPTO_memcmp()
 * over the full length. The checks before the MAC look only at the
 * request, so their timing tells a caller nothing about the secret.
 */

#include <inttypes.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "lihui/log.h"
#include "lihui/xmalloc.h"

#include "slack-sign.h"

#define SLACK_SIGN_PREFIX     "v0="
#define SLACK_SIGN_PREFIX_LEN 3
#define SLACK_SIGN_MAC_LEN    32

static int slack_sign_mac(const char *secret, const char *ts, const char *body,
			  size_t len, unsigned char mac[SLACK_SIGN_MAC_LEN]);
static int slack_sign_parse_ts(const char *s, int64_t *ts);
static int slack_sign_well_formed(const char *sig);

/* HMAC-SHA256(secret, "v0:" ts ":" body) into mac; -1 if libcrypto fails. */
static int
slack_sign_mac(const char *secret, const char *ts, const char *body, size_t len,
	       unsigned char mac[SLACK_SIGN_MAC_LEN])
{
	static const unsigned char empty_key[1];
	char digest[] = "SHA256";
	OSSL_PARAM params[2];
	EVP_MAC *hmac;
	EVP_MAC_CTX *ctx = NULL;
	const unsigned char *key = (const unsigned char *)secret;
	size_t keylen = strlen(secret), outlen = 0;
	int ok = 0;

	/* A NULL key would mean "keep the previous key" to EVP_MAC_init(). */
	if (keylen == 0)
		key = empty_key;
	params[0] =
	    OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0);
	params[1] = OSSL_PARAM_construct_end();
	hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (hmac != NULL)
		ctx = EVP_MAC_CTX_new(hmac);
	if (ctx != NULL && EVP_MAC_init(ctx, key, keylen, params) == 1 &&
	    EVP_MAC_update(ctx, (const unsigned char *)"v0:", 3) == 1 &&
	    EVP_MAC_update(ctx, (const unsigned char *)ts, strlen(ts)) == 1 &&
	    EVP_MAC_update(ctx, (const unsigned char *)":", 1) == 1 &&
	    (len == 0 ||
	     EVP_MAC_update(ctx, (const unsigned char *)body, len) == 1) &&
	    EVP_MAC_final(ctx, mac, &outlen, SLACK_SIGN_MAC_LEN) == 1 &&
	    outlen == SLACK_SIGN_MAC_LEN)
		ok = 1;
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(hmac);
	return ok ? 0 : -1;
}

void
slack_sign_compute(const char *secret, const char *ts, const char *body,
		   size_t len, char out[SLACK_SIGN_SIZE])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char mac[SLACK_SIGN_MAC_LEN];
	size_t i;

	if (secret == NULL || ts == NULL || (body == NULL && len != 0))
		BUG("slack_sign_compute without secret, timestamp or body");
	out[0] = '\0';
	if (slack_sign_mac(secret, ts, body, len, mac) != 0) {
		log_error("HMAC-SHA256 failed in libcrypto");
		return;
	}
	memcpy(out, SLACK_SIGN_PREFIX, SLACK_SIGN_PREFIX_LEN);
	for (i = 0; i < SLACK_SIGN_MAC_LEN; i++) {
		out[SLACK_SIGN_PREFIX_LEN + 2 * i] = hex[mac[i] >> 4];
		out[SLACK_SIGN_PREFIX_LEN + 2 * i + 1] = hex[mac[i] & 15];
	}
	out[SLACK_SIGN_SIZE - 1] = '\0';
	OPENSSL_cleanse(mac, sizeof mac);
}

/* s as 1..SLACK_SIGN_TS_MAX digits, no leading zero; -1 if it is not. */
static int
slack_sign_parse_ts(const char *s, int64_t *ts)
{
	size_t i;

	*ts = 0;
	for (i = 0; s[i] != '\0'; i++) {
		if (i == SLACK_SIGN_TS_MAX || s[i] < '0' || s[i] > '9')
			return -1;
		*ts = *ts * 10 + (s[i] - '0');
	}
	if (i == 0 || (s[0] == '0' && i > 1))
		return -1;
	return 0;
}

/* Whether sig is "v0=" and 64 lower-case hex digits. */
static int
slack_sign_well_formed(const char *sig)
{
	size_t i;

	if (strnlen(sig, SLACK_SIGN_SIZE) != SLACK_SIGN_SIZE - 1 ||
	    strncmp(sig, SLACK_SIGN_PREFIX, SLACK_SIGN_PREFIX_LEN) != 0)
		return 0;
	for (i = SLACK_SIGN_PREFIX_LEN; i < SLACK_SIGN_SIZE - 1; i++) {
		if ((sig[i] < '0' || sig[i] > '9') &&
		    (sig[i] < 'a' || sig[i] > 'f'))
			return 0;
	}
	return 1;
}

int
slack_sign_verify(const char *secret, const char *ts_header,
		  const char *sig_header, const char *body, size_t len,
		  int64_t now, char **cause)
{
	char want[SLACK_SIGN_SIZE];
	int64_t ts;
	int same;

	if (body == NULL && len != 0)
		BUG("slack_sign_verify with a NULL body of non-zero length");
	if (secret == NULL || *secret == '\0')
		return set_cause(cause, "no signing secret configured");
	if (ts_header == NULL)
		return set_cause(cause, "missing X-Slack-Request-Timestamp");
	if (sig_header == NULL)
		return set_cause(cause, "missing X-Slack-Signature");
	if (slack_sign_parse_ts(ts_header, &ts) != 0)
		return set_cause(cause, "malformed X-Slack-Request-Timestamp "
					"(want unix seconds)");
	if (sig_header[0] == 'v' && strchr(sig_header, '=') != NULL &&
	    strncmp(sig_header, SLACK_SIGN_PREFIX, SLACK_SIGN_PREFIX_LEN) != 0)
		return set_cause(cause, "unsupported X-Slack-Signature version "
					"(want v0)");
	if (!slack_sign_well_formed(sig_header))
		return set_cause(cause, "malformed X-Slack-Signature (want v0= "
					"and 64 lower-case hex digits)");
	/* ts is at most 10^15, so neither bound overflows. */
	if (now > ts + SLACK_SIGN_MAX_SKEW)
		return set_cause(cause, "stale timestamp (%" PRIu64 " s old)",
				 (uint64_t)now - (uint64_t)ts);
	if (now < ts - SLACK_SIGN_MAX_SKEW)
		return set_cause(
		    cause, "timestamp in the future (%" PRIu64 " s ahead)",
		    (uint64_t)ts - (uint64_t)now);

	slack_sign_compute(secret, ts_header, body, len, want);
	if (want[0] == '\0')
		return set_cause(cause, "cannot compute the signature");
	same = CRYPTO_memcmp(want, sig_header, SLACK_SIGN_SIZE - 1) == 0;
	OPENSSL_cleanse(want, sizeof want);
	if (!same)
		return set_cause(cause, "bad signature");
	return 0;
}
