/* api_review_appraise.c: the extraction form and the appraisal checklist of
 * each included study, saved per rater, and the double-rating comparison
 * for the owner. Values are checked and stored by the study library
 * (qes_extract_set), ratings by the appraisal library (its CSV import, the
 * one call that stores ratings), agreement computed by it too. */
#include "web.h"

#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "qes/appraise.h"
#include "qes/limits.h"
#include "qes/study.h"

/* Who rates: the user's reviewer initials, else the user's name. */
static const char *rater(const qes__web_session *s)
{
	return s->initials[0] ? s->initials : s->name;
}

/* GET /api/review/studies: the included studies and the active checklist. */
int qes__web_review_studies(qes__web_call *cx, qes_error *err)
{
	json_t *studies = NULL, *cl = NULL;
	int rc = qes_checklist_ensure_default(cx->st, err);
	if (rc)
		return rc;
	if (!(studies = qes_study_list_json(cx->st, err)) ||
	    !(cl = qes_checklist_json(cx->st, NULL, err))) {
		rc = err->code ? err->code : QES_ESTORE;
		goto out;
	}
	cx->json = json_pack("{s:s,s:s,s:{s:O,s:O},s:O}", "rater", rater(cx->session), "role",
			     cx->session->role, "checklist", "id", json_object_get(cl, "id"), "title",
			     json_object_get(cl, "title"), "studies", studies);
out:
	json_decref(studies);
	json_decref(cl);
	return rc;
}

/* GET /api/review/study?study=KEY: the form with the study's values, the
 * checklist with the asker's own ratings. */
int qes__web_review_study(qes__web_call *cx, qes_error *err)
{
	const char *key = qes__web_arg(cx, "study");
	long long sid;
	json_t *form = NULL, *values = NULL, *cl = NULL, *mine = NULL;
	int rc;
	if (!key || !*key)
		return qes_error_set(err, QES_EINVAL, "expected ?study=KEY");
	if ((rc = qes_study_find(cx->st, key, &sid, err)) ||
	    (rc = qes_checklist_ensure_default(cx->st, err)))
		return rc;
	const char *who = rater(cx->session);
	if (!(form = qes_extract_form_json(cx->st, err)) ||
	    !(values = qes_extract_study_json(cx->st, key, err)) ||
	    !(cl = qes_checklist_json(cx->st, NULL, err)) || !(mine = qes_appraise_ratings_json(cx->st, key, who, err))) {
		rc = err->code ? err->code : QES_ESTORE;
		goto out;
	}
	/* Several checklists active: the form asks every one's questions, under
	 * the ids the ratings take, each headed by its checklist. */
	json_t *cls = NULL, *qs = qes_appraise_questions_json(cx->st, &cls, err);
	if (!qs) {
		rc = err->code ? err->code : QES_ESTORE;
		goto out;
	}
	if (json_array_size(cls) > 1) {
		size_t i, j;
		json_t *q, *c;
		json_array_foreach(qs, i, q)
			json_array_foreach(cls, j, c)
				if (json_equal(json_object_get(c, "id"), json_object_get(q, "checklist"))) {
					const char *t = json_string_value(json_object_get(c, "title"));
					const char *sec = json_string_value(json_object_get(q, "section"));
					char *h = NULL;
					if (asprintf(&h, "%s%s%s", t, sec && *sec ? ": " : "",
						     sec ? sec : "") >= 0)
						json_object_set_new(q, "section", json_string(h));
					free(h);
				}
		json_object_set(cl, "questions", qs);
		json_object_set(cl, "checklists", cls);
	}
	json_decref(qs);
	json_decref(cls);
	cx->json = json_pack("{s:s,s:O,s:O,s:O,s:O,s:s}", "study", key, "label",
			     json_object_get(values, "label"), "form", json_object_get(form, "fields"),
			     "values", json_object_get(values, "values"), "checklist", cl, "rater", who);
	json_object_set(cx->json, "ratings", mine);
out:
	json_decref(form);
	json_decref(values);
	json_decref(cl);
	json_decref(mine);
	return rc;
}

/* POST /api/review/extract {study, values: {field: text}}: every value is
 * checked by the library and all are stored in one transaction ("" clears
 * a value); a bad one rejects them all (400 naming the field). */
int qes__web_review_extract(qes__web_call *cx, qes_error *err)
{
	const char *key;
	json_t *vals = json_object_get(cx->body, "values"), *v;
	const char *field;
	int rc = qes__web_body_text(cx->body, "study", &key, err);
	if (rc)
		return rc;
	if (!key || !json_is_object(vals))
		return qes_error_set(err, QES_EINVAL, "expected {study, values: {field: text}}");
	json_object_foreach(vals, field, v)
		if (!json_is_string(v))
			return qes_error_set(err, QES_EINVAL, "the value of %s must be text", field);
	long long sid;
	if ((rc = qes_store_begin(cx->st, err)))
		return rc;
	if (!(rc = qes_study_find(cx->st, key, &sid, err)))
		json_object_foreach(vals, field, v)
			if ((rc = qes_extract_set(cx->st, key, field, json_string_value(v), err)))
				break;
	if (rc) {
		qes_store_rollback(cx->st);
		return rc;
	}
	if ((rc = qes_store_commit(cx->st, err)))
		return rc;
	json_t *now = qes_extract_study_json(cx->st, key, err);
	if (!now)
		return err->code ? err->code : QES_ESTORE;
	cx->json = now;
	return 0;
}

