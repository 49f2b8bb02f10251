/*
 * libFuzzer target for the spec compiler: the input is a spec document
 * (JSON); when it compiles, it is applied to a few records that reach
 * every type, rule, aggregate, the where and the hash.  The input's
 * last line, when it is not part of the JSON, is also tried as a where
 * expression and as a date format, the two small languages of specs.
 */
#include <stdint.h>

#include "cast.h"
#include "expr.h"
#include "spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const records[] = {
	"{\"a\":\"1\",\"b\":\" x \",\"c\":\"2026-03-08 02:30\","
	"\"d\":[1,2,\"3\"],"
	"\"e\":{\"f\":[{\"g\":\"4.5\"},{\"g\":null}]},\"h\":true}",
	"{\"a\":\"99999999999999999999\",\"b\":\"\",\"c\":\"02/29/2024\","
	"\"d\":[],\"e\":{\"f\":\"x\"},\"h\":\"N/A\"}",
	"{}",
};

static void
try_text(const char *text)
{
	struct etl_error err;
	struct etl_expr *e;
	struct etl_cast c;
	const char *fmt[1] = { text };
	json_t *v, *rec, *out = NULL;
	char why[256];

	etl_error_init(&err);
	e = etl_expr_new(text, NULL, NULL, &err);
	if (e != NULL) {
		rec = json_loads(records[0], 0, NULL);
		if (rec != NULL)
			etl_expr_eval(e, rec, NULL, NULL);
		json_decref(rec);
		etl_expr_free(e);
	}
	if (etl_cast_init(&c, ETL_T_DATETIME, fmt, 1, "America/New_York",
	    &err) == 0) {
		v = json_string("2026-03-08 02:30:00");
		if (v != NULL && etl_cast_value(&c, v, &out, why,
		    sizeof(why)) == 0)
			json_decref(out);
		json_decref(v);
		etl_cast_release(&c);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct etl_error err, why;
	struct etl_spec *s;
	char *text;

	if (size > 65536)
		return 0;
	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	etl_error_init(&err);
	s = etl_spec_from_text(text, size, "fuzz", &err);
	if (s != NULL) {
		for (size_t i = 0; i < sizeof(records) / sizeof(records[0]);
		    i++) {
			json_t *rec = json_loads(records[i], 0, NULL), *out;

			if (rec == NULL)
				continue;
			etl_error_init(&why);
			out = NULL;
			etl_spec_apply(s, rec, ETL_SPEC_STAMP, &out, &why,
			    &err);
			json_decref(out);
			json_decref(rec);
		}
		etl_spec_free(s);
	}
	if (strlen(text) == size) {
		const char *nl = strrchr(text, '\n');

		try_text(nl ? nl + 1 : text);
	}
	free(text);
	return 0;
}
