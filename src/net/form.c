/* SPDX-License-Identifier: MIT */
/*
 * form.c: parse application/x-www-form-urlencoded bodies (slash-command
 * requests from Mattermost and Slack) within fixed limits.
 *
 * How it works: the body size is checked first, then the non-empty pieces
 * between '&' are counted so the field limit is enforced before anything is
 * decoded and the field array is allocated once. Each piece is split at its
 * first '='; the name and the value are each decoded in two passes, the
 * first checking the escapes and measuring (stopping as soon as the limit
 * is passed), the second writing into an allocation of exactly the decoded
 * size. Nothing is kept on failure. The rules themselves are listed in
 * form.h; when changing one, change that list and the tests' tables too.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lihui/form.h"
#include "lihui/log.h"
#include "lihui/utf8.h"
#include "lihui/xmalloc.h"

enum form_decode_status {
	FORM_DECODE_OK,
	FORM_DECODE_BAD_ESCAPE,
	FORM_DECODE_TOO_LONG,
};

static int form_hex(unsigned char c);
static size_t form_count(const char *body, size_t len);
static enum form_decode_status
form_decode(const char *s, size_t len, size_t max, char **out, size_t *outlen);
static void form_name(const char *key, size_t index, char *buf, size_t size);
static int form_parse_field(const char *s, size_t len, size_t index,
			    struct form_field *field, char **cause);
static void form_free_fields(struct form_field *fields, size_t n);

/* The value of hex digit c, or -1 if c is not one. */
static int
form_hex(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Number of non-empty pieces between '&' in body[0..len). */
static size_t
form_count(const char *body, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		if (body[i] != '&' && (i == 0 || body[i - 1] == '&'))
			n++;
	}
	return n;
}

/*
 * Decode s[0..len) ('+' is a space, %XX a byte) into a new NUL-terminated
 * string *out of *outlen bytes, which the caller frees. Nothing is
 * allocated unless the escapes are good and the result fits in max bytes.
 */
static enum form_decode_status
form_decode(const char *s, size_t len, size_t max, char **out, size_t *outlen)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i, n = 0;
	char *dst;

	/* First pass: check every escape and measure, without allocating. */
	for (i = 0; i < len; n++) {
		if (n == max)
			return FORM_DECODE_TOO_LONG;
		if (u[i] != '%') {
			i++;
			continue;
		}
		if (len - i < 3 || form_hex(u[i + 1]) < 0 ||
		    form_hex(u[i + 2]) < 0)
			return FORM_DECODE_BAD_ESCAPE;
		i += 3;
	}

	dst = xmalloc(n + 1);
	for (i = 0, n = 0; i < len; n++) {
		if (u[i] == '%') {
			dst[n] = (char)(form_hex(u[i + 1]) * 16 +
					form_hex(u[i + 2]));
			i += 3;
		} else {
			dst[n] = u[i] == '+' ? ' ' : s[i];
			i++;
		}
	}
	dst[n] = '\0';
	*out = dst;
	*outlen = n;
	return FORM_DECODE_OK;
}

/*
 * Describe a field for an error message: "field 'text'" when its decoded
 * name is plain printable ASCII (so the message stays readable and valid
 * UTF-8), else "field 3" by its 1-based position.
 */
static void
form_name(const char *key, size_t index, char *buf, size_t size)
{
	size_t i, len = key == NULL ? 0 : strlen(key);
	int printable = len > 0 && len <= FORM_MAX_KEY;

	for (i = 0; printable && i < len; i++) {
		if (key[i] <= ' ' || key[i] > '~' || key[i] == '\'')
			printable = 0;
	}
	if (printable)
		(void)snprintf(buf, size, "field '%s'", key);
	else
		(void)snprintf(buf, size, "field %zu", index);
}

/*
 * Parse one non-empty piece s[0..len), the index-th field of the body, into
 * *field; on failure nothing is left allocated and *cause says why.
 */
static int
form_parse_field(const char *s, size_t len, size_t index,
		 struct form_field *field, char **cause)
{
	const char *eq = memchr(s, '=', len);
	size_t klen = eq == NULL ? len : (size_t)(eq - s);
	const char *v = eq == NULL ? s + len : eq + 1;
	size_t vlen = len - (size_t)(v - s), keylen, valuelen;
	char *key = NULL, *value = NULL, what[96];

