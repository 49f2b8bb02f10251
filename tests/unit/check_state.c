/* Unit tests of lib/state.c: watermarks and runs in _etl_ tables. */
#include "state.h"
#include "strbuf.h"
#include "unit.h"

static struct etl_db *
open_state(const char *name)
{
	char path[1024];
	struct etl_db_opts opts = { 1, 1000 };
	struct etl_error err;
	struct etl_db *db;

	etl_error_init(&err);
	unit_path(path, sizeof(path), name);
	db = etl_db_new(path, &opts, &err);
	ck_assert_msg(db != NULL, "%s", err.message);
	ck_assert_msg(etl_state_ensure(db, &err) == 0, "%s", err.message);
	return db;
}

/* key's stored value (NULL when unset or no row). */
static void
value_is(struct etl_db *db, const char *key, const char *want)
{
	struct etl_watermark w;
	struct etl_error err;
	int rc = etl_watermark_get(db, key, &w, &err);

	ck_assert_int_ge(rc, 0);
	if (want == NULL) {
		ck_assert_ptr_null(w.value);
	} else {
		ck_assert_int_eq(rc, 1);
		ck_assert_ptr_nonnull(w.value);
		ck_assert_str_eq(w.value, want);
	}
	etl_watermark_release(&w);
}

static void
pending_is(struct etl_db *db, const char *key, const char *want)
{
	struct etl_watermark w;
	struct etl_error err;

	ck_assert_int_eq(etl_watermark_get(db, key, &w, &err), 1);
	if (want == NULL) {
		ck_assert_ptr_null(w.pending);
	} else {
		ck_assert_ptr_nonnull(w.pending);
		ck_assert_str_eq(w.pending, want);
	}
	etl_watermark_release(&w);
}

/* Advance key to v; moved must be want_moved. */
static void
advance(struct etl_db *db, const char *key, const char *v, int force,
    int want_moved)
{
	struct etl_error err;
	int moved = -1;

	etl_error_init(&err);
	ck_assert_msg(etl_watermark_advance(db, key, v, force, &moved, &err) ==
	    0, "advance %s to %s: %s", key, v, err.message);
	ck_assert_msg(moved == want_moved, "advance %s to %s: moved %d", key,
	    v, moved);
}

static void
advance_bad(struct etl_db *db, const char *key, const char *v)
{
	struct etl_error err;
	int moved = -1;

	etl_error_init(&err);
	ck_assert_int_eq(etl_watermark_advance(db, key, v, 0, &moved, &err),
	    -ETL_EDATA);
	ck_assert_int_eq(err.kind, ETL_EDATA);
	ck_assert_int_eq(moved, 0);
	ck_assert_str_eq(err.source, key);
	ck_assert_ptr_nonnull(strstr(err.message, v));
	ck_assert_ptr_nonnull(strstr(err.message, "--force"));
}

START_TEST(test_state_ensure_creates_tables)
{
	struct etl_db *db = open_state("ensure.db");
	struct etl_error err;

	ck_assert_int_eq(etl_db_has_table(db, "_etl_watermarks", &err), 1);
	ck_assert_int_eq(etl_db_has_table(db, "_etl_runs", &err), 1);
	/* Twice is fine. */
	ck_assert_int_eq(etl_state_ensure(db, &err), 0);
	etl_db_free(db);
}
END_TEST

START_TEST(test_state_no_tables_yet)
{
	char path[1024];
	struct etl_db_opts opts = { 1, 1000 };
	struct etl_error err;
	struct etl_watermark w;
	struct etl_db *db;

	unit_path(path, sizeof(path), "bare.db");
	db = etl_db_new(path, &opts, &err);
	ck_assert_ptr_nonnull(db);
	/* Reading a database without state is "not found", not an error. */
	ck_assert_int_eq(etl_watermark_get(db, "k", &w, &err), 0);
	ck_assert_ptr_null(w.value);
	ck_assert_int_eq(etl_watermark_delete(db, "k", &err), 0);
	ck_assert_int_eq(etl_db_has_table(db, "_etl_watermarks", &err), 0);
	etl_db_free(db);
}
END_TEST

