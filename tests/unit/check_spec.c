/* Unit tests of lib/spec.c and lib/spec_apply.c: load, check, apply. */
#include "jsonw.h"
#include "spec.h"
#include "unit.h"

static struct etl_spec *
compile(const char *text)
{
	struct etl_error err;
	struct etl_spec *s;

	etl_error_init(&err);
	s = etl_spec_from_text(text, strlen(text), "t.json", &err);
	ck_assert_msg(s != NULL, "spec rejected: %s", err.message);
	return s;
}

static void
spec_bad(const char *text, const char *msg)
{
	struct etl_error err;
	struct etl_spec *s;
	char buf[600];

	etl_error_init(&err);
	s = etl_spec_from_text(text, strlen(text), "t.json", &err);
	ck_assert_msg(s == NULL, "spec accepted: %s", text);
	ck_assert_int_eq(err.kind, ETL_ECONFIG);
	etl_error_format(&err, buf, sizeof(buf));
	ck_assert_msg(strcmp(buf, msg) == 0, "got '%s', expected '%s'", buf,
	    msg);
}

/* Apply to the record in; the outcome, with the output or why in got. */
static int
apply(struct etl_spec *s, const char *in, unsigned flags, char *got,
    size_t n)
{
	struct etl_error why, err;
	json_t *rec = json_loads(in, 0, NULL), *out = NULL;
	struct etl_buf b;
	int rc;

	ck_assert_msg(rec != NULL, "bad test record %s", in);
	etl_error_init(&why);
	etl_error_init(&err);
	rc = etl_spec_apply(s, rec, flags, &out, &why, &err);
	ck_assert_int_ge(rc, 0);
	got[0] = '\0';
	if (rc == ETL_SPEC_KEEP) {
		etl_buf_init(&b);
		ck_assert_int_eq(etl_json_dump(&b, out), 0);
		etl_strlcpy(got, b.data, n);
		etl_buf_release(&b);
	} else if (rc == ETL_SPEC_REJECTED) {
		snprintf(got, n, "%s|%s|%s", why.field, why.rule, why.message);
		ck_assert_int_eq(why.kind, ETL_EDATA);
	}
	json_decref(out);
	json_decref(rec);
	return rc;
}

static void
keep(struct etl_spec *s, const char *in, const char *want)
{
	char got[2048];

	ck_assert_msg(apply(s, in, 0, got, sizeof(got)) == ETL_SPEC_KEEP,
	    "%s not kept: %s", in, got);
	ck_assert_msg(strcmp(got, want) == 0, "%s gave\n%s\nexpected\n%s", in,
	    got, want);
}

static void
reject(struct etl_spec *s, const char *in, const char *want)
{
	char got[2048];

	ck_assert_msg(apply(s, in, 0, got, sizeof(got)) == ETL_SPEC_REJECTED,
	    "%s not rejected: %s", in, got);
	ck_assert_msg(strcmp(got, want) == 0, "%s gave\n%s\nexpected\n%s", in,
	    got, want);
}

static void
filtered(struct etl_spec *s, const char *in)
{
	char got[2048];

	ck_assert_msg(apply(s, in, 0, got, sizeof(got)) == ETL_SPEC_FILTERED,
	    "%s not filtered: %s", in, got);
}

#define CAMPAIGNS \
	"{\"name\": \"campaigns\", \"version\": 3, \"fields\": {" \
	"\"date\": {\"from\": \"Date\", \"type\": \"date\", " \
	"\"formats\": [\"%Y-%m-%d\", \"%m/%d/%Y\"], \"required\": true}," \
	"\"campaign\": {\"from\": \"Campaign\", \"type\": \"string\", " \
	"\"trim\": true, \"required\": true}," \
	"\"channel\": {\"from\": \"Channel\", \"type\": \"string\", " \
	"\"lower\": true, \"enum\": [\"search\", \"social\", \"test\"]}," \
	"\"spend\": {\"from\": \"Spend\", \"type\": \"number\", \"min\": 0, " \
	"\"null_if\": [\"\", \"N/A\"], \"default\": 0}," \
	"\"clicks\": {\"from\": \"Clicks\", \"type\": \"integer\", " \
	"\"min\": 0}}, \"where\": \"channel != \\\"test\\\"\"}"

