#!/usr/bin/env bash
# t79: every page of the web interface for each role (owner, reviewer,
# advisor) at 1400 px and 375 px in Debian's headless Chromium
# (tests/e2e/web-pages.mjs) on the fixture of web-review-fixture.sh: fails on
# horizontal overflow, on a page left at "Loading…", on a navigation that
# differs between a role's pages, and when an advisor on a team page gets
# anything but a clear page. Screenshots: build/test-logs/screens/.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/web-review-fixture.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
if [ ! -x /usr/bin/chromium ]; then skip "no /usr/bin/chromium (scripts/install-deps installs it)"; exit 0; fi
if [ ! -d "$ROOT/tests/e2e/node_modules/playwright-core" ]; then
	skip "playwright-core not installed (scripts/install-deps --test runs npm ci in tests/e2e)"; exit 0
fi
R=$TMP/r.qes
cd "$TMP" || exit 1
if ! out=$(make_web_review "$R" 2>&1); then not_ok "the fixture review is built" "$out"; exit 1; fi
# A code source with a long unbroken word and hard line breaks, for the
# coding page's wrapping.
printf 'Interviewer: How was it?\nMother (P1): It was %s.\nI could not say it.\n\nFather (P2): Nobody explained.\n' \
	"$(printf 'unbelievablyoverwhelmingandexhausting%.0s' 1 2 3)" > t1.txt
"$QES" code source add "$R" t1.txt --name "Transcript 1" --kind transcript >/dev/null
serve_start "$R" || exit 1
SHOTS=$ROOT/build/test-logs/screens
mkdir -p "$SHOTS"
rm -f "$SHOTS"/*.png
res=$(cd "$ROOT/tests/e2e" && timeout 600 node web-pages.mjs "http://127.0.0.1:$PORT/" "$SHOTS" 2>&1)
node_tap chromium "$res"
check_eq "a screenshot of every page, both widths (owner 13x2, reviewer 13x2, advisor 5x2)" \
	"$(ls "$SHOTS"/*.png 2>/dev/null | wc -l)" 62

# The screener as in the terminal, on a phone: a small review of its own.
S=$TMP/s.qes
long=$(printf 'Parents described the support they received in long interviews. %.0s' $(seq 40))
for k in 1 2 3 4 5 6; do
	printf 'TY  - JOUR\nID  - s%s\nTI  - Study %s of parents and services\nAB  - %s\nPY  - 2020\nER  - \n\n' $k $k "$long"
done > s.ris
"$QES" init "$S" >/dev/null && "$QES" import "$S" s.ris >/dev/null &&
	echo 'ann-password' | "$QES" user add "$S" ann --role owner --initials AB >/dev/null
kill "$SERVE_PID" 2>/dev/null; wait "$SERVE_PID" 2>/dev/null
serve_start "$S" || exit 1
res=$(cd "$ROOT/tests/e2e" && timeout 300 node web-screen-session.mjs "http://127.0.0.1:$PORT/" 2>&1)
node_tap chromium "$res"
log=$("$QES" log "$S" --as AB --json)
check_eq "the note is saved with the decision (qes log)" "$(python3 -c 'import json,sys
print([e["note"] for e in json.load(sys.stdin) if e["action"] == "decide"][0])' <<<"$log")" "check the sample size"
check_eq "going back and deciding again is a change (qes log)" "$(python3 -c 'import json,sys
print(" ".join(e["action"] + ":" + (e["new"] or "") for e in json.load(sys.stdin) if e["action"] in ("decide", "change")))' <<<"$log")" \
	"decide:include decide:include change:unsure"

# Long lists page and search: the demo review (101 included studies; the
# update search leaves records undecided for the PRISMA page).
if [ -x "$ROOT/build/rel/tools/demo_search" ]; then
	if QES=$QES DEMO=$TMP/demo.qes DEMO_DATA=$TMP/demo-data bash "$ROOT/scripts/demo.sh" >demo.log 2>&1; then
		gap=$("$QES" prisma demo.qes --json | json_get gaps.0.source_key)
		kill "$SERVE_PID" 2>/dev/null; wait "$SERVE_PID" 2>/dev/null
		serve_start demo.qes || exit 1
		res=$(cd "$ROOT/tests/e2e" && timeout 300 node web-lists.mjs "http://127.0.0.1:$PORT/" "$gap" 2>&1)
		node_tap chromium "$res"
	else
		not_ok "the demo review is built" "$(tail -20 demo.log)"
	fi
else
	skip "build/rel/tools/demo_search is not built: the long-list checks need the demo"
fi
