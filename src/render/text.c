/* SPDX-License-Identifier: MIT */
/*
 * text.c: the text helpers the agenda and the minutes share (see
 * render-int.h). Pure: no I/O, no clock.
 */

#include <stdio.h>
#include <string.h>

#include "render-int.h"

const char *
render_text_clean(struct buf *scratch, const char *s)
{
	const char *p;

	if (s == NULL)
		return "";
	if (strpbrk(s, "\r\n") == NULL)
		return s;
	buf_reset(scratch);
	for (p = s; *p != '\0'; p++) {
		if (*p == '\r' && p[1] == '\n')
			continue; /* the '\n' that follows becomes the space */
		buf_add(scratch, *p == '\r' || *p == '\n' ? " " : p, 1);
	}
	return buf_str(scratch);
}

const char *
render_text_user(struct buf *scratch, const char *user)
{
	const char *u = render_text_clean(scratch, user);

	if (*u == '@')
		u++;
	return *u != '\0' ? u : "?";
}

void
render_text_date(struct date d, char *out, size_t size)
{
	if (d.year <= 0) {
		snprintf(out, size, "%s", "");
		return;
	}
	snprintf(out, size, "%04d-%02d-%02d", d.year, d.month, d.day);
}

void
render_text_day(enum locale loc, const struct local_time *t, char *out,
		size_t size)
{
	char date[48];

	render_text_date(t->date, date, sizeof date);
	switch (t->wday) {
	case 0:
		snprintf(out, size, L_(loc, "Sun %s"), date);
		break;
	case 1:
		snprintf(out, size, L_(loc, "Mon %s"), date);
		break;
	case 2:
		snprintf(out, size, L_(loc, "Tue %s"), date);
		break;
	case 3:
		snprintf(out, size, L_(loc, "Wed %s"), date);
		break;
	case 4:
		snprintf(out, size, L_(loc, "Thu %s"), date);
		break;
	case 5:
		snprintf(out, size, L_(loc, "Fri %s"), date);
		break;
	case 6:
		snprintf(out, size, L_(loc, "Sat %s"), date);
		break;
	default:
		snprintf(out, size, "%s", date);
		break;
	}
}
