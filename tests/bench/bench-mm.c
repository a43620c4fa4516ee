/* SPDX-License-Identifier: MIT */
/*
 * bench-mm.c: the Mattermost adapter through the whole daemon. Starts
 * ./lihui (and its lihui-net.so) as a child process against the fake
 * Mattermost server of tests/lib/fake-mm.h and measures (issue 3):
 *
 *   1. WebSocket ingest: events per second the daemon handles on one core.
 *      A realistic mix (per 100 events: 45 typing, 15 status_change, 38
 *      posts in other channels, 1 direct message "report show" to the bot,
 *      1 "@lihui report show" in a channel) is pushed as fast as the driver
 *      can; the last event is a direct message from a user who sent nothing
 *      else, and the answer to it (a REST post reaching the fake) marks that
 *      everything before it was handled (events are handled in order).
 *      Target: 50,000 per second.
 *   2. Slash-command answer latency (the HTTP answer to POST /command) on
 *      loopback, p50 and p99 of sequential requests on one keep-alive
 *      connection: idle, while events are pushed (at BENCH_LOAD_RATE, or
 *      at the rate of 1 if that is less), and while every POST
 *      /api/v4/posts/ephemeral hangs. Target: p99 < 5 ms.
 *   3. Resident memory (VmRSS, VmHWM) of a fresh daemon on a team of 1,000
 *      users and 500 channels after each user reported in three channels,
 *      every channel got roster additions, a mention and an agenda, and
 *      each user sent the bot a direct message. Target: under 16 MB.
 *
 * How it works. The fake runs on this program's loop. Events are pushed as
 * frames built beforehand (a pool of 1,000 cycled through) and sent with
 * fake_mm_ws_send_raw(), numbered with the seq the session expects next:
 * fake_mm_ws_push() parses and prints each event with json-c (3.4 us for
 * a typing event, 7.2 us for a post, before any write), too close to
 * what the daemon takes to be sure the driver is not the limit. Slash
 * commands go from a second thread with blocking
 * sockets, so the latency does not include this loop's work. With taskset
 * and two CPUs or more, the daemon runs on CPU 1 and this program on CPU 0.
 *
 * Usage: build/bench/bench-mm [LIHUI [EVENTS [REQUESTS]]]
 *   defaults: $LIHUI or ./lihui, 200000 events, 2000 requests per condition.
 * Not a test: it asserts nothing and prints figures (exit 1 only when the
 * daemon cannot be run or does not answer).
 */

#define _GNU_SOURCE /* sched_setaffinity */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <uv.h>

#include "fake-mm.h"
#include "lihui/xmalloc.h"

#define BENCH_BOT_TOKEN	    "benchbottoken0000000000000"
#define BENCH_COMMAND_TOKEN "benchcommandtoken000000000"
#define BENCH_EVENTS	    200000L
#define BENCH_REQUESTS	    2000L
/* Events per second pushed while latency is measured under load, at
 * most (see main). */
#define BENCH_LOAD_RATE 50000.0
/* The event pool cycled through by the ingest (a multiple of 100). */
#define BENCH_POOL 1000
/* Users and channels the ingest and latency phases use. */
#define BENCH_INGEST_USERS    200
#define BENCH_INGEST_CHANNELS 50
/* The team of the memory phase. */
#define BENCH_TEAM_USERS    1000
#define BENCH_TEAM_CHANNELS 500
/* Events pushed per loop round when pushing as fast as possible. */
#define BENCH_BATCH	   256
#define BENCH_START_MS	   20000
#define BENCH_INGEST_MS	   90000
#define BENCH_RESPONSE_MAX 65536

struct bench_daemon {
	uv_process_t proc;
	int spawned;
	int exited;
	int64_t exit_status;
	int term_signal;
	char *dir;  /* temporary directory: config, database, log */
	char *conf; /* the config file */
	char *log;  /* standard output and error */
	int port;   /* the slash-command listener */
};

/* Pushes events to the daemon, as fast as possible or at a rate. */
struct bench_pusher {
	struct bench *b;
	uv_idle_t idle;
	uv_timer_t timer;
	long total;  /* events to push, then the marker; -1: until stopped */
	double rate; /* events per second; 0: as fast as possible */
	long pushed;
	int stop;
	uint64_t t0, t_pushed; /* uv_hrtime() of the first and the last */
};

/* Requests sent from a thread of their own, one after another. */
struct bench_client {
	int port;
	int reconnect; /* a new connection for each request */
	size_t n;
	char **requests; /* whole HTTP requests */
	double *us;	 /* the time each took, microseconds */
	size_t errors;	 /* requests not answered 200 */
	uv_async_t async;
	int finished;
};

struct bench {
	uv_loop_t loop;
	uv_timer_t tick; /* wakes fake_mm_wait() up to look again */
	const char *lihui;
	char *taskset; /* NULL: no pinning */
	long events;
	long requests;
	struct fake_mm *mm;
	struct bench_daemon d;
	int64_t seq; /* the seq of the next event pushed */
	char **pool; /* event frames without their seq and closing brace */
	size_t npool;
	char *frame; /* room for any pool entry and a seq */
	size_t frame_size;
	char *marker;	 /* the last event's frame prefix */
	size_t scanned;	 /* ephemerals already looked at */
	int answered;	 /* the marker's answer came (reset to push one) */
	size_t expected; /* answers the team phase waits for */
};