START_TEST(test_spec_campaigns)
{
	struct etl_spec *s = compile(CAMPAIGNS);
	char label[64];

	ck_assert_str_eq(etl_spec_label(s, label, sizeof(label)),
	    "campaigns v3");
	keep(s, "{\"Clicks\":\"7\",\"Date\":\"01/31/2026\",\"Spend\":\"1.5\","
	    "\"Channel\":\"Search\",\"Campaign\":\" Spring \",\"x\":1}",
	    "{\"date\":\"2026-01-31\",\"campaign\":\"Spring\",\"channel\":"
	    "\"search\",\"spend\":1.5,\"clicks\":7}");
	keep(s, "{\"Date\":\"2026-01-31\",\"Campaign\":\"a\","
	    "\"Spend\":\"N/A\"}",
	    "{\"date\":\"2026-01-31\",\"campaign\":\"a\",\"channel\":null,"
	    "\"spend\":0,\"clicks\":null}");
	filtered(s, "{\"Date\":\"2026-01-31\",\"Campaign\":\"a\","
	    "\"Channel\":\"TEST\"}");
	spec_bad("{}", "t.json: name: missing (every spec has a name)");
	etl_spec_free(s);
}
END_TEST

START_TEST(test_spec_every_failure_named)
{
	struct etl_spec *s = compile(CAMPAIGNS);

	reject(s, "{\"Date\":\"2026-02-30\",\"Campaign\":\"a\","
	    "\"Spend\":\"-5\","
	    "\"Clicks\":\"x\",\"Channel\":\"tv\"}",
	    "date|type|date: no format matched: '2026-02-30'; channel: 'tv' "
	    "not one of 'search', 'social', 'test'; spend: -5 below min 0; "
	    "clicks: not an integer: 'x'");
	reject(s, "{\"Campaign\":\"   \"}", "date|required|date: missing "
	    "(required)");
	reject(s, "{\"Date\":\"2026-01-01\",\"Campaign\":\"a\","
	    "\"Clicks\":\"99999999999999999999\"}", "clicks|type|clicks: out "
	    "of the 64-bit integer range: '99999999999999999999'");
	/* A failing field the where reads: rejected, not filtered. */
	reject(s, "{\"Date\":\"2026-01-01\",\"Campaign\":\"a\","
	    "\"Channel\":\"tv\"}", "channel|enum|channel: 'tv' not one of "
	    "'search', 'social', 'test'");
	/* The where is false without reading the failing field: filtered. */
	filtered(s, "{\"Date\":\"x\",\"Campaign\":\"a\",\"Channel\":\"test\"}");
	etl_spec_free(s);
}
END_TEST

