# tests/runner.sh: how a test program's result is read, sourced by
# tests/run-tests.sh and tests/check-the-checks.sh (which checks that a
# broken qes, a leaking unit test or a dying browser script is reported as
# failed). The caller sets log (a folder for the outputs); run_unit and
# run_cli add to passed, failed, skipped and failures.
#
# A unit test (cmocka) passes only when it exits 0: LeakSanitizer reports
# after cmocka's "[  PASSED  ]" line and exits 1, and a crash leaves no
# summary at all. A CLI test passes only when it exits 0, prints no "not ok"
# and prints at least one "ok" or "skip" line.
passed=${passed:-0} failed=${failed:-0} skipped=${skipped:-0}
failures=(${failures[@]+"${failures[@]}"})

run_unit() {   # run_unit BINARY
	local bin=$1 name out rc p f s
	name=$(echo "$bin" | tr / _)
	out="$log/$name.log"
	"$bin" >"$out" 2>&1
	rc=$?
	p=$(grep -E '^\[  PASSED  \] [0-9]+ test' "$out" | awk '{s+=$4} END {print s+0}')
	f=$(grep -E '^\[  FAILED  \] [0-9]+ test' "$out" | awk '{s+=$4} END {print s+0}')
	s=$(grep -E '^\[  SKIPPED \] [0-9]+ test' "$out" | awk '{s+=$4} END {print s+0}')
	if ! grep -qE '^\[  (PASSED|FAILED)  \]' "$out"; then
		f=$((f + 1))   # crashed before cmocka could report
		echo "$bin: no cmocka summary (crashed), exit $rc" >>"$out"
	elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		# cmocka passed every test, then the program failed: a leak found
		# by LeakSanitizer at exit, or an error in main.
		f=1
		echo "$bin: every test passed but the program exited $rc" >>"$out"
	fi
	passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
	if [ "$f" -gt 0 ]; then
		failures+=("$bin (see $out)")
		grep -E 'FAIL|ERROR|error|Sanitizer|runtime error|SUMMARY|exited|crashed' "$out" | head -20
	fi
	printf '%-50s %3d passed %3d failed %3d skipped\n' "$bin" "$p" "$f" "$s"
	LAST_FAILED=$f
}

run_cli() {   # run_cli TEST.sh
	local t=$1 out rc p f s
	out="$log/$(basename "$t").log"
	bash "$t" >"$out" 2>&1
	rc=$?
	p=$(grep -c '^ok ' "$out"); f=$(grep -c '^not ok ' "$out"); s=$(grep -c '^skip ' "$out")
	if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "$t exited $rc" >>"$out"; fi
	if [ $((p + f + s)) -eq 0 ]; then f=1; echo "$t printed no ok, not ok or skip line" >>"$out"; fi
	passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
	if [ "$f" -gt 0 ]; then failures+=("$t (see $out)"); grep -E '^not ok|^#|exited|printed no' "$out" | head -20; fi
	grep '^skip ' "$out" | head -5
	printf '%-50s %3d passed %3d failed %3d skipped\n' "$t" "$p" "$f" "$s"
	LAST_PASSED=$p LAST_FAILED=$f LAST_SKIPPED=$s
}
