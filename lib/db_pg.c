/*
 * The PostgreSQL backend of the database layer, on libpq.
 *
 * Statements are prepared server-side under a unique name and described
 * at once, so parameter and column counts are known before the first
 * step, as with SQLite.  Parameters travel as text.  A statement's rows
 * stream in single-row mode, so a big SELECT never sits whole in
 * memory; while one statement streams it owns the connection, and any
 * other command first reads the rest of its rows into memory (what
 * SQLite does implicitly by interleaving).  Every wait polls the socket,
 * so SIGINT and SIGTERM cancel the running query instead of waiting it
 * out.  Notices (CREATE TABLE IF NOT EXISTS's "already exists") are
 * dropped: libetl never prints.
 */
#include <errno.h>
#include <limits.h>
#include <libpq-fe.h>
#include <math.h>
#include <poll.h>

#include "db_impl.h"
#include "redact.h"
#include "signals.h"
#include "strbuf.h"

/* Type OIDs (pg_type.dat); stable across server versions. */
#define OID_BOOL	16
#define OID_BYTEA	17
#define OID_INT8	20
#define OID_INT2	21
#define OID_INT4	23
#define OID_OID		26
#define OID_FLOAT4	700
#define OID_FLOAT8	701

/*
 * etl_db_begin takes this transaction-level advisory lock after BEGIN:
 * like SQLite's BEGIN IMMEDIATE it admits one etl writer at a time per
 * database and waits (up to lock_timeout) for it, which is what keeps
 * read-modify-write sequences such as etl_watermark_advance correct.
 */
#define ETL_TX_LOCK	"7310582925066151936"

enum run_state {
	ST_IDLE,	/* not executed since prepare or reset */
	ST_ACTIVE,	/* results still arriving on the connection */
	ST_BUFFERED,	/* every result read into the queue */
	ST_DONE		/* finished: step gives 0 */
};

struct pg_stmt;

struct pg_db {
	struct etl_db base;
	PGconn *conn;
	PGcancel *cancel;
	struct pg_stmt *active;	/* the statement streaming, if any */
	unsigned long nstmt;	/* for statement names */
	long long changes;
	int in_copy;
	int canceled;
	enum etl_kind tx_kind;	/* first error inside this transaction */
};

/* A column value converted once per row (bytea unescaped). */
struct cell {
	char *data;
	size_t len;
	int ready;
};

struct pg_stmt {
	struct etl_stmt base;
	char name[32];
	int prepared;		/* name exists on the server */
	PGresult *desc;		/* parameters and result columns */
	int nparams;
	int ncols;
	char **values;		/* bound text, NULL for SQL NULL */
	enum etl_kind bind_kind;	/* a bind failed: the step fails so */
	enum run_state state;
	PGresult **q;		/* results read ahead (ST_BUFFERED) */
	size_t qhead, qlen, qcap;
	int q_oom;
	PGresult *cur;		/* the result holding the current row */
	int row;
	struct cell *cells;
};

#define PG(db) ((struct pg_db *)(db))
#define ST(s) ((struct pg_stmt *)(s))

