/*
 * Record matching: which records of RIGHT describe the same thing as a
 * record of LEFT.  RIGHT is held in memory (its compact text, tokens and
 * a blocking index); LEFT records are asked one at a time, so memory
 * grows with RIGHT only.
 *
 * Fields are compared in pairs (a LEFT name and a RIGHT name):
 *   exact  the scalar texts must be equal (a filter and a blocking key);
 *   fuzzy  text similarity in [0, 1] (see etl_match_text_score);
 *   near   1 at equal values falling linearly to 0 at the tolerance,
 *          timestamps as instants, numbers numerically; farther apart
 *          is a veto.
 * The score of a pair is the weighted mean of its fuzzy and near field
 * scores over the fields present on both sides, rounded to 4 decimals;
 * a veto (conflicting identifiers, a near field past its tolerance)
 * makes it 0.
 *
 * Candidates (blocking): a RIGHT record is scored against a LEFT record
 * only when its exact keys are equal, its first near value lies in the
 * LEFT value's bucket or a neighbouring one (buckets one tolerance wide),
 * and, with fuzzy fields, it shares a blocking key: a word of a fuzzy
 * field (not a stop word), or for words of 6 bytes or more their first
 * or last 4 bytes, within the same bucket and exact key.  Keys held by
 * more than key_limit RIGHT records are not used, unless a LEFT record
 * has no other (then its rarest one is).  Of the records reached, those
 * sharing at least ETL_MATCH_KEEP_SHARE of the best one's key weight (the
 * sum of the idf of the LEFT words behind the shared keys), at most
 * max_candidates of them, most weight first, are scored.
 */
#ifndef ETL_MATCH_H
#define ETL_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "strbuf.h"
#include "text.h"
#include "textjson.h"

enum etl_match_kind {
	ETL_MATCH_EXACT = 0,
	ETL_MATCH_FUZZY,
	ETL_MATCH_NEAR
};

struct etl_match_field {
	enum etl_match_kind kind;
	const char *left;		/* field names, borrowed */
	const char *right;
	double weight;			/* fuzzy, near: > 0 */
	double tol;			/* near: ms for timestamps */
	int time;			/* near: timestamps, else numbers */
};

#define ETL_MATCH_MAX_FIELDS 32
#define ETL_MATCH_DEFAULT_CANDIDATES 50
#define ETL_MATCH_DEFAULT_KEY_LIMIT 1000
/* Candidates sharing less than this share of the best one's key weight
 * are not scored. */
#define ETL_MATCH_KEEP_SHARE 0.3
/* Jaro-Winkler at or above this lets two different words match. */
#define ETL_MATCH_SOFT_MIN 0.85

struct etl_match_config {
	const struct etl_match_field *fields;	/* borrowed */
	size_t nfields;
	const struct etl_wordset *stopwords;	/* borrowed, may be NULL */
	const struct etl_wordset *markers;	/* borrowed, may be NULL */
	size_t max_candidates;			/* 0: the default */
	size_t key_limit;			/* 0: the default */
};

/* The built-in word lists (NULL-terminated) behind the defaults. */
extern const char *const etl_match_default_stopwords[];
extern const char *const etl_match_default_markers[];

struct etl_matcher;
struct etl_match_query;

struct etl_matcher *etl_matcher_new(const struct etl_match_config *cfg,
    struct etl_error *err);
void etl_matcher_free(struct etl_matcher *m);

/*
 * Add one RIGHT record (its compact text and fields are copied).
 * 0, or -ETL_EINTERNAL when out of memory.  Not after etl_matcher_build.
 */
int etl_matcher_add(struct etl_matcher *m, const struct etl_textjson *rec,
    struct etl_error *err);

/* After the last add: word weights and the blocking index. */
int etl_matcher_build(struct etl_matcher *m, struct etl_error *err);

size_t etl_matcher_count(const struct etl_matcher *m);

/* The compact text of RIGHT record i, borrowed. */
const char *etl_matcher_text(const struct etl_matcher *m, size_t i,
    size_t *len);

/* Whether the configuration scores pairs (has fuzzy or near fields). */
int etl_matcher_scores(const struct etl_matcher *m);

/*
 * Order of two RIGHT records by content (their compact texts): the
 * tie-break that keeps results independent of input order.
 */
int etl_matcher_cmp_text(const struct etl_matcher *m, size_t a, size_t b);

struct etl_match_cand {
	uint32_t right;		/* RIGHT record index */
	double score;		/* rounded to 4 decimals; 0 when vetoed */
	int veto;		/* index of the vetoing field, or -1 */
};

/* A reusable query for LEFT records; NULL when out of memory. */
struct etl_match_query *etl_match_query_new(struct etl_matcher *m);
void etl_match_query_free(struct etl_match_query *q);

/*
 * Find and score the candidates of one LEFT record: *cands (borrowed
 * until the next run) gets them best first (score, then content), vetoed
 * ones included with score 0; returns their number, or <0 with err set.
 * *reached, when not NULL, gets how many records blocking reached
 * before the max_candidates cut.
 */
long etl_match_query_run(struct etl_match_query *q,
    const struct etl_textjson *left, const struct etl_match_cand **cands,
    size_t *reached, struct etl_error *err);

/*
 * Append to out, as a JSON object, why the last run's LEFT record and
 * RIGHT record `right` score as they do: for each fuzzy and near field
 * {"score":..,"weight":..} and "veto" with a reason when one vetoes.
 * 0, or -1 when out of memory.
 */
int etl_match_query_explain(struct etl_match_query *q, uint32_t right,
    struct etl_buf *out);

/*
 * Similarity of two folded texts as a fuzzy field scores them, with no
 * word weights (every word weighs 1) and no stop words: for tests and
 * for tools that compare two strings.
 */
double etl_match_text_score(const char *a, const char *b);

#endif
