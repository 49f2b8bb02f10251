/* Unit tests of lib/cast.c and lib/cast_time.c: every type and format. */
#include <stdint.h>

#include "cast.h"
#include "jsonw.h"
#include "strbuf.h"
#include "unit.h"

/* Cast in (JSON text) to type with formats and tz; the output as JSON. */
static char *
cast_json(enum etl_type type, const char *in, const char *const *formats,
    int nformats, const char *tz, char *why, size_t n)
{
	struct etl_cast c;
	struct etl_error err;
	struct etl_buf b;
	json_t *v = json_loads(in, JSON_DECODE_ANY, NULL), *out = NULL;
	int rc;

	ck_assert_msg(v != NULL, "bad test input %s", in);
	etl_error_init(&err);
	ck_assert_int_eq(etl_cast_init(&c, type, formats, nformats, tz, &err),
	    0);
	why[0] = '\0';
	rc = etl_cast_value(&c, v, &out, why, n);
	etl_cast_release(&c);
	json_decref(v);
	if (rc < 0) {
		ck_assert_ptr_null(out);
		return NULL;
	}
	etl_buf_init(&b);
	ck_assert_int_eq(etl_json_dump(&b, out), 0);
	json_decref(out);
	return b.data;
}

static void
ok(enum etl_type type, const char *in, const char *want)
{
	char why[256];
	char *got = cast_json(type, in, NULL, 0, NULL, why, sizeof(why));

	ck_assert_msg(got != NULL, "%s as %s failed: %s", in,
	    etl_type_name(type), why);
	ck_assert_msg(strcmp(got, want) == 0, "%s as %s gave %s, expected %s",
	    in, etl_type_name(type), got, want);
	free(got);
}

static void
bad(enum etl_type type, const char *in, const char *why_part)
{
	char why[256];
	char *got = cast_json(type, in, NULL, 0, NULL, why, sizeof(why));

	ck_assert_msg(got == NULL, "%s as %s gave %s, expected an error", in,
	    etl_type_name(type), got);
	ck_assert_msg(strstr(why, why_part) != NULL, "%s: why '%s' lacks "
	    "'%s'", in, why, why_part);
}

static void
tok(enum etl_type type, const char *fmt, const char *tz, const char *in,
    const char *want)
{
	const char *formats[1] = { fmt };
	char why[256];
	char *got = cast_json(type, in, formats, fmt ? 1 : 0, tz, why,
	    sizeof(why));

	ck_assert_msg(got != NULL, "%s with '%s' failed: %s", in,
	    fmt ? fmt : "default", why);
	ck_assert_msg(strcmp(got, want) == 0, "%s with '%s' in %s gave %s, "
	    "expected %s", in, fmt ? fmt : "default", tz ? tz : "UTC", got,
	    want);
	free(got);
}

static void
tbad(enum etl_type type, const char *fmt, const char *tz, const char *in,
    const char *why_part)
{
	const char *formats[1] = { fmt };
	char why[256];
	char *got = cast_json(type, in, formats, fmt ? 1 : 0, tz, why,
	    sizeof(why));

	ck_assert_msg(got == NULL, "%s with '%s' gave %s, expected an error",
	    in, fmt ? fmt : "default", got);
	ck_assert_msg(strstr(why, why_part) != NULL, "%s: why '%s' lacks "
	    "'%s'", in, why, why_part);
}

START_TEST(test_cast_type_names)
{
	enum etl_type t;

	ck_assert_int_eq(etl_type_parse("datetime", &t), 0);
	ck_assert_int_eq(t, ETL_T_DATETIME);
	ck_assert_str_eq(etl_type_name(ETL_T_INTEGER), "integer");
	ck_assert_int_eq(etl_type_parse("int", &t), -1);
	ck_assert_int_eq(etl_type_parse("", &t), -1);
}
END_TEST

