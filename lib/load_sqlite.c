/*
 * The SQLite strategy of the loader: row by row with prepared statements
 * reused across batches.  For each record one SELECT on the key returns
 * whether the stored row already equals what would be written (SQLite's
 * IS comparison applies the column's affinity, as the write would), so
 * an unchanged row costs one index lookup and no write.
 */
#include "load_impl.h"

struct sqlite_strategy {
	struct etl_stmt *sel;
	struct etl_stmt *ins;
	struct etl_stmt *upd;	/* NULL when every column is a key */
	struct etl_stmt *seen;	/* replace mode: keys loaded */
};

static int
is_key(const struct etl_loader *ld, int c)
{
	for (int k = 0; k < ld->o.nkeys; k++)
		if (ld->keycol[k] == c)
			return 1;
	return 0;
}

static void
free_stmts(struct sqlite_strategy *s)
{
	etl_stmt_free(s->sel);
	etl_stmt_free(s->ins);
	etl_stmt_free(s->upd);
	etl_stmt_free(s->seen);
	memset(s, 0, sizeof(*s));
}

void
etlp_load_sqlite_free(struct etl_loader *ld)
{
	if (ld->strategy != NULL)
		free_stmts(ld->strategy);
	free(ld->strategy);
	ld->strategy = NULL;
}

static void
where_keys(const struct etl_loader *ld, struct etl_buf *b)
{
	etl_buf_puts(b, " WHERE ");
	for (int k = 0; k < ld->o.nkeys; k++)
		etl_buf_printf(b, "%s%s = $%d", k ? " AND " : "",
		    ld->cols[ld->keycol[k]].quoted, ld->keycol[k] + 1);
}

/* "c" = $i, or with merge "c" = COALESCE($i, "c"). */
static void
value_expr(const struct etl_loader *ld, struct etl_buf *b, int c)
{
	if (ld->o.conflict == ETL_CONFLICT_MERGE)
		etl_buf_printf(b, "COALESCE($%d, %s)", c + 1,
		    ld->cols[c].quoted);
	else
		etl_buf_printf(b, "$%d", c + 1);
}

static int
prepare(struct etl_loader *ld, struct sqlite_strategy *s,
    struct etl_error *err)
{
	struct etl_buf b;
	int n = 0, rc = 0;

	free_stmts(s);
	etl_buf_init(&b);
	/* INSERT INTO t (c1, ...) VALUES ($1, ...) */
	etl_buf_printf(&b, "INSERT INTO %s (", ld->qtable);
	for (int c = 0; c < ld->ncols; c++)
		etl_buf_printf(&b, "%s%s", c ? ", " : "", ld->cols[c].quoted);
	etl_buf_puts(&b, ") VALUES (");
	for (int c = 0; c < ld->ncols; c++)
		etl_buf_printf(&b, "%s$%d", c ? ", " : "", c + 1);
	etl_buf_putc(&b, ')');
	if ((s->ins = etl_db_prepare(ld->db, b.data, err)) == NULL)
		goto fail;
	if (ld->o.nkeys == 0 || ld->o.mode == ETL_LOAD_APPEND)
		goto done;

	/* SELECT (c IS $i) AND ..., latest FROM t WHERE keys */
	etl_buf_reset(&b);
	etl_buf_puts(&b, "SELECT ");
	for (int c = 0; c < ld->ncols; c++) {
		if (is_key(ld, c))
			continue;
		etl_buf_printf(&b, "%s(%s IS ", n++ ? " AND " : "",
		    ld->cols[c].quoted);
		value_expr(ld, &b, c);
		etl_buf_putc(&b, ')');
	}
	if (n == 0)
		etl_buf_putc(&b, '1');
	if (ld->latest_col >= 0)
		etl_buf_printf(&b, ", %s", ld->cols[ld->latest_col].quoted);
	else
		etl_buf_puts(&b, ", NULL");
	etl_buf_printf(&b, " FROM %s", ld->qtable);
	where_keys(ld, &b);
	if ((s->sel = etl_db_prepare(ld->db, b.data, err)) == NULL)
		goto fail;

	if (n > 0) {
		etl_buf_reset(&b);
		etl_buf_printf(&b, "UPDATE %s SET ", ld->qtable);
		n = 0;
		for (int c = 0; c < ld->ncols; c++) {
			if (is_key(ld, c))
				continue;
			etl_buf_printf(&b, "%s%s = ", n++ ? ", " : "",
			    ld->cols[c].quoted);
			value_expr(ld, &b, c);
		}
		where_keys(ld, &b);
		if ((s->upd = etl_db_prepare(ld->db, b.data, err)) == NULL)
			goto fail;
	}
	if (ld->o.mode == ETL_LOAD_REPLACE) {
		etl_buf_reset(&b);
		etl_buf_puts(&b, "INSERT INTO _etl_seen VALUES (");
		for (int k = 0; k < ld->o.nkeys; k++)
			etl_buf_printf(&b, "%s$%d", k ? ", " : "", k + 1);
		etl_buf_putc(&b, ')');
		if ((s->seen = etl_db_prepare(ld->db, b.data, err)) == NULL)
			goto fail;
	}
done:
	ld->schema_changed = 0;
	goto out;
fail:
	rc = -(int)err->kind;
	free_stmts(s);
out:
	etl_buf_release(&b);
	return rc;
}

