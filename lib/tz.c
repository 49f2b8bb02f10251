#include <ctype.h>
#include <errno.h>
#include <stdint.h>

#include "strbuf.h"
#include "timeval.h"
#include "tz.h"

#define TZ_MAX_FILE ((size_t)1 << 20)

/* A POSIX TZ rule date: Jn, n or Mm.w.d, and the local time it happens. */
struct rule_date {
	char kind;		/* 'J', 'N' or 'M' */
	int n, m, w, d;
	int32_t secs;		/* local time of day, may be <0 or >24h */
};

struct posix_rule {
	int32_t std_off;	/* UTC offsets (east positive) */
	int32_t dst_off;
	int has_dst;
	struct rule_date start, end;
};

struct etl_tz {
	char *name;
	size_t n;		/* transitions */
	int64_t *times;
	int32_t *offs;		/* offset after each transition */
	int32_t first_off;	/* before the first transition */
	int has_rule;
	struct posix_rule rule;
};

static int
is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
month_days(int64_t y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Floor division. */
static int64_t
fdiv(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* Days since the epoch of a rule date in year y. */
static int64_t
rule_day(const struct rule_date *r, int64_t y)
{
	int64_t jan1 = etl_days_from_civil(y, 1, 1), first;
	int wd, day;

	switch (r->kind) {
	case 'J':
		return jan1 + r->n - 1 + (is_leap(y) && r->n >= 60);
	case 'N':
		return jan1 + r->n;
	default:
		first = etl_days_from_civil(y, r->m, 1);
		/* 1970-01-01 was a Thursday. */
		wd = (int)((first % 7 + 7 + 4) % 7);
		day = 1 + (r->d - wd + 7) % 7 + (r->w - 1) * 7;
		while (day > month_days(y, r->m))
			day -= 7;
		return first + day - 1;
	}
}

static int32_t
rule_offset(const struct posix_rule *r, int64_t utc)
{
	int64_t y, start, end;
	int m, d;

	if (!r->has_dst)
		return r->std_off;
	etl_civil_from_days(fdiv(utc + r->std_off, 86400), &y, &m, &d);
	/* Start is given in standard time, end in daylight time. */
	start = rule_day(&r->start, y) * 86400 + r->start.secs - r->std_off;
	end = rule_day(&r->end, y) * 86400 + r->end.secs - r->dst_off;
	if (start < end)
		return utc >= start && utc < end ? r->dst_off : r->std_off;
	return utc >= end && utc < start ? r->std_off : r->dst_off;
}

int32_t
etl_tz_offset(const struct etl_tz *tz, int64_t utc)
{
	size_t lo = 0, hi = tz->n;

	if (tz->n == 0 || utc < tz->times[0])
		return tz->n == 0 && tz->has_rule ?
		    rule_offset(&tz->rule, utc) : tz->first_off;
	if (utc >= tz->times[tz->n - 1] && tz->has_rule)
		return rule_offset(&tz->rule, utc);
	/* The last transition at or before utc. */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (tz->times[mid] <= utc)
			lo = mid;
		else
			hi = mid;
	}
	return tz->offs[lo];
}

enum etl_tz_local
etl_tz_to_utc(const struct etl_tz *tz, int64_t local, int64_t *utc)
{
	int64_t cand[4], found[4];
	int nfound = 0;

	cand[0] = local - etl_tz_offset(tz, local - 86400);
	cand[1] = local - etl_tz_offset(tz, local + 86400);
	cand[2] = local - etl_tz_offset(tz, cand[0]);
	cand[3] = local - etl_tz_offset(tz, cand[1]);
	for (int i = 0; i < 4; i++) {
		int dup = 0;

		if (cand[i] + etl_tz_offset(tz, cand[i]) != local)
			continue;
		for (int k = 0; k < nfound; k++)
			dup |= found[k] == cand[i];
		if (!dup)
			found[nfound++] = cand[i];
	}
	if (nfound == 0)
		return ETL_TZ_GAP;
	*utc = found[0];
	for (int k = 1; k < nfound; k++)
		if (found[k] < *utc)
			*utc = found[k];
	return nfound > 1 ? ETL_TZ_OVERLAP : ETL_TZ_UNIQUE;
}

/* [+-]hh[:mm[:ss]] as seconds; hours up to max_h. */
static int
parse_hms(const char **pp, int max_h, int32_t *out)
{
	const char *p = *pp;
	int sign = 1;
	long v[3] = { 0, 0, 0 };

	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	for (int i = 0; i < 3; i++) {
		int nd = 0;

		if (i > 0) {
			if (*p != ':')
				break;
			p++;
		}
		while (isdigit((unsigned char)*p) && nd < 3) {
			v[i] = v[i] * 10 + (*p++ - '0');
			nd++;
		}
		if (nd == 0 || (i > 0 && v[i] > 59))
			return -1;
	}
	if (v[0] > max_h)
		return -1;
	*out = (int32_t)(sign * (v[0] * 3600 + v[1] * 60 + v[2]));
	*pp = p;
	return 0;
}

static int
parse_tzname(const char **pp)
{
	const char *p = *pp;
	size_t n = 0;

	if (*p == '<') {
		p++;
		while (*p != '\0' && *p != '>') {
			p++;
			n++;
		}
		if (*p != '>')
			return -1;
		p++;
	} else {
		while (isalpha((unsigned char)*p)) {
			p++;
			n++;
		}
	}
	if (n < 3)
		return -1;
	*pp = p;
	return 0;
}

static int
parse_num(const char **pp, int min, int max, int *out)
{
	const char *p = *pp;
	int v = 0, nd = 0;

	while (isdigit((unsigned char)*p) && nd < 4) {
		v = v * 10 + (*p++ - '0');
		nd++;
	}
	if (nd == 0 || v < min || v > max)
		return -1;
	*out = v;
	*pp = p;
	return 0;
}

static int
parse_rule_date(const char **pp, struct rule_date *r)
{
	const char *p = *pp;

	if (*p == 'J') {
		p++;
		r->kind = 'J';
		if (parse_num(&p, 1, 365, &r->n) < 0)
			return -1;
	} else if (*p == 'M') {
		p++;
		r->kind = 'M';
		if (parse_num(&p, 1, 12, &r->m) < 0 || *p++ != '.' ||
		    parse_num(&p, 1, 5, &r->w) < 0 || *p++ != '.' ||
		    parse_num(&p, 0, 6, &r->d) < 0)
			return -1;
	} else {
		r->kind = 'N';
		if (parse_num(&p, 0, 365, &r->n) < 0)
			return -1;
	}
	r->secs = 7200;
	if (*p == '/') {
		p++;
		if (parse_hms(&p, 167, &r->secs) < 0)
			return -1;
	}
	*pp = p;
	return 0;
}

/* A POSIX TZ string such as "EST5EDT,M3.2.0,M11.1.0"; 0 or -1. */
static int
parse_posix(const char *s, struct posix_rule *r)
{
	const char *p = s;
	int32_t off;

	memset(r, 0, sizeof(*r));
	if (parse_tzname(&p) < 0 || parse_hms(&p, 24, &off) < 0)
		return -1;
	r->std_off = -off;
	if (*p == '\0')
		return 0;
	if (parse_tzname(&p) < 0)
		return -1;
	r->has_dst = 1;
	r->dst_off = r->std_off + 3600;
	if (*p != ',' && *p != '\0') {
		if (parse_hms(&p, 24, &off) < 0)
			return -1;
		r->dst_off = -off;
	}
	if (*p == '\0') {
		/* No rule given: the US rule, as glibc does. */
		p = ",M3.2.0,M11.1.0";
	}
	if (*p++ != ',' || parse_rule_date(&p, &r->start) < 0 ||
	    *p++ != ',' || parse_rule_date(&p, &r->end) < 0 || *p != '\0')
		return -1;
	return 0;
}

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static int64_t
be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

struct tzif_counts {
	uint32_t isut, isstd, leap, time, type, chars;
};

static int
read_header(const unsigned char *d, size_t len, struct tzif_counts *c,
    int *version)
{
	if (len < 44 || memcmp(d, "TZif", 4) != 0)
		return -1;
	*version = d[4] == 0 ? 1 : d[4] - '0';
	c->isut = be32(d + 20);
	c->isstd = be32(d + 24);
	c->leap = be32(d + 28);
	c->time = be32(d + 32);
	c->type = be32(d + 36);
	c->chars = be32(d + 40);
	if (c->type == 0 || c->type > 256 || c->time > 100000 ||
	    c->leap > 100000 || c->chars > 100000 ||
	    (c->isut != 0 && c->isut != c->type) ||
	    (c->isstd != 0 && c->isstd != c->type))
		return -1;
	return 0;
}

static size_t
block_size(const struct tzif_counts *c, size_t tsize)
{
	return c->time * tsize + c->time + c->type * 6 + c->chars +
	    c->leap * (tsize + 4) + c->isstd + c->isut;
}

static int
tz_bad(struct etl_error *err, const char *name, const char *why)
{
	return etl_error_set(err, ETL_ECONFIG, "time zone '%s': %s", name,
	    why);
}

struct etl_tz *
etl_tz_from_tzif(const char *name, const unsigned char *d, size_t len,
    struct etl_error *err)
{
	struct etl_tz *tz = calloc(1, sizeof(*tz));
	struct tzif_counts c;
	size_t tsize = 4, off = 44;
	const unsigned char *tt, *types;
	int version;

	if (tz == NULL || (tz->name = strdup(name)) == NULL)
		goto oom;
	if (read_header(d, len, &c, &version) < 0)
		goto bad;
	if (version >= 2) {
		off += block_size(&c, 4);
		if (off > len || read_header(d + off, len - off, &c,
		    &version) < 0)
			goto bad;
		off += 44;
		tsize = 8;
	}
	if (block_size(&c, tsize) > len - off)
		goto bad;
	tt = d + off;
	types = tt + c.time * tsize + c.time;
	tz->n = c.time;
	if (c.time > 0) {
		tz->times = calloc(c.time, sizeof(*tz->times));
		tz->offs = calloc(c.time, sizeof(*tz->offs));
		if (tz->times == NULL || tz->offs == NULL)
			goto oom;
	}
	for (size_t i = 0; i < c.time; i++) {
		unsigned idx = tt[c.time * tsize + i];

		tz->times[i] = tsize == 8 ? be64(tt + i * 8) :
		    (int32_t)be32(tt + i * 4);
		if (idx >= c.type ||
		    (i > 0 && tz->times[i] <= tz->times[i - 1]))
			goto bad;
		tz->offs[i] = (int32_t)be32(types + idx * 6);
	}
	tz->first_off = (int32_t)be32(types);
	off += block_size(&c, tsize);
	if (version >= 2 && off < len && d[off] == '\n') {
		const unsigned char *nl = memchr(d + off + 1, '\n',
		    len - off - 1);
		char rule[256];
		size_t rlen;

		if (nl == NULL)
			goto bad;
		rlen = (size_t)(nl - (d + off + 1));
		if (rlen > 0 && rlen < sizeof(rule)) {
			memcpy(rule, d + off + 1, rlen);
			rule[rlen] = '\0';
			if (parse_posix(rule, &tz->rule) < 0)
				goto bad;
			tz->has_rule = 1;
		}
	}
	return tz;
oom:
	etl_error_set(err, ETL_EINTERNAL, "out of memory");
	etl_tz_free(tz);
	return NULL;
bad:
	tz_bad(err, name, "not a valid TZif file");
	etl_tz_free(tz);
	return NULL;
}

/* "+05:30", "-0800", "+05": a fixed offset; 0 or -1. */
static int
fixed_offset(const char *s, int32_t *off)
{
	int d[4], nd = 0;
	const char *p = s + 1;

	if (*s != '+' && *s != '-')
		return -1;
	for (; *p != '\0' && nd < 4; p++) {
		if (*p == ':' && nd == 2)
			continue;
		if (!isdigit((unsigned char)*p))
			return -1;
		d[nd++] = *p - '0';
	}
	if (*p != '\0' || (nd != 2 && nd != 4) || p[-1] == ':')
		return -1;
	if (nd == 2)
		d[2] = d[3] = 0;
	if (d[0] * 10 + d[1] > 23 || d[2] * 10 + d[3] > 59)
		return -1;
	*off = (*s == '-' ? -1 : 1) * ((d[0] * 10 + d[1]) * 3600 +
	    (d[2] * 10 + d[3]) * 60);
	return 0;
}

static int
name_ok(const char *name)
{
	if (*name == '\0' || *name == '/' || strstr(name, "..") != NULL ||
	    strlen(name) > 200)
		return 0;
	for (const char *p = name; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && strchr("/_+-.", *p) == NULL)
			return 0;
	return 1;
}

static int
read_file(const char *path, unsigned char **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t n;

	if (f == NULL)
		return -1;
	buf = malloc(TZ_MAX_FILE);
	if (buf == NULL) {
		fclose(f);
		return -2;
	}
	n = fread(buf, 1, TZ_MAX_FILE, f);
	if (ferror(f)) {
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	*data = buf;
	*len = n;
	return 0;
}

struct etl_tz *
etl_tz_new(const char *name, struct etl_error *err)
{
	const char *dir = getenv("TZDIR");
	struct etl_tz *tz;
	unsigned char *data = NULL;
	char path[512];
	size_t len = 0;
	int32_t off = 0;
	int rc;

	if (strcmp(name, "UTC") == 0 || strcmp(name, "Z") == 0 ||
	    fixed_offset(name, &off) == 0) {
		tz = calloc(1, sizeof(*tz));
		if (tz == NULL || (tz->name = strdup(name)) == NULL) {
			free(tz);
			etl_error_set(err, ETL_EINTERNAL, "out of memory");
			return NULL;
		}
		tz->first_off = name[0] == 'U' || name[0] == 'Z' ? 0 : off;
		return tz;
	}
	if (!name_ok(name)) {
		tz_bad(err, name, "not a zone name");
		return NULL;
	}
	if (dir == NULL || *dir == '\0')
		dir = "/usr/share/zoneinfo";
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	rc = read_file(path, &data, &len);
	if (rc == -2) {
		etl_error_set(err, ETL_EINTERNAL, "out of memory");
		return NULL;
	}
	if (rc < 0) {
		etl_error_set(err, ETL_ECONFIG, "time zone '%s': unknown (%s: "
		    "%s; is tzdata installed?)", name, path, strerror(errno));
		return NULL;
	}
	tz = etl_tz_from_tzif(name, data, len, err);
	free(data);
	return tz;
}

void
etl_tz_free(struct etl_tz *tz)
{
	if (tz == NULL)
		return;
	free(tz->times);
	free(tz->offs);
	free(tz->name);
	free(tz);
}

const char *
etl_tz_name(const struct etl_tz *tz)
{
	return tz->name;
}
