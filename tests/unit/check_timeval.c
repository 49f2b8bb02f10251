/* Unit tests of lib/timeval.c: RFC 3339 parsing, formatting, calendar. */
#include <stdint.h>

#include "timeval.h"
#include "unit.h"

/* 2026-01-01T00:00:00Z */
#define JAN1 INT64_C(1767225600)

static void
parse_ok(const char *s, int64_t sec, int32_t nsec)
{
	struct etl_instant t = { -1, -1 };

	ck_assert_msg(etl_time_parse(s, &t) == 0, "'%s' rejected", s);
	ck_assert_msg(t.sec == sec && t.nsec == nsec, "'%s' gave %lld.%09d, "
	    "expected %lld.%09d", s, (long long)t.sec, (int)t.nsec,
	    (long long)sec, (int)nsec);
}

static void
parse_bad(const char *s)
{
	struct etl_instant t = { -1, -1 };

	ck_assert_msg(etl_time_parse(s, &t) == -1, "'%s' accepted as "
	    "%lld.%09d", s, (long long)t.sec, (int)t.nsec);
}

START_TEST(test_timeval_parse_zulu)
{
	parse_ok("2026-01-01T09:00:00Z", JAN1 + 9 * 3600, 0);
	parse_ok("2026-01-01T09:00:00z", JAN1 + 9 * 3600, 0);
	parse_ok("2026-01-01t09:00:00Z", JAN1 + 9 * 3600, 0);
	parse_ok("1970-01-01T00:00:00Z", 0, 0);
	parse_ok("1969-12-31T23:59:59Z", -1, 0);
	parse_ok("2026-01-01T23:59:59Z", JAN1 + 86399, 0);
}
END_TEST

START_TEST(test_timeval_parse_offsets)
{
	/* 10:00 at +02:00 is 08:00Z. */
	parse_ok("2026-01-01T10:00:00+02:00", JAN1 + 8 * 3600, 0);
	parse_ok("2026-01-01T10:00:00+0200", JAN1 + 8 * 3600, 0);
	parse_ok("2026-01-01T10:00:00+02", JAN1 + 8 * 3600, 0);
	/* 00:00 at -05:30 is 05:30Z. */
	parse_ok("2026-01-01T00:00:00-0530", JAN1 + 5 * 3600 + 1800, 0);
	parse_ok("2026-01-01T00:00:00-05:30", JAN1 + 5 * 3600 + 1800, 0);
	parse_ok("2026-01-01T00:00:00+00:00", JAN1, 0);
	parse_ok("2026-01-01T00:00:00-00:00", JAN1, 0);
	/* An offset moves the instant across the year boundary. */
	parse_ok("2026-01-01T01:00:00+02:00", JAN1 - 3600, 0);
	parse_ok("2025-12-31T23:00:00-01:00", JAN1, 0);
	parse_ok("2026-01-01T00:00:00+23:59", JAN1 - 23 * 3600 - 59 * 60,
	    0);
}
END_TEST

START_TEST(test_timeval_parse_no_offset_is_utc)
{
	parse_ok("2026-01-01T09:00:00", JAN1 + 9 * 3600, 0);
	parse_ok("2026-01-01T09:00", JAN1 + 9 * 3600, 0);
	parse_ok("2026-01-01T09:30Z", JAN1 + 9 * 3600 + 1800, 0);
	parse_ok("2026-01-01", JAN1, 0);
}
END_TEST

START_TEST(test_timeval_parse_space_separator)
{
	parse_ok("2026-01-01 09:00:00Z", JAN1 + 9 * 3600, 0);
	parse_ok("2026-01-01 09:00:00+02:00", JAN1 + 7 * 3600, 0);
	parse_ok("2026-01-01 09:00:00", JAN1 + 9 * 3600, 0);
	parse_bad("2026-01-01  09:00:00");
	parse_bad("2026-01-01_09:00:00");
}
END_TEST

