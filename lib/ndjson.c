#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "ndjson.h"
#include "signals.h"
#include "strbuf.h"

#define CHUNK ((size_t)256 << 10)

struct etl_lines {
	int fd;
	int owned;
	char *source;
	char *buf;
	size_t cap;
	size_t start;		/* first byte of the current line */
	size_t scan;		/* where the search for '\n' resumes */
	size_t end;		/* end of the bytes read */
	size_t max_line;
	long long lineno;
	int eof;
	int skipping;		/* inside a line longer than max_line */
};

struct etl_ndjson {
	struct etl_lines *lines;
	const char *raw;
	size_t rawlen;
};

struct etl_lines *
etl_lines_new(const char *path, size_t max_line, struct etl_error *err)
{
	struct etl_lines *r = calloc(1, sizeof(*r));
	int stdin_ = path == NULL || strcmp(path, "-") == 0;

	if (r == NULL)
		goto oom;
	r->max_line = max_line ? max_line : ETL_DEFAULT_MAX_LINE;
	r->source = strdup(stdin_ ? "<stdin>" : path);
	r->cap = CHUNK + 1;
	r->buf = malloc(r->cap);
	if (r->source == NULL || r->buf == NULL)
		goto oom;
	if (stdin_) {
		r->fd = STDIN_FILENO;
	} else {
		r->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (r->fd < 0) {
			etl_error_set(err, errno == ENOENT || errno == ENOTDIR ?
			    ETL_ENOINPUT : ETL_EIO, "%s: %s", path,
			    strerror(errno));
			goto fail;
		}
		r->owned = 1;
	}
	return r;
oom:
	etl_error_set(err, ETL_EINTERNAL, "out of memory");
fail:
	etl_lines_free(r);
	return NULL;
}

void
etl_lines_free(struct etl_lines *r)
{
	if (r == NULL)
		return;
	if (r->owned)
		close(r->fd);
	free(r->buf);
	free(r->source);
	free(r);
}

long long
etl_lines_lineno(const struct etl_lines *r)
{
	return r->lineno;
}

const char *
etl_lines_source(const struct etl_lines *r)
{
	return r->source;
}

static int
is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

/* Room for at least CHUNK more bytes: slide the line down, else grow. */
static int
make_room(struct etl_lines *r, struct etl_error *err)
{
	size_t keep = r->end - r->start, cap;
	char *p;

	if (r->cap - 1 - r->end >= CHUNK)
		return 0;
	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, keep);
		r->scan -= r->start;
		r->end = keep;
		r->start = 0;
		if (r->cap - 1 - r->end >= CHUNK)
			return 0;
	}
	cap = r->cap * 2;
	p = realloc(r->buf, cap);
	if (p == NULL)
		return etl_error_set(err, ETL_EINTERNAL, "out of memory");
	r->buf = p;
	r->cap = cap;
	return 0;
}

static int
fill(struct etl_lines *r, struct etl_error *err)
{
	ssize_t n;
	int rc;

	if ((rc = make_room(r, err)) < 0)
		return rc;
	for (;;) {
		if ((rc = etl_signal_check(err)) < 0)
			return rc;
		n = read(r->fd, r->buf + r->end, r->cap - 1 - r->end);
		if (n >= 0)
			break;
		if (errno != EINTR && errno != EAGAIN)
			return etl_error_at(err, ETL_EIO, r->source, 0, NULL,
			    "read error: %s", strerror(errno));
	}
	if (n == 0)
		r->eof = 1;
	r->end += (size_t)n;
	return 0;
}

int
etl_lines_next(struct etl_lines *r, const char **line, size_t *len,
    struct etl_error *err)
{
	int rc;

