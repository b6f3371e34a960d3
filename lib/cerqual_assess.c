/* cerqual_assess.c: GRADE-CERQual judgements per finding, the limitations
 * summary drawn from the appraisal, the SoQF table and the evidence
 * profile. */
#include "synth_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "qes/appraise.h"
#include "strbuf.h"

static const char *const components[] = { "limitations", "coherence", "adequacy", "relevance" };
static const char *const component_titles[] = {
	"Methodological limitations", "Coherence", "Adequacy", "Relevance"
};

const char *qes_cerqual_level_text(const char *level, int overall)
{
	static const struct { const char *level, *text; } concerns[] = {
		{ "none", "No or very minor concerns" }, { "minor", "Minor concerns" },
		{ "moderate", "Moderate concerns" }, { "serious", "Serious concerns" },
	}, confidence[] = {
		{ "high", "High confidence" }, { "moderate", "Moderate confidence" },
		{ "low", "Low confidence" }, { "very_low", "Very low confidence" },
	};
	for (int i = 0; level && i < 4; i++) {
		if (!overall && !strcmp(level, concerns[i].level))
			return concerns[i].text;
		if (overall && !strcmp(level, confidence[i].level))
			return confidence[i].text;
	}
	return overall ? "Not assessed" : "";
}

/* The words people type for each level, to the stored value. */
static const char *norm_level(const char *s, int overall)
{
	static const struct { const char *in, *out; int overall; } map[] = {
		{ "none", "none", 0 }, { "no", "none", 0 }, { "very_minor", "none", 0 },
		{ "very minor", "none", 0 }, { "no or very minor", "none", 0 },
		{ "minor", "minor", 0 }, { "moderate", "moderate", 0 }, { "serious", "serious", 0 },
		{ "high", "high", 1 }, { "moderate", "moderate", 1 }, { "low", "low", 1 },
		{ "very_low", "very_low", 1 }, { "very low", "very_low", 1 },
	};
	for (size_t i = 0; s && i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].overall == overall && !strcasecmp(map[i].in, s))
			return map[i].out;
	return NULL;
}

/* Counts, over the included contributing studies, the final appraisal
 * answers per rating question: "no" is a serious concern on that item,
 * "cant_tell" an unclear one. */
int qes__cerqual_appraisal(qes_store *st, json_t **table, qes_error *err)
{
	*table = qes_appraise_table_json(st, err);
	if (!*table && err && err->code != QES_ENOTFOUND)
		return err->code ? err->code : QES_ENOMEM;
	if (err && !*table)
		qes_error_clear(err);
	return 0;
}

