#!/usr/bin/env bash
# t86-web-security: the web app against an attacker (issue 16, items 7-12),
# over curl and raw sockets on the review of web-review-fixture.sh:
#  - unauthenticated 100 MB bodies are refused from their headers: the
#    server's resident memory (VmRSS) stays flat;
#  - an advisor posting a PDF is told 403 (role before media type);
#  - %00 in a URL is 400;
#  - the advisors' view keeps the double-coding blinding for a second coder;
#  - failed logins slow down one account from one address only: another
#    address still logs in; 16 parallel wrong logins get at most 5 checks;
#    lock events are logged;
#  - a reviewer cannot merge two records that are not a queued pair;
#  - a theme description over the text limit is refused, naming the limit;
#  - keywords are removed by an owner or the reviewer who added them;
#  - a client that sends a header line every second is dropped when the
#    header time bound passes; one address holds at most 16 connections.
# The server never outlives the test (trap).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/web-review-fixture.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
if ! command -v curl >/dev/null; then skip "curl is not installed"; exit 0; fi
R=$TMP/r.qes
cd "$TMP" || exit 1
if ! out=$(make_web_review "$R" 2>&1); then not_ok "the fixture review is built" "$out"; exit 1; fi
ok "the fixture review is built with the CLI"

# Coding: two sources, both in the double-coding sample; ann codes a quote
# under a shared theme, bob (the second coder) has coded nothing yet.
cat > a.txt <<'TXT'
Mothers described the first home visit as an inspection rather than help.
"They looked in the fridge before they asked how I was," said one mother.
TXT
check "a coding source" "$QES" code source add "$R" a.txt --name StudyA
check "a code" "$QES" code add "$R" "Parents/Feeling inspected"
check "ann codes a quote" "$QES" code find "$R" --as ann StudyA \
	"They looked in the fridge before they asked how I was," "Parents/Feeling inspected" --quote --illustrative
check "every source in the double-coding sample" "$QES" code sample "$R" --fraction 1 --seed 1
python3 - "$R" <<'PY'
import sqlite3, sys, uuid
db = sqlite3.connect(sys.argv[1])
db.execute("INSERT INTO code_themes(guid, level, name, description) VALUES (?, 'descriptive', 'Watched', 'Visits felt like inspections.')", (str(uuid.uuid4()),))
db.execute("INSERT INTO code_theme_codes SELECT t.id, c.id FROM code_themes t, code_codes c WHERE t.name = 'Watched' AND c.path = 'Parents/Feeling inspected'")
db.commit()
PY
check "share the theme with advisors" "$QES" advisory share "$R" "theme:Watched" --by ann

serve_start "$R" || exit 1
PID=$SERVE_PID
ok "qes serve started on 127.0.0.1:$PORT"
code() { local m=$1 p=$2; shift 2; curl -s -o /dev/null -w '%{http_code}' -X "$m" "$@" "$U$p"; }
login_from() {  # login_from ADDRESS NAME PASSWORD JAR: the status
	curl -s --interface "$1" -o "$4.body" -c "$4" -w '%{http_code}' -H 'Content-Type: application/json' \
		-d "{\"name\":\"$2\",\"password\":\"$3\"}" "$U/api/login"
}
csrf_of() { json_get csrf <"$1.body"; }
post() {  # post JAR PATH BODY: the answer's body, the status on the last line
	curl -s -w '\n%{http_code}' -b "$1" -H "X-CSRF-Token: $(csrf_of "$1")" \
		-H 'Content-Type: application/json' --data-binary "$3" "$U$2"
}
status_of() { tail -n 1 <<<"$1"; }
rss() { awk '/^VmRSS/ {print $2}' "/proc/$PID/status"; }   # kB now
hwm() { awk '/^VmHWM/ {print $2}' "/proc/$PID/status"; }   # kB at the peak so far
sql() { python3 -c 'import sqlite3,sys
for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]): print("|".join(map(str, r)))' "$R" "$1"; }

