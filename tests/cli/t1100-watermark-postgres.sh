#!/usr/bin/env bash
# etl-watermark against PostgreSQL (--db postgresql://...): the same
# commands, orderings and exit statuses as on SQLite, on a throwaway
# server from scripts/pg-start (skipped where none is installed).
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

# postgresql://etl:PASSWORD@127.0.0.1:PORT/etl
PASSWORD=${URI#postgresql://etl:}
PASSWORD=${PASSWORD%%@*}
PORT=${URI##*:}
PORT=${PORT%%/*}
export ETL_DB=$URI

PSQL=$(command -v psql || ls /usr/lib/postgresql/*/bin/psql 2>/dev/null |
    sort -V | tail -n 1)
psql_q() { "$PSQL" -X -q -At -v ON_ERROR_STOP=1 "$URI" -c "$1"; }

# A URI whose tables live in their own, new schema: a fresh database.
fresh_db() {
	psql_q "CREATE SCHEMA $1" >/dev/null
	echo "$URI?options=-csearch_path%3D$1"
}

test_expect "set, get, list and delete" '
	etl-watermark -q set orders 2026-03-01T00:02:00+01:00
	test "$(etl-watermark get orders)" = 2026-03-01T00:02:00+01:00
	etl-watermark -q set n 42
	etl-watermark -q list >list.out
	test "$(wc -l <list.out)" = 2
	sed -n 1p list.out | grep -q "^{\"key\":\"n\",\"value\":\"42\",\"pending\":null,\"updated_at\":\"20[0-9-]*T[0-9:.]*Z\"}$"
	sed -n 2p list.out | grep -q "^{\"key\":\"orders\",\"value\":\"2026-03-01T00:02:00+01:00\","
	etl-watermark -q delete n
	expect_status 1 etl-watermark get n
	grep -q "n: not set" err
	expect_status 1 etl-watermark delete n
	test "$(psql_q "SELECT count(*) FROM _etl_watermarks")" = 1
'

test_expect "--db names the database and wins over ETL_DB" '
	etl-watermark -q --db "$TMP/local.db" set k 1
	expect_status 1 etl-watermark get k
	etl-watermark -q --db "$URI" set k 2
	test "$(ETL_DB=$TMP/local.db etl-watermark get k)" = 1
	test "$(ETL_DB=$TMP/local.db etl-watermark --db "$URI" get k)" = 2
	test "$(etl-watermark --db "postgres://${URI#postgresql://}" get k)" = 2
'

test_expect "a fresh database: get is unset, --default printed, list empty" '
	db=$(fresh_db fresh1)
	expect_status 1 etl-watermark --db "$db" get k
	expect_status 0 etl-watermark --db "$db" get k --default 1970-01-01T00:00:00Z --lag 5m
	test "$(cat out)" = 1970-01-01T00:00:00Z
	expect_status 0 etl-watermark --db "$db" list
	test ! -s out
	expect_status 1 etl-watermark --db "$db" delete k
	expect_status 0 etl-watermark --db "$db" commit k
	test "$(psql_q "SELECT count(*) FROM pg_tables WHERE schemaname = '"'"'fresh1'"'"'")" = 0
'

test_expect "--lag moves a timestamp back, in UTC" '
	etl-watermark -q set lagged 2026-03-01T00:02:00+01:00
	test "$(etl-watermark get lagged --lag 5m)" = 2026-02-28T22:57:00Z
	etl-watermark -q set num 7
	expect_status 65 etl-watermark get num --lag 5m
	grep -q "needs a timestamp" err
'

test_expect "set never moves back; --force does; numbers order exactly" '
	etl-watermark -q set w 2026-05-01T00:00:00Z
	expect_status 0 etl-watermark set w 2026-04-01T00:00:00Z
	grep -q "kept the stored value" err
	test "$(etl-watermark get w)" = 2026-05-01T00:00:00Z
	etl-watermark -q set w 2020-01-01T00:00:00Z --force
	test "$(etl-watermark get w)" = 2020-01-01T00:00:00Z
	etl-watermark -q set big 12345678901234567890
	etl-watermark -q set big 9999999999999999999
	test "$(etl-watermark get big)" = 12345678901234567890
	expect_status 65 etl-watermark set big 2026-01-01T00:00:00Z
	grep -q "cannot be compared" err
	etl-watermark -q set cursor "opaque token with '"'"'quotes'"'"'" --force
	test "$(etl-watermark get cursor)" = "opaque token with '"'"'quotes'"'"'"
'

test_expect "keys shaped like SQL stay keys" '
	k="x'"'"'); DROP TABLE _etl_watermarks; --"
	etl-watermark -q set "$k" 1
	test "$(etl-watermark get "$k")" = 1
	etl-watermark -q set "\"Quoted\" \\ key" 2
	test "$(etl-watermark get "\"Quoted\" \\ key")" = 2
	test "$(psql_q "SELECT count(*) FROM _etl_watermarks WHERE key LIKE '"'"'x%'"'"'")" = 1
