/* SPDX-License-Identifier: MIT */
/*
 * mm-commands.c: `lihui --register-commands` for Mattermost: creates or
 * updates lihui's custom slash commands on the configured team.
 *
 * How it works. One struct mm_reg walks through these REST calls on the
 * loop, each started from the previous one's done callback:
 *
 *   GET /api/v4/teams/name/{team}                  -> the team id
 *   GET /api/v4/commands?team_id=X&custom_only=true -> existing commands
 *   for each trigger in mm_cmd_specs():
 *     no command with that trigger    POST /api/v4/commands      created
 *     one that points at command_url  PUT /api/v4/commands/{id}  updated
 *     one that points elsewhere       nothing is sent            conflict
 *
 * A bot that may manage only its own commands does not see other users'
 * commands in the list: their triggers surface as a 400
 * "api.command.duplicate_trigger.app_error" on POST, which is reported as
 * a conflict too (so is a clash with a built-in command). 401, 403, 501
 * and transport errors stop the walk, since every later call would fail
 * the same way; any other failure is reported for its trigger and the
 * walk goes on. The done callback gets one line per trigger; new
 * commands' lines carry the token Mattermost generated, which is why the
 * report goes to the admin's terminal and never to the log.
 *
 * The triggers come from cmd_groups() and the [commands] trigger words
 * (cmd_trigger_word(), the dispatcher's own mapping).
 */

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "lihui/buf.h"
#include "lihui/catalog.h"
#include "lihui/clock.h"
#include "lihui/cmd.h"
#include "lihui/config.h"
#include "lihui/http.h"
#include "lihui/module.h"
#include "lihui/utf8.h"
#include "lihui/xmalloc.h"

#include "mm-commands.h"
#include "mm-rest.h"

#define MM_REG_JSON_DEPTH   32
#define MM_REG_REPORT_MAX   (64 * 1024)
#define MM_REG_STALE_SHOWN  20 /* most stale commands the report names */
#define MM_REG_ERROR_ID_MAX 256
#define MM_REG_PERMISSION                                                      \
	"the bot needs the manage_slash_commands permission "                  \
	"(manage_own_slash_commands on newer servers) in team '%s'"
#define MM_REG_DUPLICATE "api.command.duplicate_trigger.app_error"

/* What kind of string a JSON member must hold. */
enum mm_str_kind {
	MM_STR_WORD, /* a-z A-Z 0-9 . _ - (ids, tokens) */
	MM_STR_TEXT, /* any valid UTF-8 without NUL */
};

/* One registration in progress; owns copies of everything it uses. */
struct mm_reg {
	struct http_client *http;
	char *url;
	char *auth; /* a secret */
	char *team_name;
	char *command_url;
	char *ca_file;
	int insecure;
	mm_register_done_fn done;
	void *arg;

	struct mm_cmd_spec *specs;
	size_t nspecs;
	size_t next;  /* index of the spec being saved */
	int updating; /* specs[next] goes out as a PUT */
	char *team_id;
	struct mm_command *existing;
	size_t nexisting;
	struct buf report;
	int failed;
};

