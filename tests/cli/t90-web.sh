#!/usr/bin/env bash
# t90-web: qes serve on a loopback port, driven with curl: health without a
# session, 401 on every API route without one, login (wrong password, rate
# limit, cookie flags), CSRF, screening through the API stored in the review,
# roles (an advisor may not screen), blinding between reviewers, path
# traversal, the body limit, secure headers. The server never outlives the
# test (trap).
source "$(dirname "$0")/lib.sh"
if ! have_shared; then skip "no ../shared/data"; exit 0; fi
if ! command -v curl >/dev/null; then skip "curl is not installed"; exit 0; fi
DATA=$SHARED/data/screening/Cohen_2006_Antihistamines.csv
R=$TMP/r.qes
cd "$TMP"

check "init" "$QES" init "$R"
if ! out=$("$QES" import "$R" "$DATA" --source MEDLINE 2>&1); then
	not_ok "import Cohen_2006_Antihistamines.csv" "$out"; exit 1
fi
ok "import Cohen_2006_Antihistamines.csv"
check "owner ann screens as AB" sh -c "echo 'ann-password' | '$QES' user add '$R' ann --role owner --initials AB"
check "reviewer bob screens as CD" sh -c "echo 'bob-password' | '$QES' user add '$R' bob --role reviewer --initials CD"
check "advisor val" sh -c "echo 'val-password' | '$QES' user add '$R' val --role advisor"
check_fails "an advisor has no initials" 2 sh -c "echo 'xyz-password' | '$QES' user add '$R' vic --role advisor --initials VV"
check_fails "short password refused" 2 sh -c "echo 'short' | '$QES' user add '$R' sam --role reviewer"
check_fails "duplicate name refused" 5 sh -c "echo 'ann-password' | '$QES' user add '$R' ANN --role reviewer"
check_eq "reviewers created from initials" \
	"$("$QES" reviewer list "$R" --json | python3 -c 'import json,sys; print(" ".join(r["initials"]+":"+r["role"] for r in json.load(sys.stdin)))')" \
	"AB:owner CD:reviewer"
check "double screening at ta" "$QES" policy "$R" --stage ta double --as AB
check "keywords of the criteria" "$QES" criteria "$R" --keyword urticaria --exclude-keyword rat

serve_start "$R" || exit 1
PID=$SERVE_PID
ok "qes serve started on 127.0.0.1:$PORT"

# code METHOD PATH [curl args...]: prints the HTTP status.
code() { local m=$1 p=$2; shift 2; curl -s -o /dev/null -w '%{http_code}' --path-as-is -X "$m" "$@" "$U$p"; }
# jcode METHOD PATH [curl args...]: the same, sent as application/json.
jcode() { code "$@" -H 'Content-Type: application/json'; }

check_eq "/healthz 200 without session" "$(curl -s "$U/healthz")/$(code GET /healthz)" "ok/200"
for r in "GET /api/session" "GET /api/status" "GET /api/screen/next?stage=ta" "POST /api/screen/decide" \
	 "POST /api/logout" "GET /api/prisma" "GET /api/nonexistent" "POST /api/screen/undo" \
	 "GET /api/screen/keywords" "POST /api/screen/keywords" "GET /api/screen/progress?stage=ta" \
	 "POST /api/account/password"; do
	check_eq "$r: 401 without session" "$(code $r)" 401
done
check_eq "a forged session cookie: 401" \
	"$(code GET /api/session -b "qes_session=$(printf '%064d' 0)")" 401

hdrs=$(curl -s -D - -o /dev/null "$U/")
for h in "Content-Security-Policy: default-src 'self'" "X-Content-Type-Options: nosniff" \
	 "Referrer-Policy: no-referrer" "X-Frame-Options: DENY"; do
	check_contains "secure header: ${h%%:*}" "$hdrs" "$h"
done
check_contains "login page served from the binary" "$(curl -s "$U/")" "<form id=\"login\""
check_contains "screener script served as JavaScript" "$(curl -s -D - -o /dev/null "$U/screen.js")" "text/javascript"

