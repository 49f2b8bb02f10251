#include <stdint.h>

#include <jansson.h>

#include "jsonw.h"
#include "ndjson.h"
#include "textjson.h"

/* Deeper documents go to jansson (its limit is 2048). */
#define MAX_DEPTH 256

struct scan {
	const unsigned char *s;
	size_t len, pos;
	char *out;		/* compact text, room for len bytes */
	size_t olen;
	int depth;
};

void
etl_textjson_init(struct etl_textjson *j)
{
	memset(j, 0, sizeof(*j));
	etl_buf_init(&j->compact);
	etl_buf_init(&j->keys);
}

void
etl_textjson_release(struct etl_textjson *j)
{
	etl_buf_release(&j->compact);
	etl_buf_release(&j->keys);
	free(j->m);
	etl_textjson_init(j);
}

static void
skip_ws(struct scan *sc)
{
	while (sc->pos < sc->len) {
		unsigned char c = sc->s[sc->pos];

		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		sc->pos++;
	}
}

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Whether any of the 8 bytes of x needs a look: a control character, a
 * quote, a backslash or a byte of a multibyte sequence (the usual
 * has-zero-byte test: exact for "any", which is all this asks).
 */
static inline int
plain8(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101ULL;
	const uint64_t high = 0x8080808080808080ULL;
	uint64_t q = x ^ (ones * '"'), b = x ^ (ones * '\\');

	return ((((q - ones) & ~q) | ((b - ones) & ~b) |
	    ((x - ones * 0x20) & ~x) | x) & high) == 0;
}

/*
 * A string at pos (on its quote), copied to out.  *escaped tells whether
 * it held a backslash, *nul whether it held \u0000.
 */
static int
scan_string(struct scan *sc, int *escaped, int *nul)
{
	size_t start = sc->pos, i = sc->pos + 1;
	const unsigned char *s = sc->s;

	*escaped = 0;
	*nul = 0;
	for (;;) {
		unsigned char c;
		uint64_t x;

		/* Plain ASCII eight bytes at a time. */
		while (i + 8 <= sc->len) {
			memcpy(&x, s + i, 8);
			if (!plain8(x))
				break;
			i += 8;
		}
		if (i >= sc->len)
			return -1;
		c = s[i];
		if (c == '"')
			break;
		if (c < 0x20)
			return -1;
		if (c == '\\') {
			*escaped = 1;
			if (i + 1 >= sc->len)
				return -1;
			c = s[i + 1];
			if (c == 'u') {
				int cp = 0;

				if (i + 5 >= sc->len)
					return -1;
				for (int k = 2; k < 6; k++) {
					int h = hexval(s[i + k]);

					if (h < 0)
						return -1;
					cp = cp * 16 + h;
				}
				if (cp >= 0xd800 && cp <= 0xdfff)
					return -1;	/* for jansson */
				if (cp == 0)
					*nul = 1;
				i += 6;
				continue;
			}
			if (c != '"' && c != '\\' && c != '/' && c != 'b' &&
			    c != 'f' && c != 'n' && c != 'r' && c != 't')
				return -1;
			i += 2;
			continue;
		}
		if (c >= 0x80) {
			size_t n = etl_utf8_seq(s + i, sc->len - i);

			if (n == 0)
				return -1;
			i += n;
			continue;
		}
		i++;
	}
	i++;
	memcpy(sc->out + sc->olen, s + start, i - start);
	sc->olen += i - start;
	sc->pos = i;
	return 0;
}

static int
scan_number(struct scan *sc)
{
	const unsigned char *s = sc->s;
	size_t i = sc->pos, start = i, digits = 0, intdigits = 0;
	long long e = 0;
	int real = 0, eneg = 0;

	if (i < sc->len && s[i] == '-')
		i++;
	if (i >= sc->len)
		return -1;
	if (s[i] == '0') {
		i++;
		digits = 1;
	} else if (s[i] >= '1' && s[i] <= '9') {
		while (i < sc->len && s[i] >= '0' && s[i] <= '9') {
			i++;
			digits++;
		}
		intdigits = digits;
	} else {
		return -1;
	}
	if (i < sc->len && s[i] == '.') {
		real = 1;
		i++;
		if (i >= sc->len || s[i] < '0' || s[i] > '9')
			return -1;
		while (i < sc->len && s[i] >= '0' && s[i] <= '9') {
			i++;
			digits++;
		}
	}
	if (i < sc->len && (s[i] == 'e' || s[i] == 'E')) {
		real = 1;
		i++;
		if (i < sc->len && (s[i] == '+' || s[i] == '-'))
			eneg = s[i++] == '-';
		if (i >= sc->len || s[i] < '0' || s[i] > '9')
			return -1;
		while (i < sc->len && s[i] >= '0' && s[i] <= '9') {
			if (e < 100000)
				e = e * 10 + (s[i] - '0');
			i++;
		}
	}
	/*
	 * What surely fits int64 or a finite double is ours; the rest is
	 * jansson's to take or reject ("too big integer", "overflow").
	 */
	if (!real && (digits > 19 || (digits == 19 &&
	    memcmp(s + i - 19, s[start] == '-' ? "9223372036854775808" :
	    "9223372036854775807", 19) > 0)))
		return -1;
	if (real && (digits > 400 || (!eneg && (long long)intdigits + e >
	    300)))
		return -1;
	memcpy(sc->out + sc->olen, s + start, i - start);
	sc->olen += i - start;
	sc->pos = i;
	return 0;
}

