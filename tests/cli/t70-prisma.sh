#!/usr/bin/env bash
# t70: the PRISMA 2020 counts on a scripted review whose every box is known,
# the refusal to draw while decisions are missing, the SVG checked against
# the JSON, and the report.
#
# The review: PsycINFO 8 records (W01-W08), MEDLINE 5 (W01, W02 again with
# the same DOIs, and W09-W11), citation searching 3 (W03 again, W12, W13).
#   identified: PsycINFO 8, MEDLINE 5 (13); other methods: citation
#   searching 3, of which W03 duplicates a database record (removed, 1)
#   duplicates removed: 13 - 11 works = 2;  screened 11
#   ta: include W01-W04, W09 (sought 5); exclude W05-W08, W10, W11 (6)
#   ft: W04 not retrieved; W01, W02 included; W03 "Not qualitative";
#       W09 "Wrong population"; assessed 4
#   other methods: W12 included at ta and ft (sought 1, assessed 1);
#       W13 excluded at ta (other methods: excluded on title/abstract 1)
#   reports included 3 (W01, W02, W12); W02 is a second report of W01's
#   study, so studies included 2.
. "$(dirname "$0")/lib.sh"
R="$TMP/p.qes"
cd "$TMP" || exit 1

ris() {  # ris ID WORK [DOI]
	printf 'TY  - JOUR\nID  - %s\nTI  - Study %s of parents and practitioners in child protection\n' "$1" "$2"
	printf 'AU  - Author%s, A.\nPY  - 2020\nJO  - Child & Family Social Work\nVL  - 1\nSP  - %d\n' "$2" "${2#W}"
	[ -n "${3:-}" ] && printf 'DO  - %s\n' "$3"
	printf 'ER  - \n\n'
}
{ for w in 01 02 03 04 05 06 07 08; do ris "a$w" "W$w" "10.1000/w$w"; done; } > psycinfo.ris
{ ris b01 W01 10.1000/w01; ris b02 W02 10.1000/w02; for w in 09 10 11; do ris "b$w" "W$w" "10.1000/w$w"; done; } > medline.ris
{ ris c03 W03 10.1000/w03; ris c12 W12 10.1000/w12; ris c13 W13 10.1000/w13; } > citations.ris

check "init" "$QES" init "$R"
check "import PsycINFO" "$QES" import "$R" psycinfo.ris --source PsycINFO --searched 2022-03-14
check "import MEDLINE" "$QES" import "$R" medline.ris --source MEDLINE --searched 2022-03-14
check "import citation searching" "$QES" import "$R" citations.ris --source "Citation searching" --method other
check "deduplicate" "$QES" dedup "$R"
check "reviewer" "$QES" reviewer add "$R" AB --name "A Reviewer"
check "reasons" "$QES" criteria "$R" --reason "Not qualitative"
check "reasons (2)" "$QES" criteria "$R" --reason "Wrong population"

out=$("$QES" prisma "$R" -o prisma.svg 2>&1); rc=$?
check_eq "nothing is drawn while decisions are missing (exit 5)" "$rc" 5
check_contains "and the records waiting are named" "$out" "title/abstract"
[ ! -e prisma.svg ] && ok "no file was written" || not_ok "a diagram was written before the data supported it"

# The work of each record in the title/abstract pool, from its title.
"$QES" screen "$R" --stage ta --outcomes --json > pool.json
"$QES" records "$R" --json > records.json
work_ids() {  # work_ids STAGE_JSON: "ID WORK" per pool record
	python3 -c '
import json, re, sys
titles = {r["id"]: r["title"] for r in json.load(open("records.json"))}
for e in json.load(open(sys.argv[1])):
    print(e["record_id"], re.search(r"W\d\d", titles[e["record_id"]]).group(0))' "$1"
}
work_ids pool.json > pool.txt
check_eq "screening sees one record per work (13 works)" "$(wc -l < pool.txt)" 13
{
	echo "source_key,reviewer,stage,decision,reason"
	while read -r id w; do
		case $w in W01|W02|W03|W04|W09|W12) d=include ;; *) d=exclude ;; esac
		echo "#$id,AB,ta,$d,"
	done < pool.txt
} > ta.csv
check "title/abstract decisions" "$QES" decide "$R" --from ta.csv
"$QES" screen "$R" --stage ft --outcomes --json > ft.json
work_ids ft.json > ft.txt
id_of() { awk -v w="$1" '$2 == w {print $1}' ft.txt; }
check "W04 not retrieved" "$QES" fulltext missing "$R" "#$(id_of W04)" --as AB
for w in W01 W02 W03 W09 W12; do
	mkpdf "$w.pdf" "Full text of $w"
	check "attach $w" "$QES" fulltext attach "$R" "#$(id_of $w)" "$w.pdf" --as AB
