/* Unit tests of lib/rules.c: the rules before and after the cast. */
#include "rules.h"
#include "unit.h"

static json_t *
j(const char *text)
{
	json_t *v = json_loads(text, JSON_DECODE_ANY, NULL);

	ck_assert_msg(v != NULL, "bad JSON in test: %s", text);
	return v;
}

/* prepare(in) as a string, or "null". */
static void
prep(const struct etl_rules *r, const char *in, const char *want)
{
	json_t *v = json_string(in), *out = NULL;

	ck_assert_int_eq(etl_rules_prepare(r, v, &out), 0);
	if (want == NULL)
		ck_assert_msg(json_is_null(out), "'%s' kept", in);
	else
		ck_assert_msg(json_is_string(out) &&
		    strcmp(json_string_value(out), want) == 0, "'%s' gave "
		    "'%s', expected '%s'", in, json_string_value(out), want);
	json_decref(out);
	json_decref(v);
}

static void
check(const struct etl_rules *r, const char *value, const char *want_rule,
    const char *why_part)
{
	json_t *v = j(value);
	const char *rule = NULL;
	char why[256] = "";
	int rc = etl_rules_check(r, ETL_T_JSON, v, &rule, why, sizeof(why));

	json_decref(v);
	if (want_rule == NULL) {
		ck_assert_msg(rc == 0, "%s failed %s: %s", value, rule, why);
		return;
	}
	ck_assert_msg(rc == -1, "%s passed, expected %s", value, want_rule);
	ck_assert_str_eq(rule, want_rule);
	ck_assert_msg(strstr(why, why_part) != NULL, "why '%s' lacks '%s'",
	    why, why_part);
}

START_TEST(test_rules_trim)
{
	struct etl_rules r;

	etl_rules_init(&r);
	r.trim = 1;
	ck_assert(etl_rules_have_prepare(&r));
	prep(&r, "  a b \t\r\n", "a b");
	prep(&r, "\xc2\xa0x\xc2\xa0", "x");
	prep(&r, "", "");
	prep(&r, "   ", "");
	prep(&r, "\xc3\xa9", "\xc3\xa9");
	etl_rules_release(&r);
}
END_TEST

START_TEST(test_rules_null_if)
{
	struct etl_rules r;

	etl_rules_init(&r);
	r.null_if = j("[\"\", \"N/A\", \"-\"]");
	prep(&r, "", NULL);
	prep(&r, "N/A", NULL);
	prep(&r, "n/a", "n/a");
	prep(&r, " N/A", " N/A");
	r.trim = 1;
	prep(&r, " N/A ", NULL);
	prep(&r, "   ", NULL);
	prep(&r, "x", "x");
	etl_rules_release(&r);
}
END_TEST

START_TEST(test_rules_case)
{
	struct etl_rules r;
	json_t *n = json_integer(5), *out;

	etl_rules_init(&r);
	r.lower = 1;
	prep(&r, "SeArCh", "search");
	prep(&r, "\xc3\x89T\xc3\x89", "\xc3\x89t\xc3\x89");
	etl_rules_init(&r);
	r.upper = 1;
	prep(&r, "eur", "EUR");
	/* Not strings: kept as they are. */
	ck_assert_int_eq(etl_rules_prepare(&r, n, &out), 0);
	ck_assert_ptr_eq(out, n);
	json_decref(out);
	json_decref(n);
	etl_rules_release(&r);
}
END_TEST

START_TEST(test_rules_enum)
{
	struct etl_rules r;

	etl_rules_init(&r);
	r.enumv = j("[\"search\", \"social\", 1, 2.5]");
	check(&r, "\"search\"", NULL, NULL);
	check(&r, "1.0", NULL, NULL);
	check(&r, "2.5", NULL, NULL);
	check(&r, "\"tv\"", "enum", "'tv' not one of 'search', 'social', 1");
	check(&r, "\"Search\"", "enum", "not one of");
	check(&r, "2", "enum", "2 not one of");
	etl_rules_release(&r);
}
END_TEST