/* Give up: say why, kill the daemon (b may be NULL) and exit 1. */
static void
bench_die(struct bench *b, const char *what, char *cause)
{
	fprintf(stderr, "bench-mm: %s%s%s\n", what, cause != NULL ? ": " : "",
		cause != NULL ? cause : "");
	free(cause);
	if (b != NULL && b->d.exited)
		fprintf(stderr,
			"bench-mm: lihui exited (status %" PRId64
			", signal %d); its files are in %s\n",
			b->d.exit_status, b->d.term_signal, b->d.dir);
	if (b != NULL && b->d.spawned && !b->d.exited) {
		uv_process_kill(&b->d.proc, SIGKILL);
		fprintf(stderr, "bench-mm: the daemon's files are in %s\n",
			b->d.dir);
	}
	exit(1);
}

static double
bench_ms_since(uint64_t t0)
{
	return (double)(uv_hrtime() - t0) / 1e6;
}

static void
bench_tick_cb(uv_timer_t *t)
{
	(void)t;
}

/* Wait until done() or timeout_ms, looking at least every 5 ms. */
static int
bench_wait(struct bench *b, int (*done)(struct fake_mm *, void *), void *arg,
	   uint64_t timeout_ms)
{
	int rc;

	uv_timer_start(&b->tick, bench_tick_cb, 5, 5);
	rc = fake_mm_wait(b->mm, done, arg, timeout_ms);
	uv_timer_stop(&b->tick);
	return rc;
}

static int
bench_never(struct fake_mm *f, void *arg)
{
	(void)f;
	(void)arg;
	return 0;
}

/* Run the loop for ms. */
static void
bench_sleep(struct bench *b, uint64_t ms)
{
	bench_wait(b, bench_never, NULL, ms);
}

/* Setup. */

/* An executable in $PATH, or NULL; caller frees. */
static char *
bench_which(const char *name)
{
	const char *path = getenv("PATH"), *p, *end;
	char *full;

	for (p = path; p != NULL && *p != '\0'; p = end) {
		end = strchr(p, ':');
		if (end == NULL)
			end = p + strlen(p);
		full = xasprintf("%.*s/%s", (int)(end - p), p, name);
		if (access(full, X_OK) == 0)
			return full;
		free(full);
		if (*end == ':')
			end++;
	}
	return NULL;
}

/* Pin this process to CPU 0 and plan the daemon on CPU 1, if possible. */
static void
bench_pin(struct bench *b)
{
	cpu_set_t set;

	b->taskset = NULL;
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return;
	b->taskset = bench_which("taskset");
	if (b->taskset == NULL)
		return;
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	if (sched_setaffinity(0, sizeof set, &set) != 0) {
		free(b->taskset);
		b->taskset = NULL;
	}
}

/* A 26-character id: prefix, then n in decimal, zero-padded. */
static void
bench_id(char out[27], const char *prefix, int n)
{
	snprintf(out, 27, "%s%0*d", prefix, 26 - (int)strlen(prefix), n);
}

static char *
bench_read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *s = NULL;
	size_t len = 0, cap = 0, n;

	if (f == NULL)
		return xstrdup("");
	do {
		if (cap - len < 4096) {
			cap = cap * 2 + 8192;
			s = xreallocarray(s, cap, 1);
		}
		n = fread(s + len, 1, cap - len - 1, f);
		len += n;
	} while (n > 0);
	fclose(f);
	s[len] = '\0';
	return s;
}

/* The daemon. */

static void
bench_exit_cb(uv_process_t *p, int64_t status, int signum)
{
	struct bench_daemon *d = p->data;

	d->exited = 1;
	d->exit_status = status;
	d->term_signal = signum;
	uv_close((uv_handle_t *)p, NULL);
}

static int
bench_started(struct fake_mm *f, void *arg)
{
	struct bench *b = arg;
	const char *key = "listening for slash commands on 127.0.0.1:";
	char *log, *at;

	(void)f;
	if (b->d.exited)
		return 1;
	if (b->d.port == 0) {
		log = bench_read_file(b->d.log);
		at = strstr(log, key);
		if (at != NULL)
			b->d.port = (int)strtol(at + strlen(key), NULL, 10);
		free(log);
	}
	return b->d.port > 0 && fake_mm_ws_authenticated(b->mm) &&
	       fake_mm_ws_received_count(b->mm) > 0;
}