static int
scan_literal(struct scan *sc, const char *lit, size_t n)
{
	if (sc->len - sc->pos < n || memcmp(sc->s + sc->pos, lit, n) != 0)
		return -1;
	memcpy(sc->out + sc->olen, lit, n);
	sc->olen += n;
	sc->pos += n;
	return 0;
}

static int scan_value(struct scan *sc, struct etl_textjson *top);

static int
put(struct scan *sc, char c)
{
	sc->out[sc->olen++] = c;
	sc->pos++;
	return 0;
}

/* Unescape a JSON string literal (with its quotes) into out. */
static int
unescape(struct etl_buf *out, const char *v, size_t vlen)
{
	size_t i = 1, end = vlen - 1, run;

	if (etl_buf_reserve(out, vlen) < 0)
		return -2;
	while (i < end) {
		unsigned cp;
		char c;

		for (run = i; run < end && v[run] != '\\'; run++)
			;
		if (run > i && etl_buf_append(out, v + i, run - i) < 0)
			return -2;
		i = run;
		if (i >= end)
			break;
		c = v[i + 1];
		i += 2;
		switch (c) {
		case 'b': c = '\b'; break;
		case 'f': c = '\f'; break;
		case 'n': c = '\n'; break;
		case 'r': c = '\r'; break;
		case 't': c = '\t'; break;
		case 'u':
			cp = 0;
			for (int k = 0; k < 4; k++)
				cp = cp * 16 + (unsigned)hexval(
				    (unsigned char)v[i + k]);
			i += 4;
			if (cp < 0x80) {
				c = (char)cp;
				break;
			}
			if (cp < 0x800) {
				if (etl_buf_putc(out, (char)(0xc0 | cp >> 6)) <
				    0)
					return -2;
			} else {
				if (etl_buf_putc(out, (char)(0xe0 | cp >> 12))
				    < 0 || etl_buf_putc(out, (char)(0x80 |
				    ((cp >> 6) & 0x3f))) < 0)
					return -2;
			}
			c = (char)(0x80 | (cp & 0x3f));
			break;
		default:
			break;	/* " \ / stand for themselves */
		}
		if (etl_buf_putc(out, c) < 0)
			return -2;
	}
	return 0;
}

static int
scan_object(struct scan *sc, struct etl_textjson *top)
{
	int first = 1, rc;

	if (++sc->depth > MAX_DEPTH)
		return -1;
	put(sc, '{');
	skip_ws(sc);
	if (sc->pos < sc->len && sc->s[sc->pos] == '}') {
		put(sc, '}');
		sc->depth--;
		return 0;
	}
	for (;;) {
		size_t kstart = sc->olen, vstart;
		int escaped, nul;

		if (!first) {
			skip_ws(sc);
			if (sc->pos >= sc->len || sc->s[sc->pos] != ',')
				break;
			put(sc, ',');
			kstart = sc->olen;
		}
		first = 0;
		skip_ws(sc);
		if (sc->pos >= sc->len || sc->s[sc->pos] != '"')
			return -1;
		if (scan_string(sc, &escaped, &nul) < 0 || nul)
			return -1;
		skip_ws(sc);
		if (sc->pos >= sc->len || sc->s[sc->pos] != ':')
			return -1;
		put(sc, ':');
		skip_ws(sc);
		vstart = sc->olen;
		if ((rc = scan_value(sc, NULL)) < 0)
			return rc;
		if (top != NULL) {
			struct etl_jmember *m;
			const char *k = sc->out + kstart;
			size_t klen = vstart - 1 - kstart;

			if (top->n == top->cap) {
				size_t cap = top->cap ? top->cap * 2 : 16;

				m = realloc(top->m, cap * sizeof(*m));
				if (m == NULL)
					return -2;
				top->m = m;
				top->cap = cap;
			}
			m = &top->m[top->n++];
			m->key = top->keys.len;
			if (escaped) {
				if (unescape(&top->keys, k, klen) < 0)
					return -2;
			} else if (etl_buf_append(&top->keys, k + 1,
			    klen - 2) < 0) {
				return -2;
			}
			m->klen = top->keys.len - m->key;
			if (etl_buf_putc(&top->keys, '\0') < 0)
				return -2;
			m->val = vstart;
			m->vlen = sc->olen - vstart;
		}
	}
	if (sc->pos >= sc->len || sc->s[sc->pos] != '}')
		return -1;
	put(sc, '}');
	sc->depth--;
	return 0;
}

