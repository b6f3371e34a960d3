#!/usr/bin/env bash
# t83: thematic synthesis as it is really done. Two coders code the same
# passages under their own names (an inductive second coder on a blinded
# sample): unitising agreement, the proposed concordance and agreement per
# confirmed pair against hand counts; the inductive coder sees neither the
# first coder's spans nor code names through the library (CLI --as) or the
# web API until both are done; agreement is provisional until then;
# passages (overlapping spans of one source under one theme) are counted
# once in the theme list, trace, table, matrices and ENTREQ. The texts are
# written for this test.
. "$(dirname "$0")/lib.sh"
R="$TMP/r.qes"
"$QES" init "$R" >/dev/null
py() { python3 -c "$@"; }

# Two results sections of exactly 100 code points each (no line end), so
# the hand counts below are over 200 characters.
py 'import sys
a = "Mothers spoke of a fear that never left them, of visits that felt like tests, and of help that came."
b = "Fathers said they were rarely asked. Workers said time was short and forms came first, always first."
assert len(a) == 100 and len(b) == 100, (len(a), len(b))
open(sys.argv[1], "w").write(a); open(sys.argv[2], "w").write(b)' "$TMP/p1.txt" "$TMP/p2.txt"
check "paper 1" "$QES" code source add "$R" "$TMP/p1.txt" --name Paper1
check "paper 2" "$QES" code source add "$R" "$TMP/p2.txt" --name Paper2
for c in Ann/Fear Ann/Judged Ben/Worry Ben/Scrutiny; do
	"$QES" code add "$R" "$c" >/dev/null || not_ok "code add $c"
done
check "an inductive sample of both sources" "$QES" code sample "$R" --fraction 1 --seed 3 --mode inductive
check_fails "a sample mode that does not exist is exit 2" 2 "$QES" code sample "$R" --mode sideways

span() { "$QES" code span "$R" --as "$@" >/dev/null || not_ok "code span $*"; }
# ann: Fear [10,30) Paper1, [0,20) Paper2 (quotes); Judged [50,70) Paper1, [40,60) Paper2.
span ann Paper1 10 30 Ann/Fear --quote
span ann Paper1 50 70 Ann/Judged
span ann Paper2 0 20 Ann/Fear --quote
span ann Paper2 40 60 Ann/Judged
# ben, with his own names: Worry [15,35) Paper1, [0,20) Paper2 (quotes);
# Scrutiny [50,70) and [80,90) Paper1.
span ben Paper1 15 35 Ben/Worry --quote
span ben Paper1 50 70 Ben/Scrutiny
span ben Paper1 80 90 Ben/Scrutiny
span ben Paper2 0 20 Ben/Worry --quote

# --- Inductive blinding, through the library (CLI --as) --------------------
got=$("$QES" code codes "$R" --as ben --json | py 'import json,sys; print(" ".join(c["path"] for c in json.load(sys.stdin)))')
check_eq "inductive: ben's code tree has only his own codes" "$got" "Ben Ben/Scrutiny Ben/Worry"
got=$("$QES" code codes "$R" --as ann --json | py 'import json,sys; print(" ".join(c["path"] for c in json.load(sys.stdin)))')
check_eq "inductive: and ann's only hers" "$got" "Ann Ann/Fear Ann/Judged"
got=$("$QES" code list "$R" --as ben --json | py 'import json,sys; print(sorted({c["coder"] for c in json.load(sys.stdin)}))')
check_eq "inductive: ben lists only his spans" "$got" "['ben']"
out=$("$QES" code list "$R" --as ben)
check "inductive: none of ann's code names in ben's listing" bash -c "! grep -q 'Ann/' <<<'$out'"
"$QES" code note "$R" code Ann/Fear "fear of removal, of being watched" --as ann >/dev/null
got=$("$QES" code codes "$R" --json | py 'import json,sys; print(len(json.load(sys.stdin)))')
check_eq "the lead (no --as) sees every code and folder" "$got" 6

