#include <math.h>
#include <stdint.h>

#include "jsonw.h"
#include "match.h"
#include "timeval.h"

/* Words of a fuzzy field past this many are not compared. */
#define MAX_WORDS 64
/* Identifiers (numbers, markers) kept per field. */
#define MAX_IDS 16

const char *const etl_match_default_stopwords[] = {
	"a", "an", "and", "at", "by", "de", "des", "du", "et", "event",
	"featuring", "feat", "ft", "for", "from", "in", "la", "le", "les",
	"live", "of", "on", "presents", "presented", "show", "the", "ticket",
	"tickets", "to", "tour", "v", "versus", "vs", "with", "world",
	NULL
};

/*
 * Words that make another product of an event; one string a class of
 * words that stand for one another.  The classes must agree.
 */
const char *const etl_match_default_markers[] = {
	"parking carpark valet",
	"vip package packages upgrade hospitality meet greet",
	"shuttle",
	"camping campsite glamping",
	"addon voucher",
	"soundcheck",
	"afterparty",
	"tailgate",
	NULL
};

/* Words after which a number word or roman numeral is an identifier. */
static const char *const sequence_words[] = {
	"act", "chapter", "day", "ep", "episode", "game", "heat", "leg",
	"match", "night", "no", "number", "part", "round", "season", "set",
	"stage", "vol", "volume", "week", NULL
};

static const struct {
	const char *word;
	int value;
} number_words[] = {
	{ "one", 1 }, { "two", 2 }, { "three", 3 }, { "four", 4 },
	{ "five", 5 }, { "six", 6 }, { "seven", 7 }, { "eight", 8 },
	{ "nine", 9 }, { "ten", 10 }, { "eleven", 11 }, { "twelve", 12 },
	{ "first", 1 }, { "second", 2 }, { "third", 3 }, { "fourth", 4 },
	{ "fifth", 5 }, { "sixth", 6 }, { "seventh", 7 }, { "eighth", 8 },
	{ "ninth", 9 }, { "tenth", 10 },
	{ "i", 1 }, { "ii", 2 }, { "iii", 3 }, { "iv", 4 }, { "v", 5 },
	{ "vi", 6 }, { "vii", 7 }, { "viii", 8 }, { "ix", 9 }, { "x", 10 },
};

enum {
	TF_DIGIT = 1,		/* holds a digit: an identifier */
	TF_STOP = 2,
	TF_MARK = 4,
	TF_SEQ = 8		/* game, night, part, ... */
};

struct word {
	uint32_t off, len;	/* in vocab strings */
	uint64_t mask;		/* bytes present (see byte_mask) */
	uint8_t flags;
	int8_t num;		/* value as a number word, or -1 */
	int16_t mclass;		/* marker class, or -1 */
};

struct rec {
	uint64_t text_off;
	uint32_t text_len;
	uint32_t tok_off;	/* first word in toks */
	uint64_t key_off;	/* exact key text in keys */
	uint32_t key_len;	/* UINT32_MAX: a missing exact field */
	uint64_t key_hash;
};

/* A word of a LEFT record, or of a text in etl_match_text_score. */
struct qword {
	int64_t id;		/* vocabulary id, -1 when RIGHT lacks it */
	const char *s;
	uint32_t len;
	uint8_t flags;
	int8_t num;
	int16_t mclass;
	uint64_t mask;
	double w;
};

struct fieldinfo {
	int slot;		/* among fields of its kind */
};

struct etl_matcher {
	struct etl_match_field fields[ETL_MATCH_MAX_FIELDS];
	struct fieldinfo info[ETL_MATCH_MAX_FIELDS];
	size_t nfields, nfuzzy, nnear, nexact;
	int first_near;			/* field index, -1 */
	const struct etl_wordset *stop, *mark;
	struct etl_wordset *seq;
	size_t max_cand, key_limit;

	struct rec *recs;
	size_t n, cap;
	struct etl_buf text, keys;
	uint32_t *toks;
	size_t ntoks, captoks;
	uint16_t *tokcount;		/* n x nfuzzy */
	double *near;			/* n x nnear, NaN when missing */

	struct etl_buf vstr;
	struct word *voc;
	size_t nvoc, capvoc;
	uint32_t *vslot;		/* id + 1, open addressing */
	size_t vcap;
	uint32_t *df;			/* nvoc x nfuzzy */
	double *w;			/* idf, nvoc x nfuzzy */
	double unseen[ETL_MATCH_MAX_FIELDS];
	size_t present[ETL_MATCH_MAX_FIELDS];

	uint32_t *post;			/* postings, grouped by key */
	struct uslot *uslot;		/* keys, open addressing */
	size_t ucap;
	int built;

	struct etl_buf scratch;		/* folding while adding */
	struct etl_buf keytmp;
};

/* A blocking key and its postings; count 0: an empty slot. */
struct uslot {
	uint64_t key;
	uint32_t start, count;
};

struct hit {
	uint64_t key;
	uint32_t a, b;		/* posting range */
	double w;
};

struct etl_match_query {
	struct etl_matcher *m;
	struct etl_buf folded[ETL_MATCH_MAX_FIELDS];
	struct qword *words[ETL_MATCH_MAX_FIELDS];
	size_t nwords[ETL_MATCH_MAX_FIELDS];
	size_t capwords[ETL_MATCH_MAX_FIELDS];
	double nearv[ETL_MATCH_MAX_FIELDS];
	struct etl_buf key, tmp;
	int has_key;
	uint64_t key_hash;

	float *acc;			/* per RIGHT record */
	uint32_t *stamp;
	uint32_t qid;
	uint32_t *touched;
	size_t ntouched, captouched;
	struct etl_match_cand *cands;
	size_t ncands, capcands;
	struct hit *hits;
	size_t nhits, caphits;
};

/* ---- small helpers ---- */

static uint64_t
mix64(uint64_t h)
{
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return h;
}

static uint64_t
combine(uint64_t a, uint64_t b)
{
	return mix64(a ^ (b * 0x9e3779b97f4a7c15ULL + 0x632be59bd9b4e019ULL));
}

static int
grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t c = *cap ? *cap : 16;
	void *q;

	if (need <= *cap)
		return 0;
	while (c < need)
		c *= 2;
	if (c > SIZE_MAX / size)
		return -1;
	q = realloc(*p, c * size);
	if (q == NULL)
		return -1;
	*p = q;
	*cap = c;
	return 0;
}

static int
oom(struct etl_error *err)
{
	return etl_error_set(err, ETL_EINTERNAL, "out of memory");
}

/* Which bytes a word holds, folded into 64 bits (a-z exactly). */
static uint64_t
byte_mask(const char *w, size_t len)
{
	uint64_t m = 0;

	for (size_t i = 0; i < len; i++)
		m |= (uint64_t)1 << ((unsigned char)w[i] % 64);
	return m;
}

/*
 * Whether Jaro-Winkler of a and b can reach ETL_MATCH_SOFT_MIN: a byte
 * of one that the other lacks can match nothing, which bounds the
 * matches m, so Jaro by (m/|a| + m/|b| + 1)/3 and the prefix boost by
 * 0.4 (1 - Jaro).  Most pairs of unrelated words stop here.
 */
