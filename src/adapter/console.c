/* SPDX-License-Identifier: MIT */
/*
 * console.c: the console adapter: one channel on standard input and output.
 *
 * It is the embedded default (no chat server needed) and the adapter the
 * integration tests drive. Each input line is a message in one channel:
 *
 *	@name text	said by user name (any other line: by the default user)
 *	/report ...	a slash command
 *	@lihui ...	a message addressed to the bot (same as the command)
 *	anything else	an ordinary channel message (for the meeting recorder)
 *
 * Each post lihui makes is printed as it would appear in the channel, with
 * a header line saying where it went and who can see it. At the end of
 * input the adapter tells its sink, which delivers what is queued and
 * exits.
 *
 * Standard input may be a terminal or a pipe (read as a libuv stream) or a
 * regular file or device (read with uv_fs_read, which libuv runs on its
 * thread pool so the loop never blocks). Lines are capped at
 * CONSOLE_LINE_MAX bytes; a longer line is skipped with a message.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uv.h>

#include "lihui/adapter.h"
#include "lihui/buf.h"
#include "lihui/config.h"
#include "lihui/log.h"
#include "lihui/xmalloc.h"

#define CONSOLE_LINE_MAX     (64 * 1024)
#define CONSOLE_READ_SIZE    (16 * 1024)
#define CONSOLE_DEFAULT_USER "me"
#define CONSOLE_NAME_MAX     64

enum console_input { CONSOLE_STREAM, CONSOLE_FILE };

struct console {
	struct adapter base;
	uv_loop_t *loop;
	struct adapter_sink sink;
	char *channel;	/* channel key and name */
	char *bot_name; /* "lihui" */
	enum console_input input;
	union {
		uv_tty_t tty;
		uv_pipe_t pipe;
	} stream;
	int stream_open;
	uv_fs_t fs_req;
	int fs_busy;	/* a uv_fs_read is on the thread pool */
	int64_t offset; /* next file offset (CONSOLE_FILE) */
	int stopped;	/* no more input wanted */
	int eof;	/* input ended (sink told) */
	int closing;
	char readbuf[CONSOLE_READ_SIZE];
	struct buf line;
	int line_too_long;
	unsigned long lineno;
	void (*closed_cb)(void *);
	void *closed_arg;
};

static struct console *
console_downcast(struct adapter *a)
{
	if (a->ops != &adapter_console)
		BUG("not a console adapter");
	return (struct console *)a;
}

static struct adapter *
console_create(const struct config *cfg, uv_loop_t *loop,
	       const struct adapter_sink *sink, char **cause)
{
	struct console *c = xcalloc(1, sizeof *c);

	(void)cause;
	c->base.ops = &adapter_console;
	c->loop = loop;
	c->sink = *sink;
	c->channel = xstrdup(cfg->channel_name);
	c->bot_name = xstrdup(cfg->bot_name);
	buf_init(&c->line, CONSOLE_LINE_MAX);
	return &c->base;
}

/* The length of the first word of s (up to white space). */
static size_t
console_word_len(const char *s)
{
	return strcspn(s, " \t");
}

