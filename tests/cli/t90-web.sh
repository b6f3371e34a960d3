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
	skip "qes import cannot read CSV in this build: $out"; exit 0
fi
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

"$QES" serve "$R" --listen 127.0.0.1:0 >serve.out 2>serve.err &
PID=$!
trap 'kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null; rm -rf "$TMP"' EXIT
PORT=
for _ in $(seq 100); do
	PORT=$(sed -n 's|.*http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' serve.out 2>/dev/null)
	[ -n "$PORT" ] && curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break
	sleep 0.1
done
if [ -z "$PORT" ]; then not_ok "qes serve started" "$(cat serve.out serve.err)"; exit 1; fi
ok "qes serve started on 127.0.0.1:$PORT"
U=http://127.0.0.1:$PORT

# code METHOD PATH [curl args...]: prints the HTTP status.
code() { local m=$1 p=$2; shift 2; curl -s -o /dev/null -w '%{http_code}' --path-as-is -X "$m" "$@" "$U$p"; }
# jcode METHOD PATH [curl args...]: the same, sent as application/json.
jcode() { code "$@" -H 'Content-Type: application/json'; }

check_eq "/healthz 200 without session" "$(curl -s "$U/healthz")/$(code GET /healthz)" "ok/200"
for r in "GET /api/session" "GET /api/status" "GET /api/screen/next?stage=ta" "POST /api/screen/decide" \
	 "POST /api/logout" "GET /api/prisma" "GET /api/nonexistent"; do
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
check_eq "owner's next record moves on" "$(curl -s -b ja "$U/api/screen/next?stage=ta" | json_get record.id)" "$((REC + 1))"

check_eq "reviewer logs in" "$(login bob bob-password jb)" 200
CSRF_B=$(json_get csrf <jb.body)
nb=$(curl -s -b jb "$U/api/screen/next?stage=ta")
check_eq "blinding: B is offered the record A decided" "$(echo "$nb" | json_get record.id)" "$REC"
check_eq "blinding: B's answer holds no decision" \
	"$(echo "$nb" | grep -ciE 'include|"AB"|decision')" 0
check_eq "blinding: B's progress counts none of A's" "$(echo "$nb" | json_get progress.mine)" 0
check_eq "CSRF of another session is refused: 403" \
	"$(jcode POST /api/screen/decide -b jb -H "X-CSRF-Token: $CSRF_A" -d "$body")" 403

check_eq "advisor logs in" "$(login val val-password jv)" 200
CSRF_V=$(json_get csrf <jv.body)
check_eq "advisor may not read the status (only what is shared)" "$(code GET /api/status -b jv)" 403
check_eq "advisor gets 403 on decide" \
	"$(jcode POST /api/screen/decide -b jv -H "X-CSRF-Token: $CSRF_V" -d "$body")" 403
check_eq "advisor gets 403 on next" "$(code GET '/api/screen/next?stage=ta' -b jv)" 403

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

kill -TERM "$PID"
wait "$PID"; rc=$?
check_eq "SIGTERM stops the server cleanly" "$rc" 0
check_contains "it says so" "$(cat serve.err)" "stopped"
