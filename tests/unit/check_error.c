/* Unit tests of lib/error.c: kinds, exit statuses, message format. */
#include "error.h"
#include "unit.h"

START_TEST(test_error_exit_code_table)
{
	static const struct {
		enum etl_kind kind;
		int status;
	} table[] = {
		{ ETL_OK, 0 },
		{ ETL_ENOTFOUND, 1 },
		{ ETL_EUSAGE, 64 },
		{ ETL_EDATA, 65 },
		{ ETL_ENOINPUT, 66 },
		{ ETL_EUNAVAILABLE, 69 },
		{ ETL_EINTERNAL, 70 },
		{ ETL_ECANTCREAT, 73 },
		{ ETL_EIO, 74 },
		{ ETL_ETEMPFAIL, 75 },
		{ ETL_ECONFIG, 78 },
		{ ETL_EINTR, 130 },
		{ ETL_ETERM, 143 },
		{ ETL_EPIPE, 0 },
	};
	size_t n = sizeof(table) / sizeof(table[0]);

	/* Every kind is in the table above. */
	ck_assert_uint_eq(n, ETL_KIND_MAX);
	for (size_t i = 0; i < n; i++) {
		int got = etl_exit_code(table[i].kind);

		ck_assert_msg(got == table[i].status, "kind %d: exit %d, "
		    "expected %d", (int)table[i].kind, got, table[i].status);
	}
}
END_TEST

START_TEST(test_error_exit_code_out_of_range)
{
	ck_assert_int_eq(etl_exit_code(ETL_KIND_MAX), 70);
	ck_assert_int_eq(etl_exit_code((enum etl_kind)-1), 70);
	ck_assert_str_eq(etl_kind_name(ETL_KIND_MAX), "internal");
}
END_TEST

START_TEST(test_error_kind_names)
{
	/* Each kind has a distinct, lower-case, non-empty name. */
	for (int i = 0; i < ETL_KIND_MAX; i++) {
		const char *a = etl_kind_name((enum etl_kind)i);

		ck_assert_ptr_nonnull(a);
		ck_assert_uint_gt(strlen(a), 0);
		for (const char *p = a; *p != '\0'; p++)
			ck_assert_msg(*p < 'A' || *p > 'Z', "'%s'", a);
		for (int j = 0; j < i; j++)
			ck_assert_str_ne(a, etl_kind_name((enum etl_kind)j));
	}
	ck_assert_str_eq(etl_kind_name(ETL_EDATA), "bad data");
	ck_assert_str_eq(etl_kind_name(ETL_EPIPE), "broken pipe");
}
END_TEST

START_TEST(test_error_set_returns_negative_kind)
{
	struct etl_error err;

	etl_error_init(&err);
	ck_assert_int_eq(err.kind, ETL_OK);
	ck_assert_int_eq(etl_error_set(&err, ETL_ETEMPFAIL, "locked %d", 3),
	    -ETL_ETEMPFAIL);
	ck_assert_int_eq(err.kind, ETL_ETEMPFAIL);
	ck_assert_str_eq(err.message, "locked 3");
	ck_assert_str_eq(err.source, "");
	ck_assert_str_eq(err.field, "");
	ck_assert_int_eq(err.line, 0);
	/* A NULL err is allowed: only the return value. */
	ck_assert_int_eq(etl_error_set(NULL, ETL_EIO, "x"), -ETL_EIO);
	ck_assert_int_eq(etl_error_at(NULL, ETL_EDATA, "f", 1, "g", "x"),
	    -ETL_EDATA);
}
END_TEST

START_TEST(test_error_at_fills_all_parts)
{
	struct etl_error err;

	etl_error_init(&err);
	etl_error_rule(&err, "old");
	ck_assert_int_eq(etl_error_at(&err, ETL_EDATA, "in.ndjson", 12,
	    "spend", "%s %d", "below", 0), -ETL_EDATA);
	ck_assert_str_eq(err.source, "in.ndjson");
	ck_assert_int_eq(err.line, 12);
	ck_assert_str_eq(err.field, "spend");
	ck_assert_str_eq(err.message, "below 0");
	/* Setting an error clears a stale rule. */
	ck_assert_str_eq(err.rule, "");
	etl_error_rule(&err, "min");
	ck_assert_str_eq(err.rule, "min");
	etl_error_rule(&err, NULL);
	ck_assert_str_eq(err.rule, "");
	etl_error_rule(NULL, "min");
}
END_TEST

