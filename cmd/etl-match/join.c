/*
 * etl-match LEFT RIGHT: load RIGHT into a matcher, stream LEFT through
 * it.  Without --one-to-one each LEFT record's pairs are written as it is
 * read; with it, pairs are kept (a few per LEFT record) and assigned best
 * first once LEFT has ended.  --eval counts instead of writing.
 */
#include <math.h>
#include <stdint.h>

#include "etl-match.h"
#include "jsonw.h"
#include "log.h"
#include "out.h"
#include "signals.h"
#include "strbuf.h"
#include "text.h"
#include "textmap.h"

/* A kept pair: LEFT record l (in order read) and RIGHT record r. */
struct pair {
	uint32_t l, r;
	double score;
	int truth;		/* --eval: a known pair */
	int taken;
};

struct span {
	uint64_t off;
	uint32_t len;
};

/* --eval thresholds besides the chosen one. */
static const double curve[] = {
	0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95
};

struct join {
	struct etl_tool *t;
	struct match_opts *o;
	struct etl_wordset *stop, *mark;
	struct etl_matcher *m;
	struct etl_match_query *q;
	struct etl_out *out;
	struct etl_rejects *rj;
	struct etl_textjson rec;
	struct etl_buf line, ex, tmp;
	uint8_t *used;			/* RIGHT records in a pair */
	int scores;

	/* kept LEFT records (--one-to-one) */
	struct etl_buf ltext;
	struct span *lrec;
	size_t nl, capl;
	uint8_t *lused;
	struct pair *pairs;
	size_t np, capp;

	/* --eval */
	struct etl_textmap *truth;	/* "left\x1fright" */
	size_t ntruth;
	struct etl_buf rkeys;		/* RIGHT keys */
	struct span *rkey;
	size_t caprkey;
	struct etl_buf lkey;
	long long blocked;		/* true pairs among candidates */
	long long scored;

	/* LEFT records scored on all cores, then written in order */
	struct match_batch batch;
	int batched;
	const struct match_item *cur;	/* the record being written */

	long long *nleft, *nright, *nmatched, *nunl, *nunr, *nrej;
};

static int
grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t c = *cap ? *cap : 64;
	void *q;

	if (need <= *cap)
		return 0;
	while (c < need)
		c *= 2;
	q = realloc(*p, c * size);
	if (q == NULL)
		return -1;
	*p = q;
	*cap = c;
	return 0;
}

static int
oom(struct join *j)
{
	return etl_error_set(&j->t->err, ETL_EINTERNAL, "out of memory");
}

static int
load_words(struct join *j, struct etl_wordset **ws, const char *path,
    const char *const *def)
{
	*ws = etl_wordset_new();
	if (*ws == NULL)
		return oom(j);
	if (path != NULL)
		return etl_wordset_load(*ws, path, &j->t->err);
	if (etl_wordset_add_list(*ws, def) < 0)
		return oom(j);
	return 0;
}

static int
put_real(struct etl_buf *b, double d)
{
	char num[64];
	size_t n = etl_json_format_real(d, num, sizeof(num));

	return etl_buf_append(b, num, n);
}

static const char *
right_text(struct join *j, uint32_t r, size_t *len)
{
	return etl_matcher_text(j->m, r, len);
}

static const char *
left_text(struct join *j, uint32_t l, size_t *len)
{
	*len = j->lrec[l].len;
	return j->ltext.data + j->lrec[l].off;
}

static int
write_line(struct join *j)
{
	if (j->line.data == NULL)
		return oom(j);
	return etl_out_line(j->out, j->line.data, j->line.len, &j->t->err);
}

/*
 * The explanation of the LEFT record being written with RIGHT record r:
 * computed by a worker (batches), else by the query, which must hold it.
 */
static int
put_explain(struct join *j, uint32_t r)
{
	const char *ex;
	size_t len;

	if (j->cur != NULL) {
		ex = match_item_explain(j->cur, r, &len);
		if (ex == NULL)
			return etl_buf_puts(&j->line, "null");
		return etl_buf_append(&j->line, ex, len);
	}
	return etl_match_query_explain(j->q, r, &j->line);
}

