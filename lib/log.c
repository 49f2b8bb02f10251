#include <stdarg.h>
#include <unistd.h>

#include "jsonw.h"
#include "log.h"
#include "redact.h"
#include "strbuf.h"
#include "timeval.h"

static struct {
	char tool[64];
	enum etl_log_format format;
	enum etl_log_level level;
	int progress_on;
	int progress_drawn;
	struct timespec progress_start;
	struct timespec progress_last;
} L = { "etl", ETL_LOG_TEXT, ETL_LOG_INFO, 0, 0, { 0, 0 }, { 0, 0 } };

static const char *const level_names[] = { "error", "warn", "info", "debug" };

void
etl_log_setup(const char *tool, enum etl_log_format format,
    enum etl_log_level level)
{
	etl_strlcpy(L.tool, tool, sizeof(L.tool));
	L.format = format;
	L.level = level;
}

const char *
etl_log_tool(void)
{
	return L.tool;
}

int
etl_log_enabled(enum etl_log_level level)
{
	return level <= L.level;
}

static void
progress_clear(void)
{
	if (L.progress_drawn) {
		fputs("\r\033[K", stderr);
		L.progress_drawn = 0;
	}
}

static void
emit(enum etl_log_level level, json_t *fields, const char *msg)
{
	char *clean = etl_redact(msg);
	const char *text = clean ? clean : "(out of memory)";

	progress_clear();
	if (L.format == ETL_LOG_JSON) {
		struct etl_buf b;
		char ts[ETL_TIME_BUFSZ];
		struct etl_instant now = etl_time_now();
		json_t *o = json_object(), *val;
		const char *key;

		now.nsec -= now.nsec % 1000000;
		json_object_set_new(o, "ts",
		    json_string(etl_time_format(&now, ts)));
		json_object_set_new(o, "level", json_string(level_names[level]));
		json_object_set_new(o, "tool", json_string(L.tool));
		json_object_set_new(o, "msg", json_stringn_nocheck(text,
		    strlen(text)));
		json_object_foreach(fields, key, val) {
			/* Field values (an input URL...) are redacted too. */
			char *v = json_is_string(val) ?
			    etl_redact(json_string_value(val)) : NULL;

			json_object_set_new(o, key, !json_is_string(val) ?
			    json_incref(val) :
			    json_string_nocheck(v ? v : "***"));
			free(v);
		}
		etl_buf_init(&b);
		if (etl_json_dump(&b, o) == 0) {
			etl_buf_putc(&b, '\n');
			fwrite(b.data, 1, b.len, stderr);
		}
		etl_buf_release(&b);
		json_decref(o);
	} else if (level == ETL_LOG_WARN) {
		fprintf(stderr, "%s: warning: %s\n", L.tool, text);
	} else if (level == ETL_LOG_DEBUG) {
		fprintf(stderr, "%s: debug: %s\n", L.tool, text);
	} else {
		fprintf(stderr, "%s: %s\n", L.tool, text);
	}
	fflush(stderr);
	free(clean);
	json_decref(fields);
}

static void
vlog(enum etl_log_level level, json_t *fields, const char *fmt, va_list ap)
{
	char msg[2048];

	if (!etl_log_enabled(level)) {
		json_decref(fields);
		return;
	}
	vsnprintf(msg, sizeof(msg), fmt, ap);
	emit(level, fields, msg);
}

void
etl_log(enum etl_log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(level, NULL, fmt, ap);
	va_end(ap);
}

void
etl_log_fields(enum etl_log_level level, json_t *fields, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(level, fields, fmt, ap);
	va_end(ap);
}

void
etl_log_error(const struct etl_error *err)
{
	char msg[2048];
	json_t *f = NULL;

	if (L.format == ETL_LOG_JSON) {
		f = json_pack("{s:s, s:i}", "kind", etl_kind_name(err->kind),
		    "exit", etl_exit_code(err->kind));
		if (err->source[0] != '\0')
			json_object_set_new(f, "input",
			    json_string(err->source));
		if (err->line > 0)
			json_object_set_new(f, "line",
			    json_integer(err->line));
		if (err->field[0] != '\0')
			json_object_set_new(f, "field",
			    json_string(err->field));
		if (err->rule[0] != '\0')
			json_object_set_new(f, "rule", json_string(err->rule));
	}
	emit(ETL_LOG_ERROR, f, etl_error_format(err, msg, sizeof(msg)));
}

void
etl_log_usage(const char *synopsis, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	char *clean;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	clean = etl_redact(msg);
	progress_clear();
	fprintf(stderr, "%s: %s\n%sTry '%s --help' for more information.\n",
	    L.tool, clean ? clean : msg, synopsis, L.tool);
	free(clean);
}

void
etl_progress_enable(int on)
{
	L.progress_on = on;
	clock_gettime(CLOCK_MONOTONIC, &L.progress_start);
	/* The first check draws at once; then at most 10 times a second. */
	L.progress_last.tv_sec = L.progress_start.tv_sec - 1;
	L.progress_last.tv_nsec = L.progress_start.tv_nsec;
}

static double
elapsed(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	    (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

void
etl_progress_update(long long count, const char *unit)
{
	struct timespec now;
	double t;

	static unsigned calls;

	/* Looking at the clock is cheap but not free: every 256 calls. */
	if (!L.progress_on || (++calls & 255) != 0)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (elapsed(&L.progress_last, &now) < 0.1)
		return;
	L.progress_last = now;
	t = elapsed(&L.progress_start, &now);
	fprintf(stderr, "\r\033[K%s: %lld %s, %.0f/s", L.tool, count, unit,
	    t > 0 ? (double)count / t : 0.0);
	fflush(stderr);
	L.progress_drawn = 1;
}

void
etl_progress_end(void)
{
	progress_clear();
	L.progress_on = 0;
}
