#!/usr/bin/env bash
# etl-transform's ad hoc options: compiled to a spec named ad-hoc.
. "$(dirname "$0")/lib.sh"

test_expect "rename, cast, default and require keep the input order" '
	printf "%s\n" "{\"ID\":\"42\",\"price\":\"9.90\",\"note\":\"x\"}" \
	    "{\"ID\":\"43\",\"price\":\"1\",\"clicks\":5}" >in.ndjson
	expect_status 0 etl-transform --rename ID=id --cast id=integer \
	    --cast price=number --default clicks=0 --require id in.ndjson
	printf "%s\n" "{\"id\":42,\"price\":9.9,\"note\":\"x\",\"clicks\":0}" \
	    "{\"id\":43,\"price\":1,\"clicks\":5}" >want
	cmp_out want out
	grep -q "2 read, 2 written, 0 filtered, 0 rejected (spec ad-hoc v0)" err
'

test_expect "--select picks and orders the fields" '
	printf "%s\n" "{\"c\":3,\"b\":\"2\",\"a\":1,\"z\":0}" >in.ndjson
	expect_status 0 etl-transform --select a,bee,c --rename b=bee \
	    --cast bee=integer in.ndjson
	printf "%s\n" "{\"a\":1,\"bee\":2,\"c\":3}" >want
	cmp_out want out
'

test_expect "a missing required field is rejected; an empty one is present" '
	printf "%s\n" "{\"x\":1}" "{\"id\":\"\",\"x\":2}" "{\"y\":1}" \
	    "{\"id\":7,\"x\":3}" >in.ndjson
	rm -f rej.ndjson
	expect_status 0 etl-transform --require id,x --errors rej.ndjson \
	    in.ndjson
	printf "%s\n" "{\"id\":\"\",\"x\":2}" "{\"id\":7,\"x\":3}" >want
	cmp_out want out
	[ "$(wc -l <rej.ndjson)" -eq 2 ]
	grep -q "\"line\":1,\"field\":\"id\",\"rule\":\"required\",\"message\":\"id: missing (required)\"" rej.ndjson
	grep -q "\"line\":3,\"field\":\"id\",\"rule\":\"required\",\"message\":\"id: missing (required); x: missing (required)\"" rej.ndjson
'

test_expect "dates with a format; --default takes JSON or text" '
	printf "%s\n" "{\"d\":\"31/12/2025\"}" >in.ndjson
	expect_status 0 etl-transform --cast "d=date:%d/%m/%Y" \
	    --default "tags=[\"a\"]" --default who=nobody in.ndjson
	printf "%s\n" "{\"d\":\"2025-12-31\",\"tags\":[\"a\"],\"who\":\"nobody\"}" >want
	cmp_out want out
'

test_expect "--where alone filters and passes records through" '
	printf "%s\n" "{\"n\":1,\"s\":\"a\"}" "{\"n\":5,\"s\":\"b\"}" \
	    "{\"s\":\"c\"}" >in.ndjson
	expect_status 0 etl-transform --where "n > 2 || !exists(n)" in.ndjson
	printf "%s\n" "{\"n\":5,\"s\":\"b\"}" "{\"s\":\"c\"}" >want
	cmp_out want out
	grep -q "3 read, 2 written, 1 filtered, 0 rejected" err
'

test_expect "--stamp names the ad hoc spec" '
	echo "{\"a\":1}" | etl-transform --cast a=string --stamp -q >got
	echo "{\"a\":\"1\",\"_spec\":{\"name\":\"ad-hoc\",\"version\":0}}" >want
	cmp_out want got
'

test_done