static const char *
console_skip_space(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* Turn one input line into an event for the sink. */
static void
console_line(struct console *c, char *line)
{
	struct chat_event ev;
	char user[CONSOLE_NAME_MAX + 1] = CONSOLE_DEFAULT_USER;
	char trigger[CONSOLE_NAME_MAX + 1];
	const char *p = console_skip_space(line);
	size_t n, blen = strlen(c->bot_name);

	c->lineno++;
	n = strlen(line);
	if (n > 0 && line[n - 1] == '\r')
		line[n - 1] = '\0';
	/* "@name text": said by name, unless name is the bot. */
	if (p[0] == '@') {
		n = console_word_len(p + 1);
		if (n > 0 && n <= CONSOLE_NAME_MAX &&
		    !(n == blen && strncmp(p + 1, c->bot_name, n) == 0)) {
			memcpy(user, p + 1, n);
			user[n] = '\0';
			p = console_skip_space(p + 1 + n);
		}
	}
	if (*p == '\0')
		return;
	memset(&ev, 0, sizeof ev);
	ev.channel_key = c->channel;
	ev.channel_name = c->channel;
	ev.user_id = user;
	ev.user_name = user;
	if (p[0] == '/' && p[1] != '\0' && p[1] != ' ') {
		n = console_word_len(p + 1);
		if (n > CONSOLE_NAME_MAX)
			n = CONSOLE_NAME_MAX;
		memcpy(trigger, p + 1, n);
		trigger[n] = '\0';
		ev.kind = CHAT_COMMAND;
		ev.trigger = trigger;
		ev.text = console_skip_space(p + 1 + console_word_len(p + 1));
	} else {
		ev.kind = CHAT_MESSAGE;
		ev.text = p;
		ev.mentions_bot = p[0] == '@' &&
				  strncmp(p + 1, c->bot_name, blen) == 0 &&
				  (p[blen + 1] == '\0' ||
				   strchr(" \t:,", p[blen + 1]) != NULL);
	}
	c->sink.event(c->sink.arg, &ev);
}

/* Split data into lines; each complete line goes to console_line(). */
static void
console_input(struct console *c, const char *data, size_t len)
{
	const char *nl;
	size_t n;

	while (len > 0) {
		nl = memchr(data, '\n', len);
		n = nl != NULL ? (size_t)(nl - data) : len;
		if (!c->line_too_long && buf_add(&c->line, data, n) != 0) {
			c->line_too_long = 1;
			log_warn("input line %lu is longer than %d bytes; "
				 "skipped",
				 c->lineno + 1, CONSOLE_LINE_MAX);
		}
		if (nl == NULL)
			return;
		if (!c->line_too_long && !c->stopped)
			console_line(c, c->line.data ? c->line.data : "");
		else if (c->line_too_long)
			c->lineno++;
		buf_reset(&c->line);
		c->line_too_long = 0;
		data += n + 1;
		len -= n + 1;
	}
}

/* Input ended: hand over a last unterminated line, then tell the sink. */
static void
console_end(struct console *c)
{
	if (c->eof)
		return;
	c->eof = 1;
	if (c->line.len > 0 && !c->line_too_long && !c->stopped)
		console_line(c, c->line.data);
	buf_reset(&c->line);
	if (!c->stopped && c->sink.closed != NULL)
		c->sink.closed(c->sink.arg);
}

static void
console_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *b)
{
	struct console *c = h->data;

	(void)suggested;
	b->base = c->readbuf;
	b->len = sizeof c->readbuf;
}

static void
console_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *b)
{
	struct console *c = s->data;

	if (nread > 0) {
		console_input(c, b->base, (size_t)nread);
		return;
	}
	if (nread < 0) {
		if (nread != UV_EOF)
			log_warn("cannot read standard input: %s",
				 uv_strerror((int)nread));
		uv_read_stop(s);
		console_end(c);
	}
}

static void console_fs_next(struct console *c);

static void
console_fs_read(uv_fs_t *req)
{
	struct console *c = req->data;
	ssize_t n = req->result;

	uv_fs_req_cleanup(req);
	c->fs_busy = 0;
	if (c->closing) {
		if (c->closed_cb != NULL)
			c->closed_cb(c->closed_arg);
		return;
	}
	if (n > 0) {
		c->offset += n;
		console_input(c, c->readbuf, (size_t)n);
		if (!c->stopped)
			console_fs_next(c);
		return;
	}
	if (n < 0)
		log_warn("cannot read standard input: %s", uv_strerror((int)n));
	console_end(c);
}

static void
console_fs_next(struct console *c)
{
	uv_buf_t b = uv_buf_init(c->readbuf, sizeof c->readbuf);
	int rc;

	c->fs_req.data = c;
	rc = uv_fs_read(c->loop, &c->fs_req, 0, &b, 1, c->offset,
			console_fs_read);
	if (rc != 0) {
		log_warn("cannot read standard input: %s", uv_strerror(rc));
		console_end(c);
		return;
	}
	c->fs_busy = 1;
}

