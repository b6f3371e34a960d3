/* selfcheck.c: the review appraised as a whole (qes selfcheck). The
 * checklists are data (data/selfcheck/NAME.json, compiled in by
 * scripts/embed-data.sh); each item names a rule below that reads the facts
 * from the modules' APIs (one definition of each number: the screening
 * agreement is qes_agreement_foreach's, the appraisal agreement
 * qes_appraise_agreement_json's, the CERQual judgements
 * qes_cerqual_profile_json's, the ENTREQ status qes_entreq_json's) and
 * proposes an answer by an explicit rule (docs/selfcheck.md). The team's
 * confirmed answers are stored in selfcheck_answers; a change is one
 * transaction, logged in synth_log. */
#include "selfcheck_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embedded_data.h"
#include "qes/advisory.h"
#include "qes/appraise.h"
#include "qes/cerqual.h"
#include "qes/code.h"
#include "qes/limits.h"
#include "qes/prisma.h"
#include "qes/screen.h"
#include "qes/theme.h"
#include "strbuf.h"
#include "synth_internal.h"

enum { A_YES, A_NO, A_UNCLEAR, A_NA };
static const char *const answer_names[] = { "yes", "no", "unclear", "na" };

static int answer_parse(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (s && !strcmp(s, answer_names[i]))
			return i;
	return -1;
}

/* Everything the rules look at, read once. */
typedef struct facts {
	char *framework;
	long include, exclude, concepts;
	long db_sources, other_sources, undated_sources;
	qes_strbuf sources;                 /* "PsycINFO (database, searched 2022-03-14)" ... */
	long long db_imports, db_strings;
	long long decisions_ta;
	long screen_pairs;                  /* reviewer pairs who both decided >= 1 record (ta) */
	long screen_both;                   /* records both decided, best pair */
	double screen_kappa, screen_percent;
	int screen_kappa_defined;
	char *appraisal_checklist;
	long studies, studies_rated;
	long appraisal_items, appraisal_agreed;
	double appraisal_kappa;
	int appraisal_kappa_defined;
	char *appraisal_pair;
	long long raters;
	long long coders, codings, sample, codes, themes_desc, themes_ana, extracted, double_coded;
	long findings, findings_overall, findings_limitations, findings_low;
	qes_strbuf low;                     /* low / very low confidence findings */
	long advisors, workshops, comments, adopted;
	long ft_excluded, ft_excluded_reason;
	json_t *entreq;
} facts;

static long long n_of(qes_store *st, const char *sql)
{
	qes_error e;
	long long n = qes_store_count(st, sql, &e);
	return n < 0 ? 0 : n;
}

static int on_criterion(void *ud, qes_criterion_kind kind, const char *label, const char *text)
{
	facts *f = ud;
	(void)label;
	(void)text;
	if (kind == QES_CRIT_INCLUDE)
		f->include++;
	else if (kind == QES_CRIT_EXCLUDE)
		f->exclude++;
	else
		f->concepts++;
	return 0;
}

static int on_source(void *ud, const qes_source_info *s)
{
	facts *f = ud;
	if (!s->imports)
		return 0;
	if (!strcmp(s->method, "other"))
		f->other_sources++;
	else
		f->db_sources++;
	if (!s->searched || !*s->searched)
		f->undated_sources++;
	qes__strbuf_addf(&f->sources, "%s%s (%s, %s%s)", f->sources.len ? "; " : "", s->name,
			 s->method, s->searched ? "searched " : "search date not recorded",
			 s->searched ? s->searched : "");
	return 0;
}

static int on_pair(void *ud, const qes_agreement_pair *p)
{
	facts *f = ud;
	if (p->n <= 0)
		return 0;
	f->screen_pairs++;
	if (p->n > f->screen_both) {
		f->screen_both = p->n;
		f->screen_percent = p->percent_agreement;
		f->screen_kappa_defined = !isnan(p->k.kappa);
		f->screen_kappa = p->k.kappa;
	}
	return 0;
}

