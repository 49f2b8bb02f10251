#include <ctype.h>
#include <errno.h>
#include <limits.h>

#include "parse.h"

static int
fail(const char **why, const char *msg)
{
	if (why != NULL)
		*why = msg;
	return -1;
}

int
etl_parse_int(const char *s, long long min, long long max, long long *out,
    const char **why)
{
	char *end;
	long long v;

	if (s == NULL || *s == '\0')
		return fail(why, "empty number");
	if (isspace((unsigned char)*s))
		return fail(why, "leading space");
	errno = 0;
	v = strtoll(s, &end, 10);
	if (end == s)
		return fail(why, "not a number");
	if (*end != '\0')
		return fail(why, "trailing characters after number");
	if (errno == ERANGE || v < min || v > max)
		return fail(why, "number out of range");
	*out = v;
	return 0;
}

static int64_t
unit_ms(const char *u, size_t n)
{
	if (n == 2 && memcmp(u, "ms", 2) == 0)
		return 1;
	if (n != 1)
		return -1;
	switch (*u) {
	case 's':
		return 1000;
	case 'm':
		return 60 * 1000;
	case 'h':
		return 3600 * 1000;
	case 'd':
		return 86400 * 1000;
	}
	return -1;
}

int
etl_parse_duration(const char *s, int64_t *ms, const char **why)
{
	int64_t total = 0;
	const char *p = s;

	if (s == NULL || *s == '\0')
		return fail(why, "empty duration");
	if (strcmp(s, "0") == 0) {
		*ms = 0;
		return 0;
	}
	while (*p != '\0') {
		int64_t n = 0, mult;
		const char *u;

		if (!isdigit((unsigned char)*p))
			return fail(why, "duration must look like 500ms, "
			    "30s, 5m, 2h or 7d");
		while (isdigit((unsigned char)*p)) {
			if (n > (INT64_MAX - 9) / 10)
				return fail(why, "duration out of range");
			n = n * 10 + (*p++ - '0');
		}
		u = p;
		while (isalpha((unsigned char)*p))
			p++;
		if (p == u)
			return fail(why, "duration needs a unit "
			    "(ms, s, m, h, d)");
		mult = unit_ms(u, (size_t)(p - u));
		if (mult < 0)
			return fail(why, "unknown duration unit "
			    "(use ms, s, m, h or d)");
		if (n > (INT64_MAX - total) / mult)
			return fail(why, "duration out of range");
		total += n * mult;
	}
	*ms = total;
	return 0;
}

int
etl_parse_size(const char *s, size_t *out, const char **why)
{
	unsigned long long n = 0, mult = 1;
	const char *p = s;

	if (s == NULL || !isdigit((unsigned char)*s))
		return fail(why, "size must look like 1048576, 512K, 64M "
		    "or 1G");
	while (isdigit((unsigned char)*p)) {
		if (n > (ULLONG_MAX - 9) / 10)
			return fail(why, "size out of range");
		n = n * 10 + (unsigned)(*p++ - '0');
	}
	switch (*p) {
	case '\0':
		break;
	case 'K': case 'k':
		mult = 1ULL << 10;
		p++;
		break;
	case 'M': case 'm':
		mult = 1ULL << 20;
		p++;
		break;
	case 'G': case 'g':
		mult = 1ULL << 30;
		p++;
		break;
	default:
		return fail(why, "unknown size suffix (use K, M or G)");
	}
	if (*p == 'B' || *p == 'b')
		p++;
	if (*p != '\0')
		return fail(why, "trailing characters after size");
	if (n > SIZE_MAX / mult)
		return fail(why, "size out of range");
	*out = (size_t)(n * mult);
	return 0;
}
