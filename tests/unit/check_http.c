/*
 * Unit tests of lib/http.c: the pagination helpers, rate parsing and the
 * outcome of a fetch that cannot connect (the CLI tests drive the rest
 * against scripts/test-http-server.py).
 */
#include "http.h"
#include "unit.h"

static void
next_is(const char *link, const char *want)
{
	char *got = etl_http_link_next(link);

	if (want == NULL) {
		ck_assert_ptr_null(got);
		return;
	}
	ck_assert_ptr_nonnull(got);
	ck_assert_str_eq(got, want);
	free(got);
}

START_TEST(test_http_link_next)
{
	next_is("<https://a/x?p=2>; rel=\"next\"", "https://a/x?p=2");
	next_is("<https://a/1>; rel=\"prev\", <https://a/3>; rel=next",
	    "https://a/3");
	next_is("<https://a/l>; rel=\"last\"; title=\"a, b\", "
	    "<https://a/n>; rel=\"prefetch next\"", "https://a/n");
	next_is("<https://a/1>; rel=\"prev\"", NULL);
	next_is("garbage", NULL);
	next_is("", NULL);
	next_is("<https://a/x>; rel=\"nextpage\"", NULL);
}
END_TEST

static void
url_is(char *got, const char *want)
{
	ck_assert_ptr_nonnull(got);
	ck_assert_str_eq(got, want);
	free(got);
}

START_TEST(test_http_url_helpers)
{
	url_is(etl_http_url_resolve("http://h/a/b?x=1", "/c?d=2"),
	    "http://h/c?d=2");
	url_is(etl_http_url_resolve("http://h/a/b", "c"), "http://h/a/c");
	url_is(etl_http_url_resolve("http://h/a", "https://o/z"),
	    "https://o/z");
	url_is(etl_http_url_set_param("http://h/p", "page", "2"),
	    "http://h/p?page=2");
	url_is(etl_http_url_set_param("http://h/p?a=1&page=1&b=2", "page",
	    "3"), "http://h/p?a=1&b=2&page=3");
	url_is(etl_http_url_set_param("http://h/p?c=x", "cursor", "a b/="),
	    "http://h/p?c=x&cursor=a%20b%2f%3d");
	ck_assert_ptr_null(etl_http_url_set_param("::nope", "a", "b"));
}
END_TEST

START_TEST(test_http_parse_rate)
{
	double r;
	const char *why = NULL;

	ck_assert_int_eq(etl_http_parse_rate("10/s", &r, &why), 0);
	ck_assert(r == 10);
	ck_assert_int_eq(etl_http_parse_rate("120/m", &r, &why), 0);
	ck_assert(r == 2);
	ck_assert_int_eq(etl_http_parse_rate("0.5", &r, &why), 0);
	ck_assert(r == 0.5);
	ck_assert_int_eq(etl_http_parse_rate("3600/h", &r, &why), 0);
	ck_assert(r == 1);
	ck_assert_int_eq(etl_http_parse_rate("0/s", &r, &why), -1);
	ck_assert_int_eq(etl_http_parse_rate("5/d", &r, &why), -1);
	ck_assert_int_eq(etl_http_parse_rate("x", &r, &why), -1);
	ck_assert_ptr_nonnull(why);
}
END_TEST

START_TEST(test_http_refused_is_tempfail)
{
	struct etl_http_opts o;
	struct etl_http_response r;
	struct etl_error err;
	struct etl_http *h;

	memset(&o, 0, sizeof(o));
	o.retries = 1;
	o.max_redirs = 5;
	etl_error_init(&err);
	h = etl_http_new(&o, &err);
	ck_assert_ptr_nonnull(h);
	etl_http_response_init(&r);
	ck_assert_int_eq(etl_http_fetch(h, "http://u:pw@127.0.0.1:1/x", &r,
	    &err), -ETL_ETEMPFAIL);
	ck_assert_int_eq(r.attempts, 2);
	ck_assert_int_eq(etl_http_retries(h), 1);
	ck_assert_ptr_null(strstr(err.source, "pw"));
	ck_assert_int_eq(etl_http_fetch(h, "file:///etc/passwd", &r, &err),
	    -ETL_EUSAGE);
	etl_http_response_release(&r);
	etl_http_free(h);
}
END_TEST

static Suite *
http_suite(void)
{
	Suite *s = suite_create("http");
	TCase *tc = tcase_create("http");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_http_link_next);
	tcase_add_test(tc, test_http_url_helpers);
	tcase_add_test(tc, test_http_parse_rate);
	tcase_add_test(tc, test_http_refused_is_tempfail);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(http_suite());
}
