#!/usr/bin/env bash
# t92-web-review: the review team's API routes (conflicts, deduplication
# queue, full text, extraction and appraisal, PRISMA and report) over curl
# on the fixture of web-review-fixture.sh: every route answers 401 without
# a session and 403 to an advisor, wrong methods 405, unknown paths 404,
# state changes need the CSRF token; a conflict is resolved, a duplicate
# pair decided, a PDF uploaded and served back byte for byte, a full-text
# decision and an appraisal saved; each is checked in the review with the
# CLI. The server never outlives the test (trap).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/web-review-fixture.sh"
if ! command -v curl >/dev/null; then skip "curl is not installed"; exit 0; fi
R=$TMP/r.qes
cd "$TMP" || exit 1
if ! out=$(make_web_review "$R" 2>&1); then not_ok "the fixture review is built" "$out"; exit 1; fi
ok "the fixture review is built with the CLI"

serve_start "$R" || exit 1
PID=$SERVE_PID
ok "qes serve started on 127.0.0.1:$PORT"

code() { local m=$1 p=$2; shift 2; curl -s -o /dev/null -w '%{http_code}' -X "$m" "$@" "$U$p"; }
jcode() { code "$@" -H 'Content-Type: application/json'; }
login() {  # login NAME PASSWORD JAR: prints the status
	curl -s -o "$3.body" -c "$3" -w '%{http_code}' -H 'Content-Type: application/json' \
		-d "{\"name\":\"$1\",\"password\":\"$2\"}" "$U/api/login"
}
# post JAR CSRF PATH BODY: the answer's body, the status on the last line.
post() { curl -s -w '\n%{http_code}' -b "$1" -H "X-CSRF-Token: $2" -H 'Content-Type: application/json' -d "$4" "$U$3"; }
status_of() { tail -n 1 <<<"$1"; }
body_of() { sed '$d' <<<"$1"; }

GETS="/api/review/conflicts?stage=ta /api/review/dedup /api/review/fulltext
/api/review/fulltext/text?record_id=1 /api/review/fulltext/pdf?record_id=1 /api/review/studies
/api/review/study?study=a01 /api/review/appraise/compare /api/review/prisma.svg /api/review/report"
POSTS="/api/review/conflicts/resolve /api/review/dedup/decide /api/review/fulltext/pdf
/api/review/fulltext/decide /api/review/extract /api/review/appraise"
for p in $GETS; do check_eq "GET $p: 401 without a session" "$(code GET "$p")" 401; done
for p in $POSTS; do check_eq "POST $p: 401 without a session" "$(jcode POST "$p" -d '{}')" 401; done

check_eq "owner ann logs in" "$(login ann ann-password ja)" 200
check_eq "reviewer bob logs in" "$(login bob bob-password jb)" 200
check_eq "advisor val logs in" "$(login val val-password jv)" 200
CA=$(json_get csrf <ja.body); CB=$(json_get csrf <jb.body); CV=$(json_get csrf <jv.body)

for p in $GETS; do check_eq "GET $p: 403 for an advisor" "$(code GET "$p" -b jv)" 403; done
for p in $POSTS; do
	type=application/json; [ "$p" = /api/review/fulltext/pdf ] && type=application/pdf
	check_eq "POST $p: 403 for an advisor" "$(code POST "$p" -b jv -H "X-CSRF-Token: $CV" -H "Content-Type: $type" -d '{}')" 403
	check_eq "POST $p: 403 without the CSRF token" "$(jcode POST "$p" -b ja -d '{}')" 403
	check_eq "GET $p (a state change only): 405" "$(code GET "$p" -b ja)" $([ "$p" = /api/review/fulltext/pdf ] && echo 400 || echo 405)
done
check_eq "POST to a read-only route: 405" "$(jcode POST /api/review/dedup -b ja -H "X-CSRF-Token: $CA" -d '{}')" 405
check_eq "an unknown review route: 404" "$(code GET /api/review/nothing -b ja)" 404
check_eq "compare is the owner's: 403 for a reviewer" "$(code GET /api/review/appraise/compare -b jb)" 403

# --- Conflicts -------------------------------------------------------------
cj=$(curl -s -b jb "$U/api/review/conflicts?stage=ta")
check_eq "two open title/abstract conflicts" \
	"$(echo "$cj" | python3 -c 'import json,sys; print(" ".join(c["source_key"] for c in json.load(sys.stdin)["conflicts"]))')" "a07 a08"
