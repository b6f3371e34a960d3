#!/usr/bin/env bash
# t95: the coding page in Debian's headless Chromium (playwright-core,
# tests/e2e/web-code.mjs): a span is selected by keyboard and coded, another
# as a mouse selects it; the highlights appear, and `qes code list --json`
# holds both spans with the right code-point offsets and text (after an
# emoji and a combining mark). Screenshot: build/artifacts/screenshots/code.png.
source "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
if [ ! -x /usr/bin/chromium ]; then skip "no /usr/bin/chromium (scripts/install-deps installs it)"; exit 0; fi
if [ ! -d "$ROOT/tests/e2e/node_modules/playwright-core" ]; then
	skip "playwright-core not installed (scripts/install-deps --test runs npm ci in tests/e2e)"; exit 0
fi
R=$TMP/r.qes
cd "$TMP"
check "init" "$QES" init "$R"
printf 'Mother (P3): \xf0\x9f\x98\x80 it was fine, q\xcc\x81uite fine, until the letter came.\nThen I felt judged by everyone.\n' >a.txt
check "a source with an emoji and a combining mark" "$QES" code source add "$R" a.txt --name SrcA --kind transcript
check "reviewer ann" sh -c "echo 'ann-password' | '$QES' user add '$R' ann --role reviewer"
serve_start "$R" || exit 0
PID=$SERVE_PID
SID=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT id FROM code_sources WHERE name = ?", ("SrcA",)).fetchone()[0])' "$R")
mkdir -p "$ROOT/build/artifacts/screenshots"
PNG=$ROOT/build/artifacts/screenshots/code.png
rm -f "$PNG"
res=$(cd "$ROOT/tests/e2e" && timeout 180 node web-code.mjs "http://127.0.0.1:$PORT/" ann ann-password "$SID" "$PNG" 2>&1)
node_tap chromium "$res"
# The offsets the page must have sent, computed here independently.
read -r S E < <(python3 -c 'import unicodedata; t = unicodedata.normalize("NFC", open("a.txt", encoding="utf-8").read()); w = "q\u0301uite"; s = t.index(w); print(s, s + len(w))')
check_eq "the page and this script agree on the code points" "$(echo "$res" | sed -n 's/^expect //p')" "$S $E"
lst=$("$QES" code list "$R" --json | python3 -c 'import json,sys
for c in json.load(sys.stdin): print(c["coder"], c["code"], c["start"], c["end"], ascii(c["text"]), c["kind"] or "-", c["illustrative"])')
check_eq "qes code list --json has both spans with their text" "$lst" \
"ann Parent/Feeling judged $S $E 'q\u0301uite' - False
ann Parent/Fear of removal $S $((E + 5)) 'q\u0301uite fine' quote True"
check_eq "the screenshot was saved" "$(test -s "$PNG" && echo yes)" yes
