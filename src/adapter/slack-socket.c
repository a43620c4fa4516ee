/* SPDX-License-Identifier: MIT */
/*
 * slack-socket.c: Socket Mode frames (see slack-socket.h).
 *
 * How it works. A frame is checked as bytes first (size, NUL, UTF-8),
 * then parsed by json-c with a nesting cap, and must be one JSON object
 * with nothing but blanks after it. Its "type" decides the rest: "hello"
 * and "disconnect" are control frames, anything with an envelope_id is an
 * envelope (an unknown envelope type still parses, so the adapter can
 * acknowledge it). Every field used is type- and size-checked; fields
 * lihui does not use are ignored. Causes name the field, never its value.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "lihui/utf8.h"
#include "lihui/xmalloc.h"

#include "slack-socket.h"

/* json-c allocation failure is out of memory: like the x* allocators. */
static struct json_object *
slack_socket_check(struct json_object *o)
{
	if (o == NULL)
		fatal("out of memory");
	return o;
}

int
slack_id_valid(const char *s)
{
	size_t len;

	if (s == NULL)
		return 0;
	len = strlen(s);
	return len >= 1 && len <= SLACK_ID_MAX &&
	       strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			 "0123456789-_.") == len;
}

/*
 * The string member key of o: 0 with *out NULL when absent (or JSON
 * null), 0 with *out a copy when it is a string of at most max bytes
 * without NUL (and an id when id is set), else -1 with *cause.
 */
static int
slack_socket_string(struct json_object *o, const char *key, size_t max, int id,
		    char **out, char **cause)
{
	struct json_object *v;
	const char *s;
	size_t len;

	*out = NULL;
	if (!json_object_object_get_ex(o, key, &v) || v == NULL)
		return 0;
	if (!json_object_is_type(v, json_type_string))
		return set_cause(cause, "field %s is not a string", key);
	s = json_object_get_string(v);
	len = (size_t)json_object_get_string_len(v);
	if (len > max)
		return set_cause(cause, "field %s is longer than %zu bytes",
				 key, max);
	if (memchr(s, '\0', len) != NULL)
		return set_cause(cause, "field %s holds a NUL byte", key);
	if (id && !slack_id_valid(s))
		return set_cause(cause, "field %s is not a valid id", key);
	*out = xstrndup(s, len);
	return 0;
}

/* The integer member key of o in min..max into *out (def when absent). */
static int
slack_socket_int(struct json_object *o, const char *key, int64_t min,
		 int64_t max, int64_t def, int64_t *out, char **cause)
{
	struct json_object *v;
	int64_t n;

	*out = def;
	if (!json_object_object_get_ex(o, key, &v) || v == NULL)
		return 0;
	if (!json_object_is_type(v, json_type_int))
		return set_cause(cause, "field %s is not an integer", key);
	n = json_object_get_int64(v);
	if (n < min || n > max)
		return set_cause(cause, "field %s is out of range", key);
	*out = n;
	return 0;
}

/* The boolean member key of o (0 when absent). */
static int
slack_socket_bool(struct json_object *o, const char *key, int *out,
		  char **cause)
{
	struct json_object *v;

	*out = 0;
	if (!json_object_object_get_ex(o, key, &v) || v == NULL)
		return 0;
	if (!json_object_is_type(v, json_type_boolean))
		return set_cause(cause, "field %s is not a boolean", key);
	*out = json_object_get_boolean(v);
	return 0;
}

