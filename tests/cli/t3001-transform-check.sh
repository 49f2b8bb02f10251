#!/usr/bin/env bash
# etl-transform --check and bad specs: exit 78 with one line naming the
# spec file and the place of the problem; usage errors 64; missing 66.
. "$(dirname "$0")/lib.sh"

FX=$FIXTURES/transform/campaigns
export FX

# bad_spec JSON MESSAGE: --check and a run both say exactly MESSAGE.
bad_spec() {
	printf '%s\n' "$1" >campaigns.json
	expect_status 78 etl-transform --spec campaigns.json --check
	printf '%s\n' "etl-transform: $2" >want
	cmp_out want err
	[ ! -s out ]
	expect_status 78 etl-transform --spec campaigns.json </dev/null
	cmp_out want err
}

test_expect "--check of a good spec: 0 and one line" '
	expect_status 0 etl-transform --spec "$FX/spec.json" --check
	[ ! -s out ]
	grep -qxF "etl-transform: $FX/spec.json: ok: spec campaigns v3, 6 fields" err
	[ "$(wc -l <err)" -eq 1 ]
'

test_expect "--check -q says nothing" '
	expect_status 0 etl-transform --spec "$FX/spec.json" --check -q
	[ ! -s out ] && [ ! -s err ]
'

test_expect "a bound of the wrong type" '
	bad_spec "{\"name\":\"campaigns\",\"version\":3,\"fields\":{\"spend\":{\"type\":\"number\",\"min\":\"0\"}}}" \
	    "campaigns.json: fields.spend.min: expected a number"
'

test_expect "a typo in a key" '
	bad_spec "{\"name\":\"c\",\"version\":1,\"fields\":{\"spend\":{\"type\":\"number\",\"minimum\":0}}}" \
	    "campaigns.json: fields.spend.minimum: unknown key"
'

test_expect "an unknown type, format directive, zone, aggregate" '
	bad_spec "{\"name\":\"c\",\"version\":1,\"fields\":{\"d\":{\"type\":\"timestamp\"}}}" \
	    "campaigns.json: fields.d.type: unknown type '"'"'timestamp'"'"' (use string, integer, number, boolean, date, datetime or json)"
	bad_spec "{\"name\":\"c\",\"version\":1,\"fields\":{\"d\":{\"type\":\"date\",\"formats\":[\"%Y-%m-%d\",\"%d.%m.%Q\"]}}}" \
	    "campaigns.json: fields.d.formats: format '"'"'%d.%m.%Q'"'"': unknown directive"
	bad_spec "{\"name\":\"c\",\"version\":1,\"fields\":{\"d\":{\"type\":\"datetime\",\"tz\":\"Europe/Atlantis\"}}}" \
	    "campaigns.json: fields.d.tz: time zone '"'"'Europe/Atlantis'"'"': unknown (/usr/share/zoneinfo/Europe/Atlantis: No such file or directory; is tzdata installed?)"
	bad_spec "{\"name\":\"c\",\"version\":1,\"fields\":{\"p\":{\"from\":\"z[*].p\",\"agg\":\"avg\"}}}" \
	    "campaigns.json: fields.p.agg: unknown aggregate '"'"'avg'"'"' (use min, max, sum, count, first, last or join)"
'

test_expect "a where that does not parse or names no field" '
	bad_spec "{\"name\":\"c\",\"version\":1,\"fields\":{\"a\":{}},\"where\":\"a == (1\"}" \
	    "campaigns.json: where: expected ) at the end"
	bad_spec "{\"name\":\"c\",\"version\":1,\"fields\":{\"a\":{}},\"where\":\"b == 1\"}" \
	    "campaigns.json: where: unknown field '"'"'b'"'"' at column 1"
'

test_expect "values that do not fit the type" '
	bad_spec "{\"name\":\"c\",\"version\":1,\"fields\":{\"n\":{\"type\":\"integer\",\"default\":\"12x\"}}}" \
	    "campaigns.json: fields.n.default: not an integer: '"'"'12x'"'"'"
	bad_spec "{\"name\":\"c\",\"version\":1,\"fields\":{\"d\":{\"type\":\"date\",\"min\":\"2026-02-30\"}}}" \
	    "campaigns.json: fields.d.min: no format matched: '"'"'2026-02-30'"'"'"
'

test_expect "invalid JSON names the line" '
	printf "{\"name\":\"c\",\n\"version\":1\n\"fields\":{}}\n" >campaigns.json
	expect_status 78 etl-transform --spec campaigns.json --check
	grep -qxF "etl-transform: campaigns.json:3: invalid JSON at column 8: '"'"'}'"'"' expected near '"'"'\"fields\"'"'"'" err
'

test_expect "a missing spec file is 66" '
	expect_status 66 etl-transform --spec nope.json --check
	grep -qxF "etl-transform: nope.json: cannot open the spec: No such file or directory" err
'

test_expect "usage errors are 64" '
	expect_status 64 etl-transform </dev/null
	grep -q "missing --spec SPEC" err
	expect_status 64 etl-transform --spec "$FX/spec.json" --rename a=b
	grep -q "exclude each other" err
	expect_status 64 etl-transform --spec "$FX/spec.json" --check x.ndjson
	expect_status 64 etl-transform --cast a=float </dev/null
	grep -q "unknown type" err
	expect_status 64 etl-transform --rename a </dev/null
	expect_status 64 etl-transform --select a,,b </dev/null
	expect_status 64 etl-transform --select a --cast b=integer </dev/null
	grep -q "not among the --select fields" err
	expect_status 64 etl-transform --cast a=integer:%Y </dev/null
	expect_status 64 etl-transform --where "a ==" </dev/null
	grep -q "expected a value" err
	grep -qF "Try '"'"'etl-transform --help'"'"'" err
'

test_done
