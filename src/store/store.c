/* SPDX-License-Identifier: MIT */
/*
 * store.c: open and close lihui's SQLite database, migrate its schema, run
 * transactions and keep the statement cache. The queries themselves live in
 * one file per table group (store-channel.c, store-report.c, ...).
 *
 * Connection. One connection, used from one thread: the loop thread. It is
 * opened with SQLITE_OPEN_NOMUTEX and nothing in the store is shared or
 * global. A file database runs in WAL mode with synchronous=NORMAL: a commit
 * appends to the WAL without an fsync, so it survives a crash of the
 * process, and a power loss can lose the last commits but not corrupt the
 * file. foreign_keys is on (deleting a channel deletes its members, cycles,
 * jobs, meetings and action items; deleting a cycle its reports, metrics
 * and topics; deleting a meeting its log, marks and ratings). A file uses
 * SQLite's normal locking (with a -shm file): other connections may read
 * it while lihui runs (lihui export, a backup, a sqlite3 shell), and the
 * committer's checkpointer (below) copies the WAL into the file from a
 * worker thread. With group commit lihui takes the write lock once per
 * batch, not per command. busy_timeout covers another connection holding
 * the lock for a moment. ":memory:" skips the file settings.
 *
 * Speed. A report command (ensure channel, ensure cycle, add an item, queue
 * a reply, in one transaction) changes about five pages, and WAL writes each
 * whole at commit; that I/O, not SQL, bounds the commands per second. So a
 * new file gets 1 KiB pages rather than 4 KiB (existing files keep theirs),
 * and a checkpoint runs every 4 MiB of WAL: SQLite's own, inside a commit,
 * when lihui does not batch; with batching (the daemon) the store leaves
 * them to a store_checkpointer on a worker thread, since their two fsyncs
 * would stall the loop for tens of milliseconds (tests/bench/RESULTS.md,
 * issue 5).
 *
 * Migrations. The schema is migrations[] below: migrations[i] takes
 * PRAGMA user_version from i to i + 1, and store_latest_version() is the
 * number of entries. At open, every missing migration runs in one
 * BEGIN IMMEDIATE transaction together with the user_version update, so a
 * failure leaves the database at its old version. A database whose version
 * is newer than the one asked for (normally this build's latest) is refused
 * rather than guessed at. Never edit a migration that has been released;
 * append a new one, even to fix a mistake in an old one.
 *
 * Statement cache. Each query has an id (enum store_stmt_id in
 * store-int.h) and its SQL at the single call site that runs it.
 * store_stmt() prepares it on first use with SQLITE_PREPARE_PERSISTENT and
 * hands it out reset; the caller binds every parameter, steps, and resets it
 * before returning, so no statement keeps a read snapshot open between calls
 * (which would pin the WAL and block checkpoints). store_close() finalizes
 * them all. A hot command therefore costs no parsing or planning after its
 * first run.
 *
 * Transactions. store_begin() is BEGIN IMMEDIATE: it takes the write lock up
 * front, so a command cannot fail half-way on a lock upgrade. A call made
 * outside store_begin() commits by itself; the few calls that run more than
 * one statement wrap them in a savepoint (store_atomic_begin/end) so they are
 * all-or-nothing inside or outside a transaction. If store_commit() fails,
 * the transaction is still open (or already rolled back by SQLite): call
 * store_rollback(), which is a no-op when nothing is open.
 *
 * Group commit. The daemon turns batching on (store_set_batching): then
 * store_begin() opens the outer transaction if none is open and a
 * savepoint "unit" inside it, store_commit() releases the savepoint and
 * store_rollback() rolls back to it, so each command stays atomic and an
 * error undoes only that command. store_flush(), called once per loop
 * round (commit.c), commits the whole batch without an fsync
 * (synchronous=NORMAL). Batches are numbered: s->written counts the
 * commits, s->durable the ones known to be on disk. commit.c fdatasync()s
 * the WAL file on libuv's thread pool (store_sync_begin/end), so the loop
 * never waits for the disk and one sync covers every batch committed
 * while the previous one ran. The outbox's rows are gated on it: at each
 * flush the newest outbox id is noted, and store_outbox_due() hands out
 * rows only up to the newest id of a durable batch (outbox ids only grow:
 * rows are never deleted, so a rolled-back id is never reused below it).
 * A WAL file that cannot be opened falls back to synchronous=FULL, one
 * fsync inside each commit.
 *
 * Errors. Every sqlite3 failure becomes -1 with a cause such as
 * "cannot add report: FOREIGN KEY constraint failed". Allocation failure in
 * our own code is fatal (xmalloc.h); SQLite's own is an ordinary error.
 *
 * Adding a table or column: append a migration here, add the statement ids
 * to store-int.h and the functions to the table group's file and store.h,
 * and extend tests/unit/store/.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lihui/log.h"
#include "lihui/store.h"
#include "lihui/xmalloc.h"

#include "store-int.h"

/* How long a statement waits for another connection's lock, in ms. */
#define STORE_BUSY_TIMEOUT 5000
/* Page size of a new database file, in bytes; see store_configure(). */
#define STORE_PAGE_SIZE "1024"
/*
 * The page cache, in KiB (negative: a size, not a page count). SQLite's
 * default of 2 MiB was the largest single item of the daemon's memory
 * (tests/bench/bench-mm); lihui's hot pages (the newest rows of the
 * outbox and of the current cycle) fit in far less, and the rest comes
 * from the kernel's page cache at the cost of a pread.
 */
