/* theme_table.c: the themes table of the report (the seed review's Table
 * 4): theme, subtheme, participants' quotes (first-order constructs) and,
 * apart from them, the authors' interpretations (second-order), each
 * attributed to a perspective or role and a study. JSON, CSV and an HTML
 * fragment. */
#include "theme_internal.h"
#include "code_internal.h"
#include "study_internal.h"

#include <stdlib.h>
#include <string.h>

/* Rows: subthemes, or an analytical theme without subthemes; when there
 * is no analytical theme, the descriptive themes. */
static const char rows_sql[] =
	"SELECT t.id, coalesce(p.name, t.name), CASE WHEN p.id IS NULL THEN '' ELSE t.name END"
	" FROM code_themes t LEFT JOIN code_themes p ON p.id = t.parent_id"
	" WHERE CASE WHEN EXISTS (SELECT 1 FROM code_themes WHERE level = 'analytical')"
	"  THEN t.level = 'subtheme' OR (t.level = 'analytical'"
	"   AND NOT EXISTS (SELECT 1 FROM code_themes s WHERE s.parent_id = t.id))"
	"  ELSE t.level = 'descriptive' END"
	" ORDER BY coalesce(p.position, t.position), coalesce(p.id, t.id), t.position, t.id";

/* A row's quotes, one per passage (qes__code_passages: two coders coding
 * the same words, or overlapping words, give one quote: the illustrative
 * coding's words when one is, else the stretch their spans cover):
 * illustrative first, then the rest in source order. ?3
 * chooses the construct: 1 participants' words (codings marked quote, or
 * illustrative and not marked at all), 2 authors' interpretations. */
static const char quotes_sql[] =
	"SELECT min(k.id), so.text,"
	" coalesce((SELECT k3.start FROM temp.theme_passage q3 JOIN code_codings k3"
	"   ON k3.id = q3.coding_id WHERE q3.grp = ?1 AND q3.passage = p.passage"
	"   AND k3.illustrative ORDER BY k3.id LIMIT 1), min(k.start)),"
	" coalesce((SELECT k3.end FROM temp.theme_passage q3 JOIN code_codings k3"
	"   ON k3.id = q3.coding_id WHERE q3.grp = ?1 AND q3.passage = p.passage"
	"   AND k3.illustrative ORDER BY k3.id LIMIT 1), max(k.end)),"
	" so.name, sd.key, so.study_id,"
	" (SELECT group_concat(name, '; ') FROM (SELECT DISTINCT u.name FROM temp.theme_passage q"
	"   JOIN code_codings k2 ON k2.id = q.coding_id JOIN code_coders u ON u.id = k2.coder_id"
	"   WHERE q.grp = ?1 AND q.passage = p.passage ORDER BY u.name))"
	" FROM temp.theme_span ts JOIN code_codings k ON k.id = ts.coding_id"
	" JOIN temp.theme_passage p ON p.grp = ts.theme_id AND p.coding_id = k.id"
	" JOIN code_sources so ON so.id = k.source_id LEFT JOIN studies sd ON sd.id = so.study_id"
	" WHERE ts.theme_id = ?1 AND CASE ?3 WHEN 1 THEN k.kind = 'quote'"
	"   OR (k.illustrative AND k.kind = '') ELSE k.kind = 'interpretation' END"
	" GROUP BY p.passage"
	" ORDER BY max(k.illustrative) DESC, so.id, min(k.start) LIMIT ?2";

static json_t *quote(qes_store *st, sqlite3_stmt *s)
{
	long long id = sqlite3_column_int64(s, 0);
	const char *text = (const char *)sqlite3_column_text(s, 1);
	char *q = qes__theme_slice(text, (size_t)sqlite3_column_bytes(s, 1),
				   (long)sqlite3_column_int64(s, 2), (long)sqlite3_column_int64(s, 3));
	char *persp = qes__theme_attr(st, id, "perspective"), *role = qes__theme_attr(st, id, "role");
	char *label = sqlite3_column_type(s, 6) == SQLITE_NULL ? NULL
		: qes__study_label(st, sqlite3_column_int64(s, 6));
	const char *key = (const char *)sqlite3_column_text(s, 5);
	json_t *o = q && persp && role ? json_pack("{s:s,s:s,s:o,s:o,s:s,s:s,s:s}", "text", q,
		"source", (const char *)sqlite3_column_text(s, 4),
		"study", key ? json_string(key) : json_null(),
		"study_label", label ? json_string(label) : key ? json_string(key) : json_null(),
		"perspective", persp, "role", role,
		"coder", (const char *)sqlite3_column_text(s, 7)) : NULL;
	free(q);
	free(persp);
	free(role);
	free(label);
	return o;
}

static json_t *quotes(qes_store *st, long long theme, int max, int construct, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	if (qes__code_prep(st, &s, quotes_sql, err))
		return NULL;
	sqlite3_bind_int64(s, 1, theme);
	sqlite3_bind_int64(s, 2, max > 0 ? max : -1);
	sqlite3_bind_int(s, 3, construct);
	json_t *a = json_array();
	while (a && sqlite3_step(s) == SQLITE_ROW) {
		json_t *o = quote(st, s);
		if (!o || json_array_append_new(a, o)) {
			json_decref(a);
			a = NULL;
		}
	}
	sqlite3_finalize(s);
	if (!a)
		qes_error_set(err, QES_ENOMEM, "out of memory");
	return a;
}

