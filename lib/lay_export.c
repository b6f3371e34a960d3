/* lay_export.c: the lay summary as a standalone HTML page, a PDF (cairo's
 * own text API, wrapped by measuring words: no pango on the build
 * machines) and a minimal .docx (WordprocessingML written with libxml2,
 * zipped with libzip; kept small and internal, qes__lay_docx, so that it
 * can join the report's docx writer later). Every file is written to a
 * temporary name and renamed. */
#include "lay_internal.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <zip.h>

#include "qes/limits.h"
#include "replace_file.h"

static int write_all(const char *path, const char *data, size_t len, qes_error *err)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return qes_error_set(err, QES_EIO, "%s: cannot write", path);
	int bad = fwrite(data, 1, len, f) != len;
	bad |= fclose(f) != 0;
	return bad ? qes_error_set(err, QES_EIO, "%s: write failed", path) : 0;
}

static int export_html(const char *text, const char *path, qes_error *err)
{
	char *body = NULL;
	int rc = qes_lay_markdown_html(text, strlen(text), &body, err);
	if (rc)
		return rc;
	qes_strbuf sb = QES_STRBUF_INIT(16u * QES_MAX_FIELD);
	qes__strbuf_addstr(&sb, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
			   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
			   "<title>Lay summary</title><style>body{font-family:'DejaVu Sans',Arial,"
			   "sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.6;"
			   "font-size:1.1rem;color:#111}h1{font-size:1.6rem}h2{font-size:1.3rem}"
			   "</style></head><body>\n");
	qes__strbuf_addstr(&sb, body);
	rc = qes__strbuf_addstr(&sb, "</body></html>\n");
	free(body);
	if (rc)
		rc = qes_error_set(err, rc, "the lay summary is too large");
	else
		rc = write_all(path, qes__strbuf_str(&sb), sb.len, err);
	qes__strbuf_release(&sb);
	return rc;
}

/* --- PDF ------------------------------------------------------------------ */

#define PAGE_W 595.0   /* A4, points */
#define PAGE_H 842.0
#define MARGIN 64.0

typedef struct pdf_ctx {
	cairo_t *cr;
	double y;
} pdf_ctx;

static void pdf_newline(pdf_ctx *p, double lh)
{
	p->y += lh;
	if (p->y > PAGE_H - MARGIN) {
		cairo_show_page(p->cr);
		p->y = MARGIN + lh;
	}
}

static int pdf_block(void *ud, int kind, const char *text, size_t len)
{
	pdf_ctx *p = ud;
	qes_strbuf sb = QES_STRBUF_INIT(QES_MAX_FIELD);
	double size = kind == QES__LAY_H1 ? 20 : kind == QES__LAY_H2 ? 15 : kind == QES__LAY_H3 ? 13 : 11;
	double lh = size * 1.45, x0 = MARGIN + (kind == QES__LAY_LI ? 16 : 0);
	cairo_select_font_face(p->cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
			       kind <= QES__LAY_H3 ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(p->cr, size);
	if (kind <= QES__LAY_H3)
		p->y += size * 0.6;
	int rc = qes__lay_plain(&sb, text, len);
	char *s = sb.buf;
	qes_strbuf line = QES_STRBUF_INIT(QES_MAX_FIELD);
	pdf_newline(p, lh);
	if (kind == QES__LAY_LI) {
		cairo_move_to(p->cr, MARGIN + 4, p->y);
		cairo_show_text(p->cr, "\xe2\x80\xa2");
	}
	/* Greedy wrapping: words are added while the line fits the width. */
	while (!rc && s && *s) {
		while (*s == ' ')
			s++;
		size_t w = strcspn(s, " ");
		if (!w)
			break;
		size_t keep = line.len;
		if (line.len)
			qes__strbuf_addch(&line, ' ');
		qes__strbuf_add(&line, s, w);
		cairo_text_extents_t ext;
		cairo_text_extents(p->cr, qes__strbuf_str(&line), &ext);
		if (keep && x0 + ext.x_advance > PAGE_W - MARGIN) {
			qes__strbuf_truncate(&line, keep);
			cairo_move_to(p->cr, x0, p->y);
			cairo_show_text(p->cr, qes__strbuf_str(&line));
			pdf_newline(p, lh);
			qes__strbuf_reset(&line);
			continue;   /* the same word starts the next line */
		}
		s += w;
	}
	if (line.len) {
		cairo_move_to(p->cr, x0, p->y);
		cairo_show_text(p->cr, qes__strbuf_str(&line));
	}
	p->y += kind == QES__LAY_LI ? 0 : size * 0.5;
	qes__strbuf_release(&line);
	qes__strbuf_release(&sb);
	return rc;
}

static int export_pdf(const char *text, const char *path, qes_error *err)
{
	cairo_surface_t *surf = cairo_pdf_surface_create(path, PAGE_W, PAGE_H);
	if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(surf);
		return qes_error_set(err, QES_EIO, "%s: cannot write the PDF", path);
	}
	pdf_ctx p = { cairo_create(surf), MARGIN };
	cairo_set_source_rgb(p.cr, 0.07, 0.07, 0.07);
	int rc = qes__lay_blocks(text, strlen(text), pdf_block, &p, err);
	cairo_show_page(p.cr);
	cairo_destroy(p.cr);
	cairo_surface_finish(surf);
	int bad = cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS;
	cairo_surface_destroy(surf);
	if (!rc && bad)
		rc = qes_error_set(err, QES_EIO, "%s: the PDF could not be written", path);
	return rc;
}

/* --- DOCX ----------------------------------------------------------------- */

