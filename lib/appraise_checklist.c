/* appraise_checklist.c: checklists as data (JSON), loaded into a review. */
#include "study_internal.h"
#include "appraise_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "qes/appraise.h"

static const char *const answers[] = { "yes", "cant_tell", "no" };
static const char *const answer_labels[] = { "Yes", "Can't tell", "No" };

static int valid_id(const char *s)
{
	size_t n = strlen(s);
	if (!n || n > 63)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!(isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '-' || s[i] == '.'))
			return 0;
	return 1;
}

static int check_question(const char *name, json_t *q, size_t i, json_t *seen, qes_error *err)
{
	char field[64];
	snprintf(field, sizeof(field), "questions[%zu]", i);
	const char *id = json_string_value(json_object_get(q, "id"));
	const char *text = json_string_value(json_object_get(q, "text"));
	const char *type = json_string_value(json_object_get(q, "type"));
	json_t *section = json_object_get(q, "section");
	if (!json_is_object(q) || !id || !text || !*text)
		return qes_error_at(err, QES_EFORMAT, name, 0, field,
				    "a question needs a string id and text");
	if (!valid_id(id))
		return qes_error_at(err, QES_EFORMAT, name, 0, field, "question id '%s': use "
				    "letters, digits, '_', '-' or '.'", id);
	if (json_object_get(seen, id))
		return qes_error_at(err, QES_EFORMAT, name, 0, field, "question id '%s' twice", id);
	json_object_set_new(seen, id, json_true());
	if (type && strcmp(type, "rating") && strcmp(type, "text"))
		return qes_error_at(err, QES_EFORMAT, name, 0, field,
				    "type must be \"rating\" or \"text\"");
	if (section && !json_is_string(section))
		return qes_error_at(err, QES_EFORMAT, name, 0, field, "section must be a string");
	return 0;
}

int qes_checklist_parse(const char *name, const char *buf, size_t len,
			json_t **out, qes_error *err)
{
	json_error_t je;
	json_t *root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je), *seen = NULL;
	int rc = QES_EFORMAT;
	*out = NULL;
	if (!root)
		return qes_error_at(err, QES_EFORMAT, name, je.line, NULL, "not valid JSON: %s",
				    je.text);
	const char *id = json_string_value(json_object_get(root, "id"));
	const char *title = json_string_value(json_object_get(root, "title"));
	json_t *cit = json_object_get(root, "citation");
	json_t *qs = json_object_get(root, "questions");
	json_t *ans = json_object_get(root, "answers");
	if (!json_is_object(root) || !id || !valid_id(id)) {
		qes_error_at(err, rc, name, 0, "id", "a checklist needs an id (letters, digits, "
			     "'_', '-', '.')");
		goto out;
	}
	if (!title || (cit && !json_is_string(cit))) {
		qes_error_at(err, rc, name, 0, "title", "a checklist needs a title (and a "
			     "citation, if any, as a string)");
		goto out;
	}
	if (ans) {
		int ok = json_is_array(ans) && json_array_size(ans) == 3;
		for (size_t i = 0; ok && i < 3; i++) {
			const char *a = json_string_value(json_array_get(ans, i));
			ok = a && !strcmp(a, answers[i]);
		}
		if (!ok) {
			qes_error_at(err, rc, name, 0, "answers",
				     "answers must be [\"yes\", \"cant_tell\", \"no\"]");
			goto out;
		}
	}
	if (!json_is_array(qs) || !json_array_size(qs) || json_array_size(qs) > 1000) {
		qes_error_at(err, rc, name, 0, "questions", "questions must be a list of 1 to "
			     "1000 questions");
		goto out;
	}
	seen = json_object();
	size_t i;
	json_t *q;
	json_array_foreach(qs, i, q)
		if (check_question(name, q, i, seen, err))
			goto out;
	*out = root;
	root = NULL;
	rc = 0;
out:
	json_decref(root);
	json_decref(seen);
	return rc;
}

static int insert_question(qes_store *st, const char *cl, const char *qid, const char *section,
			   const char *type, const char *text, int added, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = qes__prep(st, &s, "INSERT INTO checklist_questions(checklist_id, qid, position, "
			   "section, type, text, added) SELECT ?1, ?2, coalesce(max(position), 0) + 1, "
			   "?3, ?4, ?5, ?6 FROM checklist_questions WHERE checklist_id = ?1", err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, cl, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, qid, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, section ? section : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, type ? type : "rating", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, text, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 6, added);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = sqlite3_extended_errcode(qes_store_db(st)) == SQLITE_CONSTRAINT_PRIMARYKEY
			? qes_error_set(err, QES_EEXIST, "checklist '%s' already has a question '%s'",
					cl, qid)
			: qes_store_sqlerr(st, err, "adding a question");
	sqlite3_finalize(s);
	return rc;
}

