#!/usr/bin/env bash
# t08-backup: qes backup takes a consistent copy while the review is served
# and written, and qes restore puts it back whole or not at all.
# A writer decides record after record with `qes decide` (each decision one
# transaction, written down in acks after it returns) while qes serve has the
# review open and three backups are taken. Each backup must be whole
# (integrity_check), a plain file (no WAL), and one instant of the review:
# its decisions are exactly the first K acknowledged ones, and its audit log
# has exactly K decision entries. Restored, it gives the same database dump.
source "$(dirname "$0")/lib.sh"
if ! have_shared; then skip "no ../shared/data"; exit 0; fi
if ! command -v sqlite3 >/dev/null; then skip "sqlite3 is not installed"; exit 0; fi
cd "$TMP"
R=$TMP/r.qes
check "init" "$QES" init "$R"
check "import" "$QES" import "$R" "$SHARED/data/screening/Cohen_2006_Antihistamines.csv" --source MEDLINE
check "reviewer AB" "$QES" reviewer add "$R" AB
check "user for the server" sh -c "echo 'backup-password' | '$QES' user add '$R' owner --role owner --initials AB"
serve_start "$R" || exit 1
ok "qes serve has the review open"

mkdir b
: >acks
( for id in $(seq 1 310); do
	"$QES" decide "$R" --as AB --stage ta "#$id" include >/dev/null 2>&1 && echo "$id" >>acks
  done ) &
WRITER=$!
for k in 1 2 3; do
	# wait until the writer has moved on, then back up under its feet
	want=$((k * 25))
	for _ in $(seq 300); do [ "$(wc -l <acks)" -ge "$want" ] && break; sleep 0.05; done
	check "backup $k while the review is served and written" "$QES" backup "$R" -o b
done
kill "$WRITER" 2>/dev/null; wait "$WRITER" 2>/dev/null
check "the writer acknowledged decisions" test "$(wc -l <acks)" -ge 50
check_eq "three backups, named after the review with a UTC time" \
	"$(ls b | grep -cE '^r-[0-9]{8}T[0-9]{6}Z(-[0-9]+)?\.qes$')" 3
check_eq "nothing else in the backup folder (no temporary files)" "$(ls -A b | wc -l)" 3

last=
for f in b/*.qes; do
	check_eq "$f: integrity_check" "$(sqlite3 "$f" 'PRAGMA integrity_check')" ok
	check_eq "$f: a plain file (not WAL)" "$(sqlite3 "$f" 'PRAGMA journal_mode')" delete
	got=$(sqlite3 "$f" "SELECT r.id FROM screen_decisions d JOIN records r ON r.id=d.record_id ORDER BY d.seq" 2>&1)
	k=$(printf '%s\n' "$got" | grep -c .)
	check_eq "$f: its $k decisions are the first $k acknowledged, none missing" "$got" "$(head -n "$k" acks)"
	logged=$(sqlite3 "$f" "SELECT count(*) FROM screen_log WHERE action='decide'" 2>&1)
	check_eq "$f: its audit log holds the same $k decisions (one instant)" "$logged" "$k"
	last=$f
done
check "the backups grew with the writer" test "$(sqlite3 "$last" 'SELECT count(*) FROM screen_decisions')" -gt 25

# restore to a new name: the same database
check "restore to a new review" "$QES" restore "$last" "$TMP/back.qes"
check_eq "restored: same dump as the backup" "$(sqlite3 back.qes .dump | md5sum)" "$(sqlite3 "$last" .dump | md5sum)"
nopath() { "$QES" status "$1" --json 2>&1 | grep -v '"review":'; }
check_eq "restored: same qes status" "$(nopath back.qes)" "$(nopath "$last")"
"$QES" export back.qes -o e1.ris >/dev/null 2>&1; "$QES" export "$last" -o e2.ris >/dev/null 2>&1
check "restored: same RIS export" cmp e1.ris e2.ris

# restore over the live review: refused without --force, whole with it
before=$(sqlite3 "$R" 'SELECT count(*) FROM screen_decisions')
check_fails "restore over a live review without --force: exit 5" 5 "$QES" restore "$last" "$R"
check_eq "the live review is untouched" "$(sqlite3 "$R" 'SELECT count(*) FROM screen_decisions')" "$before"
check "restore --force over the served review" "$QES" restore "$last" "$R" --force
for t in screen_decisions screen_log records; do
	check_eq "after --force, $t is the backup's" "$(sqlite3 "$R" "SELECT * FROM $t" | md5sum)" "$(sqlite3 "$last" "SELECT * FROM $t" | md5sum)"
done
check_eq "the server still answers after the restore" "$(curl -s -o /dev/null -w '%{http_code}' "$U/healthz")" 200
check_eq "the review is whole" "$(sqlite3 "$R" 'PRAGMA integrity_check')" ok

# refusals: not a review, not a database, damaged; nothing is written
echo "not a database at all" >text.qes
check_fails "restore a text file: exit 3" 3 "$QES" restore text.qes x1.qes
sqlite3 other.db 'CREATE TABLE t(a); INSERT INTO t VALUES (1)'
check_fails "restore a SQLite file that is not a review: exit 3" 3 "$QES" restore other.db x2.qes
size=$(stat -c %s "$last")
head -c $((size / 2)) "$last" >half.qes
check_fails "restore a truncated backup: exit 3" 3 "$QES" restore half.qes x3.qes
cp "$last" bad.qes
python3 - bad.qes <<'PY'
import sys, random
f = open(sys.argv[1], "r+b"); data = bytearray(f.read())
random.seed(8)
page = 32768
# scribble over the middle of every page after the first: b-tree cells break
for off in range(page, len(data), page):
    for i in range(off + 200, min(off + page, len(data)), 97):
        data[i] = random.randrange(256)
f.seek(0); f.write(data); f.close()
PY
check_fails "restore a damaged backup: exit 3" 3 "$QES" restore bad.qes x4.qes
check_fails "restore --force of a damaged backup over the review: exit 3" 3 "$QES" restore bad.qes "$R" --force
check_eq "the review still holds the good restore" "$(sqlite3 "$R" 'SELECT count(*) FROM screen_decisions')" "$(sqlite3 "$last" 'SELECT count(*) FROM screen_decisions')"
check_eq "no half file left by the refused restores" "$(ls -A | grep -cE '^(x[0-9]|\.qes-restore)')" 0

# --dir: every .qes of a folder
mkdir revs out
check "a second review" "$QES" restore "$last" revs/one.qes
check "a third review" "$QES" restore "$last" revs/two.qes
echo "notes" >revs/readme.txt
out=$("$QES" backup --dir revs -o out --json 2>&1)
check_eq "--dir backs up each review" "$(printf '%s' "$out" | python3 -c 'import json,sys; print(sorted(x["review"].split("/")[-1] for x in json.load(sys.stdin)))')" "['one.qes', 'two.qes']"
check_eq "--dir: one backup per review" "$(ls out | sed 's/-[0-9]*T[0-9]*Z.*//' | sort | tr '\n' ' ')" "one two "
check_fails "backup without -o: usage" 2 "$QES" backup "$R"
check_fails "backup into a missing folder: exit 4" 4 "$QES" backup "$R" -o nowhere
check_fails "backup of a text file: exit 2 (not a review)" 2 "$QES" backup text.qes -o out

