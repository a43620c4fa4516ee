/* SPDX-License-Identifier: MIT */
/*
 * test-mm-commands.c: Mattermost slash-command registration
 * (src/adapter/mm-commands.c). The pure parts are table-driven: the
 * percent-encoding, the JSON bodies, the answers (including truncated,
 * wrongly typed and oversized ones), and the specs, which are checked
 * against the dispatcher's tables. The registration itself runs on a real
 * libuv loop with the HTTP client against the scripted fake server
 * (tests/lib/fake-http.h): creation, update of lihui's own commands,
 * conflicts with foreign ones, a missing team, 401, 403, 500 and a
 * server that cannot be reached.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <json-c/json.h>
#include <uv.h>

#include "../../../src/adapter/mm-commands.h"
#include "fake-http.h"
#include "lihui/bot.h"
#include "lihui/buf.h"
#include "lihui/catalog.h"
#include "lihui/clock.h"
#include "lihui/cmd.h"
#include "lihui/config.h"
#include "lihui/http.h"
#include "lihui/utf8.h"
#include "lihui/xmalloc.h"

#define TEAM	    "myteam"
#define TEAM_ID	    "team4id5xxxxxxxxxxxxxxxxxx"
#define BOT_TOKEN   "bot-token-123"
#define CMD_URL	    "http://10.0.0.5:8090/command"
#define TEAM_PATH   "/api/v4/teams/name/" TEAM
#define LIST_PATH   "/api/v4/commands?team_id=" TEAM_ID "&custom_only=true"
#define TEAM_ANSWER "{\"id\":\"" TEAM_ID "\",\"name\":\"" TEAM "\"}"
#define NEW_ANSWER                                                             \
	"{\"id\":\"new1\",\"token\":\"tok4new5xxxxxxxxxxxxxxxxxx\","           \
	"\"trigger\":\"x\",\"url\":\"" CMD_URL "\"}"
#define WAIT_MS 10000 /* generous: valgrind is slow */

/* ---- pure functions ---- */

static void
test_escape(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "myteam", "myteam" },
		{ "", "" },
		{ "a-b.c_d~e", "a-b.c_d~e" },
		{ "my team/x?y=1&z#", "my%20team%2Fx%3Fy%3D1%26z%23" },
		{ "%", "%25" },
		{ "\xe4\xb8\xad", "%E4%B8%AD" },
		{ "A\x7f", "A%7F" },
	};
	size_t i;
	char *s;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		s = mm_cmd_escape(cases[i].in);
		assert_string_equal(s, cases[i].want);
		free(s);
	}
}

/* A string of n copies of c; caller frees. */
static char *
repeat(char c, size_t n)
{
	char *s = xmalloc(n + 1);

	memset(s, c, n);
	s[n] = '\0';
	return s;
}

static void
test_parse_team(void **state)
{
	static const struct {
		const char *body;
		const char *want; /* NULL: must fail */
	} cases[] = {
		{ TEAM_ANSWER, TEAM_ID },
		{ TEAM_ANSWER "\n", TEAM_ID },
		{ "{\"id\":\"t1\",\"extra\":{\"a\":[1,2,{}]}}", "t1" },
		{ "{\"id\":\"t1\"", NULL },
		{ "{\"id\":", NULL },
		{ "", NULL },
		{ "   ", NULL },
		{ "null", NULL },
		{ "[]", NULL },
		{ "\"t1\"", NULL },
		{ "{}", NULL },
		{ "{\"id\":null}", NULL },
		{ "{\"id\":42}", NULL },
		{ "{\"id\":[\"t1\"]}", NULL },
		{ "{\"id\":\"\"}", NULL },
		{ "{\"id\":\"a/b\"}", NULL },
		{ "{\"id\":\"a b\"}", NULL },
		{ "{\"id\":\"t1\"} x", NULL },
		{ "{\"id\":\"t1\"}{}", NULL },
		{ "limit exceeded", NULL },
	};
	size_t i;
	char *id, *cause;
	int rc;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cause = NULL;
		rc = mm_cmd_parse_team(cases[i].body, strlen(cases[i].body),
				       &id, &cause);
		if (cases[i].want != NULL) {
			if (rc != 0)
				fail_msg("case %zu: %s", i, cause);
			assert_string_equal(id, cases[i].want);
			assert_null(cause);
			free(id);
		} else {
			if (rc != -1)
				fail_msg("case %zu accepted", i);
			assert_null(id);
			assert_non_null(cause);
			free(cause);
		}
	}
}

