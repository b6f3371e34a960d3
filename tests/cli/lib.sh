# tests/cli/lib.sh: a tiny TAP-like harness for CLI tests (git's t/ style).
# Each check prints "ok N - what" or "not ok N - what"; "skip - why" for a
# check that cannot run here (say why). $QES is the binary under test.
set -u
QES=${QES:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/qes}
SHARED=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)/shared
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
n=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "#   $l"; done; }
skip() { echo "skip - $1"; }
have_shared() { [ -d "$SHARED/data" ]; }

# check DESC CMD... : passes when CMD exits 0
check() {
	local desc=$1; shift
	local out
	if out=$("$@" 2>&1); then ok "$desc"; else not_ok "$desc" "command: $*" "${out:0:2000}"; fi
}
# check_fails DESC EXPECTED_EXIT CMD... : passes when CMD exits EXPECTED_EXIT
check_fails() {
	local desc=$1 want=$2; shift 2
	local out rc
	out=$("$@" 2>&1); rc=$?
	if [ "$rc" -eq "$want" ]; then ok "$desc"; else not_ok "$desc" "command: $*" "exit $rc, wanted $want" "${out:0:2000}"; fi
}
# check_eq DESC GOT WANT
check_eq() {
	if [ "$2" == "$3" ]; then ok "$1"; else not_ok "$1" "got:  $2" "want: $3"; fi
}
# check_contains DESC HAYSTACK NEEDLE
check_contains() {
	if [[ "$2" == *"$3"* ]]; then ok "$1"; else not_ok "$1" "missing: $3" "in: ${2:0:2000}"; fi
}
# jq-like field access without jq: python3 is on every test machine.
json_get() { python3 -c 'import json,sys; d=json.load(sys.stdin); 
for k in sys.argv[1].split("."):
    d = d[int(k)] if isinstance(d, list) else d[k]
print(json.dumps(d) if isinstance(d,(dict,list)) else d)' "$1"; }
