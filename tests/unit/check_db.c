/* Unit tests of lib/db.c and lib/db_sqlite.c: the SQLite backend. */
#include <sys/stat.h>

#include "db.h"
#include "strbuf.h"
#include "unit.h"

static struct etl_db *
open_db(const char *name, int create, int64_t busy_ms)
{
	char path[1024];
	struct etl_db_opts opts = { create, busy_ms };
	struct etl_error err;
	struct etl_db *db;

	etl_error_init(&err);
	unit_path(path, sizeof(path), name);
	db = etl_db_new(path, &opts, &err);
	ck_assert_msg(db != NULL, "%s: %s", path, err.message);
	return db;
}

static void
exec_ok(struct etl_db *db, const char *sql)
{
	struct etl_error err;

	etl_error_init(&err);
	ck_assert_msg(etl_db_exec(db, sql, &err) == 0, "%s: %s", sql,
	    err.message);
}

/* The single integer a query returns. */
static long long
query_int(struct etl_db *db, const char *sql)
{
	struct etl_error err;
	struct etl_stmt *st = etl_db_prepare(db, sql, &err);
	long long v;

	ck_assert_msg(st != NULL, "%s: %s", sql, err.message);
	ck_assert_int_eq(etl_stmt_step(st, &err), 1);
	v = etl_stmt_column_int(st, 0);
	ck_assert_int_eq(etl_stmt_step(st, &err), 0);
	etl_stmt_free(st);
	return v;
}

