#!/usr/bin/env bash
# t81: themes and the queries of a thematic synthesis, scripted. Three
# included studies (the studies fixture: S01 Adams 2015, S02 Baker 2016,
# S03 Chen 2017) and one focus group without a study; parents' and
# practitioners' perspectives from cases linked to whole sources or to a
# speaker's lines; two coders. Every count below is worked out by hand in
# the comments. All texts are written for this test.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/studies-fixture.sh"
R="$TMP/r.qes"
make_review "$R" >/dev/null
"$QES" study add "$R" S01 S02 S03 >/dev/null || not_ok "study add S01 S02 S03"

check "qes theme --help" "$QES" theme --help
check "qes query --help" "$QES" query --help

# Sources. Adams2015: mothers only (one case for the whole source).
cat > "$TMP/adams.txt" <<'TXT'
Results
Mothers spoke of wanting help but dreading what asking for it might set in motion. "If I tell the health visitor how low I am, they will write it down and the next thing is a social worker at the door," one mother said.
Several mothers kept appointments but said as little as possible. "I smile, I nod, I say we are fine. You learn to hide it."
Some felt that staff had made up their minds before meeting them: "She looked at the flat, not at me."
TXT
# Baker2016: line 2 a mother, line 3 a father, lines 4-5 social workers.
cat > "$TMP/baker.txt" <<'TXT'
Findings
Parents described case conferences as frightening: "I sat there while eight people talked about my son as if I was not in the room."
A father said he stopped mentioning his medication because "every time I'm honest it goes in the file."
Social workers said that trust was built slowly, by turning up when they said they would and explaining every step, never assuming parents were naïve about the risks.
"I am there to support the family, and I am also the one who might take the child. Families know that," one social worker said.
TXT
# Chen2017: health visitors only.
cat > "$TMP/chen.txt" <<'TXT'
Results
Health visitors described caseloads that left little time to get to know families. "You get forty minutes, and half of that is the form," one explained.
They saw their role as both supporting and monitoring, which parents could sense: "The minute I mention safeguarding, the shutters come down."
Building trust meant returning to the same family over months — which rota changes often prevented.
TXT
# A focus group with no study: line 1 the facilitator (no case), 2 a mother, 3 a father.
cat > "$TMP/fg.txt" <<'TXT'
Facilitator: What made it hard to ask for help?
Mother (M1): Knowing they could take her. So I said nothing for a year.
Father (F1): You feel watched. Every visit is a test you did not revise for.
TXT
check "source Adams2015 (study S01)" "$QES" code source add "$R" "$TMP/adams.txt" --name Adams2015 --study S01
check "source Baker2016 (study S02)" "$QES" code source add "$R" "$TMP/baker.txt" --name Baker2016 --study S02
check "source Chen2017 (study S03)" "$QES" code source add "$R" "$TMP/chen.txt" --name Chen2017 --study S03
check "source FG-North (no study)" "$QES" code source add "$R" "$TMP/fg.txt" --name FG-North --kind transcript

case_add() { "$QES" code case add "$R" "$@" >/dev/null || not_ok "case add $*"; }
case_link() { "$QES" code case link "$R" "$@" >/dev/null || not_ok "case link $*"; }
case_add AdamsMothers --attr type=group --attr perspective=parent --attr role=mother
case_add BakerMother --attr type=participant --attr perspective=parent --attr role=mother
case_add BakerFather --attr type=participant --attr perspective=parent --attr role=father
case_add BakerWorkers --attr type=group --attr perspective=practitioner --attr "role=social worker"
case_add ChenStaff --attr type=group --attr perspective=practitioner --attr "role=health visitor"
case_add M1 --attr type=participant --attr perspective=parent --attr role=mother
case_add F1 --attr type=participant --attr perspective=parent --attr role=father
case_link AdamsMothers Adams2015
case_link BakerMother Baker2016 --from 2 --to 2
case_link BakerFather Baker2016 --from 3 --to 3
case_link BakerWorkers Baker2016 --from 4 --to 5
case_link ChenStaff Chen2017
case_link M1 FG-North --from 2 --to 2
case_link F1 FG-North --from 3 --to 3

