/* api_review.c: the review team's pages that are not screening or coding:
 * conflicts, the deduplication queue, the PRISMA diagram and the report.
 * Every rule (blinding, who may resolve, what a merge does, when the
 * diagram may be drawn) is the library's; this file turns requests into
 * library calls and their results into JSON. Routes: web/routes.c; the
 * page contract: docs/web.md. */
#include "web.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "strbuf.h"
#include "qes/limits.h"
#include "qes/dedup.h"
#include "qes/prisma.h"
#include "qes/record.h"
#include "qes/report.h"
#include "qes/screen.h"

/* --- shared with the other api_review files (declared in lib/web.h) ------ */

int qes__web_body_id(const json_t *body, const char *key, long long *id, qes_error *err)
{
	json_t *v = json_object_get(body, key);
	if (!json_is_integer(v) || json_integer_value(v) <= 0)
		return qes_error_set(err, QES_EINVAL, "expected %s: a positive number", key);
	*id = (long long)json_integer_value(v);
	return 0;
}

int qes__web_body_text(const json_t *body, const char *key, const char **out, qes_error *err)
{
	json_t *v = json_object_get(body, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return qes_error_set(err, QES_EINVAL, "%s must be text", key);
	if (*json_string_value(v))
		*out = json_string_value(v);
	return 0;
}

int qes__web_need_initials(const qes__web_session *s, qes_error *err)
{
	if (!s->initials[0])
		return qes_error_set(err, QES_EPERM,
				     "user %s acts as no reviewer (qes user add ... --initials)", s->name);
	return 0;
}

int qes__web_add_reason(void *ud, const char *reason)
{
	return json_array_append_new(ud, json_string(reason)) ? QES_ENOMEM : 0;
}

/* --- Conflicts ------------------------------------------------------------ */

static json_t *decision_json(const char *initials, qes_decision d, const char *reason)
{
	return json_pack("{s:s,s:s?,s:s?}", "initials", initials, "decision",
			 d == QES_DEC_NONE ? NULL : qes_decision_name(d), "reason", reason);
}

static int conflict_row(void *ud, const qes_conflict *c)
{
	json_t *decisions = json_array();
	for (int i = 0; i < c->n && i < 2; i++)
		json_array_append_new(decisions, decision_json(c->initials[i], c->decision[i], c->reason[i]));
	json_t *res = json_null();
	if (c->resolved != QES_DEC_NONE)
		res = json_pack("{s:s,s:s?,s:s?,s:s?,s:s?,s:s?}", "decision",
				qes_decision_name(c->resolved), "method", c->method, "by",
				c->resolved_by, "reason", c->resolved_reason, "note",
				c->resolved_note, "at", c->resolved_at);
	json_t *o = json_pack("{s:I,s:s?,s:s?,s:o,s:o}", "record_id", (json_int_t)c->record_id,
			      "source_key", c->source_key, "title", c->title,
			      "decisions", decisions, "resolved", res);
	return json_array_append_new(ud, o) ? QES_ENOMEM : 0;
}

/* The library lists a conflict only once every decision is in, when its
 * blinding shows them to everyone; asking it again as the user's reviewer
 * keeps the page to exactly what that reviewer may see, whatever changes. */
static int apply_blinding(qes_store *st, const char *as, qes_stage stage, json_t *row,
			  qes_error *err)
{
	qes_decision_view *v = NULL;
	int n = 0;
	long long id = (long long)json_integer_value(json_object_get(row, "record_id"));
	int rc = qes_screen_decisions(st, as, stage, id, &v, &n, err);
	if (rc)
		return rc;
	json_t *seen = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(seen, decision_json(v[i].initials, v[i].hidden ? QES_DEC_NONE
									 : v[i].decision,
							  v[i].hidden ? NULL : v[i].reason));
	json_object_set_new(row, "decisions", seen);
	qes_decision_views_release(v, n);
	return 0;
}

/* GET /api/review/conflicts?stage=ta|ft[&all=1] */
int qes__web_review_conflicts(qes__web_call *cx, qes_error *err)
{
	const qes__web_session *s = cx->session;
	const char *stage_s = qes__web_arg(cx, "stage"), *all = qes__web_arg(cx, "all");
	qes_stage stage;
	int rc = qes_stage_parse(stage_s ? stage_s : "ta", &stage, err);
	if (rc)
		return rc;
	json_t *rows = json_array(), *reasons = json_array();
	if ((rc = qes_conflicts_foreach(cx->st, stage, all && !strcmp(all, "1"), conflict_row, rows,
					err)) ||
	    (rc = qes_reason_foreach(cx->st, qes__web_add_reason, reasons, err)))
		goto out;
	if (s->initials[0]) {
		size_t i;
		json_t *row;
		json_array_foreach(rows, i, row)
			if ((rc = apply_blinding(cx->st, s->initials, stage, row, err)))
				goto out;
	} else if (strcmp(s->role, "owner")) {
		/* A reviewer who is no screening reviewer sees no decisions. */
		size_t i;
		json_t *row;
		json_array_foreach(rows, i, row)
			json_object_set_new(row, "decisions", json_array());
	}
	cx->json = json_pack("{s:s,s:s?,s:O,s:O}", "stage", qes_stage_name(stage), "as",
			     s->initials[0] ? s->initials : NULL, "reasons", reasons,
			     "conflicts", rows);
out:
	json_decref(rows);
	json_decref(reasons);
	return rc;
}

/* POST /api/review/conflicts/resolve {record_id, stage, decision, method?,
 * reason?, note?}: who may resolve is the library's rule (QES_EPERM: 403). */
int qes__web_review_resolve(qes__web_call *cx, qes_error *err)
{
	const json_t *b = cx->body;
	long long id;
	qes_stage stage;
	qes_decision d;
	const char *stage_s, *dec_s, *method, *reason, *note;
	int rc = qes__web_need_initials(cx->session, err);
	if (rc || (rc = qes__web_body_id(b, "record_id", &id, err)) ||
	    (rc = qes__web_body_text(b, "stage", &stage_s, err)) || (rc = qes__web_body_text(b, "decision", &dec_s, err)) ||
	    (rc = qes__web_body_text(b, "method", &method, err)) || (rc = qes__web_body_text(b, "reason", &reason, err)) ||
	    (rc = qes__web_body_text(b, "note", &note, err)))
		return rc;
	if (!stage_s || !dec_s)
		return qes_error_set(err, QES_EINVAL, "expected {record_id, stage, decision, "
				     "method?, reason?, note?}");
	if ((rc = qes_stage_parse(stage_s, &stage, err)) || (rc = qes_decision_parse(dec_s, &d, err)))
		return rc;
	qes_decide_opts o = { reason, note };
	if ((rc = qes_conflict_resolve(cx->st, cx->session->initials, stage, id,
				       method ? method : "consensus", d, &o, err)))
		return rc;
	qes_outcome out;
	if ((rc = qes_screen_outcome(cx->st, stage, id, &out, err)))
		return rc;
	cx->json = json_pack("{s:I,s:s,s:s,s:s}", "record_id", (json_int_t)id, "stage",
			     qes_stage_name(stage), "decision", qes_decision_name(d), "outcome",
			     qes_outcome_name(out));
	return 0;
}

/* --- Deduplication queue ---------------------------------------------------- */

/* "Family, Given; Family, Given" (NULL when none or out of memory). */
static char *authors_text(const qes_record *r)
{
	qes_strbuf sb = QES_STRBUF_INIT(QES_MAX_FIELD);
	for (size_t i = 0; i < r->authors.n; i++)
		if ((i && qes__strbuf_addstr(&sb, "; ")) || qes__strbuf_addstr(&sb, r->authors.items[i]))
			break;
	return sb.len ? qes__strbuf_detach(&sb, NULL) : (qes__strbuf_release(&sb), NULL);
}

static void add_field(json_t *fields, const char *name, const char *a, const char *b)
{
	int same = (!a && !b) || (a && b && !strcmp(a, b));
	json_array_append_new(fields, json_pack("{s:s,s:s?,s:s?,s:b}", "name", name, "a", a, "b",
						b, "same", same));
}

/* The two records' fields aligned, as the CLI's `qes dedup review` shows
 * them, with the rules' verdict on the pair. */
static int pair_json(qes_store *st, const qes_dedup_pair *p, json_t **out, qes_error *err)
{
	qes_arena ar;
	qes_record a, b;
	char *aa = NULL, *ab = NULL;
	char ya[16] = "", yb[16] = "", why[256] = "";
	int rc;
	*out = NULL;
	qes__arena_init(&ar, 64 * 1024);
	if ((rc = qes_record_load(st, p->a, &a, &ar, err)) ||
	    (rc = qes_record_load(st, p->b, &b, &ar, err)))
		goto out;
	double sim = -1;
	int verdict = qes_dedup_compare(&a, &b, &sim, why, sizeof(why));
	aa = authors_text(&a);
	ab = authors_text(&b);
	if (a.year)
		snprintf(ya, sizeof(ya), "%d", a.year);
	if (b.year)
		snprintf(yb, sizeof(yb), "%d", b.year);
	json_t *f = json_array();
	add_field(f, "title", a.title, b.title);
	add_field(f, "authors", aa, ab);
	add_field(f, "year", *ya ? ya : NULL, *yb ? yb : NULL);
	add_field(f, "journal", a.journal, b.journal);
	add_field(f, "volume", a.volume, b.volume);
	add_field(f, "issue", a.issue, b.issue);
	add_field(f, "pages", a.pages, b.pages);
	add_field(f, "doi", a.doi, b.doi);
	add_field(f, "pmid", a.pmid, b.pmid);
	add_field(f, "type", a.type, b.type);
	add_field(f, "abstract", a.abstract, b.abstract);
	*out = json_pack("{s:I,s:I,s:I,s:s?,s:s?,s:f,s:s?,s:s?,s:s,s:o,s:o}", "id",
			 (json_int_t)p->id, "a", (json_int_t)p->a, "b", (json_int_t)p->b, "key_a",
			 p->key_a, "key_b", p->key_b, "score", p->score, "reason", p->reason,
			 "status", p->status, "verdict",
			 verdict == QES_DEDUP_SAME ? "same" : verdict == QES_DEDUP_UNSURE ? "unsure"
			 : verdict == QES_DEDUP_APART ? "apart" : "none",
			 "title_similarity", sim < 0 ? json_null() : json_real(sim), "fields", f);
out:
	free(aa);
	free(ab);
	qes__arena_free(&ar);
	return rc;
}

/* GET /api/review/dedup: the pairs waiting for a person (skipped ones last). */
int qes__web_review_dedup(qes__web_call *cx, qes_error *err)
{
	qes_dedup_pair *pairs = NULL;
	size_t n = 0;
	qes_dedup_counts c;
	int rc = qes_dedup_queue(cx->st, 1, &pairs, &n, err);
	if (rc || (rc = qes_dedup_summary(cx->st, &c, err)))
		goto out;
	json_t *rows = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o;
		if ((rc = pair_json(cx->st, &pairs[i], &o, err))) {
			json_decref(rows);
			goto out;
		}
		json_array_append_new(rows, o);
	}
	cx->json = json_pack("{s:{s:i,s:i,s:i,s:i,s:s},s:o}", "counts", "records", (int)c.records,
			     "works", (int)c.works, "pending", (int)c.pending, "decided",
			     (int)c.decided, "rules_version", c.rules_version, "pairs", rows);
out:
	qes_dedup_pairs_free(pairs, n);
	return rc;
}

