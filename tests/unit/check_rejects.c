/* Unit tests of lib/rejects.c: bad records and the dead-letter file. */
#include "log.h"
#include "rejects.h"
#include "unit.h"

static void
setup(void)
{
	unit_tmp_setup();
	etl_log_setup("etl-transform", ETL_LOG_TEXT, ETL_LOG_ERROR);
}

/* A bad record: in.ndjson line 12, field spend, rule min. */
static void
why_min(struct etl_error *why)
{
	etl_error_init(why);
	etl_error_at(why, ETL_EDATA, "in.ndjson", 12, "spend",
	    "below minimum 0");
	etl_error_rule(why, "min");
}

START_TEST(test_rejects_record_letter_format)
{
	char path[1024];
	struct etl_error why, err;
	struct etl_rejects *rj;
	json_t *rec = json_pack("{s:i,s:i,s:s}", "id", 7, "spend", -5, "note",
	    "caf\xc3\xa9");
	char *text;

	unit_path(path, sizeof(path), "dead.ndjson");
	etl_error_init(&err);
	rj = etl_rejects_new(path, -1, &err);
	ck_assert_msg(rj != NULL, "%s", err.message);
	why_min(&why);
	ck_assert_int_eq(etl_rejects_add(rj, &why, rec, NULL, 0, &err), 0);
	ck_assert_int_eq(etl_rejects_count(rj), 1);
	ck_assert_int_eq(etl_rejects_close(rj, &err), 0);
	text = unit_read_file(path, NULL);
	ck_assert_str_eq(text, "{\"error\":{\"tool\":\"etl-transform\","
	    "\"input\":\"in.ndjson\",\"line\":12,\"field\":\"spend\","
	    "\"rule\":\"min\",\"message\":\"below minimum 0\"},"
	    "\"record\":{\"id\":7,\"spend\":-5,\"note\":\"caf\xc3\xa9\"}}\n");
	free(text);
	json_decref(rec);
}
END_TEST

START_TEST(test_rejects_raw_letter_format)
{
	char path[1024];
	struct etl_error why, err;
	struct etl_rejects *rj;
	static const char raw[] = "{\"id\":1,\"bad\"\t\xff";
	char *text;

	unit_path(path, sizeof(path), "dead-raw.ndjson");
	rj = etl_rejects_new(path, -1, &err);
	ck_assert_ptr_nonnull(rj);
	etl_error_at(&why, ETL_EDATA, "-", 3, NULL, "invalid JSON at "
	    "column 14: end of file expected");
	etl_error_rule(&why, "json");
	ck_assert_int_eq(etl_rejects_add(rj, &why, NULL, raw, sizeof(raw) - 1,
	    &err), 0);
	/* No line, field or rule: null; an empty raw line: "". */
	etl_error_set(&why, ETL_EDATA, "line longer than --max-line");
	ck_assert_int_eq(etl_rejects_add(rj, &why, NULL, NULL, 0, &err), 0);
	ck_assert_int_eq(etl_rejects_count(rj), 2);
	ck_assert_int_eq(etl_rejects_close(rj, &err), 0);
	text = unit_read_file(path, NULL);
	/* The raw line is a JSON string: escaped, bad UTF-8 replaced. */
	ck_assert_str_eq(text, "{\"error\":{\"tool\":\"etl-transform\","
	    "\"input\":\"-\",\"line\":3,\"field\":null,\"rule\":\"json\","
	    "\"message\":\"invalid JSON at column 14: end of file expected\"},"
	    "\"raw\":\"{\\\"id\\\":1,\\\"bad\\\"\\t\xef\xbf\xbd\"}\n"
	    "{\"error\":{\"tool\":\"etl-transform\",\"input\":null,"
	    "\"line\":null,\"field\":null,\"rule\":null,"
	    "\"message\":\"line longer than --max-line\"},\"raw\":\"\"}\n");
	free(text);
}
END_TEST

START_TEST(test_rejects_letter_is_valid_json)
{
	char path[1024];
	struct etl_error why, err;
	struct etl_rejects *rj;
	json_t *rec = json_pack("{s:s}", "k", "quote\" and \\ and \n");
	json_t *letter;
	json_error_t jerr;

	unit_path(path, sizeof(path), "dead-json.ndjson");
	rj = etl_rejects_new(path, -1, &err);
	ck_assert_ptr_nonnull(rj);
	etl_error_at(&why, ETL_EDATA, "a \"quoted\" name", 1, "we\"ird",
	    "bad \\ value\n");
	ck_assert_int_eq(etl_rejects_add(rj, &why, rec, NULL, 0, &err), 0);
	ck_assert_int_eq(etl_rejects_close(rj, &err), 0);
	letter = json_load_file(path, 0, &jerr);
	ck_assert_msg(letter != NULL, "%s", jerr.text);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(
	    letter, "error"), "field")), "we\"ird");
	/* .record can be fed back as it is. */
	ck_assert(json_equal(json_object_get(letter, "record"), rec));
	json_decref(letter);
	json_decref(rec);
}
END_TEST

