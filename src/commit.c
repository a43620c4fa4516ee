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
 * Checkpoints, which copy the WAL into the database file and sync it,
 * also run off the loop: the store's own (inside a commit, on the loop)
 * are off while batching, and when a commit leaves the WAL at
 * COMMITTER_CHECKPOINT_PAGES or more, a store_checkpointer runs one on
 * the thread pool (one at a time). It never waits for the loop's
 * connection; what it could not copy waits for the next one.
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

/* WAL pages (1 KiB each) after which a checkpoint runs: 4 MiB. */
#define COMMITTER_CHECKPOINT_PAGES 4000

struct committer {
	uv_check_t check;
	uv_prepare_t prepare;
	uv_idle_t idle;
	uv_work_t checkpoint;
	struct store_checkpointer *checkpointer; /* NULL: a store in memory */
	int checkpointing;			 /* the work is queued */
	int checkpoint_pages;			 /* when to run one */
	/* store_generation() when the last one was queued: the WAL's page
	 * count changes only at a commit, so without a commit since then
	 * the same count would queue checkpoint after checkpoint. */
	uint64_t checkpoint_gen;
	uint64_t checkpoints;	/* queued so far */
	char *checkpoint_error; /* from the worker */
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

static void committer_maybe_closed(struct committer *c);

/* On a worker thread: the checkpoint itself. */
static void
committer_checkpoint_work(uv_work_t *req)
{
	struct committer *c = req->data;
	int left = 0;

	if (store_checkpointer_run(c->checkpointer, &left,
				   &c->checkpoint_error) == 0 &&
	    left > 0)
		log_debug("checkpoint left %d WAL pages for later", left);
}

/* Back on the loop. */
static void
committer_checkpoint_done(uv_work_t *req, int status)
{
	struct committer *c = req->data;

	c->checkpointing = 0;
	if (c->checkpoint_error != NULL) {
		/* The WAL only grows meanwhile; the next commit tries again. */
		log_warn("%s", c->checkpoint_error);
		free(c->checkpoint_error);
		c->checkpoint_error = NULL;
	} else if (status != 0) {
		log_warn("checkpoint not run: %s", uv_strerror(status));
	}
	committer_maybe_closed(c);
}

/* A checkpoint when the WAL has grown and none runs. */
static void
committer_checkpoint(struct committer *c)
{
	uint64_t gen = store_generation(c->store);

	if (c->checkpointer == NULL || c->checkpointing || c->closed != NULL ||
	    store_wal_pages(c->store) < c->checkpoint_pages ||
	    (c->checkpoints > 0 && gen == c->checkpoint_gen))
		return;
	c->checkpoint.data = c;
	if (uv_queue_work(c->check.loop, &c->checkpoint,
			  committer_checkpoint_work,
			  committer_checkpoint_done) == 0) {
		c->checkpointing = 1;
		c->checkpoint_gen = gen;
		c->checkpoints++;
	}
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
	committer_checkpoint(c);
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
	c->checkpointer = store_checkpointer_new(s);
	c->checkpoint_pages = COMMITTER_CHECKPOINT_PAGES;
	return c;
}

/* Closing: once the handles are closed and no checkpoint runs, tell the
 * owner (once). */
static void
committer_maybe_closed(struct committer *c)
{
	void (*closed)(void *) = c->closed;

	if (closed == NULL || c->open_handles > 0 || c->checkpointing)
		return;
	c->closed = NULL;
	closed(c->closed_arg);
}

static void
committer_handle_closed(uv_handle_t *h)
{
	struct committer *c = h->data;

	c->open_handles--;
	committer_maybe_closed(c);
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
committer_set_checkpoint(struct committer *c, int pages)
{
	c->checkpoint_pages = pages;
}

uint64_t
committer_checkpoints(const struct committer *c)
{
	return c->checkpoints;
}

void
committer_free(struct committer *c)
{
	if (c == NULL)
		return;
	store_checkpointer_free(c->checkpointer);
	free(c);
}
