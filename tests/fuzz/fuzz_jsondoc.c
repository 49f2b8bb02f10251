/*
 * libFuzzer target for the JSON document reader: the first byte picks
 * the records path (none, "data", "data.items", "r[1]") and the size of
 * the pieces the input arrives in; the rest is the document.
 */
#include <stdint.h>

#include "jsondoc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct pieces {
	const uint8_t *data;
	size_t len, pos, piece;
};

static long
piece_read(void *ctx, char *buf, size_t n, struct etl_error *err)
{
	struct pieces *p = ctx;
	size_t k = p->len - p->pos;

	(void)err;
	if (k > n)
		k = n;
	if (k > p->piece)
		k = p->piece;
	memcpy(buf, p->data + p->pos, k);
	p->pos += k;
	return (long)k;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = { NULL, "data", "data.items",
	    "r[1]" };
	struct etl_jsondoc_opts o;
	struct pieces src;
	struct etl_error err;
	struct etl_jsondoc *d;
	json_t *rec;
	int rc;

	if (size == 0)
		return 0;
	o.records = paths[data[0] & 3];
	o.lines = (data[0] >> 2) & 1;
	o.max_record = 512;
	src.data = data + 1;
	src.len = size - 1;
	src.pos = 0;
	src.piece = 1 + (data[0] >> 3);
	etl_error_init(&err);
	d = etl_jsondoc_new(piece_read, &src, "fuzz", &o, &err);
	if (d == NULL)
		return 0;
	while ((rc = etl_jsondoc_next(d, &rec, &err)) != 0) {
		size_t len;

		if (rc < 0 && (rc != -ETL_EDATA || etl_jsondoc_failed(d)))
			break;
		(void)etl_jsondoc_raw(d, &len);
		json_decref(rec);
	}
	etl_jsondoc_free(d);
	return 0;
}
