/*
 * etl-match --diff --on KEY OLD NEW: OLD is held in memory by key, NEW
 * streamed.  Each NEW record is added (key not in OLD), changed (some
 * field differs: the list names them, NEW's order first, then fields
 * only OLD has) or unchanged (not written); OLD records whose key NEW
 * lacks are removed, written at the end in OLD's order.
 */
#include <stdint.h>

#include "etl-match.h"
#include "jsonw.h"
#include "log.h"
#include "out.h"
#include "signals.h"
#include "strbuf.h"
#include "textmap.h"

#define SEEN ((uint64_t)1 << 62)
#define INDEX_MASK (SEEN - 1)

struct old_rec {
	uint64_t off;		/* compact text in texts */
	uint32_t len;
	long long line;
};

struct diff {
	struct etl_tool *t;
	struct match_opts *o;
	struct etl_textmap *keys;	/* key -> old index + 1, | SEEN */
	struct old_rec *old;
	size_t nold, capold;
	struct etl_buf texts, key, tmp, line;
	struct etl_textjson rec;
	struct etl_out *out;
	struct etl_rejects *rj;
	long long *n_old, *n_new, *added, *removed, *changed, *unchanged;
	long long *nrej;
};

static int
oom(struct diff *d)
{
	return etl_error_set(&d->t->err, ETL_EINTERNAL, "out of memory");
}

/*
 * The key of rec into d->key (length-prefixed scalar texts of the --on
 * fields, OLD's names when old, else NEW's).  0, or -ETL_EDATA with why
 * filled, or -ETL_EINTERNAL.
 */
static int
record_key(struct diff *d, const struct etl_textjson *rec, int old,
    const char *source, long long line, struct etl_error *why)
{
	etl_buf_reset(&d->key);
	for (size_t i = 0; i < d->o->nfields; i++) {
		const char *name = old ? d->o->fields[i].left :
		    d->o->fields[i].right;
		const char *v;
		size_t vlen;
		int rc;

		v = etl_textjson_get(rec, name, &vlen);
		if (v == NULL) {
			rc = etl_error_at(why, ETL_EDATA, source, line, name,
			    "missing key");
			etl_error_rule(why, "key");
			return rc;
		}
		etl_buf_reset(&d->tmp);
		rc = etl_textjson_scalar(&d->tmp, v, vlen);
		if (rc == -2)
			return oom(d);
		if (rc < 0) {
			rc = etl_error_at(why, ETL_EDATA, source, line, name,
			    "key is %s, not a string or number", v[0] == 'n' ?
			    "null" : v[0] == '[' ? "an array" : v[0] == '{' ?
			    "an object" : "a boolean");
			etl_error_rule(why, "key");
			return rc;
		}
		if (etl_buf_printf(&d->key, "%zu:", d->tmp.len) < 0 ||
		    etl_buf_append(&d->key, d->tmp.data ? d->tmp.data : "",
		    d->tmp.len) < 0)
			return oom(d);
	}
	if (d->key.data == NULL && etl_buf_reserve(&d->key, 0) < 0)
		return oom(d);
	return 0;
}

static int
load_old(struct diff *d)
{
	struct etl_tool *t = d->t;
	struct etl_lines *in;
	int rc;

	in = etl_lines_new(d->o->left, t->max_line, &t->err);
	if (in == NULL)
		return -(int)t->err.kind;
	while ((rc = match_read(t, in, d->rj, &d->rec, d->nrej)) > 0) {
		struct etl_error why;
		struct old_rec *r;
		uint64_t *slot;
		int added;

		etl_error_init(&why);
		rc = record_key(d, &d->rec, 1, etl_lines_source(in),
		    etl_lines_lineno(in), &why);
		if (rc == -ETL_EINTERNAL)
			break;
		if (rc == 0) {
			slot = etl_textmap_put(d->keys, d->key.data,
			    d->key.len, d->nold + 1, &added);
			if (slot == NULL) {
				rc = oom(d);
				break;
			}
			if (!added) {
				rc = etl_error_at(&why, ETL_EDATA,
				    etl_lines_source(in), etl_lines_lineno(in),
				    d->o->fields[0].left, "duplicate key "
				    "(first at line %lld)", d->old[(*slot &
				    INDEX_MASK) - 1].line);
				etl_error_rule(&why, "unique");
			}
		}
		if (rc < 0) {
			if ((rc = match_reject(t, d->rj, &why, &d->rec,
			    d->nrej)) < 0)
				break;
			continue;
		}
		if (d->nold == d->capold) {
			size_t cap = d->capold ? d->capold * 2 : 1024;
			struct old_rec *p = realloc(d->old, cap * sizeof(*p));

			if (p == NULL) {
				rc = oom(d);
				break;
			}
			d->old = p;
			d->capold = cap;
		}
		r = &d->old[d->nold++];
		r->off = d->texts.len;
		r->len = (uint32_t)d->rec.compact.len;
		r->line = etl_lines_lineno(in);
		if (etl_buf_append(&d->texts, d->rec.compact.data,
		    d->rec.compact.len) < 0) {
			rc = oom(d);
			break;
		}
		(*d->n_old)++;
		etl_progress_update(*d->n_old, "old");
	}
	etl_lines_free(in);
	return rc;
}

