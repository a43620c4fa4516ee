/* SPDX-License-Identifier: MIT */
/*
 * test-mattermost.c: the Mattermost adapter (src/adapter/mattermost.c) on a
 * real libuv loop. A scripted fake HTTP server (tests/lib/fake-http.h)
 * plays the Mattermost server; slash-command calls are blocking libcurl
 * easy requests made from a uv work item on the thread pool, so the loop
 * keeps serving them. Covered: slash commands reaching the sink and their
 * immediate "{}" answer, token checks, the JSON of each kind of post, the
 * ephemeral-to-DM fallback, how HTTP answers map to send results, and the
 * retry of GET /api/v4/users/me.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <curl/curl.h>
#include <uv.h>

#include "event-copy.h"
#include "fake-http.h"
#include "lihui/adapter.h"
#include "lihui/buf.h"
#include "lihui/config.h"
#include "lihui/xmalloc.h"

#define BOT_ID	   "bot4id5xxxxxxxxxxxxxxxxxxx"
#define U2_ID	   "u2xxxxxxxxxxxxxxxxxxxxxxxx"
#define BOT_TOKEN  "bot-token-123"
#define CMD_TOKEN  "cmd-token-abc"
#define ME_ANSWER  "{\"id\":\"" BOT_ID "\",\"username\":\"lihui\"}"
#define MAX_EVENTS 4
#define WAIT_MS	   10000 /* generous: valgrind is slow */
#define ANSWER_MS  3000	 /* a slash command must be answered within */

/* One slash-command call made by the client thread. */
struct call {
	const char *method;
	const char *query; /* GET: query string; POST: the body */
	long status;
	char *ctype;
	struct buf body;
	double seconds;
	int curl_rc;
};

struct fixture {
	uv_loop_t loop;
	uv_timer_t tick;
	struct fake_http *fake;
	struct config cfg;
	struct adapter *a;
	int port; /* of the slash-command listener */
	int closed;

	struct event_copy ev[MAX_EVENTS];
	size_t nev;

	struct call calls[4];
	size_t ncalls;
	uv_work_t work;
	int work_done;

	int done_called;
	enum send_result result;
	char *post_id;
	int retry_after;
	char *error;
};

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static void
sink_event(void *arg, const struct chat_event *e)
{
	struct fixture *fx = arg;

	assert_true(fx->nev < MAX_EVENTS);
	event_copy_init(&fx->ev[fx->nev++], e);
}

static void
on_tick(uv_timer_t *t)
{
	(void)t;
}

