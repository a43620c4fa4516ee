/* SPDX-License-Identifier: MIT */
/*
 * fuzz-form.c: libFuzzer target for form_parse().
 *
 * Feeds arbitrary bytes (not NUL-terminated, so ASan catches any read past
 * the length) as a form body and checks the contract. On success: at most
 * FORM_MAX_FIELDS fields, each name non-empty, within FORM_MAX_KEY bytes
 * and well-formed UTF-8, each value within FORM_MAX_VALUE bytes and
 * well-formed UTF-8; the lookups agree with the field array; and encoding
 * the fields again and parsing that gives the same fields. On failure: a
 * short, well-formed cause and an empty result. Leaks are reported by
 * libFuzzer's leak checker.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lihui/form.h"
#include "lihui/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_fields(const struct form *f);
static void check_roundtrip(const struct form *f);
static size_t encode(const char *s, char *dst);

/* Every field is within the limits and the lookups agree with the array. */
static void
check_fields(const struct form *f)
{
	const char *values[2];
	size_t i, j, klen, vlen, same;

	if (f->n > FORM_MAX_FIELDS || (f->n == 0) != (f->fields == NULL))
		abort();
	for (i = 0; i < f->n; i++) {
		klen = strlen(f->fields[i].key);
		vlen = strlen(f->fields[i].value);
		if (klen == 0 || klen > FORM_MAX_KEY ||
		    !utf8_valid(f->fields[i].key, klen))
			abort();
		if (vlen > FORM_MAX_VALUE ||
		    !utf8_valid(f->fields[i].value, vlen))
			abort();

		same = 0;
		for (j = 0; j < f->n; j++) {
			if (strcmp(f->fields[j].key, f->fields[i].key) != 0)
				continue;
			if (same == 0 &&
			    form_get(f, f->fields[i].key) != f->fields[j].value)
				abort();
			same++;
		}
		if (form_get_all(f, f->fields[i].key, values, 2) != same)
			abort();
	}
}

/* Percent-encode s into dst (3 * strlen(s) bytes); returns the length. */
static size_t
encode(const char *s, char *dst)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *u = (const unsigned char *)s;
	size_t n = 0;

	for (; *u != '\0'; u++) {
		if ((*u >= 'a' && *u <= 'z') || (*u >= 'A' && *u <= 'Z') ||
		    (*u >= '0' && *u <= '9') || *u == '-' || *u == '_' ||
		    *u == '.' || *u == '~') {
			dst[n++] = (char)*u;
		} else if (*u == ' ') {
			dst[n++] = '+';
		} else {
			dst[n++] = '%';
			dst[n++] = hex[*u >> 4];
			dst[n++] = hex[*u & 15];
		}
	}
	return n;
}

/* Encoding the fields and parsing the result gives the same fields. */
static void
check_roundtrip(const struct form *f)
{
	struct form again;
	char *body, *cause = NULL;
	size_t i, len = 0, cap = 1;

	for (i = 0; i < f->n; i++)
		cap += 3 * (strlen(f->fields[i].key) +
			    strlen(f->fields[i].value)) +
		       2;
	body = malloc(cap);
	if (body == NULL)
		return;
	for (i = 0; i < f->n; i++) {
		if (i > 0)
			body[len++] = '&';
		len += encode(f->fields[i].key, body + len);
		body[len++] = '=';
		len += encode(f->fields[i].value, body + len);
	}
	if (len > FORM_MAX_BODY) {
		free(body);
		return;
	}
	if (form_parse(body, len, &again, &cause) != 0 || again.n != f->n)
		abort();
	for (i = 0; i < f->n; i++) {
		if (strcmp(again.fields[i].key, f->fields[i].key) != 0 ||
		    strcmp(again.fields[i].value, f->fields[i].value) != 0)
			abort();
	}
	form_release(&again);
	free(body);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct form f;
	char *cause = NULL;

	if (form_parse((const char *)data, size, &f, &cause) == 0) {
		if (cause != NULL)
			abort();
		check_fields(&f);
		check_roundtrip(&f);
		form_release(&f);
		if (f.fields != NULL || f.n != 0)
			abort();
		return 0;
	}
	if (cause == NULL || !utf8_valid(cause, strlen(cause)) ||
	    strlen(cause) > 200 || f.fields != NULL || f.n != 0)
		abort();
	free(cause);
	return 0;
}
