/* SPDX-License-Identifier: MIT */
/*
 * log.c: level-filtered logging to stderr; see log.h.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lihui/log.h"

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

void
log_write(enum log_level level, const char *func, const char *fmt, ...)
{
	va_list ap;

	if (!log_enabled(level))
		return;
	fprintf(stderr, "lihui: %s: %s: ", log_level_names[level], func);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
