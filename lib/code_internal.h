/* code_internal.h: helpers shared by the coding module's files. */
#ifndef QES_CODE_INTERNAL_H
#define QES_CODE_INTERNAL_H

#include <sqlite3.h>
#include "qes/code.h"

/* Prepares sql on the store; QES_ESTORE with err filled on failure. */
int qes__code_prep(qes_store *st, sqlite3_stmt **s, const char *sql, qes_error *err);
/* Steps a statement expected to finish (INSERT/UPDATE), finalizes it. */
int qes__code_done_stmt(qes_store *st, sqlite3_stmt *s, const char *what, qes_error *err);
/* Finds id in table by its name column, or "#ID"; what names the thing
 * in the not-found message ("source", "case", "code"). */
int qes__code_lookup(qes_store *st, const char *table, const char *column,
		     const char *name, const char *what, long long *id, qes_error *err);
/* A coder by name; created (with a GUID) when create is set. */
int qes__code_coder(qes_store *st, const char *name, int create, long long *id,
		    qes_error *err);
/* Adds a note on a target row inside the caller's transaction. */
int qes__code_note(qes_store *st, const char *type, long long target, long long coder,
		   const char *text, qes_error *err);
/* The text of word/document.xml (the .docx reader after unzipping). */
int qes__code_docx_xml(const char *xml, size_t len, char **out, size_t *outlen,
			qes_error *err);
/* QES_EFORMAT when value does not fit the declared type of variable key
 * (its first keylen bytes); case_name is for the message. */
int qes__code_attr_check(qes_store *st, const char *case_name, const char *key,
			 size_t keylen, const char *value, qes_error *err);
/* The blinding rule, as SQL: coding c (that alias) is visible to coder
 * UID (a bind such as "?1"; < 0: everyone's view, 0: a coder who has coded
 * nothing yet) unless its source is in the double-coding sample and fewer
 * than two coders have marked it done; and, when the sample is inductive
 * (qes_code_sample_mode), unless its code's name is hidden from UID
 * (QES__CODE_NAME_VISIBLE): then it is hidden on every source. */
#define QES__CODE_VISIBLE(UID) QES__CODE_VISIBLE_OF("c", UID)
/* The same rule for a coding row named C: the one blinding rule of every
 * view that shows codings (code lists, themes, queries, the advisors' view;
 * web routes included). UID comes from qes__code_viewer. */
#define QES__CODE_VISIBLE_OF(C, UID) \
	"((" UID " < 0 OR " C ".coder_id = " UID \
	" OR " C ".source_id NOT IN (SELECT source_id FROM code_sample)" \
	" OR (SELECT count(*) FROM code_done d WHERE d.source_id = " C ".source_id) >= 2)" \
	" AND (" UID " < 0 OR " C ".coder_id = " UID " OR EXISTS (SELECT 1 FROM code_codes k8" \
	"  WHERE k8.id = " C ".code_id AND " QES__CODE_NAME_VISIBLE(UID, "k8") ")))"
/* The inductive rule, as SQL on code K (an alias of code_codes): while the
 * sample is inductive and some sampled source is not yet marked done by
 * two coders, a code (or folder) is hidden from coder UID when other
 * coders have coded under it and UID has not: the second coder sees
 * neither the first coder's spans nor the names of the first coder's
 * codes, and the first coder not the second's. */
#define QES__CODE_NAME_VISIBLE(UID, K) \
	"(" UID " < 0" \
	" OR NOT EXISTS (SELECT 1 FROM meta WHERE key = 'code.sample_mode' AND value = 'inductive')" \
	" OR NOT EXISTS (SELECT 1 FROM code_sample s9 WHERE (SELECT count(*) FROM code_done d9" \
	"   WHERE d9.source_id = s9.source_id) < 2)" \
	" OR EXISTS (SELECT 1 FROM code_codings c9 JOIN code_codes x9 ON x9.id = c9.code_id" \
	"   WHERE c9.coder_id = " UID " AND (x9.id = " K ".id" \
	"   OR substr(x9.path, 1, length(" K ".path) + 1) = " K ".path || '/'))" \
	" OR NOT EXISTS (SELECT 1 FROM code_codings c9 JOIN code_codes x9 ON x9.id = c9.code_id" \
	"   WHERE c9.coder_id <> " UID " AND (x9.id = " K ".id" \
	"   OR substr(x9.path, 1, length(" K ".path) + 1) = " K ".path || '/')))"
/* The coder row id a view applies QES__CODE_VISIBLE for: -1 when as is
 * NULL (everything), 0 for "" (no coder: an advisor) or a name that has not
 * coded yet. */
int qes__code_viewer(qes_store *st, const char *as, long long *uid, qes_error *err);
/* Passages (lib/code_passage.c, the one definition): spans_sql selects
 * (group, coding id, source id, start, end) ORDER BY group, source id,
 * start, end, coding id; each coding goes into temp table `into` (made by
 * qes__code_passage_table: grp, coding_id, passage) with the number of its
 * passage: spans of one source in one group that overlap, directly or
 * through others, are one passage, numbered by its first coding's id. */
int qes__code_passages(qes_store *st, const char *spans_sql, const char *into,
		       qes_error *err);
/* Creates (if needed) and empties temp table name for qes__code_passages. */
int qes__code_passage_table(qes_store *st, const char *name, qes_error *err);
/* The case a bracketed attribution after code point end of text names
 * ('"...", (Mother, P3)': the first part that is a case's name), 0 when
 * none (lib/code_attrib.c). */
long long qes__code_attribution(qes_store *st, const char *text, size_t len, long end);
/* Runs fn inside one transaction (commit on 0, rollback otherwise). */
int qes__code_txn(qes_store *st, int rc_of_fn, qes_error *err);

#endif
