#!/usr/bin/env bash
# t85: REFI-QDA exchange. A small synthesis written for this test (two
# results sections, a CRLF focus group with speaker turns, a code tree with
# colours and memos, two coders, quotations and interpretations, cases with
# attributes, notes) goes out as .qdpx, validates against Project.xsd, comes
# back into a fresh review identically, and goes out again the same. Then:
# the NVivo 15 sample, a vendor file with a BOM and CRLF line ends (offsets
# counted in the file's own text), a .qdc codebook, and bad input that must
# fail with the entry and line named and nothing written.
. "$(dirname "$0")/lib.sh"
SPEC="$SHARED/spec/refi-qda"
R="$TMP/r.qes"
"$QES" init "$R" >/dev/null

check "qes qdpx --help" "$QES" qdpx --help

cat > "$TMP/lindqvist.txt" <<'TXT'
Results
Parents described a constant fear that their children would be taken into care. Several mothers said they felt judged from the first visit.
Where social workers explained each step, parents reported that trust grew slowly.
TXT
printf 'Facilitator: What was the first contact like?\r\nMother (P1): I thought they had come to take him. I couldn\xe2\x80\x99t breathe.\r\nFather (P2): They never told us what the report said.\r\n' > "$TMP/fg1.txt"
printf 'Praktiker berichten \xc3\xbcber Vertrauen und Angst.\n' > "$TMP/de.txt"
"$QES" code source add "$R" "$TMP/lindqvist.txt" --name Lindqvist2019 >/dev/null
"$QES" code source add "$R" "$TMP/fg1.txt" --name FG1 --kind transcript >/dev/null
"$QES" code source add "$R" "$TMP/de.txt" --name Mueller2020 >/dev/null
"$QES" code add "$R" "Parent/Fear of removal" --colour '#c0392b' --memo "Anticipated loss of the child"
"$QES" code add "$R" "Parent/Feeling judged"
"$QES" code add "$R" "Practitioner/Trust through explanation" --colour '#2980b9'
"$QES" code case add "$R" P1 --attr perspective=parent --attr role=mother
"$QES" code case add "$R" P2 --attr perspective=parent --attr role=father
"$QES" code case link "$R" P1 FG1 --from 2 --to 2
"$QES" code case link "$R" P2 FG1 --from 3 --to 3
"$QES" code case link "$R" P1 Lindqvist2019
"$QES" code find "$R" --as ann Lindqvist2019 "constant fear that their children would be taken into care" "Parent/Fear of removal" --interpretation >/dev/null
"$QES" code find "$R" --as ann Lindqvist2019 "felt judged from the first visit" "Parent/Feeling judged" --memo "strong wording" >/dev/null
"$QES" code find "$R" --as bob Lindqvist2019 "felt judged" "Parent/Feeling judged" >/dev/null
"$QES" code find "$R" --as ann FG1 "I thought they had come to take him. I couldn’t breathe." "Parent/Fear of removal" --quote --illustrative >/dev/null
"$QES" code find "$R" --as bob FG1 "They never told us what the report said." "Practitioner/Trust through explanation" --quote >/dev/null
"$QES" code find "$R" --as ann Mueller2020 "über Vertrauen" "Practitioner/Trust through explanation" >/dev/null
"$QES" code note "$R" source FG1 "Recorded in a family centre" --as ann
"$QES" code note "$R" code "Parent/Feeling judged" "Often the first visit"

check "export to .qdpx" "$QES" qdpx export "$R" -o "$TMP/a.qdpx"
unzip -q -o "$TMP/a.qdpx" -d "$TMP/a"
check_eq "the archive holds project.qde and one .txt per source" \
	"$(cd "$TMP/a" && ls project.qde sources/*.txt | wc -l)" "4"
