/* SPDX-License-Identifier: MIT */
/*
 * store-report.c: what members report in a cycle. The reports table holds
 * one row per item (done, plan, blocker, need); the metrics table one value
 * per (cycle, user, name). Together they answer "who has reported".
 *
 * A user's items are numbered by section then id, the order /report show
 * prints; the reports_cycle_user index returns them in that order.
 */

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>

#include "lihui/log.h"
#include "lihui/store.h"
#include "lihui/xmalloc.h"
#include "store-int.h"

#define REPORT_COLUMNS                                                         \
	"id, cycle_id, user_name, section, text, helpers, created_at"
#define METRIC_COLUMNS "id, cycle_id, user_name, name, value, unit"

static int report_list(struct store *s, sqlite3_stmt *st,
		       struct report_item **out, size_t *n, char **cause);
static int metric_list(struct store *s, sqlite3_stmt *st, struct metric **out,
		       size_t *n, char **cause);
static int report_clear(struct store *s, enum store_stmt_id id, const char *sql,
			int64_t cycle_id, const char *user, const char *what,
			char **cause);

void
report_item_list_free(struct report_item *items, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(items[i].user_name);
		free(items[i].text);
		free(items[i].helpers);
	}
	free(items);
}

void
metric_list_free(struct metric *m, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(m[i].user_name);
		free(m[i].name);
		free(m[i].unit);
	}
	free(m);
}

void
string_list_free(char **list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

int
store_report_add(struct store *s, int64_t cycle_id, const char *user,
		 int section, const char *text, const char *helpers,
		 int64_t now, int64_t *id, char **cause)
{
	sqlite3_stmt *st;

	if (section < 0 || section >= SECTION_COUNT ||
	    section == SECTION_METRIC)
		return set_cause(cause, "cannot add report: invalid section %d",
				 section);
	st = store_stmt(s, STMT_REPORT_ADD,
			"INSERT INTO reports (cycle_id, user_name, section, "
			"text, helpers, created_at) "
			"VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
			cause);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 1, cycle_id) != SQLITE_OK ||
	    store_bind_text(st, 2, user) != SQLITE_OK ||
	    sqlite3_bind_int(st, 3, section) != SQLITE_OK ||
	    store_bind_text(st, 4, text) != SQLITE_OK ||
	    store_bind_text(st, 5, helpers) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 6, now) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, st, "cannot add report", cause);
	sqlite3_reset(st);
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int
store_report_list_user(struct store *s, int64_t cycle_id, const char *user,
		       struct report_item **out, size_t *n, char **cause)
{
	sqlite3_stmt *st;

	*out = NULL;
	*n = 0;
	st = store_stmt(s, STMT_REPORT_LIST_USER,
			"SELECT " REPORT_COLUMNS " FROM reports "
			"WHERE cycle_id = ?1 AND user_name = ?2 "
			"ORDER BY section, id",
			cause);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 1, cycle_id) != SQLITE_OK ||
	    store_bind_text(st, 2, user) != SQLITE_OK)
		return store_fail(s, st, "cannot list report", cause);
	return report_list(s, st, out, n, cause);
}

int
store_report_list_cycle(struct store *s, int64_t cycle_id,
			struct report_item **out, size_t *n, char **cause)
{
	sqlite3_stmt *st;

	*out = NULL;
	*n = 0;
	/*
	 * Users in the order they first reported (by time, then by id when
	 * two reported in the same second), each user's items as in
	 * store_report_list_user().
	 */
	st = store_stmt(
	    s, STMT_REPORT_LIST_CYCLE,
	    "SELECT r.id, r.cycle_id, r.user_name, r.section, r.text, "
	    "r.helpers, r.created_at FROM reports AS r "
	    "JOIN (SELECT user_name, MIN(created_at) AS first_at, "
	    "MIN(id) AS first_id FROM reports WHERE cycle_id = ?1 "
	    "GROUP BY user_name) AS f ON f.user_name = r.user_name "
	    "WHERE r.cycle_id = ?1 "
	    "ORDER BY f.first_at, f.first_id, r.section, r.id",
	    cause);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 1, cycle_id) != SQLITE_OK)
		return store_fail(s, st, "cannot list reports", cause);
	return report_list(s, st, out, n, cause);
}

