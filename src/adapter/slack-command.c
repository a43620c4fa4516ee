/* SPDX-License-Identifier: MIT */
/*
 * slack-command.c: parsing a Slack slash command from an HTTP form body
 * or a Socket Mode payload into struct slack_command.
 *
 * Both front ends feed each (name, value) pair to slack_cmd_set(), which
 * looks the name up in slack_cmd_fields[] (unknown names are skipped
 * without looking at the value), refuses a second occurrence, checks the
 * value against its kind and keeps a copy. Parsing goes into a scratch
 * struct that is moved to *out only when every field and the required set
 * are good, so bad input leaves nothing behind. When adding a field to
 * struct slack_command, add its row to slack_cmd_fields[] (at most 32
 * rows: seen is a bit mask).
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "lihui/form.h"
#include "lihui/utf8.h"
#include "lihui/xmalloc.h"

#include "slack-command.h"

#define SLACK_CMD_ID_CHARS                                                     \
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-"

/* What a field's value must look like. */
enum slack_cmd_kind {
	SLACK_CMD_COMMAND, /* '/' then a name: no white space or controls */
	SLACK_CMD_TEXT,	   /* any UTF-8 without NUL, may be empty */
	SLACK_CMD_ID,	   /* [A-Za-z0-9._-] */
	SLACK_CMD_NAME,	   /* UTF-8 without control characters */
	SLACK_CMD_URL,	   /* http:// or https://, printable ASCII */
};

/* A field lihui keeps: where it goes and what it must be. */
struct slack_cmd_field {
	const char *name;
	size_t offset; /* of its char * in struct slack_command */
	enum slack_cmd_kind kind;
	int required;
};

#define SLACK_CMD_AT(f) offsetof(struct slack_command, f)

static const struct slack_cmd_field slack_cmd_fields[] = {
	{ "command", SLACK_CMD_AT(command), SLACK_CMD_COMMAND, 1 },
	{ "text", SLACK_CMD_AT(text), SLACK_CMD_TEXT, 0 },
	{ "user_id", SLACK_CMD_AT(user_id), SLACK_CMD_ID, 1 },
	{ "user_name", SLACK_CMD_AT(user_name), SLACK_CMD_NAME, 0 },
	{ "channel_id", SLACK_CMD_AT(channel_id), SLACK_CMD_ID, 1 },
	{ "channel_name", SLACK_CMD_AT(channel_name), SLACK_CMD_NAME, 0 },
	{ "team_id", SLACK_CMD_AT(team_id), SLACK_CMD_ID, 0 },
	{ "trigger_id", SLACK_CMD_AT(trigger_id), SLACK_CMD_ID, 0 },
	{ "response_url", SLACK_CMD_AT(response_url), SLACK_CMD_URL, 0 },
	{ "api_app_id", SLACK_CMD_AT(api_app_id), SLACK_CMD_ID, 0 },
};
#define SLACK_CMD_NFIELDS (sizeof slack_cmd_fields / sizeof slack_cmd_fields[0])
_Static_assert(SLACK_CMD_NFIELDS <= 32, "seen is a 32-bit mask");

static const struct slack_cmd_field *slack_cmd_lookup(const char *name);
static char **slack_cmd_slot(struct slack_command *c,
			     const struct slack_cmd_field *f);
static int slack_cmd_has_control(const char *v, size_t len, int space);
static int slack_cmd_check(const struct slack_cmd_field *f, const char *v,
			   size_t len, char **cause);
static int slack_cmd_set(struct slack_command *c, uint32_t *seen,
			 const char *name, const char *v, size_t len,
			 char **cause);
static int slack_cmd_finish(struct slack_command *c, uint32_t seen,
			    struct slack_command *out, char **cause);

