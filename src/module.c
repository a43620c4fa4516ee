/* SPDX-License-Identifier: MIT */
/*
 * module.c: finding and loading lihui-net.so (see module.h).
 *
 * The directory of the running executable comes from /proc/self/exe; each
 * candidate path is tried in order and the reason each one failed is kept,
 * so that "not found anywhere" lists where lihui looked.
 *
 * The module is opened with RTLD_NODELETE: it and the libraries it brings
 * stay mapped until the process exits, even after module_close(). OpenSSL
 * and libcurl keep thread-local data and exit handlers that must outlive
 * the handle (LeakSanitizer, scanning thread-locals at exit, crashed on
 * an unloaded module's).
 */

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lihui/buf.h"
#include "lihui/log.h"
#include "lihui/module.h"
#include "lihui/xmalloc.h"

#ifndef LIHUI_MODULE_DIR
#define LIHUI_MODULE_DIR "/usr/local/lib/lihui"
#endif

#define MODULE_FILE "lihui-net.so"

struct module {
	void *handle;
	char *path;
};

/* The directory holding the executable, or NULL. */
static char *
module_exe_dir(void)
{
	char path[PATH_MAX];
	ssize_t n;
	char *slash;

	n = readlink("/proc/self/exe", path, sizeof path - 1);
	if (n <= 0 || (size_t)n >= sizeof path - 1)
		return NULL;
	path[n] = '\0';
	slash = strrchr(path, '/');
	if (slash == NULL)
		return NULL;
	*slash = '\0';
	return xstrdup(path[0] == '\0' ? "/" : path);
}

/* Try one path; on failure append why to tried. */
static void *
module_try(const char *path, struct buf *tried)
{
	void *handle;
	const char *err;

	if (access(path, F_OK) != 0) {
		buf_printf(tried, "\n  %s: %s", path, strerror(errno));
		return NULL;
	}
	handle = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
	if (handle == NULL) {
		err = dlerror();
		buf_printf(tried, "\n  %s: %s", path,
			   err != NULL ? err : "cannot load");
	}
	return handle;
}

struct module *
module_open(char **cause)
{
	struct module *m;
	struct buf tried;
	char *dir, *candidates[3];
	void *handle = NULL;
	size_t i, n = 0;

	dir = module_exe_dir();
	if (dir != NULL) {
		candidates[n++] = xasprintf("%s/%s", dir, MODULE_FILE);
		candidates[n++] =
		    xasprintf("%s/../lib/lihui/%s", dir, MODULE_FILE);
		free(dir);
	}
	candidates[n++] = xasprintf("%s/%s", LIHUI_MODULE_DIR, MODULE_FILE);

	buf_init(&tried, 4096);
	for (i = 0; i < n; i++) {
		handle = module_try(candidates[i], &tried);
		if (handle != NULL)
			break;
	}
	if (handle == NULL)
		set_cause(cause, "cannot load the network module %s:%s",
			  MODULE_FILE, buf_str(&tried));
	buf_release(&tried);
	m = NULL;
	if (handle != NULL) {
		m = xcalloc(1, sizeof *m);
		m->handle = handle;
		m->path = xstrdup(candidates[i]);
		log_debug("loaded %s", m->path);
	}
	for (i = 0; i < n; i++)
		free(candidates[i]);
	return m;
}

void *
module_symbol(struct module *m, const char *symbol, char **cause)
{
	void *p;

	dlerror();
	p = dlsym(m->handle, symbol);
	if (p == NULL)
		set_cause(cause, "%s has no symbol '%s'", m->path, symbol);
	return p;
}

void
module_close(struct module *m)
{
	if (m == NULL)
		return;
	dlclose(m->handle);
	free(m->path);
	free(m);
}
