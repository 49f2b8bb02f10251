/* Unit tests of lib/ndjson.c: the line reader and the NDJSON reader. */
#include <sys/stat.h>
#include <sys/wait.h>

#include "ndjson.h"
#include "unit.h"

#define MIB ((size_t)1 << 20)

/* A temporary file holding data; its path in buf. */
static const char *
file_with(char *buf, size_t n, const char *name, const void *data,
    size_t len)
{
	unit_path(buf, n, name);
	unit_write_file(buf, data, len);
	return buf;
}

static struct etl_lines *
lines_of(const char *name, const char *data, size_t len, size_t max_line)
{
	char path[1024];
	struct etl_error err;
	struct etl_lines *r;

	etl_error_init(&err);
	file_with(path, sizeof(path), name, data, len);
	r = etl_lines_new(path, max_line, &err);
	ck_assert_msg(r != NULL, "%s", err.message);
	return r;
}

/* The next line is want (NUL-terminated) at line number lineno. */
static void
next_is(struct etl_lines *r, const char *want, size_t want_len,
    long long lineno)
{
	struct etl_error err;
	const char *line = NULL;
	size_t len = 0;
	int rc;

	etl_error_init(&err);
	rc = etl_lines_next(r, &line, &len, &err);
	/* One plain if: a passing ck_assert costs a write to Check, and
	 * this runs for every line of long inputs. */
	if (rc != 1 || len != want_len || memcmp(line, want, len) != 0 ||
	    line[len] != '\0' || etl_lines_lineno(r) != lineno)
		ck_abort_msg("expected line %lld (%zu bytes): got %d, %zu "
		    "bytes, line number %lld (%s)", lineno, want_len, rc, len,
		    etl_lines_lineno(r), err.message);
}

static void
next_too_long(struct etl_lines *r, long long lineno)
{
	struct etl_error err;
	const char *line = NULL;
	size_t len = 99;

	etl_error_init(&err);
	ck_assert_int_eq(etl_lines_next(r, &line, &len, &err), -ETL_EDATA);
	ck_assert_int_eq(err.kind, ETL_EDATA);
	ck_assert_int_eq(err.line, lineno);
	ck_assert_int_eq(etl_lines_lineno(r), lineno);
	ck_assert_ptr_nonnull(strstr(err.message, "--max-line"));
	ck_assert_uint_eq(len, 0);
}

static void
next_end(struct etl_lines *r)
{
	struct etl_error err;
	const char *line;
	size_t len;

	etl_error_init(&err);
	ck_assert_int_eq(etl_lines_next(r, &line, &len, &err), 0);
	/* End of input stays the end. */
	ck_assert_int_eq(etl_lines_next(r, &line, &len, &err), 0);
}

#define NEXT_IS(r, s, lineno) next_is((r), (s), sizeof(s) - 1, (lineno))

START_TEST(test_ndjson_lines_basic)
{
	static const char data[] = "a\nbb\nccc\n";
	struct etl_lines *r = lines_of("basic", data, sizeof(data) - 1, 0);

	ck_assert_int_eq(etl_lines_lineno(r), 0);
	NEXT_IS(r, "a", 1);
	NEXT_IS(r, "bb", 2);
	NEXT_IS(r, "ccc", 3);
	next_end(r);
	ck_assert_int_eq(etl_lines_lineno(r), 3);
	etl_lines_free(r);
}
END_TEST

START_TEST(test_ndjson_lines_source_name)
{
	char path[1024];
	struct etl_lines *r = lines_of("named", "x\n", 2, 0);

	unit_path(path, sizeof(path), "named");
	ck_assert_str_eq(etl_lines_source(r), path);
	etl_lines_free(r);
	etl_lines_free(NULL);
}
END_TEST

START_TEST(test_ndjson_lines_crlf)
{
	static const char data[] = "a\r\nb\r\n\r\nc\rd\r\ne";
	struct etl_lines *r = lines_of("crlf", data, sizeof(data) - 1, 0);

	NEXT_IS(r, "a", 1);
	NEXT_IS(r, "b", 2);
	/* Line 3 is "\r\n": blank.  A lone \r inside a line stays. */
	NEXT_IS(r, "c\rd", 4);
	NEXT_IS(r, "e", 5);
	next_end(r);
	etl_lines_free(r);
}
END_TEST

