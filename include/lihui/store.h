/* SPDX-License-Identifier: MIT */
/*
 * store.h: lihui's persistent state, behind an opaque struct store.
 *
 * SQLite in WAL mode; no sqlite3 type appears outside src/store/. The schema
 * is created and upgraded by numbered migrations at open (PRAGMA
 * user_version). Every function that can fail returns 0 or -1 and, on -1,
 * fills *cause (when cause is non-NULL) with an allocated message the caller
 * frees. Row structs own their strings; release them with the matching
 * *_release() or *_list_free().
 *
 * Writing commands wrap their calls in store_begin()/store_commit(); a call
 * made outside a transaction commits by itself.
 */
#ifndef LIHUI_STORE_H
#define LIHUI_STORE_H

#include <stddef.h>
#include <stdint.h>

struct store;

/** Open (creating if needed) the database at path, or ":memory:". */
struct store *store_open(const char *path, char **cause);
/**
 * Open path and apply migrations only up to version (for migration tests);
 * store_open() is store_open_at(path, store_latest_version(), cause).
 */
struct store *store_open_at(const char *path, int version, char **cause);
/** Finalize statements and close; NULL is ignored. */
void store_close(struct store *s);
/** The schema version this build migrates to. */
int store_latest_version(void);
/** The schema version of the open database. */
int store_version(struct store *s);

/*
 * A unit of work: everything between store_begin() and store_commit() is
 * stored atomically; store_rollback() undoes it. Units do not nest.
 */
int store_begin(struct store *s, char **cause);
int store_commit(struct store *s, char **cause);
/** Roll back the open unit of work, if any. */
void store_rollback(struct store *s);

/**
 * Group commit. With batching on, each unit of work is a savepoint inside
 * one outer transaction, which store_flush() commits: every unit is still
 * atomic, and the batch survives a crash of the process from then on. It
 * survives a power loss only once the WAL file is synced, which the
 * daemon does off the loop (commit.c): store_sync_begin() names the file
 * and the batch a sync covers, store_sync_end() records that it is done.
 * Until its batch is durable nothing of a command may reach anyone:
 * store_outbox_due() hands out only rows of durable batches, and a reply
 * that acknowledges a command waits until store_durable() says so for the
 * store_generation() taken when the command was done. Off by default:
 * each store_commit() then commits by itself and counts as durable.
 */
void store_set_batching(struct store *s, int on);
/** Commit the outer transaction of a batch, if one is open. */
int store_flush(struct store *s, char **cause);
/** Whether a batch holds changes not committed yet (batching only). */
int store_batch_open(const struct store *s);
/** The batch that holds every change made so far (0: nothing to wait for). */
uint64_t store_generation(const struct store *s);
/** Whether batch gen (from store_generation()) is durable. */
int store_durable(const struct store *s, uint64_t gen);
/**
 * Committed batches wait to become durable: returns 1 with the file to
 * fdatasync() in *fd and the newest batch that covers in *gen; call
 * store_sync_end(s, *gen) once it succeeded. 0 when nothing waits (or a
 * sync is in progress), -1 and *cause on failure. Where the WAL file
 * cannot be opened, the store falls back to an fsync inside each commit.
 */
int store_sync_begin(struct store *s, int *fd, uint64_t *gen, char **cause);
void store_sync_end(struct store *s, uint64_t gen);

/*
 * Checkpoints off the loop. A checkpoint copies the WAL into the database
 * file and syncs it: tens of milliseconds that SQLite would otherwise
 * spend inside a commit, on the loop. With batching on a file the store
 * leaves checkpoints to a store_checkpointer, a second connection to the
 * same file that the committer runs on a worker thread when
 * store_wal_pages() says the WAL has grown (commit.c). The WAL starts
 * over at the first commit after a checkpoint that took all of it.
 */