static void facts_release(facts *f)
{
	free(f->framework);
	free(f->appraisal_checklist);
	free(f->appraisal_pair);
	qes__strbuf_release(&f->sources);
	qes__strbuf_release(&f->low);
	json_decref(f->entreq);
}

static int gather(qes_store *st, int need_entreq, facts *f, qes_error *err)
{
	int rc;
	qes_error e;
	memset(f, 0, sizeof(*f));
	qes__strbuf_init(&f->sources, QES_MAX_FIELD);
	qes__strbuf_init(&f->low, QES_MAX_FIELD);
	if ((rc = qes_criteria_foreach(st, &f->framework, on_criterion, f, err)) ||
	    (rc = qes_sources_foreach(st, on_source, f, err)))
		return rc;
	f->db_imports = n_of(st, "SELECT count(*) FROM imports i JOIN sources s ON s.id = i.source_id"
			     " WHERE s.method <> 'other'");
	f->db_strings = n_of(st, "SELECT count(*) FROM imports i JOIN sources s ON s.id = i.source_id"
			     " WHERE s.method <> 'other' AND coalesce(i.search_string, '') <> ''");
	f->decisions_ta = n_of(st, "SELECT count(*) FROM screen_decisions WHERE stage = 'ta'");
	if ((rc = qes_agreement_foreach(st, QES_STAGE_TA, on_pair, f, err)))
		return rc;
	/* Full-text exclusions and their reasons: the PRISMA diagram's boxes. */
	qes_prisma p;
	qes_prisma_gap *gaps = NULL;
	size_t n_gaps = 0;
	if ((rc = qes_prisma_compute(st, &p, &gaps, &n_gaps, err)))
		return rc;
	const qes_prisma_column *cols[] = { &p.db, &p.other };
	for (int c = 0; c < 2; c++)
		for (size_t i = 0; i < cols[c]->n_excluded_reports; i++) {
			f->ft_excluded += cols[c]->excluded_reports[i].n;
			if (strcmp(cols[c]->excluded_reports[i].name, "No reason recorded"))
				f->ft_excluded_reason += cols[c]->excluded_reports[i].n;
		}
	qes_prisma_release(&p);
	qes_prisma_gaps_free(gaps, n_gaps);

	/* Appraisal: the table says which studies have answers; the agreement
	 * is the appraisal module's own (appraise_agree.c). */
	f->raters = n_of(st, "SELECT count(DISTINCT reviewer) FROM appraisal_ratings"
			 " WHERE reviewer <> 'consensus'");
	f->studies = (long)n_of(st, "studies");
	if (n_of(st, "appraisal_ratings") > 0) {
		json_t *t = qes_appraise_table_json(st, err), *s;
		if (!t)
			return err->code ? err->code : QES_ENOMEM;
		const char *title = json_string_value(json_object_get(json_object_get(t, "checklist"), "title"));
		f->appraisal_checklist = strdup(title ? title : "");
		size_t i;
		json_array_foreach(json_object_get(t, "studies"), i, s) {
			const char *k;
			json_t *v;
			json_object_foreach(json_object_get(s, "answers"), k, v)
				if (!json_is_null(v)) {
					f->studies_rated++;
					break;
				}
		}
		json_decref(t);
		json_t *a = qes_appraise_agreement_json(st, &e);
		if (a) {
			json_t *r = json_object_get(a, "reviewers");
			f->appraisal_items = (long)json_integer_value(json_object_get(a, "items"));
			f->appraisal_agreed = (long)json_integer_value(json_object_get(a, "agreed"));
			json_t *k = json_object_get(a, "kappa");
			f->appraisal_kappa_defined = json_is_number(k);
			f->appraisal_kappa = json_number_value(k);
			if (asprintf(&f->appraisal_pair, "%s and %s",
				     json_string_value(json_array_get(r, 0)),
				     json_string_value(json_array_get(r, 1))) < 0)
				f->appraisal_pair = NULL;
			json_decref(a);
		}
	}

	/* Coding: the coding module's own counts; themes by level. */
	json_t *cs = qes_code_stats_json(st, err), *tl, *t;
	if (!cs)
		return err->code ? err->code : QES_ENOMEM;
	f->coders = json_integer_value(json_object_get(cs, "coders"));
	f->codings = json_integer_value(json_object_get(cs, "codings"));
	f->sample = json_integer_value(json_object_get(cs, "sample"));
	f->codes = json_integer_value(json_object_get(cs, "codes"));
	json_decref(cs);
	f->double_coded = n_of(st, "SELECT count(*) FROM (SELECT source_id FROM code_codings"
			       " GROUP BY source_id HAVING count(DISTINCT coder_id) > 1)");
	if (!(tl = qes_theme_list_json(st, NULL, err)))
		return err->code ? err->code : QES_ENOMEM;
	size_t k;
	json_array_foreach(tl, k, t) {
		const char *level = json_string_value(json_object_get(t, "level"));
		f->themes_desc += level && !strcmp(level, "descriptive");
		f->themes_ana += level && !strcmp(level, "analytical");
	}
	json_decref(tl);
	f->extracted = n_of(st, "SELECT count(DISTINCT study_id) FROM extract_values");

	json_t *prof = qes_cerqual_profile_json(st, err), *row;
	if (!prof)
		return err->code ? err->code : QES_ENOMEM;
	size_t i;
	json_array_foreach(json_object_get(prof, "rows"), i, row) {
		f->findings++;
		const char *conf = json_string_value(json_object_get(json_object_get(row, "overall"),
								     "confidence"));
		json_t *lim = json_object_get(row, "limitations");
		const char *k;
		json_t *v;
		int has_lim = 0;
		json_object_foreach(lim, k, v)
			if (strcmp(k, "explanation") && json_is_string(v))
				has_lim = 1;
		f->findings_limitations += has_lim;
		if (conf) {
			f->findings_overall++;
			if (!strcmp(conf, "low") || !strcmp(conf, "very_low")) {
				f->findings_low++;
				qes__strbuf_addf(&f->low, "%s%s (%s)", f->low.len ? ", " : "",
						 json_string_value(json_object_get(row, "finding")),
						 qes_cerqual_level_text(conf, 1));
			}
		}
	}
	json_decref(prof);

	json_t *log = qes_advisory_log_json(st, err);
	if (!log)
		return err->code ? err->code : QES_ENOMEM;
	json_t *c = json_object_get(log, "counts");
	f->advisors = (long)json_integer_value(json_object_get(c, "advisors"));
	f->workshops = (long)json_integer_value(json_object_get(c, "workshops"));
	f->comments = (long)json_integer_value(json_object_get(c, "comments"));
	f->adopted = (long)json_integer_value(json_object_get(c, "adopted")) +
		     (long)json_integer_value(json_object_get(c, "partly"));
	json_decref(log);

	if (need_entreq && !(f->entreq = qes_entreq_json(st, err)))
		return err->code ? err->code : QES_ENOMEM;
	return 0;
}