START_TEST(test_ndjson_lines_bom_only_at_start)
{
	static const char data[] = "\xef\xbb\xbf{\"a\":1}\n\xef\xbb\xbf{}\n";
	struct etl_lines *r = lines_of("bom", data, sizeof(data) - 1, 0);

	NEXT_IS(r, "{\"a\":1}", 1);
	NEXT_IS(r, "\xef\xbb\xbf{}", 2);
	next_end(r);
	etl_lines_free(r);
}
END_TEST

START_TEST(test_ndjson_lines_bom_alone)
{
	static const char data[] = "\xef\xbb\xbf\r\nx\n";
	static const char data2[] = "\xef\xbb\xbf";
	struct etl_lines *r = lines_of("bom1", data, sizeof(data) - 1, 0);

	/* A first line holding only the BOM is blank. */
	NEXT_IS(r, "x", 2);
	next_end(r);
	etl_lines_free(r);

	r = lines_of("bom2", data2, sizeof(data2) - 1, 0);
	next_end(r);
	etl_lines_free(r);
}
END_TEST

START_TEST(test_ndjson_lines_blank_lines_counted)
{
	static const char data[] = "\n  \n\t\n a \n\n \t \nb\n\n";
	struct etl_lines *r = lines_of("blank", data, sizeof(data) - 1, 0);

	/* Skipped, but each still counts as a line; kept lines are not
	 * trimmed. */
	NEXT_IS(r, " a ", 4);
	NEXT_IS(r, "b", 7);
	next_end(r);
	etl_lines_free(r);
}
END_TEST

START_TEST(test_ndjson_lines_no_final_newline)
{
	static const char data[] = "a\nlast";
	struct etl_lines *r = lines_of("nofinal", data, sizeof(data) - 1, 0);

	NEXT_IS(r, "a", 1);
	NEXT_IS(r, "last", 2);
	next_end(r);
	etl_lines_free(r);

	r = lines_of("nofinal-crlf", "only\r", 5, 0);
	NEXT_IS(r, "only", 1);
	next_end(r);
	etl_lines_free(r);
}
END_TEST

START_TEST(test_ndjson_lines_empty_input)
{
	struct etl_lines *r = lines_of("empty", "", 0, 0);

	next_end(r);
	ck_assert_int_eq(etl_lines_lineno(r), 0);
	etl_lines_free(r);
	r = lines_of("newlines", "\n\n\r\n", 4, 0);
	next_end(r);
	etl_lines_free(r);
}
END_TEST

START_TEST(test_ndjson_lines_too_long_then_go_on)
{
	char data[256];
	size_t n = 0;
	struct etl_lines *r;

	n += (size_t)snprintf(data + n, sizeof(data) - n, "short1\n");
	memset(data + n, 'x', 100);
	n += 100;
	n += (size_t)snprintf(data + n, sizeof(data) - n, "\nshort2\n"
	    "0123456789abcdef\n0123456789abcdefg\r\nend");
	r = lines_of("long", data, n, 16);
	NEXT_IS(r, "short1", 1);
	next_too_long(r, 2);
	NEXT_IS(r, "short2", 3);
	/* Exactly max_line bytes is fine, one more is not. */
	NEXT_IS(r, "0123456789abcdef", 4);
	next_too_long(r, 5);
	NEXT_IS(r, "end", 6);
	next_end(r);
	etl_lines_free(r);
}
END_TEST

START_TEST(test_ndjson_lines_max_line_excludes_crlf)
{
	static const char data[] = "0123456789abcdef\r\n0123456789abcdefg\r\n"
	    "0123456789abcdef\r";
	struct etl_lines *r = lines_of("long-crlf", data, sizeof(data) - 1, 16);

	/* The line end is not part of the line: CRLF or LF alike. */
	NEXT_IS(r, "0123456789abcdef", 1);
	next_too_long(r, 2);
	NEXT_IS(r, "0123456789abcdef", 3);
	next_end(r);
	etl_lines_free(r);
}
END_TEST

