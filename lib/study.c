/* study.c: included studies and their reports. */
#include "study_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "qes/study.h"
#include "qes/screen.h"

/* A new study whose first report is record_id (caller's transaction). */
int qes__study_create(qes_store *st, long long record_id, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	/* The study takes the record's source key; when another study has it
	 * (the same key in two imports, or twice in one file) it takes
	 * "IMPORT:KEY", then "#ID": the forms every command accepts for such
	 * records. */
	static const char *const sql[] = {
		"INSERT INTO studies(key) SELECT source_key FROM records WHERE id = ?",
		"INSERT INTO studies(key) SELECT import_id || ':' || source_key FROM records WHERE id = ?",
		"INSERT INTO studies(key) SELECT '#' || id FROM records WHERE id = ?",
	};
	int rc = 0;
	for (int k = 0; k < 3; k++) {
		sqlite3_finalize(s);
		s = NULL;
		if ((rc = qes__prep(st, &s, sql[k], err)))
			return rc;
		sqlite3_bind_int64(s, 1, record_id);
		if (sqlite3_step(s) == SQLITE_DONE)
			break;
		if (sqlite3_extended_errcode(qes_store_db(st)) != SQLITE_CONSTRAINT_UNIQUE) {
			rc = qes_store_sqlerr(st, err, "adding a study");
			goto out;
		}
		if (k == 2) {
			rc = qes_error_set(err, QES_EEXIST, "a study with this record's key exists; "
					   "use qes study link");
			goto out;
		}
	}
	sqlite3_finalize(s);
	s = NULL;
	long long sid = sqlite3_last_insert_rowid(qes_store_db(st));
	if ((rc = qes__prep(st, &s, "INSERT INTO study_reports(record_id, study_id, position) "
			    "VALUES (?, ?, 1)", err)))
		goto out;
	sqlite3_bind_int64(s, 1, record_id);
	sqlite3_bind_int64(s, 2, sid);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = qes_store_sqlerr(st, err, "adding a study's report");
out:
	sqlite3_finalize(s);
	return rc;
}

