/* SPDX-License-Identifier: MIT */
/*
 * itest.h: the harness of the integration tests in C: the real lihui
 * daemon as a child process, run against fake chat servers (fake-mm.h
 * and the like) on this process's libuv loop. Nothing here knows a chat
 * platform; each test file adds its fake and the requests it sends.
 *
 * A test embeds a struct itest_daemon in its own struct (which must not
 * move: the loop lives in it) and sets it up with itest_init(): a loop,
 * an HTTP client for requests to lihui, a fresh mkdtemp() directory for
 * the config (itest_write_file(), mode 0600), the database and the
 * output of each run. itest_start() runs $LIHUI (default ./lihui; it may
 * be a wrapper such as "valgrind ... ./lihui") through
 * /bin/sh -c 'exec ...', so that the pid is the daemon's, with this
 * process's environment minus LIHUI_*, plus LIHUI_LOG=info and what the
 * test adds; stdout and stderr go to a file per run ("out-<n>") that the
 * test reads (itest_log_count(), itest_expect_log()) to wait for log
 * lines and to learn the slash-command port (itest_wait_listening()).
 *
 * Every wait runs the loop until a condition holds or a deadline passes:
 * a short tick timer wakes the loop to look at the log meanwhile. Waits
 * nest (a condition may itself wait for an HTTP answer from lihui), each
 * on its own timers. Deadlines are five times longer when LIHUI_SLOW is
 * set (valgrind): itest_wait_scaled() and everything that fails the test
 * on a timeout scale theirs, itest_wait() and itest_settle() do not.
 * itest_stop() sends SIGTERM and requires exit status 0 (valgrind reports
 * leaks through it); itest_stop() and itest_kill() both check that no
 * secret the test named appears in lihui's output.
 *
 *	struct my_test { struct itest_daemon d; struct fake_x *x; ... };
 *	itest_init(&t->d, t, secrets);	   in the cmocka setup
 *	x = fake_x_new(&t->d.loop, ...);
 *	conf = itest_write_file(&t->d, "lihui.conf", "...");
 *	itest_start(&t->d, env, args);
 *	itest_wait_listening(&t->d);
 *	ITEST_WAIT(&t->d, cond_something, &arg, ITEST_WAIT_MS, "what");
 *	itest_stop(&t->d);
 *	fake_x_close(x); itest_release(&t->d);   in the cmocka teardown
 *
 * main() calls itest_prepare() before cmocka_run_group_tests():
 * ITEST_FILTER (a glob, as cmocka takes it) runs only the tests it names.
 */
#ifndef LIHUI_TEST_ITEST_H
#define LIHUI_TEST_ITEST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <uv.h>

#include "lihui/clock.h"

/* Deadlines before scaling by LIHUI_SLOW, in milliseconds. */
#define ITEST_START_MS 10000 /* to start listening or connect */
#define ITEST_WAIT_MS  5000  /* for lihui to do one thing */
#define ITEST_STOP_MS  15000 /* to exit after a signal */
/* How many waits may nest, and how often the daemon may be started. */
#define ITEST_WAIT_DEPTH 4
#define ITEST_MAX_RUNS	 4
/* What lihui logs once its HTTP listener is up, before the port. */
#define ITEST_LISTENING "listening for slash commands on 127.0.0.1:"

struct http_client;

/*
 * A condition: nonzero once it holds. ctx is the one given to
 * itest_init() (the test's own struct), arg the one given to the wait.
 */
typedef int (*itest_cond_fn)(void *ctx, const void *arg);

/* The timers of one wait. */
struct itest_waiter {
	uv_timer_t tick; /* wakes the loop to look at the log */
	uv_timer_t deadline;
	int expired;
};

/*
 * The daemon under test and its surroundings. Tests read the fields
 * (loop, slow, dir, running, port...) and change none of them.
 */
struct itest_daemon {
	uv_loop_t loop; /* for the test's fakes too */
	struct clock clock;
	struct http_client *http;   /* requests to lihui (itest_call_start) */
	void *ctx;		    /* given to the conditions */
	const char *const *secrets; /* must never appear in the output */
	int slow;		    /* deadline factor: 5 under LIHUI_SLOW */
	char dir[64];		    /* the mkdtemp() directory */

	uv_process_t proc;
	int running;   /* started and not yet exited */
	int proc_open; /* proc needs a uv_close() */
	int64_t exit_status;
	int term_signal;
	int runs;  /* starts so far */
	char *log; /* the current run's output file */
	int port;  /* from itest_wait_listening() */

	struct itest_waiter waiters[ITEST_WAIT_DEPTH];
	int depth; /* waiters in use */
};

/* One HTTP request to lihui and its answer. */
struct itest_call {
	int done;
	long status; /* 0 if no answer came (body: the error) */
	char *body;
	uint64_t start_ns;
	uint64_t elapsed_ms; /* from the start to the answer */
};

/** Ignore SIGPIPE and apply ITEST_FILTER; call first in main(). */
void itest_prepare(void);

