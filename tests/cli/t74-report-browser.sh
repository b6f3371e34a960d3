#!/usr/bin/env bash
# t74: the demo review's report in Debian's headless Chromium (playwright-
# core): no table wider than the page on screen (1280 and 800 px) or in
# print (A4 text width), edited-paragraph marks not printed, header rows
# repeated; then the report printed to PDF and read back with pdftotext
# -bbox: every word lies inside the page's text area (no table cut off at
# the right edge). The PDF is kept in build/artifacts/.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
if [ ! -x /usr/bin/chromium ]; then skip "no /usr/bin/chromium (scripts/install-deps installs it)"; exit 0; fi
if [ ! -d "$ROOT/tests/e2e/node_modules/playwright-core" ]; then
	skip "playwright-core not installed (scripts/install-deps runs npm ci in tests/e2e)"; exit 0
fi
mkdir -p "$ROOT/build/artifacts"
out=$(cd "$ROOT" && QES="$QES" DEMO="$TMP/demo.qes" DEMO_DATA="$TMP/demo-data" bash scripts/demo.sh 2>&1)
if [ $? -ne 0 ]; then not_ok "the demo builds" "${out: -3000}"; exit 0; fi
ok "the demo builds"
R="$TMP/demo.qes"
check "an author's paragraph is kept" "$QES" report "$R" --set-text screening \
	"Two reviewers screened a random 10% sample independently; see the table for agreement."
check "the report is written" "$QES" report "$R" -o "$TMP/report.html"
pdf="$ROOT/build/artifacts/report-demo.pdf"
rm -f "$pdf"
layout=$(cd "$ROOT/tests/e2e" && timeout 180 node report-print.mjs "$TMP/report.html" "$pdf" 2>&1)
node_tap chromium "$layout"
if ! command -v pdftotext >/dev/null; then skip "no pdftotext (poppler-utils)"; exit 0; fi
if [ ! -s "$pdf" ]; then not_ok "Chromium printed the report to PDF" "$layout"; exit 0; fi
ok "Chromium printed the report to PDF"
pdftotext -bbox "$pdf" "$TMP/bbox.html"
# A4 is 595.3 pt wide; the report's @page margin is 15 mm (42.5 pt): every
# word must end left of 595.3 - 42.5 pt (1 pt of slack for rounding).
res=$(python3 - "$TMP/bbox.html" <<'PY'
import re, sys
s = open(sys.argv[1], encoding="utf-8").read()
pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', s, re.S)
bad, words = [], 0
for i, (w, h, body) in enumerate(pages, 1):
    limit = float(w) - 42.5 + 1
    for xmin, ymin, xmax, ymax, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', body):
        words += 1
        if float(xmax) > limit or float(xmin) < 42.5 - 1:
            bad.append("page %d: %r at x %s-%s" % (i, word, xmin, xmax))
print("%d %d %d" % (len(pages), words, len(bad)))
print("; ".join(bad[:10]))
PY
)
read -r pages words nbad <<<"$(head -1 <<<"$res")"
[ "${pages:-0}" -ge 3 ] && ok "the PDF has $pages A4 pages" || not_ok "the PDF has pages" "$res"
[ "${words:-0}" -gt 2000 ] && ok "pdftotext reads $words words" || not_ok "pdftotext reads the words" "$res"
check_eq "no word of the printed report lies outside the text area" "${nbad:-?}" 0
[ "${nbad:-0}" = 0 ] || echo "#   $(sed -n 2p <<<"$res")"
text=$(pdftotext "$pdf" - 2>/dev/null)
check_contains "the PDF has Table 1" "$text" "Table 1. Eligibility criteria by SPICE concept"
check_contains "the PDF has the CERQual evidence profile" "$text" "GRADE-CERQual evidence profile"
check_contains "the PDF has the authors' paragraph" "$text" "Two reviewers screened a random 10% sample"
