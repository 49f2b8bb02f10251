/*
 * Unit tests of lib/db_pg.c: the database layer on a real PostgreSQL
 * server, started by scripts/pg-start for the run (skipped, with a
 * message, where no PostgreSQL server is installed).
 */
#include <math.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include "db.h"
#include "signals.h"
#include "state.h"
#include "strbuf.h"
#include "summary.h"
#include "unit.h"

static char pg_dir[256];
static char pg_uri[512];
static char pg_password[128];
static int pg_port;

static void
init_err(struct etl_error *err)
{
	etl_error_init(err);
}

static struct etl_db *
open_with(const char *uri, int64_t busy_ms)
{
	struct etl_db_opts opts = { 0, busy_ms };
	struct etl_error err;
	struct etl_db *db;

	init_err(&err);
	db = etl_db_new(uri, &opts, &err);
	ck_assert_msg(db != NULL, "%s: %s", err.source, err.message);
	return db;
}

static struct etl_db *
open_db(void)
{
	return open_with(pg_uri, 5000);
}

static void
exec_ok(struct etl_db *db, const char *sql)
{
	struct etl_error err;
	int rc;

	init_err(&err);
	rc = etl_db_exec(db, sql, &err);
	ck_assert_msg(rc == 0, "%s: %s", sql, err.message);
}

/* The single value of a one-row query, as a new string ("NULL"). */
static char *
query_text(struct etl_db *db, const char *sql)
{
	struct etl_error err;
	struct etl_stmt *st;
	const char *s;
	char *v;
	int rc;

	init_err(&err);
	st = etl_db_prepare(db, sql, &err);
	ck_assert_msg(st != NULL, "%s: %s", sql, err.message);
	rc = etl_stmt_step(st, &err);
	ck_assert_msg(rc == 1, "%s: %d %s", sql, rc, err.message);
	s = etl_stmt_column_text(st, 0, NULL);
	v = strdup(s != NULL ? s : "NULL");
	ck_assert_int_eq(etl_stmt_step(st, &err), 0);
	etl_stmt_free(st);
	return v;
}

static void
query_is(struct etl_db *db, const char *sql, const char *want)
{
	char *got = query_text(db, sql);

	ck_assert_msg(strcmp(got, want) == 0, "%s: got '%s', want '%s'", sql,
	    got, want);
	free(got);
}

START_TEST(test_db_pg_open_names_backend_and_hides_password)
{
	struct etl_db *db = open_db();

	ck_assert_str_eq(etl_db_backend(db), "postgresql");
	ck_assert_ptr_null(strstr(etl_db_name(db), pg_password));
	ck_assert_ptr_nonnull(strstr(etl_db_name(db), "etl:***@127.0.0.1"));
	ck_assert_int_eq(etl_db_has_copy(db), 1);
	query_is(db, "SHOW client_encoding", "UTF8");
	query_is(db, "SHOW application_name", "etl");
	query_is(db, "SHOW lock_timeout", "5s");
	etl_db_free(db);
	/* postgres:// works too; a busy timeout of 0 must not wait forever. */
	{
		char uri[600];

		snprintf(uri, sizeof(uri), "postgres://%s", pg_uri +
		    strlen("postgresql://"));
		db = open_with(uri, 0);
		query_is(db, "SHOW lock_timeout", "1ms");
		etl_db_free(db);
	}
}
END_TEST