static void
quiet_notice(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

/* s up to its first line end, trimmed, into buf. */
static const char *
one_line(const char *s, char *buf, size_t n)
{
	size_t k;

	if (s == NULL)
		s = "";
	k = strcspn(s, "\r\n");
	if (k >= n)
		k = n - 1;
	memcpy(buf, s, k);
	while (k > 0 && (buf[k - 1] == ' ' || buf[k - 1] == '\t'))
		k--;
	buf[k] = '\0';
	return buf;
}

static enum etl_kind
kind_of_state(const char *sqlstate)
{
	static const char *const unavailable[] = { "3D000", "57P01", "57P02",
	    "57P03", "57P04", "57P05", NULL };
	static const char *const tempfail[] = { "40001", "40P01", "55P03",
	    "57014", NULL };

	if (sqlstate == NULL || strlen(sqlstate) != 5)
		return ETL_EINTERNAL;
	for (int i = 0; unavailable[i] != NULL; i++)
		if (strcmp(sqlstate, unavailable[i]) == 0)
			return ETL_EUNAVAILABLE;
	for (int i = 0; tempfail[i] != NULL; i++)
		if (strcmp(sqlstate, tempfail[i]) == 0)
			return ETL_ETEMPFAIL;
	if (strncmp(sqlstate, "08", 2) == 0 || strncmp(sqlstate, "28", 2) == 0)
		return ETL_EUNAVAILABLE;
	if (strncmp(sqlstate, "53", 2) == 0 || strcmp(sqlstate, "58030") == 0 ||
	    strncmp(sqlstate, "XX00", 4) == 0)
		return strcmp(sqlstate, "XX000") == 0 ? ETL_EINTERNAL : ETL_EIO;
	/* 54000: a value too big for an index row, like SQLITE_TOOBIG. */
	if (strncmp(sqlstate, "22", 2) == 0 ||
	    strncmp(sqlstate, "23", 2) == 0 || strcmp(sqlstate, "54000") == 0)
		return ETL_EDATA;
	return ETL_EINTERNAL;
}

/*
 * Fill err from res (may be NULL: the connection's own message) and
 * return the negative kind.  A caught signal wins: the query failed
 * because we cancelled it.
 */
static int
fail(struct pg_db *db, const PGresult *res, struct etl_error *err,
    const char *what)
{
	const char *state = NULL, *msg = NULL, *ctx = NULL;
	char line[400], cline[200];
	enum etl_kind kind;

	if (etl_signal_caught())
		return etl_signal_check(err);
	if (res != NULL) {
		state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
		ctx = PQresultErrorField(res, PG_DIAG_CONTEXT);
		if (msg == NULL)
			msg = PQresultErrorMessage(res);
	}
	if (msg == NULL || *msg == '\0')
		msg = PQerrorMessage(db->conn);
	if (state != NULL)
		kind = kind_of_state(state);
	else if (PQstatus(db->conn) == CONNECTION_BAD)
		kind = ETL_EUNAVAILABLE;
	else
		kind = ETL_EINTERNAL;
	if (db->base.in_tx && db->tx_kind == ETL_OK)
		db->tx_kind = kind;
	one_line(msg, line, sizeof(line));
	/* COPY names the line and column at fault only in the context. */
	if (ctx != NULL && strncmp(ctx, "COPY ", 5) == 0)
		return etl_error_at(err, kind, db->base.name, 0, NULL,
		    "%s: %s (%s)", what, line, one_line(ctx, cline,
		    sizeof(cline)));
	return etl_error_at(err, kind, db->base.name, 0, NULL, "%s: %s", what,
	    line);
}

static int
oom(struct pg_db *db, struct etl_error *err)
{
	return etl_error_at(err, ETL_EINTERNAL, db->base.name, 0, NULL,
	    "out of memory");
}

static int
is_error(const PGresult *res)
{
	ExecStatusType s = PQresultStatus(res);

	return s == PGRES_FATAL_ERROR || s == PGRES_BAD_RESPONSE ||
	    s == PGRES_NONFATAL_ERROR;
}

static int
is_copy(const PGresult *res)
{
	ExecStatusType s = PQresultStatus(res);

	return s == PGRES_COPY_IN || s == PGRES_COPY_OUT ||
	    s == PGRES_COPY_BOTH;
}

/* Rows changed, from the tag of a finished INSERT/UPDATE/DELETE/COPY. */
static void
note_changes(struct pg_db *db, const PGresult *res)
{
	static const char *const verbs[] = { "INSERT ", "UPDATE ", "DELETE ",
	    "MERGE ", "COPY ", NULL };
	const char *tag = PQcmdStatus((PGresult *)res);

	for (int i = 0; verbs[i] != NULL; i++)
		if (strncmp(tag, verbs[i], strlen(verbs[i])) == 0) {
			db->changes = strtoll(PQcmdTuples((PGresult *)res),
			    NULL, 10);
			return;
		}
}

/*
 * PQgetResult, waiting in poll so that a caught signal can cancel the
 * query (libpq's own waits retry on EINTR).
 */
static PGresult *
next_result(struct pg_db *db)
{
	PGconn *c = db->conn;

	while (PQisBusy(c)) {
		struct pollfd p;
		int n;

		if (etl_signal_caught() && !db->canceled && db->cancel) {
			char buf[256];

			PQcancel(db->cancel, buf, sizeof(buf));
			db->canceled = 1;
		}
		p.fd = PQsocket(c);
		p.events = POLLIN;
		p.revents = 0;
		if (p.fd < 0)
			break;
		n = poll(&p, 1, 250);
		if (n < 0 && errno != EINTR)
			break;
		if (n > 0 && !PQconsumeInput(c))
			break;
	}
	return PQgetResult(c);
}

/* The statement streaming reads all its remaining results ahead. */
static void
buffer_active(struct pg_db *db)
{
	struct pg_stmt *st = db->active;
	PGresult *res;

	if (st == NULL)
		return;
	while ((res = next_result(db)) != NULL) {
		if (st->qlen == st->qcap) {
			size_t cap = st->qcap ? st->qcap * 2 : 64;
			PGresult **q = realloc(st->q, cap * sizeof(*q));

			if (q == NULL) {
				st->q_oom = 1;
				PQclear(res);
				continue;
			}
			st->q = q;
			st->qcap = cap;
		}
		st->q[st->qlen++] = res;
	}
	st->state = ST_BUFFERED;
	db->active = NULL;
}

/* Read and drop whatever the connection still has for the last command. */
static void
discard_results(struct pg_db *db)
{
	PGresult *res;

	while ((res = next_result(db)) != NULL) {
		int copy = is_copy(res);

		PQclear(res);
		if (copy)
			break;
	}
}

/* Leave a COPY the caller did not end: it fails, the data goes. */
static void
abort_copy(struct pg_db *db)
{
	if (!db->in_copy)
		return;
	db->in_copy = 0;
	if (PQputCopyEnd(db->conn, "abandoned by the client") == 1)
		discard_results(db);
}

/* Make the connection free for a new command. */
static void
make_ready(struct pg_db *db)
{
	abort_copy(db);
	buffer_active(db);
	db->canceled = 0;
}

/*
 * Every result of the command just sent: the first error fails, else
 * *out gets the last result (a COPY state ends the reading).
 */
static int
collect(struct pg_db *db, const char *what, PGresult **out,
    struct etl_error *err)
{
	PGresult *res, *keep = NULL, *bad = NULL;
	int rc;

	*out = NULL;
	while ((res = next_result(db)) != NULL) {
		int copy = is_copy(res);

		note_changes(db, res);
		if (is_error(res) && bad == NULL) {
			bad = res;
		} else {
			PQclear(keep);
			keep = res;
		}
		if (copy)
			break;
	}
	if (bad != NULL || keep == NULL) {
		rc = fail(db, bad, err, what);
		PQclear(bad);
		PQclear(keep);
		return rc;
	}
	*out = keep;
	return 0;
}

/* Run sql (may be several statements); *out gets its last result. */
static int
run(struct pg_db *db, const char *sql, const char *what, PGresult **out,
    struct etl_error *err)
{
	*out = NULL;
	make_ready(db);
	if (!PQsendQuery(db->conn, sql))
		return fail(db, NULL, err, what);
	return collect(db, what, out, err);
}

/* Run sql and drop its result. */
static int
run_only(struct pg_db *db, const char *sql, const char *what,
    struct etl_error *err)
{
	PGresult *res;
	int rc = run(db, sql, what, &res, err);

	PQclear(res);
	return rc;
}

/* A one-parameter query, materialised (catalog look-ups). */
static int
run_param(struct pg_db *db, const char *sql, const char *param,
    const char *what, PGresult **out, struct etl_error *err)
{
	*out = NULL;
	make_ready(db);
	if (!PQsendQueryParams(db->conn, sql, 1, NULL, &param, NULL, NULL,
	    0))
		return fail(db, NULL, err, what);
	return collect(db, what, out, err);
}

static void
db_close(struct etl_db *base)
{
	struct pg_db *db = PG(base);

	if (db->conn != NULL) {
		abort_copy(db);
		PQfinish(db->conn);
	}
	if (db->cancel != NULL)
		PQfreeCancel(db->cancel);
	free(base->name);
	free(db);
}

static int
db_exec(struct etl_db *base, const char *sql, struct etl_error *err)
{
	struct pg_db *db = PG(base);
	int commit = strcmp(sql, "COMMIT") == 0;
	PGresult *res;
	int rc = run(db, sql, "query failed", &res, err);

	if (rc < 0)
		return rc;
	if (is_copy(res)) {
		rc = etl_error_at(err, ETL_EINTERNAL, base->name, 0, NULL,
		    "query failed: COPY goes through etl_db_copy_begin");
		if (PQresultStatus(res) == PGRES_COPY_IN) {
			db->in_copy = 1;
			abort_copy(db);
		} else {
			/* COPY TO STDOUT: read the data away. */
			char *buf;

			while (PQgetCopyData(db->conn, &buf, 0) > 0)
				PQfreemem(buf);
			discard_results(db);
		}
	} else if (commit && strcmp(PQcmdStatus(res), "ROLLBACK") == 0) {
		/* PostgreSQL answers COMMIT of a failed transaction so. */
		rc = etl_error_at(err, db->tx_kind != ETL_OK ? db->tx_kind :
		    ETL_EINTERNAL, base->name, 0, NULL, "cannot commit: the "
		    "transaction was rolled back after an earlier error");
	}
	PQclear(res);
	return rc;
}

static int
db_begin(struct etl_db *base, struct etl_error *err)
{
	struct pg_db *db = PG(base);
	PGTransactionStatusType ts = PQtransactionStatus(db->conn);
	int rc;

	if (ts == PQTRANS_INTRANS || ts == PQTRANS_INERROR)
		return etl_error_at(err, ETL_EINTERNAL, base->name, 0, NULL,
		    "cannot start a transaction within a transaction");
	db->tx_kind = ETL_OK;
	rc = run_only(db, "BEGIN; SELECT pg_catalog.pg_advisory_xact_lock("
	    ETL_TX_LOCK ")", "cannot start a transaction", err);
	/* BEGIN may have run before the lock wait failed. */
	if (rc < 0)
		run_only(db, "ROLLBACK", "rollback", NULL);
	return rc;
}

static int
db_has_table(struct etl_db *base, const char *table, struct etl_error *err)
{
	struct pg_db *db = PG(base);
	PGresult *res;
	int n;

	n = run_param(db, "SELECT 1 FROM pg_catalog.pg_class WHERE oid = "
	    "pg_catalog.to_regclass(pg_catalog.quote_ident($1)) AND "
	    "relkind IN ('r', 'p', 'f')", table, "cannot read the schema",
	    &res, err);
	if (n < 0)
		return n;
	n = PQntuples(res);
	PQclear(res);
	return n > 0;
}

static long long
db_changes(struct etl_db *base)
{
	return PG(base)->changes;
}

static void
clear_cells(struct pg_stmt *st)
{
	if (st->cells == NULL)
		return;
	for (int i = 0; i < st->ncols; i++) {
		free(st->cells[i].data);
		st->cells[i].data = NULL;
		st->cells[i].ready = 0;
	}
}

static void
clear_values(struct pg_stmt *st)
{
	for (int i = 0; i < st->nparams; i++) {
		free(st->values[i]);
		st->values[i] = NULL;
	}
	st->bind_kind = ETL_OK;
}

/* Drop the results: read away those still on the connection. */
static void
clear_run(struct pg_stmt *st)
{
	struct pg_db *db = PG(st->base.db);

	if (db->active == st) {
		discard_results(db);
		db->active = NULL;
	}
	for (size_t i = st->qhead; i < st->qlen; i++)
		PQclear(st->q[i]);
	st->qhead = st->qlen = 0;
	st->q_oom = 0;
	PQclear(st->cur);
	st->cur = NULL;
	st->row = 0;
	clear_cells(st);
	st->state = ST_IDLE;
}

static void
stmt_free(struct etl_stmt *base)
{
	struct pg_stmt *st = ST(base);
	struct pg_db *db = PG(base->db);
	char sql[64];

	clear_run(st);
	if (st->prepared && PQstatus(db->conn) == CONNECTION_OK) {
		/* Fails harmlessly in an aborted transaction: the name is
		 * never reused, and the session's end frees it. */
		snprintf(sql, sizeof(sql), "DEALLOCATE %s", st->name);
		run_only(db, sql, "deallocate", NULL);
	}
	clear_values(st);
	free(st->values);
	free(st->cells);
	free(st->q);
	PQclear(st->desc);
	free(st);
}

static struct etl_stmt *
db_prepare(struct etl_db *base, const char *sql, struct etl_error *err)
{
	struct pg_db *db = PG(base);
	struct pg_stmt *st = calloc(1, sizeof(*st));
	PGresult *res;
	int rc;

	if (st == NULL) {
		oom(db, err);
		return NULL;
	}
	st->base.db = base;
	make_ready(db);
	snprintf(st->name, sizeof(st->name), "etl_%lu", ++db->nstmt);
	if (!PQsendPrepare(db->conn, st->name, sql, 0, NULL)) {
		fail(db, NULL, err, "cannot prepare a statement");
		goto fail;
	}
	rc = collect(db, "cannot prepare a statement", &res, err);
	PQclear(res);
	if (rc < 0)
		goto fail;
	st->prepared = 1;
	if (!PQsendDescribePrepared(db->conn, st->name)) {
		fail(db, NULL, err, "cannot prepare a statement");
		goto fail;
	}
	if (collect(db, "cannot prepare a statement", &st->desc, err) < 0)
		goto fail;
	st->nparams = PQnparams(st->desc);
	st->ncols = PQnfields(st->desc);
	if ((st->nparams > 0 && (st->values = calloc((size_t)st->nparams,
	    sizeof(*st->values))) == NULL) || (st->ncols > 0 &&
	    (st->cells = calloc((size_t)st->ncols,
	    sizeof(*st->cells))) == NULL)) {
		oom(db, err);
		goto fail;
	}
	return &st->base;
fail:
	stmt_free(&st->base);
	return NULL;
}

/* Store v (taken over) as parameter i; NULL v is out of memory. */
static int
set_value(struct pg_stmt *st, int i, char *v)
{
	if (i < 1 || i > st->nparams) {
		free(v);
		return -1;
	}
	if (v == NULL) {
		st->bind_kind = ETL_EINTERNAL;
		return -1;
	}
	free(st->values[i - 1]);
	st->values[i - 1] = v;
	return 0;
}

static int
bind_text(struct etl_stmt *base, int i, const char *s, size_t len)
{
	struct pg_stmt *st = ST(base);
	char *v;

	if (memchr(s, '\0', len) != NULL) {
		/* PostgreSQL text cannot hold NUL: the step fails. */
		if (i >= 1 && i <= st->nparams)
			st->bind_kind = ETL_EDATA;
		return -1;
	}
	if ((v = malloc(len + 1)) != NULL) {
		memcpy(v, s, len);
		v[len] = '\0';
	}
	return set_value(st, i, v);
}

static int
bind_int(struct etl_stmt *base, int i, long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", v);
	return set_value(ST(base), i, strdup(buf));
}

/* The shortest text that reads back as d (etl_json_format_real's rule,
 * without the ".0", so 3.0 also binds to an integer column). */
static int
bind_double(struct etl_stmt *base, int i, double v)
{
	char buf[40];

	if (isnan(v))
		etl_strlcpy(buf, "NaN", sizeof(buf));
	else if (isinf(v))
		etl_strlcpy(buf, v > 0 ? "Infinity" : "-Infinity", sizeof(buf));
	else
		for (int prec = 15; prec <= 17; prec++) {
			snprintf(buf, sizeof(buf), "%.*g", prec, v);
			if (strtod(buf, NULL) == v)
				break;
		}
	return set_value(ST(base), i, strdup(buf));
}

static int
bind_null(struct etl_stmt *base, int i)
{
	struct pg_stmt *st = ST(base);

	if (i < 1 || i > st->nparams)
		return -1;
	free(st->values[i - 1]);
	st->values[i - 1] = NULL;
	return 0;
}

/* The next result, from the queue or the connection; NULL at the end. */
static PGresult *
take_result(struct pg_stmt *st)
{
	struct pg_db *db = PG(st->base.db);
	PGresult *res;

	if (st->qhead < st->qlen)
		return st->q[st->qhead++];
	if (st->state != ST_ACTIVE)
		return NULL;
	res = next_result(db);
	if (res == NULL)
		db->active = NULL;
	return res;
}

static int
start(struct pg_stmt *st, struct etl_error *err)
{
	struct pg_db *db = PG(st->base.db);

	if (st->bind_kind == ETL_EDATA)
		return etl_error_at(err, ETL_EDATA, db->base.name, 0, NULL,
		    "statement failed: a text value holds a NUL byte, which "
		    "PostgreSQL cannot store");
	if (st->bind_kind != ETL_OK)
		return oom(db, err);
	make_ready(db);
	if (!PQsendQueryPrepared(db->conn, st->name, st->nparams,
	    (const char *const *)st->values, NULL, NULL, 0))
		return fail(db, NULL, err, "statement failed");
	PQsetSingleRowMode(db->conn);
	st->state = ST_ACTIVE;
	db->active = st;
	return 0;
}

/* The run ended with an error: read the rest away, report it. */
static int
step_fail(struct pg_stmt *st, PGresult *res, struct etl_error *err)
{
	struct pg_db *db = PG(st->base.db);
	int rc = fail(db, res, err, "statement failed");

	PQclear(res);
	clear_run(st);
	st->state = ST_DONE;
	return rc;
}

static int
step(struct etl_stmt *base, struct etl_error *err)
{
	struct pg_stmt *st = ST(base);
	struct pg_db *db = PG(base->db);
	PGresult *res;
	int rc;

	if (st->state == ST_DONE)
		return 0;
	if (st->state == ST_IDLE && (rc = start(st, err)) < 0) {
		st->state = ST_DONE;
		return rc;
	}
	if (st->cur != NULL && st->row + 1 < PQntuples(st->cur)) {
		st->row++;
		clear_cells(st);
		return 1;
	}
	PQclear(st->cur);
	st->cur = NULL;
	clear_cells(st);
	while ((res = take_result(st)) != NULL) {
		if (is_error(res))
			return step_fail(st, res, err);
		if (is_copy(res)) {
			PQclear(res);
			if (db->active == st)
				db->active = NULL;
			db->in_copy = 1;
			abort_copy(db);
			clear_run(st);
			st->state = ST_DONE;
			return etl_error_at(err, ETL_EINTERNAL, db->base.name,
			    0, NULL, "statement failed: COPY goes through "
			    "etl_db_copy_begin");
		}
		note_changes(db, res);
		if (PQntuples(res) > 0) {
			st->cur = res;
			st->row = 0;
			return 1;
		}
		PQclear(res);
	}
	rc = st->q_oom ? oom(db, err) : 0;
	clear_run(st);
	st->state = ST_DONE;
	return rc;
}

static void
reset(struct etl_stmt *base)
{
	struct pg_stmt *st = ST(base);

	clear_run(st);
	clear_values(st);
}

static int
columns(struct etl_stmt *base)
{
	return ST(base)->ncols;
}

static const char *
column_name(struct etl_stmt *base, int i)
{
	struct pg_stmt *st = ST(base);

	if (i < 0 || i >= st->ncols)
		return NULL;
	return PQfname(st->desc, i);
}

/* The current row's value of column i, or NULL (also for SQL NULL). */
static const char *
raw(struct pg_stmt *st, int i)
{
	if (st->cur == NULL || i < 0 || i >= st->ncols ||
	    i >= PQnfields(st->cur) || PQgetisnull(st->cur, st->row, i))
		return NULL;
	return PQgetvalue(st->cur, st->row, i);
}

static enum etl_coltype
column_type(struct etl_stmt *base, int i)
{
	struct pg_stmt *st = ST(base);

	if (raw(st, i) == NULL)
		return ETL_COL_NULL;
	switch (PQftype(st->desc, i)) {
	case OID_INT2:
	case OID_INT4:
	case OID_INT8:
	case OID_OID:
	case OID_BOOL:
		return ETL_COL_INT;
	case OID_FLOAT4:
	case OID_FLOAT8:
		return ETL_COL_REAL;
	case OID_BYTEA:
		return ETL_COL_BLOB;
	default:
		/* numeric stays text: exact. */
		return ETL_COL_TEXT;
	}
}

/*
 * The value as the caller sees it: booleans as "1"/"0", bytea
 * unescaped (NUL-terminated too), the rest as PostgreSQL sent it.
 */
static const char *
value(struct pg_stmt *st, int i, size_t *len)
{
	const char *s = raw(st, i);
	struct cell *c;
	size_t n;
	unsigned char *bytes;

	if (len != NULL)
		*len = 0;
	if (s == NULL)
		return NULL;
	switch (PQftype(st->desc, i)) {
	case OID_BOOL:
		if (len != NULL)
			*len = 1;
		return *s == 't' ? "1" : "0";
	case OID_BYTEA:
		c = &st->cells[i];
		if (!c->ready) {
			bytes = PQunescapeBytea((const unsigned char *)s, &n);
			if (bytes == NULL)
				return NULL;
			c->data = malloc(n + 1);
			if (c->data != NULL) {
				memcpy(c->data, bytes, n);
				c->data[n] = '\0';
				c->len = n;
				c->ready = 1;
			}
			PQfreemem(bytes);
			if (c->data == NULL)
				return NULL;
		}
		if (len != NULL)
			*len = c->len;
		return c->data;
	default:
		if (len != NULL)
			*len = (size_t)PQgetlength(st->cur, st->row, i);
		return s;
	}
}

static const char *
column_text(struct etl_stmt *base, int i, size_t *len)
{
	return value(ST(base), i, len);
}

static double
column_double(struct etl_stmt *base, int i)
{
	const char *s = value(ST(base), i, NULL);

	return s != NULL ? strtod(s, NULL) : 0.0;
}

static long long
column_int(struct etl_stmt *base, int i)
{
	const char *s = value(ST(base), i, NULL);
	char *end;
	long long v;
	double d;

	if (s == NULL)
		return 0;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end != '.' && *end != 'e' && *end != 'E' && errno == 0)
		return v;
	/* A real: truncate toward zero, saturating like SQLite. */
	d = strtod(s, NULL);
	if (isnan(d))
		return 0;
	if (d >= 9223372036854775807.0)
		return LLONG_MAX;
	if (d <= -9223372036854775808.0)
		return LLONG_MIN;
	return (long long)d;
}