START_TEST(test_ndjson_lines_too_long_across_reads)
{
	/* Longer than the 256 KiB read: dropped while it is being read. */
	size_t big = 600 * 1024, n = 0;
	char *data = malloc(big + 64);
	struct etl_lines *r;

	ck_assert_ptr_nonnull(data);
	memcpy(data, "first\n", 6);
	n = 6;
	memset(data + n, 'y', big);
	n += big;
	memcpy(data + n, "\n\nafter\n", 8);
	n += 8;
	r = lines_of("long2", data, n, 1000);
	NEXT_IS(r, "first", 1);
	next_too_long(r, 2);
	NEXT_IS(r, "after", 4);
	next_end(r);
	etl_lines_free(r);
	free(data);
}
END_TEST

START_TEST(test_ndjson_lines_too_long_last_line)
{
	size_t big = 300 * 1024;
	char *data = malloc(big + 16);
	struct etl_lines *r;

	/* An over-long last line without a newline is still reported,
	 * whether it fits one read or not. */
	ck_assert_ptr_nonnull(data);
	r = lines_of("long3", "ok\n01234567890123456789", 23, 10);
	NEXT_IS(r, "ok", 1);
	next_too_long(r, 2);
	next_end(r);
	etl_lines_free(r);

	memcpy(data, "ok\n", 3);
	memset(data + 3, 'z', big);
	r = lines_of("long4", data, big + 3, 1000);
	NEXT_IS(r, "ok", 1);
	next_too_long(r, 2);
	next_end(r);
	etl_lines_free(r);

	/* And with its newline. */
	data[big + 3] = '\n';
	r = lines_of("long5", data, big + 4, 1000);
	NEXT_IS(r, "ok", 1);
	next_too_long(r, 2);
	next_end(r);
	etl_lines_free(r);
	free(data);
}
END_TEST

/* n bytes of a repeating pattern, so a misplaced byte shows. */
static char *
pattern(size_t n)
{
	char *p = malloc(n + 1);

	ck_assert_ptr_nonnull(p);
	for (size_t i = 0; i < n; i++)
		p[i] = (char)('a' + (i * 7 + i / 26) % 26);
	p[n] = '\0';
	return p;
}

START_TEST(test_ndjson_lines_longer_than_read_chunk)
{
	size_t big = MIB;
	char *line = pattern(big);
	char *data = malloc(3 * big + 64);
	struct etl_lines *r;
	size_t n = 0;

	/* Three 1 MiB lines around short ones: each read whole. */
	ck_assert_ptr_nonnull(data);
	memcpy(data + n, "s1\n", 3);
	n += 3;
	for (int i = 0; i < 3; i++) {
		memcpy(data + n, line, big);
		n += big;
		memcpy(data + n, i == 1 ? "\r\n" : "\n", i == 1 ? 2 : 1);
		n += i == 1 ? 2 : 1;
	}
	memcpy(data + n, "s2", 2);
	n += 2;
	r = lines_of("mib", data, n, 0);
	NEXT_IS(r, "s1", 1);
	next_is(r, line, big, 2);
	next_is(r, line, big, 3);
	next_is(r, line, big, 4);
	NEXT_IS(r, "s2", 5);
	next_end(r);
	etl_lines_free(r);
	free(data);
	free(line);
}
END_TEST

START_TEST(test_ndjson_lines_missing_file)
{
	char path[1024];
	struct etl_error err;

	etl_error_init(&err);
	unit_path(path, sizeof(path), "no-such-file");
	ck_assert_ptr_null(etl_lines_new(path, 0, &err));
	ck_assert_int_eq(err.kind, ETL_ENOINPUT);
	ck_assert_int_eq(etl_exit_code(err.kind), 66);
	ck_assert_ptr_nonnull(strstr(err.message, "no-such-file"));

	etl_error_init(&err);
	unit_path(path, sizeof(path), "no-such-dir/file");
	ck_assert_ptr_null(etl_ndjson_new(path, 0, &err));
	ck_assert_int_eq(err.kind, ETL_ENOINPUT);
}
END_TEST

