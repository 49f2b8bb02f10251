# The etl-load cases every backend must pass.  Sourced after lib.sh by
# t4000 (SQLite) and t4100 (PostgreSQL), which define:
#   DB          the --db target
#   dbq SQL     print the rows of a query, fields joined by |
# Each case uses its own table.

load() { etl-load --db "$DB" "$@"; }
rows() { dbq "SELECT * FROM $1 ORDER BY 1"; }

test_expect "a first load inserts; a rerun of the same input changes nothing" '
	printf "%s\n" "{\"id\":1,\"name\":\"a\",\"n\":1.5}" "{\"id\":2,\"name\":\"b\",\"n\":2}" >in
	load -t m_first -k id in 2>e1
	grep -q "^etl-load: 2 read, 2 inserted, 0 updated, 0 unchanged, 0 rejected in" e1
	rows m_first >before
	load -t m_first -k id in 2>e2
	grep -q "^etl-load: 2 read, 0 inserted, 0 updated, 2 unchanged, 0 rejected in" e2
	rows m_first >after
	cmp_out before after
	test "$(dbq "SELECT name FROM m_first WHERE id = 2")" = b
'

test_expect "source-wins updates a changed row; an absent key becomes NULL" '
	printf "%s\n" "{\"id\":1,\"a\":\"x\",\"b\":\"y\"}" "{\"id\":2,\"a\":\"p\",\"b\":\"q\"}" | load -q -t m_src -k id
	printf "%s\n" "{\"id\":1,\"a\":\"x2\"}" "{\"id\":2,\"a\":\"p\",\"b\":\"q\"}" "{\"id\":3,\"a\":\"n\",\"b\":\"m\"}" |
	    load -t m_src -k id 2>e
	grep -q "3 read, 1 inserted, 1 updated, 1 unchanged, 0 rejected" e
	test "$(dbq "SELECT id, a, COALESCE(b, '"'"'NULL'"'"') FROM m_src ORDER BY id" | tr "\n" " ")" = "1|x2|NULL 2|p|q 3|n|m "
'

test_expect "dest-wins keeps existing rows and inserts new ones" '
	printf "%s\n" "{\"id\":1,\"v\":\"old\"}" | load -q -t m_dest -k id
	printf "%s\n" "{\"id\":1,\"v\":\"new\"}" "{\"id\":2,\"v\":\"fresh\"}" |
	    load -t m_dest -k id --conflict dest-wins 2>e
	grep -q "2 read, 1 inserted, 0 updated, 1 unchanged" e
	test "$(dbq "SELECT v FROM m_dest ORDER BY id" | tr "\n" " ")" = "old fresh "
'

test_expect "latest-wins compares timestamps as instants; ties keep the row" '
	printf "%s\n" "{\"id\":1,\"v\":\"a\",\"ts\":\"2026-01-01T10:00:00+02:00\"}" \
	    "{\"id\":2,\"v\":\"b\",\"ts\":\"2026-01-01T00:00:00Z\"}" \
	    "{\"id\":3,\"v\":\"c\",\"ts\":\"2026-01-01T00:00:00Z\"}" | load -q -t m_late -k id
	printf "%s\n" "{\"id\":1,\"v\":\"a2\",\"ts\":\"2026-01-01T08:30:00Z\"}" \
	    "{\"id\":2,\"v\":\"b2\",\"ts\":\"2025-12-31T23:00:00Z\"}" \
	    "{\"id\":3,\"v\":\"c2\",\"ts\":\"2026-01-01T00:00:00Z\"}" |
	    load -t m_late -k id --conflict latest-wins:ts 2>e
	grep -q "3 read, 0 inserted, 1 updated, 2 unchanged" e
	test "$(dbq "SELECT v FROM m_late ORDER BY id" | tr "\n" " ")" = "a2 b c "
'

test_expect "latest-wins compares numbers numerically" '
	printf "%s\n" "{\"id\":1,\"v\":\"a\",\"ver\":9}" | load -q -t m_latenum -k id
	printf "%s\n" "{\"id\":1,\"v\":\"b\",\"ver\":10}" | load -q -t m_latenum -k id --conflict latest-wins:ver
	test "$(dbq "SELECT v FROM m_latenum")" = b
	printf "%s\n" "{\"id\":1,\"v\":\"c\",\"ver\":9}" | load -q -t m_latenum -k id --conflict latest-wins:ver
	test "$(dbq "SELECT v FROM m_latenum")" = b
'

