#!/bin/bash
# t50-simulate.sh: qes simulate on a real labelled dataset; the independent
# scorer (../shared/tools/wss.py) must recompute the same metrics from --order.
. "$(dirname "$0")/lib.sh"

DATA=$SHARED/data/screening/Cohen_2006_Antihistamines.csv
WSS=$SHARED/tools/wss.py
if ! have_shared || [ ! -f "$DATA" ]; then
	skip "simulate: ../shared/data/screening is not here"
	exit 0
fi
# wss.py needs numpy; the system python has it when python3-numpy is installed.
PY=
for p in /usr/bin/python3 python3; do
	if "$p" -c 'import numpy' 2>/dev/null; then PY=$p; break; fi
done

check_fails "simulate without a file is a usage error" 2 "$QES" simulate
check_fails "simulate --runs 0 is a usage error" 2 "$QES" simulate "$DATA" --runs 0
if out=$("$QES" simulate "$DATA" --json --seed 1 --order "$TMP/order.txt" \
	--curve "$TMP/curve.csv" --plot "$TMP/curve.svg" 2>&1); then
	ok "simulate Cohen_2006_Antihistamines.csv --json"
else
	not_ok "simulate Cohen_2006_Antihistamines.csv --json" "$out"
	exit 1
fi
for k in n included recall_at_10pct wss_at_95 screened_to_last_inclusion ms_per_retrain; do
	v=$(echo "$out" | json_get "$k" 2>/dev/null)
	if [ -n "$v" ] && [ "$v" != "None" ]; then ok "JSON has $k ($v)"; else not_ok "JSON has $k" "$out"; fi
done
check_eq "n is the number of records" "$(echo "$out" | json_get n)" 310
check_eq "included counts label_included = 1" "$(echo "$out" | json_get included)" 16
check_eq "order starts with the two priors and has one line per screened record" \
	"$(wc -l < "$TMP/order.txt")" "$(( $(echo "$out" | json_get screened_to_last_inclusion) + 2 ))"
check_eq "order has no record twice" "$(sort "$TMP/order.txt" | uniq -d | wc -l)" 0
check_contains "curve CSV has its header" "$(head -1 "$TMP/curve.csv")" "seed,screened,found,recall"
check_contains "plot is an SVG with a recall line" "$(cat "$TMP/curve.svg")" "<polyline"

if [ -z "$PY" ]; then
	skip "wss.py needs python3-numpy, which is not installed"
else
	ref=$("$PY" "$WSS" "$DATA" "$TMP/order.txt")
	for k in recall_at_10pct wss_at_95 screened_to_last_inclusion; do
		check_eq "wss.py agrees on $k" "$(echo "$ref" | json_get "$k")" "$(echo "$out" | json_get "$k")"
	done
	check_eq "wss.py finds the order valid" "$(echo "$ref" | json_get valid)" True
fi

# The same seed gives the same order (the protocol is deterministic).
"$QES" simulate "$DATA" --seed 1 --order "$TMP/again.txt" >/dev/null 2>&1
check "same seed, same screening order" cmp "$TMP/order.txt" "$TMP/again.txt"
# --runs writes one order per seed and reports each run.
if out2=$("$QES" simulate "$DATA" --json --seed 1 --runs 2 --order "$TMP/o" 2>&1); then
	check "--runs 2 writes ORDER.SEED for each seed" test -s "$TMP/o.1" -a -s "$TMP/o.2"
	check "run with seed 1 equals the single run" cmp "$TMP/order.txt" "$TMP/o.1"
	check_eq "--runs 2 reports two runs" "$(echo "$out2" | json_get runs.1.seed)" 2
else
	not_ok "simulate --runs 2" "$out2"
fi
check_fails "a missing label column is an input error" 3 "$QES" simulate "$DATA" --label no_such_column
check_fails "--stopping 0 is a usage error" 2 "$QES" simulate "$DATA" --stopping 0
python3 - "$DATA" "$TMP/badlabel.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
col = rows[0].index("label_included")
rows[3][col] = "maybe"
csv.writer(open(sys.argv[2], "w", newline="")).writerows(rows)
PY
badout=$("$QES" simulate "$TMP/badlabel.csv" 2>&1); badrc=$?
check_eq "a label that is not 0 or 1 is an input error" "$badrc" 3
echo "$badout" >"$TMP/badlabel.err"
check "the error names the file, the record's line and the column" \
	grep -Eq 'badlabel\.csv:[1-9][0-9]*: field label_included' "$TMP/badlabel.err"
check_contains "... and says what the label must be" "$badout" \
	"has 'maybe' in column 'label_included', where the label must be 0 (excluded) or 1 (included)"

# --stopping: the stopping aid replayed (prioritised until 30 irrelevant in a
# row, then a random sample until the test says stop). The p-value of each
# run is recomputed here from the counts, with exact binomial coefficients.
STOPDATA=$SHARED/data/screening/Cohen_2006_NSAIDS.csv
if out3=$("$QES" simulate "$STOPDATA" --json --runs 2 --stopping 30 2>&1); then
	verdict=$(echo "$out3" | python3 -c '
import json, math, sys
d = json.load(sys.stdin)
n, inc = d["n"], d["included"]
bad = []
for r in d["runs"]:
    s = r["stopping"]
    N = n - s["switched_at"]              # records left when sampling began
    k, m = s["sample_relevant"], s["sample_n"]
    r_al = s["found"] - k                 # relevant found before sampling
    ktar = math.floor(s["found"] / 0.95) - r_al + 1
    p = sum(math.comb(ktar, x) * math.comb(N - ktar, m - x)
            for x in range(0, k + 1)) / math.comb(N, m) if ktar <= N else 0.0
    checks = {
        "switched after at least 30 records past the priors": s["switched_at"] >= 32,
        "screened = switched_at + sample": s["screened"] == s["switched_at"] + m,
        "recall = found / included": abs(s["recall"] - round(s["found"] / inc, 4)) < 1e-9,
        "p-value recomputed": abs(p - s["p_value"]) <= 1e-9 + 1e-6 * p,
        "stopped iff p < 0.05": s["stopped"] == (p < 0.05),
        "stopped before every record was screened": s["stopped"] and s["screened"] < n,
        "target_met = recall >= 0.95": s["target_met"] == (s["found"] / inc >= 0.95),
    }
    bad += ["seed %d: %s" % (r["seed"], c) for c, ok in checks.items() if not ok]
mean = d["stopping"]
if mean["runs"] != 2 or abs(mean["recall"] - round(sum(r["stopping"]["found"] for r in d["runs"]) / (2 * inc), 4)) > 1e-4:
    bad.append("the mean over the runs")
print("; ".join(bad) or "ok")')
	check_eq "--stopping: counts, p-value and stop agree with an independent recount" "$verdict" ok
else
	not_ok "simulate --stopping 30" "$out3"
fi
