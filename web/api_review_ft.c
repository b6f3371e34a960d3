/* api_review_ft.c: full-text screening in the browser: the records sent on
 * to full text, attaching a PDF (uploaded as application/pdf), reading it
 * back (the stored bytes, or the text poppler extracted), and deciding with
 * a reason. Attaching, extracting and deciding are the screening library's
 * (qes_fulltext_attach, qes_screen_decide), blinding included. */
#include "web.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "qes/limits.h"
#include "qes/record.h"
#include "qes/screen.h"

/* ?record_id=N */
static int arg_id(const qes__web_call *cx, long long *id, qes_error *err)
{
	if (!(*id = qes__web_arg_id(cx, "record_id")))
		return qes_error_set(err, QES_EINVAL, "expected ?record_id=N");
	return 0;
}

/* The asking reviewer's own decision (NULL when none or no reviewer). */
static int my_decision(qes_store *st, const char *as, long long id, json_t **out,
		       qes_error *err)
{
	qes_decision_view *v = NULL;
	int n = 0;
	*out = json_null();
	if (!*as)
		return 0;
	int rc = qes_screen_decisions(st, as, QES_STAGE_FT, id, &v, &n, err);
	for (int i = 0; !rc && i < n; i++)
		if (!strcmp(v[i].initials, as) && !v[i].hidden && v[i].decision != QES_DEC_NONE) {
			json_decref(*out);
			*out = json_pack("{s:s,s:s?}", "decision", qes_decision_name(v[i].decision),
					 "reason", v[i].reason);
		}
	qes_decision_views_release(v, n);
	return rc;
}

typedef struct pool_row {
	long long id;
	qes_outcome o;
} pool_row;

typedef struct pool {
	pool_row *rows;
	size_t n, cap;
} pool;

static int pool_add(void *ud, long long id, const char *key, const char *method, qes_outcome o)
{
	pool *p = ud;
	(void)key;
	(void)method;
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		pool_row *r = realloc(p->rows, cap * sizeof(*r));
		if (!r)
			return QES_ENOMEM;
		p->rows = r;
		p->cap = cap;
	}
	p->rows[p->n++] = (pool_row){ id, o };
	return 0;
}

static int ft_row(qes_store *st, const char *as, const pool_row *pr, json_t **out, qes_error *err)
{
	qes_arena a;
	qes_record r;
	const char *status;
	json_t *mine = NULL;
	*out = NULL;
	qes__arena_init(&a, 64 * 1024);
	int rc = qes_record_load(st, pr->id, &r, &a, err);
	if (rc || (rc = qes_fulltext_get(st, pr->id, &status, NULL, err)) ||
	    (rc = my_decision(st, as, pr->id, &mine, err)))
		goto out;
	json_t *authors = json_array();
	for (size_t i = 0; i < r.authors.n; i++)
		json_array_append_new(authors, json_string(r.authors.items[i]));
	*out = json_pack("{s:I,s:s?,s:s?,s:o,s:o,s:s?,s:s?,s:s,s:O}", "record_id",
			 (json_int_t)pr->id, "source_key", r.source_key, "title", r.title,
			 "authors", authors, "year", r.year ? json_integer(r.year) : json_null(),
			 "journal", r.journal, "fulltext", status,
			 "outcome", qes_outcome_name(pr->o), "mine", mine);
out:
	json_decref(mine);
	qes__arena_free(&a);
	return rc;
}

/* GET /api/review/fulltext: every record in the full-text pool, with its
 * report's state, its outcome (never a single decision) and the asker's own
 * decision; the exclusion reasons to choose from. */
int qes__web_review_fulltext(qes__web_call *cx, qes_error *err)
{
	pool p = { NULL, 0, 0 };
	json_t *rows = json_array(), *reasons = json_array();
	int rc = qes_screen_outcomes_foreach(cx->st, QES_STAGE_FT, pool_add, &p, err);
	if (rc || (rc = qes_reason_foreach(cx->st, qes__web_add_reason, reasons, err)))
		goto out;
	for (size_t i = 0; i < p.n; i++) {
		json_t *o;
		if ((rc = ft_row(cx->st, cx->session->initials, &p.rows[i], &o, err)))
			goto out;
		json_array_append_new(rows, o);
	}
	cx->json = json_pack("{s:s?,s:O,s:O}", "as",
			     cx->session->initials[0] ? cx->session->initials : NULL,
			     "reasons", reasons, "records", rows);
out:
	free(p.rows);
	json_decref(rows);
	json_decref(reasons);
	return rc;
}

