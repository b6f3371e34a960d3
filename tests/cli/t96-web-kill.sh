#!/usr/bin/env bash
# t96-web-kill: kill -9 of qes serve in the middle of screening loses no
# acknowledged decision. Four reviewers decide at once through the API with
# curl (a decision counts as acknowledged when its HTTP 200 has arrived, and
# only then is it written down); the server is killed with SIGKILL while they
# run; afterwards every acknowledged decision must be in the review (read by
# the CLI and by a restarted server), and none twice. The review is WAL with
# synchronous=NORMAL: a commit is in the WAL before the answer goes out, and
# a killed process cannot take it back (only power loss could).
source "$(dirname "$0")/lib.sh"
if ! have_shared; then skip "no ../shared/data"; exit 0; fi
if ! command -v curl >/dev/null; then skip "curl is not installed"; exit 0; fi
R=$TMP/r.qes
cd "$TMP"
check "init" "$QES" init "$R"
check "import" "$QES" import "$R" "$SHARED/data/screening/Cohen_2006_Antihistamines.csv" --source MEDLINE
for i in 1 2 3 4; do
	check "user u$i screens as R$i" sh -c "echo 'kill-password' | '$QES' user add '$R' u$i --role $([ $i = 1 ] && echo owner || echo reviewer) --initials R$i"
done
check "double screening" "$QES" policy "$R" --stage ta double --as R1

PID=
start_server() {
	: >serve.out
	"$QES" serve "$R" --listen 127.0.0.1:0 >serve.out 2>serve.err &
	PID=$!
	PORT=
	for _ in $(seq 150); do
		PORT=$(sed -n 's|.*http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' serve.out 2>/dev/null)
		[ -n "$PORT" ] && curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && return 0
		sleep 0.1
	done
	return 1
}
LOOPS=()
trap 'kill -9 "$PID" 2>/dev/null; for p in "${LOOPS[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$TMP"' EXIT
start_server || { not_ok "qes serve started" "$(cat serve.out serve.err)"; exit 1; }
ok "qes serve started"
U=http://127.0.0.1:$PORT

# reviewer NAME INITIALS: logs in, then decides record after record until the
# server goes away; writes "INITIALS RECORD" to acks.INITIALS after each 200.
reviewer() {
	local jar=jar.$2 csrf id code
	curl -s -c "$jar" -o login.$2 -H 'Content-Type: application/json' \
		-d "{\"name\":\"$1\",\"password\":\"kill-password\"}" "$U/api/login" || return
	csrf=$(json_get csrf <login.$2) || return
	: >acks.$2
	while :; do
		id=$(curl -s -m 10 -b "$jar" "$U/api/screen/next?stage=ta" | json_get record.id 2>/dev/null) || return
		[ "$id" = None ] && return
		code=$(curl -s -m 10 -o /dev/null -w '%{http_code}' -b "$jar" -H 'Content-Type: application/json' \
			-H "X-CSRF-Token: $csrf" -d "{\"record_id\":$id,\"stage\":\"ta\",\"decision\":\"include\"}" \
			"$U/api/screen/decide")
		case $code in
		200) echo "$2 $id" >>acks.$2 ;;
		409) ;;   # the other reviewer of the pair was quicker: not acknowledged
		*) return ;;
		esac
	done
}
for i in 1 2 3 4; do reviewer u$i R$i & LOOPS+=($!); done
# Kill once at least 20 decisions are acknowledged, while all four still run.
for _ in $(seq 600); do
	[ "$(cat acks.R* 2>/dev/null | wc -l)" -ge 20 ] && break
	sleep 0.1
done
kill -9 "$PID"
wait "$PID" 2>/dev/null
for p in "${LOOPS[@]}"; do wait "$p" 2>/dev/null; done
LOOPS=()
cat acks.R* | sort >acked
nack=$(wc -l <acked)
if [ "$nack" -ge 20 ]; then ok "kill -9 came in the middle of the load ($nack acknowledged)"; else
	not_ok "kill -9 came in the middle of the load" "only $nack acknowledged"; fi

# What the review holds, by the CLI: each reviewer's own decisions (the log
# shows a reviewer their own) mapped from source keys to record ids.
stored() {
	"$QES" screen "$R" --stage ta --outcomes --json >outcomes.json
	for i in 1 2 3 4; do
		"$QES" log "$R" --as R$i --json | python3 -c '
import json, sys
ids = {o["source_key"]: o["record_id"] for o in json.load(open(sys.argv[2]))}
live = {}
for e in json.load(sys.stdin):
    if e["by"] != sys.argv[1] or e["stage"] != "ta":
        continue
    if e["action"] in ("decide", "change"):
        live[e["source_key"]] = live.get(e["source_key"], 0) + (e["action"] == "decide")
    elif e["action"] == "undo":
        live.pop(e["source_key"], None)
for k, n in live.items():
    for _ in range(n):
        print(sys.argv[1], ids[k])
' R$i outcomes.json
	done | sort
}
stored >stored
missing=$(comm -23 acked stored | wc -l)
check_eq "every acknowledged decision survived kill -9" "$missing" 0
check_eq "no decision is stored twice" "$(sort stored | uniq -d | wc -l)" 0
extra=$(comm -13 acked stored | wc -l)
if [ "$extra" -le 4 ]; then ok "at most one unacknowledged decision per reviewer was in flight ($extra)"; else
	not_ok "at most one unacknowledged decision per reviewer was in flight" "$extra stored but not acknowledged"; fi

start_server || { not_ok "qes serve restarts after kill -9" "$(cat serve.out serve.err)"; exit 1; }
ok "qes serve restarts after kill -9"
U=http://127.0.0.1:$PORT
curl -s -c jr -o /dev/null -H 'Content-Type: application/json' -d '{"name":"u1","password":"kill-password"}' "$U/api/login"
mine=$(curl -s -b jr "$U/api/screen/progress?stage=ta" | json_get progress.mine)
check_eq "the restarted server counts R1's decisions" "$mine" "$(grep -c '^R1 ' stored)"
kill -TERM "$PID"; wait "$PID"
check_eq "and stops cleanly" "$?" 0