	switch (form_decode(s, klen, FORM_MAX_KEY, &key, &keylen)) {
	case FORM_DECODE_OK:
		break;
	case FORM_DECODE_BAD_ESCAPE:
		return set_cause(cause,
				 "bad percent-escape in the name of field %zu",
				 index);
	case FORM_DECODE_TOO_LONG:
		return set_cause(
		    cause, "the name of field %zu is longer than %d bytes",
		    index, FORM_MAX_KEY);
	}
	if (keylen == 0) {
		free(key);
		return set_cause(cause, "field %zu has an empty name", index);
	}
	if (memchr(key, '\0', keylen) != NULL) {
		free(key);
		return set_cause(
		    cause, "the name of field %zu contains a NUL byte", index);
	}
	if (!utf8_valid(key, keylen)) {
		free(key);
		return set_cause(
		    cause, "the name of field %zu is not valid UTF-8", index);
	}

	form_name(key, index, what, sizeof what);
	switch (form_decode(v, vlen, FORM_MAX_VALUE, &value, &valuelen)) {
	case FORM_DECODE_OK:
		break;
	case FORM_DECODE_BAD_ESCAPE:
		free(key);
		return set_cause(cause, "bad percent-escape in %s", what);
	case FORM_DECODE_TOO_LONG:
		free(key);
		return set_cause(cause, "%s is longer than %d bytes", what,
				 FORM_MAX_VALUE);
	}
	if (memchr(value, '\0', valuelen) != NULL) {
		free(key);
		free(value);
		return set_cause(cause, "%s contains a NUL byte", what);
	}
	if (!utf8_valid(value, valuelen)) {
		free(key);
		free(value);
		return set_cause(cause, "%s is not valid UTF-8", what);
	}

	field->key = key;
	field->value = value;
	return 0;
}

/* Free the first n fields and the array itself. */
static void
form_free_fields(struct form_field *fields, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(fields[i].key);
		free(fields[i].value);
	}
	free(fields);
}

int
form_parse(const char *body, size_t len, struct form *out, char **cause)
{
	struct form_field *fields;
	size_t n, i, start, end;

	if (out == NULL || (body == NULL && len != 0))
		BUG("form_parse called without a body or a result");
	out->fields = NULL;
	out->n = 0;

	if (len > FORM_MAX_BODY)
		return set_cause(cause, "form body is longer than %d bytes",
				 FORM_MAX_BODY);
	n = form_count(body, len);
	if (n > FORM_MAX_FIELDS)
		return set_cause(cause, "form body has more than %d fields",
				 FORM_MAX_FIELDS);
	if (n == 0)
		return 0;

	fields = xcalloc(n, sizeof *fields);
	i = 0;
	for (start = 0; start < len; start = end + 1) {
		const char *amp = memchr(body + start, '&', len - start);

		end = amp == NULL ? len : (size_t)(amp - body);
		if (end == start)
			continue;
		if (i == n)
			BUG("form field count changed while parsing");
		if (form_parse_field(body + start, end - start, i + 1,
				     &fields[i], cause) != 0) {
			form_free_fields(fields, i);
			return -1;
		}
		i++;
	}
	if (i != n)
		BUG("form field count changed while parsing");

	out->fields = fields;
	out->n = n;
	return 0;
}

const char *
form_get(const struct form *f, const char *key)
{
	size_t i;

	if (f == NULL || key == NULL)
		BUG("form_get called without a form or a key");
	for (i = 0; i < f->n; i++) {
		if (strcmp(f->fields[i].key, key) == 0)
			return f->fields[i].value;
	}
	return NULL;
}

size_t
form_get_all(const struct form *f, const char *key, const char **values,
	     size_t max)
{
	size_t i, found = 0;

	if (f == NULL || key == NULL || (values == NULL && max != 0))
		BUG("form_get_all called without a form, a key or values");
	for (i = 0; i < f->n; i++) {
		if (strcmp(f->fields[i].key, key) != 0)
			continue;
		if (found < max)
			values[found] = f->fields[i].value;
		found++;
	}
	return found;
}

void
form_release(struct form *f)
{
	if (f == NULL)
		return;
	form_free_fields(f->fields, f->n);
	f->fields = NULL;
	f->n = 0;
}
