#!/usr/bin/env bash
# bench_dedup.sh: the deduplication section of the benchmarks (bench/run.sh
# calls it; it also runs alone from the repository root).
#
#  1. The labelled datasets in ../shared/data/dedup, scored the way their
#     README says (shared/tools/dedup_score.py): our row beside bib-dedupe's.
#  2. The stress test: those datasets with altered copies and look-alikes
#     (bench/dedup_stress.py); no false merge allowed.
#  3. Speed and accuracy at scale: synthetic records with injected duplicates
#     (bench/gen_records), 10k, 100k and 1M records by default.
#
# Variables: QES (./qes), GEN (build/rel/bench/gen_records), SHARED (../shared),
# SIZES ("10000 80000 100000 1000000"), DUP_RATE (0.3), SEED (1), STRESS_PER
# (60 records per kind of the stress test, bench/dedup_stress.py), KEEP (unset:
# scratch files are deleted). Times are wall-clock seconds of 'qes dedup'
# alone (import is not counted); memory is its peak resident set.
#
# Exit status: 0 when every target below was met, 1 when one was missed
# (each miss is printed, "MISSED: ..."), 2 on any error (a dataset or tool
# missing, an import, a run or a decision that failed): a benchmark that
# could not measure never passes. Targets: FP = 0 and sensitivity at least
# bib-dedupe's published figure on every labelled dataset; no false merge in
# the stress test; FP = 0 on the synthetic records; 80,000 records (and fewer) in at most 5 s, 1,000,000 in
# at most 120 s (wall clock of 'qes dedup').
set -u
cd "$(dirname "$0")/.."
QES=${QES:-$PWD/qes}
GEN=${GEN:-$PWD/build/rel/bench/gen_records}
SHARED=${SHARED:-$(cd .. && pwd)/shared}
SIZES=${SIZES:-10000 80000 100000 1000000}
DUP_RATE=${DUP_RATE:-0.3}
SEED=${SEED:-1}
SCORE=$SHARED/tools/dedup_score.py
STRESS=$PWD/bench/dedup_stress.py
STRESS_PER=${STRESS_PER:-60}
WORK=$(mktemp -d)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$WORK"' EXIT

MISSED=0
# fail MESSAGE: an error, not a result: the run stops with status 2.
fail() { echo "ERROR: $*" >&2; echo "| ERROR: $* |"; exit 2; }
# missed MESSAGE: a target not met (reported at the end, status 1).
missed() { echo "MISSED: $*"; MISSED=1; }

[ -x "$QES" ] || fail "no qes at $QES (set QES)"
[ -f "$SCORE" ] || fail "no scorer at $SCORE (set SHARED)"

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

# score TRUTH CLUSTERS: dedup_score.py's JSON into $WORK/score.json.
score() {
	python3 "$SCORE" "$1" "$2" >"$WORK/score.json" || fail "dedup_score.py failed on $2"
}
# field NAME: one value of the last score.
field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$WORK/score.json" "$1"; }

# published NAME: bib-dedupe's figures as its evaluation publishes them
# (shared/data/dedup/README.md): "FP TP FN TN sensitivity F1 time".
published() {
	case $1 in
	ASySD_Diabetes) echo "0 1261 0 584 1.0000 1.0000 8" ;;
	SRA2_Cytology_screening) echo "0 766 6 1084 0.9922 0.9961 7" ;;
	SRA2_Haematology) echo "0 120 15 1278 0.8889 0.9412 6" ;;
	*) echo "" ;;
	esac
}

# reviewed NAME TRUTH REVIEW: what a reviewer reaches from the queue. Every
# queued pair is decided as the truth says ('qes dedup decide' merge or
# distinct), then the clusters are scored again. The machine's row above is
# what the benchmark targets count; this one shows what the queue is worth.
# A decision the tool refuses is an error, never a pair counted as reviewed.
reviewed() {
	local q n=0 a b dec rc
	"$QES" dedup queue "$3" --json >"$WORK/queue.json" || fail "$1: qes dedup queue failed"
	q=$(python3 -c '
import csv, json, sys
csv.field_size_limit(1 << 30)
truth = {r["bench_id"]: r["dup_group"] for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline=""))}
for p in json.load(open(sys.argv[2])):
    print(p["a"], p["b"], "merge" if truth.get(p["a"]) == truth.get(p["b"]) else "distinct")' "$2" "$WORK/queue.json") ||
		fail "$1: reading the queue failed"
	while read -r a b dec; do
		[ -n "$a" ] || continue
		# A pair the queue listed may be decided already: a merge of
		# a->b then b->c joins a and c, and "distinct" on them is then a
		# conflict (exit 5). That is the tool refusing a contradiction,
		# so it is counted apart; anything else is an error.
		"$QES" dedup decide "$3" "$a" "$b" "$dec" --by bench >"$WORK/dec" 2>&1
		rc=$?
		if [ "$rc" -eq 0 ]; then
			n=$((n + 1))
		elif [ "$rc" -eq 5 ]; then
			CONFLICTS=$((CONFLICTS + 1))
		else
			fail "$1: qes dedup decide $a $b $dec failed ($rc): $(head -c 200 "$WORK/dec")"
		fi
	done <<<"$q"
	"$QES" dedup clusters "$3" -o "$WORK/$1.reviewed.csv" || fail "$1: clusters export failed"
	score "$2" "$WORK/$1.reviewed.csv"
	REVIEWED=$n
}

