/* qdpx_write.c: qes qdpx export. The review's coding as REFI-QDA 1.5:
 * project.qde (Users, CodeBook, Variables, Cases, Sources with selections
 * and codings, Notes, Sets, project notes) and sources/GUID.txt (the text
 * exactly as qes keeps it, so offsets need no mapping), plus the original
 * .docx or .pdf when there is one. The XML is validated against Project.xsd
 * before the archive is written, and the archive replaces the target only
 * when complete. */
#include "qdpx_internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libxml/xmlwriter.h>
#include "code_internal.h"

#define X(call) do { if ((rc = qes__qdpx_wcheck((call), err))) goto out; } while (0)
#define BC(s) ((const xmlChar *)(s))
#define COL(s, i) ((const char *)sqlite3_column_text(s, i))

/* Variables qes carries on sources (REFI-QDA has no source kind or study). */
#define VAR_KIND "qes:kind"
#define VAR_STUDY "qes:study"

typedef struct var {
	char *name, guid[37], type[12];
} var;

typedef struct vars {
	var *v;
	size_t n;
} vars;

static void vars_free(vars *vs)
{
	for (size_t i = 0; i < vs->n; i++)
		free(vs->v[i].name);
	free(vs->v);
}

static const var *var_find(const vars *vs, const char *name)
{
	for (size_t i = 0; i < vs->n; i++)
		if (!strcmp(vs->v[i].name, name))
			return &vs->v[i];
	return NULL;
}

/* Typed variables, the case attribute keys without one (Text, with a GUID
 * derived from the name), and qes's own source variables. */
static int collect_vars(qes_store *st, vars *vs, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = qes__code_prep(st, &s,
		"SELECT name, guid, type FROM code_variables"
		" UNION ALL SELECT DISTINCT key, NULL, 'Text' FROM code_case_attrs"
		"   WHERE key NOT IN (SELECT name FROM code_variables)"
		" UNION ALL SELECT '" VAR_KIND "', NULL, 'Text' WHERE EXISTS (SELECT 1 FROM code_sources)"
		" UNION ALL SELECT '" VAR_STUDY "', NULL, 'Text'"
		"   WHERE EXISTS (SELECT 1 FROM code_sources WHERE study_id IS NOT NULL)", err);
	while (!rc && sqlite3_step(s) == SQLITE_ROW) {
		if (var_find(vs, COL(s, 0)))
			continue;
		var *nv = realloc(vs->v, (vs->n + 1) * sizeof(*nv));
		if (!nv) {
			rc = qes_error_set(err, QES_ENOMEM, "out of memory");
			break;
		}
		vs->v = nv;
		var *v = &vs->v[vs->n];
		if (!(v->name = strdup(COL(s, 0)))) {
			rc = qes_error_set(err, QES_ENOMEM, "out of memory");
			break;
		}
		vs->n++;
		if (sqlite3_column_type(s, 1) == SQLITE_NULL)
			qes__qdpx_guid_derive(v->name, "variable", v->guid);
		else
			snprintf(v->guid, sizeof(v->guid), "%s", COL(s, 1));
		snprintf(v->type, sizeof(v->type), "%s", COL(s, 2));
	}
	sqlite3_finalize(s);
	return rc;
}

static int write_ref(xmlTextWriter *w, const char *el, const char *guid, qes_error *err)
{
	int rc = 0;
	X(xmlTextWriterStartElement(w, BC(el)));
	X(xmlTextWriterWriteAttribute(w, BC("targetGUID"), BC(guid)));
	X(xmlTextWriterEndElement(w));
out:
	return rc;
}

static int write_value(xmlTextWriter *w, const var *v, const char *value, qes_error *err)
{
	static const char *const els[][2] = {
		{ "Text", "TextValue" }, { "Boolean", "BooleanValue" }, { "Integer", "IntegerValue" },
		{ "Float", "FloatValue" }, { "Date", "DateValue" }, { "DateTime", "DateTimeValue" },
	};
	const char *el = "TextValue";
	for (size_t i = 0; i < sizeof(els) / sizeof(els[0]); i++)
		if (!strcmp(v->type, els[i][0]))
			el = els[i][1];
	int rc = 0;
	X(xmlTextWriterStartElement(w, BC("VariableValue")));
	if ((rc = write_ref(w, "VariableRef", v->guid, err)))
		goto out;
	X(xmlTextWriterWriteElement(w, BC(el), BC(value)));
	X(xmlTextWriterEndElement(w));
out:
	return rc;
}

