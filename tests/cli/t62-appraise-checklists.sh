#!/usr/bin/env bash
# t62: several appraisal checklists active at once (issue 19, item 5): CASP
# for the studies plus the review's own three questions as a second set.
# Ratings for both in one file (plain and checklist:question ids), the table
# (JSON, text, HTML), the plot, agreement and discrepancies span both, the
# rule counts CASP 2-9 only, ids two active checklists share must be
# qualified, and `checklist use` alone goes back to one checklist.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/studies-fixture.sh"
R="$TMP/r.qes"
make_review "$R"
"$QES" study add "$R" S01 S02 S03 >/dev/null

cat >"$TMP/review.json" <<'JSON'
{ "id": "review", "title": "Review-specific questions",
  "citation": "The review team (2026). Questions added for this review.",
  "questions": [
    {"id": "rq1", "type": "rating", "text": "Do the authors say how their own position shaped the study?"},
    {"id": "rq2", "type": "rating", "text": "Were people with lived experience involved in the research?"},
    {"id": "rq3", "type": "rating", "text": "Does the analysis consider overlapping social identities?"}
  ] }
JSON
check "the review's own checklist is added" "$QES" checklist add "$R" "$TMP/review.json"
check_eq "adding it does not make it active" "$("$QES" checklist list "$R" --json | python3 -c 'import json,sys; print(*[c["id"] for c in json.load(sys.stdin) if c["active"]])')" "casp-qualitative-2018"
check "use --add makes it active beside CASP" "$QES" checklist use "$R" review --add
check_eq "both are active" "$("$QES" checklist list "$R" --json | python3 -c 'import json,sys; print(*[c["id"] for c in json.load(sys.stdin) if c["active"]])')" "casp-qualitative-2018 review"
check_contains "the text list marks both" "$("$QES" checklist list "$R")" "* review"
check_fails "--add goes with use only (exit 2)" 2 "$QES" checklist export "$R" --add
check_fails "an unknown checklist cannot be added (exit 4)" 4 "$QES" checklist use "$R" nope --add

# Answers per study over casp1..casp9, rq1..rq3 (Y yes, C cant_tell, N no).
# S01: no CASP 'no', all three of the review's own 'no'.
# S02: casp2 and casp3 'no'; the raters differ on rq3.
# S03: casp8 'no'.
qs="casp1 casp2 casp3 casp4 casp5 casp6 casp7 casp8 casp9 rq1 rq2 rq3"
declare -A ANA=( [S01]=YYYYYYYYYNNN [S02]=YNNYYYYYYYYY [S03]=YYYYYYYNYYNC )
declare -A BEN=( [S01]=YYYYYYYYYNNN [S02]=YNNYYYYYYYYN [S03]=YYYYYYYNYYNC )
ans() { case $1 in Y) echo yes;; C) echo cant_tell;; N) echo no;; esac; }
{
	echo "study,reviewer,question,answer,comment"
	for s in S01 S02 S03; do
		j=0
		for q in $qs; do
			# ben writes the review's questions qualified: review:rq1.
			bq=$q; case $q in rq*) bq=review:$q;; esac
			echo "$s,ana,$q,$(ans "${ANA[$s]:$j:1}"),"
			echo "$s,ben,$bq,$(ans "${BEN[$s]:$j:1}"),"
			j=$((j + 1))
		done
	done
	echo "S01,ana,casp10,Valuable for practice,"
} >"$TMP/ratings.csv"
check_eq "ratings for both checklists are stored from one file" "$("$QES" appraise "$R" --from "$TMP/ratings.csv")" "73 ratings stored"

t=$("$QES" appraise table "$R" --json)
check_eq "the table has CASP's ten questions then the review's three" \
	"$(echo "$t" | python3 -c 'import json,sys; print(*[q["id"] for q in json.load(sys.stdin)["questions"]])')" \
	"casp1 casp2 casp3 casp4 casp5 casp6 casp7 casp8 casp9 casp10 rq1 rq2 rq3"
check_eq "its columns are grouped by checklist" \
	"$(echo "$t" | python3 -c 'import json,sys; print(*["%s:%d" % (c["id"], len(c["questions"])) for c in json.load(sys.stdin)["checklists"]])')" \
	"casp-qualitative-2018:10 review:3"
