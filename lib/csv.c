#include "csv.h"
#include "jsonw.h"
#include "ndjson.h"
#include "strbuf.h"

#define INBUF ((size_t)64 << 10)

enum state { S_START, S_UNQ, S_QUO, S_QQ };

struct etl_csv {
	etl_read_fn read;
	void *ctx;
	char *source;
	char delim;
	size_t max_row;
	char *in;
	size_t inpos, inlen;
	int eof;
	int started;
	int failed;
	struct etl_buf field;	/* the row's fields, each NUL-terminated */
	size_t *offs;		/* where each field starts in field.data */
	size_t noffs, capoffs;
	struct etl_buf raw;	/* the row as read */
	char **names;
	size_t nnames;
	long long line;		/* physical line being read */
	long long row_line;	/* line on which the current row began */
	const char *rowerr;	/* why the row is bad, or NULL */
	int toolong;
};

struct etl_csv *
etl_csv_new(etl_read_fn read, void *ctx, const char *source,
    const struct etl_csv_opts *opts, struct etl_error *err)
{
	struct etl_csv *c = calloc(1, sizeof(*c));

	if (c == NULL || (c->source = strdup(source)) == NULL ||
	    (c->in = malloc(INBUF)) == NULL ||
	    (c->offs = malloc(16 * sizeof(*c->offs))) == NULL) {
		etl_csv_free(c);
		etl_error_set(err, ETL_EINTERNAL, "out of memory");
		return NULL;
	}
	c->read = read;
	c->ctx = ctx;
	c->delim = opts && opts->delimiter ? opts->delimiter : ',';
	c->max_row = opts && opts->max_row ? opts->max_row :
	    ETL_DEFAULT_MAX_LINE;
	c->capoffs = 16;
	c->line = 1;
	etl_buf_init(&c->field);
	etl_buf_init(&c->raw);
	return c;
}

void
etl_csv_free(struct etl_csv *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->nnames; i++)
		free(c->names[i]);
	free(c->names);
	free(c->offs);
	etl_buf_release(&c->field);
	etl_buf_release(&c->raw);
	free(c->in);
	free(c->source);
	free(c);
}

static int
oom(struct etl_error *err)
{
	return etl_error_set(err, ETL_EINTERNAL, "out of memory");
}

/* More input; 0 (maybe at the end) or <0. */
static int
fill(struct etl_csv *c, struct etl_error *err)
{
	long k;

	c->inpos = c->inlen = 0;
	do {
		k = c->read(c->ctx, c->in + c->inlen, INBUF - c->inlen, err);
		if (k < 0)
			return (int)k;
		if (k == 0)
			c->eof = 1;
		c->inlen += (size_t)k;
		/* Wait for three bytes at the start to see a BOM whole. */
	} while (!c->started && !c->eof && c->inlen < 3);
	if (!c->started) {
		c->started = 1;
		if (c->inlen >= 3 && memcmp(c->in, "\xef\xbb\xbf", 3) == 0)
			c->inpos = 3;
	}
	return 0;
}

static int
put(struct etl_csv *c, char ch)
{
	if (c->toolong)
		return 0;
	return etl_buf_putc(&c->field, ch);
}

static int
end_field(struct etl_csv *c)
{
	size_t *p;

	if (c->toolong && c->noffs > 0)
		return 0;
	if (c->noffs + 2 > c->capoffs) {
		size_t cap = c->capoffs ? c->capoffs * 2 : 16;

		p = realloc(c->offs, cap * sizeof(*p));
		if (p == NULL)
			return -1;
		c->offs = p;
		c->capoffs = cap;
	}
	if (etl_buf_putc(&c->field, '\0') < 0)
		return -1;
	c->offs[++c->noffs] = c->field.len;
	return 0;
}

static void
start_row(struct etl_csv *c)
{
	etl_buf_reset(&c->field);
	etl_buf_reset(&c->raw);
	c->noffs = 0;
	c->offs[0] = 0;
	c->rowerr = NULL;
	c->toolong = 0;
	c->row_line = c->line;
}

static int
blank_row(const struct etl_csv *c)
{
	size_t n = c->raw.len;

	if (c->noffs != 1 || c->offs[1] != 1)
		return 0;
	if (n > 0 && c->raw.data[n - 1] == '\n')
		n--;
	if (n > 0 && c->raw.data[n - 1] == '\r')
		n--;
	return n == 0;
}

