/* code_concord.c: the concordance of two coders' codes. An inductive
 * second coder makes their own codes; the agreement proposes, for each of
 * the first coder's codes, the second coder's code that covers most of its
 * text (qes_code_agreement_json "proposed"), and the team confirms (or
 * withdraws) a pair here. Agreement is then computed per confirmed pair. */
#include "code_internal.h"

int qes_code_map(qes_store *st, const char *a, const char *b, const char *a_code,
		 const char *b_code, const char *by, int remove, qes_error *err)
{
	long long ua = 0, ub = 0, ca = 0, cb = 0;
	sqlite3_stmt *s = NULL;
	int rc = qes_store_begin(st, err);
	if (rc)
		return rc;
	if (!(rc = qes__code_coder(st, a, 0, &ua, err)) && !(rc = qes__code_coder(st, b, 0, &ub, err)) &&
	    !(rc = qes_code_find_code(st, a_code, &ca, err)) &&
	    !(rc = qes_code_find_code(st, b_code, &cb, err))) {
		if (ua == ub)
			rc = qes_error_set(err, QES_EINVAL, "a concordance is between two different coders");
		else if (remove)
			rc = qes__code_prep(st, &s, "DELETE FROM code_concordance WHERE (a_coder_id = ?1"
					    " AND a_code_id = ?2 AND b_coder_id = ?3 AND b_code_id = ?4)"
					    " OR (a_coder_id = ?3 AND a_code_id = ?4 AND b_coder_id = ?1"
					    " AND b_code_id = ?2)", err);
		else
			rc = qes__code_prep(st, &s, "INSERT INTO code_concordance(a_coder_id, a_code_id,"
					    " b_coder_id, b_code_id, confirmed_by) VALUES (?1, ?2, ?3, ?4, ?5)"
					    " ON CONFLICT DO UPDATE SET confirmed_by = ?5, confirmed_at ="
					    " strftime('%Y-%m-%dT%H:%M:%SZ','now')", err);
	}
	if (!rc) {
		sqlite3_bind_int64(s, 1, ua);
		sqlite3_bind_int64(s, 2, ca);
		sqlite3_bind_int64(s, 3, ub);
		sqlite3_bind_int64(s, 4, cb);
		if (!remove)
			sqlite3_bind_text(s, 5, by ? by : "", -1, SQLITE_TRANSIENT);
		rc = qes__code_done_stmt(st, s, "recording the concordance", err);
	}
	return qes__code_txn(st, rc, err);
}
