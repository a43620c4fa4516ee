/* SPDX-License-Identifier: MIT */
/*
 * itest.c: the integration tests' harness for the real lihui daemon as
 * a child process (see itest.h for the whole picture).
 *
 * The output of a run is read from its file whenever a condition looks
 * at it, after each turn of the loop (the tick timer makes one at least
 * every ITEST_TICK_MS): simple, and cheap at the sizes a test produces
 * (capped at ITEST_LOG_MAX). A wait takes the next free waiter, so a
 * condition can wait in turn; a test failing inside a wait longjmps out
 * of it, which is why itest_release() resets the depth before it waits
 * for a killed daemon. The conditions the harness uses itself get the
 * daemon as their ctx, the test's get d->ctx.
 */

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "itest.h"
#include "lihui/http.h"
#include "lihui/xmalloc.h"

#define ITEST_TICK_MS 10
#define ITEST_MAX_ENV 512
#define ITEST_LOG_MAX (4 * 1024 * 1024)

extern char **environ;

/* The log. */

/* The whole of the current run's output (caller frees); "" if none. */
char *
itest_read_log(const struct itest_daemon *d)
{
	char *s = xmalloc(ITEST_LOG_MAX + 1);
	size_t n = 0;
	ssize_t r;
	int fd;

	s[0] = '\0';
	if (d->log == NULL || (fd = open(d->log, O_RDONLY)) < 0)
		return s;
	while (n < ITEST_LOG_MAX &&
	       (r = read(fd, s + n, ITEST_LOG_MAX - n)) > 0)
		n += (size_t)r;
	close(fd);
	s[n] = '\0';
	return s;
}

static size_t
count_in(const char *s, const char *needle)
{
	size_t n = 0;

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s += strlen(needle);
	}
	return n;
}

size_t
itest_log_count(const struct itest_daemon *d, const char *needle)
{
	char *s = itest_read_log(d);
	size_t n = count_in(s, needle);

	free(s);
	return n;
}

void
itest_dump_log(const struct itest_daemon *d)
{
	char *s = itest_read_log(d);

	fprintf(stderr, "--- lihui output (run %d, %s)\n%s--- end\n", d->runs,
		d->log != NULL ? d->log : "none", s);
	free(s);
}

void
itest_expect_log(const struct itest_daemon *d, const char *needle)
{
	if (itest_log_count(d, needle) == 0) {
		itest_dump_log(d);
		fail_msg("lihui did not log '%s'", needle);
	}
}

/* Waiting. */

static void
on_tick(uv_timer_t *h)
{
	(void)h; /* only wakes the loop up */
}

static void
on_deadline(uv_timer_t *h)
{
	struct itest_waiter *w = h->data;

	w->expired = 1;
}

/* Run the loop until cond(ctx, arg) holds or ms pass; 0 when it holds. */
static int
wait_on(struct itest_daemon *d, itest_cond_fn cond, void *ctx, const void *arg,
	uint64_t ms)
{
	struct itest_waiter *w;
	int ok;

	if (d->depth == ITEST_WAIT_DEPTH)
		fail_msg("waits nested too deep");
	w = &d->waiters[d->depth++];
	w->expired = 0;
	uv_timer_start(&w->tick, on_tick, ITEST_TICK_MS, ITEST_TICK_MS);
	uv_timer_start(&w->deadline, on_deadline, ms, 0);
	while (!(ok = cond(ctx, arg)) && !w->expired)
		uv_run(&d->loop, UV_RUN_ONCE);
	uv_timer_stop(&w->tick);
	uv_timer_stop(&w->deadline);
	d->depth--;
	return ok ? 0 : -1;
}

int
itest_wait(struct itest_daemon *d, itest_cond_fn cond, const void *arg,
	   uint64_t ms)
{
	return wait_on(d, cond, d->ctx, arg, ms);
}

int
itest_wait_scaled(struct itest_daemon *d, itest_cond_fn cond, const void *arg,
		  uint64_t ms)
{
	return wait_on(d, cond, d->ctx, arg, ms * (uint64_t)d->slow);
}

static int
cond_never(void *ctx, const void *arg)
{
	(void)ctx;
	(void)arg;
	return 0;
}

void
itest_settle(struct itest_daemon *d, uint64_t ms)
{
	wait_on(d, cond_never, d, NULL, ms);
}

/* A needle and how often the output must hold it. */
struct log_n {
	const char *needle;
	size_t n;
};

/* ctx: the daemon. */
static int
cond_log_n(void *ctx, const void *arg)
{
	const struct log_n *l = arg;

	return itest_log_count(ctx, l->needle) >= l->n;
}

