/* theme_list.c: the theme tree with counts, and a theme's trace (every
 * span, source, study, case and perspective it rests on). */
#include "theme_internal.h"
#include "code_internal.h"

#include <stdlib.h>
#include <string.h>

static json_t *col_str(sqlite3_stmt *s, int i)
{
	return sqlite3_column_type(s, i) == SQLITE_NULL ? json_null()
		: json_string((const char *)sqlite3_column_text(s, i));
}

/* Runs sql (?1 id, ?2 the viewer's coder id, when used) and returns column 0 of each
 * row as a JSON array of strings. */
static json_t *strings(qes_store *st, const char *sql, long long id, long long uid,
		       qes_error *err)
{
	sqlite3_stmt *s = NULL;
	if (qes__code_prep(st, &s, sql, err))
		return NULL;
	if (sqlite3_bind_parameter_count(s))
		sqlite3_bind_int64(s, 1, id);
	if (sqlite3_bind_parameter_count(s) >= 2)
		sqlite3_bind_int64(s, 2, uid);
	json_t *a = json_array();
	while (a && sqlite3_step(s) == SQLITE_ROW)
		json_array_append_new(a, col_str(s, 0));
	sqlite3_finalize(s);
	if (!a)
		qes_error_set(err, QES_ENOMEM, "out of memory");
	return a;
}

json_t *qes_theme_list_json(qes_store *st, const char *as, qes_error *err)
{
	long long uid;
	if (qes__code_viewer(st, as, &uid, err) || qes__theme_spans(st, as, err))
		return NULL;
	sqlite3_stmt *s = NULL;
	if (qes__code_prep(st, &s,
		"SELECT t.id, t.name, t.level, p.name, t.description,"
		" (SELECT count(*) FROM temp.theme_code WHERE theme_id = t.id),"
		" (SELECT count(*) FROM temp.theme_span WHERE theme_id = t.id),"
		" (SELECT count(DISTINCT k.source_id) FROM temp.theme_span ts"
		"   JOIN code_codings k ON k.id = ts.coding_id WHERE ts.theme_id = t.id),"
		" (SELECT count(DISTINCT so.study_id) FROM temp.theme_span ts"
		"   JOIN code_codings k ON k.id = ts.coding_id JOIN code_sources so ON so.id = k.source_id"
		"   WHERE ts.theme_id = t.id),"
		" (SELECT count(DISTINCT tc.case_id) FROM temp.theme_span ts"
		"   JOIN temp.theme_case tc ON tc.coding_id = ts.coding_id WHERE ts.theme_id = t.id),"
		" (SELECT json_group_array(path) FROM (SELECT c.path FROM code_theme_codes tc"
		"   JOIN code_codes c ON c.id = tc.code_id WHERE tc.theme_id = t.id"
		"   AND " QES__CODE_NAME_VISIBLE("?1", "c") " ORDER BY c.path)),"
		" (SELECT json_group_array(name) FROM (SELECT g.name FROM code_theme_links l"
		"   JOIN code_themes g ON g.id = l.child_id WHERE l.parent_id = t.id"
		"   ORDER BY g.position, g.id)),"
		" (SELECT count(DISTINCT passage) FROM temp.theme_passage WHERE grp = t.id),"
		" (SELECT count(*) FROM synth_comments c WHERE c.status IN ('adopted', 'partly')"
		"   AND ((c.target_kind = 'theme' AND c.target_id = t.id) OR EXISTS (SELECT 1"
		"   FROM synth_comment_affects a WHERE a.comment_id = c.id AND a.kind = 'theme'"
		"   AND a.target_id = t.id)))"
		" FROM code_themes t LEFT JOIN code_themes p ON p.id = t.parent_id" THEME_TREE_ORDER, err))
		return NULL;
	/* The theme's own codes and grouped themes come with its row (as JSON
	 * arrays, like the trace's cases) rather than two queries per theme;
	 * codes the inductive blinding hides from `as` are left out. */
	sqlite3_bind_int64(s, 1, uid);
	json_t *out = json_array();
	while (out && sqlite3_step(s) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(s, 0);
		json_t *codes = json_loads((const char *)sqlite3_column_text(s, 10), 0, NULL);
		json_t *themes = json_loads((const char *)sqlite3_column_text(s, 11), 0, NULL);
		json_t *o = json_pack("{s:I,s:o,s:o,s:o,s:o,s:o,s:o,s:{s:I,s:I,s:I,s:I,s:I,s:I},s:I}",
			"id", (json_int_t)id, "name", col_str(s, 1), "level", col_str(s, 2),
			"parent", col_str(s, 3), "description", col_str(s, 4),
			"codes", codes ? codes : json_null(), "themes", themes ? themes : json_null(),
			"counts", "codes", (json_int_t)sqlite3_column_int64(s, 5),
			"spans", (json_int_t)sqlite3_column_int64(s, 6),
			"passages", (json_int_t)sqlite3_column_int64(s, 12),
			"sources", (json_int_t)sqlite3_column_int64(s, 7),
			"studies", (json_int_t)sqlite3_column_int64(s, 8),
			"cases", (json_int_t)sqlite3_column_int64(s, 9),
			"advisor_changes", (json_int_t)sqlite3_column_int64(s, 13));
		if (!codes || !themes || !o || json_array_append_new(out, o)) {
			json_decref(out);
			out = NULL;
			if (!err || !err->code)
				qes_error_set(err, QES_ENOMEM, "out of memory");
		}
	}
	sqlite3_finalize(s);
	return out;
}