/* {"score":S,"left":L,"right":R[,"explain":{...}]} */
static int
emit_pair(struct join *j, const char *lt, size_t ll, uint32_t r,
    double score)
{
	size_t rl;
	const char *rt = right_text(j, r, &rl);
	int rc = 0;

	etl_buf_reset(&j->line);
	rc |= etl_buf_putc(&j->line, '{');
	if (j->scores) {
		rc |= etl_buf_puts(&j->line, "\"score\":");
		rc |= put_real(&j->line, score);
		rc |= etl_buf_putc(&j->line, ',');
	}
	rc |= etl_buf_puts(&j->line, "\"left\":");
	rc |= etl_buf_append(&j->line, lt, ll);
	rc |= etl_buf_puts(&j->line, ",\"right\":");
	rc |= etl_buf_append(&j->line, rt, rl);
	if (j->o->explain) {
		rc |= etl_buf_puts(&j->line, ",\"explain\":");
		rc |= put_explain(j, r);
	}
	rc |= etl_buf_putc(&j->line, '}');
	j->used[r] = 1;
	(*j->nmatched)++;
	return rc ? oom(j) : write_line(j);
}

/* ,"nearest":{"score":S,"right":R,"explain":{...}} for --explain. */
static int
put_nearest(struct join *j, const struct etl_match_cand *c, long n)
{
	size_t rl;
	const char *rt;
	int rc = 0;

	if (!j->o->explain || n <= 0)
		return 0;
	rt = right_text(j, c[0].right, &rl);
	rc |= etl_buf_puts(&j->line, ",\"nearest\":{\"score\":");
	rc |= put_real(&j->line, c[0].score);
	rc |= etl_buf_puts(&j->line, ",\"right\":");
	rc |= etl_buf_append(&j->line, rt, rl);
	rc |= etl_buf_puts(&j->line, ",\"explain\":");
	rc |= put_explain(j, c[0].right);
	rc |= etl_buf_putc(&j->line, '}');
	return rc ? -1 : 0;
}

/* A LEFT record without a pair; c/n its candidates for --explain. */
static int
emit_left_only(struct join *j, const char *lt, size_t ll,
    const struct etl_match_cand *c, long n)
{
	int rc = 0;

	(*j->nunl)++;
	if (!j->o->left_join && !(j->o->unmatched & UNMATCHED_LEFT))
		return 0;
	etl_buf_reset(&j->line);
	if (j->o->left_join) {
		rc |= etl_buf_puts(&j->line, j->scores ?
		    "{\"score\":null,\"left\":" : "{\"left\":");
		rc |= etl_buf_append(&j->line, lt, ll);
		rc |= etl_buf_puts(&j->line, ",\"right\":null");
	} else {
		rc |= etl_buf_puts(&j->line,
		    "{\"unmatched\":\"left\",\"record\":");
		rc |= etl_buf_append(&j->line, lt, ll);
	}
	rc |= put_nearest(j, c, n);
	rc |= etl_buf_putc(&j->line, '}');
	return rc ? oom(j) : write_line(j);
}

static int
emit_right_only(struct join *j, uint32_t r)
{
	size_t rl;
	const char *rt = right_text(j, r, &rl);
	int rc = 0;

	(*j->nunr)++;
	if (!(j->o->unmatched & UNMATCHED_RIGHT))
		return 0;
	etl_buf_reset(&j->line);
	rc |= etl_buf_puts(&j->line, "{\"unmatched\":\"right\",\"record\":");
	rc |= etl_buf_append(&j->line, rt, rl);
	rc |= etl_buf_putc(&j->line, '}');
	return rc ? oom(j) : write_line(j);
}

/* Whether a candidate is a match. */
static int
accepts(const struct join *j, const struct etl_match_cand *c)
{
	if (c->veto >= 0)
		return 0;
	return !j->scores || c->score >= j->o->threshold;
}

/* The scalar text of field name into b; 0, or -1 when missing. */
static int
key_text(const struct etl_textjson *rec, const char *name, struct etl_buf *b)
{
	const char *v;
	size_t vlen;

	etl_buf_reset(b);
	v = etl_textjson_get(rec, name, &vlen);
	if (v == NULL || etl_textjson_scalar(b, v, vlen) != 0)
		return -1;
	if (etl_buf_reserve(b, 0) < 0)
		return -1;
	b->data[b->len] = '\0';
	return 0;
}

/* ---- RIGHT ---- */

