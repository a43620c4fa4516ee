/* SPDX-License-Identifier: MIT */
/*
 * fuzz-slack-command.c: libFuzzer target for slack_command_from_form() and
 * slack_command_from_json().
 *
 * An input starting with '{' is parsed as JSON (depth-limited, as the
 * envelope parser does) and given to slack_command_from_json(); any other
 * input is a form body for slack_command_from_form(), passed without a NUL
 * after it so ASan catches a read past its length. The contract checked:
 *
 *  - on success: command, text, user_id and channel_id are set, every
 *    string is within its limit and well-formed UTF-8, ids use only
 *    [A-Za-z0-9._-], command starts with '/', optional fields are NULL or
 *    non-empty, and the same fields given as a JSON payload parse to the
 *    same command (the two front ends agree);
 *  - on failure: a short, well-formed cause and an empty result;
 *  - no leaks (libFuzzer's leak checker).
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "lihui/utf8.h"

#include "../../src/adapter/slack-command.h"

#define FUZZ_JSON_DEPTH 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_str(const char *s, size_t max, int required, int id);
static void check_command(const struct slack_command *c);
static void check_empty(const struct slack_command *c);
static void check_same(const char *a, const char *b);
static void add(struct json_object *o, const char *key, const char *v);
static void check_json_agrees(const struct slack_command *c);
static void run_json(const uint8_t *data, size_t size);

/* s is NULL (not required) or 1..max bytes (text: 0..max) of UTF-8. */
static void
check_str(const char *s, size_t max, int required, int id)
{
	size_t n;

	if (s == NULL) {
		if (required)
			abort();
		return;
	}
	n = strlen(s);
	if (n > max || !utf8_valid(s, n))
		abort();
	if (id && (n == 0 || strspn(s, "abcdefghijklmnopqrstuvwxyz"
				       "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				       "0123456789._-") != n))
		abort();
}

/* A successful parse obeys every rule of slack-command.h. */
static void
check_command(const struct slack_command *c)
{
	check_str(c->command, SLACK_CMD_NAME_MAX, 1, 0);
	if (c->command[0] != '/' || c->command[1] == '\0' ||
	    strpbrk(c->command, " \t\r\n") != NULL)
		abort();
	check_str(c->text, SLACK_CMD_TEXT_MAX, 1, 0);
	check_str(c->user_id, SLACK_CMD_ID_MAX, 1, 1);
	check_str(c->channel_id, SLACK_CMD_ID_MAX, 1, 1);
	check_str(c->team_id, SLACK_CMD_ID_MAX, 0, 1);
	check_str(c->trigger_id, SLACK_CMD_ID_MAX, 0, 1);
	check_str(c->api_app_id, SLACK_CMD_ID_MAX, 0, 1);
	check_str(c->user_name, SLACK_CMD_NAME_MAX, 0, 0);
	check_str(c->channel_name, SLACK_CMD_NAME_MAX, 0, 0);
	check_str(c->response_url, SLACK_CMD_URL_MAX, 0, 0);
	if ((c->user_name != NULL && c->user_name[0] == '\0') ||
	    (c->channel_name != NULL && c->channel_name[0] == '\0'))
		abort();
	if (c->response_url != NULL &&
	    strncmp(c->response_url, "https://", 8) != 0 &&
	    strncmp(c->response_url, "http://", 7) != 0)
		abort();
}

/* A failed parse leaves nothing. */
static void
check_empty(const struct slack_command *c)
{
	if (c->command != NULL || c->text != NULL || c->user_id != NULL ||
	    c->user_name != NULL || c->channel_id != NULL ||
	    c->channel_name != NULL || c->team_id != NULL ||
	    c->trigger_id != NULL || c->response_url != NULL ||
	    c->api_app_id != NULL)
		abort();
}

static void
check_same(const char *a, const char *b)
{
	if ((a == NULL) != (b == NULL) || (a != NULL && strcmp(a, b) != 0))
		abort();
}

static void
add(struct json_object *o, const char *key, const char *v)
{
	if (v != NULL)
		json_object_object_add(o, key, json_object_new_string(v));
}

/* The fields of c as a JSON payload parse back to c. */
static void
check_json_agrees(const struct slack_command *c)
{
	struct json_object *o = json_object_new_object();
	struct slack_command again;
	char *cause = NULL;

	if (o == NULL)
		abort();
	add(o, "command", c->command);
	add(o, "text", c->text);
	add(o, "user_id", c->user_id);
	add(o, "user_name", c->user_name);
	add(o, "channel_id", c->channel_id);
	add(o, "channel_name", c->channel_name);
	add(o, "team_id", c->team_id);
	add(o, "trigger_id", c->trigger_id);
	add(o, "response_url", c->response_url);
	add(o, "api_app_id", c->api_app_id);
	if (slack_command_from_json(o, &again, &cause) != 0)
		abort();
	check_same(c->command, again.command);
	check_same(c->text, again.text);
	check_same(c->user_id, again.user_id);
	check_same(c->user_name, again.user_name);
	check_same(c->channel_id, again.channel_id);
	check_same(c->channel_name, again.channel_name);
	check_same(c->team_id, again.team_id);
	check_same(c->trigger_id, again.trigger_id);
	check_same(c->response_url, again.response_url);
	check_same(c->api_app_id, again.api_app_id);
	slack_command_release(&again);
	json_object_put(o);
}

/* Parse the input as JSON and, if it is any JSON value, as a payload. */
static void
run_json(const uint8_t *data, size_t size)
{
	struct json_tokener *tok = json_tokener_new_ex(FUZZ_JSON_DEPTH);
	struct json_object *o;
	struct slack_command c;
	char *cause = NULL;

	if (tok == NULL)
		abort();
	o = json_tokener_parse_ex(tok, (const char *)data, (int)size);
	if (json_tokener_get_error(tok) == json_tokener_success) {
		if (slack_command_from_json(o, &c, &cause) == 0) {
			if (cause != NULL)
				abort();
			check_command(&c);
			check_json_agrees(&c);
			slack_command_release(&c);
		} else {
			if (cause == NULL || strlen(cause) > 200 ||
			    !utf8_valid(cause, strlen(cause)))
				abort();
			check_empty(&c);
			free(cause);
		}
	}
	json_object_put(o);
	json_tokener_free(tok);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct slack_command c;
	char *body, *cause = NULL;

	if (size > 1024 * 1024)
		return 0;
	if (size > 0 && data[0] == '{') {
		run_json(data, size);
		return 0;
	}
	body = malloc(size == 0 ? 1 : size);
	if (body == NULL)
		abort();
	memcpy(body, data, size);
	if (slack_command_from_form(body, size, &c, &cause) == 0) {
		if (cause != NULL)
			abort();
		check_command(&c);
		check_json_agrees(&c);
		slack_command_release(&c);
	} else {
		if (cause == NULL || strlen(cause) > 300 ||
		    !utf8_valid(cause, strlen(cause)))
			abort();
		check_empty(&c);
		free(cause);
	}
	free(body);
	return 0;
}
