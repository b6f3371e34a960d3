#!/usr/bin/env bash
# t78-web-share: work shared out under double screening. 16 reviewers
# double-screen one review at once through the API (a python client on
# loopback, one keep-alive connection and thread each, a short random reading
# time). The server holds each record it offers for its reviewer (a claim),
# so reviewers are spread over the top of their prioritised orders: 409s
# ("already has the decisions its policy needs") stay under 1% of the
# decisions sent while more records are left than reviewers (the client stops
# at 500 of the 620 decisions; at the very end, with fewer records left than
# reviewers, the last ones are offered to two readers again and one of them
# gets a 409), and every decision acknowledged with 200 is stored, and
# logged, exactly once; nothing unacknowledged is stored.
source "$(dirname "$0")/lib.sh"
if ! have_shared; then skip "no ../shared/data"; exit 0; fi
if ! command -v sqlite3 >/dev/null; then skip "sqlite3 is not installed"; exit 0; fi
NREV=${T87_REVIEWERS:-16}
R=$TMP/r.qes
cd "$TMP"
check "init" "$QES" init "$R"
check "import" "$QES" import "$R" "$SHARED/data/screening/Cohen_2006_Antihistamines.csv" --source MEDLINE
for i in $(seq "$NREV"); do
	echo 'share-password' | "$QES" user add "$R" u$i --role $([ $i = 1 ] && echo owner || echo reviewer) --initials R$i >/dev/null 2>&1 || not_ok "user u$i"
done
check "double screening" "$QES" policy "$R" --stage ta double --as R1
serve_start "$R" --max-per-address 64 || exit 1
ok "qes serve started"

timeout 240 python3 - "$U" "$NREV" >client.out 2>client.err <<'PY'
import http.client, json, random, sys, threading, time, urllib.parse
base, nrev = sys.argv[1], int(sys.argv[2])
host = urllib.parse.urlparse(base)
acks, lock = [], threading.Lock()
stats = {"200": 0, "409": 0, "other": 0}
deadline = time.time() + 150

def reviewer(i):
    rnd = random.Random(i)
    c = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
    def call(method, path, body=None, hdr={}):
        h = dict(hdr)
        if body is not None:
            h["Content-Type"] = "application/json"
        c.request(method, path, json.dumps(body) if body is not None else None, h)
        r = c.getresponse()
        return r.status, r.getheader("Set-Cookie"), r.read()
    st, cookie, body = call("POST", "/api/login", {"name": "u%d" % i, "password": "share-password"})
    if st != 200:
        with lock: stats["other"] += 1
        return
    h = {"Cookie": cookie.split(";")[0], "X-CSRF-Token": json.loads(body)["csrf"]}
    while time.time() < deadline and stats["200"] < 500:
        st, _, body = call("GET", "/api/screen/next?stage=ta", None, h)
        if st != 200:
            with lock: stats["other"] += 1
            return
        rec = json.loads(body).get("record")
        if not rec:
            return
        time.sleep(rnd.random() * 0.02)         # reading
        d = "include" if rnd.random() < 0.3 else "exclude"
        st, _, _ = call("POST", "/api/screen/decide",
                        {"record_id": rec["id"], "stage": "ta", "decision": d}, h)
        with lock:
            if st == 200:
                stats["200"] += 1
                acks.append("R%d %d" % (i, rec["id"]))
            elif st == 409:
                stats["409"] += 1
            else:
                stats["other"] += 1

ts = [threading.Thread(target=reviewer, args=(i,)) for i in range(1, nrev + 1)]
for t in ts: t.start()
for t in ts: t.join()
open("acked", "w").write("".join(a + "\n" for a in sorted(acks)))
print(json.dumps(stats))
PY
check_eq "the client finished" "$?" 0
stats=$(cat client.out)
echo "# $stats"
n200=$(echo "$stats" | json_get 200); n409=$(echo "$stats" | json_get 409); nother=$(echo "$stats" | json_get other)
check_eq "no answer other than 200 and 409" "$nother" 0
check "the reviewers double-screened most of the review (200s: $n200)" test "$n200" -ge 500
sent=$((n200 + n409))
if [ $((n409 * 100)) -lt "$sent" ]; then ok "409s under 1% of decisions ($n409 of $sent)"; else
	not_ok "409s under 1% of decisions" "$n409 of $sent"; fi
sqlite3 "$R" "SELECT v.initials || ' ' || d.record_id FROM screen_decisions d JOIN reviewers v ON v.id = d.reviewer_id WHERE d.stage = 'ta'" | sort >stored
check_eq "every acknowledged decision is stored, nothing else" "$(comm -3 acked stored | wc -l)" 0
check_eq "none acknowledged twice" "$(uniq -d acked | wc -l)" 0
check_eq "each logged once" "$(sqlite3 "$R" "SELECT count(*) FROM (SELECT 1 FROM screen_log WHERE action = 'decide' AND stage = 'ta' GROUP BY record_id, reviewer_id HAVING count(*) > 1)")" 0
check_eq "log entries = acknowledged decisions" "$(sqlite3 "$R" "SELECT count(*) FROM screen_log WHERE action = 'decide' AND stage = 'ta'")" "$n200"
check_eq "no record has more decisions than double screening needs" "$(sqlite3 "$R" "SELECT count(*) FROM (SELECT record_id FROM screen_decisions WHERE stage = 'ta' GROUP BY record_id HAVING count(*) > 2)")" 0
