/* SPDX-License-Identifier: MIT */
/*
 * fuzz-jsonw.c: text from outside (chat lines, channel names) leaving
 * lihui. jsonw must turn any bytes into a JSON string that is valid UTF-8
 * with no raw control character and no unescaped quote; and
 * minutes_file_path() must turn any channel name into one file name
 * directly in the directory ("d/YYYY-MM-DD-<name>-1.md", no '/' in the
 * name, never hidden), valid UTF-8 and at most 64 bytes of name.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lihui/jsonw.h"
#include "lihui/minutes-file.h"
#include "lihui/utf8.h"
#include "lihui/xmalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Check the JSON string doc ("...\"\n") for the promises above. */
static void
check_json(const char *doc)
{
	size_t len = strlen(doc), i;

	if (len < 3 || doc[0] != '"' || doc[len - 2] != '"' ||
	    doc[len - 1] != '\n' || !utf8_valid(doc, len - 1))
		abort();
	for (i = 1; i < len - 2; i++) {
		if ((unsigned char)doc[i] < 0x20 || doc[i] == '"')
			abort();
		if (doc[i] == '\\') {
			i++;
			if (i >= len - 2 ||
			    strchr("\"\\/bfnrtu", doc[i]) == NULL)
				abort();
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jsonw w;
	char *doc, *name, *path;
	const char *base, *end;

	if (size > 16384)
		return 0;
	jsonw_init(&w, 16 * size + 16);
	jsonw_string_len(&w, (const char *)data, size);
	doc = jsonw_finish(&w, NULL);
	if (doc == NULL)
		abort();
	check_json(doc);
	free(doc);
	jsonw_release(&w);

	name = xstrndup((const char *)data, size);
	path = minutes_file_path("d", name, "UTC", 0, 1);
	if (strncmp(path, "d/1970-01-01-", 13) != 0)
		abort();
	base = path + 13;
	end = path + strlen(path) - 5;
	if (end <= base || strcmp(end, "-1.md") != 0)
		abort();
	if ((size_t)(end - base) > 64 ||
	    !utf8_valid(base, (size_t)(end - base)))
		abort();
	if (memchr(base, '/', (size_t)(end - base)) != NULL || base[0] == '.' ||
	    base[0] == '-')
		abort();
	free(path);
	free(name);
	return 0;
}
