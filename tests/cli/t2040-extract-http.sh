#!/bin/sh
# etl-extract http against the local test server: formats, pagination
# each way, retries, timeouts, cut bodies, errors, templates, redirects.
. "$(dirname "$0")/lib.sh"
. "$FIXTURES/extract/server.sh"

start_server "$FIXTURES/extract/http-routes.json" || exit 1
R="--backoff 10ms --max-backoff 20ms"

count() {
	requests | grep -c "\"path\": \"$1\"" || :
}

ids() {
	printf '{"id":%s}\n' "$@" >expect
}

test_expect 'JSON array, format from Content-Type' '
	expect_status 0 etl-extract http "$BASE/page?page=2" &&
	ids 3 && cmp_out expect out
'

test_expect 'paginate link follows rel=next and stops without it' '
	expect_status 0 etl-extract http "$BASE/link1" --paginate link &&
	ids 1 2 3 && cmp_out expect out &&
	grep -q "2 pages, 3 records, 0 rejected" err
'

test_expect 'paginate next=PATH resolves a relative next URL' '
	expect_status 0 etl-extract http "$BASE/next1" --records items \
	    --paginate next=paging.next &&
	ids 1 2 && cmp_out expect out
'

test_expect 'paginate cursor=PATH,param=NAME sends the cursor back' '
	expect_status 0 etl-extract http "$BASE/cursor" --records data \
	    --paginate cursor=meta.cursor,param=after &&
	ids 1 2 && cmp_out expect out &&
	requests | grep -q "\"query\": \"after=a%20b\"" &&
	requests | grep -q "\"query\": \"after=7\""
'

test_expect 'paginate page=PARAM stops on an empty page' '
	expect_status 0 etl-extract http "$BASE/page" --paginate page=page &&
	ids 1 2 3 && cmp_out expect out &&
	grep -q "3 pages" err
'

test_expect 'paginate offset=PARAM,limit=N stops on a short page' '
	expect_status 0 etl-extract http "$BASE/offset?limit=2" \
	    --records rows --paginate offset=offset,limit=2 &&
	ids 1 2 3 && cmp_out expect out && grep -q "2 pages" err
'

test_expect '--max-pages stops early' '
	expect_status 0 etl-extract http "$BASE/page" --paginate page=page \
	    --max-pages 1 &&
	ids 1 2 && cmp_out expect out
'

test_expect 'a pagination cycle stops with 65' '
	expect_status 65 etl-extract http "$BASE/cycle" --records items \
	    --paginate next=next &&
	ids 1 2 && cmp_out expect out && grep -q "cycle" err
'

test_expect '500 then 200: retried, logged, records once' '
	expect_status 0 etl-extract http "$BASE/flaky" $R &&
	ids 1 && cmp_out expect out &&
	test "$(count /flaky)" -eq 2 &&
	grep -q "HTTP 500: oops; retry 1 of 3" err &&
	grep -q "1 retries" err
'

test_expect '429 with Retry-After is retried' '
	expect_status 0 etl-extract http "$BASE/busy" $R &&
	ids 1 && cmp_out expect out &&
	test "$(count /busy)" -eq 2 && grep -q "Retry-After" err
'

test_expect '503 after the last retry: 75' '
	expect_status 75 etl-extract http "$BASE/down" --retries 2 $R &&
	test "$(count /down)" -eq 3 && test ! -s out &&
	grep -q "HTTP 503: maintenance (after 3 attempts)" err
'

test_expect 'a hang past --timeout is retried, then 75' '
	expect_status 75 etl-extract http "$BASE/hang" --timeout 300ms \
	    --retries 1 $R &&
	test "$(count /hang)" -eq 2 && grep -qi "timeout\|timed out" err
'

test_expect 'a body cut short is retried whole: no duplicates' '
	expect_status 0 etl-extract http "$BASE/cut" $R &&
	ids 1 2 3 && cmp_out expect out && test "$(count /cut)" -eq 2
'

test_expect 'invalid JSON inside a record: 65, --errors keeps it' '
	expect_status 65 etl-extract http "$BASE/bad-json" --records items &&
	ids 1 && cmp_out expect out &&
	expect_status 0 etl-extract http "$BASE/bad-json" --records items \
	    --errors dead.ndjson &&
	ids 1 3 && cmp_out expect out &&
	grep -q "\"raw\":\"{\\\\\"id\\\\\": }\"" dead.ndjson
'

