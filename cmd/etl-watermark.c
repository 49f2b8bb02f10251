/*
 * etl-watermark: incremental-sync state (get, set, list, delete, track,
 * commit) kept in _etl_watermarks of the data's database.
 */
#include <limits.h>

#include "db.h"
#include "ndjson.h"
#include "out.h"
#include "parse.h"
#include "rejects.h"
#include "signals.h"
#include "state.h"
#include "strbuf.h"
#include "tool.h"
#include "value.h"

#define TOOL "etl-watermark"

static const char synopsis[] =
    "usage: etl-watermark get KEY [--default VALUE] [--lag DURATION]\n"
    "       etl-watermark set KEY VALUE [--force]\n"
    "       etl-watermark list\n"
    "       etl-watermark delete KEY\n"
    "       etl-watermark track KEY --field F [FILE]\n"
    "       etl-watermark commit KEY\n"
    "       (each also takes [--db PATH] [--busy-timeout DURATION])\n";

static const char help[] =
    "usage: etl-watermark get KEY [--default VALUE] [--lag DURATION]\n"
    "       etl-watermark set KEY VALUE [--force]\n"
    "       etl-watermark list\n"
    "       etl-watermark delete KEY\n"
    "       etl-watermark track KEY --field F [FILE]\n"
    "       etl-watermark commit KEY\n"
    "       (each also takes [--db PATH] [--busy-timeout DURATION])\n"
    "\n"
    "Keep incremental-sync state: how far a job has read a source.\n"
    "\n"
    "Commands:\n"
    "  get KEY          print the value; unset and no --default: exit 1\n"
    "  set KEY VALUE    store VALUE if newer than the stored value\n"
    "  list             print every watermark as NDJSON\n"
    "  delete KEY       forget KEY\n"
    "  track KEY        copy records from FILE or stdin to stdout and, at a\n"
    "                   clean end of input, store max(--field) as pending\n"
    "  commit KEY       promote the pending value (once the load succeeded)\n"
    "\n"
    "Options:\n"
    "      --db PATH              database (default $ETL_DB, else ./etl.db)\n"
    "      --default VALUE        get: print VALUE when KEY is unset\n"
    "      --lag DURATION         get: move a timestamp back (5m, 1h, 2d)\n"
    "      --force                set: store even if older or not comparable\n"
    "      --field F              track: the field holding the watermark\n"
    "      --busy-timeout DUR     wait this long for a locked database (30s)\n"
    "      --errors FILE          track: append bad records to FILE, go on\n"
    "      --max-errors N         stop (65) after more than N bad records\n"
    "      --max-line SIZE        longest input line (64M)\n"
    "      --stats FILE           write the run's counts as JSON\n"
    "      --log-format text|json\n"
    "      --progress, --no-progress\n"
    "  -q, --quiet                no summary line\n"
    "  -v, --verbose              more detail\n"
    "  -h, --help                 this help\n"
    "      --version              version and library versions\n"
    "\n"
    "Example:\n"
    "  etl-extract http \"$URL?since=$(etl-watermark get orders \\\n"
    "      --default 1970-01-01T00:00:00Z --lag 5m)\" \\\n"
    "    | etl-watermark track orders --field updated_at \\\n"
    "    | etl-load --table orders --key id && etl-watermark commit orders\n"
    "\n"
    "See etl-watermark(1) and etl(7).\n";

enum {
	OPT_DB = ETL_OPT_TOOL,
	OPT_DEFAULT,
	OPT_LAG,
	OPT_FORCE,
	OPT_FIELD,
	OPT_BUSY_TIMEOUT
};

static const struct option longopts[] = {
	{ "busy-timeout", required_argument, NULL, OPT_BUSY_TIMEOUT },
	{ "db", required_argument, NULL, OPT_DB },
	{ "default", required_argument, NULL, OPT_DEFAULT },
	{ "field", required_argument, NULL, OPT_FIELD },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "lag", required_argument, NULL, OPT_LAG },
	ETL_COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