/* --- Rules: each sets the evidence and returns the proposed answer. ------ */

static int rule_question(const facts *f, qes_strbuf *ev)
{
	int fw = f->framework && *f->framework;
	qes__strbuf_addf(ev, "Framework: %s; %ld concept blocks, %ld inclusion and %ld exclusion "
			 "criteria recorded (qes criteria).", fw ? f->framework : "not recorded",
			 f->concepts, f->include, f->exclude);
	if (fw && f->include)
		return A_YES;
	return fw || f->include || f->concepts ? A_UNCLEAR : A_NO;
}

static int rule_criteria(const facts *f, qes_strbuf *ev)
{
	qes__strbuf_addf(ev, "%ld inclusion and %ld exclusion criteria recorded%s%s.", f->include,
			 f->exclude, f->framework && *f->framework ? ", framework " : "",
			 f->framework && *f->framework ? f->framework : "");
	if (f->include && f->exclude)
		return A_YES;
	return f->include || f->exclude ? A_UNCLEAR : A_NO;
}

static int rule_search_strategy(const facts *f, qes_strbuf *ev)
{
	if (!f->db_imports) {
		qes__strbuf_addstr(ev, "No database or register searches imported.");
		return A_NO;
	}
	qes__strbuf_addf(ev, "Search strings recorded for %lld of %lld database and register "
			 "imports.", f->db_strings, f->db_imports);
	return f->db_strings == f->db_imports ? A_YES : f->db_strings ? A_UNCLEAR : A_NO;
}

