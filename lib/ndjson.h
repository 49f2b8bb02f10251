/*
 * Streaming line and NDJSON input (DESIGN.md section 1).
 *
 * struct etl_lines reads a file descriptor in large blocks into one
 * growable buffer (capped at max_line) and hands out lines without their
 * "\n" or "\r\n"; a UTF-8 BOM at the start is dropped; blank lines are
 * skipped; line numbers count every physical line.  A line longer than
 * max_line is skipped to its end and reported as a bad record.
 *
 * struct etl_ndjson parses each line as one JSON object.
 */
#ifndef ETL_NDJSON_H
#define ETL_NDJSON_H

#include <jansson.h>
#include <stddef.h>

#include "error.h"

#define ETL_DEFAULT_MAX_LINE ((size_t)64 << 20)

struct etl_lines;
struct etl_ndjson;

/*
 * Open path for reading ("-" or NULL: stdin, not closed at free).
 * source names the input in messages.  NULL on error (66 when missing).
 */
struct etl_lines *etl_lines_new(const char *path, size_t max_line,
    struct etl_error *err);
void etl_lines_free(struct etl_lines *r);

/*
 * Next non-blank line: 1 with *line and *len set (borrowed until the next
 * call; NUL-terminated), 0 at end of input, or <0: -ETL_EDATA for an
 * over-long line (reading may go on), -ETL_EIO, -ETL_EINTR/-ETL_ETERM.
 */
int etl_lines_next(struct etl_lines *r, const char **line, size_t *len,
    struct etl_error *err);

/* Number of the line last returned. */
long long etl_lines_lineno(const struct etl_lines *r);
const char *etl_lines_source(const struct etl_lines *r);

struct etl_ndjson *etl_ndjson_new(const char *path, size_t max_line,
    struct etl_error *err);
void etl_ndjson_free(struct etl_ndjson *r);

/*
 * Next record: 1 with *rec set (a new reference, the caller owns it),
 * 0 at end of input, <0 on error.  -ETL_EDATA is a bad record: the raw
 * line stays available through etl_ndjson_raw until the next call, and
 * reading may go on.
 */
int etl_ndjson_next(struct etl_ndjson *r, json_t **rec, struct etl_error *err);

/* The raw text of the line last read (borrowed). */
const char *etl_ndjson_raw(const struct etl_ndjson *r, size_t *len);
long long etl_ndjson_lineno(const struct etl_ndjson *r);
/* The input's name in messages ("<stdin>" for standard input). */
const char *etl_ndjson_source(const struct etl_ndjson *r);

/* Parse one line as a JSON object; the same errors as etl_ndjson_next. */
int etl_ndjson_parse(const char *line, size_t len, const char *source,
    long long lineno, json_t **rec, struct etl_error *err);

#endif
