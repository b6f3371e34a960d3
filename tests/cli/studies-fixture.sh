# studies-fixture.sh: a small review of 12 included studies (13 reports) for
# t60 and t61, sourced after lib.sh. make_review PATH creates it.
# The records come from tests/data/studies.ris. While a branch has no RIS
# parser yet (placeholder parsers), the same records are written with
# python's sqlite3 into the tables qes init created, so the study tests do
# not depend on the import module; the fallback says so on stdout.
FIXTURE_RIS="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/data/studies.ris"

make_review() {
	local r=$1
	"$QES" init "$r" --title "Study fixture" >/dev/null || return 1
	if "$QES" import "$r" "$FIXTURE_RIS" --source Fixture >/dev/null 2>&1; then
		return 0
	fi
	echo "# RIS import unavailable in this build: records written directly"
	python3 - "$r" "$FIXTURE_RIS" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
recs, cur = [], {}
for n, line in enumerate(open(sys.argv[2], encoding="utf-8"), 1):
    line = line.rstrip("\n")
    if line.startswith("TY  - "): cur = {"line": n, "raw": ""}
    if len(line) > 6: cur.setdefault(line[:2], line[6:])
    cur["raw"] += line + "\n"
    if line.startswith("ER  -"): recs.append(cur)
db.execute("INSERT INTO sources(name) VALUES ('Fixture')")
db.execute("INSERT INTO imports(source_id, file_name, file_sha256, file_bytes, format, encoding, records)"
           " VALUES (1, 'studies.ris', 'x', 0, 'ris', 'UTF-8', ?)", (len(recs),))
for i, r in enumerate(recs, 1):
    db.execute("INSERT INTO records(import_id, source_key, ordinal, line, type, title, authors, year, journal, raw)"
               " VALUES (1, ?, ?, ?, 'article', ?, ?, ?, ?, ?)",
               (r["ID"], i, r["line"], r["TI"], r["AU"], int(r["PY"]), r["JO"], r["raw"]))
db.commit()
PY
}
