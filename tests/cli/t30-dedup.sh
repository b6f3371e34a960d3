#!/usr/bin/env bash
# t30-dedup: deduplication through the CLI on the labelled datasets in
# ../shared/data/dedup: no false merge (FP = 0) on any of them, the
# bib-dedupe special cases, the review queue, decisions, undo, --dry-run.
. "$(dirname "$0")/lib.sh"

DATA=$SHARED/data/dedup
SCORE=$SHARED/tools/dedup_score.py
if ! have_shared || [ ! -d "$DATA" ]; then
	skip "../shared/data/dedup is not here"
	exit 0
fi

# score TRUTH CLUSTERS FIELD: one number from dedup_score.py's JSON.
score() { python3 "$SCORE" "$1" "$2" | json_get "$3"; }
# cluster_of CSV KEY
cluster_of() { awk -F, -v k="$2" '$1 == k { print $2 }' "$1"; }
# distinct_clusters CSV
distinct_clusters() { tail -n +2 "$1" | cut -d, -f2 | sort -u | wc -l | tr -d ' '; }

# load NAME: a review with the dataset imported (exit 0), or 1 when this
# build cannot read CSV yet (the placeholder parser): the rest is skipped.
load() {
	rm -f "$TMP/$1.qes"
	"$QES" init "$TMP/$1.qes" >/dev/null 2>&1 || return 2
	local out
	if ! out=$("$QES" import "$TMP/$1.qes" "$DATA/$1.csv" 2>&1); then
		[[ "$out" == *"cannot be read yet"* ]] && return 1
		echo "$out" >&2
		return 2
	fi
}

load BibDedupe_special_cases; rc=$?
if [ $rc -eq 1 ]; then
	skip "this build cannot import CSV yet (lib/parse_delimited.c is a placeholder)"
	exit 0
fi
check_eq "import the special cases" "$rc" 0

# --- FP = 0 on every labelled dataset, sensitivity guarded ---------------
# Floors are the measured figures rounded down (docs/dedup.md has the
# table): a change that loses duplicates fails here, one that merges two
# different works fails on FP.
for spec in BibDedupe_special_cases:1.0 ASySD_Diabetes:1.0 \
	    SRA2_Cytology_screening:0.99 SRA2_Haematology:0.88; do
	name=${spec%%:*} floor=${spec##*:}
	[ "$name" = BibDedupe_special_cases ] || load "$name"
	out=$("$QES" dedup "$TMP/$name.qes" 2>&1)
	check_contains "$name: dedup reports merges" "$out" "clusters merged"
	check "$name: clusters export" "$QES" dedup clusters "$TMP/$name.qes" -o "$TMP/$name.csv"
	check_eq "$name: header" "$(head -1 "$TMP/$name.csv")" "source_key,cluster"
	check_eq "$name: one row per record" "$(($(wc -l <"$TMP/$name.csv") - 1))" \
		"$(($(python3 -c 'import csv,sys; csv.field_size_limit(1<<30); print(sum(1 for _ in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig"))))' "$DATA/$name.csv")))"
	check_eq "$name: FP = 0 (no false merge)" "$(score "$DATA/$name.csv" "$TMP/$name.csv" FP)" 0
	sens=$(score "$DATA/$name.csv" "$TMP/$name.csv" sensitivity)
	if python3 -c "import sys; sys.exit(not float(sys.argv[1]) >= float(sys.argv[2]))" "$sens" "$floor"; then
		ok "$name: sensitivity $sens >= $floor"
	else
		not_ok "$name: sensitivity $sens >= $floor"
	fi
	# A second run changes nothing.
	out=$("$QES" dedup "$TMP/$name.qes" 2>&1)
	check_contains "$name: a second run merges nothing new" "$out" "0 clusters merged"
done

