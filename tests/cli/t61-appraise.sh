#!/usr/bin/env bash
# t61: quality appraisal on the 12-study review: the CASP checklist (data
# file and compiled-in copy agree), review-specific questions, ratings with
# validation, the reproducible double-rating sample, agreement against a
# hand computation, discrepancies and consensus, the table, and the SVG
# plots parsed and checked cell by cell against the ratings.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/studies-fixture.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
R="$TMP/r.qes"
make_review "$R"
"$QES" study add "$R" S01 S02 S03 S04 S05 S06 S07 S08 S09 S10 S11 S12 >/dev/null

check "every command has --help" bash -c "for c in appraise checklist; do \"$QES\" \$c --help >/dev/null || exit 1; done"
"$QES" checklist export "$R" -o "$TMP/casp.json"
check "the compiled-in CASP checklist is the data file" python3 -c '
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
sys.exit(0 if a == b else 1)' "$TMP/casp.json" "$ROOT/data/checklists/casp-qualitative-2018.json"
cl=$("$QES" checklist export "$R")
check_eq "CASP has ten questions, Q10 free text" \
	"$(echo "$cl" | python3 -c 'import json,sys; q=json.load(sys.stdin)["questions"]; print(len(q), q[9]["id"], q[9]["type"], sum(x["type"]=="rating" for x in q))')" "10 casp10 text 9"
check_contains "and cites CASP" "$(echo "$cl" | json_get citation)" "Critical Appraisal Skills Programme (2018). CASP Qualitative Checklist"

# Review-specific questions, as the seed review added three.
check "add-question: positionality" "$QES" checklist add-question "$R" casp-qualitative-2018 positionality "Do the authors say how their own position shaped the study?"
check "add-question: involvement" "$QES" checklist add-question "$R" casp-qualitative-2018 involvement "Were people with lived experience involved in the research?"
check "add-question: intersectionality" "$QES" checklist add-question "$R" casp-qualitative-2018 intersectionality "Does the analysis consider overlapping social identities?"
check_fails "a question id cannot repeat (exit 5)" 5 "$QES" checklist add-question "$R" casp-qualitative-2018 casp3 "Again"
check_fails "add-question to an unknown checklist is exit 4" 4 "$QES" checklist add-question "$R" nope q1 "Text"
check_eq "the checklist now has 13 questions" "$("$QES" checklist list "$R" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["questions"])')" 13

# The sample: ceil(0.25 * 12) = 3 studies, the same for the same seed.
s1=$("$QES" appraise sample "$R" --fraction 0.25 --seed 2023 --json | python3 -c 'import json,sys; print(" ".join(json.load(sys.stdin)["sample"]))')
s2=$("$QES" appraise sample "$R" --fraction 0.25 --seed 2023 --json | python3 -c 'import json,sys; print(" ".join(json.load(sys.stdin)["sample"]))')
check_eq "the sample has 3 distinct studies" "$(echo $s1 | tr ' ' '\n' | sort -u | wc -l)" 3
check_eq "the same seed draws the same sample" "$s1" "$s2"
others=$(for s in 1 2 3 4 5 6 7 8; do "$QES" appraise sample "$R" --fraction 0.25 --seed $s | tr '\n' ' '; echo; done | sort -u | wc -l)
check "other seeds draw other samples" test "$others" -gt 1
"$QES" appraise sample "$R" --fraction 0.25 --seed 2023 >/dev/null
check_fails "sample without --seed is a usage error" 2 "$QES" appraise sample "$R" --fraction 0.1
read -r x1 x2 x3 <<<"$s1"

# Ratings. Answers per study over the 12 rating questions (casp1..casp9,
# positionality, involvement, intersectionality): Y yes, C cant_tell, N no.
# Reviewer ana rates every study; ben rates the three sampled ones.
qs="casp1 casp2 casp3 casp4 casp5 casp6 casp7 casp8 casp9 positionality involvement intersectionality"
declare -A ANA=( [$x1]=YYYYYNYCYNNC [$x2]=YYYCYNCYYNCN [$x3]=YYNYYCYYYNNN )
declare -A BEN=( [$x1]=YYYYYNYYYNCC [$x2]=YYYYYNCYYNCN [$x3]=YYNYCCYYNNNN )
others=(YYYYYYYYYNNN YYYCCNYCYNNN YYYNNNNNYNNC YYYYYCYYYYNN NYYYYNYYYCNN YYNNYNYYYNYN YYYYYYYYYYYY YCYYYNNYYNNN YYYYNNYCYNCN)
i=0
for s in S01 S02 S03 S04 S05 S06 S07 S08 S09 S10 S11 S12; do
	[ -z "${ANA[$s]:-}" ] && { ANA[$s]=${others[$i]}; i=$((i + 1)); }
