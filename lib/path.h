/*
 * Paths into records: dotted names with indexes and wildcards.
 *   venue.name   zones[0].price   zones[-1]   plan[*].zone[*].price
 *   "a.b".c      (a quoted name may hold dots, with \" and \\ escapes)
 * [*] visits every element of an array (or every value of an object).
 */
#ifndef ETL_PATH_H
#define ETL_PATH_H

#include <jansson.h>

#include "error.h"

struct etl_path;

/* Parse text; NULL with -ETL_ECONFIG naming the column on bad syntax. */
struct etl_path *etl_path_new(const char *text, struct etl_error *err);
void etl_path_free(struct etl_path *p);

/* The text the path was made from. */
const char *etl_path_text(const struct etl_path *p);

/* Whether the path has a wildcard (may match many values). */
int etl_path_has_wildcard(const struct etl_path *p);

/* The one value at the path (first match with wildcards), borrowed;
 * NULL when missing. */
json_t *etl_path_get(const struct etl_path *p, const json_t *root);

/*
 * Call fn for every match in document order.  Returns the number of
 * matches, or fn's first non-zero return (which stops the walk).
 */
int etl_path_foreach(const struct etl_path *p, const json_t *root,
    int (*fn)(json_t *value, void *ctx), void *ctx);

/*
 * Store value (reference stolen, even on failure) at a path of names
 * only, creating objects on the way.  0, or -1 when the path has
 * indexes or wildcards or a non-object is in the way.
 */
int etl_path_set(const struct etl_path *p, json_t *root, json_t *value);

#endif