static int write_users(qes_store *st, xmlTextWriter *w, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = qes__code_prep(st, &s, "SELECT guid, name, ext_id FROM code_coders ORDER BY id", err);
	int any = 0;
	while (!rc && sqlite3_step(s) == SQLITE_ROW) {
		if (!any++)
			X(xmlTextWriterStartElement(w, BC("Users")));
		X(xmlTextWriterStartElement(w, BC("User")));
		X(xmlTextWriterWriteAttribute(w, BC("guid"), BC(COL(s, 0))));
		X(xmlTextWriterWriteAttribute(w, BC("name"), BC(COL(s, 1))));
		if (sqlite3_column_bytes(s, 2))
			X(xmlTextWriterWriteAttribute(w, BC("id"), BC(COL(s, 2))));
		X(xmlTextWriterEndElement(w));
	}
	if (!rc && any)
		X(xmlTextWriterEndElement(w));
out:
	sqlite3_finalize(s);
	return rc;
}

static int write_variables(xmlTextWriter *w, const vars *vs, qes_error *err)
{
	int rc = 0;
	if (!vs->n)
		return 0;
	X(xmlTextWriterStartElement(w, BC("Variables")));
	for (size_t i = 0; i < vs->n; i++) {
		X(xmlTextWriterStartElement(w, BC("Variable")));
		X(xmlTextWriterWriteAttribute(w, BC("guid"), BC(vs->v[i].guid)));
		X(xmlTextWriterWriteAttribute(w, BC("name"), BC(vs->v[i].name)));
		X(xmlTextWriterWriteAttribute(w, BC("typeOfVariable"), BC(vs->v[i].type)));
		X(xmlTextWriterEndElement(w));
	}
	X(xmlTextWriterEndElement(w));
out:
	return rc;
}

/* Code points [*s, *e) of lines from..to (1-based, inclusive; the LF
 * ending line `to` included). */
static void line_span(const char *text, long from, long to, long *s, long *e)
{
	long line = 1, cp = 0;
	*s = *e = -1;
	for (const unsigned char *p = (const unsigned char *)text;; p++) {
		if (line == from && *s < 0)
			*s = cp;
		if (!*p || (line > to)) {
			*e = cp;
			break;
		}
		if ((*p & 0xC0) != 0x80)
			cp++;
		if (*p == '\n')
			line++;
	}
	if (*s < 0)
		*s = *e;
}

static void case_sel_guid(const char *cg, const char *sg, long from, long to, char out[37])
{
	char seed[128];
	snprintf(seed, sizeof(seed), "%s %s %ld %ld", cg, sg, from, to);
	qes__qdpx_guid_derive(seed, "case lines", out);
}

