#!/usr/bin/env bash
# make demo: builds the demo review from a search the project generates
# itself (tools/demo_search.c), then shows where it stands. Idempotent: the
# demo review is made anew each time.
set -euo pipefail
cd "$(dirname "$0")/.."
QES=${QES:-./qes}
DEMO=${DEMO:-demo.qes}
data=build/demo
mkdir -p "$data"
build/rel/tools/demo_search "$data"
rm -f "$DEMO" "$DEMO-wal" "$DEMO-shm"
"$QES" init "$DEMO" --title "Demo: parents' and practitioners' experiences of support (invented data)"
"$QES" import "$DEMO" "$data/psycinfo.ris" --source "PsycINFO (Ovid)" --searched 2024-03-14 \
	--search-string '(parent* OR mother* OR father*) AND ("mental health" OR "mental illness") AND ("child protection" OR "social care")'
"$QES" import "$DEMO" "$data/medline.nbib" --source "MEDLINE (PubMed)" --searched 2024-03-14
"$QES" import "$DEMO" "$data/cinahl.csv" --source "CINAHL (EBSCO)" --searched 2024-03-15
"$QES" import "$DEMO" "$data/citations.ris" --source "Citation searching" --method other --searched 2024-05-02
echo
"$QES" status "$DEMO"
echo
echo "Try:  ./qes records $DEMO --search 'mother* AND \"child protection\"' --limit 5"
echo "      ./qes show $DEMO 20015838"
echo "      ./qes export $DEMO -o demo.ris"
