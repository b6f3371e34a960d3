#!/usr/bin/env bash
# t40-screening: the full screening lifecycle through the CLI on real shared
# data: import (a database search and citation searching as 'other methods'),
# reviewers, criteria, a 10% double-screening sample with a recorded seed,
# decisions from CSV, blinding, conflicts and their resolution, agreement
# (kappa checked against an independent computation), full texts (PDF text
# extracted with poppler, reports not retrieved), final inclusions, the log.
source "$(dirname "$0")/lib.sh"
if ! have_shared; then skip "no ../shared/data"; exit 0; fi
DATA=$SHARED/data/screening/Cohen_2006_Antihistamines.csv
OTHER=$SHARED/data/formats/asreview/generic_labels.csv
R=$TMP/r.qes
cd "$TMP"

check "init" "$QES" init "$R"
if ! out=$("$QES" import "$R" "$DATA" --source MEDLINE 2>&1); then
	not_ok "import the screening dataset" "$out"; exit 0
fi
check "import citation searching as other methods" \
	"$QES" import "$R" "$OTHER" --source "Citation searching" --method other
# Screening works on deduplicated records: one record per work.
check "deduplicate" "$QES" dedup "$R"
works=$("$QES" status "$R" --json | json_get dedup.works)
check_eq "the title/abstract pool is one record per work" \
	"$("$QES" screen "$R" --stage ta --progress --json | json_get pool)" "$works"
check "reviewer AB (first: owner)" "$QES" reviewer add "$R" AB --name "Ann Bee"
check "reviewer CD" "$QES" reviewer add "$R" CD --name "Cy Dee"
check "reviewer EF (arbiter)" "$QES" reviewer add "$R" EF --role arbiter
check_fails "duplicate initials refused" 5 "$QES" reviewer add "$R" ab
roles=$("$QES" reviewer list "$R" --json | python3 -c 'import json,sys; print(" ".join(r["initials"]+":"+r["role"] for r in json.load(sys.stdin)))')
check_eq "reviewers and roles" "$roles" "AB:owner CD:reviewer EF:arbiter"

check "criteria (SPICE, concepts, criteria, reasons, keywords)" "$QES" criteria "$R" \
	--framework SPICE --concept "Setting=allergy clinics" --concept "Perspective=patients" \
	--include "randomised trials of antihistamines" --exclude "animal studies" \
	--reason "Wrong population" --reason "Wrong intervention" --reason "Not a trial" \
	--keyword randomized --exclude-keyword rats
crit=$("$QES" criteria "$R" --json)
check_eq "framework stored" "$(echo "$crit" | json_get framework)" "SPICE"
check_eq "concept block stored" "$(echo "$crit" | json_get concepts.0.label)" "Setting"
check_eq "reasons stored" "$(echo "$crit" | json_get reasons.2)" "Not a trial"

check_fails "policy needs the owner" 6 "$QES" policy "$R" --stage ta sample --fraction 0.1 --seed 2023 --as CD
check "10% sample at ta, seed recorded" "$QES" policy "$R" --stage ta sample --fraction 0.1 --seed 2023 --as AB
check "10% sample at ft" "$QES" policy "$R" --stage ft sample --fraction 0.1 --seed 2023 --as AB
check_eq "policy read back" "$("$QES" policy "$R" --stage ta --json | json_get seed)" "2023"

prog=$("$QES" screen "$R" --stage ta --progress --json)
pool=$(echo "$prog" | json_get pool)
double=$(echo "$prog" | json_get double_needed)
check_eq "ta pool is every work" "$pool" "$works"
if [ "$double" -ge 15 ] && [ "$double" -le 50 ]; then ok "sample of $double near 10% of $works"; else not_ok "sample size" "$double"; fi

# labels.py OUTCOMES_JSON: maps each record id to its published labels: the
# database records by record_id, the other-methods file by row order (its
# ids repeat). Prints "record_id method ta_label ft_label" lines.
cat > labels.py <<'PY'
import csv, json, sys
data, other, outc = sys.argv[1], sys.argv[2], json.load(open(sys.argv[3]))
db = {r["record_id"]: r for r in csv.DictReader(open(data, encoding="utf-8"))}
oth = list(csv.DictReader(open(other, encoding="utf-8")))
i = 0
for e in outc:
    if e["method"] == "other":
        r = oth[i]; i += 1
        ta = ft = r["label_included"]
    else:
        r = db[e["source_key"]]
        ta, ft = r["label_abstract_screening"], r["label_included"]
    print(e["record_id"], e["method"], ta, ft, e["outcome"])
