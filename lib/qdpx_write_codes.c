/* qdpx_write_codes.c: the parts a project and a codebook share: the codes
 * tree (colours, the first memo as Description, NoteRefs in a project) and
 * sets (qes themes with the codes under them, and sets kept from imports). */
#include "qdpx_internal.h"

#include <string.h>
#include <libxml/xmlwriter.h>
#include "code_internal.h"

#define X(call) do { if ((rc = qes__qdpx_wcheck((call), err))) goto out; } while (0)
#define BC(s) ((const xmlChar *)(s))

int qes__qdpx_wcheck(int xrc, qes_error *err)
{
	return xrc < 0 ? qes_error_set(err, QES_ENOMEM, "writing the XML failed (out of memory?)") : 0;
}

/* Description (first memo) and, in a project, a NoteRef per memo. */
static int code_notes(qes_store *st, xmlTextWriter *w, long long id, int codebook,
		      qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = qes__code_prep(st, &s, "SELECT guid, text FROM code_notes WHERE target_type = 'code'"
				" AND target_id = ? ORDER BY id", err);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, id);
	for (int first = 1; sqlite3_step(s) == SQLITE_ROW; first = 0) {
		if (first)
			X(xmlTextWriterWriteElement(w, BC("Description"), sqlite3_column_text(s, 1)));
		if (codebook)
			break;
	}
	sqlite3_reset(s);
	while (!codebook && sqlite3_step(s) == SQLITE_ROW) {
		X(xmlTextWriterStartElement(w, BC("NoteRef")));
		X(xmlTextWriterWriteAttribute(w, BC("targetGUID"), sqlite3_column_text(s, 0)));
		X(xmlTextWriterEndElement(w));
	}
out:
	sqlite3_finalize(s);
	return rc;
}

static int codes_under(qes_store *st, xmlTextWriter *w, long long parent, int codebook,
		       int depth, qes_error *err)
{
	if (depth > 200)
		return qes_error_set(err, QES_ELIMIT, "the code tree is deeper than 200 levels");
	sqlite3_stmt *s = NULL;
	int rc = qes__code_prep(st, &s, "SELECT id, guid, name, colour, is_folder FROM code_codes"
				" WHERE parent_id IS ? ORDER BY id", err);
	if (rc)
		return rc;
	if (parent)
		sqlite3_bind_int64(s, 1, parent);
	while (sqlite3_step(s) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(s, 0);
		X(xmlTextWriterStartElement(w, BC("Code")));
		X(xmlTextWriterWriteAttribute(w, BC("guid"), sqlite3_column_text(s, 1)));
		X(xmlTextWriterWriteAttribute(w, BC("name"), sqlite3_column_text(s, 2)));
		X(xmlTextWriterWriteAttribute(w, BC("isCodable"),
					      BC(sqlite3_column_int(s, 4) ? "false" : "true")));
		if (sqlite3_column_type(s, 3) != SQLITE_NULL)
			X(xmlTextWriterWriteAttribute(w, BC("color"), sqlite3_column_text(s, 3)));
		if ((rc = code_notes(st, w, id, codebook, err)) ||
		    (rc = codes_under(st, w, id, codebook, depth + 1, err)))
			goto out;
		X(xmlTextWriterEndElement(w));
	}
out:
	sqlite3_finalize(s);
	return rc;
}

int qes__qdpx_write_codes(qes_store *st, qes__xmlw w, int codebook, qes_error *err)
{
	int rc = 0;
	X(xmlTextWriterStartElement(w, BC("Codes")));
	if ((rc = codes_under(st, w, 0, codebook, 0, err)))
		goto out;
	X(xmlTextWriterEndElement(w));
out:
	return rc;
}

static int member(xmlTextWriter *w, const char *el, const char *attr, const unsigned char *g,
		  qes_error *err)
{
	int rc = 0;
	X(xmlTextWriterStartElement(w, BC(el)));
	X(xmlTextWriterWriteAttribute(w, BC(attr), g));
	X(xmlTextWriterEndElement(w));
out:
	return rc;
}