START_TEST(test_db_pg_prepare_bind_step_columns)
{
	struct etl_db *db = open_db();
	struct etl_error err;
	struct etl_stmt *st;
	const char *s;
	size_t len;

	init_err(&err);
	exec_ok(db, "DROP TABLE IF EXISTS t_bind; CREATE TABLE t_bind ("
	    "id BIGINT PRIMARY KEY, name TEXT, score DOUBLE PRECISION, "
	    "amount NUMERIC, small SMALLINT)");
	st = etl_db_prepare(db, "INSERT INTO t_bind VALUES ($1, $2, $3, $4, "
	    "$5)", &err);
	ck_assert_msg(st != NULL, "%s", err.message);
	ck_assert_int_eq(etl_stmt_columns(st), 0);
	ck_assert_int_eq(etl_stmt_bind_int(st, 1, 9007199254740993LL), 0);
	ck_assert_int_eq(etl_stmt_bind_text(st, 2, "caf\xc3\xa9 'x' \"y\"",
	    -1), 0);
	ck_assert_int_eq(etl_stmt_bind_double(st, 3, 0.1), 0);
	ck_assert_int_eq(etl_stmt_bind_text(st, 4,
	    "12345678901234567890.123456789", -1), 0);
	ck_assert_int_eq(etl_stmt_bind_double(st, 5, 3.0), 0);
	ck_assert_int_eq(etl_stmt_bind_int(st, 6, 1), -1);
	ck_assert_int_eq(etl_stmt_bind_int(st, 0, 1), -1);
	ck_assert_int_eq(etl_stmt_step(st, &err), 0);
	ck_assert_int_eq(etl_stmt_step(st, &err), 0);
	ck_assert_int_eq(etl_db_changes(db), 1);
	/* Reused: reset clears the bindings, unbound is NULL. */
	etl_stmt_reset(st);
	etl_stmt_bind_int(st, 1, -2);
	etl_stmt_bind_text(st, 2, "abcdef", 3);
	ck_assert_int_eq(etl_stmt_step(st, &err), 0);
	etl_stmt_reset(st);
	etl_stmt_bind_int(st, 1, 3);
	etl_stmt_bind_null(st, 2);
	etl_stmt_bind_double(st, 3, -1.5e300);
	ck_assert_int_eq(etl_stmt_step(st, &err), 0);
	etl_stmt_free(st);

	st = etl_db_prepare(db, "SELECT id, name, score, amount, small FROM "
	    "t_bind ORDER BY id DESC", &err);
	ck_assert_msg(st != NULL, "%s", err.message);
	/* Columns are known before the first step, as with SQLite. */
	ck_assert_int_eq(etl_stmt_columns(st), 5);
	ck_assert_str_eq(etl_stmt_column_name(st, 0), "id");
	ck_assert_str_eq(etl_stmt_column_name(st, 4), "small");
	ck_assert_ptr_null(etl_stmt_column_name(st, 5));

	ck_assert_int_eq(etl_stmt_step(st, &err), 1);
	ck_assert_int_eq(etl_stmt_column_type(st, 0), ETL_COL_INT);
	ck_assert_int_eq(etl_stmt_column_int(st, 0), 9007199254740993LL);
	ck_assert_int_eq(etl_stmt_column_type(st, 1), ETL_COL_TEXT);
	s = etl_stmt_column_text(st, 1, &len);
	ck_assert_str_eq(s, "caf\xc3\xa9 'x' \"y\"");
	ck_assert_uint_eq(len, strlen(s));
	ck_assert_int_eq(etl_stmt_column_type(st, 2), ETL_COL_REAL);
	ck_assert(etl_stmt_column_double(st, 2) == 0.1);
	ck_assert_int_eq(etl_stmt_column_type(st, 3), ETL_COL_TEXT);
	ck_assert_str_eq(etl_stmt_column_text(st, 3, NULL),
	    "12345678901234567890.123456789");
	ck_assert_int_eq(etl_stmt_column_type(st, 4), ETL_COL_INT);
	ck_assert_int_eq(etl_stmt_column_int(st, 4), 3);

	ck_assert_int_eq(etl_stmt_step(st, &err), 1);
	ck_assert_int_eq(etl_stmt_column_int(st, 0), 3);
	ck_assert_int_eq(etl_stmt_column_type(st, 1), ETL_COL_NULL);
	ck_assert_ptr_null(etl_stmt_column_text(st, 1, &len));
	ck_assert_uint_eq(len, 0);
	ck_assert(etl_stmt_column_double(st, 2) == -1.5e300);
	ck_assert_int_eq(etl_stmt_column_type(st, 3), ETL_COL_NULL);

	ck_assert_int_eq(etl_stmt_step(st, &err), 1);
	ck_assert_int_eq(etl_stmt_column_int(st, 0), -2);
	ck_assert_str_eq(etl_stmt_column_text(st, 1, NULL), "abc");
	ck_assert_int_eq(etl_stmt_step(st, &err), 0);
	ck_assert_int_eq(etl_stmt_step(st, &err), 0);
	/* Reset runs it again. */
	etl_stmt_reset(st);
	ck_assert_int_eq(etl_stmt_step(st, &err), 1);
	ck_assert_int_eq(etl_stmt_column_int(st, 0), 9007199254740993LL);
	etl_stmt_free(st);
	etl_db_free(db);
}
END_TEST

START_TEST(test_db_pg_column_types)
{
	struct etl_db *db = open_db();
	struct etl_error err;
	struct etl_stmt *st;
	const unsigned char *b;
	const char *s;
	size_t len;

	init_err(&err);
	st = etl_db_prepare(db, "SELECT true AS t, false AS f, "
	    "'\\x00ff41'::bytea AS b, 1.5::real AS r, "
	    "12345678901234567890::numeric AS n, "
	    "'{\"a\": [1, 2]}'::jsonb AS j, "
	    "'2026-01-02T03:04:05Z'::timestamptz AS ts, 7::oid AS o, "
	    "2.75::float8 AS d, NULL::int AS z, 'NaN'::float8 AS nan, "
	    "'9.7'::numeric AS nine", &err);
	ck_assert_msg(st != NULL, "%s", err.message);
	ck_assert_int_eq(etl_stmt_columns(st), 12);
	ck_assert_int_eq(etl_stmt_step(st, &err), 1);
	ck_assert_int_eq(etl_stmt_column_type(st, 0), ETL_COL_INT);
	ck_assert_int_eq(etl_stmt_column_int(st, 0), 1);
	ck_assert_str_eq(etl_stmt_column_text(st, 0, NULL), "1");
	ck_assert_int_eq(etl_stmt_column_type(st, 1), ETL_COL_INT);
	ck_assert_int_eq(etl_stmt_column_int(st, 1), 0);
	ck_assert(etl_stmt_column_double(st, 1) == 0.0);
	ck_assert_int_eq(etl_stmt_column_type(st, 2), ETL_COL_BLOB);
	b = etl_stmt_column_blob(st, 2, &len);
	ck_assert_uint_eq(len, 3);
	ck_assert_mem_eq(b, "\x00\xff\x41", 3);
	/* Twice: the unescaped copy is kept for the row. */
	ck_assert_ptr_eq(etl_stmt_column_blob(st, 2, &len), b);
	ck_assert_int_eq(etl_stmt_column_type(st, 3), ETL_COL_REAL);
	ck_assert(etl_stmt_column_double(st, 3) == 1.5);
	ck_assert_int_eq(etl_stmt_column_int(st, 3), 1);
	ck_assert_int_eq(etl_stmt_column_type(st, 4), ETL_COL_TEXT);
	ck_assert_str_eq(etl_stmt_column_text(st, 4, NULL),
	    "12345678901234567890");
	ck_assert_int_eq(etl_stmt_column_type(st, 5), ETL_COL_TEXT);
	ck_assert_str_eq(etl_stmt_column_text(st, 5, NULL), "{\"a\": [1, 2]}");
	ck_assert_int_eq(etl_stmt_column_type(st, 6), ETL_COL_TEXT);
	s = etl_stmt_column_text(st, 6, NULL);
	ck_assert_msg(strncmp(s, "2026-01-02 03:04:05", 19) == 0, "%s", s);
	ck_assert_int_eq(etl_stmt_column_type(st, 7), ETL_COL_INT);
	ck_assert_int_eq(etl_stmt_column_int(st, 7), 7);
	ck_assert(etl_stmt_column_double(st, 8) == 2.75);
	ck_assert_int_eq(etl_stmt_column_int(st, 8), 2);
	ck_assert_int_eq(etl_stmt_column_type(st, 9), ETL_COL_NULL);
	ck_assert_int_eq(etl_stmt_column_int(st, 9), 0);
	ck_assert_ptr_null(etl_stmt_column_blob(st, 9, &len));
	ck_assert(etl_stmt_column_double(st, 10) !=
	    etl_stmt_column_double(st, 10));
	ck_assert_int_eq(etl_stmt_column_int(st, 11), 9);
	ck_assert_int_eq(etl_stmt_step(st, &err), 0);
	etl_stmt_free(st);
	etl_db_free(db);
}
END_TEST