START_TEST(test_spec_check_errors)
{
	spec_bad("[]", "t.json: a spec is a JSON object");
	spec_bad("{\"name\":\"c\",\"version\":1,\"fields\":{\"spend\":"
	    "{\"type\":\"number\",\"min\":\"0\"}}}",
	    "t.json: fields.spend.min: expected a number");
	spec_bad("{\"name\":\"c\"}", "t.json: version: missing (every spec "
	    "has a version)");
	spec_bad("{\"name\":\"c\",\"version\":-1}", "t.json: version: expected "
	    "a non-negative integer");
	spec_bad("{\"name\":\"\",\"version\":1}", "t.json: name: expected a "
	    "non-empty string");
	spec_bad("{\"name\":\"c\",\"version\":1}", "t.json: fields: missing");
	spec_bad("{\"name\":\"c\",\"version\":1,\"fields\":{}}",
	    "t.json: fields: expected a non-empty object");
	spec_bad("{\"name\":\"c\",\"version\":1,\"feilds\":{}}",
	    "t.json: feilds: unknown key");
	spec_bad("{\"name\":\"c\",\"version\":1,\"fields\":{\"a\":"
	    "{\"typ\":\"string\"}}}", "t.json: fields.a.typ: unknown key");
	spec_bad("{\"name\":\"c\",\"version\":1,\"fields\":{\"a\":"
	    "{\"type\":\"float\"}}}", "t.json: fields.a.type: unknown type "
	    "'float' (use string, integer, number, boolean, date, datetime "
	    "or json)");
	spec_bad("{\"name\":\"c\",\"version\":1,\"fields\":{\"a\":"
	    "{\"type\":\"integer\",\"enum\":[1,\"x\"]}}}",
	    "t.json: fields.a.enum[1]: not an integer: 'x'");
	spec_bad("{\"name\":\"c\",\"version\":1,\"fields\":{\"a\":"
	    "{\"type\":\"integer\",\"default\":\"x\"}}}",
	    "t.json: fields.a.default: not an integer: 'x'");
	spec_bad("{\"name\":\"c\",\"version\":1,\"fields\":{\"a\":"
	    "{\"type\":\"integer\",\"min\":5,\"default\":1}}}",
	    "t.json: fields.a.default: 1 below min 5");
	spec_bad("{\"name\":\"c\",\"version\":1,\"fields\":{\"a\":"
	    "{\"type\":\"integer\",\"min\":5,\"max\":1}}}",
	    "t.json: fields.a.min: greater than max");
	spec_bad("{\"name\":\"c\",\"version\":1,\"fields\":{\"a\":"
	    "{\"type\":\"string\",\"formats\":\"%Y\"}}}",
	    "t.json: fields.a.formats: goes with types date and datetime");
	spec_bad("{\"name\":\"c\",\"version\":1,\"fields\":{\"a\":"
	    "{\"type\":\"date\",\"formats\":[\"%Y-%m\"]}}}",
	    "t.json: fields.a.formats: format '%Y-%m': gives no full date "
	    "(needs %Y or %y, with %m and %d, or %j)");
	spec_bad("{\"name\":\"c\",\"version\":1,\"fields\":{\"a\":"
	    "{\"type\":\"datetime\",\"tz\":\"Nowhere/City\"}}}",
	    "t.json: fields.a.tz: time zone 'Nowhere/City': unknown "
	    "(/usr/share/zoneinfo/Nowhere/City: No such file or directory; "
	    "is tzdata installed?)");
	spec_bad("{\"name\":\"c\",\"version\":1,\"fields\":{\"a\":"
	    "{\"pattern\":\"(\"}}}",
	    "t.json: fields.a.pattern: Unmatched ( or \\(");
	spec_bad("{\"name\":\"c\",\"version\":1,\"fields\":{\"a\":"
	    "{\"from\":\"x[\"}}}", "t.json: fields.a.from: path 'x[': "
	    "expected an index or * inside [] at column 3");
	spec_bad("{\"name\":\"c\",\"version\":1,\"fields\":{\"a\":"
	    "{\"from\":\"x[*]\",\"type\":\"number\"}}}", "t.json: "
	    "fields.a.from: a wildcard path needs agg (min, max, sum, count, "
	    "first, last or join), or type json to keep every match in an "
	    "array");
	spec_bad("{\"name\":\"c\",\"version\":1,\"fields\":{\"a\":"
	    "{\"agg\":\"avg\"}}}", "t.json: fields.a.agg: unknown aggregate "
	    "'avg' (use min, max, sum, count, first, last or join)");
	spec_bad("{\"name\":\"c\",\"version\":1,\"fields\":{\"a\":"
	    "{\"sep\":\",\"}}}", "t.json: fields.a.sep: goes with agg join");
	spec_bad("{\"name\":\"c\",\"version\":1,\"fields\":{\"a\":"
	    "{\"agg\":\"sum\",\"type\":\"string\"}}}", "t.json: fields.a.type: "
	    "agg sum needs type integer or number");
	spec_bad("{\"name\":\"c\",\"version\":1,\"fields\":{\"a\":"
	    "{\"lower\":true,\"upper\":true}}}", "t.json: fields.a.upper: "
	    "lower and upper exclude each other");
	spec_bad("{\"name\":\"c\",\"version\":1,\"fields\":{\"a\":"
	    "{\"required\":\"yes\"}}}", "t.json: fields.a.required: expected "
	    "true or false");
	spec_bad("{\"name\":\"c\",\"version\":1,\"fields\":{\"a\":"
	    "{\"type\":\"integer\",\"min_length\":1}}}", "t.json: "
	    "fields.a.min_length: goes with types string and json");
	spec_bad("{\"name\":\"c\",\"version\":1,\"fields\":{\"a\":{}},"
	    "\"where\":\"b == 1\"}", "t.json: where: unknown field 'b' at "
	    "column 1");
	spec_bad("{\"name\":\"c\",\"version\":1,\"fields\":{\"a\":{}},"
	    "\"hash\":{\"field\":\"a\"}}", "t.json: hash.field: 'a' is "
	    "already a field");
	spec_bad("{\"name\":\"c\",\"version\":1,\"fields\":{\"a\":{}},"
	    "\"hash\":{\"field\":\"h\",\"of\":[\"b\"]}}", "t.json: hash.of[0]: "
	    "'b' is not a field of the spec");
	spec_bad("{\"name\":\"c\",\"version\":1,\"fields\":{\"a\":{}},"
	    "\"order\":\"input\"}", "t.json: order: \"input\" goes with "
	    "keep_unmapped true");
	spec_bad("{\"name\":\"c\",\"name\":\"d\"}", "t.json:1: invalid JSON "
	    "at column 18: duplicate object key near '\"name\"'");
	spec_bad("{\"name\":\"c\",\n\"version\":1,,}", "t.json:2: invalid "
	    "JSON at column 13: string or '}' expected near ','");
}
END_TEST

