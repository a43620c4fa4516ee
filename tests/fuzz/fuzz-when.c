/* SPDX-License-Identifier: MIT */
/*
 * fuzz-when.c: libFuzzer target for when_parse().
 *
 * Feeds arbitrary bytes (as a NUL-terminated copy) to when_parse() against
 * a fixed today, and one at the end of the supported range, and checks the
 * contract: on success a real date in 1970..9999, on failure a cause that is
 * well-formed UTF-8 and short enough to post.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lihui/utf8.h"
#include "lihui/when.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(const char *text, struct date today)
{
	struct date out = { 0, 0, 0 };
	char *cause = NULL;

	if (when_parse(text, today, &out, &cause) == 0) {
		if (cause != NULL || !date_valid(out) || out.year < 1970 ||
		    out.year > 9999)
			abort();
		return;
	}
	if (cause == NULL || !utf8_valid(cause, strlen(cause)) ||
	    strlen(cause) > 512)
		abort();
	free(cause);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct date todays[] = {
		{ 2026, 11, 26 },
		{ 9999, 12, 30 },
	};
	char *text = malloc(size + 1);
	size_t i;

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	for (i = 0; i < sizeof todays / sizeof todays[0]; i++)
		check(text, todays[i]);
	free(text);
	return 0;
}
