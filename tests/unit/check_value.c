/* Unit tests of lib/value.c: exact, type-aware ordering of values. */
#include <stdint.h>

#include "value.h"
#include "unit.h"

static int
sign(int v)
{
	return v < 0 ? -1 : v > 0;
}

/* a compared with b gives want (-1, 0, 1), and the reverse its opposite. */
static void
num_is(const char *a, const char *b, int want)
{
	int cmp = 99;

	ck_assert_msg(etl_number_cmp(a, b, &cmp) == 0, "%s vs %s: not "
	    "numbers", a, b);
	ck_assert_msg(sign(cmp) == want, "%s vs %s gave %d, expected %d", a,
	    b, cmp, want);
	cmp = 99;
	ck_assert_int_eq(etl_number_cmp(b, a, &cmp), 0);
	ck_assert_msg(sign(cmp) == -want, "%s vs %s gave %d, expected %d", b,
	    a, cmp, -want);
	/* etl_value_cmp agrees for numbers. */
	cmp = 99;
	ck_assert_int_eq(etl_value_cmp(a, b, &cmp), 0);
	ck_assert_int_eq(sign(cmp), want);
}

static void
num_bad(const char *a, const char *b)
{
	int cmp = 99;

	ck_assert_msg(etl_number_cmp(a, b, &cmp) == -1, "%s vs %s compared",
	    a, b);
	ck_assert_int_eq(cmp, 99);
}

START_TEST(test_value_number_big_integers)
{
	/* Beyond a double's 53 bits: a double would call these equal. */
	num_is("12345678901234567890", "12345678901234567891", -1);
	num_is("9007199254740993", "9007199254740992", 1);
	num_is("-12345678901234567891", "-12345678901234567890", -1);
	num_is("123456789012345678901234567890", "1e29", 1);
	num_is("100000000000000000000000000000", "1e29", 0);
}
END_TEST

START_TEST(test_value_number_equal_spellings)
{
	num_is("1.10", "1.1", 0);
	num_is("1.0", "1", 0);
	num_is("1e3", "1000", 0);
	num_is("1E3", "1000.000", 0);
	num_is("0.001", "1e-3", 0);
	num_is("10e-1", "1", 0);
	num_is("-0", "0", 0);
	num_is("-0.0", "0e5", 0);
	num_is("0", "0.000", 0);
	num_is("100", "1e+2", 0);
}
END_TEST

START_TEST(test_value_number_order)
{
	num_is("1e3", "999", 1);
	num_is("1e3", "1000.0001", -1);
	num_is("-1.5", "-1.25", -1);
	num_is("0.05", "0.5", -1);
	num_is("0.5", "0.05", 1);
	num_is("-1", "0", -1);
	num_is("-0.0001", "0", -1);
	num_is("0.0001", "0", 1);
	num_is("2", "10", -1);
	num_is("9", "10", -1);
	num_is("0.9", "0.10", 1);
	num_is("1.01", "1.1", -1);
	num_is("-10", "-9", -1);
	num_is("1e-400", "0", 1);
	num_is("1e400", "9e399", 1);
	num_is("123.456", "123.4559", 1);
}
END_TEST

START_TEST(test_value_number_rejects)
{
	num_bad("01", "1");
	num_bad("1", "007");
	num_bad("-01", "1");
	num_bad("00", "0");
	num_bad("1.", "1");
	num_bad(".5", "1");
	num_bad("+1", "1");
	num_bad("1e", "1");
	num_bad("1e+", "1");
	num_bad("", "1");
	num_bad("-", "1");
	num_bad("1 ", "1");
	num_bad(" 1", "1");
	num_bad("0x10", "1");
	num_bad("NaN", "1");
	num_bad("Infinity", "1");
	num_bad("1,5", "1");
	num_bad("12abc", "12");
}
END_TEST

START_TEST(test_value_number_leading_zero_fraction_ok)
{
	/* "0.x" and "-0.x" are JSON; only a leading zero before a digit
	 * is not. */
	num_is("0.5", "-0.5", 1);
	num_is("0e0", "0", 0);
}
END_TEST

START_TEST(test_value_kind)
{
	ck_assert_int_eq(etl_value_kind("42"), ETL_V_NUMBER);
	ck_assert_int_eq(etl_value_kind("-1.5e3"), ETL_V_NUMBER);
	ck_assert_int_eq(etl_value_kind("2026"), ETL_V_NUMBER);
	ck_assert_int_eq(etl_value_kind("2026-01-01T09:00:00Z"), ETL_V_TIME);
	ck_assert_int_eq(etl_value_kind("2026-01-01"), ETL_V_TIME);
	ck_assert_int_eq(etl_value_kind("2026-01-01 09:00:00+02:00"),
	    ETL_V_TIME);
	ck_assert_int_eq(etl_value_kind("abc"), ETL_V_NONE);
	ck_assert_int_eq(etl_value_kind(""), ETL_V_NONE);
	ck_assert_int_eq(etl_value_kind("007"), ETL_V_NONE);
	ck_assert_int_eq(etl_value_kind("2026-13-01"), ETL_V_NONE);
	ck_assert_int_eq(etl_value_kind(NULL), ETL_V_NONE);
	ck_assert_str_eq(etl_vkind_name(ETL_V_NUMBER), "number");
	ck_assert_str_eq(etl_vkind_name(ETL_V_TIME), "timestamp");
	ck_assert_str_eq(etl_vkind_name(ETL_V_NONE), "other");
}
END_TEST

