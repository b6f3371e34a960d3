#!/usr/bin/env bash
# t04: the README's "Exit status" table and the code agree, row by row; the
# first-hour messages (did you mean, one-line option errors, plurals, real
# dates, tables aligned by display width, the SoQF for people).
. "$(dirname "$0")/lib.sh"
README="$(cd "$(dirname "$0")/../.." && pwd)/README.md"
cd "$TMP"

printf 'TY  - JOUR\nID  - k1\nTI  - Mothers and child protection\nAU  - Gómez, Ana\nPY  - 2020\nER  - \n' > one.ris
"$QES" init r.qes >/dev/null
"$QES" import r.qes one.ris --source "Zielińska DB" >/dev/null
"$QES" reviewer add r.qes AB >/dev/null     # the owner
"$QES" reviewer add r.qes CD >/dev/null
echo 'this is not a review' > text.qes
mkdir folder.qes

# One command per row of the table: code -> a command that must exit with it.
declare -A case_for=(
	[0]="$QES status r.qes"
	[1]="$QES export r.qes -o $TMP/no-such-dir/out.csv"
	[2]="$QES status"
	[3]="$QES status text.qes"
	[4]="$QES status missing.qes"
	[5]="$QES init r.qes"
	[6]="$QES policy r.qes --stage ta double --as CD"
	[7]="locked_write"
)
# 7: another program holds the write lock (as a long import does).
locked_write() {
	python3 - "$TMP/r.qes" <<'PY' >"$TMP/lock.out" 2>&1 &
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(20)
PY
	local holder=$! rc
	for _ in $(seq 50); do grep -q locked "$TMP/lock.out" 2>/dev/null && break; sleep 0.1; done
	"$QES" reviewer add "$TMP/r.qes" EF; rc=$?
	kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null
	return $rc
}
rows=$(sed -n '/^### Exit status/,/^## /p' "$README" | grep -E '^\| [0-9]+ \|' | cut -d'|' -f2 | tr -d ' ')
check_eq "README's table has the codes 0 to 7" "$(echo $rows)" "0 1 2 3 4 5 6 7"
for code in $rows; do
	if [ -z "${case_for[$code]:-}" ]; then
		not_ok "exit $code has a case in this test" "add one to case_for"
		continue
	fi
	# shellcheck disable=SC2086
	check_fails "exit $code: ${case_for[$code]#"$QES" }" "$code" ${case_for[$code]}
done

# The cases the issue found wrong.
check_fails "a folder given as the review: bad input" 3 "$QES" status folder.qes
check_contains "... says it is a folder" "$("$QES" status folder.qes 2>&1)" "folder.qes is a folder"
check_fails "a missing input file: not found" 4 "$QES" import r.qes nofile.ris
check_fails "a folder given as an input file: bad input" 3 "$QES" import r.qes folder.qes
check_contains "... says it is a folder" "$("$QES" import r.qes folder.qes 2>&1)" "folder.qes is a folder"
check_fails "a file that is not a review: bad input" 3 "$QES" records text.qes

# Mistyped commands and options: one line, the nearest suggested.
out=$("$QES" stauts r.qes 2>&1); rc=$?
check_eq "mistyped command exits 2" "$rc" 2
check_eq "mistyped command: one line with the nearest" "$out" "qes: 'stauts' is not a qes command; did you mean 'status'?"
out=$("$QES" status r.qes --jsn 2>&1); rc=$?
check_eq "--jsn exits 2" "$rc" 2
check_eq "--jsn: one error line, --json suggested" "$out" "qes: unknown option '--jsn' (did you mean '--json'?)"
# A mistyped action of a command that has actions: the nearest one, exit 2,
# and the review is left alone (nothing is opened or written).
sum_before=$(md5sum < r.qes)
while IFS='|' read -r args want; do
	out=$($QES $args 2>&1); rc=$?
	check_eq "qes $args exits 2" "$rc" 2
	check_contains "qes $args suggests '$want'" "$out" "did you mean '$want'?"
done <<'EOF2'
reviewer ad|add
reviewer ad r.qes XY|add
user lst r.qes|list
code ad r.qes Parent|add
theme lst r.qes|list
query matix r.qes|matrix
finding shw r.qes F1|show
cerqual asess r.qes|assess
advisory coment r.qes|comment
checklist lst r.qes|list
appraise tabel r.qes|table
extract frm r.qes|form
study lst r.qes|list
dedup reviw r.qes|review
fulltext atach r.qes k1 x.pdf|attach
conflicts reslve r.qes|resolve
lay r.qes shw|show
source ad r.qes Leap|add
qdpx exprt r.qes -o x.qdpx|export
EOF2
check_eq "a mistyped action writes nothing" "$(md5sum < r.qes)" "$sum_before"
check_fails "qes dedup REVIEW still runs" 0 "$QES" dedup r.qes --dry-run
check_eq "a missing option value says so" "$("$QES" records r.qes --limit 2>&1)" "qes: option '--limit' needs a value"
check_contains "qes --help lists user's actions" "$("$QES" --help)" "add, list, password, remove"

# Dates that do not exist are not real dates.
check_fails "--searched 2022-13-45 refused" 2 "$QES" import r.qes one.ris --source X --searched 2022-13-45
check_contains "... as not a real date" "$("$QES" import r.qes one.ris --source X --searched 2022-13-45 2>&1)" "is not a real date"
check_fails "--searched 2023-02-29 refused (not a leap year)" 2 "$QES" import r.qes one.ris --source X --searched 2023-02-29
check "--searched 2024-02-29 accepted" "$QES" import r.qes one.ris --source Leap --searched 2024-02-29 --allow-same-file

# Plurals.
check_contains "import: 1 record" "$("$QES" import r.qes one.ris --source Y --allow-same-file)" ": 1 record ("
"$QES" init p.qes >/dev/null
"$QES" import p.qes one.ris --source A >/dev/null
"$QES" import p.qes one.ris --source B >/dev/null
check_contains "dedup: 1 candidate pair" "$("$QES" dedup p.qes --dry-run)" "among 2 records (1 candidate pair compared)"

# Tables pad by display width: "Zielińska DB" and "Leap" rows line up.
st=$("$QES" status r.qes)
col() { grep -F "  $1" <<<"$st" | python3 -c 'import sys,unicodedata
l=sys.stdin.readline(); i=l.index(" record"); print(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in l[:i]))'; }
check_eq "status: the record counts line up with a non-ASCII source name" "$(col 'Zielińska')" "$(col 'Leap')"
rec=$("$QES" records r.qes 2>/dev/null)
check_contains "records: a non-ASCII author is padded by width" "$rec" "Gómez, Ana                              Mothers"
# No table leaves spaces at the end of a line: a padded last cell that is
# empty (a source with no search date, a study with no reports, a log entry
# with nothing after its action) is not padded.
"$QES" study r.qes add S1 >/dev/null 2>&1
for c in "status r.qes" "reviewer list r.qes" "records r.qes" "log r.qes" "study list r.qes"; do
	out=$($QES $c 2>/dev/null)
	trailing=$(grep -n ' $' <<<"$out" | sed 's/ $/<SPACE>/')
	check_eq "qes $c: no trailing spaces" "$trailing" ""
done
