/* screen_agreement.c: agreement per pair of reviewers at a stage.
 *
 * Over the records both reviewers decided (so both decisions are in and
 * blinding no longer applies), in the three categories as decided:
 * include, exclude, unsure. Percent agreement is the share of records with
 * the same decision; kappa corrects it for chance (screen_kappa.c). */
#include "screen_internal.h"

#include <stdio.h>
#include <string.h>

static int flush(qes_agreement_pair *p, int (*fn)(void *, const qes_agreement_pair *),
		 void *ud, qes_error *err)
{
	if (!p->n)
		return 0;
	int rc = qes_kappa_compute(&p->table[0][0], 3, &p->k, err);
	if (rc)
		return rc;
	p->percent_agreement = 100.0 * p->k.po;
	return fn(ud, p);
}

int qes_agreement_foreach(qes_store *st, qes_stage stage,
			  int (*fn)(void *ud, const qes_agreement_pair *p), void *ud,
			  qes_error *err)
{
	sqlite3_stmt *s;
	if (qes__screen_stmt(st, &s,
			     "SELECT ra.initials, rb.initials, a.decision, b.decision, count(*)"
			     " FROM screen_decisions a JOIN screen_decisions b"
			     "  ON b.record_id = a.record_id AND b.stage = a.stage"
			     "  AND b.reviewer_id > a.reviewer_id"
			     " JOIN reviewers ra ON ra.id = a.reviewer_id"
			     " JOIN reviewers rb ON rb.id = b.reviewer_id"
			     " WHERE a.stage = ? GROUP BY a.reviewer_id, b.reviewer_id,"
			     " a.decision, b.decision ORDER BY a.reviewer_id, b.reviewer_id", err))
		return QES_ESTORE;
	sqlite3_bind_text(s, 1, qes_stage_name(stage), -1, SQLITE_STATIC);
	qes_agreement_pair p;
	memset(&p, 0, sizeof(p));
	int rc = 0;
	while (!rc && sqlite3_step(s) == SQLITE_ROW) {
		const char *a = (const char *)sqlite3_column_text(s, 0);
		const char *b = (const char *)sqlite3_column_text(s, 1);
		if (strcmp(a, p.a) || strcmp(b, p.b)) {
			if ((rc = flush(&p, fn, ud, err)))
				break;
			memset(&p, 0, sizeof(p));
			snprintf(p.a, sizeof(p.a), "%s", a);
			snprintf(p.b, sizeof(p.b), "%s", b);
		}
		qes_decision da = QES_DEC_NONE, db = QES_DEC_NONE;
		qes_decision_parse((const char *)sqlite3_column_text(s, 2), &da, NULL);
		qes_decision_parse((const char *)sqlite3_column_text(s, 3), &db, NULL);
		long count = (long)sqlite3_column_int64(s, 4);
		if (da && db) {
			p.table[da - 1][db - 1] += count;
			p.n += count;
		}
	}
	if (!rc)
		rc = flush(&p, fn, ud, err);
	sqlite3_finalize(s);
	return rc;
}
