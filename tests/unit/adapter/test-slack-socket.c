/* SPDX-License-Identifier: MIT */
/*
 * test-slack-socket.c: Socket Mode frames (src/adapter/slack-socket.c):
 * the recorded frames in ../shared/specs/fixtures (read in place, skipped
 * with a reason when absent), a table of good and bad frames, the
 * Events API payload of events_api envelopes, and the acknowledgement
 * (compared with the recorded ack's envelope).
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "../../../src/adapter/slack-socket.h"

#define FIXTURES "../shared/specs/fixtures"

static char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *s;
	size_t cap = 64 * 1024;

	if (f == NULL)
		return NULL;
	s = malloc(cap);
	assert_non_null(s);
	*len = fread(s, 1, cap - 1, f);
	assert_false(ferror(f));
	assert_true(feof(f));
	fclose(f);
	s[*len] = '\0';
	return s;
}

/* Whether ../shared's fixtures are here; prints why a test is skipped. */
static int
have_fixtures(void)
{
	struct stat st;

	if (stat(FIXTURES, &st) == 0 && S_ISDIR(st.st_mode))
		return 1;
	printf("skipped: %s is absent (run from the repository root next to "
	       "../shared)\n",
	       FIXTURES);
	return 0;
}

/* The parsed fixture file; fails the test when it does not parse. */
static void
parse_fixture(const char *file, struct slack_frame *f)
{
	char path[512], *text, *cause = NULL;
	size_t len;

	snprintf(path, sizeof path, "%s/%s", FIXTURES, file);
	text = read_file(path, &len);
	if (text == NULL)
		fail_msg("cannot read %s", path);
	if (slack_frame_parse(text, len, f, &cause) != 0)
		fail_msg("%s: %s", file, cause);
	assert_null(cause);
	free(text);
}

static const char *
payload_string(const struct slack_frame *f, const char *key)
{
	struct json_object *v;

	if (f->payload == NULL ||
	    !json_object_object_get_ex(f->payload, key, &v))
		return NULL;
	return json_object_get_string(v);
}

static void
test_fixtures(void **state)
{
	struct slack_frame f;
	struct slack_event e;
	char *cause = NULL;

	(void)state;
	if (!have_fixtures())
		skip();

	parse_fixture("slack_socket_mode_hello.json", &f);
	assert_int_equal(f.kind, SLACK_FRAME_HELLO);
	assert_int_equal(f.connection_time, 3600);
	assert_int_equal(f.num_connections, 1);
	slack_frame_release(&f);

	parse_fixture("slack_socket_mode_disconnect_warning.json", &f);
	assert_int_equal(f.kind, SLACK_FRAME_DISCONNECT);
	assert_string_equal(f.reason, "warning");
	slack_frame_release(&f);
	parse_fixture("slack_socket_mode_disconnect_refresh_requested.json",
		      &f);
	assert_int_equal(f.kind, SLACK_FRAME_DISCONNECT);
	assert_string_equal(f.reason, "refresh_requested");
	slack_frame_release(&f);
	parse_fixture("slack_socket_mode_disconnect_link_disabled.json", &f);
	assert_int_equal(f.kind, SLACK_FRAME_DISCONNECT);
	assert_string_equal(f.reason, "link_disabled");
	slack_frame_release(&f);

	parse_fixture("slack_socket_mode_slash_commands_envelope.json", &f);
	assert_int_equal(f.kind, SLACK_FRAME_ENVELOPE);
	assert_int_equal(f.type, SLACK_ENV_SLASH_COMMANDS);
	assert_string_equal(f.envelope_id,
			    "1d3c79ab-0ffb-41f3-a080-d19e85f53649");
	assert_int_equal(f.accepts_response_payload, 1);
	assert_int_equal(f.retry_attempt, 0);
	assert_null(f.retry_reason);
	assert_string_equal(payload_string(&f, "command"),
			    "/hello-socket-mode");
	assert_string_equal(payload_string(&f, "user_id"), "U111");
	slack_frame_release(&f);

	parse_fixture("slack_socket_mode_slash_commands_envelope_docs.json",
		      &f);
	assert_int_equal(f.type, SLACK_ENV_SLASH_COMMANDS);
	assert_string_equal(f.envelope_id,
			    "dbdd0ef3-1543-4f94-bfb4-133d0e6c1545");
	assert_string_equal(payload_string(&f, "command"), "/randorilke");
	slack_frame_release(&f);

	parse_fixture("slack_socket_mode_events_api_app_mention_envelope.json",
		      &f);
	assert_int_equal(f.type, SLACK_ENV_EVENTS_API);
	assert_string_equal(f.envelope_id,
			    "cda4159a-72a5-4744-aba3-4d66eb52682b");
	assert_int_equal(f.retry_attempt, 2);
	assert_string_equal(f.retry_reason, "timeout");
	assert_int_equal(f.accepts_response_payload, 0);
	assert_int_equal(slack_event_parse(f.payload, &e, &cause), 0);
	assert_null(cause);
	assert_string_equal(e.event_id, "Ev111");
	assert_string_equal(e.type, "app_mention");
	assert_null(e.subtype);
	assert_string_equal(e.user, "U222");
	assert_null(e.bot_id);
	assert_string_equal(e.channel, "C111");
	assert_null(e.channel_type);
	assert_string_equal(e.text, "<@U111>");
	assert_string_equal(e.ts, "1610241741.000200");
	assert_null(e.thread_ts);
	slack_event_release(&e);
	slack_frame_release(&f);
}

