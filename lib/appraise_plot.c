/* appraise_plot.c: robvis-style plots of an appraisal, as hand-written SVG.
 *
 * Traffic-light plot: one row per study, one column per rating question,
 * a coloured circle per answer with a symbol (+ yes, - no, ? can't tell) so
 * the plot reads without colour. Summary plot: one stacked 100% bar per
 * question with the share of studies per answer. Every mark carries
 * data-study / data-question / data-answer attributes for tests and the
 * web UI. Palettes: robvis' traffic-light colours, or a colour-blind-safe
 * set from Okabe & Ito (2008) (blue, yellow, vermillion). */
#include "study_internal.h"
#include "appraise_internal.h"

#include <stdlib.h>
#include <string.h>
#include "qes/appraise.h"

enum { A_YES, A_CANT, A_NO, A_NONE, A_N };
static const char *const answer_ids[A_N] = { "yes", "cant_tell", "no", "none" };
static const char *const answer_names[A_N] = { "Yes", "Can't tell", "No", "Not rated or unresolved" };
static const char *const symbols[A_N] = { "+", "?", "-", "" };
static const char *const palettes[2][A_N] = {
	{ "#02C100", "#E2DF07", "#BF0000", "#BBBBBB" },   /* robvis */
	{ "#0072B2", "#F0E442", "#D55E00", "#BBBBBB" },   /* Okabe-Ito */
};
static const char *const ink[2][A_N] = {
	{ "#000000", "#000000", "#FFFFFF", "#000000" },
	{ "#FFFFFF", "#000000", "#FFFFFF", "#000000" },
};

static int answer_of(const char *a)
{
	for (int i = 0; a && i < A_NONE; i++)
		if (!strcmp(a, answer_ids[i]))
			return i;
	return A_NONE;
}

static void esc(qes_strbuf *sb, const char *s)
{
	qes__html_escape(sb, s);
}

static void legend(qes_strbuf *sb, int pal, int x, int y)
{
	static const int offset[A_N] = { 0, 80, 200, 270 };   /* by label length */
	for (int i = 0; i < A_N; i++) {
		int cx = x + offset[i];
		qes__strbuf_addf(sb, "<circle cx=\"%d\" cy=\"%d\" r=\"8\" fill=\"%s\" stroke=\"#333333\"/>"
				 "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"11\" fill=\"%s\">%s</text>"
				 "<text x=\"%d\" y=\"%d\" font-size=\"12\">%s</text>\n",
				 cx, y, palettes[pal][i], cx, y + 4, ink[pal][i], symbols[i],
				 cx + 14, y + 4, answer_names[i]);
	}
}

static int traffic(qes_strbuf *sb, json_t *t, json_t *qs, int pal)
{
	json_t *studies = json_object_get(t, "studies");
	int nq = (int)json_array_size(qs), ns = (int)json_array_size(studies);
	int left = 200, top = 60, cw = 44, rh = 34;
	int w = left + nq * cw + 20 < 640 ? 640 : left + nq * cw + 20;
	int h = top + ns * rh + 60;
	qes__strbuf_addf(sb, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
			 "viewBox=\"0 0 %d %d\" font-family=\"Helvetica, Arial, sans-serif\" "
			 "role=\"img\" class=\"qes-traffic-light\">\n"
			 "<title>Quality appraisal: answers per study and question</title>\n"
			 "<rect width=\"100%%\" height=\"100%%\" fill=\"#FFFFFF\"/>\n", w, h, w, h);
	size_t i, j;
	json_t *q, *row;
	qes__strbuf_addstr(sb, "<g class=\"header\">\n");
	json_array_foreach(qs, j, q) {
		qes__strbuf_addf(sb, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"11\" "
				 "font-weight=\"bold\"><title>", left + (int)j * cw + cw / 2, top - 14);
		esc(sb, json_string_value(json_object_get(q, "text")));
		qes__strbuf_addstr(sb, "</title>");
		esc(sb, json_string_value(json_object_get(q, "id")));
		qes__strbuf_addstr(sb, "</text>\n");
	}
	qes__strbuf_addstr(sb, "</g>\n");
	json_array_foreach(studies, i, row) {
		int y = top + (int)i * rh + rh / 2;
		const char *key = json_string_value(json_object_get(row, "study"));
		qes__strbuf_addstr(sb, "<g class=\"row\" data-study=\"");
		esc(sb, key);
		qes__strbuf_addf(sb, "\">\n<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"12\">",
				 left - 10, y + 4);
		esc(sb, json_string_value(json_object_get(row, "label")));
		qes__strbuf_addstr(sb, "</text>\n");
		json_array_foreach(qs, j, q) {
			const char *qid = json_string_value(json_object_get(q, "id"));
			int a = answer_of(json_string_value(json_object_get(json_object_get(row, "answers"), qid)));
			int cx = left + (int)j * cw + cw / 2;
			qes__strbuf_addstr(sb, "<circle class=\"cell\" data-study=\"");
			esc(sb, key);
			qes__strbuf_addstr(sb, "\" data-question=\"");
			esc(sb, qid);
			qes__strbuf_addf(sb, "\" data-answer=\"%s\" cx=\"%d\" cy=\"%d\" r=\"13\" fill=\"%s\" "
					 "stroke=\"#333333\"/>", answer_ids[a], cx, y, palettes[pal][a]);
			qes__strbuf_addf(sb, "<text class=\"symbol\" x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
					 "font-size=\"16\" font-weight=\"bold\" fill=\"%s\">%s</text>\n",
					 cx, y + 5, ink[pal][a], symbols[a]);
		}
		qes__strbuf_addstr(sb, "</g>\n");
	}
	qes__strbuf_addstr(sb, "<g class=\"legend\">\n");
	legend(sb, pal, 20, top + ns * rh + 30);
	return qes__strbuf_addstr(sb, "</g>\n</svg>\n");
}

