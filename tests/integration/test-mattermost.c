/* SPDX-License-Identifier: MIT */
/*
 * test-mattermost.c: the real lihui daemon against the fake Mattermost
 * server (tests/lib/fake-mm.c), end to end over real sockets.
 *
 * Each test runs the fake on this process's libuv loop and starts lihui
 * as a child ($LIHUI, default ./lihui; it may be a wrapper such as
 * "valgrind ... ./lihui") through /bin/sh -c 'exec ...', so that the pid
 * is the daemon's. lihui gets a fresh mode-0600 config and database in a
 * mkdtemp() directory, the bot token in LIHUI_MATTERMOST_TOKEN and
 * LIHUI_LOG=info; its stdout and stderr go to a file the test reads to
 * learn the slash-command port and to wait for log lines. Slash commands
 * and /healthz are sent with lihui's own HTTP client on the same loop, so
 * the fake keeps answering meanwhile.
 *
 * Every wait is on a condition with a deadline (a short tick timer wakes
 * the loop to look at the log); deadlines are five times longer when
 * LIHUI_SLOW is set (valgrind). Every test ends with SIGTERM and checks
 * that lihui exits with status 0 (valgrind reports leaks through the exit
 * status) and that no token appears in its output. ITEST_FILTER (a glob)
 * runs only the tests it names.
 *
 * Covered: start-up (users/me and the WebSocket with the bearer token,
 * /healthz, a server down at first), slash commands (POST, GET, header
 * token) and their ephemeral answers, bad tokens, the DM fallback when
 * ephemeral posts are forbidden, direct messages and mentions over the
 * WebSocket, ignored own and bot posts, a dropped WebSocket resumed
 * without losing or repeating events (also with nothing to replay), a gap
 * in seq, a server restart, a resync after a restart that looks up a
 * user lihui never heard of (and copes when the lookup fails), the
 * pieces of a long reply in order, 429 with Retry-After, 5xx with
 * backoff, a slow REST endpoint not delaying other answers, SIGKILL with
 * posts in flight (the retry carries the same pending_post_id) or never
 * delivered, SIGTERM waiting for a post in flight, 4xx not retried, and
 * action owners looked up by username (unknown ones refused; a lookup
 * that hangs holds a slash command's answer only until the deadline).
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>
#include <uv.h>

#include "fake-mm.h"
#include "lihui/clock.h"
#include "lihui/http.h"
#include "lihui/xmalloc.h"

#define BOT_TOKEN      "itest-bot-token-s3cr3t-b0t"
#define TOKEN_REPORT   "itestreporttoken0000000001"
#define TOKEN_AGENDA   "itestagendatoken0000000002"
#define TOKEN_LIHUI    "itestlihuitoken00000000003"
#define TOKEN_MEETING  "itestmeetingtoken000000004"
#define OTHER_BOT_ID   "otherbot00000000000000000b"
#define OTHER_BOT_NAME "otherbot"

/* Deadlines before scaling by LIHUI_SLOW, in milliseconds. */
#define START_MS   10000
#define WAIT_MS	   5000
#define STOP_MS	   15000
#define TICK_MS	   10
#define POLL_MS	   50
#define MAX_ENV	   512
#define WAIT_DEPTH 4
#define MAX_RUNS   4
#define LOG_MAX	   (4 * 1024 * 1024)
#define LISTENING  "listening for slash commands on 127.0.0.1:"
#define CONNECTED  "websocket: connected"
#define POSTS	   "/api/v4/posts"
#define EPHEMERALS "/api/v4/posts/ephemeral"

extern char **environ;

/* The timers of one wait. */
struct waiter {
	uv_timer_t tick; /* wakes the loop to look at the log */
	uv_timer_t deadline;
	int expired;
};

/* A user lihui never hears of before a resync. */
#define DAVE_ID "dave00000000000000000000du"

/* Another channel (any 26-character id is a channel to the fake). */
#define SECOND_CHANNEL_ID "sec00000000000000000000och"

struct itest {
	uv_loop_t loop;
	struct clock clock;
	struct fake_mm *mm;
	struct http_client *http;
	int http_closed;
	int slow; /* deadline factor */
	char dir[64];
	char *conf;

	/* The daemon. */
	uv_process_t proc;
	int running;
	int proc_open;
	int64_t exit_status;
	int term_signal;
	int runs;
	char *log; /* the current run's output */
	int port;

	/* Who sends the slash commands, and where (default alice in ops). */
	const char *as_user_id, *as_user_name;
	const char *in_channel_id, *in_channel_name;

	struct waiter waiters[WAIT_DEPTH];
	int depth; /* waiters in use */
};

/* One HTTP call to lihui (slash command or /healthz). */
struct call {
	int done;
	long status;
	char *body;
	uint64_t start_ns;
	uint64_t elapsed_ms;
};

typedef int (*cond_fn)(struct itest *, const void *);

/* Helpers: the directory, the log, waiting. */

static void
remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char *path;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		path = xasprintf("%s/%s", dir, e->d_name);
		unlink(path);
		free(path);
	}
	closedir(d);
	rmdir(dir);
}