static int
load_right(struct join *j)
{
	struct etl_tool *t = j->t;
	struct etl_lines *in;
	int rc;

	in = etl_lines_new(j->o->right, t->max_line, &t->err);
	if (in == NULL)
		return -(int)t->err.kind;
	while ((rc = match_read(t, in, j->rj, &j->rec, j->nrej)) > 0) {
		size_t n = etl_matcher_count(j->m);

		if ((rc = etl_matcher_add(j->m, &j->rec, &t->err)) < 0)
			break;
		(*j->nright)++;
		etl_progress_update(*j->nright, "right");
		if (j->o->eval == NULL)
			continue;
		if (grow((void **)&j->rkey, &j->caprkey, n + 1,
		    sizeof(*j->rkey)) < 0) {
			rc = oom(j);
			break;
		}
		j->rkey[n].off = j->rkeys.len;
		j->rkey[n].len = UINT32_MAX;
		if (key_text(&j->rec, j->o->key_right, &j->tmp) == 0) {
			j->rkey[n].len = (uint32_t)j->tmp.len;
			if (etl_buf_append(&j->rkeys, j->tmp.data,
			    j->tmp.len) < 0) {
				rc = oom(j);
				break;
			}
		}
	}
	etl_lines_free(in);
	if (rc < 0)
		return rc;
	etl_log(ETL_LOG_DEBUG, "%s: %lld records held", j->o->right,
	    *j->nright);
	return etl_matcher_build(j->m, &t->err);
}

/* ---- --eval ---- */

/* "left\x1fright" in j->tmp. */
static int
pair_key(struct join *j, const char *l, size_t ll, const char *r, size_t rl)
{
	etl_buf_reset(&j->tmp);
	if (etl_buf_append(&j->tmp, l, ll) < 0 ||
	    etl_buf_putc(&j->tmp, '\x1f') < 0 ||
	    etl_buf_append(&j->tmp, r, rl) < 0)
		return -1;
	return 0;
}

static int
load_truth(struct join *j)
{
	struct etl_tool *t = j->t;
	struct etl_lines *in;
	struct etl_buf l, r;
	int rc;

	j->truth = etl_textmap_new();
	if (j->truth == NULL)
		return oom(j);
	in = etl_lines_new(j->o->eval, t->max_line, &t->err);
	if (in == NULL)
		return -(int)t->err.kind;
	etl_buf_init(&l);
	etl_buf_init(&r);
	while ((rc = match_read(t, in, j->rj, &j->rec, j->nrej)) > 0) {
		struct etl_error why;
		int added;

		if (key_text(&j->rec, "left", &l) < 0 ||
		    key_text(&j->rec, "right", &r) < 0) {
			etl_error_init(&why);
			etl_error_at(&why, ETL_EDATA, etl_lines_source(in),
			    etl_lines_lineno(in), key_text(&j->rec, "left",
			    &l) < 0 ? "left" : "right", "missing, or not a "
			    "string or number");
			etl_error_rule(&why, "pair");
			if ((rc = match_reject(t, j->rj, &why, &j->rec,
			    j->nrej)) < 0)
				break;
			continue;
		}
		if (pair_key(j, l.data, l.len, r.data, r.len) < 0 ||
		    etl_textmap_put(j->truth, j->tmp.data, j->tmp.len, 0,
		    &added) == NULL) {
			rc = oom(j);
			break;
		}
		j->ntruth += (size_t)added;
	}
	etl_buf_release(&l);
	etl_buf_release(&r);
	etl_lines_free(in);
	return rc;
}

/* Whether LEFT key (j->lkey) and RIGHT record r are a known pair. */
static int
is_true(struct join *j, uint32_t r)
{
	uint64_t *v;

	if (j->lkey.len == 0 && j->lkey.data == NULL)
		return 0;
	if (j->rkey[r].len == UINT32_MAX)
		return 0;
	if (pair_key(j, j->lkey.data, j->lkey.len, j->rkeys.data +
	    j->rkey[r].off, j->rkey[r].len) < 0)
		return -1;
	v = etl_textmap_get(j->truth, j->tmp.data, j->tmp.len);
	if (v == NULL)
		return 0;
	return 1;
}

static double
ratio(long long a, long long b)
{
	return b > 0 ? (double)a / (double)b : 0.0;
}

static double
round4(double x)
{
	return floor(x * 10000.0 + 0.5) / 10000.0;
}

