/* SPDX-License-Identifier: MIT */
/*
 * fixture.c: reading the shared payload fixtures; see fixture.h.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "lihui/xmalloc.h"

char *
fixture_read(const char *name, size_t max, size_t *len)
{
	char *path, *data;
	FILE *fp;
	size_t n;

	path = xasprintf("%s%s", FIXTURE_DIR, name);
	fp = fopen(path, "rb");
	if (fp == NULL) {
		print_message("skipping: cannot open '%s': %s\n", path,
			      strerror(errno));
		free(path);
		return NULL;
	}
	free(path);
	data = xmalloc(max + 2);
	n = fread(data, 1, max + 1, fp);
	assert_int_equal(ferror(fp), 0);
	fclose(fp);
	assert_true(n <= max);
	data[n] = '\0';
	*len = n;
	return data;
}