/* A port that was free a moment ago (bind port 0 and read it back). */
static int
free_port(uv_loop_t *loop)
{
	uv_tcp_t tcp;
	struct sockaddr_in sin;
	struct sockaddr_storage ss;
	int len = sizeof ss;

	assert_int_equal(uv_tcp_init(loop, &tcp), 0);
	assert_int_equal(uv_ip4_addr("127.0.0.1", 0, &sin), 0);
	assert_int_equal(uv_tcp_bind(&tcp, (const struct sockaddr *)&sin, 0),
			 0);
	assert_int_equal(uv_tcp_getsockname(&tcp, (struct sockaddr *)&ss, &len),
			 0);
	uv_close((uv_handle_t *)&tcp, NULL);
	uv_run(loop, UV_RUN_NOWAIT);
	return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

/* Run the loop until *flag is set, failing after WAIT_MS. */
static void
run_until(struct fixture *fx, const int *flag)
{
	uint64_t end;

	uv_update_time(&fx->loop);
	end = uv_now(&fx->loop) + WAIT_MS;
	while (!*flag) {
		uv_run(&fx->loop, UV_RUN_ONCE);
		if (uv_now(&fx->loop) > end)
			fail_msg("timed out");
	}
}

/* Run the loop for about ms milliseconds. */
static void
run_for(struct fixture *fx, uint64_t ms)
{
	uint64_t end;

	uv_update_time(&fx->loop);
	end = uv_now(&fx->loop) + ms;
	while (uv_now(&fx->loop) < end)
		uv_run(&fx->loop, UV_RUN_ONCE);
}

/*
 * REST requests only: once the bot is known the adapter also opens its
 * WebSocket, whose upgrade requests the plain fake server answers 404.
 */
static int
is_websocket(const struct fake_http_request *r)
{
	return strncmp(r->target, "/api/v4/websocket", 17) == 0;
}

static size_t
rest_count(const struct fixture *fx)
{
	size_t i, n = 0;

	for (i = 0; i < fake_http_count(fx->fake); i++)
		n += !is_websocket(fake_http_request_at(fx->fake, i));
	return n;
}

/* The i-th REST request (0 is the first). */
static const struct fake_http_request *
rest_at(const struct fixture *fx, size_t i)
{
	const struct fake_http_request *r;
	size_t k;

	for (k = 0; k < fake_http_count(fx->fake); k++) {
		r = fake_http_request_at(fx->fake, k);
		if (!is_websocket(r) && i-- == 0)
			return r;
	}
	fail_msg("no REST request %zu", i);
	return NULL;
}

/* Run until the fake server has seen n REST requests. */
static void
run_until_count(struct fixture *fx, size_t n)
{
	uint64_t end;

	uv_update_time(&fx->loop);
	end = uv_now(&fx->loop) + WAIT_MS;
	while (rest_count(fx) < n) {
		uv_run(&fx->loop, UV_RUN_ONCE);
		if (uv_now(&fx->loop) > end)
			fail_msg("timed out waiting for %zu requests", n);
	}
}

/*
 * A started adapter against a fresh fake server. me_status is what
 * GET /api/v4/users/me answers (0: it hangs); with 200 the adapter is
 * ready (knows the bot's id) on return.
 */
static struct fixture *
fx_new_tokens(int me_status, const char *tokens)
{
	struct fixture *fx = xcalloc(1, sizeof *fx);
	struct adapter_sink sink;
	char *cause = NULL, *url;

	memset(&sink, 0, sizeof sink);
	assert_int_equal(uv_loop_init(&fx->loop), 0);
	assert_int_equal(uv_timer_init(&fx->loop, &fx->tick), 0);
	assert_int_equal(uv_timer_start(&fx->tick, on_tick, 10, 10), 0);
	fx->fake = fake_http_new(&fx->loop, &cause);
	if (fx->fake == NULL)
		fail_msg("fake_http_new: %s", cause);
	if (me_status == 0)
		fake_http_hang(fx->fake, "GET", "/api/v4/users/me");
	else
		fake_http_route(fx->fake, "GET", "/api/v4/users/me", me_status,
				NULL, me_status == 200 ? ME_ANSWER : "{}");
	fx->port = free_port(&fx->loop);

	config_defaults(&fx->cfg);
	free(fx->cfg.adapter);
	fx->cfg.adapter = xstrdup("mattermost");
	url = fake_http_url(fx->fake, "/");
	fx->cfg.mm_url = url;
	fx->cfg.mm_token = xstrdup(BOT_TOKEN);
	fx->cfg.mm_command_token = xstrdup(tokens);
	free(fx->cfg.mm_listen);
	fx->cfg.mm_listen = xasprintf("127.0.0.1:%d", fx->port);

	sink.event = sink_event;
	sink.closed = NULL;
	sink.backlog = NULL;
	sink.arg = fx;
	assert_int_equal(adapter_check(&adapter_mattermost, NULL), 0);
	fx->a = adapter_mattermost.create(&fx->cfg, &fx->loop, &sink, &cause);
	if (fx->a == NULL)
		fail_msg("create: %s", cause);
	if (adapter_mattermost.start(fx->a, &cause) != 0)
		fail_msg("start: %s", cause);
	assert_null(cause);
	if (me_status == 200) {
		run_until_count(fx, 1);
		/* The answer is on its way; let it land. */
		run_for(fx, 200);
	}
	return fx;
}

static struct fixture *
fx_new(int me_status)
{
	return fx_new_tokens(me_status, CMD_TOKEN);
}

static void
on_closed(void *arg)
{
	struct fixture *fx = arg;

	fx->closed = 1;
}

static void
fx_free(struct fixture *fx)
{
	size_t i;

	adapter_mattermost.close(fx->a, on_closed, fx);
	if (fx->fake != NULL)
		fake_http_close(fx->fake);
	uv_close((uv_handle_t *)&fx->tick, NULL);
	assert_int_equal(uv_run(&fx->loop, UV_RUN_DEFAULT), 0);
	assert_true(fx->closed);
	assert_int_equal(uv_loop_close(&fx->loop), 0);
	adapter_mattermost.free(fx->a);
	config_release(&fx->cfg);
	for (i = 0; i < fx->nev; i++)
		event_copy_release(&fx->ev[i]);
	for (i = 0; i < fx->ncalls; i++) {
		free(fx->calls[i].ctype);
		buf_release(&fx->calls[i].body);
	}
	free(fx->post_id);
	free(fx->error);
	free(fx);
}

static size_t
on_data(char *ptr, size_t size, size_t n, void *arg)
{
	struct buf *b = arg;

	if (buf_add(b, ptr, size * n) != 0)
		return 0;
	return size * n;
}

/* Thread pool: make every call with blocking libcurl requests. */
static void
client_work(uv_work_t *w)
{
	struct fixture *fx = w->data;
	struct call *c;
	CURL *curl;
	char url[512];
	char *ct = NULL;
	size_t i;

	for (i = 0; i < fx->ncalls; i++) {
		c = &fx->calls[i];
		curl = curl_easy_init();
		assert_non_null(curl);
		if (strcmp(c->method, "GET") == 0) {
			snprintf(url, sizeof url,
				 "http://127.0.0.1:%d/command?%s", fx->port,
				 c->query);
			curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
		} else {
			snprintf(url, sizeof url, "http://127.0.0.1:%d/command",
				 fx->port);
			curl_easy_setopt(curl, CURLOPT_POSTFIELDS, c->query);
			curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE,
					 (long)strlen(c->query));
		}
		curl_easy_setopt(curl, CURLOPT_URL, url);
		curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(curl, CURLOPT_TIMEOUT, 20L);
		curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_data);
		curl_easy_setopt(curl, CURLOPT_WRITEDATA, &c->body);
		c->curl_rc = (int)curl_easy_perform(curl);
		curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &c->status);
		curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &ct);
		c->ctype = ct != NULL ? strdup(ct) : NULL;
		curl_easy_getinfo(curl, CURLINFO_TOTAL_TIME, &c->seconds);
		curl_easy_cleanup(curl);
	}
}