/* The ack carries the envelope id of the recorded ack, and our payload. */
static void
test_ack(void **state)
{
	char *ack, path[512], *text;
	struct json_object *want, *got, *v, *p;
	size_t len;

	(void)state;
	ack = slack_ack_build("1d3c79ab-0ffb-41f3-a080-d19e85f53649", NULL);
	assert_string_equal(ack, "{\"envelope_id\":"
				 "\"1d3c79ab-0ffb-41f3-a080-d19e85f53649\"}");
	free(ack);
	ack = slack_ack_build("e1", "Status \"recorded\" <ok> & 已记录\n");
	got = json_tokener_parse(ack);
	assert_non_null(got);
	assert_true(json_object_object_get_ex(got, "payload", &p));
	assert_true(json_object_object_get_ex(p, "response_type", &v));
	assert_string_equal(json_object_get_string(v), "ephemeral");
	assert_true(json_object_object_get_ex(p, "text", &v));
	assert_string_equal(json_object_get_string(v),
			    "Status \"recorded\" <ok> & 已记录\n");
	json_object_put(got);
	free(ack);

	if (!have_fixtures())
		skip();
	snprintf(path, sizeof path, "%s/%s", FIXTURES,
		 "slack_socket_mode_slash_commands_ack.json");
	text = read_file(path, &len);
	assert_non_null(text);
	want = json_tokener_parse(text);
	assert_non_null(want);
	assert_true(json_object_object_get_ex(want, "envelope_id", &v));
	ack = slack_ack_build(json_object_get_string(v), "x");
	got = json_tokener_parse(ack);
	assert_true(json_object_object_get_ex(got, "envelope_id", &p));
	assert_string_equal(json_object_get_string(p),
			    json_object_get_string(v));
	assert_true(json_object_object_get_ex(want, "payload", &v));
	assert_true(json_object_is_type(v, json_type_object));
	json_object_put(got);
	json_object_put(want);
	free(ack);
	free(text);
}

/* Frames that parse, with what must come out. */
static const struct {
	const char *text;
	int kind;
	int type;	 /* envelopes */
	const char *id;	 /* envelope id, or disconnect reason */
	long conn_time;	 /* hello */
	int retry;	 /* envelopes */
	int has_payload; /* envelopes */
} good[] = {
	{ "{\"type\":\"hello\"}", SLACK_FRAME_HELLO, 0, NULL, -1, 0, 0 },
	{ "{\"type\":\"hello\",\"debug_info\":{\"approximate_connection_"
	  "time\":18060}}  \n",
	  SLACK_FRAME_HELLO, 0, NULL, 18060, 0, 0 },
	{ "{\"type\":\"hello\",\"debug_info\":null}", SLACK_FRAME_HELLO, 0,
	  NULL, -1, 0, 0 },
	{ "{\"type\":\"disconnect\"}", SLACK_FRAME_DISCONNECT, 0, "", -1, 0,
	  0 },
	{ "{\"type\":\"disconnect\",\"reason\":\"too_many_websockets\"}",
	  SLACK_FRAME_DISCONNECT, 0, "too_many_websockets", -1, 0, 0 },
	{ "{\"type\":\"events_api\",\"envelope_id\":\"a-1\",\"payload\":{}}",
	  SLACK_FRAME_ENVELOPE, SLACK_ENV_EVENTS_API, "a-1", -1, 0, 1 },
	{ "{\"type\":\"interactive\",\"envelope_id\":\"b_2.3\","
	  "\"retry_attempt\":1000}",
	  SLACK_FRAME_ENVELOPE, SLACK_ENV_INTERACTIVE, "b_2.3", -1, 1000, 0 },
	{ "{\"type\":\"something_new\",\"envelope_id\":\"c\","
	  "\"payload\":null,\"retry_reason\":null}",
	  SLACK_FRAME_ENVELOPE, SLACK_ENV_OTHER, "c", -1, 0, 0 },
	{ "{\"envelope_id\":\"d\",\"type\":\"slash_commands\","
	  "\"accepts_response_payload\":false,\"extra\":[1,2,{\"x\":3}]}",
	  SLACK_FRAME_ENVELOPE, SLACK_ENV_SLASH_COMMANDS, "d", -1, 0, 0 },
};

