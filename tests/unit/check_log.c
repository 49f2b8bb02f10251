/* Unit tests of lib/log.c: text and JSON diagnostics on stderr. */
#include "log.h"
#include "timeval.h"
#include "unit.h"

static int saved_stderr = -1;
static char capture_path[1024];

/* Send stderr to a file until captured() reads it back. */
static void
capture(void)
{
	int fd;

	unit_path(capture_path, sizeof(capture_path), "stderr.txt");
	fd = open(capture_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	fflush(stderr);
	saved_stderr = dup(STDERR_FILENO);
	ck_assert_int_ge(saved_stderr, 0);
	ck_assert_int_eq(dup2(fd, STDERR_FILENO), STDERR_FILENO);
	close(fd);
}

/* What was written since capture(), as a new string; stderr restored. */
static char *
captured(void)
{
	fflush(stderr);
	ck_assert_int_eq(dup2(saved_stderr, STDERR_FILENO), STDERR_FILENO);
	close(saved_stderr);
	saved_stderr = -1;
	return unit_read_file(capture_path, NULL);
}

static void
stderr_is(const char *want)
{
	char *text = captured();

	ck_assert_str_eq(text, want);
	free(text);
}

START_TEST(test_log_text_levels)
{
	etl_log_setup("etl-test", ETL_LOG_TEXT, ETL_LOG_INFO);
	ck_assert_str_eq(etl_log_tool(), "etl-test");
	ck_assert(etl_log_enabled(ETL_LOG_ERROR));
	ck_assert(etl_log_enabled(ETL_LOG_INFO));
	ck_assert(!etl_log_enabled(ETL_LOG_DEBUG));
	capture();
	etl_log(ETL_LOG_INFO, "read %d records", 3);
	etl_log(ETL_LOG_WARN, "odd");
	etl_log(ETL_LOG_ERROR, "broken");
	etl_log(ETL_LOG_DEBUG, "hidden");
	stderr_is("etl-test: read 3 records\netl-test: warning: odd\n"
	    "etl-test: broken\n");

	etl_log_setup("etl-test", ETL_LOG_TEXT, ETL_LOG_DEBUG);
	capture();
	etl_log(ETL_LOG_DEBUG, "shown");
	stderr_is("etl-test: debug: shown\n");

	/* Quiet: warnings and errors only. */
	etl_log_setup("etl-test", ETL_LOG_TEXT, ETL_LOG_WARN);
	capture();
	etl_log(ETL_LOG_INFO, "summary");
	etl_log(ETL_LOG_WARN, "w");
	stderr_is("etl-test: warning: w\n");
}
END_TEST

START_TEST(test_log_error_format)
{
	struct etl_error err;

	etl_log_setup("etl-load", ETL_LOG_TEXT, ETL_LOG_INFO);
	etl_error_at(&err, ETL_EDATA, "orders.ndjson", 12, "spend",
	    "below minimum 0");
	capture();
	etl_log_error(&err);
	etl_error_set(&err, ETL_ENOINPUT, "in.csv: No such file or directory");
	etl_log_error(&err);
	stderr_is("etl-load: orders.ndjson:12: field 'spend': below minimum 0\n"
	    "etl-load: in.csv: No such file or directory\n");
}
END_TEST

START_TEST(test_log_redacts_secrets)
{
	struct etl_error err;

	etl_log_setup("etl-extract", ETL_LOG_TEXT, ETL_LOG_DEBUG);
	etl_error_at(&err, ETL_EUNAVAILABLE, "https://u:pw@api.example.com/v1",
	    0, NULL, "HTTP 403");
	capture();
	etl_log(ETL_LOG_DEBUG, "> Authorization: Bearer s3cr3t");
	etl_log(ETL_LOG_INFO, "GET https://h/v1?api_key=abc&page=2");
	etl_log_error(&err);
	stderr_is("etl-extract: debug: > Authorization: ***\n"
	    "etl-extract: GET https://h/v1?api_key=***&page=2\n"
	    "etl-extract: https://u:***@api.example.com/v1: HTTP 403\n");
}
END_TEST

/* The one JSON line written since capture(), parsed. */
static json_t *
captured_json(void)
{
	char *text = captured();
	json_error_t jerr;
	json_t *o;
	size_t n = strlen(text);

	ck_assert_uint_gt(n, 0);
	ck_assert_int_eq(text[n - 1], '\n');
	ck_assert_ptr_eq(strchr(text, '\n'), text + n - 1);
	o = json_loads(text, 0, &jerr);
	ck_assert_msg(o != NULL, "%s: %s", text, jerr.text);
	free(text);
	return o;
}

static const char *
str_of(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	ck_assert_msg(s != NULL, "no string '%s'", key);
	return s;
}

START_TEST(test_log_json_line)
{
	struct etl_instant t;
	json_t *o;

	etl_log_setup("etl-test", ETL_LOG_JSON, ETL_LOG_INFO);
	capture();
	etl_log_fields(ETL_LOG_WARN, json_pack("{s:i,s:s}", "line", 7,
	    "url", "https://u:pw@h/"), "token=abc and \"quotes\"");
	o = captured_json();
	ck_assert_int_eq(etl_time_parse(str_of(o, "ts"), &t), 0);
	ck_assert_int_eq(t.nsec % 1000000, 0);
	ck_assert_str_eq(str_of(o, "level"), "warn");
	ck_assert_str_eq(str_of(o, "tool"), "etl-test");
	ck_assert_str_eq(str_of(o, "msg"), "token=*** and \"quotes\"");
	ck_assert_int_eq(json_integer_value(json_object_get(o, "line")), 7);
	/* Field values are redacted like the message. */
	ck_assert_str_eq(str_of(o, "url"), "https://u:***@h/");
	json_decref(o);

	/* Disabled levels print nothing and still free the fields. */
	capture();
	etl_log_fields(ETL_LOG_DEBUG, json_pack("{s:i}", "x", 1), "no");
	etl_log_fields(ETL_LOG_INFO, NULL, "plain");
	o = captured_json();
	ck_assert_str_eq(str_of(o, "level"), "info");
	ck_assert_str_eq(str_of(o, "msg"), "plain");
	json_decref(o);
}
END_TEST

START_TEST(test_log_json_error_fields)
{
	struct etl_error err;
	json_t *o;

	etl_log_setup("etl-transform", ETL_LOG_JSON, ETL_LOG_INFO);
	etl_error_at(&err, ETL_EDATA, "in.ndjson", 12, "spend", "below 0");
	etl_error_rule(&err, "min");
	capture();
	etl_log_error(&err);
	o = captured_json();
	ck_assert_str_eq(str_of(o, "level"), "error");
	ck_assert_str_eq(str_of(o, "msg"),
	    "in.ndjson:12: field 'spend': below 0");
	ck_assert_str_eq(str_of(o, "kind"), "bad data");
	ck_assert_int_eq(json_integer_value(json_object_get(o, "exit")), 65);
	ck_assert_str_eq(str_of(o, "input"), "in.ndjson");
	ck_assert_int_eq(json_integer_value(json_object_get(o, "line")), 12);
	ck_assert_str_eq(str_of(o, "field"), "spend");
	ck_assert_str_eq(str_of(o, "rule"), "min");
	json_decref(o);

	/* The input is redacted in its field as in the message. */
	etl_error_at(&err, ETL_EUNAVAILABLE, "https://u:pw@api.example.com/v1",
	    0, NULL, "HTTP 403");
	capture();
	etl_log_error(&err);
	o = captured_json();
	ck_assert_str_eq(str_of(o, "msg"),
	    "https://u:***@api.example.com/v1: HTTP 403");
	ck_assert_str_eq(str_of(o, "input"),
	    "https://u:***@api.example.com/v1");
	json_decref(o);

	/* Parts that are empty are left out. */
	etl_error_set(&err, ETL_ETEMPFAIL, "database is locked");
	capture();
	etl_log_error(&err);
	o = captured_json();
	ck_assert_int_eq(json_integer_value(json_object_get(o, "exit")), 75);
	ck_assert_ptr_null(json_object_get(o, "input"));
	ck_assert_ptr_null(json_object_get(o, "line"));
	ck_assert_ptr_null(json_object_get(o, "field"));
	ck_assert_ptr_null(json_object_get(o, "rule"));
	json_decref(o);
}
END_TEST

START_TEST(test_log_usage_is_text)
{
	etl_log_setup("etl-test", ETL_LOG_JSON, ETL_LOG_INFO);
	capture();
	etl_log_usage("usage: etl-test [-q] FILE\n", "unknown option '%s'",
	    "--bogus");
	stderr_is("etl-test: unknown option '--bogus'\n"
	    "usage: etl-test [-q] FILE\n"
	    "Try 'etl-test --help' for more information.\n");
}
END_TEST

START_TEST(test_log_progress_off_is_silent)
{
	etl_log_setup("etl-test", ETL_LOG_TEXT, ETL_LOG_INFO);
	capture();
	etl_progress_enable(0);
	for (int i = 0; i < 10000; i++)
		etl_progress_update(i, "records");
	etl_progress_end();
	etl_log(ETL_LOG_INFO, "done");
	stderr_is("etl-test: done\n");
}
END_TEST

static Suite *
log_suite(void)
{
	Suite *s = suite_create("log");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_unchecked_fixture(tc, unit_tmp_setup, unit_tmp_teardown);
	tcase_add_test(tc, test_log_text_levels);
	tcase_add_test(tc, test_log_error_format);
	tcase_add_test(tc, test_log_redacts_secrets);
	tcase_add_test(tc, test_log_json_line);
	tcase_add_test(tc, test_log_json_error_fields);
	tcase_add_test(tc, test_log_usage_is_text);
	tcase_add_test(tc, test_log_progress_off_is_silent);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(log_suite());
}
