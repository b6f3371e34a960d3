/* advisory_view.c: what advisors see (only what is shared, never a
 * held-back quote), and the LEAG log for the report. */
#include "synth_internal.h"
#include "code_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "qes/advisory.h"
#include "strbuf.h"

/* Quotes under the codes of cd: codings marked quote or illustrative, or
 * shared one by one, attributed to the coding's own case, else to the case
 * of the line it starts on or of the whole source; never one overlapping a
 * held-back coding of the same source (the same words coded twice stay
 * hidden), and only codings the viewer (?2) may see under the double-coding
 * blinding. One row per span. */
#define QUOTES \
	"SELECT substr(s.text, g.start + 1, g.\"end\" - g.start), s.study_id, g.kind," \
	" coalesce((SELECT a.value FROM code_case_attrs a WHERE a.case_id = g.case_id" \
	"   AND a.key = 'perspective'), (SELECT a.value FROM code_case_sources cs" \
	"   JOIN code_case_attrs a ON a.case_id = cs.case_id AND a.key = 'perspective'" \
	"   WHERE g.case_id IS NULL AND cs.source_id = s.id AND (cs.line_from = 0 OR" \
	"   1 + length(substr(s.text, 1, g.start)) - length(replace(substr(s.text, 1, g.start)," \
	"   char(10), '')) BETWEEN cs.line_from AND cs.line_to) LIMIT 1))," \
	" coalesce((SELECT a.value FROM code_case_attrs a WHERE a.case_id = g.case_id" \
	"   AND a.key = 'role'), (SELECT a.value FROM code_case_sources cs" \
	"   JOIN code_case_attrs a ON a.case_id = cs.case_id AND a.key = 'role'" \
	"   WHERE g.case_id IS NULL AND cs.source_id = s.id AND (cs.line_from = 0 OR" \
	"   1 + length(substr(s.text, 1, g.start)) - length(replace(substr(s.text, 1, g.start)," \
	"   char(10), '')) BETWEEN cs.line_from AND cs.line_to) LIMIT 1))" \
	" FROM code_codings g JOIN code_sources s ON s.id = g.source_id" \
	" LEFT JOIN synth_sharing sh ON sh.kind = 'coding' AND sh.target_id = g.id" \
	" WHERE g.code_id IN (SELECT id FROM cd)" \
	"  AND (g.kind = 'quote' OR g.illustrative = 1 OR sh.shared = 1)" \
	"  AND NOT EXISTS (SELECT 1 FROM code_codings h JOIN synth_sharing hs ON hs.kind = 'coding'" \
	"    AND hs.target_id = h.id AND hs.shared = 0 WHERE h.source_id = g.source_id" \
	"    AND h.start < g.\"end\" AND g.start < h.\"end\")" \
	"  AND " QES__CODE_VISIBLE_OF("g", "?2") \
	" GROUP BY g.source_id, g.start, g.\"end\" ORDER BY s.name, g.start"

/* The rows of sql (?1 bound to id, ?2 to the viewer's coder id when the
 * query has it), each made into one array element by row; NULL (err
 * filled) when the query cannot be prepared. */
static json_t *each_row(qes_store *st, const char *sql, long long id, long long viewer,
			json_t *(*row)(qes_store *, sqlite3_stmt *), qes_error *err)
{
	sqlite3_stmt *s = NULL;
	json_t *a = json_array();
	if (!a || qes__prep(st, &s, sql, err)) {
		json_decref(a);
		return NULL;
	}
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_bind_parameter_count(s) >= 2)
		sqlite3_bind_int64(s, 2, viewer);
	while (sqlite3_step(s) == SQLITE_ROW)
		json_array_append_new(a, row(st, s));
	sqlite3_finalize(s);
	return a;
}

static json_t *quote_row(qes_store *st, sqlite3_stmt *s)
{
	char *label = sqlite3_column_type(s, 1) == SQLITE_NULL ? NULL
		: qes__study_label(st, sqlite3_column_int64(s, 1));
	json_t *q = json_pack("{s:s, s:s, s:s, s:s, s:s}", "text", qes__col(s, 0),
		"study", label ? label : "", "kind", qes__col(s, 2),
		"perspective", qes__col(s, 3), "role", qes__col(s, 4));
	free(label);
	return q;
}

