/*
 * Loading and checking specs.  Every check names the place in the spec
 * ("fields.spend.min") so that --check can say exactly what is wrong.
 */
#include <errno.h>
#include <stdarg.h>

#include "spec.h"
#include "strbuf.h"

#define SPEC_MAX_FILE ((size_t)16 << 20)

static const char *const agg_names[] = {
	[ETL_AGG_NONE] = "none",
	[ETL_AGG_MIN] = "min",
	[ETL_AGG_MAX] = "max",
	[ETL_AGG_SUM] = "sum",
	[ETL_AGG_COUNT] = "count",
	[ETL_AGG_FIRST] = "first",
	[ETL_AGG_LAST] = "last",
	[ETL_AGG_JOIN] = "join",
};

const char *
etl_agg_name(enum etl_agg agg)
{
	return agg_names[agg];
}

/* A spec error at place (printf-style) with a message. */
static int
bad(struct etl_error *err, const char *source, const char *place,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int
bad(struct etl_error *err, const char *source, const char *place,
    const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return etl_error_at(err, ETL_ECONFIG, source, 0, NULL, "%s%s%s",
	    place ? place : "", place ? ": " : "", msg);
}

static int
oom(struct etl_error *err)
{
	return etl_error_set(err, ETL_EINTERNAL, "out of memory");
}

static const char *const top_keys[] = {
	"name", "version", "description", "fields", "keep_unmapped", "order",
	"where", "hash", NULL
};

static const char *const field_keys[] = {
	"from", "type", "formats", "tz", "required", "default", "enum", "min",
	"max", "min_length", "max_length", "pattern", "trim", "lower",
	"upper", "null_if", "agg", "sep", "description", NULL
};

static int
known_key(const char *key, const char *const *keys)
{
	/* Keys starting with _ or $ are comments ("$schema", "_note"). */
	if (key[0] == '_' || key[0] == '$')
		return 1;
	for (; *keys != NULL; keys++)
		if (strcmp(*keys, key) == 0)
			return 1;
	return 0;
}

struct ctx {
	const char *source;
	struct etl_error *err;
	char place[300];
	size_t base;		/* length of "fields.<name>" in place */
};

/* "fields.<name>.<key>" */
static const char *
at(struct ctx *c, const char *key)
{
	c->place[c->base] = '\0';
	if (key != NULL)
		etl_snappend(c->place, sizeof(c->place), c->base, ".%s", key);
	return c->place;
}

static int
get_bool(struct ctx *c, const json_t *f, const char *key, int *out)
{
	json_t *v = json_object_get(f, key);

	if (v == NULL)
		return 0;
	if (!json_is_boolean(v))
		return bad(c->err, c->source, at(c, key), "expected true or "
		    "false");
	*out = json_is_true(v);
	return 0;
}

static int
get_length(struct ctx *c, const json_t *f, const char *key, long long *out)
{
	json_t *v = json_object_get(f, key);

	if (v == NULL)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return bad(c->err, c->source, at(c, key), "expected a "
		    "non-negative integer");
	*out = json_integer_value(v);
	return 0;
}

/* A string, or an array of strings; a new array in *out. */
static int
get_strings(struct ctx *c, const json_t *f, const char *key, json_t **out)
{
	json_t *v = json_object_get(f, key), *e;
	size_t i;

	*out = NULL;
	if (v == NULL)
		return 0;
	if (json_is_string(v)) {
		*out = json_pack("[O]", v);
		return *out ? 0 : oom(c->err);
	}
	if (!json_is_array(v) || json_array_size(v) == 0)
		return bad(c->err, c->source, at(c, key), "expected a string "
		    "or a non-empty array of strings");
	json_array_foreach(v, i, e) {
		if (!json_is_string(e)) {
			char sub[64];

			snprintf(sub, sizeof(sub), "%s[%zu]", key, i);
			return bad(c->err, c->source, at(c, sub), "expected a "
			    "string");
		}
	}
	*out = json_incref(v);
	return 0;
}

/* Cast a spec value (an enum item, a bound, the default) to the type. */
static int
cast_spec_value(struct ctx *c, struct etl_spec_field *fd, const char *key,
    const json_t *v, json_t **out)
{
	char why[256];

	if (json_is_null(v))
		return bad(c->err, c->source, at(c, key), "must not be null");
	if (etl_cast_value(&fd->cast, v, out, why, sizeof(why)) < 0)
		return bad(c->err, c->source, at(c, key), "%s", why);
	return 0;
}

static int
get_bound(struct ctx *c, struct etl_spec_field *fd, const json_t *f,
    const char *key, json_t **out)
{
	json_t *v = json_object_get(f, key);

	if (v == NULL)
		return 0;
	switch (fd->cast.type) {
	case ETL_T_INTEGER:
	case ETL_T_NUMBER:
		if (!json_is_number(v))
			return bad(c->err, c->source, at(c, key), "expected a "
			    "number");
		break;
	case ETL_T_DATE:
	case ETL_T_DATETIME:
	case ETL_T_STRING:
		if (!json_is_string(v))
			return bad(c->err, c->source, at(c, key), "expected a "
			    "string (a %s)", etl_type_name(fd->cast.type));
		break;
	default:
		return bad(c->err, c->source, at(c, key), "goes with types "
		    "integer, number, date, datetime and string");
	}
	return cast_spec_value(c, fd, key, v, out);
}

static int
parse_agg(struct ctx *c, struct etl_spec_field *fd, const json_t *f)
{
	json_t *v = json_object_get(f, "agg"), *sep;

	if (v != NULL) {
		size_t i;

		if (!json_is_string(v))
			return bad(c->err, c->source, at(c, "agg"), "expected "
			    "a string");
		for (i = 1; i < sizeof(agg_names) / sizeof(agg_names[0]); i++)
			if (strcmp(agg_names[i], json_string_value(v)) == 0)
				break;
		if (i == sizeof(agg_names) / sizeof(agg_names[0]))
			return bad(c->err, c->source, at(c, "agg"), "unknown "
			    "aggregate '%s' (use min, max, sum, count, first, "
			    "last or join)", json_string_value(v));
		fd->agg = (enum etl_agg)i;
	}
	sep = json_object_get(f, "sep");
	if (sep != NULL && fd->agg != ETL_AGG_JOIN)
		return bad(c->err, c->source, at(c, "sep"), "goes with agg "
		    "join");
	if (sep != NULL && !json_is_string(sep))
		return bad(c->err, c->source, at(c, "sep"), "expected a "
		    "string");
	if (fd->agg == ETL_AGG_JOIN) {
		fd->sep = strdup(sep ? json_string_value(sep) : ",");
		if (fd->sep == NULL)
			return oom(c->err);
	}
	return 0;
}

/* The type, defaulted and checked against agg. */
static int
parse_type(struct ctx *c, struct etl_spec_field *fd, const json_t *f,
    enum etl_type *type)
{
	json_t *v = json_object_get(f, "type");

	*type = ETL_T_JSON;
	if (v != NULL && (!json_is_string(v) ||
	    etl_type_parse(json_string_value(v), type) < 0))
		return bad(c->err, c->source, at(c, "type"), "unknown "
		    "type%s%s%s (use string, integer, number, boolean, date, "
		    "datetime or json)", json_is_string(v) ? " '" : "",
		    json_is_string(v) ? json_string_value(v) : "",
		    json_is_string(v) ? "'" : "");
	switch (fd->agg) {
	case ETL_AGG_COUNT:
		if (v != NULL && *type != ETL_T_INTEGER)
			return bad(c->err, c->source, at(c, "type"), "agg "
			    "count gives an integer");
		*type = ETL_T_INTEGER;
		break;
	case ETL_AGG_SUM:
		if (v == NULL)
			*type = ETL_T_NUMBER;
		else if (*type != ETL_T_INTEGER && *type != ETL_T_NUMBER)
			return bad(c->err, c->source, at(c, "type"), "agg sum "
			    "needs type integer or number");
		break;
	case ETL_AGG_JOIN:
		if (v != NULL && *type != ETL_T_STRING)
			return bad(c->err, c->source, at(c, "type"), "agg join "
			    "gives a string");
		*type = ETL_T_STRING;
		break;
	default:
		break;
	}
	return 0;
}

static int
parse_from(struct ctx *c, struct etl_spec_field *fd, const json_t *f)
{
	json_t *v = json_object_get(f, "from");
	struct etl_error perr;
	struct etl_buf q;
	const char *text;

	etl_buf_init(&q);
	if (v != NULL && (!json_is_string(v) || json_string_length(v) == 0))
		return bad(c->err, c->source, at(c, "from"), "expected a path");
	if (v == NULL) {
		/* The field's own name as one key, dots and all. */
		const char *p;

		if (etl_buf_putc(&q, '"') < 0)
			return oom(c->err);
		for (p = fd->name; *p != '\0'; p++)
			if (((*p == '"' || *p == '\\') &&
			    etl_buf_putc(&q, '\\') < 0) ||
			    etl_buf_putc(&q, *p) < 0) {
				etl_buf_release(&q);
				return oom(c->err);
			}
		if (etl_buf_putc(&q, '"') < 0)
			return oom(c->err);
		text = q.data;
		fd->from_key = strdup(fd->name);
	} else {
		text = json_string_value(v);
	}
	etl_error_init(&perr);
	fd->from = etl_path_new(text, &perr);
	etl_buf_release(&q);
	if (fd->from == NULL)
		return perr.kind == ETL_ECONFIG ? bad(c->err, c->source,
		    at(c, "from"), "%s", perr.message) : oom(c->err);
	if (v != NULL) {
		/* A plain name: a key keep_unmapped knows is used. */
		const char *s = json_string_value(v);

		if (strpbrk(s, ".[\"") == NULL &&
		    (fd->from_key = strdup(s)) == NULL)
			return oom(c->err);
	} else if (fd->from_key == NULL) {
		return oom(c->err);
	}
	if (etl_path_has_wildcard(fd->from) && fd->agg == ETL_AGG_NONE &&
	    json_object_get(f, "type") != NULL &&
	    strcmp(json_string_value(json_object_get(f, "type")), "json") != 0)
		return bad(c->err, c->source, at(c, "from"), "a wildcard path "
		    "needs agg (min, max, sum, count, first, last or join), "
		    "or type json to keep every match in an array");
	return 0;
}

static int
parse_enum(struct ctx *c, struct etl_spec_field *fd, const json_t *f)
{
	json_t *v = json_object_get(f, "enum"), *e, *cast;
	size_t i;

	if (v == NULL)
		return 0;
	if (!json_is_array(v) || json_array_size(v) == 0)
		return bad(c->err, c->source, at(c, "enum"), "expected a "
		    "non-empty array");
	if ((fd->rules.enumv = json_array()) == NULL)
		return oom(c->err);
	json_array_foreach(v, i, e) {
		char sub[32];

		snprintf(sub, sizeof(sub), "enum[%zu]", i);
		if (cast_spec_value(c, fd, sub, e, &cast) < 0)
			return -ETL_ECONFIG;
		if (json_array_append_new(fd->rules.enumv, cast) < 0)
			return oom(c->err);
	}
	return 0;
}

static int
parse_rules(struct ctx *c, struct etl_spec_field *fd, const json_t *f)
{
	struct etl_rules *r = &fd->rules;
	json_t *v;
	int cmp;

	if (get_bool(c, f, "required", &fd->required) < 0 ||
	    get_bool(c, f, "trim", &r->trim) < 0 ||
	    get_bool(c, f, "lower", &r->lower) < 0 ||
	    get_bool(c, f, "upper", &r->upper) < 0 ||
	    get_strings(c, f, "null_if", &r->null_if) < 0 ||
	    get_length(c, f, "min_length", &r->min_length) < 0 ||
	    get_length(c, f, "max_length", &r->max_length) < 0)
		return -1;
	if (r->lower && r->upper)
		return bad(c->err, c->source, at(c, "upper"), "lower and upper "
		    "exclude each other");
	if (r->max_length >= 0 && r->min_length > r->max_length)
		return bad(c->err, c->source, at(c, "min_length"), "greater "
		    "than max_length");
	if ((r->min_length >= 0 || r->max_length >= 0) &&
	    fd->cast.type != ETL_T_STRING && fd->cast.type != ETL_T_JSON)
		return bad(c->err, c->source, at(c, r->min_length >= 0 ?
		    "min_length" : "max_length"), "goes with types string and "
		    "json");
	fd->prepare = etl_rules_have_prepare(r);
	if (parse_enum(c, fd, f) < 0 ||
	    get_bound(c, fd, f, "min", &r->min) < 0 ||
	    get_bound(c, fd, f, "max", &r->max) < 0)
		return -1;
	if (r->min != NULL && r->max != NULL &&
	    etl_value_order(r->min, r->max, &cmp) == 0 && cmp > 0)
		return bad(c->err, c->source, at(c, "min"), "greater than max");
	if ((v = json_object_get(f, "pattern")) != NULL) {
		struct etl_error perr;

		if (!json_is_string(v))
			return bad(c->err, c->source, at(c, "pattern"),
			    "expected a string");
		etl_error_init(&perr);
		if (etl_rules_set_pattern(r, json_string_value(v), &perr) < 0)
			return bad(c->err, c->source, at(c, "pattern"), "%s",
			    perr.message);
	}
	if ((v = json_object_get(f, "default")) != NULL) {
		const char *rule;
		char why[256];

		if (cast_spec_value(c, fd, "default", v, &fd->def) < 0)
			return -1;
		if (etl_rules_check(r, fd->cast.type, fd->def, &rule, why,
		    sizeof(why)) < 0)
			return bad(c->err, c->source, at(c, "default"), "%s",
			    why);
	}
	return 0;
}

static int
parse_field(struct ctx *c, struct etl_spec_field *fd, const char *name,
    const json_t *f)
{
	const char *key, **formats = NULL;
	json_t *v, *fmts = NULL;
	enum etl_type type;
	struct etl_error cerr;
	int nformats = 0, rc = -1;

	snprintf(c->place, sizeof(c->place), "fields.%s", name);
	c->base = strlen(c->place);
	if ((fd->name = strdup(name)) == NULL)
		return oom(c->err);
	if (!json_is_object(f))
		return bad(c->err, c->source, at(c, NULL), "expected an "
		    "object");
	json_object_foreach((json_t *)f, key, v)
		if (!known_key(key, field_keys))
			return bad(c->err, c->source, at(c, key),
			    "unknown key");
	if (parse_agg(c, fd, f) < 0 || parse_type(c, fd, f, &type) < 0 ||
	    parse_from(c, fd, f) < 0)
		return -1;
	if (get_strings(c, f, "formats", &fmts) < 0)
		return -1;
	v = json_object_get(f, "tz");
	if ((fmts != NULL || v != NULL) && type != ETL_T_DATE &&
	    type != ETL_T_DATETIME) {
		rc = bad(c->err, c->source, at(c, fmts ? "formats" : "tz"),
		    "goes with types date and datetime");
		goto out;
	}
	if (v != NULL && !json_is_string(v)) {
		rc = bad(c->err, c->source, at(c, "tz"), "expected a zone "
		    "name such as \"Europe/Berlin\"");
		goto out;
	}
	if (fmts != NULL) {
		size_t i;
		json_t *e;

		formats = calloc(json_array_size(fmts), sizeof(*formats));
		if (formats == NULL) {
			rc = oom(c->err);
			goto out;
		}
		json_array_foreach(fmts, i, e)
			formats[i] = json_string_value(e);
		nformats = (int)json_array_size(fmts);
	}
	etl_error_init(&cerr);
	if (etl_cast_init(&fd->cast, type, formats, nformats,
	    v ? json_string_value(v) : NULL, &cerr) < 0) {
		rc = cerr.kind == ETL_ECONFIG ? bad(c->err, c->source,
		    at(c, strncmp(cerr.message, "format", 6) == 0 ?
		    "formats" : "tz"), "%s", cerr.message) : oom(c->err);
		goto out;
	}
	rc = parse_rules(c, fd, f);
out:
	free(formats);
	json_decref(fmts);
	return rc;
}

static int
resolve_field(const char *name, void *arg)
{
	const struct etl_spec *s = arg;
	json_t *i = json_object_get(s->names, name);

	if (i != NULL)
		return (int)json_integer_value(i);
	return s->keep_unmapped ? -2 : -1;
}

static int
cmp_hash_names(const void *a, const void *b, void *arg)
{
	const struct etl_spec *s = arg;

	return strcmp(s->fields[*(const int *)a].name,
	    s->fields[*(const int *)b].name);
}

static int
parse_hash(struct ctx *c, struct etl_spec *s, const json_t *h)
{
	const json_t *field = h;
	json_t *of = NULL, *e;
	const char *key;
	size_t i;

	if (json_is_object(h)) {
		json_object_foreach((json_t *)h, key, e)
			if (strcmp(key, "field") != 0 && strcmp(key, "of") != 0)
				return bad(c->err, c->source, "hash", "unknown "
				    "key '%s' (use field and of)", key);
		field = json_object_get(h, "field");
		of = json_object_get(h, "of");
	}
	if (field == NULL || !json_is_string(field) ||
	    json_string_length(field) == 0)
		return bad(c->err, c->source, json_is_object(h) ? "hash.field" :
		    "hash", "expected the name of the output field for the "
		    "hash");
	if (resolve_field(json_string_value(field), s) >= 0)
		return bad(c->err, c->source, "hash.field", "'%s' is already "
		    "a field", json_string_value(field));
	if ((s->hash_field = strdup(json_string_value(field))) == NULL)
		return oom(c->err);
	if (of != NULL && (!json_is_array(of) || json_array_size(of) == 0))
		return bad(c->err, c->source, "hash.of", "expected a non-empty "
		    "array of field names");
	s->nhash = of ? (int)json_array_size(of) : s->nfields;
	if ((s->hash_of = calloc((size_t)s->nhash + 1, sizeof(int))) == NULL)
		return oom(c->err);
	for (i = 0; i < (size_t)s->nhash; i++) {
		int k = (int)i;

		if (of != NULL) {
			char place[32];

			e = json_array_get(of, i);
			snprintf(place, sizeof(place), "hash.of[%zu]", i);
			if (!json_is_string(e))
				return bad(c->err, c->source, place, "expected "
				    "a field name");
			k = resolve_field(json_string_value(e), s);
			if (k < 0)
				return bad(c->err, c->source, place, "'%s' is "
				    "not a field of the spec",
				    json_string_value(e));
			for (size_t j = 0; j < i; j++)
				if (s->hash_of[j] == k)
					return bad(c->err, c->source, place,
					    "'%s' is listed twice",
					    json_string_value(e));
		}
		s->hash_of[i] = k;
	}
	qsort_r(s->hash_of, (size_t)s->nhash, sizeof(int), cmp_hash_names, s);
	return 0;
}

static int
parse_top(struct ctx *c, struct etl_spec *s, const json_t *doc)
{
	const char *key;
	json_t *v;

	if (!json_is_object(doc))
		return bad(c->err, c->source, NULL, "a spec is a JSON object");
	json_object_foreach((json_t *)doc, key, v)
		if (!known_key(key, top_keys))
			return bad(c->err, c->source, key, "unknown key");
	v = json_object_get(doc, "name");
	if (v == NULL || !json_is_string(v) || json_string_length(v) == 0)
		return bad(c->err, c->source, "name", v ? "expected a "
		    "non-empty string" : "missing (every spec has a name)");
	if ((s->name = strdup(json_string_value(v))) == NULL)
		return oom(c->err);
	v = json_object_get(doc, "version");
	if (v == NULL || !json_is_integer(v) || json_integer_value(v) < 0)
		return bad(c->err, c->source, "version", v ? "expected a "
		    "non-negative integer" : "missing (every spec has a "
		    "version)");
	s->version = json_integer_value(v);
	v = json_object_get(doc, "keep_unmapped");
	if (v != NULL && !json_is_boolean(v))
		return bad(c->err, c->source, "keep_unmapped", "expected true "
		    "or false");
	s->keep_unmapped = json_is_true(v);
	v = json_object_get(doc, "order");
	if (v != NULL && (!json_is_string(v) ||
	    (strcmp(json_string_value(v), "spec") != 0 &&
	    strcmp(json_string_value(v), "input") != 0)))
		return bad(c->err, c->source, "order", "expected \"spec\" or "
		    "\"input\"");
	s->order_input = v != NULL && strcmp(json_string_value(v),
	    "input") == 0;
	if (s->order_input && !s->keep_unmapped)
		return bad(c->err, c->source, "order", "\"input\" goes with "
		    "keep_unmapped true");
	v = json_object_get(doc, "description");
	if (v != NULL && !json_is_string(v))
		return bad(c->err, c->source, "description", "expected a "
		    "string");
	return 0;
}

static int
compile(struct ctx *c, struct etl_spec *s, const json_t *doc)
{
	const char *key;
	json_t *fields, *v;
	size_t n;
	int i = 0;

	if (parse_top(c, s, doc) < 0)
		return -1;
	fields = json_object_get(doc, "fields");
	/* No fields is a pass-through: only with keep_unmapped. */
	if (fields == NULL || !json_is_object(fields) ||
	    (json_object_size(fields) == 0 && !s->keep_unmapped))
		return bad(c->err, c->source, "fields", fields ? "expected a "
		    "non-empty object" : "missing");
	n = json_object_size(fields) + 1;
	s->fields = calloc(n, sizeof(*s->fields));
	s->vals = calloc(n, sizeof(*s->vals));
	s->failed = calloc(n, 1);
	s->emitted = calloc(n, 1);
	s->consumed = json_object();
	s->names = json_object();
	if (s->fields == NULL || s->vals == NULL || s->failed == NULL ||
	    s->emitted == NULL || s->consumed == NULL || s->names == NULL)
		return oom(c->err);
	json_object_foreach(fields, key, v) {
		struct etl_spec_field *fd = &s->fields[i];

		etl_rules_init(&fd->rules);
		s->nfields = ++i;
		if (*key == '\0')
			return bad(c->err, c->source, "fields", "a field name "
			    "is empty");
		if (parse_field(c, fd, key, v) < 0)
			return -1;
		if ((fd->from_key != NULL && json_object_set_new(s->consumed,
		    fd->from_key, json_true()) < 0) ||
		    json_object_set_new(s->names, key, json_integer(i - 1)) < 0)
			return oom(c->err);
	}
	if ((v = json_object_get(doc, "where")) != NULL) {
		struct etl_error werr;

		if (!json_is_string(v))
			return bad(c->err, c->source, "where", "expected an "
			    "expression in a string");
		s->where_text = strdup(json_string_value(v));
		if (s->where_text == NULL)
			return oom(c->err);
		s->where = etl_expr_new(s->where_text, resolve_field, s, &werr);
		if (s->where == NULL)
			return werr.kind == ETL_ECONFIG ? bad(c->err, c->source,
			    "where", "%s", werr.message) : oom(c->err);
	}
	if ((v = json_object_get(doc, "hash")) != NULL &&
	    parse_hash(c, s, v) < 0)
		return -1;
	s->stamp = json_pack("{s:s, s:I}", "name", s->name, "version",
	    (json_int_t)s->version);
	if (s->stamp == NULL)
		return oom(c->err);
	return 0;
}

struct etl_spec *
etl_spec_from_json(const json_t *doc, const char *source,
    struct etl_error *err)
{
	struct etl_spec *s = calloc(1, sizeof(*s));
	struct ctx c;

	if (s == NULL || (s->source = strdup(source)) == NULL) {
		free(s);
		oom(err);
		return NULL;
	}
	etl_buf_init(&s->msg);
	etl_buf_init(&s->scratch);
	memset(&c, 0, sizeof(c));
	c.source = source;
	c.err = err;
	if (compile(&c, s, doc) < 0) {
		if (err->kind == ETL_OK)
			oom(err);
		etl_spec_free(s);
		return NULL;
	}
	return s;
}

struct etl_spec *
etl_spec_from_text(const char *text, size_t len, const char *source,
    struct etl_error *err)
{
	struct etl_spec *s;
	json_error_t jerr;
	json_t *doc;

	doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	/* Jansson leaves the text empty when its set-up allocation fails. */
	if (doc == NULL && (json_error_code(&jerr) ==
	    json_error_out_of_memory || jerr.text[0] == '\0')) {
		oom(err);
		return NULL;
	}
	if (doc == NULL) {
		etl_error_at(err, ETL_ECONFIG, source, jerr.line > 0 ?
		    jerr.line : 0, NULL, "invalid JSON at column %d: %s",
		    jerr.column, jerr.text);
		return NULL;
	}
	s = etl_spec_from_json(doc, source, err);
	json_decref(doc);
	return s;
}

struct etl_spec *
etl_spec_load(const char *path, struct etl_error *err)
{
	struct etl_spec *s = NULL;
	struct etl_buf b;
	char chunk[8192];
	size_t n;
	FILE *f;

	etl_buf_init(&b);
	f = fopen(path, "rb");
	if (f == NULL) {
		etl_error_at(err, errno == ENOENT ? ETL_ENOINPUT : ETL_ECONFIG,
		    path, 0, NULL, "cannot open the spec: %s", strerror(errno));
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b.len + n > SPEC_MAX_FILE) {
			etl_error_at(err, ETL_ECONFIG, path, 0, NULL, "spec "
			    "larger than 16 MiB");
			goto out;
		}
		if (etl_buf_append(&b, chunk, n) < 0) {
			oom(err);
			goto out;
		}
	}
	if (ferror(f)) {
		etl_error_at(err, ETL_EIO, path, 0, NULL, "read error: %s",
		    strerror(errno));
		goto out;
	}
	s = etl_spec_from_text(b.data ? b.data : "", b.len, path, err);
out:
	fclose(f);
	etl_buf_release(&b);
	return s;
}

void
etl_spec_free(struct etl_spec *s)
{
	if (s == NULL)
		return;
	for (int i = 0; i < s->nfields; i++) {
		struct etl_spec_field *fd = &s->fields[i];

		free(fd->name);
		etl_path_free(fd->from);
		free(fd->from_key);
		etl_cast_release(&fd->cast);
		etl_rules_release(&fd->rules);
		json_decref(fd->def);
		free(fd->sep);
	}
	free(s->fields);
	free(s->vals);
	free(s->failed);
	free(s->emitted);
	free(s->where_text);
	etl_expr_free(s->where);
	free(s->hash_field);
	free(s->hash_of);
	json_decref(s->consumed);
	json_decref(s->names);
	json_decref(s->stamp);
	etl_buf_release(&s->msg);
	etl_buf_release(&s->scratch);
	free(s->name);
	free(s->source);
	free(s);
}

char *
etl_spec_label(const struct etl_spec *s, char *buf, size_t n)
{
	snprintf(buf, n, "%s v%lld", s->name, s->version);
	return buf;
}