/* One CSV field, quoted when it needs to be. */
static int csv_field(qes_strbuf *sb, const char *s, int last)
{
	int rc = 0;
	if (strpbrk(s, ",\"\r\n")) {
		rc = qes__strbuf_addch(sb, '"');
		for (const char *p = s; !rc && *p; p++)
			rc = *p == '"' ? qes__strbuf_addstr(sb, "\"\"") : qes__strbuf_addch(sb, *p);
		rc = rc ? rc : qes__strbuf_addch(sb, '"');
	} else {
		rc = qes__strbuf_addstr(sb, s);
	}
	return rc ? rc : qes__strbuf_addch(sb, last ? '\n' : ',');
}

/* POST /api/review/appraise {study, ratings: {qid: {answer, comment?}},
 * consensus?: true}: the user's ratings (the owner may record the agreed
 * "consensus" ones), one transaction; an unknown question or answer
 * rejects them all. Questions without an answer are left as they were. */
int qes__web_review_appraise(qes__web_call *cx, qes_error *err)
{
	const char *key, *qid;
	json_t *ratings = json_object_get(cx->body, "ratings"), *r;
	int consensus = json_is_true(json_object_get(cx->body, "consensus"));
	int rc = qes__web_body_text(cx->body, "study", &key, err);
	if (rc)
		return rc;
	if (!key || !json_is_object(ratings))
		return qes_error_set(err, QES_EINVAL, "expected {study, ratings: {question: "
				     "{answer, comment?}}, consensus?}");
	if (consensus && strcmp(cx->session->role, "owner"))
		return qes_error_set(err, QES_EPERM, "only an owner records the consensus");
	/* An unknown study is 404 even when no question is answered. */
	long long sid;
	if ((rc = qes_study_find(cx->st, key, &sid, err)))
		return rc;
	const char *who = consensus ? QES_CONSENSUS : rater(cx->session);
	qes_strbuf sb = QES_STRBUF_INIT(QES_MAX_HTTP_BODY * 2u);
	rc = qes__strbuf_addstr(&sb, "study,reviewer,question,answer,comment\n");
	long want = 0, n = 0;
	json_object_foreach(ratings, qid, r) {
		const char *answer = json_string_value(json_object_get(r, "answer"));
		json_t *cv = json_object_get(r, "comment");
		if (!json_is_object(r) || (cv && !json_is_null(cv) && !json_is_string(cv))) {
			rc = qes_error_set(err, QES_EINVAL, "rating %s: expected {answer, comment?}", qid);
			goto out;
		}
		if (!answer || !*answer)
			continue;
		const char *comment = cv ? json_string_value(cv) : NULL;
		if (rc || (rc = csv_field(&sb, key, 0)) || (rc = csv_field(&sb, who, 0)) ||
		    (rc = csv_field(&sb, qid, 0)) || (rc = csv_field(&sb, answer, 0)) ||
		    (rc = csv_field(&sb, comment ? comment : "", 1))) {
			rc = qes_error_set(err, rc, "the ratings are too large");
			goto out;
		}
		want++;
	}
	if (want && (rc = qes_appraise_import_buf(cx->st, "ratings", qes__strbuf_str(&sb), sb.len,
						   &n, err)))
		goto out;
	cx->json = json_pack("{s:s,s:s,s:I}", "study", key, "rater", who, "saved", (json_int_t)n);
out:
	qes__strbuf_release(&sb);
	return rc;
}

/* GET /api/review/appraise/compare (owner): the two raters' agreement and
 * every item where raters differ, with the final answers. */
int qes__web_review_compare(qes__web_call *cx, qes_error *err)
{
	json_t *agree = NULL, *disc = NULL, *table = NULL;
	int rc = qes_checklist_ensure_default(cx->st, err);
	if (rc)
		return rc;
	/* Before two raters have rated one study together there is no
	 * agreement yet: the page says the library's why. */
	if (!(agree = qes_appraise_agreement_json(cx->st, err))) {
		if (err->code != QES_ENOTFOUND)
			return err->code ? err->code : QES_ESTORE;
		agree = json_pack("{s:s}", "none", err->message);
		qes_error_clear(err);
	}
	if (!(disc = qes_appraise_discrepancies_json(cx->st, err)) ||
	    !(table = qes_appraise_table_json(cx->st, err))) {
		rc = err->code ? err->code : QES_ESTORE;
		goto out;
	}
	cx->json = json_pack("{s:O,s:O,s:O}", "agreement", agree, "discrepancies", disc,
			     "table", table);
out:
	json_decref(agree);
	json_decref(disc);
	json_decref(table);
	return rc;
}