static int rule_sources(const facts *f, qes_strbuf *ev)
{
	if (!f->db_sources && !f->other_sources) {
		qes__strbuf_addstr(ev, "No searches imported.");
		return A_NO;
	}
	qes__strbuf_addf(ev, "%ld databases or registers and %ld sources searched by other methods: "
			 "%s.", f->db_sources, f->other_sources, qes__strbuf_str(&f->sources));
	return f->db_sources >= 2 && f->other_sources && !f->undated_sources ? A_YES : A_UNCLEAR;
}

static int rule_appraisal_tool(const facts *f, qes_strbuf *ev)
{
	if (!f->appraisal_checklist) {
		qes__strbuf_addstr(ev, "No appraisal recorded (qes appraise).");
		return A_NO;
	}
	qes__strbuf_addf(ev, "%s: %ld of %ld included studies appraised.", f->appraisal_checklist,
			 f->studies_rated, f->studies);
	return f->studies_rated >= f->studies ? A_YES : A_UNCLEAR;
}

static int rule_appraisal_independent(const facts *f, qes_strbuf *ev)
{
	if (!f->appraisal_checklist) {
		qes__strbuf_addstr(ev, "No appraisal recorded (qes appraise).");
		return A_NO;
	}
	if (!f->appraisal_items) {
		qes__strbuf_addf(ev, "%lld reviewer(s) rated; no study was rated by two reviewers "
				 "independently.", f->raters);
		return A_NO;
	}
	qes__strbuf_addf(ev, "%lld reviewers rated; %s rated %ld answers independently and agreed "
			 "on %ld (%.0f%%", f->raters, f->appraisal_pair ? f->appraisal_pair : "two reviewers",
			 f->appraisal_items, f->appraisal_agreed,
			 100.0 * f->appraisal_agreed / f->appraisal_items);
	if (f->appraisal_kappa_defined)
		qes__strbuf_addf(ev, ", kappa %.2f", f->appraisal_kappa);
	qes__strbuf_addstr(ev, ").");
	return A_YES;
}

static int rule_screening_independent(const facts *f, qes_strbuf *ev)
{
	if (!f->decisions_ta) {
		qes__strbuf_addstr(ev, "No title and abstract decisions recorded.");
		return A_NO;
	}
	if (!f->screen_pairs) {
		qes__strbuf_addf(ev, "%lld title and abstract decisions, each record by one reviewer.",
				 f->decisions_ta);
		return A_NO;
	}
	qes__strbuf_addf(ev, "%ld records screened on title and abstract by two reviewers "
			 "independently; agreement %.0f%%", f->screen_both, f->screen_percent);
	if (f->screen_kappa_defined)
		qes__strbuf_addf(ev, ", kappa %.2f", f->screen_kappa);
	qes__strbuf_addstr(ev, " (qes agreement).");
	return A_YES;
}

static int rule_extraction(const facts *f, qes_strbuf *ev)
{
	if (!f->codings && !f->extracted) {
		qes__strbuf_addstr(ev, "Nothing extracted or coded yet.");
		return A_NO;
	}
	qes__strbuf_addf(ev, "Characteristics extracted for %lld studies; %lld codings by %lld "
			 "coder(s); %lld sources in the double-coding sample, %lld sources coded by "
			 "two or more coders.", f->extracted, f->codings, f->coders, f->sample,
			 f->double_coded);
	return f->double_coded && f->coders >= 2 ? A_YES : A_UNCLEAR;
}

static int rule_synthesis(const facts *f, qes_strbuf *ev)
{
	qes__strbuf_addf(ev, "%lld codes, %lld descriptive and %lld analytical themes (thematic "
			 "synthesis).", f->codes, f->themes_desc, f->themes_ana);
	if (f->codes && (f->themes_desc || f->themes_ana))
		return A_YES;
	return f->codes ? A_UNCLEAR : A_NO;
}