/* One Set: members from sql (kind, guid rows) bound to id. */
static int one_set(qes_store *st, xmlTextWriter *w, sqlite3_stmt *row, const char *sql,
		   int codebook, qes_error *err)
{
	sqlite3_stmt *m = NULL;
	int rc = 0;
	X(xmlTextWriterStartElement(w, BC("Set")));
	X(xmlTextWriterWriteAttribute(w, BC("guid"), sqlite3_column_text(row, 1)));
	X(xmlTextWriterWriteAttribute(w, BC("name"), sqlite3_column_text(row, 2)));
	if (sqlite3_column_bytes(row, 3))
		X(xmlTextWriterWriteElement(w, BC("Description"), sqlite3_column_text(row, 3)));
	if ((rc = qes__code_prep(st, &m, sql, err)))
		goto out;
	sqlite3_bind_int64(m, 1, sqlite3_column_int64(row, 0));
	/* The schema wants codes, then sources, then notes: sql orders them so. */
	while (sqlite3_step(m) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(m, 0);
		if (codebook && strcmp(kind, "code"))
			continue;
		const char *el = !strcmp(kind, "code") ? "MemberCode"
				 : !strcmp(kind, "source") ? "MemberSource" : "MemberNote";
		if ((rc = member(w, el, codebook ? "guid" : "targetGUID", sqlite3_column_text(m, 1), err)))
			goto out;
	}
	X(xmlTextWriterEndElement(w));
out:
	sqlite3_finalize(m);
	return rc;
}

static const char theme_members[] =
	"WITH RECURSIVE edge(p, c) AS (SELECT parent_id, child_id FROM code_theme_links"
	"   UNION ALL SELECT parent_id, id FROM code_themes WHERE parent_id IS NOT NULL),"
	" t(id) AS (SELECT ?1 UNION SELECT edge.c FROM edge JOIN t ON edge.p = t.id)"
	" SELECT DISTINCT 'code', co.guid, co.id FROM code_theme_codes tc JOIN t ON tc.theme_id = t.id"
	" JOIN code_codes co ON co.id = tc.code_id ORDER BY co.id";
static const char set_members[] =
	"SELECT m.kind, COALESCE(c.guid, s.guid, n.guid) FROM code_set_members m"
	" LEFT JOIN code_codes c ON m.kind = 'code' AND c.id = m.member_id"
	" LEFT JOIN code_sources s ON m.kind = 'source' AND s.id = m.member_id"
	" LEFT JOIN code_notes n ON m.kind = 'note' AND n.id = m.member_id"
	" WHERE m.set_id = ?1 AND COALESCE(c.guid, s.guid, n.guid) IS NOT NULL"
	" ORDER BY CASE m.kind WHEN 'code' THEN 0 WHEN 'source' THEN 1 ELSE 2 END, m.member_id";

int qes__qdpx_write_sets(qes_store *st, qes__xmlw w, int codebook, qes_error *err)
{
	static const char *const lists[2][2] = {
		{ "SELECT id, guid, name, description FROM code_themes ORDER BY id", theme_members },
		{ "SELECT id, guid, name, description FROM code_sets ORDER BY id", set_members },
	};
	sqlite3_stmt *s = NULL;
	int rc = 0, any = 0;
	for (int l = 0; l < 2; l++) {
		if ((rc = qes__code_prep(st, &s, lists[l][0], err)))
			goto out;
		while (sqlite3_step(s) == SQLITE_ROW) {
			if (!any++)
				X(xmlTextWriterStartElement(w, BC("Sets")));
			if ((rc = one_set(st, w, s, lists[l][1], codebook, err)))
				goto out;
		}
		sqlite3_finalize(s);
		s = NULL;
	}
	if (any)
		X(xmlTextWriterEndElement(w));
out:
	sqlite3_finalize(s);
	return rc;
}
