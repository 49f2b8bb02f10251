#!/usr/bin/env bash
# The EXAMPLES of the man pages are tests (jq's manual is its test suite).
# In EXAMPLES, a literal block right after the comment line
#     .\" example: run
# is runnable: its lines starting with "$ " are commands (continued on the
# next line while a line ends in \ | || or &&), and the lines after a
# command, up to the next one, are exactly what it prints on stdout.  The
# blocks of one page run in order, in one empty folder with a new $ETL_DB,
# each command with bash; each must exit 0.  In the expected and the real
# output alike, the updated_at of etl-watermark list lines is blanked.
. "$(dirname "$0")/lib.sh"

# The runnable blocks of a page: "BLOCK" then its lines, mdoc escapes undone.
runnable_blocks() {
	awk '
		/^\.Sh / { inex = ($2 == "EXAMPLES"); want = 0 }
		inex && /^\.\\" example: run[[:space:]]*$/ { want = 1; next }
		inex && want && /^\.Bd -literal/ { inblk = 1; want = 0; print "BLOCK"; next }
		inex && want && /^\.Pp/ { next }
		want { want = 0 }
		inblk && /^\.Ed/ { inblk = 0; next }
		inblk { print }
	' "$1" | sed -e 's/\\e/\\/g' -e 's/\\-/-/g' -e 's/\\&//g' \
	    -e "s/\\\\(aq/'/g" -e 's/\\(dq/"/g'
}

continues() {
	case $1 in
	*\\ | *'|' | *'&&') return 0 ;;
	esac
	return 1
}

# Split the blocks into cmd.N (a command) and exp.N (what it prints).
split_commands() {
	local n=0 mode=none prev="" line
	while IFS= read -r line; do
		if [ "$line" = BLOCK ]; then
			mode=none
			continue
		fi
		case $line in
		'$ '*)
			n=$((n + 1))
			printf '%s\n' "${line#\$ }" >"cmd.$n"
			: >"exp.$n"
			mode=cmd
			;;
		*)
			if [ "$mode" = cmd ] && continues "$prev"; then
				printf '%s\n' "$line" >>"cmd.$n"
			elif [ "$mode" = none ]; then
				echo "a line outside any command: $line" >&2
				return 1
			else
				mode=out
				printf '%s\n' "$line" >>"exp.$n"
			fi
			;;
		esac
		prev=$line
	done
	echo "$n"
}

normalise() {
	sed -E 's/("pending":(null|"[^"]*"),"updated_at":")[^"]*"/\1…"/g' "$1"
}

pages=0
for page in "$SRC"/man/*.[1-9]; do
	grep -q '^\.\\" example: run' "$page" || continue
	pages=$((pages + 1))
	name=$(basename "$page")
	dir=$TMP/$name
	mkdir -p "$dir/run"
	cd "$dir" || exit 1
	if ! runnable_blocks "$page" >blocks || ! count=$(split_commands <blocks); then
		test_expect "$name: its examples can be read" 'false'
		continue
	fi
	test_expect "$name: has runnable examples" '[ "$count" -gt 0 ]'
	for i in $(seq 1 "$count"); do
		export CMD=$dir/cmd.$i EXP=$dir/exp.$i RUN=$dir/run
		export ETL_DB=$RUN/etl.db
		test_expect "$name: \$ $(head -n 1 "$CMD")" '
			cd "$RUN"
			expect_status 0 bash "$CMD"
			normalise out >got
			normalise "$EXP" >want
			cmp_out want got
		'
	done
	cd "$TMP" || exit 1
done

test_expect "man/etl-watermark.1 has runnable examples" '
	grep -q "^\.\\\\\" example: run" "$SRC/man/etl-watermark.1"
'

test_done
