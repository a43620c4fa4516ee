/* SPDX-License-Identifier: MIT */
/*
 * hashline.c: the parser of the "#" lines said during a meeting; see
 * meeting.h.
 *
 * Pure: no allocation (except the cause), no I/O, no clock and no locale.
 * The line is a byte span that need not be NUL-terminated; every loop is
 * bounded by its length and nothing past it is read.
 *
 * A line is read in this order:
 *
 *	[blanks] '#'|'＃' keyword [boundary] [blanks] [':'|'：'] [blanks]
 *	text [blanks]
 *
 * - Leading blanks are spaces, tabs and the ideographic space U+3000
 *   (not line breaks: a "#" on the second line of a message is not a
 *   command).
 * - '＃' (U+FF03) and '：' (U+FF1A) are what Chinese input methods produce
 *   for '#' and ':'.
 * - An ASCII keyword matches in any case and must be followed by a blank,
 *   a colon or the end, so that "#topics" and "#info2" stay ordinary
 *   lines. A Chinese keyword needs no boundary: Chinese is written without
 *   spaces, so "#决议采用方案A" is the decision "采用方案A".
 * - Blanks after the keyword and at the end also include '\r' and '\n'. A
 *   multi-line message is one item: its inner line breaks are kept.
 *
 * Until the keyword has matched the line is ordinary (0), whatever bytes
 * it holds. After that it is a command, and a bad text (none, too long,
 * not UTF-8) is an error (-1), so that the caller can tell the user
 * instead of silently logging the line. Only complete characters are
 * matched before the text, so checking the rest of the line for UTF-8
 * checks all of it. *out is written only when 1 is returned.
 *
 * When adding a keyword, add a row to hashline_keywords[], a kind to
 * meeting.h with its name in meeting_item_names[], and rows to the tables
 * in tests/unit/core/test-hashline.c.
 */

#include <stddef.h>
#include <string.h>

#include "lihui/catalog.h"
#include "lihui/meeting.h"
#include "lihui/utf8.h"
#include "lihui/xmalloc.h"

/* Multi-byte characters the parser knows, as UTF-8 bytes. */
#define HASHLINE_IDEO_SPACE "\xe3\x80\x80" /* U+3000 ideographic space */
#define HASHLINE_WIDE_HASH  "\xef\xbc\x83" /* U+FF03 full-width '#' */
#define HASHLINE_WIDE_COLON "\xef\xbc\x9a" /* U+FF1A full-width ':' */
#define HASHLINE_WIDE_LEN   3

/* One keyword: its spelling without '#', and whether it is ASCII. */
struct hashline_keyword {
	const char *word;
	enum meeting_item_kind kind;
	int ascii; /* case-insensitive, needs a boundary after it */
};

static const struct hashline_keyword hashline_keywords[] = {
	{ .word = "topic", .kind = MEETING_TOPIC, .ascii = 1 },
	{ .word = "info", .kind = MEETING_INFO, .ascii = 1 },
	{ .word = "idea", .kind = MEETING_IDEA, .ascii = 1 },
	{ .word = "agreed", .kind = MEETING_AGREED, .ascii = 1 },
	{ .word = "action", .kind = MEETING_ACTION, .ascii = 1 },
	{ .word = "link", .kind = MEETING_LINK, .ascii = 1 },
	{ .word = "议题", .kind = MEETING_TOPIC, .ascii = 0 },
	{ .word = "信息", .kind = MEETING_INFO, .ascii = 0 },
	{ .word = "想法", .kind = MEETING_IDEA, .ascii = 0 },
	{ .word = "决议", .kind = MEETING_AGREED, .ascii = 0 },
	{ .word = "行动", .kind = MEETING_ACTION, .ascii = 0 },
	{ .word = "链接", .kind = MEETING_LINK, .ascii = 0 },
};

#define HASHLINE_NKEYWORDS                                                     \
	(sizeof hashline_keywords / sizeof hashline_keywords[0])

static const char *const meeting_item_names[MEETING_KIND_COUNT] = {
	[MEETING_LINE] = "line",     [MEETING_TOPIC] = "topic",
	[MEETING_INFO] = "info",     [MEETING_IDEA] = "idea",
	[MEETING_AGREED] = "agreed", [MEETING_ACTION] = "action",
	[MEETING_LINK] = "link",
};

/* Which blanks a skip accepts: line breaks only after the keyword. */
enum hashline_blanks {
	HASHLINE_INLINE = 0, /* space, tab, U+3000 */
	HASHLINE_ANY = 1,    /* the same, '\r' and '\n' */
};

static int hashline_has(const char *p, const char *end, const char *s,
			size_t n);
static size_t hashline_blank_at(const char *p, const char *end,
				enum hashline_blanks which);
static size_t hashline_blank_before(const char *start, const char *end);
static const char *hashline_skip(const char *p, const char *end,
				 enum hashline_blanks which);
static size_t hashline_match(const struct hashline_keyword *kw, const char *p,
			     const char *end);
static int hashline_boundary(const char *p, const char *end);

