#!/usr/bin/env bash
# t94-web-code: coding through qes serve, driven with curl. Every coding
# route answers 401 without a session and 403 to an advisor; state changes
# need the CSRF token; a span coded over the API (code-point offsets, past
# an emoji and a combining mark) is the span `qes code list --json` shows,
# with the same text; two coders on a sampled source do not see each
# other's codings (nor their notes, nor them in the code counts) until both
# have marked it done; only a coding's coder or an owner may change or
# delete it. The texts are written for this test.
source "$(dirname "$0")/lib.sh"
if ! command -v curl >/dev/null; then skip "curl is not installed"; exit 0; fi
R=$TMP/r.qes
cd "$TMP"

check "init" "$QES" init "$R"
# Source A: an emoji (one code point, two UTF-16 units) and a q with a
# combining acute (no precomposed form, so two code points after NFC)
# before the words to code. Source B: plain text.
printf 'Mother (P3): \xf0\x9f\x98\x80 it was fine, q\xcc\x81uite fine, until the letter came. Then I felt judged by everyone.\n' >a.txt
printf 'Father (P4): nobody explained what the report said. Later the worker listened to us.\n' >b.txt
check "source A (emoji, combining mark)" "$QES" code source add "$R" a.txt --name SrcA --kind transcript
check "source B" "$QES" code source add "$R" b.txt --name SrcB
check "a code" "$QES" code add "$R" "Parent/Feeling judged" --colour '#c0392b'
check "owner ann" sh -c "echo 'ann-password' | '$QES' user add '$R' ann --role owner"
check "reviewer bob" sh -c "echo 'bob-password' | '$QES' user add '$R' bob --role reviewer"
check "advisor val" sh -c "echo 'val-password' | '$QES' user add '$R' val --role advisor"

serve_start "$R" || exit 1
PID=$SERVE_PID
ok "qes serve started"

code() { local m=$1 p=$2; shift 2; curl -s -o /dev/null -w '%{http_code}' -X "$m" "$@" "$U$p"; }
jcode() { code "$@" -H 'Content-Type: application/json'; }
login() {  # login NAME PASSWORD JAR: prints the status; the CSRF token is in JAR.csrf
	local st
	st=$(curl -s -o "$3.body" -c "$3" -w '%{http_code}' -H 'Content-Type: application/json' \
		-d "{\"name\":\"$1\",\"password\":\"$2\"}" "$U/api/login")
	json_get csrf <"$3.body" >"$3.csrf" 2>/dev/null
	echo "$st"
}
# post JAR PATH BODY: the answer's body; its status in $TMP/last.status.
post() {
	curl -s -o last.body -w '%{http_code}' -b "$1" -H 'Content-Type: application/json' \
		-H "X-CSRF-Token: $(cat "$1.csrf")" -d "$3" "$U$2" >last.status
	cat last.body
}
status() { cat last.status; }
get() { curl -s -b "$1" "$U$2"; }
py() { python3 -c "$@"; }

ROUTES="GET:/api/code/sources GET:/api/code/source?id=1 GET:/api/code/codes POST:/api/code/codes
POST:/api/code/span POST:/api/code/coding/update POST:/api/code/coding/delete POST:/api/code/note
POST:/api/code/done"
check_guarded "$ROUTES"

check_eq "ann (owner) logs in" "$(login ann ann-password ja)" 200
check_eq "bob (reviewer) logs in" "$(login bob bob-password jb)" 200
check_eq "val (advisor) logs in" "$(login val val-password jv)" 200
check_guarded "$ROUTES" jv
check_eq "code a span without CSRF: 403" \
	"$(jcode POST /api/code/span -b ja -d '{"source_id":1,"start":0,"end":3,"code":"Parent/Feeling judged"}')" 403
check_eq "the advisor's 403 left no coding" "$("$QES" code list "$R" --json)" "[]"

# The sources, with lengths in code points of the stored (NFC) text.
srcs=$(get ja /api/code/sources)
check_eq "sources: names and kinds" \
	"$(echo "$srcs" | py 'import json,sys; print(" ".join(s["name"]+":"+s["kind"] for s in json.load(sys.stdin)))')" \
	"SrcA:transcript SrcB:results"