static json_t *string_row(qes_store *st, sqlite3_stmt *s)
{
	(void)st;
	return json_string(qes__col(s, 0));
}

/* The names (codes or themes) and the quotes of one shared theme or
 * finding: both, or neither and an error code. */
static int names_and_quotes(qes_store *st, long long id, long long viewer, const char *names_sql,
			    const char *quotes_sql, json_t **names, json_t **q, qes_error *err)
{
	*names = each_row(st, names_sql, id, viewer, string_row, err);
	*q = each_row(st, quotes_sql, id, viewer, quote_row, err);
	if (*names && *q)
		return 0;
	json_decref(*names);
	json_decref(*q);
	*names = *q = NULL;
	return err->code ? err->code : QES_ENOMEM;
}

static int shared_themes(qes_store *st, long long viewer, json_t *out, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = qes__prep(st, &s, "SELECT t.id, t.name, t.level, t.description FROM code_themes t"
			   " JOIN synth_sharing sh ON sh.kind = 'theme' AND sh.target_id = t.id"
			   " AND sh.shared = 1 ORDER BY t.level = 'descriptive', t.position, t.name", err);
	if (rc)
		return rc;
	while (sqlite3_step(s) == SQLITE_ROW) {
		json_t *codes, *q;
		if ((rc = names_and_quotes(st, sqlite3_column_int64(s, 0), viewer, THEME_CODES "SELECT path"
					   " FROM code_codes WHERE id IN (SELECT id FROM cd) AND is_folder = 0"
					   " ORDER BY path", THEME_CODES QUOTES, &codes, &q, err)))
			break;
		json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:o, s:o}", "theme", qes__col(s, 1),
			"level", qes__col(s, 2), "description", qes__col(s, 3), "codes", codes,
			"quotes", q));
	}
	sqlite3_finalize(s);
	return rc;
}

static int shared_findings(qes_store *st, long long viewer, json_t *out, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = qes__prep(st, &s, "SELECT f.id, f.key, f.statement, (SELECT level FROM synth_cerqual"
			   " WHERE finding_id = f.id AND component = 'overall') FROM synth_findings f"
			   " JOIN synth_sharing sh ON sh.kind = 'finding' AND sh.target_id = f.id"
			   " AND sh.shared = 1 ORDER BY f.key", err);
	if (rc)
		return rc;
	while (sqlite3_step(s) == SQLITE_ROW) {
		json_t *themes, *q;
		if ((rc = names_and_quotes(st, sqlite3_column_int64(s, 0), viewer, "SELECT t.name FROM"
					   " synth_finding_links l JOIN code_themes t ON t.id = l.target_id"
					   " JOIN synth_sharing sh ON sh.kind = 'theme' AND sh.target_id = t.id"
					   " AND sh.shared = 1 WHERE l.finding_id = ?1 AND l.kind = 'theme'"
					   " ORDER BY t.name", FINDING_CODES QUOTES, &themes, &q, err)))
			break;
		const char *conf = (const char *)sqlite3_column_text(s, 3);
		json_array_append_new(out, json_pack("{s:s, s:s, s:o, s:o, s:o}", "finding",
			qes__col(s, 1), "statement", qes__col(s, 2),
			"confidence", conf ? json_string(conf) : json_null(), "themes", themes, "quotes", q));
	}
	sqlite3_finalize(s);
	return rc;
}

json_t *qes_advisory_view_json(qes_store *st, qes_error *err)
{
	return qes_advisory_view_as_json(st, NULL, err);
}

json_t *qes_advisory_view_as_json(qes_store *st, const char *as, qes_error *err)
{
	long long viewer;
	if (qes__code_viewer(st, as, &viewer, err))
		return NULL;
	json_t *themes = json_array(), *findings = json_array();
	if (!themes || !findings || shared_themes(st, viewer, themes, err) ||
	    shared_findings(st, viewer, findings, err)) {
		json_decref(themes);
		json_decref(findings);
		if (err && !err->code)
			qes_error_set(err, QES_ENOMEM, "out of memory");
		return NULL;
	}
	return json_pack("{s:o, s:o}", "themes", themes, "findings", findings);
}

/* --- The LEAG log ----------------------------------------------------------- */