START_TEST(test_db_new_file_mode_0600)
{
	char path[1024], wal[1100];
	struct etl_db *db;
	struct stat sb;

	umask(022);
	db = open_db("mode.db", 1, 1000);
	unit_path(path, sizeof(path), "mode.db");
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
	/* The write-ahead log gets the same mode as the database. */
	exec_ok(db, "CREATE TABLE t (a); INSERT INTO t VALUES (1)");
	snprintf(wal, sizeof(wal), "%s-wal", path);
	ck_assert_int_eq(stat(wal, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
	etl_db_free(db);
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
}
END_TEST

START_TEST(test_db_existing_file_mode_kept)
{
	char path[1024];
	struct etl_db *db;
	struct stat sb;

	umask(022);
	db = open_db("kept.db", 1, 1000);
	etl_db_free(db);
	unit_path(path, sizeof(path), "kept.db");
	ck_assert_int_eq(chmod(path, 0640), 0);
	db = open_db("kept.db", 1, 1000);
	etl_db_free(db);
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0640);
}
END_TEST

START_TEST(test_db_missing_without_create)
{
	char path[1024];
	struct etl_db_opts opts = { 0, 1000 };
	struct etl_error err;
	struct stat sb;

	etl_error_init(&err);
	unit_path(path, sizeof(path), "missing.db");
	ck_assert_ptr_null(etl_db_new(path, &opts, &err));
	ck_assert_int_eq(err.kind, ETL_ENOINPUT);
	ck_assert_int_eq(etl_exit_code(err.kind), 66);
	ck_assert_str_eq(err.source, path);
	/* Nothing was created. */
	ck_assert_int_eq(stat(path, &sb), -1);
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

START_TEST(test_db_directory_or_garbage_rejected)
{
	static const char text[] = "this is not a database, only some text "
	    "that is long enough to hold a header\n";
	char path[1024];
	struct etl_db_opts opts = { 1, 1000 };
	struct etl_error err;

	etl_error_init(&err);
	ck_assert_ptr_null(etl_db_new(unit_tmpdir, &opts, &err));
	ck_assert_int_eq(err.kind, ETL_ENOINPUT);

	unit_path(path, sizeof(path), "text.db");
	unit_write_file(path, text, sizeof(text) - 1);
	etl_error_init(&err);
	ck_assert_ptr_null(etl_db_new(path, &opts, &err));
	ck_assert_int_eq(err.kind, ETL_ENOINPUT);
	ck_assert_uint_gt(strlen(err.message), 0);

	unit_path(path, sizeof(path), "no-dir/x.db");
	etl_error_init(&err);
	ck_assert_ptr_null(etl_db_new(path, &opts, &err));
	ck_assert_int_eq(err.kind, ETL_ECANTCREAT);
}
END_TEST

START_TEST(test_db_journal_mode_wal)
{
	struct etl_db *db = open_db("wal.db", 1, 1000);
	struct etl_error err;
	struct etl_stmt *st;

	st = etl_db_prepare(db, "PRAGMA journal_mode", &err);
	ck_assert_ptr_nonnull(st);
	ck_assert_int_eq(etl_stmt_step(st, &err), 1);
	ck_assert_str_eq(etl_stmt_column_text(st, 0, NULL), "wal");
	etl_stmt_free(st);
	ck_assert_str_eq(etl_db_backend(db), "sqlite");
	ck_assert_ptr_nonnull(strstr(etl_db_name(db), "wal.db"));
	etl_db_free(db);
	/* Also when opened again. */
	db = open_db("wal.db", 0, 1000);
	st = etl_db_prepare(db, "PRAGMA journal_mode", &err);
	ck_assert_int_eq(etl_stmt_step(st, &err), 1);
	ck_assert_str_eq(etl_stmt_column_text(st, 0, NULL), "wal");
	etl_stmt_free(st);
	etl_db_free(db);
	etl_db_free(NULL);
}
END_TEST

START_TEST(test_db_default_target)
{
	ck_assert_int_eq(unsetenv("ETL_DB"), 0);
	ck_assert_str_eq(etl_db_default_target(NULL), "etl.db");
	ck_assert_str_eq(etl_db_default_target(""), "etl.db");
	ck_assert_str_eq(etl_db_default_target("x.db"), "x.db");
	ck_assert_int_eq(setenv("ETL_DB", "/tmp/env.db", 1), 0);
	ck_assert_str_eq(etl_db_default_target(NULL), "/tmp/env.db");
	ck_assert_str_eq(etl_db_default_target("x.db"), "x.db");
	ck_assert_int_eq(setenv("ETL_DB", "", 1), 0);
	ck_assert_str_eq(etl_db_default_target(NULL), "etl.db");
}
END_TEST

static void
quote_is(const char *name, const char *want)
{
	char *q = etl_db_quote_ident(name);

	ck_assert_ptr_nonnull(q);
	ck_assert_str_eq(q, want);
	free(q);
}

START_TEST(test_db_quote_ident)
{
	quote_is("orders", "\"orders\"");
	quote_is("", "\"\"");
	quote_is("a\"b", "\"a\"\"b\"");
	quote_is("\"", "\"\"\"\"");
	quote_is("\"\"x\"", "\"\"\"\"\"x\"\"\"");
	quote_is("with space; DROP TABLE t", "\"with space; DROP TABLE t\"");
	quote_is("caf\xc3\xa9", "\"caf\xc3\xa9\"");
}
END_TEST

START_TEST(test_db_quote_ident_in_sql)
{
	static const char *const names[] = { "we\"ird table", "\"", "select",
	    "a;b", "$1" };
	struct etl_db *db = open_db("quote.db", 1, 1000);
	struct etl_error err;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char *q = etl_db_quote_ident(names[i]), sql[512];

		ck_assert_int_eq(etl_db_has_table(db, names[i], &err), 0);
		snprintf(sql, sizeof(sql), "CREATE TABLE %s (%s INTEGER); "
		    "INSERT INTO %s VALUES (%zu)", q, q, q, i);
		exec_ok(db, sql);
		ck_assert_int_eq(etl_db_has_table(db, names[i], &err), 1);
		snprintf(sql, sizeof(sql), "SELECT %s FROM %s", q, q);
		ck_assert_int_eq(query_int(db, sql), (long long)i);
		free(q);
	}
	etl_db_free(db);
}
END_TEST

START_TEST(test_db_params_out_of_order)
{
	struct etl_db *db = open_db("params.db", 1, 1000);
	struct etl_error err;
	struct etl_stmt *st;

	st = etl_db_prepare(db, "SELECT $2 || '-' || $1, $1", &err);
	ck_assert_msg(st != NULL, "%s", err.message);
	ck_assert_int_eq(etl_stmt_bind_text(st, 1, "a", -1), 0);
	ck_assert_int_eq(etl_stmt_bind_text(st, 2, "bcd", 1), 0);
	ck_assert_int_eq(etl_stmt_step(st, &err), 1);
	ck_assert_str_eq(etl_stmt_column_text(st, 0, NULL), "b-a");
	ck_assert_str_eq(etl_stmt_column_text(st, 1, NULL), "a");
	ck_assert_int_eq(etl_stmt_step(st, &err), 0);
	/* Reset clears the bindings: now NULL || ... is NULL. */
	etl_stmt_reset(st);
	ck_assert_int_eq(etl_stmt_bind_text(st, 1, "x", -1), 0);
	ck_assert_int_eq(etl_stmt_step(st, &err), 1);
	ck_assert_int_eq(etl_stmt_column_type(st, 0), ETL_COL_NULL);
	ck_assert_ptr_null(etl_stmt_column_text(st, 0, NULL));
	etl_stmt_free(st);

	/* "$1" inside quotes is text, not a parameter; $10 is one. */
	st = etl_db_prepare(db, "SELECT '$1', $10, \"$1\", $1 FROM (SELECT "
	    "1 AS \"$1\")", &err);
	ck_assert_msg(st != NULL, "%s", err.message);
	ck_assert_int_eq(etl_stmt_bind_int(st, 10, 10), 0);
	ck_assert_int_eq(etl_stmt_bind_int(st, 1, -1), 0);
	ck_assert_int_eq(etl_stmt_step(st, &err), 1);
	ck_assert_str_eq(etl_stmt_column_text(st, 0, NULL), "$1");
	ck_assert_int_eq(etl_stmt_column_int(st, 1), 10);
	ck_assert_int_eq(etl_stmt_column_int(st, 2), 1);
	ck_assert_int_eq(etl_stmt_column_int(st, 3), -1);
	etl_stmt_free(st);
	etl_stmt_free(NULL);
	etl_db_free(db);
}
END_TEST

START_TEST(test_db_column_types)
{
	struct etl_db *db = open_db("types.db", 1, 1000);
	struct etl_error err;
	struct etl_stmt *st;
	const void *blob;
	const char *text;
	size_t len;

	exec_ok(db, "CREATE TABLE t (i INTEGER, r REAL, s TEXT, n, b BLOB)");
	st = etl_db_prepare(db, "INSERT INTO t VALUES ($1, $2, $3, $4, "
	    "X'00ff10')", &err);
	ck_assert_ptr_nonnull(st);
	ck_assert_int_eq(etl_stmt_bind_int(st, 1, 9223372036854775807LL), 0);
	ck_assert_int_eq(etl_stmt_bind_double(st, 2, 1.5), 0);
	ck_assert_int_eq(etl_stmt_bind_text(st, 3, "a\0b", 3), 0);
	ck_assert_int_eq(etl_stmt_bind_null(st, 4), 0);
	ck_assert_int_eq(etl_stmt_step(st, &err), 0);
	ck_assert_int_eq(etl_db_changes(db), 1);
	etl_stmt_free(st);

	st = etl_db_prepare(db, "SELECT i, r, s, n, b FROM t", &err);
	ck_assert_ptr_nonnull(st);
	ck_assert_int_eq(etl_stmt_columns(st), 5);
	ck_assert_str_eq(etl_stmt_column_name(st, 0), "i");
	ck_assert_str_eq(etl_stmt_column_name(st, 4), "b");
	ck_assert_int_eq(etl_stmt_step(st, &err), 1);
	ck_assert_int_eq(etl_stmt_column_type(st, 0), ETL_COL_INT);
	ck_assert_int_eq(etl_stmt_column_type(st, 1), ETL_COL_REAL);
	ck_assert_int_eq(etl_stmt_column_type(st, 2), ETL_COL_TEXT);
	ck_assert_int_eq(etl_stmt_column_type(st, 3), ETL_COL_NULL);
	ck_assert_int_eq(etl_stmt_column_type(st, 4), ETL_COL_BLOB);
	ck_assert_int_eq(etl_stmt_column_int(st, 0), 9223372036854775807LL);
	ck_assert(etl_stmt_column_double(st, 1) == 1.5);
	text = etl_stmt_column_text(st, 2, &len);
	ck_assert_uint_eq(len, 3);
	ck_assert_mem_eq(text, "a\0b", 3);
	ck_assert_ptr_null(etl_stmt_column_text(st, 3, &len));
	blob = etl_stmt_column_blob(st, 4, &len);
	ck_assert_uint_eq(len, 3);
	ck_assert_mem_eq(blob, "\x00\xff\x10", 3);
	ck_assert_int_eq(etl_stmt_step(st, &err), 0);
	etl_stmt_free(st);
	etl_db_free(db);
}
END_TEST

START_TEST(test_db_transactions)
{
	struct etl_db *db = open_db("tx.db", 1, 1000);
	struct etl_error err;

	exec_ok(db, "CREATE TABLE t (a INTEGER)");
	ck_assert_int_eq(etl_db_in_transaction(db), 0);

	ck_assert_int_eq(etl_db_begin(db, &err), 0);
	ck_assert_int_eq(etl_db_in_transaction(db), 1);
	exec_ok(db, "INSERT INTO t VALUES (1)");
	ck_assert_int_eq(etl_db_commit(db, &err), 0);
	ck_assert_int_eq(etl_db_in_transaction(db), 0);
	ck_assert_int_eq(query_int(db, "SELECT count(*) FROM t"), 1);

	ck_assert_int_eq(etl_db_begin(db, &err), 0);
	exec_ok(db, "INSERT INTO t VALUES (2); INSERT INTO t VALUES (3)");
	ck_assert_int_eq(query_int(db, "SELECT count(*) FROM t"), 3);
	etl_db_rollback(db);
	ck_assert_int_eq(etl_db_in_transaction(db), 0);
	ck_assert_int_eq(query_int(db, "SELECT count(*) FROM t"), 1);
	/* Rollback without a transaction does nothing. */
	etl_db_rollback(db);

	/* Closing with a transaction open rolls it back. */
	ck_assert_int_eq(etl_db_begin(db, &err), 0);
	exec_ok(db, "INSERT INTO t VALUES (4)");
	etl_db_free(db);
	db = open_db("tx.db", 0, 1000);
	ck_assert_int_eq(query_int(db, "SELECT count(*) FROM t"), 1);
	ck_assert_int_eq(query_int(db, "SELECT a FROM t"), 1);
	etl_db_free(db);
}
END_TEST

START_TEST(test_db_changes_count)
{
	struct etl_db *db = open_db("changes.db", 1, 1000);

	exec_ok(db, "CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1), "
	    "(2), (3), (4)");
	exec_ok(db, "UPDATE t SET a = a + 10 WHERE a > 1");
	ck_assert_int_eq(etl_db_changes(db), 3);
	exec_ok(db, "DELETE FROM t WHERE a > 100");
	ck_assert_int_eq(etl_db_changes(db), 0);
	etl_db_free(db);
}
END_TEST

START_TEST(test_db_errors)
{
	struct etl_db *db = open_db("errors.db", 1, 1000);
	struct etl_error err;
	struct etl_stmt *st;

	etl_error_init(&err);
	ck_assert_int_lt(etl_db_exec(db, "SELEC nonsense", &err), 0);
	ck_assert_int_eq(err.kind, ETL_EINTERNAL);
	ck_assert_ptr_nonnull(strstr(err.message, "syntax error"));

	etl_error_init(&err);
	ck_assert_ptr_null(etl_db_prepare(db, "SELECT * FROM nowhere", &err));
	ck_assert_ptr_nonnull(strstr(err.message, "no such table"));

	/* A constraint violation is bad data. */
	exec_ok(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, v NOT NULL)");
	st = etl_db_prepare(db, "INSERT INTO t VALUES ($1, $2)", &err);
	ck_assert_ptr_nonnull(st);
	etl_stmt_bind_int(st, 1, 1);
	etl_stmt_bind_text(st, 2, "x", -1);
	ck_assert_int_eq(etl_stmt_step(st, &err), 0);
	etl_stmt_reset(st);
	etl_stmt_bind_int(st, 1, 1);
	etl_stmt_bind_text(st, 2, "y", -1);
	etl_error_init(&err);
	ck_assert_int_eq(etl_stmt_step(st, &err), -ETL_EDATA);
	ck_assert_int_eq(err.kind, ETL_EDATA);
	/* The statement can be used again after the failure. */
	etl_stmt_reset(st);
	etl_stmt_bind_int(st, 1, 2);
	etl_stmt_bind_text(st, 2, NULL, -1);
	ck_assert_int_eq(etl_stmt_step(st, &err), -ETL_EDATA);
	etl_stmt_reset(st);
	etl_stmt_bind_int(st, 1, 2);
	etl_stmt_bind_text(st, 2, "z", -1);
	ck_assert_int_eq(etl_stmt_step(st, &err), 0);
	etl_stmt_free(st);
	ck_assert_int_eq(query_int(db, "SELECT count(*) FROM t"), 2);
	etl_db_free(db);
}
END_TEST

START_TEST(test_db_busy_is_tempfail)
{
	struct etl_db *holder = open_db("busy.db", 1, 1000);
	struct etl_db *db = open_db("busy.db", 0, 50);
	struct etl_error err;

	exec_ok(holder, "CREATE TABLE t (a INTEGER)");
	etl_error_init(&err);
	ck_assert_int_eq(etl_db_begin(holder, &err), 0);
	exec_ok(holder, "INSERT INTO t VALUES (1)");

	etl_error_init(&err);
	ck_assert_int_eq(etl_db_begin(db, &err), -ETL_ETEMPFAIL);
	ck_assert_int_eq(err.kind, ETL_ETEMPFAIL);
	ck_assert_int_eq(etl_exit_code(err.kind), 75);
	ck_assert_int_eq(etl_db_in_transaction(db), 0);
	/* WAL: reading goes on while the other connection writes. */
	ck_assert_int_eq(query_int(db, "SELECT count(*) FROM t"), 0);

	ck_assert_int_eq(etl_db_commit(holder, &err), 0);
	ck_assert_int_eq(etl_db_begin(db, &err), 0);
	exec_ok(db, "INSERT INTO t VALUES (2)");
	ck_assert_int_eq(etl_db_commit(db, &err), 0);
	ck_assert_int_eq(query_int(holder, "SELECT count(*) FROM t"), 2);
	etl_db_free(db);
	etl_db_free(holder);
}
END_TEST

static int
collect_column(const char *name, const char *type, void *ctx)
{
	struct etl_buf *b = ctx;

	return etl_buf_printf(b, "%s:%s;", name, type ? type : "(null)");
}

START_TEST(test_db_table_columns)
{
	struct etl_db *db = open_db("cols.db", 1, 1000);
	struct etl_error err;
	struct etl_buf b;

	etl_buf_init(&b);
	exec_ok(db, "CREATE TABLE t (id INTEGER, \"a b\" TEXT, c)");
	ck_assert_int_eq(etl_db_table_columns(db, "t", collect_column, &b,
	    &err), 0);
	ck_assert_str_eq(b.data, "id:INTEGER;a b:TEXT;c:;");
	etl_buf_reset(&b);
	ck_assert_int_eq(etl_db_table_columns(db, "none", collect_column, &b,
	    &err), 0);
	ck_assert_uint_eq(b.len, 0);
	etl_buf_release(&b);
	etl_db_free(db);
}
END_TEST

START_TEST(test_db_no_copy_in_sqlite)
{
	struct etl_db *db = open_db("copy.db", 1, 1000);
	struct etl_error err;
	struct etl_buf b;

	ck_assert_int_eq(etl_db_has_copy(db), 0);
	etl_error_init(&err);
	ck_assert_int_eq(etl_db_copy_begin(db, "COPY t FROM STDIN", &err),
	    -ETL_EINTERNAL);
	etl_db_free(db);

	etl_buf_init(&b);
	ck_assert_int_eq(etl_db_copy_escape(&b, "a\tb\\c\nd\re", 9), 0);
	ck_assert_str_eq(b.data, "a\\tb\\\\c\\nd\\re");
	etl_buf_release(&b);
}
END_TEST

static Suite *
db_suite(void)
{
	Suite *s = suite_create("db");
	TCase *tc = tcase_create("sqlite");

	tcase_add_unchecked_fixture(tc, unit_tmp_setup, unit_tmp_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_db_new_file_mode_0600);
	tcase_add_test(tc, test_db_existing_file_mode_kept);
	tcase_add_test(tc, test_db_missing_without_create);
	tcase_add_test(tc, test_db_directory_or_garbage_rejected);
	tcase_add_test(tc, test_db_journal_mode_wal);
	tcase_add_test(tc, test_db_default_target);
	tcase_add_test(tc, test_db_quote_ident);
	tcase_add_test(tc, test_db_quote_ident_in_sql);
	tcase_add_test(tc, test_db_params_out_of_order);
	tcase_add_test(tc, test_db_column_types);
	tcase_add_test(tc, test_db_transactions);
	tcase_add_test(tc, test_db_changes_count);
	tcase_add_test(tc, test_db_errors);
	tcase_add_test(tc, test_db_busy_is_tempfail);
	tcase_add_test(tc, test_db_table_columns);
	tcase_add_test(tc, test_db_no_copy_in_sqlite);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(db_suite());
}