/* The metrics at threshold th into b as an object's members. */
static int
put_metrics(struct join *j, struct etl_buf *b, double th, int full)
{
	long long pred = 0, tp = 0;
	double p, r, f1;
	int rc = 0;

	for (size_t i = 0; i < j->np; i++) {
		const struct pair *x = &j->pairs[i];

		if (!x->taken || x->score < th)
			continue;
		pred++;
		tp += x->truth;
	}
	if (tp > (long long)j->ntruth)
		tp = (long long)j->ntruth;
	if (full)
		*j->nmatched = pred;
	p = ratio(tp, pred);
	r = ratio(tp, (long long)j->ntruth);
	f1 = p + r > 0 ? 2 * p * r / (p + r) : 0.0;
	rc |= etl_buf_puts(b, "\"threshold\":");
	rc |= put_real(b, th);
	if (full)
		rc |= etl_buf_printf(b, ",\"true_pairs\":%zu", j->ntruth);
	rc |= etl_buf_printf(b, ",\"predicted\":%lld,\"true_positives\":%lld",
	    pred, tp);
	rc |= etl_buf_puts(b, ",\"precision\":");
	rc |= put_real(b, round4(p));
	rc |= etl_buf_puts(b, ",\"recall\":");
	rc |= put_real(b, round4(r));
	rc |= etl_buf_puts(b, ",\"f1\":");
	rc |= put_real(b, round4(f1));
	if (full) {
		char note[64];

		snprintf(note, sizeof(note), "%.4f", round4(p));
		etl_summary_note(&j->t->summary, "precision", note);
		snprintf(note, sizeof(note), "%.4f", round4(r));
		etl_summary_note(&j->t->summary, "recall", note);
		snprintf(note, sizeof(note), "%.4f", round4(f1));
		etl_summary_note(&j->t->summary, "f1", note);
		snprintf(note, sizeof(note), "%.4f",
		    round4(ratio(j->blocked, (long long)j->ntruth)));
		etl_summary_note(&j->t->summary, "blocking recall", note);
	}
	return rc ? -1 : 0;
}

static int
report_eval(struct join *j)
{
	struct etl_buf b;
	int rc = 0;

	etl_buf_init(&b);
	rc |= etl_buf_putc(&b, '{');
	rc |= put_metrics(j, &b, j->o->threshold, 1);
	rc |= etl_buf_puts(&b, ",\"blocking_recall\":");
	rc |= put_real(&b, round4(ratio(j->blocked, (long long)j->ntruth)));
	rc |= etl_buf_printf(&b, ",\"candidates\":%lld,\"curve\":[",
	    j->scored);
	for (size_t i = 0; i < sizeof(curve) / sizeof(curve[0]); i++) {
		rc |= etl_buf_puts(&b, i ? ",{" : "{");
		rc |= put_metrics(j, &b, curve[i], 0);
		rc |= etl_buf_putc(&b, '}');
	}
	rc |= etl_buf_puts(&b, "]}");
	if (rc == 0)
		rc = etl_out_line(j->out, b.data, b.len, &j->t->err);
	else
		rc = oom(j);
	etl_buf_release(&b);
	return rc;
}

/* ---- LEFT ---- */

static int
keep_left(struct join *j, const char *lt, size_t ll, uint32_t *l)
{
	if (grow((void **)&j->lrec, &j->capl, j->nl + 1, sizeof(*j->lrec)) < 0)
		return -1;
	j->lrec[j->nl].off = j->ltext.len;
	j->lrec[j->nl].len = (uint32_t)ll;
	if (etl_buf_append(&j->ltext, lt, ll) < 0)
		return -1;
	*l = (uint32_t)j->nl++;
	return 0;
}

static int
keep_pair(struct join *j, uint32_t l, const struct etl_match_cand *c,
    int truth)
{
	struct pair *p;

	if (grow((void **)&j->pairs, &j->capp, j->np + 1, sizeof(*j->pairs)) <
	    0)
		return -1;
	p = &j->pairs[j->np++];
	p->l = l;
	p->r = c->right;
	p->score = c->score;
	p->truth = truth;
	p->taken = 0;
	return 0;
}

/* The lowest score --eval keeps, so the curve can be drawn. */
static double
eval_floor(const struct join *j)
{
	return j->o->threshold < curve[0] ? j->o->threshold : curve[0];
}

/*
 * Write (or keep) the pairs of LEFT record lidx, text lt, whose
 * candidates are c[0..n); j->rec holds the record.
 */
