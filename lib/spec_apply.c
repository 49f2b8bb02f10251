/*
 * Applying a compiled spec to one record: every field is computed (so a
 * rejected record names all its failures), then the output is assembled
 * in spec order, the where decides, and the hash and stamp are added.
 */
#include <math.h>

#include "hash.h"
#include "jsonw.h"
#include "spec.h"

#define WHY_MAX 300

enum field_rc { FIELD_OK = 0, FIELD_FAILED = 1 };

struct agg_state {
	const struct etl_spec_field *fd;
	json_t *acc;			/* min, max, first, last */
	struct etl_buf *join;
	long long n;			/* values that were not null */
	int64_t isum;
	double dsum;
	int all_int, overflow;
	int failed, oom, done;
	const char *rule;
	char *why;
	size_t whyn;
};

static int
agg_one(json_t *raw, void *arg)
{
	struct agg_state *st = arg;
	const struct etl_spec_field *fd = st->fd;
	json_t *p = NULL, *v = NULL;
	int cmp;

	if (fd->prepare) {
		if (etl_rules_prepare(&fd->rules, raw, &p) < 0)
			goto oom;
	} else {
		p = json_incref(raw);
	}
	if (json_is_null(p)) {
		json_decref(p);
		return 0;
	}
	if (fd->agg != ETL_AGG_COUNT && etl_cast_value(&fd->cast, p, &v,
	    st->why, st->whyn) < 0) {
		json_decref(p);
		st->failed = 1;
		return 1;
	}
	json_decref(p);
	switch (fd->agg) {
	case ETL_AGG_FIRST:
		st->acc = v;
		st->done = 1;
		st->n++;
		return 1;
	case ETL_AGG_LAST:
		json_decref(st->acc);
		st->acc = v;
		break;
	case ETL_AGG_MIN:
	case ETL_AGG_MAX:
		if (st->acc == NULL) {
			st->acc = v;
			break;
		}
		if (etl_value_order(v, st->acc, &cmp) < 0) {
			json_decref(v);
			snprintf(st->why, st->whyn, "values of different kinds "
			    "cannot be ordered");
			st->rule = "agg";
			st->failed = 1;
			return 1;
		}
		if ((fd->agg == ETL_AGG_MIN && cmp < 0) ||
		    (fd->agg == ETL_AGG_MAX && cmp > 0)) {
			json_decref(st->acc);
			st->acc = v;
		} else {
			json_decref(v);
		}
		break;
	case ETL_AGG_SUM:
		if (json_is_integer(v)) {
			if (__builtin_add_overflow(st->isum,
			    (int64_t)json_integer_value(v), &st->isum))
				st->overflow = 1;
			st->dsum += (double)json_integer_value(v);
		} else {
			st->all_int = 0;
			st->dsum += json_real_value(v);
		}
		json_decref(v);
		break;
	case ETL_AGG_JOIN:
		if ((st->n > 0 && etl_buf_puts(st->join, fd->sep) < 0) ||
		    etl_buf_append(st->join, json_string_value(v),
		    json_string_length(v)) < 0) {
			json_decref(v);
			goto oom;
		}
		json_decref(v);
		break;
	default:
		break;
	}
	st->n++;
	return 0;
oom:
	st->oom = 1;
	return 1;
}

