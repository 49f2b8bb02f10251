#!/usr/bin/env bash
# etl-match --diff: added, removed, changed with the fields, counts, bad keys.
. "$(dirname "$0")/lib.sh"

printf '%s\n' '{"id":1,"price":10,"name":"a"}' '{"id":2,"price":20,"name":"b"}' \
    '{"id":3,"price":30,"name":"c"}' '{"id":4,"price":1.0,"x":true}' >old
printf '%s\n' '{"name":"b","id":2,"price":20}' '{"id":3,"price":35}' \
    '{"id":5,"price":50,"name":"e"}' '{"id":4, "price": 1.0, "x": true}' >new

test_expect "added, changed with its fields, removed at the end" '
	expect_status 0 etl-match --diff --on id old new
	cat >want <<-\EOT
	{"change":"changed","key":3,"fields":["price","name"],"old":{"id":3,"price":30,"name":"c"},"new":{"id":3,"price":35}}
	{"change":"added","key":5,"new":{"id":5,"price":50,"name":"e"}}
	{"change":"removed","key":1,"old":{"id":1,"price":10,"name":"a"}}
	EOT
	cmp_out want out
	grep -q "etl-match: 4 old, 4 new, 1 added, 1 removed, 1 changed, 2 unchanged, 0 rejected in" err
'

test_expect "a composite key is an array; F=G names OLD and NEW fields" '
	printf "%s\n" "{\"a\":1,\"b\":\"x\",\"v\":1}" >o2
	printf "%s\n" "{\"A\":1,\"b\":\"x\",\"v\":2}" >n2
	expect_status 0 etl-match -q --diff --on a=A --on b o2 n2
	grep -q "^{\"change\":\"changed\",\"key\":\\[1,\"x\"\\],\"fields\":\\[\"A\",\"v\",\"a\"\\]" out
'

test_expect "a duplicate key is a bad record (65), or a dead letter" '
	printf "%s\n" "{\"id\":1}" "{\"id\":1}" >dup
	expect_status 65 etl-match --diff --on id dup new
	grep -q "dup:2: field .id.: duplicate key (first at line 1)" err
	expect_status 0 etl-match -q --diff --on id --errors dl dup new
	grep -q "\"rule\":\"unique\"" dl
	grep -q "\"record\":{\"id\":1}" dl
'

test_expect "a missing or null key is a bad record" '
	printf "%s\n" "{\"id\":1}" "{\"no\":1}" >nokey
	expect_status 65 etl-match --diff --on id old nokey
	grep -q "nokey:2: field .id.: missing key" err
	printf "%s\n" "{\"id\":null}" >nullkey
	expect_status 65 etl-match --diff --on id nullkey new
	grep -q "key is null" err
'

test_expect "--diff takes --on only" '
	expect_status 64 etl-match --diff --fuzzy id old new
	expect_status 64 etl-match --diff --on id --one-to-one old new
'

test_expect "the same file twice: nothing changed" '
	expect_status 0 etl-match --diff --on id old old
	test ! -s out
	grep -q "0 added, 0 removed, 0 changed, 4 unchanged" err
'

test_done
