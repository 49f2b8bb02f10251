/*
 * A streaming RFC 4180 CSV reader (DESIGN.md section 2): quoted fields,
 * doubled quotes, newlines inside quotes, CRLF or LF rows, a UTF-8 BOM
 * dropped, any one-byte delimiter.  The first row names the keys; each
 * later row becomes one object of strings, keys in header order.  A row
 * whose field count differs from the header's, that is not valid UTF-8,
 * or that is longer than max_row, is a bad record naming its line, and
 * reading goes on with the next row.  Empty lines are skipped.
 *
 * Memory: one buffer for the current row, capped at max_row.
 */
#ifndef ETL_CSV_H
#define ETL_CSV_H

#include <jansson.h>

#include "encoding.h"
#include "error.h"

struct etl_csv;

struct etl_csv_opts {
	char delimiter;		/* 0: ',' */
	size_t max_row;		/* 0: ETL_DEFAULT_MAX_LINE */
};

/*
 * Read through read/ctx (borrowed; they must outlive the reader).
 * source names the input in messages.  opts may be NULL.
 */
struct etl_csv *etl_csv_new(etl_read_fn read, void *ctx, const char *source,
    const struct etl_csv_opts *opts, struct etl_error *err);
void etl_csv_free(struct etl_csv *c);

/*
 * Next record: 1 with *rec set (a new reference, the caller owns it), 0
 * at the end, -ETL_EDATA for a bad row (its text stays available through
 * etl_csv_raw until the next call; reading may go on), other <0: the
 * input failed (stop).  A bad header row is -ETL_EDATA and ends the
 * input (etl_csv_failed then says 1).
 */
int etl_csv_next(struct etl_csv *c, json_t **rec, struct etl_error *err);

/* The raw text of the row last read (borrowed; may be cut short). */
const char *etl_csv_raw(const struct etl_csv *c, size_t *len);
/* The line on which the row last read began. */
long long etl_csv_lineno(const struct etl_csv *c);
/* Whether the input can no longer be read (a bad header). */
int etl_csv_failed(const struct etl_csv *c);

#endif
