# studies-fixture.sh: a small review of 12 included studies (13 reports) for
# t60, t61, t81 and t82, sourced after lib.sh. make_review PATH creates it
# with qes init and qes import of tests/data/studies.ris. When qes cannot do
# that, the test fails there and then (not ok, exit 1): a fixture is never
# written behind qes's back.
FIXTURE_RIS="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/data/studies.ris"

make_review() {
	local r=$1 out
	if ! out=$("$QES" init "$r" --title "Study fixture" 2>&1) ||
	   ! out=$("$QES" import "$r" "$FIXTURE_RIS" --source Fixture 2>&1); then
		not_ok "the study fixture: qes init and qes import of tests/data/studies.ris" "$out"
		echo "studies-fixture: qes could not make the review: $out" >&2
		exit 1
	fi
}