login() {  # login NAME PASSWORD JAR: prints the status
	curl -s -o "$3.body" -D "$3.hdr" -c "$3" -w '%{http_code}' -H 'Content-Type: application/json' \
		-d "{\"name\":\"$1\",\"password\":\"$2\"}" "$U/api/login"
}
check_eq "login with a wrong password: 401" "$(login bob wrong-password j0)" 401
check_eq "login with an unknown name: 401" "$(login nobody wrong-password j0)" 401
check_eq "login without a body: 400" "$(jcode POST /api/login)" 400
check_eq "login as a form (cross-site): 415" "$(code POST /api/login -d '{"name":"ann","password":"ann-password"}')" 415
check_eq "GET /api/login: 405" "$(code GET /api/login)" 405


check_eq "owner logs in" "$(login ann ann-password ja)" 200
setc=$(grep -i '^Set-Cookie:' ja.hdr)
check_contains "cookie is HttpOnly" "$setc" "HttpOnly"
check_contains "cookie is SameSite=Strict" "$setc" "SameSite=Strict"
check_contains "cookie has Path=/" "$setc" "Path=/"
CSRF_A=$(json_get csrf <ja.body)
check_eq "CSRF token is 64 hex digits" "$(echo "$CSRF_A" | grep -cE '^[0-9a-f]{64}$')" 1
check_eq "/api/session says who" "$(curl -s -b ja "$U/api/session" | json_get role)" owner
check_eq "/api/status: records as qes status --json" \
	"$(curl -s -b ja "$U/api/status" | json_get records)" "$("$QES" status "$R" --json | json_get records)"
check_eq "/api/status: screening as qes status --json" \
	"$(curl -s -b ja "$U/api/status" | json_get screening)" "$("$QES" status "$R" --json | json_get screening)"

check_eq "/api/prisma: the object of qes prisma --json" \
	"$(curl -s -b ja "$U/api/prisma" | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin), sort_keys=True))')" \
	"$("$QES" prisma "$R" --json 2>/dev/null | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin), sort_keys=True))')"
next=$(curl -s -b ja "$U/api/screen/next?stage=ta")
REC=$(echo "$next" | json_get record.id)
check_contains "next record has a title" "$(echo "$next" | json_get record.title)" " "
check_eq "next: progress to do" "$(echo "$next" | json_get progress.to_do)" \
	"$("$QES" status "$R" --json | json_get screening.ta.pool)"
body="{\"record_id\":$REC,\"stage\":\"ta\",\"decision\":\"include\"}"
check_eq "decide without CSRF: 403" "$(jcode POST /api/screen/decide -b ja -d "$body")" 403
check_eq "decide with a wrong CSRF: 403" \
	"$(jcode POST /api/screen/decide -b ja -H "X-CSRF-Token: $(echo "$CSRF_A" | tr 0-9a-f 1-9a-f0)" -d "$body")" 403
check_eq "decide with CSRF but as a form: 415" "$(code POST /api/screen/decide -b ja -H "X-CSRF-Token: $CSRF_A" -d "$body")" 415
check_eq "decide with CSRF: 200" "$(jcode POST /api/screen/decide -b ja -H "X-CSRF-Token: $CSRF_A" -d "$body")" 200
logged=$("$QES" log "$R" --as AB --json | python3 -c 'import json,sys; print(" ".join(e["by"]+":"+str(e["new"]) for e in json.load(sys.stdin) if e["action"]=="decide"))')
check_eq "the decision is stored (qes log)" "$logged" "AB:include"
check_eq "decide: malformed body 400" \
	"$(jcode POST /api/screen/decide -b ja -H "X-CSRF-Token: $CSRF_A" -d '{"record_id":"x"}')" 400
check_eq "decide: a record outside the pool 409" \
	"$(jcode POST /api/screen/decide -b ja -H "X-CSRF-Token: $CSRF_A" -d '{"record_id":999999,"stage":"ta","decision":"include"}')" 409
check_eq "POST to a read-only route: 405" "$(jcode POST /api/status -b ja -H "X-CSRF-Token: $CSRF_A" -d '{}')" 405
nx=$(curl -s -b ja "$U/api/screen/next?stage=ta")
check_eq "owner's next record moves on" "$(echo "$nx" | python3 -c 'import json,sys; print(json.load(sys.stdin)["record"]["id"] != '"$REC"')')" True
logdetail=$("$QES" log "$R" --as AB --json | python3 -c 'import json,sys; print([e["detail"] for e in json.load(sys.stdin) if e["action"]=="decide"][0])')
check_eq "the log notes the order the record was offered in (random: no model yet)" "$logdetail" "order=random"

