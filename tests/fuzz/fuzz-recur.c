/* SPDX-License-Identifier: MIT */
/*
 * fuzz-recur.c: libFuzzer target for recur_parse() and recur_offset_parse().
 *
 * Feeds arbitrary bytes (as a NUL-terminated copy) to both parsers and
 * checks the contract: on success a rule that recur_check() accepts, whose
 * recur_format() text parses back (with another today) to an equal rule,
 * and whose next occurrence can be asked for; an offset whose text parses
 * back to the same offset; on failure a cause that is well-formed UTF-8 and
 * short enough to post. The first byte's low bit picks the language of the
 * causes (the whole input is still the text); a Chinese cause must hold
 * Chinese, i.e. no cause falls back to English.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lihui/recur.h"
#include "lihui/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Whether s has a byte outside ASCII. */
static int
has_non_ascii(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s >= 0x80)
			return 1;
	}
	return 0;
}

static void
check_cause(char *cause, enum locale loc)
{
	if (cause == NULL || !utf8_valid(cause, strlen(cause)) ||
	    strlen(cause) > 512)
		abort();
	if (loc == LOCALE_ZH_CN && !has_non_ascii(cause))
		abort();
	free(cause);
}

static void
check_rule(const char *text, enum locale loc)
{
	struct recur_defaults def = {
		.today = { 2026, 11, 26 },
		.length = 60,
		.zone = "Asia/Shanghai",
		.loc = loc,
	};
	struct recur_rule r, back;
	struct date d;
	char buf[RECUR_FORMAT_SIZE], *cause = NULL;
	int64_t t;

	if (recur_parse(text, &def, &r, &cause) != 0) {
		check_cause(cause, loc);
		return;
	}
	if (cause != NULL || recur_check(&r, NULL) != 0)
		abort();
	recur_format(&r, buf, sizeof buf);
	if (strlen(buf) + 1 >= sizeof buf)
		abort();
	def.today.year = 2031;
	def.zone = NULL;
	if (recur_parse(buf, &def, &back, NULL) != 0 || !recur_equal(&r, &back))
		abort();
	if (recur_next(&r, INT64_C(1795658400), &t, &d, &cause) != 0)
		check_cause(cause, LOCALE_EN);
	else if (recur_is_skipped(&r, d) || !date_valid(d))
		abort();
}

static void
check_offset(const char *text, enum locale loc)
{
	struct recur_offset o, back;
	char buf[RECUR_OFFSET_FORMAT_SIZE], *cause = NULL;
	int64_t t;

	if (recur_offset_parse(text, loc, &o, &cause) != 0) {
		check_cause(cause, loc);
		return;
	}
	recur_offset_format(&o, buf, sizeof buf);
	if (recur_offset_parse(buf, loc, &back, NULL) != 0 ||
	    memcmp(&o, &back, sizeof o) != 0)
		abort();
	if (recur_offset(o.kind == RECUR_OFFSET_DAYS ? "Europe/Berlin" : "UTC",
			 INT64_C(1774857600), &o, &t, &cause) != 0)
		check_cause(cause, LOCALE_EN);
	else if (t > INT64_C(1774857600))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum locale loc;
	char *text;

	if (size > 4 * RECUR_TEXT_MAX)
		return 0;
	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	loc = size > 0 && (data[0] & 1) != 0 ? LOCALE_ZH_CN : LOCALE_EN;
	check_rule(text, loc);
	check_offset(text, loc);
	free(text);
	return 0;
}
