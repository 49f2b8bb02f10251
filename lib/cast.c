#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <strings.h>

#include "cast.h"
#include "jsonw.h"
#include "strbuf.h"
#include "value.h"

static const char *const type_names[] = {
	[ETL_T_JSON] = "json",
	[ETL_T_STRING] = "string",
	[ETL_T_INTEGER] = "integer",
	[ETL_T_NUMBER] = "number",
	[ETL_T_BOOLEAN] = "boolean",
	[ETL_T_DATE] = "date",
	[ETL_T_DATETIME] = "datetime",
};

const char *
etl_type_name(enum etl_type t)
{
	return type_names[t];
}

int
etl_type_parse(const char *name, enum etl_type *out)
{
	for (size_t i = 0; i < sizeof(type_names) / sizeof(type_names[0]);
	    i++) {
		if (strcmp(type_names[i], name) == 0) {
			*out = (enum etl_type)i;
			return 0;
		}
	}
	return -1;
}

int
etl_cast_init(struct etl_cast *c, enum etl_type type,
    const char *const *formats, int nformats, const char *tz,
    struct etl_error *err)
{
	const char *why;

	memset(c, 0, sizeof(*c));
	c->type = type;
	if ((nformats > 0 || tz != NULL) && type != ETL_T_DATE &&
	    type != ETL_T_DATETIME)
		return etl_error_set(err, ETL_ECONFIG, "formats and tz go "
		    "with types date and datetime");
	if (nformats > 0) {
		c->formats = calloc((size_t)nformats, sizeof(*c->formats));
		if (c->formats == NULL)
			goto oom;
		for (int i = 0; i < nformats; i++) {
			if (etl_timefmt_check(formats[i], type, &why) < 0) {
				etl_error_set(err, ETL_ECONFIG, "format '%s': "
				    "%s", formats[i], why);
				goto fail;
			}
			c->formats[i] = strdup(formats[i]);
			if (c->formats[i] == NULL)
				goto oom;
			c->nformats = i + 1;
		}
	}
	if (tz != NULL && (c->tz = etl_tz_new(tz, err)) == NULL)
		goto fail;
	return 0;
oom:
	etl_error_set(err, ETL_EINTERNAL, "out of memory");
fail:
	etl_cast_release(c);
	return -(int)err->kind;
}

void
etl_cast_release(struct etl_cast *c)
{
	for (int i = 0; i < c->nformats; i++)
		free(c->formats[i]);
	free(c->formats);
	etl_tz_free(c->tz);
	memset(c, 0, sizeof(*c));
}