for c in "Parent/Fear of removal" "Parent/Hiding difficulties" "Parent/Feeling judged" \
	 "Practice/Building trust" "Practice/Dual role" "Practice/Time pressure"; do
	"$QES" code add "$R" "$c" >/dev/null || not_ok "code add $c"
done

code() { "$QES" code find "$R" --as "$@" >/dev/null || not_ok "code find $*"; }
# Coder ann (15 codings; ids in the comments are used in the hand counts).
code ann Adams2015 "wanting help but dreading what asking for it might set in motion" "Parent/Fear of removal"   # A1
code ann Adams2015 "If I tell the health visitor how low I am, they will write it down and the next thing is a social worker at the door" "Parent/Fear of removal" --quote --illustrative   # A2
code ann Adams2015 "I smile, I nod, I say we are fine. You learn to hide it." "Parent/Hiding difficulties" --quote --illustrative   # A3
code ann Adams2015 "She looked at the flat, not at me." "Parent/Feeling judged" --quote   # A4
code ann Baker2016 "I sat there while eight people talked about my son as if I was not in the room." "Parent/Feeling judged" --quote --illustrative   # B1
code ann Baker2016 "every time I'm honest it goes in the file." "Parent/Hiding difficulties" --quote   # B2
code ann Baker2016 "trust was built slowly, by turning up when they said they would and explaining every step" "Practice/Building trust"   # B3
code ann Baker2016 "I am there to support the family, and I am also the one who might take the child." "Practice/Dual role" --quote --illustrative   # B4
code ann Chen2017 "You get forty minutes, and half of that is the form" "Practice/Time pressure" --quote --illustrative   # C1
code ann Chen2017 "The minute I mention safeguarding, the shutters come down." "Practice/Dual role" --quote   # C2
code ann Chen2017 "the shutters come down" "Practice/Building trust"   # C2b
code ann Chen2017 "Building trust meant returning to the same family over months" "Practice/Building trust"   # C3
code ann FG-North "Knowing they could take her. So I said nothing for a year." "Parent/Fear of removal" --quote --illustrative   # F1
code ann FG-North "You feel watched. Every visit is a test you did not revise for." "Parent/Feeling judged" --quote   # F2
code ann FG-North "What made it hard to ask for help?" "Parent/Fear of removal"   # F3 (facilitator: no case)
# Coder bob (6 codings).
code bob Adams2015 "dreading what asking for it might set in motion" "Parent/Fear of removal"   # b1
code bob Adams2015 "You learn to hide it." "Parent/Hiding difficulties"   # b2
code bob Adams2015 "I smile, I nod, I say we are fine. You learn to hide it." "Parent/Feeling judged"   # b3
code bob Baker2016 "every time I'm honest it goes in the file" "Parent/Fear of removal"   # b4
code bob Chen2017 "The minute I mention safeguarding, the shutters come down." "Practice/Building trust"   # b5
code bob Chen2017 "mention safeguarding" "Practice/Dual role"   # b6

# Themes: four descriptive, two analytical with two subthemes each.
# "Parent/Hiding difficulties" sits in two descriptive themes.
check "a descriptive theme" "$QES" theme add "$R" "Fear of losing the children" --level descriptive
"$QES" theme add "$R" "Being judged" --level descriptive >/dev/null
"$QES" theme add "$R" "Relationships that help" --level descriptive >/dev/null
"$QES" theme add "$R" "Caught between roles" --level descriptive --description "Support and surveillance at once" >/dev/null
check "an analytical theme" "$QES" theme add "$R" "A cycle of fear and scrutiny" --level analytical
"$QES" theme add "$R" "Working alongside parents" --level analytical >/dev/null
check "a subtheme" "$QES" theme add "$R" "Needing help, fearing its cost" --parent "A cycle of fear and scrutiny"
"$QES" theme add "$R" "Watched rather than helped" --parent "A cycle of fear and scrutiny" >/dev/null
"$QES" theme add "$R" "Trust takes time" --parent "Working alongside parents" >/dev/null
"$QES" theme add "$R" "Under strain" --parent "A cycle of fear and scrutiny" >/dev/null
check_fails "the same descriptive theme twice is exit 5" 5 "$QES" theme add "$R" "Being judged" --level descriptive
check_fails "a subtheme's parent must be analytical (exit 2)" 2 "$QES" theme add "$R" "X" --parent "Being judged"
check_fails "a level is required (exit 2)" 2 "$QES" theme add "$R" "X"
check_fails "a name with '/' is refused (exit 2)" 2 "$QES" theme add "$R" "a/b" --level descriptive
check "move a subtheme to the right analytical theme" "$QES" theme move "$R" "Under strain" "Working alongside parents"
check "rename it" "$QES" theme rename "$R" "Working alongside parents/Under strain" "Practitioners under strain"
check_fails "an unknown theme is exit 4" 4 "$QES" theme rename "$R" "Nope" "X"

