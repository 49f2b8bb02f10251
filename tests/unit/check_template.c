/* Unit tests of lib/template.c: {since}, {now}, {today} with offsets. */
#include "template.h"
#include "unit.h"

static struct etl_template_vars
vars(const char *since)
{
	struct etl_template_vars v;

	v.since = since;
	ck_assert_int_eq(etl_time_parse("2026-03-01T00:30:00.25Z", &v.now), 0);
	return v;
}

static void
expands(const char *text, const char *since, int url, const char *want)
{
	struct etl_template_vars v = vars(since);
	struct etl_error err;
	char *out = NULL;

	etl_error_init(&err);
	ck_assert_msg(etl_template_expand(text, &v, url, &out, &err) == 0,
	    "%s", err.message);
	ck_assert_str_eq(out, want);
	free(out);
}

START_TEST(test_template_placeholders)
{
	expands("{now} {today} {since}", "abc", 0,
	    "2026-03-01T00:30:00Z 2026-03-01 abc");
	expands("", NULL, 0, "");
	expands("no braces", NULL, 0, "no braces");
}
END_TEST

START_TEST(test_template_offsets)
{
	expands("{now-2h}|{today+7d}|{today-1h}|{since-5m}",
	    "2026-01-01T00:00:00Z", 0,
	    "2026-02-28T22:30:00Z|2026-03-08|2026-02-28|2025-12-31T23:55:00Z");
	expands("{now+1d12h}", NULL, 0, "2026-03-02T12:30:00Z");
}
END_TEST

START_TEST(test_template_url_encoding)
{
	expands("/x?from={since}&to={now}", "a b&c=d/é", 1,
	    "/x?from=a%20b%26c%3Dd%2F%C3%A9&to=2026-03-01T00%3A30%3A00Z");
}
END_TEST

START_TEST(test_template_other_braces_stay)
{
	expands("{\"since\":\"{since}\",\"x\":{now2},{nowx},{today+},{}}",
	    "S", 0, "{\"since\":\"S\",\"x\":{now2},{nowx},{today+},{}}");
	ck_assert_int_eq(etl_template_has("{\"a\":{today}}"), 1);
	ck_assert_int_eq(etl_template_has("{\"a\":{todays}}"), 0);
}
END_TEST

START_TEST(test_template_errors)
{
	struct etl_template_vars v = vars(NULL);
	struct etl_error err;
	char *out = NULL;

	etl_error_init(&err);
	ck_assert_int_eq(etl_template_expand("x{since}", &v, 0, &out, &err),
	    -ETL_EUSAGE);
	ck_assert_ptr_null(out);
	v.since = "not a time";
	ck_assert_int_eq(etl_template_expand("{since-1h}", &v, 0, &out, &err),
	    -ETL_EUSAGE);
	ck_assert_ptr_null(out);
}
END_TEST

static Suite *
template_suite(void)
{
	Suite *s = suite_create("template");
	TCase *tc = tcase_create("template");

	tcase_add_test(tc, test_template_placeholders);
	tcase_add_test(tc, test_template_offsets);
	tcase_add_test(tc, test_template_url_encoding);
	tcase_add_test(tc, test_template_other_braces_stay);
	tcase_add_test(tc, test_template_errors);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(template_suite());
}
