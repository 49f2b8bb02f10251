#!/bin/sh
# etl-extract file with JSON documents and NDJSON.
. "$(dirname "$0")/lib.sh"
D=$FIXTURES/extract/json

test_expect '--records picks the array inside a document' '
	expect_status 0 etl-extract file "$D/page.json" --records data.items &&
	cmp_out "$D/page.expected" out
'

test_expect 'a top-level array, an object, concatenated documents' '
	printf "[{\"a\":1},\n {\"a\":2}]\n" >arr.json &&
	expect_status 0 etl-extract file arr.json &&
	printf "%s\n" "{\"a\":1}" "{\"a\":2}" >expect && cmp_out expect out &&
	printf "{\"a\":1}\n{\"a\":2}\n" >two.json &&
	expect_status 0 etl-extract file two.json && cmp_out expect out
'

test_expect 'a path to an object makes it the one record' '
	printf "{\"x\":1,\"data\":{\"one\":{\"id\":5}}}" >obj.json &&
	expect_status 0 etl-extract file obj.json --records data.one &&
	printf "%s\n" "{\"id\":5}" >expect && cmp_out expect out
'

test_expect 'a missing path: no records and a warning' '
	expect_status 0 etl-extract file "$D/page.json" --records data.rows &&
	test ! -s out && grep -q "nothing at --records data.rows" err
'

test_expect 'elements that are not objects are bad records' '
	printf "[{\"a\":1}, 2, \"x\", {\"a\":3}]" >mixed.json &&
	expect_status 65 etl-extract file mixed.json &&
	grep -q "mixed.json:1: not a JSON object (a number)" err &&
	expect_status 0 etl-extract file mixed.json --errors dead.ndjson &&
	test "$(wc -l <out)" -eq 2 && test "$(wc -l <dead.ndjson)" -eq 2 &&
	grep -q "\"raw\":\"2\"" dead.ndjson
'

test_expect 'an integer past 64 bits is a bad record, never a float' '
	printf "[{\"n\":12345678901234567890},{\"n\":1}]" >big.json &&
	expect_status 0 etl-extract file big.json --errors dead.ndjson &&
	printf "%s\n" "{\"n\":1}" >expect && cmp_out expect out &&
	grep -q "too big integer" dead.ndjson
'

test_expect 'a truncated document: 65' '
	printf "{\"data\":{\"items\":[{\"id\":1},{\"id\":" >cut.json &&
	expect_status 65 etl-extract file cut.json --records data.items &&
	printf "%s\n" "{\"id\":1}" >expect && cmp_out expect out &&
	grep -q "ends early" err
'

test_expect 'NDJSON: validated pass-through, bad lines named' '
	printf "{\"a\":1}\r\n\n{\"a\":2}\nnot json\n[1]\n{\"a\":3}" >x.ndjson &&
	expect_status 65 etl-extract file x.ndjson &&
	grep -q "x.ndjson:4: invalid JSON" err &&
	expect_status 0 etl-extract file x.ndjson --errors dead.ndjson &&
	printf "%s\n" "{\"a\":1}" "{\"a\":2}" "{\"a\":3}" >expect &&
	cmp_out expect out &&
	grep -q "\"line\":5,.*not a JSON object" dead.ndjson
'

test_expect 'a line over --max-line in NDJSON is a bad record' '
	printf "{\"a\":\"%s\"}\n{\"a\":1}\n" \
	    "$(head -c 3000 /dev/zero | tr "\\0" x)" >long.ndjson &&
	expect_status 0 etl-extract file long.ndjson --max-line 1K \
	    --errors dead.ndjson &&
	printf "%s\n" "{\"a\":1}" >expect && cmp_out expect out &&
	grep -q "longer than --max-line" dead.ndjson
'

test_expect 'invalid UTF-8 in JSON is a bad record' '
	printf "[{\"a\":\"\\351t\\351\"},{\"a\":\"ok\"}]" >latin.json &&
	expect_status 65 etl-extract file latin.json &&
	expect_status 0 etl-extract file latin.json --encoding latin1 &&
	printf "%s\n" "{\"a\":\"été\"}" "{\"a\":\"ok\"}" >expect &&
	cmp_out expect out
'

test_expect 'a bad --records path: 78' '
	expect_status 78 etl-extract file "$D/page.json" --records "data..x"
'

test_done