/* The aggregate of every match: *out a new value, or NULL for none. */
static int
aggregate(struct etl_spec *s, const struct etl_spec_field *fd,
    const json_t *in, json_t **out, const char **rule, char *why,
    size_t whyn)
{
	struct agg_state st;

	memset(&st, 0, sizeof(st));
	st.fd = fd;
	st.all_int = 1;
	st.rule = "type";
	st.why = why;
	st.whyn = whyn;
	st.join = &s->scratch;
	etl_buf_reset(&s->scratch);
	etl_path_foreach(fd->from, in, agg_one, &st);
	*out = NULL;
	*rule = st.rule;
	if (st.oom || st.failed) {
		json_decref(st.acc);
		return st.oom ? -1 : FIELD_FAILED;
	}
	*rule = "agg";
	switch (fd->agg) {
	case ETL_AGG_COUNT:
		*out = json_integer(st.n);
		break;
	case ETL_AGG_SUM:
		if (st.n == 0)
			return FIELD_OK;
		if (st.all_int && st.overflow) {
			snprintf(why, whyn, "sum out of the 64-bit integer "
			    "range");
			return FIELD_FAILED;
		}
		if (!isfinite(st.dsum)) {
			snprintf(why, whyn, "sum out of range for a number");
			return FIELD_FAILED;
		}
		*out = st.all_int ? json_integer(st.isum) : json_real(st.dsum);
		break;
	case ETL_AGG_JOIN:
		if (st.n == 0)
			return FIELD_OK;
		*out = json_stringn_nocheck(s->scratch.data, s->scratch.len);
		break;
	default:
		*out = st.acc;
		return FIELD_OK;
	}
	return *out ? FIELD_OK : -1;
}

static int
collect(json_t *v, void *arg)
{
	return json_array_append((json_t *)arg, v) < 0 ? -1 : 0;
}

/*
 * One field's value: FIELD_OK with *out a new reference (JSON null when
 * there is none), FIELD_FAILED with *rule and why, or -1 (OOM).
 */
static int
field_value(struct etl_spec *s, const struct etl_spec_field *fd,
    const json_t *in, json_t **out, const char **rule, char *why,
    size_t whyn)
{
	json_t *raw, *p = NULL, *v = NULL;
	int rc;

	*out = NULL;
	*rule = "type";
	if (fd->agg != ETL_AGG_NONE) {
		rc = aggregate(s, fd, in, &v, rule, why, whyn);
		if (rc != FIELD_OK)
			return rc;
	} else if (etl_path_has_wildcard(fd->from)) {
		if ((v = json_array()) == NULL ||
		    etl_path_foreach(fd->from, in, collect, v) < 0) {
			json_decref(v);
			return -1;
		}
		if (json_array_size(v) == 0) {
			json_decref(v);
			v = NULL;
		}
	} else {
		raw = etl_path_get(fd->from, in);
		if (raw != NULL && fd->prepare) {
			if (etl_rules_prepare(&fd->rules, raw, &p) < 0)
				return -1;
		} else {
			p = json_incref(raw);
		}
		if (p != NULL && !json_is_null(p) && etl_cast_value(&fd->cast,
		    p, &v, why, whyn) < 0) {
			json_decref(p);
			return FIELD_FAILED;
		}
		json_decref(p);
	}
	if (v == NULL || json_is_null(v)) {
		json_decref(v);
		if (fd->def != NULL) {
			*out = json_incref(fd->def);
			return FIELD_OK;
		}
		if (fd->required) {
			*rule = "required";
			snprintf(why, whyn, "missing (required)");
			return FIELD_FAILED;
		}
		*out = json_null();
		return FIELD_OK;
	}
	if (etl_rules_check(&fd->rules, fd->cast.type, v, rule, why,
	    whyn) < 0) {
		json_decref(v);
		return FIELD_FAILED;
	}
	*out = v;
	return FIELD_OK;
}

static int
emit(json_t *rec, const struct etl_spec_field *fd, json_t *v)
{
	return json_object_set_nocheck(rec, fd->name, v);
}

static int
assemble(struct etl_spec *s, const json_t *in, json_t *rec)
{
	const char *key;
	json_t *v;
	int i;

	if (!s->order_input) {
		for (i = 0; i < s->nfields; i++)
			if (emit(rec, &s->fields[i], s->vals[i]) < 0)
				return -1;
		if (!s->keep_unmapped)
			return 0;
		json_object_foreach((json_t *)in, key, v)
			if (json_object_get(s->consumed, key) == NULL &&
			    json_object_get(rec, key) == NULL &&
			    json_object_set_nocheck(rec, key, v) < 0)
				return -1;
		return 0;
	}
	/* Input order: each field where its source key was. */
	memset(s->emitted, 0, (size_t)s->nfields);
	json_object_foreach((json_t *)in, key, v) {
		if (json_object_get(s->consumed, key) != NULL) {
			for (i = 0; i < s->nfields; i++) {
				const struct etl_spec_field *fd = &s->fields[i];

				if (s->emitted[i] || fd->from_key == NULL ||
				    strcmp(fd->from_key, key) != 0)
					continue;
				if (emit(rec, fd, s->vals[i]) < 0)
					return -1;
				s->emitted[i] = 1;
			}
		} else if (json_object_get(s->names, key) == NULL &&
		    json_object_set_nocheck(rec, key, v) < 0) {
			return -1;
		}
	}
	for (i = 0; i < s->nfields; i++)
		if (!s->emitted[i] && emit(rec, &s->fields[i], s->vals[i]) < 0)
			return -1;
	return 0;
}

