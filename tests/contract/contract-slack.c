/* SPDX-License-Identifier: MIT */
/*
 * contract-slack.c: makes every kind of Web API request lihui's Slack
 * adapter makes, with lihui's own client (src/adapter/slack-api.c),
 * against the validating mock server that run-prism.sh --api slack
 * started (LIHUI_CONTRACT_URL): auth.test, chat.postMessage,
 * chat.postEphemeral, chat.update, reactions.add, conversations.open,
 * users.info and users.list (a whole walk, so its cursor is sent too).
 * A call passes when it was answered with HTTP 200: the mock's made-up
 * answer may fail lihui's checks of its content (users.info answers
 * another user than the one asked for), which is no matter here; what
 * counts is that the request was valid. run-prism.sh then fails the run
 * on any request the spec rejects; this program fails when a call did
 * not get an answer (an HTTP error status, a transport error).
 *
 * apps.connections.open is not in the spec (the copy predates Socket
 * Mode; ../shared/docs/protocols.md 2.2 and 2.3): it is not sent to the
 * mock but to the in-repo fake Slack (tests/lib/fake-slack.c), and
 * checked to be what Slack documents: a POST with the app token as a
 * bearer header, a form-encoded empty body, and a WebSocket URL (scheme
 * ws or wss) read from the answer.
 *
 *	sh tests/contract/run-prism.sh --api slack \
 *	    build/contract-bin/contract-slack
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uv.h>

#include "lihui/clock.h"
#include "lihui/http.h"
#include "lihui/xmalloc.h"

#include "../../src/adapter/slack-api.h"
#include "fake-slack.h"

#define BOT_TOKEN "xoxb-contract-0000000000-000000000000"
#define APP_TOKEN "xapp-1-A0CONTRACT-0000000000-000000"
#define CHANNEL	  "C0CONTRACT1"
#define USER	  "U0CONTRACT1"
#define TS	  "1700000000.000100"

struct driver {
	uv_loop_t loop;
	struct http_client *http;
	struct slack_api *api;
};

/* One call's outcome. */
struct call {
	int done;
	enum slack_api_status status;
	char *error;
};

static void
on_result(void *arg, const struct slack_api_result *r)
{
	struct call *c = arg;

	c->done = 1;
	c->status = r->status;
	c->error = r->error != NULL ? xstrdup(r->error) : NULL;
}

/*
 * Wait for c after a call returned rc. It must have been answered with
 * HTTP 200: OK, or an answer whose content lihui found wanting.
 */
static int
call_wait(struct driver *d, struct call *c, int rc, const char *what,
	  char *cause)
{
	int bad;

	if (rc < 0) {
		fprintf(stderr, "contract-slack: %s: %s\n", what, cause);
		free(cause);
		return -1;
	}
	while (rc == 0 && !c->done)
		uv_run(&d->loop, UV_RUN_ONCE);
	bad =
	    rc == 0 && c->status != SLACK_API_OK &&
	    (c->error == NULL || strncmp(c->error, "the answer to ", 14) != 0);
	if (bad)
		fprintf(stderr, "contract-slack: %s: %s\n", what,
			c->error != NULL ? c->error : "failed");
	else
		printf("contract-slack: %s: %s%s%s%s\n", what,
		       rc == 1 ? "cached" : "answered",
		       c->error != NULL ? " (lihui about the mock's answer: "
					: "",
		       c->error != NULL ? c->error : "",
		       c->error != NULL ? ")" : "");
	free(c->error);
	memset(c, 0, sizeof *c);
	return bad ? -1 : 0;
}

static void
on_http_closed(void *arg)
{
	int *closed = arg;

	*closed = 1;
}

/* Close d's HTTP client and free its API. */
static void
driver_end(struct driver *d)
{
	int closed = 0;

	http_client_close(d->http, on_http_closed, &closed);
	while (!closed)
		uv_run(&d->loop, UV_RUN_ONCE);
	http_client_free(d->http);
	slack_api_free(d->api);
	d->http = NULL;
	d->api = NULL;
}

/* A client of url on d's loop. */
static int
driver_start(struct driver *d, const char *url)
{
	struct clock clock = clock_system();
	struct slack_api_config cfg;
	char *cause = NULL;

	d->http = http_client_new(&d->loop, &clock, &cause);
	if (d->http == NULL) {
		fprintf(stderr, "contract-slack: %s\n", cause);
		free(cause);
		return -1;
	}
	memset(&cfg, 0, sizeof cfg);
	cfg.http = d->http;
	cfg.url = url;
	cfg.bot_token = BOT_TOKEN;
	cfg.app_token = APP_TOKEN;
	cfg.timeout_ms = 20000;
	d->api = slack_api_new(&cfg);
	return 0;
}

