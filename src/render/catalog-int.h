/* SPDX-License-Identifier: MIT */
/*
 * catalog-int.h: the translation tables behind catalog.c, one per area so
 * that each area's texts live in one file. Each table ends with { NULL }.
 */
#ifndef LIHUI_CATALOG_INT_H
#define LIHUI_CATALOG_INT_H

#include "lihui/catalog.h"

/* Agenda and other renderers' texts (catalog-render.c). */
extern const struct catalog_entry catalog_render[];
/* Command replies, errors and help (catalog-cmd.c). */
extern const struct catalog_entry catalog_cmd[];
/* Schedule parser causes (catalog-recur.c). */
extern const struct catalog_entry catalog_recur[];

#endif
