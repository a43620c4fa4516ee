/* SPDX-License-Identifier: MIT */
/*
 * slack-format.c: Markdown to Slack mrkdwn, Slack's escaped text to plain
 * text, and cutting long posts (see slack-format.h). Pure: no I/O.
 *
 * How it works.
 *
 *   Outbound (slack_format_post): bytes that are not UTF-8 are first
 *   replaced by U+FFFD, so every later step copies whole characters. The
 *   text is then read line by line:
 *     - a fenced code block (``` lines) is copied with & < > escaped and
 *       no other change; its language tag is dropped (Slack has none) and
 *       a block still open at the end is closed;
 *     - a table (a "|" line followed by a "|---|" line, then every "|"
 *       line after them) becomes a code block whose columns are padded to
 *       the display width of their widest cell (CJK: two columns); at
 *       most FMT_COLS_MAX columns (more cells join the last one), padded
 *       to at most FMT_WIDTH_MAX (wider cells stick out), and a short row
 *       gets no padding for the cells it lacks; ** ~~ and ` are dropped
 *       from cells, since a code block shows them as they are;
 *     - "#".."######" headings become one bold line; "-", "*" and "+"
 *       items become "• " items (the indentation is kept); "> " quotes
 *       and numbered items stay; a "---" rule becomes a line of U+2500;
 *     - everything else, and the text of headings, items and quotes, goes
 *       through the inline converter.
 *   The inline converter works on one line: `code` spans are copied
 *   verbatim (escaped), **bold** becomes *bold*, *it* becomes _it_, ~~s~~
 *   becomes ~s~, [label](url) and ![alt](url) become <url|label>, <url>
 *   autolinks stay links, \-escapes lose the backslash, @names become
 *   <@ID> (or <!here>...), and & < > are escaped everywhere else. An
 *   opening ** ~~ or * is only taken as one when a closing one follows on
 *   the line; the search for it remembers when it failed, so each line is
 *   read a bounded number of times (linear time). A style still open at
 *   the end of its line (its closer was inside a code span) is closed
 *   there, so it never runs into the next line. Slack only styles text
 *   whose markers are not inside a word, and CJK text has no blanks, so
 *   a marker next to a letter, digit or non-ASCII character gets a zero
 *   width space (U+200B) between them.
 *
 *   Inbound (slack_text_parse): the text is checked (UTF-8, max) and read
 *   once; each '<' is matched with the next '>' on its line, unless
 *   another '<' comes first, so no byte is read more than twice.
 *
 *   Cutting (slack_split_post): parts are filled up to max minus the room
 *   for reopening and closing a code block ("```\n" and "\n```"), and the
 *   lines that are exactly "```" tell whether a cut falls inside one. A
 *   cut inside a line never falls beside a backtick, so no part gets a
 *   "```" line the text did not have.
 *
 * When the renderers start using a new Markdown construct, add it to the
 * converter and to tests/unit/adapter/test-slack-format.c.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lihui/buf.h"
#include "lihui/report.h"
#include "lihui/utf8.h"
#include "lihui/xmalloc.h"

#include "slack-format.h"

/* Output buffers never refuse: inputs are capped upstream. */
#define FMT_BUF_MAX (SIZE_MAX / 2)
/* The most columns of a table; later cells join the last one. */
#define FMT_COLS_MAX 32
/* Columns are padded to at most this width; wider cells stick out. */
#define FMT_WIDTH_MAX 48
/* Code spans of longer backtick runs are taken literally. */
#define FMT_TICKS_MAX 8
/* The longest Slack id taken from a lookup. */
#define FMT_ID_MAX 64
/* U+FFFD REPLACEMENT CHARACTER */
#define FMT_REPLACEMENT "\xef\xbf\xbd"
/* A horizontal rule: eight U+2500 BOX DRAWINGS LIGHT HORIZONTAL. */
#define FMT_RULE                                                               \
	"\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80"         \
	"\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80"
#define FMT_BULLET "\xe2\x80\xa2 " /* U+2022 BULLET and a space */
#define FMT_ZWSP   "\xe2\x80\x8b"  /* U+200B ZERO WIDTH SPACE */

/* The emphasis kinds whose opening needs a closer on the same line. */
enum fmt_style { FMT_BOLD, FMT_ITALIC, FMT_STRIKE, FMT_STYLES };

struct fmt {
	struct buf out;
	slack_user_id_fn lookup;
	void *arg;
};

/* One line under the inline converter. */
struct fmt_line {
	const char *s;
	size_t len;
	int heading; /* the line is already bold: drop ** */
	int open[FMT_STYLES];
	int no_closer[FMT_STYLES];		 /* the search failed */
	size_t no_ticks_from[FMT_TICKS_MAX + 1]; /* no closing run after */
};

enum fmt_align { FMT_LEFT, FMT_RIGHT, FMT_CENTER };

struct fmt_table {
	size_t ncols;
	size_t width[FMT_COLS_MAX];
	enum fmt_align align[FMT_COLS_MAX];
};

static char *fmt_sanitize(const char *s, size_t len);
static void fmt_add(struct fmt *f, const char *s, size_t n);
static void fmt_puts(struct fmt *f, const char *s);
static void fmt_escaped(struct fmt *f, const char *s, size_t n);
static int fmt_space(char c);
static int fmt_punct(char c);
static int fmt_name_char(char c);
static size_t fmt_indent(const char *s, size_t len);
static int fmt_is_fence_open(const char *s, size_t len);
static int fmt_is_fence_close(const char *s, size_t len);
static int fmt_is_rule(const char *s, size_t len);
static int fmt_is_table_sep(const char *s, size_t len);
static int fmt_is_table_row(const char *s, size_t len);
static size_t fmt_codepoint(const char *s, size_t n, uint32_t *cp);
static int fmt_cp_width(uint32_t cp);
static size_t fmt_width(const char *s, size_t n);
static size_t fmt_cell_next(const char *s, size_t len, size_t *pos, int last,
			    size_t *start);
static size_t fmt_cell_text(struct buf *b, const char *s, size_t n);
static void fmt_table_measure(struct fmt_table *t, const char *s, size_t len);
static void fmt_table_aligns(struct fmt_table *t, const char *s, size_t len);
static void fmt_table_row(struct fmt *f, const struct fmt_table *t,
			  struct buf *scratch, const char *s, size_t len);
