/*
 * etl-extract: records out of HTTP APIs, files and SQL databases, as
 * NDJSON on stdout (DESIGN.md sections 1 and 2).
 */
#include <limits.h>

#include "extract.h"
#include "http.h"
#include "parse.h"
#include "strbuf.h"

#define TOOL "etl-extract"

#define SYNOPSIS \
    "usage: etl-extract http URL [-H HEADER]... [-X METHOD] [--data BODY]\n" \
    "           [--paginate MODE] [--records PATH] [options]\n" \
    "       etl-extract file [PATH|-] [--format csv|json|ndjson|xml]\n" \
    "           [--records PATH] [options]\n" \
    "       etl-extract sql DB --query SQL [--param NAME=VALUE]... " \
    "[options]\n"

static const char synopsis[] = SYNOPSIS;

static const char help[] = SYNOPSIS
    "\n"
    "Read records where they live and write them as NDJSON on stdout.\n"
    "\n"
    "Formats (file and http):\n"
    "      --format F             csv, json, ndjson or xml (default: from\n"
    "                             Content-Type or the file name, else the\n"
    "                             first byte)\n"
    "      --records PATH         JSON: the records array (data.items);\n"
    "                             XML: the record element (output/base_plan)\n"
    "      --array NAME[,NAME]    XML: always make these elements arrays\n"
    "      --delimiter C          CSV field delimiter (default ,)\n"
    "      --encoding NAME        decode the input from NAME (latin1, cp1252)\n"
    "      --add-meta             add _source and _extracted_at to records\n"
    "\n"
    "HTTP:\n"
    "  -H, --header 'NAME: VALUE' add a request header (repeatable)\n"
    "  -X, --method METHOD        request method (default GET, POST with data)\n"
    "      --data BODY            request body; --data-file FILE from a file\n"
    "      --paginate MODE        link | next=PATH | cursor=PATH,param=NAME |\n"
    "                             page=PARAM[,start=1] | offset=PARAM,limit=N\n"
    "      --max-pages N          stop after N pages\n"
    "      --retries N            retries on errors, 408, 429, 5xx (3)\n"
    "      --backoff DUR          first backoff, doubled each retry (1s)\n"
    "      --max-backoff DUR      longest wait, Retry-After included (60s)\n"
    "      --rate N/s             at most N requests a second (also /m, /h)\n"
    "      --timeout DUR          whole request (5m); --connect-timeout (30s)\n"
    "      --max-redirs N         redirects to follow, http(s) only (5)\n"
    "      --user-agent TEXT      User-Agent header\n"
    "      --since VALUE          {since} in URL, headers and body; also\n"
    "                             {now}, {today}, {now-2h}, {today+7d}\n"
    "\n"
    "SQL:\n"
    "      --query SQL            the query; :name marks a parameter\n"
    "      --param NAME=VALUE     bind :NAME to VALUE (repeatable)\n"
    "\n"
    "Common:\n"
    "      --errors FILE          append bad records to FILE and go on\n"
    "      --max-errors N         stop (65) after more than N bad records\n"
    "      --max-line SIZE        largest record or line (64M)\n"
    "      --stats FILE           write the run's counts as JSON\n"
    "      --log-format text|json\n"
    "      --progress, --no-progress\n"
    "  -q, --quiet                no summary line\n"
    "  -v, --verbose              trace requests (secrets hidden)\n"
    "  -h, --help                 this help\n"
    "      --version              version and library versions\n"
    "\n"
    "Example:\n"
    "  etl-extract http 'https://api.example.com/orders?since={since}' \\\n"
    "      --since \"$(etl-watermark get orders --default 1970-01-01)\" \\\n"
    "      -H \"Authorization: Bearer $TOKEN\" --paginate link \\\n"
    "      --records data | etl-load --table orders --key id\n"
    "\n"
    "See etl-extract(1) and etl(7).\n";

enum {
	OPT_ADD_META = ETL_OPT_TOOL,
	OPT_ARRAY,
	OPT_BACKOFF,
	OPT_CONNECT_TIMEOUT,
	OPT_DATA,
	OPT_DATA_FILE,
	OPT_DELIMITER,
	OPT_ENCODING,
	OPT_FORMAT,
	OPT_MAX_BACKOFF,
	OPT_MAX_PAGES,
	OPT_MAX_REDIRS,
	OPT_PAGINATE,
	OPT_PARAM,
	OPT_QUERY,
	OPT_RATE,
	OPT_RECORDS,
	OPT_RETRIES,
	OPT_SINCE,
	OPT_TIMEOUT,
	OPT_USER_AGENT
};

