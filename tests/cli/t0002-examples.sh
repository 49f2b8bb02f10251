#!/usr/bin/env bash
# Every examples/*/run.sh runs to status 0 and prints on stdout exactly the
# first fenced block after the "## Output" heading of its README.md.  What
# changes from run to run is written "…" in the README and blanked here in
# the real output too: the updated_at of etl-watermark list lines.
. "$(dirname "$0")/lib.sh"

# README.md -> the fenced block after "## Output".
readme_output() {
	awk '
		/^## Output[[:space:]]*$/ { sect = 1; next }
		/^## / { sect = 0 }
		sect && !inblk && /^```/ { inblk = 1; found = 1; next }
		inblk && /^```/ { exit }
		inblk { print }
		END { if (!found) exit 1 }
	' "$1"
}

normalise() {
	sed -E 's/("pending":(null|"[^"]*"),"updated_at":")[^"]*"/\1…"/g' "$1"
}

n=0
for run in "$SRC"/examples/*/run.sh; do
	[ -e "$run" ] || continue
	n=$((n + 1))
	ex=$(basename "$(dirname "$run")")
	export EX_RUN=$run EX_DIR=$(dirname "$run")
	test_expect "examples/$ex: run.sh uses set -euo pipefail" '
		grep -q "^set -euo pipefail" "$EX_RUN"
	'
	test_expect "examples/$ex: run.sh exits 0" '
		expect_status 0 bash "$EX_RUN"
		cp out "out.$(basename "$EX_DIR")"
	'
	test_expect "examples/$ex: prints what its README says" '
		readme_output "$EX_DIR/README.md" >want || {
			echo "$EX_DIR/README.md: no fenced block after ## Output" >&2
			exit 1
		}
		normalise "out.$(basename "$EX_DIR")" >got
		normalise want >want.n
		cmp_out want.n got
	'
done

test_expect "there is at least one example" '[ "$n" -gt 0 ]'

test_expect "examples/demo.sh uses set -euo pipefail and runs" '
	grep -q "^set -euo pipefail" "$SRC/examples/demo.sh"
	expect_status 0 bash "$SRC/examples/demo.sh"
'

test_done
