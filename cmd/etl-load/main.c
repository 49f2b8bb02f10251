/*
 * etl-load: batched, transactional, idempotent loads of records into a
 * table (SQLite or PostgreSQL), or out as CSV.
 */
#include <limits.h>

#include "etl-load.h"
#include "parse.h"
#include "strbuf.h"

#define TOOL "etl-load"

static const char synopsis[] =
    "usage: etl-load [--db DB] --table T [--key K[,K2...]]\n"
    "                [--mode upsert|insert|replace|append]\n"
    "                [--conflict source-wins|dest-wins|latest-wins:FIELD|merge]\n"
    "                [--batch N] [--emit changed|all] [--watermark KEY:FIELD]\n"
    "                [--strict-schema] [--input ndjson|singer] [--state-key NAME]\n"
    "                [--errors FILE] [FILE...]\n"
    "       etl-load --to csv [--out FILE] [--columns A,B...] [--delimiter C]\n"
    "                [FILE...]\n";

static const char help[] =
    "usage: etl-load [--db DB] --table T [--key K[,K2...]]\n"
    "                [--mode upsert|insert|replace|append]\n"
    "                [--conflict source-wins|dest-wins|latest-wins:FIELD|merge]\n"
    "                [--batch N] [--emit changed|all] [--watermark KEY:FIELD]\n"
    "                [--strict-schema] [--input ndjson|singer] [--state-key NAME]\n"
    "                [--errors FILE] [FILE...]\n"
    "       etl-load --to csv [--out FILE] [--columns A,B...] [--delimiter C]\n"
    "                [FILE...]\n"
    "\n"
    "Load records into a table: batched, transactional, idempotent.\n"
    "\n"
    "Options:\n"
    "      --db DB                SQLite path or postgresql:// URI\n"
    "                             (default $ETL_DB, else ./etl.db)\n"
    "  -t, --table T              the table (created on first use)\n"
    "  -k, --key K[,K2...]        the key; upsert by it\n"
    "      --mode M               upsert (default with --key), insert,\n"
    "                             replace, append (default without --key)\n"
    "      --conflict C           source-wins (default), dest-wins,\n"
    "                             latest-wins:FIELD, merge\n"
    "      --batch N              records per transaction (1000)\n"
    "      --emit changed|all     print inserted and changed (or all)\n"
    "                             records once committed\n"
    "      --watermark KEY:FIELD  store max(FIELD) as watermark KEY in the\n"
    "                             last batch's transaction\n"
    "      --strict-schema        a key that is not a column is a bad record\n"
    "      --input ndjson|singer  read Singer messages (SCHEMA, RECORD, STATE)\n"
    "      --state-key NAME       keep Singer STATE as watermark singer:NAME\n"
    "      --busy-timeout DUR     wait this long for a locked database (30s)\n"
    "      --to csv               write CSV instead of loading\n"
    "      --out FILE             CSV output file (default stdout)\n"
    "      --columns A,B...       CSV header, streamed at once\n"
    "      --delimiter C          CSV delimiter (,)\n"
    "      --errors FILE          append bad records to FILE, go on\n"
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
    "  etl-extract file orders.csv \\\n"
    "    | etl-load --db shop.db --table orders --key id \\\n"
    "        --watermark orders:updated_at --errors rejects.ndjson\n"
    "\n"
    "See etl-load(1) and etl(7).\n";

enum {
	OPT_DB = ETL_OPT_TOOL,
	OPT_MODE,
	OPT_CONFLICT,
	OPT_BATCH,
	OPT_EMIT,
	OPT_WATERMARK,
	OPT_STRICT,
	OPT_INPUT,
	OPT_STATE_KEY,
	OPT_BUSY_TIMEOUT,
	OPT_TO,
	OPT_OUT,
	OPT_COLUMNS,
	OPT_DELIMITER
};

