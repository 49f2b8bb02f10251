/*
 * Versioned mapping specs (etl-transform(1), THE SPEC): load, check and
 * compile a JSON spec, then apply it to records one at a time.
 *
 *   {"name": "campaigns", "version": 3,
 *    "fields": {"date": {"from": "Date", "type": "date",
 *                        "formats": ["%Y-%m-%d", "%m/%d/%Y"],
 *                        "required": true}, ...},
 *    "keep_unmapped": false, "where": "channel != \"test\"",
 *    "hash": {"field": "row_hash", "of": ["date", "campaign"]}}
 *
 * A bad spec is -ETL_ECONFIG with a message naming the place:
 * "fields.spend.min: expected a number", err->source the spec's name.
 */
#ifndef ETL_SPEC_H
#define ETL_SPEC_H

#include <jansson.h>

#include "cast.h"
#include "error.h"
#include "expr.h"
#include "path.h"
#include "rules.h"
#include "strbuf.h"

enum etl_agg {
	ETL_AGG_NONE = 0,
	ETL_AGG_MIN,
	ETL_AGG_MAX,
	ETL_AGG_SUM,
	ETL_AGG_COUNT,
	ETL_AGG_FIRST,
	ETL_AGG_LAST,
	ETL_AGG_JOIN
};

struct etl_spec_field {
	char *name;			/* the output key */
	struct etl_path *from;
	char *from_key;			/* from as a key, or NULL */
	struct etl_cast cast;
	struct etl_rules rules;
	int prepare;			/* rules before the cast are set */
	int required;
	json_t *def;			/* the cast default, or NULL */
	enum etl_agg agg;
	char *sep;			/* join separator */
};

struct etl_spec {
	char *source;			/* the spec file, for messages */
	char *name;
	long long version;
	int nfields;
	struct etl_spec_field *fields;
	int keep_unmapped;
	int order_input;		/* "order": "input" */
	char *where_text;
	struct etl_expr *where;
	char *hash_field;		/* NULL: no hash */
	int nhash;
	int *hash_of;			/* field indexes, sorted by name */
	json_t *consumed;		/* {from_key: true}, keep_unmapped */
	json_t *names;			/* {name: true} of the fields */
	json_t *stamp;			/* {"name", "version"} */
	/* Scratch reused per record (a spec applies one record at a time). */
	json_t **vals;
	unsigned char *failed;
	unsigned char *emitted;
	struct etl_buf msg;
	struct etl_buf scratch;
};

/* Read and compile a spec file; -ETL_ENOINPUT when it is missing. */
struct etl_spec *etl_spec_load(const char *path, struct etl_error *err);

/* Compile a spec document (borrowed); source names it in messages. */
struct etl_spec *etl_spec_from_json(const json_t *doc, const char *source,
    struct etl_error *err);

/* Parse text as JSON (duplicate keys rejected) and compile it. */
struct etl_spec *etl_spec_from_text(const char *text, size_t len,
    const char *source, struct etl_error *err);

void etl_spec_free(struct etl_spec *s);

/* "campaigns v3", for summaries. */
char *etl_spec_label(const struct etl_spec *s, char *buf, size_t n);

enum etl_spec_outcome {
	ETL_SPEC_KEEP = 0,		/* *out holds the output record */
	ETL_SPEC_FILTERED,		/* where said no */
	ETL_SPEC_REJECTED		/* why says every failing field */
};

enum {
	ETL_SPEC_STAMP = 1		/* add "_spec": {"name", "version"} */
};

/*
 * Apply the spec to in (borrowed).  Returns an outcome >= 0, or <0 when
 * out of memory (err set).  KEEP: *out is a new record (the caller owns
 * it).  REJECTED: why gets kind ETL_EDATA, the first failing field and
 * rule, and a message naming every failure ("spend: -5 below min 0;
 * date: no format matched: '2026-13-01'"); source and line are the
 * caller's to fill.  A record whose where is false is FILTERED even when
 * it has failures, unless the where read a failing field.
 */
int etl_spec_apply(struct etl_spec *s, const json_t *in, unsigned flags,
    json_t **out, struct etl_error *why, struct etl_error *err);

const char *etl_agg_name(enum etl_agg agg);

#endif
