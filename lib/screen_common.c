/* screen_common.c: names, the per-connection views, and the audit log. */
#include "screen_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int qes_stage_parse(const char *s, qes_stage *out, qes_error *err)
{
	if (s && (!strcmp(s, "ta") || !strcmp(s, "title-abstract"))) {
		*out = QES_STAGE_TA;
		return 0;
	}
	if (s && (!strcmp(s, "ft") || !strcmp(s, "full-text"))) {
		*out = QES_STAGE_FT;
		return 0;
	}
	return qes_error_set(err, QES_EINVAL, "no such stage '%s' (ta or ft)", s ? s : "");
}

const char *qes_stage_name(qes_stage s) { return s == QES_STAGE_FT ? "ft" : "ta"; }

static const char *const decision_names[] = { "", "include", "exclude", "unsure" };

int qes_decision_parse(const char *s, qes_decision *out, qes_error *err)
{
	for (int i = 1; s && i < 4; i++)
		if (!strcasecmp(s, decision_names[i])) {
			*out = (qes_decision)i;
			return 0;
		}
	return qes_error_set(err, QES_EINVAL,
			     "no such decision '%s' (include, exclude or unsure)", s ? s : "");
}

const char *qes_decision_name(qes_decision d)
{
	return d >= QES_DEC_NONE && d <= QES_DEC_UNSURE ? decision_names[d] : "";
}

static const char *const outcome_names[] = {
	"not_in_pool", "pending", "include", "exclude", "unsure", "conflict", "not_retrieved"
};

const char *qes_outcome_name(qes_outcome o)
{
	return o >= QES_OUT_NOT_IN_POOL && o <= QES_OUT_NOT_RETRIEVED ? outcome_names[o] : "";
}

qes_outcome qes__outcome_from(const char *s)
{
	for (int i = 0; s && i <= QES_OUT_NOT_RETRIEVED; i++)
		if (!strcmp(s, outcome_names[i]))
			return (qes_outcome)i;
	return QES_OUT_NOT_IN_POOL;
}

int qes__screen_stmt(qes_store *st, sqlite3_stmt **s, const char *sql, qes_error *err)
{
	if (sqlite3_prepare_v2(qes_store_db(st), sql, -1, s, NULL) != SQLITE_OK) {
		*s = NULL;
		return qes_store_sqlerr(st, err, "screening");
	}
	return 0;
}

/* The double-screening sample is extended whenever the review changed since
 * it was last looked at on this connection (screen_sample.c). The state
 * (PRAGMA data_version: other connections' commits; total changes: this
 * one's) lives with a per-connection SQL function, so nothing is written
 * to check it. */
typedef struct sample_seen {
	long long dv, tc;
	int valid;
} sample_seen;

/* qes_screen_sample_seen(dv, tc): 1 when (dv, tc) differs from the last
 * seen pair, which it then becomes. */
static void sql_seen(sqlite3_context *ctx, int argc, sqlite3_value **v)
{
	(void)argc;
	sample_seen *s = sqlite3_user_data(ctx);
	long long dv = sqlite3_value_int64(v[0]), tc = sqlite3_value_int64(v[1]);
	int changed = !s->valid || s->dv != dv || s->tc != tc;
	*s = (sample_seen){ dv, tc, 1 };
	sqlite3_result_int(ctx, changed);
}

static int seen_check(qes_store *st, int *changed, qes_error *err)
{
	sqlite3 *db = qes_store_db(st);
	sqlite3_stmt *s;
	*changed = 1;
	if (qes__screen_stmt(st, &s, "SELECT qes_screen_sample_seen("
				     "(SELECT data_version FROM pragma_data_version), ?)", err))
		return QES_ESTORE;
	sqlite3_bind_int64(s, 1, (long long)sqlite3_total_changes(db));
	if (sqlite3_step(s) == SQLITE_ROW)
		*changed = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return 0;
}

static int sample_sync_if_changed(qes_store *st, qes_error *err)
{
	int changed, rc = seen_check(st, &changed, err);
	if (rc || !changed)
		return rc;
	if ((rc = qes__screen_sample_sync(st, err)))
		return rc;
	/* The draw itself changed the store: remember the state after it. */
	return seen_check(st, &changed, err);
}