json_t *qes_theme_table_json(qes_store *st, int max_quotes, const char *as, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	if (qes__theme_spans(st, as, err) || qes__code_prep(st, &s, rows_sql, err))
		return NULL;
	json_t *rows = json_array();
	while (rows && sqlite3_step(s) == SQLITE_ROW) {
		json_t *q = quotes(st, sqlite3_column_int64(s, 0), max_quotes, 1, err);
		json_t *in = q ? quotes(st, sqlite3_column_int64(s, 0), max_quotes, 2, err) : NULL;
		json_t *r = q && in ? json_pack("{s:s,s:s,s:o,s:o}",
			"theme", (const char *)sqlite3_column_text(s, 1),
			"subtheme", (const char *)sqlite3_column_text(s, 2), "quotes", q,
			"interpretations", in) : NULL;
		if (!r) {
			json_decref(q);
			json_decref(in);
		}
		if (!r || json_array_append_new(rows, r)) {
			json_decref(rows);
			rows = NULL;
		}
	}
	sqlite3_finalize(s);
	json_t *out = rows ? json_pack("{s:o}", "rows", rows) : NULL;
	if (!out && (!err || !err->code))
		qes_error_set(err, QES_ENOMEM, "out of memory");
	return out;
}

static const char *str(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v ? v : "";
}

int qes_theme_table_csv(qes_store *st, int max_quotes, const char *as, char **out,
			qes_error *err)
{
	json_t *t = qes_theme_table_json(st, max_quotes, as, err);
	if (!t)
		return err && err->code ? err->code : QES_ENOMEM;
	qes_strbuf sb = QES_STRBUF_INIT(256u << 20);
	json_t *line = json_pack("[s,s,s,s,s,s,s,s,s]", "theme", "subtheme", "quote", "perspective",
				 "role", "study", "study_label", "source", "construct");
	int rc = line ? qes__theme_csv_line(&sb, line) : QES_ENOMEM;
	json_decref(line);
	size_t i, k;
	json_t *r, *q;
	json_array_foreach(json_object_get(t, "rows"), i, r) {
		json_t *qs = json_object_get(r, "quotes"), *is = json_object_get(r, "interpretations");
		if (!json_array_size(qs) && !json_array_size(is)) {
			line = json_pack("[s,s]", str(r, "theme"), str(r, "subtheme"));
			rc |= line ? qes__theme_csv_line(&sb, line) : QES_ENOMEM;
			json_decref(line);
		}
		for (int c = 0; c < 2; c++)
			json_array_foreach(c ? is : qs, k, q) {
				line = json_pack("[s,s,s,s,s,s,s,s,s]", str(r, "theme"), str(r, "subtheme"),
						 str(q, "text"), str(q, "perspective"), str(q, "role"),
						 str(q, "study"), str(q, "study_label"), str(q, "source"),
						 c ? "author interpretation" : "participant quote");
				rc |= line ? qes__theme_csv_line(&sb, line) : QES_ENOMEM;
				json_decref(line);
			}
	}
	json_decref(t);
	if (rc || !sb.buf) {
		qes__strbuf_release(&sb);
		return qes_error_set(err, QES_ENOMEM, "out of memory (themes table)");
	}
	*out = qes__strbuf_detach(&sb, NULL);
	return 0;
}

/* “Quote” (role or perspective) [Study label], as the seed review
 * attributes its quotations. */
static void html_quote(qes_strbuf *sb, json_t *q)
{
	const char *who = *str(q, "role") ? str(q, "role") : str(q, "perspective");
	qes__strbuf_addstr(sb, "<p class=\"q\">\xe2\x80\x9c");
	qes__theme_esc(sb, str(q, "text"));
	qes__strbuf_addstr(sb, "\xe2\x80\x9d");
	if (*who) {
		qes__strbuf_addstr(sb, " <span class=\"who\">(");
		qes__theme_esc(sb, who);
		qes__strbuf_addstr(sb, ")</span>");
	}
	qes__strbuf_addstr(sb, " <span class=\"study\">[");
	qes__theme_esc(sb, *str(q, "study_label") ? str(q, "study_label") : str(q, "source"));
	qes__strbuf_addstr(sb, "]</span></p>");
}

int qes_theme_table_html(qes_store *st, int max_quotes, const char *as, char **out,
			 qes_error *err)
{
	json_t *t = qes_theme_table_json(st, max_quotes, as, err);
	if (!t)
		return err && err->code ? err->code : QES_ENOMEM;
	qes_strbuf sb = QES_STRBUF_INIT(256u << 20);
	qes__strbuf_addstr(&sb, "<table class=\"qes-themes\"><tr><th>Theme</th><th>Subtheme</th>"
			   "<th>Participants\xe2\x80\x99 quotes</th>"
			   "<th>Authors\xe2\x80\x99 interpretations</th></tr>\n");
	size_t i, k;
	json_t *r, *q;
	json_array_foreach(json_object_get(t, "rows"), i, r) {
		qes__strbuf_addstr(&sb, "<tr><td>");
		qes__theme_esc(&sb, str(r, "theme"));
		qes__strbuf_addstr(&sb, "</td><td>");
		qes__theme_esc(&sb, str(r, "subtheme"));
		qes__strbuf_addstr(&sb, "</td><td>");
		json_array_foreach(json_object_get(r, "quotes"), k, q)
			html_quote(&sb, q);
		qes__strbuf_addstr(&sb, "</td><td>");
		json_array_foreach(json_object_get(r, "interpretations"), k, q)
			html_quote(&sb, q);
		qes__strbuf_addstr(&sb, "</td></tr>\n");
	}
	qes__strbuf_addstr(&sb, "</table>\n");
	json_decref(t);
	if (!sb.buf || sb.len >= sb.max - 1) {
		qes__strbuf_release(&sb);
		return qes_error_set(err, QES_ENOMEM, "out of memory (themes table)");
	}
	*out = qes__strbuf_detach(&sb, NULL);
	return 0;
}
