/* SPDX-License-Identifier: MIT */
/*
 * test-mm-event.c: the Mattermost WebSocket frame parser and the
 * authentication_challenge builder (src/adapter/mm-event.c). Frames are
 * table-driven; the recorded fixtures in ../shared/specs/fixtures are used
 * when that directory exists and skipped otherwise.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../../src/adapter/mm-event.h"
#include "lihui/buf.h"

#define FIXTURES "../shared/specs/fixtures"

/*
 * What a frame must parse to. NULL strings, from_bot outside posted and
 * n_mentions -1 are not checked; seq and seq_reply always are.
 */
struct want {
	int fail; /* 1: must be refused, cause containing cause */
	const char *cause;
	enum mm_msg_kind kind;
	int64_t seq;
	const char *event;
	const char *connection_id;
	const char *server_version;
	int64_t seq_reply;
	const char *status;
	const char *error_id;
	const char *post_id;
	const char *channel_id;
	const char *user_id;
	const char *message;
	const char *root_id;
	const char *post_type;
	const char *channel_type;
	const char *channel_name;
	const char *sender_name;
	const char *team_id;
	int from_bot;
	int n_mentions; /* -1: not checked */
	const char *mention0;
};

static void check_str(const char *, const char *, const char *);
static void check_empty(const struct mm_msg *);
static void check_frame(const char *, const char *, size_t,
			const struct want *);
static char *read_file(const char *, size_t *);
static char *squeeze_json(const char *);
static char *post_frame(const char *, const char *);
static int have_fixtures(void);
static void test_frames(void **);
static void test_null_bytes(void **);
static void test_oversized(void **);
static void test_deep(void **);
static void test_release_twice(void **);
static void test_auth_challenge(void **);
static void test_fixtures(void **);
static void test_fixture_challenge(void **);

#define POSTED_DM                                                              \
	"{\"event\":\"posted\",\"data\":{\"channel_display_name\":\"@alice\"," \
	"\"channel_name\":\"aaaa__bbbb\",\"channel_type\":\"D\","              \
	"\"sender_name\":\"@alice\",\"team_id\":\"\",\"set_online\":true,"     \
	"\"mentions\":\"[\\\"botid\\\"]\",\"post\":\"{\\\"id\\\":\\\"p1\\\","  \
	"\\\"user_id\\\":\\\"aaaa\\\",\\\"channel_id\\\":\\\"c1\\\","          \
	"\\\"root_id\\\":\\\"\\\",\\\"message\\\":\\\"/agenda add "            \
	"\xe5\xae\x9a\xe4\xbb\xb7 15m\\\",\\\"type\\\":\\\"\\\","              \
	"\\\"props\\\":{}}\"},\"broadcast\":{\"omit_users\":null,"             \
	"\"user_id\":\"\",\"channel_id\":\"c1\",\"team_id\":\"\"},\"seq\":7}"

#define POSTED_BOT                                                             \
	"{\"event\":\"posted\",\"data\":{\"channel_name\":\"town-square\","    \
	"\"channel_type\":\"O\",\"sender_name\":\"@ci\",\"team_id\":\"t1\","   \
	"\"post\":\"{\\\"id\\\":\\\"p2\\\",\\\"user_id\\\":\\\"ci\\\","        \
	"\\\"channel_id\\\":\\\"c2\\\",\\\"root_id\\\":\\\"p0\\\","            \
	"\\\"message\\\":\\\"build ok\\\",\\\"type\\\":\\\"\\\","              \
	"\\\"props\\\":{\\\"from_bot\\\":\\\"true\\\",\\\"attachments\\\":"    \
	"[{\\\"fields\\\":[{\\\"short\\\":1}]}]}}\"},\"seq\":12}"

#define P(inner) "{\"event\":\"posted\",\"data\":{\"post\":\"" inner "\"}}"
#define ID3                                                                    \
	"\\\"id\\\":\\\"p\\\",\\\"user_id\\\":\\\"u\\\",\\\"channel_id\\\":"   \
	"\\\"c\\\""