/* Fill why with fmt and the value quoted (at most 40 bytes of it). */
static int
fail_at(char *why, size_t n, const char *s, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int
fail_at(char *why, size_t n, const char *s, size_t len, const char *fmt, ...)
{
	va_list ap;
	size_t used;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(why, n, fmt, ap);
	va_end(ap);
	used = k < 0 ? 0 : (size_t)k >= n ? n - 1 : (size_t)k;
	if (s != NULL) {
		/* Cut at a character boundary. */
		size_t show = len;

		if (show > 40) {
			show = 40;
			while (show > 0 && ((unsigned char)s[show] & 0xc0) ==
			    0x80)
				show--;
		}
		etl_snappend(why, n, used, ": '%.*s%s'", (int)show, s,
		    show < len ? "..." : "");
	}
	return -1;
}

static const char *
type_phrase(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
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
etl_cast_integer_text(const char *s, size_t len, int64_t *out, char *why,
    size_t n)
{
	const char *p = s, *end = s + len;
	uint64_t v = 0, limit;
	int neg = 0, digits = 0;

	if (p < end && (*p == '-' || *p == '+'))
		neg = *p++ == '-';
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; p < end && isdigit((unsigned char)*p); p++) {
		unsigned d = (unsigned)(*p - '0');

		digits++;
		if (v > (limit - d) / 10) {
			/* Check the rest is digits, to say the right thing. */
			while (p < end && isdigit((unsigned char)*p))
				p++;
			if (p == end)
				return fail_at(why, n, s, len, "out of the "
				    "64-bit integer range");
			return fail_at(why, n, s, len, "not an integer");
		}
		v = v * 10 + d;
	}
	if (digits > 0 && p < end && *p == '.') {
		/* "3.00" is the integer 3; "3.5" is not an integer. */
		const char *q = p + 1;

		while (q < end && *q == '0')
			q++;
		if (q == end && q > p + 1)
			p = end;
	}
	if (digits == 0 || p != end)
		return fail_at(why, n, s, len, "not an integer");
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return 0;
}

/*
 * Check number syntax and write its JSON form (no '+', no leading zeros,
 * "0.5" for ".5") into norm.  Sets *integral when there is no fraction
 * and no exponent.
 */
static int
number_syntax(const char *s, size_t len, struct etl_buf *norm, int *integral)
{
	const char *p = s, *end = s + len;
	int int_digits = 0, frac_digits = 0;

	*integral = 1;
	if (p < end && (*p == '-' || *p == '+')) {
		if (*p == '-' && etl_buf_putc(norm, '-') < 0)
			return -1;
		p++;
	}
	while (p + 1 < end && *p == '0' && isdigit((unsigned char)p[1]))
		p++;
	for (const char *q = p; q < end && isdigit((unsigned char)*q); q++)
		int_digits++;
	if (int_digits > 0 && etl_buf_append(norm, p, (size_t)int_digits) < 0)
		return -1;
	p += int_digits;
	if (p < end && *p == '.') {
		p++;
		for (const char *q = p; q < end && isdigit((unsigned char)*q);
		    q++)
			frac_digits++;
		if (int_digits == 0 && frac_digits == 0)
			return -1;
		if (int_digits == 0 && etl_buf_putc(norm, '0') < 0)
			return -1;
		if (frac_digits > 0 && (etl_buf_putc(norm, '.') < 0 ||
		    etl_buf_append(norm, p, (size_t)frac_digits) < 0))
			return -1;
		p += frac_digits;
		*integral = 0;
	} else if (int_digits == 0) {
		return -1;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		const char *q = ++p;

		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (p == end || !isdigit((unsigned char)*p))
			return -1;
		while (p < end && isdigit((unsigned char)*p))
			p++;
		if (etl_buf_putc(norm, 'e') < 0 ||
		    etl_buf_append(norm, q, (size_t)(p - q)) < 0)
			return -1;
		*integral = 0;
	}
	return p == end ? 0 : -1;
}

/* Significant digits of a number in JSON syntax (mantissa only). */
static int
significant_digits(const char *p)
{
	int n = 0, started = 0, trailing = 0;

	for (; *p != '\0' && *p != 'e' && *p != 'E'; p++) {
		if (!isdigit((unsigned char)*p))
			continue;
		if (*p != '0')
			started = 1;
		if (!started)
			continue;
		n++;
		trailing = *p == '0' ? trailing + 1 : 0;
	}
	return n - trailing;
}

int
etl_cast_number_text(const char *s, size_t len, json_t **out, char *why,
    size_t n)
{
	struct etl_buf norm;
	char back[64];
	int integral, cmp, sig, rc = -1;
	int64_t iv;
	double d;

	*out = NULL;
	etl_buf_init(&norm);
	if (len > 400 || number_syntax(s, len, &norm, &integral) < 0 ||
	    norm.data == NULL) {
		fail_at(why, n, s, len, "not a number");
		goto out;
	}
	if (integral) {
		char scratch[8];

		if (etl_cast_integer_text(norm.data, norm.len, &iv, scratch,
		    sizeof(scratch)) < 0) {
			fail_at(why, n, s, len, "too large to be exact as a "
			    "number (cast it to string)");
			goto out;
		}
		*out = json_integer(iv);
		rc = 0;
		goto out;
	}
	errno = 0;
	d = strtod(norm.data, NULL);
	if (!isfinite(d)) {
		fail_at(why, n, s, len, "out of range for a number");
		goto out;
	}
	/*
	 * Up to 15 significant digits always read back exactly (DBL_DIG),
	 * away from the subnormal range: only longer texts need the
	 * (slow) round trip.
	 */
	sig = significant_digits(norm.data);
	if (sig <= 15 && ((d == 0 && sig == 0) || fabs(d) >= 1e-300)) {
		*out = json_real(d);
		rc = 0;
		goto out;
	}
	etl_json_format_real(d, back, sizeof(back));
	if (etl_number_cmp(norm.data, back, &cmp) < 0 || cmp != 0) {
		fail_at(why, n, s, len, "more digits than a number holds "
		    "exactly (cast it to string)");
		goto out;
	}
	*out = json_real(d);
	rc = 0;
out:
	if (rc == 0 && *out == NULL)
		rc = fail_at(why, n, NULL, 0, "out of memory");
	etl_buf_release(&norm);
	return rc;
}

int
etl_cast_boolean_text(const char *s, size_t len, int *out)
{
	static const struct {
		const char *text;
		int value;
	} words[] = {
		{ "true", 1 }, { "false", 0 }, { "1", 1 }, { "0", 0 },
		{ "yes", 1 }, { "no", 0 },
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (strlen(words[i].text) == len &&
		    strncasecmp(words[i].text, s, len) == 0) {
			*out = words[i].value;
			return 0;
		}
	}
	return -1;
}

static int
cast_string(const json_t *in, json_t **out, char *why, size_t n)
{
	char *text;

	switch (json_typeof(in)) {
	case JSON_STRING:
		if (!etl_utf8_valid(json_string_value(in),
		    json_string_length(in)))
			return fail_at(why, n, NULL, 0, "not valid UTF-8");
		*out = json_incref((json_t *)in);
		return 0;
	case JSON_INTEGER:
	case JSON_REAL:
		text = etl_value_text(in);
		*out = text ? json_string(text) : NULL;
		free(text);
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		*out = json_string(json_is_true(in) ? "true" : "false");
		break;
	default:
		return fail_at(why, n, NULL, 0, "%s, not a string",
		    type_phrase(in));
	}
	return *out ? 0 : fail_at(why, n, NULL, 0, "out of memory");
}

static int
real_to_integer(double d, int64_t *out)
{
	/* 2^63 is exactly representable; the range is [-2^63, 2^63). */
	if (!isfinite(d) || d != floor(d) || d < -9223372036854775808.0 ||
	    d >= 9223372036854775808.0)
		return -1;
	*out = (int64_t)d;
	return 0;
}

static int
cast_integer(const json_t *in, json_t **out, char *why, size_t n)
{
	char buf[64];
	int64_t v;

	switch (json_typeof(in)) {
	case JSON_INTEGER:
		*out = json_incref((json_t *)in);
		return 0;
	case JSON_REAL:
		if (real_to_integer(json_real_value(in), &v) < 0) {
			etl_json_format_real(json_real_value(in), buf,
			    sizeof(buf));
			return fail_at(why, n, buf, strlen(buf),
			    "not an integer");
		}
		break;
	case JSON_STRING:
		if (etl_cast_integer_text(json_string_value(in),
		    json_string_length(in), &v, why, n) < 0)
			return -1;
		break;
	default:
		return fail_at(why, n, NULL, 0, "%s, not an integer",
		    type_phrase(in));
	}
	*out = json_integer(v);
	return *out ? 0 : fail_at(why, n, NULL, 0, "out of memory");
}

static int
cast_number(const json_t *in, json_t **out, char *why, size_t n)
{
	switch (json_typeof(in)) {
	case JSON_INTEGER:
	case JSON_REAL:
		*out = json_incref((json_t *)in);
		return 0;
	case JSON_STRING:
		return etl_cast_number_text(json_string_value(in),
		    json_string_length(in), out, why, n);
	default:
		return fail_at(why, n, NULL, 0, "%s, not a number",
		    type_phrase(in));
	}
}

static int
cast_boolean(const json_t *in, json_t **out, char *why, size_t n)
{
	int b;

	switch (json_typeof(in)) {
	case JSON_TRUE:
	case JSON_FALSE:
		*out = json_incref((json_t *)in);
		return 0;
	case JSON_INTEGER:
		if (json_integer_value(in) != 0 && json_integer_value(in) != 1)
			return fail_at(why, n, NULL, 0, "not a boolean: %"
			    JSON_INTEGER_FORMAT, json_integer_value(in));
		b = json_integer_value(in) == 1;
		break;
	case JSON_STRING:
		if (etl_cast_boolean_text(json_string_value(in),
		    json_string_length(in), &b) < 0)
			return fail_at(why, n, json_string_value(in),
			    json_string_length(in), "not a boolean");
		break;
	default:
		return fail_at(why, n, NULL, 0, "%s, not a boolean",
		    type_phrase(in));
	}
	*out = json_boolean(b);
	return 0;
}

int
etl_cast_value(const struct etl_cast *c, const json_t *in, json_t **out,
    char *why, size_t n)
{
	*out = NULL;
	switch (c->type) {
	case ETL_T_STRING:
		return cast_string(in, out, why, n);
	case ETL_T_INTEGER:
		return cast_integer(in, out, why, n);
	case ETL_T_NUMBER:
		return cast_number(in, out, why, n);
	case ETL_T_BOOLEAN:
		return cast_boolean(in, out, why, n);
	case ETL_T_DATE:
	case ETL_T_DATETIME:
		return etlp_cast_time(c, in, out, why, n);
	case ETL_T_JSON:
		break;
	}
	*out = json_incref((json_t *)in);
	return 0;
}