LEN_A=$(py 'import sys,unicodedata; print(len(unicodedata.normalize("NFC", open("a.txt", encoding="utf-8").read())))')
check_eq "sources: length in code points" "$(echo "$srcs" | json_get 0.length)" "$LEN_A"
ID_A=$(echo "$srcs" | json_get 0.id)
ID_B=$(echo "$srcs" | json_get 1.id)
check_eq "a source's text as stored" "$(get ja "/api/code/source?id=$ID_A" | json_get source.text)" "$(cat a.txt)"
check_eq "an unknown source: 404" "$(code GET '/api/code/source?id=999' -b ja)" 404
check_eq "a source id that is not a number: 400" "$(code GET '/api/code/source?id=x' -b ja)" 400

# Codes.
post jb /api/code/codes '{"path":"Parent/Fear of removal","colour":"#2e86c1"}' >/dev/null
check_eq "a reviewer creates a code: 201" "$(status)" 201
post jb /api/code/codes '{"path":"Parent/Fear of removal"}' >/dev/null
check_eq "the same code twice: 409" "$(status)" 409
post jb /api/code/codes '{"path":"Other","colour":"red"}' >/dev/null
check_eq "a bad colour: 400" "$(status)" 400
tree=$(get ja /api/code/codes)
check_eq "the tree: folder and codes with colours" \
	"$(echo "$tree" | py 'import json,sys; print(" ".join("%s:%s:%s" % (c["path"], c["colour"], c["folder"]) for c in json.load(sys.stdin)))')" \
	"Parent:None:True Parent/Fear of removal:#2e86c1:False Parent/Feeling judged:#c0392b:False"

# A span after the emoji and the combining mark, by code points.
read -r S E < <(py 'import unicodedata; t = unicodedata.normalize("NFC", open("a.txt", encoding="utf-8").read()); w = "until the letter came"; s = t.index(w); print(s, s + len(w))')
ans=$(post ja /api/code/span "{\"source_id\":$ID_A,\"start\":$S,\"end\":$E,\"code\":\"Parent/Fear of removal\",\"kind\":\"quote\",\"illustrative\":true,\"memo\":\"the letter as the turn\"}")
check_eq "ann codes a span: 201" "$(status)" 201
check_eq "the answer carries the coded text" "$(echo "$ans" | json_get text)" "until the letter came"
C_ANN=$(echo "$ans" | json_get id)
lst=$("$QES" code list "$R" --json)
check_eq "qes code list --json has the same span, text, coder and flags" \
	"$(echo "$lst" | py 'import json,sys; c = json.load(sys.stdin)[0]; print(c["source"], c["coder"], c["start"], c["end"], c["text"], c["kind"], c["illustrative"], c["memo"])')" \
	"SrcA ann $S $E until the letter came quote True the letter as the turn"
post ja /api/code/span "{\"source_id\":$ID_A,\"start\":13,\"end\":14,\"code\":\"Parent/Feeling judged\"}" >/dev/null
check_eq "the emoji alone is one code point" "$("$QES" code list "$R" --json | json_get 0.text)" "$(printf '\xf0\x9f\x98\x80')"
post ja /api/code/span "{\"source_id\":$ID_A,\"start\":$S,\"end\":$((LEN_A + 1)),\"code\":\"Parent/Feeling judged\"}" >/dev/null
check_eq "a span past the end: 400" "$(status)" 400
post ja /api/code/span "{\"source_id\":$ID_A,\"start\":5,\"end\":5,\"code\":\"Parent/Feeling judged\"}" >/dev/null
check_eq "an empty span: 400" "$(status)" 400
post ja /api/code/span "{\"source_id\":$ID_A,\"start\":1,\"end\":5,\"code\":\"Nope\"}" >/dev/null
check_eq "an unknown code: 404" "$(status)" 404
post ja /api/code/span "{\"source_id\":$ID_A,\"start\":1,\"end\":5,\"code\":\"Parent/Feeling judged\",\"kind\":\"both\"}" >/dev/null
check_eq "an unknown kind: 400" "$(status)" 400
post ja /api/code/span '{"source_id":1,"start":"0","end":3,"code":"Parent/Feeling judged"}' >/dev/null
check_eq "offsets that are not numbers: 400" "$(status)" 400
check_eq "only the two good spans were stored" "$("$QES" code list "$R" --json | json_get 1.start)" "$S"
EMOJI_ID=$("$QES" code list "$R" --json | json_get 0.id)
post ja /api/code/coding/delete "{\"id\":$EMOJI_ID}" >/dev/null
check_eq "ann deletes her own coding" "$(status)" 200

