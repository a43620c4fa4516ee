/* SPDX-License-Identifier: MIT */
/*
 * utf8.h: the few UTF-8 facts lihui needs (validation, safe cut points,
 * display width for counting characters in limits).
 */
#ifndef LIHUI_UTF8_H
#define LIHUI_UTF8_H

#include <stddef.h>

/** Whether s[0..len) is well-formed UTF-8 (no overlongs, surrogates, NUL). */
int utf8_valid(const char *s, size_t len);
/** The largest n <= max such that s[0..n) does not end inside a character. */
size_t utf8_cut(const char *s, size_t len, size_t max);
/** Length of the sequence that starts with byte c, or 0 if c cannot
 * start one (a continuation byte, 0xc0, 0xc1, 0xf5..0xff). */
size_t utf8_seq_len(unsigned char c);
/** Number of code points in a valid UTF-8 string. */
size_t utf8_count(const char *s, size_t len);

#endif
