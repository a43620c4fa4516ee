/* SPDX-License-Identifier: MIT */
/*
 * export.c: `lihui export`; see export.h for the JSON document.
 *
 * The Markdown is meeting_minutes(), exactly what /meeting minutes posts
 * (in the channel's language), rendered afresh so a running meeting
 * exports its minutes so far. The JSON is written with jsonw (the core
 * does not link json-c) from the store's rows as they are, so tools get
 * everything the minutes summarize. It reads the database file while the
 * daemon runs (SQLite's normal locking, store.c); a write lock the daemon
 * holds for a moment is waited for (busy_timeout).
 */

#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lihui/args.h"
#include "lihui/config.h"
#include "lihui/export.h"
#include "lihui/jsonw.h"
#include "lihui/meeting.h"
#include "lihui/minutes-file.h"
#include "lihui/store.h"
#include "lihui/tz.h"
#include "lihui/xmalloc.h"

/* The largest JSON document written, in bytes. */
#define EXPORT_JSON_MAX (256u * 1024 * 1024)

static void export_usage(FILE *f);
static int export_json(struct store *s, const struct meeting *m,
		       const struct channel *ch, char **out, char **cause);
static void export_time(struct jsonw *w, const char *key, const char *zone,
			int64_t t);

int
export_format_parse(const char *s)
{
	if (strcmp(s, "md") == 0)
		return EXPORT_MARKDOWN;
	if (strcmp(s, "json") == 0)
		return EXPORT_JSON;
	return -1;
}

int
export_meeting(struct store *s, const struct config *config, int64_t id,
	       enum export_format format, char **out, char **cause)
{
	struct meeting m;
	struct channel ch;
	int found = 0, rc;

	*out = NULL;
	if (store_meeting_get(s, id, &m, &found, cause) != 0)
		return -1;
	if (!found)
		return set_cause(cause, "no meeting %" PRId64, id);
	if (store_channel_get(s, m.channel_id, &ch, &found, cause) != 0) {
		meeting_release(&m);
		return -1;
	}
	if (!found) {
		meeting_release(&m);
		return set_cause(
		    cause, "meeting %" PRId64 ": its channel is gone", id);
	}
	if (format == EXPORT_MARKDOWN)
		rc = meeting_minutes(s, config, &ch, id, out, cause);
	else
		rc = export_json(s, &m, &ch, out, cause);
	meeting_release(&m);
	channel_release(&ch);
	return rc;
}

/*
 * key: t as ISO 8601 in UTC, and key_local: in zone with its offset; both
 * null when t is 0 (not yet).
 */
static void
export_time(struct jsonw *w, const char *key, const char *zone, int64_t t)
{
	struct local_time lt;
	char text[40], *local_key;
	long off;

	local_key = xasprintf("%s_local", key);
	jsonw_key(w, key);
	if (t == 0 || tz_to_local("UTC", t, &lt, NULL) != 0) {
		jsonw_null(w);
	} else {
		snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02dZ",
			 lt.date.year, lt.date.month, lt.date.day, lt.hour,
			 lt.minute, lt.second);
		jsonw_string(w, text);
	}
	jsonw_key(w, local_key);
	if (t == 0 || tz_to_local(zone, t, &lt, NULL) != 0) {
		jsonw_null(w);
	} else {
		off = lt.utcoff < 0 ? -lt.utcoff : lt.utcoff;
		snprintf(text, sizeof text,
			 "%04d-%02d-%02dT%02d:%02d:%02d%c%02ld:%02ld",
			 lt.date.year, lt.date.month, lt.date.day, lt.hour,
			 lt.minute, lt.second, lt.utcoff < 0 ? '-' : '+',
			 off / 3600, off / 60 % 60);
		jsonw_string(w, text);
	}
	free(local_key);
}

/* The text of an enum value from names[], or null when out of range. */
static void
export_enum(struct jsonw *w, const char *key, int v, const char *const *names,
	    int n)
{
	jsonw_key(w, key);
	jsonw_string(w, v >= 0 && v < n ? names[v] : NULL);
}

/* The mark of user, or -1 when there is none. */
static int
export_mark(const struct meeting_mark *marks, size_t n, const char *user)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(marks[i].user_name, user) == 0)
			return marks[i].present;
	return -1;
}

/* Whether user is among the speakers. */
static int
export_spoke(const struct meeting_speaker *sp, size_t n, const char *user)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(sp[i].user_name, user) == 0)
			return 1;
	return 0;
}

