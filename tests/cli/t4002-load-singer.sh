#!/usr/bin/env bash
# etl-load --input singer: SCHEMA, RECORD, STATE from a Singer tap.
. "$(dirname "$0")/lib.sh"

msgs() {
	cat <<-'M'
	{"type":"SCHEMA","stream":"users","schema":{"properties":{"id":{"type":"integer"}}},"key_properties":["id"]}
	{"type":"RECORD","stream":"users","record":{"id":1,"name":"ann"}}
	{"type":"SCHEMA","stream":"orders","schema":{},"key_properties":["oid"]}
	{"type":"RECORD","stream":"orders","record":{"oid":"a","total":3.5}}
	{"type":"STATE","value":{"bookmarks":{"users":{"updated_at":"2026-01-01T00:00:00Z"}}}}
	{"type":"RECORD","stream":"users","record":{"id":2,"name":"bob"}}
	{"type":"RECORD","stream":"users","record":{"id":1,"name":"ann b"}}
	{"type":"ACTIVATE_VERSION","stream":"users","version":1}
	{"type":"STATE","value":{"bookmarks":{"users":{"updated_at":"2026-01-02T00:00:00Z"}}}}
	M
}

test_expect "streams load into their tables; STATE goes to stdout" '
	msgs | etl-load --input singer --state-key tap >out 2>e
	cat e
	grep -q "9 read, 3 inserted, 1 updated, 0 unchanged, 0 rejected, 2 states" e
	printf "%s\n" "{\"bookmarks\":{\"users\":{\"updated_at\":\"2026-01-01T00:00:00Z\"}}}" \
	    "{\"bookmarks\":{\"users\":{\"updated_at\":\"2026-01-02T00:00:00Z\"}}}" >want
	cmp_out want out
	test "$(sqlite3 "$ETL_DB" "SELECT id, name FROM users ORDER BY id" | tr "\n" " ")" = "1|ann b 2|bob "
	test "$(sqlite3 "$ETL_DB" "SELECT oid, total FROM orders")" = "a|3.5"
	test "$(etl-watermark get singer:tap)" = "{\"bookmarks\":{\"users\":{\"updated_at\":\"2026-01-02T00:00:00Z\"}}}"
'

test_expect "a STATE is written only after the records before it are committed" '
	# A bad record after the first STATE stops the load: the first state
	# was printed (its records committed), the second was not.
	{ msgs | head -n 5; echo "{\"type\":\"RECORD\",\"stream\":\"users\",\"record\":{\"name\":\"no id\"}}";
	  msgs | tail -n 1; } >m2
	expect_status 65 etl-load --db s2.db --input singer m2
	test "$(wc -l <out)" = 1
	test "$(sqlite3 s2.db "SELECT COUNT(*) FROM users")" = 1
	grep -q "m2:6: field .id.: missing" err
'

test_expect "a RECORD before its SCHEMA is a bad record" '
	echo "{\"type\":\"RECORD\",\"stream\":\"x\",\"record\":{\"a\":1}}" >m3
	expect_status 65 etl-load --db s3.db --input singer m3
	grep -q "m3:1: field .stream.: RECORD before the stream.s SCHEMA" err
	etl-load --db s3.db --input singer --errors dl m3 2>/dev/null
	grep -q "\"rule\":\"singer\"" dl
'

test_expect "singer options that do not apply are usage errors" '
	expect_status 64 etl-load --input singer -t users
	expect_status 64 etl-load -t users --state-key x
	expect_status 64 etl-load --input tap
'

test_done
