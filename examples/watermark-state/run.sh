#!/usr/bin/env bash
# Watermark state across the runs of a small incremental job: see README.md.
# Needs etl-watermark on PATH (`make demo` puts the built one first), sqlite3
# and GNU date.  Works in a temporary folder, removed at the end.
set -euo pipefail

if ! command -v etl-watermark >/dev/null; then
	echo "run.sh: etl-watermark is not on PATH (try: make demo)" >&2
	exit 69
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/etl-watermark-state.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
# Data and state in one database, as in a real job.
export ETL_DB=$work/shop.db

# The source: an API's orders, each stamped with the time it last changed.
# Record 2 is in another offset: 10:30+02:00 is 08:30Z, before record 3.
cat >source.ndjson <<'END'
{"id":1,"total":"12.50","updated_at":"2026-01-01T08:00:00Z"}
{"id":2,"total":"7.00","updated_at":"2026-01-01T10:30:00+02:00"}
{"id":3,"total":"30.00","updated_at":"2026-01-01T09:00:00Z"}
END

# extract SINCE: the records changed after SINCE.  A stand-in for
# `etl-extract http URL --since SINCE`, so that this example needs no
# server (examples/shop-sync runs the real pipeline).
extract() {
	local since line at
	since=$(date -u -d "$1" +%s)
	while IFS= read -r line; do
		at=${line##*\"updated_at\":\"}
		at=${at%%\"*}
		if [ "$(date -u -d "$at" +%s)" -gt "$since" ]; then
			printf '%s\n' "$line"
		fi
	done <source.ndjson
}

# load: upsert the records by id into table orders.  A stand-in for
# `etl-load --table orders --key id` that can be made to fail on cue.
load() {
	sed -e "s/'/''/g" -e "s/.*/INSERT INTO orders (id, doc) VALUES \
(json_extract('&', '\$.id'), '&') ON CONFLICT (id) DO UPDATE SET \
doc = excluded.doc;/" >load.sql
	sqlite3 "$ETL_DB" "CREATE TABLE IF NOT EXISTS orders \
(id INTEGER PRIMARY KEY, doc TEXT NOT NULL)" ".read load.sql"
	echo "loaded $(wc -l <load.sql) records;" \
	    "table orders holds $(sqlite3 "$ETL_DB" 'SELECT count(*) FROM orders')"
}

# load_broken: a load that reads everything, then fails (a full disk, a
# dropped connection...).
load_broken() {
	cat >/dev/null
	echo "load failed" >&2
	return 74
}

# One run of the job: what a cron script does.  With pipefail, a failure
# anywhere in the pipe returns before commit.
run_job() {
	local loader=$1 since

	since=$(etl-watermark get orders -q --default 1970-01-01T00:00:00Z \
	    --lag 5m)
	echo "reading changes since $since"
	extract "$since" |
	    etl-watermark track orders --field updated_at |
	    "$loader" || return
	etl-watermark commit orders
	echo "committed: watermark is $(etl-watermark get orders -q)"
}

state() {
	echo "state:"
	etl-watermark list -q | sed 's/^/  /'
}

echo "== run 1: first run, no watermark yet"
run_job load
state

echo "== run 2: order 2 changes, order 4 is new"
cat >>source.ndjson <<'END'
{"id":2,"total":"8.00","updated_at":"2026-01-01T12:15:00+02:00"}
{"id":4,"total":"5.25","updated_at":"2026-01-01T11:00:00Z"}
END
run_job load

echo "== a watermark only moves forward"
etl-watermark set orders 2026-01-01T00:00:00Z
echo "after set to an older value: $(etl-watermark get orders -q)"

echo "== run 3: order 5 is new, but the load fails"
cat >>source.ndjson <<'END'
{"id":5,"total":"19.90","updated_at":"2026-01-01T12:00:00Z"}
END
if run_job load_broken; then
	echo "run 3 should have failed" >&2
	exit 1
else
	echo "run 3 failed with status $?: nothing committed"
fi
state

echo "== run 4: the next run reads order 5 again"
run_job load
state
