/* report.c: the review report as one self-contained HTML page (inline CSS
 * and SVG, no scripts, no outside files), so it can be mailed, archived or
 * opened in Word; the same page read into the table model (qes/table.h)
 * gives the .docx and .xlsx exports. Each section asks its module; nothing
 * is typed by hand, except the paragraphs the authors chose to reword
 * (report_texts; the generated one stands until they do). */
#include "qes/report.h"
#include "replace_file.h"
#include "qes/advisory.h"
#include "qes/table.h"
#include "selfcheck_internal.h"
#include "qes/appraise.h"
#include "qes/cerqual.h"
#include "qes/prisma.h"
#include "qes/screen.h"
#include "qes/study.h"
#include "qes/theme.h"
#include "qes/limits.h"
#include "screen_internal.h"
#include "strbuf.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

static void esc(qes_strbuf *sb, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': qes__strbuf_addstr(sb, "&amp;"); break;
		case '<': qes__strbuf_addstr(sb, "&lt;"); break;
		case '>': qes__strbuf_addstr(sb, "&gt;"); break;
		case '"': qes__strbuf_addstr(sb, "&quot;"); break;
		default: qes__strbuf_addch(sb, *s);
		}
	}
}

static void cell(qes_strbuf *sb, const char *tag, const char *s)
{
	qes__strbuf_addf(sb, "<%s>", tag);
	esc(sb, s);
	qes__strbuf_addf(sb, "</%s>", tag);
}

/* Tables never run wider than the page, on screen or in print: cells may
 * break long words anywhere, and wide tables (characteristics, the
 * CERQual profile) get a smaller font. Header rows repeat on each printed
 * page. */
static const char css[] =
	"body{font-family:'DejaVu Sans',Arial,Helvetica,sans-serif;max-width:72rem;margin:2rem auto;"
	"padding:0 1rem;color:#111;line-height:1.45}"
	"h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2.2rem;border-bottom:1px solid #ccc}"
	"table{border-collapse:collapse;margin:.6rem 0;font-size:.92rem;max-width:100%}"
	"th,td{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top;"
	"overflow-wrap:anywhere;hyphens:auto}"
	"caption{caption-side:top;text-align:left;font-weight:bold;padding:.2rem 0}"
	"th{background:#f0f0f0}td.n{text-align:right;font-variant-numeric:tabular-nums}td.d{white-space:nowrap}"
	"table.qes-studies,table.qes-cerqual,table.qes-appraisal,table.qes-leag,table.qes-entreq{font-size:.75rem}"
	/* A floor under each column, so a long cell cannot squeeze its
	 * neighbours to a letter a line. */
	".qes-studies :is(th,td),.qes-cerqual :is(th,td),.qes-appraisal :is(th,td),.qes-leag :is(th,td),"
	".qes-entreq :is(th,td){padding:.2rem .3rem;min-width:4em}"
	":is(.qes-studies,.qes-appraisal,.qes-included) tr>:first-child{min-width:5em}"
	".note{color:#555;font-size:.9rem}.warn{background:#fff4d6;border:1px solid #e0b000;"
	"padding:.5rem .8rem}p.q{margin:.2rem 0}.who,.study{color:#444}figure{margin:1rem 0;overflow-x:auto}svg{max-width:100%;height:auto}"
	"p.lead.edited{border-left:3px solid #6a8fd0;padding-left:.5rem}"
	".mark{color:#2b5fb3;font-size:.8rem;margin-left:.4rem}"
	"dl.key{font-size:.85rem;display:grid;grid-template-columns:max-content 1fr;gap:.1rem .8rem}"
	"dl.key dt{font-weight:bold}dl.key dd{margin:0}"
	"@page{size:A4;margin:15mm}"
	"@media print{body{max-width:none;margin:0;padding:0;font-size:10pt}"
	"table{font-size:8pt}table.qes-studies,table.qes-cerqual,table.qes-appraisal,table.qes-leag,"
	"table.qes-entreq{font-size:7pt}thead{display:table-header-group}tr{break-inside:avoid}"
	"h2,h3{break-after:avoid}figure{overflow:visible}.mark{display:none}}";

/* What every section writer gets: the review, the page, and (when the
 * texts are being listed rather than the page written) a JSON array that
 * collects each section's generated and current paragraph. */
typedef struct report_ctx {
	qes_store *st;
	qes_strbuf *sb;
	json_t *texts;
} report_ctx;

const char *const qes_report_sections[] = {
	"eligibility", "searches", "screening", "studies", "appraisal", "synthesis", NULL
};

int qes_report_section_valid(const char *section)
{
	for (int i = 0; qes_report_sections[i]; i++)
		if (section && !strcmp(section, qes_report_sections[i]))
			return 1;
	return 0;
}

/* The section's paragraph: the authors' text when they wrote one, else the
 * generated one; an edited paragraph is marked on screen (not in print). */
static int paragraph(report_ctx *cx, const char *section, const char *generated, qes_error *err)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(qes_store_db(cx->st), "SELECT text, edited_by, edited_at FROM"
			       " report_texts WHERE section = ?", -1, &s, NULL) != SQLITE_OK)
		return qes_store_sqlerr(cx->st, err, "reading the report's texts");
	sqlite3_bind_text(s, 1, section, -1, SQLITE_STATIC);
	int edited = sqlite3_step(s) == SQLITE_ROW;
	const char *text = edited ? (const char *)sqlite3_column_text(s, 0) : generated;
	if (cx->texts) {
		json_t *e = json_pack("{s:s, s:b, s:s, s:s, s:s?, s:s?}", "section", section,
				      "edited", edited, "text", text, "generated", generated,
				      "edited_by", edited ? (const char *)sqlite3_column_text(s, 1) : NULL,
				      "edited_at", edited ? (const char *)sqlite3_column_text(s, 2) : NULL);
		if (!e || json_array_append_new(cx->texts, e)) {
			sqlite3_finalize(s);
			return qes_error_set(err, QES_ENOMEM, "out of memory");
		}
	}
	qes__strbuf_addf(cx->sb, "<p class=\"lead%s\" data-section=\"%s\">", edited ? " edited" : "",
			 section);
	esc(cx->sb, text);
	if (edited)
		qes__strbuf_addstr(cx->sb, "<span class=\"mark noexport\" title=\"Edited by the authors;"
				       " qes report --reset-text restores the generated text\">"
				       "[edited]</span>");
	qes__strbuf_addstr(cx->sb, "</p>\n");
	sqlite3_finalize(s);
	return 0;
}

