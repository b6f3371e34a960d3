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
#include "qes/screen.h"

#include <sqlite3.h>
#include <stdlib.h>

/* Studies made from a full-text inclusion that no longer stands, with
 * nothing recorded about them: one report, whose full-text outcome is no
 * longer include, and no values, ratings or sample entry. */
#define STALE_STUDIES \
	"SELECT s.id FROM studies s WHERE" \
	" (SELECT count(*) FROM study_reports r WHERE r.study_id = s.id) = 1" \
	" AND EXISTS (SELECT 1 FROM study_reports r JOIN temp.screen_outcome_ft o" \
	"  ON o.record_id = r.record_id WHERE r.study_id = s.id AND o.outcome <> 'include')" \
	" AND NOT EXISTS (SELECT 1 FROM extract_values WHERE study_id = s.id)" \
	" AND NOT EXISTS (SELECT 1 FROM appraisal_ratings WHERE study_id = s.id)" \
	" AND NOT EXISTS (SELECT 1 FROM appraisal_sample WHERE study_id = s.id)"

typedef struct ft_includes {
	long long *ids;
	size_t n, alloc;
} ft_includes;

static int collect_include(void *ud, long long record_id, const char *source_key,
			   const char *method, qes_outcome o)
{
	(void)source_key;
	(void)method;
	ft_includes *f = ud;
	if (o != QES_OUT_INCLUDE)
		return 0;
	if (f->n == f->alloc) {
		size_t n = f->alloc ? f->alloc * 2 : 64;
		long long *p = realloc(f->ids, n * sizeof(*p));
		if (!p)
			return QES_ENOMEM;
		f->ids = p;
		f->alloc = n;
	}
	f->ids[f->n++] = record_id;
	return 0;
}

int qes__study_pool_sync(qes_store *st, qes_error *err)
{
	ft_includes inc = { 0 };
	int rc = qes_screen_outcomes_foreach(st, QES_STAGE_FT, collect_include, &inc, err);
	if (rc) {
		if (rc == QES_ENOMEM)
			qes_error_set(err, rc, "out of memory");
		goto out;
	}
	sqlite3 *db = qes_store_db(st);
	sqlite3_stmt *known = NULL;
	if (sqlite3_prepare_v2(db, "SELECT 1 FROM study_reports WHERE record_id = ?", -1,
			       &known, NULL) != SQLITE_OK) {
		rc = qes_store_sqlerr(st, err, "reading studies");
		goto out;
	}
	int own_txn = 0;
	for (size_t i = 0; i < inc.n && !rc; i++) {
		sqlite3_bind_int64(known, 1, inc.ids[i]);
		int have = sqlite3_step(known) == SQLITE_ROW;
		sqlite3_reset(known);
		if (have)
			continue;
		if (!own_txn && sqlite3_get_autocommit(db)) {
			rc = qes_store_begin(st, err);
			if (rc)
				break;
			own_txn = 1;
		}
		rc = qes__study_create(st, inc.ids[i], err);
		/* A key already used by another study (same key in two imports):
		 * the report waits for 'qes study link'; not an error here. */
		if (rc == QES_EEXIST)
			rc = 0;
	}
	sqlite3_finalize(known);
	/* A study made from a full-text inclusion that no longer stands (the
	 * decision was changed, or a resolution overturned it) goes again, as
	 * long as nothing was recorded about it. Records outside full-text
	 * screening (qes study add) are never touched. */
	if (!rc) {
		long long stale = qes_store_count(st, "SELECT count(*) FROM (" STALE_STUDIES ")", err);
		if (stale < 0)
			rc = QES_ESTORE;
		if (stale > 0 && !own_txn && sqlite3_get_autocommit(db)) {
			rc = qes_store_begin(st, err);
			own_txn = !rc;
		}
		if (stale > 0 && !rc)
			rc = qes_store_exec(st,
				"CREATE TEMP TABLE IF NOT EXISTS study_stale(id INTEGER PRIMARY KEY);"
				"DELETE FROM temp.study_stale;"
				"INSERT INTO temp.study_stale " STALE_STUDIES ";"
				"DELETE FROM study_reports WHERE study_id IN (SELECT id FROM temp.study_stale);"
				"DELETE FROM studies WHERE id IN (SELECT id FROM temp.study_stale);", err);
	}
	if (own_txn) {
		if (rc)
			qes_store_rollback(st);
		else
			rc = qes_store_commit(st, err);
	}
out:
	free(inc.ids);
	return rc;
}
