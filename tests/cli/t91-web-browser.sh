#!/usr/bin/env bash
# t91: the web screener in Debian's headless Chromium (playwright-core):
# log in and screen by keyboard only (include, exclude, undo, unsure), with
# keyword highlights, the "why here" line and the stopping sentence; change
# the password on the account page. The decisions and the undo must be in the
# review. Screenshots of the dashboard, the screener and the account page are
# kept in build/artifacts/screenshots/.
source "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
if ! have_shared; then skip "no ../shared/data"; exit 0; fi
if [ ! -x /usr/bin/chromium ]; then skip "no /usr/bin/chromium (scripts/install-deps installs it)"; exit 0; fi
if [ ! -d "$ROOT/tests/e2e/node_modules/playwright-core" ]; then
	skip "playwright-core not installed (scripts/install-deps --test runs npm ci in tests/e2e)"; exit 0
fi
R=$TMP/r.qes
cd "$TMP"
check "init" "$QES" init "$R"
if ! out=$("$QES" import "$R" "$SHARED/data/screening/Cohen_2006_Antihistamines.csv" --source MEDLINE 2>&1); then
	not_ok "import Cohen_2006_Antihistamines.csv" "$out"; exit 1
fi
ok "import Cohen_2006_Antihistamines.csv"
check "reviewer ann" sh -c "echo 'ann-password' | '$QES' user add '$R' ann --role reviewer --initials AN"
check "keywords" "$QES" criteria "$R" --keyword 'histamine*' --keyword patients --keyword urticaria \
	--exclude-keyword rat --exclude-keyword skin
serve_start "$R" || exit 1
PID=$SERVE_PID
SHOTS=$ROOT/build/artifacts/screenshots
mkdir -p "$SHOTS"
rm -f "$SHOTS"/dashboard.png "$SHOTS"/screener.png "$SHOTS"/account.png
res=$(cd "$ROOT/tests/e2e" && timeout 180 node web-screen.mjs "http://127.0.0.1:$PORT/" ann ann-password \
	"$SHOTS" ann-new-password 2>&1)
node_tap chromium "$res"
ids=$(echo "$res" | sed -n 's/^decided //p')
logged=$("$QES" log "$R" --as AN --json | python3 -c 'import json,sys; print(" ".join(e["action"] + ":" + (e["new"] or e["old"] or "") for e in json.load(sys.stdin) if e["by"] == "AN" and e["stage"] == "ta"))')
check_eq "the decisions and the undo are in the review (qes log)" "$logged" \
	"decide:include decide:exclude undo:exclude decide:unsure decide:include"
check_eq "the decision made in the random sample is logged order=random" \
	"$("$QES" log "$R" --as AN --json | python3 -c 'import json,sys; print([e["detail"] for e in json.load(sys.stdin) if e["action"] == "decide"][-1])')" "order=random"
for p in dashboard screener account; do
	check_eq "screenshot $p.png saved" "$(test -s "$SHOTS/$p.png" && echo yes)" yes
done
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
	-d '{"name":"ann","password":"ann-new-password"}' "http://127.0.0.1:$PORT/api/login")
check_eq "the password set on the account page logs in" "$code" 200
