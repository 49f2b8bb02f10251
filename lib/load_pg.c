/*
 * The PostgreSQL strategy of the loader: each batch is copied (COPY ...
 * FROM STDIN) into a temporary table shaped LIKE the target, then merged
 * with one INSERT ... SELECT ... ON CONFLICT carrying the conflict
 * strategy.  The statement updates only rows that differ (IS DISTINCT
 * FROM), and RETURNING names each key written and whether it was new
 * (xmax = 0), so inserted, updated and unchanged are exact.  The loader
 * has already left one record per key in the batch, so ON CONFLICT never
 * sees a key twice.
 */
#include "db.h"
#include "load_impl.h"
#include "textmap.h"

struct pg_strategy {
	char *temp;			/* quoted temporary table name */
	char *copy_sql;
	struct etl_stmt *merge;
	struct etl_stmt *seen;		/* replace mode: keys loaded */
	int ready;
	const char *latest_cast;	/* "timestamptz" or "numeric" */
	int refused;			/* the server refused a value */
};

static unsigned long temp_serial;

static void
free_strategy(struct pg_strategy *s)
{
	etl_stmt_free(s->merge);
	etl_stmt_free(s->seen);
	free(s->copy_sql);
	s->merge = s->seen = NULL;
	s->copy_sql = NULL;
	s->ready = 0;
}

void
etlp_load_pg_free(struct etl_loader *ld)
{
	struct pg_strategy *s = ld->strategy;

	if (s == NULL)
		return;
	free_strategy(s);
	free(s->temp);
	free(s);
	ld->strategy = NULL;
}

static int
is_key(const struct etl_loader *ld, int c)
{
	for (int k = 0; k < ld->o.nkeys; k++)
		if (ld->keycol[k] == c)
			return 1;
	return 0;
}

static void
key_list(const struct etl_loader *ld, struct etl_buf *b, const char *prefix)
{
	for (int k = 0; k < ld->o.nkeys; k++)
		etl_buf_printf(b, "%s%s%s", k ? ", " : "", prefix,
		    ld->cols[ld->keycol[k]].quoted);
}

/* (t.a, t.b) IS DISTINCT FROM (new a, new b) over the non-key columns. */
static void
distinct(const struct etl_loader *ld, struct etl_buf *b)
{
	int n = 0;

	etl_buf_puts(b, "(");
	for (int c = 0; c < ld->ncols; c++)
		if (!is_key(ld, c))
			etl_buf_printf(b, "%st.%s", n++ ? ", " : "",
			    ld->cols[c].quoted);
	etl_buf_puts(b, n > 1 ? ") IS DISTINCT FROM (" :
	    ") IS DISTINCT FROM (");
	n = 0;
	for (int c = 0; c < ld->ncols; c++) {
		const char *q = ld->cols[c].quoted;

		if (is_key(ld, c))
			continue;
		if (ld->o.conflict == ETL_CONFLICT_MERGE)
			etl_buf_printf(b, "%sCOALESCE(EXCLUDED.%s, t.%s)",
			    n++ ? ", " : "", q, q);
		else
			etl_buf_printf(b, "%sEXCLUDED.%s", n++ ? ", " : "", q);
	}
	etl_buf_puts(b, ")");
}

