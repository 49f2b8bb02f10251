/* Unit tests of lib/parse.c: strict integers, durations and sizes. */
#include <limits.h>
#include <stdint.h>

#include "parse.h"
#include "unit.h"

static void
int_ok(const char *s, long long min, long long max, long long want)
{
	long long v = -12345;
	const char *why = NULL;

	ck_assert_msg(etl_parse_int(s, min, max, &v, &why) == 0,
	    "'%s' rejected: %s", s, why ? why : "?");
	ck_assert_msg(v == want, "'%s' gave %lld, expected %lld", s, v, want);
}

static void
int_bad(const char *s, long long min, long long max, const char *want_why)
{
	long long v = -12345;
	const char *why = NULL;

	ck_assert_msg(etl_parse_int(s, min, max, &v, &why) == -1,
	    "'%s' accepted as %lld", s ? s : "(null)", v);
	ck_assert_msg(v == -12345, "'%s': output written on failure",
	    s ? s : "(null)");
	ck_assert_ptr_nonnull(why);
	ck_assert_str_eq(why, want_why);
	/* why may be NULL. */
	ck_assert_int_eq(etl_parse_int(s, min, max, &v, NULL), -1);
}

START_TEST(test_parse_int_valid)
{
	int_ok("0", 0, 10, 0);
	int_ok("42", 0, 100, 42);
	int_ok("-5", -10, 10, -5);
	int_ok("100", 0, 100, 100);
	int_ok("-10", -10, 10, -10);
	int_ok("9223372036854775807", LLONG_MIN, LLONG_MAX, LLONG_MAX);
	int_ok("-9223372036854775808", LLONG_MIN, LLONG_MAX, LLONG_MIN);
}
END_TEST

START_TEST(test_parse_int_range)
{
	int_bad("101", 0, 100, "number out of range");
	int_bad("-1", 0, 100, "number out of range");
	int_bad("9223372036854775808", LLONG_MIN, LLONG_MAX,
	    "number out of range");
	int_bad("-9223372036854775809", LLONG_MIN, LLONG_MAX,
	    "number out of range");
	int_bad("99999999999999999999999", 0, LLONG_MAX,
	    "number out of range");
}
END_TEST

START_TEST(test_parse_int_trailing_garbage)
{
	int_bad("12abc", 0, 100, "trailing characters after number");
	int_bad("5 ", 0, 100, "trailing characters after number");
	int_bad("0x10", 0, 100, "trailing characters after number");
	int_bad("1.5", 0, 100, "trailing characters after number");
	int_bad("1e3", 0, 10000, "trailing characters after number");
}
END_TEST

START_TEST(test_parse_int_empty_and_space)
{
	int_bad("", 0, 100, "empty number");
	int_bad(NULL, 0, 100, "empty number");
	int_bad(" 5", 0, 100, "leading space");
	int_bad("\t5", 0, 100, "leading space");
	int_bad("\n5", 0, 100, "leading space");
	int_bad("abc", 0, 100, "not a number");
	int_bad("-", 0, 100, "not a number");
}
END_TEST

static void
dur_ok(const char *s, int64_t want)
{
	int64_t ms = -1;
	const char *why = NULL;

	ck_assert_msg(etl_parse_duration(s, &ms, &why) == 0,
	    "'%s' rejected: %s", s, why ? why : "?");
	ck_assert_msg(ms == want, "'%s' gave %lld ms, expected %lld", s,
	    (long long)ms, (long long)want);
}

static void
dur_bad(const char *s)
{
	int64_t ms = -1;
	const char *why = NULL;

	ck_assert_msg(etl_parse_duration(s, &ms, &why) == -1,
	    "'%s' accepted as %lld ms", s ? s : "(null)", (long long)ms);
	ck_assert_msg(ms == -1, "'%s': output written on failure",
	    s ? s : "(null)");
	ck_assert_ptr_nonnull(why);
	ck_assert_uint_gt(strlen(why), 0);
}

START_TEST(test_parse_duration_units)
{
	dur_ok("500ms", 500);
	dur_ok("30s", 30000);
	dur_ok("5m", 300000);
	dur_ok("2h", 7200000);
	dur_ok("7d", 604800000);
	dur_ok("0", 0);
	dur_ok("0s", 0);
	dur_ok("1ms", 1);
	dur_ok("1000ms", 1000);
}
END_TEST