static const struct option longopts[] = {
	{ "batch", required_argument, NULL, OPT_BATCH },
	{ "busy-timeout", required_argument, NULL, OPT_BUSY_TIMEOUT },
	{ "columns", required_argument, NULL, OPT_COLUMNS },
	{ "conflict", required_argument, NULL, OPT_CONFLICT },
	{ "db", required_argument, NULL, OPT_DB },
	{ "delimiter", required_argument, NULL, OPT_DELIMITER },
	{ "emit", required_argument, NULL, OPT_EMIT },
	{ "input", required_argument, NULL, OPT_INPUT },
	{ "key", required_argument, NULL, 'k' },
	{ "mode", required_argument, NULL, OPT_MODE },
	{ "out", required_argument, NULL, OPT_OUT },
	{ "state-key", required_argument, NULL, OPT_STATE_KEY },
	{ "strict-schema", no_argument, NULL, OPT_STRICT },
	{ "table", required_argument, NULL, 't' },
	{ "to", required_argument, NULL, OPT_TO },
	{ "watermark", required_argument, NULL, OPT_WATERMARK },
	ETL_COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

static int
tool_option(struct etl_tool *t, struct load_opts *o, int c, const char *arg)
{
	const char *why = NULL;
	long long n;
	char *colon;

	switch (c) {
	case OPT_DB:
		o->db = arg;
		break;
	case 't':
		o->table = arg;
		break;
	case 'k':
		etl_strv_free(o->keys);
		o->keys = etl_strsplit(arg, ',', &o->nkeys);
		for (int i = 0; o->keys && i < o->nkeys; i++)
			if (o->keys[i][0] == '\0')
				return etl_tool_bad_value(t, "key", arg,
				    "empty key name");
		break;
	case OPT_MODE:
		if (etl_load_mode_parse(arg, &o->mode) < 0)
			return etl_tool_bad_value(t, "mode", arg, "use upsert, "
			    "insert, replace or append");
		o->mode_given = 1;
		break;
	case OPT_CONFLICT:
		if (etl_conflict_parse(arg, &o->conflict, &o->latest_field) <
		    0)
			return etl_tool_bad_value(t, "conflict", arg, "use "
			    "source-wins, dest-wins, latest-wins:FIELD or "
			    "merge");
		break;
	case OPT_BATCH:
		if (etl_parse_int(arg, 1, 10000000, &n, &why) < 0)
			return etl_tool_bad_value(t, "batch", arg, why);
		o->batch = (size_t)n;
		break;
	case OPT_EMIT:
		if (strcmp(arg, "changed") == 0)
			o->emit = EMIT_CHANGED;
		else if (strcmp(arg, "all") == 0)
			o->emit = EMIT_ALL;
		else
			return etl_tool_bad_value(t, "emit", arg,
			    "use changed or all");
		break;
	case OPT_WATERMARK:
		free(o->wm_key);
		o->wm_key = strdup(arg);
		colon = o->wm_key ? strrchr(o->wm_key, ':') : NULL;
		if (colon == NULL || colon == o->wm_key || colon[1] == '\0')
			return etl_tool_bad_value(t, "watermark", arg,
			    "use KEY:FIELD");
		*colon = '\0';
		o->wm_field = colon + 1;
		break;
	case OPT_STRICT:
		o->strict_schema = 1;
		break;
	case OPT_INPUT:
		if (strcmp(arg, "singer") == 0)
			o->singer = 1;
		else if (strcmp(arg, "ndjson") != 0)
			return etl_tool_bad_value(t, "input", arg,
			    "use ndjson or singer");
		break;
	case OPT_STATE_KEY:
		o->state_key = arg;
		break;
	case OPT_BUSY_TIMEOUT:
		if (etl_parse_duration(arg, &o->dbopts.busy_timeout_ms,
		    &why) < 0)
			return etl_tool_bad_value(t, "busy-timeout", arg, why);
		break;
	case OPT_TO:
		if (strcmp(arg, "csv") != 0)
			return etl_tool_bad_value(t, "to", arg, "only csv");
		o->to_csv = 1;
		break;
	case OPT_OUT:
		o->out = arg;
		break;
	case OPT_COLUMNS:
		etl_strv_free(o->columns);
		o->columns = etl_strsplit(arg, ',', &o->ncolumns);
		break;
	case OPT_DELIMITER:
		if (strlen(arg) != 1 || arg[0] == '"' || arg[0] == '\n' ||
		    arg[0] == '\r')
			return etl_tool_bad_value(t, "delimiter", arg,
			    "one character, not a quote or newline");
		o->delimiter = arg[0];
		break;
	}
	return 0;
}

/* Options that only make sense together. */
static int
check_combinations(struct etl_tool *t, struct load_opts *o)
{
	if (o->to_csv) {
		if (o->table || o->keys || o->singer || o->wm_key ||
		    o->emit || o->mode_given)
			return etl_tool_usage(t, "--to csv writes CSV: "
			    "table options do not apply");
		return 0;
	}
	if (o->out || o->columns || o->delimiter)
		return etl_tool_usage(t, "--out, --columns and --delimiter "
		    "go with --to csv");
	if (o->singer) {
		if (o->table || o->keys || o->wm_key)
			return etl_tool_usage(t, "--input singer takes tables "
			    "and keys from SCHEMA messages");
		if (o->mode_given || o->emit)
			return etl_tool_usage(t, "--input singer upserts "
			    "streams with keys, appends the others; --mode and "
			    "--emit do not apply");
		return 0;
	}
	if (o->state_key)
		return etl_tool_usage(t, "--state-key goes with --input "
		    "singer");
	if (o->table == NULL)
		return etl_tool_usage(t, "missing --table");
	if (!o->mode_given)
		o->mode = o->nkeys > 0 ? ETL_LOAD_UPSERT : ETL_LOAD_APPEND;
	if ((o->mode == ETL_LOAD_UPSERT || o->mode == ETL_LOAD_INSERT) &&
	    o->nkeys == 0)
		return etl_tool_usage(t, "--mode %s needs --key",
		    o->mode == ETL_LOAD_UPSERT ? "upsert" : "insert");
	if (o->mode == ETL_LOAD_APPEND && o->nkeys > 0)
		return etl_tool_usage(t, "--mode append takes no --key");
	if (o->latest_field != NULL && o->nkeys == 0)
		return etl_tool_usage(t, "latest-wins needs --key");
	return 0;
}

static int
parse_args(struct etl_tool *t, struct load_opts *o, int argc, char **argv)
{
	int c, rc;

	o->dbopts.busy_timeout_ms = ETL_DB_DEFAULT_BUSY_MS;
	o->dbopts.create = 1;
	o->batch = 1000;
	while ((c = getopt_long(argc, argv, ETL_COMMON_SHORTOPTS "t:k:",
	    longopts, NULL)) != -1) {
		rc = etl_tool_option(t, c, optarg);
		if (rc < 0 || t->exit_now)
			return rc;
		if (rc == 0 && (rc = tool_option(t, o, c, optarg)) < 0)
			return rc;
	}
	o->inputs = argv + optind;
	o->ninputs = argc - optind;
	if ((rc = check_combinations(t, o)) < 0)
		return rc;
	o->db = etl_db_default_target(o->db);
	return 0;
}

static int
run(struct etl_tool *t, struct load_opts *o)
{
	if (o->to_csv)
		return export_csv(t, o);
	if (o->singer)
		return load_singer(t, o);
	return load_records(t, o);
}

int
main(int argc, char **argv)
{
	struct etl_tool t;
	struct load_opts o;
	int rc;

	memset(&o, 0, sizeof(o));
	etl_tool_init(&t, TOOL, synopsis, help);
	rc = parse_args(&t, &o, argc, argv);
	if (etl_tool_ready(&t, &rc))
		rc = run(&t, &o);
	rc = etl_tool_finish(&t, rc);
	etl_strv_free(o.keys);
	etl_strv_free(o.columns);
	free(o.wm_key);
	return rc;
}