# Order: the terminal screener's default (prioritised at ta), random until
# the reviewer's labels hold an include and an exclude, and says why.
check_eq "order: random until one include and one exclude" "$(echo "$nx" | json_get order.used)" random
check_contains "order: says why not prioritised" "$(echo "$nx" | json_get order.why_not)" "one include and one exclude"
check_eq "order: learnt from the one decision AB may see" "$(echo "$nx" | json_get order.labelled)" 1
n2=$(echo "$nx" | json_get record.id)
pre=$(curl -s -b ja "$U/api/screen/next?stage=ta&after=$n2")
check_eq "prefetch (after): another record" \
	"$(echo "$pre" | python3 -c 'import json,sys; print(json.load(sys.stdin)["record"]["id"] != '"$n2"')')" True
check_eq "prefetch (after): no counts" "$(echo "$pre" | json_get progress)" None
check_eq "next: after must be a number" "$(code GET "/api/screen/next?stage=ta&after=x" -b ja)" 400
decide_as() {  # decide_as JAR CSRF RECORD DECISION: prints the status
	jcode POST /api/screen/decide -b "$1" -H "X-CSRF-Token: $2" \
		-d "{\"record_id\":$3,\"stage\":\"ta\",\"decision\":\"$4\"}"
}
check_eq "AB excludes a second record" "$(decide_as ja "$CSRF_A" "$n2" exclude)" 200
# The first model trains in the orderer's thread: random until it is done.
for _ in $(seq 50); do
	nx=$(curl -s -b ja "$U/api/screen/next?stage=ta")
	[ "$(echo "$nx" | json_get order.used)" = prioritised ] && break
	sleep 0.1
done
check_eq "order: prioritised once there is an include and an exclude" "$(echo "$nx" | json_get order.used)" prioritised
check_eq "order: a score" "$(echo "$nx" | python3 -c 'import json,sys; print(isinstance(json.load(sys.stdin)["order"]["score"], float))')" True
check_eq "order: the record's strongest terms" "$(echo "$nx" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["order"]["terms"]) > 0)')" True
pg=$(curl -s -b ja "$U/api/screen/progress?stage=ta")
check_eq "progress: AB's two decisions" "$(echo "$pg" | json_get progress.mine)" 2
check_contains "progress: the stopping sentence names its rule" "$(echo "$pg" | json_get stopping.sentence)" "Callaghan"

# Undo: the latest decision goes back (logged), then the one before.
ud=$(curl -s -b ja -H 'Content-Type: application/json' -H "X-CSRF-Token: $CSRF_A" -d '{"stage":"ta"}' "$U/api/screen/undo")
check_eq "undo takes back the latest decision" "$(echo "$ud" | json_get record_id)" "$n2"
check_eq "undo answers the record to decide again" "$(echo "$ud" | json_get record.id)" "$n2"
check_eq "undo is in the log" "$("$QES" log "$R" --as AB --json | python3 -c 'import json,sys; print(sum(e["action"]=="undo" for e in json.load(sys.stdin)))')" 1
check_eq "undo without CSRF: 403" "$(jcode POST /api/screen/undo -b ja -d '{"stage":"ta"}')" 403
check_eq "progress after undo" "$(curl -s -b ja "$U/api/screen/progress?stage=ta" | json_get progress.mine)" 1

# Keywords: the criteria's, and added from the page (team only).
kw=$(curl -s -b ja "$U/api/screen/keywords")
check_eq "keywords: include" "$(echo "$kw" | json_get include)" '["urticaria"]'
check_eq "keywords: exclude" "$(echo "$kw" | json_get exclude)" '["rat"]'
check_eq "add a keyword: 200" "$(jcode POST /api/screen/keywords -b ja -H "X-CSRF-Token: $CSRF_A" -d '{"word":"cetirizine"}')" 200
check_eq "the keyword is the review's" "$(curl -s -b ja "$U/api/screen/keywords" | json_get include)" '["urticaria", "cetirizine"]'
check_eq "add it again: 409" "$(jcode POST /api/screen/keywords -b ja -H "X-CSRF-Token: $CSRF_A" -d '{"word":"cetirizine"}')" 409
check_eq "a keyword must be text: 400" "$(jcode POST /api/screen/keywords -b ja -H "X-CSRF-Token: $CSRF_A" -d '{"word":7}')" 400
check_eq "exclude must be true or false: 400" \
	"$(jcode POST /api/screen/keywords -b ja -H "X-CSRF-Token: $CSRF_A" -d '{"word":"mice","exclude":"yes"}')" 400

