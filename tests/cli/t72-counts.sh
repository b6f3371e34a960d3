#!/usr/bin/env bash
# t72: every number a review reports is the number that happened (issue 18).
#
# A scripted review, every box counted by hand:
#   MEDLINE 6 records (W01-W06), PsycINFO 2 (W01 again, same DOI; W07),
#   Social Care Online searched, 0 hits (qes source add, no export);
#   citation searching 5 (W02 again, a duplicate of a database record; W08-W11).
# Databases and registers:
#   identified 8 (MEDLINE 6, PsycINFO 2, Social Care Online 0); duplicates 1 (W01);
#   screened 7 works (W01-W07); ta: W01-W03 included, W04-W07 excluded (4);
#   sought 3; W03 not retrieved; assessed 2; W02 excluded "Not qualitative";
#   W01 included.
# Other methods:
#   identified 5; duplicates removed 1 (W02); works W08-W11; W08 excluded on
#   title/abstract (1); sought 3 (W09-W11); W09 not retrieved; assessed 2;
#   W10 excluded "Wrong population"; W11 included.
# Included: reports 2 (W01, W11), studies 2. W01 and W11 are both "Bennett,
# A." 2020: two studies told apart as Bennett 2020a and 2020b.
. "$(dirname "$0")/lib.sh"
R="$TMP/c.qes"
cd "$TMP" || exit 1

ris() {  # ris ID WORK [AUTHOR]
	printf 'TY  - JOUR\nID  - %s\nTI  - Study %s of parents and practitioners in child protection\n' "$1" "$2"
	printf 'AU  - %s\nPY  - 2020\nJO  - Child & Family Social Work\nVL  - 1\nSP  - %d\n' "${3:-Author$2, A.}" "$((10#${2#W}))"
	printf 'DO  - 10.1000/%s\nER  - \n\n' "$2"
}
{ ris m01 W01 "Bennett, A."; for w in 02 03 04 05 06; do ris "m$w" "W$w"; done; } > medline.ris
{ ris p01 W01 "Bennett, A."; ris p07 W07; } > psycinfo.ris
{ ris c02 W02; for w in 08 09 10; do ris "c$w" "W$w"; done; ris c11 W11 "Bennett, A."; } > citations.ris

check "init" "$QES" init "$R"
check "import MEDLINE" "$QES" import "$R" medline.ris --source MEDLINE --searched 2022-03-14 --platform Ovid --limits "2000-2022; English"
check "import PsycINFO" "$QES" import "$R" psycinfo.ris --source PsycINFO --searched 2022-03-14
check "a search with no results is recorded (qes source add)" \
	"$QES" source add "$R" "Social Care Online" --searched 2022-03-15 --string '"child protection" AND parent*' --hits 0 --platform SCIE
check_fails "a search needs its date (exit 2)" 2 "$QES" source add "$R" "Google Scholar"
check_fails "a bad date is refused" 2 "$QES" source add "$R" "Google Scholar" --searched 2022-13-01
check_fails "negative hits are refused (exit 2)" 2 "$QES" source add "$R" "Google Scholar" --searched 2022-03-15 --hits -1
check "import citation searching" "$QES" import "$R" citations.ris --source "Citation searching" --method other
check "deduplicate" "$QES" dedup "$R"
check "reviewer" "$QES" reviewer add "$R" AB --name "A Reviewer"
check "reasons" "$QES" criteria "$R" --reason "Not qualitative"
check "reasons (2)" "$QES" criteria "$R" --reason "Wrong population"