test_expect "latest-wins without a comparable FIELD is a bad record" '
	printf "%s\n" "{\"id\":1,\"v\":\"a\"}" | { expect_status 65 etl-load --db "$DB" -t m_latebad -k id --conflict latest-wins:ts; }
	grep -q "<stdin>:1: field .ts.: missing or not a number or timestamp" err
'

test_expect "merge: non-null values overwrite, nulls keep" '
	printf "%s\n" "{\"id\":1,\"a\":\"x\",\"b\":\"y\"}" | load -q -t m_merge -k id
	printf "%s\n" "{\"id\":1,\"a\":null,\"b\":\"y2\"}" | load -t m_merge -k id --conflict merge 2>e
	grep -q "1 read, 0 inserted, 1 updated" e
	test "$(dbq "SELECT a, b FROM m_merge")" = "x|y2"
	printf "%s\n" "{\"id\":1,\"a\":null}" | load -t m_merge -k id --conflict merge 2>e
	grep -q "1 read, 0 inserted, 0 updated, 1 unchanged" e
'

test_expect "insert mode: a key already there is a bad record" '
	printf "%s\n" "{\"id\":1}" | load -q -t m_ins -k id --mode insert
	printf "%s\n" "{\"id\":2}" "{\"id\":1}" "{\"id\":3}" >in
	expect_status 65 etl-load --db "$DB" -t m_ins -k id --mode insert in
	grep -q "in:2: field .id.: key already in table m_ins (--mode insert)" err
	test "$(dbq "SELECT COUNT(*) FROM m_ins")" = 1
	load -t m_ins -k id --mode insert --errors dl in 2>e
	grep -q "3 read, 2 inserted, 0 updated, 0 unchanged, 1 rejected" e
	grep -q "\"rule\":\"duplicate\"" dl
	grep -q "\"record\":{\"id\":1}" dl
	test "$(dbq "SELECT COUNT(*) FROM m_ins")" = 3
'

test_expect "replace: rows not in the input are deleted, in one transaction" '
	printf "%s\n" "{\"id\":1,\"v\":\"a\"}" "{\"id\":2,\"v\":\"b\"}" "{\"id\":3,\"v\":\"c\"}" | load -q -t m_repl -k id
	printf "%s\n" "{\"id\":2,\"v\":\"b\"}" "{\"id\":3,\"v\":\"c3\"}" "{\"id\":4,\"v\":\"d\"}" |
	    load -t m_repl -k id --mode replace --batch 1 2>e
	grep -q "3 read, 1 inserted, 1 updated, 1 unchanged, 0 rejected, 1 deleted" e
	test "$(dbq "SELECT id, v FROM m_repl ORDER BY id" | tr "\n" " ")" = "2|b 3|c3 4|d "
	: | load -t m_repl -k id --mode replace 2>e
	grep -q "0 read, .*3 deleted" e
	test "$(dbq "SELECT COUNT(*) FROM m_repl")" = 0
'

test_expect "replace keeps the stored row of a rejected record" '
	printf "%s\n" "{\"id\":1,\"v\":\"a\",\"t\":1}" "{\"id\":2,\"v\":\"b\",\"t\":1}" "{\"id\":3,\"v\":\"c\",\"t\":1}" |
	    load -q -t m_replrej -k id
	printf "%s\n" "{\"id\":1,\"v\":\"a2\",\"t\":2}" "{\"id\":2,\"v\":\"no t\"}" "{\"v\":\"no id\",\"t\":3}" |
	    load -t m_replrej -k id --mode replace --conflict latest-wins:t --errors dlr 2>e
	grep -q "3 read, 0 inserted, 1 updated, 0 unchanged, 2 rejected, 1 deleted" e
	test "$(dbq "SELECT id, v FROM m_replrej ORDER BY id" | tr "\n" " ")" = "1|a2 2|b "
	test "$(wc -l <dlr)" = 2
'

test_expect "replace without a key empties and refills" '
	printf "%s\n" "{\"v\":1}" "{\"v\":2}" | load -q -t m_repl2
	printf "%s\n" "{\"v\":3}" | load -t m_repl2 --mode replace 2>e
	grep -q "1 inserted.*2 deleted" e
	test "$(dbq "SELECT v FROM m_repl2")" = 3
'

test_expect "append (no key) keeps every record" '
	printf "%s\n" "{\"v\":1}" "{\"v\":1}" | load -q -t m_app
	printf "%s\n" "{\"v\":1}" | load -t m_app 2>e
	grep -q "1 read, 1 inserted" e
	test "$(dbq "SELECT COUNT(*) FROM m_app")" = 3
