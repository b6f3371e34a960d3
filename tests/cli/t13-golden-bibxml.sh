#!/usr/bin/env bash
# t13: BibTeX and EndNote XML files parsed to JSON (`qes parse FILE --json`)
# must match tests/golden/NAME.json exactly. The golden files were checked by
# eye against their inputs; after a deliberate change, regenerate with
#   UPDATE_GOLDEN=1 QES=./qes bash tests/cli/t13-golden-bibxml.sh
# and read the diff before committing it.
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/../.." || exit 1

# golden name -> input (paths relative to the repository root, as the
# "file" key in the JSON shows them)
goldens=(
	"bibtex-special-characters ../shared/data/formats/bibtexparser-v1/article_with_special_characters.bib"
	"bibtex-traps ../shared/data/formats/bibtexparser-v1/traps.bib"
	"bibtex-strings ../shared/data/formats/bibtexparser-v1/features2.bib"
	"bibtex-declarations ../shared/data/formats/bibtexparser-v1/comments_spaces_and_declarations.bib"
	"bibtex-crossref ../shared/data/formats/bibtexparser-v1/crossref_entries.bib"
	"bibtex-scopus ../shared/data/formats/synthesisr/Scopus_bib_example.bib"
	"bibtex-zotero tests/golden/input/zotero_excerpt.bib"
	"endnote-xml-zotero tests/golden/input/zotero_excerpt.xml"
)

for g in "${goldens[@]}"; do
	name=${g%% *}
	input=${g#* }
	if [[ "$input" == ../shared/* ]] && ! have_shared; then
		skip "$name: ../shared/data is missing"
		continue
	fi
	golden=tests/golden/$name.json
	if ! out=$("$QES" parse "$input" --json 2>"$TMP/err"); then
		not_ok "$name: parse" "$(cat "$TMP/err")"
		continue
	fi
	if [ -n "${UPDATE_GOLDEN:-}" ]; then
		printf '%s\n' "$out" >"$golden"
		ok "$name: golden written"
		continue
	fi
	printf '%s\n' "$out" >"$TMP/got.json"
	if diff=$(python3 - "$golden" "$TMP/got.json" <<'EOF'
import json, sys
want = json.load(open(sys.argv[1], encoding="utf-8"))
got = json.load(open(sys.argv[2], encoding="utf-8"))
if want == got:
    sys.exit(0)
wr, gr = want.get("records", []), got.get("records", [])
if len(wr) != len(gr):
    print(f"{len(gr)} records, wanted {len(wr)}")
for i, (w, g) in enumerate(zip(wr, gr)):
    for k in sorted(set(w) | set(g)):
        if w.get(k) != g.get(k):
            print(f"record {i} {k}: got {g.get(k)!r:.200} want {w.get(k)!r:.200}")
for k in ("format", "encoding", "eol", "file"):
    if want.get(k) != got.get(k):
        print(f"{k}: got {got.get(k)!r} want {want.get(k)!r}")
sys.exit(1)
EOF
	); then
		ok "$name matches $golden"
	else
		not_ok "$name matches $golden" "$diff"
	fi
done
