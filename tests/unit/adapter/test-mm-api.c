/* SPDX-License-Identifier: MIT */
/*
 * test-mm-api.c: the Mattermost user and channel lookups (src/adapter/
 * mm-api.c) over real sockets on a libuv loop: against the fake
 * Mattermost server (tests/lib/fake-mm.h) for found, 404, 500, the batch,
 * coalescing of lookups of the same thing and answers from the cache
 * without a request; against the scripted fake HTTP server (tests/lib/
 * fake-http.h) for answers no real server gives: malformed JSON, wrong
 * types, another user than asked for, oversize and deep answers. Also:
 * invalid ids and names refused before any request, lookups ended by
 * closing the HTTP client, and a callback looking up again.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uv.h>

#include "fake-http.h"
#include "fake-mm.h"
#include "lihui/http.h"
#include "lihui/xmalloc.h"
#include "testloop.h"

#include "../../../src/adapter/mm-api.h"

#define TOKEN	 "sekrit-bot-token"
#define AUTH	 "Authorization: Bearer " TOKEN
#define GUARD_MS 20000
#define MAX_RECS 16
#define DAVE_ID	 "dave00000000000000000000du"

/* One callback's outcome, copied. */
struct rec {
	int kind; /* 'u' user, 'c' channel, 'b' batch */
	enum mm_api_result result;
	char *id, *name, *type, *team_id, *display_name;
	char *error;
	size_t found, not_found, failed;
};

struct ctx {
	struct testloop tl;
	int close_called;
	struct fake_mm *mm;
	struct fake_http *fh;
	struct mm_cache *cache;
	struct mm_api *api;
	char *url;
	struct rec recs[MAX_RECS];
	size_t nrecs;
	/* For a callback that looks its user up again. */
	int again;
	int again_rc;
};

/* The api on base URL url with a response cap. */
static void
use_server(struct ctx *ctx, const char *url, size_t max_response)
{
	struct mm_rest r;

	free(ctx->url);
	ctx->url = xstrdup(url);
	memset(&r, 0, sizeof r);
	r.http = ctx->tl.http;
	r.url = ctx->url;
	r.auth = AUTH;
	r.max_response = max_response;
	mm_api_free(ctx->api);
	ctx->api = mm_api_new(&r, ctx->cache);
}

static int
setup(void **state)
{
	struct ctx *ctx = xcalloc(1, sizeof *ctx);
	char *cause = NULL, *url;

	testloop_init(&ctx->tl, NULL, GUARD_MS);
	ctx->mm = fake_mm_new(&ctx->tl.loop, TOKEN, &cause);
	assert_non_null(ctx->mm);
	ctx->fh = fake_http_new(&ctx->tl.loop, &cause);
	assert_non_null(ctx->fh);
	fake_mm_add_user(ctx->mm, DAVE_ID, "dave");
	ctx->cache = mm_cache_new();
	url = fake_mm_url(ctx->mm, "");
	use_server(ctx, url, 1024 * 1024);
	free(url);
	*state = ctx;
	return 0;
}

static void
recs_clear(struct ctx *ctx)
{
	size_t i;

	for (i = 0; i < ctx->nrecs; i++) {
		free(ctx->recs[i].id);
		free(ctx->recs[i].name);
		free(ctx->recs[i].type);
		free(ctx->recs[i].team_id);
		free(ctx->recs[i].display_name);
		free(ctx->recs[i].error);
	}
	memset(ctx->recs, 0, sizeof ctx->recs);
	ctx->nrecs = 0;
}