int
itest_wait_log(struct itest_daemon *d, const char *needle, size_t n,
	       uint64_t ms)
{
	struct log_n l = { needle, n };

	return wait_on(d, cond_log_n, d, &l, ms * (uint64_t)d->slow);
}

uint64_t
itest_now_ms(struct itest_daemon *d)
{
	uv_update_time(&d->loop);
	return uv_now(&d->loop);
}

/* Set-up and tear-down. */

void
itest_prepare(void)
{
	/* A write to a daemon that just died must fail, not kill us. */
	signal(SIGPIPE, SIG_IGN);
	if (getenv("ITEST_FILTER") != NULL)
		cmocka_set_test_filter(getenv("ITEST_FILTER"));
}

void
itest_init(struct itest_daemon *d, void *ctx, const char *const *secrets)
{
	const char *slow = getenv("LIHUI_SLOW");
	char *cause = NULL;
	int i;

	memset(d, 0, sizeof *d);
	d->ctx = ctx;
	d->secrets = secrets;
	d->slow =
	    slow != NULL && *slow != '\0' && strcmp(slow, "0") != 0 ? 5 : 1;
	assert_int_equal(uv_loop_init(&d->loop), 0);
	for (i = 0; i < ITEST_WAIT_DEPTH; i++) {
		uv_timer_init(&d->loop, &d->waiters[i].tick);
		uv_timer_init(&d->loop, &d->waiters[i].deadline);
		d->waiters[i].deadline.data = &d->waiters[i];
	}
	d->clock = clock_system();
	d->http = http_client_new(&d->loop, &d->clock, &cause);
	if (d->http == NULL)
		fail_msg("cannot start an HTTP client: %s", cause);
	snprintf(d->dir, sizeof d->dir, "/tmp/lihui-itest-XXXXXX");
	assert_non_null(mkdtemp(d->dir));
}