# --- Item 7: bodies refused before they are read ----------------------------
check_eq "ann logs in" "$(login_from 127.0.0.1 ann ann-password ja)" 200
check_eq "bob logs in" "$(login_from 127.0.0.1 bob bob-password jb)" 200
check_eq "val (advisor) logs in" "$(login_from 127.0.0.1 val val-password jv)" 200
# Warm the server up (each worker's store) before the first measurement.
for _ in 1 2 3 4 5 6 7 8; do curl -s -o /dev/null -b ja "$U/api/status"; done
head -c 100000000 /dev/zero >big.bin
before=$(rss)
peak_before=$(hwm)
pids=()
for i in 1 2 3 4; do
	# -T streams the file (curl does not hold it); no Expect: 100-continue,
	# so the whole body is on its way unless the server stops reading.
	curl -s -o /dev/null -w '%{http_code}\n' -T big.bin -X POST -H 'Expect:' \
		-H 'Content-Type: application/pdf' "$U/api/review/fulltext/pdf?record_id=1" >"up$i.code" 2>/dev/null &
	pids+=($!)
	curl -s -o /dev/null -w '%{http_code}\n' -T big.bin -X POST -H 'Expect:' -H 'Transfer-Encoding: chunked' \
		-H 'Content-Type: application/json' "$U/api/screen/decide" >"ch$i.code" 2>/dev/null &
	pids+=($!)
done
wait "${pids[@]}"
after=$(rss)
peak_after=$(hwm)
# Each is answered 401 at once; curl may see the connection closed under
# the rest of its upload (000) instead. Nothing else.
codes=$(cat up?.code ch?.code | sort | uniq -c | awk '{print $2 "x" $1}' | tr '\n' ' ')
case " $codes" in
*" 401x"*) if [ -z "$(tr ' ' '\n' <<<"$codes" | grep -v '^401x\|^000x\|^$')" ]; then
		ok "8 unauthenticated 100 MB bodies: 401 or cut off ($codes)"
	else not_ok "8 unauthenticated 100 MB bodies: 401 or cut off" "$codes"; fi ;;
*) not_ok "8 unauthenticated 100 MB bodies: 401 or cut off" "$codes" ;;
esac
# The peak (VmHWM) too: a body read and freed again leaves VmRSS flat.
if [ "$((after - before))" -lt 20000 ] && [ "$((peak_after - peak_before))" -lt 20000 ]; then
	ok "server memory flat: VmRSS ${before} -> ${after} kB, peak ${peak_before} -> ${peak_after} kB"
else not_ok "server memory flat" "VmRSS ${before} -> ${after} kB, peak ${peak_before} -> ${peak_after} kB"; fi
check_eq "a body announced over the route's limit is refused (413) before reading" \
	"$(code POST /api/screen/decide -b ja -H "X-CSRF-Token: $(csrf_of ja)" -H 'Content-Type: application/json' \
		-H 'Expect:' -H 'Content-Length: 40000000' --data-binary '{}')" 413
check_eq "an advisor posting a PDF: 403 (role before media type)" \
	"$(code POST '/api/review/fulltext/pdf?record_id=1' -b jv -H "X-CSRF-Token: $(csrf_of jv)" \
		-H 'Content-Type: text/plain' --data-binary 'x')" 403
mkpdf w.pdf "An uploaded full text"
r=$(curl -s -w '\n%{http_code}' -b jb -H "X-CSRF-Token: $(csrf_of jb)" -H 'Content-Type: application/pdf' \
	--data-binary @w.pdf "$U/api/review/fulltext/pdf?record_id=$(sql "SELECT id FROM records WHERE source_key = 'a06'")")
check_eq "a reviewer's PDF upload (streamed to a temporary file) still works" "$(status_of "$r")" 200
rm -f big.bin

# --- Item 12: %00 ------------------------------------------------------------
check_eq "%00 in a path: 400" "$(code GET '/index.html%00.png')" 400
check_eq "%00 in an API path: 400" "$(code GET '/api/session%00' -b ja)" 400
check_eq "%00 in a query: 400" "$(code GET '/api/screen/next?stage=ta%00x' -b ja)" 400

# --- Item 8: the advisors' view and the double-coding blinding ---------------
FRIDGE="They looked in the fridge"
post ja /api/advisor/view '' >/dev/null
view() { curl -s -b "$1" "$U/api/advisor/view"; }
check_contains "the advisors' view as ann (the quote's coder) has the quote" "$(view ja)" "$FRIDGE"
v=$(view jb)
case $v in *fridge*) not_ok "the advisors' view as bob (second coder, blinded) hides ann's quote" "$v" ;;
	*) ok "the advisors' view as bob (second coder, blinded) hides ann's quote" ;; esac
