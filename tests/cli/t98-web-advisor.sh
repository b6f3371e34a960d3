#!/usr/bin/env bash
# t98: the lived-experience advisors' view in the browser's API and page.
# The team shares one theme and one finding, holds back one quote under the
# shared theme and leaves another theme unshared. An advisor sees exactly
# the shared items (never the held-back quote, the unshared theme, a record
# or a coder's name), comments on a shared theme and in general, cannot
# comment on an unshared item, and sees the team's response; the comment is
# in the LEAG log. Then the same in Chromium (playwright-core), when there.
source "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
if ! command -v curl >/dev/null; then skip "curl is not installed"; exit 0; fi
R=$TMP/r.qes
cd "$TMP"
check "init" "$QES" init "$R"

# Two short results sections written for this test, with a study each.
cat > a.txt <<'TXT'
Mothers described the first home visit as an inspection rather than help.
"I cleaned for two days and still felt I had failed," said one mother.
"They looked in the fridge before they asked how I was," said another.
TXT
cat > b.txt <<'TXT'
Social workers said caseloads left no time to build trust with parents.
"I had forty families; I could not be the worker she needed," one explained.
TXT
check "source A" "$QES" code source add "$R" a.txt --name StudyA
check "source B" "$QES" code source add "$R" b.txt --name StudyB
check "code: feeling inspected" "$QES" code add "$R" "Parents/Feeling inspected"
check "code: no time for trust" "$QES" code add "$R" "Practitioners/No time for trust"
q() { "$QES" code find "$R" --as ann "$@" >/dev/null || not_ok "code find $*"; }
q StudyA "I cleaned for two days and still felt I had failed," "Parents/Feeling inspected" --quote --illustrative
q StudyA "They looked in the fridge before they asked how I was," "Parents/Feeling inspected" --quote
q StudyB "I had forty families; I could not be the worker she needed," "Practitioners/No time for trust" --quote
# Themes (the themes commands are another module's; rows written here).
python3 - "$R" <<'PY'
import sqlite3, sys, uuid
db = sqlite3.connect(sys.argv[1])
def theme(name, desc, code):
    db.execute("INSERT INTO code_themes(guid, level, name, description) VALUES (?, 'descriptive', ?, ?)", (str(uuid.uuid4()), name, desc))
    t = db.execute("SELECT id FROM code_themes WHERE name = ?", (name,)).fetchone()[0]
    c = db.execute("SELECT id FROM code_codes WHERE path = ?", (code,)).fetchone()[0]
    db.execute("INSERT INTO code_theme_codes VALUES (?, ?)", (t, c))
theme("Being watched, not helped", "Visits felt like inspections.", "Parents/Feeling inspected")
theme("Stretched services", "Caseloads crowd out relationships.", "Practitioners/No time for trust")
db.commit()
PY
HELD=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT guid FROM code_codings WHERE start > 100 AND source_id = (SELECT id FROM code_sources WHERE name = ?)", ("StudyA",)).fetchone()[0])' "$R")
check "a finding on the shared theme" "$QES" finding add "$R" F1 "Parents experienced visits as surveillance." --theme "Being watched, not helped" --by ann
check "share the theme" "$QES" advisory share "$R" "theme:Being watched, not helped" --by ann
check "hold back the fridge quote" "$QES" advisory hold "$R" "coding:$HELD" --by ann
check "share the finding" "$QES" advisory share "$R" "finding:F1" --by ann
check "owner ann" sh -c "echo 'ann-password' | '$QES' user add '$R' ann --role owner --initials AN"
check "advisor val" sh -c "echo 'val-password' | '$QES' user add '$R' val --role advisor"
check "advisor wes, not linked to the group" sh -c "echo 'wes-password' | '$QES' user add '$R' wes --role advisor"
check "val is advisor Val M. of the group" "$QES" advisory advisor "$R" "Val M." --user val --by ann

