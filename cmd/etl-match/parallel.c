/*
 * etl-match: score a batch of LEFT records on all cores.  Scoring is most
 * of a fuzzy match's time and each LEFT record's query is independent;
 * the matcher is read-only once built.
 */
#include <pthread.h>
#include <stdint.h>
#include <unistd.h>

#include "etl-match.h"
#include "strbuf.h"

#define MAX_WORKERS 8

struct match_worker {
	struct match_batch *b;
	struct etl_match_query *q;
	struct etl_textjson rec;
	struct etl_error err;
	match_need_fn need;
	void *ctx;
	int index;
	int rc;
	pthread_t th;
};

int
match_batch_init(struct match_batch *b, struct etl_matcher *m, int nworkers)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	memset(b, 0, sizeof(*b));
	etl_buf_init(&b->text);
	if (nworkers <= 0)
		nworkers = cpus > 0 ? (int)cpus : 1;
	if (nworkers > MAX_WORKERS)
		nworkers = MAX_WORKERS;
	b->w = calloc((size_t)nworkers, sizeof(*b->w));
	if (b->w == NULL)
		return -1;
	b->nworkers = nworkers;
	for (int i = 0; i < nworkers; i++) {
		b->w[i].b = b;
		b->w[i].index = i;
		etl_textjson_init(&b->w[i].rec);
		etl_error_init(&b->w[i].err);
		b->w[i].q = etl_match_query_new(m);
		if (b->w[i].q == NULL)
			return -1;
	}
	return 0;
}

void
match_batch_release(struct match_batch *b)
{
	for (size_t i = 0; i < b->cap; i++) {
		free(b->items[i].c);
		etl_buf_release(&b->items[i].ex);
		free(b->items[i].exoff);
		free(b->items[i].exlen);
	}
	free(b->items);
	for (int i = 0; i < b->nworkers; i++) {
		etl_match_query_free(b->w[i].q);
		etl_textjson_release(&b->w[i].rec);
	}
	free(b->w);
	etl_buf_release(&b->text);
	memset(b, 0, sizeof(*b));
}

int
match_batch_add(struct match_batch *b, const char *text, size_t len)
{
	struct match_item *it;

	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 256;

		it = realloc(b->items, cap * sizeof(*it));
		if (it == NULL)
			return -1;
		memset(it + b->cap, 0, (cap - b->cap) * sizeof(*it));
		for (size_t i = b->cap; i < cap; i++)
			etl_buf_init(&it[i].ex);
		b->items = it;
		b->cap = cap;
	}
	it = &b->items[b->n];
	it->off = b->text.len;
	it->len = len;
	if (etl_buf_append(&b->text, text, len) < 0)
		return -1;
	b->n++;
	return 0;
}

void
match_batch_reset(struct match_batch *b)
{
	b->n = 0;
	etl_buf_reset(&b->text);
}

/* One record: its candidates and the explanations asked for. */
static int
run_item(struct match_worker *w, struct match_item *it)
{
	const struct etl_match_cand *c;
	long n;

	if (etl_textjson_scan(&w->rec, w->b->text.data + it->off, it->len) != 0)
		return etl_error_set(&w->err, ETL_EINTERNAL,
		    "cannot read a record back");
	n = etl_match_query_run(w->q, &w->rec, &c, NULL, &w->err);
	if (n < 0)
		return (int)n;
	it->n = n;
	etl_buf_reset(&it->ex);
	if ((size_t)n > it->capc) {
		size_t cap = (size_t)n;
		void *p = realloc(it->c, cap * sizeof(*it->c));

		if (p == NULL)
			goto oom;
		it->c = p;
		p = realloc(it->exoff, cap * sizeof(*it->exoff));
		if (p == NULL)
			goto oom;
		it->exoff = p;
		p = realloc(it->exlen, cap * sizeof(*it->exlen));
		if (p == NULL)
			goto oom;
		it->exlen = p;
		it->capc = cap;
	}
	for (long k = 0; k < n; k++) {
		it->c[k] = c[k];
		it->exoff[k] = SIZE_MAX;
		it->exlen[k] = 0;
		if (w->need == NULL || !w->need(w->ctx, c, n, k))
			continue;
		it->exoff[k] = it->ex.len;
		if (etl_match_query_explain(w->q, c[k].right, &it->ex) < 0)
			goto oom;
		it->exlen[k] = it->ex.len - it->exoff[k];
	}
	return 0;
oom:
	return etl_error_set(&w->err, ETL_EINTERNAL, "out of memory");
}

static void *
work(void *arg)
{
	struct match_worker *w = arg;
	struct match_batch *b = w->b;

	w->rc = 0;
	for (size_t i = (size_t)w->index; i < b->n && w->rc == 0;
	    i += (size_t)b->nworkers)
		w->rc = run_item(w, &b->items[i]);
	return NULL;
}

int
match_batch_run(struct match_batch *b, match_need_fn need, void *ctx,
    struct etl_error *err)
{
	int started = 1;

	for (int i = 0; i < b->nworkers; i++) {
		b->w[i].need = need;
		b->w[i].ctx = ctx;
	}
	/* Worker 0 is this thread; a thread that cannot start is done here. */
	for (int i = 1; i < b->nworkers; i++, started++)
		if (pthread_create(&b->w[i].th, NULL, work, &b->w[i]) != 0)
			break;
	work(&b->w[0]);
	for (int i = 1; i < started; i++)
		pthread_join(b->w[i].th, NULL);
	for (int i = started; i < b->nworkers; i++)
		work(&b->w[i]);
	for (int i = 0; i < b->nworkers; i++) {
		if (b->w[i].rc < 0) {
			*err = b->w[i].err;
			return b->w[i].rc;
		}
	}
	return 0;
}

const char *
match_item_explain(const struct match_item *it, uint32_t right, size_t *len)
{
	for (long k = 0; k < it->n; k++) {
		if (it->c[k].right != right || it->exoff[k] == SIZE_MAX)
			continue;
		*len = it->exlen[k];
		return it->ex.data + it->exoff[k];
	}
	return NULL;
}
