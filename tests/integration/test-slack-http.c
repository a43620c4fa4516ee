/* SPDX-License-Identifier: MIT */
/*
 * test-slack-http.c: the real lihui daemon in Slack's mode http, end to
 * end over real sockets, with the harness of tests/lib/itest.h. The fake
 * Slack (tests/lib/fake-slack.c) answers the Web API; the test plays
 * Slack's side of the slash commands: it POSTs them to lihui's listener,
 * signed with the signing secret (v0 HMAC-SHA256, slack_sign_compute()),
 * and reads the answer from the HTTP response.
 *
 * lihui runs with adapter = slack, mode = http, listen on a kernel-picked
 * port, api_url pointing at the fake; the bot token and the signing
 * secret come from LIHUI_SLACK_BOT_TOKEN and LIHUI_SLACK_SIGNING_SECRET
 * and must never appear in its output, nor must a request's signature.
 *
 * Covered: start-up without Socket Mode (auth.test, no
 * apps.connections.open); a signed /report answered in the HTTP response
 * ({"response_type":"ephemeral",...}) and stored (it survives a
 * restart); a forged, a stale and an unsigned request answered 401,
 * logged without secrets, and nothing stored; ssl_check; an interactive
 * payload; /healthz; a /meeting start posting to the channel through the
 * Web API.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>
#include <uv.h>

#include "../../src/adapter/slack-sign.h"
#include "fake-slack.h"
#include "itest.h"
#include "lihui/xmalloc.h"

#define BOT_TOKEN "xoxb-itest-http-b0t-t0ken-s3cr3t"
#define SECRET	  "itest-s1gning-s3cret-0f-the-app"
#define READY	  "connected to Slack as"

static const char *const secrets[] = { BOT_TOKEN, SECRET, NULL };

struct itest {
	struct itest_daemon d; /* lihui, the loop, the waits */
	struct fake_slack *sl;
	char *conf;
};

static int
setup(void **state)
{
	struct itest *t = xcalloc(1, sizeof *t);
	char *cause = NULL, *url;

	itest_init(&t->d, t, secrets);
	t->sl = fake_slack_new(&t->d.loop, BOT_TOKEN, "xapp-unused", &cause);
	if (t->sl == NULL)
		fail_msg("cannot start the fake Slack: %s", cause);
	url = fake_slack_api_url(t->sl);
	t->conf = itest_write_file(&t->d, "lihui.conf",
				   "[lihui]\n"
				   "adapter = slack\n"
				   "database = %s/lihui.db\n"
				   "[slack]\n"
				   "mode = http\n"
				   "listen = 127.0.0.1:0\n"
				   "api_url = %s\n",
				   t->d.dir, url);
	free(url);
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct itest *t = *state;

	fake_slack_close(t->sl);
	itest_release(&t->d);
	free(t->conf);
	free(t);
	return 0;
}

static int
cond_log(void *ctx, const void *needle)
{
	struct itest *t = ctx;

	return itest_log_count(&t->d, needle) > 0;
}

static int
cond_posted(void *ctx, const void *needle)
{
	struct itest *t = ctx;
	size_t i;

	for (i = 0; i < fake_slack_message_count(t->sl); i++)
		if (strstr(fake_slack_message_at(t->sl, i)->text, needle) !=
		    NULL)
			return 1;
	return 0;
}

static void
daemon_start(struct itest *t)
{
	const char *const env[] = { "LIHUI_SLACK_BOT_TOKEN=" BOT_TOKEN,
				    "LIHUI_SLACK_SIGNING_SECRET=" SECRET,
				    NULL };
	const char *const args[] = { "--config", t->conf, NULL };

	itest_start(&t->d, env, args);
	itest_wait_listening(&t->d);
	ITEST_WAIT(&t->d, cond_log, READY, ITEST_START_MS,
		   "auth.test to answer");
}

/* The form Slack posts when alice runs command with text in ops. */
static char *
command_form(const char *command, const char *text)
{
	char *form = xstrdup("");

	itest_form_add(&form, "token", "legacy-verification-token");
	itest_form_add(&form, "team_id", FAKE_SLACK_TEAM_ID);
	itest_form_add(&form, "team_domain", FAKE_SLACK_TEAM_NAME);
	itest_form_add(&form, "channel_id", FAKE_SLACK_CHANNEL_ID);
	itest_form_add(&form, "channel_name", FAKE_SLACK_CHANNEL_NAME);
	itest_form_add(&form, "user_id", FAKE_SLACK_ALICE_ID);
	itest_form_add(&form, "user_name", "alice");
	itest_form_add(&form, "command", command);
	itest_form_add(&form, "text", text);
	itest_form_add(&form, "api_app_id", FAKE_SLACK_APP_ID);
	itest_form_add(&form, "response_url",
		       "https://hooks.slack.com/commands/T0/1/abc");
	itest_form_add(&form, "trigger_id", "13345224609.738474920.8088930838");
	return form;
}

/*
 * POST form to path signed with secret at ts (secret NULL: no signature
 * headers); the answer lands in *c. sig (may be NULL) gets the signature.
 */
static void
post_signed(struct itest *t, struct itest_call *c, const char *path,
	    const char *form, const char *secret, int64_t ts,
	    char sig[SLACK_SIGN_SIZE])
{
	char ts_text[32], own[SLACK_SIGN_SIZE];
	char *h_ts, *h_sig;
	const char *headers[3] = { NULL, NULL, NULL };

	if (sig == NULL)
		sig = own;
	snprintf(ts_text, sizeof ts_text, "%lld", (long long)ts);
	slack_sign_compute(secret != NULL ? secret : "x", ts_text, form,
			   strlen(form), sig);
	h_ts = xasprintf("X-Slack-Request-Timestamp: %s", ts_text);
	h_sig = xasprintf("X-Slack-Signature: %s", sig);
	if (secret != NULL) {
		headers[0] = h_ts;
		headers[1] = h_sig;
	}
	memset(c, 0, sizeof *c);
	itest_call_start(&t->d, c, "POST", path, form, headers);
	itest_call_wait(&t->d, c);
	free(h_ts);
	free(h_sig);
}