START_TEST(test_cast_integer)
{
	ok(ETL_T_INTEGER, "\"42\"", "42");
	ok(ETL_T_INTEGER, "\"-7\"", "-7");
	ok(ETL_T_INTEGER, "\"+3\"", "3");
	ok(ETL_T_INTEGER, "\"007\"", "7");
	ok(ETL_T_INTEGER, "\"3.00\"", "3");
	ok(ETL_T_INTEGER, "\"-0\"", "0");
	ok(ETL_T_INTEGER, "12", "12");
	ok(ETL_T_INTEGER, "3.0", "3");
	ok(ETL_T_INTEGER, "\"9223372036854775807\"", "9223372036854775807");
	ok(ETL_T_INTEGER, "\"-9223372036854775808\"", "-9223372036854775808");
	ok(ETL_T_INTEGER, "-9223372036854775808", "-9223372036854775808");
}
END_TEST

START_TEST(test_cast_integer_overflow)
{
	bad(ETL_T_INTEGER, "\"9223372036854775808\"", "64-bit integer range");
	bad(ETL_T_INTEGER, "\"-9223372036854775809\"",
	    "64-bit integer range");
	bad(ETL_T_INTEGER, "\"99999999999999999999\"",
	    "out of the 64-bit integer range: '99999999999999999999'");
	bad(ETL_T_INTEGER, "\"123456789012345678901234567890\"",
	    "64-bit integer range");
	bad(ETL_T_INTEGER, "1e19", "not an integer");
	bad(ETL_T_INTEGER, "9.3e18", "not an integer");
	bad(ETL_T_INTEGER, "-9.3e18", "not an integer");
}
END_TEST

START_TEST(test_cast_integer_bad)
{
	bad(ETL_T_INTEGER, "\"1.5\"", "not an integer: '1.5'");
	bad(ETL_T_INTEGER, "2.5", "not an integer: '2.5'");
	bad(ETL_T_INTEGER, "\"\"", "not an integer");
	bad(ETL_T_INTEGER, "\" 1\"", "not an integer");
	bad(ETL_T_INTEGER, "\"1 \"", "not an integer");
	bad(ETL_T_INTEGER, "\"1e3\"", "not an integer");
	bad(ETL_T_INTEGER, "\"-\"", "not an integer");
	bad(ETL_T_INTEGER, "\"3.\"", "not an integer");
	bad(ETL_T_INTEGER, "\"1,000\"", "not an integer");
	bad(ETL_T_INTEGER, "true", "a boolean, not an integer");
	bad(ETL_T_INTEGER, "[1]", "an array, not an integer");
	bad(ETL_T_INTEGER, "{}", "an object, not an integer");
}
END_TEST

START_TEST(test_cast_number)
{
	ok(ETL_T_NUMBER, "\"19.99\"", "19.99");
	ok(ETL_T_NUMBER, "\"12\"", "12");
	ok(ETL_T_NUMBER, "\"-0.5\"", "-0.5");
	ok(ETL_T_NUMBER, "\".5\"", "0.5");
	ok(ETL_T_NUMBER, "\"+1.5\"", "1.5");
	ok(ETL_T_NUMBER, "\"007.50\"", "7.5");
	ok(ETL_T_NUMBER, "\"1e3\"", "1000.0");
	ok(ETL_T_NUMBER, "\"1.5E-3\"", "0.0015");
	ok(ETL_T_NUMBER, "\"9223372036854775807\"", "9223372036854775807");
	ok(ETL_T_NUMBER, "1.25", "1.25");
	ok(ETL_T_NUMBER, "7", "7");
	ok(ETL_T_NUMBER, "\"0.1\"", "0.1");
	ok(ETL_T_NUMBER, "\"1e300\"", "1e+300");
}
END_TEST

START_TEST(test_cast_number_precision)
{
	/* Huge numbers: never a silent float. */
	bad(ETL_T_NUMBER, "\"12345678901234567890\"", "too large to be exact");
	bad(ETL_T_NUMBER, "\"0.1000000000000000000001\"", "more digits");
	bad(ETL_T_NUMBER, "\"3.14159265358979323846\"", "more digits");
	bad(ETL_T_NUMBER, "\"1e400\"", "out of range");
	bad(ETL_T_NUMBER, "\"-1e400\"", "out of range");
	bad(ETL_T_NUMBER, "\"1e-400\"", "more digits");
}
END_TEST

