/* report.c: the review report as one self-contained HTML page (inline CSS
 * and SVG, no scripts, no outside files), so it can be mailed, archived or
 * opened in Word. Each section asks its module; nothing is typed by hand. */
#include "qes/report.h"
#include "replace_file.h"
#include "qes/advisory.h"
#include "qes/appraise.h"
#include "qes/cerqual.h"
#include "qes/prisma.h"
#include "qes/screen.h"
#include "qes/study.h"
#include "qes/theme.h"
#include "screen_internal.h"
#include "strbuf.h"

#include <errno.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static const char css[] =
	"body{font-family:'DejaVu Sans',Arial,Helvetica,sans-serif;max-width:72rem;margin:2rem auto;"
	"padding:0 1rem;color:#111;line-height:1.45}"
	"h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2.2rem;border-bottom:1px solid #ccc}"
	"table{border-collapse:collapse;margin:.6rem 0;font-size:.92rem}"
	"th,td{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top}"
	"th{background:#f0f0f0}td.n{text-align:right;font-variant-numeric:tabular-nums}td.d{white-space:nowrap}"
	".note{color:#555;font-size:.9rem}.warn{background:#fff4d6;border:1px solid #e0b000;"
	"padding:.5rem .8rem}p.q{margin:.2rem 0}.who,.study{color:#444}figure{margin:1rem 0;overflow-x:auto}svg{max-width:100%;height:auto}";

static int searches(qes_store *st, qes_strbuf *sb, qes_error *err)
{
	sqlite3_stmt *s;
	const char *sql =
		"SELECT s.name, s.method, i.searched, i.records, i.file_name, i.format,"
		" i.search_string FROM imports i JOIN sources s ON s.id = i.source_id"
		" ORDER BY s.id, i.id";
	if (sqlite3_prepare_v2(qes_store_db(st), sql, -1, &s, NULL) != SQLITE_OK)
		return qes_store_sqlerr(st, err, "listing searches");
	qes__strbuf_addstr(sb, "<h2>Searches</h2>\n<table><tr><th>Source</th><th>Method</th>"
			       "<th>Searched</th><th>Records</th><th>File</th><th>Search</th></tr>\n");
	long total = 0;
	while (sqlite3_step(s) == SQLITE_ROW) {
		qes__strbuf_addstr(sb, "<tr>");
		cell(sb, "td", (const char *)sqlite3_column_text(s, 0));
		cell(sb, "td", (const char *)sqlite3_column_text(s, 1));
		qes__strbuf_addstr(sb, "<td class=\"d\">");
		esc(sb, sqlite3_column_text(s, 2) ? (const char *)sqlite3_column_text(s, 2) : "");
		qes__strbuf_addstr(sb, "</td>");
		long n = (long)sqlite3_column_int64(s, 3);
		total += n;
		qes__strbuf_addf(sb, "<td class=\"n\">%ld</td>", n);
		qes__strbuf_addstr(sb, "<td>");
		esc(sb, (const char *)sqlite3_column_text(s, 4));
		qes__strbuf_addstr(sb, " (");
		esc(sb, (const char *)sqlite3_column_text(s, 5));
		qes__strbuf_addstr(sb, ")</td>");
		cell(sb, "td", sqlite3_column_text(s, 6) ? (const char *)sqlite3_column_text(s, 6) : "");
		qes__strbuf_addstr(sb, "</tr>\n");
	}
	sqlite3_finalize(s);
	qes__strbuf_addf(sb, "<tr><th colspan=\"3\">All sources</th><td class=\"n\">%ld</td>"
			     "<td colspan=\"2\"></td></tr></table>\n", total);
	return 0;
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
		qes__strbuf_addstr(sb, "<td>not defined (one category only)</td></tr>\n");
	else
		qes__strbuf_addf(sb, "<td class=\"n\">%.2f (95%% CI %.2f to %.2f)</td></tr>\n",
				 p->k.kappa, p->k.ci_low, p->k.ci_high);
	return 0;
}

