/* SPDX-License-Identifier: MIT */
/*
 * test-mattermost.c: the real lihui daemon against the fake Mattermost
 * server (tests/lib/fake-mm.c), end to end over real sockets.
 *
 * Each test runs the fake on the loop of the harness (tests/lib/itest.h,
 * which starts, waits for, stops and checks the daemon) and starts lihui
 * on a fresh mode-0600 config and database in the harness's directory,
 * with the bot token in LIHUI_MATTERMOST_TOKEN. The harness learns the
 * slash-command port from lihui's output. Slash commands (the form
 * Mattermost POSTs, by alice in ops unless a test says otherwise) and
 * /healthz go over the harness's HTTP client on the same loop, so the
 * fake keeps answering meanwhile.
 *
 * Every wait is on a condition with a deadline: the conditions here look
 * at the fake's state (ctx is the struct itest), the harness's at the
 * log. Deadlines are five times longer when LIHUI_SLOW is set
 * (valgrind). Every test ends with SIGTERM and checks that lihui exits
 * with status 0 (valgrind reports leaks through the exit status) and
 * that no token appears in its output. ITEST_FILTER (a glob) runs only
 * the tests it names.
 *
 * Covered: start-up (users/me and the WebSocket with the bearer token,
 * /healthz, a server down at first), slash commands (POST, GET, header
 * token) and their ephemeral answers, bad tokens, the DM fallback when
 * ephemeral posts are forbidden, direct messages and mentions over the
 * WebSocket, ignored own and bot posts, a dropped WebSocket resumed
 * without losing or repeating events (also with nothing to replay), a gap
 * in seq, a server restart, a resync after a restart that looks up a
 * user lihui never heard of (and copes when the lookup fails), the
 * pieces of a long reply in order, 429 with Retry-After, 5xx with
 * backoff, a slow REST endpoint not delaying other answers, SIGKILL with
 * posts in flight (the retry carries the same pending_post_id) or never
 * delivered, SIGTERM waiting for a post in flight, 4xx not retried, and
 * action owners looked up by username (unknown ones refused; a lookup
 * that hangs holds a slash command's answer only until the deadline).
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <uv.h>

#include "fake-mm.h"
#include "itest.h"
#include "lihui/xmalloc.h"

#define BOT_TOKEN      "itest-bot-token-s3cr3t-b0t"
#define TOKEN_REPORT   "itestreporttoken0000000001"
#define TOKEN_AGENDA   "itestagendatoken0000000002"
#define TOKEN_LIHUI    "itestlihuitoken00000000003"
#define TOKEN_MEETING  "itestmeetingtoken000000004"
#define OTHER_BOT_ID   "otherbot00000000000000000b"
#define OTHER_BOT_NAME "otherbot"

/* How often wait_no_backlog() asks /healthz, in milliseconds. */
#define POLL_MS	   50
#define CONNECTED  "websocket: connected"
#define POSTS	   "/api/v4/posts"
#define EPHEMERALS "/api/v4/posts/ephemeral"

/* A user lihui never hears of before a resync. */
#define DAVE_ID "dave00000000000000000000du"

/* Another channel (any 26-character id is a channel to the fake). */
#define SECOND_CHANNEL_ID "sec00000000000000000000och"

struct itest {
	struct itest_daemon d; /* lihui, the loop, the waits */
	struct fake_mm *mm;
	char *conf;

	/* Who sends the slash commands, and where (default alice in ops). */
	const char *as_user_id, *as_user_name;
	const char *in_channel_id, *in_channel_name;
};

/* What lihui must never write in its output. */
static const char *const secrets[] = {
	BOT_TOKEN, TOKEN_REPORT, TOKEN_AGENDA, TOKEN_LIHUI, TOKEN_MEETING, NULL,
};

/* Conditions on the fake server (ctx: the struct itest). */

static int
cond_ws_up(void *ctx, const void *arg)
{
	struct itest *t = ctx;

	(void)arg;
	return fake_mm_ws_authenticated(t->mm) &&
	       itest_log_count(&t->d, CONNECTED) > 0;
}

static int
cond_ws_closed(void *ctx, const void *arg)
{
	struct itest *t = ctx;

	(void)arg;
	return fake_mm_ws_open(t->mm) == 0;
}

static int
cond_ephemerals(void *ctx, const void *n)
{
	struct itest *t = ctx;

	return fake_mm_ephemeral_count(t->mm) >= *(const size_t *)n;
}

static int
cond_posts(void *ctx, const void *n)
{
	struct itest *t = ctx;

	return fake_mm_post_count(t->mm) >= *(const size_t *)n;
}

/*
 * At least n posts got a reaction. Distinct posts, not reactions: after
 * a SIGKILL a reaction whose answer was lost is sent again (harmless on
 * Mattermost, where a repeated reaction changes nothing).
 */
static int
cond_reactions(void *ctx, const void *n)
{
	struct itest *t = ctx;
	size_t i, k, distinct = 0;

	for (i = 0; i < fake_mm_reaction_count(t->mm); i++) {
		for (k = 0; k < i; k++)
			if (strcmp(fake_mm_reaction_at(t->mm, i)->post_id,
				   fake_mm_reaction_at(t->mm, k)->post_id) == 0)
				break;
		if (k == i)
			distinct++;
	}
	return distinct >= *(const size_t *)n;
}

static int
cond_resumes(void *ctx, const void *n)
{
	struct itest *t = ctx;

	return fake_mm_ws_resumes(t->mm) >= *(const int *)n;
}

/* Requests matching method and pattern that got an answer. */
struct answered {
	const char *method;
	const char *pattern;
	size_t n;   /* at least this many */
	int status; /* with this status; 0: any */
};

static size_t
count_answered(const struct itest *t, const struct answered *a)
{
	const struct fake_mm_request *r;
	size_t i, n = 0, len = strlen(a->pattern);

	for (i = 0; i < fake_mm_request_count(t->mm); i++) {
		r = fake_mm_request_at(t->mm, i);
		if (strcmp(r->method, a->method) != 0 ||
		    strncmp(r->path, a->pattern, len) != 0 ||
		    r->path[len] != '\0' || r->status == 0)
			continue;
		if (a->status == 0 || r->status == a->status)
			n++;
	}
	return n;
}

static int
cond_answered(void *ctx, const void *arg)
{
	struct itest *t = ctx;
	const struct answered *a = arg;

	return count_answered(t, a) >= a->n;
}

/* The ephemerals whose text holds needle. */
static size_t
ephemerals_with(const struct itest *t, const char *needle)
{
	size_t i, n = 0;

	for (i = 0; i < fake_mm_ephemeral_count(t->mm); i++)
		if (strstr(fake_mm_ephemeral_at(t->mm, i)->message, needle) !=
		    NULL)
			n++;
	return n;
}

struct with {
	const char *needle;
	size_t n;
};

static int
cond_ephemeral_with(void *ctx, const void *arg)
{
	struct itest *t = ctx;
	const struct with *w = arg;

	return ephemerals_with(t, w->needle) >= w->n;
}

/* Set-up and tear-down. */

static int
setup(void **state)
{
	struct itest *t = xcalloc(1, sizeof *t);
	char *cause = NULL, *url;

	itest_init(&t->d, t, secrets);
	t->mm = fake_mm_new(&t->d.loop, BOT_TOKEN, &cause);
	if (t->mm == NULL)
		fail_msg("cannot start the fake server: %s", cause);
	fake_mm_add_user(t->mm, OTHER_BOT_ID, OTHER_BOT_NAME);
	url = fake_mm_url(t->mm, "");
	t->conf = itest_write_file(
	    &t->d, "lihui.conf",
	    "[lihui]\n"
	    "adapter = mattermost\n"
	    "database = %s/lihui.db\n"
	    "[mattermost]\n"
	    "url = %s\n"
	    "listen = 127.0.0.1:0\n"
	    "command_token = report:%s,agenda:%s,lihui:%s,meeting:%s\n",
	    t->d.dir, url, TOKEN_REPORT, TOKEN_AGENDA, TOKEN_LIHUI,
	    TOKEN_MEETING);
	free(url);
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct itest *t = *state;

	fake_mm_close(t->mm);
	itest_release(&t->d);
	free(t->conf);
	free(t);
	return 0;
}

/* Start lihui on the test's config and database; learn its port. */
static void
daemon_start(struct itest *t)
{
	const char *const env[] = { "LIHUI_MATTERMOST_TOKEN=" BOT_TOKEN, NULL };
	const char *const args[] = { "--config", t->conf, NULL };

	itest_start(&t->d, env, args);
	itest_wait_listening(&t->d);
}

