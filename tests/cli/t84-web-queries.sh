#!/usr/bin/env bash
# t84-web-queries: the synthesis queries through qes serve, driven with
# curl. Every route answers 401 without a session and 403 to an advisor; a
# summary needs the CSRF token; each answer is what `qes query ... --json`
# prints for that user (blinded on a sampled source), and ?format=csv is the
# CLI's CSV. The texts are written for this test.
source "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
if ! command -v curl >/dev/null; then skip "curl is not installed"; exit 0; fi
R=$TMP/r.qes
cd "$TMP"

check "init" "$QES" init "$R"
# Line 1 the interviewer (no case), 2 a mother, 3 a family support worker.
printf 'Interviewer: tell me about the first visit.\nMother (P1): I was sure they had come for the baby. I hid the bruise on my arm.\nWorker (W1): We try to say early that our job is to keep families together.\n' >fg.txt
check "a transcript" "$QES" code source add "$R" fg.txt --name FG --kind transcript
"$QES" code case add "$R" P1 --attr perspective=parent --attr role=mother >/dev/null
"$QES" code case link "$R" P1 FG --from 2 --to 2 >/dev/null
"$QES" code case add "$R" W1 --attr perspective=practitioner --attr "role=family support worker" >/dev/null
"$QES" code case link "$R" W1 FG --from 3 --to 3 >/dev/null
for c in "Parent/Fear of removal" "Parent/Concealment" "Practice/Reassurance"; do "$QES" code add "$R" "$c" >/dev/null; done
cf() { "$QES" code find "$R" --as "$@" >/dev/null || not_ok "code find $*"; }
cf ann FG "I was sure they had come for the baby. I hid the bruise" "Parent/Fear of removal" --quote --illustrative
cf ann FG "I hid the bruise on my arm." "Parent/Concealment" --quote
cf bob FG "our job is to keep families together" "Practice/Reassurance" --quote
"$QES" theme add "$R" "Hiding to stay together" --level descriptive >/dev/null
"$QES" theme add "$R" "Reassurance" --level descriptive >/dev/null
"$QES" theme codes "$R" "Hiding to stay together" Parent >/dev/null
"$QES" theme codes "$R" "Reassurance" "Practice/Reassurance" >/dev/null
check "owner ann" sh -c "echo 'ann-password' | '$QES' user add '$R' ann --role owner"
check "reviewer bob" sh -c "echo 'bob-password' | '$QES' user add '$R' bob --role reviewer"
check "advisor val" sh -c "echo 'val-password' | '$QES' user add '$R' val --role advisor"

serve_start "$R" || exit 1
PID=$SERVE_PID
ok "qes serve started"

code() { local m=$1 p=$2; shift 2; curl -s -o /dev/null -w '%{http_code}' -X "$m" "$@" "$U$p"; }
jcode() { code "$@" -H 'Content-Type: application/json'; }
login() {
	local st
	st=$(curl -s -o "$3.body" -c "$3" -w '%{http_code}' -H 'Content-Type: application/json' \
		-d "{\"name\":\"$1\",\"password\":\"$2\"}" "$U/api/login")
	json_get csrf <"$3.body" >"$3.csrf" 2>/dev/null
	echo "$st"
}
post() {
	curl -s -o last.body -w '%{http_code}' -b "$1" -H 'Content-Type: application/json' \
		-H "X-CSRF-Token: $(cat "$1.csrf")" -d "$3" "$U$2"
}
get() { curl -s -b "$1" "$U$2"; }
# Canonical JSON, so the server's and the CLI's answers compare as data.
canon() { python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin), sort_keys=True))'; }

ROUTES="GET:/api/query/search?q=x GET:/api/query/cooccur GET:/api/query/matrix GET:/api/query/framework POST:/api/query/summary"
check_guarded "$ROUTES"
check_eq "ann (owner) logs in" "$(login ann ann-password ja)" 200
check_eq "bob (reviewer) logs in" "$(login bob bob-password jb)" 200
check_eq "val (advisor) logs in" "$(login val val-password jv)" 200
check_guarded "$ROUTES" jv

# The same answers as the CLI, for ann (nothing sampled yet: all codings).
same() {  # same URL CLI-ARGS...: the server's answer to ann is the CLI's --as ann
	local url=$1; shift
	check_eq "GET $url is qes query $* --as ann --json" "$(get ja "$url" | canon)" \
		"$("$QES" query "$1" "$R" "${@:2}" --as ann --json | canon)"
}
same /api/query/matrix matrix
same "/api/query/matrix?attribute=role" matrix --attribute role
same /api/query/cooccur cooccur
same "/api/query/framework?by=case&level=descriptive" framework --by case --level descriptive
same "/api/query/search?q=BRUISE&context=5" search BRUISE --context 5
# By hand: Hiding to stay together holds both Parent codes: ann's two spans,
# both on P1's line (parent); Reassurance bob's one (practitioner).
m=$(get ja /api/query/matrix | python3 -c '
import json,sys; m=json.load(sys.stdin)
print(m["columns"], [(r["theme"], {k: v["spans"] for k, v in r["cells"].items()}) for r in m["rows"]])')
check_eq "matrix by hand" "$m" "['parent', 'practitioner'] [('Hiding to stay together', {'parent': 2}), ('Reassurance', {'practitioner': 1})]"
co=$(get ja /api/query/cooccur | python3 -c 'import json,sys; print([(p["code_a"], p["code_b"], p["chars"]) for p in json.load(sys.stdin)["pairs"]])')
check_eq "co-occurrence: ann's two codes share 'I hid the bruise' (16 characters)" "$co" \
	"[('Parent/Concealment', 'Parent/Fear of removal', 16)]"
csv=$(curl -s -b ja -D hdr.txt "$U/api/query/cooccur?format=csv")
check_eq "?format=csv is the CLI's CSV" "$csv" "$("$QES" query cooccur "$R" --csv)"
check_contains "a CSV download" "$(cat hdr.txt)" "text/csv"
check_eq "search needs q: 400" "$(code GET /api/query/search -b ja)" 400
check_eq "a bad limit: 400" "$(code GET '/api/query/search?q=a&limit=-1' -b ja)" 400
check_eq "framework by source is not a choice: 400" "$(code GET '/api/query/framework?by=source' -b ja)" 400

# Cell summaries: CSRF, validation, and the framework shows them.
check_eq "a summary without CSRF: 403" "$(jcode POST /api/query/summary -b ja -d '{"theme":"Reassurance","by":"case","row":"W1","text":"x"}')" 403
check_eq "a summary: 200" "$(post ja /api/query/summary '{"theme":"Reassurance","by":"case","row":"W1","text":"Says the job is keeping families together"}')" 200
check_eq "a summary on an unknown case: 404" "$(post ja /api/query/summary '{"theme":"Reassurance","by":"case","row":"Z9","text":"x"}')" 404
check_eq "a summary without text: 400" "$(post ja /api/query/summary '{"theme":"Reassurance","by":"case","row":"W1"}')" 400
f=$(get ja "/api/query/framework?by=case" | python3 -c '
import json,sys; f=json.load(sys.stdin); c=next(r for r in f["rows"] if r["row"]=="W1")["cells"]["Reassurance"]; print(c["spans"], c["summary"])')
check_eq "the framework shows the summary" "$f" "1 Says the job is keeping families together"

# Blinding: the source sampled, nobody done: bob sees only his span.
"$QES" code sample "$R" --fraction 1 --seed 1 >/dev/null
b=$(get jb /api/query/matrix | python3 -c 'import json,sys; print([(r["theme"], r["total"]["spans"]) for r in json.load(sys.stdin)["rows"]])')
check_eq "bob's matrix is blinded" "$b" "[('Hiding to stay together', 0), ('Reassurance', 1)]"
check_eq "bob's answer is qes query matrix --as bob" "$(get jb /api/query/matrix | canon)" "$("$QES" query matrix "$R" --as bob --json | canon)"
check_contains "the page is served" "$(curl -s "$U/queries.html")" "<h1>Queries</h1>"

# Both coders done: the source opens to everyone (the page shows bob's W1 span to ann).
"$QES" code done "$R" --as ann FG >/dev/null
"$QES" code done "$R" --as bob FG >/dev/null
if [ ! -x /usr/bin/chromium ] || [ ! -d "$ROOT/tests/e2e/node_modules/playwright-core" ]; then
	skip "no chromium or playwright-core (scripts/install-deps installs them)"; exit 0
fi
mkdir -p "$ROOT/build/artifacts/screenshots"
res=$(cd "$ROOT/tests/e2e" && timeout 180 node web-queries.mjs "$U/" ann ann-password \
	"$ROOT/build/artifacts/screenshots" 2>&1)
node_tap chromium "$res"
got=$(python3 -c '
import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT text FROM theme_summaries s JOIN code_cases c ON c.id = s.row_id AND s.row_kind = ? WHERE c.name = ?", ("case", "W1")).fetchone()[0])' "$R")
check_eq "the summary written in the browser is stored" "$got" "Keeping families together, in the worker's words"
