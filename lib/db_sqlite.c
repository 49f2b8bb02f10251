/* The SQLite backend of the database layer. */
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db_impl.h"
#include "signals.h"
#include "strbuf.h"

struct sqlite_db {
	struct etl_db base;
	sqlite3 *h;
};

struct sqlite_stmt {
	struct etl_stmt base;
	sqlite3_stmt *st;
};

#define H(db) (((struct sqlite_db *)(db))->h)
#define ST(s) (((struct sqlite_stmt *)(s))->st)

static enum etl_kind
kind_of(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return ETL_ETEMPFAIL;
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_CORRUPT:
		return ETL_EIO;
	case SQLITE_CANTOPEN:
		return ETL_ECANTCREAT;
	case SQLITE_NOTADB:
		return ETL_ENOINPUT;
	case SQLITE_READONLY:
	case SQLITE_PERM:
		return ETL_ECANTCREAT;
	case SQLITE_CONSTRAINT:
	case SQLITE_TOOBIG:
	case SQLITE_MISMATCH:
		return ETL_EDATA;
	case SQLITE_INTERRUPT:
		return ETL_EINTR;
	default:
		return ETL_EINTERNAL;
	}
}

static int
fail(struct etl_db *db, int rc, struct etl_error *err, const char *what)
{
	const char *msg = H(db) ? sqlite3_errmsg(H(db)) : sqlite3_errstr(rc);

	if ((rc & 0xff) == SQLITE_IOERR || (rc & 0xff) == SQLITE_FULL) {
		/* SQLite's message is vague; errno says what happened. */
		int e = sqlite3_system_errno(H(db));

		if (e != 0)
			return etl_error_at(err, ETL_EIO, db->name, 0, NULL,
			    "%s: %s: %s", what, msg, strerror(e));
	}
	return etl_error_at(err, kind_of(rc), db->name, 0, NULL, "%s: %s",
	    what, msg);
}

static void
db_close(struct etl_db *db)
{
	sqlite3_close_v2(H(db));
	free(db->name);
	free(db);
}

static int
db_exec(struct etl_db *db, const char *sql, struct etl_error *err)
{
	int rc = sqlite3_exec(H(db), sql, NULL, NULL, NULL);

	if (rc != SQLITE_OK)
		return fail(db, rc, err, "query failed");
	return 0;
}

static int
db_begin(struct etl_db *db, struct etl_error *err)
{
	int rc = sqlite3_exec(H(db), "BEGIN IMMEDIATE", NULL, NULL, NULL);

	if (rc != SQLITE_OK)
		return fail(db, rc, err, "cannot start a transaction");
	return 0;
}

static int
db_has_table(struct etl_db *db, const char *table, struct etl_error *err)
{
	sqlite3_stmt *st;
	int rc;

	rc = sqlite3_prepare_v2(H(db), "SELECT 1 FROM sqlite_master WHERE "
	    "type = 'table' AND name = ?1 COLLATE NOCASE", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return fail(db, rc, err, "cannot read the schema");
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return fail(db, rc, err, "cannot read the schema");
}

static long long
db_changes(struct etl_db *db)
{
	return sqlite3_changes64(H(db));
}

/* "$12" becomes "?12", which SQLite binds by number; quotes are skipped. */
static char *
translate_params(const char *sql)
{
	char *out = strdup(sql), *p;
	char quote = 0;

	if (out == NULL)
		return NULL;
	for (p = out; *p != '\0'; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
		} else if (*p == '$' && p[1] >= '0' && p[1] <= '9') {
			*p = '?';
		}
	}
	return out;
}

static struct etl_stmt *
db_prepare(struct etl_db *db, const char *sql, struct etl_error *err)
{
	struct sqlite_stmt *s = calloc(1, sizeof(*s));
	char *text = translate_params(sql);
	int rc;

	if (s == NULL || text == NULL) {
		free(s);
		free(text);
		etl_error_set(err, ETL_EINTERNAL, "out of memory");
		return NULL;
	}
	rc = sqlite3_prepare_v3(H(db), text, -1, SQLITE_PREPARE_PERSISTENT,
	    &s->st, NULL);
	free(text);
	if (rc != SQLITE_OK) {
		fail(db, rc, err, "cannot prepare a statement");
		free(s);
		return NULL;
	}
	s->base.db = db;
	return &s->base;
}

