#include <ctype.h>
#include <limits.h>

#include "path.h"
#include "strbuf.h"

enum seg_kind { SEG_NAME, SEG_INDEX, SEG_ALL };

struct seg {
	enum seg_kind kind;
	char *name;
	long long index;
};

struct etl_path {
	char *text;
	int n;
	int wildcard;
	struct seg *segs;
};

static int
bad(struct etl_error *err, const char *text, const char *p, const char *why)
{
	return etl_error_set(err, ETL_ECONFIG, "path '%s': %s at column %d",
	    text, why, (int)(p - text) + 1);
}

static int
push(struct etl_path *path, enum seg_kind kind, char *name, long long index)
{
	struct seg *s = realloc(path->segs, sizeof(*s) * (size_t)(path->n + 1));

	if (s == NULL) {
		free(name);
		return -1;
	}
	path->segs = s;
	s[path->n].kind = kind;
	s[path->n].name = name;
	s[path->n].index = index;
	path->n++;
	if (kind == SEG_ALL)
		path->wildcard = 1;
	return 0;
}

/* A quoted name at *pp (on the opening quote). */
static char *
quoted(const char **pp)
{
	const char *p = *pp + 1;
	struct etl_buf b;

	etl_buf_init(&b);
	for (; *p != '\0' && *p != '"'; p++) {
		if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
			p++;
		if (etl_buf_putc(&b, *p) < 0)
			goto fail;
	}
	if (*p != '"')
		goto fail;
	*pp = p + 1;
	if (b.data == NULL && etl_buf_reserve(&b, 0) < 0)
		goto fail;
	return b.data;
fail:
	etl_buf_release(&b);
	return NULL;
}

struct etl_path *
etl_path_new(const char *text, struct etl_error *err)
{
	struct etl_path *path = calloc(1, sizeof(*path));
	const char *p = text;

	if (path == NULL || (path->text = strdup(text)) == NULL)
		goto oom;
	if (*p == '\0') {
		bad(err, text, p, "empty path");
		goto fail;
	}
	while (*p != '\0') {
		if (*p == '[') {
			const char *q = p + 1;

			if (q[0] == '*' && q[1] == ']') {
				if (push(path, SEG_ALL, NULL, 0) < 0)
					goto oom;
				p = q + 2;
			} else {
				long long idx = 0;
				int neg = *q == '-';

				q += neg;
				if (!isdigit((unsigned char)*q)) {
					bad(err, text, q, "expected an index "
					    "or * inside []");
					goto fail;
				}
				while (isdigit((unsigned char)*q)) {
					if (idx > (LLONG_MAX - 9) / 10) {
						bad(err, text, q, "index too "
						    "large");
						goto fail;
					}
					idx = idx * 10 + (*q++ - '0');
				}
				if (*q != ']') {
					bad(err, text, q, "expected ]");
					goto fail;
				}
				if (push(path, SEG_INDEX, NULL, neg ? -idx :
				    idx) < 0)
					goto oom;
				p = q + 1;
			}
		} else {
			char *name;

			if (p != text) {
				if (*p != '.') {
					bad(err, text, p, "expected . or [");
					goto fail;
				}
				p++;
			}
			if (*p == '"') {
				name = quoted(&p);
				if (name == NULL) {
					bad(err, text, p, "unterminated "
					    "quoted name");
					goto fail;
				}
			} else {
				const char *s = p;

				while (*p != '\0' && *p != '.' && *p != '[')
					p++;
				if (p == s) {
					bad(err, text, p, "empty name");
					goto fail;
				}
				name = strndup(s, (size_t)(p - s));
				if (name == NULL)
					goto oom;
			}
			if (push(path, SEG_NAME, name, 0) < 0)
				goto oom;
		}
	}
	return path;
oom:
	etl_error_set(err, ETL_EINTERNAL, "out of memory");
fail:
	etl_path_free(path);
	return NULL;
}

void
etl_path_free(struct etl_path *p)
{
	if (p == NULL)
		return;
	for (int i = 0; i < p->n; i++)
		free(p->segs[i].name);
	free(p->segs);
	free(p->text);
	free(p);
}

const char *
etl_path_text(const struct etl_path *p)
{
	return p->text;
}

int
etl_path_has_wildcard(const struct etl_path *p)
{
	return p->wildcard;
}

static json_t *
step_index(const json_t *v, long long idx)
{
	long long n;

	if (!json_is_array(v))
		return NULL;
	n = (long long)json_array_size(v);
	if (idx < 0)
		idx += n;
	if (idx < 0 || idx >= n)
		return NULL;
	return json_array_get(v, (size_t)idx);
}

static int
walk(const struct etl_path *p, int i, json_t *v,
    int (*fn)(json_t *, void *), void *ctx, int *count)
{
	const struct seg *s;
	int rc;

	if (i == p->n) {
		(*count)++;
		return fn ? fn(v, ctx) : 0;
	}
	s = &p->segs[i];
	switch (s->kind) {
	case SEG_NAME:
		if (!json_is_object(v) || (v = json_object_get(v, s->name)) ==
		    NULL)
			return 0;
		return walk(p, i + 1, v, fn, ctx, count);
	case SEG_INDEX:
		if ((v = step_index(v, s->index)) == NULL)
			return 0;
		return walk(p, i + 1, v, fn, ctx, count);
	case SEG_ALL:
		if (json_is_array(v)) {
			size_t k;
			json_t *e;

			json_array_foreach(v, k, e)
				if ((rc = walk(p, i + 1, e, fn, ctx, count)))
					return rc;
		} else if (json_is_object(v)) {
			const char *key;
			json_t *e;

			json_object_foreach(v, key, e)
				if ((rc = walk(p, i + 1, e, fn, ctx, count)))
					return rc;
		}
		return 0;
	}
	return 0;
}

static int
keep_first(json_t *v, void *ctx)
{
	*(json_t **)ctx = v;
	return 1;
}

json_t *
etl_path_get(const struct etl_path *p, const json_t *root)
{
	json_t *found = NULL;
	int count = 0;

	walk(p, 0, (json_t *)root, keep_first, &found, &count);
	return found;
}

int
etl_path_foreach(const struct etl_path *p, const json_t *root,
    int (*fn)(json_t *value, void *ctx), void *ctx)
{
	int count = 0, rc;

	rc = walk(p, 0, (json_t *)root, fn, ctx, &count);
	return rc ? rc : count;
}

int
etl_path_set(const struct etl_path *p, json_t *root, json_t *value)
{
	json_t *v = root;

	for (int i = 0; i < p->n; i++) {
		const struct seg *s = &p->segs[i];
		json_t *next;

		if (s->kind != SEG_NAME || !json_is_object(v))
			goto fail;
		if (i == p->n - 1)
			return json_object_set_new(v, s->name, value) ? -1 : 0;
		next = json_object_get(v, s->name);
		if (next == NULL) {
			next = json_object();
			if (next == NULL || json_object_set_new(v, s->name,
			    next) < 0)
				goto fail;
		}
		v = next;
	}
fail:
	json_decref(value);
	return -1;
}
