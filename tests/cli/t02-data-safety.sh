#!/usr/bin/env bash
# t02: data safety (issue 16): one name per review (hard links refused, a
# symbolic link opens the one journal), reading without the write lock and in
# a read-only folder, clear messages for a locked review, files that are not
# reviews left as they were, and spreadsheet formulas in CSV exports.
. "$(dirname "$0")/lib.sh"
R="$TMP/r.qes"
printf 'TY  - JOUR\nTI  - First record\nER  - \n\nTY  - JOUR\nTI  - Second record\nER  - \n' > "$TMP/a.ris"
"$QES" init "$R" >/dev/null
"$QES" import "$R" "$TMP/a.ris" --source A >/dev/null 2>&1

# --- One review, one name -----------------------------------------------------
ln "$R" "$TMP/hard.qes"
out=$("$QES" status "$TMP/hard.qes" 2>&1); rc=$?
check_eq "a review with two hard links is refused (exit 5)" "$rc" 5
check_contains "the refusal says why" "$out" "hard links"
out=$("$QES" import "$R" "$TMP/a.ris" --source B 2>&1); rc=$?
check_eq "... under either name, even for a write" "$rc" 5
rm "$TMP/hard.qes"
check "with one name again the review opens" "$QES" status "$R"

# A symbolic link in another folder: the journal stays beside the real file.
# A python reader keeps the review open, so the -wal file outlives the import.
mkdir "$TMP/other"
ln -s "$R" "$TMP/other/link.qes"
python3 - "$R" "$QES" "$TMP/other/link.qes" "$TMP/a.ris" <<'PY' >"$TMP/sym.out" 2>&1
import sqlite3, subprocess, sys, os
db = sqlite3.connect(sys.argv[1])
db.execute("SELECT count(*) FROM records").fetchone()
r = subprocess.run([sys.argv[2], "import", sys.argv[3], sys.argv[4], "--source", "ViaLink"],
                   capture_output=True, text=True)
print("rc", r.returncode, r.stderr.strip())
print("linkwal", os.path.exists(sys.argv[3] + "-wal"))
print("realwal", os.path.exists(sys.argv[1] + "-wal"))
PY
sym=$(cat "$TMP/sym.out")
check_contains "an import through a symbolic link works" "$sym" "rc 0"
check_contains "... and makes no second journal beside the link" "$sym" "linkwal False"
check_contains "... but uses the real file's journal" "$sym" "realwal True"
check_eq "the import through the link is in the review" \
	"$("$QES" status "$R" --json | json_get records)" 4

# --- Reading while another program writes --------------------------------------
# A writer holds the write lock (as a long import does) for 30 s.
python3 - "$R" <<'PY' >"$TMP/lock.out" 2>&1 &
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
db.execute("INSERT INTO meta(key, value) VALUES ('held', 'yes')")
print("locked", flush=True)
time.sleep(30)
PY
holder=$!
for _ in $(seq 50); do grep -q locked "$TMP/lock.out" 2>/dev/null && break; sleep 0.1; done
start=$(date +%s)
out=$(timeout 8 "$QES" status "$R" 2>&1); rc=$?
check_eq "qes status answers while another program holds the write lock" "$rc" 0
check_contains "... with the records" "$out" "4 records"
check "qes records answers too" timeout 8 "$QES" records "$R"
check "qes export answers too" timeout 8 "$QES" export "$R" -o "$TMP/during.ris"
out=$("$QES" import "$R" "$TMP/a.ris" --source Late 2>&1); rc=$?
check_eq "a writer gives up with exit 7 (locked)" "$rc" 7
check_contains "... saying the review is locked" "$out" "is locked: another program is writing to it"
if [ -d /proc/$holder ]; then
	check_contains "... naming the process that holds the lock" "$out" "process $holder"
	check_contains "... and since when" "$out" "running since"
fi
kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null
check_eq "the lock holder's transaction never landed" \
	"$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM meta WHERE key=\"held\"").fetchone()[0])' "$R")" 0

