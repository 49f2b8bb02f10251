/*
 * libFuzzer target for the parser etl-load and etl-match read records
 * with: textjson's scan and the loader's records made from it, checked
 * against jansson.  A line the scan takes must be a JSON object jansson
 * takes, and every member's value must be what jansson reads (arrays and
 * objects as etl_json_dump writes them); a difference aborts.
 */
#include <stdint.h>
#include <stdlib.h>

#include <jansson.h>

#include "jsonw.h"
#include "load_impl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
same_value(const struct etlp_val *v, const json_t *w)
{
	struct etl_buf b;
	int same;

	if (v == NULL)
		return 0;
	switch (json_typeof(w)) {
	case JSON_NULL:
		return v->type == ETLP_NULL;
	case JSON_TRUE:
		return v->type == ETLP_TRUE;
	case JSON_FALSE:
		return v->type == ETLP_FALSE;
	case JSON_INTEGER:
		return v->type == ETLP_INT && v->n.i == json_integer_value(w);
	case JSON_REAL:
		return v->type == ETLP_REAL &&
		    memcmp(&v->n.d, &(double){ json_real_value(w) },
		    sizeof(double)) == 0;
	case JSON_STRING:
		return v->type == ETLP_STR && v->len == json_string_length(w) &&
		    memcmp(v->s, json_string_value(w), v->len) == 0;
	default:
		if (v->type != ETLP_JSON)
			return 0;
		etl_buf_init(&b);
		same = etl_json_dump(&b, w) == 0 && b.len == v->len &&
		    memcmp(b.data, v->s, v->len) == 0;
		etl_buf_release(&b);
		return same;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct etl_textjson j;
	static struct etlp_record_scratch sc;
	static int ready;
	struct etlp_record *r;
	json_t *want, *v;
	const char *key;

	if (!ready) {
		etl_textjson_init(&j);
		ready = 1;
	}
	if (etl_textjson_scan(&j, (const char *)data, size) != 0)
		return 0;
	want = json_loadb((const char *)data, size, JSON_DECODE_ANY |
	    JSON_ALLOW_NUL, NULL);
	if (want == NULL || !json_is_object(want))
		abort();	/* the scan took what jansson refuses */
	r = etlp_record_new(&j, &sc);
	if (r == NULL)
		abort();
	json_object_foreach(want, key, v)
		if (!same_value(etlp_record_get(r, key), v))
			abort();
	free(r);
	json_decref(want);
	return 0;
}