static int
soft_possible(const char *a, size_t alen, uint64_t amask, const char *b,
    size_t blen, uint64_t bmask)
{
	size_t ma = alen, mb = blen, m;
	double j;

	for (size_t i = 0; i < alen; i++)
		if (!(bmask >> ((unsigned char)a[i] % 64) & 1))
			ma--;
	for (size_t i = 0; i < blen; i++)
		if (!(amask >> ((unsigned char)b[i] % 64) & 1))
			mb--;
	m = ma < mb ? ma : mb;
	j = ((double)m / (double)alen + (double)m / (double)blen + 1.0) / 3.0;
	return j + 0.4 * (1.0 - j) >= ETL_MATCH_SOFT_MIN;
}

/* Classify a folded word: flags and number-word value. */
static void
classify(const struct etl_matcher *m, const char *w, size_t len,
    uint8_t *flags, int8_t *num, int16_t *mclass)
{
	int c = etl_wordset_class(m->mark, w, len);

	*flags = 0;
	*num = -1;
	*mclass = (int16_t)(c > INT16_MAX ? INT16_MAX : c);
	if (etl_text_has_digit(w, len))
		*flags |= TF_DIGIT;
	if (etl_wordset_has(m->stop, w, len))
		*flags |= TF_STOP;
	if (c >= 0)
		*flags |= TF_MARK;
	if (etl_wordset_has(m->seq, w, len))
		*flags |= TF_SEQ;
	for (size_t i = 0; i < sizeof(number_words) / sizeof(number_words[0]);
	    i++)
		if (strlen(number_words[i].word) == len &&
		    memcmp(number_words[i].word, w, len) == 0)
			*num = (int8_t)number_words[i].value;
}

/* ---- vocabulary ---- */

static size_t
vslot_find(const struct etl_matcher *m, const char *w, size_t len,
    uint64_t h)
{
	size_t i = (size_t)h & (m->vcap - 1);

	while (m->vslot[i] != 0) {
		const struct word *e = &m->voc[m->vslot[i] - 1];

		if (e->len == len && memcmp(m->vstr.data + e->off, w, len) == 0)
			break;
		i = (i + 1) & (m->vcap - 1);
	}
	return i;
}

static int64_t
vocab_lookup(const struct etl_matcher *m, const char *w, size_t len)
{
	size_t i;

	if (m->vcap == 0)
		return -1;
	i = vslot_find(m, w, len, etl_text_hash(w, len, 0));
	return m->vslot[i] ? (int64_t)m->vslot[i] - 1 : -1;
}

static int
vocab_rehash(struct etl_matcher *m)
{
	size_t cap = m->vcap ? m->vcap * 2 : 1024;
	uint32_t *old = m->vslot;
	size_t oldcap = m->vcap;

	m->vslot = calloc(cap, sizeof(*m->vslot));
	if (m->vslot == NULL) {
		m->vslot = old;
		return -1;
	}
	m->vcap = cap;
	for (size_t i = 0; i < oldcap; i++) {
		const struct word *e;

		if (old[i] == 0)
			continue;
		e = &m->voc[old[i] - 1];
		m->vslot[vslot_find(m, m->vstr.data + e->off, e->len,
		    etl_text_hash(m->vstr.data + e->off, e->len, 0))] = old[i];
	}
	free(old);
	return 0;
}

/* The id of a word, added when new; -1 when out of memory. */
static int64_t
vocab_add(struct etl_matcher *m, const char *w, size_t len)
{
	size_t i, capdf;
	struct word *e;

	if ((m->nvoc + 1) * 2 > m->vcap && vocab_rehash(m) < 0)
		return -1;
	i = vslot_find(m, w, len, etl_text_hash(w, len, 0));
	if (m->vslot[i] != 0)
		return m->vslot[i] - 1;
	if (m->nvoc >= UINT32_MAX - 1 || m->vstr.len + len >= UINT32_MAX)
		return -1;
	capdf = m->capvoc;
	if (grow((void **)&m->voc, &m->capvoc, m->nvoc + 1,
	    sizeof(*m->voc)) < 0)
		return -1;
	if (m->capvoc != capdf) {
		uint32_t *df = realloc(m->df, m->capvoc * (m->nfuzzy + 1) *
		    sizeof(*df));

		if (df == NULL)
			return -1;
		m->df = df;
	}
	e = &m->voc[m->nvoc];
	e->off = (uint32_t)m->vstr.len;
	e->len = (uint32_t)len;
	if (etl_buf_append(&m->vstr, w, len) < 0 ||
	    etl_buf_putc(&m->vstr, '\0') < 0)
		return -1;
	classify(m, w, len, &e->flags, &e->num, &e->mclass);
	e->mask = byte_mask(w, len);
	for (size_t f = 0; f < m->nfuzzy; f++)
		m->df[m->nvoc * m->nfuzzy + f] = 0;
	m->vslot[i] = (uint32_t)(m->nvoc + 1);
	return (int64_t)m->nvoc++;
}

/* ---- construction ---- */

struct etl_matcher *
etl_matcher_new(const struct etl_match_config *cfg, struct etl_error *err)
{
	struct etl_matcher *m;

	if (cfg->nfields == 0 || cfg->nfields > ETL_MATCH_MAX_FIELDS) {
		etl_error_set(err, ETL_EUSAGE, "between 1 and %d field pairs",
		    ETL_MATCH_MAX_FIELDS);
		return NULL;
	}
	m = calloc(1, sizeof(*m));
	if (m == NULL)
		goto fail;
	m->nfields = cfg->nfields;
	m->first_near = -1;
	memcpy(m->fields, cfg->fields, cfg->nfields * sizeof(*cfg->fields));
	for (size_t i = 0; i < m->nfields; i++) {
		switch (m->fields[i].kind) {
		case ETL_MATCH_EXACT:
			m->info[i].slot = (int)m->nexact++;
			break;
		case ETL_MATCH_FUZZY:
			m->info[i].slot = (int)m->nfuzzy++;
			break;
		case ETL_MATCH_NEAR:
			if (m->first_near < 0)
				m->first_near = (int)i;
			m->info[i].slot = (int)m->nnear++;
			break;
		}
	}
	m->stop = cfg->stopwords;
	m->mark = cfg->markers;
	m->max_cand = cfg->max_candidates ? cfg->max_candidates :
	    ETL_MATCH_DEFAULT_CANDIDATES;
	m->key_limit = cfg->key_limit ? cfg->key_limit :
	    ETL_MATCH_DEFAULT_KEY_LIMIT;
	etl_buf_init(&m->text);
	etl_buf_init(&m->keys);
	etl_buf_init(&m->vstr);
	etl_buf_init(&m->scratch);
	etl_buf_init(&m->keytmp);
	m->seq = etl_wordset_new();
	if (m->seq == NULL || etl_wordset_add_list(m->seq, sequence_words) < 0)
		goto fail;
	return m;
fail:
	etl_matcher_free(m);
	oom(err);
	return NULL;
}

void
etl_matcher_free(struct etl_matcher *m)
{
	if (m == NULL)
		return;
	free(m->recs);
	etl_buf_release(&m->text);
	etl_buf_release(&m->keys);
	free(m->toks);
	free(m->tokcount);
	free(m->near);
	etl_buf_release(&m->vstr);
	free(m->voc);
	free(m->vslot);
	free(m->df);
	free(m->w);
	free(m->post);
	free(m->uslot);
	etl_buf_release(&m->scratch);
	etl_buf_release(&m->keytmp);
	etl_wordset_free(m->seq);
	free(m);
}

/* Parse a near value: ms since the epoch for timestamps, else a number. */
static double
near_value(const struct etl_match_field *f, const char *s)
{
	struct etl_instant t;
	char *end;
	double d;

	if (f->time) {
		if (etl_time_parse(s, &t) < 0)
			return NAN;
		return (double)t.sec * 1000.0 + (double)(t.nsec / 1000000);
	}
	if (*s == '\0')
		return NAN;
	d = strtod(s, &end);
	if (*end != '\0' || !isfinite(d))
		return NAN;
	return d;
}

