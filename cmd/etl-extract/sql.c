/* etl-extract sql: the rows of a query as records. */
#include <ctype.h>
#include <math.h>

#include "extract.h"
#include "jsonw.h"
#include "strbuf.h"
#include "template.h"

/* :name parameters of the query, numbered in order of first use. */
struct params {
	char *sql;			/* with $1, $2, ... */
	char *names[MAX_LIST];
	int n;
};

static void
params_release(struct params *p)
{
	free(p->sql);
	for (int i = 0; i < p->n; i++)
		free(p->names[i]);
}

static int
param_number(struct params *p, const char *name, size_t len,
    struct etl_error *err)
{
	for (int i = 0; i < p->n; i++)
		if (strlen(p->names[i]) == len &&
		    strncmp(p->names[i], name, len) == 0)
			return i + 1;
	if (p->n == MAX_LIST)
		return etl_error_set(err, ETL_EUSAGE, "more than %d query "
		    "parameters", MAX_LIST);
	if ((p->names[p->n] = strndup(name, len)) == NULL)
		return etl_error_set(err, ETL_EINTERNAL, "out of memory");
	return ++p->n;
}

/*
 * Rewrite :name into $N outside quotes and comments, so one SQL text
 * serves every backend; "::" (a PostgreSQL cast) is left alone.
 */
static int
rewrite(const char *sql, struct params *p, struct etl_error *err)
{
	struct etl_buf b;
	const char *s = sql;
	int rc;

	etl_buf_init(&b);
	if (etl_buf_reserve(&b, strlen(sql) + 16) < 0)
		goto oom;
	etl_buf_reset(&b);
	while (*s != '\0') {
		const char *start = s;

		if (*s == '\'' || *s == '"' || *s == '`' || *s == '[') {
			char close = *s == '[' ? ']' : *s;

			for (s++; *s != '\0'; s++) {
				if (*s == close && s[1] == close &&
				    close != ']')
					s++;
				else if (*s == close)
					break;
			}
			if (*s != '\0')
				s++;
		} else if (s[0] == '-' && s[1] == '-') {
			s += strcspn(s, "\n");
		} else if (s[0] == '/' && s[1] == '*') {
			const char *e = strstr(s + 2, "*/");

			s = e ? e + 2 : s + strlen(s);
		} else if (s[0] == ':' && s[1] == ':') {
			s += 2;
		} else if (s[0] == ':' && (isalpha((unsigned char)s[1]) ||
		    s[1] == '_')) {
			const char *name = ++s;

			while (isalnum((unsigned char)*s) || *s == '_')
				s++;
			rc = param_number(p, name, (size_t)(s - name), err);
			if (rc < 0)
				goto fail;
			if (etl_buf_printf(&b, "$%d", rc) < 0)
				goto oom;
			continue;
		} else {
			s++;
		}
		if (etl_buf_append(&b, start, (size_t)(s - start)) < 0)
			goto oom;
	}
	p->sql = b.data;
	return 0;
oom:
	rc = etl_error_set(err, ETL_EINTERNAL, "out of memory");
fail:
	etl_buf_release(&b);
	return rc;
}

static int
base64(struct etl_buf *b, const unsigned char *p, size_t n)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

	etl_buf_reset(b);
	if (etl_buf_reserve(b, (n + 2) / 3 * 4) < 0)
		return -1;
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16;
		char q[4];

		if (i + 1 < n)
			v |= (unsigned)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		q[0] = tab[(v >> 18) & 63];
		q[1] = tab[(v >> 12) & 63];
		q[2] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
		q[3] = i + 2 < n ? tab[v & 63] : '=';
		etl_buf_append(b, q, 4);
	}
	return 0;
}

/* One row as an object; NULL with why filled for a bad row. */
static json_t *
row_record(struct etl_stmt *st, int ncols, struct etl_buf *tmp,
    const char *source, long long rowno, struct etl_error *why)
{
	json_t *rec = json_object(), *v;

	if (rec == NULL)
		goto oom;
	for (int i = 0; i < ncols; i++) {
		const char *name = etl_stmt_column_name(st, i);
		const char *s;
		const void *blob;
		size_t len;
		double d;

		switch (etl_stmt_column_type(st, i)) {
		case ETL_COL_INT:
			v = json_integer(etl_stmt_column_int(st, i));
			break;
		case ETL_COL_REAL:
			d = etl_stmt_column_double(st, i);
			v = isfinite(d) ? json_real(d) : json_null();
			break;
		case ETL_COL_TEXT:
			s = etl_stmt_column_text(st, i, &len);
			if (!etl_utf8_valid(s, len)) {
				json_decref(rec);
				etl_error_at(why, ETL_EDATA, source, rowno,
				    name, "text is not valid UTF-8");
				etl_error_rule(why, "utf8");
				return NULL;
			}
			v = json_stringn_nocheck(s, len);
			break;
		case ETL_COL_BLOB:
			blob = etl_stmt_column_blob(st, i, &len);
			if (base64(tmp, blob, len) < 0)
				goto oom;
			v = json_stringn_nocheck(tmp->data ? tmp->data : "",
			    tmp->len);
			break;
		default:
			v = json_null();
			break;
		}
		if (json_object_set_new(rec, name ? name : "", v) < 0)
			goto oom;
	}
	return rec;
oom:
	json_decref(rec);
	etl_error_set(why, ETL_EINTERNAL, "out of memory");
	return NULL;
}

