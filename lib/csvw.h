/* Writing CSV (RFC 4180 quoting): a field is quoted when it holds the
 * delimiter, a quote, CR or LF, and quotes inside are doubled. */
#ifndef ETL_CSVW_H
#define ETL_CSVW_H

#include <jansson.h>

#include "strbuf.h"

/* Append one field; 0 or -1 (out of memory). */
int etl_csv_put_field(struct etl_buf *b, const char *s, size_t len,
    char delim);

/*
 * Append a JSON value as a field: strings as they are, numbers exactly,
 * true/false, null as an empty field, objects and arrays as compact JSON.
 */
int etl_csv_put_value(struct etl_buf *b, const json_t *v, char delim);

#endif
