#!/usr/bin/env bash
# t80: a scripted thematic synthesis. Two short results sections (one
# pasted .txt, one .docx built here), a focus-group transcript in
# Windows-1252 with CRLF line ends and speaker turns, and a PDF page; a code
# tree, cases with attributes, two coders coding independently on a blinded
# sample, agreement checked against a hand computation and against an
# independent per-character recount, and stats. All texts are written for
# this test.
. "$(dirname "$0")/lib.sh"
R="$TMP/r.qes"
"$QES" init "$R" >/dev/null

check "qes code --help" "$QES" code --help

cat > "$TMP/lindqvist.txt" <<'TXT'
Results
Parents described a constant fear that their children would be taken into care. Several mothers said they felt judged from the first visit. One father explained: "I stopped answering the door, because every knock could be the knock."
Where social workers explained each step, parents reported that trust grew slowly.
TXT
check "a pasted results section is a source" "$QES" code source add "$R" "$TMP/lindqvist.txt" --name Lindqvist2019
check_fails "the same name twice is exit 5" 5 "$QES" code source add "$R" "$TMP/lindqvist.txt" --name Lindqvist2019
check_fails "an unknown study is exit 4" 4 "$QES" code source add "$R" "$TMP/lindqvist.txt" --name X --study NOPE

# A .docx: [Content_Types].xml and word/document.xml, three paragraphs,
# one split over two runs, with a tab.
python3 - "$TMP/okafor.docx" <<'PY'
import sys, zipfile
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
body = ('<w:p><w:r><w:t>Findings</w:t></w:r></w:p>'
        '<w:p><w:r><w:t xml:space="preserve">Practitioners felt caught between </w:t></w:r>'
        '<w:r><w:t>protecting children and supporting families.</w:t></w:r></w:p>'
        '<w:p><w:r><w:t>Team leader:</w:t><w:tab/><w:t>\u201cWe are the ones who have to say no.\u201d</w:t></w:r></w:p>')
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
               '<Default Extension="xml" ContentType="application/xml"/>'
               '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
    z.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{body}</w:body></w:document>')
PY
check "a .docx results section is a source" "$QES" code source add "$R" "$TMP/okafor.docx" --name Okafor2021

# The focus group: Windows-1252 (curly quotes 0x92), CRLF line ends.
printf 'Facilitator: What was the first contact like?\r\nMother (P1): I thought they had come to take him. I couldn\x92t breathe.\r\nFather (P2): They never told us what the report said.\r\nMother (P1): Later the worker sat with us and listened.\r\n' > "$TMP/fg1.txt"
check "a Windows-1252 CRLF transcript is a source" "$QES" code source add "$R" "$TMP/fg1.txt" --name FG1 --kind transcript
check_fails "a bad --kind is a usage error (exit 2)" 2 "$QES" code source add "$R" "$TMP/fg1.txt" --name FGx --kind diary

mkpdf "$TMP/memo.pdf" "Reviewer memo: fear and trust pull in opposite directions."
check "a PDF page is a source" "$QES" code source add "$R" "$TMP/memo.pdf" --name Memo1 --kind memo --pages 1-1
pdftext=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT text FROM code_sources WHERE name = ?", ("Memo1",)).fetchone()[0].strip())' "$R")
check_eq "the PDF page's text is the source" "$pdftext" "Reviewer memo: fear and trust pull in opposite directions."
check_fails "pages beyond the PDF are refused (exit 2)" 2 "$QES" code source add "$R" "$TMP/memo.pdf" --name Memo2 --pages 2-3

# Codes and cases.
check "a code with colour and memo" "$QES" code add "$R" "Parent/Fear of removal" --colour '#c0392b' --memo "Anticipated loss of the child"
check "a sibling under the same folder" "$QES" code add "$R" "Parent/Feeling judged"
check "a second tree" "$QES" code add "$R" "Practitioner/Trust through explanation"
check "a practitioner dilemma code" "$QES" code add "$R" "Practitioner/Dual role"
check_fails "the same code twice is exit 5" 5 "$QES" code add "$R" "Parent/Feeling judged"
check_fails "a bad colour is exit 2" 2 "$QES" code add "$R" "Other" --colour red
check "a case with typed attributes" "$QES" code case add "$R" P1 --attr type=participant --attr perspective=parent --attr role=mother
check "a second case" "$QES" code case add "$R" P2 --attr type=participant --attr perspective=parent --attr role=father
check "P1's turns in the focus group" "$QES" code case link "$R" P1 FG1 --from 2 --to 2
check "P2's turn" "$QES" code case link "$R" P2 FG1 --from 3 --to 3
check_fails "a turn past the transcript's end is refused (exit 2)" 2 "$QES" code case link "$R" P1 FG1 --from 4 --to 9