/* Answers refused for their size or shape, built at run time. */
static void
test_parse_team_huge(void **state)
{
	char *body, *id, *cause = NULL, *long_id;
	size_t i;

	(void)state;
	/* An id one byte over the limit. */
	long_id = repeat('a', MM_CMD_ID_MAX + 1);
	body = xasprintf("{\"id\":\"%s\"}", long_id);
	assert_int_equal(mm_cmd_parse_team(body, strlen(body), &id, &cause),
			 -1);
	assert_non_null(cause);
	free(cause);
	free(body);
	free(long_id);

	/* An id at the limit is fine. */
	long_id = repeat('a', MM_CMD_ID_MAX);
	body = xasprintf("{\"id\":\"%s\"}", long_id);
	cause = NULL;
	assert_int_equal(mm_cmd_parse_team(body, strlen(body), &id, &cause), 0);
	assert_string_equal(id, long_id);
	free(id);
	free(body);
	free(long_id);

	/* A body over the cap is refused before parsing. */
	body = repeat(' ', MM_CMD_RESPONSE_MAX + 1);
	memcpy(body, TEAM_ANSWER, strlen(TEAM_ANSWER));
	cause = NULL;
	assert_int_equal(
	    mm_cmd_parse_team(body, MM_CMD_RESPONSE_MAX + 1, &id, &cause), -1);
	assert_non_null(cause);
	free(cause);
	free(body);

	/* Nesting deeper than the parser allows. */
	body = xmalloc(2 * 100 + 20);
	for (i = 0; i < 100; i++)
		body[i] = '[';
	for (i = 0; i < 100; i++)
		body[100 + i] = ']';
	body[200] = '\0';
	cause = NULL;
	assert_int_equal(mm_cmd_parse_team(body, 200, &id, &cause), -1);
	assert_non_null(cause);
	free(cause);
	free(body);

	/* A NUL byte inside the answer. */
	cause = NULL;
	assert_int_equal(
	    mm_cmd_parse_team("{\"id\":\"t1\"}\0{}", 14, &id, &cause), -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	assert_int_equal(
	    mm_cmd_parse_team("{\"id\":\"t\\u00001\"}", 17, &id, &cause), -1);
	assert_non_null(cause);
	free(cause);
}

static void
test_parse_list(void **state)
{
	static const struct {
		const char *body;
		int n;		     /* -1: must fail */
		const char *trigger; /* of the first command kept */
		const char *url;     /* of the first command kept */
	} cases[] = {
		{ "[]", 0, NULL, NULL },
		{ "[]\r\n", 0, NULL, NULL },
		{ "[{\"id\":\"c1\",\"trigger\":\"report\",\"url\":\"" CMD_URL
		  "\",\"token\":\"tok1\",\"delete_at\":0},"
		  "{\"id\":\"c2\",\"trigger\":\"jira\",\"url\":\"http://x\"}]",
		  2, "report", CMD_URL },
		{ "[{\"id\":\"c1\",\"trigger\":\"report\"}]", 1, "report", "" },
		{ "[{\"id\":\"c1\",\"trigger\":\"report\",\"url\":null}]", 1,
		  "report", "" },
		{ "[{\"id\":\"c0\",\"trigger\":\"old\",\"delete_at\":"
		  "1700000000000},{\"id\":\"c1\",\"trigger\":\"agenda\"}]",
		  1, "agenda", "" },
		{ "[{\"id\":\"c1\",\"trigger\":\"\xe6\x8a\xa5\xe5\x91\x8a\"}]",
		  1, "\xe6\x8a\xa5\xe5\x91\x8a", "" },
		{ "{}", -1, NULL, NULL },
		{ "[", -1, NULL, NULL },
		{ "[{\"id\":\"c1\",\"trigger\":\"report\"}", -1, NULL, NULL },
		{ "[{\"id\":\"c1\",\"trigger\":\"rep", -1, NULL, NULL },
		{ "[1]", -1, NULL, NULL },
		{ "[null]", -1, NULL, NULL },
		{ "[\"report\"]", -1, NULL, NULL },
		{ "[{\"trigger\":\"report\"}]", -1, NULL, NULL },
		{ "[{\"id\":\"c1\"}]", -1, NULL, NULL },
		{ "[{\"id\":\"c1\",\"trigger\":5}]", -1, NULL, NULL },
		{ "[{\"id\":\"c1\",\"trigger\":\"r\",\"url\":{}}]", -1, NULL,
		  NULL },
		{ "[{\"id\":\"c1\",\"trigger\":\"r\",\"token\":\"a b\"}]", -1,
		  NULL, NULL },
		{ "[{\"id\":\"c1\",\"trigger\":\"r\",\"delete_at\":\"0\"}]", -1,
		  NULL, NULL },
		{ "[{\"id\":\"c1\",\"trigger\":\"\xff\"}]", -1, NULL, NULL },
		{ "[{\"id\":\"c1\",\"trigger\":\"r\"},{\"id\":7}]", -1, NULL,
		  NULL },
	};
	struct mm_command *list;
	size_t i, n;
	char *cause;
	int rc;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cause = NULL;
		rc = mm_cmd_parse_list(cases[i].body, strlen(cases[i].body),
				       &list, &n, &cause);
		if (cases[i].n < 0) {
			if (rc != -1)
				fail_msg("case %zu accepted", i);
			assert_null(list);
			assert_int_equal(n, 0);
			assert_non_null(cause);
			free(cause);
			continue;
		}
		if (rc != 0)
			fail_msg("case %zu: %s", i, cause);
		assert_null(cause);
		assert_int_equal(n, (size_t)cases[i].n);
		if (n > 0) {
			assert_string_equal(list[0].trigger, cases[i].trigger);
			assert_string_equal(list[0].url, cases[i].url);
			assert_non_null(list[0].id);
		}
		mm_command_list_free(list, n);
	}
}

