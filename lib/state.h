/*
 * Toolkit state in the data's own database (DESIGN.md section 5):
 *   _etl_watermarks(key PRIMARY KEY, value, pending, updated_at)
 *   _etl_runs(id, tool, target, started_at, finished_at, status, read,
 *             inserted, updated, unchanged, rejected, spec, note)
 * Watermark values are text as they appeared in the input; they order
 * type-aware (etl_value_cmp): numbers numerically, timestamps as instants.
 *
 * The write calls expect the caller's transaction (etl_db_begin), so a
 * tool can move data and state together.
 */
#ifndef ETL_STATE_H
#define ETL_STATE_H

#include "db.h"
#include "summary.h"

struct etl_watermark {
	char *key;
	char *value;		/* NULL when never committed */
	char *pending;		/* NULL when nothing pending */
	char *updated_at;
};

void etl_watermark_release(struct etl_watermark *w);

/* Create the state tables when missing. */
int etl_state_ensure(struct etl_db *db, struct etl_error *err);

/* 1 found (w filled, release it), 0 not found, <0 error. */
int etl_watermark_get(struct etl_db *db, const char *key,
    struct etl_watermark *w, struct etl_error *err);

/*
 * Move key's value to value when it is newer (or when force).  An older
 * value leaves it (*moved = 0).  Without force, value must be a number or
 * timestamp of the kind already stored: else -ETL_EDATA.
 */
int etl_watermark_advance(struct etl_db *db, const char *key,
    const char *value, int force, int *moved, struct etl_error *err);

/* Store key's pending value, or with NULL clear it (creating no row). */
int etl_watermark_set_pending(struct etl_db *db, const char *key,
    const char *pending, struct etl_error *err);

/*
 * Promote pending to value (never backwards) and clear it.  1 when
 * something was pending, 0 when not; *value (may be NULL) gets a new
 * copy of the resulting value.
 */
int etl_watermark_commit(struct etl_db *db, const char *key, char **value,
    struct etl_error *err);

/* 1 deleted, 0 no such key. */
int etl_watermark_delete(struct etl_db *db, const char *key,
    struct etl_error *err);

/* Call fn for each watermark in key order; a non-zero return stops. */
int etl_watermark_foreach(struct etl_db *db,
    int (*fn)(const struct etl_watermark *w, void *ctx), void *ctx,
    struct etl_error *err);

/* Record a run in _etl_runs: start gives *id, finish fills counts. */
int etl_run_start(struct etl_db *db, const char *tool, const char *target,
    const char *spec, long long *id, struct etl_error *err);
int etl_run_finish(struct etl_db *db, long long id,
    const struct etl_summary *s, enum etl_kind status, const char *note,
    struct etl_error *err);

/* Name the spec of a run (records carrying _spec). */
int etl_run_set_spec(struct etl_db *db, long long id, const char *spec,
    struct etl_error *err);

#endif
