/* SPDX-License-Identifier: MIT */
/*
 * log.c: level-filtered logging to stderr; see log.h.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lihui/log.h"
#include "lihui/utf8.h"

static const char *const log_level_names[] = {
	[LOG_DEBUG] = "debug",
	[LOG_INFO] = "info",
	[LOG_WARN] = "warn",
	[LOG_ERROR] = "error",
};

static enum log_level
log_threshold(void)
{
	const char *v = getenv("LIHUI_LOG");
	int i;

	if (v == NULL)
		return LOG_INFO;
	for (i = LOG_DEBUG; i <= LOG_ERROR; i++) {
		if (strcmp(v, log_level_names[i]) == 0)
			return (enum log_level)i;
	}
	return LOG_INFO;
}

int
log_enabled(enum log_level level)
{
	return level >= log_threshold();
}

/* Longest line written; longer messages are cut (with "..."). */
#define LOG_LINE_MAX 2048

void
log_write(enum log_level level, const char *func, const char *fmt, ...)
{
	char msg[LOG_LINE_MAX];
	va_list ap;
	int n;

	if (!log_enabled(level))
		return;
	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof msg)
		memcpy(msg + utf8_cut(msg, sizeof msg - 1, sizeof msg - 4),
		       "...", 4);
	/* One call, so one write(2) on the unbuffered stderr. */
	fprintf(stderr, "lihui: %s: %s: %s\n", log_level_names[level], func,
		msg);
}