static void
stmt_free(struct etl_stmt *st)
{
	sqlite3_finalize(ST(st));
	free(st);
}

static int
bind_text(struct etl_stmt *st, int i, const char *s, size_t len)
{
	return sqlite3_bind_text64(ST(st), i, s, len, SQLITE_TRANSIENT,
	    SQLITE_UTF8) == SQLITE_OK ? 0 : -1;
}

static int
bind_text_ref(struct etl_stmt *st, int i, const char *s, size_t len)
{
	return sqlite3_bind_text64(ST(st), i, s, len, SQLITE_STATIC,
	    SQLITE_UTF8) == SQLITE_OK ? 0 : -1;
}

static int
bind_int(struct etl_stmt *st, int i, long long v)
{
	return sqlite3_bind_int64(ST(st), i, v) == SQLITE_OK ? 0 : -1;
}

static int
bind_double(struct etl_stmt *st, int i, double v)
{
	return sqlite3_bind_double(ST(st), i, v) == SQLITE_OK ? 0 : -1;
}

static int
bind_null(struct etl_stmt *st, int i)
{
	return sqlite3_bind_null(ST(st), i) == SQLITE_OK ? 0 : -1;
}

static int
step(struct etl_stmt *st, struct etl_error *err)
{
	int rc = sqlite3_step(ST(st));

	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	sqlite3_reset(ST(st));
	if (etl_signal_caught())
		return etl_signal_check(err);
	return fail(st->db, rc, err, "statement failed");
}

static void
reset(struct etl_stmt *st)
{
	sqlite3_reset(ST(st));
	sqlite3_clear_bindings(ST(st));
}

static int
columns(struct etl_stmt *st)
{
	return sqlite3_column_count(ST(st));
}

static const char *
column_name(struct etl_stmt *st, int i)
{
	return sqlite3_column_name(ST(st), i);
}

static enum etl_coltype
column_type(struct etl_stmt *st, int i)
{
	switch (sqlite3_column_type(ST(st), i)) {
	case SQLITE_INTEGER:
		return ETL_COL_INT;
	case SQLITE_FLOAT:
		return ETL_COL_REAL;
	case SQLITE_TEXT:
		return ETL_COL_TEXT;
	case SQLITE_BLOB:
		return ETL_COL_BLOB;
	default:
		return ETL_COL_NULL;
	}
}

static const char *
column_text(struct etl_stmt *st, int i, size_t *len)
{
	const char *s = (const char *)sqlite3_column_text(ST(st), i);

	if (len != NULL)
		*len = (size_t)sqlite3_column_bytes(ST(st), i);
	return s;
}

static long long
column_int(struct etl_stmt *st, int i)
{
	return sqlite3_column_int64(ST(st), i);
}

static double
column_double(struct etl_stmt *st, int i)
{
	return sqlite3_column_double(ST(st), i);
}

static const void *
column_blob(struct etl_stmt *st, int i, size_t *len)
{
	const void *p = sqlite3_column_blob(ST(st), i);

	*len = (size_t)sqlite3_column_bytes(ST(st), i);
	return p;
}

static int
table_columns(struct etl_db *db, const char *table,
    int (*fn)(const char *name, const char *type, void *ctx), void *ctx,
    struct etl_error *err)
{
	sqlite3_stmt *st;
	int rc;

