#!/usr/bin/env bash
# t11: golden tests for the tagged formats. Each file in tests/golden/input
# listed below (real exports, see README-tagged.md there) must parse to
# exactly the records in tests/golden/NAME.json. The goldens were checked by
# eye against the files; when a change in qes alters one on purpose,
# regenerate it with: (cd tests/golden/input && qes parse FILE --json) and
# review the diff before committing.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
IN=$ROOT/tests/golden/input

files="ovid_psycinfo_asreview.ris ovid_cab_synthesisr.ris pubmed_medline_synthesisr.txt
pubmed_zotero_asreview.ris pubmed_endnote_asreview.txt scopus_synthesisr.ris
wos_synthesisr.ciw wos_ris_asreview.txt proquest_asreview.ris embase_asreview.ris
ebsco_asp_synthesisr.ris"

for f in $files; do
	golden=$ROOT/tests/golden/${f%.*}.json
	if [ ! -f "$golden" ]; then
		not_ok "$f: golden ${golden#$ROOT/} is missing"
		continue
	fi
	if ! out=$(cd "$IN" && "$QES" parse "$f" --json 2>"$TMP/stderr"); then
		not_ok "$f: qes parse failed" "$(head -c 2000 "$TMP/stderr")"
		continue
	fi
	if diff=$(diff -u "$golden" <(printf '%s\n' "$out")); then
		ok "$f matches its golden"
	else
		not_ok "$f differs from its golden" "${diff:0:3000}"
	fi
done