static int rule_publication_bias(const facts *f, qes_strbuf *ev)
{
	qes__strbuf_addf(ev, "qes records no assessment of publication or dissemination bias; "
			 "%ld sources were searched by other methods (grey literature, citations), "
			 "which the team may cite. Say whether and how it was assessed.",
			 f->other_sources);
	return A_UNCLEAR;
}

static int rule_recommendations(const facts *f, qes_strbuf *ev)
{
	if (!f->findings) {
		qes__strbuf_addstr(ev, "No review findings recorded.");
		return A_NO;
	}
	qes__strbuf_addf(ev, "%ld review findings, %ld with a GRADE-CERQual assessment of confidence;"
			 " advisory group: %ld advisors, %ld workshops, %ld comments (%ld adopted in "
			 "full or part).", f->findings, f->findings_overall, f->advisors, f->workshops,
			 f->comments, f->adopted);
	return f->findings_overall == f->findings ? A_YES : A_UNCLEAR;
}

static int rule_research_directions(const facts *f, qes_strbuf *ev)
{
	if (f->findings_low)
		qes__strbuf_addf(ev, "%ld findings with low or very low confidence, where more research "
				 "is needed: %s. Whether the review's directions for research follow "
				 "is for the team to judge.", f->findings_low, qes__strbuf_str(&f->low));
	else
		qes__strbuf_addf(ev, "%ld findings, none with low or very low confidence. Whether the "
				 "review's directions for research follow is for the team to judge.",
				 f->findings);
	return A_UNCLEAR;
}

static int rule_excluded_list(const facts *f, qes_strbuf *ev)
{
	if (!f->ft_excluded) {
		qes__strbuf_addstr(ev, "No report excluded at full text.");
		return A_UNCLEAR;
	}
	qes__strbuf_addf(ev, "%ld of %ld reports excluded at full text have a reason recorded "
			 "(the report lists them).", f->ft_excluded_reason, f->ft_excluded);
	return f->ft_excluded_reason == f->ft_excluded ? A_YES : A_UNCLEAR;
}

static int rule_characteristics(const facts *f, qes_strbuf *ev)
{
	if (!f->studies) {
		qes__strbuf_addstr(ev, "No included studies.");
		return A_NO;
	}
	qes__strbuf_addf(ev, "Characteristics extracted for %lld of %ld included studies.",
			 f->extracted, f->studies);
	return f->extracted >= f->studies ? A_YES : f->extracted ? A_UNCLEAR : A_NO;
}

static int rule_cerqual_limitations(const facts *f, qes_strbuf *ev)
{
	if (!f->findings) {
		qes__strbuf_addstr(ev, "No review findings recorded.");
		return A_NO;
	}
	qes__strbuf_addf(ev, "Methodological limitations (from the appraisal) judged for %ld of %ld "
			 "findings (GRADE-CERQual).", f->findings_limitations, f->findings);
	return f->findings_limitations == f->findings ? A_YES : A_UNCLEAR;
}

static int rule_na_meta(const facts *f, qes_strbuf *ev)
{
	(void)f;
	qes__strbuf_addstr(ev, "qes holds no meta-analysis: the review is a qualitative synthesis.");
	return A_NA;
}

static int rule_team(const facts *f, qes_strbuf *ev)
{
	(void)f;
	qes__strbuf_addstr(ev, "The review file holds nothing that answers this: the team answers.");
	return A_UNCLEAR;
}

static int rule_entreq(const facts *f, int n, qes_strbuf *ev)
{
	json_t *it = json_array_get(json_object_get(f->entreq, "items"), (size_t)(n - 1));
	const char *status = json_string_value(json_object_get(it, "status"));
	const char *author = json_string_value(json_object_get(it, "author_text"));
	qes__strbuf_addf(ev, "ENTREQ item %d (%s): %s%s%s", n, status ? status : "?",
			 author && *author ? author : "", author && *author ? " " : "",
			 json_string_value(json_object_get(it, "evidence")));
	if (!status)
		return A_UNCLEAR;
	return !strcmp(status, "filled") ? A_YES : !strcmp(status, "partial") ? A_UNCLEAR : A_NO;
}

