/* qes/selfcheck.h: the review appraised as a whole, by a checklist for
 * systematic reviews (JBI's 11 items by default; AMSTAR 2 and ENTREQ-based
 * items as alternatives). The checklists are data (data/selfcheck/NAME.json,
 * compiled in): an id, title, citation, licence and items, each with an id,
 * a question (our own short paraphrase) and the rule that gathers its
 * evidence and proposes an answer (docs/selfcheck.md lists the rules).
 *
 * Each item shows the evidence qes finds in the review file, a proposed
 * answer ("yes", "no", "unclear", "na") by the item's rule, and the team's
 * confirmed answer and comment (stored per checklist and item). The review
 * itself is never a record or a study here: everything is read from the
 * review's own tables through the modules' APIs.
 *
 * JSON-returning functions give a new reference; NULL with err filled. */
#ifndef QES_SELFCHECK_H
#define QES_SELFCHECK_H

#include <jansson.h>
#include "qes/error.h"
#include "qes/store.h"

#define QES_SELFCHECK_DEFAULT "jbi-sr"

/* The checklists shipped: [{ "id", "title", "citation", "licence",
 * "items" }]. */
json_t *qes_selfcheck_lists_json(qes_error *err);

/* The checklist filled from the review (NULL id: the default):
 * { "checklist": { "id", "title", "citation", "licence" },
 *   "items": [{ "id", "question", "rule", "proposed", "answer", "evidence",
 *   "comment", "answered_by", "answered_at" }],
 *   "counts": { "yes", "no", "unclear", "na", "confirmed" } }
 * "answer" is the team's confirmed answer, or null; "counts" count the
 * answer in force (confirmed, else proposed). QES_ENOTFOUND: no such list. */
json_t *qes_selfcheck_json(qes_store *st, const char *checklist, qes_error *err);

/* Confirms or changes an item's answer ("yes", "no", "unclear", "na"),
 * with an optional comment; answer NULL removes the team's answer. One
 * transaction; logged in the synthesis log (qes_synth_log_json). */
int qes_selfcheck_set(qes_store *st, const char *checklist, const char *item,
		      const char *answer, const char *comment, const char *by,
		      qes_error *err);

#endif