START_TEST(test_state_advance_numbers)
{
	struct etl_db *db = open_state("numbers.db");
	struct etl_watermark w;
	struct etl_error err;
	struct etl_instant t;

	advance(db, "n", "5", 0, 1);
	value_is(db, "n", "5");
	advance(db, "n", "10", 0, 1);
	value_is(db, "n", "10");
	/* Older or equal: kept. */
	advance(db, "n", "9", 0, 0);
	advance(db, "n", "10.0", 0, 0);
	advance(db, "n", "1e1", 0, 0);
	value_is(db, "n", "10");
	/* Stored as it appeared in the input. */
	advance(db, "n", "1.05e1", 0, 1);
	value_is(db, "n", "1.05e1");
	/* Exactly, past 64 bits and past a double's precision. */
	advance(db, "big", "12345678901234567890", 0, 1);
	advance(db, "big", "12345678901234567891", 0, 1);
	advance(db, "big", "12345678901234567890", 0, 0);
	value_is(db, "big", "12345678901234567891");
	/* The row has a millisecond UTC timestamp. */
	ck_assert_int_eq(etl_watermark_get(db, "big", &w, &err), 1);
	ck_assert_str_eq(w.key, "big");
	ck_assert_ptr_null(w.pending);
	ck_assert_int_eq(etl_time_parse(w.updated_at, &t), 0);
	ck_assert_int_eq(t.nsec % 1000000, 0);
	ck_assert_int_eq(w.updated_at[strlen(w.updated_at) - 1], 'Z');
	etl_watermark_release(&w);
	ck_assert_ptr_null(w.key);
	etl_db_free(db);
}
END_TEST

START_TEST(test_state_advance_timestamps)
{
	struct etl_db *db = open_state("times.db");

	advance(db, "t", "2026-01-01T10:00:00+02:00", 0, 1);
	/* 09:00Z is after 10:00+02:00 (08:00Z). */
	advance(db, "t", "2026-01-01T09:00:00Z", 0, 1);
	value_is(db, "t", "2026-01-01T09:00:00Z");
	/* 08:30Z is not. */
	advance(db, "t", "2026-01-01T10:30:00+02:00", 0, 0);
	/* The same instant spelled otherwise is not newer. */
	advance(db, "t", "2026-01-01T11:00:00+02:00", 0, 0);
	value_is(db, "t", "2026-01-01T09:00:00Z");
	advance(db, "t", "2026-01-01T09:00:00.001Z", 0, 1);
	value_is(db, "t", "2026-01-01T09:00:00.001Z");
	etl_db_free(db);
}
END_TEST

START_TEST(test_state_advance_force)
{
	struct etl_db *db = open_state("force.db");

	advance(db, "k", "100", 0, 1);
	advance(db, "k", "1", 1, 1);
	value_is(db, "k", "1");
	/* Forced, any text and any kind is stored. */
	advance(db, "k", "2026-01-01T00:00:00Z", 1, 1);
	value_is(db, "k", "2026-01-01T00:00:00Z");
	advance(db, "k", "not a value", 1, 1);
	value_is(db, "k", "not a value");
	/* Then only force moves it again. */
	advance_bad(db, "k", "5");
	advance(db, "k", "5", 1, 1);
	value_is(db, "k", "5");
	etl_db_free(db);
}
END_TEST

START_TEST(test_state_advance_incomparable)
{
	struct etl_db *db = open_state("incomparable.db");

	advance(db, "t", "2026-01-01T00:00:00Z", 0, 1);
	advance_bad(db, "t", "5");
	advance_bad(db, "t", "garbage");
	advance_bad(db, "t", "2026-02-30T00:00:00Z");
	value_is(db, "t", "2026-01-01T00:00:00Z");

	advance(db, "n", "5", 0, 1);
	advance_bad(db, "n", "2026-01-01T00:00:00Z");
	advance_bad(db, "n", "007");
	value_is(db, "n", "5");

	/* Nothing stored yet: a value must still be a number or time. */
	advance_bad(db, "new", "abc");
	advance_bad(db, "new", "");
	value_is(db, "new", NULL);
	etl_db_free(db);
}
END_TEST

static void
commit_is(struct etl_db *db, const char *key, int want_rc,
    const char *want_value)
{
	struct etl_error err;
	char *value = (char *)"unset";

	etl_error_init(&err);
	ck_assert_msg(etl_watermark_commit(db, key, &value, &err) == want_rc,
	    "commit %s: %s", key, err.message);
	if (want_value == NULL) {
		ck_assert_ptr_null(value);
	} else {
		ck_assert_ptr_nonnull(value);
		ck_assert_str_eq(value, want_value);
	}
	free(value);
}

