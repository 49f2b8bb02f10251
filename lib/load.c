#include <errno.h>
#include <ctype.h>
#include <stdarg.h>

#include "jsonw.h"
#include "load_impl.h"
#include "signals.h"
#include "state.h"
#include "textmap.h"

int
etl_conflict_parse(const char *s, enum etl_conflict *c, const char **field)
{
	*field = NULL;
	if (strcmp(s, "source-wins") == 0)
		*c = ETL_CONFLICT_SOURCE;
	else if (strcmp(s, "dest-wins") == 0)
		*c = ETL_CONFLICT_DEST;
	else if (strcmp(s, "merge") == 0)
		*c = ETL_CONFLICT_MERGE;
	else if (strncmp(s, "latest-wins:", 12) == 0 && s[12] != '\0') {
		*c = ETL_CONFLICT_LATEST;
		*field = s + 12;
	} else
		return -1;
	return 0;
}

int
etl_load_mode_parse(const char *s, enum etl_load_mode *m)
{
	static const char *const names[] = { "upsert", "insert", "replace",
	    "append" };

	for (int i = 0; i < 4; i++)
		if (strcmp(s, names[i]) == 0) {
			*m = (enum etl_load_mode)i;
			return 0;
		}
	return -1;
}

static char *
lower_dup(const char *s)
{
	char *l = strdup(s);

	for (char *p = l; p && *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return l;
}

static int
add_column(struct etl_loader *ld, const char *name, const char *type)
{
	struct etlp_column *c = realloc(ld->cols, sizeof(*c) *
	    (size_t)(ld->ncols + 1));
	char *lower;

	if (c == NULL)
		return -1;
	ld->cols = c;
	c += ld->ncols;
	c->name = strdup(name);
	c->quoted = etl_db_quote_ident(name);
	c->type = strdup(type ? type : "");
	if (c->name == NULL || c->quoted == NULL || c->type == NULL)
		return -1;
	json_object_set_new(ld->colmap, name, json_integer(ld->ncols));
	if (!ld->pg && (lower = lower_dup(name)) != NULL) {
		if (json_object_get(ld->colmap, lower) == NULL)
			json_object_set_new(ld->colmap, lower,
			    json_integer(ld->ncols));
		free(lower);
	}
	ld->ncols++;
	ld->schema_changed = 1;
	ld->shape_valid = 0;	/* columns moved: look keys up again */
	return 0;
}

/* The column index of a record key, or -1. */
static int
column_of(struct etl_loader *ld, const char *name)
{
	json_t *i = json_object_get(ld->colmap, name);
	char *lower;

	if (i == NULL && !ld->pg && (lower = lower_dup(name)) != NULL) {
		i = json_object_get(ld->colmap, lower);
		free(lower);
	}
	return i ? (int)json_integer_value(i) : -1;
}

static int
collect_column(const char *name, const char *type, void *ctx)
{
	return add_column(ctx, name, type) < 0 ? -1 : 0;
}

static int
resolve_keys(struct etl_loader *ld, struct etl_error *err)
{
	for (int k = 0; k < ld->o.nkeys; k++) {
		ld->keycol[k] = column_of(ld, ld->o.keys[k]);
		if (ld->keycol[k] < 0)
			return etl_error_at(err, ETL_ECONFIG, ld->o.table, 0,
			    NULL, "table has no column '%s' for --key",
			    ld->o.keys[k]);
	}
	ld->latest_col = ld->o.latest_field ?
	    column_of(ld, ld->o.latest_field) : -1;
	return 0;
}

struct etl_loader *
etl_loader_new(struct etl_db *db, const struct etl_load_opts *opts,
    const struct etl_load_hooks *hooks, struct etl_error *err)
{
	struct etl_loader *ld = calloc(1, sizeof(*ld));
	int rc;

	if (ld == NULL) {
		etl_error_set(err, ETL_EINTERNAL, "out of memory");
		return NULL;
	}
	ld->db = db;
	ld->o = *opts;
	if (ld->o.batch == 0)
		ld->o.batch = 1000;
	ld->h = *hooks;
	ld->pg = strcmp(etl_db_backend(db), "sqlite") != 0;
	ld->latest_col = -1;
	etl_buf_init(&ld->scratch);
	ld->qtable = etl_db_quote_ident(opts->table);
	ld->colmap = json_object();
	ld->keycol = calloc((size_t)opts->nkeys + 1, sizeof(int));
	if (ld->qtable == NULL || ld->colmap == NULL || ld->keycol == NULL) {
		etl_error_set(err, ETL_EINTERNAL, "out of memory");
		goto fail;
	}
	rc = etl_db_has_table(db, opts->table, err);
	if (rc < 0)
		goto fail;
	ld->table_exists = rc;
	if (rc == 1) {
		if (etl_db_table_columns(db, opts->table, collect_column, ld,
		    err) < 0)
			goto fail;
		if (resolve_keys(ld, err) < 0)
			goto fail;
	}
	return ld;
fail:
	etl_loader_free(ld);
	return NULL;
}

static void forget_shape(struct etl_loader *ld);

static void
free_batch(struct etl_loader *ld)
{
	for (size_t i = 0; i < ld->n; i++)
		free(ld->batch[i].rec);
	ld->n = 0;
}

void
etl_loader_free(struct etl_loader *ld)
{
	if (ld == NULL)
		return;
	if (ld->tx_open)
		etl_db_rollback(ld->db);
	if (ld->pg)
		etlp_load_pg_free(ld);
	else
		etlp_load_sqlite_free(ld);
	free_batch(ld);
	free(ld->batch);
	for (int i = 0; i < ld->ncols; i++) {
		free(ld->cols[i].name);
		free(ld->cols[i].quoted);
		free(ld->cols[i].type);
	}
	free(ld->cols);
	json_decref(ld->colmap);
	json_decref(ld->keep);
	free(ld->keycol);
	free(ld->qtable);
	free(ld->wm_best);
	forget_shape(ld);
	for (int i = 0; i < ld->nsources; i++)
		free(ld->sources[i]);
	free(ld->sources);
	if (ld->spool != NULL)
		fclose(ld->spool);
	etl_buf_release(&ld->scratch);
	etlp_record_scratch_release(&ld->rs);
	free(ld->valbuf);
	free(ld);
}

const struct etl_load_counts *
etl_loader_counts(const struct etl_loader *ld)
{
	return &ld->c;
}

const char *
etl_loader_watermark(const struct etl_loader *ld)
{
	return ld->wm_best;
}

int
etlp_load_reject(struct etl_loader *ld, struct etlp_pending *p,
    const char *field, const char *rule, struct etl_error *err,
    const char *fmt, ...)
{
	struct etl_error why;
	va_list ap;
	char msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	etl_error_at(&why, ETL_EDATA, p->source, p->line, field, "%s", msg);
	etl_error_rule(&why, rule);
	p->dropped = 1;
	if (ld->o.mode == ETL_LOAD_REPLACE) {
		struct etl_error kerr;

		etlp_load_keep(ld, p->rec, &kerr);
	}
	if (ld->h.reject == NULL) {
		*err = why;
		return -ETL_EDATA;
	}
	return ld->h.reject(ld->h.ctx, &why, p->rec->json, p->rec->jlen, err);
}

const char *
etlp_load_value_text(struct etl_loader *ld, const struct etlp_val *v,
    size_t *len)
{
	int n;

	etl_buf_reset(&ld->scratch);
	switch (v ? v->type : ETLP_NULL) {
	case ETLP_STR:
	case ETLP_JSON:
		*len = v->len;
		return v->s;
	case ETLP_INT: {
		char num[24], *q = num + sizeof(num);
		long long x = v->n.i;
		unsigned long long u = x < 0 ? 0ULL - (unsigned long long)x :
		    (unsigned long long)x;

		do
			*--q = (char)('0' + u % 10);
		while ((u /= 10) != 0);
		if (x < 0)
			*--q = '-';
		n = etl_buf_append(&ld->scratch, q,
		    (size_t)(num + sizeof(num) - q));
		break;
	}
	case ETLP_REAL: {
		char num[64];

		n = etl_buf_append(&ld->scratch, num,
		    etl_json_format_real(v->n.d, num, sizeof(num)));
		break;
	}
	case ETLP_TRUE:
		n = etl_buf_puts(&ld->scratch, ld->pg ? "t" : "1");
		break;
	case ETLP_FALSE:
		n = etl_buf_puts(&ld->scratch, ld->pg ? "f" : "0");
		break;
	default:
		*len = 0;
		return NULL;
	}
	if (n < 0 || ld->scratch.data == NULL) {
		*len = 0;
		return "";
	}
	*len = ld->scratch.len;
	return ld->scratch.data;
}

int
etlp_load_key_string(struct etl_loader *ld, const struct etlp_record *r,
    struct etl_buf *b)
{
	etl_buf_reset(b);
	for (int k = 0; k < ld->o.nkeys; k++) {
		size_t len;
		const char *t = etlp_load_value_text(ld,
		    etlp_record_get(r, ld->o.keys[k]), &len);

		if ((k && etl_buf_putc(b, '\x1f') < 0) ||
		    etl_buf_append(b, t ? t : "", t ? len : 0) < 0)
			return -1;
	}
	return etl_buf_putc(b, '\0') < 0 ? -1 : 0;
}

int
etlp_load_later(const char *incoming, const char *stored)
{
	int cmp;

	if (stored == NULL)
		return 1;
	if (etl_value_cmp(incoming, stored, &cmp) < 0)
		return -1;
	return cmp > 0;
}

int
etlp_load_keep(struct etl_loader *ld, const struct etlp_record *rec,
    struct etl_error *err)
{
	json_t *keys = json_array();

	for (int k = 0; k < ld->o.nkeys; k++) {
		const struct etlp_val *v = etlp_record_get(rec, ld->o.keys[k]);
		const char *t;
		size_t len;

		/* Without its whole key a record names no stored row. */
		if (v == NULL || v->type == ETLP_NULL ||
		    v->type == ETLP_JSON) {
			json_decref(keys);
			return 0;
		}
		t = etlp_load_value_text(ld, v, &len);
		if (json_array_append_new(keys, json_stringn_nocheck(t, len)) <
		    0) {
			json_decref(keys);
			return etl_error_set(err, ETL_EINTERNAL,
			    "out of memory");
		}
	}
	if (ld->keep == NULL)
		ld->keep = json_array();
	if (keys == NULL || ld->keep == NULL ||
	    json_array_append_new(ld->keep, keys) < 0)
		return etl_error_set(err, ETL_EINTERNAL, "out of memory");
	return 0;
}

/* The SQL type for a new column, from the first non-null value. */
static const char *
type_for(const struct etl_loader *ld, const struct etlp_val *v)
{
	switch (v ? v->type : ETLP_NULL) {
	case ETLP_INT:
		return ld->pg ? "BIGINT" : "INTEGER";
	case ETLP_REAL:
		return ld->pg ? "DOUBLE PRECISION" : "REAL";
	case ETLP_TRUE:
	case ETLP_FALSE:
		return ld->pg ? "BOOLEAN" : "INTEGER";
	case ETLP_NULL:
		return ld->pg ? "TEXT" : "";
	default:
		return "TEXT";
	}
}

static const struct etlp_val *
first_non_null(struct etl_loader *ld, const char *key)
{
	const struct etlp_val *found = NULL;

	for (size_t i = 0; i < ld->n; i++) {
		const struct etlp_val *v = etlp_record_get(ld->batch[i].rec,
		    key);

		if (v != NULL && v->type != ETLP_NULL)
			return v;
		if (v != NULL)
			found = v;
	}
	return found;
}

static int remember_shape(struct etl_loader *ld,
    const struct etlp_record *rec);
static int same_shape(const struct etl_loader *ld,
    const struct etlp_record *rec);

/* Create the table, or add columns for keys it lacks. */
static int
ensure_schema(struct etl_loader *ld, struct etl_error *err)
{
	struct etl_buf sql;
	int first_new = ld->ncols, rc = 0, creating = !ld->table_exists;

	for (size_t i = 0; i < ld->n; i++) {
		const struct etlp_record *r = ld->batch[i].rec;

		if (ld->batch[i].dropped || (same_shape(ld, r) &&
		    ld->shape_complete))
			continue;
		for (size_t m = 0; m < r->n; m++) {
			const char *key = r->m[m].key;

			if (column_of(ld, key) >= 0)
				continue;
			if (add_column(ld, key, type_for(ld,
			    first_non_null(ld, key))) < 0)
				return etl_error_set(err, ETL_EINTERNAL,
				    "out of memory");
		}
		/* The next record of this shape needs no look-ups. */
		if (remember_shape(ld, r) < 0)
			return etl_error_set(err, ETL_EINTERNAL,
			    "out of memory");
	}
	if (!creating && first_new == ld->ncols)
		return 0;
	etl_buf_init(&sql);
	if (creating) {
		etl_buf_printf(&sql, "CREATE TABLE %s (", ld->qtable);
		for (int c = 0; c < ld->ncols; c++)
			etl_buf_printf(&sql, "%s%s%s%s", c ? ", " : "",
			    ld->cols[c].quoted, *ld->cols[c].type ? " " : "",
			    ld->cols[c].type);
		if (ld->o.nkeys > 0) {
			etl_buf_puts(&sql, ", PRIMARY KEY (");
			for (int k = 0; k < ld->o.nkeys; k++) {
				int c = column_of(ld, ld->o.keys[k]);

				etl_buf_printf(&sql, "%s%s", k ? ", " : "",
				    ld->cols[c].quoted);
			}
			etl_buf_putc(&sql, ')');
		}
		etl_buf_putc(&sql, ')');
		rc = etl_db_exec(ld->db, sql.data, err);
		if (rc == 0) {
			ld->table_exists = 1;
			ld->created = 1;
			rc = resolve_keys(ld, err);
		}
	} else {
		for (int c = first_new; c < ld->ncols && rc == 0; c++) {
			etl_buf_reset(&sql);
			etl_buf_printf(&sql, "ALTER TABLE %s ADD COLUMN %s%s%s",
			    ld->qtable, ld->cols[c].quoted,
			    *ld->cols[c].type ? " " : "", ld->cols[c].type);
			rc = etl_db_exec(ld->db, sql.data, err);
			if (rc == 0 && ld->h.column_added != NULL)
				ld->h.column_added(ld->h.ctx, ld->o.table,
				    ld->cols[c].name, ld->cols[c].type);
		}
		if (rc == 0 && ld->latest_col < 0 && ld->o.latest_field)
			ld->latest_col = column_of(ld, ld->o.latest_field);
	}
	etl_buf_release(&sql);
	return rc;
}

/*
 * Each record's values in column order (borrowed from the record).
 * Records of a stream mostly share one shape: the keys of the last
 * record and their columns are kept, and a record whose keys are the
 * same names in the same order skips the column look-ups.
 */
static void
forget_shape(struct etl_loader *ld)
{
	for (int k = 0; k < ld->shape_n; k++)
		free(ld->shape_keys[k]);
	free(ld->shape_keys);
	free(ld->shape_cols);
	ld->shape_keys = NULL;
	ld->shape_cols = NULL;
	ld->shape_n = 0;
	ld->shape_valid = 0;
	ld->shape_complete = 0;
}

/* Keep rec's key names and their columns as the shape to expect. */
static int
remember_shape(struct etl_loader *ld, const struct etlp_record *rec)
{
	forget_shape(ld);
	ld->shape_keys = calloc(rec->n + 1, sizeof(char *));
	ld->shape_cols = calloc(rec->n + 1, sizeof(int));
	if (ld->shape_keys == NULL || ld->shape_cols == NULL)
		return -1;
	for (size_t k = 0; k < rec->n; k++) {
		if ((ld->shape_keys[k] = strdup(rec->m[k].key)) == NULL)
			return -1;
		ld->shape_cols[k] = column_of(ld, rec->m[k].key);
		ld->shape_n++;
	}
	ld->shape_valid = 1;
	ld->shape_complete = 1;
	for (size_t k = 0; k < rec->n; k++)
		if (ld->shape_cols[k] < 0)
			ld->shape_complete = 0;
	return 0;
}

/* Whether rec has the key names of the shape, in its order. */
static int
same_shape(const struct etl_loader *ld, const struct etlp_record *rec)
{
	if (!ld->shape_valid || (int)rec->n != ld->shape_n)
		return 0;
	for (size_t k = 0; k < rec->n; k++)
		if (strcmp(rec->m[k].key, ld->shape_keys[k]) != 0)
			return 0;
	return 1;
}

static int
map_values(struct etl_loader *ld, struct etl_error *err)
{
	size_t need = ld->n * (size_t)(ld->ncols + 1);

	if (need > ld->valcap) {
		const struct etlp_val **v = realloc(ld->valbuf,
		    need * sizeof(*v));

		if (v == NULL)
			return etl_error_set(err, ETL_EINTERNAL,
			    "out of memory");
		ld->valbuf = v;
		ld->valcap = need;
	}
	memset(ld->valbuf, 0, need * sizeof(*ld->valbuf));
	for (size_t i = 0; i < ld->n; i++) {
		struct etlp_pending *p = &ld->batch[i];
		const struct etlp_record *r = p->rec;

		p->vals = ld->valbuf + i * (size_t)(ld->ncols + 1);
		if (!same_shape(ld, r) && remember_shape(ld, r) < 0)
			return etl_error_set(err, ETL_EINTERNAL,
			    "out of memory");
		/* A later member of one name wins, as in jansson. */
		for (size_t k = 0; k < r->n; k++)
			if (ld->shape_cols[k] >= 0)
				p->vals[ld->shape_cols[k]] = &r->m[k].v;
	}
	return 0;
}

/*
 * Whether the batch's keys rise strictly (one key column, all integers or
 * all strings): no key can come twice, and nothing needs looking up.
 * Sorted exports and ids handed out in order are common.
 */
static int
keys_rise(struct etl_loader *ld)
{
	const struct etlp_val *prev = NULL;

	if (ld->o.nkeys != 1)
		return 0;
	for (size_t i = 0; i < ld->n; i++) {
		const struct etlp_val *v;

		if (ld->batch[i].dropped)
			continue;
		v = etlp_record_get(ld->batch[i].rec, ld->o.keys[0]);
		if (v == NULL || (v->type != ETLP_INT && v->type != ETLP_STR))
			return 0;
		if (prev != NULL) {
			size_t n = prev->len < v->len ? prev->len : v->len;
			int c;

			if (v->type != prev->type)
				return 0;
			if (v->type == ETLP_INT)
				c = prev->n.i < v->n.i ? -1 : 1;
			else if ((c = memcmp(prev->s, v->s, n)) == 0)
				c = prev->len < v->len ? -1 : 1;
			if (c >= 0)
				return 0;
		}
		prev = v;
	}
	return 1;
}

/*
 * Within a batch one key is loaded once: the later record counts (with
 * latest-wins, the one with the later FIELD).  Insert mode rejects the
 * later copies instead.
 */
static int
dedupe(struct etl_loader *ld, struct etl_error *err)
{
	struct etl_textmap *seen;
	struct etl_buf key;
	int rc = 0;

	if (keys_rise(ld))
		return 0;
	seen = etl_textmap_new();
	etl_buf_init(&key);
	if (seen == NULL)
		return etl_error_set(err, ETL_EINTERNAL, "out of memory");
	for (size_t i = 0; i < ld->n && rc == 0; i++) {
		struct etlp_pending *p = &ld->batch[i], *q;
		uint64_t *prev;
		int added;

		if (p->dropped)
			continue;
		if (etlp_load_key_string(ld, p->rec, &key) < 0 ||
		    (prev = etl_textmap_put(seen, key.data, key.len, i,
		    &added)) == NULL) {
			rc = etl_error_set(err, ETL_EINTERNAL, "out of memory");
			break;
		}
		if (added)
			continue;
		q = &ld->batch[*prev];
		if (ld->o.mode == ETL_LOAD_INSERT) {
			rc = etlp_load_reject(ld, p, ld->o.keys[0],
			    "duplicate", err, "duplicate key in the input "
			    "(first at line %lld)", q->line);
			continue;
		}
		if (ld->o.conflict == ETL_CONFLICT_LATEST) {
			char *a = etlp_val_text(etlp_record_get(p->rec,
			    ld->o.latest_field));
			char *b = etlp_val_text(etlp_record_get(q->rec,
			    ld->o.latest_field));
			int cmp = 0;

			etl_value_cmp(a, b, &cmp);
			free(a);
			free(b);
			if (cmp < 0) {
				p->dropped = 1;
				ld->pend.duplicates++;
				continue;
			}
		}
		q->dropped = 1;
		ld->pend.duplicates++;
		*prev = i;
	}
	etl_buf_release(&key);
	etl_textmap_free(seen);
	return rc;
}

static int
track_watermark(struct etl_loader *ld, const struct etlp_pending *p)
{
	char *text = etlp_val_text(etlp_record_get(p->rec,
	    ld->o.watermark_field));
	int cmp = 1;

	if (text == NULL)
		return -1;
	if (ld->wm_best != NULL && etl_value_cmp(text, ld->wm_best, &cmp) < 0)
		cmp = 0;
	if (cmp > 0) {
		free(ld->wm_best);
		ld->wm_best = text;
	} else {
		free(text);
	}
	return 0;
}

static int
emit_or_spool(struct etl_loader *ld, struct etlp_pending *p,
    struct etl_error *err)
{
	if (ld->h.emit == NULL)
		return 0;
	if (ld->o.mode != ETL_LOAD_REPLACE)
		return ld->h.emit(ld->h.ctx, p->rec->json, p->rec->jlen,
		    p->change, err);
	/* Replace commits once at the end: hold the records until then. */
	if (ld->spool == NULL && (ld->spool = tmpfile()) == NULL)
		return etl_error_set(err, ETL_ECANTCREAT, "cannot create a "
		    "temporary file: %s", strerror(errno));
	etl_buf_reset(&ld->scratch);
	if (etl_buf_printf(&ld->scratch, "%d ", (int)p->change) < 0 ||
	    etl_buf_append(&ld->scratch, p->rec->json, p->rec->jlen) < 0 ||
	    etl_buf_putc(&ld->scratch, '\n') < 0)
		return etl_error_set(err, ETL_EINTERNAL, "out of memory");
	if (fwrite(ld->scratch.data, 1, ld->scratch.len, ld->spool) !=
	    ld->scratch.len)
		return etl_error_set(err, ETL_EIO, "temporary file: %s",
		    strerror(errno));
	return 0;
}

static int
unspool(struct etl_loader *ld, struct etl_error *err)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc = 0;

	if (ld->spool == NULL)
		return 0;
	rewind(ld->spool);
	while (rc == 0 && (n = getline(&line, &cap, ld->spool)) > 0) {
		char *end;
		long change = strtol(line, &end, 10);

		if (*end != ' ' || line[n - 1] != '\n') {
			rc = etl_error_set(err, ETL_EINTERNAL, "temporary "
			    "file damaged");
			break;
		}
		rc = ld->h.emit(ld->h.ctx, end + 1, (size_t)(n - 1 - (end +
		    1 - line)), (enum etl_change)change, err);
	}
	free(line);
	fclose(ld->spool);
	ld->spool = NULL;
	return rc;
}

