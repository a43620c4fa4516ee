/* SPDX-License-Identifier: MIT */
/*
 * test-export.c: `lihui export` (src/export.c). A meeting is held through
 * the real dispatcher (tests/lib/harness.c); its Markdown export must be
 * what /meeting minutes posts, and its JSON export must parse (read back
 * with json-c, which the tests may link) and hold the whole record. Then
 * the command line: every usage error exits 2 and says why, an unknown
 * meeting exits 1, and --output writes the file.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "harness.h"
#include "lihui/export.h"
#include "lihui/xmalloc.h"

/* Monday 2026-11-30 10:00 UTC. */
#define MONDAY_10 1796032800

/* Hold meeting 1 in the harness's channel and end it. */
static void
hold_meeting(struct tb *tb, int end)
{
	tb_cmd(tb, "alice", "/meeting roster add @alice @bob @carol @dave");
	tb_clock_set(tb, MONDAY_10);
	tb_cmd(tb, "alice", "/meeting start Weekly \"ops\" sync");
	tb_clock_set(tb, MONDAY_10 + 60);
	tb_say(tb, "alice", "good morning\teveryone");
	tb_say(tb, "bob", "#info the release went out on Friday");
	tb_say(tb, "alice", "#topic 价格调整");
	tb_say(tb, "bob", "#agreed Raise the price by 5% from January");
	tb_say(tb, "alice", "#action @bob fri Prepare the \\budget\\ draft");
	tb_cmd(tb, "alice", "/meeting present @carol");
	tb_cmd(tb, "alice", "/meeting absent @bob");
	if (!end)
		return;
	tb_clock_set(tb, MONDAY_10 + 1800);
	tb_cmd(tb, "alice", "/meeting end");
	tb_cmd(tb, "bob", "/meeting rate 4");
	tb_cmd(tb, "carol", "/meeting rate 5");
}

/* The text of the first channel post in out; caller frees. */
static char *
first_post(const char *out)
{
	const char *p = strstr(out, "[channel] "), *end;

	assert_non_null(p);
	p += strlen("[channel] ");
	end = strstr(p, "\n[channel] ");
	return end != NULL ? xstrndup(p, (size_t)(end - p + 1)) : xstrdup(p);
}

static struct json_object *
member(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	if (!json_object_object_get_ex(o, key, &v))
		fail_msg("no member '%s'", key);
	return v;
}

static const char *
str(struct json_object *o, const char *key)
{
	return json_object_get_string(member(o, key));
}

static int64_t
num(struct json_object *o, const char *key)
{
	return json_object_get_int64(member(o, key));
}

static void
test_markdown(void **state)
{
	struct tb *tb = *state;
	char *md = NULL, *posted, *stored = NULL, *cause = NULL;

	hold_meeting(tb, 1);
	posted = first_post(tb_cmd(tb, "alice", "/meeting minutes 1"));
	assert_int_equal(export_meeting(tb->store, &tb->config, 1,
					EXPORT_MARKDOWN, &md, &cause),
			 0);
	assert_null(cause);
	/* What was posted (recorded whole; the post may come in parts). */
	assert_int_equal(store_meeting_minutes(tb->store, 1, &stored, &cause),
			 0);
	assert_string_equal(md, stored);
	assert_true(strlen(posted) > 100);
	assert_memory_equal(md, posted, strlen(posted) - 1);
	assert_non_null(strstr(md, "#### Minutes of meeting 1"));
	free(md);
	free(stored);
	free(posted);
}

/* A running meeting exports its minutes so far, and its JSON. */
static void
test_running(void **state)
{
	struct tb *tb = *state;
	struct json_object *o, *m;
	char *doc = NULL, *cause = NULL;

	hold_meeting(tb, 0);
	assert_int_equal(export_meeting(tb->store, &tb->config, 1,
					EXPORT_MARKDOWN, &doc, &cause),
			 0);
	assert_non_null(strstr(doc, "Prepare the"));
	free(doc);
	assert_int_equal(export_meeting(tb->store, &tb->config, 1, EXPORT_JSON,
					&doc, &cause),
			 0);
	o = json_tokener_parse(doc);
	assert_non_null(o);
	m = member(o, "meeting");
	assert_string_equal(str(m, "state"), "running");
	assert_true(json_object_is_type(member(m, "ended_at"), json_type_null));
	assert_true(
	    json_object_is_type(member(m, "ended_at_local"), json_type_null));
	assert_true(json_object_is_type(member(o, "minutes"), json_type_null));
	assert_true(json_object_is_type(member(member(o, "ratings"), "average"),
					json_type_null));
	json_object_put(o);
	free(doc);
}

