#include <ctype.h>

#include "jsonw.h"
#include "rules.h"
#include "strbuf.h"
#include "timeval.h"

void
etl_rules_init(struct etl_rules *r)
{
	memset(r, 0, sizeof(*r));
	r->min_length = -1;
	r->max_length = -1;
}

void
etl_rules_release(struct etl_rules *r)
{
	json_decref(r->null_if);
	json_decref(r->enumv);
	json_decref(r->min);
	json_decref(r->max);
	if (r->pattern != NULL)
		regfree(&r->re);
	free(r->pattern);
	etl_rules_init(r);
}

int
etl_rules_set_pattern(struct etl_rules *r, const char *pattern,
    struct etl_error *err)
{
	char msg[256];
	int rc;

	if (r->pattern != NULL) {
		regfree(&r->re);
		free(r->pattern);
		r->pattern = NULL;
	}
	rc = regcomp(&r->re, pattern, REG_EXTENDED | REG_NOSUB);
	if (rc != 0) {
		regerror(rc, &r->re, msg, sizeof(msg));
		return etl_error_set(err, ETL_ECONFIG, "%s", msg);
	}
	r->pattern = strdup(pattern);
	if (r->pattern == NULL) {
		regfree(&r->re);
		return etl_error_set(err, ETL_EINTERNAL, "out of memory");
	}
	return 0;
}

int
etl_rules_have_prepare(const struct etl_rules *r)
{
	return r->trim || r->lower || r->upper || r->null_if != NULL;
}

static int
is_space_at(const unsigned char *p, const unsigned char *end, size_t *n)
{
	if (p < end && (*p == ' ' || (*p >= '\t' && *p <= '\r'))) {
		*n = 1;
		return 1;
	}
	if (end - p >= 2 && p[0] == 0xc2 && p[1] == 0xa0) {
		*n = 2;
		return 1;
	}
	return 0;
}

/* The trimmed span of s[0..len). */
static void
trim_span(const char *s, size_t len, size_t *start, size_t *end)
{
	const unsigned char *b = (const unsigned char *)s, *p = b;
	const unsigned char *e = b + len;
	size_t n;

	while (is_space_at(p, e, &n))
		p += n;
	while (e > p) {
		if (e[-1] == ' ' || (e[-1] >= '\t' && e[-1] <= '\r'))
			e--;
		else if (e - p >= 2 && e[-2] == 0xc2 && e[-1] == 0xa0)
			e -= 2;
		else
			break;
	}
	*start = (size_t)(p - b);
	*end = (size_t)(e - b);
}

int
etl_rules_prepare(const struct etl_rules *r, const json_t *in, json_t **out)
{
	const char *s;
	size_t len, start = 0, end, i;
	json_t *v;
	char *copy;
	int change = 0;

	*out = NULL;
	if (!json_is_string(in)) {
		*out = json_incref((json_t *)in);
		return 0;
	}
	s = json_string_value(in);
	len = json_string_length(in);
	end = len;
	if (r->trim)
		trim_span(s, len, &start, &end);
	if (r->null_if != NULL) {
		json_array_foreach(r->null_if, i, v) {
			if (json_string_length(v) == end - start &&
			    memcmp(json_string_value(v), s + start, end -
			    start) == 0) {
				*out = json_null();
				return 0;
			}
		}
	}
	if (r->lower || r->upper) {
		for (i = start; i < end && !change; i++)
			change = r->lower ? isupper((unsigned char)s[i]) :
			    islower((unsigned char)s[i]);
	}
	if (!change && start == 0 && end == len) {
		*out = json_incref((json_t *)in);
		return 0;
	}
	copy = malloc(end - start + 1);
	if (copy == NULL)
		return -1;
	memcpy(copy, s + start, end - start);
	copy[end - start] = '\0';
	for (i = 0; change && i < end - start; i++)
		copy[i] = (char)(r->lower ? tolower((unsigned char)copy[i]) :
		    toupper((unsigned char)copy[i]));
	*out = json_stringn_nocheck(copy, end - start);
	free(copy);
	return *out ? 0 : -1;
}

size_t
etl_utf8_length(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xc0) != 0x80;
	return n;
}

static int
cmp_bytes(const json_t *a, const json_t *b)
{
	size_t la = json_string_length(a), lb = json_string_length(b);
	int c = memcmp(json_string_value(a), json_string_value(b),
	    la < lb ? la : lb);

	if (c != 0)
		return c < 0 ? -1 : 1;
	return la < lb ? -1 : la > lb;
}

