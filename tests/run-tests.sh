#!/usr/bin/env bash
# Runs every test family and ends with one line "N passed, N failed".
#  1. unit tests (cmocka), release build and ASan+UBSan build
#  2. CLI tests (tests/cli/t*.sh) against the ASan+UBSan qes binary
#  3. every fuzz harness for FUZZ_SECONDS (default 20) seconds
# A family whose program crashes counts as failed; nothing is skipped
# silently (tests that need ../shared say so and count as skipped).
set -u
cd "$(dirname "$0")/.."
passed=0 failed=0 skipped=0
failures=()
log=build/test-logs
rm -rf "$log" && mkdir -p "$log"

run_unit() {   # $1 = binary
	local bin=$1 name out
	name=$(echo "$bin" | tr / _)
	out="$log/$name.log"
	if "$bin" >"$out" 2>&1; then :; fi
	local p f s
	p=$(grep -E '^\[  PASSED  \] [0-9]+ test' "$out" | awk '{s+=$4} END {print s+0}')
	f=$(grep -E '^\[  FAILED  \] [0-9]+ test' "$out" | awk '{s+=$4} END {print s+0}')
	s=$(grep -E '^\[  SKIPPED \] [0-9]+ test' "$out" | awk '{s+=$4} END {print s+0}')
	if ! grep -qE '^\[  (PASSED|FAILED)  \]' "$out"; then
		f=$((f + 1))   # crashed before cmocka could report
	fi
	passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
	if [ "$f" -gt 0 ]; then failures+=("$bin (see $out)"); sed -n '1,80p' "$out" | grep -E 'FAIL|ERROR|error|Sanitizer|runtime error' | head -20; fi
	printf '%-50s %3d passed %3d failed %3d skipped\n' "$bin" "$p" "$f" "$s"
}

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
	[ -f "$t" ] || continue
	out="$log/$(basename "$t").log"
	bash "$t" >"$out" 2>&1
	rc=$?
	p=$(grep -c '^ok ' "$out"); f=$(grep -c '^not ok ' "$out"); s=$(grep -c '^skip ' "$out")
	if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "$t exited $rc" >>"$out"; fi
	passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
	if [ "$f" -gt 0 ]; then failures+=("$t (see $out)"); grep -E '^not ok|^#' "$out" | head -20; fi
	grep '^skip ' "$out" | head -5
	printf '%-50s %3d passed %3d failed %3d skipped\n' "$t" "$p" "$f" "$s"
done

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