"$QES" theme add "$R" Early --level descriptive >/dev/null
"$QES" theme codes "$R" Early Ann/Fear Ben/Worry >/dev/null
out=$("$QES" theme list "$R" --as ben --json; "$QES" theme trace "$R" Early --as ben --json)
check "inductive: a theme's codes leave out ann's for ben (list and trace)" bash -c "! grep -q 'Ann/' <<<'$out'"
check_contains "... but show his own" "$out" "Ben/Worry"
"$QES" theme remove "$R" Early >/dev/null

# --- ... and through the web API -------------------------------------------
if command -v curl >/dev/null; then
	echo 'ben-password' | "$QES" user add "$R" ben --role reviewer >/dev/null
	if serve_start "$R"; then
		check_eq "ben logs in" "$(web_login ben ben-password "$TMP/jb")" 200
		tree=$(curl -s -b "$TMP/jb" "$U/api/code/codes")
		check_eq "web: ben's code tree has none of ann's names" \
			"$(echo "$tree" | py 'import json,sys; print(" ".join(c["path"] for c in json.load(sys.stdin)))')" \
			"Ben Ben/Scrutiny Ben/Worry"
		src=$(curl -s -b "$TMP/jb" "$U/api/code/source?id=1")
		check "web: ben's view of Paper1 has no Ann/ code and none of ann's spans or notes" \
			bash -c "! grep -q 'Ann/\|\"ann\"\|fear of removal' <<<'$src'"
		check_eq "web: ben sees his three spans on Paper1, nothing of ann's" \
			"$(echo "$src" | py 'import json,sys; c=json.load(sys.stdin)["codings"]; print(sorted({x["coder"] for x in c}), len(c))')" "['ben'] 3"
		th=$(curl -s -b "$TMP/jb" "$U/api/themes")
		check "web: /api/themes shows ben none of ann's codes" bash -c "! grep -q 'Ann/' <<<'$th'"
		kill "$SERVE_PID" 2>/dev/null; wait "$SERVE_PID" 2>/dev/null
	fi
else
	skip "curl is not installed: the web half of the blinding check"
fi

# --- Agreement: provisional until both are done ----------------------------
ag=$("$QES" code agreement "$R" --a ann --b ben --json)
check_eq "agreement before anyone is done: provisional, 2 sources, inductive" \
	"$(echo "$ag" | py 'import json,sys; a=json.load(sys.stdin); print(a["provisional"], a["provisional_sources"], a["mode"], {r["provisional"] for r in a["rows"]})')" \
	"True 2 inductive {True}"
for s in Paper1 Paper2; do "$QES" code done "$R" --as ann "$s" >/dev/null; done
"$QES" code done "$R" --as ben Paper1 >/dev/null
got=$("$QES" code codes "$R" --as ben --json | py 'import json,sys; print(" ".join(c["path"] for c in json.load(sys.stdin)))')
check_eq "one sampled source still open: ann's names stay hidden" "$got" "Ben Ben/Scrutiny Ben/Worry"
check_eq "still provisional for Paper2" \
	"$("$QES" code agreement "$R" --a ann --b ben --json | py 'import json,sys; a=json.load(sys.stdin); print(a["provisional"], a["provisional_sources"])')" "True 1"
"$QES" code done "$R" --as ben Paper2 >/dev/null
got=$("$QES" code codes "$R" --as ben --json | py 'import json,sys; print(" ".join(c["path"] for c in json.load(sys.stdin)))')
check_eq "both done everywhere: ben sees every code" "$got" "Ann Ann/Fear Ann/Judged Ben Ben/Scrutiny Ben/Worry"
check_eq "and ann's spans" "$("$QES" code list "$R" --as ben --json | py 'import json,sys; print(len(json.load(sys.stdin)))')" 8
out=$("$QES" code agreement "$R" --a ann --b ben)
check "no longer provisional" bash -c "! grep -q provisional <<<'$out'"