	rc = sqlite3_prepare_v2(H(db), "SELECT name, type FROM "
	    "pragma_table_info(?1)", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return fail(db, rc, err, "cannot read the schema");
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (fn((const char *)sqlite3_column_text(st, 0),
		    (const char *)sqlite3_column_text(st, 1), ctx) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return fail(db, rc, err, "cannot read the schema");
	return 0;
}

static const struct etlp_db_ops sqlite_ops = {
	.name = "sqlite",
	.close = db_close,
	.exec = db_exec,
	.begin = db_begin,
	.has_table = db_has_table,
	.changes = db_changes,
	.prepare = db_prepare,
	.stmt_free = stmt_free,
	.bind_text = bind_text,
	.bind_text_ref = bind_text_ref,
	.bind_int = bind_int,
	.bind_double = bind_double,
	.bind_null = bind_null,
	.step = step,
	.reset = reset,
	.columns = columns,
	.column_name = column_name,
	.column_type = column_type,
	.column_text = column_text,
	.column_int = column_int,
	.column_double = column_double,
	.column_blob = column_blob,
	.table_columns = table_columns,
};

/* Create an empty file with mode 0600, so the database never exists
 * with wider permissions (SQLite gives its -wal and -shm the same). */
static int
create_private(const char *path, struct etl_error *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd >= 0) {
		close(fd);
		return 0;
	}
	if (errno == EEXIST)
		return 0;
	return etl_error_at(err, ETL_ECANTCREAT, path, 0, NULL,
	    "cannot create database: %s", strerror(errno));
}

/*
 * Switch to WAL unless the file is in WAL already.  The switch needs
 * the database to itself and SQLite does not wait for that, so retry
 * a busy switch until the busy timeout is spent.
 */
static int
use_wal(sqlite3 *h, int64_t timeout_ms)
{
	int64_t waited = 0;
	int rc;

	for (;;) {
		sqlite3_stmt *st;
		const char *mode;

		rc = sqlite3_prepare_v2(h, "PRAGMA journal_mode", -1, &st,
		    NULL);
		if (rc != SQLITE_OK)
			return rc;
		rc = sqlite3_step(st);
		mode = rc == SQLITE_ROW ?
		    (const char *)sqlite3_column_text(st, 0) : NULL;
		if (mode != NULL && strcmp(mode, "wal") == 0) {
			sqlite3_finalize(st);
			break;
		}
		sqlite3_finalize(st);
		if (rc == SQLITE_ROW)
			rc = sqlite3_exec(h, "PRAGMA journal_mode=WAL", NULL,
			    NULL, NULL);
		if (rc == SQLITE_OK)
			break;
		if ((rc & 0xff) != SQLITE_BUSY || waited >= timeout_ms)
			return rc;
		sqlite3_sleep(20);
		waited += 20;
	}
	return sqlite3_exec(h, "PRAGMA synchronous=NORMAL", NULL, NULL, NULL);
}

struct etl_db *
etlp_sqlite_open(const char *path, const struct etl_db_opts *opts,
    struct etl_error *err)
{
	struct sqlite_db *db = calloc(1, sizeof(*db));
	struct stat sb;
	int rc;

	if (db == NULL || (db->base.name = strdup(path)) == NULL) {
		free(db);
		etl_error_set(err, ETL_EINTERNAL, "out of memory");
		return NULL;
	}
	db->base.ops = &sqlite_ops;
	if (stat(path, &sb) < 0) {
		if (errno != ENOENT) {
			etl_error_at(err, ETL_ENOINPUT, path, 0, NULL,
			    "cannot open database: %s", strerror(errno));
			goto fail;
		}
		if (!opts->create) {
			etl_error_at(err, ETL_ENOINPUT, path, 0, NULL,
			    "database does not exist");
			goto fail;
		}
		if (create_private(path, err) < 0)
			goto fail;
	} else if (S_ISDIR(sb.st_mode)) {
		etl_error_at(err, ETL_ENOINPUT, path, 0, NULL,
		    "is a directory, not a database");
		goto fail;
	}
	rc = sqlite3_open_v2(path, &db->h, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		fail(&db->base, rc, err, "cannot open database");
		goto fail;
	}
	sqlite3_extended_result_codes(db->h, 1);
	sqlite3_busy_timeout(db->h, opts->busy_timeout_ms > INT32_MAX ?
	    INT32_MAX : (int)opts->busy_timeout_ms);
	/* Reading the schema here turns "not a database" into an error
	 * now, and WAL lets readers go on while we write. */
	if ((rc = use_wal(db->h, opts->busy_timeout_ms)) != SQLITE_OK) {
		fail(&db->base, rc, err, "cannot open database");
		goto fail;
	}
	return &db->base;
fail:
	if (db->h != NULL)
		sqlite3_close_v2(db->h);
	free(db->base.name);
	free(db);
	return NULL;
}
