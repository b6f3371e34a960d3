/* qdpx_validate.c: reading REFI-QDA XML safely and checking it against the
 * schema. The XML is untrusted: no network, no entity substitution, no DTD
 * (refused outright: REFI-QDA never uses one, and a DTD only serves entity
 * tricks), nesting bounded. Problems name the line. */
#include "qdpx_internal.h"

#include <stdint.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include "qes/limits.h"

typedef struct verr {
	long count, line;
	char msg[512];
} verr;

static void on_error(void *ud, xmlErrorPtr e)
{
	verr *v = ud;
	if (!e || e->level < XML_ERR_ERROR)
		return;
	if (!v->count++) {
		v->line = e->line;
		snprintf(v->msg, sizeof(v->msg), "%s", e->message ? e->message : "invalid");
		size_t n = strlen(v->msg);
		while (n && (v->msg[n - 1] == '\n' || v->msg[n - 1] == ' '))
			v->msg[--n] = '\0';
	}
}

/* The parser's first error (libxml2 keeps only the last, which for a
 * mismatched tag is the less useful "premature end" at the end). */
static void on_parse_error(void *ctx, xmlErrorPtr e)
{
	xmlParserCtxt *c = ctx;
	if (c && c->_private)
		on_error(c->_private, e);
}

static int depth_ok(const xmlNode *n, int depth)
{
	if (depth > QES_MAX_XML_DEPTH)
		return 0;
	for (; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE && !depth_ok(n->children, depth + 1))
			return 0;
	return 1;
}

static int validate_doc(xmlDoc *doc, int codebook, const char *name, qes_error *err)
{
	int rc = 0;
	verr v = { 0, 0, "" };
	xmlSchemaParserCtxt *pc = NULL;
	xmlSchema *schema = NULL;
	xmlSchemaValidCtxt *vc = NULL;
	pc = codebook ? xmlSchemaNewMemParserCtxt(qes__qdpx_codebook_xsd,
						  (int)qes__qdpx_codebook_xsd_len)
		      : xmlSchemaNewMemParserCtxt(qes__qdpx_project_xsd,
						  (int)qes__qdpx_project_xsd_len);
	if (!pc) {
		rc = qes_error_set(err, QES_ENOMEM, "out of memory");
		goto out;
	}
	xmlSchemaSetParserStructuredErrors(pc, on_error, &v);
	if (!(schema = xmlSchemaParse(pc)) || !(vc = xmlSchemaNewValidCtxt(schema))) {
		rc = qes_error_set(err, QES_ENOMEM, "cannot load the REFI-QDA schema");
		goto out;
	}
	xmlSchemaSetValidStructuredErrors(vc, on_error, &v);
	if (xmlSchemaValidateDoc(vc, doc) != 0 || v.count)
		rc = qes_error_at(err, QES_EFORMAT, name, v.line, "",
				  "does not validate against %s: %s%s", codebook ? "Codebook.xsd"
				  : "Project.xsd", v.msg[0] ? v.msg : "invalid",
				  v.count > 1 ? " (and more problems after it)" : "");
out:
	if (vc)
		xmlSchemaFreeValidCtxt(vc);
	if (schema)
		xmlSchemaFree(schema);
	if (pc)
		xmlSchemaFreeParserCtxt(pc);
	return rc;
}

int qes__qdpx_parse(const char *xml, size_t len, int codebook, const char *name,
		    xmlDoc **doc, qes_error *err)
{
	*doc = NULL;
	if (len > INT32_MAX)
		return qes_error_at(err, QES_ELIMIT, name, 0, "", "larger than %d bytes", INT32_MAX);
	xmlParserCtxt *ctx = xmlNewParserCtxt();
	if (!ctx)
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	int rc = 0;
	verr v = { 0, 0, "" };
	ctx->_private = &v;
	if (ctx->sax)
		ctx->sax->serror = on_parse_error;
	xmlDoc *d = xmlCtxtReadMemory(ctx, xml, (int)len, name, NULL,
				      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!d || v.count) {
		xmlErrorPtr e = xmlCtxtGetLastError(ctx);
		if (!v.count && e)
			on_error(&v, e);
		rc = qes_error_at(err, QES_EFORMAT, name, v.line, "", "not well-formed XML: %s",
				  v.msg[0] ? v.msg : "unreadable");
		goto out;
	}
	if (d->intSubset || d->extSubset) {
		rc = qes_error_at(err, QES_EFORMAT, name, d->intSubset ? xmlGetLineNo((xmlNode *)d->intSubset) : 0,
				  "", "has a DTD; REFI-QDA files have none (refused: entities)");
		goto out;
	}
	if (!depth_ok(d->children, 0)) {
		rc = qes_error_at(err, QES_ELIMIT, name, 0, "", "elements nest deeper than %d",
				  QES_MAX_XML_DEPTH);
		goto out;
	}
	if ((rc = validate_doc(d, codebook, name, err)))
		goto out;
	*doc = d;
	d = NULL;
out:
	if (d)
		xmlFreeDoc(d);
	xmlFreeParserCtxt(ctx);
	return rc;
}

int qes_qdpx_validate(const char *xml, size_t len, int codebook, const char *name,
		      qes_error *err)
{
	xmlDoc *doc = NULL;
	int rc = qes__qdpx_parse(xml, len, codebook, name ? name : "project.qde", &doc, err);
	if (doc)
		xmlFreeDoc(doc);
	return rc;
}
