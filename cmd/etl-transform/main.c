/*
 * etl-transform: turn raw records into a dataset's canonical schema with
 * a versioned spec (casts, rules, aggregates, where, hash); every record
 * that breaks the spec goes to the dead letters naming all its failures.
 */
#include "ndjson.h"
#include "out.h"
#include "rejects.h"
#include "signals.h"
#include "spec.h"
#include "strbuf.h"
#include "tool.h"
#include "transform.h"

#define TOOL "etl-transform"

#define SYNOPSIS \
    "usage: etl-transform --spec SPEC [--stamp] [FILE ...]\n" \
    "       etl-transform --spec SPEC --check\n" \
    "       etl-transform [--rename OLD=NEW] [--select F,...]\n" \
    "           [--cast F=TYPE[:FORMAT]] [--default F=VALUE]\n" \
    "           [--require F] [--where EXPR] [--stamp] [FILE ...]\n"

static const char synopsis[] = SYNOPSIS;

static const char help[] =
    SYNOPSIS
    "\n"
    "Cast, validate and normalise records with a versioned spec; records\n"
    "that break it go to the dead letters (--errors) naming every failure.\n"
    "\n"
    "Options:\n"
    "  -s, --spec SPEC            the spec (JSON; see etl-transform(1))\n"
    "      --check                check the spec only (78 when bad)\n"
    "      --stamp                add _spec: {name, version} to records\n"
    "      --rename OLD=NEW       ad hoc: field NEW from key OLD\n"
    "      --select F,...         ad hoc: only these fields, in this order\n"
    "      --cast F=TYPE[:FORMAT] ad hoc: string, integer, number, boolean,\n"
    "                             date, datetime or json\n"
    "      --default F=VALUE      ad hoc: VALUE (JSON or text) when missing\n"
    "      --require F            ad hoc: F must be present (F,G,... too)\n"
    "      --where EXPR           keep the records where EXPR holds\n"
    "      --errors FILE          append rejected records to FILE, go on\n"
    "      --max-errors N         stop (65) after more than N rejected\n"
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
    "  etl-extract file campaigns.csv --format csv \\\n"
    "    | etl-transform --spec campaigns.json --errors rejected.ndjson \\\n"
    "    | etl-load --table campaigns --key date,campaign,channel\n"
    "\n"
    "See etl-transform(1) and etl(7).\n";

static const struct option longopts[] = {
	{ "cast", required_argument, NULL, OPT_CAST },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "default", required_argument, NULL, OPT_DEFAULT },
	{ "rename", required_argument, NULL, OPT_RENAME },
	{ "require", required_argument, NULL, OPT_REQUIRE },
	{ "select", required_argument, NULL, OPT_SELECT },
	{ "spec", required_argument, NULL, OPT_SPEC },
	{ "stamp", no_argument, NULL, OPT_STAMP },
	{ "where", required_argument, NULL, OPT_WHERE },
	ETL_COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

static int
parse_args(struct etl_tool *t, struct transform_opts *o, int argc,
    char **argv)
{
	int c, rc;

	while ((c = getopt_long(argc, argv, ETL_COMMON_SHORTOPTS "s:",
	    longopts, NULL)) != -1) {
		rc = etl_tool_option(t, c, optarg);
		if (rc < 0 || t->exit_now)
			return rc;
		if (rc == 1)
			continue;
		switch (c) {
		case 's':
		case OPT_SPEC:
			o->spec_path = optarg;
			break;
		case OPT_CHECK:
			o->check = 1;
			break;
		case OPT_STAMP:
			o->stamp = 1;
			break;
		case OPT_SELECT:
			if (o->select != NULL)
				return etl_tool_usage(t, "--select given "
				    "twice");
			o->select = optarg;
			break;
		case OPT_WHERE:
			if (o->where != NULL)
				return etl_tool_usage(t, "--where given "
				    "twice (join them with &&)");
			o->where = optarg;
			break;
		case OPT_RENAME:
		case OPT_CAST:
		case OPT_DEFAULT:
		case OPT_REQUIRE:
			o->adhoc[o->nadhoc].opt = c;
			o->adhoc[o->nadhoc++].arg = optarg;
			break;
		}
	}
	if (o->spec_path != NULL && (o->nadhoc > 0 || o->select != NULL ||
	    o->where != NULL))
		return etl_tool_usage(t, "--spec and the ad hoc options "
		    "(--rename, --select, --cast, --default, --require, "
		    "--where) exclude each other");
	if (o->spec_path == NULL && o->nadhoc == 0 && o->select == NULL &&
	    o->where == NULL)
		return etl_tool_usage(t, "missing --spec SPEC (or ad hoc "
		    "options)");
	if (o->check && optind < argc)
		return etl_tool_usage(t, "--check reads no input ('%s')",
		    argv[optind]);
	o->inputs = argv + optind;
	o->ninputs = argc - optind;
	return 0;
}

static struct etl_spec *
load_spec(struct etl_tool *t, const struct transform_opts *o)
{
	struct etl_spec *spec;
	json_t *doc;

	if (o->spec_path != NULL)
		return etl_spec_load(o->spec_path, &t->err);
	if ((doc = adhoc_spec(t, o)) == NULL)
		return NULL;
	spec = etl_spec_from_json(doc, "command line", &t->err);
	json_decref(doc);
	if (spec == NULL && t->err.kind == ETL_ECONFIG) {
		/* A bad ad hoc option is a usage error. */
		char msg[sizeof(t->err.message)];

		etl_strlcpy(msg, t->err.message, sizeof(msg));
		etl_tool_usage(t, "%s", msg);
	}
	return spec;
}

