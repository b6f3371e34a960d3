/* qes/cerqual.h: review findings and their GRADE-CERQual assessment
 * (Lewin et al. 2018, Implementation Science 13(Suppl 1)).
 *
 * A review finding is a summary statement (key "F1") resting on themes
 * (code_themes) and codes. Its contributing studies are derived: every
 * study whose sources have a coding under a linked code (or its
 * descendants), or under a code grouped in a linked theme (with its
 * subthemes and lower themes); the team may add or remove a study with a
 * reason. Each finding is assessed on four components (methodological
 * limitations, coherence, adequacy, relevance: concerns none (no or very
 * minor) | minor | moderate | serious) and an overall confidence (high |
 * moderate | low | very_low). An explanation is required for concerns above
 * none and for the overall confidence. For limitations, a missing
 * explanation is filled from the contributing studies' appraisal (answers
 * "no" are serious concerns on that item). Every change goes to the
 * append-only synthesis log with who made it and when.
 *
 * Tables: the Summary of Qualitative Findings (SoQF) and the evidence
 * profile, as JSON, CSV or HTML. JSON-returning functions give a new
 * reference, NULL with err filled on failure; text outputs are malloc'd. */
#ifndef QES_CERQUAL_H
#define QES_CERQUAL_H

#include <jansson.h>
#include "qes/error.h"
#include "qes/store.h"

/* Output formats of the tables (here and in advisory.h, ENTREQ). */
typedef enum qes_table_format { QES_TABLE_CSV = 0, QES_TABLE_HTML = 1 } qes_table_format;

/* --- Findings ------------------------------------------------------------- */

/* Adds a finding linked to targets ("theme:NAME", "code:PATH", may be
 * none). key: 1 to 32 letters, digits, '-', '_', '.'. One transaction.
 * QES_EEXIST when the key is taken. */
int qes_finding_add(qes_store *st, const char *key, const char *statement,
		    char *const *links, int nlinks, const char *by, qes_error *err);
/* Links a finding to themes or codes. targets: "theme:NAME" ("theme:#ID"
 * for the theme id) or "code:PATH". One transaction for all. */
int qes_finding_link(qes_store *st, const char *key, char *const *targets, int ntargets,
		     const char *by, qes_error *err);
/* Takes themes or codes off a finding (QES_ENOTFOUND for one it does not
 * rest on), e.g. before the theme is removed. One transaction for all. */
int qes_finding_unlink(qes_store *st, const char *key, char *const *targets, int ntargets,
		       const char *by, qes_error *err);
/* Corrects the derived contributing studies: add (add != 0) or remove a
 * study (by its key), with a reason (required). One transaction. */
int qes_finding_study(qes_store *st, const char *key, const char *study, int add,
		      const char *reason, const char *by, qes_error *err);
/* Finds a finding's id by key or "#ID". */
int qes_finding_find(qes_store *st, const char *key, long long *id, qes_error *err);

/* One finding: { "finding", "statement", "themes": [names], "codes": [paths],
 *   "studies": [{ "study", "label", "derived": bool, "override": "add" |
 *   "remove" | null, "reason" }] (removed studies listed too, "included":
 *   false), "limitations_summary": { "studies", "appraised", "with_serious",
 *   "checklist", "items": [{ "question", "text", "no", "cant_tell",
 *   "studies_no": [labels] }], "text" },
 *   "cerqual": { component: { "concern" | "confidence", "explanation", "by",
 *   "at" } } } */
json_t *qes_finding_json(qes_store *st, const char *key, qes_error *err);
/* Every finding, in key order (natural: F2 before F10): the same objects. */
json_t *qes_finding_list_json(qes_store *st, qes_error *err);

/* --- Assessment ----------------------------------------------------------- */

/* component: "limitations", "coherence", "adequacy", "relevance" with
 * level "none" (also "no", "very_minor"), "minor", "moderate", "serious";
 * or "overall" with "high", "moderate", "low", "very_low" (also "very low").
 * explanation may be NULL or "": refused (QES_EINVAL naming the component)
 * when concerns are above none or for overall, except for limitations,
 * which then takes the appraisal summary when there is one. by: who
 * assessed (required). One transaction, logged. */
int qes_cerqual_assess(qes_store *st, const char *finding, const char *component,
		       const char *level, const char *explanation, const char *by,
		       qes_error *err);

/* Summary of Qualitative Findings: { "columns": [...], "rows": [{
 *   "finding", "statement", "confidence", "explanation", "studies": [labels]
 *   }] }; confidence null when not yet assessed. */
json_t *qes_cerqual_soqf_json(qes_store *st, qes_error *err);
/* The evidence profile: rows with "finding", "statement", one object per
 * component { "concern", "explanation" }, "overall" { "confidence",
 * "explanation" }, "studies" [labels], "assessed_by", "assessed_at" (the
 * latest change). */
json_t *qes_cerqual_profile_json(qes_store *st, qes_error *err);
/* CSV columns: soqf: finding,statement,confidence,explanation,studies;
 * profile: finding,statement,limitations,limitations_explanation,coherence,
 * coherence_explanation,adequacy,adequacy_explanation,relevance,
 * relevance_explanation,confidence,confidence_explanation,studies
 * (studies "; "-separated). HTML: a fragment <table class="qes-soqf"> or
 * <table class="qes-cerqual">. *out malloc'd. */
int qes_cerqual_soqf_text(qes_store *st, qes_table_format fmt, char **out, qes_error *err);
int qes_cerqual_profile_text(qes_store *st, qes_table_format fmt, char **out, qes_error *err);

/* The synthesis log (findings, assessments, advisory group), oldest first:
 * [{ "id", "at", "who", "action", "target", "detail" }]. */
json_t *qes_synth_log_json(qes_store *st, qes_error *err);

/* Words for a level: "No or very minor concerns", "Moderate confidence". */
const char *qes_cerqual_level_text(const char *level, int overall);

#endif