/* The row for name, or NULL when lihui does not keep that field. */
static const struct slack_cmd_field *
slack_cmd_lookup(const char *name)
{
	size_t i;

	for (i = 0; i < SLACK_CMD_NFIELDS; i++) {
		if (strcmp(slack_cmd_fields[i].name, name) == 0)
			return &slack_cmd_fields[i];
	}
	return NULL;
}

/* Where f's value lives in c. */
static char **
slack_cmd_slot(struct slack_command *c, const struct slack_cmd_field *f)
{
	return (char **)(void *)((char *)c + f->offset);
}

/* Whether any byte of v[0..len) is below 0x20 or is 0x7f (or, when space
 * is set, is a space). */
static int
slack_cmd_has_control(const char *v, size_t len, int space)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char u = (unsigned char)v[i];

		if (u < 0x20 || u == 0x7f || (space && u == ' '))
			return 1;
	}
	return 0;
}

/* 0 when v[0..len) (non-empty unless text) is a good value for f. */
static int
slack_cmd_check(const struct slack_cmd_field *f, const char *v, size_t len,
		char **cause)
{
	size_t max, i;

	switch (f->kind) {
	case SLACK_CMD_TEXT:
		max = SLACK_CMD_TEXT_MAX;
		break;
	case SLACK_CMD_ID:
		max = SLACK_CMD_ID_MAX;
		break;
	case SLACK_CMD_URL:
		max = SLACK_CMD_URL_MAX;
		break;
	default:
		max = SLACK_CMD_NAME_MAX;
		break;
	}
	if (len > max)
		return set_cause(
		    cause, "field %s is too long (%zu bytes, at most %zu)",
		    f->name, len, max);
	if (memchr(v, '\0', len) != NULL)
		return set_cause(cause, "field %s contains a NUL byte",
				 f->name);
	if (!utf8_valid(v, len))
		return set_cause(cause, "field %s is not valid UTF-8", f->name);

	switch (f->kind) {
	case SLACK_CMD_COMMAND:
		if (v[0] != '/')
			return set_cause(
			    cause, "field %s does not start with '/'", f->name);
		if (len == 1)
			return set_cause(
			    cause, "field %s has no name after '/'", f->name);
		if (slack_cmd_has_control(v, len, 1))
			return set_cause(cause,
					 "field %s has white space or a "
					 "control character",
					 f->name);
		break;
	case SLACK_CMD_ID:
		for (i = 0; i < len; i++) {
			if (strchr(SLACK_CMD_ID_CHARS, v[i]) == NULL)
				return set_cause(cause,
						 "field %s has a character "
						 "outside [A-Za-z0-9._-]",
						 f->name);
		}
		break;
	case SLACK_CMD_NAME:
		if (slack_cmd_has_control(v, len, 0))
			return set_cause(
			    cause, "field %s has a control character", f->name);
		break;
	case SLACK_CMD_URL:
		if (strncmp(v, "https://", 8) != 0 &&
		    strncmp(v, "http://", 7) != 0)
			return set_cause(
			    cause, "field %s is not an http(s) URL", f->name);
		for (i = 0; i < len; i++) {
			if ((unsigned char)v[i] <= 0x20 ||
			    (unsigned char)v[i] >= 0x7f)
				return set_cause(
				    cause,
				    "field %s has a character that "
				    "is not printable ASCII",
				    f->name);
		}
		break;
	case SLACK_CMD_TEXT:
		break;
	}
	return 0;
}

/*
 * Take field name = v[0..len) into c (not NUL-terminated; may hold NUL
 * bytes, which are refused). Unknown names are ignored. -1 with *cause on
 * a repeated or bad field; what c holds is released by the caller.
 */