static void
client_done(uv_work_t *w, int status)
{
	struct fixture *fx = w->data;

	assert_int_equal(status, 0);
	fx->work_done = 1;
}

static struct call *
add_call(struct fixture *fx, const char *method, const char *query)
{
	struct call *c = &fx->calls[fx->ncalls++];

	c->method = method;
	c->query = query;
	buf_init(&c->body, 1 << 16);
	return c;
}

static void
run_calls(struct fixture *fx)
{
	fx->work.data = fx;
	assert_int_equal(
	    uv_queue_work(&fx->loop, &fx->work, client_work, client_done), 0);
	run_until(fx, &fx->work_done);
}

static const char *
body_of(const struct call *c)
{
	return c->body.data != NULL ? c->body.data : "";
}

/* A POST form and a GET query reach the sink and get 200 {} at once. */
static void
test_command(void **state)
{
	struct fixture *fx = fx_new(200);
	struct call *post, *get;

	(void)state;
	post = add_call(fx, "POST",
			"channel_id=ch1&channel_name=town-square&command="
			"%2Freport&team_domain=eng&team_id=t1&text=done+"
			"shipped+%22it%22&token=" CMD_TOKEN
			"&user_id=u1&user_name=alice");
	get = add_call(fx, "GET",
		       "channel_id=dm1&channel_name=u1__" BOT_ID
		       "&command=%2Fagenda&text=&token=" CMD_TOKEN
		       "&user_id=u1&user_name=alice");
	run_calls(fx);

	assert_int_equal(post->curl_rc, 0);
	assert_int_equal(post->status, 200);
	assert_non_null(post->ctype);
	assert_true(strncmp(post->ctype, "application/json", 16) == 0);
	assert_string_equal(body_of(post), "{}");
	assert_true(post->seconds * 1000 < ANSWER_MS);
	assert_int_equal(get->status, 200);
	assert_string_equal(body_of(get), "{}");

	assert_int_equal(fx->nev, 2);
	assert_int_equal(fx->ev[0].kind, CHAT_COMMAND);
	assert_string_equal(fx->ev[0].trigger, "report");
	assert_string_equal(fx->ev[0].text, "done shipped \"it\"");
	assert_string_equal(fx->ev[0].channel_key, "ch1");
	assert_string_equal(fx->ev[0].channel_name, "town-square");
	assert_string_equal(fx->ev[0].user_id, "u1");
	assert_string_equal(fx->ev[0].user_name, "alice");
	assert_int_equal(fx->ev[0].is_direct, 0);
	assert_string_equal(fx->ev[1].trigger, "agenda");
	assert_string_equal(fx->ev[1].text, "");
	assert_string_equal(fx->ev[1].channel_key, "dm1");
	assert_int_equal(fx->ev[1].is_direct, 1);
	fx_free(fx);
}

