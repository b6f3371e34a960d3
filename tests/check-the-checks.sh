#!/usr/bin/env bash
# tests/check-the-checks.sh: a test of the tests, run by `make test`.
#
# The suite must fail when qes is wrong. This runs a few CLI tests against a
# broken qes (a wrapper whose `import` exits 1; one whose --json output drops
# the first key of every object; one whose --json output has an extra key),
# a unit test that leaks, and browser-test scripts that die, hang or print
# fewer checks than they planned, all read exactly as tests/run-tests.sh reads
# them (tests/runner.sh), and checks that each is reported as failed: not as
# passed, not as skipped. Controls (the real qes, a clean unit test, a clean
# script) must still pass, so a runner that fails everything fails here too.
# Quick: under a minute on a loaded machine. Prints "ok" / "not ok" / "skip".
set -u
cd "$(dirname "$0")/.."
ROOT=$PWD
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
# Every line of a detail is shown as a comment ("#   "), so that an "ok" or
# "not ok" line inside a command's output is never counted as a check.
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; shift; local l; for l in "$@"; do printf '%s\n' "$l" | sed 's/^/#   /'; done; }

log=$TMP/logs
mkdir -p "$log"
. tests/runner.sh

# The qes the wrappers break: the release build (quick), else the ASan one.
REAL=${QES_REAL:-$ROOT/qes}
[ -x "$REAL" ] || REAL=${QES:-$ROOT/build/asan/qes}
if [ ! -x "$REAL" ]; then not_ok "a qes to break" "no $ROOT/qes and no \$QES: build first"; exit 1; fi
have_shared() { [ -d "$ROOT/../shared/data" ]; }

# broken MODE: a qes that is wrong in one way (MODE), printing its path. Calls
# it does not break go straight to the real qes (no python in between: it
# keeps the tests quick).
broken() {
	local w=$TMP/qes-$1
	cat >"$w" <<-EOF
		#!/usr/bin/env bash
		# qes broken on purpose ($1) for tests/check-the-checks.sh
		echo "$1 \${1:-}" >>"\$BROKEN_CALLS"   # expect_fail counts the calls
		case "$1" in
		import-exits-1)
			if [ "\${1:-}" = import ]; then
				echo "qes: import failed (broken on purpose)" >&2
				exit 1
			fi ;;
		json-*)
			for a in "\$@"; do
				[ "\$a" = --json ] && exec python3 "$TMP/json.py" "$1" "$REAL" "\$@"
			done ;;
		esac
		exec "$REAL" "\$@"
	EOF
	chmod +x "$w"
	echo "$w"
}
cat >"$TMP/json.py" <<'PY'
import json, subprocess, sys
mode, real, args = sys.argv[1], sys.argv[2], sys.argv[3:]
p = subprocess.run([real] + args, stdout=subprocess.PIPE)
try:
    d = json.loads(p.stdout)
except ValueError:
    sys.stdout.buffer.write(p.stdout)
    sys.exit(p.returncode)
def walk(v):
    if isinstance(v, dict):
        if mode == "json-drops-key" and v:
            del v[next(iter(v))]
        if mode == "json-adds-key":
            v["extra_key"] = 1
        for x in v.values():
            walk(x)
    elif isinstance(v, list):
        for x in v:
            walk(x)
walk(d)
print(json.dumps(d))
sys.exit(p.returncode)
PY