	for (;;) {
		char *nl = memchr(r->buf + r->scan, '\n', r->end - r->scan);
		size_t s, e;

		if (nl == NULL && !r->eof) {
			r->scan = r->end;
			/* One byte past max_line may be the \r of "\r\n". */
			if (r->end - r->start > r->max_line &&
			    r->end - r->start - r->max_line > 1) {
				/* Drop what we have of an over-long line. */
				r->skipping = 1;
				r->start = r->scan = r->end = 0;
			}
			if ((rc = fill(r, err)) < 0)
				return rc;
			continue;
		}
		/* Not when skipping: the dropped last line is still a bad
		 * record. */
		if (nl == NULL && r->start == r->end && !r->skipping)
			return 0;
		s = r->start;
		e = nl ? (size_t)(nl - r->buf) : r->end;
		r->start = r->scan = nl ? e + 1 : e;
		r->lineno++;
		if (e > s && r->buf[e - 1] == '\r')
			e--;
		if (r->skipping || e - s > r->max_line) {
			r->skipping = 0;
			*line = "";
			*len = 0;
			etl_error_at(err, ETL_EDATA, r->source, r->lineno,
			    NULL, "line longer than --max-line (%zu bytes)",
			    r->max_line);
			etl_error_rule(err, "max-line");
			return -ETL_EDATA;
		}
		if (r->lineno == 1 && e - s >= 3 &&
		    memcmp(r->buf + s, "\xef\xbb\xbf", 3) == 0)
			s += 3;
		if (is_blank(r->buf + s, e - s))
			continue;
		r->buf[e] = '\0';	/* cap keeps a spare byte for this */
		*line = r->buf + s;
		*len = e - s;
		return 1;
	}
}

struct etl_ndjson *
etl_ndjson_new(const char *path, size_t max_line, struct etl_error *err)
{
	struct etl_ndjson *r = calloc(1, sizeof(*r));

	if (r == NULL) {
		etl_error_set(err, ETL_EINTERNAL, "out of memory");
		return NULL;
	}
	r->lines = etl_lines_new(path, max_line, err);
	if (r->lines == NULL) {
		free(r);
		return NULL;
	}
	r->raw = "";
	return r;
}

void
etl_ndjson_free(struct etl_ndjson *r)
{
	if (r == NULL)
		return;
	etl_lines_free(r->lines);
	free(r);
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

int
etl_ndjson_parse(const char *line, size_t len, const char *source,
    long long lineno, json_t **rec, struct etl_error *err)
{
	json_error_t jerr;
	json_t *v;
	int rc;

	*rec = NULL;
	v = json_loadb(line, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
	if (v == NULL) {
		rc = etl_error_at(err, ETL_EDATA, source, lineno, NULL,
		    "invalid JSON at column %d: %s", jerr.column, jerr.text);
		etl_error_rule(err, "json");
		return rc;
	}
	if (!json_is_object(v)) {
		rc = etl_error_at(err, ETL_EDATA, source, lineno, NULL,
		    "not a JSON object (%s)", type_phrase(v));
		etl_error_rule(err, "json");
		json_decref(v);
		return rc;
	}
	*rec = v;
	return 0;
}

int
etl_ndjson_next(struct etl_ndjson *r, json_t **rec, struct etl_error *err)
{
	const char *line;
	size_t len;
	int rc;

	*rec = NULL;
	r->raw = "";
	r->rawlen = 0;
	rc = etl_lines_next(r->lines, &line, &len, err);
	if (rc <= 0)
		return rc;
	r->raw = line;
	r->rawlen = len;
	rc = etl_ndjson_parse(line, len, r->lines->source, r->lines->lineno,
	    rec, err);
	return rc < 0 ? rc : 1;
}

const char *
etl_ndjson_raw(const struct etl_ndjson *r, size_t *len)
{
	*len = r->rawlen;
	return r->raw;
}

long long
etl_ndjson_lineno(const struct etl_ndjson *r)
{
	return r->lines->lineno;
}

const char *
etl_ndjson_source(const struct etl_ndjson *r)
{
	return r->lines->source;
}
