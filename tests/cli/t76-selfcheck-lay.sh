#!/usr/bin/env bash
# t76: the review appraised as a whole (qes selfcheck) and its lay summary
# (qes lay). A scripted review whose checklist answers are known: one
# database search without a date or search string, one dated with its
# string, one citation search; criteria added step by step; three studies
# appraised by AB, one of them also by CD (two disagreements out of ten);
# one finding without a CERQual judgement. Each item's proposed answer and
# evidence are checked, the team's answers stored and logged, and the
# review is never a record or a study. All texts are written for this test.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/studies-fixture.sh"
R="$TMP/r.qes"
make_review "$R"
export USER=tester
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

cat > "$TMP/cinahl.ris" <<'RIS'
TY  - JOUR
ID  - C1
TI  - Support for fathers after a psychiatric admission
PY  - 2019
ER  - 
RIS
cat > "$TMP/cites.ris" <<'RIS'
TY  - JOUR
ID  - X1
TI  - A charity report on family help at home
PY  - 2020
ER  - 
RIS
"$QES" import "$R" "$TMP/cinahl.ris" --source CINAHL --searched 2024-02-01 --search-string 'father* AND "mental health"' >/dev/null
"$QES" import "$R" "$TMP/cites.ris" --source "Citation searching" --method other --searched 2024-03-01 >/dev/null
"$QES" study add "$R" S01 S02 S03 >/dev/null

