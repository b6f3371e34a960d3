/* qdpx_read_codes.c: reading what a project and a codebook share (the
 * codes tree, sets) and the helpers both readers use. An object whose GUID
 * is already in the review is skipped (and counted), so importing the same
 * file twice adds nothing. */
#include "qdpx_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "code_internal.h"

xmlNode *qes__qdpx_next(xmlNode *n, const char *name)
{
	for (; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE && (!name || !strcmp((const char *)n->name, name)))
			return n;
	return NULL;
}

xmlNode *qes__qdpx_child(const xmlNode *n, const char *name)
{
	return n ? qes__qdpx_next(n->children, name) : NULL;
}

char *qes__qdpx_attr(const xmlNode *n, const char *name)
{
	return (char *)xmlGetProp(n, (const xmlChar *)name);
}

void qes__qdpx_note(qes__qdpx_in *in, const char *entry, long line, const char *fmt, ...)
{
	if (!in->o || !in->o->note)
		return;
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	in->o->note(in->o->ud, entry, line, msg);
}

long long qes__qdpx_id_by_guid(qes_store *st, const char *table, const char *g)
{
	char sql[96];
	snprintf(sql, sizeof(sql), "SELECT id FROM %s WHERE guid = ?", table);
	sqlite3_stmt *s = NULL;
	long long id = 0;
	if (sqlite3_prepare_v2(qes_store_db(st), sql, -1, &s, NULL) == SQLITE_OK) {
		sqlite3_bind_text(s, 1, g, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(s) == SQLITE_ROW)
			id = sqlite3_column_int64(s, 0);
	}
	sqlite3_finalize(s);
	return id;
}

int qes__qdpx_unique_name(qes_store *st, const char *table, const char *column,
			  const char *base, char **out, qes_error *err)
{
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT 1 FROM %s WHERE %s = ?", table, column);
	sqlite3_stmt *s = NULL;
	int rc = qes__code_prep(st, &s, sql, err);
	if (rc)
		return rc;
	size_t n = strlen(base) + 24;
	char *name = malloc(n);
	if (!name) {
		sqlite3_finalize(s);
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	}
	snprintf(name, n, "%s", base);
	for (long k = 2;; k++) {
		sqlite3_bind_text(s, 1, name, -1, SQLITE_TRANSIENT);
		int taken = sqlite3_step(s) == SQLITE_ROW;
		sqlite3_reset(s);
		if (!taken)
			break;
		snprintf(name, n, "%s (%ld)", base, k);
	}
	sqlite3_finalize(s);
	*out = name;
	return 0;
}

int qes__qdpx_attach_note(qes__qdpx_in *in, xmlNode *ref, const char *type, long long id,
			  qes_error *err)
{
	char *t = qes__qdpx_attr(ref, "targetGUID");
	char g[37];
	qes__qdpx_guid_norm(t ? t : "", g);
	xmlFree(t);
	sqlite3_stmt *s = NULL;
	int rc = qes__code_prep(in->st, &s, "UPDATE code_notes SET target_type = ?, target_id = ?"
				" WHERE guid = ? AND target_type = 'project' AND id > ?", err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, type, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, id);
	sqlite3_bind_text(s, 3, g, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 4, in->note_floor);
	if ((rc = qes__code_done_stmt(in->st, s, "attaching a note", err)))
		return rc;
	if (sqlite3_changes(qes_store_db(in->st)))
		return 0;
	long long nid = qes__qdpx_id_by_guid(in->st, "code_notes", g);
	if (!nid)
		qes__qdpx_note(in, "project.qde", xmlGetLineNo(ref), "NoteRef to note %s, which the"
			       " project does not hold: ignored", g);
	else if (nid > in->note_floor)
		qes__qdpx_note(in, "project.qde", xmlGetLineNo(ref), "note %s is referenced more than"
			       " once; qes keeps it on the first", g);
	return 0;
}

/* A Description (a code's, case's or selection's) as a note with a GUID
 * derived from its owner's, unless a note there already says the same. */
