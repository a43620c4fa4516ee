/* SPDX-License-Identifier: MIT */
/*
 * golden.h: comparing rendered text with golden files for the tests.
 *
 * Golden files live under tests/fixtures/ and are read relative to the
 * repository root (the tests run from there). With LIHUI_UPDATE_GOLDEN set
 * in the environment, golden_check() rewrites the file instead of
 * comparing: do that after a deliberate change and read the diff before
 * committing it. A mismatch prints the first differing line, writes what
 * was rendered to /tmp for a diff, and fails the test.
 */
#ifndef LIHUI_TEST_GOLDEN_H
#define LIHUI_TEST_GOLDEN_H

/** Compare got with the file dir/name (dir ends with '/'). */
void golden_check(const char *dir, const char *name, const char *got);
/** The whole file at path, or NULL. Caller frees. */
char *golden_read(const char *path);

#endif