/** Pages in the WAL after the last commit (0 unless batching a file). */
int store_wal_pages(const struct store *s);
struct store_checkpointer;
/** A checkpointer for s's file, or NULL for a store in memory. */
struct store_checkpointer *store_checkpointer_new(const struct store *s);
/**
 * Checkpoint (PASSIVE: never waits for the loop's connection) what is
 * committed. Blocking: call it on a worker thread, one at a time. The
 * connection is opened on first use. *left is how many pages of the WAL
 * were not copied (a reader still needs them; 0 normally).
 */
int store_checkpointer_run(struct store_checkpointer *c, int *left,
			   char **cause);
/** Close the checkpointer's connection and free it (NULL is ignored). */
void store_checkpointer_free(struct store_checkpointer *c);

/*
 * Channels: one row per chat channel lihui has seen, with its settings.
 */
enum section_kind {
	SECTION_DONE,
	SECTION_PLAN,
	SECTION_BLOCKER,
	SECTION_METRIC,
	SECTION_NEED,
	SECTION_COUNT
};
#define SECTION_ALL ((1u << SECTION_COUNT) - 1)

struct channel {
	int64_t id;
	char *key;	    /* the platform's channel id */
	char *name;	    /* display name, e.g. "ops-weekly" */
	char *locale;	    /* "en" or "zh_CN" */
	char *timezone;	    /* IANA zone, e.g. "Asia/Shanghai" */
	unsigned sections;  /* bit (1u << enum section_kind) per enabled one */
	int meeting_wday;   /* 0 = Sunday .. 6 = Saturday */
	int meeting_minute; /* minutes after local midnight */
	int meeting_length; /* minutes */
};
void channel_release(struct channel *c);

/**
 * Find the channel by platform key; when absent, create it from defaults
 * (whose key and id are ignored) with the given key and name. *out is
 * filled either way and must be released.
 */
int store_channel_ensure(struct store *s, const char *key, const char *name,
			 const struct channel *defaults, struct channel *out,
			 char **cause);
/** The channel with row id; *found = 0 (and *out empty) if none. */
int store_channel_get(struct store *s, int64_t id, struct channel *out,
		      int *found, char **cause);
/** The channel with platform key; *found = 0 (and *out empty) if none. */
int store_channel_find(struct store *s, const char *key, struct channel *out,
		       int *found, char **cause);
/** Save the settings of c (matched by c->id): name, locale, zone, etc. */
int store_channel_update(struct store *s, const struct channel *c,
			 char **cause);

/*
 * Members: the roster (who is expected to report and attend) and leave.
 * A member row may exist for someone not on the roster (e.g. they set
 * themselves away); user names are stored without the '@'.
 */
struct member {
	int64_t channel_id;
	char *user_name;
	int on_roster;
	char *away_until; /* "YYYY-MM-DD" inclusive, or NULL */
};
void member_list_free(struct member *m, size_t n);

/** Put user on the roster; *added = 0 if already there. */
int store_roster_add(struct store *s, int64_t channel_id, const char *user,
		     int *added, char **cause);
/** Take user off the roster; *removed = 0 if not there. */
int store_roster_remove(struct store *s, int64_t channel_id, const char *user,
			int *removed, char **cause);
/**
 * List the channel's members ordered by user name; roster_only limits it to
 * those on the roster. *out is allocated (free with member_list_free).
 */
int store_member_list(struct store *s, int64_t channel_id, int roster_only,
		      struct member **out, size_t *n, char **cause);
/** Set (until = "YYYY-MM-DD") or clear (until = NULL) user's leave. */
int store_member_set_away(struct store *s, int64_t channel_id, const char *user,
			  const char *until, char **cause);

/*
 * Cycles: one per meeting occurrence. Reports, metrics and topics belong
 * to a cycle.
 */
struct cycle {
	int64_t id;
	int64_t channel_id;
	int64_t starts_at; /* UTC epoch seconds */
	int length;	   /* minutes */
};
/** Find the cycle of channel starting at starts_at, creating it. */
int store_cycle_ensure(struct store *s, int64_t channel_id, int64_t starts_at,
		       int length, struct cycle *out, char **cause);
/**
 * The latest cycle of channel that starts before starts_at; *found = 0 when
 * there is none.
 */
