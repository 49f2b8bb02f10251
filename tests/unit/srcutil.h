/*
 * Helpers for the suites of the streaming readers: a source over bytes in
 * memory that hands them out in pieces of a chosen size (1: every chunk
 * boundary is tried), and a record as compact JSON text.
 */
#ifndef ETL_SRCUTIL_H
#define ETL_SRCUTIL_H

#include "encoding.h"
#include "jsonw.h"
#include "strbuf.h"

struct piecesrc {
	const char *data;
	size_t len, pos, piece;
};

static inline long
piece_read(void *ctx, char *buf, size_t n, struct etl_error *err)
{
	struct piecesrc *p = ctx;
	size_t k = p->len - p->pos;

	(void)err;
	if (k > n)
		k = n;
	if (p->piece > 0 && k > p->piece)
		k = p->piece;
	memcpy(buf, p->data + p->pos, k);
	p->pos += k;
	return (long)k;
}

static inline void
piece_init(struct piecesrc *p, const char *data, size_t len, size_t piece)
{
	p->data = data;
	p->len = len;
	p->pos = 0;
	p->piece = piece;
}

/* rec as JSON text (static buffer, valid until the next call); frees rec. */
static inline const char *
rec_text(json_t *rec)
{
	static char text[4096];
	struct etl_buf b;

	etl_buf_init(&b);
	ck_assert_int_eq(etl_json_dump(&b, rec), 0);
	etl_strlcpy(text, b.data, sizeof(text));
	etl_buf_release(&b);
	json_decref(rec);
	return text;
}

#endif
