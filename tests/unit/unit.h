/*
 * Helpers shared by the Check suites: a temporary folder per test case
 * (an unchecked fixture, so it is made and removed in the parent even
 * when a forked test fails), small file helpers and the runner.
 */
#ifndef ETL_UNIT_H
#define ETL_UNIT_H

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <unistd.h>

static char unit_tmpdir[512] __attribute__((unused));

static inline int
unit_rm_one(const char *path, const struct stat *sb, int flag,
    struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static inline void
unit_tmp_setup(void)
{
	const char *base = getenv("TMPDIR");

	snprintf(unit_tmpdir, sizeof(unit_tmpdir), "%s/etl-unit.XXXXXX",
	    base != NULL && *base != '\0' ? base : "/tmp");
	if (mkdtemp(unit_tmpdir) == NULL) {
		fprintf(stderr, "mkdtemp %s: %s\n", unit_tmpdir,
		    strerror(errno));
		abort();
	}
}

static inline void
unit_tmp_teardown(void)
{
	if (unit_tmpdir[0] != '\0')
		nftw(unit_tmpdir, unit_rm_one, 16, FTW_DEPTH | FTW_PHYS);
	unit_tmpdir[0] = '\0';
}

/* name inside the temporary folder, in buf. */
static inline const char *
unit_path(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s", unit_tmpdir, name);
	return buf;
}

static inline void
unit_write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

/* The whole file as a new NUL-terminated string; *len may be NULL. */
static inline char *
unit_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, k;

	ck_assert_ptr_nonnull(f);
	do {
		if (cap - n < 4096) {
			cap = cap ? cap * 2 : 8192;
			buf = realloc(buf, cap);
			ck_assert_ptr_nonnull(buf);
		}
		k = fread(buf + n, 1, cap - n - 1, f);
		n += k;
	} while (k > 0);
	ck_assert_int_eq(ferror(f), 0);
	fclose(f);
	buf[n] = '\0';
	if (len != NULL)
		*len = n;
	return buf;
}

/* Run one suite; the exit status of main. */
static inline int
unit_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif
