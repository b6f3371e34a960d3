#!/usr/bin/env bash
# t73: the report as a methods and results section, and its Word and
# spreadsheet exports, on the finished demo review (DEMO_UPDATE=0: without
# its update search; scripts/demo.sh: SPICE criteria,
# four sources, a 10% double-screened sample, 97 studies, CASP appraisal,
# themes, one CERQual finding, the advisory group).
#   - Table 1 (criteria by concept), ENTREQ, the Reports column named, the
#     appraisal columns headed by the questions (not casp1...), empty
#     characteristics columns left out and named;
#   - a generated paragraph per section whose numbers are the ones
#     `qes prisma --json` and `qes agreement --json` give; authors' text
#     set, shown as edited, reset;
#   - .docx and .xlsx read back by an independent reader: unzip, xmllint
#     --noout on every part, python's zipfile + ElementTree for the cells,
#     compared with the CSV / HTML the same command writes;
#   - LibreOffice converts the .docx to PDF when it is installed (skipped
#     otherwise; never installed for the test).
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
for t in unzip xmllint python3; do
	command -v $t >/dev/null || { skip "no $t"; exit 0; }
done
out=$(cd "$ROOT" && QES="$QES" DEMO="$TMP/demo.qes" DEMO_DATA="$TMP/demo-data" DEMO_UPDATE=0 bash scripts/demo.sh 2>&1)
if [ $? -ne 0 ]; then not_ok "the demo builds" "${out: -3000}"; exit 0; fi
ok "the demo builds"
R="$TMP/demo.qes"
cd "$TMP" || exit 1

# well_formed FILE: every XML part of the zip is well-formed XML.
well_formed() {
	local d="$TMP/unz-$(basename "$1")" bad=0 p
	rm -rf "$d" && mkdir -p "$d" && (cd "$d" && unzip -q "$TMP/$1") || return 1
	while IFS= read -r p; do
		xmllint --noout "$p" 2>&1 || bad=1
	done < <(find "$d" -type f \( -name '*.xml' -o -name '*.rels' \))
	[ "$(find "$d" -type f \( -name '*.xml' -o -name '*.rels' \) | wc -l)" -ge 4 ] && [ $bad = 0 ]
}

# A reader of both formats, independent of qes: prints JSON.
cat > "$TMP/office.py" <<'PY'
import json, sys, zipfile, xml.etree.ElementTree as ET
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"

def docx(path):
    z = zipfile.ZipFile(path)
    names = z.namelist()
    ct = z.read("[Content_Types].xml").decode()
    body = ET.fromstring(z.read("word/document.xml")).find(W + "body")
    out = {"parts": names, "main_type": "wordprocessingml.document.main+xml" in ct,
           "blocks": [], "tables": []}
    text = lambda e: "\n".join("".join(t.text or "" for t in p.iter(W + "t")) for p in e.iter(W + "p"))
    for e in body:
        if e.tag == W + "p":
            st = e.find(W + "pPr/" + W + "pStyle")
            out["blocks"].append([st.get(W + "val") if st is not None else "", text(e)])
        elif e.tag == W + "tbl":
            grid = len(e.findall(W + "tblGrid/" + W + "gridCol"))
            rows = []
            for tr in e.findall(W + "tr"):
                rows.append({"header": tr.find(W + "trPr/" + W + "tblHeader") is not None,
                             "cells": [text(tc) for tc in tr.findall(W + "tc")]})
            out["tables"].append({"grid": grid, "rows": rows})
            out["blocks"].append(["table", len(out["tables"]) - 1])
    return out

def xlsx(path):
    z = zipfile.ZipFile(path)
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall(S + "si"):
            shared.append("".join(t.text or "" for t in si.iter(S + "t")))
    wb = ET.fromstring(z.read("xl/workbook.xml"))
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target") for r in rels}
    sheets = []
    for sh in wb.iter(S + "sheet"):
        ws = ET.fromstring(z.read("xl/" + target[sh.get(R + "id")]))
        rows = []
        for row in ws.iter(S + "row"):
            r = int(row.get("r"))
            while len(rows) < r:
                rows.append([])
            cells = {}
            for c in row.findall(S + "c"):
                ref = c.get("r")
                col = 0
                for ch in ref:
                    if ch.isalpha():
                        col = col * 26 + ord(ch) - 64
                v = c.find(S + "v")
                if v is None:
                    val = "".join(t.text or "" for t in c.iter(S + "t"))
                elif c.get("t") == "s":
                    val = shared[int(v.text)]
                else:
                    f = float(v.text)
                    val = str(int(f)) if f == int(f) and "." not in v.text else v.text
                cells[col] = (val, c.get("t") or "n")
            rows[r - 1] = [cells.get(i, ("", ""))[0] for i in range(1, max(cells) + 1)] if cells else []
        sheets.append({"name": sh.get("name"), "rows": rows,
                       "numbers": sum(1 for row in ws.iter(S + "c") if (row.get("t") or "n") == "n")})
    return {"sheets": sheets}

print(json.dumps(docx(sys.argv[2]) if sys.argv[1] == "docx" else xlsx(sys.argv[2])))
PY
office() { python3 "$TMP/office.py" "$@"; }
# csv_of FILE: a CSV file as JSON rows (python's csv module).
csv_rows() { python3 -c 'import csv,json,sys; print(json.dumps([r for r in csv.reader(open(sys.argv[1], newline=""))]))' "$1"; }

# --- The HTML report ---------------------------------------------------------
check "the report is written as HTML" "$QES" report "$R" -o report.html
html=$(cat report.html)
check_contains "Table 1 gives the criteria by SPICE concept" "$html" \
	"<caption>Table 1. Eligibility criteria by SPICE concept</caption>"
check_contains "Table 1 has the Setting concept" "$html" \
	"<td>Setting</td><td>adult mental health and children's social care services</td>"
check_contains "the ENTREQ statement is in the report" "$html" "<table class=\"qes-entreq\">"
check_contains "the Reports column says what it lists" "$html" "<th>Reports (record keys)</th>"
check_contains "appraisal columns are headed by the question" "$html" \
	"title=\"Is a qualitative methodology appropriate?\" class=\"casp2\">Qualitative methodology appropriate</th>"
check_contains "the key gives the full question and its id" "$html" \
	"<dd>Is a qualitative methodology appropriate? (casp2)</dd>"
check_contains "the key leaves out the question no study answered" \
	"$(grep -c 'How valuable is the research? (casp10)' report.html)" "0"
check_contains "... and the note names it by its short text" "$html" \
	"Columns left out because no study has a value: How valuable is the research."
if grep -q '>casp[0-9]*</th>' report.html; then not_ok "no column is headed casp1..." "$(grep -o '>casp[0-9]*</th>' report.html | head -3)"
else ok "no column is headed casp1..."; fi
check_contains "empty characteristics columns are left out and named" "$html" \
	"Columns left out because no study has a value: Aim, Setting, Analysis method, Demographics reported, Notes."
aim=$(python3 -c 'import re,sys; s=open("report.html").read(); t=re.search(r"<table class=\"qes-studies\">.*?</table>", s, re.S).group(0); print(int(">Aim</th>" in t), int(">Country</th>" in t))')
check_eq "the characteristics table has Country but not the empty Aim" "$aim" "0 1"

# --- Generated paragraphs and their numbers ------------------------------------
texts=$("$QES" report "$R" --texts --json)
check_eq "every section has a generated paragraph" \
	"$(python3 -c 'import json,sys; print(" ".join(e["section"] + ":" + str(e["edited"]) for e in json.load(sys.stdin)))' <<<"$texts")" \
	"eligibility:False searches:False screening:False studies:False appraisal:False synthesis:False"
pj=$("$QES" prisma "$R" --json)
want=$(python3 -c 'import json,sys; p=json.load(sys.stdin); print("The searches found %d records (%d from databases and registers, %d from other methods); %d duplicates were removed, leaving %d records" % (p["identified"]["n"] + p["other_methods"]["identified"]["n"], p["identified"]["n"], p["other_methods"]["identified"]["n"], p["duplicates_removed"], p["screened"]))' <<<"$pj" 2>&1)
searches=$(json_get 1.text <<<"$texts")
check_contains "the searches paragraph has PRISMA's counts" "$searches" "$want"
check_contains "the searches paragraph has the sources and dates" "$searches" \
	"3 databases and registers (PsycINFO (Ovid), MEDLINE (PubMed), CINAHL (EBSCO)) and 1 other source (Citation searching) were searched between 2024-03-14 and 2024-05-02"
