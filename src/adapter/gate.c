/* SPDX-License-Identifier: MIT */
/*
 * gate.c: the name gate (see gate.h). The core never asks the platform
 * about a user; it reads what the adapter learnt of the @names of an
 * event (event.h: chat_mention). The gate is where a network adapter
 * learns it, without knowing the platform: the lookup is the adapter's.
 *
 * How it works.
 *
 *   names: the words after '@' in the text made of A-Z a-z 0-9 . _ -
 *     (1..USER_NAME_MAX bytes, as report_parse_mention() takes them; an
 *     '@' right after such a character is an e-mail address, not a
 *     name), distinct without regard to case, in order of first
 *     appearance, at most CHAT_MENTIONS_MAX; later ones are not looked up
 *     (chat_event_user() then says CHAT_USER_UNCHECKED). The event's
 *     author needs no lookup (chat_event_user() knows it).
 *   push: each name goes to the adapter's lookup, which answers at once
 *     (from its cache, or for names it knows without asking: the bot, a
 *     platform's special mentions) or later through gate_answer(). When
 *     every answer came at once and nothing waits before the event, it
 *     goes to the sink at once, from a struct on the stack: no copy and
 *     no allocation (the fast path; an event without '@' costs one
 *     strchr()). Otherwise a deep copy of the event waits in a FIFO.
 *   order: events leave strictly in the order they came: the head goes
 *     when its last answer comes (and then every ready event behind it),
 *     never one behind a head that still waits. A meeting's log order
 *     depends on it, and slash commands and channel lines share it.
 *   deadline: each waiting event has one (deadline_ms after it came); a
 *     uv timer is armed for the head's, the earliest. When it passes the
 *     names not answered are CHAT_USER_UNCHECKED and the event goes on.
 *   bounds: at most max_waiting events wait; a push that would need one
 *     more first sends the head on, its missing names unchecked. At most
 *     max_asks lookups are under way; past it names are not looked up
 *     (unchecked), so a server that hangs costs bounded memory.
 *   asks: a lookup under way is a struct gate_ask on the gate's list,
 *     pointing at the waiting event and the slot it answers. When the
 *     event leaves before the answer (deadline, bound, flush, close) the
 *     ask is detached (item NULL) and only freed when the answer comes
 *     (or by gate_free()). One spare ask is kept so that lookups
 *     answered at once allocate nothing.
 *   kick: an event handed on from a timer (the deadline, or a lookup
 *     ended by the HTTP client's timer) would otherwise have its work
 *     committed only after libuv's next poll, which may sleep until some
 *     I/O comes (the committer, commit.c, runs in the check phase). After
 *     handing on anything that waited, an idle handle stays active for
 *     one round so that poll does not block and the round ends.
 *   stop and close: gate_flush() hands everything waiting on at once
 *     (the adapter is stopping but the sink still takes events);
 *     gate_close() drops what waits, and the sink is never called after
 *     it. gate_free() comes after its handles closed and, for the adapter,
 *     after its HTTP client ended every lookup.
 *
 * Re-entrance: a push from within the sink (while the gate is handing
 * events on) always queues, behind what is already queued, even past
 * max_waiting; the running drain takes it in turn.
 *
 * When changing the name rule, change report_parse_mention() (core) too:
 * what the gate looks up must cover what the core asks about.
 */

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lihui/log.h"
#include "lihui/report.h"
#include "lihui/xmalloc.h"

#include "gate.h"

/* One event waiting for its lookups: a deep copy. */
struct gate_item {
	struct gate_item *next;
	struct chat_event ev; /* strings in block, mentions below */
	char *block;
	struct chat_mention mentions[CHAT_MENTIONS_MAX];
	char *ids[CHAT_MENTIONS_MAX];		  /* owned, or NULL */
	struct gate_ask *asks[CHAT_MENTIONS_MAX]; /* under way, or NULL */
	size_t waiting;				  /* asks under way */
	uint64_t tag;
	uint64_t deadline; /* uv_now() ms */
};