"$QES" screen "$R" --stage ta --outcomes --json > pool.json
"$QES" records "$R" --json > records.json
work_ids() {  # "ID WORK" per record of a stage's outcomes
	python3 -c '
import json, re, sys
titles = {r["id"]: r["title"] for r in json.load(open("records.json"))}
for e in json.load(open(sys.argv[1])):
    print(e["record_id"], re.search(r"W\d\d", titles[e["record_id"]]).group(0))' "$1"
}
work_ids pool.json > pool.txt
check_eq "screening sees one record per work (11 works)" "$(wc -l < pool.txt)" 11
{
	echo "source_key,reviewer,stage,decision,reason"
	# W11 last: AB's latest title/abstract decision (the undo test below).
	sort -k2 pool.txt | while read -r id w; do
		case $w in W01|W02|W03|W09|W10|W11) d=include ;; *) d=exclude ;; esac
		echo "#$id,AB,ta,$d,"
	done
} > ta.csv
check "title/abstract decisions" "$QES" decide "$R" --from ta.csv
"$QES" screen "$R" --stage ft --outcomes --json > ft.json
work_ids ft.json > ft.txt
id_of() { awk -v w="$1" '$2 == w {print $1}' ft.txt; }
check "W03 not retrieved" "$QES" fulltext missing "$R" "#$(id_of W03)" --as AB
check "W09 not retrieved" "$QES" fulltext missing "$R" "#$(id_of W09)" --as AB
for w in W01 W02 W10 W11; do
	mkpdf "$w.pdf" "Full text of $w"
	check "attach $w" "$QES" fulltext attach "$R" "#$(id_of $w)" "$w.pdf" --as AB
done
check "W01 included" "$QES" decide "$R" --as AB --stage ft "#$(id_of W01)" include
check "W02 excluded" "$QES" decide "$R" --as AB --stage ft "#$(id_of W02)" exclude --reason "Not qualitative"
check "W10 excluded" "$QES" decide "$R" --as AB --stage ft "#$(id_of W10)" exclude --reason "Wrong population"
check "W11 included" "$QES" decide "$R" --as AB --stage ft "#$(id_of W11)" include