check "codes into a descriptive theme" "$QES" theme codes "$R" "Fear of losing the children" "Parent/Fear of removal" "Parent/Hiding difficulties"
"$QES" theme codes "$R" "Being judged" "Parent/Feeling judged" "Parent/Hiding difficulties" >/dev/null
"$QES" theme codes "$R" "Relationships that help" "Practice/Building trust" >/dev/null
# A folder brings every code under it; then taken out again for the real grouping.
"$QES" theme codes "$R" "Caught between roles" Practice >/dev/null
v=$("$QES" theme list "$R" --json | python3 -c 'import json,sys; print(next(t for t in json.load(sys.stdin) if t["name"]=="Caught between roles")["counts"]["codes"])')
check_eq "a code folder counts with its three codes" "$v" 3
check "codes out of a theme" "$QES" theme codes "$R" "Caught between roles" Practice --remove
"$QES" theme codes "$R" "Caught between roles" "Practice/Dual role" "Practice/Time pressure" >/dev/null
check_fails "an unknown code is exit 4" 4 "$QES" theme codes "$R" "Being judged" "Parent/Nope"

check "group a descriptive theme under a subtheme" "$QES" theme group "$R" "Needing help, fearing its cost" "Fear of losing the children"
"$QES" theme group "$R" "Watched rather than helped" "Being judged" >/dev/null
"$QES" theme group "$R" "Trust takes time" "Relationships that help" >/dev/null
"$QES" theme group "$R" "Practitioners under strain" "Caught between roles" >/dev/null
check_fails "a subtheme is not grouped (exit 2)" 2 "$QES" theme group "$R" "Working alongside parents" "Trust takes time"
check_fails "nothing is grouped under a descriptive theme (exit 2)" 2 "$QES" theme group "$R" "Being judged" "Relationships that help"

# A theme whose name is both a descriptive theme and a subtheme is ambiguous.
"$QES" theme add "$R" "Trust takes time" --level descriptive >/dev/null
check_fails "an ambiguous name is exit 5" 5 "$QES" theme trace "$R" "Trust takes time"
check "the subtheme by its path" "$QES" theme trace "$R" "Working alongside parents/Trust takes time"
check "remove the descriptive duplicate by #ID" "$QES" theme remove "$R" \
	"#$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT id FROM code_themes WHERE name=? AND level=?", ("Trust takes time","descriptive")).fetchone()[0])' "$R")"
check_fails "an analytical theme with subthemes is not removed (exit 5)" 5 "$QES" theme remove "$R" "Working alongside parents"

