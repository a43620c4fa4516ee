/* SPDX-License-Identifier: MIT */
/*
 * main.c: start-up, the event loop, signals and teardown.
 *
 * Design. lihui runs on one libuv loop owned here. The adapter's sockets
 * (libwebsockets and libcurl join this loop in the platform adapters), the
 * outbox timer and the signal handlers are all handles on it; nothing
 * blocks it: SQLite is a local file and console input from a regular file
 * is read on libuv's thread pool.
 *
 * Lifecycle:
 *   parse options -> load and validate the config -> open the store
 *   (migrations) -> create and start the adapter -> deliver what the
 *   outbox still holds from before, and write the minutes' Markdown
 *   copies still due (minutes-file.c) -> run the loop
 *   stop (SIGTERM/SIGINT, or the console's end of input): stop taking
 *   input, let the outbox deliver what is queued for up to
 *   LIHUI_DRAIN_SECONDS, then close every handle; rows not delivered stay
 *   pending in the store for the next start. A second signal exits at once.
 *
 * The choice of libuv as the one loop (over lws's own loop with a curl
 * tick, or a worker thread for curl) follows the libwebsockets maintainers'
 * advice for lws + libcurl (warmcat/libwebsockets#2762) and curl's own
 * multi-socket design; see the project's style notes.
 */

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uv.h>

#include "lihui/adapter.h"
#include "lihui/bot.h"
#include "lihui/buf.h"
#include "lihui/cmd.h"
#include "lihui/config.h"
#include "lihui/commit.h"
#include "lihui/export.h"
#include "lihui/log.h"
#include "lihui/meeting.h"
#include "lihui/minutes-file.h"
#include "lihui/module.h"
#include "lihui/outbox.h"
#include "lihui/sched.h"
#include "lihui/schedule.h"
#include "lihui/store.h"
#include "lihui/xmalloc.h"

#define LIHUI_DRAIN_SECONDS 10
/* How often to look for meetings to end automatically, in ms. */
#define LIHUI_MEETING_CHECK_MS 60000

struct daemon {
	uv_loop_t loop;
	uv_signal_t sigint, sigterm;
	uv_timer_t drain_timer;
	uv_timer_t meeting_timer; /* ends forgotten meetings */
	struct config config;
	struct store *store;
	struct bot bot;
	struct module
	    *module; /* the network module, when the adapter needs it */
	struct adapter *adapter;
	struct outbox *outbox;
	struct committer *committer;
	struct sched *sched;
	struct minutes_file_writer *minutes; /* NULL: no copies kept */
	int stopping;
	int closing;
	int pending_closes;
	int exit_code;
};

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: lihui [--console] [--config FILE] [--db FILE] "
		"[--locale en|zh_CN]\n"
		"       lihui --check-config FILE\n"
		"       lihui --list-commands [--locale en|zh_CN]\n"
		"       lihui --register-commands --config FILE\n"
		"       lihui export --meeting ID [--format md|json] "
		"[--output FILE]\n"
		"                    [--config FILE] [--db FILE]\n"
		"       lihui --version | --help\n"
		"\n"
		"  --console          talk to lihui on standard input/output\n"
		"  --config FILE      configuration file (default: none, "
		"built-in defaults)\n"
		"  --db FILE          SQLite database (default: "
		"./var/lihui.db)\n"
		"  --locale LOCALE    language of new channels (en, zh_CN)\n"
		"  --check-config F   validate F and exit\n"
		"  --list-commands    print every command as Markdown\n"
		"  --register-commands  create or update lihui's slash "
		"commands on the\n"
		"                     Mattermost team in [mattermost]; prints "
		"their tokens\n"
		"  export             write meeting ID's minutes (md, the "
		"default) or its\n"
		"                     whole record (json) to standard output "
		"or FILE\n"
		"\n"
		"Environment: LIHUI_LOG=debug|info|warn|error; secrets "
		"LIHUI_MATTERMOST_TOKEN,\n"
		"LIHUI_MATTERMOST_COMMAND_TOKEN, "
		"LIHUI_SLACK_BOT_TOKEN, LIHUI_SLACK_APP_TOKEN, "
		"LIHUI_SLACK_SIGNING_SECRET.\n");
}

