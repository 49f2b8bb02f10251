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

int
etl_records_next_text(struct etl_lines *in, struct etl_rejects *rj,
    struct etl_textjson *rec, long long *read, long long *rejected,
    struct etl_error *err)
{
	struct etl_error why;
	const char *line;
	size_t len;
	int rc;

	for (;;) {
		rc = etl_lines_next(in, &line, &len, err);
		if (rc == 0 || (rc < 0 && rc != -ETL_EDATA))
			return rc;
		if (read != NULL) {
			(*read)++;
			etl_progress_update(*read, "read");
		}
		if (rc == -ETL_EDATA) {
			why = *err;	/* an over-long line */
		} else {
			/* The fast path first: why is filled only on error. */
			if (etl_textjson_scan(rec, line, len) == 0)
				return 1;
			etl_error_init(&why);
			rc = etl_textjson_load(rec, line, len,
			    etl_lines_source(in), etl_lines_lineno(in), &why);
			if (rc == 0)
				return 1;
			if (rc != -ETL_EDATA) {
				*err = why;
				return rc;
			}
		}
		(*rejected)++;
		rc = etl_rejects_add(rj, &why, NULL, line, len, err);
		if (rc < 0)
			return rc;
	}
}

int
etl_records_foreach_text(const char *path, size_t max_line,
    struct etl_rejects *rj, struct etl_records_counts *counts,
    int (*fn)(const struct etl_textjson *rec, const char *source,
    long long line, void *ctx),
    void *ctx, struct etl_error *err)
{
	struct etl_lines *in = etl_lines_new(path, max_line, err);
	struct etl_textjson rec;
	int rc;

	if (in == NULL)
		return -(int)err->kind;
	etl_textjson_init(&rec);
	while ((rc = etl_records_next_text(in, rj, &rec, counts->read,
	    counts->rejected, err)) > 0) {
		rc = fn(&rec, etl_lines_source(in), etl_lines_lineno(in), ctx);
		if (rc < 0)
			break;
	}
	etl_textjson_release(&rec);
	etl_lines_free(in);
	return rc;
}
