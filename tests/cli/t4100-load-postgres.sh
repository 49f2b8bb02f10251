#!/usr/bin/env bash
# etl-load into PostgreSQL: the same matrix as SQLite (t4000), on a
# throwaway server from scripts/pg-start (skipped where none is
# installed; CI installs one).
. "$(dirname "$0")/lib.sh"

PG_DIR=$TMP/pg
pg_cleanup() { "$SRC/scripts/pg-stop" "$PG_DIR"; }
started=0
URI=$("$SRC/scripts/pg-start" "$PG_DIR" 2>"$TMP/pg-start.err") || started=$?
if [ "$started" -eq 77 ]; then
	skip_all "$(head -n 1 "$TMP/pg-start.err")"
fi
CLEANUP_HOOKS="pg_cleanup"
if [ "$started" -ne 0 ]; then
	test_expect "scripts/pg-start starts a server" '
		cat "$TMP/pg-start.err"; false
	'
	test_done
	exit 1
fi

PSQL=$(command -v psql || ls /usr/lib/postgresql/*/bin/psql 2>/dev/null |
    sort -V | tail -n 1)
DB=$URI
dbq() { "$PSQL" -X -q -At -v ON_ERROR_STOP=1 "$URI" -c "$1"; }

. "$SRC/tests/cli/load-matrix.sh"

test_expect "types are inferred from the first batch" '
	printf "%s\n" "{\"id\":1,\"i\":5,\"r\":1.5,\"b\":true,\"s\":\"x\",\"o\":{\"k\":[1,2]},\"z\":null}" |
	    etl-load --db "$DB" -q -t p_types -k id
	test "$(dbq "SELECT string_agg(column_name || '"'"':'"'"' || data_type, '"'"' '"'"' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = '"'"'p_types'"'"'")" = "id:bigint i:bigint r:double precision b:boolean s:text o:text z:text"
	test "$(dbq "SELECT b, o FROM p_types")" = "t|{\"k\":[1,2]}"
'

gen_tabs() {
	awk 'BEGIN { for (i = 1; i <= 5000; i++)
		printf "{\"id\":%d,\"v\":\"tab\\there %d\"}\n", i, i }'
}

test_expect "a batch of many records goes through COPY and one merge" '
	gen_tabs >many
	etl-load --db "$DB" -t p_many -k id --batch 2000 many 2>e
	grep -q "5000 read, 5000 inserted" e
	etl-load --db "$DB" -t p_many -k id --batch 2000 many 2>e
	grep -q "5000 read, 0 inserted, 0 updated, 5000 unchanged" e
	test "$(dbq "SELECT v FROM p_many WHERE id = 42")" = "$(printf "tab\there 42")"
'

test_expect "the password never shows in messages" '
	bad=$(echo "$URI" | sed "s|etl:[^@]*@|etl:wrongpassword@|")
	echo "{\"id\":1}" | { expect_status 69 etl-load --db "$bad" -t p_x -k id; }
	! grep -q wrongpassword err
	grep -q "etl:\*\*\*@" err
'

test_expect "a value the column type refuses names its input line" '
	printf "%s\n" "{\"id\":1,\"n\":1}" | load -q -t p_type -k id
	printf "%s\n" "{\"id\":2,\"n\":2}" "{\"id\":3,\"n\":2.5}" >typed
	expect_status 65 etl-load --db "$DB" -t p_type -k id typed
	grep -q "typed:2: field .n.: invalid input syntax for type bigint" err
'

test_expect "with --errors a refused value is a dead letter and the rest of its batch loads" '
	printf "%s\n" "{\"id\":4,\"n\":4}" "{\"id\":5,\"n\":\"five\"}" "{\"id\":6,\"n\":6}" >typed2
	etl-load --db "$DB" -t p_type -k id --errors bad typed2 2>e
	grep -q "3 read, 2 inserted, 0 updated, 0 unchanged, 1 rejected" e
	test "$(dbq "SELECT id FROM p_type WHERE id > 3 ORDER BY id" | tr "\n" " ")" = "4 6 "
	grep -q "\"line\":2,\"field\":\"n\",\"rule\":\"type\"" bad
	grep -q "\"record\":{\"id\":5,\"n\":\"five\"}" bad
'

test_done