static int
scan_array(struct scan *sc)
{
	int rc;

	if (++sc->depth > MAX_DEPTH)
		return -1;
	put(sc, '[');
	skip_ws(sc);
	if (sc->pos < sc->len && sc->s[sc->pos] == ']') {
		put(sc, ']');
		sc->depth--;
		return 0;
	}
	for (;;) {
		skip_ws(sc);
		if ((rc = scan_value(sc, NULL)) < 0)
			return rc;
		skip_ws(sc);
		if (sc->pos < sc->len && sc->s[sc->pos] == ',') {
			put(sc, ',');
			continue;
		}
		break;
	}
	if (sc->pos >= sc->len || sc->s[sc->pos] != ']')
		return -1;
	put(sc, ']');
	sc->depth--;
	return 0;
}

static int
scan_value(struct scan *sc, struct etl_textjson *top)
{
	int escaped, nul;

	if (sc->pos >= sc->len)
		return -1;
	switch (sc->s[sc->pos]) {
	case '{':
		return scan_object(sc, top);
	case '[':
		return scan_array(sc);
	case '"':
		return scan_string(sc, &escaped, &nul);
	case 't':
		return scan_literal(sc, "true", 4);
	case 'f':
		return scan_literal(sc, "false", 5);
	case 'n':
		return scan_literal(sc, "null", 4);
	default:
		return scan_number(sc);
	}
}

int
etl_textjson_scan(struct etl_textjson *j, const char *s, size_t len)
{
	struct scan sc;
	int rc;

	j->n = 0;
	etl_buf_reset(&j->compact);
	etl_buf_reset(&j->keys);
	if (etl_buf_reserve(&j->compact, len) < 0)
		return -2;
	sc.s = (const unsigned char *)s;
	sc.len = len;
	sc.pos = 0;
	sc.out = j->compact.data;
	sc.olen = 0;
	sc.depth = 0;
	skip_ws(&sc);
	if (sc.pos >= len || s[sc.pos] != '{')
		return -1;
	rc = scan_object(&sc, j);
	if (rc < 0)
		return rc;
	skip_ws(&sc);
	if (sc.pos != len)
		return -1;
	j->compact.len = sc.olen;
	j->compact.data[sc.olen] = '\0';
	return 0;
}

int
etl_textjson_load(struct etl_textjson *j, const char *s, size_t len,
    const char *source, long long lineno, struct etl_error *err)
{
	struct etl_buf dump;
	json_t *rec = NULL;
	int rc;

	rc = etl_textjson_scan(j, s, len);
	if (rc == 0)
		return 0;
	if (rc == -2)
		return etl_error_set(err, ETL_EINTERNAL, "out of memory");
	rc = etl_ndjson_parse(s, len, source, lineno, &rec, err);
	if (rc < 0)
		return rc;
	etl_buf_init(&dump);
	if (etl_json_dump(&dump, rec) < 0) {
		rc = etl_error_set(err, ETL_EINTERNAL, "out of memory");
		goto out;
	}
	rc = etl_textjson_scan(j, dump.data, dump.len);
	if (rc == -2) {
		rc = etl_error_set(err, ETL_EINTERNAL, "out of memory");
	} else if (rc < 0) {
		/* jansson took it, but it is too deep or odd for us. */
		rc = etl_error_at(err, ETL_EDATA, source, lineno, NULL,
		    "unsupported JSON (nesting deeper than %d or a NUL "
		    "in a key)", MAX_DEPTH);
		etl_error_rule(err, "json");
	}
out:
	etl_buf_release(&dump);
	json_decref(rec);
	return rc;
}

const char *
etl_textjson_get(const struct etl_textjson *j, const char *key, size_t *vlen)
{
	size_t klen = strlen(key);

	for (size_t i = j->n; i-- > 0;) {
		const struct etl_jmember *m = &j->m[i];

		if (m->klen == klen &&
		    memcmp(j->keys.data + m->key, key, klen) == 0) {
			*vlen = m->vlen;
			return j->compact.data + m->val;
		}
	}
	return NULL;
}

int
etl_textjson_scalar(struct etl_buf *out, const char *v, size_t vlen)
{
	if (v == NULL || vlen == 0)
		return -1;
	if (v[0] == '"')
		return unescape(out, v, vlen);
	if (v[0] == '-' || (v[0] >= '0' && v[0] <= '9'))
		return etl_buf_append(out, v, vlen) < 0 ? -2 : 0;
	return -1;
}
