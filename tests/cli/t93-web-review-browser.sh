#!/usr/bin/env bash
# t93: the review team's pages in Debian's headless Chromium
# (playwright-core, tests/e2e/web-review.mjs) on the fixture of
# web-review-fixture.sh: a conflict resolved, the PRISMA page's new count, a
# duplicate pair merged, a PDF uploaded and decided, an appraisal saved, an
# advisor refused; then the review itself is checked with the CLI.
# Screenshots of every page (desktop and phone) go to
# build/artifacts/screenshots/.
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
ok "the fixture review is built with the CLI"
mkpdf upload.pdf "Full text of W05 from the browser"
serve_start "$R" || exit 1
PID=$SERVE_PID
SHOTS=$ROOT/build/artifacts/screenshots
mkdir -p "$SHOTS"
rm -f "$SHOTS"/{prisma,conflicts,dedup,fulltext,appraise,advisor}*.png
res=$(cd "$ROOT/tests/e2e" && timeout 300 node web-review.mjs "http://127.0.0.1:$PORT/" "$SHOTS" "$TMP/upload.pdf" 2>&1)
node_tap chromium "$res"

check_eq "the browser resolved a08" "$(echo "$res" | sed -n 's/^resolved //p')" a08
check_eq "the resolution is in the review (qes conflicts --all)" \
	"$("$QES" conflicts "$R" --stage ta --all --json | python3 -c 'import json,sys; print(" ".join(c["source_key"]+":"+c["resolution"]["decision"]+":"+c["resolution"]["by"]+":"+(c["resolution"]["reason"] or "") for c in json.load(sys.stdin) if c.get("resolution")))')" \
	"a08:exclude:AB:Wrong population"
check_eq "the merged pair is one work (qes dedup --json clusters)" \
	"$("$QES" status "$R" --json | json_get dedup.works)" 11
check_eq "the uploaded PDF's text is in the review" \
	"$("$QES" fulltext show "$R" a05 2>&1 | tr -d '\f' | head -n 1)" "Full text of W05 from the browser"
check_eq "the full-text decision is in the review (qes log)" \
	"$("$QES" log "$R" --as AB --json | python3 -c 'import json,sys; print(" ".join(e["new"] for e in json.load(sys.stdin) if e["action"]=="decide" and e["stage"]=="ft" and e["source_key"]=="a05"))')" include
check_eq "the rating is in the review (qes appraise table)" \
	"$("$QES" appraise table "$R" --json | python3 -c 'import json,sys; print([s["answers"]["casp1"] for s in json.load(sys.stdin)["studies"] if s["study"]=="a01"][0])')" yes
check_eq "the extraction value is in the review" \
	"$("$QES" extract "$R" a01 --show --json | json_get values.design)" qualitative
for p in prisma conflicts dedup fulltext appraise advisor conflicts-phone dedup-phone fulltext-phone appraise-phone prisma-phone; do
	check_eq "screenshot $p.png saved" "$(test -s "$SHOTS/$p.png" && echo yes)" yes
done