'

test_expect "one key twice in a batch: the later record counts" '
	printf "%s\n" "{\"id\":1,\"v\":\"first\"}" "{\"id\":2,\"v\":\"x\"}" "{\"id\":1,\"v\":\"second\"}" |
	    load -t m_dup -k id 2>e
	grep -q "3 read, 2 inserted, 0 updated, 0 unchanged, 0 rejected, 1 duplicates" e
	test "$(dbq "SELECT v FROM m_dup WHERE id = 1")" = second
	printf "%s\n" "{\"id\":1,\"v\":\"new\",\"ts\":2}" "{\"id\":1,\"v\":\"old\",\"ts\":1}" |
	    load -q -t m_dup2 -k id --conflict latest-wins:ts
	test "$(dbq "SELECT v FROM m_dup2")" = new
'

test_expect "a composite key" '
	printf "%s\n" "{\"a\":1,\"b\":\"x\",\"v\":1}" "{\"a\":1,\"b\":\"y\",\"v\":2}" | load -q -t m_comp -k a,b
	printf "%s\n" "{\"a\":1,\"b\":\"y\",\"v\":3}" | load -t m_comp -k a,b 2>e
	grep -q "1 updated" e
	test "$(dbq "SELECT v FROM m_comp ORDER BY b" | tr "\n" " ")" = "1 3 "
'

test_expect "new keys add columns (logged); --strict-schema rejects them" '
	printf "%s\n" "{\"id\":1,\"a\":1}" | load -q -t m_cols -k id
	printf "%s\n" "{\"id\":2,\"a\":2,\"extra\":\"e\"}" | load -t m_cols -k id 2>e
	grep -q "m_cols: added column .extra." e
	test "$(dbq "SELECT extra FROM m_cols WHERE id = 2")" = e
	printf "%s\n" "{\"id\":3,\"more\":1}" | { expect_status 65 etl-load --db "$DB" -t m_cols -k id --strict-schema; }
	grep -q "field .more.: not a column of m_cols (--strict-schema)" err
'

test_expect "names and values shaped like SQL injection are just names and values" '
	printf "%s\n" "{\"id\":\"1; DROP TABLE m_first; --\",\"we\\\"ird\":\"'"'"'); DROP TABLE m_first; --\"}" >inj
	etl-load --db "$DB" -q -t "m_inj\"; DROP TABLE m_first; --" -k id inj
	test "$(dbq "SELECT COUNT(*) FROM m_first")" = 2
	test "$(dbq "SELECT \"we\"\"ird\" FROM \"m_inj\"\"; DROP TABLE m_first; --\"")" = "'"'"'); DROP TABLE m_first; --"
'

test_expect "--emit changed prints inserted and changed records once committed" '
	printf "%s\n" "{\"id\":1,\"v\":1}" "{\"id\":2,\"v\":2}" | load -q -t m_emit -k id
	printf "%s\n" "{\"id\":1,\"v\":1}" "{\"id\":2,\"v\":20}" "{\"id\":3,\"v\":3}" |
	    load -q -t m_emit -k id --emit changed >out
	printf "%s\n" "{\"id\":2,\"v\":20}" "{\"id\":3,\"v\":3}" >want
	cmp_out want out
	printf "%s\n" "{\"id\":1,\"v\":1}" | load -q -t m_emit -k id --emit all >out2
	test "$(cat out2)" = "{\"id\":1,\"v\":1}"
'

test_expect "values load as read, whatever their spelling; --emit passes the text on" '
	cat >in <<-"EOF"
	{"id":9223372036854775807,"a":[1.50,-0,"caf\u00e9"],"o":{"k":1,"k":2},"s":"caf\u00e9 \"q\"","r":1.50}
	{ "id" : -9223372036854775808 , "a" : [1,"x"] , "o" : {} , "s" : "" , "r" : 2.5 }
	EOF
	load -q -t m_spell -k id --emit all in >out
	printf "%s\n" "{\"id\":9223372036854775807,\"a\":[1.50,-0,\"caf\\u00e9\"],\"o\":{\"k\":1,\"k\":2},\"s\":\"caf\\u00e9 \\\"q\\\"\",\"r\":1.50}" \
	    "{\"id\":-9223372036854775808,\"a\":[1,\"x\"],\"o\":{},\"s\":\"\",\"r\":2.5}" >want
	cmp_out want out
	dbq "SELECT id, a, o, s, r FROM m_spell ORDER BY id" >rows
	printf "%s\n" "-9223372036854775808|[1,\"x\"]|{}||2.5" \
	    "9223372036854775807|[1.5,0,\"café\"]|{\"k\":2}|café \"q\"|1.5" >want
	cmp_out want rows
	printf "%s\n" "{\"id\":9223372036854775807,\"a\":[1.5,0,\"café\"],\"o\":{\"k\":2},\"s\":\"café \\\"q\\\"\",\"r\":1.5}" |
	    load -t m_spell -k id 2>e
	grep -q "1 read, 0 inserted, 0 updated, 1 unchanged" e