static void
daemon_handle_closed(uv_handle_t *h)
{
	struct daemon *d = h->data;

	d->pending_closes--;
}

static void
daemon_part_closed(void *arg)
{
	struct daemon *d = arg;

	d->pending_closes--;
}

/* Close every handle; the loop then ends by itself. */
static void
daemon_close(struct daemon *d)
{
	if (d->closing)
		return;
	d->closing = 1;
	d->pending_closes = 8;
	minutes_file_close(d->minutes);
	uv_close((uv_handle_t *)&d->meeting_timer, daemon_handle_closed);
	sched_close(d->sched, daemon_part_closed, d);
	committer_close(d->committer, daemon_part_closed, d);
	uv_close((uv_handle_t *)&d->sigint, daemon_handle_closed);
	uv_close((uv_handle_t *)&d->sigterm, daemon_handle_closed);
	uv_close((uv_handle_t *)&d->drain_timer, daemon_handle_closed);
	outbox_close(d->outbox, daemon_part_closed, d);
	d->adapter->ops->close(d->adapter, daemon_part_closed, d);
}

static void
daemon_drained(void *arg)
{
	daemon_close(arg);
}

static void
daemon_drain_timeout(uv_timer_t *t)
{
	struct daemon *d = t->data;

	log_warn("%lld messages not delivered in %d s; they stay queued for "
		 "the next start",
		 (long long)outbox_backlog(d->outbox), LIHUI_DRAIN_SECONDS);
	daemon_close(d);
}

/* Stop taking input and deliver what is queued, within a bound. */
static void
daemon_stop(struct daemon *d)
{
	if (d->stopping)
		return;
	d->stopping = 1;
	if (d->adapter->ops->stop != NULL)
		d->adapter->ops->stop(d->adapter);
	uv_timer_start(&d->drain_timer, daemon_drain_timeout,
		       LIHUI_DRAIN_SECONDS * 1000, 0);
	outbox_when_idle(d->outbox, daemon_drained, d);
}

static void
daemon_signal(uv_signal_t *s, int signum)
{
	struct daemon *d = s->data;

	if (d->stopping) {
		log_warn("second signal %d: exiting now", signum);
		_exit(1);
	}
	log_info("signal %d: stopping", signum);
	daemon_stop(d);
}

static void
daemon_jobs_changed(void *arg)
{
	struct daemon *d = arg;

	sched_kick(d->sched);
}

/* Every minute: end the meetings nobody ended (meeting_timeout). */
static void
daemon_meeting_check(uv_timer_t *t)
{
	struct daemon *d = t->data;

	meeting_close_stale(&d->bot, clock_now(&d->bot.clock));
	minutes_file_retry(d->minutes);
}

/* More batches are durable: deliver their posts, send held answers. */
static void
daemon_durable(void *arg)
{
	struct daemon *d = arg;

	if (d->closing)
		return; /* a sync that ended after the handles closed */
	outbox_kick(d->outbox);
	if (d->adapter->ops->durable != NULL)
		d->adapter->ops->durable(d->adapter);
	/* New minutes may have been stored: copy them (minutes-file.h). */
	minutes_file_kick(d->minutes);
}

static uint64_t
daemon_generation(void *arg)
{
	struct daemon *d = arg;

	return store_generation(d->store);
}

static int
daemon_is_durable(void *arg, uint64_t gen)
{
	struct daemon *d = arg;

	return store_durable(d->store, gen);
}

static int64_t
daemon_backlog(void *arg)
{
	struct daemon *d = arg;

	return d->outbox != NULL ? outbox_backlog(d->outbox) : 0;
}

static void
daemon_event(void *arg, const struct chat_event *ev)
{
	struct daemon *d = arg;

	bot_handle_event(&d->bot, ev);
}

static void
daemon_input_closed(void *arg)
{
	daemon_stop(arg);
}

