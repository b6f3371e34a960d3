#!/usr/bin/env bash
# t99: the themes board and the synthesis tables in the browser's API and
# pages. Codes are put into descriptive themes, those grouped under an
# analytical theme and a subtheme, one taken out again, a theme renamed and
# traced; every change is checked against `qes theme list --json`. The
# tables page carries the themes table (with the illustrative quote and its
# perspective), the matrix, SoQF and ENTREQ. Advisors get 403; a reviewer's
# views are blinded on a sampled source. Then the board in Chromium.
source "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
if ! command -v curl >/dev/null; then skip "curl is not installed"; exit 0; fi
R=$TMP/r.qes
cd "$TMP"
check "init" "$QES" init "$R"
cat > m.txt <<'TXT'
Mother (M1): The first visit felt like an inspection of my kitchen.
Mother (M1): Nobody asked how I was sleeping.
TXT
cat > p.txt <<'TXT'
Social worker (S1): With forty families I had no time to build trust.
TXT
check "a parents' transcript" "$QES" code source add "$R" m.txt --name Mothers --kind transcript
check "a practitioners' transcript" "$QES" code source add "$R" p.txt --name Workers --kind transcript
check "speaker turns to cases" "$QES" code speakers "$R" Mothers --attr perspective=parent
check "and the worker's" "$QES" code speakers "$R" Workers --attr perspective=practitioner
for c in "Parents/Inspected" "Parents/Unheard" "Practitioners/No time"; do check "code $c" "$QES" code add "$R" "$c"; done
"$QES" code find "$R" --as ann Mothers "The first visit felt like an inspection of my kitchen." "Parents/Inspected" --quote --illustrative >/dev/null
"$QES" code find "$R" --as ann Mothers "Nobody asked how I was sleeping." "Parents/Unheard" --quote >/dev/null
"$QES" code find "$R" --as ann Workers "With forty families I had no time to build trust." "Practitioners/No time" --quote --illustrative >/dev/null
check "owner ann" sh -c "echo 'ann-password' | '$QES' user add '$R' ann --role owner --initials AN"
check "reviewer bob" sh -c "echo 'bob-password' | '$QES' user add '$R' bob --role reviewer --initials BO"
check "advisor val" sh -c "echo 'val-password' | '$QES' user add '$R' val --role advisor"

