#include <stdint.h>

#include "jsonw.h"

size_t
etl_json_format_real(double d, char *buf, size_t n)
{
	int k = 0;

	for (int prec = 15; prec <= 17; prec++) {
		k = snprintf(buf, n, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	if (k < 0 || (size_t)k >= n)
		return 0;
	if (strpbrk(buf, ".eEn") == NULL && (size_t)k + 2 < n) {
		memcpy(buf + k, ".0", 3);
		k += 2;
	}
	return (size_t)k;
}

size_t
etl_utf8_seq(const unsigned char *s, size_t len)
{
	size_t n;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n > len)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

int
etl_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;

	while (len > 0) {
		size_t n;

		if (*p < 0x80) {
			p++;
			len--;
			continue;
		}
		n = etl_utf8_seq(p, len);
		if (n == 0)
			return 0;
		p += n;
		len -= n;
	}
	return 1;
}

int
etl_json_dump_string(struct etl_buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *end = p + len;

	/* Worst case is 6 bytes per input byte; reserve once. */
	if (len > (SIZE_MAX - 2) / 6 || etl_buf_reserve(b, len * 6 + 2) < 0)
		return -1;
	char *o = b->data + b->len;

	*o++ = '"';
	while (p < end) {
		unsigned char c = *p;

		if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
			*o++ = (char)c;
			p++;
			continue;
		}
		if (c >= 0x80) {
			size_t n = etl_utf8_seq(p, (size_t)(end - p));

			if (n == 0) {
				memcpy(o, "\xef\xbf\xbd", 3);
				o += 3;
				p++;
			} else {
				memcpy(o, p, n);
				o += n;
				p += n;
			}
			continue;
		}
		*o++ = '\\';
		switch (c) {
		case '"':
			*o++ = '"';
			break;
		case '\\':
			*o++ = '\\';
			break;
		case '\n':
			*o++ = 'n';
			break;
		case '\r':
			*o++ = 'r';
			break;
		case '\t':
			*o++ = 't';
			break;
		case '\b':
			*o++ = 'b';
			break;
		case '\f':
			*o++ = 'f';
			break;
		default:
			*o++ = 'u';
			*o++ = '0';
			*o++ = '0';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
		p++;
	}
	*o++ = '"';
	b->len = (size_t)(o - b->data);
	b->data[b->len] = '\0';
	return 0;
}

int
etl_json_dump(struct etl_buf *b, const json_t *v)
{
	char num[64];
	size_t n;

	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		const char *key;
		json_t *val;
		int first = 1;

		if (etl_buf_putc(b, '{') < 0)
			return -1;
		json_object_foreach((json_t *)v, key, val) {
			if (!first && etl_buf_putc(b, ',') < 0)
				return -1;
			first = 0;
			if (etl_json_dump_string(b, key, strlen(key)) < 0 ||
			    etl_buf_putc(b, ':') < 0 ||
			    etl_json_dump(b, val) < 0)
				return -1;
		}
		return etl_buf_putc(b, '}');
	}
	case JSON_ARRAY: {
		size_t i;
		json_t *val;

		if (etl_buf_putc(b, '[') < 0)
			return -1;
		json_array_foreach((json_t *)v, i, val) {
			if (i > 0 && etl_buf_putc(b, ',') < 0)
				return -1;
			if (etl_json_dump(b, val) < 0)
				return -1;
		}
		return etl_buf_putc(b, ']');
	}
	case JSON_STRING:
		return etl_json_dump_string(b, json_string_value(v),
		    json_string_length(v));
	case JSON_INTEGER:
		n = (size_t)snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		return etl_buf_append(b, num, n);
	case JSON_REAL:
		n = etl_json_format_real(json_real_value(v), num, sizeof(num));
		return etl_buf_append(b, num, n);
	case JSON_TRUE:
		return etl_buf_append(b, "true", 4);
	case JSON_FALSE:
		return etl_buf_append(b, "false", 5);
	case JSON_NULL:
		return etl_buf_append(b, "null", 4);
	}
	return -1;
}