/* Remove dir and the files in it (lihui makes no subdirectories). */
static void
remove_dir(const char *dir)
{
	DIR *dp = opendir(dir);
	struct dirent *e;
	char *path;

	if (dp == NULL)
		return;
	while ((e = readdir(dp)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		path = xasprintf("%s/%s", dir, e->d_name);
		unlink(path);
		free(path);
	}
	closedir(dp);
	rmdir(dir);
}

static void
on_proc_closed(uv_handle_t *h)
{
	struct itest_daemon *d = h->data;

	d->proc_open = 0;
}

/* ctx: the daemon. */
static int
cond_exited(void *ctx, const void *arg)
{
	const struct itest_daemon *d = ctx;

	(void)arg;
	return !d->running;
}

void
itest_release(struct itest_daemon *d)
{
	int i;

	d->depth = 0; /* a failed test may have left a wait */
	if (d->running) {
		uv_process_kill(&d->proc, SIGKILL);
		wait_on(d, cond_exited, d, NULL,
			ITEST_STOP_MS * (uint64_t)d->slow);
	}
	if (d->proc_open)
		uv_close((uv_handle_t *)&d->proc, on_proc_closed);
	http_client_close(d->http, NULL, NULL);
	for (i = 0; i < ITEST_WAIT_DEPTH; i++) {
		uv_close((uv_handle_t *)&d->waiters[i].tick, NULL);
		uv_close((uv_handle_t *)&d->waiters[i].deadline, NULL);
	}
	uv_run(&d->loop, UV_RUN_DEFAULT);
	http_client_free(d->http);
	d->http = NULL;
	assert_int_equal(uv_loop_close(&d->loop), 0);
	remove_dir(d->dir);
	free(d->log);
	d->log = NULL;
}

char *
itest_write_file(struct itest_daemon *d, const char *name, const char *fmt, ...)
{
	char *path = xasprintf("%s/%s", d->dir, name);
	va_list ap;
	FILE *f;
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		fail_msg("cannot create '%s'", path);
	f = fdopen(fd, "w");
	assert_non_null(f);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	assert_int_equal(fclose(f), 0);
	return path;
}

/* The daemon. */

static void
on_exit_cb(uv_process_t *p, int64_t status, int signal)
{
	struct itest_daemon *d = p->data;

	d->running = 0;
	d->exit_status = status;
	d->term_signal = signal;
}

/*
 * The environment for lihui: ours without LIHUI_* (the test's own
 * settings), then extra, then LIHUI_LOG=info unless extra sets it: the
 * tests wait for info lines. Free with env_free().
 */
static char **
daemon_env(const char *const *extra)
{
	size_t i, n = 0, n_extra = 0;
	int has_log = 0;
	char **env;

	while (extra != NULL && extra[n_extra] != NULL)
		n_extra++;
	env = xcalloc(ITEST_MAX_ENV + n_extra + 2, sizeof *env);
	for (i = 0; environ[i] != NULL && n < ITEST_MAX_ENV; i++)
		if (strncmp(environ[i], "LIHUI_", 6) != 0)
			env[n++] = xstrdup(environ[i]);
	for (i = 0; i < n_extra; i++) {
		if (strncmp(extra[i], "LIHUI_LOG=", 10) == 0)
			has_log = 1;
		env[n++] = xstrdup(extra[i]);
	}
	if (!has_log)
		env[n++] = xstrdup("LIHUI_LOG=info");
	env[n] = NULL;
	return env;
}

static void
env_free(char **env)
{
	size_t i;

	for (i = 0; env[i] != NULL; i++)
		free(env[i]);
	free(env);
}

/* Append ' ' and word, quoted for sh, to *cmd (freed and replaced). */
static void
append_word(char **cmd, const char *word)
{
	size_t len = strlen(*cmd), i, n = len + 4;
	char *out, *p;

	for (i = 0; word[i] != '\0'; i++)
		n += word[i] == '\'' ? 4 : 1;
	out = xmalloc(n);
	memcpy(out, *cmd, len);
	p = out + len;
	*p++ = ' ';
	*p++ = '\'';
	for (i = 0; word[i] != '\0'; i++) {
		if (word[i] == '\'') {
			/* Close the quote, an escaped quote, reopen. */
			memcpy(p, "'\\''", 4);
			p += 4;
		} else
			*p++ = word[i];
	}
	*p++ = '\'';
	*p = '\0';
	free(*cmd);
	*cmd = out;
}

void
itest_start(struct itest_daemon *d, const char *const *env,
	    const char *const *args)
{
	const char *lihui = getenv("LIHUI");
	uv_process_options_t o;
	uv_stdio_container_t stdio[3];
	char *argv[4], *cmd, **envp;
	size_t i;
	int fd, rc;

	assert_false(d->running);
	if (d->proc_open) {
		uv_close((uv_handle_t *)&d->proc, on_proc_closed);
		while (d->proc_open)
			uv_run(&d->loop, UV_RUN_ONCE);
	}
	assert_true(d->runs < ITEST_MAX_RUNS);
	d->runs++;
	d->port = 0;
	free(d->log);
	d->log = xasprintf("%s/out-%d", d->dir, d->runs);
	fd = open(d->log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	/* $LIHUI unquoted: it may be a command with its arguments. */
	cmd = xasprintf("exec %s",
			lihui != NULL && *lihui != '\0' ? lihui : "./lihui");
	for (i = 0; args != NULL && args[i] != NULL; i++)
		append_word(&cmd, args[i]);
	argv[0] = (char *)"/bin/sh";
	argv[1] = (char *)"-c";
	argv[2] = cmd;
	argv[3] = NULL;
	envp = daemon_env(env);
	memset(&o, 0, sizeof o);
	o.file = "/bin/sh";
	o.args = argv;
	o.env = envp;
	o.exit_cb = on_exit_cb;
	stdio[0].flags = UV_IGNORE;
	stdio[1].flags = UV_INHERIT_FD;
	stdio[1].data.fd = fd;
	stdio[2].flags = UV_INHERIT_FD;
	stdio[2].data.fd = fd;
	o.stdio = stdio;
	o.stdio_count = 3;
	d->proc.data = d;
	rc = uv_spawn(&d->loop, &d->proc, &o);
	close(fd);
	env_free(envp);
	free(cmd);
	if (rc != 0)
		fail_msg("cannot start lihui: %s", uv_strerror(rc));
	d->running = 1;
	d->proc_open = 1;
}

/* ctx: the daemon. */
static int
cond_listening(void *ctx, const void *arg)
{
	const struct itest_daemon *d = ctx;

	(void)arg;
	return !d->running || itest_log_count(d, ITEST_LISTENING) > 0;
}

int
itest_wait_listening(struct itest_daemon *d)
{
	char *s, *p;

	if (wait_on(d, cond_listening, d, NULL,
		    ITEST_START_MS * (uint64_t)d->slow) != 0 ||
	    !d->running) {
		itest_dump_log(d);
		fail_msg("lihui did not start listening");
	}
	s = itest_read_log(d);
	p = strstr(s, ITEST_LISTENING);
	assert_non_null(p);
	d->port = (int)strtol(p + strlen(ITEST_LISTENING), NULL, 10);
	free(s);
	assert_true(d->port > 0 && d->port < 65536);
	return d->port;
}

void
itest_signal(struct itest_daemon *d, int signum)
{
	assert_true(d->running);
	assert_int_equal(uv_process_kill(&d->proc, signum), 0);
}

void
itest_check_no_secrets(const struct itest_daemon *d, const char *const *secrets)
{
	char *s = itest_read_log(d);
	size_t i;

	for (i = 0; secrets != NULL && secrets[i] != NULL; i++) {
		if (strstr(s, secrets[i]) != NULL) {
			free(s);
			itest_dump_log(d);
			fail_msg("lihui wrote a secret (%zu) in its output", i);
		}
	}
	free(s);
}

void
itest_wait_exit(struct itest_daemon *d, int signum)
{
	if (wait_on(d, cond_exited, d, NULL,
		    ITEST_STOP_MS * (uint64_t)d->slow) != 0) {
		itest_dump_log(d);
		fail_msg("timed out waiting for lihui to exit");
	}
	if (signum != 0)
		assert_int_equal(d->term_signal, signum);
	else if (d->exit_status != 0 || d->term_signal != 0) {
		itest_dump_log(d);
		fail_msg("lihui exited with status %lld, signal %d",
			 (long long)d->exit_status, d->term_signal);
	}
	itest_check_no_secrets(d, d->secrets);
}

void
itest_stop(struct itest_daemon *d)
{
	itest_signal(d, SIGTERM);
	itest_wait_exit(d, 0);
}

void
itest_kill(struct itest_daemon *d)
{
	itest_signal(d, SIGKILL);
	itest_wait_exit(d, SIGKILL);
}

/* HTTP requests to lihui. */

static void
on_call_done(void *arg, const struct http_response *resp)
{
	struct itest_call *c = arg;

	c->status = resp->status;
	c->body = xstrdup(resp->status != 0	? resp->body
			  : resp->error != NULL ? resp->error
						: "?");
	c->elapsed_ms = (uv_hrtime() - c->start_ns) / 1000000;
	c->done = 1;
}

void
itest_call_release(struct itest_call *c)
{
	free(c->body);
	memset(c, 0, sizeof *c);
}

void
itest_call_start(struct itest_daemon *d, struct itest_call *c,
		 const char *method, const char *path, const char *body,
		 const char *const *headers)
{
	struct http_request req;
	char *url = xasprintf("http://127.0.0.1:%d%s", d->port, path);
	char *cause = NULL;
	const char **all;
	size_t i, n = 0, n_headers = 0;

	while (headers != NULL && headers[n_headers] != NULL)
		n_headers++;
	all = xcalloc(n_headers + 3, sizeof *all);
	all[n++] = "Accept: application/json";
	if (body != NULL)
		all[n++] = "Content-Type: application/x-www-form-urlencoded";
	for (i = 0; i < n_headers; i++)
		all[n++] = headers[i];
	all[n] = NULL;
	memset(c, 0, sizeof *c);
	memset(&req, 0, sizeof req);
	req.method = method;
	req.url = url;
	req.headers = all;
	req.body = body;
	req.body_len = body != NULL ? strlen(body) : 0;
	req.timeout_ms = 30000;
	c->start_ns = uv_hrtime();
	if (http_request_start(d->http, &req, on_call_done, c, &cause) != 0)
		fail_msg("cannot start %s %s: %s", method, path, cause);
	free(all);
	free(url);
}

/* ctx: unused; arg: the call. */
static int
cond_call(void *ctx, const void *arg)
{
	const struct itest_call *c = arg;

	(void)ctx;
	return c->done;
}

void
itest_call_wait(struct itest_daemon *d, struct itest_call *c)
{
	if (wait_on(d, cond_call, d, c, ITEST_WAIT_MS * (uint64_t)d->slow) !=
	    0) {
		itest_dump_log(d);
		fail_msg("timed out waiting for lihui to answer an HTTP "
			 "request");
	}
}

void
itest_form_add(char **form, const char *key, const char *value)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t len = strlen(*form);
	size_t cap = len + strlen(key) + 3 * strlen(value) + 3;
	char *out = xmalloc(cap), *p;
	unsigned char ch;

	memcpy(out, *form, len);
	p = out + len;
	if (len > 0)
		*p++ = '&';
	memcpy(p, key, strlen(key));
	p += strlen(key);
	*p++ = '=';
	for (; *value != '\0'; value++) {
		ch = (unsigned char)*value;
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' ||
		    ch == '.' || ch == '~') {
			*p++ = (char)ch;
		} else if (ch == ' ') {
			*p++ = '+';
		} else {
			*p++ = '%';
			*p++ = hex[ch >> 4];
			*p++ = hex[ch & 15];
		}
	}
	*p = '\0';
	free(*form);
	*form = out;
}