int qes__qdpx_description(qes__qdpx_in *in, xmlNode *owner, const char *owner_guid,
			  const char *type, long long id, qes_error *err)
{
	xmlNode *d = qes__qdpx_child(owner, "Description");
	if (!d)
		return 0;
	xmlChar *text = xmlNodeGetContent(d);
	char g[37];
	qes__qdpx_guid_derive(owner_guid, "description", g);
	sqlite3_stmt *s = NULL;
	int rc = 0;
	if (!text || !*text || qes__qdpx_id_by_guid(in->st, "code_notes", g))
		goto out;
	if ((rc = qes__code_prep(in->st, &s, "SELECT 1 FROM code_notes WHERE target_type = ? AND"
				 " target_id = ? AND text = ?", err)))
		goto out;
	sqlite3_bind_text(s, 1, type, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, id);
	sqlite3_bind_text(s, 3, (const char *)text, -1, SQLITE_TRANSIENT);
	int same = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_finalize(s);
	s = NULL;
	if (same)
		goto out;
	if ((rc = qes__code_prep(in->st, &s, "INSERT INTO code_notes(guid, target_type, target_id,"
				 " text) VALUES (?, ?, ?, ?)", err)))
		goto out;
	sqlite3_bind_text(s, 1, g, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 2, type, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, id);
	sqlite3_bind_text(s, 4, (const char *)text, -1, SQLITE_TRANSIENT);
	rc = qes__code_done_stmt(in->st, s, "adding a description", err);
	s = NULL;
	if (!rc)
		in->c->notes++;
out:
	sqlite3_finalize(s);
	xmlFree(text);
	return rc;
}

/* "#abc" to "#aabbcc": qes keeps six digits. */
static void colour6(const char *in, char out[8])
{
	if (strlen(in) == 4)
		snprintf(out, 8, "#%c%c%c%c%c%c", in[1], in[1], in[2], in[2], in[3], in[3]);
	else
		snprintf(out, 8, "%s", in);
}

static int insert_code(qes__qdpx_in *in, xmlNode *n, const char *g, long long parent,
		       const char *ppath, long long *id, qes_error *err)
{
	char *name = qes__qdpx_attr(n, "name"), *cod = qes__qdpx_attr(n, "isCodable");
	char *col = qes__qdpx_attr(n, "color"), *path = NULL, *unique = NULL;
	sqlite3_stmt *s = NULL;
	int rc = 0;
	/* '/' separates levels of a qes code path: a name keeps it as U+2215. */
	qes_strbuf sb;
	qes__strbuf_init(&sb, 1u << 20);
	if (ppath && ((rc = qes__strbuf_addstr(&sb, ppath)) || (rc = qes__strbuf_addch(&sb, '/'))))
		goto nomem;
	int slash = 0;
	for (const char *p = name ? name : ""; *p; p++) {
		if (*p == '/') {
			slash = 1;
			rc = qes__strbuf_addstr(&sb, "\xe2\x88\x95");
		} else {
			rc = qes__strbuf_addch(&sb, *p);
		}
		if (rc)
			goto nomem;
	}
	if (!name || !*name)
		if ((rc = qes__strbuf_addstr(&sb, "(unnamed)")))
			goto nomem;
	if (slash)
		qes__qdpx_note(in, "project.qde", xmlGetLineNo(n), "code '%s': '/' in the name is"
			       " kept as '\xe2\x88\x95' (qes separates levels with '/')", name);
	path = qes__strbuf_detach(&sb, NULL);
	if (!path)
		goto nomem;
	if ((rc = qes__qdpx_unique_name(in->st, "code_codes", "path", path, &unique, err)))
		goto out;
	if (strcmp(unique, path))
		qes__qdpx_note(in, "project.qde", xmlGetLineNo(n), "code '%s' is already in the review"
			       " (another GUID): imported as '%s'", path, unique);
	const char *leaf = strrchr(unique, '/');
	leaf = leaf ? leaf + 1 : unique;
	char c6[8];
	if (col)
		colour6(col, c6);
	if ((rc = qes__code_prep(in->st, &s, "INSERT INTO code_codes(guid, parent_id, name, path,"
				 " colour, is_folder) VALUES (?,?,?,?,?,?)", err)))
		goto out;
	sqlite3_bind_text(s, 1, g, -1, SQLITE_TRANSIENT);
	if (parent)
		sqlite3_bind_int64(s, 2, parent);
	sqlite3_bind_text(s, 3, leaf, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 4, unique, -1, SQLITE_TRANSIENT);
	if (col)
		sqlite3_bind_text(s, 5, c6, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(s, 6, cod && (!strcmp(cod, "false") || !strcmp(cod, "0")));
	rc = qes__code_done_stmt(in->st, s, "adding a code", err);
	s = NULL;
	if (!rc) {
		*id = sqlite3_last_insert_rowid(qes_store_db(in->st));
		in->c->codes++;
	}
	goto out;
nomem:
	rc = qes_error_set(err, QES_ENOMEM, "out of memory (or a code path over 1 MiB)");
out:
	qes__strbuf_release(&sb);
	sqlite3_finalize(s);
	free(path);
	free(unique);
	xmlFree(name);
	xmlFree(cod);
	xmlFree(col);
	return rc;
}

static int read_code(qes__qdpx_in *in, xmlNode *n, long long parent, const char *ppath,
		     qes_error *err)
{
	char *ga = qes__qdpx_attr(n, "guid"), g[37], *path = NULL;
	qes__qdpx_guid_norm(ga ? ga : "", g);
	xmlFree(ga);
	long long id = qes__qdpx_id_by_guid(in->st, "code_codes", g);
	int rc = 0;
	if (id)
		in->c->skipped++;
	else if ((rc = insert_code(in, n, g, parent, ppath, &id, err)))
		return rc;
	sqlite3_stmt *s = NULL;
	if ((rc = qes__code_prep(in->st, &s, "SELECT path FROM code_codes WHERE id = ?", err)))
		return rc;
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) == SQLITE_ROW)
		path = strdup((const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	if (!path)
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	for (xmlNode *r = qes__qdpx_child(n, "NoteRef"); !rc && r; r = qes__qdpx_next(r->next, "NoteRef"))
		rc = qes__qdpx_attach_note(in, r, "code", id, err);
	if (!rc)
		rc = qes__qdpx_description(in, n, g, "code", id, err);
	for (xmlNode *c = qes__qdpx_child(n, "Code"); !rc && c; c = qes__qdpx_next(c->next, "Code"))
		rc = read_code(in, c, id, path, err);
	free(path);
	return rc;
}

int qes__qdpx_read_codes(qes__qdpx_in *in, xmlNode *codes, qes_error *err)
{
	int rc = 0;
	for (xmlNode *c = qes__qdpx_child(codes, "Code"); !rc && c; c = qes__qdpx_next(c->next, "Code"))
		rc = read_code(in, c, 0, NULL, err);
	return rc;
}

static int add_member(qes__qdpx_in *in, long long set, xmlNode *m, qes_error *err)
{
	const char *el = (const char *)m->name;
	const char *kind = !strcmp(el, "MemberCode") ? "code" : !strcmp(el, "MemberSource") ? "source"
			   : !strcmp(el, "MemberNote") ? "note" : NULL;
	if (!kind)
		return 0;
	char *t = qes__qdpx_attr(m, in->codebook ? "guid" : "targetGUID"), g[37];
	qes__qdpx_guid_norm(t ? t : "", g);
	xmlFree(t);
	long long id = qes__qdpx_id_by_guid(in->st, !strcmp(kind, "code") ? "code_codes"
					    : !strcmp(kind, "source") ? "code_sources" : "code_notes", g);
	if (!id) {
		qes__qdpx_note(in, "project.qde", xmlGetLineNo(m), "set member %s %s is not in the"
			       " project: left out", kind, g);
		return 0;
	}
	sqlite3_stmt *s = NULL;
	int rc = qes__code_prep(in->st, &s, "INSERT OR IGNORE INTO code_set_members(set_id, kind,"
				" member_id) VALUES (?, ?, ?)", err);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, set);
	sqlite3_bind_text(s, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, id);
	return qes__code_done_stmt(in->st, s, "adding a set member", err);
}