check_eq "reviewer logs in" "$(login bob bob-password jb)" 200
CSRF_B=$(json_get csrf <jb.body)
nb=$(curl -s -b jb "$U/api/screen/next?stage=ta")
check_eq "blinding: A's decision leaves all of B's to do" "$(echo "$nb" | json_get progress.to_do)" \
	"$(echo "$nb" | json_get progress.pool)"
check_eq "blinding: B's answer holds no decision" "$(echo "$nb" | python3 -c '
import json, sys
def walk(v):
    if isinstance(v, dict):
        return any(k in ("decision", "decisions", "decided_by", "initials") or walk(x) for k, x in v.items())
    if isinstance(v, list):
        return any(walk(x) for x in v)
    return v == "AB"
print(walk(json.load(sys.stdin)))')" False
check_eq "blinding: B's progress counts none of A's" "$(echo "$nb" | json_get progress.mine)" 0
check_eq "CSRF of another session is refused: 403" \
	"$(jcode POST /api/screen/decide -b jb -H "X-CSRF-Token: $CSRF_A" -d "$body")" 403

# Undo is refused once the other reviewer of a double-screened record has
# decided it too (only a conflict resolution may change it then).
check_eq "CD decides the record AB included" "$(decide_as jb "$CSRF_B" "$REC" exclude)" 200
check_eq "AB may no longer undo it: 409" \
	"$(jcode POST /api/screen/undo -b ja -H "X-CSRF-Token: $CSRF_A" -d '{"stage":"ta"}')" 409
check_contains "and says why" \
	"$(curl -s -b ja -H 'Content-Type: application/json' -H "X-CSRF-Token: $CSRF_A" -d '{"stage":"ta"}' "$U/api/screen/undo")" "can no"
check_eq "CD may not undo it either: 409" \
	"$(jcode POST /api/screen/undo -b jb -H "X-CSRF-Token: $CSRF_B" -d '{"stage":"ta"}')" 409
check "the conflict is resolved" "$QES" conflicts resolve "$R" --as AB --stage ta "#$REC" include --method consensus
check_eq "undo after the resolution: still 409" \
	"$(jcode POST /api/screen/undo -b jb -H "X-CSRF-Token: $CSRF_B" -d '{"stage":"ta"}')" 409
check_eq "nothing was undone (log)" "$("$QES" log "$R" --as AB --json | python3 -c 'import json,sys; print(sum(e["action"]=="undo" for e in json.load(sys.stdin)))')" 1

check_eq "advisor logs in" "$(login val val-password jv)" 200
CSRF_V=$(json_get csrf <jv.body)
check_eq "advisor may not read the status (only what is shared)" "$(code GET /api/status -b jv)" 403
check_eq "advisor gets 403 on decide" \
	"$(jcode POST /api/screen/decide -b jv -H "X-CSRF-Token: $CSRF_V" -d "$body")" 403
check_eq "advisor gets 403 on next" "$(code GET '/api/screen/next?stage=ta' -b jv)" 403
check_eq "advisor gets 403 on undo" "$(jcode POST /api/screen/undo -b jv -H "X-CSRF-Token: $CSRF_V" -d '{"stage":"ta"}')" 403
check_eq "advisor gets 403 on keywords" "$(code GET /api/screen/keywords -b jv)" 403
check_eq "advisor gets 403 on adding a keyword" \
	"$(jcode POST /api/screen/keywords -b jv -H "X-CSRF-Token: $CSRF_V" -d '{"word":"x"}')" 403
check_eq "advisor gets 403 on progress" "$(code GET '/api/screen/progress?stage=ta' -b jv)" 403

# Own password from the page: the current one is needed; other sessions end.
check_eq "second session of val" "$(login val val-password jv2)" 200
pw() { jcode POST /api/account/password -b jv -H "X-CSRF-Token: $CSRF_V" -d "$1"; }
check_eq "password: wrong current one 403" "$(pw '{"current":"not-val-password","new":"val-new-password"}')" 403
check_eq "password: too short 400" "$(pw '{"current":"val-password","new":"short"}')" 400
check_eq "password: malformed 400" "$(pw '{"new":"val-new-password"}')" 400
check_eq "password: changed 200" "$(pw '{"current":"val-password","new":"val-new-password"}')" 200
check_eq "this session stays" "$(code GET /api/session -b jv)" 200
check_eq "the user's other session ended" "$(code GET /api/session -b jv2)" 401
check_eq "the old password no longer logs in" "$(login val val-password jv3)" 401
check_eq "the new one does" "$(login val val-new-password jv3)" 200

