/*
 * Placeholders in URLs, query values, headers, request bodies and SQL
 * parameters, so one command line makes an incremental sync:
 *   {since}        the value given with --since
 *   {now}          the current UTC time, "2026-01-01T09:00:00Z"
 *   {today}        the current UTC date, "2026-01-01"
 * each with an optional offset: {now-2h}, {today+7d}, {since-5m} (a
 * duration of lib/parse.h; {since} with an offset must be a timestamp).
 * Any other brace is left as it is, so JSON bodies need no escaping.
 */
#ifndef ETL_TEMPLATE_H
#define ETL_TEMPLATE_H

#include "error.h"
#include "timeval.h"

struct etl_template_vars {
	const char *since;		/* NULL: {since} is an error */
	struct etl_instant now;
};

/*
 * Expand text into *out (a new string, the caller frees it).  With
 * url_encode, replacements are percent-encoded (RFC 3986 unreserved
 * characters kept).  -ETL_EUSAGE naming the placeholder when {since} has
 * no value, or an offset is applied to a {since} that is no timestamp.
 */
int etl_template_expand(const char *text, const struct etl_template_vars *v,
    int url_encode, char **out, struct etl_error *err);

/* Whether text holds a placeholder. */
int etl_template_has(const char *text);

/* Append s percent-encoded to *b; 0 or -1 (out of memory). */
struct etl_buf;
int etl_template_urlencode(struct etl_buf *b, const char *s);

#endif
