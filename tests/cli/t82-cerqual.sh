#!/usr/bin/env bash
# t82: from themes to confidence. Four included studies (two from parents'
# perspective, two from practitioners'), their results sections coded with
# quotes and interpretations, themes grouped in the store (the theme commands
# are another module's), CASP ratings, two review findings with derived and
# corrected contributing studies, GRADE-CERQual judgements (a missing
# explanation refused, the limitations summary checked against a hand
# count), the advisory group (workshop, comments, responses, sharing: the
# advisors' view hides held-back quotes and unshared items), ENTREQ filled
# from the data, and the report's new sections. All texts are written for
# this test.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/studies-fixture.sh"
R="$TMP/r.qes"
make_review "$R"
"$QES" study add "$R" S01 S02 S03 S04 S05 S06 >/dev/null
export USER=tester

check "every command has --help" bash -c "for c in finding cerqual advisory entreq; do \"$QES\" \$c --help >/dev/null || exit 1; done"

# Results sections: Adams 2015 and Chen 2017 interviewed mothers; Baker 2016
# and Dunn 2018 interviewed social workers and family-support staff.
cat > "$TMP/adams.txt" <<'TXT'
Mothers spoke of a fear that never left them. "Every time the phone rang I thought it was them coming for the baby," said one mother.
Several felt that the first assessment had already decided who they were. "She wrote me down as a risk before I had even sat down."
The authors interpret this as anticipatory loss shaping every later contact.
TXT
cat > "$TMP/baker.txt" <<'TXT'
Social workers described holding two jobs at once. "I am there to help her and I am also writing the report that could take her kids," one explained.
Where workers took time to explain each step, they saw parents begin to trust them. "Once I showed her the plan line by line she stopped hiding things."
TXT
cat > "$TMP/chen.txt" <<'TXT'
Mothers in this study avoided services they needed. "I didn't tell the health visitor I was struggling because I knew where that ends."
Some described feeling watched rather than helped. "They came to check on me, not to help me."
TXT
cat > "$TMP/dunn.txt" <<'TXT'
Family-support staff said that caseloads left no time to explain decisions. "We see them for twenty minutes and then they get a letter."
Staff noticed that parents read every question as a test. "Whatever you ask, they hear: are you a bad mother?"
TXT
for s in adams:S01:Adams2015 baker:S02:Baker2016 chen:S03:Chen2017 dunn:S04:Dunn2018; do
	IFS=: read -r f key name <<<"$s"
	"$QES" code source add "$R" "$TMP/$f.txt" --name "$name" --study "$key" >/dev/null || echo "# source $name failed"
done
"$QES" code case add "$R" AdamsMothers --attr perspective=parent --attr role=mother >/dev/null
"$QES" code case add "$R" ChenMothers --attr perspective=parent --attr role=mother >/dev/null
"$QES" code case add "$R" BakerWorkers --attr perspective=practitioner --attr role="social worker" >/dev/null
"$QES" code case add "$R" DunnStaff --attr perspective=practitioner --attr role="family-support worker" >/dev/null
for c in AdamsMothers:Adams2015 ChenMothers:Chen2017 BakerWorkers:Baker2016 DunnStaff:Dunn2018; do
	"$QES" code case link "$R" "${c%%:*}" "${c##*:}" >/dev/null
done
for c in "Parent/Fear of removal" "Parent/Feeling judged" "Parent/Avoiding help" \
	 "Practitioner/Dual role" "Practitioner/No time to explain" "Shared/Explaining builds trust"; do
	"$QES" code add "$R" "$c" >/dev/null
