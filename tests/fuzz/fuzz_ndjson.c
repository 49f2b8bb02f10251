/*
 * libFuzzer target for the NDJSON line reader and record parser: the
 * input is written to a pipe-free temporary file and read back through
 * etl_ndjson with a small --max-line, so long-line skipping, CRLF, BOM
 * and blank-line handling are all exercised.
 */
#include <stdint.h>
#include <unistd.h>

#include "ndjson.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/etl-fuzz-ndjson.XXXXXX";
	struct etl_error err;
	struct etl_ndjson *r;
	json_t *rec;
	int fd, rc;

	fd = mkstemp(path);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		unlink(path);
		return 0;
	}
	close(fd);
	etl_error_init(&err);
	r = etl_ndjson_new(path, 64, &err);
	if (r != NULL) {
		while ((rc = etl_ndjson_next(r, &rec, &err)) != 0) {
			size_t len;

			if (rc < 0 && rc != -ETL_EDATA)
				break;
			(void)etl_ndjson_raw(r, &len);
			json_decref(rec);
		}
		etl_ndjson_free(r);
	}
	unlink(path);
	return 0;
}
