#!/bin/sh
# etl-extract file with CSV: RFC 4180 quoting, BOM, CRLF, ragged rows,
# UTF-8 and legacy encodings.
. "$(dirname "$0")/lib.sh"
D=$FIXTURES/extract/csv

test_expect 'quotes, doubled quotes, newlines in quotes, BOM, CRLF, UTF-8' '
	expect_status 0 etl-extract file "$D/basic.csv" &&
	cmp_out "$D/basic.expected" out &&
	grep -q "3 records, 0 rejected" err
'

test_expect 'stdin with --format csv' '
	expect_status 0 sh -c "etl-extract file --format csv <\"$D/basic.csv\"" &&
	cmp_out "$D/basic.expected" out
'

test_expect 'a ragged row stops with 65 naming its line' '
	expect_status 65 etl-extract file "$D/ragged.csv" &&
	printf "%s\n" "{\"id\":\"1\",\"name\":\"a\"}" >expect &&
	cmp_out expect out &&
	grep -q "ragged.csv:3: 3 fields, the header has 2" err
'

test_expect 'with --errors, ragged rows are dead letters and reading goes on' '
	expect_status 0 etl-extract file "$D/ragged.csv" --errors dead.ndjson &&
	printf "%s\n" "{\"id\":\"1\",\"name\":\"a\"}" \
	    "{\"id\":\"5\",\"name\":\"e\"}" >expect &&
	cmp_out expect out &&
	test "$(wc -l <dead.ndjson)" -eq 3 &&
	grep -q "\"line\":3,.*\"raw\":\"2,b,extra\"" dead.ndjson &&
	grep -q "\"line\":4,.*1 field, the header has 2" dead.ndjson &&
	grep -q "\"line\":5,.*text after a closing quote" dead.ndjson
'

test_expect '--max-errors bounds the rejects' '
	expect_status 65 etl-extract file "$D/ragged.csv" --errors dead.ndjson \
	    --max-errors 1 && grep -q "more than 1 records rejected" err
'

test_expect 'invalid UTF-8 is a bad record naming the line and field' '
	expect_status 65 etl-extract file "$D/cp1252.csv" --delimiter ";" &&
	grep -q "cp1252.csv:2: field .name.: not valid UTF-8" err
'

test_expect '--encoding cp1252 decodes into UTF-8' '
	expect_status 0 etl-extract file "$D/cp1252.csv" --delimiter ";" \
	    --encoding WINDOWS-1252 &&
	cat >expect <<-\EOT &&
	{"id":"1","name":"café","city":"München"}
	{"id":"2","name":"€ sign","city":"“quoted”"}
	EOT
	cmp_out expect out
'

test_expect '--encoding latin1' '
	expect_status 0 etl-extract file "$D/cp1252.csv" --delimiter ";" \
	    --encoding ISO-8859-1 && grep -q "München" out
'

test_expect 'an unknown encoding is a configuration error' '
	expect_status 78 etl-extract file "$D/basic.csv" --encoding nope-42
'

test_expect '.tsv files use tabs' '
	expect_status 0 etl-extract file "$D/tabs.tsv" &&
	printf "%s\n" "{\"id\":\"1\",\"name\":\"a b\"}" \
	    "{\"id\":\"2\",\"name\":\"c\\td\"}" >expect && cmp_out expect out
'

test_expect 'a header only, or an empty file: no records' '
	printf "a,b\n" >h.csv && : >e.csv &&
	expect_status 0 etl-extract file h.csv && test ! -s out &&
	expect_status 0 etl-extract file e.csv && test ! -s out
'

test_expect 'a duplicate column in the header: 65' '
	printf "a,a\n1,2\n" >d.csv &&
	expect_status 65 etl-extract file d.csv && grep -q "twice" err
'

test_expect 'an unterminated quote is a bad record' '
	printf "a,b\n1,\"open\n" >u.csv &&
	expect_status 65 etl-extract file u.csv &&
	grep -q "u.csv:2: unterminated quoted field" err
'

test_expect 'a missing file: 66; a bad option: 64' '
	expect_status 66 etl-extract file nope.csv &&
	grep -q "nope.csv: No such file" err &&
	expect_status 64 etl-extract file "$D/basic.csv" --delimiter "::"
'

test_expect '--add-meta adds _source and _extracted_at' '
	expect_status 0 etl-extract file "$D/basic.csv" --add-meta &&
	head -n 1 out | grep -q "\"_source\":\"$D/basic.csv\",\"_extracted_at\":\"20[0-9-]*T[0-9:]*Z\"}$"
'

test_expect 'a closed stdout stops quietly' '
	expect_status 0 sh -c "etl-extract file \"$D/basic.csv\" | head -n 1"
'

test_done
