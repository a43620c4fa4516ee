/* SPDX-License-Identifier: MIT */
/*
 * test-minutes-file.c: the minutes' Markdown copies (src/minutes-file.c):
 * file names, the atomic write, and the writer on a real libuv loop with
 * a ":memory:" store and real files in a fresh directory under $TMPDIR
 * (or /tmp): a copy written when due, written again when the minutes are
 * recorded again, and a directory that cannot be made (its parent is
 * missing, or a file is in its place) logged, left due and written on
 * the retry.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <uv.h>

#include "lihui/minutes-file.h"
#include "lihui/store.h"
#include "lihui/xmalloc.h"

struct fixture {
	char dir[256];
	uv_loop_t loop;
	struct store *s;
	int64_t channel_id;
};

static const struct channel test_defaults = {
	.locale = (char *)"en",
	.timezone = (char *)"Asia/Shanghai",
	.sections = SECTION_ALL,
	.meeting_wday = 1,
	.meeting_minute = 600,
	.meeting_length = 30,
};

static int
setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof *f);
	const char *base = getenv("TMPDIR");
	struct channel c;
	char *cause = NULL;

	snprintf(f->dir, sizeof f->dir, "%s/lihui-test-mf-XXXXXX",
		 base != NULL && *base != '\0' ? base : "/tmp");
	if (mkdtemp(f->dir) == NULL || uv_loop_init(&f->loop) != 0)
		return -1;
	f->s = store_open(":memory:", &cause);
	if (f->s == NULL ||
	    store_channel_ensure(f->s, "C1", "ops weekly", &test_defaults, &c,
				 &cause) != 0)
		return -1;
	f->channel_id = c.id;
	channel_release(&c);
	*state = f;
	return 0;
}

/* Remove dir and everything under it (two levels are enough here). */
static void
remove_tree(const char *dir)
{
	struct dirent *e;
	char path[1024];
	DIR *d = opendir(dir);

	if (d == NULL) {
		unlink(dir);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (unlink(path) != 0)
			remove_tree(path);
	}
	closedir(d);
	rmdir(dir);
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	store_close(f->s);
	assert_int_equal(uv_loop_close(&f->loop), 0);
	remove_tree(f->dir);
	free(f);
	return 0;
}

/* A meeting started at start (UTC), ended, with minutes md; its id. */
static int64_t
ended_meeting(struct fixture *f, int64_t start, const char *md)
{
	struct meeting m;
	char *cause = NULL;
	int64_t id;

	assert_int_equal(store_meeting_start(f->s, f->channel_id, "Weekly",
					     "alice", start, &m, &cause),
			 0);
	id = m.id;
	meeting_release(&m);
	assert_int_equal(store_meeting_end(f->s, id, start + 1800, 0, &cause),
			 0);
	assert_int_equal(store_meeting_set_minutes(f->s, id, 0, md, &cause), 0);
	return id;
}

/* Whole contents of path, or NULL when it cannot be read; caller frees. */
static char *
slurp(const char *path)
{
	char *s = xmalloc(65536);
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		free(s);
		return NULL;
	}
	n = read(fd, s, 65535);
	close(fd);
	assert_true(n >= 0);
	s[n] = '\0';
	return s;
}

static size_t
n_due(struct fixture *f)
{
	struct minutes_file_due *d;
	char *cause = NULL;
	size_t n;

	assert_int_equal(store_minutes_file_due(f->s, 100, &d, &n, &cause), 0);
	free(d);
	return n;
}