int
store_report_update(struct store *s, int64_t id, const char *text,
		    const char *helpers, char **cause)
{
	sqlite3_stmt *st;

	st = store_stmt(s, STMT_REPORT_UPDATE,
			"UPDATE reports SET text = ?2, helpers = ?3 "
			"WHERE id = ?1",
			cause);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
	    store_bind_text(st, 2, text) != SQLITE_OK ||
	    store_bind_text(st, 3, helpers) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, st, "cannot update report", cause);
	sqlite3_reset(st);
	if (sqlite3_changes(s->db) == 0)
		return set_cause(
		    cause,
		    "cannot update report item %" PRId64 ": no such item", id);
	return 0;
}

int
store_report_delete(struct store *s, int64_t id, char **cause)
{
	return store_delete_row(s, STMT_REPORT_DELETE,
				"DELETE FROM reports WHERE id = ?1", id,
				"cannot delete report item", cause);
}

int
store_report_clear_user(struct store *s, int64_t cycle_id, const char *user,
			char **cause)
{
	static const char what[] = "cannot clear report";
	int rc;

	if (store_atomic_begin(s, what, cause) != 0)
		return -1;
	rc = report_clear(s, STMT_REPORT_CLEAR_USER,
			  "DELETE FROM reports "
			  "WHERE cycle_id = ?1 AND user_name = ?2",
			  cycle_id, user, what, cause);
	if (rc == 0)
		rc = report_clear(s, STMT_METRIC_CLEAR_USER,
				  "DELETE FROM metrics "
				  "WHERE cycle_id = ?1 AND user_name = ?2",
				  cycle_id, user, what, cause);
	return store_atomic_end(s, rc, what, cause);
}

int
store_report_count_user(struct store *s, int64_t cycle_id, const char *user,
			int64_t *count, char **cause)
{
	sqlite3_stmt *st;
	int rc;

	st = store_stmt(s, STMT_REPORT_COUNT_USER,
			"SELECT (SELECT COUNT(*) FROM reports "
			"WHERE cycle_id = ?1 AND user_name = ?2) + "
			"(SELECT COUNT(*) FROM metrics "
			"WHERE cycle_id = ?1 AND user_name = ?2)",
			cause);
	if (st == NULL)
		return -1;
	rc = sqlite3_bind_int64(st, 1, cycle_id);
	if (rc == SQLITE_OK)
		rc = store_bind_text(st, 2, user);
	return store_count(s, st, rc, count, "cannot count report", cause);
}

static void
user_read(sqlite3_stmt *st, void *row)
{
	char **name = row;

	*name = store_column_dup(st, 0);
	if (*name == NULL)
		BUG("NULL user_name in reports or metrics");
}

static void
user_release(void *list, size_t n)
{
	string_list_free(list, n);
}

int
store_report_users(struct store *s, int64_t cycle_id, char ***out, size_t *n,
		   char **cause)
{
	static const struct store_rows rows = {
		.size = sizeof(char *),
		.read = user_read,
		.release = user_release,
		.what = "cannot list reporters",
	};
	sqlite3_stmt *st;
	void *list;
	int rc;

	*out = NULL;
	*n = 0;
	st = store_stmt(s, STMT_REPORT_USERS,
			"SELECT user_name FROM reports WHERE cycle_id = ?1 "
			"UNION "
			"SELECT user_name FROM metrics WHERE cycle_id = ?1 "
			"ORDER BY 1",
			cause);
	if (st == NULL)
		return -1;
	rc = store_list(s, st, sqlite3_bind_int64(st, 1, cycle_id), &rows,
			&list, n, cause);
	*out = list;
	return rc;
}

int
store_metric_set(struct store *s, int64_t cycle_id, const char *user,
		 const char *name, double value, const char *unit, int64_t now,
		 char **cause)
{
	sqlite3_stmt *st;

	/* SQLite would store NaN as NULL; infinities are no one's metric. */
	if (!isfinite(value))
		return set_cause(cause, "cannot set metric: invalid value");
	/* Setting a metric again keeps its id, so its place in the list. */
	st = store_stmt(s, STMT_METRIC_SET,
			"INSERT INTO metrics (cycle_id, user_name, name, "
			"value, unit, created_at) "
			"VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
			"ON CONFLICT (cycle_id, user_name, name) "
			"DO UPDATE SET value = excluded.value, "
			"unit = excluded.unit",
			cause);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 1, cycle_id) != SQLITE_OK ||
	    store_bind_text(st, 2, user) != SQLITE_OK ||
	    store_bind_text(st, 3, name) != SQLITE_OK ||
	    sqlite3_bind_double(st, 4, value) != SQLITE_OK ||
	    store_bind_text(st, 5, unit != NULL ? unit : "") != SQLITE_OK ||
	    sqlite3_bind_int64(st, 6, now) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, st, "cannot set metric", cause);
	sqlite3_reset(st);
	return 0;
}

