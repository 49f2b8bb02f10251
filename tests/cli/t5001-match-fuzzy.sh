#!/usr/bin/env bash
# etl-match --fuzzy/--near: scores, vetoes, explanations, one-to-one and
# determinism, stop words and markers.
. "$(dirname "$0")/lib.sh"

F=$FIXTURES/match
M="--fuzzy title=name --fuzzy venue=venue_name --near starts_at=date:3h --weight title=2"

test_expect "the ticket fixture: the known pairs, in LEFT order" '
	expect_status 0 etl-match -q $M "$F/left.ndjson" "$F/right.ndjson"
	sed -E "s/.*\"id\":\"(tm-[0-9]+)\".*\"event_id\":\"(sg-[0-9]+)\".*/\1 \2/" out >pairs
	cat >want <<-\EOT
	tm-1 sg-10
	tm-2 sg-11
	tm-3 sg-13
	tm-4 sg-12
	tm-5 sg-14
	tm-6 sg-15
	tm-7 sg-16
	EOT
	cmp_out want pairs
	grep -q "^{\"score\":0.9931,\"left\":{\"id\":\"tm-5\"" out
'

test_expect "the parking product does not match the game (veto)" '
	expect_status 0 etl-match -q $M --explain --threshold 0 \
	    "$F/left.ndjson" "$F/right.ndjson"
	! grep -q "\"id\":\"tm-1\".*\"event_id\":\"sg-11\"" out
	! grep -q "\"id\":\"tm-2\".*\"event_id\":\"sg-10\"" out
'

test_expect "Night 1 and Night 2 never cross" '
	expect_status 0 etl-match -q --fuzzy title=name --threshold 0 \
	    "$F/left.ndjson" "$F/right.ndjson"
	! grep -q "Night 1).*Night Two" out
	! grep -q "Night 2).*Night One" out
'

test_expect "a word subset scores below 1; --explain names the veto" '
	printf "%s\n" "{\"t\":\"Lakers\"}" >l
	printf "%s\n" "{\"t\":\"Lakers Celtics\"}" "{\"t\":\"Lakers Parking\"}" \
	    "{\"t\":\"Celtics Heat\"}" >r
	expect_status 0 etl-match -q --fuzzy t --threshold 0 --unmatched left \
	    --explain l r
	grep -q "^{\"score\":0\\.[0-9]*,\"left\":{\"t\":\"Lakers\"},\"right\":{\"t\":\"Lakers Celtics\"}" out
	! grep -q "\"score\":1.0" out
	expect_status 0 etl-match -q --fuzzy t --unmatched left --explain l r2 2>/dev/null || :
	printf "%s\n" "{\"t\":\"Lakers Parking\"}" >r2
	expect_status 0 etl-match -q --fuzzy t --unmatched left --explain l r2
	grep -q "\"unmatched\":\"left\"" out
	grep -q "\"veto\":\"'"'"'parking'"'"' on the right only\"" out
'

test_expect "--one-to-one: the same output for shuffled inputs, twice" '
	expect_status 0 etl-match -q $M --one-to-one --unmatched both \
	    "$F/left.ndjson" "$F/right.ndjson"
	mv out a
	tac "$F/left.ndjson" >l.rev
	awk "NR % 2 == 0" "$F/right.ndjson" >r.shuf
	awk "NR % 2 == 1" "$F/right.ndjson" >>r.shuf
	expect_status 0 etl-match -q $M --one-to-one --unmatched both l.rev r.shuf
	cmp_out a out
	expect_status 0 etl-match -q $M --one-to-one --unmatched both l.rev r.shuf
	cmp_out a out
	grep -q "{\"unmatched\":\"right\",\"record\":{\"event_id\":\"sg-17\"" a
	grep -q "{\"unmatched\":\"left\",\"record\":{\"id\":\"tm-8\"" a
'

test_expect "without --one-to-one the set of pairs does not depend on order" '
	etl-match -q $M "$F/left.ndjson" "$F/right.ndjson" | sort >a
	tac "$F/right.ndjson" >r.rev
	etl-match -q $M "$F/left.ndjson" r.rev | sort >b
	cmp_out a b
'

test_expect "--explain gives every field its score and weight" '
	expect_status 0 etl-match -q $M --explain "$F/left.ndjson" "$F/right.ndjson"
	grep -q "\"explain\":{\"title=name\":{\"score\":1.0,\"weight\":2.0},\"venue=venue_name\":{\"score\":1.0,\"weight\":1.0},\"starts_at=date\":{\"score\":0.9722,\"weight\":1.0}}" out
'

test_expect "--near alone, on numbers" '
	printf "%s\n" "{\"p\":10}" "{\"p\":100}" >l
	printf "%s\n" "{\"price\":10.4}" "{\"price\":12}" "{\"price\":\"n/a\"}" >r
	expect_status 0 etl-match -q --near p=price:1 l r
	test "$(cat out)" = "{\"score\":0.84,\"left\":{\"p\":10},\"right\":{\"price\":10.4}}"
'

test_expect "--on with --fuzzy: the key must be equal too" '
	printf "%s\n" "{\"c\":\"NY\",\"t\":\"Hamilton\"}" >l
	printf "%s\n" "{\"c\":\"CHI\",\"t\":\"Hamilton\"}" "{\"c\":\"NY\",\"t\":\"Hamilton\"}" >r
	expect_status 0 etl-match -q --on c --fuzzy t l r
	test "$(cat out)" = "{\"score\":1.0,\"left\":{\"c\":\"NY\",\"t\":\"Hamilton\"},\"right\":{\"c\":\"NY\",\"t\":\"Hamilton\"}}"
'

test_expect "--stopwords replaces the list; --markers too" '
	printf "%s\n" "{\"t\":\"The Lakers\"}" >l
	printf "%s\n" "{\"t\":\"Lakers\"}" >r
	etl-match -q --fuzzy t l r >o1
	grep -q "\"score\":1.0" o1
	printf "# none\n" >nostop
	etl-match -q --fuzzy t --stopwords nostop --threshold 0 l r >o2
	! grep -q "\"score\":1.0" o2
	printf "%s\n" "{\"t\":\"Lakers Parking\"}" >l
	etl-match -q --fuzzy t --threshold 0 --unmatched left l r >o3
	grep -q unmatched o3
	printf "vip\n" >markers
	etl-match -q --fuzzy t --markers markers --threshold 0 l r >o4
	grep -q "\"score\":" o4
	expect_status 66 etl-match --fuzzy t --stopwords nope l r
'

test_expect "accents, case and misspellings" '
	printf "%s\n" "{\"t\":\"BEYONCÉ Renaissance\"}" "{\"t\":\"Tayler Swiftt\"}" >l
	printf "%s\n" "{\"t\":\"beyonce renaissance\"}" "{\"t\":\"Taylor Swift\"}" >r
	expect_status 0 etl-match -q --fuzzy t l r
	test "$(wc -l <out)" -eq 2
	grep -q "^{\"score\":1.0,\"left\":{\"t\":\"BEYONCÉ" out
'

test_done