#define STORE_CACHE_KIB "-512"
/*
 * WAL pages after which a commit checkpoints (4 MiB at STORE_PAGE_SIZE,
 * what SQLite's default 1000 is at 4 KiB pages): each checkpoint costs two
 * fsyncs on the loop thread, so not too often.
 */
#define STORE_CHECKPOINT_PAGES 4000
#define STORE_STR(x)	       #x
#define STORE_XSTR(x)	       STORE_STR(x)
#define STORE_CHECKPOINT       STORE_XSTR(STORE_CHECKPOINT_PAGES)

static const char *const migrations[] = {
	/*
	 * 1: the tables. Times are UTC epoch seconds; enums are integers
	 * (enum section_kind, outbox_kind, outbox_state in store.h).
	 */
	"CREATE TABLE channels ("
	"  id INTEGER PRIMARY KEY,"
	"  key TEXT NOT NULL UNIQUE,"
	"  name TEXT NOT NULL,"
	"  locale TEXT NOT NULL,"
	"  timezone TEXT NOT NULL,"
	"  sections INTEGER NOT NULL,"
	"  meeting_wday INTEGER NOT NULL,"
	"  meeting_minute INTEGER NOT NULL,"
	"  meeting_length INTEGER NOT NULL,"
	"  created_at INTEGER NOT NULL"
	");"
	"CREATE TABLE members ("
	"  channel_id INTEGER NOT NULL"
	"    REFERENCES channels (id) ON DELETE CASCADE,"
	"  user_name TEXT NOT NULL,"
	"  on_roster INTEGER NOT NULL DEFAULT 0,"
	"  away_until TEXT,"
	"  PRIMARY KEY (channel_id, user_name)"
	") WITHOUT ROWID;"
	"CREATE TABLE cycles ("
	"  id INTEGER PRIMARY KEY,"
	"  channel_id INTEGER NOT NULL"
	"    REFERENCES channels (id) ON DELETE CASCADE,"
	"  starts_at INTEGER NOT NULL,"
	"  length INTEGER NOT NULL,"
	"  UNIQUE (channel_id, starts_at)"
	");"
	"CREATE TABLE reports ("
	"  id INTEGER PRIMARY KEY,"
	"  cycle_id INTEGER NOT NULL"
	"    REFERENCES cycles (id) ON DELETE CASCADE,"
	"  user_name TEXT NOT NULL,"
	"  section INTEGER NOT NULL,"
	"  text TEXT NOT NULL,"
	"  helpers TEXT,"
	"  created_at INTEGER NOT NULL"
	");"
	"CREATE TABLE metrics ("
	"  id INTEGER PRIMARY KEY,"
	"  cycle_id INTEGER NOT NULL"
	"    REFERENCES cycles (id) ON DELETE CASCADE,"
	"  user_name TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  value REAL NOT NULL,"
	"  unit TEXT NOT NULL DEFAULT '',"
	"  created_at INTEGER NOT NULL,"
	"  UNIQUE (cycle_id, user_name, name)"
	");"
	"CREATE TABLE agenda_topics ("
	"  id INTEGER PRIMARY KEY,"
	"  cycle_id INTEGER NOT NULL"
	"    REFERENCES cycles (id) ON DELETE CASCADE,"
	"  title TEXT NOT NULL,"
	"  owner TEXT,"
	"  minutes INTEGER NOT NULL,"
	"  added_by TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL"
	");"
	"CREATE TABLE jobs ("
	"  id INTEGER PRIMARY KEY,"
	"  channel_id INTEGER"
	"    REFERENCES channels (id) ON DELETE CASCADE,"
	"  kind TEXT NOT NULL,"
	"  due INTEGER NOT NULL,"
	"  last_run INTEGER,"
	"  state INTEGER NOT NULL DEFAULT 0,"
	"  payload TEXT"
	");"
	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY,"
	"  kind INTEGER NOT NULL,"
	"  channel_key TEXT NOT NULL,"
	"  user TEXT,"
	"  text TEXT NOT NULL,"
	"  state INTEGER NOT NULL DEFAULT 0,"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_attempt_at INTEGER NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  sent_at INTEGER,"
	"  post_id TEXT,"
	"  error TEXT"
	");",

	/*
	 * 2: indexes for the hot queries. Cycles by (channel_id, starts_at)
	 * and metrics by (cycle_id, user_name) are already served by the
	 * indexes behind their UNIQUE constraints, so they get none here.
	 * reports_cycle_user also returns a user's items in section, id
	 * order (the rowid ends every index entry) without a sort;
	 * metrics_cycle_name does the same for the whole-cycle metric list.
	 * outbox_pending holds only pending messages (state 0), so it stays
	 * small however many sent ones the table keeps; queries must say
	 * "state = 0" literally for SQLite to use it. It is on id because
	 * delivery takes pending rows in the order they were queued: indexed
	 * on next_attempt_at, "ORDER BY id" made SQLite walk every row ever
	 * sent on each drain.
	 */
	"CREATE INDEX reports_cycle_user"
	"  ON reports (cycle_id, user_name, section);"
	"CREATE INDEX metrics_cycle_name"
	"  ON metrics (cycle_id, name, user_name);"
	"CREATE INDEX agenda_topics_cycle ON agenda_topics (cycle_id);"
	"CREATE INDEX outbox_pending ON outbox (id) WHERE state = 0;",

	/*
	 * 3: posts to one destination leave in the order they were queued,
	 * one at a time (the parts of a split agenda, replies to one user):
	 * a pending row is due only when no older pending row has the same
	 * kind, channel and user. This index answers that per row.
	 */
	("CREATE INDEX outbox_pending_to"
	 "  ON outbox (kind, channel_key, user, id) WHERE state = 0;"),

	/*
	 * 4: edits and reactions go through the outbox too. An edit (kind
	 * OUTBOX_EDIT) names in ref the outbox row of the post it changes,
	 * whose post_id is known only once that row was sent; a reaction
	 * (OUTBOX_REACTION) names the platform's post in target_post.
	 */
	("ALTER TABLE outbox ADD COLUMN ref INTEGER REFERENCES outbox (id);"
	 "ALTER TABLE outbox ADD COLUMN target_post TEXT;"),

	/*
	 * 5: meetings (issue 4). Enums are integers (enum meeting_state,
	 * meeting_item_kind, action_state); ended_at, minutes_post and
	 * closed_at are NULL until there is one. meetings_running holds
	 * only running meetings (state 0) and is UNIQUE on channel_id: one
	 * running meeting per channel, enforced by SQLite. meetings_stale,
	 * just as small, finds running meetings by start time for the time
	 * limit; queries must say "state = 0" literally to use it.
	 * meetings_channel serves a channel's running meeting, its latest
	 * ended one (in ended_at, id order: no sort) and the cascade from
	 * channels. The log is read per meeting in id order (the list, undo
	 * walking back from the newest, speakers), all from
	 * meeting_items_meeting, which the cascade from meetings also uses.
	 * An item's action_id has no REFERENCES: an action item goes only
	 * with its item (store_meeting_item_remove), and the foreign key
	 * would need another index to check each delete. action_items_state
	 * finds a channel's items of each state asked for, leaving a sort
	 * of the few found; action_items_meeting lists a meeting's items
	 * and serves its ON DELETE SET NULL. Action item ids are
	 * AUTOINCREMENT: members refer to them by number, so an undone
	 * one's is not reused. Marks and ratings are read by their primary
	 * key.
	 */
	("CREATE TABLE meetings ("
	 "  id INTEGER PRIMARY KEY,"
	 "  channel_id INTEGER NOT NULL"
	 "    REFERENCES channels (id) ON DELETE CASCADE,"
	 "  title TEXT NOT NULL,"
	 "  chair TEXT NOT NULL,"
	 "  state INTEGER NOT NULL DEFAULT 0,"
	 "  started_at INTEGER NOT NULL,"
	 "  ended_at INTEGER,"
	 "  auto_closed INTEGER NOT NULL DEFAULT 0,"
	 "  next_topic INTEGER NOT NULL DEFAULT 0,"
	 "  minutes_post INTEGER,"
	 "  minutes TEXT,"
	 "  amended INTEGER NOT NULL DEFAULT 0"
	 ");"
	 "CREATE UNIQUE INDEX meetings_running"
	 "  ON meetings (channel_id) WHERE state = 0;"
	 "CREATE INDEX meetings_stale ON meetings (started_at) WHERE state = 0;"
	 "CREATE INDEX meetings_channel"
	 "  ON meetings (channel_id, state, ended_at);"
	 "CREATE TABLE meeting_items ("
	 "  id INTEGER PRIMARY KEY,"
	 "  meeting_id INTEGER NOT NULL"
	 "    REFERENCES meetings (id) ON DELETE CASCADE,"
	 "  kind INTEGER NOT NULL,"
	 "  user_name TEXT NOT NULL,"
	 "  text TEXT NOT NULL,"
	 "  at INTEGER NOT NULL,"
	 "  post_id TEXT,"
	 "  action_id INTEGER,"
	 "  removed INTEGER NOT NULL DEFAULT 0"
	 ");"
	 "CREATE INDEX meeting_items_meeting ON meeting_items (meeting_id, id);"
	 "CREATE TABLE meeting_marks ("
	 "  meeting_id INTEGER NOT NULL"
	 "    REFERENCES meetings (id) ON DELETE CASCADE,"
	 "  user_name TEXT NOT NULL,"
	 "  present INTEGER NOT NULL,"
	 "  PRIMARY KEY (meeting_id, user_name)"
	 ") WITHOUT ROWID;"
	 "CREATE TABLE action_items ("
	 "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	 "  channel_id INTEGER NOT NULL"
	 "    REFERENCES channels (id) ON DELETE CASCADE,"
	 "  meeting_id INTEGER"
	 "    REFERENCES meetings (id) ON DELETE SET NULL,"
	 "  owner TEXT,"
	 "  owner_id TEXT,"
	 "  text TEXT NOT NULL,"
	 "  due TEXT,"
	 "  state INTEGER NOT NULL DEFAULT 0,"
	 "  created_by TEXT NOT NULL,"
	 "  created_at INTEGER NOT NULL,"
	 "  closed_at INTEGER,"
	 "  note TEXT"
	 ");"
	 "CREATE INDEX action_items_state"
	 "  ON action_items (channel_id, state, id);"
	 "CREATE INDEX action_items_meeting ON action_items (meeting_id);"
	 "CREATE TABLE meeting_ratings ("
	 "  meeting_id INTEGER NOT NULL"
	 "    REFERENCES meetings (id) ON DELETE CASCADE,"
	 "  user_name TEXT NOT NULL,"
	 "  rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),"
	 "  at INTEGER NOT NULL,"
	 "  PRIMARY KEY (meeting_id, user_name)"
	 ") WITHOUT ROWID;"),

	/*
	 * 6: the outbox rows that carry a meeting's minutes, one per part
	 * of the split text, so /meeting amend can edit each post in place.
	 * Read and replaced per meeting, by the primary key.
	 */
	("CREATE TABLE meeting_minutes_posts ("
	 "  meeting_id INTEGER NOT NULL"
	 "    REFERENCES meetings (id) ON DELETE CASCADE,"
	 "  part INTEGER NOT NULL,"
	 "  outbox_id INTEGER NOT NULL,"
	 "  PRIMARY KEY (meeting_id, part)"
	 ") WITHOUT ROWID;"),

	/*
	 * 7: the scheduler (issue 5). One row per channel and kind of job
	 * ("agenda", "actions", ...): due is when it next runs, last_run
	 * the due time of the run before. A run and the move of due to the
	 * next time happen in the transaction that queues the run's posts,
	 * so a job never runs twice. jobs_channel_kind keeps one row per
	 * pair; jobs_due finds the earliest active job (state 0) and the
	 * due ones in due order.
	 */
	("CREATE UNIQUE INDEX jobs_channel_kind ON jobs (channel_id, kind);"
	 "CREATE INDEX jobs_due ON jobs (due) WHERE state = 0;"),

	/*
	 * 8: a channel's meeting schedule (issue 5), one row per channel
	 * that set one: the canonical text of its rule (recur.h; NULL:
	 * weekly on the channel's meeting_wday at meeting_minute) and its
	 * skipped dates ("YYYY-MM-DD,...", NULL: none). A table of its own
	 * rather than columns of channels, read by its primary key.
	 */
	("CREATE TABLE channel_schedules ("
	 "  channel_id INTEGER PRIMARY KEY"
	 "    REFERENCES channels (id) ON DELETE CASCADE,"
	 "  rule TEXT,"
	 "  skips TEXT"
	 ");"),

	/*
	 * 9: the Markdown copy of each meeting's minutes in minutes_dir
	 * (minutes-file.h). minutes_file_due counts the times the minutes
	 * were recorded (each store_meeting_set_minutes() adds one) and
	 * minutes_file_done is the count the file last written holds, so
	 * minutes recorded again while a copy is being written stay due.
	 * meetings_file_due holds only the meetings whose copy is due:
	 * queries must say "minutes_file_due > minutes_file_done"
	 * literally to use it. Minutes recorded before this version are
	 * due, so an upgraded database gets its copies too.
	 */
	("ALTER TABLE meetings ADD COLUMN"
	 "  minutes_file_due INTEGER NOT NULL DEFAULT 0;"
	 "ALTER TABLE meetings ADD COLUMN"
	 "  minutes_file_done INTEGER NOT NULL DEFAULT 0;"
	 "UPDATE meetings SET minutes_file_due = 1 WHERE minutes IS NOT NULL;"
	 "CREATE INDEX meetings_file_due ON meetings (id)"
	 "  WHERE minutes_file_due > minutes_file_done;"),

	/*
	 * 10: a channel's own times for its scheduled posts (schedule.h),
	 * each NULL while the channel follows the configuration: when the
	 * reporting window opens (an offset, or "off"), when members are
	 * reminded (offsets, comma-separated, or "off") and when the agenda
	 * is posted (an offset). A row may now exist without a rule.
	 */
	("ALTER TABLE channel_schedules ADD COLUMN window_open TEXT;"
	 "ALTER TABLE channel_schedules ADD COLUMN remind_at TEXT;"
	 "ALTER TABLE channel_schedules ADD COLUMN agenda_at TEXT;"),
};