/* The attendees: speakers not marked absent, then those marked present. */
static void
export_attendees(struct jsonw *w, const struct meeting_speaker *sp, size_t n_sp,
		 const struct meeting_mark *marks, size_t n_marks)
{
	size_t i;
	int mark;

	jsonw_key(w, "attendees");
	jsonw_array_begin(w);
	for (i = 0; i < n_sp; i++) {
		mark = export_mark(marks, n_marks, sp[i].user_name);
		if (mark == 0)
			continue;
		jsonw_object_begin(w);
		jsonw_kv_string(w, "user", sp[i].user_name);
		jsonw_kv_int(w, "lines", sp[i].lines);
		jsonw_kv_bool(w, "spoke", 1);
		jsonw_kv_bool(w, "marked", mark == 1);
		jsonw_object_end(w);
	}
	for (i = 0; i < n_marks; i++) {
		if (!marks[i].present ||
		    export_spoke(sp, n_sp, marks[i].user_name))
			continue;
		jsonw_object_begin(w);
		jsonw_kv_string(w, "user", marks[i].user_name);
		jsonw_kv_int(w, "lines", 0);
		jsonw_kv_bool(w, "spoke", 0);
		jsonw_kv_bool(w, "marked", 1);
		jsonw_object_end(w);
	}
	jsonw_array_end(w);
}

/* The JSON document of meeting m of channel ch (see export.h). */
static int
export_json(struct store *s, const struct meeting *m, const struct channel *ch,
	    char **out, char **cause)
{
	static const char *const states[] = { "running", "ended", "cancelled" };
	static const char *const action_states[] = { "open", "done",
						     "dropped" };
	struct meeting_speaker *sp = NULL;
	struct meeting_mark *marks = NULL;
	struct meeting_item *items = NULL;
	struct action_item *acts = NULL;
	size_t n_sp = 0, n_marks = 0, n_items = 0, n_acts = 0, i;
	char *minutes = NULL;
	double average = 0;
	int count = 0, rc = -1;
	struct jsonw w;

	if (store_meeting_speakers(s, m->id, &sp, &n_sp, cause) != 0 ||
	    store_meeting_marks(s, m->id, &marks, &n_marks, cause) != 0 ||
	    store_meeting_item_list(s, m->id, &items, &n_items, cause) != 0 ||
	    store_action_list_meeting(s, m->id, &acts, &n_acts, cause) != 0 ||
	    store_rating_summary(s, m->id, &count, &average, cause) != 0 ||
	    store_meeting_minutes(s, m->id, &minutes, cause) != 0)
		goto out;

	jsonw_init(&w, EXPORT_JSON_MAX);
	jsonw_object_begin(&w);
	jsonw_kv_string(&w, "format", "lihui-meeting");
	jsonw_kv_int(&w, "version", 1);

	jsonw_key(&w, "meeting");
	jsonw_object_begin(&w);
	jsonw_kv_int(&w, "id", m->id);
	jsonw_kv_string(&w, "title", m->title);
	jsonw_kv_string(&w, "chair", m->chair);
	export_enum(&w, "state", m->state, states, 3);
	export_time(&w, "started_at", ch->timezone, m->started_at);
	export_time(&w, "ended_at", ch->timezone, m->ended_at);
	jsonw_kv_bool(&w, "auto_closed", m->auto_closed);
	jsonw_kv_bool(&w, "amended", m->amended);
	jsonw_object_end(&w);

	jsonw_key(&w, "channel");
	jsonw_object_begin(&w);
	jsonw_kv_int(&w, "id", ch->id);
	jsonw_kv_string(&w, "key", ch->key);
	jsonw_kv_string(&w, "name", ch->name);
	jsonw_kv_string(&w, "timezone", ch->timezone);
	jsonw_kv_string(&w, "locale", ch->locale);
	jsonw_object_end(&w);

	export_attendees(&w, sp, n_sp, marks, n_marks);

	jsonw_key(&w, "speakers");
	jsonw_array_begin(&w);
	for (i = 0; i < n_sp; i++) {
		jsonw_object_begin(&w);
		jsonw_kv_string(&w, "user", sp[i].user_name);
		jsonw_kv_int(&w, "lines", sp[i].lines);
		jsonw_object_end(&w);
	}
	jsonw_array_end(&w);

	jsonw_key(&w, "marks");
	jsonw_array_begin(&w);
	for (i = 0; i < n_marks; i++) {
		jsonw_object_begin(&w);
		jsonw_kv_string(&w, "user", marks[i].user_name);
		jsonw_kv_bool(&w, "present", marks[i].present);
		jsonw_object_end(&w);
	}
	jsonw_array_end(&w);

	jsonw_key(&w, "log");
	jsonw_array_begin(&w);
	for (i = 0; i < n_items; i++) {
		jsonw_object_begin(&w);
		jsonw_kv_int(&w, "id", items[i].id);
		jsonw_kv_string(
		    &w, "kind",
		    meeting_item_name((enum meeting_item_kind)items[i].kind));
		jsonw_kv_string(&w, "user", items[i].user_name);
		jsonw_kv_string(&w, "text", items[i].text);
		export_time(&w, "at", ch->timezone, items[i].at);
		jsonw_kv_string(&w, "post_id", items[i].post_id);
		jsonw_key(&w, "action_id");
		if (items[i].action_id > 0)
			jsonw_int(&w, items[i].action_id);
		else
			jsonw_null(&w);
		jsonw_object_end(&w);
	}
	jsonw_array_end(&w);

	jsonw_key(&w, "actions");
	jsonw_array_begin(&w);
	for (i = 0; i < n_acts; i++) {
		jsonw_object_begin(&w);
		jsonw_kv_int(&w, "id", acts[i].id);
		jsonw_kv_string(&w, "owner", acts[i].owner);
		jsonw_kv_string(&w, "owner_id", acts[i].owner_id);
		jsonw_kv_string(&w, "text", acts[i].text);
		jsonw_kv_string(&w, "due", acts[i].due);
		export_enum(&w, "state", acts[i].state, action_states, 3);
		jsonw_kv_string(&w, "created_by", acts[i].created_by);
		export_time(&w, "created_at", ch->timezone, acts[i].created_at);
		export_time(&w, "closed_at", ch->timezone, acts[i].closed_at);
		jsonw_kv_string(&w, "note", acts[i].note);
		jsonw_object_end(&w);
	}
	jsonw_array_end(&w);

	jsonw_key(&w, "ratings");
	jsonw_object_begin(&w);
	jsonw_kv_int(&w, "count", count);
	jsonw_key(&w, "average");
	if (count > 0)
		jsonw_double(&w, average);
	else
		jsonw_null(&w);
	jsonw_object_end(&w);

	jsonw_kv_string(&w, "minutes", minutes);
	jsonw_object_end(&w);
	*out = jsonw_finish(&w, cause);
	jsonw_release(&w);
	rc = *out != NULL ? 0 : -1;
out:
	meeting_speaker_list_free(sp, n_sp);
	meeting_mark_list_free(marks, n_marks);
	meeting_item_list_free(items, n_items);
	action_item_list_free(acts, n_acts);
	free(minutes);
	return rc;
}

