/* Unit tests of lib/strbuf.c: growable buffers, bounded copies. */
#include <stdint.h>

#include "strbuf.h"
#include "unit.h"

START_TEST(test_strbuf_init_is_empty)
{
	struct etl_buf b;

	etl_buf_init(&b);
	ck_assert_ptr_null(b.data);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_uint_eq(b.cap, 0);
	/* Reset and release of an empty buffer are harmless. */
	etl_buf_reset(&b);
	etl_buf_release(&b);
	ck_assert_ptr_null(b.data);
}
END_TEST

START_TEST(test_strbuf_growth)
{
	struct etl_buf b;
	char expect[10001];

	etl_buf_init(&b);
	for (int i = 0; i < 10000; i++) {
		char c = (char)('a' + i % 26);

		expect[i] = c;
		if ((i % 3 == 0 ? etl_buf_putc(&b, c) :
		    etl_buf_append(&b, &c, 1)) != 0)
			ck_abort_msg("append %d failed", i);
		if (b.len != (size_t)i + 1 || b.cap <= b.len ||
		    b.data[b.len] != '\0')
			ck_abort_msg("after %d: len %zu cap %zu", i, b.len,
			    b.cap);
	}
	expect[10000] = '\0';
	ck_assert_str_eq(b.data, expect);
	etl_buf_release(&b);
	ck_assert_ptr_null(b.data);
	ck_assert_uint_eq(b.len, 0);
}
END_TEST

START_TEST(test_strbuf_big_append_at_once)
{
	struct etl_buf b;
	size_t n = 1000000;
	char *big = malloc(n);

	ck_assert_ptr_nonnull(big);
	memset(big, 'x', n);
	etl_buf_init(&b);
	ck_assert_int_eq(etl_buf_puts(&b, "ab"), 0);
	ck_assert_int_eq(etl_buf_append(&b, big, n), 0);
	ck_assert_uint_eq(b.len, n + 2);
	ck_assert_uint_ge(b.cap, n + 3);
	ck_assert_int_eq(memcmp(b.data, "abxx", 4), 0);
	ck_assert_int_eq(b.data[n + 1], 'x');
	ck_assert_int_eq(b.data[n + 2], '\0');
	free(big);
	etl_buf_release(&b);
}
END_TEST

