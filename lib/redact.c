#include <ctype.h>
#include <strings.h>

#include "redact.h"
#include "strbuf.h"

static int
word_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_';
}

static int
ends_with(const char *w, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return n >= k && strncasecmp(w + n - k, suffix, k) == 0;
}

static int
is_one_of(const char *w, size_t n, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strlen(*list) == n && strncasecmp(w, *list, n) == 0)
			return 1;
	return 0;
}

int
etl_redact_header_name(const char *name, size_t len)
{
	static const char *const names[] = { "authorization",
	    "proxy-authorization", "cookie", "set-cookie", "apikey",
	    "x-apikey", NULL };

	return is_one_of(name, len, names) || ends_with(name, len, "-key") ||
	    ends_with(name, len, "-token") || ends_with(name, len, "_key") ||
	    ends_with(name, len, "_token");
}

static int
secret_param(const char *w, size_t n)
{
	static const char *const names[] = { "password", "passwd", "pwd",
	    "pass", "secret", "token", "apikey", "api_key", "api-key",
	    "access_token", "refresh_token", "client_secret", "signature",
	    "sig", "auth", NULL };

	return is_one_of(w, n, names) || ends_with(w, n, "_key") ||
	    ends_with(w, n, "-key") || ends_with(w, n, "_token") ||
	    ends_with(w, n, "-token") || ends_with(w, n, "_secret") ||
	    ends_with(w, n, "_password");
}

/* At p == "://": copy the authority with its password hidden. */
static const char *
redact_authority(struct etl_buf *b, const char *p)
{
	const char *a = p + 3, *end = a, *at = NULL, *colon;

	while (*end != '\0' && strchr("/?# \t\r\n\"'<>", *end) == NULL) {
		if (*end == '@')
			at = end;
		end++;
	}
	etl_buf_append(b, p, 3);
	if (at == NULL)
		return a;
	colon = memchr(a, ':', (size_t)(at - a));
	if (colon == NULL)
		return a;
	etl_buf_append(b, a, (size_t)(colon - a) + 1);
	etl_buf_puts(b, "***");
	return at;
}

char *
etl_redact(const char *s)
{
	struct etl_buf b;
	const char *p = s;

	etl_buf_init(&b);
	if (etl_buf_reserve(&b, strlen(s) + 16) < 0)
		return NULL;
	while (*p != '\0') {
		const char *w = p;
		size_t n;

		if (p[0] == ':' && p[1] == '/' && p[2] == '/') {
			p = redact_authority(&b, p);
			continue;
		}
		if (!word_char(*p)) {
			etl_buf_putc(&b, *p++);
			continue;
		}
		while (word_char(*p))
			p++;
		n = (size_t)(p - w);
		etl_buf_append(&b, w, n);
		if (*p == '"' && w > s && w[-1] == '"' &&
		    (etl_redact_header_name(w, n) || secret_param(w, n))) {
			/* A JSON member: "Authorization": "Bearer x". */
			const char *q = p + 1;

			while (*q == ' ' || *q == '\t')
				q++;
			if (*q == ':') {
				etl_buf_append(&b, p, (size_t)(q - p) + 1);
				p = q + 1;
				while (*p == ' ' || *p == '\t')
					etl_buf_putc(&b, *p++);
				if (*p == '"') {
					etl_buf_puts(&b, "\"***\"");
					for (p++; *p != '\0' && *p != '"'; p++)
						if (*p == '\\' && p[1] != '\0')
							p++;
					if (*p == '"')
						p++;
				}
			}
		} else if (*p == ':' && p[1] != '/' &&
		    etl_redact_header_name(w, n)) {
			etl_buf_putc(&b, *p++);
			while (*p == ' ' || *p == '\t')
				etl_buf_putc(&b, *p++);
			etl_buf_puts(&b, "***");
			while (*p != '\0' && *p != '\n' && *p != '\r')
				p++;
		} else if (*p == '=' && secret_param(w, n)) {
			etl_buf_putc(&b, *p++);
			if (*p == '\'' || *p == '"') {
				char q = *p;

				etl_buf_putc(&b, *p++);
				while (*p != '\0' && *p != q)
					p++;
			} else {
				while (*p != '\0' &&
				    strchr("& \t\r\n;,\"'", *p) == NULL)
					p++;
			}
			etl_buf_puts(&b, "***");
		}
	}
	if (b.data == NULL || etl_buf_putc(&b, '\0') < 0) {
		etl_buf_release(&b);
		return NULL;
	}
	return b.data;
}