/* Start lihui against b->mm and wait until its WebSocket is logged in. */
static void
bench_daemon_start(struct bench *b)
{
	struct bench_daemon *d = &b->d;
	uv_process_options_t o;
	uv_stdio_container_t stdio[3];
	const char *tmpdir = getenv("TMPDIR");
	char *args[8], **env, *url, *text, *tmpl;
	size_t n = 0, i, e = 0;
	FILE *f;
	int fd, rc;

	memset(d, 0, sizeof *d);
	tmpl = xasprintf("%s/bench-mm.XXXXXX",
			 tmpdir != NULL && *tmpdir != '\0' ? tmpdir : "/tmp");
	if (mkdtemp(tmpl) == NULL)
		bench_die(NULL, "cannot make a temporary directory",
			  xasprintf("%s: %s", tmpl, strerror(errno)));
	d->dir = tmpl;
	d->conf = xasprintf("%s/lihui.conf", d->dir);
	d->log = xasprintf("%s/lihui.log", d->dir);
	url = fake_mm_url(b->mm, "");
	text = xasprintf("[lihui]\nadapter = mattermost\ndatabase = "
			 "%s/lihui.db\n[mattermost]\nurl = %s\nlisten = "
			 "127.0.0.1:0\ncommand_token = %s\n",
			 d->dir, url, BENCH_COMMAND_TOKEN);
	free(url);
	fd = open(d->conf, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (f == NULL || fputs(text, f) == EOF || fclose(f) != 0)
		bench_die(NULL, "cannot write the config", NULL);
	free(text);

	if (b->taskset != NULL) {
		args[n++] = b->taskset;
		args[n++] = "-c";
		args[n++] = "1";
	}
	args[n++] = (char *)b->lihui;
	args[n++] = "--config";
	args[n++] = d->conf;
	args[n] = NULL;
	for (i = 0; environ[i] != NULL; i++)
		;
	env = xcalloc(i + 3, sizeof *env);
	for (i = 0; environ[i] != NULL; i++)
		if (strncmp(environ[i], "LIHUI_", 6) != 0)
			env[e++] = environ[i];
	env[e++] = "LIHUI_LOG=info";
	env[e++] = "LIHUI_MATTERMOST_TOKEN=" BENCH_BOT_TOKEN;
	env[e] = NULL;

	fd = open(d->log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		bench_die(NULL, "cannot open the daemon's log", NULL);
	memset(stdio, 0, sizeof stdio);
	stdio[0].flags = UV_IGNORE;
	stdio[1].flags = UV_INHERIT_FD;
	stdio[1].data.fd = fd;
	stdio[2].flags = UV_INHERIT_FD;
	stdio[2].data.fd = fd;
	memset(&o, 0, sizeof o);
	o.exit_cb = bench_exit_cb;
	o.file = args[0];
	o.args = args;
	o.env = env;
	o.stdio_count = 3;
	o.stdio = stdio;
	d->proc.data = d;
	rc = uv_spawn(&b->loop, &d->proc, &o);
	close(fd);
	free(env);
	if (rc != 0)
		bench_die(NULL, "cannot start lihui", xstrdup(uv_strerror(rc)));
	d->spawned = 1;
	if (bench_wait(b, bench_started, b, BENCH_START_MS) != 0 || d->exited) {
		text = bench_read_file(d->log);
		fprintf(stderr, "%s", text);
		free(text);
		bench_die(b, "lihui did not start or did not connect", NULL);
	}
	/* Let the hello and the challenge's answer go through. */
	bench_sleep(b, 200);
	b->seq = 1; /* the hello was 0 */
	b->scanned = fake_mm_ephemeral_count(b->mm);
}

static int
bench_exited(struct fake_mm *f, void *arg)
{
	struct bench_daemon *d = arg;

	(void)f;
	return d->exited;
}

/* Stop the daemon (SIGTERM, then SIGKILL) and remove its files. */
static void
bench_daemon_stop(struct bench *b)
{
	struct bench_daemon *d = &b->d;
	static const char *const files[] = {
		"lihui.conf",	"lihui.log",	    "lihui.db", "lihui.db-wal",
		"lihui.db-shm", "lihui.db-journal", NULL
	};
	char *path;
	size_t i;

	if (d->spawned && !d->exited) {
		uv_process_kill(&d->proc, SIGTERM);
		if (bench_wait(b, bench_exited, d, 3000) != 0) {
			uv_process_kill(&d->proc, SIGKILL);
			bench_wait(b, bench_exited, d, 3000);
		}
	}
	for (i = 0; files[i] != NULL; i++) {
		path = xasprintf("%s/%s", d->dir, files[i]);
		unlink(path);
		free(path);
	}
	rmdir(d->dir);
	free(d->dir);
	free(d->conf);
	free(d->log);
}

/* Resident memory of a process, kB, from /proc/PID/status. */
struct bench_mem {
	long rss;  /* VmRSS */
	long hwm;  /* VmHWM: the peak */
	long anon; /* RssAnon: heap, stacks */
	long file; /* RssFile: mapped files (code, libraries) */
};

static long
bench_status_kb(const char *status, const char *key)
{
	const char *p = strstr(status, key);

	return p != NULL ? strtol(p + strlen(key), NULL, 10) : -1;
}

static void
bench_memory(int pid, struct bench_mem *m)
{
	char *path = xasprintf("/proc/%d/status", pid), *s;

	s = bench_read_file(path);
	free(path);
	m->rss = bench_status_kb(s, "VmRSS:");
	m->hwm = bench_status_kb(s, "VmHWM:");
	m->anon = bench_status_kb(s, "RssAnon:");
	m->file = bench_status_kb(s, "RssFile:");
	free(s);
}

/* User plus system CPU time of pid so far, in seconds. */
static double
bench_cpu_seconds(int pid)
{
	char *path = xasprintf("/proc/%d/stat", pid), *s, *p, *end;
	unsigned long long utime = 0, stime = 0;
	int field;

	s = bench_read_file(path);
	free(path);
	/* Fields after the command name: state is field 3, utime 14. */
	p = strrchr(s, ')');
	for (field = 2; p != NULL && field < 14; field++)
		p = strchr(p + 1, ' ');
	if (p != NULL) {
		utime = strtoull(p + 1, &end, 10);
		stime = strtoull(end, NULL, 10);
	}
	free(s);
	return (double)(utime + stime) / (double)sysconf(_SC_CLK_TCK);
}

/* Events. */

static void
bench_user(char id[27], char name[16], int n)
{
	bench_id(id, "benchuser", n);
	snprintf(name, 16, "user%04d", n);
}

static void
bench_channel(char id[27], char name[16], int n)
{
	bench_id(id, "benchchan", n);
	snprintf(name, 16, "chan%03d", n);
}

/* Add users and channels to the fake. */
static void
bench_team(struct fake_mm *mm, int users, int channels)
{
	char id[27], name[16];
	int i;

	for (i = 0; i < users; i++) {
		bench_user(id, name, i);
		fake_mm_add_user(mm, id, name);
	}
	for (i = 0; i < channels; i++) {
		bench_channel(id, name, i);
		fake_mm_add_channel(mm, id, FAKE_MM_TEAM_ID, name, "O");
	}
}

/* A "posted" event's frame prefix. */
static char *
bench_posted(struct bench *b, const char *channel, const char *user,
	     const char *message, const char *type)
{
	char *data = fake_mm_posted_data(b->mm, channel, user, message, type),
	     *s;

	s = xasprintf("{\"event\":\"posted\",\"data\":%s,\"broadcast\":{"
		      "\"omit_users\":null,\"user_id\":\"\",\"channel_id\":"
		      "\"%s\",\"team_id\":\"\",\"connection_id\":\"\","
		      "\"omit_connection_id\":\"\"},\"seq\":",
		      data, channel);
	free(data);
	return s;
}

static char *
bench_dm(struct bench *b, const char *user, const char *message)
{
	char dm[27];

	fake_mm_direct_id(user, FAKE_MM_BOT_ID, dm);
	return bench_posted(b, dm, user, message, "D");
}

static const char *const bench_messages[] = {
	"morning all, the deploy went out at 9 and looks fine",
	"can someone review https://git.example.com/app/pull/4211 please?",
	"I'll be 5 minutes late to standup",
	"the flaky test in payments is back; looking into it now",
	"lunch?",
	"pushed the fix for the login redirect, should be live in 10 min",
	"回头看一下这个问题，明天再说",
	"+1",
};

/* One event of the mix for pool slot i. */
static char *
bench_event(struct bench *b, size_t i)
{
	char user[27], uname[16], chan[27], cname[16];
	size_t k = i % 100,
	       nmsg = sizeof bench_messages / sizeof *bench_messages;

	bench_user(user, uname, (int)(i % BENCH_INGEST_USERS));
	bench_channel(chan, cname, (int)(i * 7 % BENCH_INGEST_CHANNELS));
	if (k == 0)
		return bench_dm(b, user, "report show");
	if (k == 50)
		return bench_posted(b, chan, user, "@lihui report show", "O");
	if (k < 16)
		return xasprintf(
		    "{\"event\":\"status_change\",\"data\":{\"status\":\"%s\","
		    "\"user_id\":\"%s\"},\"broadcast\":{\"omit_users\":null,"
		    "\"user_id\":\"%s\",\"channel_id\":\"\",\"team_id\":\"\","
		    "\"connection_id\":\"\",\"omit_connection_id\":\"\"},"
		    "\"seq\":",
		    i % 3 == 0 ? "away" : "online", user, user);
	if (k < 62)
		return xasprintf(
		    "{\"event\":\"typing\",\"data\":{\"parent_id\":\"\","
		    "\"user_id\":\"%s\"},\"broadcast\":{\"omit_users\":{\"%s\":"
		    "true},\"user_id\":\"\",\"channel_id\":\"%s\","
		    "\"team_id\":\"\",\"connection_id\":\"\","
		    "\"omit_connection_id\":\"\"},\"seq\":",
		    user, user, chan);
	return bench_posted(b, chan, user, bench_messages[i % nmsg], "O");
}

static void
bench_pool(struct bench *b)
{
	size_t i, len, max = 0;

	b->npool = BENCH_POOL;
	b->pool = xcalloc(b->npool, sizeof *b->pool);
	for (i = 0; i < b->npool; i++) {
		b->pool[i] = bench_event(b, i);
		len = strlen(b->pool[i]);
		if (len > max)
			max = len;
	}
	b->marker = bench_dm(b, FAKE_MM_CAROL_ID, "report show");
	len = strlen(b->marker);
	b->frame_size = (len > max ? len : max) + 32;
	b->frame = xmalloc(b->frame_size);
}

/* Push prefix as the next event. */
static void
bench_push(struct bench *b, const char *prefix)
{
	snprintf(b->frame, b->frame_size, "%s%" PRId64 "}", prefix, b->seq++);
	fake_mm_ws_send_raw(b->mm, b->frame);
}

static void
bench_pusher_step(struct bench_pusher *p, long count)
{
	struct bench *b = p->b;
	long i;

	if (p->t0 == 0)
		p->t0 = uv_hrtime();
	for (i = 0; i < count && !p->stop; i++) {
		if (p->total >= 0 && p->pushed == p->total) {
			b->answered = 0;
			bench_push(b, b->marker);
			p->t_pushed = uv_hrtime();
			p->stop = 1;
			break;
		}
		bench_push(b, b->pool[(size_t)p->pushed % b->npool]);
		p->pushed++;
	}
	if (p->stop) {
		uv_idle_stop(&p->idle);
		uv_timer_stop(&p->timer);
	}
}

static void
bench_idle_cb(uv_idle_t *h)
{
	bench_pusher_step(h->data, BENCH_BATCH);
}

/* At a rate: push what is owed since t0 (at most 5 ms worth at once). */
static void
bench_rate_cb(uv_timer_t *t)
{
	struct bench_pusher *p = t->data;
	long owed;

	if (p->t0 == 0)
		p->t0 = uv_hrtime();
	owed = (long)(p->rate * bench_ms_since(p->t0) / 1e3) - p->pushed;
	if (owed > (long)(p->rate / 200))
		owed = (long)(p->rate / 200);
	if (owed > 0)
		bench_pusher_step(p, owed);
}

static void
bench_pusher_start(struct bench *b, struct bench_pusher *p, long total,
		   double rate)
{
	memset(p, 0, sizeof *p);
	p->b = b;
	p->total = total;
	p->rate = rate;
	uv_idle_init(&b->loop, &p->idle);
	uv_timer_init(&b->loop, &p->timer);
	p->idle.data = p->timer.data = p;
	if (rate > 0)
		uv_timer_start(&p->timer, bench_rate_cb, 1, 1);
	else
		uv_idle_start(&p->idle, bench_idle_cb);
}

static void
bench_pusher_end(struct bench_pusher *p)
{
	p->stop = 1;
	if (p->t_pushed == 0)
		p->t_pushed = uv_hrtime();
	uv_close((uv_handle_t *)&p->idle, NULL);
	uv_close((uv_handle_t *)&p->timer, NULL);
	/* p may live on the stack: let libuv finish with it. */
	uv_run(&p->b->loop, UV_RUN_NOWAIT);
}

/* Whether the answer to the marker (an ephemeral post to carol) came. */
static int
bench_marker_answered(struct fake_mm *f, void *arg)
{
	struct bench *b = arg;
	const struct fake_mm_ephemeral *e;

	if (b->d.exited)
		return 1;
	while (!b->answered && b->scanned < fake_mm_ephemeral_count(f)) {
		e = fake_mm_ephemeral_at(f, b->scanned++);
		b->answered = strcmp(e->user_id, FAKE_MM_CAROL_ID) == 0;
	}
	return b->answered;
}

/* Slash commands from a thread. */

static int
bench_connect(int port)
{
	struct sockaddr_in sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	if (fd < 0)
		return -1;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		close(fd);
		return -1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	return fd;
}

/* The value of header name in head (case-insensitive), or NULL. */
static const char *
bench_header(const char *head, const char *name)
{
	size_t n = strlen(name);
	const char *p = strstr(head, "\r\n");

	while (p != NULL && p[2] != '\r') {
		p += 2;
		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			p += n + 1;
			while (*p == ' ')
				p++;
			return p;
		}
		p = strstr(p, "\r\n");
	}
	return NULL;
}

/*
 * Send request on *fd (connecting first if *fd < 0) and read the answer.
 * Returns the status, or -1 (then *fd is closed). body gets the body.
 */
static int
bench_http(int port, int *fd, const char *request, char *body, size_t size)
{
	char buf[BENCH_RESPONSE_MAX + 1], *end;
	const char *v;
	size_t len = 0, want = 0, off = strlen(request), done = 0;
	ssize_t n;
	int status = -1, head = 0, close_after = 0;

	if (*fd < 0 && (*fd = bench_connect(port)) < 0)
		return -1;
	while (done < off) {
		n = send(*fd, request + done, off - done, MSG_NOSIGNAL);
		if (n <= 0)
			goto fail;
		done += (size_t)n;
	}
	for (;;) {
		if (head && len >= want)
			break;
		if (len == BENCH_RESPONSE_MAX)
			goto fail;
		n = recv(*fd, buf + len, BENCH_RESPONSE_MAX - len, 0);
		if (n <= 0)
			goto fail;
		len += (size_t)n;
		buf[len] = '\0';
		if (head || (end = strstr(buf, "\r\n\r\n")) == NULL)
			continue;
		head = 1;
		*end = '\0';
		status = (int)strtol(buf + 9, NULL, 10);
		v = bench_header(buf, "content-length");
		want = (size_t)(end + 4 - buf) +
		       (v != NULL ? (size_t)strtol(v, NULL, 10) : 0);
		v = bench_header(buf, "connection");
		close_after = v != NULL && strncasecmp(v, "close", 5) == 0;
		off = (size_t)(end + 4 - buf);
	}
	if (body != NULL) {
		snprintf(body, size, "%.*s", (int)(want - off), buf + off);
	}
	if (close_after) {
		close(*fd);
		*fd = -1;
	}
	return status;
fail:
	close(*fd);
	*fd = -1;
	return -1;
}

static char *
bench_command(int port, const char *user, const char *uname,
	      const char *channel, const char *cname, const char *command,
	      const char *text)
{
	char *body, *req;

	body = xasprintf("channel_id=%s&channel_name=%s&command=%%2F%s&"
			 "response_url=http%%3A%%2F%%2F127.0.0.1%%2Fhooks&"
			 "team_domain=team&team_id=%s&text=%s&token=%s&"
			 "trigger_id=benchtrigger&user_id=%s&user_name=%s",
			 channel, cname, command, FAKE_MM_TEAM_ID, text,
			 BENCH_COMMAND_TOKEN, user, uname);
	req = xasprintf("POST /command HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
			"Content-Type: application/x-www-form-urlencoded\r\n"
			"Accept: application/json\r\nContent-Length: %zu\r\n"
			"\r\n%s",
			port, strlen(body), body);
	free(body);
	return req;
}

static void
bench_client_thread(void *arg)
{
	struct bench_client *c = arg;
	uint64_t t0;
	size_t i;
	int fd = -1;

	for (i = 0; i < c->n; i++) {
		t0 = uv_hrtime();
		if (bench_http(c->port, &fd, c->requests[i], NULL, 0) != 200)
			c->errors++;
		c->us[i] = (double)(uv_hrtime() - t0) / 1e3;
		if (c->reconnect && fd >= 0) {
			close(fd);
			fd = -1;
		}
	}
	if (fd >= 0)
		close(fd);
	uv_async_send(&c->async);
}

static void
bench_client_async(uv_async_t *a)
{
	struct bench_client *c = a->data;

	c->finished = 1;
}

static int
bench_client_finished(struct fake_mm *f, void *arg)
{
	struct bench_client *c = arg;

	(void)f;
	return c->finished;
}

/* Run c's requests on a thread while this loop serves the fake. */
static void
bench_client_run(struct bench *b, struct bench_client *c, uint64_t timeout_ms)
{
	uv_thread_t th;

	c->us = xcalloc(c->n, sizeof *c->us);
	c->port = b->d.port;
	uv_async_init(&b->loop, &c->async, bench_client_async);
	c->async.data = c;
	if (uv_thread_create(&th, bench_client_thread, c) != 0)
		bench_die(b, "cannot start a thread", NULL);
	if (bench_wait(b, bench_client_finished, c, timeout_ms) != 0)
		bench_die(b, "slash commands not answered in time", NULL);
	uv_thread_join(&th);
	uv_close((uv_handle_t *)&c->async, NULL);
	uv_run(&b->loop, UV_RUN_NOWAIT);
}

static void
bench_client_free(struct bench_client *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->requests[i]);
	free(c->requests);
	free(c->us);
}

