/* SPDX-License-Identifier: MIT */
/*
 * xmalloc.h: allocation helpers that never return NULL.
 *
 * lihui is an application: running out of memory is fatal and systemd
 * restarts the daemon. The price is that every size a remote party can
 * influence must be capped before it reaches these functions (see buf.h).
 */
#ifndef LIHUI_XMALLOC_H
#define LIHUI_XMALLOC_H

#include <stdarg.h>
#include <stddef.h>

/** Allocate size bytes; never NULL. Caller frees. */
void *xmalloc(size_t size);
/** Allocate n zeroed elements of size bytes; never NULL. Caller frees. */
void *xcalloc(size_t n, size_t size);
/** Resize ptr to n elements of size bytes, checking for overflow. */
void *xreallocarray(void *ptr, size_t n, size_t size);
/** Copy a string; never NULL. Caller frees. */
char *xstrdup(const char *s);
/** Copy at most n bytes of s and terminate; never NULL. Caller frees. */
char *xstrndup(const char *s, size_t n);
/** Format into a new string; never NULL. Caller frees. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** Like xasprintf with a va_list. Caller frees. */
char *xvasprintf(const char *fmt, va_list ap)
    __attribute__((format(printf, 1, 0)));
/** Print "fatal: <message>" to stderr and exit(1). Start-up and OOM only. */
void fatal(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

/** Set *cause (when cause is non-NULL) to a formatted message; returns -1. */
int set_cause(char **cause, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