check_eq "both reviewers' decisions shown side by side (both decided)" \
	"$(echo "$cj" | python3 -c 'import json,sys; c=json.load(sys.stdin)["conflicts"][0]; print(" ".join(d["initials"]+":"+d["decision"] for d in c["decisions"]))')" "AB:include CD:exclude"
check_eq "the reasons to choose from" "$(echo "$cj" | json_get reasons)" '["Not qualitative", "Wrong population"]'
check_eq "a bad stage: 400" "$(code GET '/api/review/conflicts?stage=xx' -b ja)" 400
A07=$(echo "$cj" | json_get conflicts.0.record_id)
r=$(post jb "$CB" /api/review/conflicts/resolve "{\"record_id\":$A07,\"stage\":\"ta\",\"decision\":\"include\",\"method\":\"third\"}")
check_eq "bob decided a07 so cannot be its third reviewer: 403" "$(status_of "$r")" 403
r=$(post ja "$CA" /api/review/conflicts/resolve "{\"record_id\":$A07,\"stage\":\"ta\",\"decision\":\"exclude\",\"reason\":\"Wrong population\",\"note\":\"agreed at the meeting\"}")
check_eq "the owner resolves a07 by consensus: 200" "$(status_of "$r")" 200
check_eq "the answer gives the new outcome" "$(body_of "$r" | json_get outcome)" exclude
check_eq "the resolution is in the review (qes conflicts --all)" \
	"$("$QES" conflicts "$R" --stage ta --all --json | python3 -c 'import json,sys; print(" ".join(c["source_key"]+":"+c["resolution"]["decision"]+":"+c["resolution"]["by"] for c in json.load(sys.stdin) if c.get("resolution")))')" "a07:exclude:AB"
r=$(post ja "$CA" /api/review/conflicts/resolve "{\"record_id\":$A07,\"stage\":\"ta\",\"decision\":\"include\"}")
check_eq "resolving it again: 409" "$(status_of "$r")" 409
r=$(post ja "$CA" /api/review/conflicts/resolve '{"record_id":"x","stage":"ta"}')
check_eq "a malformed resolution: 400" "$(status_of "$r")" 400
check_eq "only a08 is open now" \
	"$(curl -s -b ja "$U/api/review/conflicts?stage=ta" | python3 -c 'import json,sys; print(" ".join(c["source_key"] for c in json.load(sys.stdin)["conflicts"]))')" "a08"
check_eq "all=1 lists the resolved one too" \
	"$(curl -s -b ja "$U/api/review/conflicts?stage=ta&all=1" | python3 -c 'import json,sys; print(" ".join(c["source_key"]+("=" + c["resolved"]["decision"] if c["resolved"] else "") for c in json.load(sys.stdin)["conflicts"]))')" "a07=exclude a08"

# --- Deduplication ------------------------------------------------------------
dj=$(curl -s -b ja "$U/api/review/dedup")
check_eq "two pairs wait in the queue" \
	"$(echo "$dj" | python3 -c 'import json,sys; print(" ".join(p["key_a"]+"-"+p["key_b"] for p in json.load(sys.stdin)["pairs"]))')" "a02-b02 a05-b05"
check_eq "fields aligned: the differing ones marked" \
	"$(echo "$dj" | python3 -c 'import json,sys; print(" ".join(f["name"] for f in json.load(sys.stdin)["pairs"][0]["fields"] if not f["same"]))')" "year journal doi"
