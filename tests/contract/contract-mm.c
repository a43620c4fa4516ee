/* SPDX-License-Identifier: MIT */
/*
 * contract-mm.c: makes every kind of REST request lihui's Mattermost
 * adapter makes, against the validating mock server that run-prism.sh
 * started (LIHUI_CONTRACT_URL), with lihui's own code: the adapter learns
 * who the bot is (GET /users/me), delivers a channel post, an ephemeral
 * post and a direct message (channels/direct + posts), the user and
 * channel lookups run (users/{id}, users/ids, users/username/{name},
 * channels/{id}, teams/name/{team}/channels/name/{name}), and
 * --register-commands runs (team by name, command list, creations). A
 * lookup passes when it was answered (the mock's made-up answer may fail
 * lihui's checks of its content; what counts is that the request was
 * valid).
 * run-prism.sh then fails the run on any request the spec rejects; this
 * program fails when a request did not get the answer it expects.
 *
 *	sh tests/contract/run-prism.sh build/contract/contract-mm
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uv.h>

#include "lihui/adapter.h"
#include "lihui/clock.h"
#include "lihui/config.h"
#include "lihui/http.h"
#include "lihui/log.h"
#include "lihui/module.h"
#include "lihui/store.h"
#include "lihui/xmalloc.h"

#include "../../src/adapter/mm-api.h"

#define WAIT_MS	   20000
#define LOOKUP_ID  "us3r1d000000000000000000bb"
#define LOOKUP_IDS 2

struct driver {
	uv_loop_t loop;
	uv_timer_t tick;
	struct adapter *a;
	int done;
	enum send_result result;
	char *error;
	int closed;
};

static void
on_event(void *arg, const struct chat_event *ev)
{
	(void)arg;
	(void)ev;
}

static void
on_tick(uv_timer_t *t)
{
	(void)t;
}

static void
on_sent(void *arg, int64_t id, enum send_result result, const char *post_id,
	int retry_after, const char *error)
{
	struct driver *d = arg;

	(void)id;
	(void)post_id;
	(void)retry_after;
	d->done = 1;
	d->result = result;
	free(d->error);
	d->error = error != NULL ? xstrdup(error) : NULL;
}

/* Deliver one message; retried while the bot's id is not known yet. */
static int
send_kind(struct driver *d, int kind, const char *user, const char *what)
{
	struct outbox_msg msg;
	char *cause = NULL;
	uint64_t end;

	memset(&msg, 0, sizeof msg);
	msg.id = kind + 1;
	msg.kind = kind;
	msg.channel_key = "ch4nnel1d0000000000000000a";
	msg.user = (char *)user;
	msg.text = "contract check: **done** shipped";
	if (kind == OUTBOX_EDIT || kind == OUTBOX_REACTION)
		msg.post_id = "p0st1d00000000000000000000";
	if (kind == OUTBOX_REACTION)
		msg.text = "white_check_mark";
	uv_update_time(&d->loop);
	end = uv_now(&d->loop) + WAIT_MS;
	for (;;) {
		d->done = 0;
		if (d->a->ops->send(d->a, &msg, on_sent, d, &cause) != 0) {
			fprintf(stderr, "contract-mm: %s: %s\n", what, cause);
			free(cause);
			return -1;
		}
		while (!d->done)
			uv_run(&d->loop, UV_RUN_ONCE);
		if (d->result == SEND_OK) {
			printf("contract-mm: %s: delivered\n", what);
			return 0;
		}
		if (d->result == SEND_FAILED || uv_now(&d->loop) > end) {
			fprintf(stderr, "contract-mm: %s: %s\n", what,
				d->error != NULL ? d->error : "not delivered");
			return -1;
		}
		/* Not ready yet (the bot's id): give /users/me a moment. */
		uv_run(&d->loop, UV_RUN_ONCE);
	}
}

/* One lookup's outcome. */
struct lookup {
	int done;
	enum mm_api_result result;
	char *error;
};

static void
lookup_end(struct lookup *l, enum mm_api_result result, const char *error)
{
	l->done = 1;
	l->result = result;
	l->error = error != NULL ? xstrdup(error) : NULL;
}

static void
on_user(void *arg, enum mm_api_result result, const struct mm_api_user *u,
	const char *error)
{
	(void)u;
	lookup_end(arg, result, error);
}

static void
on_channel(void *arg, enum mm_api_result result, const struct mm_api_channel *c,
	   const char *error)
{
	(void)c;
	lookup_end(arg, result, error);
}

static void
on_users(void *arg, size_t found, size_t not_found, size_t failed,
	 const char *error)
{
	(void)found;
	(void)not_found;
	lookup_end(arg, failed > 0 ? MM_API_ERROR : MM_API_FOUND, error);
}

/*
 * Wait for l after a lookup returned rc; it must have been answered: an
 * error only for what the answer held, not for its status or transport.
 */
static int
lookup_wait(struct driver *d, struct lookup *l, int rc, const char *what,
	    char *cause)
{
	static const char *const results[] = { "found", "not found", "error" };
	int bad;

	if (rc < 0) {
		fprintf(stderr, "contract-mm: %s: %s\n", what, cause);
		free(cause);
		return -1;
	}
	while (rc == 0 && !l->done)
		uv_run(&d->loop, UV_RUN_ONCE);
	bad = rc == 0 && l->result == MM_API_ERROR &&
	      (strstr(l->error, " answered ") != NULL ||
	       strstr(l->error, "/api/v4/") == NULL ||
	       strstr(l->error, "answer") == NULL);
	if (bad)
		fprintf(stderr, "contract-mm: %s: %s\n", what, l->error);
	else
		printf("contract-mm: %s: %s%s%s\n", what,
		       rc == 1 ? "cached" : results[l->result],
		       l->error != NULL ? ": " : "",
		       l->error != NULL ? l->error : "");
	free(l->error);
	memset(l, 0, sizeof *l);
	return bad ? -1 : 0;
}