int store_cycle_previous(struct store *s, int64_t channel_id, int64_t starts_at,
			 struct cycle *out, int *found, char **cause);

/**
 * Move everything of cycle from (reports, metrics, topics) to cycle to and
 * delete cycle from, all or nothing: a meeting that moved (a new time
 * zone or schedule) keeps what was prepared for it. A metric to already
 * has for the same user wins over the moved one.
 */
int store_cycle_move(struct store *s, int64_t from, int64_t to, char **cause);

/*
 * Report items: one line of a member's report in one section (done, plan,
 * blocker, need; metrics have their own table).
 */
struct report_item {
	int64_t id;
	int64_t cycle_id;
	char *user_name;
	int section; /* enum section_kind, never SECTION_METRIC */
	char *text;
	char *helpers; /* blockers: "alice bob" who can help, or NULL */
	int64_t created_at;
};
void report_item_list_free(struct report_item *items, size_t n);

int store_report_add(struct store *s, int64_t cycle_id, const char *user,
		     int section, const char *text, const char *helpers,
		     int64_t now, int64_t *id, char **cause);
/**
 * One user's items in a cycle, ordered by section then id: this order
 * gives the numbers /report show prints and /report edit|clear N use.
 */
int store_report_list_user(struct store *s, int64_t cycle_id, const char *user,
			   struct report_item **out, size_t *n, char **cause);
/** Every item of a cycle, ordered by first report time of the user, then
 *  section, then id. */
int store_report_list_cycle(struct store *s, int64_t cycle_id,
			    struct report_item **out, size_t *n, char **cause);
int store_report_update(struct store *s, int64_t id, const char *text,
			const char *helpers, char **cause);
int store_report_delete(struct store *s, int64_t id, char **cause);
/** Delete all of user's items and metrics in the cycle. */
int store_report_clear_user(struct store *s, int64_t cycle_id, const char *user,
			    char **cause);
/** How many items and metrics user has in the cycle. */
int store_report_count_user(struct store *s, int64_t cycle_id, const char *user,
			    int64_t *count, char **cause);
/** Names of users with at least one item or metric in the cycle, sorted;
 *  *out is an allocated array of allocated strings. */
int store_report_users(struct store *s, int64_t cycle_id, char ***out,
		       size_t *n, char **cause);
void string_list_free(char **list, size_t n);

/*
 * Metrics: one value per (cycle, user, name); setting it again replaces it.
 */
struct metric {
	int64_t id;
	int64_t cycle_id;
	char *user_name;
	char *name;
	double value;
	char *unit; /* "" none, "%" percent, or a short unit such as "ms" */
};
void metric_list_free(struct metric *m, size_t n);

int store_metric_set(struct store *s, int64_t cycle_id, const char *user,
		     const char *name, double value, const char *unit,
		     int64_t now, char **cause);
/** One user's metrics in the cycle ordered by id. */
int store_metric_list_user(struct store *s, int64_t cycle_id, const char *user,
			   struct metric **out, size_t *n, char **cause);
/** All metrics of the cycle ordered by name, then user. */
int store_metric_list_cycle(struct store *s, int64_t cycle_id,
			    struct metric **out, size_t *n, char **cause);
int store_metric_delete(struct store *s, int64_t id, char **cause);

/*
 * Agenda topics queued for a cycle, in the order they were added.
 */
struct topic {
	int64_t id;
	int64_t cycle_id;
	char *title;
	char *owner; /* user name or NULL */
	int minutes;
	char *added_by;
};
void topic_list_free(struct topic *t, size_t n);

int store_topic_add(struct store *s, int64_t cycle_id, const char *title,
		    const char *owner, int minutes, const char *added_by,
		    int64_t now, int64_t *id, char **cause);
/** How many topics are queued for the cycle. */
int store_topic_count(struct store *s, int64_t cycle_id, int64_t *count,
		      char **cause);
int store_topic_list(struct store *s, int64_t cycle_id, struct topic **out,
		     size_t *n, char **cause);
int store_topic_delete(struct store *s, int64_t id, char **cause);

/*
 * Outbox: every post lihui makes is stored here first and leaves it only
 * when the platform accepted it (architecture invariant 4).
 */