# --- A read-only folder ----------------------------------------------------------
RO="$TMP/ro"
mkdir "$RO"
cp "$R" "$RO/r.qes"
cp "$TMP/a.ris" "$RO/a.ris"
chmod 755 "$TMP" "$RO"; chmod 644 "$RO/r.qes" "$RO/a.ris"
if [ "$(id -u)" = 0 ]; then
	as_reader() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
else
	chmod 555 "$RO"
	as_reader() { "$@"; }
fi
if as_reader touch "$RO/probe" 2>/dev/null; then
	skip "cannot make a read-only folder here"
	rm -f "$RO/probe"
else
	out=$(as_reader "$QES" status "$RO/r.qes" 2>&1); rc=$?
	check_eq "qes status works in a read-only folder" "$rc" 0
	check_contains "... and reads the records" "$out" "4 records"
	check "qes records works in a read-only folder" as_reader "$QES" records "$RO/r.qes"
	out=$(as_reader "$QES" import "$RO/r.qes" "$RO/a.ris" --source RO 2>&1); rc=$?
	check_eq "an import into a read-only review fails (exit 1)" "$rc" 1
	check_contains "... saying it is read-only, not 'not a qes review'" "$out" "read-only"
	check_eq "... and leaves no journal behind" "$(ls "$RO" | tr '\n' ' ')" "a.ris r.qes "
fi
chmod 700 "$RO"

# --- Files that are not reviews are left as they were ----------------------------
: > "$TMP/empty.qes"
out=$("$QES" status "$TMP/empty.qes" 2>&1); rc=$?
check_eq "a 0-byte file is not a review: bad input (exit 3, as the README's table)" "$rc" 3
check_contains "... and the message says it is empty" "$out" "empty"
"$QES" import "$TMP/empty.qes" "$TMP/a.ris" --source A >/dev/null 2>&1
check_eq "... and it stays 0 bytes, even after an import into it" "$(stat -c %s "$TMP/empty.qes")" 0
check_eq "... with no journal beside it" "$(ls "$TMP" | grep -c '^empty.qes-')" 0

python3 -c 'import sqlite3,sys; db=sqlite3.connect(sys.argv[1]); db.execute("CREATE TABLE t(x)"); db.commit()' "$TMP/foreign.db"
before=$(sha256sum < "$TMP/foreign.db")
out=$("$QES" import "$TMP/foreign.db" "$TMP/a.ris" --source A 2>&1); rc=$?
check_eq "another program's SQLite file is refused: bad input (exit 3)" "$rc" 3
check_contains "... as not a qes review" "$out" "not a qes review"
check_eq "... its journal mode unchanged" \
	"$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("PRAGMA journal_mode").fetchone()[0])' "$TMP/foreign.db")" delete
"$QES" status "$TMP/foreign.db" >/dev/null 2>&1
check_eq "... and not one byte of it changed" "$(sha256sum < "$TMP/foreign.db")" "$before"

# --- CSV exports and spreadsheet formulas -----------------------------------------
C="$TMP/c.qes"
"$QES" init "$C" >/dev/null
printf 'title,abstract,authors,pages\n"=HYPERLINK(""http://x"",""y"")","@SUM(A1:A9)","+Smith, J","-5"\nPlain title,"'"'"'=already quoted",Doe,12-14\n' > "$TMP/f.csv"
check "import a CSV with formula-like values" "$QES" import "$C" "$TMP/f.csv" --source F
check "export it as CSV" "$QES" export "$C" -o "$TMP/out.csv"
row=$(sed -n 2p "$TMP/out.csv")
check_contains "a title starting with = is written with an apostrophe" "$row" "\"'=HYPERLINK("
check_contains "... an abstract starting with @ too" "$row" "\"'@SUM(A1:A9)\""
check_contains "... the authors starting with +" "$row" "\"'+Smith, J\""
check_contains "... the pages starting with -" "$row" "\"'-5\""
check_contains "a value already starting with an apostrophe gets one more" "$(sed -n 3p "$TMP/out.csv")" "\"''=already quoted\""
check_contains "plain values are untouched" "$(sed -n 3p "$TMP/out.csv")" ",Plain title,"
check_eq "no cell of the export starts with a formula character" \
	"$(python3 -c 'import csv,sys; print(sum(1 for r in csv.reader(open(sys.argv[1])) for c in r if c[:1] in ("=","+","-","@","\t","\r")))' "$TMP/out.csv")" 0