START_TEST(test_ndjson_lines_directory_is_io_error)
{
	struct etl_error err;
	struct etl_lines *r;
	const char *line;
	size_t len;

	etl_error_init(&err);
	r = etl_lines_new(unit_tmpdir, 0, &err);
	/* open() of a folder works; reading it does not. */
	if (r == NULL) {
		ck_assert_int_ne(err.kind, ETL_OK);
		return;
	}
	ck_assert_int_eq(etl_lines_next(r, &line, &len, &err), -ETL_EIO);
	ck_assert_int_eq(err.kind, ETL_EIO);
	etl_lines_free(r);
}
END_TEST

/* A child writes n bytes of data to fd in small pieces, then exits. */
static pid_t
writer(int fd, const char *data, size_t n, size_t piece)
{
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		size_t off = 0;

		while (off < n) {
			size_t k = n - off < piece ? n - off : piece;
			ssize_t w = write(fd, data + off, k);

			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				_exit(1);
			off += (size_t)w;
		}
		_exit(0);
	}
	return pid;
}

static void
reap(pid_t pid)
{
	int status;

	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
}

START_TEST(test_ndjson_lines_pipe)
{
	/* 20000 numbered lines, a long one and CRLF ones among them,
	 * written 4093 bytes at a time. */
	size_t cap = 4 * MIB, n = 0;
	char *data = malloc(cap), *big = pattern(700 * 1024);
	char path[64], want[64];
	int fds[2];
	pid_t pid;
	struct etl_lines *r;
	struct etl_error err;

	ck_assert_ptr_nonnull(data);
	for (int i = 1; i <= 20000; i++) {
		if (i == 777) {
			memcpy(data + n, big, 700 * 1024);
			n += 700 * 1024;
			data[n++] = '\n';
			continue;
		}
		n += (size_t)snprintf(data + n, cap - n, "{\"n\":%d}%s", i,
		    i % 3 == 0 ? "\r\n" : "\n");
	}
	ck_assert_int_eq(pipe(fds), 0);
	pid = writer(fds[1], data, n, 4093);
	close(fds[1]);
	snprintf(path, sizeof(path), "/dev/fd/%d", fds[0]);
	etl_error_init(&err);
	r = etl_lines_new(path, 0, &err);
	ck_assert_msg(r != NULL, "%s", err.message);
	for (int i = 1; i <= 20000; i++) {
		int k;

		if (i == 777) {
			next_is(r, big, 700 * 1024, i);
			continue;
		}
		k = snprintf(want, sizeof(want), "{\"n\":%d}", i);
		next_is(r, want, (size_t)k, i);
	}
	next_end(r);
	etl_lines_free(r);
	close(fds[0]);
	reap(pid);
	free(big);
	free(data);
}
END_TEST

START_TEST(test_ndjson_lines_stdin)
{
	static const char data[] = "\xef\xbb\xbf" "one\r\n\ntwo";
	int fds[2], saved = dup(STDIN_FILENO);
	pid_t pid;
	struct etl_lines *r;
	struct etl_error err;

	ck_assert_int_ge(saved, 0);
	ck_assert_int_eq(pipe(fds), 0);
	pid = writer(fds[1], data, sizeof(data) - 1, 3);
	close(fds[1]);
	ck_assert_int_eq(dup2(fds[0], STDIN_FILENO), STDIN_FILENO);
	close(fds[0]);
	etl_error_init(&err);
	r = etl_lines_new("-", 0, &err);
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(etl_lines_source(r), "<stdin>");
	NEXT_IS(r, "one", 1);
	NEXT_IS(r, "two", 3);
	next_end(r);
	etl_lines_free(r);
	/* stdin is not closed by free. */
	ck_assert_int_ne(fcntl(STDIN_FILENO, F_GETFD), -1);
	ck_assert_int_eq(dup2(saved, STDIN_FILENO), STDIN_FILENO);
	close(saved);
	reap(pid);
}
END_TEST