ag=$("$QES" agreement "$R" --stage ta --json)
want=$(python3 -c 'import json,sys; p=json.load(sys.stdin)["pairs"][0]; print("%s and %s both decided %d records" % (p["a"], p["b"], p["n"]), "agreeing on %.1f%% (Cohen'"'"'s kappa %.2f, 95%% CI %.2f to %.2f)" % (p["percent_agreement"], p["kappa"], p["kappa_ci95"][0], p["kappa_ci95"][1]))' <<<"$ag")
screening=$(json_get 2.text <<<"$texts")
check_contains "the screening paragraph has the pair, records both decided and kappa" "$screening" "${want%% agreeing*}"
check_contains "... and the agreement and kappa with its CI" "$screening" "${want#* records }"
check_contains "the screening paragraph gives the planned sample" "$screening" "A random sample of 10% (seed 20240314) was planned"
check_contains "the studies paragraph counts studies and reports" "$(json_get 3.text <<<"$texts")" \
	"97 studies, reported in 97 reports, were included."

check_fails "an unknown section is refused" 2 "$QES" report "$R" --set-text methods "x"
check_fails "an empty text is a usage error" 2 "$QES" report "$R" --set-text searches ""
check_fails "two actions at once are a usage error" 2 "$QES" report "$R" --texts -o x.html
check "authors set their own searches paragraph" "$QES" report "$R" --set-text searches \
	"We searched PsycINFO, MEDLINE and CINAHL on 14-15 March 2024 & checked citations."
texts=$("$QES" report "$R" --texts --json)
check_eq "the section shows as edited, with the generated text kept" \
	"$(python3 -c 'import json,sys; e=json.load(sys.stdin)[1]; print(e["edited"], e["text"][:13], e["generated"][:24])' <<<"$texts")" \
	"True We searched P 3 databases and register"
check_contains "--texts lists it as edited" "$("$QES" report "$R" --texts)" $'searches\tedited\tWe searched'
"$QES" report "$R" -o edited.html 2>/dev/null
check_contains "the report shows the authors' text, marked edited" "$(cat edited.html)" \
	"<p class=\"lead edited\" data-section=\"searches\">We searched PsycINFO, MEDLINE and CINAHL on 14-15 March 2024 &amp; checked citations.<span class=\"mark noexport\""

# --- Word ---------------------------------------------------------------------
check "the report is written as Word" "$QES" report "$R" -o report.docx
if well_formed report.docx; then ok "every part of the .docx is well-formed XML"; else not_ok "every part of the .docx is well-formed XML"; fi
dj=$(office docx report.docx)
ntables=$(grep -o '<table' edited.html | wc -l)
check_eq "the .docx has the package parts" \
	"$(python3 -c 'import json,sys; d=json.load(sys.stdin); print(sorted(d["parts"]), d["main_type"])' <<<"$dj")" \
	"['[Content_Types].xml', '_rels/.rels', 'word/_rels/document.xml.rels', 'word/document.xml', 'word/styles.xml'] True"
check_eq "the .docx has every table of the report" "$(json_get tables <<<"$dj" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" "$ntables"
check_eq "every .docx table row has a cell per grid column, and a header row" \
	"$(python3 -c 'import json,sys; d=json.load(sys.stdin); print(all(all(len(r["cells"]) == t["grid"] for r in t["rows"]) and t["rows"][0]["header"] for t in d["tables"]))' <<<"$dj")" "True"
check_eq "the .docx headings are Word headings" \
	"$(python3 -c 'import json,sys; d=json.load(sys.stdin); print([b[1] for b in d["blocks"] if b[0] == "Heading1"][:3])' <<<"$dj")" \
	"['Eligibility criteria', 'Searches', 'PRISMA 2020 flow diagram']"
check_eq "Table 1 in Word: caption, header and the Setting row" \
	"$(python3 -c 'import json,sys; d=json.load(sys.stdin); t=d["tables"][0]; i=[b for b in d["blocks"] if b[0]=="table"][0]; k=d["blocks"].index(i); print(d["blocks"][k-1][1], t["rows"][0]["cells"], t["rows"][1]["cells"][0])' <<<"$dj")" \
	"Table 1. Eligibility criteria by SPICE concept ['Concept', 'Criterion'] Setting"
check_eq "the .docx has the authors' paragraph, without the screen mark" \
	"$(python3 -c 'import json,sys; d=json.load(sys.stdin); p=[b[1] for b in d["blocks"] if str(b[1]).startswith("We searched")]; print(len(p), "[edited]" in p[0])' <<<"$dj")" "1 False"
# The included studies in Word match the HTML table cell for cell.
cmp=$(python3 - "$dj" <<'PY'
import json, re, sys, html
d = json.loads(sys.argv[1])
s = open("edited.html", encoding="utf-8").read()
t = re.search(r'<table class="qes-included">(.*?)</table>', s, re.S).group(1)
rows = [[html.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)]
        for r in re.findall(r"<tr>(.*?)</tr>", t, re.S)]
