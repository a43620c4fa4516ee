/* SPDX-License-Identifier: MIT */
/*
 * mm-cache.h: what the Mattermost adapter remembers about users and
 * channels, private to it: user names by id and ids by name (from events,
 * slash commands and REST lookups, for posts fetched by REST, which carry
 * only the id), and per channel the bot has seen a post in or looked up:
 * its type, name, team and display name (when looked up), the time of the
 * newest post handled (where a resynchronisation starts), and channel ids
 * by team name and channel name. Bounded: past MM_CACHE_MAX entries in a
 * table nothing new is added to it.
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
	/* From a REST lookup (mm_cache_set_channel()), else NULL; owned. */
	char *name;	    /* the URL handle; "<id>__<id>" for a DM */
	char *team_id;	    /* "" for DMs and group messages */
	char *display_name; /* may be "" */
};

struct mm_cache;

struct mm_cache *mm_cache_new(void);
void mm_cache_free(struct mm_cache *c);

/** Remember name for user id (replacing an older one). */
void mm_cache_set_user(struct mm_cache *c, const char *id, const char *name);
/** The name of user id, or NULL; borrowed until the next change. */
const char *mm_cache_user(const struct mm_cache *c, const char *id);
/**
 * The id of the user called name (as given to mm_cache_set_user(), which
 * is still that user's name), or NULL; borrowed until the next change.
 */
const char *mm_cache_user_id(const struct mm_cache *c, const char *name);

/**
 * The entry of channel id, added (type "", last_at 0) when new; NULL
 * when the cache is full. Borrowed until the next change.
 */
struct mm_channel_seen *mm_cache_channel(struct mm_cache *c, const char *id);
/** The entry of channel id, or NULL when not known; nothing is added. */
struct mm_channel_seen *mm_cache_channel_find(const struct mm_cache *c,
					      const char *id);
/**
 * Remember what a lookup told about channel id (type as in
 * mm_channel_seen, at most 3 bytes, else left as it was); the entry, or
 * NULL when the cache is full. Borrowed until the next change.
 */
struct mm_channel_seen *mm_cache_set_channel(struct mm_cache *c, const char *id,
					     const char *type, const char *name,
					     const char *team_id,
					     const char *display_name);
/** Remember that channel name of team team_name is channel id. */
void mm_cache_set_channel_name(struct mm_cache *c, const char *team_name,
			       const char *name, const char *id);
/**
 * The id of channel name in team team_name, when remembered and the
 * channel still has that name; NULL otherwise. Borrowed until the next
 * change.
 */
const char *mm_cache_channel_by_name(const struct mm_cache *c,
				     const char *team_name, const char *name);
/** Number of channels, and the i-th (any order), for a resync. */
size_t mm_cache_channels(const struct mm_cache *c);
struct mm_channel_seen *mm_cache_channel_at(struct mm_cache *c, size_t i);

#endif
