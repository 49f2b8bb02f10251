/*
 * Ad hoc options compiled to a spec document, so that they are checked
 * and applied by exactly the code that runs spec files:
 *   --rename OLD=NEW    field NEW from OLD
 *   --select A,B,C      only these output fields, in this order
 *   --cast F=TYPE[:FMT] field F of TYPE (FMT: a date or datetime format)
 *   --default F=VALUE   VALUE (JSON, else a string) when F is missing
 *   --require F[,G]     F must be present
 *   --where EXPR        keep records where EXPR holds
 * Without --select every input key is kept, in input order.
 */
#include "cast.h"
#include "transform.h"

/* The field object called name, made (at the end) when missing. */
static json_t *
field(json_t *fields, const char *name, size_t len)
{
	char *key = strndup(name, len);
	json_t *f;

	if (key == NULL)
		return NULL;
	f = json_object_get(fields, key);
	if (f == NULL && (f = json_object()) != NULL &&
	    json_object_set_new(fields, key, f) < 0)
		f = NULL;
	free(key);
	return f;
}

static json_t *
option_value(const char *s)
{
	json_t *v = json_loads(s, JSON_DECODE_ANY, NULL);

	return v != NULL ? v : json_string(s);
}

static int
one_option(struct etl_tool *t, const struct transform_opts *o, json_t *fields,
    const struct adhoc_opt *a)
{
	static const char *const names[] = {
		[OPT_RENAME - OPT_RENAME] = "rename",
		[OPT_CAST - OPT_RENAME] = "cast",
		[OPT_DEFAULT - OPT_RENAME] = "default",
		[OPT_REQUIRE - OPT_RENAME] = "require",
	};
	const char *name = names[a->opt - OPT_RENAME];
	const char *eq = strchr(a->arg, '='), *rest, *colon;
	enum etl_type type;
	json_t *f;
	int rc = 0;

	if (a->opt == OPT_REQUIRE) {
		const char *p = a->arg, *end;

		do {
			end = strchrnul(p, ',');
			if (end == p)
				return etl_tool_bad_value(t, name, a->arg,
				    "an empty field name");
			if (o->select != NULL && json_object_getn(fields, p,
			    (size_t)(end - p)) == NULL)
				return etl_tool_bad_value(t, name, a->arg,
				    "not among the --select fields");
			if ((f = field(fields, p, (size_t)(end - p))) == NULL ||
			    json_object_set_new(f, "required",
			    json_true()) < 0)
				return etl_error_set(&t->err, ETL_EINTERNAL,
				    "out of memory");
			p = *end ? end + 1 : end;
		} while (*p != '\0');
		return 0;
	}
	if (eq == NULL || eq == a->arg || (a->opt == OPT_RENAME &&
	    eq[1] == '\0'))
		return etl_tool_bad_value(t, name, a->arg, a->opt ==
		    OPT_RENAME ? "use OLD=NEW" : a->opt == OPT_CAST ?
		    "use FIELD=TYPE[:FORMAT]" : "use FIELD=VALUE");
	rest = eq + 1;
	if (a->opt == OPT_RENAME) {
		/* The field is the new name; it comes from the old. */
		if (o->select != NULL && json_object_get(fields, rest) ==
		    NULL)
			return etl_tool_bad_value(t, name, a->arg, "NEW is not "
			    "among the --select fields");
		f = field(fields, rest, strlen(rest));
		return f == NULL || json_object_set_new(f, "from",
		    json_stringn(a->arg, (size_t)(eq - a->arg))) < 0 ?
		    etl_error_set(&t->err, ETL_EINTERNAL, "out of memory") :
		    0;
	}
	if (o->select != NULL && json_object_getn(fields, a->arg,
	    (size_t)(eq - a->arg)) == NULL)
		return etl_tool_bad_value(t, name, a->arg, "not among the "
		    "--select fields");
	f = field(fields, a->arg, (size_t)(eq - a->arg));
	if (f == NULL)
		return etl_error_set(&t->err, ETL_EINTERNAL, "out of memory");
	if (a->opt == OPT_DEFAULT)
		return json_object_set_new(f, "default",
		    option_value(rest)) < 0 ? etl_error_set(&t->err,
		    ETL_EINTERNAL, "out of memory") : 0;
	colon = strchr(rest, ':');
	{
		char tname[32];
		size_t n = colon ? (size_t)(colon - rest) : strlen(rest);

		if (n >= sizeof(tname))
			n = sizeof(tname) - 1;
		memcpy(tname, rest, n);
		tname[n] = '\0';
		if (etl_type_parse(tname, &type) < 0)
			return etl_tool_bad_value(t, name, a->arg, "unknown "
			    "type (use string, integer, number, boolean, "
			    "date, datetime or json)");
		rc |= json_object_set_new(f, "type", json_string(tname));
	}
	if (colon != NULL) {
		if (type != ETL_T_DATE && type != ETL_T_DATETIME)
			return etl_tool_bad_value(t, name, a->arg, "a format "
			    "goes with date and datetime");
		rc |= json_object_set_new(f, "formats", json_string(colon + 1));
	}
	return rc ? etl_error_set(&t->err, ETL_EINTERNAL, "out of memory") :
	    0;
}

json_t *
adhoc_spec(struct etl_tool *t, const struct transform_opts *o)
{
	json_t *doc = json_pack("{s:s, s:i, s:{}}", "name", "ad-hoc",
	    "version", 0, "fields");
	json_t *fields = json_object_get(doc, "fields");

	if (doc == NULL) {
		etl_error_set(&t->err, ETL_EINTERNAL, "out of memory");
		return NULL;
	}
	if (o->select != NULL) {
		const char *p = o->select, *end;

		do {
			end = strchrnul(p, ',');
			if (end == p) {
				etl_tool_bad_value(t, "select", o->select,
				    "an empty field name");
				goto fail;
			}
			if (field(fields, p, (size_t)(end - p)) == NULL)
				goto oom;
			p = *end ? end + 1 : end;
		} while (*p != '\0');
	} else if (json_object_set_new(doc, "keep_unmapped",
	    json_true()) < 0 || json_object_set_new(doc, "order",
	    json_string("input")) < 0) {
		goto oom;
	}
	for (int i = 0; i < o->nadhoc; i++)
		if (one_option(t, o, fields, &o->adhoc[i]) < 0)
			goto fail;
	if (o->where != NULL && json_object_set_new(doc, "where",
	    json_string(o->where)) < 0)
		goto oom;
	if (json_object_size(fields) == 0 && o->where == NULL) {
		etl_tool_usage(t, "nothing to do: give --spec FILE or ad hoc "
		    "options");
		goto fail;
	}
	return doc;
oom:
	etl_error_set(&t->err, ETL_EINTERNAL, "out of memory");
fail:
	json_decref(doc);
	return NULL;
}
