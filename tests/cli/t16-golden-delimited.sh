#!/usr/bin/env bash
# t16-golden-delimited: `qes parse FILE --json` for three delimited files
# equals tests/golden/NAME.json (made once with qes and checked by eye
# against the input: a comma file with RIS-tag headers and BibTeX-style
# authors, a semicolon file with Python-list authors and keywords, and a
# tab file from EndNote with a record_id key and extra columns). Every key
# on either side is compared, so an added, dropped or renamed field fails.
. "$(dirname "$0")/lib.sh"

if ! have_shared; then
	skip "../shared/data is not here: the golden inputs are real files"
	exit 0
fi
GOLDEN=$(cd "$(dirname "$0")/../golden" && pwd)

for rel in synthesisr/eviatlas.csv asreview/generic_semicolon.csv asysd/test_export.txt; do
	name=$(basename "$rel")
	if ! out=$(cd "$SHARED/data/formats" && "$QES" parse "$rel" --json 2>&1); then
		not_ok "$name parses" "$out"
		continue
	fi
	diff=$(printf '%s' "$out" | python3 -c '
import json, sys
got, want = json.load(sys.stdin), json.load(open(sys.argv[1]))
if got == want:
    sys.exit(0)
MISSING = object()
def show(v):
    return "(no such key)" if v is MISSING else json.dumps(v)[:150]
def keys(where, a, b):
    """Every key of either side: a key qes added, dropped or renamed shows."""
    for k in sorted(set(a) | set(b)):
        if k != "records" and a.get(k, MISSING) != b.get(k, MISSING):
            print(f"{where}{k}: got {show(a.get(k, MISSING))}, want {show(b.get(k, MISSING))}")
keys("", got, want)
g, w = got.get("records", []), want["records"]
if len(g) != len(w):
    print(f"{len(g)} records, want {len(w)}")
for i, (a, b) in enumerate(zip(g, w)):
    keys(f"record {i + 1} ", a, b)
print("so the output is not the golden")
' "$GOLDEN/$name.json" 2>&1)
	rc=$?
	[ $rc -eq 0 ] || diff="the comparison failed (exit $rc): $diff"
	if [ -z "$diff" ]; then ok "$name matches tests/golden/$name.json"
	else not_ok "$name matches tests/golden/$name.json" "$diff"; fi
done
