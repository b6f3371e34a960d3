#!/usr/bin/env bash
# t01: the foundation's command line on the demo search: init, import (with
# provenance, atomicity, refusals), status --json, records, show, export,
# and the exit codes of the README.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
"$ROOT/build/rel/tools/demo_search" "$TMP" >/dev/null
R="$TMP/r.qes"

check "init creates a review" "$QES" init "$R" --title "Test review"
check_fails "init refuses an existing file (exit 5)" 5 "$QES" init "$R"
check_fails "a missing review is exit 4" 4 "$QES" status "$TMP/nope.qes"
check_fails "unknown command is a usage error (exit 2)" 2 "$QES" frobnicate
check_fails "import without files is a usage error" 2 "$QES" import "$R"
check "every command has --help" bash -c "for c in init import records show export status parse; do \"$QES\" \$c --help >/dev/null || exit 1; done"

check "import RIS with source and search date" \
	"$QES" import "$R" "$TMP/psycinfo.ris" --source PsycINFO --searched 2022-03-14
check "import MEDLINE" "$QES" import "$R" "$TMP/medline.nbib" --source "MEDLINE (PubMed)"
check "import CSV" "$QES" import "$R" "$TMP/cinahl.csv" --source CINAHL

n_ris=$(grep -c '^ER  -' "$TMP/psycinfo.ris")
n_med=$(grep -c '^PMID-' "$TMP/medline.nbib")
n_csv=$(($(python3 -c 'import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1]))))' "$TMP/cinahl.csv") - 1))
status=$("$QES" status "$R" --json)
check_eq "status counts every imported record" "$(echo "$status" | json_get records)" "$((n_ris + n_med + n_csv))"
check_eq "status lists sources in order" \
	"$(echo "$status" | python3 -c 'import json,sys; print(",".join(s["name"]+":"+s["format"]+":"+str(s["records"]) for s in json.load(sys.stdin)["sources"]))')" \
	"PsycINFO:ris:$n_ris,MEDLINE (PubMed):medline:$n_med,CINAHL:csv:$n_csv"

check_fails "the same file twice into one source is refused (exit 5)" 5 \
	"$QES" import "$R" "$TMP/psycinfo.ris" --source PsycINFO
check_fails "a bad search date is refused" 2 \
	"$QES" import "$R" "$TMP/citations.ris" --source X --searched 14/03/2022

# Atomicity: a good file then a malformed one in one command imports nothing.
printf 'TY  - JOUR\nTI  - Good\nER  - \n' > "$TMP/good.ris"
printf 'TY  - JOUR\nTI  - Fine\nER  - \n\nTI  - A record with no TY\nER  - \nTY  - JOUR\nTI  - Also fine\nER  - \n' > "$TMP/bad.ris"
before=$("$QES" status "$R" --json | json_get records)
out=$("$QES" import "$R" "$TMP/good.ris" "$TMP/bad.ris" --source Hand --method other 2>&1); rc=$?
check_eq "a malformed record fails the import with exit 3" "$rc" 3
check_contains "the error names the file and line" "$out" "bad.ris:5"
check_eq "nothing of the failed command was imported" "$("$QES" status "$R" --json | json_get records)" "$before"
check_eq "nor its source" "$("$QES" status "$R" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["sources"]))')" 3
out=$("$QES" import "$R" "$TMP/good.ris" "$TMP/bad.ris" --source Hand --method other --skip-bad 2>&1); rc=$?
check_eq "--skip-bad imports the rest" "$rc" 0
check_contains "--skip-bad lists what it skipped" "$out" "skipped: "
check_eq "three good records came in" "$("$QES" status "$R" --json | json_get records)" "$((before + 3))"

: > "$TMP/empty.ris"
out=$("$QES" import "$R" "$TMP/empty.ris" 2>&1); rc=$?
check_eq "an empty file is an input error" "$rc" 3
check_contains "and says it is empty" "$out" "empty"
head -c 3000 /bin/ls > "$TMP/binary.ris"
out=$("$QES" import "$R" "$TMP/binary.ris" 2>&1); rc=$?
check_eq "a binary file is an input error" "$rc" 3
check_contains "and says it is binary" "$out" "binary"

# show: provenance and fields.
key=$(sed -n 's/^ID  - //p' "$TMP/psycinfo.ris" | head -1)
show=$("$QES" show "$R" "$key" --json)
check_eq "show gives the source" "$(echo "$show" | json_get provenance.source)" PsycINFO
check_eq "show gives the search date" "$(echo "$show" | json_get provenance.searched)" 2022-03-14
check_eq "show gives the line in the file" "$(echo "$show" | json_get provenance.line)" 1
check_eq "show gives the file" "$(echo "$show" | json_get provenance.file)" psycinfo.ris
check_fails "show of an unknown key is exit 4" 4 "$QES" show "$R" no-such-key

# records: search.
n=$("$QES" records "$R" --search 'diabetes' --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
want=$("$QES" records "$R" --json | python3 -c 'import json,sys; print(sum(1 for r in json.load(sys.stdin) if "diabetes" in ((r["title"] or "")+" "+(r["abstract"] or "")+" "+" ".join(r["keywords"])).lower()))')
check_eq "full-text search finds exactly the records that mention the word" "$n" "$want"
check_fails "a malformed search query is a usage error" 2 "$QES" records "$R" --search '"unbalanced'

# export.
check "export CSV" "$QES" export "$R" -o "$TMP/out.csv"
check_eq "CSV starts with source_key" "$(head -c 10 "$TMP/out.csv")" "source_key"
check "export RIS" "$QES" export "$R" -o "$TMP/out.ris"
# A written file gets the mode any new file would (umask), not the 0600 of
# the temporary file it was built in; an existing file keeps its own.
check_eq "a new export is 0644 under umask 022" "$(umask 022; "$QES" export "$R" -o "$TMP/mode.csv" >/dev/null; stat -c %a "$TMP/mode.csv")" 644
check_eq "a rewritten export keeps its mode" "$(chmod 640 "$TMP/mode.csv"; "$QES" export "$R" -o "$TMP/mode.csv" >/dev/null; stat -c %a "$TMP/mode.csv")" 640
check_eq "RIS has one record per record" "$(grep -c '^ER  -' "$TMP/out.ris")" "$("$QES" status "$R" --json | json_get records)"
check_contains "RIS carries the source key in ID" "$(cat "$TMP/out.ris")" "ID  - $key"
check_fails "export to an unknown extension is a usage error" 2 "$QES" export "$R" -o "$TMP/out.docx"
check_fails "a failed export leaves no file" 1 "$QES" export "$R" -o "$TMP/no/such/dir/out.ris"

# status carries screening progress once records are in.
status=$("$QES" status "$R" --json)
check_eq "status: every record waits at title/abstract" "$(echo "$status" | json_get screening.ta.pending)" "$(echo "$status" | json_get records)"
check_eq "status: no studies yet" "$(echo "$status" | json_get studies)" 0
