/* SPDX-License-Identifier: MIT */
/*
 * fuzz-config.c: libFuzzer target for the configuration parser. Each input
 * is parsed as a whole file over a fresh defaults config; when it parses,
 * config_finish() runs too. Everything is released, so leaks show up.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "lihui/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config c;
	char *cause = NULL;
	int has_secret = 0;

	config_defaults(&c);
	if (config_parse(&c, "fuzz.conf", (const char *)data, size, &has_secret,
			 &cause) == 0)
		config_finish(&c, &cause);
	free(cause);
	config_release(&c);
	return 0;
}
