/* Unit tests of lib/expr.c: the where language. */
#include "expr.h"
#include "unit.h"

static const char *const fields[] = { "a", "b", "s", "d", "n", "t", "obj",
	NULL };

static int
resolve(const char *name, void *ctx)
{
	(void)ctx;
	for (int i = 0; fields[i] != NULL; i++)
		if (strcmp(fields[i], name) == 0)
			return i;
	/* zz is unknown; other names are allowed without an index. */
	return strcmp(name, "zz") == 0 ? -1 : -2;
}

static const char rec_text[] = "{\"a\":1,\"b\":2.5,\"s\":\"search\","
    "\"d\":\"2026-01-05\",\"n\":null,\"t\":true,"
    "\"obj\":{\"x\":[10,20]}}";

static int
eval(const char *text, const unsigned char *failed, int *unsure)
{
	struct etl_error err;
	struct etl_expr *e = etl_expr_new(text, resolve, NULL, &err);
	json_t *rec = json_loads(rec_text, 0, NULL);
	int r;

	ck_assert_msg(e != NULL, "'%s': %s", text, err.message);
	r = etl_expr_eval(e, rec, failed, unsure);
	etl_expr_free(e);
	json_decref(rec);
	return r;
}

static void
yes(const char *text)
{
	ck_assert_msg(eval(text, NULL, NULL) == 1, "'%s' is false", text);
}

static void
no(const char *text)
{
	ck_assert_msg(eval(text, NULL, NULL) == 0, "'%s' is true", text);
}

static void
bad(const char *text, const char *msg)
{
	struct etl_error err;
	struct etl_expr *e = etl_expr_new(text, resolve, NULL, &err);

	ck_assert_msg(e == NULL, "'%s' compiled", text);
	ck_assert_int_eq(err.kind, ETL_ECONFIG);
	ck_assert_msg(strcmp(err.message, msg) == 0, "'%s': '%s', expected "
	    "'%s'", text, err.message, msg);
}

START_TEST(test_expr_compare)
{
	yes("a == 1");
	yes("a == 1.0");
	yes("1 == a");
	yes("a != 2");
	yes("b > a");
	yes("b >= 2.5");
	yes("a < 1.5 && a <= 1");
	no("a > 1");
	yes("s == \"search\"");
	yes("s == 'search'");
	no("s == \"Search\"");
	yes("d >= \"2026-01-01\" && d < \"2026-02-01\"");
	yes("s != 1");
	no("s < 1");
	no("s > 1");
	yes("n == null");
	yes("missing == null");
	no("n < 1");
	no("n > 1");
	yes("a == -1 || a == 1");
	yes("b == 2.5e0");
}
END_TEST

START_TEST(test_expr_logic)
{
	yes("t");
	no("!t");
	no("n");
	no("missing");
	yes("a");
	yes("!n && !missing");
	yes("t || n && missing");	/* && binds tighter */
	no("(t || n) && missing");
	yes("!(a == 2)");
	yes("!!t");
	yes("true");
	no("false");
	no("null");
}
END_TEST

START_TEST(test_expr_in_exists)
{
	yes("s in [\"search\", \"social\"]");
	yes("s in ('x', 'search')");
	no("s in []");
	yes("a in [3, 2, 1.0]");
	yes("n in [null]");
	yes("missing in [null]");
	no("!(s in [\"search\"])");
	yes("exists(a)");
	yes("exists a");
	no("exists(n)");
	no("exists(missing)");
	yes("obj.x[1] == 20");
	yes("obj.x[-1] == 20");
	yes("exists(obj.x[0])");
	no("exists(obj.x[5])");
}
END_TEST

START_TEST(test_expr_syntax_errors)
{
	bad("", "expected a value or a field name at the end");
	bad("a ==", "expected a value or a field name at the end");
	bad("a == 1 )", "unexpected text at column 8");
	bad("(a == 1", "expected ) at the end");
	bad("a === 1", "expected a value or a field name at column 5");
	bad("s == \"x", "unterminated string at column 6");
	bad("zz == 1", "unknown field 'zz' at column 1");
	bad("a in 1", "expected [ after in at column 6");
	bad("a in [1, b]", "expected a literal in the list at column 10");
	bad("a in [1 2]", "expected , or the end of the list at column 9");
	bad("a == 1.2.3", "bad number at column 6");
	bad("s == 'a\\q'", "unknown escape at column 8");
	bad("a == 1 &&", "expected a value or a field name at the end");
	bad("a == 1 & b", "unexpected text at column 8");
	bad("`a == 1", "unterminated `name` at column 1");
	bad("`` == 1", "empty `name` at column 1");
}
END_TEST

START_TEST(test_expr_deep_nesting)
{
	char text[600];
	size_t n = 0;

	for (int i = 0; i < 100; i++)
		text[n++] = '(';
	text[n++] = 't';
	for (int i = 0; i < 100; i++)
		text[n++] = ')';
	text[n] = '\0';
	bad(text, "nested too deep at column 66");
	memset(text, '!', 500);
	memcpy(text + 500, "t", 2);
	bad(text, "nested too deep at column 66");
	for (n = 0; n < 40; n++)
		text[n] = '(';
	text[n++] = 't';
	for (int i = 0; i < 40; i++)
		text[n++] = ')';
	text[n] = '\0';
	yes(text);
}
END_TEST

START_TEST(test_expr_unsure)
{
	unsigned char failed[7] = { 0 };
	int unsure = -1;

	failed[2] = 1;	/* s failed */
	ck_assert_int_eq(eval("a == 1", failed, &unsure), 1);
	ck_assert_int_eq(unsure, 0);
	ck_assert_int_eq(eval("s == \"x\"", failed, &unsure), 0);
	ck_assert_int_eq(unsure, 1);
	/* Short-circuit: s is never read. */
	ck_assert_int_eq(eval("a == 2 && s == \"x\"", failed, &unsure), 0);
	ck_assert_int_eq(unsure, 0);
}
END_TEST

START_TEST(test_expr_backquoted_names)
{
	struct etl_error err;
	struct etl_expr *e = etl_expr_new("`unit price` > 2 && `a.b` == "
	    "\"x\" && `q\"` == 1", NULL, NULL, &err);
	json_t *rec = json_loads("{\"unit price\":3,\"a.b\":\"x\","
	    "\"q\\\"\":1}", 0, NULL);

	ck_assert_msg(e != NULL, "%s", err.message);
	ck_assert_ptr_nonnull(rec);
	ck_assert_int_eq(etl_expr_eval(e, rec, NULL, NULL), 1);
	etl_expr_free(e);
	json_decref(rec);
}
END_TEST

START_TEST(test_expr_any_name)
{
	struct etl_error err;
	struct etl_expr *e = etl_expr_new("whatever.deep[0] == 3", NULL, NULL,
	    &err);
	json_t *rec = json_loads("{\"whatever\":{\"deep\":[3]}}", 0, NULL);

	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(etl_expr_eval(e, rec, NULL, NULL), 1);
	etl_expr_free(e);
	json_decref(rec);
}
END_TEST

static Suite *
expr_suite(void)
{
	Suite *s = suite_create("expr");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_expr_compare);
	tcase_add_test(tc, test_expr_logic);
	tcase_add_test(tc, test_expr_in_exists);
	tcase_add_test(tc, test_expr_syntax_errors);
	tcase_add_test(tc, test_expr_deep_nesting);
	tcase_add_test(tc, test_expr_unsure);
	tcase_add_test(tc, test_expr_any_name);
	tcase_add_test(tc, test_expr_backquoted_names);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(expr_suite());
}