static const char *plural(long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* Table 1: the eligibility criteria by concept (SPICE, PICo, ...), then
 * the inclusion and exclusion criteria, from qes criteria. */
typedef struct crit_acc {
	qes_table *t;
	long concepts, include, exclude;
	qes_error *err;
	int rc;
} crit_acc;

static int crit_row(void *ud, qes_criterion_kind kind, const char *label, const char *text)
{
	crit_acc *a = ud;
	const char *what = kind == QES_CRIT_CONCEPT ? label : kind == QES_CRIT_INCLUDE
		? "Included" : "Excluded";
	a->concepts += kind == QES_CRIT_CONCEPT;
	a->include += kind == QES_CRIT_INCLUDE;
	a->exclude += kind == QES_CRIT_EXCLUDE;
	if ((a->rc = qes_table_add_row(a->t, 0, a->err)) ||
	    (a->rc = qes_table_add_cell(a->t, what ? what : "", NULL, NULL, a->err)) ||
	    (a->rc = qes_table_add_cell(a->t, text, NULL, NULL, a->err)))
		return a->rc;
	return 0;
}

static int eligibility(report_ctx *cx, qes_error *err)
{
	char *framework = NULL, *html = NULL, *para = NULL;
	crit_acc a = { qes_table_new(), 0, 0, 0, err, 0 };
	int rc = 0;
	if (!a.t)
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	if ((rc = qes_table_add_row(a.t, 1, err)) ||
	    (rc = qes_table_add_cell(a.t, "Concept", NULL, NULL, err)) ||
	    (rc = qes_table_add_cell(a.t, "Criterion", NULL, NULL, err)))
		goto out;
	if ((rc = qes_criteria_foreach(cx->st, &framework, crit_row, &a, err)))
		goto out;
	if (a.rc && (rc = a.rc))
		goto out;
	if (a.t->n_rows == 1)
		goto out;  /* no criteria recorded: no Table 1 */
	const char *fw = framework && *framework ? framework : NULL;
	char cap[160];
	snprintf(cap, sizeof(cap), "Table 1. Eligibility criteria%s%s%s", fw ? " by " : "",
		 fw ? fw : "", fw ? " concept" : "");
	if ((rc = qes_table_set_caption(a.t, cap, err)) ||
	    (rc = qes_table_html(a.t, "qes-criteria", &html, NULL, err)))
		goto out;
	if (asprintf(&para, "Studies were eligible when they met the criteria in Table 1: "
		     "%ld concept%s%s%s%s, %ld inclusion and %ld exclusion criteri%s.",
		     a.concepts, plural(a.concepts, "", "s"), fw ? " (" : "", fw ? fw : "",
		     fw ? ")" : "", a.include, a.exclude, plural(a.exclude, "on", "a")) < 0) {
		para = NULL;
		rc = qes_error_set(err, QES_ENOMEM, "out of memory");
		goto out;
	}
	qes__strbuf_addstr(cx->sb, "<h2>Eligibility criteria</h2>\n");
	if ((rc = paragraph(cx, "eligibility", para, err)))
		goto out;
	qes__strbuf_addstr(cx->sb, html);
out:
	free(framework);
	free(html);
	free(para);
	qes_table_free(a.t);
	return rc;
}

/* The Search column: the string, then the platform and limits recorded
 * with the search (qes import/source add --platform, --limits), so that the
 * table reports each search as PRISMA-S asks. */
static void search_cell(qes_strbuf *t, const char *string, const char *platform,
			const char *limits)
{
	qes__strbuf_addstr(t, "<td>");
	esc(t, string ? string : "");
	if (platform && *platform) {
		qes__strbuf_addstr(t, string && *string ? "<br>Platform: " : "Platform: ");
		esc(t, platform);
	}
	if (limits && *limits) {
		qes__strbuf_addstr(t, (string && *string) || (platform && *platform) ? "<br>Limits: "
										     : "Limits: ");
		esc(t, limits);
	}
	qes__strbuf_addstr(t, "</td>");
}

static int searches(report_ctx *cx, qes_error *err)
{
	qes_store *st = cx->st;
	qes_strbuf *sb = cx->sb, names[2], table;
	sqlite3_stmt *s;
	const char *sql =
		"SELECT s.name, s.method, i.searched, i.records, i.file_name, i.format,"
		" i.search_string, i.hits, i.platform, i.limits"
		" FROM imports i JOIN sources s ON s.id = i.source_id"
		" ORDER BY s.id, i.id";
	if (sqlite3_prepare_v2(qes_store_db(st), sql, -1, &s, NULL) != SQLITE_OK)
		return qes_store_sqlerr(st, err, "listing searches");
	qes__strbuf_init(&names[0], 1u << 20);
	qes__strbuf_init(&names[1], 1u << 20);
	qes__strbuf_init(&table, 64u << 20);
	qes__strbuf_addstr(&table, "<table><tr><th>Source</th><th>Method</th>"
			       "<th>Searched</th><th>Records</th><th>File</th><th>Search</th></tr>\n");
	long total = 0, n_src[2] = { 0, 0 };
	char first[16] = "", last[16] = "", prev[512] = "";
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(s, 0);
		const char *method = (const char *)sqlite3_column_text(s, 1);
		const char *when = (const char *)sqlite3_column_text(s, 2);
		int other = method && strcmp(method, "database") && strcmp(method, "register");
		if (strcmp(prev, name ? name : "")) {
			snprintf(prev, sizeof(prev), "%s", name ? name : "");
			qes__strbuf_addstr(&names[other], n_src[other] ? ", " : "");
			qes__strbuf_addstr(&names[other], name ? name : "");
			n_src[other]++;
		}
		if (when && *when) {
			if (!*first || strcmp(when, first) < 0)
				snprintf(first, sizeof(first), "%.10s", when);
			if (!*last || strcmp(when, last) > 0)
				snprintf(last, sizeof(last), "%.10s", when);
		}
		qes__strbuf_addstr(&table, "<tr>");
		cell(&table, "td", name);
		cell(&table, "td", method);
		qes__strbuf_addstr(&table, "<td class=\"d\">");
		esc(&table, when ? when : "");
		qes__strbuf_addstr(&table, "</td>");
		long n = (long)sqlite3_column_int64(s, 3);
		total += n;
		qes__strbuf_addf(&table, "<td class=\"n\">%ld</td>", n);
		qes__strbuf_addstr(&table, "<td>");
		if (!strcmp((const char *)sqlite3_column_text(s, 5), "none")) {
			/* A search recorded without an export (qes source add). */
			qes__strbuf_addf(&table, "no export (%lld hits)",
					 (long long)sqlite3_column_int64(s, 7));
		} else {
			esc(&table, (const char *)sqlite3_column_text(s, 4));
			qes__strbuf_addstr(&table, " (");
			esc(&table, (const char *)sqlite3_column_text(s, 5));
			qes__strbuf_addstr(&table, ")");
		}
		qes__strbuf_addstr(&table, "</td>");
		search_cell(&table, (const char *)sqlite3_column_text(s, 6),
			    (const char *)sqlite3_column_text(s, 8), (const char *)sqlite3_column_text(s, 9));
		qes__strbuf_addstr(&table, "</tr>\n");
	}
	sqlite3_finalize(s);
	qes__strbuf_addf(&table, "<tr><th colspan=\"3\">All sources</th><td class=\"n\">%ld</td>"
			     "<td colspan=\"2\"></td></tr></table>\n", total);

	/* Duplicates and what was left to screen, as the diagram counts them. */
	qes_prisma p;
	qes_prisma_gap *gaps = NULL;
	size_t n_gaps = 0;
	qes_strbuf para;
	qes__strbuf_init(&para, 1u << 20);
	int rc = qes_prisma_compute(st, &p, &gaps, &n_gaps, err);
	if (rc)
		goto out;
	if (n_src[0])
		qes__strbuf_addf(&para, "%ld database%s and register%s (%s)", n_src[0],
				 plural(n_src[0], "", "s"), plural(n_src[0], "", "s"),
				 qes__strbuf_str(&names[0]));
	else
		qes__strbuf_addstr(&para, "No databases");
	if (n_src[1])
		qes__strbuf_addf(&para, " and %ld other source%s (%s)", n_src[1],
				 plural(n_src[1], "", "s"), qes__strbuf_str(&names[1]));
	qes__strbuf_addf(&para, " %s searched", n_src[0] + n_src[1] == 1 ? "was" : "were");
	if (*first && strcmp(first, last))
		qes__strbuf_addf(&para, " between %s and %s", first, last);
	else if (*first)
		qes__strbuf_addf(&para, " on %s", first);
	qes__strbuf_addf(&para, ". The searches found %ld record%s (%ld from databases and registers",
			 total, plural(total, "", "s"), p.db.identified_total);
	if (p.other.present)
		qes__strbuf_addf(&para, ", %ld from other methods", p.other.identified_total);
	qes__strbuf_addf(&para, "); %ld duplicate%s %s removed, leaving %ld record%s from "
			 "databases and registers to screen by title and abstract",
			 p.db.duplicates_removed, plural(p.db.duplicates_removed, "", "s"),
			 p.db.duplicates_removed == 1 ? "was" : "were", p.db.screened,
			 plural(p.db.screened, "", "s"));
	if (p.other.present)
		qes__strbuf_addf(&para, ", besides the %ld from other methods", p.other.identified_total);
	qes__strbuf_addstr(&para, ".");
	qes_prisma_release(&p);
	qes_prisma_gaps_free(gaps, n_gaps);
	if (!qes__strbuf_str(&para) || !qes__strbuf_str(&table)) {
		rc = qes_error_set(err, QES_ENOMEM, "out of memory");
		goto out;
	}
	qes__strbuf_addstr(sb, "<h2>Searches</h2>\n");
	if ((rc = paragraph(cx, "searches", qes__strbuf_str(&para), err)))
		goto out;
	qes__strbuf_addstr(sb, qes__strbuf_str(&table));
out:
	qes__strbuf_release(&para);
	qes__strbuf_release(&table);
	qes__strbuf_release(&names[0]);
	qes__strbuf_release(&names[1]);
	return rc;
}