static const void *
column_blob(struct etl_stmt *base, int i, size_t *len)
{
	return value(ST(base), i, len);
}

static int
table_columns(struct etl_db *base, const char *table,
    int (*fn)(const char *name, const char *type, void *ctx), void *ctx,
    struct etl_error *err)
{
	struct pg_db *db = PG(base);
	PGresult *res;
	int rc;

	/* pg_attribute rather than information_schema: the same name
	 * resolution as has_table, and declared types with modifiers
	 * ("numeric(10,2)", "text[]") like SQLite's declared types. */
	rc = run_param(db, "SELECT a.attname, pg_catalog.format_type("
	    "a.atttypid, a.atttypmod) FROM pg_catalog.pg_attribute a WHERE "
	    "a.attrelid = pg_catalog.to_regclass(pg_catalog.quote_ident($1)) "
	    "AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
	    table, "cannot read the schema", &res, err);
	if (rc < 0)
		return rc;
	for (int r = 0; r < PQntuples(res); r++)
		if (fn(PQgetvalue(res, r, 0), PQgetvalue(res, r, 1), ctx) != 0)
			break;
	PQclear(res);
	return 0;
}

static int
copy_begin(struct etl_db *base, const char *sql, struct etl_error *err)
{
	struct pg_db *db = PG(base);
	PGresult *res;
	int rc = run(db, sql, "cannot start COPY", &res, err);

	if (rc < 0)
		return rc;
	if (PQresultStatus(res) == PGRES_COPY_IN) {
		db->in_copy = 1;
	} else {
		rc = etl_error_at(err, ETL_EINTERNAL, base->name, 0, NULL,
		    "cannot start COPY: not a COPY ... FROM STDIN statement");
		if (is_copy(res)) {
			char *buf;

			while (PQgetCopyData(db->conn, &buf, 0) > 0)
				PQfreemem(buf);
			discard_results(db);
		}
	}
	PQclear(res);
	return rc;
}

