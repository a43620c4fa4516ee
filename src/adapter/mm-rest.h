/* SPDX-License-Identifier: MIT */
/*
 * mm-rest.h: one REST call to Mattermost's API v4 on the HTTP client,
 * private to the Mattermost adapter and --register-commands: the server's
 * base URL, the bot's Authorization header, JSON in and out, a timeout and
 * a cap on the answer.
 */

#ifndef LIHUI_ADAPTER_MM_REST_H
#define LIHUI_ADAPTER_MM_REST_H

#include <stddef.h>

#include "lihui/http.h"

/* How long one REST call may take, in ms. */
#define MM_REST_TIMEOUT_MS 30000L

/* Where calls go and how they authenticate; borrowed, not copied. */
struct mm_rest {
	struct http_client *http;
	const char *url;     /* server base URL without a trailing '/' */
	const char *auth;    /* "Authorization: Bearer <token>": a secret */
	const char *ca_file; /* NULL: the system's CAs */
	int insecure;
	size_t max_response; /* longest answer accepted, in bytes */
};

/**
 * Start method path (e.g. "/api/v4/posts") with body (JSON, or NULL);
 * done(arg) gets the answer. -1 with *cause when it cannot start.
 */
int mm_rest_start(const struct mm_rest *r, const char *method, const char *path,
		  const char *body, http_done_cb done, void *arg, char **cause);

#endif