serve_start "$R" || exit 1
check_eq "advisor val logs in" "$(web_login val val-password jv)" 200
check_eq "advisor's view: 200" "$(web_call jv GET /api/advisor/view)" 200
view=$(python3 -c '
import json,sys; v = json.load(open(sys.argv[1]))
print([t["theme"] for t in v["themes"]], [q["text"] for t in v["themes"] for q in t["quotes"]], [f["finding"] for f in v["findings"]])' "$TMP/last.json")
check_eq "exactly the shared theme and finding, without the held-back quote" "$view" \
	"['Being watched, not helped'] ['I cleaned for two days and still felt I had failed,'] ['F1']"
body=$(cat "$TMP/last.json")
case $body in *fridge*|*forty*|*Stretched*|*ann*|*StudyB*) not_ok "nothing unshared in the view's bytes" "$body" ;; *) ok "nothing unshared in the view's bytes" ;; esac
check_eq "an advisor gets no record (403)" "$(web_call jv GET '/api/screen/next?stage=ta')" 403
check_eq "nor the review's status (403)" "$(web_call jv GET /api/status)" 403
check_eq "nor the PRISMA counts (403)" "$(web_call jv GET /api/prisma)" 403
check_eq "a comment on the shared theme" \
	"$(web_call jv POST /api/advisor/comments '{"text":"Inspection is exactly the word mothers use.","on":"theme:Being watched, not helped"}')" 200
check_eq "a general comment" "$(web_call jv POST /api/advisor/comments '{"text":"Please add fathers too."}')" 200
check_eq "a comment on an unshared theme: 404, as if it did not exist" \
	"$(web_call jv POST /api/advisor/comments '{"text":"x","on":"theme:Stretched services"}')" 404
check_eq "a comment on a theme that does not exist: the same 404" \
	"$(web_call jv POST /api/advisor/comments '{"text":"x","on":"theme:Nope"}')" 404
check_eq "an empty comment: 400" "$(web_call jv POST /api/advisor/comments '{"text":""}')" 400
check_eq "without the CSRF token: 403" "$(curl -s -o /dev/null -w '%{http_code}' -b jv -H 'Content-Type: application/json' -d '{"text":"y"}' "$U/api/advisor/comments")" 403
log=$("$QES" advisory log "$R" --json | python3 -c '
import json,sys; l = json.load(sys.stdin)
print([(c["by"], c["on"], c["status"]) for c in l["comments"]])')
check_eq "both comments are in the LEAG log, by Val M." "$log" \
	"[('Val M.', 'descriptive theme: Being watched, not helped', 'pending'), ('Val M.', '', 'pending')]"
cid=$("$QES" advisory log "$R" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["comments"][0]["comment"])')
check "the team responds" "$QES" advisory respond "$R" "$cid" adopted --change "Theme renamed around inspection." --affects "theme:Being watched, not helped" --by ann
check_eq "val's comments: 200" "$(web_call jv GET /api/advisor/comments)" 200
mine=$(python3 -c 'import json,sys; print([(c["status"], c["change"]) for c in json.load(open(sys.argv[1]))["comments"]])' "$TMP/last.json")
check_eq "val sees the response to her comment" "$mine" \
	"[('adopted', 'Theme renamed around inspection.'), ('pending', '')]"
check_eq "advisor wes logs in" "$(web_login wes wes-password jw)" 200
check_eq "an advisor account outside the group cannot comment (403)" \
	"$(web_call jw POST /api/advisor/comments '{"text":"hello"}')" 403
check_eq "owner logs in" "$(web_login ann ann-password ja)" 200
check_eq "the owner previews the advisors' view" "$(web_call ja GET /api/advisor/view)" 200
check_eq "the owner does not comment as an advisor (403)" "$(web_call ja POST /api/advisor/comments '{"text":"x"}')" 403

# In the browser: the advisor's page shows the shared quote, never the
# held-back one, and a comment sent there arrives in the log.
if [ ! -x /usr/bin/chromium ] || [ ! -d "$ROOT/tests/e2e/node_modules/playwright-core" ]; then
	skip "no chromium or playwright-core (scripts/install-deps installs them)"; exit 0
fi
mkdir -p "$ROOT/build/artifacts/screenshots"
res=$(cd "$ROOT/tests/e2e" && timeout 180 node web-advisor.mjs "$U/" val val-password \
	"$ROOT/build/artifacts/screenshots/advisor-page.png" 2>&1)
node_tap chromium "$res"
n_comments=$("$QES" advisory log "$R" --json | python3 -c 'import json,sys; print(sum(c["text"] == "Said in the browser." for c in json.load(sys.stdin)["comments"]))')
check_eq "the comment sent in the browser is in the log" "$n_comments" 1
