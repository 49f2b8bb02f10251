/* Unit tests of lib/redact.c: secrets hidden in messages. */
#include "redact.h"
#include "unit.h"

static void
redact_is(const char *in, const char *want)
{
	char *got = etl_redact(in);

	ck_assert_ptr_nonnull(got);
	ck_assert_msg(strcmp(got, want) == 0, "redact(\"%s\") gave \"%s\", "
	    "expected \"%s\"", in, got, want);
	free(got);
}

START_TEST(test_redact_authorization_headers)
{
	redact_is("Authorization: Bearer abc.def.ghi",
	    "Authorization: ***");
	redact_is("authorization: Basic dXNlcjpwYXNz", "authorization: ***");
	redact_is("AUTHORIZATION:Bearer x", "AUTHORIZATION:***");
	redact_is("Proxy-Authorization: Basic Zm9vOmJhcg==",
	    "Proxy-Authorization: ***");
	redact_is("proxy-authorization:\tBasic Zm9v",
	    "proxy-authorization:\t***");
}
END_TEST

START_TEST(test_redact_cookie_headers)
{
	redact_is("Cookie: session=abc; theme=dark", "Cookie: ***");
	redact_is("cookie: a=b", "cookie: ***");
	redact_is("Set-Cookie: id=a3fWa; Max-Age=2592000",
	    "Set-Cookie: ***");
}
END_TEST

START_TEST(test_redact_key_and_token_headers)
{
	redact_is("X-Api-Key: 12345", "X-Api-Key: ***");
	redact_is("x-api-key: 12345", "x-api-key: ***");
	redact_is("X-API-KEY: 12345", "X-API-KEY: ***");
	redact_is("X-Auth-Token: tok", "X-Auth-Token: ***");
	redact_is("x-auth-token: tok", "x-auth-token: ***");
	redact_is("Private-Token: glpat-xyz", "Private-Token: ***");
	redact_is("apikey: k", "apikey: ***");
}
END_TEST

START_TEST(test_redact_header_line_by_line)
{
	/* Only the value of the secret header goes, up to its line end. */
	redact_is("> GET /v1 HTTP/1.1\r\n> Authorization: Bearer abc\r\n"
	    "> Accept: */*\r\n",
	    "> GET /v1 HTTP/1.1\r\n> Authorization: ***\r\n"
	    "> Accept: */*\r\n");
	redact_is("Cookie: a=b\nX-Api-Key: k\nUser-Agent: etl",
	    "Cookie: ***\nX-Api-Key: ***\nUser-Agent: etl");
}
END_TEST

START_TEST(test_redact_header_names)
{
	static const char *const secret[] = { "Authorization",
	    "proxy-authorization", "COOKIE", "Set-Cookie", "X-Api-Key",
	    "X-Auth-Token", "x-goog-api-key", "Api_Key", "refresh_token",
	    NULL };
	static const char *const plain[] = { "Accept", "Content-Type",
	    "X-Request-Id", "Key", "Token", "Keyboard", "X-Keys", "Tokens",
	    "Cookies", "", NULL };

	for (const char *const *p = secret; *p != NULL; p++)
		ck_assert_msg(etl_redact_header_name(*p, strlen(*p)), "%s", *p);
	for (const char *const *p = plain; *p != NULL; p++)
		ck_assert_msg(!etl_redact_header_name(*p, strlen(*p)), "%s",
		    *p);
	/* The length is honoured. */
	ck_assert(etl_redact_header_name("Cookie: x", 6));
	ck_assert(!etl_redact_header_name("Cookie", 5));
}
END_TEST

START_TEST(test_redact_uri_password)
{
	redact_is("https://user:secret@host/path",
	    "https://user:***@host/path");
	redact_is("fetching https://user:secret@api.example.com:8443/v1?a=1 "
	    "failed",
	    "fetching https://user:***@api.example.com:8443/v1?a=1 failed");
	redact_is("postgresql://etl:p%40ss@db:5432/warehouse",
	    "postgresql://etl:***@db:5432/warehouse");
	/* The last @ of the authority ends the password. */
	redact_is("https://u:p@ss@host/", "https://u:***@host/");
	redact_is("\"https://u:pw@h\"", "\"https://u:***@h\"");
}
END_TEST

START_TEST(test_redact_uri_without_password_kept)
{
	redact_is("https://host/path", "https://host/path");
	redact_is("https://user@host/path", "https://user@host/path");
	redact_is("https://host:8443/path", "https://host:8443/path");
	redact_is("file:///etc/passwd", "file:///etc/passwd");
	/* An @ after the authority is not a password. */
	redact_is("https://host/a:b@c", "https://host/a:b@c");
}
END_TEST

START_TEST(test_redact_conninfo_password)
{
	redact_is("host=db port=5432 user=etl password=s3cret dbname=w",
	    "host=db port=5432 user=etl password=*** dbname=w");
	redact_is("password='two words' host=db",
	    "password='***' host=db");
	redact_is("PASSWORD=x", "PASSWORD=***");
	redact_is("host=db password=", "host=db password=***");
}
END_TEST

START_TEST(test_redact_query_parameters)
{
	redact_is("GET /v1/orders?api_key=abc123&x=1",
	    "GET /v1/orders?api_key=***&x=1");
	redact_is("https://h/p?x=1&access_token=t0k&y=2",
	    "https://h/p?x=1&access_token=***&y=2");
	redact_is("?token=abc", "?token=***");
	redact_is("?client_secret=s&stripe_key=k;z=1",
	    "?client_secret=***&stripe_key=***;z=1");
	redact_is("sig=abc, signature=def", "sig=***, signature=***");
	redact_is("\"secret=abc\"", "\"secret=***\"");
}
END_TEST

START_TEST(test_redact_plain_text_unchanged)
{
	static const char *const texts[] = { "",
	    "etl-load: orders.ndjson:12: field 'spend': below minimum 0",
	    "10000 read, 9800 inserted in 0.41 s",
	    "key=orders value=2026-01-01T09:00:00Z",
	    "Content-Type: application/json",
	    "tokens=5 keys=3 passwords: none",
	    "caf\xc3\xa9 \xff\xfe bytes",
	    "time 12:30:45, ratio 3:2",
	    "a=b&c=d", NULL };

	for (const char *const *p = texts; *p != NULL; p++)
		redact_is(*p, *p);
}
END_TEST

START_TEST(test_redact_long_text)
{
	size_t n = 100000;
	char *in = malloc(n + 64), *got;

	ck_assert_ptr_nonnull(in);
	memset(in, 'a', n);
	memcpy(in + n, " password=x", 12);
	got = etl_redact(in);
	ck_assert_ptr_nonnull(got);
	ck_assert_uint_eq(strlen(got), n + 13);
	ck_assert_str_eq(got + n, " password=***");
	free(got);
	free(in);
}
END_TEST

static Suite *
redact_suite(void)
{
	Suite *s = suite_create("redact");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_redact_authorization_headers);
	tcase_add_test(tc, test_redact_cookie_headers);
	tcase_add_test(tc, test_redact_key_and_token_headers);
	tcase_add_test(tc, test_redact_header_line_by_line);
	tcase_add_test(tc, test_redact_header_names);
	tcase_add_test(tc, test_redact_uri_password);
	tcase_add_test(tc, test_redact_uri_without_password_kept);
	tcase_add_test(tc, test_redact_conninfo_password);
	tcase_add_test(tc, test_redact_query_parameters);
	tcase_add_test(tc, test_redact_plain_text_unchanged);
	tcase_add_test(tc, test_redact_long_text);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(redact_suite());
}
