/* Unit tests of lib/text.c: folding, words, word sets, string metrics. */
#include <math.h>

#include "text.h"
#include "unit.h"

static void
assert_fold(const char *in, const char *want)
{
	struct etl_buf b;

	etl_buf_init(&b);
	ck_assert_int_eq(etl_text_fold(&b, in, strlen(in)), 0);
	ck_assert_str_eq(b.data ? b.data : "", want);
	etl_buf_release(&b);
}

START_TEST(test_text_fold_ascii)
{
	assert_fold("  Hello,   World!  ", "hello world");
	assert_fold("Lakers vs. Celtics - Game 3", "lakers vs celtics game 3");
	assert_fold("AC/DC", "ac dc");
	assert_fold("", "");
	assert_fold("!!!", "");
	assert_fold("Crypto.com Arena", "crypto com arena");
}
END_TEST

START_TEST(test_text_fold_latin)
{
	assert_fold("Beyonc\xc3\xa9", "beyonce");
	assert_fold("Stra\xc3\x9f" "e", "strasse");
	assert_fold("\xc5\x81\xc3\x93" "D\xc5\xb9", "lodz");
	assert_fold("\xc3\x86on \xc5\x92uvre", "aeon oeuvre");
	assert_fold("\xc4\xb2ssel", "ijssel");
	assert_fold("\xc3\x9e" "orn \xc3\x90" "a", "thorn da");
	assert_fold("Ni\xc3\xb1o Mu\xc3\xb1oz", "nino munoz");
	/* A decomposed accent: e and U+0301. */
	assert_fold("Beyonce\xcc\x81", "beyonce");
	/* Signs and punctuation of Latin-1 and General Punctuation. */
	assert_fold("2\xc3\x97" "3 a\xe2\x80\x93" "b \xc2\xabq\xc2\xbb",
	    "2 3 a b q");
}
END_TEST

START_TEST(test_text_fold_apostrophes_and_numbers)
{
	assert_fold("O'Brien", "obrien");
	assert_fold("Rock\xe2\x80\x99n\xe2\x80\x99Roll", "rocknroll");
	assert_fold("3.5 and 1,000 a.b 2.x", "3.5 and 1000 a b 2 x");
	assert_fold("7:30pm", "7 30pm");
}
END_TEST

START_TEST(test_text_fold_other_scripts_and_bad_bytes)
{
	/* Cyrillic is kept as it is; invalid bytes are spaces. */
	assert_fold("\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82 X",
	    "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82 x");
	assert_fold("a\xff" "b\xc3", "a b");
}
END_TEST

START_TEST(test_text_fold_appends)
{
	struct etl_buf b;

	etl_buf_init(&b);
	ck_assert_int_eq(etl_buf_puts(&b, "x|"), 0);
	ck_assert_int_eq(etl_text_fold(&b, " A B ", 5), 0);
	ck_assert_str_eq(b.data, "x|a b");
	etl_buf_release(&b);
}
END_TEST

START_TEST(test_text_words)
{
	const char *s = "one two  three", *w;
	size_t pos = 0, len, n = 0;
	const char *want[] = { "one", "two", "three" };

	while (etl_text_word(s, strlen(s), &pos, &w, &len)) {
		ck_assert_uint_lt(n, 3);
		ck_assert_uint_eq(len, strlen(want[n]));
		ck_assert_int_eq(memcmp(w, want[n], len), 0);
		n++;
	}
	ck_assert_uint_eq(n, 3);
	pos = 0;
	ck_assert_int_eq(etl_text_word("", 0, &pos, &w, &len), 0);
	ck_assert_int_eq(etl_text_has_digit("r2d2", 4), 1);
	ck_assert_int_eq(etl_text_has_digit("night", 5), 0);
}
END_TEST

START_TEST(test_text_hash)
{
	ck_assert_uint_eq(etl_text_hash("abc", 3, 0), etl_text_hash("abc", 3,
	    0));
	ck_assert_uint_ne(etl_text_hash("abc", 3, 0), etl_text_hash("abd", 3,
	    0));
	ck_assert_uint_ne(etl_text_hash("abc", 3, 0), etl_text_hash("abc", 3,
	    1));
}
END_TEST

