/* table_html.c: an HTML page or fragment (the report, a command's --html
 * table) read into a qes_doc with libxml2's HTML parser, so the Word and
 * spreadsheet writers see exactly the tables the page shows. */
#include "qes/table.h"
#include "qes/limits.h"
#include "strbuf.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

static int is(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && !xmlStrcasecmp(n->name, (const xmlChar *)name);
}

/* Elements marked class="noexport" (screen-only marks) are left out. */
static int noexport(const xmlNode *n)
{
	xmlChar *c = xmlGetProp(n, (const xmlChar *)"class");
	int skip = c && xmlStrstr(c, (const xmlChar *)"noexport");
	xmlFree(c);
	return skip;
}

/* Text of n: whitespace runs become one space; <br> and the end of each
 * block (p, div, li) a line break. */
static void text_of(const xmlNode *n, qes_strbuf *sb, int depth)
{
	if (depth > QES_MAX_XML_DEPTH)
		return;
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
			for (const xmlChar *p = c->content; p && *p; p++) {
				int space = *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r';
				if (space) {
					if (sb->len && sb->buf[sb->len - 1] != ' ' &&
					    sb->buf[sb->len - 1] != '\n')
						qes__strbuf_addch(sb, ' ');
				} else {
					qes__strbuf_addch(sb, (char)*p);
				}
			}
		} else if (c->type == XML_ELEMENT_NODE) {
			if (is(c, "br") || ((is(c, "p") || is(c, "div") || is(c, "li")) && sb->len &&
					    sb->buf[sb->len - 1] != '\n')) {
				while (sb->len && sb->buf[sb->len - 1] == ' ')
					sb->len--;
				qes__strbuf_addch(sb, '\n');
			}
			if (is(c, "svg") || is(c, "style") || is(c, "script") || noexport(c))
				continue;
			text_of(c, sb, depth + 1);
		}
	}
}

/* The text, trimmed (the buffer is reset first); NULL when out of memory. */
static const char *trimmed(const xmlNode *n, qes_strbuf *sb)
{
	qes__strbuf_reset(sb);
	text_of(n, sb, 0);
	while (sb->len && (sb->buf[sb->len - 1] == ' ' || sb->buf[sb->len - 1] == '\n'))
		sb->len--;
	qes__strbuf_addch(sb, 0);
	sb->len--;
	const char *s = qes__strbuf_str(sb);
	if (!s)
		return NULL;
	while (*s == ' ' || *s == '\n')
		s++;
	return s;
}

static int read_row(const xmlNode *r, qes_table *t, qes_strbuf *sb, qes_error *err)
{
	int header = 1, any = 0, rc;
	for (const xmlNode *c = r->children; c; c = c->next) {
		if (!is(c, "td") && !is(c, "th"))
			continue;
		any = 1;
		/* A row header (th scope=row) leaves it a body row. */
		xmlChar *scope = is(c, "th") ? xmlGetProp(c, (const xmlChar *)"scope") : NULL;
		if (is(c, "td") || (scope && !xmlStrcasecmp(scope, (const xmlChar *)"row")))
			header = 0;
		xmlFree(scope);
	}
	if (!any)
		return 0;
	if ((rc = qes_table_add_row(t, header, err)))
		return rc;
	for (const xmlNode *c = r->children; c; c = c->next) {
		if (!is(c, "td") && !is(c, "th"))
			continue;
		const char *text = trimmed(c, sb);
		if (!text)
			return qes_error_set(err, QES_ENOMEM, "out of memory");
		xmlChar *title = xmlGetProp(c, (const xmlChar *)"title");
		xmlChar *cls = xmlGetProp(c, (const xmlChar *)"class");
		xmlChar *span = xmlGetProp(c, (const xmlChar *)"colspan");
		long n = span ? strtol((const char *)span, NULL, 10) : 1;
		if (n < 1 || n > 1000)
			n = 1;
		rc = qes_table_add_cell(t, text, (const char *)title,
				    cls && *cls ? (const char *)cls : NULL, err);
		/* A spanning cell is the text once, then empty cells. */
		for (long k = 1; !rc && k < n; k++)
			rc = qes_table_add_cell(t, "", NULL, NULL, err);
		xmlFree(title);
		xmlFree(cls);
		xmlFree(span);
		if (rc)
			return rc;
	}
	return 0;
}