static void
value_is(const char *a, const char *b, int want)
{
	int cmp = 99;

	ck_assert_msg(etl_value_cmp(a, b, &cmp) == 0, "%s vs %s: not "
	    "comparable", a, b);
	ck_assert_msg(sign(cmp) == want, "%s vs %s gave %d, expected %d", a,
	    b, cmp, want);
	cmp = 99;
	ck_assert_int_eq(etl_value_cmp(b, a, &cmp), 0);
	ck_assert_int_eq(sign(cmp), -want);
}

static void
value_bad(const char *a, const char *b)
{
	int cmp = 99;

	ck_assert_msg(etl_value_cmp(a, b, &cmp) == -1, "%s vs %s compared",
	    a ? a : "(null)", b ? b : "(null)");
	ck_assert_int_eq(cmp, 99);
}

START_TEST(test_value_timestamps_as_instants)
{
	/* 10:00+02:00 is 08:00Z, before 09:00Z, though its text sorts
	 * after it. */
	value_is("2026-01-01T10:00:00+02:00", "2026-01-01T09:00:00Z", -1);
	value_is("2026-01-01T10:00:00+02:00", "2026-01-01T08:00:00Z", 0);
	value_is("2026-01-01T08:00:00.000Z", "2026-01-01T08:00:00Z", 0);
	value_is("2026-01-01T08:00:00.001Z", "2026-01-01T08:00:00Z", 1);
	value_is("2025-12-31T23:30:00-01:00", "2026-01-01T00:15:00Z", 1);
	value_is("2026-01-01", "2025-12-31T23:59:59.999999999Z", 1);
	value_is("2026-01-01 00:00:00", "2026-01-01T00:00:00Z", 0);
}
END_TEST

START_TEST(test_value_mixed_kinds_incomparable)
{
	value_bad("2026-01-01T00:00:00Z", "5");
	value_bad("5", "2026-01-01T00:00:00Z");
	value_bad("abc", "abc");
	value_bad("abc", "5");
	value_bad("5", "abc");
	value_bad("", "");
	value_bad("2026-02-30", "2026-01-01");
	value_bad("01", "1");
	value_bad(NULL, "1");
}
END_TEST

static void
text_is(json_t *v, const char *want)
{
	char *s = etl_value_text(v);

	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s, want);
	free(s);
	json_decref(v);
}

static void
text_null(json_t *v)
{
	ck_assert_ptr_null(etl_value_text(v));
	json_decref(v);
}

START_TEST(test_value_text)
{
	text_is(json_string("abc"), "abc");
	text_is(json_string(""), "");
	text_is(json_string("caf\xc3\xa9"), "caf\xc3\xa9");
	text_is(json_integer(42), "42");
	text_is(json_integer(-7), "-7");
	text_is(json_integer(INT64_MAX), "9223372036854775807");
	text_is(json_integer(INT64_MIN), "-9223372036854775808");
	text_is(json_real(1.1), "1.1");
	text_is(json_real(3.0), "3.0");
	text_is(json_real(-0.5), "-0.5");
	text_is(json_real(1e300), "1e+300");
	text_null(json_null());
	text_null(json_true());
	text_null(json_false());
	text_null(json_object());
	text_null(json_array());
}
END_TEST

START_TEST(test_value_text_string_with_nul)
{
	/* Strings are copied by length; a NUL inside ends the C string. */
	json_t *v = json_stringn("ab\0cd", 5);
	char *s = etl_value_text(v);

	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s, "ab");
	free(s);
	json_decref(v);
}
END_TEST

static Suite *
value_suite(void)
{
	Suite *s = suite_create("value");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_value_number_big_integers);
	tcase_add_test(tc, test_value_number_equal_spellings);
	tcase_add_test(tc, test_value_number_order);
	tcase_add_test(tc, test_value_number_rejects);
	tcase_add_test(tc, test_value_number_leading_zero_fraction_ok);
	tcase_add_test(tc, test_value_kind);
	tcase_add_test(tc, test_value_timestamps_as_instants);
	tcase_add_test(tc, test_value_mixed_kinds_incomparable);
	tcase_add_test(tc, test_value_text);
	tcase_add_test(tc, test_value_text_string_with_nul);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(value_suite());
}
