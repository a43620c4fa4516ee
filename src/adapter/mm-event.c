/* SPDX-License-Identifier: MIT */
/*
 * mm-event.c: parse Mattermost WebSocket text frames into struct mm_msg and
 * build the authentication_challenge request (see mm-event.h).
 *
 * A frame is checked before json-c sees it (size, NUL bytes, UTF-8), then
 * parsed with a depth-limited strict tokener that must consume it all. Frames
 * with "seq_reply" are replies to our requests; all others must carry an
 * "event". A "posted" event holds the Post as a JSON string in data.post, and
 * the mentioned user ids as a JSON string in data.mentions; both go through
 * the same checked parser a second time. Every string copied out is capped
 * and checked for UTF-8, so what leaves this file needs no more checks.
 *
 * json-c objects never leave this file: strings are copied out before the
 * root is put. On failure the struct is released, so the caller frees only
 * the cause. When adding an event kind, add it to enum mm_msg_kind, to
 * mm_msg_parse_event() and to mm_msg_release() for any new strings.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "lihui/log.h"
#include "lihui/utf8.h"
#include "lihui/xmalloc.h"

#include "mm-event.h"

static void mm_msg_init(struct mm_msg *);
static struct json_object *mm_json_parse(const char *, size_t, const char *,
					 char **);
static int mm_get_raw(struct json_object *, const char *, const char *, size_t,
		      int, const char **, size_t *, char **);
static int mm_get_str(struct json_object *, const char *, const char *, size_t,
		      int, char **, char **);
static int mm_get_object(struct json_object *, const char *, const char *, int,
			 struct json_object **, char **);
static int mm_get_int(struct json_object *, const char *, int64_t, int,
		      int64_t *, char **);
static int mm_msg_parse_response(struct json_object *, struct mm_msg *,
				 char **);
static int mm_msg_parse_event(struct json_object *, struct mm_msg *, char **);
static int mm_msg_parse_hello(struct json_object *, struct mm_msg *, char **);
static int mm_msg_parse_posted(struct json_object *, struct mm_msg *, char **);
static int mm_msg_parse_post(struct json_object *, struct mm_msg *, char **);
static int mm_msg_parse_mentions(struct json_object *, struct mm_msg *,
				 char **);
static int mm_field_error(char **, const char *, const char *, const char *);
static void mm_default_empty(char **);
static struct json_object *mm_json_checked(struct json_object *);

/* Reset *msg to "nothing parsed": no strings, no counters. */
static void
mm_msg_init(struct mm_msg *msg)
{
	memset(msg, 0, sizeof *msg);
	msg->kind = MM_MSG_OTHER;
	msg->seq = -1;
	msg->seq_reply = -1;
}

/*
 * Parse s[0..len) as one complete JSON value named what (for messages).
 * Returns a new root the caller must json_object_put(), or NULL with *cause.
 */