START_TEST(test_text_wordset)
{
	struct etl_wordset *ws = etl_wordset_new();
	const char *const list[] = { "The", "VIP Package", NULL };
	char path[1100];

	ck_assert_ptr_nonnull(ws);
	ck_assert_int_eq(etl_wordset_add_list(ws, list), 0);
	ck_assert_int_eq(etl_wordset_has(ws, "the", 3), 1);
	ck_assert_int_eq(etl_wordset_has(ws, "The", 3), 0);
	ck_assert_int_eq(etl_wordset_class(ws, "the", 3), 0);
	ck_assert_int_eq(etl_wordset_class(ws, "vip", 3), 1);
	ck_assert_int_eq(etl_wordset_class(ws, "package", 7), 1);
	ck_assert_int_eq(etl_wordset_class(ws, "pack", 4), -1);
	/* Many words: the table grows and keeps them all. */
	for (int i = 0; i < 500; i++) {
		char w[16];

		snprintf(w, sizeof(w), "w%d", i);
		ck_assert_int_eq(etl_wordset_add(ws, w), 0);
	}
	ck_assert_uint_eq(etl_wordset_size(ws), 503);
	ck_assert_int_eq(etl_wordset_has(ws, "w499", 4), 1);
	ck_assert_int_eq(etl_wordset_class(ws, "vip", 3), 1);
	etl_wordset_free(ws);
	etl_wordset_free(NULL);
	ck_assert_int_eq(etl_wordset_has(NULL, "x", 1), 0);

	ws = etl_wordset_new();
	unit_write_file(unit_path(path, sizeof(path), "words"),
	    "# comment\n\nLive\n  Tour Tickets\n", 32);
	{
		struct etl_error err;

		etl_error_init(&err);
		ck_assert_int_eq(etl_wordset_load(ws, path, &err), 0);
		ck_assert_int_eq(etl_wordset_has(ws, "live", 4), 1);
		ck_assert_int_eq(etl_wordset_class(ws, "tickets", 7), 1);
		ck_assert_int_eq(etl_wordset_has(ws, "comment", 7), 0);
		ck_assert_int_eq(etl_wordset_load(ws, "/nonexistent/x", &err),
		    -ETL_ENOINPUT);
	}
	etl_wordset_free(ws);
}
END_TEST

#define near(a, b) ck_assert_double_eq_tol((a), (b), 0.0001)

START_TEST(test_text_jaro_hand_computed)
{
	/* MARTHA/MARHTA: m 6, t 1: (1 + 1 + 5/6) / 3. */
	near(etl_jaro("MARTHA", 6, "MARHTA", 6), 0.9444);
	/* DWAYNE/DUANE: m 4, t 0: (4/6 + 4/5 + 1) / 3. */
	near(etl_jaro("DWAYNE", 6, "DUANE", 5), 0.8222);
	/* DIXON/DICKSONX: m 4, t 0: (4/5 + 4/8 + 1) / 3. */
	near(etl_jaro("DIXON", 5, "DICKSONX", 8), 0.7667);
	near(etl_jaro("abc", 3, "abc", 3), 1.0);
	near(etl_jaro("", 0, "", 0), 1.0);
	near(etl_jaro("a", 1, "", 0), 0.0);
	near(etl_jaro("abc", 3, "xyz", 3), 0.0);
	/* Symmetric. */
	near(etl_jaro("CRATE", 5, "TRACE", 5), etl_jaro("TRACE", 5, "CRATE",
	    5));
}
END_TEST

START_TEST(test_text_jaro_winkler_hand_computed)
{
	/* j + l * 0.1 * (1 - j), prefix l up to 4. */
	near(etl_jaro_winkler("MARTHA", 6, "MARHTA", 6), 0.9611);
	near(etl_jaro_winkler("DWAYNE", 6, "DUANE", 5), 0.84);
	near(etl_jaro_winkler("DIXON", 5, "DICKSONX", 8), 0.8133);
	near(etl_jaro_winkler("lakers", 6, "lakres", 6),
	    etl_jaro("lakers", 6, "lakres", 6) + 0.3 *
	    (1 - etl_jaro("lakers", 6, "lakres", 6)));
	/* Long strings take the allocating path. */
	{
		char a[300], b[300];

		memset(a, 'x', sizeof(a));
		memcpy(b, a, sizeof(b));
		b[150] = 'y';
		ck_assert(etl_jaro_winkler(a, 300, b, 300) > 0.99);
		ck_assert(etl_jaro_winkler(a, 300, b, 300) < 1.0);
	}
}
END_TEST

START_TEST(test_text_levenshtein)
{
	ck_assert_uint_eq(etl_levenshtein("kitten", 6, "sitting", 7), 3);
	ck_assert_uint_eq(etl_levenshtein("flaw", 4, "lawn", 4), 2);
	ck_assert_uint_eq(etl_levenshtein("", 0, "abc", 3), 3);
	ck_assert_uint_eq(etl_levenshtein("abc", 3, "", 0), 3);
	ck_assert_uint_eq(etl_levenshtein("same", 4, "same", 4), 0);
	{
		char a[400], b[400];

		memset(a, 'a', sizeof(a));
		memset(b, 'a', sizeof(b));
		b[0] = 'b';
		b[399] = 'b';
		ck_assert_uint_eq(etl_levenshtein(a, 400, b, 400), 2);
	}
}
END_TEST

static Suite *
text_suite(void)
{
	Suite *s = suite_create("text");
	TCase *tc = tcase_create("core");

	tcase_add_unchecked_fixture(tc, unit_tmp_setup, unit_tmp_teardown);
	tcase_add_test(tc, test_text_fold_ascii);
	tcase_add_test(tc, test_text_fold_latin);
	tcase_add_test(tc, test_text_fold_apostrophes_and_numbers);
	tcase_add_test(tc, test_text_fold_other_scripts_and_bad_bytes);
	tcase_add_test(tc, test_text_fold_appends);
	tcase_add_test(tc, test_text_words);
	tcase_add_test(tc, test_text_hash);
	tcase_add_test(tc, test_text_wordset);
	tcase_add_test(tc, test_text_jaro_hand_computed);
	tcase_add_test(tc, test_text_jaro_winkler_hand_computed);
	tcase_add_test(tc, test_text_levenshtein);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(text_suite());
}