/* The next row into field/offs/raw: 1, 0 at the end, <0 on error. */
static int
read_row(struct etl_csv *c, struct etl_error *err)
{
	enum state st = S_START;
	int rc;

	start_row(c);
	for (;;) {
		char ch;

		if (c->inpos == c->inlen) {
			if (c->eof) {
				if (st == S_START && c->noffs == 0 &&
				    c->raw.len == 0)
					return 0;
				if (st == S_QUO && c->rowerr == NULL)
					c->rowerr = "unterminated quoted field";
				if (end_field(c) < 0)
					return oom(err);
				return 1;
			}
			if ((rc = fill(c, err)) < 0)
				return rc;
			continue;
		}
		ch = c->in[c->inpos++];
		if (!c->toolong) {
			if (c->raw.len >= c->max_row) {
				c->toolong = 1;
				c->rowerr = "row longer than --max-line";
			} else if (etl_buf_putc(&c->raw, ch) < 0) {
				return oom(err);
			}
		}
		if (ch == '\n')
			c->line++;
		switch (st) {
		case S_START:
			if (ch == '"') {
				st = S_QUO;
				continue;
			}
			if (ch == c->delim || ch == '\n')
				break;
			st = S_UNQ;
			if (put(c, ch) < 0)
				return oom(err);
			continue;
		case S_UNQ:
			if (ch == c->delim || ch == '\n') {
				size_t n = c->field.len;

				if (ch == '\n' && !c->toolong &&
				    n > c->offs[c->noffs] &&
				    c->field.data[n - 1] == '\r')
					c->field.data[--c->field.len] = '\0';
				break;
			}
			if (put(c, ch) < 0)
				return oom(err);
			continue;
		case S_QUO:
			if (ch == '"')
				st = S_QQ;
			else if (put(c, ch) < 0)
				return oom(err);
			continue;
		case S_QQ:
			if (ch == '"') {
				st = S_QUO;
				if (put(c, ch) < 0)
					return oom(err);
				continue;
			}
			if (ch == c->delim || ch == '\n')
				break;
			if (ch == '\r')
				continue;
			if (c->rowerr == NULL)
				c->rowerr = "text after a closing quote";
			st = S_UNQ;
			if (put(c, ch) < 0)
				return oom(err);
			continue;
		}
		/* A delimiter or the end of the row. */
		if (end_field(c) < 0)
			return oom(err);
		st = S_START;
		if (ch != '\n')
			continue;
		if (blank_row(c)) {
			start_row(c);
			continue;
		}
		return 1;
	}
}

static const char *
field_at(const struct etl_csv *c, size_t i, size_t *len)
{
	*len = c->offs[i + 1] - c->offs[i] - 1;
	return c->field.data + c->offs[i];
}

static int
bad_row(struct etl_csv *c, const char *field, struct etl_error *err,
    const char *what)
{
	int rc = etl_error_at(err, ETL_EDATA, c->source, c->row_line, field,
	    "%s", what);

	etl_error_rule(err, "csv");
	return rc;
}

static int
take_header(struct etl_csv *c, struct etl_error *err)
{
	size_t len;

	if (c->rowerr != NULL || !etl_utf8_valid(c->raw.data, c->raw.len)) {
		c->failed = 1;
		return bad_row(c, NULL, err, c->rowerr ? c->rowerr :
		    "header is not valid UTF-8 (see --encoding)");
	}
	c->names = calloc(c->noffs, sizeof(*c->names));
	if (c->names == NULL)
		return oom(err);
	for (size_t i = 0; i < c->noffs; i++) {
		const char *f = field_at(c, i, &len);

		for (size_t j = 0; j < i; j++) {
			if (strcmp(c->names[j], f) == 0) {
				c->failed = 1;
				etl_error_at(err, ETL_EDATA, c->source,
				    c->row_line, NULL, "column '%.100s' "
				    "appears twice in the header", f);
				etl_error_rule(err, "csv");
				return -ETL_EDATA;
			}
		}
		if ((c->names[i] = strdup(f)) == NULL)
			return oom(err);
		c->nnames = i + 1;
	}
	return 0;
}

int
etl_csv_next(struct etl_csv *c, json_t **rec, struct etl_error *err)
{
	json_t *o;
	int rc;

	*rec = NULL;
	if (c->failed)
		return 0;
	while (c->names == NULL) {
		if ((rc = read_row(c, err)) <= 0)
			return rc;
		if ((rc = take_header(c, err)) < 0)
			return rc;
	}
	if ((rc = read_row(c, err)) <= 0)
		return rc;
	if (c->rowerr != NULL)
		return bad_row(c, NULL, err, c->rowerr);
	if (c->noffs != c->nnames) {
		char msg[96];

		snprintf(msg, sizeof(msg), "%zu field%s, the header has %zu",
		    c->noffs, c->noffs == 1 ? "" : "s", c->nnames);
		return bad_row(c, NULL, err, msg);
	}
	if ((o = json_object()) == NULL)
		return oom(err);
	for (size_t i = 0; i < c->noffs; i++) {
		size_t len;
		const char *f = field_at(c, i, &len);

		if (!etl_utf8_valid(f, len)) {
			json_decref(o);
			return bad_row(c, c->names[i], err,
			    "not valid UTF-8 (see --encoding)");
		}
		if (json_object_set_new_nocheck(o, c->names[i],
		    json_stringn_nocheck(f, len)) < 0) {
			json_decref(o);
			return oom(err);
		}
	}
	*rec = o;
	return 1;
}

const char *
etl_csv_raw(const struct etl_csv *c, size_t *len)
{
	size_t n = c->raw.len;

	if (n > 0 && c->raw.data[n - 1] == '\n')
		n--;
	if (n > 0 && c->raw.data[n - 1] == '\r')
		n--;
	*len = n;
	return c->raw.data ? c->raw.data : "";
}

long long
etl_csv_lineno(const struct etl_csv *c)
{
	return c->row_line;
}

int
etl_csv_failed(const struct etl_csv *c)
{
	return c->failed;
}