'

test_expect "track stores pending, commit promotes it" '
	printf "%s\n" "{\"id\":1,\"ts\":\"2026-01-01T10:00:00+02:00\"}" \
	    "{\"id\":2,\"ts\":\"2026-01-01T09:00:00Z\"}" >in
	etl-watermark -q track t --field ts in >out.ndjson
	cmp_out in out.ndjson
	expect_status 1 etl-watermark get t
	grep -q "pending value awaits commit" err
	etl-watermark -q list | grep "\"key\":\"t\"" | grep -q "\"value\":null,\"pending\":\"2026-01-01T09:00:00Z\""
	expect_status 0 etl-watermark commit t
	grep -q "value 2026-01-01T09:00:00Z" err
	test "$(etl-watermark get t)" = 2026-01-01T09:00:00Z
	etl-watermark -q list | grep "\"key\":\"t\"" | grep -q "\"pending\":null"
	expect_status 0 etl-watermark commit t
	test "$(etl-watermark get t)" = 2026-01-01T09:00:00Z
'

test_expect "track on a fresh database creates the state tables" '
	db=$(fresh_db fresh2)
	echo "{\"n\":5}" | etl-watermark -q --db "$db" track c --field n >/dev/null
	etl-watermark -q --db "$db" commit c
	test "$(etl-watermark --db "$db" get c)" = 5
	test "$(psql_q "SELECT count(*) FROM pg_tables WHERE schemaname = '"'"'fresh2'"'"'")" = 2
'

test_expect "interleaved sets from two processes keep the maximum" '
	( for i in $(seq 1 2 39); do etl-watermark -q set c "$i" || exit 1; done ) &
	a=$!
	( for i in $(seq 2 2 40); do etl-watermark -q set c "$i" || exit 1; done ) &
	b=$!
	wait $a && wait $b
	test "$(etl-watermark get c)" = 40
'

test_expect "many concurrent first sets on a fresh database keep the maximum" '
	db=$(fresh_db fresh3)
	pids=""
	for i in $(seq 1 8); do
		etl-watermark -q --db "$db" set m "$i" 2>/dev/null &
		pids="$pids $!"
	done
	for p in $pids; do wait "$p"; done
	test "$(etl-watermark --db "$db" get m)" = 8
'

test_expect "concurrent track and commit runs leave one consistent row" '
	for j in 1 2 3 4; do
		for i in $(seq 1 50); do
			printf "{\"id\":%d,\"ts\":\"2026-01-%02dT00:00:00Z\"}\n" \
			    $i $(( (i * j) % 28 + 1 ))
		done >in$j
	done
	for j in 1 2 3 4; do
		( etl-watermark -q track tc --field ts in$j >/dev/null &&
		  etl-watermark -q commit tc ) &
	done
	wait
	case "$(etl-watermark get tc)" in
	2026-01-28T00:00:00Z|2026-01-27T00:00:00Z|2026-01-25T00:00:00Z) ;;
	*) echo "unexpected value"; exit 1 ;;
	esac
	test "$(etl-watermark -q list | grep -c "\"key\":\"tc\"")" -eq 1
