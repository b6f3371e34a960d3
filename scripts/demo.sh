#!/usr/bin/env bash
# make demo: builds the demo review from a search the project generates
# itself (tools/demo_search.c), then carries it through the review: dedup,
# a team of three, double screening of a 10% sample with a conflict resolved
# by a third reviewer, full texts, extraction, appraisal, coding of six
# included studies by two coders (cases by perspective), web accounts, the
# PRISMA diagram and the report. Idempotent: the demo review is made anew
# each time. Prints the web interface's URL and the demo logins.
# The screening decisions follow the generator's truth file (what a careful
# reviewer would decide), with a few disagreements on purpose.
set -euo pipefail
cd "$(dirname "$0")/.."
QES=${QES:-./qes}
DEMO=${DEMO:-demo.qes}
data=${DEMO_DATA:-build/demo}
mkdir -p "$data"
rm -f "$data"/*.pdf
build/rel/tools/demo_search "$data"
if [ -e "$DEMO" ]; then
	echo "demo: replacing the existing $DEMO (the demo review is made anew each time)"
fi
rm -f "$DEMO" "$DEMO-wal" "$DEMO-shm"
q() { "$QES" "$@" >/dev/null; }

echo "== Importing the searches"
"$QES" init "$DEMO" --title "Demo: parents' and practitioners' experiences of support (invented data)"
"$QES" import "$DEMO" "$data/psycinfo.ris" --source "PsycINFO (Ovid)" --searched 2024-03-14 \
	--search-string '(parent* OR mother* OR father*) AND ("mental health" OR "mental illness") AND ("child protection" OR "social care")'
"$QES" import "$DEMO" "$data/medline.nbib" --source "MEDLINE (PubMed)" --searched 2024-03-14
"$QES" import "$DEMO" "$data/cinahl.csv" --source "CINAHL (EBSCO)" --searched 2024-03-15
"$QES" import "$DEMO" "$data/citations.ris" --source "Citation searching" --method other --searched 2024-05-02

echo "== Removing duplicates"
"$QES" dedup "$DEMO"

echo "== The team, the criteria and the screening policy"
q reviewer add "$DEMO" AB --name "Ann Bell"
q reviewer add "$DEMO" CD --name "Chris Dee"
q reviewer add "$DEMO" EF --name "Eve Fox" --role arbiter
q criteria "$DEMO" --framework SPICE \
	--concept "Setting=adult mental health and children's social care services" \
	--concept "Perspective=parents with mental health needs, and practitioners" \
	--concept "Intervention=support offered where there are child protection concerns" \
	--concept "Evaluation=experiences and views" \
	--include "Qualitative or mixed-methods studies reporting qualitative data" \
	--exclude "Trials, surveys and other studies without qualitative data" \
	--reason "Parents' views not reported separately" --reason "Not qualitative data" \
	--reason "No child protection involvement" \
	--keyword qualitative --keyword interview --keyword "child protection" \
	--exclude-keyword trial --exclude-keyword "cross-sectional"
q policy "$DEMO" --stage ta sample --fraction 0.1 --seed 20240314 --as AB
q policy "$DEMO" --stage ft sample --fraction 0.1 --seed 20240315 --as AB

# decisions STAGE REVIEWER: a decisions CSV for every record of the stage
# still waiting for REVIEWER, from the truth file; DISAGREE lists works on
# which this reviewer errs (a conflict to resolve).
decisions() {
	"$QES" screen "$DEMO" --stage "$1" --outcomes --json | python3 -c '
import csv, json, sys
stage, who, disagree = sys.argv[1], sys.argv[2], set(sys.argv[5].split(",") if sys.argv[5] else [])
work = {r["source_key"]: r["work"] for r in csv.DictReader(open(sys.argv[3]))}
truth = {r["work"]: r for r in csv.DictReader(open(sys.argv[4]))}
print("source_key,reviewer,stage,decision,reason")
for e in json.load(sys.stdin):
    if e["outcome"] != "pending" or who in e.get("decided_by", []):
        continue
    t = truth[work[e["source_key"]]]
    inc = t["relevant"] == "1" if stage == "ta" else t["ft"] == "include"
    if t["work"] in disagree:
        inc = not inc
    reason = "" if inc or stage == "ta" else (t["ft"] if t["ft"] != "include" else "Not qualitative data")
    print("#%d,%s,%s,%s,%s" % (e["record_id"], who, stage, "include" if inc else "exclude", reason))
' "$1" "$2" "$data/keys.csv" "$data/truth.csv" "${3:-}"
}

echo "== Title and abstract screening (AB all, CD the 10% sample)"
decisions ta AB > "$data/ta-ab.csv"
q decide "$DEMO" --from "$data/ta-ab.csv"
decisions ta CD "" > "$data/ta-cd.csv"
# CD disagrees with AB on the first record of the sample: a conflict.
first=$(sed -n 2p "$data/ta-cd.csv" | cut -d, -f1)
python3 - "$data/ta-cd.csv" <<'PY'
import sys
rows = open(sys.argv[1]).read().splitlines()
if len(rows) > 1:
    k, who, st, d, r = rows[1].split(",", 4)
    rows[1] = ",".join([k, who, st, "exclude" if d == "include" else "include", r])
open(sys.argv[1], "w").write("\n".join(rows) + "\n")
PY
q decide "$DEMO" --from "$data/ta-cd.csv"
if [ -n "$first" ]; then
	want=$(grep "^$first," "$data/ta-ab.csv" | cut -d, -f4)
	q conflicts resolve "$DEMO" --as EF --stage ta "$first" "$want" --method third \
		--note "Read together with the criteria"
fi
"$QES" agreement "$DEMO" --stage ta

echo "== Full texts"
"$QES" screen "$DEMO" --stage ft --outcomes --json | python3 -c '
import csv, json, sys
work = {r["source_key"]: r["work"] for r in csv.DictReader(open(sys.argv[1]))}
for i, e in enumerate(json.load(sys.stdin)):
    print(e["record_id"], int(work[e["source_key"]]), "missing" if i in (3, 11) else "attach")
' "$data/keys.csv" | while read -r id w how; do
	if [ "$how" = missing ]; then
		q fulltext missing "$DEMO" "#$id" --note "No library holds it" --as AB
	else
		q fulltext attach "$DEMO" "#$id" "$(printf '%s/W%03d.pdf' "$data" "$w")" --as AB
	fi
done
decisions ft AB > "$data/ft-ab.csv"
q decide "$DEMO" --from "$data/ft-ab.csv"
decisions ft CD > "$data/ft-cd.csv"
q decide "$DEMO" --from "$data/ft-cd.csv"

echo "== Extraction and appraisal of the included studies"
"$QES" study list "$DEMO" --json | python3 -c '
import csv, json, sys
work = {r["source_key"]: r["work"] for r in csv.DictReader(open(sys.argv[1]))}
truth = {r["work"]: r for r in csv.DictReader(open(sys.argv[2]))}
out = csv.writer(open(sys.argv[3], "w"))
rat = csv.writer(open(sys.argv[4], "w"))
out.writerow(["study", "field", "value"])
rat.writerow(["study", "reviewer", "question", "answer", "comment"])
design = {"a focus group study": "qualitative", "a qualitative study": "qualitative",
          "an interpretative phenomenological analysis": "qualitative",
          "a thematic analysis of interviews": "qualitative",
          "a qualitative interview study with parents and practitioners": "qualitative"}
for i, s in enumerate(json.load(sys.stdin)):
    t = truth[work[s["reports"][0]]]
    out.writerow([s["study"], "country", t["country"].replace("the United States", "United States")])
    out.writerow([s["study"], "design", design.get(t["design"], "other")])
    out.writerow([s["study"], "data_collection", "focus-groups" if "focus" in t["design"] else "interviews"])
    out.writerow([s["study"], "participants.parents", t["parents"]])
    if t["practitioners"] != "0":
        out.writerow([s["study"], "participants.practitioners", t["practitioners"]])
    out.writerow([s["study"], "publication", "peer-reviewed"])
    for q in range(1, 10):
        a = "yes" if (i + q) % 5 else ("cant_tell" if q % 2 else "no")
        rat.writerow([s["study"], "AB", "casp%d" % q, a, ""])
        if i % 10 == 0:
            rat.writerow([s["study"], "CD", "casp%d" % q, a if q != 4 else "cant_tell", ""])
' "$data/keys.csv" "$data/truth.csv" "$data/extraction.csv" "$data/ratings.csv"
q extract "$DEMO" --from "$data/extraction.csv"
q appraise "$DEMO" --from "$data/ratings.csv"
# Limitations are weighed by a stated rule: CASP 2-9 on method, two "no"
# answers for serious concerns, one for moderate.
q appraise rule "$DEMO" --questions casp2-casp9 --serious 2 --moderate 1

echo "== Coding: the results of six included studies, by two coders"
# Sources are the included studies' own text (their PDFs); codes come from
# what the studies found; AB codes all six, CD the first three (double
# coding for agreement); cases carry the perspective (parent, practitioner).
# Each code: its path, the authors' finding it is found by (their
# interpretation, a second-order construct), its colour, and the words of
# the participant the paper quotes after it (first-order) with who said it.
codes=(
	"Relationships/Honest and reliable practitioners|honest, reliable and respectful|#1b7837|He never promised what he could not do.|Parents"
	"Relationships/Feeling judged|Parents felt judged by professionals|#c51b7d|Every meeting felt like a trial.|Parents"
	"Relationships/Continuity with one practitioner|Consistent relationships with one practitioner|#5aae61|She stayed, and that was what made the difference.|Parents"
	"Relationships/Assessment done to parents|process done to them rather than with them|#de77ae|They wrote about us, never with us.|Parents"
	"Services/Thresholds and late support|Crisis-driven service thresholds|#2166ac|You only get help once it is a crisis.|Parents"
	"Services/Fragmented services|fragmented adult and children|#4393c3|Adult services close the case and we are left holding it.|Practitioners"
	"Fear of child removal|Fear that disclosing mental distress|#b2182b|I said nothing because I thought they would take him.|Parents"
	"Peer support|Peer support from other parents|#762a83|Meeting other mums made me feel less alone.|Parents"
	"Financial hardship and housing|Financial hardship and housing problems|#8c510a|No one asked how we would pay the rent.|Parents"
)
for c in "${codes[@]}"; do
	IFS='|' read -r path _ colour _ <<<"$c"
	q code add "$DEMO" "$path" --colour "$colour"
done
"$QES" study list "$DEMO" --json | python3 -c '
import csv, json, sys
work = {r["source_key"]: r["work"] for r in csv.DictReader(open(sys.argv[1]))}
truth = {r["work"]: r for r in csv.DictReader(open(sys.argv[2]))}
for s in json.load(sys.stdin)[:6]:
    w = work[s["reports"][0]]
    print(s["study"], int(w), truth[w]["practitioners"], s["label"].replace(" ", "_"))
' "$data/keys.csv" "$data/truth.csv" | {
	i=0
	while read -r study w prac label; do
		src="${label//_/ } results"
		q code source add "$DEMO" "$(printf '%s/W%03d.pdf' "$data" "$w")" --name "$src" \
			--study "$study" --kind results
		q code case add "$DEMO" "Parents (${label//_/ })" --attr perspective=parent --attr study="$study"
		q code case link "$DEMO" "Parents (${label//_/ })" "$src"
		if [ "$prac" != 0 ]; then
			q code case add "$DEMO" "Practitioners (${label//_/ })" --attr perspective=practitioner \
				--attr study="$study"
			q code case link "$DEMO" "Practitioners (${label//_/ })" "$src"
		fi
		for c in "${codes[@]}"; do
			IFS='|' read -r path text _ said who <<<"$c"
			# The participant's words belong to the parents' (or practitioners')
			# case of this study, not to every case linked to the paper.
			# (A study without practitioners has no practitioner to quote.)
			case_of="$who (${label//_/ })"
			[ "$who" = Practitioners ] && [ "$prac" = 0 ] && said=""
			for coder in AB CD; do
				# CD double-codes the first three sources, and leaves one finding out.
				[ $coder = CD ] && { [ $i -ge 3 ] || [ "$path" = "Peer support" ]; } && continue
				# Each finding is in some studies only: "not found" (exit 4) is fine.
				"$QES" code find "$DEMO" --as $coder "$src" "$text" "$path" --interpretation \
					>/dev/null 2>&1 || [ $? = 4 ] || { echo "demo: coding failed" >&2; exit 1; }
				[ -z "$said" ] || "$QES" code find "$DEMO" --as $coder "$src" "$said" "$path" \
					--quote --illustrative --case "$case_of" >/dev/null 2>&1 ||
					[ $? = 4 ] || { echo "demo: coding failed" >&2; exit 1; }
			done
		done
		q code done "$DEMO" --as AB "$src"
		[ $i -lt 3 ] && q code done "$DEMO" --as CD "$src"
		i=$((i + 1))
	done
}
q code note "$DEMO" code "Relationships/Feeling judged" \
	"Parents and practitioners describe the same meetings very differently." --as AB
"$QES" code stats "$DEMO"

echo "== Web accounts (demo passwords: never use these for real data)"
echo "demo-owner-pass" | "$QES" user add "$DEMO" ann --role owner --initials AB >/dev/null
echo "demo-reviewer-pass" | "$QES" user add "$DEMO" chris --role reviewer --initials CD >/dev/null
echo "demo-advisor-pass" | "$QES" user add "$DEMO" alex --role advisor >/dev/null

echo "== Themes, a review finding with GRADE-CERQual, the advisory group"
# Codes grow into descriptive themes, and those into two analytical themes
# (Thomas & Harden stages 2 and 3), as the seed review's did.
q theme add "$DEMO" "Relationships that help" --level descriptive \
	--description "Honest, reliable practitioners who stay"
q theme codes "$DEMO" "Relationships that help" "Relationships/Honest and reliable practitioners" \
	"Relationships/Continuity with one practitioner" "Peer support"
q theme add "$DEMO" "Being judged and watched" --level descriptive
q theme codes "$DEMO" "Being judged and watched" "Relationships/Feeling judged" \
	"Relationships/Assessment done to parents" "Fear of child removal"
q theme add "$DEMO" "Services that arrive too late" --level descriptive
q theme codes "$DEMO" "Services that arrive too late" "Services/Thresholds and late support" \
	"Services/Fragmented services" "Financial hardship and housing"
q theme add "$DEMO" "Working with parents, not against them" --level analytical
q theme add "$DEMO" "Trust is built, not assumed" --parent "Working with parents, not against them"
q theme group "$DEMO" "Working with parents, not against them/Trust is built, not assumed" \
	"Relationships that help" "Being judged and watched"
q theme add "$DEMO" "Constrained by service rigidity" --level analytical
q theme group "$DEMO" "Constrained by service rigidity" "Services that arrive too late"
q finding add "$DEMO" F1 "Parents engaged with services when practitioners were honest and stayed; feeling judged made them hide their difficulties." \
	--theme "Relationships that help" \
	--theme "Being judged and watched" --by AB
q cerqual assess "$DEMO" F1 coherence none --by AB
q cerqual assess "$DEMO" F1 adequacy minor --explain "Six studies, most with thin data on fathers." --by AB
q cerqual assess "$DEMO" F1 relevance minor --explain "Mostly mothers in England; few other settings." --by AB
q cerqual assess "$DEMO" F1 limitations minor --by AB
q cerqual assess "$DEMO" F1 overall moderate --explain "Minor concerns on adequacy, relevance and methods." --by AB
q advisory advisor "$DEMO" "Alex (parent advisor)" --user alex --by AB
q advisory share "$DEMO" "theme:Relationships that help" --by AB
q advisory share "$DEMO" "theme:Being judged and watched" --by AB
q advisory share "$DEMO" "finding:F1" --by AB
q advisory workshop "$DEMO" 2022-11-15 --title "First data workshop" --advisor "Alex (parent advisor)" \
	--show "theme:Relationships that help" --show "theme:Being judged and watched" --by AB
q advisory comment "$DEMO" "Being judged is the first thing mothers talk about; put it first." \
	--advisor "Alex (parent advisor)" --workshop 1 --on "theme:Being judged and watched" --by AB
q advisory respond "$DEMO" 1 adopted --change "The judged theme now leads the trust subtheme." \
	--affects "theme:Being judged and watched" --by AB

echo "== The review appraised, and its lay summary"
q selfcheck "$DEMO" --set jbi9 --answer no --comment "Not assessed; the citation search was the only step outside the databases." --by AB
"$QES" lay "$DEMO" edit --by AB --from - >/dev/null <<'MD'
# Support for parents with mental health needs: what we found

## Key points

- Parents open up when workers are honest and stay.
- Feeling judged makes parents hide their problems.
- Workers want to help but have little time.

## What did we do?

We looked for studies where parents and workers talked about help from mental health and
children's services. We read the studies and grouped what people said into themes.

## What did we find?

- **Relationships that help.** Parents trusted workers who explained each step and kept coming.
- **Being judged and watched.** Many parents felt checked on, not helped, so they said less.

## What does this mean?

For practice: give workers time to build trust with families.
MD
q lay "$DEMO" share --by AB

echo "== PRISMA 2020 and the report"
# Beside the review (the checkout for make demo; a test's folder for t03).
out=$(dirname "$DEMO")
"$QES" prisma "$DEMO" -o "$out/demo-prisma.svg"
"$QES" report "$DEMO" -o "$out/demo-report.html"

# The update search, run months later and still being screened: every
# reviewer has records waiting at both stages, so the terminal and web
# screeners show something (and qes prisma names the records left).
# DEMO_UPDATE=0 leaves it out: a finished review, for tests that read its
# final numbers (t73).
if [ "${DEMO_UPDATE:-1}" != 0 ]; then
	echo "== The update search, left partly screened"
	"$QES" import "$DEMO" "$data/update.ris" --source "PsycINFO (Ovid)" --searched 2024-09-16 \
		--search-string '(parent* OR mother* OR father*) AND ("mental health" OR "mental illness") AND ("child protection" OR "social care")'
	"$QES" dedup "$DEMO" >/dev/null
	# head -n -N keeps all but the last N decisions: those are left to do.
	decisions ta AB > "$data/ta-upd-all.csv"
	head -n -6 "$data/ta-upd-all.csv" > "$data/ta-upd-ab.csv"
	q decide "$DEMO" --from "$data/ta-upd-ab.csv"
	# CD's share is the sample (records AB decided that wait for a second look).
	decisions ta CD | grep -v -F -f <(tail -n 6 "$data/ta-upd-all.csv" | cut -d, -f1 | sed 's/$/,/') |
		head -n -1 > "$data/ta-upd-cd.csv" || true
	if [ "$(wc -l < "$data/ta-upd-cd.csv")" -gt 1 ]; then q decide "$DEMO" --from "$data/ta-upd-cd.csv"; fi
	"$QES" screen "$DEMO" --stage ft --outcomes --json | python3 -c '
import csv, json, sys
work = {r["source_key"]: r["work"] for r in csv.DictReader(open(sys.argv[1]))}
for e in json.load(sys.stdin):
    if e["outcome"] == "pending" and not e.get("decided_by"):
        print(e["record_id"], int(work[e["source_key"]]))
' "$data/keys.csv" | while read -r id w; do
		q fulltext attach "$DEMO" "#$id" "$(printf '%s/W%03d.pdf' "$data" "$w")" --as AB
	done
	decisions ft AB | head -n -2 > "$data/ft-upd-ab.csv"
	if [ "$(wc -l < "$data/ft-upd-ab.csv")" -gt 1 ]; then q decide "$DEMO" --from "$data/ft-upd-ab.csv"; fi
	for who in AB CD; do
		for st in ta ft; do
			left=$("$QES" screen "$DEMO" --stage $st --as $who --progress --json |
				python3 -c 'import json,sys; print(json.load(sys.stdin)["to_do"])')
			echo "  $who: $left records left to screen at $st"
		done
	done
fi
echo
"$QES" status "$DEMO"
echo
echo "Open demo-report.html (the report) and demo-prisma.svg (the diagram). Try:"
echo "  ./qes records $DEMO --search 'mother* AND \"child protection\"' --limit 5"
echo "  ./qes show $DEMO $(head -1 "$data/medline.nbib" | cut -c7-)"
echo "  ./qes screen $DEMO --as CD            (the terminal screener; q quits)"
echo "  ./qes studies $DEMO                   (characteristics, from the data)"
echo "  ./qes prisma $DEMO --json"
echo "  ./qes code list $DEMO --json             (the codings of the six coded studies)"
echo "  ./qes theme table $DEMO                   (themes: parents' quotes, authors' interpretations)"
echo "  ./qes query matrix $DEMO                  (themes by perspective: parents, practitioners)"
echo "  ./qes cerqual soqf $DEMO                  (the Summary of Qualitative Findings)"
echo "  ./qes advisory view $DEMO --as-advisor    (what the advisory group sees)"
echo "  ./qes selfcheck $DEMO                     (the review appraised: JBI's 11 items)"
echo "  ./qes lay $DEMO readability               (the lay summary: Flesch, jargon)"
echo
echo "The web interface: ./qes serve $DEMO --listen 127.0.0.1:8080, then http://127.0.0.1:8080/"
echo "  (make demo serves it at once). Demo logins (invented; never for real data):"
echo "    ann   / demo-owner-pass     owner, screens as AB"
echo "    chris / demo-reviewer-pass  reviewer, screens as CD"
echo "    alex  / demo-advisor-pass   advisor"