static void fmt_table_rule(struct fmt *f, const struct fmt_table *t);
static void fmt_trim_trailing(struct buf *b, size_t from);
static size_t fmt_table(struct fmt *f, const char *s, size_t len, size_t pos);
static size_t fmt_run(const char *s, size_t len, size_t i, char c);
static size_t fmt_code_span(struct fmt *f, struct fmt_line *l, size_t i);
static int fmt_can_close(const struct fmt_line *l, size_t i);
static int fmt_find_closer(struct fmt_line *l, size_t from, const char *d,
			   size_t dlen, enum fmt_style st);
static int fmt_word_byte(char c);
static void fmt_mark(struct fmt *f, const struct fmt_line *l, const char *mark,
		     int opening, size_t after);
static size_t fmt_emphasis(struct fmt *f, struct fmt_line *l, size_t i);
static size_t fmt_strike(struct fmt *f, struct fmt_line *l, size_t i);
static int fmt_has_scheme(const char *s, size_t n);
static size_t fmt_link(struct fmt *f, const struct fmt_line *l, size_t i);
static size_t fmt_autolink(struct fmt *f, const struct fmt_line *l, size_t i);
static int fmt_valid_id(const char *id);
static size_t fmt_mention(struct fmt *f, const struct fmt_line *l, size_t i);
static void fmt_inline(struct fmt *f, const char *s, size_t len, int heading);
static void fmt_heading(struct fmt *f, const char *s, size_t len, size_t n);
static int fmt_list_item(struct fmt *f, const char *s, size_t len);
static size_t fmt_next_line(const char *s, size_t len, size_t pos,
			    size_t *line_len);
static size_t fmt_heading_level(const char *s, size_t len);

static int split_is_fence(const char *s, size_t len, size_t k);
static int split_ok(const char *s, size_t pos, size_t c);
static size_t split_inline(const char *s, size_t pos, size_t cut);
static size_t split_cut(const char *s, size_t len, size_t pos, size_t budget);
static int split_code_after(const char *s, size_t len, size_t pos, size_t cut,
			    int in_code);

static int text_id_char(char c);
static void text_decode(struct buf *b, const char *s, size_t n);
static void text_mention(struct slack_text *out, const char *id, size_t n,
			 const char *name);
static int text_is_plain_label(const char *url, size_t un, const char *label,
			       size_t ln);
static int text_sequence(struct buf *b, const char *s, size_t n,
			 slack_user_name_fn resolve, void *arg,
			 struct slack_text *out);

/* s with every byte that does not start a valid character replaced by
 * U+FFFD; allocated (caller frees). */
static char *
fmt_sanitize(const char *s, size_t len)
{
	struct buf b;
	size_t i = 0, n;

	buf_init(&b, FMT_BUF_MAX);
	buf_add(&b, "", 0);
	while (i < len) {
		n = utf8_seq_len((unsigned char)s[i]);
		if (n != 0 && n <= len - i && utf8_valid(s + i, n)) {
			buf_add(&b, s + i, n);
			i += n;
		} else {
			buf_add(&b, FMT_REPLACEMENT, 3);
			i++;
		}
	}
	return buf_detach(&b);
}

static void
fmt_add(struct fmt *f, const char *s, size_t n)
{
	buf_add(&f->out, s, n);
}

static void
fmt_puts(struct fmt *f, const char *s)
{
	buf_add(&f->out, s, strlen(s));
}

/* Append s[0..n) with & < > written as entities. */
static void
fmt_escaped(struct fmt *f, const char *s, size_t n)
{
	size_t i, from = 0;

	for (i = 0; i < n; i++) {
		const char *e = NULL;

		if (s[i] == '&')
			e = "&amp;";
		else if (s[i] == '<')
			e = "&lt;";
		else if (s[i] == '>')
			e = "&gt;";
		if (e == NULL)
			continue;
		fmt_add(f, s + from, i - from);
		fmt_puts(f, e);
		from = i + 1;
	}
	fmt_add(f, s + from, n - from);
}

static int
fmt_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* ASCII punctuation: what a Markdown backslash can escape. */
static int
fmt_punct(char c)
{
	return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') ||
	       (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
}

/* The characters of a user name, as report_parse_mention() takes them. */
static int
fmt_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

/* The up to three spaces Markdown allows before a block marker. */
static size_t
fmt_indent(const char *s, size_t len)
{
	size_t i = 0;

	while (i < 3 && i < len && s[i] == ' ')
		i++;
	return i;
}

/* "```lang": three or more backticks, no backtick after them. */
static int
fmt_is_fence_open(const char *s, size_t len)
{
	size_t i = fmt_indent(s, len), n = fmt_run(s, len, i, '`');

	if (n < 3)
		return 0;
	return memchr(s + i + n, '`', len - i - n) == NULL;
}

/* "```": three or more backticks and nothing but blanks. */
static int
fmt_is_fence_close(const char *s, size_t len)
{
	size_t i = fmt_indent(s, len), n = fmt_run(s, len, i, '`');

	if (n < 3)
		return 0;
	for (i += n; i < len; i++) {
		if (s[i] != ' ' && s[i] != '\t')
			return 0;
	}
	return 1;
}

/* "---", "* * *", "___": three or more of one of - * _ and blanks. */
static int
fmt_is_rule(const char *s, size_t len)
{
	size_t i, n = 0;
	char c = 0;

	for (i = fmt_indent(s, len); i < len; i++) {
		if (s[i] == ' ' || s[i] == '\t')
			continue;
		if (s[i] != '-' && s[i] != '*' && s[i] != '_')
			return 0;
		if (c != 0 && s[i] != c)
			return 0;
		c = s[i];
		n++;
	}
	return n >= 3;
}

/* A table's delimiter row: "| --- | :-: |" (a '|' and at least one '-'). */
static int
fmt_is_table_sep(const char *s, size_t len)
{
	size_t i;
	int dash = 0, pipe = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '-')
			dash = 1;
		else if (s[i] == '|')
			pipe = 1;
		else if (s[i] != ':' && s[i] != ' ' && s[i] != '\t')
			return 0;
	}
	return dash && pipe;
}

static int
fmt_is_table_row(const char *s, size_t len)
{
	size_t i = fmt_indent(s, len);

	return i < len && s[i] == '|';
}

/* Decode the character at s (valid UTF-8, n > 0) into *cp; its length. */
static size_t
fmt_codepoint(const char *str, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t k = utf8_seq_len(s[0]), i;

	if (k == 0 || k > n) {
		*cp = 0xfffd;
		return 1;
	}
	*cp = k == 1 ? s[0] : s[0] & (0xff >> (k + 1));
	for (i = 1; i < k; i++)
		*cp = (*cp << 6) | (s[i] & 0x3f);
	return k;
}