# The double-coding sample: every source (fraction 1), so all are blinded.
check_fails "sample: a seed that is not a whole number is refused (not read as 0)" 2 \
	"$QES" code sample "$R" --fraction 1 --seed abc
check_fails "sample: a fraction that is not a number is refused" 2 \
	"$QES" code sample "$R" --fraction ten --seed 42
out=$("$QES" code sample "$R" --fraction 1 --seed 42)
check_contains "all four sources drawn" "$out" "4 sources drawn"

# Coder ann.
code() { "$QES" code find "$R" --as "$@" >/dev/null || not_ok "code find $*"; }
code ann Lindqvist2019 "a constant fear that their children would be taken into care" "Parent/Fear of removal"
code ann Lindqvist2019 "felt judged from the first visit" "Parent/Feeling judged"
code ann Lindqvist2019 "every knock could be the knock" "Parent/Fear of removal"
code ann Lindqvist2019 "Where social workers explained each step, parents reported that trust grew slowly." "Practitioner/Trust through explanation"
code ann FG1 "I thought they had come to take him. I couldn’t breathe." "Parent/Fear of removal"
code ann FG1 "the worker sat with us and listened" "Practitioner/Trust through explanation"
code ann Okafor2021 "caught between protecting children and supporting families" "Practitioner/Dual role"
# Coder bob, independently: overlapping but different spans.
code bob Lindqvist2019 "fear that their children would be taken into care" "Parent/Fear of removal"
code bob Lindqvist2019 "judged from the first visit" "Parent/Feeling judged"
code bob Lindqvist2019 "I stopped answering the door, because every knock could be the knock." "Parent/Fear of removal"
code bob FG1 "I thought they had come to take him." "Parent/Fear of removal"
code bob FG1 "They never told us what the report said." "Parent/Feeling judged"
code bob Okafor2021 "We are the ones who have to say no." "Practitioner/Dual role"
check "a span by offsets, marked quote and illustrative, with a memo" \
	"$QES" code span "$R" --as ann FG1 59 95 "Parent/Fear of removal" --quote --illustrative --memo "P1, strongest statement"
check_fails "quote and interpretation together are refused (exit 2)" 2 \
	"$QES" code span "$R" --as ann FG1 0 5 "Parent/Fear of removal" --quote --interpretation
check_fails "an unknown code is exit 4" 4 "$QES" code span "$R" --as ann FG1 0 5 "Nope"
check_fails "text not in the source is exit 4" 4 "$QES" code find "$R" --as ann FG1 "not there" "Parent/Fear of removal"

