#!/usr/bin/env bash
# t42-screen-prioritised: the prioritised screener in a real terminal (tmux)
# on Cohen et al. 2006 (antihistamines). The reviewer's keys follow the
# dataset's label_included for the record on screen. Checks: random order
# (and why) before the first include and exclude, the "Why here" line after,
# more inclusions found in the first 40 decisions than in random order, the
# stopping sentence naming its rule, and 'qes screen --stopping' for scripts
# once a random sample follows. Times from each key to the next record ready
# go to the test log (QES_SCREEN_TRACE).
source "$(dirname "$0")/lib.sh"
if ! have_shared; then skip "no ../shared/data"; exit 0; fi
if ! command -v tmux >/dev/null; then skip "tmux is not installed"; exit 0; fi
DATA=$SHARED/data/screening/Cohen_2006_Antihistamines.csv
N=40

SOCK="qes-t42-$$"
T() { tmux -L "$SOCK" "$@"; }
cleanup() { T kill-server 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT

# The truth by source key (the CSV's record_id column).
python3 -c '
import csv, sys
for r in csv.DictReader(open(sys.argv[1])):
    print(r["record_id"], r["label_included"])' "$DATA" >"$TMP/truth"
declare -A truth
while read -r k v; do truth[$k]=$v; done <"$TMP/truth"

new_review() {  # new_review PATH
	"$QES" init "$1" >/dev/null && "$QES" import "$1" "$DATA" --source MEDLINE >/dev/null &&
		"$QES" reviewer add "$1" AB --name "Ann Bee" >/dev/null
}
# wait_for TEXT: polls the pane (up to 10 s) until TEXT shows.
wait_for() {
	local i
	for i in $(seq 1 200); do
		screen=$(T capture-pane -p -t "$S")
		[[ "$screen" == *"$1"* ]] && return 0
		sleep 0.05
	done
	return 1
}
expect() {  # expect DESC TEXT
	if wait_for "$2"; then ok "$1"; else not_ok "$1" "missing: $2" "screen:" "$screen"; fi
}
S=none runs=0
start() {  # start REVIEW ORDER: a new session each time (killing the last
	# one would take the server down under a new-session racing it)
	runs=$((runs + 1)) S="qes$runs"
	T new-session -d -s "$S" -x 100 -y 30 "TERM=xterm-256color QES_SCREEN_TRACE='$TMP/trace' '$QES' screen '$1' --as AB --order $2 --seed 7; echo SCREENER-EXITED \$?; sleep 60"
}
# screen_keys N DONE: decides N records by the truth, starting with DONE of
# the pool screened; sets found (inclusions) and why (Why-here lines seen).
screen_keys() {
	local n=$1 done=$2 i key
	found=0 why=0
	for i in $(seq 1 "$n"); do
		if ! wait_for "$done of 310 screened"; then
			not_ok "decision $i shown" "screen:" "$screen"; return 1
		fi
		key=$(echo "$screen" | sed -n 2p | awk '{print $1}')
		[[ "$screen" == *"Why here: strongest terms:"* ]] && why=$((why + 1)) &&
			grep -o 'Why here: strongest terms:.*' <<<"$screen" >> "$TMP/why"
		if [ "${truth[$key]:-}" = 1 ]; then
			found=$((found + 1)); T send-keys -t "$S" i
		else
			T send-keys -t "$S" e; wait_for "reason:" >/dev/null; T send-keys -t "$S" Enter
		fi
		done=$((done + 1))
	done
	wait_for "$done of 310 screened"
}

P=$TMP/p.qes R=$TMP/r.qes
check "two reviews of the same records" new_review "$P"
new_review "$R"

start "$P" prioritised
expect "prioritised starts in random order and says why" \
	"Order: random order until there is one include and one exclude (0 and 0 so far)"
check_eq "no stopping sentence before there is anything to say" \
	"$(T capture-pane -p -t "$S" | grep -c -E 'No random sample yet|Callaghan')" 0
screen_keys $N 0
pri=$found pri_why=$why
check_eq "Why here shown on prioritised records" "$([ "$pri_why" -ge $((N / 2)) ] && echo yes)" "yes"
stops=$(sed 's/^Why here: strongest terms://' "$TMP/why" | tr ',' '\n' | tr ' ' '\n' |
	grep -x -E 'a|an|and|as|at|by|for|from|in|is|of|on|or|the|to|was|were|with' | sort | uniq -c | head -5)
check_eq "Why here names no stop words ($(wc -l < "$TMP/why") lines)" "$stops" ""
check_eq "still none after $N prioritised decisions without a sample" \
	"$(T capture-pane -p -t "$S" | grep -c 'Screened ')" 0
T send-keys -t "$S" q
expect "q quits" "SCREENER-EXITED 0"

start "$R" random
expect "random order says so" "Order: random"
screen_keys $N 0
rnd=$found
T send-keys -t "$S" q
expect "q quits (random)" "SCREENER-EXITED 0"
echo "# inclusions in the first $N decisions: prioritised $pri, random $rnd (of 16 in 310)"
check_eq "prioritised finds more inclusions early than random" \
	"$([ "$pri" -gt "$rnd" ] && echo yes)" "yes"

# The stopping rule's sample: random order after prioritised screening.
start "$P" random
screen_keys 30 $N
joined=$(T capture-pane -p -t "$S" | tr '\n' ' ' | tr -s ' ')
check_contains "the stopping sentence once the sample has begun" "$joined" \
	"Screened $((N + 30)) of 310 records, $((pri + found)) relevant. A random sample of 30"
check_contains "the sentence names the rule" "$joined" "Callaghan &"
full=$("$QES" screen "$P" --as AB --stopping)
check_contains "the screen shows the estimate whole, wrapped (not cut at 3 lines)" "$joined" \
	"$(sed -E 's/(recall is at least [0-9.]+%\.).*/\1/' <<<"$full")"
samp=$found
T send-keys -t "$S" q
expect "q quits (sample)" "SCREENER-EXITED 0"
out=$("$QES" screen "$P" --as AB --stopping --json)
got=$(echo "$out" | python3 -c '
import json, sys
o = json.load(sys.stdin)
print(o["screened"], o["relevant"], o["sample_pool"], o["sample_n"], o["sample_relevant"],
      o["remaining_upper"] is not None, "Callaghan" in o["rule"], "Callaghan" in o["sentence"])')
check_eq "--stopping --json counts the sample" "$got" \
	"$((N + 30)) $((pri + samp)) $((310 - N)) 30 $samp True True True"
out=$("$QES" screen "$P" --as AB --stopping)
check_contains "--stopping sentence" "$out" "A random sample of 30 of the $((310 - N)) records left"
echo "# $out"
check_fails "--stopping needs a reviewer" 2 "$QES" screen "$P" --stopping
check_fails "unknown order" 2 "$QES" screen "$P" --as AB --order best --stopping

# What the reviewer waited: key to the next record ready (ms).
python3 - "$TMP/trace" <<'EOF'
import sys, statistics
ms = [float(l.split()[1]) for l in open(sys.argv[1])]
pri = [float(l.split()[1]) for l in open(sys.argv[1]) if " order prioritised " in l]
print("# decision-to-next-record ms over %d decisions: median %.1f, max %.1f; prioritised %d: median %.1f, max %.1f"
      % (len(ms), statistics.median(ms), max(ms), len(pri), statistics.median(pri) if pri else 0, max(pri) if pri else 0))
EOF
