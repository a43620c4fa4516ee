/* SPDX-License-Identifier: MIT */
/*
 * catalog.h: every text lihui posts, in English and Simplified Chinese.
 *
 * As with gettext, the key is the English text itself, so the compiler
 * checks printf arguments against it (format_arg) and the English catalog
 * can never be missing a key. src/render/catalog.c maps each English text
 * to its Chinese translation. tests/unit/render/test-catalog.c fails when
 * a text used in src/ through L_() or N_() has no translation, when the two
 * forms' printf conversions differ, or when an entry is unused.
 *
 * Adding a text: write L_(loc, "the English text") where it is posted (one
 * string literal on one line), and add { "the English text", "中文" } to
 * the table in src/render/catalog.c.
 */
#ifndef LIHUI_CATALOG_H
#define LIHUI_CATALOG_H

#include <stddef.h>

enum locale { LOCALE_EN, LOCALE_ZH_CN, LOCALE_COUNT };

struct catalog_entry {
	const char *en;
	const char *zh_CN;
};

/**
 * The text en in locale loc (en itself for English); borrowed, static.
 * An English text without a translation falls back to English and logs a
 * warning (the catalog test keeps that from shipping).
 */
const char *catalog_get(enum locale loc, const char *en)
    __attribute__((format_arg(2)));
#define L_(loc, en) catalog_get((loc), (en))
/** Marks a text for the catalog where it is only stored (command help). */
#define N_(en) (en)

/** "en" / "zh_CN" (also "zh", "zh-CN", "zh_cn") -> locale; -1 if unknown. */
int locale_parse(const char *name);
/** The canonical name: "en" or "zh_CN". */
const char *locale_name(enum locale loc);

/**
 * Translation table number table (0, 1, ...) and its length, for tests
 * and tools; NULL past the last table.
 */
const struct catalog_entry *catalog_entries_of(size_t table, size_t *n);

#endif