check "--raw keeps the exact text" "$QES" export "$C" -o "$TMP/raw.csv" --raw
check_contains "... so the formula is there as it was" "$(sed -n 2p "$TMP/raw.csv")" ",\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",@SUM(A1:A9),"
"$QES" init "$TMP/back.qes" >/dev/null
check "qes reads its neutralised export back" "$QES" import "$TMP/back.qes" "$TMP/out.csv" --source Back
python3 - "$C" "$TMP/back.qes" <<'PY' >"$TMP/cmp.out"
import sqlite3, sys
q = "SELECT title, abstract, authors, pages FROM records ORDER BY ordinal"
a = sqlite3.connect(sys.argv[1]).execute(q).fetchall()
b = sqlite3.connect(sys.argv[2]).execute(q).fetchall()
print("same" if a == b else f"differ: {a!r} vs {b!r}")
PY
check_eq "... with every value exactly as it was" "$(cat "$TMP/cmp.out")" same

# --- Format detection weighs structure ------------------------------------------
D="$TMP/d.qes"
"$QES" init "$D" >/dev/null
printf 'title,abstract,year\nOne,Plain,2020\nTwo,"An abstract that quotes a reference:\nTY  - JOUR\nand goes on",2021\nThree,x,2019\nFour,y,2018\n' > "$TMP/ty.csv"
out=$("$QES" import "$D" "$TMP/ty.csv" --source TY --json 2>&1)
check_eq "a CSV whose abstract holds a 'TY  - ' line is read as CSV" "$(echo "$out" | json_get imports.0.format)" csv
check_eq "... with all four records" "$(echo "$out" | json_get imports.0.records)" 4
printf 'title,abstract,year\nOne,Plain,2020\nTwo,"An abstract\nAB  - looks like a RIS field",2021\n' > "$TMP/ab.csv"
check_eq "an 'AB  - ' line in a value does not make it bad RIS" \
	"$("$QES" import "$D" "$TMP/ab.csv" --source AB --json 2>&1 | json_get imports.0.format)" csv
printf 'title,abstract,year\nOne,"@misc{x,\nnot bibtex}",2020\nTwo,y,2021\n' > "$TMP/bib.csv"
check_eq "a '@misc{' line in a value does not make it BibTeX" \
	"$("$QES" import "$D" "$TMP/bib.csv" --source BIB --json 2>&1 | json_get imports.0.format)" csv
printf 'foo,bar\nOne,"Plain"\nTwo,"An abstract\n\nTY  - JOUR\nmore"\n' > "$TMP/unknown.csv"
out=$("$QES" import "$D" "$TMP/unknown.csv" --source U 2>&1); rc=$?
check_eq "a table with unknown columns and RIS lines inside is refused (exit 3)" "$rc" 3
check_contains "... naming both formats and --format" "$out" "cannot tell whether this is csv or ris"
check_contains "... and how to say which" "$out" "--format csv or --format ris"
check_contains "with --format csv the CSV reader takes it (and names the columns it lacks)" \
	"$("$QES" import "$D" "$TMP/unknown.csv" --source U --format csv 2>&1)" "no known column names"

if [ -f "$SHARED/spec/refi-qda/samples/nvivo_mac15_project.qdpx" ]; then
	out=$("$QES" import "$D" "$SHARED/spec/refi-qda/samples/nvivo_mac15_project.qdpx" 2>&1)
	check_contains "qes import of a .qdpx points to qes qdpx import" "$out" "qes qdpx import"
else
	skip "no REFI-QDA sample in ../shared/spec/refi-qda/samples"