enum outbox_kind {
	OUTBOX_CHANNEL,	  /* a post in channel_key */
	OUTBOX_EPHEMERAL, /* seen only by user in channel_key */
	OUTBOX_DIRECT,	  /* a direct message to user */
	OUTBOX_EDIT,	  /* new text for the post another row made */
	OUTBOX_REACTION,  /* text: an emoji name to put on post_id */
};
enum outbox_state { OUTBOX_PENDING, OUTBOX_SENT, OUTBOX_FAILED };

struct outbox_msg {
	int64_t id;
	int kind;	   /* enum outbox_kind */
	char *channel_key; /* where (the DM's origin channel for DIRECT) */
	char *user;	   /* EPHEMERAL / DIRECT: the user; else NULL */
	char *text;
	int attempts;
	int64_t next_attempt_at;
	int state; /* enum outbox_state */
	/*
	 * EDIT: the platform's id of the post to change, NULL when the row
	 * that made it failed (the edit cannot be made); REACTION: the post
	 * to react to. NULL for the other kinds.
	 */
	char *post_id;
};
void outbox_msg_list_free(struct outbox_msg *m, size_t n);

/** A post of kind CHANNEL, EPHEMERAL (user set) or DIRECT (user set). */
int store_outbox_add(struct store *s, int kind, const char *channel_key,
		     const char *user, const char *text, int64_t now,
		     int64_t *id, char **cause);
/**
 * Replace the text of the post that row ref (a CHANNEL or DIRECT post)
 * made. The edit is due once ref is no longer pending; edits of one
 * channel's posts leave in the order they were queued.
 */
int store_outbox_add_edit(struct store *s, int64_t ref, const char *text,
			  int64_t now, int64_t *id, char **cause);
/** Put emoji (a name, without colons) on the platform's post post_id. */
int store_outbox_add_reaction(struct store *s, const char *channel_key,
			      const char *post_id, const char *emoji,
			      int64_t now, int64_t *id, char **cause);
/**
 * Up to limit pending messages due at now, oldest first. A message is due
 * only when no older message to the same destination (kind, channel and
 * user) is still pending, so each destination gets its posts in order.
 * With batching on, only messages of durable batches are due.
 */
int store_outbox_due(struct store *s, int64_t now, size_t limit,
		     struct outbox_msg **out, size_t *n, char **cause);
/** Every message in any state with id > after_id, oldest first (tests). */
int store_outbox_since(struct store *s, int64_t after_id,
		       struct outbox_msg **out, size_t *n, char **cause);
int store_outbox_mark_sent(struct store *s, int64_t id, const char *post_id,
			   int64_t now, char **cause);
int store_outbox_mark_failed(struct store *s, int64_t id, const char *reason,
			     char **cause);
/** Count one more attempt and defer the message to next_at. */
int store_outbox_retry(struct store *s, int64_t id, int64_t next_at,
		       char **cause);
/** Number of pending messages, and the earliest next_attempt_at among them
 *  (0 when none). */
int store_outbox_backlog(struct store *s, int64_t *pending, int64_t *earliest,
			 char **cause);

/*
 * Meetings (issue 4): at most one running meeting per channel; its log
 * (every line said and every item recorded), corrections of attendance,
 * the action items, and the members' ratings. User names are stored
 * without the '@', as everywhere in the store.
 */
enum meeting_state { MEETING_RUNNING, MEETING_ENDED, MEETING_CANCELLED };

struct meeting {
	int64_t id;
	int64_t channel_id;
	char *title;
	char *chair;	      /* who started it (user name) */
	int state;	      /* enum meeting_state */
	int64_t started_at;   /* UTC epoch seconds */
	int64_t ended_at;     /* 0 while running */
	int auto_closed;      /* ended by lihui after the time limit */
	int next_topic;	      /* agenda topics already taken by /meeting next */
	int64_t minutes_post; /* outbox row of the minutes' first part; 0 */
	int amended;	      /* the minutes were amended after the end */
};
void meeting_release(struct meeting *m);
void meeting_list_free(struct meeting *m, size_t n);