static void
test_good(void **state)
{
	struct slack_frame f;
	char *cause = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		if (slack_frame_parse(good[i].text, strlen(good[i].text), &f,
				      &cause) != 0)
			fail_msg("case %zu: %s", i, cause);
		assert_null(cause);
		assert_int_equal(f.kind, good[i].kind);
		switch (f.kind) {
		case SLACK_FRAME_HELLO:
			assert_int_equal(f.connection_time, good[i].conn_time);
			break;
		case SLACK_FRAME_DISCONNECT:
			assert_string_equal(f.reason, good[i].id);
			break;
		default:
			assert_int_equal(f.type, good[i].type);
			assert_string_equal(f.envelope_id, good[i].id);
			assert_int_equal(f.retry_attempt, good[i].retry);
			assert_int_equal(f.payload != NULL,
					 good[i].has_payload);
			break;
		}
		slack_frame_release(&f);
	}
}

/* Frames refused, with the cause they must give. */
static const struct {
	const char *text;
	size_t len; /* 0: strlen */
	const char *err;
} bad[] = {
	{ "", 0, "frame is empty" },
	{ "[]", 0, "frame is not a JSON object" },
	{ "\"hello\"", 0, "frame is not a JSON object" },
	{ "{\"type\":\"hello\"", 0, "frame is not JSON" },
	{ "{\"type\":\"hello\"} x", 0, "frame has data after the JSON value" },
	{ "{\"type\":\"hello\"}{}", 0, "frame has data after the JSON value" },
	{ "{\"type\":\"hel\0lo\"}", 17, "frame holds a NUL byte" },
	{ "{\"type\":\"\xff\"}", 0, "frame is not valid UTF-8" },
	{ "{}", 0, "frame without type" },
	{ "{\"type\":null}", 0, "frame without type" },
	{ "{\"type\":1}", 0, "field type is not a string" },
	{ "{\"type\":\"ping\"}", 0,
	  "frame of an unknown type without envelope_id" },
	{ "{\"type\":\"hello\",\"num_connections\":\"1\"}", 0,
	  "field num_connections is not an integer" },
	{ "{\"type\":\"hello\",\"debug_info\":[]}", 0,
	  "field debug_info is not an object" },
	{ "{\"type\":\"hello\",\"debug_info\":{\"approximate_connection_"
	  "time\":-5}}",
	  0, "field approximate_connection_time is out of range" },
	{ "{\"type\":\"hello\",\"debug_info\":{\"approximate_connection_"
	  "time\":1.5}}",
	  0, "field approximate_connection_time is not an integer" },
	{ "{\"type\":\"disconnect\",\"reason\":5}", 0,
	  "field reason is not a string" },
	{ "{\"type\":\"events_api\",\"envelope_id\":null}", 0,
	  "envelope without envelope_id" },
	{ "{\"type\":\"events_api\",\"envelope_id\":\"\"}", 0,
	  "field envelope_id is not a valid id" },
	{ "{\"type\":\"events_api\",\"envelope_id\":\"a b\"}", 0,
	  "field envelope_id is not a valid id" },
	{ "{\"type\":\"events_api\",\"envelope_id\":\"a\\\"}\"}", 0,
	  "field envelope_id is not a valid id" },
	{ "{\"type\":\"events_api\",\"envelope_id\":\"a\\u0000b\"}", 0,
	  "field envelope_id holds a NUL byte" },
	{ "{\"type\":\"events_api\",\"envelope_id\":7}", 0,
	  "field envelope_id is not a string" },
	{ "{\"type\":\"events_api\",\"envelope_id\":\"a\","
	  "\"retry_attempt\":-1}",
	  0, "field retry_attempt is out of range" },
	{ "{\"type\":\"events_api\",\"envelope_id\":\"a\","
	  "\"retry_attempt\":1001}",
	  0, "field retry_attempt is out of range" },
	{ "{\"type\":\"events_api\",\"envelope_id\":\"a\","
	  "\"accepts_response_payload\":1}",
	  0, "field accepts_response_payload is not a boolean" },
	{ "{\"type\":\"events_api\",\"envelope_id\":\"a\",\"payload\":[]}", 0,
	  "field payload is not an object" },
	{ "{\"type\":\"events_api\",\"envelope_id\":\"a\","
	  "\"payload\":\"{}\"}",
	  0, "field payload is not an object" },
};