'

test_expect "a value the table refuses is a bad record; with --errors the rest of its batch loads" '
	dbq "CREATE TABLE m_refuse (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)"
	printf "%s\n" "{\"id\":1,\"n\":1}" "{\"id\":2,\"n\":null}" "{\"id\":3,\"n\":3}" >in
	expect_status 65 etl-load --db "$DB" -t m_refuse -k id in
	grep -qi "in:2: .*null" err
	load -t m_refuse -k id --errors bad in 2>e
	grep -q "3 read, 2 inserted, 0 updated, 0 unchanged, 1 rejected" e
	test "$(dbq "SELECT id FROM m_refuse ORDER BY id" | tr "\n" " ")" = "1 3 "
	grep -q "\"line\":2,\"field\":null,\"rule\":\"constraint\"" bad
'

test_expect "--watermark stores max(FIELD) with the data, never backwards" '
	printf "%s\n" "{\"id\":1,\"ts\":\"2026-01-01T10:00:00+02:00\"}" "{\"id\":2,\"ts\":\"2026-01-01T09:00:00Z\"}" |
	    load -t m_wm -k id --watermark wm:ts 2>e
	grep -q "watermark 2026-01-01T09:00:00Z" e
	test "$(etl-watermark --db "$DB" get wm)" = 2026-01-01T09:00:00Z
	printf "%s\n" "{\"id\":3,\"ts\":\"2025-01-01T00:00:00Z\"}" | load -q -t m_wm -k id --watermark wm:ts
	test "$(etl-watermark --db "$DB" get wm)" = 2026-01-01T09:00:00Z
	printf "%s\n" "{\"id\":4}" | { expect_status 65 etl-load --db "$DB" -t m_wm -k id --watermark wm:ts; }
	grep -q "field .ts.: missing" err
'

test_expect "a bad record stops the load: records before it stay, the watermark does not move" '
	printf "%s\n" "{\"id\":1,\"ts\":1}" | load -q -t m_wmfail -k id --watermark wmf:ts
	printf "%s\n" "{\"id\":2,\"ts\":5}" "not json" "{\"id\":3,\"ts\":6}" |
	    { expect_status 65 etl-load --db "$DB" -t m_wmfail -k id --watermark wmf:ts; }
	grep -q "<stdin>:2: invalid JSON" err
	grep -q "2 read, 1 inserted, 0 updated, 0 unchanged, 1 rejected" err
	test "$(etl-watermark --db "$DB" get wmf)" = 1
	test "$(dbq "SELECT id FROM m_wmfail ORDER BY id" | tr "\n" " ")" = "1 2 "
'

test_expect "counts leave out a batch that was rolled back" '
	printf "%s\n" "{\"id\":1}" | load -q -t m_roll -k id
	printf "%s\n" "{\"id\":2}" "{\"id\":1}" | { expect_status 65 etl-load --db "$DB" -t m_roll -k id --mode insert; }
	grep -q "2 read, 0 inserted, 0 updated, 0 unchanged, 1 rejected" err
	test "$(dbq "SELECT COUNT(*) FROM m_roll")" = 1
	test "$(dbq "SELECT inserted FROM _etl_runs WHERE target = '"'"'m_roll'"'"' ORDER BY id DESC LIMIT 1")" = 0
'

test_expect "batches commit as they fill" '
	for i in 1 2 3 4 5; do echo "{\"id\":$i}"; done | load -q -t m_batch -k id --batch 2 --stats st.json
	test "$(dbq "SELECT COUNT(*) FROM m_batch")" = 5
	grep -q "\"inserted\":5" st.json
'

test_expect "a missing or null key is a bad record naming the line" '
	printf "%s\n" "{\"id\":1}" "{\"x\":2}" >in
	expect_status 65 etl-load --db "$DB" -t m_nokey -k id in
	grep -q "^etl-load: in:2: field .id.: missing (a key must be a string, number or boolean)$" err
	printf "%s\n" "{\"id\":null}" | { expect_status 65 etl-load --db "$DB" -t m_nokey -k id; }
	grep -q "is null" err