src=$(curl -s -b jb "$U/api/code/source?id=$(sql "SELECT id FROM code_sources WHERE name = 'StudyA'")")
case $src in *'"codings": []'*|*'"codings":[]'*) ok "as in /api/code/source (no codings for bob)" ;;
	*) not_ok "as in /api/code/source (no codings for bob)" "${src:0:500}" ;; esac
v=$(view jv)
case $v in *fridge*) not_ok "the advisor sees no blinded quote either" "$v" ;; *) ok "the advisor sees no blinded quote either" ;; esac
check "ann marks StudyA done" "$QES" code done "$R" --as ann StudyA
check "bob marks StudyA done" "$QES" code done "$R" --as bob StudyA
check_contains "both done: bob's view has the quote" "$(view jb)" "$FRIDGE"

# --- Item 9: lock-out cannot be caused from another address ------------------
for i in 1 2 3 4 5 6 7 8; do last=$(login_from 127.0.0.2 ann "wrong-$i" jx); done
check_eq "ann from 127.0.0.2 after 8 wrong passwords: slowed down (429)" "$last" 429
check_eq "...even with the right password there" "$(login_from 127.0.0.2 ann ann-password jx)" 429
check_eq "ann from 127.0.0.1 logs in: nobody can lock her out" "$(login_from 127.0.0.1 ann ann-password ja2)" 200
check_eq "bob from 127.0.0.2 logs in: the address is not locked" "$(login_from 127.0.0.2 bob bob-password jb2)" 200
check_eq "the lock event is logged" "$(sql "SELECT count(*) > 0 FROM web_login_events WHERE name = 'ann' AND ip = '127.0.0.2' AND event = 'slowed'")" 1
pids=()
for i in $(seq 16); do login_from 127.0.0.3 bob "wrong-$i" "jp$i" >"par$i.code" & pids+=($!); done
wait "${pids[@]}"
codes=$(cat par*.code | grep -o '[0-9][0-9][0-9]')   # no newline after each status
all=$(sort <<<"$codes" | uniq -c | tr -s ' \n' ' ')
checked=$(grep -c 401 <<<"$codes")
limited=$(grep -c 429 <<<"$codes")
if [ "$checked" -le 5 ] && [ "$((checked + limited))" -eq 16 ]; then
	ok "16 parallel wrong logins: $checked password checks (limit 5), $limited slowed down"
else not_ok "16 parallel wrong logins bounded" "401: $checked, 429: $limited; all: $all"; fi
check_eq "failures counted for the pair: no more than the limit" \
	"$(sql "SELECT count(*) <= 5 FROM web_login_failures WHERE name = 'bob' AND ip = '127.0.0.3'")" 1

# --- Item 10: only queued pairs through the queue ----------------------------
A7=$(sql "SELECT id FROM records WHERE source_key = 'a07'")
A8=$(sql "SELECT id FROM records WHERE source_key = 'a08'")
works0=$("$QES" status "$R" --json | json_get dedup.works)
r=$(post jb /api/review/dedup/decide "{\"a\":$A7,\"b\":$A8,\"decision\":\"merge\"}")
check_eq "bob merging two records that are not a queued pair: 403" "$(status_of "$r")" 403
check_eq "nothing merged" "$("$QES" status "$R" --json | json_get dedup.works)" "$works0"
check_eq "nothing written" "$(sql "SELECT count(*) FROM dedup_pairs WHERE a = $A7 AND b = $A8")" 0

# --- Item 11: text limits ----------------------------------------------------
python3 -c 'import json; print(json.dumps({"action": "describe", "theme": "Watched", "text": "w" * 20000000}))' >desc.json
r=$(curl -s -w '\n%{http_code}' -b ja -H "X-CSRF-Token: $(csrf_of ja)" -H 'Content-Type: application/json' \
	--data-binary @desc.json "$U/api/themes/change")
check_eq "a 20 MB theme description: 413" "$(status_of "$r")" 413
check_contains "...naming the limit" "$r" "QES_MAX_LONG_TEXT"
check_eq "the description is unchanged" "$(sql "SELECT description FROM code_themes WHERE name = 'Watched'")" \
	"Visits felt like inspections."
check_fails "the same from the CLI (exit 3, over a limit)" 3 "$QES" theme describe "$R" Watched "$(head -c 70000 /dev/zero | tr '\0' w)"

