/* SPDX-License-Identifier: MIT */
/*
 * mm-cache.h: what the Mattermost adapter remembers about users and
 * channels, private to it: user names by id (from events and slash
 * commands, for posts fetched by REST, which carry only the id) and, per
 * channel the bot has seen a post in, its type and the time of the newest
 * post handled (where a resynchronisation starts). Bounded: past
 * MM_CACHE_MAX entries nothing new is added.
 */

#ifndef LIHUI_ADAPTER_MM_CACHE_H
#define LIHUI_ADAPTER_MM_CACHE_H

#include <stddef.h>
#include <stdint.h>

#define MM_CACHE_MAX 8192

struct mm_channel_seen {
	const char *id;	 /* owned by the cache */
	char type[4];	 /* "O", "P", "D", "G" or "" */
	int64_t last_at; /* create_at of the newest post handled, ms */
};

struct mm_cache;

struct mm_cache *mm_cache_new(void);
void mm_cache_free(struct mm_cache *c);

/** Remember name for user id (replacing an older one). */
void mm_cache_set_user(struct mm_cache *c, const char *id, const char *name);
/** The name of user id, or NULL; borrowed until the next change. */
const char *mm_cache_user(const struct mm_cache *c, const char *id);

/**
 * The entry of channel id, added (type "", last_at 0) when new; NULL
 * when the cache is full. Borrowed until the next change.
 */
struct mm_channel_seen *mm_cache_channel(struct mm_cache *c, const char *id);
/** Number of channels, and the i-th (any order), for a resync. */
size_t mm_cache_channels(const struct mm_cache *c);
struct mm_channel_seen *mm_cache_channel_at(struct mm_cache *c, size_t i);

#endif
