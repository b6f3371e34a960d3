#!/usr/bin/env bash
# t12: every BibTeX and EndNote XML file in ../shared/data/formats is read
# with the record count a user should get: expected.tsv's count (entries
# other than @string/@comment/@preamble; <record> elements) unless a reason
# below says otherwise.
. "$(dirname "$0")/lib.sh"

if ! have_shared; then
	skip "../shared/data is missing: the real export files are not here"
	exit 0
fi
F=$SHARED/data/formats

# Where a user's count differs from the simple rule, and why.
declare -A want_override=(
	# An empty file is refused with a message rather than read as zero
	# records: an empty export is a failed export. (--format bibtex reads
	# it as zero records; checked below.)
	[bibtexparser-v1/empty.bib]=refused
)
# Counts that equal the rule but only because of a decision worth stating:
#  - wrong.bib: "@wrong{foo,...}" is an entry of an unknown type; BibTeX reads
#    it, and dropping it would lose a record silently: kept, type "other" (2).
#  - crossref_*.bib: the crossref'd parents (@book, @proceedings,
#    @collection) are entries in their own right and are kept; children
#    inherit their fields (crossref_entries.bib: 14).
#  - crossref_cascading_cycle.bib, crossref_missing_entries.bib: the cycle and
#    the missing target are warnings, the records are kept (2 and 1).
#  - article_missing_coma.bib: the last field of each entry has no comma
#    before '}', which BibTeX allows: all 4 entries are complete.
#  - biber-examples.bib: biblatex @set entries are kept (type "other").

while IFS=$'\t' read -r path bytes format records rest; do
	[ "$format" = bibtex ] || [ "$format" = xml ] || continue
	file=$F/$path
	want=${want_override[$path]:-$records}
	out=$("$QES" parse "$file" --count 2>&1)
	rc=$?
	if [ "$want" = refused ]; then
		if [ $rc -eq 3 ] && [[ "$out" == *"the file is empty"* ]]; then
			ok "$path is refused as empty"
		else
			not_ok "$path is refused as empty" "exit $rc" "$out"
		fi
		continue
	fi
	got=$(printf '%s\n' "$out" | awk -F'\t' -v f="$file" '$1 == f { print $2 }')
	if [ $rc -eq 0 ] && [ "$got" = "$want" ]; then
		ok "$path: $want records"
	else
		not_ok "$path: $want records" "exit $rc, got '$got'" "${out:0:500}"
	fi
done < <(tail -n +2 "$F/expected.tsv")

# empty.bib with the format given: zero records, no error.
out=$("$QES" parse "$F/bibtexparser-v1/empty.bib" --format bibtex --count 2>&1)
check_eq "empty.bib with --format bibtex has 0 records" "$(cut -f2 <<<"$out")" "0"

# The GBK file: sniffing assumes GB18030 and the Chinese text comes out right.
js=$("$QES" parse "$F/bibtexparser-v1/gbk_test_from_main.bib" --json)
check_eq "gbk file is read as GB18030" "$(json_get encoding <<<"$js")" "GB18030"
check_eq "gbk journal decoded" "$(json_get records.0.journal <<<"$js")" "测试期刊"
check_eq "gbk key decoded" "$(json_get records.0.source_key <<<"$js")" "凯撒2013"

# Things a user would look at first in the two big files.
js=$("$QES" parse "$F/asysd/zotero_export.bib" --json)
check_eq "zotero bib: month macro gives the date" "$(json_get records.0.date <<<"$js")" "1999 August"
check_eq "zotero bib: authors" "$(json_get records.0.authors <<<"$js")" \
	'["Larsen, LJ", "Roush, JK", "McLaughlin, RM", "Cash, WC"]'
js=$("$QES" parse "$F/asysd/mendeley_export.xml" --json)
check_eq "mendeley xml: accession number is the PMID" "$(json_get records.0.pmid <<<"$js")" "35319117"
check_eq "mendeley xml: ref-type 0 named Journal Article is an article" \
	"$(json_get records.0.type <<<"$js")" "article"

# A BibTeX file with one broken entry: refused whole without --skip-bad,
# the other entries read with it, and the error names line and field.
printf '@article{a, title={One}}\n@article{b,\n  title = {Two\n@article{c, title={Three}}\n' >"$TMP/broken.bib"
out=$("$QES" parse "$TMP/broken.bib" --count 2>&1)
rc=$?
check_eq "broken.bib is refused without --skip-bad (exit 3)" "$rc" "3"
check_contains "the error names line 3 and field title" "$out" "broken.bib:3: field title: entry 'b' (line 2)"
out=$("$QES" parse "$TMP/broken.bib" --count --skip-bad 2>&1)
check_contains "with --skip-bad the two good entries are read" "$out" "broken.bib	2"
check_contains "with --skip-bad the skip is reported" "$out" "skipped: $TMP/broken.bib:3: field title:"
