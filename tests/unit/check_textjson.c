/*
 * Unit tests of lib/textjson.c: the fast object scanner must accept only
 * what jansson accepts, keep the text exact, and index top-level members.
 */
#include <jansson.h>

#include "textjson.h"
#include "unit.h"

/* Lines and whether they are JSON objects (jansson decides). */
static const char *const lines[] = {
	"{}",
	" { } ",
	"{\"a\":1}",
	"{\"a\" : [1, 2.5e3, -0, true, false, null, {\"b\":\"c\"}]}",
	"{\"s\":\"caf\\u00e9 \\\"q\\\" \\\\ \\/ \\b\\f\\n\\r\\t\"}",
	"{\"nul\":\"a\\u0000b\"}",
	"{\"utf8\":\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"}",
	"{\"big\":12345678901234567890}",
	"{\"big\":-9223372036854775808}",
	"{\"real\":1e400}",
	"{\"real\":1e-400}",
	"{\"real\":1.5E+10}",
	"{\"pair\":\"\\ud83d\\ude00\"}",
	"{\"lone\":\"\\ud83d\"}",
	"{\"a\":1,}",
	"{\"a\":1 \"b\":2}",
	"{\"a\":01}",
	"{\"a\":1.}",
	"{\"a\":.5}",
	"{\"a\":-}",
	"{\"a\":1e}",
	"{\"a\":tru}",
	"{\"a\":\"x\ty\"}",
	"{\"a\":\"\\x\"}",
	"{\"a\":\"\\u12g4\"}",
	"{\"a\":\"\xff\"}",
	"{\"a\":\"\xc0\xaf\"}",
	"{\"a\":\"\xed\xa0\x80\"}",
	"{a:1}",
	"{\"a\":1} x",
	"{\"a\":1}{}",
	"[1,2]",
	"\"str\"",
	"42",
	"",
	"{\"a\":[1,2}",
	"{\"a\":{\"b\":[[[]]]}}",
	"{\"k\\u0000\":1}",
	"{\"dup\":1,\"dup\":2}",
};

START_TEST(test_textjson_subset_of_jansson)
{
	struct etl_textjson j;

	etl_textjson_init(&j);
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		const char *s = lines[i];
		json_error_t e;
		json_t *v = json_loadb(s, strlen(s), JSON_DECODE_ANY |
		    JSON_ALLOW_NUL, &e);
		int ok = v != NULL && json_is_object(v);
		int rc = etl_textjson_scan(&j, s, strlen(s));

		if (rc == 0 && !ok)
			ck_abort_msg("scanner took what jansson does not: %s",
			    s);
		if (rc == 0) {
			/* The compact text reads back to the same value. */
			json_t *w = json_loadb(j.compact.data, j.compact.len,
			    JSON_ALLOW_NUL, &e);

			ck_assert_msg(w != NULL && json_equal(v, w), "%s", s);
			json_decref(w);
		}
		json_decref(v);
	}
	etl_textjson_release(&j);
}
END_TEST

START_TEST(test_textjson_compact_keeps_spelling)
{
	struct etl_textjson j;
	const char *s = " {\"b\" : 1.50 , \"a\":\t\"x \\u00e9\", \"n\" : [ 1 ,"
	    " 2 ] } ";

	etl_textjson_init(&j);
	ck_assert_int_eq(etl_textjson_scan(&j, s, strlen(s)), 0);
	ck_assert_str_eq(j.compact.data,
	    "{\"b\":1.50,\"a\":\"x \\u00e9\",\"n\":[1,2]}");
	ck_assert_uint_eq(j.n, 3);
	etl_textjson_release(&j);
}
END_TEST

