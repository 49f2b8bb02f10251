#include <ctype.h>
#include <limits.h>
#include <libxml/entities.h>
#include <libxml/xmlreader.h>

#include "ndjson.h"
#include "strbuf.h"
#include "xml.h"

#define MAX_DEPTH 300

/* An element being built inside a record. */
struct frame {
	json_t *attrs;		/* attribute name -> string */
	json_t *children;	/* child name -> value or array of values */
	struct etl_buf text;
	char *name;
};

struct etl_xml {
	xmlTextReaderPtr reader;
	etl_read_fn read;
	void *ctx;
	char *source;
	/* --records as names; anchored when it began with '/'. */
	char **want;
	int nwant;
	int anchored;
	char **arrays;
	size_t narrays;
	size_t max_record;
	/* Names of the open elements outside a record. */
	char *names[MAX_DEPTH];
	int depth;
	/* The record being built. */
	struct frame frames[MAX_DEPTH];
	int nframes;
	size_t recbytes;
	int toolong;
	long long rec_line;
	int failed;
	int done;
	/* What went wrong, from the read callback or libxml2. */
	struct etl_error ioerr;
	int io_failed;
	char xmlmsg[256];
	long long xmlline;
};

static int
io_read(void *ctx, char *buf, int len)
{
	struct etl_xml *x = ctx;
	long k;

	if (len <= 0)
		return 0;
	k = x->read(x->ctx, buf, (size_t)len, &x->ioerr);
	if (k < 0) {
		x->io_failed = 1;
		return -1;
	}
	return (int)k;
}

static void
on_error(void *ctx, xmlErrorPtr e)
{
	struct etl_xml *x = ctx;
	size_t n;

	if (e == NULL || e->level < XML_ERR_ERROR || x->xmlmsg[0] != '\0')
		return;
	etl_strlcpy(x->xmlmsg, e->message ? e->message : "parse error",
	    sizeof(x->xmlmsg));
	n = strlen(x->xmlmsg);
	while (n > 0 && isspace((unsigned char)x->xmlmsg[n - 1]))
		x->xmlmsg[--n] = '\0';
	x->xmlline = e->line;
}

static void
silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static int
split_path(struct etl_xml *x, const char *path, struct etl_error *err)
{
	const char *p = path;

	if (*p == '/') {
		x->anchored = 1;
		p++;
	}
	x->want = calloc(strlen(p) / 2 + 2, sizeof(*x->want));
	if (x->want == NULL)
		return etl_error_set(err, ETL_EINTERNAL, "out of memory");
	while (*p != '\0') {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		if (n == 0 || strpbrk(p, " \t<>\"'=") == p)
			break;
		if ((x->want[x->nwant] = strndup(p, n)) == NULL)
			return etl_error_set(err, ETL_EINTERNAL,
			    "out of memory");
		x->nwant++;
		p += n;
		if (*p == '/' && *++p == '\0')
			break;
	}
	if (*p != '\0' || x->nwant == 0)
		return etl_error_set(err, ETL_ECONFIG, "--records '%s': "
		    "expected an element name or a path like a/b", path);
	return 0;
}

struct etl_xml *
etl_xml_new(etl_read_fn read, void *ctx, const char *source,
    const struct etl_xml_opts *opts, struct etl_error *err)
{
	struct etl_xml *x = calloc(1, sizeof(*x));

	if (x == NULL || (x->source = strdup(source)) == NULL)
		goto oom;
	x->read = read;
	x->ctx = ctx;
	x->max_record = opts && opts->max_record ? opts->max_record :
	    ETL_DEFAULT_MAX_LINE;
	etl_error_init(&x->ioerr);
	if (opts != NULL && opts->records != NULL &&
	    split_path(x, opts->records, err) < 0)
		goto fail;
	if (opts != NULL && opts->narrays > 0) {
		x->arrays = calloc(opts->narrays, sizeof(*x->arrays));
		if (x->arrays == NULL)
			goto oom;
		for (size_t i = 0; i < opts->narrays; i++) {
			if ((x->arrays[i] = strdup(opts->arrays[i])) == NULL)
				goto oom;
			x->narrays = i + 1;
		}
	}
	/* libxml2 reports through our handler, never on stderr. */
	xmlSetGenericErrorFunc(NULL, silent);
	x->reader = xmlReaderForIO(io_read, NULL, x, NULL,
	    opts ? opts->encoding : NULL,
	    XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOWARNING |
	    XML_PARSE_COMPACT);
	if (x->reader == NULL) {
		if (x->io_failed) {
			*err = x->ioerr;
			goto fail;
		}
		etl_error_at(err, ETL_EDATA, source, 0, NULL,
		    "cannot read as XML%s%s", opts && opts->encoding ?
		    " in " : "", opts && opts->encoding ? opts->encoding : "");
		goto fail;
	}
	xmlTextReaderSetStructuredErrorHandler(x->reader, on_error, x);
	return x;
oom:
	etl_error_set(err, ETL_EINTERNAL, "out of memory");
fail:
	etl_xml_free(x);
	return NULL;
}