START_TEST(test_spec_load_file)
{
	struct etl_error err;
	char path[600];

	etl_error_init(&err);
	ck_assert_ptr_null(etl_spec_load("/no/such/spec.json", &err));
	ck_assert_int_eq(err.kind, ETL_ENOINPUT);
	unit_path(path, sizeof(path), "s.json");
	unit_write_file(path, CAMPAIGNS, strlen(CAMPAIGNS));
	etl_spec_free(etl_spec_load(path, &err) ?: (ck_abort(), NULL));
}
END_TEST

START_TEST(test_spec_aggregates)
{
	struct etl_spec *s = compile("{\"name\":\"p\",\"version\":1,"
	    "\"fields\":{"
	    "\"min\":{\"from\":\"plan[*].zone[*].price\",\"type\":\"number\","
	    "\"agg\":\"min\"},"
	    "\"max\":{\"from\":\"plan[*].zone[*].price\",\"type\":\"number\","
	    "\"agg\":\"max\"},"
	    "\"sum\":{\"from\":\"plan[*].zone[*].price\",\"agg\":\"sum\"},"
	    "\"isum\":{\"from\":\"plan[*].zone[*].seats\",\"type\":\"integer\","
	    "\"agg\":\"sum\"},"
	    "\"n\":{\"from\":\"plan[*].zone[*].price\",\"agg\":\"count\"},"
	    "\"first\":{\"from\":\"plan[*].zone[*].name\",\"agg\":\"first\"},"
	    "\"last\":{\"from\":\"plan[*].zone[*].name\",\"agg\":\"last\"},"
	    "\"names\":{\"from\":\"plan[*].zone[*].name\",\"agg\":\"join\","
	    "\"sep\":\" / \",\"trim\":true},"
	    "\"all\":{\"from\":\"plan[*].zone[*].name\"},"
	    "\"latest\":{\"from\":\"plan[*].at\",\"type\":\"datetime\","
	    "\"agg\":\"max\"}}}");

	keep(s, "{\"plan\":[{\"at\":\"2026-01-01T10:00:00+02:00\","
	    "\"zone\":[{\"name\":\" A \",\"price\":\"40\",\"seats\":10},"
	    "{\"name\":\"B\",\"price\":25.5,\"seats\":\"5\"}]},"
	    "{\"at\":\"2026-01-01T09:00:00Z\",\"zone\":[{\"name\":\"C\","
	    "\"price\":null}]}]}",
	    "{\"min\":25.5,\"max\":40,\"sum\":65.5,\"isum\":15,\"n\":2,"
	    "\"first\":\" A \",\"last\":\"C\",\"names\":\"A / B / C\","
	    "\"all\":[\" A \",\"B\",\"C\"],"
	    "\"latest\":\"2026-01-01T09:00:00Z\"}");
	/* No matches: count 0, others missing (null). */
	keep(s, "{\"plan\":[]}", "{\"min\":null,\"max\":null,\"sum\":null,"
	    "\"isum\":null,\"n\":0,\"first\":null,\"last\":null,"
	    "\"names\":null,\"all\":null,\"latest\":null}");
	reject(s, "{\"plan\":[{\"zone\":[{\"price\":\"x\"}]}]}",
	    "min|type|min: not a number: 'x'; max: not a number: 'x'; sum: "
	    "not a number: 'x'");
	reject(s, "{\"plan\":[{\"zone\":[{\"seats\":9223372036854775807},"
	    "{\"seats\":1}]}]}", "isum|agg|isum: sum out of the 64-bit "
	    "integer range");
	etl_spec_free(s);
}
END_TEST