static int
slack_cmd_set(struct slack_command *c, uint32_t *seen, const char *name,
	      const char *v, size_t len, char **cause)
{
	const struct slack_cmd_field *f = slack_cmd_lookup(name);
	uint32_t bit;

	if (f == NULL)
		return 0;
	bit = (uint32_t)1 << (f - slack_cmd_fields);
	if (*seen & bit)
		return set_cause(cause, "field %s appears more than once",
				 f->name);
	*seen |= bit;
	if (len == 0) {
		if (f->required)
			return set_cause(cause, "field %s is empty", f->name);
		return 0; /* absent; text becomes "" in slack_cmd_finish() */
	}
	if (slack_cmd_check(f, v, len, cause) != 0)
		return -1;
	*slack_cmd_slot(c, f) = xstrndup(v, len);
	return 0;
}

/* Check the required fields, then move c into out (or release it). */
static int
slack_cmd_finish(struct slack_command *c, uint32_t seen,
		 struct slack_command *out, char **cause)
{
	size_t i;

	for (i = 0; i < SLACK_CMD_NFIELDS; i++) {
		if (slack_cmd_fields[i].required && !(seen & (1U << i))) {
			slack_command_release(c);
			return set_cause(cause, "missing field %s",
					 slack_cmd_fields[i].name);
		}
	}
	if (c->text == NULL)
		c->text = xstrdup("");
	*out = *c;
	return 0;
}

int
slack_command_from_form(const char *body, size_t len, struct slack_command *out,
			char **cause)
{
	struct slack_command c;
	struct form f;
	char *why = NULL;
	uint32_t seen = 0;
	size_t i;

	memset(out, 0, sizeof *out);
	memset(&c, 0, sizeof c);
	if (form_parse(body, len, &f, &why) != 0) {
		set_cause(cause, "malformed form body: %s", why);
		free(why);
		return -1;
	}
	if (f.n > SLACK_CMD_MAX_FIELDS) {
		set_cause(cause, "too many fields (%zu, at most %d)", f.n,
			  SLACK_CMD_MAX_FIELDS);
		form_release(&f);
		return -1;
	}
	for (i = 0; i < f.n; i++) {
		const struct form_field *ff = &f.fields[i];

		if (slack_cmd_set(&c, &seen, ff->key, ff->value,
				  strlen(ff->value), cause) != 0) {
			form_release(&f);
			slack_command_release(&c);
			return -1;
		}
	}
	form_release(&f);
	return slack_cmd_finish(&c, seen, out, cause);
}

int
slack_command_from_json(struct json_object *payload, struct slack_command *out,
			char **cause)
{
	struct slack_command c;
	struct json_object_iterator it, end;
	uint32_t seen = 0;
	size_t n;

	memset(out, 0, sizeof *out);
	memset(&c, 0, sizeof c);
	if (payload == NULL || !json_object_is_type(payload, json_type_object))
		return set_cause(cause, "payload is not a JSON object");
	n = (size_t)json_object_object_length(payload);
	if (n > SLACK_CMD_MAX_FIELDS)
		return set_cause(cause, "too many fields (%zu, at most %d)", n,
				 SLACK_CMD_MAX_FIELDS);

	it = json_object_iter_begin(payload);
	end = json_object_iter_end(payload);
	for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
		const char *name = json_object_iter_peek_name(&it);
		struct json_object *v = json_object_iter_peek_value(&it);
		const struct slack_cmd_field *f = slack_cmd_lookup(name);

		if (f == NULL || v == NULL)
			continue; /* unknown, or null: absent */
		if (!json_object_is_type(v, json_type_string)) {
			slack_command_release(&c);
			return set_cause(cause, "field %s is not a string",
					 f->name);
		}
		if (slack_cmd_set(&c, &seen, name, json_object_get_string(v),
				  (size_t)json_object_get_string_len(v),
				  cause) != 0) {
			slack_command_release(&c);
			return -1;
		}
	}
	return slack_cmd_finish(&c, seen, out, cause);
}

void
slack_command_release(struct slack_command *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < SLACK_CMD_NFIELDS; i++)
		free(*slack_cmd_slot(c, &slack_cmd_fields[i]));
	memset(c, 0, sizeof *c);
}