/* One span of the trace; cases and perspectives come as JSON arrays. */
static json_t *trace_span(sqlite3_stmt *s)
{
	json_t *cases = json_loads((const char *)sqlite3_column_text(s, 11), 0, NULL);
	json_t *persp = json_loads((const char *)sqlite3_column_text(s, 12), 0, NULL);
	json_t *o = NULL;
	if (cases && persp)
		o = json_pack("{s:I,s:I,s:o,s:o,s:o,s:o,s:o,s:I,s:I,s:o,s:o,s:b,s:O,s:O}",
			"passage", (json_int_t)sqlite3_column_int64(s, 13),
			"id", (json_int_t)sqlite3_column_int64(s, 0), "guid", col_str(s, 1),
			"source", col_str(s, 2), "study", col_str(s, 3), "code", col_str(s, 4),
			"coder", col_str(s, 8), "start", (json_int_t)sqlite3_column_int64(s, 5),
			"end", (json_int_t)sqlite3_column_int64(s, 6), "text", col_str(s, 7),
			"kind", col_str(s, 9), "illustrative", sqlite3_column_int(s, 10),
			"cases", cases, "perspectives", persp);
	json_decref(cases);
	json_decref(persp);
	return o;
}

/* substr counts code points, as the offsets do. */
static const char trace_sql[] =
	"SELECT k.id, k.guid, so.name, sd.key, c.path, k.start, k.end,"
	" substr(so.text, k.start + 1, k.end - k.start), u.name, k.kind, k.illustrative,"
	" (SELECT json_group_array(name) FROM (SELECT cc.name FROM temp.theme_case tc"
	"   JOIN code_cases cc ON cc.id = tc.case_id WHERE tc.coding_id = k.id ORDER BY cc.name)),"
	" (SELECT json_group_array(value) FROM (SELECT DISTINCT a.value FROM temp.theme_case tc"
	"   JOIN code_case_attrs a ON a.case_id = tc.case_id AND a.key = 'perspective'"
	"   WHERE tc.coding_id = k.id ORDER BY 1)), p.passage"
	" FROM temp.theme_span ts JOIN code_codings k ON k.id = ts.coding_id"
	" JOIN temp.theme_passage p ON p.grp = ts.theme_id AND p.coding_id = k.id"
	" JOIN code_sources so ON so.id = k.source_id LEFT JOIN studies sd ON sd.id = so.study_id"
	" JOIN code_codes c ON c.id = k.code_id JOIN code_coders u ON u.id = k.coder_id"
	" WHERE ts.theme_id = ? ORDER BY so.id, k.start, k.end, k.id";

