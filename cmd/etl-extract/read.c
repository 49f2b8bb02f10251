/* The output side of etl-extract and reading one stream in a format. */
#include <ctype.h>
#include <strings.h>

#include "csv.h"
#include "extract.h"
#include "jsondoc.h"
#include "log.h"
#include "signals.h"
#include "xml.h"

int
emit_open(struct emitter *e, struct etl_tool *t, const struct extract_opts *o)
{
	struct etl_instant now = etl_time_now();

	memset(e, 0, sizeof(*e));
	e->t = t;
	e->o = o;
	now.nsec = 0;
	etl_time_format(&now, e->extracted_at);
	e->rj = etl_rejects_new(t->errors_path, t->max_errors, &t->err);
	if (e->rj == NULL)
		return -(int)t->err.kind;
	e->out = etl_out_new(NULL, 0, &t->err);
	if (e->out == NULL) {
		etl_rejects_close(e->rj, NULL);
		e->rj = NULL;
		return -(int)t->err.kind;
	}
	return 0;
}

int
emit_record(struct emitter *e, json_t *rec, const char *source)
{
	int rc;

	if (e->o->add_meta && (json_object_set_new(rec, "_source",
	    json_string(source)) < 0 || json_object_set_new(rec,
	    "_extracted_at", json_string(e->extracted_at)) < 0)) {
		json_decref(rec);
		return etl_error_set(&e->t->err, ETL_EINTERNAL,
		    "out of memory");
	}
	rc = etl_out_record(e->out, rec, &e->t->err);
	json_decref(rec);
	if (rc < 0)
		return rc;
	(*e->nrec)++;
	etl_progress_update(*e->nrec, "records");
	return 0;
}

int
emit_reject(struct emitter *e, const struct etl_error *why, const char *raw,
    size_t rawlen)
{
	(*e->nrej)++;
	return etl_rejects_add(e->rj, why, NULL, raw, rawlen, &e->t->err);
}

int
emit_close(struct emitter *e, int rc)
{
	struct etl_error *err = &e->t->err;
	int rc2;

	if (rc < 0) {
		etl_out_close(e->out, NULL);
		etl_rejects_close(e->rj, NULL);
		return rc;
	}
	rc2 = etl_out_close(e->out, err);
	rc = etl_rejects_close(e->rj, rc2 < 0 ? NULL : err);
	return rc2 < 0 ? rc2 : rc;
}

static const struct {
	const char *name;
	enum format f;
} formats[] = {
	{ "csv", FMT_CSV },
	{ "json", FMT_JSON },
	{ "ndjson", FMT_NDJSON },
	{ "jsonl", FMT_NDJSON },
	{ "xml", FMT_XML },
};

enum format
format_from_name(const char *name)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (strcasecmp(name, formats[i].name) == 0)
			return formats[i].f;
	return FMT_AUTO;
}

const char *
format_name(enum format f)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (formats[i].f == f)
			return formats[i].name;
	return "auto";
}

/* A source that shows its first bytes before handing them on. */
struct peek {
	etl_read_fn read;
	void *ctx;
	char buf[4096];
	size_t len, pos;
};

static long
peek_read(void *ctx, char *buf, size_t n, struct etl_error *err)
{
	struct peek *p = ctx;
	size_t k = p->len - p->pos;

	if (k == 0)
		return p->read(p->ctx, buf, n, err);
	if (k > n)
		k = n;
	memcpy(buf, p->buf + p->pos, k);
	p->pos += k;
	return (long)k;
}