/* QES_EEXIST when the record already belongs to a study. */
static int check_unlinked(qes_store *st, long long record_id, const char *key, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = qes__prep(st, &s, "SELECT s.key FROM study_reports r JOIN studies s "
			   "ON s.id = r.study_id WHERE r.record_id = ?", err);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, record_id);
	if (sqlite3_step(s) == SQLITE_ROW)
		rc = qes_error_set(err, QES_EEXIST, "record '%s' is already a report of study '%s'",
				   key, (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return rc;
}

/* Only a report included at full text can be a report of an included study
 * (issue 18: a record excluded at title/abstract was linked, so `studies`
 * said 6 reports and PRISMA 5). A record that screening has not touched at
 * all (no decision, resolution or full text at either stage) is one the
 * team screened elsewhere, as `qes study add` allows. */
static int check_included(qes_store *st, long long record_id, const char *key,
			  qes_error *err)
{
	qes_outcome ta, ft;
	int rc;
	if ((rc = qes_screen_outcome(st, QES_STAGE_FT, record_id, &ft, err)))
		return rc;
	if (ft == QES_OUT_INCLUDE)
		return 0;
	if ((rc = qes_screen_outcome(st, QES_STAGE_TA, record_id, &ta, err)))
		return rc;
	long long touched = 0;
	sqlite3_stmt *s = NULL;
	if ((rc = qes__prep(st, &s, "SELECT (SELECT count(*) FROM screen_decisions WHERE record_id = ?1)"
			    " + (SELECT count(*) FROM screen_resolutions WHERE record_id = ?1)"
			    " + (SELECT count(*) FROM fulltexts WHERE record_id = ?1)", err)))
		return rc;
	sqlite3_bind_int64(s, 1, record_id);
	if (sqlite3_step(s) == SQLITE_ROW)
		touched = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	if (ta == QES_OUT_NOT_IN_POOL)
		return qes_error_set(err, QES_ECONFLICT, "record '%s' is a duplicate of another "
				     "record, which stands for it in screening; link that one", key);
	if (!touched)
		return 0;
	const char *why = ta == QES_OUT_EXCLUDE ? "it was excluded at title/abstract"
		: ta == QES_OUT_PENDING || ta == QES_OUT_CONFLICT
		? "its title/abstract screening is not finished"
		: ft == QES_OUT_EXCLUDE ? "it was excluded at full text"
		: ft == QES_OUT_NOT_RETRIEVED ? "its report was not retrieved"
		: "its full-text screening is not finished";
	return qes_error_set(err, QES_ECONFLICT, "record '%s' cannot be a report of an included "
			     "study: %s (only reports included at full text can be linked)", key, why);
}

int qes_study_add(qes_store *st, const char *source_key, qes_error *err)
{
	long long rid;
	int rc = qes_store_begin(st, err);
	if (rc)
		return rc;
	if ((rc = qes_record_find(st, source_key, &rid, err)) ||
	    (rc = check_included(st, rid, source_key, err)) ||
	    (rc = check_unlinked(st, rid, source_key, err)) ||
	    (rc = qes__study_create(st, rid, err)) ||
	    (rc = qes_store_commit(st, err)))
		qes_store_rollback(st);
	return rc;
}

static int lookup(qes_store *st, const char *study_key, long long *id, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = qes__prep(st, &s, "SELECT id FROM studies WHERE key = ?", err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, study_key, -1, SQLITE_STATIC);
	rc = sqlite3_step(s) == SQLITE_ROW ? 0 : QES_ENOTFOUND;
	if (!rc)
		*id = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return rc;
}

int qes_study_find(qes_store *st, const char *study_key, long long *id, qes_error *err)
{
	int rc = lookup(st, study_key, id, err);
	/* A record included at full text a moment ago is a study already:
	 * bring the studies up to date once before saying there is none. */
	if (rc == QES_ENOTFOUND && !(rc = qes__study_pool_sync(st, err)))
		rc = lookup(st, study_key, id, err);
	if (rc == QES_ENOTFOUND)
		qes_error_set(err, QES_ENOTFOUND, "no study '%s' (qes study list shows them)",
			      study_key);
	return rc;
}

/* A report included at full text became a study of its own; linking it
 * to another study folds that one-report study in, as long as nothing was
 * recorded about it yet (values, ratings, the appraisal sample). */
static int fold_own_study(qes_store *st, long long record_id, long long into,
			  const char *key, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = qes__prep(st, &s,
		"SELECT s.id, s.key,"
		" (SELECT count(*) FROM study_reports WHERE study_id = s.id),"
		" EXISTS (SELECT 1 FROM extract_values WHERE study_id = s.id)"
		"  OR EXISTS (SELECT 1 FROM appraisal_ratings WHERE study_id = s.id)"
		"  OR EXISTS (SELECT 1 FROM appraisal_sample WHERE study_id = s.id)"
		" FROM study_reports r JOIN studies s ON s.id = r.study_id WHERE r.record_id = ?", err);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, record_id);
	long long own = 0;
	if (sqlite3_step(s) == SQLITE_ROW) {
		own = sqlite3_column_int64(s, 0);
		const char *skey = (const char *)sqlite3_column_text(s, 1);
		if (own == into)
			rc = qes_error_set(err, QES_EEXIST, "record '%s' is already a report of study '%s'",
					   key, skey);
		else if (sqlite3_column_int64(s, 2) > 1 || sqlite3_column_int(s, 3))
			rc = qes_error_set(err, QES_EEXIST,
					   "record '%s' is a report of study '%s', which has other "
					   "reports or recorded data; it cannot move", key, skey);
	}
	sqlite3_finalize(s);
	if (rc || !own)
		return rc;
	char *sql = sqlite3_mprintf("DELETE FROM study_reports WHERE study_id = %lld;"
				    "DELETE FROM studies WHERE id = %lld;", own, own);
	if (!sql)
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	rc = qes_store_exec(st, sql, err);
	sqlite3_free(sql);
	return rc;
}

