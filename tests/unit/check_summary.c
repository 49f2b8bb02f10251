/* Unit tests of lib/summary.c: the summary line and the --stats object. */
#include <ctype.h>

#include "strbuf.h"
#include "summary.h"
#include "unit.h"

/*
 * The line is want followed by "in <seconds> s" (seconds with two
 * decimals, its value not checked: no timing assertions here).
 */
static void
line_is(const struct etl_summary *s, const char *want)
{
	char buf[512];
	const char *p;

	etl_summary_line(s, buf, sizeof(buf));
	ck_assert_msg(strncmp(buf, want, strlen(want)) == 0, "'%s' does not "
	    "start with '%s'", buf, want);
	p = buf + strlen(want);
	ck_assert_msg(strncmp(p, "in ", 3) == 0, "'%s'", buf);
	p += 3;
	ck_assert_msg(isdigit((unsigned char)*p), "'%s'", buf);
	while (isdigit((unsigned char)*p))
		p++;
	ck_assert_msg(p[0] == '.' && isdigit((unsigned char)p[1]) &&
	    isdigit((unsigned char)p[2]), "'%s'", buf);
	ck_assert_msg(strcmp(p + 3, " s") == 0, "'%s'", buf);
}

START_TEST(test_summary_line_counts)
{
	struct etl_summary s;

	etl_summary_init(&s);
	*etl_summary_counter(&s, "read") += 3;
	*etl_summary_counter(&s, "inserted") += 2;
	*etl_summary_counter(&s, "rejected") += 1;
	line_is(&s, "3 read, 2 inserted, 1 rejected ");
	etl_summary_release(&s);
}
END_TEST

START_TEST(test_summary_counters_first_use_order)
{
	struct etl_summary s;
	long long *read, *upd;

	etl_summary_init(&s);
	upd = etl_summary_counter(&s, "updated");
	read = etl_summary_counter(&s, "read");
	/* The same name gives the same counter. */
	ck_assert_ptr_eq(etl_summary_counter(&s, "updated"), upd);
	ck_assert_ptr_eq(etl_summary_counter(&s, "read"), read);
	*read = 10000;
	*upd = 150;
	*etl_summary_counter(&s, "unchanged") = 40;
	ck_assert_int_eq(s.n, 3);
	line_is(&s, "150 updated, 10000 read, 40 unchanged ");
	/* A counter used but left at zero still shows. */
	etl_summary_counter(&s, "rejected");
	line_is(&s, "150 updated, 10000 read, 40 unchanged, 0 rejected ");
	etl_summary_release(&s);
}
END_TEST

START_TEST(test_summary_counters_past_max_share_last)
{
	static const char *const names[] = { "c0", "c1", "c2", "c3", "c4",
	    "c5", "c6", "c7", "c8", "c9", "c10", "c11", "c12", "c13", "c14",
	    "c15", "c16", "c17" };
	struct etl_summary s;

	etl_summary_init(&s);
	for (int i = 0; i < ETL_SUMMARY_MAX; i++)
		*etl_summary_counter(&s, names[i]) = i;
	ck_assert_int_eq(s.n, ETL_SUMMARY_MAX);
	ck_assert_ptr_eq(etl_summary_counter(&s, names[16]),
	    &s.values[ETL_SUMMARY_MAX - 1]);
	ck_assert_ptr_eq(etl_summary_counter(&s, names[17]),
	    &s.values[ETL_SUMMARY_MAX - 1]);
	ck_assert_int_eq(s.n, ETL_SUMMARY_MAX);
	ck_assert_ptr_eq(etl_summary_counter(&s, "c3"), &s.values[3]);
	etl_summary_release(&s);
}
END_TEST

START_TEST(test_summary_line_empty)
{
	struct etl_summary s;

	etl_summary_init(&s);
	line_is(&s, "");
	etl_summary_release(&s);
}
END_TEST