static void
export_usage(FILE *f)
{
	fprintf(f, "usage: lihui export --meeting ID [--format md|json] "
		   "[--output FILE]\n"
		   "                    [--config FILE] [--db FILE]\n");
}

/* Write the document to standard output; -1 and *cause on failure. */
static int
export_stdout(const char *doc, char **cause)
{
	size_t len = strlen(doc);

	if (fwrite(doc, 1, len, stdout) != len || fflush(stdout) != 0)
		return set_cause(cause, "cannot write to standard output");
	return 0;
}

int
export_main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "meeting", required_argument, NULL, 'm' },
		{ "format", required_argument, NULL, 'F' },
		{ "output", required_argument, NULL, 'o' },
		{ "config", required_argument, NULL, 'f' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config_path = NULL, *db = NULL, *output = NULL;
	const char *meeting = NULL, *format_name = "md";
	struct config config;
	struct store *s = NULL;
	char *doc = NULL, *cause = NULL;
	int opt, format, rc = 1;
	long id;

	/* getopt_long() names argv[0] in its messages. */
	argv[0] = (char *)"lihui export";
	optind = 1;
	while ((opt = getopt_long(argc, argv, "m:o:f:d:h", options, NULL)) !=
	       -1) {
		switch (opt) {
		case 'm':
			meeting = optarg;
			break;
		case 'F':
			format_name = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		case 'f':
			config_path = optarg;
			break;
		case 'd':
			db = optarg;
			break;
		case 'h':
			export_usage(stdout);
			return 0;
		default:
			export_usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "lihui: export: unexpected argument '%s'\n",
			argv[optind]);
		export_usage(stderr);
		return 2;
	}
	if (meeting == NULL) {
		fprintf(stderr, "lihui: export: --meeting ID is required\n");
		export_usage(stderr);
		return 2;
	}
	if (args_int(meeting, 1, LONG_MAX, &id) != 0) {
		fprintf(stderr,
			"lihui: export: invalid meeting '%s': want a meeting "
			"number\n",
			meeting);
		return 2;
	}
	format = export_format_parse(format_name);
	if (format < 0) {
		fprintf(stderr,
			"lihui: export: invalid format '%s': want md or json\n",
			format_name);
		return 2;
	}

	config_defaults(&config);
	if (config_path != NULL &&
	    config_load(&config, config_path, &cause) != 0)
		goto fail;
	if (db != NULL) {
		free(config.database);
		config.database = xstrdup(db);
	}
	if (config_finish(&config, &cause) != 0)
		goto fail;
	s = store_open(config.database, &cause);
	if (s == NULL ||
	    export_meeting(s, &config, id, (enum export_format)format, &doc,
			   &cause) != 0)
		goto fail;
	if (output != NULL) {
		if (minutes_file_write(output, doc, strlen(doc), &cause) != 0)
			goto fail;
	} else if (export_stdout(doc, &cause) != 0) {
		goto fail;
	}
	rc = 0;
	goto out;
fail:
	fprintf(stderr, "lihui: export: %s\n", cause);
	if (s == NULL && strstr(cause, "locked") != NULL)
		fprintf(stderr, "lihui: export: a running lihui holds the "
				"database; stop it or export from a copy\n");
out:
	free(cause);
	free(doc);
	store_close(s);
	config_release(&config);
	return rc;
}