/* Lists at and over the count limit, and an oversized URL. */
static void
test_parse_list_huge(void **state)
{
	struct buf b;
	struct mm_command *list;
	size_t i, n;
	char *cause = NULL, *url, *body;

	(void)state;
	buf_init(&b, 16 * 1024 * 1024);
	buf_puts(&b, "[");
	for (i = 0; i < MM_CMD_LIST_MAX; i++)
		buf_printf(&b, "%s{\"id\":\"c%zu\",\"trigger\":\"t%zu\"}",
			   i == 0 ? "" : ",", i, i);
	buf_puts(&b, "]");
	assert_int_equal(mm_cmd_parse_list(b.data, b.len, &list, &n, &cause),
			 0);
	assert_int_equal(n, MM_CMD_LIST_MAX);
	mm_command_list_free(list, n);

	b.len--; /* drop the ']' */
	buf_puts(&b, ",{\"id\":\"cx\",\"trigger\":\"tx\"}]");
	assert_int_equal(mm_cmd_parse_list(b.data, b.len, &list, &n, &cause),
			 -1);
	assert_non_null(cause);
	free(cause);
	buf_release(&b);

	url = repeat('u', MM_CMD_URL_MAX + 1);
	body = xasprintf("[{\"id\":\"c1\",\"trigger\":\"r\",\"url\":\"%s\"}]",
			 url);
	cause = NULL;
	assert_int_equal(
	    mm_cmd_parse_list(body, strlen(body), &list, &n, &cause), -1);
	assert_non_null(cause);
	free(cause);
	free(body);
	free(url);

	url = repeat('t', MM_CMD_TRIGGER_MAX + 1);
	body = xasprintf("[{\"id\":\"c1\",\"trigger\":\"%s\"}]", url);
	cause = NULL;
	assert_int_equal(
	    mm_cmd_parse_list(body, strlen(body), &list, &n, &cause), -1);
	assert_non_null(cause);
	free(cause);
	free(body);
	free(url);
}

static void
test_parse_one(void **state)
{
	static const struct {
		const char *body;
		int ok;
		const char *token; /* NULL: none */
	} cases[] = {
		{ NEW_ANSWER, 1, "tok4new5xxxxxxxxxxxxxxxxxx" },
		{ "{\"id\":\"c1\",\"trigger\":\"report\"}", 1, NULL },
		{ "{\"id\":\"c1\",\"trigger\":\"report\",\"token\":\"\"}", 1,
		  NULL },
		{ "{\"id\":\"c1\",\"trigger\":\"report\",\"token\":5}", 0,
		  NULL },
		{ "{\"id\":\"c1\",\"trigger\":\"report\",\"token\":\"t\\n\"}",
		  0, NULL },
		{ "{\"id\":\"c1\",\"trigger\":\"report\",\"token\":\"", 0,
		  NULL },
		{ "[" NEW_ANSWER "]", 0, NULL },
		{ "{\"id\":true,\"trigger\":\"report\"}", 0, NULL },
		{ "", 0, NULL },
	};
	struct mm_command c;
	size_t i;
	char *cause;
	int rc;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cause = NULL;
		rc = mm_cmd_parse_one(cases[i].body, strlen(cases[i].body), &c,
				      &cause);
		if (!cases[i].ok) {
			if (rc != -1)
				fail_msg("case %zu accepted", i);
			assert_non_null(cause);
			assert_null(c.id);
			free(cause);
			continue;
		}
		if (rc != 0)
			fail_msg("case %zu: %s", i, cause);
		if (cases[i].token == NULL)
			assert_null(c.token);
		else
			assert_string_equal(c.token, cases[i].token);
		mm_command_release(&c);
	}
}

static void
test_error_id(void **state)
{
	static const struct {
		const char *body, *want;
	} cases[] = {
		{ "{\"id\":\"api.command.duplicate_trigger.app_error\","
		  "\"message\":\"m\",\"status_code\":400}",
		  "api.command.duplicate_trigger.app_error" },
		{ "limit exceeded", NULL },
		{ "{\"id\":400}", NULL },
		{ "{\"message\":\"x\"}", NULL },
		{ "", NULL },
		{ "{\"id\":\"a<b>\"}", NULL },
	};
	size_t i;
	char *id;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		id = mm_cmd_error_id(cases[i].body, strlen(cases[i].body));
		if (cases[i].want == NULL)
			assert_null(id);
		else
			assert_string_equal(id, cases[i].want);
		free(id);
	}
}

