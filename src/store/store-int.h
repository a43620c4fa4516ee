/* SPDX-License-Identifier: MIT */
/*
 * store-int.h: private to src/store/. The struct store behind the opaque
 * handle in lihui/store.h, the ids of the cached statements, and the small
 * helpers every table-group file uses to prepare, bind, step and copy rows
 * out.
 *
 * Adding a query: add an id to enum store_stmt_id in its file's group, then
 * call store_stmt(s, STMT_X, "SQL", cause) at the one place that runs it.
 * An id belongs to exactly one SQL literal; store_stmt() aborts if it sees
 * the same id with another.
 */
#ifndef LIHUI_STORE_INT_H
#define LIHUI_STORE_INT_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "lihui/store.h"

enum store_stmt_id {
	/* store.c */
	STMT_BEGIN,
	STMT_COMMIT,
	STMT_ROLLBACK,
	STMT_SAVEPOINT,
	STMT_RELEASE,
	STMT_ROLLBACK_TO,
	STMT_UNIT_SAVEPOINT,
	STMT_UNIT_RELEASE,
	STMT_UNIT_ROLLBACK_TO,
	/* store-channel.c */
	STMT_CHANNEL_GET,
	STMT_CHANNEL_BY_ID,
	STMT_CHANNEL_ADD,
	STMT_CHANNEL_UPDATE,
	/* store-member.c */
	STMT_ROSTER_ADD,
	STMT_ROSTER_REMOVE,
	STMT_MEMBER_PRUNE,
	STMT_MEMBER_LIST,
	STMT_MEMBER_AWAY_SET,
	STMT_MEMBER_AWAY_CLEAR,
	/* store-cycle.c */
	STMT_CYCLE_GET,
	STMT_CYCLE_ADD,
	STMT_CYCLE_PREVIOUS,
	STMT_CYCLE_MOVE_REPORTS,
	STMT_CYCLE_MOVE_METRICS,
	STMT_CYCLE_MOVE_TOPICS,
	STMT_CYCLE_DELETE,
	/* store-report.c */
	STMT_REPORT_ADD,
	STMT_REPORT_LIST_USER,
	STMT_REPORT_LIST_CYCLE,
	STMT_REPORT_UPDATE,
	STMT_REPORT_DELETE,
	STMT_REPORT_CLEAR_USER,
	STMT_REPORT_USERS,
	STMT_REPORT_COUNT_USER,
	STMT_TOPIC_COUNT,
	STMT_METRIC_SET,
	STMT_METRIC_LIST_USER,
	STMT_METRIC_LIST_CYCLE,
	STMT_METRIC_DELETE,
	STMT_METRIC_CLEAR_USER,
	/* store-topic.c */
	STMT_TOPIC_ADD,
	STMT_TOPIC_LIST,
	STMT_TOPIC_DELETE,
	/* store-outbox.c */
	STMT_OUTBOX_ADD,
	STMT_OUTBOX_DUE,
	STMT_OUTBOX_SINCE,
	STMT_OUTBOX_SENT,
	STMT_OUTBOX_FAILED,
	STMT_OUTBOX_RETRY,
	STMT_OUTBOX_BACKLOG,
	STMT_OUTBOX_LAST,
	STMT_OUTBOX_ADD_EDIT,
	STMT_OUTBOX_ADD_REACTION,
	/* store-meeting.c */
	STMT_MEETING_START,
	STMT_MEETING_RUNNING,
	STMT_MEETING_ANY_RUNNING,
	STMT_MEETING_GET,
	STMT_MEETING_LAST_ENDED,
	STMT_MEETING_END,
	STMT_MEETING_STALE,
	STMT_MEETING_SET_MINUTES,
	STMT_MEETING_MINUTES,
	STMT_MEETING_SET_NEXT_TOPIC,
	STMT_MEETING_SET_AMENDED,
	STMT_MEETING_POSTS_CLEAR,
	STMT_MEETING_POSTS_ADD,
	STMT_MEETING_POSTS,
	STMT_SCHEDULE_GET,
	STMT_SCHEDULE_SET,
	STMT_SCHEDULE_SET_WINDOW,
	STMT_SCHEDULE_SET_REMIND,
	STMT_SCHEDULE_SET_AGENDA,
	STMT_JOB_SET,
	STMT_JOB_FIND,
	STMT_JOB_NEXT,
	STMT_JOB_DUE,
	STMT_JOB_DONE,
	STMT_JOB_COUNT_CHANNEL,
	STMT_MEETING_FILE_MARK,
	STMT_MEETING_FILE_DUE,
	STMT_MEETING_FILE_DONE,
	STMT_MEETING_ITEM_ADD,
	STMT_MEETING_ITEM_LIST,
	STMT_MEETING_ITEM_LAST,
	STMT_MEETING_ITEM_REMOVE,
	STMT_MEETING_ITEM_ACTION_DELETE,
	STMT_MEETING_SPEAKERS,
	STMT_MEETING_MARK,
	STMT_MEETING_MARKS,
	STMT_RATING_SET,
	STMT_RATING_SUMMARY,
	/* store-action.c */
	STMT_ACTION_ADD,
	STMT_ACTION_GET,
	STMT_ACTION_LIST_MEETING,
	STMT_ACTION_LIST,
	STMT_ACTION_SET_STATE,
	STMT_ACTION_SET_DUE,
	STMT_ACTION_SET_OWNER,