/* The deduplicated lists: every query takes the theme id. */
static const struct { const char *key, *sql; } lists[] = {
	{ "codes", "SELECT c.path FROM temp.theme_code tc JOIN code_codes c ON c.id = tc.code_id"
		   " WHERE tc.theme_id = ?1 AND " QES__CODE_NAME_VISIBLE("?2", "c") " ORDER BY c.path" },
	{ "themes", "WITH RECURSIVE edges(p, c) AS (SELECT parent_id, child_id FROM code_theme_links"
		    " UNION ALL SELECT parent_id, id FROM code_themes WHERE parent_id IS NOT NULL),"
		    " tree(id) AS (SELECT ?1 UNION SELECT e.c FROM tree t JOIN edges e ON e.p = t.id)"
		    " SELECT th.name FROM tree t JOIN code_themes th ON th.id = t.id WHERE t.id <> ?1"
		    " ORDER BY th.name" },
	{ "sources", "SELECT DISTINCT so.name FROM temp.theme_span ts JOIN code_codings k"
		     " ON k.id = ts.coding_id JOIN code_sources so ON so.id = k.source_id"
		     " WHERE ts.theme_id = ? ORDER BY 1" },
	{ "studies", "SELECT DISTINCT sd.key FROM temp.theme_span ts JOIN code_codings k"
		     " ON k.id = ts.coding_id JOIN code_sources so ON so.id = k.source_id"
		     " JOIN studies sd ON sd.id = so.study_id WHERE ts.theme_id = ? ORDER BY 1" },
	{ "cases", "SELECT DISTINCT c.name FROM temp.theme_span ts JOIN temp.theme_case tc"
		   " ON tc.coding_id = ts.coding_id JOIN code_cases c ON c.id = tc.case_id"
		   " WHERE ts.theme_id = ? ORDER BY 1" },
	{ "perspectives", "SELECT DISTINCT a.value FROM temp.theme_span ts JOIN temp.theme_case tc"
			  " ON tc.coding_id = ts.coding_id JOIN code_case_attrs a ON a.case_id = tc.case_id"
			  " AND a.key = 'perspective' WHERE ts.theme_id = ? ORDER BY 1" },
};

/* The theme's distinct passages (qes__code_passages): the stretch of text
 * they cover, and which coders coded it with how many spans. */
static const char passages_sql[] =
	"SELECT p.passage, so.name, sd.key, min(k.start), max(k.end),"
	" substr(so.text, min(k.start) + 1, max(k.end) - min(k.start)), count(*),"
	" (SELECT json_group_object(name, n) FROM (SELECT u.name, count(*) AS n"
	"   FROM temp.theme_passage q JOIN code_codings k2 ON k2.id = q.coding_id"
	"   JOIN code_coders u ON u.id = k2.coder_id WHERE q.grp = p.grp AND q.passage = p.passage"
	"   GROUP BY u.name ORDER BY u.name))"
	" FROM temp.theme_passage p JOIN code_codings k ON k.id = p.coding_id"
	" JOIN code_sources so ON so.id = k.source_id LEFT JOIN studies sd ON sd.id = so.study_id"
	" WHERE p.grp = ? GROUP BY p.passage ORDER BY so.id, min(k.start), p.passage";

/* What advisors said on the theme, or what the team changed in it after
 * an advisor's comment: the comment, who, its status and the change. */
static const char advisors_sql[] =
	"SELECT coalesce(json_group_array(json_object('comment', id, 'advisor', advisor, 'text',"
	" text, 'on_theme', json(CASE WHEN on_theme THEN 'true' ELSE 'false' END), 'status', status,"
	" 'change', change, 'responded_at', responded_at)), '[]')"
	" FROM (SELECT c.id, coalesce(a.name, 'the group') AS advisor, c.text,"
	" c.target_kind = 'theme' AND c.target_id = ?1 AS on_theme, c.status, c.change, c.responded_at"
	" FROM synth_comments c LEFT JOIN synth_advisors a ON a.id = c.advisor_id"
	" WHERE (c.target_kind = 'theme' AND c.target_id = ?1) OR EXISTS (SELECT 1 FROM"
	"   synth_comment_affects x WHERE x.comment_id = c.id AND x.kind = 'theme'"
	"   AND x.target_id = ?1) ORDER BY c.id)";