static void
test_path(void **state)
{
	static const struct {
		const char *name;
		const char *zone;
		int64_t start;
		const char *want;
	} cases[] = {
		/* 2026-11-26T20:00Z is the 27th in Shanghai. */
		{ "ops", "UTC", 1795723200, "d/2026-11-26-ops-7.md" },
		{ "ops", "Asia/Shanghai", 1795723200, "d/2026-11-27-ops-7.md" },
		{ "ops", "No/Such_Zone", 1795723200, "d/2026-11-26-ops-7.md" },
		{ "ops", NULL, 1795723200, "d/2026-11-26-ops-7.md" },
		{ "ops weekly", "UTC", 0, "d/1970-01-01-ops-weekly-7.md" },
		{ "Team_A.v2", "UTC", 0, "d/1970-01-01-Team_A.v2-7.md" },
		{ "周会/组 一", "UTC", 0, "d/1970-01-01-周会-组-一-7.md" },
		{ "../../etc/passwd", "UTC", 0,
		  "d/1970-01-01-etc-passwd-7.md" },
		{ "..", "UTC", 0, "d/1970-01-01-channel-7.md" },
		{ "", "UTC", 0, "d/1970-01-01-channel-7.md" },
		{ NULL, "UTC", 0, "d/1970-01-01-channel-7.md" },
		{ "a\nb\tc\x01", "UTC", 0, "d/1970-01-01-a-b-c-7.md" },
		{ "bad\xff\xfe", "UTC", 0, "d/1970-01-01-bad-7.md" },
		{ "--x--", "UTC", 0, "d/1970-01-01-x-7.md" },
		{ "0123456789012345678901234567890123456789012345678901234567"
		  "89abcdefgh",
		  "UTC", 0,
		  "d/1970-01-01-"
		  "0123456789012345678901234567890123456789012345678901234567"
		  "89abcd-7.md" },
		/* 22 three-byte characters: cut at 21 (63 bytes). */
		{ "会会会会会会会会会会会会会会会会会会会会会会", "UTC", 0,
		  "d/"
		  "1970-01-01-会会会会会会会会会会会会会会会会会会会会会-7."
		  "md" },
	};
	size_t i;
	char *got;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		got = minutes_file_path("d", cases[i].name, cases[i].zone,
					cases[i].start, 7);
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("case %zu: got '%s', want '%s'", i, got,
				 cases[i].want);
		free(got);
	}
}

static void
test_write(void **state)
{
	struct fixture *f = *state;
	char path[512], tmp[520], *got, *cause = NULL;
	struct stat st;

	snprintf(path, sizeof path, "%s/out.md", f->dir);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	assert_int_equal(minutes_file_write(path, "one\n", 4, &cause), 0);
	got = slurp(path);
	assert_string_equal(got, "one\n");
	free(got);
	/* Replaced whole. */
	assert_int_equal(minutes_file_write(path, "2", 1, &cause), 0);
	got = slurp(path);
	assert_string_equal(got, "2");
	free(got);
	assert_int_equal(stat(tmp, &st), -1);
	assert_null(cause);

	snprintf(path, sizeof path, "%s/none/out.md", f->dir);
	assert_int_equal(minutes_file_write(path, "x", 1, &cause), -1);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "cannot write '"));
	assert_non_null(strstr(cause, "No such file or directory"));
	free(cause);
}

/* Due copies are written; recording again writes them again. */
static void
test_writer(void **state)
{
	struct fixture *f = *state;
	struct minutes_file_writer *w;
	char dir[300], path[400], *got, *cause = NULL;
	unsigned written, failed;
	int64_t id1, id2;

	/* 10:00Z and 20:00Z on 2026-11-26: the 26th and 27th locally. */
	id1 = ended_meeting(f, 1795687200, "# one\n");
	id2 = ended_meeting(f, 1795723200, "# two\n");
	assert_int_equal(n_due(f), 2);
	snprintf(dir, sizeof dir, "%s/minutes", f->dir);
	w = minutes_file_new(&f->loop, f->s, dir);

	minutes_file_kick(w);
	minutes_file_kick(w); /* during the pass: looks again after it */
	assert_int_equal(uv_run(&f->loop, UV_RUN_DEFAULT), 0);
	minutes_file_counts(w, &written, &failed);
	assert_int_equal(written, 2);
	assert_int_equal(failed, 0);
	assert_int_equal(n_due(f), 0);
	snprintf(path, sizeof path, "%s/2026-11-26-ops-weekly-%lld.md", dir,
		 (long long)id1);
	got = slurp(path);
	assert_non_null(got);
	assert_string_equal(got, "# one\n");
	free(got);
	snprintf(path, sizeof path, "%s/2026-11-27-ops-weekly-%lld.md", dir,
		 (long long)id2);
	got = slurp(path);
	assert_non_null(got);
	assert_string_equal(got, "# two\n");
	free(got);

	/* Amended: recorded again, written again. */
	assert_int_equal(
	    store_meeting_set_minutes(f->s, id2, 0, "# two, amended\n", &cause),
	    0);
	minutes_file_kick(w);
	assert_int_equal(uv_run(&f->loop, UV_RUN_DEFAULT), 0);
	got = slurp(path);
	assert_string_equal(got, "# two, amended\n");
	free(got);
	assert_int_equal(n_due(f), 0);

	/* Nothing due: a kick does nothing. */
	minutes_file_kick(w);
	assert_int_equal(uv_run(&f->loop, UV_RUN_NOWAIT), 0);
	minutes_file_counts(w, &written, &failed);
	assert_int_equal(written, 3);
	minutes_file_close(w);
	minutes_file_free(w);
}