static void mm_reg_save_next(struct mm_reg *r);
static void mm_reg_stop(struct mm_reg *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* json-c allocation failure is out of memory, as in the x* allocators. */
static struct json_object *
mm_cmd_json_check(struct json_object *o)
{
	if (o == NULL)
		fatal("out of memory");
	return o;
}

static void
mm_cmd_json_add(struct json_object *obj, const char *key, const char *v)
{
	json_object_object_add(obj, key,
			       mm_cmd_json_check(json_object_new_string(v)));
}

/*
 * Parse body (len bytes, trailing white space allowed) as JSON of type
 * want. NULL with *cause when it is not; the caller puts the result.
 */
static struct json_object *
mm_cmd_json_parse(const char *body, size_t len, enum json_type want,
		  char **cause)
{
	struct json_tokener *tok;
	struct json_object *o;
	enum json_tokener_error err;
	size_t end;

	if (len > MM_CMD_RESPONSE_MAX) {
		set_cause(cause, "answer too large (%zu bytes)", len);
		return NULL;
	}
	if (len == 0) {
		set_cause(cause, "empty answer");
		return NULL;
	}
	tok = json_tokener_new_ex(MM_REG_JSON_DEPTH);
	if (tok == NULL)
		fatal("out of memory");
	o = json_tokener_parse_ex(tok, body, (int)len);
	err = json_tokener_get_error(tok);
	if (err == json_tokener_continue) {
		set_cause(cause, "answer is truncated JSON");
		goto fail;
	}
	if (err != json_tokener_success) {
		set_cause(cause, "answer is not JSON: %s",
			  json_tokener_error_desc(err));
		goto fail;
	}
	for (end = json_tokener_get_parse_end(tok); end < len; end++) {
		if (!isspace((unsigned char)body[end])) {
			set_cause(cause, "answer has data after the JSON");
			goto fail;
		}
	}
	if (!json_object_is_type(o, want)) {
		set_cause(cause, "answer is not a JSON %s",
			  want == json_type_array ? "array" : "object");
		goto fail;
	}
	json_tokener_free(tok);
	return o;
fail:
	json_object_put(o);
	json_tokener_free(tok);
	return NULL;
}

/*
 * A copy of o's string member key into *out: 1..max bytes of the given
 * kind. Absent: *out NULL and 0 unless required. -1 with *cause otherwise.
 */
static int
mm_cmd_json_str(struct json_object *o, const char *key, size_t max,
		enum mm_str_kind kind, int required, char **out, char **cause)
{
	struct json_object *v;
	const char *s;
	size_t len;

	*out = NULL;
	if (!json_object_object_get_ex(o, key, &v) || v == NULL) {
		if (required)
			return set_cause(cause, "answer has no '%s'", key);
		return 0;
	}
	if (!json_object_is_type(v, json_type_string))
		return set_cause(cause, "'%s' in the answer is not a string",
				 key);
	s = json_object_get_string(v);
	len = (size_t)json_object_get_string_len(v);
	if (len == 0) {
		if (required)
			return set_cause(cause, "'%s' in the answer is empty",
					 key);
		return 0;
	}
	if (len > max)
		return set_cause(cause,
				 "'%s' in the answer is too long (%zu bytes)",
				 key, len);
	if (kind == MM_STR_WORD &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		      "0123456789._-") != len)
		return set_cause(cause, "'%s' in the answer is malformed", key);
	if (kind == MM_STR_TEXT && !utf8_valid(s, len))
		return set_cause(cause, "'%s' in the answer is not UTF-8", key);
	*out = xstrndup(s, len);
	return 0;
}

/* One Command object into *out; -1 with *cause (nothing to free). */
static int
mm_cmd_from_json(struct json_object *o, struct mm_command *out, char **cause)
{
	memset(out, 0, sizeof *out);
	if (!json_object_is_type(o, json_type_object))
		return set_cause(cause, "a command in the answer is not an "
					"object");
	if (mm_cmd_json_str(o, "id", MM_CMD_ID_MAX, MM_STR_WORD, 1, &out->id,
			    cause) != 0 ||
	    mm_cmd_json_str(o, "trigger", MM_CMD_TRIGGER_MAX, MM_STR_TEXT, 1,
			    &out->trigger, cause) != 0 ||
	    mm_cmd_json_str(o, "url", MM_CMD_URL_MAX, MM_STR_TEXT, 0, &out->url,
			    cause) != 0 ||
	    mm_cmd_json_str(o, "token", MM_CMD_ID_MAX, MM_STR_WORD, 0,
			    &out->token, cause) != 0) {
		mm_command_release(out);
		return -1;
	}
	if (out->url == NULL)
		out->url = xstrdup("");
	return 0;
}

void
mm_command_release(struct mm_command *c)
{
	free(c->id);
	free(c->trigger);
	free(c->url);
	free(c->token);
	memset(c, 0, sizeof *c);
}