/* Start lihui and wait until its WebSocket is up. */
static void
daemon_start_connected(struct itest *t)
{
	daemon_start(t);
	ITEST_WAIT(&t->d, cond_ws_up, NULL, ITEST_START_MS,
		   "the websocket to log in");
}

/* HTTP calls to lihui. */

/*
 * The form of the slash command /trigger text by alice in ops, as
 * Mattermost sends it (token NULL: none). Caller frees.
 */
static char *
slash_form(const struct itest *t, const char *token, const char *trigger,
	   const char *text)
{
	char *body = xstrdup(""), *command = xasprintf("/%s", trigger);

	itest_form_add(&body, "channel_id",
		       t->in_channel_id != NULL ? t->in_channel_id
						: FAKE_MM_CHANNEL_ID);
	itest_form_add(&body, "channel_name",
		       t->in_channel_name != NULL ? t->in_channel_name
						  : FAKE_MM_CHANNEL_NAME);
	itest_form_add(&body, "command", command);
	itest_form_add(&body, "response_url",
		       "http://127.0.0.1:1/hooks/commands/"
		       "xbrkb8p393gjpq5cawei7npije");
	itest_form_add(&body, "team_domain", FAKE_MM_TEAM_NAME);
	itest_form_add(&body, "team_id", FAKE_MM_TEAM_ID);
	itest_form_add(&body, "text", text);
	if (token != NULL)
		itest_form_add(&body, "token", token);
	itest_form_add(&body, "trigger_id", "dHJpZ2dlcg");
	itest_form_add(&body, "user_id",
		       t->as_user_id != NULL ? t->as_user_id
					     : FAKE_MM_ALICE_ID);
	itest_form_add(&body, "user_name",
		       t->as_user_name != NULL ? t->as_user_name : "alice");
	free(command);
	return body;
}

/* Start the slash command /trigger text (a POST, like Mattermost's). */
static void
slash_start(struct itest *t, struct itest_call *c, const char *token,
	    const char *trigger, const char *text)
{
	char *body = slash_form(t, token, trigger, text);

	itest_call_start(&t->d, c, "POST", "/command", body, NULL);
	free(body);
}

/* Send a slash command; lihui must answer 200 "{}" at once. */
static void
slash(struct itest *t, const char *token, const char *trigger, const char *text)
{
	struct itest_call c;

	slash_start(t, &c, token, trigger, text);
	itest_call_wait(&t->d, &c);
	if (c.status != 200) {
		itest_dump_log(&t->d);
		fail_msg("/%s %s answered %ld: %s", trigger, text, c.status,
			 c.body);
	}
	assert_string_equal(c.body, "{}");
	itest_call_release(&c);
}

/* GET /healthz: the status; *backlog from the body. */
static long
healthz(struct itest *t, int *connected, long long *backlog)
{
	struct itest_call c;
	struct json_object *o, *v;
	long status;

	itest_call_start(&t->d, &c, "GET", "/healthz", NULL, NULL);
	itest_call_wait(&t->d, &c);
	status = c.status;
	o = json_tokener_parse(c.body);
	if (o == NULL || !json_object_object_get_ex(o, "websocket", &v)) {
		itest_dump_log(&t->d);
		fail_msg("/healthz answered %ld: %s", c.status, c.body);
	}
	*connected = strcmp(json_object_get_string(v), "connected") == 0;
	if (!json_object_object_get_ex(o, "outbox_backlog", &v))
		fail_msg("/healthz answered %ld: %s", c.status, c.body);
	*backlog = json_object_get_int64(v);
	json_object_put(o);
	itest_call_release(&c);
	return status;
}

/*
 * Wait until every queued message left the outbox, asking /healthz every
 * POLL_MS.
 */
static void
wait_no_backlog_ms(struct itest *t, uint64_t ms)
{
	uint64_t deadline = uv_now(&t->d.loop) + ms * (uint64_t)t->d.slow;
	long long backlog = -1;
	long status = 0;
	int connected;

	for (;;) {
		status = healthz(t, &connected, &backlog);
		if (status == 200 && backlog == 0)
			return;
		if (uv_now(&t->d.loop) >= deadline)
			break;
		itest_settle(&t->d, POLL_MS);
	}
	itest_dump_log(&t->d);
	fail_msg("timed out waiting for the outbox to drain (/healthz %ld, "
		 "backlog %lld)",
		 status, backlog);
}

static void
wait_no_backlog(struct itest *t)
{
	wait_no_backlog_ms(t, ITEST_WAIT_MS);
}

/* The outbox backlog /healthz reports. */
static long long
backlog_now(struct itest *t)
{
	long long backlog;
	int connected;

	assert_int_equal(healthz(t, &connected, &backlog), 200);
	return backlog;
}

/* Push a "posted" event by a bot (props.from_bot), like a webhook's. */
static void
push_bot_post(struct itest *t, const char *channel_id, const char *user_id,
	      const char *message, const char *type)
{
	char *data =
	    fake_mm_posted_data(t->mm, channel_id, user_id, message, type);
	struct json_object *d = json_tokener_parse(data), *post, *v, *props;

	assert_non_null(d);
	assert_true(json_object_object_get_ex(d, "post", &v));
	post = json_tokener_parse(json_object_get_string(v));
	assert_non_null(post);
	props = json_object_new_object();
	json_object_object_add(props, "from_bot",
			       json_object_new_string("true"));
	json_object_object_add(post, "props", props);
	json_object_object_add(
	    d, "post",
	    json_object_new_string(
		json_object_to_json_string_ext(post, JSON_C_TO_STRING_PLAIN)));
	fake_mm_ws_push(
	    t->mm, "posted",
	    json_object_to_json_string_ext(d, JSON_C_TO_STRING_PLAIN), NULL);
	json_object_put(post);
	json_object_put(d);
	free(data);
}

/* The DM channel of alice and the bot. */
static void
alice_dm(char out[27])
{
	fake_mm_direct_id(FAKE_MM_BOT_ID, FAKE_MM_ALICE_ID, out);
}

/* Queue an agenda topic and post the agenda: one channel post. */
static void
agenda_post(struct itest *t, const char *topic)
{
	char *text = xasprintf("add %s", topic);

	slash(t, TOKEN_AGENDA, "agenda", text);
	slash(t, TOKEN_AGENDA, "agenda", "post");
	free(text);
}

/* The tests. */

static int
cond_healthy(void *ctx, const void *arg)
{
	struct itest *t = ctx;
	long long backlog;
	int connected;

	(void)arg;
	return healthz(t, &connected, &backlog) == 200 && connected;
}

/* users/me and the WebSocket with the bearer token; /healthz. */
static void
test_startup(void **state)
{
	struct itest *t = *state;
	const struct fake_mm_request *r;
	long long backlog;
	int connected;
	char *want = xasprintf("Bearer %s", BOT_TOKEN);

	daemon_start_connected(t);
	r = fake_mm_last(t->mm, "GET", "/api/v4/users/me");
	assert_non_null(r);
	assert_int_equal(r->status, 200);
	assert_non_null(fake_mm_header(r, "Authorization"));
	assert_string_equal(fake_mm_header(r, "Authorization"), want);
	r = fake_mm_last(t->mm, "GET", "/api/v4/websocket");
	assert_non_null(r);
	assert_int_equal(r->status, 101);
	assert_non_null(fake_mm_header(r, "Authorization"));
	assert_string_equal(fake_mm_header(r, "Authorization"), want);
	/* A fresh connection: no resume asked. */
	assert_null(strstr(r->target, "connection_id"));
	assert_int_equal(fake_mm_ws_connections(t->mm), 1);
	assert_int_equal(fake_mm_ws_resumes(t->mm), 0);
	assert_non_null(fake_mm_ws_connection_id(t->mm));
	itest_expect_log(&t->d, "connected to http://127.0.0.1:");
	assert_int_equal(healthz(t, &connected, &backlog), 200);
	assert_true(connected);
	assert_int_equal(backlog, 0);
	free(want);
	itest_stop(&t->d);
	/* Nothing was posted by merely starting. */
	assert_int_equal(fake_mm_post_count(t->mm), 0);
	assert_int_equal(fake_mm_ephemeral_count(t->mm), 0);
}

/*
 * The server does not answer users/me at first: lihui keeps running,
 * /healthz says disconnected, and it connects once the server is back.
 */
