#!/usr/bin/env bash
# etl-transform's exit statuses and stream contract (DESIGN.md 1 and 3).
. "$(dirname "$0")/lib.sh"

spec() {
	printf '%s\n' '{"name":"n","version":1,"fields":{"n":{"type":"integer","min":0}}}' >n.json
}

test_expect "66: an input file is missing" '
	spec
	expect_status 66 etl-transform --spec n.json nope.ndjson
'

test_expect "65: a line that is not JSON, without --errors" '
	spec
	printf "%s\n" "{\"n\":1}" "[1]" >in.ndjson
	expect_status 65 etl-transform --spec n.json in.ndjson
	grep -qxF "etl-transform: in.ndjson:2: not a JSON object (an array)" err
	echo "{\"n\":1}" >want
	cmp_out want out
'

test_expect "a line longer than --max-line is a bad record" '
	spec
	printf "%s\n" "{\"n\":\"1234567890\"}" "{\"n\":2}" >in.ndjson
	rm -f rej.ndjson
	expect_status 0 etl-transform --spec n.json --max-line 10 \
	    --errors rej.ndjson in.ndjson
	grep -q "\"rule\":\"max-line\"" rej.ndjson
	echo "{\"n\":2}" >want
	cmp_out want out
'

test_expect "huge JSON numbers and invalid UTF-8 are bad records, never floats" '
	printf "{\"n\":12345678901234567890}\n{\"n\":\"ab\377c\"}\n{\"n\":1e400}\n{\"n\":\"12345678901234567890\"}\n" >in.ndjson
	rm -f rej.ndjson
	expect_status 0 etl-transform --cast n=number --errors rej.ndjson \
	    in.ndjson
	[ ! -s out ]
	[ "$(grep -c "\"rule\":\"json\"" rej.ndjson)" -eq 3 ]
	grep -q "too big integer" rej.ndjson
	grep -qF "ab$(printf "\357\277\275")c" rej.ndjson
	grep -q "\"line\":4,\"field\":\"n\",\"rule\":\"type\",\"message\":\"n: too large to be exact as a number" rej.ndjson
'

test_expect "blank lines, CRLF and a BOM are fine" '
	spec
	printf "\357\273\277{\"n\":\"1\"}\r\n\n  \n{\"n\":2}" >in.ndjson
	expect_status 0 etl-transform --spec n.json in.ndjson
	printf "%s\n" "{\"n\":1}" "{\"n\":2}" >want
	cmp_out want out
'

test_expect "73: the dead-letter file cannot be created" '
	spec
	echo "{\"n\":1}" >in.ndjson
	expect_status 73 etl-transform --spec n.json --errors no/such/dir/x \
	    in.ndjson
'

test_expect "74: stdout is full" '
	spec
	echo "{\"n\":1}" >in.ndjson
	rc=0
	etl-transform --spec n.json in.ndjson >/dev/full 2>err || rc=$?
	[ "$rc" -eq 74 ]
	grep -q "No space left on device" err
'

test_expect "0: a reader that stops early (| head) is not an error" '
	spec
	for i in $(seq 1 50000); do echo "{\"n\":$i}"; done >big.ndjson
	set -o pipefail
	etl-transform --spec n.json big.ndjson 2>err | head -n 1 >got
	echo "{\"n\":1}" >want
	cmp_out want got
'

test_expect "130/143: a signal stops the run" '
	spec
	mkfifo fifo
	( echo "{\"n\":1}"; sleep 5 ) >fifo &
	etl-transform --spec n.json fifo >got 2>err &
	pid=$!
	sleep 0.5
	kill -TERM $pid
	rc=0
	wait $pid || rc=$?
	[ "$rc" -eq 143 ]
'

test_done