check_eq "the years side by side" "$(echo "$dj" | python3 -c 'import json,sys; f=[f for f in json.load(sys.stdin)["pairs"][0]["fields"] if f["name"]=="year"][0]; print(f["a"], f["b"])')" "2020 2021"
PA=$(echo "$dj" | json_get pairs.0.a); PB=$(echo "$dj" | json_get pairs.0.b)
works0=$("$QES" status "$R" --json | json_get dedup.works)
r=$(post jb "$CB" /api/review/dedup/decide "{\"a\":$PA,\"b\":$PB,\"decision\":\"merge\"}")
check_eq "bob merges a02 and b02: 200" "$(status_of "$r")" 200
check_eq "one work fewer (qes status)" "$("$QES" status "$R" --json | json_get dedup.works)" "$((works0 - 1))"
check_eq "one pair left in the queue" "$(curl -s -b ja "$U/api/review/dedup" | json_get counts.pending)" 1
P2A=$(echo "$dj" | json_get pairs.1.a); P2B=$(echo "$dj" | json_get pairs.1.b)
r=$(post ja "$CA" /api/review/dedup/decide "{\"a\":$P2A,\"b\":$P2B,\"decision\":\"sameish\"}")
check_eq "an unknown decision: 400" "$(status_of "$r")" 400
r=$(post ja "$CA" /api/review/dedup/decide "{\"a\":$P2A,\"b\":999999,\"decision\":\"distinct\"}")
check_eq "a record that does not exist: 404, not 500" "$(status_of "$r")" 404
r=$(post ja "$CA" /api/review/dedup/decide "{\"a\":$P2A,\"b\":$P2B,\"decision\":\"distinct\"}")
check_eq "ann keeps a05 and b05 apart: 200" "$(status_of "$r")" 200
check_eq "the queue is empty" "$(curl -s -b ja "$U/api/review/dedup" | json_get counts.pending)" 0
check_eq "the works are as the CLI counts them" "$("$QES" status "$R" --json | json_get dedup.works)" "$((works0 - 1))"

# --- Full text ---------------------------------------------------------------
fj=$(curl -s -b jb "$U/api/review/fulltext")
check_eq "the full-text pool with its reports" \
	"$(echo "$fj" | python3 -c 'import json,sys; print(" ".join(r["source_key"]+":"+(r["fulltext"] or "none") for r in json.load(sys.stdin)["records"]))')" \
	"a01:attached a02:attached a03:attached a04:attached a05:none a06:none"
A05=$(echo "$fj" | python3 -c 'import json,sys; print([r["record_id"] for r in json.load(sys.stdin)["records"] if r["source_key"]=="a05"][0])')
A04=$(echo "$fj" | python3 -c 'import json,sys; print([r["record_id"] for r in json.load(sys.stdin)["records"] if r["source_key"]=="a04"][0])')
mkpdf w05.pdf "Full text of W05: parents talked about child protection"
up() { curl -s -w '\n%{http_code}' -b jb "$@"; }
check_eq "upload without the CSRF token: 403" \
	"$(status_of "$(up -H 'Content-Type: application/pdf' --data-binary @w05.pdf "$U/api/review/fulltext/pdf?record_id=$A05")")" 403
check_eq "upload as a form: 415" \
	"$(status_of "$(up -H "X-CSRF-Token: $CB" --data-binary @w05.pdf "$U/api/review/fulltext/pdf?record_id=$A05")")" 415
check_eq "upload as JSON: 415" \
	"$(status_of "$(up -H "X-CSRF-Token: $CB" -H 'Content-Type: application/json' --data-binary @w05.pdf "$U/api/review/fulltext/pdf?record_id=$A05")")" 415
check_eq "the 415 names the type to send" \
	"$(body_of "$(up -H "X-CSRF-Token: $CB" -H 'Content-Type: application/json' --data-binary @w05.pdf "$U/api/review/fulltext/pdf?record_id=$A05")" | json_get error)" "send application/pdf"
printf 'not a pdf' > bad.pdf
check_eq "bytes that are no PDF: 400" \
	"$(status_of "$(up -H "X-CSRF-Token: $CB" -H 'Content-Type: application/pdf' --data-binary @bad.pdf "$U/api/review/fulltext/pdf?record_id=$A05")")" 400
check_eq "upload to a record not sought (a09): 409" \
	"$(status_of "$(up -H "X-CSRF-Token: $CB" -H 'Content-Type: application/pdf' --data-binary @w05.pdf "$U/api/review/fulltext/pdf?record_id=$("$QES" show "$R" a09 --json | json_get id)")")" 409
check_eq "upload without a record id: 400" \
	"$(status_of "$(up -H "X-CSRF-Token: $CB" -H 'Content-Type: application/pdf' --data-binary @w05.pdf "$U/api/review/fulltext/pdf")")" 400
