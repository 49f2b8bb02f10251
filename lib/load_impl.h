/* Private to the loader: its state, shared by the backend strategies. */
#ifndef ETL_LOAD_IMPL_H
#define ETL_LOAD_IMPL_H

#include <stdio.h>

#include "load.h"
#include "strbuf.h"
#include "value.h"

struct etlp_column {
	char *name;
	char *quoted;
	char *type;
};

struct etlp_pending {
	json_t *rec;
	json_t **vals;		/* one per column, borrowed from rec */
	const char *source;
	long long line;
	int dropped;		/* superseded or rejected */
	enum etl_change change;
};

struct etl_loader {
	struct etl_db *db;
	struct etl_load_opts o;
	struct etl_load_hooks h;
	int pg;
	char *qtable;
	int table_exists;
	struct etlp_column *cols;
	int ncols;
	json_t *colmap;		/* name -> index; SQLite: also lower case */
	int *keycol;		/* column index of each key */
	int latest_col;		/* column of latest-wins FIELD, or -1 */
	struct etlp_pending *batch;
	size_t n, cap;
	int schema_changed;	/* statements need preparing again */
	int tx_open;
	int replace_begun;
	struct etl_load_counts c;	/* committed */
	struct etl_load_counts pend;	/* in the open transaction */
	int created;		/* the table was made by this loader */
	int failed;		/* a batch failed: nothing more is loaded */
	json_t *keep;		/* replace mode: keys of rejected records,
				 * whose stored rows stay */
	char *wm_best;
	FILE *spool;		/* replace mode: emitted records until commit */
	struct etl_buf scratch;
	char **shape_keys;	/* the key names of the last record mapped */
	int *shape_cols;	/* and their columns (-1: none) */
	int shape_n;
	int shape_valid;	/* 0: look every key up */
	char **sources;		/* input names, copied once each */
	int nsources;
	void *strategy;		/* backend statements */
};

/* Backend strategies: load the non-dropped records of the batch inside
 * the open transaction, setting each one's change or rejecting it. */
int etlp_load_sqlite(struct etl_loader *ld, struct etl_error *err);
void etlp_load_sqlite_free(struct etl_loader *ld);
int etlp_load_pg(struct etl_loader *ld, struct etl_error *err);
void etlp_load_pg_free(struct etl_loader *ld);

/* Shared helpers of load.c for the strategies. */
int etlp_load_reject(struct etl_loader *ld, struct etlp_pending *p,
    const char *field, const char *rule, struct etl_error *err,
    const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* The text a value is stored as (NULL for null); in ld->scratch or
 * borrowed, valid until the next call. */
const char *etlp_load_value_text(struct etl_loader *ld, const json_t *v,
    size_t *len);
/* Replace mode: keep the stored row of a rejected record's key. */
int etlp_load_keep(struct etl_loader *ld, const json_t *rec,
    struct etl_error *err);
/* Latest-wins: 1 when incoming (text) beats stored (text or NULL), 0 when
 * not, -1 when they cannot be compared. */
int etlp_load_later(const char *incoming, const char *stored);

#endif