static int diagram(qes_store *st, qes_strbuf *sb, qes_error *err)
{
	qes_prisma p;
	qes_prisma_gap *gaps = NULL;
	size_t n_gaps = 0;
	int rc = qes_prisma_compute(st, &p, &gaps, &n_gaps, err);
	if (rc)
		return rc;
	qes__strbuf_addstr(sb, "<h2>PRISMA 2020 flow diagram</h2>\n");
	char *svg = NULL;
	size_t len;
	qes_error why;
	qes_error_clear(&why);
	if (n_gaps) {
		qes__strbuf_addf(sb, "<p class=\"warn\">The diagram is not drawn yet: %zu record%s "
				     "have no final decision (for example ", n_gaps,
				     n_gaps == 1 ? "" : "s");
		for (size_t i = 0; i < n_gaps && i < 5; i++) {
			qes__strbuf_addstr(sb, i ? ", " : "");
			esc(sb, gaps[i].key);
			qes__strbuf_addf(sb, " at %s, %s", gaps[i].stage, gaps[i].state);
		}
		qes__strbuf_addstr(sb, "). Numbers that do not add up are never drawn.</p>\n");
	} else if (qes_prisma_svg(&p, &svg, &len, &why)) {
		qes__strbuf_addstr(sb, "<p class=\"warn\">");
		esc(sb, why.message);
		qes__strbuf_addstr(sb, "</p>\n");
	} else {
		/* Drop the XML declaration: the SVG goes inline. */
		const char *body = strstr(svg, "<svg");
		qes__strbuf_addstr(sb, "<figure>");
		qes__strbuf_addstr(sb, body ? body : svg);
		qes__strbuf_addstr(sb, "<figcaption>Figure 1. PRISMA 2020 flow diagram.</figcaption>"
				       "</figure>\n");
	}
	free(svg);
	qes_prisma_release(&p);
	qes_prisma_gaps_free(gaps, n_gaps);
	return 0;
}

static int agreement_row(void *ud, const qes_agreement_pair *p)
{
	qes_strbuf *sb = ud;
	qes__strbuf_addstr(sb, "<tr><td>");
	esc(sb, p->a);
	qes__strbuf_addstr(sb, " and ");
	esc(sb, p->b);
	qes__strbuf_addf(sb, "</td><td class=\"n\">%ld</td><td class=\"n\">%.1f%%</td>", p->n,
			 p->percent_agreement);
	if (isnan(p->k.kappa))
		qes__strbuf_addstr(sb, "<td>not estimable (a reviewer used one category only)");
	else
		qes__strbuf_addf(sb, "<td class=\"n\">%.2f (95%% CI %.2f to %.2f)",
				 p->k.kappa, p->k.ci_low, p->k.ci_high);
	if (!isnan(p->k.ac1))
		qes__strbuf_addf(sb, "; AC1 %.2f", p->k.ac1);
	if (!isnan(p->k.alpha))
		qes__strbuf_addf(sb, "; alpha %.2f", p->k.alpha);
	if (p->n < QES_AGREEMENT_MIN_N)
		qes__strbuf_addstr(sb, " (fewer than 20 records: unstable)");
	qes__strbuf_addstr(sb, "</td></tr>\n");
	return 0;
}

/* The pair of reviewers with the most records both decided, for the
 * paragraph (the table lists every pair). */
typedef struct agree_acc {
	qes_strbuf *sb;
	qes_agreement_pair best;
	int have;
} agree_acc;

static int agreement_collect(void *ud, const qes_agreement_pair *p)
{
	agree_acc *a = ud;
	if (!a->have || p->n > a->best.n) {
		a->best = *p;
		a->have = 1;
	}
	return agreement_row(a->sb, p);
}

