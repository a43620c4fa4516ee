/* SPDX-License-Identifier: MIT */
/*
 * slack-command.h: a Slack slash command as the adapter receives it,
 * private to the Slack adapter: from the form body of an HTTP POST (HTTP
 * mode, after slack_sign_verify()) or from the JSON payload of a Socket
 * Mode "slash_commands" envelope. Both carry the same fields.
 *
 * Parsing is bounded and all or nothing: at most SLACK_CMD_MAX_FIELDS
 * fields; ids (user_id, channel_id, team_id, trigger_id, api_app_id) are
 * 1..SLACK_CMD_ID_MAX bytes of [A-Za-z0-9._-]; command is '/' and a name
 * without white space or control characters, names (user_name,
 * channel_name) are UTF-8 without control characters, both at most
 * SLACK_CMD_NAME_MAX bytes; text is UTF-8 (no NUL) of at most
 * SLACK_CMD_TEXT_MAX bytes; response_url is an http(s) URL of printable
 * ASCII, at most SLACK_CMD_URL_MAX bytes. command, user_id and channel_id
 * are required; a field lihui keeps may appear only once; other fields
 * (token, team_domain, enterprise_*, ...) are ignored and never copied.
 * Causes name the field, never its value.
 */

#ifndef LIHUI_ADAPTER_SLACK_COMMAND_H
#define LIHUI_ADAPTER_SLACK_COMMAND_H

#include <stddef.h>

struct json_object;

#define SLACK_CMD_MAX_FIELDS 40
#define SLACK_CMD_TEXT_MAX   8192
#define SLACK_CMD_ID_MAX     256
#define SLACK_CMD_NAME_MAX   256
#define SLACK_CMD_URL_MAX    2048

/* A slash command as Slack sends it (HTTP form body, or the payload of a
 * Socket Mode "slash_commands" envelope). Every string is allocated;
 * absent optional fields are NULL. */
struct slack_command {
	char *command;	    /* "/report" as typed (required) */
	char *text;	    /* the arguments, Slack-escaped ("" if none) */
	char *user_id;	    /* required */
	char *user_name;    /* may be NULL */
	char *channel_id;   /* required */
	char *channel_name; /* may be NULL ("directmessage" for DMs) */
	char *team_id;
	char *trigger_id;
	char *response_url;
	char *api_app_id;
};

/*
 * Bounded parse; -1 with *cause (a clear reason, e.g. "missing field
 * user_id", "field text is too long") and *out left empty on bad input.
 * *out is overwritten, not released first; on success the caller releases
 * it with slack_command_release(). body may be NULL when len is 0. Empty
 * optional fields are NULL, as if absent.
 */
int slack_command_from_form(const char *body, size_t len,
			    struct slack_command *out, char **cause);
/* The same from a payload object (borrowed; nothing of it is kept). JSON
 * null counts as absent; any other non-string value is refused. */
int slack_command_from_json(struct json_object *payload,
			    struct slack_command *out, char **cause);
/* Free c's strings; *c is empty and reusable afterwards. NULL is fine. */
void slack_command_release(struct slack_command *c);

#endif
