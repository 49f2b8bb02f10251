#include "csvw.h"
#include "jsonw.h"

int
etl_csv_put_field(struct etl_buf *b, const char *s, size_t len, char delim)
{
	int quote = 0;

	for (size_t i = 0; i < len && !quote; i++)
		quote = s[i] == delim || s[i] == '"' || s[i] == '\n' ||
		    s[i] == '\r';
	if (!quote)
		return etl_buf_append(b, s, len);
	if (etl_buf_reserve(b, len + 2) < 0 || etl_buf_putc(b, '"') < 0)
		return -1;
	for (size_t i = 0; i < len; i++)
		if ((s[i] == '"' && etl_buf_putc(b, '"') < 0) ||
		    etl_buf_putc(b, s[i]) < 0)
			return -1;
	return etl_buf_putc(b, '"');
}

int
etl_csv_put_value(struct etl_buf *b, const json_t *v, char delim)
{
	struct etl_buf tmp;
	char num[64];
	size_t n;
	int rc;

	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_NULL:
		return 0;
	case JSON_STRING:
		return etl_csv_put_field(b, json_string_value(v),
		    json_string_length(v), delim);
	case JSON_INTEGER:
		n = (size_t)snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		return etl_buf_append(b, num, n);
	case JSON_REAL:
		n = etl_json_format_real(json_real_value(v), num, sizeof(num));
		return etl_buf_append(b, num, n);
	case JSON_TRUE:
		return etl_buf_puts(b, "true");
	case JSON_FALSE:
		return etl_buf_puts(b, "false");
	default:
		etl_buf_init(&tmp);
		rc = etl_json_dump(&tmp, v);
		if (rc == 0)
			rc = etl_csv_put_field(b, tmp.data, tmp.len, delim);
		etl_buf_release(&tmp);
		return rc;
	}
}
