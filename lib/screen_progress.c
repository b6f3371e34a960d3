/* screen_progress.c: how far a stage has got, overall and for one reviewer,
 * and the outcome of every record (for PRISMA and the final inclusions). */
#include "screen_internal.h"

#include <string.h>

/* One pass over the stage's view; ?1 is the asking reviewer (0: none), for
 * the records still open to them. */
static const char *const progress_sql[] = {
	"SELECT count(*), sum(need = 2), sum(outcome NOT IN ('pending')),"
	" sum(outcome = 'include'), sum(outcome = 'exclude'), sum(outcome = 'unsure'),"
	" sum(outcome = 'conflict'), sum(outcome = 'pending'), 0, 0, 0,"
	" sum(?1 AND resolved IS NULL AND n < need AND NOT EXISTS (SELECT 1"
	"  FROM screen_decisions d WHERE d.record_id = o.record_id AND d.stage = 'ta'"
	"  AND d.reviewer_id = ?1)),"
	" sum(outcome = 'pending' AND n = 0), sum(outcome = 'pending' AND n > 0)"
	" FROM screen_outcome_ta o",
	"SELECT count(*), sum(o.need = 2), sum(o.outcome NOT IN ('pending', 'not_retrieved')),"
	" sum(o.outcome = 'include'), sum(o.outcome = 'exclude'), sum(o.outcome = 'unsure'),"
	" sum(o.outcome = 'conflict'), sum(o.outcome = 'pending'), count(*),"
	" sum(f.status IN ('attached', 'retrieved')), sum(f.status = 'not_retrieved'),"
	" sum(?1 AND f.status IN ('attached', 'retrieved') AND o.resolved IS NULL AND o.n < o.need"
	"  AND NOT EXISTS (SELECT 1 FROM screen_decisions d WHERE d.record_id = o.record_id"
	"  AND d.stage = 'ft' AND d.reviewer_id = ?1)),"
	" sum(o.outcome = 'pending' AND o.n = 0), sum(o.outcome = 'pending' AND o.n > 0)"
	" FROM screen_outcome_ft o LEFT JOIN fulltexts f ON f.record_id = o.record_id",
};

static long col(sqlite3_stmt *s, int i) { return (long)sqlite3_column_int64(s, i); }

/* Counts rows of sql with ?1 = stage, ?2 = reviewer id. */
static int count_mine(qes_store *st, const char *sql, qes_stage stage, long long who,
		      long *out, qes_error *err)
{
	sqlite3_stmt *s;
	if (qes__screen_stmt(st, &s, sql, err))
		return QES_ESTORE;
	sqlite3_bind_text(s, 1, qes_stage_name(stage), -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, who);
	*out = sqlite3_step(s) == SQLITE_ROW ? col(s, 0) : 0;
	sqlite3_finalize(s);
	return 0;
}

int qes_screen_progress(qes_store *st, const char *as, qes_stage stage,
			qes_progress *out, qes_error *err)
{
	memset(out, 0, sizeof(*out));
	long long who = 0;
	sqlite3_stmt *s;
	int rc = as ? qes__reviewer_lookup(st, as, &who, NULL, err) : 0;
	if (rc)
		return rc;
	if (qes__screen_prepare(st, err) || qes__screen_stmt(st, &s, progress_sql[stage], err))
		return QES_ESTORE;
	sqlite3_bind_int64(s, 1, who);
	if (sqlite3_step(s) == SQLITE_ROW) {
		out->pool = col(s, 0);
		out->double_needed = col(s, 1);
		out->screened = col(s, 2);
		out->included = col(s, 3);
		out->excluded = col(s, 4);
		out->unsure = col(s, 5);
		out->conflicts = col(s, 6);
		out->pending = col(s, 7);
		out->sought = col(s, 8);
		out->retrieved = col(s, 9);
		out->not_retrieved = col(s, 10);
		out->to_do = col(s, 11);
		out->undecided = col(s, 12);
		out->waiting_second = col(s, 13);
	}
	sqlite3_finalize(s);
	/* Planned and achieved double screening, never one for the other. */
	qes_policy pol;
	long pool, sampled;
	if ((rc = qes_policy_get(st, stage, &pol, err)) ||
	    (rc = qes__screen_sample_counts(st, stage, &pool, &sampled, &out->double_decided, err)))
		return rc;
	out->planned = qes_policy_planned(&pol, out->pool);
	if (!as)
		return 0;
	if ((rc = count_mine(st, "SELECT count(*) FROM screen_decisions WHERE stage = ?1"
				 " AND reviewer_id = ?2", stage, who, &out->mine, err)))
		return rc;
	return count_mine(st, "SELECT count(*) FROM screen_decisions WHERE stage = ?1"
			      " AND reviewer_id = ?2 AND decision = 'include'", stage, who,
			  &out->mine_included, err);
}

int qes_screen_outcomes_foreach(qes_store *st, qes_stage stage,
				int (*fn)(void *ud, long long record_id,
					  const char *source_key, const char *method,
					  qes_outcome o),
				void *ud, qes_error *err)
{
	static const char *const sql[] = {
		"SELECT o.record_id, r.source_key, s.method, o.outcome FROM screen_outcome_ta o"
		" JOIN records r ON r.id = o.record_id JOIN imports i ON i.id = r.import_id"
		" JOIN sources s ON s.id = i.source_id ORDER BY o.record_id",
		"SELECT o.record_id, r.source_key, s.method, o.outcome FROM screen_outcome_ft o"
		" JOIN records r ON r.id = o.record_id JOIN imports i ON i.id = r.import_id"
		" JOIN sources s ON s.id = i.source_id ORDER BY o.record_id",
	};
	sqlite3_stmt *s;
	if (qes__screen_prepare(st, err) || qes__screen_stmt(st, &s, sql[stage], err))
		return QES_ESTORE;
	int rc = 0;
	while (!rc && sqlite3_step(s) == SQLITE_ROW)
		rc = fn(ud, sqlite3_column_int64(s, 0), (const char *)sqlite3_column_text(s, 1),
			(const char *)sqlite3_column_text(s, 2),
			qes__outcome_from((const char *)sqlite3_column_text(s, 3)));
	sqlite3_finalize(s);
	return rc;
}
