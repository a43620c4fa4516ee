/* SPDX-License-Identifier: MIT */
/*
 * meeting.c: a meeting in the channel on top of the store: the recorder
 * of the lines said during one, the items they and the /meeting commands
 * record, and the minutes gathered from it all (see meeting.h).
 *
 * How it works.
 *
 *   recorder: a channel line not addressed to the bot reaches
 *     meeting_record_line(). Without a running meeting in that channel it
 *     is ignored (while no channel holds one, a single lookup in a
 *     partial index; nothing is stored about channels lihui only
 *     overhears). During one, in one unit of work: the line
 *     goes into the log as MEETING_LINE (it counts toward attendance);
 *     a "#" line (hashline_parse) is recorded as its item instead and a
 *     reaction on its post confirms it, so the channel stays readable; a
 *     bad "#" line is kept as an ordinary line and its author is told why
 *     in an ephemeral reply.
 *   items: meeting_record_item() stores one item; an action item also
 *     gets its row in action_items (owner, deadline parsed from its text
 *     by meeting_action_parse, relative to today in the channel's zone).
 *   minutes: meeting_minutes() reads the meeting, its log, the lines
 *     each member said, the attendance corrections, the roster with the
 *     members' leave and the action items, and hands the renderer a
 *     minutes_view: topics in the order they came (what was recorded
 *     before the first one under an untitled topic), present = who said
 *     something or was marked present (less those marked absent), absent
 *     = the roster less the present, those on leave on the meeting's day
 *     listed as excused; the chairs are who started it and the channel's
 *     leads (the configured admins); the next meeting comes from the
 *     channel's weekly schedule.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lihui/bot.h"
#include "lihui/config.h"
#include "lihui/event.h"
#include "lihui/log.h"
#include "lihui/meeting.h"
#include "lihui/schedule.h"
#include "lihui/minutes.h"
#include "lihui/render.h"
#include "lihui/report.h"
#include "lihui/store.h"
#include "lihui/tz.h"
#include "lihui/utf8.h"
#include "lihui/xmalloc.h"

/* The emoji that confirms a recorded "#" line. */
#define MEETING_RECORDED_EMOJI "white_check_mark"
/* The most words a deadline takes ("in 3 days"). */
#define MEETING_DUE_WORDS 3

/* The end of the word starting at p (at a blank or the NUL). */
static const char *
meeting_word_end(const char *p)
{
	while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\n')
		p++;
	return p;
}

static const char *
meeting_skip_blanks(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

int
meeting_action_parse(const char *text, struct date today, enum locale loc,
		     struct meeting_action_text *out, char **cause)
{
	char word[USER_NAME_MAX + 2], when[WHEN_MAX_TEXT + 1];
	const char *p = meeting_skip_blanks(text), *end, *after;
	size_t len;
	int words;

	memset(out, 0, sizeof *out);
	end = meeting_word_end(p);
	len = (size_t)(end - p);
	if (*p == '@') {
		if (len < sizeof word) {
			memcpy(word, p, len);
			word[len] = '\0';
		}
		if (len >= sizeof word ||
		    !report_parse_mention(word, out->owner))
			return set_cause(cause,
					 L_(loc, "'%.*s' is not a user name"),
					 (int)(len > 80 ? 80 : len), p);
		p = meeting_skip_blanks(end);
	}
	/* The longest run of words that reads as a date. */
	for (words = MEETING_DUE_WORDS; words >= 1 && !out->has_due; words--) {
		int i;

		after = p;
		for (i = 0; i < words && *after != '\0'; i++)
			after = meeting_skip_blanks(meeting_word_end(after));
		if (i < words)
			continue;
		len = (size_t)(after - p);
		while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t' ||
				   p[len - 1] == '\n' || p[len - 1] == '\r'))
			len--;
		if (len == 0 || len > WHEN_MAX_TEXT)
			continue;
		memcpy(when, p, len);
		when[len] = '\0';
		if (when_parse(when, today, &out->due, NULL) == 0) {
			out->has_due = 1;
			p = after;
		}
	}
	if (*p == '\0')
		return set_cause(cause, L_(loc, "say what is to be done"));
	out->text = p;
	return 0;
}

