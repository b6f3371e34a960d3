/* screen_decide.c: deciding, changing and undoing; the next record; what a
 * reviewer may see of a record's decisions (blinding lives here). */
#include "screen_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef qes_rec_state rec_state;

/* 1 when the record is a screening unit (screen_pool.c decides). */
static int is_unit(qes_store *st, long long record_id, int *yes, qes_error *err)
{
	sqlite3_stmt *s;
	if (qes__screen_stmt(st, &s, "SELECT 1 FROM screen_units WHERE record_id = ?", err))
		return QES_ESTORE;
	sqlite3_bind_int64(s, 1, record_id);
	*yes = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_finalize(s);
	return 0;
}

/* The same rules as the views in screen_common.c, for one record. */
int qes__screen_state(qes_store *st, qes_stage stage, long long record_id,
		      qes_rec_state *rs, qes_error *err)
{
	memset(rs, 0, sizeof(*rs));
	int rc = qes__screen_prepare(st, err);
	if (rc)
		return rc;
	if (stage == QES_STAGE_FT) {
		qes_rec_state ta;
		if ((rc = qes__screen_state(st, QES_STAGE_TA, record_id, &ta, err)))
			return rc;
		if (ta.outcome != QES_OUT_INCLUDE && ta.outcome != QES_OUT_UNSURE)
			return 0;
	} else {
		int yes;
		if ((rc = is_unit(st, record_id, &yes, err)) || !yes)
			return rc;
	}
	qes_policy p;
	if ((rc = qes_policy_get(st, stage, &p, err)))
		return rc;
	rs->in_pool = 1;
	rs->need = p.mode == QES_POLICY_DOUBLE ? 2 : 1;
	if (p.mode == QES_POLICY_SAMPLE) {
		int yes;
		if ((rc = qes_screen_in_sample(st, stage, record_id, &yes, err)))
			return rc;
		rs->need += yes;
	}
	sqlite3_stmt *s;
	if (qes__screen_stmt(st, &s,
			     "SELECT 0, decision FROM screen_decisions WHERE record_id = ?1 AND stage = ?2"
			     " UNION ALL SELECT 1, decision FROM screen_resolutions"
			     "  WHERE record_id = ?1 AND stage = ?2"
			     " UNION ALL SELECT 2, status FROM fulltexts WHERE record_id = ?1", err))
		return QES_ESTORE;
	sqlite3_bind_int64(s, 1, record_id);
	sqlite3_bind_text(s, 2, qes_stage_name(stage), -1, SQLITE_STATIC);
	int count[4] = { 0 }, not_retrieved = 0;
	qes_decision resolved = QES_DEC_NONE;
	while (sqlite3_step(s) == SQLITE_ROW) {
		int kind = sqlite3_column_int(s, 0);
		const char *v = (const char *)sqlite3_column_text(s, 1);
		qes_decision d = QES_DEC_NONE;
		if (kind == 2) {
			not_retrieved = !strcmp(v, "not_retrieved");
			continue;
		}
		qes_decision_parse(v, &d, NULL);
		if (kind == 1) {
			resolved = d;
		} else {
			count[d]++;
			rs->n++;
		}
	}
	sqlite3_finalize(s);
	rs->resolved = resolved != QES_DEC_NONE;
	if (resolved)
		rs->outcome = resolved == QES_DEC_INCLUDE ? QES_OUT_INCLUDE
			: resolved == QES_DEC_EXCLUDE ? QES_OUT_EXCLUDE : QES_OUT_UNSURE;
	else if (stage == QES_STAGE_FT && rs->n == 0 && not_retrieved)
		rs->outcome = QES_OUT_NOT_RETRIEVED;
	else if (rs->n < rs->need)
		rs->outcome = QES_OUT_PENDING;
	else if (count[QES_DEC_INCLUDE] == rs->n)
		rs->outcome = QES_OUT_INCLUDE;
	else if (count[QES_DEC_EXCLUDE] == rs->n)
		rs->outcome = QES_OUT_EXCLUDE;
	else if (count[QES_DEC_UNSURE] == rs->n && stage == QES_STAGE_TA)
		rs->outcome = QES_OUT_UNSURE;
	else
		rs->outcome = QES_OUT_CONFLICT;
	return 0;
}