json_t *qes__cerqual_limitations(json_t *table, json_t *studies, qes_error *err)
{
	json_t *items = json_array(), *serious = json_array();
	long n = 0, appraised = 0;
	size_t i, j;
	json_t *s, *row, *q;
	json_array_foreach(json_object_get(table, "questions"), j, q) {
		if (!strcmp(json_string_value(json_object_get(q, "type")), "rating"))
			json_array_append_new(items, json_pack("{s:O, s:O, s:i, s:i, s:[]}",
				"question", json_object_get(q, "id"), "text", json_object_get(q, "text"),
				"no", 0, "cant_tell", 0, "studies_no"));
	}
	json_array_foreach(studies, i, s) {
		if (!json_is_true(json_object_get(s, "included")))
			continue;
		n++;
		const char *key = json_string_value(json_object_get(s, "study"));
		json_t *answers = NULL;
		const char *lim = NULL;
		json_array_foreach(json_object_get(table, "studies"), j, row)
			if (!strcmp(json_string_value(json_object_get(row, "study")), key)) {
				answers = json_object_get(row, "answers");
				lim = json_string_value(json_object_get(row, "limitations"));
			}
		int rated = 0;
		json_array_foreach(items, j, q) {
			const char *a = json_string_value(json_object_get(answers,
					json_string_value(json_object_get(q, "question"))));
			if (!a)
				continue;
			rated = 1;
			const char *field = !strcmp(a, "no") ? "no" : !strcmp(a, "cant_tell") ? "cant_tell" : NULL;
			if (!field)
				continue;
			json_object_set_new(q, field, json_integer(
				json_integer_value(json_object_get(q, field)) + 1));
			if (!strcmp(field, "no"))
				json_array_append(json_object_get(q, "studies_no"), json_object_get(s, "label"));
		}
		appraised += rated;
		/* Weighed by the review's rule (qes_appraise_rule_json). */
		if (lim && !strcmp(lim, "serious"))
			json_array_append(serious, json_object_get(s, "label"));
	}
	/* The sentence a reviewer starts from. */
	qes_strbuf sb;
	qes__strbuf_init(&sb, 1u << 20);
	const char *title = json_string_value(json_object_get(json_object_get(table, "checklist"), "title"));
	if (!n)
		qes__strbuf_addstr(&sb, "No contributing studies.");
	else if (!appraised)
		qes__strbuf_addf(&sb, "None of the %ld contributing stud%s has been appraised.", n,
				 n == 1 ? "y" : "ies");
	else {
		json_t *rule = json_object_get(table, "rule");
		qes__strbuf_addf(&sb, "%ld of %ld contributing stud%s appraised with the %s; %zu with "
				 "serious concerns", appraised, n, n == 1 ? "y" : "ies",
				 title ? title : "checklist", json_array_size(serious));
		if (json_is_true(json_object_get(rule, "default")))
			qes__strbuf_addstr(&sb, " (answer 'no') on at least one item");
		else
			qes__strbuf_addf(&sb, " by the review's rule (%s)",
					 json_string_value(json_object_get(rule, "text")));
		size_t k;
		json_t *lab;
		json_array_foreach(serious, k, lab)
			qes__strbuf_addf(&sb, "%s%s", k ? ", " : " (", json_string_value(lab));
		qes__strbuf_addstr(&sb, json_array_size(serious) ? ")." : ".");
		json_array_foreach(items, j, q) {
			long no = (long)json_integer_value(json_object_get(q, "no"));
			long ct = (long)json_integer_value(json_object_get(q, "cant_tell"));
			if (!no && !ct)
				continue;
			qes__strbuf_addf(&sb, " %s (%s): ", json_string_value(json_object_get(q, "question")),
					 json_string_value(json_object_get(q, "text")));
			if (no)
				qes__strbuf_addf(&sb, "no in %ld", no);
			if (ct)
				qes__strbuf_addf(&sb, "%scan't tell in %ld", no ? ", " : "", ct);
			qes__strbuf_addstr(&sb, ".");
		}
	}
	/* Items with no concern at all only clutter the summary. */
	for (j = json_array_size(items); j-- > 0;) {
		q = json_array_get(items, j);
		if (!json_integer_value(json_object_get(q, "no")) &&
		    !json_integer_value(json_object_get(q, "cant_tell")))
			json_array_remove(items, j);
	}
	json_t *out = json_pack("{s:i, s:i, s:i, s:s?, s:o, s:o, s:s, s:O?}", "studies", (int)n,
				"appraised", (int)appraised, "with_serious", (int)json_array_size(serious),
				"checklist", title, "items", items, "serious_studies", serious,
				"text", qes__strbuf_str(&sb), "rule", json_object_get(table, "rule"));
	qes__strbuf_release(&sb);
	if (!out)
		qes_error_set(err, QES_ENOMEM, "out of memory");
	return out;
}

/* The pre-filled explanation of limitations: the appraisal summary, then
 * what the finding rests on without the studies with serious concerns
 * (qes_theme_sensitivity_json). *expl malloc'd. */
static int prefill(qes_store *st, long long fid, const char *summary, char **expl, qes_error *err)
{
	json_t *weak = qes__sensitivity_weak(st, NULL, NULL, err), *o = json_object();
	int rc = !weak || !o ? (err->code ? err->code : QES_ENOMEM)
		: qes__finding_sensitivity(st, fid, weak, o, err);
	qes_strbuf sb;
	qes__strbuf_init(&sb, 1u << 20);
	qes__strbuf_addstr(&sb, summary);
	if (!rc && json_object_size(weak)) {
		long long s = json_integer_value(json_object_get(o, "studies"));
		long long p = json_integer_value(json_object_get(o, "passages"));
		qes__strbuf_addf(&sb, " Without the studies with serious concerns the finding rests on"
				 " %lld of %lld studies and %lld of %lld passages%s.",
				 (long long)json_integer_value(json_object_get(o, "studies_without_weak")), s,
				 (long long)json_integer_value(json_object_get(o, "passages_without_weak")), p,
				 json_is_true(json_object_get(o, "flagged")) ? "; most of its support rests on them" : "");
	}
	if (!rc && !(*expl = strdup(qes__strbuf_str(&sb))))
		rc = qes_error_set(err, QES_ENOMEM, "out of memory");
	qes__strbuf_release(&sb);
	json_decref(weak);
	json_decref(o);
	return rc;
}