static const struct {
	const char *name;
	int (*fn)(const facts *, qes_strbuf *);
} rules[] = {
	{ "question", rule_question }, { "criteria", rule_criteria },
	{ "search_strategy", rule_search_strategy }, { "sources", rule_sources },
	{ "appraisal_tool", rule_appraisal_tool },
	{ "appraisal_independent", rule_appraisal_independent },
	{ "screening_independent", rule_screening_independent },
	{ "extraction", rule_extraction }, { "synthesis", rule_synthesis },
	{ "publication_bias", rule_publication_bias },
	{ "recommendations", rule_recommendations },
	{ "research_directions", rule_research_directions },
	{ "excluded_list", rule_excluded_list }, { "characteristics", rule_characteristics },
	{ "cerqual_limitations", rule_cerqual_limitations }, { "na_meta", rule_na_meta },
	{ "team", rule_team },
};

static int apply_rule(const facts *f, const char *rule, qes_strbuf *ev)
{
	if (!strncmp(rule, "entreq:", 7))
		return rule_entreq(f, atoi(rule + 7), ev);
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (!strcmp(rules[i].name, rule))
			return rules[i].fn(f, ev);
	qes__strbuf_addf(ev, "No rule '%s' in this version of qes: the team answers.", rule);
	return A_UNCLEAR;
}

/* --- Checklists ----------------------------------------------------------- */

static json_t *load_list(const qes__embedded_file *file, qes_error *err)
{
	json_error_t je;
	json_t *l = json_loadb(file->bytes, file->size, 0, &je);
	if (!l || !json_is_array(json_object_get(l, "items"))) {
		json_decref(l);
		qes_error_set(err, QES_EFORMAT, "built-in checklist %s: %s", file->name,
			      l ? "no items" : je.text);
		return NULL;
	}
	return l;
}

json_t *qes_selfcheck_lists_json(qes_error *err)
{
	json_t *arr = json_array();
	for (const qes__embedded_file *f = qes__selfcheck_lists; arr && f->name; f++) {
		json_t *l = load_list(f, err);
		if (!l) {
			json_decref(arr);
			return NULL;
		}
		json_array_append_new(arr, l);
	}
	if (!arr)
		qes_error_set(err, QES_ENOMEM, "out of memory");
	return arr;
}

static json_t *find_list(const char *id, qes_error *err)
{
	if (!id)
		id = QES_SELFCHECK_DEFAULT;
	for (const qes__embedded_file *f = qes__selfcheck_lists; f->name; f++)
		if (!strcmp(f->name, id))
			return load_list(f, err);
	qes_error_set(err, QES_ENOTFOUND, "no checklist '%s' (jbi-sr, amstar2 or entreq-sr)", id);
	return NULL;
}

static json_t *item_of(json_t *list, const char *item)
{
	json_t *it;
	size_t i;
	json_array_foreach(json_object_get(list, "items"), i, it)
		if (!strcmp(json_string_value(json_object_get(it, "id")), item))
			return it;
	return NULL;
}

