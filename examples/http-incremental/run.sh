#!/usr/bin/env bash
# An incremental HTTP sync: etl-extract reads an API page by page from
# the last watermark on; etl-watermark tracks the newest updated_at and
# commits it once the records are safely stored.  The API here is the
# test server of scripts/, on 127.0.0.1, so the example runs offline.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
server=""
cleanup() {
	[ -n "$server" ] && kill "$server" 2>/dev/null || :
	rm -rf "$work"
}
trap cleanup EXIT
export ETL_DB=$work/state.db

python3 "$here/../../scripts/test-http-server.py" --routes "$here/routes.json" \
    --port-file "$work/port" --log "$work/requests.ndjson" --max-seconds 60 &
server=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
api="http://127.0.0.1:$(cat "$work/port")/orders?updated_since={since}"

sync() {
	since=$(etl-watermark -q get orders --default 1970-01-01T00:00:00Z)
	echo "# since $since"
	etl-extract -q http "$api" --since "$since" --paginate link \
	    --records data --retries 5 --backoff 200ms |
	    etl-watermark -q track orders --field updated_at \
	    >>"$work/orders.ndjson"
	etl-watermark -q commit orders
	cat "$work/orders.ndjson"
	: >"$work/orders.ndjson"
}

sync
sync
echo "# watermark $(etl-watermark -q get orders)"
