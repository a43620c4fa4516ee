/* SPDX-License-Identifier: MIT */
/*
 * test-slack.c: the real lihui daemon against the fake Slack
 * (tests/lib/fake-slack.c: the Web API and the Socket Mode WebSocket on
 * 127.0.0.1), end to end over real sockets, with the harness of
 * tests/lib/itest.h.
 *
 * lihui runs with adapter = slack, mode = socket and api_url pointing at
 * the fake; the tokens come from LIHUI_SLACK_BOT_TOKEN and
 * LIHUI_SLACK_APP_TOKEN and must never appear in its output. Slash
 * commands are envelopes the fake pushes; their answer is the payload of
 * lihui's acknowledgement.
 *
 * Covered: a week of the meeting as on Mattermost (reports by slash
 * command, the roster by escaped mentions, the agenda post, a meeting with
 * '#' lines acknowledged by reactions, the minutes with mentions written
 * <@U...>, an amendment edited in place with chat.update, a killed daemon
 * in the middle), an action reminder at its time (the real clock: the
 * config names the next minute), envelopes and events redelivered, each
 * kind of disconnect (refresh_requested and warning under a stream of
 * commands, nothing lost; link_disabled: no more connections), and the
 * Web API answering ok:false, 429 and never.
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

#include "fake-slack.h"
#include "itest.h"
#include "lihui/xmalloc.h"

#define BOT_TOKEN "xoxb-itest-b0t-t0ken-s3cr3t"
#define APP_TOKEN "xapp-1-itest-app-t0ken-s3cr3t"
#define CONNECTED "socket mode: connected"

static const char *const secrets[] = { BOT_TOKEN, APP_TOKEN, NULL };

struct itest {
	struct itest_daemon d; /* lihui, the loop, the waits */
	struct fake_slack *sl;
	char *conf;
};

/* The config; extra goes into [channel]. */
static void
write_config(struct itest *t, const char *extra)
{
	char *url = fake_slack_api_url(t->sl);

	free(t->conf);
	t->conf = itest_write_file(&t->d, "lihui.conf",
				   "[lihui]\n"
				   "adapter = slack\n"
				   "database = %s/lihui.db\n"
				   "[channel]\n"
				   "%s"
				   "[slack]\n"
				   "mode = socket\n"
				   "api_url = %s\n",
				   t->d.dir, extra, url);
	free(url);
}

