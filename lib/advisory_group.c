/* advisory_group.c: the lived-experience advisory group: advisors,
 * workshops, comments, the team's responses, and what is shared. */
#include "synth_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "qes/advisory.h"

static int finish(qes_store *st, int rc, qes_error *err)
{
	if (rc) {
		qes_store_rollback(st);
		return rc;
	}
	return qes_store_commit(st, err);
}

static int find_advisor(qes_store *st, const char *name, long long *id, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = qes__prep(st, &s, "SELECT id FROM synth_advisors WHERE name = ?", err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(s) == SQLITE_ROW)
		*id = sqlite3_column_int64(s, 0);
	else
		rc = qes_error_set(err, QES_ENOTFOUND, "no advisor '%s' (qes advisory advisor add)", name);
	sqlite3_finalize(s);
	return rc;
}

int qes_advisor_add(qes_store *st, const char *name, const char *web_user, const char *by,
		    qes_error *err)
{
	if (!name || !*name || strlen(name) > 128)
		return qes_error_set(err, QES_EINVAL, "an advisor needs a name or pseudonym "
				     "(1 to 128 bytes)");
	int rc = qes_store_begin(st, err);
	if (rc)
		return rc;
	sqlite3_stmt *s = NULL;
	long long uid = 0;
	if (web_user) {
		if ((rc = qes__prep(st, &s, "SELECT id, role FROM web_users WHERE name = ?", err)))
			goto out;
		sqlite3_bind_text(s, 1, web_user, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(s) != SQLITE_ROW)
			rc = qes_error_set(err, QES_ENOTFOUND, "no web account '%s' (qes user add)", web_user);
		else if (strcmp(qes__col(s, 1), "advisor"))
			rc = qes_error_set(err, QES_ECONFLICT, "web account '%s' has role %s, not advisor",
					   web_user, qes__col(s, 1));
		else
			uid = sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
		s = NULL;
		if (rc)
			goto out;
	}
	if ((rc = qes__prep(st, &s, "INSERT INTO synth_advisors(name, web_user_id) VALUES (?, ?)", err)))
		goto out;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_TRANSIENT);
	if (uid)
		sqlite3_bind_int64(s, 2, uid);
	int step = sqlite3_step(s);
	if ((step & 0xff) == SQLITE_CONSTRAINT)
		rc = qes_error_set(err, QES_EEXIST, "advisor '%s' exists, or the web account is "
				   "already an advisor's", name);
	else if (step != SQLITE_DONE)
		rc = qes_store_sqlerr(st, err, "adding an advisor");
	sqlite3_finalize(s);
	if (!rc)
		rc = qes__synth_log(st, by, "advisor add", name, web_user, err);
out:
	return finish(st, rc, err);
}

int qes_advisor_for_user(qes_store *st, long long web_user_id, long long *advisor,
			 qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = qes__prep(st, &s, "SELECT id FROM synth_advisors WHERE web_user_id = ?", err);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, web_user_id);
	if (sqlite3_step(s) == SQLITE_ROW)
		*advisor = sqlite3_column_int64(s, 0);
	else
		rc = qes_error_set(err, QES_ENOTFOUND, "this account is not an advisor's");
	sqlite3_finalize(s);
	return rc;
}

static int valid_date(const char *d)
{
	int y, m, day;
	char tail;
	return d && strlen(d) == 10 && sscanf(d, "%4d-%2d-%2d%c", &y, &m, &day, &tail) == 3 &&
	       y >= 1900 && y <= 2200 && m >= 1 && m <= 12 && day >= 1 && day <= 31;
}

int qes_workshop_add(qes_store *st, const char *date, const char *title,
		     char *const *advisors, int nadvisors, char *const *shown, int nshown,
		     const char *by, long long *id, qes_error *err)
{
	if (!valid_date(date))
		return qes_error_set(err, QES_EINVAL, "a workshop date is YYYY-MM-DD");
	int rc = qes_store_begin(st, err);
	if (rc)
		return rc;
	sqlite3_stmt *s = NULL;
	long long wid = 0;
	if ((rc = qes__prep(st, &s, "INSERT INTO synth_workshops(held_on, title) VALUES (?, ?)", err)))
		goto out;
	sqlite3_bind_text(s, 1, date, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 2, title ? title : "", -1, SQLITE_TRANSIENT);
	if ((rc = qes__synth_step(st, s, "adding a workshop", err)))
		goto out;
	wid = sqlite3_last_insert_rowid(qes_store_db(st));
	for (int i = 0; i < nadvisors && !rc; i++) {
		long long aid;
		if ((rc = find_advisor(st, advisors[i], &aid, err)) ||
		    (rc = qes__prep(st, &s, "INSERT OR IGNORE INTO synth_workshop_advisors VALUES (?, ?)", err)))
			break;
		sqlite3_bind_int64(s, 1, wid);
		sqlite3_bind_int64(s, 2, aid);
		rc = qes__synth_step(st, s, "recording who was present", err);
	}
	for (int i = 0; i < nshown && !rc; i++) {
		int kind;
		long long tid;
		const char *text = NULL;
		if ((rc = qes__synth_target(st, shown[i], QES__T_THEME | QES__T_FINDING | QES__T_CODE |
					    QES__T_TEXT, &kind, &tid, &text, err)) ||
		    (rc = qes__prep(st, &s, "INSERT INTO synth_workshop_items(workshop_id, kind,"
				    " target_id, text) VALUES (?, ?, ?, ?)", err)))
			break;
		sqlite3_bind_int64(s, 1, wid);
		sqlite3_bind_text(s, 2, qes__synth_kind_name(kind), -1, SQLITE_STATIC);
		if (kind != QES__T_TEXT)
			sqlite3_bind_int64(s, 3, tid);
		sqlite3_bind_text(s, 4, kind == QES__T_TEXT ? text : "", -1, SQLITE_TRANSIENT);
		rc = qes__synth_step(st, s, "recording what was shown", err);
	}
	if (!rc) {
		char t[64];
		snprintf(t, sizeof(t), "workshop #%lld", wid);
		rc = qes__synth_log(st, by, "workshop add", t, date, err);
	}
out:
	if (!rc && id)
		*id = wid;
	return finish(st, rc, err);
}