r=$(up -H "X-CSRF-Token: $CB" -H 'Content-Type: application/pdf' --data-binary @w05.pdf "$U/api/review/fulltext/pdf?record_id=$A05")
check_eq "bob uploads the PDF of a05: 200" "$(status_of "$r")" 200
check_eq "its page count" "$(body_of "$r" | json_get pages)" 1
check_eq "the text poppler extracted is in the review (qes fulltext show)" \
	"$("$QES" fulltext show "$R" a05 2>&1 | tr -d '\f' | head -n 1)" "Full text of W05: parents talked about child protection"
curl -s -b jb -D pdf.hdr -o back.pdf "$U/api/review/fulltext/pdf?record_id=$A05"
cmp -s back.pdf w05.pdf && ok "the PDF served back is byte-identical" || not_ok "the PDF served back is byte-identical"
hdr=$(tr -d '\r' < pdf.hdr)
check_contains "served as application/pdf" "$hdr" "Content-Type: application/pdf"
check_contains "shown inline with a file name" "$hdr" 'Content-Disposition: inline; filename="record-'
check_contains "sandboxed (no script runs in it)" "$hdr" "Content-Security-Policy: default-src 'none'; frame-ancestors 'self'; sandbox"
check_contains "nosniff" "$hdr" "X-Content-Type-Options: nosniff"
check_contains "framed only by this site" "$hdr" "X-Frame-Options: SAMEORIGIN"
check_contains "its length" "$hdr" "Content-Length: $(stat -c %s w05.pdf)"
check_eq "a record without a PDF: 404" "$(code GET "/api/review/fulltext/pdf?record_id=$("$QES" show "$R" a06 --json | json_get id)" -b jb)" 404
check_eq "the extracted text over the API" "$(curl -s -b jb "$U/api/review/fulltext/text?record_id=$A05" | json_get text | tr -d '\f')" \
	"Full text of W05: parents talked about child protection"
r=$(post jb "$CB" /api/review/fulltext/decide "{\"record_id\":$A04,\"decision\":\"exclude\"}")
check_eq "excluding at full text without a reason: 400" "$(status_of "$r")" 400
r=$(post jb "$CB" /api/review/fulltext/decide "{\"record_id\":$A04,\"decision\":\"exclude\",\"reason\":\"Wrong population\"}")
check_eq "bob excludes a04 with a reason: 200" "$(status_of "$r")" 200
check_eq "a04 still needs ann's decision" "$(body_of "$r" | json_get outcome)" pending
check_eq "the decision is in the review (qes log)" \
	"$("$QES" log "$R" --as CD --json | python3 -c 'import json,sys; print(" ".join(e["source_key"]+":"+e["new"]+":"+e["reason"] for e in json.load(sys.stdin) if e["action"]=="decide" and e["stage"]=="ft" and e["source_key"]=="a04"))')" \
	"a04:exclude:Wrong population"
check_eq "bob's own decision is on his list" \
	"$(curl -s -b jb "$U/api/review/fulltext" | python3 -c 'import json,sys; print([r["mine"]["decision"] for r in json.load(sys.stdin)["records"] if r["source_key"]=="a04"][0])')" exclude
check_eq "blinding: ann's list does not show bob's decision on a04" \
	"$(curl -s -b ja "$U/api/review/fulltext" | python3 -c 'import json,sys; print([r["mine"] for r in json.load(sys.stdin)["records"] if r["source_key"]=="a04"][0])')" None

# --- Extraction and appraisal -------------------------------------------------
sj=$(curl -s -b jb "$U/api/review/studies")
check_eq "the included studies" "$(echo "$sj" | python3 -c 'import json,sys; print(" ".join(s["study"] for s in json.load(sys.stdin)["studies"]))')" "a01 a02"
check_eq "the checklist is CASP's" "$(echo "$sj" | json_get checklist.id)" casp-qualitative-2018
check_eq "an unknown study: 404" "$(code GET '/api/review/study?study=zz' -b jb)" 404
st=$(curl -s -b jb "$U/api/review/study?study=a01")
check_eq "the study's form has the CLI's fields" "$(echo "$st" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["form"]))')" \
	"$("$QES" extract form "$R" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["fields"]))')"