int qes_cerqual_assess(qes_store *st, const char *finding, const char *component,
		       const char *level, const char *explanation, const char *by,
		       qes_error *err)
{
	int overall = component && !strcmp(component, "overall"), known = overall;
	for (int i = 0; component && i < 4; i++)
		known |= !strcmp(component, components[i]);
	if (!known)
		return qes_error_set(err, QES_EINVAL, "'%s' is not a CERQual component: limitations, "
				     "coherence, adequacy, relevance or overall", component ? component : "");
	const char *lv = norm_level(level, overall);
	if (!lv)
		return qes_error_set(err, QES_EINVAL, overall
				     ? "'%s' is not a confidence: high, moderate, low or very_low"
				     : "'%s' is not a level of concerns: none (no or very minor), "
				       "minor, moderate or serious", level ? level : "");
	if (!by || !*by)
		return qes_error_set(err, QES_EINVAL, "say who assessed (--by NAME)");
	if (qes__synth_too_long(explanation, "an explanation", err))
		return err->code;
	long long fid;
	json_t *lim = NULL;
	char *expl = explanation && *explanation ? strdup(explanation) : NULL;
	int rc = qes_store_begin(st, err);
	if (rc) {
		free(expl);
		return rc;
	}
	if ((rc = qes_finding_find(st, finding, &fid, err)))
		goto out;
	if (!expl && !strcmp(component, "limitations") && strcmp(lv, "none")) {
		/* Pre-filled from the appraisal, as CERQual asks reviewers to: only
		 * the studies and their summary are needed, not the whole finding. */
		json_t *studies = qes__finding_studies(st, fid, err), *table = NULL;
		lim = studies && !qes__cerqual_appraisal(st, &table, err)
			? qes__cerqual_limitations(table, studies, err) : NULL;
		json_decref(studies);
		json_decref(table);
		if (!lim) {
			rc = err->code ? err->code : QES_ENOMEM;
			goto out;
		}
		if (json_integer_value(json_object_get(lim, "appraised")) > 0 &&
		    (rc = prefill(st, fid, json_string_value(json_object_get(lim, "text")), &expl, err)))
			goto out;
	}
	if (!expl && (overall || strcmp(lv, "none"))) {
		rc = qes_error_set(err, QES_EINVAL, "%s needs an explanation (--explain TEXT)%s",
				   overall ? "the overall confidence" : component,
				   overall ? "" : " when concerns are above 'no or very minor'");
		goto out;
	}
	sqlite3_stmt *s = NULL;
	if ((rc = qes__prep(st, &s, "INSERT INTO synth_cerqual(finding_id, component, level,"
			    " explanation, assessed_by) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE"
			    " SET level = excluded.level, explanation = excluded.explanation,"
			    " assessed_by = excluded.assessed_by, assessed_at = excluded.assessed_at", err)))
		goto out;
	sqlite3_bind_int64(s, 1, fid);
	sqlite3_bind_text(s, 2, component, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 3, lv, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, expl ? expl : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 5, by, -1, SQLITE_TRANSIENT);
	if ((rc = qes__synth_step(st, s, "storing a CERQual judgement", err)))
		goto out;
	char target[96], *detail = NULL, *key = qes__synth_describe(st, QES__T_FINDING, fid);
	snprintf(target, sizeof(target), "%s %s", key ? key : finding, component);
	free(key);
	if (asprintf(&detail, "%s: %s", lv, expl ? expl : "") < 0)
		detail = NULL;
	rc = qes__synth_log(st, by, "cerqual", target, detail, err);
	free(detail);
out:
	json_decref(lim);
	free(expl);
	if (rc) {
		qes_store_rollback(st);
		return rc;
	}
	return qes_store_commit(st, err);
}