done
code() { "$QES" code find "$R" --as "$1" "$2" "$3" "$4" "${@:5}" >/dev/null || echo "# coding failed: $2 $3"; }
code ana Adams2015 "Every time the phone rang I thought it was them coming for the baby" "Parent/Fear of removal" --quote --illustrative
code ana Adams2015 "She wrote me down as a risk before I had even sat down." "Parent/Feeling judged" --quote
code ana Adams2015 "The authors interpret this as anticipatory loss shaping every later contact." "Parent/Fear of removal" --interpretation
code ana Chen2017 "I didn't tell the health visitor I was struggling because I knew where that ends." "Parent/Avoiding help" --quote --illustrative
code ana Chen2017 "They came to check on me, not to help me." "Parent/Feeling judged" --quote
code ana Baker2016 "I am there to help her and I am also writing the report that could take her kids" "Practitioner/Dual role" --quote --illustrative
code ana Baker2016 "Once I showed her the plan line by line she stopped hiding things." "Shared/Explaining builds trust" --quote
code ana Dunn2018 "We see them for twenty minutes and then they get a letter." "Practitioner/No time to explain" --quote
code ana Dunn2018 "Whatever you ask, they hear: are you a bad mother?" "Parent/Feeling judged" --quote
code ben Chen2017 "They came to check on me, not to help me." "Parent/Feeling judged" --quote

# Themes, written straight into the store's tables (code_themes and friends).
python3 - "$R" <<'PY'
import sqlite3, sys, uuid
db = sqlite3.connect(sys.argv[1])
def theme(level, name, parent=None):
    return db.execute("INSERT INTO code_themes(guid, level, parent_id, name) VALUES (?,?,?,?)",
                      (str(uuid.uuid4()), level, parent, name)).lastrowid
def codes(t, *paths):
    for p in paths:
        db.execute("INSERT INTO code_theme_codes SELECT ?, id FROM code_codes WHERE path = ?", (t, p))
fear = theme("descriptive", "Fear of losing the children"); codes(fear, "Parent/Fear of removal", "Parent/Avoiding help")
judged = theme("descriptive", "Being judged"); codes(judged, "Parent/Feeling judged")
duty = theme("descriptive", "Caught between two duties"); codes(duty, "Practitioner/Dual role", "Practitioner/No time to explain")
trust = theme("descriptive", "Explaining builds trust"); codes(trust, "Shared/Explaining builds trust")
surv = theme("analytical", "Help that feels like surveillance")
for t in (fear, judged):
    db.execute("INSERT INTO code_theme_links VALUES (?, ?)", (surv, t))
db.commit()
PY

# CASP ratings (consensus answers). Hand count for F1's studies (Adams, Chen,
# Dunn): 3 appraised; 'no' in Adams (casp6) and Dunn (casp8) = 2 with serious
# concerns; casp6: no 1, can't tell 1 (Dunn); casp4: can't tell 1 (Adams).
{
	echo "study,reviewer,question,answer,comment"
	for s in S01 S02 S03 S04; do
		for q in 1 2 3 4 5 6 7 8 9; do
			a=yes
			case "$s:$q" in
			S01:6|S02:5|S02:6|S04:8) a=no ;;
			S01:4|S04:6) a=cant_tell ;;
			esac
			echo "$s,consensus,casp$q,$a,"
		done
	done
} > "$TMP/ratings.csv"
check "CASP ratings imported" "$QES" appraise "$R" --from "$TMP/ratings.csv"

# Findings.
check "a finding on an analytical theme" "$QES" finding add "$R" F1 "Mothers expected any contact with services to end in removal, and hid their difficulties; help felt like surveillance." --theme "Help that feels like surveillance"
check "a finding on a theme and a code" "$QES" finding add "$R" F2 "Practitioners felt caught between supporting parents and reporting on them; explaining each step built trust." --theme "Caught between two duties" --code "Shared/Explaining builds trust"
check_fails "a finding key cannot repeat (exit 5)" 5 "$QES" finding add "$R" F1 "Again"
check_contains "a finding without its statement says what add needs" "$("$QES" finding add "$R" F7 2>&1)" 'add needs KEY "STATEMENT"'
check_contains "link without a target says what to link" "$("$QES" finding link "$R" F1 2>&1)" "say what to link or unlink"
check_fails "a mistyped finding action is a usage error" 2 "$QES" finding lsit "$R"
check_fails "an unknown theme is exit 4" 4 "$QES" finding add "$R" F9 "X" --theme "No such theme"
check_eq "the refused finding left nothing behind" "$("$QES" finding list "$R" --json | json_get 1.finding)" F2
f1=$("$QES" finding show "$R" F1 --json)
check_eq "F1's studies come from the codings under its themes" \
	"$(echo "$f1" | python3 -c 'import json,sys; print(" ".join(s["study"] for s in json.load(sys.stdin)["studies"]))')" "S01 S03 S04"