static void
test_startup_server_down(void **state)
{
	struct itest *t = *state;
	struct answered failed = { "GET", "/api/v4/users/me", 2, 503 };
	long long backlog;
	int connected;

	fake_mm_fail(t->mm, "GET", "/api/v4/users/me", FAKE_MM_ALWAYS, 503, -1);
	daemon_start(t);
	ITEST_WAIT(&t->d, cond_answered, &failed, 2 * ITEST_WAIT_MS,
		   "two users/me attempts");
	itest_expect_log(&t->d,
			 "asking the server who the bot is again in 1 s");
	assert_int_equal(healthz(t, &connected, &backlog), 503);
	assert_false(connected);
	assert_int_equal(fake_mm_count(t->mm, "GET", "/api/v4/websocket"), 0);
	fake_mm_unscript(t->mm);
	ITEST_WAIT(&t->d, cond_ws_up, NULL, 2 * ITEST_WAIT_MS,
		   "the websocket after all");
	ITEST_WAIT(&t->d, cond_healthy, NULL, ITEST_WAIT_MS,
		   "/healthz to say connected");
	itest_stop(&t->d);
}

/* A slash command and its ephemeral answer; bad tokens get 401. */
static void
test_slash_command(void **state)
{
	struct itest *t = *state;
	const struct fake_mm_ephemeral *e;
	const struct fake_mm_request *r;
	struct with w = { "shipped the flux capacitor", 1 };
	struct with marker = { "marker-after-bad-tokens", 1 };
	const char *const token_header[] = {
		"Authorization: Token " TOKEN_REPORT, NULL
	};
	struct itest_call c;
	size_t before;
	char *form, *path;

	daemon_start_connected(t);
	slash(t, TOKEN_REPORT, "report", "done shipped the flux capacitor");
	ITEST_WAIT(&t->d, cond_ephemeral_with, &w, ITEST_WAIT_MS,
		   "the ephemeral answer");
	e = fake_mm_ephemeral_at(t->mm, 0);
	assert_string_equal(e->user_id, FAKE_MM_ALICE_ID);
	assert_string_equal(e->channel_id, FAKE_MM_CHANNEL_ID);
	r = fake_mm_last(t->mm, "POST", EPHEMERALS);
	assert_non_null(r);
	assert_int_equal(r->status, 201);

	/* The report holds it. */
	w.n = 2;
	slash(t, TOKEN_REPORT, "report", "show");
	ITEST_WAIT(&t->d, cond_ephemeral_with, &w, ITEST_WAIT_MS,
		   "/report show");

	/* A GET with the form in the query; the token in the header. */
	w.needle = "get-method-item";
	w.n = 1;
	form = slash_form(t, TOKEN_REPORT, "report", "done get-method-item");
	path = xasprintf("/command?%s", form);
	itest_call_start(&t->d, &c, "GET", path, NULL, NULL);
	itest_call_wait(&t->d, &c);
	assert_int_equal(c.status, 200);
	itest_call_release(&c);
	free(path);
	free(form);
	ITEST_WAIT(&t->d, cond_ephemeral_with, &w, ITEST_WAIT_MS,
		   "the answer to a GET");
	w.needle = "header-token-item";
	form = slash_form(t, NULL, "report", "done header-token-item");
	itest_call_start(&t->d, &c, "POST", "/command", form, token_header);
	itest_call_wait(&t->d, &c);
	assert_int_equal(c.status, 200);
	itest_call_release(&c);
	free(form);
	ITEST_WAIT(&t->d, cond_ephemeral_with, &w, ITEST_WAIT_MS,
		   "the answer to a header token");
	/* /lihui with its own token reaches the same commands. */
	w.needle = "lihui-trigger-item";
	slash(t, TOKEN_LIHUI, "lihui", "report done lihui-trigger-item");
	ITEST_WAIT(&t->d, cond_ephemeral_with, &w, ITEST_WAIT_MS,
		   "the answer to /lihui");

	/* Wrong token, another command's token, no token: 401, no effect. */
	before = fake_mm_ephemeral_count(t->mm);
	slash_start(t, &c, "wrongtoken0000000000000000", "report",
		    "done not-to-be-recorded");
	itest_call_wait(&t->d, &c);
	assert_int_equal(c.status, 401);
	itest_call_release(&c);
	slash_start(t, &c, TOKEN_AGENDA, "report", "done not-to-be-recorded");
	itest_call_wait(&t->d, &c);
	assert_int_equal(c.status, 401);
	itest_call_release(&c);
	slash_start(t, &c, NULL, "report", "done not-to-be-recorded");
	itest_call_wait(&t->d, &c);
	assert_int_equal(c.status, 401);
	itest_call_release(&c);
	/* A good command afterwards: its answer comes, and only it. */
	slash(t, TOKEN_REPORT, "report", "plan marker-after-bad-tokens");
	ITEST_WAIT(&t->d, cond_ephemeral_with, &marker, ITEST_WAIT_MS,
		   "the marker's answer");
	wait_no_backlog(t);
	assert_int_equal(fake_mm_ephemeral_count(t->mm), before + 1);
	assert_int_equal(ephemerals_with(t, "not-to-be-recorded"), 0);
	assert_int_equal(fake_mm_post_count(t->mm), 0);
	assert_int_equal(itest_log_count(&t->d, "with a wrong token refused"),
			 2);
	assert_int_equal(itest_log_count(&t->d, "with a missing token refused"),
			 1);
	itest_stop(&t->d);
}

/* Direct messages and mentions over the WebSocket; own and bot posts. */
static void
test_websocket_messages(void **state)
{
	struct itest *t = *state;
	const struct fake_mm_ephemeral *e;
	struct with mention = { "mention-topic-two", 1 };
	struct with marker = { "marker-topic-three", 1 };
	char dmid[27];
	size_t n, posts;

	daemon_start_connected(t);
	alice_dm(dmid);

	/* A direct message: the answer goes to alice in the DM. */
	fake_mm_ws_push_posted(t->mm, dmid, FAKE_MM_ALICE_ID, "report show",
			       "D");
	n = 1;
	ITEST_WAIT(&t->d, cond_ephemerals, &n, ITEST_WAIT_MS,
		   "the answer to a DM");
	e = fake_mm_ephemeral_at(t->mm, 0);
	assert_string_equal(e->user_id, FAKE_MM_ALICE_ID);
	assert_string_equal(e->channel_id, dmid);

	/* A channel message naming @lihui is a command. */
	fake_mm_ws_push_posted(t->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_ALICE_ID,
			       "@lihui report done mention-topic-two", "O");
	ITEST_WAIT(&t->d, cond_ephemeral_with, &mention, ITEST_WAIT_MS,
		   "the answer to a mention");
	e = fake_mm_ephemeral_at(t->mm, fake_mm_ephemeral_count(t->mm) - 1);
	assert_string_equal(e->user_id, FAKE_MM_ALICE_ID);
	assert_string_equal(e->channel_id, FAKE_MM_CHANNEL_ID);
	n = fake_mm_ephemeral_count(t->mm);

	/*
	 * The bot's own posts come back as events (echo on): the agenda it
	 * posts names @lihui as a topic's owner, and a post of its own that
	 * reads like a command must be ignored too; so must another bot's
	 * and a channel line without a mention.
	 */
	fake_mm_ws_echo_posts(t->mm, 1);
	agenda_post(t, "echo-topic @lihui");
	posts = 1;
	ITEST_WAIT(&t->d, cond_posts, &posts, ITEST_WAIT_MS, "the agenda post");
	n += 2; /* "added" and "posted" */
	ITEST_WAIT(&t->d, cond_ephemerals, &n, ITEST_WAIT_MS,
		   "the agenda answers");
	fake_mm_ws_push_posted(t->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_BOT_ID,
			       "@lihui report done own-post-echo", "O");
	push_bot_post(t, FAKE_MM_CHANNEL_ID, OTHER_BOT_ID,
		      "@lihui report done other-bot-post", "O");
	push_bot_post(t, dmid, OTHER_BOT_ID, "report done other-bot-dm", "D");
	fake_mm_ws_push_posted(t->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_BOB_ID,
			       "report done no-mention-line", "O");
	/* Events arrive in order: once the marker is answered, the ones
	 * before it were looked at. */
	fake_mm_ws_push_posted(t->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_ALICE_ID,
			       "@lihui report done marker-topic-three", "O");
	ITEST_WAIT(&t->d, cond_ephemeral_with, &marker, ITEST_WAIT_MS,
		   "the marker's answer");
	wait_no_backlog(t);
	assert_int_equal(fake_mm_ephemeral_count(t->mm), n + 1);
	assert_int_equal(ephemerals_with(t, "own-post-echo"), 0);
	assert_int_equal(ephemerals_with(t, "other-bot"), 0);
	assert_int_equal(ephemerals_with(t, "no-mention-line"), 0);
	assert_int_equal(fake_mm_post_count(t->mm), 1);
	assert_non_null(
	    strstr(fake_mm_post_at(t->mm, 0)->message, "echo-topic"));
	assert_non_null(strstr(fake_mm_post_at(t->mm, 0)->message, "@lihui"));
	itest_stop(&t->d);
}

