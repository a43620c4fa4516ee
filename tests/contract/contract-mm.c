/* SPDX-License-Identifier: MIT */
/*
 * contract-mm.c: makes every kind of REST request lihui's Mattermost
 * adapter makes, against the validating mock server that run-prism.sh
 * started (LIHUI_CONTRACT_URL), with lihui's own code: the adapter learns
 * who the bot is (GET /users/me), delivers a channel post, an ephemeral
 * post and a direct message (channels/direct + posts), and
 * --register-commands runs (team by name, command list, creations).
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
#include "lihui/config.h"
#include "lihui/log.h"
#include "lihui/module.h"
#include "lihui/store.h"
#include "lihui/xmalloc.h"

#define WAIT_MS 20000

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
	struct adapter_sink sink = { on_event, NULL, NULL, NULL };
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