struct gate_ask {
	struct gate *g;
	struct gate_item *item; /* NULL: the event went on without it */
	size_t slot;
	struct gate_ask *prev, *next; /* the gate's list */
};

struct gate {
	uv_loop_t *loop;
	uv_timer_t timer;
	uv_idle_t kick;
	int kick_runs;
	struct gate_config cfg;
	struct gate_item *head, **tail;
	size_t n_waiting;
	struct gate_ask *asks; /* every lookup under way */
	size_t n_asks;
	struct gate_ask *spare;
	uint64_t armed_for; /* the deadline the timer is armed for, or 0 */
	int draining;
	int overflowing; /* said so; until the queue is empty again */
	int closed;
	int handles_open; /* timer and kick, until closed */
	void (*closed_cb)(void *);
	void *closed_arg;
};

/* The @names of one event while it is pushed (on the stack). */
struct gate_scan {
	size_t n;
	size_t waiting; /* lookups that answer later */
	char names[CHAT_MENTIONS_MAX][USER_NAME_MAX + 1];
	char ids[CHAT_MENTIONS_MAX][GATE_ID_MAX + 1];
	struct chat_mention m[CHAT_MENTIONS_MAX];
	struct gate_ask *asks[CHAT_MENTIONS_MAX];
};

static void gate_timeout(uv_timer_t *t);

struct gate *
gate_new(uv_loop_t *loop, const struct gate_config *cfg)
{
	struct gate *g;

	if (cfg->lookup == NULL || cfg->sink == NULL)
		BUG("gate without a lookup or a sink");
	g = xcalloc(1, sizeof *g);
	g->loop = loop;
	g->cfg = *cfg;
	if (g->cfg.deadline_ms == 0)
		g->cfg.deadline_ms = GATE_DEADLINE_MS;
	if (g->cfg.max_waiting == 0)
		g->cfg.max_waiting = GATE_WAITING_MAX;
	if (g->cfg.max_asks == 0)
		g->cfg.max_asks = GATE_ASKS_MAX;
	g->tail = &g->head;
	uv_timer_init(loop, &g->timer);
	g->timer.data = g;
	uv_idle_init(loop, &g->kick);
	g->kick.data = g;
	g->handles_open = 2;
	return g;
}

/* Whether c may be part of a user name (report_parse_mention()). */
static int
gate_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

/* The distinct @names of ev's text into sc (see the top of the file). */
static void
gate_scan_names(const struct chat_event *ev, struct gate_scan *sc)
{
	const char *text = ev->text, *p, *start;
	size_t len, i;

	sc->n = 0;
	if (text == NULL)
		return;
	for (p = strchr(text, '@'); p != NULL; p = strchr(p, '@')) {
		start = p + 1;
		for (len = 0; gate_name_char(start[len]); len++)
			;
		if (p > text && gate_name_char(p[-1]))
			len = 0; /* an e-mail address */
		p = start + len;
		if (len == 0 || len > USER_NAME_MAX)
			continue;
		if (sc->n == CHAT_MENTIONS_MAX)
			break;
		memcpy(sc->names[sc->n], start, len);
		sc->names[sc->n][len] = '\0';
		if (ev->user_name != NULL &&
		    strcasecmp(ev->user_name, sc->names[sc->n]) == 0)
			continue;
		for (i = 0; i < sc->n; i++)
			if (strcasecmp(sc->names[i], sc->names[sc->n]) == 0)
				break;
		if (i == sc->n)
			sc->n++;
	}
}

/* Set slot i of sc from an answer given at once. */
static void
gate_scan_answer(struct gate_scan *sc, size_t i, enum chat_user_state state,
		 const char *user_id)
{
	struct chat_mention *m = &sc->m[i];
	size_t len;

	m->state = state;
	m->user_id = NULL;
	if (state != CHAT_USER_FOUND || user_id == NULL)
		return;
	len = strlen(user_id);
	if (len > GATE_ID_MAX) {
		log_warn("user id of @%s is %zu bytes long: taken as unchecked",
			 sc->names[i], len);
		m->state = CHAT_USER_UNCHECKED;
		return;
	}
	memcpy(sc->ids[i], user_id, len + 1);
	m->user_id = sc->ids[i];
}