/* Apply --locale to the console's channel, which may already exist. */
static int
daemon_console_locale(struct daemon *d, char **cause)
{
	struct clock clock = clock_system();
	struct channel ch;
	int rc;

	if (schedule_channel_ensure(
		d->store, &d->config, d->config.channel_name,
		d->config.channel_name, clock_now(&clock), &ch, cause) != 0)
		return -1;
	free(ch.locale);
	ch.locale = xstrdup(d->config.locale);
	rc = store_channel_update(d->store, &ch, cause);
	channel_release(&ch);
	return rc;
}

/* --register-commands: the work is in the network module. */
static int
register_commands(struct daemon *d)
{
	int (*run)(const struct config *) = NULL;
	char *cause = NULL;

	d->module = module_open(&cause);
	if (d->module != NULL)
		*(void **)&run =
		    module_symbol(d->module, MODULE_REGISTER_COMMANDS, &cause);
	if (d->module == NULL || run == NULL) {
		fprintf(stderr, "lihui: %s\n", cause);
		free(cause);
		return 1;
	}
	return run(&d->config);
}

static int
daemon_run(struct daemon *d, int set_locale)
{
	const struct adapter_ops *ops;
	struct adapter_sink sink;
	char *cause = NULL, *minutes_dir;

	ops = adapter_load(d->config.adapter, &d->module, &cause);
	if (ops == NULL) {
		fprintf(stderr, "lihui: %s\n", cause);
		free(cause);
		return 1;
	}
	d->store = store_open(d->config.database, &cause);
	if (d->store == NULL) {
		fprintf(stderr, "lihui: %s\n", cause);
		free(cause);
		return 1;
	}
	if (set_locale && strcmp(ops->name, "console") == 0 &&
	    daemon_console_locale(d, &cause) != 0) {
		fprintf(stderr, "lihui: %s\n", cause);
		free(cause);
		return 1;
	}
	uv_loop_init(&d->loop);
	d->loop.data = d;
	bot_init(&d->bot, &d->config, d->store, clock_system(), ops->max_text);
	sink.event = daemon_event;
	sink.closed = daemon_input_closed;
	sink.backlog = daemon_backlog;
	sink.generation = daemon_generation;
	sink.durable = daemon_is_durable;
	sink.arg = d;
	d->adapter = ops->create(&d->config, &d->loop, &sink, &cause);
	if (d->adapter == NULL) {
		fprintf(stderr, "lihui: %s\n", cause);
		free(cause);
		uv_loop_close(&d->loop);
		return 1;
	}
	d->outbox = outbox_new(&d->loop, &d->bot, d->adapter);
	/*
	 * Group commit (commit.h): the outbox is kicked when batches become
	 * durable, not when a command stores a post (bot.outbox_ready),
	 * since before that it could not hand the post out anyway.
	 */
	store_set_batching(d->store, 1);
	d->committer = committer_new(&d->loop, d->store, daemon_durable, d);
	d->sched = sched_new(&d->loop, &d->bot);
	d->bot.jobs_changed = daemon_jobs_changed;
	d->bot.jobs_arg = d;
	minutes_dir = config_minutes_dir(&d->config);
	if (minutes_dir != NULL)
		d->minutes = minutes_file_new(&d->loop, d->store, minutes_dir);
	free(minutes_dir);
	uv_signal_init(&d->loop, &d->sigint);
	uv_signal_init(&d->loop, &d->sigterm);
	uv_timer_init(&d->loop, &d->drain_timer);
	uv_timer_init(&d->loop, &d->meeting_timer);
	d->sigint.data = d->sigterm.data = d->drain_timer.data = d;
	d->meeting_timer.data = d;
	uv_timer_start(&d->meeting_timer, daemon_meeting_check,
		       LIHUI_MEETING_CHECK_MS, LIHUI_MEETING_CHECK_MS);
	uv_signal_start(&d->sigint, daemon_signal, SIGINT);
	uv_signal_start(&d->sigterm, daemon_signal, SIGTERM);
	signal(SIGPIPE, SIG_IGN);

	if (ops->start(d->adapter, &cause) != 0) {
		fprintf(stderr, "lihui: %s\n", cause);
		free(cause);
		d->exit_code = 1;
		daemon_close(d);
	} else {
		log_info("lihui %s started: adapter %s, database %s",
			 LIHUI_VERSION, ops->name, d->config.database);
		outbox_kick(d->outbox);
		/* Jobs missed while lihui was down run now (or are
		 * skipped, past the grace period). */
		sched_start(d->sched);
		/* The copies a crash (or a failed write) left due. */
		minutes_file_kick(d->minutes);
	}
	uv_run(&d->loop, UV_RUN_DEFAULT);
	if (d->pending_closes != 0)
		log_warn("%d handles still closing at exit", d->pending_closes);
	if (uv_loop_close(&d->loop) != 0)
		log_warn("event loop closed with handles still open");
	d->adapter->ops->free(d->adapter);
	outbox_free(d->outbox);
	committer_free(d->committer);
	sched_free(d->sched);
	minutes_file_free(d->minutes);
	if (store_flush(d->store, &cause) != 0) {
		log_error("cannot commit at exit: %s", cause);
		free(cause);
	}
	store_close(d->store);
	return d->exit_code;
}

