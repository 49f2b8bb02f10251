/* Unit tests of lib/xml.c: XML to records with xmlTextReader. */
#include "unit.h"
#include "srcutil.h"
#include "xml.h"

/* The records of data as lines ("!" lines for errors). */
static char *
read_all(const char *data, size_t piece, const char *records,
    const char *const *arrays, size_t narrays, size_t max)
{
	struct etl_xml_opts o = { records, arrays, narrays, NULL, max };
	struct piecesrc src;
	struct etl_error err;
	struct etl_buf out;
	struct etl_xml *x;
	json_t *rec;
	int rc;

	piece_init(&src, data, strlen(data), piece);
	etl_error_init(&err);
	etl_buf_init(&out);
	etl_buf_reserve(&out, 0);
	etl_buf_reset(&out);
	x = etl_xml_new(piece_read, &src, "t.xml", &o, &err);
	ck_assert_msg(x != NULL, "%s", err.message);
	while ((rc = etl_xml_next(x, &rec, &err)) != 0) {
		if (rc < 0) {
			etl_buf_printf(&out, "!%s%lld %s\n",
			    etl_xml_failed(x) ? "F" : "", err.line,
			    err.message);
			if (etl_xml_failed(x))
				break;
			continue;
		}
		etl_buf_puts(&out, rec_text(rec));
		etl_buf_putc(&out, '\n');
	}
	etl_xml_free(x);
	return out.data;
}

static void
check(const char *data, const char *records, const char *const *arrays,
    size_t narrays, const char *want)
{
	static const size_t pieces[] = { 1, 5, 0 };

	for (size_t i = 0; i < 3; i++) {
		char *got = read_all(data, pieces[i], records, arrays, narrays,
		    0);

		ck_assert_msg(strcmp(got, want) == 0, "piece %zu:\n%s\nwant:\n%s",
		    pieces[i], got, want);
		free(got);
	}
}

START_TEST(test_xml_mapping_rules)
{
	check("<root><r a=\"1\"><b>x</b><c k=\"v\">t</c><b>y</b><e/>"
	    "<m>one <i>two</i> three</m></r></root>", "r", NULL, 0,
	    "{\"a\":\"1\",\"b\":[\"x\",\"y\"],\"c\":{\"k\":\"v\",\"#text\":"
	    "\"t\"},\"e\":\"\",\"m\":{\"i\":\"two\",\"#text\":\"one  three\"}}\n");
}
END_TEST

START_TEST(test_xml_attribute_child_clash)
{
	check("<l><r id=\"a\"><id>b</id></r></l>", "r", NULL, 0,
	    "{\"@id\":\"a\",\"id\":\"b\"}\n");
}
END_TEST

START_TEST(test_xml_forced_arrays)
{
	static const char *const arrays[] = { "plan", "zone" };

	check("<x><bp id=\"1\"><plan p=\"1\"><zone z=\"1\"/></plan></bp>"
	    "<bp id=\"2\"/></x>", "bp", arrays, 2,
	    "{\"id\":\"1\",\"plan\":[{\"p\":\"1\",\"zone\":[{\"z\":\"1\"}]}]}\n"
	    "{\"id\":\"2\"}\n");
}
END_TEST

START_TEST(test_xml_paths_and_default)
{
	const char *doc = "<a><b><r>1</r></b><c><r>2</r></c><r>3</r></a>";

	check(doc, "b/r", NULL, 0, "{\"#text\":\"1\"}\n");
	check(doc, "/a/r", NULL, 0, "{\"#text\":\"3\"}\n");
	check(doc, "r", NULL, 0, "{\"#text\":\"1\"}\n{\"#text\":\"2\"}\n"
	    "{\"#text\":\"3\"}\n");
	check(doc, NULL, NULL, 0, "{\"r\":\"1\"}\n{\"r\":\"2\"}\n"
	    "{\"#text\":\"3\"}\n");
}
END_TEST

START_TEST(test_xml_entities_and_cdata)
{
	check("<!DOCTYPE a [<!ENTITY co \"ACME\">]><a><r n=\"&lt;&amp;\">"
	    "&co; <![CDATA[<x>]]></r></a>", "r", NULL, 0,
	    "{\"n\":\"<&\",\"#text\":\"ACME <x>\"}\n");
}
END_TEST

START_TEST(test_xml_not_well_formed)
{
	char *got = read_all("<a>\n<r>1</r>\n<r>2</x></a>", 0, "r", NULL, 0,
	    0);

	ck_assert_msg(strstr(got, "!F3 not well-formed XML") != NULL, "%s",
	    got);
	free(got);
}
END_TEST

START_TEST(test_xml_record_too_large)
{
	char *got = read_all("<a><r>0123456789012345678901234567890</r>"
	    "<r>ok</r></a>", 0, "r", NULL, 0, 16);

	ck_assert_str_eq(got, "!1 record larger than --max-line (16 bytes)\n"
	    "{\"#text\":\"ok\"}\n");
	free(got);
}
END_TEST

START_TEST(test_xml_bad_records_path)
{
	struct etl_xml_opts o = { "a//b", NULL, 0, NULL, 0 };
	struct piecesrc src;
	struct etl_error err;

	piece_init(&src, "", 0, 0);
	etl_error_init(&err);
	ck_assert_ptr_null(etl_xml_new(piece_read, &src, "t", &o, &err));
	ck_assert_int_eq(err.kind, ETL_ECONFIG);
}
END_TEST

static Suite *
xml_suite(void)
{
	Suite *s = suite_create("xml");
	TCase *tc = tcase_create("xml");

	tcase_add_test(tc, test_xml_mapping_rules);
	tcase_add_test(tc, test_xml_attribute_child_clash);
	tcase_add_test(tc, test_xml_forced_arrays);
	tcase_add_test(tc, test_xml_paths_and_default);
	tcase_add_test(tc, test_xml_entities_and_cdata);
	tcase_add_test(tc, test_xml_not_well_formed);
	tcase_add_test(tc, test_xml_record_too_large);
	tcase_add_test(tc, test_xml_bad_records_path);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(xml_suite());
}
