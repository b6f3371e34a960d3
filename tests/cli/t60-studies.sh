#!/usr/bin/env bash
# t60: included studies, data extraction and the characteristics summary on
# a scripted review of 12 studies (13 reports): study add/link, the CSV round
# trip with validation (a bad value rejects the file and names its line),
# every summary number recomputed here from the extraction CSV, and the
# contradiction check on a planted wrong total.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/studies-fixture.sh"
R="$TMP/r.qes"
make_review "$R"

check "every command has --help" bash -c "for c in study studies extract; do \"$QES\" \$c --help >/dev/null || exit 1; done"
check "study add declares 12 included studies" "$QES" study add "$R" S01 S02 S03 S04 S05 S06 S07 S08 S09 S10 S11 S12
check "study link adds a second report to S05" "$QES" study link "$R" S05 S05b
check_fails "a record cannot be the report of two studies (exit 5)" 5 "$QES" study link "$R" S01 S05b
check_fails "adding an unknown record is exit 4" 4 "$QES" study add "$R" NOPE
check_fails "linking to an unknown study is exit 4" 4 "$QES" study link "$R" NOPE S05b
list=$("$QES" study list "$R" --json)
check_eq "the list has 12 studies" "$(echo "$list" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" 12
check_eq "S05 has both its reports, in order" \
	"$(echo "$list" | python3 -c 'import json,sys; print(",".join(next(s for s in json.load(sys.stdin) if s["study"]=="S05")["reports"]))')" "S05,S05b"
check_eq "a study's label is first author and year" \
	"$(echo "$list" | python3 -c 'import json,sys; print(next(s for s in json.load(sys.stdin) if s["study"]=="S07")["label"])')" "Gustafsson 2019"

# The extraction: known characteristics of each study. S06 uses the alias
# USA, S08 reports two nations, design spellings vary in case.
cat > "$TMP/extraction.csv" <<'CSV'
study,field,value
S01,country,England
S01,design,qualitative
S01,participants.parents,10
S01,publication,peer-reviewed
S01,data_collection,interviews
S02,country,United States
S02,design,Qualitative
S02,participants.parents,12
S02,participants.practitioners,5
S02,publication,peer-reviewed
S02,notes,"Interviews with 12 parents and 5 practitioners, ""in their homes"""
S03,country,Australia
S03,design,mixed-methods
S03,participants.practitioners,40
S03,publication,peer-reviewed
S04,country,England
S04,design,qualitative
S04,participants.parents,8
S04,publication,grey
S05,country,Canada
S05,design,case-study
S05,participants.parents,6
S05,participants.practitioners,3
S05,publication,peer-reviewed
S06,country,USA
S06,design,qualitative
S06,participants.practitioners,25
S06,publication,peer-reviewed
S07,country,Sweden
S07,design,ethnography
S07,participants.parents,15
S07,publication,peer-reviewed
S08,country,England; Scotland
S08,design,qualitative
S08,participants.parents,9
S08,participants.practitioners,12
S08,publication,grey
S08,data_collection,interviews; focus-groups
S09,country,Australia
S09,design,qualitative
S09,participants.practitioners,30
S09,publication,peer-reviewed
S10,country,United States
S10,design,mixed-methods
S10,participants.parents,20
S10,publication,peer-reviewed
S11,country,Ireland
S11,design,qualitative
S11,participants.parents,7
S11,publication,peer-reviewed
S12,country,England
S12,design,qualitative
S12,participants.practitioners,18
S12,publication,peer-reviewed
S12,demographics,yes
CSV
n_values=$(($(python3 -c 'import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1]))))' "$TMP/extraction.csv") - 1))
out=$("$QES" extract "$R" --from "$TMP/extraction.csv" 2>&1)
check_eq "extract --from stores every value" "$out" "$n_values values stored"

# Validation: each bad file is rejected whole, and the error names the line.
bad() {   # DESC LINE_CONTENT  (written as line 3, after one good row)
	printf 'study,field,value\nS01,setting,a family centre\n%s\n' "$2" > "$TMP/bad.csv"
	local out rc
	out=$("$QES" extract "$R" --from "$TMP/bad.csv" 2>&1); rc=$?
	if [ "$rc" -eq 3 ] && [[ "$out" == *"bad.csv:3"* ]]; then ok "$1"; else not_ok "$1" "exit $rc" "$out"; fi
}
bad "a count that is not a number is refused at its line" "S01,participants.parents,ten"
bad "a negative count is refused" "S01,participants.parents,-3"
bad "a choice outside the options is refused" "S01,design,grounded theory"
bad "an unknown country is refused" "S01,country,Atlantis"
bad "yes/no takes yes or no" "S01,demographics,maybe"
bad "an unknown field is refused" "S01,colour,blue"
bad "an unknown study is refused" "NOPE,country,England"
bad "a count field needs a group" "S01,participants,12"
printf 'study,field\nS01,country\n' > "$TMP/hdr.csv"
check_fails "a wrong header is refused" 3 "$QES" extract "$R" --from "$TMP/hdr.csv"
check_eq "a rejected file stored nothing (S01 has no setting)" \
	"$("$QES" extract "$R" S01 --show --json | python3 -c 'import json,sys; print("setting" in json.load(sys.stdin)["values"])')" False