# --- Pairs the rules of docs/dedup.md decide, on the real records ---------
# together KEY1 KEY2 MESSAGE / apart KEY1 KEY2 MESSAGE, in clusters CSV $H.
# A key missing from the CSV fails both (an empty cluster is no evidence:
# "" = "" would pass "together" for two records that were never exported).
together() {
	local ca cb
	ca=$(cluster_of "$H" "$1") cb=$(cluster_of "$H" "$2")
	if [ -z "$ca" ] || [ -z "$cb" ]; then
		not_ok "$3 (a key is missing: $1 -> '$ca', $2 -> '$cb' in $H)"
	else
		check_eq "$3" "$ca" "$cb"
	fi
}
apart() {
	local ca cb
	ca=$(cluster_of "$H" "$1") cb=$(cluster_of "$H" "$2")
	if [ -z "$ca" ] || [ -z "$cb" ]; then
		not_ok "$3 (a key is missing: $1 -> '$ca', $2 -> '$cb' in $H)"
	else
		[ "$ca" != "$cb" ] && ok "$3" || not_ok "$3"
	fi
}
# queued REVIEW KEY1 KEY2: the pair is in the review queue.
queued() {
	"$QES" dedup queue "$1" --json | python3 -c '
import json, sys
sys.exit(not any({p["a"], p["b"]} == set(sys.argv[1:]) for p in json.load(sys.stdin)))' "$2" "$3"
}
H=$TMP/SRA2_Haematology.csv
together id_0000229 id_0000231 "a translated title worded differently, same pages 30-38, merged"
together id_0001188 id_0001189 "one abstract printed twice in Pediatr Transplant 15, merged"
apart id_0000018 id_0000021 "an erratum citing its article (vol 142, pg 310) stays apart"
apart id_0001122 id_0001125 "an article and a later one-page item of the same title stay apart"
queued "$TMP/SRA2_Haematology.qes" id_0001122 id_0001125 &&
	ok "... and that pair is queued for a person" || not_ok "... and that pair is queued for a person"
queued "$TMP/SRA2_Haematology.qes" id_0000134 id_0000135 &&
	ok "one abstract in two journals' supplements is queued" ||
	not_ok "one abstract in two journals' supplements is queued"