static int
replace_begin(struct etl_loader *ld, struct etl_error *err)
{
	char sql[512];
	struct etl_buf b;
	int rc;

	ld->replace_begun = 1;
	if (ld->o.nkeys == 0 || !ld->table_exists) {
		if (!ld->table_exists)
			return 0;
		snprintf(sql, sizeof(sql), "DELETE FROM %s", ld->qtable);
		rc = etl_db_exec(ld->db, sql, err);
		if (rc == 0)
			ld->pend.deleted += etl_db_changes(ld->db);
		return rc;
	}
	/* With keys: upsert everything, then delete the rows not seen. */
	etl_buf_init(&b);
	etl_buf_puts(&b, "CREATE TEMP TABLE _etl_seen AS SELECT ");
	for (int k = 0; k < ld->o.nkeys; k++)
		etl_buf_printf(&b, "%s%s", k ? ", " : "",
		    ld->cols[ld->keycol[k]].quoted);
	etl_buf_printf(&b, " FROM %s WHERE 0 = 1", ld->qtable);
	rc = b.data ? etl_db_exec(ld->db, b.data, err) :
	    etl_error_set(err, ETL_EINTERNAL, "out of memory");
	etl_buf_release(&b);
	return rc;
}

/* The keys of rejected records count as seen: their rows stay. */
static int
keep_rows(struct etl_loader *ld, struct etl_error *err)
{
	struct etl_stmt *st;
	struct etl_buf b;
	size_t i;
	json_t *keys;
	int rc = 0;

	if (json_array_size(ld->keep) == 0)
		return 0;
	etl_buf_init(&b);
	etl_buf_puts(&b, "INSERT INTO _etl_seen VALUES (");
	for (int k = 0; k < ld->o.nkeys; k++)
		etl_buf_printf(&b, "%s$%d", k ? ", " : "", k + 1);
	etl_buf_putc(&b, ')');
	st = b.data ? etl_db_prepare(ld->db, b.data, err) : NULL;
	etl_buf_release(&b);
	if (st == NULL)
		return -(int)err->kind;
	json_array_foreach(ld->keep, i, keys) {
		for (int k = 0; k < ld->o.nkeys && rc == 0; k++) {
			json_t *t = json_array_get(keys, (size_t)k);

			rc = etl_stmt_bind_text(st, k + 1, json_string_value(t),
			    (long)json_string_length(t));
		}
		if (rc == 0)
			rc = etl_stmt_step(st, err);
		etl_stmt_reset(st);
		if (rc < 0)
			break;
		rc = 0;
	}
	etl_stmt_free(st);
	return rc;
}

