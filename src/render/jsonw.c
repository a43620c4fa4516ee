/* SPDX-License-Identifier: MIT */
/*
 * jsonw.c: the streaming JSON writer; see jsonw.h.
 *
 * Each open container remembers its kind and how many members it holds,
 * which is all the writer needs to place commas, newlines and indentation
 * and to catch misuse. Output goes through buf_add(), so the cap holds;
 * the first append that would pass it sets w->full and the rest of the
 * document is skipped.
 */

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lihui/jsonw.h"
#include "lihui/log.h"
#include "lihui/utf8.h"
#include "lihui/xmalloc.h"

static void jsonw_add(struct jsonw *w, const char *s, size_t len);
static void jsonw_indent(struct jsonw *w);
static void jsonw_value(struct jsonw *w);
static void jsonw_after(struct jsonw *w);
static void jsonw_begin(struct jsonw *w, char kind);
static void jsonw_end(struct jsonw *w, char kind);
static size_t jsonw_seq_len(const unsigned char *p, size_t left);
static void jsonw_quote(struct jsonw *w, const char *s, size_t len);

void
jsonw_init(struct jsonw *w, size_t max)
{
	memset(w, 0, sizeof *w);
	buf_init(&w->out, max);
}

void
jsonw_release(struct jsonw *w)
{
	buf_release(&w->out);
}

/* Append len bytes of s, unless the cap was reached. */
static void
jsonw_add(struct jsonw *w, const char *s, size_t len)
{
	if (w->full)
		return;
	if (buf_add(&w->out, s, len) != 0)
		w->full = 1;
}

/* A newline and two spaces per open container. */
static void
jsonw_indent(struct jsonw *w)
{
	int i;

	jsonw_add(w, "\n", 1);
	for (i = 0; i < w->depth; i++)
		jsonw_add(w, "  ", 2);
}

/* Where a value may go now: after a key, in an array, or at the top. */
static void
jsonw_value(struct jsonw *w)
{
	if (w->done)
		BUG("JSON value after the document's end");
	if (w->depth == 0)
		return;
	if (w->kind[w->depth - 1] == '{') {
		if (!w->want_value)
			BUG("JSON value in an object without a key");
		w->want_value = 0;
		return;
	}
	if (w->count[w->depth - 1]++ > 0)
		jsonw_add(w, ",", 1);
	jsonw_indent(w);
}

/* The top-level value is complete when nothing is left open. */
static void
jsonw_after(struct jsonw *w)
{
	if (w->depth == 0)
		w->done = 1;
}

static void
jsonw_begin(struct jsonw *w, char kind)
{
	jsonw_value(w);
	if (w->depth == JSONW_DEPTH)
		BUG("JSON nested too deep");
	jsonw_add(w, kind == '{' ? "{" : "[", 1);
	w->kind[w->depth] = kind;
	w->count[w->depth] = 0;
	w->depth++;
}

static void
jsonw_end(struct jsonw *w, char kind)
{
	if (w->depth == 0 || w->kind[w->depth - 1] != kind)
		BUG("JSON container closed but not open");
	if (w->want_value)
		BUG("JSON object closed after a key without its value");
	w->depth--;
	if (w->count[w->depth] > 0)
		jsonw_indent(w);
	jsonw_add(w, kind == '{' ? "}" : "]", 1);
	jsonw_after(w);
}

void
jsonw_object_begin(struct jsonw *w)
{
	jsonw_begin(w, '{');
}

void
jsonw_object_end(struct jsonw *w)
{
	jsonw_end(w, '{');
}

void
jsonw_array_begin(struct jsonw *w)
{
	jsonw_begin(w, '[');
}

void
jsonw_array_end(struct jsonw *w)
{
	jsonw_end(w, '[');
}

void
jsonw_key(struct jsonw *w, const char *key)
{
	if (w->depth == 0 || w->kind[w->depth - 1] != '{')
		BUG("JSON key outside an object");
	if (w->want_value)
		BUG("JSON key after a key without its value");
	if (w->count[w->depth - 1]++ > 0)
		jsonw_add(w, ",", 1);
	jsonw_indent(w);
	jsonw_quote(w, key, strlen(key));
	jsonw_add(w, ": ", 2);
	w->want_value = 1;
}

/*
 * The length of the valid UTF-8 sequence at p (of left bytes), or 0 when
 * the byte at p does not start one.
 */
