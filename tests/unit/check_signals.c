/*
 * Unit tests of lib/signals.c: SIGPIPE ignored, SIGINT/SIGTERM noted
 * and turned into errors that stop readers.  Each test runs in its own
 * process (Check's fork mode), so a caught signal does not leak into the
 * next test.
 */
#include <signal.h>
#include <sys/wait.h>

#include "ndjson.h"
#include "signals.h"
#include "unit.h"

START_TEST(test_signals_none_caught)
{
	struct etl_error err;

	etl_signals_install();
	etl_error_init(&err);
	ck_assert_int_eq(etl_signal_caught(), 0);
	ck_assert_int_eq(etl_signal_check(&err), 0);
	ck_assert_int_eq(err.kind, ETL_OK);
	ck_assert_str_eq(err.message, "");
}
END_TEST

START_TEST(test_signals_sigint)
{
	struct etl_error err;

	etl_signals_install();
	ck_assert_int_eq(raise(SIGINT), 0);
	ck_assert_int_eq(etl_signal_caught(), SIGINT);
	etl_error_init(&err);
	ck_assert_int_eq(etl_signal_check(&err), -ETL_EINTR);
	ck_assert_int_eq(err.kind, ETL_EINTR);
	ck_assert_str_eq(err.message, "interrupted");
	ck_assert_int_eq(etl_exit_code(err.kind), 130);
	/* It stays caught. */
	ck_assert_int_eq(etl_signal_check(NULL), -ETL_EINTR);
}
END_TEST

START_TEST(test_signals_sigterm)
{
	struct etl_error err;

	etl_signals_install();
	ck_assert_int_eq(raise(SIGTERM), 0);
	ck_assert_int_eq(etl_signal_caught(), SIGTERM);
	etl_error_init(&err);
	ck_assert_int_eq(etl_signal_check(&err), -ETL_ETERM);
	ck_assert_int_eq(err.kind, ETL_ETERM);
	ck_assert_int_eq(etl_exit_code(err.kind), 143);
	ck_assert_ptr_nonnull(strstr(err.message, "terminated"));
}
END_TEST

START_TEST(test_signals_sighup_is_term)
{
	struct etl_error err;

	etl_signals_install();
	ck_assert_int_eq(raise(SIGHUP), 0);
	ck_assert_int_eq(etl_signal_caught(), SIGHUP);
	ck_assert_int_eq(etl_signal_check(&err), -ETL_ETERM);
}
END_TEST

START_TEST(test_signals_sigpipe_ignored)
{
	int fds[2];

	etl_signals_install();
	/* Still alive after the signal, and a write to a closed pipe is
	 * an EPIPE error instead. */
	ck_assert_int_eq(raise(SIGPIPE), 0);
	ck_assert_int_eq(pipe(fds), 0);
	close(fds[0]);
	errno = 0;
	ck_assert_int_eq(write(fds[1], "x", 1), -1);
	ck_assert_int_eq(errno, EPIPE);
	close(fds[1]);
	ck_assert_int_eq(etl_signal_caught(), 0);
}
END_TEST

START_TEST(test_signals_reader_stops_at_next_read)
{
	struct etl_error err;
	struct etl_lines *r;
	const char *line;
	size_t len;
	char path[64];
	int fds[2];

	etl_signals_install();
	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(write(fds[1], "a\nb", 3), 3);
	snprintf(path, sizeof(path), "/dev/fd/%d", fds[0]);
	r = etl_lines_new(path, 0, &err);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(etl_lines_next(r, &line, &len, &err), 1);
	ck_assert_str_eq(line, "a");
	/* The write end stays open: without the signal this would block. */
	raise(SIGINT);
	etl_error_init(&err);
	ck_assert_int_eq(etl_lines_next(r, &line, &len, &err), -ETL_EINTR);
	ck_assert_int_eq(err.kind, ETL_EINTR);
	etl_lines_free(r);
	close(fds[0]);
	close(fds[1]);
}
END_TEST

START_TEST(test_signals_blocked_read_interrupted)
{
	struct etl_error err;
	struct etl_lines *r;
	const char *line;
	size_t len;
	char path[64], c;
	int data[2], ctl[2], status;
	pid_t pid;

	etl_signals_install();
	ck_assert_int_eq(pipe(data), 0);
	ck_assert_int_eq(pipe(ctl), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		/* One line, then on the go-ahead SIGTERM the reader while
		 * keeping the data pipe open. */
		close(ctl[1]);
		if (write(data[1], "a\n", 2) != 2 || read(ctl[0], &c, 1) != 1)
			_exit(1);
		kill(getppid(), SIGTERM);
		for (;;)
			pause();
	}
	close(data[1]);
	close(ctl[0]);
	snprintf(path, sizeof(path), "/dev/fd/%d", data[0]);
	r = etl_lines_new(path, 0, &err);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(etl_lines_next(r, &line, &len, &err), 1);
	ck_assert_str_eq(line, "a");
	ck_assert_int_eq(write(ctl[1], "g", 1), 1);
	/* Blocks in read() until the signal arrives, then stops. */
	etl_error_init(&err);
	ck_assert_int_eq(etl_lines_next(r, &line, &len, &err), -ETL_ETERM);
	ck_assert_int_eq(err.kind, ETL_ETERM);
	etl_lines_free(r);
	kill(pid, SIGKILL);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	close(data[0]);
	close(ctl[1]);
}
END_TEST

static Suite *
signals_suite(void)
{
	Suite *s = suite_create("signals");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_signals_none_caught);
	tcase_add_test(tc, test_signals_sigint);
	tcase_add_test(tc, test_signals_sigterm);
	tcase_add_test(tc, test_signals_sighup_is_term);
	tcase_add_test(tc, test_signals_sigpipe_ignored);
	tcase_add_test(tc, test_signals_reader_stops_at_next_read);
	tcase_add_test(tc, test_signals_blocked_read_interrupted);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(signals_suite());
	int failed;

	/* Always one process per test, whatever CK_FORK says: a caught
	 * signal must not reach the next test. */
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