/* The string member key of o, or NULL. */
static const char *
member(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static void
test_body(void **state)
{
	struct mm_cmd_spec spec = {
		.trigger = "report",
		.display_name = "lihui report",
		.description = "your \"status\" report",
		.auto_desc = "\xe4\xbd\xa0\xe7\x9a\x84 report",
		.auto_hint = "[done|plan] ...",
	};
	struct json_object *o, *v;
	char *body;
	int pass;

	(void)state;
	for (pass = 0; pass < 2; pass++) {
		body = mm_cmd_body(&spec, TEAM_ID, CMD_URL,
				   pass == 0 ? NULL : "cmd1");
		o = json_tokener_parse(body);
		assert_non_null(o);
		assert_string_equal(member(o, "team_id"), TEAM_ID);
		assert_string_equal(member(o, "trigger"), "report");
		assert_string_equal(member(o, "method"), "P");
		assert_string_equal(member(o, "url"), CMD_URL);
		assert_string_equal(member(o, "display_name"), "lihui report");
		assert_string_equal(member(o, "description"),
				    "your \"status\" report");
		assert_string_equal(member(o, "auto_complete_desc"),
				    spec.auto_desc);
		assert_string_equal(member(o, "auto_complete_hint"),
				    "[done|plan] ...");
		assert_true(json_object_object_get_ex(o, "auto_complete", &v));
		assert_true(json_object_is_type(v, json_type_boolean));
		assert_true(json_object_get_boolean(v));
		if (pass == 0)
			assert_null(member(o, "id"));
		else
			assert_string_equal(member(o, "id"), "cmd1");
		/* "/" is not escaped: the URL stays readable. */
		assert_non_null(strstr(body, "http://10.0.0.5:8090/command"));
		assert_null(member(o, "token"));
		json_object_put(o);
		free(body);
	}
}

/* Every spec respects Mattermost's limits and is valid UTF-8. */
static void
check_spec_limits(const struct mm_cmd_spec *sp)
{
	assert_true(strlen(sp->trigger) >= 1);
	assert_true(strlen(sp->trigger) <= MM_CMD_TRIGGER_MAX);
	assert_null(strchr(sp->trigger, ' '));
	assert_true(sp->trigger[0] != '/');
	assert_true(strlen(sp->display_name) <= MM_CMD_DISPLAY_MAX);
	assert_true(strlen(sp->description) <= MM_CMD_DESC_MAX);
	assert_true(strlen(sp->auto_desc) <= MM_CMD_AUTO_MAX);
	assert_true(strlen(sp->auto_hint) <= MM_CMD_AUTO_MAX);
	assert_true(strlen(sp->description) > 0);
	assert_true(utf8_valid(sp->description, strlen(sp->description)));
	assert_true(utf8_valid(sp->auto_desc, strlen(sp->auto_desc)));
	assert_true(utf8_valid(sp->auto_hint, strlen(sp->auto_hint)));
}

/* The specs come from the dispatcher's tables, in both locales. */
static void
test_specs_match_dispatcher(void **state)
{
	const struct cmd_entry *const *groups = cmd_groups(), *const * e;
	const struct cmd_sub *s;
	struct mm_cmd_spec *specs;
	size_t n, ngroups = 0, i;
	enum locale loc;

	(void)state;
	for (e = groups; *e != NULL; e++)
		ngroups++;
	for (loc = LOCALE_EN; loc < LOCALE_COUNT; loc++) {
		mm_cmd_specs(NULL, loc, &specs, &n);
		assert_int_equal(n, ngroups + 1);
		assert_string_equal(specs[0].trigger, "lihui");
		for (e = groups; *e != NULL; e++)
			assert_non_null(strstr(specs[0].auto_hint, (*e)->name));
		for (i = 0; i < n; i++)
			check_spec_limits(&specs[i]);
		for (e = groups, i = 1; *e != NULL; e++, i++) {
			assert_string_equal(specs[i].trigger, (*e)->name);
			assert_string_equal(specs[i].auto_desc,
					    catalog_get(loc, (*e)->help));
			for (s = (*e)->subs; s->name != NULL; s++)
				assert_non_null(
				    strstr(specs[i].auto_hint, s->name));
		}
		mm_cmd_specs_free(specs, n);
	}
}

/*
 * Every group's trigger word is taken from [commands]: when a group is
 * added, its config key must be mapped in mm_cmd_trigger_of().
 */
static void
test_specs_use_config_triggers(void **state)
{
	const struct cmd_entry *const *groups = cmd_groups(), *const * e;
	struct config c;
	struct mm_cmd_spec *specs;
	size_t n, i;

	(void)state;
	config_defaults(&c);
	free(c.trigger_report);
	free(c.trigger_agenda);
	free(c.trigger_meeting);
	free(c.trigger_action);
	c.trigger_report = xstrdup("x-report");
	c.trigger_agenda = xstrdup("x-agenda");
	c.trigger_meeting = xstrdup("x-meeting");
	c.trigger_action = xstrdup("x-action");
	for (e = groups; *e != NULL; e++) {
		if (strcmp(mm_cmd_trigger_of(&c, (*e)->name), (*e)->name) == 0)
			fail_msg("group '%s' has no trigger word in "
				 "mm_cmd_trigger_of()",
				 (*e)->name);
	}
	mm_cmd_specs(&c, LOCALE_EN, &specs, &n);
	for (e = groups, i = 1; *e != NULL; e++, i++) {
		assert_int_equal(strncmp(specs[i].trigger, "x-", 2), 0);
		assert_string_equal(specs[i].trigger + 2, (*e)->name);
	}
	mm_cmd_specs_free(specs, n);
	assert_string_equal(mm_cmd_trigger_of(&c, "nosuchgroup"),
			    "nosuchgroup");
	assert_string_equal(mm_cmd_trigger_of(NULL, "report"), "report");
	config_release(&c);
}

/*
 * The trigger words are the ones the dispatcher answers to: its own help
 * list (cmd_list_markdown()) names each group by its configured trigger.
 */
static void
test_triggers_match_dispatcher(void **state)
{
	struct config c;
	struct bot b;
	struct buf md;
	struct mm_cmd_spec *specs;
	char *want;
	size_t n, i;

	(void)state;
	config_defaults(&c);
	free(c.trigger_report);
	free(c.trigger_meeting);
	c.trigger_report = xstrdup("status");
	c.trigger_meeting = xstrdup("mtg");
	bot_init(&b, &c, NULL, clock_system(), 16000);
	buf_init(&md, 1024 * 1024);
	cmd_list_markdown(&b, LOCALE_EN, &md);
	mm_cmd_specs(&c, LOCALE_EN, &specs, &n);
	for (i = 1; i < n; i++) {
		want = xasprintf("**/%s** \xe2\x80\x94 %s\n", specs[i].trigger,
				 specs[i].auto_desc);
		if (strstr(buf_str(&md), want) == NULL)
			fail_msg("the dispatcher's help lacks '%s':\n%s", want,
				 buf_str(&md));
		free(want);
	}
	assert_non_null(strstr(buf_str(&md), "**/status**"));
	assert_non_null(strstr(buf_str(&md), "**/mtg**"));
	mm_cmd_specs_free(specs, n);
	buf_release(&md);
	config_release(&c);
}

/* ---- the registration on a loop ---- */

struct fixture {
	uv_loop_t loop;
	struct fake_http *fake;
	struct http_client *http;
	struct clock clock;
	int closed;
	int done;
	int ok;
	char *report;
	size_t nspecs;
};

static void
on_closed(void *arg)
{
	struct fixture *fx = arg;

	fx->closed = 1;
}

static void
on_done(void *arg, int ok, const char *report)
{
	struct fixture *fx = arg;

	assert_false(fx->done);
	fx->done = 1;
	fx->ok = ok;
	fx->report = xstrdup(report);
}

static int
fx_setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof *fx);
	struct mm_cmd_spec *specs;
	char *cause = NULL;

	assert_int_equal(uv_loop_init(&fx->loop), 0);
	fx->fake = fake_http_new(&fx->loop, &cause);
	if (fx->fake == NULL)
		fail_msg("fake_http_new: %s", cause);
	fx->clock = clock_system();
	fx->http = http_client_new(&fx->loop, &fx->clock, &cause);
	if (fx->http == NULL)
		fail_msg("http_client_new: %s", cause);
	mm_cmd_specs(NULL, LOCALE_EN, &specs, &fx->nspecs);
	mm_cmd_specs_free(specs, fx->nspecs);
	*state = fx;
	return 0;
}