int
meeting_owner_check(const struct chat_event *ev, const char *owner,
		    enum locale loc, const char **owner_id, char **cause)
{
	switch (chat_event_user(ev, owner, owner_id)) {
	case CHAT_USER_FOUND:
		return 0;
	case CHAT_USER_UNKNOWN:
		return set_cause(cause, L_(loc, "there is no user @%s here"),
				 owner);
	case CHAT_USER_UNCHECKED:
		log_info("action owner @%s taken as written: it could not be "
			 "looked up",
			 owner);
		return 0;
	}
	return set_cause(cause, "bad user lookup state");
}

/* The channel's locale (English when its setting is not one). */
static enum locale
meeting_locale(const struct channel *ch)
{
	int loc = locale_parse(ch->locale);

	return loc < 0 ? LOCALE_EN : (enum locale)loc;
}

/*
 * An action item without an owner: its meeting's chair is asked, in a
 * direct message, to assign it.
 */
static int
meeting_ask_assign(struct store *s, const struct config *config,
		   const struct channel *ch, int64_t meeting_id,
		   int64_t action_id, const char *what, int64_t now,
		   char **cause)
{
	struct meeting m;
	char *text;
	int found = 0, rc;

	if (store_meeting_get(s, meeting_id, &m, &found, cause) != 0)
		return -1;
	if (!found)
		return set_cause(cause, "no meeting %lld",
				 (long long)meeting_id);
	text = xasprintf(L_(meeting_locale(ch),
			    "Action item #%lld of the meeting in #%s has no "
			    "owner yet: %s\nAssign it: /%s assign %lld @user"),
			 (long long)action_id, ch->name, what,
			 config->trigger_action, (long long)action_id);
	rc = store_outbox_add(s, OUTBOX_DIRECT, ch->key, m.chair, text, now,
			      NULL, cause);
	free(text);
	meeting_release(&m);
	return rc;
}

int
meeting_record_item(struct store *s, const struct config *config,
		    const struct channel *ch, int64_t meeting_id, int kind,
		    const struct chat_event *ev, const char *text, int64_t now,
		    char **cause)
{
	struct meeting_action_text act;
	struct local_time local;
	enum locale loc = meeting_locale(ch);
	const char *owner = NULL, *owner_id = NULL;
	char due[16] = "";
	int64_t action_id = 0;

	if (kind == MEETING_ACTION) {
		if (tz_to_local(ch->timezone, now, &local, cause) != 0)
			return -1;
		if (meeting_action_parse(text, local.date, loc, &act, cause) !=
		    0)
			return MEETING_BAD_TEXT;
		if (act.has_due)
			date_format(act.due, due, sizeof due);
		if (act.owner[0] != '\0') {
			owner = act.owner;
			if (meeting_owner_check(ev, owner, loc, &owner_id,
						cause) != 0)
				return MEETING_BAD_TEXT;
		}
		if (store_action_add(s, ch->id, meeting_id, owner, owner_id,
				     act.text, act.has_due ? due : NULL,
				     ev->user_name, now, &action_id,
				     cause) != 0)
			return -1;
		if (owner == NULL &&
		    meeting_ask_assign(s, config, ch, meeting_id, action_id,
				       act.text, now, cause) != 0)
			return -1;
	}
	return store_meeting_item_add(s, meeting_id, kind, ev->user_name, text,
				      now, ev->post_id, action_id, NULL, cause);
}

/* Tell user about a bad "#" line, in the channel's locale. */
static void
meeting_line_refused(struct bot *b, const struct chat_event *ev,
		     const struct channel *ch, const char *why, int64_t now)
{
	char *text, *cause = NULL;

	text = xasprintf(L_(meeting_locale(ch), "Not recorded: %s."), why);
	if (store_outbox_add(b->store, OUTBOX_EPHEMERAL, ev->channel_key,
			     ev->user_id, text, now, NULL, &cause) != 0) {
		log_warn("cannot tell @%s: %s", ev->user_name, cause);
		free(cause);
	}
	free(text);
}