START_TEST(test_db_pg_double_round_trip)
{
	static const double values[] = { 0.1, 1.0 / 3, 1e-310, 5e-324,
	    1.7976931348623157e308, -0.0, 123456789012345678.0, 2.5,
	    HUGE_VAL, -HUGE_VAL };
	struct etl_db *db = open_db();
	struct etl_error err;
	struct etl_stmt *st;

	init_err(&err);
	st = etl_db_prepare(db, "SELECT $1::float8", &err);
	ck_assert_msg(st != NULL, "%s", err.message);
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		etl_stmt_reset(st);
		etl_stmt_bind_double(st, 1, values[i]);
		ck_assert_int_eq(etl_stmt_step(st, &err), 1);
		ck_assert_msg(etl_stmt_column_double(st, 0) == values[i],
		    "%.17g came back as %s", values[i],
		    etl_stmt_column_text(st, 0, NULL));
	}
	etl_stmt_free(st);
	etl_db_free(db);
}
END_TEST

START_TEST(test_db_pg_returning_rows_and_changes)
{
	struct etl_db *db = open_db();
	struct etl_error err;
	struct etl_stmt *st;
	long long sum = 0;
	int rows = 0, rc;

	init_err(&err);
	exec_ok(db, "DROP TABLE IF EXISTS t_ret; CREATE TABLE t_ret ("
	    "id BIGSERIAL PRIMARY KEY, k TEXT UNIQUE, v INT)");
	st = etl_db_prepare(db, "INSERT INTO t_ret (k, v) VALUES ($1, $2) "
	    "RETURNING id", &err);
	ck_assert_msg(st != NULL, "%s", err.message);
	for (int i = 1; i <= 3; i++) {
		char k[8];

		snprintf(k, sizeof(k), "k%d", i);
		etl_stmt_reset(st);
		etl_stmt_bind_text(st, 1, k, -1);
		etl_stmt_bind_int(st, 2, i);
		ck_assert_int_eq(etl_stmt_step(st, &err), 1);
		ck_assert_int_eq(etl_stmt_column_int(st, 0), i);
		ck_assert_int_eq(etl_stmt_step(st, &err), 0);
		ck_assert_int_eq(etl_db_changes(db), 1);
	}
	etl_stmt_free(st);
	/* An upsert of a batch: one row back per row written, and which. */
	st = etl_db_prepare(db, "INSERT INTO t_ret (k, v) SELECT 'k' || x, "
	    "x * 10 FROM generate_series(2, 5) x ON CONFLICT (k) DO UPDATE "
	    "SET v = excluded.v WHERE t_ret.v IS DISTINCT FROM excluded.v "
	    "RETURNING k, (xmax = 0) AS inserted", &err);
	ck_assert_msg(st != NULL, "%s", err.message);
	while ((rc = etl_stmt_step(st, &err)) == 1) {
		rows++;
		sum += etl_stmt_column_int(st, 1);
	}
	ck_assert_msg(rc == 0, "%s", err.message);
	ck_assert_int_eq(rows, 4);
	ck_assert_int_eq(sum, 2);
	ck_assert_int_eq(etl_db_changes(db), 4);
	etl_stmt_free(st);
	/* A DELETE of nothing: changes is 0. */
	exec_ok(db, "DELETE FROM t_ret WHERE k = 'none'");
	ck_assert_int_eq(etl_db_changes(db), 0);
	exec_ok(db, "UPDATE t_ret SET v = 0");
	ck_assert_int_eq(etl_db_changes(db), 5);
	/* A SELECT leaves it alone, as sqlite3_changes does. */
	query_is(db, "SELECT count(*) FROM t_ret", "5");
	ck_assert_int_eq(etl_db_changes(db), 5);
	etl_db_free(db);
}
END_TEST

START_TEST(test_db_pg_interleaved_statements)
{
	struct etl_db *db = open_db();
	struct etl_error err;
	struct etl_stmt *a, *b;
	long long sum = 0;
	int n = 0, rc;

	init_err(&err);
	exec_ok(db, "DROP TABLE IF EXISTS t_inter; CREATE TABLE t_inter "
	    "(x INT)");
	a = etl_db_prepare(db, "SELECT x FROM generate_series(1, 1000) x",
	    &err);
	b = etl_db_prepare(db, "INSERT INTO t_inter VALUES ($1)", &err);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	/* Each row of a goes into the table by b while a is open. */
	while ((rc = etl_stmt_step(a, &err)) == 1) {
		n++;
		sum += etl_stmt_column_int(a, 0);
		etl_stmt_reset(b);
		etl_stmt_bind_int(b, 1, etl_stmt_column_int(a, 0));
		ck_assert_int_eq(etl_stmt_step(b, &err), 0);
		if (n == 10)
			query_is(db, "SELECT count(*) FROM t_inter", "10");
	}
	ck_assert_msg(rc == 0, "%s", err.message);
	ck_assert_int_eq(n, 1000);
	ck_assert_int_eq(sum, 500500);
	query_is(db, "SELECT sum(x) FROM t_inter", "500500");
	/* Freed mid-stream: the connection goes on. */
	etl_stmt_reset(a);
	ck_assert_int_eq(etl_stmt_step(a, &err), 1);
	ck_assert_int_eq(etl_stmt_step(a, &err), 1);
	etl_stmt_free(a);
	etl_stmt_free(b);
	query_is(db, "SELECT 42", "42");
	etl_db_free(db);
}
END_TEST

