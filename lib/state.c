#include "state.h"
#include "strbuf.h"
#include "timeval.h"
#include "value.h"

void
etl_watermark_release(struct etl_watermark *w)
{
	free(w->key);
	free(w->value);
	free(w->pending);
	free(w->updated_at);
	memset(w, 0, sizeof(*w));
}

int
etl_state_ensure(struct etl_db *db, struct etl_error *err)
{
	const char *id = strcmp(etl_db_backend(db), "sqlite") == 0 ?
	    "id INTEGER PRIMARY KEY" : "id BIGSERIAL PRIMARY KEY";
	char sql[1024];

	snprintf(sql, sizeof(sql),
	    "CREATE TABLE IF NOT EXISTS _etl_watermarks ("
	    "key TEXT PRIMARY KEY, value TEXT, pending TEXT, "
	    "updated_at TEXT NOT NULL);"
	    "CREATE TABLE IF NOT EXISTS _etl_runs (%s, tool TEXT NOT NULL, "
	    "target TEXT, started_at TEXT NOT NULL, finished_at TEXT, "
	    "status TEXT, read BIGINT, inserted BIGINT, updated BIGINT, "
	    "unchanged BIGINT, rejected BIGINT, spec TEXT, note TEXT)", id);
	return etl_db_exec(db, sql, err);
}

static char *
dup_col(struct etl_stmt *st, int i)
{
	const char *s = etl_stmt_column_text(st, i, NULL);

	return s ? strdup(s) : NULL;
}

static void
fill(struct etl_stmt *st, struct etl_watermark *w)
{
	w->key = dup_col(st, 0);
	w->value = dup_col(st, 1);
	w->pending = dup_col(st, 2);
	w->updated_at = dup_col(st, 3);
}

int
etl_watermark_get(struct etl_db *db, const char *key, struct etl_watermark *w,
    struct etl_error *err)
{
	struct etl_stmt *st = NULL;
	int rc;

	memset(w, 0, sizeof(*w));
	rc = etl_db_has_table(db, "_etl_watermarks", err);
	if (rc <= 0)
		return rc;
	st = etl_db_prepare(db, "SELECT key, value, pending, updated_at "
	    "FROM _etl_watermarks WHERE key = $1", err);
	if (st == NULL)
		return -(int)err->kind;
	etl_stmt_bind_text(st, 1, key, -1);
	rc = etl_stmt_step(st, err);
	if (rc == 1)
		fill(st, w);
	etl_stmt_free(st);
	return rc;
}

static int
store(struct etl_db *db, const char *key, const char *col, const char *val,
    struct etl_error *err)
{
	char sql[512], now[ETL_TIME_BUFSZ];
	struct etl_instant t = etl_time_now();
	struct etl_stmt *st;
	int rc;

	/* col is one of our own column names, never user input. */
	snprintf(sql, sizeof(sql), "INSERT INTO _etl_watermarks (key, %s, "
	    "updated_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO UPDATE "
	    "SET %s = excluded.%s, updated_at = excluded.updated_at",
	    col, col, col);
	t.nsec -= t.nsec % 1000000;
	st = etl_db_prepare(db, sql, err);
	if (st == NULL)
		return -(int)err->kind;
	etl_stmt_bind_text(st, 1, key, -1);
	etl_stmt_bind_text(st, 2, val, -1);
	etl_stmt_bind_text(st, 3, etl_time_format(&t, now), -1);
	rc = etl_stmt_step(st, err);
	etl_stmt_free(st);
	return rc < 0 ? rc : 0;
}

static int
newer(const char *key, const char *old, const char *val, int *is_newer,
    struct etl_error *err)
{
	enum etl_vkind kv = etl_value_kind(val), ko = etl_value_kind(old);
	int cmp;

	if (kv == ETL_V_NONE)
		return etl_error_at(err, ETL_EDATA, key, 0, NULL, "'%s' is "
		    "neither a number nor an RFC 3339 timestamp (use --force "
		    "to store it as is)", val);
	if (etl_value_cmp(old, val, &cmp) < 0)
		return etl_error_at(err, ETL_EDATA, key, 0, NULL, "'%s' (a %s) "
		    "cannot be compared with the stored '%s' (a %s); use "
		    "--force to replace it", val, etl_vkind_name(kv), old,
		    etl_vkind_name(ko));
	*is_newer = cmp < 0;
	return 0;
}

int
etl_watermark_advance(struct etl_db *db, const char *key, const char *value,
    int force, int *moved, struct etl_error *err)
{
	struct etl_watermark w;
	int rc, is_newer = 1;

	*moved = 0;
	rc = etl_watermark_get(db, key, &w, err);
	if (rc < 0)
		return rc;
	if (!force) {
		if (w.value != NULL)
			rc = newer(key, w.value, value, &is_newer, err);
		else if (etl_value_kind(value) == ETL_V_NONE)
			rc = newer(key, value, value, &is_newer, err);
	}
	etl_watermark_release(&w);
	if (rc < 0)
		return rc;
	if (!is_newer)
		return 0;
	rc = store(db, key, "value", value, err);
	if (rc == 0)
		*moved = 1;
	return rc;
}

int
etl_watermark_set_pending(struct etl_db *db, const char *key,
    const char *pending, struct etl_error *err)
{
	struct etl_stmt *st;
	int rc;

	if (pending != NULL)
		return store(db, key, "pending", pending, err);
	/* Clearing makes no row for a key that has none. */
	rc = etl_db_has_table(db, "_etl_watermarks", err);
	if (rc <= 0)
		return rc;
	st = etl_db_prepare(db, "UPDATE _etl_watermarks SET pending = NULL "
	    "WHERE key = $1 AND pending IS NOT NULL", err);
	if (st == NULL)
		return -(int)err->kind;
	etl_stmt_bind_text(st, 1, key, -1);
	rc = etl_stmt_step(st, err);
	etl_stmt_free(st);
	return rc < 0 ? rc : 0;
}

