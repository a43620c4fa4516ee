/* SPDX-License-Identifier: MIT */
/*
 * mm-rest.c: one REST call to Mattermost (see mm-rest.h). The token
 * travels only in the Authorization header; nothing here logs.
 */

#include <stdlib.h>
#include <string.h>

#include "lihui/xmalloc.h"

#include "mm-rest.h"

int
mm_rest_start(const struct mm_rest *r, const char *method, const char *path,
	      const char *body, http_done_cb done, void *arg, char **cause)
{
	const char *headers[4];
	struct http_request req;
	char *url = xasprintf("%s%s", r->url, path);
	int rc;

	headers[0] = r->auth;
	headers[1] = "Accept: application/json";
	headers[2] = body != NULL ? "Content-Type: application/json" : NULL;
	headers[3] = NULL;
	memset(&req, 0, sizeof req);
	req.method = method;
	req.url = url;
	req.headers = headers;
	req.body = body;
	req.body_len = body != NULL ? strlen(body) : 0;
	req.timeout_ms = MM_REST_TIMEOUT_MS;
	req.max_response = r->max_response;
	req.ca_file = r->ca_file;
	req.insecure = r->insecure;
	rc = http_request_start(r->http, &req, done, arg, cause);
	free(url);
	return rc;
}
