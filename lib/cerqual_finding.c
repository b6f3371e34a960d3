/* cerqual_finding.c: review findings, what they rest on (themes, codes),
 * and their contributing studies, derived from the codings under those
 * codes and corrected by the team. */
#include "synth_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "qes/study.h"

int qes_finding_find(qes_store *st, const char *key, long long *id, qes_error *err)
{
	int kind;
	char spec[160];
	if (!key || !*key)
		return qes_error_set(err, QES_EINVAL, "a finding key is needed");
	snprintf(spec, sizeof(spec), "finding:%s", key);
	return qes__synth_target(st, spec, QES__T_FINDING, &kind, id, NULL, err);
}

static int valid_key(const char *k)
{
	size_t n = strlen(k);
	if (!n || n > 32)
		return 0;
	for (; *k; k++)
		if (!isalnum((unsigned char)*k) && !strchr("-_.", *k))
			return 0;
	return 1;
}

static int need_by(const char *by, qes_error *err)
{
	if (!by || !*by)
		return qes_error_set(err, QES_EINVAL, "say who is making the change (--by NAME)");
	return 0;
}

/* Links finding fid to one target, in the caller's transaction. */
/* Links (or, with unlink, unlinks) one theme or code; logged. */
static int link_one(qes_store *st, long long fid, const char *key, const char *target,
		    int unlink, const char *by, qes_error *err)
{
	long long tid;
	int kind, rc;
	sqlite3_stmt *s = NULL;
	if ((rc = qes__synth_target(st, target, QES__T_THEME | QES__T_CODE, &kind, &tid, NULL, err)) ||
	    (rc = qes__prep(st, &s, unlink
			    ? "DELETE FROM synth_finding_links WHERE finding_id = ?1 AND kind = ?2"
			      " AND target_id = ?3"
			    : "INSERT OR IGNORE INTO synth_finding_links(finding_id, kind,"
			      " target_id) VALUES (?1, ?2, ?3)", err)))
		return rc;
	sqlite3_bind_int64(s, 1, fid);
	sqlite3_bind_text(s, 2, qes__synth_kind_name(kind), -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, tid);
	if ((rc = qes__synth_step(st, s, "linking a finding", err)))
		return rc;
	char *what = qes__synth_describe(st, kind, tid);
	char t[64];
	snprintf(t, sizeof(t), "finding %s", key);
	if (unlink && !sqlite3_changes(qes_store_db(st)))
		rc = qes_error_set(err, QES_ENOTFOUND, "finding %s does not rest on %s", key, target);
	else
		rc = qes__synth_log(st, by, unlink ? "finding unlink" : "finding link", t, what, err);
	free(what);
	return rc;
}

static int relink(qes_store *st, const char *key, char *const *targets, int ntargets,
		  int unlink, const char *by, qes_error *err)
{
	long long fid;
	int rc = need_by(by, err);
	if (rc || (rc = qes_store_begin(st, err)))
		return rc;
	rc = qes_finding_find(st, key, &fid, err);
	for (int i = 0; !rc && i < ntargets; i++)
		rc = link_one(st, fid, key, targets[i], unlink, by, err);
	if (rc) {
		qes_store_rollback(st);
		return rc;
	}
	return qes_store_commit(st, err);
}

int qes_finding_link(qes_store *st, const char *key, char *const *targets, int ntargets,
		     const char *by, qes_error *err)
{
	return relink(st, key, targets, ntargets, 0, by, err);
}

int qes_finding_unlink(qes_store *st, const char *key, char *const *targets, int ntargets,
		       const char *by, qes_error *err)
{
	return relink(st, key, targets, ntargets, 1, by, err);
}

int qes_finding_add(qes_store *st, const char *key, const char *statement,
		    char *const *links, int nlinks, const char *by, qes_error *err)
{
	if (!key || !valid_key(key))
		return qes_error_set(err, QES_EINVAL, "a finding key is 1 to 32 letters, digits, "
				     "'-', '_' or '.' (like F1)");
	if (!statement || !*statement)
		return qes_error_set(err, QES_EINVAL, "a finding needs its summary statement");
	if (qes__synth_too_long(statement, "a statement", err))
		return err->code;
	int rc = need_by(by, err);
	if (rc || (rc = qes_store_begin(st, err)))
		return rc;
	sqlite3_stmt *s = NULL;
	if ((rc = qes__prep(st, &s, "INSERT INTO synth_findings(key, statement, created_by)"
			    " VALUES (?, ?, ?)", err)))
		goto out;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 2, statement, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 3, by, -1, SQLITE_TRANSIENT);
	int step = sqlite3_step(s);
	if ((step & 0xff) == SQLITE_CONSTRAINT)
		rc = qes_error_set(err, QES_EEXIST, "finding '%s' exists", key);
	else if (step != SQLITE_DONE)
		rc = qes_store_sqlerr(st, err, "adding a finding");
	sqlite3_finalize(s);
	if (rc)
		goto out;
	char target[64];
	snprintf(target, sizeof(target), "finding %s", key);
	long long fid = sqlite3_last_insert_rowid(qes_store_db(st));
	rc = qes__synth_log(st, by, "finding add", target, statement, err);
	for (int i = 0; !rc && i < nlinks; i++)
		rc = link_one(st, fid, key, links[i], 0, by, err);