static const struct {
	const char *name;
	const char *frame;
	struct want want;
} cases[] = {
	{ "hello",
	  "{\"event\":\"hello\",\"data\":{\"connection_id\":\"cid\","
	  "\"server_version\":\"9.11.0\"},\"seq\":0}",
	  { .kind = MM_MSG_HELLO,
	    .seq = 0,
	    .event = "hello",
	    .connection_id = "cid",
	    .server_version = "9.11.0",
	    .seq_reply = -1,
	    .n_mentions = -1 } },
	{ "hello without data",
	  "{\"event\":\"hello\",\"seq\":0}",
	  { .kind = MM_MSG_HELLO,
	    .seq = 0,
	    .event = "hello",
	    .seq_reply = -1,
	    .n_mentions = -1 } },
	{ "posted in a DM",
	  POSTED_DM,
	  { .kind = MM_MSG_POSTED,
	    .seq = 7,
	    .event = "posted",
	    .seq_reply = -1,
	    .post_id = "p1",
	    .channel_id = "c1",
	    .user_id = "aaaa",
	    .message = "/agenda add \xe5\xae\x9a\xe4\xbb\xb7 15m",
	    .root_id = "",
	    .post_type = "",
	    .channel_type = "D",
	    .channel_name = "aaaa__bbbb",
	    .sender_name = "@alice",
	    .team_id = "",
	    .from_bot = 0,
	    .n_mentions = 1,
	    .mention0 = "botid" } },
	{ "posted by a bot",
	  POSTED_BOT,
	  { .kind = MM_MSG_POSTED,
	    .seq = 12,
	    .event = "posted",
	    .seq_reply = -1,
	    .post_id = "p2",
	    .channel_id = "c2",
	    .user_id = "ci",
	    .message = "build ok",
	    .root_id = "p0",
	    .post_type = "",
	    .channel_type = "O",
	    .channel_name = "town-square",
	    .sender_name = "@ci",
	    .team_id = "t1",
	    .from_bot = 1,
	    .n_mentions = 0 } },
	{ "posted, from_bot boolean, minimal post",
	  P("{" ID3 ",\\\"props\\\":{\\\"from_bot\\\":true}}"),
	  { .kind = MM_MSG_POSTED,
	    .seq = -1,
	    .event = "posted",
	    .seq_reply = -1,
	    .post_id = "p",
	    .channel_id = "c",
	    .user_id = "u",
	    .message = "",
	    .root_id = "",
	    .post_type = "",
	    .channel_type = "",
	    .channel_name = "",
	    .sender_name = "",
	    .team_id = "",
	    .from_bot = 1,
	    .n_mentions = 0 } },
	{ "posted system message, from_bot \"false\"",
	  P("{" ID3 ",\\\"type\\\":\\\"system_join_channel\\\","
	    "\\\"props\\\":{\\\"from_bot\\\":\\\"false\\\"}}"),
	  { .kind = MM_MSG_POSTED,
	    .seq = -1,
	    .seq_reply = -1,
	    .post_type = "system_join_channel",
	    .from_bot = 0,
	    .n_mentions = -1 } },
	{ "posted, escapes in message",
	  P("{" ID3 ",\\\"message\\\":\\\"caf\\\\u00e9 \\\\\\\"q\\\\\\\"\\\"}"),
	  { .kind = MM_MSG_POSTED,
	    .seq = -1,
	    .seq_reply = -1,
	    .message = "caf\xc3\xa9 \"q\"",
	    .n_mentions = -1 } },
	{ "posted with two mentions",
	  "{\"event\":\"posted\",\"data\":{\"mentions\":\"[\\\"u1\\\", "
	  "\\\"u2\\\"]\",\"post\":\"{" ID3 "}\"},\"seq\":3}",
	  { .kind = MM_MSG_POSTED,
	    .seq = 3,
	    .seq_reply = -1,
	    .n_mentions = 2,
	    .mention0 = "u1" } },
	{ "posted, empty mentions array",
	  "{\"event\":\"posted\",\"data\":{\"mentions\":\"[]\",\"post\":\"{" ID3
	  "}\"}}",
	  { .kind = MM_MSG_POSTED,
	    .seq = -1,
	    .seq_reply = -1,
	    .n_mentions = 0 } },
	{ "unknown event",
	  "{\"event\":\"typing\",\"data\":{\"parent_id\":1},\"seq\":44}",
	  { .kind = MM_MSG_OTHER,
	    .seq = 44,
	    .event = "typing",
	    .seq_reply = -1,
	    .n_mentions = -1 } },
	{ "post_edited is other",
	  "{\"event\":\"post_edited\",\"data\":{\"post\":5},\"seq\":45}",
	  { .kind = MM_MSG_OTHER,
	    .seq = 45,
	    .event = "post_edited",
	    .seq_reply = -1,
	    .n_mentions = -1 } },
	{ "event without seq",
	  "{\"event\":\"status_change\"}",
	  { .kind = MM_MSG_OTHER,
	    .seq = -1,
	    .event = "status_change",
	    .seq_reply = -1,
	    .n_mentions = -1 } },
	{ "ping reply",
	  "{\"status\":\"OK\",\"seq_reply\":5,\"data\":{\"text\":\"pong\"}}",
	  { .kind = MM_MSG_RESPONSE,
	    .seq = -1,
	    .seq_reply = 5,
	    .status = "OK",
	    .n_mentions = -1 } },
	{ "fail reply",
	  "{\"status\":\"FAIL\",\"seq_reply\":9,\"error\":{\"id\":\"e.x\","
	  "\"message\":\"m\"}}",
	  { .kind = MM_MSG_RESPONSE,
	    .seq = -1,
	    .seq_reply = 9,
	    .status = "FAIL",
	    .error_id = "e.x",
	    .n_mentions = -1 } },
	{ "trailing whitespace",
	  "{\"event\":\"x\",\"seq\":1} \r\n",
	  { .kind = MM_MSG_OTHER,
	    .seq = 1,
	    .event = "x",
	    .seq_reply = -1,
	    .n_mentions = -1 } },

	/* Malformed frames. */
	{ "empty", "", { .fail = 1, .cause = "frame is empty" } },
	{ "truncated",
	  "{\"event\":\"hello\",\"seq\":",
	  { .fail = 1, .cause = "truncated" } },
	{ "not JSON", "hello", { .fail = 1, .cause = "not valid JSON" } },
	{ "trailing garbage",
	  "{\"event\":\"x\"}x",
	  { .fail = 1, .cause = "frame" } },
	{ "two values",
	  "{\"event\":\"x\"} {}",
	  { .fail = 1, .cause = "frame" } },
	{ "array", "[1]", { .fail = 1, .cause = "not a JSON object" } },
	{ "null", "null", { .fail = 1, .cause = "frame is JSON null" } },
	{ "number",
	  "123",
	  { .fail = 1, .cause = "frame is not a JSON object" } },
	{ "string",
	  "\"s\"",
	  { .fail = 1, .cause = "frame is not a JSON object" } },
	{ "posted, inner null",
	  P("null"),
	  { .fail = 1, .cause = "'data.post' is JSON null" } },
	{ "mentions null inside",
	  "{\"event\":\"posted\",\"data\":{\"mentions\":\"null\",\"post\":"
	  "\"{" ID3 "}\"}}",
	  { .fail = 1, .cause = "'data.mentions' is JSON null" } },
	{ "no event",
	  "{\"seq\":1,\"data\":{}}",
	  { .fail = 1, .cause = "neither 'event' nor 'seq_reply'" } },
	{ "event not a string",
	  "{\"event\":5,\"seq\":1}",
	  { .fail = 1, .cause = "'event' is not a string" } },
	{ "event null",
	  "{\"event\":null,\"seq\":1}",
	  { .fail = 1, .cause = "'event' is missing" } },
	{ "event empty",
	  "{\"event\":\"\",\"seq\":1}",
	  { .fail = 1, .cause = "'event' is empty" } },
	{ "seq as string",
	  "{\"event\":\"hello\",\"seq\":\"0\"}",
	  { .fail = 1, .cause = "'seq' is not an integer" } },
	{ "seq as double",
	  "{\"event\":\"hello\",\"seq\":1.5}",
	  { .fail = 1, .cause = "'seq' is not an integer" } },
	{ "seq negative",
	  "{\"event\":\"hello\",\"seq\":-1}",
	  { .fail = 1, .cause = "'seq' is out of range" } },
	{ "seq_reply zero",
	  "{\"status\":\"OK\",\"seq_reply\":0}",
	  { .fail = 1, .cause = "'seq_reply' is out of range" } },
	{ "seq_reply as string",
	  "{\"status\":\"OK\",\"seq_reply\":\"1\"}",
	  { .fail = 1, .cause = "'seq_reply' is not an integer" } },
	{ "reply without status",
	  "{\"seq_reply\":1}",
	  { .fail = 1, .cause = "'status' is missing" } },
	{ "reply error not an object",
	  "{\"status\":\"FAIL\",\"seq_reply\":1,\"error\":\"x\"}",
	  { .fail = 1, .cause = "'error' is not an object" } },
	{ "hello data not an object",
	  "{\"event\":\"hello\",\"data\":[]}",
	  { .fail = 1, .cause = "'data' is not an object" } },
	{ "hello connection_id number",
	  "{\"event\":\"hello\",\"data\":{\"connection_id\":7}}",
	  { .fail = 1, .cause = "'data.connection_id' is not a string" } },
	{ "posted without data",
	  "{\"event\":\"posted\",\"seq\":1}",
	  { .fail = 1, .cause = "'data' is missing" } },
	{ "posted without post",
	  "{\"event\":\"posted\",\"data\":{\"channel_type\":\"D\"}}",
	  { .fail = 1, .cause = "'data.post' is missing" } },
	{ "posted, post is an object",
	  "{\"event\":\"posted\",\"data\":{\"post\":{\"id\":\"p\"}}}",
	  { .fail = 1, .cause = "'data.post' is not a string" } },
	{ "posted, inner JSON broken",
	  P("{\\\"id\\\":\\\"p\\\","),
	  { .fail = 1, .cause = "'data.post' is truncated JSON" } },
	{ "posted, inner JSON garbage",
	  P("{id:p}"),
	  { .fail = 1, .cause = "'data.post' is not valid JSON" } },
	{ "posted, inner is an array",
	  P("[]"),
	  { .fail = 1, .cause = "'data.post' is not a JSON object" } },
	{ "posted, inner empty",
	  P(""),
	  { .fail = 1, .cause = "'data.post' is empty" } },
	{ "post without id",
	  P("{\\\"user_id\\\":\\\"u\\\",\\\"channel_id\\\":\\\"c\\\"}"),
	  { .fail = 1, .cause = "'post.id' is missing" } },
	{ "post without channel_id",
	  P("{\\\"id\\\":\\\"p\\\",\\\"user_id\\\":\\\"u\\\"}"),
	  { .fail = 1, .cause = "'post.channel_id' is missing" } },
	{ "post without user_id",
	  P("{\\\"id\\\":\\\"p\\\",\\\"channel_id\\\":\\\"c\\\"}"),
	  { .fail = 1, .cause = "'post.user_id' is missing" } },
	{ "post id empty",
	  P("{\\\"id\\\":\\\"\\\",\\\"user_id\\\":\\\"u\\\","
	    "\\\"channel_id\\\":\\\"c\\\"}"),
	  { .fail = 1, .cause = "'post.id' is empty" } },
	{ "post message a number",
	  P("{" ID3 ",\\\"message\\\":5}"),
	  { .fail = 1, .cause = "'post.message' is not a string" } },
	{ "post props a string",
	  P("{" ID3 ",\\\"props\\\":\\\"x\\\"}"),
	  { .fail = 1, .cause = "'post.props' is not an object" } },
	{ "post message with escaped NUL",
	  P("{" ID3 ",\\\"message\\\":\\\"a\\\\u0000b\\\"}"),
	  { .fail = 1, .cause = "'post.message' is not valid UTF-8" } },
	{ "invalid UTF-8 in message",
	  P("{" ID3 ",\\\"message\\\":\\\"a\xff\xfe\\\"}"),
	  { .fail = 1, .cause = "frame is not valid UTF-8" } },
	{ "overlong UTF-8 in message",
	  P("{" ID3 ",\\\"message\\\":\\\"\xc0\xaf\\\"}"),
	  { .fail = 1, .cause = "frame is not valid UTF-8" } },
	{ "truncated UTF-8 at the end",
	  "{\"event\":\"x\xe5\xae",
	  { .fail = 1, .cause = "frame is not valid UTF-8" } },
	{ "mentions not an array",
	  "{\"event\":\"posted\",\"data\":{\"mentions\":\"{}\",\"post\":\"{" ID3
	  "}\"}}",
	  { .fail = 1, .cause = "'data.mentions' is not a JSON array" } },
	{ "mentions an array, not a string",
	  "{\"event\":\"posted\",\"data\":{\"mentions\":[\"u\"],\"post\":"
	  "\"{" ID3 "}\"}}",
	  { .fail = 1, .cause = "'data.mentions' is not a string" } },
	{ "mentions broken",
	  "{\"event\":\"posted\",\"data\":{\"mentions\":\"[\\\"u\","
	  "\"post\":\"{" ID3 "}\"}}",
	  { .fail = 1, .cause = "'data.mentions' is truncated JSON" } },
	{ "mentions holds a number",
	  "{\"event\":\"posted\",\"data\":{\"mentions\":\"[\\\"u\\\",2]\","
	  "\"post\":\"{" ID3 "}\"}}",
	  { .fail = 1, .cause = "'data.mentions' holds a value" } },
	{ "mentions holds null",
	  "{\"event\":\"posted\",\"data\":{\"mentions\":\"[null]\","
	  "\"post\":\"{" ID3 "}\"}}",
	  { .fail = 1, .cause = "'data.mentions' holds a null" } },
	{ "mentions holds an empty id",
	  "{\"event\":\"posted\",\"data\":{\"mentions\":\"[\\\"\\\"]\","
	  "\"post\":\"{" ID3 "}\"}}",
	  { .fail = 1, .cause = "'data.mentions' holds an invalid id" } },
	{ "channel_type a number",
	  "{\"event\":\"posted\",\"data\":{\"channel_type\":1,\"post\":\"{" ID3
	  "}\"}}",
	  { .fail = 1, .cause = "'data.channel_type' is not a string" } },
	{ "team_id too long",
	  "{\"event\":\"posted\",\"data\":{\"team_id\":\"aaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\","
	  "\"post\":\"{" ID3 "}\"}}",
	  { .fail = 1, .cause = "'data.team_id' is too long (65 bytes" } },
};

