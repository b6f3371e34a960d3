#!/usr/bin/env bash
# t89: two reviewers double-screen one review at the same time in two
# Chromium contexts (tests/e2e/web-double.mjs), blinded from each other;
# every record becomes a conflict, which the owner resolves in the page.
# The review is then checked with the CLI: both reviewers' decisions, the
# conflicts, the resolution. Screenshots in build/artifacts/screenshots/.
source "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
if ! command -v curl >/dev/null; then skip "curl is not installed"; exit 0; fi
if [ ! -x /usr/bin/chromium ]; then skip "no /usr/bin/chromium (scripts/install-deps installs it)"; exit 0; fi
if [ ! -d "$ROOT/tests/e2e/node_modules/playwright-core" ]; then
	skip "playwright-core not installed (scripts/install-deps --test runs npm ci in tests/e2e)"; exit 0
fi
R=$TMP/r.qes
cd "$TMP"
check "init" "$QES" init "$R"
for i in 1 2 3 4; do
	printf 'TY  - JOUR\nTI  - Parents and child protection services, study %s\nAU  - Author, A%s\nPY  - 202%s\nAB  - Interviews with mothers about support from social workers (%s).\nER  - \n\n' "$i" "$i" "$i" "$i"
done > s.ris
check "four records" "$QES" import "$R" s.ris --source PsycINFO
check "reasons" "$QES" criteria "$R" --reason "Wrong population"
check "owner ann screens as AB" sh -c "echo 'ann-password' | '$QES' user add '$R' ann --role owner --initials AB"
check "reviewer bob screens as CD" sh -c "echo 'bob-password' | '$QES' user add '$R' bob --role reviewer --initials CD"
check "double screening at ta" "$QES" policy "$R" --stage ta double --as AB
serve_start "$R" || exit 1
mkdir -p "$ROOT/build/artifacts/screenshots"
res=$(cd "$ROOT/tests/e2e" && timeout 240 node web-double.mjs "$U/" "$ROOT/build/artifacts/screenshots" 2>&1)
node_tap chromium "$res"
for who in AB CD; do
	got=$("$QES" log "$R" --json | python3 -c 'import json,sys; print(sorted(e["new"] for e in json.load(sys.stdin) if e["action"] == "decide" and e["by"] == sys.argv[1]))' $who)
	want=$([ $who = AB ] && echo "['include', 'include', 'include', 'include']" || echo "['exclude', 'exclude', 'exclude', 'exclude']")
	check_eq "$who's four decisions are in the review" "$got" "$want"
done
resolved=$(echo "$res" | sed -n 's/^resolved //p')
left=$("$QES" conflicts list "$R" --stage ta --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
check_eq "three conflicts are still open (qes conflicts list)" "$left" 3
check_eq "the resolution is in the log, by AB" \
	"$("$QES" log "$R" --json | python3 -c 'import json,sys; print([(e["by"], e["source_key"], e["new"]) for e in json.load(sys.stdin) if e["action"] == "resolve"])')" \
	"[('AB', '$resolved', 'include')]"
