#include <errno.h>
#include <iconv.h>
#include <unistd.h>

#include "encoding.h"
#include "signals.h"

#define INBUF ((size_t)64 << 10)

struct etl_encoding {
	iconv_t cd;
	etl_read_fn read;
	void *ctx;
	char *source;
	char *from;
	char in[INBUF];
	size_t inlen;		/* undecoded bytes at the start of in */
	int eof;
	int failed;
	long long lines;	/* newlines produced so far */
};

struct etl_encoding *
etl_encoding_new(const char *from, etl_read_fn read, void *ctx,
    const char *source, struct etl_error *err)
{
	struct etl_encoding *e = calloc(1, sizeof(*e));

	if (e == NULL || (e->source = strdup(source)) == NULL ||
	    (e->from = strdup(from)) == NULL) {
		if (e != NULL)
			free(e->source);
		free(e);
		etl_error_set(err, ETL_EINTERNAL, "out of memory");
		return NULL;
	}
	e->cd = iconv_open("UTF-8", from);
	if (e->cd == (iconv_t)-1) {
		etl_error_set(err, ETL_ECONFIG, "unknown encoding '%s' (see "
		    "iconv -l)", from);
		free(e->from);
		free(e->source);
		free(e);
		return NULL;
	}
	e->read = read;
	e->ctx = ctx;
	return e;
}

void
etl_encoding_free(struct etl_encoding *e)
{
	if (e == NULL)
		return;
	iconv_close(e->cd);
	free(e->from);
	free(e->source);
	free(e);
}

static void
count_lines(struct etl_encoding *e, const char *p, size_t n)
{
	const char *end = p + n;

	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		e->lines++;
		p++;
	}
}

long
etl_encoding_read(void *ctx, char *buf, size_t n, struct etl_error *err)
{
	struct etl_encoding *e = ctx;

	if (e->failed)
		return etl_error_at(err, ETL_EDATA, e->source, e->lines + 1,
		    NULL, "cannot decode as %s", e->from);
	for (;;) {
		char *in = e->in, *out = buf;
		size_t inleft = e->inlen, outleft = n, got;
		long k;

		if (e->inlen > 0 || e->eof) {
			size_t r = iconv(e->cd, e->inlen ? &in : NULL,
			    e->inlen ? &inleft : NULL, &out, &outleft);
			int why = errno;

			got = n - outleft;
			memmove(e->in, in, inleft);
			e->inlen = inleft;
			count_lines(e, buf, got);
			if (got > 0)
				return (long)got;
			if (r == (size_t)-1 && why == EILSEQ) {
				e->failed = 1;
				return etl_error_at(err, ETL_EDATA, e->source,
				    e->lines + 1, NULL, "invalid %s byte "
				    "0x%02x", e->from,
				    (unsigned char)e->in[0]);
			}
			if (r == (size_t)-1 && why == E2BIG)
				return etl_error_set(err, ETL_EINTERNAL,
				    "decode buffer too small");
			if (e->eof) {
				if (e->inlen > 0) {
					e->failed = 1;
					return etl_error_at(err, ETL_EDATA,
					    e->source, e->lines + 1, NULL,
					    "truncated %s sequence at the "
					    "end", e->from);
				}
				return 0;
			}
		}
		k = e->read(e->ctx, e->in + e->inlen, INBUF - e->inlen, err);
		if (k < 0)
			return k;
		if (k == 0)
			e->eof = 1;
		e->inlen += (size_t)k;
	}
}

long
etl_fdsrc_read(void *ctx, char *buf, size_t n, struct etl_error *err)
{
	struct etl_fdsrc *s = ctx;
	ssize_t k;
	int rc;

	for (;;) {
		if ((rc = etl_signal_check(err)) < 0)
			return rc;
		k = read(s->fd, buf, n);
		if (k >= 0)
			return (long)k;
		if (errno != EINTR && errno != EAGAIN)
			return etl_error_at(err, ETL_EIO, s->source, 0, NULL,
			    "read error: %s", strerror(errno));
	}
}

long
etl_memsrc_read(void *ctx, char *buf, size_t n, struct etl_error *err)
{
	struct etl_memsrc *m = ctx;
	size_t k = m->len - m->pos;

	(void)err;
	if (k > n)
		k = n;
	memcpy(buf, m->data + m->pos, k);
	m->pos += k;
	return (long)k;
}
