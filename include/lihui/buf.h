/* SPDX-License-Identifier: MIT */
/*
 * buf.h: a growable byte buffer with a hard maximum.
 *
 * Everything whose size another party controls (command text, HTTP bodies,
 * WebSocket frames, rendered posts) is collected in a struct buf whose
 * maximum is set when it is initialised; an append past the maximum fails
 * and leaves the buffer as it was. The data is always NUL-terminated.
 */
#ifndef LIHUI_BUF_H
#define LIHUI_BUF_H

#include <stddef.h>

struct buf {
	char *data; /* NUL-terminated; NULL until the first append */
	size_t len;
	size_t cap;
	size_t max; /* the most bytes len may reach */
};

/** Initialise an empty buffer that refuses to grow beyond max bytes. */
void buf_init(struct buf *b, size_t max);
/** Free the storage; the buffer is empty and reusable afterwards. */
void buf_release(struct buf *b);
/** Forget the contents but keep the storage. */
void buf_reset(struct buf *b);
/** Append len bytes; -1 (buffer unchanged) if max would be exceeded. */
int buf_add(struct buf *b, const void *data, size_t len);
/** Append a NUL-terminated string; -1 if max would be exceeded. */
int buf_puts(struct buf *b, const char *s);
/** Append formatted text; -1 (buffer unchanged) if max would be exceeded. */
int buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/** Return the contents as a string the caller frees; b is left empty. */
char *buf_detach(struct buf *b);
/** The contents as a string, borrowed until the next change ("" if none). */
const char *buf_str(const struct buf *b);

#endif