/* Every call the spec has, against the mock. */
static int
mock_calls(struct driver *d, const char *url)
{
	struct call c;
	const char *out;
	char *cause = NULL, *base;
	int rc = 0;

	base = xasprintf("%s/api", url);
	if (driver_start(d, base) != 0) {
		free(base);
		return -1;
	}
	free(base);
	memset(&c, 0, sizeof c);
	rc |=
	    call_wait(d, &c, slack_api_auth_test(d->api, on_result, &c, &cause),
		      "auth.test", cause);
	rc |= call_wait(d, &c,
			slack_api_post_message(d->api, CHANNEL,
					       "*contract* check: _done_ "
					       "<https://example.com|shipped>",
					       on_result, &c, &cause),
			"chat.postMessage", cause);
	rc |= call_wait(d, &c,
			slack_api_post_ephemeral(d->api, CHANNEL, USER,
						 "only you see this", on_result,
						 &c, &cause),
			"chat.postEphemeral", cause);
	rc |= call_wait(d, &c,
			slack_api_update(d->api, CHANNEL, TS, "edited",
					 on_result, &c, &cause),
			"chat.update", cause);
	rc |= call_wait(d, &c,
			slack_api_reaction_add(d->api, CHANNEL, TS,
					       "white_check_mark", on_result,
					       &c, &cause),
			"reactions.add", cause);
	rc |= call_wait(
	    d, &c, slack_api_open_dm(d->api, USER, &out, on_result, &c, &cause),
	    "conversations.open", cause);
	rc |= call_wait(
	    d, &c,
	    slack_api_user_info(d->api, USER, &out, on_result, &c, &cause),
	    "users.info", cause);
	/* The mock's answer always has a next_cursor: the walk reads
	 * SLACK_API_LIST_PAGES pages, the first without a cursor. */
	rc |= call_wait(d, &c,
			slack_api_users_load(d->api, on_result, &c, &cause),
			"users.list (a walk with cursors)", cause);
	driver_end(d);
	return rc;
}

/* apps.connections.open, against the fake: what Slack documents. */
static int
fake_connections_open(struct driver *d)
{
	const struct fake_slack_request *r;
	const char *auth, *type;
	struct fake_slack *f;
	struct call c;
	char *cause = NULL, *url;
	int rc;

	f = fake_slack_new(&d->loop, BOT_TOKEN, APP_TOKEN, &cause);
	if (f == NULL) {
		fprintf(stderr, "contract-slack: fake Slack: %s\n", cause);
		free(cause);
		return -1;
	}
	url = fake_slack_api_url(f);
	rc = driver_start(d, url);
	free(url);
	if (rc == 0) {
		memset(&c, 0, sizeof c);
		rc = call_wait(
		    d, &c,
		    slack_api_connections_open(d->api, on_result, &c, &cause),
		    "apps.connections.open (fake Slack)", cause);
		driver_end(d);
	}
	r = fake_slack_last(f, "apps.connections.open");
	if (rc == 0 && r == NULL) {
		fprintf(stderr, "contract-slack: the fake got no "
				"apps.connections.open\n");
		rc = -1;
	}
	if (rc == 0) {
		auth = fake_slack_header(r, "Authorization");
		type = fake_slack_header(r, "Content-Type");
		if (strcmp(r->method, "POST") != 0 || r->body_len != 0 ||
		    auth == NULL || strcmp(auth, "Bearer " APP_TOKEN) != 0 ||
		    type == NULL ||
		    strcmp(type, "application/x-www-form-urlencoded") != 0 ||
		    r->status != 200 || r->error != NULL) {
			fprintf(stderr,
				"contract-slack: apps.connections.open: %s "
				"%s, %zu bytes, Content-Type %s, %s, "
				"answered %d %s\n",
				r->method, r->target, r->body_len,
				type != NULL ? type : "(none)",
				auth == NULL		  ? "no token"
				: strstr(auth, APP_TOKEN) ? "app token"
							  : "another token",
				r->status, r->error != NULL ? r->error : "ok");
			rc = -1;
		}
	}
	fake_slack_close(f);
	uv_run(&d->loop, UV_RUN_DEFAULT);
	return rc;
}

int
main(void)
{
	const char *url = getenv("LIHUI_CONTRACT_URL");
	struct driver d;
	int rc = 0;

	if (url == NULL) {
		fprintf(stderr, "contract-slack: LIHUI_CONTRACT_URL is not set "
				"(run me through tests/contract/run-prism.sh "
				"--api slack)\n");
		return 2;
	}
	memset(&d, 0, sizeof d);
	uv_loop_init(&d.loop);
	rc |= mock_calls(&d, url);
	rc |= fake_connections_open(&d);
	uv_run(&d.loop, UV_RUN_DEFAULT);
	if (uv_loop_close(&d.loop) != 0) {
		fprintf(stderr, "contract-slack: handles left open\n");
		rc = -1;
	}
	return rc != 0;
}
