/* SPDX-License-Identifier: MIT */
/*
 * fuzz-hashline.c: libFuzzer target for hashline_parse().
 *
 * The bytes are parsed in place, without a NUL after them, so that ASan
 * catches any read past len. The contract is checked on every answer:
 *  1: a kind that is a keyword's, a text inside the input, not empty, at
 *     most MEETING_TEXT_MAX bytes, well-formed UTF-8, without blanks at
 *     either end, and no cause;
 *  0: no cause and *out untouched;
 * -1: a cause that is UTF-8 and short, and *out untouched.
 * A second call without a cause must give the same answer.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lihui/meeting.h"
#include "lihui/utf8.h"

#define IDEO_SPACE "\xe3\x80\x80"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int is_blank(char c);
static int has_edge_blank(const char *text, size_t len);

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Whether text (len > 0) starts or ends with a blank the parser trims. */
static int
has_edge_blank(const char *text, size_t len)
{
	if (is_blank(text[0]) || is_blank(text[len - 1]))
		return 1;
	if (len >= 3 && (memcmp(text, IDEO_SPACE, 3) == 0 ||
			 memcmp(text + len - 3, IDEO_SPACE, 3) == 0))
		return 1;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *line = (const char *)data;
	struct hashline out = { .kind = MEETING_LINE, .text = NULL, .len = 0 };
	struct hashline again = out;
	char *cause = NULL;
	int rc;

	rc = hashline_parse(line, size, LOCALE_EN, &out, &cause);
	if (rc != hashline_parse(line, size, LOCALE_EN, &again, NULL))
		abort();
	switch (rc) {
	case 1:
		if (cause != NULL || out.kind <= MEETING_LINE ||
		    out.kind >= MEETING_KIND_COUNT ||
		    strcmp(meeting_item_name(out.kind), "?") == 0)
			abort();
		if (out.text == NULL || out.text < line || out.len == 0 ||
		    out.len > MEETING_TEXT_MAX ||
		    out.len > size - (size_t)(out.text - line))
			abort();
		if (!utf8_valid(out.text, out.len) ||
		    has_edge_blank(out.text, out.len))
			abort();
		if (again.kind != out.kind || again.text != out.text ||
		    again.len != out.len)
			abort();
		break;
	case 0:
		if (cause != NULL || out.text != NULL || again.text != NULL)
			abort();
		break;
	case -1:
		if (cause == NULL || !utf8_valid(cause, strlen(cause)) ||
		    strlen(cause) > 200 || out.text != NULL ||
		    again.text != NULL)
			abort();
		free(cause);
		break;
	default:
		abort();
	}
	return 0;
}