struct watermark_opts {
	const char *command;
	const char *key;
	const char *value;		/* set */
	const char *input;		/* track */
	const char *db;
	const char *def;
	const char *field;
	int64_t lag_ms;
	int lag_given;
	int force;
	struct etl_db_opts dbopts;
};

/* Which options and how many arguments each command takes. */
static const struct command {
	const char *name;
	int min_args, max_args;
	int writes;		/* creates the database when missing */
} commands[] = {
	{ "commit", 1, 1, 0 },
	{ "delete", 1, 1, 0 },
	{ "get", 1, 1, 0 },
	{ "list", 0, 0, 0 },
	{ "set", 2, 2, 1 },
	{ "track", 1, 2, 1 },
};

static const struct command *
find_command(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static int
parse_args(struct etl_tool *t, struct watermark_opts *o, int argc,
    char **argv)
{
	const struct command *cmd;
	const char *why;
	int c, rc, nargs;

	o->dbopts.busy_timeout_ms = ETL_DB_DEFAULT_BUSY_MS;
	while ((c = getopt_long(argc, argv, ETL_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		rc = etl_tool_option(t, c, optarg);
		if (rc < 0 || t->exit_now)
			return rc;
		if (rc == 1)
			continue;
		switch (c) {
		case OPT_DB:
			o->db = optarg;
			break;
		case OPT_DEFAULT:
			o->def = optarg;
			break;
		case OPT_LAG:
			if (etl_parse_duration(optarg, &o->lag_ms, &why) < 0)
				return etl_tool_bad_value(t, "lag", optarg, why);
			o->lag_given = 1;
			break;
		case OPT_FORCE:
			o->force = 1;
			break;
		case OPT_FIELD:
			o->field = optarg;
			break;
		case OPT_BUSY_TIMEOUT:
			if (etl_parse_duration(optarg,
			    &o->dbopts.busy_timeout_ms, &why) < 0)
				return etl_tool_bad_value(t, "busy-timeout",
				    optarg, why);
			break;
		}
	}
	if (optind >= argc)
		return etl_tool_usage(t, "missing command");
	o->command = argv[optind++];
	cmd = find_command(o->command);
	if (cmd == NULL)
		return etl_tool_usage(t, "unknown command '%s'", o->command);
	nargs = argc - optind;
	if (nargs < cmd->min_args)
		return etl_tool_usage(t, "%s: missing %s", o->command,
		    nargs == 0 ? "KEY" : "VALUE");
	if (nargs > cmd->max_args)
		return etl_tool_usage(t, "%s: unexpected argument '%s'",
		    o->command, argv[optind + cmd->max_args]);
	if (nargs > 0)
		o->key = argv[optind];
	if (o->key != NULL && *o->key == '\0')
		return etl_tool_usage(t, "KEY must not be empty");
	if (strcmp(o->command, "set") == 0)
		o->value = argv[optind + 1];
	if (strcmp(o->command, "track") == 0 && nargs == 2)
		o->input = argv[optind + 1];
	if ((o->def || o->lag_given) && strcmp(o->command, "get") != 0)
		return etl_tool_usage(t, "--default and --lag go with get");
	if (o->force && strcmp(o->command, "set") != 0)
		return etl_tool_usage(t, "--force goes with set");
	if ((o->field != NULL) != (strcmp(o->command, "track") == 0))
		return etl_tool_usage(t, o->field ? "--field goes with track" :
		    "track needs --field F");
	if ((t->errors_path != NULL || t->max_errors >= 0) &&
	    strcmp(o->command, "track") != 0)
		return etl_tool_usage(t, "--errors goes with track");
	o->dbopts.create = cmd->writes;
	o->db = etl_db_default_target(o->db);
	return 0;
}

/* Open the database; for reading, a missing one is no state (*db NULL). */
static int
open_db(struct etl_tool *t, struct watermark_opts *o, struct etl_db **db)
{
	*db = etl_db_new(o->db, &o->dbopts, &t->err);
	if (*db != NULL)
		return 0;
	if (!o->dbopts.create && t->err.kind == ETL_ENOINPUT &&
	    strcmp(t->err.message, "database does not exist") == 0) {
		etl_log(ETL_LOG_DEBUG, "%s: does not exist yet: no state",
		    o->db);
		etl_error_init(&t->err);
		return 0;
	}
	return -(int)t->err.kind;
}

static int
print_value(struct etl_tool *t, const char *value)
{
	struct etl_out *out = etl_out_new(NULL, 0, &t->err);
	int rc;

	if (out == NULL)
		return -(int)t->err.kind;
	rc = etl_out_line(out, value, strlen(value), &t->err);
	if (rc < 0) {
		etl_out_close(out, NULL);
		return rc;
	}
	return etl_out_close(out, &t->err);
}

static int
cmd_get(struct etl_tool *t, struct watermark_opts *o, struct etl_db *db)
{
	struct etl_watermark w = { 0 };
	struct etl_instant at;
	char buf[ETL_TIME_BUFSZ];
	const char *value;
	int rc = 0;

	if (db != NULL && (rc = etl_watermark_get(db, o->key, &w,
	    &t->err)) < 0)
		return rc;
	value = w.value;
	if (value == NULL && o->def == NULL) {
		rc = etl_error_at(&t->err, ETL_ENOTFOUND, o->key, 0, NULL,
		    "not set%s", w.pending ? " (a pending value awaits "
		    "commit)" : "");
		goto out;
	}
	if (value == NULL) {
		/* The default is where a first run starts: no overlap. */
		value = o->def;
	} else if (o->lag_given) {
		if (etl_time_parse(value, &at) < 0) {
			rc = etl_error_at(&t->err, ETL_EDATA, o->key, 0, NULL,
			    "--lag needs a timestamp, but the value is '%s'",
			    value);
			goto out;
		}
		etl_time_add_ms(&at, -o->lag_ms);
		value = etl_time_format(&at, buf);
	}
	rc = print_value(t, value);
out:
	etl_watermark_release(&w);
	return rc;
}

static int
cmd_set(struct etl_tool *t, struct watermark_opts *o, struct etl_db *db)
{
	int moved, rc;

	rc = etl_watermark_advance(db, o->key, o->value, o->force, &moved,
	    &t->err);
	if (rc < 0)
		return rc;
	if (!moved)
		etl_log(ETL_LOG_WARN, "%s: kept the stored value: it is newer "
		    "than '%s' (use --force to move back)", o->key, o->value);
	etl_summary_note(&t->summary, moved ? "value" : "kept",
	    moved ? o->value : "the newer stored value");
	return 0;
}

static int
cmd_delete(struct etl_tool *t, struct watermark_opts *o, struct etl_db *db)
{
	int rc = etl_watermark_delete(db, o->key, &t->err);

	if (rc == 0)
		return etl_error_at(&t->err, ETL_ENOTFOUND, o->key, 0, NULL,
		    "not set");
	return rc < 0 ? rc : 0;
}

static int
cmd_commit(struct etl_tool *t, struct watermark_opts *o, struct etl_db *db)
{
	char *value = NULL;
	int rc = etl_watermark_commit(db, o->key, &value, &t->err);

	if (rc == 0)
		etl_log(ETL_LOG_DEBUG, "%s: nothing pending", o->key);
	if (rc >= 0)
		etl_summary_note(&t->summary, rc ? "value" : "pending",
		    rc ? value : "none");
	free(value);
	return rc < 0 ? rc : 0;
}

struct list_ctx {
	struct etl_out *out;
	struct etl_error *err;
	long long *count;
};

static int
list_one(const struct etl_watermark *w, void *arg)
{
	struct list_ctx *ctx = arg;
	json_t *rec = json_pack("{s:s, s:s?, s:s?, s:s?}", "key", w->key,
	    "value", w->value, "pending", w->pending, "updated_at",
	    w->updated_at);
	int rc;

	if (rec == NULL)
		return etl_error_set(ctx->err, ETL_EINTERNAL, "out of memory");
	rc = etl_out_record(ctx->out, rec, ctx->err);
	json_decref(rec);
	(*ctx->count)++;
	return rc;
}

static int
cmd_list(struct etl_tool *t, struct etl_db *db)
{
	struct list_ctx ctx;
	int rc = 0;

	ctx.err = &t->err;
	ctx.count = etl_summary_counter(&t->summary, "listed");
	ctx.out = etl_out_new(NULL, 0, &t->err);
	if (ctx.out == NULL)
		return -(int)t->err.kind;
	if (db != NULL)
		rc = etl_watermark_foreach(db, list_one, &ctx, &t->err);
	if (rc < 0) {
		etl_out_close(ctx.out, NULL);
		return rc;
	}
	return etl_out_close(ctx.out, &t->err);
}

/* The running maximum of track. */
struct best {
	char *text;
	enum etl_vkind kind;
	struct etl_instant at;
};

/* Compare the record's field with the best so far; <0: a bad record. */
static int
track_record(struct watermark_opts *o, const char *source, long long line,
    json_t *rec, struct best *best, struct etl_error *err)
{
	json_t *v = json_object_get(rec, o->field);
	enum etl_vkind kind;
	struct etl_instant at;
	char *text;
	int cmp = 1, rc;

	if (v == NULL)
		return etl_error_at(err, ETL_EDATA, source, line, o->field,
		    "missing");
	text = etl_value_text(v);
	if (text == NULL)
		return etl_error_at(err, ETL_EDATA, source, line, o->field,
		    "is %s, expected a number or a timestamp",
		    json_is_null(v) ? "null" : json_is_boolean(v) ?
		    "a boolean" : json_is_array(v) ? "an array" : "an object");
	kind = etl_value_kind(text);
	if (kind == ETL_V_NONE) {
		rc = etl_error_at(err, ETL_EDATA, source, line, o->field,
		    "'%.100s' is neither a number nor an RFC 3339 timestamp",
		    text);
		free(text);
		return rc;
	}
	if (best->text != NULL && kind != best->kind) {
		rc = etl_error_at(err, ETL_EDATA, source, line, o->field,
		    "is a %s, but earlier records hold %ss",
		    etl_vkind_name(kind), etl_vkind_name(best->kind));
		free(text);
		return rc;
	}
	if (best->text != NULL) {
		if (kind == ETL_V_TIME) {
			etl_time_parse(text, &at);
			cmp = etl_time_cmp(&at, &best->at);
		} else {
			etl_number_cmp(text, best->text, &cmp);
		}
	} else if (kind == ETL_V_TIME) {
		etl_time_parse(text, &at);
	}
	if (cmp > 0) {
		free(best->text);
		best->text = text;
		best->kind = kind;
		if (kind == ETL_V_TIME)
			best->at = at;
	} else {
		free(text);
	}
	return 0;
}

static int
cmd_track(struct etl_tool *t, struct watermark_opts *o, struct etl_db *db)
{
	struct etl_lines *in = NULL;
	struct etl_out *out = NULL;
	struct etl_rejects *rj = NULL;
	struct best best = { NULL, ETL_V_NONE, { 0, 0 } };
	long long *nread = etl_summary_counter(&t->summary, "read");
	long long *nrej = etl_summary_counter(&t->summary, "rejected");
	const char *line;
	size_t len;
	int rc;

	/* A pending value left by an earlier run must not outlive this one:
	 * if this run fails, commit finds nothing to promote. */
	rc = etl_db_begin(db, &t->err);
	if (rc == 0)
		rc = etl_state_ensure(db, &t->err);
	if (rc == 0)
		rc = etl_watermark_set_pending(db, o->key, NULL, &t->err);
	if (rc == 0)
		rc = etl_db_commit(db, &t->err);
	if (rc < 0)
		return rc;
	in = etl_lines_new(o->input, t->max_line, &t->err);
	if (in == NULL)
		return -(int)t->err.kind;
	rj = etl_rejects_new(t->errors_path, t->max_errors, &t->err);
	out = etl_out_new(NULL, 0, &t->err);
	if (rj == NULL || out == NULL) {
		rc = -(int)t->err.kind;
		goto out;
	}
	while ((rc = etl_lines_next(in, &line, &len, &t->err)) != 0) {
		struct etl_error why;
		json_t *rec = NULL;
		long long lineno = etl_lines_lineno(in);

		if (rc < 0 && rc != -ETL_EDATA)
			goto out;
		(*nread)++;
		etl_progress_update(*nread, "read");
		etl_error_init(&why);
		if (rc == -ETL_EDATA)
			why = t->err;
		else
			rc = etl_ndjson_parse(line, len, etl_lines_source(in),
			    lineno, &rec, &why);
		if (rc >= 0)
			rc = track_record(o, etl_lines_source(in), lineno, rec,
			    &best, &why);
		if (rc >= 0) {
			rc = etl_out_line(out, line, len, &t->err);
		} else {
			(*nrej)++;
			rc = etl_rejects_add(rj, &why, rec, line, len,
			    &t->err);
		}
		json_decref(rec);
		if (rc < 0)
			goto out;
	}
	/* A clean end: everything reached stdout before state moves. */
	rc = etl_out_close(out, &t->err);
	out = NULL;
	if (rc == 0)
		rc = etl_rejects_close(rj, &t->err);
	else
		etl_rejects_close(rj, NULL);
	rj = NULL;
	if (rc == 0)
		rc = etl_signal_check(&t->err);
	if (rc == 0)
		rc = etl_db_begin(db, &t->err);
	if (rc == 0)
		rc = etl_watermark_set_pending(db, o->key, best.text, &t->err);
	if (rc == 0)
		rc = etl_db_commit(db, &t->err);
	if (rc == 0)
		etl_summary_note(&t->summary, "pending",
		    best.text ? best.text : "none");
out:
	etl_out_close(out, NULL);
	etl_rejects_close(rj, NULL);
	etl_lines_free(in);
	free(best.text);
	return rc;
}

static int
run(struct etl_tool *t, struct watermark_opts *o)
{
	struct etl_db *db = NULL;
	int rc;

	snprintf(t->summary.label, sizeof(t->summary.label), "%s%s%s",
	    o->command, o->key ? " " : "", o->key ? o->key : "");
	if ((rc = open_db(t, o, &db)) < 0)
		return rc;
	if (strcmp(o->command, "get") == 0) {
		rc = cmd_get(t, o, db);
	} else if (strcmp(o->command, "list") == 0) {
		rc = cmd_list(t, db);
	} else if (db == NULL) {
		/* delete and commit on a database not made yet: no state. */
		if (strcmp(o->command, "delete") == 0)
			rc = etl_error_at(&t->err, ETL_ENOTFOUND, o->key, 0,
			    NULL, "not set");
	} else if (strcmp(o->command, "track") == 0) {
		rc = cmd_track(t, o, db);
	} else {
		/* set, delete, commit: read-modify-write under one lock. */
		rc = etl_db_begin(db, &t->err);
		if (rc == 0 && strcmp(o->command, "set") == 0)
			rc = etl_state_ensure(db, &t->err);
		if (rc == 0)
			rc = strcmp(o->command, "set") == 0 ?
			    cmd_set(t, o, db) :
			    strcmp(o->command, "delete") == 0 ?
			    cmd_delete(t, o, db) : cmd_commit(t, o, db);
		if (rc == 0)
			rc = etl_db_commit(db, &t->err);
	}
	etl_db_free(db);
	return rc;
}

int
main(int argc, char **argv)
{
	struct etl_tool t;
	struct watermark_opts o;
	int rc;

	memset(&o, 0, sizeof(o));
	etl_tool_init(&t, TOOL, synopsis, help);
	rc = parse_args(&t, &o, argc, argv);
	if (etl_tool_ready(&t, &rc))
		rc = run(&t, &o);
	return etl_tool_finish(&t, rc);
}