void
meeting_record_line(struct bot *b, const struct chat_event *ev)
{
	struct channel ch;
	struct meeting m;
	struct hashline hl;
	int64_t now = clock_now(&b->clock);
	char *cause = NULL, *why = NULL, *text = NULL;
	int found = 0, rc, kind = MEETING_LINE;
	size_t len;

	if (ev->kind != CHAT_MESSAGE || ev->is_direct || ev->text == NULL)
		return;
	memset(&m, 0, sizeof m);
	/* Most lines are said outside meetings: look before writing. */
	if (store_meeting_any_running(b->store, &found, &cause) != 0)
		goto fail;
	if (!found)
		return;
	if (store_channel_find(b->store, ev->channel_key, &ch, &found,
			       &cause) != 0)
		goto fail;
	if (!found)
		return;
	if (store_meeting_running(b->store, ch.id, &m, &found, &cause) != 0)
		goto fail_release;
	if (!found) {
		channel_release(&ch);
		return;
	}
	if (store_begin(b->store, &cause) != 0)
		goto fail_release;

	rc = hashline_parse(ev->text, strlen(ev->text), meeting_locale(&ch),
			    &hl, &why);
	if (rc == 1) {
		text = xstrndup(hl.text, hl.len);
		rc = meeting_record_item(b->store, b->config, &ch, m.id,
					 (int)hl.kind, ev, text, now, &why);
		if (rc == 0)
			kind = (int)hl.kind;
		else if (rc != MEETING_BAD_TEXT) {
			cause = why;
			goto fail_rollback;
		}
	}
	if (rc < 0) {
		meeting_line_refused(b, ev, &ch, why, now);
		free(why);
	}
	if (kind == MEETING_LINE) {
		/* The log keeps a bounded, whole-character prefix. */
		len = strlen(ev->text);
		if (!utf8_valid(ev->text, len))
			len = 0;
		free(text);
		text = xstrndup(ev->text,
				utf8_cut(ev->text, len, MEETING_LINE_MAX));
		if (store_meeting_item_add(b->store, m.id, MEETING_LINE,
					   ev->user_name, text, now,
					   ev->post_id, 0, NULL, &cause) != 0)
			goto fail_rollback;
	}
	if (kind != MEETING_LINE && ev->post_id != NULL &&
	    store_outbox_add_reaction(b->store, ev->channel_key, ev->post_id,
				      MEETING_RECORDED_EMOJI, now, NULL,
				      &cause) != 0)
		goto fail_rollback;
	if (store_commit(b->store, &cause) != 0)
		goto fail_rollback;
	log_debug("meeting %lld: %s from %s", (long long)m.id,
		  meeting_item_name((enum meeting_item_kind)kind),
		  ev->user_name);
	free(text);
	meeting_release(&m);
	channel_release(&ch);
	bot_outbox_ready(b);
	return;

fail_rollback:
	store_rollback(b->store);
fail_release:
	channel_release(&ch);
fail:
	log_error("cannot record a line from %s: %s", ev->user_name, cause);
	free(cause);
	free(text);
	meeting_release(&m);
}

/* What meeting_minutes() gathers; released by minutes_data_release(). */
struct minutes_data {
	struct minutes_view view;
	struct meeting meeting;
	struct meeting_item *items;
	size_t n_items;
	struct meeting_speaker *speakers;
	size_t n_speakers;
	struct meeting_mark *marks;
	size_t n_marks;
	struct member *members;
	size_t n_members;
	struct action_item *actions;
	size_t n_actions;
	/* storage behind view */
	const char **chairs;
	struct minutes_person *present;
	const char **absent;
	struct agenda_leave *excused;
	struct minutes_topic *topics;
	struct minutes_item *topic_items;
	struct minutes_action *view_actions;
};

static void
minutes_data_release(struct minutes_data *d)
{
	meeting_release(&d->meeting);
	meeting_item_list_free(d->items, d->n_items);
	meeting_speaker_list_free(d->speakers, d->n_speakers);
	meeting_mark_list_free(d->marks, d->n_marks);
	member_list_free(d->members, d->n_members);
	action_item_list_free(d->actions, d->n_actions);
	free(d->chairs);
	free(d->present);
	free(d->absent);
	free(d->excused);
	free(d->topics);
	free(d->topic_items);
	free(d->view_actions);
}