static int
bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The p-th percentile of sorted v (nearest rank). */
static double
bench_percentile(const double *v, size_t n, double p)
{
	size_t rank = (size_t)(p / 100.0 * (double)n + 0.999999);

	if (rank == 0)
		rank = 1;
	return v[rank > n ? n - 1 : rank - 1];
}

/* The outbox backlog /healthz reports, or -1. */
static long
bench_backlog(struct bench *b)
{
	char body[256], *req, *at;
	int fd = -1, status;

	req = xasprintf("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
			"Connection: close\r\n\r\n",
			b->d.port);
	status = bench_http(b->d.port, &fd, req, body, sizeof body);
	free(req);
	if (fd >= 0)
		close(fd);
	at = strstr(body, "\"outbox_backlog\":");
	if (status < 0 || at == NULL)
		return -1;
	return strtol(at + 17, NULL, 10);
}

/* Phases. */

struct bench_latency {
	const char *name;
	double p50, p99, max, mean;
	size_t errors;
	double load_rate; /* events per second pushed meanwhile */
	double behind;	  /* seconds the daemon took to catch up after */
};

static void
bench_latency_requests(struct bench *b, struct bench_client *c, size_t n,
		       size_t round)
{
	static const char *const texts[] = {
		"done+Fixed+the+flaky+build+on+main",
		"plan+Ship+the+release+notes+by+Friday",
		"show",
		"metric+signups%3D1240",
	};
	char user[27], uname[16], chan[27], cname[16];
	size_t i;

	memset(c, 0, sizeof *c);
	c->n = n;
	c->requests = xcalloc(n, sizeof *c->requests);
	for (i = 0; i < n; i++) {
		bench_user(user, uname,
			   (int)((i + round) % BENCH_INGEST_USERS));
		bench_channel(chan, cname, (int)(i % BENCH_INGEST_CHANNELS));
		c->requests[i] = bench_command(b->d.port, user, uname, chan,
					       cname, "report", texts[i % 4]);
	}
}

