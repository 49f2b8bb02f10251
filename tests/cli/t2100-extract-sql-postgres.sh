#!/usr/bin/env bash
# etl-extract sql against PostgreSQL, through the same database layer as
# SQLite (skipped where no PostgreSQL server is installed; CI has one).
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
"$PSQL" -X -q -v ON_ERROR_STOP=1 "$URI" >/dev/null <<'SQL'
CREATE TABLE ev (id bigint PRIMARY KEY, title text, price numeric,
    n double precision, at timestamptz, raw bytea);
INSERT INTO ev VALUES
    (1, 'a', 12345678901234567890.50, 1.5, '2026-01-01T00:00:00Z', '\x0102'),
    (2, 'b "q"', NULL, NULL, '2026-02-01T00:00:00Z', NULL);
SQL

test_expect "rows as objects; named parameters bound; exact numerics" '
	etl-extract sql "$URI" --query "SELECT id, title, price, n, raw FROM ev WHERE at > :since::timestamptz ORDER BY id" \
	    --param since=2025-12-31T00:00:00Z >out 2>e
	printf "%s\n" "{\"id\":1,\"title\":\"a\",\"price\":\"12345678901234567890.50\",\"n\":1.5,\"raw\":\"AQI=\"}" \
	    "{\"id\":2,\"title\":\"b \\\"q\\\"\",\"price\":null,\"n\":null,\"raw\":null}" >want
	cmp_out want out
	etl-extract sql "$URI" --query "SELECT id FROM ev WHERE at > :since::timestamptz" --param since=2026-01-15T00:00:00Z >out2
	test "$(cat out2)" = "{\"id\":2}"
'

test_expect "the timestamps PostgreSQL prints feed etl-watermark" '
	etl-extract sql "$URI" --query "SELECT id, at FROM ev" | etl-watermark --db wm.db -q track ev --field at >/dev/null
	etl-watermark --db wm.db -q commit ev
	test "$(etl-watermark --db wm.db get ev)" = "2026-02-01 00:00:00+00"
'

test_expect "a wrong password is 69 and never shown" '
	bad=$(echo "$URI" | sed "s|etl:[^@]*@|etl:sekrit@|")
	expect_status 69 etl-extract sql "$bad" --query "SELECT 1"
	! grep -q sekrit err
'

test_done