static void
on_http_closed(void *arg)
{
	int *closed = arg;

	*closed = 1;
}

/* Every user and channel lookup, on an HTTP client of its own. */
static int
lookups(struct driver *d, const char *url)
{
	const char *ids[LOOKUP_IDS] = { LOOKUP_ID,
					"us3r1d000000000000000000cc" };
	struct clock clock = clock_system();
	struct http_client *http;
	struct mm_cache *cache = mm_cache_new();
	struct mm_api *api;
	struct mm_rest rest;
	struct mm_api_user user;
	struct mm_api_channel channel;
	struct lookup l;
	char *cause = NULL, *base;
	size_t len;
	int rc = 0, closed = 0;

	http = http_client_new(&d->loop, &clock, &cause);
	if (http == NULL) {
		fprintf(stderr, "contract-mm: %s\n", cause);
		free(cause);
		mm_cache_free(cache);
		return -1;
	}
	base = xstrdup(url);
	len = strlen(base);
	while (len > 0 && base[len - 1] == '/')
		base[--len] = '\0';
	memset(&rest, 0, sizeof rest);
	rest.http = http;
	rest.url = base;
	rest.auth = "Authorization: Bearer contracttoken000000000000a";
	rest.max_response = MM_API_MAX_RESPONSE;
	api = mm_api_new(&rest, cache);
	memset(&l, 0, sizeof l);
	rc |= lookup_wait(
	    d, &l, mm_api_user(api, LOOKUP_ID, &user, on_user, &l, &cause),
	    "user by id", cause);
	rc |= lookup_wait(
	    d, &l, mm_api_users(api, ids, LOOKUP_IDS, on_users, &l, &cause),
	    "users by ids", cause);
	rc |= lookup_wait(
	    d, &l,
	    mm_api_user_by_name(api, "alice.b", &user, on_user, &l, &cause),
	    "user by username", cause);
	rc |= lookup_wait(d, &l,
			  mm_api_channel(api, "ch4nnel1d0000000000000000b",
					 &channel, on_channel, &l, &cause),
			  "channel by id", cause);
	rc |= lookup_wait(d, &l,
			  mm_api_channel_by_name(api, "eng", "town-square",
						 &channel, on_channel, &l,
						 &cause),
			  "channel by team and name", cause);
	http_client_close(http, on_http_closed, &closed);
	while (!closed)
		uv_run(&d->loop, UV_RUN_ONCE);
	http_client_free(http);
	mm_api_free(api);
	mm_cache_free(cache);
	free(base);
	return rc;
}

static void
on_closed(void *arg)
{
	struct driver *d = arg;

	d->closed = 1;
}

int
main(void)
{
	const char *url = getenv("LIHUI_CONTRACT_URL");
	struct adapter_sink sink;
	struct driver d;
	struct config cfg;
	char *cause = NULL;
	int rc = 0;

	if (url == NULL) {
		fprintf(stderr,
			"contract-mm: LIHUI_CONTRACT_URL is not set "
			"(run me through tests/contract/run-prism.sh)\n");
		return 2;
	}
	memset(&d, 0, sizeof d);
	memset(&sink, 0, sizeof sink);
	sink.event = on_event;
	config_defaults(&cfg);
	cfg.mm_url = xstrdup(url);
	cfg.mm_token = xstrdup("contracttoken000000000000a");
	cfg.mm_command_token = xstrdup("commandtoken00000000000000");
	cfg.mm_team = xstrdup("eng");
	cfg.mm_command_url = xstrdup("http://10.0.0.5:8090/command");
	free(cfg.mm_listen);
	cfg.mm_listen = xstrdup("127.0.0.1:0");

	uv_loop_init(&d.loop);
	uv_timer_init(&d.loop, &d.tick);
	uv_timer_start(&d.tick, on_tick, 50, 50);
	d.a = adapter_mattermost.create(&cfg, &d.loop, &sink, &cause);
	if (d.a == NULL || d.a->ops->start(d.a, &cause) != 0) {
		fprintf(stderr, "contract-mm: %s\n", cause);
		return 1;
	}
	rc |= send_kind(&d, OUTBOX_CHANNEL, NULL, "channel post");
	rc |= send_kind(&d, OUTBOX_EPHEMERAL, "us3r1d000000000000000000aa",
			"ephemeral post");
	rc |= send_kind(&d, OUTBOX_DIRECT, "us3r1d000000000000000000aa",
			"direct message");
	rc |= send_kind(&d, OUTBOX_EDIT, NULL, "edit of a post");
	rc |= send_kind(&d, OUTBOX_REACTION, NULL, "reaction");
	rc |= lookups(&d, url);
	d.a->ops->close(d.a, on_closed, &d);
	uv_close((uv_handle_t *)&d.tick, NULL);
	uv_run(&d.loop, UV_RUN_DEFAULT);
	if (!d.closed)
		rc = 1;
	d.a->ops->free(d.a);
	uv_loop_close(&d.loop);

	/* The mock's command list never holds ours: every one is created. */
	if (mattermost_register_commands(&cfg) != 0) {
		fprintf(stderr, "contract-mm: --register-commands failed\n");
		rc = 1;
	}
	free(d.error);
	config_release(&cfg);
	return rc != 0;
}
