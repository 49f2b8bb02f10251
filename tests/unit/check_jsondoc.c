/* Unit tests of lib/jsondoc.c: records out of JSON documents and NDJSON. */
#include "jsondoc.h"
#include "unit.h"
#include "srcutil.h"

static char *
read_all(const char *data, size_t piece, const char *records, int lines,
    size_t max, json_t **rest)
{
	struct etl_jsondoc_opts o = { records, lines, max };
	struct piecesrc src;
	struct etl_error err;
	struct etl_buf out;
	struct etl_jsondoc *d;
	json_t *rec;
	int rc;

	piece_init(&src, data, strlen(data), piece);
	etl_error_init(&err);
	etl_buf_init(&out);
	etl_buf_reserve(&out, 0);
	etl_buf_reset(&out);
	d = etl_jsondoc_new(piece_read, &src, "t.json", &o, &err);
	ck_assert_msg(d != NULL, "%s", err.message);
	while ((rc = etl_jsondoc_next(d, &rec, &err)) != 0) {
		if (rc < 0) {
			size_t n;
			const char *raw = etl_jsondoc_raw(d, &n);

			etl_buf_printf(&out, "!%s%lld %s [%.*s]\n",
			    etl_jsondoc_failed(d) ? "F" : "", err.line,
			    err.message, (int)n, raw);
			if (etl_jsondoc_failed(d))
				break;
			continue;
		}
		etl_buf_puts(&out, rec_text(rec));
		etl_buf_putc(&out, '\n');
	}
	if (rest != NULL)
		*rest = json_incref(etl_jsondoc_rest(d));
	etl_jsondoc_free(d);
	return out.data;
}

static void
check(const char *data, const char *records, int lines, const char *want)
{
	static const size_t pieces[] = { 1, 2, 5, 0 };

	for (size_t i = 0; i < 4; i++) {
		char *got = read_all(data, pieces[i], records, lines, 0, NULL);

		ck_assert_msg(strcmp(got, want) == 0, "piece %zu:\n%s\nwant:\n%s",
		    pieces[i], got, want);
		free(got);
	}
}

START_TEST(test_jsondoc_records_path)
{
	check("{\"m\":{\"items\":\"no\"},\"data\":{\"items\":[{\"a\":1},\n"
	    "{\"b\":\"]}\\\"\"} ,{\"c\":[1,{\"d\":[]}]}]},\"z\":2}",
	    "data.items", 0,
	    "{\"a\":1}\n{\"b\":\"]}\\\"\"}\n{\"c\":[1,{\"d\":[]}]}\n");
}
END_TEST

START_TEST(test_jsondoc_rest_keeps_the_rest)
{
	json_t *rest = NULL;
	char *got = read_all("{\"data\":[{\"a\":1},{\"a\":2}],\"next\":\"/p2\","
	    "\"meta\":{\"c\":[1,2]}}", 1, "data", 0, 0, &rest);

	ck_assert_str_eq(got, "{\"a\":1}\n{\"a\":2}\n");
	ck_assert_str_eq(rec_text(rest),
	    "{\"data\":[],\"next\":\"/p2\",\"meta\":{\"c\":[1,2]}}");
	free(got);
}
END_TEST

START_TEST(test_jsondoc_without_path)
{
	check(" [ {\"a\":1} , {\"a\":2} ] ", NULL, 0,
	    "{\"a\":1}\n{\"a\":2}\n");
	check("{\"a\":1}{\"a\":2}\n[{\"a\":3}]", NULL, 0,
	    "{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n");
	check("", NULL, 0, "");
}
END_TEST

START_TEST(test_jsondoc_bad_elements)
{
	check("[1,{\"a\":1},\"s\",null,{\"b\":},{\"c\":2}]", NULL, 0,
	    "!1 not a JSON object (a number) [1]\n{\"a\":1}\n"
	    "!1 not a JSON object (a string) [\"s\"]\n"
	    "!1 not a JSON object (null) [null]\n"
	    "!1 invalid JSON: unexpected token near '}' [{\"b\":}]\n"
	    "{\"c\":2}\n");
}
END_TEST

START_TEST(test_jsondoc_path_holds_object_or_index)
{
	check("{\"r\":{\"id\":1}}", "r", 0, "{\"id\":1}\n");
	check("{\"r\":[[{\"x\":1}],[{\"x\":2}]]}", "r[1]", 0,
	    "{\"x\":2}\n");
	check("{\"r\":null}", "r", 0, "");
}
END_TEST

START_TEST(test_jsondoc_truncated)
{
	char *got = read_all("{\"d\":[{\"a\":1},{\"a\"", 0, "d", 0, 0, NULL);

	ck_assert_str_eq(got, "{\"a\":1}\n!F1 invalid JSON: the document "
	    "ends early []\n");
	free(got);
}
END_TEST

START_TEST(test_jsondoc_too_large)
{
	char *got = read_all("[{\"a\":\"0123456789012345\"},{\"b\":1}]", 3,
	    NULL, 0, 10, NULL);

	ck_assert_str_eq(got, "!1 record larger than --max-line []\n"
	    "{\"b\":1}\n");
	free(got);
}
END_TEST

START_TEST(test_jsondoc_lines)
{
	check("\xef\xbb\xbf{\"a\":1}\r\n\n  \n{\"a\":2}\nnope\n[1]\n{\"a\":3}",
	    NULL, 1, "{\"a\":1}\n{\"a\":2}\n"
	    "!5 invalid JSON at column 4: invalid token near 'nope' [nope]\n"
	    "!6 not a JSON object (an array) [[1]]\n{\"a\":3}\n");
}
END_TEST

START_TEST(test_jsondoc_bad_path)
{
	struct etl_jsondoc_opts o = { "a..b", 0, 0 };
	struct piecesrc src;
	struct etl_error err;

	piece_init(&src, "", 0, 0);
	etl_error_init(&err);
	ck_assert_ptr_null(etl_jsondoc_new(piece_read, &src, "t", &o, &err));
	ck_assert_int_eq(err.kind, ETL_ECONFIG);
}
END_TEST

static Suite *
jsondoc_suite(void)
{
	Suite *s = suite_create("jsondoc");
	TCase *tc = tcase_create("jsondoc");

	tcase_add_test(tc, test_jsondoc_records_path);
	tcase_add_test(tc, test_jsondoc_rest_keeps_the_rest);
	tcase_add_test(tc, test_jsondoc_without_path);
	tcase_add_test(tc, test_jsondoc_bad_elements);
	tcase_add_test(tc, test_jsondoc_path_holds_object_or_index);
	tcase_add_test(tc, test_jsondoc_truncated);
	tcase_add_test(tc, test_jsondoc_too_large);
	tcase_add_test(tc, test_jsondoc_lines);
	tcase_add_test(tc, test_jsondoc_bad_path);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(jsondoc_suite());
}
