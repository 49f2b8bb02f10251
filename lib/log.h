/*
 * Diagnostics on stderr: text ("etl-load: message") or JSON lines with
 * ts, level, tool, msg and fields.  Every message passes through
 * etl_redact first.  This module and the progress line it owns are the
 * only parts of libetl that write anything.
 */
#ifndef ETL_LOG_H
#define ETL_LOG_H

#include <jansson.h>

#include "error.h"

enum etl_log_level {
	ETL_LOG_ERROR = 0,
	ETL_LOG_WARN,
	ETL_LOG_INFO,
	ETL_LOG_DEBUG
};

enum etl_log_format {
	ETL_LOG_TEXT = 0,
	ETL_LOG_JSON
};

void etl_log_setup(const char *tool, enum etl_log_format format,
    enum etl_log_level level);
const char *etl_log_tool(void);
int etl_log_enabled(enum etl_log_level level);

void etl_log(enum etl_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* As etl_log with extra JSON fields (stolen; may be NULL). */
void etl_log_fields(enum etl_log_level level, json_t *fields,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* An error, as "<tool>: <source>:<line>: field 'f': message". */
void etl_log_error(const struct etl_error *err);

/*
 * A usage error: the message, the synopsis and "Try '<tool> --help'",
 * always as text, for a person at a terminal.
 */
void etl_log_usage(const char *synopsis, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Progress: a line on stderr redrawn at most 10 times a second while
 * enabled; cleared before any other message and at the end.
 */
void etl_progress_enable(int on);
void etl_progress_update(long long count, const char *unit);
void etl_progress_end(void);

#endif