/* A directory that cannot be made: logged, left due, written later. */
static void
test_writer_failure(void **state)
{
	struct fixture *f = *state;
	struct minutes_file_writer *w;
	char parent[300], dir[320], path[400], *got;
	unsigned written, failed;
	int64_t id;
	int fd;

	id = ended_meeting(f, 0, "# m\n");
	snprintf(parent, sizeof parent, "%s/missing", f->dir);
	snprintf(dir, sizeof dir, "%s/minutes", parent);
	w = minutes_file_new(&f->loop, f->s, dir);
	minutes_file_kick(w);
	assert_int_equal(uv_run(&f->loop, UV_RUN_DEFAULT), 0);
	minutes_file_counts(w, &written, &failed);
	assert_int_equal(written, 0);
	assert_int_equal(failed, 1);
	assert_int_equal(n_due(f), 1);

	/* Kicks wait for the retry. */
	minutes_file_kick(w);
	assert_int_equal(uv_run(&f->loop, UV_RUN_DEFAULT), 0);
	minutes_file_counts(w, &written, &failed);
	assert_int_equal(failed, 1);

	/* A file where the directory should be: still failing. */
	fd = open(parent, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	close(fd);
	minutes_file_retry(w);
	assert_int_equal(uv_run(&f->loop, UV_RUN_DEFAULT), 0);
	minutes_file_counts(w, &written, &failed);
	assert_int_equal(failed, 2);
	assert_int_equal(n_due(f), 1);

	/* Fixed: the retry writes it. */
	assert_int_equal(unlink(parent), 0);
	assert_int_equal(mkdir(parent, 0700), 0);
	minutes_file_retry(w);
	assert_int_equal(uv_run(&f->loop, UV_RUN_DEFAULT), 0);
	minutes_file_counts(w, &written, &failed);
	assert_int_equal(written, 1);
	assert_int_equal(failed, 2);
	assert_int_equal(n_due(f), 0);
	snprintf(path, sizeof path, "%s/1970-01-01-ops-weekly-%lld.md", dir,
		 (long long)id);
	got = slurp(path);
	assert_non_null(got);
	assert_string_equal(got, "# m\n");
	free(got);
	minutes_file_close(w);
	minutes_file_free(w);
}

/* Closing: the write in progress completes and counts; no more start. */
static void
test_writer_close(void **state)
{
	struct fixture *f = *state;
	struct minutes_file_writer *w;
	unsigned written, failed;

	ended_meeting(f, 0, "# a\n");
	ended_meeting(f, 100, "# b\n");
	w = minutes_file_new(&f->loop, f->s, f->dir);
	minutes_file_kick(w);
	minutes_file_close(w);
	assert_int_equal(uv_run(&f->loop, UV_RUN_DEFAULT), 0);
	minutes_file_counts(w, &written, &failed);
	assert_int_equal(written, 1);
	assert_int_equal(failed, 0);
	assert_int_equal(n_due(f), 1);
	minutes_file_kick(w);
	assert_int_equal(uv_run(&f->loop, UV_RUN_DEFAULT), 0);
	minutes_file_counts(w, &written, &failed);
	assert_int_equal(written, 1);
	minutes_file_free(w);
	minutes_file_free(NULL);
}

/* More than a batch (16) due at start-up: all are written. */
static void
test_writer_many(void **state)
{
	struct fixture *f = *state;
	struct minutes_file_writer *w;
	unsigned written, failed;
	int i;

	for (i = 0; i < 20; i++)
		ended_meeting(f, i * 86400, "# x\n");
	w = minutes_file_new(&f->loop, f->s, f->dir);
	minutes_file_kick(w);
	assert_int_equal(uv_run(&f->loop, UV_RUN_DEFAULT), 0);
	minutes_file_counts(w, &written, &failed);
	assert_int_equal(written, 20);
	assert_int_equal(failed, 0);
	assert_int_equal(n_due(f), 0);
	minutes_file_close(w);
	minutes_file_free(w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path),
		cmocka_unit_test_setup_teardown(test_write, setup, teardown),
		cmocka_unit_test_setup_teardown(test_writer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_writer_failure, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_writer_close, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_writer_many, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
