/* SPDX-License-Identifier: MIT */
/*
 * args.h: splitting command text into words (pure).
 *
 * Words are separated by ASCII white space or the ideographic space U+3000
 * that Chinese input methods produce; "double quotes" (ASCII or “ ”) group
 * words. Each word remembers where it started in the text, so a handler can
 * take "everything from word 1 on" exactly as the user typed it.
 */
#ifndef LIHUI_ARGS_H
#define LIHUI_ARGS_H

#include <stddef.h>

/* At most this many words are split out; more is a usage error. */
#define ARGS_MAX 64

struct args {
	int argc;
	char *argv[ARGS_MAX];	/* unquoted words, owned by the args */
	size_t start[ARGS_MAX]; /* byte offset of each word in text */
	char *text;		/* the whole text, trimmed, owned */
};

/**
 * Split text into args. -1 with *cause on an unterminated quote or more than
 * ARGS_MAX words; args is then empty but still safe to release.
 */
int args_parse(struct args *a, const char *text, char **cause);
void args_release(struct args *a);
/**
 * The text from word i to the end, as typed (quotes kept, trimmed);
 * borrowed from a; "" when i >= argc.
 */
const char *args_rest(const struct args *a, int i);
/**
 * The text of words from to to - 1 as typed (quotes kept, white space at
 * the ends removed); a new string the caller frees, "" when empty.
 */
char *args_span(const struct args *a, int from, int to);
/** Drop word 0 (the subcommand); args_rest() indices shift with it. */
void args_shift(struct args *a);
/**
 * Parse a whole word as an integer in [min, max]; -1 if it is not one.
 */
int args_int(const char *word, long min, long max, long *out);

#endif