/*
 * alice runs command with text, signed rightly; the answer's text
 * (caller frees), after checking it is a 200 ephemeral JSON answer.
 */
static char *
command(struct itest *t, const char *cmd, const char *text)
{
	struct itest_call c;
	struct json_object *o, *v;
	char *form = command_form(cmd, text), *answer = NULL;

	post_signed(t, &c, "/slack/commands", form, SECRET, time(NULL), NULL);
	if (c.status != 200) {
		itest_dump_log(&t->d);
		fail_msg("%s %s: status %ld", cmd, text, c.status);
	}
	/* Inside Slack's 3 seconds (generously, for valgrind). */
	assert_true(c.elapsed_ms < 3000 * (uint64_t)t->d.slow);
	if (*c.body != '\0') {
		o = json_tokener_parse(c.body);
		assert_non_null(o);
		assert_true(json_object_object_get_ex(o, "response_type", &v));
		assert_string_equal(json_object_get_string(v), "ephemeral");
		if (json_object_object_get_ex(o, "text", &v))
			answer = xstrdup(json_object_get_string(v));
		json_object_put(o);
	}
	itest_call_release(&c);
	free(form);
	return answer != NULL ? answer : xstrdup("");
}

static void
expect_answer(struct itest *t, const char *cmd, const char *text,
	      const char *want)
{
	char *got = command(t, cmd, text);

	if (strstr(got, want) == NULL) {
		itest_dump_log(&t->d);
		fail_msg("%s %s: answer '%s' lacks '%s'", cmd, text, got, want);
	}
	free(got);
}

/* A request that must be refused with 401. */
static void
expect_refused(struct itest *t, const char *form, const char *secret,
	       int64_t ts, const char *why)
{
	struct itest_call c;
	char sig[SLACK_SIGN_SIZE], ts_text[32];
	const char *const sig_secret[] = { sig, NULL };
	size_t before = itest_log_count(&t->d, "refused (401)");

	post_signed(t, &c, "/slack/commands", form, secret, ts, sig);
	if (c.status != 401) {
		itest_dump_log(&t->d);
		fail_msg("%s: status %ld, not 401", why, c.status);
	}
	itest_call_release(&c);
	ITEST_WAIT_LOG(&t->d, "refused (401)", before + 1, ITEST_WAIT_MS,
		       "the refusal in the log");
	/* Neither the signature sent nor the right one is logged. */
	itest_check_no_secrets(&t->d, sig_secret);
	snprintf(ts_text, sizeof ts_text, "%lld", (long long)ts);
	slack_sign_compute(SECRET, ts_text, form, strlen(form), sig);
	itest_check_no_secrets(&t->d, sig_secret);
}

static void
test_commands(void **state)
{
	struct itest *t = *state;
	struct itest_call c;
	char *form;

	daemon_start(t);
	assert_int_equal(fake_slack_count(t->sl, "auth.test"), 1);
	assert_int_equal(fake_slack_count(t->sl, "apps.connections.open"), 0);

	expect_answer(t, "/report", "done Shipped the &lt;login&gt; page",
		      "Noted under Done");

	/* Forged, stale, unsigned: 401, logged without secrets. */
	form = command_form("/report", "done forged work");
	expect_refused(t, form, "not-the-signing-secret", time(NULL), "forged");
	expect_refused(t, form, SECRET, time(NULL) - 360, "stale");
	expect_refused(t, form, NULL, time(NULL), "unsigned");
	free(form);
	itest_expect_log(&t->d, "bad signature");
	itest_expect_log(&t->d, "stale timestamp");

	/* ssl_check: 200, nothing else. */
	memset(&c, 0, sizeof c);
	itest_call_start(&t->d, &c, "POST", "/slack/commands",
			 "ssl_check=1&token=legacy-verification-token", NULL);
	itest_call_wait(&t->d, &c);
	assert_int_equal(c.status, 200);
	assert_string_equal(c.body, "");
	itest_call_release(&c);

	/* An interactive payload: acknowledged. */
	post_signed(t, &c, "/slack/interactive",
		    "payload=%7B%22type%22%3A%22block_actions%22%7D", SECRET,
		    time(NULL), NULL);
	assert_int_equal(c.status, 200);
	itest_call_release(&c);

	memset(&c, 0, sizeof c);
	itest_call_start(&t->d, &c, "GET", "/healthz", NULL, NULL);
	itest_call_wait(&t->d, &c);
	assert_int_equal(c.status, 200);
	assert_non_null(strstr(c.body, "\"slack\":\"ready\""));
	itest_call_release(&c);

	/* Only the signed report was stored; it survives a restart. */
	itest_stop(&t->d);
	daemon_start(t);
	{
		char *shown = command(t, "/report", "show");

		if (strstr(shown, "Shipped the") == NULL ||
		    strstr(shown, "forged") != NULL) {
			itest_dump_log(&t->d);
			fail_msg("report show: '%s'", shown);
		}
		free(shown);
	}
	/* The Web API still posts to the channel. */
	free(command(t, "/meeting", "start Http sync"));
	ITEST_WAIT(&t->d, cond_posted, "Http sync", ITEST_WAIT_MS,
		   "the meeting's start");
	free(command(t, "/meeting", "cancel"));
	itest_stop(&t->d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_commands, setup, teardown),
	};

	itest_prepare();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
