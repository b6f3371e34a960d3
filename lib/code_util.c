/* code_util.c: lookups shared by the coding module (sources, cases and
 * codes by name or "#ID", coders created on first use, notes). */
#include "code_internal.h"
#include "text_limit.h"

#include <stdlib.h>
#include <string.h>

int qes__code_prep(qes_store *st, sqlite3_stmt **s, const char *sql, qes_error *err)
{
	if (sqlite3_prepare_v2(qes_store_db(st), sql, -1, s, NULL) != SQLITE_OK)
		return qes_store_sqlerr(st, err, "preparing a coding query");
	return 0;
}

int qes__code_done_stmt(qes_store *st, sqlite3_stmt *s, const char *what, qes_error *err)
{
	int rc = 0, step = sqlite3_step(s);
	if (step != SQLITE_DONE && step != SQLITE_ROW)
		rc = qes_store_sqlerr(st, err, what);
	sqlite3_finalize(s);
	return rc;
}

int qes__code_lookup(qes_store *st, const char *table, const char *column,
		     const char *name, const char *what, long long *id, qes_error *err)
{
	char sql[160];
	int byid = name[0] == '#' && name[1];
	snprintf(sql, sizeof(sql), "SELECT id FROM %s WHERE %s = ?", table, byid ? "id" : column);
	sqlite3_stmt *s = NULL;
	int rc = qes__code_prep(st, &s, sql, err);
	if (rc)
		return rc;
	if (byid)
		sqlite3_bind_int64(s, 1, strtoll(name + 1, NULL, 10));
	else
		sqlite3_bind_text(s, 1, name, -1, SQLITE_TRANSIENT);
	int step = sqlite3_step(s);
	if (step == SQLITE_ROW)
		*id = sqlite3_column_int64(s, 0);
	else if (step == SQLITE_DONE)
		rc = qes_error_set(err, QES_ENOTFOUND, "no %s '%s'", what, name);
	else
		rc = qes_store_sqlerr(st, err, "looking up");
	sqlite3_finalize(s);
	return rc;
}

int qes__code_coder(qes_store *st, const char *name, int create, long long *id,
		    qes_error *err)
{
	if (!name || !*name)
		return qes_error_set(err, QES_EINVAL, "a coder needs a name (--as NAME)");
	int rc = qes__code_lookup(st, "code_coders", "name", name, "coder", id, err);
	if (rc != QES_ENOTFOUND || !create)
		return rc;
	qes_error_clear(err);
	char guid[37];
	qes_code_guid(guid);
	sqlite3_stmt *s = NULL;
	if ((rc = qes__code_prep(st, &s, "INSERT INTO code_coders(guid, name) VALUES (?, ?)", err)))
		return rc;
	sqlite3_bind_text(s, 1, guid, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 2, name, -1, SQLITE_TRANSIENT);
	if ((rc = qes__code_done_stmt(st, s, "adding a coder", err)))
		return rc;
	*id = sqlite3_last_insert_rowid(qes_store_db(st));
	return 0;
}

int qes__code_note(qes_store *st, const char *type, long long target, long long coder,
		   const char *text, qes_error *err)
{
	char guid[37];
	if (qes__text_limit("a note", text, QES_MAX_LONG_TEXT, err))
		return err->code;
	qes_code_guid(guid);
	sqlite3_stmt *s = NULL;
	int rc = qes__code_prep(st, &s, "INSERT INTO code_notes(guid, target_type, target_id,"
				" coder_id, text) VALUES (?, ?, ?, ?, ?)", err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, guid, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 2, type, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, target);
	if (coder)
		sqlite3_bind_int64(s, 4, coder);
	else
		sqlite3_bind_null(s, 4);
	sqlite3_bind_text(s, 5, text, -1, SQLITE_TRANSIENT);
	return qes__code_done_stmt(st, s, "adding a note", err);
}

int qes__code_txn(qes_store *st, int rc, qes_error *err)
{
	if (rc) {
		qes_store_rollback(st);
		return rc;
	}
	return qes_store_commit(st, err);
}

int qes__code_viewer(qes_store *st, const char *as, long long *uid, qes_error *err)
{
	*uid = -1;
	if (!as)
		return 0;
	*uid = 0;
	if (!*as)
		return 0;
	int rc = qes__code_coder(st, as, 0, uid, err);
	if (rc == QES_ENOTFOUND) {
		qes_error_clear(err);   /* coded nothing: sees others' unblinded codings */
		*uid = 0;
		rc = 0;
	}
	return rc;
}
