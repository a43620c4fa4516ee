/* SPDX-License-Identifier: MIT */
/*
 * minutes-file.c: writes the Markdown copies of meetings' minutes into
 * minutes_dir; see minutes-file.h.
 *
 * Design. Architecture invariants 1 and 4: nothing blocks the loop, and
 * nothing is lost on a crash. So the store, not memory, says which copies
 * are due: store_meeting_set_minutes() makes a meeting's copy due in the
 * same unit of work that records its minutes (at /meeting end, at an
 * automatic end, when the minutes are posted again or amended), and a
 * copy stops being due only once its file is on disk. A crash at any
 * point leaves the copy due, and the next start writes it.
 *
 * States of the writer: idle; or a pass, which took up to
 * MINUTES_FILE_BATCH due meetings from the store and writes them one at
 * a time. For each, on the loop: read the meeting, its channel and the
 * Markdown last recorded, and make the file name; on libuv's thread
 * pool (uv_queue_work): create the directory if needed, write
 * <name>.tmp, fsync, rename, fsync the directory; back on the loop:
 * record in the store that this count of recordings (rev) is written, in
 * a unit of work of its own. If the minutes were recorded again
 * meanwhile, the count moved on and the copy stays due. When the pass
 * ends the writer looks again if it was kicked during the pass or the
 * batch was full.
 *
 * Failures (a directory that cannot be made, a full disk) are logged with
 * the path and the reason and are never fatal; the copy stays due. After
 * one, kicks do nothing until minutes_file_retry() (every minute, from
 * the daemon's timer), so a broken directory costs one line a minute per
 * copy, not one per command.
 *
 * Who calls what: main.c makes the writer, kicks it at start-up and each
 * time more batches became durable (commit.h), retries it from its
 * minute timer, and closes it with the other handles; the store and the
 * loop outlive it. The text written is the store's, not re-rendered: the
 * copy is what the channel was shown.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lihui/log.h"
#include "lihui/minutes-file.h"
#include "lihui/store.h"
#include "lihui/tz.h"
#include "lihui/utf8.h"
#include "lihui/xmalloc.h"

/* Due meetings taken from the store per pass. */
#define MINUTES_FILE_BATCH 16
/* Longest sanitized channel name in a file name, in bytes. */
#define MINUTES_FILE_NAME_MAX 64

/* One copy to write: made on the loop, written on the thread pool. */
struct minutes_file_job {
	uv_work_t req;
	struct minutes_file_writer *w;
	int64_t meeting_id;
	int64_t rev;
	char *dir;
	char *path;
	char *text;
	char *error; /* set by the thread on failure */
};

struct minutes_file_writer {
	uv_loop_t *loop;
	struct store *store;
	char *dir;
	struct minutes_file_due *due; /* this pass's meetings */
	size_t n_due, next;
	int busy;    /* a pass is running */
	int again;   /* kicked during the pass: look again after it */
	int failed;  /* a write failed: wait for minutes_file_retry() */
	int closing; /* minutes_file_close(): start nothing new */
	unsigned written, failures;
};

static void minutes_file_pass(struct minutes_file_writer *w);
static void minutes_file_next(struct minutes_file_writer *w);
static int minutes_file_job_new(struct minutes_file_writer *w,
				const struct minutes_file_due *d,
				struct minutes_file_job **out, char **cause);
static void minutes_file_job_free(struct minutes_file_job *j);
static void minutes_file_work(uv_work_t *req);
static void minutes_file_after(uv_work_t *req, int status);
static void minutes_file_done(struct minutes_file_writer *w, int64_t id,
			      int64_t rev);
static char *minutes_file_sanitize(const char *name);
static int minutes_file_write_all(int fd, const char *data, size_t len);

/* Remove the partial temporary file; set *cause; -1. */
static int
minutes_file_fail(const char *path, const char *tmp, int fd, int err,
		  char **cause)
{
	if (fd >= 0)
		close(fd);
	if (tmp != NULL)
		unlink(tmp);
	return set_cause(cause, "cannot write '%s': %s", path, strerror(err));
}

