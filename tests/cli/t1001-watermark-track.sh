#!/usr/bin/env bash
# etl-watermark track and commit: pass-through, bad records, pending state.
. "$(dirname "$0")/lib.sh"

rec() { printf '{"id":%s,"ts":"%s"}\n' "$1" "$2"; }

test_expect "track copies input lines unchanged to stdout" '
	{ rec 1 2026-01-01T00:00:00Z; printf "{\"id\": 2 ,  \"ts\":\"2026-01-02T00:00:00Z\", \"n\":1.10}\n"; } >in
	etl-watermark -q track k --field ts <in >out
	cmp_out in out
'

test_expect "track reads a FILE argument and -" '
	rec 1 2026-01-01T00:00:00Z >f1
	etl-watermark -q track k --field ts f1 >o1
	cmp_out f1 o1
	etl-watermark -q track k --field ts - <f1 >o2
	cmp_out f1 o2
'

test_expect "pending is not the value until commit" '
	rec 1 2026-02-01T00:00:00Z | etl-watermark -q track p --field ts >/dev/null
	expect_status 1 etl-watermark get p
	grep -q "pending value awaits commit" err
	etl-watermark -q commit p
	test "$(etl-watermark get p)" = 2026-02-01T00:00:00Z
'

test_expect "commit never moves the value backwards" '
	etl-watermark -q set back 2026-06-01T00:00:00Z
	rec 1 2026-01-01T00:00:00Z | etl-watermark -q track back --field ts >/dev/null
	etl-watermark -q commit back
	test "$(etl-watermark get back)" = 2026-06-01T00:00:00Z
	etl-watermark -q list | grep "\"key\":\"back\"" | grep -q "\"pending\":null"
'

test_expect "commit with nothing pending succeeds and changes nothing" '
	etl-watermark -q set np 5
	expect_status 0 etl-watermark commit np
	test "$(etl-watermark get np)" = 5
	expect_status 0 etl-watermark --db fresh.db commit np
'

test_expect "CRLF, a BOM and blank lines are accepted" '
	printf "\357\273\277{\"ts\":3}\r\n\r\n   \n{\"ts\":10}\r\n{\"ts\":7}" >crlf
	etl-watermark -q track c --field ts crlf >o
	test "$(wc -l <o)" = 3
	etl-watermark -q commit c
	test "$(etl-watermark get c)" = 10
'

test_expect "numbers compare numerically, reals in shortest form" '
	printf "%s\n" "{\"v\":9}" "{\"v\":10}" "{\"v\":2.5}" | etl-watermark -q track n --field v >/dev/null
	etl-watermark -q commit n && test "$(etl-watermark get n)" = 10
	printf "%s\n" "{\"v\":1.1}" "{\"v\":0.5}" | etl-watermark -q track r --field v >/dev/null
	etl-watermark -q commit r && test "$(etl-watermark get r)" = 1.1
'

test_expect "the stored value is the winning record's value as it appeared" '
	printf "%s\n" "{\"ts\":\"2026-01-01T10:00:00+02:00\"}" "{\"ts\":\"2026-01-01T07:00:00Z\"}" |
	    etl-watermark -q track orig --field ts >/dev/null
	etl-watermark -q commit orig
	test "$(etl-watermark get orig)" = 2026-01-01T10:00:00+02:00
'

test_expect "a missing field stops track with 65, naming line and field; no pending" '
	{ rec 1 2026-01-01T00:00:00Z; echo "{\"id\":2}"; rec 3 2026-03-01T00:00:00Z; } >bad
	expect_status 65 etl-watermark track m --field ts bad
	grep -q "^etl-watermark: bad:2: field .ts.: missing$" err
	test "$(wc -l <out)" = 1
	etl-watermark -q commit m
	expect_status 1 etl-watermark get m
'