# A number field defined by the team.
check "field add defines a number field" "$QES" extract field add "$R" response_rate --type number --label "Response rate (%)"
check_fails "field add refuses an unknown type" 2 "$QES" extract field add "$R" x --type colour
check_fails "a choice field needs options" 2 "$QES" extract field add "$R" y --type choice
check_eq "the form shows the new field last" \
	"$("$QES" extract form "$R" --json | python3 -c 'import json,sys; f=json.load(sys.stdin)["fields"]; print(f[-1]["name"], f[-1]["type"])')" "response_rate number"
printf 'study,field,value\nS03,response_rate,abc\n' > "$TMP/num.csv"
check_fails "a number field refuses text" 3 "$QES" extract "$R" --from "$TMP/num.csv"
printf 'study,field,value\nS03,response_rate,62.5\n' > "$TMP/num.csv"
check "a number field takes 62.5" "$QES" extract "$R" --from "$TMP/num.csv"

# Normalisation: aliases and option spellings are stored in the list's form.
show=$("$QES" extract "$R" S06 --show --json)
check_eq "the alias USA is stored as United States" "$(echo "$show" | json_get values.country)" "United States"
check_eq "design 'Qualitative' is stored as the option's spelling" \
	"$("$QES" extract "$R" S02 --show --json | json_get values.design)" "qualitative"

# Round trip: export, re-import into a fresh review, export again: identical.
check "extract -o writes the values" "$QES" extract "$R" -o "$TMP/out.csv"
check_eq "the export has one row per stored value" "$(($(python3 -c 'import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1]))))' "$TMP/out.csv") - 1))" "$((n_values + 1))"
R2="$TMP/r2.qes"
make_review "$R2" >/dev/null
"$QES" study add "$R2" S01 S02 S03 S04 S05 S06 S07 S08 S09 S10 S11 S12 >/dev/null
"$QES" extract field add "$R2" response_rate --type number >/dev/null
check "the export imports into another review" "$QES" extract "$R2" --from "$TMP/out.csv"
"$QES" extract "$R2" -o "$TMP/out2.csv"
check "and exports back identically" cmp "$TMP/out.csv" "$TMP/out2.csv"

# Interactive: answers on stdin (as over ssh), a bad value asked again.
out=$(printf 'To understand support\nEngland\n\nbad design\nqualitative\n' | "$QES" extract "$R" S12 2>&1)
check_contains "the terminal form re-asks after a bad value" "$out" "not one of the options"
check_eq "and stores the good answers" "$("$QES" extract "$R" S12 --show --json | json_get values.aim)" "To understand support"