done
check "W01 included" "$QES" decide "$R" --as AB --stage ft "#$(id_of W01)" include
check "W02 included" "$QES" decide "$R" --as AB --stage ft "#$(id_of W02)" include
check "W12 included" "$QES" decide "$R" --as AB --stage ft "#$(id_of W12)" include
check "W03 excluded" "$QES" decide "$R" --as AB --stage ft "#$(id_of W03)" exclude --reason "Not qualitative"
check "W09 excluded" "$QES" decide "$R" --as AB --stage ft "#$(id_of W09)" exclude --reason "Wrong population"
s1=$("$QES" study list "$R" --json | python3 -c '
import json,sys; print(" ".join(s["study"] for s in json.load(sys.stdin)))')
check_eq "three included reports are three studies before linking" "$(echo $s1 | wc -w)" 3
w01=$("$QES" show "$R" "#$(id_of W01)" --json | json_get source_key)
w02=$("$QES" show "$R" "#$(id_of W02)" --json | json_get source_key)
check "link W02 as a second report of W01's study" "$QES" study link "$R" "$w01" "$w02"

j=$("$QES" prisma "$R" --json)
check_eq "identified" "$(echo "$j" | json_get identified.n)" 13
check_eq "identified by source" "$(echo "$j" | python3 -c 'import json,sys; print(",".join("%s=%d" % (s["name"], s["n"]) for s in json.load(sys.stdin)["identified"]["by_source"]))')" "PsycINFO=8,MEDLINE=5"
check_eq "duplicates removed" "$(echo "$j" | json_get duplicates_removed)" 2
check_eq "automation removed" "$(echo "$j" | json_get automation_removed)" 0
check_eq "other removed" "$(echo "$j" | json_get other_removed)" 0
check_eq "screened" "$(echo "$j" | json_get screened)" 11
check_eq "excluded at screening" "$(echo "$j" | json_get excluded_screening)" 6
check_eq "sought" "$(echo "$j" | json_get sought)" 5
check_eq "not retrieved" "$(echo "$j" | json_get not_retrieved)" 1
check_eq "assessed" "$(echo "$j" | json_get assessed)" 4
check_eq "excluded reports, largest first" "$(echo "$j" | python3 -c 'import json,sys; print(";".join("%s=%d" % (r["reason"], r["n"]) for r in json.load(sys.stdin)["excluded_reports"]))')" "Not qualitative=1;Wrong population=1"
check_eq "reports included" "$(echo "$j" | json_get reports_included)" 3
check_eq "studies included" "$(echo "$j" | json_get studies_included)" 2
check_eq "other methods identified: every citation record" "$(echo "$j" | json_get other_methods.identified.n)" 3
check_eq "other methods by source" "$(echo "$j" | python3 -c 'import json,sys; print(",".join("%s=%d" % (s["name"], s["n"]) for s in json.load(sys.stdin)["other_methods"]["identified"]["by_source"]))')" "Citation searching=3"
check_eq "other methods duplicates removed (W03)" "$(echo "$j" | json_get other_methods.duplicates_removed)" 1
check_eq "other methods excluded on title/abstract (W13)" "$(echo "$j" | json_get other_methods.excluded_screening)" 1
check_eq "other methods sought" "$(echo "$j" | json_get other_methods.sought)" 1
check_eq "other methods assessed" "$(echo "$j" | json_get other_methods.assessed)" 1
check_eq "complete" "$(echo "$j" | json_get complete)" True

check "draw SVG" "$QES" prisma "$R" -o prisma.svg
check "draw PNG" "$QES" prisma "$R" -o prisma.png
check "draw PDF" "$QES" prisma "$R" -o prisma.pdf
check_eq "PNG signature" "$(head -c 4 prisma.png | tail -c 3)" "PNG"
check_eq "PDF signature" "$(head -c 4 prisma.pdf)" "%PDF"
# The SVG is valid XML, and every count in it is the JSON's.
svgcheck=$(python3 - prisma.svg <<'PY' "$j"
import json, re, sys, xml.etree.ElementTree as ET
ns = {"s": "http://www.w3.org/2000/svg"}
text = " ".join(t.text or "" for t in ET.parse(sys.argv[1]).getroot().iter("{http://www.w3.org/2000/svg}text"))
j = json.loads(sys.argv[2])
want = {
  "Records identified from": None,
  "PsycINFO (n = 8)": 1, "MEDLINE (n = 5)": 1, "Databases (n = 13)": 1,
  "Duplicate records removed (n = %d)" % j["duplicates_removed"]: 1,
  "Records screened (n = %d)" % j["screened"]: 1,
  "Records excluded** (n = %d)" % j["excluded_screening"]: 1,
  "Reports sought for retrieval (n = %d)" % j["sought"]: 1,
  "Reports not retrieved (n = %d)" % j["not_retrieved"]: 1,
  "Reports assessed for eligibility (n = %d)" % j["assessed"]: 1,
  "Not qualitative (n = 1)": 1, "Wrong population (n = 1)": 1,
  "Citation searching (n = 3)": 1,
  "Duplicate records removed\u2020 (n = %d)" % j["other_methods"]["duplicates_removed"]: 1,
  "Records excluded on title and abstract\u2020 (n = %d)" % j["other_methods"]["excluded_screening"]: 1,
  "\u2020Added to the template": 1,
  "Studies included in review (n = %d)" % j["studies_included"]: 1,
  "Reports of included studies (n = %d)" % j["reports_included"]: 1,
}
missing = [k for k in want if k not in text]
print("missing: " + "; ".join(missing) if missing else "ok")
PY
)
check_eq "every count in the SVG matches the JSON" "$svgcheck" "ok"
check "CSV of the counts" "$QES" prisma "$R" --csv
check_contains "CSV has the boxes" "$("$QES" prisma "$R" --csv)" 'databases,duplicates_removed,"",2'

check "report" "$QES" report "$R" -o report.html
html=$(cat report.html)
check_contains "report has the diagram" "$html" "<svg"
check_contains "report has the searches" "$html" "PsycINFO"
check_contains "report lists excluded full texts with reasons" "$html" "Wrong population"
check_contains "report lists the included studies" "$html" "Included studies (2)"
python3 -c 'import html.parser,sys; html.parser.HTMLParser().feed(open(sys.argv[1]).read())' report.html \
	&& ok "report parses as HTML" || not_ok "report parses as HTML"

check "an update: previous studies" "$QES" prisma "$R" --previous 12,15 -o update.svg
svgtext() { python3 -c 'import sys, xml.etree.ElementTree as ET; print(" ".join(t.text or "" for t in ET.parse(sys.argv[1]).getroot().iter("{http://www.w3.org/2000/svg}text")))' "$1"; }
check_contains "update variant draws the previous studies" "$(svgtext update.svg)" "Studies included in previous version of review (n = 12)"
check_contains "update variant totals new and previous studies" "$(svgtext update.svg)" "Total studies included in review (n = 14)"

# A changed full-text decision takes its study with it (nothing was recorded
# about that study), and taking it back brings the study back.
check "W12 changed to excluded" "$QES" decide "$R" --as AB --stage ft "#$(id_of W12)" exclude --reason "Not qualitative"
nstudies() { "$QES" study list "$R" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
check_eq "its study is gone from the study list" "$(nstudies)" 1
check_eq "and from the diagram" "$("$QES" prisma "$R" --json | json_get studies_included)" 1
check "W12 included again" "$QES" decide "$R" --as AB --stage ft "#$(id_of W12)" include
check_eq "its study is back" "$(nstudies)" 2
check_eq "and in the diagram" "$("$QES" prisma "$R" --json | json_get studies_included)" 2