static int
bind_params(struct etl_tool *t, const struct extract_opts *o,
    struct params *p, struct etl_stmt *st)
{
	struct etl_template_vars vars = { o->since, etl_time_now() };
	int used[MAX_LIST] = { 0 };
	int rc;

	for (int i = 0; i < p->n; i++) {
		size_t k, len = strlen(p->names[i]);
		char *value = NULL;

		for (k = 0; k < o->nparams; k++)
			if (strncmp(o->params[k], p->names[i], len) == 0 &&
			    o->params[k][len] == '=')
				break;
		if (k == o->nparams)
			return etl_error_set(&t->err, ETL_EUSAGE, "the query "
			    "uses :%s but no --param %s=VALUE was given",
			    p->names[i], p->names[i]);
		used[k] = 1;
		if ((rc = etl_template_expand(o->params[k] + len + 1, &vars,
		    0, &value, &t->err)) < 0)
			return rc;
		rc = etl_stmt_bind_text(st, i + 1, value, -1);
		free(value);
		if (rc < 0)
			return etl_error_set(&t->err, ETL_EINTERNAL, "cannot "
			    "bind :%s", p->names[i]);
	}
	for (size_t k = 0; k < o->nparams; k++)
		if (!used[k])
			return etl_error_set(&t->err, ETL_EUSAGE, "--param "
			    "'%s': the query has no such :name", o->params[k]);
	return 0;
}

int
run_sql(struct etl_tool *t, const struct extract_opts *o)
{
	struct params p;
	struct etl_db *db = NULL;
	struct etl_stmt *st = NULL;
	struct etl_buf tmp;
	struct emitter e;
	long long rowno = 0;
	int rc, ncols, opened = 0;

	memset(&p, 0, sizeof(p));
	etl_buf_init(&tmp);
	etl_summary_counter(&t->summary, "records");
	etl_summary_counter(&t->summary, "rejected");
	if ((rc = rewrite(o->query, &p, &t->err)) < 0)
		goto out;
	db = etl_db_new(o->target, &o->dbopts, &t->err);
	if (db == NULL) {
		rc = -(int)t->err.kind;
		goto out;
	}
	/* A query to extract must not change the source. */
	if (strcmp(etl_db_backend(db), "sqlite") == 0 &&
	    (rc = etl_db_exec(db, "PRAGMA query_only = 1", &t->err)) < 0)
		goto out;
	st = etl_db_prepare(db, p.sql, &t->err);
	if (st == NULL) {
		rc = -(int)t->err.kind;
		if (t->err.kind == ETL_EINTERNAL)
			t->err.kind = ETL_ECONFIG;
		rc = -(int)t->err.kind;
		goto out;
	}
	if ((rc = bind_params(t, o, &p, st)) < 0)
		goto out;
	if ((rc = emit_open(&e, t, o)) < 0)
		goto out;
	opened = 1;
	e.nrec = etl_summary_counter(&t->summary, "records");
	e.nrej = etl_summary_counter(&t->summary, "rejected");
	ncols = etl_stmt_columns(st);
	while ((rc = etl_stmt_step(st, &t->err)) == 1) {
		struct etl_error why;
		json_t *rec;

		rowno++;
		etl_error_init(&why);
		rec = row_record(st, ncols, &tmp, etl_db_name(db), rowno,
		    &why);
		if (rec == NULL && why.kind != ETL_EDATA) {
			t->err = why;
			rc = -(int)why.kind;
			break;
		}
		rc = rec ? emit_record(&e, rec, etl_db_name(db)) :
		    emit_reject(&e, &why, "", 0);
		if (rc < 0)
			break;
	}
out:
	if (opened)
		rc = emit_close(&e, rc);
	etl_buf_release(&tmp);
	etl_stmt_free(st);
	etl_db_free(db);
	params_release(&p);
	return rc;
}
