/* SPDX-License-Identifier: MIT */
/*
 * mm-commands.h: registering lihui's slash commands on a Mattermost team
 * (`lihui --register-commands`), private to the Mattermost adapter.
 *
 * mm_register_commands() runs on the loop through the HTTP client: it
 * looks the team up by name, lists the team's custom commands, then for
 * each lihui trigger creates the command or updates lihui's own one, and
 * reports a conflict for a command with that trigger that points elsewhere
 * (it is never touched). The triggers come from the command tables
 * (cmd_groups()) and the [commands] trigger words, plus "lihui" itself.
 *
 * The pure parts (JSON bodies, answer parsing, percent-encoding) are
 * exposed for the unit tests; no json-c type leaves mm-commands.c.
 */

#ifndef LIHUI_ADAPTER_MM_COMMANDS_H
#define LIHUI_ADAPTER_MM_COMMANDS_H

#include <stddef.h>

#include "lihui/catalog.h"

struct config;
struct http_client;

/** Largest answer accepted from the server, in bytes. */
#define MM_CMD_RESPONSE_MAX (1024 * 1024)
/** Most commands accepted in the team's list. */
#define MM_CMD_LIST_MAX 1000
/** Largest id (team, command) or token, in bytes. */
#define MM_CMD_ID_MAX 64
/** Largest trigger (Mattermost: 128). */
#define MM_CMD_TRIGGER_MAX 128
/** Largest command URL (Mattermost: 1024). */
#define MM_CMD_URL_MAX 1024
/** Largest display_name (Mattermost: 64 bytes). */
#define MM_CMD_DISPLAY_MAX 64
/** Largest description (Mattermost: 128 bytes). */
#define MM_CMD_DESC_MAX 128
/** Largest auto_complete_desc and auto_complete_hint (Mattermost: 1024). */
#define MM_CMD_AUTO_MAX 1024

struct mm_register_opts {
	const char *url;	 /* server base, no trailing '/' */
	const char *auth_header; /* "Authorization: Bearer ...": a secret */
	const char *team_name;	 /* the team's URL name */
	const char *command_url; /* where Mattermost POSTs the commands */
	const char *locale; /* texts' language: "en" or "zh_CN"; NULL: en */
	const struct config *config; /* trigger words; NULL: group names */
	const char *ca_file;	     /* PEM bundle to trust; NULL: system */
	int insecure;		     /* skip TLS verification */
};

/*
 * Called once when the registration ends. ok is 1 when every trigger was
 * created or updated. report is borrowed until the callback returns: one
 * line per trigger ("/report: created, token <token>", "/agenda: updated",
 * "/meeting: conflict: ...") or the error that stopped it. It holds the
 * tokens of new commands, so it may go to the admin's terminal only,
 * never to a log.
 */
typedef void (*mm_register_done_fn)(void *arg, int ok, const char *report);

/**
 * Start registering lihui's commands; done runs later from the loop,
 * never from inside this call. Returns 0, or -1 with *cause filled (caller
 * frees) when the options are bad or the first request cannot start; done
 * is then not called. Everything in o is copied.
 */
int mm_register_commands(struct http_client *http,
			 const struct mm_register_opts *o,
			 mm_register_done_fn done, void *arg, char **cause);

/* One command lihui registers, built from the command tables. */
struct mm_cmd_spec {
	char *trigger;	    /* without '/' */
	char *display_name; /* at most MM_CMD_DISPLAY_MAX bytes */
	char *description;  /* at most MM_CMD_DESC_MAX bytes */
	char *auto_desc;    /* at most MM_CMD_AUTO_MAX bytes */
	char *auto_hint;    /* at most MM_CMD_AUTO_MAX bytes */
};

/**
 * lihui's commands in locale loc: "lihui" first, then one per command
 * group with its trigger word from c (the group's name when c is NULL).
 * *out is an array of *n specs; free it with mm_cmd_specs_free().
 */
void mm_cmd_specs(const struct config *c, enum locale loc,
		  struct mm_cmd_spec **out, size_t *n);
void mm_cmd_specs_free(struct mm_cmd_spec *specs, size_t n);

/** The trigger word c gives group name (name itself if none); borrowed. */
const char *mm_cmd_trigger_of(const struct config *c, const char *group);

/* A Command object as the server describes it; strings owned. */
struct mm_command {
	char *id;
	char *trigger;
	char *url;   /* "" if absent */
	char *token; /* NULL if absent or empty */
};

/**
 * The JSON body of POST /api/v4/commands (id NULL) or of
 * PUT /api/v4/commands/{id} (id set) for spec. Caller frees.
 */
char *mm_cmd_body(const struct mm_cmd_spec *spec, const char *team_id,
		  const char *url, const char *id);

/**
 * The team id from a Team answer of len bytes. -1 with *cause on a
 * malformed answer. *team_id is the caller's to free.
 */
int mm_cmd_parse_team(const char *body, size_t len, char **team_id,
		      char **cause);

/**
 * The commands from a list answer (a JSON array of Command) of len bytes.
 * -1 with *cause on a malformed answer (nothing to free). Free *out with
 * mm_command_list_free().
 */
int mm_cmd_parse_list(const char *body, size_t len, struct mm_command **out,
		      size_t *n, char **cause);

/**
 * One Command answer (of POST or PUT) of len bytes into *out. -1 with
 * *cause on a malformed answer (nothing to free). Release *out with
 * mm_command_release().
 */
int mm_cmd_parse_one(const char *body, size_t len, struct mm_command *out,
		     char **cause);

void mm_command_release(struct mm_command *c);
void mm_command_list_free(struct mm_command *list, size_t n);

/**
 * The error id of a Mattermost error answer ("api.command.duplicate_
 * trigger.app_error"), or NULL when the body is not one. Caller frees.
 */
char *mm_cmd_error_id(const char *body, size_t len);

/** s percent-encoded for a URL path segment or query value. Caller frees. */
char *mm_cmd_escape(const char *s);

#endif