static int
prepare(struct etl_loader *ld, struct pg_strategy *s, struct etl_error *err)
{
	struct etl_buf b;
	int rc, nonkey = ld->ncols - ld->o.nkeys;

	free_strategy(s);
	etl_buf_init(&b);
	/* A temporary table shaped like the target, plus the batch order. */
	etl_buf_printf(&b, "DROP TABLE IF EXISTS pg_temp.%s; CREATE TEMP "
	    "TABLE %s (LIKE %s); ALTER TABLE %s ADD COLUMN _etl_seq BIGINT",
	    s->temp, s->temp, ld->qtable, s->temp);
	if ((rc = etl_db_exec(ld->db, b.data, err)) < 0)
		goto out;

	etl_buf_reset(&b);
	etl_buf_printf(&b, "COPY %s (_etl_seq", s->temp);
	for (int c = 0; c < ld->ncols; c++)
		etl_buf_printf(&b, ", %s", ld->cols[c].quoted);
	etl_buf_puts(&b, ") FROM STDIN");
	s->copy_sql = strdup(b.data);

	etl_buf_reset(&b);
	etl_buf_printf(&b, "INSERT INTO %s AS t (", ld->qtable);
	for (int c = 0; c < ld->ncols; c++)
		etl_buf_printf(&b, "%s%s", c ? ", " : "", ld->cols[c].quoted);
	etl_buf_puts(&b, ") SELECT ");
	for (int c = 0; c < ld->ncols; c++)
		etl_buf_printf(&b, "%s%s", c ? ", " : "", ld->cols[c].quoted);
	etl_buf_printf(&b, " FROM %s ORDER BY _etl_seq", s->temp);
	if (ld->o.nkeys > 0 && ld->o.mode != ETL_LOAD_APPEND) {
		etl_buf_puts(&b, " ON CONFLICT (");
		key_list(ld, &b, "");
		etl_buf_putc(&b, ')');
		if (ld->o.mode == ETL_LOAD_INSERT || nonkey == 0 ||
		    ld->o.conflict == ETL_CONFLICT_DEST) {
			etl_buf_puts(&b, " DO NOTHING");
		} else {
			int n = 0;

			etl_buf_puts(&b, " DO UPDATE SET ");
			for (int c = 0; c < ld->ncols; c++) {
				const char *q = ld->cols[c].quoted;

				if (is_key(ld, c))
					continue;
				if (ld->o.conflict == ETL_CONFLICT_MERGE)
					etl_buf_printf(&b, "%s%s = COALESCE("
					    "EXCLUDED.%s, t.%s)", n++ ? ", " :
					    "", q, q, q);
				else
					etl_buf_printf(&b, "%s%s = EXCLUDED.%s",
					    n++ ? ", " : "", q, q);
			}
			etl_buf_puts(&b, " WHERE ");
			if (ld->o.conflict == ETL_CONFLICT_LATEST) {
				const char *q = ld->cols[ld->latest_col].quoted;

				etl_buf_printf(&b, "(t.%s IS NULL OR "
				    "EXCLUDED.%s::text::%s > t.%s::text::%s) "
				    "AND ", q, q, s->latest_cast, q,
				    s->latest_cast);
			}
			distinct(ld, &b);
		}
	}
	etl_buf_puts(&b, " RETURNING (xmax = 0)");
	for (int k = 0; k < ld->o.nkeys; k++)
		etl_buf_printf(&b, ", t.%s::text",
		    ld->cols[ld->keycol[k]].quoted);
	if ((s->merge = etl_db_prepare(ld->db, b.data, err)) == NULL) {
		rc = -(int)err->kind;
		goto out;
	}
	if (ld->o.mode == ETL_LOAD_REPLACE && ld->o.nkeys > 0) {
		etl_buf_reset(&b);
		etl_buf_puts(&b, "INSERT INTO _etl_seen SELECT ");
		key_list(ld, &b, "");
		etl_buf_printf(&b, " FROM %s", s->temp);
		if ((s->seen = etl_db_prepare(ld->db, b.data, err)) == NULL) {
			rc = -(int)err->kind;
			goto out;
		}
	}
	s->ready = 1;
	ld->schema_changed = 0;
out:
	etl_buf_release(&b);
	if (rc < 0)
		free_strategy(s);
	return rc;
}

/*
 * PostgreSQL names a refused value by COPY line and column ("COPY t,
 * line 2, column n: ..."): turn that into the record's input and line.
 */
static void
blame_record(struct etl_loader *ld, struct etl_error *err)
{
	const char *at = strstr(err->message, ", line "), *col;
	char msg[sizeof(err->message)], field[256] = "";
	long long n, seen = 0;
	char *end;
	size_t k;

	if (at == NULL)
		return;
	n = strtoll(at + 7, &end, 10);
	if ((col = strstr(end, ", column ")) != NULL) {
		col += 9;
		for (k = 0; k + 1 < sizeof(field) && col[k] != '\0' &&
		    col[k] != ':'; k++)
			field[k] = col[k];
		field[k] = '\0';
	}
	/* The message up to PostgreSQL's context in parentheses. */
	etl_strlcpy(msg, strstr(err->message, "COPY failed: ") ?
	    strstr(err->message, "COPY failed: ") + 13 : err->message,
	    sizeof(msg));
	if ((end = strstr(msg, " (COPY ")) != NULL)
		*end = '\0';
	for (size_t i = 0; i < ld->n; i++) {
		struct etlp_pending *p = &ld->batch[i];

		if (p->dropped || ++seen != n)
			continue;
		etl_error_at(err, ETL_EDATA, p->source, p->line,
		    field[0] ? field : NULL, "%s", msg);
		/* A column named: its type refused the value; else a
		 * constraint (NOT NULL, CHECK) did. */
		etl_error_rule(err, field[0] ? "type" : "constraint");
		return;
	}
}

/* COPY the batch's records into the temporary table. */
static int
copy_batch(struct etl_loader *ld, struct pg_strategy *s,
    struct etl_error *err)
{
	struct etl_buf row;
	char sql[256];
	int rc;