/* libpq refused COPY data: the reason is in the results, if any. */
static int
copy_failed(struct pg_db *db, struct etl_error *err)
{
	PGresult *res;
	int rc;

	db->in_copy = 0;
	rc = collect(db, "COPY failed", &res, err);
	PQclear(res);
	return rc < 0 ? rc : fail(db, NULL, err, "COPY failed");
}

static int
copy_put(struct etl_db *base, const char *buf, size_t len,
    struct etl_error *err)
{
	struct pg_db *db = PG(base);

	if (!db->in_copy)
		return etl_error_at(err, ETL_EINTERNAL, base->name, 0, NULL,
		    "COPY data without etl_db_copy_begin");
	while (len > 0) {
		int n = len > INT_MAX / 2 ? INT_MAX / 2 : (int)len;

		if (PQputCopyData(db->conn, buf, n) != 1)
			return copy_failed(db, err);
		buf += n;
		len -= (size_t)n;
	}
	if (etl_signal_caught()) {
		abort_copy(db);
		return etl_signal_check(err);
	}
	return 0;
}

static int
copy_end(struct etl_db *base, struct etl_error *err)
{
	struct pg_db *db = PG(base);
	PGresult *res;
	int rc;

	if (!db->in_copy)
		return etl_error_at(err, ETL_EINTERNAL, base->name, 0, NULL,
		    "COPY end without etl_db_copy_begin");
	db->in_copy = 0;
	db->canceled = 0;
	if (PQputCopyEnd(db->conn, NULL) != 1)
		return copy_failed(db, err);
	rc = collect(db, "COPY failed", &res, err);
	PQclear(res);
	return rc;
}

