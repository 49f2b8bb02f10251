/*
 * libFuzzer target for the CSV reader: the first byte picks the
 * delimiter and the size of the pieces the input arrives in, the rest is
 * the CSV text, read to its end with a small --max-line so over-long rows
 * are exercised too.
 */
#include <stdint.h>

#include "csv.h"

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
	static const char delims[] = ",;\t|";
	struct etl_csv_opts o;
	struct pieces src;
	struct etl_error err;
	struct etl_csv *c;
	json_t *rec;
	int rc;

	if (size == 0)
		return 0;
	o.delimiter = delims[data[0] & 3];
	o.max_row = 256;
	src.data = data + 1;
	src.len = size - 1;
	src.pos = 0;
	src.piece = 1 + (data[0] >> 2);
	etl_error_init(&err);
	c = etl_csv_new(piece_read, &src, "fuzz", &o, &err);
	if (c == NULL)
		return 0;
	while ((rc = etl_csv_next(c, &rec, &err)) != 0) {
		size_t len;

		if (rc < 0 && (rc != -ETL_EDATA || etl_csv_failed(c)))
			break;
		(void)etl_csv_raw(c, &len);
		json_decref(rec);
	}
	etl_csv_free(c);
	return 0;
}
