/*
 * etl-load --to csv: records out as CSV.  The header is the union of the
 * records' keys in first-seen order.  A stream cannot go back, so rows
 * are spooled to a temporary file until the end of input (memory stays
 * flat), then written under the full header; a key first seen late gets
 * empty fields in the rows before it.  --columns fixes the header and
 * streams at once; keys outside it are dropped with one warning each.
 */
#include <errno.h>
#include <stdint.h>

#include "csvw.h"
#include "etl-load.h"
#include "records.h"
#include "out.h"
#include "rejects.h"
#include "strbuf.h"

struct csv_state {
	struct etl_tool *t;
	struct load_opts *o;
	char delim;
	json_t *colmap;			/* name -> index */
	json_t *warned;			/* keys dropped under --columns */
	char **names;
	int ncols;
	FILE *spool;
	struct etl_out *out;
	struct etl_buf row;
	json_t **vals;
	int cap;
};

static int
add_name(struct csv_state *cs, const char *name)
{
	char **v = realloc(cs->names, sizeof(*v) * (size_t)(cs->ncols + 1));

	if (v == NULL)
		return -1;
	cs->names = v;
	if ((v[cs->ncols] = strdup(name)) == NULL)
		return -1;
	json_object_set_new(cs->colmap, name, json_integer(cs->ncols));
	cs->ncols++;
	return 0;
}

static int
put_header(struct csv_state *cs, struct etl_error *err)
{
	etl_buf_reset(&cs->row);
	for (int c = 0; c < cs->ncols; c++) {
		if ((c && etl_buf_putc(&cs->row, cs->delim) < 0) ||
		    etl_csv_put_field(&cs->row, cs->names[c],
		    strlen(cs->names[c]), cs->delim) < 0)
			return etl_error_set(err, ETL_EINTERNAL,
			    "out of memory");
	}
	if (etl_buf_putc(&cs->row, '\n') < 0)
		return etl_error_set(err, ETL_EINTERNAL, "out of memory");
	return etl_out_write(cs->out, cs->row.data, cs->row.len, err);
}

/* Format rec as a row of the columns known now (into cs->row). */
static int
format_row(struct csv_state *cs, const json_t *rec, struct etl_error *err)
{
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)rec, key, v) {
		if (json_object_get(cs->colmap, key) != NULL)
			continue;
		if (cs->o->columns != NULL) {
			if (json_object_get(cs->warned, key) == NULL) {
				etl_log(ETL_LOG_WARN, "key '%s' is not in "
				    "--columns: dropped", key);
				json_object_set_new(cs->warned, key,
				    json_true());
			}
			continue;
		}
		if (add_name(cs, key) < 0)
			return etl_error_set(err, ETL_EINTERNAL,
			    "out of memory");
	}
	if (cs->ncols > cs->cap) {
		json_t **p = realloc(cs->vals, sizeof(*p) * (size_t)cs->ncols);

		if (p == NULL)
			return etl_error_set(err, ETL_EINTERNAL,
			    "out of memory");
		cs->vals = p;
		cs->cap = cs->ncols;
	}
	memset(cs->vals, 0, sizeof(*cs->vals) * (size_t)cs->ncols);
	json_object_foreach((json_t *)rec, key, v) {
		json_t *i = json_object_get(cs->colmap, key);

		if (i != NULL)
			cs->vals[json_integer_value(i)] = v;
	}
	etl_buf_reset(&cs->row);
	for (int c = 0; c < cs->ncols; c++)
		if ((c && etl_buf_putc(&cs->row, cs->delim) < 0) ||
		    etl_csv_put_value(&cs->row, cs->vals[c], cs->delim) < 0)
			return etl_error_set(err, ETL_EINTERNAL,
			    "out of memory");
	if (cs->ncols == 1 && cs->row.len == 0 &&
	    etl_buf_puts(&cs->row, "\"\"") < 0)	/* a lone empty field */
		return etl_error_set(err, ETL_EINTERNAL, "out of memory");
	return 0;
}

static int
write_row(struct csv_state *cs, const json_t *rec, struct etl_error *err)
{
	uint32_t head[2];
	int rc = format_row(cs, rec, err);

	if (rc < 0)
		return rc;
	if (cs->spool == NULL) {
		if (etl_buf_putc(&cs->row, '\n') < 0)
			return etl_error_set(err, ETL_EINTERNAL,
			    "out of memory");
		return etl_out_write(cs->out, cs->row.data, cs->row.len, err);
	}
	head[0] = (uint32_t)cs->ncols;
	head[1] = (uint32_t)cs->row.len;
	if (fwrite(head, sizeof(head), 1, cs->spool) != 1 ||
	    fwrite(cs->row.data, 1, cs->row.len, cs->spool) != cs->row.len)
		return etl_error_set(err, ETL_EIO, "temporary file: %s",
		    strerror(errno));
	return 0;
}

