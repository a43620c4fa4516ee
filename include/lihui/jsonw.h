/* SPDX-License-Identifier: MIT */
/*
 * jsonw.h: a small streaming JSON writer for the core (pure: no I/O).
 *
 * The executable's core does not link json-c (only the network module
 * does), yet `lihui export --format json` must write a correct document.
 * jsonw appends to a capped struct buf, indented by two spaces per level
 * so a person can read the export: strings are escaped as RFC 8259 asks
 * (quote, backslash, the control characters U+0000..U+001F), valid UTF-8
 * passes through as is, and a byte that does not start a valid UTF-8
 * sequence becomes U+FFFD, so the output is always valid UTF-8 JSON.
 * Integers are written exactly; a double that is not finite becomes null.
 *
 * Usage: jsonw_init(), then values; inside an object each value follows
 * a jsonw_key(). Misuse (a key outside an object, a value without a key,
 * closing what is not open, nesting deeper than JSONW_DEPTH) is a
 * programmer error and hits BUG(). Going over the buffer's cap is not:
 * every later call does nothing and jsonw_finish() fails.
 */
#ifndef LIHUI_JSONW_H
#define LIHUI_JSONW_H

#include <stddef.h>
#include <stdint.h>

#include "lihui/buf.h"

/* The deepest nesting of arrays and objects. */
#define JSONW_DEPTH 32

struct jsonw {
	struct buf out;
	int depth;		/* open containers */
	char kind[JSONW_DEPTH]; /* '{' or '[' per open container */
	int count[JSONW_DEPTH]; /* values (or keys) written in each */
	int want_value;		/* a key was written, its value is due */
	int done;		/* the top-level value is complete */
	int full;		/* the cap was reached */
};

/** Start a document of at most max bytes. */
void jsonw_init(struct jsonw *w, size_t max);
/** Free what w holds (after jsonw_finish() too). */
void jsonw_release(struct jsonw *w);

void jsonw_object_begin(struct jsonw *w);
void jsonw_object_end(struct jsonw *w);
void jsonw_array_begin(struct jsonw *w);
void jsonw_array_end(struct jsonw *w);
/** The name of the next member of the open object. */
void jsonw_key(struct jsonw *w, const char *key);

/** A string; NULL writes null. */
void jsonw_string(struct jsonw *w, const char *s);
/** A string of len bytes (it need not be NUL-terminated nor hold no NUL). */
void jsonw_string_len(struct jsonw *w, const char *s, size_t len);
void jsonw_int(struct jsonw *w, int64_t v);
/** A number with up to 17 significant digits; NaN and infinities: null. */
void jsonw_double(struct jsonw *w, double v);
void jsonw_bool(struct jsonw *w, int v);
void jsonw_null(struct jsonw *w);

/*
 * Shorthands for a member of the open object: jsonw_key() and the value.
 */
void jsonw_kv_string(struct jsonw *w, const char *key, const char *s);
void jsonw_kv_int(struct jsonw *w, const char *key, int64_t v);
void jsonw_kv_bool(struct jsonw *w, const char *key, int v);

/**
 * The finished document with a final newline, handed over to the caller
 * (who frees it). BUG() if the top-level value is not complete; NULL and
 * *cause when it did not fit in max bytes.
 */
char *jsonw_finish(struct jsonw *w, char **cause);

#endif
