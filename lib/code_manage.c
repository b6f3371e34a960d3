/* code_manage.c: keeping a growing code tree in order, and the listings a
 * coder works from. Thematic synthesis renames, moves and merges codes all
 * the time ("fear of removal" and "fear of losing the children" are one
 * code after the team meets); a merge keeps every span, memo and theme
 * membership of both codes, so nothing the coders did is lost. */
#include "code_internal.h"
#include "text_limit.h"

#include <stdlib.h>
#include <string.h>

static int one_int(qes_store *st, const char *sql, long long a, long long *out, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = qes__code_prep(st, &s, sql, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, a);
	*out = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_finalize(s);
	return 0;
}

/* Runs sql with up to three text/int parameters bound as given. */
static int exec3(qes_store *st, const char *sql, const char *t1, const char *t2, long long i3,
		 const char *what, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = qes__code_prep(st, &s, sql, err);
	if (rc)
		return rc;
	if (t1)
		sqlite3_bind_text(s, 1, t1, -1, SQLITE_TRANSIENT);
	if (t2)
		sqlite3_bind_text(s, 2, t2, -1, SQLITE_TRANSIENT);
	if (sqlite3_bind_parameter_count(s) >= 3)
		sqlite3_bind_int64(s, 3, i3);
	return qes__code_done_stmt(st, s, what, err);
}

/* The parent of path (created as folders when missing), 0 at the root. */
static int parent_of(qes_store *st, const char *path, long long *parent, qes_error *err)
{
	*parent = 0;
	const char *slash = strrchr(path, '/');
	if (!slash)
		return 0;
	char *pp = strndup(path, (size_t)(slash - path));
	if (!pp)
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	int rc = qes__code_lookup(st, "code_codes", "path", pp, "code", parent, err);
	if (rc == QES_ENOTFOUND) {
		/* qes_code_add opens its own transaction; the folder is made by
		 * hand here, one level at a time, inside the caller's. */
		qes_error_clear(err);
		long long grand = 0;
		if (!(rc = parent_of(st, pp, &grand, err))) {
			char guid[37];
			qes_code_guid(guid);
			const char *name = strrchr(pp, '/');
			name = name ? name + 1 : pp;
			sqlite3_stmt *s = NULL;
			if (!*name)
				rc = qes_error_set(err, QES_EINVAL, "a code path has an empty level");
			else if (!(rc = qes__code_prep(st, &s, "INSERT INTO code_codes(guid, parent_id,"
						       " name, path, is_folder) VALUES (?,?,?,?,1)", err))) {
				sqlite3_bind_text(s, 1, guid, -1, SQLITE_TRANSIENT);
				if (grand)
					sqlite3_bind_int64(s, 2, grand);
				sqlite3_bind_text(s, 3, name, -1, SQLITE_TRANSIENT);
				sqlite3_bind_text(s, 4, pp, -1, SQLITE_TRANSIENT);
				if (!(rc = qes__code_done_stmt(st, s, "adding a folder", err)))
					*parent = sqlite3_last_insert_rowid(qes_store_db(st));
			}
		}
	}
	free(pp);
	return rc;
}

static int valid_path(const char *p, qes_error *err)
{
	size_t n = strlen(p);
	if (!n || p[0] == '#' || p[0] == '/' || p[n - 1] == '/' || strstr(p, "//"))
		return qes_error_set(err, QES_EINVAL, "'%s' is not a code path (A/B/C)", p);
	return 0;
}

int qes_code_rename(qes_store *st, const char *path, const char *new_path, qes_error *err)
{
	long long id = 0, have = 0, parent = 0;
	if (qes__text_limit("a code's path", new_path, QES_MAX_NAME_TEXT, err))
		return err->code;
	int rc = valid_path(new_path, err);
	if (rc)
		return rc;
	size_t n = strlen(path);
	if (!strncmp(new_path, path, n) && (new_path[n] == '/' || !new_path[n]))
		return qes_error_set(err, QES_EINVAL, "'%s' cannot move into itself", path);
	if ((rc = qes_store_begin(st, err)))
		return rc;
	if ((rc = qes_code_find_code(st, path, &id, err)))
		goto out;
	rc = qes__code_lookup(st, "code_codes", "path", new_path, "code", &have, err);
	if (!rc) {
		rc = qes_error_set(err, QES_EEXIST, "there is already a code '%s' (qes code merge"
				   " joins two codes)", new_path);
		goto out;
	}
	qes_error_clear(err);
	if ((rc = parent_of(st, new_path, &parent, err)))
		goto out;
	const char *name = strrchr(new_path, '/');
	name = name ? name + 1 : new_path;
	sqlite3_stmt *s = NULL;
	/* The descendants first (their old prefix still names them), then
	 * the code itself. */
	if ((rc = exec3(st, "UPDATE code_codes SET path = ?2 || substr(path, length(?1) + 1)"
			" WHERE substr(path, 1, length(?1) + 1) = ?1 || '/'", path, new_path, 0,
			"moving a code's children", err)))
		goto out;
	if ((rc = qes__code_prep(st, &s, "UPDATE code_codes SET path = ?, name = ?, parent_id = ?"
				 " WHERE id = ?", err)))
		goto out;
	sqlite3_bind_text(s, 1, new_path, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 2, name, -1, SQLITE_TRANSIENT);
	if (parent)
		sqlite3_bind_int64(s, 3, parent);
	sqlite3_bind_int64(s, 4, id);
	rc = qes__code_done_stmt(st, s, "renaming a code", err);
out:
	return qes__code_txn(st, rc, err);
}