/* Parse len bytes as one JSON object; NULL with *cause. */
static struct json_object *
slack_socket_json(const char *data, size_t len, char **cause)
{
	struct json_tokener *tok;
	struct json_object *o;
	size_t end;

	if (len > SLACK_FRAME_MAX) {
		set_cause(cause, "frame is longer than %d bytes",
			  SLACK_FRAME_MAX);
		return NULL;
	}
	if (len == 0) {
		set_cause(cause, "frame is empty");
		return NULL;
	}
	if (memchr(data, '\0', len) != NULL) {
		set_cause(cause, "frame holds a NUL byte");
		return NULL;
	}
	if (!utf8_valid(data, len)) {
		set_cause(cause, "frame is not valid UTF-8");
		return NULL;
	}
	tok = json_tokener_new_ex(SLACK_JSON_DEPTH);
	if (tok == NULL)
		fatal("out of memory");
	o = json_tokener_parse_ex(tok, data, (int)len);
	end = json_tokener_get_parse_end(tok);
	if (json_tokener_get_error(tok) != json_tokener_success) {
		set_cause(cause, "frame is not JSON: %s",
			  json_tokener_error_desc(json_tokener_get_error(tok)));
		json_object_put(o);
		o = NULL;
	} else if (end < len && strspn(data + end, " \t\r\n") != len - end) {
		set_cause(cause, "frame has data after the JSON value");
		json_object_put(o);
		o = NULL;
	} else if (!json_object_is_type(o, json_type_object)) {
		set_cause(cause, "frame is not a JSON object");
		json_object_put(o);
		o = NULL;
	}
	json_tokener_free(tok);
	return o;
}

void
slack_frame_release(struct slack_frame *f)
{
	free(f->reason);
	free(f->type_name);
	free(f->envelope_id);
	free(f->retry_reason);
	json_object_put(f->payload);
	memset(f, 0, sizeof *f);
}

static int
slack_frame_hello(struct json_object *o, struct slack_frame *f, char **cause)
{
	struct json_object *debug;
	int64_t n;

	f->kind = SLACK_FRAME_HELLO;
	if (slack_socket_int(o, "num_connections", 0, 1000, -1, &n, cause) != 0)
		return -1;
	f->num_connections = (int)n;
	f->connection_time = -1;
	if (!json_object_object_get_ex(o, "debug_info", &debug) ||
	    debug == NULL)
		return 0;
	if (!json_object_is_type(debug, json_type_object))
		return set_cause(cause, "field debug_info is not an object");
	if (slack_socket_int(debug, "approximate_connection_time", 0, INT32_MAX,
			     -1, &n, cause) != 0)
		return -1;
	f->connection_time = (long)n;
	return 0;
}

static int
slack_frame_envelope(struct json_object *o, struct slack_frame *f, char **cause)
{
	struct json_object *payload;
	int64_t n;

	f->kind = SLACK_FRAME_ENVELOPE;
	if (slack_socket_string(o, "envelope_id", SLACK_ID_MAX, 1,
				&f->envelope_id, cause) != 0)
		return -1;
	if (f->envelope_id == NULL)
		return set_cause(cause, "envelope without envelope_id");
	if (strcmp(f->type_name, "slash_commands") == 0)
		f->type = SLACK_ENV_SLASH_COMMANDS;
	else if (strcmp(f->type_name, "events_api") == 0)
		f->type = SLACK_ENV_EVENTS_API;
	else if (strcmp(f->type_name, "interactive") == 0)
		f->type = SLACK_ENV_INTERACTIVE;
	else
		f->type = SLACK_ENV_OTHER;
	if (slack_socket_int(o, "retry_attempt", 0, SLACK_RETRY_MAX, 0, &n,
			     cause) != 0)
		return -1;
	f->retry_attempt = (int)n;
	if (slack_socket_string(o, "retry_reason", SLACK_ID_MAX, 0,
				&f->retry_reason, cause) != 0)
		return -1;
	if (slack_socket_bool(o, "accepts_response_payload",
			      &f->accepts_response_payload, cause) != 0)
		return -1;
	if (!json_object_object_get_ex(o, "payload", &payload) ||
	    payload == NULL)
		return 0;
	if (!json_object_is_type(payload, json_type_object))
		return set_cause(cause, "field payload is not an object");
	f->payload = json_object_get(payload);
	return 0;
}

