#include <stdarg.h>

#include "error.h"
#include "strbuf.h"

static const struct {
	int status;
	const char *name;
} kinds[ETL_KIND_MAX] = {
	[ETL_OK] = { 0, "ok" },
	[ETL_ENOTFOUND] = { 1, "not found" },
	[ETL_EUSAGE] = { 64, "usage" },
	[ETL_EDATA] = { 65, "bad data" },
	[ETL_ENOINPUT] = { 66, "no input" },
	[ETL_EUNAVAILABLE] = { 69, "unavailable" },
	[ETL_EINTERNAL] = { 70, "internal" },
	[ETL_ECANTCREAT] = { 73, "cannot create" },
	[ETL_EIO] = { 74, "i/o" },
	[ETL_ETEMPFAIL] = { 75, "temporary failure" },
	[ETL_ECONFIG] = { 78, "configuration" },
	[ETL_EINTR] = { 130, "interrupted" },
	[ETL_ETERM] = { 143, "terminated" },
	[ETL_EPIPE] = { 0, "broken pipe" },
};

void
etl_error_init(struct etl_error *err)
{
	memset(err, 0, sizeof(*err));
}

static int
error_vset(struct etl_error *err, enum etl_kind kind, const char *source,
    long long line, const char *field, const char *fmt, va_list ap)
{
	if (err == NULL)
		return -(int)kind;
	err->kind = kind;
	err->line = line;
	etl_strlcpy(err->source, source ? source : "", sizeof(err->source));
	etl_strlcpy(err->field, field ? field : "", sizeof(err->field));
	err->rule[0] = '\0';
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	return -(int)kind;
}

int
etl_error_set(struct etl_error *err, enum etl_kind kind, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = error_vset(err, kind, NULL, 0, NULL, fmt, ap);
	va_end(ap);
	return rc;
}

int
etl_error_at(struct etl_error *err, enum etl_kind kind, const char *source,
    long long line, const char *field, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = error_vset(err, kind, source, line, field, fmt, ap);
	va_end(ap);
	return rc;
}

void
etl_error_rule(struct etl_error *err, const char *rule)
{
	if (err != NULL)
		etl_strlcpy(err->rule, rule ? rule : "", sizeof(err->rule));
}

int
etl_exit_code(enum etl_kind kind)
{
	if ((int)kind < 0 || kind >= ETL_KIND_MAX)
		return 70;
	return kinds[kind].status;
}

const char *
etl_kind_name(enum etl_kind kind)
{
	if ((int)kind < 0 || kind >= ETL_KIND_MAX)
		return "internal";
	return kinds[kind].name;
}

char *
etl_error_format(const struct etl_error *err, char *buf, size_t n)
{
	size_t used = 0;

	if (n == 0)
		return buf;
	buf[0] = '\0';
	if (err->source[0] != '\0' && err->line > 0)
		used = etl_snappend(buf, n, used, "%s:%lld: ", err->source,
		    err->line);
	else if (err->source[0] != '\0')
		used = etl_snappend(buf, n, used, "%s: ", err->source);
	if (err->field[0] != '\0')
		used = etl_snappend(buf, n, used, "field '%s': ", err->field);
	etl_snappend(buf, n, used, "%s", err->message);
	return buf;
}