/*
 * Columns a character takes in a monospace font: 0 for combining marks
 * and zero-width characters, 2 for East Asian wide and full-width ones
 * (CJK, Hangul, kana, full-width forms, most emoji), else 1.
 */
static int
fmt_cp_width(uint32_t cp)
{
	static const struct {
		uint32_t from, to;
	} wide[] = {
		{ 0x1100, 0x115f },   { 0x2e80, 0x303e },
		{ 0x3041, 0x33ff },   { 0x3400, 0x4dbf },
		{ 0x4e00, 0x9fff },   { 0xa000, 0xa4cf },
		{ 0xac00, 0xd7a3 },   { 0xf900, 0xfaff },
		{ 0xfe30, 0xfe4f },   { 0xff00, 0xff60 },
		{ 0xffe0, 0xffe6 },   { 0x1f300, 0x1f64f },
		{ 0x1f900, 0x1f9ff }, { 0x20000, 0x2fffd },
		{ 0x30000, 0x3fffd },
	};
	size_t i;

	if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) ||
	    (cp >= 0xfe00 && cp <= 0xfe0f) || cp == 0xfeff)
		return 0;
	for (i = 0; i < sizeof wide / sizeof wide[0]; i++) {
		if (cp >= wide[i].from && cp <= wide[i].to)
			return 2;
	}
	return 1;
}

/* Display width of s[0..n) (valid UTF-8). */
static size_t
fmt_width(const char *s, size_t n)
{
	size_t i = 0, w = 0;
	uint32_t cp;

	while (i < n) {
		i += fmt_codepoint(s + i, n - i, &cp);
		w += (size_t)fmt_cp_width(cp);
	}
	return w;
}

/*
 * The next cell of the table row s[0..len) from *pos: sets *start and
 * returns the end (both trimmed), and moves *pos past the cell's '|'.
 * With last set the cell runs to the end of the row. Returns with *pos
 * == len + 1 when there is no further cell.
 */
static size_t
fmt_cell_next(const char *s, size_t len, size_t *pos, int last, size_t *start)
{
	size_t i = *pos, end;

	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	*start = i;
	if (last) {
		end = len;
		while (end > i && (s[end - 1] == ' ' || s[end - 1] == '\t'))
			end--;
		if (end > i && s[end - 1] == '|' &&
		    (end - 1 == i || s[end - 2] != '\\'))
			end--;
		*pos = len + 1;
	} else {
		while (i < len && s[i] != '|') {
			if (s[i] == '\\' && i + 1 < len)
				i++;
			i++;
		}
		end = i;
		*pos = i < len ? i + 1 : len + 1;
		/* Nothing but blanks after the last '|': no more cells. */
		if (*pos <= len) {
			size_t k = *pos;

			while (k < len && (s[k] == ' ' || s[k] == '\t'))
				k++;
			if (k == len)
				*pos = len + 1;
		}
	}
	while (end > *start && (s[end - 1] == ' ' || s[end - 1] == '\t'))
		end--;
	return end;
}

/*
 * A cell's text as the code block shows it: without the ** ~~ and `
 * markers (nothing is styled in a code block) and with \| as |, into b
 * when b is not NULL. Returns its display width.
 */
static size_t
fmt_cell_text(struct buf *b, const char *s, size_t n)
{
	size_t i = 0, w = 0, k, from;

	while (i < n) {
		if ((s[i] == '*' || s[i] == '~') && i + 1 < n &&
		    s[i + 1] == s[i]) {
			i += 2;
			continue;
		}
		if (s[i] == '`') {
			i++;
			continue;
		}
		if (s[i] == '\\' && i + 1 < n && fmt_punct(s[i + 1]))
			i++;
		from = i;
		k = utf8_seq_len((unsigned char)s[i]);
		i += k == 0 || k > n - i ? 1 : k;
		w += fmt_width(s + from, i - from);
		if (b != NULL)
			buf_add(b, s + from, i - from);
	}
	return w;
}

/* Count the columns of the row s[0..len) and widen them to its cells. */
static void
fmt_table_measure(struct fmt_table *t, const char *s, size_t len)
{
	size_t pos = fmt_indent(s, len) + 1, col = 0, start, end, w;

	while (pos <= len) {
		end = fmt_cell_next(s, len, &pos, col == FMT_COLS_MAX - 1,
				    &start);
		w = fmt_cell_text(NULL, s + start, end - start);
		if (w > t->width[col])
			t->width[col] = w;
		col++;
	}
	if (col > t->ncols)
		t->ncols = col;
}

/* The columns' alignment from the delimiter row s[0..len). */
static void
fmt_table_aligns(struct fmt_table *t, const char *s, size_t len)
{
	size_t pos = fmt_indent(s, len) + 1, col = 0, start, end;

	while (pos <= len && col < FMT_COLS_MAX) {
		end = fmt_cell_next(s, len, &pos, col == FMT_COLS_MAX - 1,
				    &start);
		if (end > start && s[end - 1] == ':')
			t->align[col] =
			    s[start] == ':' ? FMT_CENTER : FMT_RIGHT;
		col++;
	}
}

/* Drop the blanks b holds after offset from. */
static void
fmt_trim_trailing(struct buf *b, size_t from)
{
	while (b->len > from && b->data[b->len - 1] == ' ')
		b->len--;
	if (b->data != NULL)
		b->data[b->len] = '\0';
}

/* One row of the table as a line of the code block. */
static void
fmt_table_row(struct fmt *f, const struct fmt_table *t, struct buf *scratch,
	      const char *s, size_t len)
{
	size_t pos = fmt_indent(s, len) + 1, col, start, end, w, pad, left;
	size_t row = f->out.len;

	/* Only the cells the row has: a short row writes no padding for
	 * the others, so the output stays within a factor of the input. */
	for (col = 0; col < t->ncols && pos <= len; col++) {
		buf_reset(scratch);
		end = fmt_cell_next(s, len, &pos, col == FMT_COLS_MAX - 1,
				    &start);
		w = fmt_cell_text(scratch, s + start, end - start);
		pad = t->width[col] > w ? t->width[col] - w : 0;
		left = t->align[col] == FMT_RIGHT    ? pad
		       : t->align[col] == FMT_CENTER ? pad / 2
						     : 0;
		if (col > 0)
			fmt_puts(f, " | ");
		for (; left > 0; left--, pad--)
			fmt_add(f, " ", 1);
		fmt_escaped(f, buf_str(scratch), scratch->len);
		for (; pad > 0; pad--)
			fmt_add(f, " ", 1);
	}
	fmt_trim_trailing(&f->out, row);
}