static int
add_hash(struct etl_spec *s, json_t *rec)
{
	char hex[ETL_SHA256_HEXSZ];
	struct etl_buf *b = &s->scratch;
	int rc = 0;

	etl_buf_reset(b);
	rc |= etl_buf_putc(b, '{');
	for (int k = 0; k < s->nhash && rc == 0; k++) {
		const struct etl_spec_field *fd = &s->fields[s->hash_of[k]];

		if (k > 0)
			rc |= etl_buf_putc(b, ',');
		rc |= etl_json_dump_string(b, fd->name, strlen(fd->name));
		rc |= etl_buf_putc(b, ':');
		if (rc == 0)
			rc |= etl_json_canonical(b, s->vals[s->hash_of[k]]);
	}
	rc |= etl_buf_putc(b, '}');
	if (rc != 0)
		return -1;
	etl_sha256_hex(b->data, b->len, hex);
	return json_object_set_new_nocheck(rec, s->hash_field,
	    json_string(hex));
}

int
etl_spec_apply(struct etl_spec *s, const json_t *in, unsigned flags,
    json_t **out, struct etl_error *why, struct etl_error *err)
{
	const char *first = NULL, *first_rule = NULL, *rule;
	char reason[WHY_MAX];
	json_t *rec = NULL;
	int i, rc, nfail = 0, outcome = ETL_SPEC_KEEP, unsure = 0;

	*out = NULL;
	etl_buf_reset(&s->msg);
	for (i = 0; i < s->nfields; i++) {
		const struct etl_spec_field *fd = &s->fields[i];

		s->vals[i] = NULL;
		s->failed[i] = 0;
		rc = field_value(s, fd, in, &s->vals[i], &rule, reason,
		    sizeof(reason));
		if (rc < 0)
			goto oom;
		if (rc == FIELD_FAILED) {
			s->failed[i] = 1;
			s->vals[i] = json_null();
			if (nfail++ == 0) {
				first = fd->name;
				first_rule = rule;
			}
			if (etl_buf_printf(&s->msg, "%s%s: %s", nfail > 1 ?
			    "; " : "", fd->name, reason) < 0)
				goto oom;
		}
	}
	if ((rec = json_object()) == NULL || assemble(s, in, rec) < 0)
		goto oom;
	if (s->where != NULL && !etl_expr_eval(s->where, rec, s->failed,
	    &unsure) && (nfail == 0 || !unsure)) {
		outcome = ETL_SPEC_FILTERED;
		goto out;
	}
	if (nfail > 0) {
		etl_error_at(why, ETL_EDATA, NULL, 0, first, "%s", s->msg.data);
		etl_error_rule(why, first_rule);
		outcome = ETL_SPEC_REJECTED;
		goto out;
	}
	if (s->hash_field != NULL && add_hash(s, rec) < 0)
		goto oom;
	if ((flags & ETL_SPEC_STAMP) &&
	    json_object_set_nocheck(rec, "_spec", s->stamp) < 0)
		goto oom;
	*out = rec;
	rec = NULL;
out:
	json_decref(rec);
	for (i = 0; i < s->nfields; i++) {
		json_decref(s->vals[i]);
		s->vals[i] = NULL;
	}
	return outcome;
oom:
	json_decref(rec);
	for (i = 0; i < s->nfields; i++) {
		json_decref(s->vals[i]);
		s->vals[i] = NULL;
	}
	return etl_error_set(err, ETL_EINTERNAL, "out of memory");
}
