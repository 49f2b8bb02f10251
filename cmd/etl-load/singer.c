/*
 * etl-load --input singer: Singer messages from any tap.  SCHEMA gives a
 * stream its table (the stream name) and key (key_properties); RECORDs
 * go to that table; at each STATE every table's pending batch is
 * committed first, then the state is kept (with --state-key, as the
 * watermark singer:NAME) and written to stdout, so a tap restarted from
 * it never skips an uncommitted record.
 */
#include "etl-load.h"
#include "jsonw.h"
#include "records.h"
#include "out.h"
#include "rejects.h"
#include "state.h"
#include "strbuf.h"

struct stream {
	char *name;
	char **keys;
	int nkeys;
	struct etl_loader *ld;
};

struct singer {
	struct etl_tool *t;
	struct load_opts *o;
	struct load_run run;
	struct etl_rejects *rj;
	struct etl_out *out;
	struct stream *streams;
	int nstreams;
	long long *rejected;
	long long *states;
	struct etl_load_counts done;	/* of loaders already freed */
};

static int
on_reject(void *ctx, const struct etl_error *why, const char *json,
    size_t len, struct etl_error *err)
{
	struct singer *sg = ctx;

	(*sg->rejected)++;
	return etl_rejects_add_text(sg->rj, why, json, len, err);
}

static void
on_column_added(void *ctx, const char *table, const char *column,
    const char *type)
{
	(void)ctx;
	etl_log(ETL_LOG_INFO, "%s: added column '%s'%s%s", table, column,
	    *type ? " " : "", type);
}

static void
add_counts(struct etl_load_counts *sum, const struct etl_load_counts *c)
{
	sum->inserted += c->inserted;
	sum->updated += c->updated;
	sum->unchanged += c->unchanged;
	sum->duplicates += c->duplicates;
}

static void
stream_release(struct singer *sg, struct stream *s)
{
	if (s->ld != NULL)
		add_counts(&sg->done, etl_loader_counts(s->ld));
	etl_loader_free(s->ld);
	etl_strv_free(s->keys);
	free(s->name);
	memset(s, 0, sizeof(*s));
}

static struct stream *
find_stream(struct singer *sg, const char *name)
{
	for (int i = 0; i < sg->nstreams; i++)
		if (strcmp(sg->streams[i].name, name) == 0)
			return &sg->streams[i];
	return NULL;
}

/* Where a message came from, for its errors. */
struct origin {
	const char *source;
	long long line;
};

static int
bad(struct singer *sg, const struct origin *in, json_t *msg,
    const char *field, const char *what, struct etl_error *err)
{
	struct etl_error why;

	etl_error_at(&why, ETL_EDATA, in->source, in->line, field, "%s",
	    what);
	etl_error_rule(&why, "singer");
	(*sg->rejected)++;
	return etl_rejects_add(sg->rj, &why, msg, NULL, 0, err);
}

static int
on_schema(struct singer *sg, const struct origin *in, json_t *msg,
    const char *name, struct etl_error *err)
{
	json_t *kp = json_object_get(msg, "key_properties"), *k;
	struct stream *s = find_stream(sg, name);
	struct etl_load_opts lo;
	struct etl_load_hooks hooks = { sg, on_reject, NULL, NULL,
	    on_column_added };
	size_t i;
	int rc;

	if (kp != NULL && !json_is_array(kp))
		return bad(sg, in, msg, "key_properties", "not an array",
		    err);
	json_array_foreach(kp, i, k)
		if (!json_is_string(k))
			return bad(sg, in, msg, "key_properties",
			    "holds a non-string", err);
	if (s != NULL) {
		/* A stream's SCHEMA again: commit what it has, start anew. */
		if ((rc = etl_loader_finish(s->ld, err)) < 0)
			return rc;
		stream_release(sg, s);
	} else {
		s = realloc(sg->streams, sizeof(*s) *
		    (size_t)(sg->nstreams + 1));
		if (s == NULL)
			return etl_error_set(err, ETL_EINTERNAL,
			    "out of memory");
		sg->streams = s;
		s += sg->nstreams++;
		memset(s, 0, sizeof(*s));
	}
	s->name = strdup(name);
	s->nkeys = (int)json_array_size(kp);
	s->keys = calloc((size_t)s->nkeys + 1, sizeof(char *));
	if (s->name == NULL || s->keys == NULL)
		return etl_error_set(err, ETL_EINTERNAL, "out of memory");
	json_array_foreach(kp, i, k)
		s->keys[i] = strdup(json_string_value(k));
	memset(&lo, 0, sizeof(lo));
	lo.table = s->name;
	lo.keys = (const char *const *)s->keys;
	lo.nkeys = s->nkeys;
	lo.mode = s->nkeys > 0 ? ETL_LOAD_UPSERT : ETL_LOAD_APPEND;
	lo.conflict = sg->o->conflict;
	lo.latest_field = sg->o->latest_field;
	lo.strict_schema = sg->o->strict_schema;
	lo.batch = sg->o->batch;
	s->ld = etl_loader_new(sg->run.db, &lo, &hooks, err);
	return s->ld ? 0 : -(int)err->kind;
}

