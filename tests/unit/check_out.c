/* Unit tests of lib/out.c: buffered output, disk full, closed pipes. */
#include <signal.h>
#include <sys/stat.h>

#include "out.h"
#include "signals.h"
#include "unit.h"

START_TEST(test_out_file_round_trip)
{
	char path[1024];
	struct etl_error err;
	struct etl_out *o;
	json_t *rec = json_pack("{s:i,s:s,s:f}", "id", 1, "name", "caf\xc3\xa9",
	    "x", 1.5);
	char *text;

	etl_error_init(&err);
	unit_path(path, sizeof(path), "out.ndjson");
	o = etl_out_new(path, 0, &err);
	ck_assert_msg(o != NULL, "%s", err.message);
	ck_assert_int_eq(etl_out_record(o, rec, &err), 0);
	ck_assert_int_eq(etl_out_line(o, "{\"raw\":true}", 12, &err), 0);
	ck_assert_int_eq(etl_out_write(o, "ab", 2, &err), 0);
	ck_assert_int_eq(etl_out_write(o, "c\n", 2, &err), 0);
	ck_assert_int_eq(etl_out_close(o, &err), 0);
	text = unit_read_file(path, NULL);
	ck_assert_str_eq(text, "{\"id\":1,\"name\":\"caf\xc3\xa9\",\"x\":1.5}\n"
	    "{\"raw\":true}\nabc\n");
	free(text);
	json_decref(rec);
}
END_TEST

START_TEST(test_out_truncate_and_append)
{
	char path[1024];
	struct etl_error err;
	struct etl_out *o;
	char *text;

	unit_path(path, sizeof(path), "trunc.txt");
	unit_write_file(path, "old content\n", 12);
	o = etl_out_new(path, 0, &err);
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(etl_out_line(o, "new", 3, &err), 0);
	ck_assert_int_eq(etl_out_close(o, &err), 0);
	text = unit_read_file(path, NULL);
	ck_assert_str_eq(text, "new\n");
	free(text);

	o = etl_out_new(path, 1, &err);
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(etl_out_line(o, "more", 4, &err), 0);
	ck_assert_int_eq(etl_out_close(o, &err), 0);
	text = unit_read_file(path, NULL);
	ck_assert_str_eq(text, "new\nmore\n");
	free(text);
}
END_TEST

START_TEST(test_out_flush_writes_now)
{
	char path[1024];
	struct etl_error err;
	struct etl_out *o;
	char *text;

	unit_path(path, sizeof(path), "flush.txt");
	o = etl_out_new(path, 0, &err);
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(etl_out_line(o, "one", 3, &err), 0);
	ck_assert_int_eq(etl_out_flush(o, &err), 0);
	text = unit_read_file(path, NULL);
	ck_assert_str_eq(text, "one\n");
	free(text);
	/* Flushing nothing is fine. */
	ck_assert_int_eq(etl_out_flush(o, &err), 0);
	ck_assert_int_eq(etl_out_close(o, &err), 0);
}
END_TEST

START_TEST(test_out_large_output)
{
	char path[1024];
	struct etl_error err;
	struct etl_out *o;
	size_t len, want = 0;
	char *text;
	char line[64];

	/* Many times the internal buffer: every byte arrives, in order. */
	unit_path(path, sizeof(path), "large.txt");
	o = etl_out_new(path, 0, &err);
	ck_assert_ptr_nonnull(o);
	for (int i = 0; i < 100000; i++) {
		int k = snprintf(line, sizeof(line), "line %d", i);

		if (etl_out_line(o, line, (size_t)k, &err) != 0)
			ck_abort_msg("line %d: %s", i, err.message);
		want += (size_t)k + 1;
	}
	ck_assert_int_eq(etl_out_close(o, &err), 0);
	text = unit_read_file(path, &len);
	ck_assert_uint_eq(len, want);
	ck_assert_mem_eq(text, "line 0\nline 1\n", 14);
	ck_assert_str_eq(text + len - 11, "line 99999\n");
	free(text);
}
END_TEST

START_TEST(test_out_mode_follows_umask)
{
	char path[1024];
	struct etl_error err;
	struct etl_out *o;
	struct stat sb;

	umask(027);
	unit_path(path, sizeof(path), "mode.txt");
	o = etl_out_new(path, 0, &err);
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(etl_out_close(o, &err), 0);
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0640);
}
END_TEST

START_TEST(test_out_cannot_create)
{
	char path[1024];
	struct etl_error err;

	etl_error_init(&err);
	unit_path(path, sizeof(path), "no-such-dir/out.txt");
	ck_assert_ptr_null(etl_out_new(path, 0, &err));
	ck_assert_int_eq(err.kind, ETL_ECANTCREAT);
	ck_assert_int_eq(etl_exit_code(err.kind), 73);
	ck_assert_ptr_nonnull(strstr(err.message, "no-such-dir/out.txt"));
	ck_assert_int_eq(etl_out_close(NULL, &err), 0);
}
END_TEST

static int
have_dev_full(void)
{
	return access("/dev/full", W_OK) == 0;
}

START_TEST(test_out_disk_full_at_flush)
{
	struct etl_error err;
	struct etl_out *o;

	if (!have_dev_full())
		return;
	etl_error_init(&err);
	o = etl_out_new("/dev/full", 0, &err);
	ck_assert_msg(o != NULL, "%s", err.message);
	/* Buffered: the failure shows at the flush. */
	ck_assert_int_eq(etl_out_line(o, "data", 4, &err), 0);
	ck_assert_int_eq(etl_out_flush(o, &err), -ETL_EIO);
	ck_assert_int_eq(err.kind, ETL_EIO);
	ck_assert_int_eq(etl_exit_code(err.kind), 74);
	ck_assert_ptr_nonnull(strstr(err.message, "/dev/full"));
	etl_out_close(o, NULL);
}
END_TEST