/* The scalar text of field name of rec into b (reset): 0, -1 missing. */
static int
field_text(const struct etl_textjson *rec, const char *name,
    struct etl_buf *b)
{
	const char *v;
	size_t vlen;
	int rc;

	etl_buf_reset(b);
	v = etl_textjson_get(rec, name, &vlen);
	if (v == NULL)
		return -1;
	rc = etl_textjson_scalar(b, v, vlen);
	if (rc == -2)
		return -2;
	if (rc < 0)
		return -1;
	if (etl_buf_reserve(b, 0) < 0)
		return -2;
	b->data[b->len] = '\0';
	return 0;
}

/* "<len>:" without printf (this is on the join's hot path). */
static int
put_len(struct etl_buf *b, size_t len)
{
	char d[24];
	int n = 0;

	do {
		d[n++] = (char)('0' + len % 10);
		len /= 10;
	} while (len > 0);
	for (int i = n - 1; i >= 0; i--)
		if (etl_buf_putc(b, d[i]) < 0)
			return -1;
	return etl_buf_putc(b, ':');
}

/*
 * The exact key of a record: each exact field's scalar text, length
 * prefixed, into b.  0, -1 when a field is missing, -2 out of memory.
 */
static int
exact_key(const struct etl_matcher *m, const struct etl_textjson *rec,
    int left, struct etl_buf *b, struct etl_buf *tmp)
{
	int rc;

	etl_buf_reset(b);
	for (size_t i = 0; i < m->nfields; i++) {
		const struct etl_match_field *f = &m->fields[i];

		if (f->kind != ETL_MATCH_EXACT)
			continue;
		rc = field_text(rec, left ? f->left : f->right, tmp);
		if (rc < 0)
			return rc;
		if (put_len(b, tmp->len) < 0 ||
		    etl_buf_append(b, tmp->data, tmp->len) < 0)
			return -2;
	}
	return 0;
}

int
etl_matcher_add(struct etl_matcher *m, const struct etl_textjson *rec,
    struct etl_error *err)
{
	struct rec *r;
	int rc;

	if (m->n >= UINT32_MAX - 1)
		return etl_error_set(err, ETL_EINTERNAL, "too many records");
	if (grow((void **)&m->recs, &m->cap, m->n + 1, sizeof(*m->recs)) < 0)
		return oom(err);
	if (m->nfuzzy > 0) {
		uint16_t *tc = realloc(m->tokcount, m->cap * m->nfuzzy *
		    sizeof(*tc));

		if (tc == NULL)
			return oom(err);
		m->tokcount = tc;
	}
	if (m->nnear > 0) {
		double *nv = realloc(m->near, m->cap * m->nnear * sizeof(*nv));

		if (nv == NULL)
			return oom(err);
		m->near = nv;
	}
	r = &m->recs[m->n];
	r->text_off = m->text.len;
	r->text_len = (uint32_t)rec->compact.len;
	if (etl_buf_append(&m->text, rec->compact.data, rec->compact.len) < 0)
		return oom(err);
	r->tok_off = (uint32_t)m->ntoks;
	r->key_len = UINT32_MAX;
	r->key_off = m->keys.len;
	r->key_hash = 0;
	if (m->nexact > 0) {
		rc = exact_key(m, rec, 0, &m->keytmp, &m->scratch);
		if (rc == -2)
			return oom(err);
		if (rc == 0) {
			if (m->keytmp.len >= UINT32_MAX)
				return etl_error_set(err, ETL_EINTERNAL,
				    "key too long");
			r->key_len = (uint32_t)m->keytmp.len;
			r->key_hash = etl_text_hash(m->keytmp.data,
			    m->keytmp.len, 0);
			if (etl_buf_append(&m->keys, m->keytmp.data,
			    m->keytmp.len) < 0)
				return oom(err);
		}
	}
	for (size_t i = 0; i < m->nfields; i++) {
		const struct etl_match_field *f = &m->fields[i];
		int slot = m->info[i].slot;
		size_t pos = 0, wlen, count = 0;
		const char *w;

		if (f->kind == ETL_MATCH_NEAR) {
			rc = field_text(rec, f->right, &m->scratch);
			if (rc == -2)
				return oom(err);
			m->near[m->n * m->nnear + (size_t)slot] = rc < 0 ? NAN :
			    near_value(f, m->scratch.data);
			continue;
		}
		if (f->kind != ETL_MATCH_FUZZY)
			continue;
		rc = field_text(rec, f->right, &m->keytmp);
		if (rc == -2)
			return oom(err);
		etl_buf_reset(&m->scratch);
		if (rc == 0 && etl_text_fold(&m->scratch, m->keytmp.data,
		    m->keytmp.len) < 0)
			return oom(err);
		while (rc == 0 && count < MAX_WORDS &&
		    etl_text_word(m->scratch.data, m->scratch.len, &pos, &w,
		    &wlen)) {
			int64_t id = vocab_add(m, w, wlen);

			if (id < 0 || grow((void **)&m->toks, &m->captoks,
			    m->ntoks + 1, sizeof(*m->toks)) < 0)
				return oom(err);
			m->toks[m->ntoks++] = (uint32_t)id;
			count++;
		}
		m->tokcount[m->n * m->nfuzzy + (size_t)slot] = (uint16_t)count;
		if (count > 0)
			m->present[slot]++;
		/* Document frequency: once per record. */
		for (size_t k = 0; k < count; k++) {
			uint32_t id = m->toks[m->ntoks - count + k];
			int seen = 0;

			for (size_t q = 0; q < k && !seen; q++)
				seen = m->toks[m->ntoks - count + q] == id;
			if (!seen)
				m->df[id * m->nfuzzy + (size_t)slot]++;
		}
	}
	m->n++;
	return 0;
}

size_t
etl_matcher_count(const struct etl_matcher *m)
{
	return m->n;
}

const char *
etl_matcher_text(const struct etl_matcher *m, size_t i, size_t *len)
{
	*len = m->recs[i].text_len;
	return m->text.data + m->recs[i].text_off;
}

int
etl_matcher_scores(const struct etl_matcher *m)
{
	return m->nfuzzy + m->nnear > 0;
}

int
etl_matcher_cmp_text(const struct etl_matcher *m, size_t a, size_t b)
{
	const struct rec *x = &m->recs[a], *y = &m->recs[b];
	size_t n = x->text_len < y->text_len ? x->text_len : y->text_len;
	int c = memcmp(m->text.data + x->text_off, m->text.data + y->text_off,
	    n);

	if (c != 0)
		return c;
	return x->text_len < y->text_len ? -1 : x->text_len > y->text_len;
}

/* ---- blocking keys ---- */

static double
word_weight(const struct etl_matcher *m, int64_t id, int slot)
{
	if (id < 0)
		return m->unseen[slot];
	return m->w[(size_t)id * m->nfuzzy + (size_t)slot];
}

/* The bucket of a near value for the first near field. */
static int64_t
bucket_of(const struct etl_match_field *f, double v)
{
	double b;
	int64_t out;

	if (f->tol <= 0) {
		memcpy(&out, &v, sizeof(out));
		return out;
	}
	b = floor(v / f->tol);
	if (b > 9e18 || b < -9e18)
		return b > 0 ? INT64_MAX : INT64_MIN;
	return (int64_t)b;
}