static int screening(report_ctx *cx, qes_error *err)
{
	qes_store *st = cx->st;
	qes_strbuf *sb = cx->sb, body, para;
	qes__strbuf_init(&body, 16u << 20);
	qes__strbuf_init(&para, 1u << 20);
	static const char *const names[] = { "Title and abstract", "Full text" };
	int rc = 0;
	for (int stage = 0; stage < 2; stage++) {
		qes_progress pg;
		qes_policy pol;
		if ((rc = qes_screen_progress(st, NULL, (qes_stage)stage, &pg, err)) ||
		    (rc = qes_policy_get(st, (qes_stage)stage, &pol, err)))
			goto out;
		/* Planned and achieved double screening side by side; pending as
		 * not yet screened and waiting for a second reviewer (issue 18). */
		qes__strbuf_addf(&body, "<h3>%s</h3>\n<p>%ld of %ld records screened: %ld included, "
				     "%ld excluded, %ld unsure, %ld in conflict, %ld not yet screened, "
				     "%ld waiting for a second reviewer. "
				     "Two reviewers planned for %ld (%.1f%%), achieved for %ld "
				     "(%.1f%%).</p>\n",
				 names[stage], pg.screened, pg.pool, pg.included, pg.excluded,
				 pg.unsure, pg.conflicts, pg.undecided, pg.waiting_second, pg.planned,
				 pg.pool ? 100.0 * pg.planned / pg.pool : 0.0, pg.double_decided,
				 pg.pool ? 100.0 * pg.double_decided / pg.pool : 0.0);
		size_t before = body.len;
		qes__strbuf_addstr(&body, "<table><tr><th>Reviewers</th><th>Both decided</th>"
				       "<th>Agreement</th><th>Cohen's kappa</th></tr>\n");
		size_t header = body.len;
		agree_acc acc = { &body, { .n = 0 }, 0 };
		if ((rc = qes_agreement_foreach(st, (qes_stage)stage, agreement_collect, &acc, err)))
			goto out;
		if (body.len == header)
			qes__strbuf_truncate(&body, before);
		else
			qes__strbuf_addstr(&body, "</table>\n");

		if (!pg.pool)
			continue;
		qes__strbuf_addf(&para, "%s%s, %ld of %ld record%s %s screened: %ld included, "
				 "%ld excluded", stage ? " " : "", stage ? "At full text" :
				 "At title and abstract", pg.screened, pg.pool, plural(pg.pool, "", "s"),
				 pg.screened == 1 ? "was" : "were", pg.included, pg.excluded);
		if (pg.unsure)
			qes__strbuf_addf(&para, ", %ld unsure", pg.unsure);
		if (pg.pending + pg.conflicts)
			qes__strbuf_addf(&para, ", %ld still open", pg.pending + pg.conflicts);
		qes__strbuf_addstr(&para, ".");
		if (stage == 1 && pg.not_retrieved)
			qes__strbuf_addf(&para, " %ld report%s could not be retrieved.", pg.not_retrieved,
					 plural(pg.not_retrieved, "", "s"));
		if (pol.mode == QES_POLICY_SAMPLE)
			qes__strbuf_addf(&para, " A random sample of %.0f%% (seed %llu) was planned for "
					 "two independent reviewers", pol.fraction * 100, pol.seed);
		else if (pol.mode == QES_POLICY_DOUBLE)
			qes__strbuf_addstr(&para, " Every record was planned for two independent reviewers");
		if (pol.mode != QES_POLICY_SINGLE)
			qes__strbuf_addf(&para, " and %ld record%s (%.1f%% of %ld) %s drawn",
					 pg.double_needed, plural(pg.double_needed, "", "s"),
					 100.0 * (double)pg.double_needed / (double)pg.pool, pg.pool,
					 pg.double_needed == 1 ? "was" : "were");
		if (acc.have) {
			qes__strbuf_addf(&para, "%s%s and %s both decided %ld record%s (%.1f%% of %ld), "
					 "agreeing on %.1f%%", pol.mode != QES_POLICY_SINGLE ? "; " : " ",
					 acc.best.a, acc.best.b, acc.best.n, plural(acc.best.n, "", "s"),
					 100.0 * (double)acc.best.n / (double)pg.pool, pg.pool,
					 acc.best.percent_agreement);
			if (isnan(acc.best.k.kappa))
				qes__strbuf_addstr(&para, " (Cohen's kappa not estimable)");
			else
				qes__strbuf_addf(&para, " (Cohen's kappa %.2f, 95%% CI %.2f to %.2f)",
						 acc.best.k.kappa, acc.best.k.ci_low, acc.best.k.ci_high);
			qes__strbuf_addstr(&para, ".");
		} else if (pol.mode != QES_POLICY_SINGLE) {
			qes__strbuf_addstr(&para, "; no record has two decisions yet.");
		}
	}
	if (!qes__strbuf_str(&body) && body.len) {
		rc = qes_error_set(err, QES_ENOMEM, "out of memory");
		goto out;
	}
	qes__strbuf_addstr(sb, "<h2>Screening</h2>\n");
	if (para.len && (rc = paragraph(cx, "screening", qes__strbuf_str(&para), err)))
		goto out;
	if (body.len)
		qes__strbuf_addstr(sb, qes__strbuf_str(&body));
out:
	qes__strbuf_release(&body);
	qes__strbuf_release(&para);
	return rc;
}

static int studies(report_ctx *cx, qes_error *err)
{
	qes_store *st = cx->st;
	qes_strbuf *sb = cx->sb;
	json_t *list = qes_study_list_json(st, err);
	if (!list)
		return err->code ? err->code : QES_ENOMEM;
	qes_progress ft;
	int rc = qes_screen_progress(st, NULL, QES_STAGE_FT, &ft, err);
	if (rc) {
		json_decref(list);
		return rc;
	}
	size_t i, reports = 0;
	json_t *s;
	json_array_foreach(list, i, s)
		reports += json_array_size(json_object_get(s, "reports"));
	size_t n = json_array_size(list);
	char *para = NULL;
	if (asprintf(&para, "%zu stud%s, reported in %zu report%s, %s included. %ld full-text "
		     "report%s %s excluded, with the reasons listed below.", n,
		     n == 1 ? "y" : "ies", reports, reports == 1 ? "" : "s", n == 1 ? "was" : "were",
		     ft.excluded, plural(ft.excluded, "", "s"), ft.excluded == 1 ? "was" : "were") < 0) {
		json_decref(list);
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	}
	qes__strbuf_addf(sb, "<h2>Included studies (%zu)</h2>\n", n);
	rc = paragraph(cx, "studies", para, err);
	free(para);
	if (!rc && n) {
		/* The reports are records of the review: their keys are the IDs in
		 * the export files they came from (qes show REVIEW KEY). */
		qes__strbuf_addstr(sb, "<table class=\"qes-included\"><tr><th>Study</th><th>Title</th>"
				       "<th>Reports (record keys)</th></tr>\n");
		json_array_foreach(list, i, s) {
			qes__strbuf_addstr(sb, "<tr>");
			cell(sb, "td", json_string_value(json_object_get(s, "label")));
			cell(sb, "td", json_string_value(json_object_get(s, "title")));
			qes__strbuf_addstr(sb, "<td>");
			size_t k;
			json_t *r;
			json_array_foreach(json_object_get(s, "reports"), k, r) {
				qes__strbuf_addstr(sb, k ? ", " : "");
				esc(sb, json_string_value(r));
			}
			qes__strbuf_addstr(sb, "</td></tr>\n");
		}
		qes__strbuf_addstr(sb, "</table>\n<p class=\"note\">Reports (record keys): each "
				       "study's reports, by the record's key in the review (its ID in "
				       "the search export it came from); the first is the study's main "
				       "report.</p>\n");
	}
	json_decref(list);
	return rc;
}

