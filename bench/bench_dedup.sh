#!/usr/bin/env bash
# bench_dedup.sh: the deduplication section of the benchmarks (bench/run.sh
# calls it; it also runs alone from the repository root).
#
#  1. The labelled datasets in ../shared/data/dedup, scored the way their
#     README says (shared/tools/dedup_score.py): our row beside bib-dedupe's.
#  2. Speed and accuracy at scale: synthetic records with injected duplicates
#     (bench/gen_records), 10k, 100k and 1M records by default.
#
# Variables: QES (./qes), GEN (build/rel/bench/gen_records), SHARED (../shared),
# SIZES ("10000 100000 1000000"), DUP_RATE (0.3), SEED (1), KEEP (unset:
# scratch files are deleted). Times are wall-clock seconds of 'qes dedup'
# alone (import is not counted); memory is its peak resident set.
set -u
cd "$(dirname "$0")/.."
QES=${QES:-$PWD/qes}
GEN=${GEN:-$PWD/build/rel/bench/gen_records}
SHARED=${SHARED:-$(cd .. && pwd)/shared}
SIZES=${SIZES:-10000 100000 1000000}
DUP_RATE=${DUP_RATE:-0.3}
SEED=${SEED:-1}
SCORE=$SHARED/tools/dedup_score.py
WORK=$(mktemp -d)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$WORK"' EXIT

# timed CMD...: runs CMD, sets SECS (wall), CPU (user + system seconds: on a
# shared machine the wall clock also counts waiting for a core) and RSS_MB.
timed() {
	local t0 t1
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%e %M %U %S' -o "$WORK/time" "$@" >"$WORK/out" 2>&1 || return 1
		SECS=$(cut -d' ' -f1 "$WORK/time")
		RSS_MB=$(( $(cut -d' ' -f2 "$WORK/time") / 1024 ))
		CPU=$(awk '{ printf "%.2f", $3 + $4 }' "$WORK/time")
	else
		t0=$(date +%s.%N)
		"$@" >"$WORK/out" 2>&1 || return 1
		t1=$(date +%s.%N)
		SECS=$(python3 -c "print(round($t1 - $t0, 2))")
		RSS_MB=? CPU=?
	fi
}

# row NAME TRUTH CLUSTERS SECS: our scores as one table row.
row() {
	python3 "$SCORE" "$2" "$3" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print("| %s | qes | %d | %d | %d | %d | %.4f | %.4f | %.4f | %.4f | %s s |" % (sys.argv[1],
      d["FP"], d["TP"], d["FN"], d["TN"], d["sensitivity"], d["specificity"], d["precision"],
      d["f1"], sys.argv[2]))' "$1" "$4"
}

# reviewed NAME TRUTH REVIEW: what a reviewer reaches from the queue. Every
# queued pair is decided as the truth says ('qes dedup decide' merge or
# distinct), then the clusters are scored again. The machine's row above is
# what the benchmark targets count; this one shows what the queue is worth.
reviewed() {
	local q n=0 a b dec
	q=$("$QES" dedup queue "$3" --json | python3 -c '
import csv, json, sys
csv.field_size_limit(1 << 30)
truth = {r["bench_id"]: r["dup_group"] for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline=""))}
for p in json.load(sys.stdin):
    print(p["a"], p["b"], "merge" if truth.get(p["a"]) == truth.get(p["b"]) else "distinct")' "$2") || return 0
	while read -r a b dec; do
		[ -n "$a" ] || continue
		"$QES" dedup decide "$3" "$a" "$b" "$dec" --by bench >/dev/null 2>&1 || true
		n=$((n + 1))
	done <<<"$q"
	"$QES" dedup clusters "$3" -o "$WORK/$1.reviewed.csv"
	row "$1" "$2" "$WORK/$1.reviewed.csv" "" | sed "s/| qes |/| qes + review of $n queued pairs |/; s/|  s |$/| |/"
}

