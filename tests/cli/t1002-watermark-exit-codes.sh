#!/usr/bin/env bash
# Every exit status of DESIGN.md section 3 that etl-watermark can give.
. "$(dirname "$0")/lib.sh"

test_expect "64: usage errors print the synopsis and a hint" '
	expect_status 64 etl-watermark
	grep -q "missing command" err
	grep -q "Try .etl-watermark --help." err
	expect_status 64 etl-watermark frobnicate
	expect_status 64 etl-watermark get
	expect_status 64 etl-watermark set k
	expect_status 64 etl-watermark get k extra
	expect_status 64 etl-watermark get k --lag 5
	grep -q "duration needs a unit" err
	expect_status 64 etl-watermark get k --force
	expect_status 64 etl-watermark track k
	expect_status 64 etl-watermark get k --field x
	expect_status 64 etl-watermark --no-such-option list
	expect_status 64 etl-watermark track k --field ts --max-errors 2
	expect_status 64 etl-watermark get k --max-errors x
'

test_expect "0: --help and --version" '
	expect_status 0 etl-watermark --help
	grep -q "^Example:" out
	expect_status 0 etl-watermark --version
	grep -q "^etl-watermark [0-9.]* (libetl [0-9.]*; jansson .*SQLite" out
'

test_expect "65: bad data (see t1001 for track)" '
	echo "{}" | { expect_status 65 etl-watermark track k --field ts; }
'

test_expect "66: a missing input file" '
	expect_status 66 etl-watermark track k --field ts no-such-file
	grep -q "no-such-file: No such file or directory" err
'

test_expect "70: a foreign _etl_watermarks table is an internal error" '
	python3 -c "import sqlite3; sqlite3.connect(\"foreign.db\").execute(\"CREATE TABLE _etl_watermarks (key TEXT PRIMARY KEY)\")"
	expect_status 70 etl-watermark --db foreign.db get k
	grep -q "no such column" err
'

test_expect "73: the database or --errors file cannot be created" '
	expect_status 73 etl-watermark --db "$TMP/no/such/dir/x.db" set k 1
	grep -q "cannot create database" err
	echo "{}" >in
	expect_status 73 etl-watermark track k --field ts --errors "$TMP/no/dir/dl" in
'

test_expect "74: a write error on stdout (disk full)" '
	etl-watermark -q set k 1
	expect_status 74 sh -c "etl-watermark list >/dev/full"
	grep -q "write error on stdout: No space left on device" err
	expect_status 74 sh -c "etl-watermark get k >/dev/full"
	echo "{\"ts\":1}" >in1
	expect_status 74 sh -c "etl-watermark track t --field ts in1 >/dev/full"
	etl-watermark -q commit t
	expect_status 1 etl-watermark get t
'

hold_lock() {
	# A second connection holds the write lock until "release" appears.
	python3 - "$1" <<-PY &
	import os, sqlite3, sys, time
	c = sqlite3.connect(sys.argv[1], isolation_level=None)
	c.execute("BEGIN IMMEDIATE")
	open("locked", "w").close()
	for _ in range(300):
	    if os.path.exists("release"):
	        break
	    time.sleep(0.05)
	c.execute("ROLLBACK")
	PY
	LOCK_PID=$!
	for _ in $(seq 1 200); do [ -e locked ] && return 0; sleep 0.05; done
	return 1
}

test_expect "75: a database locked past --busy-timeout is a temporary failure" '
	etl-watermark -q set k 1
	rm -f locked release
	hold_lock "$ETL_DB"
	expect_status 75 etl-watermark set k 2 --busy-timeout 100ms
	grep -q "database is locked" err
	echo "{\"ts\":3}" >in3
	expect_status 75 etl-watermark track k --field ts --busy-timeout 50ms in3
	touch release; wait $LOCK_PID
	test "$(etl-watermark get k)" = 1
'

test_expect "78: a bad ETL_LOG_FORMAT is a configuration error" '
	ETL_LOG_FORMAT=xml expect_status 78 etl-watermark list
	grep -q "ETL_LOG_FORMAT: invalid value" err
'

test_expect "143 and 130: a signal stops track; nothing is stored" '
	for sig in TERM INT; do
		rm -f fifo o e; mkfifo fifo
		etl-watermark track "s$sig" --field ts <fifo >o 2>e &
		pid=$!
		exec 3>fifo
		echo "{\"ts\":1}" >&3
		for _ in $(seq 1 100); do [ -s o ] && break; sleep 0.05; done
		kill -s $sig $pid
		rc=0; wait $pid || rc=$?
		exec 3>&-
		if [ $sig = TERM ]; then test $rc -eq 143; else test $rc -eq 130; fi
		! sanitizer_spoke e
		etl-watermark -q commit "s$sig"
		expect_status 1 etl-watermark get "s$sig"
	done
'

test_done