START_TEST(test_cast_number_bad)
{
	bad(ETL_T_NUMBER, "\"\"", "not a number: ''");
	bad(ETL_T_NUMBER, "\"abc\"", "not a number: 'abc'");
	bad(ETL_T_NUMBER, "\"1,5\"", "not a number");
	bad(ETL_T_NUMBER, "\"NaN\"", "not a number");
	bad(ETL_T_NUMBER, "\"inf\"", "not a number");
	bad(ETL_T_NUMBER, "\"0x10\"", "not a number");
	bad(ETL_T_NUMBER, "\".\"", "not a number");
	bad(ETL_T_NUMBER, "\"1e\"", "not a number");
	bad(ETL_T_NUMBER, "\" 1\"", "not a number");
	bad(ETL_T_NUMBER, "false", "a boolean, not a number");
}
END_TEST

START_TEST(test_cast_boolean)
{
	ok(ETL_T_BOOLEAN, "\"true\"", "true");
	ok(ETL_T_BOOLEAN, "\"TRUE\"", "true");
	ok(ETL_T_BOOLEAN, "\"False\"", "false");
	ok(ETL_T_BOOLEAN, "\"1\"", "true");
	ok(ETL_T_BOOLEAN, "\"0\"", "false");
	ok(ETL_T_BOOLEAN, "\"Yes\"", "true");
	ok(ETL_T_BOOLEAN, "\"NO\"", "false");
	ok(ETL_T_BOOLEAN, "true", "true");
	ok(ETL_T_BOOLEAN, "0", "false");
	ok(ETL_T_BOOLEAN, "1", "true");
	bad(ETL_T_BOOLEAN, "\"y\"", "not a boolean: 'y'");
	bad(ETL_T_BOOLEAN, "\"\"", "not a boolean");
	bad(ETL_T_BOOLEAN, "\"truee\"", "not a boolean");
	bad(ETL_T_BOOLEAN, "2", "not a boolean");
	bad(ETL_T_BOOLEAN, "1.0", "a number, not a boolean");
}
END_TEST

START_TEST(test_cast_string)
{
	ok(ETL_T_STRING, "\"abc\"", "\"abc\"");
	ok(ETL_T_STRING, "\"\"", "\"\"");
	ok(ETL_T_STRING, "\"h\\u00e9llo\"", "\"h\xc3\xa9llo\"");
	ok(ETL_T_STRING, "12", "\"12\"");
	ok(ETL_T_STRING, "-9223372036854775808", "\"-9223372036854775808\"");
	ok(ETL_T_STRING, "1.5", "\"1.5\"");
	ok(ETL_T_STRING, "true", "\"true\"");
	bad(ETL_T_STRING, "{\"a\":1}", "an object, not a string");
	bad(ETL_T_STRING, "[]", "an array, not a string");
}
END_TEST