test_expect 'a truncated JSON document: 65' '
	expect_status 65 etl-extract http "$BASE/truncated-json" \
	    --records items --errors dead.ndjson &&
	grep -q "ends early" err
'

test_expect '404: 69 with the status and the body' '
	expect_status 69 etl-extract http "$BASE/missing" $R &&
	grep -q "HTTP 404: {\"error\":\"no such report\"}" err &&
	test "$(count /missing)" -eq 1
'

test_expect 'XML by Content-Type, --records element' '
	expect_status 0 etl-extract http "$BASE/xml" --records item &&
	cat >expect <<-\EOT &&
	{"id":"1","name":"a"}
	{"id":"2","name":"b","tag":["x","y"]}
	EOT
	cmp_out expect out
'

test_expect 'CSV and NDJSON by Content-Type' '
	expect_status 0 etl-extract http "$BASE/csv" &&
	printf "%s\n" "{\"id\":\"1\",\"name\":\"a, b\"}" \
	    "{\"id\":\"2\",\"name\":\"c\"}" >expect && cmp_out expect out &&
	expect_status 0 etl-extract http "$BASE/ndjson" &&
	ids 1 2 && cmp_out expect out
'

test_expect 'gzip responses are decoded' '
	expect_status 0 etl-extract http "$BASE/gzip" && ids 1 2 &&
	cmp_out expect out
'

test_expect 'an unknown Content-Type is sniffed, --format overrides' '
	expect_status 0 etl-extract http "$BASE/plain" && ids 1 &&
	cmp_out expect out &&
	expect_status 65 etl-extract http "$BASE/plain" --format xml &&
	grep -q "not well-formed XML" err
'

test_expect '{since} and {today} are filled in and URL-encoded' '
	expect_status 0 etl-extract http \
	    "$BASE/since?from={since}&day={today}" \
	    --since 2026-01-01T00:00:00Z &&
	requests | grep "\"path\": \"/since\"" | grep -q \
	    "from=2026-01-01T00%3A00%3A00Z&day=[0-9]\{4\}-[0-9][0-9]-[0-9][0-9]\""
'

test_expect '{since} without --since is a usage error' '
	expect_status 64 etl-extract http "$BASE/since?from={since}"
'

test_expect 'POST with a templated body and headers' '
	expect_status 0 etl-extract http "$BASE/post" -X POST \
	    -H "Content-Type: application/json" \
	    --data "{\"since\":\"{since}\"}" --since 2026-02-03 &&
	requests | grep "\"path\": \"/post\"" | grep -q "\"method\": \"POST\"" &&
	requests | grep "\"path\": \"/post\"" |
	    grep -q "\"body\": \"{\\\\\"since\\\\\":\\\\\"2026-02-03\\\\\"}\""
'

test_expect 'secrets never reach the trace or the log' '
	expect_status 0 etl-extract -v http "$BASE/flaky?api_key=s3cr3t" \
	    -H "Authorization: Bearer s3cr3t" -H "X-Api-Token: s3cr3t" $R &&
	grep -q "Authorization: \*\*\*" err &&
	! grep -q s3cr3t err &&
	requests | grep -q "Bearer s3cr3t"
'

test_expect 'redirects: followed, never to file://, bounded' '
	expect_status 0 etl-extract http "$BASE/moved" && ids 1 2 &&
	cmp_out expect out &&
	expect_status 69 etl-extract http "$BASE/to-file" &&
	expect_status 69 etl-extract http "$BASE/loop" --max-redirs 3 &&
	test "$(count /loop)" -eq 4
'

test_expect 'a file:// URL is refused' '
	expect_status 64 etl-extract http "file:///etc/passwd"
'

test_expect 'connection refused: retried, then 75' '
	port=$(cat "$TMP/port") &&
	expect_status 75 etl-extract http "http://127.0.0.1:1/x" \
	    --retries 1 $R
'

test_expect '--rate and --add-meta' '
	expect_status 0 etl-extract http "$BASE/page" --paginate page=page \
	    --rate 50/s --add-meta &&
	test "$(wc -l <out)" -eq 3 &&
	grep -q "\"_source\":\"$BASE/page?page=1\",\"_extracted_at\":\"20" out
'

test_expect '--stats writes the counts' '
	expect_status 0 etl-extract http "$BASE/link1" --paginate link \
	    --stats stats.json &&
	grep -q "\"pages\":2,\"records\":3,\"rejected\":0" stats.json
'

test_done
