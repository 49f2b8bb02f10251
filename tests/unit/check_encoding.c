/* Unit tests of lib/encoding.c: iconv decoding as a byte source. */
#include "unit.h"
#include "srcutil.h"

static int
decode(const char *from, const char *data, size_t len, size_t piece,
    struct etl_buf *out, struct etl_error *err)
{
	struct piecesrc src;
	struct etl_encoding *e;
	char buf[3];
	long k;

	piece_init(&src, data, len, piece);
	e = etl_encoding_new(from, piece_read, &src, "t", err);
	ck_assert_ptr_nonnull(e);
	etl_buf_reset(out);
	while ((k = etl_encoding_read(e, buf, sizeof(buf), err)) > 0)
		etl_buf_append(out, buf, (size_t)k);
	etl_encoding_free(e);
	return (int)k;
}

START_TEST(test_encoding_cp1252_latin1)
{
	struct etl_buf out;
	struct etl_error err;

	etl_buf_init(&out);
	etl_buf_reserve(&out, 0);
	etl_error_init(&err);
	for (size_t piece = 1; piece < 4; piece++) {
		ck_assert_int_eq(decode("WINDOWS-1252", "caf\xe9 \x80\n", 7,
		    piece, &out, &err), 0);
		ck_assert_str_eq(out.data, "café €\n");
		ck_assert_int_eq(decode("ISO-8859-1", "\xfc", 1, piece, &out,
		    &err), 0);
		ck_assert_str_eq(out.data, "ü");
		ck_assert_int_eq(decode("UTF-16LE", "a\0\xe9\0", 4, piece,
		    &out, &err), 0);
		ck_assert_str_eq(out.data, "aé");
	}
	etl_buf_release(&out);
}
END_TEST

START_TEST(test_encoding_errors)
{
	struct etl_buf out;
	struct etl_error err;
	struct piecesrc src;

	etl_buf_init(&out);
	etl_buf_reserve(&out, 0);
	etl_error_init(&err);
	ck_assert_int_eq(decode("UTF-8", "ok\n\xff", 4, 1, &out, &err),
	    -ETL_EDATA);
	ck_assert_int_eq(err.line, 2);
	ck_assert_int_eq(decode("UTF-16LE", "a", 1, 1, &out, &err),
	    -ETL_EDATA);
	piece_init(&src, "", 0, 0);
	ck_assert_ptr_null(etl_encoding_new("no-such-thing", piece_read, &src,
	    "t", &err));
	ck_assert_int_eq(err.kind, ETL_ECONFIG);
	etl_buf_release(&out);
}
END_TEST

START_TEST(test_encoding_memsrc)
{
	struct etl_memsrc m = { "abc", 3, 0 };
	struct etl_error err;
	char buf[2];

	ck_assert_int_eq(etl_memsrc_read(&m, buf, 2, &err), 2);
	ck_assert_int_eq(etl_memsrc_read(&m, buf, 2, &err), 1);
	ck_assert_int_eq(etl_memsrc_read(&m, buf, 2, &err), 0);
}
END_TEST

static Suite *
encoding_suite(void)
{
	Suite *s = suite_create("encoding");
	TCase *tc = tcase_create("encoding");

	tcase_add_test(tc, test_encoding_cp1252_latin1);
	tcase_add_test(tc, test_encoding_errors);
	tcase_add_test(tc, test_encoding_memsrc);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(encoding_suite());
}