START_TEST(test_timeval_parse_fractions)
{
	parse_ok("2026-01-01T00:00:00.5Z", JAN1, 500000000);
	parse_ok("2026-01-01T00:00:00.12Z", JAN1, 120000000);
	parse_ok("2026-01-01T00:00:00.123Z", JAN1, 123000000);
	parse_ok("2026-01-01T00:00:00.1234Z", JAN1, 123400000);
	parse_ok("2026-01-01T00:00:00.12345Z", JAN1, 123450000);
	parse_ok("2026-01-01T00:00:00.123456Z", JAN1, 123456000);
	parse_ok("2026-01-01T00:00:00.1234567Z", JAN1, 123456700);
	parse_ok("2026-01-01T00:00:00.12345678Z", JAN1, 123456780);
	parse_ok("2026-01-01T00:00:00.123456789Z", JAN1, 123456789);
	parse_ok("2026-01-01T00:00:00.000000001Z", JAN1, 1);
	parse_ok("2026-01-01T00:00:00.999999999Z", JAN1, 999999999);
	/* Digits past nanoseconds are truncated, never rounded. */
	parse_ok("2026-01-01T00:00:00.1234567899Z", JAN1, 123456789);
	parse_ok("2026-01-01T00:00:00.9999999999999Z", JAN1, 999999999);
	parse_ok("2026-01-01T00:00:00.0000000009Z", JAN1, 0);
	/* A comma is ISO 8601's other decimal sign. */
	parse_ok("2026-01-01T00:00:00,5Z", JAN1, 500000000);
	parse_ok("2026-01-01T10:00:00.25+02:00", JAN1 + 8 * 3600, 250000000);
	parse_ok("2026-01-01T00:00:00.5", JAN1, 500000000);
	parse_bad("2026-01-01T00:00:00.Z");
	parse_bad("2026-01-01T00:00:00.");
	parse_bad("2026-01-01T00:00.5Z");
}
END_TEST

START_TEST(test_timeval_parse_leap_day)
{
	parse_ok("2024-02-29T12:00:00Z", INT64_C(1709208000), 0);
	parse_ok("2000-02-29", INT64_C(951782400), 0);
	parse_bad("2023-02-29T00:00:00Z");
	parse_bad("1900-02-29");
	parse_bad("2024-02-30");
	parse_ok("2023-02-28", INT64_C(1677542400), 0);
}
END_TEST

START_TEST(test_timeval_parse_field_ranges)
{
	parse_bad("2026-13-01T00:00:00Z");
	parse_bad("2026-00-01T00:00:00Z");
	parse_bad("2026-01-00T00:00:00Z");
	parse_bad("2026-01-32T00:00:00Z");
	parse_bad("2026-04-31");
	parse_bad("2026-01-01T24:00:00Z");
	parse_bad("2026-01-01T23:60:00Z");
	parse_bad("2026-01-01T23:59:61Z");
	parse_bad("2026-01-01T00:00:00+24:00");
	parse_bad("2026-01-01T00:00:00+02:60");
	parse_ok("2026-12-31T23:59:59Z", JAN1 + 364 * INT64_C(86400) + 86399,
	    0);
}
END_TEST

START_TEST(test_timeval_parse_trailing_garbage)
{
	parse_bad("2026-01-01T00:00:00Zx");
	parse_bad("2026-01-01T00:00:00Z ");
	parse_bad(" 2026-01-01T00:00:00Z");
	parse_bad("2026-01-01T00:00:00+02:00x");
	parse_bad("2026-01-01T00:00:00+02:00:00");
	parse_bad("2026-01-01T00:00:00+020");
	parse_bad("2026-01-01T00:00:00+2");
	parse_bad("2026-01-01T00:00:00+02:");
	parse_bad("2026-01-01T00:00:00+");
	parse_bad("2026-01-01x");
	parse_bad("2026-01-01T");
	parse_bad("2026-01-01T09");
	parse_bad("2026-01-01T09:");
	parse_bad("2026-01-01T9:00:00Z");
	parse_bad("2026-1-01");
	parse_bad("26-01-01");
	parse_bad("20260101");
	parse_bad("2026-01-01Z");
	parse_bad("");
	parse_bad("yesterday");
}
END_TEST