# The summary, recomputed here from the extraction CSV.
sum=$("$QES" studies "$R" --json)
expect=$(python3 - "$TMP/extraction.csv" <<'PY'
import csv, sys, json, collections
alias = {"USA": "United States"}
uk = {"England", "Scotland", "Wales", "Northern Ireland"}
v = collections.defaultdict(dict)
for r in list(csv.DictReader(open(sys.argv[1]))):
    v[r["study"]][r["field"]] = r["value"]
country, design, pub, persp, tot, nst = (collections.Counter() for _ in range(6))
for s, f in v.items():
    # Country level: the UK nations are the United Kingdom, once per study.
    for c in {"United Kingdom" if c.strip() in uk else alias.get(c.strip(), c.strip())
              for c in f["country"].split(";")}:
        country[c] += 1
    design[f["design"].lower()] += 1
    pub[f["publication"]] += 1
    groups = [g for g in ("parents", "practitioners") if int(f.get("participants." + g, 0)) > 0]
    persp["both" if len(groups) == 2 else groups[0] + " only"] += 1
    for g in groups:
        tot[g] += int(f["participants." + g]); nst[g] += 1
print(json.dumps({"studies": len(v), "by_country": dict(country), "by_design": dict(design),
    "by_publication": dict(pub), "by_perspective": dict(persp),
    "participants": {g: [tot[g], nst[g]] for g in tot}}, sort_keys=True))
PY
)
got=$(echo "$sum" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(json.dumps({"studies": len(d["studies"]),
  "by_country": {x["country"]: x["n"] for x in d["by_country"]},
  "by_design": {x["design"]: x["n"] for x in d["by_design"]},
  "by_publication": {x["publication"]: x["n"] for x in d["by_publication"]},
  "by_perspective": {x["perspective"]: x["n"] for x in d["by_perspective"]},
  "participants": {x["group"]: [x["n"], x["studies"]] for x in d["participants"]}}, sort_keys=True))')
check_eq "every summary number matches the data" "$got" "$expect"
# The same numbers by hand, so a broken recomputation cannot hide a bug:
# parents 10+12+8+6+15+9+20+7 = 87 in 8 studies; practitioners
# 5+40+3+25+12+30+18 = 133 in 7; both: S02 S05 S08; England S01 S04 S08 S12.
check_eq "87 parents in 8 studies" "$(echo "$got" | python3 -c 'import json,sys; print(json.load(sys.stdin)["participants"]["parents"])')" "[87, 8]"
check_eq "133 practitioners in 7 studies" "$(echo "$got" | python3 -c 'import json,sys; print(json.load(sys.stdin)["participants"]["practitioners"])')" "[133, 7]"
check_eq "3 both, 5 parents only, 4 practitioners only" \
	"$(echo "$got" | python3 -c 'import json,sys; p=json.load(sys.stdin)["by_perspective"]; print(p["both"], p["parents only"], p["practitioners only"])')" "3 5 4"
# Countries at two levels (issue 18): England, Scotland, Wales and Northern
# Ireland count as the UK at country level (S08 "England; Scotland" once),
# and the nations are kept: England 4 (S01 S04 S08 S12), Scotland 1 (S08).
check_eq "the United Kingdom first with 4 studies" "$(echo "$sum" | python3 -c 'import json,sys; c=json.load(sys.stdin)["by_country"][0]; print(c["country"], c["n"])')" "United Kingdom 4"
check_eq "no nation at country level" "$(echo "$sum" | python3 -c 'import json,sys; print(sorted(c["country"] for c in json.load(sys.stdin)["by_country"] if c["country"] in ("England","Scotland","Wales","Northern Ireland")))')" "[]"
check_eq "by nation: England 4, Scotland 1" "$(echo "$sum" | python3 -c 'import json,sys; print(", ".join("%s %d" % (c["nation"], c["n"]) for c in json.load(sys.stdin)["by_nation"]))')" "England 4, Scotland 1"
check_eq "2 grey-literature reports" "$(echo "$got" | python3 -c 'import json,sys; print(json.load(sys.stdin)["by_publication"]["grey"])')" 2
check_eq "13 reports" "$(echo "$sum" | json_get totals.reports)" 13
check_eq "the totals count 12 studies" "$(echo "$sum" | json_get totals.studies)" 12
check_eq "each study carries its values and perspective" \
	"$(echo "$sum" | python3 -c 'import json,sys; s=next(x for x in json.load(sys.stdin)["studies"] if x["study"]=="S08"); print(s["values"]["country"], "/", s["perspective"])')" "England; Scotland / both"
check_eq "no contradictions while the notes agree" "$(echo "$sum" | json_get contradictions)" "[]"

# Planted contradictions: a study note and a review-level note.
printf 'study,field,value\nS02,notes,We interviewed 14 parents and 5 practitioners\n' > "$TMP/note.csv"
"$QES" extract "$R" --from "$TMP/note.csv" >/dev/null
check "a review note is stored" "$QES" study note "$R" "Across 12 studies, 87 parents and 140 practitioners took part."
c=$("$QES" studies "$R" --json | python3 -c '
import json,sys
for x in json.load(sys.stdin)["contradictions"]:
    print(x["where"], x["group"], x["stated"], x["computed"])')
check_eq "both planted totals are flagged, and nothing else" "$c" "study S02, notes parents 14 12
note 1 practitioners 140 133"
check_contains "the text summary names the contradiction" "$("$QES" studies "$R")" "140 practitioners"

html=$("$QES" studies "$R" --html)
check "the characteristics table is well-formed HTML" python3 -c 'import sys, xml.etree.ElementTree as E; E.fromstring(sys.argv[1])' "$html"
check_eq "with one row per study" "$(echo "$html" | grep -c '<tr><th scope="row">')" 12
