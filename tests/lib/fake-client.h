/* SPDX-License-Identifier: MIT */
/*
 * fake-client.h: a minimal WebSocket client for the tests of the fake
 * servers, on the test's libuv loop: raw TCP to 127.0.0.1, an upgrade
 * request, masked frames out, the server's frames in. Text frames are
 * kept in order, pings answered, pongs counted and a close frame's code
 * noted. It checks the server's side of the protocol with cmocka asserts
 * (an unmasked frame, a correct Sec-WebSocket-Accept). Every wait is
 * bounded.
 *
 *	w = fake_client_open(loop, port, "/link/?ticket=1", NULL, 3000);
 *	assert_int_equal(w->status, 101);
 *	fake_client_send(w, "{}");
 *	fake_client_wait_frames(w, 1, 3000);	then w->frames[0]
 *	fake_client_free(w, 3000);
 */
#ifndef LIHUI_TEST_FAKE_CLIENT_H
#define LIHUI_TEST_FAKE_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "lihui/buf.h"

#define FAKE_CLIENT_MAX_FRAMES 512

struct fake_client {
	uv_loop_t *loop;
	uv_tcp_t tcp;
	uv_connect_t connect;
	int open; /* the handle is not closed yet */
	int upgraded;
	int status; /* of the upgrade answer; 0 until it came */
	int eof;    /* the server closed the connection */
	int close_code;
	int pongs;
	char accept[29];
	struct buf in;
	char *frames[FAKE_CLIENT_MAX_FRAMES]; /* text frames from the server */
	size_t nframes;
};

/**
 * Connect to 127.0.0.1:port, ask to upgrade target with the extra header
 * lines headers ("Name: value\r\n" each, or NULL) and wait up to
 * timeout_ms for the answer (w->status, or w->eof). Free with
 * fake_client_free().
 */
struct fake_client *fake_client_open(uv_loop_t *loop, int port,
				     const char *target, const char *headers,
				     uint64_t timeout_ms);

/** Send len raw bytes. */
void fake_client_write(struct fake_client *w, const void *data, size_t len);

/** Send one masked frame (len up to 65535). */
void fake_client_frame(struct fake_client *w, int fin, int opcode,
		       const char *payload, size_t len);

/** Send a text frame. */
void fake_client_send(struct fake_client *w, const char *text);

/** Wait up to timeout_ms for n text frames: 0 if they came, else -1. */
int fake_client_wait_frames(struct fake_client *w, size_t n,
			    uint64_t timeout_ms);

/** Wait up to timeout_ms for the server to close: 0 if it did, else -1. */
int fake_client_wait_eof(struct fake_client *w, uint64_t timeout_ms);

/** Close the connection (waiting up to timeout_ms) and free w. */
void fake_client_free(struct fake_client *w, uint64_t timeout_ms);

#endif
