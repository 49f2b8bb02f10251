/*
 * Run counts: the one-line summary on stderr
 *   etl-load: 10000 read, 9800 inserted, 150 updated in 0.41 s
 * and the same counts as one JSON object for --stats FILE.
 */
#ifndef ETL_SUMMARY_H
#define ETL_SUMMARY_H

#include <jansson.h>

#include "error.h"
#include "timeval.h"

#define ETL_SUMMARY_MAX 16

struct etl_summary {
	int n;
	const char *names[ETL_SUMMARY_MAX];	/* static strings */
	long long values[ETL_SUMMARY_MAX];
	char label[256];			/* "track orders", or "" */
	json_t *notes;				/* extra fields */
	char aside[128];			/* shown "(aside)" before "in" */
	struct etl_instant started;
	struct timespec mono;
};

void etl_summary_init(struct etl_summary *s);
void etl_summary_release(struct etl_summary *s);

/*
 * The counter called name (a static string), added in first-use order;
 * the summary prints counters in that order.  Never NULL: past
 * ETL_SUMMARY_MAX counters the last slot is shared.
 */
long long *etl_summary_counter(struct etl_summary *s, const char *name);

/* A note ("pending" -> "2026-..."), printed after the counts. */
void etl_summary_note(struct etl_summary *s, const char *name,
    const char *value);

/*
 * A JSON note (value stolen) for --stats only: the summary line shows
 * string notes alone.
 */
void etl_summary_note_json(struct etl_summary *s, const char *name,
    json_t *value);

/* Words shown in parentheses after the counts: "(spec campaigns v3)". */
void etl_summary_aside(struct etl_summary *s, const char *text);

double etl_summary_seconds(const struct etl_summary *s);

/* The line without the tool name: "2 read, 0 rejected in 0.00 s". */
char *etl_summary_line(const struct etl_summary *s, char *buf, size_t n);

/* The counts as a new JSON object (tool, status, exit, counts, notes...). */
json_t *etl_summary_json(const struct etl_summary *s, const char *tool,
    enum etl_kind status);

/* Write etl_summary_json to path (replacing it); 73/74 on failure. */
int etl_summary_write_stats(const struct etl_summary *s, const char *path,
    const char *tool, enum etl_kind status, struct etl_error *err);

#endif