static int
setup(void **state)
{
	struct itest *t = xcalloc(1, sizeof *t);
	char *cause = NULL;

	itest_init(&t->d, t, secrets);
	t->sl = fake_slack_new(&t->d.loop, BOT_TOKEN, APP_TOKEN, &cause);
	if (t->sl == NULL)
		fail_msg("cannot start the fake Slack: %s", cause);
	write_config(t, "");
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

/* Conditions. */

static int
cond_log(void *ctx, const void *needle)
{
	struct itest *t = ctx;

	return itest_log_count(&t->d, needle) > 0;
}

/* A connection opened after the first one is ready. */
static int
cond_new_connection(void *ctx, const void *arg)
{
	struct itest *t = ctx;

	(void)arg;
	return fake_slack_ws_connections(t->sl) >= 2 &&
	       fake_slack_ws_ready(t->sl) >= 1;
}

static int
cond_acked(void *ctx, const void *envelope_id)
{
	struct itest *t = ctx;
	const struct fake_slack_envelope *e =
	    fake_slack_envelope_find(t->sl, envelope_id);

	return e != NULL && e->acks > 0;
}

/* The channel message whose text holds needle, or NULL. */
static const struct fake_slack_message *
message_with(const struct itest *t, const char *channel, const char *needle)
{
	const struct fake_slack_message *m;
	size_t i;

	for (i = 0; i < fake_slack_message_count(t->sl); i++) {
		m = fake_slack_message_at(t->sl, i);
		if (strcmp(m->channel, channel) == 0 &&
		    strstr(m->text, needle) != NULL)
			return m;
	}
	return NULL;
}

static size_t
messages_with(const struct itest *t, const char *needle)
{
	size_t i, n = 0;

	for (i = 0; i < fake_slack_message_count(t->sl); i++)
		if (strstr(fake_slack_message_at(t->sl, i)->text, needle) !=
		    NULL)
			n++;
	return n;
}

/* How many messages were posted in channel. */
static size_t
messages_in(const struct itest *t, const char *channel)
{
	size_t i, n = 0;

	for (i = 0; i < fake_slack_message_count(t->sl); i++)
		if (strcmp(fake_slack_message_at(t->sl, i)->channel, channel) ==
		    0)
			n++;
	return n;
}

static int
cond_posted(void *ctx, const void *needle)
{
	struct itest *t = ctx;

	return message_with(t, FAKE_SLACK_CHANNEL_ID, needle) != NULL;
}

static int
cond_reactions(void *ctx, const void *n)
{
	struct itest *t = ctx;

	return fake_slack_reaction_count(t->sl) >= *(const size_t *)n;
}

struct in_dm {
	const char *user_id;
	const char *needle;
};

static int
cond_dm(void *ctx, const void *arg)
{
	struct itest *t = ctx;
	const struct in_dm *w = arg;
	char dm[32];

	fake_slack_dm_id(w->user_id, dm);
	return message_with(t, dm, w->needle) != NULL;
}

/* The daemon. */

static void
daemon_start(struct itest *t)
{
	const char *const env[] = { "LIHUI_SLACK_BOT_TOKEN=" BOT_TOKEN,
				    "LIHUI_SLACK_APP_TOKEN=" APP_TOKEN, NULL };
	const char *const args[] = { "--config", t->conf, NULL };
	size_t before = itest_log_count(&t->d, CONNECTED);

	itest_start(&t->d, env, args);
	(void)before;
	ITEST_WAIT(&t->d, cond_log, CONNECTED, ITEST_START_MS,
		   "Socket Mode to connect");
}

/*
 * user runs command (e.g. "/report") with text in ops; returns the text
 * of lihui's answer, carried in the acknowledgement (caller frees).
 */
static char *
command_as(struct itest *t, const char *user_id, const char *command,
	   const char *text)
{
	const struct fake_slack_envelope *e;
	struct json_object *o, *v;
	char *id, *answer = NULL;

	id = xstrdup(fake_slack_push_command(t->sl, command, text, user_id,
					     FAKE_SLACK_CHANNEL_ID));
	ITEST_WAIT(&t->d, cond_acked, id, ITEST_WAIT_MS,
		   "the command's acknowledgement");
	e = fake_slack_envelope_find(t->sl, id);
	assert_int_equal(e->acks, 1);
	/* Inside Slack's 3 seconds (generously, for valgrind). */
	assert_true(e->ack_ms - e->sent_ms < 3000 * (uint64_t)t->d.slow);
	if (e->ack_payload != NULL) {
		o = json_tokener_parse(e->ack_payload);
		assert_non_null(o);
		if (json_object_object_get_ex(o, "text", &v))
			answer = xstrdup(json_object_get_string(v));
		if (json_object_object_get_ex(o, "response_type", &v))
			assert_string_equal(json_object_get_string(v),
					    "ephemeral");
		json_object_put(o);
	}
	free(id);
	return answer != NULL ? answer : xstrdup("");
}

static char *
command(struct itest *t, const char *cmd, const char *text)
{
	return command_as(t, FAKE_SLACK_ALICE_ID, cmd, text);
}

/* Run a command and check its answer holds want. */
static void
expect_answer(struct itest *t, const char *user_id, const char *cmd,
	      const char *text, const char *want)
{
	char *got = command_as(t, user_id, cmd, text);

	if (strstr(got, want) == NULL) {
		itest_dump_log(&t->d);
		fail_msg("%s %s: answer '%s' lacks '%s'", cmd, text, got, want);
	}
	free(got);
}

/* Tests. */

/*
 * A week of the meeting, as on Mattermost: reports, the roster, the
 * agenda, the meeting with '#' lines (one restart in the middle), its
 * minutes, and an amendment.
 */
static void
test_week(void **state)
{
	struct itest *t = *state;
	const struct fake_slack_message *m;
	const struct fake_slack_request *r;
	size_t three = 3, four = 4, posts;

	daemon_start(t);
	/* Start-up: who the bot is, with the bot token; the URL with the
	 * app token only. */
	r = fake_slack_last(t->sl, "auth.test");
	assert_non_null(r);
	assert_string_equal(fake_slack_header(r, "Authorization"),
			    "Bearer " BOT_TOKEN);
	r = fake_slack_last(t->sl, "apps.connections.open");
	assert_string_equal(fake_slack_header(r, "Authorization"),
			    "Bearer " APP_TOKEN);

	expect_answer(t, FAKE_SLACK_ALICE_ID, "/meeting",
		      "roster add <@" FAKE_SLACK_ALICE_ID
		      "|alice> <@" FAKE_SLACK_BOB_ID
		      "|bob> <@" FAKE_SLACK_CAROL_ID "|carol>",
		      "Added to the roster: <@" FAKE_SLACK_ALICE_ID
		      "> <@" FAKE_SLACK_BOB_ID "> <@" FAKE_SLACK_CAROL_ID ">");
	expect_answer(t, FAKE_SLACK_ALICE_ID, "/report",
		      "done Shipped the &lt;login&gt; page",
		      "Noted under Done");
	expect_answer(t, FAKE_SLACK_BOB_ID, "/report",
		      "blocker waiting for the price list",
		      "Noted under Problems and blockers");
	expect_answer(t, FAKE_SLACK_BOB_ID, "/report", "show",
		      "waiting for the price list");

	/* The agenda, in mrkdwn: the report's text escaped again. */
	free(command(t, "/agenda", "post"));
	ITEST_WAIT(&t->d, cond_posted, "Shipped the &lt;login&gt; page",
		   ITEST_WAIT_MS, "the agenda");
	m = message_with(t, FAKE_SLACK_CHANNEL_ID, "Shipped the");
	assert_non_null(strstr(m->text, "waiting for the price list"));
	assert_null(strstr(m->text, "**"));
	assert_null(strstr(m->text, "####"));

	free(command(t, "/meeting", "start Integration sync"));
	ITEST_WAIT(&t->d, cond_posted, "Integration sync", ITEST_WAIT_MS,
		   "the meeting's start");
	fake_slack_push_message(t->sl, FAKE_SLACK_CHANNEL_ID,
				FAKE_SLACK_ALICE_ID, "good morning", "channel");
	fake_slack_push_message(t->sl, FAKE_SLACK_CHANNEL_ID,
				FAKE_SLACK_ALICE_ID, "#topic Pricing",
				"channel");
	fake_slack_push_message(t->sl, FAKE_SLACK_CHANNEL_ID, FAKE_SLACK_BOB_ID,
				"#agreed raise prices in January", "channel");
	fake_slack_push_message(
	    t->sl, FAKE_SLACK_CHANNEL_ID, FAKE_SLACK_ALICE_ID,
	    "#action <@" FAKE_SLACK_BOB_ID "> 2026-12-31 send the price sheet",
	    "channel");
	ITEST_WAIT(&t->d, cond_reactions, &three, ITEST_WAIT_MS,
		   "three reactions");
	assert_string_equal(fake_slack_reaction_at(t->sl, 0)->channel,
			    FAKE_SLACK_CHANNEL_ID);

	/* Killed in the middle: the meeting and its log survive. */
	itest_kill(&t->d);
	daemon_start(t);
	fake_slack_push_message(
	    t->sl, FAKE_SLACK_CHANNEL_ID, FAKE_SLACK_CAROL_ID,
	    "#info carol joined after the restart", "channel");
	ITEST_WAIT(&t->d, cond_reactions, &four, ITEST_WAIT_MS,
		   "a reaction to carol's line");

	free(command(t, "/meeting", "end"));
	ITEST_WAIT(&t->d, cond_posted, "Minutes of meeting 1", ITEST_WAIT_MS,
		   "the minutes");
	m = message_with(t, FAKE_SLACK_CHANNEL_ID, "Minutes of meeting 1");
	assert_non_null(
	    strstr(m->text, "<@" FAKE_SLACK_ALICE_ID "> (3 lines)"));
	assert_non_null(strstr(m->text, "<@" FAKE_SLACK_BOB_ID "> (1 line)"));
	assert_non_null(strstr(m->text, "<@" FAKE_SLACK_CAROL_ID "> (1 line)"));
	assert_non_null(strstr(m->text, "raise prices in January"));
	assert_non_null(strstr(m->text, "<@" FAKE_SLACK_BOB_ID
					">: send the price sheet (due "
					"2026-12-31)"));
	assert_non_null(strstr(m->text, "carol joined after the restart"));

	/* The last post of the meeting: the rating question. */
	ITEST_WAIT(&t->d, cond_posted, "Rate it from 1 to 5", ITEST_WAIT_MS,
		   "the rating question");

	/* Amended: the same message is edited with chat.update. */
	posts = fake_slack_message_count(t->sl);
	free(command(t, "/meeting",
		     "amend 1 decide ship the price sheet on Monday"));
	ITEST_WAIT(&t->d, cond_posted, "ship the price sheet on Monday",
		   ITEST_WAIT_MS, "the minutes to be edited");
	m = message_with(t, FAKE_SLACK_CHANNEL_ID, "Minutes of meeting 1");
	assert_int_equal(m->updates, 1);
	assert_int_equal(fake_slack_message_count(t->sl), posts);
	assert_int_equal(fake_slack_unacked(t->sl), 0);
	itest_stop(&t->d);
}

/*
 * An action item due today: its owner gets a direct message at
 * action_remind_time, which the config sets to the coming minute.
 */
static void
test_action_reminder(void **state)
{
	struct itest *t = *state;
	struct in_dm reminder = { FAKE_SLACK_BOB_ID, "send the price sheet" };
	char extra[128], today[16], dm[32], *answer;
	time_t now = time(NULL), at;
	struct tm tm;

	/* The next minute at least 20 s away (the daemon must be up). */
	at = now + 60 - now % 60;
	if (at - now < 20 * t->d.slow)
		at += 60 * (t->d.slow > 1 ? 2 : 1);
	gmtime_r(&at, &tm);
	snprintf(extra, sizeof extra,
		 "timezone = UTC\naction_remind_time = %02d:%02d\n"
		 "quiet_start = 00:00\nquiet_end = 00:00\n",
		 tm.tm_hour, tm.tm_min);
	strftime(today, sizeof today, "%Y-%m-%d", &tm);
	write_config(t, extra);
	daemon_start(t);

	answer = xasprintf("add <@%s|bob> %s send the price sheet",
			   FAKE_SLACK_BOB_ID, today);
	free(command(t, "/action", answer));
	free(answer);
	ITEST_WAIT(&t->d, cond_posted, "send the price sheet", ITEST_WAIT_MS,
		   "the action item's post");
	ITEST_WAIT(&t->d, cond_dm, &reminder,
		   (uint64_t)(at - now + 30) * 1000 / (uint64_t)t->d.slow,
		   "the reminder to the owner");
	/* Once, by direct message (conversations.open, then the post). */
	itest_settle(&t->d, 500);
	fake_slack_dm_id(FAKE_SLACK_BOB_ID, dm);
	assert_int_equal(messages_in(t, dm), 1);
	assert_non_null(fake_slack_last(t->sl, "conversations.open"));
	itest_stop(&t->d);
}

/* Redelivered envelopes and a repeated event are handled once. */
static void
test_redelivered(void **state)
{
	struct itest *t = *state;
	const char *id, *again;
	char *first;
	size_t one = 1, two = 2;

	daemon_start(t);
	/* A slash command delivered twice: one report. */
	id =
	    fake_slack_push_command(t->sl, "/report", "done once only",
				    FAKE_SLACK_ALICE_ID, FAKE_SLACK_CHANNEL_ID);
	first = xstrdup(id);
	ITEST_WAIT(&t->d, cond_acked, first, ITEST_WAIT_MS, "the first ack");
	again = fake_slack_redeliver(t->sl, first, 1);
	assert_string_equal(again, first);
	itest_settle(&t->d, 500);
	expect_answer(t, FAKE_SLACK_ALICE_ID, "/report", "show", "once only");
	{
		char *shown = command(t, "/report", "show");
		const char *p = strstr(shown, "once only");

		assert_non_null(p);
		assert_null(strstr(p + 1, "once only"));
		free(shown);
	}
	free(first);

	/* A meeting line redelivered, with the same and a new envelope id:
	 * one reaction, one line in the minutes. */
	free(command(t, "/meeting", "start Short"));
	id = fake_slack_push_message(t->sl, FAKE_SLACK_CHANNEL_ID,
				     FAKE_SLACK_BOB_ID, "#agreed only once",
				     "channel");
	first = xstrdup(id);
	ITEST_WAIT(&t->d, cond_reactions, &one, ITEST_WAIT_MS,
		   "the line's reaction");
	fake_slack_redeliver(t->sl, first, 1);
	fake_slack_redeliver(t->sl, first, 0);
	fake_slack_push_message(t->sl, FAKE_SLACK_CHANNEL_ID, FAKE_SLACK_BOB_ID,
				"#agreed a second one", "channel");
	ITEST_WAIT(&t->d, cond_reactions, &two, ITEST_WAIT_MS,
		   "the second line's reaction");
	itest_settle(&t->d, 300);
	assert_int_equal(fake_slack_reaction_count(t->sl), 2);
	free(command(t, "/meeting", "end"));
	ITEST_WAIT(&t->d, cond_posted, "Minutes of meeting 1", ITEST_WAIT_MS,
		   "the minutes");
	assert_int_equal(messages_with(t, "only once"), 1);
	assert_int_equal(fake_slack_unacked(t->sl), 0);
	free(first);
	itest_stop(&t->d);
}

/*
 * refresh_requested and warning: a new connection is open before the old
 * one closes, and no command sent meanwhile is lost.
 */
static void
test_refresh(void **state)
{
	struct itest *t = *state;
	const char *reasons[] = { "refresh_requested", "warning" };
	char *ids[40];
	size_t i, k, n = 0;
	int tickets;

	daemon_start(t);
	for (k = 0; k < 2; k++) {
		tickets = fake_slack_tickets(t->sl);
		assert_int_equal(
		    fake_slack_ws_disconnect(t->sl, reasons[k], 1000), 0);
		for (i = 0; i < 20; i++) {
			char text[32];

			snprintf(text, sizeof text, "done item %zu-%zu", k, i);
			ids[n++] = xstrdup(fake_slack_push_command(
			    t->sl, "/report", text, FAKE_SLACK_ALICE_ID,
			    FAKE_SLACK_CHANNEL_ID));
			itest_settle(&t->d, 50);
		}
		ITEST_WAIT_LOG(&t->d,
			       "socket mode: switched to the new "
			       "connection",
			       k + 1, ITEST_WAIT_MS, "the switch");
		assert_int_equal(fake_slack_tickets(t->sl), tickets + 1);
	}
	for (i = 0; i < n; i++) {
		ITEST_WAIT(&t->d, cond_acked, ids[i], ITEST_WAIT_MS,
			   "every command's ack");
		free(ids[i]);
	}
	assert_int_equal(fake_slack_unacked(t->sl), 0);
	/* Never more than the new and the old connection at once. */
	assert_true(fake_slack_ws_open(t->sl) <= 2);
	itest_stop(&t->d);
}

/*
 * The old connection closed at once after refresh_requested (a network
 * drop rather than Slack's grace period) while commands stream in: lihui
 * keeps running, reconnects, and answers what comes next. (Envelopes in
 * flight on the dropped connection may be lost: Slack does not
 * redeliver slash commands.)
 */
static void
test_refresh_abrupt(void **state)
{
	struct itest *t = *state;
	char text[32], *last;
	size_t i;

	daemon_start(t);
	for (i = 0; i < 30; i++) {
		if (i == 10)
			assert_int_equal(fake_slack_ws_disconnect(
					     t->sl, "refresh_requested", 0),
					 0);
		snprintf(text, sizeof text, "done abrupt %zu", i);
		fake_slack_push_command(t->sl, "/report", text,
					FAKE_SLACK_ALICE_ID,
					FAKE_SLACK_CHANNEL_ID);
		itest_settle(&t->d, 20);
	}
	/*
	 * A new connection: at once, or, when a descriptor number came back
	 * within the loop round the old socket closed in (see
	 * tests/bench/RESULTS.md, issue 6), once the stuck request for it
	 * times out (30 s) and lihui asks again.
	 */
	ITEST_WAIT(&t->d, cond_new_connection, NULL, 6 * ITEST_START_MS,
		   "the new connection");
	last = command(t, "/report", "done after the drop");
	assert_non_null(strstr(last, "Noted under Done"));
	free(last);
	itest_stop(&t->d);
}

/* link_disabled: lihui says why and opens no more connections. */
static void
test_link_disabled(void **state)
{
	struct itest *t = *state;
	int tickets;

	daemon_start(t);
	tickets = fake_slack_tickets(t->sl);
	assert_int_equal(fake_slack_ws_disconnect(t->sl, "link_disabled", 0),
			 0);
	ITEST_WAIT(&t->d, cond_log, "socket mode: Slack disabled",
		   ITEST_WAIT_MS, "lihui to say why it stops");
	itest_settle(&t->d, 1500);
	assert_int_equal(fake_slack_tickets(t->sl), tickets);
	itest_stop(&t->d);
}

/*
 * The Web API failing: ok:false (a post kept as failed, the next one
 * sent), 429 (waits, then posts once), and no answer at all (not posted
 * twice).
 */
static void
test_web_api_errors(void **state)
{
	struct itest *t = *state;

	daemon_start(t);
	fake_slack_fail(t->sl, "chat.postMessage", 1, "channel_not_found");
	free(command(t, "/meeting", "start Failing"));
	ITEST_WAIT(&t->d, cond_log, "channel_not_found", ITEST_WAIT_MS,
		   "the refusal in the log");
	free(command(t, "/meeting", "cancel"));
	ITEST_WAIT(&t->d, cond_posted, "cancel", ITEST_WAIT_MS,
		   "the next post");

	fake_slack_ratelimit(t->sl, "chat.postMessage", 1, 1);
	free(command(t, "/meeting", "start Limited"));
	ITEST_WAIT(&t->d, cond_posted, "Limited", 5 * ITEST_WAIT_MS,
		   "the post after Retry-After");
	assert_int_equal(messages_with(t, "Limited"), 1);
	free(command(t, "/meeting", "cancel"));

	fake_slack_hang(t->sl, "chat.postMessage", 1);
	free(command(t, "/meeting", "start Hanging"));
	ITEST_WAIT(&t->d, cond_log, "may have", 12 * ITEST_WAIT_MS,
		   "lihui to give the hung post up");
	itest_settle(&t->d, 1000);
	assert_true(messages_with(t, "Hanging") <= 1);
	itest_stop(&t->d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_week, setup, teardown),
		cmocka_unit_test_setup_teardown(test_redelivered, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_refresh, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refresh_abrupt, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_link_disabled, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_web_api_errors, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_action_reminder, setup,
						teardown),
	};

	itest_prepare();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