static struct json_object *
mm_json_parse(const char *s, size_t len, const char *what, char **cause)
{
	struct json_tokener *tok;
	struct json_object *obj;
	enum json_tokener_error err;
	size_t end;

	if (len == 0) {
		set_cause(cause, "%s is empty", what);
		return NULL;
	}
	if (len > MM_FRAME_MAX) {
		set_cause(cause, "%s is too large (%zu bytes, at most %d)",
			  what, len, MM_FRAME_MAX);
		return NULL;
	}
	if (memchr(s, '\0', len) != NULL) {
		set_cause(cause, "%s contains a NUL byte", what);
		return NULL;
	}
	if (!utf8_valid(s, len)) {
		set_cause(cause, "%s is not valid UTF-8", what);
		return NULL;
	}

	tok = json_tokener_new_ex(MM_JSON_DEPTH);
	if (tok == NULL) {
		set_cause(cause, "cannot create a JSON parser for %s", what);
		return NULL;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	/* len <= MM_FRAME_MAX, so the int conversion is exact. */
	obj = json_tokener_parse_ex(tok, s, (int)len);
	err = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	if (obj == NULL && err == json_tokener_continue) {
		/*
		 * The input is complete: a terminating NUL tells json-c so,
		 * which ends a top-level number or literal, or fails.
		 */
		obj = json_tokener_parse_ex(tok, "", 1);
		err = json_tokener_get_error(tok);
		end = len;
	}
	json_tokener_free(tok);

	if (obj == NULL) {
		if (err == json_tokener_success)
			set_cause(cause, "%s is JSON null", what);
		else if (err == json_tokener_error_parse_eof)
			set_cause(cause, "%s is truncated JSON", what);
		else
			set_cause(cause, "%s is not valid JSON: %s", what,
				  json_tokener_error_desc(err));
		return NULL;
	}
	for (; end < len; end++) {
		if (strchr(" \t\r\n", s[end]) == NULL) {
			json_object_put(obj);
			set_cause(cause, "%s has data after the JSON value",
				  what);
			return NULL;
		}
	}
	return obj;
}

/* Set *cause to "'where.key' what" ("'key' what" at the top); returns -1. */
static int
mm_field_error(char **cause, const char *where, const char *key,
	       const char *what)
{
	if (*where == '\0')
		return set_cause(cause, "'%s' %s", key, what);
	return set_cause(cause, "'%s.%s' %s", where, key, what);
}

/*
 * Find string member key of obj (named where.key in messages, or just key
 * when where is ""), borrowing its bytes until obj is put. Absent or null
 * members leave *s NULL unless required. The string must be at most max
 * bytes of UTF-8 without NUL.
 */
static int
mm_get_raw(struct json_object *obj, const char *where, const char *key,
	   size_t max, int required, const char **s, size_t *len, char **cause)
{
	struct json_object *v;
	char what[64];
	int n;

	*s = NULL;
	*len = 0;
	if (!json_object_object_get_ex(obj, key, &v) || v == NULL) {
		if (required)
			return mm_field_error(cause, where, key, "is missing");
		return 0;
	}
	if (!json_object_is_type(v, json_type_string))
		return mm_field_error(cause, where, key, "is not a string");
	n = json_object_get_string_len(v);
	if (n < 0 || (size_t)n > max) {
		snprintf(what, sizeof what,
			 "is too long (%d bytes, at most %zu)", n, max);
		return mm_field_error(cause, where, key, what);
	}
	if (!utf8_valid(json_object_get_string(v), (size_t)n))
		return mm_field_error(cause, where, key,
				      "is not valid UTF-8 or holds a NUL");
	if (required && n == 0)
		return mm_field_error(cause, where, key, "is empty");
	*s = json_object_get_string(v);
	*len = (size_t)n;
	return 0;
}

/* Like mm_get_raw(), but copy the string into *dst (freed by the caller). */
static int
mm_get_str(struct json_object *obj, const char *where, const char *key,
	   size_t max, int required, char **dst, char **cause)
{
	const char *s;
	size_t len;

	if (mm_get_raw(obj, where, key, max, required, &s, &len, cause) != 0)
		return -1;
	if (s != NULL)
		*dst = xstrndup(s, len);
	return 0;
}

/* Find object member key of obj, borrowed; absent or null gives NULL. */
static int
mm_get_object(struct json_object *obj, const char *where, const char *key,
	      int required, struct json_object **dst, char **cause)
{
	struct json_object *v;

	*dst = NULL;
	if (!json_object_object_get_ex(obj, key, &v) || v == NULL) {
		if (required)
			return mm_field_error(cause, where, key, "is missing");
		return 0;
	}
	if (!json_object_is_type(v, json_type_object))
		return mm_field_error(cause, where, key, "is not an object");
	*dst = v;
	return 0;
}

/* Read top-level integer member key (>= min) into *dst if present. */
static int
mm_get_int(struct json_object *obj, const char *key, int64_t min, int required,
	   int64_t *dst, char **cause)
{
	struct json_object *v;
	int64_t n;

	if (!json_object_object_get_ex(obj, key, &v) || v == NULL) {
		if (required)
			return set_cause(cause, "'%s' is missing", key);
		return 0;
	}
	if (!json_object_is_type(v, json_type_int))
		return set_cause(cause, "'%s' is not an integer", key);
	n = json_object_get_int64(v);
	if (n < min)
		return set_cause(cause, "'%s' is out of range", key);
	*dst = n;
	return 0;
}

/* A reply to one of our requests: {"status", "seq_reply", "error"}. */
static int
mm_msg_parse_response(struct json_object *root, struct mm_msg *out,
		      char **cause)
{
	struct json_object *error;

	out->kind = MM_MSG_RESPONSE;
	if (mm_get_int(root, "seq_reply", 1, 1, &out->seq_reply, cause) != 0)
		return -1;
	if (mm_get_str(root, "", "status", MM_NAME_MAX, 1, &out->status,
		       cause) != 0)
		return -1;
	if (mm_get_object(root, "", "error", 0, &error, cause) != 0)
		return -1;
	if (error != NULL && mm_get_str(error, "error", "id", MM_NAME_MAX, 0,
					&out->error_id, cause) != 0)
		return -1;
	return 0;
}

/* An event: {"event", "data", "broadcast", "seq"}. */
static int
mm_msg_parse_event(struct json_object *root, struct mm_msg *out, char **cause)
{
	if (mm_get_str(root, "", "event", MM_NAME_MAX, 1, &out->event, cause) !=
	    0)
		return -1;
	if (mm_get_int(root, "seq", 0, 0, &out->seq, cause) != 0)
		return -1;

	if (strcmp(out->event, "hello") == 0)
		return mm_msg_parse_hello(root, out, cause);
	if (strcmp(out->event, "posted") == 0)
		return mm_msg_parse_posted(root, out, cause);
	out->kind = MM_MSG_OTHER;
	return 0;
}

/* The hello event; old servers send no connection_id. */
static int
mm_msg_parse_hello(struct json_object *root, struct mm_msg *out, char **cause)
{
	struct json_object *data;

	out->kind = MM_MSG_HELLO;
	if (mm_get_object(root, "", "data", 0, &data, cause) != 0)
		return -1;
	if (data == NULL)
		return 0;
	if (mm_get_str(data, "data", "connection_id", MM_ID_MAX, 0,
		       &out->connection_id, cause) != 0)
		return -1;
	return mm_get_str(data, "data", "server_version", MM_NAME_MAX, 0,
			  &out->server_version, cause);
}

/* The posted event: channel facts in data, the Post double-encoded. */
static int
mm_msg_parse_posted(struct json_object *root, struct mm_msg *out, char **cause)
{
	struct json_object *data, *post;
	const char *s;
	size_t len;
	int rc;

	out->kind = MM_MSG_POSTED;
	if (mm_get_object(root, "", "data", 1, &data, cause) != 0)
		return -1;
	if (mm_get_str(data, "data", "channel_type", MM_NAME_MAX, 0,
		       &out->channel_type, cause) != 0 ||
	    mm_get_str(data, "data", "channel_name", MM_NAME_MAX, 0,
		       &out->channel_name, cause) != 0 ||
	    mm_get_str(data, "data", "sender_name", MM_NAME_MAX, 0,
		       &out->sender_name, cause) != 0 ||
	    mm_get_str(data, "data", "team_id", MM_ID_MAX, 0, &out->team_id,
		       cause) != 0)
		return -1;
	if (mm_msg_parse_mentions(data, out, cause) != 0)
		return -1;

	if (mm_get_raw(data, "data", "post", MM_FRAME_MAX, 1, &s, &len,
		       cause) != 0)
		return -1;
	post = mm_json_parse(s, len, "'data.post'", cause);
	if (post == NULL)
		return -1;
	rc = mm_msg_parse_post(post, out, cause);
	json_object_put(post);
	if (rc != 0)
		return -1;

	mm_default_empty(&out->channel_type);
	mm_default_empty(&out->channel_name);
	mm_default_empty(&out->sender_name);
	mm_default_empty(&out->team_id);
	return 0;
}

/* The decoded Post object of a posted event. */
static int
mm_msg_parse_post(struct json_object *post, struct mm_msg *out, char **cause)
{
	struct json_object *props, *v;

	if (!json_object_is_type(post, json_type_object))
		return set_cause(cause, "'data.post' is not a JSON object");
	if (mm_get_str(post, "post", "id", MM_ID_MAX, 1, &out->post_id,
		       cause) != 0 ||
	    mm_get_str(post, "post", "channel_id", MM_ID_MAX, 1,
		       &out->channel_id, cause) != 0 ||
	    mm_get_str(post, "post", "user_id", MM_ID_MAX, 1, &out->user_id,
		       cause) != 0 ||
	    mm_get_str(post, "post", "message", MM_MESSAGE_MAX, 0,
		       &out->message, cause) != 0 ||
	    mm_get_str(post, "post", "root_id", MM_ID_MAX, 0, &out->root_id,
		       cause) != 0 ||
	    mm_get_str(post, "post", "type", MM_NAME_MAX, 0, &out->post_type,
		       cause) != 0)
		return -1;
	mm_default_empty(&out->message);
	mm_default_empty(&out->root_id);
	mm_default_empty(&out->post_type);
	if (mm_get_int(post, "create_at", 0, 0, &out->create_at, cause) != 0)
		return -1;

	/*
	 * props is free-form (integrations put anything there), so only
	 * from_bot is looked at and odd types elsewhere are not errors. The
	 * server writes it as the string "true"; accept a boolean as well.
	 */
	if (mm_get_object(post, "post", "props", 0, &props, cause) != 0)
		return -1;
	if (props != NULL && json_object_object_get_ex(props, "from_bot", &v)) {
		if (json_object_is_type(v, json_type_boolean))
			out->from_bot = json_object_get_boolean(v);
		else if (json_object_is_type(v, json_type_string))
			out->from_bot =
			    strcmp(json_object_get_string(v), "true") == 0;
	}
	return 0;
}

/* data.mentions: optional, a JSON string holding an array of user ids. */
static int
mm_msg_parse_mentions(struct json_object *data, struct mm_msg *out,
		      char **cause)
{
	struct json_object *arr;
	const char *s;
	size_t len, i, n;
	int rc = 0;

	if (mm_get_raw(data, "data", "mentions", MM_FRAME_MAX, 0, &s, &len,
		       cause) != 0)
		return -1;
	if (s == NULL)
		return 0;
	arr = mm_json_parse(s, len, "'data.mentions'", cause);
	if (arr == NULL)
		return -1;
	if (!json_object_is_type(arr, json_type_array)) {
		json_object_put(arr);
		return set_cause(cause, "'data.mentions' is not a JSON array");
	}

	/* The array came from a frame of at most MM_FRAME_MAX bytes. */
	n = json_object_array_length(arr);
	if (n > 0)
		out->mentions = xcalloc(n, sizeof *out->mentions);
	for (i = 0; i < n; i++) {
		struct json_object *v = json_object_array_get_idx(arr, i);
		int vlen;

		if (!json_object_is_type(v, json_type_string)) {
			rc = set_cause(
			    cause, "'data.mentions' holds a %s",
			    v == NULL ? "null" : "value that is not a string");
			break;
		}
		vlen = json_object_get_string_len(v);
		if (vlen <= 0 || vlen > MM_ID_MAX ||
		    !utf8_valid(json_object_get_string(v), (size_t)vlen)) {
			rc = set_cause(cause,
				       "'data.mentions' holds an invalid id");
			break;
		}
		out->mentions[i] =
		    xstrndup(json_object_get_string(v), (size_t)vlen);
		out->n_mentions = i + 1;
	}
	json_object_put(arr);
	return rc;
}

/* Make an absent optional string "" so consumers need no NULL checks. */
static void
mm_default_empty(char **s)
{
	if (*s == NULL)
		*s = xstrdup("");
}

int
mm_msg_parse(const char *frame, size_t len, struct mm_msg *out, char **cause)
{
	struct json_object *root, *v;
	int rc;

	mm_msg_init(out);
	if (frame == NULL && len != 0)
		BUG("frame is NULL");

	root = mm_json_parse(frame, len, "frame", cause);
	if (root == NULL)
		return -1;
	if (!json_object_is_type(root, json_type_object)) {
		json_object_put(root);
		return set_cause(cause, "frame is not a JSON object");
	}

	if (json_object_object_get_ex(root, "seq_reply", &v))
		rc = mm_msg_parse_response(root, out, cause);
	else if (json_object_object_get_ex(root, "event", &v))
		rc = mm_msg_parse_event(root, out, cause);
	else
		rc = set_cause(cause, "frame has neither 'event' nor "
				      "'seq_reply'");
	json_object_put(root);
	if (rc != 0)
		mm_msg_release(out);
	return rc;
}

void
mm_msg_release(struct mm_msg *msg)
{
	size_t i;

	free(msg->event);
	free(msg->connection_id);
	free(msg->server_version);
	free(msg->status);
	free(msg->error_id);
	free(msg->post_id);
	free(msg->channel_id);
	free(msg->user_id);
	free(msg->message);
	free(msg->root_id);
	free(msg->post_type);
	free(msg->channel_type);
	free(msg->channel_name);
	free(msg->sender_name);
	free(msg->team_id);
	for (i = 0; i < msg->n_mentions; i++)
		free(msg->mentions[i]);
	free(msg->mentions);
	mm_msg_init(msg);
}

/* json-c constructors return NULL only when out of memory. */
static struct json_object *
mm_json_checked(struct json_object *obj)
{
	if (obj == NULL)
		fatal("out of memory");
	return obj;
}

char *
mm_auth_challenge(const char *token, int64_t seq)
{
	struct json_object *root, *data;
	const char *text;
	char *out;

	if (token == NULL || seq <= 0)
		BUG("bad authentication challenge arguments");

	root = mm_json_checked(json_object_new_object());
	data = mm_json_checked(json_object_new_object());
	json_object_object_add(root, "seq",
			       mm_json_checked(json_object_new_int64(seq)));
	json_object_object_add(root, "action",
			       mm_json_checked(json_object_new_string(
				   "authentication_challenge")));
	json_object_object_add(data, "token",
			       mm_json_checked(json_object_new_string(token)));
	json_object_object_add(root, "data", data);

	text = json_object_to_json_string_ext(
	    root, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	if (text == NULL)
		fatal("out of memory");
	out = xstrdup(text);
	json_object_put(root);
	return out;
}

static int
mm_msg_cmp_create_at(const void *a, const void *b)
{
	const struct mm_msg *x = a, *y = b;

	return (x->create_at > y->create_at) - (x->create_at < y->create_at);
}

int
mm_post_list_parse(const char *body, size_t len, struct mm_msg **out, size_t *n,
		   char **cause)
{
	struct json_object *root, *posts;
	struct json_object_iterator it, end;
	struct mm_msg *list = NULL;
	size_t count = 0;
	int rc = -1;

	*out = NULL;
	*n = 0;
	root = mm_json_parse(body, len, "post list", cause);
	if (root == NULL)
		return -1;
	if (!json_object_is_type(root, json_type_object)) {
		set_cause(cause, "post list is not a JSON object");
		goto out;
	}
	if (mm_get_object(root, "", "posts", 1, &posts, cause) != 0)
		goto out;
	if ((size_t)json_object_object_length(posts) > MM_POST_LIST_MAX) {
		set_cause(cause, "post list holds more than %d posts",
			  MM_POST_LIST_MAX);
		goto out;
	}
	list =
	    xcalloc((size_t)json_object_object_length(posts) + 1, sizeof *list);
	it = json_object_iter_begin(posts);
	end = json_object_iter_end(posts);
	for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
		struct mm_msg *m = &list[count];

		mm_msg_init(m);
		m->kind = MM_MSG_POSTED;
		m->event = xstrdup("posted");
		count++;
		if (mm_msg_parse_post(json_object_iter_peek_value(&it), m,
				      cause) != 0)
			goto out;
		m->channel_type = xstrdup("");
		m->channel_name = xstrdup("");
		m->sender_name = xstrdup("");
		m->team_id = xstrdup("");
	}
	qsort(list, count, sizeof *list, mm_msg_cmp_create_at);
	*out = list;
	*n = count;
	list = NULL;
	rc = 0;
out:
	if (list != NULL)
		mm_msg_list_free(list, count);
	json_object_put(root);
	return rc;
}

void
mm_msg_list_free(struct mm_msg *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		mm_msg_release(&list[i]);
	free(list);
}
