/* SPDX-License-Identifier: MIT */
/*
 * loopback.h: the test servers' listening socket: 127.0.0.1 only, on a
 * port the kernel picks (bind port 0 and read it back), so tests never
 * collide on a port.
 */
#ifndef LIHUI_TEST_LOOPBACK_H
#define LIHUI_TEST_LOOPBACK_H

#include <uv.h>

/**
 * Bind tcp (initialised by the caller) to 127.0.0.1 on a free port,
 * listen with on_connection and put the port in *port. -1 with *cause
 * (caller frees) on failure; the caller then closes tcp.
 */
int loopback_listen(uv_tcp_t *tcp, uv_connection_cb on_connection, int *port,
		    char **cause);

#endif
