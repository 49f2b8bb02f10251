#!/usr/bin/env bash
# etl-load under kill -9, a full disk, and a reader querying meanwhile.
. "$(dirname "$0")/lib.sh"

gen() {	# gen N [SUFFIX]: N records with ids 1..N
	awk -v n="$1" -v s="${2:-}" 'BEGIN { for (i = 1; i <= n; i++)
		printf "{\"id\":%d,\"title\":\"event %d%s\",\"price\":%d.5,\"tags\":[\"a\",\"b\"]}\n", i, i, s, i % 97 }'
}

test_expect "kill -9 mid-load leaves a batch boundary; a rerun converges" '
	gen 200000 >big
	etl-load --db ref.db -q -t ev -k id big
	etl-load --db crash.db -q -t ev -k id --batch 500 big &
	pid=$!
	for _ in $(seq 1 400); do
		n=$(sqlite3 crash.db "SELECT COUNT(*) FROM ev" 2>/dev/null || echo 0)
		[ "${n:-0}" -ge 1000 ] && break
		sleep 0.02
	done
	kill -9 $pid; wait $pid || :
	n=$(sqlite3 crash.db "SELECT COUNT(*) FROM ev")
	echo "rows after kill: $n"
	test $((n % 500)) -eq 0
	test "$(sqlite3 crash.db "PRAGMA integrity_check")" = ok
	etl-load --db crash.db -q -t ev -k id --batch 500 big
	sqlite3 ref.db "SELECT * FROM ev ORDER BY id" >want
	sqlite3 crash.db "SELECT * FROM ev ORDER BY id" >got
	cmp_out want got
	test "$(sqlite3 crash.db "SELECT status FROM _etl_runs ORDER BY id LIMIT 1")" = running
	test "$(sqlite3 crash.db "SELECT status FROM _etl_runs ORDER BY id DESC LIMIT 1")" = ok
'

test_expect "a full disk (RLIMIT_FSIZE) gives 74 and leaves the table intact" '
	gen 2000 >small
	etl-load --db full.db -q -t ev -k id small
	sqlite3 full.db "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
	sqlite3 full.db "SELECT * FROM ev ORDER BY id" >before
	gen 100000 " with a much longer title to fill pages" >bigger
	size=$(stat -c %s full.db)
	rc=0
	( ulimit -f $(( (size + 262144) / 1024 )); exec etl-load --db full.db -t ev -k id bigger ) 2>e || rc=$?
	cat e
	test $rc -eq 74
	grep -q "full.db" e
	sqlite3 full.db "SELECT * FROM ev ORDER BY id" >after
	test "$(sqlite3 full.db "PRAGMA integrity_check")" = ok
	# Batches before the failing one may have committed; the rows of
	# the first load that no committed batch touched are as they were.
	n=$(sqlite3 full.db "SELECT COUNT(*) FROM ev")
	test "$n" -ge 2000
	test $((n % 1000)) -eq 0
'

test_expect "readers query during a load, and an open read does not block it" '
	gen 150000 >r
	etl-load --db reader.db -q -t ev -k id --batch 200 r &
	pid=$!
	ok=0 fail=0
	for _ in $(seq 1 100); do
		if sqlite3 -cmd ".timeout 2000" reader.db "SELECT COUNT(*) FROM ev" >/dev/null 2>re; then
			ok=$((ok + 1))
		elif grep -q "no such table" re; then
			:
		else
			fail=$((fail + 1)); cat re
		fi
		kill -0 $pid 2>/dev/null || break
		sleep 0.01
	done
	wait $pid
	echo "reads: $ok ok, $fail failed"
	test $fail -eq 0
	test "$(sqlite3 reader.db "SELECT COUNT(*) FROM ev")" = 150000
	# A read transaction held open through a whole second load.
	gen 20000 " again" >r2
	python3 - reader.db r2 <<-PY
	import sqlite3, subprocess, sys
	c = sqlite3.connect(sys.argv[1], isolation_level=None)
	c.execute("BEGIN")
	q = "SELECT COUNT(*) FROM ev WHERE title LIKE ?"
	before = c.execute(q, ("%again",)).fetchone()[0]
	p = subprocess.run(["etl-load", "--db", sys.argv[1], "-q", "-t", "ev", "-k", "id",
	                    "--busy-timeout", "5s", sys.argv[2]], capture_output=True, text=True)
	assert p.returncode == 0, p.stderr
	still = c.execute(q, ("%again",)).fetchone()[0]
	assert before == still == 0, (before, still)
	c.execute("COMMIT")
	after = c.execute(q, ("%again",)).fetchone()[0]
	assert after == 20000, after
	PY
'

test_done