out:
	if (rc) {
		qes_store_rollback(st);
		return rc;
	}
	return qes_store_commit(st, err);
}

int qes_finding_study(qes_store *st, const char *key, const char *study, int add,
		      const char *reason, const char *by, qes_error *err)
{
	long long fid, sid;
	if (qes__synth_too_long(reason, "a reason", err))
		return err->code;
	if (!reason || !*reason)
		return qes_error_set(err, QES_EINVAL, "say why the study is %s (--reason TEXT)",
				     add ? "added" : "removed");
	int rc = need_by(by, err);
	if (rc || (rc = qes_store_begin(st, err)))
		return rc;
	sqlite3_stmt *s = NULL;
	if ((rc = qes_finding_find(st, key, &fid, err)) ||
	    (rc = qes_study_find(st, study, &sid, err)) ||
	    (rc = qes__prep(st, &s, "INSERT INTO synth_finding_studies(finding_id, study_id, action,"
			    " reason) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET"
			    " action = excluded.action, reason = excluded.reason", err)))
		goto out;
	sqlite3_bind_int64(s, 1, fid);
	sqlite3_bind_int64(s, 2, sid);
	sqlite3_bind_text(s, 3, add ? "add" : "remove", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, reason, -1, SQLITE_TRANSIENT);
	if ((rc = qes__synth_step(st, s, "correcting a finding's studies", err)))
		goto out;
	char t[64], *d = NULL;
	snprintf(t, sizeof(t), "finding %s", key);
	if (asprintf(&d, "%s study %s: %s", add ? "add" : "remove", study, reason) < 0)
		d = NULL;
	rc = qes__synth_log(st, by, "finding study", t, d, err);
	free(d);
out:
	if (rc) {
		qes_store_rollback(st);
		return rc;
	}
	return qes_store_commit(st, err);
}

json_t *qes__finding_studies(qes_store *st, long long finding, qes_error *err)
{
	static const char sql[] = FINDING_CODES
		", derived(study_id) AS (SELECT DISTINCT s.study_id FROM code_codings g"
		"  JOIN code_sources s ON s.id = g.source_id"
		"  WHERE g.code_id IN (SELECT id FROM cd) AND s.study_id IS NOT NULL)"
		" SELECT st.id, st.key, d.study_id IS NOT NULL, o.action, o.reason"
		" FROM studies st LEFT JOIN derived d ON d.study_id = st.id"
		" LEFT JOIN synth_finding_studies o ON o.study_id = st.id AND o.finding_id = ?1"
		" WHERE d.study_id IS NOT NULL OR o.action IS NOT NULL ORDER BY st.key";
	sqlite3_stmt *s = NULL;
	json_t *out = json_array();
	if (!out || qes__prep(st, &s, sql, err))
		goto fail;
	sqlite3_bind_int64(s, 1, finding);
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		long long sid = sqlite3_column_int64(s, 0);
		int derived = sqlite3_column_int(s, 2);
		const char *action = (const char *)sqlite3_column_text(s, 3);
		char *label = qes__study_label(st, sid);
		int included = action ? !strcmp(action, "add") : derived;
		json_array_append_new(out, json_pack("{s:I, s:s, s:s, s:b, s:o, s:s, s:b}",
			"id", (json_int_t)sid, "study", qes__col(s, 1),
			"label", label ? label : qes__col(s, 1), "derived", derived,
			"override", action ? json_string(action) : json_null(),
			"reason", qes__col(s, 4), "included", included));
		free(label);
	}
	if (step != SQLITE_DONE) {
		qes_store_sqlerr(st, err, "deriving contributing studies");
		goto fail;
	}
	sqlite3_finalize(s);
	/* Label order reads best in tables ("Adams 2015; Chen 2017"). */
	size_t n = json_array_size(out);
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0; j--) {
			json_t *a = json_array_get(out, j - 1), *b = json_array_get(out, j);
			if (strcmp(json_string_value(json_object_get(a, "label")),
				   json_string_value(json_object_get(b, "label"))) <= 0)
				break;
			json_incref(a);
			json_array_set(out, j - 1, b);
			json_array_set_new(out, j, a);
		}
	return out;
fail:
	sqlite3_finalize(s);
	json_decref(out);
	if (err && !err->code)
		qes_error_set(err, QES_ENOMEM, "out of memory");
	return NULL;
}