static uint64_t
base_key(uint64_t key_hash, int64_t bucket)
{
	return combine(key_hash, (uint64_t)bucket);
}

/*
 * The blocking keys of a word: the word, and for words of 6 bytes or
 * more its first and last 4 bytes.  Returns how many (at most 3).
 */
static int
word_keys(int slot, const char *w, size_t len, uint64_t base,
    uint64_t out[3])
{
	int n = 0;

	out[n++] = combine(etl_text_hash(w, len, (uint64_t)slot * 4), base);
	if (len >= 6) {
		out[n++] = combine(etl_text_hash(w, 4, (uint64_t)slot * 4 + 1),
		    base);
		out[n++] = combine(etl_text_hash(w + len - 4, 4,
		    (uint64_t)slot * 4 + 2), base);
	}
	return n;
}

struct kv {
	uint64_t key;
	uint32_t rec;
};

/*
 * Sort by key, keeping the order of records within a key (LSD radix,
 * 16 bits a pass, stable).
 */
static int
radix_sort(struct kv **kv, size_t n)
{
	struct kv *a = *kv, *b;
	size_t *count;

	if (n < 2)
		return 0;
	b = malloc(n * sizeof(*b));
	count = malloc(65536 * sizeof(*count));
	if (b == NULL || count == NULL) {
		free(b);
		free(count);
		return -1;
	}
	for (int shift = 0; shift < 64; shift += 16) {
		struct kv *t;
		size_t sum = 0;

		memset(count, 0, 65536 * sizeof(*count));
		for (size_t i = 0; i < n; i++)
			count[(a[i].key >> shift) & 0xffff]++;
		for (size_t d = 0; d < 65536; d++) {
			size_t c = count[d];

			count[d] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			b[count[(a[i].key >> shift) & 0xffff]++] = a[i];
		t = a;
		a = b;
		b = t;
	}
	/* Four passes: the sorted data is back in the first array. */
	free(b);
	free(count);
	*kv = a;
	return 0;
}

static int
u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Whether word k of a field holds only stop words (then all are keys). */
static int
all_stop(const struct etl_matcher *m, const uint32_t *ids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!(m->voc[ids[i]].flags & TF_STOP))
			return 0;
	return 1;
}

static int
build_index(struct etl_matcher *m, struct etl_error *err)
{
	struct kv *kv = NULL;
	size_t nkv = 0, capkv = 0, nuk = 0, slot;
	uint64_t mine[3 * MAX_WORDS * ETL_MATCH_MAX_FIELDS];
	int rc = 0;

	for (size_t r = 0; r < m->n; r++) {
		const struct rec *rr = &m->recs[r];
		uint64_t base;
		size_t nmine = 0, off = rr->tok_off;

		if (m->nexact > 0 && rr->key_len == UINT32_MAX)
			continue;
		if (m->first_near >= 0) {
			const struct etl_match_field *f =
			    &m->fields[m->first_near];
			double v = m->near[r * m->nnear +
			    (size_t)m->info[m->first_near].slot];

			if (isnan(v))
				continue;
			base = base_key(rr->key_hash, bucket_of(f, v));
		} else {
			base = base_key(rr->key_hash, 0);
		}
		if (m->nfuzzy == 0) {
			mine[nmine++] = base;
		}
		for (size_t s = 0; s < m->nfuzzy; s++) {
			size_t cnt = m->tokcount[r * m->nfuzzy + s];
			const uint32_t *ids = m->toks + off;
			int stop_ok = all_stop(m, ids, cnt);

			for (size_t k = 0; k < cnt; k++) {
				const struct word *e = &m->voc[ids[k]];

				if ((e->flags & TF_STOP) && !stop_ok)
					continue;
				nmine += (size_t)word_keys((int)s,
				    m->vstr.data + e->off, e->len, base,
				    mine + nmine);
			}
			off += cnt;
		}
		qsort(mine, nmine, sizeof(*mine), u64_cmp);
		for (size_t k = 0; k < nmine; k++) {
			if (k > 0 && mine[k] == mine[k - 1])
				continue;
			if (grow((void **)&kv, &capkv, nkv + 1,
			    sizeof(*kv)) < 0) {
				rc = oom(err);
				goto out;
			}
			kv[nkv].key = mine[k];
			kv[nkv++].rec = (uint32_t)r;
		}
	}
	if (radix_sort(&kv, nkv) < 0) {
		rc = oom(err);
		goto out;
	}
	for (size_t i = 0; i < nkv; i++)
		nuk += i == 0 || kv[i].key != kv[i - 1].key;
	m->post = malloc((nkv ? nkv : 1) * sizeof(*m->post));
	m->ucap = 16;
	while (m->ucap < nuk * 2)
		m->ucap *= 2;
	m->uslot = calloc(m->ucap, sizeof(*m->uslot));
	if (m->post == NULL || m->uslot == NULL) {
		rc = oom(err);
		goto out;
	}
	for (size_t i = 0, start = 0; i < nkv; i++) {
		m->post[i] = kv[i].rec;
		if (i + 1 < nkv && kv[i + 1].key == kv[i].key)
			continue;
		slot = (size_t)kv[i].key & (m->ucap - 1);
		while (m->uslot[slot].count != 0)
			slot = (slot + 1) & (m->ucap - 1);
		m->uslot[slot].key = kv[i].key;
		m->uslot[slot].start = (uint32_t)start;
		m->uslot[slot].count = (uint32_t)(i + 1 - start);
		start = i + 1;
	}
out:
	free(kv);
	return rc;
}

/* Postings of a key: the count, *p set; 0 when none. */
static size_t
postings(const struct etl_matcher *m, uint64_t key, const uint32_t **p)
{
	size_t i;

	if (m->ucap == 0)
		return 0;
	i = (size_t)key & (m->ucap - 1);
	while (m->uslot[i].count != 0) {
		if (m->uslot[i].key == key) {
			*p = m->post + m->uslot[i].start;
			return m->uslot[i].count;
		}
		i = (i + 1) & (m->ucap - 1);
	}
	return 0;
}

int
etl_matcher_build(struct etl_matcher *m, struct etl_error *err)
{
	if (m->built)
		return 0;
	if (m->nfuzzy > 0) {
		m->w = malloc((m->nvoc ? m->nvoc : 1) * m->nfuzzy *
		    sizeof(*m->w));
		if (m->w == NULL)
			return oom(err);
		for (size_t s = 0; s < m->nfuzzy; s++) {
			double n = (double)m->present[s];

			m->unseen[s] = log(n + 1.0) + 1.0;
			for (size_t id = 0; id < m->nvoc; id++)
				m->w[id * m->nfuzzy + s] = log((n + 1.0) /
				    ((double)m->df[id * m->nfuzzy + s] + 1.0)) +
				    1.0;
		}
	}
	if (build_index(m, err) < 0)
		return -(int)err->kind;
	m->built = 1;
	return 0;
}

/* ---- scoring ---- */

/* Identifiers of a word list: numbers and marker words, hashed. */
struct ids {
	uint64_t num[MAX_IDS], mark[MAX_IDS];
	/* the word behind each, for messages */
	uint32_t numw[MAX_IDS], markw[MAX_IDS];
	size_t nnum, nmark;
};