/* The server drops the WebSocket: lihui resumes, nothing lost or doubled. */
static void
test_websocket_resume(void **state)
{
	struct itest *t = *state;
	const struct fake_mm_request *r;
	struct with first = { "resume-before", 1 };
	struct with away1 = { "resume-away-one", 1 };
	struct with away2 = { "resume-away-two", 1 };
	struct with after = { "resume-after", 1 };
	long long backlog;
	int connected, one = 1;
	char *id, *want;
	size_t n;

	daemon_start_connected(t);
	id = xstrdup(fake_mm_ws_connection_id(t->mm));
	/* One event handled before the drop: seq 1 after hello's 0. */
	fake_mm_ws_push_posted(t->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_ALICE_ID,
			       "@lihui report done resume-before", "O");
	ITEST_WAIT(&t->d, cond_ephemeral_with, &first, ITEST_WAIT_MS,
		   "the first answer");

	/* Refuse reconnections for a while, so /healthz sees it down. */
	fake_mm_ws_refuse_for(t->mm, t->d.slow > 1 ? 6500 : 2500);
	fake_mm_ws_drop(t->mm);
	ITEST_WAIT(&t->d, cond_ws_closed, NULL, ITEST_WAIT_MS, "the drop");
	ITEST_WAIT_LOG(&t->d, "websocket: disconnected", 1, ITEST_WAIT_MS,
		       "lihui to see the drop");
	assert_int_equal(healthz(t, &connected, &backlog), 503);
	assert_false(connected);

	/* Two messages while lihui is away: kept for the resume. */
	fake_mm_ws_push_posted(t->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_ALICE_ID,
			       "@lihui report done resume-away-one", "O");
	fake_mm_ws_push_posted(t->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_ALICE_ID,
			       "@lihui report done resume-away-two", "O");
	ITEST_WAIT(&t->d, cond_resumes, &one, 3 * ITEST_WAIT_MS,
		   "lihui to resume");
	ITEST_WAIT(&t->d, cond_ephemeral_with, &away1, ITEST_WAIT_MS,
		   "the first missed one");
	ITEST_WAIT(&t->d, cond_ephemeral_with, &away2, ITEST_WAIT_MS,
		   "the second missed one");
	r = fake_mm_last(t->mm, "GET", "/api/v4/websocket");
	assert_non_null(r);
	want = xasprintf("connection_id=%s&sequence_number=2", id);
	if (strstr(r->target, want) == NULL)
		fail_msg("resumed with '%s', want '%s'", r->target, want);
	free(want);
	/* (lihui logs the seq after the first replayed event: 3.) */
	itest_expect_log(&t->d, "websocket: session resumed at event ");

	/* A marker after the resume: everything before it was seen once. */
	fake_mm_ws_push_posted(t->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_ALICE_ID,
			       "@lihui report done resume-after", "O");
	ITEST_WAIT(&t->d, cond_ephemeral_with, &after, ITEST_WAIT_MS,
		   "the marker's answer");
	wait_no_backlog(t);
	n = fake_mm_ephemeral_count(t->mm);
	assert_int_equal(n, 4);
	assert_int_equal(ephemerals_with(t, "resume-before"), 1);
	assert_int_equal(ephemerals_with(t, "resume-away-one"), 1);
	assert_int_equal(ephemerals_with(t, "resume-away-two"), 1);
	assert_int_equal(ephemerals_with(t, "resume-after"), 1);
	assert_int_equal(fake_mm_ws_resumes(t->mm), 1);
	assert_string_equal(fake_mm_ws_connection_id(t->mm), id);
	assert_int_equal(itest_log_count(&t->d, "started a new session"), 0);
	assert_int_equal(healthz(t, &connected, &backlog), 200);
	assert_true(connected);
	free(id);
	itest_stop(&t->d);
}

/*
 * A drop with nothing missed: the resume replays nothing and, as in
 * Mattermost, no hello comes. lihui is connected all the same, so
 * /healthz must say so without waiting for the next event.
 */
static void
test_websocket_resume_quiet(void **state)
{
	struct itest *t = *state;
	struct with after = { "quiet-after", 1 };
	int one = 1;

	daemon_start_connected(t);
	fake_mm_ws_drop(t->mm);
	ITEST_WAIT(&t->d, cond_resumes, &one, 3 * ITEST_WAIT_MS,
		   "lihui to resume");
	ITEST_WAIT(&t->d, cond_ws_up, NULL, ITEST_WAIT_MS,
		   "the resumed connection");
	ITEST_WAIT(&t->d, cond_healthy, NULL, ITEST_WAIT_MS,
		   "/healthz to say connected after a quiet resume");
	fake_mm_ws_push_posted(t->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_ALICE_ID,
			       "@lihui report done quiet-after", "O");
	ITEST_WAIT(&t->d, cond_ephemeral_with, &after, ITEST_WAIT_MS,
		   "an answer");
	wait_no_backlog(t);
	assert_int_equal(fake_mm_ws_connections(t->mm), 2);
	itest_stop(&t->d);
}

/*
 * An event numbered past the one expected: events went missing, so lihui
 * drops the connection and resumes from the one it expected.
 */
static void
test_websocket_gap(void **state)
{
	struct itest *t = *state;
	const struct fake_mm_request *r;
	struct with before = { "gap-before", 1 };
	struct with after = { "gap-after", 1 };
	char *raw, *data, *id, *want;
	int one = 1;

	daemon_start_connected(t);
	id = xstrdup(fake_mm_ws_connection_id(t->mm));
	fake_mm_ws_push_posted(t->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_ALICE_ID,
			       "@lihui report done gap-before", "O");
	ITEST_WAIT(&t->d, cond_ephemeral_with, &before, ITEST_WAIT_MS,
		   "the first answer");
	/* seq 1 was handled; an event claiming seq 7 means 2..6 are lost. */
	data = fake_mm_posted_data(t->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_ALICE_ID,
				   "@lihui report done gap-raw", "O");
	raw = xasprintf("{\"event\":\"posted\",\"data\":%s,\"broadcast\":"
			"{\"omit_users\":null,\"user_id\":\"\","
			"\"channel_id\":\"%s\",\"team_id\":\"\"},"
			"\"seq\":7}",
			data, FAKE_MM_CHANNEL_ID);
	fake_mm_ws_send_raw(t->mm, raw);
	free(raw);
	free(data);
	ITEST_WAIT_LOG(&t->d, "arrived where 2 was expected", 1, ITEST_WAIT_MS,
		       "lihui to see the gap");
	ITEST_WAIT(&t->d, cond_resumes, &one, 3 * ITEST_WAIT_MS,
		   "lihui to resume");
	r = fake_mm_last(t->mm, "GET", "/api/v4/websocket");
	want = xasprintf("connection_id=%s&sequence_number=2", id);
	if (strstr(r->target, want) == NULL)
		fail_msg("resumed with '%s', want '%s'", r->target, want);
	free(want);
	fake_mm_ws_push_posted(t->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_ALICE_ID,
			       "@lihui report done gap-after", "O");
	ITEST_WAIT(&t->d, cond_ephemeral_with, &after, ITEST_WAIT_MS,
		   "an answer after it");
	wait_no_backlog(t);
	assert_int_equal(ephemerals_with(t, "gap-before"), 1);
	assert_int_equal(ephemerals_with(t, "gap-after"), 1);
	assert_int_equal(itest_log_count(&t->d, "started a new session"), 0);
	free(id);
	itest_stop(&t->d);
}

