/* SPDX-License-Identifier: MIT */
/*
 * fuzz-ws-url.c: libFuzzer target for ws_url_parse().
 *
 * Arbitrary bytes (a NUL-terminated copy) are parsed as a WebSocket URL
 * and the contract is checked: on failure a cause and an empty struct; on
 * success a scheme the input starts with, a non-empty host no longer than
 * the input, a port in 1..65535 and a path that starts with '/' and holds
 * only printable ASCII. Success must also be stable: the parts, put back
 * together, parse to the same parts.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lihui/ws.h"
#include "lihui/xmalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ws_url u, again;
	char *s, *cause = NULL, *url;
	const char *p;

	if (size > WS_URL_MAX + 16)
		return 0;
	s = xstrndup((const char *)data, size);
	if (ws_url_parse(s, &u, &cause) != 0) {
		if (cause == NULL || u.host != NULL || u.path != NULL)
			abort();
		free(cause);
		free(s);
		return 0;
	}
	if (cause != NULL || u.host == NULL || *u.host == '\0' ||
	    u.path == NULL || u.path[0] != '/' || u.port < 1 ||
	    u.port > 65535 || strlen(u.host) > size)
		abort();
	if (strncasecmp(s, u.tls ? "wss://" : "ws://", u.tls ? 6 : 5) != 0)
		abort();
	for (p = u.path; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
			abort();

	url = xasprintf(strchr(u.host, ':') != NULL ? "%s://[%s]:%d%s"
						    : "%s://%s:%d%s",
			u.tls ? "wss" : "ws", u.host, u.port, u.path);
	if (ws_url_parse(url, &again, &cause) != 0) {
		/* only the added port may push it past the length cap */
		if (strlen(url) <= WS_URL_MAX)
			abort();
		free(cause);
	} else {
		if (strcmp(again.host, u.host) != 0 ||
		    strcmp(again.path, u.path) != 0 || again.port != u.port ||
		    again.tls != u.tls)
			abort();
		ws_url_release(&again);
	}
	free(url);
	ws_url_release(&u);
	free(s);
	return 0;
}
