/*
 * Private to the database layer: the operations a backend provides.
 * Each backend's handle starts with struct etl_db, each statement with
 * struct etl_stmt.
 */
#ifndef ETL_DB_IMPL_H
#define ETL_DB_IMPL_H

#include "db.h"

struct etlp_db_ops {
	const char *name;
	void (*close)(struct etl_db *db);
	int (*exec)(struct etl_db *db, const char *sql, struct etl_error *err);
	int (*begin)(struct etl_db *db, struct etl_error *err);
	int (*has_table)(struct etl_db *db, const char *table,
	    struct etl_error *err);
	long long (*changes)(struct etl_db *db);
	struct etl_stmt *(*prepare)(struct etl_db *db, const char *sql,
	    struct etl_error *err);
	void (*stmt_free)(struct etl_stmt *st);
	int (*bind_text)(struct etl_stmt *st, int i, const char *s, size_t len);
	/* May be NULL: bind_text is used. */
	int (*bind_text_ref)(struct etl_stmt *st, int i, const char *s,
	    size_t len);
	int (*bind_int)(struct etl_stmt *st, int i, long long v);
	int (*bind_double)(struct etl_stmt *st, int i, double v);
	int (*bind_null)(struct etl_stmt *st, int i);
	int (*step)(struct etl_stmt *st, struct etl_error *err);
	void (*reset)(struct etl_stmt *st);
	int (*columns)(struct etl_stmt *st);
	const char *(*column_name)(struct etl_stmt *st, int i);
	enum etl_coltype (*column_type)(struct etl_stmt *st, int i);
	const char *(*column_text)(struct etl_stmt *st, int i, size_t *len);
	long long (*column_int)(struct etl_stmt *st, int i);
	double (*column_double)(struct etl_stmt *st, int i);
	const void *(*column_blob)(struct etl_stmt *st, int i, size_t *len);
	int (*table_columns)(struct etl_db *db, const char *table,
	    int (*fn)(const char *name, const char *type, void *ctx),
	    void *ctx, struct etl_error *err);
	/* NULL when the backend has no bulk copy. */
	int (*copy_begin)(struct etl_db *db, const char *sql,
	    struct etl_error *err);
	int (*copy_put)(struct etl_db *db, const char *buf, size_t len,
	    struct etl_error *err);
	int (*copy_end)(struct etl_db *db, struct etl_error *err);
};

struct etl_db {
	const struct etlp_db_ops *ops;
	char *name;		/* redacted target */
	int in_tx;
};

struct etl_stmt {
	struct etl_db *db;
};

struct etl_db *etlp_sqlite_open(const char *path,
    const struct etl_db_opts *opts, struct etl_error *err);
/* target is a postgresql:// or postgres:// URI (or key=value conninfo). */
struct etl_db *etlp_pg_open(const char *target,
    const struct etl_db_opts *opts, struct etl_error *err);

#endif