static int state_of(qes_store *st, qes_stage stage, long long record_id, rec_state *rs,
		    qes_error *err)
{
	return qes__screen_state(st, stage, record_id, rs, err);
}

int qes_screen_outcome(qes_store *st, qes_stage stage, long long record_id,
		       qes_outcome *out, qes_error *err)
{
	rec_state rs;
	int rc = state_of(st, stage, record_id, &rs, err);
	*out = rs.in_pool ? rs.outcome : QES_OUT_NOT_IN_POOL;
	return rc;
}

static int fulltext_attached(qes_store *st, long long record_id, int *yes, qes_error *err)
{
	sqlite3_stmt *s;
	if (qes__screen_stmt(st, &s, "SELECT 1 FROM fulltexts WHERE record_id = ?"
				     " AND status IN ('attached', 'retrieved')", err))
		return QES_ESTORE;
	sqlite3_bind_int64(s, 1, record_id);
	*yes = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_finalize(s);
	return 0;
}

/* The reviewer's own decision (NONE if none) and how many others decided. */
static int own_and_others(qes_store *st, qes_stage stage, long long record_id,
			  long long reviewer, qes_decision *own, int *others,
			  qes_error *err)
{
	sqlite3_stmt *s;
	if (qes__screen_stmt(st, &s, "SELECT reviewer_id, decision FROM screen_decisions"
				     " WHERE record_id = ? AND stage = ?", err))
		return QES_ESTORE;
	sqlite3_bind_int64(s, 1, record_id);
	sqlite3_bind_text(s, 2, qes_stage_name(stage), -1, SQLITE_STATIC);
	*own = QES_DEC_NONE;
	*others = 0;
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (sqlite3_column_int64(s, 0) == reviewer)
			qes_decision_parse((const char *)sqlite3_column_text(s, 1), own, NULL);
		else
			(*others)++;
	}
	sqlite3_finalize(s);
	return 0;
}

/* What rests on a record's title/abstract decision at full text: the
 * full-text decisions and resolution, and a report attached or marked not
 * retrieved (and the study made from an inclusion). An undo or a change
 * that takes the record out of full text would drop them from the counts
 * without a word (issue 18: 97 included became 96), so it is refused with
 * what depends on it. ok when nothing does. */
static int later_stage_check(qes_store *st, long long record_id, const char *what,
			     qes_error *err)
{
	sqlite3_stmt *s;
	if (qes__screen_stmt(st, &s,
			     "SELECT (SELECT count(*) FROM screen_decisions WHERE record_id = ?1"
			     "  AND stage = 'ft'),"
			     " (SELECT decision FROM screen_resolutions WHERE record_id = ?1"
			     "  AND stage = 'ft'),"
			     " (SELECT status FROM fulltexts WHERE record_id = ?1)", err))
		return QES_ESTORE;
	sqlite3_bind_int64(s, 1, record_id);
	int rc = 0;
	if (sqlite3_step(s) == SQLITE_ROW) {
		int n = sqlite3_column_int(s, 0);
		const char *res = (const char *)sqlite3_column_text(s, 1);
		const char *ft = (const char *)sqlite3_column_text(s, 2);
		if (n || res || ft) {
			char dep[256] = "";
			size_t len = 0;
			if (n)
				len += (size_t)snprintf(dep + len, sizeof(dep) - len,
							"%d full-text decision%s", n, n == 1 ? "" : "s");
			if (res && len < sizeof(dep))
				len += (size_t)snprintf(dep + len, sizeof(dep) - len,
							"%sa full-text resolution (%s)",
							len ? ", " : "", res);
			if (ft && len < sizeof(dep))
				snprintf(dep + len, sizeof(dep) - len, "%s%s", len ? ", " : "",
					 !strcmp(ft, "attached") ? "a full text attached"
					 : "its report marked not retrieved");
			rc = qes_error_set(err, QES_ECONFLICT,
					   "record #%lld cannot be %s at title/abstract: the full-text "
					   "stage depends on it (%s); take those back first",
					   record_id, what, dep);
		}
	}
	sqlite3_finalize(s);
	return rc;
}