static void
format_is(int64_t sec, int32_t nsec, const char *want)
{
	struct etl_instant t = { sec, nsec };
	char buf[ETL_TIME_BUFSZ];

	ck_assert_ptr_eq(etl_time_format(&t, buf), buf);
	ck_assert_str_eq(buf, want);
}

START_TEST(test_timeval_format)
{
	format_is(JAN1 + 9 * 3600, 0, "2026-01-01T09:00:00Z");
	format_is(0, 0, "1970-01-01T00:00:00Z");
	format_is(-1, 0, "1969-12-31T23:59:59Z");
	format_is(-86400, 0, "1969-12-31T00:00:00Z");
	format_is(INT64_C(1709208000), 0, "2024-02-29T12:00:00Z");
	format_is(INT64_C(253402300799), 0, "9999-12-31T23:59:59Z");
	format_is(INT64_C(-62135596800), 0, "0001-01-01T00:00:00Z");
}
END_TEST

START_TEST(test_timeval_format_fraction)
{
	format_is(JAN1, 500000000, "2026-01-01T00:00:00.5Z");
	format_is(JAN1, 120000000, "2026-01-01T00:00:00.12Z");
	format_is(JAN1, 123000000, "2026-01-01T00:00:00.123Z");
	format_is(JAN1, 123456789, "2026-01-01T00:00:00.123456789Z");
	format_is(JAN1, 1, "2026-01-01T00:00:00.000000001Z");
	format_is(JAN1, 10, "2026-01-01T00:00:00.00000001Z");
	format_is(-1, 999000000, "1969-12-31T23:59:59.999Z");
}
END_TEST

START_TEST(test_timeval_format_parse_round_trip)
{
	static const char *const texts[] = { "2026-01-01T09:00:00Z",
	    "2024-02-29T23:59:59.999999999Z", "1900-03-01T00:00:00.5Z",
	    "0001-01-01T00:00:00Z", "1969-07-20T20:17:40.25Z",
	    "2038-01-19T03:14:08Z", "9999-12-31T23:59:59.000000001Z" };

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct etl_instant t;
		char buf[ETL_TIME_BUFSZ];

		ck_assert_int_eq(etl_time_parse(texts[i], &t), 0);
		ck_assert_str_eq(etl_time_format(&t, buf), texts[i]);
	}
}
END_TEST

START_TEST(test_timeval_cmp)
{
	struct etl_instant a = { 10, 5 }, b = { 10, 6 }, c = { 11, 0 };
	struct etl_instant d = { -1, 999999999 };
	struct etl_instant x, y;

	ck_assert_int_lt(etl_time_cmp(&a, &b), 0);
	ck_assert_int_gt(etl_time_cmp(&b, &a), 0);
	ck_assert_int_lt(etl_time_cmp(&b, &c), 0);
	ck_assert_int_eq(etl_time_cmp(&a, &a), 0);
	ck_assert_int_lt(etl_time_cmp(&d, &a), 0);
	/* Offsets are normalised: one instant, two spellings. */
	ck_assert_int_eq(etl_time_parse("2026-01-01T10:00:00+02:00", &x), 0);
	ck_assert_int_eq(etl_time_parse("2026-01-01T08:00:00Z", &y), 0);
	ck_assert_int_eq(etl_time_cmp(&x, &y), 0);
	ck_assert_int_eq(etl_time_parse("2026-01-01T09:00:00Z", &y), 0);
	ck_assert_int_lt(etl_time_cmp(&x, &y), 0);
}
END_TEST

static void
add_is(const char *from, int64_t ms, const char *want)
{
	struct etl_instant t;
	char buf[ETL_TIME_BUFSZ];

	ck_assert_int_eq(etl_time_parse(from, &t), 0);
	etl_time_add_ms(&t, ms);
	ck_assert_int_ge(t.nsec, 0);
	ck_assert_int_lt(t.nsec, 1000000000);
	ck_assert_msg(strcmp(etl_time_format(&t, buf), want) == 0,
	    "%s %+lld ms gave %s, expected %s", from, (long long)ms, buf, want);
}