	snprintf(sql, sizeof(sql), "TRUNCATE %s", s->temp);
	if ((rc = etl_db_exec(ld->db, sql, err)) < 0)
		return rc;
	if ((rc = etl_db_copy_begin(ld->db, s->copy_sql, err)) < 0)
		return rc;
	etl_buf_init(&row);
	for (size_t i = 0; i < ld->n && rc == 0; i++) {
		struct etlp_pending *p = &ld->batch[i];

		if (p->dropped)
			continue;
		etl_buf_reset(&row);
		etl_buf_printf(&row, "%zu", i);
		for (int c = 0; c < ld->ncols; c++) {
			size_t len;
			const char *t = p->vals[c] ?
			    etlp_load_value_text(ld, p->vals[c], &len) : NULL;

			etl_buf_putc(&row, '\t');
			if (t == NULL)
				etl_buf_puts(&row, "\\N");
			else
				etl_db_copy_escape(&row, t, len);
		}
		if (etl_buf_putc(&row, '\n') < 0)
			rc = etl_error_set(err, ETL_EINTERNAL, "out of memory");
		else
			rc = etl_db_copy_put(ld->db, row.data, row.len, err);
	}
	etl_buf_release(&row);
	if (rc < 0) {
		struct etl_error ignored;

		etl_db_copy_end(ld->db, &ignored);
		return rc;
	}
	rc = etl_db_copy_end(ld->db, err);
	if (rc == -ETL_EDATA)
		blame_record(ld, err);
	return rc;
}

/* The batch's records by key, to match RETURNING rows to them. */
static int
index_batch(struct etl_loader *ld, struct etl_textmap *map,
    struct etl_buf *key)
{
	for (size_t i = 0; i < ld->n; i++) {
		struct etlp_pending *p = &ld->batch[i];
		uint64_t *slot;

		if (p->dropped)
			continue;
		if (etlp_load_key_string(ld, p->rec, key) < 0 ||
		    (slot = etl_textmap_put(map, key->data, key->len, i,
		    NULL)) == NULL)
			return -1;
		*slot = i;
		p->change = ETL_CHANGE_UNCHANGED;
	}
	return 0;
}

static int load_set(struct etl_loader *ld, struct pg_strategy *s,
    struct etl_error *err);

/* Show only record i of the batch to load_set (1), or all again (0). */
static void
solo(struct etl_loader *ld, size_t i, int on)
{
	for (size_t k = 0; k < ld->n; k++) {
		struct etlp_pending *p = &ld->batch[k];

		if (on && k != i && !p->dropped)
			p->dropped = 2;
		else if (!on && p->dropped == 2)
			p->dropped = 0;
	}
}

/*
 * The server refused a value of the batch: load its records one at a
 * time, each in a savepoint, so the refused ones become bad records
 * (dead letters, or the stop naming their line) and the rest load.
 */
static int
load_one_by_one(struct etl_loader *ld, struct pg_strategy *s,
    struct etl_error *err)
{
	int rc = 0;

	for (size_t i = 0; i < ld->n && rc == 0; i++) {
		struct etlp_pending *p = &ld->batch[i];
		char msg[sizeof(err->message)], field[128] = "";
		char rule[64];

		if (p->dropped)
			continue;
		if ((rc = etl_db_exec(ld->db, "SAVEPOINT etl_record", err)) < 0)
			break;
		solo(ld, i, 1);
		s->refused = 0;
		rc = load_set(ld, s, err);
		solo(ld, i, 0);
		if (rc == -ETL_EDATA && s->refused) {
			etl_strlcpy(msg, err->message, sizeof(msg));
			etl_strlcpy(field, err->field, sizeof(field));
			etl_strlcpy(rule, err->rule[0] ? err->rule :
			    "constraint", sizeof(rule));
			if ((rc = etl_db_exec(ld->db, "ROLLBACK TO SAVEPOINT "
			    "etl_record", err)) < 0)
				break;
			rc = etlp_load_reject(ld, p, field[0] ? field : NULL,
			    rule, err, "%s", msg);
		}
		if (rc == 0)
			rc = etl_db_exec(ld->db, "RELEASE SAVEPOINT etl_record",
			    err);
	}
	return rc;
}

/* The batch at once; when the server refuses a value, record by record. */
static int
load_batch(struct etl_loader *ld, struct pg_strategy *s,
    struct etl_error *err)
{
	struct etl_load_counts before = ld->pend;
	int rc;