START_TEST(test_summary_line_label_and_notes)
{
	struct etl_summary s;

	etl_summary_init(&s);
	etl_strlcpy(s.label, "track orders", sizeof(s.label));
	line_is(&s, "track orders ");
	*etl_summary_counter(&s, "read") = 2;
	*etl_summary_counter(&s, "rejected") = 0;
	etl_summary_note(&s, "pending", "2026-01-01T09:00:00Z");
	line_is(&s, "track orders: 2 read, 0 rejected, "
	    "pending 2026-01-01T09:00:00Z ");
	/* A note replaced keeps its place; NULL is no note. */
	etl_summary_note(&s, "value", "5");
	etl_summary_note(&s, "pending", "2026-01-02T00:00:00Z");
	etl_summary_note(&s, "other", NULL);
	line_is(&s, "track orders: 2 read, 0 rejected, "
	    "pending 2026-01-02T00:00:00Z, value 5 ");
	etl_summary_release(&s);
}
END_TEST

START_TEST(test_summary_line_notes_only)
{
	struct etl_summary s;

	etl_summary_init(&s);
	etl_summary_note(&s, "value", "42");
	line_is(&s, "value 42 ");
	etl_strlcpy(s.label, "commit t", sizeof(s.label));
	line_is(&s, "commit t: value 42 ");
	etl_summary_release(&s);
}
END_TEST

START_TEST(test_summary_line_small_buffer)
{
	struct etl_summary s;
	char buf[32];

	etl_summary_init(&s);
	*etl_summary_counter(&s, "read") = 1234567890;
	*etl_summary_counter(&s, "inserted") = 1234567890;
	memset(buf, 'Z', sizeof(buf));
	ck_assert_ptr_eq(etl_summary_line(&s, buf, 16), buf);
	ck_assert_str_eq(buf, "1234567890 read");
	for (size_t i = 16; i < sizeof(buf); i++)
		ck_assert_int_eq(buf[i], 'Z');
	etl_summary_release(&s);
}
END_TEST

START_TEST(test_summary_seconds_not_negative)
{
	struct etl_summary s;

	etl_summary_init(&s);
	ck_assert(etl_summary_seconds(&s) >= 0.0);
	etl_summary_release(&s);
}
END_TEST

/* The keys of o in order, joined by ",". */
static void
keys_are(json_t *o, const char *want)
{
	char buf[512] = "";
	size_t used = 0;
	const char *key;
	json_t *v;

	json_object_foreach(o, key, v)
		used = etl_snappend(buf, sizeof(buf), used, "%s%s",
		    used ? "," : "", key);
	ck_assert_str_eq(buf, want);
}

static int
is_timestamp(const char *s)
{
	struct etl_instant t;

	return s != NULL && etl_time_parse(s, &t) == 0 &&
	    s[strlen(s) - 1] == 'Z';
}

START_TEST(test_summary_json_fields)
{
	struct etl_summary s;
	json_t *o;

	etl_summary_init(&s);
	*etl_summary_counter(&s, "read") = 3;
	*etl_summary_counter(&s, "rejected") = 1;
	etl_summary_note(&s, "pending", "2026-01-01T09:00:00Z");
	o = etl_summary_json(&s, "etl-watermark", ETL_OK);
	ck_assert_ptr_nonnull(o);
	keys_are(o, "tool,status,exit,read,rejected,pending,started_at,"
	    "finished_at,seconds");
	ck_assert_str_eq(json_string_value(json_object_get(o, "tool")),
	    "etl-watermark");
	ck_assert_str_eq(json_string_value(json_object_get(o, "status")),
	    "ok");
	ck_assert(json_is_integer(json_object_get(o, "exit")));
	ck_assert_int_eq(json_integer_value(json_object_get(o, "exit")), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(o, "read")), 3);
	ck_assert_int_eq(json_integer_value(json_object_get(o, "rejected")),
	    1);
	ck_assert_str_eq(json_string_value(json_object_get(o, "pending")),
	    "2026-01-01T09:00:00Z");
	ck_assert(is_timestamp(json_string_value(json_object_get(o,
	    "started_at"))));
	ck_assert(is_timestamp(json_string_value(json_object_get(o,
	    "finished_at"))));
	ck_assert(json_is_real(json_object_get(o, "seconds")));
	ck_assert(json_real_value(json_object_get(o, "seconds")) >= 0.0);
	json_decref(o);
	etl_summary_release(&s);
}
END_TEST