static int excluded_fulltexts(report_ctx *cx, qes_error *err)
{
	qes_store *st = cx->st;
	qes_strbuf *sb = cx->sb;
	int rc = qes__screen_prepare(st, err);
	if (rc)
		return rc;
	sqlite3_stmt *s;
	const char *sql =
		"SELECT r.source_key, r.authors, r.year, r.title, coalesce("
		"  (SELECT reason FROM screen_resolutions WHERE record_id = r.id AND stage = 'ft'"
		"    AND reason IS NOT NULL),"
		"  (SELECT d.reason FROM screen_decisions d WHERE d.record_id = r.id AND d.stage = 'ft'"
		"    AND d.decision = 'exclude' AND d.reason IS NOT NULL ORDER BY d.seq LIMIT 1),"
		"  'No reason recorded')"
		" FROM temp.screen_outcome_ft o JOIN records r ON r.id = o.record_id"
		" WHERE o.outcome = 'exclude' ORDER BY 5, r.authors, r.year";
	if (sqlite3_prepare_v2(qes_store_db(st), sql, -1, &s, NULL) != SQLITE_OK)
		return qes_store_sqlerr(st, err, "listing excluded full texts");
	size_t before = sb->len;
	qes__strbuf_addstr(sb, "<h2>Full-text reports excluded, with reasons</h2>\n<table><tr>"
			       "<th>Record</th><th>Report</th><th>Reason</th></tr>\n");
	size_t header = sb->len;
	while (sqlite3_step(s) == SQLITE_ROW) {
		qes__strbuf_addstr(sb, "<tr>");
		cell(sb, "td", (const char *)sqlite3_column_text(s, 0));
		qes__strbuf_addstr(sb, "<td>");
		const char *authors = (const char *)sqlite3_column_text(s, 1);
		if (authors) {
			size_t n = strcspn(authors, "\n");
			char first[128];
			snprintf(first, sizeof(first), "%.*s", (int)(n < 120 ? n : 120), authors);
			esc(sb, first);
			qes__strbuf_addstr(sb, authors[n] ? " et al." : "");
		}
		if (sqlite3_column_type(s, 2) != SQLITE_NULL)
			qes__strbuf_addf(sb, " (%d)", sqlite3_column_int(s, 2));
		qes__strbuf_addstr(sb, ". ");
		esc(sb, (const char *)sqlite3_column_text(s, 3));
		qes__strbuf_addstr(sb, "</td>");
		cell(sb, "td", (const char *)sqlite3_column_text(s, 4));
		qes__strbuf_addstr(sb, "</tr>\n");
	}
	sqlite3_finalize(s);
	if (sb->len == header)
		qes__strbuf_truncate(sb, before);
	else
		qes__strbuf_addstr(sb, "</table>\n");
	return 0;
}

/* A question's short text for a column heading: the full question
 * without its opening ("Was there a", "Is the") and question mark, cut at
 * a word near 40 characters. The full text goes in the key below. */
static void short_text(const char *q, char *out, size_t size)
{
	static const char *const lead[] = { "was ", "were ", "is ", "are ", "has ", "have ",
					    "did ", "does ", "do ", "can ", "could ", "should ",
					    "will ", "would ", NULL };
	static const char *const fill[] = { "there ", "the ", "a ", "an ", NULL };
	const char *p = q;
	for (int i = 0; lead[i]; i++)
		if (!strncasecmp(p, lead[i], strlen(lead[i]))) {
			p += strlen(lead[i]);
			for (int k = 0; fill[k]; k++)
				if (!strncasecmp(p, fill[k], strlen(fill[k])))
					p += strlen(fill[k]);
			break;
		}
	if (!*p)
		p = q;
	/* "Have ethical issues been taken into consideration?": the auxiliary
	 * went with "Have"; its "been" goes too. */
	char buf[512];
	const char *been = p != q ? strstr(p, " been ") : NULL;
	if (been && (size_t)(been - p) < sizeof(buf) - 1) {
		snprintf(buf, sizeof(buf), "%.*s%s", (int)(been - p), p, been + 5);
		p = buf;
	}
	size_t n = strlen(p);
	while (n && (p[n - 1] == '?' || p[n - 1] == ' ' || p[n - 1] == '.'))
		n--;
	int cut = 0;
	if (n > 40) {
		size_t k = 40;
		while (k > 20 && p[k] != ' ')
			k--;
		n = k > 20 ? k : 40;
		while (n && ((unsigned char)p[n] & 0xC0) == 0x80)
			n--;
		cut = 1;
	}
	snprintf(out, size, "%.*s%s", (int)n, p, cut ? "\u2026" : "");
	if (out[0] >= 'a' && out[0] <= 'z')
		out[0] = (char)(out[0] - 'a' + 'A');
}

/* A module's HTML table read into the model, or NULL (and 0) when the
 * fragment has no table. */
static int fragment_table(const char *html, qes_table **out, qes_error *err)
{
	*out = NULL;
	qes_doc *d = NULL;
	int rc = qes_doc_from_html(html, strlen(html), &d, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < d->n; i++)
		if (d->blocks[i].kind == QES_BLOCK_TABLE) {
			*out = d->blocks[i].table;
			d->blocks[i].table = NULL;
			break;
		}
	qes_doc_free(d);
	return 0;
}

/* The table without its empty columns, and a note naming them. */
static int table_without_empty(report_ctx *cx, qes_table *t, const char *cls, qes_error *err)
{
	char *dropped = NULL, *html = NULL;
	int rc = qes_table_drop_empty_columns(t, &dropped, err);
	if (!rc)
		rc = qes_table_html(t, cls, &html, NULL, err);
	if (!rc) {
		qes__strbuf_addstr(cx->sb, html);
		if (dropped) {
			qes__strbuf_addstr(cx->sb, "<p class=\"note\">Columns left out because no "
					       "study has a value: ");
			esc(cx->sb, dropped);
			qes__strbuf_addstr(cx->sb, ".</p>\n");
		}
	}
	free(dropped);
	free(html);
	return rc;
}

