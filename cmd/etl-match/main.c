/*
 * etl-match: join, fuzzy-match and diff two record streams.  This file:
 * options and the shared reading of records; join.c matches, diff.c
 * compares runs.
 */
#include <limits.h>
#include <math.h>

#include "etl-match.h"
#include "parse.h"
#include "records.h"
#include "strbuf.h"

static const char synopsis[] =
    "usage: etl-match --on F[=G] [--on ...] [options] LEFT RIGHT\n"
    "       etl-match --fuzzy F[=G] [--near F[=G]:TOL] [--weight F=W]\n"
    "                 [--threshold X] [--one-to-one] [--explain] LEFT RIGHT\n"
    "       etl-match --eval PAIRS --key F[=G] [match options] LEFT RIGHT\n"
    "       etl-match --diff --on F[=G] [--on ...] OLD NEW\n";

static const char help[] =
    "usage: etl-match --on F[=G] [--on ...] [options] LEFT RIGHT\n"
    "       etl-match --fuzzy F[=G] [--near F[=G]:TOL] [--weight F=W]\n"
    "                 [--threshold X] [--one-to-one] [--explain] LEFT RIGHT\n"
    "       etl-match --eval PAIRS --key F[=G] [match options] LEFT RIGHT\n"
    "       etl-match --diff --on F[=G] [--on ...] OLD NEW\n"
    "\n"
    "Find the records of RIGHT (held in memory) that describe the same\n"
    "thing as each record of LEFT (streamed); or compare two runs.\n"
    "F names a LEFT field, G the RIGHT one (default: the same name).\n"
    "\n"
    "Options:\n"
    "      --on F[=G]             F and G must be equal (exact join key)\n"
    "      --fuzzy F[=G]          compare texts: weighted words, misspellings\n"
    "      --near F[=G]:TOL       timestamps (TOL 3h, 30m) or numbers (TOL 5)\n"
    "                             at most TOL apart\n"
    "      --weight F=W           weight of field F in the score (1)\n"
    "      --threshold X          lowest score of a match (0.65)\n"
    "      --one-to-one           each record in one pair at most, best first\n"
    "      --explain              add each field's score and vetoes\n"
    "      --unmatched WHICH      also emit unmatched left, right or both\n"
    "      --left-join            keep unmatched LEFT records, \"right\":null\n"
    "      --stopwords FILE       stop words, one a line (replace the list)\n"
    "      --markers FILE         words that must agree (replace the default)\n"
    "      --max-candidates N     score at most N candidates a record (50)\n"
    "      --eval PAIRS           print precision, recall, F1 and blocking\n"
    "                             recall against known pairs, not matches\n"
    "      --key F[=G]            --eval: the fields the pairs hold\n"
    "      --diff                 added, removed and changed records by --on\n"
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
    "  etl-match --fuzzy title=name --fuzzy venue --near starts_at=date:3h \\\n"
    "      --weight title=2 --one-to-one ticketmaster.ndjson seatgeek.ndjson\n"
    "\n"
    "See etl-match(1) and etl(7).\n";

enum {
	OPT_DIFF = ETL_OPT_TOOL,
	OPT_EVAL,
	OPT_EXPLAIN,
	OPT_FUZZY,
	OPT_KEY,
	OPT_LEFT_JOIN,
	OPT_MARKERS,
	OPT_MAX_CANDIDATES,
	OPT_NEAR,
	OPT_ON,
	OPT_ONE_TO_ONE,
	OPT_STOPWORDS,
	OPT_THRESHOLD,
	OPT_UNMATCHED,
	OPT_WEIGHT
};

