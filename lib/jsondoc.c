#include <ctype.h>

#include "jsondoc.h"
#include "ndjson.h"
#include "path.h"
#include "strbuf.h"

#define INBUF ((size_t)64 << 10)
#define MAX_DEPTH 512
#define MAX_PROBE_INDEX 10000

/* An open container outside the records. */
struct jframe {
	char type;		/* '{' or '[' */
	int records;		/* the records array */
	int want_key;
	long long index;
	char *key;		/* the member being read (objects) */
};

struct etl_jsondoc {
	etl_read_fn read;
	void *ctx;
	char *source;
	struct etl_path *path;
	int lines;
	size_t max;
	char *in;
	size_t inpos, inlen;
	int eof, started, failed, done;
	long long line;
	/* Outside the records: the skeleton of the document. */
	struct etl_buf skel;
	struct jframe stack[MAX_DEPTH];
	int sp;
	int s_str, s_esc, s_key;
	struct etl_buf key;
	int found_here;
	/* Inside one element of the records (or a whole document). */
	int in_elem;
	struct etl_buf elem;
	char e_first;
	int e_depth, e_str, e_esc, e_toolong, e_top;
	long long e_line;
	/* What the caller sees. */
	json_t *rest;
	int found;
	json_t *pending;	/* records found at the end of a document */
	size_t pending_i;
	long long rec_line;
	const char *raw;
	size_t rawlen;
	struct etl_buf line_buf;
};

struct etl_jsondoc *
etl_jsondoc_new(etl_read_fn read, void *ctx, const char *source,
    const struct etl_jsondoc_opts *opts, struct etl_error *err)
{
	struct etl_jsondoc *d = calloc(1, sizeof(*d));

	if (d == NULL || (d->source = strdup(source)) == NULL ||
	    (d->in = malloc(INBUF)) == NULL) {
		etl_jsondoc_free(d);
		etl_error_set(err, ETL_EINTERNAL, "out of memory");
		return NULL;
	}
	d->read = read;
	d->ctx = ctx;
	d->lines = opts ? opts->lines : 0;
	d->max = opts && opts->max_record ? opts->max_record :
	    ETL_DEFAULT_MAX_LINE;
	d->line = 1;
	d->raw = "";
	etl_buf_init(&d->skel);
	etl_buf_init(&d->key);
	etl_buf_init(&d->elem);
	etl_buf_init(&d->line_buf);
	if (opts != NULL && opts->records != NULL && !d->lines) {
		d->path = etl_path_new(opts->records, err);
		if (d->path == NULL) {
			etl_jsondoc_free(d);
			return NULL;
		}
	}
	return d;
}

static void
clear_stack(struct etl_jsondoc *d)
{
	while (d->sp > 0)
		free(d->stack[--d->sp].key);
}

void
etl_jsondoc_free(struct etl_jsondoc *d)
{
	if (d == NULL)
		return;
	clear_stack(d);
	etl_path_free(d->path);
	etl_buf_release(&d->skel);
	etl_buf_release(&d->key);
	etl_buf_release(&d->elem);
	etl_buf_release(&d->line_buf);
	json_decref(d->rest);
	json_decref(d->pending);
	free(d->in);
	free(d->source);
	free(d);
}

static int
oom(struct etl_error *err)
{
	return etl_error_set(err, ETL_EINTERNAL, "out of memory");
}

static int
fatal(struct etl_jsondoc *d, struct etl_error *err, long long line,
    const char *what)
{
	d->failed = 1;
	etl_error_at(err, ETL_EDATA, d->source, line, NULL, "%s", what);
	etl_error_rule(err, "json");
	return -ETL_EDATA;
}

static int
fill(struct etl_jsondoc *d, struct etl_error *err)
{
	long k;

	d->inpos = d->inlen = 0;
	do {
		k = d->read(d->ctx, d->in + d->inlen, INBUF - d->inlen, err);
		if (k < 0)
			return (int)k;
		if (k == 0)
			d->eof = 1;
		d->inlen += (size_t)k;
	} while (!d->started && !d->eof && d->inlen < 3);
	if (!d->started) {
		d->started = 1;
		if (d->inlen >= 3 && memcmp(d->in, "\xef\xbb\xbf", 3) == 0)
			d->inpos = 3;
	}
	return 0;
}

static const char *
type_phrase(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_NULL:
		return "null";
	default:
		return "a boolean";
	}
}

static int
bad_record(struct etl_jsondoc *d, struct etl_error *err, long long line,
    const char *rule, const char *what)
{
	etl_error_at(err, ETL_EDATA, d->source, line, NULL, "%s", what);
	etl_error_rule(err, rule);
	return -ETL_EDATA;
}