/* A server restart: a new connection id; lihui says so and goes on. */
static void
test_websocket_restart(void **state)
{
	struct itest *t = *state;
	struct with before = { "restart-before", 1 };
	struct with after = { "restart-after", 1 };
	char *id;

	daemon_start_connected(t);
	id = xstrdup(fake_mm_ws_connection_id(t->mm));
	fake_mm_ws_push_posted(t->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_ALICE_ID,
			       "@lihui report done restart-before", "O");
	ITEST_WAIT(&t->d, cond_ephemeral_with, &before, ITEST_WAIT_MS,
		   "the first answer");

	fake_mm_ws_restart(t->mm);
	ITEST_WAIT_LOG(&t->d, "websocket: the server started a new session", 1,
		       3 * ITEST_WAIT_MS, "lihui to report the lost session");
	ITEST_WAIT(&t->d, cond_ws_up, NULL, ITEST_WAIT_MS, "the new session");
	assert_int_equal(fake_mm_ws_connections(t->mm), 2);
	assert_int_equal(fake_mm_ws_resumes(t->mm), 0);
	assert_non_null(fake_mm_ws_connection_id(t->mm));
	assert_string_not_equal(fake_mm_ws_connection_id(t->mm), id);
	/* It asked to resume (the server no longer knew the session). */
	assert_non_null(
	    strstr(fake_mm_last(t->mm, "GET", "/api/v4/websocket")->target,
		   "connection_id="));

	fake_mm_ws_push_posted(t->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_ALICE_ID,
			       "@lihui report done restart-after", "O");
	ITEST_WAIT(&t->d, cond_ephemeral_with, &after, ITEST_WAIT_MS,
		   "an answer in the new session");
	wait_no_backlog(t);
	assert_int_equal(fake_mm_ephemeral_count(t->mm), 2);
	assert_int_equal(itest_log_count(&t->d, "started a new session"), 1);
	free(id);
	itest_stop(&t->d);
}

/*
 * Set up a resync with dave, a user lihui never heard of: lihui saw a
 * post of alice's in ops and only one of the bot's own in the DM of dave
 * and the bot, without the channel's type. The server restarts and,
 * while lihui cannot reconnect, dave DMs the bot and names it in ops.
 * Returns once lihui reconnected; dm gets the DM's id.
 */
static void
resync_dave(struct itest *t, char dm[27])
{
	struct with marker = { "resync-marker", 1 };
	char *name;

	fake_mm_add_user(t->mm, DAVE_ID, "dave");
	fake_mm_direct_id(FAKE_MM_BOT_ID, DAVE_ID, dm);
	name = xasprintf("%s__%s", DAVE_ID, FAKE_MM_BOT_ID);
	fake_mm_add_channel(t->mm, dm, "", name, "D");
	free(name);
	daemon_start_connected(t);
	fake_mm_ws_push_posted(t->mm, dm, FAKE_MM_BOT_ID, "hello dave", "");
	/* Events are handled in order: the marker's answer says the bot's
	 * post was seen. */
	fake_mm_ws_push_posted(t->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_ALICE_ID,
			       "@lihui report done resync-marker", "O");
	ITEST_WAIT(&t->d, cond_ephemeral_with, &marker, ITEST_WAIT_MS,
		   "the marker's answer");

	fake_mm_ws_refuse_for(t->mm, t->d.slow > 1 ? 2500 : 800);
	fake_mm_ws_restart(t->mm);
	/* No session now: only the server keeps the posts. */
	fake_mm_ws_push_posted(t->mm, dm, DAVE_ID, "report done resync-dm",
			       "D");
	fake_mm_ws_push_posted(t->mm, FAKE_MM_CHANNEL_ID, DAVE_ID,
			       "@lihui report done resync-dave-item", "O");
	ITEST_WAIT_LOG(&t->d, "websocket: the server started a new session", 1,
		       3 * ITEST_WAIT_MS, "lihui to report the lost session");
}

/*
 * A restart with a new connection id while dave DMs the bot (and names
 * it in ops): the resync finds both posts, looks dave up once for both
 * channels and the DM's type, and both are answered, the command in ops
 * taken as dave's (by name, not id). The DM is answered only because its
 * type was looked up: a channel line without a mention is no command.
 * (The report commands are for team channels: the DM gets that answer.)
 */
static void
test_resync_unknown_user(void **state)
{
	struct itest *t = *state;
	struct with item = { "resync-dave-item", 1 };
	struct with dm_answer = { "not in a direct message", 1 };
	struct answered ids = { "POST", "/api/v4/users/ids", 1, 200 };
	const struct fake_mm_ephemeral *e;
	const struct fake_mm_request *r;
	char dm[27], *path, *want;
	size_t i, n_dm = 0;

	resync_dave(t, dm);
	ITEST_WAIT(&t->d, cond_ephemeral_with, &item, 2 * ITEST_WAIT_MS,
		   "the answer to the resynced mention");
	ITEST_WAIT(&t->d, cond_ephemeral_with, &dm_answer, 2 * ITEST_WAIT_MS,
		   "the answer to the resynced DM");
	for (i = 0; i < fake_mm_ephemeral_count(t->mm); i++) {
		e = fake_mm_ephemeral_at(t->mm, i);
		if (strstr(e->message, "resync-dave-item") != NULL)
			assert_string_equal(e->channel_id, FAKE_MM_CHANNEL_ID);
		else if (strcmp(e->channel_id, dm) == 0)
			n_dm++;
		else
			continue;
		assert_string_equal(e->user_id, DAVE_ID);
	}
	assert_int_equal(n_dm, 1);
	/* The command was taken as dave's. */
	itest_expect_log(&t->d, "/report done by dave -> ok");
	assert_int_equal(itest_log_count(&t->d, "by " DAVE_ID), 0);
	/* One batch for the users, one channel lookup, nothing else. */
	ITEST_WAIT(&t->d, cond_answered, &ids, ITEST_WAIT_MS,
		   "the users lookup");
	assert_int_equal(fake_mm_count(t->mm, "POST", "/api/v4/users/ids"), 1);
	r = fake_mm_last(t->mm, "POST", "/api/v4/users/ids");
	assert_string_equal(r->body, "[\"" DAVE_ID "\"]");
	path = xasprintf("/api/v4/channels/%s", dm);
	assert_int_equal(fake_mm_count(t->mm, "GET", path), 1);
	free(path);
	assert_int_equal(fake_mm_count(t->mm, "GET", "/api/v4/users/*"), 1);
	want = xasprintf("resync of channel %s: 1 missed posts handled", dm);
	itest_expect_log(&t->d, want);
	free(want);
	itest_expect_log(&t->d, "resync of channel " FAKE_MM_CHANNEL_ID
				": 1 missed posts handled");
	wait_no_backlog(t);
	/* Each handled once. */
	assert_int_equal(ephemerals_with(t, "resync-dave-item"), 1);
	assert_int_equal(ephemerals_with(t, "resync-marker"), 1);
	assert_int_equal(ephemerals_with(t, "not in a direct message"), 1);
	itest_stop(&t->d);
}

/* The users lookup fails: the posts go through, dave's id as his name. */
static void
test_resync_lookup_fails(void **state)
{
	struct itest *t = *state;
	struct with item = { "resync-dave-item", 1 };
	struct with dm_answer = { "not in a direct message", 1 };
	char dm[27];

	fake_mm_fail(t->mm, "POST", "/api/v4/users/ids", FAKE_MM_ALWAYS, 500,
		     -1);
	resync_dave(t, dm);
	ITEST_WAIT(&t->d, cond_ephemeral_with, &item, 2 * ITEST_WAIT_MS,
		   "the answer to the resynced mention");
	itest_expect_log(&t->d,
			 "1 users not looked up (POST /api/v4/users/ids "
			 "answered 500); their ids stand for their names");
	itest_expect_log(&t->d, "/report done by " DAVE_ID " -> ok");
	ITEST_WAIT(&t->d, cond_ephemeral_with, &dm_answer, 2 * ITEST_WAIT_MS,
		   "the answer to the resynced DM");
	wait_no_backlog(t);
	assert_int_equal(ephemerals_with(t, "resync-dave-item"), 1);
	itest_stop(&t->d);
}