START_TEST(test_cast_string_invalid_utf8)
{
	struct etl_cast c;
	struct etl_error err;
	json_t *v = json_stringn_nocheck("ab\xff\xfe", 4), *out = NULL;
	char why[128];

	etl_error_init(&err);
	ck_assert_int_eq(etl_cast_init(&c, ETL_T_STRING, NULL, 0, NULL, &err),
	    0);
	ck_assert_int_eq(etl_cast_value(&c, v, &out, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "not valid UTF-8");
	json_decref(v);
	/* An overlong encoding of '/' is not UTF-8 either. */
	v = json_stringn_nocheck("\xc0\xaf", 2);
	ck_assert_int_eq(etl_cast_value(&c, v, &out, why, sizeof(why)), -1);
	json_decref(v);
	etl_cast_release(&c);
}
END_TEST

START_TEST(test_cast_json_kept)
{
	ok(ETL_T_JSON, "{\"a\":[1,2.5,\"x\"]}", "{\"a\":[1,2.5,\"x\"]}");
	ok(ETL_T_JSON, "\"s\"", "\"s\"");
}
END_TEST

START_TEST(test_cast_date_formats)
{
	tok(ETL_T_DATE, NULL, NULL, "\"2026-01-05\"", "\"2026-01-05\"");
	tok(ETL_T_DATE, NULL, NULL, "\"2026-01-05T23:30:00Z\"",
	    "\"2026-01-05\"");
	tok(ETL_T_DATE, "%m/%d/%Y", NULL, "\"1/5/2026\"", "\"2026-01-05\"");
	tok(ETL_T_DATE, "%m/%d/%Y", NULL, "\"12/31/1999\"", "\"1999-12-31\"");
	tok(ETL_T_DATE, "%d %b %Y", NULL, "\"5 jan 2026\"", "\"2026-01-05\"");
	tok(ETL_T_DATE, "%d %B %Y", NULL, "\"5 January 2026\"",
	    "\"2026-01-05\"");
	tok(ETL_T_DATE, "%a, %d %b %Y", NULL, "\"Mon, 05 Jan 2026\"",
	    "\"2026-01-05\"");
	tok(ETL_T_DATE, "%Y%m%d", NULL, "\"20260105\"", "\"2026-01-05\"");
	tok(ETL_T_DATE, "%y-%m-%d", NULL, "\"26-01-05\"", "\"2026-01-05\"");
	tok(ETL_T_DATE, "%y-%m-%d", NULL, "\"69-01-05\"", "\"1969-01-05\"");
	tok(ETL_T_DATE, "%Y-%j", NULL, "\"2026-005\"", "\"2026-01-05\"");
	tok(ETL_T_DATE, "%F", NULL, "\"2026-01-05\"", "\"2026-01-05\"");
	tok(ETL_T_DATE, "%D", NULL, "\"01/05/26\"", "\"2026-01-05\"");
	tok(ETL_T_DATE, "%s", NULL, "1767571200", "\"2026-01-05\"");
	tok(ETL_T_DATE, "%s", NULL, "\"-86400\"", "\"1969-12-31\"");
	tok(ETL_T_DATE, "%Y-%m-%d %%", NULL, "\"2026-01-05  %\"",
	    "\"2026-01-05\"");
	tbad(ETL_T_DATE, "%m/%d/%Y", NULL, "\"2026-01-05\"",
	    "no format matched: '2026-01-05'");
	tbad(ETL_T_DATE, NULL, NULL, "\"2026-01-05x\"", "no format matched");
	tbad(ETL_T_DATE, NULL, NULL, "\"\"", "no format matched: ''");
	tbad(ETL_T_DATE, NULL, NULL, "\"2026-13-01\"", "no format matched");
	tbad(ETL_T_DATE, NULL, NULL, "\"2026-04-31\"", "no format matched");
	tbad(ETL_T_DATE, NULL, NULL, "true", "a boolean, not a date");
}
END_TEST

START_TEST(test_cast_date_leap_day)
{
	tok(ETL_T_DATE, NULL, NULL, "\"2024-02-29\"", "\"2024-02-29\"");
	tok(ETL_T_DATE, NULL, NULL, "\"2000-02-29\"", "\"2000-02-29\"");
	tbad(ETL_T_DATE, NULL, NULL, "\"2023-02-29\"", "no format matched");
	tbad(ETL_T_DATE, NULL, NULL, "\"1900-02-29\"", "no format matched");
	tok(ETL_T_DATE, "%Y-%j", NULL, "\"2024-060\"", "\"2024-02-29\"");
	tok(ETL_T_DATE, "%Y-%j", NULL, "\"2024-366\"", "\"2024-12-31\"");
	tbad(ETL_T_DATE, "%Y-%j", NULL, "\"2023-366\"", "no format matched");
	tok(ETL_T_DATETIME, NULL, NULL, "\"2024-02-29T23:59:59Z\"",
	    "\"2024-02-29T23:59:59Z\"");
}
END_TEST

START_TEST(test_cast_date_in_zone)
{
	/* An instant's date is the date in tz; without tz, as written. */
	tok(ETL_T_DATE, NULL, "Europe/Berlin", "\"2026-01-05T23:30:00Z\"",
	    "\"2026-01-06\"");
	tok(ETL_T_DATE, NULL, NULL, "\"2026-01-05T23:30:00-05:00\"",
	    "\"2026-01-05\"");
	tok(ETL_T_DATE, NULL, "America/New_York", "\"2026-01-06T03:00:00Z\"",
	    "\"2026-01-05\"");
	/* A naive date is the date, whatever the zone. */
	tok(ETL_T_DATE, NULL, "Pacific/Kiritimati", "\"2026-01-05\"",
	    "\"2026-01-05\"");
}
END_TEST

START_TEST(test_cast_datetime_basic)
{
	tok(ETL_T_DATETIME, NULL, NULL, "\"2026-01-05T10:00:00Z\"",
	    "\"2026-01-05T10:00:00Z\"");
	tok(ETL_T_DATETIME, NULL, NULL, "\"2026-01-05 10:00\"",
	    "\"2026-01-05T10:00:00Z\"");
	tok(ETL_T_DATETIME, NULL, NULL, "\"2026-01-05T10:00:00.250+02:00\"",
	    "\"2026-01-05T08:00:00.25Z\"");
	tok(ETL_T_DATETIME, NULL, NULL, "\"2026-01-05\"",
	    "\"2026-01-05T00:00:00Z\"");
	tok(ETL_T_DATETIME, "%d/%m/%Y %I:%M %p", NULL,
	    "\"05/01/2026 12:05 AM\"", "\"2026-01-05T00:05:00Z\"");
	tok(ETL_T_DATETIME, "%d/%m/%Y %I:%M %p", NULL,
	    "\"05/01/2026 12:05 pm\"", "\"2026-01-05T12:05:00Z\"");
	tok(ETL_T_DATETIME, "%Y-%m-%dT%H:%M:%S.%f%z", NULL,
	    "\"2026-01-05T10:00:00.123456789-0130\"",
	    "\"2026-01-05T11:30:00.123456789Z\"");
	tok(ETL_T_DATETIME, "%Y-%m-%d %T %Z", NULL,
	    "\"2026-01-05 10:00:00 GMT\"",
	    "\"2026-01-05T10:00:00Z\"");
	tok(ETL_T_DATETIME, "%s", NULL, "1767225600",
	    "\"2026-01-01T00:00:00Z\"");
	tok(ETL_T_DATETIME, "%s", NULL, "1767225600.5",
	    "\"2026-01-01T00:00:00.5Z\"");
	tok(ETL_T_DATETIME, "%s", NULL, "\"-1.5\"",
	    "\"1969-12-31T23:59:58.5Z\"");
	tok(ETL_T_DATETIME, NULL, "+05:30", "\"2026-01-05 10:00\"",
	    "\"2026-01-05T04:30:00Z\"");
	tok(ETL_T_DATETIME, NULL, "Asia/Kolkata", "\"2026-01-05T10:00:00Z\"",
	    "\"2026-01-05T10:00:00Z\"");
	tbad(ETL_T_DATETIME, NULL, NULL, "\"2026-01-05T24:00:00Z\"",
	    "no format matched");
	tbad(ETL_T_DATETIME, "%s", NULL, "\"99999999999999\"",
	    "no format matched");
	tbad(ETL_T_DATETIME, "%s", NULL, "\"999999999999\"", "out of range");
	tbad(ETL_T_DATETIME, "%Y-%m-%d %H:%M %Z", NULL,
	    "\"2026-01-05 10:00 EST\"", "no format matched");
}
END_TEST

START_TEST(test_cast_datetime_dst_gap)
{
	const char *f = "%Y-%m-%d %H:%M";

	/* New York springs forward at 02:00 EST on 2026-03-08. */
	tok(ETL_T_DATETIME, f, "America/New_York", "\"2026-03-08 01:59\"",
	    "\"2026-03-08T06:59:00Z\"");
	tbad(ETL_T_DATETIME, f, "America/New_York", "\"2026-03-08 02:00\"",
	    "does not exist in America/New_York");
	tbad(ETL_T_DATETIME, f, "America/New_York", "\"2026-03-08 02:30\"",
	    "skipped by a DST change");
	tok(ETL_T_DATETIME, f, "America/New_York", "\"2026-03-08 03:00\"",
	    "\"2026-03-08T07:00:00Z\"");
	/* Berlin: 02:00 CET to 03:00 CEST on 2026-03-29. */
	tbad(ETL_T_DATETIME, f, "Europe/Berlin", "\"2026-03-29 02:30\"",
	    "does not exist");
	tok(ETL_T_DATETIME, f, "Europe/Berlin", "\"2026-03-29 03:30\"",
	    "\"2026-03-29T01:30:00Z\"");
	/* Sydney, southern hemisphere: the gap is in October. */
	tbad(ETL_T_DATETIME, f, "Australia/Sydney", "\"2026-10-04 02:30\"",
	    "does not exist");
	/* An offset given in the input is exact: no gap. */
	tok(ETL_T_DATETIME, NULL, "America/New_York",
	    "\"2026-03-08T02:30:00-05:00\"", "\"2026-03-08T07:30:00Z\"");
}
END_TEST

START_TEST(test_cast_datetime_dst_overlap)
{
	const char *f = "%Y-%m-%d %H:%M";

	/* New York falls back at 02:00 EDT on 2026-11-01: 01:30 twice. */
	tok(ETL_T_DATETIME, f, "America/New_York", "\"2026-11-01 00:59\"",
	    "\"2026-11-01T04:59:00Z\"");
	tok(ETL_T_DATETIME, f, "America/New_York", "\"2026-11-01 01:30\"",
	    "\"2026-11-01T05:30:00Z\"");
	tok(ETL_T_DATETIME, f, "America/New_York", "\"2026-11-01 02:00\"",
	    "\"2026-11-01T07:00:00Z\"");
	tok(ETL_T_DATETIME, f, "Europe/Berlin", "\"2026-10-25 02:30\"",
	    "\"2026-10-25T00:30:00Z\"");
	tok(ETL_T_DATETIME, f, "Australia/Sydney", "\"2026-04-05 02:30\"",
	    "\"2026-04-04T15:30:00Z\"");
}
END_TEST

START_TEST(test_cast_datetime_far_future)
{
	const char *f = "%Y-%m-%d %H:%M";

	/* Past the zone file's last transition the POSIX rule decides. */
	tok(ETL_T_DATETIME, f, "America/New_York", "\"2100-07-01 12:00\"",
	    "\"2100-07-01T16:00:00Z\"");
	tok(ETL_T_DATETIME, f, "America/New_York", "\"2100-01-01 12:00\"",
	    "\"2100-01-01T17:00:00Z\"");
	tbad(ETL_T_DATETIME, f, "America/New_York", "\"2100-03-14 02:30\"",
	    "does not exist");
	tok(ETL_T_DATETIME, f, "America/New_York", "\"1883-01-01 12:00\"",
	    "\"1883-01-01T16:56:02Z\"");
	tok(ETL_T_DATETIME, NULL, NULL, "\"9999-12-31T23:59:59Z\"",
	    "\"9999-12-31T23:59:59Z\"");
	tok(ETL_T_DATETIME, NULL, NULL, "\"0000-01-01T00:00:00Z\"",
	    "\"0000-01-01T00:00:00Z\"");
	tbad(ETL_T_DATETIME, NULL, NULL, "\"9999-12-31T23:59:59-01:00\"",
	    "out of range");
}
END_TEST

START_TEST(test_cast_format_check)
{
	struct etl_cast c;
	struct etl_error err;
	const char *f[1];
	const char *why;

	ck_assert_int_eq(etl_timefmt_check("%Y-%m-%d", ETL_T_DATE, &why), 0);
	ck_assert_int_eq(etl_timefmt_check("iso8601", ETL_T_DATE, &why), 0);
	ck_assert_int_eq(etl_timefmt_check("%s", ETL_T_DATETIME, &why), 0);
	ck_assert_int_eq(etl_timefmt_check("%Y-%j", ETL_T_DATE, &why), 0);
	ck_assert_int_eq(etl_timefmt_check("%Y-%m-%Q", ETL_T_DATE, &why), -1);
	ck_assert_str_eq(why, "unknown directive");
	ck_assert_int_eq(etl_timefmt_check("%Y-%m", ETL_T_DATE, &why), -1);
	ck_assert_int_eq(etl_timefmt_check("%H:%M", ETL_T_DATETIME, &why), -1);
	ck_assert_int_eq(etl_timefmt_check("%Y-%m-%d %", ETL_T_DATE, &why), -1);
	ck_assert_int_eq(etl_timefmt_check("", ETL_T_DATE, &why), -1);
	ck_assert_int_eq(etl_timefmt_check("%F %M", ETL_T_DATE, &why), -1);
	f[0] = "%Y/%q";
	etl_error_init(&err);
	ck_assert_int_eq(etl_cast_init(&c, ETL_T_DATE, f, 1, NULL, &err),
	    -ETL_ECONFIG);
	ck_assert_str_eq(err.message, "format '%Y/%q': unknown directive");
	ck_assert_int_eq(etl_cast_init(&c, ETL_T_NUMBER, f, 1, NULL, &err),
	    -ETL_ECONFIG);
	ck_assert_int_eq(etl_cast_init(&c, ETL_T_DATE, NULL, 0, "Mars/Base",
	    &err), -ETL_ECONFIG);
	ck_assert_ptr_nonnull(strstr(err.message, "Mars/Base"));
	ck_assert_int_eq(etl_cast_init(&c, ETL_T_DATE, NULL, 0,
	    "../../etc/passwd", &err), -ETL_ECONFIG);
	ck_assert_ptr_nonnull(strstr(err.message, "not a zone name"));
}
END_TEST

START_TEST(test_cast_several_formats_in_order)
{
	const char *f[2] = { "%d/%m/%Y", "%m/%d/%Y" };
	struct etl_cast c;
	struct etl_error err;
	json_t *in = json_string("13/12/2026"), *out = NULL;
	char why[128];

	etl_error_init(&err);
	ck_assert_int_eq(etl_cast_init(&c, ETL_T_DATE, f, 2, NULL, &err), 0);
	ck_assert_int_eq(etl_cast_value(&c, in, &out, why, sizeof(why)), 0);
	ck_assert_str_eq(json_string_value(out), "2026-12-13");
	json_decref(out);
	json_decref(in);
	/* The first that matches wins: 12/01 is 12 January. */
	in = json_string("12/01/2026");
	ck_assert_int_eq(etl_cast_value(&c, in, &out, why, sizeof(why)), 0);
	ck_assert_str_eq(json_string_value(out), "2026-01-12");
	json_decref(out);
	json_decref(in);
	etl_cast_release(&c);
}
END_TEST

START_TEST(test_cast_long_value_quoted_short)
{
	char why[256], big[300];

	memset(big, '7', sizeof(big) - 3);
	big[0] = '"';
	big[sizeof(big) - 3] = 'x';
	big[sizeof(big) - 2] = '"';
	big[sizeof(big) - 1] = '\0';
	ck_assert_ptr_null(cast_json(ETL_T_INTEGER, big, NULL, 0, NULL, why,
	    sizeof(why)));
	ck_assert_ptr_nonnull(strstr(why, "...'"));
	ck_assert_uint_lt(strlen(why), 100);
}
END_TEST

static Suite *
cast_suite(void)
{
	Suite *s = suite_create("cast");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_cast_type_names);
	tcase_add_test(tc, test_cast_integer);
	tcase_add_test(tc, test_cast_integer_overflow);
	tcase_add_test(tc, test_cast_integer_bad);
	tcase_add_test(tc, test_cast_number);
	tcase_add_test(tc, test_cast_number_precision);
	tcase_add_test(tc, test_cast_number_bad);
	tcase_add_test(tc, test_cast_boolean);
	tcase_add_test(tc, test_cast_string);
	tcase_add_test(tc, test_cast_string_invalid_utf8);
	tcase_add_test(tc, test_cast_json_kept);
	tcase_add_test(tc, test_cast_date_formats);
	tcase_add_test(tc, test_cast_date_leap_day);
	tcase_add_test(tc, test_cast_date_in_zone);
	tcase_add_test(tc, test_cast_datetime_basic);
	tcase_add_test(tc, test_cast_datetime_dst_gap);
	tcase_add_test(tc, test_cast_datetime_dst_overlap);
	tcase_add_test(tc, test_cast_datetime_far_future);
	tcase_add_test(tc, test_cast_format_check);
	tcase_add_test(tc, test_cast_several_formats_in_order);
	tcase_add_test(tc, test_cast_long_value_quoted_short);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(cast_suite());
}