START_TEST(test_rejects_append_mode)
{
	char path[1024];
	struct etl_error why, err;
	struct etl_rejects *rj;
	json_t *rec = json_pack("{s:i}", "id", 2);
	char *text;

	unit_path(path, sizeof(path), "dead-append.ndjson");
	unit_write_file(path, "earlier\n", 8);
	why_min(&why);
	for (int run = 0; run < 2; run++) {
		rj = etl_rejects_new(path, -1, &err);
		ck_assert_ptr_nonnull(rj);
		ck_assert_int_eq(etl_rejects_add(rj, &why, rec, NULL, 0, &err),
		    0);
		ck_assert_int_eq(etl_rejects_close(rj, &err), 0);
	}
	text = unit_read_file(path, NULL);
	ck_assert_str_eq(text, "earlier\n"
	    "{\"error\":{\"tool\":\"etl-transform\",\"input\":\"in.ndjson\","
	    "\"line\":12,\"field\":\"spend\",\"rule\":\"min\","
	    "\"message\":\"below minimum 0\"},\"record\":{\"id\":2}}\n"
	    "{\"error\":{\"tool\":\"etl-transform\",\"input\":\"in.ndjson\","
	    "\"line\":12,\"field\":\"spend\",\"rule\":\"min\","
	    "\"message\":\"below minimum 0\"},\"record\":{\"id\":2}}\n");
	free(text);
	json_decref(rec);
}
END_TEST

START_TEST(test_rejects_no_file_stops_at_first)
{
	struct etl_error why, err;
	struct etl_rejects *rj;
	json_t *rec = json_pack("{s:i}", "id", 1);

	etl_error_init(&err);
	rj = etl_rejects_new(NULL, -1, &err);
	ck_assert_ptr_nonnull(rj);
	why_min(&why);
	/* The error given is the error returned, all of it. */
	ck_assert_int_eq(etl_rejects_add(rj, &why, rec, NULL, 0, &err),
	    -ETL_EDATA);
	ck_assert_int_eq(err.kind, ETL_EDATA);
	ck_assert_str_eq(err.source, "in.ndjson");
	ck_assert_int_eq(err.line, 12);
	ck_assert_str_eq(err.field, "spend");
	ck_assert_str_eq(err.rule, "min");
	ck_assert_str_eq(err.message, "below minimum 0");
	/* why and err may be one struct. */
	ck_assert_int_eq(etl_rejects_add(rj, &why, NULL, "x", 1, &why),
	    -ETL_EDATA);
	ck_assert_str_eq(why.message, "below minimum 0");
	/* Another kind is passed through as it is. */
	etl_error_set(&why, ETL_ECONFIG, "bad spec");
	ck_assert_int_eq(etl_rejects_add(rj, &why, rec, NULL, 0, &err),
	    -ETL_ECONFIG);
	ck_assert_int_eq(err.kind, ETL_ECONFIG);
	ck_assert_int_eq(etl_rejects_close(rj, &err), 0);
	ck_assert_int_eq(etl_rejects_close(NULL, &err), 0);
	ck_assert_int_eq(etl_rejects_count(NULL), 0);
	json_decref(rec);
}
END_TEST

static int
count_lines(const char *path)
{
	char *text = unit_read_file(path, NULL);
	int n = 0;

	for (const char *p = text; *p != '\0'; p++)
		n += *p == '\n';
	free(text);
	return n;
}

START_TEST(test_rejects_max_errors_zero)
{
	char path[1024];
	struct etl_error why, err;
	struct etl_rejects *rj;
	json_t *rec = json_pack("{s:i}", "id", 1);

	unit_path(path, sizeof(path), "dead-max0.ndjson");
	rj = etl_rejects_new(path, 0, &err);
	ck_assert_ptr_nonnull(rj);
	why_min(&why);
	/* The first is already one too many, yet it is written. */
	etl_error_init(&err);
	ck_assert_int_eq(etl_rejects_add(rj, &why, rec, NULL, 0, &err),
	    -ETL_EDATA);
	ck_assert_int_eq(err.kind, ETL_EDATA);
	ck_assert_str_eq(err.message, "more than 0 records rejected "
	    "(--max-errors), the last: in.ndjson:12: field 'spend': "
	    "below minimum 0");
	ck_assert_int_eq(etl_rejects_count(rj), 1);
	ck_assert_int_eq(etl_rejects_close(rj, &err), 0);
	ck_assert_int_eq(count_lines(path), 1);
	json_decref(rec);
}
END_TEST

