#!/usr/bin/env bash
# etl-load into SQLite: the shared matrix, then SQLite specifics.
. "$(dirname "$0")/lib.sh"

DB=$TMP/load.db
dbq() { sqlite3 "$DB" "$1"; }

. "$SRC/tests/cli/load-matrix.sh"

test_expect "types are inferred from the first batch" '
	printf "%s\n" "{\"id\":1,\"i\":5,\"r\":1.5,\"b\":true,\"s\":\"x\",\"o\":{\"k\":[1,2]},\"a\":[1],\"z\":null}" |
	    etl-load --db "$DB" -q -t s_types -k id
	test "$(dbq "SELECT name || '"'"':'"'"' || type FROM pragma_table_info('"'"'s_types'"'"')" | tr "\n" " ")" = "id:INTEGER i:INTEGER r:REAL b:INTEGER s:TEXT o:TEXT a:TEXT z: "
	test "$(dbq "SELECT b, o, a FROM s_types")" = "1|{\"k\":[1,2]}|[1]"
'

test_expect "usage errors" '
	expect_status 64 etl-load --db "$DB"
	grep -q "missing --table" err
	expect_status 64 etl-load --db "$DB" -t x --mode upsert
	expect_status 64 etl-load --db "$DB" -t x -k id --mode append
	expect_status 64 etl-load --db "$DB" -t x --conflict newest
	expect_status 64 etl-load --db "$DB" -t x --batch 0
	expect_status 64 etl-load --to csv -t x
	expect_status 64 etl-load --db "$DB" -t x --out f
	expect_status 64 etl-load --db "$DB" -t x --watermark nocolon
'

test_expect "66: a missing input file; 73: a database that cannot be created" '
	expect_status 66 etl-load --db "$DB" -t x -k id no-such-file
	expect_status 73 etl-load --db "$TMP/no/dir/x.db" -t x -k id /dev/null
'

test_done
