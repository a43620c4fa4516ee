/* SPDX-License-Identifier: MIT */
/*
 * utf8.c: UTF-8 validation and cut points (RFC 3629 ranges).
 */

#include "lihui/utf8.h"

size_t
utf8_seq_len(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return 2;
	if (c >= 0xe0 && c <= 0xef)
		return 3;
	if (c >= 0xf0 && c <= 0xf4)
		return 4;
	return 0;
}

int
utf8_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, n, k;

	while (i < len) {
		if (s[i] == 0)
			return 0;
		n = utf8_seq_len(s[i]);
		if (n == 0 || n > len - i)
			return 0;
		for (k = 1; k < n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
		}
		/* Overlong three- and four-byte forms, surrogates, > U+10FFFF.
		 */
		if (n == 3 && s[i] == 0xe0 && s[i + 1] < 0xa0)
			return 0;
		if (n == 3 && s[i] == 0xed && s[i + 1] >= 0xa0)
			return 0;
		if (n == 4 && s[i] == 0xf0 && s[i + 1] < 0x90)
			return 0;
		if (n == 4 && s[i] == 0xf4 && s[i + 1] >= 0x90)
			return 0;
		i += n;
	}
	return 1;
}

size_t
utf8_cut(const char *str, size_t len, size_t max)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n;

	if (len <= max)
		return len;
	n = max;
	/* Step back over continuation bytes to the start of a character. */
	while (n > 0 && (s[n] & 0xc0) == 0x80)
		n--;
	return n;
}

size_t
utf8_count(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i, count = 0;

	for (i = 0; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			count++;
	}
	return count;
}
