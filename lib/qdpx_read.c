/* qdpx_read.c: qes qdpx import. project.qde is parsed safely and validated
 * against Project.xsd first; then, in one transaction: users, notes (on
 * the project until something refers to them), codes, variables, sources
 * with their selections and codings, cases, sets. A source's text comes
 * from its internal .txt (or PlainTextContent) and is made qes's own (BOM
 * removed, LF line ends, NFC) with the selections' offsets mapped to it,
 * and each change is reported. GUIDs already in the review are skipped. */
#include "qdpx_internal.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "code_internal.h"
#include "qes/limits.h"
#include "qes/study.h"

#define VAR_KIND "qes:kind"
#define VAR_STUDY "qes:study"

typedef struct var {
	char guid[37], name[256], type[12];
} var;

/* A selection without codings: kept for a case's SelectionRef. */
typedef struct bare_sel {
	char guid[37];
	long long source;
	long start, end;
	int used;
} bare_sel;

typedef struct proj {
	qes__qdpx_in in;
	zip_t *z;
	char qde[600];            /* "ARCHIVE:project.qde", for messages */
	char owner[37];           /* the project's creating user */
	var *vars;
	size_t nvars;
	bare_sel *sels;
	size_t nsels, capsels;
} proj;

static void guid_of(xmlNode *n, const char *attr, char out[37])
{
	char *a = qes__qdpx_attr(n, attr);
	qes__qdpx_guid_norm(a ? a : "", out);
	xmlFree(a);
}

static int fail_at(proj *p, xmlNode *n, int code, qes_error *err, const char *msg)
{
	return qes_error_at(err, code, p->qde, n ? xmlGetLineNo(n) : 0, "", "%s", msg);
}

/* --- users ---------------------------------------------------------------- */

static int add_coder(proj *p, const char *g, const char *name, const char *ext, long long *id,
		     qes_error *err)
{
	char *unique = NULL;
	int rc = qes__qdpx_unique_name(p->in.st, "code_coders", "name", name, &unique, err);
	if (rc)
		return rc;
	if (strcmp(unique, name))
		qes__qdpx_note(&p->in, "project.qde", 0, "user '%s' is already a coder here (another"
			       " GUID): imported as '%s'", name, unique);
	sqlite3_stmt *s = NULL;
	if (!(rc = qes__code_prep(p->in.st, &s, "INSERT INTO code_coders(guid, name, ext_id)"
				  " VALUES (?, ?, ?)", err))) {
		sqlite3_bind_text(s, 1, g, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 2, unique, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 3, ext ? ext : "", -1, SQLITE_TRANSIENT);
		rc = qes__code_done_stmt(p->in.st, s, "adding a coder", err);
	}
	if (!rc) {
		*id = sqlite3_last_insert_rowid(qes_store_db(p->in.st));
		p->in.c->users++;
	}
	free(unique);
	return rc;
}

static int read_users(proj *p, xmlNode *users, qes_error *err)
{
	int rc = 0;
	for (xmlNode *u = qes__qdpx_child(users, "User"); !rc && u; u = qes__qdpx_next(u->next, "User")) {
		char g[37];
		guid_of(u, "guid", g);
		if (qes__qdpx_id_by_guid(p->in.st, "code_coders", g)) {
			p->in.c->skipped++;
			continue;
		}
		char *name = qes__qdpx_attr(u, "name"), *ext = qes__qdpx_attr(u, "id"), fb[48];
		snprintf(fb, sizeof(fb), "user-%.8s", g);
		const char *use = name && *name ? name : ext && *ext ? ext : fb;
		long long id;
		rc = add_coder(p, g, use, ext, &id, err);
		xmlFree(name);
		xmlFree(ext);
	}
	return rc;
}

/* The coder for a GUID (one not among Users gets a coder of its own), or
 * the project's creating user, or "imported". */
static int coder_for(proj *p, const char *g, long long *id, qes_error *err)
{
	if (!*g)
		g = p->owner;
	if (!*g)
		return qes__code_coder(p->in.st, "imported", 1, id, err);
	if ((*id = qes__qdpx_id_by_guid(p->in.st, "code_coders", g)))
		return 0;
	char name[48];
	snprintf(name, sizeof(name), "user-%.8s", g);
	qes__qdpx_note(&p->in, "project.qde", 0, "user %s is not among the project's Users: coder"
		       " '%s'", g, name);
	return add_coder(p, g, name, NULL, id, err);
}

/* --- notes ---------------------------------------------------------------- */

/* Reads the file a path attribute (plainTextPath, richTextPath) names in
 * the archive's sources/, with the liberties of qes__qdpx_source_entry and
 * a zip written with "\" separators; each liberty is a note. -1 when the
 * path could leave sources/ (nothing read); QES_ENOTFOUND when absent. */