/* Compare a parsed string with the expected one when one is expected. */
static void
check_str(const char *name, const char *want, const char *got)
{
	if (want == NULL)
		return;
	if (got == NULL || strcmp(want, got) != 0) {
		print_error("%s: want '%s', got '%s'\n", name, want,
			    got == NULL ? "(null)" : got);
		fail();
	}
}

/* A refused frame leaves nothing behind in the struct. */
static void
check_empty(const struct mm_msg *m)
{
	assert_int_equal(m->seq, -1);
	assert_int_equal(m->seq_reply, -1);
	assert_null(m->event);
	assert_null(m->status);
	assert_null(m->post_id);
	assert_null(m->channel_type);
	assert_null(m->channel_name);
	assert_null(m->sender_name);
	assert_null(m->team_id);
	assert_null(m->mentions);
	assert_int_equal(m->n_mentions, 0);
}

/* Parse frame[0..len) and check it against *w. */
static void
check_frame(const char *name, const char *frame, size_t len,
	    const struct want *w)
{
	struct mm_msg m;
	char *cause = NULL;
	int rc;

	rc = mm_msg_parse(frame, len, &m, &cause);
	if (w->fail) {
		if (rc != -1)
			print_error("%s: parsed but must fail\n", name);
		assert_int_equal(rc, -1);
		assert_non_null(cause);
		if (w->cause != NULL && strstr(cause, w->cause) == NULL) {
			print_error("%s: cause '%s' lacks '%s'\n", name, cause,
				    w->cause);
			fail();
		}
		check_empty(&m);
		free(cause);
		return;
	}
	if (rc != 0)
		print_error("%s: %s\n", name, cause);
	assert_int_equal(rc, 0);
	assert_null(cause);
	assert_int_equal(m.kind, w->kind);
	assert_int_equal(m.seq, w->seq);
	assert_int_equal(m.seq_reply, w->seq_reply);
	check_str(name, w->event, m.event);
	check_str(name, w->connection_id, m.connection_id);
	check_str(name, w->server_version, m.server_version);
	check_str(name, w->status, m.status);
	check_str(name, w->error_id, m.error_id);
	check_str(name, w->post_id, m.post_id);
	check_str(name, w->channel_id, m.channel_id);
	check_str(name, w->user_id, m.user_id);
	check_str(name, w->message, m.message);
	check_str(name, w->root_id, m.root_id);
	check_str(name, w->post_type, m.post_type);
	check_str(name, w->channel_type, m.channel_type);
	check_str(name, w->channel_name, m.channel_name);
	check_str(name, w->sender_name, m.sender_name);
	check_str(name, w->team_id, m.team_id);
	if (m.kind == MM_MSG_POSTED) {
		assert_int_equal(m.from_bot, w->from_bot);
		assert_non_null(m.message);
		assert_non_null(m.root_id);
		assert_non_null(m.post_type);
		assert_non_null(m.channel_type);
		assert_non_null(m.team_id);
	} else {
		assert_null(m.post_id);
		assert_null(m.message);
	}
	if (m.kind != MM_MSG_HELLO)
		assert_null(m.connection_id);
	if (m.kind != MM_MSG_RESPONSE)
		assert_null(m.status);
	else
		assert_null(m.event);
	if (w->n_mentions >= 0)
		assert_int_equal(m.n_mentions, (size_t)w->n_mentions);
	if (w->mention0 != NULL) {
		assert_true(m.n_mentions > 0);
		check_str(name, w->mention0, m.mentions[0]);
	}
	mm_msg_release(&m);
	check_empty(&m);
}