/* Latency of b->requests commands, with rate events/s pushed (0: none). */
static void
bench_latency(struct bench *b, struct bench_latency *out, const char *name,
	      double rate, int reconnect, size_t round)
{
	struct bench_client c;
	struct bench_pusher p;
	int load = rate > 0;
	double *v;
	size_t i;

	bench_latency_requests(b, &c, (size_t)b->requests, round);
	c.reconnect = reconnect;
	if (load)
		bench_pusher_start(b, &p, -1, rate);
	bench_client_run(b, &c, 60000);
	memset(out, 0, sizeof *out);
	out->name = name;
	if (load) {
		bench_pusher_end(&p);
		out->load_rate =
		    (double)p.pushed / ((double)(p.t_pushed - p.t0) / 1e9);
		/* Wait until the daemon has handled every event pushed, so
		 * that the next condition starts without a backlog. */
		b->answered = 0;
		bench_push(b, b->marker);
		if (bench_wait(b, bench_marker_answered, b, BENCH_INGEST_MS) !=
			0 ||
		    b->d.exited)
			bench_die(b, "the load's marker was not answered",
				  NULL);
		out->behind = (double)(uv_hrtime() - p.t_pushed) / 1e9;
	}
	v = c.us;
	qsort(v, c.n, sizeof *v, bench_cmp_double);
	out->p50 = bench_percentile(v, c.n, 50) / 1e3;
	out->p99 = bench_percentile(v, c.n, 99) / 1e3;
	out->max = v[c.n - 1] / 1e3;
	for (i = 0; i < c.n; i++)
		out->mean += v[i];
	out->mean = out->mean / (double)c.n / 1e3;
	out->errors = c.errors;
	bench_client_free(&c);
}