static int read_table(const xmlNode *tbl, qes_table **out, qes_strbuf *sb, qes_error *err)
{
	qes_table *t = qes_table_new();
	int rc = 0;
	if (!t)
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	/* Rows sit in thead/tbody/tfoot or directly in the table. */
	for (const xmlNode *g = tbl->children; g && !rc; g = g->next) {
		if (is(g, "caption")) {
			const char *c = trimmed(g, sb);
			rc = c ? qes_table_set_caption(t, c, err)
			       : qes_error_set(err, QES_ENOMEM, "out of memory");
		} else if (is(g, "tr")) {
			rc = read_row(g, t, sb, err);
		} else if (is(g, "thead") || is(g, "tbody") || is(g, "tfoot")) {
			for (const xmlNode *r = g->children; r && !rc; r = r->next)
				if (is(r, "tr"))
					rc = read_row(r, t, sb, err);
		}
	}
	if (rc) {
		qes_table_free(t);
		return rc;
	}
	*out = t;
	return 0;
}

static int walk(const xmlNode *n, qes_doc *d, qes_strbuf *sb, int depth, qes_error *err)
{
	if (depth > QES_MAX_XML_DEPTH)
		return qes_error_set(err, QES_ELIMIT, "HTML nested deeper than %d elements",
				     QES_MAX_XML_DEPTH);
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE || noexport(c))
			continue;
		int rc = 0;
		if (is(c, "h1") || is(c, "h2") || is(c, "h3") || is(c, "h4")) {
			const char *s = trimmed(c, sb);
			rc = !s ? qes_error_set(err, QES_ENOMEM, "out of memory")
				: qes_doc_heading(d, c->name[1] - '0', s, err);
		} else if (is(c, "p") || is(c, "figcaption") || is(c, "caption")) {
			const char *s = trimmed(c, sb);
			rc = !s ? qes_error_set(err, QES_ENOMEM, "out of memory")
				: *s ? qes_doc_para(d, s, err) : 0;
		} else if (is(c, "dl")) {
			/* A key: term and definition on one line each. */
			for (const xmlNode *k = c->children; k && !rc; k = k->next) {
				if (!is(k, "dt"))
					continue;
				qes_strbuf line;
				qes__strbuf_init(&line, QES_MAX_FIELD);
				const char *term = trimmed(k, sb);
				qes__strbuf_addstr(&line, term ? term : "");
				const xmlNode *dd = k->next;
				while (dd && dd->type != XML_ELEMENT_NODE)
					dd = dd->next;
				if (dd && is(dd, "dd")) {
					const char *def = trimmed(dd, sb);
					qes__strbuf_addstr(&line, ": ");
					qes__strbuf_addstr(&line, def ? def : "");
				}
				rc = qes__strbuf_str(&line) ? qes_doc_para(d, qes__strbuf_str(&line), err)
							    : qes_error_set(err, QES_ENOMEM, "out of memory");
				qes__strbuf_release(&line);
			}
		} else if (is(c, "table")) {
			qes_table *t = NULL;
			if (!(rc = read_table(c, &t, sb, err)))
				rc = qes_doc_table(d, t, err);
		} else if (is(c, "title")) {
			const char *s = trimmed(c, sb);
			free(d->title);
			d->title = s ? strdup(s) : NULL;
		} else if (is(c, "figure") || is(c, "svg") || is(c, "style") || is(c, "script")) {
			/* Figures stay in the HTML; their captions come along. */
			for (const xmlNode *k = c->children; k && !rc; k = k->next)
				if (is(k, "figcaption")) {
					const char *s = trimmed(k, sb);
					rc = s ? qes_doc_para(d, s, err) : 0;
				}
		} else {
			rc = walk(c, d, sb, depth + 1, err);
		}
		if (rc)
			return rc;
	}
	return 0;
}

int qes_doc_from_html(const char *html, size_t len, qes_doc **out, qes_error *err)
{
	*out = NULL;
	if (len > INT_MAX)
		return qes_error_set(err, QES_ELIMIT, "the page is too large");
	htmlDocPtr doc = htmlReadMemory(html, (int)len, NULL, "UTF-8",
					HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
	if (!doc)
		return qes_error_set(err, QES_EFORMAT, "the HTML could not be read");
	qes_doc *d = qes_doc_new(NULL);
	qes_strbuf sb;
	qes__strbuf_init(&sb, QES_MAX_FIELD);
	int rc = d ? 0 : qes_error_set(err, QES_ENOMEM, "out of memory");
	if (!rc && xmlDocGetRootElement(doc))
		rc = walk((xmlNode *)doc, d, &sb, 0, err);
	qes__strbuf_release(&sb);
	xmlFreeDoc(doc);
	if (rc) {
		qes_doc_free(d);
		return rc;
	}
	*out = d;
	return 0;
}