int qes_code_merge(qes_store *st, const char *from, const char *into, long *moved,
		   qes_error *err)
{
	long long a = 0, b = 0, kids = 0, after = 0;
	int rc = qes_store_begin(st, err);
	if (rc)
		return rc;
	if ((rc = qes_code_find_code(st, from, &a, err)) || (rc = qes_code_find_code(st, into, &b, err)))
		goto out;
	if (a == b) {
		rc = qes_error_set(err, QES_EINVAL, "a code cannot be merged into itself");
		goto out;
	}
	if ((rc = one_int(st, "SELECT count(*) FROM code_codes WHERE parent_id = ?", a, &kids, err)))
		goto out;
	if (kids) {
		rc = qes_error_set(err, QES_EINVAL, "'%s' has %lld code%s under it: move or merge"
				   " them first", from, kids, kids == 1 ? "" : "s");
		goto out;
	}
	/* A span both codes gave the same coder is one span after the merge;
	 * memos on the duplicate go to the span that stays. */
	char sql[2048];
	static const char twin[] =
		"(SELECT o.id FROM code_codings o, code_codings d WHERE d.id = %s"
		" AND o.code_id = %lld AND o.source_id = d.source_id AND o.coder_id = d.coder_id"
		" AND o.start = d.start AND o.end = d.end)";
	char twin_of_target[256], twin_of_row[256];
	snprintf(twin_of_target, sizeof(twin_of_target), twin, "code_notes.target_id", b);
	snprintf(twin_of_row, sizeof(twin_of_row), twin, "code_codings.id", b);
	snprintf(sql, sizeof(sql),
		 "UPDATE code_notes SET target_id = %s WHERE target_type = 'coding'"
		 " AND target_id IN (SELECT id FROM code_codings WHERE code_id = %lld)"
		 " AND %s IS NOT NULL;"
		 "DELETE FROM code_codings WHERE code_id = %lld AND %s IS NOT NULL;",
		 twin_of_target, a, twin_of_target, a, twin_of_row);
	if ((rc = qes_store_exec(st, sql, err)))
		goto out;
	if ((rc = one_int(st, "SELECT count(*) FROM code_codings WHERE code_id = ?", a, &after, err)))
		goto out;
	snprintf(sql, sizeof(sql),
		 "UPDATE code_codings SET code_id = %lld WHERE code_id = %lld;"
		 "UPDATE code_notes SET target_id = %lld WHERE target_type = 'code' AND target_id = %lld;"
		 "INSERT OR IGNORE INTO code_theme_codes(theme_id, code_id)"
		 "  SELECT theme_id, %lld FROM code_theme_codes WHERE code_id = %lld;"
		 "DELETE FROM code_theme_codes WHERE code_id = %lld;"
		 "UPDATE OR IGNORE code_concordance SET a_code_id = %lld WHERE a_code_id = %lld;"
		 "UPDATE OR IGNORE code_concordance SET b_code_id = %lld WHERE b_code_id = %lld;"
		 "DELETE FROM code_concordance WHERE a_code_id = %lld OR b_code_id = %lld;"
		 "UPDATE code_codes SET is_folder = 0 WHERE id = %lld;"
		 "DELETE FROM code_codes WHERE id = %lld;",
		 b, a, b, a, b, a, a, b, a, b, a, a, a, b, a);
	if ((rc = qes_store_exec(st, sql, err)))
		goto out;
	/* What other modules say about the code (REFI-QDA sets; findings,
	 * advisors' comments and workshops) now speaks of the merged one. */
	snprintf(sql, sizeof(sql),
		 "INSERT OR IGNORE INTO code_set_members(set_id, kind, member_id)"
		 "  SELECT set_id, 'code', %lld FROM code_set_members WHERE kind = 'code' AND member_id = %lld;"
		 "DELETE FROM code_set_members WHERE kind = 'code' AND member_id = %lld;"
		 "INSERT OR IGNORE INTO synth_finding_links(finding_id, kind, target_id)"
		 "  SELECT finding_id, 'code', %lld FROM synth_finding_links WHERE kind = 'code' AND target_id = %lld;"
		 "DELETE FROM synth_finding_links WHERE kind = 'code' AND target_id = %lld;"
		 "INSERT OR IGNORE INTO synth_comment_affects(comment_id, kind, target_id)"
		 "  SELECT comment_id, 'code', %lld FROM synth_comment_affects WHERE kind = 'code' AND target_id = %lld;"
		 "DELETE FROM synth_comment_affects WHERE kind = 'code' AND target_id = %lld;"
		 "UPDATE synth_comments SET target_id = %lld WHERE target_kind = 'code' AND target_id = %lld;"
		 "UPDATE synth_workshop_items SET target_id = %lld WHERE kind = 'code' AND target_id = %lld;",
		 b, a, a, b, a, a, b, a, a, b, a, b, a);
	if ((rc = qes_store_exec(st, sql, err)))
		goto out;
	if (moved)
		*moved = (long)after;
out:
	return qes__code_txn(st, rc, err);
}

