/* SPDX-License-Identifier: MIT */
/*
 * split.c: cuts a long post into pieces a chat platform accepts (pure).
 *
 * Each piece is at most max bytes. Where to cut, in order of preference:
 *   1. just before the last line starting with '#' that fits (a section
 *      heading: render_agenda() starts every section with one), as long
 *      as the piece before it is not empty;
 *   2. at the last newline that fits;
 *   3. at the last UTF-8 character boundary that fits (utf8_cut()); on
 *      invalid input with no boundary in reach, at exactly max bytes.
 * The newlines at a cut (the blank line before a heading, the newline a
 * line cut falls on) are dropped from both sides, as are those that start
 * a text too long for one piece, and a piece is never empty: the text is
 * the pieces joined by the dropped runs of '\n' (a text that fits is its
 * own single piece; "" has none).
 * Cuts 1 and 2 fall on ASCII bytes and cut 3 on a character boundary, so
 * the pieces of valid UTF-8 are valid UTF-8.
 *
 * Each cut looks back at most max bytes from the end of the window, and
 * the next window starts where the piece ended, so the work is linear in
 * the text for the usual case of pieces close to max bytes.
 */

#include <stdlib.h>
#include <string.h>

#include "lihui/log.h"
#include "lihui/render.h"
#include "lihui/utf8.h"
#include "lihui/xmalloc.h"

static size_t split_cut(const char *text, size_t pos, size_t len, size_t max);

/*
 * Where the piece starting at pos ends (exclusive, before the newlines at
 * the cut) when the rest of the text is longer than max; text[pos] is not
 * a newline.
 */
static size_t
split_cut(const char *text, size_t pos, size_t len, size_t max)
{
	size_t end = pos + max, i, cut = 0;

	/* 1. A heading line starting at i <= end, with text before it. */
	for (i = end; i > pos + 1 && cut == 0; i--) {
		if (text[i] == '#' && text[i - 1] == '\n')
			cut = i;
	}
	/* 2. A newline at i <= end: the piece is [pos, i). */
	for (i = end; i > pos && cut == 0; i--) {
		if (text[i] == '\n')
			cut = i;
	}
	if (cut == 0) {
		/* 3. A character boundary; max >= 4 reaches one in UTF-8. */
		cut = pos + utf8_cut(text + pos, len - pos, max);
		if (cut == pos)
			cut = end;
	}
	/* Drop the newlines before the cut; text[pos] is not one. */
	while (text[cut - 1] == '\n')
		cut--;
	return cut;
}

size_t
render_split(const char *text, size_t max, char ***pieces)
{
	size_t len = strlen(text), pos = 0, n = 0, alloc = 0, cut;
	char **out = NULL;

	if (max < 4)
		BUG("render_split needs max >= 4");
	while (pos < len) {
		if (len - pos > max) {
			/* Leading newlines of a text that needs cutting. */
			while (pos < len && text[pos] == '\n')
				pos++;
			if (pos == len)
				break;
		}
		if (len - pos <= max)
			cut = len;
		else
			cut = split_cut(text, pos, len, max);
		if (n == alloc) {
			alloc = alloc == 0 ? 4 : alloc * 2;
			out = xreallocarray(out, alloc, sizeof *out);
		}
		out[n++] = xstrndup(text + pos, cut - pos);
		/* The newlines at a cut separate the pieces. */
		pos = cut;
		while (pos < len && text[pos] == '\n')
			pos++;
	}
	*pieces = out;
	return n;
}

void
render_pieces_free(char **pieces, size_t n)
{
	size_t i;

	if (pieces == NULL)
		return;
	for (i = 0; i < n; i++)
		free(pieces[i]);
	free(pieces);
}