/**
 * Start a meeting in channel_id; -1 with a cause containing "already
 * running" when one runs there (a partial unique index enforces it).
 * *out (when not NULL) is the new meeting, to release.
 */
int store_meeting_start(struct store *s, int64_t channel_id, const char *title,
			const char *chair, int64_t now, struct meeting *out,
			char **cause);
/** Whether any channel holds a running meeting (one cheap lookup). */
int store_meeting_any_running(struct store *s, int *any, char **cause);
/** The running meeting of channel_id; *found = 0 when there is none. */
int store_meeting_running(struct store *s, int64_t channel_id,
			  struct meeting *out, int *found, char **cause);
/** Meeting id (any state); *found = 0 when there is no such meeting. */
int store_meeting_get(struct store *s, int64_t id, struct meeting *out,
		      int *found, char **cause);
/** The channel's latest ended meeting; *found = 0 when none. */
int store_meeting_last_ended(struct store *s, int64_t channel_id,
			     struct meeting *out, int *found, char **cause);
/**
 * End (state ENDED, ended_at = now) or cancel (CANCELLED) a running
 * meeting; a meeting that is not running is an error.
 */
int store_meeting_end(struct store *s, int64_t id, int64_t now, int auto_closed,
		      char **cause);
int store_meeting_cancel(struct store *s, int64_t id, int64_t now,
			 char **cause);
/** Running meetings started at or before started_before (to end them),
 *  oldest first. */
int store_meeting_stale(struct store *s, int64_t started_before,
			struct meeting **out, size_t *n, char **cause);
/**
 * Record the minutes' post (outbox row) and the Markdown posted; this
 * also makes the meeting's Markdown copy due (store_minutes_file_due).
 */
int store_meeting_set_minutes(struct store *s, int64_t id, int64_t post,
			      const char *markdown, char **cause);
/**
 * The Markdown of the minutes last recorded, allocated (caller frees);
 * NULL (no error) if none. No such meeting is an error.
 */
int store_meeting_minutes(struct store *s, int64_t id, char **markdown,
			  char **cause);
int store_meeting_set_next_topic(struct store *s, int64_t id, int next_topic,
				 char **cause);
int store_meeting_set_amended(struct store *s, int64_t id, char **cause);
/**
 * The outbox rows carrying the minutes of meeting id, one per part in
 * order: set replaces them all; get allocates *ids (caller frees; NULL
 * and *n = 0 when none).
 */
int store_meeting_set_minutes_posts(struct store *s, int64_t id,
				    const int64_t *ids, size_t n, char **cause);
int store_meeting_minutes_posts(struct store *s, int64_t id, int64_t **ids,
				size_t *n, char **cause);

/*
 * The Markdown copy of a meeting's minutes in minutes_dir (minutes-file.h):
 * each store_meeting_set_minutes() makes it due again, and the daemon
 * writes due copies off the loop. A copy is due while the count of
 * recordings (rev) is above the count its file was last written for.
 */
struct minutes_file_due {
	int64_t meeting_id;
	int64_t rev; /* pass to store_minutes_file_done() once written */
};
/** Make meeting id's copy due again without recording new minutes. */
int store_minutes_file_mark(struct store *s, int64_t id, char **cause);
/**
 * Up to limit meetings whose copy is due, by id; *out is allocated
 * (caller frees with free()), NULL when none.
 */
int store_minutes_file_due(struct store *s, size_t limit,
			   struct minutes_file_due **out, size_t *n,
			   char **cause);
/**
 * The copy of meeting id was written for rev: it is no longer due unless
 * the minutes were recorded again since rev was read.
 */
int store_minutes_file_done(struct store *s, int64_t id, int64_t rev,
			    char **cause);

/* One entry of a meeting's log (kind: enum meeting_item_kind). */
struct meeting_item {
	int64_t id;
	int64_t meeting_id;
	int kind;
	char *user_name;
	char *text;
	int64_t at;
	char *post_id;	   /* the chat post it came from, or NULL */
	int64_t action_id; /* MEETING_ACTION: its action item; else 0 */
};
void meeting_item_list_free(struct meeting_item *m, size_t n);
void meeting_item_release(struct meeting_item *m);

