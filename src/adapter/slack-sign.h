/* SPDX-License-Identifier: MIT */
/*
 * slack-sign.h: Slack's request signatures (v0), private to the Slack
 * adapter. In HTTP mode every slash command and interactive payload comes
 * with X-Slack-Request-Timestamp and X-Slack-Signature; the adapter checks
 * them on the raw body before parsing anything, and answers 401 to a
 * forged, altered or stale request.
 *
 * The signature is "v0=" and the lower-case hex of
 * HMAC-SHA256(signing secret, "v0:" timestamp ":" raw body), computed with
 * OpenSSL's libcrypto and compared in constant time. Causes never hold the
 * secret or the expected signature.
 */

#ifndef LIHUI_ADAPTER_SLACK_SIGN_H
#define LIHUI_ADAPTER_SLACK_SIGN_H

#include <stddef.h>
#include <stdint.h>

/* Requests older or newer than this (seconds) are refused. */
#define SLACK_SIGN_MAX_SKEW 300
/* "v0=" + 64 hex digits + NUL */
#define SLACK_SIGN_SIZE 68
/* Most digits accepted in X-Slack-Request-Timestamp (no int64 overflow). */
#define SLACK_SIGN_TS_MAX 15

/*
 * X-Slack-Signature of body sent at ts (the X-Slack-Request-Timestamp
 * text) with secret: "v0=" hex(HMAC-SHA256(secret, "v0:" ts ":" body)).
 * body may be NULL when len is 0. out is "" if libcrypto fails (which a
 * valid signature never equals).
 */
void slack_sign_compute(const char *secret, const char *ts, const char *body,
			size_t len, char out[SLACK_SIGN_SIZE]);

/*
 * 0 when sig_header is the signature of body at ts_header and ts_header is
 * within SLACK_SIGN_MAX_SKEW of now (unix seconds); else -1 with *cause
 * ("stale timestamp", "bad signature", "missing X-Slack-Signature", ...),
 * which never contains the secret or the expected signature. Constant-time
 * comparison. Any header may be NULL (missing). The timestamp must be 1 to
 * SLACK_SIGN_TS_MAX decimal digits without sign, space or leading zero;
 * the signature "v0=" and 64 lower-case hex digits. An empty secret is
 * refused.
 */
int slack_sign_verify(const char *secret, const char *ts_header,
		      const char *sig_header, const char *body, size_t len,
		      int64_t now, char **cause);

#endif