static void
test_bad(void **state)
{
	struct slack_frame f;
	char *cause;
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cause = NULL;
		len = bad[i].len != 0 ? bad[i].len : strlen(bad[i].text);
		if (slack_frame_parse(bad[i].text, len, &f, &cause) != -1)
			fail_msg("case %zu parsed", i);
		assert_non_null(cause);
		if (strncmp(cause, bad[i].err, strlen(bad[i].err)) != 0)
			fail_msg("case %zu: got '%s', want '%s'", i, cause,
				 bad[i].err);
		assert_null(f.envelope_id);
		assert_null(f.payload);
		free(cause);
	}
}

/* Sizes: a long id, an oversize frame, deep nesting. */
static void
test_limits(void **state)
{
	struct slack_frame f;
	char *text, *cause = NULL;
	size_t n, i;

	(void)state;
	/* An id of SLACK_ID_MAX bytes is fine, one more is not. */
	text = malloc(SLACK_ID_MAX + 64);
	assert_non_null(text);
	n = (size_t)snprintf(text, SLACK_ID_MAX + 64,
			     "{\"type\":\"x\",\"envelope_id\":\"%0*d\"}",
			     SLACK_ID_MAX, 7);
	assert_int_equal(slack_frame_parse(text, n, &f, &cause), 0);
	assert_int_equal(strlen(f.envelope_id), SLACK_ID_MAX);
	slack_frame_release(&f);
	n = (size_t)snprintf(text, SLACK_ID_MAX + 64,
			     "{\"type\":\"x\",\"envelope_id\":\"%0*d\"}",
			     SLACK_ID_MAX + 1, 7);
	assert_int_equal(slack_frame_parse(text, n, &f, &cause), -1);
	assert_string_equal(cause, "field envelope_id is longer than 128 "
				   "bytes");
	free(cause);
	cause = NULL;
	free(text);

	/* Over the frame cap: refused before parsing. */
	n = SLACK_FRAME_MAX + 1;
	text = malloc(n);
	assert_non_null(text);
	memset(text, ' ', n);
	text[0] = '{';
	text[n - 1] = '}';
	assert_int_equal(slack_frame_parse(text, n, &f, &cause), -1);
	assert_non_null(strstr(cause, "longer than"));
	free(cause);
	cause = NULL;
	free(text);

	/* Nesting beyond SLACK_JSON_DEPTH. */
	n = 2 * SLACK_JSON_DEPTH + 32;
	text = calloc(1, n + 1);
	assert_non_null(text);
	i = (size_t)snprintf(text, n, "{\"type\":\"hello\",\"x\":");
	memset(text + i, '[', SLACK_JSON_DEPTH);
	i += SLACK_JSON_DEPTH;
	memset(text + i, ']', SLACK_JSON_DEPTH);
	i += SLACK_JSON_DEPTH;
	text[i++] = '}';
	assert_int_equal(slack_frame_parse(text, i, &f, &cause), -1);
	assert_non_null(strstr(cause, "frame is not JSON"));
	free(cause);
	free(text);
}

