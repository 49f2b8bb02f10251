/* Unit tests of lib/tz.c: TZif files, POSIX rules, local to UTC. */
#include <stdint.h>

#include "timeval.h"
#include "tz.h"
#include "unit.h"

static int64_t
at(int y, int m, int d, int h, int mi)
{
	return etl_days_from_civil(y, m, d) * 86400 + h * 3600 + mi * 60;
}

static struct etl_tz *
load(const char *name)
{
	struct etl_error err;
	struct etl_tz *tz;

	etl_error_init(&err);
	tz = etl_tz_new(name, &err);
	ck_assert_msg(tz != NULL, "%s: %s", name, err.message);
	return tz;
}

/* A TZif v2 file with no transitions and a footer rule. */
static size_t
tzif_rule_only(unsigned char *buf, const char *rule)
{
	size_t n = 0;

	for (int v = 0; v < 2; v++) {
		memcpy(buf + n, "TZif2", 5);
		memset(buf + n + 5, 0, 39);
		buf[n + 39] = 1;	/* typecnt */
		buf[n + 43] = 4;	/* charcnt */
		n += 44;
		memset(buf + n, 0, 6);	/* utoff 0, isdst 0, idx 0 */
		n += 6;
		memcpy(buf + n, "UTC", 4);
		n += 4;
	}
	buf[n++] = '\n';
	memcpy(buf + n, rule, strlen(rule));
	n += strlen(rule);
	buf[n++] = '\n';
	return n;
}

START_TEST(test_tz_fixed_and_utc)
{
	struct etl_tz *tz = load("UTC");
	struct etl_error err;
	int64_t u;

	ck_assert_int_eq(etl_tz_offset(tz, 0), 0);
	ck_assert_int_eq(etl_tz_to_utc(tz, 1000, &u), ETL_TZ_UNIQUE);
	ck_assert_int_eq(u, 1000);
	etl_tz_free(tz);
	tz = load("+05:30");
	ck_assert_int_eq(etl_tz_offset(tz, 0), 19800);
	etl_tz_free(tz);
	tz = load("-0800");
	ck_assert_int_eq(etl_tz_offset(tz, 0), -28800);
	ck_assert_str_eq(etl_tz_name(tz), "-0800");
	etl_tz_free(tz);
	etl_error_init(&err);
	ck_assert_ptr_null(etl_tz_new("+5:30", &err));
	ck_assert_ptr_null(etl_tz_new("+24:00", &err));
	ck_assert_ptr_null(etl_tz_new("", &err));
	ck_assert_ptr_null(etl_tz_new("/etc/passwd", &err));
	ck_assert_ptr_null(etl_tz_new("Europe/../../etc/passwd", &err));
	ck_assert_ptr_null(etl_tz_new("No/Such_Zone", &err));
	ck_assert_int_eq(err.kind, ETL_ECONFIG);
}
END_TEST

START_TEST(test_tz_new_york)
{
	struct etl_tz *tz = load("America/New_York");
	int64_t u;

	ck_assert_int_eq(etl_tz_offset(tz, at(2026, 1, 15, 12, 0)), -18000);
	ck_assert_int_eq(etl_tz_offset(tz, at(2026, 7, 15, 12, 0)), -14400);
	/* 2026-03-08 07:00Z is the switch to EDT. */
	ck_assert_int_eq(etl_tz_offset(tz, at(2026, 3, 8, 6, 59)), -18000);
	ck_assert_int_eq(etl_tz_offset(tz, at(2026, 3, 8, 7, 0)), -14400);
	ck_assert_int_eq(etl_tz_to_utc(tz, at(2026, 3, 8, 2, 30), &u),
	    ETL_TZ_GAP);
	ck_assert_int_eq(etl_tz_to_utc(tz, at(2026, 11, 1, 1, 30), &u),
	    ETL_TZ_OVERLAP);
	ck_assert_int_eq(u, at(2026, 11, 1, 5, 30));
	ck_assert_int_eq(etl_tz_to_utc(tz, at(2026, 6, 1, 0, 0), &u),
	    ETL_TZ_UNIQUE);
	ck_assert_int_eq(u, at(2026, 6, 1, 4, 0));
	etl_tz_free(tz);
}
END_TEST

