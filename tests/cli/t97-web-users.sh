#!/usr/bin/env bash
# t97-web-users: accounts from the CLI: qes user list (text and --json),
# password (from standard input) and remove. Setting a password or removing
# a user ends their sessions at once, on a running server; a removed user's
# screening reviewer and decisions stay.
source "$(dirname "$0")/lib.sh"
if ! have_shared; then skip "no ../shared/data"; exit 0; fi
if ! command -v curl >/dev/null; then skip "curl is not installed"; exit 0; fi
R=$TMP/r.qes
cd "$TMP"
check "init" "$QES" init "$R"
check "import" "$QES" import "$R" "$SHARED/data/screening/Cohen_2006_Antihistamines.csv" --source MEDLINE
check "owner ann" sh -c "echo 'ann-password' | '$QES' user add '$R' ann --role owner --initials AB"
check "reviewer bob" sh -c "echo 'bob-password' | '$QES' user add '$R' bob --role reviewer --initials CD"
check "advisor val" sh -c "echo 'val-password' | '$QES' user add '$R' val --role advisor"

check_eq "list --json: names, roles, initials" \
	"$("$QES" user list "$R" --json | python3 -c 'import json,sys; print(" ".join("%s:%s:%s" % (u["name"], u["role"], u["initials"]) for u in json.load(sys.stdin)))')" \
	"ann:owner:AB bob:reviewer:CD val:advisor:None"
list=$("$QES" user list "$R")
check_eq "list: one line per user" "$(echo "$list" | wc -l)" 3
check_contains "list: the advisor has no initials" "$(echo "$list" | grep '^val')" "advisor   -"

check_fails "password: no such user (exit 4)" 4 sh -c "echo 'xyz-password' | '$QES' user password '$R' nobody"
check_fails "password: too short (exit 2)" 2 sh -c "echo 'short' | '$QES' user password '$R' bob"
check_fails "password: none on standard input (exit 3)" 3 sh -c "'$QES' user password '$R' bob </dev/null"
check_fails "remove: no such user (exit 4)" 4 "$QES" user remove "$R" nobody
check_fails "remove: needs a name (usage, exit 2)" 2 "$QES" user remove "$R"
check_fails "--role goes with add only" 2 "$QES" user remove "$R" bob --role owner

serve_start "$R" || exit 1
PID=$SERVE_PID
ok "qes serve started"
login() {  # login NAME PASSWORD JAR: prints the status
	curl -s -o "$3.body" -c "$3" -w '%{http_code}' -H 'Content-Type: application/json' \
		-d "{\"name\":\"$1\",\"password\":\"$2\"}" "$U/api/login"
}
session() { curl -s -o /dev/null -w '%{http_code}' -b "$1" "$U/api/session"; }

check_eq "bob logs in" "$(login bob bob-password jb)" 200
check_eq "ann logs in" "$(login ann ann-password ja)" 200
CSRF_B=$(json_get csrf <jb.body)
next=$(curl -s -b jb "$U/api/screen/next?stage=ta" | json_get record.id)
check_eq "bob screens a record" "$(curl -s -o /dev/null -w '%{http_code}' -b jb -H 'Content-Type: application/json' \
	-H "X-CSRF-Token: $CSRF_B" -d "{\"record_id\":$next,\"stage\":\"ta\",\"decision\":\"include\"}" "$U/api/screen/decide")" 200

check "new password for bob (standard input)" sh -c "echo 'bob-new-password' | '$QES' user password '$R' bob"
check_eq "bob's session ended with the new password" "$(session jb)" 401
check_eq "ann's session goes on" "$(session ja)" 200
check_eq "bob's old password is refused" "$(login bob bob-password jb)" 401
check_eq "bob's new password logs in" "$(login bob bob-new-password jb)" 200
check_eq "bob's new session is live" "$(session jb)" 200

check "remove bob" "$QES" user remove "$R" bob
check_eq "bob's session ended with the account" "$(session jb)" 401
check_eq "bob cannot log in" "$(login bob bob-new-password jb)" 401
check_eq "ann's session goes on" "$(session ja)" 200
check_eq "bob is gone from the list" "$("$QES" user list "$R" --json | json_get 1.name)" val
check_eq "bob's screening reviewer stays" \
	"$("$QES" reviewer list "$R" --json | python3 -c 'import json,sys; print(" ".join(r["initials"] for r in json.load(sys.stdin)))')" "AB CD"
check_eq "and so does his decision" \
	"$("$QES" log "$R" --as CD --json | python3 -c 'import json,sys; print(" ".join(e["new"] for e in json.load(sys.stdin) if e["action"]=="decide"))')" include
check_fails "removing bob again: no such user (exit 4)" 4 "$QES" user remove "$R" bob
check "the name is free again" sh -c "echo 'bob-third-password' | '$QES' user add '$R' bob --role reviewer --initials CD"
check_eq "and logs in" "$(login bob bob-third-password jb)" 200