/* The attendance correction for user: 1 present, 0 absent, -1 none. */
static int
minutes_mark_of(const struct minutes_data *d, const char *user)
{
	size_t i;

	for (i = 0; i < d->n_marks; i++)
		if (strcmp(d->marks[i].user_name, user) == 0)
			return d->marks[i].present;
	return -1;
}

static int
minutes_is_present(const struct minutes_data *d, const char *user)
{
	size_t i;

	for (i = 0; i < d->view.n_present; i++)
		if (strcmp(d->present[i].name, user) == 0)
			return 1;
	return 0;
}

/* Present, absent and excused, from the log, the marks and the roster. */
static void
minutes_attendance(struct minutes_data *d, struct date day)
{
	struct date until;
	size_t i, np = 0, na = 0, ne = 0;

	d->present =
	    xcalloc(d->n_speakers + d->n_marks + 1, sizeof *d->present);
	for (i = 0; i < d->n_speakers; i++) {
		if (minutes_mark_of(d, d->speakers[i].user_name) == 0)
			continue;
		d->present[np].name = d->speakers[i].user_name;
		d->present[np++].lines = d->speakers[i].lines;
	}
	d->view.present = d->present;
	d->view.n_present = np;
	for (i = 0; i < d->n_marks; i++) {
		if (d->marks[i].present &&
		    !minutes_is_present(d, d->marks[i].user_name)) {
			d->present[np].name = d->marks[i].user_name;
			d->present[np++].lines = 0;
			d->view.n_present = np;
		}
	}
	d->absent = xcalloc(d->n_members + 1, sizeof *d->absent);
	d->excused = xcalloc(d->n_members + 1, sizeof *d->excused);
	for (i = 0; i < d->n_members; i++) {
		const struct member *m = &d->members[i];

		if (minutes_is_present(d, m->user_name))
			continue;
		if (m->away_until != NULL &&
		    date_parse_iso(m->away_until, &until) == 0 &&
		    date_compare(until, day) >= 0) {
			d->excused[ne].user = m->user_name;
			d->excused[ne++].until = until;
		} else
			d->absent[na++] = m->user_name;
	}
	d->view.absent = d->absent;
	d->view.n_absent = na;
	d->view.excused = d->excused;
	d->view.n_excused = ne;
}

/* Topics in order; items before the first topic under an untitled one. */
static void
minutes_topics(struct minutes_data *d)
{
	size_t i, nt = 0, ni = 0;

	d->topics = xcalloc(d->n_items + 1, sizeof *d->topics);
	d->topic_items = xcalloc(d->n_items + 1, sizeof *d->topic_items);
	d->topics[0].title = NULL;
	d->topics[0].items = d->topic_items;
	nt = 1;
	for (i = 0; i < d->n_items; i++) {
		const struct meeting_item *it = &d->items[i];

		if (it->kind == MEETING_LINE)
			continue;
		if (it->kind == MEETING_TOPIC) {
			d->topics[nt].title = it->text;
			d->topics[nt].items = d->topic_items + ni;
			nt++;
			continue;
		}
		d->topic_items[ni].kind = (enum meeting_item_kind)it->kind;
		d->topic_items[ni].text = it->text;
		d->topic_items[ni].author = it->user_name;
		ni++;
		d->topics[nt - 1].n_items++;
	}
	d->view.topics = d->topics;
	d->view.n_topics = nt;
}

static void
minutes_actions(struct minutes_data *d)
{
	size_t i;

	d->view_actions = xcalloc(d->n_actions + 1, sizeof *d->view_actions);
	for (i = 0; i < d->n_actions; i++) {
		const struct action_item *a = &d->actions[i];
		struct minutes_action *v = &d->view_actions[i];

		v->id = (long long)a->id;
		v->owner = a->owner;
		v->text = a->text;
		v->has_due =
		    a->due != NULL && date_parse_iso(a->due, &v->due) == 0;
	}
	d->view.actions = d->view_actions;
	d->view.n_actions = d->n_actions;
}

