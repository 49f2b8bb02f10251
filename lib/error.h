/*
 * Errors: every libetl call that can fail returns a negative error kind
 * (-ETL_EDATA, ...) or NULL and fills a caller-owned struct etl_error.
 * One table (etl_exit_code) maps kinds to the exit statuses of DESIGN.md
 * section 3; man/etl.7 documents it.
 */
#ifndef ETL_ERROR_H
#define ETL_ERROR_H

enum etl_kind {
	ETL_OK = 0,
	ETL_ENOTFOUND,		/* 1: a look-up found nothing */
	ETL_EUSAGE,		/* 64 */
	ETL_EDATA,		/* 65: bad input data */
	ETL_ENOINPUT,		/* 66: input file missing */
	ETL_EUNAVAILABLE,	/* 69: remote service unavailable or refusing */
	ETL_EINTERNAL,		/* 70 */
	ETL_ECANTCREAT,		/* 73: cannot create output */
	ETL_EIO,		/* 74: I/O error */
	ETL_ETEMPFAIL,		/* 75: temporary failure, retry later */
	ETL_ECONFIG,		/* 78: bad configuration or spec */
	ETL_EINTR,		/* 130: SIGINT */
	ETL_ETERM,		/* 143: SIGTERM (or another fatal signal) */
	ETL_EPIPE,		/* 0: stdout closed by the reader, stop quietly */
	ETL_KIND_MAX
};

struct etl_error {
	enum etl_kind kind;
	long long line;		/* 0 when not about a line */
	char source[256];	/* input name: file, "-", URL, table */
	char field[256];	/* field name, "" when none */
	char rule[64];		/* rule that failed ("min", "json"), or "" */
	char message[512];
};

void etl_error_init(struct etl_error *err);

/* Fill err with kind and a printf-style message; returns -kind. */
int etl_error_set(struct etl_error *err, enum etl_kind kind,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Like etl_error_set, also naming the input, line and field (may be NULL). */
int etl_error_at(struct etl_error *err, enum etl_kind kind,
    const char *source, long long line, const char *field,
    const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Set the rule name of an error already filled. */
void etl_error_rule(struct etl_error *err, const char *rule);

/* Exit status for an error kind (ETL_OK and ETL_EPIPE give 0). */
int etl_exit_code(enum etl_kind kind);

/* Short lower-case name of a kind ("bad data", "usage", ...). */
const char *etl_kind_name(enum etl_kind kind);

/*
 * "<source>:<line>: field '<f>': <message>", leaving out the parts that
 * are empty.  Writes at most n bytes including the NUL; returns buf.
 */
char *etl_error_format(const struct etl_error *err, char *buf, size_t n);

#endif
