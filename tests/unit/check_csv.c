/* Unit tests of lib/csv.c: the streaming RFC 4180 reader. */
#include "csv.h"
#include "unit.h"
#include "srcutil.h"

/* Every record of data, read in pieces of `piece` bytes, as lines. */
static char *
read_all(const char *data, size_t piece, char delim, int *bad)
{
	struct etl_csv_opts o = { delim, 0 };
	struct piecesrc src;
	struct etl_error err;
	struct etl_buf out;
	struct etl_csv *c;
	json_t *rec;
	int rc;

	piece_init(&src, data, strlen(data), piece);
	etl_error_init(&err);
	etl_buf_init(&out);
	etl_buf_reserve(&out, 0);
	etl_buf_reset(&out);
	*bad = 0;
	c = etl_csv_new(piece_read, &src, "t.csv", &o, &err);
	ck_assert_ptr_nonnull(c);
	while ((rc = etl_csv_next(c, &rec, &err)) != 0) {
		if (rc == -ETL_EDATA && !etl_csv_failed(c)) {
			char line[600];

			(*bad)++;
			snprintf(line, sizeof(line), "!%lld %s\n",
			    etl_csv_lineno(c), err.message);
			etl_buf_puts(&out, line);
			continue;
		}
		if (rc == -ETL_EDATA) {
			etl_buf_puts(&out, "!F ");
			etl_buf_puts(&out, err.message);
			break;
		}
		ck_assert_int_eq(rc, 1);
		etl_buf_puts(&out, rec_text(rec));
		etl_buf_putc(&out, '\n');
	}
	etl_csv_free(c);
	return out.data;
}

static void
same_in_every_piece_size(const char *data, char delim, const char *want,
    int want_bad)
{
	static const size_t pieces[] = { 1, 2, 3, 7, 0 };

	for (size_t i = 0; i < sizeof(pieces) / sizeof(pieces[0]); i++) {
		int bad;
		char *got = read_all(data, pieces[i], delim, &bad);

		ck_assert_msg(strcmp(got, want) == 0, "piece %zu:\n%s\nwant:\n%s",
		    pieces[i], got, want);
		ck_assert_int_eq(bad, want_bad);
		free(got);
	}
}

START_TEST(test_csv_quotes_newlines_doubled)
{
	same_in_every_piece_size("a,b\n\"x, y\",\"say \"\"hi\"\"\"\n"
	    "\"two\nlines\",\n", 0,
	    "{\"a\":\"x, y\",\"b\":\"say \\\"hi\\\"\"}\n"
	    "{\"a\":\"two\\nlines\",\"b\":\"\"}\n", 0);
}
END_TEST

START_TEST(test_csv_crlf_bom_blank_lines)
{
	same_in_every_piece_size("\xef\xbb\xbf" "id,v\r\n1,a\r\n\r\n2,\"b\"\r\n"
	    "3,c", 0,
	    "{\"id\":\"1\",\"v\":\"a\"}\n{\"id\":\"2\",\"v\":\"b\"}\n"
	    "{\"id\":\"3\",\"v\":\"c\"}\n", 0);
}
END_TEST

START_TEST(test_csv_ragged_rows_name_lines)
{
	same_in_every_piece_size("a,b\n1\n\"x\ny\",2,3\n4,5\n", 0,
	    "!2 1 field, the header has 2\n"
	    "!3 3 fields, the header has 2\n"
	    "{\"a\":\"4\",\"b\":\"5\"}\n", 2);
}
END_TEST

START_TEST(test_csv_delimiter_and_empty_fields)
{
	same_in_every_piece_size("a;b;c\n;;\n1;;3\n", ';',
	    "{\"a\":\"\",\"b\":\"\",\"c\":\"\"}\n"
	    "{\"a\":\"1\",\"b\":\"\",\"c\":\"3\"}\n", 0);
}
END_TEST

START_TEST(test_csv_invalid_utf8_and_stray_text)
{
	same_in_every_piece_size("a\n\xff\n\"q\"x\nok\n", 0,
	    "!2 not valid UTF-8 (see --encoding)\n"
	    "!3 text after a closing quote\n"
	    "{\"a\":\"ok\"}\n", 2);
}
END_TEST

START_TEST(test_csv_unterminated_quote)
{
	same_in_every_piece_size("a\n\"open\n", 0,
	    "!2 unterminated quoted field\n", 1);
}
END_TEST

START_TEST(test_csv_header_problems)
{
	int bad;
	char *got = read_all("a,a\n1,2\n", 0, 0, &bad);

	ck_assert_str_eq(got, "!F column 'a' appears twice in the header");
	free(got);
	got = read_all("", 0, 0, &bad);
	ck_assert_str_eq(got, "");
	free(got);
	got = read_all("only,header", 0, 0, &bad);
	ck_assert_str_eq(got, "");
	free(got);
}
END_TEST

START_TEST(test_csv_max_row)
{
	struct etl_csv_opts o = { 0, 8 };
	struct piecesrc src;
	struct etl_error err;
	struct etl_csv *c;
	json_t *rec;
	const char *data = "a\n0123456789abc\nok\n";
	size_t len;

	piece_init(&src, data, strlen(data), 0);
	etl_error_init(&err);
	c = etl_csv_new(piece_read, &src, "t.csv", &o, &err);
	ck_assert_int_eq(etl_csv_next(c, &rec, &err), -ETL_EDATA);
	ck_assert_str_eq(err.message, "row longer than --max-line");
	etl_csv_raw(c, &len);
	ck_assert_uint_le(len, 8);
	ck_assert_int_eq(etl_csv_next(c, &rec, &err), 1);
	ck_assert_str_eq(rec_text(rec), "{\"a\":\"ok\"}");
	ck_assert_int_eq(etl_csv_next(c, &rec, &err), 0);
	etl_csv_free(c);
}
END_TEST

static Suite *
csv_suite(void)
{
	Suite *s = suite_create("csv");
	TCase *tc = tcase_create("csv");

	tcase_add_test(tc, test_csv_quotes_newlines_doubled);
	tcase_add_test(tc, test_csv_crlf_bom_blank_lines);
	tcase_add_test(tc, test_csv_ragged_rows_name_lines);
	tcase_add_test(tc, test_csv_delimiter_and_empty_fields);
	tcase_add_test(tc, test_csv_invalid_utf8_and_stray_text);
	tcase_add_test(tc, test_csv_unterminated_quote);
	tcase_add_test(tc, test_csv_header_problems);
	tcase_add_test(tc, test_csv_max_row);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(csv_suite());
}
