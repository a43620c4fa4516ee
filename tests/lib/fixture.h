/* SPDX-License-Identifier: MIT */
/*
 * fixture.h: reading the captured payloads that the tests share with the
 * specs (../shared/specs/fixtures/, relative to the project root where
 * the tests run). They are not part of the project, so a test that needs
 * one skips its check, saying why, when the file is not there.
 */
#ifndef LIHUI_TEST_FIXTURE_H
#define LIHUI_TEST_FIXTURE_H

#include <stddef.h>

#define FIXTURE_DIR "../shared/specs/fixtures/"

/**
 * The whole of fixture name (at most max bytes, or the test fails) as a
 * NUL-terminated string, its length in *len. NULL, after printing why,
 * when it cannot be opened. Caller frees.
 */
char *fixture_read(const char *name, size_t max, size_t *len);

#endif