static int
one_left(struct join *j, const char *lt, size_t ll,
    const struct etl_match_cand *c, long n, uint32_t lidx)
{
	uint32_t l = lidx;
	int rc = 0, any = 0;
	int keep = j->o->one_to_one || j->o->eval;

	j->scored += n;
	if (j->o->eval != NULL) {
		if (key_text(&j->rec, j->o->key_left, &j->lkey) < 0)
			etl_buf_release(&j->lkey);
	}
	if (keep && j->o->one_to_one && keep_left(j, lt, ll, &l) < 0)
		return oom(j);
	for (long i = 0; i < n; i++) {
		int truth = 0;

		if (j->o->eval != NULL) {
			truth = is_true(j, c[i].right);
			if (truth < 0)
				return oom(j);
			j->blocked += truth;
			if (c[i].veto < 0 && c[i].score >= eval_floor(j) &&
			    keep_pair(j, l, &c[i], truth) < 0)
				return oom(j);
			continue;
		}
		if (!accepts(j, &c[i]))
			continue;
		if (j->o->one_to_one) {
			if (keep_pair(j, l, &c[i], 0) < 0)
				return oom(j);
			continue;
		}
		any = 1;
		rc = emit_pair(j, lt, ll, c[i].right, c[i].score);
		if (rc < 0)
			return rc;
	}
	if (!keep && !any)
		rc = emit_left_only(j, lt, ll, c, n);
	return rc;
}

/* The explanations a worker must compute (see one_left, emit_*). */
static int
need_explain(void *ctx, const struct etl_match_cand *c, long n, long k)
{
	struct join *j = ctx;
	long first = -1;

	if (!j->o->explain || j->o->one_to_one || j->o->eval)
		return 0;
	if (accepts(j, &c[k]))
		return 1;
	for (long i = 0; i < n && first < 0; i++)
		if (accepts(j, &c[i]))
			first = i;
	return k == 0 && first < 0;
}

/* Score the batch on all cores, then write its records in order. */
static int
flush_batch(struct join *j)
{
	struct match_batch *b = &j->batch;
	int rc;

	if (b->n == 0)
		return 0;
	rc = match_batch_run(b, need_explain, j, &j->t->err);
	for (size_t i = 0; i < b->n && rc == 0; i++) {
		const struct match_item *it = &b->items[i];
		const char *lt = b->text.data + it->off;

		if (j->o->eval != NULL &&
		    etl_textjson_scan(&j->rec, lt, it->len) != 0)
			return etl_error_set(&j->t->err, ETL_EINTERNAL,
			    "cannot read a record back");
		j->cur = it;
		rc = one_left(j, lt, it->len, it->c, it->n,
		    (uint32_t)(*j->nleft - (long long)(b->n - i)));
		j->cur = NULL;
	}
	match_batch_reset(b);
	return rc;
}

static int
pair_cmp(const void *a, const void *b, void *arg)
{
	struct join *j = arg;
	const struct pair *x = a, *y = b;
	size_t xl, yl, n;
	const char *xt, *yt;
	int c;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (x->l != y->l && j->lrec != NULL) {
		xt = left_text(j, x->l, &xl);
		yt = left_text(j, y->l, &yl);
		n = xl < yl ? xl : yl;
		c = memcmp(xt, yt, n);
		if (c != 0)
			return c;
		if (xl != yl)
			return xl < yl ? -1 : 1;
	}
	if (x->r != y->r) {
		c = etl_matcher_cmp_text(j->m, x->r, y->r);
		if (c != 0)
			return c;
	}
	if (x->l != y->l)
		return x->l < y->l ? -1 : 1;
	return x->r < y->r ? -1 : x->r > y->r;
}

static int
left_cmp(const void *a, const void *b, void *arg)
{
	struct join *j = arg;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	size_t xl, yl, n;
	const char *xt = left_text(j, x, &xl), *yt = left_text(j, y, &yl);
	int c;

	n = xl < yl ? xl : yl;
	c = memcmp(xt, yt, n);
	if (c != 0)
		return c;
	if (xl != yl)
		return xl < yl ? -1 : 1;
	return x < y ? -1 : x > y;
}

static int
right_cmp(const void *a, const void *b, void *arg)
{
	struct join *j = arg;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	int c = etl_matcher_cmp_text(j->m, x, y);

	if (c != 0)
		return c;
	return x < y ? -1 : x > y;
}

