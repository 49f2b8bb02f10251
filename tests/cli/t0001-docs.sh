#!/usr/bin/env bash
# Docs and --help agree (git's t0450-txt-doc-vs-help.sh is the model).  For
# every binary in $ETL_BIN: man/<tool>.1 exists and is mandoc -Tlint clean;
# the long and short options of --help and of the page's OPTIONS are the same
# sets; the SYNOPSIS is the usage of --help; --help (stdout, status 0, an
# example), --version and an unknown option (64, "Try '<tool> --help'")
# behave.  man/etl.7 is lint clean and names every tool.
. "$(dirname "$0")/lib.sh"

MAN=$SRC/man

if ! command -v mandoc >/dev/null; then
	skip_all "mandoc is not installed (scripts/install-deps installs it)"
fi

lint() {
	mandoc -Tlint -W warning "$1" >lint.out 2>&1 || :
	if [ -s lint.out ]; then
		cat lint.out >&2
		return 1
	fi
}

# Options named in --help: the tokens of the lines that start with blanks
# and a dash, before the example (whose lines may name other tools' options).
help_options() {
	awk 'tolower($0) ~ /^example/ { exit } /^[[:space:]]+-/ { print }' |
	    grep -oE '(^|[[:space:],])--?[A-Za-z0-9][A-Za-z0-9-]*' |
	    sed -E 's/^[[:space:],]+//' | sort -u
}

# Options of the page's OPTIONS section: every "Fl x" on its .It lines.
man_options() {
	awk '/^\.Sh / { on = ($2 == "OPTIONS") } on && /^\.It / { print }' "$1" |
	    grep -oE 'Fl +-?[A-Za-z0-9][A-Za-z0-9-]*' |
	    sed -E 's/^Fl +/-/' | sort -u
}

# The page rendered as plain text (overstrike and underline removed).
man_text() {
	mandoc -Tascii -O width=1000 "$1" | sed 's/.\x08//g'
}

# A synopsis with all white space removed, lower case: the help's "usage:"
# block up to the first blank line, or the page's SYNOPSIS section.
help_synopsis() {
	awk '/^usage: / { on = 1; sub(/^usage: /, "") } on && /^$/ { exit }
	    on { print }' | tr -d ' \t\n' | tr 'A-Z' 'a-z'
}
man_synopsis() {
	man_text "$1" | awk '/^SYNOPSIS$/ { on = 1; next } /^[A-Z]/ { on = 0 }
	    on { print }' | tr -d ' \t\n' | tr 'A-Z' 'a-z'
}

test_expect "man/etl.7 is mandoc -Tlint clean" 'lint "$MAN/etl.7"'

tools=0
for bin in "$ETL_BIN"/etl-*; do
	[ -x "$bin" ] || continue
	tools=$((tools + 1))
	export TOOL=$(basename "$bin") PAGE=$MAN/$(basename "$bin").1

	test_expect "$TOOL: man/$TOOL.1 exists" '[ -f "$PAGE" ]'
	test_expect "$TOOL: man/$TOOL.1 is mandoc -Tlint clean" 'lint "$PAGE"'
	test_expect "$TOOL: etl(7) names it" '
		grep -q "^\.It Xr $TOOL 1" "$MAN/etl.7"
	'

	test_expect "$TOOL --help: status 0, on stdout only, with an example" '
		expect_status 0 "$TOOL" --help
		[ ! -s err ] || { echo "stderr not empty" >&2; exit 1; }
		grep -qi "^example" out || { echo "no example" >&2; exit 1; }
		grep -q "^usage: $TOOL" out
	'
	test_expect "$TOOL: --help and the page list the same options" '
		"$TOOL" --help | help_options >help.opts
		man_options "$PAGE" >man.opts
		[ -s help.opts ] && [ -s man.opts ]
		if ! cmp -s help.opts man.opts; then
			echo "< only in --help, > only in man/$TOOL.1:" >&2
			diff help.opts man.opts >&2
			exit 1
		fi
	'
	test_expect "$TOOL: the page SYNOPSIS is the --help usage" '
		"$TOOL" --help | help_synopsis >help.syn
		man_synopsis "$PAGE" >man.syn
		[ -s help.syn ]
		cmp_out help.syn man.syn
	'
	test_expect "$TOOL --version: status 0, names the tool" '
		expect_status 0 "$TOOL" --version
		grep -q "^$TOOL [0-9]" out
	'
	test_expect "$TOOL --no-such-option: status 64 and a hint" '
		expect_status 64 "$TOOL" --no-such-option
		grep -qF "Try '"'"'$TOOL --help'"'"'" err
		[ ! -s out ]
	'
done

test_expect "there is at least one tool in \$ETL_BIN" '[ "$tools" -gt 0 ]'

test_done
