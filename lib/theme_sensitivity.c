/* theme_sensitivity.c: how much of each theme and finding rests on weak
 * studies. For every theme and finding: the studies and passages
 * (qes__code_passages) that support it, and what remains when the studies
 * the appraisal rule (qes_appraise_rule_json) marks weak are set aside; a
 * theme or finding that would lose most of its support (more than half of
 * its studies or passages) is flagged. Weak means serious concerns by
 * default; level "moderate" or "minor" sets aside those too. */
#include "theme_internal.h"
#include "code_internal.h"
#include "synth_internal.h"
#include "qes/appraise.h"

#include <stdlib.h>
#include <string.h>

static int rank_of(const char *level)
{
	static const char *const lv[] = { "none", "minor", "moderate", "serious" };
	for (int i = 0; level && i < 4; i++)
		if (!strcmp(level, lv[i]))
			return i;
	return -1;
}

/* The weak studies ({key: level}) by the appraisal table's rule. */
static json_t *weak_studies(json_t *table, int threshold)
{
	json_t *weak = json_object(), *row;
	size_t i;
	json_array_foreach(json_object_get(table, "studies"), i, row) {
		const char *lim = json_string_value(json_object_get(row, "limitations"));
		if (rank_of(lim) >= threshold)
			json_object_set_new(weak, json_string_value(json_object_get(row, "study")),
					    json_string(lim));
	}
	return weak;
}

/* Counts over rows of (study key or NULL, passage): studies, passages, and
 * those left without the weak studies; adds them to o with the flag. */
static int tally(sqlite3_stmt *s, json_t *weak, json_t *o)
{
	json_t *all = json_object(), *kept = json_object(), *pall = json_object(),
	       *pkept = json_object();
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(s, 0);
		char p[32];
		snprintf(p, sizeof(p), "%lld", (long long)sqlite3_column_int64(s, 1));
		int is_weak = key && json_object_get(weak, key);
		if (key)
			json_object_set_new(is_weak ? all : kept, key, json_true());
		json_object_set_new(pall, p, json_true());
		if (!is_weak)
			json_object_set_new(pkept, p, json_true());
	}
	json_object_update(all, kept);
	size_t st = json_object_size(all), sk = json_object_size(kept);
	size_t pa = json_object_size(pall), pk = json_object_size(pkept);
	int flagged = (st && 2 * sk < st) || (pa && 2 * pk < pa);
	int rc = json_object_set_new(o, "studies", json_integer((json_int_t)st)) ||
		 json_object_set_new(o, "passages", json_integer((json_int_t)pa)) ||
		 json_object_set_new(o, "studies_without_weak", json_integer((json_int_t)sk)) ||
		 json_object_set_new(o, "passages_without_weak", json_integer((json_int_t)pk)) ||
		 json_object_set_new(o, "flagged", json_boolean(flagged));
	json_decref(all);
	json_decref(kept);
	json_decref(pall);
	json_decref(pkept);
	return rc ? QES_ENOMEM : 0;
}

int qes__finding_sensitivity(qes_store *st, long long fid, json_t *weak, json_t *o,
			     qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = qes_store_exec(st, "CREATE TEMP TABLE IF NOT EXISTS finding_span(coding_id INTEGER"
				" PRIMARY KEY); DELETE FROM temp.finding_span;", err);
	if (!rc && !(rc = qes__code_prep(st, &s, FINDING_CODES "INSERT INTO temp.finding_span"
					 " SELECT id FROM code_codings WHERE code_id IN (SELECT id FROM cd)",
					 err))) {
		sqlite3_bind_int64(s, 1, fid);
		rc = qes__code_done_stmt(st, s, "choosing a finding's codings", err);
		s = NULL;
	}
	if (rc || (rc = qes__code_passage_table(st, "finding_passage", err)) ||
	    (rc = qes__code_passages(st, "SELECT 0, g.id, g.source_id, g.start, g.end FROM"
				     " temp.finding_span f JOIN code_codings g ON g.id = f.coding_id"
				     " ORDER BY g.source_id, g.start, g.end, g.id",
				     "temp.finding_passage", err)) ||
	    (rc = qes__code_prep(st, &s, "SELECT sd.key, p.passage FROM temp.finding_passage p"
				 " JOIN code_codings g ON g.id = p.coding_id JOIN code_sources so"
				 " ON so.id = g.source_id LEFT JOIN studies sd ON sd.id = so.study_id", err)))
		return rc;
	rc = tally(s, weak, o);
	sqlite3_finalize(s);
	return rc ? qes_error_set(err, rc, "out of memory") : 0;
}

json_t *qes__sensitivity_weak(qes_store *st, const char *level, json_t **rule, qes_error *err)
{
	int threshold = rank_of(level ? level : "serious");
	if (threshold < 1) {
		qes_error_set(err, QES_EINVAL, "the studies set aside are those with serious, moderate"
			      " or minor concerns, not '%s'", level);
		return NULL;
	}
	json_t *table = NULL;
	if (qes__cerqual_appraisal(st, &table, err))
		return NULL;
	json_t *weak = weak_studies(table, threshold);
	if (rule)
		*rule = json_incref(json_object_get(table, "rule"));
	json_decref(table);
	return weak;
}