static int
replace_end(struct etl_loader *ld, struct etl_error *err)
{
	struct etl_buf b;
	int rc;

	if (ld->o.nkeys == 0 || !ld->table_exists)
		return 0;
	if ((rc = keep_rows(ld, err)) < 0)
		return rc;
	etl_buf_init(&b);
	etl_buf_printf(&b, "DELETE FROM %s WHERE NOT EXISTS (SELECT 1 FROM "
	    "_etl_seen s WHERE ", ld->qtable);
	for (int k = 0; k < ld->o.nkeys; k++) {
		const char *q = ld->cols[ld->keycol[k]].quoted;

		etl_buf_printf(&b, "%ss.%s = %s.%s", k ? " AND " : "", q,
		    ld->qtable, q);
	}
	etl_buf_putc(&b, ')');
	rc = b.data ? etl_db_exec(ld->db, b.data, err) :
	    etl_error_set(err, ETL_EINTERNAL, "out of memory");
	if (rc == 0)
		ld->pend.deleted += etl_db_changes(ld->db);
	etl_buf_release(&b);
	if (rc == 0)
		rc = etl_db_exec(ld->db, "DROP TABLE _etl_seen", err);
	return rc;
}

static int flush_batch(struct etl_loader *ld, int final,
    struct etl_error *err);

