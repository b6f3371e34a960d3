/* theme_matrix.c: the theme-by-perspective matrix (or any case attribute)
 * and the framework matrix (studies or cases by themes, with the
 * analyst's cell summaries). */
#include "theme_internal.h"
#include "text_limit.h"
#include "code_internal.h"
#include "study_internal.h"

#include <stdlib.h>
#include <string.h>

#define NONE "(none)"

static json_t *counts(sqlite3_stmt *s, int at)
{
	return json_pack("{s:I,s:I,s:I,s:I}", "studies", (json_int_t)sqlite3_column_int64(s, at),
			 "sources", (json_int_t)sqlite3_column_int64(s, at + 1),
			 "spans", (json_int_t)sqlite3_column_int64(s, at + 2),
			 "passages", (json_int_t)sqlite3_column_int64(s, at + 3));
}

/* A span's values: its cases' values of the attribute, or "(none)". */
#define SPAN_VALUES \
	" WITH val(coding_id, value) AS (SELECT DISTINCT tc.coding_id, a.value" \
	"   FROM temp.theme_case tc JOIN code_case_attrs a ON a.case_id = tc.case_id AND a.key = ?1" \
	"   WHERE tc.coding_id IN (SELECT coding_id FROM temp.theme_span)" \
	" UNION SELECT DISTINCT ts.coding_id, '" NONE "' FROM temp.theme_span ts" \
	"   WHERE NOT EXISTS (SELECT 1 FROM temp.theme_case tc JOIN code_case_attrs a" \
	"     ON a.case_id = tc.case_id AND a.key = ?1 WHERE tc.coding_id = ts.coding_id))"

/* Columns: the values in use, "(none)" last. */
static json_t *matrix_columns(qes_store *st, const char *attr, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	if (qes__code_prep(st, &s, SPAN_VALUES " SELECT DISTINCT value FROM val"
			   " ORDER BY value = '" NONE "', value", err))
		return NULL;
	sqlite3_bind_text(s, 1, attr, -1, SQLITE_TRANSIENT);
	json_t *cols = json_array();
	while (cols && sqlite3_step(s) == SQLITE_ROW)
		json_array_append_new(cols, json_string((const char *)sqlite3_column_text(s, 0)));
	sqlite3_finalize(s);
	return cols;
}

/* One row per theme in tree order with its total; cells added after. */
static int matrix_rows(qes_store *st, json_t *rows, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = qes__code_prep(st, &s,
		"SELECT t.id, t.name, t.level, p.name,"
		" count(DISTINCT so.study_id), count(DISTINCT k.source_id), count(DISTINCT k.id),"
		" count(DISTINCT pa.passage)"
		" FROM code_themes t LEFT JOIN code_themes p ON p.id = t.parent_id"
		" LEFT JOIN temp.theme_span ts ON ts.theme_id = t.id"
		" LEFT JOIN temp.theme_passage pa ON pa.grp = ts.theme_id AND pa.coding_id = ts.coding_id"
		" LEFT JOIN code_codings k ON k.id = ts.coding_id"
		" LEFT JOIN code_sources so ON so.id = k.source_id"
		" GROUP BY t.id" THEME_TREE_ORDER, err);
	if (rc)
		return rc;
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *parent = (const char *)sqlite3_column_text(s, 3);
		json_t *r = json_pack("{s:I,s:s,s:s,s:o,s:{},s:o}",
			"id", (json_int_t)sqlite3_column_int64(s, 0),
			"theme", (const char *)sqlite3_column_text(s, 1),
			"level", (const char *)sqlite3_column_text(s, 2),
			"parent", parent ? json_string(parent) : json_null(), "cells",
			"total", counts(s, 4));
		if (!r || json_array_append_new(rows, r)) {
			rc = qes_error_set(err, QES_ENOMEM, "out of memory");
			break;
		}
	}
	sqlite3_finalize(s);
	return rc;
}

static json_t *row_by_id(json_t *rows, long long id)
{
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
		if (json_integer_value(json_object_get(r, "id")) == id)
			return r;
	return NULL;
}

static int matrix_cells(qes_store *st, const char *attr, json_t *rows, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = qes__code_prep(st, &s, SPAN_VALUES
		" SELECT ts.theme_id, v.value, count(DISTINCT so.study_id),"
		" count(DISTINCT k.source_id), count(DISTINCT k.id), count(DISTINCT pa.passage)"
		" FROM temp.theme_span ts JOIN val v ON v.coding_id = ts.coding_id"
		" JOIN temp.theme_passage pa ON pa.grp = ts.theme_id AND pa.coding_id = ts.coding_id"
		" JOIN code_codings k ON k.id = ts.coding_id JOIN code_sources so ON so.id = k.source_id"
		" GROUP BY ts.theme_id, v.value", err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, attr, -1, SQLITE_TRANSIENT);
	while (sqlite3_step(s) == SQLITE_ROW) {
		json_t *r = row_by_id(rows, sqlite3_column_int64(s, 0));
		if (r && json_object_set_new(json_object_get(r, "cells"),
					     (const char *)sqlite3_column_text(s, 1), counts(s, 2))) {
			rc = qes_error_set(err, QES_ENOMEM, "out of memory");
			break;
		}
	}
	sqlite3_finalize(s);
	return rc;
}