static void
test_json(void **state)
{
	struct tb *tb = *state;
	struct json_object *o, *m, *ch, *a, *e, *log;
	char *doc = NULL, *cause = NULL;
	size_t i;
	int kinds = 0;

	hold_meeting(tb, 1);
	assert_int_equal(export_meeting(tb->store, &tb->config, 1, EXPORT_JSON,
					&doc, &cause),
			 0);
	assert_null(cause);
	o = json_tokener_parse(doc);
	if (o == NULL)
		fail_msg("not JSON: %s", doc);
	assert_string_equal(str(o, "format"), "lihui-meeting");
	assert_int_equal(num(o, "version"), 1);

	m = member(o, "meeting");
	assert_int_equal(num(m, "id"), 1);
	assert_string_equal(str(m, "title"), "Weekly \"ops\" sync");
	assert_string_equal(str(m, "chair"), "alice");
	assert_string_equal(str(m, "state"), "ended");
	assert_string_equal(str(m, "started_at"), "2026-11-30T10:00:00Z");
	assert_string_equal(str(m, "ended_at"), "2026-11-30T10:30:00Z");
	assert_false(json_object_get_boolean(member(m, "auto_closed")));
	assert_false(json_object_get_boolean(member(m, "amended")));

	ch = member(o, "channel");
	assert_string_equal(str(ch, "name"), "ops");
	assert_non_null(str(ch, "key"));
	assert_non_null(str(ch, "timezone"));
	assert_non_null(str(ch, "locale"));

	/* bob spoke but was marked absent; carol only marked present. */
	a = member(o, "attendees");
	assert_int_equal(json_object_array_length(a), 2);
	e = json_object_array_get_idx(a, 0);
	assert_string_equal(str(e, "user"), "alice");
	assert_true(json_object_get_boolean(member(e, "spoke")));
	assert_false(json_object_get_boolean(member(e, "marked")));
	e = json_object_array_get_idx(a, 1);
	assert_string_equal(str(e, "user"), "carol");
	assert_int_equal(num(e, "lines"), 0);
	assert_false(json_object_get_boolean(member(e, "spoke")));
	assert_true(json_object_get_boolean(member(e, "marked")));
	assert_int_equal(json_object_array_length(member(o, "speakers")), 2);
	assert_int_equal(json_object_array_length(member(o, "marks")), 2);

	log = member(o, "log");
	assert_int_equal(json_object_array_length(log), 5);
	for (i = 0; i < json_object_array_length(log); i++) {
		e = json_object_array_get_idx(log, i);
		if (strcmp(str(e, "kind"), "line") == 0) {
			assert_string_equal(str(e, "text"),
					    "good morning\teveryone");
			kinds |= 1;
		} else if (strcmp(str(e, "kind"), "topic") == 0) {
			assert_string_equal(str(e, "text"), "价格调整");
			kinds |= 2;
		} else if (strcmp(str(e, "kind"), "action") == 0) {
			assert_int_equal(num(e, "action_id"), 1);
			kinds |= 4;
		}
		assert_string_equal(str(e, "at"), "2026-11-30T10:01:00Z");
		assert_non_null(str(e, "post_id"));
	}
	assert_int_equal(kinds, 7);

	a = member(o, "actions");
	assert_int_equal(json_object_array_length(a), 1);
	e = json_object_array_get_idx(a, 0);
	assert_int_equal(num(e, "id"), 1);
	assert_string_equal(str(e, "owner"), "bob");
	assert_string_equal(str(e, "text"), "Prepare the \\budget\\ draft");
	assert_string_equal(str(e, "due"), "2026-12-04");
	assert_string_equal(str(e, "state"), "open");
	assert_string_equal(str(e, "created_by"), "alice");
	assert_string_equal(str(e, "created_at"), "2026-11-30T10:01:00Z");
	assert_true(
	    json_object_is_type(member(e, "closed_at"), json_type_null));

	assert_int_equal(num(member(o, "ratings"), "count"), 2);
	assert_true(json_object_get_double(
			member(member(o, "ratings"), "average")) == 4.5);
	assert_non_null(strstr(str(o, "minutes"), "#### Minutes of meeting 1"));
	json_object_put(o);
	free(doc);
}

