/* appraise_ratings.c: ratings in (CSV), and the appraisal table out (JSON,
 * CSV, HTML). */
#include "study_internal.h"
#include "appraise_internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "qes/appraise.h"
#include "qes/limits.h"
#include "qes/study.h"

typedef struct rating_ctx {
	qes_store *st;
	const char *name;
	char *checklist;
	json_t *active;          /* the active checklists' ids */
	sqlite3_stmt *qtype, *ins;
	long n;
	int seen_header, has_comment;
} rating_ctx;

/* "yes", "no", "cant_tell" and the spellings people type for them. */
static const char *norm_answer(const char *a)
{
	if (!strcasecmp(a, "yes") || !strcasecmp(a, "y"))
		return "yes";
	if (!strcasecmp(a, "no") || !strcasecmp(a, "n"))
		return "no";
	if (!strcasecmp(a, "cant_tell") || !strcasecmp(a, "can't tell") ||
	    !strcasecmp(a, "cant tell") || !strcasecmp(a, "can\xE2\x80\x99t tell") ||
	    !strcasecmp(a, "unclear"))
		return "cant_tell";
	return NULL;
}

static int header(rating_ctx *c, long line, char **f, int nf, qes_error *err)
{
	static const char *const want[] = { "study", "reviewer", "question", "answer", "comment" };
	c->seen_header = 1;
	for (int i = 0; i < 4; i++)
		if (i >= nf || strcmp(f[i], want[i]))
			return qes_error_at(err, QES_EFORMAT, c->name, line, NULL, "the header must be "
					    "study,reviewer,question,answer,comment");
	c->has_comment = nf >= 5 && !strcmp(f[4], "comment");
	return 0;
}