if [ -f "$SPEC/Project.xsd" ] && command -v xmllint >/dev/null; then
	out=$(xmllint --noout --schema "$SPEC/Project.xsd" "$TMP/a/project.qde" 2>&1)
	check_contains "the export validates against the spec's Project.xsd (xmllint)" "$out" "validates"
	# The embedded schemas are the spec's.
	python3 "$(dirname "$0")/../../scripts/gen-refi-xsd.py" "$SPEC" > "$TMP/xsd.c"
	check "lib/qdpx_xsd.c matches the spec's schemas" cmp -s "$TMP/xsd.c" "$(dirname "$0")/../../lib/qdpx_xsd.c"
else
	skip "no $SPEC/Project.xsd or xmllint: external schema check not run"
fi

# Each exported selection's offsets, applied to the exported .txt, give the
# coded text qes lists.
python3 - "$TMP/a" "$R" > "$TMP/sel.out" <<'PY'
import sys, os, sqlite3, xml.etree.ElementTree as ET
d, review = sys.argv[1], sys.argv[2]
ns = {"q": "urn:QDA-XML:project:1.0"}
root = ET.parse(os.path.join(d, "project.qde")).getroot()
db = sqlite3.connect(review)
bad = n = 0
for src in root.iter("{urn:QDA-XML:project:1.0}TextSource"):
    text = open(os.path.join(d, "sources", src.get("plainTextPath")[len("internal://"):]), encoding="utf-8").read()
    for sel in src.findall("q:PlainTextSelection", ns):
        for c in sel.findall("q:Coding", ns):
            n += 1
            got = text[int(sel.get("startPosition")):int(sel.get("endPosition"))]
            want = db.execute("SELECT substr(s.text, c.start + 1, c.end - c.start) FROM code_codings c JOIN code_sources s ON s.id = c.source_id WHERE c.guid = ?", (c.get("guid"),)).fetchone()[0]
            bad += got != want
print(n, bad)
PY
check_eq "every exported coding's offsets give its text in the exported .txt (6 codings, 0 wrong)" "$(cat "$TMP/sel.out")" "6 0"

