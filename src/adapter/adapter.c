/* SPDX-License-Identifier: MIT */
/*
 * adapter.c: the registry of chat platforms (see adapter.h).
 *
 * A row names a platform and says where its adapter_ops are: built into
 * the executable, or a symbol of the network module. The executable never
 * references a network adapter directly, so linking it does not pull the
 * network code (or its libraries) in.
 */

#include <stdlib.h>
#include <string.h>

#include "lihui/adapter.h"
#include "lihui/module.h"
#include "lihui/xmalloc.h"

struct adapter_row {
	const char *name;
	const struct adapter_ops *builtin; /* NULL: in the network module */
	const char *symbol;		   /* its name in the module */
};

static const struct adapter_row adapter_registry[] = {
	{ "console", &adapter_console, NULL },
	{ "mattermost", NULL, "adapter_mattermost" },
	{ "slack", NULL, "adapter_slack" },
};

int
adapter_check(const struct adapter_ops *ops, char **cause)
{
	if (ops->name == NULL || ops->create == NULL || ops->start == NULL ||
	    ops->send == NULL || ops->close == NULL || ops->free == NULL ||
	    ops->max_text == 0)
		return set_cause(cause, "adapter '%s' misses a MUST member",
				 ops->name != NULL ? ops->name : "?");
	return 0;
}

const struct adapter_ops *
adapter_load(const char *name, struct module **module, char **cause)
{
	const struct adapter_row *row = NULL;
	const struct adapter_ops *ops;
	size_t i;

	*module = NULL;
	for (i = 0; i < sizeof adapter_registry / sizeof *adapter_registry; i++)
		if (strcmp(adapter_registry[i].name, name) == 0)
			row = &adapter_registry[i];
	if (row == NULL) {
		set_cause(cause, "adapter '%s' is not available in this build",
			  name);
		return NULL;
	}
	if (row->builtin != NULL)
		ops = row->builtin;
	else {
		*module = module_open(cause);
		if (*module == NULL)
			return NULL;
		ops = module_symbol(*module, row->symbol, cause);
	}
	if (ops != NULL && adapter_check(ops, cause) == 0 &&
	    strcmp(ops->name, name) == 0)
		return ops;
	if (ops != NULL && strcmp(ops->name, name) != 0)
		set_cause(cause, "adapter '%s' calls itself '%s'", name,
			  ops->name);
	module_close(*module);
	*module = NULL;
	return NULL;
}
