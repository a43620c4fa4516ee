/* SPDX-License-Identifier: MIT */
/*
 * loopback.c: the test servers' listening socket (see loopback.h).
 */

#include "loopback.h"
#include "lihui/xmalloc.h"

int
loopback_listen(uv_tcp_t *tcp, uv_connection_cb on_connection, int *port,
		char **cause)
{
	struct sockaddr_in sin;
	struct sockaddr_storage ss;
	int len = sizeof ss, error;

	uv_ip4_addr("127.0.0.1", 0, &sin);
	error = uv_tcp_bind(tcp, (const struct sockaddr *)&sin, 0);
	if (error == 0)
		error = uv_listen((uv_stream_t *)tcp, 128, on_connection);
	if (error == 0)
		error = uv_tcp_getsockname(tcp, (struct sockaddr *)&ss, &len);
	if (error != 0)
		return set_cause(cause, "cannot listen on 127.0.0.1: %s",
				 uv_strerror(error));
	*port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return 0;
}