# --- Item 12: keywords removable by the owner or who added them --------------
check_eq "bob adds a keyword" "$(status_of "$(post jb /api/screen/keywords '{"word":"kwbob"}')")" 200
check_eq "ann adds a keyword" "$(status_of "$(post ja /api/screen/keywords '{"word":"kwann"}')")" 200
check_eq "bob cannot remove ann's keyword (403)" \
	"$(status_of "$(post jb /api/screen/keywords/remove '{"word":"kwann"}')")" 403
check_eq "bob removes his own" "$(status_of "$(post jb /api/screen/keywords/remove '{"word":"kwbob"}')")" 200
check_eq "ann (owner) removes any" "$(status_of "$(post ja /api/screen/keywords/remove '{"word":"kwann"}')")" 200
check_eq "no keyword left" "$(sql "SELECT count(*) FROM screen_keywords")" 0
check "the CLI adds one" "$QES" criteria "$R" --keyword kwcli
check "qes criteria --remove-keyword removes it" "$QES" criteria "$R" --remove-keyword kwcli
check_fails "removing a keyword that is not there (exit 4)" 4 "$QES" criteria "$R" --remove-keyword kwcli

# --- Items 11, 12 in Chromium: long words wrap, bidi isolation ----------------
LONG=Zyzzyva$(head -c 890 /dev/zero | tr '\0' z)
check "a code with a 900-character word" "$QES" code add "$R" "Parents/$LONG"
check "a code name with a right-to-left override" "$QES" code add "$R" "$(printf 'Parents/abc\u202edef')"
check "a theme description with a 60,000-character word" "$QES" theme describe "$R" Watched \
	"Zyzzyva$(head -c 60000 /dev/zero | tr '\0' w)"
check "the codes under the theme" "$QES" theme codes "$R" Watched "Parents/$LONG" "$(printf 'Parents/abc\u202edef')"
if [ ! -x /usr/bin/chromium ] || [ ! -d "$ROOT/tests/e2e/node_modules/playwright-core" ]; then
	skip "no chromium or playwright-core (scripts/install-deps installs them)"
else
	res=$(cd "$ROOT/tests/e2e" && timeout 300 node web-wrap.mjs "$U/" ann ann-password Zyzzyva 2>&1)
	node_tap chromium "$res"
fi

# --- Item 11: slow clients ---------------------------------------------------
# Under ASan/UBSan (QES=build/asan/qes), a report goes to the server's stderr.
clean() {  # clean WHAT: the stopped server's stderr has no sanitizer report
	case $(cat "$TMP/serve.err") in
	*Sanitizer*|*"runtime error"*) not_ok "$1" "$(head -c 3000 "$TMP/serve.err")" ;;
	*) ok "$1" ;;
	esac
}
kill "$PID"; wait "$PID" 2>/dev/null
clean "the server stopped clean (no sanitizer report, no leak)"
serve_start "$R" --header-timeout 3 || exit 1
PID=$SERVE_PID
slow=$(python3 - "$PORT" <<'PY'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.settimeout(1)
s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
t0 = time.monotonic()
closed = None
while time.monotonic() - t0 < 12:
    try:
        s.sendall(b"X-Slow: 1\r\n")      # a header line every second: never idle
        if s.recv(1) == b"":
            closed = time.monotonic() - t0
            break
    except socket.timeout:
        continue
    except OSError:
        closed = time.monotonic() - t0
        break
print("open" if closed is None else "%.0f" % closed)
PY
)
if [ "$slow" != open ] && [ "$slow" -le 6 ]; then ok "a header line every second: dropped after ${slow} s (bound 3 s)"
else not_ok "a slow header client is dropped within the bound" "still $slow after 12 s"; fi
held=$(python3 - "$PORT" <<'PY'
import socket, sys, time
socks = []
for _ in range(24):
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
    socks.append(s)
time.sleep(1)
alive = 0
for s in socks:
    s.setblocking(False)
    try:
        alive += s.recv(1) != b""
    except BlockingIOError:
        alive += 1
    except OSError:
        pass
print(alive)
PY
)
if [ "$held" -le 16 ]; then ok "one address holds at most 16 connections ($held of 24 kept)"
else not_ok "per-address connection cap" "$held of 24 kept"; fi
check_eq "the server still answers" "$(code GET /healthz)" 200
kill "$PID"; wait "$PID" 2>/dev/null
clean "the second server stopped clean"
