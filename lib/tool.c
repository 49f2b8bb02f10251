#include <curl/curl.h>
#include <limits.h>
#include <libxml/xmlversion.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <unistd.h>

#include "ndjson.h"
#include "parse.h"
#include "signals.h"
#include "strbuf.h"
#include "tool.h"

void
etl_tool_init(struct etl_tool *t, const char *name, const char *synopsis,
    const char *help)
{
	memset(t, 0, sizeof(*t));
	t->name = name;
	t->synopsis = synopsis;
	t->help = help;
	t->progress = -1;
	t->max_errors = -1;
	t->max_line = ETL_DEFAULT_MAX_LINE;
	etl_error_init(&t->err);
	etl_summary_init(&t->summary);
	etl_signals_install();
	etl_log_setup(name, ETL_LOG_TEXT, ETL_LOG_INFO);
}

char *
etl_version_line(const char *tool, char *buf, size_t n)
{
	curl_version_info_data *cv = curl_version_info(CURLVERSION_NOW);

	snprintf(buf, n, "%s %s (libetl %s; jansson %s, SQLite %s, "
	    "libcurl %s, libxml2 %s, libpq %d)", tool, ETL_VERSION,
	    ETL_VERSION, jansson_version_str(), sqlite3_libversion(),
	    cv ? cv->version : "?", LIBXML_DOTTED_VERSION,
	    PQlibVersion());
	return buf;
}

int
etl_tool_usage(struct etl_tool *t, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	etl_log_usage(t->synopsis, "%s", msg);
	return etl_error_set(&t->err, ETL_EUSAGE, "%s", msg);
}

int
etl_tool_bad_value(struct etl_tool *t, const char *option, const char *value,
    const char *why)
{
	return etl_tool_usage(t, "option '--%s': invalid value '%s': %s",
	    option, value, why);
}

static int
parse_log_format(const char *s, enum etl_log_format *out)
{
	if (strcmp(s, "text") == 0)
		*out = ETL_LOG_TEXT;
	else if (strcmp(s, "json") == 0)
		*out = ETL_LOG_JSON;
	else
		return -1;
	return 0;
}

int
etl_tool_option(struct etl_tool *t, int opt, const char *arg)
{
	const char *why = NULL;
	long long n;
	char buf[512];

	switch (opt) {
	case 'h':
		fputs(t->help, stdout);
		t->exit_now = 1;
		return 1;
	case ETL_OPT_VERSION:
		puts(etl_version_line(t->name, buf, sizeof(buf)));
		t->exit_now = 1;
		return 1;
	case 'q':
		t->quiet = 1;
		return 1;
	case 'v':
		t->verbose++;
		return 1;
	case ETL_OPT_LOG_FORMAT:
		if (parse_log_format(arg, &t->log_format) < 0)
			return etl_tool_bad_value(t, "log-format", arg,
			    "use text or json");
		t->log_format_given = 1;
		return 1;
	case ETL_OPT_PROGRESS:
		t->progress = 1;
		return 1;
	case ETL_OPT_NO_PROGRESS:
		t->progress = 0;
		return 1;
	case ETL_OPT_ERRORS:
		t->errors_path = arg;
		return 1;
	case ETL_OPT_MAX_ERRORS:
		if (etl_parse_int(arg, 0, LLONG_MAX, &n, &why) < 0)
			return etl_tool_bad_value(t, "max-errors", arg, why);
		t->max_errors = n;
		return 1;
	case ETL_OPT_MAX_LINE:
		if (etl_parse_size(arg, &t->max_line, &why) < 0 ||
		    t->max_line == 0)
			return etl_tool_bad_value(t, "max-line", arg,
			    why ? why : "must be positive");
		return 1;
	case ETL_OPT_STATS:
		t->stats_path = arg;
		return 1;
	case '?':
	case ':':
		/* getopt_long already said what was wrong. */
		fprintf(stderr, "%sTry '%s --help' for more information.\n",
		    t->synopsis, t->name);
		return etl_error_set(&t->err, ETL_EUSAGE, "bad option");
	}
	return 0;
}

int
etl_tool_setup(struct etl_tool *t)
{
	const char *env = getenv("ETL_LOG_FORMAT");
	enum etl_log_level level = ETL_LOG_INFO;

	if (!t->log_format_given && env != NULL && *env != '\0' &&
	    parse_log_format(env, &t->log_format) < 0)
		return etl_error_set(&t->err, ETL_ECONFIG, "ETL_LOG_FORMAT: "
		    "invalid value '%s' (use text or json)", env);
	if (t->quiet)
		level = ETL_LOG_WARN;
	if (t->verbose)
		level = ETL_LOG_DEBUG;
	etl_log_setup(t->name, t->log_format, level);
	if (t->max_errors >= 0 && t->errors_path == NULL)
		return etl_tool_usage(t, "--max-errors needs --errors FILE");
	if (t->progress < 0)
		t->progress = isatty(STDERR_FILENO) && !t->quiet &&
		    t->log_format == ETL_LOG_TEXT;
	etl_progress_enable(t->progress);
	t->started = 1;
	return 0;
}

int
etl_tool_ready(struct etl_tool *t, int *rc)
{
	if (*rc == 0 && !t->exit_now)
		*rc = etl_tool_setup(t);
	return *rc == 0 && !t->exit_now;
}

int
etl_tool_finish(struct etl_tool *t, int rc)
{
	enum etl_kind kind = rc < 0 ? t->err.kind : ETL_OK;
	char line[1024];
	struct etl_error serr;

	etl_progress_end();
	if (t->exit_now) {
		etl_summary_release(&t->summary);
		return 0;
	}
	if (rc < 0 && kind == ETL_OK)
		kind = ETL_EINTERNAL;	/* a bug: an error without a kind */
	if (rc < 0 && kind != ETL_EPIPE && kind != ETL_EUSAGE)
		etl_log_error(&t->err);
	if (kind == ETL_EUSAGE) {
		etl_summary_release(&t->summary);
		return etl_exit_code(kind);
	}
	if (!t->quiet && t->started) {
		etl_summary_line(&t->summary, line, sizeof(line));
		if (t->log_format == ETL_LOG_JSON) {
			json_t *f = etl_summary_json(&t->summary, t->name,
			    kind);

			json_object_del(f, "tool");
			etl_log_fields(ETL_LOG_INFO, f, "%s", line);
		} else {
			etl_log(ETL_LOG_INFO, "%s", line);
		}
	}
	etl_error_init(&serr);
	if (t->stats_path != NULL && etl_summary_write_stats(&t->summary,
	    t->stats_path, t->name, kind, &serr) < 0) {
		etl_log_error(&serr);
		if (kind == ETL_OK || kind == ETL_EPIPE)
			kind = serr.kind;
	}
	etl_summary_release(&t->summary);
	return etl_exit_code(kind);
}
