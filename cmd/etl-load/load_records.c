/* etl-load: NDJSON records into one table, and the run's bookkeeping. */
#include "etl-load.h"
#include "records.h"
#include "out.h"
#include "rejects.h"
#include "state.h"
#include "strbuf.h"
#include "value.h"

struct sink {
	struct etl_tool *t;
	struct load_opts *o;
	struct etl_out *out;
	struct etl_rejects *rj;
	long long *rejected;
};

static int
on_reject(void *ctx, const struct etl_error *why, const char *json,
    size_t len, struct etl_error *err)
{
	struct sink *s = ctx;

	(*s->rejected)++;
	return etl_rejects_add_text(s->rj, why, json, len, err);
}

static int
on_emit(void *ctx, const char *json, size_t len, enum etl_change change,
    struct etl_error *err)
{
	struct sink *s = ctx;

	if (s->o->emit == EMIT_NONE || (s->o->emit == EMIT_CHANGED &&
	    change == ETL_CHANGE_UNCHANGED))
		return 0;
	return etl_out_line(s->out, json, len, err);
}

static void
on_column_added(void *ctx, const char *table, const char *column,
    const char *type)
{
	(void)ctx;
	etl_log(ETL_LOG_INFO, "%s: added column '%s'%s%s", table, column,
	    *type ? " " : "", type);
}

int
load_run_start(struct etl_tool *t, struct load_opts *o, struct load_run *r,
    const char *target)
{
	int rc;

	memset(r, 0, sizeof(*r));
	r->db = etl_db_new(o->db, &o->dbopts, &t->err);
	if (r->db == NULL)
		return -(int)t->err.kind;
	rc = etl_db_begin(r->db, &t->err);
	if (rc == 0)
		rc = etl_state_ensure(r->db, &t->err);
	if (rc == 0)
		rc = etl_run_start(r->db, t->name, target, NULL, &r->run_id,
		    &t->err);
	if (rc == 0)
		rc = etl_db_commit(r->db, &t->err);
	return rc;
}

void
load_run_finish(struct etl_tool *t, struct load_run *r, int rc)
{
	struct etl_error err;
	enum etl_kind status = rc < 0 ? t->err.kind : ETL_OK;

	if (r->db == NULL)
		return;
	etl_db_rollback(r->db);
	etl_error_init(&err);
	/* Best effort: the run's own outcome is what the exit says. */
	if (r->run_id > 0 && etl_db_begin(r->db, &err) == 0) {
		if (etl_run_finish(r->db, r->run_id, &t->summary, status,
		    NULL, &err) == 0)
			etl_db_commit(r->db, &err);
		else
			etl_db_rollback(r->db);
	}
	etl_db_free(r->db);
	r->db = NULL;
}

void
load_run_note_spec(struct etl_tool *t, struct load_run *r,
    const struct etl_textjson *rec)
{
	size_t len;
	const char *stamp;
	json_t *spec, *name, *version;
	char *v, text[256];
	struct etl_error err;

	if (r->spec_noted ||
	    (stamp = etl_textjson_get(rec, "_spec", &len)) == NULL)
		return;
	spec = json_loadb(stamp, len, JSON_DECODE_ANY, NULL);
	name = json_object_get(spec, "name");
	version = json_object_get(spec, "version");
	if (!json_is_string(name)) {
		json_decref(spec);
		return;
	}
	r->spec_noted = 1;
	v = version ? etl_value_text(version) : NULL;
	snprintf(text, sizeof(text), "%s v%s", json_string_value(name),
	    v ? v : "?");
	free(v);
	json_decref(spec);
	etl_summary_note(&t->summary, "spec", text);
	etl_error_init(&err);
	if (etl_db_begin(r->db, &err) == 0 &&
	    etl_run_set_spec(r->db, r->run_id, text, &err) == 0)
		etl_db_commit(r->db, &err);
	etl_db_rollback(r->db);
}

struct add_ctx {
	struct etl_tool *t;
	struct sink *s;
	struct load_run *r;
	struct etl_loader *ld;
};

