/*
 * Dates and times through strptime-like formats.  Our own matcher, not
 * strptime(3): it is strict (the whole text must match, dates must
 * exist), does not depend on the locale, and knows %z, %f and %s.
 */
#include <ctype.h>
#include <stdint.h>
#include <strings.h>

#include "cast.h"
#include "strbuf.h"
#include "timeval.h"
#include "value.h"

static const char *const month_names[12] = {
	"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december"
};

static const char *const day_names[7] = {
	"sunday", "monday", "tuesday", "wednesday", "thursday", "friday",
	"saturday"
};

/* Composite directives and what they stand for. */
static const char *
composite(char c)
{
	switch (c) {
	case 'T':
		return "%H:%M:%S";
	case 'F':
		return "%Y-%m-%d";
	case 'D':
		return "%m/%d/%y";
	case 'R':
		return "%H:%M";
	default:
		return NULL;
	}
}

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

struct scan {
	const char *p, *end;
	struct etl_tmparse *tm;
	int pm;			/* -1: no %p, 0: AM, 1: PM */
	int h12;		/* the hour came from %I */
};

/* Between min and max digits (greedy) as a number in [lo, hi]. */
static int
num(struct scan *sc, int min, int max, int64_t lo, int64_t hi, int64_t *out)
{
	int64_t v = 0;
	int nd = 0;

	while (nd < max && sc->p < sc->end && isdigit((unsigned char)*sc->p)) {
		v = v * 10 + (*sc->p++ - '0');
		nd++;
	}
	if (nd < min || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* A name from names (full, or its first three letters), any case. */
static int
name(struct scan *sc, const char *const *names, int count, int *out)
{
	size_t left = (size_t)(sc->end - sc->p);

	for (int i = 0; i < count; i++) {
		size_t full = strlen(names[i]);

		if (left >= full && strncasecmp(sc->p, names[i], full) == 0) {
			sc->p += full;
			*out = i;
			return 0;
		}
	}
	for (int i = 0; i < count; i++) {
		if (left >= 3 && strncasecmp(sc->p, names[i], 3) == 0) {
			sc->p += 3;
			if (sc->p < sc->end && *sc->p == '.')
				sc->p++;
			*out = i;
			return 0;
		}
	}
	return -1;
}

/* Z, or +hh[:mm] / +hhmm / +hh. */
static int
offset(struct scan *sc)
{
	int64_t h, m = 0;
	int sign;

	if (sc->p < sc->end && (*sc->p == 'Z' || *sc->p == 'z')) {
		sc->p++;
		sc->tm->off = 0;
		sc->tm->have |= ETL_TM_OFF;
		return 0;
	}
	if (sc->p >= sc->end || (*sc->p != '+' && *sc->p != '-'))
		return -1;
	sign = *sc->p++ == '-' ? -1 : 1;
	if (num(sc, 2, 2, 0, 23, &h) < 0)
		return -1;
	if (sc->p < sc->end && *sc->p == ':')
		sc->p++;
	if (sc->p < sc->end && isdigit((unsigned char)*sc->p) &&
	    num(sc, 2, 2, 0, 59, &m) < 0)
		return -1;
	sc->tm->off = (int32_t)(sign * (h * 3600 + m * 60));
	sc->tm->have |= ETL_TM_OFF;
	return 0;
}

static int
fraction(struct scan *sc)
{
	int32_t scale = 100000000, v = 0;
	int nd = 0;

	while (sc->p < sc->end && isdigit((unsigned char)*sc->p)) {
		if (nd < 9)
			v += (*sc->p - '0') * scale;
		scale /= 10;
		sc->p++;
		nd++;
	}
	if (nd == 0 || nd > 9)
		return -1;
	sc->tm->nsec = v;
	return 0;
}

static int
epoch(struct scan *sc)
{
	int neg = 0;
	int64_t v;

	if (sc->p < sc->end && *sc->p == '-') {
		neg = 1;
		sc->p++;
	}
	/* 12 digits: past the year 9999 either way. */
	if (num(sc, 1, 12, 0, INT64_MAX, &v) < 0)
		return -1;
	sc->tm->epoch = neg ? -v : v;
	sc->tm->have |= ETL_TM_EPOCH;
	if (sc->p < sc->end && *sc->p == '.') {
		sc->p++;
		if (fraction(sc) < 0)
			return -1;
		if (neg && sc->tm->nsec > 0) {
			sc->tm->epoch--;
			sc->tm->nsec = 1000000000 - sc->tm->nsec;
		}
	}
	return 0;
}

static int
directive(struct scan *sc, char c)
{
	struct etl_tmparse *tm = sc->tm;
	int64_t v;
	int k;

	switch (c) {
	case 'Y':
		if (num(sc, 4, 4, 0, 9999, &v) < 0)
			return -1;
		tm->year = v;
		tm->have |= ETL_TM_YEAR;
		return 0;
	case 'y':
		if (num(sc, 2, 2, 0, 99, &v) < 0)
			return -1;
		tm->year = v < 69 ? 2000 + v : 1900 + v;	/* POSIX */
		tm->have |= ETL_TM_YEAR;
		return 0;
	case 'm':
		if (num(sc, 1, 2, 1, 12, &v) < 0)
			return -1;
		tm->mon = (int)v;
		tm->have |= ETL_TM_MON;
		return 0;
	case 'b':
	case 'h':
	case 'B':
		if (name(sc, month_names, 12, &k) < 0)
			return -1;
		tm->mon = k + 1;
		tm->have |= ETL_TM_MON;
		return 0;
	case 'e':
		if (sc->p < sc->end && *sc->p == ' ')
			sc->p++;
		/* FALLTHROUGH */
	case 'd':
		if (num(sc, 1, 2, 1, 31, &v) < 0)
			return -1;
		tm->day = (int)v;
		tm->have |= ETL_TM_DAY;
		return 0;
	case 'j':
		if (num(sc, 1, 3, 1, 366, &v) < 0)
			return -1;
		tm->yday = (int)v;
		tm->have |= ETL_TM_YDAY;
		return 0;
	case 'a':
	case 'A':
		return name(sc, day_names, 7, &k);
	case 'H':
	case 'I':
		if (num(sc, 1, 2, c == 'I', c == 'I' ? 12 : 23, &v) < 0)
			return -1;
		tm->hour = (int)v;
		sc->h12 = c == 'I';
		tm->have |= ETL_TM_HOUR;
		return 0;
	case 'M':
		if (num(sc, 2, 2, 0, 59, &v) < 0)
			return -1;
		tm->min = (int)v;
		tm->have |= ETL_TM_MIN;
		return 0;
	case 'S':
		if (num(sc, 2, 2, 0, 60, &v) < 0)
			return -1;
		tm->sec = v == 60 ? 59 : (int)v;	/* a leap second */
		tm->have |= ETL_TM_SEC;
		return 0;
	case 'f':
		return fraction(sc);
	case 'p':
		if (sc->end - sc->p >= 2 && strncasecmp(sc->p, "am", 2) == 0)
			sc->pm = 0;
		else if (sc->end - sc->p >= 2 &&
		    strncasecmp(sc->p, "pm", 2) == 0)
			sc->pm = 1;
		else
			return -1;
		sc->p += 2;
		return 0;
	case 'z':
		return offset(sc);
	case 'Z':
		for (k = 0; k < 3; k++) {
			static const char *const utc[] = { "UTC", "GMT", "Z" };
			size_t n = strlen(utc[k]);

			if ((size_t)(sc->end - sc->p) >= n &&
			    strncasecmp(sc->p, utc[k], n) == 0) {
				sc->p += n;
				tm->off = 0;
				tm->have |= ETL_TM_OFF;
				return 0;
			}
		}
		return -1;
	case 's':
		return epoch(sc);
	case 'n':
	case 't':
		while (sc->p < sc->end && isspace((unsigned char)*sc->p))
			sc->p++;
		return 0;
	case '%':
		if (sc->p >= sc->end || *sc->p != '%')
			return -1;
		sc->p++;
		return 0;
	}
	return -1;
}

static int
match(struct scan *sc, const char *f)
{
	for (; *f != '\0'; f++) {
		if (*f == '%') {
			const char *sub;

			f++;
			if ((sub = composite(*f)) != NULL) {
				if (match(sc, sub) < 0)
					return -1;
			} else if (directive(sc, *f) < 0) {
				return -1;
			}
		} else if (isspace((unsigned char)*f)) {
			while (sc->p < sc->end &&
			    isspace((unsigned char)*sc->p))
				sc->p++;
		} else {
			if (sc->p >= sc->end || *sc->p != *f)
				return -1;
			sc->p++;
		}
	}
	return 0;
}

/* YYYY-MM-DD[(T|t| )HH:MM[:SS[.f]]][Z|+hh[:mm]] */
static int
match_iso(struct scan *sc)
{
	if (match(sc, "%Y-%m-%d") < 0)
		return -1;
	if (sc->p == sc->end)
		return 0;
	if (*sc->p != 'T' && *sc->p != 't' && *sc->p != ' ')
		return -1;
	sc->p++;
	if (match(sc, "%H:%M") < 0)
		return -1;
	if (sc->p < sc->end && *sc->p == ':') {
		sc->p++;
		if (directive(sc, 'S') < 0)
			return -1;
		if (sc->p < sc->end && (*sc->p == '.' || *sc->p == ',')) {
			sc->p++;
			if (fraction(sc) < 0)
				return -1;
		}
	}
	if (sc->p < sc->end && offset(sc) < 0)
		return -1;
	return 0;
}

static int
is_iso(const char *fmt)
{
	return strcmp(fmt, ETL_FORMAT_ISO) == 0 || strcmp(fmt, "rfc3339") == 0;
}

int
etl_timefmt_parse(const char *fmt, const char *s, size_t len,
    struct etl_tmparse *tm)
{
	struct scan sc = { s, s + len, tm, -1, 0 };
	int rc;

	memset(tm, 0, sizeof(*tm));
	rc = is_iso(fmt) ? match_iso(&sc) : match(&sc, fmt);
	if (rc < 0 || sc.p != sc.end)
		return -1;
	if (sc.pm >= 0) {
		if (!sc.h12 && (tm->hour < 1 || tm->hour > 12))
			return -1;
		tm->hour = tm->hour % 12 + (sc.pm ? 12 : 0);
	}
	if ((tm->have & ETL_TM_YDAY) && (tm->have & ETL_TM_YEAR) &&
	    !(tm->have & (ETL_TM_MON | ETL_TM_DAY))) {
		int64_t y;

		if (tm->yday > (is_leap(tm->year) ? 366 : 365))
			return -1;
		etl_civil_from_days(etl_days_from_civil(tm->year, 1, 1) +
		    tm->yday - 1, &y, &tm->mon, &tm->day);
		tm->have |= ETL_TM_MON | ETL_TM_DAY;
	}
	if ((tm->have & (ETL_TM_MON | ETL_TM_DAY)) == (ETL_TM_MON |
	    ETL_TM_DAY) && tm->day > month_days(tm->have & ETL_TM_YEAR ?
	    tm->year : 2000, tm->mon))
		return -1;
	return 0;
}

/* The parts a format can give, without matching anything. */
static int
format_parts(const char *f, unsigned *have, const char **why)
{
	static const char known[] = "YymbhBedjaAHIMSfpzZsnt%";

	for (; *f != '\0'; f++) {
		const char *sub;

		if (*f != '%')
			continue;
		f++;
		if (*f == '\0') {
			*why = "ends with a lone %";
			return -1;
		}
		if ((sub = composite(*f)) != NULL) {
			format_parts(sub, have, why);
			continue;
		}
		if (strchr(known, *f) == NULL) {
			*why = "unknown directive";
			return -1;
		}
		switch (*f) {
		case 'Y':
		case 'y':
			*have |= ETL_TM_YEAR;
			break;
		case 'm':
		case 'b':
		case 'h':
		case 'B':
			*have |= ETL_TM_MON;
			break;
		case 'd':
		case 'e':
			*have |= ETL_TM_DAY;
			break;
		case 'j':
			*have |= ETL_TM_YDAY;
			break;
		case 's':
			*have |= ETL_TM_EPOCH;
			break;
		case 'H':
		case 'I':
			*have |= ETL_TM_HOUR;
			break;
		case 'M':
			*have |= ETL_TM_MIN;
			break;
		}
	}
	return 0;
}

int
etl_timefmt_check(const char *fmt, enum etl_type type, const char **why)
{
	unsigned have = 0;

	(void)type;
	if (is_iso(fmt))
		return 0;
	if (*fmt == '\0') {
		*why = "empty";
		return -1;
	}
	if (format_parts(fmt, &have, why) < 0)
		return -1;
	if (have & ETL_TM_EPOCH)
		return 0;
	if (!(have & ETL_TM_YEAR) || !((have & ETL_TM_YDAY) ||
	    (have & (ETL_TM_MON | ETL_TM_DAY)) == (ETL_TM_MON | ETL_TM_DAY))) {
		*why = "gives no full date (needs %Y or %y, with %m and %d, "
		    "or %j)";
		return -1;
	}
	if ((have & ETL_TM_MIN) && !(have & ETL_TM_HOUR)) {
		*why = "has minutes (%M) but no hour";
		return -1;
	}
	return 0;
}

static int
fail(char *why, size_t n, const char *s, size_t len, const char *what)
{
	size_t show = len > 40 ? 40 : len;

	while (show < len && show > 0 && ((unsigned char)s[show] & 0xc0) ==
	    0x80)
		show--;
	snprintf(why, n, "%s: '%.*s%s'", what, (int)show, s,
	    show < len ? "..." : "");
	return -1;
}

/* Seconds of a calendar date and time, as if UTC. */
static int64_t
civil_seconds(const struct etl_tmparse *tm)
{
	return etl_days_from_civil(tm->year, tm->mon, tm->day) * 86400 +
	    tm->hour * 3600 + tm->min * 60 + tm->sec;
}

/* The civil date of seconds since the epoch. */
static void
seconds_date(int64_t t, int64_t *y, int *m, int *d)
{
	int64_t days = t / 86400 - (t % 86400 < 0);

	etl_civil_from_days(days, y, m, d);
}

/* "YYYY-MM-DD" at buf (11 bytes); y in 0..9999. */
static char *
put_date(char *buf, int y, int m, int d)
{
	buf[0] = (char)('0' + y / 1000);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + d / 10);
	buf[9] = (char)('0' + d % 10);
	buf[10] = '\0';
	return buf;
}

/* As etl_time_format, without printf (a datetime per record is hot). */
static char *
put_instant(const struct etl_instant *t, char *buf)
{
	int64_t days = t->sec / 86400, rem = t->sec % 86400, y;
	int m, d, hh, mm, ss, k = 9;
	int32_t ns = t->nsec;
	char *p;

	if (rem < 0) {
		rem += 86400;
		days--;
	}
	etl_civil_from_days(days, &y, &m, &d);
	put_date(buf, (int)y, m, d);
	hh = (int)(rem / 3600);
	mm = (int)(rem / 60 % 60);
	ss = (int)(rem % 60);
	p = buf + 10;
	*p++ = 'T';
	*p++ = (char)('0' + hh / 10);
	*p++ = (char)('0' + hh % 10);
	*p++ = ':';
	*p++ = (char)('0' + mm / 10);
	*p++ = (char)('0' + mm % 10);
	*p++ = ':';
	*p++ = (char)('0' + ss / 10);
	*p++ = (char)('0' + ss % 10);
	if (ns != 0) {
		char frac[9];

		for (int i = 8; i >= 0; i--) {
			frac[i] = (char)('0' + ns % 10);
			ns /= 10;
		}
		while (k > 1 && frac[k - 1] == '0')
			k--;
		*p++ = '.';
		memcpy(p, frac, (size_t)k);
		p += k;
	}
	*p++ = 'Z';
	*p = '\0';
	return buf;
}

static int
convert(const struct etl_cast *c, const struct etl_tmparse *tm,
    const char *s, size_t len, json_t **out, char *why, size_t n)
{
	/* Years 0000 to 9999: 253402300800 is 10000-01-01. */
	const int64_t lo = -62167219200LL, hi = 253402300800LL;
	struct etl_instant at = { 0, tm->nsec };
	char buf[ETL_TIME_BUFSZ];
	int exact = 1;		/* at holds an instant, not a wall time */
	int64_t y;
	int m, d;

	if (tm->have & ETL_TM_EPOCH)
		at.sec = tm->epoch;
	else if (tm->have & ETL_TM_OFF)
		at.sec = civil_seconds(tm) - tm->off;
	else {
		at.sec = civil_seconds(tm);
		exact = 0;
	}
	if (at.sec < lo || at.sec >= hi)
		return fail(why, n, s, len, "out of range (years 0 to 9999)");
	if (c->type == ETL_T_DATE) {
		if (!exact || (c->tz == NULL &&
		    !(tm->have & ETL_TM_EPOCH))) {
			/* The date as written. */
			y = tm->year;
			m = tm->mon;
			d = tm->day;
		} else {
			int64_t t = at.sec;

			if (c->tz != NULL)
				t += etl_tz_offset(c->tz, t);
			seconds_date(t, &y, &m, &d);
		}
		if (y < 0 || y > 9999)
			return fail(why, n, s, len, "out of range (years 0 "
			    "to 9999)");
		put_date(buf, (int)y, m, d);
	} else {
		if (!exact && c->tz != NULL) {
			int64_t local = at.sec;

			if (etl_tz_to_utc(c->tz, local, &at.sec) ==
			    ETL_TZ_GAP) {
				snprintf(why, n, "'%.*s' does not exist in %s "
				    "(skipped by a DST change)",
				    (int)(len > 40 ? 40 : len), s,
				    etl_tz_name(c->tz));
				return -1;
			}
		}
		if (at.sec < lo || at.sec >= hi)
			return fail(why, n, s, len, "out of range (years 0 "
			    "to 9999)");
		put_instant(&at, buf);
	}
	*out = json_string(buf);
	return *out ? 0 : fail(why, n, "", 0, "out of memory");
}

int
etlp_cast_time(const struct etl_cast *c, const json_t *in, json_t **out,
    char *why, size_t n)
{
	static const char *const defaults[] = { ETL_FORMAT_ISO };
	const char *const *formats = c->nformats ?
	    (const char *const *)c->formats : defaults;
	int nformats = c->nformats ? c->nformats : 1;
	struct etl_tmparse tm;
	char *text = NULL;
	const char *s;
	size_t len;
	int rc = -1;

	if (json_is_string(in)) {
		s = json_string_value(in);
		len = json_string_length(in);
	} else if (json_is_number(in)) {
		if ((text = etl_value_text(in)) == NULL)
			return fail(why, n, "", 0, "out of memory");
		s = text;
		len = strlen(text);
	} else {
		snprintf(why, n, "%s, not a %s", json_is_boolean(in) ?
		    "a boolean" : json_is_array(in) ? "an array" :
		    "an object", etl_type_name(c->type));
		return -1;
	}
	for (int i = 0; i < nformats; i++) {
		if (etl_timefmt_parse(formats[i], s, len, &tm) == 0) {
			rc = convert(c, &tm, s, len, out, why, n);
			goto out;
		}
	}
	fail(why, n, s, len, "no format matched");
out:
	free(text);
	return rc;
}