/**
 * Add an entry to the log. action_id is required (the action item added
 * first, see store_action_add) for MEETING_ACTION and must be 0 for any
 * other kind.
 */
int store_meeting_item_add(struct store *s, int64_t meeting_id, int kind,
			   const char *user_name, const char *text, int64_t at,
			   const char *post_id, int64_t action_id, int64_t *id,
			   char **cause);
/** The log in order (removed items left out). */
int store_meeting_item_list(struct store *s, int64_t meeting_id,
			    struct meeting_item **out, size_t *n, char **cause);
/**
 * The newest item that is not a MEETING_LINE nor removed, by user_name
 * (NULL: by anyone); *found = 0 when none. For /meeting undo; release
 * *out with meeting_item_release().
 */
int store_meeting_item_last(struct store *s, int64_t meeting_id,
			    const char *user_name, struct meeting_item *out,
			    int *found, char **cause);
/**
 * Remove item id from the log (undo); its action item is deleted too, all
 * or nothing. An item already removed is an error.
 */
int store_meeting_item_remove(struct store *s, int64_t id, char **cause);

/*
 * Lines said per user during a meeting (all kinds, removed ones too: an
 * undone item was still said), most first, then by name.
 */
struct meeting_speaker {
	char *user_name;
	int lines;
};
void meeting_speaker_list_free(struct meeting_speaker *m, size_t n);
int store_meeting_speakers(struct store *s, int64_t meeting_id,
			   struct meeting_speaker **out, size_t *n,
			   char **cause);

/* /meeting present|absent corrections: the last one per user wins. */
int store_meeting_mark(struct store *s, int64_t meeting_id,
		       const char *user_name, int present, char **cause);
struct meeting_mark {
	char *user_name;
	int present; /* 1 or 0 */
};
void meeting_mark_list_free(struct meeting_mark *m, size_t n);
/** The marks of a meeting, by user name. */
int store_meeting_marks(struct store *s, int64_t meeting_id,
			struct meeting_mark **out, size_t *n, char **cause);

/*
 * Action items. Their ids are the numbers members use (/action done N),
 * so they are never reused, even after an undo deleted one.
 */
enum action_state { ACTION_OPEN, ACTION_DONE, ACTION_DROPPED };

struct action_item {
	int64_t id;
	int64_t channel_id;
	int64_t meeting_id; /* 0: added outside a meeting */
	char *owner;	    /* user name; NULL: unassigned */
	char *owner_id;	    /* the platform's user id, or NULL */
	char *text;
	char *due; /* "YYYY-MM-DD", or NULL */
	int state; /* enum action_state */
	char *created_by;
	int64_t created_at;
	int64_t closed_at; /* 0 while open */
	char *note;	   /* why it was closed, or NULL */
};
void action_item_release(struct action_item *a);
void action_item_list_free(struct action_item *a, size_t n);

/**
 * Add an open action item; meeting_id 0 for none, else a meeting of
 * channel_id. due is "YYYY-MM-DD" or NULL; owner_id is kept only with an
 * owner.
 */
int store_action_add(struct store *s, int64_t channel_id, int64_t meeting_id,
		     const char *owner, const char *owner_id, const char *text,
		     const char *due, const char *created_by, int64_t now,
		     int64_t *id, char **cause);
/** Action item id of channel_id; *found = 0 when none there. */
int store_action_get(struct store *s, int64_t channel_id, int64_t id,
		     struct action_item *out, int *found, char **cause);
/** The items a meeting created, in id order. */
int store_action_list_meeting(struct store *s, int64_t meeting_id,
			      struct action_item **out, size_t *n,
			      char **cause);
/**
 * The channel's items in id order: states is a bit set (1u << state),
 * other bits are an error; owner (user name) narrows it when not NULL.
 */
int store_action_list(struct store *s, int64_t channel_id, unsigned states,
		      const char *owner, struct action_item **out, size_t *n,
		      char **cause);