#define STORE_MIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

static int store_is_memory(const struct store *s);
static int store_configure(struct store *s, char **cause);
static int store_migrate(struct store *s, int target, char **cause);
static int store_open_exec(struct store *s, const char *sql, char **cause);
static int store_user_version(struct store *s, int *version, char **cause);

int
store_latest_version(void)
{
	return STORE_MIGRATIONS;
}

struct store *
store_open(const char *path, char **cause)
{
	return store_open_at(path, store_latest_version(), cause);
}

struct store *
store_open_at(const char *path, int version, char **cause)
{
	struct store *s;
	int rc;

	if (version < 0 || version > STORE_MIGRATIONS) {
		set_cause(cause,
			  "cannot open database '%s': no schema version %d "
			  "(this build knows 0 to %d)",
			  path, version, STORE_MIGRATIONS);
		return NULL;
	}
	/*
	 * Before SQLite initialises (the first open; later calls are
	 * refused harmlessly): no memory statistics, whose global mutex
	 * otherwise costs a lock per allocation.
	 */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	s = xcalloc(1, sizeof *s);
	s->path = xstrdup(path);
	s->wal_fd = -1;
	rc = sqlite3_open_v2(path, &s->db,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				 SQLITE_OPEN_NOMUTEX,
			     NULL);
	if (rc != SQLITE_OK) {
		set_cause(cause, "cannot open database '%s': %s", path,
			  s->db != NULL ? sqlite3_errmsg(s->db)
					: sqlite3_errstr(rc));
		store_close(s);
		return NULL;
	}
	if (store_configure(s, cause) != 0 ||
	    store_migrate(s, version, cause) != 0) {
		store_close(s);
		return NULL;
	}
	return s;
}