START_TEST(test_strbuf_printf_and_reset)
{
	struct etl_buf b;
	char big[600];

	etl_buf_init(&b);
	ck_assert_int_eq(etl_buf_printf(&b, "%d-%s", 42, "x"), 0);
	ck_assert_str_eq(b.data, "42-x");
	ck_assert_uint_eq(b.len, 4);
	/* Past the first 256 bytes of capacity. */
	memset(big, 'y', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ck_assert_int_eq(etl_buf_printf(&b, "[%s]", big), 0);
	ck_assert_uint_eq(b.len, 4 + 2 + 599);
	ck_assert_int_eq(b.data[4], '[');
	ck_assert_int_eq(b.data[b.len - 1], ']');
	ck_assert_int_eq(b.data[b.len], '\0');
	etl_buf_reset(&b);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_str_eq(b.data, "");
	ck_assert_int_eq(etl_buf_puts(&b, "again"), 0);
	ck_assert_str_eq(b.data, "again");
	etl_buf_release(&b);
}
END_TEST

START_TEST(test_strbuf_append_keeps_nul_bytes)
{
	struct etl_buf b;

	etl_buf_init(&b);
	ck_assert_int_eq(etl_buf_append(&b, "a\0b", 3), 0);
	ck_assert_uint_eq(b.len, 3);
	ck_assert_mem_eq(b.data, "a\0b\0", 4);
	ck_assert_int_eq(etl_buf_append(&b, NULL, 0), 0);
	ck_assert_uint_eq(b.len, 3);
	etl_buf_release(&b);
}
END_TEST

START_TEST(test_strbuf_reserve_overflow)
{
	struct etl_buf b;

	etl_buf_init(&b);
	ck_assert_int_eq(etl_buf_puts(&b, "abc"), 0);
	ck_assert_int_eq(etl_buf_reserve(&b, SIZE_MAX), -1);
	ck_assert_int_eq(etl_buf_reserve(&b, SIZE_MAX - 3), -1);
	/* The buffer is unchanged by a failed reservation. */
	ck_assert_str_eq(b.data, "abc");
	ck_assert_uint_eq(b.len, 3);
	etl_buf_release(&b);
}
END_TEST

START_TEST(test_strbuf_strlcpy_truncation)
{
	char dst[8];

	memset(dst, 'Z', sizeof(dst));
	ck_assert_uint_eq(etl_strlcpy(dst, "hello", 3), 5);
	ck_assert_str_eq(dst, "he");
	ck_assert_int_eq(dst[3], 'Z');

	ck_assert_uint_eq(etl_strlcpy(dst, "hello", 6), 5);
	ck_assert_str_eq(dst, "hello");

	ck_assert_uint_eq(etl_strlcpy(dst, "hello", 5), 5);
	ck_assert_str_eq(dst, "hell");

	ck_assert_uint_eq(etl_strlcpy(dst, "", sizeof(dst)), 0);
	ck_assert_str_eq(dst, "");

	ck_assert_uint_eq(etl_strlcpy(dst, "x", 1), 1);
	ck_assert_str_eq(dst, "");

	/* n == 0 writes nothing at all. */
	dst[0] = 'Q';
	ck_assert_uint_eq(etl_strlcpy(dst, "abc", 0), 3);
	ck_assert_int_eq(dst[0], 'Q');
}
END_TEST

START_TEST(test_strbuf_snappend_never_past_end)
{
	char buf[16];
	size_t used;

	memset(buf, 'Z', sizeof(buf));
	used = etl_snappend(buf, 8, 0, "%s", "abc");
	ck_assert_uint_eq(used, 3);
	ck_assert_str_eq(buf, "abc");
	used = etl_snappend(buf, 8, used, "%d", 1234);
	ck_assert_uint_eq(used, 7);
	ck_assert_str_eq(buf, "abc1234");
	/* Full: stays at n - 1. */
	used = etl_snappend(buf, 8, used, "more");
	ck_assert_uint_eq(used, 7);
	ck_assert_str_eq(buf, "abc1234");
	for (size_t i = 8; i < sizeof(buf); i++)
		ck_assert_int_eq(buf[i], 'Z');
}
END_TEST

START_TEST(test_strbuf_snappend_truncates)
{
	char buf[16];
	size_t used;

	memset(buf, 'Z', sizeof(buf));
	used = etl_snappend(buf, 6, 0, "%s", "ab");
	used = etl_snappend(buf, 6, used, "%s", "cdefgh");
	ck_assert_uint_eq(used, 5);
	ck_assert_str_eq(buf, "abcde");
	ck_assert_int_eq(buf[6], 'Z');
	/* used past the end is clamped, nothing written. */
	ck_assert_uint_eq(etl_snappend(buf, 6, 100, "x"), 5);
	ck_assert_str_eq(buf, "abcde");
	ck_assert_uint_eq(etl_snappend(buf, 6, 6, "x"), 5);
	ck_assert_str_eq(buf, "abcde");
	ck_assert_uint_eq(etl_snappend(buf, 0, 0, "x"), 0);
	ck_assert_str_eq(buf, "abcde");
}
END_TEST

START_TEST(test_strbuf_strdup_null)
{
	char *s = etl_strdup("abc");

	ck_assert_ptr_null(etl_strdup(NULL));
	ck_assert_str_eq(s, "abc");
	free(s);
}
END_TEST

static Suite *
strbuf_suite(void)
{
	Suite *s = suite_create("strbuf");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_strbuf_init_is_empty);
	tcase_add_test(tc, test_strbuf_growth);
	tcase_add_test(tc, test_strbuf_big_append_at_once);
	tcase_add_test(tc, test_strbuf_printf_and_reset);
	tcase_add_test(tc, test_strbuf_append_keeps_nul_bytes);
	tcase_add_test(tc, test_strbuf_reserve_overflow);
	tcase_add_test(tc, test_strbuf_strlcpy_truncation);
	tcase_add_test(tc, test_strbuf_snappend_never_past_end);
	tcase_add_test(tc, test_strbuf_snappend_truncates);
	tcase_add_test(tc, test_strbuf_strdup_null);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(strbuf_suite());
}