check "describe a theme" "$QES" theme describe "$R" "Being judged" "Parents feel assessed rather than helped"
v=$("$QES" theme list "$R" --json | python3 -c 'import json,sys; print([t["description"] for t in json.load(sys.stdin) if t["level"] == "descriptive"])')
check_eq "descriptions, set at add and by describe" "$v" "['', 'Parents feel assessed rather than helped', '', 'Support and surveillance at once']"
out=$("$QES" theme list "$R")
check_contains "the tree shows a subtheme with its grouped theme" "$out" "  Watched rather than helped [subtheme]"
# Counts by hand (codings listed above):
# Fear of losing the children = Fear of removal + Hiding difficulties:
#   A1 A2 A3 B2 F1 F3 b1 b2 b4 = 9 spans; sources Adams Baker FG = 3;
#   studies S01 S02 = 2; cases AdamsMothers BakerFather M1 = 3 (F3 has none).
# A cycle of fear and scrutiny = its two subthemes = the union of
#   Fear of losing (9) and Being judged (A3 A4 B1 B2 F2 b2 b3): A3 B2 b2 in
#   both, so 9 + 7 - 3 = 13 spans; 3 codes; 3 sources; 2 studies;
#   cases AdamsMothers BakerMother BakerFather M1 F1 = 5.
got=$("$QES" theme list "$R" --json | python3 -c '
import json,sys
for t in json.load(sys.stdin):
    c = t["counts"]
    if t["name"] in ("Fear of losing the children", "A cycle of fear and scrutiny"):
        print(t["name"], t["level"], c["codes"], c["spans"], c["sources"], c["studies"], c["cases"])')
check_eq "list counts through lower themes, by hand" "$got" "A cycle of fear and scrutiny analytical 3 13 3 2 5
Fear of losing the children descriptive 2 9 3 2 3"
order=$("$QES" theme list "$R" --json | python3 -c 'import json,sys; print("|".join(t["name"] for t in json.load(sys.stdin)))')
check_eq "tree order: analytical themes with their subthemes, then descriptive" "$order" \
	"A cycle of fear and scrutiny|Needing help, fearing its cost|Watched rather than helped|Working alongside parents|Trust takes time|Practitioners under strain|Fear of losing the children|Being judged|Relationships that help|Caught between roles"
csv=$("$QES" theme list "$R" --csv | head -1)
check_eq "theme list --csv header" "$csv" $'theme,level,parent,codes,passages,spans,sources,studies,cases\r'

# Trace: Watched rather than helped -> Being judged -> Feeling judged and
# Hiding difficulties: A3 A4 B1 B2 F2 b2 b3 (7 spans); cases from the line
# each span starts on (Baker2016 line 2 the mother, line 3 the father).
tr=$("$QES" theme trace "$R" "Watched rather than helped" --json)
got=$(echo "$tr" | python3 -c '
import json,sys; t=json.load(sys.stdin)
print(len(t["spans"]), t["codes"], t["themes"], t["sources"], t["studies"], t["cases"], t["perspectives"])')
check_eq "trace: spans, codes, themes, sources, studies, cases, perspectives" "$got" \
	"7 ['Parent/Feeling judged', 'Parent/Hiding difficulties'] ['Being judged'] ['Adams2015', 'Baker2016', 'FG-North'] ['S01', 'S02'] ['AdamsMothers', 'BakerFather', 'BakerMother', 'F1'] ['parent']"
got=$(echo "$tr" | python3 -c '
import json,sys
for s in json.load(sys.stdin)["spans"]:
    if s["source"] == "Baker2016": print(s["code"], s["cases"], s["text"])')
check_eq "trace: each span's case comes from the line it starts on" "$got" \
	"Parent/Feeling judged ['BakerMother'] I sat there while eight people talked about my son as if I was not in the room.
Parent/Hiding difficulties ['BakerFather'] every time I'm honest it goes in the file."
# The analytical theme: 13 spans, each once, although Hiding difficulties
# reaches it through two descriptive themes.
got=$("$QES" theme trace "$R" "A cycle of fear and scrutiny" --json | python3 -c '
import json,sys; t=json.load(sys.stdin); ids=[s["id"] for s in t["spans"]]
print(len(ids), len(set(ids)), t["themes"])')
check_eq "trace: deduplicated through two paths" "$got" \
	"13 13 ['Being judged', 'Fear of losing the children', 'Needing help, fearing its cost', 'Watched rather than helped']"

# Theme by perspective matrix. By hand (studies/spans):
#   Fear of losing:  parent A1 A2 A3 B2 F1 b1 b2 b4 = 2/8 (F1 has no study),
#                    (none) F3 = 0/1, total 2/9
#   Being judged:    parent 2/7, total 2/7
#   Relationships:   practitioner B3 C2b C3 b5 = 2/4 (S02, S03)
#   Caught between:  practitioner B4 C1 C2 b6 = 2/4
#   A cycle ...:     parent 2/12, (none) 0/1, total 2/13
#   Working ...:     practitioner 2/8
m=$("$QES" query matrix "$R" --json)
got=$(echo "$m" | python3 -c '
import json,sys; m=json.load(sys.stdin); print(m["attribute"], m["columns"])
for r in m["rows"]:
    c = r["cells"]
    print(r["theme"], *["%d/%d" % (c[k]["studies"], c[k]["spans"]) if k in c else "-" for k in m["columns"]],
          "%d/%d" % (r["total"]["studies"], r["total"]["spans"]))')
check_eq "theme x perspective: studies/spans against the hand count" "$got" \
"perspective ['parent', 'practitioner', '(none)']
A cycle of fear and scrutiny 2/12 - 0/1 2/13
Needing help, fearing its cost 2/8 - 0/1 2/9
Watched rather than helped 2/7 - - 2/7
Working alongside parents - 2/8 - 2/8
Trust takes time - 2/4 - 2/4
Practitioners under strain - 2/4 - 2/4
Fear of losing the children 2/8 - 0/1 2/9
Being judged 2/7 - - 2/7
Relationships that help - 2/4 - 2/4
Caught between roles - 2/4 - 2/4"
# By role: Fear of losing: mother A1 A2 A3 F1 b1 b2 = 1 study (S01)/6 spans,
# father B2 b4 = 1/2, (none) F3 = 0/1.
got=$("$QES" query matrix "$R" --attribute role --json | python3 -c '
import json,sys; m=json.load(sys.stdin)
r = next(r for r in m["rows"] if r["theme"] == "Fear of losing the children")
print(m["columns"], sorted((k, v["studies"], v["spans"]) for k, v in r["cells"].items()))')
check_eq "theme x role" "$got" "['father', 'health visitor', 'mother', 'social worker', '(none)'] [('(none)', 0, 1), ('father', 1, 2), ('mother', 1, 6)]"
check_fails "matrix: an attribute no case has is not found (not a matrix of '(none)')" 4 \
	"$QES" query matrix "$R" --attribute rol
check_contains "... and the error lists the attributes there are" \
	"$("$QES" query matrix "$R" --attribute rol 2>&1)" "no case has the attribute 'rol' (attributes: "
csv=$("$QES" query matrix "$R" --csv | head -2)
# Passages (overlapping spans of a source under the theme are one): Adams
# {A1 b1} {A2} {A3 b2 b3} {A4}, Baker {B1} {B2 b4}, FG {F1} {F2} parent, {F3} none.
check_eq "matrix --csv: header and first row" "$csv" $'theme,level,parent studies,parent passages,parent spans,practitioner studies,practitioner passages,practitioner spans,(none) studies,(none) passages,(none) spans,total studies,total passages,total spans\r\nA cycle of fear and scrutiny,analytical,2,8,12,0,0,0,0,1,1,2,9,13\r'
out=$("$QES" query matrix "$R")
check_contains "matrix table names subthemes under their theme" "$out" "A cycle of fear and scrutiny / Watched rather than helped"

# Co-occurrence, same coder only. By hand:
#   Building trust x Dual role: ann C2/C2b in Chen ("the shutters come
#     down", 22 characters) and bob b5/b6 ("mention safeguarding", 20):
#     2 overlaps, 1 source, 42 characters.
#   Feeling judged x Hiding difficulties: bob b3/b2 ("You learn to hide
#     it.", 21). ann's A3 and bob's b3 overlap but are two coders; ann's
#     B2 and bob's b4 likewise: not counted.
co=$("$QES" query cooccur "$R" --json | python3 -c '
import json,sys
for p in json.load(sys.stdin)["pairs"]: print(p["code_a"], p["code_b"], p["overlaps"], p["sources"], p["chars"])')
check_eq "co-occurrence counts by hand" "$co" "Practice/Building trust Practice/Dual role 2 1 42
Parent/Feeling judged Parent/Hiding difficulties 1 1 21"
co=$("$QES" query cooccur "$R" --coder ann --json | python3 -c '
import json,sys
for p in json.load(sys.stdin)["pairs"]: print(p["code_a"], p["code_b"], p["overlaps"], p["chars"])')
check_eq "co-occurrence of one coder" "$co" "Practice/Building trust Practice/Dual role 1 22"
csv=$("$QES" query cooccur "$R" --csv | head -1)
check_eq "cooccur --csv header" "$csv" $'code_a,code_b,overlaps,sources,chars\r'

# Text search: case-insensitive, Unicode, offsets in code points.
hits=$("$QES" query search "$R" "NAÏVE ABOUT" --context 12 --json)
want=$(python3 -c '
import sys; t = open(sys.argv[1], encoding="utf-8").read(); i = t.index("naïve about")
print(i, i + 11, repr(t[i-12:i]), repr(t[i+11:i+23].replace("\n", " ")))' "$TMP/baker.txt")
got=$(echo "$hits" | python3 -c '
import json,sys; h=json.load(sys.stdin)["hits"]; assert len(h) == 1; h=h[0]
print(h["start"], h["end"], repr(h["before"]), repr(h["after"])) if h["source"] == "Baker2016" and h["study"] == "S02" and h["text"] == "naïve about" else print(h)')
check_eq "search: one hit, offsets and context" "$got" "$want"
v=$("$QES" query search "$R" trust --json | python3 -c 'import json,sys; print([(h["source"], h["text"]) for h in json.load(sys.stdin)["hits"]])')
check_eq "search: every source, any case" "$v" "[('Baker2016', 'trust'), ('Chen2017', 'trust')]"
v=$("$QES" query search "$R" trust --source Chen2017 --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["hits"]))')
check_eq "search: one source" "$v" 1
check_contains "search: table output" "$("$QES" query search "$R" "shutters")" "Chen2017"

# Framework matrix by study, subthemes. S02 x Needing help: B2 (a quote) and
# b4: 2 spans, the quote B2. S01 x Watched: A3 A4 b2 b3, A3 illustrative.
check "a cell summary" "$QES" theme summary "$R" "Watched rather than helped" --study S01 "Mothers hide low mood to avoid judgement"
check_fails "a summary needs --study or --case (exit 2)" 2 "$QES" theme summary "$R" "Watched rather than helped" "x"
check_fails "a summary on an unknown study is exit 4" 4 "$QES" theme summary "$R" "Watched rather than helped" --study S99 "x"
fw=$("$QES" query framework "$R" --level subtheme --json)
got=$(echo "$fw" | python3 -c '
import json,sys; f=json.load(sys.stdin)
print([r["row"] for r in f["rows"]], [r["label"] for r in f["rows"]])
c = next(r for r in f["rows"] if r["row"] == "S02")["cells"]["Needing help, fearing its cost"]; print(c["spans"], c["quote"], c["summary"])
c = next(r for r in f["rows"] if r["row"] == "S01")["cells"]["Watched rather than helped"]; print(c["spans"], c["quote"], c["summary"])')
check_eq "framework by study: rows, spans, quote, summary" "$got" "['S01', 'S02', 'S03', '(none)'] ['Adams 2015', 'Baker 2016', 'Chen 2017', '(none)']
2 every time I'm honest it goes in the file. None
4 I smile, I nod, I say we are fine. You learn to hide it. Mothers hide low mood to avoid judgement"
got=$("$QES" query framework "$R" --by case --level subtheme --json | python3 -c '
import json,sys; f=json.load(sys.stdin); print([(r["row"], sorted((k, v["spans"]) for k, v in r["cells"].items())) for r in f["rows"] if r["row"] in ("M1", "(none)")])')
check_eq "framework by case: a speaker's codings, and the uncased line" "$got" \
	"[('M1', [('Needing help, fearing its cost', 1)]), ('(none)', [('Needing help, fearing its cost', 1)])]"
csv=$("$QES" query framework "$R" --level subtheme --csv | python3 -c 'import csv,sys; r=list(csv.reader(sys.stdin)); print(r[0]); print(r[1][2])')
check_eq "framework --csv: header, and a cell with its summary" "$csv" "['study', 'Needing help, fearing its cost', 'Watched rather than helped', 'Trust takes time', 'Practitioners under strain']
Mothers hide low mood to avoid judgement
2 passages (4 spans): “I smile, I nod, I say we are fine. You learn to hide it.”"
check "clear the summary" "$QES" theme summary "$R" "Watched rather than helped" --study S01 ""

# Themes table. By hand, at most 3 quotes a row, illustrative first, then
# quotations in source order, one per span:
#   Needing help: A2 A3 F1 (all illustrative; B2 is fourth)
#   Watched: A3 B1 (illustrative), then A4
#   Trust takes time: no quote (B3 C2b C3 b5 are not quotations)
#   Practitioners under strain: B4 C1 (illustrative), C2
tbl=$("$QES" theme table "$R" --json | python3 -c '
import json,sys
for r in json.load(sys.stdin)["rows"]:
    print(r["theme"], "|", r["subtheme"], "|", " / ".join("%s (%s) [%s]" % (q["text"][:20], q["role"] or q["perspective"], q["study_label"] or q["source"]) for q in r["quotes"]))')
check_eq "themes table rows and quotes by hand" "$tbl" "A cycle of fear and scrutiny | Needing help, fearing its cost | If I tell the health (mother) [Adams 2015] / I smile, I nod, I sa (mother) [Adams 2015] / Knowing they could t (mother) [FG-North]
A cycle of fear and scrutiny | Watched rather than helped | I smile, I nod, I sa (mother) [Adams 2015] / I sat there while ei (mother) [Baker 2016] / She looked at the fl (mother) [Adams 2015]
Working alongside parents | Trust takes time | 
Working alongside parents | Practitioners under strain | I am there to suppor (social worker) [Baker 2016] / You get forty minute (health visitor) [Chen 2017] / The minute I mention (health visitor) [Chen 2017]"
v=$("$QES" theme table "$R" --quotes 0 --json | python3 -c 'import json,sys; print([len(r["quotes"]) for r in json.load(sys.stdin)["rows"]])')
check_eq "--quotes 0 gives every quote (B2 joins the first row)" "$v" "[4, 5, 0, 3]"
csv=$("$QES" theme table "$R" --csv | python3 -c '
import csv,sys; r=list(csv.reader(sys.stdin)); print(r[0]); print(len(r) - 1); print(r[1])')
check_eq "themes table CSV: header, 10 lines (9 quotes + 1 empty row), first line" "$csv" "['theme', 'subtheme', 'quote', 'perspective', 'role', 'study', 'study_label', 'source', 'construct']
10
['A cycle of fear and scrutiny', 'Needing help, fearing its cost', 'If I tell the health visitor how low I am, they will write it down and the next thing is a social worker at the door', 'parent', 'mother', 'S01', 'Adams 2015', 'Adams2015', 'participant quote']"
out=$("$QES" theme table "$R")
check_contains "theme table prints quotes attributed" "$out" "Working alongside parents / Practitioners under strain
  “I am there to support the family, and I am also the one who might take the child.” (social worker) [Baker 2016]"
# HTML escaping: a theme name with markup, and quotes with & and <.
"$QES" theme rename "$R" "Trust takes time" "Trust <takes> time & \"care\"" >/dev/null
html=$("$QES" theme table "$R" --html)
check_contains "HTML escapes a theme name" "$html" "<td>Trust &lt;takes&gt; time &amp; &quot;care&quot;</td>"
check_contains "HTML attributes a quote to a role and study" "$html" "<span class=\"who\">(social worker)</span> <span class=\"study\">[Baker 2016]</span>"
check_eq "HTML is well-formed" "$(echo "<div>$html</div>" | python3 -c 'import sys, xml.dom.minidom as m; m.parseString(sys.stdin.read()); print("ok")' 2>&1)" ok
"$QES" theme rename "$R" "Working alongside parents/Trust <takes> time & \"care\"" "Trust takes time" >/dev/null

# The report has the themes section with the table and the matrix.
check "the report is written" "$QES" report "$R" -o "$TMP/report.html"
rep=$(cat "$TMP/report.html")
check_contains "report: themes table" "$rep" "<table class=\"qes-themes\">"
check_contains "report: theme by perspective matrix" "$rep" "<th>practitioner spans</th>"

# Blinding: every source in the double-coding sample, nobody done: bob sees
# his own codings only. Fear of losing for bob: b1 b2 b4 = 2 studies / 3
# spans, all parent; without --as (the lead's view) still 2/9.
"$QES" code sample "$R" --fraction 1 --seed 7 >/dev/null
got=$("$QES" query matrix "$R" --as bob --json | python3 -c '
import json,sys; m=json.load(sys.stdin); r=next(r for r in m["rows"] if r["theme"]=="Fear of losing the children")
print(m["columns"], r["cells"]["parent"]["studies"], r["cells"]["parent"]["spans"], r["total"]["spans"])')
check_eq "matrix --as bob is blinded" "$got" "['parent', 'practitioner'] 2 3 3"
got=$("$QES" query matrix "$R" --json | python3 -c '
import json,sys; r=next(r for r in json.load(sys.stdin)["rows"] if r["theme"]=="Fear of losing the children"); print(r["total"]["spans"])')
check_eq "the lead's view is not blinded" "$got" 9
"$QES" code done "$R" --as ann Adams2015 >/dev/null
"$QES" code done "$R" --as bob Adams2015 >/dev/null
# Adams2015 now open to both: bob also sees A1 A2 A3 = 6 spans.
got=$("$QES" theme trace "$R" "Fear of losing the children" --as bob --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["spans"]))')
check_eq "after both finish Adams2015, bob sees ann's codings there" "$got" 6
got=$("$QES" query cooccur "$R" --as ann --json | python3 -c 'import json,sys; print([(p["code_a"], p["overlaps"]) for p in json.load(sys.stdin)["pairs"]])')
check_eq "cooccur --as ann: bob's Chen overlap hidden, his Adams one visible" "$got" \
	"[('Parent/Feeling judged', 1), ('Practice/Building trust', 1)]"

# Removing a theme keeps its codes and codings, drops its groupings.
check "remove a descriptive theme" "$QES" theme remove "$R" "Caught between roles"
got=$(python3 -c '
import sqlite3,sys; db=sqlite3.connect(sys.argv[1])
print(db.execute("SELECT count(*) FROM code_theme_links").fetchone()[0], db.execute("SELECT count(*) FROM code_codings").fetchone()[0])' "$R")
check_eq "groupings 3, codings 21 after the removal" "$got" "3 21"
# A theme a review finding rests on is not removed (the finding would point
# at nothing); once removable, its sharing with the advisory group goes too.
check "a finding resting on a theme" "$QES" finding add "$R" F1 "Parents hide difficulties to avoid being judged" --theme "Being judged" --by ann
out=$("$QES" theme remove "$R" "Being judged" 2>&1); rc=$?
check_eq "removing it is refused (exit 5)" "$rc" 5
check_contains "the message names the finding" "$out" "finding F1 rests on 'Being judged'"
check_eq "the theme is still there" "$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM code_themes WHERE name = ?", ("Being judged",)).fetchone()[0])' "$R")" 1
check_fails "unlinking a theme the finding does not rest on is exit 4" 4 "$QES" finding unlink "$R" F1 --theme "Relationships that help" --by ann
check "the finding is taken off the theme" "$QES" finding unlink "$R" F1 --theme "Being judged" --by ann
check_eq "the finding rests on no theme now" "$("$QES" finding show "$R" F1 --json | json_get themes)" "[]"
check "and the theme can be removed" "$QES" theme remove "$R" "Being judged"
check "share a theme with the advisory group" "$QES" advisory share "$R" "theme:Relationships that help" --by ann
check_eq "the sharing is stored" "$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM synth_sharing WHERE kind = ?", ("theme",)).fetchone()[0])' "$R")" 1
check "remove the shared theme" "$QES" theme remove "$R" "Relationships that help"
check_eq "its sharing went with it" "$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM synth_sharing WHERE kind = ?", ("theme",)).fetchone()[0])' "$R")" 0