/* The whole of the current run's output (caller frees); "" if none. */
static char *
read_log(const struct itest *t)
{
	char *s = xmalloc(LOG_MAX + 1);
	size_t n = 0;
	ssize_t r;
	int fd;

	s[0] = '\0';
	if (t->log == NULL || (fd = open(t->log, O_RDONLY)) < 0)
		return s;
	while (n < LOG_MAX && (r = read(fd, s + n, LOG_MAX - n)) > 0)
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

static size_t
log_count(const struct itest *t, const char *needle)
{
	char *s = read_log(t);
	size_t n = count_in(s, needle);

	free(s);
	return n;
}

static void
dump_log(const struct itest *t)
{
	char *s = read_log(t);

	fprintf(stderr, "--- lihui output (run %d, %s)\n%s--- end\n", t->runs,
		t->log != NULL ? t->log : "none", s);
	free(s);
}

/* Fail unless lihui's output holds needle. */
static void
expect_log(const struct itest *t, const char *needle)
{
	if (log_count(t, needle) == 0) {
		dump_log(t);
		fail_msg("lihui did not log '%s'", needle);
	}
}

static void
on_tick(uv_timer_t *h)
{
	(void)h; /* only wakes the loop up */
}

static void
on_deadline(uv_timer_t *h)
{
	struct waiter *w = h->data;

	w->expired = 1;
}

/*
 * Run the loop until cond holds or ms pass; 0 when it holds. Waits nest
 * (a condition may itself wait for an HTTP answer), each on its own
 * timers.
 */
static int
wait_ms(struct itest *t, cond_fn cond, const void *arg, uint64_t ms)
{
	struct waiter *w;
	int ok;

	if (t->depth == WAIT_DEPTH)
		fail_msg("waits nested too deep");
	w = &t->waiters[t->depth++];
	w->expired = 0;
	uv_timer_start(&w->tick, on_tick, TICK_MS, TICK_MS);
	uv_timer_start(&w->deadline, on_deadline, ms, 0);
	while (!(ok = cond(t, arg)) && !w->expired)
		uv_run(&t->loop, UV_RUN_ONCE);
	uv_timer_stop(&w->tick);
	uv_timer_stop(&w->deadline);
	t->depth--;
	return ok ? 0 : -1;
}

/* Wait for cond, ms scaled by LIHUI_SLOW. */
static int
wait_for(struct itest *t, cond_fn cond, const void *arg, uint64_t ms)
{
	return wait_ms(t, cond, arg, ms * (uint64_t)t->slow);
}

/* Wait or fail the test, showing what lihui said. */
#define WAIT(t, cond, arg, ms, what)                                           \
	do {                                                                   \
		if (wait_for((t), (cond), (arg), (ms)) != 0) {                 \
			dump_log(t);                                           \
			fail_msg("timed out waiting for %s", (what));          \
		}                                                              \
	} while (0)

static int
cond_never(struct itest *t, const void *arg)
{
	(void)t;
	(void)arg;
	return 0;
}

/* Let the loop run for ms (unscaled): for checking that nothing happens. */
static void
settle(struct itest *t, uint64_t ms)
{
	wait_ms(t, cond_never, NULL, ms);
}

static int
cond_log(struct itest *t, const void *needle)
{
	return log_count(t, needle) > 0;
}

struct log_n {
	const char *needle;
	size_t n;
};

static int
cond_log_n(struct itest *t, const void *arg)
{
	const struct log_n *l = arg;

	return log_count(t, l->needle) >= l->n;
}

static int
cond_exited(struct itest *t, const void *arg)
{
	(void)arg;
	return !t->running;
}

static int
cond_ws_up(struct itest *t, const void *arg)
{
	(void)arg;
	return fake_mm_ws_authenticated(t->mm) && log_count(t, CONNECTED) > 0;
}

static int
cond_ws_closed(struct itest *t, const void *arg)
{
	(void)arg;
	return fake_mm_ws_open(t->mm) == 0;
}

static int
cond_ephemerals(struct itest *t, const void *n)
{
	return fake_mm_ephemeral_count(t->mm) >= *(const size_t *)n;
}

static int
cond_posts(struct itest *t, const void *n)
{
	return fake_mm_post_count(t->mm) >= *(const size_t *)n;
}

/*
 * At least n posts got a reaction. Distinct posts, not reactions: after
 * a SIGKILL a reaction whose answer was lost is sent again (harmless on
 * Mattermost, where a repeated reaction changes nothing).
 */
static int
cond_reactions(struct itest *t, const void *n)
{
	size_t i, k, distinct = 0;

	for (i = 0; i < fake_mm_reaction_count(t->mm); i++) {
		for (k = 0; k < i; k++)
			if (strcmp(fake_mm_reaction_at(t->mm, i)->post_id,
				   fake_mm_reaction_at(t->mm, k)->post_id) == 0)
				break;
		if (k == i)
			distinct++;
	}
	return distinct >= *(const size_t *)n;
}

static int
cond_resumes(struct itest *t, const void *n)
{
	return fake_mm_ws_resumes(t->mm) >= *(const int *)n;
}

/* Requests matching method and pattern that got an answer. */
struct answered {
	const char *method;
	const char *pattern;
	size_t n;   /* at least this many */
	int status; /* with this status; 0: any */
};

static size_t
count_answered(const struct itest *t, const struct answered *a)
{
	const struct fake_mm_request *r;
	size_t i, n = 0, len = strlen(a->pattern);

	for (i = 0; i < fake_mm_request_count(t->mm); i++) {
		r = fake_mm_request_at(t->mm, i);
		if (strcmp(r->method, a->method) != 0 ||
		    strncmp(r->path, a->pattern, len) != 0 ||
		    r->path[len] != '\0' || r->status == 0)
			continue;
		if (a->status == 0 || r->status == a->status)
			n++;
	}
	return n;
}

static int
cond_answered(struct itest *t, const void *arg)
{
	const struct answered *a = arg;

	return count_answered(t, a) >= a->n;
}

/* The ephemerals whose text holds needle. */
static size_t
ephemerals_with(const struct itest *t, const char *needle)
{
	size_t i, n = 0;

	for (i = 0; i < fake_mm_ephemeral_count(t->mm); i++)
		if (strstr(fake_mm_ephemeral_at(t->mm, i)->message, needle) !=
		    NULL)
			n++;
	return n;
}

struct with {
	const char *needle;
	size_t n;
};

static int
cond_ephemeral_with(struct itest *t, const void *arg)
{
	const struct with *w = arg;

	return ephemerals_with(t, w->needle) >= w->n;
}

/* Set-up and tear-down. */

static void
write_config(struct itest *t, const char *url)
{
	FILE *f;
	int fd;

	t->conf = xasprintf("%s/lihui.conf", t->dir);
	fd = open(t->conf, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fprintf(f,
		"[lihui]\n"
		"adapter = mattermost\n"
		"database = %s/lihui.db\n"
		"[mattermost]\n"
		"url = %s\n"
		"listen = 127.0.0.1:0\n"
		"command_token = report:%s,agenda:%s,lihui:%s,meeting:%s\n",
		t->dir, url, TOKEN_REPORT, TOKEN_AGENDA, TOKEN_LIHUI,
		TOKEN_MEETING);
	assert_int_equal(fclose(f), 0);
}

static int
setup(void **state)
{
	struct itest *t = xcalloc(1, sizeof *t);
	const char *slow = getenv("LIHUI_SLOW");
	char *cause = NULL, *url;
	int i;

	t->slow =
	    slow != NULL && *slow != '\0' && strcmp(slow, "0") != 0 ? 5 : 1;
	assert_int_equal(uv_loop_init(&t->loop), 0);
	for (i = 0; i < WAIT_DEPTH; i++) {
		uv_timer_init(&t->loop, &t->waiters[i].tick);
		uv_timer_init(&t->loop, &t->waiters[i].deadline);
		t->waiters[i].deadline.data = &t->waiters[i];
	}
	t->clock = clock_system();
	t->http = http_client_new(&t->loop, &t->clock, &cause);
	assert_non_null(t->http);
	t->mm = fake_mm_new(&t->loop, BOT_TOKEN, &cause);
	if (t->mm == NULL)
		fail_msg("cannot start the fake server: %s", cause);
	fake_mm_add_user(t->mm, OTHER_BOT_ID, OTHER_BOT_NAME);
	snprintf(t->dir, sizeof t->dir, "/tmp/lihui-itest-XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	url = fake_mm_url(t->mm, "");
	write_config(t, url);
	free(url);
	*state = t;
	return 0;
}

static void
on_proc_closed(uv_handle_t *h)
{
	struct itest *t = h->data;

	t->proc_open = 0;
}

static void
on_http_closed(void *arg)
{
	struct itest *t = arg;

	t->http_closed = 1;
}

static int
teardown(void **state)
{
	struct itest *t = *state;
	int i;

	t->depth = 0; /* a failed test may have left a wait */
	if (t->running) {
		uv_process_kill(&t->proc, SIGKILL);
		wait_for(t, cond_exited, NULL, STOP_MS);
	}
	if (t->proc_open)
		uv_close((uv_handle_t *)&t->proc, on_proc_closed);
	http_client_close(t->http, on_http_closed, t);
	fake_mm_close(t->mm);
	for (i = 0; i < WAIT_DEPTH; i++) {
		uv_close((uv_handle_t *)&t->waiters[i].tick, NULL);
		uv_close((uv_handle_t *)&t->waiters[i].deadline, NULL);
	}
	uv_run(&t->loop, UV_RUN_DEFAULT);
	http_client_free(t->http);
	assert_int_equal(uv_loop_close(&t->loop), 0);
	remove_dir(t->dir);
	free(t->conf);
	free(t->log);
	free(t);
	return 0;
}

/* The daemon. */

static void
on_exit_cb(uv_process_t *p, int64_t status, int signal)
{
	struct itest *t = p->data;

	t->running = 0;
	t->exit_status = status;
	t->term_signal = signal;
}

/* The environment for lihui: ours without LIHUI_*, plus its settings. */
static char **
daemon_env(void)
{
	char **env = xcalloc(MAX_ENV + 4, sizeof *env);
	size_t i, n = 0;

	for (i = 0; environ[i] != NULL && n < MAX_ENV; i++)
		if (strncmp(environ[i], "LIHUI_", 6) != 0)
			env[n++] = xstrdup(environ[i]);
	env[n++] = xstrdup("LIHUI_LOG=info");
	env[n++] = xstrdup("LIHUI_MATTERMOST_TOKEN=" BOT_TOKEN);
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

static int
cond_listening(struct itest *t, const void *arg)
{
	(void)arg;
	return !t->running || log_count(t, LISTENING) > 0;
}

/* Start lihui on the test's config and database; learn its port. */
static void
daemon_start(struct itest *t)
{
	const char *lihui = getenv("LIHUI");
	uv_process_options_t o;
	uv_stdio_container_t stdio[3];
	char *args[4], *cmd, **env, *s, *p;
	int fd, rc;

	assert_false(t->running);
	if (t->proc_open) {
		uv_close((uv_handle_t *)&t->proc, on_proc_closed);
		while (t->proc_open)
			uv_run(&t->loop, UV_RUN_ONCE);
	}
	assert_true(t->runs < MAX_RUNS);
	t->runs++;
	free(t->log);
	t->log = xasprintf("%s/out-%d", t->dir, t->runs);
	fd = open(t->log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	cmd = xasprintf("exec %s --config %s",
			lihui != NULL && *lihui != '\0' ? lihui : "./lihui",
			t->conf);
	args[0] = (char *)"/bin/sh";
	args[1] = (char *)"-c";
	args[2] = cmd;
	args[3] = NULL;
	env = daemon_env();
	memset(&o, 0, sizeof o);
	o.file = "/bin/sh";
	o.args = args;
	o.env = env;
	o.exit_cb = on_exit_cb;
	stdio[0].flags = UV_IGNORE;
	stdio[1].flags = UV_INHERIT_FD;
	stdio[1].data.fd = fd;
	stdio[2].flags = UV_INHERIT_FD;
	stdio[2].data.fd = fd;
	o.stdio = stdio;
	o.stdio_count = 3;
	t->proc.data = t;
	rc = uv_spawn(&t->loop, &t->proc, &o);
	close(fd);
	env_free(env);
	free(cmd);
	if (rc != 0)
		fail_msg("cannot start lihui: %s", uv_strerror(rc));
	t->running = 1;
	t->proc_open = 1;
	if (wait_for(t, cond_listening, NULL, START_MS) != 0 || !t->running) {
		dump_log(t);
		fail_msg("lihui did not start listening");
	}
	s = read_log(t);
	p = strstr(s, LISTENING);
	assert_non_null(p);
	t->port = (int)strtol(p + strlen(LISTENING), NULL, 10);
	free(s);
	assert_true(t->port > 0 && t->port < 65536);
}

/* Start lihui and wait until its WebSocket is up. */
static void
daemon_start_connected(struct itest *t)
{
	daemon_start(t);
	WAIT(t, cond_ws_up, NULL, START_MS, "the websocket to log in");
}

/* No secret in what lihui wrote. */
static void
check_no_secrets(const struct itest *t)
{
	static const char *const secrets[] = { BOT_TOKEN, TOKEN_REPORT,
					       TOKEN_AGENDA, TOKEN_LIHUI,
					       TOKEN_MEETING };
	char *s = read_log(t);
	size_t i;

	for (i = 0; i < sizeof secrets / sizeof secrets[0]; i++) {
		if (strstr(s, secrets[i]) != NULL) {
			free(s);
			dump_log(t);
			fail_msg("lihui wrote a token (%zu) in its output", i);
		}
	}
	free(s);
}

/* SIGTERM; lihui must exit with status 0. */
static void
daemon_stop(struct itest *t)
{
	assert_true(t->running);
	assert_int_equal(uv_process_kill(&t->proc, SIGTERM), 0);
	WAIT(t, cond_exited, NULL, STOP_MS, "lihui to exit after SIGTERM");
	if (t->exit_status != 0 || t->term_signal != 0) {
		dump_log(t);
		fail_msg("lihui exited with status %lld, signal %d",
			 (long long)t->exit_status, t->term_signal);
	}
	check_no_secrets(t);
}

/* SIGKILL: no chance to finish anything. */
static void
daemon_kill(struct itest *t)
{
	assert_true(t->running);
	assert_int_equal(uv_process_kill(&t->proc, SIGKILL), 0);
	WAIT(t, cond_exited, NULL, STOP_MS, "lihui to die of SIGKILL");
	assert_int_equal(t->term_signal, SIGKILL);
	check_no_secrets(t);
}

/* HTTP calls to lihui. */

static void
on_call_done(void *arg, const struct http_response *resp)
{
	struct call *c = arg;

	c->status = resp->status;
	c->body = xstrdup(resp->status != 0	? resp->body
			  : resp->error != NULL ? resp->error
						: "?");
	c->elapsed_ms = (uv_hrtime() - c->start_ns) / 1000000;
	c->done = 1;
}

static void
call_release(struct call *c)
{
	free(c->body);
	memset(c, 0, sizeof *c);
}

static int
cond_call(struct itest *t, const void *arg)
{
	const struct call *c = arg;

	(void)t;
	return c->done;
}

/* Start method path with body (a form, or NULL) and one extra header. */
static void
call_start_ex(struct itest *t, struct call *c, const char *method,
	      const char *path, const char *body, const char *extra)
{
	const char *headers[4];
	struct http_request req;
	char *url = xasprintf("http://127.0.0.1:%d%s", t->port, path);
	char *cause = NULL;
	size_t n = 0;

	headers[n++] = "Accept: application/json";
	if (body != NULL)
		headers[n++] =
		    "Content-Type: application/x-www-form-urlencoded";
	if (extra != NULL)
		headers[n++] = extra;
	headers[n] = NULL;
	memset(c, 0, sizeof *c);
	memset(&req, 0, sizeof req);
	req.method = method;
	req.url = url;
	req.headers = headers;
	req.body = body;
	req.body_len = body != NULL ? strlen(body) : 0;
	req.timeout_ms = 30000;
	c->start_ns = uv_hrtime();
	if (http_request_start(t->http, &req, on_call_done, c, &cause) != 0)
		fail_msg("cannot start %s %s: %s", method, path, cause);
	free(url);
}

static void
call_start(struct itest *t, struct call *c, const char *method,
	   const char *path, const char *body)
{
	call_start_ex(t, c, method, path, body, NULL);
}

static void
call_wait(struct itest *t, struct call *c)
{
	WAIT(t, cond_call, c, WAIT_MS, "lihui to answer an HTTP request");
}

/* Append s to b form-encoded. */
static void
form_add(char **b, const char *key, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t len = strlen(*b), cap = len + strlen(key) + 3 * strlen(s) + 3;
	char *out = xmalloc(cap), *p;
	unsigned char ch;

	memcpy(out, *b, len);
	p = out + len;
	if (len > 0)
		*p++ = '&';
	memcpy(p, key, strlen(key));
	p += strlen(key);
	*p++ = '=';
	for (; *s != '\0'; s++) {
		ch = (unsigned char)*s;
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
	free(*b);
	*b = out;
}

/*
 * The form of the slash command /trigger text by alice in ops, as
 * Mattermost sends it (token NULL: none). Caller frees.
 */
static char *
slash_form(const struct itest *t, const char *token, const char *trigger,
	   const char *text)
{
	char *body = xstrdup(""), *command = xasprintf("/%s", trigger);

	form_add(&body, "channel_id",
		 t->in_channel_id != NULL ? t->in_channel_id
					  : FAKE_MM_CHANNEL_ID);
	form_add(&body, "channel_name",
		 t->in_channel_name != NULL ? t->in_channel_name
					    : FAKE_MM_CHANNEL_NAME);
	form_add(&body, "command", command);
	form_add(&body, "response_url",
		 "http://127.0.0.1:1/hooks/commands/"
		 "xbrkb8p393gjpq5cawei7npije");
	form_add(&body, "team_domain", FAKE_MM_TEAM_NAME);
	form_add(&body, "team_id", FAKE_MM_TEAM_ID);
	form_add(&body, "text", text);
	if (token != NULL)
		form_add(&body, "token", token);
	form_add(&body, "trigger_id", "dHJpZ2dlcg");
	form_add(&body, "user_id",
		 t->as_user_id != NULL ? t->as_user_id : FAKE_MM_ALICE_ID);
	form_add(&body, "user_name",
		 t->as_user_name != NULL ? t->as_user_name : "alice");
	free(command);
	return body;
}

/* Start the slash command /trigger text (a POST, like Mattermost's). */
static void
slash_start(struct itest *t, struct call *c, const char *token,
	    const char *trigger, const char *text)
{
	char *body = slash_form(t, token, trigger, text);

	call_start(t, c, "POST", "/command", body);
	free(body);
}

/* Send a slash command; lihui must answer 200 "{}" at once. */
static void
slash(struct itest *t, const char *token, const char *trigger, const char *text)
{
	struct call c;

	slash_start(t, &c, token, trigger, text);
	call_wait(t, &c);
	if (c.status != 200) {
		dump_log(t);
		fail_msg("/%s %s answered %ld: %s", trigger, text, c.status,
			 c.body);
	}
	assert_string_equal(c.body, "{}");
	call_release(&c);
}

/* GET /healthz: the status; *backlog from the body. */
static long
healthz(struct itest *t, int *connected, long long *backlog)
{
	struct call c;
	struct json_object *o, *v;
	long status;

	call_start(t, &c, "GET", "/healthz", NULL);
	call_wait(t, &c);
	status = c.status;
	o = json_tokener_parse(c.body);
	if (o == NULL || !json_object_object_get_ex(o, "websocket", &v)) {
		dump_log(t);
		fail_msg("/healthz answered %ld: %s", c.status, c.body);
	}
	*connected = strcmp(json_object_get_string(v), "connected") == 0;
	if (!json_object_object_get_ex(o, "outbox_backlog", &v))
		fail_msg("/healthz answered %ld: %s", c.status, c.body);
	*backlog = json_object_get_int64(v);
	json_object_put(o);
	call_release(&c);
	return status;
}

/*
 * Wait until every queued message left the outbox, asking /healthz every
 * POLL_MS.
 */
static void
wait_no_backlog_ms(struct itest *t, uint64_t ms)
{
	uint64_t deadline = uv_now(&t->loop) + ms * (uint64_t)t->slow;
	long long backlog = -1;
	long status = 0;
	int connected;

	for (;;) {
		status = healthz(t, &connected, &backlog);
		if (status == 200 && backlog == 0)
			return;
		if (uv_now(&t->loop) >= deadline)
			break;
		settle(t, POLL_MS);
	}
	dump_log(t);
	fail_msg("timed out waiting for the outbox to drain (/healthz %ld, "
		 "backlog %lld)",
		 status, backlog);
}

static void
wait_no_backlog(struct itest *t)
{
	wait_no_backlog_ms(t, WAIT_MS);
}

/* The outbox backlog /healthz reports. */
static long long
backlog_now(struct itest *t)
{
	long long backlog;
	int connected;

	assert_int_equal(healthz(t, &connected, &backlog), 200);
	return backlog;
}

/* Push a "posted" event by a bot (props.from_bot), like a webhook's. */
static void
push_bot_post(struct itest *t, const char *channel_id, const char *user_id,
	      const char *message, const char *type)
{
	char *data =
	    fake_mm_posted_data(t->mm, channel_id, user_id, message, type);
	struct json_object *d = json_tokener_parse(data), *post, *v, *props;

	assert_non_null(d);
	assert_true(json_object_object_get_ex(d, "post", &v));
	post = json_tokener_parse(json_object_get_string(v));
	assert_non_null(post);
	props = json_object_new_object();
	json_object_object_add(props, "from_bot",
			       json_object_new_string("true"));
	json_object_object_add(post, "props", props);
	json_object_object_add(
	    d, "post",
	    json_object_new_string(
		json_object_to_json_string_ext(post, JSON_C_TO_STRING_PLAIN)));
	fake_mm_ws_push(
	    t->mm, "posted",
	    json_object_to_json_string_ext(d, JSON_C_TO_STRING_PLAIN), NULL);
	json_object_put(post);
	json_object_put(d);
	free(data);
}

/* The DM channel of alice and the bot. */
static void
alice_dm(char out[27])
{
	fake_mm_direct_id(FAKE_MM_BOT_ID, FAKE_MM_ALICE_ID, out);
}

/* Queue an agenda topic and post the agenda: one channel post. */
static void
agenda_post(struct itest *t, const char *topic)
{
	char *text = xasprintf("add %s", topic);

	slash(t, TOKEN_AGENDA, "agenda", text);
	slash(t, TOKEN_AGENDA, "agenda", "post");
	free(text);
}

/* The tests. */

static int
cond_healthy(struct itest *t, const void *arg)
{
	long long backlog;
	int connected;

	(void)arg;
	return healthz(t, &connected, &backlog) == 200 && connected;
}

/* users/me and the WebSocket with the bearer token; /healthz. */
static void
test_startup(void **state)
{
	struct itest *t = *state;
	const struct fake_mm_request *r;
	long long backlog;
	int connected;
	char *want = xasprintf("Bearer %s", BOT_TOKEN);

	daemon_start_connected(t);
	r = fake_mm_last(t->mm, "GET", "/api/v4/users/me");
	assert_non_null(r);
	assert_int_equal(r->status, 200);
	assert_non_null(fake_mm_header(r, "Authorization"));
	assert_string_equal(fake_mm_header(r, "Authorization"), want);
	r = fake_mm_last(t->mm, "GET", "/api/v4/websocket");
	assert_non_null(r);
	assert_int_equal(r->status, 101);
	assert_non_null(fake_mm_header(r, "Authorization"));
	assert_string_equal(fake_mm_header(r, "Authorization"), want);
	/* A fresh connection: no resume asked. */
	assert_null(strstr(r->target, "connection_id"));
	assert_int_equal(fake_mm_ws_connections(t->mm), 1);
	assert_int_equal(fake_mm_ws_resumes(t->mm), 0);
	assert_non_null(fake_mm_ws_connection_id(t->mm));
	expect_log(t, "connected to http://127.0.0.1:");
	assert_int_equal(healthz(t, &connected, &backlog), 200);
	assert_true(connected);
	assert_int_equal(backlog, 0);
	free(want);
	daemon_stop(t);
	/* Nothing was posted by merely starting. */
	assert_int_equal(fake_mm_post_count(t->mm), 0);
	assert_int_equal(fake_mm_ephemeral_count(t->mm), 0);
}

/*
 * The server does not answer users/me at first: lihui keeps running,
 * /healthz says disconnected, and it connects once the server is back.
 */
static void
test_startup_server_down(void **state)
{
	struct itest *t = *state;
	struct answered failed = { "GET", "/api/v4/users/me", 2, 503 };
	long long backlog;
	int connected;

	fake_mm_fail(t->mm, "GET", "/api/v4/users/me", FAKE_MM_ALWAYS, 503, -1);
	daemon_start(t);
	WAIT(t, cond_answered, &failed, 2 * WAIT_MS, "two users/me attempts");
	expect_log(t, "asking the server who the bot is again in 1 s");
	assert_int_equal(healthz(t, &connected, &backlog), 503);
	assert_false(connected);
	assert_int_equal(fake_mm_count(t->mm, "GET", "/api/v4/websocket"), 0);
	fake_mm_unscript(t->mm);
	WAIT(t, cond_ws_up, NULL, 2 * WAIT_MS, "the websocket after all");
	WAIT(t, cond_healthy, NULL, WAIT_MS, "/healthz to say connected");
	daemon_stop(t);
}

/* A slash command and its ephemeral answer; bad tokens get 401. */
static void
test_slash_command(void **state)
{
	struct itest *t = *state;
	const struct fake_mm_ephemeral *e;
	const struct fake_mm_request *r;
	struct with w = { "shipped the flux capacitor", 1 };
	struct with marker = { "marker-after-bad-tokens", 1 };
	struct call c;
	size_t before;
	char *form, *path;

	daemon_start_connected(t);
	slash(t, TOKEN_REPORT, "report", "done shipped the flux capacitor");
	WAIT(t, cond_ephemeral_with, &w, WAIT_MS, "the ephemeral answer");
	e = fake_mm_ephemeral_at(t->mm, 0);
	assert_string_equal(e->user_id, FAKE_MM_ALICE_ID);
	assert_string_equal(e->channel_id, FAKE_MM_CHANNEL_ID);
	r = fake_mm_last(t->mm, "POST", EPHEMERALS);
	assert_non_null(r);
	assert_int_equal(r->status, 201);

	/* The report holds it. */
	w.n = 2;
	slash(t, TOKEN_REPORT, "report", "show");
	WAIT(t, cond_ephemeral_with, &w, WAIT_MS, "/report show");

	/* A GET with the form in the query; the token in the header. */
	w.needle = "get-method-item";
	w.n = 1;
	form = slash_form(t, TOKEN_REPORT, "report", "done get-method-item");
	path = xasprintf("/command?%s", form);
	call_start(t, &c, "GET", path, NULL);
	call_wait(t, &c);
	assert_int_equal(c.status, 200);
	call_release(&c);
	free(path);
	free(form);
	WAIT(t, cond_ephemeral_with, &w, WAIT_MS, "the answer to a GET");
	w.needle = "header-token-item";
	form = slash_form(t, NULL, "report", "done header-token-item");
	call_start_ex(t, &c, "POST", "/command", form,
		      "Authorization: Token " TOKEN_REPORT);
	call_wait(t, &c);
	assert_int_equal(c.status, 200);
	call_release(&c);
	free(form);
	WAIT(t, cond_ephemeral_with, &w, WAIT_MS,
	     "the answer to a header token");
	/* /lihui with its own token reaches the same commands. */
	w.needle = "lihui-trigger-item";
	slash(t, TOKEN_LIHUI, "lihui", "report done lihui-trigger-item");
	WAIT(t, cond_ephemeral_with, &w, WAIT_MS, "the answer to /lihui");

	/* Wrong token, another command's token, no token: 401, no effect. */
	before = fake_mm_ephemeral_count(t->mm);
	slash_start(t, &c, "wrongtoken0000000000000000", "report",
		    "done not-to-be-recorded");
	call_wait(t, &c);
	assert_int_equal(c.status, 401);
	call_release(&c);
	slash_start(t, &c, TOKEN_AGENDA, "report", "done not-to-be-recorded");
	call_wait(t, &c);
	assert_int_equal(c.status, 401);
	call_release(&c);
	slash_start(t, &c, NULL, "report", "done not-to-be-recorded");
	call_wait(t, &c);
	assert_int_equal(c.status, 401);
	call_release(&c);
	/* A good command afterwards: its answer comes, and only it. */
	slash(t, TOKEN_REPORT, "report", "plan marker-after-bad-tokens");
	WAIT(t, cond_ephemeral_with, &marker, WAIT_MS, "the marker's answer");
	wait_no_backlog(t);
	assert_int_equal(fake_mm_ephemeral_count(t->mm), before + 1);
	assert_int_equal(ephemerals_with(t, "not-to-be-recorded"), 0);
	assert_int_equal(fake_mm_post_count(t->mm), 0);
	assert_int_equal(log_count(t, "with a wrong token refused"), 2);
	assert_int_equal(log_count(t, "with a missing token refused"), 1);
	daemon_stop(t);
}

/* Direct messages and mentions over the WebSocket; own and bot posts. */
static void
test_websocket_messages(void **state)
{
	struct itest *t = *state;
	const struct fake_mm_ephemeral *e;
	struct with mention = { "mention-topic-two", 1 };
	struct with marker = { "marker-topic-three", 1 };
	char dmid[27];
	size_t n, posts;

	daemon_start_connected(t);
	alice_dm(dmid);

	/* A direct message: the answer goes to alice in the DM. */
	fake_mm_ws_push_posted(t->mm, dmid, FAKE_MM_ALICE_ID, "report show",
			       "D");
	n = 1;
	WAIT(t, cond_ephemerals, &n, WAIT_MS, "the answer to a DM");
	e = fake_mm_ephemeral_at(t->mm, 0);
	assert_string_equal(e->user_id, FAKE_MM_ALICE_ID);
	assert_string_equal(e->channel_id, dmid);

	/* A channel message naming @lihui is a command. */
	fake_mm_ws_push_posted(t->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_ALICE_ID,
			       "@lihui report done mention-topic-two", "O");
	WAIT(t, cond_ephemeral_with, &mention, WAIT_MS,
	     "the answer to a mention");
	e = fake_mm_ephemeral_at(t->mm, fake_mm_ephemeral_count(t->mm) - 1);
	assert_string_equal(e->user_id, FAKE_MM_ALICE_ID);
	assert_string_equal(e->channel_id, FAKE_MM_CHANNEL_ID);
	n = fake_mm_ephemeral_count(t->mm);

	/*
	 * The bot's own posts come back as events (echo on): the agenda it
	 * posts names @lihui as a topic's owner, and a post of its own that
	 * reads like a command must be ignored too; so must another bot's
	 * and a channel line without a mention.
	 */
	fake_mm_ws_echo_posts(t->mm, 1);
	agenda_post(t, "echo-topic @lihui");
	posts = 1;
	WAIT(t, cond_posts, &posts, WAIT_MS, "the agenda post");
	n += 2; /* "added" and "posted" */
	WAIT(t, cond_ephemerals, &n, WAIT_MS, "the agenda answers");
	fake_mm_ws_push_posted(t->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_BOT_ID,
			       "@lihui report done own-post-echo", "O");
	push_bot_post(t, FAKE_MM_CHANNEL_ID, OTHER_BOT_ID,
		      "@lihui report done other-bot-post", "O");
	push_bot_post(t, dmid, OTHER_BOT_ID, "report done other-bot-dm", "D");
	fake_mm_ws_push_posted(t->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_BOB_ID,
			       "report done no-mention-line", "O");
	/* Events arrive in order: once the marker is answered, the ones
	 * before it were looked at. */
	fake_mm_ws_push_posted(t->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_ALICE_ID,
			       "@lihui report done marker-topic-three", "O");
	WAIT(t, cond_ephemeral_with, &marker, WAIT_MS, "the marker's answer");
	wait_no_backlog(t);
	assert_int_equal(fake_mm_ephemeral_count(t->mm), n + 1);
	assert_int_equal(ephemerals_with(t, "own-post-echo"), 0);
	assert_int_equal(ephemerals_with(t, "other-bot"), 0);
	assert_int_equal(ephemerals_with(t, "no-mention-line"), 0);
	assert_int_equal(fake_mm_post_count(t->mm), 1);
	assert_non_null(
	    strstr(fake_mm_post_at(t->mm, 0)->message, "echo-topic"));
	assert_non_null(strstr(fake_mm_post_at(t->mm, 0)->message, "@lihui"));
	daemon_stop(t);
}

/* The server drops the WebSocket: lihui resumes, nothing lost or doubled. */
static void
test_websocket_resume(void **state)
{
	struct itest *t = *state;
	const struct fake_mm_request *r;
	struct with first = { "resume-before", 1 };
	struct with away1 = { "resume-away-one", 1 };
	struct with away2 = { "resume-away-two", 1 };
	struct with after = { "resume-after", 1 };
	struct log_n disc = { "websocket: disconnected", 1 };
	long long backlog;
	int connected, one = 1;
	char *id, *want;
	size_t n;

	daemon_start_connected(t);
	id = xstrdup(fake_mm_ws_connection_id(t->mm));
	/* One event handled before the drop: seq 1 after hello's 0. */
	fake_mm_ws_push_posted(t->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_ALICE_ID,
			       "@lihui report done resume-before", "O");
	WAIT(t, cond_ephemeral_with, &first, WAIT_MS, "the first answer");

	/* Refuse reconnections for a while, so /healthz sees it down. */
	fake_mm_ws_refuse_for(t->mm, t->slow > 1 ? 6500 : 2500);
	fake_mm_ws_drop(t->mm);
	WAIT(t, cond_ws_closed, NULL, WAIT_MS, "the drop");
	WAIT(t, cond_log_n, &disc, WAIT_MS, "lihui to see the drop");
	assert_int_equal(healthz(t, &connected, &backlog), 503);
	assert_false(connected);

	/* Two messages while lihui is away: kept for the resume. */
	fake_mm_ws_push_posted(t->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_ALICE_ID,
			       "@lihui report done resume-away-one", "O");
	fake_mm_ws_push_posted(t->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_ALICE_ID,
			       "@lihui report done resume-away-two", "O");
	WAIT(t, cond_resumes, &one, 3 * WAIT_MS, "lihui to resume");
	WAIT(t, cond_ephemeral_with, &away1, WAIT_MS, "the first missed one");
	WAIT(t, cond_ephemeral_with, &away2, WAIT_MS, "the second missed one");
	r = fake_mm_last(t->mm, "GET", "/api/v4/websocket");
	assert_non_null(r);
	want = xasprintf("connection_id=%s&sequence_number=2", id);
	if (strstr(r->target, want) == NULL)
		fail_msg("resumed with '%s', want '%s'", r->target, want);
	free(want);
	/* (lihui logs the seq after the first replayed event: 3.) */
	expect_log(t, "websocket: session resumed at event ");

	/* A marker after the resume: everything before it was seen once. */
	fake_mm_ws_push_posted(t->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_ALICE_ID,
			       "@lihui report done resume-after", "O");
	WAIT(t, cond_ephemeral_with, &after, WAIT_MS, "the marker's answer");
	wait_no_backlog(t);
	n = fake_mm_ephemeral_count(t->mm);
	assert_int_equal(n, 4);
	assert_int_equal(ephemerals_with(t, "resume-before"), 1);
	assert_int_equal(ephemerals_with(t, "resume-away-one"), 1);
	assert_int_equal(ephemerals_with(t, "resume-away-two"), 1);
	assert_int_equal(ephemerals_with(t, "resume-after"), 1);
	assert_int_equal(fake_mm_ws_resumes(t->mm), 1);
	assert_string_equal(fake_mm_ws_connection_id(t->mm), id);
	assert_int_equal(log_count(t, "started a new session"), 0);
	assert_int_equal(healthz(t, &connected, &backlog), 200);
	assert_true(connected);
	free(id);
	daemon_stop(t);
}

/*
 * A drop with nothing missed: the resume replays nothing and, as in
 * Mattermost, no hello comes. lihui is connected all the same, so
 * /healthz must say so without waiting for the next event.
 */
static void
test_websocket_resume_quiet(void **state)
{
	struct itest *t = *state;
	struct with after = { "quiet-after", 1 };
	int one = 1;

	daemon_start_connected(t);
	fake_mm_ws_drop(t->mm);
	WAIT(t, cond_resumes, &one, 3 * WAIT_MS, "lihui to resume");
	WAIT(t, cond_ws_up, NULL, WAIT_MS, "the resumed connection");
	WAIT(t, cond_healthy, NULL, WAIT_MS,
	     "/healthz to say connected after a quiet resume");
	fake_mm_ws_push_posted(t->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_ALICE_ID,
			       "@lihui report done quiet-after", "O");
	WAIT(t, cond_ephemeral_with, &after, WAIT_MS, "an answer");
	wait_no_backlog(t);
	assert_int_equal(fake_mm_ws_connections(t->mm), 2);
	daemon_stop(t);
}

/*
 * An event numbered past the one expected: events went missing, so lihui
 * drops the connection and resumes from the one it expected.
 */
static void
test_websocket_gap(void **state)
{
	struct itest *t = *state;
	const struct fake_mm_request *r;
	struct with before = { "gap-before", 1 };
	struct with after = { "gap-after", 1 };
	char *raw, *data, *id, *want;
	int one = 1;

	daemon_start_connected(t);
	id = xstrdup(fake_mm_ws_connection_id(t->mm));
	fake_mm_ws_push_posted(t->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_ALICE_ID,
			       "@lihui report done gap-before", "O");
	WAIT(t, cond_ephemeral_with, &before, WAIT_MS, "the first answer");
	/* seq 1 was handled; an event claiming seq 7 means 2..6 are lost. */
	data = fake_mm_posted_data(t->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_ALICE_ID,
				   "@lihui report done gap-raw", "O");
	raw = xasprintf("{\"event\":\"posted\",\"data\":%s,\"broadcast\":"
			"{\"omit_users\":null,\"user_id\":\"\","
			"\"channel_id\":\"%s\",\"team_id\":\"\"},"
			"\"seq\":7}",
			data, FAKE_MM_CHANNEL_ID);
	fake_mm_ws_send_raw(t->mm, raw);
	free(raw);
	free(data);
	WAIT(t, cond_log, "arrived where 2 was expected", WAIT_MS,
	     "lihui to see the gap");
	WAIT(t, cond_resumes, &one, 3 * WAIT_MS, "lihui to resume");
	r = fake_mm_last(t->mm, "GET", "/api/v4/websocket");
	want = xasprintf("connection_id=%s&sequence_number=2", id);
	if (strstr(r->target, want) == NULL)
		fail_msg("resumed with '%s', want '%s'", r->target, want);
	free(want);
	fake_mm_ws_push_posted(t->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_ALICE_ID,
			       "@lihui report done gap-after", "O");
	WAIT(t, cond_ephemeral_with, &after, WAIT_MS, "an answer after it");
	wait_no_backlog(t);
	assert_int_equal(ephemerals_with(t, "gap-before"), 1);
	assert_int_equal(ephemerals_with(t, "gap-after"), 1);
	assert_int_equal(log_count(t, "started a new session"), 0);
	free(id);
	daemon_stop(t);
}

/* A server restart: a new connection id; lihui says so and goes on. */
static void
test_websocket_restart(void **state)
{
	struct itest *t = *state;
	struct with before = { "restart-before", 1 };
	struct with after = { "restart-after", 1 };
	char *id;

	daemon_start_connected(t);
	id = xstrdup(fake_mm_ws_connection_id(t->mm));
	fake_mm_ws_push_posted(t->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_ALICE_ID,
			       "@lihui report done restart-before", "O");
	WAIT(t, cond_ephemeral_with, &before, WAIT_MS, "the first answer");

	fake_mm_ws_restart(t->mm);
	WAIT(t, cond_log, "websocket: the server started a new session",
	     3 * WAIT_MS, "lihui to report the lost session");
	WAIT(t, cond_ws_up, NULL, WAIT_MS, "the new session");
	assert_int_equal(fake_mm_ws_connections(t->mm), 2);
	assert_int_equal(fake_mm_ws_resumes(t->mm), 0);
	assert_non_null(fake_mm_ws_connection_id(t->mm));
	assert_string_not_equal(fake_mm_ws_connection_id(t->mm), id);
	/* It asked to resume (the server no longer knew the session). */
	assert_non_null(
	    strstr(fake_mm_last(t->mm, "GET", "/api/v4/websocket")->target,
		   "connection_id="));

	fake_mm_ws_push_posted(t->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_ALICE_ID,
			       "@lihui report done restart-after", "O");
	WAIT(t, cond_ephemeral_with, &after, WAIT_MS,
	     "an answer in the new session");
	wait_no_backlog(t);
	assert_int_equal(fake_mm_ephemeral_count(t->mm), 2);
	assert_int_equal(log_count(t, "started a new session"), 1);
	free(id);
	daemon_stop(t);
}

/*
 * Set up a resync with dave, a user lihui never heard of: lihui saw a
 * post of alice's in ops and only one of the bot's own in the DM of dave
 * and the bot, without the channel's type. The server restarts and,
 * while lihui cannot reconnect, dave DMs the bot and names it in ops.
 * Returns once lihui reconnected; dm gets the DM's id.
 */
static void
resync_dave(struct itest *t, char dm[27])
{
	struct with marker = { "resync-marker", 1 };
	char *name;

	fake_mm_add_user(t->mm, DAVE_ID, "dave");
	fake_mm_direct_id(FAKE_MM_BOT_ID, DAVE_ID, dm);
	name = xasprintf("%s__%s", DAVE_ID, FAKE_MM_BOT_ID);
	fake_mm_add_channel(t->mm, dm, "", name, "D");
	free(name);
	daemon_start_connected(t);
	fake_mm_ws_push_posted(t->mm, dm, FAKE_MM_BOT_ID, "hello dave", "");
	/* Events are handled in order: the marker's answer says the bot's
	 * post was seen. */
	fake_mm_ws_push_posted(t->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_ALICE_ID,
			       "@lihui report done resync-marker", "O");
	WAIT(t, cond_ephemeral_with, &marker, WAIT_MS, "the marker's answer");

	fake_mm_ws_refuse_for(t->mm, t->slow > 1 ? 2500 : 800);
	fake_mm_ws_restart(t->mm);
	/* No session now: only the server keeps the posts. */
	fake_mm_ws_push_posted(t->mm, dm, DAVE_ID, "report done resync-dm",
			       "D");
	fake_mm_ws_push_posted(t->mm, FAKE_MM_CHANNEL_ID, DAVE_ID,
			       "@lihui report done resync-dave-item", "O");
	WAIT(t, cond_log, "websocket: the server started a new session",
	     3 * WAIT_MS, "lihui to report the lost session");
}

/*
 * A restart with a new connection id while dave DMs the bot (and names
 * it in ops): the resync finds both posts, looks dave up once for both
 * channels and the DM's type, and both are answered, the command in ops
 * taken as dave's (by name, not id). The DM is answered only because its
 * type was looked up: a channel line without a mention is no command.
 * (The report commands are for team channels: the DM gets that answer.)
 */
static void
test_resync_unknown_user(void **state)
{
	struct itest *t = *state;
	struct with item = { "resync-dave-item", 1 };
	struct with dm_answer = { "not in a direct message", 1 };
	struct answered ids = { "POST", "/api/v4/users/ids", 1, 200 };
	const struct fake_mm_ephemeral *e;
	const struct fake_mm_request *r;
	char dm[27], *path, *want;
	size_t i, n_dm = 0;

	resync_dave(t, dm);
	WAIT(t, cond_ephemeral_with, &item, 2 * WAIT_MS,
	     "the answer to the resynced mention");
	WAIT(t, cond_ephemeral_with, &dm_answer, 2 * WAIT_MS,
	     "the answer to the resynced DM");
	for (i = 0; i < fake_mm_ephemeral_count(t->mm); i++) {
		e = fake_mm_ephemeral_at(t->mm, i);
		if (strstr(e->message, "resync-dave-item") != NULL)
			assert_string_equal(e->channel_id, FAKE_MM_CHANNEL_ID);
		else if (strcmp(e->channel_id, dm) == 0)
			n_dm++;
		else
			continue;
		assert_string_equal(e->user_id, DAVE_ID);
	}
	assert_int_equal(n_dm, 1);
	/* The command was taken as dave's. */
	expect_log(t, "/report done by dave -> ok");
	assert_int_equal(log_count(t, "by " DAVE_ID), 0);
	/* One batch for the users, one channel lookup, nothing else. */
	WAIT(t, cond_answered, &ids, WAIT_MS, "the users lookup");
	assert_int_equal(fake_mm_count(t->mm, "POST", "/api/v4/users/ids"), 1);
	r = fake_mm_last(t->mm, "POST", "/api/v4/users/ids");
	assert_string_equal(r->body, "[\"" DAVE_ID "\"]");
	path = xasprintf("/api/v4/channels/%s", dm);
	assert_int_equal(fake_mm_count(t->mm, "GET", path), 1);
	free(path);
	assert_int_equal(fake_mm_count(t->mm, "GET", "/api/v4/users/*"), 1);
	want = xasprintf("resync of channel %s: 1 missed posts handled", dm);
	expect_log(t, want);
	free(want);
	expect_log(t, "resync of channel " FAKE_MM_CHANNEL_ID
		      ": 1 missed posts handled");
	wait_no_backlog(t);
	/* Each handled once. */
	assert_int_equal(ephemerals_with(t, "resync-dave-item"), 1);
	assert_int_equal(ephemerals_with(t, "resync-marker"), 1);
	assert_int_equal(ephemerals_with(t, "not in a direct message"), 1);
	daemon_stop(t);
}

/* The users lookup fails: the posts go through, dave's id as his name. */
static void
test_resync_lookup_fails(void **state)
{
	struct itest *t = *state;
	struct with item = { "resync-dave-item", 1 };
	struct with dm_answer = { "not in a direct message", 1 };
	char dm[27];

	fake_mm_fail(t->mm, "POST", "/api/v4/users/ids", FAKE_MM_ALWAYS, 500,
		     -1);
	resync_dave(t, dm);
	WAIT(t, cond_ephemeral_with, &item, 2 * WAIT_MS,
	     "the answer to the resynced mention");
	expect_log(t, "1 users not looked up (POST /api/v4/users/ids "
		      "answered 500); their ids stand for their names");
	expect_log(t, "/report done by " DAVE_ID " -> ok");
	WAIT(t, cond_ephemeral_with, &dm_answer, 2 * WAIT_MS,
	     "the answer to the resynced DM");
	wait_no_backlog(t);
	assert_int_equal(ephemerals_with(t, "resync-dave-item"), 1);
	daemon_stop(t);
}

/* Without the permission for ephemeral posts the answer goes as a DM. */
static void
test_ephemeral_forbidden(void **state)
{
	struct itest *t = *state;
	const struct fake_mm_direct *d;
	const struct fake_mm_post *p;
	struct answered forbidden = { "POST", EPHEMERALS, 1, 403 };
	char dmid[27];
	size_t one = 1;

	daemon_start_connected(t);
	fake_mm_fail(t->mm, "POST", EPHEMERALS, FAKE_MM_ALWAYS, 403, -1);
	slash(t, TOKEN_REPORT, "report", "done forbidden-ephemeral-item");
	WAIT(t, cond_posts, &one, WAIT_MS, "the answer as a direct message");
	wait_no_backlog(t);
	assert_int_equal(count_answered(t, &forbidden), 1);
	assert_int_equal(fake_mm_ephemeral_count(t->mm), 0);
	assert_int_equal(fake_mm_direct_count(t->mm), 1);
	d = fake_mm_direct_at(t->mm, 0);
	alice_dm(dmid);
	assert_string_equal(d->channel_id, dmid);
	assert_int_equal(fake_mm_post_count(t->mm), 1);
	p = fake_mm_post_at(t->mm, 0);
	assert_string_equal(p->channel_id, dmid);
	assert_non_null(strstr(p->message, "forbidden-ephemeral-item"));
	assert_int_equal(strncmp(p->pending_post_id,
				 "lihui-" FAKE_MM_BOT_ID "-",
				 strlen("lihui-" FAKE_MM_BOT_ID "-")),
			 0);
	daemon_stop(t);
}

/* When the ephemeral count first reached n, on the loop's clock. */
struct arrival {
	size_t n;
	uint64_t at[2]; /* of the n-th and the (n+1)-th */
};

static int
cond_arrivals(struct itest *t, const void *arg)
{
	struct arrival *a = (struct arrival *)arg;
	size_t have = fake_mm_ephemeral_count(t->mm);

	uv_update_time(&t->loop);
	if (have >= a->n && a->at[0] == 0)
		a->at[0] = uv_now(&t->loop);
	if (have >= a->n + 1 && a->at[1] == 0)
		a->at[1] = uv_now(&t->loop);
	return a->at[1] != 0;
}

/*
 * A reply too long for one post goes out in pieces, one after the other:
 * the second piece only once the server took the first, else the server
 * may show them in the wrong order (it orders by arrival), for certain
 * when the first piece meets a transient error and is retried.
 */
static void
test_split_in_order(void **state)
{
	struct itest *t = *state;
	const struct fake_mm_ephemeral *e1, *e2;
	struct arrival a;
	char *item, *text;
	size_t n = 5, i, total;

	daemon_start_connected(t);
	item = xmalloc(3801);
	memset(item, 'x', 3800);
	item[3800] = '\0';
	for (i = 0; i < 5; i++) {
		text = xasprintf("done split-part-%zu %s", i, item);
		slash(t, TOKEN_REPORT, "report", text);
		free(text);
	}
	free(item);
	WAIT(t, cond_ephemerals, &n, WAIT_MS, "the five answers");
	wait_no_backlog(t);
	/* The first piece of /report show is answered 1.5 s late. */
	fake_mm_slow(t->mm, "POST", EPHEMERALS, 1, 1500);
	slash(t, TOKEN_REPORT, "report", "show");
	memset(&a, 0, sizeof a);
	a.n = 6;
	WAIT(t, cond_arrivals, &a, 2 * WAIT_MS, "both pieces of the report");
	wait_no_backlog(t);
	assert_int_equal(fake_mm_ephemeral_count(t->mm), 7);
	e1 = fake_mm_ephemeral_at(t->mm, 5);
	e2 = fake_mm_ephemeral_at(t->mm, 6);
	total = strlen(e1->message) + strlen(e2->message);
	assert_true(total > FAKE_MM_MAX_POST);
	assert_non_null(strstr(e1->message, "split-part-0"));
	assert_non_null(strstr(e2->message, "split-part-4"));
	if (a.at[1] - a.at[0] < 1000)
		fail_msg("the second piece was sent %llu ms after the first, "
			 "before the first was answered (1.5 s)",
			 (unsigned long long)(a.at[1] - a.at[0]));
	daemon_stop(t);
}

/* Milliseconds on the loop's clock. */
static uint64_t
now_ms(struct itest *t)
{
	uv_update_time(&t->loop);
	return uv_now(&t->loop);
}

/* 429 with Retry-After: the post goes out after the wait, once. */
static void
test_rate_limited(void **state)
{
	struct itest *t = *state;
	struct answered limited = { "POST", POSTS, 1, 429 };
	struct answered created = { "POST", POSTS, 1, 201 };
	const struct fake_mm_post *p;
	uint64_t t429, t201;

	daemon_start_connected(t);
	fake_mm_fail(t->mm, "POST", POSTS, 1, 429, 3);
	agenda_post(t, "rate-limited-topic");
	WAIT(t, cond_answered, &limited, WAIT_MS, "the 429");
	t429 = now_ms(t);
	WAIT(t, cond_answered, &created, 3 * WAIT_MS, "the post after 429");
	t201 = now_ms(t);
	/* Retry-After 3 s, counted in whole seconds by the store. */
	if (t201 - t429 < 2000)
		fail_msg("retried %llu ms after a 429 with Retry-After: 3",
			 (unsigned long long)(t201 - t429));
	wait_no_backlog(t);
	assert_int_equal(fake_mm_count(t->mm, "POST", POSTS), 2);
	assert_int_equal(fake_mm_post_count(t->mm), 1);
	p = fake_mm_post_at(t->mm, 0);
	assert_non_null(strstr(p->message, "rate-limited-topic"));
	assert_int_equal(p->duplicates, 0);
	assert_int_equal(strncmp(p->pending_post_id,
				 "lihui-" FAKE_MM_BOT_ID "-",
				 strlen("lihui-" FAKE_MM_BOT_ID "-")),
			 0);
	expect_log(t, "answered 429); attempt 1, next in 3 s");
	daemon_stop(t);
}

/* 500s: retried with growing waits, delivered once. */
static void
test_server_errors(void **state)
{
	struct itest *t = *state;
	struct answered created = { "POST", POSTS, 1, 201 };
	const struct fake_mm_post *p;

	daemon_start_connected(t);
	fake_mm_fail(t->mm, "POST", POSTS, 2, 500, -1);
	agenda_post(t, "server-error-topic");
	WAIT(t, cond_answered, &created, 4 * WAIT_MS,
	     "the post after two 500s");
	wait_no_backlog(t);
	assert_int_equal(fake_mm_count(t->mm, "POST", POSTS), 3);
	assert_int_equal(fake_mm_post_count(t->mm), 1);
	p = fake_mm_post_at(t->mm, 0);
	assert_non_null(strstr(p->message, "server-error-topic"));
	assert_int_equal(p->duplicates, 0);
	expect_log(t, "answered 500); attempt 1, next in 1 s");
	expect_log(t, "answered 500); attempt 2, next in 2 s");
	daemon_stop(t);
}

static int
cond_backlog_three(struct itest *t, const void *arg)
{
	(void)arg;
	return backlog_now(t) == 3;
}

/*
 * A REST endpoint answering only after 10 s: slash commands are still
 * answered well within Mattermost's 3 s, and the other posts go out.
 */
static void
test_slow_endpoint(void **state)
{
	struct itest *t = *state;
	uint64_t bound = t->slow > 1 ? 8000 : 3000, start;
	struct call c;
	struct with w;
	char text[64], needle[64];
	size_t posts = 1;
	int i;

	daemon_start_connected(t);
	/* The agenda post and the first ephemeral answer hang for 10 s. */
	fake_mm_slow(t->mm, "POST", POSTS, 1, 10000);
	fake_mm_slow(t->mm, "POST", EPHEMERALS, 1, 10000);
	agenda_post(t, "slow-topic");
	WAIT(t, cond_posts, &posts, WAIT_MS, "the slow post to be made");
	/*
	 * Answers to one user leave in order, so alice's next ones wait for
	 * the slow one; bob's are not held up.
	 */
	t->as_user_id = FAKE_MM_BOB_ID;
	t->as_user_name = "bob";
	for (i = 0; i < 5; i++) {
		snprintf(text, sizeof text, "done prompt-item-%d", i);
		snprintf(needle, sizeof needle, "prompt-item-%d", i);
		start = now_ms(t);
		slash_start(t, &c, TOKEN_REPORT, "report", text);
		call_wait(t, &c);
		assert_int_equal(c.status, 200);
		if (c.elapsed_ms > bound)
			fail_msg("slash command answered in %llu ms",
				 (unsigned long long)c.elapsed_ms);
		call_release(&c);
		w.needle = needle;
		w.n = 1;
		WAIT(t, cond_ephemeral_with, &w, WAIT_MS, "a prompt answer");
		if (now_ms(t) - start > bound)
			fail_msg("answer posted after %llu ms",
				 (unsigned long long)(now_ms(t) - start));
	}
	/*
	 * The slow ones were still waiting for their answers all along:
	 * the agenda post, alice's first answer and her second one, which
	 * waits for the first, are still queued.
	 */
	WAIT(t, cond_backlog_three, NULL, WAIT_MS,
	     "only the slow messages and the one after them to be left");
	wait_no_backlog_ms(t, 3 * WAIT_MS);
	assert_int_equal(fake_mm_post_count(t->mm), 1);
	assert_int_equal(fake_mm_count(t->mm, "POST", POSTS), 1);
	daemon_stop(t);
}

/* Two distinct agenda posts: made by the server, answers not yet back. */
static void
two_posts_in_flight(struct itest *t)
{
	size_t two = 2;

	/* Two channels: posts to one channel leave one at a time. */
	agenda_post(t, "kill-topic-a");
	t->in_channel_id = SECOND_CHANNEL_ID;
	t->in_channel_name = "second";
	agenda_post(t, "kill-topic-b");
	t->in_channel_id = NULL;
	t->in_channel_name = NULL;
	WAIT(t, cond_posts, &two, WAIT_MS, "both posts to be made");
}

/* Check the server holds the two posts once each. */
static void
check_two_posts(struct itest *t, int duplicates)
{
	const struct fake_mm_post *a, *b;

	assert_int_equal(fake_mm_post_count(t->mm), 2);
	/* Two channels: the server may make them in either order. */
	a = fake_mm_post_at(t->mm, 0);
	b = fake_mm_post_at(t->mm, 1);
	if (strstr(a->message, "kill-topic-b") != NULL) {
		a = fake_mm_post_at(t->mm, 1);
		b = fake_mm_post_at(t->mm, 0);
	}
	assert_non_null(strstr(a->message, "kill-topic-a"));
	assert_null(strstr(a->message, "kill-topic-b"));
	assert_non_null(strstr(b->message, "kill-topic-b"));
	assert_string_not_equal(a->pending_post_id, b->pending_post_id);
	assert_int_equal(a->duplicates, duplicates);
	assert_int_equal(b->duplicates, duplicates);
}

/*
 * SIGKILL after the server made the posts but before lihui heard back:
 * the next start sends them again with the same pending_post_id, and the
 * server keeps one of each.
 */
static void
test_kill_in_flight(void **state)
{
	struct itest *t = *state;
	/* The fake records a slow request's status when it carries it out. */
	struct answered redone = { "POST", POSTS, 4, 201 };

	daemon_start_connected(t);
	fake_mm_slow(t->mm, "POST", POSTS, 2, 20000);
	two_posts_in_flight(t);
	/* Their rows are still pending (waiting for the answers). */
	assert_true(backlog_now(t) >= 2);
	daemon_kill(t);

	daemon_start_connected(t);
	WAIT(t, cond_answered, &redone, 2 * WAIT_MS, "the posts again");
	wait_no_backlog(t);
	assert_int_equal(fake_mm_count(t->mm, "POST", POSTS), 4);
	check_two_posts(t, 1);
	daemon_stop(t);
}

/* The post by the bot that contains needle, or NULL. */
static const struct fake_mm_post *
post_with(struct itest *t, const char *needle)
{
	size_t i;

	for (i = 0; i < fake_mm_post_count(t->mm); i++)
		if (strstr(fake_mm_post_at(t->mm, i)->message, needle) != NULL)
			return fake_mm_post_at(t->mm, i);
	return NULL;
}

static int
cond_post_with(struct itest *t, const void *needle)
{
	return post_with(t, needle) != NULL;
}

/*
 * A meeting held over the WebSocket: "#" lines confirmed by reactions,
 * lihui killed and restarted in the middle (the meeting goes on, nothing
 * recorded is lost), the minutes posted at the end.
 */
static void
test_meeting(void **state)
{
	struct itest *t = *state;
	const struct fake_mm_reaction *r;
	const struct fake_mm_post *minutes;
	size_t three = 3, four = 4, i, posts;

	daemon_start_connected(t);
	slash(t, TOKEN_MEETING, "meeting", "start Integration sync");
	WAIT(t, cond_post_with, "Meeting 1 started: Integration sync", WAIT_MS,
	     "the meeting's start");
	fake_mm_ws_push_posted(t->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_ALICE_ID,
			       "good morning", "O");
	fake_mm_ws_push_posted(t->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_ALICE_ID,
			       "#topic Pricing", "O");
	fake_mm_ws_push_posted(t->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_BOB_ID,
			       "#agreed raise prices in January", "O");
	fake_mm_ws_push_posted(t->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_ALICE_ID,
			       "#action @bob 2026-12-31 send the price sheet",
			       "O");
	WAIT(t, cond_reactions, &three, WAIT_MS, "three reactions");
	for (i = 0; i < 3; i++) {
		r = fake_mm_reaction_at(t->mm, i);
		assert_string_equal(r->user_id, FAKE_MM_BOT_ID);
		assert_string_equal(r->emoji_name, "white_check_mark");
		assert_true(strlen(r->post_id) == 26);
	}

	/* Killed in the middle: the meeting and its log survive. */
	daemon_kill(t);
	daemon_start_connected(t);
	fake_mm_ws_push_posted(t->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_CAROL_ID,
			       "#info carol joined after the restart", "O");
	WAIT(t, cond_reactions, &four, WAIT_MS, "a reaction to carol's line");

	slash(t, TOKEN_MEETING, "meeting", "end");
	WAIT(t, cond_post_with, "Minutes of meeting 1: Integration sync",
	     WAIT_MS, "the minutes");
	minutes = post_with(t, "Minutes of meeting 1");
	assert_string_equal(minutes->channel_id, FAKE_MM_CHANNEL_ID);
	assert_non_null(strstr(minutes->message, "- @alice (3 lines)"));
	assert_non_null(strstr(minutes->message, "- @bob (1 line)"));
	assert_non_null(strstr(minutes->message, "- @carol (1 line)"));
	assert_non_null(strstr(minutes->message, "###### 1. Pricing"));
	assert_non_null(strstr(minutes->message, "1. raise prices in January"));
	assert_non_null(strstr(minutes->message,
			       "- #1 @bob: send the price sheet (due "
			       "2026-12-31)"));
	assert_non_null(
	    strstr(minutes->message, "carol joined after the restart"));
	wait_no_backlog(t);

	/* Amended: the same post is edited in place, no new post. */
	posts = fake_mm_post_count(t->mm);
	slash(t, TOKEN_MEETING, "meeting",
	      "amend 1 decide ship the price sheet on Monday");
	WAIT(t, cond_post_with, "These minutes were amended", WAIT_MS,
	     "the minutes post to be edited");
	minutes = post_with(t, "Minutes of meeting 1");
	assert_int_equal(minutes->edits, 1);
	assert_non_null(
	    strstr(minutes->message, "ship the price sheet on Monday"));
	wait_no_backlog(t);
	assert_int_equal(fake_mm_post_count(t->mm), posts);
	daemon_stop(t);
}

/*
 * Action owners are looked up (GET /api/v4/users/username/{name}) before
 * the core sees the event: an unknown one is refused with its name, a
 * known one is stored; @all is no user and is not looked up.
 */
static void
test_action_owner(void **state)
{
	struct itest *t = *state;
	struct with refused = { "there is no user @nosuch here", 1 };
	struct with all = { "there is no user @all here", 1 };
	const struct fake_mm_reaction *r;
	char dm[27];
	const struct fake_mm_post *minutes;
	size_t one = 1;

	daemon_start_connected(t);
	slash(t, TOKEN_MEETING, "meeting", "start Owners");
	WAIT(t, cond_post_with, "Meeting 1 started: Owners", WAIT_MS,
	     "the meeting's start");
	slash(t, TOKEN_MEETING, "meeting", "action @nosuch fri call");
	WAIT(t, cond_ephemeral_with, &refused, WAIT_MS, "the refusal");
	assert_int_equal(
	    fake_mm_count(t->mm, "GET", "/api/v4/users/username/nosuch"), 1);
	fake_mm_ws_push_posted(t->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_ALICE_ID,
			       "#action @bob call the vendor", "O");
	WAIT(t, cond_reactions, &one, WAIT_MS, "the reaction to the action");
	r = fake_mm_reaction_at(t->mm, 0);
	assert_string_equal(r->emoji_name, "white_check_mark");
	assert_int_equal(
	    fake_mm_count(t->mm, "GET", "/api/v4/users/username/bob"), 1);
	fake_mm_ws_push_posted(t->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_ALICE_ID,
			       "#action @all have a party", "O");
	WAIT(t, cond_ephemeral_with, &all, WAIT_MS, "the refusal of @all");
	assert_int_equal(
	    fake_mm_count(t->mm, "GET", "/api/v4/users/username/all"), 0);
	/* No owner: the chair is asked, by name, in a direct message. */
	fake_mm_ws_push_posted(t->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_BOB_ID,
			       "#action book the room", "O");
	WAIT(t, cond_post_with, "has no owner yet: book the room", WAIT_MS,
	     "the chair's direct message");
	fake_mm_direct_id(FAKE_MM_BOT_ID, FAKE_MM_ALICE_ID, dm);
	assert_string_equal(post_with(t, "has no owner yet")->channel_id, dm);

	slash(t, TOKEN_MEETING, "meeting", "end");
	WAIT(t, cond_post_with, "Minutes of meeting 1: Owners", WAIT_MS,
	     "the minutes");
	minutes = post_with(t, "Minutes of meeting 1");
	assert_non_null(strstr(minutes->message, "- #1 @bob: call the vendor"));
	assert_null(strstr(minutes->message, "nosuch"));
	assert_null(strstr(minutes->message, "party"));
	assert_null(post_with(t, "fri call"));
	wait_no_backlog(t);
	daemon_stop(t);
}

/*
 * The username lookup hangs: a slash command naming a user is answered
 * once the gate's deadline (2 s) passed, the owner taken as written, and
 * the channel line behind it is handled too. Stopping with the lookups
 * still under way is clean.
 */
static void
test_owner_lookup_hangs(void **state)
{
	struct itest *t = *state;
	struct call c;
	size_t one = 1;

	daemon_start_connected(t);
	slash(t, TOKEN_MEETING, "meeting", "start Hung");
	WAIT(t, cond_post_with, "Meeting 1 started: Hung", WAIT_MS,
	     "the meeting's start");
	fake_mm_hang(t->mm, "GET", "/api/v4/users/username/*", FAKE_MM_ALWAYS);
	slash_start(t, &c, TOKEN_MEETING, "meeting",
		    "action @ghost fri call the ghost");
	fake_mm_ws_push_posted(t->mm, FAKE_MM_CHANNEL_ID, FAKE_MM_BOB_ID,
			       "#info after the ghost", "O");
	call_wait(t, &c);
	assert_int_equal(c.status, 200);
	assert_string_equal(c.body, "{}");
	if (c.elapsed_ms < 1800)
		fail_msg("answered after %llu ms, before the deadline",
			 (unsigned long long)c.elapsed_ms);
	call_release(&c);
	WAIT(t, cond_post_with, "Action item recorded: @ghost fri call",
	     WAIT_MS, "the action");
	expect_log(t, "action owner @ghost taken as written");
	WAIT(t, cond_reactions, &one, WAIT_MS, "the reaction to the line");
	assert_int_equal(
	    fake_mm_count(t->mm, "GET", "/api/v4/users/username/ghost"), 1);
	wait_no_backlog(t);
	daemon_stop(t);
}

/* SIGKILL while every attempt fails: sent once after the restart. */
static void
test_kill_never_delivered(void **state)
{
	struct itest *t = *state;
	struct answered failed = { "POST", POSTS, 2, 500 };
	struct answered created = { "POST", POSTS, 2, 201 };

	daemon_start_connected(t);
	fake_mm_fail(t->mm, "POST", POSTS, FAKE_MM_ALWAYS, 500, -1);
	agenda_post(t, "kill-topic-a");
	t->in_channel_id = SECOND_CHANNEL_ID;
	t->in_channel_name = "second";
	agenda_post(t, "kill-topic-b");
	t->in_channel_id = NULL;
	t->in_channel_name = NULL;
	WAIT(t, cond_answered, &failed, WAIT_MS, "the 500s");
	assert_int_equal(fake_mm_post_count(t->mm), 0);
	daemon_kill(t);
	fake_mm_unscript(t->mm);

	daemon_start_connected(t);
	WAIT(t, cond_answered, &created, 3 * WAIT_MS, "the posts");
	wait_no_backlog(t);
	assert_int_equal(count_answered(t, &created), 2);
	check_two_posts(t, 0);
	daemon_stop(t);
}

/*
 * SIGTERM with a post in flight: lihui refuses new commands, waits for
 * the answer, exits 0; the next start has nothing left to send.
 */
static void
test_stop_drains(void **state)
{
	struct itest *t = *state;
	struct call c;
	size_t one = 1;

	daemon_start_connected(t);
	fake_mm_slow(t->mm, "POST", POSTS, 1, 2000);
	agenda_post(t, "drain-topic");
	WAIT(t, cond_posts, &one, WAIT_MS, "the slow post to be made");
	assert_int_equal(uv_process_kill(&t->proc, SIGTERM), 0);
	WAIT(t, cond_log, "stopping", WAIT_MS, "lihui to begin stopping");
	assert_true(t->running);
	slash_start(t, &c, TOKEN_REPORT, "report", "done too-late");
	call_wait(t, &c);
	assert_int_equal(c.status, 503);
	call_release(&c);
	WAIT(t, cond_exited, NULL, STOP_MS, "lihui to exit");
	if (t->exit_status != 0 || t->term_signal != 0) {
		dump_log(t);
		fail_msg("lihui exited with status %lld, signal %d",
			 (long long)t->exit_status, t->term_signal);
	}
	check_no_secrets(t);
	assert_int_equal(log_count(t, "not delivered"), 0);

	daemon_start_connected(t);
	wait_no_backlog(t);
	assert_int_equal(fake_mm_count(t->mm, "POST", POSTS), 1);
	assert_int_equal(fake_mm_post_count(t->mm), 1);
	assert_int_equal(ephemerals_with(t, "too-late"), 0);
	daemon_stop(t);
}

/* 400: one attempt, the row failed, no retry. */
static void
test_client_error(void **state)
{
	struct itest *t = *state;
	struct answered refused = { "POST", POSTS, 1, 400 };

	daemon_start_connected(t);
	fake_mm_fail(t->mm, "POST", POSTS, 1, 400, -1);
	agenda_post(t, "client-error-topic");
	WAIT(t, cond_answered, &refused, WAIT_MS, "the 400");
	WAIT(t, cond_log, "refused for good: POST /api/v4/posts answered 400",
	     WAIT_MS, "lihui to give the post up");
	/* Not pending any more, so never retried. */
	wait_no_backlog(t);
	/* A retry would come within 1.25 s; watch for twice that. */
	settle(t, 2500);
	assert_int_equal(fake_mm_count(t->mm, "POST", POSTS), 1);
	assert_int_equal(fake_mm_post_count(t->mm), 0);
	daemon_stop(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_startup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_startup_server_down, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_slash_command, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_websocket_messages, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_websocket_resume, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_websocket_resume_quiet,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_websocket_gap, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_websocket_restart, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_resync_unknown_user, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_resync_lookup_fails, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_ephemeral_forbidden, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_split_in_order, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_rate_limited, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_server_errors, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_slow_endpoint, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_meeting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_action_owner, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_owner_lookup_hangs, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_kill_in_flight, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_kill_never_delivered,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_stop_drains, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_client_error, setup,
						teardown),
	};

	signal(SIGPIPE, SIG_IGN);
	/* ITEST_FILTER=test_x runs one test (a glob, as cmocka takes it). */
	if (getenv("ITEST_FILTER") != NULL)
		cmocka_set_test_filter(getenv("ITEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