static int
list_commands(struct daemon *d)
{
	struct buf b;
	int loc = locale_parse(d->config.locale);

	bot_init(&d->bot, &d->config, NULL, clock_system(), 16383);
	buf_init(&b, 1024 * 1024);
	cmd_list_markdown(&d->bot, loc < 0 ? LOCALE_EN : (enum locale)loc, &b);
	fputs(buf_str(&b), stdout);
	buf_release(&b);
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "console", no_argument, NULL, 'c' },
		{ "config", required_argument, NULL, 'f' },
		{ "db", required_argument, NULL, 'd' },
		{ "locale", required_argument, NULL, 'l' },
		{ "check-config", required_argument, NULL, 'C' },
		{ "list-commands", no_argument, NULL, 'L' },
		{ "register-commands", no_argument, NULL, 'R' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct daemon d;
	const char *config_path = NULL, *db = NULL, *locale = NULL;
	char *cause = NULL;
	int opt, console = 0, check = 0, list = 0, reg = 0, rc;

	memset(&d, 0, sizeof d);
	/* A subcommand with options of its own. */
	if (argc > 1 && strcmp(argv[1], "export") == 0)
		return export_main(argc - 1, argv + 1);
	while ((opt = getopt_long(argc, argv, "cf:d:l:h", options, NULL)) !=
	       -1) {
		switch (opt) {
		case 'c':
			console = 1;
			break;
		case 'f':
			config_path = optarg;
			break;
		case 'C':
			config_path = optarg;
			check = 1;
			break;
		case 'd':
			db = optarg;
			break;
		case 'l':
			locale = optarg;
			break;
		case 'L':
			list = 1;
			break;
		case 'R':
			reg = 1;
			break;
		case 'V':
			printf("lihui %s\n", LIHUI_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "lihui: unexpected argument '%s'\n",
			argv[optind]);
		usage(stderr);
		return 2;
	}
	if (locale != NULL && locale_parse(locale) < 0) {
		fprintf(stderr,
			"lihui: unknown locale '%s' (use en or zh_CN)\n",
			locale);
		return 2;
	}

	config_defaults(&d.config);
	if (config_path != NULL &&
	    config_load(&d.config, config_path, &cause) != 0)
		goto config_failed;
	/* Registering needs no command token yet: it makes them. */
	if ((console || reg) && !check) {
		free(d.config.adapter);
		d.config.adapter = xstrdup("console");
	}
	if (db != NULL) {
		free(d.config.database);
		d.config.database = xstrdup(db);
	}
	if (locale != NULL) {
		free(d.config.locale);
		d.config.locale =
		    xstrdup(locale_name((enum locale)locale_parse(locale)));
	}
	if (config_finish(&d.config, &cause) != 0)
		goto config_failed;
	if (check) {
		printf("%s: ok\n", config_path);
		config_release(&d.config);
		return 0;
	}
	if (reg)
		rc = register_commands(&d);
	else if (list)
		rc = list_commands(&d);
	else
		rc = daemon_run(&d, locale != NULL);
	/* After the adapter is freed: its code lives in the module. */
	module_close(d.module);
	config_release(&d.config);
	return rc;

config_failed:
	fprintf(stderr, "lihui: %s\n", cause);
	free(cause);
	config_release(&d.config);
	return 1;
}