/* Run the query again for kept LEFT record l (to explain it). */
static long
requery(struct join *j, uint32_t l, const struct etl_match_cand **c)
{
	size_t len;
	const char *s = left_text(j, l, &len);

	if (etl_textjson_scan(&j->rec, s, len) < 0)
		return etl_error_set(&j->t->err, ETL_EINTERNAL,
		    "cannot read a record back");
	return etl_match_query_run(j->q, &j->rec, c, NULL, &j->t->err);
}

/* Best scores first, each record once; ties by content. */
static int
assign(struct join *j)
{
	size_t nr = etl_matcher_count(j->m);
	uint32_t *order = NULL;
	size_t no = 0;
	int rc = 0;

	j->lused = calloc(j->nl ? j->nl : 1, 1);
	if (j->lused == NULL)
		return oom(j);
	if (j->np > 1)
		qsort_r(j->pairs, j->np, sizeof(*j->pairs), pair_cmp, j);
	for (size_t i = 0; i < j->np; i++) {
		struct pair *p = &j->pairs[i];

		if (j->lused[p->l] || j->used[p->r])
			continue;
		j->lused[p->l] = 1;
		j->used[p->r] = 1;
		p->taken = 1;
	}
	if (j->o->eval != NULL)
		return 0;
	for (size_t i = 0; i < j->np && rc == 0; i++) {
		const struct pair *p = &j->pairs[i];
		const struct etl_match_cand *c;
		size_t ll;
		const char *lt;

		if (!p->taken)
			continue;
		if (j->o->explain && requery(j, p->l, &c) < 0)
			return -(int)j->t->err.kind;
		lt = left_text(j, p->l, &ll);
		rc = emit_pair(j, lt, ll, p->r, p->score);
	}
	order = malloc((j->nl > nr ? j->nl : nr) * sizeof(*order) + 1);
	if (order == NULL)
		return oom(j);
	for (size_t l = 0; l < j->nl; l++)
		if (!j->lused[l])
			order[no++] = (uint32_t)l;
	if (no > 1)
		qsort_r(order, no, sizeof(*order), left_cmp, j);
	for (size_t i = 0; i < no && rc == 0; i++) {
		const struct etl_match_cand *c = NULL;
		long n = 0;
		size_t ll;
		const char *lt;

		if (j->o->explain && (j->o->left_join ||
		    (j->o->unmatched & UNMATCHED_LEFT)) &&
		    (n = requery(j, order[i], &c)) < 0) {
			rc = (int)n;
			break;
		}
		lt = left_text(j, order[i], &ll);
		rc = emit_left_only(j, lt, ll, c, n);
	}
	no = 0;
	for (size_t r = 0; r < nr; r++)
		if (!j->used[r])
			order[no++] = (uint32_t)r;
	if (no > 1)
		qsort_r(order, no, sizeof(*order), right_cmp, j);
	for (size_t i = 0; i < no && rc == 0; i++)
		rc = emit_right_only(j, order[i]);
	free(order);
	return rc;
}

static int
stream_left(struct join *j)
{
	struct etl_tool *t = j->t;
	struct etl_lines *in;
	int rc;

	in = etl_lines_new(j->o->left, t->max_line, &t->err);
	if (in == NULL)
		return -(int)t->err.kind;
	while ((rc = match_read(t, in, j->rj, &j->rec, j->nrej)) > 0) {
		const struct etl_match_cand *c;
		long n;

		(*j->nleft)++;
		etl_progress_update(*j->nleft, "left");
		if (j->batched) {
			if (match_batch_add(&j->batch, j->rec.compact.data,
			    j->rec.compact.len) < 0) {
				rc = oom(j);
				break;
			}
			if (j->batch.n == MATCH_BATCH &&
			    (rc = flush_batch(j)) < 0)
				break;
			continue;
		}
		n = etl_match_query_run(j->q, &j->rec, &c, NULL, &t->err);
		if (n < 0 || (rc = one_left(j, j->rec.compact.data,
		    j->rec.compact.len, c, n,
		    (uint32_t)(*j->nleft - 1))) < 0) {
			rc = n < 0 ? (int)n : rc;
			break;
		}
	}
	if (rc == 0)
		rc = flush_batch(j);
	etl_lines_free(in);
	if (rc < 0)
		return rc;
	if ((rc = etl_signal_check(&t->err)) < 0)
		return rc;
	if (j->o->one_to_one)
		return assign(j);
	if (j->o->eval != NULL) {
		for (size_t i = 0; i < j->np; i++)
			j->pairs[i].taken = 1;
		return 0;
	}
	for (size_t r = 0; r < etl_matcher_count(j->m) && rc == 0; r++)
		if (!j->used[r])
			rc = emit_right_only(j, (uint32_t)r);
	return rc;
}

