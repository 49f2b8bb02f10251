#!/usr/bin/env bash
# A CSV campaign import: the ad platform's export, read by etl-extract,
# cast and checked by etl-transform with a versioned spec; bad rows go to
# the dead letters with every reason.  See README.md.  Needs etl-extract
# and etl-transform on PATH (`make demo` puts the built ones first).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
for tool in etl-extract etl-transform; do
	if ! command -v "$tool" >/dev/null; then
		echo "run.sh: $tool is not on PATH (try: make demo)" >&2
		exit 69
	fi
done
work=$(mktemp -d "${TMPDIR:-/tmp}/etl-campaign-import.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
cp "$here/campaigns.json" "$here/campaigns.csv" .

echo "== the spec is checked first"
etl-transform --spec campaigns.json --check 2>&1

echo "== import: clean rows out, filtered and rejected rows counted"
etl-extract file campaigns.csv --format csv -q |
    etl-transform --spec campaigns.json --errors rejected.ndjson \
    --stats stats.json -q --stamp

echo "== dead letters are records too: why each row was rejected"
etl-transform --rename error.line=line --rename error.field=field \
    --rename error.message=message --select line,field,message -q \
    rejected.ndjson

echo "== the run's counts name the spec"
etl-transform --rename spec.name=spec --rename spec.version=version \
    --select spec,version,read,written,filtered,rejected -q stats.json