done
ans() { case $1 in Y) echo yes;; C) echo cant_tell;; N) echo no;; esac; }
{
	echo "study,reviewer,question,answer,comment"
	for s in "${!ANA[@]}"; do
		j=0
		for q in $qs; do echo "$s,ana,$q,$(ans "${ANA[$s]:$j:1}"),\"page $((j + 3)), \"\"see methods\"\"\""; j=$((j + 1)); done
		echo "$s,ana,casp10,\"Valuable for local services\","
	done
	for s in "${!BEN[@]}"; do
		j=0
		for q in $qs; do echo "$s,ben,$q,$(ans "${BEN[$s]:$j:1}"),"; j=$((j + 1)); done
	done
} > "$TMP/ratings.csv"
out=$("$QES" appraise "$R" --from "$TMP/ratings.csv" 2>&1)
check_eq "every rating is stored" "$out" "$((12 * 13 + 3 * 12)) ratings stored"

badr() {
	printf 'study,reviewer,question,answer,comment\nS01,ana,casp1,yes,\n%s\n' "$2" > "$TMP/bad.csv"
	local out rc
	out=$("$QES" appraise "$R" --from "$TMP/bad.csv" 2>&1); rc=$?
	if [ "$rc" -eq 3 ] && [[ "$out" == *"bad.csv:3"* ]]; then ok "$1"; else not_ok "$1" "exit $rc" "$out"; fi
}
badr "an answer that is not yes/no/cant_tell is refused at its line" "S01,ana,casp2,maybe,"
badr "an unknown question is refused" "S01,ana,casp11,yes,"
badr "an unknown study is refused" "NOPE,ana,casp1,yes,"
badr "a rating needs a reviewer" "S01,,casp1,yes,"

# Agreement of ana and ben on the 3 sampled studies x 12 questions = 36 items.
# Hand computation (rows ana, columns ben; yes, cant_tell, no):
#   yes:       18  1  1   (20)      observed po = (18 + 4 + 9) / 36 = 31/36 = 86.1%
#   cant_tell:  2  4  0   ( 6)      chance pe = (20*20 + 6*6 + 10*10) / 36^2 = 536/1296
#   no:         0  1  9   (10)      kappa = (31/36 - 536/1296) / (1 - 536/1296)
#   columns:   20  6 10              = (1116 - 536) / (1296 - 536) = 580/760 = 0.7632
agr=$("$QES" appraise agreement "$R" --json)
check_eq "agreement is between ana and ben" "$(echo "$agr" | python3 -c 'import json,sys; print(*json.load(sys.stdin)["reviewers"])')" "ana ben"
check_eq "36 items, 31 agreed" "$(echo "$agr" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["items"], d["agreed"])')" "36 31"
check_eq "the contingency table" "$(echo "$agr" | python3 -c 'import json,sys; print(json.load(sys.stdin)["table"])')" "[[18, 1, 1], [2, 4, 0], [0, 1, 9]]"
check_eq "percent agreement 86.1" "$(echo "$agr" | python3 -c 'import json,sys; print("%.1f" % json.load(sys.stdin)["percent"])')" "86.1"
check_eq "kappa 580/760" "$(echo "$agr" | python3 -c 'import json,sys; print("%.6f" % json.load(sys.stdin)["kappa"])')" "$(python3 -c 'print("%.6f" % (580/760))')"
check "the 95% CI surrounds kappa inside [-1, 1]" python3 -c '
import json, sys
d = json.loads(sys.argv[1]); sys.exit(0 if -1 <= d["ci_low"] < d["kappa"] < d["ci_high"] <= 1 else 1)' "$agr"

# Discrepancies: 5 items differ; consensus resolves two of them.
dis=$("$QES" appraise discrepancies "$R" --json)
want=$(for s in $x1 $x2 $x3; do j=0; for q in $qs; do
	[ "${ANA[$s]:$j:1}" != "${BEN[$s]:$j:1}" ] && echo "$s $q"; j=$((j + 1)); done; done | sort)
check_eq "the discrepancy list is every item the two answered differently" \
	"$(echo "$dis" | python3 -c 'import json,sys; print("\n".join(sorted(x["study"]+" "+x["question"] for x in json.load(sys.stdin))))')" "$want"
check_eq "none resolved yet" "$("$QES" appraise table "$R" --json | json_get unresolved)" 5
printf 'study,reviewer,question,answer,comment\n%s,consensus,casp8,yes,agreed after discussion\n%s,consensus,casp4,cant_tell,\n' "$x1" "$x2" > "$TMP/cons.csv"
check "consensus ratings are stored" "$QES" appraise "$R" --from "$TMP/cons.csv"
check_eq "two discrepancies resolved" "$("$QES" appraise discrepancies "$R" --json | python3 -c 'import json,sys; print(sum(x["resolved"] for x in json.load(sys.stdin)))')" 2
check_eq "three left unresolved in the table" "$("$QES" appraise table "$R" --json | json_get unresolved)" 3

# The final answers: consensus, else the shared answer, else none.
cat > "$TMP/final.py" <<'PY'
import csv, sys, collections
r = collections.defaultdict(dict)
for f in sys.argv[1:]:
    for row in csv.DictReader(open(f)):
        r[(row["study"], row["question"])][row["reviewer"]] = row["answer"]
def final(s, q):
    v = r.get((s, q), {})
    if "consensus" in v: return v["consensus"]
    a = set(v.values())
    return a.pop() if len(a) == 1 else None