/* Without the permission for ephemeral posts the answer goes as a DM. */
static void
test_ephemeral_forbidden(void **state)
{
	struct itest *t = *state;
	const struct fake_mm_direct *d;
	const struct fake_mm_post *p;
	struct answered forbidden = { "POST", EPHEMERALS, 1, 403 };
	char dmid[27];
	size_t one = 1;

	daemon_start_connected(t);
	fake_mm_fail(t->mm, "POST", EPHEMERALS, FAKE_MM_ALWAYS, 403, -1);
	slash(t, TOKEN_REPORT, "report", "done forbidden-ephemeral-item");
	ITEST_WAIT(&t->d, cond_posts, &one, ITEST_WAIT_MS,
		   "the answer as a direct message");
	wait_no_backlog(t);
	assert_int_equal(count_answered(t, &forbidden), 1);
	assert_int_equal(fake_mm_ephemeral_count(t->mm), 0);
	assert_int_equal(fake_mm_direct_count(t->mm), 1);
	d = fake_mm_direct_at(t->mm, 0);
	alice_dm(dmid);
	assert_string_equal(d->channel_id, dmid);
	assert_int_equal(fake_mm_post_count(t->mm), 1);
	p = fake_mm_post_at(t->mm, 0);
	assert_string_equal(p->channel_id, dmid);
	assert_non_null(strstr(p->message, "forbidden-ephemeral-item"));
	assert_int_equal(strncmp(p->pending_post_id,
				 "lihui-" FAKE_MM_BOT_ID "-",
				 strlen("lihui-" FAKE_MM_BOT_ID "-")),
			 0);
	itest_stop(&t->d);
}

/* When the ephemeral count first reached n, on the loop's clock. */
struct arrival {
	size_t n;
	uint64_t at[2]; /* of the n-th and the (n+1)-th */
};

static int
cond_arrivals(void *ctx, const void *arg)
{
	struct itest *t = ctx;
	struct arrival *a = (struct arrival *)arg;
	size_t have = fake_mm_ephemeral_count(t->mm);

	uv_update_time(&t->d.loop);
	if (have >= a->n && a->at[0] == 0)
		a->at[0] = uv_now(&t->d.loop);
	if (have >= a->n + 1 && a->at[1] == 0)
		a->at[1] = uv_now(&t->d.loop);
	return a->at[1] != 0;
}

/*
 * A reply too long for one post goes out in pieces, one after the other:
 * the second piece only once the server took the first, else the server
 * may show them in the wrong order (it orders by arrival), for certain
 * when the first piece meets a transient error and is retried.
 */
static void
test_split_in_order(void **state)
{
	struct itest *t = *state;
	const struct fake_mm_ephemeral *e1, *e2;
	struct arrival a;
	char *item, *text;
	size_t n = 5, i, total;

	daemon_start_connected(t);
	item = xmalloc(3801);
	memset(item, 'x', 3800);
	item[3800] = '\0';
	for (i = 0; i < 5; i++) {
		text = xasprintf("done split-part-%zu %s", i, item);
		slash(t, TOKEN_REPORT, "report", text);
		free(text);
	}
	free(item);
	ITEST_WAIT(&t->d, cond_ephemerals, &n, ITEST_WAIT_MS,
		   "the five answers");
	wait_no_backlog(t);
	/* The first piece of /report show is answered 1.5 s late. */
	fake_mm_slow(t->mm, "POST", EPHEMERALS, 1, 1500);
	slash(t, TOKEN_REPORT, "report", "show");
	memset(&a, 0, sizeof a);
	a.n = 6;
	ITEST_WAIT(&t->d, cond_arrivals, &a, 2 * ITEST_WAIT_MS,
		   "both pieces of the report");
	wait_no_backlog(t);
	assert_int_equal(fake_mm_ephemeral_count(t->mm), 7);
	e1 = fake_mm_ephemeral_at(t->mm, 5);
	e2 = fake_mm_ephemeral_at(t->mm, 6);
	total = strlen(e1->message) + strlen(e2->message);
	assert_true(total > FAKE_MM_MAX_POST);
	assert_non_null(strstr(e1->message, "split-part-0"));
	assert_non_null(strstr(e2->message, "split-part-4"));
	if (a.at[1] - a.at[0] < 1000)
		fail_msg("the second piece was sent %llu ms after the first, "
			 "before the first was answered (1.5 s)",
			 (unsigned long long)(a.at[1] - a.at[0]));
	itest_stop(&t->d);
}

/* 429 with Retry-After: the post goes out after the wait, once. */
static void
test_rate_limited(void **state)
{
	struct itest *t = *state;
	struct answered limited = { "POST", POSTS, 1, 429 };
	struct answered created = { "POST", POSTS, 1, 201 };
	const struct fake_mm_post *p;
	uint64_t t429, t201;

	daemon_start_connected(t);
	fake_mm_fail(t->mm, "POST", POSTS, 1, 429, 3);
	agenda_post(t, "rate-limited-topic");
	ITEST_WAIT(&t->d, cond_answered, &limited, ITEST_WAIT_MS, "the 429");
	t429 = itest_now_ms(&t->d);
	ITEST_WAIT(&t->d, cond_answered, &created, 3 * ITEST_WAIT_MS,
		   "the post after 429");
	t201 = itest_now_ms(&t->d);
	/* Retry-After 3 s, counted in whole seconds by the store. */
	if (t201 - t429 < 2000)
		fail_msg("retried %llu ms after a 429 with Retry-After: 3",
			 (unsigned long long)(t201 - t429));
	wait_no_backlog(t);
	assert_int_equal(fake_mm_count(t->mm, "POST", POSTS), 2);
	assert_int_equal(fake_mm_post_count(t->mm), 1);
	p = fake_mm_post_at(t->mm, 0);
	assert_non_null(strstr(p->message, "rate-limited-topic"));
	assert_int_equal(p->duplicates, 0);
	assert_int_equal(strncmp(p->pending_post_id,
				 "lihui-" FAKE_MM_BOT_ID "-",
				 strlen("lihui-" FAKE_MM_BOT_ID "-")),
			 0);
	itest_expect_log(&t->d, "answered 429); attempt 1, next in 3 s");
	itest_stop(&t->d);
}

/* 500s: retried with growing waits, delivered once. */
static void
test_server_errors(void **state)
{
	struct itest *t = *state;
	struct answered created = { "POST", POSTS, 1, 201 };
	const struct fake_mm_post *p;

	daemon_start_connected(t);
	fake_mm_fail(t->mm, "POST", POSTS, 2, 500, -1);
	agenda_post(t, "server-error-topic");
	ITEST_WAIT(&t->d, cond_answered, &created, 4 * ITEST_WAIT_MS,
		   "the post after two 500s");
	wait_no_backlog(t);
	assert_int_equal(fake_mm_count(t->mm, "POST", POSTS), 3);
	assert_int_equal(fake_mm_post_count(t->mm), 1);
	p = fake_mm_post_at(t->mm, 0);
	assert_non_null(strstr(p->message, "server-error-topic"));
	assert_int_equal(p->duplicates, 0);
	itest_expect_log(&t->d, "answered 500); attempt 1, next in 1 s");
	itest_expect_log(&t->d, "answered 500); attempt 2, next in 2 s");
	itest_stop(&t->d);
}

static int
cond_backlog_three(void *ctx, const void *arg)
{
	struct itest *t = ctx;

	(void)arg;
	return backlog_now(t) == 3;
}

/*
 * A REST endpoint answering only after 10 s: slash commands are still
 * answered well within Mattermost's 3 s, and the other posts go out.
 */
static void
test_slow_endpoint(void **state)
{
	struct itest *t = *state;
	uint64_t bound = t->d.slow > 1 ? 8000 : 3000, start;
	struct itest_call c;
	struct with w;
	char text[64], needle[64];
	size_t posts = 1;
	int i;

	daemon_start_connected(t);
	/* The agenda post and the first ephemeral answer hang for 10 s. */
	fake_mm_slow(t->mm, "POST", POSTS, 1, 10000);
	fake_mm_slow(t->mm, "POST", EPHEMERALS, 1, 10000);
	agenda_post(t, "slow-topic");
	ITEST_WAIT(&t->d, cond_posts, &posts, ITEST_WAIT_MS,
		   "the slow post to be made");
	/*
	 * Answers to one user leave in order, so alice's next ones wait for
	 * the slow one; bob's are not held up.
	 */
	t->as_user_id = FAKE_MM_BOB_ID;
	t->as_user_name = "bob";
	for (i = 0; i < 5; i++) {
		snprintf(text, sizeof text, "done prompt-item-%d", i);
		snprintf(needle, sizeof needle, "prompt-item-%d", i);
		start = itest_now_ms(&t->d);
		slash_start(t, &c, TOKEN_REPORT, "report", text);
		itest_call_wait(&t->d, &c);
		assert_int_equal(c.status, 200);
		if (c.elapsed_ms > bound)
			fail_msg("slash command answered in %llu ms",
				 (unsigned long long)c.elapsed_ms);
		itest_call_release(&c);
		w.needle = needle;
		w.n = 1;
		ITEST_WAIT(&t->d, cond_ephemeral_with, &w, ITEST_WAIT_MS,
			   "a prompt answer");
		if (itest_now_ms(&t->d) - start > bound)
			fail_msg(
			    "answer posted after %llu ms",
			    (unsigned long long)(itest_now_ms(&t->d) - start));
	}
	/*
	 * The slow ones were still waiting for their answers all along:
	 * the agenda post, alice's first answer and her second one, which
	 * waits for the first, are still queued.
	 */
	ITEST_WAIT(&t->d, cond_backlog_three, NULL, ITEST_WAIT_MS,
		   "only the slow messages and the one after them to be left");
	wait_no_backlog_ms(t, 3 * ITEST_WAIT_MS);
	assert_int_equal(fake_mm_post_count(t->mm), 1);
	assert_int_equal(fake_mm_count(t->mm, "POST", POSTS), 1);
	itest_stop(&t->d);
}