check_eq "and CASP's ten questions" "$(echo "$st" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["checklist"]["questions"]))')" 10
r=$(post jb "$CB" /api/review/extract '{"study":"a01","values":{"country":"uk","design":"qualitative","participants.parents":"12"}}')
check_eq "bob saves extraction values: 200" "$(status_of "$r")" 200
check_eq "stored as the library normalises them (qes extract --show)" \
	"$("$QES" extract "$R" a01 --show --json | python3 -c 'import json,sys; v=json.load(sys.stdin)["values"]; print(v["country"], v["design"], v["participants.parents"])')" "United Kingdom qualitative 12"
r=$(post jb "$CB" /api/review/extract '{"study":"a01","values":{"aim":"changed","design":"poetry"}}')
check_eq "a value outside the options: 400" "$(status_of "$r")" 400
check_contains "naming the allowed values" "$(body_of "$r")" "qualitative"
check_eq "and nothing of it was stored (one transaction)" \
	"$("$QES" extract "$R" a01 --show --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["values"].get("aim"))')" None
r=$(post jb "$CB" /api/review/appraise '{"study":"a01","ratings":{"casp1":{"answer":"yes","comment":"aims stated, \"clearly\""},"casp2":{"answer":"cant_tell"},"casp10":{"answer":"Valuable for practice, in two ways"}}}')
check_eq "bob saves three ratings: 200" "$(status_of "$r")" 200
check_eq "saved as CD" "$(body_of "$r" | json_get rater)/$(body_of "$r" | json_get saved)" "CD/3"
r=$(post ja "$CA" /api/review/appraise '{"study":"a01","ratings":{"casp1":{"answer":"no"},"casp2":{"answer":"cant_tell"}}}')
check_eq "ann rates too: 200" "$(status_of "$r")" 200
check_eq "a bad answer: 400" "$(status_of "$(post ja "$CA" /api/review/appraise '{"study":"a01","ratings":{"casp1":{"answer":"maybe"}}}')")" 400
check_eq "an unknown study: 404, even with nothing answered" \
	"$(status_of "$(post ja "$CA" /api/review/appraise '{"study":"no-such-study","ratings":{}}')")" 404
check_eq "consensus is the owner's: 403 for bob" \
	"$(status_of "$(post jb "$CB" /api/review/appraise '{"study":"a01","consensus":true,"ratings":{"casp1":{"answer":"yes"}}}')")" 403
check_eq "each rater sees their own ratings back" \
	"$(curl -s -b jb "$U/api/review/study?study=a01" | python3 -c 'import json,sys; r=json.load(sys.stdin)["ratings"]; print(r["casp1"]["answer"], r["casp1"]["comment"], r["casp10"]["answer"])')" \
	'yes aims stated, "clearly" Valuable for practice, in two ways'
check_eq "the ratings are in the review (qes appraise discrepancies)" \
	"$("$QES" appraise discrepancies "$R" --json | python3 -c 'import json,sys; print(" ".join(d["study"]+":"+d["question"]+":"+",".join(k+"="+v for k,v in sorted(d["answers"].items())) for d in json.load(sys.stdin)))')" \
	"a01:casp1:AB=no,CD=yes"
# Two checklists active (issue 19): the form asks both, ratings of either save.
printf '{"id":"review","title":"Review-specific questions","questions":[{"id":"rq1","type":"rating","text":"Positionality?"}]}' >"$TMP/review.json"
"$QES" checklist add "$R" "$TMP/review.json" >/dev/null && "$QES" checklist use "$R" review --add
check_eq "with two checklists active the form has both's questions, headed by checklist" 	"$(curl -s -b jb "$U/api/review/study?study=a01" | python3 -c 'import json,sys; q=json.load(sys.stdin)["checklist"]["questions"]; print(len(q), q[-1]["id"], q[-1]["section"])')" 	"11 rq1 Review-specific questions"
check_eq "a rating of the second checklist saves: 200" 	"$(status_of "$(post jb "$CB" /api/review/appraise '{"study":"a01","ratings":{"rq1":{"answer":"no"}}}')")" 200
check_eq "and is in the appraisal table" "$("$QES" appraise table "$R" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["studies"][0]["answers"]["rq1"])')" no
"$QES" checklist use "$R" casp-qualitative-2018
cmp=$(curl -s -b ja "$U/api/review/appraise/compare")
check_eq "the owner's comparison: agreement as the CLI computes it" \
	"$(echo "$cmp" | python3 -c 'import json,sys; a=json.load(sys.stdin)["agreement"]; print(a["items"], a["agreed"])')" \
	"$("$QES" appraise agreement "$R" --json | python3 -c 'import json,sys; a=json.load(sys.stdin); print(a["items"], a["agreed"])')"
