#!/usr/bin/env bash
# etl-transform on a CSV campaign import (what `etl-extract csv` emits:
# every value a string) with dirty rows: output and dead letters exactly.
. "$(dirname "$0")/lib.sh"

FX=$FIXTURES/transform/campaigns
export FX

test_expect "the clean rows are cast, in spec order, with their hash" '
	expect_status 0 etl-transform --spec "$FX/spec.json" \
	    --errors rejects.ndjson <"$FX/input.ndjson"
	cmp_out "$FX/expected.ndjson" out
'

test_expect "each rejected row names every failing field" '
	rm -f rejects.ndjson
	expect_status 0 etl-transform --spec "$FX/spec.json" \
	    --errors rejects.ndjson <"$FX/input.ndjson"
	cmp_out "$FX/expected-rejects.ndjson" rejects.ndjson
'

test_expect "the summary counts filtered apart from rejected and names the spec" '
	expect_status 0 etl-transform --spec "$FX/spec.json" \
	    --errors rejects.ndjson <"$FX/input.ndjson"
	grep -E "^etl-transform: 12 read, 5 written, 1 filtered, 6 rejected \(spec campaigns v3\) in [0-9.]+ s$" err
'

test_expect "--stats names the spec and the counts" '
	expect_status 0 etl-transform --spec "$FX/spec.json" -q \
	    --errors rejects.ndjson --stats stats.json "$FX/input.ndjson"
	[ ! -s err ]
	sed -E "s/\"(started_at|finished_at)\":\"[^\"]*\"/\"\1\":\"T\"/g; s/\"seconds\":[0-9.e-]+/\"seconds\":S/" \
	    stats.json >got
	printf "%s\n" "{\"tool\":\"etl-transform\",\"status\":\"ok\",\"exit\":0,\"read\":12,\"written\":5,\"filtered\":1,\"rejected\":6,\"spec\":{\"name\":\"campaigns\",\"version\":3},\"started_at\":\"T\",\"finished_at\":\"T\",\"seconds\":S}" >want
	cmp_out want got
'

test_expect "a dead letter fed back after a fix passes" '
	expect_status 0 etl-transform --spec "$FX/spec.json" \
	    --errors rejects.ndjson <"$FX/input.ndjson"
	grep "\"line\":5," rejects.ndjson |
	    sed -E "s/.*\"record\":(\{.*\})\}$/\1/; s/12,000/12000/" >fixed.ndjson
	expect_status 0 etl-transform --spec "$FX/spec.json" fixed.ndjson
	grep -q "\"clicks\":12000," out
'

test_expect "without --errors the first bad row stops the run with 65" '
	expect_status 65 etl-transform --spec "$FX/spec.json" \
	    <"$FX/input.ndjson"
	head -n 3 "$FX/expected.ndjson" >want
	cmp_out want out
	grep -qxF "etl-transform: <stdin>:4: field '"'"'date'"'"': date: no format matched: '"'"'2026-02-30'"'"'; spend: -12 below min 0" err
	grep -q "4 read, 3 written, 0 filtered, 1 rejected (spec campaigns v3)" err
'

test_expect "--max-errors bounds the dead letters" '
	rm -f rejects.ndjson
	expect_status 65 etl-transform --spec "$FX/spec.json" \
	    --errors rejects.ndjson --max-errors 2 <"$FX/input.ndjson"
	[ "$(wc -l <rejects.ndjson)" -eq 3 ]
	grep -q "more than 2 records rejected (--max-errors)" err
'

test_expect "dead letters are appended to, run after run" '
	rm -f rejects.ndjson
	etl-transform --spec "$FX/spec.json" -q --errors rejects.ndjson \
	    <"$FX/input.ndjson" >/dev/null
	etl-transform --spec "$FX/spec.json" -q --errors rejects.ndjson \
	    <"$FX/input.ndjson" >/dev/null
	cat "$FX/expected-rejects.ndjson" "$FX/expected-rejects.ndjson" >want
	cmp_out want rejects.ndjson
'

test_expect "--stamp adds _spec to every record" '
	expect_status 0 etl-transform --spec "$FX/spec.json" --stamp \
	    --errors rejects.ndjson <"$FX/input.ndjson"
	[ "$(grep -c ",\"_spec\":{\"name\":\"campaigns\",\"version\":3}}$" out)" -eq 5 ]
'

test_expect "files are read in order; - is stdin" '
	head -n 2 "$FX/input.ndjson" >a.ndjson
	sed -n 3p "$FX/input.ndjson" >b.ndjson
	expect_status 0 etl-transform --spec "$FX/spec.json" a.ndjson - \
	    <b.ndjson
	head -n 3 "$FX/expected.ndjson" >want
	cmp_out want out
'

test_expect "the hash is stable and only follows the listed fields" '
	printf "%s\n" "{\"date\":\"2026-01-05\",\"campaign\":\"Spring Sale\",\"channel\":\"search\",\"spend\":\"1\",\"clicks\":\"1\",\"conversions\":\"1\"}" |
	    etl-transform --spec "$FX/spec.json" -q >one.ndjson
	head -n 1 "$FX/expected.ndjson" | grep -o "\"row_hash\":\"[0-9a-f]*\"" >want
	grep -o "\"row_hash\":\"[0-9a-f]*\"" one.ndjson >got
	cmp_out want got
'

test_done