/* The "key" value: the field's JSON text, or an array of them. */
static int
put_key(struct diff *d, const struct etl_textjson *rec, int old)
{
	struct etl_buf *b = &d->line;
	int rc = 0, many = d->o->nfields > 1;

	rc |= etl_buf_puts(b, ",\"key\":");
	if (many)
		rc |= etl_buf_putc(b, '[');
	for (size_t i = 0; i < d->o->nfields; i++) {
		const char *name = old ? d->o->fields[i].left :
		    d->o->fields[i].right;
		size_t vlen;
		const char *v = etl_textjson_get(rec, name, &vlen);

		if (i > 0)
			rc |= etl_buf_putc(b, ',');
		rc |= etl_buf_append(b, v, vlen);
	}
	if (many)
		rc |= etl_buf_putc(b, ']');
	return rc ? -1 : 0;
}

/*
 * The names of the fields that differ, as a JSON array in d->tmp; 0 when
 * none do (the texts differ only in spelling: spaces, escapes, order).
 */
static int
changed_fields(struct diff *d, const char *ot, size_t ol, const char *nt,
    size_t nl, size_t *count)
{
	json_t *o = json_loadb(ot, ol, JSON_ALLOW_NUL, NULL);
	json_t *n = json_loadb(nt, nl, JSON_ALLOW_NUL, NULL);
	const char *k;
	json_t *v;
	int rc = 0;

	*count = 0;
	etl_buf_reset(&d->tmp);
	if (o == NULL || n == NULL) {
		rc = -1;
		goto out;
	}
	rc |= etl_buf_putc(&d->tmp, '[');
	json_object_foreach(n, k, v) {
		json_t *w = json_object_get(o, k);

		if (w != NULL && json_equal(v, w))
			continue;
		if ((*count)++ > 0)
			rc |= etl_buf_putc(&d->tmp, ',');
		rc |= etl_json_dump_string(&d->tmp, k, strlen(k));
	}
	json_object_foreach(o, k, v) {
		if (json_object_get(n, k) != NULL)
			continue;
		if ((*count)++ > 0)
			rc |= etl_buf_putc(&d->tmp, ',');
		rc |= etl_json_dump_string(&d->tmp, k, strlen(k));
	}
	rc |= etl_buf_putc(&d->tmp, ']');
out:
	json_decref(o);
	json_decref(n);
	return rc ? -1 : 0;
}

static int
emit(struct diff *d)
{
	if (d->line.data == NULL)
		return oom(d);
	return etl_out_line(d->out, d->line.data, d->line.len, &d->t->err);
}

static int
one_new(struct diff *d, const char *source, long long line)
{
	struct etl_error why;
	uint64_t *slot = NULL;
	const struct old_rec *r;
	const char *ot;
	size_t nf;
	int rc = 0, added;

	etl_error_init(&why);
	rc = record_key(d, &d->rec, 0, source, line, &why);
	if (rc == -ETL_EINTERNAL)
		return rc;
	if (rc == 0) {
		slot = etl_textmap_put(d->keys, d->key.data, d->key.len, 0,
		    &added);
		if (slot == NULL)
			return oom(d);
		if (*slot & SEEN) {
			rc = etl_error_at(&why, ETL_EDATA, source, line,
			    d->o->fields[0].right, "duplicate key in NEW");
			etl_error_rule(&why, "unique");
		}
	}
	if (rc < 0)
		return match_reject(d->t, d->rj, &why, &d->rec, d->nrej);
	(*d->n_new)++;
	*slot |= SEEN;
	etl_buf_reset(&d->line);
	if ((*slot & INDEX_MASK) == 0) {
		(*d->added)++;
		rc |= etl_buf_puts(&d->line, "{\"change\":\"added\"");
		rc |= put_key(d, &d->rec, 0);
		rc |= etl_buf_puts(&d->line, ",\"new\":");
		rc |= etl_buf_append(&d->line, d->rec.compact.data,
		    d->rec.compact.len);
		rc |= etl_buf_putc(&d->line, '}');
		return rc ? oom(d) : emit(d);
	}
	r = &d->old[(*slot & INDEX_MASK) - 1];
	ot = d->texts.data + r->off;
	nf = 0;
	if ((r->len != d->rec.compact.len || memcmp(ot, d->rec.compact.data,
	    r->len) != 0) && changed_fields(d, ot, r->len, d->rec.compact.data,
	    d->rec.compact.len, &nf) < 0)
		return oom(d);
	if (nf == 0) {
		(*d->unchanged)++;
		return 0;
	}
	(*d->changed)++;
	rc |= etl_buf_puts(&d->line, "{\"change\":\"changed\"");
	rc |= put_key(d, &d->rec, 0);
	rc |= etl_buf_puts(&d->line, ",\"fields\":");
	rc |= etl_buf_append(&d->line, d->tmp.data, d->tmp.len);
	rc |= etl_buf_puts(&d->line, ",\"old\":");
	rc |= etl_buf_append(&d->line, ot, r->len);
	rc |= etl_buf_puts(&d->line, ",\"new\":");
	rc |= etl_buf_append(&d->line, d->rec.compact.data,
	    d->rec.compact.len);
	rc |= etl_buf_putc(&d->line, '}');
	return rc ? oom(d) : emit(d);
}