START_TEST(test_error_at_truncates_long_parts)
{
	struct etl_error err;
	char big[1000];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	etl_error_at(&err, ETL_EDATA, big, 1, big, "%s", big);
	ck_assert_uint_eq(strlen(err.source), sizeof(err.source) - 1);
	ck_assert_uint_eq(strlen(err.field), sizeof(err.field) - 1);
	ck_assert_uint_eq(strlen(err.message), sizeof(err.message) - 1);
}
END_TEST

START_TEST(test_error_format_all_parts)
{
	struct etl_error err;
	char buf[256];

	etl_error_at(&err, ETL_EDATA, "in.ndjson", 12, "spend",
	    "below minimum 0");
	ck_assert_str_eq(etl_error_format(&err, buf, sizeof(buf)),
	    "in.ndjson:12: field 'spend': below minimum 0");
}
END_TEST

START_TEST(test_error_format_without_line)
{
	struct etl_error err;
	char buf[256];

	etl_error_at(&err, ETL_ENOINPUT, "in.ndjson", 0, NULL,
	    "no such file");
	ck_assert_str_eq(etl_error_format(&err, buf, sizeof(buf)),
	    "in.ndjson: no such file");
}
END_TEST

START_TEST(test_error_format_without_source)
{
	struct etl_error err;
	char buf[256];

	etl_error_at(&err, ETL_EDATA, NULL, 0, "id", "missing");
	ck_assert_str_eq(etl_error_format(&err, buf, sizeof(buf)),
	    "field 'id': missing");
	/* A line without a source is not shown on its own. */
	etl_error_at(&err, ETL_EDATA, NULL, 7, NULL, "bad");
	ck_assert_str_eq(etl_error_format(&err, buf, sizeof(buf)), "bad");
	etl_error_set(&err, ETL_EUSAGE, "missing command");
	ck_assert_str_eq(etl_error_format(&err, buf, sizeof(buf)),
	    "missing command");
}
END_TEST

START_TEST(test_error_format_source_and_field_no_line)
{
	struct etl_error err;
	char buf[256];

	etl_error_at(&err, ETL_EDATA, "orders", 0, "id", "duplicate");
	ck_assert_str_eq(etl_error_format(&err, buf, sizeof(buf)),
	    "orders: field 'id': duplicate");
}
END_TEST

START_TEST(test_error_format_truncates)
{
	struct etl_error err;
	char buf[16];

	memset(buf, 'Z', sizeof(buf));
	etl_error_at(&err, ETL_EDATA, "in.ndjson", 12, "spend", "too low");
	/* 10 bytes: 9 characters and the NUL, nothing written past it. */
	etl_error_format(&err, buf, 10);
	ck_assert_str_eq(buf, "in.ndjson");
	for (size_t i = 10; i < sizeof(buf); i++)
		ck_assert_int_eq(buf[i], 'Z');
	/* n == 0 writes nothing. */
	buf[0] = 'Q';
	ck_assert_ptr_eq(etl_error_format(&err, buf, 0), buf);
	ck_assert_int_eq(buf[0], 'Q');
}
END_TEST

static Suite *
error_suite(void)
{
	Suite *s = suite_create("error");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_error_exit_code_table);
	tcase_add_test(tc, test_error_exit_code_out_of_range);
	tcase_add_test(tc, test_error_kind_names);
	tcase_add_test(tc, test_error_set_returns_negative_kind);
	tcase_add_test(tc, test_error_at_fills_all_parts);
	tcase_add_test(tc, test_error_at_truncates_long_parts);
	tcase_add_test(tc, test_error_format_all_parts);
	tcase_add_test(tc, test_error_format_without_line);
	tcase_add_test(tc, test_error_format_without_source);
	tcase_add_test(tc, test_error_format_source_and_field_no_line);
	tcase_add_test(tc, test_error_format_truncates);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(error_suite());
}