void
mm_command_list_free(struct mm_command *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		mm_command_release(&list[i]);
	free(list);
}

int
mm_cmd_parse_team(const char *body, size_t len, char **team_id, char **cause)
{
	struct json_object *o;
	int rc;

	*team_id = NULL;
	o = mm_cmd_json_parse(body, len, json_type_object, cause);
	if (o == NULL)
		return -1;
	rc = mm_cmd_json_str(o, "id", MM_CMD_ID_MAX, MM_STR_WORD, 1, team_id,
			     cause);
	json_object_put(o);
	return rc;
}

int
mm_cmd_parse_list(const char *body, size_t len, struct mm_command **out,
		  size_t *n, char **cause)
{
	struct json_object *a, *item, *v;
	struct mm_command *list;
	size_t count, i, kept = 0;

	*out = NULL;
	*n = 0;
	a = mm_cmd_json_parse(body, len, json_type_array, cause);
	if (a == NULL)
		return -1;
	count = json_object_array_length(a);
	if (count > MM_CMD_LIST_MAX) {
		json_object_put(a);
		return set_cause(cause, "answer lists too many commands (%zu)",
				 count);
	}
	list = xcalloc(count > 0 ? count : 1, sizeof *list);
	for (i = 0; i < count; i++) {
		item = json_object_array_get_idx(a, i);
		if (mm_cmd_from_json(item, &list[kept], cause) != 0)
			goto fail;
		/* The server lists live commands only; be safe anyway. */
		if (json_object_object_get_ex(item, "delete_at", &v) &&
		    v != NULL) {
			if (!json_object_is_type(v, json_type_int)) {
				mm_command_release(&list[kept]);
				set_cause(cause, "'delete_at' in the answer is "
						 "not a number");
				goto fail;
			}
			if (json_object_get_int64(v) != 0) {
				mm_command_release(&list[kept]);
				continue;
			}
		}
		kept++;
	}
	json_object_put(a);
	*out = list;
	*n = kept;
	return 0;
fail:
	json_object_put(a);
	mm_command_list_free(list, kept);
	return -1;
}

int
mm_cmd_parse_one(const char *body, size_t len, struct mm_command *out,
		 char **cause)
{
	struct json_object *o;
	int rc;

	memset(out, 0, sizeof *out);
	o = mm_cmd_json_parse(body, len, json_type_object, cause);
	if (o == NULL)
		return -1;
	rc = mm_cmd_from_json(o, out, cause);
	json_object_put(o);
	return rc;
}

char *
mm_cmd_error_id(const char *body, size_t len)
{
	struct json_object *o;
	char *id = NULL;

	o = mm_cmd_json_parse(body, len, json_type_object, NULL);
	if (o == NULL)
		return NULL;
	if (mm_cmd_json_str(o, "id", MM_REG_ERROR_ID_MAX, MM_STR_WORD, 1, &id,
			    NULL) != 0)
		id = NULL;
	json_object_put(o);
	return id;
}

char *
mm_cmd_escape(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t len = strlen(s), i, o = 0;
	char *out;
	unsigned char c;

	out = xreallocarray(NULL, len + 1, 3);
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (isalnum(c) && c < 0x80)
			out[o++] = (char)c;
		else if (c == '-' || c == '.' || c == '_' || c == '~')
			out[o++] = (char)c;
		else {
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 0xf];
		}
	}
	out[o] = '\0';
	return out;
}