PY
"$QES" appraise table "$R" --json > "$TMP/table.json"
tab=$(cat "$TMP/table.json")
check "table answers = consensus, else agreement, else null" python3 - "$TMP/ratings.csv" "$TMP/cons.csv" <<PY
import json, sys
exec(open("$TMP/final.py").read())
t = json.load(open("$TMP/table.json"))
bad = [(row["study"], q["id"]) for row in t["studies"] for q in t["questions"]
       if row["answers"][q["id"]] != final(row["study"], q["id"])]
sys.exit(1 if bad or len(t["studies"]) != 12 or len(t["questions"]) != 13 else 0)
PY
check_contains "comments travel with the answers" "$(echo "$tab" | python3 -c 'import json,sys; print(json.load(sys.stdin)["studies"][0]["comments"]["casp1"])')" 'ana: page 3, "see methods"'
csvt=$("$QES" appraise table "$R" --csv)
check_eq "the CSV table has a header and 12 rows" "$(echo "$csvt" | wc -l)" 13
check_eq "and a column per question" "$(echo "$csvt" | head -1)" "study,label,casp1,casp2,casp3,casp4,casp5,casp6,casp7,casp8,casp9,casp10,positionality,involvement,intersectionality"
html=$("$QES" appraise table "$R" --html)
check "the appraisal table is well-formed HTML" python3 -c 'import sys, xml.etree.ElementTree as E; E.fromstring(sys.argv[1])' "$html"

# Plots: each cell against the ratings.
check "traffic-light plot" "$QES" appraise plot "$R" -o "$TMP/traffic.svg"
check "summary plot, colour-blind palette" "$QES" appraise plot "$R" -o "$TMP/summary.svg" --summary --palette colourblind
check_fails "an unknown palette is a usage error" 2 "$QES" appraise plot "$R" -o "$TMP/x.svg" --palette neon
check "every traffic-light cell shows the final answer, with its symbol" python3 - "$TMP/ratings.csv" "$TMP/cons.csv" <<PY
import sys, xml.etree.ElementTree as E
exec(open("$TMP/final.py").read())
ns = "{http://www.w3.org/2000/svg}"
root = E.parse("$TMP/traffic.svg").getroot()
qs = "$qs".split()
sym = {"yes": "+", "no": "-", "cant_tell": "?", "none": ""}
cells = 0
for g in root.iter(ns + "g"):
    if g.get("class") != "row": continue
    kids = list(g)
    for i, c in enumerate(kids):
        if c.tag != ns + "circle": continue
        s, q = c.get("data-study"), c.get("data-question")
        want = final(s, q) or "none"
        assert c.get("data-answer") == want, (s, q, c.get("data-answer"), want)
        assert (kids[i + 1].text or "") == sym[want], (s, q)
        cells += 1
assert cells == 12 * len(qs), cells
PY
check "every summary bar gives the share of studies per answer" python3 - "$TMP/ratings.csv" "$TMP/cons.csv" <<PY
import sys, collections, xml.etree.ElementTree as E
exec(open("$TMP/final.py").read())
ns = "{http://www.w3.org/2000/svg}"
root = E.parse("$TMP/summary.svg").getroot()
studies = ["S%02d" % i for i in range(1, 13)]
seen = collections.defaultdict(dict)
for bar in root.iter(ns + "rect"):
    if bar.get("class") != "bar": continue
    seen[bar.get("data-question")][bar.get("data-answer")] = (int(bar.get("data-n")), bar.get("data-percent"), bar.get("fill"))
for q in "$qs".split():
    want = collections.Counter(final(s, q) or "none" for s in studies)
    got = {a: v[0] for a, v in seen[q].items()}
    assert got == dict(want), (q, got, want)
    for a, v in seen[q].items():
        assert v[1] == "%.1f" % (100.0 * v[0] / 12), (q, a, v)
assert seen["casp1"]["yes"][2] == "#0072B2"
assert "casp10" not in seen
PY

# A team's own checklist, added from a file and made active.
cat > "$TMP/mine.json" <<'JSON'
{"id": "team-1", "title": "Team checklist", "citation": "Our team (2024)",
 "questions": [{"id": "t1", "text": "Is the sample described?"},
               {"id": "t2", "text": "Notes", "type": "text"}]}
JSON
check "checklist add --use loads a team checklist" "$QES" checklist add "$R" "$TMP/mine.json" --use
check_eq "and the table now uses it" "$("$QES" appraise table "$R" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["questions"]))')" 2
printf '{"id": "x", "title": "X", "questions": [{"id": "a", "text": "A"}, {"id": "a", "text": "B"}]}' > "$TMP/dup.json"
check_fails "a checklist with a repeated question id is refused (exit 3)" 3 "$QES" checklist add "$R" "$TMP/dup.json"
printf '{"id": "x",' > "$TMP/broken.json"
check_fails "broken JSON is refused (exit 3)" 3 "$QES" checklist add "$R" "$TMP/broken.json"
check "use switches back to CASP" "$QES" checklist use "$R" casp-qualitative-2018
check_eq "with its ratings intact" "$("$QES" appraise table "$R" --json | json_get unresolved)" 3