# expect_fail WHAT TEST [NEEDS_SHARED]: TEST (a path) with the current QES is
# reported failed by the runner. A test may skip only when it never ran the
# broken qes (an outside prerequisite is missing: ../shared, Chromium, tmux);
# a skip after qes ran is what this file exists to catch.
export BROKEN_CALLS=$TMP/calls.log
expect_fail() {
	local what=$1 t=$2 shared=${3:-} before after
	before=$(cat "$BROKEN_CALLS" 2>/dev/null | wc -l)
	run_cli "$t" >"$TMP/run.out" 2>&1
	after=$(cat "$BROKEN_CALLS" 2>/dev/null | wc -l)
	if [ "$LAST_FAILED" -eq 0 ] && [ "$LAST_PASSED" -eq 0 ] && [ "$LAST_SKIPPED" -gt 0 ] &&
	   [ "$before" -eq "$after" ] && { [ -z "$shared" ] || ! have_shared || [ "$shared" = other ]; }; then
		echo "skip - $what: $(basename "$t") did not run here: $(grep -m1 '^skip ' "$log/$(basename "$t").log")"
		return
	fi
	if [ "$shared" = shared ] && ! have_shared; then
		not_ok "$what: without ../shared $(basename "$t") says skip before running qes" "$(cat "$TMP/run.out")"
		return
	fi
	if [ "$LAST_FAILED" -gt 0 ]; then
		ok "$what: $(basename "$t") reported failed ($LAST_FAILED not ok)"
	else
		not_ok "$what: $(basename "$t") reported failed" "it passed $LAST_PASSED and skipped $LAST_SKIPPED:" \
			"$(tail -c 2000 "$log/$(basename "$t").log")"
	fi
}
expect_pass() {  # expect_pass WHAT TEST: the control
	run_cli "$2" >"$TMP/run.out" 2>&1
	if [ "$LAST_FAILED" -eq 0 ] && [ $((LAST_PASSED + LAST_SKIPPED)) -gt 0 ]; then
		ok "$1: $(basename "$2") passes ($LAST_PASSED ok, $LAST_SKIPPED skip)"
	else
		not_ok "$1: $(basename "$2") passes" "$(tail -c 2000 "$log/$(basename "$2").log")"
	fi
}

# --- CLI tests against a broken qes ------------------------------------------
export QES=$REAL
expect_pass "control, the real qes" tests/cli/t16-golden-delimited.sh

export QES=$(broken import-exits-1)
expect_fail "qes import exits 1" tests/cli/t60-studies.sh
expect_fail "qes import exits 1" tests/cli/t90-web.sh shared
expect_fail "qes import exits 1" tests/cli/t91-web-browser.sh other
expect_fail "qes import exits 1" tests/cli/t41-screen-tmux.sh other
expect_fail "qes import exits 1" tests/cli/t14-roundtrip.sh shared

# The pattern issue 15 removed from t41, t90 and t91, in a test of its own:
# it must not pass as a skip.
cat >"$TMP/t00-import-skip.sh" <<-EOF
	source "$ROOT/tests/cli/lib.sh"
	"\$QES" init "\$TMP/r.qes" >/dev/null 2>&1
	if ! out=\$("\$QES" import "\$TMP/r.qes" "$ROOT/tests/data/studies.ris" 2>&1); then
		skip "qes import cannot read this file in this build: \$out"; exit 0
	fi
	ok "imported"
EOF
run_cli "$TMP/t00-import-skip.sh" >"$TMP/run.out" 2>&1
if [ "$LAST_FAILED" -eq 0 ] && [ "$LAST_PASSED" -eq 0 ]; then
	ok "the pattern to catch: a test that skips after qes import failed reports only a skip"
	# ...and expect_fail reports it as not ok, which this checks by hand:
	out=$(expect_fail "the skip pattern" "$TMP/t00-import-skip.sh")
	if [[ "$out" == "not ok "* ]]; then ok "expect_fail reports a skip after a qes call as not ok"
	else not_ok "expect_fail reports a skip after a qes call as not ok" "$out"; fi
else
	not_ok "a test that turns a failed qes import into a skip: skipped only" "$(cat "$TMP/run.out")"
fi

export QES=$(broken json-drops-key)
expect_fail "--json drops a key" tests/cli/t16-golden-delimited.sh shared
expect_fail "--json drops a key" tests/cli/t50-simulate.sh shared

export QES=$(broken json-adds-key)
expect_fail "--json has a key too many" tests/cli/t16-golden-delimited.sh shared
export QES=$REAL

