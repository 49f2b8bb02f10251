#include <ctype.h>

#include "parse.h"
#include "strbuf.h"
#include "template.h"

static const char *const names[] = { "since", "now", "today" };

int
etl_template_urlencode(struct etl_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		int rc;

		if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
			rc = etl_buf_putc(b, (char)c);
		} else {
			char e[3] = { '%', hex[c >> 4], hex[c & 15] };

			rc = etl_buf_append(b, e, 3);
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}

/*
 * At p (just after '{'): a placeholder name, an optional signed duration
 * and '}'.  Returns its length through *n (from the '{'), the name index,
 * the offset in ms; -1 when this is no placeholder.
 */
static int
placeholder(const char *p, size_t *n, int64_t *offset, char *dur,
    size_t dursz)
{
	for (int i = 0; i < 3; i++) {
		size_t k = strlen(names[i]);
		const char *q = p + k, *close;

		if (strncmp(p, names[i], k) != 0)
			continue;
		*offset = 0;
		dur[0] = '\0';
		if (*q == '}') {
			*n = k + 2;
			return i;
		}
		if ((*q != '+' && *q != '-') ||
		    (close = strchr(q, '}')) == NULL ||
		    (size_t)(close - q) >= dursz)
			continue;
		memcpy(dur, q + 1, (size_t)(close - q - 1));
		dur[close - q - 1] = '\0';
		if (etl_parse_duration(dur, offset, NULL) < 0)
			continue;
		if (*q == '-')
			*offset = -*offset;
		*n = (size_t)(close - p) + 2;
		return i;
	}
	return -1;
}

int
etl_template_has(const char *text)
{
	char dur[64];
	int64_t off;
	size_t n;

	for (const char *p = strchr(text, '{'); p != NULL;
	    p = strchr(p + 1, '{'))
		if (placeholder(p + 1, &n, &off, dur, sizeof(dur)) >= 0)
			return 1;
	return 0;
}

static int
value_of(int which, int64_t offset, const struct etl_template_vars *v,
    char *buf, size_t n, const char **out, struct etl_error *err)
{
	struct etl_instant t;

	switch (which) {
	case 0:
		if (v->since == NULL)
			return etl_error_set(err, ETL_EUSAGE, "{since} is used "
			    "but no --since VALUE was given");
		if (offset == 0) {
			*out = v->since;
			return 0;
		}
		if (etl_time_parse(v->since, &t) < 0)
			return etl_error_set(err, ETL_EUSAGE, "{since} with an "
			    "offset needs a timestamp, not '%s'", v->since);
		etl_time_add_ms(&t, offset);
		break;
	case 1:
		t = v->now;
		t.nsec = 0;
		etl_time_add_ms(&t, offset);
		break;
	default: {
		int64_t y;
		int m, d;

		t = v->now;
		t.nsec = 0;
		etl_time_add_ms(&t, offset);
		etl_civil_from_days(t.sec >= 0 ? t.sec / 86400 :
		    -((-t.sec + 86399) / 86400), &y, &m, &d);
		snprintf(buf, n, "%04lld-%02d-%02d", (long long)y, m, d);
		*out = buf;
		return 0;
	}
	}
	*out = etl_time_format(&t, buf);
	return 0;
}

int
etl_template_expand(const char *text, const struct etl_template_vars *v,
    int url_encode, char **out, struct etl_error *err)
{
	struct etl_buf b;
	const char *p = text;
	int rc = 0;

	*out = NULL;
	etl_buf_init(&b);
	if (etl_buf_reserve(&b, strlen(text)) < 0)
		goto oom;
	etl_buf_reset(&b);
	while (*p != '\0') {
		const char *brace = strchr(p, '{'), *val = "";
		char dur[64], buf[ETL_TIME_BUFSZ];
		int64_t off;
		size_t n;
		int which;

		if (brace == NULL) {
			if (etl_buf_puts(&b, p) < 0)
				goto oom;
			break;
		}
		if (etl_buf_append(&b, p, (size_t)(brace - p)) < 0)
			goto oom;
		which = placeholder(brace + 1, &n, &off, dur, sizeof(dur));
		if (which < 0) {
			if (etl_buf_putc(&b, '{') < 0)
				goto oom;
			p = brace + 1;
			continue;
		}
		if ((rc = value_of(which, off, v, buf, sizeof(buf), &val,
		    err)) < 0)
			goto fail;
		if ((url_encode ? etl_template_urlencode(&b, val) :
		    etl_buf_puts(&b, val)) < 0)
			goto oom;
		p = brace + n;
	}
	*out = b.data;
	return 0;
oom:
	rc = etl_error_set(err, ETL_EINTERNAL, "out of memory");
fail:
	etl_buf_release(&b);
	return rc;
}
