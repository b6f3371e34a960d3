/* screen_log.c: reading the append-only audit log, blinded.
 *
 * The log says who decided what, so it must not become a way round
 * blinding: a decision entry (decide, change, undo, import) by someone
 * other than the asker, on a record that still lacks decisions its policy
 * needs, is shown with its decision, reason and note masked. */
#include "screen_internal.h"

#include <string.h>

static int is_decision_action(const char *a)
{
	return !strcmp(a, "decide") || !strcmp(a, "change") || !strcmp(a, "undo") ||
	       !strcmp(a, "import");
}

/* 1 when the record has every decision it needs (or was resolved). */
static int complete(qes_store *st, const char *stage, long long record_id)
{
	qes_stage sg = stage && !strcmp(stage, "ft") ? QES_STAGE_FT : QES_STAGE_TA;
	qes_rec_state rs;
	if (qes__screen_state(st, sg, record_id, &rs, NULL))
		return 0;
	return rs.in_pool && (rs.resolved || rs.n >= rs.need);
}

int qes_log_foreach(qes_store *st, const char *as,
		    int (*fn)(void *ud, const qes_log_entry *e), void *ud,
		    qes_error *err)
{
	long long who = 0;
	int rc = as ? qes__reviewer_lookup(st, as, &who, NULL, err) : 0;
	if (rc || (rc = qes__screen_prepare(st, err)))
		return rc;
	sqlite3_stmt *s;
	if (qes__screen_stmt(st, &s,
			     "SELECT l.id, l.at, v.initials, l.action, l.stage, r.source_key,"
			     " l.old_decision, l.new_decision, l.reason, l.note, l.detail,"
			     " l.record_id, l.reviewer_id FROM screen_log l"
			     " LEFT JOIN reviewers v ON v.id = l.reviewer_id"
			     " LEFT JOIN records r ON r.id = l.record_id ORDER BY l.id", err))
		return QES_ESTORE;
	while (!rc && sqlite3_step(s) == SQLITE_ROW) {
		qes_log_entry e = {
			.id = sqlite3_column_int64(s, 0),
			.at = (const char *)sqlite3_column_text(s, 1),
			.by = (const char *)sqlite3_column_text(s, 2),
			.action = (const char *)sqlite3_column_text(s, 3),
			.stage = (const char *)sqlite3_column_text(s, 4),
			.source_key = (const char *)sqlite3_column_text(s, 5),
			.old_decision = (const char *)sqlite3_column_text(s, 6),
			.new_decision = (const char *)sqlite3_column_text(s, 7),
			.reason = (const char *)sqlite3_column_text(s, 8),
			.note = (const char *)sqlite3_column_text(s, 9),
			.detail = (const char *)sqlite3_column_text(s, 10),
			.record_id = sqlite3_column_int64(s, 11),
		};
		long long by = sqlite3_column_int64(s, 12);
		if (is_decision_action(e.action) && e.record_id && (!who || by != who) &&
		    !complete(st, e.stage, e.record_id)) {
			e.hidden = 1;
			e.old_decision = e.new_decision = e.reason = e.note = NULL;
		}
		rc = fn(ud, &e);
	}
	sqlite3_finalize(s);
	return rc;
}