START_TEST(test_textjson_get_and_scalar)
{
	struct etl_textjson j;
	struct etl_buf b;
	const char *s = "{\"id\":42,\"t\":\"caf\\u00e9 \\\"x\\\"\","
	    "\"o\":{\"id\":"
	    "7},\"k\\u0065y\":true,\"id\":43,\"z\":null,\"e\":\"\"}";
	const char *v;
	size_t n;

	etl_textjson_init(&j);
	etl_buf_init(&b);
	ck_assert_int_eq(etl_textjson_scan(&j, s, strlen(s)), 0);
	/* The last of duplicate keys, as jansson keeps. */
	v = etl_textjson_get(&j, "id", &n);
	ck_assert_ptr_nonnull(v);
	ck_assert_int_eq(etl_textjson_scalar(&b, v, n), 0);
	ck_assert_str_eq(b.data, "43");
	etl_buf_reset(&b);
	v = etl_textjson_get(&j, "t", &n);
	ck_assert_int_eq(etl_textjson_scalar(&b, v, n), 0);
	ck_assert_str_eq(b.data, "caf\xc3\xa9 \"x\"");
	/* Escaped keys are found by their value. */
	v = etl_textjson_get(&j, "key", &n);
	ck_assert_ptr_nonnull(v);
	ck_assert_int_eq(etl_textjson_scalar(&b, v, n), -1);
	v = etl_textjson_get(&j, "o", &n);
	ck_assert_int_eq(etl_textjson_scalar(&b, v, n), -1);
	v = etl_textjson_get(&j, "z", &n);
	ck_assert_int_eq(etl_textjson_scalar(&b, v, n), -1);
	etl_buf_reset(&b);
	v = etl_textjson_get(&j, "e", &n);
	ck_assert_int_eq(etl_textjson_scalar(&b, v, n), 0);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_ptr_null(etl_textjson_get(&j, "missing", &n));
	etl_buf_release(&b);
	etl_textjson_release(&j);
}
END_TEST

START_TEST(test_textjson_load_falls_back_to_jansson)
{
	struct etl_textjson j;
	struct etl_error err;
	const char *pair = "{\"p\":\"\\ud83d\\ude00\"}";
	const char *bad = "{\"a\":1,}";
	const char *arr = "[1]";

	etl_textjson_init(&j);
	etl_error_init(&err);
	ck_assert_int_eq(etl_textjson_scan(&j, pair, strlen(pair)), -1);
	ck_assert_int_eq(etl_textjson_load(&j, pair, strlen(pair), "in", 3,
	    &err), 0);
	ck_assert_str_eq(j.compact.data, "{\"p\":\"\xf0\x9f\x98\x80\"}");
	ck_assert_int_eq(etl_textjson_load(&j, bad, strlen(bad), "in", 4,
	    &err), -ETL_EDATA);
	ck_assert_int_eq(err.line, 4);
	ck_assert_str_eq(err.source, "in");
	ck_assert_str_eq(err.rule, "json");
	ck_assert_int_eq(etl_textjson_load(&j, arr, strlen(arr), "in", 5,
	    &err), -ETL_EDATA);
	ck_assert_msg(strstr(err.message, "not a JSON object") != NULL, "%s",
	    err.message);
	etl_textjson_release(&j);
}
END_TEST

START_TEST(test_textjson_deep_nesting)
{
	struct etl_textjson j;
	struct etl_error err;
	char s[2100];
	size_t n = 0;

	etl_textjson_init(&j);
	etl_error_init(&err);
	n += (size_t)snprintf(s + n, sizeof(s) - n, "{\"a\":");
	for (int i = 0; i < 1000; i++)
		s[n++] = '[';
	for (int i = 0; i < 1000; i++)
		s[n++] = ']';
	s[n++] = '}';
	s[n] = '\0';
	ck_assert_int_eq(etl_textjson_scan(&j, s, n), -1);
	/* jansson takes it, but it is deeper than the fast path goes. */
	ck_assert_int_eq(etl_textjson_load(&j, s, n, "in", 1, &err),
	    -ETL_EDATA);
	etl_textjson_release(&j);
}
END_TEST

static Suite *
textjson_suite(void)
{
	Suite *s = suite_create("textjson");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_textjson_subset_of_jansson);
	tcase_add_test(tc, test_textjson_compact_keeps_spelling);
	tcase_add_test(tc, test_textjson_get_and_scalar);
	tcase_add_test(tc, test_textjson_load_falls_back_to_jansson);
	tcase_add_test(tc, test_textjson_deep_nesting);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(textjson_suite());
}
