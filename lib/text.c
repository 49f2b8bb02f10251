#include <errno.h>
#include <stdint.h>

#include "text.h"

/*
 * ASCII base of U+00C0..U+017F, lower case; " " for the two signs in the
 * range (multiplication and division).
 */
static const char *const latin[192] = {
	/* U+00C0 */
	"a", "a", "a", "a", "a", "a", "ae", "c",
	"e", "e", "e", "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "o", " ",
	"o", "u", "u", "u", "u", "y", "th", "ss",
	/* U+00E0 */
	"a", "a", "a", "a", "a", "a", "ae", "c",
	"e", "e", "e", "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "o", " ",
	"o", "u", "u", "u", "u", "y", "th", "y",
	/* U+0100 */
	"a", "a", "a", "a", "a", "a", "c", "c",
	"c", "c", "c", "c", "c", "c", "d", "d",
	"d", "d", "e", "e", "e", "e", "e", "e",
	"e", "e", "e", "e", "g", "g", "g", "g",
	/* U+0120 */
	"g", "g", "g", "g", "h", "h", "h", "h",
	"i", "i", "i", "i", "i", "i", "i", "i",
	"i", "i", "ij", "ij", "j", "j", "k", "k",
	"k", "l", "l", "l", "l", "l", "l", "l",
	/* U+0140 */
	"l", "l", "l", "n", "n", "n", "n", "n",
	"n", "n", "n", "n", "o", "o", "o", "o",
	"o", "o", "oe", "oe", "r", "r", "r", "r",
	"r", "r", "s", "s", "s", "s", "s", "s",
	/* U+0160 */
	"s", "s", "t", "t", "t", "t", "t", "t",
	"u", "u", "u", "u", "u", "u", "u", "u",
	"u", "u", "u", "u", "w", "w", "y", "y",
	"y", "z", "z", "z", "z", "z", "z", "s",
};