static int
on_state(struct singer *sg, json_t *msg, struct etl_error *err)
{
	json_t *value = json_object_get(msg, "value");
	struct etl_buf text;
	char key[512];
	int rc = 0, moved;

	for (int i = 0; i < sg->nstreams && rc == 0; i++)
		rc = etl_loader_finish(sg->streams[i].ld, err);
	if (rc < 0)
		return rc;
	etl_buf_init(&text);
	if (etl_json_dump(&text, value ? value : json_null()) < 0) {
		etl_buf_release(&text);
		return etl_error_set(err, ETL_EINTERNAL, "out of memory");
	}
	if (sg->o->state_key != NULL) {
		snprintf(key, sizeof(key), "singer:%s", sg->o->state_key);
		rc = etl_db_begin(sg->run.db, err);
		if (rc == 0)
			rc = etl_watermark_advance(sg->run.db, key, text.data,
			    1, &moved, err);
		if (rc == 0)
			rc = etl_db_commit(sg->run.db, err);
		else
			etl_db_rollback(sg->run.db);
	}
	if (rc == 0)
		rc = etl_out_line(sg->out, text.data, text.len, err);
	if (rc == 0)
		rc = etl_out_flush(sg->out, err);
	etl_buf_release(&text);
	(*sg->states)++;
	return rc;
}

static int
on_message(struct singer *sg, const char *source, long long line,
    json_t *msg, struct etl_error *err)
{
	const struct origin origin = { source, line }, *in = &origin;
	const char *type = json_string_value(json_object_get(msg, "type"));
	const char *name = json_string_value(json_object_get(msg, "stream"));
	struct stream *s;
	json_t *rec;
	int rc;

	if (type == NULL)
		return bad(sg, in, msg, "type", "missing", err);
	if (strcmp(type, "STATE") == 0)
		return on_state(sg, msg, err);
	if (strcmp(type, "SCHEMA") != 0 && strcmp(type, "RECORD") != 0) {
		etl_log(ETL_LOG_DEBUG, "%s:%lld: %s message ignored",
		    in->source, in->line, type);
		return 0;
	}
	if (name == NULL || *name == '\0')
		return bad(sg, in, msg, "stream", "missing", err);
	if (strcmp(type, "SCHEMA") == 0)
		return on_schema(sg, in, msg, name, err);
	s = find_stream(sg, name);
	if (s == NULL)
		return bad(sg, in, msg, "stream", "RECORD before the "
		    "stream's SCHEMA", err);
	rec = json_object_get(msg, "record");
	if (!json_is_object(rec))
		return bad(sg, in, msg, "record", "missing or not an object",
		    err);
	rc = etl_loader_add_json(s->ld, rec, in->source, in->line, err);
	if (rc == -ETL_EDATA) {
		(*sg->rejected)++;
		return etl_rejects_add(sg->rj, err, rec, NULL, 0, err);
	}
	return rc;
}

static int
message(json_t *msg, const char *source, long long line, void *arg)
{
	struct singer *sg = arg;

	etl_error_init(&sg->t->err);
	return on_message(sg, source, line, msg, &sg->t->err);
}

int
load_singer(struct etl_tool *t, struct load_opts *o)
{
	struct singer sg;
	long long *nread = etl_summary_counter(&t->summary, "read");
	long long *nins = etl_summary_counter(&t->summary, "inserted");
	long long *nupd = etl_summary_counter(&t->summary, "updated");
	long long *nunch = etl_summary_counter(&t->summary, "unchanged");
	int rc;

	memset(&sg, 0, sizeof(sg));
	sg.t = t;
	sg.o = o;
	sg.rejected = etl_summary_counter(&t->summary, "rejected");
	sg.states = etl_summary_counter(&t->summary, "states");
	rc = load_run_start(t, o, &sg.run, "singer");
	if (rc < 0)
		goto out;
	sg.rj = etl_rejects_new(t->errors_path, t->max_errors, &t->err);
	sg.out = etl_out_new(NULL, 0, &t->err);
	if (sg.rj == NULL || sg.out == NULL) {
		rc = -(int)t->err.kind;
		goto out;
	}
	for (int i = 0; i == 0 || i < o->ninputs; i++) {
		struct etl_records_counts counts = { nread, sg.rejected };

		rc = etl_records_foreach(o->ninputs ? o->inputs[i] : NULL,
		    t->max_line, sg.rj, &counts, message, &sg, &t->err);
		if (rc < 0)
			goto out;
	}
	for (int i = 0; i < sg.nstreams && rc == 0; i++)
		rc = etl_loader_finish(sg.streams[i].ld, &t->err);
out:
	for (int i = 0; rc == -ETL_EDATA && i < sg.nstreams; i++) {
		/* Stopped on a bad record: keep what came before it. */
		struct etl_error ignored;

		etl_loader_commit(sg.streams[i].ld, &ignored);
	}
	for (int i = 0; i < sg.nstreams; i++)
		stream_release(&sg, &sg.streams[i]);
	free(sg.streams);
	*nins = sg.done.inserted;
	*nupd = sg.done.updated;
	*nunch = sg.done.unchanged;
	if (sg.done.duplicates > 0)
		*etl_summary_counter(&t->summary, "duplicates") =
		    sg.done.duplicates;
	if (rc == 0)
		rc = etl_out_close(sg.out, &t->err);
	else
		etl_out_close(sg.out, NULL);
	if (rc == 0)
		rc = etl_rejects_close(sg.rj, &t->err);
	else
		etl_rejects_close(sg.rj, NULL);
	load_run_finish(t, &sg.run, rc);
	return rc;
}
