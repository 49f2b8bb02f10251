/*
 * etl-match, shared between its files: the options, the two jobs (join
 * and diff) and reading records with bad ones sent to the dead letters.
 */
#ifndef ETL_MATCH_TOOL_H
#define ETL_MATCH_TOOL_H

#include "match.h"
#include "ndjson.h"
#include "rejects.h"
#include "textjson.h"
#include "tool.h"

#define TOOL "etl-match"
#define DEFAULT_THRESHOLD 0.65

enum {
	UNMATCHED_LEFT = 1,
	UNMATCHED_RIGHT = 2
};

struct match_opts {
	struct etl_match_field fields[ETL_MATCH_MAX_FIELDS];
	size_t nfields;
	char *names[2 * ETL_MATCH_MAX_FIELDS + 4];	/* owned copies */
	size_t nnames;
	double threshold;
	int threshold_given;
	int one_to_one;
	int explain;
	int left_join;
	int diff;
	int unmatched;
	const char *stopwords;
	const char *markers;
	const char *eval;
	const char *key_left, *key_right;
	long long max_candidates;
	const char *left, *right;	/* LEFT RIGHT, or OLD NEW */
};

/*
 * Queries of a batch of LEFT records on several threads (parallel.c).
 * The matcher is only read; each thread has its own query.  Results are
 * kept per record, so they are written in input order whatever thread
 * computed them.
 */
struct match_item {
	size_t off, len;		/* the record's text in the batch */
	struct etl_match_cand *c;	/* its candidates, best first */
	long n;
	size_t capc;
	struct etl_buf ex;		/* explanations asked for */
	size_t *exoff, *exlen;		/* per candidate; or SIZE_MAX */
};

struct match_worker;

struct match_batch {
	struct etl_buf text;
	struct match_item *items;
	size_t n, cap;
	int nworkers;
	struct match_worker *w;
};

/* Whether candidate k of c[0..n) needs its explanation. */
typedef int (*match_need_fn)(void *ctx, const struct etl_match_cand *c,
    long n, long k);

#define MATCH_BATCH 2048

int match_batch_init(struct match_batch *b, struct etl_matcher *m,
    int nworkers);
void match_batch_release(struct match_batch *b);
int match_batch_add(struct match_batch *b, const char *text, size_t len);
int match_batch_run(struct match_batch *b, match_need_fn need, void *ctx,
    struct etl_error *err);
void match_batch_reset(struct match_batch *b);
const char *match_item_explain(const struct match_item *it, uint32_t right,
    size_t *len);

/* Match LEFT against RIGHT (joins, fuzzy matching, --eval). */
int run_join(struct etl_tool *t, struct match_opts *o);

/* Compare OLD and NEW by key. */
int run_diff(struct etl_tool *t, struct match_opts *o);

/*
 * The next good record of in into rec: 1, 0 at the end, or <0 with
 * t->err set when the run must stop.  A bad line goes to rj (counted in
 * *nrej) or, without --errors, stops the run.
 */
int match_read(struct etl_tool *t, struct etl_lines *in,
    struct etl_rejects *rj, struct etl_textjson *rec, long long *nrej);

/* Reject a record that read well but is bad for this run. */
int match_reject(struct etl_tool *t, struct etl_rejects *rj,
    const struct etl_error *why, const struct etl_textjson *rec,
    long long *nrej);

#endif