/* ---- NDJSON ---- */

static int
lines_next(struct etl_jsondoc *d, json_t **rec, struct etl_error *err)
{
	int rc, toolong = 0;

	for (;;) {
		const char *s, *nl;
		size_t n;

		etl_buf_reset(&d->line_buf);
		toolong = 0;
		d->rec_line = d->line;
		for (;;) {
			if (d->inpos == d->inlen) {
				if (d->eof)
					break;
				if ((rc = fill(d, err)) < 0)
					return rc;
				continue;
			}
			s = d->in + d->inpos;
			nl = memchr(s, '\n', d->inlen - d->inpos);
			n = nl ? (size_t)(nl - s) : d->inlen - d->inpos;
			if (!toolong && d->line_buf.len + n > d->max)
				toolong = 1;
			if (!toolong && etl_buf_append(&d->line_buf, s, n) < 0)
				return oom(err);
			d->inpos += n + (nl != NULL);
			if (nl != NULL) {
				d->line++;
				break;
			}
		}
		if (d->eof && d->inpos == d->inlen && d->line_buf.len == 0 &&
		    d->rec_line == d->line)
			return 0;
		s = d->line_buf.data ? d->line_buf.data : "";
		n = d->line_buf.len;
		if (n > 0 && s[n - 1] == '\r')
			n--;
		d->raw = s;
		d->rawlen = n;
		if (toolong) {
			d->rawlen = 0;
			return bad_record(d, err, d->rec_line, "max-line",
			    "line longer than --max-line");
		}
		while (n > 0 && (*s == ' ' || *s == '\t')) {
			s++;
			n--;
		}
		if (n == 0)
			continue;
		rc = etl_ndjson_parse(s, n, d->source, d->rec_line, rec, err);
		return rc < 0 ? rc : 1;
	}
}

/* ---- documents ---- */

/* Whether an array opened now, inside the open containers, is the one
 * the path names: build the same nesting around a marker and look. */
static int
is_records_here(struct etl_jsondoc *d)
{
	json_t *marker = json_array(), *inner = json_incref(marker), *c;
	int match = 0;

	if (marker == NULL)
		return 0;
	for (int i = d->sp - 1; i >= 0 && inner != NULL; i--) {
		struct jframe *f = &d->stack[i];

		if (f->type == '{') {
			c = json_object();
			if (f->key == NULL || c == NULL) {
				json_decref(inner);
				json_decref(c);
				inner = NULL;
				break;
			}
			/* set_new takes inner even when it fails. */
			if (json_object_set_new(c, f->key, inner) < 0) {
				json_decref(c);
				inner = NULL;
				break;
			}
		} else {
			c = json_array();
			if (c == NULL || f->index > MAX_PROBE_INDEX) {
				json_decref(c);
				json_decref(inner);
				inner = NULL;
				break;
			}
			for (long long k = 0; k < f->index; k++)
				json_array_append_new(c, json_null());
			json_array_append_new(c, inner);
		}
		inner = c;
	}
	if (inner != NULL) {
		match = etl_path_get(d->path, inner) == marker;
		json_decref(inner);
	}
	json_decref(marker);
	return match;
}

static int
push(struct etl_jsondoc *d, char type, int records)
{
	struct jframe *f;

	if (d->sp == MAX_DEPTH)
		return -1;
	f = &d->stack[d->sp++];
	f->type = type;
	f->records = records;
	f->want_key = type == '{';
	f->index = 0;
	f->key = NULL;
	return 0;
}

static void
start_elem(struct etl_jsondoc *d, int top)
{
	d->in_elem = 1;
	etl_buf_reset(&d->elem);
	d->e_first = 0;
	d->e_depth = d->e_str = d->e_esc = d->e_toolong = 0;
	d->e_top = top;
	d->e_line = d->line;
}

/* The document at the top level is complete: keep its rest, and take a
 * records object or array found only now. */