f2=$("$QES" finding show "$R" F2 --json)
check_eq "F2's studies: Baker (both codes), Dunn (dual duties)" \
	"$(echo "$f2" | python3 -c 'import json,sys; print(" ".join(s["study"] for s in json.load(sys.stdin)["studies"]))')" "S02 S04"
check_eq "limitations summary: appraised, with serious concerns" \
	"$(echo "$f1" | python3 -c 'import json,sys; l=json.load(sys.stdin)["limitations_summary"]; print(l["studies"], l["appraised"], l["with_serious"], ",".join(l["serious_studies"]))')" "3 3 2 Adams 2015,Dunn 2018"
check_eq "limitations summary per item against the hand count" \
	"$(echo "$f1" | python3 -c 'import json,sys; l=json.load(sys.stdin)["limitations_summary"]; print(" ".join("%s:%d/%d" % (i["question"], i["no"], i["cant_tell"]) for i in l["items"]))')" "casp4:0/1 casp6:1/1 casp8:1/0"
check_fails "a study correction needs a reason (exit 2)" 2 "$QES" finding study "$R" F2 S05 --add
check "a study added by hand" "$QES" finding study "$R" F2 S05 --add --reason "Evans 2018 reports the same dilemma in its discussion of results"
check "a derived study removed by hand" "$QES" finding study "$R" F2 S04 --remove --reason "Dunn's staff describe workload, not the dual role"
check_eq "F2's studies after the corrections" \
	"$("$QES" finding show "$R" F2 --json | python3 -c 'import json,sys; print(" ".join(s["study"] + ("+" if s["included"] else "-") for s in json.load(sys.stdin)["studies"]))')" "S02+ S04- S05+"

# CERQual.
check_fails "serious concerns without an explanation are refused (exit 2)" 2 "$QES" cerqual assess "$R" F1 coherence serious
check_fails "overall confidence without an explanation is refused" 2 "$QES" cerqual assess "$R" F1 overall moderate
check_fails "an unknown level is refused" 2 "$QES" cerqual assess "$R" F1 adequacy huge
check_eq "the refusals stored nothing" "$("$QES" finding show "$R" F1 --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["cerqual"]))')" 0
check "no or very minor concerns need no explanation" "$QES" cerqual assess "$R" F1 coherence none --by AB
check "limitations: explanation pre-filled from the appraisal" "$QES" cerqual assess "$R" F1 limitations minor --by AB
check "adequacy with an explanation" "$QES" cerqual assess "$R" F1 adequacy moderate --explain "Three small studies; thin data on fathers" --by AB
check "relevance" "$QES" cerqual assess "$R" F1 relevance minor --explain "All studies from England" --by BC
check "overall" "$QES" cerqual assess "$R" F1 overall moderate --explain "Moderate concerns on adequacy, minor on limitations and relevance" --by AB
check "F2 overall" "$QES" cerqual assess "$R" F2 overall low --explain "Two studies with serious methodological concerns" --by AB
lim=$("$QES" finding show "$R" F1 --json | json_get cerqual.limitations.explanation)
check_contains "the pre-filled explanation names the studies" "$lim" "2 with serious concerns (answer 'no') on at least one item (Adams 2015, Dunn 2018)"
check "assess again (a change)" "$QES" cerqual assess "$R" F1 relevance none --by CD
check_eq "every change is in the log with who made it" \
	"$("$QES" cerqual log "$R" --json | python3 -c 'import json,sys; print(" ".join(e["who"] for e in json.load(sys.stdin) if e["action"] == "cerqual" and "F1 relevance" in e["target"]))')" "BC CD"
soqf=$("$QES" cerqual soqf "$R" --csv)
check_eq "SoQF CSV header" "$(echo "$soqf" | head -1 | tr -d '\r')" "finding,statement,confidence,explanation,studies"
check_eq "SoQF rows: confidence and studies as labels" \
	"$(echo "$soqf" | python3 -c 'import csv,sys; print(" | ".join(r["finding"]+" "+r["confidence"]+" "+r["studies"] for r in csv.DictReader(sys.stdin)))')" \
	"F1 moderate Adams 2015; Chen 2017; Dunn 2018 | F2 low Baker 2016; Evans 2018"
