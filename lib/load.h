/*
 * Loading records into a table: batched, transactional, idempotent
 * (DESIGN.md section 5).  The loader creates the table from the first
 * batch, adds columns for new keys (unless strict), drops earlier copies
 * of a key within a batch (the later record counts), compares each record
 * with the stored row so counts are exact, and commits each batch in one
 * transaction; in replace mode the whole load is one transaction.
 *
 *   source-wins   the row becomes the incoming record (absent keys NULL)
 *   dest-wins     an existing row stays as it is
 *   latest-wins   the row with the later FIELD wins (ties keep the row)
 *   merge         non-null incoming values overwrite, nulls keep
 */
#ifndef ETL_LOAD_H
#define ETL_LOAD_H

#include <jansson.h>

#include "db.h"
#include "textjson.h"

enum etl_load_mode {
	ETL_LOAD_UPSERT = 0,
	ETL_LOAD_INSERT,
	ETL_LOAD_REPLACE,
	ETL_LOAD_APPEND
};

enum etl_conflict {
	ETL_CONFLICT_SOURCE = 0,
	ETL_CONFLICT_DEST,
	ETL_CONFLICT_LATEST,
	ETL_CONFLICT_MERGE
};

enum etl_change {
	ETL_CHANGE_INSERTED = 0,
	ETL_CHANGE_UPDATED,
	ETL_CHANGE_UNCHANGED
};

/* Counts of committed work (a batch rolled back counts nothing). */
struct etl_load_counts {
	long long inserted;
	long long updated;
	long long unchanged;
	long long deleted;		/* replace mode: rows not in the input */
	long long duplicates;		/* earlier copies of a key in a batch */
	long long batches;		/* transactions committed */
};

struct etl_load_hooks {
	void *ctx;
	/* A record rejected while loading (duplicate key, new column under
	 * strict schema, ...), as compact JSON text: 0 to go on, <0 to stop
	 * (fill err). */
	int (*reject)(void *ctx, const struct etl_error *why,
	    const char *json, size_t len, struct etl_error *err);
	/* After each commit, every loaded record (compact JSON text: the
	 * input with the whitespace between tokens removed) with what
	 * happened. */
	int (*emit)(void *ctx, const char *json, size_t len,
	    enum etl_change change, struct etl_error *err);
	/* Inside each batch's transaction, before commit; final is 1 for
	 * the last.  May be NULL. */
	int (*precommit)(void *ctx, struct etl_db *db, int final,
	    struct etl_error *err);
	/* A column was added to the table for a new key.  May be NULL. */
	void (*column_added)(void *ctx, const char *table, const char *column,
	    const char *type);
};

struct etl_load_opts {
	const char *table;
	const char *const *keys;	/* key columns, nkeys of them */
	int nkeys;
	enum etl_load_mode mode;
	enum etl_conflict conflict;
	const char *latest_field;	/* latest-wins FIELD */
	int strict_schema;
	size_t batch;			/* records per transaction */
	const char *watermark_key;	/* --watermark KEY:FIELD, or NULL */
	const char *watermark_field;
};

struct etl_loader;

struct etl_loader *etl_loader_new(struct etl_db *db,
    const struct etl_load_opts *opts, const struct etl_load_hooks *hooks,
    struct etl_error *err);
/* Frees; an unfinished load is rolled back.  NULL is ok. */
void etl_loader_free(struct etl_loader *ld);

/*
 * Add a record, a line scanned by textjson (copied: rec can be reused at
 * once).  source and line name it in messages.  -ETL_EDATA: a bad record
 * (err says why; the caller rejects it, the loader keeps nothing); other
 * <0: stop.  A full batch is loaded and committed here.
 */
int etl_loader_add(struct etl_loader *ld, const struct etl_textjson *rec,
    const char *source, long long line, struct etl_error *err);
/* The same for a jansson object (borrowed). */
int etl_loader_add_json(struct etl_loader *ld, const json_t *rec,
    const char *source, long long line, struct etl_error *err);

/* Load what is left, with the final precommit and the watermark. */
int etl_loader_finish(struct etl_loader *ld, struct etl_error *err);

/*
 * Commit the records added so far without the watermark (a run about to
 * stop on a bad record keeps what came before it).  Replace mode, all or
 * nothing, commits nothing here.
 */
int etl_loader_commit(struct etl_loader *ld, struct etl_error *err);

const struct etl_load_counts *etl_loader_counts(const struct etl_loader *ld);

/* The watermark value written (after finish), or NULL. */
const char *etl_loader_watermark(const struct etl_loader *ld);

/* Parse "source-wins", "dest-wins", "latest-wins:FIELD", "merge". */
int etl_conflict_parse(const char *s, enum etl_conflict *c,
    const char **field);
int etl_load_mode_parse(const char *s, enum etl_load_mode *m);

#endif