/* The header, then every spooled row padded to the full width. */
static int
unspool(struct csv_state *cs, struct etl_error *err)
{
	uint32_t head[2];
	int rc;

	if (fflush(cs->spool) != 0)
		return etl_error_set(err, ETL_EIO, "temporary file: %s",
		    strerror(errno));
	rewind(cs->spool);
	if (cs->ncols == 0)
		return 0;
	if ((rc = put_header(cs, err)) < 0)
		return rc;
	while (fread(head, sizeof(head), 1, cs->spool) == 1) {
		etl_buf_reset(&cs->row);
		if (etl_buf_reserve(&cs->row, head[1] + (size_t)cs->ncols) < 0)
			return etl_error_set(err, ETL_EINTERNAL,
			    "out of memory");
		if (fread(cs->row.data, 1, head[1], cs->spool) != head[1])
			return etl_error_set(err, ETL_EIO, "temporary file "
			    "cut short");
		cs->row.len = head[1];
		for (uint32_t c = head[0]; c < (uint32_t)cs->ncols; c++)
			etl_buf_putc(&cs->row, cs->delim);
		etl_buf_putc(&cs->row, '\n');
		if ((rc = etl_out_write(cs->out, cs->row.data, cs->row.len,
		    err)) < 0)
			return rc;
	}
	if (ferror(cs->spool))
		return etl_error_set(err, ETL_EIO, "temporary file: %s",
		    strerror(errno));
	return 0;
}

struct row_ctx {
	struct csv_state *cs;
	long long *written;
};

static int
row(json_t *rec, const char *source, long long line, void *arg)
{
	struct row_ctx *r = arg;

	(void)source;
	(void)line;
	(*r->written)++;
	return write_row(r->cs, rec, &r->cs->t->err);
}

int
export_csv(struct etl_tool *t, struct load_opts *o)
{
	struct csv_state cs;
	struct etl_rejects *rj = NULL;
	long long *nread = etl_summary_counter(&t->summary, "read");
	long long *nwritten = etl_summary_counter(&t->summary, "written");
	long long *nrej = etl_summary_counter(&t->summary, "rejected");
	int rc = 0;

	memset(&cs, 0, sizeof(cs));
	cs.t = t;
	cs.o = o;
	cs.delim = o->delimiter ? o->delimiter : ',';
	cs.colmap = json_object();
	cs.warned = json_object();
	etl_buf_init(&cs.row);
	for (int i = 0; i < o->ncolumns && rc == 0; i++)
		if (add_name(&cs, o->columns[i]) < 0)
			rc = etl_error_set(&t->err, ETL_EINTERNAL,
			    "out of memory");
	if (rc < 0)
		goto out;
	rj = etl_rejects_new(t->errors_path, t->max_errors, &t->err);
	cs.out = etl_out_new(o->out, 0, &t->err);
	if (rj == NULL || cs.out == NULL) {
		rc = -(int)t->err.kind;
		goto out;
	}
	if (o->columns != NULL)
		rc = put_header(&cs, &t->err);
	else if ((cs.spool = tmpfile()) == NULL)
		rc = etl_error_set(&t->err, ETL_ECANTCREAT, "cannot create a "
		    "temporary file: %s", strerror(errno));
	for (int i = 0; rc == 0 && (i == 0 || i < o->ninputs); i++) {
		struct etl_records_counts counts = { nread, nrej };
		struct row_ctx r = { &cs, nwritten };

		rc = etl_records_foreach(o->ninputs ? o->inputs[i] : NULL,
		    t->max_line, rj, &counts, row, &r, &t->err);
	}
	if (rc == 0 && cs.spool != NULL)
		rc = unspool(&cs, &t->err);
out:
	if (rc == 0)
		rc = etl_out_close(cs.out, &t->err);
	else
		etl_out_close(cs.out, NULL);
	if (rc == 0)
		rc = etl_rejects_close(rj, &t->err);
	else
		etl_rejects_close(rj, NULL);
	if (cs.spool != NULL)
		fclose(cs.spool);
	for (int i = 0; i < cs.ncols; i++)
		free(cs.names[i]);
	free(cs.names);
	free(cs.vals);
	json_decref(cs.colmap);
	json_decref(cs.warned);
	etl_buf_release(&cs.row);
	return rc;
}