int
slack_frame_parse(const char *data, size_t len, struct slack_frame *out,
		  char **cause)
{
	struct json_object *o;
	int rc;

	memset(out, 0, sizeof *out);
	o = slack_socket_json(data, len, cause);
	if (o == NULL)
		return -1;
	if (slack_socket_string(o, "type", SLACK_ID_MAX, 0, &out->type_name,
				cause) != 0)
		goto bad;
	if (out->type_name == NULL) {
		set_cause(cause, "frame without type");
		goto bad;
	}
	if (json_object_object_get_ex(o, "envelope_id", NULL))
		rc = slack_frame_envelope(o, out, cause);
	else if (strcmp(out->type_name, "hello") == 0)
		rc = slack_frame_hello(o, out, cause);
	else if (strcmp(out->type_name, "disconnect") == 0) {
		out->kind = SLACK_FRAME_DISCONNECT;
		rc = slack_socket_string(o, "reason", SLACK_ID_MAX, 0,
					 &out->reason, cause);
		if (rc == 0 && out->reason == NULL)
			out->reason = xstrdup("");
	} else
		rc = set_cause(cause,
			       "frame of an unknown type without envelope_id");
	if (rc != 0)
		goto bad;
	json_object_put(o);
	return 0;
bad:
	json_object_put(o);
	slack_frame_release(out);
	return -1;
}

char *
slack_ack_build(const char *envelope_id, const char *ephemeral_text)
{
	struct json_object *o, *p;
	char *s;

	o = slack_socket_check(json_object_new_object());
	json_object_object_add(
	    o, "envelope_id",
	    slack_socket_check(json_object_new_string(envelope_id)));
	if (ephemeral_text != NULL) {
		p = slack_socket_check(json_object_new_object());
		json_object_object_add(
		    p, "response_type",
		    slack_socket_check(json_object_new_string("ephemeral")));
		json_object_object_add(
		    p, "text",
		    slack_socket_check(json_object_new_string(ephemeral_text)));
		json_object_object_add(o, "payload", p);
	}
	s = xstrdup(json_object_to_json_string_ext(
	    o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return s;
}

void
slack_event_release(struct slack_event *e)
{
	free(e->event_id);
	free(e->type);
	free(e->subtype);
	free(e->user);
	free(e->bot_id);
	free(e->channel);
	free(e->channel_type);
	free(e->text);
	free(e->ts);
	free(e->thread_ts);
	memset(e, 0, sizeof *e);
}

int
slack_event_parse(struct json_object *payload, struct slack_event *out,
		  char **cause)
{
	struct json_object *ev;
	char *type = NULL;

	memset(out, 0, sizeof *out);
	if (payload == NULL || !json_object_is_type(payload, json_type_object))
		return set_cause(cause, "events_api envelope without payload");
	if (slack_socket_string(payload, "type", SLACK_ID_MAX, 0, &type,
				cause) != 0)
		return -1;
	if (type == NULL || strcmp(type, "event_callback") != 0) {
		free(type);
		return set_cause(cause, "payload is not an event_callback");
	}
	free(type);
	if (!json_object_object_get_ex(payload, "event", &ev) ||
	    !json_object_is_type(ev, json_type_object))
		return set_cause(cause, "event_callback without event object");
	if (slack_socket_string(payload, "event_id", SLACK_ID_MAX, 1,
				&out->event_id, cause) != 0 ||
	    slack_socket_string(ev, "type", SLACK_ID_MAX, 0, &out->type,
				cause) != 0 ||
	    slack_socket_string(ev, "subtype", SLACK_ID_MAX, 0, &out->subtype,
				cause) != 0 ||
	    slack_socket_string(ev, "user", SLACK_ID_MAX, 1, &out->user,
				cause) != 0 ||
	    slack_socket_string(ev, "bot_id", SLACK_ID_MAX, 1, &out->bot_id,
				cause) != 0 ||
	    slack_socket_string(ev, "channel", SLACK_ID_MAX, 1, &out->channel,
				cause) != 0 ||
	    slack_socket_string(ev, "channel_type", SLACK_ID_MAX, 0,
				&out->channel_type, cause) != 0 ||
	    slack_socket_string(ev, "text", SLACK_TEXT_MAX, 0, &out->text,
				cause) != 0 ||
	    slack_socket_string(ev, "ts", SLACK_ID_MAX, 1, &out->ts, cause) !=
		0 ||
	    slack_socket_string(ev, "thread_ts", SLACK_ID_MAX, 1,
				&out->thread_ts, cause) != 0)
		goto bad;
	if (out->type == NULL) {
		set_cause(cause, "event without type");
		goto bad;
	}
	return 0;
bad:
	slack_event_release(out);
	return -1;
}
