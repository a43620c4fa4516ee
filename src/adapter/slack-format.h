/* SPDX-License-Identifier: MIT */
/*
 * slack-format.h: text between lihui and Slack, both ways (pure).
 *
 * Outbound, the renderers' Markdown (the Mattermost dialect, render.h)
 * becomes Slack mrkdwn: bold, italics, strike, links, lists, headings as
 * bold lines, tables as aligned code blocks, & < > escaped and @names
 * written as <@ID>. slack_split_post() then cuts a long post under
 * Slack's limit without leaving a code block open. Inbound, Slack's
 * escaped text (<@U1|dave>, <#C1|ops>, <!here>, <url|label>, &amp;)
 * becomes plain text for the dispatcher, with the users it mentions.
 */
#ifndef LIHUI_SLACK_FORMAT_H
#define LIHUI_SLACK_FORMAT_H

#include <stddef.h>

#include "lihui/event.h"

/* Maps a user name (without '@') to the Slack user id, or NULL when not
 * known; the returned string is borrowed. */
typedef const char *(*slack_user_id_fn)(void *arg, const char *name);
/* Maps a Slack user id to its name (without '@'), or NULL when not known. */
typedef const char *(*slack_user_name_fn)(void *arg, const char *user_id);

/* The renderers' Markdown (the dialect of lihui's posts: **bold**, _it_,
 * [label](url), "- " lists, "| a | b |" tables, ``` code, "#"-headings)
 * as Slack mrkdwn, with & < > escaped and "@name" written "<@ID>" where
 * lookup knows the name (lookup may be NULL). Allocated.
 *
 * Never fails: bytes that are not UTF-8 become U+FFFD, so the result is
 * valid UTF-8 whatever the input, and its only '<' and '>' are those of
 * the links, mentions and broadcasts written here. An id from lookup that
 * is not made of ASCII letters and digits is not used (the name stays
 * "@name"). "@here", "@channel" and "@everyone" become <!here>,
 * <!channel> and <!everyone>. */
char *slack_format_post(const char *markdown, slack_user_id_fn lookup,
			void *arg);

/* The smallest max slack_split_post() works with; a smaller one is taken
 * as this. */
#define SLACK_SPLIT_MIN 32

/* Cut mrkdwn (as slack_format_post() writes it) into parts of at most max
 * bytes (Slack counts characters, so bytes are on the safe side): at a
 * blank line when one fits, else at a line end, else after a space, else
 * at a character boundary; inside a line never within an &entity;, a
 * <...> sequence that started in the part, or beside a backtick. A code
 * block (between lines that are exactly "```") cut in two is closed at
 * the end of one part and opened again at the start of the next. The
 * newlines at a cut are dropped; no part is empty ("" has none). Returns
 * the number of parts; *parts is an allocated array of allocated strings
 * (free them with render_pieces_free() from render.h). */
size_t slack_split_post(const char *mrkdwn, size_t max, char ***parts);

/* Inbound text as Slack sends it (message text, or a command's escaped
 * text) made plain for the dispatcher. */
struct slack_text {
	char *text; /* allocated: &amp; &lt; &gt; decoded, <@U1|dave> and
		       (when resolve knows U1) <@U1> as "@dave", <#C1|ops> as
		       "#ops", <!here> as "@here", <url|label> as "label (url)",
		       <url> as "url" */
	/* The users mentioned, in order of first appearance, at most
	 * CHAT_MENTIONS_MAX (strings allocated): */
	struct slack_text_mention {
		char *name; /* NULL when not known yet (see missing) */
		char *user_id;
	} mentions[CHAT_MENTIONS_MAX];
	size_t n_mentions;
	/* How many <@ID> had no name (neither "|name" nor resolve): the
	 * adapter looks them up (users.info) and calls again. Counted over
	 * the distinct users of mentions[] whose name is NULL; such a
	 * mention stays "<@ID>" in text. */
	size_t missing;
};
/* -1 with *cause on text that is not valid UTF-8 or longer than max
 * bytes; *out is then empty. resolve may be NULL.
 *
 * Other sequences: <#C1> is "#C1"; <!channel>, <!everyone> are
 * "@channel", "@everyone"; <!subteam^S1|@team> and any other <!...|label>
 * are the label, an unknown <!...> without one is dropped; <mailto:x|x>
 * and <http://x|x> are just the label; a '<' that does not start a
 * well-formed sequence is kept as written. A name (from "|name" or
 * resolve) loses a leading '@'. */
int slack_text_parse(const char *in, size_t len, size_t max,
		     slack_user_name_fn resolve, void *arg,
		     struct slack_text *out, char **cause);
void slack_text_release(struct slack_text *t);

#endif