/* POST /api/review/dedup/decide {a, b, decision: merge|distinct|skip}: one
 * transaction in the library, logged with the user's name. */
int qes__web_review_dedup_decide(qes__web_call *cx, qes_error *err)
{
	long long a, b;
	const char *d;
	int rc;
	if ((rc = qes__web_body_id(cx->body, "a", &a, err)) || (rc = qes__web_body_id(cx->body, "b", &b, err)) ||
	    (rc = qes__web_body_text(cx->body, "decision", &d, err)))
		return rc;
	int dec = !d ? -1 : !strcmp(d, "merge") ? QES_DEDUP_MERGE
		: !strcmp(d, "distinct") ? QES_DEDUP_DISTINCT : !strcmp(d, "skip") ? QES_DEDUP_SKIP : -1;
	if (dec < 0 || a == b)
		return qes_error_set(err, QES_EINVAL, "expected {a, b: two record ids, decision: "
				     "merge|distinct|skip}");
	/* A reviewer decides the queue's pairs; any other two records are the
	 * owner's to merge (logged and undoable as every merge). */
	if ((rc = strcmp(cx->session->role, "owner")
		  ? qes_dedup_decide_queued(cx->st, a, b, dec, cx->session->name, err)
		  : qes_dedup_decide(cx->st, a, b, dec, cx->session->name, err)))
		return rc;
	qes_dedup_counts c;
	if ((rc = qes_dedup_summary(cx->st, &c, err)))
		return rc;
	cx->json = json_pack("{s:I,s:I,s:s,s:i,s:i}", "a", (json_int_t)a, "b", (json_int_t)b,
			     "decision", d, "works", (int)c.works, "pending", (int)c.pending);
	return 0;
}

