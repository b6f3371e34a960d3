#!/bin/bash
# bench_rank.sh: prioritised screening (issue 6) against ASReview ELAS u4.
#
#   bash bench/bench_rank.sh            (from the repository root, after make)
#   SEEDS=5 RECORDS=100000 bash bench/bench_rank.sh
#
# For each of the 15 shared datasets: qes simulate over SEEDS seeds (0..SEEDS-1),
# our mean WSS@95, recall@10% and ms per retrain beside the reference
# (reference_asreview.tsv, model u4) and the speed ratio; then the means and
# PASS/FAIL against the targets:
#   mean WSS@95 >= reference mean + 0.03; no dataset more than 0.05 below its
#   reference; every retrain + rescore >= 10x faster than the reference's;
#   at RECORDS synthetic records, retrain + rescore < 100 ms.
# One process at a time: it uses one core. Exit status 1 when a target is
# missed, 2 on an error (a simulate run failed, bench_rank not built).
# Not like for like, and said so in the output: the reference's numbers were
# measured on another machine (ASReview's Python, wall time per retrain, seeds
# 0-2), ours here (CPU time of the training thread, seeds 0..SEEDS-1); and the
# qes defaults were tuned on these same 15 datasets, so their WSS@95 here is
# in-sample (bench/rank_lodo.sh reports them leave-one-dataset-out).
set -u
cd "$(dirname "$0")/.."
QES=${QES:-./qes}
SEEDS=${SEEDS:-5}
RECORDS=${RECORDS:-100000}
DATA=${DATA:-../shared/data/screening}
REF=$DATA/reference_asreview.tsv
if [ ! -f "$REF" ]; then
	echo "bench_rank: skipped, $REF is not here"
	exit 0
fi
[ -x "$QES" ] || { echo "bench_rank: build first (make)"; exit 2; }

echo "== prioritised screening: qes simulate, seeds 0..$((SEEDS - 1)), vs ASReview ELAS u4"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for f in "$DATA"/*.csv; do
	b=$(basename "$f")
	ref=$(awk -F'\t' -v f="$b" '$1 == f && $2 == "u4" { print $5, $6, $8 }' "$REF")
	[ -n "$ref" ] || continue
	if ! "$QES" simulate "$f" --seed 0 --runs "$SEEDS" --json > "$tmp/$b.json" 2> "$tmp/err"; then
		echo "bench_rank: qes simulate $b failed: $(cat "$tmp/err")"
		exit 2
	fi
	echo "$b $ref" >> "$tmp/refs"
done
python3 - "$tmp" <<'PY'
import json, sys, os
tmp = sys.argv[1]
rows = []
for line in open(os.path.join(tmp, "refs")):
    name, r10, wss, ms = line.split()
    d = json.load(open(os.path.join(tmp, name + ".json")))
    rows.append((name, d["n"], d["included"], d["wss_at_95"], float(wss), d["recall_at_10pct"],
                 float(r10), d["ms_per_retrain"], float(ms)))
print(f"{'dataset':38} {'N':>5} {'incl':>4} | {'WSS@95':>6} {'ref':>6} {'diff':>6} | "
      f"{'rec@10':>6} {'ref':>6} | {'ms/retrain':>10} {'ref':>6} {'faster':>7}")
worst_ok = speed_ok = True
for (name, n, inc, w, rw, r, rr, ms, rms) in rows:
    ratio = rms / ms if ms > 0 else float("inf")
    flag = ""
    if w < rw - 0.05:
        worst_ok = False; flag += " WSS<ref-0.05"
    if ratio < 10:
        speed_ok = False; flag += " SLOW"
    print(f"{name[:-4]:38} {n:5d} {inc:4d} | {w:6.3f} {rw:6.3f} {w - rw:+6.3f} | "
          f"{r:6.3f} {rr:6.3f} | {ms:10.3f} {rms:6.1f} {ratio:6.1f}x{flag}")
k = len(rows)
mw = sum(x[3] for x in rows) / k; mr = sum(x[4] for x in rows) / k
m10 = sum(x[5] for x in rows) / k; mr10 = sum(x[6] for x in rows) / k
print(f"{'MEAN':38} {'':5} {'':4} | {mw:6.3f} {mr:6.3f} {mw - mr:+6.3f} | {m10:6.3f} {mr10:6.3f} |")
ok_mean = mw >= mr + 0.03
print("in-sample: qes's settings were chosen on these same 15 datasets (docs/ranking.md), so its WSS@95")
print("  here is optimistic; bench/rank_lodo.sh reports the choice leave-one-dataset-out. The reference")
print("  is the mean of seeds 0-2 with numpy's shuffles, ours of other shuffles: only the means compare.")
print("not like for like: ms/retrain here is the CPU time of qes's training thread, measured in this run;")
print("  the reference's is ASReview's wall time per fit + scoring (Python, one core) from")
print("  reference_asreview.tsv, measured on another machine. The speed ratio is indicative only.")
print(f"target mean WSS@95 >= ref + 0.03 ({mr + 0.03:.3f}): {'PASS' if ok_mean else 'FAIL'} ({mw:.3f})")
print(f"target no dataset more than 0.05 below its reference: {'PASS' if worst_ok else 'FAIL'}")
print(f"target every retrain >= 10x faster than the reference: {'PASS' if speed_ok else 'FAIL'}")
open(os.path.join(tmp, "status"), "w").write("ok" if ok_mean and worst_ok and speed_ok else "fail")
PY
[ $? -eq 0 ] || { echo "bench_rank: the comparison failed" >&2; exit 2; }
status=$(cat "$tmp/status")

echo "== retrain + rescore at $RECORDS synthetic records (bench_rank)"
B=build/rel/bench/bench_rank
if [ -x "$B" ]; then
	out=$("$B" --records "$RECORDS" --seed 1) || { echo "bench_rank: $B failed" >&2; exit 2; }
	echo "$out"
	ms=$(echo "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["ms_per_retrain"])')
	if python3 -c "import sys; sys.exit(0 if $ms < 100 else 1)"; then
		echo "target retrain + rescore < 100 ms (wall clock) at $RECORDS records: PASS ($ms ms)"
	else
		echo "target retrain + rescore < 100 ms (wall clock) at $RECORDS records: FAIL ($ms ms)"
		status=fail
	fi
else
	echo "bench_rank: $B not built (make build/rel/bench/bench_rank)" >&2
	exit 2
fi
[ "$status" = ok ] || exit 1
