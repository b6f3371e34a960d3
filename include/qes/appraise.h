/* qes/appraise.h: quality appraisal of included studies.
 *
 * A checklist is data (JSON, see data/checklists/ and docs/appraisal.md):
 * an id, title, citation, the answer options and the questions, each with an
 * id, text and type ("rating": yes / cant_tell / no; "text": free text, like
 * CASP's Q10). The CASP qualitative checklist (2018) is loaded into a review
 * on first use; teams add their own checklists or questions. One checklist
 * or several are active (meta keys appraise.checklist, the first, and
 * appraise.checklists, the set when there are several).
 *
 * Ratings: one answer and comment per study, question and reviewer. The
 * reviewer name "consensus" is reserved for the agreed answer after
 * discussion. A study's final answer is the consensus one, or the answer all
 * reviewers gave; otherwise it is unresolved (a discrepancy).
 *
 * JSON-returning functions give a new reference; NULL with err filled. */
#ifndef QES_APPRAISE_H
#define QES_APPRAISE_H

#include <stdio.h>
#include <jansson.h>
#include "qes/error.h"
#include "qes/store.h"

#define QES_CONSENSUS "consensus"

/* --- Checklists ----------------------------------------------------------- */

/* The CASP qualitative checklist (2018) as JSON text (compiled in). */
extern const char qes_casp_qualitative_2018_json[];

/* Loads the built-in CASP checklist when the review has no checklist yet
 * and makes it the active one. One transaction (none if nothing to do). */
int qes_checklist_ensure_default(qes_store *st, qes_error *err);
/* Parses and checks a checklist (JSON text); err names the field at fault.
 * *out is a new reference. */
int qes_checklist_parse(const char *name, const char *buf, size_t len,
			json_t **out, qes_error *err);
/* Adds a checklist from a JSON file (QES_EEXIST if its id is taken);
 * use != 0 makes it active. One transaction. *id gets its id (malloc'd). */
int qes_checklist_add_file(qes_store *st, const char *path, int use, char **id,
			   qes_error *err);
/* Adds a review-specific question at the end. type "rating" or "text". */
int qes_checklist_add_question(qes_store *st, const char *checklist, const char *qid,
			       const char *text, const char *type, qes_error *err);
/* Makes checklist the only active one. */
int qes_checklist_use(qes_store *st, const char *checklist, qes_error *err);
/* Several checklists can be active at once (CASP for the studies and the
 * review's own questions, say): on != 0 adds checklist to the active ones
 * (after them), 0 removes it (one must stay active). One transaction. The
 * table, plots, agreement, discrepancies and the rule span them all. */
int qes_checklist_activate(qes_store *st, const char *checklist, int on, qes_error *err);
/* The checklist as JSON (same shape as the files); NULL id = the active one. */
json_t *qes_checklist_json(qes_store *st, const char *checklist, qes_error *err);
/* The questions of the active checklists as the appraisal table shows
 * them (one checklist: its questions; several: each also has "checklist"
 * and "qid", and "id" is "checklist:qid" when two share qid). *checklists
 * (when not NULL) gets [{ "id", "title", "citation", "questions": [ids] }]. */
json_t *qes_appraise_questions_json(qes_store *st, json_t **checklists, qes_error *err);
/* [{ "id", "title", "questions", "active" }] */
json_t *qes_checklist_list_json(qes_store *st, qes_error *err);

/* --- Ratings -------------------------------------------------------------- */

/* Reads study,reviewer,question,answer,comment (header required) into the
 * active checklist, one transaction; a bad row rejects the file (file and
 * line in err). A row replaces an earlier rating of the same study,
 * question and reviewer. *n gets the rows stored. */
int qes_appraise_import_csv(qes_store *st, const char *path, long *n, qes_error *err);
int qes_appraise_import_buf(qes_store *st, const char *name, const char *buf,
			    size_t len, long *n, qes_error *err);

/* --- The weighing rule (lib/appraise_rule.c) ------------------------------ */

/* Sets how a study's limitations are weighed: the number of "no" answers
 * among questions ("casp2-casp9,rq1": ids and ranges of rating questions
 * of the active checklist, or "all") that make serious, moderate and minor
 * concerns (0: level not used; they must fall in that order). questions
 * NULL goes back to the default (serious from one "no" on any rating
 * question). One transaction. */
int qes_appraise_rule_set(qes_store *st, const char *questions, int serious, int moderate,
			  int minor, qes_error *err);
/* { "questions": [ids], "serious", "moderate", "minor", "default" (no
 * rule set), "text" (the rule in words) }. */
json_t *qes_appraise_rule_json(qes_store *st, qes_error *err);

/* The appraisal table: { "checklist": {id,title,citation},
 *   "questions": [{id,text,type}], "studies": [{ "study", "label",
 *   "answers": { qid: answer|null }, "comments": { qid: text },
 *   "limitations": none|minor|moderate|serious|null (not rated), "no": n
 *   (answers 'no' among the rule's questions) }], "unresolved": n,
 *   "rule": qes_appraise_rule_json } */
json_t *qes_appraise_table_json(qes_store *st, qes_error *err);
/* One rater's own answers for one study on the active checklist:
 * { qid: { "answer", "comment" } } (other raters' are left out, as a form
 * for that rater must). */
json_t *qes_appraise_ratings_json(qes_store *st, const char *study, const char *rater,
				  qes_error *err);
/* study,label,<qid>... one row per study (answers as in the JSON). */
int qes_appraise_table_csv(qes_store *st, FILE *out, qes_error *err);
/* HTML fragment <table class="qes-appraisal">; *html malloc'd. */
int qes_appraise_table_html(qes_store *st, char **html, qes_error *err);

/* Agreement of the two reviewers who rated the most (study, question) pairs
 * together (rating questions only):
 * { "reviewers": [a, b], "items", "agreed", "percent", "kappa", "ci_low",
 *   "ci_high", "categories": ["yes","cant_tell","no"], "table": [[...]] }
 * (table rows: first reviewer's answer; kappa null when undefined). */
json_t *qes_appraise_agreement_json(qes_store *st, qes_error *err);
/* Items where reviewers differ: [{ "study", "question", "answers":
 * { reviewer: answer }, "resolved", "consensus" }] */
json_t *qes_appraise_discrepancies_json(qes_store *st, qes_error *err);

/* Draws the double-rating sample: ceil(fraction * studies) studies chosen by
 * a seeded shuffle of the study keys (same seed, same studies), stored in the
 * review (replacing an earlier sample). One transaction. Returns the keys. */
json_t *qes_appraise_sample(qes_store *st, double fraction, unsigned long long seed,
			    qes_error *err);

/* --- Plots (SVG, robvis conventions) -------------------------------------- */

enum qes_palette { QES_PALETTE_ROBVIS = 0, QES_PALETTE_COLOURBLIND = 1 };

/* Traffic-light plot (studies by questions; coloured circles with +, -, ?
 * symbols) or, with summary, one stacked 100% bar per question. *svg is
 * malloc'd. */
int qes_appraise_plot_svg(qes_store *st, int summary, enum qes_palette pal,
			  char **svg, qes_error *err);

#endif