int
store_metric_list_user(struct store *s, int64_t cycle_id, const char *user,
		       struct metric **out, size_t *n, char **cause)
{
	sqlite3_stmt *st;

	*out = NULL;
	*n = 0;
	st = store_stmt(s, STMT_METRIC_LIST_USER,
			"SELECT " METRIC_COLUMNS " FROM metrics "
			"WHERE cycle_id = ?1 AND user_name = ?2 ORDER BY id",
			cause);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 1, cycle_id) != SQLITE_OK ||
	    store_bind_text(st, 2, user) != SQLITE_OK)
		return store_fail(s, st, "cannot list metrics", cause);
	return metric_list(s, st, out, n, cause);
}

int
store_metric_list_cycle(struct store *s, int64_t cycle_id, struct metric **out,
			size_t *n, char **cause)
{
	sqlite3_stmt *st;

	*out = NULL;
	*n = 0;
	st = store_stmt(s, STMT_METRIC_LIST_CYCLE,
			"SELECT " METRIC_COLUMNS " FROM metrics "
			"WHERE cycle_id = ?1 ORDER BY name, user_name",
			cause);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 1, cycle_id) != SQLITE_OK)
		return store_fail(s, st, "cannot list metrics", cause);
	return metric_list(s, st, out, n, cause);
}

int
store_metric_delete(struct store *s, int64_t id, char **cause)
{
	return store_delete_row(s, STMT_METRIC_DELETE,
				"DELETE FROM metrics WHERE id = ?1", id,
				"cannot delete metric", cause);
}

static void
report_read(sqlite3_stmt *st, void *row)
{
	struct report_item *r = row;

	r->id = sqlite3_column_int64(st, 0);
	r->cycle_id = sqlite3_column_int64(st, 1);
	r->user_name = store_column_dup(st, 2);
	r->section = sqlite3_column_int(st, 3);
	r->text = store_column_dup(st, 4);
	r->helpers = store_column_dup(st, 5);
	r->created_at = sqlite3_column_int64(st, 6);
}

static void
report_release(void *list, size_t n)
{
	report_item_list_free(list, n);
}

/* Step st (bound) to the end, collecting REPORT_COLUMNS rows into *out. */
static int
report_list(struct store *s, sqlite3_stmt *st, struct report_item **out,
	    size_t *n, char **cause)
{
	static const struct store_rows rows = {
		.size = sizeof(struct report_item),
		.read = report_read,
		.release = report_release,
		.what = "cannot list reports",
	};
	void *list;
	int rc = store_list(s, st, SQLITE_OK, &rows, &list, n, cause);

	*out = list;
	return rc;
}

static void
metric_read(sqlite3_stmt *st, void *row)
{
	struct metric *m = row;

	m->id = sqlite3_column_int64(st, 0);
	m->cycle_id = sqlite3_column_int64(st, 1);
	m->user_name = store_column_dup(st, 2);
	m->name = store_column_dup(st, 3);
	m->value = sqlite3_column_double(st, 4);
	m->unit = store_column_dup(st, 5);
}

static void
metric_release(void *list, size_t n)
{
	metric_list_free(list, n);
}

/* Step st (bound) to the end, collecting METRIC_COLUMNS rows into *out. */
static int
metric_list(struct store *s, sqlite3_stmt *st, struct metric **out, size_t *n,
	    char **cause)
{
	static const struct store_rows rows = {
		.size = sizeof(struct metric),
		.read = metric_read,
		.release = metric_release,
		.what = "cannot list metrics",
	};
	void *list;
	int rc = store_list(s, st, SQLITE_OK, &rows, &list, n, cause);

	*out = list;
	return rc;
}

/* Run sql, which deletes user's rows of a cycle (?1, ?2). */
static int
report_clear(struct store *s, enum store_stmt_id id, const char *sql,
	     int64_t cycle_id, const char *user, const char *what, char **cause)
{
	sqlite3_stmt *st = store_stmt(s, id, sql, cause);

	if (st == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 1, cycle_id) != SQLITE_OK ||
	    store_bind_text(st, 2, user) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, st, what, cause);
	sqlite3_reset(st);
	return 0;
}