static void
bind_value(struct etl_loader *ld, struct etl_stmt *st, int i, json_t *v)
{
	const char *t;
	size_t len;

	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_INTEGER:
		etl_stmt_bind_int(st, i, json_integer_value(v));
		break;
	case JSON_REAL:
		etl_stmt_bind_double(st, i, json_real_value(v));
		break;
	case JSON_TRUE:
		etl_stmt_bind_int(st, i, 1);
		break;
	case JSON_FALSE:
		etl_stmt_bind_int(st, i, 0);
		break;
	case JSON_NULL:
		etl_stmt_bind_null(st, i);
		break;
	default:
		t = etlp_load_value_text(ld, v, &len);
		etl_stmt_bind_text(st, i, t ? t : "", (long)len);
		break;
	}
}

static int
run(struct etl_loader *ld, struct etl_stmt *st, struct etlp_pending *p,
    struct etl_error *err)
{
	int rc;

	for (int c = 0; c < ld->ncols; c++)
		bind_value(ld, st, c + 1, p->vals[c]);
	rc = etl_stmt_step(st, err);
	etl_stmt_reset(st);
	return rc;
}

/* Look the record's key up: 0 no row; 1 row, *same and *stored set. */
static int
lookup(struct etl_loader *ld, struct sqlite_strategy *s,
    struct etlp_pending *p, int *same, char **stored, struct etl_error *err)
{
	int rc;

	for (int c = 0; c < ld->ncols; c++)
		bind_value(ld, s->sel, c + 1, p->vals[c]);
	rc = etl_stmt_step(s->sel, err);
	if (rc == 1) {
		const char *t = etl_stmt_column_text(s->sel, 1, NULL);

		*same = (int)etl_stmt_column_int(s->sel, 0);
		*stored = t ? strdup(t) : NULL;
	}
	etl_stmt_reset(s->sel);
	return rc;
}

static int
load_one(struct etl_loader *ld, struct sqlite_strategy *s,
    struct etlp_pending *p, struct etl_error *err)
{
	char *stored = NULL, *incoming = NULL;
	int rc, same = 0, later;

	if (s->sel == NULL) {
		p->change = ETL_CHANGE_INSERTED;
		return run(ld, s->ins, p, err);
	}
	rc = lookup(ld, s, p, &same, &stored, err);
	if (rc < 0)
		return rc;
	if (rc == 0) {
		p->change = ETL_CHANGE_INSERTED;
		rc = run(ld, s->ins, p, err);
		goto seen;
	}
	p->change = ETL_CHANGE_UNCHANGED;
	switch (ld->o.mode == ETL_LOAD_INSERT ? -1 : (int)ld->o.conflict) {
	case -1:
		rc = etlp_load_reject(ld, p, ld->o.keys[0], "duplicate", err,
		    "key already in table %s (--mode insert)", ld->o.table);
		goto out;
	case ETL_CONFLICT_DEST:
		break;
	case ETL_CONFLICT_LATEST:
		incoming = etl_value_text(p->vals[ld->latest_col]);
		later = etlp_load_later(incoming, stored);
		if (later < 0) {
			rc = etlp_load_reject(ld, p, ld->o.latest_field,
			    "latest-wins", err, "'%s' cannot be compared with "
			    "the stored '%s'", incoming, stored);
			goto out;
		}
		if (later && !same && s->upd != NULL) {
			p->change = ETL_CHANGE_UPDATED;
			rc = run(ld, s->upd, p, err);
		}
		break;
	default:
		if (!same && s->upd != NULL) {
			p->change = ETL_CHANGE_UPDATED;
			rc = run(ld, s->upd, p, err);
		}
		break;
	}
seen:
	if (rc >= 0 && s->seen != NULL) {
		for (int k = 0; k < ld->o.nkeys; k++)
			bind_value(ld, s->seen, k + 1,
			    p->vals[ld->keycol[k]]);
		rc = etl_stmt_step(s->seen, err);
		etl_stmt_reset(s->seen);
	}
out:
	free(stored);
	free(incoming);
	return rc < 0 ? rc : 0;
}

int
etlp_load_sqlite(struct etl_loader *ld, struct etl_error *err)
{
	struct sqlite_strategy *s = ld->strategy;
	int rc;

	if (s == NULL) {
		s = ld->strategy = calloc(1, sizeof(*s));
		if (s == NULL)
			return etl_error_set(err, ETL_EINTERNAL,
			    "out of memory");
		ld->schema_changed = 1;
	}
	if (ld->schema_changed && (rc = prepare(ld, s, err)) < 0)
		return rc;
	for (size_t i = 0; i < ld->n; i++) {
		struct etlp_pending *p = &ld->batch[i];

		if (p->dropped)
			continue;
		if ((rc = load_one(ld, s, p, err)) < 0)
			return rc;
		if (p->dropped)
			continue;
		if (p->change == ETL_CHANGE_INSERTED)
			ld->c.inserted++;
		else if (p->change == ETL_CHANGE_UPDATED)
			ld->c.updated++;
		else
			ld->c.unchanged++;
	}
	return 0;
}