struct bench_ingest {
	double rate;	  /* events per second, to the marker's answer */
	double push_rate; /* events per second the driver pushed */
	double seconds;
	double cpu;	      /* the daemon's CPU seconds meanwhile */
	struct bench_mem mem; /* the daemon's, afterwards */
};

static void
bench_ingest(struct bench *b, struct bench_ingest *out)
{
	struct bench_pusher p;
	uint64_t t_end;
	double cpu0 = bench_cpu_seconds(b->d.proc.pid);

	bench_pusher_start(b, &p, b->events, 0);
	if (bench_wait(b, bench_marker_answered, b, BENCH_INGEST_MS) != 0 ||
	    b->d.exited)
		bench_die(b, "the marker event was not answered in time", NULL);
	t_end = uv_hrtime();
	out->cpu = bench_cpu_seconds(b->d.proc.pid) - cpu0;
	bench_pusher_end(&p);
	out->seconds = (double)(t_end - p.t0) / 1e9;
	out->rate = (double)(b->events + 1) / out->seconds;
	out->push_rate =
	    (double)(b->events + 1) / ((double)(p.t_pushed - p.t0) / 1e9);
	bench_memory(b->d.proc.pid, &out->mem);
}

/* Every command and event answered, and the outbox empty. */
static int
bench_drained(struct fake_mm *f, void *arg)
{
	struct bench *b = arg;

	return b->d.exited ||
	       (fake_mm_ephemeral_count(f) + fake_mm_post_count(f) >=
		    b->expected &&
		bench_backlog(b) == 0);
}