check_eq "and the discrepancy" "$(echo "$cmp" | json_get discrepancies.0.question)" casp1
r=$(post ja "$CA" /api/review/appraise '{"study":"a01","consensus":true,"ratings":{"casp1":{"answer":"yes","comment":"agreed"}}}')
check_eq "the owner records the consensus: 200" "$(body_of "$r" | json_get rater)" consensus
check_eq "the discrepancy is resolved" "$(curl -s -b ja "$U/api/review/appraise/compare" | json_get discrepancies.0.resolved)" True

# --- PRISMA and the report ------------------------------------------------------
r=$(curl -s -w '\n%{http_code}' -b ja "$U/api/review/prisma.svg")
check_eq "the diagram while records lack decisions: 409" "$(status_of "$r")" 409
check_eq "with the gaps the CLI names" \
	"$(body_of "$r" | python3 -c 'import json,sys; print(" ".join(g["source_key"] for g in json.load(sys.stdin)["gaps"]))')" \
	"$("$QES" prisma "$R" --json 2>/dev/null | python3 -c 'import json,sys; print(" ".join(g["source_key"] for g in json.load(sys.stdin)["gaps"]))')"
# Finish the review with the CLI so that the diagram can be drawn.
"$QES" conflicts resolve "$R" --as AB --stage ta a08 exclude >/dev/null
"$QES" decide "$R" --as AB --stage ta b05 exclude >/dev/null; "$QES" decide "$R" --as CD --stage ta b05 exclude >/dev/null
"$QES" conflicts resolve "$R" --as AB --stage ft a03 include >/dev/null
"$QES" decide "$R" --as AB --stage ft a04 exclude --reason "Wrong population" >/dev/null
for k in a05; do for w in AB CD; do "$QES" decide "$R" --as $w --stage ft $k include >/dev/null; done; done
"$QES" fulltext missing "$R" a06 --as AB >/dev/null
check_eq "the review is complete (qes prisma --json)" "$("$QES" prisma "$R" --json | json_get complete)" True
curl -s -b ja -D svg.hdr -o web.svg "$U/api/review/prisma.svg"
check_contains "the diagram is image/svg+xml" "$(tr -d '\r' < svg.hdr)" "Content-Type: image/svg+xml"
"$QES" prisma "$R" -o cli.svg >/dev/null 2>&1
cmp -s web.svg cli.svg && ok "the diagram is the CLI's, byte for byte" || not_ok "the diagram is the CLI's" "$(diff web.svg cli.svg | head -5)"
check_contains "it counts the studies now included" "$(cat web.svg)" "Studies included in review (n = $("$QES" prisma "$R" --json | json_get studies_included))"
curl -s -b ja -D rep.hdr -o web.html "$U/api/review/report"
check_contains "the report is HTML" "$(tr -d '\r' < rep.hdr)" "Content-Type: text/html; charset=utf-8"
check_contains "sandboxed" "$(tr -d '\r' < rep.hdr)" "sandbox"
check_contains "the report is current: it names the excluded full text's reason" "$(cat web.html)" "Wrong population"
check_contains "and draws the diagram" "$(cat web.html)" "<svg"

check_eq "the PDF route's own body limit (QES_MAX_PDF_BYTES) is announced: 413" \
	"$(curl -s -o /dev/null -w '%{http_code}' -b jb -H "X-CSRF-Token: $CB" -H 'Content-Type: application/pdf' \
		-H "Content-Length: $((256 * 1024 * 1024 + 1))" -H 'Expect:' --max-time 10 --data-binary @w05.pdf \
		"$U/api/review/fulltext/pdf?record_id=$A05")" 413
head -c $((32 * 1024 * 1024 + 1)) /dev/zero >big
check_eq "JSON routes keep QES_MAX_HTTP_BODY: 413" \
	"$(jcode POST /api/review/extract -b ja -H "X-CSRF-Token: $CA" --data-binary @big)" 413

kill -TERM "$PID"
wait "$PID"; rc=$?
check_eq "SIGTERM stops the server cleanly" "$rc" 0