static void
test_frames(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check_frame(cases[i].name, cases[i].frame,
			    strlen(cases[i].frame), &cases[i].want);
}

/* NUL bytes inside the frame are refused, wherever they are. */
static void
test_null_bytes(void **state)
{
	static const char in_string[] = "{\"event\":\"hel\0lo\",\"seq\":0}";
	static const char after[] = "{\"event\":\"hello\",\"seq\":0}\0";
	static const char in_post[] =
	    P("{" ID3 ",\\\"message\\\":\\\"a\0b\\\"}");
	const struct want w = { .fail = 1, .cause = "contains a NUL byte" };

	(void)state;
	check_frame("NUL in a string", in_string, sizeof in_string - 1, &w);
	check_frame("NUL after the object", after, sizeof after - 1, &w);
	check_frame("NUL in the post", in_post, sizeof in_post - 1, &w);
}

#define POST_FMT                                                               \
	"{\"event\":\"posted\",\"data\":{\"post\":"                            \
	"\"{\\\"id\\\":\\\"%s\\\",\\\"user_id\\\":\\\"u\\\","                  \
	"\\\"channel_id\\\":\\\"c\\\",\\\"message\\\":"                        \
	"\\\"%s\\\"}\"},\"seq\":2}"

/* A posted frame whose post message is the given (escaped) text. */
static char *
post_frame(const char *message, const char *id)
{
	size_t n = sizeof POST_FMT + strlen(message) + strlen(id);
	char *s = malloc(n);

	assert_non_null(s);
	snprintf(s, n, POST_FMT, id, message);
	return s;
}