static int write_cases(qes_store *st, xmlTextWriter *w, const vars *vs, qes_error *err)
{
	sqlite3_stmt *s = NULL, *a = NULL, *n = NULL, *l = NULL;
	int rc = 0, any = 0;
	if ((rc = qes__code_prep(st, &s, "SELECT id, guid, name FROM code_cases ORDER BY id", err)) ||
	    (rc = qes__code_prep(st, &a, "SELECT key, value FROM code_case_attrs WHERE case_id = ?"
				 " ORDER BY key", err)) ||
	    (rc = qes__code_prep(st, &n, "SELECT group_concat(text, char(10) || char(10)) FROM"
				 " (SELECT text FROM code_notes WHERE target_type = 'case'"
				 " AND target_id = ? ORDER BY id)", err)) ||
	    (rc = qes__code_prep(st, &l, "SELECT so.guid, cs.line_from, cs.line_to FROM"
				 " code_case_sources cs JOIN code_sources so ON so.id = cs.source_id"
				 " WHERE cs.case_id = ? ORDER BY cs.line_from <> 0, so.id, cs.line_from", err)))
		goto out;
	while (sqlite3_step(s) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(s, 0);
		if (!any++)
			X(xmlTextWriterStartElement(w, BC("Cases")));
		X(xmlTextWriterStartElement(w, BC("Case")));
		X(xmlTextWriterWriteAttribute(w, BC("guid"), BC(COL(s, 1))));
		X(xmlTextWriterWriteAttribute(w, BC("name"), BC(COL(s, 2))));
		sqlite3_bind_int64(n, 1, id);
		if (sqlite3_step(n) == SQLITE_ROW && sqlite3_column_type(n, 0) != SQLITE_NULL)
			X(xmlTextWriterWriteElement(w, BC("Description"), sqlite3_column_text(n, 0)));
		sqlite3_reset(n);
		sqlite3_bind_int64(a, 1, id);
		while (sqlite3_step(a) == SQLITE_ROW) {
			const var *v = var_find(vs, COL(a, 0));
			if (v && (rc = write_value(w, v, COL(a, 1), err)))
				goto out;
		}
		sqlite3_reset(a);
		/* Whole sources first (SourceRef), then line ranges (SelectionRef). */
		sqlite3_bind_int64(l, 1, id);
		while (sqlite3_step(l) == SQLITE_ROW) {
			long from = sqlite3_column_int(l, 1), to = sqlite3_column_int(l, 2);
			char g[37];
			if (from)
				case_sel_guid(COL(s, 1), COL(l, 0), from, to, g);
			if ((rc = write_ref(w, from ? "SelectionRef" : "SourceRef", from ? g : COL(l, 0), err)))
				goto out;
		}
		sqlite3_reset(l);
		X(xmlTextWriterEndElement(w));
	}
	if (any)
		X(xmlTextWriterEndElement(w));
out:
	sqlite3_finalize(s);
	sqlite3_finalize(a);
	sqlite3_finalize(n);
	sqlite3_finalize(l);
	return rc;
}

/* The flags REFI-QDA has no place for, in the selection's Description. */
const char *qes__qdpx_flags_text(const char *kind, int illustrative)
{
	if (!strcmp(kind, "quote"))
		return illustrative ? "qes: quote, illustrative" : "qes: quote";
	if (!strcmp(kind, "interpretation"))
		return illustrative ? "qes: interpretation, illustrative" : "qes: interpretation";
	return illustrative ? "qes: illustrative" : NULL;
}

static int coding_notes(qes_store *st, xmlTextWriter *w, long long id, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = qes__code_prep(st, &s, "SELECT guid FROM code_notes WHERE target_type = 'coding'"
				" AND target_id = ? ORDER BY id", err);
	if (!rc)
		sqlite3_bind_int64(s, 1, id);
	while (!rc && sqlite3_step(s) == SQLITE_ROW)
		rc = write_ref(w, "NoteRef", COL(s, 0), err);
	sqlite3_finalize(s);
	return rc;
}

/* Codings of one source; consecutive codings of one selection share a
 * PlainTextSelection (as they came from another tool). */
static int write_codings(qes_store *st, xmlTextWriter *w, long long sid, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = qes__code_prep(st, &s,
		"SELECT c.id, c.guid, c.selection_guid, c.start, c.end, c.kind, c.illustrative,"
		" u.guid, c.created_at, co.guid FROM code_codings c"
		" JOIN code_coders u ON u.id = c.coder_id JOIN code_codes co ON co.id = c.code_id"
		" WHERE c.source_id = ? ORDER BY c.start, c.end, COALESCE(c.selection_guid, c.guid), c.id",
		err);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, sid);
	char open[37] = "";
	long os = -1, oe = -1;
	while (sqlite3_step(s) == SQLITE_ROW) {
		long start = (long)sqlite3_column_int64(s, 3), end = (long)sqlite3_column_int64(s, 4);
		int shared = sqlite3_column_type(s, 2) != SQLITE_NULL;
		char sel[37];
		if (shared)
			snprintf(sel, sizeof(sel), "%s", COL(s, 2));
		else
			qes__qdpx_guid_derive(COL(s, 1), "selection", sel);
		if (!open[0] || strcmp(open, sel) || start != os || end != oe) {
			if (open[0])
				X(xmlTextWriterEndElement(w));
			snprintf(open, sizeof(open), "%s", sel);
			os = start;
			oe = end;
			X(xmlTextWriterStartElement(w, BC("PlainTextSelection")));
			X(xmlTextWriterWriteAttribute(w, BC("guid"), BC(sel)));
			X(xmlTextWriterWriteFormatAttribute(w, BC("startPosition"), "%ld", start));
			X(xmlTextWriterWriteFormatAttribute(w, BC("endPosition"), "%ld", end));
			X(xmlTextWriterWriteAttribute(w, BC("creatingUser"), BC(COL(s, 7))));
			X(xmlTextWriterWriteAttribute(w, BC("creationDateTime"), BC(COL(s, 8))));
			const char *d = qes__qdpx_flags_text(COL(s, 5), sqlite3_column_int(s, 6));
			if (d)
				X(xmlTextWriterWriteElement(w, BC("Description"), BC(d)));
		}
		X(xmlTextWriterStartElement(w, BC("Coding")));
		X(xmlTextWriterWriteAttribute(w, BC("guid"), BC(COL(s, 1))));
		X(xmlTextWriterWriteAttribute(w, BC("creatingUser"), BC(COL(s, 7))));
		X(xmlTextWriterWriteAttribute(w, BC("creationDateTime"), BC(COL(s, 8))));
		if ((rc = write_ref(w, "CodeRef", COL(s, 9), err)) ||
		    (rc = coding_notes(st, w, sqlite3_column_int64(s, 0), err)))
			goto out;
		X(xmlTextWriterEndElement(w));
	}
	if (open[0])
		X(xmlTextWriterEndElement(w));