/* GET /api/review/fulltext/text?record_id=N: the extracted text. */
int qes__web_review_ft_text(qes__web_call *cx, qes_error *err)
{
	long long id;
	const char *status;
	char *text = NULL;
	int rc = arg_id(cx, &id, err);
	if (rc || (rc = qes_fulltext_get(cx->st, id, &status, &text, err)))
		return rc;
	if (!status || strcmp(status, "attached")) {
		free(text);
		return qes_error_set(err, QES_ENOTFOUND, "record #%lld has no full text attached", id);
	}
	cx->json = json_pack("{s:I,s:s,s:s?}", "record_id", (json_int_t)id, "status", status,
			     "text", text);
	free(text);
	return 0;
}

/* GET /api/review/fulltext/pdf?record_id=N: the stored PDF, byte for byte. */
int qes__web_review_ft_pdf(qes__web_call *cx, qes_error *err)
{
	long long id;
	void *data = NULL;
	int rc = arg_id(cx, &id, err);
	if (rc || (rc = qes_fulltext_pdf(cx->st, id, &data, &cx->len, NULL, err)))
		return rc;
	cx->bytes = data;
	cx->mime = "application/pdf";
	/* The header is quoted: keep the name to characters that need no escape. */
	snprintf(cx->filename, sizeof(cx->filename), "record-%lld.pdf", id);
	return 0;
}

/* POST /api/review/fulltext/pdf?record_id=N, body application/pdf (at most
 * QES_MAX_PDF_BYTES): attaches it, one transaction in the library; the
 * record must be sought for retrieval (409 otherwise), the bytes a PDF
 * poppler can read (400 otherwise). */
int qes__web_review_ft_upload(qes__web_call *cx, qes_error *err)
{
	long long id;
	char name[64];
	int pages = 0;
	int rc = arg_id(cx, &id, err);
	if (rc)
		return rc;
	if (!cx->raw_len)
		return qes_error_set(err, QES_EINVAL, "send the PDF as the request body");
	snprintf(name, sizeof(name), "record-%lld.pdf", id);
	const char *by = cx->session->initials[0] ? cx->session->initials : NULL;
	if ((rc = qes_fulltext_attach_mem(cx->st, by, id, name, cx->raw, cx->raw_len, &pages, err)))
		return rc;
	cx->json = json_pack("{s:I,s:s,s:i,s:I}", "record_id", (json_int_t)id, "fulltext",
			     "attached", "pages", pages, "bytes", (json_int_t)cx->raw_len);
	return 0;
}

/* POST /api/review/fulltext/decide {record_id, decision, reason?, note?}:
 * the user's full-text decision (the library wants a reason to exclude). */
int qes__web_review_ft_decide(qes__web_call *cx, qes_error *err)
{
	long long id;
	qes_decision d;
	const char *dec_s, *reason, *note;
	int rc = qes__web_need_initials(cx->session, err);
	if (rc || (rc = qes__web_body_id(cx->body, "record_id", &id, err)) ||
	    (rc = qes__web_body_text(cx->body, "decision", &dec_s, err)) ||
	    (rc = qes__web_body_text(cx->body, "reason", &reason, err)) ||
	    (rc = qes__web_body_text(cx->body, "note", &note, err)))
		return rc;
	if (!dec_s)
		return qes_error_set(err, QES_EINVAL, "expected {record_id, decision, reason?, note?}");
	if ((rc = qes_decision_parse(dec_s, &d, err)))
		return rc;
	qes_decide_opts o = { reason, note };
	qes_outcome out;
	if ((rc = qes_screen_decide(cx->st, cx->session->initials, QES_STAGE_FT, id, d, &o, err)) ||
	    (rc = qes_screen_outcome(cx->st, QES_STAGE_FT, id, &out, err)))
		return rc;
	cx->json = json_pack("{s:I,s:s,s:s,s:s}", "record_id", (json_int_t)id, "stage", "ft",
			     "decision", qes_decision_name(d), "outcome", qes_outcome_name(out));
	return 0;
}
