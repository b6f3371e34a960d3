# web-review-fixture.sh: the review behind t92 and t93 (the web pages of the
# review team), sourced after lib.sh; make_web_review PATH builds it with
# the CLI in the current directory. Ten works from PsycINFO, a MEDLINE
# record of W01 (same DOI: merged), and records of W02 (a year later) and
# W05 (another volume) without DOIs in another journal: the rules are unsure,
# so two pairs wait in the review queue (b02 and b05 are unscreened works).
#   ta, double: W01-W06 both include; W07 AB include / CD exclude and W08
#       AB exclude / CD include (conflicts); W09, W10 both exclude.
#   ft, double: PDFs attached to W01-W04; W01, W02 both include (studies);
#       W03 AB include / CD exclude "Not qualitative" (a conflict); W04 and
#       W05 undecided (W05 has no PDF yet), W06 no PDF.
# Users: ann owner (AB), bob reviewer (CD), val advisor.
web_review_ris() {  # ID WORK [DOI] [JOURNAL]
	printf 'TY  - JOUR\nID  - %s\nTI  - Study %s of parents and practitioners in child protection services\n' "$1" "$2"
	printf 'AU  - Author%s, A.\nAU  - Second, B.\nPY  - 2020\nJO  - %s\nVL  - 1\nSP  - %d\n' "$2" "${4:-Child & Family Social Work}" "$((10#${2#W}))"
	[ -n "${3:-}" ] && printf 'DO  - %s\n' "$3"
	printf 'AB  - Parents of %s and practitioners talked about child protection.\n' "$2"
	printf 'ER  - \n\n'
}

make_web_review() {
	local r=$1 w
	{ for w in 01 02 03 04 05 06 07 08 09 10; do web_review_ris "a$w" "W$w" "10.1000/w$w"; done; } > psycinfo.ris
	{ web_review_ris b01 W01 10.1000/w01
	  web_review_ris b02 W02 "" "Journal of Social Work" | sed 's/^PY  - .*/PY  - 2021/'
	  web_review_ris b05 W05 "" "Journal of Social Work" | sed 's/^VL  - .*/VL  - 2/'; } > medline.ris
	"$QES" init "$r" --title "Web review fixture" &&
	"$QES" import "$r" psycinfo.ris --source PsycINFO --searched 2022-03-14 &&
	"$QES" import "$r" medline.ris --source MEDLINE --searched 2022-03-14 &&
	"$QES" dedup "$r" &&
	echo 'ann-password' | "$QES" user add "$r" ann --role owner --initials AB &&
	echo 'bob-password' | "$QES" user add "$r" bob --role reviewer --initials CD &&
	echo 'val-password' | "$QES" user add "$r" val --role advisor &&
	"$QES" criteria "$r" --reason "Not qualitative" &&
	"$QES" criteria "$r" --reason "Wrong population" &&
	"$QES" policy "$r" --stage ta double --as AB &&
	"$QES" policy "$r" --stage ft double --as AB || return 1
	{
		echo "source_key,reviewer,stage,decision,reason"
		for w in 01 02 03 04 05 06; do echo "a$w,AB,ta,include,"; echo "a$w,CD,ta,include,"; done
		echo "a07,AB,ta,include,"; echo "a07,CD,ta,exclude,"
		echo "a08,AB,ta,exclude,"; echo "a08,CD,ta,include,"
		for w in 09 10; do echo "a$w,AB,ta,exclude,"; echo "a$w,CD,ta,exclude,"; done
	} > ta.csv
	"$QES" decide "$r" --from ta.csv || return 1
	for w in 01 02 03 04; do
		mkpdf "W$w.pdf" "Full text of W$w" && "$QES" fulltext attach "$r" "a$w" "W$w.pdf" --as AB || return 1
	done
	{
		echo "source_key,reviewer,stage,decision,reason"
		for w in 01 02; do echo "a$w,AB,ft,include,"; echo "a$w,CD,ft,include,"; done
		echo "a03,AB,ft,include,"; echo "a03,CD,ft,exclude,Not qualitative"
	} > ft.csv
	"$QES" decide "$r" --from ft.csv
}
