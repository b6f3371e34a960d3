/* code_edit.c: changing and deleting codings (only their coder or an owner
 * may), and the views a coding editor needs (the web page): sources with
 * the asking coder's progress, the code tree with counts, notes. Every view
 * applies the blinding of qes_code_list_json: on a sampled source that
 * fewer than two coders have marked done, a coder sees only their own. */
#include "code_internal.h"

#include <stdlib.h>
#include <string.h>

#define VISIBLE QES__CODE_VISIBLE("?1")

static json_t *oom(json_t *v, qes_error *err)
{
	json_decref(v);
	qes_error_set(err, QES_ENOMEM, "out of memory");
	return NULL;
}

static json_t *col_str(sqlite3_stmt *s, int i)
{
	return sqlite3_column_type(s, i) == SQLITE_NULL ? json_null()
		: json_string((const char *)sqlite3_column_text(s, i));
}

/* Steps s to the end, appending row(s) to a new array; finalizes s. */
static json_t *rows_json(qes_store *st, sqlite3_stmt *s, json_t *(*row)(sqlite3_stmt *),
			 const char *what, qes_error *err)
{
	json_t *out = json_array();
	int step = SQLITE_DONE;
	while (out && (step = sqlite3_step(s)) == SQLITE_ROW) {
		if (json_array_append_new(out, row(s))) {
			out = oom(out, err);
			break;
		}
	}
	if (!out && step == SQLITE_DONE)
		qes_error_set(err, QES_ENOMEM, "out of memory");
	if (out && step != SQLITE_DONE) {
		json_decref(out);
		out = NULL;
		qes_store_sqlerr(st, err, what);
	}
	sqlite3_finalize(s);
	return out;
}

/* --- Changing codings ---------------------------------------------------- */