/* Caps: frame size, message bytes, id bytes; each exactly at the limit. */
static void
test_oversized(void **state)
{
	const struct want ok = { .kind = MM_MSG_POSTED,
				 .seq = 2,
				 .seq_reply = -1,
				 .n_mentions = 0 };
	const struct want big_msg = { .fail = 1,
				      .cause = "'post.message' is too long "
					       "(65533 bytes, at most 65532)" };
	const struct want big_id = { .fail = 1,
				     .cause = "'post.id' is too long (65 "
					      "bytes, at most 64)" };
	const struct want big_frame = { .fail = 1,
					.cause = "frame is too large (1048577 "
						 "bytes, at most 1048576)" };
	char *text, *frame, id[MM_ID_MAX + 2];
	size_t n;

	(void)state;
	text = malloc(MM_FRAME_MAX + 2);
	assert_non_null(text);

	/* 16383 four-byte characters is the largest message. */
	for (n = 0; n < MM_MESSAGE_MAX; n += 4)
		memcpy(text + n, "\xf0\x9f\x98\x80", 4);
	text[n] = '\0';
	frame = post_frame(text, "p");
	check_frame("message at the cap", frame, strlen(frame), &ok);
	free(frame);
	text[n] = 'x';
	text[n + 1] = '\0';
	frame = post_frame(text, "p");
	check_frame("message over the cap", frame, strlen(frame), &big_msg);
	free(frame);

	memset(id, 'a', MM_ID_MAX);
	id[MM_ID_MAX] = '\0';
	frame = post_frame("hi", id);
	check_frame("id at the cap", frame, strlen(frame), &ok);
	free(frame);
	id[MM_ID_MAX] = 'a';
	id[MM_ID_MAX + 1] = '\0';
	frame = post_frame("hi", id);
	check_frame("id over the cap", frame, strlen(frame), &big_id);
	free(frame);

	/* A valid frame padded with spaces to just over 1 MiB. */
	memset(text, ' ', MM_FRAME_MAX + 1);
	memcpy(text, "{\"event\":\"x\"}", 13);
	check_frame("frame over the cap", text, MM_FRAME_MAX + 1, &big_frame);
	check_frame("frame at the cap", text, MM_FRAME_MAX,
		    &(const struct want){ .kind = MM_MSG_OTHER,
					  .seq = -1,
					  .event = "x",
					  .seq_reply = -1,
					  .n_mentions = -1 });
	free(text);
}