void
store_close(struct store *s)
{
	int i;

	if (s == NULL)
		return;
	for (i = 0; i < STMT_COUNT; i++)
		sqlite3_finalize(s->stmt[i]);
	/*
	 * With every statement finalized this cannot be SQLITE_BUSY; an open
	 * transaction is rolled back, and the last connection to a WAL
	 * database checkpoints it and removes the -wal file.
	 */
	if (s->db != NULL && sqlite3_close(s->db) != SQLITE_OK)
		log_warn("cannot close database '%s': %s", s->path,
			 sqlite3_errmsg(s->db));
	if (s->wal_fd >= 0)
		close(s->wal_fd);
	free(s->path);
	free(s);
}

int
store_version(struct store *s)
{
	return s->version;
}

int
store_begin(struct store *s, char **cause)
{
	if (!s->batching)
		return store_exec(s, STMT_BEGIN, "BEGIN IMMEDIATE",
				  "cannot begin transaction", cause);
	if (sqlite3_get_autocommit(s->db) &&
	    store_exec(s, STMT_BEGIN, "BEGIN IMMEDIATE",
		       "cannot begin transaction", cause) != 0)
		return -1;
	return store_exec(s, STMT_UNIT_SAVEPOINT, "SAVEPOINT unit",
			  "cannot begin unit of work", cause);
}

