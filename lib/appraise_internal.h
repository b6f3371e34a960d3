/* appraise_internal.h: what the appraisal files share. */
#ifndef QES_APPRAISE_INTERNAL_H
#define QES_APPRAISE_INTERNAL_H

#include <jansson.h>
#include "qes/store.h"

/* The questions of the active checklists, in order. With one checklist
 * active, its questions as they are; with several, each also carries
 * "checklist" and "qid" (its own id) and "id" is qid, or "checklist:qid"
 * when two active checklists share qid. *cls gets [{ "id", "title",
 * "citation", "questions": [ids shown] }]. */
json_t *qes__appraise_questions(qes_store *st, json_t **cls, qes_error *err);
/* The active checklists and their ratings:
 * { "checklist": (the first, as qes_checklist_json), "checklists": (as
 *   qes__appraise_questions), "questions": (the same), "studies": [{ "study", "label",
 *   "ratings": { qid: { reviewer: { "answer", "comment" } } } }] }
 * Every study appears, rated or not, in key order. */
json_t *qes__appraise_load(qes_store *st, qes_error *err);
/* The final answer of one question's ratings ({reviewer: {answer}}):
 * consensus if given, else the answer all reviewers share, else NULL;
 * *conflict is set when reviewers differ and there is no consensus. */
const char *qes__appraise_final(json_t *ratings, int *conflict);
/* The review's weighing rule over checklist questions qs (see
 * qes_appraise_rule_json). */
json_t *qes__appraise_rule(qes_store *st, json_t *qs, qes_error *err);
/* A study's limitations by the rule from its final answers: "none",
 * "minor", "moderate", "serious", or NULL when none of the rule's
 * questions is answered; *nno gets the "no" answers counted. */
const char *qes__appraise_level(json_t *rule, json_t *answers, int *nno);

#endif