echo "## Deduplication"
echo
echo "Labelled datasets (\`qes dedup\` after \`qes import FILE.csv\`; scored by shared/tools/dedup_score.py)."
echo "bib-dedupe rows are its published figures (shared/data/dedup/README.md). The \"review\" rows decide"
echo "every queued pair as the truth says (a reviewer's best case); the targets count the qes rows."
echo
echo "| dataset | tool | FP | TP | FN | TN | sensitivity | specificity | precision | F1 | time |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
theirs() {
	case $1 in
	ASySD_Diabetes) echo "| $1 | bib-dedupe | 0 | 1261 | 0 | 584 | 1.0000 | 1.0000 | 1.0000 | 1.0000 | 8 s |" ;;
	SRA2_Cytology_screening) echo "| $1 | bib-dedupe | 0 | 766 | 6 | 1084 | 0.9922 | 1.0000 | 1.0000 | 0.9961 | 7 s |" ;;
	SRA2_Haematology) echo "| $1 | bib-dedupe | 0 | 120 | 15 | 1278 | 0.8889 | 1.0000 | 1.0000 | 0.9412 | 6 s |" ;;
	esac
}
for name in ASySD_Diabetes SRA2_Cytology_screening SRA2_Haematology BibDedupe_special_cases; do
	csv=$SHARED/data/dedup/$name.csv
	if [ ! -f "$csv" ]; then
		echo "| $name | qes | (skipped: $csv not found) |"
		continue
	fi
	R=$WORK/$name.qes
	if ! "$QES" init "$R" >/dev/null 2>&1 || ! "$QES" import "$R" "$csv" >"$WORK/imp" 2>&1; then
		echo "| $name | qes | (skipped: import failed: $(head -c 120 "$WORK/imp")) |"
		continue
	fi
	timed "$QES" dedup "$R" || { echo "| $name | qes | (dedup failed: $(head -c 200 "$WORK/out")) |"; continue; }
	"$QES" dedup clusters "$R" -o "$WORK/$name.clusters.csv"
	row "$name" "$csv" "$WORK/$name.clusters.csv" "$SECS"
	reviewed "$name" "$csv" "$R"
	theirs "$name"
done

echo
echo "Synthetic records at scale (gen_records, duplicate rate $DUP_RATE, seed $SEED; the generator's truth scores accuracy)."
echo "Targets: 80,000 records in 5 s, 1,000,000 in 2 min, memory linear in the records."
echo
echo "| records | dedup time (wall) | CPU time | records/s (wall) | peak memory | pairs compared | FP | sensitivity | F1 |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
if [ ! -x "$GEN" ]; then
	echo "| (skipped: no generator at $GEN; build it or set GEN) |"
	exit 0
fi
for n in $SIZES; do
	f=$WORK/gen$n.csv
	R=$WORK/gen$n.qes
	if ! "$GEN" --records "$n" --seed "$SEED" --format csv --dup-rate "$DUP_RATE" -o "$f" >/dev/null 2>&1 ||
	   ! "$QES" init "$R" >/dev/null 2>&1 || ! "$QES" import "$R" "$f" >"$WORK/imp" 2>&1; then
		echo "| $n | (skipped: generating or importing failed: $(head -c 120 "$WORK/imp" 2>/dev/null)) |"
		continue
	fi
	timed "$QES" dedup "$R" --json || { echo "| $n | (dedup failed) |"; continue; }
	pairs=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pairs_compared"])' "$WORK/out")
	"$QES" dedup clusters "$R" -o "$WORK/c$n.csv"
	sed '1s/^id,/bench_id,/' "$f.truth.csv" >"$WORK/t$n.csv"
	python3 "$SCORE" "$WORK/t$n.csv" "$WORK/c$n.csv" | python3 -c '
import json, sys
d = json.load(sys.stdin)
n, secs, rss, pairs, cpu = sys.argv[1:6]
print("| %s | %s s | %s s | %s | %s MiB | %s | %d | %.4f | %.4f |" % (f"{int(n):,}", secs, cpu,
      f"{int(int(n) / max(float(secs), 0.01)):,}", rss, f"{int(pairs):,}", d["FP"], d["sensitivity"], d["f1"]))' \
		"$n" "$SECS" "$RSS_MB" "$pairs" "$CPU"
	rm -f "$R" "$R-wal" "$R-shm" "$f"
done
