/*
 * A hash map from byte strings to 64-bit values, for keys read from
 * records (join keys, diff keys, labelled pairs).  The map owns copies of
 * its keys; values are the caller's (an index, a count, a flag set).
 */
#ifndef ETL_TEXTMAP_H
#define ETL_TEXTMAP_H

#include <stddef.h>
#include <stdint.h>

struct etl_textmap;

/* An empty map, NULL when out of memory; _free accepts NULL. */
struct etl_textmap *etl_textmap_new(void);
void etl_textmap_free(struct etl_textmap *tm);

/*
 * The value slot of key k[0..len), added (with value init) when missing:
 * *added tells which (may be NULL).  NULL when out of memory.  The
 * pointer is valid until the next insertion.
 */
uint64_t *etl_textmap_put(struct etl_textmap *tm, const void *k, size_t len,
    uint64_t init, int *added);

/* The value slot of a key, or NULL when missing. */
uint64_t *etl_textmap_get(const struct etl_textmap *tm, const void *k,
    size_t len);

size_t etl_textmap_count(const struct etl_textmap *tm);

#endif
