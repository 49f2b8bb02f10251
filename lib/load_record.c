/*
 * The loader's records: a line scanned by textjson becomes one block
 * with the compact text, the members and their typed values, so a
 * million records cost a million allocations and no jansson trees.
 *
 * Values are what jansson would have given: a string's content
 * unescaped, an integer as int64, a real through strtod as jansson reads
 * it.  An array or object is stored as the text etl_json_dump writes for
 * it, so the same record loads the same bytes whichever way it came (a
 * Singer message or an NDJSON line): text that is already in that form
 * (no escapes, integers only, no nested object) is used as it is, the
 * rest goes through jansson once.
 */
#include <stdint.h>
#include <stdlib.h>

#include <jansson.h>

#include "jsonw.h"
#include "load_impl.h"

/* Where a value's text lives until the block is made. */
struct etlp_place {
	int in_scratch;		/* 0: in the compact text */
	size_t off, len;
};

void
etlp_record_scratch_release(struct etlp_record_scratch *sc)
{
	etl_buf_release(&sc->text);
	free(sc->m);
	free(sc->pl);
	memset(sc, 0, sizeof(*sc));
}

/*
 * Whether the compact text of an array or object is already what
 * etl_json_dump writes for it: no escapes (jansson decodes them and the
 * dump writes UTF-8), no reals or "-0" (the dump respells them), and no
 * nested object (where a repeated name would collapse).
 */
static int
nested_canonical(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '"') {
			while (s[++i] != '"')
				if (s[i] == '\\')
					return 0;
			continue;
		}
		if (c == '{')
			return 0;
		if (c == '-' || (c >= '0' && c <= '9')) {
			if (c == '-' && s[i + 1] == '0')
				return 0;
			while (i + 1 < n && ((s[i + 1] >= '0' &&
			    s[i + 1] <= '9') || s[i + 1] == '.' ||
			    s[i + 1] == 'e' || s[i + 1] == 'E' ||
			    s[i + 1] == '+' || s[i + 1] == '-')) {
				i++;
				if (s[i] == '.' || s[i] == 'e' || s[i] == 'E')
					return 0;
			}
		}
	}
	return 1;
}

