/* prisma_svg.c: lays out the PRISMA 2020 flow diagram and writes it as SVG.
 *
 * Layout: phase bands down the left edge (Identification, Screening,
 * Included); one column per identification route (databases and registers,
 * and other methods when there are any; previous studies for an update),
 * each a main box per row with its "removed/excluded" box to the right.
 * Text is wrapped by measuring it with cairo in DejaVu Sans, which is wider
 * than the Arial/Helvetica most viewers substitute, so text measured to fit
 * fits everywhere. Row heights grow with their tallest box, so long database
 * lists and many exclusion reasons still lay out cleanly. */
#include "qes/prisma.h"
#include "strbuf.h"

#include <cairo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FONT_FAMILY   "DejaVu Sans"
#define SVG_FONTS     "DejaVu Sans, Arial, Helvetica, sans-serif"
#define FONT_SIZE     13.0
#define LINE_H        17.0
#define PAD           9.0
#define BOX_W         262.0
#define GAP_X         44.0     /* between a main box and its side box */
#define COL_GAP       40.0     /* between columns */
#define GAP_Y         38.0     /* between rows */
#define BAND_W        32.0
#define MARGIN        16.0
#define HEADER_H      44.0
#define ROWS          5        /* identification, screening, sought, assessed, included */
#define MAX_LINES     400

typedef struct text_line {
	char *s;
	int bold, indent;
} text_line;

typedef struct box {
	int used;
	text_line lines[MAX_LINES];
	int n;
	double x, y, w, h;
} box;

typedef struct layout {
	cairo_t *cr;
	cairo_surface_t *surf;
	box main[3][ROWS];      /* [column][row]; column 0 previous, 1 databases, 2 other */
	box side[3][ROWS];
	box included;
	box foot;               /* footnotes, wrapped to the diagram's width */
	int has_prev, has_other;
	double row_y[ROWS], row_h[ROWS];
	double col_x[3];
	double width, height;
	int oom;
} layout;