START_TEST(test_tz_posix_rule_only)
{
	unsigned char buf[256];
	struct etl_error err;
	struct etl_tz *tz;
	size_t n;
	int64_t u;

	etl_error_init(&err);
	n = tzif_rule_only(buf, "EST5EDT,M3.2.0,M11.1.0");
	tz = etl_tz_from_tzif("test", buf, n, &err);
	ck_assert_msg(tz != NULL, "%s", err.message);
	ck_assert_int_eq(etl_tz_offset(tz, at(2030, 1, 1, 0, 0)), -18000);
	ck_assert_int_eq(etl_tz_offset(tz, at(2030, 7, 1, 0, 0)), -14400);
	/* Second Sunday of March 2030 is the 10th; 02:00 EST = 07:00Z. */
	ck_assert_int_eq(etl_tz_offset(tz, at(2030, 3, 10, 6, 59)), -18000);
	ck_assert_int_eq(etl_tz_offset(tz, at(2030, 3, 10, 7, 0)), -14400);
	ck_assert_int_eq(etl_tz_to_utc(tz, at(2030, 3, 10, 2, 30), &u),
	    ETL_TZ_GAP);
	etl_tz_free(tz);
	/* Southern hemisphere, with times: Sydney. */
	n = tzif_rule_only(buf, "AEST-10AEDT,M10.1.0,M4.1.0/3");
	tz = etl_tz_from_tzif("syd", buf, n, &err);
	ck_assert_msg(tz != NULL, "%s", err.message);
	ck_assert_int_eq(etl_tz_offset(tz, at(2030, 1, 1, 0, 0)), 39600);
	ck_assert_int_eq(etl_tz_offset(tz, at(2030, 7, 1, 0, 0)), 36000);
	etl_tz_free(tz);
	/* Quoted names, Julian days, no DST. */
	n = tzif_rule_only(buf, "<+0530>-5:30");
	tz = etl_tz_from_tzif("ist", buf, n, &err);
	ck_assert_ptr_nonnull(tz);
	ck_assert_int_eq(etl_tz_offset(tz, 0), 19800);
	etl_tz_free(tz);
	n = tzif_rule_only(buf, "XXX3YYY,J60/0,J300/0");
	tz = etl_tz_from_tzif("j", buf, n, &err);
	ck_assert_ptr_nonnull(tz);
	ck_assert_int_eq(etl_tz_offset(tz, at(2030, 6, 1, 0, 0)), -7200);
	etl_tz_free(tz);
	n = tzif_rule_only(buf, "EST5EDT,M13.1.0,M11.1.0");
	ck_assert_ptr_null(etl_tz_from_tzif("bad", buf, n, &err));
	ck_assert_ptr_null(etl_tz_from_tzif("bad", buf, 10, &err));
	ck_assert_ptr_null(etl_tz_from_tzif("bad", (const unsigned char *)
	    "TZjf", 4, &err));
}
END_TEST

START_TEST(test_tz_truncated_files)
{
	FILE *f = fopen("/usr/share/zoneinfo/Europe/Berlin", "rb");
	unsigned char buf[8192];
	struct etl_error err;
	size_t n;

	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	etl_error_init(&err);
	/* Every prefix either loads or fails cleanly (ASan watches). */
	for (size_t k = 0; k < n; k += 7)
		etl_tz_free(etl_tz_from_tzif("cut", buf, k, &err));
}
END_TEST

static Suite *
tz_suite(void)
{
	Suite *s = suite_create("tz");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_tz_fixed_and_utc);
	tcase_add_test(tc, test_tz_new_york);
	tcase_add_test(tc, test_tz_posix_rule_only);
	tcase_add_test(tc, test_tz_truncated_files);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(tz_suite());
}