/* An array or object's text in dump form, appended to out. */
static int
canonical_json(struct etl_buf *out, const char *s, size_t n)
{
	json_t *v = json_loadb(s, n, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	int rc;

	if (v == NULL)	/* cannot happen: textjson took it */
		return etl_buf_append(out, s, n);
	rc = etl_json_dump(out, v);
	json_decref(v);
	return rc;
}

static long long
parse_int(const char *s, size_t n)
{
	unsigned long long u = 0;
	size_t i = *s == '-';

	for (; i < n; i++)
		u = u * 10 + (unsigned long long)(s[i] - '0');
	return *s == '-' ? (long long)(0ULL - u) : (long long)u;
}

/* Type one member's value; where its text is goes in *pl (an offset
 * into the value itself unless in the scratch). */
static int
classify(struct etlp_record_scratch *sc, const char *v, size_t vlen,
    struct etlp_val *out, struct etlp_place *pl)
{
	memset(out, 0, sizeof(*out));
	pl->in_scratch = 0;
	pl->off = 0;
	pl->len = 0;
	switch (v[0]) {
	case 'n':
		out->type = ETLP_NULL;
		return 0;
	case 't':
		out->type = ETLP_TRUE;
		return 0;
	case 'f':
		out->type = ETLP_FALSE;
		return 0;
	case '"':
		out->type = ETLP_STR;
		if (memchr(v + 1, '\\', vlen - 2) == NULL) {
			pl->off = 1;	/* inside the quotes */
			pl->len = vlen - 2;
			return 0;
		}
		pl->in_scratch = 1;
		pl->off = sc->text.len;
		if (etl_textjson_scalar(&sc->text, v, vlen) < 0)
			return -1;
		pl->len = sc->text.len - pl->off;
		return 0;
	case '[':
	case '{':
		out->type = ETLP_JSON;
		if (nested_canonical(v, vlen)) {
			pl->len = vlen;
			return 0;
		}
		pl->in_scratch = 1;
		pl->off = sc->text.len;
		if (canonical_json(&sc->text, v, vlen) < 0)
			return -1;
		pl->len = sc->text.len - pl->off;
		return 0;
	default:
		for (size_t i = 0; i < vlen; i++)
			if (v[i] == '.' || v[i] == 'e' || v[i] == 'E') {
				/* Ends at the ',' or '}' after it. */
				out->type = ETLP_REAL;
				out->n.d = strtod(v, NULL);
				return 0;
			}
		out->type = ETLP_INT;
		out->n.i = parse_int(v, vlen);
		return 0;
	}
}

static int
grow(struct etlp_record_scratch *sc, size_t n)
{
	struct etlp_member *m;
	struct etlp_place *pl;

	if (sc->cap >= n)
		return 0;
	if ((m = realloc(sc->m, n * sizeof(*m))) == NULL)
		return -1;
	sc->m = m;
	if ((pl = realloc(sc->pl, n * sizeof(*pl))) == NULL)
		return -1;
	sc->pl = pl;
	sc->cap = n;
	return 0;
}

struct etlp_record *
etlp_record_new(const struct etl_textjson *j, struct etlp_record_scratch *sc)
{
	const char *compact = j->compact.data;
	struct etlp_record *r;
	size_t head;
	char *text, *keys, *extra;

	if (grow(sc, j->n + 1) < 0)
		return NULL;
	etl_buf_reset(&sc->text);
	/* The values first (the scratch text grows), then one block. */
	for (size_t i = 0; i < j->n; i++) {
		const struct etl_jmember *m = &j->m[i];
		if (classify(sc, compact + m->val, m->vlen, &sc->m[i].v,
		    &sc->pl[i]) < 0)
			return NULL;
		if (!sc->pl[i].in_scratch)
			sc->pl[i].off += m->val;
	}
	head = sizeof(*r) + j->n * sizeof(struct etlp_member);
	r = malloc(head + j->compact.len + 1 + j->keys.len + sc->text.len);
	if (r == NULL)
		return NULL;
	text = (char *)r + head;
	keys = text + j->compact.len + 1;
	extra = keys + j->keys.len;
	memcpy(text, compact, j->compact.len + 1);
	if (j->keys.len > 0)
		memcpy(keys, j->keys.data, j->keys.len);
	if (sc->text.len > 0)
		memcpy(extra, sc->text.data, sc->text.len);
	r->json = text;
	r->jlen = j->compact.len;
	r->n = j->n;
	for (size_t i = 0; i < j->n; i++) {
		struct etlp_member *o = &r->m[i];
		const struct etlp_place *pl = &sc->pl[i];

		o->key = keys + j->m[i].key;
		o->klen = j->m[i].klen;
		o->v = sc->m[i].v;
		if (o->v.type == ETLP_STR || o->v.type == ETLP_JSON) {
			o->v.s = (pl->in_scratch ? extra : text) + pl->off;
			o->v.len = pl->len;
		}
	}
	return r;
}

const struct etlp_val *
etlp_record_get(const struct etlp_record *r, const char *key)
{
	size_t klen = strlen(key);

	for (size_t i = r->n; i-- > 0;)
		if (r->m[i].klen == klen &&
		    memcmp(r->m[i].key, key, klen) == 0)
			return &r->m[i].v;
	return NULL;
}

char *
etlp_val_text(const struct etlp_val *v)
{
	char buf[64];

	if (v == NULL)
		return NULL;
	switch (v->type) {
	case ETLP_STR:
		return strndup(v->s, v->len);
	case ETLP_INT:
		snprintf(buf, sizeof(buf), "%lld", v->n.i);
		return strdup(buf);
	case ETLP_REAL:
		etl_json_format_real(v->n.d, buf, sizeof(buf));
		return strdup(buf);
	default:
		return NULL;
	}
}