START_TEST(test_timeval_add_ms)
{
	add_is("2026-01-01T00:00:00Z", 0, "2026-01-01T00:00:00Z");
	add_is("2026-01-01T00:00:00Z", 1, "2026-01-01T00:00:00.001Z");
	add_is("2026-01-01T00:00:00Z", 1500, "2026-01-01T00:00:01.5Z");
	add_is("2026-01-01T23:59:59.999Z", 1, "2026-01-02T00:00:00Z");
	add_is("2026-01-01T00:00:00.6Z", 400, "2026-01-01T00:00:01Z");
	add_is("2024-02-28T12:00:00Z", 86400000, "2024-02-29T12:00:00Z");
	add_is("2023-02-28T12:00:00Z", 86400000, "2023-03-01T12:00:00Z");
}
END_TEST

START_TEST(test_timeval_add_ms_negative)
{
	/* Back across a day, a month and a year boundary. */
	add_is("2026-01-01T00:00:00Z", -1, "2025-12-31T23:59:59.999Z");
	add_is("2026-01-01T00:00:00Z", -300000, "2025-12-31T23:55:00Z");
	add_is("2026-01-01T00:00:00.0005Z", -1, "2025-12-31T23:59:59.9995Z");
	add_is("2026-03-02T00:00:00.2Z", -1500, "2026-03-01T23:59:58.7Z");
	add_is("2024-03-01T00:00:00Z", -86400000, "2024-02-29T00:00:00Z");
	add_is("2026-01-01T00:00:00Z", -INT64_C(365) * 86400000,
	    "2025-01-01T00:00:00Z");
	add_is("1970-01-01T00:00:00Z", -1, "1969-12-31T23:59:59.999Z");
	add_is("2026-01-01T00:00:00.999Z", -999, "2026-01-01T00:00:00Z");
	add_is("2026-01-01T00:00:00.999Z", -1000, "2025-12-31T23:59:59.999Z");
}
END_TEST

START_TEST(test_timeval_civil_known_days)
{
	int64_t y;
	int m, d;

	ck_assert_int_eq(etl_days_from_civil(1970, 1, 1), 0);
	ck_assert_int_eq(etl_days_from_civil(1969, 12, 31), -1);
	ck_assert_int_eq(etl_days_from_civil(2000, 3, 1), 11017);
	ck_assert_int_eq(etl_days_from_civil(2026, 1, 1), 20454);
	ck_assert_int_eq(etl_days_from_civil(1, 1, 1), -719162);
	ck_assert_int_eq(etl_days_from_civil(0, 3, 1), -719468);
	ck_assert_int_eq(etl_days_from_civil(0, 1, 1), -719528);
	/* Year 0 is a leap year (proleptic Gregorian, astronomical). */
	ck_assert_int_eq(etl_days_from_civil(0, 2, 29),
	    etl_days_from_civil(0, 3, 1) - 1);
	ck_assert_int_eq(etl_days_from_civil(-1, 12, 31), -719529);
	ck_assert_int_eq(etl_days_from_civil(-400, 1, 1), -719528 - 146097);

	etl_civil_from_days(-719529, &y, &m, &d);
	ck_assert_int_eq(y, -1);
	ck_assert_int_eq(m, 12);
	ck_assert_int_eq(d, 31);
	etl_civil_from_days(11016, &y, &m, &d);
	ck_assert_int_eq(y, 2000);
	ck_assert_int_eq(m, 2);
	ck_assert_int_eq(d, 29);
}
END_TEST

static int
is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