echo "## Deduplication"
echo
echo "Labelled datasets (\`qes dedup\` after \`qes import FILE.csv\`; scored by shared/tools/dedup_score.py)."
echo "\"qes\" is what the machine merges alone (the targets count it; a queued pair counts as a miss);"
echo "\"+ review\" decides every queued pair as the truth says (a reviewer's best case)."
echo "bib-dedupe's figures are PUBLISHED (its evaluation, shared/data/dedup/README.md), not measured here."
echo
echo "| dataset | FP | TP | FN | sensitivity | F1 | queued | time | + review: sensitivity | bib-dedupe published: FP | sensitivity | F1 |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for name in ASySD_Diabetes SRA2_Cytology_screening SRA2_Haematology BibDedupe_special_cases; do
	csv=$SHARED/data/dedup/$name.csv
	[ -f "$csv" ] || fail "$csv not found (set SHARED)"
	R=$WORK/$name.qes
	"$QES" init "$R" >"$WORK/imp" 2>&1 || fail "$name: qes init failed: $(head -c 200 "$WORK/imp")"
	"$QES" import "$R" "$csv" >"$WORK/imp" 2>&1 || fail "$name: import failed: $(head -c 200 "$WORK/imp")"
	timed "$QES" dedup "$R" || fail "$name: qes dedup failed: $(head -c 200 "$WORK/out")"
	"$QES" dedup clusters "$R" -o "$WORK/$name.clusters.csv" || fail "$name: clusters export failed"
	score "$csv" "$WORK/$name.clusters.csv"
	fp=$(field FP) tp=$(field TP) fn=$(field FN) sens=$(field sensitivity) f1=$(field f1)
	queued=$("$QES" dedup queue "$R" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))') ||
		fail "$name: qes dedup queue failed"
	CONFLICTS=0
	reviewed "$name" "$csv" "$R"
	rsens=$(field sensitivity)
	pub=$(published "$name")
	if [ -n "$pub" ]; then
		read -r pfp _ _ _ psens pf1 _ <<<"$pub"
	else
		pfp=- psens=- pf1=-
	fi
	printf '| %s | %s | %s | %s | %.4f | %.4f | %s | %s s | %.4f (%s decided%s) | %s | %s | %s |\n' \
		"$name" "$fp" "$tp" "$fn" "$sens" "$f1" "$queued" "$SECS" "$rsens" "$REVIEWED" \
		"$([ "$CONFLICTS" -gt 0 ] && echo ", $CONFLICTS already settled")" "$pfp" "$psens" "$pf1"
	[ "$fp" -eq 0 ] || missed "$name: FP = $fp (target 0)"
	if [ -n "$pub" ] && ! python3 -c 'import sys; sys.exit(not float(sys.argv[1]) >= float(sys.argv[2]))' "$sens" "$psens"; then
		missed "$name: sensitivity $sens below bib-dedupe's published $psens"
	fi
done

echo
echo "Stress test (bench/dedup_stress.py, seed $SEED, $STRESS_PER records per kind): each labelled dataset with"
echo "copies altered as real exports differ (journal abbreviated or damaged, title in brackets, authors"
echo "missing, swapped or mistyped, pages and issues written otherwise: duplicates to find) and different"
echo "works that look alike (erratum, comment, reply, part 2, the next issue, another meeting, another"
echo "article of the volume: near neighbours, never to be merged). Target: no false merge."
echo
echo "| dataset | duplicates made | merged | queued | missed | near neighbours | merged (FP) | false merges in the run |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for name in ASySD_Diabetes SRA2_Cytology_screening SRA2_Haematology; do
	csv=$SHARED/data/dedup/$name.csv
	S=$WORK/$name.stress.csv R=$WORK/$name.stress.qes
	python3 "$STRESS" make "$csv" "$S" --per-kind "$STRESS_PER" --seed "$SEED" || fail "$name: dedup_stress.py make failed"
	"$QES" init "$R" >"$WORK/imp" 2>&1 || fail "$name (stress): qes init failed"
	"$QES" import "$R" "$S" >"$WORK/imp" 2>&1 || fail "$name (stress): import failed: $(head -c 200 "$WORK/imp")"
	"$QES" dedup "$R" >"$WORK/out" 2>&1 || fail "$name (stress): qes dedup failed: $(head -c 200 "$WORK/out")"
	"$QES" dedup clusters "$R" -o "$WORK/$name.stress.c.csv" || fail "$name (stress): clusters export failed"
	"$QES" dedup queue "$R" --json >"$WORK/$name.stress.q.json" || fail "$name (stress): queue failed"
	python3 "$STRESS" score "$S" "$WORK/$name.stress.c.csv" "$WORK/$name.stress.q.json" --json >"$WORK/stress.json"
	[ -s "$WORK/stress.json" ] || fail "$name (stress): dedup_stress.py score failed"
	python3 -c '
