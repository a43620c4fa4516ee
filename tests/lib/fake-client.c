/* SPDX-License-Identifier: MIT */
/*
 * fake-client.c: the WebSocket test client; see fake-client.h.
 *
 * Bytes from the server collect in w->in: first the head of the answer to
 * the upgrade (its status is all that is kept), then, after a 101, frames,
 * taken out of the buffer as soon as each is complete.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "fake-client.h"
#include "fake-server.h"
#include "lihui/xmalloc.h"

static void fake_client_on_read(uv_stream_t *, ssize_t, const uv_buf_t *);

static void
fake_client_on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *b)
{
	(void)h;
	b->base = xmalloc(suggested);
	b->len = suggested;
}

static void
fake_client_on_write(uv_write_t *req, int status)
{
	(void)status;
	free(req->data);
	free(req);
}

void
fake_client_write(struct fake_client *w, const void *data, size_t len)
{
	uv_write_t *req = xcalloc(1, sizeof *req);
	uv_buf_t b;

	req->data = xmalloc(len);
	memcpy(req->data, data, len);
	b.base = req->data;
	b.len = len;
	if (uv_write(req, (uv_stream_t *)&w->tcp, &b, 1,
		     fake_client_on_write) != 0) {
		free(req->data);
		free(req);
	}
}

void
fake_client_frame(struct fake_client *w, int fin, int opcode,
		  const char *payload, size_t len)
{
	static const unsigned char mask[4] = { 0x12, 0x34, 0x56, 0x78 };
	unsigned char *f = xmalloc(len + 8);
	size_t h = 2, i;

	f[0] = (unsigned char)((fin ? 0x80 : 0) | opcode);
	if (len < 126)
		f[1] = (unsigned char)(0x80 | len);
	else {
		f[1] = 0x80 | 126;
		f[2] = (unsigned char)(len >> 8);
		f[3] = (unsigned char)len;
		h = 4;
	}
	memcpy(f + h, mask, 4);
	for (i = 0; i < len; i++)
		f[h + 4 + i] = (unsigned char)payload[i] ^ mask[i % 4];
	fake_client_write(w, f, h + 4 + len);
	free(f);
}

void
fake_client_send(struct fake_client *w, const char *text)
{
	fake_client_frame(w, 1, FAKE_WS_TEXT, text, strlen(text));
}

/* Take the server's frames (unmasked) from w->in. */
static void
fake_client_frames(struct fake_client *w)
{
	unsigned char *p;
	size_t len, h, i;
	int opcode;

	while (w->in.len >= 2) {
		p = (unsigned char *)w->in.data;
		assert_int_equal(p[1] & 0x80, 0); /* servers do not mask */
		opcode = p[0] & 0x0f;
		len = p[1] & 0x7f;
		h = 2;
		if (len == 126) {
			if (w->in.len < 4)
				return;
			len = (size_t)p[2] << 8 | p[3];
			h = 4;
		} else if (len == 127) {
			if (w->in.len < 10)
				return;
			for (len = 0, i = 0; i < 8; i++)
				len = len << 8 | p[2 + i];
			h = 10;
		}
		if (w->in.len < h + len)
			return;
		if (opcode == FAKE_WS_TEXT) {
			assert_true(w->nframes < FAKE_CLIENT_MAX_FRAMES);
			w->frames[w->nframes++] = xstrndup((char *)p + h, len);
		} else if (opcode == FAKE_WS_CLOSE) {
			w->close_code =
			    len >= 2 ? (p[h] << 8 | p[h + 1]) : 1005;
		} else if (opcode == FAKE_WS_PING) {
			fake_client_frame(w, 1, FAKE_WS_PONG, (char *)p + h,
					  len);
		} else if (opcode == FAKE_WS_PONG) {
			w->pongs++;
		}
		memmove(w->in.data, w->in.data + h + len, w->in.len - h - len);
		w->in.len -= h + len;
	}
}

