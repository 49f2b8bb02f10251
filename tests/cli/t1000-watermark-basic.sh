#!/usr/bin/env bash
# etl-watermark get, set, list, delete, commit: values, ordering, exits.
. "$(dirname "$0")/lib.sh"

test_expect "the issue's example prints the later instant" '
	printf "%s\n" "{\"id\":1,\"updated_at\":\"2026-01-01T10:00:00+02:00\"}" \
	    "{\"id\":2,\"updated_at\":\"2026-01-01T09:00:00Z\"}" |
	    etl-watermark track t --field updated_at >/dev/null
	etl-watermark commit t
	test "$(etl-watermark get t)" = 2026-01-01T09:00:00Z
'

test_expect "get of an unset key: message and exit 1" '
	expect_status 1 etl-watermark get nope
	test ! -s out
	grep -q "nope: not set" err
'

test_expect "get on a database that does not exist yet: unset, no file made" '
	expect_status 1 etl-watermark --db "$TMP/none.db" get k
	test ! -e "$TMP/none.db"
	expect_status 0 etl-watermark --db "$TMP/none.db" get k --default 0
	test "$(cat out)" = 0
	test ! -e "$TMP/none.db"
'

test_expect "--default is printed as given, not lagged" '
	expect_status 0 etl-watermark get fresh --default 1970-01-01T00:00:00Z --lag 5m
	test "$(cat out)" = 1970-01-01T00:00:00Z
'

test_expect "set, then get with --lag moves a timestamp back in UTC" '
	etl-watermark -q set lagged 2026-03-01T00:02:00+01:00
	test "$(etl-watermark get lagged)" = 2026-03-01T00:02:00+01:00
	test "$(etl-watermark get lagged --lag 5m)" = 2026-02-28T22:57:00Z
	test "$(etl-watermark get lagged --lag=1d)" = 2026-02-27T23:02:00Z
'

test_expect "--lag on a number is bad data (65)" '
	etl-watermark -q set num 42
	expect_status 65 etl-watermark get num --lag 5m
	grep -q "needs a timestamp" err
'

test_expect "set never moves backwards; a warning and exit 0" '
	etl-watermark -q set w 2026-05-01T00:00:00Z
	expect_status 0 etl-watermark set w 2026-04-01T00:00:00Z
	grep -q "kept the stored value" err
	test "$(etl-watermark get w)" = 2026-05-01T00:00:00Z
	etl-watermark -q set w 2026-05-01T00:00:01Z
	test "$(etl-watermark get w)" = 2026-05-01T00:00:01Z
'

test_expect "set --force moves back and stores any text" '
	etl-watermark -q set w2 2026-05-01T00:00:00Z
	etl-watermark -q set w2 2020-01-01T00:00:00Z --force
	test "$(etl-watermark get w2)" = 2020-01-01T00:00:00Z
	etl-watermark -q set cursor opaque-token-abc --force
	test "$(etl-watermark get cursor)" = opaque-token-abc
'

test_expect "numbers order exactly, beyond 64-bit floats" '
	etl-watermark -q set big 12345678901234567890
	etl-watermark -q set big 12345678901234567891
	test "$(etl-watermark get big)" = 12345678901234567891
	etl-watermark -q set big 9999999999999999999
	test "$(etl-watermark get big)" = 12345678901234567891
	etl-watermark -q set dec 1.5
	etl-watermark -q set dec 1.25
	test "$(etl-watermark get dec)" = 1.5
'

test_expect "an incomparable value is bad data unless --force" '
	etl-watermark -q set mix 2026-01-01T00:00:00Z
	expect_status 65 etl-watermark set mix 17
	grep -q "cannot be compared" err
	expect_status 65 etl-watermark set newkey not-a-value
	grep -q "use --force" err
	expect_status 1 etl-watermark get newkey
'

test_expect "list prints NDJSON in key order" '
	etl-watermark --db l.db -q set b 2
	etl-watermark --db l.db -q set a 2026-01-01T00:00:00Z
	etl-watermark --db l.db -q list >list.out
	test "$(wc -l <list.out)" = 2
	head -n1 list.out | grep -q "^{\"key\":\"a\",\"value\":\"2026-01-01T00:00:00Z\",\"pending\":null,\"updated_at\":\"20"
	sed -n 2p list.out | grep -q "^{\"key\":\"b\",\"value\":\"2\",\"pending\":null,"
	etl-watermark --db empty.db -q list >empty.out
	test ! -s empty.out
'

test_expect "delete removes; deleting an unset key exits 1" '
	etl-watermark -q set gone 5
	etl-watermark -q delete gone
	expect_status 1 etl-watermark get gone
	expect_status 1 etl-watermark delete gone
'

test_expect "ETL_DB chooses the database, --db overrides it" '
	ETL_DB=env.db etl-watermark -q set k 1
	etl-watermark --db env.db get k >v && test "$(cat v)" = 1
	expect_status 1 etl-watermark get k
'

test_expect "without ETL_DB the database is ./etl.db" '
	mkdir -p cwd && cd cwd
	env -u ETL_DB etl-watermark -q set k 3
	test -f etl.db
'

test_expect "a new database is created with mode 0600" '
	umask 022
	etl-watermark --db perm.db -q set k 1
	test "$(stat -c %a perm.db)" = 600
'

test_expect "summary line on stderr, none with -q; --stats writes JSON" '
	etl-watermark set s 1 2>err1
	grep -q "^etl-watermark: set s: value 1 in [0-9.]* s$" err1
	etl-watermark -q set s 2 2>err2
	test ! -s err2
	etl-watermark -q --stats st.json set s 3
	grep -q "\"tool\":\"etl-watermark\"" st.json
	grep -q "\"status\":\"ok\",\"exit\":0" st.json
'

test_expect "--log-format json logs one object per line" '
	expect_status 1 etl-watermark --log-format json get nope
	grep -q "^{\"ts\":\"[0-9T:.-]*Z\",\"level\":\"error\",\"tool\":\"etl-watermark\",\"msg\":\"nope: not set\"" err
	ETL_LOG_FORMAT=json etl-watermark set j 1 2>err
	grep -q "\"level\":\"info\"" err
'

test_done