'

test_expect "every run is recorded in _etl_runs, with the spec" '
	printf "%s\n" "{\"id\":1,\"_spec\":{\"name\":\"camp\",\"version\":3}}" | load -t m_runs -k id 2>e
	grep -q "spec camp v3" e
	test "$(dbq "SELECT status, read, inserted, spec FROM _etl_runs WHERE target = '"'"'m_runs'"'"'")" = "ok|1|1|camp v3"
'

test_expect "--key naming a column the table lacks is a configuration error" '
	printf "%s\n" "{\"id\":1}" | load -q -t m_cfg -k id
	printf "%s\n" "{\"id\":1}" | { expect_status 78 etl-load --db "$DB" -t m_cfg -k nope; }
	grep -q "table has no column .nope. for --key" err
'

# Every mode x conflict strategy on one scenario.  The table holds
# 1 (a,t=1) 2 (b,t=5) 3 (c,t=1); the input brings 1 (A,t=2) 2 (null,t=3)
# 4 (d,t=1).  Expected: the rows by id, then the counts.
combo_expect() {
	case "$1/$2" in
	upsert/source-wins)  echo "1|A|2 2|NULL|3 3|c|1 4|d|1 ;1 inserted, 2 updated, 0 unchanged" ;;
	upsert/dest-wins)    echo "1|a|1 2|b|5 3|c|1 4|d|1 ;1 inserted, 0 updated, 2 unchanged" ;;
	upsert/latest-wins*) echo "1|A|2 2|b|5 3|c|1 4|d|1 ;1 inserted, 1 updated, 1 unchanged" ;;
	upsert/merge)        echo "1|A|2 2|b|3 3|c|1 4|d|1 ;1 inserted, 2 updated, 0 unchanged" ;;
	replace/source-wins) echo "1|A|2 2|NULL|3 4|d|1 ;1 inserted, 2 updated, 0 unchanged, 0 rejected, 1 deleted" ;;
	replace/dest-wins)   echo "1|a|1 2|b|5 4|d|1 ;1 inserted, 0 updated, 2 unchanged, 0 rejected, 1 deleted" ;;
	replace/latest-wins*) echo "1|A|2 2|b|5 4|d|1 ;1 inserted, 1 updated, 1 unchanged, 0 rejected, 1 deleted" ;;
	replace/merge)       echo "1|A|2 2|b|3 4|d|1 ;1 inserted, 2 updated, 0 unchanged, 0 rejected, 1 deleted" ;;
	insert/*)            echo "1|a|1 2|b|5 3|c|1 4|d|1 ;1 inserted, 0 updated, 0 unchanged, 2 rejected" ;;
	esac
}

test_expect "every mode x conflict strategy" '
	printf "%s\n" "{\"id\":1,\"v\":\"a\",\"t\":1}" "{\"id\":2,\"v\":\"b\",\"t\":5}" "{\"id\":3,\"v\":\"c\",\"t\":1}" >base
	printf "%s\n" "{\"id\":1,\"v\":\"A\",\"t\":2}" "{\"id\":2,\"v\":null,\"t\":3}" "{\"id\":4,\"v\":\"d\",\"t\":1}" >next
	n=0
	for mode in upsert replace insert; do
		for conflict in source-wins dest-wins latest-wins:t merge; do
			n=$((n + 1)); tbl="m_combo_$n"
			load -q -t "$tbl" -k id base
			rc=0
			load -t "$tbl" -k id --mode $mode --conflict $conflict --errors "dl$n" next 2>e || rc=$?
			want=$(combo_expect $mode $conflict)
			got="$(dbq "SELECT id, COALESCE(v, '"'"'NULL'"'"'), t FROM $tbl ORDER BY id" | tr "\n" " ");"
			case "$want" in "$got"*) ;; *) echo "$mode/$conflict: rows $got, want $want"; exit 1 ;; esac
			grep -q "3 read, ${want#*;}" e || { echo "$mode/$conflict:"; cat e; exit 1; }
			test $rc -eq 0
		done
	done
	# append: no key, every record added.
	load -q -t m_combo_app base
	load -t m_combo_app next 2>e
	grep -q "3 read, 3 inserted" e
	test "$(dbq "SELECT COUNT(*) FROM m_combo_app")" = 6
'