/* Code point of the UTF-8 sequence at s (len > 0), or -1; *n its size. */
static int32_t
utf8_decode(const unsigned char *s, size_t len, size_t *n)
{
	int32_t cp;
	size_t k;

	*n = 1;
	if (s[0] < 0x80)
		return s[0];
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		k = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		k = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		k = 4;
		cp = s[0] & 0x07;
	} else {
		return -1;
	}
	if (k > len)
		return -1;
	for (size_t i = 1; i < k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return -1;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((k == 3 && cp < 0x800) || (k == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return -1;
	*n = k;
	return cp;
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Append one space unless out is empty or already ends in one. */
static int
put_space(struct etl_buf *out, size_t start)
{
	if (out->len == start || out->data[out->len - 1] == ' ')
		return 0;
	return etl_buf_putc(out, ' ');
}

int
etl_text_fold(struct etl_buf *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t start = out->len, i = 0, n;
	int32_t cp;
	int rc = 0;

	/* Room for the common case, so the loop rarely reallocates. */
	if (etl_buf_reserve(out, len + 1) < 0)
		return -1;
	while (i < len && rc == 0) {
		unsigned char c = p[i];

		if (c < 0x80) {
			i++;
			if (c >= 'A' && c <= 'Z')
				rc = etl_buf_putc(out, (char)(c + 32));
			else if ((c >= 'a' && c <= 'z') || is_digit(c))
				rc = etl_buf_putc(out, (char)c);
			else if (c == '\'')
				continue;
			else if ((c == '.' || c == ',') && i >= 2 &&
			    is_digit(p[i - 2]) && i < len && is_digit(p[i]) &&
			    out->len > start &&
			    is_digit(out->data[out->len - 1]))
				rc = c == '.' ? etl_buf_putc(out, '.') : 0;
			else
				rc = put_space(out, start);
			continue;
		}
		cp = utf8_decode(p + i, len - i, &n);
		if (cp >= 0xc0 && cp <= 0x17f) {
			const char *a = latin[cp - 0xc0];

			rc = *a == ' ' ? put_space(out, start) :
			    etl_buf_puts(out, a);
		} else if (cp == 0xaa) {
			rc = etl_buf_putc(out, 'a');
		} else if (cp == 0xba) {
			rc = etl_buf_putc(out, 'o');
		} else if (cp == 0xb9 || cp == 0xb2 || cp == 0xb3) {
			rc = etl_buf_putc(out, cp == 0xb9 ? '1' :
			    cp == 0xb2 ? '2' : '3');
		} else if (cp >= 0x300 && cp <= 0x36f) {
			/* a combining mark: a decomposed letter's accent */
		} else if (cp == 0x2018 || cp == 0x2019) {
			/* apostrophes, like ' */
		} else if (cp < 0 || (cp >= 0x80 && cp <= 0xbf) ||
		    (cp >= 0x2000 && cp <= 0x206f) || cp == 0x3000 ||
		    cp == 0xfeff) {
			rc = put_space(out, start);
		} else {
			rc = etl_buf_append(out, p + i, n);
		}
		i += n;
	}
	if (rc < 0)
		return -1;
	if (out->len > start && out->data[out->len - 1] == ' ')
		out->data[--out->len] = '\0';
	if (out->data != NULL)
		out->data[out->len] = '\0';
	return 0;
}

int
etl_text_word(const char *s, size_t len, size_t *pos, const char **word,
    size_t *wlen)
{
	size_t i = *pos, j;

	while (i < len && s[i] == ' ')
		i++;
	if (i >= len) {
		*pos = len;
		return 0;
	}
	for (j = i; j < len && s[j] != ' '; j++)
		;
	*word = s + i;
	*wlen = j - i;
	*pos = j;
	return 1;
}

int
etl_text_has_digit(const char *w, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (is_digit((unsigned char)w[i]))
			return 1;
	return 0;
}

uint64_t
etl_text_hash(const void *p, size_t len, uint64_t seed)
{
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ULL ^ seed;

	for (size_t i = 0; i < len; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	/* FNV's low bits mix poorly: finish as splitmix64 does. */
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return h;
}

/* ---- word sets: open addressing over owned copies ---- */

struct etl_wordset {
	char **slots;
	int *cls;		/* the class of each slot's word */
	size_t cap;		/* a power of two */
	size_t n;
	int nclass;		/* etl_wordset_add calls so far */
	struct etl_buf tmp;
};

struct etl_wordset *
etl_wordset_new(void)
{
	struct etl_wordset *ws = calloc(1, sizeof(*ws));

	if (ws == NULL)
		return NULL;
	ws->cap = 64;
	ws->slots = calloc(ws->cap, sizeof(*ws->slots));
	ws->cls = calloc(ws->cap, sizeof(*ws->cls));
	if (ws->slots == NULL || ws->cls == NULL) {
		free(ws->slots);
		free(ws->cls);
		free(ws);
		return NULL;
	}
	etl_buf_init(&ws->tmp);
	return ws;
}

void
etl_wordset_free(struct etl_wordset *ws)
{
	if (ws == NULL)
		return;
	for (size_t i = 0; i < ws->cap; i++)
		free(ws->slots[i]);
	free(ws->slots);
	free(ws->cls);
	etl_buf_release(&ws->tmp);
	free(ws);
}

static size_t
ws_find(char *const *slots, size_t cap, const char *w, size_t len)
{
	size_t i = (size_t)etl_text_hash(w, len, 0) & (cap - 1);

	while (slots[i] != NULL && (strlen(slots[i]) != len ||
	    memcmp(slots[i], w, len) != 0))
		i = (i + 1) & (cap - 1);
	return i;
}

static int
ws_grow(struct etl_wordset *ws)
{
	size_t cap = ws->cap * 2, j;
	char **slots = calloc(cap, sizeof(*slots));
	int *cls = calloc(cap, sizeof(*cls));

	if (slots == NULL || cls == NULL) {
		free(slots);
		free(cls);
		return -1;
	}
	for (size_t i = 0; i < ws->cap; i++) {
		if (ws->slots[i] == NULL)
			continue;
		j = ws_find(slots, cap, ws->slots[i], strlen(ws->slots[i]));
		slots[j] = ws->slots[i];
		cls[j] = ws->cls[i];
	}
	free(ws->slots);
	free(ws->cls);
	ws->slots = slots;
	ws->cls = cls;
	ws->cap = cap;
	return 0;
}

static int
ws_insert(struct etl_wordset *ws, const char *w, size_t len)
{
	size_t i;
	char *copy;

	if ((ws->n + 1) * 2 > ws->cap && ws_grow(ws) < 0)
		return -1;
	i = ws_find(ws->slots, ws->cap, w, len);
	if (ws->slots[i] != NULL)
		return 0;
	copy = malloc(len + 1);
	if (copy == NULL)
		return -1;
	memcpy(copy, w, len);
	copy[len] = '\0';
	ws->slots[i] = copy;
	ws->cls[i] = ws->nclass;
	ws->n++;
	return 0;
}

int
etl_wordset_add(struct etl_wordset *ws, const char *text)
{
	const char *w;
	size_t pos = 0, wlen;

	etl_buf_reset(&ws->tmp);
	if (etl_text_fold(&ws->tmp, text, strlen(text)) < 0)
		return -1;
	while (etl_text_word(ws->tmp.data, ws->tmp.len, &pos, &w, &wlen))
		if (ws_insert(ws, w, wlen) < 0)
			return -1;
	if (ws->tmp.len > 0)
		ws->nclass++;
	return 0;
}

int
etl_wordset_add_list(struct etl_wordset *ws, const char *const *words)
{
	for (; *words != NULL; words++)
		if (etl_wordset_add(ws, *words) < 0)
			return -1;
	return 0;
}

int
etl_wordset_load(struct etl_wordset *ws, const char *path,
    struct etl_error *err)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc = 0;

	if (f == NULL)
		return etl_error_set(err, errno == ENOENT ? ETL_ENOINPUT :
		    ETL_EIO, "%s: %s", path, strerror(errno));
	while ((n = getline(&line, &cap, f)) >= 0) {
		const char *p = line;

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '#')
			continue;
		if (etl_wordset_add(ws, p) < 0) {
			rc = etl_error_set(err, ETL_EINTERNAL,
			    "out of memory");
			goto out;
		}
	}
	if (ferror(f))
		rc = etl_error_set(err, ETL_EIO, "%s: read error", path);
out:
	free(line);
	fclose(f);
	return rc;
}

int
etl_wordset_has(const struct etl_wordset *ws, const char *w, size_t len)
{
	return etl_wordset_class(ws, w, len) >= 0;
}

int
etl_wordset_class(const struct etl_wordset *ws, const char *w, size_t len)
{
	size_t i;

	if (ws == NULL || ws->n == 0)
		return -1;
	i = ws_find(ws->slots, ws->cap, w, len);
	return ws->slots[i] != NULL ? ws->cls[i] : -1;
}

size_t
etl_wordset_size(const struct etl_wordset *ws)
{
	return ws ? ws->n : 0;
}

/* ---- metrics ---- */

#define STACK_LEN 128

double
etl_jaro(const char *a, size_t alen, const char *b, size_t blen)
{
	unsigned char sa[STACK_LEN], sb[STACK_LEN];
	unsigned char *fa = sa, *fb = sb;
	size_t window, m = 0, t = 0, k = 0;
	double j;

	if (alen == 0 && blen == 0)
		return 1.0;
	if (alen == 0 || blen == 0)
		return 0.0;
	if (alen > STACK_LEN || blen > STACK_LEN) {
		fa = calloc(alen, 1);
		fb = calloc(blen, 1);
		if (fa == NULL || fb == NULL) {
			free(fa);
			free(fb);
			return 0.0;
		}
	} else {
		memset(fa, 0, alen);
		memset(fb, 0, blen);
	}
	window = (alen > blen ? alen : blen) / 2;
	window = window > 0 ? window - 1 : 0;
	for (size_t i = 0; i < alen; i++) {
		size_t lo = i > window ? i - window : 0;
		size_t hi = i + window + 1 < blen ? i + window + 1 : blen;

		for (size_t q = lo; q < hi; q++) {
			if (fb[q] || a[i] != b[q])
				continue;
			fa[i] = fb[q] = 1;
			m++;
			break;
		}
	}
	if (m == 0) {
		j = 0.0;
		goto out;
	}
	for (size_t i = 0; i < alen; i++) {
		if (!fa[i])
			continue;
		while (!fb[k])
			k++;
		if (a[i] != b[k])
			t++;
		k++;
	}
	j = ((double)m / (double)alen + (double)m / (double)blen +
	    ((double)m - (double)t / 2.0) / (double)m) / 3.0;
out:
	if (fa != sa) {
		free(fa);
		free(fb);
	}
	return j;
}

double
etl_jaro_winkler(const char *a, size_t alen, const char *b, size_t blen)
{
	double j = etl_jaro(a, alen, b, blen);
	size_t l = 0;

	while (l < 4 && l < alen && l < blen && a[l] == b[l])
		l++;
	return j + (double)l * 0.1 * (1.0 - j);
}

size_t
etl_levenshtein(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t stack[2 * (STACK_LEN + 1)];
	size_t *row = stack, *prev, *cur, d;

	if (blen + 1 > STACK_LEN + 1) {
		if (blen > SIZE_MAX / (2 * sizeof(size_t)) - 1)
			return (size_t)-1;
		row = malloc(2 * (blen + 1) * sizeof(size_t));
		if (row == NULL)
			return (size_t)-1;
	}
	prev = row;
	cur = row + blen + 1;
	for (size_t q = 0; q <= blen; q++)
		prev[q] = q;
	for (size_t i = 1; i <= alen; i++) {
		size_t *tmp;

		cur[0] = i;
		for (size_t q = 1; q <= blen; q++) {
			size_t del = prev[q] + 1, ins = cur[q - 1] + 1;
			size_t sub = prev[q - 1] + (a[i - 1] != b[q - 1]);

			d = del < ins ? del : ins;
			cur[q] = d < sub ? d : sub;
		}
		tmp = prev;
		prev = cur;
		cur = tmp;
	}
	d = prev[blen];
	if (row != stack)
		free(row);
	return d;
}