/* Look every name of sc up; those not answered at once get an ask. */
static void
gate_scan_lookup(struct gate *g, struct gate_scan *sc)
{
	enum chat_user_state state;
	const char *user_id;
	struct gate_ask *a;
	size_t i;

	sc->waiting = 0;
	for (i = 0; i < sc->n; i++) {
		sc->m[i].name = sc->names[i];
		sc->asks[i] = NULL;
		if (g->n_asks >= g->cfg.max_asks) {
			gate_scan_answer(sc, i, CHAT_USER_UNCHECKED, NULL);
			continue;
		}
		if (g->spare == NULL)
			g->spare = xcalloc(1, sizeof *g->spare);
		a = g->spare;
		state = CHAT_USER_UNCHECKED;
		user_id = NULL;
		if (g->cfg.lookup(g->cfg.arg, sc->names[i], a, &state,
				  &user_id) == 1) {
			gate_scan_answer(sc, i, state, user_id);
			continue;
		}
		/* Under way: the answer comes after the push returned. */
		g->spare = NULL;
		a->g = g;
		a->item = NULL;
		a->slot = i;
		a->prev = NULL;
		a->next = g->asks;
		if (g->asks != NULL)
			g->asks->prev = a;
		g->asks = a;
		g->n_asks++;
		sc->m[i].state = CHAT_USER_UNCHECKED;
		sc->m[i].user_id = NULL;
		sc->asks[i] = a;
		sc->waiting++;
	}
}

/* Hand ev to the sink with sc's answers; ev is not changed. */
static void
gate_send_now(struct gate *g, const struct chat_event *ev,
	      const struct gate_scan *sc, uint64_t tag)
{
	struct chat_event e = *ev;

	e.names_checked = 1;
	e.mentions = sc->n > 0 ? sc->m : NULL;
	e.n_mentions = sc->n;
	g->cfg.sink(g->cfg.arg, &e, tag);
}

/* Length of s and its NUL, or 0 for NULL. */
static size_t
gate_size(const char *s)
{
	return s != NULL ? strlen(s) + 1 : 0;
}

/* Copy s to *p (advanced past it); NULL for NULL. */
static const char *
gate_put(char **p, const char *s)
{
	char *out = *p;
	size_t n;

	if (s == NULL)
		return NULL;
	n = strlen(s) + 1;
	memcpy(out, s, n);
	*p += n;
	return out;
}

/* A waiting copy of ev with sc's names and answers; its asks point at it. */
static struct gate_item *
gate_item_new(struct gate *g, const struct chat_event *ev,
	      const struct gate_scan *sc, uint64_t tag)
{
	struct gate_item *it = xcalloc(1, sizeof *it);
	size_t total, i;
	char *p;

	total = gate_size(ev->channel_key) + gate_size(ev->channel_name) +
		gate_size(ev->user_id) + gate_size(ev->user_name) +
		gate_size(ev->trigger) + gate_size(ev->text) +
		gate_size(ev->post_id);
	for (i = 0; i < sc->n; i++)
		total += gate_size(sc->names[i]);
	it->block = p = xmalloc(total > 0 ? total : 1);
	it->ev = *ev;
	it->ev.channel_key = gate_put(&p, ev->channel_key);
	it->ev.channel_name = gate_put(&p, ev->channel_name);
	it->ev.user_id = gate_put(&p, ev->user_id);
	it->ev.user_name = gate_put(&p, ev->user_name);
	it->ev.trigger = gate_put(&p, ev->trigger);
	it->ev.text = gate_put(&p, ev->text);
	it->ev.post_id = gate_put(&p, ev->post_id);
	it->ev.names_checked = 1;
	it->ev.mentions = it->mentions;
	it->ev.n_mentions = sc->n;
	for (i = 0; i < sc->n; i++) {
		it->mentions[i] = sc->m[i];
		it->mentions[i].name = gate_put(&p, sc->names[i]);
		if (sc->m[i].user_id != NULL) {
			it->ids[i] = xstrdup(sc->m[i].user_id);
			it->mentions[i].user_id = it->ids[i];
		}
		it->asks[i] = sc->asks[i];
		if (sc->asks[i] != NULL)
			sc->asks[i]->item = it;
	}
	it->waiting = sc->waiting;
	it->tag = tag;
	it->deadline = uv_now(g->loop) + g->cfg.deadline_ms;
	return it;
}