START_TEST(test_db_pg_many_rows_stream)
{
	struct etl_db *db = open_db();
	struct etl_error err;
	struct etl_stmt *st;
	long long n = 0;
	int rc;

	init_err(&err);
	st = etl_db_prepare(db, "SELECT x, repeat('x', 100) FROM "
	    "generate_series(1, 200000) x", &err);
	ck_assert_ptr_nonnull(st);
	while ((rc = etl_stmt_step(st, &err)) == 1)
		n += etl_stmt_column_int(st, 0) == n + 1;
	ck_assert_msg(rc == 0, "%s", err.message);
	ck_assert_int_eq(n, 200000);
	etl_stmt_free(st);
	etl_db_free(db);
}
END_TEST

START_TEST(test_db_pg_error_mid_stream)
{
	struct etl_db *db = open_db();
	struct etl_error err;
	struct etl_stmt *st;
	int n = 0, rc;

	init_err(&err);
	st = etl_db_prepare(db, "SELECT 10 / (5 - x) FROM "
	    "generate_series(1, 10) x", &err);
	ck_assert_ptr_nonnull(st);
	while ((rc = etl_stmt_step(st, &err)) == 1)
		n++;
	ck_assert_int_eq(n, 4);
	ck_assert_int_eq(rc, -ETL_EDATA);
	ck_assert_ptr_nonnull(strstr(err.message, "division by zero"));
	etl_stmt_free(st);
	query_is(db, "SELECT 1", "1");
	etl_db_free(db);
}
END_TEST

START_TEST(test_db_pg_transactions)
{
	struct etl_db *db = open_db();
	struct etl_error err;
	int rc;

	init_err(&err);
	exec_ok(db, "DROP TABLE IF EXISTS t_tx; CREATE TABLE t_tx "
	    "(k INT PRIMARY KEY)");
	ck_assert_int_eq(etl_db_begin(db, &err), 0);
	ck_assert_int_eq(etl_db_in_transaction(db), 1);
	ck_assert_int_eq(etl_db_begin(db, &err), -ETL_EINTERNAL);
	exec_ok(db, "INSERT INTO t_tx VALUES (1)");
	etl_db_rollback(db);
	ck_assert_int_eq(etl_db_in_transaction(db), 0);
	query_is(db, "SELECT count(*) FROM t_tx", "0");

	ck_assert_int_eq(etl_db_begin(db, &err), 0);
	exec_ok(db, "INSERT INTO t_tx VALUES (1); INSERT INTO t_tx VALUES (2)");
	ck_assert_int_eq(etl_db_commit(db, &err), 0);
	ck_assert_int_eq(etl_db_in_transaction(db), 0);
	query_is(db, "SELECT count(*) FROM t_tx", "2");

	/* An error aborts a PostgreSQL transaction: COMMIT must say so. */
	ck_assert_int_eq(etl_db_begin(db, &err), 0);
	exec_ok(db, "INSERT INTO t_tx VALUES (3)");
	rc = etl_db_exec(db, "INSERT INTO t_tx VALUES (1)", &err);
	ck_assert_int_eq(rc, -ETL_EDATA);
	ck_assert_ptr_nonnull(strstr(err.message, "duplicate key"));
	rc = etl_db_exec(db, "INSERT INTO t_tx VALUES (4)", &err);
	ck_assert_int_eq(rc, -ETL_EINTERNAL);
	init_err(&err);
	rc = etl_db_commit(db, &err);
	ck_assert_int_eq(rc, -ETL_EDATA);
	ck_assert_ptr_nonnull(strstr(err.message, "rolled back"));
	ck_assert_int_eq(etl_db_in_transaction(db), 0);
	query_is(db, "SELECT count(*) FROM t_tx", "2");

	/* Freeing with a transaction open rolls it back. */
	ck_assert_int_eq(etl_db_begin(db, &err), 0);
	exec_ok(db, "INSERT INTO t_tx VALUES (5)");
	etl_db_free(db);
	db = open_db();
	query_is(db, "SELECT count(*) FROM t_tx", "2");
	etl_db_free(db);
}
END_TEST

START_TEST(test_db_pg_has_table)
{
	struct etl_db *db = open_db();
	struct etl_error err;

	init_err(&err);
	exec_ok(db, "DROP TABLE IF EXISTS \"Mixed Case\", t_has; "
	    "DROP VIEW IF EXISTS v_has; CREATE TABLE \"Mixed Case\" (x INT); "
	    "CREATE TABLE t_has (x INT); CREATE VIEW v_has AS SELECT 1 AS x");
	ck_assert_int_eq(etl_db_has_table(db, "t_has", &err), 1);
	ck_assert_int_eq(etl_db_has_table(db, "Mixed Case", &err), 1);
	ck_assert_int_eq(etl_db_has_table(db, "mixed case", &err), 0);
	ck_assert_int_eq(etl_db_has_table(db, "T_HAS", &err), 0);
	ck_assert_int_eq(etl_db_has_table(db, "no_such_table", &err), 0);
	ck_assert_int_eq(etl_db_has_table(db, "v_has", &err), 0);
	ck_assert_int_eq(etl_db_has_table(db, "x'; DROP TABLE t_has; --",
	    &err), 0);
	ck_assert_int_eq(etl_db_has_table(db, "t_has", &err), 1);
	ck_assert_int_eq(etl_db_has_table(db, "", &err), 0);
	etl_db_free(db);
}
END_TEST

