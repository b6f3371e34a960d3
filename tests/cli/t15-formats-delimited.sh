#!/usr/bin/env bash
# t15-formats-delimited: every delimited file in ../shared/data/formats
# (expected.tsv format "delimited") gives the number of records
# expected.tsv lists, and so do the 15 screening and 4 dedup CSVs (counts
# read from their READMEs' tables).
. "$(dirname "$0")/lib.sh"

if ! have_shared; then
	skip "../shared/data is not here: no real delimited files to count"
	exit 0
fi

# count_is FILE WANT: qes parse --count prints "FILE<TAB>N".
count_is() {
	local f=$1 want=$2 out got
	if ! out=$("$QES" parse "$f" --count 2>&1); then
		not_ok "$(basename "$f"): $want records" "$out"
		return
	fi
	got=$(printf '%s\n' "$out" | tail -1 | cut -f2)
	check_eq "${f#"$SHARED"/data/}: $want records" "$got" "$want"
}

# The format must also be told from the content (never the extension):
# .tab, .tsv and .txt files included.
files=0
while IFS=$'\t' read -r path bytes format records rest; do
	[ "$format" = delimited ] || continue
	files=$((files + 1))
	count_is "$SHARED/data/formats/$path" "$records"
	got=$("$QES" parse "$SHARED/data/formats/$path" --json 2>/dev/null |
	      python3 -c 'import json,sys; print(json.load(sys.stdin)["format"])')
	check_eq "${path}: read as csv" "$got" "csv"
done < "$SHARED/data/formats/expected.tsv"
check_eq "expected.tsv lists 21 delimited files" "$files" 21

# README tables: "| file.csv | records | ..." rows.
for dir in screening dedup; do
	rows=0
	while IFS='|' read -r _ file records _; do
		file=$(echo "$file" | tr -d ' ') records=$(echo "$records" | tr -d ' ')
		[[ "$file" == *.csv && "$records" =~ ^[0-9]+$ ]] || continue
		rows=$((rows + 1))
		count_is "$SHARED/data/$dir/$file" "$records"
	done < "$SHARED/data/$dir/README.md"
	want=15; [ $dir = dedup ] && want=4
	check_eq "$dir/README.md lists $want files" "$rows" "$want"
done

# Labels are matched to records by key (simulate, dedup scoring): the
# source key of a screening record is the file's record_id.
keys=$("$QES" parse "$SHARED/data/screening/Kitchenham_2010.csv" --json |
       python3 -c 'import json,sys; r=json.load(sys.stdin)["records"]; print(r[0]["source_key"], r[-1]["source_key"], len({x["source_key"] for x in r}))')
want=$(python3 -c 'import csv,sys; r=list(csv.DictReader(open(sys.argv[1], newline=""))); print(r[0]["record_id"], r[-1]["record_id"], len({x["record_id"] for x in r}))' "$SHARED/data/screening/Kitchenham_2010.csv")
check_eq "Kitchenham_2010.csv: keys are record_id (first, last, distinct)" "$keys" "$want"
