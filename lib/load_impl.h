/* Private to the loader: its state, shared by the backend strategies. */
#ifndef ETL_LOAD_IMPL_H
#define ETL_LOAD_IMPL_H

#include <stdio.h>

#include "load.h"
#include "strbuf.h"
#include "textjson.h"
#include "value.h"

struct etlp_column {
	char *name;
	char *quoted;
	char *type;
};

/*
 * A record as the loader keeps it, without a jansson tree: one block
 * holding its compact JSON text (what --emit prints and dead letters
 * hold), its top-level members in input order and their values.  A
 * later member of one name wins, as in jansson.
 */
enum etlp_type {
	ETLP_NULL = 0,
	ETLP_FALSE,
	ETLP_TRUE,
	ETLP_INT,
	ETLP_REAL,
	ETLP_STR,		/* s: the content, unescaped */
	ETLP_JSON		/* s: an array or object as etl_json_dump
				 * writes it */
};

struct etlp_val {
	enum etlp_type type;
	const char *s;		/* STR and JSON; not NUL-terminated */
	size_t len;
	union {
		long long i;
		double d;
	} n;
};

struct etlp_member {
	const char *key;	/* NUL-terminated */
	size_t klen;
	struct etlp_val v;
};

struct etlp_record {
	const char *json;	/* compact text, NUL-terminated */
	size_t jlen;
	size_t n;
	struct etlp_member m[];
};

/* Scratch space for building records, kept by the loader. */
struct etlp_record_scratch {
	struct etl_buf text;	/* unescaped strings, rewritten JSON */
	struct etlp_member *m;	/* values, until placed in the block */
	struct etlp_place *pl;	/* where each value's text is */
	size_t cap;
};

void etlp_record_scratch_release(struct etlp_record_scratch *sc);
/* A record from a scanned line (one allocation, free() it); NULL when
 * out of memory. */
struct etlp_record *etlp_record_new(const struct etl_textjson *j,
    struct etlp_record_scratch *sc);
/* The value of member key (the last of that name), or NULL. */
const struct etlp_val *etlp_record_get(const struct etlp_record *r,
    const char *key);
/* A scalar's text as etl_value_text gives it (malloc'd), or NULL for
 * null, booleans, arrays, objects and a missing value. */
char *etlp_val_text(const struct etlp_val *v);

struct etlp_pending {
	struct etlp_record *rec;
	const struct etlp_val **vals;	/* one per column, into rec */
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
	json_t *keep;		/* replace mode: key texts of rejected
				 * records, whose stored rows stay */
	char *wm_best;
	FILE *spool;		/* replace mode: emitted records until commit */
	struct etl_buf scratch;
	struct etlp_record_scratch rs;
	const struct etlp_val **valbuf;	/* the batch's vals, n x ncols */
	size_t valcap;
	char **shape_keys;	/* the key names of the last record mapped */
	int *shape_cols;	/* and their columns (-1: none) */
	int shape_n;
	int shape_valid;	/* 0: look every key up */
	int shape_complete;	/* every key of the shape is a column */
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
const char *etlp_load_value_text(struct etl_loader *ld,
    const struct etlp_val *v, size_t *len);
/* The key of a pending record as one string (parts joined by 0x1f,
 * NUL-terminated) in b: 0, or -1 when out of memory. */
int etlp_load_key_string(struct etl_loader *ld, const struct etlp_record *r,
    struct etl_buf *b);
/* Replace mode: keep the stored row of a rejected record's key. */
int etlp_load_keep(struct etl_loader *ld, const struct etlp_record *rec,
    struct etl_error *err);
/* Latest-wins: 1 when incoming (text) beats stored (text or NULL), 0 when
 * not, -1 when they cannot be compared. */
int etlp_load_later(const char *incoming, const char *stored);

#endif
