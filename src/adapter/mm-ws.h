/* SPDX-License-Identifier: MIT */
/*
 * mm-ws.h: the Mattermost WebSocket session, private to the Mattermost
 * adapter: one connection to /api/v4/websocket that stays up, with the
 * event sequence tracked so that nothing is handled twice and a lost
 * stretch of events is noticed.
 */

#ifndef LIHUI_ADAPTER_MM_WS_H
#define LIHUI_ADAPTER_MM_WS_H

#include <stdint.h>

#include <uv.h>

#include "mm-event.h"

struct mm_ws;

struct mm_ws_events {
	/* A "posted" event, each at most once per session; msg borrowed. */
	void (*posted)(void *arg, const struct mm_msg *msg);
	/*
	 * The server started a new session where lihui asked to resume one
	 * (or lihui reconnected after a gap it could not fill): events were
	 * missed. The adapter resynchronises through REST.
	 */
	void (*lost)(void *arg);
	void *arg;
};

struct mm_ws_options {
	const char *server_url; /* http:// or https://host[:port][/prefix] */
	const char *token;	/* the bot's token: a secret, never logged */
	const char *ca_file;	/* NULL: the system's CAs */
	int insecure;		/* 1: do not verify the certificate */
	unsigned ping_ms;	/* keep-alive ping interval (0: 30 s) */
};

/* What happened so far, for /healthz, logs and tests. */
struct mm_ws_stats {
	uint64_t connects;   /* connections opened */
	uint64_t resumes;    /* reconnects that kept the session */
	uint64_t lost;	     /* sessions replaced: events missed */
	uint64_t events;     /* events handled */
	uint64_t duplicates; /* replayed events skipped */
	uint64_t refused;    /* frames that did not parse */
};

/** A session for opt (copied); NULL and *cause for a bad server URL. */
struct mm_ws *mm_ws_new(uv_loop_t *loop, const struct mm_ws_options *opt,
			const struct mm_ws_events *ev, char **cause);
/** Connect now, and reconnect with backoff for as long as it runs. */
void mm_ws_start(struct mm_ws *w);
/** Whether the connection is open and the server has accepted it. */
int mm_ws_connected(const struct mm_ws *w);
/** The counters so far. */
const struct mm_ws_stats *mm_ws_stats(const struct mm_ws *w);
/** Close everything; done(arg) once the loop let go; then mm_ws_free. */
void mm_ws_close(struct mm_ws *w, void (*done)(void *), void *arg);
void mm_ws_free(struct mm_ws *w);

/**
 * The WebSocket URL for server_url (http -> ws, https -> wss, plus
 * /api/v4/websocket), with ?connection_id=..&sequence_number=.. when
 * connection_id is not NULL. NULL and *cause for another scheme.
 */
char *mm_ws_url(const char *server_url, const char *connection_id,
		int64_t next_seq, char **cause);

#endif
