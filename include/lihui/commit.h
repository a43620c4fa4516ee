/* SPDX-License-Identifier: MIT */
/*
 * commit.h: group commit on the loop. After each round of I/O callbacks
 * the batch of units of work the round stored is committed (store_flush),
 * and committed batches are made durable by an fdatasync of the WAL file
 * on libuv's thread pool, so the loop never waits for the disk. Whoever
 * holds something back until then (the outbox, a command's
 * acknowledgement) is told through the durable callback.
 */
#ifndef LIHUI_COMMIT_H
#define LIHUI_COMMIT_H

#include <uv.h>

struct store;
struct committer;

/**
 * Start committing s's batches on loop (store_set_batching(s, 1) is the
 * caller's). durable(arg) runs on the loop each time more batches became
 * durable. Close with committer_close(), free after the loop ended.
 */
struct committer *committer_new(uv_loop_t *loop, struct store *s,
				void (*durable)(void *arg), void *arg);
/**
 * Stop committing each round; a sync in progress still completes (and
 * keeps the loop running until it has). closed(arg) once the handle is
 * closed.
 */
void committer_close(struct committer *c, void (*closed)(void *), void *arg);
void committer_free(struct committer *c);

/** Checkpoint when a commit leaves this many WAL pages (tests). */
void committer_set_checkpoint(struct committer *c, int pages);
/** How many checkpoints were queued so far (tests). */
uint64_t committer_checkpoints(const struct committer *c);

#endif