struct cols {
	struct etl_buf b;
	int stop_after;
	int calls;
};

static int
col_cb(const char *name, const char *type, void *arg)
{
	struct cols *c = arg;

	etl_buf_printf(&c->b, "%s:%s;", name, type);
	return ++c->calls == c->stop_after;
}

START_TEST(test_db_pg_table_columns)
{
	struct etl_db *db = open_db();
	struct etl_error err;
	struct cols c;

	init_err(&err);
	exec_ok(db, "DROP TABLE IF EXISTS t_cols; CREATE TABLE t_cols ("
	    "id BIGINT, gone INT, \"Name\" TEXT, amount NUMERIC(10,2), "
	    "doc JSONB, at TIMESTAMPTZ, tags TEXT[]); "
	    "ALTER TABLE t_cols DROP COLUMN gone");
	memset(&c, 0, sizeof(c));
	etl_buf_init(&c.b);
	ck_assert_int_eq(etl_db_table_columns(db, "t_cols", col_cb, &c, &err),
	    0);
	ck_assert_str_eq(c.b.data, "id:bigint;Name:text;amount:numeric(10,2);"
	    "doc:jsonb;at:timestamp with time zone;tags:text[];");
	etl_buf_reset(&c.b);
	c.calls = 0;
	c.stop_after = 2;
	ck_assert_int_eq(etl_db_table_columns(db, "t_cols", col_cb, &c, &err),
	    0);
	ck_assert_int_eq(c.calls, 2);
	c.calls = 0;
	ck_assert_int_eq(etl_db_table_columns(db, "no_such", col_cb, &c,
	    &err), 0);
	ck_assert_int_eq(c.calls, 0);
	etl_buf_release(&c.b);
	etl_db_free(db);
}
END_TEST

static void
copy_row(struct etl_buf *b, const char *k, const char *v)
{
	etl_db_copy_escape(b, k, strlen(k));
	etl_buf_putc(b, '\t');
	if (v == NULL)
		etl_buf_puts(b, "\\N");
	else
		etl_db_copy_escape(b, v, strlen(v));
	etl_buf_putc(b, '\n');
}

START_TEST(test_db_pg_copy)
{
	static const char *const values[] = { "plain", "tab\there",
	    "new\nline", "back\\slash", "cr\rx", NULL, "\\N", "" };
	struct etl_db *db = open_db();
	struct etl_error err;
	struct etl_stmt *st;
	struct etl_buf b;
	int n = 0, rc;

	init_err(&err);
	etl_buf_init(&b);
	exec_ok(db, "DROP TABLE IF EXISTS t_copy; CREATE TABLE t_copy ("
	    "k TEXT PRIMARY KEY, v TEXT, n INT)");
	ck_assert_int_eq(etl_db_begin(db, &err), 0);
	rc = etl_db_copy_begin(db, "COPY t_copy (k, v) FROM STDIN", &err);
	ck_assert_msg(rc == 0, "%s", err.message);
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		char k[16];

		snprintf(k, sizeof(k), "k%zu", i);
		etl_buf_reset(&b);
		copy_row(&b, k, values[i]);
		ck_assert_int_eq(etl_db_copy_put(db, b.data, b.len, &err), 0);
	}
	rc = etl_db_copy_end(db, &err);
	ck_assert_msg(rc == 0, "%s", err.message);
	ck_assert_int_eq(etl_db_changes(db), 8);
	ck_assert_int_eq(etl_db_commit(db, &err), 0);
	st = etl_db_prepare(db, "SELECT v FROM t_copy ORDER BY k", &err);
	ck_assert_ptr_nonnull(st);
	while ((rc = etl_stmt_step(st, &err)) == 1) {
		const char *v = etl_stmt_column_text(st, 0, NULL);

		if (values[n] == NULL)
			ck_assert_ptr_null(v);
		else
			ck_assert_str_eq(v, values[n]);
		n++;
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(n, 8);
	etl_stmt_free(st);

	/* Bad data: the error names the COPY line; nothing is kept. */
	ck_assert_int_eq(etl_db_begin(db, &err), 0);
	ck_assert_int_eq(etl_db_copy_begin(db, "COPY t_copy (k, n) FROM STDIN",
	    &err), 0);
	etl_db_copy_put(db, "a\t1\nb\tnot-a-number\n", 19, &err);
	rc = etl_db_copy_end(db, &err);
	ck_assert_int_eq(rc, -ETL_EDATA);
	ck_assert_msg(strstr(err.message, "line 2") != NULL, "%s",
	    err.message);
	ck_assert_str_eq(err.source, etl_db_name(db));
	etl_db_rollback(db);
	query_is(db, "SELECT count(*) FROM t_copy", "8");

	/* A copy left open: rollback ends it, the connection goes on. */
	ck_assert_int_eq(etl_db_begin(db, &err), 0);
	ck_assert_int_eq(etl_db_copy_begin(db, "COPY t_copy (k) FROM STDIN",
	    &err), 0);
	etl_db_copy_put(db, "zz\n", 3, &err);
	etl_db_rollback(db);
	query_is(db, "SELECT count(*) FROM t_copy", "8");

	/* Misuse is an internal error, not a hang. */
	ck_assert_int_eq(etl_db_copy_begin(db, "SELECT 1", &err),
	    -ETL_EINTERNAL);
	ck_assert_int_eq(etl_db_copy_put(db, "x\n", 2, &err), -ETL_EINTERNAL);
	ck_assert_int_eq(etl_db_copy_end(db, &err), -ETL_EINTERNAL);
	ck_assert_int_eq(etl_db_exec(db, "COPY t_copy (k) FROM STDIN", &err),
	    -ETL_EINTERNAL);
	ck_assert_int_eq(etl_db_exec(db, "COPY t_copy TO STDOUT", &err),
	    -ETL_EINTERNAL);
	ck_assert_int_eq(etl_db_copy_begin(db, "COPY no_such FROM STDIN",
	    &err), -ETL_EINTERNAL);
	query_is(db, "SELECT count(*) FROM t_copy", "8");
	etl_buf_release(&b);
	etl_db_free(db);
}
END_TEST