json_t *qes_theme_sensitivity_json(qes_store *st, const char *level, qes_error *err)
{
	json_t *rule = NULL, *weak = qes__sensitivity_weak(st, level, &rule, err);
	json_t *themes = json_array(), *findings = json_array(), *out = NULL;
	sqlite3_stmt *s = NULL, *t = NULL;
	if (!weak || !themes || !findings || qes__theme_spans(st, NULL, err) ||
	    qes__code_prep(st, &s, "SELECT t.id, t.name, t.level, p.name FROM code_themes t"
			   " LEFT JOIN code_themes p ON p.id = t.parent_id" THEME_TREE_ORDER, err) ||
	    qes__code_prep(st, &t, "SELECT sd.key, pa.passage FROM temp.theme_passage pa"
			   " JOIN code_codings k ON k.id = pa.coding_id JOIN code_sources so"
			   " ON so.id = k.source_id LEFT JOIN studies sd ON sd.id = so.study_id"
			   " WHERE pa.grp = ?", err))
		goto out;
	int rc = 0;
	while (!rc && sqlite3_step(s) == SQLITE_ROW) {
		const char *parent = (const char *)sqlite3_column_text(s, 3);
		json_t *o = json_pack("{s:s,s:s,s:o}", "theme", (const char *)sqlite3_column_text(s, 1),
				      "level", (const char *)sqlite3_column_text(s, 2),
				      "parent", parent ? json_string(parent) : json_null());
		sqlite3_reset(t);
		sqlite3_bind_int64(t, 1, sqlite3_column_int64(s, 0));
		rc = !o || tally(t, weak, o) || json_array_append_new(themes, o);
	}
	sqlite3_finalize(s);
	s = NULL;
	if (rc || qes__code_prep(st, &s, "SELECT id, key, statement FROM synth_findings ORDER BY key",
				 err))
		goto out;
	/* Findings after themes: their queries replace the temporary tables. */
	while (!rc && sqlite3_step(s) == SQLITE_ROW) {
		json_t *o = json_pack("{s:s,s:s}", "finding", (const char *)sqlite3_column_text(s, 1),
				      "statement", (const char *)sqlite3_column_text(s, 2));
		rc = !o || qes__finding_sensitivity(st, sqlite3_column_int64(s, 0), weak, o, err) ||
		     json_array_append_new(findings, o);
	}
	json_t *keys = json_array();
	const char *k;
	json_t *v;
	json_object_foreach(weak, k, v)
		json_array_append_new(keys, json_pack("{s:s,s:O}", "study", k, "limitations", v));
	if (!rc)
		out = json_pack("{s:s,s:O,s:o,s:O,s:O}", "set_aside", level ? level : "serious",
				"rule", rule ? rule : json_null(), "weak_studies", keys, "themes", themes,
				"findings", findings);
	else
		json_decref(keys);
out:
	if (!out && (!err || !err->code))
		qes_error_set(err, QES_ENOMEM, "out of memory");
	sqlite3_finalize(s);
	sqlite3_finalize(t);
	json_decref(rule);
	json_decref(weak);
	json_decref(themes);
	json_decref(findings);
	return out;
}

int qes_theme_sensitivity_html(qes_store *st, const char *level, char **out, qes_error *err)
{
	json_t *m = qes_theme_sensitivity_json(st, level, err), *g = NULL;
	char *table = NULL;
	int rc = !m ? (err->code ? err->code : QES_ENOMEM)
		: !(g = qes_query_grid("sensitivity", m, err)) ? (err->code ? err->code : QES_ENOMEM)
		: qes_grid_html(g, "qes-sensitivity", &table, err);
	qes_strbuf sb = QES_STRBUF_INIT(256u << 20);
	if (!rc) {
		qes__strbuf_addstr(&sb, "<p class=\"qes-sensitivity-rule\">Set aside: studies with ");
		qes__theme_esc(&sb, json_string_value(json_object_get(m, "set_aside")));
		qes__strbuf_addstr(&sb, " concerns by the appraisal rule (");
		qes__theme_esc(&sb, json_string_value(json_object_get(json_object_get(m, "rule"), "text")));
		qes__strbuf_addstr(&sb, ").</p>\n");
		qes__strbuf_addstr(&sb, table);
		if (!sb.buf || sb.len >= sb.max - 1)
			rc = qes_error_set(err, QES_ENOMEM, "out of memory (sensitivity)");
		else
			*out = qes__strbuf_detach(&sb, NULL);
	}
	qes__strbuf_release(&sb);
	free(table);
	json_decref(m);
	json_decref(g);
	return rc;
}
