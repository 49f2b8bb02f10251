/*
 * The SQLite strategy of the loader: row by row with prepared statements
 * reused across batches.  For each record one SELECT on the key returns
 * whether the stored row already equals what would be written (SQLite's
 * IS comparison applies the column's affinity, as the write would), so
 * an unchanged row costs one index lookup and no write.  While most
 * records are new (a first load), each is first tried with INSERT ... ON
 * CONFLICT DO NOTHING, which costs no lookup of its own; the statement
 * is only used when a unique index on exactly the key columns exists.
 */
#include "load_impl.h"

struct sqlite_strategy {
	struct etl_stmt *sel;
	struct etl_stmt *ins;
	struct etl_stmt *try_ins;	/* ON CONFLICT DO NOTHING, or NULL */
	int insert_first;		/* most records of late were new */
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
	etl_stmt_free(s->try_ins);
	etl_stmt_free(s->upd);
	etl_stmt_free(s->seen);
	s->sel = s->ins = s->try_ins = s->upd = s->seen = NULL;
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

/* Whether a unique index, or the primary key (an INTEGER PRIMARY KEY
 * has no index), covers exactly the key columns. */
static int
keys_unique(struct etl_loader *ld, struct etl_error *err)
{
	struct etl_stmt *st;
	struct etl_buf b;
	int rc, found = 0;

	etl_buf_init(&b);
	etl_buf_puts(&b, "SELECT il.name FROM pragma_index_list($1) il WHERE "
	    "il.\"unique\" AND (SELECT COUNT(*) FROM pragma_index_info(il.name)) "
	    "= $2");
	for (int k = 0; k < ld->o.nkeys; k++)
		etl_buf_printf(&b, " AND EXISTS (SELECT 1 FROM "
		    "pragma_index_info(il.name) WHERE name = $%d COLLATE "
		    "NOCASE)", k + 3);
	etl_buf_puts(&b, " UNION ALL SELECT 'pk' WHERE (SELECT COUNT(*) FROM "
	    "pragma_table_info($1) WHERE pk > 0) = $2");
	for (int k = 0; k < ld->o.nkeys; k++)
		etl_buf_printf(&b, " AND EXISTS (SELECT 1 FROM "
		    "pragma_table_info($1) WHERE pk > 0 AND name = $%d COLLATE "
		    "NOCASE)", k + 3);
	st = b.data ? etl_db_prepare(ld->db, b.data, err) : NULL;
	etl_buf_release(&b);
	if (st == NULL)
		return -1;
	etl_stmt_bind_text(st, 1, ld->o.table, -1);
	etl_stmt_bind_int(st, 2, ld->o.nkeys);
	for (int k = 0; k < ld->o.nkeys; k++)
		etl_stmt_bind_text(st, k + 3, ld->o.keys[k], -1);
	rc = etl_stmt_step(st, err);
	found = rc == 1;
	etl_stmt_free(st);
	return rc < 0 ? rc : found;
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
	if ((rc = keys_unique(ld, err)) < 0)
		goto fail;
	if (rc == 1) {
		etl_buf_puts(&b, " ON CONFLICT DO NOTHING");
		if ((s->try_ins = etl_db_prepare(ld->db, b.data, err)) ==
		    NULL)
			goto fail;
	}
	rc = 0;

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
bind_value(struct etl_stmt *st, int i, const struct etlp_val *v)
{
	switch (v ? v->type : ETLP_NULL) {
	case ETLP_INT:
		etl_stmt_bind_int(st, i, v->n.i);
		break;
	case ETLP_REAL:
		etl_stmt_bind_double(st, i, v->n.d);
		break;
	case ETLP_TRUE:
		etl_stmt_bind_int(st, i, 1);
		break;
	case ETLP_FALSE:
		etl_stmt_bind_int(st, i, 0);
		break;
	case ETLP_STR:
	case ETLP_JSON:
		/* The record lives until the batch is done. */
		etl_stmt_bind_text_ref(st, i, v->s, v->len);
		break;
	default:
		etl_stmt_bind_null(st, i);
		break;
	}
}

static int
run(struct etl_loader *ld, struct etl_stmt *st, struct etlp_pending *p,
    struct etl_error *err)
{
	int rc;

	for (int c = 0; c < ld->ncols; c++)
		bind_value(st, c + 1, p->vals[c]);
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
		bind_value(s->sel, c + 1, p->vals[c]);
	rc = etl_stmt_step(s->sel, err);
	if (rc == 1) {
		const char *t = etl_stmt_column_text(s->sel, 1, NULL);

		*same = (int)etl_stmt_column_int(s->sel, 0);
		*stored = t ? strdup(t) : NULL;
	}
	etl_stmt_reset(s->sel);
	return rc;
}

/* Record p loaded: count it and, in replace mode, note its key. */
static int
loaded(struct etl_loader *ld, struct sqlite_strategy *s,
    struct etlp_pending *p, struct etl_error *err)
{
	int rc = 0;

	if (p->change == ETL_CHANGE_INSERTED)
		ld->pend.inserted++;
	else if (p->change == ETL_CHANGE_UPDATED)
		ld->pend.updated++;
	else
		ld->pend.unchanged++;
	if (s->seen != NULL) {
		for (int k = 0; k < ld->o.nkeys; k++)
			bind_value(s->seen, k + 1,
			    p->vals[ld->keycol[k]]);
		rc = etl_stmt_step(s->seen, err);
		etl_stmt_reset(s->seen);
	}
	return rc < 0 ? rc : 0;
}

/* A write the database refused for this record (a constraint): reject
 * the record rather than stop the load. */
static int
refused(struct etl_loader *ld, struct etlp_pending *p, int rc,
    struct etl_error *err)
{
	char msg[sizeof(err->message)];

	if (rc != -ETL_EDATA)
		return rc;
	etl_strlcpy(msg, err->message, sizeof(msg));
	return etlp_load_reject(ld, p, NULL, "constraint", err, "%s", msg);
}

static int
load_one(struct etl_loader *ld, struct sqlite_strategy *s,
    struct etlp_pending *p, struct etl_error *err)
{
	char *stored = NULL, *incoming = NULL;
	int rc, same = 0, later;

	p->change = ETL_CHANGE_INSERTED;
	if (s->sel == NULL) {
		rc = run(ld, s->ins, p, err);
		goto out;
	}
	if (s->try_ins != NULL && (s->insert_first ||
	    ld->o.mode == ETL_LOAD_INSERT)) {
		rc = run(ld, s->try_ins, p, err);
		if (rc < 0 || etl_db_changes(ld->db) == 1)
			goto out;
		if (ld->o.mode == ETL_LOAD_INSERT)
			goto duplicate;
	}
	rc = lookup(ld, s, p, &same, &stored, err);
	if (rc < 0)
		return rc;
	if (rc == 0) {
		rc = run(ld, s->ins, p, err);
		goto out;
	}
	p->change = ETL_CHANGE_UNCHANGED;
	rc = 0;
	switch (ld->o.mode == ETL_LOAD_INSERT ? -1 : (int)ld->o.conflict) {
	case -1:
		goto duplicate;
	case ETL_CONFLICT_DEST:
		break;
	case ETL_CONFLICT_LATEST:
		incoming = etlp_val_text(p->vals[ld->latest_col]);
		later = etlp_load_later(incoming, stored);
		if (later < 0) {
			rc = etlp_load_reject(ld, p, ld->o.latest_field,
			    "latest-wins", err, "'%s' cannot be compared with "
			    "the stored '%s'", incoming, stored);
			goto done;
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
out:
	if (rc < 0)
		rc = refused(ld, p, rc, err);
	else
		rc = loaded(ld, s, p, err);
	goto done;
duplicate:
	rc = etlp_load_reject(ld, p, ld->o.keys[0], "duplicate", err,
	    "key already in table %s (--mode insert)", ld->o.table);
done:
	free(stored);
	free(incoming);
	return rc < 0 ? rc : 0;
}

int
etlp_load_sqlite(struct etl_loader *ld, struct etl_error *err)
{
	struct sqlite_strategy *s = ld->strategy;
	long long before = ld->pend.inserted, done = 0;
	int rc;

	if (s == NULL) {
		s = ld->strategy = calloc(1, sizeof(*s));
		if (s == NULL)
			return etl_error_set(err, ETL_EINTERNAL,
			    "out of memory");
		ld->schema_changed = 1;
		s->insert_first = ld->created;
	}
	if (ld->schema_changed && (rc = prepare(ld, s, err)) < 0)
		return rc;
	for (size_t i = 0; i < ld->n; i++) {
		struct etlp_pending *p = &ld->batch[i];

		if (p->dropped)
			continue;
		if ((rc = load_one(ld, s, p, err)) < 0)
			return rc;
		done += !p->dropped;
	}
	/* Try inserting first while most records are new. */
	if (done > 0)
		s->insert_first = (ld->pend.inserted - before) * 2 >= done;
	return 0;
}
