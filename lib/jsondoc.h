/*
 * Records out of JSON documents and NDJSON streams (DESIGN.md section 2),
 * read incrementally: only one record (and the part of the document
 * outside the records array) is held at a time, so a 1 GB array of
 * records reads in flat memory.
 *
 * records is a path (lib/path.h: "data.items", "results[0].rows") to the
 * array of records inside each document.  Without it, a document that is
 * an array gives its elements, and one that is an object is itself the
 * record.  Several documents may follow one another (concatenated JSON,
 * NDJSON): each is read the same way.  When the path holds an object
 * rather than an array, that object is the record; when it is missing
 * or null, the document has none (etl_jsondoc_found says 0).
 *
 * lines mode reads NDJSON instead: one object a line, blank lines
 * skipped, a bad line a bad record and reading goes on.
 */
#ifndef ETL_JSONDOC_H
#define ETL_JSONDOC_H

#include <jansson.h>

#include "encoding.h"
#include "error.h"

struct etl_jsondoc;

struct etl_jsondoc_opts {
	const char *records;	/* path to the records array, or NULL */
	int lines;		/* NDJSON */
	size_t max_record;	/* one record, or the rest; 0: 64 MiB */
};

/*
 * Read through read/ctx (borrowed; they must outlive the reader).
 * NULL with -ETL_ECONFIG for a bad path.
 */
struct etl_jsondoc *etl_jsondoc_new(etl_read_fn read, void *ctx,
    const char *source, const struct etl_jsondoc_opts *opts,
    struct etl_error *err);
void etl_jsondoc_free(struct etl_jsondoc *d);

/*
 * Next record: 1 with *rec set (a new reference, the caller owns it), 0
 * at the end, -ETL_EDATA for a bad record (not an object, invalid JSON
 * inside one element, too large: its text through etl_jsondoc_raw,
 * reading may go on) or a document that is not JSON (etl_jsondoc_failed
 * then says 1: reading cannot go on), other <0: the input failed.
 */
int etl_jsondoc_next(struct etl_jsondoc *d, json_t **rec,
    struct etl_error *err);

/* The text of the bad record last read (borrowed; may be cut short). */
const char *etl_jsondoc_raw(const struct etl_jsondoc *d, size_t *len);
/* The line on which the record last read began. */
long long etl_jsondoc_lineno(const struct etl_jsondoc *d);
int etl_jsondoc_failed(const struct etl_jsondoc *d);

/*
 * After the end: the last document with its records array emptied, for
 * pagination fields ("next", "cursor"), borrowed; NULL when there was
 * none (empty input, or lines mode).
 */
json_t *etl_jsondoc_rest(const struct etl_jsondoc *d);
/* Whether the records path was found in some document. */
int etl_jsondoc_found(const struct etl_jsondoc *d);

#endif
