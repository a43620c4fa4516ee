/* SPDX-License-Identifier: MIT */
/*
 * test-slack-command.c: slash commands from form bodies and Socket Mode
 * payloads (slack-command.c), table-driven: good rows give every field of
 * the result (NULL: absent), bad rows a part of the cause, and a bad row
 * must leave the result empty. The recorded form body and the payloads of
 * the two slash_commands envelopes in ../shared/specs/fixtures (relative
 * to the repository root, where tests run) are parsed too, and skipped
 * with a one-line reason when absent.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "fixture.h"
#include "lihui/xmalloc.h"

#include "../../../src/adapter/slack-command.h"

#define FIXTURE_MAX (64 * 1024)

/* The fields of struct slack_command, in its order. */
struct want {
	const char *command, *text, *user_id, *user_name, *channel_id,
	    *channel_name, *team_id, *trigger_id, *response_url, *api_app_id;
};

static void check_str(const char *what, const char *got, const char *want);
static void check_cmd(const struct slack_command *c, const struct want *w);
static void check_empty(const struct slack_command *c);
static char *repeat(char ch, size_t n);

static void
check_str(const char *what, const char *got, const char *want)
{
	if (want == NULL) {
		if (got != NULL)
			print_message("%s: want NULL, got '%s'\n", what, got);
		assert_null(got);
		return;
	}
	if (got == NULL)
		print_message("%s: want '%s', got NULL\n", what, want);
	assert_non_null(got);
	assert_string_equal(got, want);
}

/* c holds exactly w. */
static void
check_cmd(const struct slack_command *c, const struct want *w)
{
	check_str("command", c->command, w->command);
	check_str("text", c->text, w->text);
	check_str("user_id", c->user_id, w->user_id);
	check_str("user_name", c->user_name, w->user_name);
	check_str("channel_id", c->channel_id, w->channel_id);
	check_str("channel_name", c->channel_name, w->channel_name);
	check_str("team_id", c->team_id, w->team_id);
	check_str("trigger_id", c->trigger_id, w->trigger_id);
	check_str("response_url", c->response_url, w->response_url);
	check_str("api_app_id", c->api_app_id, w->api_app_id);
}

/* Every field of c is NULL. */
static void
check_empty(const struct slack_command *c)
{
	static const struct want none;

	check_cmd(c, &none);
}

/* n copies of ch, NUL-terminated. Caller frees. */
static char *
repeat(char ch, size_t n)
{
	char *s = xmalloc(n + 1);

	memset(s, ch, n);
	s[n] = '\0';
	return s;
}

#define MIN_FORM "command=%2Freport&user_id=U1&channel_id=C1"
/* What MIN_FORM gives. */
#define MIN_WANT                                                               \
	{                                                                      \
		"/report", "", "U1", NULL, "C1", NULL, NULL, NULL, NULL, NULL  \
	}

static const struct form_good {
	const char *body;
	struct want want;
} form_good[] = {
	{ MIN_FORM, MIN_WANT },
	{ MIN_FORM "&text=", MIN_WANT },
	{ "channel_id=C1&user_id=U1&command=/report&text=y+%40dave",
	  { "/report", "y @dave", "U1", NULL, "C1", NULL, NULL, NULL, NULL,
	    NULL } },
	{ "token=xyz&team_id=T1&team_domain=acme&channel_id=D024BE91L&"
	  "channel_name=directmessage&user_id=U2147483697&user_name=steve&"
	  "command=%2Fweekly&text=report+%3C%40U9%7Cdave%3E+shipped&"
	  "api_app_id=A1_b.c-d&is_enterprise_install=false&"
	  "response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1234%2F5678&"
	  "trigger_id=13345224609.738474920.8088930838d88f008e0",
	  { "/weekly", "report <@U9|dave> shipped", "U2147483697", "steve",
	    "D024BE91L", "directmessage", "T1",
	    "13345224609.738474920.8088930838d88f008e0",
	    "https://hooks.slack.com/commands/1234/5678", "A1_b.c-d" } },
	/* Text: UTF-8, new lines, tabs, the escapes Slack sends. */
	{ MIN_FORM "&text=%E6%9C%AC%E5%91%A8%0A-+done%09%26amp%3B",
	  { "/report", "本周\n- done\t&amp;", "U1", NULL, "C1", NULL, NULL,
	    NULL, NULL, NULL } },
	/* Non-ASCII command and names; a plain http URL (tests' fakes). */
	{ "command=/%E5%91%A8%E6%8A%A5&user_id=U1&channel_id=C1&"
	  "user_name=%E6%9D%8E+%E8%BE%89&channel_name=%23ops&"
	  "response_url=http://127.0.0.1:8080/r?a=1%26b=2",
	  { "/周报", "", "U1", "李 辉", "C1", "#ops", NULL, NULL,
	    "http://127.0.0.1:8080/r?a=1&b=2", NULL } },
	/* Empty optional fields are absent; unknown fields may repeat. */
	{ MIN_FORM "&user_name=&team_id=&response_url=&x=1&x=2&token",
	  MIN_WANT },
	/* Empty pieces between '&' are skipped. */
	{ "&&" MIN_FORM "&&", MIN_WANT },
};