/* One record into the loader; a bad one goes to the dead letters. */
static int
add_record(const struct etl_textjson *rec, const char *source,
    long long line, void *arg)
{
	struct add_ctx *a = arg;
	struct etl_error why;
	int rc;

	load_run_note_spec(a->t, a->r, rec);
	rc = etl_loader_add(a->ld, rec, source, line, &why);
	if (rc == -ETL_EDATA) {
		(*a->s->rejected)++;
		return etl_rejects_add_text(a->s->rj, &why, rec->compact.data,
		    rec->compact.len, &a->t->err);
	}
	if (rc < 0)
		a->t->err = why;
	return rc;
}

int
load_records(struct etl_tool *t, struct load_opts *o)
{
	struct sink s = { t, o, NULL, NULL, NULL };
	struct etl_load_opts lo;
	struct etl_load_hooks hooks = { &s, on_reject, on_emit, NULL,
	    on_column_added };
	struct etl_loader *ld = NULL;
	struct load_run r;
	const struct etl_load_counts *c;
	long long *nread = etl_summary_counter(&t->summary, "read");
	long long *nins = etl_summary_counter(&t->summary, "inserted");
	long long *nupd = etl_summary_counter(&t->summary, "updated");
	long long *nunch = etl_summary_counter(&t->summary, "unchanged");
	int rc;

	s.rejected = etl_summary_counter(&t->summary, "rejected");
	memset(&lo, 0, sizeof(lo));
	lo.table = o->table;
	lo.keys = (const char *const *)o->keys;
	lo.nkeys = o->nkeys;
	lo.mode = o->mode;
	lo.conflict = o->conflict;
	lo.latest_field = o->latest_field;
	lo.strict_schema = o->strict_schema;
	lo.batch = o->batch;
	lo.watermark_key = o->wm_key;
	lo.watermark_field = o->wm_field;

	rc = load_run_start(t, o, &r, o->table);
	if (rc < 0)
		goto out;
	s.rj = etl_rejects_new(t->errors_path, t->max_errors, &t->err);
	s.out = etl_out_new(NULL, 0, &t->err);
	if (s.rj == NULL || s.out == NULL ||
	    (ld = etl_loader_new(r.db, &lo, &hooks, &t->err)) == NULL) {
		rc = -(int)t->err.kind;
		goto out;
	}
	for (int i = 0; i == 0 || i < o->ninputs; i++) {
		struct add_ctx a = { t, &s, &r, ld };
		struct etl_records_counts counts = { nread, s.rejected };

		rc = etl_records_foreach_text(o->ninputs ? o->inputs[i] : NULL,
		    t->max_line, s.rj, &counts, add_record, &a, &t->err);
		if (rc < 0)
			goto out;
	}
	rc = etl_loader_finish(ld, &t->err);
	if (rc == 0 && etl_loader_watermark(ld) != NULL)
		etl_summary_note(&t->summary, "watermark",
		    etl_loader_watermark(ld));
out:
	if (rc == -ETL_EDATA && ld != NULL) {
		/* Stopped on a bad record: keep the records before it (not
		 * the watermark; a failed batch makes this a no-op). */
		struct etl_error ignored;

		etl_loader_commit(ld, &ignored);
	}
	if (ld != NULL) {
		c = etl_loader_counts(ld);
		*nins = c->inserted;
		*nupd = c->updated;
		*nunch = c->unchanged;
		if (c->deleted > 0 || o->mode == ETL_LOAD_REPLACE)
			*etl_summary_counter(&t->summary, "deleted") =
			    c->deleted;
		if (c->duplicates > 0)
			*etl_summary_counter(&t->summary, "duplicates") =
			    c->duplicates;
	}
	etl_loader_free(ld);
	if (rc == 0)
		rc = etl_out_close(s.out, &t->err);
	else
		etl_out_close(s.out, NULL);
	if (rc == 0)
		rc = etl_rejects_close(s.rj, &t->err);
	else
		etl_rejects_close(s.rj, NULL);
	load_run_finish(t, &r, rc);
	return rc;
}