START_TEST(test_out_disk_full_at_close)
{
	struct etl_error err;
	struct etl_out *o;

	if (!have_dev_full())
		return;
	etl_error_init(&err);
	o = etl_out_new("/dev/full", 0, &err);
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(etl_out_write(o, "data\n", 5, &err), 0);
	ck_assert_int_eq(etl_out_close(o, &err), -ETL_EIO);
	ck_assert_int_eq(err.kind, ETL_EIO);
}
END_TEST

START_TEST(test_out_disk_full_large_write)
{
	struct etl_error err;
	struct etl_out *o;
	char *big = malloc((size_t)1 << 20);
	int rc = 0;

	if (!have_dev_full()) {
		free(big);
		return;
	}
	ck_assert_ptr_nonnull(big);
	memset(big, 'x', (size_t)1 << 20);
	o = etl_out_new("/dev/full", 0, &err);
	ck_assert_ptr_nonnull(o);
	/* Past the buffer, the write itself reports it. */
	for (int i = 0; i < 4 && rc == 0; i++)
		rc = etl_out_write(o, big, (size_t)1 << 20, &err);
	ck_assert_int_eq(rc, -ETL_EIO);
	ck_assert_int_eq(err.kind, ETL_EIO);
	etl_out_close(o, NULL);
	free(big);
}
END_TEST

/* An etl_out on the write end of a pipe whose read end is then closed. */
static struct etl_out *
out_on_closed_pipe(void)
{
	char path[64];
	struct etl_error err;
	struct etl_out *o;
	int fds[2];

	ck_assert_int_eq(pipe(fds), 0);
	/* Opened while a reader exists, so the open does not block. */
	snprintf(path, sizeof(path), "/dev/fd/%d", fds[1]);
	o = etl_out_new(path, 0, &err);
	ck_assert_msg(o != NULL, "%s", err.message);
	close(fds[1]);
	close(fds[0]);
	return o;
}

START_TEST(test_out_broken_pipe)
{
	struct etl_error err;
	struct etl_out *o;

	etl_signals_install();
	o = out_on_closed_pipe();
	etl_error_init(&err);
	ck_assert_int_eq(etl_out_line(o, "{}", 2, &err), 0);
	ck_assert_int_eq(etl_out_flush(o, &err), -ETL_EPIPE);
	ck_assert_int_eq(err.kind, ETL_EPIPE);
	/* A quiet stop: exit status 0. */
	ck_assert_int_eq(etl_exit_code(err.kind), 0);
	/* After the failure, close does not try again. */
	ck_assert_int_eq(etl_out_line(o, "{}", 2, &err), 0);
	etl_error_init(&err);
	ck_assert_int_eq(etl_out_close(o, &err), 0);
}
END_TEST

START_TEST(test_out_broken_pipe_at_close)
{
	struct etl_error err;
	struct etl_out *o;

	signal(SIGPIPE, SIG_IGN);
	o = out_on_closed_pipe();
	etl_error_init(&err);
	ck_assert_int_eq(etl_out_write(o, "abc", 3, &err), 0);
	ck_assert_int_eq(etl_out_close(o, &err), -ETL_EPIPE);
	ck_assert_int_eq(err.kind, ETL_EPIPE);
}
END_TEST

START_TEST(test_out_stdout_not_closed)
{
	struct etl_error err;
	struct etl_out *o;
	char path[1024];
	char *text;
	int fd, saved;

	/* stdout goes to a file for this test, then comes back. */
	unit_path(path, sizeof(path), "stdout.txt");
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	ck_assert_int_ge(saved, 0);
	ck_assert_int_eq(dup2(fd, STDOUT_FILENO), STDOUT_FILENO);
	close(fd);
	o = etl_out_new("-", 0, &err);
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(etl_out_line(o, "to stdout", 9, &err), 0);
	ck_assert_int_eq(etl_out_close(o, &err), 0);
	o = etl_out_new(NULL, 0, &err);
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(etl_out_line(o, "again", 5, &err), 0);
	ck_assert_int_eq(etl_out_close(o, &err), 0);
	ck_assert_int_ne(fcntl(STDOUT_FILENO, F_GETFD), -1);
	ck_assert_int_eq(dup2(saved, STDOUT_FILENO), STDOUT_FILENO);
	close(saved);
	text = unit_read_file(path, NULL);
	ck_assert_str_eq(text, "to stdout\nagain\n");
	free(text);
}
END_TEST

static Suite *
out_suite(void)
{
	Suite *s = suite_create("out");
	TCase *tc = tcase_create("core");

	tcase_add_unchecked_fixture(tc, unit_tmp_setup, unit_tmp_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_out_file_round_trip);
	tcase_add_test(tc, test_out_truncate_and_append);
	tcase_add_test(tc, test_out_flush_writes_now);
	tcase_add_test(tc, test_out_large_output);
	tcase_add_test(tc, test_out_mode_follows_umask);
	tcase_add_test(tc, test_out_cannot_create);
	tcase_add_test(tc, test_out_disk_full_at_flush);
	tcase_add_test(tc, test_out_disk_full_at_close);
	tcase_add_test(tc, test_out_disk_full_large_write);
	tcase_add_test(tc, test_out_broken_pipe);
	tcase_add_test(tc, test_out_broken_pipe_at_close);
	tcase_add_test(tc, test_out_stdout_not_closed);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(out_suite());
}