int qes_comment_add(qes_store *st, const char *advisor, long long workshop,
		    const char *target, const char *text, const char *by,
		    long long *id, qes_error *err)
{
	if (!text || !*text)
		return qes_error_set(err, QES_EINVAL, "a comment needs its text");
	if (qes__synth_too_long(text, "a comment", err))
		return err->code;
	int rc = qes_store_begin(st, err);
	if (rc)
		return rc;
	sqlite3_stmt *s = NULL;
	long long aid = 0, tid = 0;
	int kind = 0;
	if (advisor && (rc = find_advisor(st, advisor, &aid, err)))
		goto out;
	if (target && (rc = qes__synth_target(st, target, QES__T_THEME | QES__T_FINDING | QES__T_CODE |
					      QES__T_CODING, &kind, &tid, NULL, err)))
		goto out;
	if (workshop) {
		/* An advisor's comment at a workshop needs the advisor there. */
		if ((rc = qes__prep(st, &s, "SELECT (SELECT count(*) FROM synth_workshops WHERE id = ?1),"
				    " (SELECT count(*) FROM synth_workshop_advisors WHERE workshop_id = ?1"
				    " AND advisor_id = ?2)", err)))
			goto out;
		sqlite3_bind_int64(s, 1, workshop);
		sqlite3_bind_int64(s, 2, aid);
		sqlite3_step(s);
		int exists = sqlite3_column_int(s, 0), present = sqlite3_column_int(s, 1);
		sqlite3_finalize(s);
		if (!exists)
			rc = qes_error_set(err, QES_ENOTFOUND, "no workshop #%lld", workshop);
		else if (aid && !present)
			rc = qes_error_set(err, QES_ECONFLICT, "%s was not at workshop #%lld", advisor,
					   workshop);
		if (rc)
			goto out;
	}
	if ((rc = qes__prep(st, &s, "INSERT INTO synth_comments(advisor_id, workshop_id, target_kind,"
			    " target_id, text) VALUES (?, ?, ?, ?, ?)", err)))
		goto out;
	if (aid)
		sqlite3_bind_int64(s, 1, aid);
	if (workshop)
		sqlite3_bind_int64(s, 2, workshop);
	if (kind) {
		sqlite3_bind_text(s, 3, qes__synth_kind_name(kind), -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 4, tid);
	}
	sqlite3_bind_text(s, 5, text, -1, SQLITE_TRANSIENT);
	if ((rc = qes__synth_step(st, s, "adding a comment", err)))
		goto out;
	long long cid = sqlite3_last_insert_rowid(qes_store_db(st));
	char t[64];
	snprintf(t, sizeof(t), "comment #%lld", cid);
	rc = qes__synth_log(st, by, "comment add", t, text, err);
	if (!rc && id)
		*id = cid;
out:
	return finish(st, rc, err);
}