/* The line under the header: dashes as wide as each column. */
static void
fmt_table_rule(struct fmt *f, const struct fmt_table *t)
{
	size_t col, k;

	for (col = 0; col < t->ncols; col++) {
		if (col > 0)
			fmt_puts(f, "-+-");
		for (k = 0; k < t->width[col]; k++)
			fmt_add(f, "-", 1);
	}
}

/*
 * The table whose header row starts at pos (the delimiter row follows) as
 * a code block; returns where the first line after the table starts.
 */
static size_t
fmt_table(struct fmt *f, const char *s, size_t len, size_t pos)
{
	struct fmt_table t;
	struct buf scratch;
	size_t p, n, next, col, sep;

	memset(&t, 0, sizeof t);
	buf_init(&scratch, FMT_BUF_MAX);
	sep = fmt_next_line(s, len, pos, &n);
	/* Measure every row except the delimiter row. */
	p = pos;
	while (p < len) {
		next = fmt_next_line(s, len, p, &n);
		if (p != pos && !fmt_is_table_row(s + p, n))
			break;
		if (p == sep)
			fmt_table_aligns(&t, s + p, n);
		else
			fmt_table_measure(&t, s + p, n);
		p = next;
	}
	for (col = 0; col < t.ncols; col++) {
		if (t.width[col] < 3)
			t.width[col] = 3;
		if (t.width[col] > FMT_WIDTH_MAX)
			t.width[col] = FMT_WIDTH_MAX;
	}
	fmt_puts(f, "```\n");
	p = pos;
	while (p < len) {
		next = fmt_next_line(s, len, p, &n);
		if (p != pos && !fmt_is_table_row(s + p, n))
			break;
		if (p == sep)
			fmt_table_rule(f, &t);
		else
			fmt_table_row(f, &t, &scratch, s + p, n);
		fmt_add(f, "\n", 1);
		p = next;
	}
	fmt_puts(f, "```");
	buf_release(&scratch);
	return p;
}

/* How many c there are at s[i..). */
static size_t
fmt_run(const char *s, size_t len, size_t i, char c)
{
	size_t n = 0;

	while (i + n < len && s[i + n] == c)
		n++;
	return n;
}

/* The code span (or lone backticks) at l->s[i]; returns where it ends. */
static size_t
fmt_code_span(struct fmt *f, struct fmt_line *l, size_t i)
{
	size_t k = fmt_run(l->s, l->len, i, '`'), j, r;

	if (k > FMT_TICKS_MAX || i + k >= l->no_ticks_from[k]) {
		fmt_add(f, l->s + i, k);
		return i + k;
	}
	for (j = i + k; j < l->len; j += r) {
		r = fmt_run(l->s, l->len, j, '`');
		if (r == 0) {
			r = 1;
			continue;
		}
		if (r != k)
			continue;
		/* A `` span without backticks inside is a ` span in Slack. */
		if (k == 2 && memchr(l->s + i + k, '`', j - i - k) == NULL) {
			fmt_add(f, "`", 1);
			fmt_escaped(f, l->s + i + k, j - i - k);
			fmt_add(f, "`", 1);
		} else {
			fmt_add(f, l->s + i, k);
			fmt_escaped(f, l->s + i + k, j - i - k);
			fmt_add(f, l->s + j, k);
		}
		return j + k;
	}
	l->no_ticks_from[k] = i + k;
	fmt_add(f, l->s + i, k);
	return i + k;
}

/* Whether the delimiter at l->s[i] can close: not after a blank. */
static int
fmt_can_close(const struct fmt_line *l, size_t i)
{
	return i > 0 && !fmt_space(l->s[i - 1]);
}

/*
 * Whether a closing d (a run of exactly dlen of d[0], after a non-blank)
 * follows on the line from from; remembers a failure for style st.
 */
static int
fmt_find_closer(struct fmt_line *l, size_t from, const char *d, size_t dlen,
		enum fmt_style st)
{
	size_t j, r;

	if (l->no_closer[st])
		return 0;
	for (j = from; j < l->len; j += r) {
		r = fmt_run(l->s, l->len, j, d[0]);
		if (r == 0) {
			r = 1;
			continue;
		}
		if (r == dlen && fmt_can_close(l, j))
			return 1;
	}
	l->no_closer[st] = 1;
	return 0;
}

