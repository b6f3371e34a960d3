/* code_tree.c: the code tree (paths with '/', parents created as folders)
 * and cases with typed attributes, linked to sources. */
#include "code_internal.h"
#include "text_limit.h"

#include <stdlib.h>
#include <string.h>

static int valid_colour(const char *c)
{
	if (strlen(c) != 7 || c[0] != '#')
		return 0;
	for (int i = 1; i < 7; i++)
		if (!strchr("0123456789abcdefABCDEF", c[i]))
			return 0;
	return 1;
}

/* Inserts one level; *id gets the row. */
static int insert_code(qes_store *st, long long parent, const char *name, const char *path,
		       const char *colour, int folder, long long *id, qes_error *err)
{
	char guid[37];
	qes_code_guid(guid);
	sqlite3_stmt *s = NULL;
	int rc = qes__code_prep(st, &s, "INSERT INTO code_codes(guid, parent_id, name, path,"
				" colour, is_folder) VALUES (?,?,?,?,?,?)", err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, guid, -1, SQLITE_TRANSIENT);
	if (parent)
		sqlite3_bind_int64(s, 2, parent);
	sqlite3_bind_text(s, 3, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 4, path, -1, SQLITE_TRANSIENT);
	if (colour)
		sqlite3_bind_text(s, 5, colour, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(s, 6, folder);
	if ((rc = qes__code_done_stmt(st, s, "adding a code", err)))
		return rc;
	*id = sqlite3_last_insert_rowid(qes_store_db(st));
	return 0;
}

/* Walks the path level by level: existing levels are reused, missing
 * parents become folders, the last level must be new. */
static int add_path(qes_store *st, char *path, const char *colour, long long *id,
		    qes_error *err)
{
	long long parent = 0;
	int rc = 0;
	for (char *slash = path;; slash++) {
		slash = strchr(slash, '/');
		int last = !slash;
		if (slash)
			*slash = '\0';
		const char *name = strrchr(path, '/');
		name = name ? name + 1 : path;
		if (!*name) {
			rc = qes_error_set(err, QES_EINVAL, "a code path has an empty level");
			break;
		}
		long long have = 0;
		rc = qes__code_lookup(st, "code_codes", "path", path, "code", &have, err);
		if (rc == QES_ENOTFOUND) {
			qes_error_clear(err);
			rc = insert_code(st, parent, name, path, last ? colour : NULL, !last, &have, err);
		} else if (!rc && last) {
			rc = qes_error_set(err, QES_EEXIST, "there is already a code '%s'", path);
		}
		if (rc)
			break;
		parent = have;
		if (last) {
			*id = have;
			break;
		}
		*slash = '/';
	}
	return rc;
}

int qes_code_add(qes_store *st, const char *path, const char *colour, const char *memo,
		 long long *id, qes_error *err)
{
	if (!path || !*path || path[0] == '#')
		return qes_error_set(err, QES_EINVAL, "a code needs a name");
	if (qes__text_limit("a code's path", path, QES_MAX_NAME_TEXT, err) ||
	    qes__text_limit("a code memo", memo, QES_MAX_LONG_TEXT, err))
		return err->code;
	if (colour && !valid_colour(colour))
		return qes_error_set(err, QES_EINVAL, "colour '%s' is not #rrggbb", colour);
	char *p = strdup(path);
	if (!p)
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	long long cid = 0;
	int rc = qes_store_begin(st, err);
	if (rc)
		goto out;
	rc = add_path(st, p, colour, &cid, err);
	if (!rc && memo)
		rc = qes__code_note(st, "code", cid, 0, memo, err);
	rc = qes__code_txn(st, rc, err);
	if (!rc && id)
		*id = cid;
out:
	free(p);
	return rc;
}

int qes_code_find_code(qes_store *st, const char *path, long long *id, qes_error *err)
{
	return qes__code_lookup(st, "code_codes", "path", path, "code", id, err);
}

int qes_code_case_add(qes_store *st, const char *name, char *const *attrs, int nattrs,
		      long long *id, qes_error *err)
{
	if (!name || !*name || name[0] == '#')
		return qes_error_set(err, QES_EINVAL, "a case needs a name");
	if (qes__text_limit("a case name", name, QES_MAX_NAME_TEXT, err))
		return err->code;
	for (int i = 0; i < nattrs; i++) {
		const char *eq = strchr(attrs[i], '=');
		if (!eq || eq == attrs[i])
			return qes_error_set(err, QES_EINVAL, "attribute '%s' is not key=value",
					     attrs[i]);
	}
	int rc = qes_store_begin(st, err);
	if (rc)
		return rc;
	char guid[37];
	qes_code_guid(guid);
	sqlite3_stmt *s = NULL;
	long long cid = 0;
	rc = qes__code_prep(st, &s, "INSERT INTO code_cases(guid, name) VALUES (?, ?)", err);
	if (!rc) {
		sqlite3_bind_text(s, 1, guid, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 2, name, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(s) != SQLITE_DONE)
			rc = sqlite3_extended_errcode(qes_store_db(st)) == SQLITE_CONSTRAINT_UNIQUE
				? qes_error_set(err, QES_EEXIST, "there is already a case '%s'", name)
				: qes_store_sqlerr(st, err, "adding a case");
		sqlite3_finalize(s);
		cid = sqlite3_last_insert_rowid(qes_store_db(st));
	}
	for (int i = 0; !rc && i < nattrs; i++) {
		const char *eq = strchr(attrs[i], '=');
		if ((rc = qes__code_attr_check(st, name, attrs[i], (size_t)(eq - attrs[i]), eq + 1, err)))
			break;
		if ((rc = qes__code_prep(st, &s, "INSERT OR REPLACE INTO code_case_attrs(case_id,"
					 " key, value) VALUES (?, ?, ?)", err)))
			break;
		sqlite3_bind_int64(s, 1, cid);
		sqlite3_bind_text(s, 2, attrs[i], (int)(eq - attrs[i]), SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 3, eq + 1, -1, SQLITE_TRANSIENT);
		rc = qes__code_done_stmt(st, s, "adding a case attribute", err);
	}
	rc = qes__code_txn(st, rc, err);
	if (!rc && id)
		*id = cid;
	return rc;
}

int qes_code_case_link(qes_store *st, const char *case_name, const char *source,
		       long from, long to, qes_error *err)
{
	if (from < 0 || to < from || (from == 0) != (to == 0))
		return qes_error_set(err, QES_EINVAL, "lines %ld-%ld: give --from N --to M with"
				     " 1 <= N <= M", from, to);
	long long cid = 0, sid = 0;
	int rc = qes_store_begin(st, err);
	if (rc)
		return rc;
	rc = qes__code_lookup(st, "code_cases", "name", case_name, "case", &cid, err);
	if (!rc)
		rc = qes_code_source_find(st, source, &sid, err);
	sqlite3_stmt *s = NULL;
	if (!rc && to) {
		/* The lines must exist: count LFs in the source's text. */
		if (!(rc = qes__code_prep(st, &s, "SELECT length(text) - length(replace(text, char(10),"
					  " '')) + (substr(text, -1) <> char(10)) FROM code_sources WHERE id = ?", err))) {
			sqlite3_bind_int64(s, 1, sid);
			long lines = sqlite3_step(s) == SQLITE_ROW ? (long)sqlite3_column_int64(s, 0) : 0;
			sqlite3_finalize(s);
			if (to > lines)
				rc = qes_error_set(err, QES_EINVAL, "source '%s' has %ld lines, not %ld",
						   source, lines, to);
		}
	}
	if (!rc && !(rc = qes__code_prep(st, &s, "INSERT OR REPLACE INTO code_case_sources(case_id,"
					 " source_id, line_from, line_to) VALUES (?,?,?,?)", err))) {
		sqlite3_bind_int64(s, 1, cid);
		sqlite3_bind_int64(s, 2, sid);
		sqlite3_bind_int64(s, 3, from);
		sqlite3_bind_int64(s, 4, to);
		rc = qes__code_done_stmt(st, s, "linking a case", err);
	}
	return qes__code_txn(st, rc, err);
}
