#!/usr/bin/env bash
# etl-match: usage errors (64), bad records (65, dead letters), missing
# files (66).
. "$(dirname "$0")/lib.sh"

printf '%s\n' '{"id":1}' '{"id":2}' >good
printf '%s\n' '{"id":1}' 'not json' '[1,2]' '{"id":3}' >bad

test_expect "usage errors exit 64 with the synopsis" '
	expect_status 64 etl-match good good
	grep -q "nothing to match on" err
	grep -q "^usage: etl-match" err
	expect_status 64 etl-match --on id good
	expect_status 64 etl-match --on id good good extra
	expect_status 64 etl-match --on id - -
	expect_status 64 etl-match --near t good good
	expect_status 64 etl-match --near t:soon good good
	expect_status 64 etl-match --fuzzy t --threshold 2 good good
	expect_status 64 etl-match --fuzzy t --threshold x good good
	expect_status 64 etl-match --fuzzy t --weight u=2 good good
	grep -q "no --fuzzy or --near field .u." err
	expect_status 64 etl-match --fuzzy t --weight t=0 good good
	expect_status 64 etl-match --fuzzy =x good good
	expect_status 64 etl-match --on id --explain good good
	expect_status 64 etl-match --on id --stopwords x good good
	expect_status 64 etl-match --fuzzy t --unmatched middle good good
	expect_status 64 etl-match --fuzzy t --left-join --unmatched left good good
	expect_status 64 etl-match --fuzzy t --eval p good good
	expect_status 64 etl-match --fuzzy t --key id good good
	expect_status 64 etl-match --fuzzy t --max-candidates 0 good good
	expect_status 64 etl-match --on id --max-errors 3 good good
'

test_expect "a line that is not an object stops with 65, file and line" '
	expect_status 65 etl-match --on id bad good
	grep -q "^etl-match: bad:2: invalid JSON" err
	test "$(cat out)" = "{\"left\":{\"id\":1},\"right\":{\"id\":1}}"
	expect_status 65 etl-match --on id good bad
	grep -q "^etl-match: bad:2: invalid JSON" err
	test ! -s out
'

test_expect "--errors: dead letters with the raw line, the run goes on" '
	expect_status 0 etl-match --on id --errors dl bad good
	test "$(wc -l <dl)" -eq 2
	grep -q "\"input\":\"bad\",\"line\":2,.*\"rule\":\"json\".*\"raw\":\"not json\"" dl
	grep -q "\"line\":3,.*not a JSON object" dl
	grep -q "2 rejected" err
	expect_status 65 etl-match --on id --errors dl2 --max-errors 1 bad good
	grep -q "more than 1 records rejected" err
'

test_expect "over-long lines are bad records too" '
	printf "{\"id\":1,\"x\":\"%s\"}\n" "$(head -c 300 /dev/zero | tr "\0" a)" >long
	expect_status 65 etl-match --on id --max-line 100 long good
	grep -q "longer than --max-line" err
'

test_expect "missing files exit 66" '
	expect_status 66 etl-match --on id nope good
	expect_status 66 etl-match --on id good nope
	expect_status 66 etl-match --fuzzy id --eval nope --key id good good
	expect_status 66 etl-match --fuzzy id --markers nope good good
'

test_expect "--errors file that cannot be created: 73" '
	expect_status 73 etl-match --on id --errors /nonexistent/dir/dl good good
'

test_expect "JSON logs carry the summary fields" '
	expect_status 0 etl-match --on id --log-format json good good
	grep -q "\"tool\":\"etl-match\"" err
	grep -q "\"matched\":2" err
'

test_done