/* The views: one stage's state per record (decisions needed and made, the
 * resolution, the outcome). The ft pool is what ta sent on (include or
 * unsure). At ft a report marked not retrieved is its own outcome, and
 * all-unsure is a conflict: a full text must be decided. */
int qes__screen_prepare(qes_store *st, qes_error *err)
{
	sqlite3 *db = qes_store_db(st);
	sqlite3_stmt *s;
	if (qes__screen_stmt(st, &s, "SELECT 1 FROM temp.sqlite_master WHERE name = "
				     "'screen_outcome_ft'", err))
		return QES_ESTORE;
	int ready = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_finalize(s);
	if (ready)
		return sample_sync_if_changed(st, err);
	sample_seen *seen = calloc(1, sizeof(*seen));
	if (!seen)
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	if (sqlite3_create_function_v2(db, "qes_screen_sample_seen", 2, SQLITE_UTF8, seen,
				       sql_seen, NULL, NULL, free) != SQLITE_OK)
		return qes_store_sqlerr(st, err, "preparing screening");
	char *sql = sqlite3_mprintf(
		"CREATE TEMP VIEW IF NOT EXISTS screen_units AS %s;"
		"CREATE TEMP VIEW IF NOT EXISTS screen_outcome_ta AS"
		" SELECT u.record_id, x.need, coalesce(d.n, 0) AS n, coalesce(d.ni, 0) AS ni,"
		"  coalesce(d.ne, 0) AS ne, coalesce(d.nu, 0) AS nu, r.decision AS resolved,"
		"  CASE WHEN r.decision IS NOT NULL THEN r.decision"
		"   WHEN coalesce(d.n, 0) < x.need THEN 'pending'"
		"   WHEN d.ni = d.n THEN 'include' WHEN d.ne = d.n THEN 'exclude'"
		"   WHEN d.nu = d.n THEN 'unsure' ELSE 'conflict' END AS outcome"
		" FROM screen_units u"
		" JOIN (SELECT u2.record_id AS rid, CASE p.mode WHEN 'double' THEN 2"
		"        WHEN 'sample' THEN 1 + EXISTS (SELECT 1 FROM main.screen_sample z"
		"         WHERE z.stage = 'ta' AND z.record_id = u2.record_id) ELSE 1 END AS need FROM screen_units u2"
		"       JOIN main.screen_policy p ON p.stage = 'ta') x ON x.rid = u.record_id"
		" LEFT JOIN (SELECT record_id, count(*) AS n, sum(decision = 'include') AS ni,"
		"   sum(decision = 'exclude') AS ne, sum(decision = 'unsure') AS nu"
		"   FROM main.screen_decisions WHERE stage = 'ta' GROUP BY record_id) d"
		"   ON d.record_id = u.record_id"
		" LEFT JOIN main.screen_resolutions r ON r.record_id = u.record_id AND r.stage = 'ta';"
		"CREATE TEMP VIEW IF NOT EXISTS screen_outcome_ft AS"
		" SELECT u.record_id, x.need, coalesce(d.n, 0) AS n, coalesce(d.ni, 0) AS ni,"
		"  coalesce(d.ne, 0) AS ne, coalesce(d.nu, 0) AS nu, r.decision AS resolved,"
		"  CASE WHEN r.decision IS NOT NULL THEN r.decision"
		"   WHEN coalesce(d.n, 0) = 0 AND f.status = 'not_retrieved' THEN 'not_retrieved'"
		"   WHEN coalesce(d.n, 0) < x.need THEN 'pending'"
		"   WHEN d.ni = d.n THEN 'include' WHEN d.ne = d.n THEN 'exclude'"
		"   ELSE 'conflict' END AS outcome"
		" FROM (SELECT record_id FROM screen_outcome_ta"
		"       WHERE outcome IN ('include', 'unsure')) u"
		" JOIN (SELECT u2.record_id AS rid, CASE p.mode WHEN 'double' THEN 2"
		"        WHEN 'sample' THEN 1 + EXISTS (SELECT 1 FROM main.screen_sample z"
		"         WHERE z.stage = 'ft' AND z.record_id = u2.record_id) ELSE 1 END AS need FROM screen_units u2"
		"       JOIN main.screen_policy p ON p.stage = 'ft') x ON x.rid = u.record_id"
		" LEFT JOIN (SELECT record_id, count(*) AS n, sum(decision = 'include') AS ni,"
		"   sum(decision = 'exclude') AS ne, sum(decision = 'unsure') AS nu"
		"   FROM main.screen_decisions WHERE stage = 'ft' GROUP BY record_id) d"
		"   ON d.record_id = u.record_id"
		" LEFT JOIN main.screen_resolutions r ON r.record_id = u.record_id AND r.stage = 'ft'"
		" LEFT JOIN main.fulltexts f ON f.record_id = u.record_id;",
		qes__screen_pool_sql());
	if (!sql)
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	int rc = qes_store_exec(st, sql, err);
	sqlite3_free(sql);
	return rc ? rc : sample_sync_if_changed(st, err);
}