int
etl_value_order(const json_t *a, const json_t *b, int *cmp)
{
	struct etl_instant ta, tb;

	if (json_is_integer(a) && json_is_integer(b)) {
		json_int_t x = json_integer_value(a), y = json_integer_value(b);

		*cmp = x < y ? -1 : x > y;
		return 0;
	}
	if (json_is_number(a) && json_is_number(b)) {
		/* long double holds every int64 exactly on x86-64. */
		long double x = json_is_integer(a) ?
		    (long double)json_integer_value(a) : json_real_value(a);
		long double y = json_is_integer(b) ?
		    (long double)json_integer_value(b) : json_real_value(b);

		*cmp = x < y ? -1 : x > y;
		return 0;
	}
	if (json_is_string(a) && json_is_string(b)) {
		/* Two RFC 3339 texts order as instants. */
		if (json_string_length(a) > 10 && json_string_length(b) > 10 &&
		    etl_time_parse(json_string_value(a), &ta) == 0 &&
		    etl_time_parse(json_string_value(b), &tb) == 0) {
			*cmp = etl_time_cmp(&ta, &tb);
			return 0;
		}
		*cmp = cmp_bytes(a, b);
		return 0;
	}
	if (json_is_boolean(a) && json_is_boolean(b)) {
		*cmp = json_is_true(a) - json_is_true(b);
		return 0;
	}
	return -1;
}

int
etl_value_equal(const json_t *a, const json_t *b)
{
	int cmp;

	if (json_is_number(a) && json_is_number(b))
		return etl_value_order(a, b, &cmp) == 0 && cmp == 0;
	return json_equal((json_t *)a, (json_t *)b);
}

/* Short text of a value for messages. */
static const char *
show(const json_t *v, char *buf, size_t n)
{
	struct etl_buf b;

	if (json_is_string(v)) {
		snprintf(buf, n, "'%.40s%s'", json_string_value(v),
		    json_string_length(v) > 40 ? "..." : "");
		return buf;
	}
	etl_buf_init(&b);
	if (etl_json_dump(&b, v) < 0 || b.data == NULL)
		snprintf(buf, n, "?");
	else
		snprintf(buf, n, "%.40s%s", b.data, b.len > 40 ? "..." : "");
	etl_buf_release(&b);
	return buf;
}

static int
check_enum(const struct etl_rules *r, const json_t *v, char *why, size_t n)
{
	char a[64], b[64];
	size_t i, used;
	json_t *e;

	json_array_foreach(r->enumv, i, e)
		if (etl_value_equal(v, e))
			return 0;
	used = etl_snappend(why, n, 0, "%s not one of ", show(v, a,
	    sizeof(a)));
	json_array_foreach(r->enumv, i, e) {
		if (i == 5) {
			etl_snappend(why, n, used, ", ...");
			break;
		}
		used = etl_snappend(why, n, used, "%s%s", i ? ", " : "",
		    show(e, b, sizeof(b)));
	}
	return -1;
}

int
etl_rules_check(const struct etl_rules *r, enum etl_type type,
    const json_t *v, const char **rule, char *why, size_t n)
{
	char a[64], b[64];
	int cmp;

	(void)type;
	if (r->enumv != NULL && check_enum(r, v, why, n) < 0) {
		*rule = "enum";
		return -1;
	}
	if (r->min != NULL && etl_value_order(v, r->min, &cmp) == 0 &&
	    cmp < 0) {
		*rule = "min";
		snprintf(why, n, "%s below min %s", show(v, a, sizeof(a)),
		    show(r->min, b, sizeof(b)));
		return -1;
	}
	if (r->max != NULL && etl_value_order(v, r->max, &cmp) == 0 &&
	    cmp > 0) {
		*rule = "max";
		snprintf(why, n, "%s above max %s", show(v, a, sizeof(a)),
		    show(r->max, b, sizeof(b)));
		return -1;
	}
	if (r->min_length >= 0 || r->max_length >= 0) {
		long long len = -1;

		if (json_is_string(v))
			len = (long long)etl_utf8_length(json_string_value(v),
			    json_string_length(v));
		else if (json_is_array(v))
			len = (long long)json_array_size(v);
		if (len >= 0 && len < r->min_length) {
			*rule = "min_length";
			snprintf(why, n, "%s shorter than min_length %lld",
			    show(v, a, sizeof(a)), r->min_length);
			return -1;
		}
		if (len >= 0 && r->max_length >= 0 && len > r->max_length) {
			*rule = "max_length";
			snprintf(why, n, "%s longer than max_length %lld",
			    show(v, a, sizeof(a)), r->max_length);
			return -1;
		}
	}
	if (r->pattern != NULL) {
		char *text = NULL;
		const char *s;
		int rc;

		if (json_is_string(v)) {
			s = json_string_value(v);
		} else {
			struct etl_buf tb;

			etl_buf_init(&tb);
			if (etl_json_dump(&tb, v) < 0 || tb.data == NULL) {
				etl_buf_release(&tb);
				*rule = "pattern";
				snprintf(why, n, "out of memory");
				return -1;
			}
			text = tb.data;
			s = text;
		}
		rc = regexec(&r->re, s, 0, NULL, 0);
		free(text);
		if (rc != 0) {
			*rule = "pattern";
			snprintf(why, n, "%s does not match pattern '%.60s'",
			    show(v, a, sizeof(a)), r->pattern);
			return -1;
		}
	}
	return 0;
}
