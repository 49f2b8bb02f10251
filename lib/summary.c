#include "jsonw.h"
#include "out.h"
#include "strbuf.h"
#include "summary.h"

void
etl_summary_init(struct etl_summary *s)
{
	memset(s, 0, sizeof(*s));
	s->notes = json_object();
	s->started = etl_time_now();
	clock_gettime(CLOCK_MONOTONIC, &s->mono);
}

void
etl_summary_release(struct etl_summary *s)
{
	json_decref(s->notes);
	s->notes = NULL;
}

long long *
etl_summary_counter(struct etl_summary *s, const char *name)
{
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->names[i], name) == 0)
			return &s->values[i];
	if (s->n == ETL_SUMMARY_MAX)
		return &s->values[ETL_SUMMARY_MAX - 1];
	s->names[s->n] = name;
	s->values[s->n] = 0;
	return &s->values[s->n++];
}

void
etl_summary_note(struct etl_summary *s, const char *name, const char *value)
{
	if (s->notes != NULL && value != NULL)
		json_object_set_new(s->notes, name, json_string(value));
}

void
etl_summary_note_json(struct etl_summary *s, const char *name, json_t *value)
{
	if (s->notes != NULL && value != NULL)
		json_object_set_new(s->notes, name, value);
	else
		json_decref(value);
}

void
etl_summary_aside(struct etl_summary *s, const char *text)
{
	etl_strlcpy(s->aside, text ? text : "", sizeof(s->aside));
}

double
etl_summary_seconds(const struct etl_summary *s)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - s->mono.tv_sec) +
	    (double)(now.tv_nsec - s->mono.tv_nsec) / 1e9;
}

char *
etl_summary_line(const struct etl_summary *s, char *buf, size_t n)
{
	size_t used = 0;
	int parts = 0;
	const char *key;
	json_t *val;

	buf[0] = '\0';
	if (s->label[0] != '\0')
		used = etl_snappend(buf, n, used, "%s%s", s->label,
		    s->n > 0 || json_object_size(s->notes) > 0 ? ":" : "");
	for (int i = 0; i < s->n; i++)
		used = etl_snappend(buf, n, used, "%s%lld %s",
		    parts++ ? ", " : used ? " " : "", s->values[i],
		    s->names[i]);
	json_object_foreach(s->notes, key, val) {
		if (!json_is_string(val))
			continue;
		used = etl_snappend(buf, n, used, "%s%s %s",
		    parts++ ? ", " : used ? " " : "", key,
		    json_string_value(val));
	}
	if (s->aside[0] != '\0')
		used = etl_snappend(buf, n, used, "%s(%s)", used ? " " : "",
		    s->aside);
	etl_snappend(buf, n, used, "%sin %.2f s", used ? " " : "",
	    etl_summary_seconds(s));
	return buf;
}

json_t *
etl_summary_json(const struct etl_summary *s, const char *tool,
    enum etl_kind status)
{
	char ts[ETL_TIME_BUFSZ];
	struct etl_instant now = etl_time_now(), started = s->started;
	json_t *o = json_object();

	now.nsec -= now.nsec % 1000000;
	started.nsec -= started.nsec % 1000000;
	json_object_set_new(o, "tool", json_string(tool));
	if (s->label[0] != '\0')
		json_object_set_new(o, "command", json_string(s->label));
	json_object_set_new(o, "status", json_string(status == ETL_OK ||
	    status == ETL_EPIPE ? "ok" : etl_kind_name(status)));
	json_object_set_new(o, "exit", json_integer(etl_exit_code(status)));
	for (int i = 0; i < s->n; i++)
		json_object_set_new(o, s->names[i],
		    json_integer(s->values[i]));
	json_object_update(o, s->notes);
	json_object_set_new(o, "started_at",
	    json_string(etl_time_format(&started, ts)));
	json_object_set_new(o, "finished_at",
	    json_string(etl_time_format(&now, ts)));
	json_object_set_new(o, "seconds", json_real(etl_summary_seconds(s)));
	return o;
}

int
etl_summary_write_stats(const struct etl_summary *s, const char *path,
    const char *tool, enum etl_kind status, struct etl_error *err)
{
	json_t *o = etl_summary_json(s, tool, status);
	struct etl_out *out;
	int rc;

	out = etl_out_new(path, 0, err);
	if (out == NULL) {
		json_decref(o);
		return -(int)err->kind;
	}
	rc = etl_out_record(out, o, err);
	json_decref(o);
	if (rc < 0) {
		etl_out_close(out, NULL);
		return rc;
	}
	return etl_out_close(out, err);
}