static int read_path(proj *p, xmlNode *n, const char *attr, const char *path, size_t max,
		     char **data, size_t *len, char *entry, size_t esize, qes_error *err)
{
	const char *liberty;
	*data = NULL;
	if (qes__qdpx_source_entry(path, entry, esize, &liberty))
		return -1;
	int rc = qes__qdpx_zip_read(p->z, p->in.archive, entry, max, data, len, err);
	if (rc == QES_ENOTFOUND && p->z) {
		char win[256];
		snprintf(win, sizeof(win), "sources\\%s", entry + 8);
		qes_error_clear(err);
		rc = qes__qdpx_zip_read(p->z, p->in.archive, win, max, data, len, err);
		if (!rc)
			qes__qdpx_note(&p->in, "project.qde", xmlGetLineNo(n), "%s '%s' read from the"
				       " archive's entry '%s' (a zip written with \\ separators)",
				       attr, path, win);
	}
	if (!rc && liberty)
		qes__qdpx_note(&p->in, "project.qde", xmlGetLineNo(n), "%s '%s' is %s, not"
			       " internal://: read as %s inside the archive", attr, path, liberty,
			       entry);
	return rc;
}

/* Plain text of a TextSource-like element: PlainTextContent or an
 * internal plainTextPath. *raw malloc'd; *entry names where it came from. */
static int plain_text(proj *p, xmlNode *n, char **raw, size_t *len, char *entry, size_t esize,
		      qes_error *err)
{
	*raw = NULL;
	xmlNode *c = qes__qdpx_child(n, "PlainTextContent");
	if (c) {
		xmlChar *t = xmlNodeGetContent(c);
		if (!t)
			return qes_error_set(err, QES_ENOMEM, "out of memory");
		*len = strlen((const char *)t);
		*raw = strdup((const char *)t);
		xmlFree(t);
		snprintf(entry, esize, "project.qde");
		return *raw ? 0 : qes_error_set(err, QES_ENOMEM, "out of memory");
	}
	char *path = qes__qdpx_attr(n, "plainTextPath");
	int rc = 0;
	if (!path) {
		rc = fail_at(p, n, QES_EFORMAT, err, "a source or note has neither PlainTextContent nor"
			     " plainTextPath");
	} else if ((rc = read_path(p, n, "plainTextPath", path, QES_MAX_SOURCE_BYTES, raw, len,
				   entry, esize, err)) == -1) {
		char m[600];
		snprintf(m, sizeof(m), "plainTextPath '%.400s' is not a file of the project's sources/"
			 " (qes reads only what is inside the .qdpx)", path);
		rc = fail_at(p, n, QES_EFORMAT, err, m);
	} else if (rc == QES_ENOTFOUND) {
		char m[600];
		if (!p->z)
			snprintf(m, sizeof(m), "%s names %s, but a project.qde read on its own has no"
				 " sources/ (import the .qdpx, or give the text as PlainTextContent)",
				 path, entry);
		else
			snprintf(m, sizeof(m), "%s names %s, which is not in the archive", path, entry);
		rc = fail_at(p, n, QES_EFORMAT, err, m);
	}
	xmlFree(path);
	return rc;
}

