/* SPDX-License-Identifier: MIT */
/*
 * args.c: splits command text into words; see args.h.
 *
 * The text was already checked to be valid UTF-8 and under the length cap
 * by the dispatcher; args_parse() itself still only walks bytes it was
 * given, so it is safe on any NUL-terminated input (tests/fuzz/fuzz-args).
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lihui/args.h"
#include "lihui/catalog.h"
#include "lihui/xmalloc.h"

/* U+3000 IDEOGRAPHIC SPACE, and the Chinese quotation marks. */
#define IDEO_SPACE "\xe3\x80\x80"
#define CJK_LQUOTE "\xe2\x80\x9c"
#define CJK_RQUOTE "\xe2\x80\x9d"

/* Length of the white space at s (0 if none). */
static size_t
args_space_len(const char *s)
{
	if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\v' ||
	    *s == '\f')
		return 1;
	if (strncmp(s, IDEO_SPACE, 3) == 0)
		return 3;
	return 0;
}

/* Length of an opening quote at s, and its closing form in *close. */
static size_t
args_quote_len(const char *s, const char **close)
{
	if (*s == '"') {
		*close = "\"";
		return 1;
	}
	if (strncmp(s, CJK_LQUOTE, 3) == 0) {
		*close = CJK_RQUOTE;
		return 3;
	}
	return 0;
}

/* len without the white space that ends s[0..len). */
static size_t
args_trim_end(const char *s, size_t len)
{
	for (;;) {
		if (len >= 1 && args_space_len(s + len - 1) == 1)
			len--;
		else if (len >= 3 && strncmp(s + len - 3, IDEO_SPACE, 3) == 0)
			len -= 3;
		else
			return len;
	}
}

/* Copy of s with surrounding white space removed. */
static char *
args_trim(const char *s)
{
	size_t n;

	while ((n = args_space_len(s)) != 0)
		s += n;
	return xstrndup(s, args_trim_end(s, strlen(s)));
}

int
args_parse(struct args *a, const char *text, char **cause)
{
	const char *p, *close;
	size_t n, q;
	char *word;
	size_t wlen;

	memset(a, 0, sizeof *a);
	a->text = args_trim(text);
	p = a->text;
	for (;;) {
		while ((n = args_space_len(p)) != 0)
			p += n;
		if (*p == '\0')
			return 0;
		if (a->argc == ARGS_MAX) {
			args_release(a);
			return set_cause(cause, "%s", N_("too many words"));
		}
		a->start[a->argc] = (size_t)(p - a->text);
		word = xmalloc(strlen(p) + 1);
		wlen = 0;
		while (*p != '\0' && args_space_len(p) == 0) {
			q = args_quote_len(p, &close);
			if (q == 0) {
				word[wlen++] = *p++;
				continue;
			}
			p += q;
			while (*p != '\0' && strncmp(p, close, strlen(close)))
				word[wlen++] = *p++;
			if (*p == '\0') {
				free(word);
				args_release(a);
				return set_cause(cause, "%s",
						 N_("a quote is not closed"));
			}
			p += strlen(close);
		}
		word[wlen] = '\0';
		a->argv[a->argc++] = word;
	}
}

void
args_release(struct args *a)
{
	int i;

	for (i = 0; i < a->argc; i++)
		free(a->argv[i]);
	free(a->text);
	memset(a, 0, sizeof *a);
}

const char *
args_rest(const struct args *a, int i)
{
	if (i < 0 || i >= a->argc)
		return "";
	return a->text + a->start[i];
}

char *
args_span(const struct args *a, int from, int to)
{
	size_t start, end;

	if (from < 0 || from >= a->argc || to <= from)
		return xstrdup("");
	start = a->start[from];
	end = to < a->argc ? a->start[to] : strlen(a->text);
	return xstrndup(a->text + start,
			args_trim_end(a->text + start, end - start));
}

void
args_shift(struct args *a)
{
	int i;

	if (a->argc == 0)
		return;
	free(a->argv[0]);
	for (i = 1; i < a->argc; i++) {
		a->argv[i - 1] = a->argv[i];
		a->start[i - 1] = a->start[i];
	}
	a->argc--;
}

int
args_int(const char *word, long min, long max, long *out)
{
	char *end;
	long v;

	if (*word < '0' || *word > '9')
		return -1;
	errno = 0;
	v = strtol(word, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}