prof=$("$QES" cerqual profile "$R" --json)
check_eq "evidence profile row for F1" \
	"$(echo "$prof" | python3 -c 'import json,sys; r=json.load(sys.stdin)["rows"][0]; print(r["limitations"]["concern"], r["coherence"]["concern"], r["adequacy"]["concern"], r["relevance"]["concern"], r["overall"]["confidence"], r["assessed_by"])')" "minor none moderate none moderate CD"
check_eq "evidence profile CSV has 13 columns" "$("$QES" cerqual profile "$R" --csv | head -1 | tr -d '\r' | tr ',' '\n' | wc -l)" 13
check_contains "SoQF HTML" "$("$QES" cerqual soqf "$R" --html)" "<td data-col=\"confidence\">Moderate confidence</td>"

# The advisory group.
printf 'pw-for-rose-2026\n' | "$QES" user add "$R" rose --role advisor >/dev/null
check "an advisor linked to a web account" "$QES" advisory advisor "$R" Rose --user rose
check "an advisor by pseudonym" "$QES" advisory advisor "$R" Maya
check_fails "an advisor name cannot repeat" 5 "$QES" advisory advisor "$R" maya
w=$("$QES" advisory workshop "$R" 2026-03-04 --title "First data workshop" --advisor Rose --advisor Maya \
	--show "theme:Help that feels like surveillance" --show "finding:F1" --show "text:Early code list on paper")
check_eq "a workshop is recorded" "$w" "workshop #1"
check_fails "a bad date is refused" 2 "$QES" advisory workshop "$R" 04/03/2026
c1=$("$QES" advisory comment "$R" "Being watched is the word we would use, not judged." --advisor Rose --workshop 1 --on "theme:Being judged")
check_eq "a comment by an advisor at the workshop" "$c1" "comment #1"
c2=$("$QES" advisory comment "$R" "The fear starts before any visit: from what you hear from other mums." --workshop 1 --on finding:F1)
check_eq "a comment by the group" "$c2" "comment #2"
check "a comment outside a workshop" "$QES" advisory comment "$R" "Fathers are missing from this." --advisor Maya
check_fails "an advisor not present cannot comment at that workshop" 5 bash -c "\"$QES\" advisory advisor \"$R\" Lee && \"$QES\" advisory comment \"$R\" 'x' --advisor Lee --workshop 1"
check_fails "a response needs the change described" 2 "$QES" advisory respond "$R" 1 adopted
check "comment 1 adopted" "$QES" advisory respond "$R" 1 adopted --change "Theme renamed 'Being watched'; quotes re-read for surveillance" --affects "theme:Being judged" --affects finding:F1
check "comment 2 partly" "$QES" advisory respond "$R" 2 partly --change "Added anticipation from peers to F1's explanation" --affects finding:F1
log=$("$QES" advisory log "$R" --json)
check_eq "the LEAG log counts" "$(echo "$log" | python3 -c 'import json,sys; c=json.load(sys.stdin)["counts"]; print(c["advisors"], c["workshops"], c["comments"], c["adopted"], c["partly"], c["pending"])')" "3 1 3 1 1 1"
check_eq "a workshop's advisors and what was shown" "$(echo "$log" | python3 -c 'import json,sys; w=json.load(sys.stdin)["workshops"][0]; print(";".join(w["advisors"]), "|", ";".join(w["shown"]))')" \
	"Maya;Rose | analytical theme: Help that feels like surveillance;finding F1;Early code list on paper"
logcsv=$("$QES" advisory log "$R" --csv)
check_eq "LEAG CSV: one row per comment" "$(echo "$logcsv" | python3 -c 'import csv,sys; print(" | ".join(r["comment"]+" "+r["by"]+" "+r["status"] for r in csv.DictReader(sys.stdin)))')" \
	"1 Rose adopted | 2 the group partly | 3 Maya pending"