static int read_notes(proj *p, xmlNode *notes, qes_error *err)
{
	int rc = 0;
	for (xmlNode *n = qes__qdpx_child(notes, "Note"); !rc && n; n = qes__qdpx_next(n->next, "Note")) {
		char g[37], u[37], entry[256];
		guid_of(n, "guid", g);
		if (qes__qdpx_id_by_guid(p->in.st, "code_notes", g)) {
			p->in.c->skipped++;
			continue;
		}
		guid_of(n, "creatingUser", u);
		char *raw = NULL, *name = qes__qdpx_attr(n, "name"), *when = qes__qdpx_attr(n, "creationDateTime");
		size_t len = 0;
		long long coder = *u ? qes__qdpx_id_by_guid(p->in.st, "code_coders", u) : 0;
		sqlite3_stmt *s = NULL;
		if (!(rc = plain_text(p, n, &raw, &len, entry, sizeof(entry), err)) &&
		    !(rc = qes__code_prep(p->in.st, &s, "INSERT INTO code_notes(guid, target_type,"
					  " target_id, coder_id, name, text, created_at) VALUES"
					  " (?, 'project', 0, ?, ?, ?, COALESCE(?, strftime('%Y-%m-%dT%H:%M:%SZ','now')))",
					  err))) {
			sqlite3_bind_text(s, 1, g, -1, SQLITE_TRANSIENT);
			if (coder)
				sqlite3_bind_int64(s, 2, coder);
			sqlite3_bind_text(s, 3, name ? name : "", -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(s, 4, raw, (int)len, SQLITE_TRANSIENT);
			if (when)
				sqlite3_bind_text(s, 5, when, -1, SQLITE_TRANSIENT);
			if (!(rc = qes__code_done_stmt(p->in.st, s, "adding a note", err)))
				p->in.c->notes++;
		}
		free(raw);
		xmlFree(name);
		xmlFree(when);
	}
	return rc;
}

/* --- variables ------------------------------------------------------------ */

static const var *var_by_guid(proj *p, const char *g)
{
	for (size_t i = 0; i < p->nvars; i++)
		if (!strcmp(p->vars[i].guid, g))
			return &p->vars[i];
	return NULL;
}

static int read_variables(proj *p, xmlNode *vars, qes_error *err)
{
	int rc = 0;
	for (xmlNode *v = qes__qdpx_child(vars, "Variable"); !rc && v;
	     v = qes__qdpx_next(v->next, "Variable")) {
		var *nv = realloc(p->vars, (p->nvars + 1) * sizeof(*nv));
		if (!nv)
			return qes_error_set(err, QES_ENOMEM, "out of memory");
		p->vars = nv;
		var *x = &p->vars[p->nvars++];
		char *name = qes__qdpx_attr(v, "name"), *type = qes__qdpx_attr(v, "typeOfVariable");
		guid_of(v, "guid", x->guid);
		snprintf(x->name, sizeof(x->name), "%s", name ? name : "");
		snprintf(x->type, sizeof(x->type), "%s", type ? type : "Text");
		xmlFree(name);
		xmlFree(type);
		if (!strcmp(x->name, VAR_KIND) || !strcmp(x->name, VAR_STUDY))
			continue;   /* qes's own, carried on the sources */
		/* A qes case attribute without a type exports as Text with a GUID
		 * derived from its name: nothing to keep beyond the values. */
		char derived[37];
		qes__qdpx_guid_derive(x->name, "variable", derived);
		if (!strcmp(x->type, "Text") && !strcmp(derived, x->guid))
			continue;
		if (qes__qdpx_id_by_guid(p->in.st, "code_variables", x->guid)) {
			p->in.c->skipped++;
			continue;
		}
		sqlite3_stmt *s = NULL;
		if ((rc = qes__code_prep(p->in.st, &s, "INSERT OR IGNORE INTO code_variables(guid, name,"
					 " type) VALUES (?, ?, ?)", err)))
			break;
		sqlite3_bind_text(s, 1, x->guid, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 2, x->name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 3, x->type, -1, SQLITE_TRANSIENT);
		if ((rc = qes__code_done_stmt(p->in.st, s, "adding a variable", err)))
			break;
		if (sqlite3_changes(qes_store_db(p->in.st)))
			p->in.c->variables++;
		else
			qes__qdpx_note(&p->in, "project.qde", xmlGetLineNo(v), "variable '%s' is already"
				       " in the review (another GUID): its values go there", x->name);
	}
	return rc;
}

/* A VariableValue's variable and value (malloc'd by libxml2). */
static const var *value_of(proj *p, xmlNode *vv, xmlChar **value)
{
	*value = NULL;
	xmlNode *ref = qes__qdpx_child(vv, "VariableRef");
	if (!ref)
		return NULL;
	char g[37];
	guid_of(ref, "targetGUID", g);
	xmlNode *val = qes__qdpx_next(ref->next, NULL);
	*value = val ? xmlNodeGetContent(val) : NULL;
	return var_by_guid(p, g);
}

/* --- sources and codings ------------------------------------------------- */

typedef struct src {
	long long id;
	char guid[37], name[512], entry[256], creator[37];
	qes__qdpx_map map;
	long text_cps;
} src;

/* "qes: quote, illustrative" and the like (see qes__qdpx_flags_text). */
static int parse_flags(const char *d, const char **kind, int *illus)
{
	static const char *const kinds[] = { "", "quote", "interpretation" };
	for (int k = 0; k < 3; k++)
		for (int i = 0; i < 2; i++) {
			const char *t = qes__qdpx_flags_text(kinds[k], i);
			if (t && !strcmp(t, d)) {
				*kind = kinds[k];
				*illus = i;
				return 1;
			}
		}
	return 0;
}

static int insert_coding(proj *p, src *so, xmlNode *c, const char *sel_guid, long start,
			 long end, const char *kind, int illus, const char *sel_user,
			 long long *id, qes_error *err)
{
	char g[37], code[37], user[37];
	guid_of(c, "guid", g);
	*id = 0;
	if (qes__qdpx_id_by_guid(p->in.st, "code_codings", g)) {
		p->in.c->skipped++;
		return 0;
	}
	xmlNode *ref = qes__qdpx_child(c, "CodeRef");
	guid_of(ref, "targetGUID", code);
	long long cid = qes__qdpx_id_by_guid(p->in.st, "code_codes", code), uid = 0;
	if (!cid) {
		char m[200];
		snprintf(m, sizeof(m), "coding %s refers to code %s, which is not in the CodeBook", g, code);
		return fail_at(p, c, QES_EFORMAT, err, m);
	}
	guid_of(c, "creatingUser", user);
	int rc = coder_for(p, *user ? user : *sel_user ? sel_user : so->creator, &uid, err);
	if (rc)
		return rc;
	char derived[37];
	qes__qdpx_guid_derive(g, "selection", derived);
	char *when = qes__qdpx_attr(c, "creationDateTime");
	sqlite3_stmt *s = NULL;
	if (!(rc = qes__code_prep(p->in.st, &s, "INSERT INTO code_codings(guid, source_id, code_id,"
				  " coder_id, start, end, kind, illustrative, selection_guid, created_at)"
				  " VALUES (?,?,?,?,?,?,?,?,?, COALESCE(?, strftime('%Y-%m-%dT%H:%M:%SZ','now')))",
				  err))) {
		sqlite3_bind_text(s, 1, g, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(s, 2, so->id);
		sqlite3_bind_int64(s, 3, cid);
		sqlite3_bind_int64(s, 4, uid);
		sqlite3_bind_int64(s, 5, start);
		sqlite3_bind_int64(s, 6, end);
		sqlite3_bind_text(s, 7, kind, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 8, illus);
		/* qes's own selections are derived from the coding: no need to keep. */
		if (sel_guid && strcmp(sel_guid, derived))
			sqlite3_bind_text(s, 9, sel_guid, -1, SQLITE_TRANSIENT);
		if (when)
			sqlite3_bind_text(s, 10, when, -1, SQLITE_TRANSIENT);
		rc = qes__code_done_stmt(p->in.st, s, "adding a coding", err);
	}
	xmlFree(when);
	if (rc)
		return rc;
	*id = sqlite3_last_insert_rowid(qes_store_db(p->in.st));
	p->in.c->codings++;
	for (xmlNode *r = qes__qdpx_child(c, "NoteRef"); !rc && r; r = qes__qdpx_next(r->next, "NoteRef"))
		rc = qes__qdpx_attach_note(&p->in, r, "coding", *id, err);
	return rc;
}

static int keep_bare(proj *p, const char *g, long long sid, long start, long end)
{
	if (p->nsels == p->capsels) {
		size_t cap = p->capsels ? p->capsels * 2 : 16;
		bare_sel *n = realloc(p->sels, cap * sizeof(*n));
		if (!n)
			return QES_ENOMEM;
		p->sels = n;
		p->capsels = cap;
	}
	bare_sel *b = &p->sels[p->nsels++];
	snprintf(b->guid, sizeof(b->guid), "%s", g);
	b->source = sid;
	b->start = start;
	b->end = end;
	b->used = 0;
	return 0;
}

static int read_selection(proj *p, src *so, xmlNode *n, qes_error *err)
{
	char g[37], user[37];
	guid_of(n, "guid", g);
	guid_of(n, "creatingUser", user);
	char *sa = qes__qdpx_attr(n, "startPosition"), *ea = qes__qdpx_attr(n, "endPosition");
	char *e1 = NULL, *e2 = NULL;
	long fs = sa ? strtol(sa, &e1, 10) : -1, fe = ea ? strtol(ea, &e2, 10) : -1;
	int bad = !sa || !ea || *e1 || *e2;
	xmlFree(sa);
	xmlFree(ea);
	if (bad || fs < 0 || fe < fs || fe > so->map.file_cps) {
		char m[900];
		snprintf(m, sizeof(m), "selection %s [%ld, %ld) is beyond the end of source '%.300s'"
			 " (%s has %ld code points)", g, fs, fe, so->name, so->entry, so->map.file_cps);
		return fail_at(p, n, QES_EFORMAT, err, m);
	}
	long start = qes__qdpx_map_offset(&so->map, fs), end = qes__qdpx_map_offset(&so->map, fe);
	xmlNode *first = qes__qdpx_child(n, "Coding");
	if (!first)
		return keep_bare(p, g, so->id, start, end) ? qes_error_set(err, QES_ENOMEM, "out of memory") : 0;
	if (end <= start) {
		qes__qdpx_note(&p->in, "project.qde", xmlGetLineNo(n), "selection %s is empty (after"
			       " line-end mapping): its codings are left out", g);
		return 0;
	}
	const char *kind = "";
	int illus = 0, flagged = 0;
	xmlNode *d = qes__qdpx_child(n, "Description");
	if (d) {
		xmlChar *t = xmlNodeGetContent(d);
		flagged = t && parse_flags((const char *)t, &kind, &illus);
		xmlFree(t);
	}
	int rc = 0;
	long long firstid = 0;
	for (xmlNode *c = first; !rc && c; c = qes__qdpx_next(c->next, "Coding")) {
		long long id = 0;
		rc = insert_coding(p, so, c, g, start, end, kind, illus, user, &id, err);
		if (!firstid)
			firstid = id;
	}
	if (rc || !firstid)
		return rc;
	for (xmlNode *r = qes__qdpx_child(n, "NoteRef"); !rc && r; r = qes__qdpx_next(r->next, "NoteRef"))
		rc = qes__qdpx_attach_note(&p->in, r, "coding", firstid, err);
	if (!rc && !flagged)
		rc = qes__qdpx_description(&p->in, n, g, "coding", firstid, err);
	return rc;
}

static void report_text(proj *p, const src *so, const qes__qdpx_textinfo *ti)
{
	if (ti->bom)
		qes__qdpx_note(&p->in, so->entry, 0, "source '%s': byte-order mark removed (offsets"
			       " count from the first character after it)", so->name);
	if (ti->crlf || ti->cr)
		qes__qdpx_note(&p->in, so->entry, 0, "source '%s': %ld CRLF and %ld CR line ends made"
			       " LF; selection offsets mapped to the new text", so->name, ti->crlf, ti->cr);
	if (ti->nfc)
		qes__qdpx_note(&p->in, so->entry, 0, "source '%s': text normalised to NFC; selection"
			       " offsets mapped to the new text", so->name);
}

/* Original file: the richTextPath (.docx), else sources/GUID.pdf if there. */
static int original(proj *p, xmlNode *n, const char *g, char **data, size_t *len,
		    const char **media, char *file, size_t fsize, qes_error *err)
{
	char *rich = qes__qdpx_attr(n, "richTextPath"), entry[256];
	int rc = QES_ENOTFOUND;
	*data = NULL;
	if (rich) {
		rc = read_path(p, n, "richTextPath", rich, QES_MAX_SOURCE_BYTES, data, len, entry,
			       sizeof(entry), err);
		if (rc == -1)
			rc = QES_ENOTFOUND;   /* the text is all qes needs; the original is extra */
		if (!rc)
			*media = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
	}
	xmlFree(rich);
	if (rc == QES_ENOTFOUND) {
		snprintf(entry, sizeof(entry), "sources/%s.pdf", g);
		rc = qes__qdpx_zip_read(p->z, p->in.archive, entry, QES_MAX_PDF_BYTES, data, len, err);
		if (!rc)
			*media = "application/pdf";
	}
	if (rc == QES_ENOTFOUND) {
		qes_error_clear(err);
		return 0;
	}
	if (!rc)
		snprintf(file, fsize, "%s", entry + 8);
	return rc;
}

static int insert_source(proj *p, src *so, xmlNode *n, const char *raw, size_t rawlen,
			 const char *text, size_t tlen, qes_error *err)
{
	char *data = NULL, *name = qes__qdpx_attr(n, "name"), *unique = NULL, file[256];
	char *when = qes__qdpx_attr(n, "creationDateTime");
	const char *media = "text/plain", *kind = "results";
	size_t dlen = 0;
	long long study = 0;
	snprintf(file, sizeof(file), "%s", so->entry + 8);
	int rc = original(p, n, so->guid, &data, &dlen, &media, file, sizeof(file), err);
	if (rc)
		goto out;
	for (xmlNode *v = qes__qdpx_child(n, "VariableValue"); v; v = qes__qdpx_next(v->next, "VariableValue")) {
		xmlChar *val = NULL;
		const var *x = value_of(p, v, &val);
		if (x && val && !strcmp(x->name, VAR_KIND) && (!strcmp((char *)val, "transcript") ||
		    !strcmp((char *)val, "memo") || !strcmp((char *)val, "results")))
			kind = !strcmp((char *)val, "transcript") ? "transcript"
			       : !strcmp((char *)val, "memo") ? "memo" : "results";
		else if (x && val && !strcmp(x->name, VAR_STUDY)) {
			if (qes_study_find(p->in.st, (char *)val, &study, err)) {
				qes_error_clear(err);
				study = 0;
				qes__qdpx_note(&p->in, "project.qde", xmlGetLineNo(v), "source '%s': study"
					       " '%s' is not in this review; not linked", so->name, val);
			}
		} else {
			qes__qdpx_note(&p->in, "project.qde", xmlGetLineNo(v), "source '%s': variable"
				       " values on sources are not carried (qes has them on cases)", so->name);
		}
		xmlFree(val);
	}
	if ((rc = qes__qdpx_unique_name(p->in.st, "code_sources", "name", name && *name ? name : so->guid,
					&unique, err)))
		goto out;
	if (name && strcmp(unique, name))
		qes__qdpx_note(&p->in, "project.qde", xmlGetLineNo(n), "source '%s' is already in the"
			       " review (another GUID): imported as '%s'", name, unique);
	snprintf(so->name, sizeof(so->name), "%s", unique);
	sqlite3_stmt *s = NULL;
	if ((rc = qes__code_prep(p->in.st, &s, "INSERT INTO code_sources(guid, name, kind, study_id,"
				 " file_name, media_type, original, text, length, created_at)"
				 " VALUES (?,?,?,?,?,?,?,?,?, COALESCE(?, strftime('%Y-%m-%dT%H:%M:%SZ','now')))",
				 err)))
		goto out;
	sqlite3_bind_text(s, 1, so->guid, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 2, unique, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 3, kind, -1, SQLITE_STATIC);
	if (study)
		sqlite3_bind_int64(s, 4, study);
	sqlite3_bind_text(s, 5, file, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 6, media, -1, SQLITE_STATIC);
	if (data)
		sqlite3_bind_blob64(s, 7, data, dlen, SQLITE_STATIC);
	else
		sqlite3_bind_blob64(s, 7, raw, rawlen, SQLITE_STATIC);
	sqlite3_bind_text64(s, 8, text, tlen, SQLITE_STATIC, SQLITE_UTF8);
	sqlite3_bind_int64(s, 9, so->map.text_cps);
	if (when)
		sqlite3_bind_text(s, 10, when, -1, SQLITE_TRANSIENT);
	if (!(rc = qes__code_done_stmt(p->in.st, s, "adding a source", err))) {
		so->id = sqlite3_last_insert_rowid(qes_store_db(p->in.st));
		p->in.c->sources++;
	}
out:
	free(data);
	free(unique);
	xmlFree(name);
	xmlFree(when);
	return rc;
}

/* A Coding directly on a TextSource codes the whole text. */
static int whole_source_codings(proj *p, src *so, xmlNode *n, qes_error *err)
{
	int rc = 0;
	for (xmlNode *c = qes__qdpx_child(n, "Coding"); !rc && c; c = qes__qdpx_next(c->next, "Coding")) {
		long long id;
		if (so->map.text_cps > 0)
			rc = insert_coding(p, so, c, NULL, 0, so->map.text_cps, "", 0, "", &id, err);
	}
	return rc;
}

static int read_text_source(proj *p, xmlNode *n, qes_error *err)
{
	src so;
	memset(&so, 0, sizeof(so));
	guid_of(n, "guid", so.guid);
	guid_of(n, "creatingUser", so.creator);
	char *raw = NULL, *text = NULL, *name = qes__qdpx_attr(n, "name");
	size_t rawlen = 0, tlen = 0;
	snprintf(so.name, sizeof(so.name), "%s", name ? name : so.guid);
	xmlFree(name);
	qes__qdpx_textinfo ti;
	int rc = plain_text(p, n, &raw, &rawlen, so.entry, sizeof(so.entry), err);
	if (rc)
		goto out;
	if ((rc = qes__qdpx_text(raw, rawlen, &text, &tlen, &so.map, &ti, err))) {
		char m[sizeof(err->message)];
		snprintf(m, sizeof(m), "%s", err->message);
		rc = qes_error_at(err, rc, p->in.archive, 0, so.entry, "source '%s': %s", so.name, m);
		goto out;
	}
	report_text(p, &so, &ti);
	if ((so.id = qes__qdpx_id_by_guid(p->in.st, "code_sources", so.guid))) {
		p->in.c->skipped++;
		sqlite3_stmt *s = NULL;
		long have = -1;
		if (!(rc = qes__code_prep(p->in.st, &s, "SELECT length FROM code_sources WHERE id = ?", err))) {
			sqlite3_bind_int64(s, 1, so.id);
			if (sqlite3_step(s) == SQLITE_ROW)
				have = (long)sqlite3_column_int64(s, 0);
			sqlite3_finalize(s);
		}
		if (!rc && have != so.map.text_cps) {
			char m[800];
			snprintf(m, sizeof(m), "source %s ('%.300s') is already in the review with other"
				 " text (%ld code points, the file's has %ld): refused", so.guid, so.name,
				 have, so.map.text_cps);
			rc = fail_at(p, n, QES_ECONFLICT, err, m);
		}
	} else {
		rc = insert_source(p, &so, n, raw, rawlen, text, tlen, err);
	}
	for (xmlNode *c = qes__qdpx_child(n, "PlainTextSelection"); !rc && c;
	     c = qes__qdpx_next(c->next, "PlainTextSelection"))
		rc = read_selection(p, &so, c, err);
	if (!rc)
		rc = whole_source_codings(p, &so, n, err);
	for (xmlNode *r = qes__qdpx_child(n, "NoteRef"); !rc && r; r = qes__qdpx_next(r->next, "NoteRef"))
		rc = qes__qdpx_attach_note(&p->in, r, "source", so.id, err);
out:
	qes__qdpx_map_release(&so.map);
	free(raw);
	free(text);
	return rc;
}

static int read_sources(proj *p, xmlNode *sources, qes_error *err)
{
	int rc = 0;
	for (xmlNode *n = qes__qdpx_next(sources->children, NULL); !rc && n; n = qes__qdpx_next(n->next, NULL)) {
		if (!strcmp((const char *)n->name, "TextSource"))
			rc = read_text_source(p, n, err);
		else
			qes__qdpx_note(&p->in, "project.qde", xmlGetLineNo(n), "%s not carried (qes codes"
				       " text sources only)", (const char *)n->name);
	}
	return rc;
}

/* --- cases ---------------------------------------------------------------- */

static int link_case(proj *p, long long cid, long long sid, long from, long to, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = qes__code_prep(p->in.st, &s, "INSERT OR IGNORE INTO code_case_sources(case_id,"
				" source_id, line_from, line_to) VALUES (?,?,?,?)", err);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, cid);
	sqlite3_bind_int64(s, 2, sid);
	sqlite3_bind_int64(s, 3, from);
	sqlite3_bind_int64(s, 4, to);
	return qes__code_done_stmt(p->in.st, s, "linking a case", err);
}

/* Lines (1-based) holding code points start and end - 1. */
static int sel_lines(proj *p, const bare_sel *b, long *from, long *to, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = qes__code_prep(p->in.st, &s, "SELECT text FROM code_sources WHERE id = ?", err);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, b->source);
	*from = *to = 1;
	if (sqlite3_step(s) == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(s, 0);
		long cp = 0, line = 1;
		for (; *t && cp < b->end; t++) {
			if ((*t & 0xC0) == 0x80)
				continue;
			if (cp == b->start)
				*from = line;
			if (cp == b->end - 1)
				*to = line;
			if (*t == '\n')
				line++;
			cp++;
		}
	}
	sqlite3_finalize(s);
	return 0;
}