static const struct form_bad {
	const char *body;
	size_t len; /* 0: strlen(body) */
	const char *cause_has;
} form_bad[] = {
	{ "", 0, "missing field command" },
	{ "command=%2Freport&user_id=U1", 0, "missing field channel_id" },
	{ "command=%2Freport&channel_id=C1", 0, "missing field user_id" },
	{ "user_id=U1&channel_id=C1&text=hi", 0, "missing field command" },
	{ "ssl_check=1&token=xyz", 0, "missing field command" },
	{ MIN_FORM "&user_id=U2", 0, "field user_id appears more than once" },
	{ MIN_FORM "&command=%2Fother", 0,
	  "field command appears more than once" },
	{ MIN_FORM "&channel_id=C1", 0,
	  "field channel_id appears more than once" },
	{ MIN_FORM "&text=a&text=b", 0, "field text appears more than once" },
	{ MIN_FORM "&text=&text=b", 0, "field text appears more than once" },
	{ MIN_FORM "&team_id=&team_id=T1", 0,
	  "field team_id appears more than once" },
	{ "command=&user_id=U1&channel_id=C1", 0, "field command is empty" },
	{ "command=%2Freport&user_id=&channel_id=C1", 0,
	  "field user_id is empty" },
	{ "command=%2Freport&user_id=U1&channel_id", 0,
	  "field channel_id is empty" },
	/* Ids. */
	{ "command=%2Freport&user_id=U+1&channel_id=C1", 0,
	  "field user_id has a character outside [A-Za-z0-9._-]" },
	{ "command=%2Freport&user_id=U1&channel_id=C1%2F..", 0,
	  "field channel_id has a character outside" },
	{ MIN_FORM "&team_id=T%0A1", 0, "field team_id has a character" },
	{ MIN_FORM "&api_app_id=A%C3%A91", 0, "field api_app_id has a char" },
	{ MIN_FORM "&trigger_id=1%3B2", 0, "field trigger_id has a char" },
	/* Commands. */
	{ "command=report&user_id=U1&channel_id=C1", 0,
	  "field command does not start with '/'" },
	{ "command=%2F&user_id=U1&channel_id=C1", 0,
	  "field command has no name after '/'" },
	{ "command=%2Fre+port&user_id=U1&channel_id=C1", 0,
	  "field command has white space or a control character" },
	{ "command=%2Freport%0A&user_id=U1&channel_id=C1", 0,
	  "field command has white space" },
	/* Names and URLs. */
	{ MIN_FORM "&user_name=a%0Db", 0,
	  "field user_name has a control character" },
	{ MIN_FORM "&channel_name=a%7Fb", 0,
	  "field channel_name has a control character" },
	{ MIN_FORM "&response_url=ftp%3A%2F%2Fx", 0,
	  "field response_url is not an http(s) URL" },
	{ MIN_FORM "&response_url=javascript:alert(1)", 0,
	  "field response_url is not an http(s) URL" },
	{ MIN_FORM "&response_url=https://a/b+c", 0,
	  "field response_url has a character that is not printable ASCII" },
	{ MIN_FORM "&response_url=https://a/%C3%A9", 0,
	  "field response_url has a character" },
	/* What form_parse() refuses. */
	{ MIN_FORM "&text=%FF", 0, "malformed form body" },
	{ MIN_FORM "&text=%00", 0, "malformed form body" },
	{ MIN_FORM "&text=%4", 0, "malformed form body" },
	{ "command=/report\0&user_id=U1&channel_id=C1", 41,
	  "malformed form body" },
};

