/*
 * Bad records and dead letters (DESIGN.md section 3).  Without a file,
 * the first bad record stops the tool (-ETL_EDATA with its message).
 * With one, each rejected record is appended to it as
 *   {"error":{"tool":..,"input":..,"line":..,"field":..,"rule":..,
 *    "message":..},"record":{...}}      or "raw":"..." for non-JSON lines
 * and the tool goes on, until more than max_errors were rejected.
 */
#ifndef ETL_REJECTS_H
#define ETL_REJECTS_H

#include <jansson.h>

#include "error.h"

struct etl_rejects;

/*
 * path NULL: stop at the first bad record.  max_errors < 0: no limit.
 * The file is opened for appending; NULL on error (73).
 */
struct etl_rejects *etl_rejects_new(const char *path, long long max_errors,
    struct etl_error *err);

/*
 * Reject one record: why says what was wrong (input, line, field, rule,
 * message); record (borrowed) or raw/rawlen is what was read.  Returns 0
 * to go on, or <0 with err set when the tool must stop (no dead-letter
 * file: err is why itself; past max_errors; a write error).
 */
int etl_rejects_add(struct etl_rejects *rj, const struct etl_error *why,
    const json_t *record, const char *raw, size_t rawlen,
    struct etl_error *err);

/* The same for a record given as its compact JSON text (valid JSON: it
 * is written into the letter as it is). */
int etl_rejects_add_text(struct etl_rejects *rj, const struct etl_error *why,
    const char *json, size_t len, struct etl_error *err);

long long etl_rejects_count(const struct etl_rejects *rj);

/* Flush and close the file; frees rj (NULL is ok). */
int etl_rejects_close(struct etl_rejects *rj, struct etl_error *err);

#endif