/* A digit word as an identifier: leading zeros and 1st/2nd/3rd/4th off. */
static uint64_t
number_id(const char *w, size_t len)
{
	size_t i = 0, end = len;

	if (len > 2) {
		const char *sfx = w + len - 2;

		if ((memcmp(sfx, "st", 2) == 0 || memcmp(sfx, "nd", 2) == 0 ||
		    memcmp(sfx, "rd", 2) == 0 || memcmp(sfx, "th", 2) == 0) &&
		    w[len - 3] >= '0' && w[len - 3] <= '9') {
			end = len - 2;
			for (size_t k = 0; k < end; k++)
				if (w[k] < '0' || w[k] > '9')
					end = len;
		}
	}
	while (i + 1 < end && w[i] == '0' && w[i + 1] >= '0' && w[i + 1] <= '9')
		i++;
	return etl_text_hash(w + i, end - i, 7);
}

static uint64_t
small_number_id(int v)
{
	char buf[8];
	int n = snprintf(buf, sizeof(buf), "%d", v);

	return etl_text_hash(buf, (size_t)n, 7);
}

static void
ids_add(uint64_t *set, uint32_t *at, size_t *n, uint64_t h, uint32_t w)
{
	for (size_t i = 0; i < *n; i++)
		if (set[i] == h)
			return;
	if (*n < MAX_IDS) {
		at[*n] = w;
		set[(*n)++] = h;
	}
}

static void
collect_ids(const struct qword *w, size_t n, struct ids *ids)
{
	ids->nnum = ids->nmark = 0;
	for (size_t i = 0; i < n; i++) {
		if (w[i].flags & TF_DIGIT)
			ids_add(ids->num, ids->numw, &ids->nnum,
			    number_id(w[i].s, w[i].len), (uint32_t)i);
		else if ((w[i].flags & TF_SEQ) && i + 1 < n &&
		    w[i + 1].num > 0 && !(w[i + 1].flags & TF_DIGIT)) {
			ids_add(ids->num, ids->numw, &ids->nnum,
			    small_number_id(w[i + 1].num), (uint32_t)i + 1);
			i++;
		}
		if (w[i].flags & TF_MARK)
			ids_add(ids->mark, ids->markw, &ids->nmark,
			    (uint64_t)w[i].mclass, (uint32_t)i);
	}
}

static int
in_set(const uint64_t *set, size_t n, uint64_t h)
{
	for (size_t i = 0; i < n; i++)
		if (set[i] == h)
			return 1;
	return 0;
}

/*
 * Whether identifiers conflict: a marker word on one side only, or each
 * side holding a number the other lacks.  why (may be NULL) says which.
 */
static int
ids_conflict(const struct ids *a, const struct qword *aw,
    const struct ids *b, const struct qword *bw, struct etl_buf *why)
{
	int an = -1, bn = -1;

	for (size_t i = 0; i < a->nmark; i++)
		if (!in_set(b->mark, b->nmark, a->mark[i])) {
			if (why != NULL)
				etl_buf_printf(why, "'%.*s' on the left only",
				    (int)aw[a->markw[i]].len,
				    aw[a->markw[i]].s);
			return 1;
		}
	for (size_t i = 0; i < b->nmark; i++)
		if (!in_set(a->mark, a->nmark, b->mark[i])) {
			if (why != NULL)
				etl_buf_printf(why, "'%.*s' on the right only",
				    (int)bw[b->markw[i]].len,
				    bw[b->markw[i]].s);
			return 1;
		}
	for (size_t i = 0; i < a->nnum && an < 0; i++)
		if (!in_set(b->num, b->nnum, a->num[i]))
			an = (int)i;
	for (size_t i = 0; i < b->nnum && bn < 0; i++)
		if (!in_set(a->num, a->nnum, b->num[i]))
			bn = (int)i;
	if (an < 0 || bn < 0)
		return 0;
	if (why != NULL)
		etl_buf_printf(why, "identifiers differ: '%.*s' and '%.*s'",
		    (int)aw[a->numw[an]].len, aw[a->numw[an]].s,
		    (int)bw[b->numw[bn]].len, bw[b->numw[bn]].s);
	return 1;
}

/*
 * The value of a word as a small number: digits ("2", "02"), or a
 * number word or roman numeral of 2 bytes or more ("two", "ii"); -1.
 */
static int
word_number(const struct qword *w)
{
	int v = 0;

	if (w->len >= 1 && w->len <= 4) {
		size_t i;

		for (i = 0; i < w->len && w->s[i] >= '0' && w->s[i] <= '9'; i++)
			v = v * 10 + (w->s[i] - '0');
		if (i == w->len)
			return v;
	}
	return w->num > 0 && w->len >= 2 ? w->num : -1;
}

/* Equal words, or a digit and a number word of one value ("2", "two"). */
static int
same_word(const struct qword *a, const struct qword *b)
{
	int x, y;

	if (a->len == b->len && (a->id >= 0 && b->id >= 0 ? a->id == b->id :
	    memcmp(a->s, b->s, a->len) == 0))
		return 1;
	if (!((a->flags ^ b->flags) & TF_DIGIT))
		return 0;
	x = word_number(a);
	y = word_number(b);
	return x >= 0 && x == y;
}

struct soft {
	double sim;
	uint32_t i, j;
};

static int
soft_cmp(const void *a, const void *b)
{
	const struct soft *x = a, *y = b;

	if (x->sim != y->sim)
		return x->sim > y->sim ? -1 : 1;
	if (x->i != y->i)
		return x->i < y->i ? -1 : 1;
	return x->j < y->j ? -1 : x->j > y->j;
}

/*
 * Soft TF-IDF cosine of two word lists (see the man page):
 *   sum over aligned (a, b) of sim(a, b) w(b)^2
 *   / (sqrt(sum over A of w'(a)^2) sqrt(sum over B of w(b)^2))
 * where a word aligns with an equal word (sim 1), else with a word of
 * Jaro-Winkler >= ETL_MATCH_SOFT_MIN (both of 4 bytes or more and
 * without digits; best pairs first), and w'(a) is w(b) for an aligned
 * a, else a's own weight.
 */
static double
soft_cosine(const struct qword *a, size_t na, const struct qword *b,
    size_t nb)
{
	int alb[MAX_WORDS], bla[MAX_WORDS];
	double sim[MAX_WORDS];
	struct soft cand[MAX_WORDS * 4];
	size_t nc = 0;
	double num = 0, da = 0, db = 0;

	for (size_t j = 0; j < nb; j++)
		bla[j] = -1;
	for (size_t i = 0; i < na; i++) {
		alb[i] = -1;
		for (size_t j = 0; j < nb; j++) {
			if (bla[j] >= 0 || !same_word(&a[i], &b[j]))
				continue;
			alb[i] = (int)j;
			bla[j] = (int)i;
			sim[i] = 1.0;
			break;
		}
	}
	for (size_t i = 0; i < na; i++) {
		if (alb[i] >= 0 || a[i].len < 4 || (a[i].flags & TF_DIGIT))
			continue;
		for (size_t j = 0; j < nb && nc < MAX_WORDS * 4; j++) {
			double s;

			if (bla[j] >= 0 || b[j].len < 4 ||
			    (b[j].flags & TF_DIGIT) || !soft_possible(a[i].s,
			    a[i].len, a[i].mask, b[j].s, b[j].len, b[j].mask))
				continue;
			s = etl_jaro_winkler(a[i].s, a[i].len, b[j].s,
			    b[j].len);
			if (s >= ETL_MATCH_SOFT_MIN) {
				cand[nc].sim = s;
				cand[nc].i = (uint32_t)i;
				cand[nc++].j = (uint32_t)j;
			}
		}
	}
	if (nc > 1)
		qsort(cand, nc, sizeof(*cand), soft_cmp);
	for (size_t k = 0; k < nc; k++) {
		if (alb[cand[k].i] >= 0 || bla[cand[k].j] >= 0)
			continue;
		alb[cand[k].i] = (int)cand[k].j;
		bla[cand[k].j] = (int)cand[k].i;
		sim[cand[k].i] = cand[k].sim;
	}
	for (size_t i = 0; i < na; i++) {
		double w = alb[i] >= 0 ? b[alb[i]].w : a[i].w;

		da += w * w;
		if (alb[i] >= 0)
			num += sim[i] * w * w;
	}
	for (size_t j = 0; j < nb; j++)
		db += b[j].w * b[j].w;
	if (da <= 0 || db <= 0)
		return 0.0;
	num /= sqrt(da) * sqrt(db);
	return num > 1.0 ? 1.0 : num;
}