/* Names of what a finding is linked to, by kind. */
static json_t *links(qes_store *st, long long fid, const char *kind, qes_error *err)
{
	const char *sql = !strcmp(kind, "theme")
		? "SELECT t.name FROM synth_finding_links l JOIN code_themes t ON t.id = l.target_id"
		  " WHERE l.finding_id = ? AND l.kind = 'theme' ORDER BY t.position, t.name"
		: "SELECT c.path FROM synth_finding_links l JOIN code_codes c ON c.id = l.target_id"
		  " WHERE l.finding_id = ? AND l.kind = 'code' ORDER BY c.path";
	sqlite3_stmt *s = NULL;
	json_t *a = json_array();
	if (!a || qes__prep(st, &s, sql, err)) {
		json_decref(a);
		return NULL;
	}
	sqlite3_bind_int64(s, 1, fid);
	while (sqlite3_step(s) == SQLITE_ROW)
		json_array_append_new(a, json_string(qes__col(s, 0)));
	sqlite3_finalize(s);
	return a;
}

static json_t *assessment(qes_store *st, long long fid, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	json_t *o = json_object();
	if (!o || qes__prep(st, &s, "SELECT component, level, explanation, assessed_by, assessed_at"
			    " FROM synth_cerqual WHERE finding_id = ?", err)) {
		json_decref(o);
		return NULL;
	}
	sqlite3_bind_int64(s, 1, fid);
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *comp = qes__col(s, 0);
		json_object_set_new(o, comp, json_pack("{s:s, s:s, s:s, s:s}",
			strcmp(comp, "overall") ? "concern" : "confidence", qes__col(s, 1),
			"explanation", qes__col(s, 2), "by", qes__col(s, 3), "at", qes__col(s, 4)));
	}
	sqlite3_finalize(s);
	return o;
}

/* table: the appraisal table (qes__cerqual_appraisal), read once by the caller. */
static json_t *finding_obj(qes_store *st, json_t *table, long long fid, const char *key,
			   const char *statement, qes_error *err)
{
	json_t *studies = qes__finding_studies(st, fid, err);
	json_t *themes = links(st, fid, "theme", err), *codes = links(st, fid, "code", err);
	json_t *lim = studies ? qes__cerqual_limitations(table, studies, err) : NULL;
	json_t *cq = assessment(st, fid, err);
	if (!studies || !themes || !codes || !lim || !cq) {
		json_decref(studies);
		json_decref(themes);
		json_decref(codes);
		json_decref(lim);
		json_decref(cq);
		return NULL;
	}
	return json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "finding", key,
			 "statement", statement, "themes", themes, "codes", codes,
			 "studies", studies, "limitations_summary", lim, "cerqual", cq);
}

json_t *qes_finding_json(qes_store *st, const char *key, qes_error *err)
{
	long long fid;
	if (qes_finding_find(st, key, &fid, err))
		return NULL;
	sqlite3_stmt *s = NULL;
	json_t *out = NULL, *table = NULL;
	if (qes__cerqual_appraisal(st, &table, err) ||
	    qes__prep(st, &s, "SELECT key, statement FROM synth_findings WHERE id = ?", err)) {
		json_decref(table);
		return NULL;
	}
	sqlite3_bind_int64(s, 1, fid);
	if (sqlite3_step(s) == SQLITE_ROW)
		out = finding_obj(st, table, fid, qes__col(s, 0), qes__col(s, 1), err);
	sqlite3_finalize(s);
	json_decref(table);
	return out;
}

/* Natural order of keys: "F2" before "F10". */
static int natcmp(const char *a, const char *b)
{
	while (*a && *b) {
		if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			char *ea, *eb;
			unsigned long long x = strtoull(a, &ea, 10), y = strtoull(b, &eb, 10);
			if (x != y)
				return x < y ? -1 : 1;
			a = ea;
			b = eb;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return *a ? 1 : *b ? -1 : 0;
}

static int by_key(const void *x, const void *y)
{
	json_t *const *a = x, *const *b = y;
	return natcmp(json_string_value(json_object_get(*a, "finding")),
		      json_string_value(json_object_get(*b, "finding")));
}

json_t *qes_finding_list_json(qes_store *st, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	json_t *out = json_array(), *table = NULL;
	if (!out || qes__cerqual_appraisal(st, &table, err) ||
	    qes__prep(st, &s, "SELECT id, key, statement FROM synth_findings", err)) {
		json_decref(out);
		json_decref(table);
		return NULL;
	}
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		json_t *f = finding_obj(st, table, sqlite3_column_int64(s, 0), qes__col(s, 1),
					qes__col(s, 2), err);
		if (!f) {
			sqlite3_finalize(s);
			json_decref(out);
			json_decref(table);
			return NULL;
		}
		json_array_append_new(out, f);
	}
	sqlite3_finalize(s);
	json_decref(table);
	size_t n = json_array_size(out);
	json_t **v = n ? calloc(n, sizeof(*v)) : NULL;
	if (n && !v) {
		json_decref(out);
		qes_error_set(err, QES_ENOMEM, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(out, i));
	if (n > 1)
		qsort(v, n, sizeof(*v), by_key);
	json_array_clear(out);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(out, v[i]);
	free(v);
	return out;
}
