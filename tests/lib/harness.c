/* SPDX-License-Identifier: MIT */
/*
 * harness.c: the test bot behind harness.h.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"
#include "lihui/agenda.h"
#include "lihui/buf.h"
#include "lihui/event.h"
#include "lihui/jobs.h"
#include "lihui/report.h"
#include "lihui/xmalloc.h"

static int64_t
tb_clock(void *arg)
{
	return ((struct tb *)arg)->now;
}

struct tb *
tb_new(void)
{
	struct tb *tb = xcalloc(1, sizeof *tb);
	struct clock c = { .now = tb_clock, .arg = tb };
	char *cause = NULL;

	/* Keep the per-command log lines out of test output. */
	setenv("LIHUI_LOG", "warn", 0);
	config_defaults(&tb->config);
	assert_int_equal(config_finish(&tb->config, &cause), 0);
	tb->store = store_open(":memory:", &cause);
	if (tb->store == NULL)
		fail_msg("store_open: %s", cause);
	tb->now = TB_NOW;
	bot_init(&tb->bot, &tb->config, tb->store, c, 16383);
	return tb;
}

void
tb_free(struct tb *tb)
{
	store_close(tb->store);
	config_release(&tb->config);
	free(tb->out);
	free(tb->users);
	free(tb);
}

void
tb_clock_set(struct tb *tb, int64_t now)
{
	tb->now = now;
}

/* Collect the outbox rows added since the last call into tb->out. */
static const char *
tb_collect(struct tb *tb)
{
	struct outbox_msg *m = NULL;
	size_t n = 0, i;
	struct buf b;
	char *cause = NULL;

	if (store_outbox_since(tb->store, tb->seen, &m, &n, &cause) != 0)
		fail_msg("store_outbox_since: %s", cause);
	buf_init(&b, 16 * 1024 * 1024);
	for (i = 0; i < n; i++) {
		if (m[i].kind == OUTBOX_CHANNEL)
			buf_printf(&b, "[channel] %s\n", m[i].text);
		else if (m[i].kind == OUTBOX_EPHEMERAL)
			buf_printf(&b, "[ephemeral @%s] %s\n", m[i].user,
				   m[i].text);
		else if (m[i].kind == OUTBOX_REACTION)
			buf_printf(&b, "[reaction :%s: on %s]\n", m[i].text,
				   m[i].post_id);
		else if (m[i].kind == OUTBOX_EDIT)
			buf_printf(&b, "[edit] %s\n", m[i].text);
		else
			buf_printf(&b, "[dm @%s] %s\n", m[i].user, m[i].text);
		tb->seen = m[i].id;
	}
	outbox_msg_list_free(m, n);
	free(tb->out);
	tb->out = buf_detach(&b);
	return tb->out;
}

void
tb_users(struct tb *tb, const char *users)
{
	free(tb->users);
	tb->users = users != NULL ? xstrdup(users) : NULL;
}

/* The @names a platform adapter would have looked up for text. */
struct tb_names {
	struct chat_mention m[CHAT_MENTIONS_MAX];
	char names[CHAT_MENTIONS_MAX][USER_NAME_MAX + 1];
	char ids[CHAT_MENTIONS_MAX][USER_NAME_MAX + 4];
};

static int
tb_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

static void
tb_look_up(const struct tb *tb, struct chat_event *ev, struct tb_names *nm)
{
	const char *p = ev->text;
	size_t n, i, k = 0;
	char padded[512], want[USER_NAME_MAX + 3];

	if (tb->users == NULL)
		return;
	ev->names_checked = 1;
	snprintf(padded, sizeof padded, " %s ", tb->users);
	while ((p = strchr(p, '@')) != NULL && k < CHAT_MENTIONS_MAX) {
		p++;
		for (n = 0; tb_name_char(p[n]); n++)
			;
		if (n == 0 || n > USER_NAME_MAX)
			continue;
		memcpy(nm->names[k], p, n);
		nm->names[k][n] = '\0';
		for (i = 0; i < k && strcmp(nm->names[i], nm->names[k]) != 0;
		     i++)
			;
		if (i < k)
			continue;
		nm->m[k].name = nm->names[k];
		/* Platforms compare user names without case. */
		want[0] = ' ';
		for (i = 0; i < n; i++)
			want[i + 1] = (char)tolower((unsigned char)p[i]);
		want[n + 1] = ' ';
		want[n + 2] = '\0';
		if (strstr(padded, want) != NULL) {
			memcpy(nm->ids[k], "id-", 3);
			memcpy(nm->ids[k] + 3, want + 1, n);
			nm->ids[k][n + 3] = '\0';
			nm->m[k].user_id = nm->ids[k];
			nm->m[k].state = CHAT_USER_FOUND;
		} else {
			nm->m[k].state = CHAT_USER_UNKNOWN;
		}
		k++;
	}
	ev->mentions = nm->m;
	ev->n_mentions = k;
}

const char *
tb_cmd(struct tb *tb, const char *user, const char *line)
{
	struct chat_event ev;
	struct tb_names names;
	char trigger[64];
	size_t n;

	assert_true(line[0] == '/');
	n = strcspn(line + 1, " ");
	assert_true(n < sizeof trigger);
	memcpy(trigger, line + 1, n);
	trigger[n] = '\0';
	memset(&ev, 0, sizeof ev);
	ev.kind = CHAT_COMMAND;
	ev.channel_key = "ops";
	ev.channel_name = "ops";
	ev.user_id = user;
	ev.user_name = user;
	ev.trigger = trigger;
	ev.text = line[1 + n] == ' ' ? line + 2 + n : "";
	tb_look_up(tb, &ev, &names);
	bot_handle_event(&tb->bot, &ev);
	return tb_collect(tb);
}

