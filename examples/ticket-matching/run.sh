#!/usr/bin/env bash
# Match two ticketing exports of the same events and compare their prices:
# see README.md.  Needs etl-match on PATH (`make demo` puts the built one
# first) and python3.  Works in a temporary folder, removed at the end.
set -euo pipefail

if ! command -v etl-match >/dev/null; then
	echo "run.sh: etl-match is not on PATH (try: make demo)" >&2
	exit 69
fi
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/etl-ticket-matching.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"

# Platform A calls it title/venue/starts_at (UTC), platform B name/
# venue_name/date (local time with its offset).  Titles are reordered and
# misspelt, venues aliased, start times a little apart.  Each event is in
# one pair at most; the title counts twice.
etl-match -q --fuzzy title=name --fuzzy venue=venue_name \
    --near starts_at=date:3h --weight title=2 --one-to-one \
    --unmatched both "$here/ticketmaster.ndjson" "$here/seatgeek.ndjson" \
    >pairs.ndjson

# The price of each matched event on both platforms, cheapest side named.
python3 -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    if "unmatched" in r:
        rec = r["record"]
        print("only on %s: %s" % ("A" if r["unmatched"] == "left" else "B",
                                 rec.get("title") or rec.get("name")))
        continue
    a, b = r["left"]["price"], r["right"]["min_price"]
    side = "same" if a == b else ("A cheaper" if a < b else "B cheaper")
    print("%.2f %-48s A %7.2f  B %7.2f  %s"
          % (r["score"], r["left"]["title"], a, b, side))
' <pairs.ndjson

# How sure: the same run scored against the pairs a person checked.
etl-match -q --fuzzy title=name --fuzzy venue=venue_name \
    --near starts_at=date:3h --weight title=2 --one-to-one \
    --eval "$here/checked.ndjson" --key id=event_id \
    "$here/ticketmaster.ndjson" "$here/seatgeek.ndjson" |
    python3 -c '
import json, sys
m = json.load(sys.stdin)
print("precision %.2f, recall %.2f on %d checked pairs"
      % (m["precision"], m["recall"], m["true_pairs"]))
'
