/* SPDX-License-Identifier: MIT */
/*
 * fuzz-args.c: libFuzzer target for args_parse() and the report parsers
 * that run on its words.
 *
 * Arbitrary bytes (a NUL-terminated copy, so not necessarily UTF-8) are
 * split into words, and the contract is checked: on failure a cause and
 * empty args; on success at most ARGS_MAX words, each starting inside the
 * trimmed text in increasing order, args_rest() agreeing with the offsets
 * through args_shift(). Every word then goes through report_parse_metric(),
 * report_parse_mention() and args_int(), and the whole text through
 * report_sections_parse(), whose results must respect their limits.
 */

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lihui/args.h"
#include "lihui/report.h"
#include "lihui/store.h"

/* Longer input teaches nothing new: the dispatcher caps text at 4000. */
#define FUZZ_ARGS_MAX_INPUT (16 * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_metric(const char *word)
{
	struct metric_value v;
	char *cause = NULL;
	size_t n;
	int rc;

	memset(&v, 0, sizeof v);
	rc = report_parse_metric(word, &v, &cause);
	if (rc == 0) {
		n = strlen(v.name);
		if (cause != NULL || n == 0 || n > METRIC_NAME_MAX ||
		    strchr(v.name, '=') != NULL ||
		    strlen(v.unit) > METRIC_UNIT_MAX || !isfinite(v.value) ||
		    strncmp(word, v.name, n) != 0 || word[n] != '=')
			abort();
		return;
	}
	if ((rc != METRIC_NOT_PAIR && rc != METRIC_BAD_NAME &&
	     rc != METRIC_BAD_VALUE) ||
	    cause == NULL || strlen(cause) > 256)
		abort();
	free(cause);
}

static void
check_word(const char *word)
{
	char name[USER_NAME_MAX + 1];
	long v;

	check_metric(word);
	if (report_parse_mention(word, name) &&
	    (strlen(name) == 0 || strlen(name) > USER_NAME_MAX ||
	     strcmp(word + 1, name) != 0))
		abort();
	if (args_int(word, 1, 1000, &v) == 0 && (v < 1 || v > 1000))
		abort();
}

/* The offsets and args_rest() of a agree, word by word. */
static void
check_offsets(const struct args *a)
{
	size_t len = strlen(a->text);
	int i;

	if (a->argc < 0 || a->argc > ARGS_MAX)
		abort();
	for (i = 0; i < a->argc; i++) {
		if (a->argv[i] == NULL || a->start[i] >= len ||
		    (i > 0 && a->start[i] <= a->start[i - 1]) ||
		    strlen(a->argv[i]) > len ||
		    args_rest(a, i) != a->text + a->start[i])
			abort();
	}
	if (*args_rest(a, a->argc) != '\0' || *args_rest(a, -1) != '\0')
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct args a;
	char *text, *cause = NULL;
	unsigned sections;
	int i;

	if (size > FUZZ_ARGS_MAX_INPUT)
		return 0;
	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	if (args_parse(&a, text, &cause) != 0) {
		if (cause == NULL || a.argc != 0)
			abort();
		free(cause);
		args_release(&a);
	} else {
		if (cause != NULL)
			abort();
		check_offsets(&a);
		for (i = 0; i < a.argc; i++)
			check_word(a.argv[i]);
		while (a.argc > 0) {
			args_shift(&a);
			check_offsets(&a);
		}
		args_release(&a);
	}

	cause = NULL;
	if (report_sections_parse(text, &sections, &cause) == 0) {
		if (cause != NULL || sections == 0 ||
		    (sections & ~SECTION_ALL) != 0)
			abort();
	} else {
		if (cause == NULL)
			abort();
		free(cause);
	}
	free(text);
	return 0;
}