START_TEST(test_spec_deep_paths)
{
	struct etl_spec *s = compile("{\"name\":\"d\",\"version\":1,"
	    "\"fields\":{\"v\":{\"from\":\"a.b.c.d.e.f.g.h[0].i[-1].\\\"j.k\\\""
	    "\",\"type\":\"integer\",\"required\":true},"
	    "\"dotted.name\":{}}}");

	keep(s, "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":{\"h\":"
	    "[{\"i\":[0,{\"j.k\":\"42\"}]}]}}}}}}},\"dotted.name\":1}",
	    "{\"v\":42,\"dotted.name\":1}");
	reject(s, "{\"a\":{\"b\":1}}", "v|required|v: missing (required)");
	etl_spec_free(s);
}
END_TEST

START_TEST(test_spec_keep_unmapped_and_order)
{
	struct etl_spec *s = compile("{\"name\":\"k\",\"version\":1,"
	    "\"keep_unmapped\":true,\"fields\":{\"id\":{\"from\":\"ID\","
	    "\"type\":\"integer\"},\"x\":{\"default\":0}}}");

	keep(s, "{\"a\":1,\"ID\":\"7\",\"x\":\"kept\",\"b\":2}",
	    "{\"id\":7,\"x\":\"kept\",\"a\":1,\"b\":2}");
	etl_spec_free(s);
	s = compile("{\"name\":\"k\",\"version\":1,\"keep_unmapped\":true,"
	    "\"order\":\"input\",\"fields\":{\"id\":{\"from\":\"ID\","
	    "\"type\":\"integer\"},\"x\":{\"default\":0}}}");
	keep(s, "{\"a\":1,\"ID\":\"7\",\"b\":2}",
	    "{\"a\":1,\"id\":7,\"b\":2,\"x\":0}");
	keep(s, "{\"id\":\"shadowed\",\"ID\":\"7\"}", "{\"id\":7,\"x\":0}");
	etl_spec_free(s);
	/* No fields at all: a filter. */
	s = compile("{\"name\":\"k\",\"version\":1,\"keep_unmapped\":true,"
	    "\"fields\":{},\"where\":\"n > 1\"}");
	keep(s, "{\"n\":2,\"m\":[1]}", "{\"n\":2,\"m\":[1]}");
	filtered(s, "{\"n\":1}");
	etl_spec_free(s);
}
END_TEST

START_TEST(test_spec_hash_and_stamp)
{
	struct etl_spec *s = compile("{\"name\":\"h\",\"version\":7,"
	    "\"fields\":{\"b\":{\"type\":\"number\"},\"a\":{}},"
	    "\"hash\":{\"field\":\"h\",\"of\":[\"b\",\"a\"]}}");
	char got[1024];

	/* sha256 of {"a":"x","b":3}: the same for 3 and "3.0". */
	keep(s, "{\"a\":\"x\",\"b\":3}", "{\"b\":3,\"a\":\"x\",\"h\":"
	    "\"2d88dab826f3df4c30ac48c1d8689abbc50a482db55b2071358511583"
	    "5d40659\"}");
	keep(s, "{\"a\":\"x\",\"b\":\"3.0\"}", "{\"b\":3.0,\"a\":\"x\",\"h\":"
	    "\"2d88dab826f3df4c30ac48c1d8689abbc50a482db55b2071358511583"
	    "5d40659\"}");
	ck_assert_int_eq(apply(s, "{\"a\":1}", ETL_SPEC_STAMP, got,
	    sizeof(got)), ETL_SPEC_KEEP);
	ck_assert_ptr_nonnull(strstr(got, ",\"_spec\":{\"name\":\"h\","
	    "\"version\":7}}"));
	etl_spec_free(s);
	s = compile("{\"name\":\"h\",\"version\":1,\"fields\":{\"a\":{}},"
	    "\"hash\":\"row\"}");
	ck_assert_int_eq(apply(s, "{\"a\":1}", 0, got, sizeof(got)),
	    ETL_SPEC_KEEP);
	ck_assert_ptr_nonnull(strstr(got, "\"row\":\""));
	etl_spec_free(s);
}
END_TEST

/* Jansson allocations fail one after another: clean errors, no leaks. */
static long chaos_left = -1;

static void *
chaos_malloc(size_t n)
{
	if (chaos_left == 0)
		return NULL;
	if (chaos_left > 0)
		chaos_left--;
	return malloc(n);
}

START_TEST(test_spec_chaos)
{
	json_set_alloc_funcs(chaos_malloc, free);
	for (long nth = 0; nth < 2000; nth++) {
		struct etl_error err, why;
		struct etl_spec *s;
		json_t *rec, *out = NULL;
		int rc;

		etl_error_init(&err);
		etl_error_init(&why);
		chaos_left = -1;
		rec = json_loads("{\"Date\":\"2026-02-30\","
		    "\"Campaign\":\" a \",\"Spend\":\"N/A\","
		    "\"Channel\":\"Social\",\"Clicks\":\"1\"}", 0, NULL);
		ck_assert_ptr_nonnull(rec);
		chaos_left = nth;
		s = etl_spec_from_text(CAMPAIGNS, strlen(CAMPAIGNS), "c", &err);
		if (s == NULL) {
			/* Jansson reports some of its failed allocations as
			 * syntax errors: either kind, and no leak. */
			ck_assert_msg(err.kind == ETL_EINTERNAL ||
			    err.kind == ETL_ECONFIG, "nth %ld: %s", nth,
			    err.message);
			json_decref(rec);
			continue;
		}
		rc = etl_spec_apply(s, rec, ETL_SPEC_STAMP, &out, &why, &err);
		ck_assert(rc == ETL_SPEC_REJECTED || rc == -ETL_EINTERNAL);
		json_decref(out);
		etl_spec_free(s);
		json_decref(rec);
		if (chaos_left > 0)
			break;		/* nothing failed: done */
	}
	chaos_left = -1;
	json_set_alloc_funcs(malloc, free);
}
END_TEST

static Suite *
spec_suite(void)
{
	Suite *s = suite_create("spec");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, unit_tmp_setup, unit_tmp_teardown);
	tcase_add_test(tc, test_spec_campaigns);
	tcase_add_test(tc, test_spec_every_failure_named);
	tcase_add_test(tc, test_spec_check_errors);
	tcase_add_test(tc, test_spec_load_file);
	tcase_add_test(tc, test_spec_aggregates);
	tcase_add_test(tc, test_spec_deep_paths);
	tcase_add_test(tc, test_spec_keep_unmapped_and_order);
	tcase_add_test(tc, test_spec_hash_and_stamp);
	tcase_add_test(tc, test_spec_chaos);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(spec_suite());
}