/* A failed batch is rolled back and dropped; the loader stops there. */
static int
flush(struct etl_loader *ld, int final, struct etl_error *err)
{
	int rc;

	if (ld->failed)
		return etl_error_set(err, ETL_EINTERNAL, "%s: the load "
		    "already failed", ld->o.table);
	rc = flush_batch(ld, final, err);
	if (rc < 0) {
		if (ld->tx_open)
			etl_db_rollback(ld->db);
		ld->tx_open = 0;
		free_batch(ld);
		memset(&ld->pend, 0, sizeof(ld->pend));
		if (ld->spool != NULL)
			fclose(ld->spool);
		ld->spool = NULL;
		ld->failed = 1;
	}
	return rc;
}

static int
flush_batch(struct etl_loader *ld, int final, struct etl_error *err)
{
	int rc, keep_open;
	int moved;

	if ((rc = etl_signal_check(err)) < 0)
		return rc;
	if (ld->n == 0 && !final)
		return 0;
	if (!ld->tx_open) {
		if ((rc = etl_db_begin(ld->db, err)) < 0)
			return rc;
		ld->tx_open = 1;
	}
	if (ld->n > 0) {
		if (ld->o.mode != ETL_LOAD_APPEND && ld->o.nkeys > 0 &&
		    (rc = dedupe(ld, err)) < 0)
			return rc;
		if ((rc = ensure_schema(ld, err)) < 0)
			return rc;
	}
	if (ld->o.mode == ETL_LOAD_REPLACE && !ld->replace_begun &&
	    (rc = replace_begin(ld, err)) < 0)
		return rc;
	if (ld->n > 0) {
		if ((rc = map_values(ld, err)) < 0)
			return rc;
		rc = ld->pg ? etlp_load_pg(ld, err) :
		    etlp_load_sqlite(ld, err);
		if (rc < 0)
			return rc;
	}
	for (size_t i = 0; i < ld->n && ld->o.watermark_key; i++)
		if (!ld->batch[i].dropped)
			track_watermark(ld, &ld->batch[i]);
	keep_open = ld->o.mode == ETL_LOAD_REPLACE && !final;
	if (final && ld->o.mode == ETL_LOAD_REPLACE &&
	    (rc = replace_end(ld, err)) < 0)
		return rc;
	if (final && ld->o.watermark_key && ld->wm_best) {
		if ((rc = etl_state_ensure(ld->db, err)) < 0 ||
		    (rc = etl_watermark_advance(ld->db, ld->o.watermark_key,
		    ld->wm_best, 0, &moved, err)) < 0)
			return rc;
	}
	if (!keep_open && ld->h.precommit != NULL &&
	    (rc = ld->h.precommit(ld->h.ctx, ld->db, final, err)) < 0)
		return rc;
	if (!keep_open) {
		if ((rc = etl_signal_check(err)) < 0)
			return rc;
		ld->tx_open = 0;
		if ((rc = etl_db_commit(ld->db, err)) < 0)
			return rc;
		ld->c.batches++;
		ld->c.inserted += ld->pend.inserted;
		ld->c.updated += ld->pend.updated;
		ld->c.unchanged += ld->pend.unchanged;
		ld->c.deleted += ld->pend.deleted;
		ld->c.duplicates += ld->pend.duplicates;
		memset(&ld->pend, 0, sizeof(ld->pend));
	}
	for (size_t i = 0; i < ld->n; i++) {
		struct etlp_pending *p = &ld->batch[i];

		if (p->dropped)
			continue;
		if ((rc = emit_or_spool(ld, p, err)) < 0)
			return rc;
	}
	free_batch(ld);
	if (!keep_open && (rc = unspool(ld, err)) < 0)
		return rc;
	return 0;
}

