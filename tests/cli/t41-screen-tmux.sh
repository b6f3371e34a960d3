#!/usr/bin/env bash
# t41-screen-tmux: drives the terminal screener in a real terminal (tmux):
# send-keys for include, exclude with a reason, unsure, back and change, a
# note, the criteria panel, a resize, quit; capture-pane checks the screen
# (progress bar, the record, highlighted keywords) and the stored decisions
# are checked afterwards through the CLI.
source "$(dirname "$0")/lib.sh"
if ! have_shared; then skip "no ../shared/data"; exit 0; fi
if ! command -v tmux >/dev/null; then skip "tmux is not installed"; exit 0; fi
DATA=$SHARED/data/screening/Cohen_2006_Antihistamines.csv
R=$TMP/r.qes
check "init" "$QES" init "$R"
if ! out=$("$QES" import "$R" "$DATA" --source MEDLINE 2>&1); then
	not_ok "import Cohen_2006_Antihistamines.csv" "$out"; exit 1
fi
ok "import Cohen_2006_Antihistamines.csv"
check "reviewer" "$QES" reviewer add "$R" AB --name "Ann Bee"
check "criteria" "$QES" criteria "$R" --framework SPICE --concept "Setting=allergy clinics" \
	--reason "Wrong population" --reason "Not a trial" --keyword cisplatin --exclude-keyword rats

SOCK="qes-t41-$$"
T() { tmux -L "$SOCK" "$@"; }
cleanup() { T kill-server 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
# wait_for TEXT: polls the pane (up to 10 s) until TEXT shows.
wait_for() {
	local i
	for i in $(seq 1 100); do
		screen=$(T capture-pane -p -t qes)
		[[ "$screen" == *"$1"* ]] && return 0
		sleep 0.1
	done
	return 1
}
expect() {  # expect DESC TEXT
	if wait_for "$2"; then ok "$1"; else not_ok "$1" "missing: $2" "screen:" "$screen"; fi
}

T new-session -d -s qes -x 80 -y 24 "TERM=xterm-256color '$QES' screen '$R' --as AB --order id; echo SCREENER-EXITED \$?; sleep 60"
title1=$(python3 -c 'import csv,sys; r=list(csv.DictReader(open(sys.argv[1]))); print(r[0]["title"][:40])' "$DATA")
title2=$(python3 -c 'import csv,sys; r=list(csv.DictReader(open(sys.argv[1]))); print(r[1]["title"][:40])' "$DATA")
title4=$(python3 -c 'import csv,sys; r=list(csv.DictReader(open(sys.argv[1]))); print(r[3]["title"][:40])' "$DATA")
expect "progress bar on start" "0 of 310 screened, 0 included"
expect "first record's title" "$title1"
expect "key help line" "i include  e exclude  u unsure"
colours=$(T capture-pane -p -e -t qes)
if [[ "$colours" == *$'32mcisplatin'* ]]; then ok "include keyword highlighted in green"; else not_ok "keyword highlight" "$colours"; fi

T send-keys -t qes i
expect "include moves on at once" "1 of 310 screened, 1 included"
expect "second record shown" "$title2"
T send-keys -t qes e
expect "exclude asks for a reason" "reason: 1) Wrong population 2) Not a trial"
T send-keys -t qes 1
expect "excluded with a reason" "2 of 310 screened, 1 included"
T send-keys -t qes u
expect "unsure" "3 of 310 screened, 1 included"
T send-keys -t qes b
expect "back shows the decision made" "your decision: unsure"
T send-keys -t qes i
expect "decision changed after going back" "3 of 310 screened, 2 included"
expect "then the next record again" "$title4"
T send-keys -t qes n
expect "note prompt" "note: _"
T send-keys -t qes -l "check dose"
T send-keys -t qes Enter
expect "note shown with the record" "note: check dose"
expect "the note is confirmed" "note kept: it is saved with your decision"
T send-keys -t qes c
expect "criteria panel" "Framework: SPICE"
expect "concept blocks in the panel" "Setting: allergy clinics"
T send-keys -t qes c
expect "back from the criteria" "$title4"
T resize-window -t qes -x 100 -y 30 2>/dev/null || T resize-pane -t qes -x 100 -y 30
sleep 0.3
lines=$(T capture-pane -p -t qes | wc -l)
last=$(T capture-pane -p -t qes | tail -1)
check_eq "redrawn for 100x30" "$lines" "30"
check_contains "key line on the new last row" "$last" "q quit"
T send-keys -t qes e
T send-keys -t qes 2
expect "exclude with the second reason" "4 of 310 screened, 2 included"
expect "the decision says the note was saved" "(note saved)"
T send-keys -t qes q
expect "q quits cleanly" "SCREENER-EXITED 0"

# What was stored.
log=$("$QES" log "$R" --as AB --json)
got=$(echo "$log" | python3 -c '
import json,sys
L=[e for e in json.load(sys.stdin) if e["action"] in ("decide","change")]
print(";".join("%s %s %s %s %s" % (e["action"], e["source_key"], e["new"], e["reason"], e["note"]) for e in L))')
check_eq "decisions stored as keyed" "$got" \
	"decide 1 include None None;decide 2 exclude Wrong population None;decide 3 unsure None None;change 3 include None None;decide 4 exclude Not a trial check dose"

# A keyword inside the title: the rest of the title stays bold after it.
B=$TMP/b.qes
printf 'TY  - JOUR\nID  - k1\nTI  - Early cisplatin dosing and the rest of the title\nAB  - An abstract.\nER  - \n' > "$TMP/b.ris"
"$QES" init "$B" >/dev/null && "$QES" import "$B" "$TMP/b.ris" >/dev/null &&
	"$QES" reviewer add "$B" AB >/dev/null && "$QES" criteria "$B" --keyword cisplatin >/dev/null
T new-session -d -s bold -x 80 -y 24 "TERM=xterm-256color '$QES' screen '$B' --as AB --order id; sleep 60"
for i in $(seq 1 100); do
	T capture-pane -p -t bold | grep -q 'Early cisplatin dosing' && break
	sleep 0.1
done
line=$(T capture-pane -p -e -t bold | grep -F 'cisplatin')
after=${line#*cisplatin}
if [[ "$line" == *$'\e[1m'* || "$line" == *$'\e[0;1m'* ]] && [[ "$after" != *$'\e[0m'* && "$after" != *$'\e[22m'* ]]; then
	ok "bold kept after the highlighted keyword in the title"
else
	not_ok "bold kept after the highlighted keyword in the title" "$(cat -v <<<"$line")"
fi