/* Nesting over MM_JSON_DEPTH is refused, in the frame and in the post. */
static void
test_deep(void **state)
{
	const struct want deep = { .fail = 1, .cause = "nesting too deep" };
	const char *head = "{\"event\":\"x\",\"data\":";
	const char *phead = "{\"event\":\"posted\",\"data\":{\"post\":\"{" ID3
			    ",\\\"props\\\":";
	char buf[4096];
	size_t n, i;

	(void)state;
	n = (size_t)snprintf(buf, sizeof buf, "%s", head);
	for (i = 0; i < 200; i++)
		buf[n++] = '[';
	for (i = 0; i < 200; i++)
		buf[n++] = ']';
	buf[n++] = '}';
	check_frame("deep frame", buf, n, &deep);

	n = (size_t)snprintf(buf, sizeof buf, "%s", phead);
	for (i = 0; i < 100; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "{\\\"a\\\":");
	n += (size_t)snprintf(buf + n, sizeof buf - n, "1");
	for (i = 0; i < 100; i++)
		buf[n++] = '}';
	n += (size_t)snprintf(buf + n, sizeof buf - n, "}\"}}");
	assert_true(n < sizeof buf);
	check_frame("deep post", buf, n, &deep);
}

/* Releasing twice, or releasing a refused frame, is harmless. */
static void
test_release_twice(void **state)
{
	struct mm_msg m;
	char *cause = NULL;

	(void)state;
	assert_int_equal(mm_msg_parse(POSTED_DM, strlen(POSTED_DM), &m, &cause),
			 0);
	mm_msg_release(&m);
	mm_msg_release(&m);
	assert_int_equal(mm_msg_parse("{", 1, &m, &cause), -1);
	assert_non_null(cause);
	free(cause);
	mm_msg_release(&m);
	check_empty(&m);
}