/* "Adams 2015; Chen 2017" from a finding's included studies. */
static char *study_labels(json_t *f)
{
	qes_strbuf sb;
	qes__strbuf_init(&sb, 1u << 20);
	size_t i, k = 0;
	json_t *s;
	json_array_foreach(json_object_get(f, "studies"), i, s)
		if (json_is_true(json_object_get(s, "included")))
			qes__strbuf_addf(&sb, "%s%s", k++ ? "; " : "",
					 json_string_value(json_object_get(s, "label")));
	char *out = strdup(qes__strbuf_str(&sb));
	qes__strbuf_release(&sb);
	return out;
}

static json_t *labels_array(json_t *f)
{
	json_t *a = json_array(), *s;
	size_t i;
	json_array_foreach(json_object_get(f, "studies"), i, s)
		if (json_is_true(json_object_get(s, "included")))
			json_array_append(a, json_object_get(s, "label"));
	return a;
}

/* The five judgements of a finding, 0..4: the four components, then the
 * overall confidence; components hold a "concern", overall a "confidence". */
static const char *judgement_name(int c)
{
	return c < 4 ? components[c] : "overall";
}

static const char *judgement_key(int c)
{
	return c < 4 ? "concern" : "confidence";
}

static const char *str_or(json_t *v, const char *dflt)
{
	return json_is_string(v) ? json_string_value(v) : dflt;
}

json_t *qes_cerqual_soqf_json(qes_store *st, qes_error *err)
{
	json_t *list = qes_finding_list_json(st, err), *rows = json_array(), *f;
	if (!list) {
		json_decref(rows);
		return NULL;
	}
	size_t i;
	json_array_foreach(list, i, f) {
		json_t *o = json_object_get(json_object_get(f, "cerqual"), "overall");
		json_array_append_new(rows, json_pack("{s:O, s:O, s:O, s:s, s:o}",
			"finding", json_object_get(f, "finding"), "statement", json_object_get(f, "statement"),
			"confidence", o ? json_object_get(o, "confidence") : json_null(),
			"explanation", str_or(json_object_get(o, "explanation"), ""),
			"studies", labels_array(f)));
	}
	json_decref(list);
	return json_pack("{s:[sssss], s:o}", "columns", "finding", "statement", "confidence",
			 "explanation", "studies", "rows", rows);
}

/* The latest CERQual change to a finding, from the log (the table keeps
 * times to the second only). NULL when never assessed. */
static json_t *last_change(qes_store *st, const char *key)
{
	sqlite3_stmt *s = NULL;
	json_t *o = NULL;
	if (qes__prep(st, &s, "SELECT who, at FROM synth_log WHERE action = 'cerqual' AND"
		      " substr(target, 1, length(?1) + 9) = 'finding ' || ?1 || ' ' ORDER BY id DESC LIMIT 1", NULL))
		return NULL;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(s) == SQLITE_ROW)
		o = json_pack("{s:s, s:s}", "who", qes__col(s, 0), "at", qes__col(s, 1));
	sqlite3_finalize(s);
	return o;
}

json_t *qes_cerqual_profile_json(qes_store *st, qes_error *err)
{
	json_t *list = qes_finding_list_json(st, err), *rows = json_array(), *f;
	if (!list) {
		json_decref(rows);
		return NULL;
	}
	size_t i;
	json_array_foreach(list, i, f) {
		json_t *cq = json_object_get(f, "cerqual"), *row = json_object();
		json_object_set(row, "finding", json_object_get(f, "finding"));
		json_object_set(row, "statement", json_object_get(f, "statement"));
		const char *by = "", *at = "";
		json_t *last = last_change(st, json_string_value(json_object_get(f, "finding")));
		for (int c = 0; c < 5; c++) {
			const char *name = judgement_name(c);
			json_t *a = json_object_get(cq, name);
			json_t *lvl = json_object_get(a, judgement_key(c));
			json_object_set_new(row, name, json_pack("{s:O, s:s}", judgement_key(c),
				lvl ? lvl : json_null(), "explanation", str_or(json_object_get(a, "explanation"), "")));
		}
		json_object_set(row, "limitations_summary",
				json_object_get(json_object_get(f, "limitations_summary"), "text"));
		json_object_set_new(row, "studies", labels_array(f));
		if (last) {
			by = str_or(json_object_get(last, "who"), "");
			at = str_or(json_object_get(last, "at"), "");
		}
		json_object_set_new(row, "assessed_by", json_string(by));
		json_object_set_new(row, "assessed_at", json_string(at));
		json_decref(last);
		json_array_append_new(rows, row);
	}
	json_decref(list);
	return json_pack("{s:o}", "rows", rows);
}

