/* SPDX-License-Identifier: MIT */
/*
 * golden.c: golden-file comparison for the tests (see golden.h).
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "golden.h"
#include "lihui/xmalloc.h"

char *
golden_read(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	size_t len = 0, n;
	char chunk[4096];

	if (f == NULL)
		return NULL;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		data = xreallocarray(data, len + n + 1, 1);
		memcpy(data + len, chunk, n);
		len += n;
	}
	fclose(f);
	if (data == NULL)
		data = xstrdup("");
	data[len] = '\0';
	return data;
}

static int
golden_write(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	size_t len = strlen(text);

	if (f == NULL)
		return -1;
	if (fwrite(text, 1, len, f) != len) {
		fclose(f);
		return -1;
	}
	return fclose(f) == 0 ? 0 : -1;
}

/* Print the first line where want and got differ, 1-based. */
static void
golden_first_difference(const char *want, const char *got)
{
	size_t line = 1, wl, gl;

	for (;;) {
		wl = strcspn(want, "\n");
		gl = strcspn(got, "\n");
		if (wl != gl || memcmp(want, got, wl) != 0 ||
		    want[wl] != got[gl]) {
			print_error("first difference at line %zu:\n"
				    "  want: %.*s\n"
				    "  got:  %.*s\n",
				    line, (int)wl, want, (int)gl, got);
			return;
		}
		if (want[wl] == '\0')
			return;
		want += wl + 1;
		got += gl + 1;
		line++;
	}
}

void
golden_check(const char *dir, const char *name, const char *got)
{
	char path[512], actual[512];
	char *want;

	snprintf(path, sizeof path, "%s%s", dir, name);
	if (getenv("LIHUI_UPDATE_GOLDEN") != NULL) {
		assert_int_equal(golden_write(path, got), 0);
		return;
	}
	want = golden_read(path);
	if (want == NULL)
		fail_msg("cannot read '%s' (run the tests from the repository "
			 "root)",
			 path);
	if (strcmp(want, got) == 0) {
		free(want);
		return;
	}
	snprintf(actual, sizeof actual, "/tmp/lihui-golden-%s", name);
	golden_first_difference(want, got);
	free(want);
	if (golden_write(actual, got) == 0)
		print_error("rendering differs from %s; see\n"
			    "  diff -u %s %s\n"
			    "or regenerate with LIHUI_UPDATE_GOLDEN=1 "
			    "(then review the diff)\n",
			    path, path, actual);
	fail_msg("golden mismatch: %s", path);
}