# Sharing: the analytical theme and F1 are shared; one of Adams' quotes is
# held back; 'Caught between two duties' and F2 are not shared.
check "share a theme" "$QES" advisory share "$R" "theme:Help that feels like surveillance"
check "share a finding" "$QES" advisory share "$R" finding:F1
held=$("$QES" code list "$R" --source Adams2015 --json | python3 -c 'import json,sys; print([c["guid"] for c in json.load(sys.stdin) if c["text"].startswith("She wrote me down")][0])')
check "hold back a quote" "$QES" advisory hold "$R" "coding:$held"
view=$("$QES" advisory view "$R" --as-advisor --json)
check_eq "advisors see the shared theme only" "$(echo "$view" | python3 -c 'import json,sys; print(";".join(t["theme"] for t in json.load(sys.stdin)["themes"]))')" "Help that feels like surveillance"
check_eq "and the shared finding only" "$(echo "$view" | python3 -c 'import json,sys; print(";".join(t["finding"] for t in json.load(sys.stdin)["findings"]))')" F1
check_eq "quotes under the theme: held back and interpretations left out, doubles once" \
	"$(echo "$view" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["themes"][0]["quotes"]))')" 4
check "the held-back quote is nowhere in the advisors' view" bash -c "! grep -q 'She wrote me down' <<<'$(echo "$view" | tr "'" ' ')'"
check "nor any text from the unshared theme" bash -c "! grep -q 'twenty minutes\|report that could take' <<<'$(echo "$view" | tr "'" ' ')'"
check_eq "quotes carry perspective and study" "$(echo "$view" | python3 -c 'import json,sys; q=json.load(sys.stdin)["findings"][0]["quotes"][0]; print(q["role"], "|", q["study"])')" "mother | Adams 2015"
check "the coder names stay with the team" bash -c "! grep -q '\"ana\"\|\"ben\"\|coder' <<<'$(echo "$view" | tr "'" ' ')'"
check_fails "view needs --as-advisor" 2 "$QES" advisory view "$R"
check_fails "an unknown advisory action is a usage error" 2 env -u USER "$QES" advisory frob "$R"
check_contains "an unknown advisory action is named, not --by asked for" "$(env -u USER "$QES" advisory frob "$R" 2>&1)" "no action 'frob'"
check "held back, then shared again" "$QES" advisory share "$R" "coding:$held"
check_contains "a shared coding shows again" "$("$QES" advisory view "$R" --as-advisor)" "She wrote me down"

# ENTREQ.
ent=$("$QES" entreq "$R" --json)
st_of() { echo "$ent" | python3 -c 'import json,sys; i=json.load(sys.stdin)["items"][int(sys.argv[1])-1]; print(i["status"])' "$1"; }
ev_of() { echo "$ent" | python3 -c 'import json,sys; i=json.load(sys.stdin)["items"][int(sys.argv[1])-1]; print(i["evidence"])' "$1"; }
check_eq "21 items" "$(echo "$ent" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')" 21
check_eq "item 2 from the themes" "$(st_of 2)" filled
check_contains "item 2 counts" "$(ev_of 2)" "(6 codes), 4 descriptive themes, 1 analytical themes"
check_eq "item 5: no search dates recorded, partial" "$(st_of 5)" partial
check_contains "item 11 names the tool" "$(ev_of 11)" "CASP Qualitative Checklist: 10 questions"
check_eq "item 13: 4 of 6 studies appraised, partial" "$(ev_of 13 | cut -d' ' -f1-6)" "4 of 6 included studies appraised"
check_contains "item 16: the coders" "$(ev_of 16)" "2 coders (ana, ben); 1 advisory-group workshops"
check_contains "item 17: the coding" "$(ev_of 17)" "10 codings of 4 sources under 6 codes by 2 coders"
# ben's quote is the same words as one of ana's: 9 quote spans, 8 passages.
check_contains "item 20: quotations" "$(ev_of 20)" "8 participant quotations and 1 author interpretations marked (distinct passages, 10 spans by all coders); 3 illustrative quotes from 3 studies"
check_eq "item 21: findings assessed" "$(st_of 21)" filled
check_eq "item 1 needs the authors" "$(st_of 1)" partial
check "authors answer item 1" "$QES" entreq "$R" --set 1 "To synthesise what parents and practitioners say about support."
check_eq "then it is filled" "$("$QES" entreq "$R" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["status"])')" filled
check_fails "item 22 does not exist" 2 "$QES" entreq "$R" --set 22 "x"
check_eq "ENTREQ CSV header" "$("$QES" entreq "$R" --csv | head -1 | tr -d '\r')" "item,domain,title,status,evidence"
check "entreq --json -o writes the file" "$QES" entreq "$R" --json -o "$TMP/entreq.json"
check_eq "the ENTREQ JSON file holds the 21 items" "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["items"]))' "$TMP/entreq.json")" 21
check "advisory log --json -o writes the file" "$QES" advisory log "$R" --json -o "$TMP/leag.json"
check_eq "the LEAG JSON file holds the 3 comments" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["counts"]["comments"])' "$TMP/leag.json")" 3

