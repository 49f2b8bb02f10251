/*
 * Type-aware ordering of scalar values, shared by watermarks, conflict
 * strategies and matching: numbers compare numerically and exactly (as
 * decimals, never through a double), timestamps compare as instants.
 */
#ifndef ETL_VALUE_H
#define ETL_VALUE_H

#include <jansson.h>

#include "timeval.h"

enum etl_vkind {
	ETL_V_NONE = 0,		/* neither: not comparable */
	ETL_V_NUMBER,		/* JSON number syntax */
	ETL_V_TIME		/* RFC 3339 / ISO 8601 timestamp */
};

/* What a text holds: a number, a timestamp or neither. */
enum etl_vkind etl_value_kind(const char *text);

/* Name of a kind, for messages: "number", "timestamp", "other". */
const char *etl_vkind_name(enum etl_vkind kind);

/*
 * Compare two texts of one kind.  Returns 0 and sets *cmp (<0, 0, >0),
 * or -1 when either is not comparable or the kinds differ.
 */
int etl_value_cmp(const char *a, const char *b, int *cmp);

/* Exact comparison of two JSON number texts; -1 if either is not one. */
int etl_number_cmp(const char *a, const char *b, int *cmp);

/*
 * The text of a scalar JSON value as it would appear in output: strings
 * as they are, integers exactly, reals in shortest round-trip form.
 * Returns a new string (free it), or NULL for NULL (a missing value),
 * null, booleans, objects, arrays and on allocation failure.
 */
char *etl_value_text(const json_t *v);

#endif