static int
doc_done(struct etl_jsondoc *d, struct etl_error *err)
{
	json_error_t jerr;
	json_t *v, *at;

	v = json_loadb(d->skel.data ? d->skel.data : "", d->skel.len,
	    JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
	etl_buf_reset(&d->skel);
	if (v == NULL) {
		char msg[300];

		snprintf(msg, sizeof(msg), "invalid JSON: %s", jerr.text);
		return fatal(d, err, d->line, msg);
	}
	json_decref(d->rest);
	d->rest = v;
	if (d->path == NULL || d->found_here)
		return 0;
	at = etl_path_get(d->path, v);
	if (at == NULL || json_is_null(at))
		return 0;
	d->found = 1;
	json_decref(d->pending);
	d->pending_i = 0;
	if (json_is_object(at)) {
		d->pending = json_pack("[O]", at);
	} else if (json_is_array(at)) {
		d->pending = json_incref(at);
	} else {
		d->pending = NULL;
		return bad_record(d, err, d->line, "records",
		    "the records path holds a scalar, not an array");
	}
	return d->pending ? 0 : oom(err);
}

static int
elem_done(struct etl_jsondoc *d, json_t **rec, struct etl_error *err)
{
	json_error_t jerr;
	json_t *v;
	char msg[300];

	d->in_elem = 0;
	d->rec_line = d->e_line;
	d->raw = d->elem.data ? d->elem.data : "";
	d->rawlen = d->elem.len;
	if (d->e_top) {
		json_decref(d->rest);
		d->rest = NULL;
	}
	if (d->e_toolong) {
		d->rawlen = 0;
		return bad_record(d, err, d->e_line, "max-line",
		    "record larger than --max-line");
	}
	v = json_loadb(d->raw, d->rawlen, JSON_DECODE_ANY | JSON_ALLOW_NUL,
	    &jerr);
	if (v == NULL) {
		snprintf(msg, sizeof(msg), "invalid JSON: %s", jerr.text);
		return bad_record(d, err, d->e_line + jerr.line - 1, "json",
		    msg);
	}
	if (!json_is_object(v)) {
		snprintf(msg, sizeof(msg), "not a JSON object (%s)",
		    type_phrase(v));
		json_decref(v);
		return bad_record(d, err, d->e_line, "json", msg);
	}
	if (d->e_top)
		d->rest = json_incref(v);
	*rec = v;
	return 1;
}

static int
skel_put(struct etl_jsondoc *d, char ch, struct etl_error *err)
{
	if (d->skel.len >= d->max)
		return fatal(d, err, d->line, "the document outside its "
		    "records is larger than --max-line");
	return etl_buf_putc(&d->skel, ch) < 0 ? oom(err) : 0;
}

static int
end_key(struct etl_jsondoc *d, struct etl_error *err)
{
	struct jframe *f = &d->stack[d->sp - 1];
	json_t *k = json_loadb(d->key.data, d->key.len,
	    JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);

	d->s_key = 0;
	free(f->key);
	f->key = NULL;
	if (json_is_string(k) && (f->key = strdup(json_string_value(k))) ==
	    NULL) {
		json_decref(k);
		return oom(err);
	}
	json_decref(k);
	return 0;
}

/*
 * One byte of an element.  Returns 1 when the element ended (the byte
 * taken, or with *again set: the byte ends a bare scalar and belongs to
 * what follows), 0 to go on, <0 on error.
 */
static int
elem_byte(struct etl_jsondoc *d, char ch, int *again, struct etl_error *err)
{
	if (d->e_first == 0) {
		d->e_first = ch;
		d->e_line = d->line;
	} else if (!d->e_str && d->e_first != '{' && d->e_first != '[' &&
	    d->e_first != '"' && (isspace((unsigned char)ch) || ch == ',' ||
	    ch == ']' || ch == '}')) {
		*again = 1;
		return 1;
	}
	if (!d->e_toolong) {
		if (d->elem.len >= d->max)
			d->e_toolong = 1;
		else if (etl_buf_putc(&d->elem, ch) < 0)
			return oom(err);
	}
	if (d->e_str) {
		if (d->e_esc)
			d->e_esc = 0;
		else if (ch == '\\')
			d->e_esc = 1;
		else if (ch == '"') {
			d->e_str = 0;
			if (d->e_first == '"' && d->e_depth == 0)
				return 1;
		}
		return 0;
	}
	if (ch == '"')
		d->e_str = 1;
	else if (ch == '{' || ch == '[')
		d->e_depth++;
	else if ((ch == '}' || ch == ']') && --d->e_depth <= 0)
		return 1;
	return 0;
}

/* One byte outside the records: 1 when it started an element (the byte
 * must go to it), 0 to go on, <0 on error. */
static int
skel_byte(struct etl_jsondoc *d, char ch, struct etl_error *err)
{
	struct jframe *top = d->sp > 0 ? &d->stack[d->sp - 1] : NULL;
	int rc;

	if (d->s_str) {
		if ((rc = skel_put(d, ch, err)) < 0)
			return rc;
		if (d->s_key && etl_buf_putc(&d->key, ch) < 0)
			return oom(err);
		if (d->s_esc) {
			d->s_esc = 0;
		} else if (ch == '\\') {
			d->s_esc = 1;
		} else if (ch == '"') {
			d->s_str = 0;
			if (d->s_key)
				return end_key(d, err);
		}
		return 0;
	}
	if (isspace((unsigned char)ch))
		return 0;
	if (top == NULL) {
		d->found_here = 0;
		if (ch == '[' && d->path == NULL) {
			if (push(d, '[', 1) < 0)
				return fatal(d, err, d->line, "nested too "
				    "deeply");
			return skel_put(d, ch, err);
		}
		if (ch != '{' || d->path == NULL) {
			start_elem(d, 1);
			return 1;
		}
	} else if (top->records) {
		if (ch == ',')
			return 0;
		if (ch != ']') {
			start_elem(d, 0);
			return 1;
		}
	}
	switch (ch) {
	case '{':
	case '[':
		rc = ch == '[' && d->path != NULL && is_records_here(d);
		if (rc)
			d->found = d->found_here = 1;
		if (push(d, ch, rc) < 0)
			return fatal(d, err, d->line, "nested too deeply");
		return skel_put(d, ch, err);
	case '}':
	case ']':
		if (top == NULL || top->type != (ch == '}' ? '{' : '['))
			return fatal(d, err, d->line, "invalid JSON: "
			    "unbalanced brackets");
		free(top->key);
		d->sp--;
		if ((rc = skel_put(d, ch, err)) < 0)
			return rc;
		return d->sp == 0 ? doc_done(d, err) : 0;
	case ':':
		top->want_key = 0;
		return skel_put(d, ch, err);
	case ',':
		if (top->type == '{')
			top->want_key = 1;
		else
			top->index++;
		return skel_put(d, ch, err);
	case '"':
		d->s_str = 1;
		if (top->type == '{' && top->want_key) {
			d->s_key = 1;
			etl_buf_reset(&d->key);
			if (etl_buf_putc(&d->key, ch) < 0)
				return oom(err);
		}
		return skel_put(d, ch, err);
	default:
		return skel_put(d, ch, err);
	}
}

static int
doc_next(struct etl_jsondoc *d, json_t **rec, struct etl_error *err)
{
	int rc;

	for (;;) {
		char ch;
		int again = 0;

		if (d->pending != NULL) {
			if (d->pending_i < json_array_size(d->pending)) {
				json_t *v = json_array_get(d->pending,
				    d->pending_i++);

				d->rec_line = d->line;
				if (!json_is_object(v)) {
					char msg[64];

					snprintf(msg, sizeof(msg), "not a "
					    "JSON object (%s)", type_phrase(v));
					return bad_record(d, err, d->line,
					    "json", msg);
				}
				*rec = json_incref(v);
				return 1;
			}
			json_decref(d->pending);
			d->pending = NULL;
		}
		if (d->inpos == d->inlen) {
			if (d->eof) {
				if (d->in_elem && !d->e_str &&
				    d->e_first != '{' && d->e_first != '[' &&
				    d->e_first != '"')
					return elem_done(d, rec, err);
				if (d->in_elem || d->sp > 0 || d->s_str)
					return fatal(d, err, d->line, "invalid "
					    "JSON: the document ends early");
				d->done = 1;
				return 0;
			}
			if ((rc = fill(d, err)) < 0)
				return rc;
			continue;
		}
		ch = d->in[d->inpos];
		if (d->in_elem) {
			rc = elem_byte(d, ch, &again, err);
			if (rc < 0)
				return rc;
			if (!again) {
				d->inpos++;
				if (ch == '\n')
					d->line++;
			}
			if (rc == 1)
				return elem_done(d, rec, err);
			continue;
		}
		rc = skel_byte(d, ch, err);
		if (rc < 0)
			return rc;
		if (rc == 1)
			continue;	/* the element takes this byte */
		d->inpos++;
		if (ch == '\n')
			d->line++;
	}
}

int
etl_jsondoc_next(struct etl_jsondoc *d, json_t **rec, struct etl_error *err)
{
	*rec = NULL;
	d->raw = "";
	d->rawlen = 0;
	if (d->failed)
		return 0;
	if (d->done)
		return 0;
	if (d->lines)
		return lines_next(d, rec, err);
	return doc_next(d, rec, err);
}

const char *
etl_jsondoc_raw(const struct etl_jsondoc *d, size_t *len)
{
	*len = d->rawlen;
	return d->raw;
}

long long
etl_jsondoc_lineno(const struct etl_jsondoc *d)
{
	return d->rec_line;
}

int
etl_jsondoc_failed(const struct etl_jsondoc *d)
{
	return d->failed;
}

json_t *
etl_jsondoc_rest(const struct etl_jsondoc *d)
{
	return d->rest;
}

int
etl_jsondoc_found(const struct etl_jsondoc *d)
{
	return d->found;
}