	STMT_COUNT
};

struct store {
	sqlite3 *db;
	char *path;
	int version;  /* user_version after the migrations at open */
	int batching; /* group commit: units are savepoints (store.h) */
	/*
	 * Durability of batches (store.h, "Group commit"): the number of
	 * batches committed and of those known to be on disk, the newest
	 * outbox row of each, and the WAL file's descriptor for syncing it
	 * (-1 until first needed; -2 when it cannot be had, see
	 * store_sync_begin).
	 */
	uint64_t written;
	uint64_t durable;
	uint64_t syncing; /* the batch a sync in progress covers; 0: none */
	int64_t written_outbox;
	int64_t syncing_outbox;
	int64_t durable_outbox;
	int wal_fd;
	/* Batching on a file: the WAL's pages after the last commit (its
	 * hook), checkpointed off the loop (store_checkpointer). */
	int wal_pages;
	/* The statement cache: stmt[id] was prepared from sql[id]. */
	sqlite3_stmt *stmt[STMT_COUNT];
	const char *sql[STMT_COUNT];
};

/**
 * The cached statement id, prepared from sql on first use and reset, ready
 * for binding. The store keeps it; callers bind every parameter, step, and
 * sqlite3_reset() it before they return. NULL (with *cause) on failure.
 */
sqlite3_stmt *store_stmt(struct store *s, enum store_stmt_id id,
			 const char *sql, char **cause);
/**
 * Fail a call: set *cause to "<what>: <sqlite3_errmsg>", reset st (when
 * non-NULL) and return -1.
 */
int store_fail(struct store *s, sqlite3_stmt *st, const char *what,
	       char **cause);
/** Run the cached statement id, which takes no parameters and no rows. */
int store_exec(struct store *s, enum store_stmt_id id, const char *sql,
	       const char *what, char **cause);

/**
 * Run the cached statement id, which deletes the row whose id is ?1 = row;
 * no such row is an error ("<what> <row>: no such row").
 */
int store_delete_row(struct store *s, enum store_stmt_id id, const char *sql,
		     int64_t row, const char *what, char **cause);

/*
 * Make a call that runs several statements all-or-nothing, inside or
 * outside store_begin(): store_atomic_begin() opens a savepoint, and
 * store_atomic_end(s, rc, ...) releases it when rc is 0 or rolls back to
 * it otherwise. store_atomic_end() returns rc, or -1 if the release fails.
 */
int store_atomic_begin(struct store *s, const char *what, char **cause);
int store_atomic_end(struct store *s, int rc, const char *what, char **cause);

/** Bind text, or NULL when v is NULL (copied: SQLITE_TRANSIENT). */
int store_bind_text(sqlite3_stmt *st, int i, const char *v);
/** Copy column col of the current row; NULL for SQL NULL. Caller frees. */
char *store_column_dup(sqlite3_stmt *st, int col);
/**
 * Make room for element n of the array a whose capacity is *cap elements
 * of size bytes each; returns the (possibly moved) array.
 */
void *store_grow(void *a, size_t n, size_t *cap, size_t size);

/**
 * Run the cached statement id, whose one row's first column is a count,
 * after bind_rc (the result of binding its parameters) is SQLITE_OK.
 */
int store_count(struct store *s, sqlite3_stmt *st, int bind_rc, int64_t *count,
		const char *what, char **cause);

/* How store_list() reads the rows of one kind of list. */
struct store_rows {
	size_t size;				   /* bytes per row struct */
	void (*read)(sqlite3_stmt *st, void *row); /* fill row from st */
	void (*release)(void *list, size_t n);	   /* the list's free */
	const char *what;			   /* "cannot list topics" */
};

/**
 * Step st to the end, reading each row into a new array of how->size
 * elements: *out (caller frees with how->release) and *n. bind_rc is the
 * result of binding st's parameters: anything but SQLITE_OK fails the
 * call. On failure *out is NULL, *n 0, st reset and -1 returned.
 */
int store_list(struct store *s, sqlite3_stmt *st, int bind_rc,
	       const struct store_rows *how, void **out, size_t *n,
	       char **cause);

#endif
