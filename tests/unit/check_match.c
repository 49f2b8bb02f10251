/*
 * Unit tests of lib/match.c: the text score against hand-computed
 * values, identifier vetoes, blocking and scoring of a small matcher,
 * explanations, and independence from RIGHT's order.
 */
#include <jansson.h>
#include <math.h>

#include "match.h"
#include "unit.h"

#define near(a, b) ck_assert_double_eq_tol((a), (b), 0.0001)

START_TEST(test_match_text_score_hand_computed)
{
	/* Same words in another order: 1. */
	near(etl_match_text_score("Lakers vs Celtics", "Celtics vs Lakers"),
	    1.0);
	/* A word subset never scores 1: 1 / (sqrt(1) sqrt(2)). */
	near(etl_match_text_score("Lakers", "Lakers Parking"), 0.7071);
	/* Two of three words: 2 / (sqrt(2) sqrt(3)). */
	near(etl_match_text_score("Boston Celtics", "Boston Celtics Live"),
	    0.8165);
	/* A misspelt word aligns with its Jaro-Winkler as similarity. */
	near(etl_match_text_score("Lakres", "Lakers"),
	    etl_jaro_winkler("lakres", 6, "lakers", 6));
	/* Too far apart to align: 0. */
	near(etl_match_text_score("Arena", "Field"), 0.0);
	/* Accents and case do not count. */
	near(etl_match_text_score("BEYONC\xc3\x89", "beyonce"), 1.0);
	near(etl_match_text_score("", ""), 1.0);
	near(etl_match_text_score("x", ""), 0.0);
}
END_TEST

START_TEST(test_match_text_score_identifiers)
{
	/* Conflicting numbers veto: each side has one the other lacks. */
	near(etl_match_text_score("Lakers Game 3", "Lakers Game 4"), 0.0);
	near(etl_match_text_score("Coldplay Night 2", "Coldplay Night 1"),
	    0.0);
	/* A number word after a sequence word is that number. */
	near(etl_match_text_score("Coldplay Night Two", "Coldplay Night 1"),
	    0.0);
	/* ... and aligns with the digit: the same text. */
	near(etl_match_text_score("Coldplay Night Two", "Coldplay Night 2"),
	    1.0);
	/* Extra numbers on one side only do not veto. */
	ck_assert(etl_match_text_score("Game 3", "Game 3 2025") > 0.0);
	/* Ordinals and leading zeros. */
	ck_assert(etl_match_text_score("2nd Round", "Round 02") > 0.0);
}
END_TEST

struct fixture {
	struct etl_wordset *stop, *mark;
	struct etl_matcher *m;
	struct etl_match_query *q;
	struct etl_textjson rec;
	struct etl_error err;
};

static const char *const right_recs[] = {
	"{\"id\":\"a\",\"name\":\"Boston Celtics at Los Angeles Lakers\","
	    "\"venue\":\"Crypto.com Arena\",\"at\":\"2025-03-14T20:00:00Z\"}",
	"{\"id\":\"b\",\"name\":\"Los Angeles Lakers Parking\","
	    "\"venue\":\"Crypto.com Arena\",\"at\":\"2025-03-14T19:30:00Z\"}",
	"{\"id\":\"c\",\"name\":\"Lakers vs Celtics\",\"venue\":\"Crypto.com"
	    " Arena\",\"at\":\"2025-03-16T19:30:00Z\"}",
	"{\"id\":\"d\",\"name\":\"Coldplay Night 2\",\"venue\":\"Wembley\","
	    "\"at\":\"2025-03-14T19:00:00Z\"}",
	"{\"id\":\"e\",\"name\":\"Some Other Show\",\"venue\":\"Crypto.com "
	    "Arena\",\"at\":\"2025-03-14T19:30:00Z\"}",
};

static const struct etl_match_field fields[] = {
	{ ETL_MATCH_FUZZY, "title", "name", 2.0, 0, 0 },
	{ ETL_MATCH_FUZZY, "venue", "venue", 1.0, 0, 0 },
	{ ETL_MATCH_NEAR, "starts", "at", 1.0, 3 * 3600 * 1000.0, 1 },
};