# --- Unitising agreement by hand -------------------------------------------
# Paper1: ann any [10,30)+[50,70) = 40; ben any [15,35)+[50,70)+[80,90) = 50;
#   both [15,30)+[50,70) = 35, ann only 5, ben only 15, neither 45.
# Paper2: ann [0,20)+[40,60) = 40; ben [0,20) = 20; both 20, ann only 20,
#   ben only 0, neither 60.
# Pooled: both 55, a_only 25, b_only 15, neither 105 of 200: 80% agreement;
#   pe = .4 * .35 + .6 * .65 = .53, kappa = (.8 - .53) / .47 = 0.5745.
# Passages (any code): Paper1 {A[10,30) B[15,35)} both, {A[50,70) B[50,70)}
#   both, {B[80,90)} ben only; Paper2 {A[0,20) B[0,20)} both, {A[40,60)} ann
#   only: 5 passages, 3 both, 1 each only, 60%.
ag=$("$QES" code agreement "$R" --a ann --b ben --json)
check_eq "unitising: characters, agreement, kappa, passages against the hand count" \
	"$(echo "$ag" | py 'import json,sys; u=json.load(sys.stdin)["unitising"]; p=u["passages"]
print(u["chars"], u["both"], u["a_only"], u["b_only"], u["neither"], "%.1f" % u["agreement"], "%.4f" % u["kappa"], p["passages"], p["both"], p["a_only"], p["b_only"], "%.1f" % p["agreement"])')" \
	"200 55 25 15 105 80.0 0.5745 5 3 1 1 60.0"
# Proposed concordance: Ann/Fear shares 15 (Paper1) + 20 (Paper2) = 35 of
# its 40 characters with Ben/Worry; Ann/Judged 20 of 40 with Ben/Scrutiny.
check_eq "proposed concordance against the hand count" \
	"$(echo "$ag" | py 'import json,sys
for p in json.load(sys.stdin)["proposed"]: print(p["a_code"], p["b_code"], p["overlap"], p["a_chars"], p["b_chars"], "%.1f" % p["share_of_a"], p["confirmed"])')" \
	"Ann/Fear Ben/Worry 35 40 40 87.5 False
Ann/Judged Ben/Scrutiny 20 40 30 50.0 False"
check_eq "nothing mapped before the team confirms" "$(echo "$ag" | py 'import json,sys; print(json.load(sys.stdin)["mapped"])')" "[]"
check "the team confirms Fear = Worry" "$QES" code map "$R" --a ann --b ben Ann/Fear Ben/Worry --as lead
check "and Judged = Scrutiny" "$QES" code map "$R" --a ann --b ben Ann/Judged Ben/Scrutiny --as lead
check_fails "a code that does not exist is exit 4" 4 "$QES" code map "$R" --a ann --b ben Ann/Nope Ben/Worry
# Fear = Worry: Paper1 both 15, ann only 5, ben only 5, neither 75; Paper2
#   both 20, neither 80: 35/5/5/155 of 200, 95%; pe = .2*.2 + .8*.8 = .68,
#   kappa = .27 / .32 = 0.844; passages 2, both 2.
# Judged = Scrutiny: Paper1 both 20, ben only 10, neither 70; Paper2 ann only
#   20, neither 80: 20/20/10/150, 85%; pe = .2*.15 + .8*.85 = .71, kappa =
#   .14 / .29 = 0.483; passages {A[50,70) B[50,70)} {B[80,90)} {A[40,60)}: 3, both 1.
ag=$("$QES" code agreement "$R" --a ann --b ben --json)
check_eq "mapped pairs against the hand count" \
	"$(echo "$ag" | py 'import json,sys
