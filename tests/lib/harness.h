/* SPDX-License-Identifier: MIT */
/*
 * harness.h: a test bot: the real dispatcher over a ":memory:" store, the
 * built-in default configuration and a fake clock. Tests say lines as
 * users would and read back what lihui put in the outbox.
 */
#ifndef LIHUI_TEST_HARNESS_H
#define LIHUI_TEST_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#include "lihui/bot.h"
#include "lihui/config.h"
#include "lihui/store.h"

/* 2026-11-26T08:00:00Z, a Thursday; the next Monday 10:00 UTC is
 * 2026-11-30T10:00:00Z. */
#define TB_NOW 1795680000

struct tb {
	struct config config;
	struct store *store;
	struct bot bot;
	int64_t now;
	int64_t seen; /* the last outbox id returned by tb_* */
	char *out;    /* what the last call added to the outbox */
	int posts;    /* channel lines said, numbering their post ids */
	/* tb_users(): the platform's users, space-separated; NULL: the
	 * events do not say (every name taken as written) */
	char *users;
};

/** A fresh test bot (channel "ops", locale en unless set later). */
struct tb *tb_new(void);
void tb_free(struct tb *tb);
void tb_clock_set(struct tb *tb, int64_t now);
/**
 * From now on the events carry what a platform adapter would have looked
 * up: each @name of the text is found (user id "id-<name in lower
 * case>") when it is one of users (space-separated, lower case; names
 * compare without case), else unknown. NULL turns it off.
 */
void tb_users(struct tb *tb, const char *users);

/**
 * user runs a slash command line such as "/report done x" in channel ops.
 * Returns what it added to the outbox, one post per line group:
 * "[ephemeral @user] text" or "[channel] text", each ending in "\n";
 * borrowed until the next call.
 */
const char *tb_cmd(struct tb *tb, const char *user, const char *line);
/**
 * The scheduler's timer fires at the fake clock's now: every due job
 * runs (jobs_run_due). Returns what the runs added to the outbox, as
 * tb_cmd() does ("[dm @user] text" for direct messages).
 */
const char *tb_jobs(struct tb *tb);
/** user says text in the channel (e.g. "@lihui report done x"). */
const char *tb_say(struct tb *tb, const char *user, const char *text);
/** user sends text to the bot in a direct message. */
const char *tb_dm(struct tb *tb, const char *user, const char *text);

/**
 * A summary of everything the store holds for channel ops in its next
 * cycle (reports, metrics, topics, members) and of its action items
 * ("action <id> <state> <owner> <owner id> <due> <creator> <meeting>
 * <text> | <note>"); caller frees. Two equal
 * snapshots mean a command stored nothing.
 */
char *tb_snapshot(struct tb *tb);

/** cmocka group setup/teardown: *state is a fresh struct tb. */
int tb_setup(void **state);
int tb_teardown(void **state);
/** user runs line and gets exactly want. */
void tb_expect(struct tb *tb, const char *user, const char *line,
	       const char *want);
/** As tb_expect(), and the line leaves the store as it was. */
void tb_expect_refused(struct tb *tb, const char *user, const char *line,
		       const char *want);
/* One line a user says and the whole outbox output it must produce. */
struct tb_exchange {
	const char *user;
	const char *line;
	const char *want;
};

/** tb_expect() for each exchange. */
void tb_said_all(struct tb *tb, const struct tb_exchange *x, size_t n);
/** tb_expect_refused() for each exchange. */
void tb_refused_all(struct tb *tb, const struct tb_exchange *x, size_t n);

#define TB_SAID(tb, ...)                                                       \
	do {                                                                   \
		static const struct tb_exchange x_[] = { __VA_ARGS__ };        \
		tb_said_all((tb), x_, sizeof x_ / sizeof x_[0]);               \
	} while (0)
#define TB_REFUSED(tb, ...)                                                    \
	do {                                                                   \
		static const struct tb_exchange x_[] = { __VA_ARGS__ };        \
		tb_refused_all((tb), x_, sizeof x_ / sizeof x_[0]);            \
	} while (0)

/** The snapshot (tb_snapshot) is exactly want. */
void tb_snapshot_is(struct tb *tb, const char *want);

#endif