/*
 * Copy the words that are not stop words; when there are none, copy all
 * and return -1 - n.
 */
static long
content_words(const struct qword *w, size_t n, struct qword *out)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (!(w[i].flags & TF_STOP))
			out[k++] = w[i];
	if (k > 0)
		return (long)k;
	memcpy(out, w, n * sizeof(*w));
	return -1 - (long)n;
}

/*
 * A fuzzy field's score: -1 when a side is empty (the field does not
 * count), else in [0, 1]; *veto set on conflicting identifiers, with
 * the reason appended to why (may be NULL).
 */
static double
text_score(const struct qword *a, size_t na, const struct qword *b,
    size_t nb, int *veto, struct etl_buf *why)
{
	struct qword ca[MAX_WORDS], cb[MAX_WORDS];
	struct ids ia, ib;
	long ka, kb;

	*veto = 0;
	if (na == 0 || nb == 0)
		return -1.0;
	collect_ids(a, na, &ia);
	collect_ids(b, nb, &ib);
	if (ids_conflict(&ia, a, &ib, b, why)) {
		*veto = 1;
		return 0.0;
	}
	ka = content_words(a, na, ca);
	kb = content_words(b, nb, cb);
	if (ka < 0 || kb < 0) {
		/* A side of stop words only ("The The"): compare all words. */
		memcpy(ca, a, na * sizeof(*a));
		memcpy(cb, b, nb * sizeof(*b));
		ka = (long)na;
		kb = (long)nb;
	}
	return soft_cosine(ca, (size_t)ka, cb, (size_t)kb);
}

/* ---- queries ---- */

struct etl_match_query *
etl_match_query_new(struct etl_matcher *m)
{
	struct etl_match_query *q = calloc(1, sizeof(*q));
	size_t n = m->n ? m->n : 1;

	if (q == NULL)
		return NULL;
	q->m = m;
	for (size_t i = 0; i < ETL_MATCH_MAX_FIELDS; i++)
		etl_buf_init(&q->folded[i]);
	etl_buf_init(&q->key);
	etl_buf_init(&q->tmp);
	q->acc = calloc(n, sizeof(*q->acc));
	q->stamp = calloc(n, sizeof(*q->stamp));
	if (q->acc == NULL || q->stamp == NULL) {
		etl_match_query_free(q);
		return NULL;
	}
	return q;
}

void
etl_match_query_free(struct etl_match_query *q)
{
	if (q == NULL)
		return;
	for (size_t i = 0; i < ETL_MATCH_MAX_FIELDS; i++) {
		etl_buf_release(&q->folded[i]);
		free(q->words[i]);
	}
	etl_buf_release(&q->key);
	etl_buf_release(&q->tmp);
	free(q->acc);
	free(q->stamp);
	free(q->touched);
	free(q->cands);
	free(q->hits);
	free(q);
}

/* Read the LEFT record's fields into q. */
static int
query_set(struct etl_match_query *q, const struct etl_textjson *rec)
{
	struct etl_matcher *m = q->m;
	int rc;

	q->has_key = 1;
	q->key_hash = 0;
	if (m->nexact > 0) {
		rc = exact_key(m, rec, 1, &q->key, &q->tmp);
		if (rc == -2)
			return -1;
		q->has_key = rc == 0;
		if (q->has_key)
			q->key_hash = etl_text_hash(q->key.data, q->key.len, 0);
	}
	for (size_t i = 0; i < m->nfields; i++) {
		const struct etl_match_field *f = &m->fields[i];
		size_t slot = (size_t)m->info[i].slot, pos = 0, wlen;
		struct etl_buf *fb = &q->folded[slot];
		const char *w;

		if (f->kind == ETL_MATCH_NEAR) {
			rc = field_text(rec, f->left, &q->tmp);
			if (rc == -2)
				return -1;
			q->nearv[slot] = rc < 0 ? NAN :
			    near_value(f, q->tmp.data);
			continue;
		}
		if (f->kind != ETL_MATCH_FUZZY)
			continue;
		q->nwords[slot] = 0;
		etl_buf_reset(fb);
		rc = field_text(rec, f->left, &q->tmp);
		if (rc == -2)
			return -1;
		if (rc < 0)
			continue;
		if (etl_text_fold(fb, q->tmp.data, q->tmp.len) < 0)
			return -1;
		while (q->nwords[slot] < MAX_WORDS &&
		    etl_text_word(fb->data, fb->len, &pos, &w, &wlen)) {
			struct qword *qw;
			int64_t id = vocab_lookup(m, w, wlen);

			if (grow((void **)&q->words[slot], &q->capwords[slot],
			    q->nwords[slot] + 1, sizeof(*qw)) < 0)
				return -1;
			qw = &q->words[slot][q->nwords[slot]++];
			qw->id = id;
			qw->s = w;
			qw->len = (uint32_t)wlen;
			if (id >= 0) {
				qw->flags = m->voc[id].flags;
				qw->num = m->voc[id].num;
				qw->mclass = m->voc[id].mclass;
			} else {
				classify(m, w, wlen, &qw->flags, &qw->num,
				    &qw->mclass);
			}
			qw->w = word_weight(m, id, (int)slot);
			qw->mask = id >= 0 ? m->voc[id].mask :
			    byte_mask(w, wlen);
		}
	}
	return 0;
}

/* The words of RIGHT record r in fuzzy slot s, into out. */
static size_t
right_words(const struct etl_matcher *m, size_t r, size_t s,
    struct qword *out)
{
	size_t off = m->recs[r].tok_off, n;

	for (size_t k = 0; k < s; k++)
		off += m->tokcount[r * m->nfuzzy + k];
	n = m->tokcount[r * m->nfuzzy + s];
	for (size_t k = 0; k < n; k++) {
		uint32_t id = m->toks[off + k];
		const struct word *e = &m->voc[id];

		out[k].id = id;
		out[k].s = m->vstr.data + e->off;
		out[k].len = e->len;
		out[k].flags = e->flags;
		out[k].num = e->num;
		out[k].mclass = e->mclass;
		out[k].mask = e->mask;
		out[k].w = m->w[(size_t)id * m->nfuzzy + s];
	}
	return n;
}

static double
round4(double x)
{
	return floor(x * 10000.0 + 0.5) / 10000.0;
}

static int
put_real(struct etl_buf *b, double d)
{
	char num[64];
	size_t n = etl_json_format_real(d, num, sizeof(num));

	return etl_buf_append(b, num, n);
}