H=$TMP/ASySD_Diabetes.csv
# Appetite 59 e24: two records carry the appet DOI, two a regpep DOI on a
# record that says Appetite. That DOI names another journal: no evidence.
together id_0000599 id_0001610 "a DOI naming another journal than its record's does not keep one abstract apart"
together id_0000599 id_0001347 "... its four records are one work (appet DOI)"
together id_0000599 id_0001782 "... its four records are one work (regpep DOI)"
doi=$(python3 -c '
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(db.execute("SELECT doi FROM dedup_clusters WHERE id = ?", (int(sys.argv[2][1:]),)).fetchone()[0])' \
	"$TMP/ASySD_Diabetes.qes" "$(cluster_of "$H" id_0000599)")
check_eq "... and the work keeps the DOI that fits its journal" "$doi" "10.1016/j.appet.2012.05.003"

# --- The special cases, pair by pair --------------------------------------
H=$TMP/BibDedupe_special_cases.csv
together id_0000001 id_0000002 "same paper, '-' and ':' in the title, two proceedings names"
together id_0000005 id_0000006 "same paper, one author with a middle initial"
together id_0000007 id_0000011 "same DOI"
apart id_0000003 id_0000004 "same title, 2021 and 2022 minitrack (different DOIs) kept apart"
apart id_0000012 id_0000007 "2003 conference paper and 2004 journal article kept apart"
apart id_0000009 id_0000010 "conference paper and later article (different DOIs) kept apart"

# --- The stress test (bench/dedup_stress.py, issue 17) ---------------------
# Copies of the Haematology records altered as real exports differ must be
# found (merged), and look-alike different works (erratum, comment, reply,
# part 2, the next issue, another meeting, another article of the volume)
# must not be merged. Floor: the measured share rounded down.
STRESS=$(dirname "$0")/../../bench/dedup_stress.py
S=$TMP/stress.csv
if python3 "$STRESS" make "$DATA/SRA2_Haematology.csv" "$S" --per-kind 40 --seed 7; then
	rm -f "$TMP/stress.qes"
	"$QES" init "$TMP/stress.qes" >/dev/null && "$QES" import "$TMP/stress.qes" "$S" >/dev/null &&
		"$QES" dedup "$TMP/stress.qes" >/dev/null &&
		"$QES" dedup clusters "$TMP/stress.qes" -o "$TMP/stress.c.csv" &&
		"$QES" dedup queue "$TMP/stress.qes" --json >"$TMP/stress.q.json"
	check_eq "stress test: import, dedup, export" "$?" 0
	js=$(python3 "$STRESS" score "$S" "$TMP/stress.c.csv" "$TMP/stress.q.json" --json)
	check_eq "stress test: no near neighbour merged" "$(echo "$js" | json_get near_merged)" 0
	check_eq "stress test: no false merge at all" "$(echo "$js" | json_get false_merges)" 0
	share=$(echo "$js" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["dup_merged"] / d["dup_made"])')
	if python3 -c "import sys; sys.exit(not float(sys.argv[1]) >= 0.98)" "$share"; then
		ok "stress test: $share of the altered copies merged (>= 0.98)"
	else
		not_ok "stress test: $share of the altered copies merged (>= 0.98)" "$js"
	fi
else
	not_ok "stress test: dedup_stress.py make"
fi

# --- --dry-run and --explain write nothing --------------------------------
load SRA2_Haematology
R=$TMP/SRA2_Haematology.qes
out=$("$QES" dedup "$R" --dry-run --explain)
check_contains "--dry-run says so" "$out" "dry run:"
check_contains "--explain gives the rule for a pair" "$out" "titles"
check_contains "--explain says what kept a compared pair apart" "$out" "kept apart by: "
"$QES" dedup clusters "$R" -o "$TMP/dry.csv"
check_eq "--dry-run merged nothing" "$(distinct_clusters "$TMP/dry.csv")" "$(($(wc -l <"$TMP/dry.csv") - 1))"
check_eq "--dry-run queued nothing" "$("$QES" dedup queue "$R" --all --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" 0
js=$("$QES" dedup "$R" --dry-run --json)
check_eq "--json says it was a dry run" "$(echo "$js" | json_get dry_run)" True

# --- The run, the queue, decisions ----------------------------------------
"$QES" dedup "$R" >/dev/null
"$QES" dedup clusters "$R" -o "$TMP/h1.csv"
q=$("$QES" dedup queue "$R" --json)
nq=$(echo "$q" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
[ "$nq" -gt 1 ] && ok "uncertain pairs are queued ($nq)" || not_ok "uncertain pairs are queued" "$q"
a=$(echo "$q" | json_get 0.a) b=$(echo "$q" | json_get 0.b)
check "decide merge" "$QES" dedup decide "$R" "$a" "$b" merge
"$QES" dedup clusters "$R" -o "$TMP/h2.csv"
H=$TMP/h2.csv together "$a" "$b" "a merge decision joins the two records"
check_fails "distinct on merged records is a conflict" 5 "$QES" dedup decide "$R" "$a" "$b" distinct
# Interactive review, keys from a pipe: the next pair is called distinct.
a2=$(echo "$q" | json_get 1.a) b2=$(echo "$q" | json_get 1.b)
out=$(printf 'd\nq\n' | "$QES" dedup review "$R")
check_contains "review shows the pair side by side" "$out" "title"
check_contains "review counts the decision" "$out" "1 distinct"
st=$("$QES" dedup queue "$R" --all --json | python3 -c '
import json,sys
for p in json.load(sys.stdin):
    if {p["a"], p["b"]} == {sys.argv[1], sys.argv[2]}: print(p["status"])' "$a2" "$b2")
check_eq "the review's decision is stored" "$st" distinct
"$QES" dedup "$R" >/dev/null
"$QES" dedup clusters "$R" -o "$TMP/h3.csv"
H=$TMP/h3.csv apart "$a2" "$b2" "a later run keeps a distinct pair apart"

# --- Undo -----------------------------------------------------------------
c=$(cluster_of "$TMP/h3.csv" "$a")
check "undo one cluster" "$QES" dedup undo "$R" "$c"
"$QES" dedup clusters "$R" -o "$TMP/h4.csv"
H=$TMP/h4.csv apart "$a" "$b" "undo separates the records"
"$QES" dedup "$R" >/dev/null
"$QES" dedup clusters "$R" -o "$TMP/h5.csv"
H=$TMP/h5.csv apart "$a" "$b" "a later run does not silently redo an undone merge"
check_fails "undo of no such cluster" 4 "$QES" dedup undo "$R" c999999
check "undo --all" "$QES" dedup undo "$R" --all
"$QES" dedup clusters "$R" -o "$TMP/h6.csv"
check_eq "after undo --all every record is alone" "$(distinct_clusters "$TMP/h6.csv")" "$(($(wc -l <"$TMP/h6.csv") - 1))"
st=$("$QES" status "$R" --json | json_get records)
check_eq "records are never deleted" "$st" 1415

# --- Help and usage -------------------------------------------------------
for sub in "" review decide queue undo clusters; do
	check "qes dedup $sub --help" "$QES" dedup $sub --help
done
check_eq "clusters -o - writes to standard output" "$("$QES" dedup clusters "$R" -o - | head -1)" "source_key,cluster"
check_fails "clusters without -o is a usage error" 2 "$QES" dedup clusters "$R"
check_fails "decide with a bad decision" 2 "$QES" dedup decide "$R" a b maybe
