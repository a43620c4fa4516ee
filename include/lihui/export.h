/* SPDX-License-Identifier: MIT */
/*
 * export.h: `lihui export`, a meeting's record written out of the store:
 * its minutes as lihui renders them (Markdown) or the whole record as one
 * self-contained JSON document. It needs the configuration and the store
 * only: no adapter, no network, no loop.
 *
 * The JSON document (version 1):
 *
 *	format     "lihui-meeting", version 1
 *	meeting    id, title, chair, state ("running", "ended",
 *	           "cancelled"), started_at / ended_at (ISO 8601 UTC, "...Z";
 *	           ended_at null while running) and started_at_local /
 *	           ended_at_local (in the channel's zone, "...+08:00"),
 *	           auto_closed, amended
 *	channel    id, key (the platform's id), name, timezone, locale
 *	attendees  who took part: user, lines said, and how it is known:
 *	           spoke (said a line and not marked absent) and marked
 *	           (marked present), as the minutes count them
 *	speakers   user and lines said, most first (absentees' too)
 *	marks      /meeting present|absent corrections: user, present
 *	log        every entry of the meeting's log in order (undone ones
 *	           left out): id, kind (meeting_item_name()), user, text,
 *	           at (UTC), post_id, action_id
 *	actions    the action items the meeting created: id, owner,
 *	           owner_id, text, due ("YYYY-MM-DD"), state ("open", "done",
 *	           "dropped"), created_by, created_at, closed_at, note
 *	ratings    count and average (null when none)
 *	minutes    the Markdown last posted, or null
 *
 * Absent values are null, never left out.
 */
#ifndef LIHUI_EXPORT_H
#define LIHUI_EXPORT_H

#include <stdint.h>

struct config;
struct store;

enum export_format { EXPORT_MARKDOWN, EXPORT_JSON };

/** "md" or "json"; -1 for anything else. */
int export_format_parse(const char *s);

/**
 * Meeting id from s in the given format: *out is the document (caller
 * frees). -1 and *cause when there is no such meeting or the store fails.
 */
int export_meeting(struct store *s, const struct config *config, int64_t id,
		   enum export_format format, char **out, char **cause);

/**
 * `lihui export ...`: argv[0] is "export". Parses the options, opens the
 * config and the store, writes the document to standard output or, with
 * --output, atomically to a file. Returns the exit code: 0, 1 (the
 * meeting, the store or the output failed) or 2 (usage).
 */
int export_main(int argc, char **argv);

#endif
