/* SPDX-License-Identifier: MIT */
/*
 * catalog.c: looks English texts up in the translation tables.
 *
 * The tables are small (a few hundred rows) and lookups happen a handful
 * of times per command, so a linear scan over each table is enough; the
 * pointer comparison first makes the common case (the same literal, merged
 * by the linker) cheap.
 */

#include <string.h>

#include "lihui/catalog.h"
#include "lihui/log.h"
#include "catalog-int.h"

static const struct catalog_entry *const catalog_tables[] = {
	catalog_render,
	catalog_cmd,
	catalog_recur,
};

const char *
catalog_get(enum locale loc, const char *en)
{
	size_t t;
	const struct catalog_entry *e;

	if (loc == LOCALE_EN)
		return en;
	for (t = 0; t < sizeof catalog_tables / sizeof catalog_tables[0]; t++) {
		for (e = catalog_tables[t]; e->en != NULL; e++) {
			if (e->en == en || strcmp(e->en, en) == 0)
				return e->zh_CN;
		}
	}
	log_warn("no translation for '%s'", en);
	return en;
}

int
locale_parse(const char *name)
{
	if (strcmp(name, "en") == 0 || strcmp(name, "en_US") == 0)
		return LOCALE_EN;
	if (strcmp(name, "zh_CN") == 0 || strcmp(name, "zh") == 0 ||
	    strcmp(name, "zh-CN") == 0 || strcmp(name, "zh_cn") == 0)
		return LOCALE_ZH_CN;
	return -1;
}

const char *
locale_name(enum locale loc)
{
	return loc == LOCALE_ZH_CN ? "zh_CN" : "en";
}

const struct catalog_entry *
catalog_entries_of(size_t table, size_t *n)
{
	const struct catalog_entry *e;

	if (table >= sizeof catalog_tables / sizeof catalog_tables[0])
		return NULL;
	*n = 0;
	for (e = catalog_tables[table]; e->en != NULL; e++)
		(*n)++;
	return catalog_tables[table];
}