/* A field's name in explanations: "title", or "title=name". */
static int
put_label(struct etl_buf *b, const struct etl_match_field *f)
{
	struct etl_buf t;
	int rc;

	if (strcmp(f->left, f->right) == 0)
		return etl_json_dump_string(b, f->left, strlen(f->left));
	etl_buf_init(&t);
	rc = etl_buf_printf(&t, "%s=%s", f->left, f->right);
	if (rc == 0)
		rc = etl_json_dump_string(b, t.data, t.len);
	etl_buf_release(&t);
	return rc;
}

/*
 * Score LEFT (in q) against RIGHT record r; with ex, append the
 * explanation object.  *veto gets the vetoing field or -1.
 */
static double
score_pair(struct etl_match_query *q, uint32_t r, int *veto,
    struct etl_buf *ex)
{
	struct etl_matcher *m = q->m;
	struct qword bw[MAX_WORDS];
	double total = 0, wsum = 0, score;
	int first = 1, rc = 0;

	*veto = -1;
	if (ex != NULL)
		rc |= etl_buf_putc(ex, '{');
	for (size_t i = 0; i < m->nfields; i++) {
		const struct etl_match_field *f = &m->fields[i];
		size_t slot = (size_t)m->info[i].slot;
		double s = -1.0;
		int v = 0;

		if (f->kind == ETL_MATCH_EXACT)
			continue;
		if (ex != NULL) {
			if (!first)
				rc |= etl_buf_putc(ex, ',');
			first = 0;
			rc |= put_label(ex, f);
			rc |= etl_buf_puts(ex, ":{\"score\":");
		}
		if (f->kind == ETL_MATCH_FUZZY) {
			size_t nb = right_words(m, r, slot, bw);

			s = text_score(q->words[slot], q->nwords[slot], bw, nb,
			    &v, NULL);
		} else {
			double a = q->nearv[slot];
			double b = m->near[(size_t)r * m->nnear + slot];

			if (!isnan(a) && !isnan(b)) {
				double d = fabs(a - b);
				double x = f->tol > 0 ? d / f->tol : 0;

				if (d > f->tol)
					v = 1;
				else
					s = 1.0 - x * x;
			}
		}
		if (v) {
			s = 0.0;
			if (*veto < 0)
				*veto = (int)i;
		}
		if (s >= 0) {
			total += f->weight * s;
			wsum += f->weight;
		}
		if (ex != NULL) {
			if (s >= 0)
				rc |= put_real(ex, round4(s));
			else
				rc |= etl_buf_puts(ex, "null");
			rc |= etl_buf_puts(ex, ",\"weight\":");
			rc |= put_real(ex, f->weight);
			if (v) {
				struct etl_buf why;

				etl_buf_init(&why);
				if (f->kind == ETL_MATCH_FUZZY) {
					size_t nb = right_words(m, r, slot, bw);

					text_score(q->words[slot],
					    q->nwords[slot], bw, nb, &v, &why);
				} else {
					rc |= etl_buf_puts(&why, "farther "
					    "apart than the tolerance");
				}
				rc |= etl_buf_puts(ex, ",\"veto\":");
				rc |= etl_json_dump_string(ex, why.data ?
				    why.data : "", why.len);
				etl_buf_release(&why);
			}
			rc |= etl_buf_putc(ex, '}');
		}
	}
	if (ex != NULL)
		rc |= etl_buf_putc(ex, '}');
	if (rc != 0)
		return -1.0;
	score = *veto >= 0 || wsum <= 0 ? 0.0 : total / wsum;
	return round4(score);
}

static void
touch(struct etl_match_query *q, uint32_t r, double w, int *oomed)
{
	if (q->stamp[r] == q->qid) {
		q->acc[r] += (float)w;
		return;
	}
	if (grow((void **)&q->touched, &q->captouched, q->ntouched + 1,
	    sizeof(*q->touched)) < 0) {
		*oomed = 1;
		return;
	}
	q->stamp[r] = q->qid;
	q->acc[r] = (float)w;
	q->touched[q->ntouched++] = r;
}

/* Whether RIGHT record r passes the exact and near filters. */
static int
admissible(const struct etl_match_query *q, uint32_t r)
{
	const struct etl_matcher *m = q->m;
	const struct rec *rr = &m->recs[r];

	if (m->nexact > 0 && (rr->key_len != q->key.len ||
	    memcmp(m->keys.data + rr->key_off, q->key.data, q->key.len) != 0))
		return 0;
	for (size_t i = 0; i < m->nfields; i++) {
		const struct etl_match_field *f = &m->fields[i];
		size_t slot = (size_t)m->info[i].slot;
		double a, b;

		if (f->kind != ETL_MATCH_NEAR)
			continue;
		a = q->nearv[slot];
		b = m->near[(size_t)r * m->nnear + slot];
		if (isnan(a) || isnan(b))
			continue;
		if (fabs(a - b) > f->tol)
			return 0;
	}
	return 1;
}

static int
touched_cmp(const void *a, const void *b, void *arg)
{
	const struct etl_match_query *q = arg;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	if (q->acc[x] != q->acc[y])
		return q->acc[x] > q->acc[y] ? -1 : 1;
	return etl_matcher_cmp_text(q->m, x, y);
}

static int
cand_cmp(const void *a, const void *b, void *arg)
{
	const struct etl_match_cand *x = a, *y = b;
	int c;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	c = etl_matcher_cmp_text(arg, x->right, y->right);
	if (c != 0)
		return c;
	return x->right < y->right ? -1 : x->right > y->right;
}

