#!/usr/bin/env bash
# t03: the README's commands work as written (jq's CI runs its manual's
# examples the same way). Every line of every ```sh block runs in a fresh
# folder, in order, with ./qes the binary under test, and must exit 0 (or
# the N of an "(exit N)" in its comment). Left out, and listed here so the
# list stays honest: make (it builds and installs), the server and the
# interactive screens (they wait for keys). The input files a team would
# have (search exports, decision CSVs, PDFs) are made here from the demo's
# generator, just before the first line that reads them.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
GEN=$ROOT/build/rel/tools/demo_search
if [ ! -x "$GEN" ]; then skip "build/rel/tools/demo_search is not built (make build/rel/tools/demo_search)"; exit 0; fi
cd "$TMP"
ln -s "$QES" qes
skips=(
	"make demo"                       # builds, installs, serves
	"make test"                       # this is part of it
	"./qes serve "                    # the web server runs until stopped
	"./qes screen demo.qes --as CD"   # the terminal screener waits for keys
	"./qes screen review.qes --as AB" # (t41 and t42 drive it in tmux)
	"./qes dedup review review.qes"   # side by side, waits for keys (t30 covers decide)
)
declare -A skip_used

# The README's sh blocks, one command per line (continuations joined).
python3 - "$ROOT/README.md" > commands.txt <<'PY'
import sys
inside, cur = False, ""
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.rstrip("\n")
    if line.startswith("```"):
        inside = line.strip() == "```sh"
        continue
    if not inside:
        continue
    if line.endswith("\\"):
        cur += line[:-1] + " "
        continue
    cur += line
    if cur.strip():
        print(cur.strip())
    cur = ""
PY

key_of() {  # key_of WORD: the key on the README's line "fulltext WORD review.qes KEY"
	grep -o "fulltext $1 review.qes [^ ]*" commands.txt | head -1 | awk '{print $4}'
}