/* Guess from the first byte that is not blank (nor a BOM). */
static int
sniff(struct peek *p, enum format *f, struct etl_error *err)
{
	long k;
	size_t i = 0;

	while (p->len < sizeof(p->buf)) {
		k = p->read(p->ctx, p->buf + p->len, sizeof(p->buf) - p->len,
		    err);
		if (k < 0)
			return (int)k;
		if (k == 0)
			break;
		p->len += (size_t)k;
		if (p->len >= 64)
			break;
	}
	if (p->len >= 3 && memcmp(p->buf, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < p->len && isspace((unsigned char)p->buf[i]))
		i++;
	if (i < p->len && p->buf[i] == '<')
		*f = FMT_XML;
	else if (i < p->len && (p->buf[i] == '{' || p->buf[i] == '['))
		*f = FMT_JSON;
	else
		*f = FMT_CSV;
	return 0;
}

/* One reader of any format. */
struct reader {
	enum format f;
	struct etl_csv *csv;
	struct etl_xml *xml;
	struct etl_jsondoc *doc;
};

static int
reader_next(struct reader *r, json_t **rec, struct etl_error *err)
{
	if (r->csv != NULL)
		return etl_csv_next(r->csv, rec, err);
	if (r->xml != NULL)
		return etl_xml_next(r->xml, rec, err);
	return etl_jsondoc_next(r->doc, rec, err);
}

static int
reader_failed(const struct reader *r)
{
	if (r->csv != NULL)
		return etl_csv_failed(r->csv);
	if (r->xml != NULL)
		return etl_xml_failed(r->xml);
	return etl_jsondoc_failed(r->doc);
}

static const char *
reader_raw(const struct reader *r, size_t *len)
{
	if (r->csv != NULL)
		return etl_csv_raw(r->csv, len);
	if (r->doc != NULL)
		return etl_jsondoc_raw(r->doc, len);
	*len = 0;
	return "";
}

int
read_stream(struct emitter *e, enum format fmt, etl_read_fn read, void *ctx,
    const char *source, struct stream_result *res)
{
	const struct extract_opts *o = e->o;
	struct etl_tool *t = e->t;
	struct etl_encoding *enc = NULL;
	struct peek *pk = NULL;
	struct reader r;
	int rc = 0;

	memset(&r, 0, sizeof(r));
	memset(res, 0, sizeof(*res));
	if (o->encoding != NULL && fmt != FMT_XML) {
		enc = etl_encoding_new(o->encoding, read, ctx, source, &t->err);
		if (enc == NULL)
			return -(int)t->err.kind;
		read = etl_encoding_read;
		ctx = enc;
	}
	if (fmt == FMT_AUTO) {
		if ((pk = calloc(1, sizeof(*pk))) == NULL) {
			rc = etl_error_set(&t->err, ETL_EINTERNAL,
			    "out of memory");
			goto out;
		}
		pk->read = read;
		pk->ctx = ctx;
		if ((rc = sniff(pk, &fmt, &t->err)) < 0)
			goto out;
		etl_log(ETL_LOG_DEBUG, "%s: reading as %s", source,
		    format_name(fmt));
		read = peek_read;
		ctx = pk;
		if (fmt == FMT_XML && o->encoding != NULL) {
			rc = etl_error_set(&t->err, ETL_EUSAGE, "%s: XML with "
			    "--encoding needs --format xml", source);
			goto out;
		}
	}
	if (fmt == FMT_CSV) {
		struct etl_csv_opts co = { o->delimiter, t->max_line };

		r.csv = etl_csv_new(read, ctx, source, &co, &t->err);
	} else if (fmt == FMT_XML) {
		struct etl_xml_opts xo = { o->records, o->arrays, o->narrays,
		    o->encoding, t->max_line };

		r.xml = etl_xml_new(read, ctx, source, &xo, &t->err);
	} else {
		struct etl_jsondoc_opts jo = { o->records, fmt == FMT_NDJSON,
		    t->max_line };

		r.doc = etl_jsondoc_new(read, ctx, source, &jo, &t->err);
	}
	if (r.csv == NULL && r.xml == NULL && r.doc == NULL) {
		rc = -(int)t->err.kind;
		goto out;
	}
	for (;;) {
		struct etl_error why;
		json_t *rec = NULL;
		const char *raw;
		size_t rawlen;

		etl_error_init(&why);
		rc = reader_next(&r, &rec, &why);
		if (rc == 0)
			break;
		if (rc == 1) {
			res->records++;
			if ((rc = emit_record(e, rec, source)) < 0)
				goto out;
			continue;
		}
		if (rc != -ETL_EDATA || reader_failed(&r)) {
			t->err = why;
			goto out;
		}
		res->records++;
		raw = reader_raw(&r, &rawlen);
		if ((rc = emit_reject(e, &why, raw, rawlen)) < 0)
			goto out;
		if ((rc = etl_signal_check(&t->err)) < 0)
			goto out;
	}
	if (r.doc != NULL) {
		res->found = etl_jsondoc_found(r.doc);
		res->rest = json_incref(etl_jsondoc_rest(r.doc));
	}
out:
	etl_csv_free(r.csv);
	etl_xml_free(r.xml);
	etl_jsondoc_free(r.doc);
	free(pk);
	etl_encoding_free(enc);
	return rc;
}
