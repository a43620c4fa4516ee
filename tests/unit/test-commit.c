/* SPDX-License-Identifier: MIT */
/*
 * test-commit.c: group commit (commit.c and the store's batch
 * generations): a command's posts are handed out only once its batch is
 * durable, on a real file database synced on libuv's thread pool; an
 * in-memory database counts as durable at each commit; without batching
 * nothing waits; and a WAL file that cannot be opened for syncing falls
 * back to an fsync in each commit without holding anything back.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uv.h>

#include "lihui/commit.h"
#include "lihui/store.h"
#include "lihui/xmalloc.h"

#define T0 1767600000

struct fixture {
	char dir[256];
	char path[300];
	uv_loop_t loop;
	struct store *store;
	struct committer *committer;
	int durable_calls;
	int closed;
};

static void
on_durable(void *arg)
{
	struct fixture *f = arg;

	f->durable_calls++;
}

static void
on_closed(void *arg)
{
	struct fixture *f = arg;

	f->closed = 1;
}

static struct fixture *
fixture_new(const char *path)
{
	struct fixture *f = xcalloc(1, sizeof *f);
	const char *base = getenv("TMPDIR");
	char *cause = NULL;

	if (path == NULL) {
		if (base == NULL || *base == '\0')
			base = "/tmp";
		snprintf(f->dir, sizeof f->dir, "%s/lihui-commit-XXXXXX", base);
		assert_non_null(mkdtemp(f->dir));
		snprintf(f->path, sizeof f->path, "%s/lihui.db", f->dir);
	} else
		snprintf(f->path, sizeof f->path, "%s", path);
	f->store = store_open(f->path, &cause);
	assert_null(cause);
	assert_non_null(f->store);
	assert_int_equal(uv_loop_init(&f->loop), 0);
	return f;
}

static void
fixture_start(struct fixture *f)
{
	store_set_batching(f->store, 1);
	f->committer = committer_new(&f->loop, f->store, on_durable, f);
}

static void
fixture_free(struct fixture *f)
{
	char file[320];

	if (f->committer != NULL) {
		committer_close(f->committer, on_closed, f);
		uv_run(&f->loop, UV_RUN_DEFAULT);
		assert_true(f->closed);
		committer_free(f->committer);
	}
	assert_int_equal(uv_loop_close(&f->loop), 0);
	store_close(f->store);
	if (f->dir[0] != '\0') {
		unlink(f->path);
		snprintf(file, sizeof file, "%s-wal", f->path);
		unlink(file);
		snprintf(file, sizeof file, "%s-shm", f->path);
		unlink(file);
		rmdir(f->dir);
	}
	free(f);
}

/*
 * A command: one unit of work that queues one post, to a channel of its
 * own (posts to one channel are due one at a time).
 */
static int64_t
command(struct store *s, const char *text)
{
	char *cause = NULL;
	int64_t id = 0;

	assert_int_equal(store_begin(s, &cause), 0);
	assert_int_equal(store_outbox_add(s, OUTBOX_CHANNEL, text, NULL, text,
					  T0, &id, &cause),
			 0);
	assert_int_equal(store_commit(s, &cause), 0);
	assert_null(cause);
	return id;
}

static size_t
due(struct store *s)
{
	struct outbox_msg *m = NULL;
	char *cause = NULL;
	size_t n = 0;

	assert_int_equal(store_outbox_due(s, T0 + 1, 100, &m, &n, &cause), 0);
	outbox_msg_list_free(m, n);
	return n;
}

/* Loop rounds until durable() was called calls times (10 s at most). */
static void
run_until_durable(struct fixture *f, int calls)
{
	int rounds;

	for (rounds = 0; rounds < 10000 && f->durable_calls < calls; rounds++) {
		uv_run(&f->loop, UV_RUN_NOWAIT);
		if (f->durable_calls < calls)
			usleep(1000);
	}
	assert_int_equal(f->durable_calls, calls);
}