static int case_refs(proj *p, long long cid, xmlNode *n, qes_error *err)
{
	int rc = 0;
	for (xmlNode *r = qes__qdpx_next(n->children, NULL); !rc && r; r = qes__qdpx_next(r->next, NULL)) {
		const char *el = (const char *)r->name;
		char g[37];
		guid_of(r, "targetGUID", g);
		if (!strcmp(el, "SourceRef")) {
			long long sid = qes__qdpx_id_by_guid(p->in.st, "code_sources", g);
			if (sid)
				rc = link_case(p, cid, sid, 0, 0, err);
			else
				qes__qdpx_note(&p->in, "project.qde", xmlGetLineNo(r), "case links to source"
					       " %s, which was not imported", g);
		} else if (!strcmp(el, "SelectionRef")) {
			size_t i = 0;
			while (i < p->nsels && strcmp(p->sels[i].guid, g))
				i++;
			if (i == p->nsels) {
				qes__qdpx_note(&p->in, "project.qde", xmlGetLineNo(r), "case links to"
					       " selection %s: only selections without codings are carried"
					       " (as the lines they cover)", g);
				continue;
			}
			long from, to;
			p->sels[i].used = 1;
			if (!(rc = sel_lines(p, &p->sels[i], &from, &to, err)))
				rc = link_case(p, cid, p->sels[i].source, from, to, err);
		} else if (!strcmp(el, "CodeRef")) {
			qes__qdpx_note(&p->in, "project.qde", xmlGetLineNo(r), "a case's CodeRef is not"
				       " carried");
		}
	}
	return rc;
}

