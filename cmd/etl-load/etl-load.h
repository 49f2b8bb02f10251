/* etl-load: what its files share. */
#ifndef ETL_LOAD_TOOL_H
#define ETL_LOAD_TOOL_H

#include "db.h"
#include "load.h"
#include "tool.h"

enum emit_what { EMIT_NONE = 0, EMIT_CHANGED, EMIT_ALL };

struct load_opts {
	const char *db;
	const char *table;
	char **keys;			/* from --key a,b */
	int nkeys;
	enum etl_load_mode mode;
	int mode_given;
	enum etl_conflict conflict;
	const char *latest_field;
	size_t batch;
	enum emit_what emit;
	char *wm_key;			/* --watermark KEY:FIELD */
	const char *wm_field;
	int strict_schema;
	int singer;			/* --input singer */
	const char *state_key;
	int to_csv;			/* --to csv */
	const char *out;
	char **columns;			/* --columns for CSV */
	int ncolumns;
	char delimiter;
	char **inputs;
	int ninputs;
	struct etl_db_opts dbopts;
};

/* Load records (NDJSON) into the table. */
int load_records(struct etl_tool *t, struct load_opts *o);
/* Load Singer messages: streams into tables, STATE after commits. */
int load_singer(struct etl_tool *t, struct load_opts *o);
/* Write records as CSV. */
int export_csv(struct etl_tool *t, struct load_opts *o);

/* Shared by the loaders: open the database and record the run. */
struct load_run {
	struct etl_db *db;
	long long run_id;
	int spec_noted;
};
int load_run_start(struct etl_tool *t, struct load_opts *o,
    struct load_run *r, const char *target);
void load_run_finish(struct etl_tool *t, struct load_run *r, int rc);
/* Note the _spec of a record once for the run and the summary. */
void load_run_note_spec(struct etl_tool *t, struct load_run *r,
    const struct etl_textjson *rec);

#endif