static int
check_record(struct etl_loader *ld, const struct etlp_record *rec,
    const char *source, long long line, struct etl_error *err)
{
	const struct etlp_val *v;
	int rc;

	for (int k = 0; k < ld->o.nkeys; k++) {
		v = etlp_record_get(rec, ld->o.keys[k]);
		if (v == NULL || v->type == ETLP_NULL ||
		    v->type == ETLP_JSON) {
			rc = etl_error_at(err, ETL_EDATA, source, line,
			    ld->o.keys[k], "%s (a key must be a string, "
			    "number or boolean)", v == NULL ? "missing" :
			    v->type == ETLP_NULL ? "is null" :
			    "is not a scalar");
			etl_error_rule(err, "key");
			return rc;
		}
	}
	if (ld->o.latest_field != NULL) {
		char *t = etlp_val_text(etlp_record_get(rec,
		    ld->o.latest_field));
		enum etl_vkind kind = etl_value_kind(t);

		free(t);
		if (kind == ETL_V_NONE) {
			rc = etl_error_at(err, ETL_EDATA, source, line,
			    ld->o.latest_field, "missing or not a number or "
			    "timestamp (needed by latest-wins)");
			etl_error_rule(err, "latest-wins");
			return rc;
		}
	}
	if (ld->o.watermark_key != NULL) {
		char *t = etlp_val_text(etlp_record_get(rec,
		    ld->o.watermark_field));
		enum etl_vkind kind = etl_value_kind(t);
		int cmp;

		if (kind != ETL_V_NONE && ld->wm_best != NULL &&
		    etl_value_cmp(t, ld->wm_best, &cmp) < 0)
			kind = ETL_V_NONE;
		free(t);
		if (kind == ETL_V_NONE) {
			rc = etl_error_at(err, ETL_EDATA, source, line,
			    ld->o.watermark_field, "missing, or not a number "
			    "or timestamp of the kind seen before (needed by "
			    "--watermark)");
			etl_error_rule(err, "watermark");
			return rc;
		}
	}
	if (ld->o.strict_schema && ld->table_exists) {
		for (size_t m = 0; m < rec->n; m++) {
			if (column_of(ld, rec->m[m].key) >= 0)
				continue;
			rc = etl_error_at(err, ETL_EDATA, source, line,
			    rec->m[m].key, "not a column of %s "
			    "(--strict-schema)", ld->o.table);
			etl_error_rule(err, "strict-schema");
			return rc;
		}
	}
	return 0;
}

