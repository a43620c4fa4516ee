/* SPDX-License-Identifier: MIT */
/*
 * mm-cache.c: the Mattermost adapter's user and channel memory (see
 * mm-cache.h).
 *
 * Four open-addressing hash tables (FNV-1a, linear probing, power-of-two
 * sizes kept at most half full, no deletion): user names by id, user ids
 * by name, channel indexes by id and channel ids by "<length of the team
 * name>:<team name>/<channel name>" (the length keeps any two pairs
 * apart). Channels also sit in an array so a resync can walk them.
 * Lookups happen for every posted event, so they must stay O(1). A
 * renamed user or channel leaves its old name behind in a by-name table:
 * a by-name lookup checks that the name still holds, so a stale entry
 * only takes room.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lihui/log.h"
#include "lihui/xmalloc.h"

#include "mm-cache.h"

struct mm_slot {
	char *key;
	void *value; /* user: the name (char *); channel: index + 1 */
};

struct mm_table {
	struct mm_slot *slots;
	size_t cap; /* a power of two */
	size_t used;
};

struct mm_cache {
	struct mm_table users;	       /* id -> name */
	struct mm_table user_ids;      /* name -> id */
	struct mm_table channel_index; /* id -> index + 1 */
	struct mm_table channel_names; /* team and channel name -> id */
	struct mm_channel_seen *channels;
	size_t n_channels, channels_cap;
	int full_logged;
};

static uint64_t
mm_hash(const char *s)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

/* The slot of key, or the empty slot where it would go. */
static struct mm_slot *
mm_table_slot(const struct mm_table *t, const char *key)
{
	size_t i = (size_t)mm_hash(key) & (t->cap - 1);

	while (t->slots[i].key != NULL && strcmp(t->slots[i].key, key) != 0)
		i = (i + 1) & (t->cap - 1);
	return &t->slots[i];
}

static void
mm_table_init(struct mm_table *t)
{
	t->cap = 64;
	t->used = 0;
	t->slots = xcalloc(t->cap, sizeof *t->slots);
}

static void
mm_table_grow(struct mm_table *t)
{
	struct mm_table bigger;
	size_t i;

	bigger.cap = t->cap * 2;
	bigger.used = t->used;
	bigger.slots = xcalloc(bigger.cap, sizeof *bigger.slots);
	for (i = 0; i < t->cap; i++)
		if (t->slots[i].key != NULL)
			*mm_table_slot(&bigger, t->slots[i].key) = t->slots[i];
	free(t->slots);
	*t = bigger;
}

/* The slot for key, claimed (key copied) when new; NULL when full. */
static struct mm_slot *
mm_table_claim(struct mm_table *t, const char *key)
{
	struct mm_slot *s = mm_table_slot(t, key);

	if (s->key != NULL)
		return s;
	if (t->used >= MM_CACHE_MAX)
		return NULL;
	if ((t->used + 1) * 2 > t->cap) {
		mm_table_grow(t);
		s = mm_table_slot(t, key);
	}
	s->key = xstrdup(key);
	s->value = NULL;
	t->used++;
	return s;
}

static void
mm_table_free(struct mm_table *t, int free_values)
{
	size_t i;

	for (i = 0; i < t->cap; i++) {
		free(t->slots[i].key);
		if (free_values)
			free(t->slots[i].value);
	}
	free(t->slots);
}

struct mm_cache *
mm_cache_new(void)
{
	struct mm_cache *c = xcalloc(1, sizeof *c);

	mm_table_init(&c->users);
	mm_table_init(&c->user_ids);
	mm_table_init(&c->channel_index);
	mm_table_init(&c->channel_names);
	return c;
}

void
mm_cache_free(struct mm_cache *c)
{
	size_t i;

	if (c == NULL)
		return;
	mm_table_free(&c->users, 1);
	mm_table_free(&c->user_ids, 1);
	mm_table_free(&c->channel_index, 0);
	mm_table_free(&c->channel_names, 1);
	for (i = 0; i < c->n_channels; i++) {
		free(c->channels[i].name);
		free(c->channels[i].team_id);
		free(c->channels[i].display_name);
	}
	free(c->channels);
	free(c);
}

static void
mm_cache_full(struct mm_cache *c)
{
	if (!c->full_logged)
		log_warn("mattermost: more than %d users or channels seen; "
			 "newer ones are not remembered",
			 MM_CACHE_MAX);
	c->full_logged = 1;
}