/* Events API payloads. */
static const struct {
	const char *payload;
	const char *err; /* NULL: parses */
	const char *type, *subtype, *user, *bot_id, *channel_type, *text;
} events[] = {
	{ "{\"type\":\"event_callback\",\"event_id\":\"Ev1\",\"event\":"
	  "{\"type\":\"message\",\"channel\":\"D1\",\"user\":\"U1\","
	  "\"text\":\"hi &amp; "
	  "<@U2>\",\"ts\":\"1.2\",\"channel_type\":\"im\"}}",
	  NULL, "message", NULL, "U1", NULL, "im", "hi &amp; <@U2>" },
	{ "{\"type\":\"event_callback\",\"event\":{\"type\":\"message\","
	  "\"subtype\":\"bot_message\",\"bot_id\":\"B1\",\"text\":\"x\"}}",
	  NULL, "message", "bot_message", NULL, "B1", NULL, "x" },
	{ "{\"type\":\"event_callback\",\"event\":{\"type\":\"reaction_added\""
	  ",\"item\":{\"ts\":1}}}",
	  NULL, "reaction_added", NULL, NULL, NULL, NULL, NULL },
	{ "{\"type\":\"url_verification\",\"challenge\":\"x\"}",
	  "payload is not an event_callback", NULL, NULL, NULL, NULL, NULL,
	  NULL },
	{ "{\"event\":{}}", "payload is not an event_callback", NULL, NULL,
	  NULL, NULL, NULL, NULL },
	{ "{\"type\":\"event_callback\"}", "event_callback without event", NULL,
	  NULL, NULL, NULL, NULL, NULL },
	{ "{\"type\":\"event_callback\",\"event\":[]}",
	  "event_callback without event", NULL, NULL, NULL, NULL, NULL, NULL },
	{ "{\"type\":\"event_callback\",\"event\":{}}", "event without type",
	  NULL, NULL, NULL, NULL, NULL, NULL },
	{ "{\"type\":\"event_callback\",\"event\":{\"type\":\"message\","
	  "\"user\":\"U 1\"}}",
	  "field user is not a valid id", NULL, NULL, NULL, NULL, NULL, NULL },
	{ "{\"type\":\"event_callback\",\"event\":{\"type\":\"message\","
	  "\"text\":[\"x\"]}}",
	  "field text is not a string", NULL, NULL, NULL, NULL, NULL, NULL },
	{ "{\"type\":\"event_callback\",\"event_id\":\"Ev/1\",\"event\":"
	  "{\"type\":\"message\"}}",
	  "field event_id is not a valid id", NULL, NULL, NULL, NULL, NULL,
	  NULL },
	{ "{\"type\":\"event_callback\",\"event\":{\"type\":\"message\","
	  "\"ts\":1610241741.0002}}",
	  "field ts is not a string", NULL, NULL, NULL, NULL, NULL, NULL },
};

static void
test_events(void **state)
{
	struct json_object *o;
	struct slack_event e;
	char *cause;
	size_t i;

	(void)state;
	cause = NULL;
	assert_int_equal(slack_event_parse(NULL, &e, &cause), -1);
	assert_string_equal(cause, "events_api envelope without payload");
	free(cause);
	for (i = 0; i < sizeof events / sizeof events[0]; i++) {
		cause = NULL;
		o = json_tokener_parse(events[i].payload);
		assert_non_null(o);
		if (events[i].err != NULL) {
			assert_int_equal(slack_event_parse(o, &e, &cause), -1);
			assert_non_null(cause);
			if (strncmp(cause, events[i].err,
				    strlen(events[i].err)) != 0)
				fail_msg("case %zu: got '%s'", i, cause);
			assert_null(e.type);
			free(cause);
			json_object_put(o);
			continue;
		}
		if (slack_event_parse(o, &e, &cause) != 0)
			fail_msg("case %zu: %s", i, cause);
#define SAME(field)                                                            \
	do {                                                                   \
		if (events[i].field == NULL)                                   \
			assert_null(e.field);                                  \
		else                                                           \
			assert_string_equal(e.field, events[i].field);         \
	} while (0)
		SAME(type);
		SAME(subtype);
		SAME(user);
		SAME(bot_id);
		SAME(channel_type);
		SAME(text);
#undef SAME
		slack_event_release(&e);
		json_object_put(o);
	}
}

static void
test_id_valid(void **state)
{
	(void)state;
	assert_true(slack_id_valid("U012AB3CD"));
	assert_true(slack_id_valid("1503435956.000247"));
	assert_false(slack_id_valid(""));
	assert_false(slack_id_valid(NULL));
	assert_false(slack_id_valid("C1:2"));
	assert_false(slack_id_valid("a/b"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures), cmocka_unit_test(test_ack),
		cmocka_unit_test(test_good),	 cmocka_unit_test(test_bad),
		cmocka_unit_test(test_limits),	 cmocka_unit_test(test_events),
		cmocka_unit_test(test_id_valid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