PY
"$QES" screen "$R" --stage ta --outcomes --json > ta0.json
python3 labels.py "$DATA" "$OTHER" ta0.json > labels.txt
check_eq "labels for every work" "$(wc -l < labels.txt)" "$works"
# AB screens everything, following the published title/abstract labels.
{ echo "source_key,reviewer,stage,decision,reason"
  while read -r id method ta ft out; do
	if [ "$ta" = 1 ]; then echo "#$id,AB,ta,include,"; else echo "#$id,AB,ta,exclude,Wrong population"; fi
  done < labels.txt; } > ab.csv
# A file with one bad row is rejected whole, naming the line.
sed '5s/,include,/,maybe,/; 5s/,exclude,/,maybe,/' ab.csv > bad.csv
out=$("$QES" decide "$R" --from bad.csv 2>&1); rc=$?
check_eq "bad CSV rejected (exit 3)" "$rc" "3"
check_contains "error names line 5" "$out" ":5:"
check_eq "nothing was written" "$("$QES" screen "$R" --progress --json --as AB | json_get mine)" "0"
check "AB's decisions imported from CSV" "$QES" decide "$R" --from ab.csv
prog=$("$QES" screen "$R" --stage ta --progress --json --as CD)
check_eq "CD has exactly the sample to screen" "$(echo "$prog" | json_get to_do)" "$double"

