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

# A download cut off inside a record: a clear error naming the record's
# first line, and with --skip-bad the complete records before it.
for path in asreview/proquest.ris revtools/restoration_pubmed.nbib revtools/restoration_WoS.ciw; do
	cut=$TMP/cut-$(basename "$path")
	head -c 20000 "$F/$path" > "$cut"
	case $path in
	*.nbib)   # PubMed ends each record with SO; the cut one has none
		whole=$(grep -c '^SO  - ' "$cut")
		first=$(grep -n '^PMID- ' "$cut" | tail -1 | cut -d: -f1)
		field=SO ;;
	*)
		whole=$(grep -c '^ER' "$cut")
		first=$(grep -n '^\(TY  -\|PT \)' "$cut" | tail -1 | cut -d: -f1)
		field=ER ;;
	esac
	out=$("$QES" parse "$cut" --count 2>&1); rc=$?
	check_eq "$path cut at 20000 bytes: exit 3" "$rc" 3
	check_contains "$path cut: says where and why" "$out" \
		"$(basename "$cut"):$first: field $field: the file ends inside this record"
	out=$("$QES" parse "$cut" --count --skip-bad 2>&1)
	check_eq "$path cut: --skip-bad keeps the $whole complete records" \
		"$(printf '%s\n' "$out" | awk -F'\t' 'NF == 2 {print $2}')" "$whole"
done

# Empty and binary files: clear errors, exit 3.
: > "$TMP/empty.ris"
out=$("$QES" parse "$TMP/empty.ris" --count 2>&1); rc=$?
check_eq "empty file: exit 3" "$rc" 3
check_contains "empty file: says so" "$out" "empty"
head -c 3000 "$QES" > "$TMP/binary.ris"
out=$("$QES" parse "$TMP/binary.ris" --format ris --count 2>&1); rc=$?
check_eq "binary file forced as RIS: exit 3" "$rc" 3
check_contains "binary file: says so" "$out" "binary"