/* Every row of form_good[] and form_bad[]. */
static void
test_form_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof form_good / sizeof form_good[0]; i++) {
		struct slack_command c;
		char *cause = NULL;
		int rc;

		rc = slack_command_from_form(
		    form_good[i].body, strlen(form_good[i].body), &c, &cause);
		if (rc != 0)
			print_message("'%s': %s\n", form_good[i].body, cause);
		assert_int_equal(rc, 0);
		assert_null(cause);
		check_cmd(&c, &form_good[i].want);
		slack_command_release(&c);
		check_empty(&c);
		slack_command_release(&c);
	}
	for (i = 0; i < sizeof form_bad / sizeof form_bad[0]; i++) {
		const struct form_bad *b = &form_bad[i];
		struct slack_command c;
		char *cause = NULL;
		size_t len = b->len != 0 ? b->len : strlen(b->body);
		int rc;

		memset(&c, 0xa5, sizeof c); /* must be overwritten */
		rc = slack_command_from_form(b->body, len, &c, &cause);
		if (rc != -1)
			print_message("'%s': accepted\n", b->body);
		assert_int_equal(rc, -1);
		assert_non_null(cause);
		if (strstr(cause, b->cause_has) == NULL)
			print_message("'%s': cause '%s' lacks '%s'\n", b->body,
				      cause, b->cause_has);
		assert_non_null(strstr(cause, b->cause_has));
		check_empty(&c);
		free(cause);
		assert_int_equal(
		    slack_command_from_form(b->body, len, &c, NULL), -1);
		check_empty(&c);
	}
}

/* Limits: lengths at and over the bound, and the field count. */
static void
test_form_limits(void **state)
{
	struct slack_command c;
	char *cause = NULL, *big, *body;
	size_t i;

	(void)state;
	/* SLACK_CMD_TEXT_MAX bytes of text pass, one more does not. */
	big = repeat('x', SLACK_CMD_TEXT_MAX);
	body = xasprintf("%s&text=%s", MIN_FORM, big);
	assert_int_equal(
	    slack_command_from_form(body, strlen(body), &c, &cause), 0);
	assert_int_equal(strlen(c.text), SLACK_CMD_TEXT_MAX);
	slack_command_release(&c);
	free(body);
	body = xasprintf("%s&text=%sx", MIN_FORM, big);
	assert_int_equal(
	    slack_command_from_form(body, strlen(body), &c, &cause), -1);
	assert_non_null(strstr(cause, "field text is too long (8193 bytes"));
	check_empty(&c);
	free(cause);
	cause = NULL;
	free(body);
	free(big);

	/* Ids and names: SLACK_CMD_ID_MAX / SLACK_CMD_NAME_MAX bytes. */
	big = repeat('U', SLACK_CMD_ID_MAX);
	body = xasprintf("command=/r&channel_id=C&user_id=%s", big);
	assert_int_equal(
	    slack_command_from_form(body, strlen(body), &c, &cause), 0);
	slack_command_release(&c);
	free(body);
	body = xasprintf("command=/r&channel_id=C&user_id=%sU", big);
	assert_int_equal(
	    slack_command_from_form(body, strlen(body), &c, &cause), -1);
	assert_non_null(strstr(cause, "field user_id is too long"));
	free(cause);
	cause = NULL;
	free(body);
	body = xasprintf("%s&channel_name=%sU", MIN_FORM, big);
	assert_int_equal(
	    slack_command_from_form(body, strlen(body), &c, &cause), -1);
	assert_non_null(strstr(cause, "field channel_name is too long"));
	free(cause);
	cause = NULL;
	free(body);
	free(big);
	big = repeat('a', SLACK_CMD_NAME_MAX);
	big[0] = '/';
	body = xasprintf("command=%s&channel_id=C&user_id=U", big);
	assert_int_equal(
	    slack_command_from_form(body, strlen(body), &c, &cause), 0);
	slack_command_release(&c);
	free(body);
	body = xasprintf("command=%sa&channel_id=C&user_id=U", big);
	assert_int_equal(
	    slack_command_from_form(body, strlen(body), &c, &cause), -1);
	assert_non_null(strstr(cause, "field command is too long"));
	free(cause);
	cause = NULL;
	free(body);
	free(big);

	/* response_url: SLACK_CMD_URL_MAX bytes. */
	big = repeat('u', SLACK_CMD_URL_MAX - strlen("https://"));
	body = xasprintf("%s&response_url=https://%s", MIN_FORM, big);
	assert_int_equal(
	    slack_command_from_form(body, strlen(body), &c, &cause), 0);
	slack_command_release(&c);
	free(body);
	body = xasprintf("%s&response_url=https://%su", MIN_FORM, big);
	assert_int_equal(
	    slack_command_from_form(body, strlen(body), &c, &cause), -1);
	assert_non_null(strstr(cause, "field response_url is too long"));
	free(cause);
	cause = NULL;
	free(body);
	free(big);

	/* SLACK_CMD_MAX_FIELDS fields pass, one more does not. */
	body = xstrdup(MIN_FORM);
	for (i = 3; i < SLACK_CMD_MAX_FIELDS; i++) {
		char *more = xasprintf("%s&f%zu=v", body, i);

		free(body);
		body = more;
	}
	assert_int_equal(
	    slack_command_from_form(body, strlen(body), &c, &cause), 0);
	slack_command_release(&c);
	big = xasprintf("%s&one=more", body);
	assert_int_equal(slack_command_from_form(big, strlen(big), &c, &cause),
			 -1);
	assert_non_null(strstr(cause, "too many fields (41, at most 40)"));
	check_empty(&c);
	free(cause);
	free(big);
	free(body);

	/* A NULL body of length 0 is an empty one. */
	cause = NULL;
	assert_int_equal(slack_command_from_form(NULL, 0, &c, &cause), -1);
	assert_non_null(strstr(cause, "missing field command"));
	free(cause);
}