	if ((rc = etl_db_exec(ld->db, "SAVEPOINT etl_batch", err)) < 0)
		return rc;
	s->refused = 0;
	rc = load_set(ld, s, err);
	if (rc == -ETL_EDATA && s->refused) {
		ld->pend = before;
		if ((rc = etl_db_exec(ld->db, "ROLLBACK TO SAVEPOINT etl_batch",
		    err)) == 0)
			rc = load_one_by_one(ld, s, err);
	}
	if (rc == 0)
		rc = etl_db_exec(ld->db, "RELEASE SAVEPOINT etl_batch", err);
	return rc;
}

int
etlp_load_pg(struct etl_loader *ld, struct etl_error *err)
{
	struct pg_strategy *s = ld->strategy;
	int rc;

	if (s == NULL) {
		char name[64];

		s = ld->strategy = calloc(1, sizeof(*s));
		snprintf(name, sizeof(name), "_etl_batch_%lu", ++temp_serial);
		if (s == NULL || (s->temp = etl_db_quote_ident(name)) == NULL)
			return etl_error_set(err, ETL_EINTERNAL,
			    "out of memory");
		ld->schema_changed = 1;
	}
	if (ld->latest_col >= 0 && s->latest_cast == NULL) {
		/* Compare as the first record's FIELD reads: a timestamp
		 * as an instant, anything else as a number. */
		for (size_t i = 0; i < ld->n && s->latest_cast == NULL; i++) {
			char *t;

			if (ld->batch[i].dropped)
				continue;
			t = etlp_val_text(etlp_record_get(ld->batch[i].rec,
			    ld->o.latest_field));
			s->latest_cast = etl_value_kind(t) == ETL_V_TIME ?
			    "timestamptz" : "numeric";
			free(t);
		}
		ld->schema_changed = 1;
	}
	if (ld->schema_changed && (rc = prepare(ld, s, err)) < 0)
		return rc;
	return load_batch(ld, s, err);
}

/* Copy and merge the batch's records (those not dropped). */
static int
load_set(struct etl_loader *ld, struct pg_strategy *s, struct etl_error *err)
{
	struct etl_textmap *map = NULL;
	struct etl_buf key;
	int rc;

	if ((rc = copy_batch(ld, s, err)) < 0) {
		s->refused = rc == -ETL_EDATA;
		return rc;
	}
	etl_buf_init(&key);
	map = etl_textmap_new();
	if (map == NULL || index_batch(ld, map, &key) < 0) {
		rc = etl_error_set(err, ETL_EINTERNAL, "out of memory");
		goto out;
	}
	while ((rc = etl_stmt_step(s->merge, err)) == 1) {
		int inserted = (int)etl_stmt_column_int(s->merge, 0);
		uint64_t *i;

		if (ld->o.nkeys == 0) {
			ld->pend.inserted++;
			continue;
		}
		etl_buf_reset(&key);
		for (int k = 0; k < ld->o.nkeys; k++) {
			size_t len;
			const char *t = etl_stmt_column_text(s->merge, k + 1,
			    &len);

			if (k)
				etl_buf_putc(&key, '\x1f');
			etl_buf_append(&key, t ? t : "", len);
		}
		etl_buf_putc(&key, '\0');
		i = key.data ? etl_textmap_get(map, key.data, key.len) : NULL;
		if (i != NULL)
			ld->batch[*i].change = inserted ?
			    ETL_CHANGE_INSERTED : ETL_CHANGE_UPDATED;
	}
	etl_stmt_reset(s->merge);
	s->refused = rc == -ETL_EDATA;
	if (rc < 0)
		goto out;
	if (s->seen != NULL) {
		rc = etl_stmt_step(s->seen, err);
		etl_stmt_reset(s->seen);
		s->refused = rc == -ETL_EDATA;
		if (rc < 0)
			goto out;
	}
	rc = 0;
	for (size_t i = 0; i < ld->n && ld->o.nkeys > 0; i++) {
		struct etlp_pending *p = &ld->batch[i];

		if (p->dropped)
			continue;
		if (ld->o.mode == ETL_LOAD_INSERT &&
		    p->change == ETL_CHANGE_UNCHANGED) {
			rc = etlp_load_reject(ld, p, ld->o.keys[0],
			    "duplicate", err, "key already in table %s "
			    "(--mode insert)", ld->o.table);
			if (rc < 0)
				goto out;
			continue;
		}
		if (p->change == ETL_CHANGE_INSERTED)
			ld->pend.inserted++;
		else if (p->change == ETL_CHANGE_UPDATED)
			ld->pend.updated++;
		else
			ld->pend.unchanged++;
	}
out:
	etl_textmap_free(map);
	etl_buf_release(&key);
	return rc;
}