/* A byte of a letter or digit, ASCII or not (UTF-8 lead and trail). */
static int
fmt_word_byte(char c)
{
	return (unsigned char)c >= 0x80 || (c >= '0' && c <= '9') ||
	       (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/*
 * Write a style marker. Slack only styles between markers that are not
 * inside a word, and counts CJK characters and full-width punctuation as
 * word characters ("，*已逾期*）" stays plain), so a zero-width space
 * separates a marker from such a neighbour: the one written before an
 * opening marker, or l->s[after] after a closing one.
 */
static void
fmt_mark(struct fmt *f, const struct fmt_line *l, const char *mark, int opening,
	 size_t after)
{
	if (opening && f->out.len > 0 &&
	    fmt_word_byte(f->out.data[f->out.len - 1]))
		fmt_puts(f, FMT_ZWSP);
	fmt_puts(f, mark);
	if (!opening && after < l->len && fmt_word_byte(l->s[after]))
		fmt_puts(f, FMT_ZWSP);
}

/* The run of '*' at l->s[i]: ** bold, * italic, else literal. */
static size_t
fmt_emphasis(struct fmt *f, struct fmt_line *l, size_t i)
{
	size_t k = fmt_run(l->s, l->len, i, '*');
	enum fmt_style st = k == 2 ? FMT_BOLD : FMT_ITALIC;
	const char *mark = k == 2 ? "*" : "_";

	if (k > 2) {
		fmt_add(f, l->s + i, k);
		return i + k;
	}
	if (l->open[st]) {
		if (fmt_can_close(l, i)) {
			l->open[st] = 0;
			if (!(l->heading && st == FMT_BOLD))
				fmt_mark(f, l, mark, 0, i + k);
		} else {
			fmt_add(f, l->s + i, k);
		}
		return i + k;
	}
	if (i + k < l->len && !fmt_space(l->s[i + k]) &&
	    fmt_find_closer(l, i + k, l->s + i, k, st)) {
		l->open[st] = 1;
		if (!(l->heading && st == FMT_BOLD))
			fmt_mark(f, l, mark, 1, 0);
	} else if (!(l->heading && st == FMT_BOLD)) {
		fmt_add(f, l->s + i, k);
	}
	return i + k;
}

/* The run of '~' at l->s[i]: ~~ strike, else literal. */
static size_t
fmt_strike(struct fmt *f, struct fmt_line *l, size_t i)
{
	size_t k = fmt_run(l->s, l->len, i, '~');

	if (k != 2) {
		fmt_add(f, l->s + i, k);
		return i + k;
	}
	if (l->open[FMT_STRIKE]) {
		if (fmt_can_close(l, i)) {
			l->open[FMT_STRIKE] = 0;
			fmt_mark(f, l, "~", 0, i + k);
		} else {
			fmt_add(f, l->s + i, k);
		}
		return i + k;
	}
	if (i + k < l->len && !fmt_space(l->s[i + k]) &&
	    fmt_find_closer(l, i + k, "~~", 2, FMT_STRIKE)) {
		l->open[FMT_STRIKE] = 1;
		fmt_mark(f, l, "~", 1, 0);
	} else {
		fmt_add(f, l->s + i, k);
	}
	return i + k;
}

/* Whether s[0..n) starts with a URL scheme ("https:", "mailto:"), so
 * that Slack takes <s> as a link and never as a mention or command. */
static int
fmt_has_scheme(const char *s, size_t n)
{
	size_t i;

	if (n == 0 ||
	    !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
		return 0;
	for (i = 1; i < n && s[i] != ':'; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '+' ||
		      s[i] == '.' || s[i] == '-'))
			return 0;
	}
	return i < n;
}

/*
 * [label](url) or ![alt](url) at l->s[i] as <url|label>; returns where it
 * ends, or i when there is none. The label ends at the first ']' and may
 * not hold '['; the url ends at the first ')' and may not hold blanks,
 * < > | [ ( : so no byte is read by two failed attempts.
 */
static size_t
fmt_link(struct fmt *f, const struct fmt_line *l, size_t i)
{
	const char *s = l->s;
	size_t a = i + (s[i] == '!' ? 2 : 1), b, u, e;

	for (b = a; b < l->len && s[b] != ']' && s[b] != '['; b++)
		;
	if (b + 1 >= l->len || s[b] != ']' || s[b + 1] != '(')
		return i;
	u = b + 2;
	for (e = u; e < l->len && s[e] != ')'; e++) {
		if (fmt_space(s[e]) || strchr("<>|[(", s[e]) != NULL)
			return i;
	}
	if (e == l->len || e == u)
		return i;
	if (!fmt_has_scheme(s + u, e - u)) {
		/* Not a URL Slack can open: label (url) as text. */
		fmt_escaped(f, s + a, b - a);
		fmt_puts(f, " (");
		fmt_escaped(f, s + u, e - u);
		fmt_puts(f, ")");
		return e + 1;
	}
	fmt_add(f, "<", 1);
	fmt_escaped(f, s + u, e - u);
	if (b > a) {
		fmt_add(f, "|", 1);
		fmt_escaped(f, s + a, b - a);
	}
	fmt_add(f, ">", 1);
	return e + 1;
}

/* A Markdown autolink <scheme:...> at l->s[i]; where it ends, or i. */
static size_t
fmt_autolink(struct fmt *f, const struct fmt_line *l, size_t i)
{
	const char *s = l->s;
	size_t j = i + 1, e;

	while (j < l->len &&
	       ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z')))
		j++;
	if (j - i - 1 < 2 || j >= l->len || s[j] != ':')
		return i;
	for (e = j + 1; e < l->len && s[e] != '>'; e++) {
		if (fmt_space(s[e]) || s[e] == '<' || s[e] == '|')
			return i;
	}
	if (e == l->len || e == j + 1)
		return i;
	fmt_add(f, "<", 1);
	fmt_escaped(f, s + i + 1, e - i - 1);
	fmt_add(f, ">", 1);
	return e + 1;
}

/* Slack ids are ASCII letters and digits ("U012AB3CD"). */
static int
fmt_valid_id(const char *id)
{
	size_t i;

	for (i = 0; id[i] != '\0'; i++) {
		if (i == FMT_ID_MAX || !((id[i] >= 'A' && id[i] <= 'Z') ||
					 (id[i] >= 'a' && id[i] <= 'z') ||
					 (id[i] >= '0' && id[i] <= '9')))
			return 0;
	}
	return i > 0;
}

/*
 * The @name at l->s[i] as <@ID>, <!here>, <!channel> or <!everyone>;
 * returns where what was written ends, or i when it is not a mention
 * (an e-mail address, an unknown name: the caller copies it). A name
 * unknown as written is tried again without trailing '.', '-' and '_'
 * ("ask @bob." ends a sentence).
 */
static size_t
fmt_mention(struct fmt *f, const struct fmt_line *l, size_t i)
{
	static const char *const special[] = { "here", "channel", "everyone" };
	char name[USER_NAME_MAX + 1];
	const char *id = NULL;
	size_t n = 0, n0, k;

	if (i > 0 && fmt_name_char(l->s[i - 1]))
		return i;
	while (i + 1 + n < l->len && fmt_name_char(l->s[i + 1 + n]))
		n++;
	if (n == 0 || n > USER_NAME_MAX)
		return i;
	memcpy(name, l->s + i + 1, n);
	name[n] = '\0';
	n0 = n;
	for (k = 0; k < sizeof special / sizeof special[0]; k++) {
		if (strcasecmp(name, special[k]) == 0) {
			fmt_puts(f, "<!");
			fmt_puts(f, special[k]);
			fmt_puts(f, ">");
			return i + 1 + n;
		}
	}
	if (f->lookup == NULL)
		return i;
	id = f->lookup(f->arg, name);
	if (id == NULL) {
		while (n > 0 && strchr("._-", name[n - 1]) != NULL)
			name[--n] = '\0';
		if (n == 0 || n == n0 || (id = f->lookup(f->arg, name)) == NULL)
			return i;
	}
	if (!fmt_valid_id(id))
		return i;
	fmt_puts(f, "<@");
	fmt_puts(f, id);
	fmt_puts(f, ">");
	return i + 1 + n;
}

/* One line's inline Markdown as mrkdwn (see the top of the file). */
static void
fmt_inline(struct fmt *f, const char *s, size_t len, int heading)
{
	struct fmt_line l;
	size_t i = 0, from = 0, next, k;

	memset(&l, 0, sizeof l);
	l.s = s;
	l.len = len;
	l.heading = heading;
	for (k = 0; k <= FMT_TICKS_MAX; k++)
		l.no_ticks_from[k] = SIZE_MAX;
	while (i < len) {
		char c = s[i];

		if (strchr("`*~[!<>&@\\", c) == NULL) {
			i++;
			continue;
		}
		fmt_add(f, s + from, i - from);
		next = i;
		switch (c) {
		case '`':
			next = fmt_code_span(f, &l, i);
			break;
		case '*':
			next = fmt_emphasis(f, &l, i);
			break;
		case '~':
			next = fmt_strike(f, &l, i);
			break;
		case '[':
			next = fmt_link(f, &l, i);
			break;
		case '!':
			if (i + 1 < len && s[i + 1] == '[')
				next = fmt_link(f, &l, i);
			break;
		case '<':
			next = fmt_autolink(f, &l, i);
			break;
		case '@':
			next = fmt_mention(f, &l, i);
			break;
		case '\\':
			if (i + 1 < len && fmt_punct(s[i + 1])) {
				fmt_escaped(f, s + i + 1, 1);
				next = i + 2;
			}
			break;
		}
		if (next == i) {
			/* Not markup: the character itself. */
			fmt_escaped(f, s + i, 1);
			next = i + 1;
		}
		i = from = next;
	}
	fmt_add(f, s + from, i - from);
	/* A style whose closer a code span or link took: end it here. */
	if (l.open[FMT_STRIKE])
		fmt_add(f, "~", 1);
	if (l.open[FMT_ITALIC])
		fmt_add(f, "_", 1);
	if (l.open[FMT_BOLD] && !heading)
		fmt_add(f, "*", 1);
}

/* A heading line (n '#' after the indentation) as one bold line. */
static void
fmt_heading(struct fmt *f, const char *s, size_t len, size_t n)
{
	size_t a = fmt_indent(s, len) + n, e = len, k;

	while (a < len && (s[a] == ' ' || s[a] == '\t'))
		a++;
	while (e > a && (s[e - 1] == ' ' || s[e - 1] == '\t'))
		e--;
	/* The optional closing '#'s, when a blank comes before them. */
	k = e;
	while (k > a && s[k - 1] == '#')
		k--;
	if (k < e && (k == a || s[k - 1] == ' ' || s[k - 1] == '\t')) {
		e = k;
		while (e > a && (s[e - 1] == ' ' || s[e - 1] == '\t'))
			e--;
	}
	if (e == a)
		return;
	fmt_add(f, "*", 1);
	fmt_inline(f, s + a, e - a, 1);
	fmt_add(f, "*", 1);
}

/* A "- ", "* " or "+ " item as "• "; 0 when the line is not one. */
static int
fmt_list_item(struct fmt *f, const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && s[i] == ' ')
		i++;
	if (i >= len || strchr("-*+", s[i]) == NULL)
		return 0;
	if (i + 1 < len && s[i + 1] != ' ' && s[i + 1] != '\t')
		return 0;
	fmt_add(f, s, i);
	if (i + 1 >= len) {
		fmt_puts(f, "\xe2\x80\xa2"); /* an empty item */
		return 1;
	}
	fmt_puts(f, FMT_BULLET);
	i += 2;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	fmt_inline(f, s + i, len - i, 0);
	return 1;
}

/* Where the line after the one at pos starts; *line_len without "\r\n". */
static size_t
fmt_next_line(const char *s, size_t len, size_t pos, size_t *line_len)
{
	const char *nl = memchr(s + pos, '\n', len - pos);
	size_t end = nl != NULL ? (size_t)(nl - s) : len;

	*line_len = end - pos;
	if (*line_len > 0 && s[end - 1] == '\r')
		(*line_len)--;
	return nl != NULL ? end + 1 : len;
}

/* The level of the heading line s[0..len) ("## x": 2), 0 if not one. */
static size_t
fmt_heading_level(const char *s, size_t len)
{
	size_t h = fmt_indent(s, len), n = fmt_run(s, len, h, '#');

	if (n == 0 || n > 6)
		return 0;
	if (h + n < len && s[h + n] != ' ' && s[h + n] != '\t')
		return 0;
	return n;
}

char *
slack_format_post(const char *markdown, slack_user_id_fn lookup, void *arg)
{
	struct fmt f;
	char *copy = NULL;
	const char *s = markdown, *line;
	size_t len = strlen(markdown), pos = 0, next, n, h, sep_len, level;
	int in_fence = 0;

	if (!utf8_valid(s, len))
		s = copy = fmt_sanitize(markdown, len);
	len = strlen(s);
	memset(&f, 0, sizeof f);
	buf_init(&f.out, FMT_BUF_MAX);
	buf_add(&f.out, "", 0);
	f.lookup = lookup;
	f.arg = arg;
	while (pos < len) {
		next = fmt_next_line(s, len, pos, &n);
		line = s + pos;
		h = fmt_indent(line, n);
		level = fmt_heading_level(line, n);
		if (in_fence) {
			if (fmt_is_fence_close(line, n)) {
				fmt_puts(&f, "```");
				in_fence = 0;
			} else {
				fmt_escaped(&f, line, n);
			}
		} else if (fmt_is_fence_open(line, n)) {
			fmt_puts(&f, "```");
			in_fence = 1;
		} else if (fmt_is_table_row(line, n) && next < len &&
			   (fmt_next_line(s, len, next, &sep_len),
			    fmt_is_table_sep(s + next, sep_len))) {
			next = fmt_table(&f, s, len, pos);
		} else if (level != 0) {
			fmt_heading(&f, line, n, level);
		} else if (fmt_is_rule(line, n)) {
			fmt_puts(&f, FMT_RULE);
		} else if (fmt_list_item(&f, line, n)) {
			/* written */
		} else if (h < n && line[h] == '>') {
			fmt_add(&f, ">", 1);
			fmt_inline(&f, line + h + 1, n - h - 1, 0);
		} else {
			fmt_inline(&f, line, n, 0);
		}
		if (next < len ||
		    (next == len && len > 0 && s[len - 1] == '\n'))
			fmt_add(&f, "\n", 1);
		pos = next;
	}
	if (in_fence) {
		if (f.out.len > 0 && f.out.data[f.out.len - 1] != '\n')
			fmt_add(&f, "\n", 1);
		fmt_puts(&f, "```");
	}
	free(copy);
	return buf_detach(&f.out);
}

/* Whether the line at s[k] is exactly "```" (a code block's edge). */
static int
split_is_fence(const char *s, size_t len, size_t k)
{
	return (k == 0 || s[k - 1] == '\n') && len - k >= 3 &&
	       memcmp(s + k, "```", 3) == 0 &&
	       (len - k == 3 || s[k + 3] == '\n');
}

/*
 * Whether a part may end at s[c] inside a line: on a character boundary,
 * not inside an &entity; and with no backtick on either side (half a run
 * of backticks could make a line that reads "```" in one of the parts).
 */
static int
split_ok(const char *s, size_t pos, size_t c)
{
	size_t j;

	if (((unsigned char)s[c] & 0xc0) == 0x80 || s[c] == '`' ||
	    s[c - 1] == '`')
		return 0;
	for (j = c; j > pos && c - j < 6; j--) {
		if (s[j - 1] == ';')
			break;
		if (s[j - 1] == '&')
			return 0;
	}
	return 1;
}

/*
 * Where a part ends inside a line, at most at cut: after the last blank
 * where split_ok(), else at the last place where it is, never inside a
 * <...> sequence that started in the part. When there is no such place
 * (a line of backticks, invalid input), near cut, and never so that a
 * part's first or last line reads "```".
 */
static size_t
split_inline(const char *s, size_t pos, size_t cut)
{
	size_t k, top = cut, first = 0;

	for (k = cut; k > pos; k--) {
		if (s[k - 1] == '>')
			break;
		if (s[k - 1] == '<') {
			if (k - 1 > pos)
				top = k - 1;
			break;
		}
	}
	for (k = top; k > pos; k--) {
		if (!split_ok(s, pos, k))
			continue;
		if (s[k - 1] == ' ')
			return k;
		if (first == 0)
			first = k;
	}
	if (first != 0)
		return first;
	k = cut;
	if (k - pos >= 3 && memcmp(s + k - 3, "```", 3) == 0 &&
	    (k - 3 == pos || s[k - 4] == '\n'))
		k--;
	if (memcmp(s + k, "```", 3) == 0 &&
	    (s[k + 3] == '\n' || s[k + 3] == '\0'))
		k--;
	while (k > pos && ((unsigned char)s[k] & 0xc0) == 0x80)
		k--;
	return k > pos ? k : cut;
}

/*
 * Where the part of at most budget bytes starting at s[pos] (not a
 * newline) ends, the rest being longer: at a blank line, a newline, or
 * inside a line (split_inline()), in that order of preference.
 */
static size_t
split_cut(const char *s, size_t len, size_t pos, size_t budget)
{
	size_t end = pos + budget, i, cut;

	for (i = end; i > pos + 1; i--) {
		if (s[i] == '\n' && s[i - 1] == '\n')
			return i - 1;
	}
	for (i = end; i > pos; i--) {
		if (s[i] == '\n')
			return i;
	}
	cut = pos + utf8_cut(s + pos, len - pos, budget);
	if (cut == pos)
		cut = end;
	return split_inline(s, pos, cut);
}

/* Whether a code block is open after s[pos..cut), given in_code before. */
static int
split_code_after(const char *s, size_t len, size_t pos, size_t cut, int in_code)
{
	size_t k;

	for (k = pos; k + 3 <= cut; k++) {
		if (split_is_fence(s, len, k))
			in_code = !in_code;
	}
	return in_code;
}

size_t
slack_split_post(const char *mrkdwn, size_t max, char ***parts)
{
	const char *s = mrkdwn;
	size_t len = strlen(mrkdwn), pos = 0, n = 0, alloc = 0, cut, budget;
	int in_code = 0, after;
	char **out = NULL;
	struct buf b;

	if (max < SLACK_SPLIT_MIN)
		max = SLACK_SPLIT_MIN;
	while (pos < len && s[pos] == '\n')
		pos++;
	while (pos < len) {
		/* A block that would reopen only to close again at once. */
		if (in_code && split_is_fence(s, len, pos)) {
			in_code = 0;
			pos += 3;
			while (pos < len && s[pos] == '\n')
				pos++;
			continue;
		}
		budget = max - (in_code ? 4 : 0);
		if (len - pos <= budget) {
			cut = len;
		} else {
			budget -= 4; /* room for closing a block */
			cut = split_cut(s, len, pos, budget);
		}
		after = split_code_after(s, len, pos, cut, in_code);
		/* A part that would be the line opening a block alone: the
		 * next part opens it anyway. */
		if (after && !in_code && cut - pos == 3 && cut < len) {
			in_code = 1;
			pos = cut;
			while (pos < len && s[pos] == '\n')
				pos++;
			continue;
		}
		/* A part that would end with the line opening a block. */
		if (after && cut - pos > 3 && split_is_fence(s, len, cut - 3) &&
		    s[cut - 4] == '\n') {
			cut -= 4;
			after = split_code_after(s, len, pos, cut, in_code);
		}
		buf_init(&b, FMT_BUF_MAX);
		buf_add(&b, "", 0);
		if (in_code)
			buf_add(&b, "```\n", 4);
		buf_add(&b, s + pos, cut - pos);
		if (after && cut < len)
			buf_add(&b, "\n```", 4);
		if (n == alloc) {
			alloc = alloc == 0 ? 4 : alloc * 2;
			out = xreallocarray(out, alloc, sizeof *out);
		}
		out[n++] = buf_detach(&b);
		in_code = after;
		pos = cut;
		while (pos < len && s[pos] == '\n')
			pos++;
	}
	*parts = out;
	return n;
}

/* The characters of a Slack id (user, channel, subteam). */
static int
text_id_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9');
}

