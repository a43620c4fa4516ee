/* SPDX-License-Identifier: MIT */
/*
 * adapter.h: what every chat platform provides, behind one vtable.
 *
 * Adapters are the only code that knows which platform it is. Each is one
 * file in src/adapter/ defining a `const struct adapter_ops` and a private
 * struct whose first member is `struct adapter base`. The comment on each
 * member says whether it MUST be set or MAY be NULL; adapter_find() checks
 * the MUSTs. Inbound events go to the sink given at creation; outbound
 * posts come only from the outbox (outbox.c calls send()).
 *
 * Adding a platform: one file in src/adapter/, one row in the registry in
 * src/adapter/adapter.c and, for a network platform, its file in the
 * Makefile's NET_SRC (the module that holds it).
 */
#ifndef LIHUI_ADAPTER_H
#define LIHUI_ADAPTER_H

#include <stddef.h>
#include <stdint.h>

#include "lihui/event.h"
#include "lihui/store.h"

struct adapter;
struct config;
struct uv_loop_s;

enum adapter_caps {
	ADAPTER_EPHEMERAL = (1 << 0), /* can show a post to one user only */
};

/* Where inbound events go: the bot, without the adapter knowing it. */
struct adapter_sink {
	void (*event)(void *arg, const struct chat_event *ev);
	/* The adapter's input ended for good (console: end of stdin). */
	void (*closed)(void *arg);
	/* MAY be NULL: messages waiting in the outbox (health reports). */
	int64_t (*backlog)(void *arg);
	void *arg;
	/*
	 * MAY be NULL (then nothing waits): the store's batch that holds
	 * everything done so far, and whether a batch is durable yet. An
	 * answer that tells a user their command was taken (a slash
	 * command's acknowledgement) goes out only once the batch that was
	 * current right after the command ran is durable; ops->durable
	 * says when to look again.
	 */
	uint64_t (*generation)(void *arg);
	int (*durable)(void *arg, uint64_t gen);
};

/* How one delivery attempt ended; reported through outbox_done(). */
enum send_result {
	SEND_OK,     /* accepted; post_id may be set */
	SEND_RETRY,  /* temporary failure: try again after retry_after */
	SEND_FAILED, /* permanent failure: keep the row as failed */
};

/* Called by the adapter when a send() completes (possibly later). */
typedef void (*adapter_send_done_fn)(void *arg, int64_t msg_id,
				     enum send_result result,
				     const char *post_id, int retry_after,
				     const char *error);

struct adapter_ops {
	const char *name; /* the config value: "console", "mattermost" */
	int caps;	  /* enum adapter_caps */
	size_t max_text;  /* longest post the platform accepts, in bytes */

	/* MUST: parse this adapter's config and allocate; no I/O yet. */
	struct adapter *(*create)(const struct config *cfg,
				  struct uv_loop_s *loop,
				  const struct adapter_sink *sink,
				  char **cause);
	/* MUST: start receiving (open stdin, connect); once, on the loop. */
	int (*start)(struct adapter *a, char **cause);
	/*
	 * MUST: start delivering one outbox message; completion is reported
	 * through done (synchronously or later). Returns -1 only when the
	 * attempt could not even start (done is then not called).
	 */
	int (*send)(struct adapter *a, const struct outbox_msg *msg,
		    adapter_send_done_fn done, void *done_arg, char **cause);
	/*
	 * MAY: whether send() can deliver now (NULL: always). While not,
	 * the outbox leaves its rows alone and asks again shortly, so a
	 * start-up wait (e.g. learning the bot's id) costs no attempts.
	 */
	int (*ready)(struct adapter *a);
	/* MAY: more of the store became durable (see adapter_sink). */
	void (*durable)(struct adapter *a);
	/* MAY: stop receiving; pending sends may still complete. */
	void (*stop)(struct adapter *a);
	/* MUST: close every handle; calls closed_cb once the loop let go. */
	void (*close)(struct adapter *a, void (*closed_cb)(void *), void *arg);
	/* MUST: free what create() made (after close completed). */
	void (*free)(struct adapter *a);
};

/* Common part, embedded first in each platform's own struct. */
struct adapter {
	const struct adapter_ops *ops;
};

struct module;

/**
 * The adapter named name, with its MUST members checked. The console is
 * built in (*module is set to NULL); the chat platforms live in the
 * network module (module.h), which is opened into *module: the caller
 * closes it once the adapter is freed. NULL and *cause for an unknown name
 * or a module that cannot be loaded.
 */
const struct adapter_ops *adapter_load(const char *name, struct module **module,
				       char **cause);
/** 0 when ops sets every MUST member; else -1 and *cause. */
int adapter_check(const struct adapter_ops *ops, char **cause);

extern const struct adapter_ops adapter_console;
/* In the network module; only its own tests reference them directly. */
extern const struct adapter_ops adapter_mattermost;
extern const struct adapter_ops adapter_slack;

#endif
