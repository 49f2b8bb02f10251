/*
 * etl-extract, shared between its files: the options, the output side
 * (records, dead letters, --add-meta) and reading one stream of records
 * in a format.
 */
#ifndef EXTRACT_H
#define EXTRACT_H

#include <jansson.h>
#include <stdint.h>

#include "db.h"
#include "encoding.h"
#include "out.h"
#include "rejects.h"
#include "timeval.h"
#include "tool.h"

enum format { FMT_AUTO = 0, FMT_CSV, FMT_JSON, FMT_NDJSON, FMT_XML };

#define MAX_LIST 64

struct extract_opts {
	const char *source;		/* "http", "file" or "sql" */
	const char *target;		/* URL, PATH or DB */
	enum format format;
	const char *records;
	const char *arrays[MAX_LIST];
	size_t narrays;
	char delimiter;
	const char *encoding;
	int add_meta;
	const char *since;
	/* http */
	const char *headers[MAX_LIST];
	size_t nheaders;
	const char *method;
	const char *data;
	const char *data_file;
	int64_t timeout_ms;
	int64_t connect_timeout_ms;
	const char *user_agent;
	long long retries;
	int64_t backoff_ms;
	int64_t max_backoff_ms;
	double rate;
	long long max_redirs;
	const char *paginate;
	long long max_pages;
	/* sql */
	const char *query;
	const char *params[MAX_LIST];
	size_t nparams;
	struct etl_db_opts dbopts;
};

/* Where records go. */
struct emitter {
	struct etl_tool *t;
	const struct extract_opts *o;
	struct etl_out *out;
	struct etl_rejects *rj;
	long long *nrec;
	long long *nrej;
	char extracted_at[ETL_TIME_BUFSZ];
};

int emit_open(struct emitter *e, struct etl_tool *t,
    const struct extract_opts *o);
/* One record (reference stolen), source for _source. */
int emit_record(struct emitter *e, json_t *rec, const char *source);
/* A bad record; <0 when the tool must stop (t->err set). */
int emit_reject(struct emitter *e, const struct etl_error *why,
    const char *raw, size_t rawlen);
/* Close outputs; returns rc, or the close's error when rc was 0. */
int emit_close(struct emitter *e, int rc);

/* What one stream held. */
struct stream_result {
	long long records;	/* good and bad */
	json_t *rest;		/* JSON: the document less its records */
	int found;		/* JSON: --records was there */
};

/*
 * Read the records of one stream in format fmt (FMT_AUTO: by its first
 * byte), decoding --encoding, into e.  res->rest is a new reference.
 */
int read_stream(struct emitter *e, enum format fmt, etl_read_fn read,
    void *ctx, const char *source, struct stream_result *res);

enum format format_from_name(const char *name);
const char *format_name(enum format f);

int run_file(struct etl_tool *t, const struct extract_opts *o);
int run_http(struct etl_tool *t, const struct extract_opts *o);
int run_sql(struct etl_tool *t, const struct extract_opts *o);

#endif
