#!/usr/bin/env bash
# t43: a report retrieved without its file (a team moving in from another
# tool holds its PDFs elsewhere): qes fulltext retrieved KEY [--note], then
# full-text decisions, and PRISMA counts it as assessed. Also the migration
# that allows the new state keeps the full texts of an older review.
. "$(dirname "$0")/lib.sh"
cd "$TMP"
for k in 1 2 3 4; do
	printf 'TY  - JOUR\nID  - k%s\nTI  - Study number %s of parents and services\nPY  - 2020\nER  - \n\n' $k $k
done > four.ris
R=r.qes
"$QES" init $R >/dev/null
"$QES" import $R four.ris --source DB >/dev/null
"$QES" reviewer add $R AB >/dev/null
"$QES" criteria $R --reason "Wrong population" >/dev/null
for k in k1 k2 k3; do "$QES" decide $R --as AB --stage ta $k include >/dev/null; done
"$QES" decide $R --as AB --stage ta k4 exclude >/dev/null
mkpdf k2.pdf "Study number 2 full text"

check_fails "no full-text decision before the report is there" 5 "$QES" decide $R --as AB --stage ft k1 include
out=$("$QES" fulltext retrieved $R k1 --note "held in EndNote" --as AB)
check_eq "retrieved without a file" "$out" "k1: report retrieved (no file here: held in EndNote)"
check_contains "show says where it is" "$("$QES" fulltext show $R k1)" "retrieved, its file held elsewhere"
check "attach a PDF to another" "$QES" fulltext attach $R k2 k2.pdf --as AB
check_fails "retrieved never drops an attached PDF" 5 "$QES" fulltext retrieved $R k2
check "mark one not retrieved" "$QES" fulltext missing $R k3 --note "No library holds it"
check_fails "a record not sought cannot be retrieved" 5 "$QES" fulltext retrieved $R k4
check "full-text decision on the retrieved report" "$QES" decide $R --as AB --stage ft k1 include
check "full-text decision on the attached report" "$QES" decide $R --as AB --stage ft k2 exclude --reason "Wrong population"
p=$("$QES" prisma $R --json)
got=$(python3 -c 'import json,sys; d=json.load(sys.stdin)
print(d["sought"], d["not_retrieved"], d["assessed"], d["studies_included"], d["complete"])' <<<"$p")
check_eq "PRISMA: sought 3, not retrieved 1, assessed 2 (the retrieved one counts), 1 study" "$got" "3 1 2 1 True"
check_contains "the log has it" "$("$QES" log $R)" "retrieved"
prog=$("$QES" screen $R --stage ft --progress --json)
check_eq "progress counts it retrieved" "$(json_get retrieved <<<"$prog")" 2

# An older review (screen migrations 1 to 3 only): its full texts survive the
# migration that adds the new state.
if command -v sqlite3 >/dev/null; then
	O=old.qes
	cp $R $O
	sqlite3 $O "PRAGMA foreign_keys=OFF;
		CREATE TABLE f1(record_id INTEGER PRIMARY KEY REFERENCES records(id),
		  status TEXT NOT NULL CHECK (status IN ('attached','not_retrieved')), file_name TEXT,
		  sha256 TEXT, bytes INTEGER, pages INTEGER, pdf BLOB, text TEXT, note TEXT,
		  at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));
		INSERT INTO f1 SELECT * FROM fulltexts WHERE status <> 'retrieved';
		DROP TABLE fulltexts; ALTER TABLE f1 RENAME TO fulltexts;
		DELETE FROM schema_migrations WHERE module = 'screen' AND version = 4;"
	check "an older review opens (migrated)" "$QES" status $O
	check_contains "its PDF kept" "$("$QES" fulltext show $O k2)" "Study number 2"
	check_contains "its not-retrieved report kept" "$("$QES" fulltext show $O k3)" "not retrieved"
	check "and it takes the new state" "$QES" fulltext retrieved $O k1
else
	skip "sqlite3 is not installed (the migration check needs it)"
fi