static int rating_row(void *ud, long line, char **f, int nf, qes_error *err)
{
	rating_ctx *c = ud;
	long long sid;
	if (!c->seen_header)
		return header(c, line, f, nf, err);
	if (nf == 1 && !*f[0])
		return 0;
	if (nf < 4)
		return qes_error_at(err, QES_EFORMAT, c->name, line, NULL,
				    "a row needs study, reviewer, question and answer");
	if (qes_study_find(c->st, f[0], &sid, err))
		return qes_error_at(err, QES_EFORMAT, c->name, line, "study", "no study '%s'", f[0]);
	if (!*f[1] || strlen(f[1]) > 64)
		return qes_error_at(err, QES_EFORMAT, c->name, line, "reviewer",
				    "a reviewer name of 1 to 64 characters is needed");
	/* The question: qid of one active checklist, or checklist:qid. */
	const char *colon = strchr(f[2], ':'), *qid = colon ? colon + 1 : f[2], *cl = NULL;
	int rating = 0, found = 0;
	size_t i;
	json_t *x;
	json_array_foreach(c->active, i, x) {
		const char *id = json_string_value(x);
		if (colon && (strlen(id) != (size_t)(colon - f[2]) || strncmp(id, f[2], strlen(id))))
			continue;
		sqlite3_reset(c->qtype);
		sqlite3_bind_text(c->qtype, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_text(c->qtype, 2, qid, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(c->qtype) != SQLITE_ROW)
			continue;
		if (found++)
			return qes_error_at(err, QES_EFORMAT, c->name, line, "question", "question '%s'"
					    " is in checklists '%s' and '%s': write checklist:%s",
					    qid, cl, id, qid);
		cl = id;
		rating = !strcmp((const char *)sqlite3_column_text(c->qtype, 0), "rating");
	}
	if (!found)
		return json_array_size(c->active) > 1 || colon
			? qes_error_at(err, QES_EFORMAT, c->name, line, "question",
				       "no active checklist has a question '%s'", f[2])
			: qes_error_at(err, QES_EFORMAT, c->name, line, "question",
				       "checklist '%s' has no question '%s'", c->checklist, f[2]);
	const char *answer = rating ? norm_answer(f[3]) : f[3];
	if (!answer || !*answer)
		return qes_error_at(err, QES_EFORMAT, c->name, line, "answer", rating
				    ? "'%s' is not an answer: use yes, no or cant_tell"
				    : "'%s': a free-text question needs an answer", f[3]);
	sqlite3_reset(c->ins);
	sqlite3_bind_int64(c->ins, 1, sid);
	sqlite3_bind_text(c->ins, 2, cl, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(c->ins, 3, qid, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(c->ins, 4, f[1], -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(c->ins, 5, answer, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(c->ins, 6, c->has_comment && nf >= 5 ? f[4] : "", -1, SQLITE_TRANSIENT);
	if (sqlite3_step(c->ins) != SQLITE_DONE)
		return qes_store_sqlerr(c->st, err, "storing a rating");
	c->n++;
	return 0;
}

int qes_appraise_import_buf(qes_store *st, const char *name, const char *buf,
			    size_t len, long *n, qes_error *err)
{
	rating_ctx c = { .st = st, .name = name };
	int rc = qes_checklist_ensure_default(st, err);
	if (rc || (rc = qes_store_begin(st, err)))
		return rc;
	if ((rc = qes__study_pool_sync(st, err)) || (rc = qes__checklist_active(st, &c.checklist, err)))
		goto out;
	if (!(c.active = qes__checklists_active(st, err))) {
		rc = err->code ? err->code : QES_ENOMEM;
		goto out;
	}
	if ((rc = qes__prep(st, &c.qtype, "SELECT type FROM checklist_questions "
			    "WHERE checklist_id = ?1 AND qid = ?2", err)) ||
	    (rc = qes__prep(st, &c.ins, "INSERT INTO appraisal_ratings(study_id, checklist_id, qid, "
			    "reviewer, answer, comment) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
			    "ON CONFLICT DO UPDATE SET answer = excluded.answer, "
			    "comment = excluded.comment, rated_at = excluded.rated_at", err)))
		goto out;
	if ((rc = qes__csv_parse(name, buf, len, rating_row, &c, err)))
		goto out;
	if (!c.seen_header) {
		rc = qes_error_at(err, QES_EFORMAT, name, 0, NULL, "the file is empty");
		goto out;
	}
	sqlite3_finalize(c.qtype);
	sqlite3_finalize(c.ins);
	c.qtype = c.ins = NULL;
	rc = qes_store_commit(st, err);
out:
	sqlite3_finalize(c.qtype);
	sqlite3_finalize(c.ins);
	if (rc)
		qes_store_rollback(st);
	else if (n)
		*n = c.n;
	free(c.checklist);
	json_decref(c.active);
	return rc;
}

int qes_appraise_import_csv(qes_store *st, const char *path, long *n, qes_error *err)
{
	char *buf;
	size_t len;
	int rc = qes__read_file(path, &buf, &len, err);
	if (rc)
		return rc;
	const char *base = strrchr(path, '/');
	rc = qes_appraise_import_buf(st, base ? base + 1 : path, buf, len, n, err);
	free(buf);
	return rc;
}

json_t *qes__appraise_load(qes_store *st, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	json_t *cl = NULL, *studies = json_array(), *index = json_object(), *out = NULL;
	json_t *cls = NULL, *qs = NULL, *shown = json_object(), *ids = json_array();
	char *idtext = NULL;
	size_t i;
	json_t *x;
	if (qes__study_pool_sync(st, err) || !(cl = qes_checklist_json(st, NULL, err)) ||
	    !(qs = qes__appraise_questions(st, &cls, err)) ||
	    qes__prep(st, &s, "SELECT id, key FROM studies ORDER BY key", err))
		goto out;
	int multi = json_array_size(cls) > 1;
	/* checklist \x1f qid -> the id the question is shown under. */
	json_array_foreach(cls, i, x)
		json_array_append(ids, json_object_get(x, "id"));
	json_array_foreach(qs, i, x) {
		char *k = NULL;
		if (!multi)
			break;
		if (asprintf(&k, "%s\x1f%s", json_string_value(json_object_get(x, "checklist")),
			     json_string_value(json_object_get(x, "qid"))) < 0)
			goto out;
		json_object_set(shown, k, json_object_get(x, "id"));
		free(k);
	}
	if (!(idtext = json_dumps(ids, JSON_COMPACT)))
		goto out;
	while (sqlite3_step(s) == SQLITE_ROW) {
		char *label = qes__study_label(st, sqlite3_column_int64(s, 0));
		const char *key = (const char *)sqlite3_column_text(s, 1);
		json_t *o = json_pack("{s:s,s:s,s:{}}", "study", key, "label", label ? label : key,
				      "ratings");
		json_array_append_new(studies, o);
		json_object_set(index, key, o);
		free(label);
	}
	sqlite3_finalize(s);
	s = NULL;
	if (qes__prep(st, &s, "SELECT st.key, r.qid, r.reviewer, r.answer, r.comment, r.checklist_id "
		      "FROM appraisal_ratings r JOIN studies st ON st.id = r.study_id "
		      "WHERE r.checklist_id IN (SELECT value FROM json_each(?)) "
		      "ORDER BY st.key, r.qid, r.reviewer", err))
		goto out;
	sqlite3_bind_text(s, 1, idtext, -1, SQLITE_STATIC);
	while (sqlite3_step(s) == SQLITE_ROW) {
		json_t *r = json_object_get(json_object_get(index, (const char *)sqlite3_column_text(s, 0)),
					    "ratings");
		const char *qid = (const char *)sqlite3_column_text(s, 1);
		if (multi) {
			char *k = NULL;
			if (asprintf(&k, "%s\x1f%s", (const char *)sqlite3_column_text(s, 5), qid) < 0)
				goto out;
			qid = json_string_value(json_object_get(shown, k));
			free(k);
		}
		if (!r || !qid)
			continue;
		json_t *q = json_object_get(r, qid);
		if (!q) {
			q = json_object();
			json_object_set_new(r, qid, q);
		}
		json_object_set_new(q, (const char *)sqlite3_column_text(s, 2),
			json_pack("{s:s,s:s}", "answer", (const char *)sqlite3_column_text(s, 3),
				  "comment", (const char *)sqlite3_column_text(s, 4)));
	}
	out = json_pack("{s:O,s:O,s:O,s:O}", "checklist", cl, "checklists", cls, "questions", qs,
			"studies", studies);
out:
	if (!out && err && !err->code)
		qes_error_set(err, QES_ENOMEM, "out of memory");
	sqlite3_finalize(s);
	free(idtext);
	json_decref(cl);
	json_decref(cls);
	json_decref(qs);
	json_decref(shown);
	json_decref(ids);
	json_decref(studies);
	json_decref(index);
	return out;
}

const char *qes__appraise_final(json_t *ratings, int *conflict)
{
	const char *rev, *agreed = NULL;
	json_t *v;
	*conflict = 0;
	json_t *cons = json_object_get(ratings, QES_CONSENSUS);
	if (cons)
		return json_string_value(json_object_get(cons, "answer"));
	json_object_foreach(ratings, rev, v) {
		const char *a = json_string_value(json_object_get(v, "answer"));
		if (!agreed)
			agreed = a;
		else if (strcmp(agreed, a)) {
			*conflict = 1;
			return NULL;
		}
	}
	return agreed;
}

/* The comments of a question's ratings, "reviewer: comment" per line. */
static json_t *comments_of(json_t *ratings)
{
	qes_strbuf sb = QES_STRBUF_INIT(1u << 20);
	const char *rev;
	json_t *v;
	json_object_foreach(ratings, rev, v) {
		const char *c = json_string_value(json_object_get(v, "comment"));
		if (!c || !*c)
			continue;
		if (sb.len)
			qes__strbuf_addch(&sb, '\n');
		qes__strbuf_addf(&sb, "%s: %s", rev, c);
	}
	json_t *out = sb.len ? json_string(qes__strbuf_str(&sb)) : NULL;
	qes__strbuf_release(&sb);
	return out;
}

json_t *qes_appraise_table_json(qes_store *st, qes_error *err)
{
	json_t *all = qes__appraise_load(st, err), *rows = json_array(), *out = NULL, *rule = NULL;
	if (!all)
		goto out;
	json_t *cl = json_object_get(all, "checklist"), *qs = json_object_get(all, "questions");
	if (!(rule = qes__appraise_rule(st, qs, err)))
		goto out;
	size_t i, j;
	json_t *study, *q;
	long unresolved = 0;
	json_array_foreach(json_object_get(all, "studies"), i, study) {
		json_t *ans = json_object(), *com = json_object();
		json_array_foreach(qs, j, q) {
			const char *qid = json_string_value(json_object_get(q, "id"));
			json_t *r = json_object_get(json_object_get(study, "ratings"), qid);
			int conflict;
			const char *a = r ? qes__appraise_final(r, &conflict) : NULL;
			unresolved += r && conflict;
			json_object_set_new(ans, qid, a ? json_string(a) : json_null());
			json_t *c = r ? comments_of(r) : NULL;
			if (c)
				json_object_set_new(com, qid, c);
		}
		int nno = 0;
		const char *lim = qes__appraise_level(rule, ans, &nno);
		json_array_append_new(rows, json_pack("{s:O,s:O,s:o,s:o,s:o,s:i}",
			"study", json_object_get(study, "study"),
			"label", json_object_get(study, "label"), "answers", ans, "comments", com,
			"limitations", lim ? json_string(lim) : json_null(), "no", nno));
	}
	out = json_pack("{s:{s:O,s:O,s:O},s:O,s:O,s:i,s:O}",
		"checklist", "id", json_object_get(cl, "id"), "title", json_object_get(cl, "title"),
		"citation", json_object_get(cl, "citation"),
		"questions", qs, "studies", rows, "unresolved", (int)unresolved, "rule", rule);
	/* Several checklists: which questions (columns) belong to which. */
	if (out && json_array_size(json_object_get(all, "checklists")) > 1)
		json_object_set(out, "checklists", json_object_get(all, "checklists"));
out:
	json_decref(rule);
	json_decref(all);
	json_decref(rows);
	return out;
}

int qes_appraise_table_csv(qes_store *st, FILE *fp, qes_error *err)
{
	json_t *t = qes_appraise_table_json(st, err);
	qes_strbuf sb = QES_STRBUF_INIT(1u << 30);
	int rc = QES_ENOMEM;
	if (!t)
		return err->code ? err->code : QES_ENOMEM;
	size_t i, j;
	json_t *q, *row, *qs = json_object_get(t, "questions");
	qes__strbuf_addstr(&sb, "study,label");
	json_array_foreach(qs, j, q) {
		qes__strbuf_addch(&sb, ',');
		qes__csv_field(&sb, json_string_value(json_object_get(q, "id")));
	}
	qes__strbuf_addch(&sb, '\n');
	json_array_foreach(json_object_get(t, "studies"), i, row) {
		qes__csv_field(&sb, json_string_value(json_object_get(row, "study")));
		qes__strbuf_addch(&sb, ',');
		qes__csv_field(&sb, json_string_value(json_object_get(row, "label")));
		json_array_foreach(qs, j, q) {
			json_t *a = json_object_get(json_object_get(row, "answers"),
						    json_string_value(json_object_get(q, "id")));
			qes__strbuf_addch(&sb, ',');
			qes__csv_field(&sb, json_string_value(a));
		}
		if (qes__strbuf_addch(&sb, '\n'))
			goto out;
	}
	if (fwrite(sb.buf, 1, sb.len, fp) != sb.len) {
		rc = qes_error_set(err, QES_EIO, "write failed");
		goto out;
	}
	rc = 0;
out:
	if (rc == QES_ENOMEM)
		qes_error_set(err, rc, "out of memory");
	json_decref(t);
	qes__strbuf_release(&sb);
	return rc;
}

static const char *answer_text(const char *a)
{
	if (!a)
		return "";
	if (!strcmp(a, "yes"))
		return "Yes";
	if (!strcmp(a, "no"))
		return "No";
	if (!strcmp(a, "cant_tell"))
		return "Can't tell";
	return a;
}

int qes_appraise_table_html(qes_store *st, char **html, qes_error *err)
{
	json_t *t = qes_appraise_table_json(st, err);
	qes_strbuf sb = QES_STRBUF_INIT(1u << 30);
	*html = NULL;
	if (!t)
		return err->code ? err->code : QES_ENOMEM;
	size_t i, j;
	json_t *q, *row, *qs = json_object_get(t, "questions");
	qes__strbuf_addstr(&sb, "<table class=\"qes-appraisal\">\n<caption>");
	qes__html_escape(&sb, json_string_value(json_object_get(json_object_get(t, "checklist"),
								 "citation")));
	qes__strbuf_addstr(&sb, "</caption>\n<thead>");
	json_t *cl, *cls = json_object_get(t, "checklists");
	if (json_array_size(cls) > 1) {
		/* Several checklists: a header row groups their columns. */
		qes__strbuf_addstr(&sb, "<tr><th></th>");
		json_array_foreach(cls, i, cl) {
			qes__strbuf_addf(&sb, "<th colspan=\"%zu\" class=\"qes-checklist\" title=\"",
					 json_array_size(json_object_get(cl, "questions")));
			qes__html_escape(&sb, json_string_value(json_object_get(cl, "citation")));
			qes__strbuf_addstr(&sb, "\">");
			qes__html_escape(&sb, json_string_value(json_object_get(cl, "title")));
			qes__strbuf_addstr(&sb, "</th>");
		}
		qes__strbuf_addstr(&sb, "<th></th></tr>\n");
	}
	qes__strbuf_addstr(&sb, "<tr><th>Study</th>");
	json_array_foreach(qs, j, q) {
		qes__strbuf_addstr(&sb, "<th title=\"");
		qes__html_escape(&sb, json_string_value(json_object_get(q, "text")));
		qes__strbuf_addstr(&sb, "\">");
		qes__html_escape(&sb, json_string_value(json_object_get(q, "id")));
		qes__strbuf_addstr(&sb, "</th>");
	}
	qes__strbuf_addstr(&sb, "<th>Limitations</th></tr></thead>\n<tbody>\n");
	json_array_foreach(json_object_get(t, "studies"), i, row) {
		qes__strbuf_addstr(&sb, "<tr><th scope=\"row\">");
		qes__html_escape(&sb, json_string_value(json_object_get(row, "label")));
		qes__strbuf_addstr(&sb, "</th>");
		json_array_foreach(qs, j, q) {
			const char *a = json_string_value(json_object_get(json_object_get(row, "answers"),
				json_string_value(json_object_get(q, "id"))));
			int rating = !strcmp(json_string_value(json_object_get(q, "type")), "rating");
			qes__strbuf_addf(&sb, "<td class=\"%s\">", rating && a ? a : "");
			qes__html_escape(&sb, answer_text(a));
			qes__strbuf_addstr(&sb, "</td>");
		}
		const char *lim = json_string_value(json_object_get(row, "limitations"));
		qes__strbuf_addf(&sb, "<td class=\"lim-%s\">%s</td>", lim ? lim : "none",
				 lim ? lim : "");
		qes__strbuf_addstr(&sb, "</tr>\n");
	}
	/* The weighing rule goes with the table it weighs. */
	qes__strbuf_addf(&sb, "</tbody>\n<tfoot><tr><td class=\"qes-appraisal-rule\" colspan=\"%zu\">"
			 "Limitations by the review's rule: ", json_array_size(qs) + 2);
	qes__html_escape(&sb, json_string_value(json_object_get(json_object_get(t, "rule"), "text")));
	int rc = qes__strbuf_addstr(&sb, ".</td></tr></tfoot>\n</table>\n");
	if (rc)
		qes_error_set(err, rc, "out of memory");
	else
		*html = qes__strbuf_detach(&sb, NULL);
	qes__strbuf_release(&sb);
	json_decref(t);
	return rc;
}

json_t *qes_appraise_ratings_json(qes_store *st, const char *study, const char *rater,
				  qes_error *err)
{
	json_t *all = qes__appraise_load(st, err), *mine, *row;
	size_t i;
	if (!all)
		return NULL;
	mine = json_object();
	json_array_foreach(json_object_get(all, "studies"), i, row) {
		if (strcmp(json_string_value(json_object_get(row, "study")), study))
			continue;
		const char *qid;
		json_t *by;
		json_object_foreach(json_object_get(row, "ratings"), qid, by) {
			json_t *r = json_object_get(by, rater);
			if (r)
				json_object_set(mine, qid, r);
		}
	}
	json_decref(all);
	return mine;
}