# Blinding: draw the sample (one of the two sources), then both code it.
check "sample half the sources" "$QES" code sample "$R" --fraction 0.5 --seed 7
SAMPLED=$(py 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT s.name FROM code_sample c JOIN code_sources s ON s.id = c.source_id").fetchone()[0])' "$R")
check_eq "the API says which source is sampled" \
	"$(get jb /api/code/sources | py 'import json,sys; print(" ".join(s["name"] for s in json.load(sys.stdin) if s["sampled"]))')" "$SAMPLED"
SID=$([ "$SAMPLED" = SrcA ] && echo "$ID_A" || echo "$ID_B")
OID=$([ "$SAMPLED" = SrcA ] && echo "$ID_B" || echo "$ID_A")
ans=$(post ja /api/code/span "{\"source_id\":$SID,\"start\":0,\"end\":6,\"code\":\"Parent/Feeling judged\"}")
CA=$(echo "$ans" | json_get id)
post ja /api/code/note "{\"target_type\":\"coding\",\"target_id\":$CA,\"text\":\"ann's private thought\"}" >/dev/null
check_eq "ann notes her coding: 201" "$(status)" 201
ans=$(post jb /api/code/span "{\"source_id\":$SID,\"start\":2,\"end\":9,\"code\":\"Parent/Fear of removal\"}")
CB=$(echo "$ans" | json_get id)
check_eq "bob codes the sampled source: 201" "$(status)" 201
post jb /api/code/span "{\"source_id\":$OID,\"start\":0,\"end\":4,\"code\":\"Parent/Fear of removal\"}" >/dev/null
coders() { get "$1" "/api/code/source?id=$2" | py 'import json,sys; print(" ".join(sorted(c["coder"] for c in json.load(sys.stdin)["codings"])))'; }
check_eq "blinded: bob sees only his coding on the sampled source" "$(coders jb "$SID")" "bob"
check_eq "blinded: ann sees only hers" "$(coders ja "$SID")" "ann"
check_eq "not sampled: everyone's codings are seen" "$(coders jb "$OID")" \
	"$("$QES" code list "$R" --source "$([ "$SAMPLED" = SrcA ] && echo SrcB || echo SrcA)" --json | py 'import json,sys; print(" ".join(sorted(c["coder"] for c in json.load(sys.stdin))))')"
check_eq "blinded: ann's note is not in bob's view" "$(get jb "/api/code/source?id=$SID" | grep -c "private thought")" 0
check_eq "blinded: the code counts bob sees leave ann's out" \
	"$(get jb /api/code/codes | py 'import json,sys; print([c["codings"] for c in json.load(sys.stdin) if c["path"] == "Parent/Feeling judged"][0])')" \
	"$("$QES" code list "$R" --as bob --code "Parent/Feeling judged" --json | py 'import json,sys; print(len(json.load(sys.stdin)))')"
post jb /api/code/note "{\"target_type\":\"coding\",\"target_id\":$CA,\"text\":\"x\"}" >/dev/null
check_eq "bob cannot note a coding hidden from him: 404" "$(status)" 404
post jb /api/code/coding/update "{\"id\":$CA,\"illustrative\":true}" >/dev/null
check_eq "bob (reviewer) may not change ann's coding: 403" "$(status)" 403
post jb /api/code/coding/delete "{\"id\":$C_ANN}" >/dev/null
check_eq "bob may not delete ann's coding: 403" "$(status)" 403
check_eq "ann's codings are untouched" \
	"$("$QES" code list "$R" --json | py 'import json,sys; print(sorted((c["id"], c["illustrative"]) for c in json.load(sys.stdin) if c["coder"] == "ann"))')" \
	"[($C_ANN, True), ($CA, False)]"
ans=$(post jb /api/code/coding/update "{\"id\":$CB,\"kind\":\"interpretation\",\"illustrative\":true}")
check_eq "bob changes his own coding's flags" "$(status)" 200
ans=$(post ja /api/code/coding/update "{\"id\":$CB,\"code\":\"Parent/Feeling judged\"}")
check_eq "ann (owner) changes bob's coding's code" "$(status)" 200
check_eq "qes code list shows both changes" \
	"$("$QES" code list "$R" --json | py "import json,sys; c = [c for c in json.load(sys.stdin) if c['id'] == $CB][0]; print(c['code'], c['kind'], c['illustrative'])")" \
	"Parent/Feeling judged interpretation True"
post jb /api/code/coding/update "{\"id\":$CB,\"kind\":\"both\"}" >/dev/null
check_eq "an unknown kind on update: 400" "$(status)" 400
post jb /api/code/coding/update '{"id":999999}' >/dev/null
check_eq "an unknown coding: 404" "$(status)" 404

post jb /api/code/done "{\"source_id\":$SID}" >/dev/null
check_eq "bob marks the sampled source done" "$(status)" 200
check_eq "one coder done is not enough" "$(coders jb "$SID")" "bob"
ans=$(post ja /api/code/done "{\"source_id\":$SID}")
check_eq "ann marks it done: done_by 2" "$(echo "$ans" | json_get done_by)" 2
check_eq "unblinded: bob sees both coders" "$(coders jb "$SID")" "ann bob"
check_eq "unblinded: ann's note is visible to bob" "$(get jb "/api/code/source?id=$SID" | grep -c "private thought")" 1
check_eq "qes code list --as bob agrees" \
	"$("$QES" code list "$R" --as bob --source "$SAMPLED" --json | py 'import json,sys; print(" ".join(sorted(c["coder"] for c in json.load(sys.stdin))))')" "ann bob"

post ja /api/code/note "{\"target_type\":\"code\",\"target_id\":1,\"text\":\"fear of being judged\"}" >/dev/null
check_eq "a memo on a code" "$(status)" 201
post jb /api/code/note "{\"target_type\":\"source\",\"target_id\":$OID,\"text\":\"a source memo\"}" >/dev/null
check_eq "a memo on a source" "$(status)" 201
check_eq "the memos are in the review" \
	"$(py 'import sqlite3,sys; print(sorted(r[0] for r in sqlite3.connect(sys.argv[1]).execute("SELECT target_type FROM code_notes")))' "$R")" \
	"['code', 'coding', 'coding', 'source']"
post jb /api/code/note '{"target_type":"theme","target_id":1,"text":"x"}' >/dev/null
check_eq "a memo on something else: 400" "$(status)" 400

post jb /api/code/coding/delete "{\"id\":$CB}" >/dev/null
check_eq "bob deletes his own coding" "$(status)" 200
check_eq "it is gone from qes code list" \
	"$("$QES" code list "$R" --json | py "import json,sys; print(len([c for c in json.load(sys.stdin) if c['id'] == $CB]))")" 0
post ja /api/code/coding/delete "{\"id\":$C_ANN}" >/dev/null
check_eq "ann deletes her coding with its memo" \
	"$(status):$(py 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM code_notes WHERE target_type = ? AND target_id = ?", ("coding", int(sys.argv[2]))).fetchone()[0])' "$R" "$C_ANN")" "200:0"

check_contains "the coding page is served" "$(curl -s "$U/code.html")" 'src="/code.js"'
kill -TERM "$PID"
wait "$PID"
check_eq "the server stops cleanly" "$?" 0
