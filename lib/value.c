#include <ctype.h>
#include <stdint.h>

#include "jsonw.h"
#include "value.h"

#define MAX_DIGITS 256

/* A decimal as sign x 0.DIGITS x 10^exp, digits without leading or
 * trailing zeros; zero has sign 0. */
struct decimal {
	int sign;
	long long exp;
	size_t nd;
	char d[MAX_DIGITS];
};

static int
decimal_parse(const char *s, struct decimal *x)
{
	const char *p = s;
	long long point = 0, e = 0;
	int seen_digit = 0, leading = 1;

	x->sign = 1;
	x->nd = 0;
	if (*p == '-') {
		x->sign = -1;
		p++;
	}
	if (!isdigit((unsigned char)*p))
		return -1;
	if (*p == '0' && isdigit((unsigned char)p[1]))
		return -1;	/* JSON forbids leading zeros */
	for (; isdigit((unsigned char)*p); p++) {
		seen_digit = 1;
		if (leading && *p == '0')
			continue;
		leading = 0;
		if (x->nd == MAX_DIGITS)
			return -1;
		x->d[x->nd++] = *p;
		point++;
	}
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return -1;
		for (; isdigit((unsigned char)*p); p++) {
			if (leading && *p == '0') {
				point--;
				continue;
			}
			leading = 0;
			if (x->nd == MAX_DIGITS)
				return -1;
			x->d[x->nd++] = *p;
		}
	}
	if (*p == 'e' || *p == 'E') {
		int esign = 1;

		p++;
		if (*p == '+' || *p == '-')
			esign = *p++ == '-' ? -1 : 1;
		if (!isdigit((unsigned char)*p))
			return -1;
		for (; isdigit((unsigned char)*p); p++) {
			if (e > 100000000)
				return -1;
			e = e * 10 + (*p - '0');
		}
		e *= esign;
	}
	if (*p != '\0' || !seen_digit)
		return -1;
	while (x->nd > 0 && x->d[x->nd - 1] == '0')
		x->nd--;
	if (x->nd == 0)
		x->sign = 0;
	x->exp = point + e;
	return 0;
}

static int
decimal_cmp(const struct decimal *a, const struct decimal *b)
{
	int mag;
	size_t n;

	if (a->sign != b->sign)
		return a->sign < b->sign ? -1 : 1;
	if (a->sign == 0)
		return 0;
	if (a->exp != b->exp) {
		mag = a->exp < b->exp ? -1 : 1;
	} else {
		n = a->nd < b->nd ? a->nd : b->nd;
		mag = memcmp(a->d, b->d, n);
		if (mag == 0 && a->nd != b->nd)
			mag = a->nd < b->nd ? -1 : 1;
		mag = mag < 0 ? -1 : mag > 0;
	}
	return a->sign * mag;
}

int
etl_number_cmp(const char *a, const char *b, int *cmp)
{
	struct decimal x, y;

	if (decimal_parse(a, &x) < 0 || decimal_parse(b, &y) < 0)
		return -1;
	*cmp = decimal_cmp(&x, &y);
	return 0;
}

enum etl_vkind
etl_value_kind(const char *text)
{
	struct decimal x;
	struct etl_instant t;

	if (text == NULL)
		return ETL_V_NONE;
	if (decimal_parse(text, &x) == 0)
		return ETL_V_NUMBER;
	if (etl_time_parse(text, &t) == 0)
		return ETL_V_TIME;
	return ETL_V_NONE;
}

const char *
etl_vkind_name(enum etl_vkind kind)
{
	switch (kind) {
	case ETL_V_NUMBER:
		return "number";
	case ETL_V_TIME:
		return "timestamp";
	default:
		return "other";
	}
}

int
etl_value_cmp(const char *a, const char *b, int *cmp)
{
	enum etl_vkind ka = etl_value_kind(a), kb = etl_value_kind(b);
	struct etl_instant ta, tb;

	if (ka == ETL_V_NONE || ka != kb)
		return -1;
	if (ka == ETL_V_NUMBER)
		return etl_number_cmp(a, b, cmp);
	etl_time_parse(a, &ta);
	etl_time_parse(b, &tb);
	*cmp = etl_time_cmp(&ta, &tb);
	return 0;
}

char *
etl_value_text(const json_t *v)
{
	char buf[64];

	if (v == NULL)
		return NULL;
	switch (json_typeof(v)) {
	case JSON_STRING:
		return strndup(json_string_value(v), json_string_length(v));
	case JSON_INTEGER:
		snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		return strdup(buf);
	case JSON_REAL:
		etl_json_format_real(json_real_value(v), buf, sizeof(buf));
		return strdup(buf);
	default:
		return NULL;
	}
}