sc() { "$QES" selfcheck "$R" --json "$@"; }
item() {  # item JSON ID FIELD
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
print(next(i for i in d["items"] if i["id"]==sys.argv[2])[sys.argv[3]])' "$1" "$2" "$3"
}
recs_before=$("$QES" status "$R" --json | json_get records)
studies_before=$("$QES" study list "$R" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
check "selfcheck --help" "$QES" selfcheck --help
sc > "$TMP/a.json"
check_eq "JBI is the default: 11 items" "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["items"]))' "$TMP/a.json")" 11
check_eq "every item has the interface's keys" "$(python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
print(all(set(["id","question","proposed","answer","evidence","comment"]) <= set(i) for i in d["items"]))' "$TMP/a.json")" True
check_eq "jbi1 without criteria: no" "$(item "$TMP/a.json" jbi1 proposed)" no
check_eq "jbi2 without criteria: no" "$(item "$TMP/a.json" jbi2 proposed)" no
check_eq "jbi3: one of two database searches has its string: unclear" "$(item "$TMP/a.json" jbi3 proposed)" unclear
check_contains "jbi3 evidence counts the strings" "$(item "$TMP/a.json" jbi3 evidence)" "Search strings recorded for 1 of 2 database and register imports"
check_eq "jbi4: a database search without a date: unclear" "$(item "$TMP/a.json" jbi4 proposed)" unclear
check_contains "jbi4 evidence names the undated source" "$(item "$TMP/a.json" jbi4 evidence)" "Fixture (database, search date not recorded)"
check_contains "jbi4 evidence names the other-methods source and date" "$(item "$TMP/a.json" jbi4 evidence)" "Citation searching (other, searched 2024-03-01)"
check_eq "jbi5 without appraisal: no" "$(item "$TMP/a.json" jbi5 proposed)" no
check_eq "jbi7 nothing extracted or coded: no" "$(item "$TMP/a.json" jbi7 proposed)" no
check_eq "jbi9 publication bias: unclear" "$(item "$TMP/a.json" jbi9 proposed)" unclear
check_eq "jbi10 without findings: no" "$(item "$TMP/a.json" jbi10 proposed)" no
check_eq "nothing confirmed yet: answer null" "$(item "$TMP/a.json" jbi1 answer)" None

"$QES" criteria "$R" --framework SPIDER --include "Parents with a mental illness" >/dev/null
sc > "$TMP/b.json"
check_eq "jbi1 with framework and an inclusion criterion: yes" "$(item "$TMP/b.json" jbi1 proposed)" yes
check_eq "jbi2 with inclusion only: unclear" "$(item "$TMP/b.json" jbi2 proposed)" unclear
"$QES" criteria "$R" --exclude "Studies of children only" >/dev/null
check_eq "jbi2 with both kinds: yes" "$(sc | python3 -c 'import json,sys; print(next(i for i in json.load(sys.stdin)["items"] if i["id"]=="jbi2")["proposed"])')" yes

# Appraisal: AB rates three studies on casp1-casp5; CD rates S01 too,
# differing on two of its five answers.
{
	echo "study,reviewer,question,answer,comment"
	for s in S01 S02 S03; do for q in 1 2 3 4 5; do echo "$s,AB,casp$q,yes,"; done; done
	for q in 1 2 3; do echo "S01,CD,casp$q,yes,"; done
	echo "S01,CD,casp4,no,"; echo "S01,CD,casp5,cant_tell,"
} > "$TMP/ratings.csv"
"$QES" appraise "$R" --from "$TMP/ratings.csv" >/dev/null
"$QES" finding add "$R" F1 "Parents hid their difficulties from services they feared." >/dev/null 2>&1 || true
sc > "$TMP/c.json"
check_eq "jbi5 every study appraised: yes" "$(item "$TMP/c.json" jbi5 proposed)" yes
check_contains "jbi5 evidence names the checklist and counts" "$(item "$TMP/c.json" jbi5 evidence)" "3 of 3 included studies appraised"
check_eq "jbi6 two raters on one study: yes" "$(item "$TMP/c.json" jbi6 proposed)" yes
check_contains "jbi6 evidence: the appraisal agreement (3 of 5)" "$(item "$TMP/c.json" jbi6 evidence)" "AB and CD rated 5 answers independently and agreed on 3 (60%"
check_eq "jbi10 a finding without CERQual: unclear" "$(item "$TMP/c.json" jbi10 proposed)" unclear
check_contains "jbi10 evidence counts findings and the advisory group" "$(item "$TMP/c.json" jbi10 evidence)" "1 review findings, 0 with a GRADE-CERQual assessment"

# Coding: one results section coded by two coders.
printf 'Parents said the visits felt like inspections.\nWorkers said there was no time.\n' > "$TMP/res.txt"
"$QES" code source add "$R" "$TMP/res.txt" --name ResA >/dev/null
"$QES" code add "$R" "Parents/Inspected" >/dev/null
"$QES" code find "$R" --as ann ResA "felt like inspections" "Parents/Inspected" >/dev/null
sc > "$TMP/c2.json"
check_eq "jbi7 one coder: unclear" "$(item "$TMP/c2.json" jbi7 proposed)" unclear
check_eq "jbi8 codes without themes: unclear" "$(item "$TMP/c2.json" jbi8 proposed)" unclear
"$QES" code find "$R" --as bob ResA "visits felt like" "Parents/Inspected" >/dev/null
sc > "$TMP/c3.json"
check_eq "jbi7 a source coded by two coders: yes" "$(item "$TMP/c3.json" jbi7 proposed)" yes
check_contains "jbi7 evidence counts coders and double-coded sources" "$(item "$TMP/c3.json" jbi7 evidence)" "2 codings by 2 coder(s); 0 sources in the double-coding sample, 1 sources coded by two or more coders"
check_eq "AMSTAR 2 excluded list without full-text exclusions: unclear" "$(sc --checklist amstar2 | python3 -c 'import json,sys; i=next(i for i in json.load(sys.stdin)["items"] if i["id"]=="amstar7"); print(i["proposed"], i["evidence"])')" "unclear No report excluded at full text."

# The team confirms and changes answers.
check "the team answers jbi9" "$QES" selfcheck "$R" --set jbi9 --answer no --comment "Not assessed in the protocol."
sc > "$TMP/d.json"
check_eq "the answer is stored" "$(item "$TMP/d.json" jbi9 answer)" no
check_eq "the proposal stays" "$(item "$TMP/d.json" jbi9 proposed)" unclear
check_eq "the comment is stored" "$(item "$TMP/d.json" jbi9 comment)" "Not assessed in the protocol."
check_eq "counts use the answer in force" "$(json_get counts.unclear < "$TMP/d.json"),$(json_get counts.no < "$TMP/d.json"),$(json_get counts.confirmed < "$TMP/d.json")" "5,1,1"
check_contains "the change is in the synthesis log" "$("$QES" cerqual log "$R" 2>/dev/null)" "selfcheck jbi-sr jbi9"
check_fails "an unknown answer is a usage error (2)" 2 "$QES" selfcheck "$R" --set jbi9 --answer maybe
check_fails "an unknown item is not found (4)" 4 "$QES" selfcheck "$R" --set jbi99 --answer yes
check_fails "an unknown checklist is not found (4)" 4 "$QES" selfcheck "$R" --checklist nope
check "--clear removes the answer" "$QES" selfcheck "$R" --set jbi9 --clear
check_eq "cleared" "$(sc | python3 -c 'import json,sys; print(next(i for i in json.load(sys.stdin)["items"] if i["id"]=="jbi9")["answer"])')" None

sc --checklist amstar2 > "$TMP/e.json"
check_eq "AMSTAR 2: 16 items" "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["items"]))' "$TMP/e.json")" 16
check_eq "AMSTAR 2 meta-analysis items: na" "$(item "$TMP/e.json" amstar11 proposed)" na
check_eq "AMSTAR 2 duplicate selection without screening: no" "$(item "$TMP/e.json" amstar5 proposed)" no
sc --checklist entreq-sr > "$TMP/f.json"
check_eq "ENTREQ-based inclusion criteria follow qes entreq (filled: yes)" "$(item "$TMP/f.json" entreq4 proposed)" yes
check_contains "ENTREQ-based evidence is entreq's" "$(item "$TMP/f.json" entreq4 evidence)" "ENTREQ item 4 (filled)"
for f in jbi-sr amstar2 entreq-sr; do
	check_eq "$f: the shipped data file names a licence" "$(python3 -c 'import json,sys; print(bool(json.load(open(sys.argv[1]))["licence"]))' "$ROOT/data/selfcheck/$f.json")" True
done
check_eq "the compiled-in checklists are the data files" "$("$QES" selfcheck --lists --json | python3 -c 'import json,sys,glob
d={l["id"]:l for l in json.load(sys.stdin)}
print(all(d[json.load(open(f))["id"]]==json.load(open(f)) for f in glob.glob(sys.argv[1]+"/*.json")))' "$ROOT/data/selfcheck")" True
check_eq "the review is never a record" "$("$QES" status "$R" --json | json_get records)" "$recs_before"
check_eq "nor a study" "$("$QES" study list "$R" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" "$studies_before"
"$QES" report "$R" -o "$TMP/report.html" >/dev/null
check_contains "the report has the self-appraisal section" "$(cat "$TMP/report.html")" '<section id="selfcheck">'

# --- The lay summary ---------------------------------------------------------
check "lay --help" "$QES" lay --help
tmpl=$("$QES" lay "$R" show)
check_contains "without a draft, show gives the template: the title" "$tmpl" "# Study fixture"
check_contains "the template counts the studies and names the sources" "$tmpl" "We searched Fixture, CINAHL for studies. We also looked in other ways (Citation searching). We found 3 studies"
check_contains "the template lists the framework's concept blocks" "$("$QES" criteria "$R" --concept "Setting=family homes" >/dev/null; "$QES" lay "$R" show)" "- Setting: family homes"
check_contains "the template lists the findings" "$tmpl" "- Parents hid their difficulties from services they feared."
check_eq "no version yet" "$("$QES" lay "$R" versions --json)" "[]"
# Readability against hand counts (Flesch 1948: 206.835 - 1.015 W/S - 84.6 Sy/W).
# "The cat sat on the mat." 6 words, 6 syllables, 1 sentence:
# 206.835 - 6.09 - 84.6 = 116.145.
check_eq "Flesch of a one-sentence example" "$(printf 'The cat sat on the mat.\n' | "$QES" lay "$R" readability --from - --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["words"], d["syllables"], d["sentences"], round(d["flesch"], 3))')" "6 6 1 116.145"
# "Parents need help. We should listen to them." Par-ents need help / we
# should lis-ten to them: 8 words, 10 syllables, 2 sentences:
# 206.835 - 1.015*4 - 84.6*1.25 = 97.025.
check_eq "Flesch of a two-sentence example" "$(printf 'Parents need help. We should listen to them.\n' | "$QES" lay "$R" readability --from - --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["words"], d["syllables"], d["sentences"], round(d["flesch"], 3), d["mean_sentence_length"])')" "8 10 2 97.025 4.0"
cat > "$TMP/v1.md" <<'MD'
# What we found

Parents told us that the **intervention** felt like being watched, and that services were rarely holistic.

- Workers need time to listen.
- Parents want help *before* a crisis.
MD
check "edit --from FILE saves version 1" "$QES" lay "$R" edit --from "$TMP/v1.md"
rd=$("$QES" lay "$R" readability --json)
check_eq "jargon flagged with a plain alternative" "$(echo "$rd" | python3 -c 'import json,sys; print(sorted((j["word"], j["plain"]) for j in json.load(sys.stdin)["jargon"]))')" "[('holistic', 'looking at the whole person'), ('intervention', 'support, service or treatment')]"
check_contains "long words flagged" "$(echo "$rd" | json_get long_words)" '"intervention"'
check_eq "markdown markers are not words; list items are sentences" "$(echo "$rd" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["words"], d["sentences"])')" "30 4"
sed 's/holistic/joined up/' "$TMP/v1.md" | "$QES" lay "$R" edit --from - >/dev/null
check_eq "each save is a new version" "$("$QES" lay "$R" versions --json | python3 -c 'import json,sys; print([v["version"] for v in json.load(sys.stdin)])')" "[1, 2]"
check_contains "show gives the latest" "$("$QES" lay "$R" show)" "joined up"
check_contains "an older version is kept" "$("$QES" lay "$R" show --version 1)" "holistic"
printf '#!/bin/sh\nprintf "\\nA line added in the editor.\\n" >> "$1"\n' > "$TMP/ed.sh"; chmod +x "$TMP/ed.sh"
check "edit opens \$EDITOR on the latest version" env EDITOR="$TMP/ed.sh" "$QES" lay "$R" edit
check_contains "the editor's text is version 3" "$("$QES" lay "$R" show --version 3)" "services were rarely joined up."
check_contains "... with the line added" "$("$QES" lay "$R" show --version 3)" "A line added in the editor."
check_contains "HTML escapes the text" "$(printf 'A <script>x</script> & **b**\n' | "$QES" lay "$R" edit --from - >/dev/null; "$QES" lay "$R" show --html)" "<p>A &lt;script&gt;x&lt;/script&gt; &amp; <strong>b</strong></p>"
check "share version 2" "$QES" lay "$R" share --version 2
check_eq "one version is shared" "$("$QES" lay "$R" versions --json | python3 -c 'import json,sys; print([v["version"] for v in json.load(sys.stdin) if v["shared"]])')" "[2]"
check "export HTML" "$QES" lay "$R" export -o "$TMP/lay.html" --version 2
check_contains "the HTML page has the summary" "$(cat "$TMP/lay.html")" "<h1>What we found</h1>"
check "export DOCX" "$QES" lay "$R" export -o "$TMP/lay.docx" --version 2
if command -v unzip >/dev/null && command -v xmllint >/dev/null; then
	check "the .docx is a zip with its parts" sh -c "unzip -l '$TMP/lay.docx' | grep -q 'word/document.xml' && unzip -l '$TMP/lay.docx' | grep -q 'Content_Types'"
	check "document.xml is well-formed" sh -c "unzip -p '$TMP/lay.docx' word/document.xml | xmllint --noout -"
	check_contains "document.xml has the text" "$(unzip -p "$TMP/lay.docx" word/document.xml)" "Workers need time to listen."
else
	skip "unzip or xmllint is not installed: .docx not inspected"
fi
check "export PDF" "$QES" lay "$R" export -o "$TMP/lay.pdf" --version 2
if command -v pdftotext >/dev/null; then
	pdf=$(pdftotext "$TMP/lay.pdf" - | tr '\n' ' ' | tr -s ' ')
	check_contains "the PDF has the heading" "$pdf" "What we found"
	check_contains "the PDF has the wrapped paragraph" "$pdf" "felt like being watched, and that services were rarely joined up."
else
	skip "pdftotext (poppler-utils) is not installed: PDF not inspected"
fi
"$QES" advisory advisor "$R" "Rose" --by ann >/dev/null
check "the CLI records a comment on version 1 (advisory comment --on lay:1)" "$QES" advisory comment "$R" "Too many long words." --advisor Rose --on lay:1 --by ann
check_contains "... in the advisory log" "$("$QES" advisory log "$R" --json)" '"on": "lay summary v1"'
check_fails "a comment on a version that does not exist is not found (4)" 4 "$QES" advisory comment "$R" "X" --advisor Rose --on lay:42 --by ann
check_eq "the versions list counts it" "$("$QES" lay "$R" versions --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["comments"])')" 1
check_fails "an unknown export type is a usage error (2)" 2 "$QES" lay "$R" export -o "$TMP/lay.txt"
check_fails "a missing version is not found (4)" 4 "$QES" lay "$R" show --version 99

# --- The web app: owners and reviewers see and answer; advisors may not. ---
if ! command -v curl >/dev/null; then skip "curl is not installed: no web checks"; exit 0; fi
check "owner ann" sh -c "echo 'ann-password' | '$QES' user add '$R' ann --role owner --initials AN"
check "advisor val" sh -c "echo 'val-password' | '$QES' user add '$R' val --role advisor"
"$QES" advisory advisor "$R" "Val M." --user val --by ann >/dev/null
serve_start "$R" || exit 1
check_eq "owner logs in" "$(web_login ann ann-password "$TMP/ja")" 200
check_eq "advisor logs in" "$(web_login val val-password "$TMP/jv")" 200
check_eq "GET /api/selfcheck" "$(web_call "$TMP/ja" GET /api/selfcheck)" 200
check_eq "the web shows the CLI's items" "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d["items"]), d["checklist"]["id"], len(d["checklists"]))' "$TMP/last.json")" "11 jbi-sr 3"
check_eq "POST an answer" "$(web_call "$TMP/ja" POST /api/selfcheck '{"checklist":"jbi-sr","item":"jbi11","answer":"yes","comment":"Section 5 sets out three studies."}')" 200
check_eq "the answer is the CLI's too" "$(sc | python3 -c 'import json,sys; i=next(i for i in json.load(sys.stdin)["items"] if i["id"]=="jbi11"); print(i["answer"], i["answered_by"])')" "yes ann"
check_eq "a bad answer is 400" "$(web_call "$TMP/ja" POST /api/selfcheck '{"item":"jbi11","answer":"perhaps"}')" 400
check_eq "advisors may not see it (403)" "$(web_call "$TMP/jv" GET /api/selfcheck)" 403
check_eq "nor answer (403)" "$(web_call "$TMP/jv" POST /api/selfcheck '{"item":"jbi11","answer":"no"}')" 403
check_eq "the page is served" "$(curl -s -o /dev/null -w '%{http_code}' "$U/selfcheck.html")" 200

# --- The lay summary with the advisors, in the web app ----------------------
check_eq "the team reads the draft: 200" "$(web_call "$TMP/ja" GET /api/lay)" 200
check_eq "the team sees the latest version and what is shared" "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["version"], d["shared"], d["readability"]["words"] > 0)' "$TMP/last.json")" "4 2 True"
check_eq "advisors may not read the draft (403)" "$(web_call "$TMP/jv" GET /api/lay)" 403
check_eq "the advisor reads the shared version: 200" "$(web_call "$TMP/jv" GET /api/advisor/lay)" 200
check_eq "... version 2 only" "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["version"], "joined up" in d["text"], "A line added" in d["text"], "script" in d["text"])' "$TMP/last.json")" "2 True False False"
check_eq "the advisor comments" "$(web_call "$TMP/jv" POST /api/advisor/lay '{"text":"Say who the workers are: social workers?"}')" 200
cid=$(json_get comment < "$TMP/last.json")
check_contains "the comment is in the advisory log, on version 2" "$("$QES" advisory log "$R" --json)" '"on": "lay summary v2"'
check "the team responds (the same record as for themes)" "$QES" advisory respond "$R" "$cid" adopted --change "Named social workers and family-support staff." --by ann
web_call "$TMP/jv" GET /api/advisor/lay >/dev/null
check_eq "the advisor sees the response" "$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["comments"]; print(len(c), c[0]["status"], c[0]["change"])' "$TMP/last.json")" "1 adopted Named social workers and family-support staff."
web_call "$TMP/ja" POST /api/lay '{"text":"# New draft\n\nNot for advisors yet."}' >/dev/null
check_eq "a new draft saved on the web is version 5" "$(json_get version < "$TMP/last.json")" 5
web_call "$TMP/jv" GET /api/advisor/lay >/dev/null
check_eq "advisors still see only the shared version" "$(json_get version < "$TMP/last.json")" 2
check_eq "the team stops sharing" "$(web_call "$TMP/ja" POST /api/lay '{"share":-1}')" 200
web_call "$TMP/jv" GET /api/advisor/lay >/dev/null
check_eq "nothing shared: advisors see no text" "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["version"], "text" in d)' "$TMP/last.json")" "None False"
check_eq "no comment without a shared version (404)" "$(web_call "$TMP/jv" POST /api/advisor/lay '{"text":"Hello"}')" 404
check_eq "readability as the team writes: 200" "$(web_call "$TMP/ja" POST /api/lay/readability '{"text":"The cat sat on the mat."}')" 200
check_eq "... the CLI's numbers" "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["words"], round(d["flesch"], 3))' "$TMP/last.json")" "6 116.145"
check_eq "the drafts are still 5 versions (nothing saved)" "$("$QES" lay "$R" versions --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" 5
for p in lay.html lay.js lay-advisor.html lay-advisor.js selfcheck.js; do
	check_eq "the page /$p is served" "$(curl -s -o /dev/null -w '%{http_code}' "$U/$p")" 200
done

# --- In Chromium: the pages themselves. -------------------------------------
if [ ! -x /usr/bin/chromium ] || [ ! -d "$ROOT/tests/e2e/node_modules/playwright-core" ]; then
	skip "no chromium or playwright-core (scripts/install-deps installs them)"; exit 0
fi
res=$(cd "$ROOT/tests/e2e" && timeout 180 node web-lay.mjs "$U/" ann ann-password val val-password 2>&1)
node_tap chromium "$res"
check_eq "the browser's answer is stored" "$(sc | python3 -c 'import json,sys; i=next(i for i in json.load(sys.stdin)["items"] if i["id"]=="jbi8"); print(i["answer"], i["comment"])')" "na Set in the browser."
check_contains "the browser's comment is in the advisory log, on version 6" "$("$QES" advisory log "$R" --json)" '"on": "lay summary v6"'
