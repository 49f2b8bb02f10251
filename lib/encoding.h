/*
 * Byte sources and their transcoding to UTF-8.
 *
 * An etl_read_fn is how the streaming readers (csv, xml, jsondoc) pull
 * their input, whatever it comes from: a file, a spooled HTTP body, or
 * struct etl_encoding, which decodes a legacy encoding (Latin-1,
 * Windows-1252, ...) with iconv on the way.
 */
#ifndef ETL_ENCODING_H
#define ETL_ENCODING_H

#include <stddef.h>

#include "error.h"

/*
 * Fill buf with up to n bytes (n > 0).  Returns how many (> 0), 0 at the
 * end of the input, or a negative error kind with err filled.
 */
typedef long (*etl_read_fn)(void *ctx, char *buf, size_t n,
    struct etl_error *err);

struct etl_encoding;

/*
 * Decode from the iconv encoding `from` to UTF-8, reading through
 * read/ctx (borrowed; they must outlive the decoder).  source names the
 * input in messages.  NULL with -ETL_ECONFIG when iconv does not know
 * the encoding.
 */
struct etl_encoding *etl_encoding_new(const char *from, etl_read_fn read,
    void *ctx, const char *source, struct etl_error *err);
void etl_encoding_free(struct etl_encoding *e);

/*
 * An etl_read_fn over a decoder (ctx is the struct etl_encoding).  A byte
 * sequence invalid in the source encoding is -ETL_EDATA naming its line;
 * the decoder cannot go on after it.
 */
long etl_encoding_read(void *ctx, char *buf, size_t n, struct etl_error *err);

/* A source over a file descriptor, reading with signal checks. */
struct etl_fdsrc {
	int fd;
	const char *source;	/* name in messages */
};

/* An etl_read_fn whose ctx is a struct etl_fdsrc. */
long etl_fdsrc_read(void *ctx, char *buf, size_t n, struct etl_error *err);

/* A source over bytes in memory (tests, fuzzers, small bodies). */
struct etl_memsrc {
	const char *data;
	size_t len;
	size_t pos;
};

/* An etl_read_fn whose ctx is a struct etl_memsrc. */
long etl_memsrc_read(void *ctx, char *buf, size_t n, struct etl_error *err);

#endif
