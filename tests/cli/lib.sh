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
# Every line of a detail is shown as a comment ("#   "), so that an "ok" or
# "not ok" line inside a command's output is never counted as a check.
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; shift; local l; for l in "$@"; do printf '%s\n' "$l" | sed 's/^/#   /'; done; }
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

# A one-page PDF whose text poppler extracts (for full-text tests).
mkpdf() {  # mkpdf FILE TEXT
	python3 - "$1" "$2" <<'PY'
import sys
text = sys.argv[2].replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
out = bytearray(b"%PDF-1.4\n"); offs = []
for i, o in enumerate(objs, 1):
    offs.append(len(out)); out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
x = len(out)
out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
for o in offs: out += b"%010d 00000 n \n" % o
out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, x)
open(sys.argv[1], "wb").write(out)
PY
}

# serve_start REVIEW [OPTION...]: qes serve on a free loopback port (with the
# options), stopped (and $TMP removed) when the test ends; sets U to its base
# URL, PORT and SERVE_PID. Returns 1 (with a not ok) when it does not come up.
serve_start() {
	"$QES" serve "$1" --listen 127.0.0.1:0 "${@:2}" >"$TMP/serve.out" 2>"$TMP/serve.err" &
	SERVE_PID=$!
	trap 'kill "$SERVE_PID" 2>/dev/null; wait "$SERVE_PID" 2>/dev/null; rm -rf "$TMP"' EXIT
	local port=
	for _ in $(seq 100); do
		port=$(sed -n 's|.*http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$TMP/serve.out" 2>/dev/null)
		[ -n "$port" ] && curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
		port=
		sleep 0.1
	done
	if [ -z "$port" ]; then not_ok "qes serve started" "$(cat "$TMP/serve.out" "$TMP/serve.err")"; return 1; fi
	PORT=$port
	U=http://127.0.0.1:$port
}
# web_login NAME PASSWORD JAR: logs in, keeping the cookie in JAR and the
# answer in JAR.body; prints the HTTP status.
web_login() {
	curl -s -o "$3.body" -c "$3" -w '%{http_code}' -H 'Content-Type: application/json' \
		-d "{\"name\":\"$1\",\"password\":\"$2\"}" "$U/api/login"
}
# web_call JAR METHOD PATH [JSON]: a request with the session and its CSRF
# token; the body goes to $TMP/last.json, the status is printed.
web_call() {
	local csrf
	csrf=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["csrf"])' "$1.body")
	curl -s -o "$TMP/last.json" -w '%{http_code}' -b "$1" -X "$2" -H "X-CSRF-Token: $csrf" \
		-H 'Content-Type: application/json' ${4:+-d "$4"} "$U$3"
}
# node_tap PREFIX OUTPUT [STATUS]: turns the ok / not ok lines of a node
# script's OUTPUT into this test's checks (numbered on), "not ok" with the
# whole output. STATUS is the script's exit status; without it, node_tap
# takes $? as it was when node_tap was called, so call it on the line right
# after `res=$(timeout S node SCRIPT ... 2>&1)`. The script must print a TAP
# plan (1..N, tests/e2e/harness.mjs's tap().end()) that matches the checks it
# printed, and exit 0: a missing plan (the script died half-way), a crash,
# a non-zero exit or a timeout kill (124) is a failure.
node_tap() {
	local rc=$?
	[ $# -ge 3 ] && rc=$3
	local line plan= count=0
	while IFS= read -r line; do
		case $line in
		"ok "*) count=$((count + 1)); ok "$1: ${line#ok * - }" ;;
		"not ok "*) count=$((count + 1)); not_ok "$1: ${line#not ok * - }" "$2" ;;
		1..[0-9]*) plan=${line#1..} ;;
		esac
	done < <(printf '%s\n' "$2")
	if [ "$rc" -eq 124 ]; then
		not_ok "$1 finished before its timeout (killed)" "${2: -3000}"
	elif [ "$rc" -ne 0 ]; then
		not_ok "$1 exited 0 (exit $rc)" "${2: -3000}"
	fi
	if [ -z "$plan" ]; then
		not_ok "$1 printed its plan (1..N): it stopped before the end" "${2: -3000}"
	elif [ "$plan" != "$count" ] || [ "$count" -eq 0 ]; then
		not_ok "$1 ran its $plan planned checks (printed $count)" "${2: -3000}"
	fi
}
# check_guarded ROUTES [JAR]: every "METHOD:/path" in ROUTES answers 401
# without a session; with JAR (an advisor's cookie jar, its CSRF token in
# JAR.csrf) it answers 403. Needs U (serve_start).
check_guarded() {
	local r m p want=401 what="without a session" args
	[ -n "${2:-}" ] && want=403 && what="to an advisor"
	for r in $1; do
		m=${r%%:*}; p=${r#*:}; args=()
		if [ -n "${2:-}" ]; then
			args=(-b "$2")
			[ "$m" != GET ] && args+=(-H "X-CSRF-Token: $(cat "$2.csrf")" -d '{}')
		fi
		check_eq "$m $p: $want $what" "$(curl -s -o /dev/null -w '%{http_code}' -X "$m" \
			-H 'Content-Type: application/json' "${args[@]}" "$U$p")" "$want"
	done
}