int qes_study_link(qes_store *st, const char *study_key, const char *source_key,
		   qes_error *err)
{
	long long sid, rid;
	sqlite3_stmt *s = NULL;
	int rc = qes_store_begin(st, err);
	if (rc)
		return rc;
	if ((rc = qes_study_find(st, study_key, &sid, err)) ||
	    (rc = qes_record_find(st, source_key, &rid, err)) ||
	    (rc = check_included(st, rid, source_key, err)) ||
	    (rc = fold_own_study(st, rid, sid, source_key, err)) ||
	    (rc = qes__prep(st, &s, "INSERT INTO study_reports(record_id, study_id, position) "
			    "SELECT ?1, ?2, coalesce(max(position), 0) + 1 FROM study_reports "
			    "WHERE study_id = ?2", err)))
		goto out;
	sqlite3_bind_int64(s, 1, rid);
	sqlite3_bind_int64(s, 2, sid);
	if (sqlite3_step(s) != SQLITE_DONE) {
		rc = qes_store_sqlerr(st, err, "linking a report");
		goto out;
	}
	rc = qes_store_commit(st, err);
out:
	sqlite3_finalize(s);
	if (rc)
		qes_store_rollback(st);
	return rc;
}

int qes_study_unlink(qes_store *st, const char *source_key, qes_error *err)
{
	long long rid, sid = 0, n = 0;
	char skey[256] = "";
	sqlite3_stmt *s = NULL;
	int rc = qes_store_begin(st, err);
	if (rc)
		return rc;
	if ((rc = qes__study_pool_sync(st, err)) ||
	    (rc = qes_record_find(st, source_key, &rid, err)) ||
	    (rc = qes__prep(st, &s, "SELECT s.id, s.key, (SELECT count(*) FROM study_reports x"
			    " WHERE x.study_id = s.id) FROM study_reports r JOIN studies s"
			    " ON s.id = r.study_id WHERE r.record_id = ?", err)))
		goto out;
	sqlite3_bind_int64(s, 1, rid);
	if (sqlite3_step(s) == SQLITE_ROW) {
		sid = sqlite3_column_int64(s, 0);
		snprintf(skey, sizeof(skey), "%s", (const char *)sqlite3_column_text(s, 1));
		n = sqlite3_column_int64(s, 2);
	}
	sqlite3_finalize(s);
	s = NULL;
	if (!sid) {
		rc = qes_error_set(err, QES_ENOTFOUND, "record '%s' is not a report of any study",
				   source_key);
		goto out;
	}
	if (n == 1) {
		rc = qes_error_set(err, QES_ECONFLICT, "record '%s' is the only report of study "
				   "'%s'; a study needs a report", source_key, skey);
		goto out;
	}
	/* Positions keep their order; gaps are harmless (the first report is
	 * the lowest position). */
	char *sql = sqlite3_mprintf("DELETE FROM study_reports WHERE record_id = %lld;", rid);
	if (!sql) {
		rc = qes_error_set(err, QES_ENOMEM, "out of memory");
		goto out;
	}
	rc = qes_store_exec(st, sql, err);
	sqlite3_free(sql);
	/* A report included at full text is a study of its own again. */
	if (!rc)
		rc = qes__study_pool_sync(st, err);
	if (!rc)
		rc = qes_store_commit(st, err);
out:
	sqlite3_finalize(s);
	if (rc)
		qes_store_rollback(st);
	return rc;
}