START_TEST(test_rules_min_max_numbers)
{
	struct etl_rules r;

	etl_rules_init(&r);
	r.min = j("0");
	r.max = j("100.5");
	check(&r, "0", NULL, NULL);
	check(&r, "100.5", NULL, NULL);
	check(&r, "-0.001", "min", "-0.001 below min 0");
	check(&r, "-5", "min", "-5 below min 0");
	check(&r, "101", "max", "101 above max 100.5");
	check(&r, "\"x\"", NULL, NULL);	/* not comparable: not checked */
	etl_rules_release(&r);
	/* Integers at the edges of 64 bits compare exactly. */
	etl_rules_init(&r);
	r.max = j("9223372036854775806");
	check(&r, "9223372036854775806", NULL, NULL);
	check(&r, "9223372036854775807", "max", "above max");
	etl_rules_release(&r);
}
END_TEST

START_TEST(test_rules_min_max_dates)
{
	struct etl_rules r;

	etl_rules_init(&r);
	r.min = j("\"2020-01-01\"");
	check(&r, "\"2020-01-01\"", NULL, NULL);
	check(&r, "\"2019-12-31\"", "min", "below min '2020-01-01'");
	etl_rules_release(&r);
	/* Datetimes order as instants, whatever their fraction. */
	etl_rules_init(&r);
	r.max = j("\"2026-01-01T00:00:00Z\"");
	check(&r, "\"2025-12-31T23:59:59.5Z\"", NULL, NULL);
	check(&r, "\"2026-01-01T00:00:00.5Z\"", "max", "above max");
	etl_rules_release(&r);
}
END_TEST

START_TEST(test_rules_lengths)
{
	struct etl_rules r;

	etl_rules_init(&r);
	r.min_length = 2;
	r.max_length = 5;
	check(&r, "\"h\xc3\xa9llo\"", NULL, NULL);	/* 5 characters */
	check(&r, "\"ab\"", NULL, NULL);
	check(&r, "\"a\"", "min_length", "shorter than min_length 2");
	check(&r, "\"\"", "min_length", "'' shorter");
	check(&r, "\"h\xc3\xa9llos\"", "max_length",
	    "longer than max_length 5");
	check(&r, "[1,2,3,4,5,6]", "max_length", "longer");
	check(&r, "7", NULL, NULL);
	ck_assert_uint_eq(etl_utf8_length("\xf0\x9f\x98\x80x", 5), 2);
	etl_rules_release(&r);
}
END_TEST

START_TEST(test_rules_pattern)
{
	struct etl_rules r;
	struct etl_error err;

	etl_rules_init(&r);
	etl_error_init(&err);
	ck_assert_int_eq(etl_rules_set_pattern(&r, "^[A-Z]{2}-[0-9]+$", &err),
	    0);
	check(&r, "\"FR-75\"", NULL, NULL);
	check(&r, "\"fr-75\"", "pattern", "does not match pattern");
	check(&r, "\"FR-75x\"", "pattern", "'FR-75x'");
	ck_assert_int_eq(etl_rules_set_pattern(&r, "[0-9]", &err), 0);
	check(&r, "123", NULL, NULL);		/* the text of a number */
	check(&r, "\"abc\"", "pattern", "pattern '[0-9]'");
	ck_assert_int_eq(etl_rules_set_pattern(&r, "a(b", &err),
	    -ETL_ECONFIG);
	ck_assert(err.message[0] != '\0');
	etl_rules_release(&r);
}
END_TEST

START_TEST(test_rules_order_and_equal)
{
	json_t *a = j("1"), *b = j("1.0"), *c = j("\"1\""), *t = j("true");
	int cmp;

	ck_assert(etl_value_equal(a, b));
	ck_assert(!etl_value_equal(a, c));
	ck_assert_int_eq(etl_value_order(a, c, &cmp), -1);
	ck_assert_int_eq(etl_value_order(t, json_false(), &cmp), 0);
	ck_assert_int_gt(cmp, 0);
	json_decref(a);
	json_decref(b);
	json_decref(c);
	json_decref(t);
}
END_TEST

static Suite *
rules_suite(void)
{
	Suite *s = suite_create("rules");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_rules_trim);
	tcase_add_test(tc, test_rules_null_if);
	tcase_add_test(tc, test_rules_case);
	tcase_add_test(tc, test_rules_enum);
	tcase_add_test(tc, test_rules_min_max_numbers);
	tcase_add_test(tc, test_rules_min_max_dates);
	tcase_add_test(tc, test_rules_lengths);
	tcase_add_test(tc, test_rules_pattern);
	tcase_add_test(tc, test_rules_order_and_equal);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(rules_suite());
}