static size_t
jsonw_seq_len(const unsigned char *p, size_t left)
{
	size_t n;

	if (*p < 0x80)
		return 1;
	if (*p >= 0xc2 && *p <= 0xdf)
		n = 2;
	else if (*p >= 0xe0 && *p <= 0xef)
		n = 3;
	else if (*p >= 0xf0 && *p <= 0xf4)
		n = 4;
	else
		return 0;
	if (n > left || !utf8_valid((const char *)p, n))
		return 0;
	return n;
}

/* s[0..len) as a JSON string, in quotes. */
static void
jsonw_quote(struct jsonw *w, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run, n;
	char esc[7];

	jsonw_add(w, "\"", 1);
	while (i < len) {
		/* Copy the longest run that needs no escaping at once. */
		for (run = i; run < len; run += n) {
			if (p[run] < 0x20 || p[run] == '"' || p[run] == '\\')
				break;
			n = jsonw_seq_len(p + run, len - run);
			if (n == 0)
				break;
		}
		jsonw_add(w, s + i, run - i);
		i = run;
		if (i == len)
			break;
		switch (p[i]) {
		case '"':
			jsonw_add(w, "\\\"", 2);
			break;
		case '\\':
			jsonw_add(w, "\\\\", 2);
			break;
		case '\n':
			jsonw_add(w, "\\n", 2);
			break;
		case '\r':
			jsonw_add(w, "\\r", 2);
			break;
		case '\t':
			jsonw_add(w, "\\t", 2);
			break;
		case '\b':
			jsonw_add(w, "\\b", 2);
			break;
		case '\f':
			jsonw_add(w, "\\f", 2);
			break;
		default:
			if (p[i] < 0x20) {
				memcpy(esc, "\\u00", 4);
				esc[4] = hex[p[i] >> 4];
				esc[5] = hex[p[i] & 0xf];
				jsonw_add(w, esc, 6);
			} else {
				/* Not valid UTF-8: U+FFFD instead. */
				jsonw_add(w, "\\ufffd", 6);
			}
			break;
		}
		i++;
	}
	jsonw_add(w, "\"", 1);
}

void
jsonw_string_len(struct jsonw *w, const char *s, size_t len)
{
	jsonw_value(w);
	jsonw_quote(w, s, len);
	jsonw_after(w);
}

void
jsonw_string(struct jsonw *w, const char *s)
{
	if (s == NULL)
		jsonw_null(w);
	else
		jsonw_string_len(w, s, strlen(s));
}

void
jsonw_int(struct jsonw *w, int64_t v)
{
	char num[32];
	int n;

	jsonw_value(w);
	n = snprintf(num, sizeof num, "%" PRId64, v);
	jsonw_add(w, num, (size_t)n);
	jsonw_after(w);
}

void
jsonw_double(struct jsonw *w, double v)
{
	char num[40];
	int n;

	if (!isfinite(v)) {
		jsonw_null(w);
		return;
	}
	jsonw_value(w);
	/* %.17g reads back to the same double; it never prints "inf". */
	n = snprintf(num, sizeof num, "%.17g", v);
	jsonw_add(w, num, (size_t)n);
	jsonw_after(w);
}

void
jsonw_bool(struct jsonw *w, int v)
{
	jsonw_value(w);
	if (v)
		jsonw_add(w, "true", 4);
	else
		jsonw_add(w, "false", 5);
	jsonw_after(w);
}

void
jsonw_null(struct jsonw *w)
{
	jsonw_value(w);
	jsonw_add(w, "null", 4);
	jsonw_after(w);
}

void
jsonw_kv_string(struct jsonw *w, const char *key, const char *s)
{
	jsonw_key(w, key);
	jsonw_string(w, s);
}

void
jsonw_kv_int(struct jsonw *w, const char *key, int64_t v)
{
	jsonw_key(w, key);
	jsonw_int(w, v);
}

void
jsonw_kv_bool(struct jsonw *w, const char *key, int v)
{
	jsonw_key(w, key);
	jsonw_bool(w, v);
}

char *
jsonw_finish(struct jsonw *w, char **cause)
{
	if (!w->done)
		BUG("JSON document not complete");
	jsonw_add(w, "\n", 1);
	if (w->full) {
		set_cause(cause, "JSON document larger than %zu bytes",
			  w->out.max);
		buf_release(&w->out);
		return NULL;
	}
	return buf_detach(&w->out);
}