/* Free it; its asks under way no longer point at it. */
static void
gate_item_free(struct gate_item *it)
{
	size_t i;

	for (i = 0; i < it->ev.n_mentions; i++) {
		if (it->asks[i] != NULL)
			it->asks[i]->item = NULL;
		free(it->ids[i]);
	}
	free(it->block);
	free(it);
}

/* Hand it (off the queue) to the sink, names not answered unchecked. */
static void
gate_item_send(struct gate *g, struct gate_item *it)
{
	size_t i;

	for (i = 0; i < it->ev.n_mentions; i++)
		if (it->asks[i] != NULL) {
			it->mentions[i].state = CHAT_USER_UNCHECKED;
			it->mentions[i].user_id = NULL;
		}
	g->cfg.sink(g->cfg.arg, &it->ev, it->tag);
	gate_item_free(it);
}

/* Take the head off the queue. */
static struct gate_item *
gate_pop(struct gate *g)
{
	struct gate_item *it = g->head;

	g->head = it->next;
	if (g->head == NULL)
		g->tail = &g->head;
	g->n_waiting--;
	it->next = NULL;
	return it;
}

/* Arm the timer for the head's deadline, or stop it. */
static void
gate_arm(struct gate *g)
{
	uint64_t now;

	if (g->closed)
		return;
	if (g->head == NULL) {
		if (g->armed_for != 0)
			uv_timer_stop(&g->timer);
		g->armed_for = 0;
		g->overflowing = 0;
		return;
	}
	if (g->armed_for == g->head->deadline)
		return;
	now = uv_now(g->loop);
	g->armed_for = g->head->deadline;
	uv_timer_start(&g->timer, gate_timeout,
		       g->head->deadline > now ? g->head->deadline - now : 0,
		       0);
}

static void
gate_kick_run(uv_idle_t *h)
{
	struct gate *g = h->data;

	/* The first run is in the round that handed events on. */
	if (++g->kick_runs >= 2)
		uv_idle_stop(h);
}

/* Keep the loop's next poll from blocking (see the top of the file). */
static void
gate_kick(struct gate *g)
{
	if (g->closed)
		return;
	g->kick_runs = 0;
	uv_idle_start(&g->kick, gate_kick_run);
}

/*
 * Hand on the events at the head that are ready (or, with force, all),
 * and those whose deadline passed; returns how many went on with names
 * not answered.
 */
static size_t
gate_drain(struct gate *g, int force)
{
	struct gate_item *it;
	uint64_t now = uv_now(g->loop);
	size_t late = 0, sent = 0;

	if (g->draining)
		return 0;
	g->draining = 1;
	while (!g->closed && (it = g->head) != NULL) {
		if (it->waiting > 0 && !force && it->deadline > now)
			break;
		if (it->waiting > 0)
			late++;
		gate_item_send(g, gate_pop(g));
		sent++;
	}
	g->draining = 0;
	gate_arm(g);
	if (sent > 0)
		gate_kick(g);
	return late;
}

/* The head's deadline passed: it goes on, and what is ready behind it. */
static void
gate_timeout(uv_timer_t *t)
{
	struct gate *g = t->data;
	size_t late;

	g->armed_for = 0;
	late = gate_drain(g, 0);
	if (late > 0)
		log_warn("%zu events waited %llu ms for user lookups: the "
			 "names not answered are taken unchecked",
			 late, (unsigned long long)g->cfg.deadline_ms);
}