json_t *qes_selfcheck_json(qes_store *st, const char *checklist, qes_error *err)
{
	json_t *list = find_list(checklist, err), *items = NULL, *out = NULL, *it;
	sqlite3_stmt *s = NULL;
	facts f;
	int need_entreq = 0, rc;
	long counts[4] = { 0 }, confirmed = 0;
	size_t i;
	if (!list)
		return NULL;
	json_array_foreach(json_object_get(list, "items"), i, it)
		if (!strncmp(json_string_value(json_object_get(it, "rule")), "entreq:", 7))
			need_entreq = 1;
	rc = gather(st, need_entreq, &f, err);
	if (rc || qes__prep(st, &s, "SELECT answer, comment, answered_by, answered_at FROM"
			    " selfcheck_answers WHERE checklist = ?1 AND item = ?2", err))
		goto out;
	items = json_array();
	const char *cid = json_string_value(json_object_get(list, "id"));
	json_array_foreach(json_object_get(list, "items"), i, it) {
		qes_strbuf ev = QES_STRBUF_INIT(QES_MAX_FIELD);
		const char *id = json_string_value(json_object_get(it, "id"));
		const char *rule = json_string_value(json_object_get(it, "rule"));
		int proposed = apply_rule(&f, rule ? rule : "", &ev);
		json_t *o = json_pack("{s:s, s:O, s:s, s:s, s:n, s:s, s:s, s:n, s:n}", "id", id,
				      "question", json_object_get(it, "question"), "rule", rule ? rule : "",
				      "proposed", answer_names[proposed], "answer",
				      "evidence", qes__strbuf_str(&ev), "comment", "",
				      "answered_by", "answered_at");
		qes__strbuf_release(&ev);
		int in_force = proposed;
		sqlite3_reset(s);
		sqlite3_bind_text(s, 1, cid, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, id, -1, SQLITE_STATIC);
		if (o && sqlite3_step(s) == SQLITE_ROW) {
			in_force = answer_parse(qes__col(s, 0));
			json_object_set_new(o, "answer", json_string(qes__col(s, 0)));
			json_object_set_new(o, "comment", json_string(qes__col(s, 1)));
			json_object_set_new(o, "answered_by", json_string(qes__col(s, 2)));
			json_object_set_new(o, "answered_at", json_string(qes__col(s, 3)));
			confirmed++;
		}
		if (in_force >= 0)
			counts[in_force]++;
		if (!o || json_array_append_new(items, o)) {
			qes_error_set(err, QES_ENOMEM, "out of memory");
			goto out;
		}
	}
	out = json_pack("{s:{s:O, s:O, s:O, s:O}, s:O, s:{s:i, s:i, s:i, s:i, s:i}}",
			"checklist", "id", json_object_get(list, "id"), "title",
			json_object_get(list, "title"), "citation", json_object_get(list, "citation"),
			"licence", json_object_get(list, "licence"), "items", items, "counts",
			"yes", (int)counts[A_YES], "no", (int)counts[A_NO], "unclear",
			(int)counts[A_UNCLEAR], "na", (int)counts[A_NA], "confirmed", (int)confirmed);
	if (!out)
		qes_error_set(err, QES_ENOMEM, "out of memory");
out:
	sqlite3_finalize(s);
	facts_release(&f);
	json_decref(items);
	json_decref(list);
	return out;
}

int qes_selfcheck_set(qes_store *st, const char *checklist, const char *item,
		      const char *answer, const char *comment, const char *by,
		      qes_error *err)
{
	json_t *list = find_list(checklist, err);
	sqlite3_stmt *s = NULL;
	int rc;
	if (!list)
		return err->code;
	const char *cid = json_string_value(json_object_get(list, "id"));
	if (!item || !item_of(list, item)) {
		rc = qes_error_set(err, QES_ENOTFOUND, "checklist %s has no item '%s'", cid,
				   item ? item : "");
		goto done;
	}
	if (answer && answer_parse(answer) < 0) {
		rc = qes_error_set(err, QES_EINVAL, "answer '%s': yes, no, unclear or na", answer);
		goto done;
	}
	if (qes__synth_too_long(comment, "a comment", err)) {
		rc = err->code;
		goto done;
	}
	if ((rc = qes_store_begin(st, err)))
		goto done;
	if (answer)
		rc = qes__prep(st, &s, "INSERT INTO selfcheck_answers(checklist, item, answer, comment,"
			       " answered_by) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(checklist, item)"
			       " DO UPDATE SET answer = excluded.answer, comment = excluded.comment,"
			       " answered_by = excluded.answered_by, answered_at ="
			       " strftime('%Y-%m-%dT%H:%M:%SZ','now')", err);
	else
		rc = qes__prep(st, &s, "DELETE FROM selfcheck_answers WHERE checklist = ?1 AND item = ?2",
			       err);
	if (!rc) {
		sqlite3_bind_text(s, 1, cid, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, item, -1, SQLITE_STATIC);
		if (answer) {
			sqlite3_bind_text(s, 3, answer, -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 4, comment ? comment : "", -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 5, by ? by : "", -1, SQLITE_STATIC);
		}
		rc = qes__synth_step(st, s, "storing the answer", err);
		s = NULL;
	}
	if (!rc) {
		char target[256];
		snprintf(target, sizeof(target), "selfcheck %s %s", cid, item);
		rc = qes__synth_log(st, by ? by : "", answer ? "selfcheck answer" : "selfcheck clear",
				    target, answer ? answer : "", err);
	}
	if (rc)
		qes_store_rollback(st);
	else
		rc = qes_store_commit(st, err);
done:
	sqlite3_finalize(s);
	json_decref(list);
	return rc;
}

