/*
 * The read loop every record-consuming tool shares: read NDJSON records
 * from one input, count them, draw progress, send lines that are not
 * records to the dead letters (or stop), and hand each record over.
 */
#ifndef ETL_RECORDS_H
#define ETL_RECORDS_H

#include <jansson.h>

#include "error.h"
#include "ndjson.h"
#include "rejects.h"
#include "textjson.h"

struct etl_records_counts {
	long long *read;		/* lines read, bad ones included */
	long long *rejected;		/* lines that were not records */
};

/*
 * fn gets each record (borrowed: json_incref to keep it) with its input
 * name and line number; a negative return stops the loop with it (fn
 * fills err).  path NULL or "-": stdin.  Returns 0 at the end of input,
 * or <0: the input cannot be read, a bad line with no dead-letter file
 * (or past --max-errors), or fn's error.
 */
int etl_records_foreach(const char *path, size_t max_line,
    struct etl_rejects *rj, struct etl_records_counts *counts,
    int (*fn)(json_t *rec, const char *source, long long line, void *ctx),
    void *ctx, struct etl_error *err);

/*
 * The same loop without jansson trees, for tools that look records up
 * and pass them on: fn gets each record scanned by textjson (reused for
 * the next line; its compact text is the record).
 */
int etl_records_foreach_text(const char *path, size_t max_line,
    struct etl_rejects *rj, struct etl_records_counts *counts,
    int (*fn)(const struct etl_textjson *rec, const char *source,
    long long line, void *ctx),
    void *ctx, struct etl_error *err);

/*
 * Its step: the next record of in scanned into rec.  A line that is not
 * a JSON object, or is too long, goes to rj and counts in *rejected.
 * 1: rec filled; 0: end of input; <0: error (err set).  *read, when not
 * NULL, counts every line taken.
 */
int etl_records_next_text(struct etl_lines *in, struct etl_rejects *rj,
    struct etl_textjson *rec, long long *read, long long *rejected,
    struct etl_error *err);

#endif