START_TEST(test_timeval_civil_round_trip)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int64_t py, y;
	int pm, pd, m, d;

	/* Every day from about 3500 BC to AD 7400: each is the day after
	 * the previous one in the calendar, and converts back. */
	etl_civil_from_days(-2000001, &py, &pm, &pd);
	for (int64_t z = -2000000; z <= 2000000; z++) {
		int last, next_ok;

		/* Plain ifs: a passing ck_assert costs a write to Check. */
		etl_civil_from_days(z, &y, &m, &d);
		if (etl_days_from_civil(y, m, d) != z)
			ck_abort_msg("day %lld: %lld-%02d-%02d does not "
			    "convert back", (long long)z, (long long)y, m, d);
		last = pm == 2 && is_leap(py) ? 29 : mdays[pm - 1];
		if (pd < last)
			next_ok = y == py && m == pm && d == pd + 1;
		else if (pm < 12)
			next_ok = y == py && m == pm + 1 && d == 1;
		else
			next_ok = y == py + 1 && m == 1 && d == 1;
		if (!next_ok)
			ck_abort_msg("day %lld: %lld-%02d-%02d does not follow "
			    "%lld-%02d-%02d", (long long)z, (long long)y, m, d,
			    (long long)py, pm, pd);
		py = y;
		pm = m;
		pd = d;
	}
}
END_TEST

START_TEST(test_timeval_civil_far_years)
{
	static const int64_t years[] = { -1000000, -400001, -400000, -399999,
	    -4713, -101, -100, -4, -1, 0, 1, 4, 100, 400, 1582, 1600, 1900,
	    2000, 2100, 9999, 10000, 400000, 1000000 };

	for (size_t i = 0; i < sizeof(years) / sizeof(years[0]); i++) {
		for (int mo = 1; mo <= 12; mo++) {
			int64_t z = etl_days_from_civil(years[i], mo, 28), y;
			int m, d;

			etl_civil_from_days(z, &y, &m, &d);
			ck_assert_int_eq(y, years[i]);
			ck_assert_int_eq(m, mo);
			ck_assert_int_eq(d, 28);
			/* 28 days later is the next month in every year. */
			etl_civil_from_days(z + 4, &y, &m, &d);
			if (mo == 2)
				ck_assert_int_eq(d, is_leap(years[i]) ? 3 : 4);
		}
		ck_assert_int_eq(etl_days_from_civil(years[i] + 1, 1, 1) -
		    etl_days_from_civil(years[i], 1, 1),
		    is_leap(years[i]) ? 366 : 365);
	}
}
END_TEST

START_TEST(test_timeval_now_is_sane)
{
	struct etl_instant t = etl_time_now();

	/* Later than this code was written; nanoseconds in range. */
	ck_assert_int_gt(t.sec, JAN1 - 366 * 86400);
	ck_assert_int_ge(t.nsec, 0);
	ck_assert_int_lt(t.nsec, 1000000000);
}
END_TEST

static Suite *
timeval_suite(void)
{
	Suite *s = suite_create("timeval");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_timeval_parse_zulu);
	tcase_add_test(tc, test_timeval_parse_offsets);
	tcase_add_test(tc, test_timeval_parse_no_offset_is_utc);
	tcase_add_test(tc, test_timeval_parse_space_separator);
	tcase_add_test(tc, test_timeval_parse_fractions);
	tcase_add_test(tc, test_timeval_parse_leap_day);
	tcase_add_test(tc, test_timeval_parse_field_ranges);
	tcase_add_test(tc, test_timeval_parse_trailing_garbage);
	tcase_add_test(tc, test_timeval_format);
	tcase_add_test(tc, test_timeval_format_fraction);
	tcase_add_test(tc, test_timeval_format_parse_round_trip);
	tcase_add_test(tc, test_timeval_cmp);
	tcase_add_test(tc, test_timeval_add_ms);
	tcase_add_test(tc, test_timeval_add_ms_negative);
	tcase_add_test(tc, test_timeval_civil_known_days);
	tcase_add_test(tc, test_timeval_civil_round_trip);
	tcase_add_test(tc, test_timeval_civil_far_years);
	tcase_add_test(tc, test_timeval_now_is_sane);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(timeval_suite());
}