START_TEST(test_db_pg_error_kinds)
{
	struct etl_db *db = open_db();
	struct etl_error err;
	struct etl_stmt *st;

	init_err(&err);
	exec_ok(db, "DROP TABLE IF EXISTS t_err; CREATE TABLE t_err ("
	    "k INT PRIMARY KEY, v VARCHAR(3) NOT NULL)");
	ck_assert_int_eq(etl_db_exec(db, "SELEC 1", &err), -ETL_EINTERNAL);
	ck_assert_ptr_nonnull(strstr(err.message, "syntax error"));
	ck_assert_str_eq(err.source, etl_db_name(db));
	ck_assert_ptr_null(strchr(err.message, '\n'));
	ck_assert_ptr_null(etl_db_prepare(db, "SELECT * FROM no_such", &err));
	ck_assert_int_eq(err.kind, ETL_EINTERNAL);
	ck_assert_ptr_nonnull(strstr(err.message, "does not exist"));

	st = etl_db_prepare(db, "INSERT INTO t_err VALUES ($1, $2)", &err);
	ck_assert_ptr_nonnull(st);
	etl_stmt_bind_int(st, 1, 1);
	etl_stmt_bind_text(st, 2, "abc", -1);
	ck_assert_int_eq(etl_stmt_step(st, &err), 0);
	etl_stmt_reset(st);
	etl_stmt_bind_int(st, 1, 1);
	etl_stmt_bind_text(st, 2, "abc", -1);
	ck_assert_int_eq(etl_stmt_step(st, &err), -ETL_EDATA); /* 23505 */
	etl_stmt_reset(st);
	etl_stmt_bind_int(st, 1, 2);
	ck_assert_int_eq(etl_stmt_step(st, &err), -ETL_EDATA); /* 23502 */
	etl_stmt_reset(st);
	etl_stmt_bind_int(st, 1, 3);
	etl_stmt_bind_text(st, 2, "abcd", -1);
	ck_assert_int_eq(etl_stmt_step(st, &err), -ETL_EDATA); /* 22001 */
	etl_stmt_reset(st);
	etl_stmt_bind_text(st, 1, "x", -1);
	etl_stmt_bind_text(st, 2, "a", -1);
	ck_assert_int_eq(etl_stmt_step(st, &err), -ETL_EDATA); /* 22P02 */
	etl_stmt_reset(st);
	etl_stmt_bind_int(st, 1, 4);
	ck_assert_int_eq(etl_stmt_bind_text(st, 2, "a\0b", 3), -1);
	ck_assert_int_eq(etl_stmt_step(st, &err), -ETL_EDATA);
	ck_assert_ptr_nonnull(strstr(err.message, "NUL"));
	etl_stmt_reset(st);
	etl_stmt_bind_int(st, 1, 5);
	etl_stmt_bind_text(st, 2, "\xff", -1);
	ck_assert_int_eq(etl_stmt_step(st, &err), -ETL_EDATA); /* 22021 */
	etl_stmt_free(st);
	query_is(db, "SELECT count(*) FROM t_err", "1");
	etl_db_free(db);
}
END_TEST

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

START_TEST(test_db_pg_lock_is_tempfail)
{
	struct etl_db *a = open_db(), *b = open_with(pg_uri, 200);
	struct etl_error err;
	double t0;
	int rc;

	init_err(&err);
	exec_ok(a, "DROP TABLE IF EXISTS t_lock; CREATE TABLE t_lock "
	    "(k INT PRIMARY KEY, v INT); INSERT INTO t_lock VALUES (1, 1)");
	/* A writer holds the database: another writer waits, then 75. */
	ck_assert_int_eq(etl_db_begin(a, &err), 0);
	t0 = now_s();
	rc = etl_db_begin(b, &err);
	ck_assert_int_eq(rc, -ETL_ETEMPFAIL);
	ck_assert_msg(now_s() - t0 < 3, "waited %.1f s", now_s() - t0);
	ck_assert_int_eq(etl_db_in_transaction(b), 0);
	ck_assert_str_eq(err.source, etl_db_name(b));
	/* A row lock held by a's transaction: b's update gives up. */
	exec_ok(a, "UPDATE t_lock SET v = 2 WHERE k = 1");
	rc = etl_db_exec(b, "UPDATE t_lock SET v = 3 WHERE k = 1", &err);
	ck_assert_int_eq(rc, -ETL_ETEMPFAIL);
	ck_assert_ptr_nonnull(strstr(err.message, "lock"));
	/* Readers are not blocked. */
	query_is(b, "SELECT v FROM t_lock", "1");
	ck_assert_int_eq(etl_db_commit(a, &err), 0);
	ck_assert_int_eq(etl_db_begin(b, &err), 0);
	exec_ok(b, "UPDATE t_lock SET v = 3 WHERE k = 1");
	ck_assert_int_eq(etl_db_commit(b, &err), 0);
	query_is(a, "SELECT v FROM t_lock", "3");
	etl_db_free(a);
	etl_db_free(b);
}
END_TEST

