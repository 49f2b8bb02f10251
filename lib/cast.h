/*
 * Casting values to the types of a spec (etl-transform(1), TYPES):
 *   string    strings as they are (valid UTF-8), numbers as their text,
 *             booleans as "true"/"false"
 *   integer   64-bit, exact: "42", "-7", "3.00", 42, 3.0; out of range
 *             or a fraction is an error, never a rounded float
 *   number    JSON numbers; a text becomes an integer when it is one and
 *             fits 64 bits, else a double, but only when the double
 *             reads back as the same decimal (no silent precision loss)
 *   boolean   true/false/1/0/yes/no in any case, JSON booleans, 0 and 1
 *   date      "YYYY-MM-DD" through formats (strptime-like, our own)
 *   datetime  RFC 3339 UTC "YYYY-MM-DDTHH:MM:SS[.f]Z"; naive times are in
 *             the zone tz (IANA, DST-correct: a time in a DST gap is an
 *             error, one in an overlap is the earlier instant)
 *   json      kept as is
 * A cast never prints; a failure fills why with a phrase such as
 * "not a number: 'abc'".
 */
#ifndef ETL_CAST_H
#define ETL_CAST_H

#include <jansson.h>
#include <stdint.h>

#include "error.h"
#include "tz.h"

enum etl_type {
	ETL_T_JSON = 0,
	ETL_T_STRING,
	ETL_T_INTEGER,
	ETL_T_NUMBER,
	ETL_T_BOOLEAN,
	ETL_T_DATE,
	ETL_T_DATETIME
};

/* "json", "string", ...; and back (0, or -1 for an unknown name). */
const char *etl_type_name(enum etl_type t);
int etl_type_parse(const char *name, enum etl_type *out);

/* The built-in format "iso8601" (alias "rfc3339"), the default. */
#define ETL_FORMAT_ISO "iso8601"

struct etl_cast {
	enum etl_type type;
	char **formats;			/* owned; NULL: the default */
	int nformats;
	struct etl_tz *tz;		/* owned; NULL: UTC */
};

/*
 * Set up a cast (embedded by the caller: etl_cast_release).  formats
 * (copied) and tz only go with date and datetime.  A bad format or an
 * unknown zone gives -ETL_ECONFIG with a message naming it.
 */
int etl_cast_init(struct etl_cast *c, enum etl_type type,
    const char *const *formats, int nformats, const char *tz,
    struct etl_error *err);
void etl_cast_release(struct etl_cast *c);

/*
 * Cast in (borrowed; not NULL, not JSON null) to *out, a new reference.
 * 0, or -1 with why filled (at most n bytes).
 */
int etl_cast_value(const struct etl_cast *c, const json_t *in, json_t **out,
    char *why, size_t n);

/* Scalar parsers underneath, on s[0..len). 0, or -1 with why. */
int etl_cast_integer_text(const char *s, size_t len, int64_t *out,
    char *why, size_t n);
int etl_cast_number_text(const char *s, size_t len, json_t **out,
    char *why, size_t n);
int etl_cast_boolean_text(const char *s, size_t len, int *out);

/* A time read by a format; which parts were present is in have. */
struct etl_tmparse {
	int64_t year;
	int mon, day, yday, hour, min, sec;
	int32_t nsec;
	int32_t off;			/* seconds east of UTC, with %z */
	int64_t epoch;			/* with %s */
	unsigned have;			/* ETL_TM_* bits */
};

enum {
	ETL_TM_YEAR = 1 << 0,
	ETL_TM_MON = 1 << 1,
	ETL_TM_DAY = 1 << 2,
	ETL_TM_YDAY = 1 << 3,
	ETL_TM_HOUR = 1 << 4,
	ETL_TM_MIN = 1 << 5,
	ETL_TM_SEC = 1 << 6,
	ETL_TM_OFF = 1 << 7,
	ETL_TM_EPOCH = 1 << 8
};

/*
 * Match the whole of s[0..len) against fmt (or ETL_FORMAT_ISO).  The
 * result is a valid calendar date when one was given.  0 or -1.
 */
int etl_timefmt_parse(const char *fmt, const char *s, size_t len,
    struct etl_tmparse *tm);

/* Whether fmt is a usable format for type; -1 with why (static). */
int etl_timefmt_check(const char *fmt, enum etl_type type, const char **why);

/* Private to cast.c and cast_time.c: the date and datetime casts. */
int etlp_cast_time(const struct etl_cast *c, const json_t *in, json_t **out,
    char *why, size_t n);

#endif