# Blinding through the CLI: CD cannot see AB's decisions on the sample.
sample=$("$QES" screen "$R" --stage ta --outcomes --json | python3 -c '
import json,sys; print(" ".join(str(e["record_id"]) for e in json.load(sys.stdin) if e["outcome"]=="pending"))')
first=${sample%% *}
hidden=$("$QES" log "$R" --as CD --json | python3 -c '
import json,sys; L=json.load(sys.stdin); print(sum(1 for e in L if e["hidden"] and e["new"] is None))')
check_eq "log hides AB's sampled decisions from CD" "$hidden" "$double"
vis=$("$QES" log "$R" --as AB --json | python3 -c '
import json,sys; L=json.load(sys.stdin); print(sum(1 for e in L if e["hidden"]))')
check_eq "AB sees all their own" "$vis" "0"

# CD screens the sample: agrees except on every third record (a conflict),
# and says unsure on every seventh.
"$QES" screen "$R" --stage ta --outcomes --json > outcomes.json
python3 - ab.csv outcomes.json > cd.csv <<'PY'
import csv, json, sys
ab = {row["source_key"]: row["decision"] for row in csv.DictReader(open(sys.argv[1]))}
print("source_key,reviewer,stage,decision,reason")
i = 0
for e in json.load(open(sys.argv[2])):
    if e["outcome"] != "pending":
        continue
    key = "#%d" % e["record_id"]
    d = ab[key]
    i += 1
    if i % 7 == 0: d = "unsure"
    elif i % 3 == 0: d = "exclude" if d == "include" else "include"
    print("%s,CD,ta,%s,%s" % (key, d, "Wrong intervention" if d == "exclude" else ""))
PY
check "CD's sample decisions imported" "$QES" decide "$R" --from cd.csv
sk=$(head -2 cd.csv | tail -1 | cut -d, -f1)
check_fails "AB cannot change a decision once CD has decided" 5 \
	"$QES" decide "$R" --as AB --stage ta "$sk" unsure

# Agreement against an independent computation from the two CSVs.
"$QES" agreement "$R" --stage ta --json > agree.json
want=$(python3 - ab.csv cd.csv <<'PY'
import csv, math, sys
ab = {r["source_key"]: r["decision"] for r in csv.DictReader(open(sys.argv[1]))}
cats = ["include", "exclude", "unsure"]
t = [[0]*3 for _ in range(3)]
for r in csv.DictReader(open(sys.argv[2])):
    t[cats.index(ab[r["source_key"]])][cats.index(r["decision"])] += 1
n = sum(map(sum, t)); p = [[x/n for x in row] for row in t]
rw = [sum(p[i]) for i in range(3)]; cl = [sum(p[i][j] for i in range(3)) for j in range(3)]
po = sum(p[i][i] for i in range(3)); pe = sum(rw[i]*cl[i] for i in range(3)); k = (po-pe)/(1-pe)
a = sum(p[i][i]*(1-(rw[i]+cl[i])*(1-k))**2 for i in range(3))
b = (1-k)**2*sum(p[i][j]*(cl[i]+rw[j])**2 for i in range(3) for j in range(3) if i != j)
se = math.sqrt((a+b-(k-pe*(1-k))**2)/(n*(1-pe)**2))
# Wilson score interval of po carried to the kappa scale; the union is reported.
z = 1.959964; mid = (po + z*z/(2*n))/(1 + z*z/n)
half = z*math.sqrt(po*(1-po)/n + z*z/(4*n*n))/(1 + z*z/n)
lo = min(k-z*se, (mid-half-pe)/(1-pe)); hi = max(k+z*se, (mid+half-pe)/(1-pe))
# Gwet's AC1 over the three categories; Krippendorff's alpha (nominal, two coders).
pi = [(rw[i]+cl[i])/2 for i in range(3)]; peg = sum(x*(1-x) for x in pi)/2
ac1 = (po-peg)/(1-peg)
nv = 2*n; nc = [pi[i]*nv for i in range(3)]
dis = sum(t[i][j] + t[j][i] for i in range(3) for j in range(3) if i != j)
alpha = 1 - (nv-1)*dis/(nv*nv - sum(x*x for x in nc))
print(f"{n} {100*po:.6f} {k:.6f} {max(-1,lo):.4f} {min(1,hi):.4f} {ac1:.6f} {alpha:.6f}")
PY
)
got=$(python3 -c '
import json,sys; p=json.load(open("agree.json"))["pairs"][0]
print(p["a"], p["b"], p["n"], "%.6f" % p["percent_agreement"], "%.6f" % p["kappa"], "%.4f" % p["kappa_ci95"][0], "%.4f" % p["kappa_ci95"][1], "%.6f" % p["ac1"], "%.6f" % p["alpha"])')
check_eq "agreement AB-CD: n, percent, kappa, CI, AC1, alpha" "$got" "AB CD $want"

# Conflicts: list, resolve (consensus by AB, third reviewer EF), none left.
"$QES" conflicts "$R" --stage ta --json > conflicts.json
nconf=$(python3 -c 'import json; print(len(json.load(open("conflicts.json"))))')
if [ "$nconf" -gt 0 ]; then ok "$nconf conflicts listed"; else not_ok "conflicts listed" "$nconf"; fi
check_fails "CD cannot resolve as a third reviewer" 6 \
	"$QES" conflicts resolve "$R" --as CD --stage ta "#$(python3 -c 'import json; print(json.load(open("conflicts.json"))[0]["record_id"])')" include --method third
i=0
for id in $(python3 -c 'import json; print(" ".join(str(c["record_id"]) for c in json.load(open("conflicts.json"))))'); do
	i=$((i + 1))
	if [ $((i % 2)) -eq 0 ]; then
		"$QES" conflicts resolve "$R" --as EF --stage ta "#$id" include --method third --note "third reviewer" >/dev/null || not_ok "resolve #$id"
	else
		"$QES" conflicts resolve "$R" --as AB --stage ta "#$id" include --note "discussed" >/dev/null || not_ok "resolve #$id"
	fi
done
check_eq "no open conflicts left" "$("$QES" conflicts "$R" --stage ta --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" "0"
check_eq "resolutions kept" "$("$QES" conflicts "$R" --stage ta --all --json | python3 -c 'import json,sys; print(sum(1 for c in json.load(sys.stdin) if c["resolution"]))')" "$nconf"
prog=$("$QES" screen "$R" --stage ta --progress --json)
check_eq "ta complete" "$(echo "$prog" | json_get screened)" "$works"

# Full texts: a real PDF per sought report (text extracted with poppler),
# two reports not retrieved.
sought=$("$QES" screen "$R" --stage ft --outcomes --json | python3 -c 'import json,sys; print(" ".join(str(e["record_id"]) for e in json.load(sys.stdin)))')
nsought=$(echo $sought | wc -w)
check_eq "reports sought = ta includes" "$nsought" "$("$QES" screen "$R" --stage ta --progress --json | json_get included)"
set -- $sought
missing1=$1 missing2=$2
check "report not retrieved" "$QES" fulltext missing "$R" "#$missing1" --note "no library holds it" --as AB
check "report not retrieved (2)" "$QES" fulltext missing "$R" "#$missing2" --as AB
check_fails "cannot attach to a record not sought" 5 "$QES" fulltext attach "$R" "1:1" /dev/null
shift 2
bad=0
for id in "$@"; do
	mkpdf "ft$id.pdf" "Full text of record $id: a randomised trial"
	"$QES" fulltext attach "$R" "#$id" "ft$id.pdf" --as AB >/dev/null || bad=$((bad + 1))
done
check_eq "every other report attached" "$bad" "0"
id=$1
check_contains "text extracted with poppler" "$("$QES" fulltext show "$R" "#$id")" "Full text of record $id: a randomised trial"
prog=$("$QES" screen "$R" --stage ft --progress --json)
check_eq "reports retrieved" "$(echo "$prog" | json_get retrieved)" "$((nsought - 2))"
check_eq "reports not retrieved" "$(echo "$prog" | json_get not_retrieved)" "2"
check_fails "excluding a full text needs a reason" 2 "$QES" decide "$R" --as AB --stage ft "#$id" exclude
check_fails "not-retrieved report cannot be screened" 5 "$QES" decide "$R" --as AB --stage ft "#$missing1" include

# Full-text decisions follow the final labels; CD double-screens the ft
# sample and agrees.
"$QES" screen "$R" --stage ft --outcomes --json > ft0.json
{ echo "source_key,reviewer,stage,decision,reason"
  python3 -c '
import json, sys
pending = set(e["record_id"] for e in json.load(open("ft0.json")) if e["outcome"] == "pending")
for line in open("labels.txt"):
    rid, method, ta, ft, out = line.split()
    if int(rid) in pending:
        print("#%s,AB,ft,%s" % (rid, "include," if ft == "1" else "exclude,Not a trial"))'
} > ft_ab.csv
check "AB's full-text decisions" "$QES" decide "$R" --from ft_ab.csv
"$QES" screen "$R" --stage ft --outcomes --json | python3 -c '
import csv, json, sys
ab = {r["source_key"]: r["decision"] for r in csv.DictReader(open(sys.argv[1]))}
print("source_key,reviewer,stage,decision,reason")
for e in json.load(sys.stdin):
    if e["outcome"] != "pending": continue
    d = ab["#%d" % e["record_id"]]
    print("#%d,CD,ft,%s,%s" % (e["record_id"], d, "Not a trial" if d == "exclude" else ""))
' ft_ab.csv > ft_cd.csv
check "CD's full-text sample" "$QES" decide "$R" --from ft_cd.csv
prog=$("$QES" screen "$R" --stage ft --progress --json)
check_eq "ft complete" "$(echo "$prog" | json_get pending)" "0"
final=$("$QES" screen "$R" --stage ft --outcomes --json | python3 -c '
import json,sys; L=json.load(sys.stdin)
print(sum(e["outcome"]=="include" for e in L), sum(e["outcome"]=="include" and e["method"]=="other" for e in L))')
want=$(grep -c ',include,' ft_ab.csv)
check_eq "final inclusions match the labels of the retrieved reports" "${final% *}" "$want"
if [ "${final#* }" -ge 1 ]; then ok "other-methods records among the inclusions: ${final#* }"; else not_ok "other methods included" "$final"; fi

# The log has every action, and its text form reads.
log=$("$QES" log "$R" --json)
for a in reviewer policy import resolve fulltext missing; do
	check_contains "log has $a entries" "$log" "\"action\": \"$a\""
done
check_contains "log text form" "$("$QES" log "$R")" "resolve"
check_fails "screen needs a terminal" 2 "$QES" screen "$R" --as AB </dev/null

# Every record included at full text is a study (issue 8 reads them).
nstudies=$("$QES" studies "$R" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["totals"]["studies"])')
check_eq "every full-text inclusion became a study" "$nstudies" "${final% *}"