check_eq "answers of both checklists are in the rows" \
	"$(echo "$t" | python3 -c 'import json,sys; r=json.load(sys.stdin)["studies"]; print(r[0]["answers"]["casp2"], r[0]["answers"]["rq1"], r[1]["answers"]["rq3"], r[2]["answers"]["rq3"])')" \
	"yes no None cant_tell"
check_eq "one unresolved discrepancy (S02 rq3)" "$(echo "$t" | json_get unresolved)" 1

# The default rule (one 'no' on any rating question) makes S01 serious on the
# review's own questions alone: the rule CASP 2-9 does not.
check_eq "default rule: every study serious" "$(echo "$t" | python3 -c 'import json,sys; print(*[s["limitations"] for s in json.load(sys.stdin)["studies"]])')" "serious serious serious"
check "the rule names CASP 2-9" "$QES" appraise rule "$R" --questions casp2-casp9 --serious 2 --moderate 1
t=$("$QES" appraise table "$R" --json)
check_eq "by CASP 2-9: S01 none, S02 serious (2 'no'), S03 moderate (1)" \
	"$(echo "$t" | python3 -c 'import json,sys; print(*["%s:%s:%d" % (s["study"], s["limitations"], s["no"]) for s in json.load(sys.stdin)["studies"]])')" \
	"S01:none:0 S02:serious:2 S03:moderate:1"
check_eq "the rule's questions are CASP 2-9 only" "$(echo "$t" | python3 -c 'import json,sys; print(*json.load(sys.stdin)["rule"]["questions"])')" \
	"casp2 casp3 casp4 casp5 casp6 casp7 casp8 casp9"
check "the rule can name the review's questions (plain and qualified)" "$QES" appraise rule "$R" --questions rq1,review:rq2 --serious 2
check_eq "by rq1, rq2: S01 serious (2 'no'), S02 none, S03 none" \
	"$("$QES" appraise table "$R" --json | python3 -c 'import json,sys; print(*["%s:%d" % (s["limitations"], s["no"]) for s in json.load(sys.stdin)["studies"]])')" \
	"serious:2 none:0 none:1"
check_eq "qualified CASP ids (dashes in the checklist id) name a question and a range" \
	"$("$QES" appraise rule "$R" --questions casp-qualitative-2018:casp1,casp-qualitative-2018:casp3-casp-qualitative-2018:casp5 --serious 1 --json | python3 -c 'import json,sys; print(*json.load(sys.stdin)["questions"])')" \
	"casp1 casp3 casp4 casp5"
check_fails "a range to a question that is not there is refused (exit 2)" 2 "$QES" appraise rule "$R" --questions casp2-rq9 --serious 1
"$QES" appraise rule "$R" --questions casp2-casp9 --serious 2 --moderate 1 >/dev/null

txt=$("$QES" appraise table "$R")
check_contains "the text table names the groups" "$(echo "$txt" | head -1)" "casp-qualitative-2018"
check_contains "and the review's group" "$(echo "$txt" | head -1)" "review"
check_contains "and has the review's columns" "$(echo "$txt" | sed -n 2p)" "rq3"
check_contains "and prints the rule" "$txt" "rule: serious concerns when 2 or more of casp2, casp3, casp4, casp5, casp6, casp7, casp8, casp9 are 'no'"
html=$("$QES" appraise table "$R" --html)
check_contains "the HTML table groups CASP's columns" "$html" '<th colspan="10" class="qes-checklist"'
check_contains "and the review's" "$html" '<th colspan="3" class="qes-checklist" title="The review team (2026). Questions added for this review.">Review-specific questions</th>'
"$QES" appraise plot "$R" -o "$TMP/p.svg"
check_eq "the plot has a column for each rating question of both (12 x 3 marks)" \
	"$(grep -o 'data-question="[a-z0-9]*"' "$TMP/p.svg" | sort -u | wc -l) $(grep -c 'data-question="rq' "$TMP/p.svg")" "12 9"