static int
teardown(void **state)
{
	struct ctx *ctx = *state;

	if (!ctx->close_called)
		testloop_close_http(&ctx->tl);
	fake_mm_close(ctx->mm);
	fake_http_close(ctx->fh);
	testloop_drain(&ctx->tl);
	assert_int_equal(mm_api_in_flight(ctx->api), 0);
	mm_api_free(ctx->api);
	mm_cache_free(ctx->cache);
	testloop_free(&ctx->tl);
	recs_clear(ctx);
	free(ctx->url);
	free(ctx);
	return 0;
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static struct rec *
rec_new(struct ctx *ctx, int kind, enum mm_api_result result, const char *error)
{
	struct rec *r;

	assert_true(ctx->nrecs < MAX_RECS);
	r = &ctx->recs[ctx->nrecs++];
	r->kind = kind;
	r->result = result;
	r->error = dup_or_null(error);
	/* The contract: an error exactly when the result is one. */
	if (result == MM_API_ERROR)
		assert_non_null(error);
	else
		assert_null(error);
	return r;
}

static void
on_user(void *arg, enum mm_api_result result, const struct mm_api_user *u,
	const char *error)
{
	struct ctx *ctx = arg;
	struct rec *r = rec_new(ctx, 'u', result, error);
	struct mm_api_user again;
	char *cause = NULL;

	if (result == MM_API_FOUND) {
		assert_non_null(u);
		r->id = xstrdup(u->id);
		r->name = xstrdup(u->username);
		if (ctx->again) {
			/* Looking up the same user again: from the cache. */
			ctx->again_rc = mm_api_user(ctx->api, u->id, &again,
						    on_user, ctx, &cause);
			assert_null(cause);
		}
	} else
		assert_null(u);
}

static void
on_channel(void *arg, enum mm_api_result result, const struct mm_api_channel *c,
	   const char *error)
{
	struct ctx *ctx = arg;
	struct rec *r = rec_new(ctx, 'c', result, error);

	if (result == MM_API_FOUND) {
		assert_non_null(c);
		r->id = xstrdup(c->id);
		r->type = xstrdup(c->type);
		r->name = xstrdup(c->name);
		r->team_id = xstrdup(c->team_id);
		r->display_name = xstrdup(c->display_name);
	} else
		assert_null(c);
}

static void
on_users(void *arg, size_t found, size_t not_found, size_t failed,
	 const char *error)
{
	struct ctx *ctx = arg;
	struct rec *r;

	assert_true(ctx->nrecs < MAX_RECS);
	r = &ctx->recs[ctx->nrecs++];
	r->kind = 'b';
	r->found = found;
	r->not_found = not_found;
	r->failed = failed;
	r->error = dup_or_null(error);
	assert_true((failed > 0) == (error != NULL));
}

/* Run the loop until n callbacks ran. */
static void
wait_recs(struct ctx *ctx, size_t n)
{
	while (ctx->nrecs < n && !ctx->tl.expired)
		uv_run(&ctx->tl.loop, UV_RUN_ONCE);
	assert_false(ctx->tl.expired);
	assert_int_equal(ctx->nrecs, n);
}

static size_t
requests(const struct ctx *ctx, const char *method, const char *pattern)
{
	return fake_mm_count(ctx->mm, method, pattern);
}

/* Look user id up and wait for the answer. */
static struct rec *
user_lookup(struct ctx *ctx, const char *id)
{
	struct mm_api_user out;
	char *cause = NULL;
	size_t n = ctx->nrecs;

	assert_int_equal(mm_api_user(ctx->api, id, &out, on_user, ctx, &cause),
			 0);
	assert_null(cause);
	wait_recs(ctx, n + 1);
	return &ctx->recs[n];
}

static void
test_user_found_then_cached(void **state)
{
	struct ctx *ctx = *state;
	struct mm_api_user out;
	struct rec *r;
	char *cause = NULL;

	r = user_lookup(ctx, FAKE_MM_ALICE_ID);
	assert_int_equal(r->result, MM_API_FOUND);
	assert_string_equal(r->id, FAKE_MM_ALICE_ID);
	assert_string_equal(r->name, "alice");
	assert_int_equal(
	    requests(ctx, "GET", "/api/v4/users/" FAKE_MM_ALICE_ID), 1);
	assert_string_equal(
	    fake_mm_header(fake_mm_last(ctx->mm, "GET", "/api/v4/users/*"),
			   "Authorization"),
	    "Bearer " TOKEN);
	assert_string_equal(mm_cache_user(ctx->cache, FAKE_MM_ALICE_ID),
			    "alice");

	/* Again, by id and by name: the cache answers, no request. */
	assert_int_equal(
	    mm_api_user(ctx->api, FAKE_MM_ALICE_ID, &out, on_user, ctx, &cause),
	    1);
	assert_string_equal(out.username, "alice");
	assert_int_equal(
	    mm_api_user_by_name(ctx->api, "alice", &out, on_user, ctx, &cause),
	    1);
	assert_string_equal(out.id, FAKE_MM_ALICE_ID);
	assert_null(cause);
	assert_int_equal(fake_mm_request_count(ctx->mm), 1);
	assert_int_equal(mm_api_in_flight(ctx->api), 0);
	assert_int_equal(ctx->nrecs, 1);
}

static void
test_user_not_found_and_errors(void **state)
{
	struct ctx *ctx = *state;
	struct rec *r;

	r = user_lookup(ctx, "nobody000000000000000000nu");
	assert_int_equal(r->result, MM_API_NOT_FOUND);
	assert_null(mm_cache_user(ctx->cache, "nobody000000000000000000nu"));

	fake_mm_fail(ctx->mm, "GET", "/api/v4/users/*", 1, 500, -1);
	r = user_lookup(ctx, FAKE_MM_BOB_ID);
	assert_int_equal(r->result, MM_API_ERROR);
	assert_non_null(strstr(r->error, "answered 500"));
	assert_non_null(strstr(r->error, "GET /api/v4/users/" FAKE_MM_BOB_ID));
	assert_null(mm_cache_user(ctx->cache, FAKE_MM_BOB_ID));

	/* 401 and 429 are errors too, not "not found". */
	fake_mm_fail(ctx->mm, "GET", "/api/v4/users/*", 1, 429, 3);
	r = user_lookup(ctx, FAKE_MM_BOB_ID);
	assert_int_equal(r->result, MM_API_ERROR);
	assert_non_null(strstr(r->error, "answered 429"));

	/* After the failures the lookup works. */
	r = user_lookup(ctx, FAKE_MM_BOB_ID);
	assert_int_equal(r->result, MM_API_FOUND);
	assert_string_equal(r->name, "bob");
}

static void
test_user_by_name(void **state)
{
	struct ctx *ctx = *state;
	struct mm_api_user out;
	char *cause = NULL;

	assert_int_equal(
	    mm_api_user_by_name(ctx->api, "dave", &out, on_user, ctx, &cause),
	    0);
	assert_int_equal(
	    mm_api_user_by_name(ctx->api, "nobody", &out, on_user, ctx, &cause),
	    0);
	wait_recs(ctx, 2);
	assert_int_equal(ctx->recs[0].result, MM_API_FOUND);
	assert_string_equal(ctx->recs[0].id, DAVE_ID);
	assert_string_equal(ctx->recs[0].name, "dave");
	assert_int_equal(ctx->recs[1].result, MM_API_NOT_FOUND);
	assert_int_equal(requests(ctx, "GET", "/api/v4/users/username/dave"),
			 1);
	/* Now known both ways. */
	assert_string_equal(mm_cache_user(ctx->cache, DAVE_ID), "dave");
	assert_int_equal(
	    mm_api_user(ctx->api, DAVE_ID, &out, on_user, ctx, &cause), 1);
	assert_int_equal(
	    mm_api_user_by_name(ctx->api, "dave", &out, on_user, ctx, &cause),
	    1);
	assert_string_equal(out.id, DAVE_ID);
	/* A rename: the old name no longer answers from the cache. */
	mm_cache_set_user(ctx->cache, DAVE_ID, "david");
	assert_null(mm_cache_user_id(ctx->cache, "dave"));
	assert_string_equal(mm_cache_user_id(ctx->cache, "david"), DAVE_ID);
	assert_null(cause);
	assert_int_equal(fake_mm_request_count(ctx->mm), 2);
}

static void
test_channel(void **state)
{
	struct ctx *ctx = *state;
	struct mm_api_channel out;
	struct mm_channel_seen *seen;
	char *cause = NULL;
	char dm[27];

	fake_mm_direct_id(FAKE_MM_BOT_ID, DAVE_ID, dm);
	fake_mm_add_channel(ctx->mm, dm, "", "dm-name", "D");
	assert_int_equal(mm_api_channel(ctx->api, FAKE_MM_CHANNEL_ID, &out,
					on_channel, ctx, &cause),
			 0);
	assert_int_equal(
	    mm_api_channel(ctx->api, dm, &out, on_channel, ctx, &cause), 0);
	assert_int_equal(mm_api_channel(ctx->api, "nochannel00000000000000och",
					&out, on_channel, ctx, &cause),
			 0);
	wait_recs(ctx, 3);
	assert_int_equal(ctx->recs[0].result, MM_API_FOUND);
	assert_string_equal(ctx->recs[0].id, FAKE_MM_CHANNEL_ID);
	assert_string_equal(ctx->recs[0].type, "O");
	assert_string_equal(ctx->recs[0].name, FAKE_MM_CHANNEL_NAME);
	assert_string_equal(ctx->recs[0].team_id, FAKE_MM_TEAM_ID);
	assert_string_equal(ctx->recs[0].display_name, FAKE_MM_CHANNEL_NAME);
	assert_int_equal(ctx->recs[1].result, MM_API_FOUND);
	assert_string_equal(ctx->recs[1].type, "D");
	assert_string_equal(ctx->recs[1].team_id, "");
	assert_int_equal(ctx->recs[2].result, MM_API_NOT_FOUND);
	/* In the cache, without disturbing what posts put there. */
	seen = mm_cache_channel_find(ctx->cache, dm);
	assert_non_null(seen);
	assert_string_equal(seen->type, "D");
	assert_null(
	    mm_cache_channel_find(ctx->cache, "nochannel00000000000000och"));
	assert_int_equal(mm_api_channel(ctx->api, FAKE_MM_CHANNEL_ID, &out,
					on_channel, ctx, &cause),
			 1);
	assert_string_equal(out.name, FAKE_MM_CHANNEL_NAME);
	assert_string_equal(out.team_id, FAKE_MM_TEAM_ID);
	assert_null(cause);
	assert_int_equal(fake_mm_request_count(ctx->mm), 3);

	/* A channel seen only in posts (type, no name) is looked up. */
	seen = mm_cache_channel(ctx->cache, "seen0000000000000000000och");
	snprintf(seen->type, sizeof seen->type, "O");
	seen->last_at = 7;
	assert_int_equal(mm_api_channel(ctx->api, "seen0000000000000000000och",
					&out, on_channel, ctx, &cause),
			 0);
	wait_recs(ctx, 4);
	assert_int_equal(ctx->recs[3].result, MM_API_NOT_FOUND);
	assert_int_equal(
	    mm_cache_channel_find(ctx->cache, "seen0000000000000000000och")
		->last_at,
	    7);
}

static void
test_channel_by_name(void **state)
{
	struct ctx *ctx = *state;
	struct mm_api_channel out;
	char *cause = NULL;

	assert_int_equal(mm_api_channel_by_name(ctx->api, FAKE_MM_TEAM_NAME,
						FAKE_MM_CHANNEL_NAME, &out,
						on_channel, ctx, &cause),
			 0);
	assert_int_equal(mm_api_channel_by_name(ctx->api, FAKE_MM_TEAM_NAME,
						"nowhere", &out, on_channel,
						ctx, &cause),
			 0);
	assert_int_equal(mm_api_channel_by_name(ctx->api, "noteam",
						FAKE_MM_CHANNEL_NAME, &out,
						on_channel, ctx, &cause),
			 0);
	wait_recs(ctx, 3);
	assert_int_equal(ctx->recs[0].result, MM_API_FOUND);
	assert_string_equal(ctx->recs[0].id, FAKE_MM_CHANNEL_ID);
	assert_string_equal(ctx->recs[0].type, "O");
	assert_int_equal(ctx->recs[1].result, MM_API_NOT_FOUND);
	assert_int_equal(ctx->recs[2].result, MM_API_NOT_FOUND);
	assert_int_equal(requests(ctx, "GET",
				  "/api/v4/teams/name/" FAKE_MM_TEAM_NAME
				  "/channels/name/" FAKE_MM_CHANNEL_NAME),
			 1);
	/* Cached by name and by id. */
	assert_string_equal(mm_cache_channel_by_name(ctx->cache,
						     FAKE_MM_TEAM_NAME,
						     FAKE_MM_CHANNEL_NAME),
			    FAKE_MM_CHANNEL_ID);
	assert_int_equal(mm_api_channel_by_name(ctx->api, FAKE_MM_TEAM_NAME,
						FAKE_MM_CHANNEL_NAME, &out,
						on_channel, ctx, &cause),
			 1);
	assert_string_equal(out.id, FAKE_MM_CHANNEL_ID);
	assert_int_equal(mm_api_channel(ctx->api, FAKE_MM_CHANNEL_ID, &out,
					on_channel, ctx, &cause),
			 1);
	/* Another team's channel of the same name is not that one. */
	assert_null(mm_cache_channel_by_name(ctx->cache, "other",
					     FAKE_MM_CHANNEL_NAME));
	assert_null(cause);
	assert_int_equal(fake_mm_request_count(ctx->mm), 3);
}

static void
test_users_batch(void **state)
{
	struct ctx *ctx = *state;
	const char *ids[] = { FAKE_MM_ALICE_ID, FAKE_MM_BOB_ID,
			      "nobody000000000000000000nu", FAKE_MM_ALICE_ID,
			      DAVE_ID };
	const struct fake_mm_request *r;
	char *cause = NULL;

	/* dave is known already: not asked for. */
	mm_cache_set_user(ctx->cache, DAVE_ID, "dave");
	assert_int_equal(mm_api_users(ctx->api, ids, 5, on_users, ctx, &cause),
			 0);
	assert_null(cause);
	wait_recs(ctx, 1);
	assert_int_equal(ctx->recs[0].found, 3);
	assert_int_equal(ctx->recs[0].not_found, 1);
	assert_int_equal(ctx->recs[0].failed, 0);
	assert_int_equal(requests(ctx, "POST", "/api/v4/users/ids"), 1);
	r = fake_mm_last(ctx->mm, "POST", "/api/v4/users/ids");
	assert_string_equal(r->body,
			    "[\"" FAKE_MM_ALICE_ID "\",\"" FAKE_MM_BOB_ID
			    "\",\"nobody000000000000000000nu\"]");
	assert_string_equal(fake_mm_header(r, "Content-Type"),
			    "application/json");
	assert_string_equal(mm_cache_user(ctx->cache, FAKE_MM_ALICE_ID),
			    "alice");
	assert_string_equal(mm_cache_user(ctx->cache, FAKE_MM_BOB_ID), "bob");

	/* All known now: answered at once, no request. */
	assert_int_equal(mm_api_users(ctx->api, ids, 2, on_users, ctx, &cause),
			 1);
	assert_int_equal(fake_mm_request_count(ctx->mm), 1);

	/* A failing batch. */
	fake_mm_fail(ctx->mm, "POST", "/api/v4/users/ids", 1, 500, -1);
	assert_int_equal(
	    mm_api_users(ctx->api, ids + 2, 1, on_users, ctx, &cause), 0);
	wait_recs(ctx, 2);
	assert_int_equal(ctx->recs[1].found, 0);
	assert_int_equal(ctx->recs[1].failed, 1);
	assert_non_null(
	    strstr(ctx->recs[1].error, "POST /api/v4/users/ids answered 500"));
	assert_null(cause);
}

/* Lookups of the same thing at once share one request. */
static void
test_coalescing(void **state)
{
	struct ctx *ctx = *state;
	const char *ids[] = { FAKE_MM_ALICE_ID, FAKE_MM_BOB_ID };
	const char *more[] = { FAKE_MM_BOB_ID, FAKE_MM_CAROL_ID };
	struct mm_api_user out;
	struct mm_api_channel ch;
	char *cause = NULL;
	size_t i;

	for (i = 0; i < 3; i++)
		assert_int_equal(mm_api_user(ctx->api, FAKE_MM_ALICE_ID, &out,
					     on_user, ctx, &cause),
				 0);
	/* alice is under way: only bob is asked for; then carol only. */
	assert_int_equal(mm_api_users(ctx->api, ids, 2, on_users, ctx, &cause),
			 0);
	assert_int_equal(mm_api_users(ctx->api, more, 2, on_users, ctx, &cause),
			 0);
	/* A single lookup joins the batch's bob. */
	assert_int_equal(
	    mm_api_user(ctx->api, FAKE_MM_BOB_ID, &out, on_user, ctx, &cause),
	    0);
	for (i = 0; i < 2; i++)
		assert_int_equal(mm_api_channel(ctx->api, FAKE_MM_CHANNEL_ID,
						&ch, on_channel, ctx, &cause),
				 0);
	assert_null(cause);
	assert_int_equal(mm_api_in_flight(ctx->api), 4);
	wait_recs(ctx, 8);
	assert_int_equal(requests(ctx, "GET", "/api/v4/users/*"), 1);
	assert_int_equal(requests(ctx, "POST", "/api/v4/users/ids"), 2);
	assert_int_equal(requests(ctx, "GET", "/api/v4/channels/*"), 1);
	assert_int_equal(fake_mm_request_count(ctx->mm), 4);
	assert_string_equal(fake_mm_request_at(ctx->mm, 1)->body,
			    "[\"" FAKE_MM_BOB_ID "\"]");
	assert_string_equal(fake_mm_request_at(ctx->mm, 2)->body,
			    "[\"" FAKE_MM_CAROL_ID "\"]");
	for (i = 0; i < ctx->nrecs; i++) {
		if (ctx->recs[i].kind == 'b') {
			assert_int_equal(ctx->recs[i].found, 2);
			continue;
		}
		assert_int_equal(ctx->recs[i].result, MM_API_FOUND);
		if (ctx->recs[i].kind == 'u')
			assert_string_equal(
			    ctx->recs[i].name,
			    strcmp(ctx->recs[i].id, FAKE_MM_BOB_ID) == 0
				? "bob"
				: "alice");
	}
	assert_int_equal(mm_api_in_flight(ctx->api), 0);
}

/* A callback that looks the same user up again gets the cache. */
static void
test_callback_looks_again(void **state)
{
	struct ctx *ctx = *state;
	struct rec *r;

	ctx->again = 1;
	ctx->again_rc = -2;
	r = user_lookup(ctx, FAKE_MM_CAROL_ID);
	assert_int_equal(r->result, MM_API_FOUND);
	assert_int_equal(ctx->again_rc, 1);
	assert_int_equal(fake_mm_request_count(ctx->mm), 1);
}

static void
test_invalid_arguments(void **state)
{
	struct ctx *ctx = *state;
	static const char *const bad_ids[] = {
		"",
		"short",
		"ALICE0000000000000000000au",
		"alice0000000000000000000au0",
		"alice000000000000000000/au",
		"alice00000000000000000..au",
		"alice0000000000000000000a%",
	};
	static const char *const bad_names[] = {
		"",
		"Alice",
		"1alice",
		"al/ice",
		"..",
		"a b",
		"al%2fice",
		"é",
		("a123456789012345678901234567890123456789012345678901234567890"
		 "12345"),
	};
	static const char *const bad_team[] = { "", "a/b", "A", "a.b", "?x" };
	struct mm_api_user out;
	struct mm_api_channel ch;
	const char *many[MM_API_BATCH_MAX + 1];
	const char *mixed[2] = { FAKE_MM_ALICE_ID, "bad" };
	char *cause = NULL;
	size_t i;

	for (i = 0; i < sizeof bad_ids / sizeof bad_ids[0]; i++) {
		assert_int_equal(mm_api_user(ctx->api, bad_ids[i], &out,
					     on_user, ctx, &cause),
				 -1);
		assert_non_null(cause);
		assert_non_null(strstr(cause, "invalid user id"));
		free(cause);
		cause = NULL;
		assert_int_equal(mm_api_channel(ctx->api, bad_ids[i], &ch,
						on_channel, ctx, &cause),
				 -1);
		assert_non_null(cause);
		free(cause);
		cause = NULL;
		assert_int_equal(mm_api_users(ctx->api, &bad_ids[i], 1,
					      on_users, ctx, &cause),
				 -1);
		assert_non_null(cause);
		free(cause);
		cause = NULL;
		assert_false(mm_api_id_valid(bad_ids[i]));
	}
	for (i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
		assert_int_equal(mm_api_user_by_name(ctx->api, bad_names[i],
						     &out, on_user, ctx,
						     &cause),
				 -1);
		assert_non_null(cause);
		assert_non_null(strstr(cause, "invalid username"));
		free(cause);
		cause = NULL;
	}
	for (i = 0; i < sizeof bad_team / sizeof bad_team[0]; i++) {
		assert_int_equal(mm_api_channel_by_name(ctx->api, bad_team[i],
							"ops", &ch, on_channel,
							ctx, &cause),
				 -1);
		assert_non_null(cause);
		free(cause);
		cause = NULL;
		assert_int_equal(
		    mm_api_channel_by_name(ctx->api, "team", bad_team[i], &ch,
					   on_channel, ctx, &cause),
		    -1);
		assert_non_null(cause);
		free(cause);
		cause = NULL;
	}
	/* The batch: one bad id spoils it; 0 or too many ids. */
	assert_int_equal(
	    mm_api_users(ctx->api, mixed, 2, on_users, ctx, &cause), -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	assert_int_equal(
	    mm_api_users(ctx->api, mixed, 0, on_users, ctx, &cause), -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	for (i = 0; i <= MM_API_BATCH_MAX; i++)
		many[i] = FAKE_MM_ALICE_ID;
	assert_int_equal(mm_api_users(ctx->api, many, MM_API_BATCH_MAX + 1,
				      on_users, ctx, &cause),
			 -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	/* Valid ones, for contrast. */
	assert_true(mm_api_id_valid(FAKE_MM_ALICE_ID));
	assert_true(mm_api_username_valid("alice.b-c_d9"));
	assert_true(mm_api_name_valid("town-square_2"));
	assert_int_equal(mm_api_in_flight(ctx->api), 0);
	assert_int_equal(fake_mm_request_count(ctx->mm), 0);
	assert_int_equal(ctx->nrecs, 0);
}

/* Answers no real server gives, from the scripted fake. */
struct odd_answer {
	const char *body;
	const char *error; /* in the error */
};

static void
test_malformed_answers(void **state)
{
	struct ctx *ctx = *state;
	static const struct odd_answer odd[] = {
		{ "{\"id\":\"" DAVE_ID "\",", "not JSON" },
		{ "", "not JSON" },
		{ "[]", "not a JSON object" },
		{ "{\"id\":\"" DAVE_ID "\",\"username\":\"dave\"} x",
		  "data after" },
		{ "{\"id\":5,\"username\":\"dave\"}", "id is not a string" },
		{ "{\"username\":\"dave\"}", "has no id" },
		{ "{\"id\":\"" DAVE_ID "\",\"username\":null}",
		  "username is not a string" },
		{ "{\"id\":\"" DAVE_ID "\",\"username\":\"da\\u0000ve\"}",
		  "username is not valid" },
		{ "{\"id\":\"" DAVE_ID "\",\"username\":\"da/ve\"}",
		  "username is not valid" },
		{ "{\"id\":\"" FAKE_MM_ALICE_ID "\",\"username\":\"alice\"}",
		  "something else" },
		{ "{\"id\":\"" DAVE_ID "\",\"username\":\"dave\",\"x\":"
		  "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]"
		  "]"
		  "]]]]]]]]]]]]]]]]]]]]}",
		  "not JSON" },
	};
	char *url = fake_http_url(ctx->fh, "");
	size_t i;
	struct rec *r;

	use_server(ctx, url, 1024 * 1024);
	free(url);
	for (i = 0; i < sizeof odd / sizeof odd[0]; i++) {
		/* A route per answer: the first matching one wins. */
		fake_http_route(ctx->fh, "GET", "/api/v4/users/" DAVE_ID, 200,
				"Content-Type: application/json\r\n",
				odd[i].body);
		r = user_lookup(ctx, DAVE_ID);
		assert_int_equal(r->result, MM_API_ERROR);
		if (strstr(r->error, odd[i].error) == NULL)
			fail_msg("answer %zu: '%s' lacks '%s'", i, r->error,
				 odd[i].error);
		assert_null(mm_cache_user(ctx->cache, DAVE_ID));
		/* Routes cannot be removed: a fresh server for the next. */
		fake_http_close(ctx->fh);
		ctx->fh = fake_http_new(&ctx->tl.loop, NULL);
		assert_non_null(ctx->fh);
		url = fake_http_url(ctx->fh, "");
		use_server(ctx, url, 1024 * 1024);
		free(url);
	}
}

static void
test_malformed_channel_and_batch(void **state)
{
	struct ctx *ctx = *state;
	const char *ids[] = { DAVE_ID, FAKE_MM_ALICE_ID };
	struct mm_api_channel ch;
	char *url = fake_http_url(ctx->fh, ""), *cause = NULL;

	use_server(ctx, url, 1024 * 1024);
	free(url);
	fake_http_route(ctx->fh, "GET", "/api/v4/channels/" FAKE_MM_CHANNEL_ID,
			200, NULL,
			"{\"id\":\"" FAKE_MM_CHANNEL_ID "\",\"type\":\"X\","
			"\"name\":\"ops\",\"team_id\":\"\","
			"\"display_name\":\"Ops\"}");
	fake_http_route(ctx->fh, "GET", "/api/v4/channels/" DAVE_ID, 200, NULL,
			"{\"id\":\"" DAVE_ID "\",\"type\":\"O\","
			"\"name\":\"ops\",\"team_id\":\"TEAM\","
			"\"display_name\":\"Ops\"}");
	fake_http_route(ctx->fh, "POST", "/api/v4/users/ids", 200, NULL,
			"[{\"id\":\"" DAVE_ID "\",\"username\":\"dave\"},"
			"{\"id\":\"" FAKE_MM_ALICE_ID "\",\"username\":7}]");
	assert_int_equal(mm_api_channel(ctx->api, FAKE_MM_CHANNEL_ID, &ch,
					on_channel, ctx, &cause),
			 0);
	assert_int_equal(
	    mm_api_channel(ctx->api, DAVE_ID, &ch, on_channel, ctx, &cause), 0);
	assert_int_equal(mm_api_users(ctx->api, ids, 2, on_users, ctx, &cause),
			 0);
	wait_recs(ctx, 3);
	assert_null(cause);
	assert_int_equal(ctx->recs[0].result, MM_API_ERROR);
	assert_non_null(strstr(ctx->recs[0].error, "type is not O, P, D or G"));
	assert_int_equal(ctx->recs[1].result, MM_API_ERROR);
	assert_non_null(strstr(ctx->recs[1].error, "team_id is not valid"));
	/* One bad user spoils the whole answer. */
	assert_int_equal(ctx->recs[2].kind, 'b');
	assert_int_equal(ctx->recs[2].failed, 2);
	assert_non_null(strstr(ctx->recs[2].error, "username is not a string"));
	assert_null(mm_cache_user(ctx->cache, DAVE_ID));
	assert_null(mm_cache_channel_find(ctx->cache, FAKE_MM_CHANNEL_ID));
}

static void
test_oversize(void **state)
{
	struct ctx *ctx = *state;
	const char *head = "{\"id\":\"" DAVE_ID "\",";
	const char *tail = "\"username\":\"dave\"}";
	size_t big = MM_API_MAX_RESPONSE + 10, small = 5000;
	char *body = xmalloc(big + 1);
	char *url = fake_http_url(ctx->fh, "");
	struct rec *r;

	/* Valid JSON, padded with blanks inside the object. */
	memset(body, ' ', big);
	memcpy(body, head, strlen(head));
	memcpy(body + big - strlen(tail), tail, strlen(tail));
	body[big] = '\0';
	/* Over the HTTP cap the client was given. */
	use_server(ctx, url, small - 1);
	fake_http_route_len(ctx->fh, "GET", "/api/v4/users/" DAVE_ID, 200, NULL,
			    body + big - small, small);
	r = user_lookup(ctx, DAVE_ID);
	assert_int_equal(r->result, MM_API_ERROR);
	/* Over the parser's own cap, with a larger HTTP cap. */
	use_server(ctx, url, 0);
	fake_http_route_len(ctx->fh, "GET", "/api/v4/users/" FAKE_MM_BOB_ID,
			    200, NULL, body, big);
	r = user_lookup(ctx, FAKE_MM_BOB_ID);
	assert_int_equal(r->result, MM_API_ERROR);
	assert_non_null(strstr(r->error, "answer longer than"));
	free(url);
	free(body);
}

/* Closing the HTTP client ends the lookups under way with an error. */
static void
test_close_ends_lookups(void **state)
{
	struct ctx *ctx = *state;
	const char *ids[] = { FAKE_MM_BOB_ID };
	struct mm_api_user out;
	char *cause = NULL;
	size_t i;

	fake_mm_hang(ctx->mm, NULL, "/api/v4/users/*", FAKE_MM_ALWAYS);
	assert_int_equal(
	    mm_api_user(ctx->api, FAKE_MM_ALICE_ID, &out, on_user, ctx, &cause),
	    0);
	assert_int_equal(mm_api_users(ctx->api, ids, 1, on_users, ctx, &cause),
			 0);
	while (fake_mm_request_count(ctx->mm) < 2 && !ctx->tl.expired)
		uv_run(&ctx->tl.loop, UV_RUN_ONCE);
	assert_int_equal(ctx->nrecs, 0);
	ctx->close_called = 1;
	testloop_close_http(&ctx->tl);
	assert_int_equal(ctx->nrecs, 2);
	/* In either order. */
	for (i = 0; i < 2; i++) {
		if (ctx->recs[i].kind == 'b')
			assert_int_equal(ctx->recs[i].failed, 1);
		else
			assert_int_equal(ctx->recs[i].result, MM_API_ERROR);
		assert_non_null(strstr(ctx->recs[i].error, "cancelled"));
	}
	assert_int_equal(mm_api_in_flight(ctx->api), 0);
	assert_null(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_user_found_then_cached),
		T(test_user_not_found_and_errors),
		T(test_user_by_name),
		T(test_channel),
		T(test_channel_by_name),
		T(test_users_batch),
		T(test_coalescing),
		T(test_callback_looks_again),
		T(test_invalid_arguments),
		T(test_malformed_answers),
		T(test_malformed_channel_and_batch),
		T(test_oversize),
		T(test_close_ends_lookups),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