static void
frame_release(struct frame *f)
{
	json_decref(f->attrs);
	json_decref(f->children);
	etl_buf_release(&f->text);
	free(f->name);
	memset(f, 0, sizeof(*f));
}

void
etl_xml_free(struct etl_xml *x)
{
	if (x == NULL)
		return;
	if (x->reader != NULL)
		xmlFreeTextReader(x->reader);
	for (int i = 0; i < x->nframes; i++)
		frame_release(&x->frames[i]);
	for (int i = 0; i < x->depth; i++)
		free(x->names[i]);
	for (int i = 0; i < x->nwant; i++)
		free(x->want[i]);
	free(x->want);
	for (size_t i = 0; i < x->narrays; i++)
		free(x->arrays[i]);
	free(x->arrays);
	free(x->source);
	free(x);
}

static int
oom(struct etl_error *err)
{
	return etl_error_set(err, ETL_EINTERNAL, "out of memory");
}

/* Whether the open elements (names[0..depth)) end in --records. */
static int
is_record(const struct etl_xml *x)
{
	if (x->nwant == 0)
		return x->depth == 2;
	if (x->anchored ? x->depth != x->nwant : x->depth < x->nwant)
		return 0;
	for (int i = 0; i < x->nwant; i++)
		if (strcmp(x->names[x->depth - x->nwant + i], x->want[i]) != 0)
			return 0;
	return 1;
}

static int
forced_array(const struct etl_xml *x, const char *name)
{
	for (size_t i = 0; i < x->narrays; i++)
		if (strcmp(x->arrays[i], name) == 0)
			return 1;
	return 0;
}

static int
account(struct etl_xml *x, size_t n)
{
	x->recbytes += n;
	if (x->recbytes > x->max_record)
		x->toolong = 1;
	return x->toolong;
}

/* Open a frame for the reader's current element, with its attributes. */
static int
open_frame(struct etl_xml *x, const char *name)
{
	struct frame *f;

	if (x->nframes == MAX_DEPTH)
		return -1;
	f = &x->frames[x->nframes++];
	memset(f, 0, sizeof(*f));
	etl_buf_init(&f->text);
	if ((f->name = strdup(name)) == NULL ||
	    (f->attrs = json_object()) == NULL ||
	    (f->children = json_object()) == NULL)
		return -1;
	if (account(x, strlen(name)))
		return 0;
	while (xmlTextReaderMoveToNextAttribute(x->reader) == 1) {
		const char *k = (const char *)xmlTextReaderConstName(x->reader);
		const char *v = (const char *)xmlTextReaderConstValue(x->reader);

		if (k == NULL || xmlTextReaderIsNamespaceDecl(x->reader) == 1)
			continue;
		if (v == NULL)
			v = "";
		if (account(x, strlen(k) + strlen(v)))
			break;
		if (json_object_set_new(f->attrs, k, json_string(v)) < 0)
			return -1;
	}
	xmlTextReaderMoveToElement(x->reader);
	return 0;
}

static int
add_text(struct etl_xml *x, const char *s)
{
	size_t n = strlen(s);

	if (x->nframes == 0 || account(x, n))
		return 0;
	return etl_buf_append(&x->frames[x->nframes - 1].text, s, n);
}