static void
test_file_posts_wait_for_the_sync(void **state)
{
	struct fixture *f = fixture_new(NULL);
	uint64_t gen;
	int i;

	(void)state;
	fixture_start(f);
	assert_int_equal(store_generation(f->store), 0);
	command(f->store, "first");
	gen = store_generation(f->store);
	assert_int_equal(gen, 1);
	assert_false(store_durable(f->store, gen));
	assert_int_equal(due(f->store), 0);

	/* The check phase commits and queues the sync; its callback runs
	 * in a later round. */
	run_until_durable(f, 1);
	assert_true(store_durable(f->store, gen));
	assert_int_equal(due(f->store), 1);

	/* Two more commands in one round: one batch, one sync. */
	command(f->store, "second");
	command(f->store, "third");
	assert_int_equal(store_generation(f->store), 2);
	assert_int_equal(due(f->store), 1);
	run_until_durable(f, 2);
	assert_true(store_durable(f->store, 2));
	assert_int_equal(due(f->store), 3);

	/* Idle rounds call nothing. */
	for (i = 0; i < 5; i++)
		uv_run(&f->loop, UV_RUN_NOWAIT);
	assert_int_equal(f->durable_calls, 2);
	fixture_free(f);
}

static void
test_file_rows_of_before_batching_are_due(void **state)
{
	struct fixture *f = fixture_new(NULL);

	(void)state;
	command(f->store, "queued before a restart");
	fixture_start(f);
	assert_int_equal(due(f->store), 1);
	fixture_free(f);
}

static void
test_memory_is_durable_at_commit(void **state)
{
	struct fixture *f = fixture_new(":memory:");
	int i;

	(void)state;
	fixture_start(f);
	command(f->store, "hello");
	assert_int_equal(store_generation(f->store), 1);
	assert_false(store_durable(f->store, 1));
	run_until_durable(f, 1);
	assert_true(store_durable(f->store, 1));
	assert_int_equal(due(f->store), 1);
	for (i = 0; i < 5; i++)
		uv_run(&f->loop, UV_RUN_NOWAIT);
	assert_int_equal(f->durable_calls, 1);
	fixture_free(f);
}

static void
test_without_batching_nothing_waits(void **state)
{
	struct fixture *f = fixture_new(NULL);

	(void)state;
	command(f->store, "hello");
	assert_int_equal(store_generation(f->store), 0);
	assert_true(store_durable(f->store, 0));
	assert_int_equal(due(f->store), 1);
	fixture_free(f);
}

static void
test_wal_unopenable_falls_back(void **state)
{
	struct fixture *f = fixture_new(NULL);
	char wal[320];

	(void)state;
	fixture_start(f);
	command(f->store, "first");
	/* SQLite keeps its own descriptor; the name is gone for ours. */
	snprintf(wal, sizeof wal, "%s-wal", f->path);
	assert_int_equal(unlink(wal), 0);
	run_until_durable(f, 1);
	assert_true(store_durable(f->store, 1));
	assert_int_equal(due(f->store), 1);

	/* From now on each commit is durable by itself. */
	command(f->store, "second");
	run_until_durable(f, 2);
	assert_int_equal(due(f->store), 2);
	fixture_free(f);
}

/*
 * Checkpoints run off the loop once the WAL has grown: the WAL starts
 * over (its page count drops) and nothing committed is lost.
 */
static void
test_checkpoint_off_the_loop(void **state)
{
	struct fixture *f = fixture_new(NULL);
	char text[3000], name[32];
	int i, pages, most = 0, dropped = 0, rounds;

	(void)state;
	fixture_start(f);
	committer_set_checkpoint(f->committer, 16);
	memset(text, 'x', sizeof text - 1);
	text[sizeof text - 1] = '\0';
	/*
	 * 200 commits at least, more until a checkpoint was seen to reset
	 * the WAL: on a loaded machine the worker thread may take a while
	 * to get its turn (no timing is asserted).
	 */
	for (i = 0; i < 200 || (!dropped && i < 4000); i++) {
		char *cause = NULL;

		snprintf(name, sizeof name, "c%d", i);
		assert_int_equal(store_begin(f->store, &cause), 0);
		assert_int_equal(store_outbox_add(f->store, OUTBOX_CHANNEL,
						  name, NULL, text, T0, NULL,
						  &cause),
				 0);
		assert_int_equal(store_commit(f->store, &cause), 0);
		/* A few loop rounds: commit, sync, maybe a checkpoint. */
		for (rounds = 0; rounds < 20; rounds++) {
			uv_run(&f->loop, UV_RUN_NOWAIT);
			usleep(200);
		}
		pages = store_wal_pages(f->store);
		if (pages < most)
			dropped = 1;
		if (pages > most)
			most = pages;
	}
	run_until_durable(f, f->durable_calls);
	/*
	 * A checkpoint ran (off the loop) and the WAL started again. How
	 * small it stays depends on how soon the worker gets its turn: a
	 * matter for the benchmarks, not for a test on a shared machine.
	 */
	assert_true(dropped);
	assert_int_equal(due(f->store), 100);
	fixture_free(f);
}