static void
fixture_open(struct fixture *f, const int *order, size_t n)
{
	struct etl_match_config cfg;

	memset(f, 0, sizeof(*f));
	etl_error_init(&f->err);
	etl_textjson_init(&f->rec);
	f->stop = etl_wordset_new();
	f->mark = etl_wordset_new();
	ck_assert_int_eq(etl_wordset_add_list(f->stop,
	    etl_match_default_stopwords), 0);
	ck_assert_int_eq(etl_wordset_add_list(f->mark,
	    etl_match_default_markers), 0);
	memset(&cfg, 0, sizeof(cfg));
	cfg.fields = fields;
	cfg.nfields = 3;
	cfg.stopwords = f->stop;
	cfg.markers = f->mark;
	f->m = etl_matcher_new(&cfg, &f->err);
	ck_assert_ptr_nonnull(f->m);
	for (size_t i = 0; i < n; i++) {
		const char *s = right_recs[order[i]];

		ck_assert_int_eq(etl_textjson_scan(&f->rec, s, strlen(s)), 0);
		ck_assert_int_eq(etl_matcher_add(f->m, &f->rec, &f->err), 0);
	}
	ck_assert_int_eq(etl_matcher_build(f->m, &f->err), 0);
	ck_assert_uint_eq(etl_matcher_count(f->m), n);
	f->q = etl_match_query_new(f->m);
	ck_assert_ptr_nonnull(f->q);
}

static void
fixture_close(struct fixture *f)
{
	etl_match_query_free(f->q);
	etl_matcher_free(f->m);
	etl_wordset_free(f->stop);
	etl_wordset_free(f->mark);
	etl_textjson_release(&f->rec);
}

static long
ask(struct fixture *f, const char *left, const struct etl_match_cand **c)
{
	long n;

	ck_assert_int_eq(etl_textjson_scan(&f->rec, left, strlen(left)), 0);
	n = etl_match_query_run(f->q, &f->rec, c, NULL, &f->err);
	ck_assert_int_ge(n, 0);
	return n;
}

static const char *
id_of(struct fixture *f, uint32_t r)
{
	size_t len;
	const char *t = etl_matcher_text(f->m, r, &len);
	const char *p = strstr(t, "\"id\":\"");

	ck_assert_ptr_nonnull(p);
	return p + 6;
}

START_TEST(test_match_matcher_scores_and_vetoes)
{
	static const int order[] = { 0, 1, 2, 3, 4 };
	struct fixture f;
	const struct etl_match_cand *c;
	long n;

	fixture_open(&f, order, 5);
	n = ask(&f, "{\"title\":\"Los Angeles Lakers vs. Boston Celtics\","
	    "\"venue\":\"Crypto.com Arena\",\"starts\":"
	    "\"2025-03-14T19:30:00Z\"}", &c);
	ck_assert_int_ge(n, 2);
	/* title 1 (x2), venue 1, near 1 - (30/180)^2: (3 + 35/36) / 4. */
	ck_assert_int_eq(id_of(&f, c[0].right)[0], 'a');
	near(c[0].score, floor((3.0 + 35.0 / 36.0) / 4.0 * 10000 + 0.5) /
	    10000);
	ck_assert_int_eq(c[0].veto, -1);
	/* The parking product is vetoed; the game two days later and the
	 * show at Wembley are not candidates. */
	for (long i = 1; i < n; i++) {
		const char *id = id_of(&f, c[i].right);

		ck_assert(id[0] != 'c' && id[0] != 'd');
		if (id[0] == 'b') {
			ck_assert_int_eq(c[i].veto, 0);
			near(c[i].score, 0.0);
		}
	}
	fixture_close(&f);
}
END_TEST