/* Local times carry the channel zone's offset. */
static void
test_zone(void **state)
{
	struct tb *tb = *state;
	struct json_object *o, *m;
	char *doc = NULL, *cause = NULL;

	tb_cmd(tb, "alice", "/meeting config timezone Asia/Shanghai");
	hold_meeting(tb, 1);
	assert_int_equal(export_meeting(tb->store, &tb->config, 1, EXPORT_JSON,
					&doc, &cause),
			 0);
	o = json_tokener_parse(doc);
	assert_non_null(o);
	m = member(o, "meeting");
	assert_string_equal(str(m, "started_at"), "2026-11-30T10:00:00Z");
	assert_string_equal(str(member(o, "channel"), "timezone"),
			    "Asia/Shanghai");
	assert_string_equal(str(m, "started_at_local"),
			    "2026-11-30T18:00:00+08:00");
	assert_string_equal(str(m, "ended_at_local"),
			    "2026-11-30T18:30:00+08:00");
	json_object_put(o);
	free(doc);
}

static void
test_errors(void **state)
{
	struct tb *tb = *state;
	char *doc = NULL, *cause = NULL;

	assert_int_equal(export_meeting(tb->store, &tb->config, 99,
					EXPORT_MARKDOWN, &doc, &cause),
			 -1);
	assert_null(doc);
	assert_string_equal(cause, "no meeting 99");
	free(cause);
	cause = NULL;
	assert_int_equal(export_meeting(tb->store, &tb->config, 99, EXPORT_JSON,
					&doc, &cause),
			 -1);
	assert_non_null(cause);
	free(cause);
}

static void
test_format_parse(void **state)
{
	(void)state;
	assert_int_equal(export_format_parse("md"), EXPORT_MARKDOWN);
	assert_int_equal(export_format_parse("json"), EXPORT_JSON);
	assert_int_equal(export_format_parse("JSON"), -1);
	assert_int_equal(export_format_parse(""), -1);
	assert_int_equal(export_format_parse("markdown"), -1);
}

/* export_main() on argv; the exit code. */
static int
run_main(const char *const *args)
{
	char *argv[16];
	int argc = 0;

	while (args[argc] != NULL) {
		argv[argc] = (char *)args[argc];
		argc++;
	}
	argv[argc] = NULL;
	return export_main(argc, argv);
}

static void
test_main(void **state)
{
	const char *base = getenv("TMPDIR");
	char dir[256], db[300], out[300], tmp[310];
	struct {
		const char *args[12];
		int want;
	} cases[] = {
		{ { "export", NULL }, 2 },
		{ { "export", "--meeting", NULL }, 2 },
		{ { "export", "--meeting", "abc", NULL }, 2 },
		{ { "export", "--meeting", "0", NULL }, 2 },
		{ { "export", "--meeting", "-3", NULL }, 2 },
		{ { "export", "--meeting", "1x", NULL }, 2 },
		{ { "export", "--meeting", "1", "--format", "xml", NULL }, 2 },
		{ { "export", "--meeting", "1", "extra", NULL }, 2 },
		{ { "export", "--bogus", NULL }, 2 },
		{ { "export", "--help", NULL }, 0 },
		{ { "export", "--meeting", "7", "--db", db, NULL }, 1 },
		{ { "export", "--meeting", "7", "--db", db, "--config",
		    "/nonexistent/lihui.conf", NULL },
		  1 },
		{ { "export", "--meeting", "7", "--db", "/nonexistent/x/l.db",
		    NULL },
		  1 },
	};
	size_t i;

	(void)state;
	snprintf(dir, sizeof dir, "%s/lihui-test-export-XXXXXX",
		 base != NULL && *base != '\0' ? base : "/tmp");
	assert_non_null(mkdtemp(dir));
	snprintf(db, sizeof db, "%s/l.db", dir);
	snprintf(out, sizeof out, "%s/out.md", dir);
	snprintf(tmp, sizeof tmp, "%s.tmp", out);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (run_main(cases[i].args) != cases[i].want)
			fail_msg("case %zu: want exit %d", i, cases[i].want);
	}
	/* No meeting: no output file either. */
	{
		const char *args[] = { "export", "--meeting", "7", "--db",
				       db,	 "--output",  out, NULL };

		assert_int_equal(run_main(args), 1);
		assert_int_equal(access(out, F_OK), -1);
		assert_int_equal(access(tmp, F_OK), -1);
	}
	unlink(db);
	snprintf(tmp, sizeof tmp, "%s-wal", db);
	unlink(tmp);
	snprintf(tmp, sizeof tmp, "%s-shm", db);
	unlink(tmp);
	assert_int_equal(rmdir(dir), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_markdown, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_running, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_json, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_zone, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_errors, tb_setup,
						tb_teardown),
		cmocka_unit_test(test_format_parse),
		cmocka_unit_test(test_main),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