/* Whether the n bytes s start at p, within [p, end). */
static int
hashline_has(const char *p, const char *end, const char *s, size_t n)
{
	return (size_t)(end - p) >= n && memcmp(p, s, n) == 0;
}

/* The length of the blank at p (0 if there is none). */
static size_t
hashline_blank_at(const char *p, const char *end, enum hashline_blanks which)
{
	if (p >= end)
		return 0;
	if (*p == ' ' || *p == '\t')
		return 1;
	if (which == HASHLINE_ANY && (*p == '\r' || *p == '\n'))
		return 1;
	if (hashline_has(p, end, HASHLINE_IDEO_SPACE, HASHLINE_WIDE_LEN))
		return HASHLINE_WIDE_LEN;
	return 0;
}

/* The length of the blank (any kind) that ends at end (0 if none). */
static size_t
hashline_blank_before(const char *start, const char *end)
{
	size_t n = (size_t)(end - start);
	char c;

	if (n == 0)
		return 0;
	c = end[-1];
	if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
		return 1;
	if (n >= HASHLINE_WIDE_LEN &&
	    memcmp(end - HASHLINE_WIDE_LEN, HASHLINE_IDEO_SPACE,
		   HASHLINE_WIDE_LEN) == 0)
		return HASHLINE_WIDE_LEN;
	return 0;
}

/* The first byte at or after p that does not start a blank. */
static const char *
hashline_skip(const char *p, const char *end, enum hashline_blanks which)
{
	size_t n = hashline_blank_at(p, end, which);

	while (n > 0) {
		p += n;
		n = hashline_blank_at(p, end, which);
	}
	return p;
}

/* The length of kw's spelling at p, or 0 if it is not there. */
static size_t
hashline_match(const struct hashline_keyword *kw, const char *p,
	       const char *end)
{
	size_t i, n = strlen(kw->word);
	unsigned char c;

	if ((size_t)(end - p) < n)
		return 0;
	if (!kw->ascii)
		return memcmp(p, kw->word, n) == 0 ? n : 0;
	for (i = 0; i < n; i++) {
		/* Fold ASCII only: the locale must not change what matches. */
		c = (unsigned char)p[i];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if (c != (unsigned char)kw->word[i])
			return 0;
	}
	return n;
}

/* Whether an ASCII keyword may end at p: a blank, a colon or the end. */
static int
hashline_boundary(const char *p, const char *end)
{
	if (p == end || *p == ':')
		return 1;
	if (hashline_blank_at(p, end, HASHLINE_ANY) > 0)
		return 1;
	return hashline_has(p, end, HASHLINE_WIDE_COLON, HASHLINE_WIDE_LEN);
}

/* Classify one line said during a meeting; see meeting.h. */
int
hashline_parse(const char *line, size_t len, enum locale loc,
	       struct hashline *out, char **cause)
{
	const struct hashline_keyword *kw = NULL;
	const char *p, *end, *text, *text_end;
	size_t i, n = 0, tlen;

	if (len == 0)
		return 0;
	end = line + len;
	p = hashline_skip(line, end, HASHLINE_INLINE);
	if (p < end && *p == '#')
		p++;
	else if (hashline_has(p, end, HASHLINE_WIDE_HASH, HASHLINE_WIDE_LEN))
		p += HASHLINE_WIDE_LEN;
	else
		return 0;

	for (i = 0; i < HASHLINE_NKEYWORDS; i++) {
		n = hashline_match(&hashline_keywords[i], p, end);
		if (n > 0) {
			kw = &hashline_keywords[i];
			break;
		}
	}
	if (kw == NULL)
		return 0;
	p += n;
	if (kw->ascii && !hashline_boundary(p, end))
		return 0;

	/* From here on the line is a command: its text must be usable. */
	if (!utf8_valid(p, (size_t)(end - p)))
		return set_cause(cause, L_(loc, "#%s text is not valid UTF-8"),
				 kw->word);
	p = hashline_skip(p, end, HASHLINE_ANY);
	if (p < end && *p == ':')
		p++;
	else if (hashline_has(p, end, HASHLINE_WIDE_COLON, HASHLINE_WIDE_LEN))
		p += HASHLINE_WIDE_LEN;
	text = hashline_skip(p, end, HASHLINE_ANY);
	text_end = end;
	n = hashline_blank_before(text, text_end);
	while (n > 0) {
		text_end -= n;
		n = hashline_blank_before(text, text_end);
	}

	tlen = (size_t)(text_end - text);
	if (tlen == 0)
		return set_cause(cause, L_(loc, "#%s needs a text"), kw->word);
	if (tlen > MEETING_TEXT_MAX)
		return set_cause(cause,
				 L_(loc, "#%s text is too long: %zu bytes, "
					 "at most %d"),
				 kw->word, tlen, MEETING_TEXT_MAX);
	out->kind = kw->kind;
	out->text = text;
	out->len = tlen;
	return 1;
}

/* The English keyword of kind, a static string; "?" if out of range. */
const char *
meeting_item_name(enum meeting_item_kind kind)
{
	if ((unsigned int)kind >= MEETING_KIND_COUNT)
		return "?";
	return meeting_item_names[kind];
}
