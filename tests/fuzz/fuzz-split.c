/* SPDX-License-Identifier: MIT */
/*
 * fuzz-split.c: render_split() on arbitrary text and limits. Every piece
 * must be non-empty, within the limit, and valid UTF-8 when the input was;
 * the pieces must appear in the input in order.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lihui/render.h"
#include "lihui/utf8.h"
#include "lihui/xmalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text, **pieces;
	const char *at;
	size_t max, n, i, len;
	int valid;

	if (size < 1 || size > 8192)
		return 0;
	/* The first byte picks the limit: 4 .. 259 bytes. */
	max = 4 + (size_t)data[0];
	text = xstrndup((const char *)data + 1, size - 1);
	len = strlen(text);
	valid = utf8_valid(text, len);
	n = render_split(text, max, &pieces);
	at = text;
	for (i = 0; i < n; i++) {
		size_t plen = strlen(pieces[i]);

		if (plen == 0 || plen > max)
			abort();
		if (valid && !utf8_valid(pieces[i], plen))
			abort();
		at = strstr(at, pieces[i]);
		if (at == NULL)
			abort();
		at += plen;
	}
	render_pieces_free(pieces, n);
	free(text);
	return 0;
}