START_TEST(test_parse_duration_compound)
{
	dur_ok("1h30m", 5400000);
	dur_ok("1d2h3m4s5ms", 86400000 + 7200000 + 180000 + 4000 + 5);
	dur_ok("90m", 5400000);
}
END_TEST

START_TEST(test_parse_duration_rejects)
{
	dur_bad("5");
	dur_bad("5x");
	dur_bad("-5s");
	dur_bad("+5s");
	dur_bad("");
	dur_bad(NULL);
	dur_bad("s");
	dur_bad("ms");
	dur_bad("5 s");
	dur_bad(" 5s");
	dur_bad("5s ");
	dur_bad("1h 30m");
	dur_bad("1.5h");
	dur_bad("5S");
	dur_bad("5M");
	dur_bad("5sec");
	dur_bad("5min");
	dur_bad("1h30");
	dur_bad("00");
}
END_TEST

START_TEST(test_parse_duration_overflow)
{
	int64_t max_days = INT64_MAX / 86400000;
	char s[64];

	/* The largest whole number of days fits; one more does not. */
	snprintf(s, sizeof(s), "%lldd", (long long)max_days);
	dur_ok(s, max_days * 86400000);
	snprintf(s, sizeof(s), "%lldd", (long long)max_days + 1);
	dur_bad(s);
	dur_bad("9223372036854775807s");
	dur_bad("99999999999999999999ms");
	dur_bad("9223372036854775807ms1ms");
	/* The sum of parts overflows even when each part fits. */
	snprintf(s, sizeof(s), "%lldd%lldd", (long long)max_days,
	    (long long)max_days);
	dur_bad(s);
}
END_TEST

static void
size_ok(const char *s, size_t want)
{
	size_t v = 12345;
	const char *why = NULL;

	ck_assert_msg(etl_parse_size(s, &v, &why) == 0, "'%s' rejected: %s",
	    s, why ? why : "?");
	ck_assert_msg(v == want, "'%s' gave %zu, expected %zu", s, v, want);
}

static void
size_bad(const char *s)
{
	size_t v = 12345;
	const char *why = NULL;

	ck_assert_msg(etl_parse_size(s, &v, &why) == -1, "'%s' accepted as %zu",
	    s ? s : "(null)", v);
	ck_assert_uint_eq(v, 12345);
	ck_assert_ptr_nonnull(why);
	ck_assert_uint_gt(strlen(why), 0);
}

START_TEST(test_parse_size_suffixes)
{
	size_ok("64M", (size_t)64 << 20);
	size_ok("1K", 1024);
	size_ok("1G", (size_t)1 << 30);
	size_ok("512k", 512 * 1024);
	size_ok("1048576", 1048576);
	size_ok("0", 0);
	size_ok("16m", (size_t)16 << 20);
}
END_TEST

START_TEST(test_parse_size_rejects)
{
	size_bad("1T");
	size_bad("garbage");
	size_bad("");
	size_bad(NULL);
	size_bad("12Q");
	size_bad("1KK");
	size_bad("-1");
	size_bad("+1K");
	size_bad(" 1K");
	size_bad("1K ");
	size_bad("1.5M");
	size_bad("M");
	size_bad("99999999999999999999999");
	size_bad("99999999999G");
}
END_TEST

static Suite *
parse_suite(void)
{
	Suite *s = suite_create("parse");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_parse_int_valid);
	tcase_add_test(tc, test_parse_int_range);
	tcase_add_test(tc, test_parse_int_trailing_garbage);
	tcase_add_test(tc, test_parse_int_empty_and_space);
	tcase_add_test(tc, test_parse_duration_units);
	tcase_add_test(tc, test_parse_duration_compound);
	tcase_add_test(tc, test_parse_duration_rejects);
	tcase_add_test(tc, test_parse_duration_overflow);
	tcase_add_test(tc, test_parse_size_suffixes);
	tcase_add_test(tc, test_parse_size_rejects);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(parse_suite());
}
