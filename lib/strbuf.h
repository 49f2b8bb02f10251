/*
 * Growable byte buffers and bounded string helpers.  A struct etl_buf is
 * embedded by its owner: etl_buf_init / etl_buf_release.  Its data is
 * always NUL-terminated after the first append.
 */
#ifndef ETL_STRBUF_H
#define ETL_STRBUF_H

#include <stddef.h>

struct etl_buf {
	char *data;
	size_t len;
	size_t cap;
};

void etl_buf_init(struct etl_buf *b);
void etl_buf_release(struct etl_buf *b);

/* Make room for n more bytes (plus a NUL).  0, or -1 when out of memory. */
int etl_buf_reserve(struct etl_buf *b, size_t n);
int etl_buf_append(struct etl_buf *b, const void *p, size_t n);
int etl_buf_puts(struct etl_buf *b, const char *s);
int etl_buf_putc(struct etl_buf *b, char c);
int etl_buf_printf(struct etl_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void etl_buf_reset(struct etl_buf *b);

/* Copy with truncation, always NUL-terminated; returns strlen(src). */
size_t etl_strlcpy(char *dst, const char *src, size_t n);

/*
 * Append to buf (size n) at offset used with printf formatting; returns
 * the new used length, never past n - 1.
 */
size_t etl_snappend(char *buf, size_t n, size_t used, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* strdup that returns NULL on NULL. */
char *etl_strdup(const char *s);

/*
 * Split "a,b,c" at sep into a new NULL-terminated array of new strings
 * (*n of them; empty parts kept).  NULL when out of memory.  Free with
 * etl_strv_free.
 */
char **etl_strsplit(const char *s, char sep, int *n);
void etl_strv_free(char **v);

#endif