w = next(x for x in d["tables"] if x["rows"][0]["cells"][:3] == ["Study", "Title", "Reports (record keys)"])
print(len(rows), [r["cells"] for r in w["rows"]] == rows)
PY
)
check_eq "the included studies in Word are the HTML table, cell for cell" "$cmp" "98 True"

# --- Spreadsheet --------------------------------------------------------------
check "the report is written as a spreadsheet" "$QES" report "$R" -o report.xlsx
if well_formed report.xlsx; then ok "every part of the .xlsx is well-formed XML"; else not_ok "every part of the .xlsx is well-formed XML"; fi
xj=$(office xlsx report.xlsx)
check_eq "one worksheet per table of the report, names unique and at most 31 characters" \
	"$(python3 -c 'import json,sys; s=json.load(sys.stdin)["sheets"]; n=[x["name"] for x in s]; print(len(s), len(set(x.lower() for x in n)) == len(n), max(map(len, n)) <= 31)' <<<"$xj")" \
	"$ntables True True"
check_eq "the sheets are named after the sections" \
	"$(python3 -c 'import json,sys; print([x["name"] for x in json.load(sys.stdin)["sheets"]][:3])' <<<"$xj")" \
	"['Eligibility criteria', 'Searches', 'Title and abstract']"
check_eq "the Searches sheet has the records per source, as numbers" \
	"$(python3 -c 'import json,sys; s=json.load(sys.stdin)["sheets"][1]; print(s["rows"][0][:4], [r[3] for r in s["rows"][1:5]], s["numbers"] >= 5)' <<<"$xj")" \
	"['Source', 'Method', 'Searched', 'Records'] ['168', '104', '106', '10'] True"

# --- Every table command writes .xlsx: read back against its CSV ----------------
# same_as_csv DESC XLSX CSV: the first sheet's cells are the CSV's.
same_as_csv() {
	local res
	office xlsx "$2" > "$TMP/x.json"
	csv_rows "$3" > "$TMP/c.json"
	res=$(python3 - "$TMP/x.json" "$TMP/c.json" <<'PY'
import json, sys
x = json.load(open(sys.argv[1]))["sheets"][0]["rows"]
c = json.load(open(sys.argv[2]))
norm = lambda rows: [[v for v in r] + [""] * (max(map(len, rows)) - len(r)) for r in rows]
def num(v):
    try:
        f = float(v)
        return repr(round(f, 6))
    except ValueError:
        return v
a = [[num(v) for v in r] for r in norm(x)]
b = [[num(v) for v in r] for r in norm(c)]
print("same %d rows" % len(b) if a == b else "differ: %s vs %s" % (next((p for p in zip(a, b) if p[0] != p[1]), (len(a), len(b)))))
PY
)
	case $res in same*) ok "$1 ($res)" ;; *) not_ok "$1" "$res" ;; esac
}
"$QES" appraise table "$R" --csv > appraise.csv
check "appraise table --csv -o FILE.xlsx" "$QES" appraise table "$R" --csv -o appraise.xlsx
same_as_csv "the appraisal spreadsheet is the appraisal CSV" appraise.xlsx appraise.csv
"$QES" prisma "$R" --csv > prisma.csv
check "prisma -o FILE.xlsx" "$QES" prisma "$R" -o prisma.xlsx
same_as_csv "the PRISMA spreadsheet is prisma --csv" prisma.xlsx prisma.csv
"$QES" theme table "$R" --csv > themes.csv
check "theme table --csv -o FILE.xlsx" "$QES" theme table "$R" --csv -o themes.xlsx
same_as_csv "the themes spreadsheet is theme table --csv" themes.xlsx themes.csv
for t in soqf profile; do
	"$QES" cerqual $t "$R" --csv > $t.csv
	check "cerqual $t --csv -o FILE.xlsx" "$QES" cerqual $t "$R" --csv -o $t.xlsx
	same_as_csv "the cerqual $t spreadsheet is its CSV" $t.xlsx $t.csv
done
check "cerqual profile -o FILE.docx (the HTML table's headings)" "$QES" cerqual profile "$R" -o profile.docx
check_eq "the CERQual profile in Word has its 13 columns" \
	"$(office docx profile.docx | python3 -c 'import json,sys; t=json.load(sys.stdin)["tables"][0]; print(t["grid"], t["rows"][0]["cells"][2])')" \
	"13 Methodological limitations"