static int
fx_teardown(void **state)
{
	struct fixture *fx = *state;

	http_client_close(fx->http, on_closed, fx);
	fake_http_close(fx->fake);
	assert_int_equal(uv_run(&fx->loop, UV_RUN_DEFAULT), 0);
	assert_true(fx->closed);
	http_client_free(fx->http);
	assert_int_equal(uv_loop_close(&fx->loop), 0);
	free(fx->report);
	free(fx);
	return 0;
}

/* Options pointing at the fake server; free o->url. */
static void
fx_opts(struct fixture *fx, struct mm_register_opts *o)
{
	char *url = fake_http_url(fx->fake, "");

	memset(o, 0, sizeof *o);
	o->url = url;
	o->auth_header = "Authorization: Bearer " BOT_TOKEN;
	o->team_name = TEAM;
	o->command_url = CMD_URL;
	o->locale = "en";
}

/* Run a registration with o to its end. */
static void
fx_run(struct fixture *fx, const struct mm_register_opts *o)
{
	char *cause = NULL;
	uint64_t end;

	if (mm_register_commands(fx->http, o, on_done, fx, &cause) != 0)
		fail_msg("mm_register_commands: %s", cause);
	assert_false(fx->done); /* never from inside the call */
	uv_update_time(&fx->loop);
	end = uv_now(&fx->loop) + WAIT_MS;
	while (!fx->done) {
		uv_run(&fx->loop, UV_RUN_ONCE);
		if (uv_now(&fx->loop) > end)
			fail_msg("timed out");
	}
}

/* Register against the fake with the default options. */
static void
fx_register(struct fixture *fx)
{
	struct mm_register_opts o;

	fx_opts(fx, &o);
	fx_run(fx, &o);
	free((char *)o.url);
}

static void
assert_report_has(const struct fixture *fx, const char *text)
{
	if (strstr(fx->report, text) == NULL)
		fail_msg("report lacks '%s':\n%s", text, fx->report);
}

static void
fx_team_and_list(struct fixture *fx, const char *list)
{
	fake_http_route(fx->fake, "GET", TEAM_PATH, 200, NULL, TEAM_ANSWER);
	fake_http_route(fx->fake, "GET", LIST_PATH, 200, NULL, list);
}

static void
test_register_creates(void **state)
{
	struct fixture *fx = *state;
	const struct fake_http_request *req;
	struct json_object *o;
	size_t i, posts = 0;

	fx_team_and_list(fx, "[]");
	fake_http_route(fx->fake, "POST", "/api/v4/commands", 201, NULL,
			NEW_ANSWER);
	fx_register(fx);
	assert_true(fx->ok);
	assert_report_has(fx, "team 'myteam' (id " TEAM_ID ")");
	assert_report_has(fx,
			  "/lihui: created, token tok4new5xxxxxxxxxxxxxxxxxx");
	assert_report_has(fx,
			  "/report: created, token tok4new5xxxxxxxxxxxxxxxxxx");
	assert_report_has(fx, "/agenda: created");
	assert_report_has(fx, "/meeting: created");
	assert_int_equal(fake_http_count(fx->fake), 2 + fx->nspecs);
	for (i = 0; i < fake_http_count(fx->fake); i++) {
		req = fake_http_request_at(fx->fake, i);
		assert_string_equal(fake_http_header(req, "Authorization"),
				    "Bearer " BOT_TOKEN);
		if (strcmp(req->method, "POST") != 0)
			continue;
		posts++;
		assert_string_equal(fake_http_header(req, "Content-Type"),
				    "application/json");
		o = json_tokener_parse(req->body);
		assert_non_null(o);
		assert_string_equal(member(o, "team_id"), TEAM_ID);
		assert_string_equal(member(o, "url"), CMD_URL);
		assert_string_equal(member(o, "method"), "P");
		assert_null(member(o, "id"));
		json_object_put(o);
	}
	assert_int_equal(posts, fx->nspecs);
	req = fake_http_request_at(fx->fake, 0);
	assert_string_equal(req->target, TEAM_PATH);
	req = fake_http_request_at(fx->fake, 1);
	assert_string_equal(req->target, LIST_PATH);
}