static void
trim(const char *s, size_t len, const char **start, size_t *n)
{
	while (len > 0 && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	*start = s;
	*n = len;
}

/* The value of a finished frame (a new reference), NULL on OOM. */
static json_t *
frame_value(struct frame *f, int as_object)
{
	const char *k, *t;
	json_t *v, *o;
	size_t n;
	char at[1024];

	if (!as_object && json_object_size(f->attrs) == 0 &&
	    json_object_size(f->children) == 0)
		return json_stringn(f->text.data ? f->text.data : "",
		    f->text.len);
	if ((o = json_object()) == NULL)
		return NULL;
	json_object_foreach(f->attrs, k, v) {
		const char *name = k;

		if (json_object_get(f->children, k) != NULL) {
			snprintf(at, sizeof(at), "@%s", k);
			name = at;
		}
		if (json_object_set(o, name, v) < 0)
			goto fail;
	}
	json_object_foreach(f->children, k, v)
		if (json_object_set(o, k, v) < 0)
			goto fail;
	trim(f->text.data ? f->text.data : "", f->text.len, &t, &n);
	if (n > 0 && json_object_set_new(o, "#text", json_stringn(t, n)) < 0)
		goto fail;
	return o;
fail:
	json_decref(o);
	return NULL;
}

/* Close the top frame into its parent. */
static int
close_frame(struct etl_xml *x)
{
	struct frame *f = &x->frames[x->nframes - 1];
	struct frame *p = &x->frames[x->nframes - 2];
	json_t *v = NULL, *cur, *arr;
	int rc = -1;

	if (x->toolong) {
		rc = 0;
		goto out;
	}
	if ((v = frame_value(f, 0)) == NULL)
		goto out;
	cur = json_object_get(p->children, f->name);
	if (cur == NULL && forced_array(x, f->name)) {
		if ((arr = json_array()) == NULL ||
		    json_object_set_new(p->children, f->name, arr) < 0)
			goto out;
		cur = arr;
	}
	if (cur == NULL) {
		rc = json_object_set(p->children, f->name, v);
	} else if (json_is_array(cur)) {
		rc = json_array_append(cur, v);
	} else {
		if ((arr = json_array()) == NULL)
			goto out;
		json_array_append(arr, cur);
		json_array_append(arr, v);
		rc = json_object_set_new(p->children, f->name, arr);
	}
out:
	json_decref(v);
	frame_release(f);
	x->nframes--;
	return rc;
}

/* The record is complete: *rec, or a bad record. */
static int
finish_record(struct etl_xml *x, json_t **rec, struct etl_error *err)
{
	struct frame *f = &x->frames[0];
	int toolong = x->toolong;

	*rec = toolong ? NULL : frame_value(f, 1);
	frame_release(f);
	x->nframes = 0;
	x->toolong = 0;
	x->recbytes = 0;
	if (toolong) {
		etl_error_at(err, ETL_EDATA, x->source, x->rec_line, NULL,
		    "record larger than --max-line (%zu bytes)",
		    x->max_record);
		etl_error_rule(err, "max-line");
		return -ETL_EDATA;
	}
	return *rec ? 1 : oom(err);
}

static int
parse_failed(struct etl_xml *x, struct etl_error *err)
{
	x->failed = 1;
	if (x->io_failed) {
		*err = x->ioerr;
		return -(int)err->kind;
	}
	etl_error_at(err, ETL_EDATA, x->source, x->xmlline > 0 ? x->xmlline :
	    xmlTextReaderGetParserLineNumber(x->reader), NULL,
	    "not well-formed XML: %s", x->xmlmsg[0] ? x->xmlmsg :
	    "parse error");
	etl_error_rule(err, "xml");
	return -ETL_EDATA;
}

/* An entity left as a reference: its text when it is plain text. */
static const char *
entity_text(xmlTextReaderPtr r)
{
	xmlNodePtr n = xmlTextReaderCurrentNode(r);
	xmlEntityPtr e;

	if (n == NULL || n->type != XML_ENTITY_REF_NODE || n->children == NULL)
		return NULL;
	e = (xmlEntityPtr)n->children;
	if (e->type != XML_ENTITY_DECL ||
	    e->etype != XML_INTERNAL_GENERAL_ENTITY || e->content == NULL ||
	    strpbrk((const char *)e->content, "<&") != NULL)
		return NULL;
	return (const char *)e->content;
}

int
etl_xml_next(struct etl_xml *x, json_t **rec, struct etl_error *err)
{
	int r;

	*rec = NULL;
	if (x->failed)
		return parse_failed(x, err);
	if (x->done)
		return 0;
	while ((r = xmlTextReaderRead(x->reader)) == 1) {
		int type = xmlTextReaderNodeType(x->reader);
		const char *name, *s;
		int empty;

		switch (type) {
		case XML_READER_TYPE_ELEMENT:
			name = (const char *)xmlTextReaderConstName(x->reader);
			empty = xmlTextReaderIsEmptyElement(x->reader);
			if (name == NULL)
				return oom(err);
			if (x->nframes > 0) {
				if (open_frame(x, name) < 0)
					return oom(err);
				if (empty && close_frame(x) < 0)
					return oom(err);
				break;
			}
			if (x->depth == MAX_DEPTH)
				return parse_failed(x, err);
			if ((x->names[x->depth] = strdup(name)) == NULL)
				return oom(err);
			x->depth++;
			if (is_record(x)) {
				x->rec_line = xmlTextReaderGetParserLineNumber(
				    x->reader);
				if (open_frame(x, name) < 0)
					return oom(err);
			}
			if (!empty)
				break;
			/* FALLTHROUGH */
		case XML_READER_TYPE_END_ELEMENT:
			if (x->nframes > 1) {
				if (close_frame(x) < 0)
					return oom(err);
				break;
			}
			if (x->depth > 0)
				free(x->names[--x->depth]);
			if (x->nframes == 1)
				return finish_record(x, rec, err);
			break;
		case XML_READER_TYPE_TEXT:
		case XML_READER_TYPE_CDATA:
		case XML_READER_TYPE_WHITESPACE:
		case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
			s = (const char *)xmlTextReaderConstValue(x->reader);
			if (s != NULL && add_text(x, s) < 0)
				return oom(err);
			break;
		case XML_READER_TYPE_ENTITY_REFERENCE:
			s = entity_text(x->reader);
			if (s != NULL && add_text(x, s) < 0)
				return oom(err);
			break;
		default:
			break;
		}
	}
	if (r < 0 || x->xmlmsg[0] != '\0' || x->io_failed)
		return parse_failed(x, err);
	x->done = 1;
	return 0;
}

long long
etl_xml_lineno(const struct etl_xml *x)
{
	return x->rec_line;
}

int
etl_xml_failed(const struct etl_xml *x)
{
	return x->failed;
}
