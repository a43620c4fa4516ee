/* SPDX-License-Identifier: MIT */
/*
 * form.h: a bounded parser for application/x-www-form-urlencoded bodies,
 * the format Mattermost and Slack use when they call a slash-command URL.
 *
 * The body is "name=value&name=value..." with '+' meaning a space and %XX
 * (either case of hex) meaning one byte. Rules, in the order they are
 * checked:
 *
 *  - a body longer than FORM_MAX_BODY bytes is refused;
 *  - empty pieces between '&' are skipped ("a=1&&b=2&" has two fields),
 *    so an empty body has zero fields;
 *  - more than FORM_MAX_FIELDS fields are refused;
 *  - a piece without '=' is a field with an empty value ("a" is a="", as
 *    browsers and Go's url.ParseQuery treat it); "a=" is also a="";
 *  - '%' not followed by two hex digits is refused;
 *  - the decoded name must be non-empty and at most FORM_MAX_KEY bytes, the
 *    decoded value at most FORM_MAX_VALUE bytes;
 *  - decoded names and values must be well-formed UTF-8 without NUL bytes.
 *
 * Repeated names are kept, in body order: Mattermost sends parallel lists
 * such as user_mentions=alice&user_mentions=bob&user_mentions_ids=...
 *
 * Error messages name the field when its name is printable and otherwise
 * give its 1-based position; they never quote a value (the token field is a
 * secret).
 */
#ifndef LIHUI_FORM_H
#define LIHUI_FORM_H

#include <stddef.h>

/* Limits; lengths are in bytes after decoding, the body before. */
#define FORM_MAX_BODY	65536
#define FORM_MAX_FIELDS 256
#define FORM_MAX_KEY	64
#define FORM_MAX_VALUE	16384

struct form_field {
	char *key;   /* decoded, NUL-terminated, valid UTF-8, non-empty */
	char *value; /* decoded, NUL-terminated, valid UTF-8, maybe empty */
};

struct form {
	struct form_field *fields; /* NULL when n == 0 */
	size_t n;
};

/**
 * Parse body[0..len) into *out (all or nothing); *out is overwritten, not
 * released first. On success returns 0 and *out holds the fields, which the
 * caller frees with form_release(). On failure returns -1, leaves *out
 * empty (safe to form_release()) and sets *cause (if cause is non-NULL) to
 * a message the caller frees. body need not be NUL-terminated and may be
 * NULL when len is 0.
 */
int form_parse(const char *body, size_t len, struct form *out, char **cause);
/** The first value of key, or NULL; borrowed until form_release(). */
const char *form_get(const struct form *f, const char *key);
/**
 * Store up to max values of key, in body order, into values[] (borrowed
 * until form_release()); returns how many fields have that key, which may
 * be more than max. values may be NULL when max is 0.
 */
size_t form_get_all(const struct form *f, const char *key, const char **values,
		    size_t max);
/** Free the fields; *f is empty and reusable afterwards. */
void form_release(struct form *f);

#endif