/* SIGINT cancels a running query: no waiting it out. */
START_TEST(test_db_pg_signal_cancels_query)
{
	struct etl_db *db = open_db();
	struct etl_error err;
	struct etl_stmt *st;
	double t0;
	pid_t pid;

	init_err(&err);
	etl_signals_install();
	st = etl_db_prepare(db, "SELECT pg_sleep(20)", &err);
	ck_assert_ptr_nonnull(st);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		usleep(300000);
		kill(getppid(), SIGINT);
		_exit(0);
	}
	t0 = now_s();
	/* Back early only if the server ended the query: it was cancelled. */
	ck_assert_int_eq(etl_stmt_step(st, &err), -ETL_EINTR);
	ck_assert_msg(now_s() - t0 < 5, "took %.1f s", now_s() - t0);
	ck_assert_str_eq(err.message, "interrupted");
	waitpid(pid, NULL, 0);
	etl_stmt_free(st);
	etl_db_free(db);
}
END_TEST

/* pg_uri with its user info, port or database replaced. */
static void
uri_with(char *buf, size_t n, const char *password, int port,
    const char *dbname)
{
	snprintf(buf, n, "postgresql://etl:%s@127.0.0.1:%d/%s", password, port,
	    dbname);
}

static void
open_fails(const char *uri, enum etl_kind kind, const char *needle)
{
	struct etl_db_opts opts = { 0, 1000 };
	struct etl_error err;
	struct etl_db *db;

	init_err(&err);
	db = etl_db_new(uri, &opts, &err);
	ck_assert_ptr_null(db);
	ck_assert_msg(err.kind == kind, "%s: kind %d: %s", uri, err.kind,
	    err.message);
	ck_assert_msg(strstr(err.message, needle) != NULL, "%s", err.message);
	ck_assert_ptr_null(strchr(err.message, '\n'));
	ck_assert_ptr_null(strstr(err.message, pg_password));
	ck_assert_ptr_null(strstr(err.source, pg_password));
}

START_TEST(test_db_pg_connect_errors)
{
	char uri[600];
	struct etl_error err;

	/* Nothing listens on port 1. */
	uri_with(uri, sizeof(uri), pg_password, 1, "etl");
	open_fails(uri, ETL_EUNAVAILABLE, "cannot connect");
	uri_with(uri, sizeof(uri), "wrong-Secret-42", pg_port, "etl");
	open_fails(uri, ETL_EUNAVAILABLE, "password authentication failed");
	{
		struct etl_db_opts opts = { 0, 1000 };

		init_err(&err);
		ck_assert_ptr_null(etl_db_new(uri, &opts, &err));
		ck_assert_ptr_null(strstr(err.message, "wrong-Secret-42"));
		ck_assert_ptr_null(strstr(err.source, "wrong-Secret-42"));
		ck_assert_ptr_nonnull(strstr(err.source, "etl:***@"));
	}
	uri_with(uri, sizeof(uri), pg_password, pg_port, "no_such_db");
	open_fails(uri, ETL_EUNAVAILABLE, "does not exist");
	snprintf(uri, sizeof(uri), "postgresql://etl:%s@127.0.0.1:%d/etl?"
	    "password=%s&bogus_option=1", pg_password, pg_port, pg_password);
	open_fails(uri, ETL_ECONFIG, "bogus_option");
	snprintf(uri, sizeof(uri), "postgresql://etl:%s@127.0.0.1:notaport/etl",
	    pg_password);
	open_fails(uri, ETL_EUNAVAILABLE, "notaport");
}
END_TEST

struct wm_list {
	struct etl_buf b;
};

static int
wm_cb(const struct etl_watermark *w, void *arg)
{
	struct wm_list *l = arg;

	etl_buf_printf(&l->b, "%s=%s/%s;", w->key, w->value ? w->value : "-",
	    w->pending ? w->pending : "-");
	return 0;
}

START_TEST(test_db_pg_watermarks)
{
	struct etl_db *db = open_db();
	struct etl_error err;
	struct etl_watermark w;
	struct etl_summary sum;
	struct wm_list l;
	char *value = NULL;
	long long id = 0, id2 = 0;
	int moved;

	init_err(&err);
	exec_ok(db, "DROP TABLE IF EXISTS _etl_watermarks, _etl_runs");
	/* No table yet: unset, nothing to delete or list. */
	ck_assert_int_eq(etl_watermark_get(db, "k", &w, &err), 0);
	ck_assert_int_eq(etl_watermark_delete(db, "k", &err), 0);
	ck_assert_int_eq(etl_state_ensure(db, &err), 0);
	ck_assert_int_eq(etl_state_ensure(db, &err), 0);

	ck_assert_int_eq(etl_db_begin(db, &err), 0);
	ck_assert_int_eq(etl_watermark_advance(db, "k", "10", 0, &moved, &err),
	    0);
	ck_assert_int_eq(moved, 1);
	ck_assert_int_eq(etl_watermark_advance(db, "k", "9", 0, &moved, &err),
	    0);
	ck_assert_int_eq(moved, 0);
	ck_assert_int_eq(etl_watermark_advance(db, "k", "12345678901234567890",
	    0, &moved, &err), 0);
	ck_assert_int_eq(moved, 1);
	ck_assert_int_eq(etl_db_commit(db, &err), 0);
	ck_assert_int_eq(etl_watermark_get(db, "k", &w, &err), 1);
	ck_assert_str_eq(w.value, "12345678901234567890");
	ck_assert_ptr_null(w.pending);
	ck_assert_msg(strncmp(w.updated_at, "20", 2) == 0 &&
	    w.updated_at[strlen(w.updated_at) - 1] == 'Z', "%s", w.updated_at);
	etl_watermark_release(&w);

	ck_assert_int_eq(etl_watermark_advance(db, "k", "2026-01-01T00:00:00Z",
	    0, &moved, &err), -ETL_EDATA);
	ck_assert_int_eq(etl_watermark_advance(db, "t", "2026-01-01T00:00:00Z",
	    0, &moved, &err), 0);
	ck_assert_int_eq(etl_watermark_set_pending(db, "t",
	    "2026-02-01T00:00:00+01:00", &err), 0);
	ck_assert_int_eq(etl_watermark_commit(db, "t", &value, &err), 1);
	ck_assert_str_eq(value, "2026-02-01T00:00:00+01:00");
	free(value);
	ck_assert_int_eq(etl_watermark_commit(db, "t", &value, &err), 0);
	ck_assert_str_eq(value, "2026-02-01T00:00:00+01:00");
	free(value);
	ck_assert_int_eq(etl_watermark_set_pending(db, "p", "5", &err), 0);

	memset(&l, 0, sizeof(l));
	etl_buf_init(&l.b);
	ck_assert_int_eq(etl_watermark_foreach(db, wm_cb, &l, &err), 0);
	ck_assert_str_eq(l.b.data, "k=12345678901234567890/-;p=-/5;"
	    "t=2026-02-01T00:00:00+01:00/-;");
	etl_buf_release(&l.b);
	ck_assert_int_eq(etl_watermark_delete(db, "p", &err), 1);
	ck_assert_int_eq(etl_watermark_delete(db, "p", &err), 0);

	/* Runs: RETURNING id of a BIGSERIAL, counts written back. */
	ck_assert_int_eq(etl_run_start(db, "etl-test", "t", "spec v1", &id,
	    &err), 0);
	ck_assert_int_eq(etl_run_start(db, "etl-test", "t", NULL, &id2, &err),
	    0);
	ck_assert_int_gt(id, 0);
	ck_assert_int_eq(id2, id + 1);
	etl_summary_init(&sum);
	*etl_summary_counter(&sum, "read") = 7;
	*etl_summary_counter(&sum, "inserted") = 5;
	ck_assert_int_eq(etl_run_finish(db, id, &sum, ETL_OK, "fine", &err),
	    0);
	etl_summary_release(&sum);
	query_is(db, "SELECT status || ' ' || read || ' ' || inserted || "
	    "' ' || rejected || ' ' || note FROM _etl_runs WHERE id = "
	    "(SELECT min(id) FROM _etl_runs)", "ok 7 5 0 fine");
	etl_db_free(db);
}
END_TEST