/* The body Slack's docs record (the signature vector's body). */
static void
test_form_fixture(void **state)
{
	static const struct want want = {
		"/webhook-collect",
		"",
		"U2CERLKJA",
		"roadrunner",
		"G8PSS9T3V",
		"foobar",
		"T1DC2JH3J",
		"398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c",
		"https://hooks.slack.com/commands/T1DC2JH3J/397700885554/"
		"96rGlfmibIGlgcZRskXaIFfN",
		NULL,
	};
	struct slack_command c;
	char *body, *cause = NULL;
	size_t len;

	(void)state;
	body = fixture_read("slack_slash_command_form_body.txt", FIXTURE_MAX,
			    &len);
	if (body == NULL)
		skip();
	assert_int_equal(slack_command_from_form(body, len, &c, &cause), 0);
	assert_null(cause);
	check_cmd(&c, &want);
	/* The verification token in the body is not kept anywhere. */
	slack_command_release(&c);
	free(body);
}

static const struct json_good {
	const char *json;
	struct want want;
} json_good[] = {
	{ "{\"command\":\"/report\",\"user_id\":\"U1\",\"channel_id\":\"C1\"}",
	  MIN_WANT },
	{ "{\"token\":\"t\",\"team_id\":\"T1\",\"team_domain\":\"x\","
	  "\"channel_id\":\"C1\",\"channel_name\":\"random\","
	  "\"user_id\":\"U1\",\"user_name\":\"li\",\"command\":\"/agenda\","
	  "\"text\":\"add Pricing 15m\",\"api_app_id\":\"A1\","
	  "\"is_enterprise_install\":false,\"enterprise_id\":null,"
	  "\"response_url\":\"https://hooks.slack.com/commands/T1/1/x\","
	  "\"trigger_id\":\"1.2.x\"}",
	  { "/agenda", "add Pricing 15m", "U1", "li", "C1", "random", "T1",
	    "1.2.x", "https://hooks.slack.com/commands/T1/1/x", "A1" } },
	/* null is absent; \u escapes decode; unknown members of any type. */
	{ "{\"command\":\"/r\",\"user_id\":\"U1\",\"channel_id\":\"C1\","
	  "\"user_name\":null,\"text\":\"\\u4f60\\u597d\\n\\ud83d\\ude00\","
	  "\"blocks\":[1,{\"a\":2}],\"n\":3.5}",
	  { "/r", "你好\n😀", "U1", NULL, "C1", NULL, NULL, NULL, NULL, NULL } },
	{ "{\"command\":\"/r\",\"user_id\":\"U1\",\"channel_id\":\"C1\","
	  "\"text\":null,\"team_id\":\"\"}",
	  { "/r", "", "U1", NULL, "C1", NULL, NULL, NULL, NULL, NULL } },
};