static void
minutes_chairs(struct minutes_data *d, const struct config *config)
{
	size_t i, n = 0;

	d->chairs = xcalloc(config->n_admins + 2, sizeof *d->chairs);
	d->chairs[n++] = d->meeting.chair;
	for (i = 0; i < config->n_admins; i++)
		if (strcmp(config->admins[i], d->meeting.chair) != 0)
			d->chairs[n++] = config->admins[i];
	d->view.chairs = d->chairs;
	d->view.n_chairs = n;
}

int
meeting_minutes(struct store *s, const struct config *config,
		const struct channel *ch, int64_t id, char **out, char **cause)
{
	struct minutes_data d;
	int64_t end, next;
	int found = 0, loc;

	*out = NULL;
	memset(&d, 0, sizeof d);
	if (store_meeting_get(s, id, &d.meeting, &found, cause) != 0)
		return -1;
	if (!found || d.meeting.channel_id != ch->id) {
		minutes_data_release(&d);
		return set_cause(cause, "no meeting %lld in this channel",
				 (long long)id);
	}
	end =
	    d.meeting.ended_at > 0 ? d.meeting.ended_at : d.meeting.started_at;
	if (store_meeting_item_list(s, id, &d.items, &d.n_items, cause) != 0 ||
	    store_meeting_speakers(s, id, &d.speakers, &d.n_speakers, cause) !=
		0 ||
	    store_meeting_marks(s, id, &d.marks, &d.n_marks, cause) != 0 ||
	    store_member_list(s, ch->id, 1, &d.members, &d.n_members, cause) !=
		0 ||
	    store_action_list_meeting(s, id, &d.actions, &d.n_actions, cause) !=
		0 ||
	    tz_to_local(ch->timezone, d.meeting.started_at, &d.view.start,
			cause) != 0 ||
	    tz_to_local(ch->timezone, end, &d.view.end, cause) != 0) {
		minutes_data_release(&d);
		return -1;
	}
	loc = locale_parse(ch->locale);
	d.view.locale = loc < 0 ? LOCALE_EN : (enum locale)loc;
	d.view.meeting_id = (long long)id;
	d.view.title = d.meeting.title;
	d.view.channel_name = ch->name;
	d.view.timezone = ch->timezone;
	d.view.length = (int)((end - d.meeting.started_at + 59) / 60);
	d.view.auto_closed = d.meeting.auto_closed;
	d.view.amended = d.meeting.amended;
	minutes_chairs(&d, config);
	minutes_attendance(&d, d.view.start.date);
	minutes_topics(&d);
	minutes_actions(&d);
	/* The next occurrence after this one's end; none if it fails. */
	if (schedule_next(s, ch, end, &next, NULL, NULL) == 0 &&
	    tz_to_local(ch->timezone, next, &d.view.next, NULL) == 0)
		d.view.has_next = 1;
	*out = render_minutes(&d.view);
	minutes_data_release(&d);
	return 0;
}

int
meeting_user_chairs(const struct config *config, const struct meeting *m,
		    const char *user)
{
	size_t i;

	if (m != NULL && strcmp(user, m->chair) == 0)
		return 1;
	for (i = 0; i < config->n_admins; i++)
		if (strcmp(config->admins[i], user) == 0)
			return 1;
	return 0;
}

int
meeting_queue_minutes(struct store *s, const struct channel *ch, int64_t id,
		      const char *md, size_t max_post, int64_t now,
		      char **cause)
{
	char **pieces = NULL;
	int64_t *ids;
	size_t n, i;
	int rc = -1;

	n = render_split(md, max_post, &pieces);
	ids = xcalloc(n > 0 ? n : 1, sizeof *ids);
	for (i = 0; i < n; i++)
		if (store_outbox_add(s, OUTBOX_CHANNEL, ch->key, NULL,
				     pieces[i], now, &ids[i], cause) != 0)
			goto out;
	if (store_meeting_set_minutes(s, id, n > 0 ? ids[0] : 0, md, cause) !=
		0 ||
	    store_meeting_set_minutes_posts(s, id, ids, n, cause) != 0)
		goto out;
	rc = 0;
out:
	render_pieces_free(pieces, n);
	free(ids);
	return rc;
}