/* A wrong, missing or prefix token gets 401 and no event. */
static void
test_bad_token(void **state)
{
	struct fixture *fx = fx_new(200);
	size_t i;

	(void)state;
	add_call(fx, "POST",
		 "channel_id=ch1&command=%2Freport&text=x&token=wrong-token"
		 "&user_id=u1&user_name=alice");
	add_call(fx, "POST",
		 "channel_id=ch1&command=%2Freport&text=x&user_id=u1");
	add_call(fx, "POST",
		 "channel_id=ch1&command=%2Freport&text=x&token=cmd-token"
		 "&user_id=u1");
	add_call(fx, "GET",
		 "channel_id=ch1&command=%2Freport&token=" CMD_TOKEN
		 "x&user_id=u1");
	run_calls(fx);
	for (i = 0; i < fx->ncalls; i++) {
		if (fx->calls[i].status != 401)
			fail_msg("call %zu: status %ld", i,
				 fx->calls[i].status);
		assert_null(strstr(body_of(&fx->calls[i]), CMD_TOKEN));
	}
	assert_int_equal(fx->nev, 0);
	fx_free(fx);
}

/* Each command's own token: accepted for its trigger, refused for others. */
static void
test_trigger_tokens(void **state)
{
	struct fixture *fx =
	    fx_new_tokens(200, "report:tok-report,agenda:tok-agenda,tok-any");

	(void)state;
	add_call(fx, "POST",
		 "channel_id=ch1&command=%2Freport&text=x&token=tok-report"
		 "&user_id=u1");
	add_call(fx, "POST",
		 "channel_id=ch1&command=%2Fagenda&text=x&token=tok-report"
		 "&user_id=u1");
	add_call(fx, "POST",
		 "channel_id=ch1&command=%2Fmeeting&text=x&token=tok-any"
		 "&user_id=u1");
	add_call(fx, "POST",
		 "channel_id=ch1&command=%2Fagenda&text=x&token=tok-agenda"
		 "&user_id=u1");
	run_calls(fx);
	assert_int_equal(fx->calls[0].status, 200);
	assert_int_equal(fx->calls[1].status, 401);
	assert_int_equal(fx->calls[2].status, 200);
	assert_int_equal(fx->calls[3].status, 200);
	assert_int_equal(fx->nev, 3);
	assert_string_equal(fx->ev[0].trigger, "report");
	assert_string_equal(fx->ev[1].trigger, "meeting");
	assert_string_equal(fx->ev[2].trigger, "agenda");
	fx_free(fx);
}

/* A malformed command_token list is refused without showing a token. */
static void
test_token_list_errors(void **state)
{
	static const char *const bad[] = {
		"report:",  ":secret1",	       "a:secret1,,b:secret2",
		"secret1,", "report:secret1,",
	};
	struct config cfg;
	struct adapter_sink sink = { sink_event, NULL, NULL, NULL, NULL, NULL };
	uv_loop_t loop;
	struct adapter *a;
	char *cause;
	size_t i;

	(void)state;
	assert_int_equal(uv_loop_init(&loop), 0);
	config_defaults(&cfg);
	cfg.mm_url = xstrdup("http://127.0.0.1:1");
	cfg.mm_token = xstrdup(BOT_TOKEN);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cause = NULL;
		free(cfg.mm_command_token);
		cfg.mm_command_token = xstrdup(bad[i]);
		a = adapter_mattermost.create(&cfg, &loop, &sink, &cause);
		if (a != NULL)
			fail_msg("'%s' accepted", bad[i]);
		assert_non_null(cause);
		assert_non_null(strstr(cause, "invalid command_token"));
		assert_null(strstr(cause, "secret"));
		free(cause);
	}
	config_release(&cfg);
	assert_int_equal(uv_loop_close(&loop), 0);
}

