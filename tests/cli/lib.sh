# Sourced by every tests/cli/tNNNN-*.sh.  Gives each script a temporary
# folder (removed on exit), a fresh $ETL_DB inside it, and:
#   test_expect DESC 'BODY'    run BODY under set -e; count pass or fail
#   expect_status N CMD...     run CMD >out 2>err; its status must be N and
#                              no sanitizer may have spoken
#   must_fail CMD...           any status 1..125 (not a signal, no sanitizer)
#   cmp_out EXPECTED ACTUAL    files equal, else a diff
#   skip_all REASON            nothing to run here: say why, count nothing
set -u

TEST_NAME=$(basename "$0" .sh)
SRC=${ETL_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
FIXTURES=$SRC/tests/fixtures
if [ -n "${ETL_BIN:-}" ]; then
	PATH=$ETL_BIN:$PATH
fi
export PATH
TMP=$(mktemp -d "${TMPDIR:-/tmp}/etl-$TEST_NAME.XXXXXX")
CLEANUP_HOOKS=""
at_exit() {
	for h in $CLEANUP_HOOKS; do "$h" || :; done
	cd / && rm -rf "$TMP"
}
trap at_exit EXIT
cd "$TMP" || exit 1

export ETL_DB="$TMP/etl.db"
unset ETL_LOG_FORMAT NO_COLOR || :
export ASAN_OPTIONS="exitcode=98:detect_leaks=1:abort_on_error=0"
export UBSAN_OPTIONS="halt_on_error=1:exitcode=99:print_stacktrace=1"
export TZ=UTC

T_PASSED=0
T_FAILED=0
T_N=0

test_expect() {
	T_N=$((T_N + 1))
	( set -e; eval "$2" ) >"$TMP/.test.log" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ]; then
		T_PASSED=$((T_PASSED + 1))
		echo "ok $T_N - $TEST_NAME: $1"
	else
		T_FAILED=$((T_FAILED + 1))
		echo "not ok $T_N - $TEST_NAME: $1 (status $rc)"
		sed 's/^/#   /' "$TMP/.test.log" | tail -n 40
	fi
}

sanitizer_spoke() {
	grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:|UndefinedBehaviorSanitizer' "$1" 2>/dev/null
}

expect_status() {
	want=$1
	shift
	got=0
	"$@" >out 2>err || got=$?
	if sanitizer_spoke err; then
		echo "sanitizer report from: $*" >&2
		cat err >&2
		return 1
	fi
	if [ "$got" -ne "$want" ]; then
		echo "expected status $want, got $got from: $*" >&2
		echo "--- stderr:" >&2
		cat err >&2
		return 1
	fi
	return 0
}

must_fail() {
	got=0
	"$@" >out 2>err || got=$?
	if sanitizer_spoke err || [ "$got" -eq 0 ] || [ "$got" -gt 125 ]; then
		echo "expected a clean failure, got status $got from: $*" >&2
		cat err >&2
		return 1
	fi
	return 0
}

cmp_out() {
	if ! cmp -s "$1" "$2"; then
		echo "output differs: $1 vs $2" >&2
		diff -u "$1" "$2" >&2 || :
		return 1
	fi
}

skip_all() {
	echo "# skip $TEST_NAME: $1"
	printf 'skip %s\n' "$TEST_NAME" >>"${ETL_RESULTS:-/dev/null}"
	exit 0
}

test_done() {
	printf '%s %s %s\n' "$TEST_NAME" "$T_PASSED" "$T_FAILED" \
	    >>"${ETL_RESULTS:-/dev/null}"
	[ "$T_FAILED" -eq 0 ]
}