int
store_commit(struct store *s, char **cause)
{
	if (s->batching)
		return store_exec(s, STMT_UNIT_RELEASE, "RELEASE unit",
				  "cannot end unit of work", cause);
	return store_exec(s, STMT_COMMIT, "COMMIT", "cannot commit transaction",
			  cause);
}

void
store_rollback(struct store *s)
{
	char *cause = NULL;

	/* SQLite may already have rolled back after an I/O or full error. */
	if (sqlite3_get_autocommit(s->db))
		return;
	if (s->batching) {
		/* Undo this unit only; the batch's other units stay. */
		if (store_exec(s, STMT_UNIT_ROLLBACK_TO, "ROLLBACK TO unit",
			       "cannot roll back unit of work", &cause) == 0 &&
		    store_exec(s, STMT_UNIT_RELEASE, "RELEASE unit",
			       "cannot roll back unit of work", &cause) == 0)
			return;
	} else if (store_exec(s, STMT_ROLLBACK, "ROLLBACK",
			      "cannot roll back transaction", &cause) == 0) {
		return;
	}
	log_warn("%s", cause);
	free(cause);
}

/* The newest outbox row's id in *id (0 for none). */
static int
store_outbox_last(struct store *s, int64_t *id, char **cause)
{
	sqlite3_stmt *st;

	st = store_stmt(s, STMT_OUTBOX_LAST, "SELECT max(id) FROM outbox",
			cause);
	if (st == NULL)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW)
		return store_fail(s, st, "cannot read the outbox", cause);
	*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