static const struct option longopts[] = {
	{ "add-meta", no_argument, NULL, OPT_ADD_META },
	{ "array", required_argument, NULL, OPT_ARRAY },
	{ "backoff", required_argument, NULL, OPT_BACKOFF },
	{ "connect-timeout", required_argument, NULL, OPT_CONNECT_TIMEOUT },
	{ "data", required_argument, NULL, OPT_DATA },
	{ "data-file", required_argument, NULL, OPT_DATA_FILE },
	{ "delimiter", required_argument, NULL, OPT_DELIMITER },
	{ "encoding", required_argument, NULL, OPT_ENCODING },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "header", required_argument, NULL, 'H' },
	{ "max-backoff", required_argument, NULL, OPT_MAX_BACKOFF },
	{ "max-pages", required_argument, NULL, OPT_MAX_PAGES },
	{ "max-redirs", required_argument, NULL, OPT_MAX_REDIRS },
	{ "method", required_argument, NULL, 'X' },
	{ "paginate", required_argument, NULL, OPT_PAGINATE },
	{ "param", required_argument, NULL, OPT_PARAM },
	{ "query", required_argument, NULL, OPT_QUERY },
	{ "rate", required_argument, NULL, OPT_RATE },
	{ "records", required_argument, NULL, OPT_RECORDS },
	{ "retries", required_argument, NULL, OPT_RETRIES },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "user-agent", required_argument, NULL, OPT_USER_AGENT },
	ETL_COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

static int
add_list(struct etl_tool *t, const char **list, size_t *n, const char *v,
    const char *option)
{
	if (*n == MAX_LIST)
		return etl_tool_usage(t, "too many --%s (at most %d)", option,
		    MAX_LIST);
	list[(*n)++] = v;
	return 0;
}

/* --array plan,zone: the names live in argv, split in place. */
static int
add_arrays(struct etl_tool *t, struct extract_opts *o, char *arg)
{
	char *p = arg;

	while (p != NULL) {
		char *comma = strchr(p, ',');

		if (comma != NULL)
			*comma = '\0';
		if (*p == '\0')
			return etl_tool_usage(t, "--array: empty name");
		if (add_list(t, o->arrays, &o->narrays, p, "array") < 0)
			return -ETL_EUSAGE;
		p = comma ? comma + 1 : NULL;
	}
	return 0;
}

static int
duration(struct etl_tool *t, const char *name, const char *v, int64_t *ms)
{
	const char *why;

	if (etl_parse_duration(v, ms, &why) < 0)
		return etl_tool_bad_value(t, name, v, why);
	return 0;
}

static int
number(struct etl_tool *t, const char *name, const char *v, long long min,
    long long max, long long *out)
{
	const char *why;

	if (etl_parse_int(v, min, max, out, &why) < 0)
		return etl_tool_bad_value(t, name, v, why);
	return 0;
}

/* Options that only one source takes. */
static int
check_source_options(struct etl_tool *t, struct extract_opts *o,
    const char *http_only, const char *sql_only, const char *doc_only)
{
	int http = strcmp(o->source, "http") == 0;
	int sql = strcmp(o->source, "sql") == 0;

	if (http_only != NULL && !http)
		return etl_tool_usage(t, "%s goes with http", http_only);
	if (sql_only != NULL && !sql)
		return etl_tool_usage(t, "%s goes with sql", sql_only);
	if (doc_only != NULL && sql)
		return etl_tool_usage(t, "%s goes with http or file",
		    doc_only);
	if (sql && o->query == NULL)
		return etl_tool_usage(t, "sql needs --query SQL");
	return 0;
}

