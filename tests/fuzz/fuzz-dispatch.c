/* SPDX-License-Identifier: MIT */
/*
 * fuzz-dispatch.c: libFuzzer target for the command dispatcher.
 *
 * One bot over a ":memory:" store with the default configuration and a
 * fixed clock is built on the first input and kept (static state is fine
 * in a fuzz target; it is reopened every FUZZ_REOPEN inputs so that the
 * rows the inputs add cannot grow without bound). Each input, cut at its
 * first NUL and at most FUZZ_MAX_INPUT bytes, is dispatched as the text of
 * "/report" and of "/agenda" from a channel, and as a message addressed to
 * the bot ("@lihui <input>", which reaches every group). Besides not
 * crashing, every dispatch must answer with at least one outbox row, and
 * every row must be well-formed UTF-8 no longer than the adapter's limit.
 *
 * Because the store carries over, a failure may depend on the inputs before
 * it: rerun the whole corpus (or the last FUZZ_REOPEN inputs) to reproduce
 * one that a single crash file does not. Most of the time goes to the leak
 * check libFuzzer runs when an input leaves the heap bigger (the store
 * grows), which is the price of reaching edits and removals of rows that
 * earlier inputs added.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lihui/bot.h"
#include "lihui/config.h"
#include "lihui/event.h"
#include "lihui/store.h"
#include "lihui/utf8.h"

/* Twice the default max_text, so that the "too long" path is reached. */
#define FUZZ_MAX_INPUT 8192
#define FUZZ_REOPEN    256
#define FUZZ_MAX_POST  4000
/* Thursday 2026-11-26 08:00 UTC, as in tests/lib/harness.h. */
#define FUZZ_NOW 1795680000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_bot {
	struct config config;
	struct store *store;
	struct bot bot;
	int64_t seen; /* the last outbox id checked */
	unsigned inputs;
};

static int64_t
fuzz_clock(void *arg)
{
	(void)arg;
	return FUZZ_NOW;
}

static void
fuzz_open_store(struct fuzz_bot *f)
{
	struct clock c = { .now = fuzz_clock, .arg = NULL };
	char *cause = NULL;

	f->store = store_open(":memory:", &cause);
	if (f->store == NULL)
		abort();
	bot_init(&f->bot, &f->config, f->store, c, FUZZ_MAX_POST);
	f->seen = 0;
}

static struct fuzz_bot *
fuzz_bot_get(void)
{
	static struct fuzz_bot f;
	static int ready;
	char *cause = NULL;

	if (!ready) {
		/* Keep the per-command log line out of the fuzzer's output. */
		setenv("LIHUI_LOG", "error", 0);
		config_defaults(&f.config);
		if (config_finish(&f.config, &cause) != 0)
			abort();
		fuzz_open_store(&f);
		ready = 1;
	} else if (++f.inputs % FUZZ_REOPEN == 0) {
		store_close(f.store);
		fuzz_open_store(&f);
	}
	return &f;
}

/* The rows added since the last check are answers fit to post. */
static void
fuzz_check_outbox(struct fuzz_bot *f)
{
	struct outbox_msg *m = NULL;
	size_t n = 0, i, len;
	char *cause = NULL;

	if (store_outbox_since(f->store, f->seen, &m, &n, &cause) != 0)
		abort();
	if (n == 0)
		abort();
	for (i = 0; i < n; i++) {
		len = strlen(m[i].text);
		if (len == 0 || len > FUZZ_MAX_POST ||
		    !utf8_valid(m[i].text, len))
			abort();
		f->seen = m[i].id;
	}
	outbox_msg_list_free(m, n);
}

static void
fuzz_dispatch(struct fuzz_bot *f, enum chat_event_kind kind,
	      const char *trigger, const char *text)
{
	struct chat_event ev;

	memset(&ev, 0, sizeof ev);
	ev.kind = kind;
	ev.channel_key = "ops";
	ev.channel_name = "ops";
	ev.user_id = "fuzz";
	ev.user_name = "fuzz";
	ev.trigger = trigger;
	ev.text = text;
	ev.mentions_bot = kind == CHAT_MESSAGE;
	bot_handle_event(&f->bot, &ev);
	fuzz_check_outbox(f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char mention[] = "@lihui ";
	struct fuzz_bot *f;
	char *text;

	if (size > FUZZ_MAX_INPUT)
		return 0;
	f = fuzz_bot_get();
	text = malloc(sizeof mention + size);
	if (text == NULL)
		return 0;
	memcpy(text, mention, sizeof mention - 1);
	memcpy(text + sizeof mention - 1, data, size);
	text[sizeof mention - 1 + size] = '\0';

	fuzz_dispatch(f, CHAT_COMMAND, "report", text + sizeof mention - 1);
	fuzz_dispatch(f, CHAT_COMMAND, "agenda", text + sizeof mention - 1);
	fuzz_dispatch(f, CHAT_MESSAGE, NULL, text);
	free(text);
	return 0;
}
