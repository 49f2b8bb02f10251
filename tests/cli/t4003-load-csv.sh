#!/usr/bin/env bash
# etl-load --to csv: RFC 4180 quoting, header union, --columns.
. "$(dirname "$0")/lib.sh"

test_expect "quoting, value rendering and the header" '
	printf "%s\n" "{\"a\":\"plain\",\"b\":\"x,y\",\"c\":\"say \\\"hi\\\"\",\"d\":\"two\\nlines\"}" \
	    "{\"a\":1,\"b\":2.5,\"c\":true,\"d\":null}" "{\"a\":[1,\"x\"],\"b\":{\"k\":\"v\"},\"c\":false,\"d\":\"\"}" |
	    etl-load --to csv >out 2>e
	printf "%s\n" "a,b,c,d" "plain,\"x,y\",\"say \"\"hi\"\"\",\"two" "lines\"" "1,2.5,true," \
	    "\"[1,\"\"x\"\"]\",\"{\"\"k\"\":\"\"v\"\"}\",false," >want
	cmp_out want out
	grep -q "3 read, 3 written, 0 rejected" e
'

test_expect "a key first seen late joins the header; earlier rows get empty fields" '
	printf "%s\n" "{\"id\":1}" "{\"id\":2,\"late\":\"L\"}" "{\"late\":\"M\",\"id\":3,\"later\":9}" |
	    etl-load -q --to csv --out o.csv
	printf "%s\n" "id,late,later" "1,," "2,L," "3,M,9" >want
	cmp_out want o.csv
'

test_expect "--columns streams with a fixed header and drops other keys" '
	printf "%s\n" "{\"id\":1,\"x\":5}" "{\"id\":2,\"y\":6}" | etl-load --to csv --columns id,y >out 2>e
	printf "%s\n" "id,y" "1," "2,6" >want
	cmp_out want out
	test "$(grep -c "is not in --columns" e)" = 1
'

test_expect "--delimiter and dead letters for bad lines" '
	printf "%s\n" "{\"a\":\"x;y\",\"b\":1}" "oops" "{\"a\":\"z\",\"b\":2}" >in
	etl-load -q --to csv --delimiter ";" --errors dl in >out
	printf "%s\n" "a;b" "\"x;y\";1" "z;2" >want
	cmp_out want out
	grep -q "\"raw\":\"oops\"" dl
	expect_status 65 etl-load --to csv in
	grep -q "in:2: invalid JSON" err
'

test_expect "empty input gives empty output" '
	: | etl-load -q --to csv >out
	test ! -s out
'

test_done