/* Start the server: 0, or 77 to skip (reason printed), or -1. */
static int
pg_start(void)
{
	const char *src = getenv("ETL_SRC");
	char cmd[1024], *nl, *at, *colon;
	FILE *p;
	int status;

	snprintf(pg_dir, sizeof(pg_dir), "/tmp/etl-pgunit.XXXXXX");
	if (mkdtemp(pg_dir) == NULL) {
		perror("mkdtemp");
		return -1;
	}
	snprintf(cmd, sizeof(cmd), "%s/scripts/pg-start '%s'",
	    src != NULL ? src : ".", pg_dir);
	p = popen(cmd, "r");
	if (p == NULL) {
		perror("popen");
		return -1;
	}
	if (fgets(pg_uri, sizeof(pg_uri), p) == NULL)
		pg_uri[0] = '\0';
	status = pclose(p);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 77) {
		rmdir(pg_dir);
		return 77;
	}
	if (status != 0 || pg_uri[0] == '\0') {
		fprintf(stderr, "check_db_pg: scripts/pg-start failed\n");
		return -1;
	}
	if ((nl = strchr(pg_uri, '\n')) != NULL)
		*nl = '\0';
	/* postgresql://etl:PASSWORD@127.0.0.1:PORT/etl */
	colon = strchr(pg_uri + strlen("postgresql://"), ':');
	at = strchr(pg_uri, '@');
	if (colon == NULL || at == NULL || (size_t)(at - colon - 1) >=
	    sizeof(pg_password)) {
		fprintf(stderr, "check_db_pg: unexpected URI\n");
		return -1;
	}
	memcpy(pg_password, colon + 1, (size_t)(at - colon - 1));
	pg_port = (int)strtol(strrchr(pg_uri, ':') + 1, NULL, 10);
	return 0;
}

static void
pg_stop(void)
{
	const char *src = getenv("ETL_SRC");
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "%s/scripts/pg-stop '%s'",
	    src != NULL ? src : ".", pg_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "check_db_pg: pg-stop failed\n");
}

static Suite *
db_pg_suite(void)
{
	Suite *s = suite_create("db_pg");
	TCase *tc = tcase_create("postgresql");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_db_pg_open_names_backend_and_hides_password);
	tcase_add_test(tc, test_db_pg_prepare_bind_step_columns);
	tcase_add_test(tc, test_db_pg_column_types);
	tcase_add_test(tc, test_db_pg_double_round_trip);
	tcase_add_test(tc, test_db_pg_returning_rows_and_changes);
	tcase_add_test(tc, test_db_pg_interleaved_statements);
	tcase_add_test(tc, test_db_pg_many_rows_stream);
	tcase_add_test(tc, test_db_pg_error_mid_stream);
	tcase_add_test(tc, test_db_pg_transactions);
	tcase_add_test(tc, test_db_pg_has_table);
	tcase_add_test(tc, test_db_pg_table_columns);
	tcase_add_test(tc, test_db_pg_copy);
	tcase_add_test(tc, test_db_pg_error_kinds);
	tcase_add_test(tc, test_db_pg_lock_is_tempfail);
	tcase_add_test(tc, test_db_pg_signal_cancels_query);
	tcase_add_test(tc, test_db_pg_connect_errors);
	tcase_add_test(tc, test_db_pg_watermarks);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	int rc = pg_start();

	if (rc == 77) {
		printf("check_db_pg: skipped: no PostgreSQL server here\n");
		return EXIT_SUCCESS;
	}
	if (rc < 0) {
		pg_stop();
		return EXIT_FAILURE;
	}
	rc = unit_run(db_pg_suite());
	pg_stop();
	return rc;
}