'

# Hold a lock from psql (application_name "locker") until lock_release.
lock_hold() {
	PGAPPNAME=locker "$PSQL" -X -q "$URI" -c "$1; SELECT pg_sleep(30)" \
	    >/dev/null 2>&1 &
	echo $! >locker.pid
	for _ in $(seq 1 100); do
		[ "$(psql_q "SELECT count(*) FROM pg_locks l JOIN
		    pg_stat_activity a USING (pid) WHERE l.granted AND
		    a.application_name = 'locker' AND l.locktype = '$2'")" \
		    -gt 0 ] && return 0
		sleep 0.1
	done
	echo "the lock was not taken" >&2
	lock_release
	return 1
}
lock_release() {
	psql_q "SELECT pg_cancel_backend(pid) FROM pg_stat_activity
	    WHERE application_name = 'locker'" >/dev/null
	wait "$(cat locker.pid)" || :
}

test_expect "another writer holds the database: set gives 75, get still reads" '
	etl-watermark -q set held 1
	lock_hold "SELECT pg_advisory_lock(7310582925066151936)" advisory
	expect_status 75 etl-watermark --busy-timeout 300ms set held 2
	grep -q "cannot start a transaction: canceling statement due to lock timeout" err
	expect_status 0 etl-watermark --busy-timeout 300ms get held
	test "$(cat out)" = 1
	lock_release
	etl-watermark -q set held 2
	test "$(etl-watermark get held)" = 2
'

test_expect "a locked table: every command gives 75 after --busy-timeout" '
	etl-watermark -q set tl 1
	lock_hold "BEGIN; LOCK TABLE _etl_watermarks IN ACCESS EXCLUSIVE MODE" relation
	start=$(date +%s)
	expect_status 75 etl-watermark --busy-timeout 200ms get tl
	grep -q "lock timeout" err
	expect_status 75 etl-watermark --busy-timeout 200ms set tl 2
	expect_status 75 etl-watermark --busy-timeout 200ms list
	test $(( $(date +%s) - start )) -lt 20
	lock_release
	test "$(etl-watermark get tl)" = 1
'

test_expect "a wrong password: 69, the password never shown" '
	bad="postgresql://etl:Wrong-Secret-99@127.0.0.1:$PORT/etl"
	expect_status 69 etl-watermark --db "$bad" get k
	grep -q "^etl-watermark: postgresql://etl:\*\*\*@127.0.0.1:$PORT/etl: cannot connect: .*password authentication failed" err
	! grep -q "Wrong-Secret-99" err
	! grep -q "$PASSWORD" err
	expect_status 69 etl-watermark --db "$bad" --log-format json set k 1
	! grep -q "Wrong-Secret-99" err
	expect_status 69 etl-watermark -q --db "$bad" --stats st.json list
	! grep -q "Wrong-Secret-99" st.json
	grep -q "\"exit\":69" st.json
'

test_expect "no server on the port, or no such database: 69" '
	expect_status 69 etl-watermark --db "postgresql://etl:$PASSWORD@127.0.0.1:1/etl" get k
	grep -q "cannot connect" err
	! grep -q "$PASSWORD" err
	expect_status 69 etl-watermark --db "postgresql://etl:$PASSWORD@127.0.0.1:$PORT/nodb" set k 1
	grep -q "does not exist" err
'

test_expect "a malformed URI is bad configuration (78)" '
	expect_status 78 etl-watermark --db "postgresql://etl:$PASSWORD@127.0.0.1:$PORT/etl?nosuchparam=1" get k
	grep -q "bad connection URI" err
	! grep -q "$PASSWORD" err
'

test_done