int qes_comment_respond(qes_store *st, long long comment, const char *status,
			const char *change, char *const *affects, int naffects,
			const char *by, qes_error *err)
{
	static const char *const statuses[] = { "adopted", "partly", "not_adopted", "pending" };
	int ok = 0;
	for (int i = 0; status && i < 4; i++)
		ok |= !strcmp(status, statuses[i]);
	if (!ok)
		return qes_error_set(err, QES_EINVAL, "'%s' is not a response: adopted, partly, "
				     "not_adopted or pending", status ? status : "");
	if (strcmp(status, "pending") && (!change || !*change))
		return qes_error_set(err, QES_EINVAL, "say how the analysis changed, or why it did "
				     "not (--change TEXT)");
	if (!by || !*by)
		return qes_error_set(err, QES_EINVAL, "say who responded (--by NAME)");
	if (qes__synth_too_long(change, "a change", err))
		return err->code;
	int rc = qes_store_begin(st, err);
	if (rc)
		return rc;
	sqlite3_stmt *s = NULL;
	if ((rc = qes__prep(st, &s, "UPDATE synth_comments SET status = ?, change = ?,"
			    " responded_by = ?, responded_at = strftime('%Y-%m-%dT%H:%M:%SZ','now')"
			    " WHERE id = ?", err)))
		goto out;
	sqlite3_bind_text(s, 1, status, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, change ? change : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 3, by, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 4, comment);
	if ((rc = qes__synth_step(st, s, "recording a response", err)))
		goto out;
	if (!sqlite3_changes(qes_store_db(st))) {
		rc = qes_error_set(err, QES_ENOTFOUND, "no comment #%lld", comment);
		goto out;
	}
	if ((rc = qes__prep(st, &s, "DELETE FROM synth_comment_affects WHERE comment_id = ?", err)))
		goto out;
	sqlite3_bind_int64(s, 1, comment);
	if ((rc = qes__synth_step(st, s, "recording a response", err)))
		goto out;
	for (int i = 0; i < naffects && !rc; i++) {
		int kind;
		long long tid;
		if ((rc = qes__synth_target(st, affects[i], QES__T_THEME | QES__T_FINDING | QES__T_CODE |
					    QES__T_CODING, &kind, &tid, NULL, err)) ||
		    (rc = qes__prep(st, &s, "INSERT OR IGNORE INTO synth_comment_affects VALUES (?, ?, ?)",
				    err)))
			break;
		sqlite3_bind_int64(s, 1, comment);
		sqlite3_bind_text(s, 2, qes__synth_kind_name(kind), -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 3, tid);
		rc = qes__synth_step(st, s, "recording what a response changed", err);
	}
	if (!rc) {
		char t[64], *d = NULL;
		snprintf(t, sizeof(t), "comment #%lld", comment);
		if (asprintf(&d, "%s: %s", status, change ? change : "") < 0)
			d = NULL;
		rc = qes__synth_log(st, by, "comment respond", t, d, err);
		free(d);
	}
out:
	return finish(st, rc, err);
}

int qes_advisory_share(qes_store *st, const char *target, int share, const char *by,
		       qes_error *err)
{
	int rc = qes_store_begin(st, err), kind;
	long long tid;
	if (rc)
		return rc;
	sqlite3_stmt *s = NULL;
	if ((rc = qes__synth_target(st, target, QES__T_THEME | QES__T_FINDING | QES__T_CODING, &kind,
				    &tid, NULL, err)) ||
	    (rc = qes__prep(st, &s, "INSERT INTO synth_sharing(kind, target_id, shared) VALUES (?, ?, ?)"
			    " ON CONFLICT DO UPDATE SET shared = excluded.shared", err)))
		goto out;
	sqlite3_bind_text(s, 1, qes__synth_kind_name(kind), -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, tid);
	sqlite3_bind_int(s, 3, share ? 1 : 0);
	if ((rc = qes__synth_step(st, s, "sharing", err)))
		goto out;
	char *what = qes__synth_describe(st, kind, tid);
	rc = qes__synth_log(st, by, share ? "share" : "hold back", what, NULL, err);
	free(what);
out:
	return finish(st, rc, err);
}

int qes_advisor_record(qes_store *st, const char *advisor, const char *kind, const char *date,
		       const char *how, const char *by, qes_error *err)
{
	int y, m, d;
	char tail;
	if (!kind || (strcmp(kind, "consent") && strcmp(kind, "debrief")))
		return qes_error_set(err, QES_EINVAL, "an advisor's record is consent or debrief");
	if (!date || sscanf(date, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || strlen(date) != 10 ||
	    m < 1 || m > 12 || d < 1 || d > 31)
		return qes_error_set(err, QES_EINVAL, "--date is YYYY-MM-DD, not '%s'", date ? date : "");
	if (!how || !*how)
		return qes_error_set(err, QES_EINVAL, "say how (--how: in writing, by phone, ...)");
	int rc = qes__synth_too_long(how, "how", err);
	if (rc)
		return rc;
	if ((rc = qes_store_begin(st, err)))
		return rc;
	long long aid = 0;
	sqlite3_stmt *s = NULL;
	if (!(rc = find_advisor(st, advisor, &aid, err)) &&
	    !(rc = qes__prep(st, &s, "INSERT INTO synth_advisor_records(advisor_id, kind, held_on,"
			     " how, recorded_by) VALUES (?, ?, ?, ?, ?)", err))) {
		sqlite3_bind_int64(s, 1, aid);
		sqlite3_bind_text(s, 2, kind, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 3, date, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 4, how, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 5, by ? by : "", -1, SQLITE_TRANSIENT);
		rc = qes__synth_step(st, s, "recording an advisor's consent or debrief", err);
	}
	if (!rc)
		rc = qes__synth_log(st, by, kind, advisor, how, err);
	return finish(st, rc, err);
}