int qes__reviewer_lookup(qes_store *st, const char *initials, long long *id,
			 char role[16], qes_error *err)
{
	sqlite3_stmt *s;
	if (!initials || !*initials)
		return qes_error_set(err, QES_EINVAL, "say which reviewer (--as INITIALS)");
	if (qes__screen_stmt(st, &s, "SELECT id, role FROM reviewers WHERE initials = ?", err))
		return QES_ESTORE;
	sqlite3_bind_text(s, 1, initials, -1, SQLITE_STATIC);
	int rc = 0;
	if (sqlite3_step(s) == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		if (role)
			snprintf(role, 16, "%s", (const char *)sqlite3_column_text(s, 1));
	} else {
		rc = qes_error_set(err, QES_ENOTFOUND,
				   "no reviewer '%s' (add one with 'qes reviewer add')", initials);
	}
	sqlite3_finalize(s);
	return rc;
}

static void bind_opt(sqlite3_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

int qes__screen_log(qes_store *st, long long reviewer_id, const char *action,
		    long long record_id, const char *stage, const char *old_d,
		    const char *new_d, const char *reason, const char *note,
		    const char *detail, long long *log_id, qes_error *err)
{
	sqlite3_stmt *s;
	if (qes__screen_stmt(st, &s,
			     "INSERT INTO screen_log(reviewer_id, action, record_id, stage,"
			     " old_decision, new_decision, reason, note, detail)"
			     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", err))
		return QES_ESTORE;
	if (reviewer_id > 0)
		sqlite3_bind_int64(s, 1, reviewer_id);
	else
		sqlite3_bind_null(s, 1);
	sqlite3_bind_text(s, 2, action, -1, SQLITE_STATIC);
	if (record_id > 0)
		sqlite3_bind_int64(s, 3, record_id);
	else
		sqlite3_bind_null(s, 3);
	bind_opt(s, 4, stage);
	bind_opt(s, 5, old_d && *old_d ? old_d : NULL);
	bind_opt(s, 6, new_d && *new_d ? new_d : NULL);
	bind_opt(s, 7, reason);
	bind_opt(s, 8, note);
	bind_opt(s, 9, detail);
	int rc = sqlite3_step(s) == SQLITE_DONE ? 0 : qes_store_sqlerr(st, err, "writing the log");
	sqlite3_finalize(s);
	if (!rc && log_id)
		*log_id = sqlite3_last_insert_rowid(qes_store_db(st));
	return rc;
}

int qes__reason_check(qes_store *st, const char *reason, char *out, size_t outlen,
		      qes_error *err)
{
	sqlite3_stmt *s;
	if (qes__screen_stmt(st, &s, "SELECT reason FROM screen_reasons WHERE reason = ?", err))
		return QES_ESTORE;
	sqlite3_bind_text(s, 1, reason, -1, SQLITE_STATIC);
	int rc = 0;
	if (sqlite3_step(s) == SQLITE_ROW)
		snprintf(out, outlen, "%s", (const char *)sqlite3_column_text(s, 0));
	else
		rc = qes_error_set(err, QES_EINVAL,
				   "'%s' is not one of the review's exclusion reasons "
				   "(add it with 'qes criteria REVIEW --reason TEXT')", reason);
	sqlite3_finalize(s);
	return rc;
}
