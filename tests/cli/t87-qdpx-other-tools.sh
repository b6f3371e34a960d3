#!/usr/bin/env bash
# t87: REFI-QDA as other tools really write it. Each project is built here
# (python's zipfile), valid against Project.xsd, and either read with the
# liberty named in the import's notes, or refused when it could reach
# outside the archive. Kinds: plainTextPath as a bare file name, as a
# relative path (sources/NAME, ./NAME), a zip written with "\" separators,
# GUIDs in capitals and braces with references in another case, a project
# with none of the optional elements, and a project.qde on its own.
. "$(dirname "$0")/lib.sh"
cd "$TMP"

# mkproj OUT PLAINTEXTPATH ENTRY [GUIDSTYLE]: a project with one user, one
# code, one text source (read from ENTRY in the zip) coded once.
mkproj() {
	python3 - "$@" <<'PY'
import sys, zipfile
out, path, entry = sys.argv[1], sys.argv[2], sys.argv[3]
style = sys.argv[4] if len(sys.argv) > 4 else ""
g = {"user": "1b0b1791-be46-4557-9957-7333544cfaf2", "code": "34653336-3766-3235-6466-363134396437",
     "src": "d097e6fd-7671-4d95-a8b6-7795fa4a72e1", "sel": "5a1d7c0e-1111-4222-8333-944455556666",
     "cod": "6b2e8d1f-2222-4333-9444-a55566667777"}
def G(k, ref=False):
    v = g[k]
    if style == "caps":   # definitions in capitals with braces, references lower case
        return v if ref else "{" + v.upper() + "}"
    return v
text = "Mother (P3): I hid how bad it was because I thought they would take her.\n"
qde = f'''<?xml version="1.0" encoding="UTF-8"?>
<Project name="From another tool" origin="OtherQDA 2.1" creatingUserGUID="{G('user', True)}"
 xmlns="urn:QDA-XML:project:1.0">
<Users><User guid="{G('user')}" name="kim"/></Users>
<CodeBook><Codes><Code guid="{G('code')}" name="Hiding difficulties" isCodable="true"/></Codes></CodeBook>
<Sources><TextSource guid="{G('src')}" name="Interview 3" plainTextPath="{path}">
<PlainTextSelection guid="{G('sel')}" startPosition="13" endPosition="33" creatingUser="{G('user', True)}">
<Coding guid="{G('cod')}" creatingUser="{G('user', True)}"><CodeRef targetGUID="{G('code', True)}"/></Coding>
</PlainTextSelection></TextSource></Sources>
</Project>
'''
with zipfile.ZipFile(out, "w") as z:
    z.writestr("project.qde", qde)
    if entry != "-":
        z.writestr(entry, text)
PY
}
imp() {  # imp NAME FILE: a fresh review, the import's output (stdout+stderr) in $out
	R="$TMP/$1.qes"
	rm -f "$R" "$R-wal" "$R-shm"
	"$QES" init "$R" >/dev/null
	out=$("$QES" qdpx import "$R" "$2" 2>&1); rc=$?
}
coded() { "$QES" code list "$R" --json | python3 -c 'import json,sys; l=json.load(sys.stdin)
print(l[0]["text"] if l else "")'; }
validates() {
	if [ -f "$SHARED/spec/refi-qda/Project.xsd" ] && command -v xmllint >/dev/null; then
		mkdir -p v && (cd v && unzip -o -q "../$1" project.qde) &&
			xmllint --noout --schema "$SHARED/spec/refi-qda/Project.xsd" v/project.qde 2>/dev/null
	fi
}

# The standard form, for comparison: no liberty, no note about paths.
mkproj std.qdpx "internal://interview_3.txt" sources/interview_3.txt
imp std std.qdpx
check_eq "internal:// imports" "$rc" 0
check_eq "... the coding lands on its text" "$(coded)" "I hid how bad it was"
if validates std.qdpx; then ok "the test's projects are valid against Project.xsd"; else
	skip "no ../shared/spec/refi-qda/Project.xsd or xmllint: schema check of the test files not run"; fi

# A bare file name that lies in sources/ (the reported tool's form).
mkproj bare.qdpx "interview_3.txt" sources/interview_3.txt
imp bare bare.qdpx
check_eq "a bare file name in sources/ is read" "$rc" 0
check_contains "... and the liberty is a note" "$out" "plainTextPath 'interview_3.txt' is a bare file name, not internal://: read as sources/interview_3.txt inside the archive"
check_eq "... the coding lands on its text" "$(coded)" "I hid how bad it was"

for p in "sources/interview_3.txt" "./interview_3.txt" "./sources/interview_3.txt" 'sources\interview_3.txt'; do
	mkproj rel.qdpx "$p" sources/interview_3.txt
	imp rel rel.qdpx
	check_eq "relative path '$p' is read" "$rc" 0
	check_contains "... with a note" "$out" "is a relative path, not internal://"
done

# A zip written with backslashes in its entry names (Windows tools).
mkproj win.qdpx "internal://interview_3.txt" 'sources\interview_3.txt'
imp win win.qdpx
check_eq "a zip with '\\' separators is read" "$rc" 0
check_contains "... with a note" "$out" "a zip written with \\ separators"

# Never outside the archive: nothing is written, exit 3.
for p in "../interview_3.txt" "/etc/passwd" 'C:\data\interview_3.txt' "relative://interview_3.txt" \
	 "absolute:///tmp/interview_3.txt" "file:///etc/passwd" "sources/../project.qde" "sources/a/b.txt"; do
	mkproj out.qdpx "$p" sources/interview_3.txt
	imp out out.qdpx
	check_eq "'$p' is refused (exit 3)" "$rc" 3
	check_eq "... and nothing is imported" "$("$QES" code stats "$R" --json | json_get codes)" 0
done
mkproj gone.qdpx "missing.txt" sources/interview_3.txt
imp gone gone.qdpx
check_eq "a bare name not in the archive is refused" "$rc" 3
check_contains "... naming what is missing" "$out" "names sources/missing.txt, which is not in the archive"

# GUIDs in capitals with braces, referenced in lower case.
mkproj caps.qdpx "internal://interview_3.txt" sources/interview_3.txt caps
imp caps caps.qdpx
check_eq "GUIDs in another case and braces are matched" "$rc" 0
check_eq "... the coding finds its code and user" "$(coded)" "I hid how bad it was"
"$QES" qdpx export "$R" -o caps-again.qdpx >/dev/null
check_contains "... GUIDs kept in one form (lower case, no braces)" \
	"$(unzip -p caps-again.qdpx project.qde)" 'guid="34653336-3766-3235-6466-363134396437"'


# None of the optional elements.
python3 - <<'PY'
import zipfile
with zipfile.ZipFile("bare-project.qdpx", "w") as z:
    z.writestr("project.qde", '<?xml version="1.0" encoding="UTF-8"?>\n<Project name="Empty" xmlns="urn:QDA-XML:project:1.0"/>\n')
PY
imp empty bare-project.qdpx
check_eq "a project with no optional element imports" "$rc" 0
check_contains "... adding nothing" "$out" "0 sources, 0 codes, 0 codings"

# A project.qde on its own: text inside it is read, paths cannot be.
python3 - <<'PY'
qde = '''<?xml version="1.0" encoding="UTF-8"?>
<Project name="Alone" xmlns="urn:QDA-XML:project:1.0">
<Users><User guid="1b0b1791-be46-4557-9957-7333544cfaf2" name="kim"/></Users>
<CodeBook><Codes><Code guid="34653336-3766-3235-6466-363134396437" name="Hiding difficulties" isCodable="true"/></Codes></CodeBook>
<Sources><TextSource guid="d097e6fd-7671-4d95-a8b6-7795fa4a72e1" name="Interview 3">
<PlainTextContent>Mother (P3): I hid how bad it was.</PlainTextContent>
<PlainTextSelection guid="5a1d7c0e-1111-4222-8333-944455556666" startPosition="13" endPosition="33" creatingUser="1b0b1791-be46-4557-9957-7333544cfaf2">
<Coding guid="6b2e8d1f-2222-4333-9444-a55566667777" creatingUser="1b0b1791-be46-4557-9957-7333544cfaf2"><CodeRef targetGUID="34653336-3766-3235-6466-363134396437"/></Coding>
</PlainTextSelection></TextSource></Sources></Project>
'''
open("alone.qde", "w").write(qde)
open("alone-path.qde", "w").write(qde.replace('name="Interview 3">\n<PlainTextContent>Mother (P3): I hid how bad it was.</PlainTextContent>', 'name="Interview 3" plainTextPath="internal://interview_3.txt">'))
PY
imp alone alone.qde
check_eq "a project.qde on its own imports" "$rc" 0
check_contains "... said in the notes" "$out" "a project.qde on its own, without its archive"
check_eq "... its coding lands on its text" "$(coded)" "I hid how bad it was"
imp alonep alone-path.qde
check_eq "a .qde alone whose source is a path is refused" "$rc" 3
check_contains "... saying why" "$out" "a project.qde read on its own has no sources/"
echo 'just text' > notxml.qdpx
imp notxml notxml.qdpx
check_eq "a file that is neither zip nor XML: bad input" "$rc" 3
