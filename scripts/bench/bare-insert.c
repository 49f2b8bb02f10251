/*
 * The ceilings for etl-load: read NDJSON and insert every record with one
 * prepared statement in one transaction, nothing else (no key, no change
 * detection, no batching; arrays and objects stored as JSON text, as
 * etl-load stores them).  The table must exist.
 *
 *   bare-insert DB TABLE < records.ndjson          parse with jansson
 *   bare-insert --scan DB TABLE < records.ndjson   with libetl's textjson
 *                                                  scanner (no tree)
 */
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "textjson.h"

static sqlite3_stmt *
prepare(sqlite3 *db, const char *table, const char *const *keys, int n)
{
	sqlite3_stmt *st = NULL;
	char sql[8192];
	size_t used = (size_t)snprintf(sql, sizeof(sql), "INSERT INTO \"%s\" (",
	    table);

	for (int i = 0; i < n && used < sizeof(sql); i++)
		used += (size_t)snprintf(sql + used, sizeof(sql) - used,
		    "%s\"%s\"", i ? ", " : "", keys[i]);
	if (used < sizeof(sql))
		used += (size_t)snprintf(sql + used, sizeof(sql) - used,
		    ") VALUES (");
	for (int i = 0; i < n && used < sizeof(sql); i++)
		used += (size_t)snprintf(sql + used, sizeof(sql) - used, "%s?",
		    i ? ", " : "");
	if (used < sizeof(sql))
		snprintf(sql + used, sizeof(sql) - used, ")");
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return NULL;
	return st;
}

static void
bind_jansson(sqlite3_stmt *st, int i, json_t *v)
{
	if (json_is_integer(v))
		sqlite3_bind_int64(st, i, json_integer_value(v));
	else if (json_is_real(v))
		sqlite3_bind_double(st, i, json_real_value(v));
	else if (json_is_string(v))
		sqlite3_bind_text(st, i, json_string_value(v), -1,
		    SQLITE_TRANSIENT);
	else if (json_is_boolean(v))
		sqlite3_bind_int(st, i, json_is_true(v));
	else if (json_is_null(v))
		sqlite3_bind_null(st, i);
	else	/* arrays and objects as JSON text, as etl-load */
		sqlite3_bind_text(st, i, json_dumps(v, JSON_COMPACT |
		    JSON_PRESERVE_ORDER), -1, free);
}

static int
load_jansson(sqlite3 *db, const char *table)
{
	sqlite3_stmt *st = NULL;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	while ((n = getline(&line, &cap, stdin)) > 0) {
		json_t *rec = json_loadb(line, (size_t)n, 0, NULL), *v;
		const char *key, *keys[256];
		int i = 0;

		if (rec == NULL)
			return 1;
		if (st == NULL) {
			json_object_foreach(rec, key, v)
				if (i < 256)
					keys[i++] = key;
			if ((st = prepare(db, table, keys, i)) == NULL)
				return 1;
			i = 0;
		}
		json_object_foreach(rec, key, v)
			bind_jansson(st, ++i, v);
		if (sqlite3_step(st) != SQLITE_DONE)
			return 1;
		sqlite3_reset(st);
		json_decref(rec);
	}
	sqlite3_finalize(st);
	free(line);
	return 0;
}

/* A member's compact text bound as etl-load binds it. */
static void
bind_text_value(sqlite3_stmt *st, int i, const char *v, size_t n,
    struct etl_buf *tmp)
{
	switch (v[0]) {
	case '"':
		if (memchr(v, '\\', n) == NULL) {
			sqlite3_bind_text(st, i, v + 1, (int)n - 2,
			    SQLITE_STATIC);
			break;
		}
		etl_buf_reset(tmp);
		etl_textjson_scalar(tmp, v, n);
		sqlite3_bind_text(st, i, tmp->data, (int)tmp->len,
		    SQLITE_TRANSIENT);
		break;
	case 't':
	case 'f':
		sqlite3_bind_int(st, i, v[0] == 't');
		break;
	case 'n':
		sqlite3_bind_null(st, i);
		break;
	case '[':
	case '{':
		sqlite3_bind_text(st, i, v, (int)n, SQLITE_STATIC);
		break;
	default:
		if (memchr(v, '.', n) || memchr(v, 'e', n) || memchr(v, 'E', n))
			sqlite3_bind_double(st, i, strtod(v, NULL));
		else
			sqlite3_bind_int64(st, i, strtoll(v, NULL, 10));
		break;
	}
}

static int
load_scan(sqlite3 *db, const char *table)
{
	struct etl_textjson j;
	struct etl_buf tmp;
	sqlite3_stmt *st = NULL;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	etl_textjson_init(&j);
	etl_buf_init(&tmp);
	while ((n = getline(&line, &cap, stdin)) > 0) {
		if (line[n - 1] == '\n')
			n--;
		if (etl_textjson_scan(&j, line, (size_t)n) != 0)
			return 1;
		if (st == NULL) {
			const char *keys[256];
			int k = 0;

			for (size_t i = 0; i < j.n && k < 256; i++)
				keys[k++] = j.keys.data + j.m[i].key;
			if ((st = prepare(db, table, keys, k)) == NULL)
				return 1;
		}
		for (size_t i = 0; i < j.n; i++)
			bind_text_value(st, (int)i + 1, j.compact.data +
			    j.m[i].val, j.m[i].vlen, &tmp);
		if (sqlite3_step(st) != SQLITE_DONE)
			return 1;
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	etl_textjson_release(&j);
	etl_buf_release(&tmp);
	free(line);
	return 0;
}

int
main(int argc, char **argv)
{
	int scan = argc == 4 && strcmp(argv[1], "--scan") == 0;
	sqlite3 *db;
	int rc;

	if (argc != 3 + scan || sqlite3_open(argv[1 + scan], &db) != SQLITE_OK)
		return 2;
	sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
	    " BEGIN", NULL, NULL, NULL);
	rc = scan ? load_scan(db, argv[2 + scan]) :
	    load_jansson(db, argv[2 + scan]);
	if (rc == 0)
		sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(db);
	return rc;
}
