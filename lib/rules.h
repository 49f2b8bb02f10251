/*
 * The rules of a spec field (etl-transform(1), RULES).  Before the cast:
 * trim (ASCII white space and U+00A0 at both ends), null_if (texts that
 * mean null), lower/upper (ASCII letters).  After the cast, on a value
 * that is not null: enum, min, max, min_length, max_length, pattern
 * (POSIX ERE, unanchored, on the text of the value).  required and
 * default are the caller's: they are about missing values.
 */
#ifndef ETL_RULES_H
#define ETL_RULES_H

#include <jansson.h>
#include <regex.h>

#include "cast.h"
#include "error.h"

struct etl_rules {
	int trim, lower, upper;
	json_t *null_if;	/* array of strings, or NULL */
	json_t *enumv;		/* the allowed (cast) values, or NULL */
	json_t *min, *max;	/* cast bounds, or NULL */
	long long min_length;	/* -1: none */
	long long max_length;	/* -1: none */
	char *pattern;
	regex_t re;		/* compiled when pattern != NULL */
};

void etl_rules_init(struct etl_rules *r);
/* Frees what the rules hold (the JSON values are the rules' own refs). */
void etl_rules_release(struct etl_rules *r);

/* Compile a POSIX extended regular expression; -ETL_ECONFIG with why. */
int etl_rules_set_pattern(struct etl_rules *r, const char *pattern,
    struct etl_error *err);

/* Whether any pre-cast rule is set (so etl_rules_prepare does work). */
int etl_rules_have_prepare(const struct etl_rules *r);

/*
 * Before the cast: in (borrowed) to *out (a new reference: in itself,
 * a changed string, or JSON null when null_if matched).  0 or -1 (OOM).
 */
int etl_rules_prepare(const struct etl_rules *r, const json_t *in,
    json_t **out);

/*
 * After the cast: 0 when v (not null) passes, else -1 with *rule set to
 * the rule's name ("min", ...) and why to a phrase.
 */
int etl_rules_check(const struct etl_rules *r, enum etl_type type,
    const json_t *v, const char **rule, char *why, size_t n);

/*
 * Order two values of one type: numbers numerically (exact for
 * integers), datetimes as instants, strings and dates by bytes,
 * booleans false < true.  0 with *cmp set, or -1 when not comparable.
 */
int etl_value_order(const json_t *a, const json_t *b, int *cmp);

/* Equality for enum and where: numbers by value, else json_equal. */
int etl_value_equal(const json_t *a, const json_t *b);

/* Length in Unicode code points of a UTF-8 string. */
size_t etl_utf8_length(const char *s, size_t len);

#endif
