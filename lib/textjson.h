/*
 * A fast path for NDJSON records that are only looked at and passed on:
 * one line is checked to be a JSON object and indexed by its top-level
 * members, without building a jansson tree (json_loadb costs about
 * 2.5 us for a 160-byte record, too slow for joins of a million records
 * a second).  The record is kept as its compact text: the input with
 * the whitespace between tokens removed, every other byte as it was, so
 * key order, number spellings and escapes are kept exactly.
 *
 * The scanner accepts a subset of what jansson accepts (it leaves to
 * jansson numbers that might overflow, surrogate escapes, NUL in keys
 * and deep nesting); etl_textjson_load falls back to jansson for those
 * and for errors, so jansson stays the judge of what a bad record is and
 * its message is the one reported.
 */
#ifndef ETL_TEXTJSON_H
#define ETL_TEXTJSON_H

#include <stddef.h>

#include "error.h"
#include "strbuf.h"

struct etl_jmember {
	size_t key, klen;	/* in keys: the key unescaped */
	size_t val, vlen;	/* in compact: the value's text */
};

/* Embedded by its owner: _init, reuse for each line, _release. */
struct etl_textjson {
	struct etl_buf compact;	/* the record's compact text */
	struct etl_buf keys;	/* top-level keys, unescaped */
	struct etl_jmember *m;
	size_t n, cap;
};

void etl_textjson_init(struct etl_textjson *j);
void etl_textjson_release(struct etl_textjson *j);

/*
 * Scan one line.  0: a JSON object, j filled; -1: not one the fast path
 * takes (invalid, or a form left to jansson); -2: out of memory.
 */
int etl_textjson_scan(struct etl_textjson *j, const char *s, size_t len);

/*
 * Scan, falling back to jansson: 0 with j filled (from jansson's compact
 * dump when the fast path declined), or -ETL_EDATA with jansson's message
 * for a line that is not a JSON object (rule "json"), or -ETL_EINTERNAL.
 */
int etl_textjson_load(struct etl_textjson *j, const char *s, size_t len,
    const char *source, long long lineno, struct etl_error *err);

/*
 * The text of member key (the last one of that name, as jansson keeps),
 * borrowed from j until the next scan; NULL when missing.
 */
const char *etl_textjson_get(const struct etl_textjson *j, const char *key,
    size_t *vlen);

/*
 * The scalar text of a value (as etl_value_text gives it: a string's
 * content unescaped, a number as written) appended to out: 0, or -1 for
 * null, booleans, arrays and objects, -2 when out of memory.
 */
int etl_textjson_scalar(struct etl_buf *out, const char *v, size_t vlen);

#endif