/* A copy of source that lives as long as the loader. */
static const char *
intern_source(struct etl_loader *ld, const char *source)
{
	char **v;

	if (source == NULL)
		source = "<stdin>";
	if (ld->nsources > 0 &&
	    strcmp(ld->sources[ld->nsources - 1], source) == 0)
		return ld->sources[ld->nsources - 1];
	v = realloc(ld->sources, sizeof(*v) * (size_t)(ld->nsources + 1));
	if (v == NULL)
		return NULL;
	ld->sources = v;
	if ((v[ld->nsources] = strdup(source)) == NULL)
		return NULL;
	return v[ld->nsources++];
}

int
etl_loader_add(struct etl_loader *ld, const struct etl_textjson *j,
    const char *source, long long line, struct etl_error *err)
{
	struct etlp_pending *p;
	struct etlp_record *rec;
	int rc;

	if (ld->failed)
		return etl_error_set(err, ETL_EINTERNAL, "%s: the load "
		    "already failed", ld->o.table);
	if ((rec = etlp_record_new(j, &ld->rs)) == NULL)
		return etl_error_set(err, ETL_EINTERNAL, "out of memory");
	if ((rc = check_record(ld, rec, source, line, err)) < 0) {
		if (ld->o.mode == ETL_LOAD_REPLACE) {
			struct etl_error kerr;

			etlp_load_keep(ld, rec, &kerr);
		}
		free(rec);
		return rc;
	}
	if (ld->n == ld->cap) {
		size_t cap = ld->cap ? ld->cap * 2 : 64;

		p = realloc(ld->batch, cap * sizeof(*p));
		if (p == NULL) {
			free(rec);
			return etl_error_set(err, ETL_EINTERNAL,
			    "out of memory");
		}
		ld->batch = p;
		ld->cap = cap;
	}
	if ((source = intern_source(ld, source)) == NULL) {
		free(rec);
		return etl_error_set(err, ETL_EINTERNAL, "out of memory");
	}
	p = &ld->batch[ld->n++];
	memset(p, 0, sizeof(*p));
	p->rec = rec;
	p->source = source;
	p->line = line;
	if (ld->n >= ld->o.batch)
		return flush(ld, 0, err);
	return 0;
}

int
etl_loader_add_json(struct etl_loader *ld, const json_t *rec,
    const char *source, long long line, struct etl_error *err)
{
	struct etl_textjson j;
	struct etl_buf dump;
	int rc;

	etl_buf_init(&dump);
	etl_textjson_init(&j);
	if (etl_json_dump(&dump, rec) < 0)
		rc = etl_error_set(err, ETL_EINTERNAL, "out of memory");
	else
		rc = etl_textjson_load(&j, dump.data, dump.len, source, line,
		    err);
	if (rc == 0)
		rc = etl_loader_add(ld, &j, source, line, err);
	etl_textjson_release(&j);
	etl_buf_release(&dump);
	return rc;
}

int
etl_loader_finish(struct etl_loader *ld, struct etl_error *err)
{
	return flush(ld, 1, err);
}

int
etl_loader_commit(struct etl_loader *ld, struct etl_error *err)
{
	if (ld->o.mode == ETL_LOAD_REPLACE)
		return 0;	/* all or nothing */
	return flush(ld, 0, err);
}
