/*
 * Strict parsers for numbers, durations and sizes given on the command
 * line or in specs: no leading or trailing garbage, no silent overflow.
 * Each returns 0, or -1 with why (a static phrase) set when why != NULL.
 */
#ifndef ETL_PARSE_H
#define ETL_PARSE_H

#include <stddef.h>
#include <stdint.h>

/* A decimal integer in [min, max]. */
int etl_parse_int(const char *s, long long min, long long max,
    long long *out, const char **why);

/*
 * A duration: one or more <number><unit> with units ms, s, m, h, d
 * ("500ms", "30s", "5m", "2h", "7d", "1h30m"), or "0".  In milliseconds.
 */
int etl_parse_duration(const char *s, int64_t *ms, const char **why);

/* A size: a number with an optional K, M, G (binary) suffix, "64M". */
int etl_parse_size(const char *s, size_t *out, const char **why);

#endif