/* --- Listings ------------------------------------------------------------- */

static json_t *col_json(sqlite3_stmt *s, int i)
{
	switch (sqlite3_column_type(s, i)) {
	case SQLITE_NULL: return json_null();
	case SQLITE_INTEGER: return json_integer(sqlite3_column_int64(s, i));
	case SQLITE_FLOAT: return json_real(sqlite3_column_double(s, i));
	default: return json_string((const char *)sqlite3_column_text(s, i));
	}
}

/* Every row of sql as an object keyed by column name. */
static json_t *rows_json(qes_store *st, const char *sql, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	if (qes__code_prep(st, &s, sql, err))
		return NULL;
	json_t *arr = json_array();
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		json_t *o = json_object();
		for (int i = 0; i < sqlite3_column_count(s); i++)
			json_object_set_new(o, sqlite3_column_name(s, i), col_json(s, i));
		json_array_append_new(arr, o);
	}
	if (step != SQLITE_DONE) {
		qes_store_sqlerr(st, err, "listing");
		json_decref(arr);
		arr = NULL;
	}
	sqlite3_finalize(s);
	return arr;
}

json_t *qes_code_cases_json(qes_store *st, qes_error *err)
{
	json_t *cases = rows_json(st, "SELECT id, name FROM code_cases ORDER BY name", err);
	if (!cases)
		return NULL;
	sqlite3_stmt *a = NULL, *l = NULL;
	if (qes__code_prep(st, &a, "SELECT key, value FROM code_case_attrs WHERE case_id = ?"
			   " ORDER BY key", err) ||
	    qes__code_prep(st, &l, "SELECT s.name, cs.line_from, cs.line_to FROM code_case_sources cs"
			   " JOIN code_sources s ON s.id = cs.source_id WHERE cs.case_id = ?"
			   " ORDER BY s.name, cs.line_from", err)) {
		sqlite3_finalize(a);
		json_decref(cases);
		return NULL;
	}
	size_t i;
	json_t *c;
	json_array_foreach(cases, i, c) {
		long long id = json_integer_value(json_object_get(c, "id"));
		json_t *attrs = json_object(), *links = json_array();
		sqlite3_bind_int64(a, 1, id);
		while (sqlite3_step(a) == SQLITE_ROW)
			json_object_set_new(attrs, (const char *)sqlite3_column_text(a, 0),
					    json_string((const char *)sqlite3_column_text(a, 1)));
		sqlite3_reset(a);
		sqlite3_bind_int64(l, 1, id);
		while (sqlite3_step(l) == SQLITE_ROW)
			json_array_append_new(links, json_pack("{ss sI sI}", "source",
				(const char *)sqlite3_column_text(l, 0), "from",
				(json_int_t)sqlite3_column_int64(l, 1), "to",
				(json_int_t)sqlite3_column_int64(l, 2)));
		sqlite3_reset(l);
		json_object_set_new(c, "attributes", attrs);
		json_object_set_new(c, "sources", links);
	}
	sqlite3_finalize(a);
	sqlite3_finalize(l);
	return cases;
}