static int check_pool(qes_store *st, qes_stage stage, long long record_id,
		      rec_state *rs, qes_error *err)
{
	int rc = state_of(st, stage, record_id, rs, err);
	if (rc)
		return rc;
	if (!rs->in_pool)
		return qes_error_set(err, QES_ECONFLICT,
				     stage == QES_STAGE_TA
				     ? "record #%lld is not screened (a duplicate of another record)"
				     : "record #%lld was not sent on to full-text screening", record_id);
	if (stage == QES_STAGE_FT) {
		int yes;
		if ((rc = fulltext_attached(st, record_id, &yes, err)))
			return rc;
		if (!yes)
			return qes_error_set(err, QES_ECONFLICT,
					     "record #%lld has no full text attached "
					     "('qes fulltext attach')", record_id);
	}
	return 0;
}

int qes__screen_decide_locked(qes_store *st, const char *as, qes_stage stage,
			      long long record_id, qes_decision d,
			      const qes_decide_opts *o, const char *action,
			      qes_error *err)
{
	return qes__screen_decide_detail(st, as, stage, record_id, d, o, action, NULL, err);
}

int qes__screen_decide_detail(qes_store *st, const char *as, qes_stage stage,
			      long long record_id, qes_decision d,
			      const qes_decide_opts *o, const char *action,
			      const char *detail, qes_error *err)
{
	static const qes_decide_opts none;
	if (!o)
		o = &none;
	if (d < QES_DEC_INCLUDE || d > QES_DEC_UNSURE)
		return qes_error_set(err, QES_EINVAL, "decide include, exclude or unsure");
	long long who;
	int rc = qes__reviewer_lookup(st, as, &who, NULL, err);
	if (rc)
		return rc;
	rec_state rs;
	if ((rc = check_pool(st, stage, record_id, &rs, err)))
		return rc;
	const char *reason = o->reason && *o->reason ? o->reason : NULL;
	char canon[512] = "";
	if (d == QES_DEC_EXCLUDE && stage == QES_STAGE_FT && !reason)
		return qes_error_set(err, QES_EINVAL, "excluding a full text needs a reason "
				     "from the review's list (--reason)");
	if (reason && (rc = qes__reason_check(st, reason, canon, sizeof(canon), err)))
		return rc;
	if (rs.resolved)
		return qes_error_set(err, QES_ECONFLICT,
				     "record #%lld was resolved already at %s", record_id,
				     qes_stage_name(stage));
	qes_decision own;
	int others;
	if ((rc = own_and_others(st, stage, record_id, who, &own, &others, err)))
		return rc;
	if (own && others)
		return qes_error_set(err, QES_ECONFLICT,
				     "another reviewer has decided record #%lld too: a change now "
				     "goes through conflict resolution", record_id);
	if (!own && rs.n >= rs.need)
		return qes_error_set(err, QES_ECONFLICT,
				     "record #%lld already has the %d decision%s its policy needs",
				     record_id, rs.need, rs.need == 1 ? "" : "s");
	/* A change to exclude takes the record out of full text. */
	if (own && own != QES_DEC_EXCLUDE && d == QES_DEC_EXCLUDE && stage == QES_STAGE_TA &&
	    (rc = later_stage_check(st, record_id, "changed to exclude", err)))
		return rc;
	long long seq;
	if ((rc = qes__screen_log(st, who, own ? "change" : action, record_id,
				  qes_stage_name(stage), qes_decision_name(own),
				  qes_decision_name(d), reason ? canon : NULL, o->note,
				  detail, &seq, err)))
		return rc;
	sqlite3_stmt *s;
	if (qes__screen_stmt(st, &s,
			     "INSERT INTO screen_decisions(record_id, stage, reviewer_id, decision,"
			     " reason, note, seq) VALUES (?, ?, ?, ?, ?, ?, ?)"
			     " ON CONFLICT(record_id, stage, reviewer_id) DO UPDATE SET"
			     " decision = excluded.decision, reason = excluded.reason,"
			     " note = excluded.note, seq = excluded.seq,"
			     " decided_at = strftime('%Y-%m-%dT%H:%M:%SZ','now')", err))
		return QES_ESTORE;
	sqlite3_bind_int64(s, 1, record_id);
	sqlite3_bind_text(s, 2, qes_stage_name(stage), -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, who);
	sqlite3_bind_text(s, 4, qes_decision_name(d), -1, SQLITE_STATIC);
	if (reason)
		sqlite3_bind_text(s, 5, canon, -1, SQLITE_STATIC);
	if (o->note && *o->note)
		sqlite3_bind_text(s, 6, o->note, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 7, seq);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : qes_store_sqlerr(st, err, "recording decision");
	sqlite3_finalize(s);
	return rc;
}

