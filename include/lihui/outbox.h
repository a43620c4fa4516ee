/* SPDX-License-Identifier: MIT */
/*
 * outbox.h: delivers the persisted outbox through the adapter, on the loop.
 */
#ifndef LIHUI_OUTBOX_H
#define LIHUI_OUTBOX_H

#include <stdint.h>

struct adapter;
struct bot;
struct outbox;
struct uv_loop_s;

/** Create the deliverer for bot's store through adapter. Caller frees. */
struct outbox *outbox_new(struct uv_loop_s *loop, struct bot *bot,
			  struct adapter *adapter);
/** Deliver whatever is due, soon (from the loop, not from this call). */
void outbox_kick(struct outbox *o);
/**
 * Call idle_cb once nothing is pending and nothing is in flight (now or
 * later); used to exit after delivering what is queued.
 */
void outbox_when_idle(struct outbox *o, void (*idle_cb)(void *), void *arg);
/** Messages waiting for delivery (pending rows), or -1 on a store error. */
int64_t outbox_backlog(struct outbox *o);
/** Close the loop handles; closed_cb runs when the loop let go of them. */
void outbox_close(struct outbox *o, void (*closed_cb)(void *), void *arg);
void outbox_free(struct outbox *o);

#endif
