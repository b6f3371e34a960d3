/* screen_conflict.c: disagreements and their resolution. */
#include "screen_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const conflict_sql[] = {
	"SELECT o.record_id, r.source_key, r.title, s.decision, s.method, v.initials,"
	" s.reason, s.note, s.resolved_at FROM screen_outcome_ta o"
	" JOIN records r ON r.id = o.record_id"
	" LEFT JOIN screen_resolutions s ON s.record_id = o.record_id AND s.stage = 'ta'"
	" LEFT JOIN reviewers v ON v.id = s.reviewer_id"
	" WHERE (o.outcome = 'conflict' OR (?1 AND s.decision IS NOT NULL)) ORDER BY o.record_id",
	"SELECT o.record_id, r.source_key, r.title, s.decision, s.method, v.initials,"
	" s.reason, s.note, s.resolved_at FROM screen_outcome_ft o"
	" JOIN records r ON r.id = o.record_id"
	" LEFT JOIN screen_resolutions s ON s.record_id = o.record_id AND s.stage = 'ft'"
	" LEFT JOIN reviewers v ON v.id = s.reviewer_id"
	" WHERE (o.outcome = 'conflict' OR (?1 AND s.decision IS NOT NULL)) ORDER BY o.record_id",
};

static char *dup_text(sqlite3_stmt *s, int i)
{
	const unsigned char *v = sqlite3_column_text(s, i);
	return v ? strdup((const char *)v) : NULL;
}

static void conflict_release(qes_conflict *c)
{
	free(c->source_key);
	free(c->title);
	free(c->reason[0]);
	free(c->reason[1]);
	free(c->resolved_by);
	free(c->method);
	free(c->resolved_reason);
	free(c->resolved_note);
	free(c->resolved_at);
}

/* The first two decisions on a conflicted record: both are in, so blinding
 * no longer hides them. */
static int fill_decisions(qes_store *st, qes_stage stage, qes_conflict *c, qes_error *err)
{
	sqlite3_stmt *s;
	if (qes__screen_stmt(st, &s, "SELECT r.initials, d.decision, d.reason"
				     " FROM screen_decisions d JOIN reviewers r ON r.id = d.reviewer_id"
				     " WHERE d.record_id = ? AND d.stage = ? ORDER BY d.seq", err))
		return QES_ESTORE;
	sqlite3_bind_int64(s, 1, c->record_id);
	sqlite3_bind_text(s, 2, qes_stage_name(stage), -1, SQLITE_STATIC);
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (c->n < 2) {
			snprintf(c->initials[c->n], sizeof(c->initials[0]), "%s",
				 (const char *)sqlite3_column_text(s, 0));
			qes_decision_parse((const char *)sqlite3_column_text(s, 1),
					   &c->decision[c->n], NULL);
			c->reason[c->n] = dup_text(s, 2);
		}
		c->n++;
	}
	sqlite3_finalize(s);
	return 0;
}

int qes_conflicts_foreach(qes_store *st, qes_stage stage, int with_resolved,
			  int (*fn)(void *ud, const qes_conflict *c), void *ud,
			  qes_error *err)
{
	sqlite3_stmt *s;
	if (qes__screen_prepare(st, err) || qes__screen_stmt(st, &s, conflict_sql[stage], err))
		return QES_ESTORE;
	sqlite3_bind_int(s, 1, with_resolved);
	int rc = 0;
	while (!rc && sqlite3_step(s) == SQLITE_ROW) {
		qes_conflict c;
		memset(&c, 0, sizeof(c));
		c.record_id = sqlite3_column_int64(s, 0);
		c.source_key = dup_text(s, 1);
		c.title = dup_text(s, 2);
		if (sqlite3_column_type(s, 3) != SQLITE_NULL) {
			qes_decision_parse((const char *)sqlite3_column_text(s, 3), &c.resolved, NULL);
			c.method = dup_text(s, 4);
			c.resolved_by = dup_text(s, 5);
			c.resolved_reason = dup_text(s, 6);
			c.resolved_note = dup_text(s, 7);
			c.resolved_at = dup_text(s, 8);
		}
		rc = fill_decisions(st, stage, &c, err);
		if (!rc)
			rc = fn(ud, &c);
		conflict_release(&c);
	}
	sqlite3_finalize(s);
	return rc;
}