static int appraisal(report_ctx *cx, const char *html, qes_error *err)
{
	qes_table *t = NULL;
	json_t *cl = NULL;
	int rc = fragment_table(html, &t, err);
	if (rc || !t)
		return rc;
	char *dropped = NULL, *table_html = NULL;
	qes_strbuf key;
	qes__strbuf_init(&key, 1u << 20);
	/* Headings: the question's short text (its id kept as the class);
	 * then empty columns go (named under the table), and the key gives
	 * the full text of the questions shown. */
	for (size_t i = 0; i < t->n_rows; i++) {
		if (!t->rows[i].header)
			continue;
		for (size_t j = 1; j < t->rows[i].n; j++) {
			qes_table_cell *c = &t->rows[i].cells[j];
			if (!c->title || !*c->title)
				continue;
			char shortq[256];
			short_text(c->title, shortq, sizeof(shortq));
			char *s = strdup(shortq);
			if (!s) {
				rc = qes_error_set(err, QES_ENOMEM, "out of memory");
				goto out;
			}
			if (!c->cls)
				c->cls = c->text;
			else
				free(c->text);
			c->text = s;
		}
	}
	if ((rc = qes_table_drop_empty_columns(t, &dropped, err)))
		goto out;
	qes__strbuf_addstr(&key, "<dl class=\"key\">\n");
	for (size_t i = 0; i < t->n_rows; i++) {
		if (!t->rows[i].header)
			continue;
		for (size_t j = 1; j < t->rows[i].n; j++) {
			const qes_table_cell *c = &t->rows[i].cells[j];
			if (!c->title || !*c->title)
				continue;
			qes__strbuf_addstr(&key, "<dt>");
			esc(&key, c->text);
			qes__strbuf_addstr(&key, "</dt><dd>");
			esc(&key, c->title);
			if (c->cls) {
				qes__strbuf_addstr(&key, " (");
				esc(&key, c->cls);
				qes__strbuf_addstr(&key, ")");
			}
			qes__strbuf_addstr(&key, "</dd>\n");
		}
	}
	qes__strbuf_addstr(&key, "</dl>\n");
	long studies = 0;
	for (size_t i = 0; i < t->n_rows; i++)
		studies += !t->rows[i].header;
	/* The active checklists' titles (several: "CASP ... and Review-specific ..."). */
	json_t *qs = qes_appraise_questions_json(cx->st, &cl, err);
	json_decref(qs);
	qes_strbuf titles = QES_STRBUF_INIT(1u << 16);
	size_t ci;
	json_t *c;
	json_array_foreach(cl, ci, c)
		qes__strbuf_addf(&titles, "%s%s", ci ? " and " : "",
				 json_string_value(json_object_get(c, "title")));
	const char *title = titles.len ? qes__strbuf_str(&titles) : NULL;
	qes_error_clear(err);
	char *para = NULL;
	if (asprintf(&para, "%ld included stud%s %s appraised with the %s; the table gives each "
		     "study's answers, headed by each question's short form (the key gives the "
		     "full questions).", studies, studies == 1 ? "y" : "ies",
		     studies == 1 ? "was" : "were", title ? title : "review's checklist") < 0) {
		qes__strbuf_release(&titles);
		rc = qes_error_set(err, QES_ENOMEM, "out of memory");
		goto out;
	}
	qes__strbuf_release(&titles);
	qes__strbuf_addstr(cx->sb, "<h2>Quality appraisal</h2>\n");
	rc = paragraph(cx, "appraisal", para, err);
	free(para);
	if (!rc && !(rc = qes_table_html(t, "qes-appraisal", &table_html, NULL, err))) {
		qes__strbuf_addstr(cx->sb, table_html);
		if (dropped) {
			qes__strbuf_addstr(cx->sb, "<p class=\"note\">Columns left out because no "
					       "study has a value: ");
			esc(cx->sb, dropped);
			qes__strbuf_addstr(cx->sb, ".</p>\n");
		}
		if (qes__strbuf_str(&key))
			qes__strbuf_addstr(cx->sb, qes__strbuf_str(&key));
	}
out:
	free(dropped);
	free(table_html);
	json_decref(cl);
	qes__strbuf_release(&key);
	qes_table_free(t);
	return rc;
}

static int characteristics(report_ctx *cx, qes_error *err)
{
	qes_store *st = cx->st;
	qes_strbuf *sb = cx->sb;
	char *html = NULL;
	int rc = qes_study_table_html(st, &html, err);
	if (rc)
		return rc;
	if (html && strstr(html, "<td")) {
		qes_table *t = NULL;
		qes__strbuf_addstr(sb, "<h2>Characteristics of included studies</h2>\n");
		if (!(rc = fragment_table(html, &t, err)) && t)
			rc = table_without_empty(cx, t, "qes-studies", err);
		qes_table_free(t);
		if (rc) {
			free(html);
			return rc;
		}
	}
	free(html);
	html = NULL;
	rc = qes_appraise_table_html(st, &html, err);
	if (rc == QES_ENOTFOUND) {
		/* No checklist chosen: the review has no appraisal yet. */
		qes_error_clear(err);
		return 0;
	}
	if (rc)
		return rc;
	if (html && strstr(html, "<td")) {
		if ((rc = appraisal(cx, html, err))) {
			free(html);
			return rc;
		}
		for (int summary = 0; summary < 2; summary++) {
			char *svg = NULL;
			qes_error why;
			qes_error_clear(&why);
			if (qes_appraise_plot_svg(st, summary, QES_PALETTE_COLOURBLIND, &svg, &why) == 0 && svg) {
				const char *body = strstr(svg, "<svg");
				qes__strbuf_addstr(sb, "<figure>");
				qes__strbuf_addstr(sb, body ? body : svg);
				qes__strbuf_addstr(sb, "</figure>\n");
			}
			free(svg);
		}
	}
	free(html);
	return 0;
}

/* How many findings, and how confident: high, moderate, low, very low. */
static int synthesis_paragraph(report_ctx *cx, long long findings, qes_error *err)
{
	static const char *const levels[] = { "high", "moderate", "low", "very_low" };
	static const char *const words[] = { "high", "moderate", "low", "very low" };
	long long n[4];
	long long assessed = 0;
	for (int i = 0; i < 4; i++) {
		char sql[200];
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM synth_cerqual WHERE component ="
			 " 'overall' AND level = '%s'", levels[i]);
		if ((n[i] = qes_store_count(cx->st, sql, err)) < 0)
			return err->code ? err->code : QES_ESTORE;
		assessed += n[i];
	}
	qes_strbuf p;
	qes__strbuf_init(&p, 1u << 16);
	qes__strbuf_addf(&p, "The synthesis produced %lld review finding%s; %lld %s an overall "
			 "GRADE-CERQual assessment", findings, findings == 1 ? "" : "s", assessed,
			 assessed == 1 ? "has" : "have");
	const char *sep = " (";
	for (int i = 0; i < 4; i++)
		if (n[i]) {
			qes__strbuf_addf(&p, "%s%lld %s confidence", sep, n[i], words[i]);
			sep = ", ";
		}
	qes__strbuf_addstr(&p, *sep == ',' ? ")" : "");
	if (findings > assessed)
		qes__strbuf_addf(&p, " and %lld %s not assessed yet", findings - assessed,
				 findings - assessed == 1 ? "is" : "are");
	qes__strbuf_addstr(&p, ". The evidence profile gives the reasons for each judgement.");
	int rc = qes__strbuf_str(&p) ? paragraph(cx, "synthesis", qes__strbuf_str(&p), err)
				     : qes_error_set(err, QES_ENOMEM, "out of memory");
	qes__strbuf_release(&p);
	return rc;
}

