#!/usr/bin/env bash
# Runs every test family and ends with one line "N passed, N failed".
#  1. unit tests (cmocka), release build and ASan+UBSan build
#  2. CLI tests (tests/cli/t*.sh) against the ASan+UBSan qes binary
#  3. tests/check-the-checks.sh: the suite itself, against a broken qes
#  4. every fuzz harness for FUZZ_SECONDS (default 20) seconds
# A program that crashes or exits non-zero counts as failed (tests/runner.sh
# says how each result is read); nothing is skipped silently (tests that
# need ../shared say so and count as skipped).
set -u
cd "$(dirname "$0")/.."
passed=0 failed=0 skipped=0
failures=()
log=build/test-logs
rm -rf "$log" && mkdir -p "$log"

. tests/runner.sh

export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
echo "== unit tests"
for b in build/rel/tests/test_* build/asan/tests/test_*; do
	[ -x "$b" ] && [[ "$b" != *.d ]] && run_unit "$b"
done

echo "== CLI tests (ASan+UBSan build)"
export QES="$PWD/build/asan/qes"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for t in tests/cli/t*.sh; do
	[ -f "$t" ] && run_cli "$t"
done

echo "== checks of the checks (a broken qes, a leaking unit test, a dying browser script must fail)"
run_cli tests/check-the-checks.sh

echo "== fuzzing (${FUZZ_SECONDS:-20} s each)"
if bash tests/run-fuzz.sh "${FUZZ_SECONDS:-20}" >"$log/fuzz.log" 2>&1; then
	p=$(grep -c '^fuzz ok ' "$log/fuzz.log"); passed=$((passed + p))
	grep '^fuzz ' "$log/fuzz.log"
else
	p=$(grep -c '^fuzz ok ' "$log/fuzz.log"); f=$(grep -c '^fuzz FAILED ' "$log/fuzz.log")
	[ "$f" -eq 0 ] && f=1
	passed=$((passed + p)); failed=$((failed + f)); failures+=("fuzzing (see $log/fuzz.log)")
	grep '^fuzz ' "$log/fuzz.log"
fi

echo
if [ ${#failures[@]} -gt 0 ]; then
	echo "Failures:"; printf '  %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