struct counts {
	long long *read, *written, *filtered, *rejected;
};

/* Transform one input into out; rejected records go to rj. */
static int
transform_input(struct etl_tool *t, const struct transform_opts *o,
    struct etl_spec *spec, const char *path, struct etl_out *out,
    struct etl_rejects *rj, struct counts *n)
{
	unsigned flags = o->stamp ? ETL_SPEC_STAMP : 0;
	struct etl_lines *in;
	const char *line;
	size_t len;
	int rc;

	in = etl_lines_new(path, t->max_line, &t->err);
	if (in == NULL)
		return -(int)t->err.kind;
	while ((rc = etl_lines_next(in, &line, &len, &t->err)) != 0) {
		struct etl_error why;
		json_t *rec = NULL, *res = NULL;
		long long lineno = etl_lines_lineno(in);

		if (rc < 0 && rc != -ETL_EDATA)
			break;
		(*n->read)++;
		etl_progress_update(*n->read, "read");
		etl_error_init(&why);
		if (rc == -ETL_EDATA) {
			why = t->err;
			etl_error_rule(&why, "max-line");
		} else {
			rc = etl_ndjson_parse(line, len, etl_lines_source(in),
			    lineno, &rec, &why);
		}
		if (rc >= 0) {
			rc = etl_spec_apply(spec, rec, flags, &res, &why,
			    &t->err);
			if (rc < 0) {
				json_decref(rec);
				break;
			}
			if (rc == ETL_SPEC_REJECTED) {
				etl_strlcpy(why.source, etl_lines_source(in),
				    sizeof(why.source));
				why.line = lineno;
				rc = -ETL_EDATA;
			}
		}
		if (rc == ETL_SPEC_KEEP) {
			(*n->written)++;
			rc = etl_out_record(out, res, &t->err);
		} else if (rc == ETL_SPEC_FILTERED) {
			(*n->filtered)++;
			rc = 0;
		} else {
			(*n->rejected)++;
			rc = etl_rejects_add(rj, &why, rec, line, len,
			    &t->err);
		}
		json_decref(res);
		json_decref(rec);
		if (rc < 0)
			break;
	}
	etl_lines_free(in);
	return rc;
}

static int
check_only(struct etl_tool *t, const struct etl_spec *spec)
{
	char label[300];

	etl_spec_label(spec, label, sizeof(label));
	etl_log(ETL_LOG_INFO, "%s: ok: spec %s, %d field%s", spec->source,
	    label, spec->nfields, spec->nfields == 1 ? "" : "s");
	/* The line above is the summary of a check. */
	t->quiet = 1;
	return 0;
}

static int
run(struct etl_tool *t, const struct transform_opts *o)
{
	struct etl_spec *spec;
	struct etl_rejects *rj = NULL;
	struct etl_out *out = NULL;
	struct counts n;
	char label[300];
	int rc = 0;

	if ((spec = load_spec(t, o)) == NULL) {
		/* The error is the one line: no counts to sum up. */
		t->quiet = 1;
		return -(int)t->err.kind;
	}
	snprintf(label, sizeof(label), "spec %s v%lld", spec->name,
	    spec->version);
	etl_summary_aside(&t->summary, label);
	etl_summary_note_json(&t->summary, "spec", json_deep_copy(spec->stamp));
	if (o->check) {
		rc = check_only(t, spec);
		goto out;
	}
	n.read = etl_summary_counter(&t->summary, "read");
	n.written = etl_summary_counter(&t->summary, "written");
	n.filtered = etl_summary_counter(&t->summary, "filtered");
	n.rejected = etl_summary_counter(&t->summary, "rejected");
	rj = etl_rejects_new(t->errors_path, t->max_errors, &t->err);
	out = etl_out_new(NULL, 0, &t->err);
	if (rj == NULL || out == NULL) {
		rc = -(int)t->err.kind;
		goto out;
	}
	for (int i = 0; i == 0 || i < o->ninputs; i++) {
		rc = transform_input(t, o, spec, o->ninputs ? o->inputs[i] :
		    NULL, out, rj, &n);
		if (rc < 0)
			goto out;
	}
	rc = etl_out_close(out, &t->err);
	out = NULL;
	if (rc == 0)
		rc = etl_rejects_close(rj, &t->err);
	else
		etl_rejects_close(rj, NULL);
	rj = NULL;
out:
	etl_out_close(out, NULL);
	etl_rejects_close(rj, NULL);
	etl_spec_free(spec);
	return rc;
}

int
main(int argc, char **argv)
{
	struct etl_tool t;
	struct transform_opts o;
	int rc;

	memset(&o, 0, sizeof(o));
	etl_tool_init(&t, TOOL, synopsis, help);
	o.adhoc = calloc((size_t)argc + 1, sizeof(*o.adhoc));
	if (o.adhoc == NULL)
		rc = etl_error_set(&t.err, ETL_EINTERNAL, "out of memory");
	else
		rc = parse_args(&t, &o, argc, argv);
	if (etl_tool_ready(&t, &rc))
		rc = run(&t, &o);
	free(o.adhoc);
	return etl_tool_finish(&t, rc);
}
