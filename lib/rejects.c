#include "jsonw.h"
#include "log.h"
#include "out.h"
#include "redact.h"
#include "rejects.h"
#include "strbuf.h"

struct etl_rejects {
	struct etl_out *out;
	long long max_errors;
	long long count;
	struct etl_buf line;
};

struct etl_rejects *
etl_rejects_new(const char *path, long long max_errors, struct etl_error *err)
{
	struct etl_rejects *rj = calloc(1, sizeof(*rj));

	if (rj == NULL) {
		etl_error_set(err, ETL_EINTERNAL, "out of memory");
		return NULL;
	}
	rj->max_errors = max_errors;
	etl_buf_init(&rj->line);
	if (path != NULL) {
		rj->out = etl_out_new(path, 1, err);
		if (rj->out == NULL) {
			free(rj);
			return NULL;
		}
	}
	return rj;
}

static int
put_key(struct etl_buf *b, const char *key, int first)
{
	if (!first && etl_buf_putc(b, ',') < 0)
		return -1;
	if (etl_json_dump_string(b, key, strlen(key)) < 0)
		return -1;
	return etl_buf_putc(b, ':');
}

static int
put_str_or_null(struct etl_buf *b, const char *s)
{
	if (s == NULL || *s == '\0')
		return etl_buf_puts(b, "null");
	return etl_json_dump_string(b, s, strlen(s));
}

/* The input name and the message may carry a URL with a password. */
static int
put_redacted(struct etl_buf *b, const char *s)
{
	char *clean;
	int rc;

	if (s == NULL || *s == '\0')
		return etl_buf_puts(b, "null");
	if ((clean = etl_redact(s)) == NULL)
		return -1;
	rc = etl_json_dump_string(b, clean, strlen(clean));
	free(clean);
	return rc;
}

/* The record is record, or else the JSON text json (when not NULL), or
 * else the line raw as a string. */
static int
format_letter(struct etl_buf *b, const struct etl_error *why,
    const json_t *record, const char *json, const char *raw, size_t rawlen)
{
	int rc = 0;

	etl_buf_reset(b);
	rc |= etl_buf_puts(b, "{\"error\":{");
	rc |= put_key(b, "tool", 1);
	rc |= put_str_or_null(b, etl_log_tool());
	rc |= put_key(b, "input", 0);
	rc |= put_redacted(b, why->source);
	rc |= put_key(b, "line", 0);
	if (why->line > 0)
		rc |= etl_buf_printf(b, "%lld", why->line);
	else
		rc |= etl_buf_puts(b, "null");
	rc |= put_key(b, "field", 0);
	rc |= put_str_or_null(b, why->field);
	rc |= put_key(b, "rule", 0);
	rc |= put_str_or_null(b, why->rule);
	rc |= put_key(b, "message", 0);
	rc |= put_redacted(b, why->message);
	rc |= etl_buf_puts(b, "},");
	if (record != NULL) {
		rc |= put_key(b, "record", 1);
		rc |= etl_json_dump(b, record);
	} else if (json != NULL) {
		rc |= put_key(b, "record", 1);
		rc |= etl_buf_append(b, json, rawlen);
	} else {
		rc |= put_key(b, "raw", 1);
		rc |= etl_json_dump_string(b, raw ? raw : "", raw ? rawlen : 0);
	}
	rc |= etl_buf_puts(b, "}\n");
	return rc ? -1 : 0;
}

static int
add_letter(struct etl_rejects *rj, const struct etl_error *why,
    const json_t *record, const char *json, const char *raw, size_t rawlen,
    struct etl_error *err)
{
	int rc;

	if (rj->out == NULL) {
		if (err != why)
			*err = *why;
		return -(int)why->kind;
	}
	if (format_letter(&rj->line, why, record, json, raw, rawlen) < 0)
		return etl_error_set(err, ETL_EINTERNAL, "out of memory");
	rc = etl_out_write(rj->out, rj->line.data, rj->line.len, err);
	if (rc < 0)
		return rc == -ETL_EPIPE ? etl_error_set(err, ETL_EIO,
		    "%s", err->message) : rc;
	rj->count++;
	if (rj->max_errors >= 0 && rj->count > rj->max_errors) {
		char first[1024];

		etl_error_format(why, first, sizeof(first));
		return etl_error_set(err, ETL_EDATA, "more than %lld records "
		    "rejected (--max-errors), the last: %s", rj->max_errors,
		    first);
	}
	return 0;
}

int
etl_rejects_add(struct etl_rejects *rj, const struct etl_error *why,
    const json_t *record, const char *raw, size_t rawlen,
    struct etl_error *err)
{
	return add_letter(rj, why, record, NULL, raw, rawlen, err);
}

int
etl_rejects_add_text(struct etl_rejects *rj, const struct etl_error *why,
    const char *json, size_t len, struct etl_error *err)
{
	return add_letter(rj, why, NULL, json, NULL, len, err);
}

long long
etl_rejects_count(const struct etl_rejects *rj)
{
	return rj ? rj->count : 0;
}

int
etl_rejects_close(struct etl_rejects *rj, struct etl_error *err)
{
	int rc;

	if (rj == NULL)
		return 0;
	rc = etl_out_close(rj->out, err);
	etl_buf_release(&rj->line);
	free(rj);
	return rc;
}