static int set_active(qes_store *st, const char *id, qes_error *err)
{
	return qes_store_set_meta(st, "appraise.checklist", id, err);
}

/* Loads a parsed checklist (caller's transaction). */
static int load(qes_store *st, json_t *cl, int use, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	const char *id = json_string_value(json_object_get(cl, "id"));
	const char *cit = json_string_value(json_object_get(cl, "citation"));
	int rc = qes__prep(st, &s, "INSERT INTO checklists(id, title, citation) VALUES (?, ?, ?)", err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, json_string_value(json_object_get(cl, "title")), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, cit ? cit : "", -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = sqlite3_extended_errcode(qes_store_db(st)) == SQLITE_CONSTRAINT_PRIMARYKEY
			? qes_error_set(err, QES_EEXIST, "the review already has a checklist '%s' "
					"(qes checklist add-question changes it)", id)
			: qes_store_sqlerr(st, err, "adding a checklist");
	sqlite3_finalize(s);
	size_t i;
	json_t *q;
	json_array_foreach(json_object_get(cl, "questions"), i, q) {
		if (rc)
			break;
		rc = insert_question(st, id, json_string_value(json_object_get(q, "id")),
				     json_string_value(json_object_get(q, "section")),
				     json_string_value(json_object_get(q, "type")),
				     json_string_value(json_object_get(q, "text")), 0, err);
	}
	if (!rc && use)
		rc = set_active(st, id, err);
	return rc;
}

int qes__checklist_active(qes_store *st, char **id, qes_error *err)
{
	int rc = qes_store_get_meta(st, "appraise.checklist", id, err);
	if (!rc && !*id)
		rc = qes_error_set(err, QES_ENOTFOUND, "the review has no checklist yet");
	return rc;
}

int qes_checklist_ensure_default(qes_store *st, qes_error *err)
{
	long long n = qes_store_count(st, "checklists", err);
	json_t *cl = NULL;
	int rc;
	if (n < 0)
		return QES_ESTORE;
	if (n > 0)
		return 0;
	if ((rc = qes_checklist_parse("casp-qualitative-2018.json", qes_casp_qualitative_2018_json,
				      strlen(qes_casp_qualitative_2018_json), &cl, err)))
		return rc;
	if ((rc = qes_store_begin(st, err)))
		goto out;
	if ((rc = load(st, cl, 1, err)) || (rc = qes_store_commit(st, err)))
		qes_store_rollback(st);
out:
	json_decref(cl);
	return rc;
}

int qes_checklist_add_file(qes_store *st, const char *path, int use, char **id, qes_error *err)
{
	char *buf = NULL;
	size_t len;
	json_t *cl = NULL;
	int rc;
	*id = NULL;
	if ((rc = qes_checklist_ensure_default(st, err)) ||
	    (rc = qes__read_file(path, &buf, &len, err)) ||
	    (rc = qes_checklist_parse(path, buf, len, &cl, err)) ||
	    (rc = qes_store_begin(st, err)))
		goto out;
	if ((rc = load(st, cl, use, err)) || (rc = qes_store_commit(st, err))) {
		qes_store_rollback(st);
		goto out;
	}
	*id = strdup(json_string_value(json_object_get(cl, "id")));
out:
	free(buf);
	json_decref(cl);
	return rc;
}

static int checklist_exists(qes_store *st, const char *id, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = qes__prep(st, &s, "SELECT 1 FROM checklists WHERE id = ?", err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_ROW)
		rc = qes_error_set(err, QES_ENOTFOUND, "no checklist '%s' (qes checklist list)", id);
	sqlite3_finalize(s);
	return rc;
}

int qes_checklist_add_question(qes_store *st, const char *checklist, const char *qid,
			       const char *text, const char *type, qes_error *err)
{
	int rc;
	if (!valid_id(qid))
		return qes_error_set(err, QES_EINVAL, "question id '%s': use letters, digits, "
				     "'_', '-' or '.'", qid);
	if (!text || !*text || !qes__utf8_valid(text, strlen(text)))
		return qes_error_set(err, QES_EINVAL, "a question needs its text (UTF-8)");
	if (type && strcmp(type, "rating") && strcmp(type, "text"))
		return qes_error_set(err, QES_EINVAL, "--type must be rating or text");
	if ((rc = qes_checklist_ensure_default(st, err)) || (rc = qes_store_begin(st, err)))
		return rc;
	if ((rc = checklist_exists(st, checklist, err)) ||
	    (rc = insert_question(st, checklist, qid, "Review-specific questions", type, text, 1,
				  err)) ||
	    (rc = qes_store_commit(st, err)))
		qes_store_rollback(st);
	return rc;
}

int qes_checklist_use(qes_store *st, const char *checklist, qes_error *err)
{
	int rc;
	if ((rc = qes_checklist_ensure_default(st, err)) || (rc = qes_store_begin(st, err)))
		return rc;
	if ((rc = checklist_exists(st, checklist, err)) || (rc = set_active(st, checklist, err)) ||
	    (rc = qes_store_exec(st, "DELETE FROM meta WHERE key = 'appraise.checklists'", err)) ||
	    (rc = qes_store_commit(st, err)))
		qes_store_rollback(st);
	return rc;
}

json_t *qes__checklists_active(qes_store *st, qes_error *err)
{
	char *v = NULL, *first = NULL;
	json_t *out = NULL;
	if (qes_store_get_meta(st, "appraise.checklists", &v, err))
		return NULL;
	if (v && (out = json_loads(v, 0, NULL)) && json_is_array(out) && json_array_size(out)) {
		free(v);
		return out;
	}
	json_decref(out);
	out = NULL;
	free(v);
	if (!qes__checklist_active(st, &first, err))
		out = json_pack("[s]", first);
	free(first);
	return out;
}

int qes_checklist_activate(qes_store *st, const char *checklist, int on, qes_error *err)
{
	json_t *act = NULL;
	char *text = NULL;
	int rc;
	if ((rc = qes_checklist_ensure_default(st, err)) || (rc = qes_store_begin(st, err)))
		return rc;
	if ((rc = checklist_exists(st, checklist, err)))
		goto out;
	if (!(act = qes__checklists_active(st, err))) {
		rc = err->code ? err->code : QES_ENOMEM;
		goto out;
	}
	size_t i, at = (size_t)-1;
	json_t *x;
	json_array_foreach(act, i, x)
		if (!strcmp(json_string_value(x), checklist))
			at = i;
	if (on && at == (size_t)-1)
		json_array_append_new(act, json_string(checklist));
	else if (!on && at != (size_t)-1) {
		if (json_array_size(act) == 1) {
			rc = qes_error_set(err, QES_EINVAL, "'%s' is the only active checklist: one "
					   "must stay active (qes checklist use REVIEW ID)", checklist);
			goto out;
		}
		json_array_remove(act, at);
	}
	/* The first active checklist stays in appraise.checklist (the one
	 * qes checklist export and older readers see); the set, when there is
	 * more than one, in appraise.checklists. */
	if ((rc = set_active(st, json_string_value(json_array_get(act, 0)), err)))
		goto out;
	if (json_array_size(act) == 1)
		rc = qes_store_exec(st, "DELETE FROM meta WHERE key = 'appraise.checklists'", err);
	else if (!(text = json_dumps(act, JSON_COMPACT)))
		rc = qes_error_set(err, QES_ENOMEM, "out of memory");
	else
		rc = qes_store_set_meta(st, "appraise.checklists", text, err);
out:
	if (rc)
		qes_store_rollback(st);
	else
		rc = qes_store_commit(st, err);
	free(text);
	json_decref(act);
	return rc;
}

json_t *qes__appraise_questions(qes_store *st, json_t **cls, qes_error *err)
{
	json_t *act = qes__checklists_active(st, err), *qs = json_array(), *count = json_object();
	json_t *list = json_array();
	size_t i, j;
	json_t *x, *q;
	*cls = NULL;
	if (!act)
		goto fail;
	int multi = json_array_size(act) > 1;
	json_array_foreach(act, i, x) {
		json_t *cl = qes_checklist_json(st, json_string_value(x), err);
		if (!cl)
			goto fail;
		json_array_append_new(list, cl);
		json_array_foreach(json_object_get(cl, "questions"), j, q) {
			const char *id = json_string_value(json_object_get(q, "id"));
			json_object_set_new(count, id, json_integer(
				json_integer_value(json_object_get(count, id)) + 1));
		}
	}
	json_array_foreach(list, i, x) {
		const char *clid = json_string_value(json_object_get(x, "id"));
		json_t *mine = json_array();
		json_array_foreach(json_object_get(x, "questions"), j, q) {
			const char *id = json_string_value(json_object_get(q, "id"));
			if (!multi) {
				json_array_append(qs, q);
				continue;
			}
			/* An id two active checklists share is qualified: checklist:question. */
			char *shown = NULL;
			if (json_integer_value(json_object_get(count, id)) > 1 &&
			    asprintf(&shown, "%s:%s", clid, id) < 0)
				shown = NULL;
			json_t *m = json_deep_copy(q);
			json_object_set_new(m, "id", json_string(shown ? shown : id));
			json_object_set_new(m, "checklist", json_string(clid));
			json_object_set_new(m, "qid", json_string(id));
			json_array_append(mine, json_object_get(m, "id"));
			json_array_append_new(qs, m);
			free(shown);
		}
		json_object_del(x, "questions");
		json_object_del(x, "answers");
		json_object_del(x, "answer_labels");
		json_object_set_new(x, "questions", mine);
	}
	json_decref(act);
	json_decref(count);
	*cls = list;
	return qs;
fail:
	json_decref(act);
	json_decref(count);
	json_decref(list);
	json_decref(qs);
	return NULL;
}

json_t *qes_checklist_json(qes_store *st, const char *checklist, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	char *active = NULL;
	json_t *out = NULL, *qs = NULL;
	if (!checklist) {
		if (qes__checklist_active(st, &active, err))
			return NULL;
		checklist = active;
	}
	if (qes__prep(st, &s, "SELECT title, citation FROM checklists WHERE id = ?", err))
		goto out;
	sqlite3_bind_text(s, 1, checklist, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_ROW) {
		qes_error_set(err, QES_ENOTFOUND, "no checklist '%s' (qes checklist list)", checklist);
		goto out;
	}
	out = json_object();
	json_object_set_new(out, "id", json_string(checklist));
	json_object_set_new(out, "title", json_string((const char *)sqlite3_column_text(s, 0)));
	json_object_set_new(out, "citation", json_string((const char *)sqlite3_column_text(s, 1)));
	json_t *ans = json_array(), *labels = json_object();
	for (int i = 0; i < 3; i++) {
		json_array_append_new(ans, json_string(answers[i]));
		json_object_set_new(labels, answers[i], json_string(answer_labels[i]));
	}
	json_object_set_new(out, "answers", ans);
	json_object_set_new(out, "answer_labels", labels);
	sqlite3_finalize(s);
	s = NULL;
	qs = json_array();
	if (qes__prep(st, &s, "SELECT qid, section, type, text FROM checklist_questions "
		      "WHERE checklist_id = ? ORDER BY position", err)) {
		json_decref(out);
		out = NULL;
		goto out;
	}
	sqlite3_bind_text(s, 1, checklist, -1, SQLITE_STATIC);
	while (sqlite3_step(s) == SQLITE_ROW)
		json_array_append_new(qs, json_pack("{s:s,s:s,s:s,s:s}",
			"id", (const char *)sqlite3_column_text(s, 0),
			"section", (const char *)sqlite3_column_text(s, 1),
			"type", (const char *)sqlite3_column_text(s, 2),
			"text", (const char *)sqlite3_column_text(s, 3)));
	json_object_set(out, "questions", qs);
out:
	sqlite3_finalize(s);
	json_decref(qs);
	free(active);
	return out;
}

static int is_active(json_t *act, const char *id)
{
	size_t i;
	json_t *x;
	json_array_foreach(act, i, x)
		if (!strcmp(json_string_value(x), id))
			return 1;
	return 0;
}

json_t *qes_checklist_list_json(qes_store *st, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	json_t *list = json_array(), *act = qes__checklists_active(st, err);
	if (!act || qes__prep(st, &s, "SELECT c.id, c.title, (SELECT count(*) FROM checklist_questions q "
		      "WHERE q.checklist_id = c.id) FROM checklists c ORDER BY c.id", err)) {
		json_decref(list);
		json_decref(act);
		return NULL;
	}
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(s, 0);
		json_array_append_new(list, json_pack("{s:s,s:s,s:i,s:b}", "id", id,
			"title", (const char *)sqlite3_column_text(s, 1),
			"questions", sqlite3_column_int(s, 2),
			"active", is_active(act, id)));
	}
	sqlite3_finalize(s);
	json_decref(act);
	return list;
}

json_t *qes_appraise_questions_json(qes_store *st, json_t **checklists, qes_error *err)
{
	json_t *cls = NULL, *qs = qes__appraise_questions(st, &cls, err);
	if (checklists)
		*checklists = cls;
	else
		json_decref(cls);
	return qs;
}
