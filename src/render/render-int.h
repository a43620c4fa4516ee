/* SPDX-License-Identifier: MIT */
/*
 * render-int.h: text helpers the renderers share (src/render/text.c):
 * user texts made safe to follow a prefix on one line, user names made
 * ready for a mention, and dates as the renderers show them.
 */
#ifndef LIHUI_RENDER_INT_H
#define LIHUI_RENDER_INT_H

#include <stddef.h>

#include "lihui/buf.h"
#include "lihui/catalog.h"
#include "lihui/tz.h"

/**
 * s with its line breaks (CR, LF, CRLF) replaced by one space each: s
 * itself when it has none, "" for NULL, else a copy in scratch, borrowed
 * until scratch is used again.
 */
const char *render_text_clean(struct buf *scratch, const char *s);
/** A user name ready to follow an '@': cleaned, without a leading '@',
 *  "?" when empty. Borrowed like render_text_clean()'s result. */
const char *render_text_user(struct buf *scratch, const char *user);
/** "YYYY-MM-DD", or "" for a date whose year is not set. */
void render_text_date(struct date d, char *out, size_t size);
/** t's date with its weekday, in the locale's order ("Mon 2026-12-07"). */
void render_text_day(enum locale loc, const struct local_time *t, char *out,
		     size_t size);

#endif