static const struct etlp_db_ops pg_ops = {
	.name = "postgresql",
	.close = db_close,
	.exec = db_exec,
	.begin = db_begin,
	.has_table = db_has_table,
	.changes = db_changes,
	.prepare = db_prepare,
	.stmt_free = stmt_free,
	.bind_text = bind_text,
	.bind_int = bind_int,
	.bind_double = bind_double,
	.bind_null = bind_null,
	.step = step,
	.reset = reset,
	.columns = columns,
	.column_name = column_name,
	.column_type = column_type,
	.column_text = column_text,
	.column_int = column_int,
	.column_double = column_double,
	.column_blob = column_blob,
	.table_columns = table_columns,
	.copy_begin = copy_begin,
	.copy_put = copy_put,
	.copy_end = copy_end,
};

struct etl_db *
etlp_pg_open(const char *target, const struct etl_db_opts *opts,
    struct etl_error *err)
{
	struct pg_db *db = calloc(1, sizeof(*db));
	PQconninfoOption *parsed;
	char *why = NULL, line[400], timeout[32], sql[64];
	long long lock_ms;
	/* connect_timeout comes first so that the URI may override it;
	 * client_encoding last so that it may not. */
	const char *keys[] = { "connect_timeout", "dbname",
	    "fallback_application_name", "client_encoding", NULL };
	const char *vals[] = { timeout, target, "etl", "UTF8", NULL };