fi

# --- --skip-bad resynchronises after a stray quote -------------------------------
printf 'title,abstract,year\nGood one,abc,2020\nBad,"unclosed abstract, with a comma,2021\nNext good,"xyz, quoted",2019\nLast,def,2018\n' > "$TMP/stray.csv"
"$QES" init "$TMP/s.qes" >/dev/null
out=$("$QES" import "$TMP/s.qes" "$TMP/stray.csv" --source S --skip-bad --json 2>"$TMP/stray.err")
check_eq "--skip-bad keeps the good row after a stray quote" "$(echo "$out" | json_get imports.0.records)" 3
check_eq "... and counts the one bad record" "$(echo "$out" | json_get imports.0.skipped)" 1
check_contains "... blaming the quote, not a comma" "$(cat "$TMP/stray.err")" "quoted value opened on line 3 is not closed on its line"
check_eq "... the good row is there" \
	"$("$QES" records "$TMP/s.qes" --json | python3 -c 'import json,sys; print(",".join(r["title"] for r in json.load(sys.stdin)))')" \
	"Good one,Next good,Last"

# --- Bad values are told -----------------------------------------------------------
printf 'TY  - JOUR\nID  - 12\nstray line\nTI  - A title\nthat wraps\nPY  - 20x4\nER  - \n' > "$TMP/w.ris"
out=$("$QES" import "$D" "$TMP/w.ris" --source W 2>&1)
check_contains "a stray untagged line after ID is warned about" "$out" "w.ris:3: a line without a tag follows ID"
check_contains "PY 20x4 is warned about" "$out" "w.ris:6: PY '20x4' holds no year"

# --- Every malformed record is listed, warnings after the summary and in --json ----
printf 'title,year\na,2001\nb,2002,x\nc,2003\nd,2004,y,z\ne,2005\n' > "$TMP/multi.csv"
out=$("$QES" import "$D" "$TMP/multi.csv" --source M 2>&1); rc=$?
check_eq "a file with two malformed rows fails (exit 3)" "$rc" 3
check_contains "... naming the first" "$out" "qes import: $TMP/multi.csv:3: this row has 3 columns"
check_contains "... listing the second" "$out" "error: $TMP/multi.csv:5: this row has 4 columns"
check_contains "... and saying how many" "$out" "(and 1 more malformed record, listed above; nothing was imported"
out=$("$QES" import "$D" "$TMP/w.ris" --source W2 --allow-same-file --json 2>/dev/null)
check_eq "--json lists the warnings" "$(echo "$out" | json_get warnings.1.message)" "PY '20x4' holds no year (four digits); the record has no year"
check_eq "... with their lines" "$(echo "$out" | json_get warnings.0.line)" 3
out=$("$QES" import "$D" "$TMP/multi.csv" --source M --skip-bad 2>&1 >/dev/null)
check_eq "skipped records are listed after the summary, one line each" "$(echo "$out" | grep -c '^skipped: ')" 2

# --- One Unicode normalisation (NFC) for every format -----------------------------
# "Café" with e + U+0301 (decomposed) in RIS and CSV; BibTeX writes {\'e}.
N="$TMP/n.qes"
"$QES" init "$N" >/dev/null
printf 'TY  - JOUR\nTI  - Cafe\xcc\x81 society\nAU  - Rene\xcc\x81, A\nER  - \n' > "$TMP/nfd.ris"
printf 'title,authors,year\nCafe\xcc\x81 society,"Rene\xcc\x81, A",2020\n' > "$TMP/nfd.csv"
printf '@article{k, title = {Caf{\\'"'"'e} society}, author = {Ren{\\'"'"'e}, A}}\n' > "$TMP/acc.bib"
"$QES" import "$N" "$TMP/nfd.ris" --source R >/dev/null 2>&1
"$QES" import "$N" "$TMP/nfd.csv" --source C >/dev/null 2>&1
"$QES" import "$N" "$TMP/acc.bib" --source B >/dev/null 2>&1
python3 - "$N" <<'PY' >"$TMP/nfc.out"
import sqlite3, sys, unicodedata
rows = sqlite3.connect(sys.argv[1]).execute("SELECT title, authors, raw FROM records ORDER BY id").fetchall()
print(len(rows), len({r[0] for r in rows}), len({r[1] for r in rows}),
      all(unicodedata.is_normalized("NFC", r[0]) for r in rows),
      "e\u0301" in rows[0][2], "e\u0301" in rows[1][2])