static json_t *described_row(qes_store *st, sqlite3_stmt *s)
{
	int kind = qes__synth_kind_parse(qes__col(s, 0));
	char *d = kind == QES__T_TEXT ? strdup(qes__col(s, 2))
		: qes__synth_describe(st, kind, sqlite3_column_int64(s, 1));
	json_t *v = json_string(d ? d : "");
	free(d);
	return v;
}

static json_t *log_workshops(qes_store *st, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	json_t *a = json_array();
	if (!a || qes__prep(st, &s, "SELECT id, held_on, title FROM synth_workshops ORDER BY held_on, id",
			    err)) {
		json_decref(a);
		return NULL;
	}
	while (sqlite3_step(s) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(s, 0);
		json_t *who = each_row(st, "SELECT a.name FROM synth_workshop_advisors w JOIN synth_advisors a"
				      " ON a.id = w.advisor_id WHERE w.workshop_id = ?1 ORDER BY a.name", id, -1, string_row, err);
		json_t *shown = each_row(st, "SELECT kind, target_id, text FROM synth_workshop_items"
					 " WHERE workshop_id = ?1 ORDER BY id", id, -1, described_row, err);
		json_array_append_new(a, json_pack("{s:I, s:s, s:s, s:o*, s:o*}", "workshop", (json_int_t)id,
			"date", qes__col(s, 1), "title", qes__col(s, 2), "advisors", who, "shown", shown));
	}
	sqlite3_finalize(s);
	return a;
}

static json_t *log_comments(qes_store *st, json_t *counts, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	json_t *a = json_array();
	if (!a || qes__prep(st, &s, "SELECT c.id, c.workshop_id, w.held_on, coalesce(a.name, 'the group'),"
			    " c.target_kind, c.target_id, c.text, c.status, c.change, c.responded_by,"
			    " c.responded_at FROM synth_comments c LEFT JOIN synth_advisors a ON"
			    " a.id = c.advisor_id LEFT JOIN synth_workshops w ON w.id = c.workshop_id"
			    " ORDER BY coalesce(w.held_on, substr(c.created_at, 1, 10)), c.id", err)) {
		json_decref(a);
		return NULL;
	}
	while (sqlite3_step(s) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(s, 0);
		int kind = qes__synth_kind_parse(qes__col(s, 4));
		char *on = kind ? qes__synth_describe(st, kind, sqlite3_column_int64(s, 5)) : NULL;
		json_t *affects = each_row(st, "SELECT kind, target_id, '' FROM synth_comment_affects"
					   " WHERE comment_id = ?1 ORDER BY kind, target_id", id, -1, described_row, err);
		const char *status = qes__col(s, 7);
		json_object_set_new(counts, status, json_integer(
			json_integer_value(json_object_get(counts, status)) + 1));
		json_array_append_new(a, json_pack("{s:I, s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:o*, s:s, s:s}",
			"comment", (json_int_t)id,
			"workshop", sqlite3_column_type(s, 1) == SQLITE_NULL ? json_null()
				: json_integer(sqlite3_column_int64(s, 1)),
			"date", qes__col(s, 2), "by", qes__col(s, 3), "on", on ? on : "",
			"text", qes__col(s, 6), "status", status, "change", qes__col(s, 8),
			"affects", affects, "responded_by", qes__col(s, 9), "responded_at", qes__col(s, 10)));
		free(on);
	}
	sqlite3_finalize(s);
	return a;
}

json_t *qes_advisory_log_json(qes_store *st, qes_error *err)
{
	json_t *counts = json_pack("{s:i, s:i, s:i, s:i}", "adopted", 0, "partly", 0,
				   "not_adopted", 0, "pending", 0);
	json_t *advisors = json_array(), *workshops = log_workshops(st, err);
	json_t *comments = log_comments(st, counts, err);
	sqlite3_stmt *s = NULL;
	if (!counts || !advisors || !workshops || !comments ||
	    qes__prep(st, &s, "SELECT a.name, u.name, (SELECT json_group_array(json_object('kind',"
		      " kind, 'date', held_on, 'how', how, 'by', recorded_by)) FROM (SELECT * FROM"
		      " synth_advisor_records r WHERE r.advisor_id = a.id ORDER BY held_on, id))"
		      " FROM synth_advisors a LEFT JOIN web_users u"
		      " ON u.id = a.web_user_id ORDER BY a.name", err)) {
		json_decref(counts);
		json_decref(advisors);
		json_decref(workshops);
		json_decref(comments);
		if (err && !err->code)
			qes_error_set(err, QES_ENOMEM, "out of memory");
		return NULL;
	}
	while (sqlite3_step(s) == SQLITE_ROW) {
		json_t *recs = json_loads(qes__col(s, 2), 0, NULL);
		json_array_append_new(advisors, json_pack("{s:s, s:o, s:o}", "advisor", qes__col(s, 0),
			"web_user", sqlite3_column_type(s, 1) == SQLITE_NULL ? json_null()
				: json_string(qes__col(s, 1)), "records", recs ? recs : json_array()));
	}
	sqlite3_finalize(s);
	json_object_set_new(counts, "advisors", json_integer((json_int_t)json_array_size(advisors)));
	json_object_set_new(counts, "workshops", json_integer((json_int_t)json_array_size(workshops)));
	json_object_set_new(counts, "comments", json_integer((json_int_t)json_array_size(comments)));
	return json_pack("{s:o, s:o, s:o, s:o}", "advisors", advisors, "workshops", workshops,
			 "comments", comments, "counts", counts);
}