/* Append s[0..n) to b with &amp; &lt; &gt; decoded. */
static void
text_decode(struct buf *b, const char *s, size_t n)
{
	static const struct {
		const char *entity;
		char c;
	} ent[] = { { "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' } };
	size_t i = 0, from = 0, k, el;

	while (i < n) {
		if (s[i] != '&') {
			i++;
			continue;
		}
		for (k = 0; k < sizeof ent / sizeof ent[0]; k++) {
			el = strlen(ent[k].entity);
			if (n - i >= el &&
			    memcmp(s + i, ent[k].entity, el) == 0)
				break;
		}
		if (k == sizeof ent / sizeof ent[0]) {
			i++;
			continue;
		}
		buf_add(b, s + from, i - from);
		buf_add(b, &ent[k].c, 1);
		i += el;
		from = i;
	}
	buf_add(b, s + from, n - from);
}

/* Note user id[0..n) (named name, or NULL) among out's mentions. */
static void
text_mention(struct slack_text *out, const char *id, size_t n, const char *name)
{
	struct slack_text_mention *m;
	size_t i;

	for (i = 0; i < out->n_mentions; i++) {
		m = &out->mentions[i];
		if (strlen(m->user_id) == n && memcmp(m->user_id, id, n) == 0)
			break;
	}
	if (i == out->n_mentions) {
		if (i == CHAT_MENTIONS_MAX)
			return;
		m = &out->mentions[out->n_mentions++];
		m->user_id = xstrndup(id, n);
		m->name = NULL;
		out->missing++;
	}
	m = &out->mentions[i];
	if (m->name == NULL && name != NULL) {
		m->name = xstrdup(name);
		out->missing--;
	}
}

/* Whether the label of <url|label> says all the url does ("x.com" for
 * "http://x.com", "a@b.c" for "mailto:a@b.c"). */
static int
text_is_plain_label(const char *url, size_t un, const char *label, size_t ln)
{
	static const char *const prefix[] = { "", "http://", "https://",
					      "mailto:", "tel:" };
	size_t k, pl;

	for (k = 0; k < sizeof prefix / sizeof prefix[0]; k++) {
		pl = strlen(prefix[k]);
		if (un == pl + ln && memcmp(url, prefix[k], pl) == 0 &&
		    memcmp(url + pl, label, ln) == 0)
			return 1;
	}
	return 0;
}

/*
 * The control sequence s[0..n) (between '<' and '>', n > 0) written to b
 * as plain text; 0 (nothing written) when it is not a well-formed one.
 */
static int
text_sequence(struct buf *b, const char *s, size_t n,
	      slack_user_name_fn resolve, void *arg, struct slack_text *out)
{
	static const char *const bcast[] = { "here", "channel", "everyone" };
	const char *bar = memchr(s, '|', n), *label = NULL, *name = NULL;
	size_t head = bar != NULL ? (size_t)(bar - s) : n, ln = 0, i;
	char id[FMT_ID_MAX + 1];
	struct buf nb;

	if (bar != NULL) {
		label = bar + 1;
		ln = n - head - 1;
	}
	if (s[0] == '@' || s[0] == '#') {
		if (head < 2 || head - 1 > FMT_ID_MAX)
			return 0;
		for (i = 1; i < head; i++) {
			if (!text_id_char(s[i]))
				return 0;
		}
		if (s[0] == '#') {
			buf_add(b, "#", 1);
			if (ln > 0)
				text_decode(b, label, ln);
			else
				buf_add(b, s + 1, head - 1);
			return 1;
		}
		if (ln > 0 && label[0] == '@') {
			label++;
			ln--;
		}
		buf_init(&nb, FMT_BUF_MAX);
		if (ln > 0) {
			text_decode(&nb, label, ln);
			name = buf_str(&nb);
		} else if (resolve != NULL) {
			memcpy(id, s + 1, head - 1);
			id[head - 1] = '\0';
			name = resolve(arg, id);
			if (name != NULL && name[0] == '@')
				name++;
			if (name != NULL && (name[0] == '\0' ||
					     !utf8_valid(name, strlen(name))))
				name = NULL;
		}
		text_mention(out, s + 1, head - 1, name);
		if (name != NULL) {
			buf_add(b, "@", 1);
			buf_puts(b, name);
		} else {
			buf_add(b, "<", 1);
			buf_add(b, s, head);
			buf_add(b, ">", 1);
		}
		buf_release(&nb);
		return 1;
	}
	if (s[0] == '!') {
		for (i = 0; i < sizeof bcast / sizeof bcast[0]; i++) {
			if (head - 1 == strlen(bcast[i]) &&
			    memcmp(s + 1, bcast[i], head - 1) == 0) {
				buf_add(b, "@", 1);
				buf_puts(b, bcast[i]);
				return 1;
			}
		}
		/* <!subteam^S1|@team>, <!date^...|fallback>: the label;
		 * without one, nothing. */
		if (ln > 0)
			text_decode(b, label, ln);
		return 1;
	}
	/* A link: the url needs a scheme and no blanks. */
	if (head < 2 || memchr(s, ':', head) == NULL)
		return 0;
	for (i = 0; i < head; i++) {
		if (fmt_space(s[i]))
			return 0;
	}
	if (ln == 0) {
		text_decode(b, s, head);
	} else if (text_is_plain_label(s, head, label, ln)) {
		text_decode(b, label, ln);
	} else {
		text_decode(b, label, ln);
		buf_puts(b, " (");
		text_decode(b, s, head);
		buf_puts(b, ")");
	}
	return 1;
}

int
slack_text_parse(const char *in, size_t len, size_t max,
		 slack_user_name_fn resolve, void *arg, struct slack_text *out,
		 char **cause)
{
	struct buf b;
	size_t i = 0, from = 0, e;

	memset(out, 0, sizeof *out);
	if (len > max)
		return set_cause(cause,
				 "text is too long (%zu bytes, at most %zu)",
				 len, max);
	if (!utf8_valid(in, len))
		return set_cause(cause, "text is not valid UTF-8");
	buf_init(&b, FMT_BUF_MAX);
	buf_add(&b, "", 0);
	while (i < len) {
		if (in[i] != '<') {
			i++;
			continue;
		}
		/* The sequence ends at the next '>', unless a '<' or a
		 * newline comes first: then it is not one. */
		e = i + 1;
		while (e < len && in[e] != '>' && in[e] != '<' && in[e] != '\n')
			e++;
		if (e == len || in[e] != '>' || e == i + 1) {
			i = e;
			continue;
		}
		text_decode(&b, in + from, i - from);
		if (text_sequence(&b, in + i + 1, e - i - 1, resolve, arg,
				  out) == 0)
			text_decode(&b, in + i, e + 1 - i);
		i = from = e + 1;
	}
	text_decode(&b, in + from, len - from);
	out->text = buf_detach(&b);
	return 0;
}

void
slack_text_release(struct slack_text *t)
{
	size_t i;

	if (t == NULL)
		return;
	free(t->text);
	for (i = 0; i < t->n_mentions && i < CHAT_MENTIONS_MAX; i++) {
		free(t->mentions[i].name);
		free(t->mentions[i].user_id);
	}
	memset(t, 0, sizeof *t);
}