START_TEST(test_state_pending_and_commit)
{
	struct etl_db *db = open_state("pending.db");
	struct etl_error err;

	/* Nothing at all: nothing pending. */
	commit_is(db, "k", 0, NULL);

	ck_assert_int_eq(etl_watermark_set_pending(db, "k", "7", &err), 0);
	pending_is(db, "k", "7");
	value_is(db, "k", NULL);
	commit_is(db, "k", 1, "7");
	pending_is(db, "k", NULL);
	value_is(db, "k", "7");

	/* Nothing pending: 0, and the value as it is. */
	commit_is(db, "k", 0, "7");

	/* Never backwards: an older pending value is dropped. */
	ck_assert_int_eq(etl_watermark_set_pending(db, "k", "3", &err), 0);
	commit_is(db, "k", 1, "7");
	value_is(db, "k", "7");
	pending_is(db, "k", NULL);

	ck_assert_int_eq(etl_watermark_set_pending(db, "k", "8", &err), 0);
	/* A pending value does not touch the value until committed. */
	value_is(db, "k", "7");
	commit_is(db, "k", 1, "8");

	/* Pending can be cleared. */
	ck_assert_int_eq(etl_watermark_set_pending(db, "k", "9", &err), 0);
	ck_assert_int_eq(etl_watermark_set_pending(db, "k", NULL, &err), 0);
	commit_is(db, "k", 0, "8");

	/* value may be NULL. */
	ck_assert_int_eq(etl_watermark_set_pending(db, "k", "10", &err), 0);
	ck_assert_int_eq(etl_watermark_commit(db, "k", NULL, &err), 1);
	value_is(db, "k", "10");
	etl_db_free(db);
}
END_TEST

START_TEST(test_state_clear_pending_creates_no_row)
{
	struct etl_db *db = open_state("pending-clear.db");
	struct etl_watermark w;
	struct etl_error err;

	ck_assert_int_eq(etl_watermark_set_pending(db, "ghost", NULL, &err),
	    0);
	ck_assert_int_eq(etl_watermark_get(db, "ghost", &w, &err), 0);
	etl_watermark_release(&w);
	etl_db_free(db);
}
END_TEST

START_TEST(test_state_commit_incomparable_pending)
{
	struct etl_db *db = open_state("pending-bad.db");
	struct etl_error err;
	char *value = NULL;

	advance(db, "k", "2026-01-01T00:00:00Z", 0, 1);
	ck_assert_int_eq(etl_watermark_set_pending(db, "k", "42", &err), 0);
	etl_error_init(&err);
	ck_assert_int_eq(etl_watermark_commit(db, "k", &value, &err),
	    -ETL_EDATA);
	ck_assert_ptr_null(value);
	value_is(db, "k", "2026-01-01T00:00:00Z");
	etl_db_free(db);
}
END_TEST

START_TEST(test_state_pending_timestamps)
{
	struct etl_db *db = open_state("pending-times.db");
	struct etl_error err;

	advance(db, "t", "2026-01-01T09:00:00Z", 0, 1);
	/* 10:00+02:00 is before 09:00Z: committing it keeps 09:00Z. */
	ck_assert_int_eq(etl_watermark_set_pending(db, "t",
	    "2026-01-01T10:00:00+02:00", &err), 0);
	commit_is(db, "t", 1, "2026-01-01T09:00:00Z");
	ck_assert_int_eq(etl_watermark_set_pending(db, "t",
	    "2026-01-01T12:00:00+02:00", &err), 0);
	commit_is(db, "t", 1, "2026-01-01T12:00:00+02:00");
	etl_db_free(db);
}
END_TEST

START_TEST(test_state_delete)
{
	struct etl_db *db = open_state("delete.db");
	struct etl_error err;

	advance(db, "k", "1", 0, 1);
	advance(db, "other", "2", 0, 1);
	ck_assert_int_eq(etl_watermark_delete(db, "k", &err), 1);
	ck_assert_int_eq(etl_watermark_delete(db, "k", &err), 0);
	ck_assert_int_eq(etl_watermark_delete(db, "never", &err), 0);
	value_is(db, "k", NULL);
	value_is(db, "other", "2");
	/* A deleted key starts again from nothing. */
	advance(db, "k", "0", 0, 1);
	value_is(db, "k", "0");
	etl_db_free(db);
}
END_TEST

struct seen {
	struct etl_buf b;
	int calls;
	int stop_after;
};