static void
test_register_updates_own_conflicts_foreign(void **state)
{
	struct fixture *fx = *state;
	const struct fake_http_request *req;
	struct json_object *o;

	fx_team_and_list(
	    fx,
	    "[{\"id\":\"own1\",\"trigger\":\"report\",\"url\":\"" CMD_URL
	    "\",\"token\":\"oldtok\"},"
	    "{\"id\":\"for1\",\"trigger\":\"agenda\",\"url\":"
	    "\"http://other.example/hook\"},"
	    "{\"id\":\"old1\",\"trigger\":\"standup\",\"url\":\"" CMD_URL "\"},"
	    "{\"id\":\"oth2\",\"trigger\":\"jira\",\"url\":\"http://j\"}]");
	fake_http_route(fx->fake, "PUT", "/api/v4/commands/own1", 200, NULL,
			"{\"id\":\"own1\",\"trigger\":\"report\",\"token\":"
			"\"oldtok\"}");
	fake_http_route(fx->fake, "POST", "/api/v4/commands", 201, NULL,
			NEW_ANSWER);
	fx_register(fx);
	assert_false(fx->ok);
	assert_report_has(fx, "/report: updated\n");
	assert_report_has(fx, "/agenda: conflict: command for1");
	assert_report_has(fx, "/lihui: created");
	assert_report_has(fx, "/meeting: created");
	assert_report_has(fx, "note: /standup (id old1) points at lihui");
	assert_null(strstr(fx->report, "jira"));
	assert_null(strstr(fx->report, "oldtok"));
	assert_null(fake_http_find(fx->fake, "/api/v4/commands/for1"));
	req = fake_http_find(fx->fake, "/api/v4/commands/own1");
	assert_non_null(req);
	assert_string_equal(req->method, "PUT");
	o = json_tokener_parse(req->body);
	assert_non_null(o);
	assert_string_equal(member(o, "id"), "own1");
	assert_string_equal(member(o, "team_id"), TEAM_ID);
	assert_string_equal(member(o, "trigger"), "report");
	json_object_put(o);
	/* team, list, PUT report, POST lihui and meeting */
	assert_int_equal(fake_http_count(fx->fake), 2 + fx->nspecs - 1);
}

/* Commands the bot cannot list show up as duplicate triggers on POST. */
static void
test_register_duplicate_trigger(void **state)
{
	struct fixture *fx = *state;

	fx_team_and_list(fx, "[]");
	fake_http_route(fx->fake, "POST", "/api/v4/commands", 400, NULL,
			"{\"id\":\"api.command.duplicate_trigger.app_error\","
			"\"message\":\"This trigger word is already in use.\","
			"\"status_code\":400}");
	fx_register(fx);
	assert_false(fx->ok);
	assert_report_has(fx, "/lihui: conflict: another command");
	assert_report_has(fx, "/report: conflict: another command");
	assert_int_equal(fake_http_count(fx->fake), 2 + fx->nspecs);
}

static void
test_register_team_not_found(void **state)
{
	struct fixture *fx = *state;

	fake_http_route(fx->fake, "GET", TEAM_PATH, 404, NULL,
			"{\"id\":\"app.team.get_by_name.missing.app_error\","
			"\"status_code\":404}");
	fx_register(fx);
	assert_false(fx->ok);
	assert_report_has(fx, "cannot register the commands: team 'myteam' "
			      "not found (404)");
	assert_int_equal(fake_http_count(fx->fake), 1);
}

static void
test_register_team_escaped(void **state)
{
	struct fixture *fx = *state;
	struct mm_register_opts o;

	fx_opts(fx, &o);
	o.team_name = "my team/x?";
	fx_run(fx, &o);
	free((char *)o.url);
	assert_false(fx->ok);
	assert_non_null(
	    fake_http_find(fx->fake, "/api/v4/teams/name/my%20team%2Fx%3F"));
	assert_report_has(fx, "team 'my team/x?' not found (404)");
}

static void
test_register_unauthorized(void **state)
{
	struct fixture *fx = *state;

	fake_http_route(fx->fake, "GET", TEAM_PATH, 401, NULL,
			"{\"id\":\"api.context.session_expired.app_error\"}");
	fx_register(fx);
	assert_false(fx->ok);
	assert_report_has(fx, "refused the bot's token (401)");
	assert_null(strstr(fx->report, BOT_TOKEN));
}