/* Two distinct agenda posts: made by the server, answers not yet back. */
static void
two_posts_in_flight(struct itest *t)
{
	size_t two = 2;

	/* Two channels: posts to one channel leave one at a time. */
	agenda_post(t, "kill-topic-a");
	t->in_channel_id = SECOND_CHANNEL_ID;
	t->in_channel_name = "second";
	agenda_post(t, "kill-topic-b");
	t->in_channel_id = NULL;
	t->in_channel_name = NULL;
	ITEST_WAIT(&t->d, cond_posts, &two, ITEST_WAIT_MS,
		   "both posts to be made");
}

/* Check the server holds the two posts once each. */
static void
check_two_posts(struct itest *t, int duplicates)
{
	const struct fake_mm_post *a, *b;

	assert_int_equal(fake_mm_post_count(t->mm), 2);
	/* Two channels: the server may make them in either order. */
	a = fake_mm_post_at(t->mm, 0);
	b = fake_mm_post_at(t->mm, 1);
	if (strstr(a->message, "kill-topic-b") != NULL) {
		a = fake_mm_post_at(t->mm, 1);
		b = fake_mm_post_at(t->mm, 0);
	}
	assert_non_null(strstr(a->message, "kill-topic-a"));
	assert_null(strstr(a->message, "kill-topic-b"));
	assert_non_null(strstr(b->message, "kill-topic-b"));
	assert_string_not_equal(a->pending_post_id, b->pending_post_id);
	assert_int_equal(a->duplicates, duplicates);
	assert_int_equal(b->duplicates, duplicates);
}

/*
 * SIGKILL after the server made the posts but before lihui heard back:
 * the next start sends them again with the same pending_post_id, and the
 * server keeps one of each.
 */
static void
test_kill_in_flight(void **state)
{
	struct itest *t = *state;
	/* The fake records a slow request's status when it carries it out. */
	struct answered redone = { "POST", POSTS, 4, 201 };

	daemon_start_connected(t);
	fake_mm_slow(t->mm, "POST", POSTS, 2, 20000);
	two_posts_in_flight(t);
	/* Their rows are still pending (waiting for the answers). */
	assert_true(backlog_now(t) >= 2);
	itest_kill(&t->d);

	daemon_start_connected(t);
	ITEST_WAIT(&t->d, cond_answered, &redone, 2 * ITEST_WAIT_MS,
		   "the posts again");
	wait_no_backlog(t);
	assert_int_equal(fake_mm_count(t->mm, "POST", POSTS), 4);
	check_two_posts(t, 1);
	itest_stop(&t->d);
}

/* The post by the bot that contains needle, or NULL. */
static const struct fake_mm_post *
post_with(struct itest *t, const char *needle)
{
	size_t i;

	for (i = 0; i < fake_mm_post_count(t->mm); i++)
		if (strstr(fake_mm_post_at(t->mm, i)->message, needle) != NULL)
			return fake_mm_post_at(t->mm, i);
	return NULL;
}

static int
cond_post_with(void *ctx, const void *needle)
{
	struct itest *t = ctx;

	return post_with(t, needle) != NULL;
}

/*
 * A meeting held over the WebSocket: "#" lines confirmed by reactions,
 * lihui killed and restarted in the middle (the meeting goes on, nothing
 * recorded is lost), the minutes posted at the end.
 */
static void
test_meeting(void **state)
{
	struct itest *t = *state;
	const struct fake_mm_reaction *r;
	const struct fake_mm_post *minutes;
	size_t three = 3, four = 4, i, posts;

	daemon_start_connected(t);
	slash(t, TOKEN_MEETING, "meeting", "start Integration sync");
	ITEST_WAIT(&t->d, cond_post_with, "Meeting 1 started: Integration sync",
		   ITEST_WAIT_MS, "the meeting's start");
	fake_mm_ws_push_posted(t->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_ALICE_ID,
			       "good morning", "O");
	fake_mm_ws_push_posted(t->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_ALICE_ID,
			       "#topic Pricing", "O");
	fake_mm_ws_push_posted(t->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_BOB_ID,
			       "#agreed raise prices in January", "O");
	fake_mm_ws_push_posted(t->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_ALICE_ID,
			       "#action @bob 2026-12-31 send the price sheet",
			       "O");
	ITEST_WAIT(&t->d, cond_reactions, &three, ITEST_WAIT_MS,
		   "three reactions");
	for (i = 0; i < 3; i++) {
		r = fake_mm_reaction_at(t->mm, i);
		assert_string_equal(r->user_id, FAKE_MM_BOT_ID);
		assert_string_equal(r->emoji_name, "white_check_mark");
		assert_true(strlen(r->post_id) == 26);
	}

	/* Killed in the middle: the meeting and its log survive. */
	itest_kill(&t->d);
	daemon_start_connected(t);
	fake_mm_ws_push_posted(t->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_CAROL_ID,
			       "#info carol joined after the restart", "O");
	ITEST_WAIT(&t->d, cond_reactions, &four, ITEST_WAIT_MS,
		   "a reaction to carol's line");

	slash(t, TOKEN_MEETING, "meeting", "end");
	ITEST_WAIT(&t->d, cond_post_with,
		   "Minutes of meeting 1: Integration sync", ITEST_WAIT_MS,
		   "the minutes");
	minutes = post_with(t, "Minutes of meeting 1");
	assert_string_equal(minutes->channel_id, FAKE_MM_CHANNEL_ID);
	assert_non_null(strstr(minutes->message, "- @alice (3 lines)"));
	assert_non_null(strstr(minutes->message, "- @bob (1 line)"));
	assert_non_null(strstr(minutes->message, "- @carol (1 line)"));
	assert_non_null(strstr(minutes->message, "###### 1. Pricing"));
	assert_non_null(strstr(minutes->message, "1. raise prices in January"));
	assert_non_null(strstr(minutes->message,
			       "- #1 @bob: send the price sheet (due "
			       "2026-12-31)"));
	assert_non_null(
	    strstr(minutes->message, "carol joined after the restart"));
	wait_no_backlog(t);

	/* Amended: the same post is edited in place, no new post. */
	posts = fake_mm_post_count(t->mm);
	slash(t, TOKEN_MEETING, "meeting",
	      "amend 1 decide ship the price sheet on Monday");
	ITEST_WAIT(&t->d, cond_post_with, "These minutes were amended",
		   ITEST_WAIT_MS, "the minutes post to be edited");
	minutes = post_with(t, "Minutes of meeting 1");
	assert_int_equal(minutes->edits, 1);
	assert_non_null(
	    strstr(minutes->message, "ship the price sheet on Monday"));
	wait_no_backlog(t);
	assert_int_equal(fake_mm_post_count(t->mm), posts);
	itest_stop(&t->d);
}

/*
 * Action owners are looked up (GET /api/v4/users/username/{name}) before
 * the core sees the event: an unknown one is refused with its name, a
 * known one is stored; @all is no user and is not looked up.
 */