static int
emit_removed(struct diff *d)
{
	struct etl_error why;
	int rc = 0;

	for (size_t i = 0; i < d->nold && rc == 0; i++) {
		const struct old_rec *r = &d->old[i];
		const char *ot = d->texts.data + r->off;
		uint64_t *slot;

		if (etl_textjson_scan(&d->rec, ot, r->len) < 0 ||
		    record_key(d, &d->rec, 1, "", 0, &why) < 0)
			return etl_error_set(&d->t->err, ETL_EINTERNAL,
			    "cannot read a record back");
		slot = etl_textmap_get(d->keys, d->key.data, d->key.len);
		if (slot != NULL && (*slot & SEEN))
			continue;
		(*d->removed)++;
		etl_buf_reset(&d->line);
		rc |= etl_buf_puts(&d->line, "{\"change\":\"removed\"");
		rc |= put_key(d, &d->rec, 1);
		rc |= etl_buf_puts(&d->line, ",\"old\":");
		rc |= etl_buf_append(&d->line, ot, r->len);
		rc |= etl_buf_putc(&d->line, '}');
		rc = rc ? oom(d) : emit(d);
	}
	return rc;
}

int
run_diff(struct etl_tool *t, struct match_opts *o)
{
	struct etl_summary *s = &t->summary;
	struct etl_lines *in = NULL;
	struct diff d;
	int rc;

	memset(&d, 0, sizeof(d));
	d.t = t;
	d.o = o;
	etl_buf_init(&d.texts);
	etl_buf_init(&d.key);
	etl_buf_init(&d.tmp);
	etl_buf_init(&d.line);
	etl_textjson_init(&d.rec);
	d.n_old = etl_summary_counter(s, "old");
	d.n_new = etl_summary_counter(s, "new");
	d.added = etl_summary_counter(s, "added");
	d.removed = etl_summary_counter(s, "removed");
	d.changed = etl_summary_counter(s, "changed");
	d.unchanged = etl_summary_counter(s, "unchanged");
	d.nrej = etl_summary_counter(s, "rejected");
	d.keys = etl_textmap_new();
	if (d.keys == NULL) {
		rc = oom(&d);
		goto out;
	}
	d.rj = etl_rejects_new(t->errors_path, t->max_errors, &t->err);
	if (d.rj == NULL) {
		rc = -(int)t->err.kind;
		goto out;
	}
	if ((rc = load_old(&d)) < 0)
		goto out;
	d.out = etl_out_new(NULL, 0, &t->err);
	in = etl_lines_new(o->right, t->max_line, &t->err);
	if (d.out == NULL || in == NULL) {
		rc = -(int)t->err.kind;
		goto out;
	}
	while ((rc = match_read(t, in, d.rj, &d.rec, d.nrej)) > 0) {
		etl_progress_update(*d.n_new + 1, "new");
		if ((rc = one_new(&d, etl_lines_source(in),
		    etl_lines_lineno(in))) < 0)
			goto out;
	}
	if (rc < 0 || (rc = etl_signal_check(&t->err)) < 0 ||
	    (rc = emit_removed(&d)) < 0)
		goto out;
	rc = etl_out_close(d.out, &t->err);
	d.out = NULL;
	if (rc == 0)
		rc = etl_rejects_close(d.rj, &t->err);
	d.rj = NULL;
out:
	etl_lines_free(in);
	etl_out_close(d.out, NULL);
	etl_rejects_close(d.rj, NULL);
	etl_textmap_free(d.keys);
	free(d.old);
	etl_buf_release(&d.texts);
	etl_buf_release(&d.key);
	etl_buf_release(&d.tmp);
	etl_buf_release(&d.line);
	etl_textjson_release(&d.rec);
	return rc;
}