static void
test_register_list_forbidden(void **state)
{
	struct fixture *fx = *state;

	fake_http_route(fx->fake, "GET", TEAM_PATH, 200, NULL, TEAM_ANSWER);
	fake_http_route(fx->fake, "GET", LIST_PATH, 403, NULL,
			"{\"id\":\"api.context.permissions.app_error\"}");
	fx_register(fx);
	assert_false(fx->ok);
	assert_report_has(fx, "manage_slash_commands permission");
	assert_report_has(fx, "(403)");
	assert_int_equal(fake_http_count(fx->fake), 2);
}

/* A 403 on the first POST stops: every other one would fail alike. */
static void
test_register_post_forbidden(void **state)
{
	struct fixture *fx = *state;

	fx_team_and_list(fx, "[]");
	fake_http_route(fx->fake, "POST", "/api/v4/commands", 403, NULL, "{}");
	fx_register(fx);
	assert_false(fx->ok);
	assert_report_has(fx, "manage_slash_commands permission");
	assert_int_equal(fake_http_count(fx->fake), 3);
}

static void
test_register_disabled(void **state)
{
	struct fixture *fx = *state;

	fake_http_route(fx->fake, "GET", TEAM_PATH, 200, NULL, TEAM_ANSWER);
	fake_http_route(fx->fake, "GET", LIST_PATH, 501, NULL,
			"{\"id\":\"api.command.disabled.app_error\"}");
	fx_register(fx);
	assert_false(fx->ok);
	assert_report_has(fx, "custom slash commands are disabled");
}

/* A 500 fails that trigger; the others are still tried. */
static void
test_register_server_error(void **state)
{
	struct fixture *fx = *state;

	fx_team_and_list(fx, "[]");
	fake_http_route(
	    fx->fake, "POST", "/api/v4/commands", 500, NULL,
	    "{\"id\":\"app.command.createcommand.internal_error\"}");
	fx_register(fx);
	assert_false(fx->ok);
	assert_report_has(fx, "/lihui: failed: POST answered 500 "
			      "(app.command.createcommand.internal_error)");
	assert_report_has(fx, "/meeting: failed: POST answered 500");
	assert_int_equal(fake_http_count(fx->fake), 2 + fx->nspecs);
}

static void
test_register_team_500(void **state)
{
	struct fixture *fx = *state;

	fake_http_route(fx->fake, "GET", TEAM_PATH, 500, NULL, "oops");
	fx_register(fx);
	assert_false(fx->ok);
	assert_report_has(fx, "looking up team 'myteam': the server answered "
			      "500");
}

static void
test_register_malformed_answers(void **state)
{
	struct fixture *fx = *state;

	fx_team_and_list(fx, "[{\"id\":\"c1\",\"trigger\":");
	fx_register(fx);
	assert_false(fx->ok);
	assert_report_has(fx, "listing the team's commands: answer is "
			      "truncated JSON");
}

static void
test_register_malformed_team(void **state)
{
	struct fixture *fx = *state;

	fake_http_route(fx->fake, "GET", TEAM_PATH, 200, NULL,
			"{\"id\":12345}");
	fx_register(fx);
	assert_false(fx->ok);
	assert_report_has(fx, "looking up team 'myteam': 'id' in the answer "
			      "is not a string");
}

/* A created command whose answer lacks the token is not a success. */
static void
test_register_created_without_token(void **state)
{
	struct fixture *fx = *state;

	fx_team_and_list(fx, "[]");
	fake_http_route(fx->fake, "POST", "/api/v4/commands", 201, NULL,
			"{\"id\":\"new1\",\"trigger\":\"x\"}");
	fx_register(fx);
	assert_false(fx->ok);
	assert_report_has(fx, "/report: created, but the answer has no token");
}

/* An answer over the cap is refused by the HTTP client. */
static void
test_register_huge_answer(void **state)
{
	struct fixture *fx = *state;
	char *big = repeat(' ', MM_CMD_RESPONSE_MAX + 10);

	big[0] = '[';
	big[MM_CMD_RESPONSE_MAX + 9] = ']';
	fx_team_and_list(fx, big);
	free(big);
	fx_register(fx);
	assert_false(fx->ok);
	assert_report_has(fx, "cannot register the commands: request to");
	assert_int_equal(fake_http_count(fx->fake), 2);
}