START_TEST(test_match_explain)
{
	static const int order[] = { 0, 1, 2, 3, 4 };
	struct fixture f;
	const struct etl_match_cand *c;
	struct etl_buf b;
	json_t *v, *title;
	long n;

	fixture_open(&f, order, 5);
	n = ask(&f, "{\"title\":\"Lakers Celtics\",\"venue\":\"Crypto.com "
	    "Arena\",\"starts\":\"2025-03-14T19:30:00Z\"}", &c);
	ck_assert_int_ge(n, 2);
	etl_buf_init(&b);
	for (long i = 0; i < n; i++) {
		if (id_of(&f, c[i].right)[0] != 'b')
			continue;
		ck_assert_int_eq(etl_match_query_explain(f.q, c[i].right, &b),
		    0);
	}
	v = json_loads(b.data, 0, NULL);
	ck_assert_ptr_nonnull(v);
	title = json_object_get(v, "title=name");
	ck_assert_ptr_nonnull(title);
	ck_assert_str_eq(json_string_value(json_object_get(title, "veto")),
	    "'parking' on the right only");
	near(json_real_value(json_object_get(title, "weight")), 2.0);
	ck_assert_ptr_nonnull(json_object_get(v, "venue"));
	ck_assert_ptr_nonnull(json_object_get(v, "starts=at"));
	json_decref(v);
	etl_buf_release(&b);
	fixture_close(&f);
}
END_TEST

START_TEST(test_match_order_independent)
{
	static const int a[] = { 0, 1, 2, 3, 4 }, b[] = { 4, 2, 3, 1, 0 };
	struct fixture f, g;
	const struct etl_match_cand *c, *d;
	const char *left = "{\"title\":\"Lakers\",\"venue\":\"Crypto.com "
	    "Arena\",\"starts\":\"2025-03-14T19:30:00Z\"}";
	long n, k;

	fixture_open(&f, a, 5);
	fixture_open(&g, b, 5);
	n = ask(&f, left, &c);
	k = ask(&g, left, &d);
	ck_assert_int_eq(n, k);
	for (long i = 0; i < n; i++) {
		ck_assert_int_eq(id_of(&f, c[i].right)[0],
		    id_of(&g, d[i].right)[0]);
		ck_assert(c[i].score == d[i].score);
	}
	fixture_close(&f);
	fixture_close(&g);
}
END_TEST

START_TEST(test_match_exact_keys)
{
	static const struct etl_match_field on[] = {
		{ ETL_MATCH_EXACT, "k", "id", 1.0, 0, 0 },
	};
	const char *recs[] = {
		"{\"id\":1,\"v\":\"x\"}", "{\"id\":\"1\",\"v\":\"y\"}",
		"{\"id\":2}", "{\"v\":\"no key\"}", "{\"id\":null}",
	};
	struct etl_match_config cfg;
	struct etl_textjson rec;
	struct etl_error err;
	struct etl_matcher *m;
	struct etl_match_query *q;
	const struct etl_match_cand *c;

	memset(&cfg, 0, sizeof(cfg));
	cfg.fields = on;
	cfg.nfields = 1;
	etl_error_init(&err);
	etl_textjson_init(&rec);
	m = etl_matcher_new(&cfg, &err);
	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(etl_matcher_scores(m), 0);
	for (size_t i = 0; i < 5; i++) {
		ck_assert_int_eq(etl_textjson_scan(&rec, recs[i],
		    strlen(recs[i])), 0);
		ck_assert_int_eq(etl_matcher_add(m, &rec, &err), 0);
	}
	ck_assert_int_eq(etl_matcher_build(m, &err), 0);
	q = etl_match_query_new(m);
	/* 1 and "1" are the same key: both, ordered by content. */
	etl_textjson_scan(&rec, "{\"k\":1}", 7);
	ck_assert_int_eq(etl_match_query_run(q, &rec, &c, NULL, &err), 2);
	ck_assert_int_eq(etl_matcher_cmp_text(m, c[0].right, c[1].right) < 0,
	    1);
	etl_textjson_scan(&rec, "{\"k\":3}", 7);
	ck_assert_int_eq(etl_match_query_run(q, &rec, &c, NULL, &err), 0);
	etl_textjson_scan(&rec, "{\"x\":3}", 7);
	ck_assert_int_eq(etl_match_query_run(q, &rec, &c, NULL, &err), 0);
	etl_match_query_free(q);
	etl_matcher_free(m);
	etl_textjson_release(&rec);
}
END_TEST

static Suite *
match_suite(void)
{
	Suite *s = suite_create("match");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_match_text_score_hand_computed);
	tcase_add_test(tc, test_match_text_score_identifiers);
	tcase_add_test(tc, test_match_matcher_scores_and_vetoes);
	tcase_add_test(tc, test_match_explain);
	tcase_add_test(tc, test_match_order_independent);
	tcase_add_test(tc, test_match_exact_keys);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(match_suite());
}