static const char *
tb_message(struct tb *tb, const char *user, const char *text, int direct)
{
	struct chat_event ev;
	struct tb_names names;
	size_t blen = strlen(tb->config.bot_name);
	char post_id[32];

	snprintf(post_id, sizeof post_id, "post%d", ++tb->posts);
	memset(&ev, 0, sizeof ev);
	ev.post_id = post_id;
	ev.kind = CHAT_MESSAGE;
	ev.channel_key = direct ? "dm-channel" : "ops";
	ev.channel_name = ev.channel_key;
	ev.user_id = user;
	ev.user_name = user;
	ev.text = text;
	ev.is_direct = direct;
	ev.mentions_bot =
	    text[0] == '@' && strncmp(text + 1, tb->config.bot_name, blen) == 0;
	tb_look_up(tb, &ev, &names);
	bot_handle_event(&tb->bot, &ev);
	return tb_collect(tb);
}

const char *
tb_jobs(struct tb *tb)
{
	size_t ran = 0;
	char *cause = NULL;

	if (jobs_run_due(&tb->bot, tb->now, 100000, &ran, &cause) != 0)
		fail_msg("jobs_run_due: %s", cause);
	return tb_collect(tb);
}

const char *
tb_say(struct tb *tb, const char *user, const char *text)
{
	return tb_message(tb, user, text, 0);
}

const char *
tb_dm(struct tb *tb, const char *user, const char *text)
{
	return tb_message(tb, user, text, 1);
}

char *
tb_snapshot(struct tb *tb)
{
	struct channel defaults, ch;
	struct cycle cy;
	struct report_item *items = NULL;
	struct metric *metrics = NULL;
	struct topic *topics = NULL;
	struct member *members = NULL;
	struct action_item *actions = NULL;
	size_t ni = 0, nm = 0, nt = 0, nb = 0, na = 0, i;
	struct buf b;
	char *cause = NULL;

	bot_channel_defaults(&tb->config, &defaults);
	if (store_channel_ensure(tb->store, "ops", "ops", &defaults, &ch,
				 &cause) != 0 ||
	    agenda_cycle(tb->store, &ch, tb->now, &cy, &cause) != 0 ||
	    store_report_list_cycle(tb->store, cy.id, &items, &ni, &cause) !=
		0 ||
	    store_metric_list_cycle(tb->store, cy.id, &metrics, &nm, &cause) !=
		0 ||
	    store_topic_list(tb->store, cy.id, &topics, &nt, &cause) != 0 ||
	    store_member_list(tb->store, ch.id, 0, &members, &nb, &cause) !=
		0 ||
	    store_action_list(tb->store, ch.id,
			      (1u << ACTION_OPEN) | (1u << ACTION_DONE) |
				  (1u << ACTION_DROPPED),
			      NULL, &actions, &na, &cause) != 0)
		fail_msg("snapshot: %s", cause);
	buf_init(&b, 16 * 1024 * 1024);
	buf_printf(&b, "channel %s %s %s %u\n", ch.name, ch.locale, ch.timezone,
		   ch.sections);
	for (i = 0; i < ni; i++)
		buf_printf(&b, "report %s %d %s | %s\n", items[i].user_name,
			   items[i].section, items[i].text,
			   items[i].helpers ? items[i].helpers : "-");
	for (i = 0; i < nm; i++)
		buf_printf(&b, "metric %s %s %.17g %s\n", metrics[i].user_name,
			   metrics[i].name, metrics[i].value, metrics[i].unit);
	for (i = 0; i < nt; i++)
		buf_printf(&b, "topic %s %s %d\n", topics[i].title,
			   topics[i].owner ? topics[i].owner : "-",
			   topics[i].minutes);
	for (i = 0; i < nb; i++)
		buf_printf(&b, "member %s %d %s\n", members[i].user_name,
			   members[i].on_roster,
			   members[i].away_until ? members[i].away_until : "-");
	for (i = 0; i < na; i++)
		buf_printf(&b, "action %lld %d %s %s %s %s %lld %s | %s\n",
			   (long long)actions[i].id, actions[i].state,
			   actions[i].owner ? actions[i].owner : "-",
			   actions[i].owner_id ? actions[i].owner_id : "-",
			   actions[i].due ? actions[i].due : "-",
			   actions[i].created_by,
			   (long long)actions[i].meeting_id, actions[i].text,
			   actions[i].note ? actions[i].note : "-");
	report_item_list_free(items, ni);
	action_item_list_free(actions, na);
	metric_list_free(metrics, nm);
	topic_list_free(topics, nt);
	member_list_free(members, nb);
	channel_release(&ch);
	return buf_detach(&b);
}

int
tb_setup(void **state)
{
	*state = tb_new();
	return 0;
}

int
tb_teardown(void **state)
{
	tb_free(*state);
	return 0;
}

void
tb_expect(struct tb *tb, const char *user, const char *line, const char *want)
{
	assert_string_equal(tb_cmd(tb, user, line), want);
}

void
tb_expect_refused(struct tb *tb, const char *user, const char *line,
		  const char *want)
{
	char *before = tb_snapshot(tb), *after;

	assert_string_equal(tb_cmd(tb, user, line), want);
	after = tb_snapshot(tb);
	assert_string_equal(after, before);
	free(before);
	free(after);
}

void
tb_snapshot_is(struct tb *tb, const char *want)
{
	char *snap = tb_snapshot(tb);

	assert_string_equal(snap, want);
	free(snap);
}

void
tb_said_all(struct tb *tb, const struct tb_exchange *x, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		tb_expect(tb, x[i].user, x[i].line, x[i].want);
}

void
tb_refused_all(struct tb *tb, const struct tb_exchange *x, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		tb_expect_refused(tb, x[i].user, x[i].line, x[i].want);
}