static int screening(qes_store *st, qes_strbuf *sb, qes_error *err)
{
	qes__strbuf_addstr(sb, "<h2>Screening</h2>\n");
	static const char *const names[] = { "Title and abstract", "Full text" };
	for (int stage = 0; stage < 2; stage++) {
		qes_progress pg;
		int rc = qes_screen_progress(st, NULL, (qes_stage)stage, &pg, err);
		if (rc)
			return rc;
		qes__strbuf_addf(sb, "<h3>%s</h3>\n<p>%ld of %ld records screened: %ld included, "
				     "%ld excluded, %ld unsure, %ld in conflict, %ld waiting. "
				     "%ld needed two reviewers.</p>\n",
				 names[stage], pg.screened, pg.pool, pg.included, pg.excluded,
				 pg.unsure, pg.conflicts, pg.pending, pg.double_needed);
		size_t before = sb->len;
		qes__strbuf_addstr(sb, "<table><tr><th>Reviewers</th><th>Both decided</th>"
				       "<th>Agreement</th><th>Cohen's kappa</th></tr>\n");
		size_t header = sb->len;
		rc = qes_agreement_foreach(st, (qes_stage)stage, agreement_row, sb, err);
		if (rc)
			return rc;
		if (sb->len == header)
			qes__strbuf_truncate(sb, before);
		else
			qes__strbuf_addstr(sb, "</table>\n");
	}
	return 0;
}

static int studies(qes_store *st, qes_strbuf *sb, qes_error *err)
{
	json_t *list = qes_study_list_json(st, err);
	if (!list)
		return err->code ? err->code : QES_ENOMEM;
	qes__strbuf_addf(sb, "<h2>Included studies (%zu)</h2>\n", json_array_size(list));
	if (json_array_size(list)) {
		qes__strbuf_addstr(sb, "<table><tr><th>Study</th><th>Title</th><th>Reports</th></tr>\n");
		size_t i;
		json_t *s;
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
		qes__strbuf_addstr(sb, "</table>\n");
	}
	json_decref(list);
	return 0;
}

static int excluded_fulltexts(qes_store *st, qes_strbuf *sb, qes_error *err)
{
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

static int characteristics(qes_store *st, qes_strbuf *sb, qes_error *err)
{
	char *html = NULL;
	int rc = qes_study_table_html(st, &html, err);
	if (rc)
		return rc;
	if (html && strstr(html, "<td")) {
		qes__strbuf_addstr(sb, "<h2>Characteristics of included studies</h2>\n");
		qes__strbuf_addstr(sb, html);
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
		qes__strbuf_addstr(sb, "<h2>Quality appraisal</h2>\n");
		qes__strbuf_addstr(sb, html);
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

/* Review findings with their GRADE-CERQual assessment, and what the
 * lived-experience advisory group did; nothing when neither exists. */
static int synthesis(qes_store *st, qes_strbuf *sb, qes_error *err)
{
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
static int themes(qes_store *st, qes_strbuf *sb, qes_error *err)
{
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
	qes__strbuf_addstr(sb, "<h3>Themes by perspective (studies and coded spans)</h3>\n");
	qes__strbuf_addstr(sb, html);
	free(html);
	json_decref(m);
	json_decref(g);
	return 0;
}

int qes_report_html(qes_store *st, char **html, size_t *len, qes_error *err)
{
	qes_strbuf sb;
	qes__strbuf_init(&sb, 256u << 20);
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
	if ((rc = searches(st, &sb, err)) || (rc = diagram(st, &sb, err)) ||
	    (rc = screening(st, &sb, err)) || (rc = studies(st, &sb, err)) ||
	    (rc = excluded_fulltexts(st, &sb, err)) || (rc = characteristics(st, &sb, err)) ||
	    (rc = themes(st, &sb, err)) || (rc = synthesis(st, &sb, err))) {
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

int qes_report_write(qes_store *st, const char *path, qes_error *err)
{
	char *html = NULL;
	size_t len = 0;
	int rc = qes_report_html(st, &html, &len, err);
	if (rc)
		return rc;
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
