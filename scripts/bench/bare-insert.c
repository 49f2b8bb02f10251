/*
 * The ceiling for etl-load: read NDJSON with jansson and insert every
 * record with one prepared statement in one transaction, nothing else
 * (no key, no change detection, no batching; arrays and objects stored
 * as JSON text, as etl-load stores them).  The table must exist.
 *   bare-insert DB TABLE < records.ndjson
 */
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
main(int argc, char **argv)
{
	sqlite3 *db;
	sqlite3_stmt *st = NULL;
	char *line = NULL, sql[4096];
	size_t cap = 0;
	ssize_t n;
	int ncols = 0;

	if (argc != 3 || sqlite3_open(argv[1], &db) != SQLITE_OK)
		return 2;
	sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
	    " BEGIN", NULL, NULL, NULL);
	while ((n = getline(&line, &cap, stdin)) > 0) {
		json_t *rec = json_loadb(line, (size_t)n, 0, NULL);
		const char *key;
		json_t *v;
		int i = 0;

		if (rec == NULL)
			return 1;
		if (st == NULL) {
			size_t used = (size_t)snprintf(sql, sizeof(sql),
			    "INSERT INTO \"%s\" (", argv[2]);
			json_object_foreach(rec, key, v)
				used += (size_t)snprintf(sql + used,
				    sizeof(sql) - used, "%s\"%s\"",
				    ncols++ ? ", " : "", key);
			used += (size_t)snprintf(sql + used, sizeof(sql) - used,
			    ") VALUES (");
			for (i = 0; i < ncols; i++)
				used += (size_t)snprintf(sql + used,
				    sizeof(sql) - used, "%s?", i ? ", " : "");
			snprintf(sql + used, sizeof(sql) - used, ")");
			if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
				return 1;
			i = 0;
		}
		json_object_foreach(rec, key, v) {
			i++;
			if (json_is_integer(v))
				sqlite3_bind_int64(st, i, json_integer_value(v));
			else if (json_is_real(v))
				sqlite3_bind_double(st, i, json_real_value(v));
			else if (json_is_string(v))
				sqlite3_bind_text(st, i, json_string_value(v),
				    -1, SQLITE_TRANSIENT);
			else if (json_is_boolean(v))
				sqlite3_bind_int(st, i, json_is_true(v));
			else if (json_is_null(v))
				sqlite3_bind_null(st, i);
			else	/* arrays and objects as JSON text, as etl-load */
				sqlite3_bind_text(st, i, json_dumps(v,
				    JSON_COMPACT | JSON_PRESERVE_ORDER), -1, free);
		}
		if (sqlite3_step(st) != SQLITE_DONE)
			return 1;
		sqlite3_reset(st);
		json_decref(rec);
	}
	sqlite3_finalize(st);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(db);
	free(line);
	return 0;
}