/* Write all of data to fd; -1 with errno set. */
static int
minutes_file_write_all(int fd, const char *data, size_t len)
{
	ssize_t r;

	while (len > 0) {
		r = write(fd, data, len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		data += r;
		len -= (size_t)r;
	}
	return 0;
}

int
minutes_file_write(const char *path, const char *data, size_t len, char **cause)
{
	char *tmp, *dir, *slash;
	int fd, err, rc;

	tmp = xasprintf("%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
		  0640);
	if (fd < 0) {
		err = errno;
		free(tmp);
		return minutes_file_fail(path, NULL, -1, err, cause);
	}
	if (minutes_file_write_all(fd, data, len) != 0 || fsync(fd) != 0) {
		err = errno;
		rc = minutes_file_fail(path, tmp, fd, err, cause);
		free(tmp);
		return rc;
	}
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		err = errno;
		rc = minutes_file_fail(path, tmp, -1, err, cause);
		free(tmp);
		return rc;
	}
	free(tmp);

	/* The rename is durable once the directory is synced. */
	dir = xstrdup(path);
	slash = strrchr(dir, '/');
	if (slash == NULL) {
		free(dir);
		dir = xstrdup(".");
	} else {
		slash[slash == dir ? 1 : 0] = '\0';
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	rc = 0;
	if (fd < 0 || fsync(fd) != 0) {
		err = errno;
		rc = set_cause(cause, "cannot sync directory '%s': %s", dir,
			       strerror(err));
	}
	if (fd >= 0)
		close(fd);
	free(dir);
	return rc;
}

/*
 * The channel's name made safe as part of a file name (see
 * minutes_file_path()). Caller frees.
 */
static char *
minutes_file_sanitize(const char *name)
{
	const unsigned char *p = (const unsigned char *)name;
	size_t len = strlen(name), i = 0, n, o = 0;
	char *out = xmalloc(len + 1);

	while (i < len) {
		n = 1;
		if (p[i] >= 0x80) {
			/* A whole UTF-8 character, or one bad byte. */
			n = p[i] >= 0xf0 ? 4 : p[i] >= 0xe0 ? 3 : 2;
			if (n > len - i || !utf8_valid(name + i, n)) {
				n = 1;
				if (o > 0 && out[o - 1] != '-')
					out[o++] = '-';
				i++;
				continue;
			}
			memcpy(out + o, name + i, n);
			o += n;
		} else if ((p[i] >= 'a' && p[i] <= 'z') ||
			   (p[i] >= 'A' && p[i] <= 'Z') ||
			   (p[i] >= '0' && p[i] <= '9') || p[i] == '_' ||
			   (p[i] == '.' && o > 0)) {
			out[o++] = name[i];
		} else if (o > 0 && out[o - 1] != '-') {
			out[o++] = '-';
		}
		i += n;
	}
	o = utf8_cut(out, o, MINUTES_FILE_NAME_MAX);
	while (o > 0 && (out[o - 1] == '-' || out[o - 1] == '.'))
		o--;
	out[o] = '\0';
	if (o == 0) {
		free(out);
		return xstrdup("channel");
	}
	return out;
}

char *
minutes_file_path(const char *dir, const char *channel_name, const char *zone,
		  int64_t started_at, int64_t id)
{
	struct local_time lt;
	char *name, *path;

	if (zone == NULL || tz_to_local(zone, started_at, &lt, NULL) != 0)
		tz_to_local("UTC", started_at, &lt, NULL);
	name = minutes_file_sanitize(channel_name != NULL ? channel_name : "");
	path = xasprintf("%s/%04d-%02d-%02d-%s-%" PRId64 ".md", dir,
			 lt.date.year, lt.date.month, lt.date.day, name, id);
	free(name);
	return path;
}

struct minutes_file_writer *
minutes_file_new(uv_loop_t *loop, struct store *s, const char *dir)
{
	struct minutes_file_writer *w = xcalloc(1, sizeof *w);

	w->loop = loop;
	w->store = s;
	w->dir = xstrdup(dir);
	return w;
}

void
minutes_file_kick(struct minutes_file_writer *w)
{
	if (w == NULL || w->closing)
		return;
	if (w->busy) {
		w->again = 1;
		return;
	}
	if (w->failed)
		return;
	minutes_file_pass(w);
}

void
minutes_file_retry(struct minutes_file_writer *w)
{
	if (w == NULL)
		return;
	w->failed = 0;
	minutes_file_kick(w);
}

void
minutes_file_close(struct minutes_file_writer *w)
{
	if (w != NULL)
		w->closing = 1;
}

void
minutes_file_free(struct minutes_file_writer *w)
{
	if (w == NULL)
		return;
	if (w->busy)
		BUG("minutes file writer freed during a write");
	free(w->due);
	free(w->dir);
	free(w);
}

void
minutes_file_counts(const struct minutes_file_writer *w, unsigned *written,
		    unsigned *failed)
{
	*written = w->written;
	*failed = w->failures;
}

/* Start a pass over the copies due now, if any. */
static void
minutes_file_pass(struct minutes_file_writer *w)
{
	char *cause = NULL;

	free(w->due);
	w->due = NULL;
	w->n_due = w->next = 0;
	w->again = 0;
	if (store_minutes_file_due(w->store, MINUTES_FILE_BATCH, &w->due,
				   &w->n_due, &cause) != 0) {
		log_error("%s", cause);
		free(cause);
		w->failed = 1;
		return;
	}
	if (w->n_due == 0)
		return;
	w->busy = 1;
	minutes_file_next(w);
}

/* Queue the pass's next copy, or end the pass. */
static void
minutes_file_next(struct minutes_file_writer *w)
{
	struct minutes_file_job *j;
	char *cause = NULL;
	int full, rc;

	while (w->next < w->n_due && !w->closing) {
		rc = minutes_file_job_new(w, &w->due[w->next++], &j, &cause);
		if (rc < 0) {
			log_error("%s", cause);
			free(cause);
			cause = NULL;
			w->failures++;
			w->failed = 1;
			continue;
		}
		if (j == NULL)
			continue; /* nothing to write */
		rc = uv_queue_work(w->loop, &j->req, minutes_file_work,
				   minutes_file_after);
		if (rc == 0)
			return;
		log_error("cannot write '%s': %s", j->path, uv_strerror(rc));
		minutes_file_job_free(j);
		w->failures++;
		w->failed = 1;
	}
	full = w->n_due == MINUTES_FILE_BATCH;
	w->busy = 0;
	free(w->due);
	w->due = NULL;
	w->n_due = w->next = 0;
	if ((w->again || full) && !w->failed && !w->closing)
		minutes_file_pass(w);
}

/*
 * Read what meeting d's copy needs: *out is the job, or NULL when there is
 * nothing to write (no minutes recorded), in which case the copy is no
 * longer due. -1 and *cause when the store fails.
 */
static int
minutes_file_job_new(struct minutes_file_writer *w,
		     const struct minutes_file_due *d,
		     struct minutes_file_job **out, char **cause)
{
	struct minutes_file_job *j;
	struct meeting m;
	struct channel ch;
	char *text = NULL;
	int found = 0, ch_found = 0;

	*out = NULL;
	memset(&ch, 0, sizeof ch);
	if (store_meeting_get(w->store, d->meeting_id, &m, &found, cause) != 0)
		return -1;
	if (found && (store_channel_get(w->store, m.channel_id, &ch, &ch_found,
					cause) != 0 ||
		      store_meeting_minutes(w->store, d->meeting_id, &text,
					    cause) != 0)) {
		meeting_release(&m);
		channel_release(&ch);
		return -1;
	}
	if (!found || text == NULL) {
		log_warn("meeting %" PRId64 " has no minutes to copy",
			 d->meeting_id);
		if (found)
			meeting_release(&m);
		channel_release(&ch);
		minutes_file_done(w, d->meeting_id, d->rev);
		return 0;
	}
	j = xcalloc(1, sizeof *j);
	j->req.data = j;
	j->w = w;
	j->meeting_id = d->meeting_id;
	j->rev = d->rev;
	j->dir = xstrdup(w->dir);
	j->path = minutes_file_path(w->dir, ch_found ? ch.name : NULL,
				    ch_found ? ch.timezone : NULL, m.started_at,
				    m.id);
	j->text = text;
	meeting_release(&m);
	channel_release(&ch);
	*out = j;
	return 0;
}

static void
minutes_file_job_free(struct minutes_file_job *j)
{
	free(j->dir);
	free(j->path);
	free(j->text);
	free(j->error);
	free(j);
}

/* On the thread pool: make the directory and write the file. */
static void
minutes_file_work(uv_work_t *req)
{
	struct minutes_file_job *j = req->data;

	if (mkdir(j->dir, 0750) != 0 && errno != EEXIST) {
		j->error = xasprintf("cannot make directory '%s': %s", j->dir,
				     strerror(errno));
		return;
	}
	minutes_file_write(j->path, j->text, strlen(j->text), &j->error);
}

/* Back on the loop: record the copy, or log why it failed. */
static void
minutes_file_after(uv_work_t *req, int status)
{
	struct minutes_file_job *j = req->data;
	struct minutes_file_writer *w = j->w;

	if (status != 0 && j->error == NULL)
		j->error = xasprintf("cannot write '%s': %s", j->path,
				     uv_strerror(status));
	if (j->error != NULL) {
		log_error("minutes of meeting %" PRId64 ": %s (will retry)",
			  j->meeting_id, j->error);
		w->failures++;
		w->failed = 1;
	} else {
		log_info("minutes of meeting %" PRId64 " written to '%s'",
			 j->meeting_id, j->path);
		w->written++;
		minutes_file_done(w, j->meeting_id, j->rev);
	}
	minutes_file_job_free(j);
	minutes_file_next(w);
}

/* Record in the store that meeting id's copy is written for rev. */
static void
minutes_file_done(struct minutes_file_writer *w, int64_t id, int64_t rev)
{
	char *cause = NULL;

	if (store_begin(w->store, &cause) == 0 &&
	    store_minutes_file_done(w->store, id, rev, &cause) == 0 &&
	    store_commit(w->store, &cause) == 0)
		return;
	store_rollback(w->store);
	/* The copy stays due and is written again: harmless. */
	log_error("%s", cause);
	free(cause);
	w->failed = 1;
}
