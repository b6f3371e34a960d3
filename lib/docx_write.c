/* docx_write.c: a qes_doc as a Word document. A .docx is a zip (libzip,
 * through the REFI-QDA archive writer) of WordprocessingML parts written
 * with libxml2's xmlTextWriter: [Content_Types].xml, _rels/.rels,
 * word/document.xml, word/styles.xml and word/_rels/document.xml.rels.
 * Headings use Word's built-in Heading 1-3 styles (so the navigation pane
 * and a table of contents work), tables the "Table Grid" style, header
 * rows repeat on each page, and the page is A4 with 2 cm margins. */
#include "qes/table.h"
#include "qdpx_internal.h"

#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define BC(s) ((const xmlChar *)(s))
#define X(call) do { if ((call) < 0) goto fail; } while (0)

static const char content_types[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
	"<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
	"<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
	"<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-"
	"officedocument.wordprocessingml.document.main+xml\"/>"
	"<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-"
	"officedocument.wordprocessingml.styles+xml\"/>"
	"</Types>\n";

static const char package_rels[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
	"relationships/officeDocument\" Target=\"word/document.xml\"/>"
	"</Relationships>\n";

static const char document_rels[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
	"relationships/styles\" Target=\"styles.xml\"/>"
	"</Relationships>\n";

/* Heading n is outline level n - 1 (0-based), as in Word's own styles. */
#define HEADING_STYLE(n, lvl, size) \
	"<w:style w:type=\"paragraph\" w:styleId=\"Heading" #n "\"><w:name w:val=\"heading " #n "\"/>" \
	"<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:uiPriority w:val=\"9\"/><w:qFormat/>" \
	"<w:pPr><w:keepNext/><w:spacing w:before=\"240\" w:after=\"80\"/><w:outlineLvl w:val=\"" \
	#lvl "\"/></w:pPr><w:rPr><w:b/><w:sz w:val=\"" #size "\"/></w:rPr></w:style>"

static const char styles[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<w:styles xmlns:w=\"" W_NS "\">"
	"<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Calibri\" w:hAnsi=\"Calibri\""
	" w:cs=\"Calibri\" w:eastAsia=\"Calibri\"/><w:sz w:val=\"21\"/><w:lang w:val=\"en-GB\"/>"
	"</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"120\"/></w:pPr>"
	"</w:pPrDefault></w:docDefaults>"
	"<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/>"
	"<w:qFormat/></w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/>"
	"<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>"
	"<w:pPr><w:spacing w:after=\"240\"/></w:pPr>"
	"<w:rPr><w:b/><w:sz w:val=\"36\"/></w:rPr></w:style>"
	HEADING_STYLE(1, 0, 30) HEADING_STYLE(2, 1, 26) HEADING_STYLE(3, 2, 22)
	"<w:style w:type=\"paragraph\" w:styleId=\"TableText\"><w:name w:val=\"Table Text\"/>"
	"<w:basedOn w:val=\"Normal\"/><w:pPr><w:spacing w:after=\"0\"/></w:pPr>"
	"<w:rPr><w:sz w:val=\"18\"/></w:rPr></w:style>"
	"<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/>"
	"<w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/>"
	"<w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/>"
	"<w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>"
	"<w:style w:type=\"table\" w:styleId=\"TableGrid\"><w:name w:val=\"Table Grid\"/>"
	"<w:basedOn w:val=\"TableNormal\"/><w:tblPr><w:tblBorders>"
	"<w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/>"
	"<w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/>"
	"<w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/>"
	"<w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/>"
	"<w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/>"
	"<w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/>"
	"</w:tblBorders></w:tblPr></w:style>"
	"</w:styles>\n";

/* XML 1.0 allows no C0 controls but tab, LF and CR: drop the others. */
static char *xml_clean(const char *s)
{
	size_t n = strlen(s);
	char *d = malloc(n + 1), *o = d;
	if (!d)
		return NULL;
	for (; *s; s++)
		if ((unsigned char)*s >= 0x20 || *s == '\t' || *s == '\n')
			*o++ = *s;
	*o = 0;
	return d;
}

/* One run of text; '\n' becomes a line break (<w:br/>). */
static int runs(xmlTextWriter *w, const char *text, int bold)
{
	char *clean = xml_clean(text);
	if (!clean)
		return -1;
	int rc = -1;
	X(xmlTextWriterStartElement(w, BC("w:r")));
	if (bold) {
		X(xmlTextWriterStartElement(w, BC("w:rPr")));
		X(xmlTextWriterWriteElement(w, BC("w:b"), NULL));
		X(xmlTextWriterEndElement(w));
	}
	for (char *p = clean;;) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = 0;
		X(xmlTextWriterStartElement(w, BC("w:t")));
		X(xmlTextWriterWriteAttribute(w, BC("xml:space"), BC("preserve")));
		X(xmlTextWriterWriteString(w, BC(p)));
		X(xmlTextWriterEndElement(w));
		if (!nl)
			break;
		X(xmlTextWriterWriteElement(w, BC("w:br"), NULL));
		p = nl + 1;
	}
	X(xmlTextWriterEndElement(w));
	rc = 0;
fail:
	free(clean);
	return rc;
}

static int para(xmlTextWriter *w, const char *style, const char *text, int bold)
{
	X(xmlTextWriterStartElement(w, BC("w:p")));
	if (style) {
		X(xmlTextWriterStartElement(w, BC("w:pPr")));
		X(xmlTextWriterStartElement(w, BC("w:pStyle")));
		X(xmlTextWriterWriteAttribute(w, BC("w:val"), BC(style)));
		X(xmlTextWriterEndElement(w));
		X(xmlTextWriterEndElement(w));
	}
	if (*text)
		X(runs(w, text, bold));
	X(xmlTextWriterEndElement(w));
	return 0;
fail:
	return -1;
}

static int val_elem(xmlTextWriter *w, const char *name, const char *attr, const char *val)
{
	X(xmlTextWriterStartElement(w, BC(name)));
	X(xmlTextWriterWriteAttribute(w, BC(attr), BC(val)));
	X(xmlTextWriterEndElement(w));
	return 0;
fail:
	return -1;
}

static int table(xmlTextWriter *w, const qes_table *t)
{
	size_t cols = qes_table_width(t);
	if (!cols)
		return 0;
	if (t->caption)
		X(para(w, NULL, t->caption, 0));
	X(xmlTextWriterStartElement(w, BC("w:tbl")));
	X(xmlTextWriterStartElement(w, BC("w:tblPr")));
	X(val_elem(w, "w:tblStyle", "w:val", "TableGrid"));
	/* The full text width (5000 fiftieths of a percent); Word wraps the
	 * cells to fit, so no table runs off the page. */
	X(xmlTextWriterStartElement(w, BC("w:tblW")));
	X(xmlTextWriterWriteAttribute(w, BC("w:w"), BC("5000")));
	X(xmlTextWriterWriteAttribute(w, BC("w:type"), BC("pct")));
	X(xmlTextWriterEndElement(w));
	X(val_elem(w, "w:tblLayout", "w:type", "autofit"));
	X(xmlTextWriterEndElement(w));
	X(xmlTextWriterStartElement(w, BC("w:tblGrid")));
	char width[16];
	snprintf(width, sizeof(width), "%zu", (size_t)9638 / cols); /* A4 text width in twips */
	for (size_t j = 0; j < cols; j++)
		X(val_elem(w, "w:gridCol", "w:w", width));
	X(xmlTextWriterEndElement(w));
	for (size_t i = 0; i < t->n_rows; i++) {
		const qes_table_row *r = &t->rows[i];
		X(xmlTextWriterStartElement(w, BC("w:tr")));
		if (r->header) {
			X(xmlTextWriterStartElement(w, BC("w:trPr")));
			X(xmlTextWriterWriteElement(w, BC("w:tblHeader"), NULL));
			X(xmlTextWriterEndElement(w));
		}
		/* Every row has every column: Word needs as many cells as the grid. */
		for (size_t j = 0; j < cols; j++) {
			X(xmlTextWriterStartElement(w, BC("w:tc")));
			X(xmlTextWriterStartElement(w, BC("w:tcPr")));
			X(xmlTextWriterStartElement(w, BC("w:tcW")));
			X(xmlTextWriterWriteAttribute(w, BC("w:w"), BC("0")));
			X(xmlTextWriterWriteAttribute(w, BC("w:type"), BC("auto")));
			X(xmlTextWriterEndElement(w));
			X(xmlTextWriterEndElement(w));
			X(para(w, "TableText", j < r->n ? r->cells[j].text : "", r->header));
			X(xmlTextWriterEndElement(w));
		}
		X(xmlTextWriterEndElement(w));
	}
	X(xmlTextWriterEndElement(w));
	/* Two tables in a row would merge in Word: an empty paragraph between. */
	X(para(w, NULL, "", 0));
	return 0;
fail:
	return -1;
}

static int document(const qes_doc *d, xmlBuffer **out)
{
	xmlBuffer *buf = xmlBufferCreate();
	xmlTextWriter *w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
	if (!w) {
		if (buf)
			xmlBufferFree(buf);
		return -1;
	}
	X(xmlTextWriterStartDocument(w, NULL, "UTF-8", "yes"));
	X(xmlTextWriterStartElement(w, BC("w:document")));
	X(xmlTextWriterWriteAttribute(w, BC("xmlns:w"), BC(W_NS)));
	X(xmlTextWriterStartElement(w, BC("w:body")));
	for (size_t i = 0; i < d->n; i++) {
		const qes_block *b = &d->blocks[i];
		if (b->kind == QES_BLOCK_HEADING) {
			static const char *const style[] = { "Title", "Heading1", "Heading2", "Heading3" };
			X(para(w, style[b->level <= 1 ? 0 : b->level - 1], b->text, 0));
		} else if (b->kind == QES_BLOCK_PARA) {
			X(para(w, NULL, b->text, 0));
		} else {
			X(table(w, b->table));
		}
	}
	/* A4, 2 cm margins (twips). */
	X(xmlTextWriterStartElement(w, BC("w:sectPr")));
	X(xmlTextWriterStartElement(w, BC("w:pgSz")));
	X(xmlTextWriterWriteAttribute(w, BC("w:w"), BC("11906")));
	X(xmlTextWriterWriteAttribute(w, BC("w:h"), BC("16838")));
	X(xmlTextWriterEndElement(w));
	X(xmlTextWriterStartElement(w, BC("w:pgMar")));
	static const char *const mar[] = { "w:top", "w:right", "w:bottom", "w:left" };
	for (int k = 0; k < 4; k++)
		X(xmlTextWriterWriteAttribute(w, BC(mar[k]), BC("1134")));
	X(xmlTextWriterWriteAttribute(w, BC("w:header"), BC("708")));
	X(xmlTextWriterWriteAttribute(w, BC("w:footer"), BC("708")));
	X(xmlTextWriterWriteAttribute(w, BC("w:gutter"), BC("0")));
	X(xmlTextWriterEndElement(w));
	X(xmlTextWriterEndElement(w));
	X(xmlTextWriterEndElement(w));
	X(xmlTextWriterEndElement(w));
	X(xmlTextWriterEndDocument(w));
	xmlFreeTextWriter(w);
	*out = buf;
	return 0;
fail:
	xmlFreeTextWriter(w);
	xmlBufferFree(buf);
	return -1;
}

int qes_docx_write(const qes_doc *d, const char *path, qes_error *err)
{
	xmlBuffer *body = NULL;
	if (document(d, &body))
		return qes_error_set(err, QES_ENOMEM, "out of memory writing the document");
	qes__qdpx_zipw *z = NULL;
	int rc = qes__qdpx_zipw_open(path, &z, err);
	if (!rc && !(rc = qes__qdpx_zipw_add(z, "[Content_Types].xml", content_types,
					      sizeof(content_types) - 1, err)) &&
	    !(rc = qes__qdpx_zipw_add(z, "_rels/.rels", package_rels, sizeof(package_rels) - 1, err)) &&
	    !(rc = qes__qdpx_zipw_add(z, "word/_rels/document.xml.rels", document_rels,
				      sizeof(document_rels) - 1, err)) &&
	    !(rc = qes__qdpx_zipw_add(z, "word/styles.xml", styles, sizeof(styles) - 1, err)) &&
	    !(rc = qes__qdpx_zipw_add(z, "word/document.xml", xmlBufferContent(body),
				      (size_t)xmlBufferLength(body), err))) {
		rc = qes__qdpx_zipw_close(z, err);
		z = NULL;
	}
	qes__qdpx_zipw_abort(z);
	xmlBufferFree(body);
	return rc;
}