START_TEST(test_ndjson_lines_max_line_crlf_split_reads)
{
	/* "\r" and "\n" arrive in separate reads: the 16-byte line is
	 * still not too long. */
	static const char data[] = "0123456789abcdef\r\nx\n";
	char path[64];
	int fds[2];
	pid_t pid;
	struct etl_lines *r;
	struct etl_error err;

	ck_assert_int_eq(pipe(fds), 0);
	pid = writer(fds[1], data, sizeof(data) - 1, 17);
	close(fds[1]);
	snprintf(path, sizeof(path), "/dev/fd/%d", fds[0]);
	r = etl_lines_new(path, 16, &err);
	ck_assert_ptr_nonnull(r);
	NEXT_IS(r, "0123456789abcdef", 1);
	NEXT_IS(r, "x", 2);
	next_end(r);
	etl_lines_free(r);
	close(fds[0]);
	reap(pid);
}
END_TEST

/* ---- etl_ndjson ---- */

static struct etl_ndjson *
ndjson_of(const char *name, const char *data, size_t max_line)
{
	char path[1024];
	struct etl_error err;
	struct etl_ndjson *r;

	etl_error_init(&err);
	file_with(path, sizeof(path), name, data, strlen(data));
	r = etl_ndjson_new(path, max_line, &err);
	ck_assert_msg(r != NULL, "%s", err.message);
	return r;
}

/* The next record dumps (jansson, keys in order) as want. */
static void
rec_is(struct etl_ndjson *r, const char *want, long long lineno)
{
	struct etl_error err;
	json_t *rec = NULL;
	char *text;
	size_t rawlen;
	int rc;

	etl_error_init(&err);
	rc = etl_ndjson_next(r, &rec, &err);
	ck_assert_msg(rc == 1, "line %lld: %d %s", lineno, rc, err.message);
	ck_assert_ptr_nonnull(rec);
	text = json_dumps(rec, JSON_COMPACT | JSON_PRESERVE_ORDER);
	ck_assert_str_eq(text, want);
	ck_assert_int_eq(etl_ndjson_lineno(r), lineno);
	ck_assert_ptr_nonnull(etl_ndjson_raw(r, &rawlen));
	free(text);
	json_decref(rec);
}

static void
bad_is(struct etl_ndjson *r, long long lineno, const char *rule,
    const char *raw, const char *msg_part)
{
	struct etl_error err;
	json_t *rec = json_null();
	const char *got;
	size_t len;

	etl_error_init(&err);
	ck_assert_int_eq(etl_ndjson_next(r, &rec, &err), -ETL_EDATA);
	ck_assert_ptr_null(rec);
	ck_assert_int_eq(err.kind, ETL_EDATA);
	ck_assert_int_eq(err.line, lineno);
	ck_assert_int_eq(etl_ndjson_lineno(r), lineno);
	ck_assert_str_eq(err.rule, rule);
	ck_assert_str_eq(err.field, "");
	ck_assert_ptr_nonnull(strstr(err.source, "/"));
	ck_assert_msg(strstr(err.message, msg_part) != NULL, "'%s' lacks '%s'",
	    err.message, msg_part);
	got = etl_ndjson_raw(r, &len);
	ck_assert_uint_eq(len, strlen(raw));
	ck_assert_str_eq(got, raw);
}

static void
rec_end(struct etl_ndjson *r)
{
	struct etl_error err;
	json_t *rec = json_null();

	etl_error_init(&err);
	ck_assert_int_eq(etl_ndjson_next(r, &rec, &err), 0);
	ck_assert_ptr_null(rec);
}

START_TEST(test_ndjson_records)
{
	struct etl_ndjson *r = ndjson_of("recs", "{\"z\":1,\"a\":[1,2]}\n"
	    "\r\n  {\"b\":\"x\",\"n\":null} \r\n{}", 0);

	rec_is(r, "{\"z\":1,\"a\":[1,2]}", 1);
	rec_is(r, "{\"b\":\"x\",\"n\":null}", 3);
	rec_is(r, "{}", 4);
	rec_end(r);
	etl_ndjson_free(r);
	etl_ndjson_free(NULL);
}
END_TEST