serve_start "$R" || exit 1
check_eq "ann logs in" "$(web_login ann ann-password ja)" 200
chg() { web_call ja POST /api/themes/change "$1"; }
check_eq "a descriptive theme" "$(chg '{"action":"add","name":"Watched","level":"descriptive","text":"Visits as inspection"}')" 200
check_eq "a second one" "$(chg '{"action":"add","name":"Stretched","level":"descriptive"}')" 200
check_eq "an analytical theme" "$(chg '{"action":"add","name":"A downward spiral","level":"analytical"}')" 200
check_eq "a subtheme of it" "$(chg '{"action":"add","name":"Feeling judged","parent":"A downward spiral"}')" 200
check_eq "two codes into Watched" "$(chg '{"action":"codes","theme":"Watched","codes":["Parents/Inspected","Parents/Unheard"]}')" 200
check_eq "one into Stretched" "$(chg '{"action":"codes","theme":"Stretched","codes":["Practitioners/No time"]}')" 200
check_eq "both grouped under the subtheme" "$(chg '{"action":"group","parent":"A downward spiral/Feeling judged","children":["Watched","Stretched"]}')" 200
check_eq "Unheard taken out of Watched" "$(chg '{"action":"codes","theme":"Watched","codes":["Parents/Unheard"],"remove":true}')" 200
check_eq "Stretched renamed" "$(chg '{"action":"rename","theme":"Stretched","name":"Stretched services"}')" 200
check_eq "an unknown code: 404" "$(chg '{"action":"codes","theme":"Watched","codes":["Nope"]}')" 404
check_eq "an unknown action: 400" "$(chg '{"action":"explode","theme":"Watched"}')" 400
check_eq "a theme named twice: 409" "$(chg '{"action":"add","name":"Watched","level":"descriptive"}')" 409
check_eq "codes must be a list: 400" "$(chg '{"action":"codes","theme":"Watched","codes":"Parents/Inspected"}')" 400
tree=$("$QES" theme list "$R" --json | python3 -c '
import json,sys
for t in json.load(sys.stdin): print(t["level"], t["name"], t["parent"] or "-", sorted(t["codes"]), sorted(t["themes"]), t["counts"]["spans"])')
check_eq "the stored tree (qes theme list)" "$tree" "analytical A downward spiral - [] [] 2
subtheme Feeling judged A downward spiral [] ['Stretched services', 'Watched'] 2
descriptive Watched - ['Parents/Inspected'] [] 1
descriptive Stretched services - ['Practitioners/No time'] [] 1"
check_eq "the board: 200" "$(web_call ja GET /api/themes)" 200
board=$(python3 -c '
import json,sys; b = json.load(open(sys.argv[1]))
print(len(b["themes"]), sorted(c["path"] for c in b["codes"] if not c["folder"]))' "$TMP/last.json")
check_eq "the board lists themes and codes" "$board" "4 ['Parents/Inspected', 'Parents/Unheard', 'Practitioners/No time']"
check_eq "trace: 200" "$(web_call ja GET '/api/themes/trace?theme=A%20downward%20spiral/Feeling%20judged')" 200
trace=$(python3 -c 'import json,sys; t = json.load(open(sys.argv[1])); print(len(t["spans"]), t["perspectives"], t["cases"])' "$TMP/last.json")
check_eq "the subtheme rests on both perspectives' spans" "$trace" "2 ['parent', 'practitioner'] ['M1', 'S1']"
check_eq "tables: 200" "$(web_call ja GET /api/synthesis/tables)" 200
tables=$(python3 -c '
import json,sys; t = json.load(open(sys.argv[1]))
print(sorted(t), "inspection of my kitchen" in t["themes"], "Feeling judged" in t["themes"], "practitioner" in t["matrix"], "qes-entreq" in t["entreq"])' "$TMP/last.json")
check_eq "the tables: themes (quote and subtheme), matrix, ENTREQ" "$tables" \
	"['entreq', 'framework', 'leag', 'matrix', 'profile', 'soqf', 'themes'] True True True True"
check_eq "the tables escape what coders wrote" "$(python3 -c 'import json,sys; print("<script" in json.load(open(sys.argv[1]))["themes"])' "$TMP/last.json")" False
check_eq "advisor val logs in" "$(web_login val val-password jv)" 200
for r in "GET /api/themes" "GET /api/synthesis/tables" "GET /api/themes/trace?theme=Watched"; do
	check_eq "$r: 403 for an advisor" "$(web_call jv $r)" 403
done
check_eq "an advisor cannot change the board: 403" "$(web_call jv POST /api/themes/change '{"action":"remove","theme":"Watched"}')" 403
# Blinding: Mothers in the double-coding sample, not done: bob sees none of ann's spans.
check "the sample is every source" "$QES" code sample "$R" --fraction 1 --seed 3
check_eq "bob logs in" "$(web_login bob bob-password jb)" 200
check_eq "bob's board" "$(web_call jb GET /api/themes)" 200
check_eq "bob's counts leave ann's blinded spans out" "$(python3 -c 'import json,sys; print(sum(t["counts"]["spans"] for t in json.load(open(sys.argv[1]))["themes"]))' "$TMP/last.json")" 0
web_call ja GET /api/themes >/dev/null
check_eq "ann's still count hers" "$(python3 -c 'import json,sys; print(sum(t["counts"]["spans"] for t in json.load(open(sys.argv[1]))["themes"]))' "$TMP/last.json")" 6

if [ ! -x /usr/bin/chromium ] || [ ! -d "$ROOT/tests/e2e/node_modules/playwright-core" ]; then
	skip "no chromium or playwright-core (scripts/install-deps installs them)"; exit 0
fi
mkdir -p "$ROOT/build/artifacts/screenshots"
res=$(cd "$ROOT/tests/e2e" && timeout 180 node web-themes.mjs "$U/" ann ann-password \
	"$ROOT/build/artifacts/screenshots" 2>&1)
node_tap chromium "$res"
got=$("$QES" theme list "$R" --json | python3 -c '
import json,sys
for t in json.load(sys.stdin):
    if t["name"] == "Not asked": print(t["level"], t["codes"])')
check_eq "the theme made in the browser holds the ticked code and the dropped one" "$got" \
	"descriptive ['Parents/Unheard', 'Practitioners/No time']"
check_eq "the theme dropped on the analytical theme is grouped under it" \
	"$("$QES" theme list "$R" --json | python3 -c 'import json,sys
print([t for t in json.load(sys.stdin) if t["name"] == "A downward spiral"][0]["themes"])' | grep -c 'Not asked')" 1