static void
on_done(void *arg, int64_t msg_id, enum send_result result, const char *post_id,
	int retry_after, const char *error)
{
	struct fixture *fx = arg;

	assert_int_equal(msg_id, 42);
	fx->done_called++;
	fx->result = result;
	free(fx->post_id);
	fx->post_id = dup_or_null(post_id);
	fx->retry_after = retry_after;
	free(fx->error);
	fx->error = dup_or_null(error);
}

/* Send one message of kind and wait for its result. */
static void
send_one(struct fixture *fx, int kind, const char *user, const char *text)
{
	struct outbox_msg m;
	char *cause = NULL;

	memset(&m, 0, sizeof m);
	m.id = 42;
	m.kind = kind;
	m.channel_key = (char *)"ch1";
	m.user = (char *)user;
	m.text = (char *)text;
	if (adapter_mattermost.send(fx->a, &m, on_done, fx, &cause) != 0)
		fail_msg("send: %s", cause);
	run_until(fx, &fx->done_called);
	assert_int_equal(fx->done_called, 1);
}

static void
assert_json_post(const struct fake_http_request *r, const char *body)
{
	assert_non_null(r);
	assert_string_equal(r->method, "POST");
	assert_string_equal(r->body, body);
	assert_string_equal(fake_http_header(r, "Authorization"),
			    "Bearer " BOT_TOKEN);
	assert_string_equal(fake_http_header(r, "Content-Type"),
			    "application/json");
}

/* A channel post: its JSON, pending_post_id and Authorization header. */
static void
test_channel_post(void **state)
{
	struct fixture *fx = fx_new(200);
	const struct fake_http_request *me;

	(void)state;
	fake_http_route(fx->fake, "POST", "/api/v4/posts", 201, NULL,
			"{\"id\":\"post1\",\"channel_id\":\"ch1\"}");
	send_one(fx, OUTBOX_CHANNEL, NULL, "hello \"team\"\n## agenda");
	assert_int_equal(fx->result, SEND_OK);
	assert_string_equal(fx->post_id, "post1");
	assert_null(fx->error);
	assert_json_post(fake_http_find(fx->fake, "/api/v4/posts"),
			 "{\"channel_id\":\"ch1\",\"message\":\"hello "
			 "\\\"team\\\"\\n## agenda\",\"pending_post_id\":"
			 "\"lihui-" BOT_ID "-42\"}");
	me = fake_http_find(fx->fake, "/api/v4/users/me");
	assert_non_null(me);
	assert_string_equal(me->method, "GET");
	assert_string_equal(fake_http_header(me, "Authorization"),
			    "Bearer " BOT_TOKEN);
	fx_free(fx);
}