static const struct json_bad {
	const char *json;
	const char *cause_has;
} json_bad[] = {
	{ "[]", "payload is not a JSON object" },
	{ "\"command\"", "payload is not a JSON object" },
	{ "null", "payload is not a JSON object" },
	{ "{}", "missing field command" },
	{ "{\"command\":\"/r\",\"user_id\":\"U1\"}",
	  "missing field channel_id" },
	{ "{\"command\":\"/r\",\"user_id\":null,\"channel_id\":\"C1\"}",
	  "missing field user_id" },
	{ "{\"command\":\"/r\",\"user_id\":\"\",\"channel_id\":\"C1\"}",
	  "field user_id is empty" },
	{ "{\"command\":\"/r\",\"user_id\":7,\"channel_id\":\"C1\"}",
	  "field user_id is not a string" },
	{ "{\"command\":[\"/r\"],\"user_id\":\"U1\",\"channel_id\":\"C1\"}",
	  "field command is not a string" },
	{ "{\"command\":\"/r\",\"user_id\":\"U1\",\"channel_id\":\"C1\","
	  "\"text\":{}}",
	  "field text is not a string" },
	{ "{\"command\":\"/r\",\"user_id\":\"U1\",\"channel_id\":\"C1\","
	  "\"text\":\"a\\u0000b\"}",
	  "field text contains a NUL byte" },
	{ "{\"command\":\"/r\",\"user_id\":\"U1\",\"channel_id\":\"C1\","
	  "\"text\":\"\xff\"}",
	  "field text is not valid UTF-8" },
	{ "{\"command\":\"/r\",\"user_id\":\"U1\",\"channel_id\":\"C1\","
	  "\"text\":\"\xed\xa0\x80\"}",
	  "field text is not valid UTF-8" },
	{ "{\"command\":\"/r\",\"user_id\":\"U<1>\",\"channel_id\":\"C1\"}",
	  "field user_id has a character outside" },
	{ "{\"command\":\"r\",\"user_id\":\"U1\",\"channel_id\":\"C1\"}",
	  "field command does not start with '/'" },
	{ "{\"command\":\"/r\",\"user_id\":\"U1\",\"channel_id\":\"C1\","
	  "\"user_name\":\"a\\tb\"}",
	  "field user_name has a control character" },
	{ "{\"command\":\"/r\",\"user_id\":\"U1\",\"channel_id\":\"C1\","
	  "\"response_url\":\"hooks.slack.com/x\"}",
	  "field response_url is not an http(s) URL" },
	{ "{\"command\":\"/r\",\"user_id\":\"U1\",\"channel_id\":\"C1\","
	  "\"response_url\":true}",
	  "field response_url is not a string" },
};

/* Every row of json_good[] and json_bad[]. */
static void
test_json_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof json_good / sizeof json_good[0]; i++) {
		struct json_object *o = json_tokener_parse(json_good[i].json);
		struct slack_command c;
		char *cause = NULL;
		int rc;

		assert_non_null(o);
		rc = slack_command_from_json(o, &c, &cause);
		if (rc != 0)
			print_message("'%s': %s\n", json_good[i].json, cause);
		assert_int_equal(rc, 0);
		assert_null(cause);
		json_object_put(o); /* nothing borrowed from the payload */
		check_cmd(&c, &json_good[i].want);
		slack_command_release(&c);
		check_empty(&c);
	}
	for (i = 0; i < sizeof json_bad / sizeof json_bad[0]; i++) {
		struct json_object *o = json_tokener_parse(json_bad[i].json);
		struct slack_command c;
		char *cause = NULL;
		int rc;

		if (strcmp(json_bad[i].json, "null") != 0)
			assert_non_null(o);
		memset(&c, 0xa5, sizeof c);
		rc = slack_command_from_json(o, &c, &cause);
		if (rc != -1)
			print_message("'%s': accepted\n", json_bad[i].json);
		assert_int_equal(rc, -1);
		assert_non_null(cause);
		if (strstr(cause, json_bad[i].cause_has) == NULL)
			print_message("'%s': cause '%s' lacks '%s'\n",
				      json_bad[i].json, cause,
				      json_bad[i].cause_has);
		assert_non_null(strstr(cause, json_bad[i].cause_has));
		check_empty(&c);
		free(cause);
		json_object_put(o);
	}
}