int qes_screen_decide(qes_store *st, const char *as, qes_stage stage,
		      long long record_id, qes_decision d,
		      const qes_decide_opts *o, qes_error *err)
{
	int rc = qes__screen_prepare(st, err);
	if (rc || (rc = qes_store_begin(st, err)))
		return rc;
	rc = qes__screen_decide_locked(st, as, stage, record_id, d, o, "decide", err);
	if (!rc)
		rc = qes_store_commit(st, err);
	if (rc)
		qes_store_rollback(st);
	return rc;
}

int qes_screen_undo(qes_store *st, const char *as, qes_stage stage,
		    long long *record_id, qes_error *err)
{
	*record_id = 0;
	long long who;
	int rc = qes__screen_prepare(st, err);
	if (rc || (rc = qes__reviewer_lookup(st, as, &who, NULL, err)))
		return rc;
	if ((rc = qes_store_begin(st, err)))
		return rc;
	sqlite3_stmt *s = NULL;
	if ((rc = qes__screen_stmt(st, &s, "SELECT record_id, decision FROM screen_decisions"
					   " WHERE reviewer_id = ? AND stage = ?"
					   " ORDER BY seq DESC LIMIT 1", err)))
		goto out;
	sqlite3_bind_int64(s, 1, who);
	sqlite3_bind_text(s, 2, qes_stage_name(stage), -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_ROW) {
		rc = qes_store_commit(st, err);
		goto out;
	}
	long long rid = sqlite3_column_int64(s, 0);
	char old[16];
	snprintf(old, sizeof(old), "%s", (const char *)sqlite3_column_text(s, 1));
	sqlite3_finalize(s);
	s = NULL;
	rec_state rs;
	qes_decision own;
	int others;
	if ((rc = state_of(st, stage, rid, &rs, err)) ||
	    (rc = own_and_others(st, stage, rid, who, &own, &others, err)))
		goto out;
	if (others || rs.resolved) {
		rc = qes_error_set(err, QES_ECONFLICT,
				   "another reviewer has decided record #%lld too: it can no "
				   "longer be undone, only resolved", rid);
		goto out;
	}
	if (stage == QES_STAGE_TA && (rc = later_stage_check(st, rid, "undone", err)))
		goto out;
	if ((rc = qes__screen_stmt(st, &s, "DELETE FROM screen_decisions WHERE record_id = ?"
					   " AND stage = ? AND reviewer_id = ?", err)))
		goto out;
	sqlite3_bind_int64(s, 1, rid);
	sqlite3_bind_text(s, 2, qes_stage_name(stage), -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, who);
	if (sqlite3_step(s) != SQLITE_DONE) {
		rc = qes_store_sqlerr(st, err, "undoing");
		goto out;
	}
	if ((rc = qes__screen_log(st, who, "undo", rid, qes_stage_name(stage), old, NULL,
				  NULL, NULL, NULL, NULL, err)))
		goto out;
	if (!(rc = qes_store_commit(st, err)))
		*record_id = rid;
out:
	sqlite3_finalize(s);
	if (rc)
		qes_store_rollback(st);
	return rc;
}