PY
check_eq "RIS, CSV and BibTeX give one title and one author, all NFC; the raw text keeps what the files had" \
	"$(cat "$TMP/nfc.out")" "3 1 1 True True True"

# --- A record count far from the file's apparent rows is reported -------------------
{ printf 'title,abstract\nOne,"starts here\n'; for i in $(seq 150); do echo "line $i of a value"; done; printf 'ends",\nTwo,b\n'; } > "$TMP/tall.csv"
out=$("$QES" import "$D" "$TMP/tall.csv" --source Tall 2>&1)
check_contains "2 records from 154 lines are reported" "$out" "only 2 records from 154 lines"

# --- A full disk is said as such (a small tmpfs in a private mount namespace) -------
FULL="$TMP/full"
mkdir "$FULL"
python3 -c "
import sys
with open(sys.argv[1], 'w') as f:
    for i in range(3000):
        f.write(f'TY  - JOUR\nID  - k{i}\nTI  - Title {i} ' + 'x' * 300 + '\nER  - \n\n')
" "$TMP/big.ris"
if unshare -m true 2>/dev/null && unshare -m sh -c "mount -t tmpfs -o size=10m tmpfs '$FULL'" 2>/dev/null; then
	out=$(unshare -m sh -c "mount -t tmpfs -o size=10m tmpfs '$FULL' && cd '$FULL' &&
		'$QES' init r.qes >/dev/null && head -c \$(( \$(df -k --output=avail . | tail -1) * 1024 - 65536 )) /dev/zero > fill;
		'$QES' import r.qes '$TMP/big.ris' --source B; echo \"rc=\$?\"; rm -f fill;
		'$QES' status r.qes --json | grep -c '\"records\": 0'" 2>&1)
	check_contains "an import on a full disk says the disk is full" "$out" "the disk is full"
	check_contains "... exits 1" "$out" "rc=1"
	check_contains "... and the review is intact and empty afterwards" "$out" $'\n1'
else
	skip "cannot mount a small tmpfs here (needs unshare -m and mount)"
fi

# --- A file bind-mounted under another name, in use there, is refused ---------------
# (A bind-mounted folder shares the journal files, so it is safe; a bind-mounted
# file puts its journal beside another name.)
B="$TMP/bind"
mkdir -p "$B/a" "$B/c"
cp "$R" "$B/a/r.qes"
: > "$B/c/r.qes"
if unshare -m sh -c "mount --bind '$B/a/r.qes' '$B/c/r.qes'" 2>/dev/null; then
	out=$(unshare -m sh -c "mount --bind '$B/a/r.qes' '$B/c/r.qes' && python3 - '$B' '$QES'" <<'PY' 2>&1
import sqlite3, subprocess, sys
b, qes = sys.argv[1], sys.argv[2]
db = sqlite3.connect(b + "/a/r.qes")
db.execute("SELECT count(*) FROM records").fetchone()
r = subprocess.run([qes, "status", b + "/c/r.qes"], capture_output=True, text=True)
print("other", r.returncode, r.stderr.strip())
r = subprocess.run([qes, "status", b + "/a/r.qes"], capture_output=True, text=True)
print("same", r.returncode)
PY
)
	check_contains "a review in use under another name (a bind-mounted file) is refused (exit 5)" "$out" "other 5"
	check_contains "... saying which process has it open" "$out" "is open in process"
	check_contains "... while the name that process uses opens" "$out" "same 0"
else
	skip "cannot bind-mount here (needs unshare -m and mount)"
fi
