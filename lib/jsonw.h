/*
 * Compact JSON serialisation of jansson values into a struct etl_buf:
 * key order as stored, integers exact, reals in the shortest form that
 * reads back to the same double (jansson prints 1.1 as
 * 1.1000000000000001), UTF-8 kept as is.
 */
#ifndef ETL_JSONW_H
#define ETL_JSONW_H

#include <jansson.h>

#include "strbuf.h"

/* Append v; 0, or -1 when out of memory. */
int etl_json_dump(struct etl_buf *b, const json_t *v);

/*
 * Append a JSON string literal of s[0..len); bytes that are not valid
 * UTF-8 become U+FFFD, so any raw input line can be quoted.
 */
int etl_json_dump_string(struct etl_buf *b, const char *s, size_t len);

/* Shortest round-trip text of a finite double ("1.1", "3.0", "1e+300"). */
size_t etl_json_format_real(double d, char *buf, size_t n);

/* Length of the valid UTF-8 sequence at s (len > 0 bytes there): 1 for
 * ASCII, 2 to 4, or 0 when invalid (overlong, surrogate, past U+10FFFF). */
size_t etl_utf8_seq(const unsigned char *s, size_t len);

/* Whether s[0..len) is valid UTF-8. */
int etl_utf8_valid(const char *s, size_t len);

#endif
