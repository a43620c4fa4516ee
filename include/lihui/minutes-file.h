/* SPDX-License-Identifier: MIT */
/*
 * minutes-file.h: the Markdown copy of each meeting's minutes, kept in a
 * directory of the host (config minutes_dir) as
 * <dir>/<YYYY-MM-DD>-<channel>-<meeting id>.md, the date being the
 * meeting's start in the channel's zone.
 *
 * The daemon's writer (struct minutes_file_writer) writes the copies the
 * store says are due (store_minutes_file_due: recording the minutes makes
 * a copy due), off the loop; see minutes-file.c for how. The two blocking
 * helpers below are what it runs on libuv's thread pool, and what
 * `lihui export --output` uses.
 */
#ifndef LIHUI_MINUTES_FILE_H
#define LIHUI_MINUTES_FILE_H

#include <stddef.h>
#include <stdint.h>

#include <uv.h>

struct store;
struct minutes_file_writer;

/**
 * Replace path with len bytes of data, all or nothing: write path.tmp,
 * fsync it, rename it over path, fsync the directory. Blocks: not for the
 * loop. -1 and *cause ("cannot write '<path>': <why>") on failure, and
 * path.tmp is removed.
 */
int minutes_file_write(const char *path, const char *data, size_t len,
		       char **cause);
/**
 * The copy's file name in dir for meeting id of channel channel_name
 * started at started_at (UTC seconds; the date is taken in zone, or UTC
 * when zone is not known). The channel's name is made safe for a file
 * name: letters, digits, '.', '_' and any other Unicode character kept,
 * everything else (spaces, '/', control characters) becomes '-', at most
 * 64 bytes. Caller frees.
 */
char *minutes_file_path(const char *dir, const char *channel_name,
			const char *zone, int64_t started_at, int64_t id);

/**
 * A writer of due copies into dir (created, without its parents, on the
 * first write) on loop, reading s on the loop. Nothing is written until
 * minutes_file_kick().
 */
struct minutes_file_writer *minutes_file_new(uv_loop_t *loop, struct store *s,
					     const char *dir);
/**
 * Write whatever copies are due: at start-up (the ones a crash left) and
 * whenever new minutes were stored. Cheap when nothing is due; while a
 * write runs it only notes that it must look again. After a failed
 * write, kicks wait for minutes_file_retry().
 */
void minutes_file_kick(struct minutes_file_writer *w);
/** Try again what failed (the daemon calls it every minute). */
void minutes_file_retry(struct minutes_file_writer *w);
/**
 * Start no more writes. A write in progress completes, and is recorded,
 * while the loop runs: it keeps the loop alive until then.
 */
void minutes_file_close(struct minutes_file_writer *w);
/** Free w once its loop has ended; NULL is ignored. */
void minutes_file_free(struct minutes_file_writer *w);
/** Copies written and writes failed since w was made (logs, tests). */
void minutes_file_counts(const struct minutes_file_writer *w, unsigned *written,
			 unsigned *failed);

#endif