R2="$TMP/r2.qes"
"$QES" init "$R2" >/dev/null
out=$("$QES" qdpx import "$R2" "$TMP/a.qdpx" 2>&1)
check_contains "import into a fresh review" "$out" "imported 3 sources, 5 codes, 6 codings, 2 cases, 4 notes"
for what in "code stats" "code list"; do
	a=$("$QES" $what "$R" --json | python3 -c 'import json,sys; d=json.load(sys.stdin)
if isinstance(d, list):
    for c in d: c.pop("id")
print(json.dumps(d, sort_keys=True))')
	b=$("$QES" $what "$R2" --json | python3 -c 'import json,sys; d=json.load(sys.stdin)
if isinstance(d, list):
    for c in d: c.pop("id")
print(json.dumps(d, sort_keys=True))')
	check_eq "qes $what --json is the same after export and import" "$b" "$a"
done
tables() { python3 - "$1" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for q in ["SELECT guid, name, kind, text, length, media_type FROM code_sources ORDER BY guid",
          "SELECT guid, path, colour, is_folder FROM code_codes ORDER BY guid",
          "SELECT c.guid, c.name, a.key, a.value FROM code_cases c LEFT JOIN code_case_attrs a ON a.case_id = c.id ORDER BY 1, 3",
          "SELECT c.guid, s.guid, l.line_from, l.line_to FROM code_case_sources l JOIN code_cases c ON c.id = l.case_id JOIN code_sources s ON s.id = l.source_id ORDER BY 1, 2, 3",
          "SELECT guid, target_type, text FROM code_notes ORDER BY guid",
          "SELECT guid, name FROM code_coders ORDER BY guid"]:
    for r in db.execute(q): print(r)
PY
}
check_eq "sources, codes, cases, case links, notes and coders are the same rows (GUIDs kept)" "$(tables "$R2")" "$(tables "$R")"
check "export again" "$QES" qdpx export "$R2" -o "$TMP/b.qdpx"
unzip -q -o "$TMP/b.qdpx" -d "$TMP/b"
strip() { sed -e 's/ creationDateTime="[^"]*"//' -e 's/ name="r2\?"//' "$1"; }
check_eq "the second export's project.qde is the first's (but for the project's name and date)" \
	"$(strip "$TMP/b/project.qde")" "$(strip "$TMP/a/project.qde")"
check "and its sources are byte for byte the same" diff -r "$TMP/a/sources" "$TMP/b/sources"
out=$("$QES" qdpx import "$R2" "$TMP/a.qdpx" 2>&1)
check_contains "importing the same project again adds nothing (GUIDs skipped)" "$out" "imported 0 sources, 0 codes, 0 codings, 0 cases, 0 notes, 0 sets, 0 users, 0 variables"
check_eq "and the stats are unchanged" "$("$QES" code stats "$R2" --json)" "$("$QES" code stats "$R" --json)"

# --- the NVivo 15 sample ------------------------------------------------------
NV="$SPEC/samples/nvivo_mac15_project.qdpx"
if [ -f "$NV" ]; then
	R3="$TMP/nv.qes"
	"$QES" init "$R3" >/dev/null
	out=$("$QES" qdpx import "$R3" "$NV" 2>&1)
	check "the NVivo 15 sample imports" test $? -eq 0
	mkdir -p "$TMP/nv" && unzip -q -o "$NV" -d "$TMP/nv"
	# What the sample holds, counted from its own XML.
	want=$(python3 - "$TMP/nv/project.qde" <<'PY'
import sys, xml.etree.ElementTree as ET
r = ET.parse(sys.argv[1]).getroot(); q = "{urn:QDA-XML:project:1.0}"
print(len(list(r.iter(q + "TextSource"))), len(list(r.iter(q + "Code"))), len(list(r.iter(q + "Coding"))), len(list(r.iter(q + "User"))))
PY
)
	got=$("$QES" code stats "$R3" --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["sources"], d["codes"] + d["folders"], d["codings"], d["coders"])')
	check_eq "sources, codes, codings and users as in the sample's XML" "$got" "$want"
	# Every coding on the right text: the sample's own .txt at the sample's
	# offsets against what qes lists (the sample has $(echo "$want" | cut -d' ' -f3) codings).
	bad=$(python3 - "$TMP/nv" "$R3" <<'PY'
import sys, os, sqlite3, xml.etree.ElementTree as ET
d, review = sys.argv[1], sys.argv[2]; q = "{urn:QDA-XML:project:1.0}"
db = sqlite3.connect(review); bad = 0
for src in ET.parse(os.path.join(d, "project.qde")).getroot().iter(q + "TextSource"):
    raw = open(os.path.join(d, "sources", src.get("plainTextPath")[11:]), encoding="utf-8-sig").read()
    for sel in src.iter(q + "PlainTextSelection"):
        for c in sel.iter(q + "Coding"):
            want = raw[int(sel.get("startPosition")):int(sel.get("endPosition"))].replace("\r\n", "\n").replace("\r", "\n")
            got = db.execute("SELECT substr(s.text, c.start + 1, c.end - c.start) FROM code_codings c JOIN code_sources s ON s.id = c.source_id WHERE c.guid = ?", (c.get("guid").strip("{}").lower(),)).fetchone()
            bad += got is None or got[0] != want
print(bad)
PY
)
	check_eq "every sample coding is on the text the sample's .txt has at its offsets" "$bad" "0"
	check "the sample's code tree is kept (rq1_definition/competencies/programming)" \
		"$QES" code list "$R3" --code "rq1_definition/competencies/programming"
	check "the NVivo import exports again and validates" "$QES" qdpx export "$R3" -o "$TMP/nv2.qdpx"
else
	skip "no $NV (../shared absent): NVivo sample not imported"
fi

# --- a vendor file with a BOM and CRLF line ends --------------------------------
# Offsets count code points of the file's text as stored (CR and LF each
# one); qes keeps LF text, so they must be mapped. Hand-checked selections.
python3 - "$TMP/crlf.qdpx" <<'PY'
import sys, zipfile
text = "Line one: caf\u00e9 society.\r\nLine two: they took him.\r\nLine three: trust grew.\r\n"
def sel(s, e, g, code):
    return (f'<PlainTextSelection guid="{g}" startPosition="{s}" endPosition="{e}">'
            f'<Coding guid="eeeeeeee{g[8:]}"><CodeRef targetGUID="{code}"/></Coding></PlainTextSelection>')
i = text.index("they took him"); j = text.index("trust grew")
C = "aaaaaaaa-0000-4000-8000-000000000001"
xml = ('<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="v" '
       'creatingUserGUID="bbbbbbbb-0000-4000-8000-000000000001">'
       '<Users><User guid="bbbbbbbb-0000-4000-8000-000000000001" name="vendor user"/></Users>'
       f'<CodeBook><Codes><Code guid="{C}" name="Removal / loss" isCodable="true" color="#a0b"/></Codes></CodeBook>'
       '<Sources><TextSource guid="{CCCCCCCC-0000-4000-8000-000000000001}" name="Interview 1" plainTextPath="internal://cccc.txt">'
       + sel(i, i + len("they took him"), "dddddddd-0000-4000-8000-000000000001", C)
       + sel(j, j + len("trust grew"), "dddddddd-0000-4000-8000-000000000002", C)
       + sel(text.index("caf"), text.index("caf") + 4, "dddddddd-0000-4000-8000-000000000003", C)
       + '</TextSource></Sources></Project>')
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("project.qde", xml)
    z.writestr("sources/cccc.txt", b"\xef\xbb\xbf" + text.encode())
PY
R4="$TMP/v.qes"
"$QES" init "$R4" >/dev/null
out=$("$QES" qdpx import "$R4" "$TMP/crlf.qdpx" 2>&1)
check_contains "a BOM is removed and reported" "$out" "byte-order mark removed"
check_contains "CRLF line ends are mapped and reported" "$out" "3 CRLF and 0 CR line ends made LF"
check_contains "a '/' in a code name is reported" "$out" "'/' in the name is kept as '∕'"
list=$("$QES" code list "$R4" --json)
check_eq "a selection in the first line (NFC text) is on 'café'" "$(echo "$list" | json_get 0.text)" "café"
check_eq "selection after one CRLF is on 'they took him'" "$(echo "$list" | json_get 1.text)" "they took him"
check_eq "selection after two CRLFs is on 'trust grew'" "$(echo "$list" | json_get 2.text)" "trust grew"
check_eq "its offsets are in the LF text (file 63-73, two CRLF before: 61-71)" "$(echo "$list" | json_get 2.start)-$(echo "$list" | json_get 2.end)" "61-71"
check_eq "braced upper-case GUIDs are kept, normalised" \
	"$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT guid FROM code_sources").fetchone()[0])' "$R4")" \
	"cccccccc-0000-4000-8000-000000000001"