static int
collect(const struct etl_watermark *w, void *ctx)
{
	struct seen *s = ctx;

	etl_buf_printf(&s->b, "%s=%s/%s;", w->key, w->value ? w->value : "-",
	    w->pending ? w->pending : "-");
	ck_assert_ptr_nonnull(w->updated_at);
	return ++s->calls == s->stop_after;
}

START_TEST(test_state_foreach_key_order)
{
	struct etl_db *db = open_state("foreach.db");
	struct etl_error err;
	struct seen s = { { NULL, 0, 0 }, 0, 0 };

	advance(db, "b", "2", 0, 1);
	advance(db, "a", "1", 0, 1);
	advance(db, "c", "2026-01-01", 0, 1);
	ck_assert_int_eq(etl_watermark_set_pending(db, "B", "5", &err), 0);
	ck_assert_int_eq(etl_watermark_set_pending(db, "a", "3", &err), 0);
	etl_buf_init(&s.b);
	ck_assert_int_eq(etl_watermark_foreach(db, collect, &s, &err), 0);
	ck_assert_int_eq(s.calls, 4);
	ck_assert_str_eq(s.b.data, "B=-/5;a=1/3;b=2/-;c=2026-01-01/-;");

	/* A non-zero return stops the walk. */
	etl_buf_reset(&s.b);
	s.calls = 0;
	s.stop_after = 2;
	ck_assert_int_eq(etl_watermark_foreach(db, collect, &s, &err), 0);
	ck_assert_int_eq(s.calls, 2);
	ck_assert_str_eq(s.b.data, "B=-/5;a=1/3;");
	etl_buf_release(&s.b);
	etl_db_free(db);
}
END_TEST

START_TEST(test_state_foreach_empty)
{
	struct etl_db *db = open_state("foreach-empty.db");
	struct etl_error err;
	struct seen s = { { NULL, 0, 0 }, 0, 0 };

	ck_assert_int_eq(etl_watermark_foreach(db, collect, &s, &err), 0);
	ck_assert_int_eq(s.calls, 0);
	etl_db_free(db);
}
END_TEST

START_TEST(test_state_rollback_with_data)
{
	struct etl_db *db = open_state("tx.db");
	struct etl_error err;

	advance(db, "k", "1", 0, 1);
	/* Data and watermark move together, or neither does. */
	ck_assert_int_eq(etl_db_exec(db, "CREATE TABLE t (a)", &err), 0);
	ck_assert_int_eq(etl_db_begin(db, &err), 0);
	ck_assert_int_eq(etl_db_exec(db, "INSERT INTO t VALUES (1)", &err), 0);
	advance(db, "k", "2", 0, 1);
	value_is(db, "k", "2");
	etl_db_rollback(db);
	value_is(db, "k", "1");

	ck_assert_int_eq(etl_db_begin(db, &err), 0);
	advance(db, "k", "3", 0, 1);
	ck_assert_int_eq(etl_db_commit(db, &err), 0);
	value_is(db, "k", "3");
	etl_db_free(db);
}
END_TEST