/* Edits and reactions: the calls they become and what is checked first. */
static void
test_edit_and_reaction(void **state)
{
	static const char post[] = "p0st0000000000000000000001";
	struct fixture *fx = fx_new(200);
	const struct fake_http_request *r;
	struct outbox_msg m;
	char *cause = NULL;

	(void)state;
	fake_http_route(fx->fake, "PUT",
			"/api/v4/posts/"
			"p0st0000000000000000000001"
			"/patch",
			200, NULL, "{\"id\":\"p0st0000000000000000000001\"}");
	fake_http_route(fx->fake, "POST", "/api/v4/reactions", 201, NULL,
			"{\"user_id\":\"" BOT_ID "\",\"emoji_name\":\"tada\"}");
	memset(&m, 0, sizeof m);
	m.id = 42;
	m.kind = OUTBOX_EDIT;
	m.channel_key = (char *)"ch1";
	m.text = (char *)"minutes, amended";
	m.post_id = (char *)post;
	if (adapter_mattermost.send(fx->a, &m, on_done, fx, &cause) != 0)
		fail_msg("send: %s", cause);
	run_until(fx, &fx->done_called);
	assert_int_equal(fx->result, SEND_OK);
	assert_string_equal(fx->post_id, post);
	r = fake_http_find(fx->fake,
			   "/api/v4/posts/p0st0000000000000000000001/patch");
	assert_non_null(r);
	assert_string_equal(r->method, "PUT");
	assert_string_equal(r->body, "{\"message\":\"minutes, amended\"}");

	fx->done_called = 0;
	m.kind = OUTBOX_REACTION;
	m.text = (char *)"tada";
	if (adapter_mattermost.send(fx->a, &m, on_done, fx, &cause) != 0)
		fail_msg("send: %s", cause);
	run_until(fx, &fx->done_called);
	assert_int_equal(fx->result, SEND_OK);
	assert_json_post(fake_http_find(fx->fake, "/api/v4/reactions"),
			 "{\"user_id\":\"" BOT_ID
			 "\",\"post_id\":\"p0st000000000"
			 "0000000000001\",\"emoji_name\":\"tada\"}");

	/* Refused before any request: bad post ids and emoji names. */
	fx->done_called = 0;
	m.text = (char *)"no spaces";
	assert_int_equal(
	    adapter_mattermost.send(fx->a, &m, on_done, fx, &cause), 0);
	assert_int_equal(fx->done_called, 1);
	assert_int_equal(fx->result, SEND_FAILED);
	fx->done_called = 0;
	m.kind = OUTBOX_EDIT;
	m.post_id = (char *)"../../users/me";
	assert_int_equal(
	    adapter_mattermost.send(fx->a, &m, on_done, fx, &cause), 0);
	assert_int_equal(fx->result, SEND_FAILED);
	fx->done_called = 0;
	m.post_id = NULL;
	assert_int_equal(
	    adapter_mattermost.send(fx->a, &m, on_done, fx, &cause), 0);
	assert_int_equal(fx->result, SEND_FAILED);
	assert_null(fake_http_find(fx->fake, "/api/v4/posts/../../users/me"));
	fx_free(fx);
}

/* An ephemeral post the server accepts. */
static void
test_ephemeral(void **state)
{
	struct fixture *fx = fx_new(200);

	(void)state;
	fake_http_route(fx->fake, "POST", "/api/v4/posts/ephemeral", 201, NULL,
			"{\"id\":\"eph1\"}");
	send_one(fx, OUTBOX_EPHEMERAL, "u1", "only you");
	assert_int_equal(fx->result, SEND_OK);
	assert_string_equal(fx->post_id, "eph1");
	assert_json_post(fake_http_find(fx->fake, "/api/v4/posts/ephemeral"),
			 "{\"user_id\":\"u1\",\"post\":{\"channel_id\":"
			 "\"ch1\",\"message\":\"only you\"}}");
	fx_free(fx);
}

/* Ephemeral refused with 403: the text goes as a direct message. */
static void
test_ephemeral_fallback(void **state)
{
	struct fixture *fx = fx_new(200);

	(void)state;
	fake_http_route(fx->fake, "POST", "/api/v4/posts/ephemeral", 403, NULL,
			"{\"id\":\"api.context.permissions.app_error\","
			"\"status_code\":403}");
	fake_http_route(fx->fake, "POST", "/api/v4/channels/direct", 201, NULL,
			"{\"id\":\"dm7\",\"type\":\"D\"}");
	fake_http_route(fx->fake, "POST", "/api/v4/posts", 201, NULL,
			"{\"id\":\"post2\"}");
	send_one(fx, OUTBOX_EPHEMERAL, "u1", "only you");
	assert_int_equal(fx->result, SEND_OK);
	assert_string_equal(fx->post_id, "post2");
	assert_int_equal(rest_count(fx), 4);
	assert_string_equal(rest_at(fx, 1)->target, "/api/v4/posts/ephemeral");
	assert_json_post(rest_at(fx, 2), "[\"" BOT_ID "\",\"u1\"]");
	assert_string_equal(rest_at(fx, 2)->target, "/api/v4/channels/direct");
	assert_json_post(rest_at(fx, 3),
			 "{\"channel_id\":\"dm7\",\"message\":\"only you\","
			 "\"pending_post_id\":\"lihui-" BOT_ID "-42\"}");
	assert_string_equal(rest_at(fx, 3)->target, "/api/v4/posts");
	fx_free(fx);
}

