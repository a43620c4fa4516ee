/* SPDX-License-Identifier: MIT */
/*
 * meeting.h: what a meeting in the channel is made of; the parser of the
 * "#" lines said during one (pure: no I/O, no clock, no allocation,
 * src/core/hashline.c); and the meeting's recorder and minutes on top of
 * the store (src/meeting.c).
 *
 * During a meeting every line said in the channel is kept in its log. A
 * line that starts with a keyword is also recorded as the matching
 * meeting command:
 *
 *	#topic  #议题	a new topic (what follows belongs to it)
 *	#info   #信息	a note
 *	#idea   #想法	an idea
 *	#agreed #决议	a decision
 *	#action #行动	an action item: "@owner [due] text"
 *	#link   #链接	a link, with an optional description
 */
#ifndef LIHUI_MEETING_H
#define LIHUI_MEETING_H

#include <stddef.h>
#include <stdint.h>

#include "lihui/catalog.h"
#include "lihui/when.h"

/* What one entry of a meeting's log is. */
enum meeting_item_kind {
	MEETING_LINE,	/* an ordinary line: attendance and the log only */
	MEETING_TOPIC,	/* #topic, /meeting topic, /meeting next */
	MEETING_INFO,	/* #info, /meeting note */
	MEETING_IDEA,	/* #idea */
	MEETING_AGREED, /* #agreed, /meeting decide */
	MEETING_ACTION, /* #action, /meeting action */
	MEETING_LINK,	/* #link */
	MEETING_KIND_COUNT
};

/* The longest text a recorded item keeps, in bytes. */
#define MEETING_TEXT_MAX 4000
/* The longest prefix of an ordinary line the log keeps, in bytes. */
#define MEETING_LINE_MAX 16384

/* A "#" line: its kind and its text, borrowed from the parsed line. */
struct hashline {
	enum meeting_item_kind kind; /* never MEETING_LINE */
	const char *text;	     /* after the keyword and the blanks */
	size_t len;		     /* bytes; trailing blanks removed */
};

/**
 * Classify line (len bytes; it need not be NUL-terminated):
 *   1  a "#" line; *out says which and points at its text;
 *   0  an ordinary line (no keyword at its start);
 *  -1  a keyword with a bad text (none, over MEETING_TEXT_MAX, not
 *      UTF-8): *cause says why in loc (when cause is not NULL) and
 *      nothing may be recorded from it.
 */
int hashline_parse(const char *line, size_t len, enum locale loc,
		   struct hashline *out, char **cause);

/** The English keyword of kind without '#' ("topic"), for logs. */
const char *meeting_item_name(enum meeting_item_kind kind);

/* The longest owner name an action item takes, in bytes. */
#define MEETING_OWNER_MAX 64

/* An action item as said: "@owner [due] text" (owner and due optional). */
struct meeting_action_text {
	char owner[MEETING_OWNER_MAX + 1]; /* "" when none was named */
	int has_due;
	struct date due;
	const char *text; /* into the parsed text: what is left */
};

/**
 * Split an action item's text: a leading @mention is its owner, then the
 * longest run of one to three words when_parse() reads relative to today
 * is its deadline, and the rest is what to do. -1 with *cause (in loc)
 * when the owner is not a name or nothing is left to do.
 */
int meeting_action_parse(const char *text, struct date today, enum locale loc,
			 struct meeting_action_text *out, char **cause);

struct bot;
struct channel;
struct chat_event;
struct store;
struct config;
struct meeting;

/**
 * A line said in a channel (not addressed to the bot): during the
 * channel's running meeting it goes into the meeting's log and, when it
 * is a "#" line, is recorded as that item and confirmed with a reaction
 * on its post (a bad "#" line gets the reason, only for its author). One
 * unit of work; nothing happens in a channel without a running meeting.
 */
void meeting_record_line(struct bot *b, const struct chat_event *ev);

/* meeting_record_item()'s answer when the text, not the store, failed. */
#define MEETING_BAD_TEXT (-2)

/**
 * Record an item of kind with text, said through ev (its author; its
 * post, if any) in meeting_id of channel ch (and, for MEETING_ACTION,
 * the action item it names: the owner must be a user ev's adapter found
 * or could not check; the deadline is read in the channel's zone; an
 * item without an owner makes the meeting's chair a direct message
 * asking to assign it).
 * MEETING_BAD_TEXT with *cause, in the channel's locale, saying what is
 * wrong with the text; -1 with *cause when the store failed.
 */
int meeting_record_item(struct store *s, const struct config *config,
			const struct channel *ch, int64_t meeting_id, int kind,
			const struct chat_event *ev, const char *text,
			int64_t now, char **cause);

/**
 * Whether owner (without '@') may be given an action item, by what ev's
 * adapter learnt: 0 with *owner_id (borrowed from ev; NULL when unknown
 * to lihui) or -1 with *cause in loc naming the user when the platform
 * has no such user.
 */
int meeting_owner_check(const struct chat_event *ev, const char *owner,
			enum locale loc, const char **owner_id, char **cause);

/**
 * End every meeting that has run longer than the configured
 * meeting_timeout at now, as closed automatically, and queue its minutes
 * in its channel: one unit of work per meeting. Returns how many ended.
 */
int meeting_close_stale(struct bot *b, int64_t now);

/**
 * Whether user chairs meeting m: who started it, or one of the leads
 * (config's admins). m NULL asks about the leads only (e.g. for an
 * action item added outside a meeting).
 */
int meeting_user_chairs(const struct config *config, const struct meeting *m,
			const char *user);

/**
 * Store md as the minutes of meeting id and queue them in channel ch,
 * split into posts of at most max_post bytes, remembering the posts so
 * an amendment can edit them. Part of the caller's unit of work.
 */
int meeting_queue_minutes(struct store *s, const struct channel *ch, int64_t id,
			  const char *md, size_t max_post, int64_t now,
			  char **cause);

/**
 * Render the minutes of meeting id again (marked amended) and queue
 * edits of the posts that carry them (and new posts for parts they did
 * not have). Part of the caller's unit of work.
 */
int meeting_amend_minutes(struct store *s, const struct config *config,
			  const struct channel *ch, int64_t id, size_t max_post,
			  int64_t now, char **cause);

/**
 * The minutes of meeting id of channel ch, rendered in loc (the chair
 * and the channel's leads from config). Caller frees *out.
 */
int meeting_minutes(struct store *s, const struct config *config,
		    const struct channel *ch, int64_t id, char **out,
		    char **cause);

#endif