# --- unit tests: a leak after cmocka's PASSED line is a failure ---------------
cat >"$TMP/test_leak.c" <<'EOF'
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
static void test_leaks(void **state)
{
	(void)state;
	char *volatile p = malloc(64);
	assert_non_null(p);
	p[0] = 1;
#ifndef LEAK
	free(p);
#endif
	p = NULL;
}
int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_leaks) };
	return cmocka_run_group_tests(tests, NULL, NULL);
}
EOF
CC=${CC:-cc}
if $CC -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -o "$TMP/test_clean" "$TMP/test_leak.c" -lcmocka 2>"$TMP/cc.err" &&
   $CC -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -DLEAK -o "$TMP/test_leaky" "$TMP/test_leak.c" -lcmocka 2>>"$TMP/cc.err"; then
	run_unit "$TMP/test_clean" >"$TMP/run.out" 2>&1
	if [ "$LAST_FAILED" -eq 0 ]; then ok "control, a unit test that frees what it takes: passed"
	else not_ok "control, a unit test that frees what it takes: passed" "$(cat "$TMP/run.out")"; fi
	run_unit "$TMP/test_leaky" >"$TMP/run.out" 2>&1
	if [ "$LAST_FAILED" -gt 0 ] && grep -q 'LeakSanitizer' "$log"/*test_leaky.log; then
		ok "a unit test that leaks (LeakSanitizer after cmocka's PASSED): failed"
	else
		not_ok "a unit test that leaks: failed" "$(cat "$TMP/run.out" "$log"/*test_leaky.log)"
	fi
else
	not_ok "build a cmocka test with ASan" "$(cat "$TMP/cc.err")"
fi

# --- browser-test scripts (node_tap in tests/cli/lib.sh) ----------------------
# Scripts that use tests/e2e/harness.mjs's tap() as the browser tests do (no
# browser needed: the harness only imports playwright-core).
if ! command -v node >/dev/null || [ ! -d tests/e2e/node_modules/playwright-core ]; then
	echo "skip - node_tap: node or playwright-core is not installed (scripts/install-deps)"
else
	mkjs() {  # mkjs NAME BODY
		printf "import { tap } from '%s/tests/e2e/harness.mjs';\nconst { ok, end } = tap();\n%s\n" "$ROOT" "$2" >"$TMP/$1.mjs"
	}
	mkjs clean "ok(true, 'one'); ok(true, 'two'); end();"
	mkjs dies "ok(true, 'one'); await new Promise((r) => setTimeout(r, 10)); throw new Error('the page went away');"
	mkjs hangs "ok(true, 'one'); await new Promise(() => setInterval(() => {}, 1000));"
	mkjs fails "ok(true, 'one'); ok(false, 'two'); end();"
	mktest() {  # mktest NAME TIMEOUT: a CLI test running $TMP/NAME.mjs
		cat >"$TMP/t00-$1.sh" <<-EOF
			source "$ROOT/tests/cli/lib.sh"
			res=\$(timeout $2 node "$TMP/$1.mjs" 2>&1)
			node_tap chromium "\$res"
		EOF
		echo "$TMP/t00-$1.sh"
	}
	expect_pass "control, a script that ends with its plan" "$(mktest clean 30)"
	expect_fail "a script that dies half-way (no plan, exit 1)" "$(mktest dies 30)"
	expect_fail "a script killed by its timeout (124)" "$(mktest hangs 2)"
	expect_fail "a script with a failed check" "$(mktest fails 30)"
	# Output that no harness script prints, fed to node_tap directly.
	cat >"$TMP/t00-short.sh" <<-EOF
		source "$ROOT/tests/cli/lib.sh"
		node_tap chromium "\$(printf 'ok 1 - one\n1..3\n')" 0
	EOF
	expect_fail "a script that printed 1 of its 3 planned checks" "$TMP/t00-short.sh"
	cat >"$TMP/t00-empty.sh" <<-EOF
		source "$ROOT/tests/cli/lib.sh"
		node_tap chromium "" 0
	EOF
	expect_fail "a script that printed nothing" "$TMP/t00-empty.sh"
fi

# --- the runner: a CLI test that prints nothing, or exits non-zero ------------
printf 'echo "ok 1 - fine"\nexit 3\n' >"$TMP/t00-exits.sh"
expect_fail "a CLI test whose checks pass but which exits 3" "$TMP/t00-exits.sh"
printf 'true\n' >"$TMP/t00-silent.sh"
expect_fail "a CLI test that prints no check at all" "$TMP/t00-silent.sh"