	if (db == NULL || (db->base.name = etl_redact(target)) == NULL) {
		free(db);
		etl_error_set(err, ETL_EINTERNAL, "out of memory");
		return NULL;
	}
	db->base.ops = &pg_ops;
	parsed = PQconninfoParse(target, &why);
	if (parsed == NULL) {
		char *safe = why ? etl_redact(why) : NULL;

		etl_error_at(err, why ? ETL_ECONFIG : ETL_EINTERNAL,
		    db->base.name, 0, NULL, "bad connection URI: %s",
		    one_line(safe ? safe : why ? "unreadable" :
		    "out of memory", line, sizeof(line)));
		free(safe);
		PQfreemem(why);
		goto fail;
	}
	PQconninfoFree(parsed);
	/* Bound the connection wait; a lock wait is bounded apart. */
	snprintf(timeout, sizeof(timeout), "%lld", (long long)(opts->
	    busy_timeout_ms / 1000 > 10 ? opts->busy_timeout_ms / 1000 : 10));
	db->conn = PQconnectdbParams(keys, vals, 1);
	if (db->conn == NULL) {
		etl_error_set(err, ETL_EINTERNAL, "out of memory");
		goto fail;
	}
	if (PQstatus(db->conn) != CONNECTION_OK) {
		char *safe = etl_redact(PQerrorMessage(db->conn));

		etl_error_at(err, ETL_EUNAVAILABLE, db->base.name, 0, NULL,
		    "cannot connect: %s", one_line(safe ? safe :
		    "out of memory", line, sizeof(line)));
		free(safe);
		goto fail;
	}
	PQsetNoticeProcessor(db->conn, quiet_notice, NULL);
	db->cancel = PQgetCancel(db->conn);
	/* PostgreSQL's 0 waits forever where SQLite's 0 does not wait. */
	lock_ms = opts->busy_timeout_ms < 1 ? 1 : opts->busy_timeout_ms >
	    INT_MAX ? INT_MAX : (long long)opts->busy_timeout_ms;
	snprintf(sql, sizeof(sql), "SET lock_timeout = %lld", lock_ms);
	if (run_only(db, sql, "cannot set up the session", err) < 0)
		goto fail;
	return &db->base;
fail:
	if (db->conn != NULL)
		PQfinish(db->conn);
	if (db->cancel != NULL)
		PQfreeCancel(db->cancel);
	free(db->base.name);
	free(db);
	return NULL;
}