# --- The inputs, made when first needed ---------------------------------
searches() {
	mkdir -p src && "$GEN" src --seed 2022 >/dev/null
	cp src/psycinfo.ris psycinfo.ris
	cp src/citations.ris hand-search.ris
	# CINAHL as RIS in two batches, as exports in batches come.
	"$QES" init src/c.qes >/dev/null && "$QES" import src/c.qes src/cinahl.csv >/dev/null &&
		"$QES" export src/c.qes -o src/cinahl.ris >/dev/null 2>&1
	python3 - src/cinahl.ris <<'PY'
import sys
recs = open(sys.argv[1], encoding="utf-8").read().split("ER  - \n")
recs = [r + "ER  - \n" for r in recs if r.strip()]
half = len(recs) // 2
open("cinahl-1.ris", "w", encoding="utf-8").write("\n".join(recs[:half]))
open("cinahl-2.ris", "w", encoding="utf-8").write("\n".join(recs[half:]))
PY
}
# outcomes STAGE: record_id, source_key and outcome of every record at STAGE.
outcomes() { "$QES" screen "$1" --stage "$2" --outcomes --json; }
# AB decides every title/abstract record as the generator's truth says; CD
# gives the same answer on the double-screened sample (found on a copy).
ta_decisions() {
	outcomes review.qes ta | python3 -c '
import csv, json, sys
work = {r["source_key"]: r["work"] for r in csv.DictReader(open("src/keys.csv"))}
truth = {r["work"]: r for r in csv.DictReader(open("src/truth.csv"))}
print("source_key,reviewer,stage,decision,reason")
for e in json.load(sys.stdin):
    if e["outcome"] == "pending":
        inc = truth[work[e["source_key"]]]["relevant"] == "1"
        print("#%d,AB,ta,%s," % (e["record_id"], "include" if inc else "exclude"))
' > ta-ab.csv
	rm -f scratch.qes*
	cp review.qes scratch.qes
	"$QES" decide scratch.qes --from ta-ab.csv >/dev/null
	outcomes scratch.qes ta | python3 -c '
import csv, json, sys
ab = {r["source_key"]: r["decision"] for r in csv.DictReader(open("ta-ab.csv"))}
for e in json.load(sys.stdin):
    if e["outcome"] == "pending":
        print("#%d,CD,ta,%s," % (e["record_id"], ab["#%d" % e["record_id"]]))
' > ta-cd.csv
	cat ta-ab.csv ta-cd.csv > ta-decisions.csv
}
pdf_of() {  # pdf_of KEY: the generator's PDF of the work behind KEY
	python3 -c '
import csv, sys
work = {r["source_key"]: r["work"] for r in csv.DictReader(open("src/keys.csv"))}
print("src/W%03d.pdf" % int(work[sys.argv[1]]))' "$1"
}
pdfs() {  # every report sought, named by its key, but those the README names
	mkdir -p pdfs
	local named=" $(key_of attach) $(key_of retrieved) $(key_of missing) "
	outcomes review.qes ft | python3 -c 'import json,sys
for e in json.load(sys.stdin): print(e["source_key"])' | while read -r k; do
		[[ "$named" == *" $k "* ]] || cp "$(pdf_of "$k")" "pdfs/$k.pdf"
	done
}
ft_decisions() {
	outcomes review.qes ft | python3 -c '
import csv, json, sys
work = {r["source_key"]: r["work"] for r in csv.DictReader(open("src/keys.csv"))}
truth = {r["work"]: r for r in csv.DictReader(open("src/truth.csv"))}
print("source_key,reviewer,stage,decision,reason")
for e in json.load(sys.stdin):
    if e["outcome"] == "pending":
        inc = truth[work[e["source_key"]]]["ft"] == "include"
        print("#%d,AB,ft,%s,%s" % (e["record_id"], "include" if inc else "exclude",
                                   "" if inc else "Not qualitative"))
' > ft-decisions.csv
}
demo() {
	QES=$QES DEMO=$TMP/demo.qes DEMO_DATA=$TMP/demo-data DEMO_SERVE=0 \
		bash "$ROOT/scripts/demo.sh" > demo.log 2>&1 || { cat demo.log; return 1; }
}
prepare() {
	local c=$1
	case "$c" in *psycinfo.ris*|*cinahl-1.ris*|*hand-search.ris*) [ -f psycinfo.ris ] || searches ;; esac
	case "$c" in *demo.qes*) [ -f demo.qes ] || demo || not_ok "make the demo (scripts/demo.sh)" ;; esac
	case "$c" in *ta-decisions.csv*) ta_decisions ;; esac
	case "$c" in *smith2020.pdf*) cp "$(pdf_of "$(key_of attach)")" smith2020.pdf ;; esac
	case "$c" in *pdfs/*) pdfs ;; esac
	case "$c" in *ft-decisions.csv*) ft_decisions ;; esac
}

ran=0
while IFS= read -r cmd; do
	skipped=
	for s in "${skips[@]}"; do
		if [[ "$cmd" == "$s"* || "$cmd" == *"| $s"* ]]; then skipped=$s; fi
	done
	if [ -n "$skipped" ]; then
		skip_used[$skipped]=1
		echo "skip - README: $cmd (left out: waits for keys, serves or builds)"
		continue
	fi
	prepare "$cmd"
	want=0
	[[ "$cmd" =~ \(exit\ ([0-9])\) ]] && want=${BASH_REMATCH[1]}
	out=$(bash -c "set -o pipefail; $cmd" 2>&1 < /dev/null); rc=$?
	ran=$((ran + 1))
	if [ "$rc" = "$want" ]; then ok "README: ${cmd:0:110}"; else not_ok "README: $cmd" "exit $rc, wanted $want" "${out:0:1500}"; fi
done < commands.txt

for s in "${skips[@]}"; do
	[ -n "${skip_used[$s]:-}" ] || not_ok "the skip list names only README lines" "unused: $s"
done
check_eq "the README's own review ends complete: PRISMA has every decision" \
	"$("$QES" prisma review.qes --json | json_get complete)" True
check_contains "its report has the PRISMA diagram" "$(cat report.html)" "<svg"
echo "# $ran README commands run"
