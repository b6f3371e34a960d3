/* qes/advisory.h: the lived-experience advisory group (LEAG).
 *
 * Advisors (names or pseudonyms; optionally a web account of role advisor)
 * meet the team at workshops (a date, who was present, what was shown:
 * themes, findings, codes or free text). Their comments, by an advisor or
 * the group, at a workshop or not, may be on a code, theme, finding or
 * coding; the team responds with a status (adopted, partly, not_adopted,
 * pending), the change made, and the items it affected. All is logged.
 *
 * Sharing: advisors see only what the team shares. A theme or finding is
 * shown once shared; quotes (codings marked quote or illustrative) under a
 * shown theme or finding are shown unless held back, and a held-back coding
 * is never shown, whatever else is shared. qes_advisory_view_json is the
 * advisors' whole view: the web layer serves it and nothing else to them.
 *
 * Targets are written KIND:NAME: "theme:NAME" (or "theme:#ID"),
 * "finding:KEY", "code:PATH", "coding:GUID" (or "coding:#ID"); a workshop
 * item may also be "text:WORDS". Texts (statements, comments, changes)
 * longer than QES_MAX_FIELD are QES_ELIMIT. */
#ifndef QES_ADVISORY_H
#define QES_ADVISORY_H

#include <jansson.h>
#include "qes/cerqual.h"
#include "qes/error.h"
#include "qes/store.h"

/* Adds an advisor; web_user (a web account name, role advisor) may be NULL.
 * One transaction. QES_EEXIST when the name is taken. */
int qes_advisor_add(qes_store *st, const char *name, const char *web_user,
		    const char *by, qes_error *err);
/* Records an advisor's consent ("consent") or debrief ("debrief"): the
 * date (YYYY-MM-DD) and how (in writing, by phone, ...). Every record is
 * kept; the log shows them. One transaction, logged. */
int qes_advisor_record(qes_store *st, const char *advisor, const char *kind, const char *date,
		       const char *how, const char *by, qes_error *err);
/* The advisor linked to a web account (by web_users.id); QES_ENOTFOUND. */
int qes_advisor_for_user(qes_store *st, long long web_user_id, long long *advisor,
			 qes_error *err);

/* Records a workshop held on date (YYYY-MM-DD) with the advisors present
 * and the items shown (targets as above, or "text:..."). *id gets its id.
 * One transaction. */
int qes_workshop_add(qes_store *st, const char *date, const char *title,
		     char *const *advisors, int nadvisors, char *const *shown, int nshown,
		     const char *by, long long *id, qes_error *err);

/* Records a comment. advisor NULL: the group. workshop 0: outside one
 * (an advisor must have been present at the workshop). target may be NULL.
 * One transaction. *id gets the comment id. */
int qes_comment_add(qes_store *st, const char *advisor, long long workshop,
		    const char *target, const char *text, const char *by,
		    long long *id, qes_error *err);
/* The team's response: status "adopted", "partly", "not_adopted" or
 * "pending"; change (required unless pending) says how the analysis
 * changed or why not; affects: targets touched (replacing earlier ones).
 * One transaction, logged. */
int qes_comment_respond(qes_store *st, long long comment, const char *status,
			const char *change, char *const *affects, int naffects,
			const char *by, qes_error *err);

/* Shares (share != 0) or holds back a theme, finding or coding. One
 * transaction, logged. */
int qes_advisory_share(qes_store *st, const char *target, int share, const char *by,
		       qes_error *err);

/* The advisors' view: { "themes": [{ "theme", "level", "description",
 *   "codes": [paths], "quotes": [{ "text", "study", "kind" }] }],
 *   "findings": [{ "finding", "statement", "confidence", "themes": [shared
 *   theme names], "quotes": [...] }] }. Nothing unshared, no held-back
 *   quote, no coder names, no source names. */
json_t *qes_advisory_view_json(qes_store *st, qes_error *err);
/* The same view as seen by as under the double-coding blinding (the rule of
 * qes_code_list_json --as): a quote from a sampled source not yet marked
 * done by two coders is shown only to its own coder. as "" is no coder (an
 * advisor: only unblinded codings); NULL is everything (the owner's CLI). */
json_t *qes_advisory_view_as_json(qes_store *st, const char *as, qes_error *err);

/* The LEAG log: { "advisors": [{ "advisor", "web_user", "records": [{
 *   "kind" (consent|debrief), "date", "how", "by" }] }],
 *   "workshops": [{ "workshop", "date", "title", "advisors": [names],
 *   "shown": [descriptions] }], "comments": [{ "comment", "workshop", "date",
 *   "by", "on", "text", "status", "change", "affects": [descriptions],
 *   "responded_by", "responded_at" }], "counts": { "advisors", "workshops",
 *   "comments", "adopted", "partly", "not_adopted", "pending" } } */
json_t *qes_advisory_log_json(qes_store *st, qes_error *err);
/* CSV columns: workshop,date,advisors,shown,comment,by,on,text,status,
 * change,affects (one row per comment; a workshop without comments gets a
 * row of its own). HTML: <table class="qes-leag">. *out malloc'd. */
int qes_advisory_log_text(qes_store *st, qes_table_format fmt, char **out, qes_error *err);
/* The same table from a log already read with qes_advisory_log_json (the
 * report reads it once for its counts and its table). */
int qes_advisory_log_render(json_t *log, qes_table_format fmt, char **out, qes_error *err);

/* --- ENTREQ (Tong et al. 2012) -------------------------------------------- */

/* The 21 items filled from the review: { "items": [{ "item", "domain",
 *   "title", "guidance", "status": "filled" | "partial" | "needs_author",
 *   "evidence", "author_text" }], "counts": { "filled", "partial",
 *   "needs_author" } }. */
json_t *qes_entreq_json(qes_store *st, qes_error *err);
/* The authors' own text for item n (1..21), "" to clear: counts as filled.
 * One transaction. */
int qes_entreq_set(qes_store *st, int item, const char *text, qes_error *err);
/* CSV columns: item,domain,title,status,evidence. HTML: <table class="qes-entreq">. */
int qes_entreq_text(qes_store *st, qes_table_format fmt, char **out, qes_error *err);

#endif