# The report.
check "the report is written" "$QES" report "$R" -o "$TMP/report.html"
html=$(cat "$TMP/report.html")
check_contains "report: SoQF" "$html" "<h2>Summary of qualitative findings</h2>"
check_contains "report: evidence profile" "$html" "<h2>GRADE-CERQual evidence profile</h2>"
check_contains "report: LEAG summary" "$html" "3 advisors, 1 workshop, 3 comments: 1 adopted, 1 partly adopted, 0 not adopted, 1 awaiting a response."

# CERQual warnings (issue 18). F2 has an overall confidence but no
# component; F3 has nothing: flagged, never a blank cell.
check "a finding not yet assessed" "$QES" finding add "$R" F3 "Fathers were rarely asked." --theme "Help that feels like surveillance"
sq=$("$QES" cerqual soqf "$R" --json)
check_contains "F3 is flagged as not assessed" "$(echo "$sq" | python3 -c 'import json,sys; print([r["warnings"] for r in json.load(sys.stdin)["rows"] if r["finding"]=="F3"][0])')" "not assessed: no overall CERQual confidence"
check_eq "the SoQF CSV says not_assessed, not blank" "$("$QES" cerqual soqf "$R" --csv | python3 -c 'import csv,sys; print([r["confidence"] for r in csv.DictReader(sys.stdin) if r["finding"]=="F3"][0])')" "not_assessed"
check_contains "F2's components are flagged as not assessed" "$(echo "$sq" | python3 -c 'import json,sys; print([r["warnings"] for r in json.load(sys.stdin)["rows"] if r["finding"]=="F2"][0])')" "components not assessed: limitations, coherence, adequacy, relevance"
check_eq "F1 (moderate; one moderate concern) is consistent" "$(echo "$sq" | python3 -c 'import json,sys; print([r["warnings"] for r in json.load(sys.stdin)["rows"] if r["finding"]=="F1"][0])')" "[]"
# "High" with two moderate concerns sits oddly: flagged, in the HTML too.
check "coherence moderate" "$QES" cerqual assess "$R" F1 coherence moderate --explain "Two studies tell it differently" --by AB
check "overall high" "$QES" cerqual assess "$R" F1 overall high --explain "Rich data" --by AB
w=$("$QES" cerqual profile "$R" --json | python3 -c 'import json,sys; print([r["warnings"] for r in json.load(sys.stdin)["rows"] if r["finding"]=="F1"][0])')
check_contains "high with two moderate concerns is flagged" "$w" "overall confidence 'high' sits oddly with the components (moderate concerns for coherence, moderate concerns for adequacy"
check_contains "and the HTML SoQF shows it beside the explanation" "$("$QES" cerqual soqf "$R" --html)" "Rich data Check: overall confidence"
# The pre-filled limitations explanation named 3 contributing studies; a
# study removed from F1 makes it stale, and that is flagged.
check "a study removed from F1" "$QES" finding study "$R" F1 S03 --remove --reason "Chen speaks of schools, not services"
check_contains "a stale count in the pre-filled explanation is flagged" "$("$QES" cerqual profile "$R" --json | python3 -c 'import json,sys; print([r["warnings"] for r in json.load(sys.stdin)["rows"] if r["finding"]=="F1"][0])')" "names 3 contributing studies; the finding now has 2"