static const char content_types[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
	"<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
	"<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
	"<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-"
	"officedocument.wordprocessingml.document.main+xml\"/></Types>\n";
static const char rels[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
	"relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>\n";

typedef struct docx_ctx {
	xmlNodePtr body;
	xmlNsPtr w;
} docx_ctx;

/* One run of text, bold and/or italic, with a size in half points. */
static void docx_run(docx_ctx *d, xmlNodePtr par, const char *text, size_t n, int bold,
		     int italic, int halfpt)
{
	if (!n)
		return;
	char *t = strndup(text, n);
	if (!t)
		return;
	xmlNodePtr r = xmlNewChild(par, d->w, BAD_CAST "r", NULL);
	xmlNodePtr pr = xmlNewChild(r, d->w, BAD_CAST "rPr", NULL);
	if (bold)
		xmlNewChild(pr, d->w, BAD_CAST "b", NULL);
	if (italic)
		xmlNewChild(pr, d->w, BAD_CAST "i", NULL);
	char sz[16];
	snprintf(sz, sizeof(sz), "%d", halfpt);
	xmlNewNsProp(xmlNewChild(pr, d->w, BAD_CAST "sz", NULL), d->w, BAD_CAST "val", BAD_CAST sz);
	xmlNodePtr tn = xmlNewChild(r, d->w, BAD_CAST "t", NULL);
	xmlNodeAddContent(tn, BAD_CAST t);   /* escaped by libxml2 */
	xmlNodeSetSpacePreserve(tn, 1);
	free(t);
}

static int docx_block(void *ud, int kind, const char *text, size_t len)
{
	docx_ctx *d = ud;
	xmlNodePtr p = xmlNewChild(d->body, d->w, BAD_CAST "p", NULL);
	int head = kind <= QES__LAY_H3, size = kind == QES__LAY_H1 ? 36 : kind == QES__LAY_H2 ? 30 :
					      kind == QES__LAY_H3 ? 26 : 22;
	if (kind == QES__LAY_LI)
		docx_run(d, p, "\xe2\x80\xa2 ", 4, 0, 0, size);
	int bold = head, italic = 0;
	size_t start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && text[i] != '*')
			continue;
		docx_run(d, p, text + start, i - start, bold, italic, size);
		if (i == len)
			break;
		if (i + 1 < len && text[i + 1] == '*') {
			bold = head || !bold;
			i++;
		} else {
			italic = !italic;
		}
		start = i + 1;
	}
	return 0;
}

int qes__lay_docx(const char *markdown, const char *path, qes_error *err)
{
	xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNodePtr root = xmlNewNode(NULL, BAD_CAST "document");
	xmlNsPtr w = xmlNewNs(root, BAD_CAST "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
			      BAD_CAST "w");
	xmlSetNs(root, w);
	xmlDocSetRootElement(doc, root);
	docx_ctx d = { xmlNewChild(root, w, BAD_CAST "body", NULL), w };
	xmlChar *xml = NULL;
	int xlen = 0, rc = qes__lay_blocks(markdown, strlen(markdown), docx_block, &d, err);
	zip_t *z = NULL;
	if (rc)
		goto out;
	xmlDocDumpMemoryEnc(doc, &xml, &xlen, "UTF-8");
	if (!xml) {
		rc = qes_error_set(err, QES_ENOMEM, "out of memory");
		goto out;
	}
	int ze = 0;
	unlink(path);
	if (!(z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &ze))) {
		rc = qes_error_set(err, QES_EIO, "%s: cannot write", path);
		goto out;
	}
	const struct { const char *name; const void *data; size_t len; } parts[] = {
		{ "[Content_Types].xml", content_types, sizeof(content_types) - 1 },
		{ "_rels/.rels", rels, sizeof(rels) - 1 },
		{ "word/document.xml", xml, (size_t)xlen },
	};
	for (size_t i = 0; i < 3 && !rc; i++) {
		zip_source_t *src = zip_source_buffer(z, parts[i].data, parts[i].len, 0);
		if (!src || zip_file_add(z, parts[i].name, src, ZIP_FL_ENC_UTF_8) < 0) {
			zip_source_free(src);
			rc = qes_error_set(err, QES_EIO, "%s: %s", path, zip_strerror(z));
		}
	}
	if (!rc && zip_close(z) < 0)
		rc = qes_error_set(err, QES_EIO, "%s: %s", path, zip_strerror(z));
	else if (!rc)
		z = NULL;
out:
	if (z)
		zip_discard(z);
	xmlFree(xml);
	xmlFreeDoc(doc);
	return rc;
}

/* --- Export ------------------------------------------------------------- */

int qes_lay_export(qes_store *st, long n, const char *path, qes_error *err)
{
	const char *dot = strrchr(path, '.');
	int kind = !dot ? 0 : !strcasecmp(dot, ".html") || !strcasecmp(dot, ".htm") ? 1 :
		   !strcasecmp(dot, ".pdf") ? 2 : !strcasecmp(dot, ".docx") ? 3 : 0;
	if (!kind)
		return qes_error_set(err, QES_EINVAL, "%s: the lay summary exports as .html, .pdf or "
				     ".docx", path);
	char *text = NULL, *tmp = NULL;
	int rc = qes_lay_get(st, n, &text, NULL, err);
	if (rc)
		return rc;
	if (asprintf(&tmp, "%s.tmp-%ld%s", path, (long)getpid(), dot) < 0) {
		free(text);
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	}
	rc = kind == 1 ? export_html(text, tmp, err) : kind == 2 ? export_pdf(text, tmp, err)
		: qes__lay_docx(text, tmp, err);
	if (rc)
		unlink(tmp);
	else
		rc = qes__replace_file(tmp, path, err);
	free(tmp);
	free(text);
	return rc;
}
