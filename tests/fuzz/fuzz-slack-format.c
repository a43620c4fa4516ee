/* SPDX-License-Identifier: MIT */
/*
 * fuzz-slack-format.c: both directions of src/adapter/slack-format.c.
 *
 * The first byte picks the direction (bit 0) and a limit (the rest). Out:
 * slack_format_post() on the remaining bytes (up to a NUL), then
 * slack_split_post() on its result; the output must be valid UTF-8 with
 * every '&' an entity, every '<' one of the sequences the converter writes
 * (closed on its line, with a valid id) and every other '>' the start of
 * a quote line; each part must be non-empty, within the limit, valid
 * UTF-8 and have its code blocks closed. In: slack_text_parse() must
 * succeed exactly on valid UTF-8 within the limit, give valid UTF-8 and
 * keep its mention counts in range.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/adapter/slack-format.h"
#include "lihui/render.h"
#include "lihui/utf8.h"
#include "lihui/xmalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *fuzz_lookup_id(void *arg, const char *name);
static const char *fuzz_lookup_name(void *arg, const char *id);
static int fuzz_id_char(char c);
static void fuzz_check_mrkdwn(const char *s);
static void fuzz_check_parts(char **parts, size_t n, size_t max);
static void fuzz_out(const char *text, size_t max);
static void fuzz_in(const uint8_t *data, size_t size, size_t max);

/* Names starting with 'a' are known, 'x' get a bad id, 'e' an empty one. */
static const char *
fuzz_lookup_id(void *arg, const char *name)
{
	(void)arg;
	if (name[0] == 'a')
		return "U0AB12";
	if (name[0] == 'x')
		return "U<1>|";
	if (name[0] == 'e')
		return "";
	return NULL;
}

/* Ids starting with 'U1' are known, 'U2' give bad UTF-8, 'U3' "@". */
static const char *
fuzz_lookup_name(void *arg, const char *id)
{
	(void)arg;
	if (strncmp(id, "U1", 2) == 0)
		return "alice";
	if (strncmp(id, "U2", 2) == 0)
		return "bad\xff";
	if (strncmp(id, "U3", 2) == 0)
		return "@";
	return NULL;
}

static int
fuzz_id_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9');
}

/* Abort unless s has the invariants described at the top. */
static void
fuzz_check_mrkdwn(const char *s)
{
	size_t len = strlen(s), i, e, k;
	int bar;

	if (!utf8_valid(s, len))
		abort();
	for (i = 0; i < len; i++) {
		if (s[i] == '&') {
			if (strncmp(s + i, "&amp;", 5) != 0 &&
			    strncmp(s + i, "&lt;", 4) != 0 &&
			    strncmp(s + i, "&gt;", 4) != 0)
				abort();
		} else if (s[i] == '>') {
			if (i > 0 && s[i - 1] != '\n')
				abort();
		} else if (s[i] == '<') {
			bar = 0;
			for (e = i + 1; e < len && s[e] != '>'; e++) {
				if (s[e] == '<' || s[e] == '\n')
					abort();
				if (s[e] == '|')
					bar = 1;
				else if (s[e] == ' ' && !bar)
					abort();
			}
			if (e == len)
				abort();
			if (s[i + 1] == '@') {
				if (e == i + 2)
					abort();
				for (k = i + 2; k < e; k++) {
					if (!fuzz_id_char(s[k]))
						abort();
				}
			} else if (s[i + 1] == '!') {
				if (strncmp(s + i, "<!here>", 7) != 0 &&
				    strncmp(s + i, "<!channel>", 10) != 0 &&
				    strncmp(s + i, "<!everyone>", 11) != 0)
					abort();
			} else if (memchr(s + i, ':', e - i) == NULL) {
				abort();
			}
			i = e;
		}
	}
}

/* Abort unless every part is non-empty, fits, is UTF-8, closes blocks. */
static void
fuzz_check_parts(char **parts, size_t n, size_t max)
{
	size_t i, k, len, fences;

	if (max < SLACK_SPLIT_MIN)
		max = SLACK_SPLIT_MIN;
	for (i = 0; i < n; i++) {
		len = strlen(parts[i]);
		if (len == 0 || len > max || !utf8_valid(parts[i], len))
			abort();
		fences = 0;
		for (k = 0; k + 3 <= len; k++) {
			if ((k == 0 || parts[i][k - 1] == '\n') &&
			    strncmp(parts[i] + k, "```", 3) == 0 &&
			    (parts[i][k + 3] == '\n' ||
			     parts[i][k + 3] == '\0'))
				fences++;
		}
		if (fences % 2 != 0)
			abort();
	}
}

static void
fuzz_out(const char *text, size_t max)
{
	char *out, **parts;
	size_t n;

	out = slack_format_post(text, fuzz_lookup_id, NULL);
	fuzz_check_mrkdwn(out);
	n = slack_split_post(out, max, &parts);
	fuzz_check_parts(parts, n, max);
	render_pieces_free(parts, n);
	free(out);
	/* Without lookup, too. */
	out = slack_format_post(text, NULL, NULL);
	fuzz_check_mrkdwn(out);
	free(out);
}

static void
fuzz_in(const uint8_t *data, size_t size, size_t max)
{
	struct slack_text t;
	char *cause = NULL;
	const char *in = (const char *)data;
	int want, rc;
	size_t i;

	want = size <= max && utf8_valid(in, size);
	rc =
	    slack_text_parse(in, size, max, fuzz_lookup_name, NULL, &t, &cause);
	if ((rc == 0) != want)
		abort();
	if (rc != 0) {
		if (cause == NULL || t.text != NULL || t.n_mentions != 0)
			abort();
		free(cause);
		return;
	}
	if (!utf8_valid(t.text, strlen(t.text)) ||
	    t.n_mentions > CHAT_MENTIONS_MAX || t.missing > t.n_mentions)
		abort();
	for (i = 0; i < t.n_mentions; i++) {
		if (t.mentions[i].user_id == NULL ||
		    t.mentions[i].user_id[0] == '\0')
			abort();
		if (t.mentions[i].name != NULL &&
		    !utf8_valid(t.mentions[i].name, strlen(t.mentions[i].name)))
			abort();
	}
	slack_text_release(&t);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text;
	size_t max;

	if (size < 1 || size > 16384)
		return 0;
	/* Limits of 0 .. 508 bytes (below SLACK_SPLIT_MIN: the minimum). */
	max = (size_t)(data[0] >> 1) * 4;
	if (data[0] & 1) {
		fuzz_in(data + 1, size - 1, max == 0 ? size : max);
	} else {
		text = xstrndup((const char *)data + 1, size - 1);
		fuzz_out(text, max);
		free(text);
	}
	return 0;
}