"$QES" export "$R" -o records.csv 2>/dev/null
check "export -o FILE.xlsx" "$QES" export "$R" -o records.xlsx
same_as_csv "the records spreadsheet is the CSV export" records.xlsx records.csv
check "agreement -o FILE.csv" "$QES" agreement "$R" --stage ta -o agreement.csv
check "agreement -o FILE.xlsx" "$QES" agreement "$R" --stage ta -o agreement.xlsx
same_as_csv "the agreement spreadsheet is its CSV" agreement.xlsx agreement.csv
check_eq "the agreement table has the pair's numbers" \
	"$(python3 -c 'import csv; r=list(csv.DictReader(open("agreement.csv"))); print(r[0]["a"], r[0]["b"], r[0]["n"], r[0]["kappa"][:4])')" \
	"AB CD $(json_get pairs.0.n <<<"$ag") $(python3 -c 'import json,sys; print(str(json.load(sys.stdin)["pairs"][0]["kappa"])[:4])' <<<"$ag")"
check "studies -o FILE.xlsx" "$QES" studies "$R" -o studies.xlsx
check_eq "the characteristics spreadsheet has a row per study and the table's header" \
	"$(office xlsx studies.xlsx | python3 -c 'import json,sys; s=json.load(sys.stdin)["sheets"][0]; print(len(s["rows"]), s["rows"][0][:3])')" \
	"98 ['Study', 'Aim', 'Country']"
bad=""
for f in appraise.xlsx prisma.xlsx themes.xlsx soqf.xlsx records.xlsx agreement.xlsx studies.xlsx profile.docx; do
	well_formed "$f" >/dev/null || bad="$bad $f"
done
check_eq "every exported file's XML parts are well-formed" "$bad" ""

# --- Outputs that must not change ---------------------------------------------
check_eq "prisma --csv still starts with its header" "$(head -1 prisma.csv)" "column,box,label,n"
check_fails "a .xlsx into a missing folder fails (exit 1) and leaves nothing" 1 \
	"$QES" report "$R" -o "$TMP/no/such/dir/r.xlsx"
check_eq "no temporary file is left beside it" "$(ls "$TMP"/*.tmp* 2>/dev/null | wc -l)" "0"
check "reset goes back to the generated paragraph" "$QES" report "$R" --reset-text searches
check_eq "the searches paragraph is generated again" \
	"$("$QES" report "$R" --texts --json | python3 -c 'import json,sys; e=json.load(sys.stdin)[1]; print(e["edited"], e["text"] == e["generated"])')" "False True"

# --- The web page offers the same files -----------------------------------------
mkdir -p "$TMP/tmpd"
if command -v curl >/dev/null && TMPDIR="$TMP/tmpd" serve_start "$R"; then
	check_eq "the owner logs in" "$(web_login ann demo-owner-pass ja)" 200
	code=$(curl -s -b ja -o web.docx -w '%{http_code} %{content_type}' "$U/api/review/report?format=docx")
	check_eq "GET /api/review/report?format=docx answers a Word document" "$code" \
		"200 application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	check_eq "the web's .docx has the report's tables" \
		"$(office docx web.docx | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["tables"]))')" "$ntables"
	code=$(curl -s -b ja -o web.xlsx -w '%{http_code} %{content_type}' "$U/api/review/report?format=xlsx")
	check_eq "GET /api/review/report?format=xlsx answers a spreadsheet" "$code" \
		"200 application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	if well_formed web.xlsx >/dev/null; then ok "the web's .xlsx is well-formed"; else not_ok "the web's .xlsx is well-formed"; fi
	check_eq "another format is a bad request" \
		"$(curl -s -b ja -o /dev/null -w '%{http_code}' "$U/api/review/report?format=pdf")" 400
	check_eq "without a session: 401" \
		"$(curl -s -o /dev/null -w '%{http_code}' "$U/api/review/report?format=docx")" 401
	check_eq "the server leaves no temporary file in its TMPDIR" "$(ls -A "$TMP/tmpd" | wc -l)" 0
fi

# --- LibreOffice, only when it is already installed ----------------------------
if command -v libreoffice >/dev/null 2>&1 || command -v soffice >/dev/null 2>&1; then
	lo=$(command -v libreoffice || command -v soffice)
	if timeout 180 "$lo" --headless --convert-to pdf --outdir "$TMP/lo" report.docx >/dev/null 2>&1 &&
		[ -s "$TMP/lo/report.pdf" ]; then ok "LibreOffice converts the .docx to PDF"
	else not_ok "LibreOffice converts the .docx to PDF"; fi
else
	skip "LibreOffice is not installed: the .docx is checked by the XML reader only"
fi