char *
mm_cmd_body(const struct mm_cmd_spec *spec, const char *team_id,
	    const char *url, const char *id)
{
	struct json_object *o = mm_cmd_json_check(json_object_new_object());
	char *s;

	if (id != NULL)
		mm_cmd_json_add(o, "id", id);
	mm_cmd_json_add(o, "team_id", team_id);
	mm_cmd_json_add(o, "trigger", spec->trigger);
	mm_cmd_json_add(o, "method", "P");
	mm_cmd_json_add(o, "url", url);
	json_object_object_add(o, "auto_complete",
			       mm_cmd_json_check(json_object_new_boolean(1)));
	mm_cmd_json_add(o, "auto_complete_desc", spec->auto_desc);
	mm_cmd_json_add(o, "auto_complete_hint", spec->auto_hint);
	mm_cmd_json_add(o, "display_name", spec->display_name);
	mm_cmd_json_add(o, "description", spec->description);
	s = xstrdup(json_object_to_json_string_ext(
	    o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return s;
}

const char *
mm_cmd_trigger_of(const struct config *c, const char *group)
{
	const struct cmd_entry *const *e;
	const char *t;

	if (c == NULL)
		return group;
	for (e = cmd_groups(); *e != NULL; e++) {
		if (strcmp((*e)->name, group) != 0)
			continue;
		t = cmd_trigger_word(c, *e);
		return t != NULL ? t : group;
	}
	return group;
}

/* A copy of s cut to at most max bytes at a character boundary. */
static char *
mm_cmd_cut(const char *s, size_t max)
{
	return xstrndup(s, utf8_cut(s, strlen(s), max));
}

/* A copy of b's text cut to max bytes; b is released. */
static char *
mm_cmd_take_cut(struct buf *b, size_t max)
{
	char *s = mm_cmd_cut(buf_str(b), max);

	buf_release(b);
	return s;
}

void
mm_cmd_specs(const struct config *c, enum locale loc, struct mm_cmd_spec **out,
	     size_t *n)
{
	const struct cmd_entry *const *groups = cmd_groups(), *const * e;
	const struct cmd_sub *s;
	struct mm_cmd_spec *specs, *sp;
	struct buf b;
	const char *text;
	size_t count = 0;

	for (e = groups; *e != NULL; e++)
		count++;
	specs = xcalloc(count + 1, sizeof *specs);

	/* "/lihui <group> ...": the groups by name, and help. */
	sp = &specs[0];
	sp->trigger = xstrdup("lihui");
	sp->display_name = xstrdup("lihui");
	text = L_(loc, "Every command also works as `/lihui <group> ...` and "
		       "as a message to the bot.");
	sp->description = mm_cmd_cut(text, MM_CMD_DESC_MAX);
	sp->auto_desc = mm_cmd_cut(text, MM_CMD_AUTO_MAX);
	buf_init(&b, MM_CMD_AUTO_MAX + 1);
	buf_puts(&b, "[");
	for (e = groups; *e != NULL; e++)
		buf_printf(&b, "%s|", (*e)->name);
	buf_puts(&b, "help] ...");
	sp->auto_hint = mm_cmd_take_cut(&b, MM_CMD_AUTO_MAX);

	/* One per group: "/report [away|blocker|...] ...". */
	for (e = groups; *e != NULL; e++) {
		sp = &specs[1 + (size_t)(e - groups)];
		sp->trigger = xstrdup(mm_cmd_trigger_of(c, (*e)->name));
		buf_init(&b, MM_CMD_DISPLAY_MAX + 1);
		buf_printf(&b, "lihui %s", (*e)->name);
		sp->display_name = mm_cmd_take_cut(&b, MM_CMD_DISPLAY_MAX);
		text = L_(loc, (*e)->help);
		sp->description = mm_cmd_cut(text, MM_CMD_DESC_MAX);
		sp->auto_desc = mm_cmd_cut(text, MM_CMD_AUTO_MAX);
		buf_init(&b, MM_CMD_AUTO_MAX + 1);
		buf_puts(&b, "[");
		for (s = (*e)->subs; s->name != NULL; s++)
			buf_printf(&b, "%s%s", s == (*e)->subs ? "" : "|",
				   s->name);
		buf_puts(&b, "] ...");
		sp->auto_hint = mm_cmd_take_cut(&b, MM_CMD_AUTO_MAX);
	}
	*out = specs;
	*n = count + 1;
}

void
mm_cmd_specs_free(struct mm_cmd_spec *specs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(specs[i].trigger);
		free(specs[i].display_name);
		free(specs[i].description);
		free(specs[i].auto_desc);
		free(specs[i].auto_hint);
	}
	free(specs);
}

static void
mm_reg_free(struct mm_reg *r)
{
	free(r->url);
	free(r->auth);
	free(r->team_name);
	free(r->command_url);
	free(r->ca_file);
	free(r->team_id);
	mm_cmd_specs_free(r->specs, r->nspecs);
	mm_command_list_free(r->existing, r->nexisting);
	buf_release(&r->report);
	free(r);
}

/* Tell the caller how it went and free r. */
static void
mm_reg_finish(struct mm_reg *r)
{
	r->done(r->arg, !r->failed, buf_str(&r->report));
	mm_reg_free(r);
}

/* Stop with a last report line saying why. */
static void
mm_reg_stop(struct mm_reg *r, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	buf_printf(&r->report, "cannot register the commands: %s\n", msg);
	free(msg);
	r->failed = 1;
	mm_reg_finish(r);
}

/* The " (error id)" of a Mattermost error answer, or "". Caller frees. */
static char *
mm_reg_error_suffix(const struct http_response *resp)
{
	char *id = mm_cmd_error_id(resp->body, resp->body_len), *s;

	if (id == NULL)
		return xstrdup("");
	s = xasprintf(" (%s)", id);
	free(id);
	return s;
}

/*
 * Stop on the answers that make every later call fail as well: transport
 * errors, 401, 403 (what lacks is named by forbidden) and 501. Returns 1
 * when r was stopped (and freed).
 */
static int
mm_reg_fatal_answer(struct mm_reg *r, const struct http_response *resp,
		    const char *forbidden)
{
	if (resp->status == 0) {
		mm_reg_stop(r, "request to %s failed: %s", r->url,
			    resp->error != NULL ? resp->error : "no answer");
		return 1;
	}
	if (resp->status == 401) {
		mm_reg_stop(r, "the server refused the bot's token (401); "
			       "check [mattermost] token");
		return 1;
	}
	if (resp->status == 403) {
		mm_reg_stop(r, "%s (403)", forbidden);
		return 1;
	}
	if (resp->status == 501) {
		mm_reg_stop(r, "custom slash commands are disabled on the "
			       "server (501); enable them in the System "
			       "Console under Integrations");
		return 1;
	}
	return 0;
}

/* Start method path with body (or NULL); -1 with *cause. */
static int
mm_reg_request(struct mm_reg *r, const char *method, const char *path,
	       const char *body, http_done_cb done, char **cause)
{
	struct mm_rest rest = { r->http,    r->url,	 r->auth,
				r->ca_file, r->insecure, MM_CMD_RESPONSE_MAX };

	return mm_rest_start(&rest, method, path, body, done, r, cause);
}

/* Whether a listed command has trigger t (the server lower-cases them). */
static struct mm_command *
mm_reg_find(struct mm_reg *r, const char *t)
{
	size_t i;

	for (i = 0; i < r->nexisting; i++) {
		if (strcasecmp(r->existing[i].trigger, t) == 0)
			return &r->existing[i];
	}
	return NULL;
}

static int
mm_reg_is_ours(const struct mm_reg *r, const struct mm_command *c)
{
	return strcmp(c->url, r->command_url) == 0;
}

/* Commands pointing at lihui whose trigger lihui no longer uses. */
static void
mm_reg_note_stale(struct mm_reg *r)
{
	size_t i, j, shown = 0;

	for (i = 0; i < r->nexisting; i++) {
		if (!mm_reg_is_ours(r, &r->existing[i]))
			continue;
		for (j = 0; j < r->nspecs; j++) {
			if (strcasecmp(r->existing[i].trigger,
				       r->specs[j].trigger) == 0)
				break;
		}
		if (j < r->nspecs || shown++ >= MM_REG_STALE_SHOWN)
			continue;
		buf_printf(&r->report,
			   "note: /%s (id %s) points at lihui but is not one "
			   "of its triggers; delete it if nobody uses it\n",
			   r->existing[i].trigger, r->existing[i].id);
	}
}

static void
mm_reg_save_done(void *arg, const struct http_response *resp)
{
	struct mm_reg *r = arg;
	const struct mm_cmd_spec *sp = &r->specs[r->next];
	struct mm_command c;
	char *cause = NULL, *suffix, *id, *forbidden;
	int stopped;

	forbidden = xasprintf(MM_REG_PERMISSION, r->team_name);
	stopped = mm_reg_fatal_answer(r, resp, forbidden);
	free(forbidden);
	if (stopped)
		return;
	if (resp->status == 400 && !r->updating) {
		id = mm_cmd_error_id(resp->body, resp->body_len);
		if (id != NULL && strcmp(id, MM_REG_DUPLICATE) == 0) {
			buf_printf(&r->report,
				   "/%s: conflict: another command (perhaps a "
				   "built-in one) already uses this trigger; "
				   "not changed\n",
				   sp->trigger);
			r->failed = 1;
			free(id);
			goto next;
		}
		free(id);
	}
	if (resp->status < 200 || resp->status > 299) {
		suffix = mm_reg_error_suffix(resp);
		buf_printf(&r->report, "/%s: failed: %s answered %ld%s\n",
			   sp->trigger, r->updating ? "PUT" : "POST",
			   resp->status, suffix);
		free(suffix);
		r->failed = 1;
		goto next;
	}
	if (mm_cmd_parse_one(resp->body, resp->body_len, &c, &cause) != 0) {
		buf_printf(&r->report, "/%s: %s, but the answer is odd: %s\n",
			   sp->trigger, r->updating ? "updated" : "created",
			   cause);
		free(cause);
		r->failed = 1;
		goto next;
	}
	if (r->updating)
		buf_printf(&r->report, "/%s: updated\n", sp->trigger);
	else if (c.token != NULL)
		buf_printf(&r->report, "/%s: created, token %s\n", sp->trigger,
			   c.token);
	else {
		buf_printf(&r->report,
			   "/%s: created, but the answer has no token; "
			   "regenerate it in the System Console\n",
			   sp->trigger);
		r->failed = 1;
	}
	mm_command_release(&c);
next:
	r->next++;
	mm_reg_save_next(r);
}

/* Save the next spec that needs a request, or finish. */
static void
mm_reg_save_next(struct mm_reg *r)
{
	const struct mm_cmd_spec *sp;
	struct mm_command *c;
	char *body, *path, *esc, *cause = NULL;
	int rc;

	for (; r->next < r->nspecs; r->next++) {
		sp = &r->specs[r->next];
		c = mm_reg_find(r, sp->trigger);
		if (c != NULL && !mm_reg_is_ours(r, c)) {
			buf_printf(&r->report,
				   "/%s: conflict: command %s with this "
				   "trigger points elsewhere; not changed\n",
				   sp->trigger, c->id);
			r->failed = 1;
			continue;
		}
		r->updating = c != NULL;
		body = mm_cmd_body(sp, r->team_id, r->command_url,
				   c != NULL ? c->id : NULL);
		if (c != NULL) {
			esc = mm_cmd_escape(c->id);
			path = xasprintf("/api/v4/commands/%s", esc);
			free(esc);
			rc = mm_reg_request(r, "PUT", path, body,
					    mm_reg_save_done, &cause);
		} else {
			path = xstrdup("/api/v4/commands");
			rc = mm_reg_request(r, "POST", path, body,
					    mm_reg_save_done, &cause);
		}
		free(path);
		free(body);
		if (rc != 0) {
			mm_reg_stop(r, "%s", cause);
			free(cause);
		}
		return;
	}
	mm_reg_finish(r);
}

static void
mm_reg_list_done(void *arg, const struct http_response *resp)
{
	struct mm_reg *r = arg;
	char *cause = NULL, *forbidden, *suffix;
	int stopped;

	forbidden = xasprintf(MM_REG_PERMISSION, r->team_name);
	stopped = mm_reg_fatal_answer(r, resp, forbidden);
	free(forbidden);
	if (stopped)
		return;
	if (resp->status < 200 || resp->status > 299) {
		suffix = mm_reg_error_suffix(resp);
		mm_reg_stop(r,
			    "listing the team's commands: the server "
			    "answered %ld%s",
			    resp->status, suffix);
		free(suffix);
		return;
	}
	if (mm_cmd_parse_list(resp->body, resp->body_len, &r->existing,
			      &r->nexisting, &cause) != 0) {
		mm_reg_stop(r, "listing the team's commands: %s", cause);
		free(cause);
		return;
	}
	mm_reg_note_stale(r);
	r->next = 0;
	mm_reg_save_next(r);
}

static void
mm_reg_team_done(void *arg, const struct http_response *resp)
{
	struct mm_reg *r = arg;
	char *cause = NULL, *forbidden, *path, *esc, *suffix;
	int stopped;

	if (resp->status == 404) {
		mm_reg_stop(r,
			    "team '%s' not found (404); check [mattermost] "
			    "team and that the bot is a member",
			    r->team_name);
		return;
	}
	forbidden = xasprintf("the bot may not see team '%s'; add it to the "
			      "team",
			      r->team_name);
	stopped = mm_reg_fatal_answer(r, resp, forbidden);
	free(forbidden);
	if (stopped)
		return;
	if (resp->status < 200 || resp->status > 299) {
		suffix = mm_reg_error_suffix(resp);
		mm_reg_stop(r,
			    "looking up team '%s': the server answered %ld%s",
			    r->team_name, resp->status, suffix);
		free(suffix);
		return;
	}
	if (mm_cmd_parse_team(resp->body, resp->body_len, &r->team_id,
			      &cause) != 0) {
		mm_reg_stop(r, "looking up team '%s': %s", r->team_name, cause);
		free(cause);
		return;
	}
	buf_printf(&r->report, "team '%s' (id %s), commands sent to %s:\n",
		   r->team_name, r->team_id, r->command_url);
	esc = mm_cmd_escape(r->team_id);
	path = xasprintf("/api/v4/commands?team_id=%s&custom_only=true", esc);
	free(esc);
	if (mm_reg_request(r, "GET", path, NULL, mm_reg_list_done, &cause) !=
	    0) {
		free(path);
		mm_reg_stop(r, "%s", cause);
		free(cause);
		return;
	}
	free(path);
}

/* Whether s is set and holds no control characters. */
static int
mm_reg_opt_ok(const char *s, size_t max)
{
	size_t i, len;

	if (s == NULL || *s == '\0')
		return 0;
	len = strlen(s);
	if (len > max)
		return 0;
	for (i = 0; i < len; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	}
	return 1;
}

int
mm_register_commands(struct http_client *http, const struct mm_register_opts *o,
		     mm_register_done_fn done, void *arg, char **cause)
{
	struct mm_reg *r;
	char *path, *esc;
	int loc = LOCALE_EN, rc;

	if (!mm_reg_opt_ok(o->url, MM_CMD_URL_MAX))
		return set_cause(cause, "no Mattermost url to register the "
					"commands with");
	if (!mm_reg_opt_ok(o->auth_header, 4096))
		return set_cause(cause, "no bot token to register the commands "
					"with");
	if (!mm_reg_opt_ok(o->team_name, MM_CMD_TRIGGER_MAX))
		return set_cause(cause, "no team to register the commands in "
					"(set [mattermost] team)");
	if (!mm_reg_opt_ok(o->command_url, MM_CMD_URL_MAX) ||
	    (strncmp(o->command_url, "http://", 7) != 0 &&
	     strncmp(o->command_url, "https://", 8) != 0))
		return set_cause(cause,
				 "the command url must be an http:// or "
				 "https:// URL of at most %d bytes",
				 MM_CMD_URL_MAX);
	if (o->locale != NULL) {
		loc = locale_parse(o->locale);
		if (loc < 0)
			return set_cause(cause, "unknown locale '%.32s'",
					 o->locale);
	}

	r = xcalloc(1, sizeof *r);
	r->http = http;
	r->url = xstrdup(o->url);
	r->auth = xstrdup(o->auth_header);
	r->team_name = xstrdup(o->team_name);
	r->command_url = xstrdup(o->command_url);
	r->ca_file = o->ca_file != NULL ? xstrdup(o->ca_file) : NULL;
	r->insecure = o->insecure;
	r->done = done;
	r->arg = arg;
	buf_init(&r->report, MM_REG_REPORT_MAX);
	mm_cmd_specs(o->config, (enum locale)loc, &r->specs, &r->nspecs);

	esc = mm_cmd_escape(r->team_name);
	path = xasprintf("/api/v4/teams/name/%s", esc);
	free(esc);
	rc = mm_reg_request(r, "GET", path, NULL, mm_reg_team_done, cause);
	free(path);
	if (rc != 0) {
		mm_reg_free(r);
		return -1;
	}
	return 0;
}

/* State of `lihui --register-commands` while its loop runs. */
struct mm_register_run {
	int finished;
	int ok;
};

static void
mm_register_run_done(void *arg, int ok, const char *report)
{
	struct mm_register_run *r = arg;

	/* The admin's own terminal: the one place a new token is shown. */
	fputs(report, stdout);
	if (report[0] != '\0' && report[strlen(report) - 1] != '\n')
		fputc('\n', stdout);
	fflush(stdout);
	r->ok = ok;
	r->finished = 1;
}

int
mattermost_register_commands(const struct config *cfg)
{
	struct mm_register_run run = { 0, 0 };
	struct mm_register_opts o;
	struct http_client *http;
	struct clock clock = clock_system();
	uv_loop_t loop;
	char *cause = NULL, *url, *auth, *command_url;
	size_t n;
	int rc = 1;

	if (cfg->mm_url == NULL || cfg->mm_token == NULL ||
	    cfg->mm_team == NULL) {
		fprintf(stderr, "lihui: --register-commands needs url, token "
				"and team in [mattermost]\n");
		return 1;
	}
	n = strlen(cfg->mm_url);
	while (n > 0 && cfg->mm_url[n - 1] == '/')
		n--;
	url = xstrndup(cfg->mm_url, n);
	auth = xasprintf("Authorization: Bearer %s", cfg->mm_token);
	if (cfg->mm_command_url != NULL)
		command_url = xstrdup(cfg->mm_command_url);
	else
		command_url = xasprintf(
		    "http://%s/command",
		    cfg->mm_listen != NULL ? cfg->mm_listen : "127.0.0.1:8090");
	memset(&o, 0, sizeof o);
	o.url = url;
	o.auth_header = auth;
	o.team_name = cfg->mm_team;
	o.command_url = command_url;
	o.locale = cfg->locale;
	o.config = cfg;
	o.ca_file = cfg->mm_ca_file;
	o.insecure = cfg->mm_insecure_tls;

	uv_loop_init(&loop);
	http = http_client_new(&loop, &clock, &cause);
	if (http == NULL) {
		fprintf(stderr, "lihui: %s\n", cause);
		goto out;
	}
	if (mm_register_commands(http, &o, mm_register_run_done, &run,
				 &cause) != 0) {
		fprintf(stderr, "lihui: %s\n", cause);
	} else {
		while (!run.finished)
			uv_run(&loop, UV_RUN_ONCE);
		rc = run.ok ? 0 : 1;
	}
	http_client_close(http, NULL, NULL);
	uv_run(&loop, UV_RUN_DEFAULT);
	http_client_free(http);
out:
	uv_loop_close(&loop);
	free(cause);
	free(url);
	free(auth);
	free(command_url);
	return rc;
}
