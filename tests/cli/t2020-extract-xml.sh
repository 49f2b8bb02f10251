#!/bin/sh
# etl-extract file with XML: the mapping rules of DESIGN.md section 2,
# the ticketing plan-provider feed, and safety (entities, network).
. "$(dirname "$0")/lib.sh"
D=$FIXTURES/extract

test_expect 'plan provider feed: one record per base_plan, arrays forced' '
	expect_status 0 etl-extract file --format xml --records base_plan \
	    --array plan,zone "$D/plans/plans.xml" &&
	cmp_out "$D/plans/expected.ndjson" out &&
	grep -q "3 records, 0 rejected" err
'

test_expect 'a path names the record element: output/base_plan' '
	expect_status 0 etl-extract file --records output/base_plan \
	    --array plan,zone "$D/plans/plans.xml" &&
	cmp_out "$D/plans/expected.ndjson" out &&
	expect_status 0 etl-extract file --records /planList/output/base_plan \
	    --array plan --array zone "$D/plans/plans.xml" &&
	cmp_out "$D/plans/expected.ndjson" out &&
	expect_status 0 etl-extract file --records /output/base_plan \
	    "$D/plans/plans.xml" && test ! -s out
'

test_expect 'without --array a single child stays an object' '
	expect_status 0 etl-extract file --records base_plan \
	    "$D/plans/plans.xml" &&
	sed -n 2p out | grep -q "\"plan\":{\"plan_start_date\"" &&
	sed -n 2p out | grep -q "\"zone\":{\"zone_id\":\"5\""
'

test_expect 'mapping rules: attributes, repeats, text, #text, @name' '
	expect_status 0 etl-extract file "$D/xml/rules.xml" --records book &&
	cmp_out "$D/xml/rules.expected" out
'

test_expect 'without --records, the children of the root are records' '
	expect_status 0 etl-extract file "$D/xml/rules.xml" &&
	cmp_out "$D/xml/rules.expected" out
'

test_expect 'the XML declaration names the encoding' '
	expect_status 0 etl-extract file "$D/xml/latin1.xml" &&
	printf "%s\n" "{\"name\":\"café\",\"#text\":\"München\"}" >expect &&
	cmp_out expect out
'

test_expect 'billion laughs: bounded, refused with 65' '
	expect_status 65 etl-extract file "$D/xml/laughs.xml" &&
	grep -q "entity" err
'

test_expect 'external entities and DTDs are never loaded' '
	expect_status 0 etl-extract file "$D/xml/xxe.xml" &&
	printf "%s\n" "{\"v\":\"\",\"w\":\"\",\"x\":\"plain\"}" >expect &&
	cmp_out expect out && ! grep -q root: out &&
	expect_status 0 etl-extract file "$D/xml/dtd.xml" &&
	printf "%s\n" "{\"a\":\"1\"}" >expect && cmp_out expect out
'

test_expect 'a document that is not well-formed: 65 naming the line' '
	printf "<a>\n<r>1</r>\n<r>2</b>\n</a>\n" >bad.xml &&
	expect_status 65 etl-extract file bad.xml &&
	grep -q "bad.xml:3: not well-formed XML" err &&
	expect_status 65 etl-extract file bad.xml --errors dead.ndjson
'

test_expect 'a record over --max-line is a bad record' '
	printf "<a><r>%s</r><r>short</r></a>" \
	    "$(head -c 3000 /dev/zero | tr "\\0" x)" >big.xml &&
	expect_status 65 etl-extract file big.xml --max-line 1K &&
	expect_status 0 etl-extract file big.xml --max-line 1K \
	    --errors dead.ndjson &&
	printf "%s\n" "{\"#text\":\"short\"}" >expect && cmp_out expect out &&
	grep -q "larger than --max-line" dead.ndjson
'

test_done
