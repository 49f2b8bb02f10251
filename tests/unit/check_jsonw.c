/* Unit tests of lib/jsonw.c: compact JSON output of jansson values. */
#include <float.h>
#include <stdint.h>

#include "jsonw.h"
#include "unit.h"

/* Dump v (stolen) and compare with want. */
static void
dump_is(json_t *v, const char *want)
{
	struct etl_buf b;

	ck_assert_ptr_nonnull(v);
	etl_buf_init(&b);
	ck_assert_int_eq(etl_json_dump(&b, v), 0);
	ck_assert_str_eq(b.data, want);
	ck_assert_uint_eq(b.len, strlen(want));
	etl_buf_release(&b);
	json_decref(v);
}

static void
string_is(const char *s, size_t len, const char *want)
{
	struct etl_buf b;

	etl_buf_init(&b);
	ck_assert_int_eq(etl_json_dump_string(&b, s, len), 0);
	ck_assert_uint_eq(b.len, strlen(want));
	ck_assert_str_eq(b.data, want);
	etl_buf_release(&b);
}

static void
real_is(double d, const char *want)
{
	char buf[64];
	size_t n = etl_json_format_real(d, buf, sizeof(buf));

	ck_assert_str_eq(buf, want);
	ck_assert_uint_eq(n, strlen(want));
	/* It reads back to the same double. */
	ck_assert(strtod(buf, NULL) == d);
}

START_TEST(test_jsonw_real_shortest)
{
	real_is(1.1, "1.1");
	real_is(3.0, "3.0");
	real_is(0.1 + 0.2, "0.30000000000000004");
	real_is(0.1, "0.1");
	real_is(1e300, "1e+300");
	real_is(-2.5, "-2.5");
	real_is(0.0, "0.0");
	real_is(-0.0, "-0.0");
	real_is(100.0, "100.0");
	real_is(1.0 / 3.0, "0.3333333333333333");
	real_is(123456.789, "123456.789");
	real_is(1e-7, "1e-07");
	real_is(DBL_MAX, "1.7976931348623157e+308");
	real_is(9007199254740993.0, "9007199254740992.0");
}
END_TEST

START_TEST(test_jsonw_real_small_buffer)
{
	char buf[4];

	/* Does not fit: 0, and nothing past the buffer. */
	ck_assert_uint_eq(etl_json_format_real(0.30000000000000004, buf,
	    sizeof(buf)), 0);
}
END_TEST

START_TEST(test_jsonw_real_in_values)
{
	dump_is(json_real(1.1), "1.1");
	dump_is(json_real(3.0), "3.0");
	dump_is(json_pack("[f,f]", 0.1 + 0.2, 1e300),
	    "[0.30000000000000004,1e+300]");
}
END_TEST

START_TEST(test_jsonw_integers_at_limits)
{
	dump_is(json_integer(0), "0");
	dump_is(json_integer(-1), "-1");
	dump_is(json_integer(INT64_MAX), "9223372036854775807");
	dump_is(json_integer(INT64_MIN), "-9223372036854775808");
	dump_is(json_integer(9007199254740993), "9007199254740993");
}
END_TEST

START_TEST(test_jsonw_scalars)
{
	dump_is(json_true(), "true");
	dump_is(json_false(), "false");
	dump_is(json_null(), "null");
	dump_is(json_string(""), "\"\"");
	dump_is(json_object(), "{}");
	dump_is(json_array(), "[]");
}
END_TEST

START_TEST(test_jsonw_escapes)
{
	string_is("a\"b", 3, "\"a\\\"b\"");
	string_is("a\\b", 3, "\"a\\\\b\"");
	string_is("l1\nl2", 5, "\"l1\\nl2\"");
	string_is("\t\r\b\f", 4, "\"\\t\\r\\b\\f\"");
	string_is("\x01", 1, "\"\\u0001\"");
	string_is("\x1f", 1, "\"\\u001f\"");
	string_is("\x1b[0m", 4, "\"\\u001b[0m\"");
	string_is("a\0b", 3, "\"a\\u0000b\"");
	/* No escape for '/' or DEL, which JSON allows as they are. */
	string_is("a/b\x7f", 4, "\"a/b\x7f\"");
	string_is("", 0, "\"\"");
}
END_TEST