static char *joined(json_t *a)
{
	qes_strbuf sb;
	qes__strbuf_init(&sb, 1u << 20);
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v)
		qes__strbuf_addf(&sb, "%s%s", i ? "; " : "", json_string_value(v));
	char *out = strdup(qes__strbuf_str(&sb));
	qes__strbuf_release(&sb);
	return out;
}

static void add_row(json_t *rows, json_t *w, json_t *c)
{
	char id[32] = "", *who = joined(json_object_get(w, "advisors"));
	char *shown = joined(json_object_get(w, "shown")), cid[32] = "";
	char *aff = joined(json_object_get(c, "affects"));
	if (w)
		snprintf(id, sizeof(id), "%lld", (long long)json_integer_value(json_object_get(w, "workshop")));
	if (c)
		snprintf(cid, sizeof(cid), "%lld", (long long)json_integer_value(json_object_get(c, "comment")));
	const char *date = w ? json_string_value(json_object_get(w, "date")) : "";
	json_t *row = json_pack("[sssssssssss]", id, date ? date : "", who ? who : "",
		shown ? shown : "", cid, c ? json_string_value(json_object_get(c, "by")) : "",
		c ? json_string_value(json_object_get(c, "on")) : "",
		c ? json_string_value(json_object_get(c, "text")) : "",
		c ? json_string_value(json_object_get(c, "status")) : "",
		c ? json_string_value(json_object_get(c, "change")) : "", aff ? aff : "");
	json_array_append_new(rows, row);
	free(who);
	free(shown);
	free(aff);
}

int qes_advisory_log_render(json_t *log, qes_table_format fmt, char **out, qes_error *err)
{
	json_t *t = json_pack("{s:[sssssssssss], s:[sssssssssss], s:[]}", "columns", "workshop", "date",
		"advisors", "shown", "comment", "by", "on", "text", "status", "change", "affects",
		"headings", "Workshop", "Date", "Advisors present", "What was shown", "Comment", "By",
		"On", "What was said", "Response", "How the analysis changed", "Items affected", "rows");
	json_t *rows = json_object_get(t, "rows"), *w, *c;
	size_t i, j;
	/* Each workshop with its comments, then comments made outside one. */
	json_array_foreach(json_object_get(log, "workshops"), i, w) {
		int any = 0;
		json_int_t wid = json_integer_value(json_object_get(w, "workshop"));
		json_array_foreach(json_object_get(log, "comments"), j, c)
			if (json_integer_value(json_object_get(c, "workshop")) == wid) {
				add_row(rows, w, c);
				any = 1;
			}
		if (!any)
			add_row(rows, w, NULL);
	}
	json_array_foreach(json_object_get(log, "comments"), j, c)
		if (json_is_null(json_object_get(c, "workshop")))
			add_row(rows, NULL, c);
	int rc = qes__synth_render(t, fmt, "qes-leag", out, err);
	json_decref(t);
	return rc;
}

int qes_advisory_log_text(qes_store *st, qes_table_format fmt, char **out, qes_error *err)
{
	json_t *log = qes_advisory_log_json(st, err);
	if (!log)
		return err->code ? err->code : QES_ENOMEM;
	int rc = qes_advisory_log_render(log, fmt, out, err);
	json_decref(log);
	return rc;
}