# Every PRISMA box against the hand count above.
j=$("$QES" prisma "$R" --json)
boxes=$(echo "$j" | python3 -c '
import json, sys
j = json.load(sys.stdin); o = j["other_methods"]
src = lambda c: ",".join("%s=%d" % (s["name"], s["n"]) for s in c["identified"]["by_source"])
why = lambda c: ",".join("%s=%d" % (r["reason"], r["n"]) for r in c["excluded_reports"])
print(j["identified"]["n"], src(j), j["duplicates_removed"], j["screened"], j["excluded_screening"],
      j["sought"], j["not_retrieved"], j["assessed"], why(j), "|",
      o["identified"]["n"], src(o), o["duplicates_removed"], o["excluded_screening"], o["sought"],
      o["not_retrieved"], o["assessed"], why(o), "|", j["reports_included"], j["studies_included"],
      j["complete"])')
check_eq "every PRISMA box matches the hand count" "$boxes" \
	"8 MEDLINE=6,PsycINFO=2,Social Care Online=0 1 7 4 3 1 2 Not qualitative=1 | 5 Citation searching=5 1 1 3 1 2 Wrong population=1 | 2 2 True"
imported=$("$QES" records "$R" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
check_eq "14 records imported, 14 accounted for" "$imported" \
	"$(echo "$j" | python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["identified"]["n"] + j["other_methods"]["identified"]["n"])')"
check "the diagram is drawn" "$QES" prisma "$R" -o prisma.svg
svg=$(python3 -c 'import sys, xml.etree.ElementTree as ET; print(" ".join(t.text or "" for t in ET.parse(sys.argv[1]).getroot().iter("{http://www.w3.org/2000/svg}text")))' prisma.svg)
check_contains "SVG: the 0-hit search is listed" "$svg" "Social Care Online (n = 0)"
check_contains "SVG: duplicates from other methods have a box" "$svg" "Duplicate records removed† (n = 1)"
check_contains "SVG: title/abstract exclusions from other methods have a box" "$svg" "Records excluded on title and abstract† (n = 1)"
check_contains "SVG: the footnote says the boxes were added" "$svg" "†Added to the template"
csv=$("$QES" prisma "$R" --csv)
check_contains "CSV: other methods duplicates" "$csv" 'other_methods,duplicates_removed,"",1'
check_contains "CSV: other methods title/abstract exclusions" "$csv" 'other_methods,excluded_screening,"",1'

# ENTREQ keeps the two columns apart.
ent=$("$QES" entreq "$R" --json | python3 -c 'import json,sys; print([i["evidence"] for i in json.load(sys.stdin)["items"] if "identified" in i["evidence"]][0])')
check_contains "ENTREQ: databases column" "$ent" "Databases and registers: 8 records identified, 1 duplicates removed, 7 screened, 4 excluded on title and abstract, 2 reports assessed in full."
check_contains "ENTREQ: other-methods column" "$ent" "Other methods: 5 records identified, 1 duplicates removed, 1 excluded on title and abstract, 2 reports assessed in full."

# Undo must not rewrite history: AB's latest title/abstract decision is W11,
# included at full text.
# (qes decide --undo, the web screener's undo and the terminal's all call
# qes_screen_undo.)
out=$("$QES" decide "$R" --as AB --stage ta --undo 2>&1); rc=$?
check_eq "undo at title/abstract under a full-text inclusion is refused (exit 5)" "$rc" 5
check_contains "and says what depends on it" "$out" "the full-text stage depends on it (1 full-text decision, a full text attached)"
check_fails "changing it to exclude is refused too (exit 5)" 5 "$QES" decide "$R" --as AB --stage ta "#$(id_of W11)" exclude
check_eq "the inclusion still counts" "$("$QES" prisma "$R" --json | json_get reports_included)" 2

# Studies: only reports included at full text can be linked.
keys() { "$QES" show "$R" "#$1" --json | json_get source_key; }
w01=$(keys "$(id_of W01)"); w10=$(keys "$(id_of W10)"); w11=$(keys "$(id_of W11)")
w08=$(awk '$2 == "W08" {print $1}' pool.txt)
out=$("$QES" study link "$R" "$w01" "#$w08" 2>&1); rc=$?
check_eq "a record excluded at title/abstract cannot be linked (exit 5)" "$rc" 5
check_contains "and the message says why" "$out" "excluded at title/abstract"
check_fails "a report excluded at full text cannot be linked" 5 "$QES" study link "$R" "$w01" "$w10"
check_eq "studies and PRISMA agree: 2 reports" "$("$QES" studies "$R" --json | json_get totals.reports)" 2
labels=$("$QES" study list "$R" --json | python3 -c 'import json,sys; print(" ".join(sorted(s["label"] for s in json.load(sys.stdin))))')
check_eq "two Bennett 2020 studies are told apart" "$labels" "Bennett 2020a Bennett 2020b"
check "a second report joins a study" "$QES" study link "$R" "$w01" "$w11"
check_eq "one study, two reports" "$("$QES" prisma "$R" --json | python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["studies_included"], j["reports_included"])')" "1 2"
check_eq "one study needs no letter" "$("$QES" study list "$R" --json | json_get 0.label)" "Bennett 2020"
check "qes study unlink" "$QES" study unlink "$R" "$w11"
check_eq "unlinked, the report is its own study again" "$("$QES" prisma "$R" --json | python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["studies_included"], j["reports_included"])')" "2 2"
check_fails "a study's only report cannot be unlinked (exit 5)" 5 "$QES" study unlink "$R" "$w11"
check_fails "a record in no study cannot be unlinked (exit 4)" 4 "$QES" study unlink "$R" "$w10"

# The report: the 0-hit search, both Bennett studies.
check "report" "$QES" report "$R" -o report.html
html=$(cat report.html)
check_contains "report: the 0-hit search" "$html" "no export (0 hits)"
check_contains "report: the platform and limits of a search" "$html" "Platform: Ovid<br>Limits: 2000-2022; English"
check_contains "report: the platform of the 0-hit search" "$html" "AND parent*<br>Platform: SCIE"
check_contains "report: Bennett 2020a" "$html" "Bennett 2020a"
check_contains "report: Bennett 2020b" "$html" "Bennett 2020b"

# One meaning of "screened": status and the screener's progress agree.
st=$("$QES" status "$R" --json | python3 -c 'import json,sys; t=json.load(sys.stdin)["screening"]["ta"]; print(t["screened"], t["included"], t["not_yet_screened"], t["waiting_second"])')
pr=$("$QES" screen "$R" --stage ta --progress --json | python3 -c 'import json,sys; t=json.load(sys.stdin); print(t["screened"], t["included"], t["not_yet_screened"], t["waiting_second"])')
check_eq "status: 11 of 11 screened, 6 included" "$st" "11 6 0 0"
check_eq "the screener's progress says the same" "$pr" "$st"

# The double-screened sample: exactly round(fraction x pool).
mkpool() {  # mkpool FILE N FIRST
	local i
	for ((i = $3; i < $3 + $2; i++)); do
		printf 'TY  - JOUR\nID  - r%d\nTI  - Record %d on kinship care\nAU  - Writer%d, B.\nPY  - 2019\nDO  - 10.2000/r%d\nER  - \n\n' "$i" "$i" "$i" "$i"
	done > "$1"
}
# By hand: 10% of 7 is 1 (0.7), of 123 is 12 (12.3), of 260 is 26, of 1,000 is 100.
for size in "7 1" "123 12" "260 26" "1000 100"; do
	set -- $size
	mkpool "pool$1.ris" "$1" 1
	"$QES" init "s$1.qes" >/dev/null && "$QES" import "s$1.qes" "pool$1.ris" --source X >/dev/null
	got=$("$QES" policy "s$1.qes" --stage ta sample --fraction 0.1 --seed 2023 --json | python3 -c 'import json,sys; p=json.load(sys.stdin); print(p["pool"], p["sampled"], p["planned"])')
	check_eq "a 10% sample of $1 records is exactly $2" "$got" "$1 $2 $2"
done
mkpool more.ris 137 124
check "the 123-record pool grows by 137" "$QES" import s123.qes more.ris --source X
check_eq "the sample grows with it: 26 of 260" \
	"$("$QES" policy s123.qes --stage ta --json | python3 -c 'import json,sys; p=json.load(sys.stdin); print(p["pool"], p["sampled"])')" "260 26"
check_contains "the policy's text says what was drawn" "$("$QES" policy s123.qes --stage ta)" "26 of 260 records drawn"
check_eq "status gives the plan and what was achieved" \
	"$("$QES" status s123.qes --json | python3 -c 'import json,sys; t=json.load(sys.stdin)["screening"]["ta"]; print(t["double_planned"], t["double_decided"])')" "26 0"
check_contains "and says so in words" "$("$QES" status s123.qes)" "two reviewers: planned for 26 of 260 (10.0%), achieved for 0 (0.0%)"
check_contains "the draw is in the log" "$("$QES" log s123.qes)" "sample drawn"

# Agreement at the edges: one record decided by two reviewers.
check "double screening" "$QES" policy s7.qes --stage ta double
check "reviewer AB" "$QES" reviewer add s7.qes AB
check "reviewer CD" "$QES" reviewer add s7.qes CD
check "AB includes r1" "$QES" decide s7.qes --as AB --stage ta r1 include
check "CD excludes r1" "$QES" decide s7.qes --as CD --stage ta r1 exclude
ag=$("$QES" agreement s7.qes --stage ta --json)
# AC1 over 3 categories: pi = (.5, .5, 0), pe = (.25 + .25) / 2, AC1 = -.25 / .75;
# alpha = 1 - (2 - 1) x 2 / 2 = 0.
check_eq "one record: kappa is not estimable (null), AC1 and alpha are given" \
	"$(echo "$ag" | python3 -c 'import json,sys; p=json.load(sys.stdin)["pairs"][0]; print(p["n"], p["kappa"], p["kappa_ci95"], "%.3f" % p["ac1"], "%.3f" % p["alpha"])')" \
	"1 None [None, None] -0.333 0.000"
check_contains "fewer than 20 records: a warning" "$(echo "$ag" | json_get pairs.0.warning)" "fewer than 20"
txt=$("$QES" agreement s7.qes --stage ta)
check_contains "text: kappa not estimable" "$txt" "kappa not estimable"
check_contains "text: the warning" "$txt" "warning: fewer than 20 records"
# Full agreement is no longer "1.00 to 1.00".
for k in 2 3 4 5; do
	"$QES" decide s7.qes --as AB --stage ta "r$k" "$([ $k -le 3 ] && echo include || echo exclude)" >/dev/null
	"$QES" decide s7.qes --as CD --stage ta "r$k" "$([ $k -le 3 ] && echo include || echo exclude)" >/dev/null
done
lo=$("$QES" agreement s7.qes --stage ta --json | python3 -c 'import json,sys; p=json.load(sys.stdin)["pairs"][0]; print(p["kappa_ci95"][0] < 1 and p["kappa_ci95"][1] == 1)')
check_eq "4 of 5 agreeing: the interval has a width" "$lo" "True"