/* An attribute named by the user must be one some case has, or a declared
 * variable: a misspelt one would give a matrix of "(none)" only. */
static int attribute_known(qes_store *st, const char *attr, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = qes__code_prep(st, &s,
		"SELECT EXISTS (SELECT 1 FROM code_case_attrs WHERE key = ?1)"
		" OR EXISTS (SELECT 1 FROM code_variables WHERE name = ?1),"
		" (SELECT group_concat(key, ', ') FROM (SELECT key FROM code_case_attrs"
		"  UNION SELECT name FROM code_variables ORDER BY 1))", err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, attr, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(s) != SQLITE_ROW)
		rc = qes_store_sqlerr(st, err, "reading case attributes");
	else if (!sqlite3_column_int(s, 0))
		rc = qes_error_set(err, QES_ENOTFOUND, "no case has the attribute '%s' (attributes: %s)",
				   attr, sqlite3_column_type(s, 1) == SQLITE_NULL ? "none yet"
				   : (const char *)sqlite3_column_text(s, 1));
	sqlite3_finalize(s);
	return rc;
}

json_t *qes_query_matrix_json(qes_store *st, const char *attribute, const char *as,
			      qes_error *err)
{
	const char *attr = attribute && *attribute ? attribute : "perspective";
	if ((attribute && *attribute && attribute_known(st, attr, err)) ||
	    qes__theme_spans(st, as, err))
		return NULL;
	json_t *cols = matrix_columns(st, attr, err), *rows = json_array();
	json_t *out = cols && rows ? json_pack("{s:s,s:O,s:O}", "attribute", attr,
					       "columns", cols, "rows", rows) : NULL;
	if (!out || matrix_rows(st, rows, err) || matrix_cells(st, attr, rows, err)) {
		json_decref(out);
		out = NULL;
		if (!err || !err->code)
			qes_error_set(err, QES_ENOMEM, "out of memory");
	}
	json_decref(cols);
	json_decref(rows);
	return out;
}

/* --- Framework matrix ---------------------------------------------------- */

/* Every (row, theme, coding), numbered within its cell in the order the
 * quote is chosen (illustrative first, then quotations, then source
 * order); only the first of a cell fetches its text and the analyst's
 * summary (?2 the row kind). Row ids: study or case id, 0 for "(none)". */
#define FW_SQL(ROW_ID, ROW_KEY, JOINS) \
	"SELECT rid, rkey, theme_id, name, CASE WHEN rn = 1 THEN (SELECT substr(text, st + 1," \
	" en - st) FROM code_sources WHERE id = sid) END, CASE WHEN rn = 1 THEN (SELECT m.text" \
	" FROM theme_summaries m WHERE m.row_kind = ?2 AND m.row_id = f.rid" \
	" AND m.theme_id = f.theme_id) END, pn FROM (SELECT " ROW_ID " AS rid," \
	" " ROW_KEY " AS rkey, ts.theme_id, th.name, k.source_id AS sid, k.start AS st, k.end AS en," \
	" row_number() OVER (PARTITION BY " ROW_ID ", ts.theme_id ORDER BY k.illustrative DESC," \
	"  k.kind = 'quote' DESC, k.source_id, k.start, k.id) AS rn," \
	" row_number() OVER (PARTITION BY " ROW_ID ", ts.theme_id, pa.passage) AS pn" \
	" FROM temp.theme_span ts JOIN code_themes th ON th.id = ts.theme_id" \
	" JOIN temp.theme_passage pa ON pa.grp = ts.theme_id AND pa.coding_id = ts.coding_id" \
	" JOIN code_codings k ON k.id = ts.coding_id " JOINS \
	" WHERE ?1 IS NULL OR th.level = ?1) f" \
	" ORDER BY rkey = '" NONE "', rkey, rid, theme_id, rn"
static const char fw_study_sql[] = FW_SQL("coalesce(so.study_id, 0)", "coalesce(sd.key, '" NONE "')",
	"JOIN code_sources so ON so.id = k.source_id LEFT JOIN studies sd ON sd.id = so.study_id");
static const char fw_case_sql[] = FW_SQL("coalesce(tc.case_id, 0)", "coalesce(c.name, '" NONE "')",
	"LEFT JOIN temp.theme_case tc ON tc.coding_id = k.id LEFT JOIN code_cases c ON c.id = tc.case_id");