/* Review findings with their GRADE-CERQual assessment, and what the
 * lived-experience advisory group did; nothing when neither exists. */
static int synthesis(report_ctx *cx, qes_error *err)
{
	qes_store *st = cx->st;
	qes_strbuf *sb = cx->sb;
	long long findings = qes_store_count(st, "synth_findings", err);
	long long leag = qes_store_count(st, "SELECT (SELECT count(*) FROM synth_workshops) +"
					 " (SELECT count(*) FROM synth_comments)", err);
	char *html = NULL;
	int rc = 0;
	if (findings < 0 || leag < 0)
		return err->code ? err->code : QES_ESTORE;
	if (findings > 0) {
		if ((rc = qes_cerqual_soqf_text(st, QES_TABLE_HTML, &html, err)))
			return rc;
		qes__strbuf_addstr(sb, "<h2>Summary of qualitative findings</h2>\n");
		if ((rc = synthesis_paragraph(cx, findings, err))) {
			free(html);
			return rc;
		}
		qes__strbuf_addstr(sb, html);
		free(html);
		html = NULL;
		if ((rc = qes_cerqual_profile_text(st, QES_TABLE_HTML, &html, err)))
			return rc;
		qes__strbuf_addstr(sb, "<h2>GRADE-CERQual evidence profile</h2>\n");
		qes__strbuf_addstr(sb, html);
		free(html);
		html = NULL;
	}
	if (leag > 0) {
		json_t *log = qes_advisory_log_json(st, err);
		if (!log)
			return err->code ? err->code : QES_ENOMEM;
		json_t *c = json_object_get(log, "counts");
		long long na = json_integer_value(json_object_get(c, "advisors")),
			  nw = json_integer_value(json_object_get(c, "workshops")),
			  nc = json_integer_value(json_object_get(c, "comments"));
		qes__strbuf_addf(sb, "<h2>Lived-experience advisory group</h2>\n<p>%lld advisor%s, "
				     "%lld workshop%s, %lld comment%s: %lld adopted, %lld partly adopted, "
				     "%lld not adopted, %lld awaiting a response.</p>\n",
				 na, na == 1 ? "" : "s", nw, nw == 1 ? "" : "s", nc, nc == 1 ? "" : "s",
				 (long long)json_integer_value(json_object_get(c, "adopted")),
				 (long long)json_integer_value(json_object_get(c, "partly")),
				 (long long)json_integer_value(json_object_get(c, "not_adopted")),
				 (long long)json_integer_value(json_object_get(c, "pending")));
		rc = qes_advisory_log_render(log, QES_TABLE_HTML, &html, err);
		json_decref(log);
		if (rc)
			return rc;
		qes__strbuf_addstr(sb, html);
		free(html);
	}
	return 0;
}

/* The themes table (theme, subtheme, illustrative quotes) and the
 * theme-by-perspective matrix, when the review has themes. Every coder's
 * codings count (the lead's view). */
static int themes(report_ctx *cx, qes_error *err)
{
	qes_store *st = cx->st;
	qes_strbuf *sb = cx->sb;
	long long n = qes_store_count(st, "code_themes", err);
	if (n <= 0)
		return n < 0 ? QES_ESTORE : 0;
	char *html = NULL;
	int rc = qes_theme_table_html(st, 3, NULL, &html, err);
	if (rc)
		return rc;
	qes__strbuf_addstr(sb, "<h2>Themes</h2>\n");
	qes__strbuf_addstr(sb, html);
	free(html);
	html = NULL;
	json_t *m = qes_query_matrix_json(st, "perspective", NULL, err), *g = NULL;
	if (!m || !(g = qes_query_grid("matrix", m, err)) ||
	    (rc = qes_grid_html(g, "qes-matrix", &html, err))) {
		json_decref(m);
		json_decref(g);
		return rc ? rc : err->code ? err->code : QES_ENOMEM;
	}
	qes__strbuf_addstr(sb, "<h3>Themes by perspective (studies, distinct passages and"
			   " coders' spans)</h3>\n");
	qes__strbuf_addstr(sb, html);
	free(html);
	json_decref(m);
	json_decref(g);
	html = NULL;
	/* What each theme and finding keeps without the weak studies. */
	if ((rc = qes_theme_sensitivity_html(st, NULL, &html, err)))
		return rc;
	qes__strbuf_addstr(sb, "<h3>Sensitivity to studies with serious concerns</h3>\n");
	qes__strbuf_addstr(sb, html);
	free(html);
	return 0;
}

/* The ENTREQ statement: each item, where the report (or the authors)
 * answer it. */
static int entreq(report_ctx *cx, qes_error *err)
{
	char *html = NULL;
	int rc = qes_entreq_text(cx->st, QES_TABLE_HTML, &html, err);
	if (rc)
		return rc;
	qes__strbuf_addstr(cx->sb, "<h2>ENTREQ: enhancing transparency in reporting the synthesis "
			       "of qualitative research</h2>\n<p class=\"note\">Tong et al. (2012), "
			       "BMC Medical Research Methodology 12:181. Each item with what the "
			       "review's data answer and what the authors added (qes entreq).</p>\n");
	qes__strbuf_addstr(cx->sb, html);
	free(html);
	return 0;
}

static int build(qes_store *st, json_t *texts, char **html, size_t *len, qes_error *err)
{
	qes_strbuf sb;
	qes__strbuf_init(&sb, 256u << 20);
	report_ctx cx = { st, &sb, texts };
	char *title = NULL;
	int rc = qes_store_get_meta(st, "title", &title, err);
	if (rc)
		return rc;
	char when[32];
	time_t now = time(NULL);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", gmtime(&now));
	qes__strbuf_addstr(&sb, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
				"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
				"<title>");
	esc(&sb, title ? title : "Review report");
	qes__strbuf_addf(&sb, "</title><style>%s</style></head><body>\n<h1>", css);
	esc(&sb, title ? title : qes_store_path(st));
	qes__strbuf_addf(&sb, "</h1>\n<p class=\"note\">Generated by qes on %s from ", when);
	esc(&sb, qes_store_path(st));
	qes__strbuf_addstr(&sb, ". Every number is computed from the review's data.</p>\n");
	free(title);
	if ((rc = eligibility(&cx, err)) || (rc = searches(&cx, err)) ||
	    (rc = diagram(st, &sb, err)) || (rc = screening(&cx, err)) ||
	    (rc = studies(&cx, err)) || (rc = excluded_fulltexts(&cx, err)) ||
	    (rc = characteristics(&cx, err)) || (rc = themes(&cx, err)) ||
	    (rc = synthesis(&cx, err)) || (rc = entreq(&cx, err)) ||
	    (rc = qes__selfcheck_report_html(st, &sb, err))) {
		qes__strbuf_release(&sb);
		return rc;
	}
	qes__strbuf_addstr(&sb, "</body></html>\n");
	if (!sb.buf) {
		qes__strbuf_release(&sb);
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	}
	*html = qes__strbuf_detach(&sb, len);
	return 0;
}

