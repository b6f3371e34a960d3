/* screen_sample.c: the double-screening sample, drawn exactly.
 *
 * A stage with policy "sample" double-screens round(fraction x pool)
 * records. The sample is a table (screen_sample), not a per-record coin:
 * each record drawn independently gave 8.5% at one stage, 12% at another
 * and 0 of 7 in a small pool (issue 18). The draw orders the candidates by
 * qes_policy_draw_key(seed, stage, record id), so anyone with the seed and
 * the pool redraws the same records. When the pool grows (records imported
 * later, or sent on to full text) the sample is extended to round(fraction
 * x pool) again, from records nobody has decided yet at that stage: a record
 * already decided is never pulled back to wait for a second reviewer, and
 * no record ever leaves the sample. Each draw is logged. */
#include "screen_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The pool of a stage (one column, record_id), on the prepared views. */
static const char *pool_sql(qes_stage stage)
{
	return stage == QES_STAGE_FT
		? "SELECT record_id FROM temp.screen_outcome_ta WHERE outcome IN ('include', 'unsure')"
		: "SELECT record_id FROM temp.screen_units";
}

long qes_policy_planned(const qes_policy *p, long pool)
{
	if (p->mode == QES_POLICY_DOUBLE)
		return pool;
	if (p->mode != QES_POLICY_SAMPLE || pool <= 0)
		return 0;
	long k = (long)llround(p->fraction * (double)pool);
	return k > pool ? pool : k;
}

static long long count_sql(qes_store *st, const char *sql, qes_stage stage, qes_error *err)
{
	sqlite3_stmt *s;
	if (qes__screen_stmt(st, &s, sql, err))
		return -1;
	sqlite3_bind_text(s, 1, qes_stage_name(stage), -1, SQLITE_STATIC);
	long long n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_finalize(s);
	return n;
}

int qes__screen_sample_counts(qes_store *st, qes_stage stage, long *pool, long *sampled,
			      long *double_decided, qes_error *err)
{
	char sql[512];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM (%s)", pool_sql(stage));
	long long n = count_sql(st, sql, stage, err);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM main.screen_sample z WHERE z.stage = ?1"
		 " AND z.record_id IN (%s)", pool_sql(stage));
	long long k = n < 0 ? -1 : count_sql(st, sql, stage, err);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM (SELECT record_id FROM"
		 " main.screen_decisions WHERE stage = ?1 GROUP BY record_id HAVING count(*) >= 2)"
		 " WHERE record_id IN (%s)", pool_sql(stage));
	long long d = k < 0 ? -1 : count_sql(st, sql, stage, err);
	if (d < 0)
		return QES_ESTORE;
	*pool = (long)n;
	*sampled = (long)k;
	if (double_decided)
		*double_decided = (long)d;
	return 0;
}

typedef struct cand {
	double key;
	long long id;
} cand;

static int cand_cmp(const void *a, const void *b)
{
	const cand *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Extends one stage's sample to round(fraction x pool). */
static int sync_stage(qes_store *st, qes_stage stage, qes_error *err)
{
	qes_policy p;
	int rc = qes_policy_get(st, stage, &p, err);
	if (rc || p.mode != QES_POLICY_SAMPLE)
		return rc;
	long pool, sampled;
	if ((rc = qes__screen_sample_counts(st, stage, &pool, &sampled, NULL, err)))
		return rc;
	long want = qes_policy_planned(&p, pool) - sampled;
	if (want <= 0)
		return 0;
	char sql[768];
	snprintf(sql, sizeof(sql), "SELECT record_id FROM (%s) u WHERE NOT EXISTS (SELECT 1 FROM"
		 " main.screen_sample z WHERE z.stage = ?1 AND z.record_id = u.record_id)"
		 " AND NOT EXISTS (SELECT 1 FROM main.screen_decisions d WHERE d.stage = ?1"
		 " AND d.record_id = u.record_id) AND NOT EXISTS (SELECT 1 FROM"
		 " main.screen_resolutions r WHERE r.stage = ?1 AND r.record_id = u.record_id)",
		 pool_sql(stage));
	sqlite3_stmt *s = NULL;
	cand *c = NULL;
	size_t n = 0, alloc = 0;
	if (qes__screen_stmt(st, &s, sql, err))
		return QES_ESTORE;
	sqlite3_bind_text(s, 1, qes_stage_name(stage), -1, SQLITE_STATIC);
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (n == alloc) {
			size_t na = alloc ? alloc * 2 : 256;
			cand *g = realloc(c, na * sizeof(*c));
			if (!g) {
				rc = qes_error_set(err, QES_ENOMEM, "out of memory");
				goto out;
			}
			c = g;
			alloc = na;
		}
		long long id = sqlite3_column_int64(s, 0);
		c[n++] = (cand){ qes_policy_draw_key(&p, stage, id), id };
	}
	sqlite3_finalize(s);
	s = NULL;
	if (!n)
		goto out;   /* nothing undecided left: the shortfall shows as achieved < planned */
	qsort(c, n, sizeof(*c), cand_cmp);
	if ((size_t)want > n)
		want = (long)n;
	sqlite3 *db = qes_store_db(st);
	int own = sqlite3_get_autocommit(db);
	if (own && (rc = qes_store_begin(st, err)))
		goto out;
	if ((rc = qes__screen_stmt(st, &s, "INSERT INTO screen_sample(stage, record_id)"
					   " VALUES (?, ?)", err)))
		goto done;
	for (long i = 0; i < want && !rc; i++) {
		sqlite3_bind_text(s, 1, qes_stage_name(stage), -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, c[i].id);
		if (sqlite3_step(s) != SQLITE_DONE)
			rc = qes_store_sqlerr(st, err, "drawing the sample");
		sqlite3_reset(s);
	}
	if (!rc) {
		char detail[160];
		snprintf(detail, sizeof(detail), "sample drawn: %ld record%s added, %ld of %ld in the "
			 "pool (fraction=%g seed=%llu)", want, want == 1 ? "" : "s", sampled + want,
			 pool, p.fraction, p.seed);
		rc = qes__screen_log(st, 0, "sample", 0, qes_stage_name(stage), NULL, NULL, NULL,
				     NULL, detail, NULL, err);
	}
done:
	if (own) {
		if (rc)
			qes_store_rollback(st);
		else
			rc = qes_store_commit(st, err);
	}
out:
	sqlite3_finalize(s);
	free(c);
	return rc;
}

int qes__screen_sample_sync(qes_store *st, qes_error *err)
{
	/* Title/abstract first: the full-text pool is what it sends on. */
	int rc = sync_stage(st, QES_STAGE_TA, err);
	return rc ? rc : sync_stage(st, QES_STAGE_FT, err);
}

int qes_screen_in_sample(qes_store *st, qes_stage stage, long long record_id, int *yes,
			 qes_error *err)
{
	sqlite3_stmt *s;
	*yes = 0;
	if (qes__screen_stmt(st, &s, "SELECT 1 FROM screen_sample WHERE stage = ? AND record_id = ?",
			     err))
		return QES_ESTORE;
	sqlite3_bind_text(s, 1, qes_stage_name(stage), -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, record_id);
	*yes = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_finalize(s);
	return 0;
}
