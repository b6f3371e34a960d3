/* screen_policy.c: single, double, or double on a reproducible sample. */
#include "screen_internal.h"

#include <stdio.h>
#include <string.h>

static const char *const mode_names[] = { "single", "double", "sample" };

int qes_policy_parse(const char *s, qes_policy_mode *out, qes_error *err)
{
	for (int i = 0; s && i < 3; i++)
		if (!strcmp(s, mode_names[i])) {
			*out = (qes_policy_mode)i;
			return 0;
		}
	return qes_error_set(err, QES_EINVAL,
			     "no such policy '%s' (single, double or sample)", s ? s : "");
}

const char *qes_policy_name(qes_policy_mode m)
{
	return m >= QES_POLICY_SINGLE && m <= QES_POLICY_SAMPLE ? mode_names[m] : "";
}

/* splitmix64's finaliser: a good 64-bit mix, fixed forever (changing it
 * would change every recorded sample). */
static unsigned long long mix(unsigned long long x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* The draw key of a record: the same seed always orders the pool the same
 * way (screen_sample.c takes the smallest keys). */
double qes_policy_draw_key(const qes_policy *p, qes_stage stage, long long record_id)
{
	unsigned long long h = mix(mix(p->seed ^ (stage == QES_STAGE_FT ? 0x5f54ULL : 0x5441ULL))
				   ^ (unsigned long long)record_id);
	return (double)(h >> 11) * (1.0 / 9007199254740992.0);   /* [0, 1) */
}

int qes_policy_get(qes_store *st, qes_stage stage, qes_policy *out, qes_error *err)
{
	sqlite3_stmt *s;
	if (qes__screen_stmt(st, &s, "SELECT mode, fraction, seed FROM screen_policy"
				     " WHERE stage = ?", err))
		return QES_ESTORE;
	sqlite3_bind_text(s, 1, qes_stage_name(stage), -1, SQLITE_STATIC);
	*out = (qes_policy){ QES_POLICY_SINGLE, 0, 0 };
	if (sqlite3_step(s) == SQLITE_ROW) {
		qes_policy_parse((const char *)sqlite3_column_text(s, 0), &out->mode, NULL);
		out->fraction = sqlite3_column_double(s, 1);
		out->seed = (unsigned long long)sqlite3_column_int64(s, 2);
	}
	sqlite3_finalize(s);
	return 0;
}

int qes_policy_set(qes_store *st, qes_stage stage, const qes_policy *p,
		   const char *by, qes_error *err)
{
	if (p->mode == QES_POLICY_SAMPLE && !(p->fraction > 0 && p->fraction <= 1))
		return qes_error_set(err, QES_EINVAL,
				     "a sample needs a fraction above 0 and at most 1 (0.1 for 10%%)");
	long long who = 0;
	char role[16];
	int rc = by ? qes__reviewer_lookup(st, by, &who, role, err) : 0;
	if (rc)
		return rc;
	/* Before the team exists anyone may set it up; after, only an owner. */
	if (!by && qes_store_count(st, "reviewers", err) != 0)
		return qes_error_set(err, QES_EPERM, "say which owner changes the policy (--as)");
	if (by && strcmp(role, "owner"))
		return qes_error_set(err, QES_EPERM, "only an owner may change the policy");
	if ((rc = qes_store_begin(st, err)))
		return rc;
	sqlite3_stmt *s = NULL;
	if ((rc = qes__screen_stmt(st, &s, "UPDATE screen_policy SET mode = ?, fraction = ?,"
					   " seed = ? WHERE stage = ?", err)))
		goto out;
	sqlite3_bind_text(s, 1, qes_policy_name(p->mode), -1, SQLITE_STATIC);
	sqlite3_bind_double(s, 2, p->mode == QES_POLICY_SAMPLE ? p->fraction : 0);
	sqlite3_bind_int64(s, 3, p->mode == QES_POLICY_SAMPLE ? (long long)p->seed : 0);
	sqlite3_bind_text(s, 4, qes_stage_name(stage), -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE) {
		rc = qes_store_sqlerr(st, err, "setting the policy");
		goto out;
	}
	/* A new policy draws a new sample (at the next look at the review). */
	sqlite3_finalize(s);
	s = NULL;
	if ((rc = qes__screen_stmt(st, &s, "DELETE FROM screen_sample WHERE stage = ?", err)))
		goto out;
	sqlite3_bind_text(s, 1, qes_stage_name(stage), -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE) {
		rc = qes_store_sqlerr(st, err, "setting the policy");
		goto out;
	}
	char detail[128];
	if (p->mode == QES_POLICY_SAMPLE)
		snprintf(detail, sizeof(detail), "policy sample fraction=%g seed=%llu",
			 p->fraction, p->seed);
	else
		snprintf(detail, sizeof(detail), "policy %s", qes_policy_name(p->mode));
	if ((rc = qes__screen_log(st, who, "policy", 0, qes_stage_name(stage), NULL, NULL,
				  NULL, NULL, detail, NULL, err)))
		goto out;
	rc = qes_store_commit(st, err);
out:
	sqlite3_finalize(s);
	if (rc)
		qes_store_rollback(st);
	return rc;
}