check_eq "a three-digit colour becomes six" \
	"$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT colour FROM code_codes").fetchone()[0])' "$R4")" "#aa00bb"

# --- typed variables, sets, notes from another tool -----------------------------
python3 - "$TMP/typed.qdpx" <<'PY'
import sys, zipfile
G = lambda n: "%08x-0000-4000-8000-%012x" % (n, n)
text = "Interviewer: how was it?\nMother: frightening at first.\n"
s = text.index("frightening")
xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="typed" origin="other tool">
<Users><User guid="{G(1)}" name="Ann"/></Users>
<CodeBook><Codes><Code guid="{G(2)}" name="Fear" isCodable="true"><Description>Fear of removal</Description></Code>
<Code guid="{G(3)}" name="Folder" isCodable="false"><Code guid="{G(4)}" name="Inner" isCodable="true"/></Code></Codes></CodeBook>
<Variables><Variable guid="{G(10)}" name="age" typeOfVariable="Integer"/><Variable guid="{G(11)}" name="consented" typeOfVariable="Boolean"/>
<Variable guid="{G(12)}" name="interviewed" typeOfVariable="Date"/><Variable guid="{G(13)}" name="role" typeOfVariable="Text"/></Variables>
<Cases><Case guid="{G(20)}" name="M1"><Description>First mother</Description>
<VariableValue><VariableRef targetGUID="{G(10)}"/><IntegerValue>34</IntegerValue></VariableValue>
<VariableValue><VariableRef targetGUID="{G(11)}"/><BooleanValue>true</BooleanValue></VariableValue>
<VariableValue><VariableRef targetGUID="{G(12)}"/><DateValue>2019-03-02</DateValue></VariableValue>
<VariableValue><VariableRef targetGUID="{G(13)}"/><TextValue>mother</TextValue></VariableValue>
<SourceRef targetGUID="{G(30)}"/><SelectionRef targetGUID="{G(32)}"/></Case></Cases>
<Sources><TextSource guid="{G(30)}" name="Int 1" creatingUser="{G(1)}"><PlainTextContent>{text}</PlainTextContent>
<PlainTextSelection guid="{G(31)}" startPosition="{s}" endPosition="{s + 11}" creatingUser="{G(1)}">
<Coding guid="{G(33)}"><CodeRef targetGUID="{G(2)}"/></Coding><Coding guid="{G(34)}"><CodeRef targetGUID="{G(4)}"/></Coding>
<NoteRef targetGUID="{G(41)}"/></PlainTextSelection>
<PlainTextSelection guid="{G(32)}" startPosition="{text.index('Mother')}" endPosition="{len(text)}"/>
</TextSource></Sources>
<Notes><Note guid="{G(40)}" name="Project memo" creatingUser="{G(1)}"><PlainTextContent>Overall impression</PlainTextContent></Note>
<Note guid="{G(41)}" name="On the selection"><PlainTextContent>Said quietly</PlainTextContent></Note></Notes>
<Sets><Set guid="{G(50)}" name="Emotions"><MemberCode targetGUID="{G(2)}"/><MemberSource targetGUID="{G(30)}"/></Set></Sets>
<NoteRef targetGUID="{G(40)}"/>
</Project>"""
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("project.qde", xml)
PY
R7="$TMP/typed.qes"
"$QES" init "$R7" >/dev/null
out=$("$QES" qdpx import "$R7" "$TMP/typed.qdpx" 2>&1)
check_contains "another tool's project with cases, typed variables, a set and notes imports" "$out" \
	"imported 1 sources, 3 codes, 2 codings, 1 cases, 4 notes, 1 sets, 1 users, 4 variables"
q() { python3 -c 'import sqlite3,sys; print("|".join(str(r) for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2])))' "$R7" "$1"; }
check_eq "one selection with two codings: two codings on 'frightening'" \
	"$(q "SELECT count(*) FROM code_codings c JOIN code_sources s ON s.id = c.source_id WHERE substr(s.text, c.start + 1, c.end - c.start) = 'frightening' AND c.selection_guid = '0000001f-0000-4000-8000-00000000001f'")" "(2,)"
check_eq "typed case values, as text by their variable's name" \
	"$(q "SELECT key, value FROM code_case_attrs ORDER BY key")" "('age', '34')|('consented', 'true')|('interviewed', '2019-03-02')|('role', 'mother')"
check_eq "variables keep their types" "$(q "SELECT name, type FROM code_variables ORDER BY name")" \
	"('age', 'Integer')|('consented', 'Boolean')|('interviewed', 'Date')|('role', 'Text')"
check_eq "the case is linked to the source and to the lines its bare selection covers" \
	"$(q "SELECT line_from, line_to FROM code_case_sources ORDER BY line_from")" "(0, 0)|(2, 2)"
check_eq "notes land on the project, the selection's first coding, the code and the case" \
	"$(q "SELECT target_type, text FROM code_notes ORDER BY id")" \
	"('project', 'Overall impression')|('coding', 'Said quietly')|('code', 'Fear of removal')|('case', 'First mother')"
check_eq "a non-codable code is a folder" "$(q "SELECT path, is_folder FROM code_codes WHERE name = 'Folder'")" "('Folder', 1)"
check_eq "the set keeps its code and source" "$(q "SELECT kind FROM code_set_members ORDER BY kind")" "('code',)|('source',)"
check "it exports again" "$QES" qdpx export "$R7" -o "$TMP/typed2.qdpx"
unzip -q -o "$TMP/typed2.qdpx" -d "$TMP/typed2"
qde=$(cat "$TMP/typed2/project.qde")
check_contains "with typed values" "$qde" "<IntegerValue>34</IntegerValue>"
check_contains "with the two codings in one selection" "$qde" '<PlainTextSelection guid="0000001f-0000-4000-8000-00000000001f"'
check_contains "with the set" "$qde" '<Set guid="00000032-0000-4000-8000-000000000032" name="Emotions">'
check_contains "with the project note" "$qde" '<NoteRef targetGUID="00000028-0000-4000-8000-000000000028"/>'
if [ -f "$SPEC/Project.xsd" ] && command -v xmllint >/dev/null; then
	check_contains "and validates (xmllint)" "$(xmllint --noout --schema "$SPEC/Project.xsd" "$TMP/typed2/project.qde" 2>&1)" "validates"
fi

# --- codebooks --------------------------------------------------------------------
check "export the codebook" "$QES" qdpx export-codebook "$R" -o "$TMP/c.qdc"
if [ -f "$SPEC/Codebook.xsd" ] && command -v xmllint >/dev/null; then
	check_contains "the codebook validates against Codebook.xsd" \
		"$(xmllint --noout --schema "$SPEC/Codebook.xsd" "$TMP/c.qdc" 2>&1)" "validates"
fi
R5="$TMP/c.qes"
"$QES" init "$R5" >/dev/null
check_contains "import the codebook into a fresh review" "$("$QES" qdpx import-codebook "$R5" "$TMP/c.qdc" 2>&1)" "5 codes"
check_eq "the same code tree and colours" \
	"$(sqlite3 "$R5" 'SELECT guid, path, colour FROM code_codes ORDER BY guid' 2>/dev/null || python3 -c 'import sqlite3,sys; [print(r) for r in sqlite3.connect(sys.argv[1]).execute("SELECT guid, path, colour FROM code_codes ORDER BY guid")]' "$R5")" \
	"$(sqlite3 "$R" 'SELECT guid, path, colour FROM code_codes ORDER BY guid' 2>/dev/null || python3 -c 'import sqlite3,sys; [print(r) for r in sqlite3.connect(sys.argv[1]).execute("SELECT guid, path, colour FROM code_codes ORDER BY guid")]' "$R")"
"$QES" init "$TMP/empty.qes" >/dev/null
out=$("$QES" qdpx export-codebook "$TMP/empty.qes" -o "$TMP/x.qdc" 2>&1); rc=$?
check_eq "a review without codes has no codebook to export (exit 4)" "$rc" "4"
check_contains "and says so" "$out" "no codes to export"
check "and writes no file" test ! -e "$TMP/x.qdc"

# --- bad input: clear errors, exit 3, nothing written -----------------------------
R6="$TMP/bad.qes"
"$QES" init "$R6" >/dev/null
before=$("$QES" code stats "$R6" --json)
echo "not a zip" > "$TMP/notzip.qdpx"
out=$("$QES" qdpx import "$R6" "$TMP/notzip.qdpx" 2>&1); rc=$?
check_eq "not a zip: exit 3" "$rc" "3"
check_contains "not a zip: says so" "$out" "not a zip"
python3 -c 'import zipfile,sys; zipfile.ZipFile(sys.argv[1], "w").writestr("other.txt", "x")' "$TMP/noqde.qdpx"
out=$("$QES" qdpx import "$R6" "$TMP/noqde.qdpx" 2>&1); rc=$?
check_eq "no project.qde: exit 3" "$rc" "3"
check_contains "no project.qde: names the entry" "$out" "no project.qde in the archive"
python3 -c 'import zipfile,sys; zipfile.ZipFile(sys.argv[1], "w").writestr("project.qde", "<?xml version=\"1.0\"?>\n<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"x\">\n<Users>\n</Project>\n")' "$TMP/badxml.qdpx"
out=$("$QES" qdpx import "$R6" "$TMP/badxml.qdpx" 2>&1); rc=$?
check_eq "invalid XML: exit 3" "$rc" "3"
check_contains "invalid XML: names the entry and line 4" "$out" "badxml.qdpx:project.qde:4"
python3 -c 'import zipfile,sys; zipfile.ZipFile(sys.argv[1], "w").writestr("project.qde", "<?xml version=\"1.0\"?>\n<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"x\">\n<Sources><TextSource/></Sources>\n</Project>\n")' "$TMP/invalid.qdpx"
out=$("$QES" qdpx import "$R6" "$TMP/invalid.qdpx" 2>&1); rc=$?
check_eq "schema-invalid XML: exit 3" "$rc" "3"
check_contains "schema-invalid XML: names Project.xsd and line 3" "$out" "project.qde:3: does not validate against Project.xsd"
python3 - "$TMP/crlf.qdpx" "$TMP/beyond.qdpx" <<'PY'
import sys, zipfile
src = zipfile.ZipFile(sys.argv[1])
xml = src.read("project.qde").decode().replace('startPosition="63" endPosition="73"', 'startPosition="63" endPosition="560"')
assert 'endPosition="560"' in xml
xml = xml.replace("<Sources>", "\n<Sources>\n")
with zipfile.ZipFile(sys.argv[2], "w") as z:
    z.writestr("project.qde", xml)
    z.writestr("sources/cccc.txt", src.read("sources/cccc.txt"))
PY
out=$("$QES" qdpx import "$R6" "$TMP/beyond.qdpx" 2>&1); rc=$?
check_eq "a coding beyond the source's end: exit 3" "$rc" "3"
check_contains "a coding beyond the source's end: names entry, line and source" "$out" "project.qde:3: selection dddddddd-0000-4000-8000-000000000002 [63, 560) is beyond the end of source 'Interview 1' (sources/cccc.txt has"
python3 - "$TMP/crlf.qdpx" "$TMP/escape.qdpx" <<'PY'
import sys, zipfile
src = zipfile.ZipFile(sys.argv[1])
with zipfile.ZipFile(sys.argv[2], "w") as z:
    z.writestr("project.qde", src.read("project.qde").decode().replace("internal://cccc.txt", "internal://../../etc/passwd"))
PY
out=$("$QES" qdpx import "$R6" "$TMP/escape.qdpx" 2>&1); rc=$?
check_eq "a path leaving sources/: exit 3" "$rc" "3"
check_contains "a path leaving sources/: refused" "$out" "is not a file of the project's sources/"
check_eq "after all the bad input, nothing was written" "$("$QES" code stats "$R6" --json)" "$before"
check_fails "--dry-run checks without writing" 0 "$QES" qdpx import "$R6" "$TMP/crlf.qdpx" --dry-run
check_eq "and wrote nothing" "$("$QES" code stats "$R6" --json)" "$before"
check_fails "export to a directory that does not exist fails (exit 1)" 1 "$QES" qdpx export "$R" -o "$TMP/nodir/x.qdpx"