for m in json.load(sys.stdin)["mapped"]: p=m["passages"]; print(m["a_code"], m["b_code"], m["chars"], m["both"], m["a_only"], m["b_only"], m["neither"], "%.1f" % m["agreement"], "%.3f" % m["kappa"], p["passages"], p["both"], p["a_only"], p["b_only"])')" \
	"Ann/Fear Ben/Worry 200 35 5 5 155 95.0 0.844 2 2 0 0
Ann/Judged Ben/Scrutiny 200 20 20 10 150 85.0 0.483 3 1 1 1"
check_eq "the same pairs with ben as a (the concordance reads both ways)" \
	"$("$QES" code agreement "$R" --a ben --b ann --json | py 'import json,sys; print([(m["a_code"], m["b_code"], m["both"]) for m in json.load(sys.stdin)["mapped"]])')" \
	"[('Ben/Worry', 'Ann/Fear', 35), ('Ben/Scrutiny', 'Ann/Judged', 20)]"
out=$("$QES" code concordance "$R" --a ann --b ben)
check_contains "concordance: proposals marked confirmed" "$out" "Ann/Fear -> Ben/Worry	35 of 40 chars (88%)	confirmed"
out=$("$QES" code compare "$R" --a ann --b ben)
check_contains "compare shows the mapping" "$out" "mapped: Ann/Fear = Ben/Worry"
check "withdraw a pair" "$QES" code map "$R" --a ann --b ben Ann/Judged Ben/Scrutiny --remove
check_eq "one pair left" "$("$QES" code agreement "$R" --a ann --b ben --json | py 'import json,sys; print(len(json.load(sys.stdin)["mapped"]))')" 1

# --- Passages, not coders' spans -------------------------------------------
# Theme "Fear" holds Ann/Fear and Ben/Worry: 4 spans, but the two coders
# marked overlapping words: Paper1 {A[10,30) B[15,35)}, Paper2 {A[0,20)
# B[0,20)} = 2 passages, both quotes.
"$QES" theme add "$R" Fear --level descriptive >/dev/null
"$QES" theme codes "$R" Fear Ann/Fear Ben/Worry >/dev/null
got=$("$QES" theme list "$R" --json | py 'import json,sys; c=json.load(sys.stdin)[0]["counts"]; print(c["passages"], c["spans"])')
check_eq "theme list: 2 passages (4 spans)" "$got" "2 4"
tr=$("$QES" theme trace "$R" Fear --json)
check_eq "trace: 2 passages, each coded by both, covering the union of their spans" \
	"$(echo "$tr" | py 'import json,sys; t=json.load(sys.stdin)
print(len(t["spans"]), [(p["source"], p["start"], p["end"], p["coders"]) for p in t["passages"]])')" \
	"4 [('Paper1', 10, 35, {'ann': 1, 'ben': 1}), ('Paper2', 0, 20, {'ann': 1, 'ben': 1})]"
check_eq "themes table: one quote per passage" \
	"$("$QES" theme table "$R" --json | py 'import json,sys; print([(q["source"], q["coder"]) for q in json.load(sys.stdin)["rows"][0]["quotes"]])')" \
	"[('Paper1', 'ann; ben'), ('Paper2', 'ann; ben')]"
check_eq "matrix total: 2 passages, 4 spans" \
	"$("$QES" query matrix "$R" --json | py 'import json,sys; t=json.load(sys.stdin)["rows"][0]["total"]; print(t["passages"], t["spans"])')" "2 4"
check_eq "framework cell (no study): 2 passages" \
	"$("$QES" query framework "$R" --json | py 'import json,sys; c=json.load(sys.stdin)["rows"][0]["cells"]["Fear"]; print(c["passages"], c["spans"])')" "2 4"
ev=$("$QES" entreq "$R" --json | py 'import json,sys; print(next(i["evidence"] for i in json.load(sys.stdin)["items"] if i["item"] == 20))')
check_contains "ENTREQ: 2 participant quotations (4 spans)" "$ev" "2 participant quotations and 0 author interpretations marked (distinct passages, 4 spans by all coders)"