/* --- PRISMA and the report --------------------------------------------------- */

/* GET /api/review/prisma.svg: the diagram, computed now; 409 with the gaps
 * (records without a final decision) while it would be wrong. */
int qes__web_review_prisma_svg(qes__web_call *cx, qes_error *err)
{
	qes_prisma p;
	qes_prisma_gap *gaps = NULL;
	size_t n_gaps = 0, len = 0;
	char *svg = NULL;
	memset(&p, 0, sizeof(p));
	int rc = qes_prisma_compute(cx->st, &p, &gaps, &n_gaps, err);
	if (rc)
		goto out;
	if (n_gaps) {
		json_t *g = json_array();
		for (size_t i = 0; i < n_gaps; i++)
			json_array_append_new(g, json_pack("{s:I,s:s,s:s,s:s}", "record_id",
							   (json_int_t)gaps[i].record_id, "source_key",
							   gaps[i].key, "stage", gaps[i].stage, "state",
							   gaps[i].state));
		cx->status = 409;
		cx->json = json_pack("{s:s,s:o}", "error", "records without a final decision: the "
				     "diagram would be wrong", "gaps", g);
		goto out;
	}
	if ((rc = qes_prisma_check(&p, err)) || (rc = qes_prisma_svg(&p, &svg, &len, err)))
		goto out;
	cx->bytes = svg;
	cx->len = len;
	cx->mime = "image/svg+xml";
	snprintf(cx->filename, sizeof(cx->filename), "prisma.svg");
out:
	qes_prisma_release(&p);
	qes_prisma_gaps_free(gaps, n_gaps);
	return rc;
}

/* GET /api/review/report: the report page as the library writes it now;
 * ?format=docx or xlsx: the same report for Word or as a spreadsheet. */
int qes__web_review_report(qes__web_call *cx, qes_error *err)
{
	char *html = NULL;
	size_t len = 0;
	const char *format = qes__web_arg(cx, "format");
	if (format && strcmp(format, "html")) {
		int rc = qes_report_office(cx->st, format, &cx->bytes, &cx->len, err);
		if (rc)
			return rc;
		int docx = !strcmp(format, "docx");
		cx->mime = docx ? "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
				: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
		snprintf(cx->filename, sizeof(cx->filename), "report.%s", format);
		return 0;
	}
	int rc = qes_report_html(cx->st, &html, &len, err);
	if (rc)
		return rc;
	cx->bytes = html;
	cx->len = len;
	cx->mime = "text/html; charset=utf-8";
	/* Its own <style> and inline SVG, nothing else; still no script. */
	cx->csp = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
		  "frame-ancestors 'self'; sandbox";
	snprintf(cx->filename, sizeof(cx->filename), "report.html");
	return 0;
}