/* A direct message: open the DM channel, then post there. */
static void
test_direct(void **state)
{
	struct fixture *fx = fx_new(200);

	(void)state;
	fake_http_route(fx->fake, "POST", "/api/v4/channels/direct", 201, NULL,
			"{\"id\":\"dm9\"}");
	fake_http_route(fx->fake, "POST", "/api/v4/posts", 201, NULL,
			"{\"id\":\"post3\"}");
	send_one(fx, OUTBOX_DIRECT, U2_ID, "reminder");
	assert_int_equal(fx->result, SEND_OK);
	assert_string_equal(fx->post_id, "post3");
	assert_json_post(fake_http_find(fx->fake, "/api/v4/channels/direct"),
			 "[\"" BOT_ID "\",\"" U2_ID "\"]");
	assert_json_post(fake_http_find(fx->fake, "/api/v4/posts"),
			 "{\"channel_id\":\"dm9\",\"message\":\"reminder\","
			 "\"pending_post_id\":\"lihui-" BOT_ID "-42\"}");
	fx_free(fx);
}

/* A direct message to a user name: looked up first, then as above; a
 * name the server does not know fails the row. */
static void
test_direct_by_name(void **state)
{
	struct fixture *fx = fx_new(200);

	(void)state;
	fake_http_route(fx->fake, "GET", "/api/v4/users/username/carol", 200,
			NULL, "{\"id\":\"" U2_ID "\",\"username\":\"carol\"}");
	fake_http_route(fx->fake, "POST", "/api/v4/channels/direct", 201, NULL,
			"{\"id\":\"dm9\"}");
	fake_http_route(fx->fake, "POST", "/api/v4/posts", 201, NULL,
			"{\"id\":\"post3\"}");
	send_one(fx, OUTBOX_DIRECT, "Carol", "reminder");
	assert_int_equal(fx->result, SEND_OK);
	assert_json_post(fake_http_find(fx->fake, "/api/v4/channels/direct"),
			 "[\"" BOT_ID "\",\"" U2_ID "\"]");
	fx_free(fx);

	fx = fx_new(200);
	fake_http_route(fx->fake, "GET", "/api/v4/users/username/nobody", 404,
			NULL, "{\"id\":\"app.user.missing_account.const\"}");
	send_one(fx, OUTBOX_DIRECT, "nobody", "reminder");
	assert_int_equal(fx->result, SEND_FAILED);
	assert_null(fake_http_find(fx->fake, "/api/v4/channels/direct"));
	fx_free(fx);

	fx = fx_new(200);
	send_one(fx, OUTBOX_DIRECT, "not a name!", "reminder");
	assert_int_equal(fx->result, SEND_FAILED);
	fx_free(fx);
}