static void
test_action_owner(void **state)
{
	struct itest *t = *state;
	struct with refused = { "there is no user @nosuch here", 1 };
	struct with all = { "there is no user @all here", 1 };
	const struct fake_mm_reaction *r;
	char dm[27];
	const struct fake_mm_post *minutes;
	size_t one = 1;

	daemon_start_connected(t);
	slash(t, TOKEN_MEETING, "meeting", "start Owners");
	ITEST_WAIT(&t->d, cond_post_with, "Meeting 1 started: Owners",
		   ITEST_WAIT_MS, "the meeting's start");
	slash(t, TOKEN_MEETING, "meeting", "action @nosuch fri call");
	ITEST_WAIT(&t->d, cond_ephemeral_with, &refused, ITEST_WAIT_MS,
		   "the refusal");
	assert_int_equal(
	    fake_mm_count(t->mm, "GET", "/api/v4/users/username/nosuch"), 1);
	fake_mm_ws_push_posted(t->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_ALICE_ID,
			       "#action @bob call the vendor", "O");
	ITEST_WAIT(&t->d, cond_reactions, &one, ITEST_WAIT_MS,
		   "the reaction to the action");
	r = fake_mm_reaction_at(t->mm, 0);
	assert_string_equal(r->emoji_name, "white_check_mark");
	assert_int_equal(
	    fake_mm_count(t->mm, "GET", "/api/v4/users/username/bob"), 1);
	fake_mm_ws_push_posted(t->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_ALICE_ID,
			       "#action @all have a party", "O");
	ITEST_WAIT(&t->d, cond_ephemeral_with, &all, ITEST_WAIT_MS,
		   "the refusal of @all");
	assert_int_equal(
	    fake_mm_count(t->mm, "GET", "/api/v4/users/username/all"), 0);
	/* No owner: the chair is asked, by name, in a direct message. */
	fake_mm_ws_push_posted(t->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_BOB_ID,
			       "#action book the room", "O");
	ITEST_WAIT(&t->d, cond_post_with, "has no owner yet: book the room",
		   ITEST_WAIT_MS, "the chair's direct message");
	fake_mm_direct_id(FAKE_MM_BOT_ID, FAKE_MM_ALICE_ID, dm);
	assert_string_equal(post_with(t, "has no owner yet")->channel_id, dm);

	slash(t, TOKEN_MEETING, "meeting", "end");
	ITEST_WAIT(&t->d, cond_post_with, "Minutes of meeting 1: Owners",
		   ITEST_WAIT_MS, "the minutes");
	minutes = post_with(t, "Minutes of meeting 1");
	assert_non_null(strstr(minutes->message, "- #1 @bob: call the vendor"));
	assert_null(strstr(minutes->message, "nosuch"));
	assert_null(strstr(minutes->message, "party"));
	assert_null(post_with(t, "fri call"));
	wait_no_backlog(t);
	itest_stop(&t->d);
}

/*
 * The username lookup hangs: a slash command naming a user is answered
 * once the gate's deadline (2 s) passed, the owner taken as written, and
 * the channel line behind it is handled too. Stopping with the lookups
 * still under way is clean.
 */
static void
test_owner_lookup_hangs(void **state)
{
	struct itest *t = *state;
	struct itest_call c;
	size_t one = 1;

	daemon_start_connected(t);
	slash(t, TOKEN_MEETING, "meeting", "start Hung");
	ITEST_WAIT(&t->d, cond_post_with, "Meeting 1 started: Hung",
		   ITEST_WAIT_MS, "the meeting's start");
	fake_mm_hang(t->mm, "GET", "/api/v4/users/username/*", FAKE_MM_ALWAYS);
	slash_start(t, &c, TOKEN_MEETING, "meeting",
		    "action @ghost fri call the ghost");
	fake_mm_ws_push_posted(t->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_BOB_ID,
			       "#info after the ghost", "O");
	itest_call_wait(&t->d, &c);
	assert_int_equal(c.status, 200);
	assert_string_equal(c.body, "{}");
	if (c.elapsed_ms < 1800)
		fail_msg("answered after %llu ms, before the deadline",
			 (unsigned long long)c.elapsed_ms);
	itest_call_release(&c);
	ITEST_WAIT(&t->d, cond_post_with,
		   "Action item recorded: @ghost fri call", ITEST_WAIT_MS,
		   "the action");
	itest_expect_log(&t->d, "action owner @ghost taken as written");
	ITEST_WAIT(&t->d, cond_reactions, &one, ITEST_WAIT_MS,
		   "the reaction to the line");
	assert_int_equal(
	    fake_mm_count(t->mm, "GET", "/api/v4/users/username/ghost"), 1);
	wait_no_backlog(t);
	itest_stop(&t->d);
}

/* SIGKILL while every attempt fails: sent once after the restart. */
static void
test_kill_never_delivered(void **state)
{
	struct itest *t = *state;
	struct answered failed = { "POST", POSTS, 2, 500 };
	struct answered created = { "POST", POSTS, 2, 201 };

	daemon_start_connected(t);
	fake_mm_fail(t->mm, "POST", POSTS, FAKE_MM_ALWAYS, 500, -1);
	agenda_post(t, "kill-topic-a");
	t->in_channel_id = SECOND_CHANNEL_ID;
	t->in_channel_name = "second";
	agenda_post(t, "kill-topic-b");
	t->in_channel_id = NULL;
	t->in_channel_name = NULL;
	ITEST_WAIT(&t->d, cond_answered, &failed, ITEST_WAIT_MS, "the 500s");
	assert_int_equal(fake_mm_post_count(t->mm), 0);
	itest_kill(&t->d);
	fake_mm_unscript(t->mm);

	daemon_start_connected(t);
	ITEST_WAIT(&t->d, cond_answered, &created, 3 * ITEST_WAIT_MS,
		   "the posts");
	wait_no_backlog(t);
	assert_int_equal(count_answered(t, &created), 2);
	check_two_posts(t, 0);
	itest_stop(&t->d);
}

/*
 * SIGTERM with a post in flight: lihui refuses new commands, waits for
 * the answer, exits 0; the next start has nothing left to send.
 */
static void
test_stop_drains(void **state)
{
	struct itest *t = *state;
	struct itest_call c;
	size_t one = 1;

	daemon_start_connected(t);
	fake_mm_slow(t->mm, "POST", POSTS, 1, 2000);
	agenda_post(t, "drain-topic");
	ITEST_WAIT(&t->d, cond_posts, &one, ITEST_WAIT_MS,
		   "the slow post to be made");
	itest_signal(&t->d, SIGTERM);
	ITEST_WAIT_LOG(&t->d, "stopping", 1, ITEST_WAIT_MS,
		       "lihui to begin stopping");
	assert_true(t->d.running);
	slash_start(t, &c, TOKEN_REPORT, "report", "done too-late");
	itest_call_wait(&t->d, &c);
	assert_int_equal(c.status, 503);
	itest_call_release(&c);
	/* Status 0, no secret in the output. */
	itest_wait_exit(&t->d, 0);
	assert_int_equal(itest_log_count(&t->d, "not delivered"), 0);

	daemon_start_connected(t);
	wait_no_backlog(t);
	assert_int_equal(fake_mm_count(t->mm, "POST", POSTS), 1);
	assert_int_equal(fake_mm_post_count(t->mm), 1);
	assert_int_equal(ephemerals_with(t, "too-late"), 0);
	itest_stop(&t->d);
}

/* 400: one attempt, the row failed, no retry. */
static void
test_client_error(void **state)
{
	struct itest *t = *state;
	struct answered refused = { "POST", POSTS, 1, 400 };

	daemon_start_connected(t);
	fake_mm_fail(t->mm, "POST", POSTS, 1, 400, -1);
	agenda_post(t, "client-error-topic");
	ITEST_WAIT(&t->d, cond_answered, &refused, ITEST_WAIT_MS, "the 400");
	ITEST_WAIT_LOG(&t->d,
		       "refused for good: POST /api/v4/posts answered 400", 1,
		       ITEST_WAIT_MS, "lihui to give the post up");
	/* Not pending any more, so never retried. */
	wait_no_backlog(t);
	/* A retry would come within 1.25 s; watch for twice that. */
	itest_settle(&t->d, 2500);
	assert_int_equal(fake_mm_count(t->mm, "POST", POSTS), 1);
	assert_int_equal(fake_mm_post_count(t->mm), 0);
	itest_stop(&t->d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_startup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_startup_server_down, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_slash_command, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_websocket_messages, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_websocket_resume, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_websocket_resume_quiet,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_websocket_gap, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_websocket_restart, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_resync_unknown_user, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_resync_lookup_fails, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_ephemeral_forbidden, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_split_in_order, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_rate_limited, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_server_errors, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_slow_endpoint, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_meeting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_action_owner, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_owner_lookup_hangs, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_kill_in_flight, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_kill_never_delivered,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_stop_drains, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_client_error, setup,
						teardown),
	};

	itest_prepare();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
