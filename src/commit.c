/* SPDX-License-Identifier: MIT */
/*
 * commit.c: group commit without blocking the loop (see commit.h).
 *
 * How it works. A uv_check handle runs after every round of I/O
 * callbacks. Unless a sync is running, it commits the open batch
 * (store_flush: the WAL gets the pages, no fsync), asks the store for the
 * batch that waits to become durable (store_sync_begin) and queues
 * uv_fs_fdatasync() on the WAL file's descriptor to libuv's thread pool.
 * While the sync runs, the rounds keep adding their units of work to the
 * next batch, uncommitted: nothing of it could be released before the
 * running sync ends anyway. When the sync completes, store_sync_end()
 * moves the durable mark and the durable callback releases what waited;
 * the check phase of the same round commits the next batch and syncs it.
 * Under load, syncs thus run back to back while the loop keeps handling
 * events, and each one covers everything done while the previous one ran.
 * A crash loses at most the open batch, whose answers and posts were
 * never released: nothing anyone was told about.
 *
 * The check phase comes after the poll for I/O. Work done by a timer
 * (the scheduler, the minute timer) or an idle callback is followed by
 * a poll that may sleep until the next event: so a prepare handle, right
 * before each poll, starts an idle handle (which makes the poll return
 * at once) when a batch is open and no sync runs, and stops it
 * otherwise. While a sync runs the loop sleeps; its completion wakes it.
 *
 * A failed fdatasync is fatal: after an I/O error the kernel may have
 * dropped the dirty pages, so a retry that succeeds proves nothing (the
 * "fsyncgate" lesson). lihui exits without releasing anything the failed
 * batches hold; at the next start SQLite recovers what reached the disk,
 * and nothing a user was told about is missing from it.
 */

#include <stdlib.h>

#include <uv.h>

#include "lihui/commit.h"
#include "lihui/log.h"
#include "lihui/store.h"
#include "lihui/xmalloc.h"

struct committer {
	uv_check_t check;
	uv_prepare_t prepare;
	uv_idle_t idle;
	uv_fs_t sync;
	int syncing;
	uint64_t target;   /* the batch the running sync covers */
	uint64_t released; /* the newest batch durable() was called for */
	struct store *store;
	void (*durable)(void *);
	void *arg;
	void (*closed)(void *);
	void *closed_arg;
	int open_handles; /* while closing */
};

static void committer_sync_done(uv_fs_t *req);

/* Queue a sync of the committed batches, unless one runs or none waits. */
static void
committer_sync(struct committer *c)
{
	char *cause = NULL;
	uint64_t gen;
	int fd, rc;

	if (c->syncing)
		return;
	rc = store_sync_begin(c->store, &fd, &gen, &cause);
	if (rc < 0) {
		log_error("%s", cause);
		free(cause);
		return;
	}
	if (rc == 0) {
		/* Durable without a sync (no file, or the fallback). */
		gen = store_generation(c->store);
		if (gen > c->released && store_durable(c->store, gen)) {
			c->released = gen;
			c->durable(c->arg);
		}
		return;
	}
	c->target = gen;
	rc = uv_fs_fdatasync(c->check.loop, &c->sync, fd, committer_sync_done);
	if (rc != 0)
		fatal("cannot sync the database: %s", uv_strerror(rc));
	c->syncing = 1;
}

static void
committer_sync_done(uv_fs_t *req)
{
	struct committer *c = req->data;
	ssize_t result = req->result;

	uv_fs_req_cleanup(req);
	c->syncing = 0;
	if (result < 0)
		fatal("cannot sync the database: %s", uv_strerror((int)result));
	store_sync_end(c->store, c->target);
	c->released = c->target;
	c->durable(c->arg);
	/* Batches committed meanwhile: the check phase right after queues
	 * the next sync (this callback runs in the same loop round). */
}

static void
committer_round(uv_check_t *h)
{
	struct committer *c = h->data;
	char *cause = NULL;

	/*
	 * While a sync runs, what this round did could not become durable
	 * before it ends anyway: keep adding to the open batch and commit
	 * it all then. Fewer, larger commits: less WAL written per command.
	 */
	if (c->syncing)
		return;
	if (store_flush(c->store, &cause) != 0) {
		log_error("cannot commit: %s", cause);
		free(cause);
	}
	committer_sync(c);
}

static void
committer_idle(uv_idle_t *h)
{
	(void)h;
}

/* Right before the poll: do not sleep on an open batch (see the top). */
static void
committer_before_poll(uv_prepare_t *h)
{
	struct committer *c = h->data;

	if (!c->syncing && store_batch_open(c->store))
		uv_idle_start(&c->idle, committer_idle);
	else
		uv_idle_stop(&c->idle);
}

struct committer *
committer_new(uv_loop_t *loop, struct store *s, void (*durable)(void *arg),
	      void *arg)
{
	struct committer *c = xcalloc(1, sizeof *c);

	c->store = s;
	c->durable = durable;
	c->arg = arg;
	c->sync.data = c;
	uv_check_init(loop, &c->check);
	c->check.data = c;
	uv_check_start(&c->check, committer_round);
	uv_prepare_init(loop, &c->prepare);
	c->prepare.data = c;
	uv_prepare_start(&c->prepare, committer_before_poll);
	uv_idle_init(loop, &c->idle);
	c->idle.data = c;
	return c;
}

/* The last of the three handles closed: tell the owner. */
static void
committer_handle_closed(uv_handle_t *h)
{
	struct committer *c = h->data;

	if (--c->open_handles == 0 && c->closed != NULL)
		c->closed(c->closed_arg);
}

void
committer_close(struct committer *c, void (*closed)(void *), void *arg)
{
	c->closed = closed;
	c->closed_arg = arg;
	c->open_handles = 3;
	uv_close((uv_handle_t *)&c->check, committer_handle_closed);
	uv_close((uv_handle_t *)&c->prepare, committer_handle_closed);
	uv_close((uv_handle_t *)&c->idle, committer_handle_closed);
}

void
committer_free(struct committer *c)
{
	free(c);
}