/* May `by` (or anyone, with any) change coding id? Inside a transaction. */
static int may_change(qes_store *st, long long id, const char *by, int any, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = qes__code_prep(st, &s, "SELECT u.name FROM code_codings c JOIN code_coders u"
				" ON u.id = c.coder_id WHERE c.id = ?", err);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, id);
	int step = sqlite3_step(s);
	if (step == SQLITE_DONE)
		rc = qes_error_set(err, QES_ENOTFOUND, "no coding #%lld", id);
	else if (step != SQLITE_ROW)
		rc = qes_store_sqlerr(st, err, "finding a coding");
	else if (!any && (!by || strcmp(by, (const char *)sqlite3_column_text(s, 0))))
		rc = qes_error_set(err, QES_EPERM, "coding #%lld is %s's: only they or an owner may"
				   " change it", id, (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return rc;
}

int qes_code_coding_update(qes_store *st, long long id, const char *by, int any,
			   const qes_code_change *c, qes_error *err)
{
	if (c->kind && strcmp(c->kind, "") && strcmp(c->kind, "quote") &&
	    strcmp(c->kind, "interpretation"))
		return qes_error_set(err, QES_EINVAL, "a coding's kind is quote, interpretation"
				     " or nothing, not '%s'", c->kind);
	if (c->illustrative < -1 || c->illustrative > 1)
		return qes_error_set(err, QES_EINVAL, "illustrative is 0 or 1");
	long long cid = 0;
	sqlite3_stmt *s = NULL;
	int rc = qes_store_begin(st, err);
	if (rc)
		return rc;
	if ((rc = may_change(st, id, by, any, err)))
		goto out;
	if (c->code && (rc = qes_code_find_code(st, c->code, &cid, err)))
		goto out;
	if ((rc = qes__code_prep(st, &s, "UPDATE code_codings SET"
				 " code_id = coalesce(?1, code_id), kind = coalesce(?2, kind),"
				 " illustrative = CASE WHEN ?3 < 0 THEN illustrative ELSE ?3 END"
				 " WHERE id = ?4", err)))
		goto out;
	if (cid)
		sqlite3_bind_int64(s, 1, cid);
	if (c->kind)
		sqlite3_bind_text(s, 2, c->kind, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(s, 3, c->illustrative);
	sqlite3_bind_int64(s, 4, id);
	rc = qes__code_done_stmt(st, s, "changing a coding", err);
out:
	return qes__code_txn(st, rc, err);
}

int qes_code_coding_delete(qes_store *st, long long id, const char *by, int any,
			   qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = qes_store_begin(st, err);
	if (rc)
		return rc;
	if ((rc = may_change(st, id, by, any, err)))
		goto out;
	if ((rc = qes__code_prep(st, &s, "DELETE FROM code_notes WHERE target_type = 'coding'"
				 " AND target_id = ?", err)))
		goto out;
	sqlite3_bind_int64(s, 1, id);
	if ((rc = qes__code_done_stmt(st, s, "deleting a coding's notes", err)))
		goto out;
	if ((rc = qes__code_prep(st, &s, "DELETE FROM code_codings WHERE id = ?", err)))
		goto out;
	sqlite3_bind_int64(s, 1, id);
	rc = qes__code_done_stmt(st, s, "deleting a coding", err);
out:
	return qes__code_txn(st, rc, err);
}

/* --- Views --------------------------------------------------------------- */

static json_t *source_row(sqlite3_stmt *s)
{
	int sampled = sqlite3_column_int(s, 5), done_by = sqlite3_column_int(s, 8);
	int as = sqlite3_column_int64(s, 9) >= 0;
	json_t *o = json_pack("{s:I,s:s,s:s,s:o,s:I,s:b,s:I,s:b,s:i,s:b}",
		"id", (json_int_t)sqlite3_column_int64(s, 0),
		"name", (const char *)sqlite3_column_text(s, 1),
		"kind", (const char *)sqlite3_column_text(s, 2),
		"study", col_str(s, 3),
		"length", (json_int_t)sqlite3_column_int64(s, 4),
		"sampled", sampled,
		"mine", (json_int_t)sqlite3_column_int64(s, 6),
		"done", sqlite3_column_int(s, 7),
		"done_by", done_by,
		"blinded", as && sampled && done_by < 2);
	if (o && sqlite3_column_count(s) > 10)
		json_object_set_new(o, "text", json_stringn((const char *)sqlite3_column_text(s, 10),
							    (size_t)sqlite3_column_bytes(s, 10)));
	return o;
}

/* Sources (all when sid is 0) with or without their text. */
static json_t *sources(qes_store *st, long long sid, int text, const char *as, qes_error *err)
{
	long long uid;
	sqlite3_stmt *s = NULL;
	if (qes__code_viewer(st, as, &uid, err))
		return NULL;
	char sql[1024];
	snprintf(sql, sizeof(sql),
		"SELECT so.id, so.name, so.kind, sd.key, so.length,"
		" so.id IN (SELECT source_id FROM code_sample),"
		" (SELECT count(*) FROM code_codings c WHERE c.source_id = so.id AND c.coder_id = ?1),"
		" EXISTS (SELECT 1 FROM code_done d WHERE d.source_id = so.id AND d.coder_id = ?1),"
		" (SELECT count(*) FROM code_done d WHERE d.source_id = so.id), ?1%s"
		" FROM code_sources so LEFT JOIN studies sd ON sd.id = so.study_id"
		" WHERE ?2 = 0 OR so.id = ?2 ORDER BY so.id", text ? ", so.text" : "");
	if (qes__code_prep(st, &s, sql, err))
		return NULL;
	sqlite3_bind_int64(s, 1, uid);
	sqlite3_bind_int64(s, 2, sid);
	return rows_json(st, s, source_row, "listing sources", err);
}

json_t *qes_code_sources_json(qes_store *st, const char *as, qes_error *err)
{
	return sources(st, 0, 0, as, err);
}

json_t *qes_code_source_json(qes_store *st, const char *source, const char *as,
			     qes_error *err)
{
	long long sid = 0;
	if (qes_code_source_find(st, source, &sid, err))
		return NULL;
	json_t *all = sources(st, sid, 1, as, err);
	json_t *one = json_incref(json_array_get(all, 0));
	if (all && !one)
		qes_error_set(err, QES_ENOTFOUND, "no source '%s'", source);
	json_decref(all);
	return one;
}

static json_t *code_row(sqlite3_stmt *s)
{
	return json_pack("{s:I,s:s,s:s,s:o,s:o,s:b,s:I,s:I}",
		"id", (json_int_t)sqlite3_column_int64(s, 0),
		"path", (const char *)sqlite3_column_text(s, 1),
		"name", (const char *)sqlite3_column_text(s, 2),
		"parent", col_str(s, 3),
		"colour", col_str(s, 4),
		"folder", sqlite3_column_int(s, 5),
		"codings", (json_int_t)sqlite3_column_int64(s, 6),
		"sources", (json_int_t)sqlite3_column_int64(s, 7));
}

json_t *qes_code_tree_json(qes_store *st, const char *as, qes_error *err)
{
	long long uid;
	sqlite3_stmt *s = NULL;
	if (qes__code_viewer(st, as, &uid, err))
		return NULL;
	/* A code's codings are its own and its descendants' (path prefix). */
#define UNDER " FROM code_codings c JOIN code_codes x ON x.id = c.code_id" \
	" WHERE (x.id = k.id OR substr(x.path, 1, length(k.path) + 1) = k.path || '/') AND " VISIBLE
	if (qes__code_prep(st, &s,
		"SELECT k.id, k.path, k.name, p.path, k.colour, k.is_folder,"
		" (SELECT count(*)" UNDER "), (SELECT count(DISTINCT c.source_id)" UNDER ")"
		" FROM code_codes k LEFT JOIN code_codes p ON p.id = k.parent_id"
		" WHERE " QES__CODE_NAME_VISIBLE("?1", "k") " ORDER BY k.path",
		err))
		return NULL;
#undef UNDER
	sqlite3_bind_int64(s, 1, uid);
	return rows_json(st, s, code_row, "listing codes", err);
}

static json_t *note_row(sqlite3_stmt *s)
{
	return json_pack("{s:I,s:s,s:s,s:I,s:o,s:s,s:s}",
		"id", (json_int_t)sqlite3_column_int64(s, 0),
		"guid", (const char *)sqlite3_column_text(s, 1),
		"target_type", (const char *)sqlite3_column_text(s, 2),
		"target_id", (json_int_t)sqlite3_column_int64(s, 3),
		"coder", col_str(s, 4),
		"text", (const char *)sqlite3_column_text(s, 5),
		"created_at", (const char *)sqlite3_column_text(s, 6));
}

json_t *qes_code_notes_json(qes_store *st, const char *source, const char *as,
			    qes_error *err)
{
	long long uid, sid = 0;
	sqlite3_stmt *s = NULL;
	if (qes__code_viewer(st, as, &uid, err) || qes_code_source_find(st, source, &sid, err))
		return NULL;
	/* Notes without a coder (written from the terminal without --as) are
	 * the team's and always visible. */
	if (qes__code_prep(st, &s,
		"SELECT n.id, n.guid, n.target_type, n.target_id, u.name, n.text, n.created_at"
		" FROM code_notes n LEFT JOIN code_coders u ON u.id = n.coder_id"
		" WHERE (n.target_type = 'code' AND EXISTS (SELECT 1 FROM code_codes k"
		"   WHERE k.id = n.target_id AND " QES__CODE_NAME_VISIBLE("?1", "k") "))"
		" OR (n.target_type = 'source' AND n.target_id = ?2 AND (?1 < 0"
		"   OR n.coder_id IS NULL OR n.coder_id = ?1"
		"   OR ?2 NOT IN (SELECT source_id FROM code_sample)"
		"   OR (SELECT count(*) FROM code_done d WHERE d.source_id = ?2) >= 2))"
		" OR (n.target_type = 'coding' AND n.target_id IN (SELECT c.id FROM code_codings c"
		"   WHERE c.source_id = ?2 AND " VISIBLE "))"
		" ORDER BY n.id", err))
		return NULL;
	sqlite3_bind_int64(s, 1, uid);
	sqlite3_bind_int64(s, 2, sid);
	return rows_json(st, s, note_row, "listing notes", err);
}

json_t *qes_code_coding_json(qes_store *st, long long id, const char *as, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	char *name = NULL;
	json_t *one = NULL;
	if (qes__code_prep(st, &s, "SELECT so.name FROM code_codings c JOIN code_sources so"
			   " ON so.id = c.source_id WHERE c.id = ?", err))
		return NULL;
	sqlite3_bind_int64(s, 1, id);
	int found = sqlite3_step(s) == SQLITE_ROW;
	if (found)
		name = strdup((const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	if (!name) {
		if (found)
			qes_error_set(err, QES_ENOMEM, "out of memory");
		else
			qes_error_set(err, QES_ENOTFOUND, "no coding #%lld", id);
		return NULL;
	}
	qes_code_filter f = { name, NULL, as };
	json_t *all = qes_code_list_json(st, &f, err);
	size_t i;
	json_t *v;
	json_array_foreach(all, i, v) {
		if (json_integer_value(json_object_get(v, "id")) == id)
			one = json_incref(v);
	}
	if (all && !one)
		qes_error_set(err, QES_ENOTFOUND, "no coding #%lld", id);
	json_decref(all);
	free(name);
	return one;
}