static int
hit_cmp(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

/* Gather the RIGHT records blocking reaches into q->touched. */
static int
gather(struct etl_match_query *q)
{
	struct etl_matcher *m = q->m;
	int64_t buckets[3];
	int nb = 0, oomed = 0;
	uint64_t kh = m->nexact > 0 ? q->key_hash : 0;
	struct hit *hits;
	size_t nh = 0, best = SIZE_MAX, usable = 0;

	if (m->nexact > 0 && !q->has_key)
		return 0;
	if (m->first_near >= 0) {
		const struct etl_match_field *f = &m->fields[m->first_near];
		double v = q->nearv[m->info[m->first_near].slot];
		int64_t b;

		if (isnan(v))
			return 0;
		b = bucket_of(f, v);
		buckets[nb++] = b;
		if (f->tol > 0) {
			if (b > INT64_MIN)
				buckets[nb++] = b - 1;
			if (b < INT64_MAX)
				buckets[nb++] = b + 1;
		}
	} else {
		buckets[nb++] = 0;
	}
	if (m->nfuzzy == 0) {
		for (int k = 0; k < nb; k++) {
			const uint32_t *p;
			size_t n = postings(m, base_key(kh, buckets[k]), &p);

			for (size_t i = 0; i < n; i++)
				touch(q, p[i], 1.0, &oomed);
		}
		return oomed ? -1 : 0;
	}
	q->nhits = 0;
	for (int k = 0; k < nb; k++) {
		uint64_t base = base_key(kh, buckets[k]);

		for (size_t s = 0; s < m->nfuzzy; s++) {
			const struct qword *w = q->words[s];
			size_t n = q->nwords[s];
			int stop_ok = 1;

			for (size_t i = 0; i < n && stop_ok; i++)
				stop_ok = (w[i].flags & TF_STOP) != 0;
			for (size_t i = 0; i < n; i++) {
				uint64_t keys[3];
				int nk;

				if ((w[i].flags & TF_STOP) && !stop_ok)
					continue;
				nk = word_keys((int)s, w[i].s, w[i].len, base,
				    keys);
				for (int j = 0; j < nk; j++) {
					const uint32_t *p;
					size_t cnt = postings(m, keys[j], &p);

					if (cnt == 0)
						continue;
					if (grow((void **)&q->hits, &q->caphits,
					    q->nhits + 1, sizeof(*q->hits)) < 0)
						return -1;
					q->hits[q->nhits].key = keys[j];
					q->hits[q->nhits].a =
					    (uint32_t)(p - m->post);
					q->hits[q->nhits].b =
					    (uint32_t)(p - m->post + cnt);
					q->hits[q->nhits++].w = w[i].w;
				}
			}
		}
	}
	hits = q->hits;
	if (q->nhits > 1)
		qsort(hits, q->nhits, sizeof(*hits), hit_cmp);
	for (size_t i = 0; i < q->nhits; i++) {
		size_t cnt;

		if (nh > 0 && hits[nh - 1].key == hits[i].key) {
			if (hits[i].w > hits[nh - 1].w)
				hits[nh - 1].w = hits[i].w;
			continue;
		}
		hits[nh++] = hits[i];
		cnt = hits[i].b - hits[i].a;
		if (cnt <= m->key_limit)
			usable++;
		if (best == SIZE_MAX || cnt < hits[best].b - hits[best].a)
			best = nh - 1;
	}
	for (size_t i = 0; i < nh; i++) {
		size_t cnt = hits[i].b - hits[i].a;

		if (usable > 0 ? cnt > m->key_limit : i != best)
			continue;
		for (uint32_t k = hits[i].a; k < hits[i].b; k++)
			touch(q, m->post[k], hits[i].w, &oomed);
	}
	return oomed ? -1 : 0;
}

/* A join on exact keys only: the postings of the key are the matches. */
static long
exact_run(struct etl_match_query *q, const struct etl_match_cand **cands,
    size_t *reached, struct etl_error *err)
{
	struct etl_matcher *m = q->m;
	const uint32_t *p;
	size_t n;

	if (!q->has_key)
		return 0;
	n = postings(m, base_key(q->key_hash, 0), &p);
	if (grow((void **)&q->cands, &q->capcands, n + 1,
	    sizeof(*q->cands)) < 0)
		return oom(err);
	for (size_t i = 0; i < n; i++) {
		const struct rec *rr = &m->recs[p[i]];

		if (rr->key_hash != q->key_hash || rr->key_len != q->key.len ||
		    memcmp(m->keys.data + rr->key_off, q->key.data,
		    q->key.len) != 0)
			continue;
		q->cands[q->ncands].right = p[i];
		q->cands[q->ncands].score = 1.0;
		q->cands[q->ncands++].veto = -1;
	}
	if (q->ncands > 1)
		qsort_r(q->cands, q->ncands, sizeof(*q->cands), cand_cmp, m);
	if (reached != NULL)
		*reached = q->ncands;
	*cands = q->cands;
	return (long)q->ncands;
}

long
etl_match_query_run(struct etl_match_query *q,
    const struct etl_textjson *left, const struct etl_match_cand **cands,
    size_t *reached, struct etl_error *err)
{
	struct etl_matcher *m = q->m;
	size_t keep = 0;
	float best = 0;

	*cands = NULL;
	if (reached != NULL)
		*reached = 0;
	q->ncands = 0;
	q->ntouched = 0;
	if (++q->qid == 0) {
		memset(q->stamp, 0, (m->n ? m->n : 1) * sizeof(*q->stamp));
		q->qid = 1;
	}
	if (query_set(q, left) < 0)
		return oom(err);
	if (m->nfuzzy + m->nnear == 0)
		return exact_run(q, cands, reached, err);
	if (gather(q) < 0)
		return oom(err);
	for (size_t i = 0; i < q->ntouched; i++) {
		uint32_t r = q->touched[i];

		if (!admissible(q, r))
			continue;
		q->touched[keep++] = r;
		if (q->acc[r] > best)
			best = q->acc[r];
	}
	q->ntouched = keep;
	/*
	 * Records sharing much less key weight than the best one cannot
	 * score near it: drop those under ETL_MATCH_KEEP_SHARE of it.
	 */
	if (m->nfuzzy > 0) {
		float cut = best * (float)ETL_MATCH_KEEP_SHARE;

		keep = 0;
		for (size_t i = 0; i < q->ntouched; i++)
			if (q->acc[q->touched[i]] >= cut)
				q->touched[keep++] = q->touched[i];
		q->ntouched = keep;
	}
	if (reached != NULL)
		*reached = keep;
	if (m->nfuzzy > 0 && keep > m->max_cand) {
		qsort_r(q->touched, keep, sizeof(*q->touched), touched_cmp, q);
		q->ntouched = m->max_cand;
	}
	if (grow((void **)&q->cands, &q->capcands, q->ntouched + 1,
	    sizeof(*q->cands)) < 0)
		return oom(err);
	for (size_t i = 0; i < q->ntouched; i++) {
		struct etl_match_cand *c = &q->cands[q->ncands++];

		c->right = q->touched[i];
		c->score = etl_matcher_scores(m) ? score_pair(q, c->right,
		    &c->veto, NULL) : 1.0;
		if (!etl_matcher_scores(m))
			c->veto = -1;
		if (c->score < 0)
			return oom(err);
	}
	if (q->ncands > 1)
		qsort_r(q->cands, q->ncands, sizeof(*q->cands), cand_cmp, m);
	*cands = q->cands;
	return (long)q->ncands;
}

int
etl_match_query_explain(struct etl_match_query *q, uint32_t right,
    struct etl_buf *out)
{
	int veto;

	return score_pair(q, right, &veto, out) < 0 ? -1 : 0;
}

double
etl_match_text_score(const char *a, const char *b)
{
	struct etl_matcher m;
	struct etl_buf fa, fb;
	struct qword wa[MAX_WORDS], wb[MAX_WORDS];
	size_t na = 0, nb = 0, pos;
	const char *w;
	size_t wlen;
	double s = -1.0;
	int veto;

	memset(&m, 0, sizeof(m));
	etl_buf_init(&fa);
	etl_buf_init(&fb);
	m.seq = etl_wordset_new();
	if (m.seq == NULL || etl_wordset_add_list(m.seq, sequence_words) < 0 ||
	    etl_text_fold(&fa, a, strlen(a)) < 0 ||
	    etl_text_fold(&fb, b, strlen(b)) < 0)
		goto out;
	for (pos = 0; na < MAX_WORDS && etl_text_word(fa.data, fa.len, &pos,
	    &w, &wlen); na++) {
		wa[na].id = -1;
		wa[na].s = w;
		wa[na].len = (uint32_t)wlen;
		wa[na].w = 1.0;
		wa[na].mask = byte_mask(w, wlen);
		classify(&m, w, wlen, &wa[na].flags, &wa[na].num,
		    &wa[na].mclass);
	}
	for (pos = 0; nb < MAX_WORDS && etl_text_word(fb.data, fb.len, &pos,
	    &w, &wlen); nb++) {
		wb[nb].id = -1;
		wb[nb].s = w;
		wb[nb].len = (uint32_t)wlen;
		wb[nb].w = 1.0;
		wb[nb].mask = byte_mask(w, wlen);
		classify(&m, w, wlen, &wb[nb].flags, &wb[nb].num,
		    &wb[nb].mclass);
	}
	s = text_score(wa, na, wb, nb, &veto, NULL);
	if (s < 0)
		s = na == 0 && nb == 0 ? 1.0 : 0.0;
out:
	etl_wordset_free(m.seq);
	etl_buf_release(&fa);
	etl_buf_release(&fb);
	return s;
}