static int trace_advisors(qes_store *st, long long id, json_t *out, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = qes__code_prep(st, &s, advisors_sql, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, id);
	json_t *a = sqlite3_step(s) == SQLITE_ROW
		? json_loads((const char *)sqlite3_column_text(s, 0), 0, NULL) : NULL;
	sqlite3_finalize(s);
	if (!a || json_object_set_new(out, "advisors", a))
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	return 0;
}

static int trace_passages(qes_store *st, long long id, json_t *out, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = qes__code_prep(st, &s, passages_sql, err);
	json_t *a = json_array();
	if (rc || !a || json_object_set_new(out, "passages", a)) {
		sqlite3_finalize(s);
		return rc ? rc : qes_error_set(err, QES_ENOMEM, "out of memory");
	}
	sqlite3_bind_int64(s, 1, id);
	while (!rc && sqlite3_step(s) == SQLITE_ROW) {
		json_t *coders = json_loads((const char *)sqlite3_column_text(s, 7), 0, NULL);
		json_t *o = coders ? json_pack("{s:I,s:o,s:o,s:I,s:I,s:o,s:I,s:o}",
			"passage", (json_int_t)sqlite3_column_int64(s, 0), "source", col_str(s, 1),
			"study", col_str(s, 2), "start", (json_int_t)sqlite3_column_int64(s, 3),
			"end", (json_int_t)sqlite3_column_int64(s, 4), "text", col_str(s, 5),
			"spans", (json_int_t)sqlite3_column_int64(s, 6), "coders", coders) : NULL;
		if (!o || json_array_append_new(a, o))
			rc = qes_error_set(err, QES_ENOMEM, "out of memory");
	}
	sqlite3_finalize(s);
	return rc;
}

json_t *qes_theme_trace_json(qes_store *st, const char *theme, const char *as,
			     qes_error *err)
{
	long long id = 0, uid;
	sqlite3_stmt *s = NULL;
	if (qes_theme_find(st, theme, &id, err) || qes__code_viewer(st, as, &uid, err) ||
	    qes__theme_spans(st, as, err) ||
	    qes__code_prep(st, &s, "SELECT name, level FROM code_themes WHERE id = ?", err))
		return NULL;
	sqlite3_bind_int64(s, 1, id);
	json_t *out = sqlite3_step(s) == SQLITE_ROW
		? json_pack("{s:o,s:o}", "theme", col_str(s, 0), "level", col_str(s, 1)) : NULL;
	sqlite3_finalize(s);
	s = NULL;
	json_t *spans = json_array();
	for (size_t i = 0; out && i < sizeof(lists) / sizeof(lists[0]); i++) {
		json_t *l = strings(st, lists[i].sql, id, uid, err);
		if (!l || json_object_set_new(out, lists[i].key, l))
			goto fail;
		if (i == 1 && json_object_set(out, "spans", spans))   /* keep the key order */
			goto fail;
	}
	if (!out || !spans || trace_passages(st, id, out, err) || trace_advisors(st, id, out, err) ||
	    qes__code_prep(st, &s, trace_sql, err))
		goto fail;
	sqlite3_bind_int64(s, 1, id);
	while (sqlite3_step(s) == SQLITE_ROW) {
		json_t *o = trace_span(s);
		if (!o || json_array_append_new(spans, o))
			goto fail;
	}
	sqlite3_finalize(s);
	json_decref(spans);
	return out;
fail:
	sqlite3_finalize(s);
	json_decref(spans);
	json_decref(out);
	if (!err || !err->code)
		qes_error_set(err, QES_ENOMEM, "out of memory");
	return NULL;
}
