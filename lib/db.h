/*
 * The database layer: one interface over SQLite (a path, the embedded
 * default) and, behind the same calls, other backends named by URI.
 * SQL text uses $1, $2, ... for parameters (both backends accept that
 * form); identifiers are quoted with etl_db_quote_ident, values are
 * always bound, never spliced into SQL.
 */
#ifndef ETL_DB_H
#define ETL_DB_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

struct etl_db;
struct etl_stmt;

struct etl_db_opts {
	int create;			/* create a missing database (0600) */
	int64_t busy_timeout_ms;	/* wait this long for a lock */
};

#define ETL_DB_DEFAULT_BUSY_MS 30000

enum etl_coltype {
	ETL_COL_NULL = 0,
	ETL_COL_INT,
	ETL_COL_REAL,
	ETL_COL_TEXT,
	ETL_COL_BLOB
};

/* The database to use: explicit, else $ETL_DB, else "./etl.db". */
const char *etl_db_default_target(const char *explicit_target);

/*
 * Open target.  A missing SQLite file without opts->create gives NULL
 * with -ETL_ENOINPUT.  SQLite is put in WAL mode with a busy timeout.
 */
struct etl_db *etl_db_new(const char *target, const struct etl_db_opts *opts,
    struct etl_error *err);
/* Close, rolling back an open transaction.  NULL is ok. */
void etl_db_free(struct etl_db *db);

/* "sqlite" or "postgresql". */
const char *etl_db_backend(const struct etl_db *db);
/* The target with any password hidden, for messages. */
const char *etl_db_name(const struct etl_db *db);

/* A write transaction (SQLite: BEGIN IMMEDIATE, so it waits for locks). */
int etl_db_begin(struct etl_db *db, struct etl_error *err);
int etl_db_commit(struct etl_db *db, struct etl_error *err);
/* Roll back if a transaction is open; never fails. */
void etl_db_rollback(struct etl_db *db);
int etl_db_in_transaction(const struct etl_db *db);

/* Run SQL without results (may hold several statements). */
int etl_db_exec(struct etl_db *db, const char *sql, struct etl_error *err);

/* Whether a table exists: 1, 0, or <0 on error. */
int etl_db_has_table(struct etl_db *db, const char *table,
    struct etl_error *err);

/* "name" with embedded quotes doubled; a new string, NULL on OOM. */
char *etl_db_quote_ident(const char *name);

struct etl_stmt *etl_db_prepare(struct etl_db *db, const char *sql,
    struct etl_error *err);
void etl_stmt_free(struct etl_stmt *st);

/* Bind parameter i (1-based).  len < 0: strlen. */
int etl_stmt_bind_text(struct etl_stmt *st, int i, const char *s,
    long len);
/* As etl_stmt_bind_text, but s must stay valid until the statement is
 * reset: no copy is made where the backend allows it. */
int etl_stmt_bind_text_ref(struct etl_stmt *st, int i, const char *s,
    size_t len);
int etl_stmt_bind_int(struct etl_stmt *st, int i, long long v);
int etl_stmt_bind_double(struct etl_stmt *st, int i, double v);
int etl_stmt_bind_null(struct etl_stmt *st, int i);

/* 1: a row is ready; 0: done; <0: error. */
int etl_stmt_step(struct etl_stmt *st, struct etl_error *err);
/* Ready to run again; bindings cleared. */
void etl_stmt_reset(struct etl_stmt *st);

int etl_stmt_columns(struct etl_stmt *st);
const char *etl_stmt_column_name(struct etl_stmt *st, int i);
enum etl_coltype etl_stmt_column_type(struct etl_stmt *st, int i);
/* Borrowed until the next step or reset; NULL for SQL NULL. */
const char *etl_stmt_column_text(struct etl_stmt *st, int i, size_t *len);
long long etl_stmt_column_int(struct etl_stmt *st, int i);
double etl_stmt_column_double(struct etl_stmt *st, int i);
const void *etl_stmt_column_blob(struct etl_stmt *st, int i, size_t *len);

/* Rows changed by the last statement. */
long long etl_db_changes(struct etl_db *db);

/*
 * The columns of a table in order: fn(name, declared type, ctx) for
 * each; a non-zero return stops.  0 (also for a missing table: no
 * calls), or <0.
 */
int etl_db_table_columns(struct etl_db *db, const char *table,
    int (*fn)(const char *name, const char *type, void *ctx), void *ctx,
    struct etl_error *err);

/*
 * Bulk load (PostgreSQL COPY ... FROM STDIN, text format): begin with
 * the COPY statement, put rows (tab-separated, \N for NULL, "\n" ended;
 * see etl_db_copy_escape), end.  Backends without it give -ETL_EINTERNAL
 * from begin; etl_db_has_copy tells beforehand.
 */
int etl_db_has_copy(const struct etl_db *db);
int etl_db_copy_begin(struct etl_db *db, const char *sql,
    struct etl_error *err);
int etl_db_copy_put(struct etl_db *db, const char *buf, size_t len,
    struct etl_error *err);
int etl_db_copy_end(struct etl_db *db, struct etl_error *err);

/* Append s[0..len) escaped for a COPY text-format field; 0 or -1 (OOM). */
struct etl_buf;
int etl_db_copy_escape(struct etl_buf *b, const char *s, size_t len);

#endif