test_expect "a value of another type or unparsable is a bad record" '
	printf "%s\n" "{\"ts\":\"2026-01-01T00:00:00Z\"}" "{\"ts\":5}" | { expect_status 65 etl-watermark track ty --field ts; }
	grep -q "is a number, but earlier records hold timestamps" err
	echo "{\"ts\":\"yesterday\"}" | { expect_status 65 etl-watermark track ty --field ts; }
	grep -q "neither a number nor an RFC 3339 timestamp" err
	echo "{\"ts\":null}" | { expect_status 65 etl-watermark track ty --field ts; }
	grep -q "is null" err
	echo "[1,2]" | { expect_status 65 etl-watermark track ty --field ts; }
	grep -q "<stdin>:1: not a JSON object (an array)" err
'

test_expect "--errors writes dead letters and goes on" '
	{ rec 1 2026-01-01T00:00:00Z; echo "not json"; echo "{\"id\":2}"; rec 3 2026-03-01T00:00:00Z; } >mixed
	etl-watermark track dl --field ts --errors dead.ndjson mixed >o 2>e
	test "$(wc -l <o)" = 2
	grep -q "4 read, 2 rejected, pending 2026-03-01T00:00:00Z" e
	test "$(sed -n 1p dead.ndjson)" = "{\"error\":{\"tool\":\"etl-watermark\",\"input\":\"mixed\",\"line\":2,\"field\":null,\"rule\":\"json\",\"message\":\"invalid JSON at column 3: invalid token near '"'"'not'"'"'\"},\"raw\":\"not json\"}"
	test "$(sed -n 2p dead.ndjson)" = "{\"error\":{\"tool\":\"etl-watermark\",\"input\":\"mixed\",\"line\":3,\"field\":\"ts\",\"rule\":null,\"message\":\"missing\"},\"record\":{\"id\":2}}"
	etl-watermark -q commit dl
	test "$(etl-watermark get dl)" = 2026-03-01T00:00:00Z
'

test_expect "--max-errors bounds the rejects, then 65" '
	printf "%s\n" "{}" "{}" "{}" "{\"ts\":1}" >three
	expect_status 65 etl-watermark track me --field ts --errors d2 --max-errors 2 three
	grep -q "more than 2 records rejected" err
	test "$(wc -l <d2)" = 3
	expect_status 0 etl-watermark track me --field ts --errors d3 --max-errors 3 three
'

test_expect "no records accepted clears a stale pending value" '
	rec 1 2026-01-01T00:00:00Z | etl-watermark -q track st --field ts >/dev/null
	: | etl-watermark -q track st --field ts
	etl-watermark -q commit st
	expect_status 1 etl-watermark get st
'

test_expect "a line past --max-line is a bad record, not a crash" '
	{ printf "{\"ts\":\""; head -c 5000 /dev/zero | tr "\0" x; printf "\"}\n"; rec 2 2026-01-01T00:00:00Z; } >long
	expect_status 65 etl-watermark track ml --field ts --max-line 1K long
	grep -q "long:1: line longer than --max-line (1024 bytes)" err
	etl-watermark track ml --field ts --max-line 1K --errors dml long >o 2>e
	test "$(wc -l <o)" = 1
	grep -q "\"rule\":\"max-line\"" dml
'

test_expect "a closed stdout ends track quietly, storing nothing" '
	for i in $(seq 1 20000); do rec $i 2026-01-01T00:00:00Z; done >many
	set -o pipefail
	etl-watermark track cl --field ts many 2>e | head -n 1 >/dev/null
	! grep -qi error e
	etl-watermark -q commit cl
	expect_status 1 etl-watermark get cl
'

test_expect "--progress redraws a count on stderr; off by default off a terminal" '
	awk "BEGIN { for (i = 1; i <= 3000; i++) printf \"{\\\"ts\\\":%d}\\n\", i }" >prog
	etl-watermark track pr --field ts --progress prog >/dev/null 2>e
	grep -q "etl-watermark: [0-9]* read, [0-9]*/s" e
	grep -q "$(printf "\r")" e
	etl-watermark track pr --field ts prog >/dev/null 2>e2
	! grep -q "/s" e2
'

test_done
