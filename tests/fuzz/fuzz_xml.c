/*
 * libFuzzer target for the XML reader: the first byte picks the records
 * selection (none, a name, a path) and whether "item" is a forced array;
 * the rest is the document, read to its end with a small record limit.
 */
#include <stdint.h>

#include "xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const records[] = { NULL, "r", "a/r", "/a/r" };
	static const char *const arrays[] = { "item" };
	struct etl_xml_opts o;
	struct etl_memsrc src;
	struct etl_error err;
	struct etl_xml *x;
	json_t *rec;
	int rc;

	if (size == 0)
		return 0;
	memset(&o, 0, sizeof(o));
	o.records = records[data[0] & 3];
	o.arrays = arrays;
	o.narrays = (data[0] >> 2) & 1;
	o.max_record = 4096;
	src.data = (const char *)data + 1;
	src.len = size - 1;
	src.pos = 0;
	etl_error_init(&err);
	x = etl_xml_new(etl_memsrc_read, &src, "fuzz", &o, &err);
	if (x == NULL)
		return 0;
	while ((rc = etl_xml_next(x, &rec, &err)) != 0) {
		if (rc < 0 && (rc != -ETL_EDATA || etl_xml_failed(x)))
			break;
		json_decref(rec);
	}
	etl_xml_free(x);
	return 0;
}
