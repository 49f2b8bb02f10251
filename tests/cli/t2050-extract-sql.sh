#!/bin/sh
# etl-extract sql: rows as records, types, named parameters.
. "$(dirname "$0")/lib.sh"

sqlite3 src.db <<-\EOT
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT, total REAL,
    updated_at TEXT, photo BLOB, note TEXT);
INSERT INTO orders VALUES (1, 'Ann', 12.5, '2026-01-01T10:00:00Z',
    X'00FF10', NULL);
INSERT INTO orders VALUES (2, 'Bo "B"', 3.0, '2026-01-02T10:00:00Z',
    NULL, 'it''s :not a param');
INSERT INTO orders VALUES (3, 'Zoë', 0.1, '2026-01-03T10:00:00Z', X'', '');
EOT

test_expect 'rows as objects keyed by column, types mapped, BLOB base64' '
	expect_status 0 etl-extract sql src.db \
	    --query "SELECT * FROM orders ORDER BY id" &&
	cat >expect <<-\EOT &&
	{"id":1,"customer":"Ann","total":12.5,"updated_at":"2026-01-01T10:00:00Z","photo":"AP8Q","note":null}
	{"id":2,"customer":"Bo \"B\"","total":3.0,"updated_at":"2026-01-02T10:00:00Z","photo":null,"note":"it'"'"'s :not a param"}
	{"id":3,"customer":"Zoë","total":0.1,"updated_at":"2026-01-03T10:00:00Z","photo":"","note":""}
	EOT
	cmp_out expect out && grep -q "3 records, 0 rejected" err
'

test_expect 'named parameters are bound, used twice, never spliced' '
	expect_status 0 etl-extract sql src.db --query "SELECT id FROM orders
	    WHERE updated_at > :since AND (:since IS NOT NULL) -- :c
	    ORDER BY id" --param since=2026-01-01T12:00:00Z &&
	printf "%s\n" "{\"id\":2}" "{\"id\":3}" >expect && cmp_out expect out &&
	expect_status 0 etl-extract sql src.db \
	    --query "SELECT count(*) AS n FROM orders WHERE customer = :c" \
	    --param "c=x'"'"' OR 1=1 --" &&
	printf "%s\n" "{\"n\":0}" >expect && cmp_out expect out
'

test_expect 'parameters take {since} and {now} placeholders' '
	expect_status 0 etl-extract sql src.db --query "SELECT id FROM orders
	    WHERE updated_at >= :from AND updated_at < :to ORDER BY id" \
	    --param "from={since}" --param "to={now}" \
	    --since 2026-01-03T00:00:00Z &&
	printf "%s\n" "{\"id\":3}" >expect && cmp_out expect out
'

test_expect 'a parameter missing or unused: 64' '
	expect_status 64 etl-extract sql src.db \
	    --query "SELECT * FROM orders WHERE id = :id" &&
	grep -q "no --param id=VALUE" err &&
	expect_status 64 etl-extract sql src.db --query "SELECT 1" \
	    --param x=1
'

test_expect 'a missing database: 66; no --query: 64; bad SQL: 78' '
	expect_status 66 etl-extract sql nope.db --query "SELECT 1" &&
	test ! -e nope.db &&
	expect_status 64 etl-extract sql src.db &&
	expect_status 78 etl-extract sql src.db --query "SELEKT 1"
'

test_expect 'the query cannot change the source' '
	must_fail etl-extract sql src.db --query "DELETE FROM orders" &&
	test "$(sqlite3 src.db "SELECT count(*) FROM orders")" -eq 3
'

test_expect '--add-meta names the database' '
	expect_status 0 etl-extract sql src.db --add-meta \
	    --query "SELECT id FROM orders WHERE id = 1" &&
	grep -q "^{\"id\":1,\"_source\":\"src.db\",\"_extracted_at\":\"" out
'

test_expect 'options of another source are usage errors' '
	expect_status 64 etl-extract sql src.db --query "SELECT 1" \
	    --paginate link &&
	expect_status 64 etl-extract file x.csv --query "SELECT 1" &&
	expect_status 64 etl-extract sql src.db --query "SELECT 1" \
	    --records x
'

test_done