int qes_report_html(qes_store *st, char **html, size_t *len, qes_error *err)
{
	return build(st, NULL, html, len, err);
}

json_t *qes_report_texts_json(qes_store *st, qes_error *err)
{
	json_t *texts = json_array();
	char *html = NULL;
	size_t len;
	if (!texts) {
		qes_error_set(err, QES_ENOMEM, "out of memory");
		return NULL;
	}
	if (build(st, texts, &html, &len, err)) {
		json_decref(texts);
		return NULL;
	}
	free(html);
	/* Sections the review has no data for yet still list an edited text. */
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(qes_store_db(st), "SELECT section, text, edited_by, edited_at"
			       " FROM report_texts ORDER BY section", -1, &s, NULL) != SQLITE_OK) {
		json_decref(texts);
		qes_store_sqlerr(st, err, "reading the report's texts");
		return NULL;
	}
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *sec = (const char *)sqlite3_column_text(s, 0);
		size_t i;
		json_t *e;
		int seen = 0;
		json_array_foreach(texts, i, e)
			seen |= !strcmp(json_string_value(json_object_get(e, "section")), sec);
		if (!seen)
			json_array_append_new(texts, json_pack("{s:s, s:b, s:s, s:n, s:s?, s:s?}",
				"section", sec, "edited", 1, "text", sqlite3_column_text(s, 1),
				"generated", "edited_by", sqlite3_column_text(s, 2), "edited_at",
				sqlite3_column_text(s, 3)));
	}
	sqlite3_finalize(s);
	return texts;
}

int qes_report_text_set(qes_store *st, const char *section, const char *text, const char *by,
			qes_error *err)
{
	if (!qes_report_section_valid(section))
		return qes_error_set(err, QES_EINVAL, "no report section '%s' (sections: eligibility, "
				     "searches, screening, studies, appraisal, synthesis)",
				     section ? section : "");
	if (text && strlen(text) > QES_REPORT_TEXT_MAX)
		return qes_error_set(err, QES_ELIMIT, "a section's text may be at most %u bytes",
				     QES_REPORT_TEXT_MAX);
	int rc = qes_store_begin(st, err);
	if (rc)
		return rc;
	sqlite3_stmt *s = NULL;
	const char *sql = text && *text
		? "INSERT INTO report_texts(section, text, edited_by) VALUES (?1, ?2, ?3)"
		  " ON CONFLICT(section) DO UPDATE SET text = ?2, edited_by = ?3,"
		  " edited_at = strftime('%Y-%m-%dT%H:%M:%SZ','now')"
		: "DELETE FROM report_texts WHERE section = ?1";
	if (sqlite3_prepare_v2(qes_store_db(st), sql, -1, &s, NULL) != SQLITE_OK) {
		rc = qes_store_sqlerr(st, err, "saving the report's text");
		goto fail;
	}
	sqlite3_bind_text(s, 1, section, -1, SQLITE_STATIC);
	if (text && *text) {
		sqlite3_bind_text(s, 2, text, -1, SQLITE_STATIC);
		if (by)
			sqlite3_bind_text(s, 3, by, -1, SQLITE_STATIC);
	}
	if (sqlite3_step(s) != SQLITE_DONE) {
		rc = qes_store_sqlerr(st, err, "saving the report's text");
		goto fail;
	}
	sqlite3_finalize(s);
	return qes_store_commit(st, err);
fail:
	sqlite3_finalize(s);
	qes_store_rollback(st);
	return rc;
}

int qes_report_office(qes_store *st, const char *format, char **bytes, size_t *len,
		      qes_error *err)
{
	*bytes = NULL;
	*len = 0;
	if (!format || (strcmp(format, "docx") && strcmp(format, "xlsx")))
		return qes_error_set(err, QES_EINVAL, "the report is written as docx or xlsx, not '%s'",
				     format ? format : "");
	/* The writers write files (libxlsxwriter only does): one in the
	 * temporary folder, read back and removed. */
	const char *dir = getenv("TMPDIR");
	char path[4096];
	snprintf(path, sizeof(path), "%s/qes-report-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0)
		return qes_error_set(err, QES_EIO, "cannot make a temporary file: %s", strerror(errno));
	close(fd);
	char named[4200];
	snprintf(named, sizeof(named), "%s.%s", path, format);
	int rc = qes_report_write(st, named, err);
	FILE *f = rc ? NULL : fopen(named, "rb");
	if (!rc && !f)
		rc = qes_error_set(err, QES_EIO, "cannot read back %s: %s", named, strerror(errno));
	if (f) {
		FILE *m = open_memstream(bytes, len);
		char buf[65536];
		size_t n;
		while (m && (n = fread(buf, 1, sizeof(buf), f)) > 0)
			fwrite(buf, 1, n, m);
		if (!m || ferror(f) || fclose(m)) {
			rc = qes_error_set(err, QES_EIO, "cannot read back %s", named);
			if (m) {
				free(*bytes);
				*bytes = NULL;
			}
		}
		fclose(f);
	}
	unlink(named);
	unlink(path);
	return rc;
}

int qes_report_write(qes_store *st, const char *path, qes_error *err)
{
	char *html = NULL;
	size_t len = 0;
	int rc = qes_report_html(st, &html, &len, err);
	if (rc)
		return rc;
	if (qes_table_path_is_office(path)) {
		rc = qes_table_export(html, len, 1, NULL, path, err);
		free(html);
		return rc;
	}
	size_t plen = strlen(path);
	char *tmp = malloc(plen + 16);
	if (!tmp) {
		free(html);
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	}
	snprintf(tmp, plen + 16, "%s.tmpXXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0 || write(fd, html, len) != (ssize_t)len || fsync(fd) || close(fd)) {
		rc = qes_error_set(err, QES_EIO, "cannot write %s: %s", path, strerror(errno));
		if (fd >= 0)
			unlink(tmp);
	} else {
		rc = qes__replace_file(tmp, path, err);
	}
	free(tmp);
	free(html);
	return rc;
}