for p in "/../r.qes" "/%2e%2e/r.qes" "/%2e%2e%2fr.qes" "/static/../../etc/passwd" "/..%2f..%2fetc/passwd" \
	 "/index.html/.." "//etc/passwd"; do
	check_eq "path traversal $p: 404" "$(code GET "$p")" 404
done

head -c $((32 * 1024 * 1024 + 1)) /dev/zero >big
check_eq "body over the limit: 413" \
	"$(jcode POST /api/screen/decide -b ja -H "X-CSRF-Token: $CSRF_A" --data-binary @big)" 413
check_eq "login body over the limit: 413" "$(code POST /api/login --data-binary @big)" 413

check_eq "logout without CSRF: 403" "$(jcode POST /api/logout -b jb)" 403
check_eq "logout with CSRF: 200" "$(jcode POST /api/logout -b jb -H "X-CSRF-Token: $CSRF_B")" 200
check_eq "the session is gone after logout" "$(code GET /api/session -b jb)" 401

for i in 1 2 3 4 5; do login bob "wrong-$i" jx >/dev/null; done
check_eq "login rate-limited after 5 failures (429, right password)" "$(login bob bob-password jx)" 429
check_eq "others may still log in" "$(login ann ann-password jc)" 200

# Records imported while the server runs reach the screener (the cached
# order is rebuilt when the records change, checked every 5 seconds).
R2=$TMP/r2.qes
python3 - "$DATA" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
csv.writer(open("first.csv", "w", newline="")).writerows(rows[:3])
csv.writer(open("more.csv", "w", newline="")).writerows(rows[:1] + rows[3:5])
PY
check "small review" "$QES" init "$R2"
check "two records" "$QES" import "$R2" first.csv --source MEDLINE
check "its screener" sh -c "echo 'zed-password' | '$QES' user add '$R2' zed --role owner --initials ZZ"
"$QES" serve "$R2" --listen 127.0.0.1:0 >serve2.out 2>serve2.err &
PID2=$!
trap 'kill "$PID" "$PID2" 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"' EXIT
P2=
for _ in $(seq 100); do
	P2=$(sed -n 's|.*http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' serve2.out 2>/dev/null)
	[ -n "$P2" ] && curl -sf "http://127.0.0.1:$P2/healthz" >/dev/null && break
	sleep 0.1
done
curl -s -o jz.body -c jz -H 'Content-Type: application/json' -d '{"name":"zed","password":"zed-password"}' \
	"http://127.0.0.1:$P2/api/login" >/dev/null
CSRF_Z=$(json_get csrf <jz.body)
for _ in 1 2; do
	id=$(curl -s -b jz "http://127.0.0.1:$P2/api/screen/next?stage=ta" | json_get record.id)
	curl -s -o /dev/null -b jz -H 'Content-Type: application/json' -H "X-CSRF-Token: $CSRF_Z" \
		-d "{\"record_id\":$id,\"stage\":\"ta\",\"decision\":\"include\"}" "http://127.0.0.1:$P2/api/screen/decide"
done
check_eq "both records screened: nothing left" \
	"$(curl -s -b jz "http://127.0.0.1:$P2/api/screen/next?stage=ta" | json_get record)" None
check "two more records imported while serving" "$QES" import "$R2" more.csv --source MEDLINE
got=None
for _ in $(seq 80); do
	got=$(curl -s -b jz "http://127.0.0.1:$P2/api/screen/next?stage=ta" | json_get record)
	[ "$got" != None ] && break
	sleep 0.1
done
check_eq "the new records reach the screener" "$(echo "$got" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"] > 2)' 2>/dev/null)" True
kill -TERM "$PID2"
wait "$PID2"
check_eq "that server stops cleanly too" "$?" 0

kill -TERM "$PID"
wait "$PID"; rc=$?
check_eq "SIGTERM stops the server cleanly" "$rc" 0
check_contains "it says so" "$(cat serve.err)" "stopped"
