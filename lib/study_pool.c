/* study_pool.c: the one place that says which records are included studies.
 *
 * The rule (issue 8): every record included at full text is a study, keyed
 * by its source key. Two ways put a record there:
 *   1. qes study add (qes_study_add): a team declares a record an included
 *      report directly, e.g. when importing an already-screened set;
 *   2. full-text screening: a record whose final full-text decision is
 *      "include" becomes a study (its own, unless already linked as another
 *      study's report).
 * Screening (issue 5) lives in another module. The connection is this
 * function: it must create a study for every record included at full text
 * that is not yet in study_reports, using qes__study_create(). Every
 * command that reads studies calls it first, so the study table is always
 * complete. Some callers are inside a write transaction (extract --from,
 * appraise --from, sample), others are not (list, summary, table): when
 * sqlite3_get_autocommit() says no transaction is open, wrap the inserts
 * in qes_store_begin/commit. (Equivalently, screening may call
 * qes__study_create() when it records a final full-text include and this
 * function stays a check.) */
#include "study_internal.h"

int qes__study_pool_sync(qes_store *st, qes_error *err)
{
	/* Until the screening module is merged there are no full-text decisions
	 * to read: studies come from qes_study_add only. At merge, iterate
	 *   SELECT record_id FROM <final full-text includes>
	 *   WHERE record_id NOT IN (SELECT record_id FROM study_reports)
	 * and call qes__study_create(st, record_id, err) for each. */
	(void)st;
	(void)err;
	return 0;
}