out:
	sqlite3_finalize(s);
	return rc;
}

/* Case line ranges on this source, as selections without codings. */
static int write_case_lines(qes_store *st, xmlTextWriter *w, long long sid, const char *sguid,
			    const char *text, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = qes__code_prep(st, &s, "SELECT ca.guid, cs.line_from, cs.line_to FROM"
				" code_case_sources cs JOIN code_cases ca ON ca.id = cs.case_id"
				" WHERE cs.source_id = ? AND cs.line_from > 0 ORDER BY ca.id, cs.line_from", err);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, sid);
	while (sqlite3_step(s) == SQLITE_ROW) {
		long from = sqlite3_column_int(s, 1), to = sqlite3_column_int(s, 2), b, e;
		char g[37];
		case_sel_guid(COL(s, 0), sguid, from, to, g);
		line_span(text, from, to, &b, &e);
		if (e <= b)
			continue;
		X(xmlTextWriterStartElement(w, BC("PlainTextSelection")));
		X(xmlTextWriterWriteAttribute(w, BC("guid"), BC(g)));
		X(xmlTextWriterWriteFormatAttribute(w, BC("startPosition"), "%ld", b));
		X(xmlTextWriterWriteFormatAttribute(w, BC("endPosition"), "%ld", e));
		X(xmlTextWriterEndElement(w));
	}
out:
	sqlite3_finalize(s);
	return rc;
}

static const char *orig_ext(const char *media)
{
	if (!strcmp(media, "application/pdf"))
		return "pdf";
	if (strstr(media, "wordprocessingml"))
		return "docx";
	return NULL;
}

static int write_source(qes_store *st, xmlTextWriter *w, sqlite3_stmt *s, const vars *vs,
			qes__qdpx_zipw *z, qes_error *err)
{
	long long sid = sqlite3_column_int64(s, 0);
	const char *guid = COL(s, 1), *media = COL(s, 5), *text = COL(s, 7);
	const char *ext = orig_ext(media);
	char path[128], entry[128];
	sqlite3_stmt *n = NULL;
	int rc = 0;
	X(xmlTextWriterStartElement(w, BC("TextSource")));
	X(xmlTextWriterWriteAttribute(w, BC("guid"), BC(guid)));
	X(xmlTextWriterWriteAttribute(w, BC("name"), BC(COL(s, 2))));
	if (ext && !strcmp(ext, "docx")) {
		snprintf(path, sizeof(path), "internal://%s.docx", guid);
		X(xmlTextWriterWriteAttribute(w, BC("richTextPath"), BC(path)));
	}
	snprintf(path, sizeof(path), "internal://%s.txt", guid);
	X(xmlTextWriterWriteAttribute(w, BC("plainTextPath"), BC(path)));
	X(xmlTextWriterWriteAttribute(w, BC("creationDateTime"), BC(COL(s, 8))));
	if ((rc = write_codings(st, w, sid, err)) ||
	    (rc = write_case_lines(st, w, sid, guid, text, err)) ||
	    (rc = qes__code_prep(st, &n, "SELECT guid FROM code_notes WHERE target_type = 'source'"
				 " AND target_id = ? ORDER BY id", err)))
		goto out;
	sqlite3_bind_int64(n, 1, sid);
	while (sqlite3_step(n) == SQLITE_ROW)
		if ((rc = write_ref(w, "NoteRef", COL(n, 0), err)))
			goto out;
	const var *kv = var_find(vs, VAR_KIND), *sv = var_find(vs, VAR_STUDY);
	if (kv && (rc = write_value(w, kv, COL(s, 3), err)))
		goto out;
	if (sv && sqlite3_column_type(s, 4) != SQLITE_NULL && (rc = write_value(w, sv, COL(s, 4), err)))
		goto out;
	X(xmlTextWriterEndElement(w));
	snprintf(entry, sizeof(entry), "sources/%s.txt", guid);
	if ((rc = qes__qdpx_zipw_add(z, entry, text, (size_t)sqlite3_column_bytes(s, 7), err)))
		goto out;
	if (ext && sqlite3_column_bytes(s, 6)) {
		snprintf(entry, sizeof(entry), "sources/%s.%s", guid, ext);
		rc = qes__qdpx_zipw_add(z, entry, sqlite3_column_blob(s, 6),
					(size_t)sqlite3_column_bytes(s, 6), err);
	}
out:
	sqlite3_finalize(n);
	return rc;
}