/* "Author Year" of a study's first report (the key without an author). */
static char *base_label(const char *authors, int year, const char *key)
{
	char *label = NULL;
	/* First author's surname: up to the comma of "Surname, Given". */
	size_t n = authors ? strcspn(authors, ",\n") : 0;
	int r;
	if (n && year)
		r = asprintf(&label, "%.*s %d", (int)n, authors, year);
	else if (n)
		r = asprintf(&label, "%.*s", (int)n, authors);
	else
		r = asprintf(&label, "%s", key);
	return r < 0 ? NULL : label;
}

/* The one place a study's label is made. Two studies whose first reports
 * give the same "Author Year" are told apart the way reference lists do:
 * "Bennett 2020a", "Bennett 2020b", in the order of their study keys, so
 * the CLI, the report, the web and every export say the same. */
char *qes__study_label(qes_store *st, long long study_id)
{
	sqlite3_stmt *s = NULL;
	char *mine = NULL, *out = NULL;
	if (qes__prep(st, &s, "SELECT st.id, r.authors, r.year, st.key FROM studies st"
		      " JOIN study_reports sr ON sr.study_id = st.id AND sr.position ="
		      "  (SELECT min(position) FROM study_reports WHERE study_id = st.id)"
		      " JOIN records r ON r.id = sr.record_id ORDER BY st.key, st.id", NULL))
		return NULL;
	/* Two passes over the studies: this one's base label, then its rank
	 * among those sharing it. */
	while (sqlite3_step(s) == SQLITE_ROW)
		if (sqlite3_column_int64(s, 0) == study_id) {
			mine = base_label((const char *)sqlite3_column_text(s, 1),
					  sqlite3_column_int(s, 2),
					  (const char *)sqlite3_column_text(s, 3));
			break;
		}
	if (!mine)
		goto out;
	sqlite3_reset(s);
	int rank = 0, same = 0;
	while (sqlite3_step(s) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(s, 0);
		char *b = base_label((const char *)sqlite3_column_text(s, 1),
				     sqlite3_column_int(s, 2),
				     (const char *)sqlite3_column_text(s, 3));
		if (b && !strcmp(b, mine)) {
			same++;
			if (id == study_id)
				rank = same;
		}
		free(b);
	}
	/* Only "Author Year" labels take a letter; a bare key is unique. */
	if (same > 1 && rank > 0 && rank <= 26) {
		if (asprintf(&out, "%s%c", mine, 'a' + rank - 1) < 0)
			out = NULL;
	} else {
		out = mine;
		mine = NULL;
	}
out:
	sqlite3_finalize(s);
	free(mine);
	return out;
}

json_t *qes_study_list_json(qes_store *st, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	json_t *out = NULL, *list = json_array(), *cur = NULL;
	long long cur_id = 0;
	if (!list || qes__study_pool_sync(st, err) ||
	    qes__prep(st, &s, "SELECT st.id, st.key, r.source_key, r.title FROM studies st "
		      "JOIN study_reports sr ON sr.study_id = st.id "
		      "JOIN records r ON r.id = sr.record_id ORDER BY st.key, sr.position", err))
		goto out;
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(s, 0);
		if (!cur || id != cur_id) {
			char *label = qes__study_label(st, id);
			cur = json_object();
			json_object_set_new(cur, "study", json_string((const char *)sqlite3_column_text(s, 1)));
			json_object_set_new(cur, "label", label ? json_string(label) : json_null());
			const char *title = (const char *)sqlite3_column_text(s, 3);
			json_object_set_new(cur, "title", title ? json_string(title) : json_null());
			json_object_set_new(cur, "reports", json_array());
			json_array_append_new(list, cur);
			free(label);
			cur_id = id;
		}
		json_array_append_new(json_object_get(cur, "reports"),
				      json_string((const char *)sqlite3_column_text(s, 2)));
	}
	if (step != SQLITE_DONE) {
		qes_store_sqlerr(st, err, "listing studies");
		goto out;
	}
	out = list;
	list = NULL;
out:
	sqlite3_finalize(s);
	json_decref(list);
	return out;
}