static int case_values(proj *p, long long cid, xmlNode *n, qes_error *err)
{
	int rc = 0;
	for (xmlNode *v = qes__qdpx_child(n, "VariableValue"); !rc && v;
	     v = qes__qdpx_next(v->next, "VariableValue")) {
		xmlChar *val = NULL;
		const var *x = value_of(p, v, &val);
		if (!x) {
			qes__qdpx_note(&p->in, "project.qde", xmlGetLineNo(v), "a case value refers to a"
				       " variable the project does not define: left out");
		} else {
			sqlite3_stmt *s = NULL;
			if (!(rc = qes__code_prep(p->in.st, &s, "INSERT OR REPLACE INTO code_case_attrs("
						  "case_id, key, value) VALUES (?, ?, ?)", err))) {
				sqlite3_bind_int64(s, 1, cid);
				sqlite3_bind_text(s, 2, x->name, -1, SQLITE_TRANSIENT);
				sqlite3_bind_text(s, 3, val ? (const char *)val : "", -1, SQLITE_TRANSIENT);
				rc = qes__code_done_stmt(p->in.st, s, "adding a case value", err);
			}
		}
		xmlFree(val);
	}
	return rc;
}

static int read_cases(proj *p, xmlNode *cases, qes_error *err)
{
	int rc = 0;
	for (xmlNode *n = qes__qdpx_child(cases, "Case"); !rc && n; n = qes__qdpx_next(n->next, "Case")) {
		char g[37];
		guid_of(n, "guid", g);
		if (qes__qdpx_id_by_guid(p->in.st, "code_cases", g)) {
			p->in.c->skipped++;
			continue;
		}
		char *name = qes__qdpx_attr(n, "name"), *unique = NULL, fb[48];
		snprintf(fb, sizeof(fb), "case-%.8s", g);
		rc = qes__qdpx_unique_name(p->in.st, "code_cases", "name", name && *name ? name : fb,
					   &unique, err);
		if (!rc && name && strcmp(unique, name))
			qes__qdpx_note(&p->in, "project.qde", xmlGetLineNo(n), "case '%s' is already in"
				       " the review (another GUID): imported as '%s'", name, unique);
		xmlFree(name);
		sqlite3_stmt *s = NULL;
		if (!rc && !(rc = qes__code_prep(p->in.st, &s, "INSERT INTO code_cases(guid, name)"
						 " VALUES (?, ?)", err))) {
			sqlite3_bind_text(s, 1, g, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(s, 2, unique, -1, SQLITE_TRANSIENT);
			rc = qes__code_done_stmt(p->in.st, s, "adding a case", err);
		}
		free(unique);
		if (rc)
			break;
		long long cid = sqlite3_last_insert_rowid(qes_store_db(p->in.st));
		p->in.c->cases++;
		if (!(rc = case_values(p, cid, n, err)) && !(rc = case_refs(p, cid, n, err)))
			rc = qes__qdpx_description(&p->in, n, g, "case", cid, err);
	}
	return rc;
}

/* --- the project ---------------------------------------------------------- */

static long long max_note_id(qes_store *st)
{
	sqlite3_stmt *s = NULL;
	long long m = 0;
	if (sqlite3_prepare_v2(qes_store_db(st), "SELECT COALESCE(max(id), 0) FROM code_notes", -1,
			       &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		m = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return m;
}

static int read_project(proj *p, xmlNode *root, qes_error *err)
{
	int rc = 0;
	guid_of(root, "creatingUserGUID", p->owner);
	xmlNode *n;
	if ((n = qes__qdpx_child(root, "Users")) && (rc = read_users(p, n, err)))
		return rc;
	if ((n = qes__qdpx_child(root, "Notes")) && (rc = read_notes(p, n, err)))
		return rc;
	if ((n = qes__qdpx_child(qes__qdpx_child(root, "CodeBook"), "Codes")) &&
	    (rc = qes__qdpx_read_codes(&p->in, n, err)))
		return rc;
	if ((n = qes__qdpx_child(root, "Variables")) && (rc = read_variables(p, n, err)))
		return rc;
	if ((n = qes__qdpx_child(root, "Sources")) && (rc = read_sources(p, n, err)))
		return rc;
	if ((n = qes__qdpx_child(root, "Cases")) && (rc = read_cases(p, n, err)))
		return rc;
	if ((n = qes__qdpx_child(root, "Sets")) && (rc = qes__qdpx_read_sets(&p->in, n, err)))
		return rc;
	long unused = 0;
	for (size_t i = 0; i < p->nsels; i++)
		unused += !p->sels[i].used;
	if (unused)
		qes__qdpx_note(&p->in, "project.qde", 0, "%ld selection%s without codings (and no case"
			       " linked to them) not carried", unused, unused == 1 ? "" : "s");
	for (const char *el = "Links"; el; el = !strcmp(el, "Links") ? "Graphs" : NULL)
		if ((n = qes__qdpx_child(root, el)))
			qes__qdpx_note(&p->in, "project.qde", xmlGetLineNo(n), "%s not carried", el);
	return 0;
}

/* A file that is XML (after a byte-order mark and white space, '<'), up to
 * QES_MAX_ZIP_ENTRY bytes: 0 with *xml malloc'd, else -1. */
static int read_qde(const char *path, char **xml, size_t *len)
{
	*xml = NULL;
	FILE *fp = fopen(path, "rb");
	struct stat sb;
	if (!fp)
		return -1;
	if (fstat(fileno(fp), &sb) || sb.st_size < 0 || (size_t)sb.st_size > QES_MAX_ZIP_ENTRY) {
		fclose(fp);
		return -1;
	}
	size_t want = (size_t)sb.st_size;
	char *b = malloc(want + 1);
	size_t n = b ? fread(b, 1, want, fp) : 0;
	fclose(fp);
	if (!b || n != want) {
		free(b);
		return -1;
	}
	b[n] = '\0';
	size_t i = n >= 3 && !memcmp(b, "\xEF\xBB\xBF", 3) ? 3 : 0;
	while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n'))
		i++;
	if (i >= n || b[i] != '<') {
		free(b);
		return -1;
	}
	*xml = b;
	*len = n;
	return 0;
}

/* Imports the project in archive z, or (z NULL) the project.qde text in
 * qde (taken over) read on its own. */
static int import_zip(qes_store *st, zip_t *z, const char *name, char *qde, size_t qde_len,
		      const qes_qdpx_import_opts *o, qes_qdpx_counts *counts, qes_error *err)
{
	proj p;
	memset(&p, 0, sizeof(p));
	qes_qdpx_counts local;
	memset(&local, 0, sizeof(local));
	p.in.st = st;
	p.in.archive = name;
	p.in.o = o;
	p.in.c = counts ? counts : &local;
	memset(p.in.c, 0, sizeof(*p.in.c));
	p.z = z;
	snprintf(p.qde, sizeof(p.qde), z ? "%s:project.qde" : "%s", name);
	char *xml = qde;
	size_t len = qde_len;
	xmlDoc *doc = NULL;
	int rc = 0;
	if (!z)
		qes__qdpx_note(&p.in, name, 0, "a project.qde on its own, without its archive: only"
			       " text inside it (PlainTextContent) can be read");
	else
		rc = qes__qdpx_zip_read(z, name, "project.qde", QES_MAX_ZIP_ENTRY, &xml, &len, err);
	if (rc == QES_ENOTFOUND)
		rc = qes_error_at(err, QES_EFORMAT, name, 0, "project.qde", "no project.qde in the"
				  " archive: not a REFI-QDA project");
	if (rc || (rc = qes__qdpx_parse(xml, len, 0, p.qde, &doc, err)))
		goto out;
	if ((rc = qes_store_begin(st, err)))
		goto out;
	p.in.note_floor = max_note_id(st);
	rc = read_project(&p, xmlDocGetRootElement(doc), err);
	if (!rc && o && o->dry_run) {
		qes_store_rollback(st);
		goto out;
	}
	rc = qes__code_txn(st, rc, err);
out:
	free(p.vars);
	free(p.sels);
	if (doc)
		xmlFreeDoc(doc);
	free(xml);
	return rc;
}

int qes_qdpx_import_mem(qes_store *st, const void *data, size_t len, const char *name,
			const qes_qdpx_import_opts *o, qes_qdpx_counts *counts, qes_error *err)
{
	zip_t *z = NULL;
	int rc = qes__qdpx_zip_open_mem(data, len, name, &z, err);
	if (rc)
		return rc;
	rc = import_zip(st, z, name, NULL, 0, o, counts, err);
	zip_discard(z);
	return rc;
}

int qes_qdpx_import(qes_store *st, const char *path, const qes_qdpx_import_opts *o,
		    qes_qdpx_counts *counts, qes_error *err)
{
	zip_t *z = NULL;
	int rc = qes__qdpx_zip_open_file(path, &z, err);
	if (rc == QES_EFORMAT) {
		/* Not a zip: a project.qde given on its own (some tools save
		 * the XML alone) is read when it is XML, without sources/. */
		char *xml = NULL;
		size_t len = 0;
		if (!read_qde(path, &xml, &len)) {
			qes_error_clear(err);
			return import_zip(st, NULL, path, xml, len, o, counts, err);
		}
		free(xml);
	}
	if (rc)
		return rc;
	rc = import_zip(st, z, path, NULL, 0, o, counts, err);
	zip_discard(z);
	return rc;
}
