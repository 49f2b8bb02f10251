#include "db_impl.h"
#include "strbuf.h"

const char *
etl_db_default_target(const char *explicit_target)
{
	const char *env = getenv("ETL_DB");

	if (explicit_target != NULL && *explicit_target != '\0')
		return explicit_target;
	if (env != NULL && *env != '\0')
		return env;
	return "etl.db";
}

static int
is_uri(const char *target, const char *scheme)
{
	size_t n = strlen(scheme);

	return strncmp(target, scheme, n) == 0 && strncmp(target + n, "://",
	    3) == 0;
}

struct etl_db *
etl_db_new(const char *target, const struct etl_db_opts *opts,
    struct etl_error *err)
{
	if (is_uri(target, "postgresql") || is_uri(target, "postgres"))
		return etlp_pg_open(target, opts, err);
	return etlp_sqlite_open(target, opts, err);
}

void
etl_db_free(struct etl_db *db)
{
	if (db == NULL)
		return;
	etl_db_rollback(db);
	db->ops->close(db);
}

const char *
etl_db_backend(const struct etl_db *db)
{
	return db->ops->name;
}

const char *
etl_db_name(const struct etl_db *db)
{
	return db->name;
}

int
etl_db_begin(struct etl_db *db, struct etl_error *err)
{
	int rc = db->ops->begin(db, err);

	if (rc == 0)
		db->in_tx = 1;
	return rc;
}

int
etl_db_commit(struct etl_db *db, struct etl_error *err)
{
	int rc = db->ops->exec(db, "COMMIT", err);

	if (rc == 0)
		db->in_tx = 0;
	else
		etl_db_rollback(db);
	return rc;
}

void
etl_db_rollback(struct etl_db *db)
{
	if (db->in_tx) {
		db->ops->exec(db, "ROLLBACK", NULL);
		db->in_tx = 0;
	}
}

int
etl_db_in_transaction(const struct etl_db *db)
{
	return db->in_tx;
}

int
etl_db_exec(struct etl_db *db, const char *sql, struct etl_error *err)
{
	return db->ops->exec(db, sql, err);
}

int
etl_db_has_table(struct etl_db *db, const char *table, struct etl_error *err)
{
	return db->ops->has_table(db, table, err);
}

long long
etl_db_changes(struct etl_db *db)
{
	return db->ops->changes(db);
}

char *
etl_db_quote_ident(const char *name)
{
	struct etl_buf b;

	etl_buf_init(&b);
	if (etl_buf_reserve(&b, strlen(name) + 3) < 0)
		return NULL;
	etl_buf_putc(&b, '"');
	for (const char *p = name; *p != '\0'; p++) {
		if (*p == '"')
			etl_buf_putc(&b, '"');
		etl_buf_putc(&b, *p);
	}
	if (etl_buf_putc(&b, '"') < 0) {
		etl_buf_release(&b);
		return NULL;
	}
	return b.data;
}

struct etl_stmt *
etl_db_prepare(struct etl_db *db, const char *sql, struct etl_error *err)
{
	return db->ops->prepare(db, sql, err);
}

void
etl_stmt_free(struct etl_stmt *st)
{
	if (st != NULL)
		st->db->ops->stmt_free(st);
}

int
etl_stmt_bind_text(struct etl_stmt *st, int i, const char *s, long len)
{
	if (s == NULL)
		return st->db->ops->bind_null(st, i);
	return st->db->ops->bind_text(st, i, s, len < 0 ? strlen(s) :
	    (size_t)len);
}

int
etl_stmt_bind_text_ref(struct etl_stmt *st, int i, const char *s, size_t len)
{
	if (st->db->ops->bind_text_ref == NULL)
		return st->db->ops->bind_text(st, i, s, len);
	return st->db->ops->bind_text_ref(st, i, s, len);
}

int
etl_stmt_bind_int(struct etl_stmt *st, int i, long long v)
{
	return st->db->ops->bind_int(st, i, v);
}

int
etl_stmt_bind_double(struct etl_stmt *st, int i, double v)
{
	return st->db->ops->bind_double(st, i, v);
}

int
etl_stmt_bind_null(struct etl_stmt *st, int i)
{
	return st->db->ops->bind_null(st, i);
}

int
etl_stmt_step(struct etl_stmt *st, struct etl_error *err)
{
	return st->db->ops->step(st, err);
}

void
etl_stmt_reset(struct etl_stmt *st)
{
	st->db->ops->reset(st);
}

int
etl_stmt_columns(struct etl_stmt *st)
{
	return st->db->ops->columns(st);
}

const char *
etl_stmt_column_name(struct etl_stmt *st, int i)
{
	return st->db->ops->column_name(st, i);
}

enum etl_coltype
etl_stmt_column_type(struct etl_stmt *st, int i)
{
	return st->db->ops->column_type(st, i);
}

const char *
etl_stmt_column_text(struct etl_stmt *st, int i, size_t *len)
{
	return st->db->ops->column_text(st, i, len);
}

long long
etl_stmt_column_int(struct etl_stmt *st, int i)
{
	return st->db->ops->column_int(st, i);
}

double
etl_stmt_column_double(struct etl_stmt *st, int i)
{
	return st->db->ops->column_double(st, i);
}

const void *
etl_stmt_column_blob(struct etl_stmt *st, int i, size_t *len)
{
	return st->db->ops->column_blob(st, i, len);
}

int
etl_db_table_columns(struct etl_db *db, const char *table,
    int (*fn)(const char *name, const char *type, void *ctx), void *ctx,
    struct etl_error *err)
{
	return db->ops->table_columns(db, table, fn, ctx, err);
}

int
etl_db_has_copy(const struct etl_db *db)
{
	return db->ops->copy_begin != NULL;
}

int
etl_db_copy_begin(struct etl_db *db, const char *sql, struct etl_error *err)
{
	if (db->ops->copy_begin == NULL)
		return etl_error_set(err, ETL_EINTERNAL, "%s has no bulk copy",
		    db->ops->name);
	return db->ops->copy_begin(db, sql, err);
}

int
etl_db_copy_put(struct etl_db *db, const char *buf, size_t len,
    struct etl_error *err)
{
	return db->ops->copy_put(db, buf, len, err);
}

int
etl_db_copy_end(struct etl_db *db, struct etl_error *err)
{
	return db->ops->copy_end(db, err);
}

int
etl_db_copy_escape(struct etl_buf *b, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		const char *esc = NULL;

		switch (s[i]) {
		case '\\':
			esc = "\\\\";
			break;
		case '\t':
			esc = "\\t";
			break;
		case '\n':
			esc = "\\n";
			break;
		case '\r':
			esc = "\\r";
			break;
		}
		if (esc != NULL ? etl_buf_append(b, esc, 2) :
		    etl_buf_putc(b, s[i]))
			return -1;
	}
	return 0;
}
