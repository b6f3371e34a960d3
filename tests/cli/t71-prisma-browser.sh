#!/usr/bin/env bash
# t71: the demo review's PRISMA diagram, rendered in Debian's headless
# Chromium (playwright-core), checked for layout as a browser lays it out:
# every line of text inside its box, no overlapping boxes, nothing off the
# page. The screenshot is kept in build/artifacts/ as a test artefact.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
if [ ! -x /usr/bin/chromium ]; then skip "no /usr/bin/chromium (scripts/install-deps installs it)"; exit 0; fi
if [ ! -d "$ROOT/tests/e2e/node_modules/playwright-core" ]; then
	skip "playwright-core not installed (scripts/install-deps --test runs npm ci in tests/e2e)"; exit 0
fi
mkdir -p "$ROOT/build/artifacts"
out=$(cd "$ROOT" && QES="$QES" DEMO="$TMP/demo.qes" DEMO_DATA="$TMP/demo-data" bash scripts/demo.sh 2>&1)
if [ $? -ne 0 ]; then not_ok "the demo builds" "${out: -3000}"; exit 0; fi
ok "the demo builds"
# The demo draws its diagram before the update search it leaves partly
# screened (beside the review: demo-prisma.svg).
check "the demo's diagram was drawn" test -s "$TMP/demo-prisma.svg"
cp "$TMP/demo-prisma.svg" "$TMP/prisma.svg"
layout=$(cd "$ROOT/tests/e2e" && timeout 180 node prisma-layout.mjs "$TMP/prisma.svg" \
	"$ROOT/build/artifacts/prisma-demo.png" 2>&1)
node_tap chromium "$layout"