START_TEST(test_jsonw_escapes_all_controls)
{
	char in[32];
	struct etl_buf b;
	size_t len = 2;

	for (int i = 0; i < 32; i++)
		in[i] = (char)i;
	etl_buf_init(&b);
	ck_assert_int_eq(etl_json_dump_string(&b, in, sizeof(in)), 0);
	/* Six bytes each except \b \t \n \f \r, two each. */
	for (int i = 0; i < 32; i++)
		len += strchr("\b\t\n\f\r", i) != NULL && i != 0 ? 2 : 6;
	ck_assert_uint_eq(b.len, len);
	ck_assert_mem_eq(b.data, "\"\\u0000\\u0001", 13);
	etl_buf_release(&b);
}
END_TEST

START_TEST(test_jsonw_invalid_utf8_replaced)
{
	/* A lone continuation byte, an invalid lead byte, a truncated
	 * sequence at the end. */
	string_is("a\x80z", 3, "\"a\xef\xbf\xbdz\"");
	string_is("\xff", 1, "\"\xef\xbf\xbd\"");
	string_is("x\xe2\x82", 3, "\"x\xef\xbf\xbd\xef\xbf\xbd\"");
	/* Overlong "/" (C0 AF): two bad bytes. */
	string_is("\xc0\xaf", 2, "\"\xef\xbf\xbd\xef\xbf\xbd\"");
	/* A surrogate half, U+D800. */
	string_is("\xed\xa0\x80", 3,
	    "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
	/* A Latin-1 "café": only the bad byte goes. */
	string_is("caf\xe9!", 5, "\"caf\xef\xbf\xbd!\"");
}
END_TEST

START_TEST(test_jsonw_valid_multibyte_kept)
{
	string_is("caf\xc3\xa9", 5, "\"caf\xc3\xa9\"");
	string_is("\xe2\x82\xac", 3, "\"\xe2\x82\xac\"");
	string_is("\xf0\x9f\x98\x80", 4, "\"\xf0\x9f\x98\x80\"");
	string_is("\xf4\x8f\xbf\xbf", 4, "\"\xf4\x8f\xbf\xbf\"");
	string_is("\xef\xbf\xbd", 3, "\"\xef\xbf\xbd\"");
}
END_TEST

START_TEST(test_jsonw_invalid_utf8_in_values)
{
	json_t *o = json_object();

	/* jansson itself refuses such strings; _nocheck lets a raw line in. */
	json_object_set_new(o, "raw", json_stringn_nocheck("\xff\"x", 3));
	dump_is(o, "{\"raw\":\"\xef\xbf\xbd\\\"x\"}");
}
END_TEST

START_TEST(test_jsonw_key_order_kept)
{
	json_t *o = json_object();

	json_object_set_new(o, "z", json_integer(1));
	json_object_set_new(o, "a", json_integer(2));
	json_object_set_new(o, "m", json_integer(3));
	json_object_set_new(o, "b", json_integer(4));
	/* Replacing a value keeps its place. */
	json_object_set_new(o, "a", json_integer(5));
	dump_is(o, "{\"z\":1,\"a\":5,\"m\":3,\"b\":4}");
}
END_TEST

START_TEST(test_jsonw_key_order_from_input)
{
	json_error_t jerr;
	json_t *o = json_loads("{\"id\":1,\"b\":2,\"a\":[3,{\"y\":1,\"x\":2}]}",
	    0, &jerr);

	dump_is(o, "{\"id\":1,\"b\":2,\"a\":[3,{\"y\":1,\"x\":2}]}");
}
END_TEST

START_TEST(test_jsonw_nested)
{
	dump_is(json_pack("{s:[i,s,{s:n,s:[]},[[b]]],s:{s:{}}}", "a", 1, "x",
	    "k", "v", 0, "o", "p"),
	    "{\"a\":[1,\"x\",{\"k\":null,\"v\":[]},[[false]]],"
	    "\"o\":{\"p\":{}}}");
	dump_is(json_pack("[[[[[[]]]]]]"), "[[[[[[]]]]]]");
}
END_TEST

START_TEST(test_jsonw_keys_escaped)
{
	json_t *o = json_object();

	json_object_set_new(o, "a\"b\n", json_string("\\"));
	dump_is(o, "{\"a\\\"b\\n\":\"\\\\\"}");
}
END_TEST

START_TEST(test_jsonw_appends)
{
	struct etl_buf b;
	json_t *v = json_integer(7);

	etl_buf_init(&b);
	ck_assert_int_eq(etl_buf_puts(&b, "x="), 0);
	ck_assert_int_eq(etl_json_dump(&b, v), 0);
	ck_assert_int_eq(etl_json_dump_string(&b, "s", 1), 0);
	ck_assert_str_eq(b.data, "x=7\"s\"");
	json_decref(v);
	etl_buf_release(&b);
}
END_TEST

START_TEST(test_jsonw_utf8_valid)
{
	ck_assert(etl_utf8_valid("", 0));
	ck_assert(etl_utf8_valid("plain ascii", 11));
	ck_assert(etl_utf8_valid("caf\xc3\xa9", 5));
	ck_assert(etl_utf8_valid("\xe2\x82\xac", 3));
	ck_assert(etl_utf8_valid("\xf0\x9f\x98\x80", 4));
	ck_assert(etl_utf8_valid("\xf4\x8f\xbf\xbf", 4));	/* U+10FFFF */
	ck_assert(etl_utf8_valid("\xed\x9f\xbf", 3));		/* U+D7FF */
	ck_assert(etl_utf8_valid("\xee\x80\x80", 3));		/* U+E000 */
	ck_assert(etl_utf8_valid("\xc2\x80", 2));		/* U+0080 */
	ck_assert(etl_utf8_valid("\xe0\xa0\x80", 3));		/* U+0800 */
	ck_assert(etl_utf8_valid("\xf0\x90\x80\x80", 4));	/* U+10000 */
	ck_assert(etl_utf8_valid("a\0b", 3));
}
END_TEST

START_TEST(test_jsonw_utf8_invalid)
{
	/* Overlong forms of "/" and of U+0000. */
	ck_assert(!etl_utf8_valid("\xc0\xaf", 2));
	ck_assert(!etl_utf8_valid("\xc1\xbf", 2));
	ck_assert(!etl_utf8_valid("\xc0\x80", 2));
	ck_assert(!etl_utf8_valid("\xe0\x80\xaf", 3));
	ck_assert(!etl_utf8_valid("\xe0\x9f\xbf", 3));
	ck_assert(!etl_utf8_valid("\xf0\x80\x80\xaf", 4));
	ck_assert(!etl_utf8_valid("\xf0\x8f\xbf\xbf", 4));
	/* Surrogates U+D800 and U+DFFF. */
	ck_assert(!etl_utf8_valid("\xed\xa0\x80", 3));
	ck_assert(!etl_utf8_valid("\xed\xbf\xbf", 3));
	/* Past U+10FFFF. */
	ck_assert(!etl_utf8_valid("\xf4\x90\x80\x80", 4));
	ck_assert(!etl_utf8_valid("\xf5\x80\x80\x80", 4));
	ck_assert(!etl_utf8_valid("\xf8\x88\x80\x80\x80", 5));
	ck_assert(!etl_utf8_valid("\xff", 1));
	ck_assert(!etl_utf8_valid("\xfe", 1));
	/* Lone continuation, truncated sequences, a bad continuation. */
	ck_assert(!etl_utf8_valid("\x80", 1));
	ck_assert(!etl_utf8_valid("\xc3", 1));
	ck_assert(!etl_utf8_valid("\xe2\x82", 2));
	ck_assert(!etl_utf8_valid("\xf0\x9f\x98", 3));
	ck_assert(!etl_utf8_valid("\xc3\x28", 2));
	ck_assert(!etl_utf8_valid("\xe2\x28\xa1", 3));
	/* The length is honoured: a valid sequence cut by len. */
	ck_assert(!etl_utf8_valid("\xe2\x82\xac", 2));
	ck_assert(etl_utf8_valid("ab\xff", 2));
}
END_TEST

static Suite *
jsonw_suite(void)
{
	Suite *s = suite_create("jsonw");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_jsonw_real_shortest);
	tcase_add_test(tc, test_jsonw_real_small_buffer);
	tcase_add_test(tc, test_jsonw_real_in_values);
	tcase_add_test(tc, test_jsonw_integers_at_limits);
	tcase_add_test(tc, test_jsonw_scalars);
	tcase_add_test(tc, test_jsonw_escapes);
	tcase_add_test(tc, test_jsonw_escapes_all_controls);
	tcase_add_test(tc, test_jsonw_invalid_utf8_replaced);
	tcase_add_test(tc, test_jsonw_valid_multibyte_kept);
	tcase_add_test(tc, test_jsonw_invalid_utf8_in_values);
	tcase_add_test(tc, test_jsonw_key_order_kept);
	tcase_add_test(tc, test_jsonw_key_order_from_input);
	tcase_add_test(tc, test_jsonw_nested);
	tcase_add_test(tc, test_jsonw_keys_escaped);
	tcase_add_test(tc, test_jsonw_appends);
	tcase_add_test(tc, test_jsonw_utf8_valid);
	tcase_add_test(tc, test_jsonw_utf8_invalid);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(jsonw_suite());
}