/* After each commit: how big the WAL is (the committer checkpoints). */
static int
store_wal_hook(void *arg, sqlite3 *db, const char *name, int pages)
{
	struct store *s = arg;

	(void)db;
	(void)name;
	s->wal_pages = pages;
	return SQLITE_OK;
}

int
store_wal_pages(const struct store *s)
{
	return s->wal_pages;
}

struct store_checkpointer {
	char *path;
	sqlite3 *db; /* opened on the worker thread at the first run */
};

struct store_checkpointer *
store_checkpointer_new(const struct store *s)
{
	struct store_checkpointer *c;

	if (store_is_memory(s))
		return NULL;
	c = xcalloc(1, sizeof *c);
	c->path = xstrdup(s->path);
	return c;
}

/* Open the checkpointer's connection; -1 with *cause. */
static int
store_checkpointer_open(struct store_checkpointer *c, char **cause)
{
	int rc = sqlite3_open_v2(
	    c->path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);

	/* A first read: the connection learns the file is in WAL mode
	 * (before it, a checkpoint does nothing). */
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(c->db, "PRAGMA schema_version", NULL, NULL,
				  NULL);
	if (rc == SQLITE_OK)
		return 0;
	set_cause(cause, "cannot open '%s' to checkpoint it: %s", c->path,
		  c->db != NULL ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
	sqlite3_close(c->db);
	c->db = NULL;
	return -1;
}

int
store_checkpointer_run(struct store_checkpointer *c, int *left, char **cause)
{
	int log = 0, done = 0, rc;

	*left = 0;
	if (c->db == NULL && store_checkpointer_open(c, cause) != 0)
		return -1;
	rc = sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_PASSIVE,
				       &log, &done);
	if (rc != SQLITE_OK && rc != SQLITE_BUSY)
		return set_cause(cause, "cannot checkpoint '%s': %s", c->path,
				 sqlite3_errmsg(c->db));
	if (log < 0)
		return set_cause(
		    cause, "cannot checkpoint '%s': not in WAL mode", c->path);
	*left = log > done ? log - done : 0;
	return 0;
}

void
store_checkpointer_free(struct store_checkpointer *c)
{
	if (c == NULL)
		return;
	sqlite3_close(c->db);
	free(c->path);
	free(c);
}

void
store_set_batching(struct store *s, int on)
{
	char *cause = NULL;
	int64_t last = 0;

	if (on && !s->batching && store_outbox_last(s, &last, &cause) != 0) {
		/* Nothing is delivered until a flush has read it anew. */
		log_warn("%s", cause);
		free(cause);
	}
	s->batching = on;
	s->written = s->durable = s->syncing = 0;
	s->written_outbox = s->durable_outbox = last;
	/* The hook replaces SQLite's own checkpoints in commits. */
	if (!store_is_memory(s)) {
		sqlite3_wal_hook(s->db, on ? store_wal_hook : NULL, s);
		if (!on)
			sqlite3_wal_autocheckpoint(s->db,
						   STORE_CHECKPOINT_PAGES);
	}
}

int
store_flush(struct store *s, char **cause)
{
	int64_t last = s->written_outbox;
	char *why = NULL;

	if (sqlite3_get_autocommit(s->db))
		return 0;
	if (s->batching && store_outbox_last(s, &last, &why) != 0) {
		/* This batch's rows then wait for a later batch's number. */
		log_warn("%s", why);
		free(why);
	}
	if (store_exec(s, STMT_COMMIT, "COMMIT", "cannot commit batch",
		       cause) != 0) {
		store_exec(s, STMT_ROLLBACK, "ROLLBACK",
			   "cannot roll back batch", NULL);
		return -1;
	}
	s->written++;
	s->written_outbox = last;
	/* Nothing to sync: no file, or each commit synced itself. */
	if (store_is_memory(s) || s->wal_fd == -2) {
		s->durable = s->written;
		s->durable_outbox = s->written_outbox;
	}
	return 0;
}

int
store_batch_open(const struct store *s)
{
	return s->batching && !sqlite3_get_autocommit(s->db);
}

uint64_t
store_generation(const struct store *s)
{
	if (!s->batching)
		return 0;
	return s->written + (sqlite3_get_autocommit(s->db) ? 0 : 1);
}

int
store_durable(const struct store *s, uint64_t gen)
{
	return !s->batching || gen <= s->durable;
}

/*
 * The WAL file cannot be opened for syncing: let SQLite fsync inside
 * every commit from now on, and sync what was committed so far with a
 * checkpoint, which fsyncs the WAL and the database file.
 */
static int
store_sync_fallback(struct store *s, const char *why, char **cause)
{
	char *err = NULL;

	log_warn("%s: an fsync in each commit instead", why);
	s->wal_fd = -2;
	if (sqlite3_exec(s->db,
			 "PRAGMA synchronous = FULL;"
			 "PRAGMA wal_checkpoint(FULL)",
			 NULL, NULL, &err) != SQLITE_OK) {
		set_cause(cause, "cannot sync database '%s': %s", s->path,
			  err != NULL ? err : sqlite3_errmsg(s->db));
		sqlite3_free(err);
		return -1;
	}
	s->durable = s->written;
	s->durable_outbox = s->written_outbox;
	return 0;
}