int
gate_push(struct gate *g, const struct chat_event *ev, uint64_t tag)
{
	struct gate_scan sc;
	struct gate_item *it;

	if (g->closed)
		return -1;
	gate_scan_names(ev, &sc);
	gate_scan_lookup(g, &sc);
	if (sc.waiting == 0 && g->head == NULL && !g->draining) {
		gate_send_now(g, ev, &sc, tag);
		return 1;
	}
	if (g->n_waiting >= g->cfg.max_waiting && !g->draining) {
		if (!g->overflowing)
			log_warn("%zu events wait for user lookups: the "
				 "oldest go on, the names not answered taken "
				 "unchecked",
				 g->n_waiting);
		g->overflowing = 1;
		g->draining = 1;
		gate_item_send(g, gate_pop(g));
		g->draining = 0;
		gate_drain(g, 0);
		if (g->closed)
			return -1;
		if (sc.waiting == 0 && g->head == NULL) {
			gate_send_now(g, ev, &sc, tag);
			return 1;
		}
	}
	it = gate_item_new(g, ev, &sc, tag);
	*g->tail = it;
	g->tail = &it->next;
	g->n_waiting++;
	gate_arm(g);
	return 0;
}

void
gate_answer(struct gate_ask *a, enum chat_user_state state, const char *user_id)
{
	struct gate *g = a->g;
	struct gate_item *it = a->item;
	size_t slot = a->slot, len;

	if (a->prev != NULL)
		a->prev->next = a->next;
	else
		g->asks = a->next;
	if (a->next != NULL)
		a->next->prev = a->prev;
	g->n_asks--;
	if (g->spare == NULL) {
		memset(a, 0, sizeof *a);
		g->spare = a;
	} else
		free(a);
	if (it == NULL || g->closed)
		return;
	it->asks[slot] = NULL;
	it->waiting--;
	it->mentions[slot].state = state;
	it->mentions[slot].user_id = NULL;
	if (state == CHAT_USER_FOUND && user_id != NULL) {
		len = strlen(user_id);
		if (len > GATE_ID_MAX) {
			log_warn("user id of @%s is %zu bytes long: taken as "
				 "unchecked",
				 it->mentions[slot].name, len);
			it->mentions[slot].state = CHAT_USER_UNCHECKED;
		} else {
			it->ids[slot] = xstrdup(user_id);
			it->mentions[slot].user_id = it->ids[slot];
		}
	}
	if (it->waiting == 0 && it == g->head)
		gate_drain(g, 0);
}

void
gate_flush(struct gate *g)
{
	size_t late;

	if (g->closed)
		return;
	late = gate_drain(g, 1);
	if (late > 0)
		log_info("%zu events handed on before their user lookups "
			 "ended: the names not answered are taken unchecked",
			 late);
}

static void
gate_handle_closed(uv_handle_t *h)
{
	struct gate *g = h->data;

	if (--g->handles_open == 0 && g->closed_cb != NULL)
		g->closed_cb(g->closed_arg);
}

void
gate_close(struct gate *g, void (*closed)(void *), void *arg)
{
	size_t dropped = 0;

	if (g->closed)
		BUG("gate closed twice");
	g->closed = 1;
	while (g->head != NULL) {
		gate_item_free(gate_pop(g));
		dropped++;
	}
	if (dropped > 0)
		log_info("%zu events dropped while waiting for user lookups",
			 dropped);
	g->closed_cb = closed;
	g->closed_arg = arg;
	uv_close((uv_handle_t *)&g->timer, gate_handle_closed);
	uv_close((uv_handle_t *)&g->kick, gate_handle_closed);
}

void
gate_free(struct gate *g)
{
	struct gate_ask *a, *next;

	if (g == NULL)
		return;
	if (g->handles_open != 0)
		BUG("gate freed before it closed");
	for (a = g->asks; a != NULL; a = next) {
		next = a->next;
		free(a);
	}
	free(g->spare);
	free(g);
}

size_t
gate_waiting(const struct gate *g)
{
	return g->n_waiting;
}

size_t
gate_asks(const struct gate *g)
{
	return g->n_asks;
}
