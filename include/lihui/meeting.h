/* SPDX-License-Identifier: MIT */
/*
 * meeting.h: what a meeting in the channel is made of, and the parser of
 * the "#" lines said during one (pure: no I/O, no clock, no allocation).
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
 *      UTF-8): *cause says why (when cause is not NULL) and nothing may
 *      be recorded from it.
 */
int hashline_parse(const char *line, size_t len, struct hashline *out,
		   char **cause);

/** The English keyword of kind without '#' ("topic"), for logs. */
const char *meeting_item_name(enum meeting_item_kind kind);

#endif