int
etl_watermark_commit(struct etl_db *db, const char *key, char **value,
    struct etl_error *err)
{
	struct etl_watermark w;
	int rc, moved;

	if (value != NULL)
		*value = NULL;
	rc = etl_watermark_get(db, key, &w, err);
	if (rc <= 0)
		return rc;
	if (w.pending == NULL) {
		if (value != NULL)
			*value = etl_strdup(w.value);
		etl_watermark_release(&w);
		return 0;
	}
	rc = etl_watermark_advance(db, key, w.pending, 0, &moved, err);
	if (rc == 0)
		rc = etl_watermark_set_pending(db, key, NULL, err);
	etl_watermark_release(&w);
	if (rc < 0)
		return rc;
	if (value != NULL) {
		rc = etl_watermark_get(db, key, &w, err);
		if (rc < 0)
			return rc;
		*value = etl_strdup(w.value);
		etl_watermark_release(&w);
	}
	return 1;
}

int
etl_watermark_delete(struct etl_db *db, const char *key,
    struct etl_error *err)
{
	struct etl_stmt *st;
	int rc;

	rc = etl_db_has_table(db, "_etl_watermarks", err);
	if (rc <= 0)
		return rc;
	st = etl_db_prepare(db, "DELETE FROM _etl_watermarks WHERE key = $1",
	    err);
	if (st == NULL)
		return -(int)err->kind;
	etl_stmt_bind_text(st, 1, key, -1);
	rc = etl_stmt_step(st, err);
	etl_stmt_free(st);
	if (rc < 0)
		return rc;
	return etl_db_changes(db) > 0;
}

int
etl_watermark_foreach(struct etl_db *db,
    int (*fn)(const struct etl_watermark *w, void *ctx), void *ctx,
    struct etl_error *err)
{
	struct etl_stmt *st;
	int rc;

	rc = etl_db_has_table(db, "_etl_watermarks", err);
	if (rc <= 0)
		return rc;
	st = etl_db_prepare(db, "SELECT key, value, pending, updated_at "
	    "FROM _etl_watermarks ORDER BY key", err);
	if (st == NULL)
		return -(int)err->kind;
	while ((rc = etl_stmt_step(st, err)) == 1) {
		struct etl_watermark w;

		fill(st, &w);
		rc = fn(&w, ctx);
		etl_watermark_release(&w);
		if (rc != 0)
			break;
	}
	etl_stmt_free(st);
	return rc < 0 ? rc : 0;
}

int
etl_run_start(struct etl_db *db, const char *tool, const char *target,
    const char *spec, long long *id, struct etl_error *err)
{
	char now[ETL_TIME_BUFSZ];
	struct etl_instant t = etl_time_now();
	struct etl_stmt *st;
	int rc;

	st = etl_db_prepare(db, "INSERT INTO _etl_runs (tool, target, "
	    "started_at, status, spec) VALUES ($1, $2, $3, 'running', $4) "
	    "RETURNING id", err);
	if (st == NULL)
		return -(int)err->kind;
	etl_stmt_bind_text(st, 1, tool, -1);
	etl_stmt_bind_text(st, 2, target, -1);
	etl_stmt_bind_text(st, 3, etl_time_format(&t, now), -1);
	etl_stmt_bind_text(st, 4, spec, -1);
	rc = etl_stmt_step(st, err);
	if (rc == 1)
		*id = etl_stmt_column_int(st, 0);
	etl_stmt_free(st);
	return rc < 0 ? rc : 0;
}

static long long
count_of(const struct etl_summary *s, const char *name)
{
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->names[i], name) == 0)
			return s->values[i];
	return 0;
}

int
etl_run_finish(struct etl_db *db, long long id, const struct etl_summary *s,
    enum etl_kind status, const char *note, struct etl_error *err)
{
	static const char *const counts[] = { "read", "inserted", "updated",
	    "unchanged", "rejected" };
	char now[ETL_TIME_BUFSZ];
	struct etl_instant t = etl_time_now();
	struct etl_stmt *st;
	int rc;

	st = etl_db_prepare(db, "UPDATE _etl_runs SET finished_at = $1, "
	    "status = $2, read = $3, inserted = $4, updated = $5, "
	    "unchanged = $6, rejected = $7, note = $8 WHERE id = $9", err);
	if (st == NULL)
		return -(int)err->kind;
	etl_stmt_bind_text(st, 1, etl_time_format(&t, now), -1);
	etl_stmt_bind_text(st, 2, status == ETL_OK || status == ETL_EPIPE ?
	    "ok" : etl_kind_name(status), -1);
	for (int i = 0; i < 5; i++)
		etl_stmt_bind_int(st, 3 + i, count_of(s, counts[i]));
	etl_stmt_bind_text(st, 8, note, -1);
	etl_stmt_bind_int(st, 9, id);
	rc = etl_stmt_step(st, err);
	etl_stmt_free(st);
	return rc < 0 ? rc : 0;
}

int
etl_run_set_spec(struct etl_db *db, long long id, const char *spec,
    struct etl_error *err)
{
	struct etl_stmt *st;
	int rc;

	st = etl_db_prepare(db, "UPDATE _etl_runs SET spec = $1 WHERE id = $2",
	    err);
	if (st == NULL)
		return -(int)err->kind;
	etl_stmt_bind_text(st, 1, spec, -1);
	etl_stmt_bind_int(st, 2, id);
	rc = etl_stmt_step(st, err);
	etl_stmt_free(st);
	return rc < 0 ? rc : 0;
}
