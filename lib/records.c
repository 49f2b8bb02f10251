#include "log.h"
#include "ndjson.h"
#include "records.h"

int
etl_records_foreach(const char *path, size_t max_line, struct etl_rejects *rj,
    struct etl_records_counts *counts,
    int (*fn)(json_t *rec, const char *source, long long line, void *ctx),
    void *ctx, struct etl_error *err)
{
	struct etl_ndjson *in = etl_ndjson_new(path, max_line, err);
	struct etl_error why;
	json_t *rec;
	int rc;

	if (in == NULL)
		return -(int)err->kind;
	etl_error_init(&why);
	while ((rc = etl_ndjson_next(in, &rec, &why)) != 0) {
		size_t len;
		const char *raw = etl_ndjson_raw(in, &len);

		if (rc < 0 && rc != -ETL_EDATA) {
			*err = why;
			break;
		}
		(*counts->read)++;
		etl_progress_update(*counts->read, "read");
		if (rc > 0) {
			rc = fn(rec, etl_ndjson_source(in),
			    etl_ndjson_lineno(in), ctx);
			json_decref(rec);
		} else {
			(*counts->rejected)++;
			rc = etl_rejects_add(rj, &why, NULL, raw, len, err);
		}
		if (rc < 0)
			break;
	}
	etl_ndjson_free(in);
	return rc;
}