# Agreement over both checklists: 3 studies x 12 rating questions = 36
# items, 35 agreed (S02 rq3: ana yes, ben no). Table (ana rows, ben columns):
#   yes: 27 0 1 ; cant_tell: 0 1 0 ; no: 0 0 7
# (ana: 28 yes, 1 cant_tell, 7 no; ben: 27, 1, 8)
# p_o = 35/36; p_e = (28*27 + 1*1 + 7*8) / 36^2 = 813/1296
agr=$("$QES" appraise agreement "$R" --json)
check_eq "agreement counts both checklists' items" "$(echo "$agr" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["items"], d["agreed"], d["table"])')" "36 35 [[27, 0, 1], [0, 1, 0], [0, 0, 7]]"
check_eq "kappa by hand" "$(echo "$agr" | python3 -c 'import json,sys; print("%.6f" % json.load(sys.stdin)["kappa"])')" \
	"$(python3 -c 'po=35/36; pe=813/1296; print("%.6f" % ((po-pe)/(1-pe)))')"
check_eq "the discrepancy is on the review's question" "$("$QES" appraise discrepancies "$R" --json | python3 -c 'import json,sys; print(*["%s %s" % (d["study"], d["question"]) for d in json.load(sys.stdin)])')" "S02 rq3"

# A third checklist sharing an id: the shared id must be qualified.
sed -e 's/"id": "review"/"id": "extra"/' -e 's/"title": "Review-specific questions"/"title": "Extra"/' "$TMP/review.json" >"$TMP/extra.json"
"$QES" checklist add "$R" "$TMP/extra.json" >/dev/null
check "a third checklist is added to the active ones" "$QES" checklist use "$R" extra --add
printf 'study,reviewer,question,answer,comment\nS01,ana,rq1,yes,\n' >"$TMP/amb.csv"
check_fails "an id two active checklists share is refused unqualified (exit 3)" 3 "$QES" appraise "$R" --from "$TMP/amb.csv"
check_contains "and the error says how to write it" "$("$QES" appraise "$R" --from "$TMP/amb.csv" 2>&1)" "write checklist:rq1"
printf 'study,reviewer,question,answer,comment\nS01,ana,extra:rq1,yes,\n' >"$TMP/q.csv"
check_eq "qualified, it is stored" "$("$QES" appraise "$R" --from "$TMP/q.csv")" "1 rating stored"
check_eq "the table shows shared ids qualified" "$("$QES" appraise table "$R" --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(*[q["id"] for q in d["questions"]][10:], d["studies"][0]["answers"]["review:rq1"], d["studies"][0]["answers"]["extra:rq1"])')" \
	"review:rq1 review:rq2 review:rq3 extra:rq1 extra:rq2 extra:rq3 no yes"
check "use --remove takes it away" "$QES" checklist use "$R" extra --remove
check_eq "the review's ids are plain again, extra's rating out of the table" "$("$QES" appraise table "$R" --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["questions"]), d["studies"][0]["answers"]["rq1"])')" "13 no"

check_contains "ENTREQ item 11 counts both checklists' questions" "$("$QES" entreq "$R")" \
	"CASP Qualitative Checklist and Review-specific questions: 13 questions"

# use alone: that checklist only, as before several could be active.
check "use alone makes CASP the only one" "$QES" checklist use "$R" casp-qualitative-2018
check_contains "ENTREQ item 11 then names CASP alone" "$("$QES" entreq "$R")" "CASP Qualitative Checklist: 10 questions"
t=$("$QES" appraise table "$R" --json)
check_eq "one checklist: ten questions, no checklists key" "$(echo "$t" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["questions"]), "checklists" in d, d["studies"][1]["limitations"])')" "10 False serious"
check_eq "agreement over CASP alone: 27 items, all agreed" "$("$QES" appraise agreement "$R" --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["items"], d["agreed"])')" "27 27"
check_fails "the only active checklist cannot be removed (exit 2)" 2 "$QES" checklist use "$R" casp-qualitative-2018 --remove
printf 'study,reviewer,question,answer,comment\nS01,ana,rq1,yes,\n' >"$TMP/one.csv"
check_contains "with one checklist the error is as before" "$("$QES" appraise "$R" --from "$TMP/one.csv" 2>&1)" "checklist 'casp-qualitative-2018' has no question 'rq1'"
echo "1..$n"