/* Who may resolve: for consensus, one of the reviewers who decided, or an
 * owner; for a third reviewer, an owner or arbiter who did not decide it. */
static int may_resolve(qes_store *st, qes_stage stage, long long record_id, long long who,
		       const char *role, const char *method, qes_error *err)
{
	sqlite3_stmt *s;
	if (qes__screen_stmt(st, &s, "SELECT 1 FROM screen_decisions WHERE record_id = ?"
				     " AND stage = ? AND reviewer_id = ?", err))
		return QES_ESTORE;
	sqlite3_bind_int64(s, 1, record_id);
	sqlite3_bind_text(s, 2, qes_stage_name(stage), -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, who);
	int decided = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_finalize(s);
	int boss = !strcmp(role, "owner") || !strcmp(role, "arbiter");
	if (!strcmp(method, "consensus"))
		return decided || !strcmp(role, "owner") ? 0
			: qes_error_set(err, QES_EPERM, "a consensus is recorded by one of the "
					"reviewers who decided, or by an owner");
	return boss && !decided ? 0
		: qes_error_set(err, QES_EPERM, "a third reviewer is an owner or arbiter "
				"who did not decide the record");
}

int qes_conflict_resolve(qes_store *st, const char *by, qes_stage stage,
			 long long record_id, const char *method, qes_decision d,
			 const qes_decide_opts *o, qes_error *err)
{
	static const qes_decide_opts none;
	if (!o)
		o = &none;
	if (!method)
		method = "consensus";
	if (strcmp(method, "consensus") && strcmp(method, "third"))
		return qes_error_set(err, QES_EINVAL, "no such method '%s' (consensus or third)",
				     method);
	if (d < QES_DEC_INCLUDE || d > QES_DEC_UNSURE)
		return qes_error_set(err, QES_EINVAL, "resolve to include, exclude or unsure");
	if (stage == QES_STAGE_FT && d == QES_DEC_UNSURE)
		return qes_error_set(err, QES_EINVAL, "a full text is resolved to include or exclude");
	const char *reason = o->reason && *o->reason ? o->reason : NULL;
	if (stage == QES_STAGE_FT && d == QES_DEC_EXCLUDE && !reason)
		return qes_error_set(err, QES_EINVAL, "excluding a full text needs a reason");
	long long who;
	char role[16], canon[512] = "";
	qes_outcome out;
	int rc = qes__reviewer_lookup(st, by, &who, role, err);
	if (rc || (rc = qes_store_begin(st, err)))
		return rc;
	sqlite3_stmt *s = NULL;
	if ((rc = qes_screen_outcome(st, stage, record_id, &out, err)))
		goto out;
	if (out != QES_OUT_CONFLICT) {
		rc = qes_error_set(err, QES_ECONFLICT, "record #%lld has no open conflict at %s "
				   "(it is %s)", record_id, qes_stage_name(stage),
				   qes_outcome_name(out));
		goto out;
	}
	if ((rc = may_resolve(st, stage, record_id, who, role, method, err)))
		goto out;
	if (reason && (rc = qes__reason_check(st, reason, canon, sizeof(canon), err)))
		goto out;
	if ((rc = qes__screen_stmt(st, &s, "INSERT INTO screen_resolutions(record_id, stage,"
					   " decision, method, reviewer_id, reason, note)"
					   " VALUES (?, ?, ?, ?, ?, ?, ?)", err)))
		goto out;
	sqlite3_bind_int64(s, 1, record_id);
	sqlite3_bind_text(s, 2, qes_stage_name(stage), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, qes_decision_name(d), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, method, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, who);
	if (reason)
		sqlite3_bind_text(s, 6, canon, -1, SQLITE_STATIC);
	if (o->note && *o->note)
		sqlite3_bind_text(s, 7, o->note, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE) {
		rc = qes_store_sqlerr(st, err, "recording the resolution");
		goto out;
	}
	if ((rc = qes__screen_log(st, who, "resolve", record_id, qes_stage_name(stage), NULL,
				  qes_decision_name(d), reason ? canon : NULL, o->note, method,
				  NULL, err)))
		goto out;
	rc = qes_store_commit(st, err);
out:
	sqlite3_finalize(s);
	if (rc)
		qes_store_rollback(st);
	return rc;
}