int
store_sync_begin(struct store *s, int *fd, uint64_t *gen, char **cause)
{
	char *path, *why;
	int rc;

	if (!s->batching || s->syncing != 0 || s->durable == s->written)
		return 0;
	if (s->wal_fd == -1) {
		/* Any descriptor of the file will do: fsync is per file. */
		path = xasprintf("%s-wal", s->path);
		s->wal_fd = open(path, O_RDONLY | O_CLOEXEC);
		if (s->wal_fd < 0) {
			why = xasprintf("cannot open '%s' to sync it: %s", path,
					strerror(errno));
			rc = store_sync_fallback(s, why, cause);
			free(why);
			free(path);
			return rc;
		}
		free(path);
	}
	s->syncing = s->written;
	s->syncing_outbox = s->written_outbox;
	*fd = s->wal_fd;
	*gen = s->syncing;
	return 1;
}

void
store_sync_end(struct store *s, uint64_t gen)
{
	if (gen != s->syncing || gen == 0)
		BUG("sync end for a batch that is not being synced");
	s->durable = gen;
	s->durable_outbox = s->syncing_outbox;
	s->syncing = 0;
}

/* Whether s is a private in-memory (or temporary) database, not a file. */
static int
store_is_memory(const struct store *s)
{
	return strcmp(s->path, ":memory:") == 0 || s->path[0] == '\0';
}

/* Connection settings that are not part of the schema; see the top. */
static int
store_configure(struct store *s, char **cause)
{
	sqlite3_stmt *st;
	const char *mode;
	int rc;

	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT);
#ifdef SQLITE_DBCONFIG_DQS_DML
	/* A double-quoted string is an identifier, never a literal. */
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_DQS_DML, 0, (int *)NULL);
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_DQS_DDL, 0, (int *)NULL);
#endif
	if (store_open_exec(s, "PRAGMA foreign_keys = ON", cause) != 0)
		return -1;
	if (store_is_memory(s))
		return 0;
	/*
	 * Only a new, empty file takes the page size; it must come before
	 * WAL mode, which writes the header. Small pages keep the WAL small:
	 * a command changes a handful of pages, each written whole.
	 */
	if (store_open_exec(s, "PRAGMA page_size = " STORE_PAGE_SIZE, cause) !=
	    0)
		return -1;
	/* The first statement to read the file: reports "not a database". */
	rc = sqlite3_prepare_v2(s->db, "PRAGMA journal_mode = WAL", -1, &st,
				NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		set_cause(cause, "cannot open database '%s': %s", s->path,
			  sqlite3_errmsg(s->db));
		sqlite3_finalize(st);
		return -1;
	}
	mode = (const char *)sqlite3_column_text(st, 0);
	if (mode == NULL || strcmp(mode, "wal") != 0) {
		set_cause(cause,
			  "cannot open database '%s': cannot use WAL mode "
			  "(journal mode is '%s')",
			  s->path, mode != NULL ? mode : "unknown");
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return store_open_exec(s,
			       "PRAGMA synchronous = NORMAL;"
			       "PRAGMA cache_size = " STORE_CACHE_KIB ";"
			       "PRAGMA wal_autocheckpoint = " STORE_CHECKPOINT,
			       cause);
}

/* Bring the schema to version target in one transaction; see the top. */
static int
store_migrate(struct store *s, int target, char **cause)
{
	char sql[64];
	int current = 0, v;

	if (store_open_exec(s, "BEGIN IMMEDIATE", cause) != 0)
		return -1;
	if (store_user_version(s, &current, cause) != 0)
		goto fail;
	if (current > STORE_MIGRATIONS) {
		set_cause(cause,
			  "cannot open database '%s': its schema version %d "
			  "is newer than this build's %d",
			  s->path, current, STORE_MIGRATIONS);
		goto fail;
	}
	if (current > target) {
		set_cause(cause,
			  "cannot open database '%s': its schema version %d "
			  "is newer than the requested %d",
			  s->path, current, target);
		goto fail;
	}
	for (v = current; v < target; v++) {
		char *err = NULL;

		if (sqlite3_exec(s->db, migrations[v], NULL, NULL, &err) !=
		    SQLITE_OK) {
			set_cause(cause,
				  "cannot migrate database '%s' to version "
				  "%d: %s",
				  s->path, v + 1,
				  err != NULL ? err : sqlite3_errmsg(s->db));
			sqlite3_free(err);
			goto fail;
		}
	}
	if (current != target) {
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", target);
		if (store_open_exec(s, sql, cause) != 0)
			goto fail;
		log_write(store_is_memory(s) ? LOG_DEBUG : LOG_INFO, __func__,
			  "database '%s' migrated from version %d to %d",
			  s->path, current, target);
	}
	if (store_open_exec(s, "COMMIT", cause) != 0)
		goto fail;
	s->version = target;
	return 0;

fail:
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/* Run one uncached statement while opening. */
static int
store_open_exec(struct store *s, const char *sql, char **cause)
{
	char *err = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &err) == SQLITE_OK)
		return 0;
	set_cause(cause, "cannot open database '%s': %s", s->path,
		  err != NULL ? err : sqlite3_errmsg(s->db));
	sqlite3_free(err);
	return -1;
}