/* How the server's answer to a post becomes the send result. */
static void
test_results(void **state)
{
	static const struct {
		int kind;
		const char *target;
		int status;
		const char *headers;
		const char *body;
		enum send_result want;
		int retry_after;
		const char *err; /* in the error text; NULL: no error */
	} cases[] = {
		{ OUTBOX_CHANNEL, "/api/v4/posts", 200, NULL, "{\"id\":\"p\"}",
		  SEND_OK, 0, NULL },
		{ OUTBOX_CHANNEL, "/api/v4/posts", 429, "Retry-After: 7\r\n",
		  "limit exceeded", SEND_RETRY, 7, "429" },
		{ OUTBOX_CHANNEL, "/api/v4/posts", 429, NULL, "limit exceeded",
		  SEND_RETRY, 0, "429" },
		{ OUTBOX_CHANNEL, "/api/v4/posts", 500, NULL, "{}", SEND_RETRY,
		  0, "500" },
		{ OUTBOX_CHANNEL, "/api/v4/posts", 503, "Retry-After: 30\r\n",
		  "", SEND_RETRY, 30, "503" },
		{ OUTBOX_CHANNEL, "/api/v4/posts", 400, NULL,
		  "{\"id\":\"api.context.invalid_param.app_error\"}",
		  SEND_FAILED, 0, "400: api.context.invalid_param.app_error" },
		{ OUTBOX_CHANNEL, "/api/v4/posts", 404, NULL, "not json",
		  SEND_FAILED, 0, "404" },
		{ OUTBOX_CHANNEL, "/api/v4/posts", 403, NULL, "{}", SEND_FAILED,
		  0, "403" },
		{ OUTBOX_DIRECT, "/api/v4/channels/direct", 400, NULL, "{}",
		  SEND_FAILED, 0, "400" },
		{ OUTBOX_DIRECT, "/api/v4/channels/direct", 502, NULL, "",
		  SEND_RETRY, 0, "502" },
		{ OUTBOX_EPHEMERAL, "/api/v4/posts/ephemeral", 400, NULL, "{}",
		  SEND_FAILED, 0, "400" },
	};
	struct fixture *fx;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		fx = fx_new(200);
		fake_http_route(fx->fake, "POST", cases[i].target,
				cases[i].status, cases[i].headers,
				cases[i].body);
		send_one(fx, cases[i].kind,
			 cases[i].kind == OUTBOX_CHANNEL  ? NULL
			 : cases[i].kind == OUTBOX_DIRECT ? U2_ID
							  : "u1",
			 "x");
		if (fx->result != cases[i].want)
			fail_msg("case %zu: result %d", i, (int)fx->result);
		assert_int_equal(fx->retry_after, cases[i].retry_after);
		if (cases[i].err == NULL) {
			assert_null(fx->error);
		} else {
			assert_non_null(fx->error);
			if (strstr(fx->error, cases[i].err) == NULL)
				fail_msg("case %zu: error '%s'", i, fx->error);
			assert_null(strstr(fx->error, BOT_TOKEN));
		}
		fx_free(fx);
	}
}

/* The server cannot be reached: a retry, not a failure. */
static void
test_unreachable(void **state)
{
	struct fixture *fx = fx_new(200);

	(void)state;
	fake_http_close(fx->fake);
	fx->fake = NULL;
	run_for(fx, 50);
	send_one(fx, OUTBOX_CHANNEL, NULL, "x");
	assert_int_equal(fx->result, SEND_RETRY);
	assert_int_equal(fx->retry_after, 0);
	assert_non_null(fx->error);
	fx_free(fx);
}

/* Until /users/me answers, sends are put off; close ends it in flight. */
static void
test_not_ready(void **state)
{
	struct fixture *fx = fx_new(0);

	(void)state;
	run_until_count(fx, 1);
	send_one(fx, OUTBOX_CHANNEL, NULL, "x");
	assert_int_equal(fx->result, SEND_RETRY);
	assert_true(fx->retry_after > 0);
	assert_non_null(fx->error);
	fx_free(fx);
}

/* /users/me failing is retried on the loop; sends wait meanwhile. */
static void
test_me_retry(void **state)
{
	struct fixture *fx = fx_new(500);

	(void)state;
	/* The first attempt, then another about a second later. */
	run_until_count(fx, 2);
	assert_string_equal(rest_at(fx, 1)->target, "/api/v4/users/me");
	send_one(fx, OUTBOX_CHANNEL, NULL, "x");
	assert_int_equal(fx->result, SEND_RETRY);
	assert_true(fx->retry_after > 0);
	fx_free(fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_command),
		cmocka_unit_test(test_bad_token),
		cmocka_unit_test(test_trigger_tokens),
		cmocka_unit_test(test_token_list_errors),
		cmocka_unit_test(test_channel_post),
		cmocka_unit_test(test_edit_and_reaction),
		cmocka_unit_test(test_ephemeral),
		cmocka_unit_test(test_ephemeral_fallback),
		cmocka_unit_test(test_direct),
		cmocka_unit_test(test_direct_by_name),
		cmocka_unit_test(test_results),
		cmocka_unit_test(test_unreachable),
		cmocka_unit_test(test_not_ready),
		cmocka_unit_test(test_me_retry),
	};
	int rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