START_TEST(test_ndjson_raw_line_kept)
{
	struct etl_ndjson *r = ndjson_of("raw", "  {\"a\": 1}\r\n", 0);
	json_t *rec;
	struct etl_error err;
	const char *raw;
	size_t len;

	ck_assert_int_eq(etl_ndjson_next(r, &rec, &err), 1);
	raw = etl_ndjson_raw(r, &len);
	ck_assert_str_eq(raw, "  {\"a\": 1}");
	ck_assert_uint_eq(len, 10);
	json_decref(rec);
	etl_ndjson_free(r);
}
END_TEST

START_TEST(test_ndjson_bad_records_go_on)
{
	struct etl_ndjson *r = ndjson_of("bad", "{\"a\":1}\n{bad\n[1,2]\n"
	    "\"str\"\n42\nnull\ntrue\n{\"a\":1} x\n{}{}\n{\"c\":3}\n", 0);

	rec_is(r, "{\"a\":1}", 1);
	bad_is(r, 2, "json", "{bad", "invalid JSON");
	bad_is(r, 3, "json", "[1,2]", "not a JSON object (an array)");
	bad_is(r, 4, "json", "\"str\"", "not a JSON object (a string)");
	bad_is(r, 5, "json", "42", "not a JSON object (a number)");
	bad_is(r, 6, "json", "null", "not a JSON object (null)");
	bad_is(r, 7, "json", "true", "not a JSON object (a boolean)");
	bad_is(r, 8, "json", "{\"a\":1} x", "invalid JSON");
	bad_is(r, 9, "json", "{}{}", "invalid JSON");
	rec_is(r, "{\"c\":3}", 10);
	rec_end(r);
	etl_ndjson_free(r);
}
END_TEST

START_TEST(test_ndjson_big_integer_is_bad_record)
{
	struct etl_ndjson *r = ndjson_of("bigint",
	    "{\"n\":9223372036854775807}\n"
	    "{\"n\":12345678901234567890}\n"
	    "{\"n\":-9223372036854775808}\n"
	    "{\"n\":-9223372036854775809}\n"
	    "{\"n\":\"12345678901234567890\"}\n"
	    "{\"n\":1.5}\n", 0);
	struct etl_error err;
	json_t *rec;

	rec_is(r, "{\"n\":9223372036854775807}", 1);
	/* Never a float: too big for 64 bits is a bad record. */
	bad_is(r, 2, "json", "{\"n\":12345678901234567890}", "invalid JSON");
	rec_is(r, "{\"n\":-9223372036854775808}", 3);
	bad_is(r, 4, "json", "{\"n\":-9223372036854775809}", "invalid JSON");
	/* As a string it is kept exactly. */
	ck_assert_int_eq(etl_ndjson_next(r, &rec, &err), 1);
	ck_assert_str_eq(json_string_value(json_object_get(rec, "n")),
	    "12345678901234567890");
	json_decref(rec);
	ck_assert_int_eq(etl_ndjson_next(r, &rec, &err), 1);
	ck_assert(json_is_real(json_object_get(rec, "n")));
	json_decref(rec);
	rec_end(r);
	etl_ndjson_free(r);
}
END_TEST

START_TEST(test_ndjson_too_long_line)
{
	struct etl_ndjson *r = ndjson_of("ndlong", "{\"a\":1}\n"
	    "{\"long\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}\n{\"b\":2}\n", 20);

	rec_is(r, "{\"a\":1}", 1);
	bad_is(r, 2, "max-line", "", "--max-line");
	rec_is(r, "{\"b\":2}", 3);
	rec_end(r);
	etl_ndjson_free(r);
}
END_TEST