static int write_sources(qes_store *st, xmlTextWriter *w, const vars *vs, qes__qdpx_zipw *z,
			 qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = qes__code_prep(st, &s, "SELECT so.id, so.guid, so.name, so.kind, st.key,"
				" so.media_type, so.original, so.text, so.created_at FROM code_sources so"
				" LEFT JOIN studies st ON st.id = so.study_id ORDER BY so.id", err);
	int any = 0;
	while (!rc && sqlite3_step(s) == SQLITE_ROW) {
		if (!any++)
			X(xmlTextWriterStartElement(w, BC("Sources")));
		rc = write_source(st, w, s, vs, z, err);
	}
	if (!rc && any)
		X(xmlTextWriterEndElement(w));
out:
	sqlite3_finalize(s);
	return rc;
}

/* Every note but those on cases (a Case has no NoteRef: they are its
 * Description). */
static int write_notes(qes_store *st, xmlTextWriter *w, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = qes__code_prep(st, &s, "SELECT n.guid, n.name, u.guid, n.created_at, n.text"
				" FROM code_notes n LEFT JOIN code_coders u ON u.id = n.coder_id"
				" WHERE n.target_type <> 'case' ORDER BY n.id", err);
	int any = 0;
	while (!rc && sqlite3_step(s) == SQLITE_ROW) {
		if (!any++)
			X(xmlTextWriterStartElement(w, BC("Notes")));
		X(xmlTextWriterStartElement(w, BC("Note")));
		X(xmlTextWriterWriteAttribute(w, BC("guid"), BC(COL(s, 0))));
		if (sqlite3_column_bytes(s, 1))
			X(xmlTextWriterWriteAttribute(w, BC("name"), BC(COL(s, 1))));
		if (sqlite3_column_type(s, 2) != SQLITE_NULL)
			X(xmlTextWriterWriteAttribute(w, BC("creatingUser"), BC(COL(s, 2))));
		X(xmlTextWriterWriteAttribute(w, BC("creationDateTime"), BC(COL(s, 3))));
		X(xmlTextWriterWriteElement(w, BC("PlainTextContent"), BC(COL(s, 4))));
		X(xmlTextWriterEndElement(w));
	}
	if (!rc && any)
		X(xmlTextWriterEndElement(w));
out:
	sqlite3_finalize(s);
	return rc;
}

static int count(qes_store *st, const char *sql, long *n, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = qes__code_prep(st, &s, sql, err);
	if (!rc)
		*n = sqlite3_step(s) == SQLITE_ROW ? (long)sqlite3_column_int64(s, 0) : 0;
	sqlite3_finalize(s);
	return rc;
}

/* The review's name: the file's base name without ".qes". */
static void review_name(qes_store *st, char *out, size_t size)
{
	const char *p = qes_store_path(st), *b = strrchr(p, '/');
	b = b ? b + 1 : p;
	snprintf(out, size, "%s", *b ? b : "review");
	size_t n = strlen(out);
	if (n > 4 && !strcmp(out + n - 4, ".qes"))
		out[n - 4] = '\0';
}