struct bench_rss {
	size_t commands, dms;
	size_t errors;
	struct bench_mem idle; /* connected, before any command */
	struct bench_mem mem;  /* after everything was answered */
	size_t ephemerals, posts;
};

/* The team phase: a fresh fake and daemon; see the top of the file. */
static void
bench_rss(struct bench *b, struct bench_rss *out)
{
	static const char *const texts[] = {
		"done+Migrated+the+billing+jobs+to+the+new+queue",
		"plan+Pair+with+@user0001+on+the+search+index",
		"metric+signups%3D1240+conversion%3D3.1%25",
	};
	char user[27], uname[16], chan[27], cname[16], text[256];
	struct bench_client c;
	size_t n = 0, i, k;
	int u, ch;

	memset(out, 0, sizeof *out);
	bench_team(b->mm, BENCH_TEAM_USERS, BENCH_TEAM_CHANNELS);
	bench_daemon_start(b);
	bench_sleep(b, 500);
	bench_memory(b->d.proc.pid, &out->idle);
	memset(&c, 0, sizeof c);
	c.n = (size_t)BENCH_TEAM_USERS * 3 + (size_t)BENCH_TEAM_CHANNELS * 2;
	c.requests = xcalloc(c.n, sizeof *c.requests);
	for (ch = 0; ch < BENCH_TEAM_CHANNELS; ch++) {
		bench_channel(chan, cname, ch);
		k = (size_t)snprintf(text, sizeof text, "roster+add");
		for (i = 0; i < 6; i++) {
			u = (ch + (int)i * BENCH_TEAM_CHANNELS / 3) %
			    BENCH_TEAM_USERS;
			bench_user(user, uname, u);
			k += (size_t)snprintf(text + k, sizeof text - k,
					      "+%%40%s", uname);
		}
		bench_user(user, uname, ch);
		c.requests[n++] = bench_command(b->d.port, user, uname, chan,
						cname, "meeting", text);
	}
	for (u = 0; u < BENCH_TEAM_USERS; u++) {
		bench_user(user, uname, u);
		for (i = 0; i < 3; i++) {
			ch = (u * (int)(2 * i + 1) + (int)i * 167) %
			     BENCH_TEAM_CHANNELS;
			bench_channel(chan, cname, ch);
			c.requests[n++] =
			    bench_command(b->d.port, user, uname, chan, cname,
					  "report", texts[i]);
		}
	}
	for (ch = 0; ch < BENCH_TEAM_CHANNELS; ch++) {
		bench_channel(chan, cname, ch);
		bench_user(user, uname, ch);
		c.requests[n++] = bench_command(b->d.port, user, uname, chan,
						cname, "agenda", "");
	}
	c.n = n;
	bench_client_run(b, &c, 90000);
	out->commands = c.n;
	out->errors = c.errors;
	bench_client_free(&c);
	/* Each user asks in a direct message; each channel mentions. */
	for (u = 0; u < BENCH_TEAM_USERS; u++) {
		char *ev;

		bench_user(user, uname, u);
		ev = bench_dm(b, user, "report show");
		bench_push(b, ev);
		free(ev);
		out->dms++;
	}
	for (ch = 0; ch < BENCH_TEAM_CHANNELS; ch++) {
		char *ev;

		bench_channel(chan, cname, ch);
		bench_user(user, uname, ch + 1);
		ev = bench_posted(b, chan, user, "@lihui agenda", "O");
		bench_push(b, ev);
		free(ev);
		out->dms++;
	}
	b->expected = out->commands + out->dms;
	if (bench_wait(b, bench_drained, b, 60000) != 0 || b->d.exited)
		bench_die(b, "the outbox did not drain", NULL);
	bench_sleep(b, 1000);
	bench_memory(b->d.proc.pid, &out->mem);
	out->ephemerals = fake_mm_ephemeral_count(b->mm);
	out->posts = fake_mm_post_count(b->mm);
}

static struct fake_mm *
bench_fake(struct bench *b)
{
	char *cause = NULL;
	struct fake_mm *mm = fake_mm_new(&b->loop, BENCH_BOT_TOKEN, &cause);

	if (mm == NULL)
		bench_die(b, "cannot start the fake server", cause);
	return mm;
}

static void
bench_fake_close(struct bench *b)
{
	fake_mm_close(b->mm);
	b->mm = NULL;
	uv_run(&b->loop, UV_RUN_DEFAULT);
}