static int
console_start(struct adapter *a, char **cause)
{
	struct console *c = console_downcast(a);
	uv_stream_t *s;
	int rc;

	switch (uv_guess_handle(0)) {
	case UV_TTY:
		rc = uv_tty_init(c->loop, &c->stream.tty, 0, 1);
		s = (uv_stream_t *)&c->stream.tty;
		break;
	case UV_NAMED_PIPE:
		rc = uv_pipe_init(c->loop, &c->stream.pipe, 0);
		if (rc == 0) {
			rc = uv_pipe_open(&c->stream.pipe, 0);
			if (rc != 0)
				uv_close((uv_handle_t *)&c->stream.pipe, NULL);
		}
		s = (uv_stream_t *)&c->stream.pipe;
		break;
	default:
		c->input = CONSOLE_FILE;
		console_fs_next(c);
		return 0;
	}
	if (rc != 0)
		return set_cause(cause, "cannot open standard input: %s",
				 uv_strerror(rc));
	c->input = CONSOLE_STREAM;
	c->stream_open = 1;
	s->data = c;
	rc = uv_read_start(s, console_alloc, console_read);
	if (rc != 0)
		return set_cause(cause, "cannot read standard input: %s",
				 uv_strerror(rc));
	return 0;
}

/* Print one post the way the channel would show it. */
static int
console_send(struct adapter *a, const struct outbox_msg *m,
	     adapter_send_done_fn done, void *done_arg, char **cause)
{
	struct console *c = console_downcast(a);
	const char *user = m->user != NULL ? m->user : "?";
	const char *target = m->post_id != NULL ? m->post_id : "?";
	char post_id[32];
	int rc;

	(void)cause;
	switch (m->kind) {
	case OUTBOX_EDIT:
		rc = printf("[#%s] %s edited post %s:\n%s\n\n", m->channel_key,
			    c->bot_name, target, m->text);
		break;
	case OUTBOX_REACTION:
		rc = printf("[#%s] %s reacted :%s: to post %s\n\n",
			    m->channel_key, c->bot_name, m->text, target);
		break;
	case OUTBOX_EPHEMERAL:
		rc = printf("[#%s] %s (only @%s sees this):\n%s\n\n",
			    m->channel_key, c->bot_name, user, m->text);
		break;
	case OUTBOX_DIRECT:
		rc = printf("[direct message to @%s] %s:\n%s\n\n", user,
			    c->bot_name, m->text);
		break;
	default:
		rc = printf("[#%s] %s:\n%s\n\n", m->channel_key, c->bot_name,
			    m->text);
		break;
	}
	if (rc < 0 || fflush(stdout) != 0) {
		done(done_arg, m->id, SEND_RETRY, NULL, 0,
		     "cannot write to standard output");
		return 0;
	}
	/* The console's post ids, so that edits can name their post. */
	snprintf(post_id, sizeof post_id, "console-%lld", (long long)m->id);
	done(done_arg, m->id, SEND_OK,
	     m->kind == OUTBOX_EDIT || m->kind == OUTBOX_REACTION ? NULL
								  : post_id,
	     0, NULL);
	return 0;
}

static void
console_stop(struct adapter *a)
{
	struct console *c = console_downcast(a);

	c->stopped = 1;
	if (c->input == CONSOLE_STREAM && c->stream_open)
		uv_read_stop((uv_stream_t *)&c->stream);
}

static void
console_stream_closed(uv_handle_t *h)
{
	struct console *c = h->data;

	c->stream_open = 0;
	if (c->closed_cb != NULL)
		c->closed_cb(c->closed_arg);
}

static void
console_close(struct adapter *a, void (*closed_cb)(void *), void *arg)
{
	struct console *c = console_downcast(a);

	console_stop(a);
	c->closing = 1;
	c->closed_cb = closed_cb;
	c->closed_arg = arg;
	if (c->input == CONSOLE_STREAM && c->stream_open) {
		if (uv_guess_handle(0) == UV_TTY)
			uv_tty_reset_mode();
		uv_close((uv_handle_t *)&c->stream, console_stream_closed);
		return;
	}
	if (c->fs_busy) {
		/* A read on the thread pool cannot be recalled once started;
		 * console_fs_read() reports closing when it returns. */
		uv_cancel((uv_req_t *)&c->fs_req);
		return;
	}
	if (closed_cb != NULL)
		closed_cb(arg);
}

static void
console_free(struct adapter *a)
{
	struct console *c = console_downcast(a);

	buf_release(&c->line);
	free(c->channel);
	free(c->bot_name);
	free(c);
}

const struct adapter_ops adapter_console = {
	.name = "console",
	.caps = ADAPTER_EPHEMERAL,
	/* Mattermost's default post limit, so the console shows the same
	 * splits a Mattermost channel would. */
	.max_text = 16383,
	.create = console_create,
	.start = console_start,
	.send = console_send,
	.stop = console_stop,
	.close = console_close,
	.free = console_free,
};
