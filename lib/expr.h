/*
 * The where language of specs (etl-transform(1), WHERE): a boolean
 * expression over the fields of an output record.
 *
 *   expr    := and ("||" and)*
 *   and     := unary ("&&" unary)*
 *   unary   := "!" unary | cmp
 *   cmp     := operand [("==" | "!=" | "<" | "<=" | ">" | ">=") operand
 *                       | "in" "[" [literal ("," literal)*] "]"]
 *   operand := literal | field | "(" expr ")" | "exists" "(" field ")"
 *   literal := number | "string" | 'string' | true | false | null
 *   field   := name ("." name | "[" index "]")*   (a path, lib/path.h)
 *            | "`" any text but a backquote "`"  (one key, as it is)
 *
 * == and != compare numbers by value and anything else exactly (a missing
 * field is null); < <= > >= order numbers, strings (by bytes, so ISO
 * dates order right) and RFC 3339 datetimes (as instants), and are false
 * for values of different kinds or null.  A field alone is true unless it
 * is missing, null or false.  exists(f) is true when f is present and not
 * null.  Nothing in an evaluation is an error.
 */
#ifndef ETL_EXPR_H
#define ETL_EXPR_H

#include <jansson.h>

#include "error.h"

struct etl_expr;

/*
 * Says what a field reference (its first name) is: an index >= 0 the
 * caller tracks (see failed below), -2 a name allowed without an index,
 * -1 an unknown name (a compile error).
 */
typedef int (*etl_expr_resolve_fn)(const char *name, void *ctx);

/*
 * Compile text.  resolve may be NULL (any name, no index).  NULL with
 * -ETL_ECONFIG and a message naming the column on a syntax error.
 */
struct etl_expr *etl_expr_new(const char *text, etl_expr_resolve_fn resolve,
    void *ctx, struct etl_error *err);
void etl_expr_free(struct etl_expr *e);

/*
 * Evaluate over rec: 1 true, 0 false.  failed (may be NULL) marks field
 * indexes whose values are not to be trusted; *unsure (may be NULL) is
 * set when the result read one of them.
 */
int etl_expr_eval(const struct etl_expr *e, const json_t *rec,
    const unsigned char *failed, int *unsure);

#endif