int
main(int argc, char **argv)
{
	struct bench b;
	struct bench_ingest ing;
	struct bench_latency lat[4];
	struct bench_rss mem;
	const char *env = getenv("LIHUI"), *tmpdir = getenv("TMPDIR");
	char what[64], res[64];
	size_t i;

	memset(&b, 0, sizeof b);
	b.lihui = argc > 1			? argv[1]
		  : env != NULL && *env != '\0' ? env
						: "./lihui";
	b.events = argc > 2 ? strtol(argv[2], NULL, 10) : BENCH_EVENTS;
	b.requests = argc > 3 ? strtol(argv[3], NULL, 10) : BENCH_REQUESTS;
	if (b.events < 0 || b.requests < 1) {
		fprintf(stderr,
			"usage: bench-mm [LIHUI [EVENTS [REQUESTS]]]\n");
		return 2;
	}
	if (access(b.lihui, X_OK) != 0)
		bench_die(NULL,
			  "cannot run lihui (build it with make lihui "
			  "lihui-net.so)",
			  xasprintf("%s: %s", b.lihui, strerror(errno)));
	signal(SIGPIPE, SIG_IGN);
	bench_pin(&b);
	uv_loop_init(&b.loop);
	uv_timer_init(&b.loop, &b.tick);

	printf("bench-mm: %s, database under %s; %s\n", b.lihui,
	       tmpdir != NULL && *tmpdir != '\0' ? tmpdir : "/tmp",
	       b.taskset != NULL ? "daemon pinned to CPU 1, driver to CPU 0"
				 : "not pinned (no taskset or one CPU)");
	fflush(stdout);

	/* 1 and 2: one daemon, on a team of 200 users in 50 channels. */
	b.mm = bench_fake(&b);
	bench_team(b.mm, BENCH_INGEST_USERS, BENCH_INGEST_CHANNELS);
	bench_pool(&b);
	bench_daemon_start(&b);
	bench_ingest(&b, &ing);
	bench_sleep(&b, 200);
	bench_latency(&b, &lat[0], "idle", 0, 0, 0);
	bench_latency(&b, &lat[1], "idle, new conns", 0, 1, 1);
	/* The load: the target rate, or what the daemon just managed if less
	 * (more would only pile events up in this program). */
	bench_latency(&b, &lat[2], "ingest load",
		      ing.rate < BENCH_LOAD_RATE ? ing.rate : BENCH_LOAD_RATE,
		      0, 2);
	bench_sleep(&b, 500);
	fake_mm_hang(b.mm, "POST", "/api/v4/posts/ephemeral", FAKE_MM_ALWAYS);
	bench_latency(&b, &lat[3], "ephemeral hangs", 0, 0, 3);
	fake_mm_unscript(b.mm);
	bench_daemon_stop(&b);
	bench_fake_close(&b);

	/* 3: a fresh daemon on a team of 1,000 users in 500 channels. */
	b.mm = bench_fake(&b);
	bench_rss(&b, &mem);
	bench_daemon_stop(&b);
	bench_fake_close(&b);

	printf("%-40s %-46s %s\n", "measure", "result", "target");
	snprintf(what, sizeof what, "1 ws ingest, %ld events + marker",
		 b.events);
	snprintf(res, sizeof res, "%.0f events/s (%.2f s)", ing.rate,
		 ing.seconds);
	printf("%-40s %-46s %s\n", what, res, ">= 50000/s");
	printf("%-40s daemon CPU %.2f s (%.0f events per CPU second); driver "
	       "pushed %.0f/s\n",
	       "", ing.cpu, ing.cpu > 0 ? (double)b.events / ing.cpu : 0.0,
	       ing.push_rate);
	printf("%-40s daemon afterwards: VmRSS %ld kB, VmHWM %ld kB\n", "",
	       ing.mem.rss, ing.mem.hwm);
	for (i = 0; i < 4; i++) {
		snprintf(what, sizeof what, "2 slash answer p50/p99, %s",
			 lat[i].name);
		snprintf(res, sizeof res, "%.2f / %.2f ms (max %.1f, %zu err)",
			 lat[i].p50, lat[i].p99, lat[i].max, lat[i].errors);
		printf("%-40s %-46s %s\n", what, res, "p99 < 5 ms");
	}
	printf("%-40s %ld sequential requests each, on one keep-alive "
	       "connection (new conns: one each)\n",
	       "", b.requests);
	printf("%-40s load: %.0f events/s pushed; the daemon caught up %.2f "
	       "s after the last request\n",
	       "", lat[2].load_rate, lat[2].behind);
	snprintf(what, sizeof what, "3 RSS, %d users x %d channels",
		 BENCH_TEAM_USERS, BENCH_TEAM_CHANNELS);
	snprintf(res, sizeof res, "%ld kB (peak %ld kB)", mem.mem.rss,
		 mem.mem.hwm);
	printf("%-40s %-46s %s\n", what, res, "< 16384 kB");
	printf("%-40s anon %ld kB + files %ld kB; connected idle before: "
	       "%ld kB (anon %ld + files %ld)\n",
	       "", mem.mem.anon, mem.mem.file, mem.idle.rss, mem.idle.anon,
	       mem.idle.file);
	printf("%-40s %zu slash commands (%zu not 200), %zu events to the "
	       "bot, %zu ephemerals + %zu posts delivered\n",
	       "", mem.commands, mem.errors, mem.dms, mem.ephemerals,
	       mem.posts);

	for (i = 0; i < b.npool; i++)
		free(b.pool[i]);
	free(b.pool);
	free(b.marker);
	free(b.frame);
	free(b.taskset);
	uv_close((uv_handle_t *)&b.tick, NULL);
	uv_run(&b.loop, UV_RUN_DEFAULT);
	uv_loop_close(&b.loop);
	return 0;
}