/* Adds one coding to its row's cell: the first coding seen sets the quote. */
static int fw_add(qes_store *st, const char *by, json_t *rows, sqlite3_stmt *s)
{
	const char *key = (const char *)sqlite3_column_text(s, 1);
	const char *theme = (const char *)sqlite3_column_text(s, 3);
	json_t *last = json_array_get(rows, json_array_size(rows) - 1);
	if (!last || strcmp(json_string_value(json_object_get(last, "row")), key)) {
		char *label = NULL;
		if (!strcmp(by, "study") && sqlite3_column_int64(s, 0))
			label = qes__study_label(st, sqlite3_column_int64(s, 0));
		last = json_pack("{s:s,s:s,s:{}}", "row", key, "label", label ? label : key, "cells");
		free(label);
		if (!last || json_array_append_new(rows, last))
			return QES_ENOMEM;
	}
	json_t *cells = json_object_get(last, "cells"), *c = json_object_get(cells, theme);
	int new_passage = sqlite3_column_int64(s, 6) == 1;   /* its passage's first span here */
	if (c)
		return json_object_set_new(c, "spans",
			json_integer(json_integer_value(json_object_get(c, "spans")) + 1)) ||
		       json_object_set_new(c, "passages",
			json_integer(json_integer_value(json_object_get(c, "passages")) + new_passage))
			? QES_ENOMEM : 0;
	const char *q = (const char *)sqlite3_column_text(s, 4);
	const char *sum = (const char *)sqlite3_column_text(s, 5);
	c = json_pack("{s:i,s:i,s:s,s:o}", "spans", 1, "passages", 1, "quote", q ? q : "",
		      "summary", sum ? json_string(sum) : json_null());
	return !c || json_object_set_new(cells, theme, c) ? QES_ENOMEM : 0;
}

json_t *qes_query_framework_json(qes_store *st, const char *by, const char *level,
				 const char *as, qes_error *err)
{
	by = by ? by : "study";
	if (strcmp(by, "study") && strcmp(by, "case")) {
		qes_error_set(err, QES_EINVAL, "--by is study or case");
		return NULL;
	}
	sqlite3_stmt *s = NULL;
	json_t *rows = json_array(), *themes = NULL, *out = NULL;
	if (qes__theme_spans(st, as, err) ||
	    qes__code_prep(st, &s, "SELECT t.name FROM code_themes t LEFT JOIN code_themes p"
			   " ON p.id = t.parent_id WHERE ?1 IS NULL OR t.level = ?1" THEME_TREE_ORDER, err))
		goto out;
	if (level)
		sqlite3_bind_text(s, 1, level, -1, SQLITE_TRANSIENT);
	themes = json_array();
	while (themes && sqlite3_step(s) == SQLITE_ROW)
		json_array_append_new(themes, json_string((const char *)sqlite3_column_text(s, 0)));
	sqlite3_finalize(s);
	s = NULL;
	if (qes__code_prep(st, &s, !strcmp(by, "study") ? fw_study_sql : fw_case_sql, err))
		goto out;
	if (level)
		sqlite3_bind_text(s, 1, level, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 2, by, -1, SQLITE_STATIC);
	int rc = 0;
	while (!rc && rows && sqlite3_step(s) == SQLITE_ROW)
		rc = fw_add(st, by, rows, s);
	if (!rc && rows && themes)
		out = json_pack("{s:s,s:O,s:O}", "by", by, "themes", themes, "rows", rows);
	if (!out)
		qes_error_set(err, QES_ENOMEM, "out of memory");
out:
	sqlite3_finalize(s);
	json_decref(rows);
	json_decref(themes);
	return out;
}

static int summary_set(qes_store *st, const char *by, const char *row, const char *theme,
		       const char *text, qes_error *err)
{
	long long tid = 0, rid = 0;
	int rc;
	if (!by || (strcmp(by, "study") && strcmp(by, "case")))
		return qes_error_set(err, QES_EINVAL, "a cell summary is by study or by case");
	if ((rc = qes_theme_find(st, theme, &tid, err)))
		return rc;
	rc = !strcmp(by, "study")
		? qes__code_lookup(st, "studies", "key", row, "study", &rid, err)
		: qes__code_lookup(st, "code_cases", "name", row, "case", &rid, err);
	if (rc)
		return rc;
	if (!text || !*text)
		return qes__theme_exec(st, "DELETE FROM theme_summaries WHERE theme_id = ?"
				       " AND row_kind = ? AND row_id = ?", "iti", err, tid, by, rid);
	return qes__theme_exec(st, "INSERT INTO theme_summaries(theme_id, row_kind, row_id, text)"
			       " VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO UPDATE SET text = ?4,"
			       " updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now')", "itit", err,
			       tid, by, rid, text);
}

int qes_theme_summary_set(qes_store *st, const char *by, const char *row,
			  const char *theme, const char *text, qes_error *err)
{
	if (qes__text_limit("a summary", text, QES_MAX_LONG_TEXT, err))
		return err->code;
	int rc = qes_store_begin(st, err);
	if (rc)
		return rc;
	return qes__code_txn(st, summary_set(st, by, row, theme, text, err), err);
}
