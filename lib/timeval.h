/*
 * Timestamps: RFC 3339 / ISO 8601 parsing into instants, formatting in
 * UTC.  Our own calendar arithmetic, independent of TZ and time_t range.
 */
#ifndef ETL_TIMEVAL_H
#define ETL_TIMEVAL_H

#include <stdint.h>

struct etl_instant {
	int64_t sec;		/* seconds since 1970-01-01T00:00:00Z */
	int32_t nsec;		/* 0 .. 999999999 */
};

#define ETL_TIME_BUFSZ 40

/*
 * Parse "YYYY-MM-DD", or "YYYY-MM-DD[T| ]HH:MM[:SS[.fraction]]" followed
 * by "Z", "+HH:MM", "+HHMM", "+HH" or nothing (then UTC).  The whole
 * string must match.  Returns 0 or -1.
 */
int etl_time_parse(const char *s, struct etl_instant *out);

/* Compare: <0, 0, >0. */
int etl_time_cmp(const struct etl_instant *a, const struct etl_instant *b);

/* Add ms (may be negative). */
void etl_time_add_ms(struct etl_instant *t, int64_t ms);

/*
 * "2026-01-01T09:00:00Z", with the shortest fraction that keeps the
 * nanoseconds ("...:00.5Z").  buf holds ETL_TIME_BUFSZ bytes.
 */
char *etl_time_format(const struct etl_instant *t, char *buf);

/* The current time. */
struct etl_instant etl_time_now(void);

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
int64_t etl_days_from_civil(int64_t y, int m, int d);
void etl_civil_from_days(int64_t z, int64_t *y, int *m, int *d);

#endif