static void
fake_client_on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *b)
{
	struct fake_client *w = s->data;
	char *end;

	if (n < 0) {
		free(b->base);
		w->eof = 1;
		uv_read_stop(s);
		return;
	}
	assert_int_equal(buf_add(&w->in, b->base, (size_t)n), 0);
	free(b->base);
	if (w->status == 0) {
		end = strstr(buf_str(&w->in), "\r\n\r\n");
		if (end == NULL)
			return;
		assert_int_equal(strncmp(w->in.data, "HTTP/1.1 ", 9), 0);
		w->status = (int)strtol(w->in.data + 9, NULL, 10);
		if (w->status == 101) {
			assert_non_null(strstr(w->in.data, w->accept));
			w->upgraded = 1;
		}
		*end = '\0';
		w->in.len -= (size_t)(end + 4 - w->in.data);
		memmove(w->in.data, end + 4, w->in.len);
		if (!w->upgraded)
			return;
	}
	if (w->upgraded)
		fake_client_frames(w);
}

static void
fake_client_on_connect(uv_connect_t *req, int status)
{
	struct fake_client *w = req->data;

	if (status != 0) {
		w->eof = 1;
		return;
	}
	uv_read_start((uv_stream_t *)&w->tcp, fake_client_on_alloc,
		      fake_client_on_read);
}

static int
fake_client_answered(void *arg)
{
	struct fake_client *w = arg;

	return w->status != 0 || w->eof;
}

struct fake_client *
fake_client_open(uv_loop_t *loop, int port, const char *target,
		 const char *headers, uint64_t timeout_ms)
{
	static const char key[] = "AAECAwQFBgcICQoLDA0ODw==";
	struct fake_client *w = xcalloc(1, sizeof *w);
	struct sockaddr_in sin;
	char *req;

	w->loop = loop;
	buf_init(&w->in, 1024 * 1024);
	fake_server_ws_accept(key, w->accept);
	assert_int_equal(uv_tcp_init(loop, &w->tcp), 0);
	w->tcp.data = w;
	w->open = 1;
	w->connect.data = w;
	uv_ip4_addr("127.0.0.1", port, &sin);
	assert_int_equal(uv_tcp_connect(&w->connect, &w->tcp,
					(const struct sockaddr *)&sin,
					fake_client_on_connect),
			 0);
	req = xasprintf("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
			"Upgrade: websocket\r\nConnection: Upgrade\r\n"
			"Sec-WebSocket-Key: %s\r\n"
			"Sec-WebSocket-Version: 13\r\n%s\r\n",
			target, key, headers != NULL ? headers : "");
	fake_client_write(w, req, strlen(req));
	free(req);
	assert_int_equal(
	    fake_server_wait(loop, fake_client_answered, w, timeout_ms), 0);
	return w;
}

/* What fake_client_wait_frames() waits for. */
struct fake_client_frames_wait {
	struct fake_client *w;
	size_t n;
};

static int
fake_client_has_frames(void *arg)
{
	struct fake_client_frames_wait *fw = arg;

	return fw->w->nframes >= fw->n;
}

int
fake_client_wait_frames(struct fake_client *w, size_t n, uint64_t timeout_ms)
{
	struct fake_client_frames_wait fw = { w, n };

	return fake_server_wait(w->loop, fake_client_has_frames, &fw,
				timeout_ms);
}

static int
fake_client_gone(void *arg)
{
	struct fake_client *w = arg;

	return w->eof;
}

int
fake_client_wait_eof(struct fake_client *w, uint64_t timeout_ms)
{
	return fake_server_wait(w->loop, fake_client_gone, w, timeout_ms);
}

static void
fake_client_on_closed(uv_handle_t *h)
{
	struct fake_client *w = h->data;

	w->open = 0;
}

static int
fake_client_is_closed(void *arg)
{
	struct fake_client *w = arg;

	return !w->open;
}

void
fake_client_free(struct fake_client *w, uint64_t timeout_ms)
{
	size_t i;

	if (w->open) {
		uv_close((uv_handle_t *)&w->tcp, fake_client_on_closed);
		assert_int_equal(fake_server_wait(w->loop,
						  fake_client_is_closed, w,
						  timeout_ms),
				 0);
	}
	for (i = 0; i < w->nframes; i++)
		free(w->frames[i]);
	buf_release(&w->in);
	free(w);
}