static int
store_user_version(struct store *s, int *version, char **cause)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) !=
	    SQLITE_OK)
		return store_fail(s, NULL, "cannot read schema version", cause);
	if (sqlite3_step(st) != SQLITE_ROW) {
		store_fail(s, NULL, "cannot read schema version", cause);
		sqlite3_finalize(st);
		return -1;
	}
	*version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return 0;
}

sqlite3_stmt *
store_stmt(struct store *s, enum store_stmt_id id, const char *sql,
	   char **cause)
{
	sqlite3_stmt *st = s->stmt[id];

	if (st != NULL) {
		if (s->sql[id] != sql && strcmp(s->sql[id], sql) != 0)
			BUG("statement id used with two different queries");
		/* Normally already reset by its last user; this is cheap. */
		sqlite3_reset(st);
		return st;
	}
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
			       NULL) != SQLITE_OK) {
		set_cause(cause, "cannot prepare query: %s (%s)",
			  sqlite3_errmsg(s->db), sql);
		return NULL;
	}
	s->stmt[id] = st;
	s->sql[id] = sql;
	return st;
}

int
store_fail(struct store *s, sqlite3_stmt *st, const char *what, char **cause)
{
	/* Read the message before the reset, which may replace it. */
	set_cause(cause, "%s: %s", what, sqlite3_errmsg(s->db));
	if (st != NULL)
		sqlite3_reset(st);
	return -1;
}

int
store_exec(struct store *s, enum store_stmt_id id, const char *sql,
	   const char *what, char **cause)
{
	sqlite3_stmt *st = store_stmt(s, id, sql, cause);

	if (st == NULL)
		return -1;
	if (sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, st, what, cause);
	sqlite3_reset(st);
	return 0;
}

int
store_delete_row(struct store *s, enum store_stmt_id id, const char *sql,
		 int64_t row, const char *what, char **cause)
{
	sqlite3_stmt *st = store_stmt(s, id, sql, cause);

	if (st == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 1, row) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, st, what, cause);
	sqlite3_reset(st);
	if (sqlite3_changes(s->db) == 0)
		return set_cause(cause, "%s %" PRId64 ": no such row", what,
				 row);
	return 0;
}

int
store_atomic_begin(struct store *s, const char *what, char **cause)
{
	return store_exec(s, STMT_SAVEPOINT, "SAVEPOINT store_call", what,
			  cause);
}

int
store_atomic_end(struct store *s, int rc, const char *what, char **cause)
{
	if (rc == 0 &&
	    store_exec(s, STMT_RELEASE, "RELEASE store_call", what, cause) == 0)
		return 0;
	/*
	 * Undo the call's statements and drop the savepoint. Either may fail
	 * only if SQLite has already rolled the whole transaction back, which
	 * is what we want anyway.
	 */
	store_exec(s, STMT_ROLLBACK_TO, "ROLLBACK TO store_call", what, NULL);
	store_exec(s, STMT_RELEASE, "RELEASE store_call", what, NULL);
	return -1;
}

int
store_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v == NULL)
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
}

char *
store_column_dup(sqlite3_stmt *st, int col)
{
	const unsigned char *v;

	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return NULL;
	v = sqlite3_column_text(st, col);
	if (v == NULL)
		fatal("out of memory reading a database row");
	return xstrndup((const char *)v, (size_t)sqlite3_column_bytes(st, col));
}

int
store_count(struct store *s, sqlite3_stmt *st, int bind_rc, int64_t *count,
	    const char *what, char **cause)
{
	if (bind_rc != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW)
		return store_fail(s, st, what, cause);
	*count = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

int
store_list(struct store *s, sqlite3_stmt *st, int bind_rc,
	   const struct store_rows *how, void **out, size_t *n, char **cause)
{
	char *list = NULL;
	size_t len = 0, cap = 0;
	int rc = bind_rc;

	*out = NULL;
	*n = 0;
	if (rc == SQLITE_OK) {
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			list = store_grow(list, len, &cap, how->size);
			how->read(st, list + len * how->size);
			len++;
		}
	}
	if (rc != SQLITE_DONE) {
		how->release(list, len);
		return store_fail(s, st, how->what, cause);
	}
	sqlite3_reset(st);
	*out = list;
	*n = len;
	return 0;
}

void *
store_grow(void *a, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return a;
	*cap = *cap != 0 ? *cap * 2 : 8;
	return xreallocarray(a, *cap, size);
}
