#!/usr/bin/env bash
# Runs every libFuzzer harness in build/fuzz for $1 seconds (default 20),
# starting from its seed corpus in fuzz/corpus/NAME (copied, so runs never
# write into the repository). A crash, leak or timeout fails the run.
set -u
cd "$(dirname "$0")/.."
secs=${1:-20}
status=0
for bin in build/fuzz/fuzz_*; do
	[ -x "$bin" ] || continue
	[[ "$bin" == *.d ]] && continue
	name=$(basename "$bin")
	work=$(mktemp -d)
	[ -d "fuzz/corpus/$name" ] && cp -r "fuzz/corpus/$name/." "$work/"
	dict=()
	[ -f "fuzz/$name.dict" ] && dict=(-dict="fuzz/$name.dict")
	if ASAN_OPTIONS=detect_leaks=1 "$bin" "${dict[@]}" -max_total_time="$secs" -timeout=10 \
		-rss_limit_mb=2048 -max_len=65536 -print_final_stats=0 \
		-artifact_prefix="build/test-logs/$name-" "$work" \
		>"build/test-logs/$name.log" 2>&1; then
		echo "fuzz ok $name ($secs s, $(grep -oE '^Done [0-9]+ runs' "build/test-logs/$name.log" | awk '{print $2}') runs)"
	else
		echo "fuzz FAILED $name: see build/test-logs/$name.log"
		grep -E 'ERROR|SUMMARY' "build/test-logs/$name.log" | head -5
		status=1
	fi
	rm -rf "$work"
done
exit $status
