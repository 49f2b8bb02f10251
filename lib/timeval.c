#include <ctype.h>

#include "timeval.h"

int64_t
etl_days_from_civil(int64_t y, int m, int d)
{
	/* Howard Hinnant's days_from_civil. */
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
etl_civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int
digits(const char **p, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

static int
month_days(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

int
etl_time_parse(const char *s, struct etl_instant *out)
{
	const char *p = s;
	int y, mo, d, h = 0, mi = 0, se = 0, off = 0;
	int32_t nsec = 0;

	if (digits(&p, 4, &y) < 0 || *p++ != '-' || digits(&p, 2, &mo) < 0 ||
	    *p++ != '-' || digits(&p, 2, &d) < 0)
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo))
		return -1;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (digits(&p, 2, &h) < 0 || *p++ != ':' ||
		    digits(&p, 2, &mi) < 0)
			return -1;
		if (*p == ':') {
			p++;
			if (digits(&p, 2, &se) < 0)
				return -1;
			if (*p == '.' || *p == ',') {
				int32_t scale = 100000000;

				p++;
				if (!isdigit((unsigned char)*p))
					return -1;
				while (isdigit((unsigned char)*p)) {
					nsec += (*p - '0') * scale;
					scale /= 10;
					p++;
				}
			}
		}
		/* 24:00:00 is not accepted; leap second 60 is folded. */
		if (h > 23 || mi > 59 || se > 60)
			return -1;
		if (se == 60)
			se = 59;
		if (*p == 'Z' || *p == 'z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			int sign = *p++ == '-' ? -1 : 1, oh, om = 0;

			if (digits(&p, 2, &oh) < 0)
				return -1;
			if (*p == ':') {
				/* "+02:" alone is not an offset. */
				p++;
				if (digits(&p, 2, &om) < 0)
					return -1;
			} else if (isdigit((unsigned char)*p) &&
			    digits(&p, 2, &om) < 0) {
				return -1;
			}
			if (oh > 23 || om > 59)
				return -1;
			off = sign * (oh * 3600 + om * 60);
		}
	}
	if (*p != '\0')
		return -1;
	out->sec = etl_days_from_civil(y, mo, d) * 86400 + h * 3600 +
	    mi * 60 + se - off;
	out->nsec = nsec;
	return 0;
}

int
etl_time_cmp(const struct etl_instant *a, const struct etl_instant *b)
{
	if (a->sec != b->sec)
		return a->sec < b->sec ? -1 : 1;
	if (a->nsec != b->nsec)
		return a->nsec < b->nsec ? -1 : 1;
	return 0;
}

void
etl_time_add_ms(struct etl_instant *t, int64_t ms)
{
	int64_t ns = (int64_t)t->nsec + (ms % 1000) * 1000000;

	t->sec += ms / 1000;
	if (ns < 0) {
		ns += 1000000000;
		t->sec--;
	} else if (ns >= 1000000000) {
		ns -= 1000000000;
		t->sec++;
	}
	t->nsec = (int32_t)ns;
}

char *
etl_time_format(const struct etl_instant *t, char *buf)
{
	int64_t days = t->sec / 86400, rem = t->sec % 86400, y;
	int m, d;
	size_t n;

	if (rem < 0) {
		rem += 86400;
		days--;
	}
	etl_civil_from_days(days, &y, &m, &d);
	n = (size_t)snprintf(buf, ETL_TIME_BUFSZ,
	    "%04lld-%02d-%02dT%02d:%02d:%02d", (long long)y, m, d,
	    (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
	if (t->nsec != 0 && n < ETL_TIME_BUFSZ - 12) {
		char frac[10];
		int k = 9;

		snprintf(frac, sizeof(frac), "%09d", (int)t->nsec);
		while (k > 1 && frac[k - 1] == '0')
			k--;
		frac[k] = '\0';
		n += (size_t)snprintf(buf + n, ETL_TIME_BUFSZ - n, ".%s", frac);
	}
	snprintf(buf + n, ETL_TIME_BUFSZ - n, "Z");
	return buf;
}

struct etl_instant
etl_time_now(void)
{
	struct timespec ts;
	struct etl_instant t;

	clock_gettime(CLOCK_REALTIME, &ts);
	t.sec = ts.tv_sec;
	t.nsec = (int32_t)ts.tv_nsec;
	return t;
}