/*
 * A checkpoint that leaves the WAL as long as it was (a reader holds it,
 * or the last commit simply left many pages) is not queued again and
 * again while nothing is committed: an idle daemon stays idle.
 */
static void
test_idle_after_checkpoint(void **state)
{
	struct fixture *f = fixture_new(NULL);
	char text[3000], *cause = NULL;
	uint64_t after;
	int i, rounds;

	(void)state;
	fixture_start(f);
	committer_set_checkpoint(f->committer, 16);
	memset(text, 'x', sizeof text - 1);
	text[sizeof text - 1] = '\0';
	for (i = 0; i < 10; i++) {
		assert_int_equal(store_begin(f->store, &cause), 0);
		assert_int_equal(store_outbox_add(f->store, OUTBOX_CHANNEL, "c",
						  NULL, text, T0, NULL, &cause),
				 0);
		assert_int_equal(store_commit(f->store, &cause), 0);
	}
	run_until_durable(f, f->durable_calls > 0 ? f->durable_calls : 1);
	for (rounds = 0; rounds < 200; rounds++) {
		uv_run(&f->loop, UV_RUN_NOWAIT);
		usleep(500);
	}
	after = committer_checkpoints(f->committer);
	assert_true(after >= 1);
	/* Nothing committed: no more checkpoints, however long it idles. */
	for (rounds = 0; rounds < 200; rounds++) {
		uv_run(&f->loop, UV_RUN_NOWAIT);
		usleep(500);
	}
	assert_int_equal(committer_checkpoints(f->committer), after);
	fixture_free(f);
}

/* A timer's work, and the watchdog that must not fire before it is
 * durable. */
struct timer_work {
	struct fixture *f;
	uv_timer_t work, watchdog;
	int watchdog_fired;
};

static void
timer_work_run(uv_timer_t *t)
{
	struct timer_work *w = t->data;

	command(w->f->store, "from a timer");
}

static void
timer_watchdog(uv_timer_t *t)
{
	struct timer_work *w = t->data;

	w->watchdog_fired = 1;
	uv_stop(t->loop);
}

static void
timer_durable(void *arg)
{
	struct timer_work *w = arg;

	w->f->durable_calls++;
	uv_timer_stop(&w->watchdog);
	uv_stop(&w->f->loop);
}

/*
 * Work a timer did (the scheduler's jobs) is committed and synced in the
 * same wake-up: the poll after a timer callback must not sleep on an open
 * batch until some unrelated event (here: a 10 s watchdog) comes.
 */
static void
test_timer_work_is_not_left_waiting(void **state)
{
	struct fixture *f = fixture_new(NULL);
	struct timer_work w;

	(void)state;
	memset(&w, 0, sizeof w);
	w.f = f;
	store_set_batching(f->store, 1);
	f->committer = committer_new(&f->loop, f->store, timer_durable, &w);
	uv_timer_init(&f->loop, &w.work);
	uv_timer_init(&f->loop, &w.watchdog);
	w.work.data = w.watchdog.data = &w;
	uv_timer_start(&w.work, timer_work_run, 10, 0);
	uv_timer_start(&w.watchdog, timer_watchdog, 10000, 0);
	uv_run(&f->loop, UV_RUN_DEFAULT);
	assert_false(w.watchdog_fired);
	assert_int_equal(f->durable_calls, 1);
	assert_int_equal(due(f->store), 1);
	uv_close((uv_handle_t *)&w.work, NULL);
	uv_close((uv_handle_t *)&w.watchdog, NULL);
	uv_run(&f->loop, UV_RUN_NOWAIT);
	fixture_free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file_posts_wait_for_the_sync),
		cmocka_unit_test(test_file_rows_of_before_batching_are_due),
		cmocka_unit_test(test_memory_is_durable_at_commit),
		cmocka_unit_test(test_without_batching_nothing_waits),
		cmocka_unit_test(test_wal_unopenable_falls_back),
		cmocka_unit_test(test_timer_work_is_not_left_waiting),
		cmocka_unit_test(test_checkpoint_off_the_loop),
		cmocka_unit_test(test_idle_after_checkpoint),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