START_TEST(test_state_runs)
{
	struct etl_db *db = open_state("runs.db");
	struct etl_error err;
	struct etl_summary s;
	struct etl_stmt *st;
	long long id1 = -1, id2 = -1;
	struct etl_instant t;

	etl_error_init(&err);
	ck_assert_int_eq(etl_run_start(db, "etl-load", "orders", "spec.json",
	    &id1, &err), 0);
	ck_assert_int_gt(id1, 0);
	ck_assert_int_eq(etl_run_start(db, "etl-watermark", NULL, NULL, &id2,
	    &err), 0);
	ck_assert_int_gt(id2, id1);

	st = etl_db_prepare(db, "SELECT tool, target, status, spec, "
	    "started_at, finished_at FROM _etl_runs WHERE id = $1", &err);
	ck_assert_ptr_nonnull(st);
	etl_stmt_bind_int(st, 1, id1);
	ck_assert_int_eq(etl_stmt_step(st, &err), 1);
	ck_assert_str_eq(etl_stmt_column_text(st, 0, NULL), "etl-load");
	ck_assert_str_eq(etl_stmt_column_text(st, 1, NULL), "orders");
	ck_assert_str_eq(etl_stmt_column_text(st, 2, NULL), "running");
	ck_assert_str_eq(etl_stmt_column_text(st, 3, NULL), "spec.json");
	ck_assert_int_eq(etl_time_parse(etl_stmt_column_text(st, 4, NULL),
	    &t), 0);
	ck_assert_int_eq(etl_stmt_column_type(st, 5), ETL_COL_NULL);
	etl_stmt_free(st);

	etl_summary_init(&s);
	*etl_summary_counter(&s, "read") = 10;
	*etl_summary_counter(&s, "skipped") = 99;
	*etl_summary_counter(&s, "inserted") = 7;
	*etl_summary_counter(&s, "updated") = 2;
	*etl_summary_counter(&s, "rejected") = 1;
	ck_assert_int_eq(etl_run_finish(db, id1, &s, ETL_EDATA, "stopped",
	    &err), 0);
	ck_assert_int_eq(etl_run_finish(db, id2, &s, ETL_OK, NULL, &err), 0);
	etl_summary_release(&s);

	st = etl_db_prepare(db, "SELECT status, read, inserted, updated, "
	    "unchanged, rejected, note, finished_at FROM _etl_runs "
	    "ORDER BY id", &err);
	ck_assert_ptr_nonnull(st);
	ck_assert_int_eq(etl_stmt_step(st, &err), 1);
	ck_assert_str_eq(etl_stmt_column_text(st, 0, NULL), "bad data");
	ck_assert_int_eq(etl_stmt_column_int(st, 1), 10);
	ck_assert_int_eq(etl_stmt_column_int(st, 2), 7);
	ck_assert_int_eq(etl_stmt_column_int(st, 3), 2);
	/* A counter the run never used is 0. */
	ck_assert_int_eq(etl_stmt_column_type(st, 4), ETL_COL_INT);
	ck_assert_int_eq(etl_stmt_column_int(st, 4), 0);
	ck_assert_int_eq(etl_stmt_column_int(st, 5), 1);
	ck_assert_str_eq(etl_stmt_column_text(st, 6, NULL), "stopped");
	ck_assert_int_eq(etl_time_parse(etl_stmt_column_text(st, 7, NULL),
	    &t), 0);
	ck_assert_int_eq(etl_stmt_step(st, &err), 1);
	ck_assert_str_eq(etl_stmt_column_text(st, 0, NULL), "ok");
	ck_assert_int_eq(etl_stmt_column_type(st, 6), ETL_COL_NULL);
	ck_assert_int_eq(etl_stmt_step(st, &err), 0);
	etl_stmt_free(st);
	etl_db_free(db);
}
END_TEST

START_TEST(test_state_run_without_tables)
{
	char path[1024];
	struct etl_db_opts opts = { 1, 1000 };
	struct etl_error err;
	struct etl_db *db;
	long long id = -1;

	unit_path(path, sizeof(path), "runs-bare.db");
	db = etl_db_new(path, &opts, &err);
	ck_assert_ptr_nonnull(db);
	etl_error_init(&err);
	ck_assert_int_lt(etl_run_start(db, "etl-load", "t", NULL, &id, &err),
	    0);
	ck_assert_int_ne(err.kind, ETL_OK);
	ck_assert_int_eq(id, -1);
	etl_db_free(db);
}
END_TEST

static Suite *
state_suite(void)
{
	Suite *s = suite_create("state");
	TCase *tc = tcase_create("watermarks");
	TCase *tr = tcase_create("runs");

	tcase_add_unchecked_fixture(tc, unit_tmp_setup, unit_tmp_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_state_ensure_creates_tables);
	tcase_add_test(tc, test_state_no_tables_yet);
	tcase_add_test(tc, test_state_advance_numbers);
	tcase_add_test(tc, test_state_advance_timestamps);
	tcase_add_test(tc, test_state_advance_force);
	tcase_add_test(tc, test_state_advance_incomparable);
	tcase_add_test(tc, test_state_pending_and_commit);
	tcase_add_test(tc, test_state_clear_pending_creates_no_row);
	tcase_add_test(tc, test_state_commit_incomparable_pending);
	tcase_add_test(tc, test_state_pending_timestamps);
	tcase_add_test(tc, test_state_delete);
	tcase_add_test(tc, test_state_foreach_key_order);
	tcase_add_test(tc, test_state_foreach_empty);
	tcase_add_test(tc, test_state_rollback_with_data);
	suite_add_tcase(s, tc);

	tcase_add_unchecked_fixture(tr, unit_tmp_setup, unit_tmp_teardown);
	tcase_set_timeout(tr, 60);
	tcase_add_test(tr, test_state_runs);
	tcase_add_test(tr, test_state_run_without_tables);
	suite_add_tcase(s, tr);
	return s;
}

int
main(void)
{
	return unit_run(state_suite());
}
