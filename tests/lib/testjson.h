/* SPDX-License-Identifier: MIT */
/*
 * testjson.h: reading JSON answers in tests (json-c): parse or fail the
 * test, and members by key that are NULL or -1 when missing.
 */
#ifndef LIHUI_TEST_TESTJSON_H
#define LIHUI_TEST_TESTJSON_H

#include <stdint.h>

#include <json-c/json.h>

/** text parsed; fails the test if it is not JSON. Caller puts. */
struct json_object *testjson_parse(const char *text);

/** String member key of o, or NULL; borrowed from o. */
const char *testjson_str(struct json_object *o, const char *key);

/** Integer member key of o, or -1. */
int64_t testjson_int(struct json_object *o, const char *key);

/** Boolean member key of o (0 or 1), or -1. */
int testjson_bool(struct json_object *o, const char *key);

#endif