# The transcript's text: decoded from Windows-1252, CRLF gone, offsets in code points.
span=$("$QES" code list "$R" --source FG1 --json | python3 -c '
import json,sys
for c in json.load(sys.stdin):
    if c["kind"] == "quote": print(c["start"], c["end"], c["text"], c["illustrative"], c["memo"])')
check_eq "the offset span is the quotation, curly apostrophe decoded" "$span" "59 95 I thought they had come to take him. True P1, strongest statement"
docx=$("$QES" code list "$R" --source Okafor2021 --json | python3 -c '
import json,sys; print("|".join(c["text"] for c in json.load(sys.stdin)))')
check_eq "the .docx runs join, paragraphs split" "$docx" "caught between protecting children and supporting families|We are the ones who have to say no."

# Blinding: before both are done, each coder sees only their own spans.
na=$("$QES" code list "$R" --as ann --json | python3 -c 'import json,sys; l=json.load(sys.stdin); print(len(l), {c["coder"] for c in l})')
check_eq "ann sees only her 8 codings" "$na" "8 {'ann'}"
check "ann marks FG1 done" "$QES" code done "$R" --as ann FG1
nb=$("$QES" code list "$R" --as ann --source FG1 --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
check_eq "one coder done is not enough" "$nb" 3
check "bob marks FG1 done" "$QES" code done "$R" --as bob FG1
nb=$("$QES" code list "$R" --as ann --source FG1 --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
check_eq "after both, ann sees bob's FG1 codings too" "$nb" 5
nf=$("$QES" code list "$R" --code Parent --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
check_eq "--code Parent takes the folder's codes (5 each)" "$nf" 10

# Agreement. Hand computation on Okafor2021, code Practitioner/Dual role,
# coded text only: ann's span is 58 characters, bob's 35, no overlap, so
# 93 characters: both 0, ann only 58, bob only 35, neither 0. po = 0;
# ann codes 58/93, bob 35/93: pe = (58*35 + 35*58)/93^2 = 4060/8649;
# kappa = (0 - 4060/8649) / (1 - 4060/8649) = -4060/4589.
ag=$("$QES" code agreement "$R" --a ann --b bob --coded-only --json)
row=$(echo "$ag" | python3 -c '
import json,sys
for r in json.load(sys.stdin)["rows"]:
    if r["source"] == "Okafor2021": print(r["chars"], r["both"], r["a_only"], r["b_only"], r["agreement"], round(r["kappa"], 9))')
check_eq "Okafor2021 dual role, by hand" "$row" "93 0 58 35 0.0 $(python3 -c 'print(round(-4060/4589, 9))')"

# Every row and the pool against an independent recount from the spans
# and source lengths (characters as sets, kappa from the 2 x 2 formula).
for flag in "" --coded-only; do
	ag=$("$QES" code agreement "$R" --a ann --b bob $flag --json)
	lst=$("$QES" code list "$R" --json)
	stats=$("$QES" code stats "$R" --json)
	res=$(python3 - "$ag" "$lst" "$flag" "$R" <<'PY'
import json, sys, sqlite3
ag, lst, coded_only = json.loads(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3] == "--coded-only"
db = sqlite3.connect(sys.argv[4])
length = dict(db.execute("SELECT name, length FROM code_sources"))
def cover(src, who, code=None):
    return {i for c in lst if c["source"] == src and c["coder"] == who and (code is None or c["code"] == code)
            for i in range(c["start"], c["end"])}
def kappa(t):
    n = sum(t); po = (t[0] + t[3]) / n
    pa, pb = (t[2] + t[3]) / n, (t[1] + t[3]) / n
    pe = pa * pb + (1 - pa) * (1 - pb)
    # A coder who used one category only (never, or always, the code):
    # kappa would be 0 whatever the agreement, so it is not estimable.
    if pa in (0, 1) or pb in (0, 1): return po, None
    return po, (po - pe) / (1 - pe)
def kdiff(got, want):
    return (got is None) != (want is None) or (want is not None and abs(got - want) > 1e-9)
pool = [0, 0, 0, 0]; bad = []
for r in ag["rows"]:
    s, c = r["source"], r["code"]
    A, B = cover(s, "ann", c), cover(s, "bob", c)
    chars = set(range(length[s]))
    if coded_only: chars = cover(s, "ann") | cover(s, "bob")
    t = [len(chars - A - B), len((B - A) & chars), len((A - B) & chars), len(A & B & chars)]
    pool = [p + x for p, x in zip(pool, t)]
    po, k = kappa(t)
    if [r["neither"], r["b_only"], r["a_only"], r["both"]] != t or abs(r["agreement"] - 100 * po) > 1e-9 or kdiff(r["kappa"], k):
        bad.append((s, c, t, r))
po, k = kappa(pool); p = ag["pooled"]
if abs(p["agreement"] - 100 * po) > 1e-9 or kdiff(p["kappa"], k) or p["chars"] != sum(pool): bad.append(("pooled", pool, p))
print(len(ag["rows"]), ag["sources"], bad)
PY
)
	check_eq "agreement ${flag:-over all text}: every row and the pool recounted" "$res" "7 3 []"
done
out=$("$QES" code agreement "$R" --a ann --b bob)
check_contains "the table has a pooled line" "$out" "pooled"

# The coding frames side by side: only FG1 is done by both, so the other
# sources' rows (Lindqvist: 3 codes, Okafor: 1) stay hidden.
cmp=$("$QES" code compare "$R" --a ann --b bob --json | python3 -c '
import json,sys; c = json.load(sys.stdin)
print(c["blinded_rows"])
for r in c["rows"]: print(r["source"], r["code"], [s["text"] for s in r["a_spans"]], [s["text"] for s in r["b_spans"]])')
check_eq "compare: FG1's rows with both coders' spans; 4 rows still blinded" "$cmp" "4
FG1 Parent/Fear of removal ['I thought they had come to take him.', 'I thought they had come to take him. I couldn’t breathe.'] ['I thought they had come to take him.']
FG1 Parent/Feeling judged [] ['They never told us what the report said.']
FG1 Practitioner/Trust through explanation ['the worker sat with us and listened'] []"
check_contains "the table says what is left out" "$("$QES" code compare "$R" --a ann --b bob)" "4 rows left out"

check "a memo on a source" "$QES" code note "$R" source FG1 "Recorded at a family centre" --as ann
stats=$("$QES" code stats "$R" --json)
got=$(echo "$stats" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["sources"], d["codes"], d["codings"], d["cases"], d["notes"], d["coders"], d["folders"])')
check_eq "stats: sources codes codings cases notes coders folders" "$got" "4 4 14 2 3 2 2"
guids=$(python3 -c '
import sqlite3,sys,re
db = sqlite3.connect(sys.argv[1]); bad = 0
for t in ("code_sources","code_cases","code_codes","code_codings","code_coders","code_notes"):
    for (g,) in db.execute(f"SELECT guid FROM {t}"):
        bad += not re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", g)
print(bad)' "$R")
check_eq "every exchanged row has a UUID v4" "$guids" 0
orig=$(python3 -c '
import sqlite3,sys; db = sqlite3.connect(sys.argv[1])
print(db.execute("SELECT original FROM code_sources WHERE name = ?", ("FG1",)).fetchone()[0] == open(sys.argv[2], "rb").read())' "$R" "$TMP/fg1.txt")
check_eq "the original bytes are kept" "$orig" True

# Listings a coder works from.
codes=$("$QES" code codes "$R" --json | python3 -c '
import json,sys
for c in json.load(sys.stdin): print(c["path"], c["folder"], c["codings"], c["sources"])')
# Fear: ann 3 + the offset span, bob 3; judged: ann 1, bob 2; trust: ann 2;
# dual role: ann 1, bob 1. A folder counts what is under it.
check_eq "codes: path folder spans sources" "$codes" "Parent True 10 2
Parent/Fear of removal False 7 2
Parent/Feeling judged False 3 2
Practitioner True 4 3
Practitioner/Dual role False 2 1
Practitioner/Trust through explanation False 2 2"
srcs=$("$QES" code sources "$R" --json | python3 -c '
import json,sys
for s in json.load(sys.stdin): print(s["name"], s["kind"], s["sampled"], s["done_by"], s["blinded"])')
check_eq "sources: name kind sampled done-by blinded" "$srcs" "$(printf '%s\n' \
	"Lindqvist2019 results True 0 False" "Okafor2021 results True 0 False" \
	"FG1 transcript True 2 False" "Memo1 memo True 0 False")"
blind=$("$QES" code sources "$R" --as ann --json | python3 -c '
import json,sys
for s in json.load(sys.stdin): print(s["name"], s["mine"], s["done"], s["blinded"])')
check_eq "sources as ann: her spans, done, still blinded" "$blind" "$(printf '%s\n' \
	"Lindqvist2019 4 False True" "Okafor2021 1 False True" "FG1 3 True False" "Memo1 0 False True")"
cases=$("$QES" code cases "$R" --json | python3 -c '
import json,sys
for c in json.load(sys.stdin): print(c["name"], c["attributes"]["role"], [(s["source"], s["from"], s["to"]) for s in c["sources"]])')
check_eq "cases: attributes and linked lines" "$cases" "P1 mother [('FG1', 2, 2)]
P2 father [('FG1', 3, 3)]"
check_contains "the codes table indents the tree" "$("$QES" code codes "$R")" "  Fear of removal"

# Renaming moves a code with everything under it; merging joins two codes.
check "rename a folder: its codes move with it" "$QES" code rename "$R" Practitioner "Views/Practitioners"
moved=$("$QES" code codes "$R" --json | python3 -c '
import json,sys; print(" | ".join(c["path"] for c in json.load(sys.stdin)))')
check_eq "the tree after the move (Views made as a folder)" "$moved" "Parent | Parent/Fear of removal | Parent/Feeling judged | Views | Views/Practitioners | Views/Practitioners/Dual role | Views/Practitioners/Trust through explanation"
check_fails "renaming onto an existing code is exit 5" 5 "$QES" code rename "$R" "Parent/Feeling judged" "Parent/Fear of removal"
check_fails "moving a code into itself is refused (exit 2)" 2 "$QES" code rename "$R" Parent "Parent/Sub"
check_fails "merging a folder with codes under it is refused (exit 2)" 2 "$QES" code merge "$R" Parent "Views"
check "a memo on a coding that will be merged away" "$QES" code note "$R" coding "#$(python3 -c '
import sqlite3,sys; db = sqlite3.connect(sys.argv[1])
print(db.execute("SELECT k.id FROM code_codings k JOIN code_codes c ON c.id = k.code_id JOIN code_coders o ON o.id = k.coder_id WHERE c.path = ? AND o.name = ? ORDER BY k.start LIMIT 1", ("Parent/Feeling judged", "bob")).fetchone()[0])' "$R")" "judged: same as fear?" --as bob
# Make one span a twin: bob codes "judged from the first visit" as fear too.
"$QES" code find "$R" --as bob Lindqvist2019 "judged from the first visit" "Parent/Fear of removal" >/dev/null
check "a finding resting on the code that will be merged away" "$QES" finding add "$R" F9 "Parents feared judgement." --code "Parent/Feeling judged" --by ann
out=$("$QES" code merge "$R" "Parent/Feeling judged" "Parent/Fear of removal")
check_contains "merge says how many spans moved (3, less bob's twin)" "$out" "2 spans moved"
after=$(python3 -c '
import sqlite3,sys; db = sqlite3.connect(sys.argv[1])
n = db.execute("SELECT count(*) FROM code_codings k JOIN code_codes c ON c.id = k.code_id WHERE c.path = ?", ("Parent/Fear of removal",)).fetchone()[0]
gone = db.execute("SELECT count(*) FROM code_codes WHERE path = ?", ("Parent/Feeling judged",)).fetchone()[0]
memo = db.execute("SELECT k.code_id = c.id FROM code_notes n JOIN code_codings k ON k.id = n.target_id JOIN code_codes c ON c.path = ? WHERE n.target_type = ? AND n.text = ?", ("Parent/Fear of removal", "coding", "judged: same as fear?")).fetchall()
print(n, gone, memo)' "$R")
check_eq "the finding now rests on the merged code" "$("$QES" finding show "$R" F9 --json | json_get codes)" '["Parent/Fear of removal"]'
check_eq "after the merge: 7+1+2 spans under fear, the old code gone, the memo on the surviving twin" "$after" "10 0 [(1,)]"

# Speaker turns become cases: labels at line starts, a continuation line,
# the facilitator skipped, an existing case (P1) reused.
printf '%s\n' "Facilitator: Tell us about the first meeting." "Mother (P3): They came on a Tuesday." \
	"I had not slept." "Social worker (SW1): We try to phone first." "Facilitator: And afterwards?" \
	"Mother (P3): Afterwards it got easier: she listened." "P1: I agree with that." > "$TMP/fg2.txt"
check "a second focus group" "$QES" code source add "$R" "$TMP/fg2.txt" --name FG2 --kind transcript
dry=$("$QES" code speakers "$R" FG2 --dry-run --json | python3 -c '
import json,sys
for r in json.load(sys.stdin): print(r["case"], r["role"] or "-", r["skipped"], r["turns"], r["lines"], r["ranges"])')
check_eq "turns found: case role skipped turns lines ranges" "$dry" "Facilitator - True 2 2 [[1, 1], [5, 5]]
P3 mother False 2 3 [[2, 3], [6, 6]]
SW1 social worker False 1 1 [[4, 4]]
P1 - False 1 1 [[7, 7]]"
check_eq "a dry run makes no case" "$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM code_cases").fetchone()[0])' "$R")" 2
out=$("$QES" code speakers "$R" FG2 --attr type=participant)
check_contains "the table says P3 is a new case" "$out" "linked to a new case"
check_contains "and P1 an existing one" "$out" "linked to the existing case"
linked=$("$QES" code cases "$R" --json | python3 -c '
import json,sys
for c in json.load(sys.stdin):
    fg2 = [(s["source"], s["from"], s["to"]) for s in c["sources"] if s["source"] == "FG2"]
    if fg2: print(c["name"], c["attributes"].get("role", "-"), c["attributes"].get("type", "-"), fg2)')
check_eq "cases after linking (P1 keeps its attributes)" "$linked" "P1 mother participant [('FG2', 7, 7)]
P3 mother participant [('FG2', 2, 3), ('FG2', 6, 6)]
SW1 social worker participant [('FG2', 4, 4)]"
check_fails "a source with no turns is exit 4" 4 "$QES" code speakers "$R" Lindqvist2019

# Keeping only the results section of a paper's text: from the heading line
# "Results" (not the word in the abstract) up to the heading "Discussion".
printf '%s\n' "Abstract" "Results show that parents felt watched." "Results" \
	"Parents said every visit felt like an inspection." "  DISCUSSION  " "We discuss the results." > "$TMP/paper.txt"
check "a source cut to its results section" "$QES" code source add "$R" "$TMP/paper.txt" --name Paper1 --from-text Results --to-text Discussion
kept=$(python3 -c 'import sqlite3,sys; print(repr(sqlite3.connect(sys.argv[1]).execute("SELECT text FROM code_sources WHERE name = ?", ("Paper1",)).fetchone()[0]))' "$R")
check_eq "the passage runs from the heading line to the next heading (case and space ignored)" "$kept" "'Results\\nParents said every visit felt like an inspection.\\n'"
check_fails "a start that is not in the text is exit 4" 4 "$QES" code source add "$R" "$TMP/paper.txt" --name Paper2 --from-text Findings
check_fails "an end that is not after the start is exit 4" 4 "$QES" code source add "$R" "$TMP/paper.txt" --name Paper2 --from-text Discussion --to-text Abstract
check "from the start of the text up to a heading" "$QES" code source add "$R" "$TMP/paper.txt" --name Paper3 --to-text Results
kept=$(python3 -c 'import sqlite3,sys; print(repr(sqlite3.connect(sys.argv[1]).execute("SELECT text FROM code_sources WHERE name = ?", ("Paper3",)).fetchone()[0]))' "$R")
check_eq "up to, not including, the heading line" "$kept" "'Abstract\\nResults show that parents felt watched.\\n'"

# Typed case variables: a type is checked against the values already there,
# then against every new one; REFI-QDA carries it.
check_fails "role cannot be an integer: P1 is a mother (exit 3)" 3 "$QES" code variable "$R" role --type integer
check "age is an integer" "$QES" code variable "$R" age --type Integer --description "Age in years"
check "interviewed is a date" "$QES" code variable "$R" interviewed --type date
check "a case with a fitting age and date" "$QES" code case add "$R" P9 --attr age=34 --attr interviewed=2021-02-28
check_fails "age=thirty is refused (exit 3), nothing written" 3 "$QES" code case add "$R" P10 --attr age=thirty
check_fails "2021-02-29 is no date (exit 3)" 3 "$QES" code case add "$R" P11 --attr interviewed=2021-02-29
check_eq "the refused cases are not there" "$("$QES" code cases "$R" --json | python3 -c 'import json,sys; print([c["name"] for c in json.load(sys.stdin) if c["name"] in ("P10", "P11")])')" "[]"
vars=$("$QES" code variables "$R" --json | python3 -c '
import json,sys
for v in json.load(sys.stdin): print(v["name"], v["type"], v["cases"], v["declared"])')
check_eq "variables: declared and only used ones, with counts" "$vars" "age Integer 1 True
interviewed Date 1 True
perspective Text 2 False
role Text 4 False
type Text 4 False"
check "export to REFI-QDA" "$QES" qdpx export "$R" -o "$TMP/t.qdpx"
typ=$(python3 -c '
import sys, zipfile, re
x = zipfile.ZipFile(sys.argv[1]).read("project.qde").decode()
print(sorted(set(re.findall(r"<Variable [^>]*name=\"(age|interviewed)\"[^>]*typeOfVariable=\"(\w+)\"", x) + re.findall(r"<Variable [^>]*typeOfVariable=\"(\w+)\"[^>]*name=\"(age|interviewed)\"", x))))' "$TMP/t.qdpx")
check_contains "the project carries age as an Integer variable" "$typ" "Integer"