static void
test_auth_challenge(void **state)
{
	static const struct {
		const char *token;
		int64_t seq;
		const char *want;
	} tc[] = {
		{ "tok", 1,
		  "{\"seq\":1,\"action\":\"authentication_challenge\","
		  "\"data\":{\"token\":\"tok\"}}" },
		{ "a\"b\\c\n/\xe5\xae\x9a\x01", 9007199254740993LL,
		  "{\"seq\":9007199254740993,\"action\":"
		  "\"authentication_challenge\",\"data\":{\"token\":"
		  "\"a\\\"b\\\\c\\n/\xe5\xae\x9a\\u0001\"}}" },
		{ "", 2,
		  "{\"seq\":2,\"action\":\"authentication_challenge\","
		  "\"data\":{\"token\":\"\"}}" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof tc / sizeof tc[0]; i++) {
		char *got = mm_auth_challenge(tc[i].token, tc[i].seq);

		assert_string_equal(got, tc[i].want);
		free(got);
	}
}

/* Read a whole small file; NULL if it cannot be read. Caller frees. */
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
	assert_true(feof(f)); /* fixtures are small */
	fclose(f);
	s[*len] = '\0';
	return s;
}

/* Drop JSON whitespace outside strings, so texts compare byte for byte. */
static char *
squeeze_json(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;
	int in_str = 0, esc = 0;

	assert_non_null(out);
	for (; *s != '\0'; s++) {
		if (in_str) {
			if (esc)
				esc = 0;
			else if (*s == '\\')
				esc = 1;
			else if (*s == '"')
				in_str = 0;
		} else if (*s == '"') {
			in_str = 1;
		} else if (strchr(" \t\r\n", *s) != NULL) {
			continue;
		}
		*o++ = *s;
	}
	*o = '\0';
	return out;
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

/* Every recorded frame; the known ones are checked field by field. */
static void
test_fixtures(void **state)
{
	static const struct {
		const char *file;
		struct want want;
	} known[] = {
		{ "mattermost_ws_hello_event.json",
		  { .kind = MM_MSG_HELLO,
		    .seq = 0,
		    .event = "hello",
		    .server_version =
			"3.6.0.1451.1c38da627ebb4e3635677db6939e9195",
		    .seq_reply = -1,
		    .n_mentions = -1 } },
		{ "mattermost_ws_hello_event_v7.10.json",
		  { .kind = MM_MSG_HELLO,
		    .seq = 0,
		    .event = "hello",
		    .connection_id = "8qb18j6bbbdxjy13xr953ddjaw",
		    .server_version = "7.10.0.7.10.0."
				      "e4b7e34f4e2e117b73e0b9251399c31e.false",
		    .seq_reply = -1,
		    .n_mentions = -1 } },
		{ "mattermost_ws_posted_event.json",
		  { .kind = MM_MSG_POSTED,
		    .seq = 1,
		    .event = "posted",
		    .seq_reply = -1,
		    .post_id = "xxx",
		    .channel_id = "xxx",
		    .user_id = "xxx",
		    .message = "here",
		    .root_id = "",
		    .post_type = "",
		    .channel_type = "D",
		    .channel_name = "xxx_xxx",
		    .sender_name = "@xxx",
		    .team_id = "",
		    .from_bot = 0,
		    .n_mentions = 1,
		    .mention0 = "xxxx" } },
		{ "mattermost_ws_response_ok.json",
		  { .kind = MM_MSG_RESPONSE,
		    .seq = -1,
		    .seq_reply = 1,
		    .status = "OK",
		    .n_mentions = -1 } },
		{ "mattermost_ws_response_fail.json",
		  { .kind = MM_MSG_RESPONSE,
		    .seq = -1,
		    .seq_reply = 2,
		    .status = "FAIL",
		    .error_id = "some.error.id.here",
		    .n_mentions = -1 } },
		/* A request we send, not a frame we receive. */
		{ "mattermost_ws_authentication_challenge.json",
		  { .fail = 1, .cause = "neither 'event' nor 'seq_reply'" } },
	};
	glob_t g;
	size_t i, k, checked = 0;

	(void)state;
	if (!have_fixtures())
		skip();
	assert_int_equal(glob(FIXTURES "/mattermost_ws_*.json", 0, NULL, &g),
			 0);
	for (i = 0; i < g.gl_pathc; i++) {
		const char *base = strrchr(g.gl_pathv[i], '/') + 1;
		size_t len;
		char *text = read_file(g.gl_pathv[i], &len);
		struct mm_msg m;
		char *cause = NULL;

		assert_non_null(text);
		for (k = 0; k < sizeof known / sizeof known[0]; k++) {
			if (strcmp(known[k].file, base) == 0)
				break;
		}
		if (k < sizeof known / sizeof known[0]) {
			check_frame(base, text, len, &known[k].want);
			checked++;
		} else {
			/* A new fixture: it must parse or fail with a cause. */
			if (mm_msg_parse(text, len, &m, &cause) == 0)
				mm_msg_release(&m);
			else
				assert_non_null(cause);
			free(cause);
		}
		free(text);
	}
	globfree(&g);
	assert_int_equal(checked, sizeof known / sizeof known[0]);
}

/* mm_auth_challenge() writes the documented request exactly. */
static void
test_fixture_challenge(void **state)
{
	char *text, *want, *got;
	size_t len;

	(void)state;
	if (!have_fixtures())
		skip();
	text = read_file(
	    FIXTURES "/mattermost_ws_authentication_challenge.json", &len);
	assert_non_null(text);
	want = squeeze_json(text);
	got = mm_auth_challenge("mattermosttokengoeshere", 1);
	assert_string_equal(got, want);
	free(got);
	free(want);
	free(text);
}

/* PostList answers: sorted oldest first; anything malformed refused. */
static void
test_post_list(void **state)
{
	static const char good[] =
	    "{\"order\":[\"p2\",\"p1\"],\"posts\":{"
	    "\"p2\":{\"id\":\"p2\",\"channel_id\":\"c1\",\"user_id\":"
	    "\"u1\",\"message\":\"second\",\"create_at\":2000},"
	    "\"p1\":{\"id\":\"p1\",\"channel_id\":\"c1\",\"user_id\":"
	    "\"u2\",\"message\":\"first\",\"create_at\":1000,"
	    "\"type\":\"\",\"props\":{\"from_bot\":\"true\"}}},"
	    "\"next_post_id\":\"\"}";
	static const char *const bad[] = {
		"",
		"[]",
		"{\"order\":[]}",
		"{\"posts\":[]}",
		"{\"posts\":{\"p1\":{\"id\":\"p1\"}}}",
		"{\"posts\":{\"p1\":{\"id\":\"p1\",\"channel_id\":\"c\","
		"\"user_id\":\"u\",\"create_at\":\"soon\"}}}",
		"{\"posts\":{\"p1\":{\"id\":\"p1\",\"channel_id\":\"c\","
		"\"user_id\":\"u\",\"create_at\":-5}}}",
		"{\"posts\":{\"p1\":7}}",
		"{\"posts\":{\"p1\":{\"id\":\"p1\",\"channel_id\":\"c\","
		"\"user_id\":\"u\"",
	};
	struct mm_msg *list;
	struct buf big;
	size_t n, i;
	char *cause = NULL;

	(void)state;
	assert_int_equal(
	    mm_post_list_parse(good, strlen(good), &list, &n, &cause), 0);
	assert_int_equal(n, 2);
	assert_string_equal(list[0].message, "first");
	assert_int_equal(list[0].create_at, 1000);
	assert_int_equal(list[0].from_bot, 1);
	assert_string_equal(list[0].user_id, "u2");
	assert_string_equal(list[0].channel_type, "");
	assert_string_equal(list[0].sender_name, "");
	assert_string_equal(list[1].message, "second");
	assert_int_equal(list[1].kind, MM_MSG_POSTED);
	mm_msg_list_free(list, n);

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cause = NULL;
		list = (struct mm_msg *)1;
		if (mm_post_list_parse(bad[i], strlen(bad[i]), &list, &n,
				       &cause) == 0)
			fail_msg("accepted: %s", bad[i]);
		assert_non_null(cause);
		assert_null(list);
		free(cause);
	}

	/* One post more than the limit. */
	buf_init(&big, 1 << 20);
	buf_puts(&big, "{\"posts\":{");
	for (i = 0; i <= MM_POST_LIST_MAX; i++)
		buf_printf(&big,
			   "%s\"p%zu\":{\"id\":\"p%zu\",\"channel_id\":\"c\","
			   "\"user_id\":\"u\",\"create_at\":%zu}",
			   i ? "," : "", i, i, i);
	buf_puts(&big, "}}");
	cause = NULL;
	assert_int_equal(
	    mm_post_list_parse(buf_str(&big), big.len, &list, &n, &cause), -1);
	assert_non_null(strstr(cause, "more than"));
	free(cause);
	buf_release(&big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_frames),
		cmocka_unit_test(test_null_bytes),
		cmocka_unit_test(test_oversized),
		cmocka_unit_test(test_deep),
		cmocka_unit_test(test_release_twice),
		cmocka_unit_test(test_auth_challenge),
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_fixture_challenge),
		cmocka_unit_test(test_post_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