START_TEST(test_rejects_max_errors_two)
{
	char path[1024];
	struct etl_error why, err;
	struct etl_rejects *rj;
	json_t *rec = json_pack("{s:i}", "id", 1);

	unit_path(path, sizeof(path), "dead-max2.ndjson");
	rj = etl_rejects_new(path, 2, &err);
	ck_assert_ptr_nonnull(rj);
	why_min(&why);
	ck_assert_int_eq(etl_rejects_add(rj, &why, rec, NULL, 0, &err), 0);
	ck_assert_int_eq(etl_rejects_add(rj, &why, NULL, "raw", 3, &err), 0);
	ck_assert_int_eq(etl_rejects_count(rj), 2);
	/* The third stops the tool, and is still in the file. */
	why.line = 40;
	ck_assert_int_eq(etl_rejects_add(rj, &why, rec, NULL, 0, &err),
	    -ETL_EDATA);
	ck_assert_int_eq(etl_exit_code(err.kind), 65);
	ck_assert_str_eq(err.message, "more than 2 records rejected "
	    "(--max-errors), the last: in.ndjson:40: field 'spend': "
	    "below minimum 0");
	ck_assert_int_eq(etl_rejects_count(rj), 3);
	ck_assert_int_eq(etl_rejects_close(rj, &err), 0);
	ck_assert_int_eq(count_lines(path), 3);
	json_decref(rec);
}
END_TEST

START_TEST(test_rejects_no_limit)
{
	char path[1024];
	struct etl_error why, err;
	struct etl_rejects *rj;

	unit_path(path, sizeof(path), "dead-nolimit.ndjson");
	rj = etl_rejects_new(path, -1, &err);
	ck_assert_ptr_nonnull(rj);
	why_min(&why);
	for (int i = 0; i < 1000; i++)
		ck_assert_int_eq(etl_rejects_add(rj, &why, NULL, "x", 1, &err),
		    0);
	ck_assert_int_eq(etl_rejects_count(rj), 1000);
	ck_assert_int_eq(etl_rejects_close(rj, &err), 0);
	ck_assert_int_eq(count_lines(path), 1000);
}
END_TEST

START_TEST(test_rejects_cannot_create)
{
	char path[1024];
	struct etl_error err;

	etl_error_init(&err);
	unit_path(path, sizeof(path), "missing-dir/dead.ndjson");
	ck_assert_ptr_null(etl_rejects_new(path, -1, &err));
	ck_assert_int_eq(err.kind, ETL_ECANTCREAT);
	ck_assert_int_eq(etl_exit_code(err.kind), 73);
}
END_TEST

START_TEST(test_rejects_disk_full)
{
	struct etl_error why, err;
	struct etl_rejects *rj;

	if (access("/dev/full", W_OK) != 0)
		return;
	rj = etl_rejects_new("/dev/full", -1, &err);
	ck_assert_ptr_nonnull(rj);
	why_min(&why);
	/* Buffered until the close, which reports the failure. */
	ck_assert_int_eq(etl_rejects_add(rj, &why, NULL, "x", 1, &err), 0);
	ck_assert_int_eq(etl_rejects_close(rj, &err), -ETL_EIO);
	ck_assert_int_eq(err.kind, ETL_EIO);
}
END_TEST

static Suite *
rejects_suite(void)
{
	Suite *s = suite_create("rejects");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_unchecked_fixture(tc, setup, unit_tmp_teardown);
	tcase_add_test(tc, test_rejects_record_letter_format);
	tcase_add_test(tc, test_rejects_raw_letter_format);
	tcase_add_test(tc, test_rejects_letter_is_valid_json);
	tcase_add_test(tc, test_rejects_append_mode);
	tcase_add_test(tc, test_rejects_no_file_stops_at_first);
	tcase_add_test(tc, test_rejects_max_errors_zero);
	tcase_add_test(tc, test_rejects_max_errors_two);
	tcase_add_test(tc, test_rejects_no_limit);
	tcase_add_test(tc, test_rejects_cannot_create);
	tcase_add_test(tc, test_rejects_disk_full);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(rejects_suite());
}
