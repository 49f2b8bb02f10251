#!/usr/bin/env bash
# Run every tests/cli/tNNNN-*.sh (or those named as arguments) and end
# with "N passed, N failed" counting test cases.
set -u
here=$(cd "$(dirname "$0")" && pwd)
export ETL_SRC=$(cd "$here/../.." && pwd)
export ETL_BIN=${ETL_BIN:-$ETL_SRC/build/bin}
export ETL_RESULTS=$(mktemp "${TMPDIR:-/tmp}/etl-results.XXXXXX")
trap 'rm -f "$ETL_RESULTS"' EXIT

if [ $# -gt 0 ]; then
	scripts=("$@")
else
	scripts=("$here"/t[0-9][0-9][0-9][0-9]-*.sh)
fi
broken=0
for t in "${scripts[@]}"; do
	name=$(basename "$t" .sh)
	before=$(wc -l <"$ETL_RESULTS")
	timeout 600 bash "$t"
	rc=$?
	after=$(wc -l <"$ETL_RESULTS")
	if [ "$after" -eq "$before" ]; then
		# The script died before test_done: count it as one failure.
		echo "not ok - $name: script ended with status $rc before test_done"
		broken=$((broken + 1))
	fi
done
passed=$(awk '$1 != "skip" { p += $2 } END { print p + 0 }' "$ETL_RESULTS")
failed=$(awk '$1 != "skip" { f += $3 } END { print f + 0 }' "$ETL_RESULTS")
skipped=$(awk '$1 == "skip" { s++ } END { print s + 0 }' "$ETL_RESULTS")
failed=$((failed + broken))
echo
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