static double text_width(layout *L, const char *s, int bold)
{
	cairo_select_font_face(L->cr, FONT_FAMILY, CAIRO_FONT_SLANT_NORMAL,
			       bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(L->cr, FONT_SIZE);
	cairo_text_extents_t ext;
	cairo_text_extents(L->cr, s, &ext);
	return ext.x_advance;
}

static void push_line(layout *L, box *b, const char *s, size_t n, int bold, int indent)
{
	if (b->n >= MAX_LINES)
		return;
	char *copy = strndup(s, n);
	if (!copy) {
		L->oom = 1;
		return;
	}
	b->lines[b->n++] = (text_line){ copy, bold, indent };
}

/* Greedy word wrap of one paragraph into max pixels. Counts are written
 * "(n\xC2\xA0=\xC2\xA0N)" with no-break spaces so a count never parts from its
 * label; esc() turns them back into spaces in the SVG. */
static void wrap_text(layout *L, box *b, const char *text, int bold, int indent, double max)
{
	const char *start = text;
	b->used = 1;
	while (*start) {
		const char *end = start, *best = NULL;
		for (;;) {
			const char *sp = strchr(end, ' ');
			const char *cand = sp ? sp : end + strlen(end);
			char *trial = strndup(start, (size_t)(cand - start));
			if (!trial) {
				L->oom = 1;
				return;
			}
			double w = text_width(L, trial, bold);
			free(trial);
			if (w > max && best)
				break;
			best = cand;
			if (!sp || w > max)
				break;
			end = sp + 1;
		}
		push_line(L, b, start, (size_t)(best - start), bold, indent);
		start = *best ? best + 1 : best;
	}
}

static void add_text(layout *L, box *b, const char *text, int bold, int indent)
{
	wrap_text(L, b, text, bold, indent, BOX_W - 2 * PAD - indent);
}

static void addf(layout *L, box *b, int bold, int indent, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static void addf(layout *L, box *b, int bold, int indent, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	add_text(L, b, buf, bold, indent);
}

static const char *num(long n, char buf[32])
{
	char tmp[32];
	int len = snprintf(tmp, sizeof(tmp), "%ld", n < 0 ? -n : n), w = 0;
	if (n < 0)
		buf[w++] = '-';
	for (int i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			buf[w++] = ',';
		buf[w++] = tmp[i];
	}
	buf[w] = '\0';
	return buf;
}

static void fill_boxes(layout *L, const qes_prisma *p)
{
	char a[32], b[32];
	const qes_prisma_column *db = &p->db, *ot = &p->other;

	/* Databases and registers. */
	box *id = &L->main[1][0];
	add_text(L, id, "Records identified from*:", 1, 0);
	long databases = db->identified_total - db->registers;
	addf(L, id, 0, 0, "Databases (n\xC2\xA0=\xC2\xA0%s)", num(databases, a));
	for (size_t i = 0; i < db->n_identified; i++)
		addf(L, id, 0, 12, "%s (n\xC2\xA0=\xC2\xA0%s)", db->identified[i].name, num(db->identified[i].n, a));
	addf(L, id, 0, 0, "Registers (n\xC2\xA0=\xC2\xA0%s)", num(db->registers, b));

	box *rm = &L->side[1][0];
	add_text(L, rm, "Records removed before screening:", 1, 0);
	addf(L, rm, 0, 12, "Duplicate records removed (n\xC2\xA0=\xC2\xA0%s)", num(db->duplicates_removed, a));
	addf(L, rm, 0, 12, "Records marked as ineligible by automation tools (n\xC2\xA0=\xC2\xA0%s)",
	     num(db->automation_removed, a));
	addf(L, rm, 0, 12, "Records removed for other reasons (n\xC2\xA0=\xC2\xA0%s)", num(db->other_removed, a));

	addf(L, &L->main[1][1], 0, 0, "Records screened (n\xC2\xA0=\xC2\xA0%s)", num(db->screened, a));
	addf(L, &L->side[1][1], 0, 0, "Records excluded** (n\xC2\xA0=\xC2\xA0%s)", num(db->excluded_screening, a));
	addf(L, &L->main[1][2], 0, 0, "Reports sought for retrieval (n\xC2\xA0=\xC2\xA0%s)", num(db->sought, a));
	addf(L, &L->side[1][2], 0, 0, "Reports not retrieved (n\xC2\xA0=\xC2\xA0%s)", num(db->not_retrieved, a));
	addf(L, &L->main[1][3], 0, 0, "Reports assessed for eligibility (n\xC2\xA0=\xC2\xA0%s)", num(db->assessed, a));
	box *ex = &L->side[1][3];
	add_text(L, ex, "Reports excluded:", 1, 0);
	for (size_t i = 0; i < db->n_excluded_reports; i++)
		addf(L, ex, 0, 12, "%s (n\xC2\xA0=\xC2\xA0%s)", db->excluded_reports[i].name,
		     num(db->excluded_reports[i].n, a));
	if (!db->n_excluded_reports)
		add_text(L, ex, "None (n\xC2\xA0=\xC2\xA0" "0)", 0, 12);

	if (L->has_other) {
		box *oid = &L->main[2][0];
		add_text(L, oid, "Records identified from:", 1, 0);
		for (size_t i = 0; i < ot->n_identified; i++)
			addf(L, oid, 0, 12, "%s (n\xC2\xA0=\xC2\xA0%s)", ot->identified[i].name,
			     num(ot->identified[i].n, a));
		/* Boxes the template lacks in this column (marked with a dagger, explained
		 * in a footnote): without them a record of other methods that
		 * duplicates one already identified, or that is excluded on its
		 * title and abstract, would vanish from the diagram. */
		addf(L, &L->side[2][0], 0, 0, "Duplicate records removed\xE2\x80\xA0" " (n\xC2\xA0=\xC2\xA0%s)",
		     num(ot->duplicates_removed, a));
		addf(L, &L->side[2][1], 0, 0, "Records excluded on title and abstract\xE2\x80\xA0 "
		     "(n\xC2\xA0=\xC2\xA0%s)", num(ot->excluded_screening, a));
		addf(L, &L->main[2][2], 0, 0, "Reports sought for retrieval (n\xC2\xA0=\xC2\xA0%s)", num(ot->sought, a));
		addf(L, &L->side[2][2], 0, 0, "Reports not retrieved (n\xC2\xA0=\xC2\xA0%s)", num(ot->not_retrieved, a));
		addf(L, &L->main[2][3], 0, 0, "Reports assessed for eligibility (n\xC2\xA0=\xC2\xA0%s)", num(ot->assessed, a));
		box *oex = &L->side[2][3];
		add_text(L, oex, "Reports excluded:", 1, 0);
		for (size_t i = 0; i < ot->n_excluded_reports; i++)
			addf(L, oex, 0, 12, "%s (n\xC2\xA0=\xC2\xA0%s)", ot->excluded_reports[i].name,
			     num(ot->excluded_reports[i].n, a));
		if (!ot->n_excluded_reports)
			add_text(L, oex, "None (n\xC2\xA0=\xC2\xA0" "0)", 0, 12);
	}
	if (L->has_prev) {
		box *pv = &L->main[0][0];
		add_text(L, pv, "Previous studies", 1, 0);
		addf(L, pv, 0, 0, "Studies included in previous version of review (n\xC2\xA0=\xC2\xA0%s)",
		     num(p->previous_studies, a));
		addf(L, pv, 0, 0, "Reports of studies included in previous version of review (n\xC2\xA0=\xC2\xA0%s)",
		     num(p->previous_reports, a));
		addf(L, &L->included, 0, 0, "New studies included in review (n\xC2\xA0=\xC2\xA0%s)",
		     num(p->studies_included, a));
		addf(L, &L->included, 0, 0, "Reports of new included studies (n\xC2\xA0=\xC2\xA0%s)",
		     num(p->reports_included, a));
		addf(L, &L->included, 1, 0, "Total studies included in review (n\xC2\xA0=\xC2\xA0%s)",
		     num(p->studies_included + p->previous_studies, a));
		addf(L, &L->included, 1, 0, "Reports of total included studies (n\xC2\xA0=\xC2\xA0%s)",
		     num(p->reports_included + p->previous_reports, a));
	} else {
		addf(L, &L->included, 0, 0, "Studies included in review (n\xC2\xA0=\xC2\xA0%s)",
		     num(p->studies_included, a));
		addf(L, &L->included, 0, 0, "Reports of included studies (n\xC2\xA0=\xC2\xA0%s)",
		     num(p->reports_included, a));
	}
}

static double box_h(const box *b)
{
	return b->n * LINE_H + 2 * PAD;
}

static void place(layout *L)
{
	double x = MARGIN + BAND_W + 14;
	for (int c = 0; c < 3; c++) {
		L->col_x[c] = x;
		int on = c == 1 || (c == 0 && L->has_prev) || (c == 2 && L->has_other);
		if (on)
			x += c == 0 ? BOX_W + COL_GAP : 2 * BOX_W + GAP_X + COL_GAP;
	}
	L->width = x - COL_GAP + MARGIN;
	double y = MARGIN + HEADER_H + 14;
	for (int r = 0; r < ROWS; r++) {
		double h = 0;
		for (int c = 0; c < 3; c++) {
			if (L->main[c][r].used && box_h(&L->main[c][r]) > h)
				h = box_h(&L->main[c][r]);
			if (L->side[c][r].used && box_h(&L->side[c][r]) > h)
				h = box_h(&L->side[c][r]);
		}
		if (r == 4)
			h = box_h(&L->included);
		/* A band's rotated label must fit its height. */
		double label = text_width(L, r == 0 ? "Identification" : r == 4 ? "Included"
					  : "", 1) + 2 * PAD;
		if (h < label)
			h = label;
		if (r == 1 && h == 0)
			h = LINE_H + 2 * PAD;
		L->row_y[r] = y;
		L->row_h[r] = h;
		y += h + GAP_Y;
	}
	static const char *const notes[] = {
		"*Consider, if feasible to do so, reporting the number of records identified from "
		"each database or register searched (rather than the total number across all "
		"databases/registers).",
		"**If automation tools were used, indicate how many records were excluded by a "
		"human and how many were excluded by automation tools.",
		"\xE2\x80\xA0" "Added to the template so that every record found by other methods is "
		"accounted for, from the number identified to the number included (PRISMA 2020 "
		"item 16a; Page et al., BMJ 2021;372:n160).",
		"From: Page MJ, et al. The PRISMA 2020 statement: an updated guideline for "
		"reporting systematic reviews. BMJ 2021;372:n71.",
	};
	for (size_t i = 0; i < sizeof(notes) / sizeof(notes[0]); i++)
		if (i != 2 || L->has_other)
			wrap_text(L, &L->foot, notes[i], 0, 0, L->width - 2 * MARGIN);
	L->foot.x = MARGIN;
	L->foot.y = y - GAP_Y + 14;
	L->height = L->foot.y + L->foot.n * LINE_H + MARGIN;
	for (int c = 0; c < 3; c++)
		for (int r = 0; r < ROWS; r++) {
			box *m = &L->main[c][r], *s = &L->side[c][r];
			/* Boxes keep their natural height, centred in their row,
			 * so arrows between rows stay short and straight. */
			m->x = L->col_x[c];
			m->w = BOX_W;
			m->h = box_h(m);
			m->y = L->row_y[r] + (L->row_h[r] - m->h) / 2;
			s->x = L->col_x[c] + BOX_W + GAP_X;
			s->w = BOX_W;
			s->h = box_h(s);
			s->y = L->row_y[r] + (L->row_h[r] - s->h) / 2;
		}
	L->included.x = L->col_x[1];
	L->included.w = BOX_W;
	L->included.h = box_h(&L->included);
	L->included.y = L->row_y[4] + (L->row_h[4] - L->included.h) / 2;
}

/* XML-escapes s into sb. */
static int esc(qes_strbuf *sb, const char *s)
{
	int rc = 0;
	for (; *s && !rc; s++) {
		switch (*s) {
		case '&': rc = qes__strbuf_addstr(sb, "&amp;"); break;
		case '<': rc = qes__strbuf_addstr(sb, "&lt;"); break;
		case '>': rc = qes__strbuf_addstr(sb, "&gt;"); break;
		case '"': rc = qes__strbuf_addstr(sb, "&quot;"); break;
		case '\xC2':
			if (s[1] == '\xA0') {
				rc = qes__strbuf_addch(sb, ' ');
				s++;
				break;
			}
			/* fall through */
		default: rc = qes__strbuf_addch(sb, *s);
		}
	}
	return rc;
}

static void draw_box(qes_strbuf *sb, const box *b, const char *fill, const char *cls)
{
	if (!b->used)
		return;
	qes__strbuf_addf(sb, "<g class=\"box %s\">\n<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
			 "height=\"%.1f\" fill=\"%s\" stroke=\"#000\" stroke-width=\"1\"/>\n",
			 cls, b->x, b->y, b->w, b->h, fill);
	double ty = b->y + (b->h - b->n * LINE_H) / 2 + LINE_H - 4;
	for (int i = 0; i < b->n; i++) {
		qes__strbuf_addf(sb, "<text x=\"%.1f\" y=\"%.1f\"%s>", b->x + PAD + b->lines[i].indent,
				 ty + i * LINE_H, b->lines[i].bold ? " font-weight=\"bold\"" : "");
		esc(sb, b->lines[i].s);
		qes__strbuf_addstr(sb, "</text>\n");
	}
	qes__strbuf_addstr(sb, "</g>\n");
}

static void arrow(qes_strbuf *sb, double x1, double y1, double x2, double y2)
{
	qes__strbuf_addf(sb, "<line class=\"arrow\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
			 "stroke=\"#000\" stroke-width=\"1.2\" marker-end=\"url(#arrow)\"/>\n",
			 x1, y1, x2, y2);
}

static void polyline_arrow(qes_strbuf *sb, double x1, double y1, double xm, double ym,
			   double x2, double y2)
{
	qes__strbuf_addf(sb, "<polyline class=\"arrow\" points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\" "
			 "fill=\"none\" stroke=\"#000\" stroke-width=\"1.2\" "
			 "marker-end=\"url(#arrow)\"/>\n", x1, y1, xm, ym, x2, y2);
}

static void band(qes_strbuf *sb, double y, double h, const char *label)
{
	double x = MARGIN;
	qes__strbuf_addf(sb, "<g class=\"band\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
			 "height=\"%.1f\" rx=\"6\" fill=\"#9dc3e6\" stroke=\"#5b9bd5\"/>\n"
			 "<text x=\"%.1f\" y=\"%.1f\" font-weight=\"bold\" text-anchor=\"middle\" "
			 "transform=\"rotate(-90 %.1f %.1f)\">%s</text></g>\n",
			 x, y, BAND_W, h, x + BAND_W / 2 + 5, y + h / 2,
			 x + BAND_W / 2 + 5, y + h / 2, label);
}

static void header(qes_strbuf *sb, layout *L, double x, double w, const char *fill,
		   const char *text)
{
	/* Headers are short fixed phrases; wrap into two lines when needed. */
	box b = { 0 };
	b.x = x;
	b.y = MARGIN;
	b.w = w;
	b.h = HEADER_H;
	double max = w - 2 * PAD;
	const char *split = NULL;
	if (text_width(L, text, 1) > max) {
		size_t len = strlen(text);
		for (size_t i = len / 2; i > 0; i--)
			if (text[i] == ' ') {
				split = text + i;
				break;
			}
	}
	qes__strbuf_addf(sb, "<g class=\"header\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
			 "height=\"%.1f\" rx=\"6\" fill=\"%s\" stroke=\"#000\"/>\n",
			 b.x, b.y, b.w, b.h, fill);
	double cx = x + w / 2;
	if (split) {
		qes__strbuf_addf(sb, "<text x=\"%.1f\" y=\"%.1f\" font-weight=\"bold\" "
				 "text-anchor=\"middle\">%.*s</text>\n",
				 cx, b.y + HEADER_H / 2 - 3, (int)(split - text), text);
		qes__strbuf_addf(sb, "<text x=\"%.1f\" y=\"%.1f\" font-weight=\"bold\" "
				 "text-anchor=\"middle\">%s</text>", cx, b.y + HEADER_H / 2 + 13, split + 1);
	} else {
		qes__strbuf_addf(sb, "<text x=\"%.1f\" y=\"%.1f\" font-weight=\"bold\" "
				 "text-anchor=\"middle\">%s</text>", cx, b.y + HEADER_H / 2 + 5, text);
	}
	qes__strbuf_addstr(sb, "</g>\n");
}

static void draw(qes_strbuf *sb, layout *L)
{
	qes__strbuf_addf(sb,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
		"viewBox=\"0 0 %.0f %.0f\" font-family=\"%s\" font-size=\"%.0f\">\n"
		"<title>PRISMA 2020 flow diagram</title>\n"
		"<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" "
		"markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\">"
		"<path d=\"M0,0 L10,5 L0,10 z\"/></marker></defs>\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n",
		L->width, L->height, L->width, L->height, SVG_FONTS, FONT_SIZE);
	if (L->has_prev)
		header(sb, L, L->col_x[0], BOX_W, "#d9d9d9", "Previous studies");
	header(sb, L, L->col_x[1], 2 * BOX_W + GAP_X, "#ffc000",
	       "Identification of studies via databases and registers");
	if (L->has_other)
		header(sb, L, L->col_x[2], 2 * BOX_W + GAP_X, "#d9d9d9",
		       "Identification of studies via other methods");
	band(sb, L->row_y[0], L->row_h[0], "Identification");
	band(sb, L->row_y[1], L->row_y[3] + L->row_h[3] - L->row_y[1], "Screening");
	band(sb, L->row_y[4], L->row_h[4], "Included");

	for (int c = 0; c < 3; c++)
		for (int r = 0; r < 4; r++) {
			draw_box(sb, &L->main[c][r], c == 2 ? "#f2f2f2" : "#fff", "main");
			draw_box(sb, &L->side[c][r], c == 2 ? "#f2f2f2" : "#fff", "side");
		}
	draw_box(sb, &L->included, "#fff", "included");

	/* Arrows: down each databases main column, right to each side box. */
	for (int r = 0; r < 4; r++) {
		box *m = &L->main[1][r];
		if (L->side[1][r].used)
			arrow(sb, m->x + m->w, m->y + m->h / 2, L->side[1][r].x, m->y + m->h / 2);
		box *next = r < 3 ? &L->main[1][r + 1] : &L->included;
		arrow(sb, m->x + m->w / 2, m->y + m->h, next->x + next->w / 2, next->y);
	}
	if (L->has_other) {
		box *oid = &L->main[2][0], *os = &L->main[2][2], *oa = &L->main[2][3];
		arrow(sb, oid->x + oid->w / 2, oid->y + oid->h, os->x + os->w / 2, os->y);
		box *odup = &L->side[2][0], *oex = &L->side[2][1];
		arrow(sb, oid->x + oid->w, odup->y + odup->h / 2, odup->x, odup->y + odup->h / 2);
		arrow(sb, oid->x + oid->w / 2, oex->y + oex->h / 2, oex->x, oex->y + oex->h / 2);
		arrow(sb, os->x + os->w, os->y + os->h / 2, L->side[2][2].x, os->y + os->h / 2);
		arrow(sb, os->x + os->w / 2, os->y + os->h, oa->x + oa->w / 2, oa->y);
		arrow(sb, oa->x + oa->w, oa->y + oa->h / 2, L->side[2][3].x, oa->y + oa->h / 2);
		box *inc = &L->included;
		polyline_arrow(sb, oa->x + oa->w / 2, oa->y + oa->h, oa->x + oa->w / 2,
			       inc->y + inc->h / 2, inc->x + inc->w, inc->y + inc->h / 2);
	}
	if (L->has_prev) {
		box *pv = &L->main[0][0], *inc = &L->included;
		polyline_arrow(sb, pv->x + pv->w / 2, pv->y + pv->h, pv->x + pv->w / 2,
			       inc->y + inc->h / 2, inc->x, inc->y + inc->h / 2);
	}
	qes__strbuf_addstr(sb, "<g class=\"footnotes\" font-size=\"11\">\n");
	for (int i = 0; i < L->foot.n; i++) {
		qes__strbuf_addf(sb, "<text x=\"%.1f\" y=\"%.1f\">", L->foot.x,
				 L->foot.y + (i + 1) * LINE_H - 4);
		esc(sb, L->foot.lines[i].s);
		qes__strbuf_addstr(sb, "</text>\n");
	}
	qes__strbuf_addstr(sb, "</g>\n");
	qes__strbuf_addstr(sb, "</svg>\n");
}

static void layout_free(layout *L)
{
	for (int c = 0; c < 3; c++)
		for (int r = 0; r < ROWS; r++)
			for (int i = 0; i < L->main[c][r].n; i++)
				free(L->main[c][r].lines[i].s);
	for (int c = 0; c < 3; c++)
		for (int r = 0; r < ROWS; r++)
			for (int i = 0; i < L->side[c][r].n; i++)
				free(L->side[c][r].lines[i].s);
	for (int i = 0; i < L->included.n; i++)
		free(L->included.lines[i].s);
	for (int i = 0; i < L->foot.n; i++)
		free(L->foot.lines[i].s);
	if (L->cr)
		cairo_destroy(L->cr);
	if (L->surf)
		cairo_surface_destroy(L->surf);
	free(L);
}

int qes_prisma_svg(const qes_prisma *p, char **svg, size_t *len, qes_error *err)
{
	int rc = qes_prisma_check(p, err);
	if (rc)
		return rc;
	layout *L = calloc(1, sizeof(*L));
	if (!L)
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	L->surf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1);
	L->cr = cairo_create(L->surf);
	L->has_other = p->other.present;
	L->has_prev = p->update;
	fill_boxes(L, p);
	place(L);
	qes_strbuf sb;
	qes__strbuf_init(&sb, 16u << 20);
	draw(&sb, L);
	if (L->oom || !sb.buf) {
		qes__strbuf_release(&sb);
		layout_free(L);
		return qes_error_set(err, QES_ENOMEM, "out of memory drawing the diagram");
	}
	layout_free(L);
	*svg = qes__strbuf_detach(&sb, len);
	return 0;
}