static const struct option longopts[] = {
	{ "diff", no_argument, NULL, OPT_DIFF },
	{ "eval", required_argument, NULL, OPT_EVAL },
	{ "explain", no_argument, NULL, OPT_EXPLAIN },
	{ "fuzzy", required_argument, NULL, OPT_FUZZY },
	{ "key", required_argument, NULL, OPT_KEY },
	{ "left-join", no_argument, NULL, OPT_LEFT_JOIN },
	{ "markers", required_argument, NULL, OPT_MARKERS },
	{ "max-candidates", required_argument, NULL, OPT_MAX_CANDIDATES },
	{ "near", required_argument, NULL, OPT_NEAR },
	{ "on", required_argument, NULL, OPT_ON },
	{ "one-to-one", no_argument, NULL, OPT_ONE_TO_ONE },
	{ "stopwords", required_argument, NULL, OPT_STOPWORDS },
	{ "threshold", required_argument, NULL, OPT_THRESHOLD },
	{ "unmatched", required_argument, NULL, OPT_UNMATCHED },
	{ "weight", required_argument, NULL, OPT_WEIGHT },
	ETL_COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

/* A copy of s[0..n) owned by o; NULL when out of memory. */
static char *
keep(struct match_opts *o, const char *s, size_t n)
{
	char *c;

	if (o->nnames == sizeof(o->names) / sizeof(o->names[0]))
		return NULL;
	c = malloc(n + 1);
	if (c == NULL)
		return NULL;
	memcpy(c, s, n);
	c[n] = '\0';
	o->names[o->nnames++] = c;
	return c;
}

/* "F" or "F=G" into two names (G defaults to F). */
static int
split_pair(struct etl_tool *t, struct match_opts *o, const char *opt,
    const char *arg, size_t len, const char **left, const char **right)
{
	const char *eq = memchr(arg, '=', len);
	size_t ln = eq ? (size_t)(eq - arg) : len;

	if (ln == 0 || (eq != NULL && (size_t)(eq - arg) + 1 == len))
		return etl_tool_usage(t, "option '--%s': invalid value '%s': "
		    "an empty field name", opt, arg);
	*left = keep(o, arg, ln);
	*right = eq ? keep(o, eq + 1, len - ln - 1) : *left;
	if (*left == NULL || *right == NULL)
		return etl_tool_usage(t, "option '--%s': too many fields",
		    opt);
	return 0;
}

/* A number for --weight and --threshold: finite, no trailing garbage. */
static int
parse_real(const char *s, double lo, double hi, double *out)
{
	char *end;
	double d;

	if (*s == '\0' || *s == ' ')
		return -1;
	d = strtod(s, &end);
	if (*end != '\0' || !isfinite(d) || d < lo || d > hi)
		return -1;
	*out = d;
	return 0;
}

static int
add_field(struct etl_tool *t, struct match_opts *o, enum etl_match_kind kind,
    const char *opt, const char *arg)
{
	struct etl_match_field *f;
	size_t len = strlen(arg);
	int rc;

	if (o->nfields == ETL_MATCH_MAX_FIELDS)
		return etl_tool_usage(t, "at most %d field pairs",
		    ETL_MATCH_MAX_FIELDS);
	f = &o->fields[o->nfields];
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	f->weight = 1.0;
	if (kind == ETL_MATCH_NEAR) {
		const char *colon = strrchr(arg, ':');
		const char *tol, *why = NULL;
		int64_t ms;

		if (colon == NULL)
			return etl_tool_usage(t, "option '--near': invalid "
			    "value '%s': expected F[=G]:TOLERANCE", arg);
		tol = colon + 1;
		len = (size_t)(colon - arg);
		if (etl_parse_duration(tol, &ms, &why) == 0 &&
		    strcmp(tol, "0") != 0) {
			f->time = 1;
			f->tol = (double)ms;
		} else if (parse_real(tol, 0, HUGE_VAL, &f->tol) < 0) {
			return etl_tool_usage(t, "option '--near': invalid "
			    "tolerance '%s': a duration (30m, 3h, 2d) or a "
			    "number", tol);
		}
	}
	rc = split_pair(t, o, opt, arg, len, &f->left, &f->right);
	if (rc < 0)
		return rc;
	o->nfields++;
	return 0;
}

/* --weight F=W: every fuzzy or near field named F (either side). */
static int
set_weight(struct etl_tool *t, struct match_opts *o, const char *arg)
{
	const char *eq = strrchr(arg, '=');
	size_t n;
	double w;
	int found = 0;

	if (eq == NULL || eq == arg || parse_real(eq + 1, 0, 1e9, &w) < 0 ||
	    w <= 0)
		return etl_tool_usage(t, "option '--weight': invalid value "
		    "'%s': expected FIELD=WEIGHT with a weight above 0", arg);
	n = (size_t)(eq - arg);
	for (size_t i = 0; i < o->nfields; i++) {
		struct etl_match_field *f = &o->fields[i];
		size_t ln = strlen(f->left);

		if (f->kind == ETL_MATCH_EXACT)
			continue;
		if ((strlen(f->left) == n && memcmp(f->left, arg, n) == 0) ||
		    (strlen(f->right) == n && memcmp(f->right, arg, n) == 0) ||
		    (n == ln + 1 + strlen(f->right) &&
		    memcmp(arg, f->left, ln) == 0 && arg[ln] == '=' &&
		    memcmp(arg + ln + 1, f->right, n - ln - 1) == 0)) {
			f->weight = w;
			found = 1;
		}
	}
	if (!found)
		return etl_tool_usage(t, "option '--weight': no --fuzzy or "
		    "--near field '%.*s'", (int)n, arg);
	return 0;
}

static int
check_args(struct etl_tool *t, struct match_opts *o, int nfuzzy,
    int nscore)
{
	if (o->nfields == 0)
		return etl_tool_usage(t, "nothing to match on: give --on, "
		    "--fuzzy or --near");
	if (o->diff) {
		if (nscore > 0 || o->one_to_one || o->explain ||
		    o->unmatched || o->left_join || o->eval ||
		    o->threshold_given || o->stopwords || o->markers ||
		    o->max_candidates)
			return etl_tool_usage(t, "--diff takes --on fields "
			    "only");
		return 0;
	}
	if (nscore == 0 && (o->explain || o->threshold_given))
		return etl_tool_usage(t, "--explain and --threshold need "
		    "--fuzzy or --near");
	if (nfuzzy == 0 && (o->stopwords || o->markers || o->max_candidates))
		return etl_tool_usage(t, "--stopwords, --markers and "
		    "--max-candidates need --fuzzy");
	if (o->left_join && (o->unmatched & UNMATCHED_LEFT))
		return etl_tool_usage(t, "--left-join already keeps unmatched "
		    "LEFT records: leave out --unmatched left");
	if ((o->key_left != NULL) != (o->eval != NULL))
		return etl_tool_usage(t, o->eval ? "--eval needs --key F[=G]" :
		    "--key goes with --eval");
	if (o->eval && (o->explain || o->unmatched || o->left_join))
		return etl_tool_usage(t, "--eval prints metrics, not records: "
		    "leave out --explain, --unmatched and --left-join");
	if (strcmp(o->left, "-") == 0 && strcmp(o->right, "-") == 0)
		return etl_tool_usage(t, "LEFT and RIGHT cannot both be "
		    "standard input");
	return 0;
}

static int
parse_args(struct etl_tool *t, struct match_opts *o, int argc, char **argv)
{
	const char *why;
	int c, rc, nfuzzy = 0, nscore = 0;
	const char *weights[64];
	size_t nweights = 0;

	o->threshold = DEFAULT_THRESHOLD;
	while ((c = getopt_long(argc, argv, ETL_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		rc = etl_tool_option(t, c, optarg);
		if (rc < 0 || t->exit_now)
			return rc;
		if (rc == 1)
			continue;
		rc = 0;
		switch (c) {
		case OPT_DIFF:
			o->diff = 1;
			break;
		case OPT_EVAL:
			o->eval = optarg;
			break;
		case OPT_EXPLAIN:
			o->explain = 1;
			break;
		case OPT_FUZZY:
			rc = add_field(t, o, ETL_MATCH_FUZZY, "fuzzy", optarg);
			nfuzzy++;
			nscore++;
			break;
		case OPT_KEY:
			rc = split_pair(t, o, "key", optarg, strlen(optarg),
			    &o->key_left, &o->key_right);
			break;
		case OPT_LEFT_JOIN:
			o->left_join = 1;
			break;
		case OPT_MARKERS:
			o->markers = optarg;
			break;
		case OPT_MAX_CANDIDATES:
			if (etl_parse_int(optarg, 1, 1000000,
			    &o->max_candidates, &why) < 0)
				return etl_tool_bad_value(t, "max-candidates",
				    optarg, why);
			break;
		case OPT_NEAR:
			rc = add_field(t, o, ETL_MATCH_NEAR, "near", optarg);
			nscore++;
			break;
		case OPT_ON:
			rc = add_field(t, o, ETL_MATCH_EXACT, "on", optarg);
			break;
		case OPT_ONE_TO_ONE:
			o->one_to_one = 1;
			break;
		case OPT_STOPWORDS:
			o->stopwords = optarg;
			break;
		case OPT_THRESHOLD:
			if (parse_real(optarg, 0, 1, &o->threshold) < 0)
				return etl_tool_bad_value(t, "threshold",
				    optarg, "a number from 0 to 1");
			o->threshold_given = 1;
			break;
		case OPT_UNMATCHED:
			if (strcmp(optarg, "left") == 0)
				o->unmatched |= UNMATCHED_LEFT;
			else if (strcmp(optarg, "right") == 0)
				o->unmatched |= UNMATCHED_RIGHT;
			else if (strcmp(optarg, "both") == 0)
				o->unmatched |= UNMATCHED_LEFT |
				    UNMATCHED_RIGHT;
			else
				return etl_tool_bad_value(t, "unmatched",
				    optarg, "use left, right or both");
			break;
		case OPT_WEIGHT:
			if (nweights == sizeof(weights) / sizeof(weights[0]))
				return etl_tool_usage(t, "too many --weight");
			weights[nweights++] = optarg;
			break;
		}
		if (rc < 0)
			return rc;
	}
	/* Weights name fields that may come later on the line. */
	for (size_t i = 0; i < nweights; i++)
		if ((rc = set_weight(t, o, weights[i])) < 0)
			return rc;
	if (argc - optind < 2)
		return etl_tool_usage(t, o->diff ? "missing OLD and NEW" :
		    "missing LEFT and RIGHT");
	if (argc - optind > 2)
		return etl_tool_usage(t, "unexpected argument '%s'",
		    argv[optind + 2]);
	o->left = argv[optind];
	o->right = argv[optind + 1];
	return check_args(t, o, nfuzzy, nscore);
}

int
match_reject(struct etl_tool *t, struct etl_rejects *rj,
    const struct etl_error *why, const struct etl_textjson *rec,
    long long *nrej)
{
	(*nrej)++;
	return etl_rejects_add_text(rj, why, rec->compact.data,
	    rec->compact.len, &t->err);
}

int
match_read(struct etl_tool *t, struct etl_lines *in, struct etl_rejects *rj,
    struct etl_textjson *rec, long long *nrej)
{
	return etl_records_next_text(in, rj, rec, NULL, nrej, &t->err);
}

static void
release_opts(struct match_opts *o)
{
	for (size_t i = 0; i < o->nnames; i++)
		free(o->names[i]);
	o->nnames = 0;
}

int
main(int argc, char **argv)
{
	struct etl_tool t;
	struct match_opts o;
	int rc;

	memset(&o, 0, sizeof(o));
	etl_tool_init(&t, TOOL, synopsis, help);
	rc = parse_args(&t, &o, argc, argv);
	if (etl_tool_ready(&t, &rc))
		rc = o.diff ? run_diff(&t, &o) : run_join(&t, &o);
	release_opts(&o);
	return etl_tool_finish(&t, rc);
}