import json, sys
d = json.load(open(sys.argv[2]))
print("| %s | %d | %d | %d | %d | %d | %d | %d |" % (sys.argv[1], d["dup_made"], d["dup_merged"], d["dup_queued"],
      d["dup_made"] - d["dup_merged"] - d["dup_queued"], d["near_made"], d["near_merged"], d["false_merges"]))' \
		"$name" "$WORK/stress.json" || fail "$name (stress): printing the row failed"
	fm=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["false_merges"] + d["near_merged"])' "$WORK/stress.json")
	[ "$fm" -eq 0 ] || missed "$name stress test: $fm false merges (target 0)"
	rm -f "$R" "$R-wal" "$R-shm"
done

echo
echo "Synthetic records at scale (gen_records, duplicate rate $DUP_RATE, seed $SEED; the generator's truth scores accuracy)."
echo "Targets: 80,000 records in 5 s, 1,000,000 in 2 min (wall clock), FP = 0, memory linear in the records."
echo
echo "| records | dedup time (wall) | CPU time | records/s (wall) | peak memory | pairs compared | FP | sensitivity | F1 |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
[ -x "$GEN" ] || fail "no generator at $GEN (make build/rel/bench/gen_records, or set GEN)"
for n in $SIZES; do
	f=$WORK/gen$n.csv
	R=$WORK/gen$n.qes
	"$GEN" --records "$n" --seed "$SEED" --format csv --dup-rate "$DUP_RATE" -o "$f" >"$WORK/imp" 2>&1 ||
		fail "$n: gen_records failed: $(head -c 200 "$WORK/imp")"
	"$QES" init "$R" >"$WORK/imp" 2>&1 || fail "$n: qes init failed"
	"$QES" import "$R" "$f" >"$WORK/imp" 2>&1 || fail "$n: import failed: $(head -c 200 "$WORK/imp")"
	timed "$QES" dedup "$R" --json || fail "$n: qes dedup failed: $(head -c 200 "$WORK/out")"
	pairs=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pairs_compared"])' "$WORK/out") ||
		fail "$n: no pair count in qes dedup --json"
	"$QES" dedup clusters "$R" -o "$WORK/c$n.csv" || fail "$n: clusters export failed"
	sed '1s/^id,/bench_id,/' "$f.truth.csv" >"$WORK/t$n.csv"
	score "$WORK/t$n.csv" "$WORK/c$n.csv"
	python3 -c '
import json, sys
d = json.load(open(sys.argv[6]))
n, secs, rss, pairs, cpu = sys.argv[1:6]
print("| %s | %s s | %s s | %s | %s MiB | %s | %d | %.4f | %.4f |" % (f"{int(n):,}", secs, cpu,
      f"{int(int(n) / max(float(secs), 0.01)):,}", rss, f"{int(pairs):,}", d["FP"], d["sensitivity"], d["f1"]))' \
		"$n" "$SECS" "$RSS_MB" "$pairs" "$CPU" "$WORK/score.json" || fail "$n: printing the row failed"
	fp=$(field FP)
	[ "$fp" -eq 0 ] || missed "$n synthetic records: FP = $fp (target 0)"
	if [ "$n" -le 80000 ]; then limit=5; elif [ "$n" -le 1000000 ]; then limit=120; else limit=; fi
	if [ -n "$limit" ] && ! python3 -c 'import sys; sys.exit(not float(sys.argv[1]) <= float(sys.argv[2]))' "$SECS" "$limit"; then
		missed "$n records took $SECS s (target $limit s; CPU $CPU s)"
	fi
	rm -f "$R" "$R-wal" "$R-shm" "$f"
done

echo
if [ "$MISSED" -ne 0 ]; then
	echo "Some targets were missed (MISSED lines above)."
	exit 1
fi
echo "Every target met."