int qes_screen_next(qes_store *st, const char *as, qes_stage stage,
		    long long after, long long *record_id, qes_error *err)
{
	static const char *const sql[] = {
		"SELECT o.record_id FROM screen_outcome_ta o WHERE o.record_id > ?1"
		" AND o.resolved IS NULL AND o.n < o.need AND NOT EXISTS (SELECT 1"
		"  FROM screen_decisions d WHERE d.record_id = o.record_id AND d.stage = 'ta'"
		"  AND d.reviewer_id = ?2) ORDER BY o.record_id LIMIT 1",
		"SELECT o.record_id FROM screen_outcome_ft o"
		" JOIN fulltexts f ON f.record_id = o.record_id"
		"  AND f.status IN ('attached', 'retrieved')"
		" WHERE o.record_id > ?1"
		" AND o.resolved IS NULL AND o.n < o.need AND NOT EXISTS (SELECT 1"
		"  FROM screen_decisions d WHERE d.record_id = o.record_id AND d.stage = 'ft'"
		"  AND d.reviewer_id = ?2) ORDER BY o.record_id LIMIT 1",
	};
	*record_id = 0;
	long long who;
	sqlite3_stmt *s;
	int rc = qes__screen_prepare(st, err);
	if (rc || (rc = qes__reviewer_lookup(st, as, &who, NULL, err)))
		return rc;
	if (qes__screen_stmt(st, &s, sql[stage], err))
		return QES_ESTORE;
	sqlite3_bind_int64(s, 1, after);
	sqlite3_bind_int64(s, 2, who);
	int step = sqlite3_step(s);
	if (step == SQLITE_ROW)
		*record_id = sqlite3_column_int64(s, 0);
	else if (step != SQLITE_DONE)
		rc = qes_store_sqlerr(st, err, "finding the next record");
	sqlite3_finalize(s);
	return rc;
}

static char *dup_text(sqlite3_stmt *s, int i)
{
	const unsigned char *v = sqlite3_column_text(s, i);
	return v ? strdup((const char *)v) : NULL;
}

/* Blinding: a decision is shown to the asker when it is their own, or when
 * the record has every decision its policy needs (or was resolved). Owners
 * get no exception before that point. */
int qes_screen_decisions(qes_store *st, const char *as, qes_stage stage,
			 long long record_id, qes_decision_view **views, int *n,
			 qes_error *err)
{
	*views = NULL;
	*n = 0;
	long long who = 0;
	int rc = as ? qes__reviewer_lookup(st, as, &who, NULL, err) : 0;
	rec_state rs;
	if (rc || (rc = state_of(st, stage, record_id, &rs, err)))
		return rc;
	int complete = rs.in_pool && (rs.resolved || rs.n >= rs.need);
	sqlite3_stmt *s;
	if (qes__screen_stmt(st, &s, "SELECT r.initials, d.decision, d.reason, d.note,"
				     " d.decided_at, d.reviewer_id, count(*) OVER ()"
				     " FROM screen_decisions d JOIN reviewers r ON r.id = d.reviewer_id"
				     " WHERE d.record_id = ? AND d.stage = ? ORDER BY d.seq", err))
		return QES_ESTORE;
	sqlite3_bind_int64(s, 1, record_id);
	sqlite3_bind_text(s, 2, qes_stage_name(stage), -1, SQLITE_STATIC);
	qes_decision_view *v = NULL;
	int k = 0;
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (!v && !(v = calloc((size_t)sqlite3_column_int(s, 6), sizeof(*v)))) {
			rc = qes_error_set(err, QES_ENOMEM, "out of memory");
			break;
		}
		qes_decision_view *e = &v[k++];
		snprintf(e->initials, sizeof(e->initials), "%s",
			 (const char *)sqlite3_column_text(s, 0));
		e->decided_at = dup_text(s, 4);
		if (sqlite3_column_int64(s, 5) == who || complete) {
			qes_decision_parse((const char *)sqlite3_column_text(s, 1), &e->decision, NULL);
			e->reason = dup_text(s, 2);
			e->note = dup_text(s, 3);
		} else {
			e->hidden = 1;
		}
	}
	sqlite3_finalize(s);
	if (rc) {
		qes_decision_views_release(v, k);
		return rc;
	}
	*views = v;
	*n = k;
	return 0;
}

void qes_decision_views_release(qes_decision_view *v, int n)
{
	for (int i = 0; v && i < n; i++) {
		free(v[i].reason);
		free(v[i].note);
		free(v[i].decided_at);
	}
	free(v);
}
