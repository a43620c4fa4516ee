/* SPDX-License-Identifier: MIT */
/*
 * adapter.c: the registry of chat platforms (see adapter.h).
 *
 * Adding a platform: its file in src/adapter/ and one row below.
 */

#include <string.h>

#include "lihui/adapter.h"
#include <stdlib.h>

#include "lihui/log.h"

static const struct adapter_ops *const adapter_registry[] = {
	&adapter_console,
	NULL,
};

const struct adapter_ops *
adapter_find(const char *name)
{
	const struct adapter_ops *const *a;

	for (a = adapter_registry; *a != NULL; a++) {
		if (strcmp((*a)->name, name) != 0)
			continue;
		if ((*a)->create == NULL || (*a)->start == NULL ||
		    (*a)->send == NULL || (*a)->close == NULL ||
		    (*a)->free == NULL || (*a)->max_text == 0)
			BUG("adapter misses a MUST member");
		return *a;
	}
	return NULL;
}

const struct adapter_ops *const *
adapter_list(void)
{
	return adapter_registry;
}
