#include <stdarg.h>
#include <stdint.h>

#include "strbuf.h"

void
etl_buf_init(struct etl_buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void
etl_buf_release(struct etl_buf *b)
{
	free(b->data);
	etl_buf_init(b);
}

void
etl_buf_reset(struct etl_buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

int
etl_buf_reserve(struct etl_buf *b, size_t n)
{
	size_t need, cap;
	char *p;

	if (n > SIZE_MAX - b->len - 1)
		return -1;
	need = b->len + n + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	p = realloc(b->data, cap);
	if (p == NULL)
		return -1;
	b->data = p;
	b->cap = cap;
	return 0;
}

int
etl_buf_append(struct etl_buf *b, const void *p, size_t n)
{
	if (etl_buf_reserve(b, n) < 0)
		return -1;
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int
etl_buf_puts(struct etl_buf *b, const char *s)
{
	return etl_buf_append(b, s, strlen(s));
}

int
etl_buf_putc(struct etl_buf *b, char c)
{
	if (b->len + 1 < b->cap) {
		b->data[b->len++] = c;
		b->data[b->len] = '\0';
		return 0;
	}
	return etl_buf_append(b, &c, 1);
}

int
etl_buf_printf(struct etl_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || etl_buf_reserve(b, (size_t)n) < 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

size_t
etl_strlcpy(char *dst, const char *src, size_t n)
{
	size_t len = strlen(src);

	if (n > 0) {
		size_t k = len < n - 1 ? len : n - 1;

		memcpy(dst, src, k);
		dst[k] = '\0';
	}
	return len;
}

size_t
etl_snappend(char *buf, size_t n, size_t used, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (used >= n)
		return n ? n - 1 : 0;
	va_start(ap, fmt);
	k = vsnprintf(buf + used, n - used, fmt, ap);
	va_end(ap);
	if (k < 0)
		return used;
	if ((size_t)k >= n - used)
		return n - 1;
	return used + (size_t)k;
}

char *
etl_strdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

char **
etl_strsplit(const char *s, char sep, int *n)
{
	int count = 1, i = 0;
	char **v;

	for (const char *p = s; *p != '\0'; p++)
		count += *p == sep;
	v = calloc((size_t)count + 1, sizeof(*v));
	if (v == NULL)
		return NULL;
	for (const char *p = s;; i++) {
		const char *e = strchr(p, sep);
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if ((v[i] = strndup(p, len)) == NULL) {
			etl_strv_free(v);
			return NULL;
		}
		if (e == NULL)
			break;
		p = e + 1;
	}
	if (n != NULL)
		*n = count;
	return v;
}

void
etl_strv_free(char **v)
{
	if (v == NULL)
		return;
	for (char **p = v; *p != NULL; p++)
		free(*p);
	free(v);
}
