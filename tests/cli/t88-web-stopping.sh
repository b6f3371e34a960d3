#!/usr/bin/env bash
# t88-web-stopping: the stopping rule's random sample through the web API.
# After a run of irrelevant records the stopping sentence suggests the
# switch; next?order=random offers records at random, decisions sent with
# order random are logged so and counted as the sample; a prioritised
# decision starts the sample again. The server never outlives the test.
source "$(dirname "$0")/lib.sh"
if ! have_shared; then skip "no ../shared/data"; exit 0; fi
if ! command -v curl >/dev/null; then skip "curl is not installed"; exit 0; fi
DATA=$SHARED/data/screening/Cohen_2006_Antihistamines.csv
R=$TMP/r.qes
cd "$TMP" || exit 1
check "init" "$QES" init "$R"
check "import" "$QES" import "$R" "$DATA" --source MEDLINE
check "owner ann screens as AB" sh -c "echo 'ann-password' | '$QES' user add '$R' ann --role owner --initials AB"
serve_start "$R" || exit 1
check_eq "ann logs in" "$(web_login ann ann-password ja)" 200

next_id() { curl -s -b ja "$U/api/screen/next?stage=ta${1:-}" | json_get record.id; }
decide() {  # decide RECORD DECISION [ORDER]: prints the status
	web_call ja POST /api/screen/decide \
		"{\"record_id\":$1,\"stage\":\"ta\",\"decision\":\"$2\"${3:+,\"order\":\"$3\"}}"
}
stopping() { curl -s -b ja "$U/api/screen/progress?stage=ta" | json_get "stopping.$1"; }
last_detail() {
	"$QES" log "$R" --as AB --json | python3 -c '
import json, sys
print([e["detail"] for e in json.load(sys.stdin) if e["action"] == "decide"][-1])'
}

# As the terminal screener (qes_rank_stop_worth_saying): nothing to say
# before a random sample or a long run without an include, though the
# sentence is always there for scripts.
check_eq "no decision yet: the screener stays silent" "$(stopping worth_saying)" False
check_contains "the sentence is there for scripts" "$(stopping sentence)" "No random sample yet"
check_eq "an include" "$(decide "$(next_id)" include)" 200
check_eq "an exclude" "$(decide "$(next_id)" exclude)" 200
for _ in $(seq 50); do   # the first model trains in the orderer's thread
	[ "$(curl -s -b ja "$U/api/screen/next?stage=ta" | json_get order.used)" = prioritised ] && break
	sleep 0.1
done
statuses=""
for _ in $(seq 49); do statuses="$statuses$(decide "$(next_id)" exclude)"; done
check_eq "49 more excludes in the prioritised order" "$statuses" "$(printf '200%.0s' $(seq 49))"
check_eq "they are logged as prioritised" "$(last_detail)" "order=prioritised"
check_eq "since_relevant counts the run of excludes" "$(stopping since_relevant)" 50
check_contains "the sentence suggests starting the sample" "$(stopping sentence)" \
	"The last 50 records screened held no relevant one: a good point to switch to random order"
check_eq "no sample yet" "$(stopping sample_n)" 0
check_eq "50 without an include: worth saying" "$(stopping worth_saying)" True

nr=$(curl -s -b ja "$U/api/screen/next?stage=ta&order=random")
check_eq "next?order=random: offered at random" "$(echo "$nr" | json_get order.used)" random
check_eq "next?order=random: no 'why not'" "$(echo "$nr" | json_get order.why_not)" None
check_eq "a sampled record decided" "$(decide "$(echo "$nr" | json_get record.id)" exclude random)" 200
check_eq "it is logged as random" "$(last_detail)" "order=random"
check_eq "the sample holds it" "$(stopping sample_n)" 1
check_eq "another sampled record" "$(decide "$(next_id '&order=random')" exclude random)" 200
check_eq "the sample holds two" "$(stopping sample_n)" 2
check_eq "none relevant in it" "$(stopping sample_relevant)" 0
check_contains "the sentence reports the sample" "$(stopping sentence)" "A random sample of 2 of the"
check_eq "a prioritised decision" "$(decide "$(next_id)" exclude)" 200
check_eq "it ends the sample: the next one starts again" "$(stopping sample_n)" 0

check_eq "next: an unknown order is 400" \
	"$(curl -s -o /dev/null -w '%{http_code}' -b ja "$U/api/screen/next?stage=ta&order=sideways")" 400
check_eq "decide: order must be text" \
	"$(web_call ja POST /api/screen/decide "{\"record_id\":$(next_id),\"stage\":\"ta\",\"decision\":\"exclude\",\"order\":7}")" 400
check_eq "decide: an unknown order is 400" "$(decide "$(next_id)" exclude sideways)" 400
