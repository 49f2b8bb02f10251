#!/usr/bin/env bash
# etl-match --on: exact joins, composite keys, unmatched records, stdin.
. "$(dirname "$0")/lib.sh"

printf '%s\n' '{"id":1,"p":10}' '{"id":2,"p":20}' '{"id":3, "p" : 30.50}' \
    '{"p":40}' >left.ndjson
printf '%s\n' '{"ref":"1","q":"a"}' '{"ref":1,"q":"b"}' '{"ref":3,"q":"c"}' \
    '{"ref":9,"q":"d"}' >right.ndjson

test_expect "F=G join: every RIGHT record with the key, 1 equals \"1\"" '
	expect_status 0 etl-match -q --on id=ref left.ndjson right.ndjson
	cat >want <<-\EOT
	{"left":{"id":1,"p":10},"right":{"ref":"1","q":"a"}}
	{"left":{"id":1,"p":10},"right":{"ref":1,"q":"b"}}
	{"left":{"id":3,"p":30.50},"right":{"ref":3,"q":"c"}}
	EOT
	cmp_out want out
'

test_expect "--left-join keeps LEFT records without a pair" '
	expect_status 0 etl-match -q --on id=ref --left-join left.ndjson \
	    right.ndjson
	grep -qx "{\"left\":{\"id\":2,\"p\":20},\"right\":null}" out
	grep -qx "{\"left\":{\"p\":40},\"right\":null}" out
	test "$(wc -l <out)" -eq 5
'

test_expect "--unmatched both: left ones in place, right ones at the end" '
	expect_status 0 etl-match --on id=ref --unmatched both left.ndjson \
	    right.ndjson
	test "$(sed -n 3p out)" = "{\"unmatched\":\"left\",\"record\":{\"id\":2,\"p\":20}}"
	test "$(tail -n 1 out)" = "{\"unmatched\":\"right\",\"record\":{\"ref\":9,\"q\":\"d\"}}"
	grep -q "etl-match: 4 left, 4 right, 3 matched, 2 unmatched_left, 1 unmatched_right, 0 rejected in" err
'

test_expect "--unmatched right alone; --one-to-one takes each record once" '
	expect_status 0 etl-match -q --on id=ref --unmatched right --one-to-one \
	    left.ndjson right.ndjson
	test "$(grep -c "\"left\":{\"id\":1" out)" -eq 1
	grep -q "{\"unmatched\":\"right\",\"record\":{\"ref\":9" out
	test "$(grep -c unmatched out)" -eq 2
'

test_expect "composite key: every --on field must be equal" '
	printf "%s\n" "{\"a\":1,\"b\":\"x\"}" "{\"a\":1,\"b\":\"y\"}" >l2
	printf "%s\n" "{\"a\":1,\"b\":\"y\",\"r\":1}" >r2
	expect_status 0 etl-match -q --on a --on b l2 r2
	test "$(cat out)" = "{\"left\":{\"a\":1,\"b\":\"y\"},\"right\":{\"a\":1,\"b\":\"y\",\"r\":1}}"
'

test_expect "LEFT or RIGHT from standard input, CRLF, BOM and blank lines" '
	printf "\357\273\277{\"id\":1}\r\n\r\n{\"id\":2}\r\n" >crlf
	etl-match -q --on id crlf - <crlf >o1
	test "$(wc -l <o1)" -eq 2
	etl-match -q --on id - crlf <crlf >o2
	cmp_out o1 o2
	grep -qx "{\"left\":{\"id\":2},\"right\":{\"id\":2}}" o1
'

test_expect "--stats writes the counts" '
	expect_status 0 etl-match -q --on id=ref --stats st.json left.ndjson \
	    right.ndjson
	grep -q "\"left\":4" st.json
	grep -q "\"matched\":3" st.json
	grep -q "\"status\":\"ok\"" st.json
'

test_expect "a closed stdout stops quietly with 0" '
	seq 1 20000 | sed "s/.*/{\"id\":&}/" >many
	etl-match -q --on id many many | head -n 1 >first
	test "$(cat first)" = "{\"left\":{\"id\":1},\"right\":{\"id\":1}}"
	status=0
	{ etl-match -q --on id many many; echo "st=$?" >st; } | head -n 1 >/dev/null
	grep -qx "st=0" st
'

test_done
