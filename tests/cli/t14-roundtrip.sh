#!/usr/bin/env bash
# t14-roundtrip: export then re-import gives the same normalised records.
# A varied set of real files goes into one review; it is exported as RIS,
# CSV and BibTeX; each export is imported into a fresh review and every
# record is compared field by field (qes records --json, without the store
# id and the line, which differ by construction). Where a format cannot
# carry a field the check says so for that field (docs/formats.md).
. "$(dirname "$0")/lib.sh"

if ! have_shared; then
	skip "../shared/data is not here: the round trip needs real export files"
	exit 0
fi
F=$SHARED/data/formats
inputs=(
	"$F/asysd/zotero_export.csv" "$F/asreview/generic.csv" "$F/asreview/embase.csv"
	"$F/asysd/test_export.txt" "$F/synthesisr/eviatlas.tsv"
	"$SHARED/data/dedup/BibDedupe_special_cases.csv" "$SHARED/data/screening/SYNERGY_Sep_2021.csv"
	"$F/asreview/pubmed_zotero.ris" "$F/asreview/scopus.ris" "$F/asreview/pubmed_endnote.txt"
	"$F/asysd/zotero_export.bib" "$F/synthesisr/PubMed_example.txt" "$F/asysd/zotero_export.xml"
)

check "init the source review" "$QES" init "$TMP/a.qes"
imported=0
for f in "${inputs[@]}"; do
	if out=$("$QES" import "$TMP/a.qes" "$f" 2>&1); then
		imported=$((imported + 1))
		ok "import $(basename "$f")"
	else
		not_ok "import $(basename "$f")" "$out"
	fi
done
check_eq "all ${#inputs[@]} files imported" "$imported" "${#inputs[@]}"
[ "$imported" -gt 0 ] || exit 1   # nothing to export: the failures above say why
check "records --json of the source review" sh -c '"$1" records "$2" --json >"$3"' _ "$QES" "$TMP/a.qes" "$TMP/a.json"

# compare FORMAT ORIGINAL.json ROUNDTRIP.json EXPORTFILE: one line per field.
compare() {
	python3 - "$@" <<'PY'
import json, re, sys
fmt, a_path, b_path, export = sys.argv[1:5]
a, b = json.load(open(a_path)), json.load(open(b_path))
if len(a) != len(b):
    print(f"not ok - {fmt}: {len(b)} records came back, {len(a)} went out")
    sys.exit(0)
fields = [k for k in a[0] if k not in ("id", "line")] if a else []
RIS_TYPES = set("ABST ADVS AGGR ANCIENT ART BILL BLOG BOOK CASE CHAP CHART CLSWK COMP CONF "
                "CPAPER CTLG DATA DBASE DICT EBOOK ECHAP EDBOOK EJOUR ELEC ENCYC EQUA FIGURE GEN "
                "GOVDOC GRANT HEAR ICOMM INPR JFULL JOUR LEGAL MANSCPT MAP MGZN MPCT MULTI MUSIC "
                "NEWS PAMP PAT PCOMM RPRT SER SLIDE SOUND STAND STAT THES UNBILL UNPB VIDEO".split())
KEY = re.compile(r"^[A-Za-z0-9_:.+/-]{1,96}$")
keys_seen = {}
for r in a:
    keys_seen[r["source_key"]] = keys_seen.get(r["source_key"], 0) + 1

def exempt(field, r):
    """Why this format cannot carry this field of record r, or None."""
    if fmt == "ris" and field == "type_raw" and r["type_raw"] not in RIS_TYPES:
        return "RIS writes the type as TY, so a type_raw that is no RIS type comes back as the TY written"
    if fmt == "bibtex":
        if field == "type_raw":
            return "BibTeX has the entry type only: type_raw comes back as the @type written"
        if field == "database":
            return "BibTeX has no field for the database"
        if field == "date" and r["date"] and not re.match(r"^\d{4}(-\d\d(-\d\d)?)?$", r["date"]):
            return "biblatex's date takes ISO 8601 only; other dates are not written"
        if field == "source_key" and (not KEY.match(r["source_key"] or "") or keys_seen[r["source_key"]] > 1):
            return "the citation key had to be rebuilt (not a valid key, or not unique)"
        if field == "keywords" and any("," in k for k in r["keywords"]):
            return "BibTeX keywords are comma-separated: a keyword holding a comma comes back split"
    return None

for field in fields:
    bad, exempted, why = [], 0, set()
    for i, (x, y) in enumerate(zip(a, b)):
        e = exempt(field, x)
        if e:
            exempted += 1
            why.add(e)
            continue
        if x[field] != y[field]:
            bad.append((x["source_key"], x[field], y[field]))
    for w in sorted(why):
        print(f"skip - {fmt}: {field} not compared for {exempted} of {len(a)} records: {w}")
    checked = len(a) - exempted
    if bad:
        print(f"not ok - {fmt}: {field} differs in {len(bad)} of {checked} records")
        for k, x, y in bad[:3]:
            print(f"#   record {k}: wrote {json.dumps(x)[:200]}")
            print(f"#   read back     {json.dumps(y)[:200]}")
    else:
        print(f"ok - {fmt}: {field} equal in all {checked} records compared")
PY
}

for fmt in csv ris bibtex; do
	ext=$fmt; [ "$fmt" = bibtex ] && ext=bib
	check "export as $fmt" "$QES" export "$TMP/a.qes" -o "$TMP/out.$ext"
	"$QES" init "$TMP/b-$fmt.qes" >/dev/null 2>&1
	if ! out=$("$QES" import "$TMP/b-$fmt.qes" "$TMP/out.$ext" 2>&1); then
		not_ok "re-import the $fmt export" "$out"
		continue
	fi
	ok "re-import the $fmt export"
	check "records --json of the $fmt round trip" sh -c '"$1" records "$2" --json >"$3"' _ "$QES" "$TMP/b-$fmt.qes" "$TMP/b-$fmt.json"
	# The comparison's own output goes to a file first, so that its exit
	# status is seen: a comparison that crashes, or that compares nothing,
	# is a failure, not silence.
	compare "$fmt" "$TMP/a.json" "$TMP/b-$fmt.json" "$TMP/out.$ext" >"$TMP/cmp-$fmt.out" 2>&1
	crc=$?
	nchecks=0
	while IFS= read -r line; do
		case $line in
		"ok - "*) ok "${line#ok - }"; nchecks=$((nchecks + 1)) ;;
		"not ok - "*) not_ok "${line#not ok - }"; nchecks=$((nchecks + 1)) ;;
		"skip - "*) skip "${line#skip - }" ;;
		*) echo "$line" ;;
		esac
	done <"$TMP/cmp-$fmt.out"
	[ $crc -eq 0 ] || not_ok "the $fmt comparison ran to its end (exit $crc)" "$(tail -20 "$TMP/cmp-$fmt.out")"
	[ $nchecks -gt 0 ] || not_ok "the $fmt comparison compared some fields" "$(tail -20 "$TMP/cmp-$fmt.out")"
done