/* Map key to a copy of value in t (a table of strings). */
static void
mm_table_set_string(struct mm_cache *c, struct mm_table *t, const char *key,
		    const char *value)
{
	struct mm_slot *s = mm_table_claim(t, key);

	if (s == NULL) {
		mm_cache_full(c);
		return;
	}
	if (s->value != NULL && strcmp(s->value, value) == 0)
		return;
	free(s->value);
	s->value = xstrdup(value);
}

void
mm_cache_set_user(struct mm_cache *c, const char *id, const char *name)
{
	struct mm_slot *s;

	if (*id == '\0' || *name == '\0')
		return;
	s = mm_table_claim(&c->users, id);
	if (s == NULL) {
		mm_cache_full(c);
		return;
	}
	if (s->value == NULL || strcmp(s->value, name) != 0) {
		free(s->value);
		s->value = xstrdup(name);
	}
	mm_table_set_string(c, &c->user_ids, name, id);
}

const char *
mm_cache_user(const struct mm_cache *c, const char *id)
{
	return mm_table_slot(&c->users, id)->value;
}

const char *
mm_cache_user_id(const struct mm_cache *c, const char *name)
{
	const char *id = mm_table_slot(&c->user_ids, name)->value, *now;

	if (id == NULL)
		return NULL;
	now = mm_cache_user(c, id);
	return now != NULL && strcmp(now, name) == 0 ? id : NULL;
}

struct mm_channel_seen *
mm_cache_channel(struct mm_cache *c, const char *id)
{
	struct mm_slot *s = mm_table_claim(&c->channel_index, id);
	struct mm_channel_seen *ch;

	if (s == NULL) {
		mm_cache_full(c);
		return NULL;
	}
	if (s->value != NULL)
		return &c->channels[(size_t)(uintptr_t)s->value - 1];
	if (c->n_channels == c->channels_cap) {
		c->channels_cap = c->channels_cap ? c->channels_cap * 2 : 16;
		c->channels = xreallocarray(c->channels, c->channels_cap,
					    sizeof *c->channels);
	}
	ch = &c->channels[c->n_channels++];
	memset(ch, 0, sizeof *ch);
	ch->id = s->key;
	s->value = (void *)(uintptr_t)c->n_channels;
	return ch;
}

struct mm_channel_seen *
mm_cache_channel_find(const struct mm_cache *c, const char *id)
{
	const struct mm_slot *s = mm_table_slot(&c->channel_index, id);

	if (s->value == NULL)
		return NULL;
	return &c->channels[(size_t)(uintptr_t)s->value - 1];
}

/* Replace *field with a copy of value. */
static void
mm_replace(char **field, const char *value)
{
	if (*field != NULL && strcmp(*field, value) == 0)
		return;
	free(*field);
	*field = xstrdup(value);
}

struct mm_channel_seen *
mm_cache_set_channel(struct mm_cache *c, const char *id, const char *type,
		     const char *name, const char *team_id,
		     const char *display_name)
{
	struct mm_channel_seen *ch = mm_cache_channel(c, id);

	if (ch == NULL)
		return NULL;
	if (strlen(type) < sizeof ch->type)
		snprintf(ch->type, sizeof ch->type, "%s", type);
	mm_replace(&ch->name, name);
	mm_replace(&ch->team_id, team_id);
	mm_replace(&ch->display_name, display_name);
	return ch;
}

static char *
mm_channel_key(const char *team_name, const char *name)
{
	return xasprintf("%zu:%s/%s", strlen(team_name), team_name, name);
}

void
mm_cache_set_channel_name(struct mm_cache *c, const char *team_name,
			  const char *name, const char *id)
{
	char *key;

	if (*team_name == '\0' || *name == '\0' || *id == '\0')
		return;
	key = mm_channel_key(team_name, name);
	mm_table_set_string(c, &c->channel_names, key, id);
	free(key);
}

const char *
mm_cache_channel_by_name(const struct mm_cache *c, const char *team_name,
			 const char *name)
{
	char *key = mm_channel_key(team_name, name);
	const char *id = mm_table_slot(&c->channel_names, key)->value;
	const struct mm_channel_seen *ch;

	free(key);
	if (id == NULL)
		return NULL;
	ch = mm_cache_channel_find(c, id);
	if (ch == NULL || ch->name == NULL || strcmp(ch->name, name) != 0)
		return NULL;
	return id;
}

size_t
mm_cache_channels(const struct mm_cache *c)
{
	return c->n_channels;
}

struct mm_channel_seen *
mm_cache_channel_at(struct mm_cache *c, size_t i)
{
	return i < c->n_channels ? &c->channels[i] : NULL;
}