static json_t *strings_row(int n, ...)
{
	json_t *a = json_array();
	va_list ap;
	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		const char *s = va_arg(ap, const char *);
		json_array_append_new(a, json_string(s ? s : ""));
	}
	va_end(ap);
	return a;
}

int qes_cerqual_soqf_text(qes_store *st, qes_table_format fmt, char **out, qes_error *err)
{
	json_t *list = qes_finding_list_json(st, err), *f;
	if (!list)
		return err->code ? err->code : QES_ENOMEM;
	json_t *t = json_pack("{s:[sssss], s:[sssss], s:[]}", "columns", "finding", "statement",
			      "confidence", "explanation", "studies", "headings", "Finding",
			      "Summary of review finding", "CERQual assessment of confidence",
			      "Explanation of CERQual assessment", "Studies contributing", "rows");
	size_t i;
	json_array_foreach(list, i, f) {
		json_t *o = json_object_get(json_object_get(f, "cerqual"), "overall");
		const char *conf = str_or(json_object_get(o, "confidence"), NULL);
		char *labels = study_labels(f);
		json_array_append_new(json_object_get(t, "rows"), strings_row(5,
			json_string_value(json_object_get(f, "finding")),
			json_string_value(json_object_get(f, "statement")),
			fmt == QES_TABLE_CSV ? (conf ? conf : "") : qes_cerqual_level_text(conf, 1),
			str_or(json_object_get(o, "explanation"), ""), labels));
		free(labels);
	}
	int rc = qes__synth_render(t, fmt, "qes-soqf", out, err);
	json_decref(t);
	json_decref(list);
	return rc;
}

int qes_cerqual_profile_text(qes_store *st, qes_table_format fmt, char **out, qes_error *err)
{
	json_t *list = qes_finding_list_json(st, err), *f;
	if (!list)
		return err->code ? err->code : QES_ENOMEM;
	json_t *t = json_pack("{s:[sssssssssssss], s:[sssssssssssss], s:[]}", "columns",
		"finding", "statement", "limitations", "limitations_explanation", "coherence",
		"coherence_explanation", "adequacy", "adequacy_explanation", "relevance",
		"relevance_explanation", "confidence", "confidence_explanation", "studies",
		"headings", "Finding", "Summary of review finding", component_titles[0],
		"Explanation", component_titles[1], "Explanation", component_titles[2], "Explanation",
		component_titles[3], "Explanation", "Overall CERQual assessment", "Explanation",
		"Studies contributing", "rows");
	size_t i;
	json_array_foreach(list, i, f) {
		json_t *cq = json_object_get(f, "cerqual");
		json_t *row = strings_row(2, json_string_value(json_object_get(f, "finding")),
					  json_string_value(json_object_get(f, "statement")));
		for (int c = 0; c < 5; c++) {
			json_t *a = json_object_get(cq, judgement_name(c));
			const char *lvl = str_or(json_object_get(a, judgement_key(c)), NULL);
			const char *shown = fmt == QES_TABLE_CSV ? lvl : lvl ? qes_cerqual_level_text(lvl, c == 4)
				: "Not assessed";
			json_array_append_new(row, json_string(shown ? shown : ""));
			json_array_append_new(row, json_string(str_or(json_object_get(a, "explanation"), "")));
		}
		char *labels = study_labels(f);
		json_array_append_new(row, json_string(labels ? labels : ""));
		free(labels);
		json_array_append_new(json_object_get(t, "rows"), row);
	}
	int rc = qes__synth_render(t, fmt, "qes-cerqual", out, err);
	json_decref(t);
	json_decref(list);
	return rc;
}

json_t *qes_synth_log_json(qes_store *st, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	json_t *a = json_array();
	if (!a || qes__prep(st, &s, "SELECT id, at, who, action, target, detail FROM synth_log"
			    " ORDER BY id", err)) {
		json_decref(a);
		return NULL;
	}
	while (sqlite3_step(s) == SQLITE_ROW)
		json_array_append_new(a, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}",
			"id", (json_int_t)sqlite3_column_int64(s, 0), "at", qes__col(s, 1),
			"who", qes__col(s, 2), "action", qes__col(s, 3), "target", qes__col(s, 4),
			"detail", qes__col(s, 5)));
	sqlite3_finalize(s);
	return a;
}