/* JSON limits: the field count and the text length. */
static void
test_json_limits(void **state)
{
	struct json_object *o;
	struct slack_command c;
	char *cause = NULL, *big, key[16];
	size_t i;

	(void)state;
	o = json_object_new_object();
	json_object_object_add(o, "command", json_object_new_string("/r"));
	json_object_object_add(o, "user_id", json_object_new_string("U1"));
	json_object_object_add(o, "channel_id", json_object_new_string("C1"));
	for (i = 3; i < SLACK_CMD_MAX_FIELDS; i++) {
		(void)snprintf(key, sizeof key, "f%zu", i);
		json_object_object_add(o, key, json_object_new_int(1));
	}
	assert_int_equal(slack_command_from_json(o, &c, &cause), 0);
	slack_command_release(&c);
	json_object_object_add(o, "one", json_object_new_null());
	assert_int_equal(slack_command_from_json(o, &c, &cause), -1);
	assert_non_null(strstr(cause, "too many fields (41, at most 40)"));
	check_empty(&c);
	free(cause);
	cause = NULL;
	json_object_put(o);

	o = json_object_new_object();
	json_object_object_add(o, "command", json_object_new_string("/r"));
	json_object_object_add(o, "user_id", json_object_new_string("U1"));
	json_object_object_add(o, "channel_id", json_object_new_string("C1"));
	big = repeat('y', SLACK_CMD_TEXT_MAX + 1);
	json_object_object_add(o, "text", json_object_new_string(big));
	assert_int_equal(slack_command_from_json(o, &c, &cause), -1);
	assert_non_null(strstr(cause, "field text is too long"));
	check_empty(&c);
	free(cause);
	cause = NULL;
	big[SLACK_CMD_TEXT_MAX] = '\0';
	json_object_object_add(o, "text", json_object_new_string(big));
	assert_int_equal(slack_command_from_json(o, &c, &cause), 0);
	assert_int_equal(strlen(c.text), SLACK_CMD_TEXT_MAX);
	slack_command_release(&c);
	free(big);
	json_object_put(o);

	assert_int_equal(slack_command_from_json(NULL, &c, &cause), -1);
	assert_non_null(strstr(cause, "payload is not a JSON object"));
	free(cause);
}

/* The payloads of the two recorded slash_commands envelopes. */
static void
test_json_fixtures(void **state)
{
	static const struct {
		const char *file;
		struct want want;
	} cases[] = {
		{ "slack_socket_mode_slash_commands_envelope.json",
		  { "/hello-socket-mode", "", "U111", "seratch", "C111",
		    "random", "T111", "111.222.xxx",
		    "https://hooks.slack.com/commands/T111/111/xxx", "A111" } },
		{ "slack_socket_mode_slash_commands_envelope_docs.json",
		  { "/randorilke", "", "U123ABC456", "rainer", "C123ABC456",
		    "general", "T123ABC456",
		    "37053613634.26768298162.440952c06ef4de2653466a48fe495f93",
		    "https://rilke.slack.com/commands/T0SNL8S4S/37053613554/"
		    "YMB2ZESDLNjNLqSFZ1quhNAh",
		    NULL } },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct json_object *env, *payload, *type;
		struct slack_command c;
		char *text, *cause = NULL;
		size_t len;

		text = fixture_read(cases[i].file, FIXTURE_MAX, &len);
		if (text == NULL)
			skip();
		env = json_tokener_parse(text);
		free(text);
		assert_non_null(env);
		assert_true(json_object_object_get_ex(env, "type", &type));
		assert_string_equal(json_object_get_string(type),
				    "slash_commands");
		assert_true(
		    json_object_object_get_ex(env, "payload", &payload));
		assert_int_equal(slack_command_from_json(payload, &c, &cause),
				 0);
		assert_null(cause);
		json_object_put(env);
		check_cmd(&c, &cases[i].want);
		slack_command_release(&c);
	}
}

/* Releasing NULL or an empty command is harmless. */
static void
test_release(void **state)
{
	struct slack_command c;

	(void)state;
	slack_command_release(NULL);
	memset(&c, 0, sizeof c);
	slack_command_release(&c);
	check_empty(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_form_table),
		cmocka_unit_test(test_form_limits),
		cmocka_unit_test(test_form_fixture),
		cmocka_unit_test(test_json_table),
		cmocka_unit_test(test_json_limits),
		cmocka_unit_test(test_json_fixtures),
		cmocka_unit_test(test_release),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
