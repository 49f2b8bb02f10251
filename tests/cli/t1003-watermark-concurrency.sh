#!/usr/bin/env bash
# Two processes on one key at once (two cron runs) cannot corrupt state.
. "$(dirname "$0")/lib.sh"

test_expect "interleaved sets from two processes keep the maximum" '
	( for i in $(seq 1 2 59); do etl-watermark -q set c "$i" || exit 1; done ) &
	a=$!
	( for i in $(seq 2 2 60); do etl-watermark -q set c "$i" || exit 1; done ) &
	b=$!
	wait $a && wait $b
	test "$(etl-watermark get c)" = 60
'

make_inputs() {
	for j in 1 2 3 4; do
		for i in $(seq 1 200); do
			printf "{\"id\":%d,\"ts\":\"2026-01-%02dT00:00:00Z\"}\n" \
			    $i $(( (i * j) % 28 + 1 ))
		done >in$j
	done
	# The maxima of in1..in4 are the 28th, 27th, 28th and 25th.
}

# Overlapping track/commit runs of one key may promote each other's
# pending value (DESIGN.md section 5: the cron line wraps jobs in flock);
# what must hold is a consistent database whose value is one run's max.
test_expect "concurrent track and commit runs leave a consistent state" '
	make_inputs
	for j in 1 2 3 4; do
		( etl-watermark -q track tc --field ts in$j >/dev/null &&
		  etl-watermark -q commit tc ) &
	done
	wait
	case "$(etl-watermark get tc)" in
	2026-01-28T00:00:00Z|2026-01-27T00:00:00Z|2026-01-25T00:00:00Z) ;;
	*) echo "unexpected value"; exit 1 ;;
	esac
	python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); assert c.execute(\"PRAGMA integrity_check\").fetchone()[0] == \"ok\"" "$ETL_DB"
	test "$(etl-watermark -q list | grep -c "\"key\":\"tc\"")" -eq 1
'

test_expect "runs serialised with flock, as the cron line does, keep the max" '
	make_inputs
	for j in 1 2 3 4; do
		flock job.lock sh -c "etl-watermark -q track tf --field ts in$j >/dev/null &&
		    etl-watermark -q commit tf" &
	done
	wait
	test "$(etl-watermark get tf)" = 2026-01-28T00:00:00Z
'

test_expect "a reader is not blocked while a writer holds the database" '
	etl-watermark -q set r 1
	python3 - "$ETL_DB" <<-PY
	import sqlite3, subprocess, sys
	c = sqlite3.connect(sys.argv[1], isolation_level=None)
	c.execute("BEGIN IMMEDIATE")
	c.execute("UPDATE _etl_watermarks SET value = 2 WHERE key = ?", ("r",))
	out = subprocess.run(["etl-watermark", "get", "r", "--busy-timeout", "100ms"],
	                     capture_output=True, text=True)
	assert out.returncode == 0, out.stderr
	assert out.stdout == "1\n", out.stdout
	c.execute("COMMIT")
	PY
	test "$(etl-watermark get r)" = 2
'

test_done