static int summary(qes_strbuf *sb, json_t *t, json_t *qs, int pal)
{
	json_t *studies = json_object_get(t, "studies");
	int nq = (int)json_array_size(qs), ns = (int)json_array_size(studies);
	int left = 110, top = 30, bw = 480, rh = 30;
	int w = left + bw + 30, h = top + nq * rh + 60;
	qes__strbuf_addf(sb, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
			 "viewBox=\"0 0 %d %d\" font-family=\"Helvetica, Arial, sans-serif\" "
			 "role=\"img\" class=\"qes-summary\">\n"
			 "<title>Quality appraisal: share of studies per answer, by question</title>\n"
			 "<rect width=\"100%%\" height=\"100%%\" fill=\"#FFFFFF\"/>\n", w, h, w, h);
	size_t i, j;
	json_t *q, *row;
	json_array_foreach(qs, j, q) {
		const char *qid = json_string_value(json_object_get(q, "id"));
		int n[A_N] = { 0 };
		json_array_foreach(studies, i, row)
			n[answer_of(json_string_value(json_object_get(json_object_get(row, "answers"), qid)))]++;
		int y = top + (int)j * rh;
		qes__strbuf_addstr(sb, "<g class=\"question\" data-question=\"");
		esc(sb, qid);
		qes__strbuf_addf(sb, "\">\n<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"12\">"
				 "<title>", left - 8, y + rh / 2 + 2);
		esc(sb, json_string_value(json_object_get(q, "text")));
		qes__strbuf_addstr(sb, "</title>");
		esc(sb, qid);
		qes__strbuf_addstr(sb, "</text>\n");
		double x = left;
		for (int a = 0; a < A_N; a++) {
			if (!n[a])
				continue;
			double pct = ns ? 100.0 * n[a] / ns : 0, width = bw * pct / 100.0;
			qes__strbuf_addstr(sb, "<rect class=\"bar\" data-question=\"");
			esc(sb, qid);
			qes__strbuf_addf(sb, "\" data-answer=\"%s\" data-n=\"%d\" data-percent=\"%.1f\" "
					 "x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\" fill=\"%s\" "
					 "stroke=\"#333333\" stroke-width=\"0.5\"/>",
					 answer_ids[a], n[a], pct, x, y + 3, width, rh - 6, palettes[pal][a]);
			if (width >= 30)
				qes__strbuf_addf(sb, "<text x=\"%.2f\" y=\"%d\" text-anchor=\"middle\" "
						 "font-size=\"11\" fill=\"%s\">%.0f%%</text>",
						 x + width / 2, y + rh / 2 + 4, ink[pal][a], pct);
			qes__strbuf_addch(sb, '\n');
			x += width;
		}
		qes__strbuf_addstr(sb, "</g>\n");
	}
	qes__strbuf_addstr(sb, "<g class=\"legend\">\n");
	legend(sb, pal, 20, top + nq * rh + 30);
	return qes__strbuf_addstr(sb, "</g>\n</svg>\n");
}

int qes_appraise_plot_svg(qes_store *st, int want_summary, enum qes_palette pal,
			  char **svg, qes_error *err)
{
	qes_strbuf sb = QES_STRBUF_INIT(1u << 30);
	json_t *t = NULL, *qs = json_array();
	int rc;
	*svg = NULL;
	if ((rc = qes_checklist_ensure_default(st, err)))
		goto out;
	if (!(t = qes_appraise_table_json(st, err))) {
		rc = err->code ? err->code : QES_ENOMEM;
		goto out;
	}
	size_t j;
	json_t *q;
	json_array_foreach(json_object_get(t, "questions"), j, q)
		if (!strcmp(json_string_value(json_object_get(q, "type")), "rating"))
			json_array_append(qs, q);
	int p = pal == QES_PALETTE_COLOURBLIND;
	rc = want_summary ? summary(&sb, t, qs, p) : traffic(&sb, t, qs, p);
	if (rc) {
		qes_error_set(err, rc, "plot too large or out of memory");
		goto out;
	}
	*svg = qes__strbuf_detach(&sb, NULL);
out:
	json_decref(t);
	json_decref(qs);
	qes__strbuf_release(&sb);
	return rc;
}