/* A port that was free a moment ago (bind port 0 and read it back). */
static int
free_port(uv_loop_t *loop)
{
	uv_tcp_t tcp;
	struct sockaddr_in sin;
	struct sockaddr_storage ss;
	int len = sizeof ss;

	assert_int_equal(uv_tcp_init(loop, &tcp), 0);
	assert_int_equal(uv_ip4_addr("127.0.0.1", 0, &sin), 0);
	assert_int_equal(uv_tcp_bind(&tcp, (const struct sockaddr *)&sin, 0),
			 0);
	assert_int_equal(uv_tcp_getsockname(&tcp, (struct sockaddr *)&ss, &len),
			 0);
	uv_close((uv_handle_t *)&tcp, NULL);
	uv_run(loop, UV_RUN_NOWAIT);
	return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

static void
test_register_unreachable(void **state)
{
	struct fixture *fx = *state;
	struct mm_register_opts o;
	char *url;

	fx_opts(fx, &o);
	free((char *)o.url);
	url = xasprintf("http://127.0.0.1:%d", free_port(&fx->loop));
	o.url = url;
	fx_run(fx, &o);
	assert_false(fx->ok);
	assert_report_has(fx, "cannot register the commands: request to "
			      "http://127.0.0.1:");
	free(url);
}

/* Closing the client while a request is in flight ends the run. */
static void
test_register_cancelled(void **state)
{
	struct fixture *fx = *state;
	struct mm_register_opts o;
	char *cause = NULL;

	fake_http_hang(fx->fake, "GET", TEAM_PATH);
	fx_opts(fx, &o);
	assert_int_equal(
	    mm_register_commands(fx->http, &o, on_done, fx, &cause), 0);
	free((char *)o.url);
	while (fake_http_count(fx->fake) < 1)
		uv_run(&fx->loop, UV_RUN_ONCE);
	assert_false(fx->done);
	http_client_close(fx->http, on_closed, fx);
	assert_true(fx->done);
	assert_false(fx->ok);
	assert_report_has(fx, "cannot register the commands");
	/* fx_teardown closes it again otherwise */
	fake_http_close(fx->fake);
	assert_int_equal(uv_run(&fx->loop, UV_RUN_DEFAULT), 0);
	http_client_free(fx->http);
	fx->http = NULL;
	fx->fake = NULL;
}

static int
fx_teardown_cancelled(void **state)
{
	struct fixture *fx = *state;

	assert_true(fx->closed);
	assert_int_equal(uv_loop_close(&fx->loop), 0);
	free(fx->report);
	free(fx);
	return 0;
}

/* Bad options are refused at once, and done is not called. */
static void
test_register_bad_opts(void **state)
{
	struct fixture *fx = *state;
	struct mm_register_opts o;
	char *cause;
	int i;

	for (i = 0; i < 9; i++) {
		fx_opts(fx, &o);
		free((char *)o.url);
		o.url = "http://127.0.0.1:1";
		switch (i) {
		case 0:
			o.url = NULL;
			break;
		case 1:
			o.auth_header = "";
			break;
		case 2:
			o.team_name = NULL;
			break;
		case 3:
			o.team_name = "my\nteam";
			break;
		case 4:
			o.command_url = NULL;
			break;
		case 5:
			o.command_url = "ftp://x/command";
			break;
		case 6:
			o.command_url = "10.0.0.5:8090/command";
			break;
		case 7:
			o.locale = "fr";
			break;
		case 8:
			o.url = "";
			break;
		}
		cause = NULL;
		assert_int_equal(
		    mm_register_commands(fx->http, &o, on_done, fx, &cause),
		    -1);
		assert_non_null(cause);
		free(cause);
	}
	uv_run(&fx->loop, UV_RUN_NOWAIT);
	assert_false(fx->done);
	assert_int_equal(fake_http_count(fx->fake), 0);
}

/* Chinese texts and configured trigger words reach the server. */
static void
test_register_zh_and_triggers(void **state)
{
	struct fixture *fx = *state;
	struct mm_register_opts o;
	struct config c;
	const struct fake_http_request *req;
	struct json_object *obj;
	size_t i;
	int seen = 0;

	config_defaults(&c);
	free(c.trigger_report);
	c.trigger_report = xstrdup("status");
	fx_team_and_list(fx, "[]");
	fake_http_route(fx->fake, "POST", "/api/v4/commands", 201, NULL,
			NEW_ANSWER);
	fx_opts(fx, &o);
	o.locale = "zh_CN";
	o.config = &c;
	fx_run(fx, &o);
	free((char *)o.url);
	assert_true(fx->ok);
	assert_report_has(fx, "/status: created");
	for (i = 0; i < fake_http_count(fx->fake); i++) {
		req = fake_http_request_at(fx->fake, i);
		if (strcmp(req->method, "POST") != 0)
			continue;
		obj = json_tokener_parse(req->body);
		assert_non_null(obj);
		if (strcmp(member(obj, "trigger"), "status") == 0) {
			seen = 1;
			assert_string_equal(
			    member(obj, "auto_complete_desc"),
			    catalog_get(LOCALE_ZH_CN, cmd_report_entry.help));
		}
		json_object_put(obj);
	}
	assert_true(seen);
	config_release(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_parse_team),
		cmocka_unit_test(test_parse_team_huge),
		cmocka_unit_test(test_parse_list),
		cmocka_unit_test(test_parse_list_huge),
		cmocka_unit_test(test_parse_one),
		cmocka_unit_test(test_error_id),
		cmocka_unit_test(test_body),
		cmocka_unit_test(test_specs_match_dispatcher),
		cmocka_unit_test(test_specs_use_config_triggers),
		cmocka_unit_test(test_triggers_match_dispatcher),
		cmocka_unit_test_setup_teardown(test_register_creates, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_register_updates_own_conflicts_foreign, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(test_register_duplicate_trigger,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_register_team_not_found,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_register_team_escaped,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_register_unauthorized,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_register_list_forbidden,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_register_post_forbidden,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_register_disabled,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_register_server_error,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_register_team_500,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_register_malformed_answers,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_register_malformed_team,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_register_created_without_token, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_register_huge_answer,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_register_unreachable,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_register_cancelled, fx_setup, fx_teardown_cancelled),
		cmocka_unit_test_setup_teardown(test_register_bad_opts,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_register_zh_and_triggers,
						fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