static void now_iso(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int write_project(qes_store *st, xmlTextWriter *w, qes__qdpx_zipw *z, qes_error *err)
{
	vars vs = { NULL, 0 };
	char name[256], now[32];
	long ncodes = 0;
	int rc = collect_vars(st, &vs, err);
	if (rc || (rc = count(st, "SELECT count(*) FROM code_codes", &ncodes, err)))
		goto out;
	review_name(st, name, sizeof(name));
	now_iso(now);
	X(xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL));
	X(xmlTextWriterStartElementNS(w, NULL, BC("Project"), BC(QES__QDPX_NS)));
	X(xmlTextWriterWriteAttribute(w, BC("name"), BC(name)));
	X(xmlTextWriterWriteAttribute(w, BC("origin"), BC("qes")));
	X(xmlTextWriterWriteAttribute(w, BC("creationDateTime"), BC(now)));
	if ((rc = write_users(st, w, err)))
		goto out;
	if (ncodes) {
		X(xmlTextWriterStartElement(w, BC("CodeBook")));
		if ((rc = qes__qdpx_write_codes(st, w, 0, err)))
			goto out;
		X(xmlTextWriterEndElement(w));
	}
	if ((rc = write_variables(w, &vs, err)) || (rc = write_cases(st, w, &vs, err)) ||
	    (rc = write_sources(st, w, &vs, z, err)) || (rc = write_notes(st, w, err)) ||
	    (rc = qes__qdpx_write_sets(st, w, 0, err)))
		goto out;
	sqlite3_stmt *s = NULL;
	if ((rc = qes__code_prep(st, &s, "SELECT guid FROM code_notes WHERE target_type = 'project'"
				 " ORDER BY id", err)))
		goto out;
	while (!rc && sqlite3_step(s) == SQLITE_ROW)
		rc = write_ref(w, "NoteRef", COL(s, 0), err);
	sqlite3_finalize(s);
	if (rc)
		goto out;
	X(xmlTextWriterEndDocument(w));
out:
	vars_free(&vs);
	return rc;
}

/* Serialises with fn into memory, validates, then adds it to the zip (or
 * hands it back when z is NULL). */
int qes__qdpx_build_xml(qes_store *st, int codebook,
			int (*fn)(qes_store *, xmlTextWriter *, qes__qdpx_zipw *, qes_error *),
			qes__qdpx_zipw *z, xmlBuffer **out, qes_error *err)
{
	*out = NULL;
	int rc = 0;
	xmlBuffer *buf = xmlBufferCreate();
	xmlTextWriter *w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
	if (!w) {
		rc = qes_error_set(err, QES_ENOMEM, "out of memory");
		goto out;
	}
	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterSetIndentString(w, BC("  "));
	if ((rc = fn(st, w, z, err)))
		goto out;
	xmlFreeTextWriter(w);
	w = NULL;
	/* A file that does not validate is never written. */
	if ((rc = qes_qdpx_validate((const char *)xmlBufferContent(buf), (size_t)xmlBufferLength(buf),
				    codebook, codebook ? "export.qdc" : "project.qde", err))) {
		char m[sizeof(err->message)];
		snprintf(m, sizeof(m), "%s", err->message);
		rc = qes_error_at(err, rc, err->file, err->line, "", "the export (not written) %s", m);
		goto out;
	}
	*out = buf;
	buf = NULL;
out:
	if (w)
		xmlFreeTextWriter(w);
	if (buf)
		xmlBufferFree(buf);
	return rc;
}

int qes_qdpx_export(qes_store *st, const char *path, qes_error *err)
{
	qes__qdpx_zipw *z = NULL;
	xmlBuffer *xml = NULL;
	int rc = qes__qdpx_zipw_open(path, &z, err);
	if (rc)
		return rc;
	/* One read transaction: a consistent snapshot of the review. */
	if ((rc = qes_store_begin(st, err)))
		goto out;
	rc = qes__qdpx_build_xml(st, 0, write_project, z, &xml, err);
	qes_store_rollback(st);
	if (rc || (rc = qes__qdpx_zipw_add(z, "project.qde", xmlBufferContent(xml),
					   (size_t)xmlBufferLength(xml), err)))
		goto out;
	rc = qes__qdpx_zipw_close(z, err);
	z = NULL;
out:
	if (xml)
		xmlBufferFree(xml);
	qes__qdpx_zipw_abort(z);
	return rc;
}