/* --- Report ------------------------------------------------------------- */

int qes__selfcheck_report_html(qes_store *st, qes_strbuf *out, qes_error *err)
{
	json_t *v = qes_selfcheck_json(st, NULL, err), *it;
	qes_strbuf sb = QES_STRBUF_INIT(QES_MAX_FIELD);
	size_t i;
	if (!v)
		return err->code ? err->code : QES_ENOMEM;
	json_t *cl = json_object_get(v, "checklist"), *c = json_object_get(v, "counts");
	qes__strbuf_addstr(&sb, "<section id=\"selfcheck\"><h2>The review appraised: ");
	qes__html_escape(&sb, json_string_value(json_object_get(cl, "title")));
	qes__strbuf_addf(&sb, "</h2>\n<p>%d of %zu items met (yes), %d not met, %d unclear, %d not "
			 "applicable; %d answers confirmed by the team, the rest proposed by qes "
			 "from the review's data.</p>\n<table class=\"qes-selfcheck\"><thead><tr>"
			 "<th>Item</th><th>Question</th><th>Evidence in the review</th><th>Proposed"
			 "</th><th>Answer</th><th>Comment</th></tr></thead><tbody>\n",
			 (int)json_integer_value(json_object_get(c, "yes")),
			 json_array_size(json_object_get(v, "items")),
			 (int)json_integer_value(json_object_get(c, "no")),
			 (int)json_integer_value(json_object_get(c, "unclear")),
			 (int)json_integer_value(json_object_get(c, "na")),
			 (int)json_integer_value(json_object_get(c, "confirmed")));
	json_array_foreach(json_object_get(v, "items"), i, it) {
		const char *a = json_string_value(json_object_get(it, "answer"));
		const char *fields[] = { "id", "question", "evidence", "proposed" };
		qes__strbuf_addstr(&sb, "<tr>");
		for (int k = 0; k < 4; k++) {
			qes__strbuf_addstr(&sb, "<td>");
			qes__html_escape(&sb, json_string_value(json_object_get(it, fields[k])));
			qes__strbuf_addstr(&sb, "</td>");
		}
		qes__strbuf_addstr(&sb, "<td>");
		qes__html_escape(&sb, a ? a : "(not confirmed)");
		qes__strbuf_addstr(&sb, "</td><td>");
		qes__html_escape(&sb, json_string_value(json_object_get(it, "comment")));
		qes__strbuf_addstr(&sb, "</td></tr>\n");
	}
	qes__strbuf_addstr(&sb, "</tbody></table>\n<p class=\"citation\">");
	qes__html_escape(&sb, json_string_value(json_object_get(cl, "citation")));
	qes__strbuf_addstr(&sb, " ");
	qes__html_escape(&sb, json_string_value(json_object_get(cl, "licence")));
	int rc = qes__strbuf_addstr(&sb, "</p></section>\n");
	json_decref(v);
	if (rc) {
		qes__strbuf_release(&sb);
		return qes_error_set(err, rc, "the self-appraisal section is too large");
	}
	rc = qes__strbuf_add(out, sb.buf, sb.len);
	qes__strbuf_release(&sb);
	return rc ? qes_error_set(err, rc, "the report is too large") : 0;
}