# --- Quotes belong to participants -----------------------------------------
# A transcript whose speaker turns become cases, and a paper whose results
# attribute each quote to a participant; both the parent P3 and the worker
# W1 are linked to the whole paper, yet each quote is one person's.
printf '%s\n' "Interviewer: What happened after the visit?" \
	"Mother (M1): I kept the curtains shut for a week." \
	"Social worker (SW2): We had to write it up the same day." >"$TMP/fg.txt"
check "a transcript" "$QES" code source add "$R" "$TMP/fg.txt" --name FG --kind transcript
check "speaker turns become cases" "$QES" code speakers "$R" FG --attr study=FG
check "M1 is a parent" "$QES" code case set "$R" M1 --attr perspective=parent
check "SW2 is a practitioner" "$QES" code case set "$R" SW2 --attr perspective=practitioner --attr "role=social worker"
printf '%s\n' "Results" \
	"Parents described hiding. \"I never told anyone how bad it was\" (Mother, P3). Workers saw it too:" \
	"\"You can tell when a family has stopped letting you in\" (Family support worker, W1)." >"$TMP/paper3.txt"
check "a paper's results" "$QES" code source add "$R" "$TMP/paper3.txt" --name Paper3
"$QES" code case add "$R" P3 --attr perspective=parent --attr role=mother >/dev/null
"$QES" code case add "$R" W1 --attr perspective=practitioner >/dev/null
"$QES" code case link "$R" P3 Paper3 >/dev/null
"$QES" code case link "$R" W1 Paper3 >/dev/null
check "W1's role, set afterwards" "$QES" code case set "$R" W1 --attr "role=family support worker"
check_fails "an attribute without '=' is exit 2" 2 "$QES" code case set "$R" W1 --attr role
check_fails "an unknown case is exit 4" 4 "$QES" code case set "$R" Nobody --attr role=x
"$QES" code add "$R" "Shared/Hiding" >/dev/null
q() { "$QES" code find "$R" --as ann "$@" Shared/Hiding --quote >/dev/null || not_ok "code find $*"; }
q FG "I kept the curtains shut for a week."
q FG "We had to write it up the same day."
q Paper3 "I never told anyone how bad it was"
q Paper3 "You can tell when a family has stopped letting you in"
"$QES" theme add "$R" Hiding --level descriptive >/dev/null
"$QES" theme codes "$R" Hiding Shared/Hiding >/dev/null
got=$("$QES" theme trace "$R" Hiding --json | py 'import json,sys
for s in json.load(sys.stdin)["spans"]: print(s["source"], s["cases"], s["perspectives"])')
check_eq "each quote is its own participant's: speaker turn or the paper's attribution" "$got" \
	"FG ['M1'] ['parent']
FG ['SW2'] ['practitioner']
Paper3 ['P3'] ['parent']
Paper3 ['W1'] ['practitioner']"
got=$("$QES" theme table "$R" --quotes 0 --json | py 'import json,sys
r = next(r for r in json.load(sys.stdin)["rows"] if r["theme"] == "Hiding")
for x in r["quotes"]: print(x["source"], "|", x["perspective"], "|", x["role"])')
check_eq "the themes table attributes each quote to one person" "$got" \
	"FG | parent | mother
FG | practitioner | social worker
Paper3 | parent | mother
Paper3 | practitioner | family support worker"
check "assign a coding to another case by hand" "$QES" code case assign "$R" \
	"$("$QES" code list "$R" --source Paper3 --json | json_get 0.id)" W1
check_eq "and clear it: the whole-source cases again" \
	"$("$QES" code case assign "$R" "$("$QES" code list "$R" --source Paper3 --json | json_get 0.id)" "" && "$QES" theme trace "$R" Hiding --json | py 'import json,sys; print(json.load(sys.stdin)["spans"][2]["cases"])')" "['P3', 'W1']"
out=$("$QES" code source show "$R" FG --lines)
check_eq "source show --lines: numbered lines with case bands" "$out" \
"    1 | Interviewer: What happened after the visit?
      [M1 (parent; mother)]
    2 | Mother (M1): I kept the curtains shut for a week.
      [SW2 (practitioner; social worker)]
    3 | Social worker (SW2): We had to write it up the same day."
out=$("$QES" code source show "$R" Paper3 --lines)
check_contains "source show: cases of the whole source" "$out" "whole source: P3 (parent; mother), W1 (practitioner; family support worker)"

# --- First- and second-order constructs -------------------------------------
# The authors' sentence before the quote is their interpretation, not a
# parent's words: the table keeps it apart, even when it is illustrative.
"$QES" code find "$R" --as ann Paper3 "Parents described hiding." Shared/Hiding --interpretation --illustrative >/dev/null
got=$("$QES" theme table "$R" --quotes 0 --json | py 'import json,sys
r = next(r for r in json.load(sys.stdin)["rows"] if r["theme"] == "Hiding")
print(len(r["quotes"]), [q["text"] for q in r["interpretations"]], any("described" in q["text"] for q in r["quotes"]))')
check_eq "themes table: participants' quotes apart from authors' interpretations" "$got" \
	"4 ['Parents described hiding.'] False"
csv=$("$QES" theme table "$R" --quotes 0 --csv | py 'import csv,sys
for r in csv.reader(sys.stdin):
    if r[0] == "Hiding" and "described" in r[2]: print(r[8])')
check_eq "CSV: the construct column says so" "$csv" "author interpretation"
html=$("$QES" theme table "$R" --html)
check_contains "HTML: a column of authors' interpretations" "$html" "<th>Authors’ interpretations</th>"

# --- Appraisal that weighs, by a stated rule; sensitivity of themes --------
. "$(dirname "$0")/studies-fixture.sh"
R2="$TMP/r2.qes"
make_review "$R2"
"$QES" study add "$R2" S01 S02 S03 S04 >/dev/null
CL=$("$QES" checklist list "$R2" --json 2>/dev/null | py 'import json,sys; print(json.load(sys.stdin)[0]["id"])' 2>/dev/null)
[ -n "$CL" ] || { "$QES" appraise table "$R2" >/dev/null 2>&1; CL=$("$QES" checklist list "$R2" --json | py 'import json,sys; print(json.load(sys.stdin)[0]["id"])'); }
check "the review's own question" "$QES" checklist add-question "$R2" "$CL" rq1 "Were people with lived experience involved?"
# S01: casp2 and casp3 'no'; S02: casp5 'no'; S03: only the review's own
# question 'no'; S04: all 'yes'.
py 'import sys
no = {"S01": {"casp2", "casp3"}, "S02": {"casp5"}, "S03": {"rq1"}, "S04": set()}
with open(sys.argv[1], "w") as f:
    f.write("study,reviewer,question,answer,comment\n")
    for s, n in no.items():
        for q in ["casp%d" % i for i in range(1, 10)] + ["rq1"]:
            f.write("%s,consensus,%s,%s,\n" % (s, q, "no" if q in n else "yes"))' "$TMP/ratings.csv"
check "ratings" "$QES" appraise "$R2" --from "$TMP/ratings.csv"
got=$("$QES" appraise table "$R2" --json | py 'import json,sys; t=json.load(sys.stdin)
print(t["rule"]["default"], [(s["study"], s["limitations"], s["no"]) for s in t["studies"] if s["limitations"]])')
check_eq "default rule: any 'no' is serious, even on the review's own question" "$got" \
	"True [('S01', 'serious', 2), ('S02', 'serious', 1), ('S03', 'serious', 1), ('S04', 'none', 0)]"
check "a rule: serious from two 'no' among CASP 2-9, moderate from one" \
	"$QES" appraise rule "$R2" --questions casp2-casp9 --serious 2 --moderate 1
check_fails "a question that is not in the checklist is exit 2" 2 "$QES" appraise rule "$R2" --questions casp2-casp99 --serious 2
check_fails "thresholds must fall from serious to minor" 2 "$QES" appraise rule "$R2" --questions all --serious 1 --moderate 2
got=$("$QES" appraise table "$R2" --json | py 'import json,sys; t=json.load(sys.stdin)
print(t["rule"]["questions"], [(s["study"], s["limitations"], s["no"]) for s in t["studies"] if s["limitations"]])')
check_eq "by the rule: S01 serious, S02 moderate, S03 and S04 none" "$got" \
	"['casp2', 'casp3', 'casp4', 'casp5', 'casp6', 'casp7', 'casp8', 'casp9'] [('S01', 'serious', 2), ('S02', 'moderate', 1), ('S03', 'none', 0), ('S04', 'none', 0)]"
out=$("$QES" appraise table "$R2")
check_contains "the rule is printed with the table" "$out" "rule: serious concerns when 2 or more of casp2, casp3, casp4, casp5, casp6, casp7, casp8, casp9 are 'no'; moderate concerns when 1 or more of"
check_contains "the HTML table carries it too" "$("$QES" appraise table "$R2" --html)" "Limitations by the review's rule: serious concerns when 2 or more"

# Coding: S01 two passages, S02, S03 and S04 one each (ben codes S04's
# passage too, overlapping ann's: still one passage). Theme and finding rest
# on 4 studies and 5 passages.
i=0
for s in S01 S02 S03 S04; do
	printf 'Results\nParents in %s spoke of fear. "I hid it from everyone." Later they spoke of fear again: "I still do."\n' "$s" >"$TMP/$s.txt"
	"$QES" code source add "$R2" "$TMP/$s.txt" --name "src$s" --study "$s" >/dev/null || not_ok "source $s"
done
"$QES" code add "$R2" C/Fear >/dev/null
for s in S01 S02 S03 S04; do
	"$QES" code find "$R2" --as ann "src$s" "I hid it from everyone." C/Fear --quote >/dev/null || not_ok "code $s"
done
"$QES" code find "$R2" --as ann srcS01 "I still do." C/Fear --quote >/dev/null
"$QES" code find "$R2" --as ben srcS04 "hid it from everyone" C/Fear --quote >/dev/null
"$QES" theme add "$R2" Fear --level descriptive >/dev/null
"$QES" theme codes "$R2" Fear C/Fear >/dev/null
export USER=tester
"$QES" finding add "$R2" F1 "Parents hid their fear." --theme Fear >/dev/null
sens() { "$QES" theme sensitivity "$R2" "$@" --json | py 'import json,sys; v=json.load(sys.stdin)
for r in v["themes"] + v["findings"]: print(r.get("theme") or r.get("finding"), r["studies"], r["passages"], r["studies_without_weak"], r["passages_without_weak"], r["flagged"])'; }
# By the rule, weak = S01 (serious): 3 of 4 studies, 3 of 5 passages left.
check_eq "sensitivity by the rule against the hand count" "$(sens)" "Fear 4 5 3 3 False
F1 4 5 3 3 False"
# Setting aside moderate concerns too (S01, S02): 2 studies, 2 of 5 passages: flagged.
check_eq "--rule moderate: most passages lost, flagged" "$(sens --rule moderate)" "Fear 4 5 2 2 True
F1 4 5 2 2 True"
check_fails "--rule must be a level" 2 "$QES" theme sensitivity "$R2" --rule weakest
lim=$("$QES" cerqual assess "$R2" F1 limitations minor >/dev/null && "$QES" finding show "$R2" F1 --json | py 'import json,sys; print(json.load(sys.stdin)["cerqual"]["limitations"]["explanation"])')
check_contains "CERQual limitations: the rule and what is left without the weak studies" "$lim" \
	"1 with serious concerns by the review's rule (serious concerns when 2 or more of casp2"
check_contains "... and the sensitivity" "$lim" "Without the studies with serious concerns the finding rests on 3 of 4 studies and 3 of 5 passages."
"$QES" code case add "$R2" S01parents --attr perspective=parent >/dev/null
"$QES" code case link "$R2" S01parents srcS01 >/dev/null
"$QES" report "$R2" -o "$TMP/r2.html" >/dev/null 2>&1
check_contains "the report has the sensitivity table" "$(cat "$TMP/r2.html")" "<h3>Sensitivity to studies with serious concerns</h3>"
check "back to the default rule" "$QES" appraise rule "$R2" --default
check_eq "default: S01 S02 S03 weak, 1 study and 1 passage left, flagged" "$(sens 2>/dev/null | head -1)" "Fear 4 5 1 1 True"

# --- Advisors on analytical themes and subthemes ----------------------------
"$QES" theme add "$R2" "Living with fear" --level analytical >/dev/null
"$QES" theme add "$R2" "Keeping it hidden" --parent "Living with fear" >/dev/null
"$QES" theme group "$R2" "Living with fear/Keeping it hidden" Fear >/dev/null
check "an advisor" "$QES" advisory advisor "$R2" "Sam (parent advisor)" --by lead
check "consent recorded (date, how)" "$QES" advisory consent "$R2" "Sam (parent advisor)" --date 2026-01-10 --how "in writing" --by lead
check "debrief recorded" "$QES" advisory debrief "$R2" "Sam (parent advisor)" --date 2026-06-02 --how "by phone" --by lead
check_fails "a debrief needs a real date (exit 2)" 2 "$QES" advisory debrief "$R2" "Sam (parent advisor)" --date 2026-13-01 --how x
check_fails "... and says how (exit 2)" 2 "$QES" advisory consent "$R2" "Sam (parent advisor)" --date 2026-01-10
check_fails "an unknown advisor is exit 4" 4 "$QES" advisory consent "$R2" Nobody --date 2026-01-10 --how x
check "a comment on the analytical theme" "$QES" advisory comment "$R2" "Hiding is about shame, not only fear." --advisor "Sam (parent advisor)" --on "theme:Living with fear" --by lead
check "a comment on the subtheme" "$QES" advisory comment "$R2" "Say who they hide it from." --advisor "Sam (parent advisor)" --on "theme:Living with fear/Keeping it hidden" --by lead
check "the team changes the subtheme" "$QES" advisory respond "$R2" 2 adopted --change "Renamed and split by audience" --affects "theme:Living with fear/Keeping it hidden" --by lead
got=$("$QES" theme trace "$R2" "Living with fear/Keeping it hidden" --json | py 'import json,sys
for a in json.load(sys.stdin)["advisors"]: print(a["advisor"], "|", a["text"], "|", a["status"], "|", a["change"], "|", a["on_theme"])')
check_eq "the subtheme's trace shows the advisor's comment and what changed" "$got" \
	"Sam (parent advisor) | Say who they hide it from. | adopted | Renamed and split by audience | True"
got=$("$QES" theme list "$R2" --json | py 'import json,sys; print([(t["name"], t["advisor_changes"]) for t in json.load(sys.stdin)])')
check_eq "the theme list counts changes after advisors' comments" "$got" \
	"[('Living with fear', 0), ('Keeping it hidden', 1), ('Fear', 0)]"
out=$("$QES" theme trace "$R2" "Living with fear")
check_contains "the analytical theme's trace shows its pending comment" "$out" 'advisor       Sam (parent advisor): "Hiding is about shame, not only fear." [pending]'
got=$("$QES" advisory log "$R2" --json | py 'import json,sys
for a in json.load(sys.stdin)["advisors"]:
    for r in a["records"]: print(a["advisor"], r["kind"], r["date"], r["how"], r["by"])')
check_eq "the log keeps consent and debrief" "$got" "Sam (parent advisor) consent 2026-01-10 in writing lead
Sam (parent advisor) debrief 2026-06-02 by phone lead"