int
meeting_amend_minutes(struct store *s, const struct config *config,
		      const struct channel *ch, int64_t id, size_t max_post,
		      int64_t now, char **cause)
{
	char *md = NULL, **pieces = NULL;
	int64_t *old = NULL, *ids = NULL;
	size_t n = 0, n_old = 0, n_ids, i;
	int rc = -1;

	if (store_meeting_set_amended(s, id, cause) != 0 ||
	    meeting_minutes(s, config, ch, id, &md, cause) != 0 ||
	    store_meeting_minutes_posts(s, id, &old, &n_old, cause) != 0)
		goto out;
	n = render_split(md, max_post, &pieces);
	n_ids = n > n_old ? n : n_old;
	ids = xcalloc(n_ids > 0 ? n_ids : 1, sizeof *ids);
	for (i = 0; i < n_ids; i++) {
		if (i < n_old) {
			/* A part the minutes no longer need says so. */
			const char *text =
			    i < n ? pieces[i]
				  : L_(meeting_locale(ch),
				       "(The amended minutes are above.)");

			ids[i] = old[i];
			if (store_outbox_add_edit(s, old[i], text, now, NULL,
						  cause) != 0)
				goto out;
		} else if (store_outbox_add(s, OUTBOX_CHANNEL, ch->key, NULL,
					    pieces[i], now, &ids[i],
					    cause) != 0) {
			goto out;
		}
	}
	if (store_meeting_set_minutes(s, id, n_ids > 0 ? ids[0] : 0, md,
				      cause) != 0 ||
	    store_meeting_set_minutes_posts(s, id, ids, n_ids, cause) != 0)
		goto out;
	rc = 0;
out:
	render_pieces_free(pieces, n);
	free(old);
	free(ids);
	free(md);
	return rc;
}

/* End meeting m automatically and queue its minutes; one unit of work. */
static int
meeting_close_one(struct bot *b, const struct meeting *m, int64_t now,
		  char **cause)
{
	struct channel ch;
	char *md = NULL, *question = NULL;
	int found = 0, rc = -1;

	if (store_begin(b->store, cause) != 0)
		return -1;
	if (store_channel_get(b->store, m->channel_id, &ch, &found, cause) != 0)
		goto out;
	if (!found) {
		set_cause(cause, "its channel is gone");
		goto out;
	}
	if (store_meeting_end(b->store, m->id, now, 1, cause) != 0 ||
	    meeting_minutes(b->store, b->config, &ch, m->id, &md, cause) != 0 ||
	    meeting_queue_minutes(b->store, &ch, m->id, md, b->max_post, now,
				  cause) != 0)
		goto out;
	question = xasprintf(L_(meeting_locale(&ch),
				"How useful was this meeting? Rate it from 1 "
				"to 5 with /%s rate <1-5>."),
			     b->config->trigger_meeting);
	if (store_outbox_add(b->store, OUTBOX_CHANNEL, ch.key, NULL, question,
			     now, NULL, cause) != 0)
		goto out;
	rc = store_commit(b->store, cause);
out:
	if (rc != 0)
		store_rollback(b->store);
	free(question);
	free(md);
	channel_release(&ch);
	return rc;
}

int
meeting_close_stale(struct bot *b, int64_t now)
{
	struct meeting *ms = NULL;
	size_t n = 0, i;
	char *cause = NULL;
	int ended = 0;

	if (store_meeting_stale(
		b->store, now - (int64_t)b->config->meeting_timeout * 3600, &ms,
		&n, &cause) != 0) {
		log_error("cannot look for forgotten meetings: %s", cause);
		free(cause);
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (meeting_close_one(b, &ms[i], now, &cause) != 0) {
			log_error("cannot end meeting %lld: %s",
				  (long long)ms[i].id, cause);
			free(cause);
			cause = NULL;
			continue;
		}
		log_info("meeting %lld ended automatically after %d hours",
			 (long long)ms[i].id, b->config->meeting_timeout);
		ended++;
	}
	meeting_list_free(ms, n);
	if (ended > 0)
		bot_outbox_ready(b);
	return ended;
}
