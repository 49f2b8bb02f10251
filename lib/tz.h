/*
 * IANA time zones read from the system's compiled zoneinfo (TZif files
 * under $TZDIR, else /usr/share/zoneinfo), with the POSIX TZ rule at the
 * end of a file for instants past its last transition.  Our own code:
 * no setenv("TZ"), no global state, so several zones can be used at
 * once.  Leap-second ("right/") data is ignored.
 */
#ifndef ETL_TZ_H
#define ETL_TZ_H

#include <stdint.h>

#include "error.h"

struct etl_tz;

/*
 * Load a zone: an IANA name ("America/New_York"), "UTC", or a fixed
 * offset "+05:30" / "-0800".  NULL with -ETL_ECONFIG when the name is
 * malformed or unknown, or the file is not TZif.
 */
struct etl_tz *etl_tz_new(const char *name, struct etl_error *err);
void etl_tz_free(struct etl_tz *tz);

const char *etl_tz_name(const struct etl_tz *tz);

/* Load from TZif bytes (for tests and fuzzing); name is kept for messages. */
struct etl_tz *etl_tz_from_tzif(const char *name, const unsigned char *data,
    size_t len, struct etl_error *err);

/* Offset from UTC, in seconds, in force at the instant utc. */
int32_t etl_tz_offset(const struct etl_tz *tz, int64_t utc);

enum etl_tz_local {
	ETL_TZ_UNIQUE = 0,	/* the local time happens once */
	ETL_TZ_OVERLAP,		/* twice (clocks went back): earlier */
	ETL_TZ_GAP		/* never (clocks went forward): no result */
};

/*
 * The instant of a local wall-clock time (seconds since the epoch as if
 * the wall clock were UTC).  In an overlap *utc is the earlier of the
 * two instants; in a gap *utc is left alone.
 */
enum etl_tz_local etl_tz_to_utc(const struct etl_tz *tz, int64_t local,
    int64_t *utc);

#endif
