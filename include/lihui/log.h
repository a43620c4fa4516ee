/* SPDX-License-Identifier: MIT */
/*
 * log.h: one way to log. Lines go to stderr without timestamps (journald
 * adds them), prefixed with the level and the calling function.
 *
 * The threshold comes from the environment (LIHUI_LOG=debug|info|warn|error,
 * default info) so that no mutable global is needed. Never pass a token or
 * secret to these functions.
 */
#ifndef LIHUI_LOG_H
#define LIHUI_LOG_H

#include <stdlib.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/** Write one line at level, from function func. */
void log_write(enum log_level level, const char *func, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/** Whether a line at level would be written now. */
int log_enabled(enum log_level level);

#define log_debug(...) log_write(LOG_DEBUG, __func__, __VA_ARGS__)
#define log_info(...)  log_write(LOG_INFO, __func__, __VA_ARGS__)
#define log_warn(...)  log_write(LOG_WARN, __func__, __VA_ARGS__)
#define log_error(...) log_write(LOG_ERROR, __func__, __VA_ARGS__)

/** A programmer error: log where and abort. */
#define BUG(msg)                                                               \
	do {                                                                   \
		log_write(LOG_ERROR, __func__, "BUG at %s:%d: %s", __FILE__,   \
			  __LINE__, (msg));                                    \
		abort();                                                       \
	} while (0)

#endif