START_TEST(test_ndjson_bom_and_utf8)
{
	struct etl_ndjson *r = ndjson_of("ndbom", "\xef\xbb\xbf{\"k\":"
	    "\"caf\xc3\xa9\"}\n{\"k\":\"\\u00e9\\u0000x\"}\n", 0);
	struct etl_error err;
	json_t *rec;

	rec_is(r, "{\"k\":\"caf\xc3\xa9\"}", 1);
	ck_assert_int_eq(etl_ndjson_next(r, &rec, &err), 1);
	ck_assert_uint_eq(json_string_length(json_object_get(rec, "k")), 4);
	ck_assert_mem_eq(json_string_value(json_object_get(rec, "k")),
	    "\xc3\xa9\0x", 4);
	json_decref(rec);
	rec_end(r);
	etl_ndjson_free(r);
}
END_TEST

START_TEST(test_ndjson_parse_direct)
{
	struct etl_error err;
	json_t *rec = json_null();

	etl_error_init(&err);
	ck_assert_int_eq(etl_ndjson_parse("{\"a\":true}", 10, "in", 7, &rec,
	    &err), 0);
	ck_assert(json_is_true(json_object_get(rec, "a")));
	json_decref(rec);

	/* Only len bytes are parsed. */
	ck_assert_int_eq(etl_ndjson_parse("{\"a\":1}garbage", 7, "in", 8, &rec,
	    &err), 0);
	json_decref(rec);

	ck_assert_int_eq(etl_ndjson_parse("[]", 2, "in", 9, &rec, &err),
	    -ETL_EDATA);
	ck_assert_ptr_null(rec);
	ck_assert_str_eq(err.source, "in");
	ck_assert_int_eq(err.line, 9);
	ck_assert_str_eq(err.rule, "json");

	ck_assert_int_eq(etl_ndjson_parse("", 0, "in", 10, &rec, &err),
	    -ETL_EDATA);
	ck_assert_int_eq(err.line, 10);
	ck_assert_str_eq(err.rule, "json");
}
END_TEST

static Suite *
ndjson_suite(void)
{
	Suite *s = suite_create("ndjson");
	TCase *tc = tcase_create("lines");
	TCase *tn = tcase_create("ndjson");

	tcase_add_unchecked_fixture(tc, unit_tmp_setup, unit_tmp_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_ndjson_lines_basic);
	tcase_add_test(tc, test_ndjson_lines_source_name);
	tcase_add_test(tc, test_ndjson_lines_crlf);
	tcase_add_test(tc, test_ndjson_lines_bom_only_at_start);
	tcase_add_test(tc, test_ndjson_lines_bom_alone);
	tcase_add_test(tc, test_ndjson_lines_blank_lines_counted);
	tcase_add_test(tc, test_ndjson_lines_no_final_newline);
	tcase_add_test(tc, test_ndjson_lines_empty_input);
	tcase_add_test(tc, test_ndjson_lines_too_long_then_go_on);
	tcase_add_test(tc, test_ndjson_lines_max_line_excludes_crlf);
	tcase_add_test(tc, test_ndjson_lines_too_long_across_reads);
	tcase_add_test(tc, test_ndjson_lines_too_long_last_line);
	tcase_add_test(tc, test_ndjson_lines_longer_than_read_chunk);
	tcase_add_test(tc, test_ndjson_lines_missing_file);
	tcase_add_test(tc, test_ndjson_lines_directory_is_io_error);
	tcase_add_test(tc, test_ndjson_lines_pipe);
	tcase_add_test(tc, test_ndjson_lines_stdin);
	tcase_add_test(tc, test_ndjson_lines_max_line_crlf_split_reads);
	suite_add_tcase(s, tc);

	tcase_add_unchecked_fixture(tn, unit_tmp_setup, unit_tmp_teardown);
	tcase_set_timeout(tn, 60);
	tcase_add_test(tn, test_ndjson_records);
	tcase_add_test(tn, test_ndjson_raw_line_kept);
	tcase_add_test(tn, test_ndjson_bad_records_go_on);
	tcase_add_test(tn, test_ndjson_big_integer_is_bad_record);
	tcase_add_test(tn, test_ndjson_too_long_line);
	tcase_add_test(tn, test_ndjson_bom_and_utf8);
	tcase_add_test(tn, test_ndjson_parse_direct);
	suite_add_tcase(s, tn);
	return s;
}

int
main(void)
{
	return unit_run(ndjson_suite());
}