static int
parse_args(struct etl_tool *t, struct extract_opts *o, int argc, char **argv)
{
	const char *why, *http_only = NULL, *sql_only = NULL;
	const char *doc_only = NULL;
	long long n;
	int c, rc, nargs;

	o->retries = 3;
	o->backoff_ms = 1000;
	o->max_backoff_ms = 60000;
	o->timeout_ms = 300000;
	o->connect_timeout_ms = 30000;
	o->max_redirs = 5;
	o->dbopts.busy_timeout_ms = ETL_DB_DEFAULT_BUSY_MS;
	while ((c = getopt_long(argc, argv, ETL_COMMON_SHORTOPTS "H:X:",
	    longopts, NULL)) != -1) {
		rc = etl_tool_option(t, c, optarg);
		if (rc < 0 || t->exit_now)
			return rc;
		if (rc == 1)
			continue;
		rc = 0;
		switch (c) {
		case OPT_ADD_META:
			o->add_meta = 1;
			break;
		case OPT_ARRAY:
			rc = add_arrays(t, o, optarg);
			doc_only = "--array";
			break;
		case OPT_BACKOFF:
			rc = duration(t, "backoff", optarg, &o->backoff_ms);
			http_only = "--backoff";
			break;
		case OPT_CONNECT_TIMEOUT:
			rc = duration(t, "connect-timeout", optarg,
			    &o->connect_timeout_ms);
			http_only = "--connect-timeout";
			break;
		case OPT_DATA:
			o->data = optarg;
			http_only = "--data";
			break;
		case OPT_DATA_FILE:
			o->data_file = optarg;
			http_only = "--data-file";
			break;
		case OPT_DELIMITER:
			if (strcmp(optarg, "\\t") == 0 ||
			    strcmp(optarg, "tab") == 0)
				o->delimiter = '\t';
			else if (strlen(optarg) == 1 && *optarg != '"' &&
			    *optarg != '\n' && *optarg != '\r')
				o->delimiter = *optarg;
			else
				return etl_tool_bad_value(t, "delimiter",
				    optarg, "one character, not a quote or a "
				    "newline (\\t for a tab)");
			doc_only = "--delimiter";
			break;
		case OPT_ENCODING:
			o->encoding = optarg;
			doc_only = "--encoding";
			break;
		case OPT_FORMAT:
			o->format = format_from_name(optarg);
			if (o->format == FMT_AUTO)
				return etl_tool_bad_value(t, "format", optarg,
				    "use csv, json, ndjson or xml");
			doc_only = "--format";
			break;
		case 'H':
			if (strchr(optarg, ':') == NULL)
				return etl_tool_bad_value(t, "header", optarg,
				    "expected 'Name: value'");
			rc = add_list(t, o->headers, &o->nheaders, optarg,
			    "header");
			http_only = "--header";
			break;
		case OPT_MAX_BACKOFF:
			rc = duration(t, "max-backoff", optarg,
			    &o->max_backoff_ms);
			http_only = "--max-backoff";
			break;
		case OPT_MAX_PAGES:
			rc = number(t, "max-pages", optarg, 1, LLONG_MAX,
			    &o->max_pages);
			http_only = "--max-pages";
			break;
		case OPT_MAX_REDIRS:
			rc = number(t, "max-redirs", optarg, 0, 100,
			    &o->max_redirs);
			http_only = "--max-redirs";
			break;
		case 'X':
			o->method = optarg;
			http_only = "--method";
			break;
		case OPT_PAGINATE:
			o->paginate = optarg;
			http_only = "--paginate";
			break;
		case OPT_PARAM:
			if (strchr(optarg, '=') == NULL || *optarg == '=')
				return etl_tool_bad_value(t, "param", optarg,
				    "expected NAME=VALUE");
			rc = add_list(t, o->params, &o->nparams, optarg,
			    "param");
			sql_only = "--param";
			break;
		case OPT_QUERY:
			o->query = optarg;
			sql_only = "--query";
			break;
		case OPT_RATE:
			if (etl_http_parse_rate(optarg, &o->rate, &why) < 0)
				return etl_tool_bad_value(t, "rate", optarg,
				    why);
			http_only = "--rate";
			break;
		case OPT_RECORDS:
			o->records = optarg;
			doc_only = "--records";
			break;
		case OPT_RETRIES:
			rc = number(t, "retries", optarg, 0, 1000, &n);
			o->retries = n;
			http_only = "--retries";
			break;
		case OPT_SINCE:
			o->since = optarg;
			break;
		case OPT_TIMEOUT:
			rc = duration(t, "timeout", optarg, &o->timeout_ms);
			http_only = "--timeout";
			break;
		case OPT_USER_AGENT:
			o->user_agent = optarg;
			http_only = "--user-agent";
			break;
		default:
			return etl_tool_usage(t, "unexpected option");
		}
		if (rc < 0)
			return rc;
	}
	if (optind >= argc)
		return etl_tool_usage(t, "missing source (http, file or sql)");
	o->source = argv[optind++];
	nargs = argc - optind;
	if (strcmp(o->source, "http") != 0 && strcmp(o->source, "file") != 0 &&
	    strcmp(o->source, "sql") != 0)
		return etl_tool_usage(t, "unknown source '%s' (use http, file "
		    "or sql)", o->source);
	if (strcmp(o->source, "file") == 0 ? nargs > 1 : nargs != 1) {
		if (nargs == 0)
			return etl_tool_usage(t, "%s: missing %s", o->source,
			    strcmp(o->source, "http") == 0 ? "URL" : "DB");
		return etl_tool_usage(t, "%s: unexpected argument '%s'",
		    o->source, argv[optind + 1]);
	}
	o->target = nargs > 0 ? argv[optind] : "-";
	if (o->data != NULL && o->data_file != NULL)
		return etl_tool_usage(t, "--data and --data-file exclude each "
		    "other");
	if (o->max_backoff_ms < o->backoff_ms)
		o->max_backoff_ms = o->backoff_ms;
	return check_source_options(t, o, http_only, sql_only, doc_only);
}

static int
run(struct etl_tool *t, struct extract_opts *o)
{
	char msg[1024];
	int rc;

	if (strcmp(o->source, "http") == 0)
		rc = run_http(t, o);
	else if (strcmp(o->source, "sql") == 0)
		rc = run_sql(t, o);
	else
		rc = run_file(t, o);
	/* Misuse found while running ({since} without --since, ...). */
	if (rc == -ETL_EUSAGE)
		etl_log_usage(t->synopsis, "%s",
		    etl_error_format(&t->err, msg, sizeof(msg)));
	return rc;
}

int
main(int argc, char **argv)
{
	struct etl_tool t;
	struct extract_opts o;
	int rc;

	memset(&o, 0, sizeof(o));
	etl_tool_init(&t, TOOL, synopsis, help);
	rc = parse_args(&t, &o, argc, argv);
	if (etl_tool_ready(&t, &rc))
		rc = run(&t, &o);
	return etl_tool_finish(&t, rc);
}
