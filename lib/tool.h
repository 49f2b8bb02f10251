/*
 * What every tool shares (DESIGN.md section 4): the common options, the
 * environment, signals, and the end of a run (error message, summary
 * line, --stats file, exit status).
 *
 * A tool's getopt_long table lists its own options and ETL_COMMON_LONGOPTS;
 * its option loop offers each option to etl_tool_option first.
 */
#ifndef ETL_TOOL_H
#define ETL_TOOL_H

#include <getopt.h>

#include "error.h"
#include "log.h"
#include "summary.h"

enum {
	ETL_OPT_VERSION = 0x1000,
	ETL_OPT_LOG_FORMAT,
	ETL_OPT_PROGRESS,
	ETL_OPT_NO_PROGRESS,
	ETL_OPT_ERRORS,
	ETL_OPT_MAX_ERRORS,
	ETL_OPT_MAX_LINE,
	ETL_OPT_STATS,
	ETL_OPT_TOOL = 0x1100		/* a tool's own long-only options */
};

#define ETL_COMMON_SHORTOPTS "hqv"
#define ETL_COMMON_LONGOPTS \
	{ "errors", required_argument, NULL, ETL_OPT_ERRORS }, \
	{ "help", no_argument, NULL, 'h' }, \
	{ "log-format", required_argument, NULL, ETL_OPT_LOG_FORMAT }, \
	{ "max-errors", required_argument, NULL, ETL_OPT_MAX_ERRORS }, \
	{ "max-line", required_argument, NULL, ETL_OPT_MAX_LINE }, \
	{ "no-progress", no_argument, NULL, ETL_OPT_NO_PROGRESS }, \
	{ "progress", no_argument, NULL, ETL_OPT_PROGRESS }, \
	{ "quiet", no_argument, NULL, 'q' }, \
	{ "stats", required_argument, NULL, ETL_OPT_STATS }, \
	{ "verbose", no_argument, NULL, 'v' }, \
	{ "version", no_argument, NULL, ETL_OPT_VERSION }

struct etl_tool {
	const char *name;		/* "etl-load" */
	const char *synopsis;		/* "usage: etl-load ...\n" lines */
	const char *help;		/* full --help text */
	int quiet;
	int verbose;
	enum etl_log_format log_format;
	int log_format_given;
	int progress;			/* -1: when stderr is a terminal */
	const char *errors_path;
	long long max_errors;		/* -1: no limit */
	const char *stats_path;
	size_t max_line;
	int exit_now;			/* --help or --version was handled */
	int started;			/* setup done: a run to summarise */
	struct etl_summary summary;
	struct etl_error err;
};

/* Signals, defaults, logging as text; reads ETL_LOG_FORMAT later. */
void etl_tool_init(struct etl_tool *t, const char *name, const char *synopsis,
    const char *help);

/*
 * Offer one getopt_long result.  Returns 1 when it was a common option
 * (handled; --help and --version print and set exit_now), 0 when it is
 * the tool's own, or -ETL_EUSAGE (message printed) for a bad value,
 * '?' from getopt, or a missing argument.
 */
int etl_tool_option(struct etl_tool *t, int opt, const char *arg);

/* After the options: environment, log format and level, progress. */
int etl_tool_setup(struct etl_tool *t);

/*
 * After the tool's option parsing returned *rc: when it succeeded and no
 * --help or --version was handled, set up (etl_tool_setup) and return 1
 * if the run should go on; else return 0, *rc holding the outcome for
 * etl_tool_finish.
 */
int etl_tool_ready(struct etl_tool *t, int *rc);

/* Print a usage error (synopsis, "Try ...") and return -ETL_EUSAGE. */
int etl_tool_usage(struct etl_tool *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Parse an option value with a libetl parser's result: on failure print
 * "option '--name': why" as a usage error.  Returns 0 or -ETL_EUSAGE.
 */
int etl_tool_bad_value(struct etl_tool *t, const char *option,
    const char *value, const char *why);

/*
 * End the run with the result of run(): print the error (unless a quiet
 * EPIPE), the summary unless -q, write --stats.  Returns the exit status.
 */
int etl_tool_finish(struct etl_tool *t, int rc);

/* "etl-load 0.1.0 (libetl 0.1.0; jansson 2.14, SQLite 3.40.1, ...)". */
char *etl_version_line(const char *tool, char *buf, size_t n);

#endif