static void
counters(struct join *j)
{
	struct etl_summary *s = &j->t->summary;

	j->nleft = etl_summary_counter(s, "left");
	j->nright = etl_summary_counter(s, "right");
	j->nmatched = etl_summary_counter(s, "matched");
	j->nunl = etl_summary_counter(s, "unmatched_left");
	j->nunr = etl_summary_counter(s, "unmatched_right");
	j->nrej = etl_summary_counter(s, "rejected");
}

int
run_join(struct etl_tool *t, struct match_opts *o)
{
	struct etl_match_config cfg;
	struct join j;
	int rc = 0;

	memset(&j, 0, sizeof(j));
	j.t = t;
	j.o = o;
	etl_textjson_init(&j.rec);
	etl_buf_init(&j.line);
	etl_buf_init(&j.ex);
	etl_buf_init(&j.tmp);
	etl_buf_init(&j.ltext);
	etl_buf_init(&j.rkeys);
	etl_buf_init(&j.lkey);
	counters(&j);
	if ((rc = load_words(&j, &j.stop, o->stopwords,
	    etl_match_default_stopwords)) < 0 ||
	    (rc = load_words(&j, &j.mark, o->markers,
	    etl_match_default_markers)) < 0)
		goto out;
	memset(&cfg, 0, sizeof(cfg));
	cfg.fields = o->fields;
	cfg.nfields = o->nfields;
	cfg.stopwords = j.stop;
	cfg.markers = j.mark;
	cfg.max_candidates = (size_t)o->max_candidates;
	j.m = etl_matcher_new(&cfg, &t->err);
	if (j.m == NULL) {
		rc = -(int)t->err.kind;
		goto out;
	}
	j.scores = etl_matcher_scores(j.m);
	j.rj = etl_rejects_new(t->errors_path, t->max_errors, &t->err);
	if (j.rj == NULL) {
		rc = -(int)t->err.kind;
		goto out;
	}
	if (o->eval != NULL && (rc = load_truth(&j)) < 0)
		goto out;
	if ((rc = load_right(&j)) < 0)
		goto out;
	j.q = etl_match_query_new(j.m);
	/* Scoring is worth threads; an exact join is bound by I/O. */
	if (j.scores) {
		if (match_batch_init(&j.batch, j.m, 0) < 0) {
			rc = oom(&j);
			goto out;
		}
		j.batched = j.batch.nworkers > 1;
	}
	j.used = calloc(etl_matcher_count(j.m) + 1, 1);
	if (j.q == NULL || j.used == NULL) {
		rc = oom(&j);
		goto out;
	}
	j.out = etl_out_new(NULL, 0, &t->err);
	if (j.out == NULL) {
		rc = -(int)t->err.kind;
		goto out;
	}
	if ((rc = stream_left(&j)) < 0)
		goto out;
	if (o->eval != NULL && (rc = report_eval(&j)) < 0)
		goto out;
	rc = etl_out_close(j.out, &t->err);
	j.out = NULL;
	if (rc == 0)
		rc = etl_rejects_close(j.rj, &t->err);
	j.rj = NULL;
out:
	etl_out_close(j.out, NULL);
	etl_rejects_close(j.rj, NULL);
	match_batch_release(&j.batch);
	etl_match_query_free(j.q);
	etl_matcher_free(j.m);
	etl_wordset_free(j.stop);
	etl_wordset_free(j.mark);
	etl_textmap_free(j.truth);
	etl_textjson_release(&j.rec);
	etl_buf_release(&j.line);
	etl_buf_release(&j.ex);
	etl_buf_release(&j.tmp);
	etl_buf_release(&j.ltext);
	etl_buf_release(&j.rkeys);
	etl_buf_release(&j.lkey);
	free(j.used);
	free(j.lused);
	free(j.lrec);
	free(j.pairs);
	free(j.rkey);
	return rc;
}
