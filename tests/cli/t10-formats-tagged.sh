#!/usr/bin/env bash
# t10: every RIS, MEDLINE and Web of Science file in ../shared/data/formats
# imports with the record count in expected.tsv, or with the count a user
# should get, stated below with the reason.
. "$(dirname "$0")/lib.sh"

if ! have_shared; then
	skip "t10: $SHARED/data missing: the shared export files are not here"
	exit 0
fi
F=$SHARED/data/formats

# Files where expected.tsv's rule (RIS: count of ER lines) is not what a
# user should get. baseline_tag_and_field_definitions.ris (asreview) ends
# with "UK  - Unknown Tag" and a second ER after the one record: tag lines
# with no TY, which qes reports as a malformed record (line 65) rather than
# inventing a second record; with --skip-bad the one real record imports.
declare -A want_skip_bad=(
	[asreview/baseline_tag_and_field_definitions.ris]=1
)
# baseline_reference_types.ris: expected.tsv notes "TY=60 ER=61", but its
# first line is "<BOM>TY  -" (a TY with no type, then ER): 61 records is
# right; the first one has no fields, it is kept like any record.

while IFS=$'\t' read -r path bytes format records rest; do
	case $format in ris|medline|wos-tagged) ;; *) continue ;; esac
	file=$F/$path
	if [ -n "${want_skip_bad[$path]:-}" ]; then
		check_fails "$path: a record without TY fails the parse (exit 3)" 3 \
			"$QES" parse "$file" --count
		out=$("$QES" parse "$file" --count --skip-bad 2>&1)
		check_contains "$path: skipped record named with line and field" "$out" \
			"baseline_tag_and_field_definitions.ris:65: field TY: a record without a TY line"
		got=$(printf '%s\n' "$out" | awk -F'\t' 'NF == 2 {print $2}')
		check_eq "$path: --skip-bad count" "$got" "${want_skip_bad[$path]}"
		continue
	fi
	out=$("$QES" parse "$file" --count 2>&1)
	got=$(printf '%s\n' "$out" | awk -F'\t' 'NF == 2 {print $2}')
	check_eq "$path ($format) records" "$got" "$records"
done < "$F/expected.tsv"

# The format is told from the content, whatever the extension says.
out=$("$QES" parse "$F/asreview/web_of_science.txt" --json | json_get format)
check_eq "WoS RIS export (.txt) is read as RIS" "$out" "ris"
out=$("$QES" parse "$F/synthesisr/WoS_txt_example.txt" --json | json_get format)
check_eq "WoS tagged export (.txt) is read as wos" "$out" "wos"