/**
 * Close (DONE or DROPPED, with a note or NULL; closed_at = now) or reopen
 * (OPEN: closed_at and note cleared) item id.
 */
int store_action_set_state(struct store *s, int64_t id, int state,
			   const char *note, int64_t now, char **cause);
/** Set (due = "YYYY-MM-DD") or clear (NULL) the deadline of item id. */
int store_action_set_due(struct store *s, int64_t id, const char *due,
			 char **cause);
/** Assign item id (owner NULL: unassigned, owner_id then ignored). */
int store_action_set_owner(struct store *s, int64_t id, const char *owner,
			   const char *owner_id, char **cause);

/*
 * Scheduled jobs: one row per channel and kind ("agenda", "actions"),
 * due when it next runs (UTC epoch seconds). See src/jobs.c.
 */
#define JOB_KIND_MAX 15

struct job {
	int64_t id;
	int64_t channel_id;
	char kind[JOB_KIND_MAX + 1];
	int64_t due;
	int64_t last_run; /* the due time of the previous run; 0: none */
};

/** Plan the channel's job of kind at due (insert, or move its due). */
int store_job_set(struct store *s, int64_t channel_id, const char *kind,
		  int64_t due, char **cause);
/** The channel's job of kind; *found = 0 when it has none. */
int store_job_find(struct store *s, int64_t channel_id, const char *kind,
		   struct job *out, int *found, char **cause);
/** How many jobs the channel has. */
int store_job_count_channel(struct store *s, int64_t channel_id, int *n,
			    char **cause);
/** The earliest due time of any job; *found = 0 when there are none. */
int store_job_next(struct store *s, int64_t *due, int *found, char **cause);
/** Up to limit jobs due at or before now, earliest first. *out: free(). */
int store_job_due(struct store *s, int64_t now, size_t limit, struct job **out,
		  size_t *n, char **cause);
/**
 * Record that job id ran for its due time ran (it becomes last_run) and
 * plan it at next. Fails (nothing changed) when the job's due time is no
 * longer ran: someone else ran or moved it.
 */
int store_job_done(struct store *s, int64_t id, int64_t ran, int64_t next,
		   char **cause);

/*
 * A channel's meeting schedule (src/schedule.c): the canonical text of
 * its rule (recur.h) and its skipped dates ("YYYY-MM-DD,..."), and its
 * own times for the scheduled posts. A channel without a rule meets
 * weekly on its meeting_wday at meeting_minute; a time it has not set
 * (NULL) is the configuration's.
 */
struct store_schedule {
	char *rule;	   /* canonical rule text, or NULL */
	char *skips;	   /* "YYYY-MM-DD,...", or NULL */
	char *window_open; /* an offset, "off", or NULL */
	char *remind_at;   /* offsets "a, b", "off", or NULL */
	char *agenda_at;   /* an offset, or NULL */
};
void store_schedule_release(struct store_schedule *row);

enum store_schedule_time {
	STORE_SCHEDULE_WINDOW,
	STORE_SCHEDULE_REMIND,
	STORE_SCHEDULE_AGENDA,
};

/** The channel's row (every field NULL, *found = 0, when it has none). */
int store_schedule_get(struct store *s, int64_t channel_id,
		       struct store_schedule *out, int *found, char **cause);
/** Set the channel's rule text (NULL: back to weekly) and skips. */
int store_schedule_set(struct store *s, int64_t channel_id, const char *rule,
		       const char *skips, char **cause);
/** Set one of the channel's times (text NULL: the configuration's). */
int store_schedule_set_time(struct store *s, int64_t channel_id,
			    enum store_schedule_time which, const char *text,
			    char **cause);

/* Ratings of a meeting, 1 to 5, one per member (a second one replaces). */
int store_rating_set(struct store *s, int64_t meeting_id, const char *user,
		     int rating, int64_t now, char **cause);
/** Number of ratings and their average (0 when none). */
int store_rating_summary(struct store *s, int64_t meeting_id, int *count,
			 double *average, char **cause);

#endif