/**
 * Set d up: a loop, an HTTP client, a fresh directory. ctx goes to every
 * condition; secrets (NULL-terminated, or NULL) must never appear in
 * lihui's output. Fails the test on error.
 */
void itest_init(struct itest_daemon *d, void *ctx, const char *const *secrets);
/**
 * Kill lihui if it still runs (after a failed test), close everything,
 * run the loop until idle, close it and remove the directory. Close the
 * test's own handles on d->loop (its fakes) first.
 */
void itest_release(struct itest_daemon *d);

/**
 * Write the file name in d's directory, mode 0600, with the text fmt
 * formats. Returns its path; caller frees.
 */
char *itest_write_file(struct itest_daemon *d, const char *name,
		       const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/**
 * Start lihui with args (NULL-terminated, each passed as one word; NULL:
 * none) and with env added to its environment ("NAME=value" strings,
 * NULL-terminated, or NULL). Returns once it is spawned; fails the test
 * if it cannot be.
 */
void itest_start(struct itest_daemon *d, const char *const *env,
		 const char *const *args);
/**
 * Wait until lihui logged ITEST_LISTENING and the port; returns the port
 * (also in d->port). Fails the test if lihui exits or times out first.
 */
int itest_wait_listening(struct itest_daemon *d);
/** Send signum to the running lihui. */
void itest_signal(struct itest_daemon *d, int signum);
/**
 * Wait for lihui to exit: with status 0 when signum is 0, else killed by
 * signum. Then check that no secret is in its output.
 */
void itest_wait_exit(struct itest_daemon *d, int signum);
/** SIGTERM; lihui must exit with status 0 and no secret in its output. */
void itest_stop(struct itest_daemon *d);
/** SIGKILL: no chance to finish anything; no secret in its output. */
void itest_kill(struct itest_daemon *d);
/** Fail if one of secrets (NULL-terminated) is in lihui's output. */
void itest_check_no_secrets(const struct itest_daemon *d,
			    const char *const *secrets);

/** The whole of the current run's output (caller frees); "" if none. */
char *itest_read_log(const struct itest_daemon *d);
/** How often needle occurs in the current run's output. */
size_t itest_log_count(const struct itest_daemon *d, const char *needle);
/** Print the current run's output to stderr. */
void itest_dump_log(const struct itest_daemon *d);
/** Fail unless the current run's output holds needle. */
void itest_expect_log(const struct itest_daemon *d, const char *needle);

/**
 * Run the loop until cond(d->ctx, arg) holds or ms pass; 0 when it
 * holds, else -1.
 */
int itest_wait(struct itest_daemon *d, itest_cond_fn cond, const void *arg,
	       uint64_t ms);
/** itest_wait() with ms scaled by LIHUI_SLOW. */
int itest_wait_scaled(struct itest_daemon *d, itest_cond_fn cond,
		      const void *arg, uint64_t ms);
/** itest_wait_scaled() until the output holds needle n times. */
int itest_wait_log(struct itest_daemon *d, const char *needle, size_t n,
		   uint64_t ms);
/** Let the loop run for ms (unscaled): for checking that nothing happens. */
void itest_settle(struct itest_daemon *d, uint64_t ms);
/** Milliseconds on the loop's clock, brought up to date. */
uint64_t itest_now_ms(struct itest_daemon *d);

/*
 * Fail the test, showing lihui's output, unless waited (an itest_wait*()
 * call) returned 0. Macros, so that cmocka names the test's line.
 */
#define ITEST_OR_FAIL(d, waited, what)                                         \
	do {                                                                   \
		if ((waited) != 0) {                                           \
			itest_dump_log(d);                                     \
			fail_msg("timed out waiting for %s", (what));          \
		}                                                              \
	} while (0)
/* Wait for cond (ms scaled) or fail. */
#define ITEST_WAIT(d, cond, arg, ms, what)                                     \
	ITEST_OR_FAIL((d), itest_wait_scaled((d), (cond), (arg), (ms)), (what))
/* Wait for needle in the output n times (ms scaled) or fail. */
#define ITEST_WAIT_LOG(d, needle, n, ms, what)                                 \
	ITEST_OR_FAIL((d), itest_wait_log((d), (needle), (n), (ms)), (what))

/**
 * Start method path on lihui's port with body (a form, sent with
 * Content-Type: application/x-www-form-urlencoded; NULL: none) and the
 * headers (NULL-terminated, or NULL) after "Accept: application/json".
 * The answer lands in *c; fails the test if the request cannot start.
 */
void itest_call_start(struct itest_daemon *d, struct itest_call *c,
		      const char *method, const char *path, const char *body,
		      const char *const *headers);
/** Wait for c's answer (ITEST_WAIT_MS, scaled) or fail. */
void itest_call_wait(struct itest_daemon *d, struct itest_call *c);
/** Free what c holds and clear it. */
void itest_call_release(struct itest_call *c);
/** Append key=value, form-encoded, to *form (freed and replaced). */
void itest_form_add(char **form, const char *key, const char *value);

#endif
