#!/usr/bin/env bash
# etl-match --eval: precision, recall, F1 and blocking recall against known
# pairs; a quick quality run of the generator.
. "$(dirname "$0")/lib.sh"

F=$FIXTURES/match
M="--fuzzy title=name --fuzzy venue=venue_name --near starts_at=date:3h --weight title=2"

test_expect "the fixture: every known pair found at the default threshold" '
	expect_status 0 etl-match -q $M --eval "$F/truth.ndjson" --key id=event_id \
	    "$F/left.ndjson" "$F/right.ndjson"
	grep -q "^{\"threshold\":0.65,\"true_pairs\":7,\"predicted\":7,\"true_positives\":7,\"precision\":1.0,\"recall\":1.0,\"f1\":1.0,\"blocking_recall\":1.0," out
	grep -q "\"curve\":\\[{\"threshold\":0.5," out
	test "$(wc -l <out)" -eq 1
'

test_expect "a wrong pair lowers recall; a threshold changes what is predicted" '
	printf "%s\n" "{\"left\":\"tm-1\",\"right\":\"sg-17\"}" >truth
	expect_status 0 etl-match -q $M --eval truth --key id=event_id \
	    "$F/left.ndjson" "$F/right.ndjson"
	grep -q "\"true_pairs\":1,\"predicted\":7,\"true_positives\":0,\"precision\":0.0,\"recall\":0.0" out
	grep -q "\"blocking_recall\":0.0" out
	expect_status 0 etl-match -q $M --threshold 0.95 --eval "$F/truth.ndjson" \
	    --key id=event_id "$F/left.ndjson" "$F/right.ndjson"
	grep -q "^{\"threshold\":0.95,\"true_pairs\":7,\"predicted\":2," out
'

test_expect "a pairs line without left or right is a bad record" '
	printf "%s\n" "{\"left\":\"tm-1\"}" >badpairs
	expect_status 65 etl-match $M --eval badpairs --key id=event_id \
	    "$F/left.ndjson" "$F/right.ndjson"
	grep -q "badpairs:1: field .right.: missing" err
'

if command -v python3 >/dev/null; then
	test_expect "generated exports: precision and recall at least 0.95" '
		"$SRC/scripts/bench/gen-events" --seed 3 --per-side 1500 --out gen
		expect_status 0 etl-match -q $M --one-to-one --eval gen/truth.ndjson \
		    --key id=event_id gen/left.ndjson gen/right.ndjson
		python3 -c "
import json, sys
m = json.load(open(\"out\"))
sys.exit(0 if m[\"precision\"] >= 0.95 and m[\"recall\"] >= 0.95 else 1)
" || { cat out >&2; exit 1; }
	'
fi

test_done
