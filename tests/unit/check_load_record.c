/*
 * Unit tests of lib/load_record.c: the loader's records, made from a
 * scanned line without jansson, must hold the values jansson would give
 * (what the loader binds), and arrays and objects as etl_json_dump
 * writes them (what the table stores), whatever the input's spelling.
 */
#include <jansson.h>

#include "jsonw.h"
#include "load_impl.h"
#include "unit.h"

static const char *const lines[] = {
	"{\"id\":1,\"s\":\"plain\",\"r\":294.1,\"b\":true,\"f\":false,"
	    "\"n\":null,\"a\":[\"x\",\"y\"]}",
	"{\"s\":\"caf\\u00e9 \\\"q\\\" \\\\ \\/ \\b\\f\\n\\r\\t\"}",
	"{\"nul\":\"a\\u0000b\",\"u\":\"\xc3\xa9\xe2\x82\xac\"}",
	"{\"max\":9223372036854775807,\"min\":-9223372036854775808,"
	    "\"z\":0,\"neg\":-17}",
	"{\"r1\":1.50,\"r2\":1e2,\"r3\":-0.0,\"r4\":1E-400,\"r5\":2.5e+3}",
	"{\"a1\":[1.50,-0,2e0,\"\\u00e9\"],\"a2\":[],\"a3\":[[1,[2]],\"e\"]}",
	"{\"o\":{\"k\":1,\"k\":2,\"m\":{\"x\":[1.0]}},\"e\":{}}",
	"{\"dup\":1,\"other\":\"x\",\"dup\":\"last\"}",
	"{\"k\\u0065y\":\"escaped key\",\"\":\"empty key\"}",
	"{\"t\":\"a,b}c\\\"d\",\"arr\":[\"]\",\"{\",\"\\\\\"]}",
	"{}",
};

/* Whether a record's value is what jansson read for the same member. */
static void
check_value(const char *line, const char *key, const struct etlp_val *v,
    const json_t *want)
{
	struct etl_buf b;

	ck_assert_msg(v != NULL, "%s: %s missing", line, key);
	switch (json_typeof(want)) {
	case JSON_NULL:
		ck_assert_int_eq(v->type, ETLP_NULL);
		break;
	case JSON_TRUE:
		ck_assert_int_eq(v->type, ETLP_TRUE);
		break;
	case JSON_FALSE:
		ck_assert_int_eq(v->type, ETLP_FALSE);
		break;
	case JSON_INTEGER:
		ck_assert_int_eq(v->type, ETLP_INT);
		ck_assert_msg(v->n.i == json_integer_value(want), "%s: %s",
		    line, key);
		break;
	case JSON_REAL:
		ck_assert_int_eq(v->type, ETLP_REAL);
		ck_assert_msg(memcmp(&v->n.d, &(double){ json_real_value(
		    want) }, sizeof(double)) == 0, "%s: %s %.17g", line, key,
		    v->n.d);
		break;
	case JSON_STRING:
		ck_assert_int_eq(v->type, ETLP_STR);
		ck_assert_uint_eq(v->len, json_string_length(want));
		ck_assert_msg(memcmp(v->s, json_string_value(want), v->len) ==
		    0, "%s: %s", line, key);
		break;
	default:
		ck_assert_int_eq(v->type, ETLP_JSON);
		etl_buf_init(&b);
		ck_assert_int_eq(etl_json_dump(&b, want), 0);
		ck_assert_msg(v->len == b.len && memcmp(v->s, b.data, b.len) ==
		    0, "%s: %s is %.*s, not %s", line, key, (int)v->len, v->s,
		    b.data);
		etl_buf_release(&b);
		break;
	}
}

START_TEST(test_record_values_as_jansson_reads_them)
{
	struct etl_textjson j;
	struct etlp_record_scratch sc;

	etl_textjson_init(&j);
	memset(&sc, 0, sizeof(sc));
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		const char *s = lines[i];
		json_t *want = json_loadb(s, strlen(s), JSON_ALLOW_NUL, NULL);
		struct etlp_record *r;
		const char *key;
		json_t *v;

		ck_assert_msg(want != NULL, "bad fixture %s", s);
		ck_assert_int_eq(etl_textjson_scan(&j, s, strlen(s)), 0);
		r = etlp_record_new(&j, &sc);
		ck_assert_ptr_nonnull(r);
		ck_assert_str_eq(r->json, j.compact.data);
		ck_assert_uint_eq(r->jlen, j.compact.len);
		ck_assert_uint_eq(r->n, j.n);
		json_object_foreach(want, key, v)
			check_value(s, key, etlp_record_get(r, key), v);
		ck_assert_ptr_null(etlp_record_get(r, "no such member"));
		free(r);
		json_decref(want);
	}
	etlp_record_scratch_release(&sc);
	etl_textjson_release(&j);
}
END_TEST

START_TEST(test_record_members_keep_input_order)
{
	struct etl_textjson j;
	struct etlp_record_scratch sc;
	const char *s = "{\"b\":1,\"a\":\"x\",\"b\":2}";
	struct etlp_record *r;

	etl_textjson_init(&j);
	memset(&sc, 0, sizeof(sc));
	ck_assert_int_eq(etl_textjson_scan(&j, s, strlen(s)), 0);
	r = etlp_record_new(&j, &sc);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(r->n, 3);
	ck_assert_str_eq(r->m[0].key, "b");
	ck_assert_str_eq(r->m[1].key, "a");
	ck_assert_int_eq(r->m[0].v.n.i, 1);
	/* The last of one name is the record's value, as in jansson. */
	ck_assert_int_eq(etlp_record_get(r, "b")->n.i, 2);
	free(r);
	etlp_record_scratch_release(&sc);
	etl_textjson_release(&j);
}
END_TEST

START_TEST(test_record_value_text)
{
	struct etl_textjson j;
	struct etlp_record_scratch sc;
	const char *s = "{\"i\":-42,\"r\":1.50,\"s\":\"a\\u00e9\",\"t\":true,"
	    "\"n\":null,\"a\":[1]}";
	struct etlp_record *r;
	char *t;

	etl_textjson_init(&j);
	memset(&sc, 0, sizeof(sc));
	ck_assert_int_eq(etl_textjson_scan(&j, s, strlen(s)), 0);
	r = etlp_record_new(&j, &sc);
	ck_assert_ptr_nonnull(r);
	t = etlp_val_text(etlp_record_get(r, "i"));
	ck_assert_str_eq(t, "-42");
	free(t);
	t = etlp_val_text(etlp_record_get(r, "r"));
	ck_assert_str_eq(t, "1.5");
	free(t);
	t = etlp_val_text(etlp_record_get(r, "s"));
	ck_assert_str_eq(t, "a\xc3\xa9");
	free(t);
	ck_assert_ptr_null(etlp_val_text(etlp_record_get(r, "t")));
	ck_assert_ptr_null(etlp_val_text(etlp_record_get(r, "n")));
	ck_assert_ptr_null(etlp_val_text(etlp_record_get(r, "a")));
	ck_assert_ptr_null(etlp_val_text(NULL));
	free(r);
	etlp_record_scratch_release(&sc);
	etl_textjson_release(&j);
}
END_TEST

static Suite *
load_record_suite(void)
{
	Suite *s = suite_create("load_record");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_record_values_as_jansson_reads_them);
	tcase_add_test(tc, test_record_members_keep_input_order);
	tcase_add_test(tc, test_record_value_text);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(load_record_suite());
}
