/* Unit tests of lib/textmap.c: byte-string keys to values. */
#include "textmap.h"
#include "unit.h"

START_TEST(test_textmap_put_get)
{
	struct etl_textmap *tm = etl_textmap_new();
	uint64_t *v;
	int added;
	char k[32];

	ck_assert_ptr_nonnull(tm);
	v = etl_textmap_put(tm, "a", 1, 7, &added);
	ck_assert_ptr_nonnull(v);
	ck_assert_int_eq(added, 1);
	ck_assert_uint_eq(*v, 7);
	*v = 9;
	v = etl_textmap_put(tm, "a", 1, 7, &added);
	ck_assert_int_eq(added, 0);
	ck_assert_uint_eq(*v, 9);
	/* Keys are bytes: NUL inside, and the empty key. */
	ck_assert_ptr_nonnull(etl_textmap_put(tm, "a\0b", 3, 1, NULL));
	ck_assert_ptr_nonnull(etl_textmap_put(tm, "", 0, 2, NULL));
	ck_assert_uint_eq(*etl_textmap_get(tm, "", 0), 2);
	ck_assert_ptr_null(etl_textmap_get(tm, "a\0c", 3));
	for (int i = 0; i < 10000; i++) {
		snprintf(k, sizeof(k), "key%d", i);
		ck_assert_ptr_nonnull(etl_textmap_put(tm, k, strlen(k),
		    (uint64_t)i, NULL));
	}
	ck_assert_uint_eq(etl_textmap_count(tm), 10003);
	for (int i = 0; i < 10000; i += 997) {
		snprintf(k, sizeof(k), "key%d", i);
		ck_assert_uint_eq(*etl_textmap_get(tm, k, strlen(k)),
		    (uint64_t)i);
	}
	ck_assert_uint_eq(*etl_textmap_get(tm, "a", 1), 9);
	etl_textmap_free(tm);
	etl_textmap_free(NULL);
}
END_TEST

static Suite *
textmap_suite(void)
{
	Suite *s = suite_create("textmap");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_textmap_put_get);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(textmap_suite());
}