int qes__qdpx_read_sets(qes__qdpx_in *in, xmlNode *sets, qes_error *err)
{
	int rc = 0;
	for (xmlNode *n = qes__qdpx_child(sets, "Set"); !rc && n; n = qes__qdpx_next(n->next, "Set")) {
		char *ga = qes__qdpx_attr(n, "guid"), *name = qes__qdpx_attr(n, "name"), g[37];
		qes__qdpx_guid_norm(ga ? ga : "", g);
		xmlFree(ga);
		xmlNode *d = qes__qdpx_child(n, "Description");
		xmlChar *desc = d ? xmlNodeGetContent(d) : NULL;
		sqlite3_stmt *s = NULL;
		if (qes__qdpx_id_by_guid(in->st, "code_sets", g) ||
		    qes__qdpx_id_by_guid(in->st, "code_themes", g)) {
			in->c->skipped++;
		} else if (!(rc = qes__code_prep(in->st, &s, "INSERT INTO code_sets(guid, name,"
						 " description) VALUES (?, ?, ?)", err))) {
			sqlite3_bind_text(s, 1, g, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(s, 2, name ? name : "", -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(s, 3, desc ? (const char *)desc : "", -1, SQLITE_TRANSIENT);
			rc = qes__code_done_stmt(in->st, s, "adding a set", err);
			long long id = sqlite3_last_insert_rowid(qes_store_db(in->st));
			for (xmlNode *m = qes__qdpx_next(n->children, NULL); !rc && m;
			     m = qes__qdpx_next(m->next, NULL))
				rc = add_member(in, id, m, err);
			if (!rc)
				in->c->sets++;
		}
		xmlFree(name);
		xmlFree(desc);
	}
	return rc;
}
