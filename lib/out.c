#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "jsonw.h"
#include "out.h"
#include "strbuf.h"

#define FLUSH_AT ((size_t)256 << 10)

struct etl_out {
	int fd;
	int owned;
	int tty;
	int failed;
	char *name;
	struct etl_buf buf;
};

struct etl_out *
etl_out_new(const char *path, int append, struct etl_error *err)
{
	struct etl_out *o = calloc(1, sizeof(*o));
	int to_stdout = path == NULL || strcmp(path, "-") == 0;

	if (o == NULL || (o->name = strdup(to_stdout ? "stdout" : path)) ==
	    NULL) {
		free(o);
		etl_error_set(err, ETL_EINTERNAL, "out of memory");
		return NULL;
	}
	etl_buf_init(&o->buf);
	if (to_stdout) {
		o->fd = STDOUT_FILENO;
	} else {
		o->fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC |
		    (append ? O_APPEND : O_TRUNC), 0666);
		if (o->fd < 0) {
			etl_error_set(err, ETL_ECANTCREAT, "cannot create %s: "
			    "%s", path, strerror(errno));
			free(o->name);
			free(o);
			return NULL;
		}
		o->owned = 1;
	}
	o->tty = isatty(o->fd);
	return o;
}

static int
write_all(struct etl_out *o, const char *p, size_t n, struct etl_error *err)
{
	while (n > 0) {
		ssize_t k = write(o->fd, p, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			o->failed = 1;
			if (errno == EPIPE)
				return etl_error_set(err, ETL_EPIPE,
				    "%s: broken pipe", o->name);
			return etl_error_set(err, ETL_EIO, "write error on "
			    "%s: %s", o->name, strerror(errno));
		}
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

int
etl_out_flush(struct etl_out *o, struct etl_error *err)
{
	int rc;

	if (o->buf.len == 0)
		return 0;
	rc = write_all(o, o->buf.data, o->buf.len, err);
	etl_buf_reset(&o->buf);
	return rc;
}

static int
after_append(struct etl_out *o, struct etl_error *err)
{
	if (o->buf.len >= FLUSH_AT || o->tty)
		return etl_out_flush(o, err);
	return 0;
}

int
etl_out_record(struct etl_out *o, const json_t *rec, struct etl_error *err)
{
	if (etl_json_dump(&o->buf, rec) < 0 || etl_buf_putc(&o->buf, '\n') < 0)
		return etl_error_set(err, ETL_EINTERNAL, "out of memory");
	return after_append(o, err);
}

int
etl_out_write(struct etl_out *o, const void *p, size_t n,
    struct etl_error *err)
{
	if (etl_buf_append(&o->buf, p, n) < 0)
		return etl_error_set(err, ETL_EINTERNAL, "out of memory");
	return after_append(o, err);
}

int
etl_out_line(struct etl_out *o, const char *p, size_t n,
    struct etl_error *err)
{
	if (etl_buf_append(&o->buf, p, n) < 0 ||
	    etl_buf_putc(&o->buf, '\n') < 0)
		return etl_error_set(err, ETL_EINTERNAL, "out of memory");
	return after_append(o, err);
}

int
etl_out_close(struct etl_out *o, struct etl_error *err)
{
	int rc = 0;

	if (o == NULL)
		return 0;
	if (!o->failed)
		rc = etl_out_flush(o, err);
	if (o->owned && close(o->fd) < 0 && rc == 0)
		rc = etl_error_set(err, ETL_EIO, "close %s: %s", o->name,
		    strerror(errno));
	etl_buf_release(&o->buf);
	free(o->name);
	free(o);
	return rc;
}