START_TEST(test_summary_json_status_and_exit)
{
	static const struct {
		enum etl_kind kind;
		const char *status;
		int exit;
	} cases[] = {
		{ ETL_OK, "ok", 0 },
		{ ETL_EPIPE, "ok", 0 },
		{ ETL_ENOTFOUND, "not found", 1 },
		{ ETL_EDATA, "bad data", 65 },
		{ ETL_ETEMPFAIL, "temporary failure", 75 },
		{ ETL_EINTR, "interrupted", 130 },
		{ ETL_ETERM, "terminated", 143 },
	};
	struct etl_summary s;

	etl_summary_init(&s);
	etl_strlcpy(s.label, "set k", sizeof(s.label));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *o = etl_summary_json(&s, "etl-x", cases[i].kind);

		keys_are(o, "tool,command,status,exit,started_at,finished_at,"
		    "seconds");
		ck_assert_str_eq(json_string_value(json_object_get(o,
		    "command")), "set k");
		ck_assert_str_eq(json_string_value(json_object_get(o,
		    "status")), cases[i].status);
		ck_assert_int_eq(json_integer_value(json_object_get(o,
		    "exit")), cases[i].exit);
		json_decref(o);
	}
	etl_summary_release(&s);
}
END_TEST

START_TEST(test_summary_write_stats)
{
	char path[1024];
	struct etl_summary s;
	struct etl_error err;
	json_error_t jerr;
	json_t *o;
	char *text;
	size_t len;

	etl_summary_init(&s);
	*etl_summary_counter(&s, "read") = 12345678901LL;
	unit_path(path, sizeof(path), "stats.json");
	unit_write_file(path, "old old old old old old old old\n", 32);
	etl_error_init(&err);
	ck_assert_int_eq(etl_summary_write_stats(&s, path, "etl-load",
	    ETL_EDATA, &err), 0);
	/* One line, replacing the old file. */
	text = unit_read_file(path, &len);
	ck_assert_uint_gt(len, 0);
	ck_assert_int_eq(text[len - 1], '\n');
	ck_assert_ptr_eq(strchr(text, '\n'), text + len - 1);
	ck_assert_int_eq(strncmp(text, "{\"tool\":\"etl-load\",\"status\":"
	    "\"bad data\",\"exit\":65,\"read\":12345678901,\"started_at\":",
	    strlen("{\"tool\":\"etl-load\",\"status\":\"bad data\",\"exit\":65,"
	    "\"read\":12345678901,\"started_at\":")), 0);
	free(text);
	o = json_load_file(path, 0, &jerr);
	ck_assert_msg(o != NULL, "%s", jerr.text);
	ck_assert_int_eq(json_integer_value(json_object_get(o, "read")),
	    12345678901LL);
	json_decref(o);
	etl_summary_release(&s);
}
END_TEST

START_TEST(test_summary_write_stats_errors)
{
	char path[1024];
	struct etl_summary s;
	struct etl_error err;

	etl_summary_init(&s);
	etl_error_init(&err);
	unit_path(path, sizeof(path), "no-such-dir/stats.json");
	ck_assert_int_eq(etl_summary_write_stats(&s, path, "etl-load", ETL_OK,
	    &err), -ETL_ECANTCREAT);
	ck_assert_int_eq(err.kind, ETL_ECANTCREAT);
	if (access("/dev/full", W_OK) == 0) {
		etl_error_init(&err);
		ck_assert_int_eq(etl_summary_write_stats(&s, "/dev/full",
		    "etl-load", ETL_OK, &err), -ETL_EIO);
		ck_assert_int_eq(err.kind, ETL_EIO);
	}
	etl_summary_release(&s);
}
END_TEST

static Suite *
summary_suite(void)
{
	Suite *s = suite_create("summary");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_unchecked_fixture(tc, unit_tmp_setup, unit_tmp_teardown);
	tcase_add_test(tc, test_summary_line_counts);
	tcase_add_test(tc, test_summary_counters_first_use_order);
	tcase_add_test(tc, test_summary_counters_past_max_share_last);
	tcase_add_test(tc, test_summary_line_empty);
	tcase_add_test(tc, test_summary_line_label_and_notes);
	tcase_add_test(tc, test_summary_line_notes_only);
	tcase_add_test(tc, test_summary_line_small_buffer);
	tcase_add_test(tc, test_summary_seconds_not_negative);
	tcase_add_test(tc, test_summary_json_fields);
	tcase_add_test(tc, test_summary_json_status_and_exit);
	tcase_add_test(tc, test_summary_write_stats);
	tcase_add_test(tc, test_summary_write_stats_errors);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(summary_suite());
}
